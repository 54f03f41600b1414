//! A judge program (checker or interactor) to build, planned like any program from its files.

use anyhow::Result;

use super::judge_program::{judge_limits, Convention, Role};
use crate::plan::RunPlan;

/// A judge program to build: its plan, what it does and how it speaks.
pub struct JudgePlan {
    pub plan: RunPlan,
    pub role: Role,
    pub convention: Convention,
    pub flags: Vec<String>,
}

/// A judge program's sources: its files, the entry point inside a directory, and its language
/// when the package names one (else, as for any program, the files' extensions say).
#[derive(Debug, Default)]
pub struct JudgeSource {
    pub files: Vec<std::path::PathBuf>,
    pub main: Option<String>,
    pub lang: Option<String>,
}

impl JudgeSource {
    /// Files in the language their extensions say, the first the entry point.
    pub fn files(files: Vec<std::path::PathBuf>) -> JudgeSource {
        JudgeSource {
            files,
            ..JudgeSource::default()
        }
    }
}

impl JudgePlan {
    /// Plan a judge program from its sources like any program, with the judge programs' own
    /// limits.
    pub fn new(
        source: JudgeSource,
        role: Role,
        convention: Convention,
        flags: Vec<String>,
        profiles: &crate::profile::Profiles,
        compile: &crate::plan::CompileChoice,
    ) -> Result<JudgePlan> {
        let input = crate::plan::PlanInput {
            files: source.files,
            main: source.main,
            lang: source.lang,
            tty: crate::plan::TtyChoice::Never,
            compile: compile.clone(),
            ..crate::plan::PlanInput::default()
        };
        let plan = RunPlan::new(
            &input,
            profiles,
            judge_limits(),
            &crate::limits::LimitOverrides::default(),
        )?;
        Ok(JudgePlan {
            plan,
            role,
            convention,
            flags,
        })
    }
}
