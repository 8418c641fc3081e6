//! Parsing: attribute tokens into options that keep their keyword tokens, so every later error
//! can point at the exact key or value. Parse errors are collected, not returned: a bad value
//! skips to the next `,` and parsing goes on.

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{bracketed, Ident, LitInt, LitStr, Path, Token};

use crate::ctxt::Ctxt;

/// One option as written: its key token and its value.
pub struct Opt<T> {
    pub key: Ident,
    pub value: T,
}

pub enum OriginsValue {
    /// `origins = "*"` or `origins = "https://a.example"`.
    One(LitStr),
    /// `origins = [...]`.
    List(Vec<LitStr>),
    /// `origins = env("VAR")` or `origins = env("VAR", default = "...")`.
    Env { var: LitStr, default: Option<LitStr> },
    /// `origins = dynamic`: set while the service runs, through `Name::origins()`.
    Dynamic(Ident),
}

impl OriginsValue {
    /// The origins written in the source (none for `env(...)`, whose default is checked apart,
    /// nor for `dynamic`).
    pub fn literals(&self) -> &[LitStr] {
        match self {
            OriginsValue::One(lit) => std::slice::from_ref(lit),
            OriginsValue::List(list) => list,
            OriginsValue::Env { .. } | OriginsValue::Dynamic(_) => &[],
        }
    }
}

const ORIGINS_FORMS: &str = "expected `origins = \"*\"`, `origins = [\"https://app.example.com\", ...]`, `origins = env(\"APP_ORIGINS\")` or `origins = dynamic`";

/// `env("VAR")` or `env("VAR", default = "...")`, after the `env` keyword.
fn env_origins(input: ParseStream) -> syn::Result<OriginsValue> {
    let content;
    syn::parenthesized!(content in input);
    let parsed = env_arguments(&content);
    if parsed.is_err() {
        // Consume the rest, or syn reports the unparsed tokens as a second error.
        let _ = content.parse::<TokenStream>();
    }
    parsed
}

fn env_arguments(content: ParseStream) -> syn::Result<OriginsValue> {
    let expected = |span| {
        syn::Error::new(
            span,
            "expected `env(\"APP_ORIGINS\")` or `env(\"APP_ORIGINS\", default = \"https://app.example.com\")`",
        )
    };
    let var: LitStr = content.parse().map_err(|e| expected(e.span()))?;
    let mut default = None;
    if content.parse::<Option<Token![,]>>()?.is_some() && !content.is_empty() {
        let key: Ident = content.parse().map_err(|e| expected(e.span()))?;
        if key != "default" {
            return Err(expected(key.span()));
        }
        content.parse::<Token![=]>().map_err(|e| expected(e.span()))?;
        default = Some(content.parse::<LitStr>().map_err(|e| expected(e.span()))?);
        content.parse::<Option<Token![,]>>()?;
    }
    if !content.is_empty() {
        return Err(expected(content.span()));
    }
    Ok(OriginsValue::Env { var, default })
}

/// The policy arguments, shared by `#[cors_policy(...)]` and inline `#[cors(...)]`.
#[derive(Default)]
pub struct PolicyArgs {
    pub origins: Option<Opt<OriginsValue>>,
    pub credentials: Option<Ident>,
    pub methods: Option<Opt<Vec<Ident>>>,
    pub headers: Option<Opt<Vec<LitStr>>>,
    pub expose: Option<Opt<Vec<LitStr>>>,
    pub max_age: Option<Opt<LitInt>>,
    pub private_network: Option<Ident>,
    pub strict: Option<Ident>,
    /// False when some key or value of the attribute failed to parse (and was reported): a
    /// key that seems missing may be the misspelled one, so checks for it stay quiet.
    pub complete: bool,
}

