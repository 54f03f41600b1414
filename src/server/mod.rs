//! `codecage serve`: the same runner over HTTP (batch runs) and WebSocket (interactive sessions),
//! with a page for people. Every run goes through the shared sandbox module; clients choose a
//! language, files, stdin, arguments and lower limits, never Docker parameters.

mod execute;
mod pool;
mod session;

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use bollard::Docker;
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::{Semaphore, SemaphorePermit};
use tokio_util::sync::CancellationToken;

use crate::limits::{LimitOverrides, Limits};
use crate::profile::{Profile, Profiles};
use execute::{ExecRequest, ExecResult};

/// Server settings, from flags (clamped maxima included).
#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    pub token: Option<String>,
    pub max_concurrent: usize,
    pub queue: usize,
    pub max_body: usize,
    /// Defaults and maxima for batch runs (a profile may ask for more memory, pids and CPU).
    pub limits: Limits,
    /// Limits for interactive sessions (the interactive seed's: 2 min, 30 s idle).
    pub session_limits: Limits,
    /// How long running executions may finish after SIGTERM before they are killed.
    pub grace: Duration,
    /// How long a created session waits for its WebSocket.
    pub session_connect: Duration,
    /// Sessions (waiting or live) one client may hold at once.
    pub sessions_per_token: usize,
    /// Warm sandboxes kept ready per language and limits (0: off).
    pub pool: usize,
    /// A warm sandbox unused for this long is removed.
    pub pool_idle: Duration,
    /// Dependency sets clients may ask for, as (language, set). Nothing else is ever installed:
    /// a client's own manifest would be an expensive, network-using build on request.
    pub deps_sets: Vec<(String, String)>,
    /// CA certificate trusted while those sets install (SSL_CERT_FILE of the server's environment).
    pub deps_ca: Option<Vec<u8>>,
}

impl Settings {
    /// The most a request may get for this language: the server's limits, raised where the
    /// language's profile needs more (the JVM's memory).
    fn limits_max(&self, profile: &Profile) -> Limits {
        let mut max = self.limits.clone();
        let mut with_profile = Limits::run_defaults();
        if with_profile.apply(&profile.limits).is_ok() {
            max.memory = max.memory.max(with_profile.memory);
            max.pids = max.pids.max(with_profile.pids);
            max.cpus = max.cpus.max(with_profile.cpus);
            max.workspace = max.workspace.max(with_profile.workspace);
        }
        max
    }
}

pub struct AppState {
    docker: Docker,
    profiles: Profiles,
    settings: Settings,
    admission: Admission,
    sessions: Mutex<HashMap<String, session::Pending>>,
    /// Live sessions per owner (Authorization header or "anonymous").
    session_owners: Mutex<HashMap<String, usize>>,
    shutdown: CancellationToken,
    metrics: Metrics,
    pool: Arc<pool::Pool>,
}

/// A bounded number of runs at once and a bounded queue behind them; past that, 429.
struct Admission {
    permits: Semaphore,
    waiting: AtomicUsize,
    queue: usize,
}

impl Admission {
    async fn admit(&self) -> Result<SemaphorePermit<'_>, ApiError> {
        if let Ok(permit) = self.permits.try_acquire() {
            return Ok(permit);
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(ApiError::busy());
        }
        let permit = self.permits.acquire().await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        permit.map_err(|_| ApiError::internal("server is shutting down".into()))
    }
}

