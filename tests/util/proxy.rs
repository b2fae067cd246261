//! A small HTTP proxy in front of a real (plain-HTTP, anonymous) registry, for what
//! real sources do and for faults: Docker Hub style anonymous Bearer tokens, blob
//! GETs redirected to a CDN on another port, a corrupted blob, a connection dropped
//! in the middle of a blob, a stalled blob, and 503 answers; and for a hostile or
//! dead server: endless bodies, bodies that trickle, silence, manifests made up
//! on the spot (deep or wide indexes), lying digest headers and looping pages;
//! and blob and manifest answers broken off at random byte offsets (seeded).

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt as _;
use http_body_util::{BodyExt, Full, StreamBody, combinators::BoxBody};
use hyper::body::{Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use sha2::Digest;
use tokio::net::TcpListener;

type Body = BoxBody<Bytes, std::io::Error>;

/// What the proxy does besides forwarding.
#[derive(Debug, Clone, Default)]
pub struct Behaviour {
    /// Demand anonymous Bearer tokens, as Docker Hub does.
    pub token: bool,
    /// Answer blob GETs with a redirect to a CDN server on another port.
    pub redirect_blobs: bool,
    /// Flip a byte in this blob's body.
    pub corrupt_blob: Option<String>,
    /// Close the connection halfway through this blob, once.
    pub drop_blob_once: Option<String>,
    /// Never answer GETs of this blob (to interrupt a run).
    pub stall_blob: Option<String>,
    /// Break off blob and manifest GET answers at random: `(seed, one_in)` drops
    /// one answer in `one_in` (on average) after a random number of its bytes,
    /// the Content-Length still promising all of them.
    pub random_drops: Option<(u64, u64)>,
    /// Answer this many blob GETs with 503 first.
    pub unavailable: usize,
    /// Answer this many token requests with 503 and `Retry-After: 1` first.
    pub token_unavailable: usize,
    /// Issue tokens only for an OAuth refresh-token POST carrying this identity token.
    pub identity_token: Option<String>,
    /// Make every token expire after this many requests that used it.
    pub token_lifetime: Option<usize>,
    /// Paginate `tags/list` as distribution 3 does: honour `n` and `last`, and
    /// send a `Link: <...>; rel="next"` header when `link` is set.
    pub paginate_tags: bool,
    pub link: bool,
    /// Answer this kind of request with a body that never ends.
    pub endless: Option<Endless>,
    /// Accept connections and never answer.
    pub silent: bool,
    /// Send manifest bodies `(bytes, every)`: e.g. one byte every 200 ms.
    pub pace_manifests: Option<(usize, Duration)>,
    /// Send this blob's body `(digest, bytes, every)`.
    pub pace_blob: Option<(String, usize, Duration)>,
    /// Manifests to serve instead of the registry's: reference (tag or digest) ->
    /// (media type, bytes).
    pub manifests: HashMap<String, (String, Vec<u8>)>,
    /// Put a wrong `Docker-Content-Digest` on every manifest answer.
    pub lie_digest: bool,
    /// Answer `tags/list` with one page whose `Link` points at itself.
    pub tags_link_self: bool,
    /// Answer `tags/list` with this many linked pages of 5,000 new tags each.
    pub tag_flood: Option<usize>,
    /// With `token`: name a token realm on the CDN's port (plain HTTP at another
    /// origin), which hands out anonymous tokens; credentials must never reach it.
    pub token_elsewhere: bool,
    /// Answer `tags/list` with a tag holding terminal escape sequences, and
    /// manifest requests with a 400 whose message holds them.
    pub hostile_text: bool,
    /// Pass blob GET answers on as they arrive instead of whole, counting
    /// `blob_bytes` as each piece goes out (for rates over time).
    pub stream_blobs: bool,
    /// Answer every manifest GET with a 404 whose body is hostile in this way.
    pub missing_manifest: Option<Missing>,
    /// Answer 202 to manifest DELETEs without passing them on (nothing deleted).
    pub fake_delete: bool,
    /// Emulate the OCI 1.1 referrers API over the 2.8 registry, this many
    /// entries a page (see `referrers::emulate_list` and `emulate_put`): no OCI
    /// 1.1 registry can be installed here.
    pub referrers_api: Option<usize>,
    /// Answer `/referrers/` GETs with an index page whose `Link` points back at itself.
    pub referrers_loop: bool,
    /// Hold every registry request this long before answering (a far registry).
    pub latency: Option<Duration>,
}

/// How the body of a manifest GET's 404 misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// It never ends (no Content-Length).
    Endless,
    /// It announces 1 GiB (`Content-Length`) and sends that.
    Huge,
    /// A registry's JSON error, one byte every this long.
    Trickle(Duration),
}