impl PolicyArgs {
    /// The key tokens of every argument given, in the grammar's order.
    pub fn keys(&self) -> Vec<&Ident> {
        [
            self.origins.as_ref().map(|o| &o.key),
            self.credentials.as_ref(),
            self.methods.as_ref().map(|o| &o.key),
            self.headers.as_ref().map(|o| &o.key),
            self.expose.as_ref().map(|o| &o.key),
            self.max_age.as_ref().map(|o| &o.key),
            self.private_network.as_ref(),
            self.strict.as_ref(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// `#[cors(METHOD "PATH", ...)]`.
pub struct RouteAttr {
    pub method: Ident,
    pub path: LitStr,
    pub public: Option<Ident>,
    pub policy: Option<Opt<Path>>,
    pub args: PolicyArgs,
}

pub const POLICY_KEYS: &[&str] =
    &["origins", "credentials", "methods", "headers", "expose", "max_age", "private_network", "strict"];
pub const ROUTE_KEYS: &[&str] =
    &["public", "policy", "origins", "credentials", "headers", "expose", "max_age", "private_network", "strict"];

pub fn parse_policy_attr(cx: &Ctxt, tokens: TokenStream) -> PolicyArgs {
    let errors_before = cx.error_count();
    let mut args = PolicyArgs::default();
    let parser = |input: ParseStream| {
        parse_items(cx, input, POLICY_KEYS, |key, input| parse_policy_arg(cx, &mut args, key, input))
    };
    if let Err(e) = parser.parse2(tokens) {
        cx.syn_error(e);
    }
    args.complete = cx.error_count() == errors_before;
    args
}

pub fn parse_route_attr(cx: &Ctxt, tokens: TokenStream) -> Option<RouteAttr> {
    let errors_before = cx.error_count();
    let parser = |input: ParseStream| -> syn::Result<Option<RouteAttr>> {
        if input.is_empty() {
            return Err(input.error("expected a method and a path: #[cors(GET \"/orders\", policy = AppSession)]"));
        }
        if input.peek(LitStr) {
            return Err(input.error("write the method before the path, as on the wire: `GET \"/orders\"`"));
        }
        let method: Ident = input.parse()?;
        let path: LitStr = input.parse().map_err(|e| {
            syn::Error::new(e.span(), "expected the route path as a string after the method, e.g. `GET \"/orders\"`")
        })?;
        let mut route = RouteAttr { method, path, public: None, policy: None, args: PolicyArgs::default() };
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
        }
        parse_items(cx, input, ROUTE_KEYS, |key, input| match key.to_string().as_str() {
            "public" => set_flag(cx, &mut route.public, key, input),
            "policy" => set_value(cx, &mut route.policy, key, input, |input| input.parse::<Path>()),
            _ => parse_policy_arg(cx, &mut route.args, key, input),
        })?;
        Ok(Some(route))
    };
    let mut route = parser.parse2(tokens).unwrap_or_else(|e| {
        cx.syn_error(e);
        None
    })?;
    route.args.complete = cx.error_count() == errors_before;
    Some(route)
}

/// Parses `item, item, ...`; `each` handles one key it knows. Unknown keys are reported with
/// the valid ones and the nearest match, and skipped.
fn parse_items(
    cx: &Ctxt,
    input: ParseStream,
    valid: &[&str],
    mut each: impl FnMut(Ident, ParseStream) -> syn::Result<()>,
) -> syn::Result<()> {
    while !input.is_empty() {
        let key: Ident = match input.call(syn::ext::IdentExt::parse_any) {
            Ok(key) => key,
            Err(e) => {
                cx.error(e.span(), format!("expected one of the keys {}", valid.join(", ")));
                skip_value(input)?;
                eat_comma(input)?;
                continue;
            }
        };
        if valid.contains(&key.to_string().as_str()) {
            each(key, input)?;
        } else {
            cx.error(key.span(), unknown_key(&key.to_string(), valid));
            skip_value(input)?;
        }
        eat_comma(input)?;
    }
    Ok(())
}

fn eat_comma(input: ParseStream) -> syn::Result<()> {
    if !input.is_empty() {
        input.parse::<Token![,]>()?;
    }
    Ok(())
}

fn unknown_key(key: &str, valid: &[&str]) -> String {
    if let Some(hint) = misplaced_key(key, valid) {
        return hint.to_string();
    }
    let alias = ALIASES.iter().find(|(other, ours)| *other == key && valid.contains(ours)).map(|(_, ours)| ours);
    let nearest = alias
        .or_else(|| valid.iter().map(|v| (edit_distance(key, v), v)).min().filter(|(d, _)| *d <= 3).map(|(_, v)| v))
        .map(|v| format!("; did you mean `{v}`?"))
        .unwrap_or_default();
    format!("unknown key `{key}`: valid keys are {}{nearest}", valid.join(", "))
}

/// What other CORS libraries (tower-http, actix-cors, express `cors`, Spring) call our keys,
/// for names too far from ours for the edit distance to find.
const ALIASES: &[(&str, &str)] = &[
    ("allow_origin", "origins"),
    ("allowed_origins", "origins"),
    ("allow_credentials", "credentials"),
    ("supports_credentials", "credentials"),
    ("allow_headers", "headers"),
    ("allowed_headers", "headers"),
    ("allow_methods", "methods"),
    ("allowed_methods", "methods"),
    ("expose_headers", "expose"),
    ("exposed_headers", "expose"),
    ("allow_private_network", "private_network"),
];

/// A key that is valid on the other attribute: say where it belongs.
fn misplaced_key(key: &str, valid: &[&str]) -> Option<&'static str> {
    if valid.contains(&key) {
        return None;
    }
    match key {
        "methods" => Some("`methods` belongs on a named policy: a route's method is the one it is declared with"),
        "public" => Some(
            "`public` belongs on the route (`#[cors(GET \"/path\", public, policy = Name)]`); a policy that lets every website read says `origins = \"*\"`",
        ),
        "policy" => Some("`policy = ...` belongs on a route: `#[cors(GET \"/path\", policy = Name)]`; this attribute defines a policy"),
        _ => None,
    }
}

/// Levenshtein distance, for "did you mean" on misspelled keys.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

fn parse_policy_arg(cx: &Ctxt, args: &mut PolicyArgs, key: Ident, input: ParseStream) -> syn::Result<()> {
    match key.to_string().as_str() {
        "origins" => set_value(cx, &mut args.origins, key, input, |input| {
            if input.peek(syn::token::Bracket) {
                Ok(OriginsValue::List(list(input, "`origins = [\"https://app.example.com\"]`")?))
            } else if input.peek(Ident) && input.peek2(syn::token::Paren) {
                let function: Ident = input.parse()?;
                if function != "env" {
                    return Err(syn::Error::new(function.span(), ORIGINS_FORMS));
                }
                env_origins(input)
            } else if input.peek(Ident) {
                let word: Ident = input.parse()?;
                if word != "dynamic" {
                    return Err(syn::Error::new(word.span(), ORIGINS_FORMS));
                }
                Ok(OriginsValue::Dynamic(word))
            } else {
                input.parse().map(OriginsValue::One).map_err(|e| syn::Error::new(e.span(), ORIGINS_FORMS))
            }
        }),
        "credentials" => set_flag(cx, &mut args.credentials, key, input),
        "private_network" => set_flag(cx, &mut args.private_network, key, input),
        "strict" => set_flag(cx, &mut args.strict, key, input),
        "methods" => set_value(cx, &mut args.methods, key, input, |input| {
            // Methods are bare words, as in the route attribute: `GET`, not `"GET"`.
            list(input, "`methods = [GET, POST]`")
        }),
        "headers" => set_value(cx, &mut args.headers, key, input, |input| {
            list(input, "`headers = [\"authorization\", \"content-type\"]`")
        }),
        "expose" => set_value(cx, &mut args.expose, key, input, |input| list(input, "`expose = [\"etag\"]`")),
        "max_age" => set_value(cx, &mut args.max_age, key, input, |input| {
            input
                .parse::<LitInt>()
                .map_err(|e| syn::Error::new(e.span(), "expected `max_age = <seconds>`, e.g. `max_age = 600`"))
        }),
        other => unreachable!("key `{other}` is in the valid list but has no parser"),
    }
}

/// `[a, b, ...]`; anything else is reported with `example`, the form to write.
fn list<T: Parse>(input: ParseStream, example: &str) -> syn::Result<Vec<T>> {
    let expected = |span| syn::Error::new(span, format!("expected a list: {example}"));
    if !input.peek(syn::token::Bracket) {
        return Err(expected(input.span()));
    }
    let content;
    bracketed!(content in input);
    let items = Punctuated::<T, Token![,]>::parse_terminated(&content).map_err(|e| {
        // Consume the rest, or syn reports the unparsed tokens as a second error.
        let _ = content.parse::<TokenStream>();
        expected(e.span())
    })?;
    Ok(items.into_iter().collect())
}

fn duplicate(cx: &Ctxt, key: &Ident) {
    cx.error(key.span(), format!("`{key}` is given twice: each key may appear once"));
}

/// A flag such as `credentials`: no value.
fn set_flag(cx: &Ctxt, slot: &mut Option<Ident>, key: Ident, input: ParseStream) -> syn::Result<()> {
    if input.peek(Token![=]) {
        cx.error(key.span(), format!("`{key}` is a flag: write `{key}` alone, without a value"));
        return skip_value(input);
    }
    if slot.is_some() {
        duplicate(cx, &key);
    } else {
        *slot = Some(key);
    }
    Ok(())
}

/// `key = value`; a bad value is reported and skipped.
fn set_value<T>(
    cx: &Ctxt,
    slot: &mut Option<Opt<T>>,
    key: Ident,
    input: ParseStream,
    parse: impl FnOnce(ParseStream) -> syn::Result<T>,
) -> syn::Result<()> {
    if input.parse::<Option<Token![=]>>()?.is_none() {
        cx.error(key.span(), format!("`{key}` needs a value: `{key} = ...`"));
        return skip_value(input);
    }
    match parse(input) {
        Ok(_) if slot.is_some() => duplicate(cx, &key),
        Ok(value) => *slot = Some(Opt { key, value }),
        Err(e) => {
            cx.syn_error(e);
            skip_value(input)?;
        }
    }
    Ok(())
}

/// Skips tokens up to the next top-level `,`.
fn skip_value(input: ParseStream) -> syn::Result<()> {
    while !input.is_empty() && !input.peek(Token![,]) {
        input.parse::<proc_macro2::TokenTree>()?;
    }
    Ok(())
}
