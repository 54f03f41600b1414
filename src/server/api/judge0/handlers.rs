//! The submission routes: create (one or a batch), read (one, a batch, a page), delete. A
//! created submission is stored, then queued; `wait=true` waits for the queue to judge it.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::authz::authorize;
use super::error::{Judge0Error, NOT_UTF8};
use super::fields::{render, render_many, Selection};
use super::judging;
use super::request;
use super::submission::Record;
use super::Judge0;
use crate::server::http::body::parse_body;

/// Judge0's MAX_SUBMISSION_BATCH_SIZE.
pub const MAX_BATCH: usize = 20;
/// Most submissions one page of `GET /submissions` lists.
const MAX_PER_PAGE: usize = 100;

/// The query parameters the routes read (Judge0 ignores others, so do we).
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    base64_encoded: Option<String>,
    wait: Option<String>,
    fields: Option<String>,
    tokens: Option<String>,
    page: Option<String>,
    per_page: Option<String>,
}

/// Rails' truthiness of a query parameter.
fn truthy(value: &Option<String>) -> bool {
    value
        .as_deref()
        .is_some_and(|v| matches!(v, "true" | "1" | "yes" | "on"))
}

impl Params {
    fn base64(&self) -> bool {
        truthy(&self.base64_encoded)
    }
}

type Reply = Result<(StatusCode, Json<Value>), Judge0Error>;

/// `POST /submissions`.
pub async fn create(
    State(j): State<Arc<Judge0>>,
    Query(params): Query<Params>,
    body: Result<Bytes, BytesRejection>,
) -> Reply {
    let selection = Selection::parse(params.fields.as_deref())?;
    let body: Value = parse_body(body)?;
    let mut record = checked(&j, &body, params.base64())?;
    j.admit(1).await?;
    let stored = async {
        record.seq = j.seq().await?;
        j.put(vec![record.clone()]).await
    };
    if let Err(e) = stored.await {
        j.release(1);
        return Err(e.into());
    }
    let token = record.token.clone();
    if !truthy(&params.wait) {
        j.enqueue(vec![token.clone()]).await?;
        return Ok((StatusCode::CREATED, Json(json!({"token": token}))));
    }
    let done = j.judged(&token);
    j.enqueue(vec![token.clone()]).await?;
    tokio::select! {
        _ = done => {}
        // Shutting down: answer with the submission as it stands (it runs after the restart).
        _ = j.stop.cancelled() => {}
    }
    let record = j
        .get(&token)
        .await?
        .ok_or_else(|| Judge0Error::NotFound("submission not found".into()))?;
    match render(&record, &selection, params.base64(), &j.languages) {
        Ok(value) => Ok((StatusCode::CREATED, Json(value))),
        // As Judge0: still 201, with the token, so the client can fetch it with base64.
        Err(Judge0Error::NotUtf8) => Ok((
            StatusCode::CREATED,
            Json(json!({"error": NOT_UTF8, "token": token})),
        )),
        Err(e) => Err(e),
    }
}

/// A submission checked field by field, then planned as it will run (file names, sizes, limits
/// against the server's), so what cannot run is refused now rather than judged an internal error.
fn checked(j: &Judge0, body: &Value, base64: bool) -> Result<Record, Judge0Error> {
    let record = request::parse(j, body, base64)?;
    judging::plan(j, &record)?;
    Ok(record)
}

/// `GET /submissions/{token}`.
pub async fn show(
    State(j): State<Arc<Judge0>>,
    Path(token): Path<String>,
    Query(params): Query<Params>,
) -> Reply {
    let selection = Selection::parse(params.fields.as_deref())?;
    let record = find(&j, &token).await?;
    let value = render(&record, &selection, params.base64(), &j.languages)?;
    Ok((StatusCode::OK, Json(value)))
}

async fn find(j: &Judge0, token: &str) -> Result<Record, Judge0Error> {
    j.get(token)
        .await?
        .ok_or_else(|| Judge0Error::NotFound("submission not found".into()))
}

