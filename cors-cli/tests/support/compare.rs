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

/// How a gateway's answers compared with the service's, judged as browsers see them.
pub struct Judged {
    /// Exactly equal (status, every `Access-Control-*` line, `Vary`, body).
    pub exact: usize,
    /// Different bytes, the same for every browser: each with both answers.
    pub only_bytes: Vec<String>,
}

/// Sends every probe both ways; fails listing every answer a browser could tell apart
/// ([`super::browser_view`]). Prints and returns the exact count and the byte-only differences.
pub async fn compare_as_browsers(
    client: &HttpClient,
    direct: SocketAddr,
    gateway: SocketAddr,
    probes: &[Probe],
) -> Judged {
    let mut judged = Judged { exact: 0, only_bytes: Vec::new() };
    let mut failures = Vec::new();
    for probe in probes {
        let from_service = send(client, direct, probe).await;
        let from_gateway = send(client, gateway, probe).await;
        let both = format!("{}\n  direct:  {from_service:?}\n  gateway: {from_gateway:?}", probe.name);
        let (seen_direct, seen_gateway) =
            (super::browser_view(probe, &from_service), super::browser_view(probe, &from_gateway));
        if seen_direct != seen_gateway {
            failures.push(format!("{both}\n  a browser sees: {seen_direct}\n  through the gateway: {seen_gateway}"));
        } else if from_service == from_gateway {
            judged.exact += 1;
        } else {
            judged.only_bytes.push(both);
        }
    }
    eprintln!(
        "{} requests: {} exactly equal, {} differ in bytes no browser can tell apart:\n{}",
        probes.len(),
        judged.exact,
        judged.only_bytes.len(),
        judged.only_bytes.join("\n")
    );
    assert!(
        failures.is_empty(),
        "{} of {} differ for browsers:\n{}",
        failures.len(),
        probes.len(),
        failures.join("\n")
    );
    judged
}
