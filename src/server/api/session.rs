//! Interactive sessions over WebSocket, in the interactive session protocol:
//! server -> client `{"type":"stdout"|"stderr","data":...}` and
//! `{"type":"state","state":"waiting"|"running"|"finished"|"terminated", ...}` (waiting: for a
//! run slot, the image and the compiler);
//! client -> server `{"type":"input","data":...}`. Output is sent as it arrives.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Extension, Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::mpsc;

use crate::server::api::execute;
use crate::server::api::pending::Pending;
use crate::server::http::api_error::ApiError;
use crate::server::http::auth::Identity;
use crate::server::http::body::parse_body;
use crate::server::http::state::AppState;
use codecage::limits::LimitOverrides;
use codecage::plan::RunPlan;
use codecage::prepare::{prepare, Prepared};
use codecage::sandbox::{Input, OutputSink, Signal};
use codecage::verdict::Verdict;
use codecage::wire::exec_request::ExecRequest;

/// Largest input message accepted from a client.
const MAX_INPUT_MESSAGE: usize = 64 * 1024;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    language: String,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    args: Vec<String>,
    /// More files next to `code` (multi-file programs).
    #[serde(default)]
    files: Vec<crate::server::http::body::ApiFile>,
    /// Run the program on a TTY (then `cols` and `rows` give its size; default 80x24).
    #[serde(default)]
    tty: bool,
    #[serde(default)]
    cols: Option<u16>,
    #[serde(default)]
    rows: Option<u16>,
    /// A dependency set the operator enabled (`--deps-set LANG:SET`).
    #[serde(default)]
    dependencies: Option<String>,
}

/// `POST /session`: validate now (400 on a bad language or name), run when the socket connects.
pub async fn create(
    State(state): State<Arc<AppState>>,
    identity: Option<Extension<Identity>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let raw = body.as_ref().map(Bytes::clone).unwrap_or_default();
    let body: CreateBody = parse_body(body)?;
    if let Some(broker) = &state.broker {
        return hand_to_worker(&state, broker.as_ref(), &headers, &body.language, raw).await;
    }
    // Sessions are long-lived: cap how many one token (or all anonymous clients) may hold,
    // counted by what authenticated the request, not by headers the client may vary.
    let Some(Extension(identity)) = identity else {
        return Err(ApiError::internal(
            "the request was not authenticated".into(),
        ));
    };
    let owner = identity.key().to_string();
    let held = {
        let pending = state
            .sessions
            .lock()
            .map(|s| s.values().filter(|p| p.owner == owner).count())
            .unwrap_or(0);
        let active = state
            .session_owners
            .lock()
            .map(|a| a.get(&owner).copied().unwrap_or(0))
            .unwrap_or(0);
        pending + active
    };
    if held >= state.settings.sessions_per_token {
        return Err(ApiError::too_many(format!(
            "this client already holds {held} sessions (at most {})",
            state.settings.sessions_per_token
        )));
    }
    let req = ExecRequest {
        language: body.language,
        files: crate::server::http::body::files_of(body.code, body.files),
        stdin: Vec::new(),
        args: body.args,
        limits: LimitOverrides::default(),
        dependencies: body.dependencies,
        tweaks: Default::default(),
    };
    let (mut plan, _) = execute::plan(&state, req)?;
    // Someone is at the keyboard: the profile's quicker compile, as `codecage run` uses.
    plan.quick = true;
    let mut limits = state.settings.session_limits.clone();
    limits.memory = plan.limits.memory;
    limits.pids = plan.limits.pids;
    limits.cpus = plan.limits.cpus;
    plan.limits = limits;
    let id = match &state.node {
        Some(node) => format!("{node}.{}", uuid::Uuid::new_v4()),
        None => uuid::Uuid::new_v4().to_string(),
    };
    if let Ok(mut sessions) = state.sessions.lock() {
        sessions.insert(
            id.clone(),
            Pending {
                plan,
                created: Instant::now(),
                owner,
                tty: body.tty.then(|| {
                    (
                        body.cols.unwrap_or(80).clamp(1, 1000),
                        body.rows.unwrap_or(24).clamp(1, 1000),
                    )
                }),
            },
        );
    }
    Ok(Json(json!({ "sessionId": id })))
}

