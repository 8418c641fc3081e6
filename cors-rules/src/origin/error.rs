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
    /// `"null"`, the origin of sandboxed and `file:` documents.
    Null,
    /// No `scheme://`.
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
}

impl OriginError {
    pub(super) fn new(kind: OriginErrorKind, message: impl Into<String>) -> Self {
        OriginError { kind, message: message.into() }
    }

    /// Which rule the entry breaks.
    pub fn kind(&self) -> OriginErrorKind {
        self.kind
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
