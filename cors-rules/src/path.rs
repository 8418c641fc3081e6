//! Route paths in axum 0.8 syntax: `/orders/{id}/{*rest}`.

/// Checks a route path as written in `#[cors(METHOD "PATH")]`.
pub fn check_path(path: &str) -> Result<(), String> {
    if !path.starts_with('/') {
        return Err(format!("path `{path}` must start with `/`: write `/{path}`"));
    }
    let segments: Vec<&str> = path[1..].split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        if let Some(name) = segment.strip_prefix(':') {
            return Err(format!(
                "`{segment}` is axum 0.7 capture syntax: axum 0.8 writes captures as `{{{name}}}`"
            ));
        }
        if let Some(name) = segment.strip_prefix('*') {
            return Err(format!(
                "`{segment}` is axum 0.7 wildcard syntax: axum 0.8 writes it as `{{*{name}}}`"
            ));
        }
        check_braces(path, segment)?;
        if segment.starts_with("{*") && i + 1 != segments.len() {
            return Err(format!(
                "wildcard `{segment}` must be the last segment of path `{path}`"
            ));
        }
    }
    Ok(())
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
            '{' | '}' => {
                return Err(format!("path `{path}` has unbalanced braces in `{segment}`"))
            }
            _ if depth == 1 => capture.push(c),
            _ => {}
        }
    }
    if depth != 0 {
        return Err(format!("path `{path}` has unbalanced braces in `{segment}`"));
    }
    Ok(())
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
        assert!(check_path("/orders/:id").unwrap_err().contains("`{id}`"));
        assert!(check_path("/files/*rest").unwrap_err().contains("`{*rest}`"));
        assert!(check_path("/a/{id").unwrap_err().contains("unbalanced"));
        assert!(check_path("/a/id}").unwrap_err().contains("unbalanced"));
        assert!(check_path("/a/{}").unwrap_err().contains("empty capture"));
        assert!(check_path("/a/{*rest}/b").unwrap_err().contains("last segment"));
        assert_eq!(path_shape("/a/{id}/{*rest}"), "/a/{}/{*}");
    }
}
