//! `/about`, `/config_info`, `/system_info` and `/workers`: what Judge0 clients read before they
//! submit. `/config_info` has every key Judge0 (and the SDK's `Config` model) has, with this
//! server's real limits and switches.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use serde_json::{json, Map, Value};

use super::additional_files::MAX_EXTRACT_BYTES;
use super::callback;
use super::handlers::MAX_BATCH;
use super::Judge0;

/// `GET /about`: version 1.13.1, so clients pick 1.13.1's language ids.
pub async fn about() -> Json<Value> {
    Json(json!({
        "version": "1.13.1",
        "homepage": "https://github.com/codecage/codecage",
        "source_code": "https://github.com/codecage/codecage",
        "maintainer": "codecage (Judge0 CE 1.13.1 compatible API)",
    }))
}

/// `GET /version`: the version as plain text, as Judge0 answers it.
pub async fn version() -> &'static str {
    "1.13.1"
}

/// `GET /license`: plain text, as Judge0's; this server's license (codecage's, not Judge0's
/// GPL: no Judge0 code is in it).
pub async fn license() -> String {
    format!(
        "codecage {} is licensed under the {} license.\n",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_LICENSE")
    )
}

/// `GET /config_info`.
pub async fn config_info(State(j): State<Arc<Judge0>>) -> Json<Value> {
    let l = &j.limits;
    let callbacks = !j.settings.callback_allow.is_empty();
    Json(json!({
        "maintenance_mode": false,
        "enable_wait_result": true,
        "enable_compiler_options": true,
        "allowed_languages_for_compile_options": j.languages.with_compiler_options(),
        "enable_command_line_arguments": true,
        // Deleting needs Judge0's authorization token, so only with one configured.
        "enable_submission_delete": j.settings.admin_token.is_some(),
        "enable_callbacks": callbacks,
        "callbacks_max_tries": callback::MAX_TRIES,
        "callbacks_timeout": callback::TIMEOUT.as_secs_f64(),
        "enable_additional_files": true,
        "max_queue_size": j.queue.max(),
        "cpu_time_limit": l.cpu_time_limit,
        "max_cpu_time_limit": l.max_cpu_time_limit,
        "cpu_extra_time": l.cpu_extra_time,
        "max_cpu_extra_time": l.max_cpu_extra_time,
        "wall_time_limit": l.wall_time_limit,
        "max_wall_time_limit": l.max_wall_time_limit,
        "memory_limit": l.memory_limit,
        "max_memory_limit": l.max_memory_limit,
        "stack_limit": l.stack_limit,
        "max_stack_limit": l.max_stack_limit,
        "max_processes_and_or_threads": l.max_processes_and_or_threads,
        "max_max_processes_and_or_threads": l.max_max_processes_and_or_threads,
        // cgroup limits cover every process of the sandbox together, always.
        "enable_per_process_and_thread_time_limit": false,
        "allow_enable_per_process_and_thread_time_limit": true,
        "enable_per_process_and_thread_memory_limit": false,
        "allow_enable_per_process_and_thread_memory_limit": true,
        "max_file_size": l.max_file_size,
        "max_max_file_size": l.max_max_file_size,
        "number_of_runs": 1,
        "max_number_of_runs": l.max_number_of_runs,
        "redirect_stderr_to_stdout": false,
        "max_extract_size": MAX_EXTRACT_BYTES / 1024,
        "enable_batched_submissions": true,
        "max_submission_batch_size": MAX_BATCH,
        // Programs never get a network here, whatever is asked.
        "enable_network": false,
        "allow_enable_network": false,
        "submission_cache_duration": 0.0,
        "use_docs_as_homepage": false,
    }))
}

/// `GET /system_info`: `lscpu`-like pairs of the host that runs the sandboxes.
pub async fn system_info() -> Json<Value> {
    let mut info = Map::new();
    info.insert("Architecture".into(), json!(std::env::consts::ARCH));
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    info.insert("CPU(s)".into(), json!(cpus.to_string()));
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    if let Some(model) = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split_once(':')))
    {
        info.insert("Model name".into(), json!(model.1.trim()));
    }
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    if let Some(total) = meminfo.lines().find_map(|l| l.strip_prefix("MemTotal:")) {
        info.insert("Mem".into(), json!(total.trim()));
    }
    Json(Value::Object(info))
}

/// `GET /workers`: the one queue, its length and its workers.
pub async fn workers(State(j): State<Arc<Judge0>>) -> Json<Value> {
    if let Some(broker) = &j.app.broker {
        // Scale-out: the shared queue and the workers that announced themselves.
        let size = broker.queue_len().await.unwrap_or(0);
        let workers = broker.workers().await.unwrap_or_default();
        let available: usize = workers.iter().map(|w| w.concurrency).sum();
        let working: usize = workers.iter().map(|w| w.running).sum();
        return Json(json!([{
            "queue": "1.13.1",
            "size": size,
            "available": available,
            "idle": available.saturating_sub(working),
            "working": working,
            "paused": 0,
            "failed": 0,
            "workers": workers,
        }]));
    }
    let workers = j.app.settings.run_slots();
    let working = j.queue.working();
    Json(json!([{
        "queue": "1.13.1",
        "size": j.queue.queued(),
        "available": workers,
        "idle": workers.saturating_sub(working),
        "working": working,
        "paused": 0,
        "failed": 0,
    }]))
}
