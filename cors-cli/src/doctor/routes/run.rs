//! Every route's two attempts, the page on the allowed origin and a foreign page, sent with a
//! bounded number of exchanges in flight (the client's), in table order as far as the bound
//! allows. With more than 20 routes and stderr on a terminal, a progress line counts them.

use std::io::IsTerminal;

use tokio::task::JoinSet;

use super::plan::RoutePlan;
use crate::doctor::exchange::Client;
use crate::doctor::probes::{self, Attempt, Sender, Verdict};

/// Exchanges in flight at once: enough to check 200 routes in a few seconds, few enough that a
/// small deployment (or a rate limit in front of it) does not see doctor as a burst.
pub const IN_FLIGHT: usize = 8;

/// Above this many routes, a terminal shows progress.
const PROGRESS_ABOVE: usize = 20;

/// A route and what browsers got from it.
#[derive(Debug, Clone)]
pub struct Checked {
    pub plan: RoutePlan,
    /// The page on the allowed origin; `None` when no allowed origin is known.
    pub page: Option<Attempt>,
    pub foreign: Attempt,
}

pub async fn run(plans: Vec<RoutePlan>, client: &Client) -> Result<Vec<Checked>, String> {
    let total = plans.len();
    let progress = total > PROGRESS_ABOVE && std::io::stderr().is_terminal();
    let mut tasks = JoinSet::new();
    for (index, plan) in plans.into_iter().enumerate() {
        let client = client.clone();
        tasks.spawn(async move {
            let page = async {
                match plan.allowed {
                    Ok(_) => Some(attempt(&plan, &client, Sender::Page, &plan.call.origin).await),
                    Err(_) => None,
                }
            };
            let foreign = attempt(&plan, &client, Sender::Foreign, &plan.foreign);
            let (page, foreign) = tokio::join!(page, foreign);
            (index, Checked { plan, page, foreign })
        });
    }
    let mut checked: Vec<Option<Checked>> = vec![None; total];
    let mut done = 0;
    while let Some(joined) = tasks.join_next().await {
        let (index, route) = joined.map_err(|e| format!("a route's check crashed: {e}"))?;
        checked[index] = Some(route);
        done += 1;
        if progress {
            eprint!("\rcors doctor: {done} of {total} routes checked");
        }
    }
    if progress {
        eprintln!();
    }
    Ok(checked.into_iter().map(|route| route.expect("every route was checked")).collect())
}

/// One origin's try; an exchange without an answer is the attempt's verdict, not an error.
async fn attempt(plan: &RoutePlan, client: &Client, sender: Sender, origin: &str) -> Attempt {
    let origin = origin.to_string();
    match probes::attempt(&plan.call, client, sender, origin.clone()).await {
        Ok(attempt) => attempt,
        Err(error) => Attempt { sender, origin, preflight: None, actual: None, verdict: Verdict::NoAnswer(error) },
    }
}
