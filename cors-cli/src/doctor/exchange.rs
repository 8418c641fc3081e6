//! One HTTP/1.1 exchange on its own connection, plain or TLS: the request exactly as the
//! browser model built it, the response head exactly as the server sent it (repeated headers
//! stay repeated), no redirect followed, and a deadline on the whole of it. A refusal's body
//! (status 400 and above) is read too, its first kilobyte: servers say there why they refused.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, HeaderName, Request, StatusCode};
use hyper::rt::{Read, Write};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;

use super::input::Target;

/// A request and the head of its answer.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub method: String,
    /// Path and query, as on the request line.
    pub target: String,
    pub request_headers: HeaderMap,
    pub status: StatusCode,
    pub response_headers: HeaderMap,
    /// A refusal's body as the server wrote it (at most [`BODY_LIMIT`] bytes, lossily decoded);
    /// empty for other statuses and for refusals without a body.
    pub body: String,
}

/// How much of a refusal's body is read: enough for any one-line reason.
pub const BODY_LIMIT: usize = 1024;

/// How to reach the server. Clones share the bound on exchanges in flight and the count of
/// exchanges sent.
#[derive(Clone)]
pub struct Client {
    target: Target,
    tls: TlsConnector,
    timeout: Duration,
    in_flight: Option<Arc<Semaphore>>,
    sent: Arc<AtomicUsize>,
}

impl Client {
    /// `timeout` bounds each exchange as a whole: connecting, TLS, sending, and the response head.
    /// Servers are verified against the webpki roots and the platform's (which is the file
    /// `SSL_CERT_FILE` names when set, for private CAs); there is no way to skip verification.
    pub fn new(target: Target, timeout: Duration) -> Client {
        let mut roots = RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        // Unreadable platform certificates only mean fewer roots; a server they were needed for
        // then fails its TLS handshake with a message that says so.
        roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
        let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        let mut config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("ring supports the default TLS versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Client {
            target,
            tls: TlsConnector::from(Arc::new(config)),
            timeout,
            in_flight: None,
            sent: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// At most `limit` exchanges at once (the others wait their turn, first come first served;
    /// `timeout` counts from when an exchange starts, not while it waits).
    pub fn in_flight_at_most(mut self, limit: usize) -> Client {
        self.in_flight = Some(Arc::new(Semaphore::new(limit)));
        self
    }

    /// How many exchanges were started.
    pub fn sent(&self) -> usize {
        self.sent.load(Ordering::Relaxed)
    }

    /// Connects (and shakes hands, for https) once, within the timeout, to tell an unreachable
    /// server from a route that does not answer.
    pub async fn reach(&self) -> Result<(), String> {
        let connect = async {
            let tcp = self.connect().await?;
            if self.target.https {
                self.tls_handshake(tcp).await?;
            }
            Ok(())
        };
        tokio::time::timeout(self.timeout, connect).await.map_err(|_| {
            format!("{} did not accept a connection within {} s", self.authority(), self.timeout.as_secs_f32())
        })?
    }

    pub fn authority(&self) -> String {
        let host =
            if self.target.host.contains(':') { format!("[{}]", self.target.host) } else { self.target.host.clone() };
        format!("{host}:{}", self.target.port)
    }

    /// Sends `request` and reads the response head; the error is one line for the user.
    pub async fn send(&self, request: Request<String>) -> Result<Exchange, String> {
        let _permit = match &self.in_flight {
            Some(limit) => Some(limit.acquire().await.map_err(|e| e.to_string())?),
            None => None,
        };
        self.sent.fetch_add(1, Ordering::Relaxed);
        let (method, target) = (request.method().to_string(), request.uri().to_string());
        let request_headers = request.headers().clone();
        let started = tokio::time::Instant::now();
        let mut response = tokio::time::timeout(self.timeout, self.round_trip(request)).await.map_err(|_| {
            format!("{} did not answer `{method} {target}` within {} s", self.authority(), self.timeout.as_secs_f32())
        })??;
        let mut body = Vec::new();
        if response.status().as_u16() >= 400 {
            // The head is the answer: a body that stalls or breaks off keeps what arrived.
            let _ = tokio::time::timeout_at(started + self.timeout, read_prefix(response.body_mut(), &mut body)).await;
        }
        Ok(Exchange {
            method,
            target,
            request_headers,
            status: response.status(),
            response_headers: response.headers().clone(),
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }

    async fn round_trip(&self, request: Request<String>) -> Result<http::Response<hyper::body::Incoming>, String> {
        let tcp = self.connect().await?;
        if !self.target.https {
            return http1(TokioIo::new(tcp), request).await;
        }
        let tls = self.tls_handshake(tcp).await?;
        http1(TokioIo::new(tls), request).await
    }

    async fn connect(&self) -> Result<TcpStream, String> {
        TcpStream::connect((self.target.host.as_str(), self.target.port))
            .await
            .map_err(|e| format!("cannot connect to {}: {e}", self.authority()))
    }

    async fn tls_handshake(&self, tcp: TcpStream) -> Result<tokio_rustls::client::TlsStream<TcpStream>, String> {
        let name = ServerName::try_from(self.target.host.clone())
            .map_err(|_| format!("`{}` is not a name TLS can verify", self.target.host))?;
        self.tls.connect(name, tcp).await.map_err(|e| format!("TLS with {} failed: {e}", self.authority()))
    }
}

async fn http1<I>(io: I, request: Request<String>) -> Result<http::Response<hyper::body::Incoming>, String>
where
    I: Read + Write + Unpin + Send + 'static,
{
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(io).await.map_err(|e| format!("HTTP handshake failed: {e}"))?;
    // The connection task ends when the response is dropped; only a refusal's body is read.
    tokio::spawn(connection);
    sender.send_request(request).await.map_err(|e| format!("the server broke off the exchange: {e}"))
}

/// Appends `body`'s data to `into` until it ends, fails, or [`BODY_LIMIT`] bytes are in.
async fn read_prefix(body: &mut hyper::body::Incoming, into: &mut Vec<u8>) {
    use hyper::body::Body;
    while into.len() < BODY_LIMIT {
        let frame = std::future::poll_fn(|cx| std::pin::Pin::new(&mut *body).poll_frame(cx)).await;
        match frame {
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    into.extend_from_slice(&data[..data.len().min(BODY_LIMIT - into.len())]);
                }
            }
            Some(Err(_)) | None => return,
        }
    }
}

/// Every value of a header joined as a browser joins them.
pub fn header_text(headers: &HeaderMap, name: &HeaderName) -> String {
    let values: Vec<String> =
        headers.get_all(name).iter().map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()).collect();
    values.join(", ")
}
