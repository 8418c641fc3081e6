//! The route table as text: what `println!("{routes}")` shows, one row per route with
//! everything its policy allows.

use std::fmt;

use super::routes::Routes;

impl<S> fmt::Display for Routes<S> {
    /// The route table: one row per route, with everything its policy allows.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header =
            ["METHOD", "PATH", "HANDLER", "POLICY", "ACCESS", "ORIGINS", "CREDENTIALS", "HEADERS", "EXPOSE", "MAX-AGE"];
        let rows: Vec<[String; 10]> = self
            .entries()
            .iter()
            .map(|e| {
                let p = e.policy;
                let list = |items: &[&str]| if items.is_empty() { "-".to_string() } else { items.join(", ") };
                let origins = || list(&p.origins().iter().map(String::as_str).collect::<Vec<_>>());
                [
                    e.method.to_string(),
                    e.path.to_string(),
                    e.handler.to_string(),
                    p.name().to_string(),
                    if p.is_public() { "public" } else { "private" }.to_string(),
                    match (p.origins_env(), p.origins_dynamic()) {
                        // An invalid value shows its problem here too, not an empty list.
                        (Some(var), _) => match p.check() {
                            Err(e) => format!("env {var}: invalid: {}", e.problems().join("; ")),
                            Ok(()) => format!("env {var}: {}", origins()),
                        },
                        (_, Some(dynamic)) => format!("dynamic: {} origins", dynamic.len()),
                        _ => origins(),
                    },
                    if p.credentials() { "yes" } else { "no" }.to_string(),
                    list(
                        &p.any_header()
                            .then_some("*")
                            .into_iter()
                            .chain(p.headers().iter().copied())
                            .collect::<Vec<_>>(),
                    ),
                    list(p.expose()),
                    p.max_age().to_string(),
                ]
            })
            .collect();
        let mut widths = header.map(str::len);
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.len());
            }
        }
        let mut line = |cells: &mut dyn Iterator<Item = &str>| -> fmt::Result {
            let cells: Vec<String> = cells.zip(widths).map(|(c, w)| format!("{c:<w$}")).collect();
            writeln!(f, "{}", cells.join("  ").trim_end())
        };
        line(&mut header.iter().copied())?;
        for row in &rows {
            line(&mut row.iter().map(String::as_str))?;
        }
        Ok(())
    }
}
