//! `sealant pre-commit`: the staged scan as the pre-commit hook runs it, reporting on stderr.
//! `--hook-path` keeps hooks written by sealant 0.1 (which call this command) working: the
//! hook they replaced, `<hook>.pre-sealant`, runs first. New hooks call `sealant hook run`.

use crate::args::PreCommitArgs;
use crate::chain;
use crate::commands::scan::scan_staged;
use crate::exit::ExitStatus;
use crate::printer::{self, Stream};
use crate::report::Scope;
use crate::settings::{self, Output};

pub fn run(args: &PreCommitArgs) -> anyhow::Result<ExitStatus> {
    let hooks: Vec<_> = args
        .hook_path
        .iter()
        .map(|hook| sealant_install::chained_path(hook))
        .filter(|hook| chain::is_executable(hook))
        .collect();
    let chained = if chain::run_chained(&hooks, &args.hook_args, &[])? {
        ExitStatus::Clean
    } else {
        ExitStatus::Findings
    };
    if let Some(how) = settings::skip_requested() {
        printer::note(&format!("sealant: secret scan skipped for this commit ({how})"));
        return Ok(chained);
    }
    let output = Output::resolve(&args.output, true);
    let status = scan_staged(Scope::Commit, output, Stream::Stderr)?;
    Ok(chained.max(status))
}
