//! A run-time allowlist (`origins = dynamic`) driven by arbitrary operations, against a model.
//! Input: `\n`-separated lines whose first byte picks the operation (insert, remove, check, or
//! a request origin) and whose rest is its argument. Whatever arrives: no panic; an entry is
//! accepted exactly as written (never rewritten) and only if the rules accept it; `check`
//! agrees with `insert`; and an origin is allowed exactly when the model's entries allow it.
#![no_main]

use std::collections::BTreeSet;

use cors_rules::{parse_origin, pattern_matches, OriginEntry};
use cors_runtime::{cors_policy, NamedPolicy};
use http::HeaderValue;
use libfuzzer_sys::fuzz_target;

#[cors_policy(origins = dynamic, credentials)]
pub struct Tenants;

/// What the model allows: an exact entry equal to the origin, or a pattern matching it.
fn model_allows(model: &BTreeSet<String>, origin: &[u8]) -> bool {
    model.iter().any(|entry| match parse_origin(entry) {
        Ok(OriginEntry::Exact(exact)) => exact.as_bytes() == origin,
        Ok(OriginEntry::Pattern(p)) => pattern_matches(origin, p.prefix.as_bytes(), p.suffix.as_bytes()),
        _ => unreachable!("the model holds accepted entries only"),
    })
}

fuzz_target!(|input: &[u8]| {
    let origins = Tenants::origins();
    origins.replace(Vec::<String>::new()).unwrap();
    let mut model = BTreeSet::new();
    for line in input.split(|&b| b == b'\n') {
        let Some((&op, argument)) = line.split_first() else { continue };
        let text = String::from_utf8_lossy(argument);
        match op % 4 {
            0 => {
                let checked = origins.check(&text).is_ok();
                match origins.insert(&text) {
                    Ok(added) => {
                        assert!(checked, "{text:?}: check refused what insert took");
                        assert!(matches!(parse_origin(&text), Ok(OriginEntry::Exact(_) | OriginEntry::Pattern(_))));
                        assert_eq!(added, model.insert(text.to_string()), "{text:?}");
                    }
                    Err(error) => {
                        assert!(!checked, "{text:?}: check took what insert refused");
                        assert!(!error.problems().is_empty());
                    }
                }
            }
            1 => assert_eq!(origins.remove(&text), model.remove(text.as_ref()), "{text:?}"),
            2 => assert_eq!(origins.list(), model.iter().cloned().collect::<Vec<_>>()),
            _ => {
                let Ok(origin) = HeaderValue::from_bytes(argument) else { continue };
                let allowed = Tenants::policy().allow_origin(&origin);
                assert_eq!(allowed.is_some(), model_allows(&model, argument), "{text:?}");
                // An allowed origin is answered with itself, byte for byte.
                assert!(allowed.is_none_or(|value| value.as_bytes() == argument));
            }
        }
        assert_eq!(origins.len(), model.len());
    }
});
