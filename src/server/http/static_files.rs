//! What the server serves from its own binary: the web page, its vendored assets (xterm.js and
//! CodeMirror 5 from npm, with their licences) and the OpenAPI description. Compiled in, so a
//! deployment is one file.

use axum::extract::Path;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

use crate::server::http::api_error::ApiError;

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
        "codemirror.js" => (include_bytes!("static/codemirror.js"), "text/javascript"),
        "codemirror.css" => (include_bytes!("static/codemirror.css"), "text/css"),
        "LICENSE-codemirror.txt" => (
            include_bytes!("static/LICENSE-codemirror.txt"),
            "text/plain",
        ),
        "addon-simple.js" => (include_bytes!("static/addon-simple.js"), "text/javascript"),
        "addon-matchbrackets.js" => (
            include_bytes!("static/addon-matchbrackets.js"),
            "text/javascript",
        ),
        "addon-closebrackets.js" => (
            include_bytes!("static/addon-closebrackets.js"),
            "text/javascript",
        ),
        "mode-clike.js" => (include_bytes!("static/mode-clike.js"), "text/javascript"),
        "mode-go.js" => (include_bytes!("static/mode-go.js"), "text/javascript"),
        "mode-javascript.js" => (
            include_bytes!("static/mode-javascript.js"),
            "text/javascript",
        ),
        "mode-lua.js" => (include_bytes!("static/mode-lua.js"), "text/javascript"),
        "mode-perl.js" => (include_bytes!("static/mode-perl.js"), "text/javascript"),
        "mode-php.js" => (include_bytes!("static/mode-php.js"), "text/javascript"),
        "mode-python.js" => (include_bytes!("static/mode-python.js"), "text/javascript"),
        "mode-ruby.js" => (include_bytes!("static/mode-ruby.js"), "text/javascript"),
        "mode-rust.js" => (include_bytes!("static/mode-rust.js"), "text/javascript"),
        "mode-shell.js" => (include_bytes!("static/mode-shell.js"), "text/javascript"),
        "mode-groovy.js" => (include_bytes!("static/mode-groovy.js"), "text/javascript"),
        "mode-clojure.js" => (include_bytes!("static/mode-clojure.js"), "text/javascript"),
        "mode-haskell.js" => (include_bytes!("static/mode-haskell.js"), "text/javascript"),
        "mode-mllike.js" => (include_bytes!("static/mode-mllike.js"), "text/javascript"),
        "mode-commonlisp.js" => (
            include_bytes!("static/mode-commonlisp.js"),
            "text/javascript",
        ),
        "mode-scheme.js" => (include_bytes!("static/mode-scheme.js"), "text/javascript"),
        "mode-erlang.js" => (include_bytes!("static/mode-erlang.js"), "text/javascript"),
        "mode-pascal.js" => (include_bytes!("static/mode-pascal.js"), "text/javascript"),
        "mode-fortran.js" => (include_bytes!("static/mode-fortran.js"), "text/javascript"),
        "mode-d.js" => (include_bytes!("static/mode-d.js"), "text/javascript"),
        "mode-cobol.js" => (include_bytes!("static/mode-cobol.js"), "text/javascript"),
        "mode-crystal.js" => (include_bytes!("static/mode-crystal.js"), "text/javascript"),
        "mode-r.js" => (include_bytes!("static/mode-r.js"), "text/javascript"),
        "mode-octave.js" => (include_bytes!("static/mode-octave.js"), "text/javascript"),
        "mode-tcl.js" => (include_bytes!("static/mode-tcl.js"), "text/javascript"),
        "mode-sql.js" => (include_bytes!("static/mode-sql.js"), "text/javascript"),
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
