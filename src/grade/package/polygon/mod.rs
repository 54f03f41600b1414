//! Polygon packages (`problem.xml` at the root), read into the same [`Problem`] as ICPC packages
//! so `test --problem` and `verify` judge them unchanged: the `tests` testset's files (a full or
//! linux package's; what a standard package leaves to be made is listed by `generation.rs` and
//! made by `grade::polygon_tests`), its groups and points
//! (`groups.rs`), its time and memory limits, its testlib checker or interactor built from the
//! package's own sources with its `files/` headers (`checker.rs`), and its solutions with what
//! their tags promise (`solutions.rs`, `tag.rs`).
//!
//! [`Problem`]: super::Problem

mod checker;
mod generation;
mod groups;
mod load;
mod pattern;
mod problem_xml;
mod solutions;
pub mod tag;
mod testset;

pub use generation::{generation, Generation, Made, ProgramFiles, ToMake};
pub use load::load_with;
pub use problem_xml::PROBLEM_XML;
pub use solutions::solutions;

#[cfg(test)]
mod tests;