/// Upper bounds (seconds) of the run-time histogram buckets.
const BUCKETS: [f64; 8] = [0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// Counters for `/metrics`.
#[derive(Default)]
struct Metrics {
    executions: Mutex<BTreeMap<(String, String), u64>>,
    /// Run times: count per bucket (made cumulative when printed), sum and count.
    latency: Mutex<([u64; BUCKETS.len()], f64, u64)>,
    active_sessions: AtomicUsize,
}

impl Metrics {
    fn record(&self, language: &str, verdict: &str, wall: Duration) {
        if let Ok(mut map) = self.executions.lock() {
            *map.entry((language.to_string(), verdict.to_string()))
                .or_default() += 1;
        }
        if let Ok(mut latency) = self.latency.lock() {
            let seconds = wall.as_secs_f64();
            if let Some(i) = BUCKETS.iter().position(|b| seconds <= *b) {
                latency.0[i] += 1;
            }
            latency.1 += seconds;
            latency.2 += 1;
        }
    }
}

/// An error as the API returns it: a status and `{"error": "..."}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn bad_request(message: String) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message,
        }
    }
    fn too_large(message: String) -> ApiError {
        ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            message,
        }
    }
    fn internal(message: String) -> ApiError {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message,
        }
    }
    fn busy() -> ApiError {
        ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: "too many runs in progress; retry shortly".into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(json!({ "error": self.message }))).into_response();
        if self.status == StatusCode::TOO_MANY_REQUESTS {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

/// Decode an `/execute` body as the handler does (for the fuzz tests).
#[cfg(test)]
pub fn decode_execute(body: &[u8]) -> Result<(), ApiError> {
    let body: ExecuteBody = parse_body(Ok(Bytes::copy_from_slice(body)))?;
    let limits: LimitOverrides = body.limits.into();
    let mut check = Limits::run_defaults();
    let _ = check.apply(&limits);
    Ok(())
}

/// Parse a JSON body ourselves, so that bad JSON and oversized bodies get JSON errors.
fn parse_body<T: serde::de::DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
) -> Result<T, ApiError> {
    let body = body.map_err(|e| ApiError {
        status: e.status(),
        message: format!("cannot read the request body: {}", e.body_text()),
    })?;
    serde_json::from_slice(&body).map_err(|e| ApiError::bad_request(format!("invalid JSON: {e}")))
}

pub async fn serve(docker: Docker, profiles: Profiles, settings: Settings) -> Result<u8> {
    if !settings.listen.ip().is_loopback() && settings.token.is_none() {
        bail!(
            "listening on {} (not loopback) needs an API token: pass --token or set CODECAGE_TOKEN",
            settings.listen
        );
    }
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    let address = listener.local_addr()?;
    let settings_pool = (settings.pool, settings.pool_idle);
    let state = Arc::new(AppState {
        docker,
        profiles,
        admission: Admission {
            permits: Semaphore::new(settings.max_concurrent.max(1)),
            waiting: AtomicUsize::new(0),
            queue: settings.queue,
        },
        settings,
        sessions: Mutex::new(HashMap::new()),
        session_owners: Mutex::new(HashMap::new()),
        shutdown: CancellationToken::new(),
        metrics: Metrics::default(),
        pool: Arc::new(pool::Pool::new(settings_pool.0, settings_pool.1)),
    });
    tokio::spawn(state.pool.clone().keep_fresh(state.docker.clone()));
    tokio::spawn(session::reap(state.clone()));
    let app = router(state.clone());
    eprintln!("codecage: listening on http://{address}");
    tokio::spawn(prepare_deps_sets(state.clone()));

    let stop = CancellationToken::new();
    tokio::spawn(stop_on_signal(stop.clone()));
    let server = tokio::spawn(serve_http(listener, app, stop.clone()));
    stop.cancelled().await;
    // Let running executions finish within the grace period, then kill whatever is left.
    let grace = state.settings.grace;
    if tokio::time::timeout(grace, server).await.is_err() {
        state.shutdown.cancel();
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    state.shutdown.cancel();
    // Give killed sandboxes a moment to report and be removed.
    let deadline = Instant::now() + Duration::from_secs(10);
    while state.admission.permits.available_permits() < state.settings.max_concurrent.max(1)
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    state.pool.evict(&state.docker, true).await;
    eprintln!("codecage: stopped");
    Ok(crate::exit_code::SUCCESS)
}

/// How long a client may take to send a request's headers; a client trickling them (slowloris)
/// is cut off. axum's own `serve` sets no timer, so hyper would wait forever.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How much of an oversized body is read (and dropped) before answering 413, and for how long.
const DRAIN_CAP: usize = 1 << 20;
const DRAIN_TIME: Duration = Duration::from_secs(2);

/// How long a client may take to send a request's body once its headers are in.
const BODY_TIMEOUT: Duration = Duration::from_secs(20);

/// `axum::serve` with the header read timeout it lacks: HTTP/1 with upgrades (WebSockets), one
/// task per connection. Once `stop` fires, no new connection is accepted and open ones finish
/// their request in flight; returns when all have closed.
async fn serve_http(listener: tokio::net::TcpListener, app: Router, stop: CancellationToken) {
    let (close_tx, close_rx) = tokio::sync::watch::channel(());
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: wait rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stop.cancelled() => break,
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let (stop, close_rx) = (stop.clone(), close_rx.clone());
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT);
            let conn = builder
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .with_upgrades();
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stop.cancelled() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
            drop(close_rx);
        });
    }
    drop(listener);
    drop(close_rx);
    close_tx.closed().await;
}

