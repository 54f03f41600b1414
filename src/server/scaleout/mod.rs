//! Scale-out: the broker (Redis Streams) between API nodes and workers, an API node's side of a
//! run on a worker (`remote`), and `codecage worker` itself.

pub mod broker;
pub mod remote;
pub mod worker;
