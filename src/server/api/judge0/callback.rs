//! `callback_url`: when a submission ends, a `PUT` of its result (Judge0's default fields,
//! base64) to the client's URL, tried three times with a growing pause. Only to hosts the
//! operator listed (`--judge0-callback-allow HOST[:PORT]`): without the list a client could make
//! the server send requests into any network it can reach.

use std::time::Duration;

use axum::body::Bytes;

use super::fields::{render, Selection};
use super::submission::Record;
use super::Judge0;
use crate::http_client::{send as send_request, Target};

/// Judge0's CALLBACKS_MAX_TRIES and CALLBACKS_TIMEOUT.
pub const MAX_TRIES: u32 = 3;
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// Whether callbacks may go to `url`: an `http://` URL whose host (or host:port) is listed.
pub fn check_url(url: &str, allow: &[String]) -> Result<(), String> {
    if allow.is_empty() {
        return Err("callbacks are not enabled on this server".into());
    }
    let target = Target::parse(url)?;
    let with_port = target.authority();
    // An IPv6 host may be listed bare (`::1`) or bracketed (`[::1]`).
    let bracketed = format!("[{}]", target.host);
    if allow.iter().any(|a| {
        a.eq_ignore_ascii_case(&target.host)
            || a.eq_ignore_ascii_case(&bracketed)
            || a.eq_ignore_ascii_case(&with_port)
    }) {
        Ok(())
    } else {
        Err(format!("host {with_port} is not allowed for callbacks"))
    }
}

/// PUT the record to `url`, retrying; failures are logged, as Judge0 does.
pub async fn send(j: &Judge0, url: &str, record: &Record) {
    if check_url(url, &j.settings.callback_allow).is_err() {
        return;
    }
    let Ok(target) = Target::parse(url) else {
        return;
    };
    let body = match render(record, &Selection::Default, true, &j.languages) {
        Ok(value) => value.to_string(),
        Err(_) => return,
    };
    let mut pause = Duration::from_millis(500);
    for attempt in 1..=MAX_TRIES {
        let put = send_request(
            "PUT",
            &target,
            &target.path,
            &[],
            Bytes::from(body.clone()),
            64 << 10,
        );
        match tokio::time::timeout(TIMEOUT, put).await {
            Ok(Ok((status, _))) if (200..300).contains(&status) => return,
            Ok(Ok((status, _))) => {
                eprintln!("codecage: judge0: callback {url} answered {status} (try {attempt})")
            }
            Ok(Err(e)) => eprintln!("codecage: judge0: callback {url} failed: {e} (try {attempt})"),
            Err(_) => eprintln!("codecage: judge0: callback {url} timed out (try {attempt})"),
        }
        tokio::time::sleep(pause).await;
        pause *= 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_hosts_over_http() {
        let allow = vec!["127.0.0.1:9000".to_string(), "hooks.internal".to_string()];
        assert!(check_url("http://127.0.0.1:9000/done", &allow).is_ok());
        assert!(check_url("http://hooks.internal/x", &allow).is_ok());
        assert!(check_url("http://127.0.0.1:9001/done", &allow).is_err());
        assert!(check_url("http://169.254.169.254/latest", &allow).is_err());
        assert!(check_url("https://hooks.internal/x", &allow).is_err());
        assert!(check_url("http://user@hooks.internal/x", &allow).is_err());
        assert!(check_url("http://127.0.0.1:9000/done", &[]).is_err());
        let v6 = vec!["[::1]:9000".to_string(), "fd00::5".to_string()];
        assert!(check_url("http://[::1]:9000/done", &v6).is_ok());
        assert!(check_url("http://[::1]:9001/done", &v6).is_err());
        assert!(check_url("http://[fd00::5]:80/x", &v6).is_ok());
        assert!(check_url("http://[fd00::6]/x", &v6).is_err());
    }
}