/// A request body must arrive within `BODY_TIMEOUT`: a client sending it byte by byte is cut off
/// (its request fails as unreadable) instead of holding its connection and handler forever.
/// A body declared larger than the server's maximum is refused from its header alone.
async fn body_deadline(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != axum::http::Method::POST {
        return next.run(request).await;
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > state.settings.max_body as u64) {
        let response = ApiError::too_large(format!(
            "the body is larger than the server's maximum ({} bytes)",
            state.settings.max_body
        ))
        .into_response();
        // Read and drop what an honest client is sending anyway (a little past the limit, for a
        // second or two), so it can finish writing and read this answer instead of a broken
        // pipe; a client declaring far more, or sending slowly, gets the answer and the close.
        let cap = (2 * state.settings.max_body).max(DRAIN_CAP);
        let mut body = request.into_body().into_data_stream();
        let _ = tokio::time::timeout(DRAIN_TIME, async {
            let mut drained = 0;
            while let Some(Ok(chunk)) = futures_util::StreamExt::next(&mut body).await {
                drained += chunk.len();
                if drained > cap {
                    break;
                }
            }
        })
        .await;
        return response;
    }
    let deadline = tokio::time::Instant::now() + BODY_TIMEOUT;
    let request = request.map(|body| {
        let chunks = body.into_data_stream();
        axum::body::Body::from_stream(futures_util::stream::unfold(
            Some(chunks),
            move |chunks| async move {
                let mut chunks = chunks?;
                match tokio::time::timeout_at(deadline, futures_util::StreamExt::next(&mut chunks))
                    .await
                {
                    Ok(Some(chunk)) => Some((chunk, Some(chunks))),
                    Ok(None) => None,
                    Err(_) => Some((
                        Err(axum::Error::new(format!(
                            "the body did not arrive within {}s",
                            BODY_TIMEOUT.as_secs()
                        ))),
                        None,
                    )),
                }
            },
        ))
    });
    next.run(request).await
}

async fn stop_on_signal(stop: CancellationToken) {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        return;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
    stop.cancel();
}

fn router(state: Arc<AppState>) -> Router {
    let max_body = state.settings.max_body;
    Router::new()
        .route("/", get(page))
        .route("/health", get(|| async { "OK" }))
        .route("/languages", get(languages))
        .route("/execute", post(execute_codeengine))
        .route("/session", post(session::create))
        .route("/ws/session/{id}", get(session::connect))
        .route("/api/v2/runtimes", get(piston_runtimes))
        .route("/api/v2/execute", post(piston_execute))
        .route("/openapi.json", get(openapi))
        .route("/static/{file}", get(static_file))
        .route("/metrics", get(metrics))
        .layer(middleware::from_fn_with_state(state.clone(), authenticate))
        .layer(middleware::from_fn(log_request))
        .layer(middleware::from_fn_with_state(state.clone(), body_deadline))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state)
}

/// One JSON line per request on stderr.
async fn log_request(request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    let ts_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let line = json!({
        "ts_ms": ts_ms,
        "method": method,
        "path": path,
        "status": response.status().as_u16(),
        "ms": start.elapsed().as_millis() as u64,
    });
    eprintln!("{line}");
    response
}

/// With a token configured, every request but `/health` and the page must carry it, as
/// `Authorization: Bearer TOKEN` or (for browsers' WebSockets) `?token=TOKEN`.
async fn authenticate(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(token) = &state.settings.token else {
        return next.run(request).await;
    };
    let path = request.uri().path();
    if path == "/health" || path == "/" || path.starts_with("/static/") {
        return next.run(request).await;
    }
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let query = request
        .uri()
        .query()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("token=")));
    if bearer == Some(token.as_str()) || query == Some(token.as_str()) {
        next.run(request).await
    } else {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            message: "missing or wrong API token".into(),
        }
        .into_response()
    }
}

async fn page() -> Html<&'static str> {
    Html(include_str!("page.html"))
}

