//! `codecage run --server URL`: the same run through a `codecage serve` instance, over its session
//! protocol, with the same terminal behaviour and exit statuses as a local run.

use std::io::Write;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;

use anyhow::{anyhow, bail, Context, Result};
use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_util::sync::CancellationToken;

use crate::console::{pump_stdin, watch_resize, watch_signals};
use crate::output::Verbosity;
use crate::terminal::{self, RawGuard};
use codecage::exit_code;
use codecage::plan::RunPlan;
use codecage::sandbox::Input;
use codecage::verdict::Verdict;

pub async fn run(server: &str, plan: RunPlan, verbosity: Verbosity) -> Result<u8> {
    let authority = authority(server)?;
    let token = token();
    let size = plan.tty.then(|| terminal::size().unwrap_or((80, 24)));
    let body = session_request(&plan, size)?;
    let created = post(&authority, "/session", &body, token.as_deref()).await?;
    let id = created["sessionId"]
        .as_str()
        .ok_or_else(|| anyhow!("the server answered without a session id: {created}"))?;
    let mut request = format!("ws://{authority}/ws/session/{id}").into_client_request()?;
    if let Some(token) = &token {
        request
            .headers_mut()
            .insert("Authorization", format!("Bearer {token}").parse()?);
    }
    let (socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .with_context(|| format!("cannot connect to {server}"))?;
    let (mut ws_tx, mut ws_rx) = socket.split();

    let interrupted = Arc::new(AtomicI32::new(0));
    let cancel = CancellationToken::new();
    tokio::spawn(watch_signals(cancel.clone(), interrupted.clone()));
    let (input_tx, mut input_rx) = mpsc::channel(16);
    let guard = if plan.tty {
        Some(RawGuard::enable()?)
    } else {
        None
    };
    tokio::spawn(pump_stdin(input_tx.clone()));
    if plan.tty {
        tokio::spawn(watch_resize(input_tx));
    } else {
        drop(input_tx);
    }

    let mut last_state = Value::Null;
    let mut input_open = true;
    loop {
        tokio::select! {
            message = ws_rx.next() => {
                let Some(Ok(message)) = message else { break };
                let Message::Text(text) = message else { continue };
                let Ok(value) = serde_json::from_str::<Value>(&text) else { continue };
                match value["type"].as_str() {
                    Some(kind @ ("stdout" | "stderr")) if write_output(kind, &value).is_err() => break,
                    Some("state") if !matches!(value["state"].as_str(), Some("waiting" | "running")) => {
                        last_state = value;
                    }
                    _ => {}
                }
            }
            event = input_rx.recv(), if input_open => {
                let message = match event {
                    Some(Input::Data(bytes)) => json!({ "type": "input", "data": String::from_utf8_lossy(&bytes) }),
                    Some(Input::Resize { cols, rows }) => json!({ "type": "resize", "cols": cols, "rows": rows }),
                    Some(Input::Eof) | None => {
                        input_open = false;
                        json!({ "type": "eof" })
                    }
                    Some(Input::Signal(_)) => continue,
                };
                if ws_tx.send(Message::Text(message.to_string().into())).await.is_err() {
                    break;
                }
            }
            _ = cancel.cancelled() => {
                // Closing the socket makes the server kill and remove the run.
                let _ = ws_tx.close().await;
                drop(guard);
                return Ok(exit_code::interrupted(interrupted.load(Ordering::SeqCst)));
            }
        }
    }
    drop(guard);
    if verbosity == Verbosity::Verbose {
        eprintln!("codecage: {}", usage_of(&last_state));
    }
    let (code, message) = status_of(&last_state);
    if let (Some(message), false) = (message, verbosity == Verbosity::Quiet) {
        eprintln!("codecage: {message}");
    }
    Ok(code)
}

/// The `POST /session` body for this plan: the entry file first, then the rest, by name.
fn session_request(plan: &RunPlan, size: Option<(u16, u16)>) -> Result<Value> {
    let mut files = Vec::new();
    for name in std::iter::once(plan.main.as_str())
        .chain(plan.workspace.names().filter(|n| *n != plan.main))
    {
        let data = plan.workspace.get(name).unwrap_or_default();
        let content = std::str::from_utf8(data).map_err(|_| {
            anyhow!("{name} is not UTF-8 text; the server protocol carries text files only")
        })?;
        files.push(json!({ "name": name, "content": content }));
    }
    // A server installs only the dependency sets its operator enabled, never a client's manifest.
    // A manifest that merely sits next to the program is sent as a plain file (an explicit
    // --deps is refused before we get here).
    let deps_set = plan.deps.as_ref().and_then(|d| d.set.clone());
    Ok(json!({
        "language": plan.profile.name,
        "files": files,
        "args": plan.args,
        "dependencies": deps_set,
        "tty": size.is_some(),
        "cols": size.map(|s| s.0),
        "rows": size.map(|s| s.1),
    }))
}

/// A `stdout`/`stderr` message to our own stream (base64 when the server says so).
fn write_output(kind: &str, value: &Value) -> std::io::Result<()> {
    let data = value["data"].as_str().unwrap_or_default();
    let bytes = if value["encoding"] == "base64" {
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .unwrap_or_default()
    } else {
        data.as_bytes().to_vec()
    };
    if kind == "stdout" {
        let mut out = std::io::stdout().lock();
        out.write_all(&bytes).and_then(|()| out.flush())
    } else {
        let mut err = std::io::stderr().lock();
        err.write_all(&bytes).and_then(|()| err.flush())
    }
}

/// The session's last state message, as the interactive session protocol sends it.
#[derive(Debug, Default, serde::Deserialize)]
struct FinalState {
    state: Option<String>,
    #[serde(rename = "exitCode")]
    exit_code: Option<i64>,
    verdict: Option<Verdict>,
    reason: Option<String>,
}

/// "ran on the server: wall 12 ms, cpu 8 ms, peak memory 3.1 MiB", from the final state.
fn usage_of(state: &Value) -> String {
    let figure = |key: &str, show: &dyn Fn(u64) -> String| {
        state[key].as_u64().map_or("unknown".to_string(), show)
    };
    format!(
        "ran on the server: wall {}, cpu {}, peak memory {}",
        figure("wallMs", &|ms| format!("{ms} ms")),
        figure("cpuMs", &|ms| format!("{ms} ms")),
        figure("memoryBytes", &codecage::units::format_size_approx),
    )
}

/// The exit status and message for the session's final state, as a local run would give them.
fn status_of(state: &Value) -> (u8, Option<String>) {
    let state: FinalState = serde_json::from_value(state.clone()).unwrap_or_default();
    match (state.state.as_deref(), state.verdict) {
        (Some("finished"), verdict) => (
            exit_code::for_verdict(verdict.unwrap_or(Verdict::Accepted), state.exit_code),
            None,
        ),
        (
            _,
            Some(
                verdict @ (Verdict::TimeLimit
                | Verdict::MemoryLimit
                | Verdict::OutputLimit
                | Verdict::CompileError),
            ),
        ) => {
            let message = match verdict {
                Verdict::CompileError => verdict.description().to_string(),
                _ => format!("{} (the server's)", verdict.description()),
            };
            (
                exit_code::for_verdict(verdict, state.exit_code),
                Some(message),
            )
        }
        (Some(_), _) => (
            exit_code::CODECAGE_ERROR,
            Some(format!(
                "the server ended the session: {}",
                state.reason.as_deref().unwrap_or("no reason given")
            )),
        ),
        (None, _) => (
            exit_code::CODECAGE_ERROR,
            Some("the server closed the session without a result".into()),
        ),
    }
}

/// POST JSON to the server (plain HTTP on a trusted network) and read its JSON answer; anything
/// but 200 is an error with the server's reason.
pub async fn post(authority: &str, path: &str, body: &Value, token: Option<&str>) -> Result<Value> {
    let target = crate::http_client::Target::parse(&format!("http://{authority}/"))
        .map_err(|e| anyhow!("--server http://{authority}: {e}"))?;
    let auth = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = auth
        .as_deref()
        .map(|a| ("authorization", a))
        .into_iter()
        .collect();
    let body = bytes::Bytes::from(body.to_string());
    let (status, answer) =
        crate::http_client::send("POST", &target, path, &headers, body, MAX_ANSWER)
            .await
            .map_err(|e| anyhow!("cannot reach the server at {authority}: {e}"))?;
    let value: Value = serde_json::from_slice(&answer).unwrap_or(Value::Null);
    if status != 200 {
        bail!(
            "the server refused the request ({status}): {}",
            value["error"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| String::from_utf8_lossy(&answer).trim().to_string())
        );
    }
    Ok(value)
}

/// The largest answer read from a server (a grading report with every case).
const MAX_ANSWER: usize = 64 << 20;

/// `--server http://HOST:PORT` as HOST:PORT.
pub fn authority(server: &str) -> Result<String> {
    Ok(server
        .strip_prefix("http://")
        .ok_or_else(|| anyhow!("--server {server}: only http:// URLs are supported"))?
        .trim_end_matches('/')
        .to_string())
}

/// The API token sent to a server: CODECAGE_TOKEN.
pub fn token() -> Option<String> {
    std::env::var("CODECAGE_TOKEN")
        .ok()
        .filter(|t| !t.is_empty())
}
