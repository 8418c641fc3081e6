//! `OriginsSync`: the first full load at start-up, then a background task that applies the
//! table's notified changes, reconciles the version periodically, and reconnects with a capped
//! backoff, loading the whole table again on every (re)connection (NOTIFY is never replayed) and
//! whenever the notified versions have a gap.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::SystemTime;

use cors_runtime::DynamicOrigins;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::task::JoinHandle;
use tokio::time::{sleep, Instant};
use tokio_postgres::Config;

use crate::change::{Change, ChangeKind};
use crate::error::{target, StartError};
use crate::load::{listen, load, version, Event, Listening};
use crate::options::SyncOptions;
use crate::rows::Rows;
use crate::status::{RefusedRow, Shared, SyncStatus};
use crate::table::OriginsTable;
use crate::tls::Tls;

/// The `application_name` of the sync's connection, unless the connection string sets one: how
/// an operator finds it in `pg_stat_activity`.
pub const APPLICATION_NAME: &str = "cors-postgres";

/// Keeps one `origins = dynamic` list equal to the valid rows of one table. Dropping it stops the
/// background task; the list in force stays as it was.
#[derive(Debug)]
pub struct OriginsSync {
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl OriginsSync {
    /// [`start_with`](OriginsSync::start_with) the default options.
    pub async fn start(
        conninfo: &str,
        table: OriginsTable,
        origins: &'static DynamicOrigins,
    ) -> Result<OriginsSync, StartError> {
        OriginsSync::start_with(conninfo, table, origins, SyncOptions::default()).await
    }

    /// Connects (`conninfo`: a libpq `key=value` string or a `postgres://` URL, to the server
    /// itself or a session-mode pooler: LISTEN does not survive transaction pooling), checks the
    /// table and its trigger, LISTENs, loads every row, and returns once the list is in force.
    /// Must run inside a tokio runtime, which then runs the background task.
    pub async fn start_with(
        conninfo: &str,
        table: OriginsTable,
        origins: &'static DynamicOrigins,
        options: SyncOptions,
    ) -> Result<OriginsSync, StartError> {
        let mut config: Config = conninfo.parse().map_err(|e| StartError::conninfo(e, conninfo))?;
        if config.get_application_name().is_none() {
            config.application_name(APPLICATION_NAME);
        }
        let fail = |cause: String| StartError::new(&config, cause);
        let tls = Tls::for_config(&config, &options.tls_roots).map_err(fail)?;
        let mut listening = listen(&config, &tls, &table).await.map_err(|e| fail(format!("cannot connect: {e}")))?;
        prepare(&listening, &table, &options).await.map_err(fail)?;
        let loaded =
            load(&mut listening.client, &table, origins).await.map_err(|e| fail(format!("cannot load: {e}")))?;
        let shared = Arc::new(Shared::new());
        let loaded_version = loaded.version;
        let mut follower = Follower {
            config,
            tls,
            table,
            origins,
            options,
            shared: Arc::clone(&shared),
            rows: loaded.rows,
            reported: BTreeSet::new(),
        };
        follower.in_force(Source::Load);
        let task = tokio::spawn(follower.run(listening, loaded_version));
        Ok(OriginsSync { shared, task })
    }

    /// Whether it follows the table, when it last loaded, since when the list is stale, and the
    /// rows the rules refused.
    pub fn status(&self) -> SyncStatus {
        self.shared.snapshot()
    }
}

impl Drop for OriginsSync {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Start-up's checks: the table and column exist, and so does the trigger (installed here when
/// missing and allowed).
async fn prepare(listening: &Listening, table: &OriginsTable, options: &SyncOptions) -> Result<(), String> {
    let client = &listening.client;
    let probe = format!("SELECT \"{}\" FROM {} LIMIT 0", table.column(), table.quoted_table());
    client.simple_query(&probe).await.map_err(|e| format!("cannot read the origins: {}", crate::error::causes(&e)))?;
    if version(client, table).await.is_ok() {
        return Ok(());
    }
    let run_this = format!("run this SQL (e.g. in a migration):\n{}", table.install_sql());
    if !options.install_trigger {
        return Err(format!("the change trigger is not installed; {run_this}"));
    }
    client
        .batch_execute(&table.install_sql())
        .await
        .map_err(|e| format!("cannot install the change trigger ({}); {run_this}", crate::error::causes(&e)))
}

/// `first` and every event already waiting behind it: a burst (a transaction of many rows, many
/// commits) is applied in one store. The payloads, and why the connection ended if it did.
fn burst(first: Event, events: &mut UnboundedReceiver<Event>) -> (Vec<String>, Option<String>) {
    let mut payloads = Vec::new();
    let mut event = first;
    loop {
        match event {
            Event::Changed(payload) => payloads.push(payload),
            Event::Lost(cause) => return (payloads, Some(cause)),
        }
        match events.try_recv() {
            Ok(next) => event = next,
            Err(_) => return (payloads, None),
        }
    }
}

/// The background task's state.
struct Follower {
    config: Config,
    tls: Tls,
    table: OriginsTable,
    origins: &'static DynamicOrigins,
    options: SyncOptions,
    shared: Arc<Shared>,
    /// The table as last loaded, with every applied change since.
    rows: Rows,
    /// Refusals already logged, so a reload does not repeat them.
    reported: BTreeSet<RefusedRow>,
}

/// How the list in force was last brought up to date, for the status's counts.
enum Source {
    Load,
    Changes(u64),
}

impl Follower {
    async fn run(mut self, mut listening: Listening, mut loaded_version: i64) {
        loop {
            let cause = self.follow(&mut listening, &mut loaded_version).await;
            self.lost(&cause);
            (listening, loaded_version) = self.reconnect().await;
        }
    }

