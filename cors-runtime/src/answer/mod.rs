//! The answer: what CORS headers a request gets from a policy. A preflight is answered here in
//! full (`204` with the prebuilt header set, or `403` with a one-line reason); an actual request
//! is admitted before its handler runs and its response gets the policy's headers after; `Vary`
//! is merged into whatever the response already says; every refusal is logged
//! (`decision_log`).
//!
//! This room imports the policy room and nothing that routes: it answers for one policy, and
//! the serving room decides which policy a request belongs to.

pub(crate) mod actual;
mod decision_log;
pub(crate) mod preflight;
mod values;
mod vary;
