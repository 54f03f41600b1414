//! Request bodies shared by the APIs: JSON parsed by us rather than by axum's `Json`, so bad JSON
//! and oversized or unreadable bodies get the API's JSON errors, and the files a client sends.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use serde::Deserialize;

use crate::server::http::api_error::ApiError;

/// Parse a JSON body ourselves, so that bad JSON and oversized bodies get JSON errors.
pub fn parse_body<T: serde::de::DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
) -> Result<T, ApiError> {
    let body = body.map_err(ApiError::unreadable_body)?;
    serde_json::from_slice(&body).map_err(|e| ApiError::bad_request(format!("invalid JSON: {e}")))
}

/// One file of a request; an empty name means the language's conventional one.
#[derive(Debug, Deserialize)]
pub struct ApiFile {
    #[serde(default)]
    name: String,
    content: String,
}

/// A request's files as (name, content): `code` first (unnamed), then `files` in order.
pub fn files_of(code: Option<String>, files: Vec<ApiFile>) -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<(String, Vec<u8>)> = code
        .map(|c| (String::new(), c.into_bytes()))
        .into_iter()
        .collect();
    all.extend(files.into_iter().map(|f| (f.name, f.content.into_bytes())));
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_json_is_a_400_naming_it() {
        let error = parse_body::<serde_json::Value>(Ok(Bytes::from_static(b"{"))).unwrap_err();
        assert_eq!(error.status(), axum::http::StatusCode::BAD_REQUEST);
        assert!(error.to_string().starts_with("invalid JSON"));
    }

    #[test]
    fn code_comes_first_and_unnamed() {
        let files = vec![ApiFile {
            name: "lib.py".into(),
            content: "x = 1".into(),
        }];
        let all = files_of(Some("import lib".into()), files);
        assert_eq!(all[0], (String::new(), b"import lib".to_vec()));
        assert_eq!(all[1].0, "lib.py");
    }
}
