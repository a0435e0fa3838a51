//! The `sealant` binary: parse arguments, run one command, map the outcome to an exit code.
//! Everything else lives in the commands, the report renderers and the library crates.

mod args;
mod chain;
mod commands;
mod exit;
mod ignore;
mod notebooks;
mod printer;
mod report;
mod settings;

use clap::{CommandFactory, FromArgMatches};

use crate::args::{Cli, Command, HookCommand};
use crate::exit::ExitStatus;

/// The clap command, with a version line that names the rule pack too.
pub(crate) fn command() -> clap::Command {
    // One leaked string per process: clap wants a 'static version.
    let version: &'static str = Box::leak(version_line().into_boxed_str());
    Cli::command().version(version)
}

/// `0.1.0 (rules 83, pack 1a2b3c4d5e6f)`: the pack id is a hash of every builtin rule's id and
/// regex (computed at build time), so two binaries with the same rules say the same.
fn version_line() -> String {
    let (pack, rules) = sealant_scan::engine::pack_id();
    format!("{} (rules {rules}, pack {pack})", env!("CARGO_PKG_VERSION"))
}

fn main() -> std::process::ExitCode {
    let matches = command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let result = match &cli.command {
        Command::PreCommit(args) => commands::pre_commit::run(args),
        Command::Scan(args) => commands::scan::run(args),
        Command::PrePush(args) => commands::pre_push::run(args),
        Command::Install(args) => commands::install::run(args),
        Command::Uninstall(args) => commands::uninstall::run(args),
        Command::Doctor => commands::doctor::run(),
        Command::Completions(args) => commands::docs::completions(args),
        Command::Man => commands::docs::man(),
        Command::Ignore(args) => commands::ignore::run(args),
        Command::Baseline(args) => commands::ignore::baseline(args),
        Command::Explain(args) => commands::explain::run(args),
        Command::Hook(HookCommand::Run(args)) => commands::hook::run(args),
        Command::Rules(args) => commands::rules::run(args),
        Command::Strip(args) => commands::strip::run(args),
        Command::FilterProcess(args) => commands::filter::run(args),
    };
    match result {
        Ok(status) => status.into(),
        Err(err) => {
            printer::note(&format!("sealant: error: {err:#}"));
            match &cli.command {
                Command::PreCommit(_) => printer::note(
                    "hint: the commit was blocked because the scan could not run; to commit anyway, once: git commit --no-verify",
                ),
                Command::PrePush(_) => printer::note(
                    "hint: the push was blocked because the scan could not run; to push anyway, once: git push --no-verify",
                ),
                Command::Hook(HookCommand::Run(run)) => printer::note(&format!(
                    "hint: the {} hook failed because the scan could not run; bypass it once with --no-verify",
                    run.name
                )),
                _ => {}
            }
            ExitStatus::Error.into()
        }
    }
}
