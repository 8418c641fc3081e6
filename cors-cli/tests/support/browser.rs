//! The browser model (`cors_browser`) over real HTTP, to judge nginx and the service.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use cors_browser::Outcome;
use http_body_util::{BodyExt, Full};

use super::HttpClient;

/// A tower service that sends each request to `addr` over HTTP, as a browser would.
#[derive(Clone)]
pub struct Remote {
    pub client: HttpClient,
    pub addr: SocketAddr,
}

impl tower_service::Service<http::Request<Full<Bytes>>> for Remote {
    type Response = http::Response<Full<Bytes>>;
    type Error = String;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, String>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), String>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut request: http::Request<Full<Bytes>>) -> Self::Future {
        let path = request.uri().path_and_query().map_or("/".to_string(), |p| p.to_string());
        *request.uri_mut() = format!("http://{}{path}", self.addr).parse().expect("a loopback URL");
        let client = self.client.clone();
        Box::pin(async move {
            let response = client.request(request).await.map_err(|e| e.to_string())?;
            let (parts, body) = response.into_parts();
            let body = body.collect().await.map_err(|e| e.to_string())?.to_bytes();
            Ok(http::Response::from_parts(parts, Full::new(body)))
        })
    }
}

/// What script sees: the preflight sent, whether the request went out, and the verdict with
/// the readable headers (sorted: nginx orders headers its own way; the framing headers
/// `content-length` and `content-type` are the servers' own business).
pub fn verdict(outcome: &Outcome) -> String {
    let result = match &outcome.result {
        Ok(readable) => {
            let mut headers: Vec<String> = readable
                .headers
                .iter()
                .filter(|(name, _)| *name != "content-length" && *name != "content-type")
                .map(|(n, v)| format!("{n}: {}", v.to_str().unwrap_or("?")))
                .collect();
            headers.sort();
            format!("allowed {} [{}]", readable.status, headers.join("; "))
        }
        Err(blocked) => format!("blocked: {blocked}"),
    };
    format!("preflight {:?}, sent {}, {result}", outcome.preflight, outcome.sent)
}
