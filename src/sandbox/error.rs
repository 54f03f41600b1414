//! What can go wrong starting or driving a sandbox, in terms a caller can act on: a missing image
//! can be built again (`launch.rs` does), an unknown runtime is a profile's mistake, FIFO stdio
//! the engine refuses falls back to attach, and the rest is the engine failing.
//!
//! Engine errors are told apart by bollard's typed error and the HTTP status first; the engine's
//! text is read only where the status cannot tell (see `classify_create`).

use bollard::errors::Error as EngineError;

use crate::engine_unreachable::EngineUnreachable;

/// A sandbox that could not be started or driven to its end.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The engine has no image with this tag (create answered 404).
    #[error("image {image} is missing; build it with `codecage images build`")]
    ImageMissing { image: String },
    /// The engine does not know the OCI runtime (`None`: its default one failed).
    #[error("{message}; `codecage doctor` lists the OCI runtimes this engine has")]
    UnknownRuntime {
        runtime: Option<String>,
        message: String,
    },
    /// The engine would run the sandbox under its default runtime instead of the one asked for.
    #[error("{engine}'s Docker-compatible API ignores the OCI runtime a container asks for (runtime {runtime} would silently be its default); use Docker for --runtime {runtime}")]
    RuntimeIgnored {
        engine: &'static str,
        runtime: String,
    },
    /// The engine would start the sandbox without some of its limits.
    #[error("{0}")]
    LimitsUnenforceable(String),
    /// The engine cannot bind-mount codecage's FIFOs (it does not see our temp directory).
    #[error("the engine cannot mount codecage's FIFOs")]
    FifoMountRefused(#[source] EngineError),
    /// Our end of the FIFOs could not be opened.
    #[error("cannot open the FIFOs for the sandbox's stdio")]
    FifoOpen(#[source] std::io::Error),
    /// The shim died before it opened its FIFOs.
    #[error("the sandbox could not open its stdio FIFOs (exit status {exit}); set CODECAGE_STDIO=attach")]
    FifoUnopened { exit: String },
    /// The run's parent cgroup could not take the memory limit (see `accounting.rs`): running
    /// without it would lose the memory-limit verdict.
    #[error("cannot set the memory limit on the run's cgroup (needed to tell memory-limit kills on this engine)")]
    MemoryCgroup(#[source] std::io::Error),
    /// The output ended but the engine never said how the container exited.
    #[error("the Docker engine did not report how the sandbox exited")]
    NoExitReport,
    /// The engine did not answer at all (stopped, restarting, its socket gone): nothing about
    /// the program, and worth a retry once the engine is back.
    #[error("the container engine is unavailable")]
    EngineUnavailable(#[source] EngineError),
    /// Any other answer of the engine to `doing` (create, attach to, start).
    #[error("cannot {doing} the sandbox container")]
    Engine {
        doing: &'static str,
        #[source]
        source: EngineError,
    },
}

/// Which statuses an engine uses for a request it refuses as invalid: 400 on Docker, 500 on
/// older engines and some runtimes' start errors.
fn refused(e: &EngineError) -> Option<&str> {
    match e {
        EngineError::DockerResponseServerError {
            status_code: 400 | 500,
            message,
        } => Some(message),
        _ => None,
    }
}

/// Whether the engine refused a FIFO bind mount. The status only says the request was invalid;
/// which part of it (the mounts, not the runtime or the image) only the text can tell.
pub fn is_mount_refusal(e: &EngineError) -> bool {
    refused(e).is_some_and(|m| {
        m.contains("bind source path does not exist") || m.contains("invalid mount config")
    })
}

/// Whether the engine could not be reached at all: the connection failed or was cut, as opposed
/// to an answer refusing the request.
pub fn is_unreachable(e: &EngineError) -> bool {
    matches!(
        e,
        EngineError::IOError { .. }
            | EngineError::HyperLegacyError { .. }
            | EngineError::HttpClientError { .. }
            | EngineError::SocketNotFoundError(_)
            | EngineError::RequestTimeoutError
    )
}

/// Whether a failure anywhere below (a sandbox, an image build, a probe) was the engine being
/// unreachable: front ends answer that as "unavailable, retry", never as the program's result
/// or codecage's own fault.
pub fn engine_unavailable(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<SandboxError>()
            .is_some_and(|s| matches!(s, SandboxError::EngineUnavailable(_)))
            || cause
                .downcast_ref::<EngineError>()
                .is_some_and(is_unreachable)
            || cause.is::<EngineUnreachable>()
    })
}

/// Classify an error from `create`. `fifos`: the request had FIFO bind mounts in it.
pub fn classify_create(
    e: EngineError,
    image: &str,
    runtime: Option<&str>,
    fifos: bool,
) -> SandboxError {
    if let EngineError::DockerResponseServerError {
        status_code: 404, ..
    } = e
    {
        // A create with no network and no named volumes has nothing else to miss (Docker says
        // "No such image", Podman "image not known").
        return SandboxError::ImageMissing {
            image: image.to_string(),
        };
    }
    if is_unreachable(&e) {
        return SandboxError::EngineUnavailable(e);
    }
    if fifos && is_mount_refusal(&e) {
        return SandboxError::FifoMountRefused(e);
    }
    // Which parameter an invalid request got wrong only the text says.
    if let Some(message) = refused(&e).filter(|m| m.to_lowercase().contains("runtime")) {
        return SandboxError::UnknownRuntime {
            runtime: runtime.map(str::to_string),
            message: message.to_string(),
        };
    }
    SandboxError::Engine {
        doing: "create",
        source: e,
    }
}

/// Classify an error from `start`. `fifos`: the container has FIFO bind mounts.
pub fn classify_start(e: EngineError, fifos: bool) -> SandboxError {
    if is_unreachable(&e) {
        SandboxError::EngineUnavailable(e)
    } else if fifos && is_mount_refusal(&e) {
        SandboxError::FifoMountRefused(e)
    } else {
        SandboxError::Engine {
            doing: "start",
            source: e,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(status_code: u16, message: &str) -> EngineError {
        EngineError::DockerResponseServerError {
            status_code,
            message: message.to_string(),
        }
    }

    #[test]
    fn a_404_on_create_is_a_missing_image_whatever_the_wording() {
        for text in [
            "No such image: codecage/x:1",
            "no such image: docker.io/x: image not known",
        ] {
            let e = classify_create(server(404, text), "codecage/x:1", None, false);
            assert!(
                matches!(&e, SandboxError::ImageMissing { image } if image == "codecage/x:1"),
                "{e:?}"
            );
        }
    }

    #[test]
    fn an_unknown_runtime_names_doctor() {
        let e = classify_create(
            server(400, "Unknown runtime specified nosuch"),
            "i",
            Some("nosuch"),
            false,
        );
        assert!(matches!(e, SandboxError::UnknownRuntime { .. }), "{e:?}");
        assert!(e.to_string().contains("codecage doctor"));
    }

    #[test]
    fn a_refused_fifo_mount_is_told_apart_only_with_fifos() {
        let text = "invalid mount config for type \"bind\": bind source path does not exist: /x";
        let e = classify_create(server(400, text), "i", None, true);
        assert!(matches!(e, SandboxError::FifoMountRefused(_)), "{e:?}");
        let e = classify_create(server(400, text), "i", None, false);
        assert!(matches!(e, SandboxError::Engine { .. }), "{e:?}");
        assert!(matches!(
            classify_start(server(500, text), true),
            SandboxError::FifoMountRefused(_)
        ));
        // The same words with another status are not the engine refusing our request.
        assert!(!is_mount_refusal(&server(404, text)));
    }

    #[test]
    fn other_errors_keep_the_engine_error_as_their_source() {
        let e = classify_create(server(500, "disk full"), "i", None, true);
        let source = std::error::Error::source(&e).map(ToString::to_string);
        assert_eq!(
            source.as_deref(),
            Some("Docker responded with status code 500: disk full")
        );
        assert_eq!(e.to_string(), "cannot create the sandbox container");
    }

    #[test]
    fn an_engine_that_never_answered_is_unavailable_through_any_context() {
        let down = anyhow::Error::new(EngineUnreachable {
            host: "unix:///nonexistent.sock".into(),
            reason: "No such file or directory (os error 2)".into(),
        })
        .context("building image codecage-python");
        assert!(engine_unavailable(&down));
        let refused =
            anyhow::Error::new(classify_create(server(500, "disk full"), "i", None, true));
        assert!(!engine_unavailable(&refused));
        assert!(!engine_unavailable(&anyhow::anyhow!(
            "unknown language \"x\""
        )));
    }
}