/// Scale-out: a session runs on a worker, not on this API node. Pick the least loaded live worker
/// that takes sessions for the language, and pass the request on as it came; the session id it
/// answers with starts with the worker's node id, which the load balancer routes the WebSocket by.
async fn hand_to_worker(
    state: &AppState,
    broker: &dyn crate::server::scaleout::broker::Broker,
    headers: &HeaderMap,
    language: &str,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let profile = state.profiles.by_name(language).ok_or_else(|| {
        ApiError::bad_request(format!(
            "unknown language {language:?}; known: {}",
            state.profiles.names()
        ))
    })?;
    let workers = broker
        .workers()
        .await
        .map_err(|e| ApiError::unavailable(e.to_string()))?;
    let load = |w: &crate::server::scaleout::broker::WorkerInfo| {
        w.running as f64 / w.concurrency.max(1) as f64
    };
    let candidates: Vec<_> = workers
        .iter()
        .filter(|w| w.url.is_some() && w.languages.contains(&profile.name))
        .collect();
    let least = candidates
        .iter()
        .map(|w| load(w))
        .fold(f64::INFINITY, f64::min);
    let idlest: Vec<_> = candidates.iter().filter(|w| load(w) <= least).collect();
    // Ties go to a random one, so sessions created between two announcements spread out.
    let Some(worker) = (!idlest.is_empty())
        .then(|| idlest[uuid::Uuid::new_v4().as_u128() as usize % idlest.len()])
    else {
        return Err(ApiError::unavailable(format!(
            "no worker takes interactive sessions for {} (start workers with --listen)",
            profile.name
        )));
    };
    let url = worker.url.as_deref().unwrap_or_default();
    let target = crate::http_client::Target::parse(url)
        .map_err(|e| ApiError::internal(format!("worker {}: its URL {url:?} {e}", worker.node)))?;
    // This node authenticated the client: it vouches with its own token, which the workers
    // share (the client's Authorization may be anything when its token came another way).
    let bearer = state.settings.token.as_ref().map(|t| format!("Bearer {t}"));
    let auth = bearer.as_deref().or_else(|| {
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
    });
    let auth: Vec<(&str, &str)> = auth.map(|a| ("authorization", a)).into_iter().collect();
    let sent = crate::http_client::send("POST", &target, "/session", &auth, body, 64 << 10);
    let (status, answer) = tokio::time::timeout(Duration::from_secs(10), sent)
        .await
        .map_err(|_| ApiError::unavailable(format!("worker {} did not answer", worker.node)))?
        .map_err(|e| ApiError::unavailable(format!("worker {}: {e}", worker.node)))?;
    let answer: Value = serde_json::from_slice(&answer).unwrap_or(Value::Null);
    if status == 200 {
        Ok(Json(answer))
    } else {
        let message = answer["error"]
            .as_str()
            .unwrap_or("the worker refused the session");
        Err(ApiError::from_worker(status, message.to_string()))
    }
}

/// Drop sessions whose socket did not connect in time (nothing runs before it does).
pub async fn reap(state: Arc<AppState>) {
    let within = state.settings.session_connect;
    loop {
        tokio::time::sleep((within / 4).clamp(Duration::from_millis(100), Duration::from_secs(5)))
            .await;
        if let Ok(mut sessions) = state.sessions.lock() {
            sessions.retain(|_, p| p.created.elapsed() < within);
        }
    }
}

