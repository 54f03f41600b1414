//! The byte streams of a sandbox's stdio, whichever way they travel (attach in `container.rs`,
//! FIFOs in `fifo.rs`): a file of their own so neither of those two imports the other for them.

use bollard::container::LogOutput;

/// Where the workspace and stdin are written.
pub type Writer = std::pin::Pin<Box<dyn tokio::io::AsyncWrite + Send>>;

/// The program's output as the engine's attach stream frames it (FIFO output is framed the same).
pub type AttachOutput = std::pin::Pin<
    Box<dyn futures_util::Stream<Item = Result<LogOutput, bollard::errors::Error>> + Send>,
>;
