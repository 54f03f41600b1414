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

impl JudgePlan {
    /// Plan a judge program from its files like any program (its language from its files; `main`
    /// is the entry point inside a directory), with the judge programs' own limits.
    pub fn new(
        files: Vec<std::path::PathBuf>,
        main: Option<String>,
        role: Role,
        convention: Convention,
        flags: Vec<String>,
        profiles: &crate::profile::Profiles,
        compile: &crate::plan::CompileChoice,
    ) -> Result<JudgePlan> {
        let input = crate::plan::PlanInput {
            files,
            main,
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
