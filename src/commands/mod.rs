//! One file per subcommand; each only sequences the steps the other modules provide.

pub mod cache;
pub mod doctor;
pub mod gc;
pub mod images;
pub mod languages;
pub mod remote;
pub mod run;
pub mod serve;
pub mod test;
pub mod verify;
