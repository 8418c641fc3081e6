//! The layout holds (DESIGN §9.2, docs/layout.md): no source file over 500 lines, no import
//! circle between the files of a crate, and the runtime's rooms import one way only:
//! serve → answer → policy.
//!
//! Imports are read from the source: every `use` at the start of a line (brace groups
//! expanded; a relative path names a child module) and every `crate::` path inline, resolved
//! through the module tree that `mod` declarations build from the crate root. Indented `use`s
//! and inline `super::` paths are left out, since they may sit in an inline module, and so is a
//! `#[cfg(test)]` module at the end of a file: a file's own tests may read it as they like.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 500;

/// The workspace's crates, by the root file of their module tree.
const CRATE_ROOTS: [&str; 7] = [
    "cors-rules/src/lib.rs",
    "cors-postgres/src/lib.rs",
    "cors-runtime/src/lib.rs",
    "cors-browser/src/lib.rs",
    "cors-macros/src/lib.rs",
    "cors-cli/src/main.rs",
    "bench/src/lib.rs",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn no_source_file_is_over_500_lines() {
    let mut long = Vec::new();
    for file in rust_files(&root()) {
        let text = fs::read_to_string(&file).unwrap();
        // Data written by a generator (its first line says so) is not read as code.
        if text.lines().next().is_some_and(|first| first.contains("@generated")) {
            continue;
        }
        let lines = text.lines().count();
        if lines > MAX_LINES {
            long.push(format!("{} has {lines} lines", file.strip_prefix(root()).unwrap().display()));
        }
    }
    assert!(long.is_empty(), "split these files by concern (at most {MAX_LINES} lines each):\n{}", long.join("\n"));
}

#[test]
fn no_crate_has_an_import_circle_between_its_files() {
    for crate_root in CRATE_ROOTS {
        let graph = ImportGraph::read(&root().join(crate_root));
        if let Some(circle) = graph.circle() {
            panic!("{crate_root}: import circle {}", circle.join(" → "));
        }
    }
}

#[test]
fn the_runtime_rooms_import_one_way() {
    let graph = ImportGraph::read(&root().join("cors-runtime/src/lib.rs"));
    let rank = |file: &str| ["policy/", "answer/", "serve/"].iter().position(|room| file.starts_with(room));
    let mut wrong = Vec::new();
    for (from, targets) in &graph.edges {
        for to in targets {
            if let (Some(a), Some(b)) = (rank(from), rank(to)) {
                if a < b {
                    wrong.push(format!("{from} imports {to}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "serve → answer → policy, never back:\n{}", wrong.join("\n"));
    assert!(graph.edges.len() >= 15, "the graph was read: {:?}", graph.edges.keys());
}

/// Every `.rs` file of the repository outside build output and version control.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy();
        if path.is_dir() {
            if !matches!(&*name, "target" | ".git") && !name.starts_with("target-") {
                files.extend(rust_files(&path));
            }
        } else if name.ends_with(".rs") {
            files.push(path);
        }
    }
    files
}

/// Which files of one crate import which, by path relative to the crate's `src/`.
struct ImportGraph {
    edges: BTreeMap<String, BTreeSet<String>>,
}

impl ImportGraph {
    fn read(crate_root: &Path) -> ImportGraph {
        let src = crate_root.parent().unwrap().to_path_buf();
        let mut modules = BTreeMap::new();
        collect_modules(&src, crate_root, Vec::new(), &mut modules);
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (module, file) in &modules {
            let code = without_trailing_tests(&fs::read_to_string(file).unwrap());
            let from = relative(&src, file);
            for path in paths_in(&code) {
                let Some(absolute) = absolute(module, &path) else { continue };
                let Some(target) = resolve(&modules, &absolute) else { continue };
                let to = relative(&src, target);
                if to != from {
                    edges.entry(from.clone()).or_default().insert(to);
                }
            }
        }
        ImportGraph { edges }
    }

    /// One circle, as the files along it, if there is any.
    fn circle(&self) -> Option<Vec<String>> {
        fn visit<'a>(
            graph: &'a BTreeMap<String, BTreeSet<String>>,
            file: &'a str,
            stack: &mut Vec<&'a str>,
            done: &mut BTreeSet<&'a str>,
        ) -> Option<Vec<String>> {
            if let Some(at) = stack.iter().position(|f| *f == file) {
                let mut circle: Vec<String> = stack[at..].iter().map(|f| f.to_string()).collect();
                circle.push(file.to_string());
                return Some(circle);
            }
            if !done.insert(file) {
                return None;
            }
            stack.push(file);
            for next in graph.get(file).into_iter().flatten() {
                if let Some(circle) = visit(graph, next, stack, done) {
                    return Some(circle);
                }
            }
            stack.pop();
            None
        }
        let mut done = BTreeSet::new();
        self.edges.keys().find_map(|file| visit(&self.edges, file, &mut Vec::new(), &mut done))
    }
}

/// The module tree under `file` (module path → file), following `mod name;` and `#[path]`.
fn collect_modules(dir: &Path, file: &Path, module: Vec<String>, modules: &mut BTreeMap<Vec<String>, PathBuf>) {
    modules.insert(module.clone(), file.to_path_buf());
    let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    // Children of `a.rs` live in `a/`, of `a/mod.rs` and `lib.rs` beside it.
    let stem = file.file_stem().unwrap().to_string_lossy();
    let children = if matches!(&*stem, "mod" | "lib" | "main") { dir.to_path_buf() } else { dir.join(&*stem) };
    let mut explicit_path = None;
    for line in text.lines().map(str::trim) {
        if let Some(path) = line.strip_prefix("#[path = \"").and_then(|rest| rest.strip_suffix("\"]")) {
            explicit_path = Some(path.to_string());
            continue;
        }
        let declaration = line.trim_start_matches("pub ").trim_start_matches("pub(crate) ");
        let name = declaration.strip_prefix("mod ").and_then(|rest| rest.strip_suffix(';'));
        let Some(name) = name.filter(|n| n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')) else {
            if !line.starts_with("#[") {
                explicit_path = None;
            }
            continue;
        };
        let child = match explicit_path.take() {
            Some(path) => dir.join(path),
            None if children.join(format!("{name}.rs")).exists() => children.join(format!("{name}.rs")),
            None => children.join(name).join("mod.rs"),
        };
        let child_dir = child.parent().unwrap().to_path_buf();
        let mut path = module.clone();
        path.push(name.to_string());
        collect_modules(&child_dir, &child, path, modules);
    }
}

/// The file's code up to a `#[cfg(test)]` module that closes it.
fn without_trailing_tests(text: &str) -> String {
    let code: Vec<&str> = text.lines().filter(|line| !line.trim_start().starts_with("//")).collect();
    let end = code
        .windows(2)
        .position(|pair| pair[0].trim() == "#[cfg(test)]" && pair[1].starts_with("mod tests"))
        .unwrap_or(code.len());
    code[..end].join("\n")
}

/// The paths `code` imports (see the module's doc), with `use` brace groups expanded.
fn paths_in(code: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !code.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let starts_word =
            i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] == b':');
        let rest = &code[i..];
        let before = &code[code[..i].rfind('\n').map_or(0, |n| n + 1)..i];
        let line_start = matches!(before, "" | "pub " | "pub(crate) " | "pub(super) ");
        if starts_word && line_start && rest.starts_with("use ") {
            // `use child::Item` in a module names its child relative to itself.
            let path = rest["use ".len()..].trim_start();
            let (found, used) = path_tree(path);
            let relative = !["crate::", "super::", "self::", "::"].iter().any(|p| path.starts_with(p));
            paths.extend(found.into_iter().map(|p| if relative { [vec!["self".to_string()], p].concat() } else { p }));
            i += rest.len() - path.len() + used.max(1);
        } else if starts_word && rest.starts_with("crate::") {
            let (found, used) = path_tree(rest);
            paths.extend(found);
            i += used.max(1);
        } else {
            i += 1;
        }
    }
    paths
}

/// The paths one path expression stands for (`a::{b, c::d}` → `a::b`, `a::c::d`), and the
/// bytes it took.
fn path_tree(text: &str) -> (Vec<Vec<String>>, usize) {
    let mut prefix = Vec::new();
    let mut i = 0;
    let bytes = text.as_bytes();
    loop {
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        if i > start {
            prefix.push(text[start..i].to_string());
        }
        if text[i..].starts_with("::{") {
            i += 3;
            let mut paths = Vec::new();
            loop {
                while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b',') {
                    i += 1;
                }
                if i >= bytes.len() || bytes[i] == b'}' || !text.is_char_boundary(i) {
                    return (paths, i + 1);
                }
                let (inner, used) = path_tree(&text[i..]);
                paths.extend(inner.into_iter().map(|tail| [prefix.clone(), tail].concat()));
                i += used.max(1);
            }
        }
        if text[i..].starts_with("::") {
            i += 2;
            continue;
        }
        return (vec![prefix], i);
    }
}

/// `path` as written in module `module`, from the crate root.
fn absolute(module: &[String], path: &[String]) -> Option<Vec<String>> {
    let mut at: Vec<String> = module.to_vec();
    let mut segments = path.iter().peekable();
    match segments.next()?.as_str() {
        "crate" => at.clear(),
        "self" => {}
        "super" => {
            at.pop()?;
            while segments.peek().is_some_and(|s| *s == "super") {
                segments.next();
                at.pop()?;
            }
        }
        _ => return None,
    }
    at.extend(segments.filter(|s| *s != "self").cloned());
    Some(at)
}

/// The file of the deepest module on `path`.
fn resolve<'a>(modules: &'a BTreeMap<Vec<String>, PathBuf>, path: &[String]) -> Option<&'a PathBuf> {
    (0..=path.len()).rev().find_map(|n| modules.get(&path[..n]))
}

fn relative(src: &Path, file: &Path) -> String {
    file.strip_prefix(src).unwrap().to_string_lossy().into_owned()
}
