//! The three `/languages` routes: the table of `languages.rs` as Judge0 shows it.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use super::error::Judge0Error;
use super::Judge0;

/// A command as one line, the way Judge0 shows `compile_cmd` and `run_cmd`.
fn command_line(argv: &[String]) -> String {
    shlex::try_join(argv.iter().map(String::as_str)).unwrap_or_else(|_| argv.join(" "))
}

/// `GET /languages`: `[{id, name}]`.
pub async fn list(State(j): State<Arc<Judge0>>) -> Json<Value> {
    Json(Value::Array(
        j.languages
            .iter()
            .map(|l| json!({"id": l.id, "name": l.name}))
            .collect(),
    ))
}

/// `GET /languages/all`: the same with `is_archived` (none of ours is).
pub async fn all(State(j): State<Arc<Judge0>>) -> Json<Value> {
    Json(Value::Array(
        j.languages
            .iter()
            .map(|l| json!({"id": l.id, "name": l.name, "is_archived": false}))
            .collect(),
    ))
}

/// `GET /languages/{id}`: with the source file and commands.
pub async fn one(
    State(j): State<Arc<Judge0>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, Judge0Error> {
    let language = id
        .parse::<u32>()
        .ok()
        .and_then(|id| j.languages.by_id(id))
        .ok_or_else(|| Judge0Error::NotFound(format!("language {id} not found")))?;
    let p = &language.profile;
    let (source_file, compile_cmd, run_cmd) = if language.multi_file {
        (
            Value::Null,
            json!("/bin/bash compile"),
            json!("/bin/bash run"),
        )
    } else {
        let source = p
            .main
            .clone()
            .unwrap_or_else(|| format!("main.{}", p.extension()));
        let fill = |argv: &[String]| {
            let stem = source.rsplit_once('.').map_or(source.as_str(), |(s, _)| s);
            let filled: Vec<String> = argv
                .iter()
                .map(|a| {
                    a.replace("{sources}", &source)
                        .replace("{main}", &source)
                        .replace("{stem}", stem)
                })
                .collect();
            command_line(&filled)
        };
        let compile = p.compile.as_deref().map(fill);
        (json!(source), json!(compile), json!(fill(&p.run)))
    };
    Ok(Json(json!({
        "id": language.id,
        "name": language.name,
        "is_archived": false,
        "source_file": source_file,
        "compile_cmd": compile_cmd,
        "run_cmd": run_cmd,
    })))
}
