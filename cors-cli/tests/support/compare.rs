//! A request matrix sent to the service directly and through nginx, answer by answer.

use std::net::SocketAddr;

use super::{send, Exchange, HttpClient, Probe};

/// Where nginx's answer differs from the service's, as docs/gateway.md documents: one header,
/// with the exact value on each side. Everything else must still be equal.
pub struct Differs {
    pub header: &'static str,
    pub direct: Option<&'static str>,
    pub nginx: Option<&'static str>,
}

/// Sends every probe both ways; fails listing every answer that is not equal (after the
/// documented differences). Returns how many were equal and how many differed as documented.
pub async fn compare(
    client: &HttpClient,
    direct: SocketAddr,
    nginx: SocketAddr,
    matrix: &[(Probe, Vec<Differs>)],
) -> (usize, usize) {
    let (mut equal, mut documented) = (0, 0);
    let mut failures = Vec::new();
    for (probe, differs) in matrix {
        let from_service = send(client, direct, probe).await;
        let from_nginx = send(client, nginx, probe).await;
        let mut expected = from_service.clone();
        for d in differs {
            assert_eq!(from_service.header(d.header), d.direct, "{}: the service's {}", probe.name, d.header);
            expected = with_header(expected, d.header, d.nginx);
        }
        if from_nginx != expected {
            failures.push(format!("{}\n  direct: {from_service:?}\n  nginx:  {from_nginx:?}", probe.name));
        } else if differs.is_empty() {
            equal += 1;
        } else {
            documented += 1;
        }
    }
    eprintln!("{} requests: {equal} equal, {documented} differ only as documented", matrix.len());
    assert!(failures.is_empty(), "{} of {} differ:\n{}", failures.len(), matrix.len(), failures.join("\n"));
    (equal, documented)
}

/// `exchange` with the documented header replaced by `value`, to compare the rest.
fn with_header(mut exchange: Exchange, header: &str, value: Option<&str>) -> Exchange {
    exchange.cors.retain(|(name, _)| name != header);
    if let Some(value) = value {
        exchange.cors.push((header.to_string(), value.to_string()));
        exchange.cors.sort();
    }
    exchange
}