    /// Follows one connection until it fails; returns why. `loaded_version` is the table's
    /// version the list in force reflects.
    async fn follow(&mut self, listening: &mut Listening, loaded_version: &mut i64) -> String {
        let mut next_reconcile = Instant::now() + self.options.reconcile_every;
        loop {
            tokio::select! {
                event = listening.events.recv() => {
                    let Some(event) = event else { return "the connection's driver stopped".to_owned() };
                    match self.take_burst(event, &mut listening.events, loaded_version) {
                        Err(cause) => return cause,
                        Ok(true) => continue,
                        Ok(false) => {}
                    }
                }
                _ = tokio::time::sleep_until(next_reconcile) => {
                    next_reconcile = Instant::now() + self.options.reconcile_every;
                    let current = match version(&listening.client, &self.table).await {
                        Ok(current) => current,
                        Err(cause) => return cause,
                    };
                    // Changes committed before the version was read are mostly notified by the
                    // time it answers: apply them first, so steady writes do not look like a
                    // lost notification and cost a full load every period.
                    let applied = match listening.events.try_recv() {
                        Ok(event) => match self.take_burst(event, &mut listening.events, loaded_version) {
                            Err(cause) => return cause,
                            Ok(applied) => applied,
                        },
                        Err(_) => true,
                    };
                    if applied && current <= *loaded_version {
                        continue;
                    }
                }
            }
            match load(&mut listening.client, &self.table, self.origins).await {
                Ok(loaded) => {
                    *loaded_version = loaded.version;
                    self.rows = loaded.rows;
                    self.in_force(Source::Load);
                }
                Err(cause) => return cause,
            }
        }
    }

    /// Applies `first` and the burst behind it: whether they could be applied as changes, or why
    /// the connection ended (a reconnection follows, which loads anyway).
    fn take_burst(
        &mut self,
        first: Event,
        events: &mut UnboundedReceiver<Event>,
        loaded_version: &mut i64,
    ) -> Result<bool, String> {
        let (payloads, lost) = burst(first, events);
        let applied = self.apply(&payloads, loaded_version);
        match lost {
            Some(cause) => Err(cause),
            None => Ok(applied),
        }
    }

    /// Applies notified changes that follow `loaded_version` one by one, in one store; false when they
    /// cannot be applied so (a gap in the versions, a change only a reload can tell), and the
    /// caller loads the whole table instead. Changes the last load already holds are skipped.
    fn apply(&mut self, payloads: &[String], loaded_version: &mut i64) -> bool {
        let mut changes = Vec::with_capacity(payloads.len());
        let mut next = *loaded_version;
        for payload in payloads {
            let Some(change) = Change::parse(payload) else { return false };
            if change.version <= next {
                continue;
            }
            let row = match change.kind {
                ChangeKind::Insert(value) if change.version == next + 1 => (true, value),
                ChangeKind::Delete(value) if change.version == next + 1 => (false, value),
                _ => return false,
            };
            changes.push(row);
            next = change.version;
        }
        *loaded_version = next;
        if !changes.is_empty() {
            let count = changes.len() as u64;
            self.rows.apply(changes, self.origins);
            self.in_force(Source::Changes(count));
        }
        true
    }

    /// Reconnects with a doubling, capped wait, until a connection LISTENs and a full load is in
    /// force.
    async fn reconnect(&mut self) -> (Listening, i64) {
        let mut wait = self.options.backoff_first;
        loop {
            sleep(wait).await;
            wait = (wait * 2).min(self.options.backoff_cap);
            let attempt = async {
                let mut listening = listen(&self.config, &self.tls, &self.table).await?;
                let loaded = load(&mut listening.client, &self.table, self.origins).await?;
                Ok::<_, String>((listening, loaded))
            };
            match attempt.await {
                Ok((listening, loaded)) => {
                    self.rows = loaded.rows;
                    self.in_force(Source::Load);
                    tracing::info!(target: "cors", table = %self.table.quoted_table(), in_force = self.origins.len(), "CORS origins sync reconnected and reloaded");
                    return (listening, loaded.version);
                }
                Err(cause) => self.lost(&cause),
            }
        }
    }

    /// Logs the rows newly refused and records the list in force in the status.
    fn in_force(&mut self, source: Source) {
        let refused = self.rows.refused(self.table.column());
        for row in &refused {
            if !self.reported.contains(row) {
                tracing::error!(target: "cors", table = %self.table.quoted_table(), row = %row.entry, reason = %row.reason, "CORS origin row refused, left out of the list in force");
            }
        }
        self.reported = refused.iter().cloned().collect();
        let in_force = self.origins.len();
        self.shared.update(|status| {
            status.connected = true;
            status.last_loaded = Some(SystemTime::now());
            status.stale_since = None;
            status.in_force = in_force;
            status.refused = refused;
            status.last_error = None;
            match source {
                Source::Load => status.loads += 1,
                Source::Changes(count) => status.changes += count,
            }
        });
    }

    fn lost(&self, cause: &str) {
        tracing::warn!(target: "cors", database = %target(&self.config), cause, "CORS origins sync lost the database; the list in force keeps answering");
        self.shared.update(|status| {
            if status.connected {
                status.stale_since = Some(SystemTime::now());
            }
            status.connected = false;
            status.last_error = Some(cause.to_owned());
        });
    }
}
