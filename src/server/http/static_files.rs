//! What the server serves from its own binary: the web page, its vendored assets (xterm.js and
//! CodeMirror 5 from npm, with their licences) and the OpenAPI description, all under the
//! repository's `assets/`. Compiled in, so a deployment is one file.

use axum::extract::Path;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

use crate::server::http::api_error::ApiError;

/// A file under the repository's `assets/`, embedded at build time (the vendored scripts live
/// outside `src/`, with their licences beside them).
macro_rules! asset_bytes {
    ($file:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/", $file))
    };
}

/// A text file under `assets/`, embedded at build time.
macro_rules! asset_str {
    ($file:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/", $file))
    };
}

/// `GET /`: the page for people.
pub async fn page() -> Html<&'static str> {
    Html(asset_str!("page.html"))
}

/// `GET /static/{file}`: only the files listed here; anything else is a 404.
pub async fn static_file(Path(file): Path<String>) -> Response {
    let (body, kind): (&'static [u8], &str) = match file.as_str() {
        "xterm.js" => (asset_bytes!("static/xterm.js"), "text/javascript"),
        "addon-fit.js" => (asset_bytes!("static/addon-fit.js"), "text/javascript"),
        "xterm.css" => (asset_bytes!("static/xterm.css"), "text/css"),
        "LICENSE-xterm.txt" => (asset_bytes!("static/LICENSE-xterm.txt"), "text/plain"),
        "LICENSE-addon-fit.txt" => (asset_bytes!("static/LICENSE-addon-fit.txt"), "text/plain"),
        "codemirror.js" => (asset_bytes!("static/codemirror.js"), "text/javascript"),
        "codemirror.css" => (asset_bytes!("static/codemirror.css"), "text/css"),
        "LICENSE-codemirror.txt" => (asset_bytes!("static/LICENSE-codemirror.txt"), "text/plain"),
        "addon-simple.js" => (asset_bytes!("static/addon-simple.js"), "text/javascript"),
        "addon-matchbrackets.js" => (
            asset_bytes!("static/addon-matchbrackets.js"),
            "text/javascript",
        ),
        "addon-closebrackets.js" => (
            asset_bytes!("static/addon-closebrackets.js"),
            "text/javascript",
        ),
        "mode-clike.js" => (asset_bytes!("static/mode-clike.js"), "text/javascript"),
        "mode-go.js" => (asset_bytes!("static/mode-go.js"), "text/javascript"),
        "mode-javascript.js" => (asset_bytes!("static/mode-javascript.js"), "text/javascript"),
        "mode-lua.js" => (asset_bytes!("static/mode-lua.js"), "text/javascript"),
        "mode-perl.js" => (asset_bytes!("static/mode-perl.js"), "text/javascript"),
        "mode-php.js" => (asset_bytes!("static/mode-php.js"), "text/javascript"),
        "mode-python.js" => (asset_bytes!("static/mode-python.js"), "text/javascript"),
        "mode-ruby.js" => (asset_bytes!("static/mode-ruby.js"), "text/javascript"),
        "mode-rust.js" => (asset_bytes!("static/mode-rust.js"), "text/javascript"),
        "mode-shell.js" => (asset_bytes!("static/mode-shell.js"), "text/javascript"),
        "mode-groovy.js" => (asset_bytes!("static/mode-groovy.js"), "text/javascript"),
        "mode-clojure.js" => (asset_bytes!("static/mode-clojure.js"), "text/javascript"),
        "mode-haskell.js" => (asset_bytes!("static/mode-haskell.js"), "text/javascript"),
        "mode-mllike.js" => (asset_bytes!("static/mode-mllike.js"), "text/javascript"),
        "mode-commonlisp.js" => (asset_bytes!("static/mode-commonlisp.js"), "text/javascript"),
        "mode-scheme.js" => (asset_bytes!("static/mode-scheme.js"), "text/javascript"),
        "mode-erlang.js" => (asset_bytes!("static/mode-erlang.js"), "text/javascript"),
        "mode-pascal.js" => (asset_bytes!("static/mode-pascal.js"), "text/javascript"),
        "mode-fortran.js" => (asset_bytes!("static/mode-fortran.js"), "text/javascript"),
        "mode-d.js" => (asset_bytes!("static/mode-d.js"), "text/javascript"),
        "mode-cobol.js" => (asset_bytes!("static/mode-cobol.js"), "text/javascript"),
        "mode-crystal.js" => (asset_bytes!("static/mode-crystal.js"), "text/javascript"),
        "mode-r.js" => (asset_bytes!("static/mode-r.js"), "text/javascript"),
        "mode-octave.js" => (asset_bytes!("static/mode-octave.js"), "text/javascript"),
        "mode-tcl.js" => (asset_bytes!("static/mode-tcl.js"), "text/javascript"),
        "mode-sql.js" => (asset_bytes!("static/mode-sql.js"), "text/javascript"),
        _ => return ApiError::not_found(format!("no static file {file:?}")).into_response(),
    };
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

/// `GET /openapi.json`.
pub async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        asset_str!("openapi.json"),
    )
}
