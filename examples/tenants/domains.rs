//! The tenants' domains, kept in two places that must agree: the database (what survives a
//! restart) and the policy's list in force (what requests are judged by). Every change goes to
//! the database first, then to the list, one change at a time, so the two never disagree for
//! longer than one change takes, and a change the rules refuse reaches neither.
//!
//! With PostgreSQL the table has other writers too (the other replicas, `psql`, migrations):
//! `cors-postgres` keeps the list equal to it, and a change made here is also put in force here
//! at once, so the replica that answered `201` allows the domain's next preflight without
//! waiting for the notification.

use cors_postgres::{OriginsSync, SyncStatus};
use cors_runtime::{ConfigError, DynamicOrigins};
use tokio::sync::Mutex;

use super::store::{Domain, Store, StoreError, Stored};

/// The database and the list in force, changed together.
#[derive(Debug)]
pub struct Domains {
    store: Store,
    origins: &'static DynamicOrigins,
    /// Held for a whole change (database, then list), so two admins' changes to one domain land
    /// in the same order in both.
    changing: Mutex<()>,
    /// Follows the shared table (PostgreSQL only); dropped with the service.
    sync: Option<OriginsSync>,
}

/// What adding a domain did.
#[derive(Debug, PartialEq, Eq)]
pub enum Added {
    /// Stored and in force.
    New,
    /// The tenant had it already; nothing changed.
    AlreadyThere,
    /// Another tenant owns it; nothing changed.
    OwnedBy(String),
}

/// Why a domain was not added.
#[derive(Debug)]
pub enum AddError {
    /// The tenant id or the origin breaks a rule: one line each, naming the entry, the rule
    /// and the fix. Nothing was stored.
    Refused(Vec<String>),
    /// The database failed.
    Store(StoreError),
}

impl From<StoreError> for AddError {
    fn from(e: StoreError) -> AddError {
        AddError::Store(e)
    }
}

/// Why the stored domains could not be put in force at start-up.
#[derive(Debug)]
pub enum LoadError {
    Store(StoreError),
    /// Stored rows the rules refuse (written by hand, or under older rules): one line each,
    /// naming the row. Nothing was put in force.
    Refused(Vec<String>),
}

impl Domains {
    /// Puts every stored domain in force with one `replace`: all of them, or, when a row breaks
    /// a rule, none (every bad row is named). The SQLite file has one process, and one writer.
    pub async fn load(store: Store, origins: &'static DynamicOrigins) -> Result<Domains, LoadError> {
        let rows = store.all().await.map_err(LoadError::Store)?;
        let refused: Vec<String> = rows
            .iter()
            .filter_map(|row| origins.check(&row.origin).err().map(|e| (row, e)))
            .flat_map(|(row, e)| {
                e.problems()
                    .iter()
                    .map(|problem| format!("tenant `{}`, origin `{}`: {problem}", row.tenant, row.origin))
                    .collect::<Vec<_>>()
            })
            .collect();
        if !refused.is_empty() {
            return Err(LoadError::Refused(refused));
        }
        // Each row passed on its own; `replace` also checks them together (duplicates).
        origins.replace(rows.iter().map(|row| row.origin.as_str())).map_err(|e| LoadError::Refused(lines(&e)))?;
        Ok(Domains { store, origins, changing: Mutex::new(()), sync: None })
    }

    /// The shared table, whose list `sync` keeps in force (a row the rules refuse is left out
    /// and reported there, and the others stay in force).
    pub fn followed(store: Store, origins: &'static DynamicOrigins, sync: OriginsSync) -> Domains {
        Domains { store, origins, changing: Mutex::new(()), sync: Some(sync) }
    }

    /// Stores `origin` for `tenant`, then puts it in force. A tenant id or origin that breaks a
    /// rule is refused before anything is stored.
    pub async fn add(&self, tenant: &str, origin: &str) -> Result<Added, AddError> {
        let mut problems: Vec<String> = check_tenant(tenant).err().into_iter().collect();
        if let Err(e) = self.origins.check(origin) {
            problems.extend(lines(&e));
        }
        if !problems.is_empty() {
            return Err(AddError::Refused(problems));
        }
        let _one_at_a_time = self.changing.lock().await;
        match self.store.add(tenant, origin).await? {
            Stored::AlreadyThere => Ok(Added::AlreadyThere),
            Stored::OwnedBy(owner) => Ok(Added::OwnedBy(owner)),
            Stored::Added => match self.origins.insert(origin) {
                Ok(_) => Ok(Added::New),
                // `check` passed with the same rules, so this is not expected; if it happens,
                // the row goes too, so that the database holds only what is in force.
                Err(e) => {
                    self.store.remove(origin).await?;
                    Err(AddError::Refused(lines(&e)))
                }
            },
        }
    }

    /// Deletes `origin` from the database, then from the list in force; the tenant that owned
    /// it, if one did.
    pub async fn remove(&self, origin: &str) -> Result<Option<String>, StoreError> {
        let _one_at_a_time = self.changing.lock().await;
        let owner = self.store.remove(origin).await?;
        if owner.is_some() {
            self.origins.remove(origin);
        }
        Ok(owner)
    }

    /// Every stored domain.
    pub async fn stored(&self) -> Result<Vec<Domain>, StoreError> {
        self.store.all().await
    }

    /// The origins in force, sorted.
    pub fn in_force(&self) -> Vec<String> {
        self.origins.list()
    }

    /// How the list follows the shared table: `None` for the SQLite file, which only this
    /// process writes (and whose refused rows stop it at start-up instead).
    pub fn sync_status(&self) -> Option<SyncStatus> {
        self.sync.as_ref().map(OriginsSync::status)
    }
}

fn lines(e: &ConfigError) -> Vec<String> {
    e.problems().to_vec()
}

/// A tenant id as the service uses it in URLs and logs: 1 to 63 lowercase ASCII letters,
/// digits and `-`, not starting or ending with `-`.
fn check_tenant(tenant: &str) -> Result<(), String> {
    let fine = (1..=63).contains(&tenant.len())
        && tenant.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !tenant.starts_with('-')
        && !tenant.ends_with('-');
    if fine {
        return Ok(());
    }
    let suggestion: String = tenant
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let example = if suggestion.is_empty() || suggestion.len() > 63 { "acme".to_owned() } else { suggestion };
    Err(format!(
        "tenant `{tenant}` is not a tenant id: write 1 to 63 lowercase letters, digits and `-`, e.g. `{example}`"
    ))
}