/// Which answer never ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endless {
    /// Manifest GETs: 200 with an endless manifest.
    Manifest,
    /// The token service (with `token`): an endless token answer.
    Token,
    /// Manifest GETs: 400 with an endless error body.
    ErrorBody,
    /// `tags/list`: an endless page.
    TagsPage,
}

/// The wrong digest `lie_digest` announces.
pub const LIE: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

#[derive(Default)]
pub struct Stats {
    pub requests: AtomicUsize,
    pub token_requests: AtomicUsize,
    pub cdn_requests: AtomicUsize,
    /// The CDN received an Authorization header (it must never).
    pub cdn_saw_authorization: AtomicBool,
    pub dropped: AtomicBool,
    /// Answers broken off by `random_drops`.
    pub random_dropped: AtomicUsize,
    pub unavailable_sent: AtomicUsize,
    pub token_unavailable_sent: AtomicUsize,
    pub stalled: AtomicBool,
    pub refresh_grants: AtomicUsize,
    pub token_generation: AtomicUsize,
    pub token_uses: AtomicUsize,
    pub expired_tokens_refused: AtomicUsize,
    /// Manifest GETs and HEADs received.
    pub manifest_requests: AtomicUsize,
    /// Bytes of endless bodies sent (and of `missing_manifest` bodies).
    pub endless_bytes: AtomicUsize,
    /// Manifest DELETEs answered 202 without being passed on (`fake_delete`).
    pub fake_deletes: AtomicUsize,
    pub paths: Mutex<Vec<String>>,
    /// Body bytes of blob GET answers passed on (whole or ranged).
    pub blob_bytes: AtomicUsize,
    /// The `Range` headers of blob GETs.
    pub blob_ranges: Mutex<Vec<String>>,
    /// Body bytes of upload PATCH and PUT requests passed on whole.
    pub upload_bytes: AtomicUsize,
    /// The token service at another origin (`token_elsewhere`) received an
    /// Authorization header (it must never).
    pub token_elsewhere_saw_authorization: AtomicBool,
    /// Registry requests being answered now, and the most at once.
    pub in_flight: AtomicUsize,
    pub max_in_flight: AtomicUsize,
}

/// One registry request being answered (see `Stats::in_flight`).
struct InFlight<'a>(&'a Stats);

