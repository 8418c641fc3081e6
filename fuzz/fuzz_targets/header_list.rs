//! `Access-Control-Request-Headers` parsing: any bytes give elements or `Malformed`, never a
//! panic, and every element handed back is a trimmed, non-empty token from the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|value: &[u8]| {
    let mut total = 0;
    for element in cors_rules::header_list(value) {
        let Ok(name) = element else { return };
        assert!(cors_rules::is_token(name));
        assert_eq!(name.trim_ascii(), name);
        total += name.len();
    }
    assert!(total <= value.len());
});
