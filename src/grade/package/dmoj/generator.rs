//! `generator` and `generator_args` of `init.yml`: DMOJ's generated cases (`dmoj/problem.py`'s
//! `TestCase._run_generator`). The generator is compiled from its files and run once per case
//! with the case's arguments and its `in` file (if any) on stdin; its stdout is the case's input
//! (the `in` file when it prints nothing) and its stderr the answer (unless the case has `out`).
//! A case with both `in` and `out` never runs it. Like every key, `generator` and
//! `generator_args` are looked up in the case, then its batch, then the top level, as DMOJ's
//! configuration nodes do. Reading is pure: `grade::polygon_tests` runs the generators.

use std::path::Path;

use super::super::package_error::PackageError;
use super::super::polygon::ProgramFiles;
use super::checker::program_files;
use super::init_yml::{Arg, Files, Generator, Item, INIT};

/// The generator and arguments a case inherits from its batch and the top level.
#[derive(Debug, Clone, Copy, Default)]
pub struct Inherited<'i> {
    pub generator: Option<&'i Generator>,
    pub args: Option<&'i [Arg]>,
}

impl<'i> Inherited<'i> {
    /// What `item` (a batch or a case) sees: its own keys first.
    pub fn under(self, item: &'i Item) -> Inherited<'i> {
        Inherited {
            generator: item.generator.as_ref().or(self.generator),
            args: item.generator_args.as_deref().or(self.args),
        }
    }
}

/// The generator's files (the entry point first) and the arguments of a case whose own
/// `generator_args` are `args`: DMOJ gives a map's `args` to a case that has none.
pub fn program(
    dir: &Path,
    generator: &Generator,
    args: Option<&[Arg]>,
) -> Result<(ProgramFiles, Vec<String>), PackageError> {
    let what = "generator";
    let one;
    let (files, default_args) = match generator {
        Generator::One(name) => {
            one = Files::One(name.clone());
            (&one, None)
        }
        Generator::Many(names) => {
            one = Files::Many(names.clone());
            (&one, None)
        }
        Generator::Full(spec) => {
            if spec.flags.is_some() {
                return Err(PackageError::unsupported(
                    INIT,
                    "generator: `flags` (the language's own compile flags are used)",
                ));
            }
            // DMOJ's judge reads `source`; its documentation once called it `name`.
            let Some(files) = spec.source.as_ref().or(spec.name.as_ref()) else {
                return Err(PackageError::invalid(
                    INIT,
                    "generator: `source` is missing",
                ));
            };
            (files, spec.args.as_deref())
        }
    };
    let mut paths = program_files(dir, Some(files), what)?.into_iter();
    let source = paths.next().expect("program_files refuses an empty list");
    let args = match args.filter(|a| !a.is_empty()).or(default_args) {
        Some(args) => args.iter().map(Arg::text).collect(),
        None => Vec::new(),
    };
    Ok((
        ProgramFiles {
            source,
            with: paths.collect(),
        },
        args,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_written_as_python_does() {
        let texts: Vec<String> = [
            Arg::Int(-3),
            Arg::Float(2.0),
            Arg::Float(0.5),
            Arg::Text("x y".into()),
        ]
        .iter()
        .map(Arg::text)
        .collect();
        assert_eq!(texts, ["-3", "2.0", "0.5", "x y"]);
    }
}
