//! The API dialects a server speaks, over one execution path (`execute`): the CodeEngine-style
//! `/execute`, Piston v2, Judge0 CE, `POST /grade`, and interactive sessions over WebSocket,
//! with the warm sandbox pool they run in.

pub mod codeengine;
pub mod execute;
pub mod grading;
pub mod judge0;
pub mod pending;
pub mod piston;
pub mod pool;
pub mod run;
pub mod session;
