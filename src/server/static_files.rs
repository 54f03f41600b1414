//! What the server serves from its own binary: the web page, its vendored assets (xterm.js from
//! npm, with its licence) and the OpenAPI description. Compiled in, so a deployment is one file.

use axum::extract::Path;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

use super::api_error::ApiError;

/// `GET /`: the page for people.
pub async fn page() -> Html<&'static str> {
    Html(include_str!("page.html"))
}

/// `GET /static/{file}`: only the files listed here; anything else is a 404.
pub async fn static_file(Path(file): Path<String>) -> Response {
    let (body, kind): (&'static [u8], &str) = match file.as_str() {
        "xterm.js" => (include_bytes!("static/xterm.js"), "text/javascript"),
        "addon-fit.js" => (include_bytes!("static/addon-fit.js"), "text/javascript"),
        "xterm.css" => (include_bytes!("static/xterm.css"), "text/css"),
        "LICENSE-xterm.txt" => (include_bytes!("static/LICENSE-xterm.txt"), "text/plain"),
        "LICENSE-addon-fit.txt" => (include_bytes!("static/LICENSE-addon-fit.txt"), "text/plain"),
        _ => return ApiError::not_found(format!("no static file {file:?}")).into_response(),
    };
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

/// `GET /openapi.json`.
pub async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("openapi.json"),
    )
}
