//! The regular expressions that stand for what the runtime decides in code: a route path, an
//! allowlist entry, an `Access-Control-Request-Headers` list. Each mirrors one function of the
//! runtime, named in its doc. nginx compiles PCRE; Envoy compiles RE2, which has no lookaround
//! and no backreferences, so the `Re2` forms below say the same with plain alternation, except
//! where a comment names what they leave out.

use cors_rules::OriginEntry;

/// `s` with every character that means something in a regex escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '/' || c == ':') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// An axum 0.8 path as an anchored regex over the decoded path: `{id}` is one non-empty
/// segment, `{*rest}` one or more characters (matchit never matches an empty capture).
pub fn path(path: &str) -> String {
    let mut regex = String::from("^");
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        regex.push_str(&escape(&rest[..open]));
        let close = open + rest[open..].find('}').expect("checked paths close every brace");
        regex.push_str(if rest[open + 1..].starts_with('*') { ".+" } else { "[^/]+" });
        rest = &rest[close + 1..];
    }
    regex.push_str(&escape(rest));
    regex.push('$');
    regex
}

/// One DNS label, as `cors_rules::pattern_matches` accepts it: 1 to 63 of `a-z 0-9 - _`, not
/// starting or ending with `-`.
const LABEL: &str = "[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?";

/// An allowlist entry (exact origin or subdomain pattern) as an anchored, case-sensitive
/// regex: exactly the origins `Policy::allow_origin` admits for it, so look-alikes such as
/// `https://app.example.com.evil.example` or `https://evilexample.com` never match.
pub fn origin(entry: &str) -> Option<String> {
    origin_regex(entry, true)
}

/// [`origin`] for RE2: the same, without the lookahead that bounds the host to 253 bytes (no
/// browser sends a longer host: DNS cannot resolve one).
pub fn origin_re2(entry: &str) -> Option<String> {
    origin_regex(entry, false)
}

fn origin_regex(entry: &str, bound_length: bool) -> Option<String> {
    match cors_rules::parse_origin(entry).ok()? {
        OriginEntry::Any => None,
        OriginEntry::Exact(exact) => Some(format!("^{}$", escape(exact))),
        OriginEntry::Pattern(pattern) => {
            let (suffix_host, port) = pattern.suffix.split_at(pattern.suffix.find(':').unwrap_or(pattern.suffix.len()));
            // The whole host (labels and suffix) is at most 253 bytes, as DNS allows.
            let bound = if bound_length { format!("(?=[^:]{{1,253}}{}$)", escape(port)) } else { String::new() };
            Some(format!(
                "^{prefix}{bound}(?:{LABEL}\\.)*{LABEL}{suffix_host}{port}$",
                prefix = escape(pattern.prefix),
                port = escape(port),
                suffix_host = escape(suffix_host),
            ))
        }
    }
}

/// Optional whitespace around list elements, as `cors_rules::header_list` trims it.
const OWS: &str = "[\\t\\f ]*";
/// An RFC 9110 token.
const TOKEN: &str = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";

/// The regexes that judge a request's `Access-Control-Request-Headers` against one policy the
/// way `preflight::allow_headers` does, element by element, left to right.
pub struct HeaderList {
    /// Only empty elements (or no header): nothing is asked.
    pub none: String,
    /// Every element empty or allowed.
    pub all_allowed: String,
    /// The first element that is neither empty nor allowed is not a token.
    pub first_bad_malformed: String,
    /// Exactly the answer the service would build: the policy's own names, joined by `,`
    /// without spaces, each once (how browsers send the list). Then it is echoed. `None` when
    /// the policy lists no names.
    pub already_the_answer: Option<String>,
}

impl HeaderList {
    /// `listed`: lowercase names; `any`: `headers = ["*"]`, any token but `authorization`.
    pub fn new(listed: &[String], any: bool) -> HeaderList {
        let names = listed.iter().map(|n| escape(n)).collect::<Vec<_>>().join("|");
        let listed_any_case = (!listed.is_empty()).then(|| format!("(?i:{names})"));
        let allowed = match (listed_any_case, any) {
            (listed, true) => {
                let wildcard = format!("(?!(?i:authorization){OWS}(?:,|$)){TOKEN}");
                Some(listed.map_or(wildcard.clone(), |listed| format!("(?:{listed}|{wildcard})")))
            }
            (listed, false) => listed,
        };
        let element_ok = match allowed {
            Some(allowed) => format!("{OWS}(?:{allowed}{OWS})?"),
            None => OWS.to_string(),
        };
        let malformed = format!("(?!{OWS}(?:{TOKEN}{OWS})?(?:,|$))[^,]*");
        let no_repeat = "(?!(?:[^,]*,)*([^,]+),(?:[^,]*,)*\\1(?:,|$))";
        HeaderList {
            none: "^[\\t\\f ,]*$".to_string(),
            all_allowed: format!("^{element_ok}(?:,{element_ok})*$"),
            first_bad_malformed: format!("^(?:{element_ok},)*{malformed}(?:,|$)"),
            already_the_answer: (!listed.is_empty()).then(|| format!("^{no_repeat}(?:{names})(?:,(?:{names}))*$")),
        }
    }
}

