//! One connection's work: connect, LISTEN, and load the whole table (the rows and the version the
//! trigger bumps, read in one snapshot) into the list in force.

use std::future::poll_fn;

use cors_runtime::DynamicOrigins;
use tokio::sync::mpsc;
use tokio_postgres::tls::MakeTlsConnect;
use tokio_postgres::{AsyncMessage, Client, Config, NoTls, Socket};

use crate::error::causes;
use crate::rows::Rows;
use crate::table::OriginsTable;
use crate::tls::Tls;

/// What the connection's driver hands the sync.
pub(crate) enum Event {
    /// A change was committed: the notification's payload (several may be pending).
    Changed(String),
    /// The connection ended, and why.
    Lost(String),
}

/// A connection that LISTENs on the table's channel.
pub(crate) struct Listening {
    pub(crate) client: Client,
    pub(crate) events: mpsc::UnboundedReceiver<Event>,
}

/// Connects and LISTENs. The driver runs on its own task and forwards notifications, so a change
/// committed from here on is never missed; the caller loads the table after this returns.
pub(crate) async fn listen(config: &Config, tls: &Tls, table: &OriginsTable) -> Result<Listening, String> {
    match tls {
        Tls::Plain => listen_over(config, NoTls, table).await,
        Tls::Rustls(tls) => listen_over(config, tls.clone(), table).await,
    }
}

async fn listen_over<T>(config: &Config, tls: T, table: &OriginsTable) -> Result<Listening, String>
where
    T: MakeTlsConnect<Socket>,
    T::Stream: Send + 'static,
{
    let (client, mut connection) = config.connect(tls).await.map_err(|e| causes(&e))?;
    let (sender, events) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let event = match poll_fn(|cx| connection.poll_message(cx)).await {
                Some(Ok(AsyncMessage::Notification(n))) => Event::Changed(n.payload().to_owned()),
                Some(Ok(_)) => continue,
                Some(Err(e)) => Event::Lost(causes(&e)),
                None => Event::Lost("the server closed the connection".to_owned()),
            };
            let lost = matches!(event, Event::Lost(_));
            if sender.send(event).is_err() || lost {
                return;
            }
        }
    });
    client.batch_execute(&format!("LISTEN \"{}\"", table.channel())).await.map_err(|e| causes(&e))?;
    Ok(Listening { client, events })
}

/// What a full load put in force.
pub(crate) struct Loaded {
    pub(crate) version: i64,
    pub(crate) rows: Rows,
}

/// Reads every row and the version in one snapshot and makes the valid rows the list in force
/// (one store: readers see the old list or the new one). Refused rows are left out.
pub(crate) async fn load(
    client: &mut Client,
    table: &OriginsTable,
    origins: &DynamicOrigins,
) -> Result<Loaded, String> {
    let sql = |e: tokio_postgres::Error| causes(&e);
    let snapshot = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await
        .map_err(sql)?;
    let version: i64 =
        snapshot.query_one(&format!("SELECT version FROM {}", table.version_table()), &[]).await.map_err(sql)?.get(0);
    let rows = snapshot
        .query(&format!("SELECT \"{}\"::text FROM {}", table.column(), table.quoted_table()), &[])
        .await
        .map_err(sql)?;
    snapshot.commit().await.map_err(sql)?;
    let values = rows.iter().map(|row| row.get::<_, Option<String>>(0)).collect();
    Ok(Loaded { version, rows: Rows::load(values, origins) })
}

/// The version the trigger bumps, for the periodic reconcile.
pub(crate) async fn version(client: &Client, table: &OriginsTable) -> Result<i64, String> {
    let row = client
        .query_one(&format!("SELECT version FROM {}", table.version_table()), &[])
        .await
        .map_err(|e| causes(&e))?;
    Ok(row.get(0))
}