/// The page's vendored assets (xterm.js from npm, with its licence).
async fn static_file(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    let (body, kind): (&'static [u8], &str) = match file.as_str() {
        "xterm.js" => (include_bytes!("static/xterm.js"), "text/javascript"),
        "addon-fit.js" => (include_bytes!("static/addon-fit.js"), "text/javascript"),
        "xterm.css" => (include_bytes!("static/xterm.css"), "text/css"),
        "LICENSE-xterm.txt" => (include_bytes!("static/LICENSE-xterm.txt"), "text/plain"),
        "LICENSE-addon-fit.txt" => (include_bytes!("static/LICENSE-addon-fit.txt"), "text/plain"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("openapi.json"),
    )
}

/// Build the enabled dependency sets' images at startup, so the first request does not wait for
/// an install (a failure is logged; requests for that set then report it).
async fn prepare_deps_sets(state: Arc<AppState>) {
    for (language, set) in &state.settings.deps_sets {
        let Some(profile) = state.profiles.by_name(language) else {
            continue;
        };
        let result = match crate::dependencies::from_set(&profile, set) {
            Ok(mut deps) => {
                deps.ca_cert = state.settings.deps_ca.clone();
                crate::dependencies::image_for(&state.docker, &profile, Some(&deps), false).await
            }
            Err(e) => Err(e),
        };
        match result {
            Ok(tag) => eprintln!("codecage: dependency set {language}:{set} ready ({tag})"),
            Err(e) => eprintln!("codecage: dependency set {language}:{set} failed: {e:#}"),
        }
    }
}

async fn languages(State(state): State<Arc<AppState>>) -> Json<Value> {
    let list: Vec<Value> = state
        .profiles
        .iter()
        .map(|p| {
            let sets: Vec<&str> = state
                .settings
                .deps_sets
                .iter()
                .filter(|(l, _)| *l == p.name)
                .map(|(_, s)| s.as_str())
                .collect();
            json!({ "name": p.name, "version": p.version, "aliases": p.aliases, "extensions": p.extensions, "dependencySets": sets })
        })
        .collect();
    Json(Value::Array(list))
}

async fn metrics(State(state): State<Arc<AppState>>) -> impl IntoResponse {
    let mut out = String::from("# TYPE codecage_executions_total counter\n");
    if let Ok(map) = state.metrics.executions.lock() {
        for ((language, verdict), n) in map.iter() {
            out += &format!(
                "codecage_executions_total{{language=\"{language}\",verdict=\"{verdict}\"}} {n}\n"
            );
        }
    }
    if let Ok(latency) = state.metrics.latency.lock() {
        out += "# TYPE codecage_execution_seconds histogram\n";
        let mut cumulative = 0;
        for (bound, n) in BUCKETS.iter().zip(latency.0) {
            cumulative += n;
            out += &format!("codecage_execution_seconds_bucket{{le=\"{bound}\"}} {cumulative}\n");
        }
        out += &format!(
            "codecage_execution_seconds_bucket{{le=\"+Inf\"}} {}\n",
            latency.2
        );
        out += &format!(
            "codecage_execution_seconds_sum {}\ncodecage_execution_seconds_count {}\n",
            latency.1, latency.2
        );
    }
    out += &format!(
        "# TYPE codecage_queue_depth gauge\ncodecage_queue_depth {}\n",
        state.admission.waiting.load(Ordering::SeqCst)
    );
    out += &format!(
        "# TYPE codecage_running gauge\ncodecage_running {}\n",
        state.settings.max_concurrent.max(1) - state.admission.permits.available_permits()
    );
    out += &format!(
        "# TYPE codecage_pool_ready gauge\ncodecage_pool_ready {}\n# TYPE codecage_pool_hits_total counter\ncodecage_pool_hits_total {}\n# TYPE codecage_pool_misses_total counter\ncodecage_pool_misses_total {}\n",
        state.pool.ready_count(),
        state.pool.hits.load(Ordering::Relaxed),
        state.pool.misses.load(Ordering::Relaxed)
    );
    out += &format!(
        "# TYPE codecage_active_sessions gauge\ncodecage_active_sessions {}\n",
        state.metrics.active_sessions.load(Ordering::SeqCst)
    );
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out)
}

/// Limits a request may ask for (each is lowered to the server's maximum).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestLimits {
    time_limit: Option<String>,
    memory: Option<String>,
    cpus: Option<f64>,
    pids: Option<i64>,
    output_limit: Option<String>,
}

