//! The text of a compile error that const evaluation assembles, where `format!` is not
//! available: the checks of `routes![...]` name the handlers in it.

/// A message assembled during const evaluation, where `format!` is not available.
pub struct ConstMessage {
    buf: [u8; 512],
    len: usize,
}

impl ConstMessage {
    /// An empty message.
    pub(crate) const fn new() -> Self {
        ConstMessage { buf: [0; 512], len: 0 }
    }

    /// The message with `text` after it, as much as fits.
    pub(crate) const fn push(mut self, text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() && self.len < self.buf.len() {
            self.buf[self.len] = bytes[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    /// The text; a character cut at the end by the buffer's size is left out.
    pub const fn as_str(&self) -> &str {
        let bytes = self.buf.split_at(self.len).0;
        let valid = match core::str::from_utf8(bytes) {
            Ok(text) => return text,
            Err(e) => e.valid_up_to(),
        };
        match core::str::from_utf8(bytes.split_at(valid).0) {
            Ok(text) => text,
            Err(_) => "",
        }
    }
}
