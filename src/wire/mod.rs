//! What the command line and the server say to each other, and an API node to a worker: execution
//! and grading requests and results, broker jobs, files and byte strings in base64 (JSON, no HTTP:
//! the binary's `http_client` carries them). Below both front ends, so the CLI does not reach
//! into the server for them; imports only the core (limits, verdicts, grading's plain types).

pub mod encoding;
pub mod exec_request;
pub mod exec_result;
pub mod file;
pub mod grade_request;
pub mod job;
