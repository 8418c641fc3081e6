//! Route paths in axum 0.8 syntax: `/orders/{id}/{*rest}`.

/// Checks a route path as written in `#[cors(METHOD "PATH")]`.
pub fn check_path(path: &str) -> Result<(), String> {
    if !path.starts_with('/') {
        return Err(format!("path `{path}` must start with `/`: write `/{path}`"));
    }
    let segments: Vec<&str> = path[1..].split('/').collect();
    if let Some(old) = segments.iter().find(|s| s.starts_with(':') || s.starts_with('*')) {
        let kind = if old.starts_with(':') { "capture" } else { "wildcard" };
        return Err(format!(
            "`{old}` is axum 0.7 {kind} syntax, which axum 0.8 rejects: write captures in braces, `{}`",
            axum_08_path(&segments)
        ));
    }
    for (i, segment) in segments.iter().enumerate() {
        check_braces(path, segment)?;
        if segment.starts_with("{*") && i + 1 != segments.len() {
            return Err(format!("wildcard `{segment}` must be the last segment of path `{path}`"));
        }
    }
    Ok(())
}

/// The path with axum 0.7 `:id` and `*rest` segments rewritten as `{id}` and `{*rest}`.
fn axum_08_path(segments: &[&str]) -> String {
    let rewrite = |segment: &&str| match segment.strip_prefix(':') {
        Some(name) => format!("/{{{name}}}"),
        None if segment.starts_with('*') => format!("/{{{segment}}}"),
        None => format!("/{segment}"),
    };
    segments.iter().map(rewrite).collect()
}

fn check_braces(path: &str, segment: &str) -> Result<(), String> {
    // `{{` and `}}` are literal braces in axum 0.8 paths.
    let unescaped = segment.replace("{{", "").replace("}}", "");
    let mut depth = 0usize;
    let mut capture = String::new();
    for c in unescaped.chars() {
        match c {
            '{' if depth == 0 => depth = 1,
            '}' if depth == 1 => {
                let name = capture.strip_prefix('*').unwrap_or(&capture);
                if name.is_empty() {
                    return Err(format!("path `{path}` has an empty capture `{{{capture}}}`: name it, e.g. `{{id}}`"));
                }
                depth = 0;
                capture.clear();
            }
            '{' | '}' => return Err(unbalanced(path, segment)),
            _ if depth == 1 => capture.push(c),
            _ => {}
        }
    }
    if depth != 0 {
        return Err(unbalanced(path, segment));
    }
    Ok(())
}

fn unbalanced(path: &str, segment: &str) -> String {
    format!("path `{path}` has unbalanced braces in `{segment}`: write a capture as `{{id}}`, a literal brace as `{{{{` or `}}}}`")
}

/// The path with capture names erased, so `/a/{id}` and `/a/{key}` compare equal: axum cannot
/// route both, whatever their names.
pub fn path_shape(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    let mut in_capture = false;
    for c in path.chars() {
        match c {
            '{' if !in_capture => {
                in_capture = true;
                shape.push('{');
            }
            '}' if in_capture => {
                in_capture = false;
                shape.push('}');
            }
            '*' if in_capture && shape.ends_with('{') => shape.push('*'),
            _ if in_capture => {}
            _ => shape.push(c),
        }
    }
    shape
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(check_path("/orders/{id}/{*rest}"), Ok(()));
        assert_eq!(check_path("/"), Ok(()));
        assert_eq!(check_path("/a/{{literal}}"), Ok(()));
        assert!(check_path("orders").unwrap_err().contains("must start with `/`"));
        assert_eq!(
            check_path("/orders/:id/items/:item").unwrap_err(),
            "`:id` is axum 0.7 capture syntax, which axum 0.8 rejects: write captures in braces, `/orders/{id}/items/{item}`"
        );
        assert_eq!(
            check_path("/files/*rest").unwrap_err(),
            "`*rest` is axum 0.7 wildcard syntax, which axum 0.8 rejects: write captures in braces, `/files/{*rest}`"
        );
        assert!(check_path("/a/{id").unwrap_err().contains("unbalanced"));
        assert!(check_path("/a/id}").unwrap_err().contains("unbalanced"));
        assert!(check_path("/a/{}").unwrap_err().contains("empty capture"));
        assert!(check_path("/a/{*rest}/b").unwrap_err().contains("last segment"));
        assert_eq!(path_shape("/a/{id}/{*rest}"), "/a/{}/{*}");
    }
}
