//! Why an allowlist entry is refused: a kind that tools match on, and a message that says what
//! browsers send and what to write instead.

use std::fmt;

/// Which rule an allowlist entry breaks. Tests and tools match on this; people read the
/// [`OriginError`] message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OriginErrorKind {
    /// `""`.
    Empty,
    /// Spaces, tabs or newlines anywhere in the entry.
    Whitespace,
    /// Two or more origins in one entry, separated by `,` or whitespace.
    SeveralOrigins,
    /// `"null"`, the origin of sandboxed and `file:` documents.
    Null,
    /// No `scheme://`, or a misspelt `://` (`https//`, `https:/`).
    NoScheme,
    /// A scheme other than `https` or `http`.
    Scheme,
    /// Uppercase letters; browsers send origins in lowercase.
    Uppercase,
    /// A `/` after the host and port.
    TrailingSlash,
    /// A path, query or fragment after the host and port.
    Path,
    /// `user:password@` before the host.
    Userinfo,
    /// A missing or malformed host, or an IP address not written as browsers write it.
    Host,
    /// A malformed port, or one with a leading zero.
    Port,
    /// `:443` on `https`, `:80` on `http`: browsers leave the default port out.
    DefaultPort,
    /// `https://*`: a pattern that names no domain at all.
    AnyHost,
    /// A `*` over a public suffix (`*.com`, `*.co.uk`, `*.github.io`) or a top-level domain.
    PublicSuffix,
    /// A `*` that is not one whole leading label: `*foo.example.com`, `a.*.example.com`,
    /// two stars, a star in the scheme or port, or before an IP address.
    MisplacedStar,
    /// The same entry twice in one list.
    Duplicate,
    /// `*` next to other entries, which it already covers.
    AnyAmongOrigins,
    /// `*` in a credentialed policy.
    AnyWithCredentials,
    /// Plain `http://` off loopback in a credentialed policy.
    InsecureWithCredentials,
}

/// What is wrong with an origin entry, in the user's terms: what browsers send and what to
/// write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginError {
    kind: OriginErrorKind,
    message: String,
    fixes: Vec<String>,
}

impl OriginError {
    pub(super) fn new(kind: OriginErrorKind, message: impl Into<String>) -> Self {
        OriginError { kind, message: message.into(), fixes: Vec::new() }
    }

    /// An error whose message suggests `fixes`, each of which passes the rules.
    pub(super) fn with_fixes(kind: OriginErrorKind, message: impl Into<String>, fixes: Vec<String>) -> Self {
        OriginError { kind, message: message.into(), fixes }
    }

    /// Which rule the entry breaks.
    pub fn kind(&self) -> OriginErrorKind {
        self.kind
    }

    /// The entries the message suggests writing instead, each of which passes
    /// [`parse_origin`](super::parse_origin) (and, for a credentialed list, the list's rules):
    /// the origin browsers send for this entry, or one per origin when the entry holds several.
    /// Empty when no correct fix follows from the entry; the message then suggests none.
    pub fn fixes(&self) -> &[String] {
        &self.fixes
    }
}

impl fmt::Display for OriginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OriginError {}

pub(super) fn fail<T>(kind: OriginErrorKind, message: impl Into<String>) -> Result<T, OriginError> {
    Err(OriginError::new(kind, message))
}

/// `a`, `a and b`, `a, b and c`.
pub(super) fn and_list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    match items.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// `two`, `three`, ... for the counts a message is likely to name; digits above.
pub(super) fn count_word(count: usize) -> String {
    match ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"].get(count) {
        Some(word) => word.to_string(),
        None => count.to_string(),
    }
}