/// `DELETE /submissions/{token}`: with Judge0's authorization token only; not while queued or
/// running; the answer is always base64, as Judge0's (the submission is gone, so there is no
/// second chance to ask for it).
pub async fn delete(
    State(j): State<Arc<Judge0>>,
    Path(token): Path<String>,
    Query(params): Query<Params>,
    headers: HeaderMap,
    uri: Uri,
) -> Reply {
    authorize(&j, &headers, &uri)?;
    let selection = Selection::parse(params.fields.as_deref())?;
    let record = find(&j, &token).await?;
    if record.is_pending() {
        return Err(Judge0Error::BadRequest(format!(
            "submission cannot be deleted because its status is {} ({})",
            record.status,
            record.status().description()
        )));
    }
    let value = render(&record, &selection, true, &j.languages)?;
    j.delete(record.clone()).await?;
    Ok((StatusCode::OK, Json(value)))
}

/// Ruby's `String#to_i`: leading blanks, an optional sign and the digits that follow; 0 when
/// there are none (Judge0 reads `page` and `per_page` so). Saturates instead of growing.
fn ruby_to_i(text: &str) -> i64 {
    let text = text.trim_start();
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let value = digits
        .bytes()
        .take_while(u8::is_ascii_digit)
        .fold(0i64, |n, d| {
            n.saturating_mul(10).saturating_add(i64::from(d - b'0'))
        });
    if negative {
        -value
    } else {
        value
    }
}

/// A paging query parameter above zero, else 400 `invalid NAME: N` in Judge0's words.
fn positive(value: &Option<String>, name: &str, default: usize) -> Result<usize, Judge0Error> {
    let Some(text) = value.as_deref() else {
        return Ok(default);
    };
    let n = ruby_to_i(text);
    if n <= 0 {
        return Err(Judge0Error::BadRequest(format!("invalid {name}: {n}")));
    }
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

/// `GET /submissions?page=&per_page=`: with Judge0's authorization token only (every client's
/// submissions); newest first, with Judge0's paging `meta`.
pub async fn list(
    State(j): State<Arc<Judge0>>,
    Query(params): Query<Params>,
    headers: HeaderMap,
    uri: Uri,
) -> Reply {
    authorize(&j, &headers, &uri)?;
    let selection = Selection::parse(params.fields.as_deref())?;
    let page = positive(&params.page, "page", 1)?;
    let per_page = positive(&params.per_page, "per_page", 20)?.min(MAX_PER_PAGE);
    let skip = (page - 1).saturating_mul(per_page);
    let (total, records) = j.page(skip, per_page).await?;
    let total = total as usize;
    let total_pages = total.div_ceil(per_page);
    let submissions = render_many(
        records.iter().map(Some),
        &selection,
        params.base64(),
        &j.languages,
    )?;
    Ok((
        StatusCode::OK,
        Json(json!({
            "submissions": submissions,
            "meta": {
                "current_page": page,
                // Lazily: `page + 1` of the largest page number would overflow.
                "next_page": (page < total_pages).then(|| page + 1),
                "prev_page": (page > 1).then(|| page - 1),
                "total_pages": total_pages,
                "total_count": total,
            }
        })),
    ))
}

/// `POST /submissions/batch`: `{"submissions": [...]}`, at most 20; each answered by its token or
/// its errors, 422 only when none is valid.
pub async fn batch_create(
    State(j): State<Arc<Judge0>>,
    Query(params): Query<Params>,
    body: Result<Bytes, BytesRejection>,
) -> Reply {
    // `wait` is ignored, as Judge0 ignores it on a batch (its check_wait is for single creates).
    let body: Value = parse_body(body)?;
    let Some(items) = body.get("submissions").and_then(Value::as_array) else {
        return Err(Judge0Error::BadRequest(
            "give the submissions as {\"submissions\": [...]}".into(),
        ));
    };
    batch_size(items.len())?;
    let parsed: Vec<Result<Record, Judge0Error>> = items
        .iter()
        .map(|item| checked(&j, item, params.base64()))
        .collect();
    let valid = parsed.iter().filter(|p| p.is_ok()).count();
    if valid == 0 {
        let errors: Vec<Value> = parsed.into_iter().map(|p| error_json(p.err())).collect();
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(Value::Array(errors))));
    }
    j.admit(valid).await?;
    let mut records = Vec::new();
    let mut answers = Vec::new();
    for p in parsed {
        match p {
            Ok(mut record) => {
                record.seq = match j.seq().await {
                    Ok(seq) => seq,
                    Err(e) => {
                        j.release(valid);
                        return Err(e.into());
                    }
                };
                answers.push(json!({"token": record.token}));
                records.push(record);
            }
            Err(e) => answers.push(error_json(Some(e))),
        }
    }
    let tokens: Vec<String> = records.iter().map(|r| r.token.clone()).collect();
    if let Err(e) = j.put(records).await {
        j.release(valid);
        return Err(e.into());
    }
    j.enqueue(tokens).await?;
    Ok((StatusCode::CREATED, Json(Value::Array(answers))))
}

