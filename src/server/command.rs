//! `codecage serve` and `codecage worker`, the server's own front door (so no other command
//! imports the server): merge the flags (or their environment variables), the config file's `serve`
//! section and the built-in defaults into the server's settings, check the dependency sets
//! against the profiles before anything listens, then hand over to the server.

use anyhow::{anyhow, Context, Result};

use crate::cli::{ServeArgs, WorkerArgs};
use crate::server::Settings;
use codecage::config::{Config, ServeSection};
use codecage::limits::Limits;
use codecage::profile::Profiles;
use codecage::units::{parse_duration, parse_size};

/// Run the server until SIGTERM or SIGINT.
pub async fn run(args: &ServeArgs, profiles: &Profiles, config: &Config) -> Result<u8> {
    let settings = full_settings(args, profiles, config)?;
    let docker = codecage::docker::connect().await?;
    crate::server::serve(docker, profiles.clone(), settings).await
}

/// `codecage worker`: run the broker's jobs until SIGTERM or SIGINT, with the serve flags (or
/// the config file's `serve` section) as this worker's own limits.
pub async fn work(args: &WorkerArgs, profiles: &Profiles, config: &Config) -> Result<u8> {
    let Some(url) = args.serve.broker.clone() else {
        anyhow::bail!("codecage worker needs a broker: pass --broker redis://HOST:PORT (or set CODECAGE_BROKER)");
    };
    let concurrency = match args.concurrency {
        Some(0) => anyhow::bail!("--concurrency must be at least 1"),
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let node = args
        .node
        .clone()
        .unwrap_or_else(crate::server::default_node_id);
    // The node id prefixes session ids and names a load balancer's server: keep it plain.
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if node.is_empty() || node.len() > 63 || !node.chars().all(plain) {
        anyhow::bail!("--node {node:?}: use 1 to 63 letters, digits, '-' or '_'");
    }
    let mut settings = full_settings(&args.serve, profiles, config)?;
    // API nodes reach the worker's sessions by the advertised name: it is the worker's own.
    if let (Some(names), Some(url)) = (&mut settings.allowed_hosts, &args.advertise) {
        let authority = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        // An IPv6 address ("[::1]:8080") is allowed as any address is: only names matter.
        let name = authority.split(['/', ':']).next().unwrap_or_default();
        names.push(name.trim_end_matches('.').to_ascii_lowercase());
    }
    let worker = crate::server::WorkerSettings {
        concurrency,
        node,
        listen: args.serve.listen,
        advertise: args.advertise.clone(),
    };
    let docker = codecage::docker::connect().await?;
    crate::server::work(docker, profiles.clone(), settings, &url, worker).await
}

fn full_settings(args: &ServeArgs, profiles: &Profiles, config: &Config) -> Result<Settings> {
    let mut settings = settings(args, &config.serve)?;
    let compile = config.compile.choice(false, false)?;
    settings.compile_cache = compile.cache;
    settings.compile_cpus = compile.cpus.unwrap_or(codecage::plan::SERVE_COMPILE_CPUS);
    settings.deps_sets = deps_sets(profiles, &args.deps_sets, &config.serve.deps_sets)?;
    if !settings.deps_sets.is_empty() {
        settings.deps_ca = codecage::dependencies::build_ca(None)?;
    }
    Ok(settings)
}

/// Flag (or its environment variable) > config file > built-in default, for everything but the
/// dependency sets.
fn settings(args: &ServeArgs, config: &ServeSection) -> Result<Settings> {
    let pick = |flag: &Option<String>, configured: &Option<String>, default: &str| {
        flag.clone()
            .or_else(|| configured.clone())
            .unwrap_or_else(|| default.to_string())
    };
    let mut limits = Limits::run_defaults();
    limits.time = parse_duration(&pick(&args.max_time, &config.max_time, "30s"))?;
    limits.cpu_time = args
        .max_cpu_time
        .as_ref()
        .or(config.max_cpu_time.as_ref())
        .map(|t| parse_duration(t))
        .transpose()
        .context("--max-cpu-time")?;
    limits.memory = parse_size(&pick(&args.max_memory, &config.max_memory, "256MiB"))?;
    limits.output = parse_size(&pick(&args.max_output, &config.max_output, "1MiB"))?;
    limits.validate()?;
    let mut session_limits = limits.clone();
    session_limits.time = parse_duration(&pick(&args.session_time, &config.session_time, "2m"))?;
    session_limits.idle = Some(parse_duration(&pick(
        &args.session_idle,
        &config.session_idle,
        "30s",
    ))?);
    let default_listen = std::net::SocketAddr::from(([127, 0, 0, 1], 8080));
    let listen = args.listen.or(config.listen).unwrap_or(default_listen);
    Ok(Settings {
        compile_cache: None,
        compile_cpus: codecage::plan::SERVE_COMPILE_CPUS,
        listen,
        allowed_hosts: allowed_hosts(&args.allow_hosts, &config.allow_hosts, listen)?,
        token: args
            .token
            .clone()
            .or_else(|| config.token.clone())
            .filter(|t| !t.is_empty()),
        max_concurrent: args.max_concurrent.or(config.max_concurrent).unwrap_or(10),
        queue: args.queue.or(config.queue).unwrap_or(20),
        max_body: parse_size(&pick(&args.max_body, &config.max_body, "1MiB"))? as usize,
        limits,
        session_limits,
        grace: parse_duration(&pick(&args.grace, &config.grace, "10s"))?,
        session_connect: parse_duration(&pick(
            &args.session_connect,
            &config.session_connect,
            "30s",
        ))?,
        pool: args.pool.or(config.pool).unwrap_or(2),
        sessions_per_token: args
            .sessions_per_token
            .or(config.sessions_per_token)
            .unwrap_or(4),
        pool_idle: parse_duration(&pick(&args.pool_idle, &config.pool_idle, "30s"))?,
        deps_sets: Vec::new(),
        deps_ca: None,
        judge0: crate::server::Judge0Settings {
            store: args
                .store
                .clone()
                .unwrap_or_else(crate::server::Judge0Settings::default_store),
            retention: codecage::units::parse_age(args.judge0_retention.as_deref().unwrap_or("7d"))
                .context("--judge0-retention")?,
            store_max: parse_size(args.judge0_store_max.as_deref().unwrap_or("1GiB"))
                .context("--judge0-store-max")?,
            queue: args.judge0_queue.unwrap_or(1000).max(1),
            callback_allow: args.judge0_callback_allow.clone(),
            admin_token: args
                .judge0_admin_token
                .clone()
                .or_else(|| config.judge0_admin_token.clone())
                .filter(|t| !t.is_empty()),
            allow_origin: allow_origin(&args.judge0_allow_origin, &config.judge0_allow_origin)?,
        },
        broker: args.broker.clone(),
    })
}

/// `--allow-host` (else the config file's list): the names requests may address the server by,
/// besides IP addresses and localhost; `None` (any name) for `*`, and by default off loopback:
/// there a token is required, which a rebinding page never has, and the names a server is
/// reached by (load balancers, service names) are not known to it. On loopback without a
/// token nothing else stands between a web page and the server.
fn allowed_hosts(
    flags: &[String],
    configured: &Option<Vec<String>>,
    listen: std::net::SocketAddr,
) -> Result<Option<Vec<String>>> {
    let chosen = if flags.is_empty() {
        configured.clone().unwrap_or_default()
    } else {
        flags.to_vec()
    };
    let chosen: Vec<String> = chosen
        .iter()
        .map(|n| n.trim().trim_end_matches('.').to_ascii_lowercase())
        .filter(|n| !n.is_empty())
        .collect();
    if chosen.iter().any(|n| n == "*") {
        return Ok(None);
    }
    for name in &chosen {
        let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
        if !name.chars().all(plain) || name == "." {
            anyhow::bail!("--allow-host {name:?}: give a host name (no port), .DOMAIN or *");
        }
    }
    Ok((listen.ip().is_loopback() || !chosen.is_empty()).then_some(chosen))
}

/// `--judge0-allow-origin` (else the config file's list, else none, unlike Judge0's `*`): the
/// origins browsers may call the Judge0 API from; empty means no CORS at all (`none`). On a
/// server without a token, every origin would let any web page submit and read results.
fn allow_origin(flags: &[String], configured: &Option<Vec<String>>) -> Result<Vec<String>> {
    let chosen: Vec<String> = if !flags.is_empty() {
        flags.to_vec()
    } else if let Some(list) = configured {
        list.clone()
    } else {
        Vec::new()
    };
    let chosen: Vec<String> = chosen
        .into_iter()
        .map(|o| o.trim().trim_end_matches('/').to_string())
        .filter(|o| !o.is_empty())
        .collect();
    if chosen.iter().any(|o| o == "none") {
        if chosen.len() > 1 {
            anyhow::bail!("--judge0-allow-origin none cannot be combined with origins");
        }
        return Ok(Vec::new());
    }
    for origin in &chosen {
        let plain = |c: char| c.is_ascii_alphanumeric() || "-._:/[]*".contains(c);
        if !origin.chars().all(plain) || (origin.contains('*') && origin != "*") {
            anyhow::bail!(
                "--judge0-allow-origin {origin:?}: give https://HOST[:PORT], HOST[:PORT], * or none"
            );
        }
    }
    Ok(chosen)
}

/// `--deps-set LANG:SET` (else the config file's list), each checked against the profiles now.
fn deps_sets(
    profiles: &Profiles,
    flags: &[String],
    configured: &[String],
) -> Result<Vec<(String, String)>> {
    let chosen = if flags.is_empty() { configured } else { flags };
    let mut sets = Vec::new();
    for item in chosen {
        let (language, set) = item
            .split_once(':')
            .ok_or_else(|| anyhow!("--deps-set {item:?}: write LANG:SET, e.g. python:data"))?;
        let profile = profiles.by_name(language).ok_or_else(|| {
            anyhow!(
                "--deps-set {item}: unknown language {language:?}; known: {}",
                profiles.names()
            )
        })?;
        codecage::dependencies::from_set(&profile, set)?;
        sets.push((profile.name.clone(), set.to_string()));
    }
    Ok(sets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn serve_args(flags: &[&str]) -> ServeArgs {
        let argv = ["codecage", "serve"].iter().chain(flags);
        match crate::cli::Cli::try_parse_from(argv).map(|cli| cli.command) {
            Ok(Some(crate::cli::Command::Serve(args))) => *args,
            other => panic!("not a serve command line: {other:?}"),
        }
    }

    #[test]
    fn a_flag_beats_the_config_file_which_beats_the_default() {
        let config = ServeSection {
            max_time: Some("5s".into()),
            queue: Some(3),
            ..Default::default()
        };
        let settings = settings(&serve_args(&["--max-time", "7s"]), &config).unwrap();
        assert_eq!(settings.limits.time, std::time::Duration::from_secs(7));
        assert_eq!(settings.queue, 3);
        assert_eq!(settings.max_concurrent, 10);
    }

    #[test]
    fn an_empty_token_means_none() {
        let settings = settings(&serve_args(&["--token", ""]), &ServeSection::default()).unwrap();
        assert!(settings.token.is_none());
    }

    #[test]
    fn judge0_origins_default_to_none_and_none_turns_cors_off() {
        let pick = |flags: &[&str], configured: Option<Vec<&str>>| {
            let flags: Vec<String> = flags.iter().map(|f| f.to_string()).collect();
            let configured = configured.map(|c| c.iter().map(|o| o.to_string()).collect());
            allow_origin(&flags, &configured)
        };
        assert!(pick(&[], None).unwrap().is_empty());
        assert_eq!(pick(&["*"], None).unwrap(), ["*"]);
        assert!(pick(&["none"], None).unwrap().is_empty());
        assert!(pick(&[], Some(vec!["none"])).unwrap().is_empty());
        assert_eq!(
            pick(&["https://ide.example/"], Some(vec!["x.example"])).unwrap(),
            ["https://ide.example"]
        );
        assert_eq!(pick(&[], Some(vec!["x.example"])).unwrap(), ["x.example"]);
        assert!(pick(&["none", "x.example"], None).is_err());
        assert!(pick(&["https://*.example"], None).is_err());
        assert!(pick(&["x.example\r\nSet-Cookie: a"], None).is_err());
        let settings = settings(
            &serve_args(&["--judge0-admin-token", "adm1n"]),
            &ServeSection {
                judge0_admin_token: Some("other".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(settings.judge0.admin_token.as_deref(), Some("adm1n"));
        assert!(settings.judge0.allow_origin.is_empty());
    }

    #[test]
    fn host_names_are_checked_on_loopback_or_when_listed() {
        let loopback = "127.0.0.1:8080".parse().unwrap();
        let public = "0.0.0.0:8080".parse().unwrap();
        let names = |list: &[&str]| list.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert_eq!(allowed_hosts(&[], &None, loopback).unwrap(), Some(vec![]));
        assert_eq!(allowed_hosts(&[], &None, public).unwrap(), None);
        assert_eq!(
            allowed_hosts(&names(&["Judge.Example."]), &None, public).unwrap(),
            Some(names(&["judge.example"]))
        );
        assert_eq!(
            allowed_hosts(&[], &Some(names(&[".corp.example"])), loopback).unwrap(),
            Some(names(&[".corp.example"]))
        );
        assert_eq!(
            allowed_hosts(&names(&["*"]), &None, loopback).unwrap(),
            None
        );
        assert!(allowed_hosts(&names(&["judge.example:8080"]), &None, loopback).is_err());
        assert!(allowed_hosts(&names(&["a b"]), &None, loopback).is_err());
    }

    #[test]
    fn a_deps_set_needs_lang_colon_set_and_a_known_language() {
        let profiles = Profiles::load(&[]).unwrap();
        let missing_colon = deps_sets(&profiles, &["python3".into()], &[]).unwrap_err();
        assert!(missing_colon.to_string().contains("write LANG:SET"));
        let unknown = deps_sets(&profiles, &["cobra:x".into()], &[]).unwrap_err();
        assert!(unknown.to_string().contains("unknown language"));
    }
}
