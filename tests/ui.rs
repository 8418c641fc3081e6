//! The compile-time rulebook: every `tests/ui/*.rs` must fail to compile with exactly its
//! committed `.stderr`, except `pass_*.rs`, which must compile.
//! Regenerate snapshots with `TRYBUILD=overwrite cargo test --test ui`, then review the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    let mut paths: Vec<_> = std::fs::read_dir("tests/ui")
        .expect("tests/ui exists")
        .map(|entry| entry.expect("readable tests/ui entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no UI cases found");
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with("pass_") {
            cases.pass(&path);
        } else {
            cases.compile_fail(&path);
        }
    }
}