impl From<RequestLimits> for LimitOverrides {
    fn from(l: RequestLimits) -> LimitOverrides {
        LimitOverrides {
            time: l.time_limit,
            memory: l.memory,
            cpus: l.cpus,
            pids: l.pids,
            output: l.output_limit,
            workspace: None,
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ApiFile {
    #[serde(default)]
    name: String,
    content: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExecuteBody {
    language: String,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    files: Vec<ApiFile>,
    #[serde(default)]
    stdin: String,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    limits: RequestLimits,
    /// A dependency set the operator enabled (`--deps-set LANG:SET`).
    #[serde(default)]
    dependencies: Option<String>,
}

pub(crate) fn files_of(code: Option<String>, files: Vec<ApiFile>) -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<(String, Vec<u8>)> = code
        .map(|c| (String::new(), c.into_bytes()))
        .into_iter()
        .collect();
    all.extend(files.into_iter().map(|f| (f.name, f.content.into_bytes())));
    all
}

async fn run_request(state: &Arc<AppState>, req: ExecRequest) -> Result<ExecResult, ApiError> {
    let (plan, stdin) = execute::plan(state, req)?;
    let _permit = state.admission.admit().await?;
    execute::execute(state, plan, stdin).await
}

/// The CodeEngine seed's contract (`{"output": ...}`) plus richer fields.
async fn execute_codeengine(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let body: ExecuteBody = parse_body(body)?;
    let req = ExecRequest {
        language: body.language,
        files: files_of(body.code, body.files),
        stdin: body.stdin.into_bytes(),
        args: body.args,
        limits: body.limits.into(),
        dependencies: body.dependencies,
    };
    let result = run_request(&state, req).await?;
    let stage = match (&result.run, &result.compile) {
        (Some(run), _) => run.clone(),
        (None, Some(compile)) => compile.clone(),
        (None, None) => execute::Stage::default(),
    };
    Ok(Json(json!({
        "output": stage.output,
        "stdout": stage.stdout,
        "stderr": stage.stderr,
        "exit_code": stage.exit_code,
        "signal": stage.signal,
        "verdict": stage.verdict,
        "time_ms": stage.time_ms,
        "truncated": stage.truncated,
        "language": result.language,
        "compile": result.compile,
        "limits": {
            "time_ms": result.limits.time.as_millis() as u64,
            "memory_bytes": result.limits.memory,
            "cpus": result.limits.cpus,
            "pids": result.limits.pids,
            "output_bytes": result.limits.output,
        },
    })))
}

async fn piston_runtimes(State(state): State<Arc<AppState>>) -> Json<Value> {
    let list: Vec<Value> = state
        .profiles
        .iter()
        .map(|p| json!({ "language": p.name, "version": p.version, "aliases": p.aliases }))
        .collect();
    Json(Value::Array(list))
}

#[derive(Debug, Deserialize)]
struct PistonBody {
    language: String,
    #[serde(default)]
    #[allow(dead_code)]
    version: Option<String>,
    files: Vec<ApiFile>,
    #[serde(default)]
    stdin: String,
    #[serde(default)]
    args: Vec<String>,
    /// Milliseconds.
    #[serde(default)]
    run_timeout: Option<u64>,
    #[serde(default)]
    compile_timeout: Option<u64>,
    /// Bytes; -1 means no limit (the server's maximum).
    #[serde(default)]
    run_memory_limit: Option<i64>,
    #[serde(default)]
    compile_memory_limit: Option<i64>,
}

/// Piston v2's `/api/v2/execute`, so Piston clients work unchanged.
async fn piston_execute(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let body: PistonBody = parse_body(body)?;
    let timeout = body.run_timeout.or(body.compile_timeout);
    let memory = body
        .run_memory_limit
        .or(body.compile_memory_limit)
        .filter(|m| *m > 0);
    let req = ExecRequest {
        language: body.language,
        files: files_of(None, body.files),
        stdin: body.stdin.into_bytes(),
        args: body.args,
        limits: LimitOverrides {
            time: timeout.map(|ms| format!("{ms}ms")),
            memory: memory.map(|m| m.to_string()),
            ..Default::default()
        },
        dependencies: None,
    };
    let result = run_request(&state, req).await?;
    let piston = |s: &execute::Stage| {
        json!({
            "stdout": s.stdout,
            "stderr": s.stderr,
            "output": s.output,
            "code": s.exit_code.filter(|c| *c < 128),
            "signal": s.signal.map(signal_name),
        })
    };
    let mut response = json!({ "language": result.language, "version": result.version });
    if let Some(compile) = &result.compile {
        response["compile"] = piston(compile);
    }
    if let Some(run) = &result.run {
        response["run"] = piston(run);
    }
    Ok(Json(response))
}

fn signal_name(n: i64) -> String {
    match n {
        2 => "SIGINT",
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        _ => return format!("SIG{n}"),
    }
    .to_string()
}
