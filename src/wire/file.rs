//! A file as it travels to a server or a worker: its name and its content in base64.

use serde::{Deserialize, Serialize};

use super::encoding::encode;

/// A workspace file on the wire.
#[derive(Debug, Serialize, Deserialize)]
pub struct WireFile {
    pub name: String,
    pub data: String,
}

impl WireFile {
    pub fn new(name: &str, data: &[u8]) -> WireFile {
        WireFile {
            name: name.to_string(),
            data: encode(data),
        }
    }
}
