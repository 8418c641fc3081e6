//! What doctor can find, in both modes: each kind has a stable id for CI, the field guide's
//! rule in its own words, and the fix. `findings` and `routes/` decide when each one applies.

/// Chromium caps `Access-Control-Max-Age` here (Firefox at 86400).
pub const CHROMIUM_MAX_AGE: u64 = 7200;

/// What doctor can find; each has a stable id, the field guide's rule and the fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    OriginNotAllowed,
    AllowOriginMismatch,
    CredentialsNotAllowed,
    MethodNotAllowed,
    HeaderNotAllowed,
    PreflightNotOk,
    PreflightRejectedByAuth,
    RedirectedPreflight,
    Redirect,
    WildcardWithCredentials,
    DuplicateCorsHeaders,
    MissingVaryOrigin,
    ReflectedOrigin,
    NullOriginAllowed,
    LookalikeOriginAllowed,
    HttpOriginWithCredentials,
    MaxAgeTooLong,
    WildcardListWithCredentials,
    ExposedHeaderUnreadable,
    CookieNotSentBack,
    // A refused preflight the page did not send (issue #29):
    PreflightAltered,
    // Only `--routes` compares a deployment with its table:
    RouteMissing,
    ForeignOriginAllowed,
    // Drifts a gateway in front of the service introduces (DESIGN §10.3):
    StrictNotEnforced,
    CredentialsAdded,
    PublicOriginEchoed,
    MaxAgeDiffers,
    NoAnswer,
    OriginUnknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    /// What doctor saw.
    pub seen: String,
}

impl Finding {
    /// A stable name for CI: `reflected-origin`, `missing-vary-origin`, ...
    pub fn id(&self) -> &'static str {
        self.kind.describe().0
    }

    /// The field guide's rule, in its words.
    pub fn rule(&self) -> &'static str {
        self.kind.describe().1
    }

    pub fn fix(&self) -> &'static str {
        self.kind.describe().2
    }
}

pub fn finding(kind: Kind, seen: String) -> Finding {
    Finding { kind, seen }
}

