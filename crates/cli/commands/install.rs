//! `sealant install --repo`: the pre-commit hook for the current repository, written where
//! git reads hooks (core.hooksPath, else the common dir's hooks/ — right in linked worktrees).

use anyhow::Context;
use sealant_install::{Action, apply, plan};
use sealant_scan::git::Repo;

use crate::args::InstallArgs;
use crate::exit::ExitStatus;
use crate::printer;

pub fn run(args: &InstallArgs) -> anyhow::Result<ExitStatus> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let repo = Repo::discover(&cwd)?;
    let hooks_dir = repo.hooks_dir()?;
    let binary = std::env::current_exe().context("cannot tell where the sealant binary is")?;
    let plan = plan(&hooks_dir, &binary)?;
    let what = match &plan.action {
        Action::Create => format!("install {}", plan.path.display()),
        Action::Chain { chained } => format!(
            "move the existing hook to {} (it keeps running, first), then install {}",
            chained.display(),
            plan.path.display()
        ),
        Action::Upgrade => format!("update {}", plan.path.display()),
        Action::UpToDate => format!("{} is up to date", plan.path.display()),
    };
    if args.dry_run {
        printer::note(&format!("sealant: would {what}"));
        return Ok(ExitStatus::Clean);
    }
    apply(&plan)?;
    if plan.action != Action::UpToDate {
        printer::note(&format!("sealant: did {what}"));
        printer::note(&format!(
            "sealant: every `git commit` here now scans what it adds (binary: {})",
            binary.display()
        ));
    } else {
        printer::note(&format!("sealant: {what}"));
    }
    Ok(ExitStatus::Clean)
}