/// The characters of an RFC 9110 token, for classes.
const TOKEN_CHARS: &str = "!#$%&'*+.^_`|~0-9A-Za-z-";

/// [`HeaderList`] for RE2: `all_allowed` and `first_bad_malformed` say the same without
/// lookaround; `echo` cannot refuse a repeated name (no backreferences), so a list that names
/// one header twice is echoed as sent, where the service answers each name once.
pub struct HeaderListRe2 {
    pub none: String,
    pub all_allowed: String,
    pub first_bad_malformed: String,
    pub echo: Option<String>,
}

impl HeaderListRe2 {
    /// As [`HeaderList::new`].
    pub fn new(listed: &[String], any: bool) -> HeaderListRe2 {
        let names = listed.iter().map(|n| escape(n)).collect::<Vec<_>>().join("|");
        let listed_any_case = (!listed.is_empty()).then(|| format!("(?i:{names})"));
        let any_but_authorization = || {
            if listed.iter().any(|n| n == "authorization") {
                TOKEN.to_string()
            } else {
                not_word("authorization")
            }
        };
        let allowed = match (listed_any_case, any) {
            (listed, true) => {
                Some(listed.map_or_else(any_but_authorization, |l| format!("(?:{l}|{})", any_but_authorization())))
            }
            (listed, false) => listed,
        };
        let element_ok = match allowed {
            Some(allowed) => format!("{OWS}(?:{allowed}{OWS})?"),
            None => OWS.to_string(),
        };
        // Not `OWS [token OWS]`: a character outside tokens and whitespace, or two tokens.
        let malformed =
            format!("(?:[^,]*[^,{TOKEN_CHARS}\\t\\f ][^,]*|[^,]*[{TOKEN_CHARS}][\\t\\f ]+[{TOKEN_CHARS}][^,]*)");
        HeaderListRe2 {
            none: "^[\\t\\f ,]*$".to_string(),
            all_allowed: format!("^{element_ok}(?:,{element_ok})*$"),
            // Envoy matches a header's whole value: the elements after the first bad one too.
            first_bad_malformed: format!("^(?:{element_ok},)*{malformed}(?:,.*)?$"),
            echo: (!listed.is_empty()).then(|| format!("^(?:{names})(?:,(?:{names}))*$")),
        }
    }
}

/// A token that is not `word` (lowercase letters) in any case, without lookahead: shorter,
/// longer, or the same length and different at some first position.
fn not_word(word: &str) -> String {
    let token_char = format!("[{TOKEN_CHARS}]");
    let n = word.len();
    let mut alternatives = vec![format!("{token_char}{{1,{}}}", n - 1), format!("{token_char}{{{},}}", n + 1)];
    for (i, c) in word.char_indices() {
        let other = format!("[{}{}]", letters_but(c), TOKEN_CHARS.replace("A-Za-z", ""));
        alternatives.push(format!("(?i:{}){other}{token_char}{{{}}}", escape(&word[..i]), n - i - 1));
    }
    format!("(?:{})", alternatives.join("|"))
}

/// Every ASCII letter but `c` in either case, for a class.
fn letters_but(c: char) -> String {
    ('a'..='z').filter(|l| *l != c.to_ascii_lowercase()).flat_map(|l| [l, l.to_ascii_uppercase()]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(path("/status"), "^/status$");
        assert_eq!(path("/orders/{id}"), "^/orders/[^/]+$");
        assert_eq!(path("/v1.0/files/{*rest}"), "^/v1\\.0/files/.+$");
        assert_eq!(path("/a/{x}/b/{y}"), "^/a/[^/]+/b/[^/]+$");
    }

    #[test]
    fn origins() {
        assert_eq!(origin("https://app.example.com").unwrap(), "^https://app\\.example\\.com$");
        assert_eq!(origin("http://localhost:5173").unwrap(), "^http://localhost:5173$");
        assert_eq!(
            origin("https://*.example.com:8443").unwrap(),
            format!("^https://(?=[^:]{{1,253}}:8443$)(?:{LABEL}\\.)*{LABEL}\\.example\\.com:8443$")
        );
        assert_eq!(origin("*"), None);
    }
}