/// `GET /ws/session/{id}` (WebSocket).
pub async fn connect(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    // Browsers send Origin: a page from another site must not drive sessions (cross-site
    // WebSocket hijacking). Non-browser clients send none.
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
        if origin_host != host {
            return ApiError::forbidden(format!("origin {origin} may not open sessions on {host}"))
                .into_response();
        }
    }
    let pending = state.sessions.lock().ok().and_then(|mut s| s.remove(&id));
    let Some(pending) = pending else {
        return ApiError::not_found(format!(
            "no session {id:?} (unknown, already connected or expired)"
        ))
        .into_response();
    };
    ws.max_message_size(MAX_INPUT_MESSAGE)
        .on_upgrade(move |socket| run(state, pending, socket))
}

/// Sends program output to the socket as protocol messages.
/// Output that is valid UTF-8 goes out as text (a character split across chunks is held until
/// its end arrives); anything else goes out intact as base64 with `"encoding": "base64"`.
struct Outbox {
    tx: mpsc::UnboundedSender<Value>,
    /// An incomplete UTF-8 sequence at the end of the last chunk, per stream.
    held: [Vec<u8>; 2],
}

impl Outbox {
    fn new(tx: mpsc::UnboundedSender<Value>) -> Outbox {
        Outbox {
            tx,
            held: [Vec::new(), Vec::new()],
        }
    }

    fn send(&mut self, stream: usize, data: &[u8]) {
        let kind = if stream == 0 { "stdout" } else { "stderr" };
        let mut bytes = std::mem::take(&mut self.held[stream]);
        bytes.extend_from_slice(data);
        let message = match std::str::from_utf8(&bytes) {
            Ok(text) => json!({ "type": kind, "data": text }),
            // Only an unfinished character at the very end: send the rest, hold the tail.
            Err(e) if e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4 => {
                let tail = bytes.split_off(e.valid_up_to());
                self.held[stream] = tail;
                if bytes.is_empty() {
                    return;
                }
                json!({ "type": kind, "data": String::from_utf8_lossy(&bytes) })
            }
            Err(_) => base64_message(kind, &bytes),
        };
        let _ = self.tx.send(message);
    }

    /// Whatever is still held at the end goes out as base64 (it was not valid UTF-8).
    fn flush(&mut self) {
        for (stream, kind) in [(0, "stdout"), (1, "stderr")] {
            let bytes = std::mem::take(&mut self.held[stream]);
            if !bytes.is_empty() {
                let _ = self.tx.send(base64_message(kind, &bytes));
            }
        }
    }
}

/// Output that is not UTF-8, intact.
fn base64_message(kind: &str, bytes: &[u8]) -> Value {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    json!({ "type": kind, "data": encoded, "encoding": "base64" })
}

impl OutputSink for Outbox {
    fn stdout(&mut self, data: &[u8]) -> std::io::Result<()> {
        self.send(0, data);
        Ok(())
    }
    fn stderr(&mut self, data: &[u8]) -> std::io::Result<()> {
        self.send(1, data);
        Ok(())
    }
}