impl Kind {
    /// Id, rule and fix.
    fn describe(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Kind::OriginNotAllowed => (
                "origin-not-allowed",
                "Debugging checklist 1: What is the browser origin? 2: Which hop adds CORS headers?",
                "If this origin is a trusted frontend of the route, add it to the route's allowlist at the hop \
                 that owns CORS; if it is not, this is the policy working.",
            ),
            Kind::AllowOriginMismatch => (
                "allow-origin-mismatch",
                "Multiple trusted frontends: Reflect only allowlisted origins.",
                "Answer with the request's own origin when it is on the allowlist (and `Vary: Origin`); a fixed \
                 `Access-Control-Allow-Origin` serves one frontend only.",
            ),
            Kind::CredentialsNotAllowed => (
                "credentials-not-allowed",
                "Cookies across services: backend must send Access-Control-Allow-Credentials: true.",
                "Send `Access-Control-Allow-Credentials: true` with the exact origin, or have the page call \
                 without credentials.",
            ),
            Kind::MethodNotAllowed => (
                "method-not-allowed",
                "For preflight OPTIONS requests, you also need: Access-Control-Allow-Methods.",
                "List the method in the preflight's `Access-Control-Allow-Methods` for this route.",
            ),
            Kind::HeaderNotAllowed => (
                "header-not-allowed",
                "For preflight OPTIONS requests, you also need: Access-Control-Allow-Headers.",
                "List every header the page sends in the preflight's `Access-Control-Allow-Headers` \
                 (`Authorization` by name: `*` never covers it).",
            ),
            Kind::PreflightNotOk => (
                "preflight-not-ok",
                "Debugging checklist 3: Does OPTIONS reach the same policy layer?",
                "Answer OPTIONS for this path where the CORS policy lives: Return 204 for preflight and keep it fast.",
            ),
            Kind::PreflightRejectedByAuth => (
                "preflight-rejected-by-auth",
                "If Spring Security is in front, make sure it doesn't block OPTIONS before CORS runs. \
                 (Anti-pattern 5: Treating CORS as auth)",
                "Answer preflights before authentication: browsers never send credentials on a preflight. Put \
                 the CORS layer outermost, or let OPTIONS with Access-Control-Request-Method through the auth check.",
            ),
            Kind::RedirectedPreflight => (
                "redirected-preflight",
                "Debugging checklist 3: Does OPTIONS reach the same policy layer?",
                "Browsers never follow a redirect on a preflight: have the page call the final URL (scheme, host, \
                 trailing slash), or stop redirecting OPTIONS.",
            ),
            Kind::Redirect => (
                "redirect",
                "Debugging checklist 2: Which hop adds CORS headers?",
                "The browser follows the redirect and checks CORS again at its target: run doctor on the \
                 `Location`, or have the page call it directly.",
            ),
            Kind::WildcardWithCredentials => (
                "wildcard-with-credentials",
                "Rule #1: * and credentials do not mix.",
                "Use the exact origin instead: `Access-Control-Allow-Origin: <the origin>`, \
                 `Access-Control-Allow-Credentials: true`, `Vary: Origin`; keep `*` for public routes \
                 without credentials.",
            ),
            Kind::DuplicateCorsHeaders => (
                "duplicate-cors-headers",
                "Anti-pattern 1: Setting CORS in every layer. Pick one owner per route.",
                "Let one hop own CORS (Rule #2: centralize policy when possible) and stop the others from setting \
                 Access-Control-* headers (nginx in front: `proxy_hide_header` them).",
            ),
            Kind::MissingVaryOrigin => (
                "missing-vary-origin",
                "Anti-pattern 3: Forgetting Vary. Dynamic origin without Vary: Origin is cache poison bait.",
                "Send `Vary: Origin` on every response whose Access-Control-Allow-Origin depends on the \
                 request's Origin, merged into any `Vary` already there.",
            ),
            Kind::ReflectedOrigin => (
                "reflected-origin",
                "Don't reflect arbitrary origins blindly unless you really mean \"allow any website\".",
                "Do not turn \"multiple trusted origins\" into \"echo whatever Origin says\": check Origin \
                 against an explicit allowlist; a route meant for every website sends `*` without credentials.",
            ),
            Kind::NullOriginAllowed => (
                "null-origin-allowed",
                "Don't reflect arbitrary origins blindly unless you really mean \"allow any website\".",
                "Never allow `null`: sandboxed iframes and local files send it, so any website can.",
            ),
            Kind::LookalikeOriginAllowed => (
                "lookalike-origin-allowed",
                "Multiple trusted frontends: Reflect only allowlisted origins.",
                "Compare the whole origin exactly; a pattern must be anchored and escaped \
                 (`~^https://app\\.example\\.com$`, as the field guide's nginx map is).",
            ),
            Kind::HttpOriginWithCredentials => (
                "http-origin-with-credentials",
                "Cookies across services: cookies need SameSite=None; Secure.",
                "Trust only https origins with credentials (plain http only on loopback): a page served over \
                 http can be rewritten by anyone on its network.",
            ),
            Kind::MaxAgeTooLong => (
                "max-age-too-long",
                "Preflight behavior in distributed systems: Use something reasonable: Access-Control-Max-Age: 600.",
                "Send at most 7200 (Chromium's cap; Firefox caps at 86400); 600 is the field guide's choice.",
            ),
            Kind::WildcardListWithCredentials => (
                "wildcard-list-with-credentials",
                "Rule #1: * and credentials do not mix.",
                "With credentials, browsers read `*` in Access-Control-Allow-Methods and Access-Control-Allow-Headers \
                 as a method or header literally named `*`: list the methods and headers by name.",
            ),
            Kind::ExposedHeaderUnreadable => (
                "exposed-header-unreadable",
                "Debugging checklist 7: Are required headers exposed? (Anti-pattern 4: Your frontend can't read \
                 Link or X-Request-Id just because the server sent them.)",
                "Name the header in `Access-Control-Expose-Headers` on the actual response, at the hop that owns \
                 CORS; a gateway that rewrites CORS headers must keep it.",
            ),
            Kind::CookieNotSentBack => (
                "cookie-not-sent-back",
                "Cookies across services: cookies need SameSite=None; Secure.",
                "Set the cookie with `SameSite=None; Secure` (e.g. `Set-Cookie: sid=abc123; Path=/; HttpOnly; \
                 Secure; SameSite=None`), served over https; otherwise the browser keeps it out of cross-site \
                 requests and the credentialed call arrives without it.",
            ),
            // A refused preflight the page did not send (issue #29):
            Kind::PreflightAltered => (
                "preflight-altered",
                "Debugging checklist 2: Which hop adds CORS headers? CDN, load balancer, ingress, gateway, service? \
                 3: Does OPTIONS reach the same policy layer?",
                "A hop between the page and the CORS policy rewrites the preflight (drops or repeats `Origin`, \
                 changes `Access-Control-Request-*`): let it pass OPTIONS with its headers as the browser sent \
                 them, or move CORS in front of it.",
            ),
            Kind::RouteMissing => (
                "route-missing",
                "Debugging checklist 2: Which hop adds CORS headers? CDN, load balancer, ingress, gateway, service?",
                "Deploy the route, or route its path to the service at every hop in front of it (behind nginx: \
                 regenerate the configuration with `cors export nginx` from this table).",
            ),
            Kind::ForeignOriginAllowed => (
                "foreign-origin-allowed",
                "Anti-pattern 2: Allowing every origin for internal APIs. If an API is only meant for your app, \
                 say so explicitly.",
                "Answer only the table's origins: find the hop that lets other origins in (a reflecting gateway, a \
                 `*` in front of a private route) and leave CORS to one owner (Rule #2).",
            ),
            Kind::StrictNotEnforced => (
                "strict-not-enforced",
                "Anti-pattern 2: Allowing every origin for internal APIs. If an API is only meant for your app, \
                 say so explicitly.",
                "A `strict` route refuses other origins with 403 before its handler runs: let the route's policy \
                 answer (behind a gateway, regenerate it with `cors export` from this table) instead of a hop \
                 that only drops the CORS headers.",
            ),
            Kind::CredentialsAdded => (
                "credentials-added",
                "Rule #2: centralize policy when possible. Anti-pattern 1: Setting CORS in every layer.",
                "The route does not take credentials: find the hop that adds `Access-Control-Allow-Credentials` \
                 and leave CORS to one owner, or declare `credentials` in the code so the table says it.",
            ),
            Kind::PublicOriginEchoed => (
                "public-origin-echoed",
                "Multiple trusted frontends: Do not turn \"multiple trusted origins\" into \"echo whatever \
                 Origin says\".",
                "A public route answers `Access-Control-Allow-Origin: *`: find the hop that echoes the request's \
                 origin (with credentials that lets any website read answers with its visitors' cookies) and \
                 leave CORS to one owner.",
            ),
            Kind::MaxAgeDiffers => (
                "max-age-differs",
                "Preflight behavior in distributed systems: That's why Access-Control-Max-Age matters.",
                "Let the route's policy answer its preflights, or change `max_age` in the code so the table says \
                 what is deployed.",
            ),
            Kind::NoAnswer => (
                "no-answer",
                "Debugging checklist 2: Which hop adds CORS headers? CDN, load balancer, ingress, gateway, service?",
                "Find the hop that holds the request (a firewall, a hung upstream, a gateway timeout longer than \
                 `--timeout`); the browser sees a network error.",
            ),
            Kind::OriginUnknown => (
                "origin-unknown",
                "Debugging checklist 1: What is the browser origin?",
                "Name the frontend's origin with `--origin`: `env` and `dynamic` routes take their origins from \
                 the deployment, and this table lists none for the route.",
            ),
        }
    }
}