/// A batch's size within 1..=20, else Judge0's words.
fn batch_size(n: usize) -> Result<(), Judge0Error> {
    if n > MAX_BATCH {
        Err(Judge0Error::BadRequest(format!(
            "number of submissions in a batch should be less than or equal to {MAX_BATCH}"
        )))
    } else if n == 0 {
        Err(Judge0Error::BadRequest(
            "there should be at least one submission in a batch".into(),
        ))
    } else {
        Ok(())
    }
}

/// One invalid submission of a batch, as Judge0 lists it.
fn error_json(error: Option<Judge0Error>) -> Value {
    match error {
        Some(Judge0Error::Invalid(fields)) => json!(fields),
        Some(other) => json!({"error": other.to_string()}),
        None => Value::Null,
    }
}

/// `GET /submissions/batch?tokens=a,b`: each submission, or null for an unknown token.
pub async fn batch_get(State(j): State<Arc<Judge0>>, Query(params): Query<Params>) -> Reply {
    let selection = Selection::parse(params.fields.as_deref())?;
    let tokens: Vec<String> = params
        .tokens
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    batch_size(tokens.len())?;
    let records = j.get_many(tokens).await?;
    let submissions = render_many(
        records.iter().map(Option::as_ref),
        &selection,
        params.base64(),
        &j.languages,
    )?;
    Ok((StatusCode::OK, Json(json!({"submissions": submissions}))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_numbers_are_read_as_ruby_reads_them() {
        assert_eq!(ruby_to_i("12"), 12);
        assert_eq!(ruby_to_i(" 3abc"), 3);
        assert_eq!(ruby_to_i("abc"), 0);
        assert_eq!(ruby_to_i("-2"), -2);
        assert_eq!(ruby_to_i("99999999999999999999999"), i64::MAX);
        let page = |v: &str| positive(&Some(v.to_string()), "page", 1);
        assert_eq!(page("2").unwrap(), 2);
        assert_eq!(page("0").unwrap_err().to_string(), "invalid page: 0");
        assert_eq!(page("x").unwrap_err().to_string(), "invalid page: 0");
        assert_eq!(page("-1").unwrap_err().to_string(), "invalid page: -1");
        assert_eq!(positive(&None, "page", 1).unwrap(), 1);
    }

    #[test]
    fn batch_sizes_in_judge0s_words() {
        assert!(batch_size(1).is_ok() && batch_size(20).is_ok());
        assert_eq!(
            batch_size(21).unwrap_err().to_string(),
            "number of submissions in a batch should be less than or equal to 20"
        );
        assert_eq!(
            batch_size(0).unwrap_err().to_string(),
            "there should be at least one submission in a batch"
        );
    }
}