impl<'a> InFlight<'a> {
    fn enter(stats: &'a Stats) -> InFlight<'a> {
        let now = stats.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        stats.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(stats)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

pub struct Proxy {
    pub addr: String,
    pub stats: Arc<Stats>,
    runtime: Option<tokio::runtime::Runtime>,
}

struct Shared {
    upstream: String,
    addr: String,
    cdn_addr: String,
    behaviour: Behaviour,
    stats: Arc<Stats>,
    client: reqwest::Client,
    /// xorshift64 state for `random_drops`.
    rng: Mutex<u64>,
}

impl Shared {
    fn random(&self) -> u64 {
        let mut state = self.rng.lock().unwrap();
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }
}

impl Proxy {
    /// Start a proxy (and its CDN) in front of `upstream` (`127.0.0.1:PORT`, plain HTTP).
    pub fn start(upstream: &str, behaviour: Behaviour) -> Proxy {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let stats = Arc::new(Stats::default());
        let seed = behaviour.random_drops.map_or(1, |(seed, _)| seed);
        let (listener, cdn_listener) = runtime.block_on(async {
            (
                TcpListener::bind("127.0.0.1:0").await.unwrap(),
                TcpListener::bind("127.0.0.1:0").await.unwrap(),
            )
        });
        let addr = listener.local_addr().unwrap().to_string();
        let shared = Arc::new(Shared {
            upstream: upstream.to_owned(),
            addr: addr.clone(),
            cdn_addr: cdn_listener.local_addr().unwrap().to_string(),
            behaviour,
            stats: stats.clone(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            rng: Mutex::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1),
        });
        runtime.spawn(serve(listener, shared.clone(), false));
        runtime.spawn(serve(cdn_listener, shared, true));
        Proxy {
            addr,
            stats,
            runtime: Some(runtime),
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

async fn serve(listener: TcpListener, shared: Arc<Shared>, cdn: bool) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            return;
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let shared = shared.clone();
                async move { Ok::<_, Infallible>(handle(request, &shared, cdn).await) }
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn full(status: StatusCode, body: impl Into<Bytes>) -> Response<Body> {
    let mut response = Response::new(Full::new(body.into()).map_err(|e| match e {}).boxed());
    *response.status_mut() = status;
    response
}

fn blob_digest(path: &str) -> Option<&str> {
    let (_, digest) = path.split_once("/blobs/")?;
    (!digest.starts_with("uploads")).then_some(digest)
}

fn repository(path: &str) -> &str {
    let rest = path.trim_start_matches("/v2/").trim_start_matches("/cdn/");
    for marker in ["/blobs/", "/manifests/", "/tags/"] {
        if let Some((name, _)) = rest.split_once(marker) {
            return name;
        }
    }
    rest
}

async fn handle(request: Request<Incoming>, shared: &Shared, cdn: bool) -> Response<Body> {
    let stats = &shared.stats;
    let behaviour = &shared.behaviour;
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    stats.paths.lock().unwrap().push(format!(
        "{}{} {}",
        if cdn { "cdn " } else { "" },
        request.method(),
        path
    ));
    if cdn && behaviour.token_elsewhere && path == "/token" {
        stats.token_requests.fetch_add(1, Ordering::SeqCst);
        if request.headers().contains_key("authorization") {
            stats
                .token_elsewhere_saw_authorization
                .store(true, Ordering::SeqCst);
        }
        return full(
            StatusCode::OK,
            r#"{"token":"anon-elsewhere","expires_in":300}"#,
        );
    }
    if cdn {
        stats.cdn_requests.fetch_add(1, Ordering::SeqCst);
        if request.headers().contains_key("authorization") {
            stats.cdn_saw_authorization.store(true, Ordering::SeqCst);
        }
        let upstream_path = path.replacen("/cdn/", "/v2/", 1);
        return forward(shared, request, &upstream_path, None).await;
    }
    stats.requests.fetch_add(1, Ordering::SeqCst);
    let _in_flight = InFlight::enter(stats);
    if let Some(latency) = behaviour.latency {
        tokio::time::sleep(latency).await;
    }
    if behaviour.silent {
        std::future::pending::<()>().await;
    }
    let is_manifest = path.contains("/manifests/");
    if is_manifest {
        stats.manifest_requests.fetch_add(1, Ordering::SeqCst);
    }

    if behaviour.token {
        if path == "/token" {
            stats.token_requests.fetch_add(1, Ordering::SeqCst);
            if behaviour.token_unavailable > stats.token_unavailable_sent.load(Ordering::SeqCst) {
                stats.token_unavailable_sent.fetch_add(1, Ordering::SeqCst);
                let mut response = full(StatusCode::SERVICE_UNAVAILABLE, "busy");
                response
                    .headers_mut()
                    .insert("retry-after", "1".parse().unwrap());
                return response;
            }
            if behaviour.endless == Some(Endless::Token) {
                return endless(&shared.stats, StatusCode::OK, br#"{"token":"aaaa"#);
            }
            if let Some(expected) = &behaviour.identity_token {
                let is_post = request.method() == hyper::Method::POST;
                let body = request
                    .into_body()
                    .collect()
                    .await
                    .map(|b| b.to_bytes())
                    .unwrap_or_default();
                let form = String::from_utf8_lossy(&body).into_owned();
                let granted = is_post
                    && form.contains("grant_type=refresh_token")
                    && form
                        .split('&')
                        .any(|kv| kv == format!("refresh_token={expected}"));
                if !granted {
                    return full(
                        StatusCode::UNAUTHORIZED,
                        r#"{"errors":[{"code":"UNAUTHORIZED"}]}"#,
                    );
                }
                stats.refresh_grants.fetch_add(1, Ordering::SeqCst);
                return full(
                    StatusCode::OK,
                    r#"{"access_token":"anon-granted","expires_in":300}"#,
                );
            }
            let scope = query
                .as_deref()
                .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("scope=")))
                .unwrap_or("");
            let generation = stats.token_generation.load(Ordering::SeqCst);
            return full(
                StatusCode::OK,
                format!(
                    r#"{{"token":"anon-g{generation}-{}","expires_in":300}}"#,
                    scope.len()
                ),
            );
        }
        let header = request
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let mut authorized = header.starts_with("Bearer anon-");
        if authorized && let Some(lifetime) = behaviour.token_lifetime {
            let generation = stats.token_generation.load(Ordering::SeqCst);
            if !header.starts_with(&format!("Bearer anon-g{generation}-")) {
                stats.expired_tokens_refused.fetch_add(1, Ordering::SeqCst);
                authorized = false;
            } else if stats.token_uses.fetch_add(1, Ordering::SeqCst) + 1 >= lifetime {
                stats.token_uses.store(0, Ordering::SeqCst);
                stats.token_generation.fetch_add(1, Ordering::SeqCst);
            }
        }
        if !authorized {
            let mut response = full(
                StatusCode::UNAUTHORIZED,
                r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#,
            );
            let scope = if path == "/v2/" {
                String::new()
            } else {
                format!(",scope=\"repository:{}:pull\"", repository(&path))
            };
            let token_host = if behaviour.token_elsewhere {
                &shared.cdn_addr
            } else {
                &shared.addr
            };
            response.headers_mut().insert(
                "www-authenticate",
                format!("Bearer realm=\"http://{token_host}/token\",service=\"proxy-test\"{scope}")
                    .parse()
                    .unwrap(),
            );
            return response;
        }
    }

    if behaviour.referrers_loop && path.contains("/referrers/") {
        let mut response = full(
            StatusCode::OK,
            r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"#,
        );
        let headers = response.headers_mut();
        headers.insert(
            "content-type",
            "application/vnd.oci.image.index.v1+json".parse().unwrap(),
        );
        headers.insert("link", format!("<{path}>; rel=\"next\"").parse().unwrap());
        return response;
    }
    if let Some(page) = behaviour.referrers_api {
        if path.contains("/referrers/") && request.method() == hyper::Method::GET {
            let (status, headers, body) = super::referrers::emulate_list(
                &shared.client,
                &shared.upstream,
                &path,
                query.as_deref(),
                page,
            )
            .await;
            let mut response = full(StatusCode::from_u16(status).unwrap(), body);
            for (name, value) in headers {
                let name = hyper::header::HeaderName::from_bytes(name.as_bytes()).unwrap();
                response.headers_mut().insert(name, value.parse().unwrap());
            }
            return response;
        }
        if is_manifest && request.method() == hyper::Method::PUT {
            return put_with_subject(shared, request, &path).await;
        }
    }

    if behaviour.hostile_text {
        if path.ends_with("/tags/list") {
            return full(
                StatusCode::OK,
                format!(
                    r#"{{"name":"{}","tags":["1","x\u001b]0;pwned\u0007\u001b[2J"]}}"#,
                    repository(&path)
                ),
            );
        }
        if path.contains("/manifests/") {
            return full(
                StatusCode::BAD_REQUEST,
                r#"{"errors":[{"code":"NAME_INVALID","message":"gone\u001b]0;pwned\u0007\u001b[2J\nhelp: run this"}]}"#,
            );
        }
    }

    if is_manifest {
        match behaviour.endless {
            Some(Endless::Manifest) => {
                return with_type(
                    endless(
                        &shared.stats,
                        StatusCode::OK,
                        br#"{"schemaVersion":2,"x":""#,
                    ),
                    "application/vnd.oci.image.manifest.v1+json",
                );
            }
            Some(Endless::ErrorBody) => {
                return endless(
                    &shared.stats,
                    StatusCode::BAD_REQUEST,
                    br#"{"errors":[{"code":""#,
                );
            }
            _ => {}
        }
        if request.method() == hyper::Method::GET
            && let Some(missing) = behaviour.missing_manifest
        {
            return not_found(&shared.stats, missing);
        }
        if request.method() == hyper::Method::DELETE && behaviour.fake_delete {
            stats.fake_deletes.fetch_add(1, Ordering::SeqCst);
            return full(StatusCode::ACCEPTED, "");
        }
        let reference = path.rsplit('/').next().unwrap_or_default();
        if let Some((media_type, bytes)) = behaviour.manifests.get(reference) {
            let mut response = with_type(full(StatusCode::OK, bytes.clone()), media_type);
            let digest = format!("sha256:{}", hex::encode(sha2::Sha256::digest(bytes)));
            response
                .headers_mut()
                .insert("docker-content-digest", digest.parse().unwrap());
            return response;
        }
    }
    if path.ends_with("/tags/list") {
        if behaviour.endless == Some(Endless::TagsPage) {
            return endless(&shared.stats, StatusCode::OK, br#"{"name":"x","tags":["#);
        }
        if behaviour.tags_link_self {
            let mut response = full(StatusCode::OK, r#"{"name":"x","tags":["a","b"]}"#);
            let link = format!("<{path}?{}>; rel=\"next\"", query.as_deref().unwrap_or(""));
            response.headers_mut().insert("link", link.parse().unwrap());
            return response;
        }
        if let Some(pages) = behaviour.tag_flood {
            // Past the last linked page (the client asks with `last`): empty.
            if query.as_deref().is_some_and(|q| q.contains("last=")) {
                return full(StatusCode::OK, r#"{"name":"flood","tags":[]}"#);
            }
            return tag_flood(&path, query.as_deref(), pages);
        }
    }

    if behaviour.paginate_tags && path.ends_with("/tags/list") {
        return paginate_tags(shared, &path, query.as_deref()).await;
    }

    if let Some(digest) = blob_digest(&path).map(str::to_owned)
        && request.method() == hyper::Method::GET
    {
        if behaviour.unavailable > stats.unavailable_sent.load(Ordering::SeqCst) {
            stats.unavailable_sent.fetch_add(1, Ordering::SeqCst);
            let mut response = full(StatusCode::SERVICE_UNAVAILABLE, "busy");
            response
                .headers_mut()
                .insert("retry-after", "0".parse().unwrap());
            return response;
        }
        if behaviour.stall_blob.as_deref() == Some(digest.as_str()) {
            stats.stalled.store(true, Ordering::SeqCst);
            std::future::pending::<()>().await;
        }
        if behaviour.redirect_blobs {
            let mut response = full(StatusCode::TEMPORARY_REDIRECT, "");
            let target = format!(
                "http://{}/cdn/{}/blobs/{digest}?signature=test",
                shared.cdn_addr,
                repository(&path)
            );
            response
                .headers_mut()
                .insert("location", target.parse().unwrap());
            return response;
        }
        return forward(shared, request, &path, Some(&digest)).await;
    }
    let upstream_path = match &query {
        Some(q) => format!("{path}?{q}"),
        None => path.clone(),
    };
    forward(shared, request, &upstream_path, None).await
}

/// A manifest PUT to the emulated OCI 1.1 registry: passed on, and when it
/// carries a `subject`, the emulation files it and answers `OCI-Subject`.
async fn put_with_subject(
    shared: &Shared,
    request: Request<Incoming>,
    path: &str,
) -> Response<Body> {
    let media_type = request
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let Ok(body) = request.into_body().collect().await.map(|b| b.to_bytes()) else {
        return full(StatusCode::BAD_REQUEST, "the request body broke off");
    };
    let url = format!("http://{}{path}", shared.upstream);
    let upstream = match shared
        .client
        .put(&url)
        .header("content-type", &media_type)
        .body(body.clone())
        .send()
        .await
    {
        Ok(upstream) => upstream,
        Err(err) => return full(StatusCode::BAD_GATEWAY, err.to_string()),
    };
    let status = StatusCode::from_u16(upstream.status().as_u16()).unwrap();
    let headers = upstream.headers().clone();
    let answer = upstream.bytes().await.unwrap_or_default();
    let subject = if status.is_success() {
        super::referrers::emulate_put(&shared.client, &shared.upstream, path, &media_type, &body)
            .await
    } else {
        None
    };
    let mut response = full(status, answer);
    for (name, value) in &headers {
        if name != "transfer-encoding" && name != "connection" && name != "content-length" {
            response.headers_mut().insert(name.clone(), value.clone());
        }
    }
    if let Some(subject) = subject {
        response
            .headers_mut()
            .insert("oci-subject", subject.parse().unwrap());
    }
    response
}

async fn forward(
    shared: &Shared,
    request: Request<Incoming>,
    path: &str,
    blob: Option<&str>,
) -> Response<Body> {
    let method = reqwest::Method::from_bytes(request.method().as_str().as_bytes()).unwrap();
    let is_get = method == reqwest::Method::GET;
    let mut headers = reqwest::header::HeaderMap::new();
    for (name, value) in request.headers() {
        if name != "host" && name != "authorization" {
            headers.insert(name.clone(), value.clone());
        }
    }
    if blob.is_some()
        && is_get
        && let Some(range) = request.headers().get("range").and_then(|v| v.to_str().ok())
    {
        shared
            .stats
            .blob_ranges
            .lock()
            .unwrap()
            .push(range.to_owned());
    }
    // Requests are passed on whole, as a buffering proxy does: a body the
    // client broke off is not passed on at all.
    let Ok(body) = request.into_body().collect().await.map(|b| b.to_bytes()) else {
        return full(StatusCode::BAD_REQUEST, "the request body broke off");
    };
    if path.contains("/blobs/uploads/") {
        shared
            .stats
            .upload_bytes
            .fetch_add(body.len(), Ordering::SeqCst);
    }
    let url = format!("http://{}{path}", shared.upstream);
    let upstream = match shared
        .client
        .request(method, &url)
        .headers(headers)
        .body(body)
        .send()
        .await
    {
        Ok(upstream) => upstream,
        Err(err) => return full(StatusCode::BAD_GATEWAY, err.to_string()),
    };
    let status = StatusCode::from_u16(upstream.status().as_u16()).unwrap();
    let upstream_headers = upstream.headers().clone();
    if shared.behaviour.stream_blobs && blob.is_some() && is_get {
        let stats = shared.stats.clone();
        let pieces = upstream.bytes_stream().map(move |piece| {
            let piece = piece.map_err(std::io::Error::other)?;
            stats.blob_bytes.fetch_add(piece.len(), Ordering::SeqCst);
            Ok(Frame::data(piece))
        });
        let mut response = Response::new(BodyExt::boxed(StreamBody::new(pieces)));
        *response.status_mut() = status;
        for (name, value) in &upstream_headers {
            if name != "transfer-encoding" && name != "connection" {
                response.headers_mut().insert(name.clone(), value.clone());
            }
        }
        return response;
    }
    let mut bytes = upstream.bytes().await.unwrap_or_default().to_vec();
    if blob.is_some() && is_get {
        shared
            .stats
            .blob_bytes
            .fetch_add(bytes.len(), Ordering::SeqCst);
    }
    let behaviour = &shared.behaviour;
    let mut drop_half = false;
    if let Some(digest) = blob {
        if behaviour.corrupt_blob.as_deref() == Some(digest) && !bytes.is_empty() {
            let last = bytes.len() - 1;
            bytes[last] ^= 0xff;
        }
        if behaviour.drop_blob_once.as_deref() == Some(digest)
            && !shared.stats.dropped.swap(true, Ordering::SeqCst)
        {
            drop_half = true;
        }
    }
    // Broken off after `cut` bytes, at random.
    let mut cut = None;
    if let Some((_, one_in)) = behaviour.random_drops
        && is_get
        && (blob.is_some() || path.contains("/manifests/"))
        && status.is_success()
        && !bytes.is_empty()
        && shared.random().is_multiple_of(one_in.max(1))
    {
        cut = Some((shared.random() % bytes.len() as u64) as usize);
        shared.stats.random_dropped.fetch_add(1, Ordering::SeqCst);
    }
    let pace = match blob {
        Some(digest) => behaviour
            .pace_blob
            .as_ref()
            .filter(|(d, _, _)| d == digest)
            .map(|(_, bytes, every)| (*bytes, *every)),
        None if path.contains("/manifests/") => behaviour.pace_manifests,
        None => None,
    };
    let body: Body = if let Some((chunk, every)) = pace {
        paced(Bytes::from(bytes.clone()), chunk, every)
    } else if let Some(cut) = cut {
        let frames: Vec<Result<Frame<Bytes>, std::io::Error>> = vec![
            Ok(Frame::data(Bytes::from(bytes[..cut].to_vec()))),
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "dropped",
            )),
        ];
        BodyExt::boxed(StreamBody::new(futures_util::stream::iter(frames)))
    } else if drop_half {
        let half = Bytes::from(bytes[..bytes.len() / 2].to_vec());
        let frames: Vec<Result<Frame<Bytes>, std::io::Error>> = vec![
            Ok(Frame::data(half)),
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "dropped",
            )),
        ];
        BodyExt::boxed(StreamBody::new(futures_util::stream::iter(frames)))
    } else {
        Full::new(Bytes::from(bytes.clone()))
            .map_err(|e| match e {})
            .boxed()
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    for (name, value) in &upstream_headers {
        if name == "transfer-encoding" || name == "connection" {
            continue;
        }
        if name == "docker-content-digest" && behaviour.lie_digest && path.contains("/manifests/") {
            response
                .headers_mut()
                .insert(name.clone(), LIE.parse().unwrap());
            continue;
        }
        // Upload locations name the proxy, so the whole upload goes through it.
        if name == "location"
            && let Ok(location) = value.to_str()
        {
            let location = location.replace(
                &format!("http://{}/", shared.upstream),
                &format!("http://{}/", shared.addr),
            );
            response
                .headers_mut()
                .insert(name.clone(), location.parse().unwrap());
            continue;
        }
        if name == "content-length" && !drop_half {
            response
                .headers_mut()
                .insert(name.clone(), bytes.len().to_string().parse().unwrap());
            continue;
        }
        response.headers_mut().insert(name.clone(), value.clone());
    }
    response
}

/// One page of `tags/list` after `last`, at most `n` entries.
async fn paginate_tags(shared: &Shared, path: &str, query: Option<&str>) -> Response<Body> {
    let url = format!("http://{}{path}", shared.upstream);
    let Ok(upstream) = shared.client.get(&url).send().await else {
        return full(StatusCode::BAD_GATEWAY, "upstream");
    };
    let status = StatusCode::from_u16(upstream.status().as_u16()).unwrap();
    let body: serde_json::Value = upstream.json().await.unwrap_or_default();
    if status != StatusCode::OK {
        return full(status, body.to_string());
    }
    let mut tags: Vec<String> = body["tags"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    tags.sort();
    let param = |name: &str| {
        query.and_then(|q| {
            q.split('&')
                .find_map(|kv| kv.strip_prefix(&format!("{name}=")).map(str::to_owned))
        })
    };
    let n: usize = param("n")
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX);
    let last = param("last");
    let page: Vec<String> = tags
        .iter()
        .filter(|t| last.as_ref().is_none_or(|l| t.as_str() > l.as_str()))
        .take(n)
        .cloned()
        .collect();
    let more = page
        .last()
        .is_some_and(|l| tags.iter().any(|t| t.as_str() > l.as_str()));
    let mut response = full(
        StatusCode::OK,
        serde_json::json!({"name": body["name"], "tags": page}).to_string(),
    );
    if more && shared.behaviour.link {
        let next = format!("<{path}?n={n}&last={}>; rel=\"next\"", page.last().unwrap());
        response.headers_mut().insert("link", next.parse().unwrap());
    }
    response
}

fn with_type(mut response: Response<Body>, media_type: &str) -> Response<Body> {
    response
        .headers_mut()
        .insert("content-type", media_type.parse().unwrap());
    response
}

/// A body that starts with `head` and then never ends (64 KiB chunks of `a`),
/// without a Content-Length; `endless_bytes` counts what was handed to hyper.
fn endless(stats: &Arc<Stats>, status: StatusCode, head: &'static [u8]) -> Response<Body> {
    let stats = stats.clone();
    let filler = Bytes::from(vec![b'a'; 64 * 1024]);
    let chunks = futures_util::stream::once(async move { Bytes::from_static(head) })
        .chain(futures_util::stream::repeat(filler))
        .map(move |chunk| {
            stats
                .endless_bytes
                .fetch_add(chunk.len(), Ordering::Relaxed);
            Ok::<_, std::io::Error>(Frame::data(chunk))
        });
    let mut response = Response::new(BodyExt::boxed(StreamBody::new(chunks)));
    *response.status_mut() = status;
    response
}

/// A manifest GET's 404, its body hostile as `missing` says; `endless_bytes`
/// counts what was handed to hyper.
fn not_found(stats: &Arc<Stats>, missing: Missing) -> Response<Body> {
    const UNKNOWN: &[u8] =
        br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":"this body trickles"}]}"#;
    match missing {
        Missing::Endless => endless(stats, StatusCode::NOT_FOUND, br#"{"errors":[{"code":""#),
        Missing::Huge => {
            let mut response = endless(stats, StatusCode::NOT_FOUND, br#"{"errors":[{"code":""#);
            response
                .headers_mut()
                .insert("content-length", (1u64 << 30).to_string().parse().unwrap());
            response
        }
        Missing::Trickle(every) => {
            let stats = stats.clone();
            let body = paced(Bytes::from_static(UNKNOWN), 1, every).map_frame(move |frame| {
                if let Some(data) = frame.data_ref() {
                    stats.endless_bytes.fetch_add(data.len(), Ordering::Relaxed);
                }
                frame
            });
            let mut response = Response::new(BodyExt::boxed(body));
            *response.status_mut() = StatusCode::NOT_FOUND;
            response
        }
    }
}

/// `bytes` sent `chunk` bytes at a time, one chunk every `every`.
fn paced(bytes: Bytes, chunk: usize, every: Duration) -> Body {
    let stream = futures_util::stream::unfold(bytes, move |mut rest| async move {
        if rest.is_empty() {
            return None;
        }
        tokio::time::sleep(every).await;
        let part = rest.split_to(chunk.min(rest.len()));
        Some((Ok::<_, std::io::Error>(Frame::data(part)), rest))
    });
    BodyExt::boxed(StreamBody::new(stream))
}

/// Page `last` of `pages` linked pages of 5,000 new tags each.
fn tag_flood(path: &str, query: Option<&str>, pages: usize) -> Response<Body> {
    let page: usize = query
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("page=")))
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let tags: Vec<String> = (0..5_000).map(|i| format!("p{page}-t{i}")).collect();
    let mut response = full(
        StatusCode::OK,
        serde_json::json!({"name": "flood", "tags": tags}).to_string(),
    );
    if page + 1 < pages {
        let link = format!("<{path}?page={}>; rel=\"next\"", page + 1);
        response.headers_mut().insert("link", link.parse().unwrap());
    }
    response
}
