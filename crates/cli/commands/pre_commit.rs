//! `sealant pre-commit`: what the hook runs. A hook it replaced runs first (it may re-stage
//! files, and git commits what the index holds after all hooks ran), then the staged scan.
//! The exit code is the worse of the two; the scan never writes the index or takes a lock.

use std::path::Path;
use std::process::Command;

use anyhow::Context;

use crate::args::PreCommitArgs;
use crate::commands::scan::scan_staged;
use crate::exit::ExitStatus;
use crate::printer::{self, Stream};
use crate::report::Scope;
use crate::settings::{self, Output};

pub fn run(args: &PreCommitArgs) -> anyhow::Result<ExitStatus> {
    let chained = match &args.hook_path {
        Some(hook) => run_chained(hook, &args.hook_args)?,
        None => ExitStatus::Clean,
    };
    if let Some(how) = settings::skip_requested() {
        printer::note(&format!("sealant: secret scan skipped for this commit ({how})"));
        return Ok(chained);
    }
    let output = Output::resolve(&args.output, true);
    let status = scan_staged(Scope::Commit, output, Stream::Stderr)?;
    Ok(chained.max(status))
}

/// Runs `<hook><CHAINED_SUFFIX>` with git's arguments and environment, if it exists.
fn run_chained(hook: &Path, hook_args: &[String]) -> anyhow::Result<ExitStatus> {
    let chained = sealant_install::chained_path(hook);
    let chained = chained.as_path();
    if !is_executable(chained) {
        return Ok(ExitStatus::Clean);
    }
    let status = Command::new(chained)
        .args(hook_args)
        .status()
        .with_context(|| format!("running the chained hook {}", chained.display()))?;
    if status.success() {
        Ok(ExitStatus::Clean)
    } else {
        printer::note(&format!(
            "sealant: the chained hook {} failed ({status})",
            chained.display()
        ));
        Ok(ExitStatus::Findings)
    }
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}
