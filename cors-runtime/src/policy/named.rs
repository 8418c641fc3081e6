//! What `#[cors_policy]` implements for its struct: the compiled policy behind a name, and the
//! two marker traits that let a route's `public` (or its absence) be checked against the policy
//! it names at compile time.

use super::compiled::Policy;
use super::method::MethodSet;

/// Implemented by `#[cors_policy]` for its struct.
pub trait NamedPolicy {
    /// The struct's name.
    const NAME: &'static str;
    /// Which route methods may use the policy; read by compile-time checks.
    const METHODS: MethodSet;
    /// The compiled policy, as a constant that the routes naming it read without a call.
    const POLICY: &'static Policy;
    /// The compiled policy: [`Self::POLICY`].
    fn policy() -> &'static Policy {
        Self::POLICY
    }
}

/// A policy that a route marked `public` may use.
#[diagnostic::on_unimplemented(
    message = "route is marked `public`, but policy `{Self}` is private (it lists origins)",
    label = "this policy allows only the origins it lists",
    note = "a public route needs a policy with `origins = \"*\"`; or remove `public` to keep the route private"
)]
pub trait PublicPolicy: NamedPolicy {}

/// A policy that a route without `public` may use.
#[diagnostic::on_unimplemented(
    message = "policy `{Self}` allows any origin (`origins = \"*\"`), so the route must say `public`",
    label = "this policy lets every website read the route",
    note = "write `#[cors(METHOD \"/path\", public, policy = {Self})]` so the permissiveness shows at the route, or use a policy that lists origins"
)]
pub trait PrivatePolicy: NamedPolicy {}
