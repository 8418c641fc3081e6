//! Start-up checks of what a policy reads at deployment: [`ConfigError`] lists every problem
//! found, in the same words as the compile-time rules.

use std::fmt;

/// Every problem of the deploy-time configuration of one or more policies, one line each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    problems: Vec<String>,
}

impl ConfigError {
    pub(crate) fn new(problems: Vec<String>) -> ConfigError {
        ConfigError { problems }
    }

    /// Each problem, as its line of the `Display` text.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    /// All problems of `results`, in order, as one error; `Ok` when there are none. Policies
    /// that read one variable find the same problems: each is said once.
    pub(crate) fn combine(results: impl IntoIterator<Item = Result<(), ConfigError>>) -> Result<(), ConfigError> {
        let mut problems: Vec<String> = Vec::new();
        for problem in results.into_iter().filter_map(Result::err).flat_map(|e| e.problems) {
            if !problems.contains(&problem) {
                problems.push(problem);
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError::new(problems))
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problems.join("\n"))
    }
}

impl std::error::Error for ConfigError {}
