//! The exit codes of `cors doctor`, in both modes (DESIGN §8.3, §9.3).

/// A browser on the origin can make the call (every route, with `--routes`) and nothing was found.
pub const WORKS: u8 = 0;
/// A browser would block the call (on some route, with `--routes`).
pub const BLOCKED: u8 = 1;
/// Bad arguments, an unreadable table, an unreachable server.
pub const USAGE_OR_NETWORK: u8 = 2;
/// Everything works, but something was found.
pub const WORKS_WITH_FINDINGS: u8 = 3;

/// The exit code of a report: blocked wins, then findings.
pub fn code(blocked: bool, found: bool) -> u8 {
    match (blocked, found) {
        (true, _) => BLOCKED,
        (false, false) => WORKS,
        (false, true) => WORKS_WITH_FINDINGS,
    }
}

/// What each exit code means, as the report's last line says it.
pub fn summary(code: u8) -> &'static str {
    match code {
        WORKS => "a browser on the origin can make the call and read the answer; nothing found",
        BLOCKED => "the browser blocks the call",
        _ => "the call works, but something was found",
    }
}