async fn run(state: Arc<AppState>, pending: Pending, socket: WebSocket) {
    let (plan, tty, owner) = (pending.plan, pending.tty, pending.owner);
    if let Ok(mut owners) = state.session_owners.lock() {
        *owners.entry(owner.clone()).or_default() += 1;
    }
    state.metrics.active_sessions.fetch_add(1, Ordering::SeqCst);
    let (mut ws_tx, mut ws_rx) = socket.split();
    let (out_tx, mut out_rx) = mpsc::unbounded_channel::<Value>();
    let (in_tx, in_rx) = mpsc::channel::<Input>(64);
    let cancel = state.shutdown.child_token();

    // Socket writer: the output is bounded by the run's output limit, so the queue is too.
    let writer = tokio::spawn(async move {
        while let Some(message) = out_rx.recv().await {
            if ws_tx
                .send(Message::Text(message.to_string().into()))
                .await
                .is_err()
            {
                break;
            }
        }
        let _ = ws_tx.close().await;
    });
    // Socket reader: input for the program; a vanished client ends the run.
    let reader_cancel = cancel.clone();
    let reader = tokio::spawn(async move {
        while let Some(Ok(message)) = ws_rx.next().await {
            let text = match message {
                Message::Text(t) => t.to_string(),
                Message::Close(_) => break,
                _ => continue,
            };
            let Ok(value) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            if value["type"] == "input" {
                if let Some(data) = value["data"].as_str() {
                    if in_tx
                        .send(Input::Data(data.as_bytes().to_vec()))
                        .await
                        .is_err()
                    {
                        break;
                    }
                }
            } else if value["type"] == "eof" {
                let _ = in_tx.send(Input::Eof).await;
            } else if value["type"] == "resize" {
                let size = |k: &str| value[k].as_u64().map(|n| n.clamp(1, 1000) as u16);
                if let (Some(cols), Some(rows)) = (size("cols"), size("rows")) {
                    let _ = in_tx.send(Input::Resize { cols, rows }).await;
                }
            } else if value["type"] == "signal" {
                if let Some(signal) = value["signal"].as_str().and_then(Signal::parse) {
                    let _ = in_tx.send(Input::Signal(signal)).await;
                }
            }
        }
        reader_cancel.cancel();
    });

    let final_state = session(&state, &plan, tty, in_rx, &out_tx, cancel).await;
    let _ = out_tx.send(final_state);
    drop(out_tx);
    reader.abort();
    let _ = writer.await;
    state.metrics.active_sessions.fetch_sub(1, Ordering::SeqCst);
    if let Ok(mut owners) = state.session_owners.lock() {
        if let Some(n) = owners.get_mut(&owner) {
            *n = n.saturating_sub(1);
        }
    }
}

/// Compile and run; returns the final state message.
async fn session(
    state: &Arc<AppState>,
    plan: &RunPlan,
    tty: Option<(u16, u16)>,
    input: mpsc::Receiver<Input>,
    out: &mpsc::UnboundedSender<Value>,
    cancel: tokio_util::sync::CancellationToken,
) -> Value {
    let terminated =
        |reason: &str| json!({ "type": "state", "state": "terminated", "reason": reason });
    // Waiting for a run slot, the image and the compiler; "running" once the program starts.
    let _ = out.send(json!({ "type": "state", "state": "waiting" }));
    let Ok(_permit) = state.admission.admit().await else {
        return terminated("server busy");
    };
    let mut outbox = Outbox::new(out.clone());
    let prepared = prepare(&state.docker, plan, &mut outbox, false, cancel.clone()).await;
    let spec = match prepared {
        Ok(Prepared::Ready(ready)) => ready.spec(plan).with_tty(tty).with_signals(true),
        Ok(Prepared::CompileFailed(failure)) => {
            return json!({ "type": "state", "state": "terminated", "reason": "compilation failed", "verdict": failure.verdict() })
        }
        Err(e) => return terminated(&format!("{e:#}")),
    };
    let _ = out.send(json!({ "type": "state", "state": "running" }));
    let result = codecage::launch::run(&state.docker, &spec, input, &mut outbox, cancel).await;
    outbox.flush();
    match result {
        Ok(outcome) => {
            let verdict = outcome.verdict();
            state
                .metrics
                .record(&plan.profile.name, verdict.code(), outcome.wall);
            let state = match verdict {
                Verdict::Accepted | Verdict::RuntimeError => "finished",
                _ => "terminated",
            };
            // The kernel's figures from the sandbox's cgroup (null where they cannot be read).
            json!({
                "type": "state",
                "state": state,
                "exitCode": outcome.exit_code,
                "verdict": verdict,
                "wallMs": outcome.wall.as_millis() as u64,
                "cpuMs": outcome.cpu_ms(),
                "memoryBytes": outcome.memory_peak,
            })
        }
        Err(e) => terminated(&format!("{e:#}")),
    }
}
