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

use clap::Parser;

use crate::args::{Cli, Command, HookCommand};
use crate::exit::ExitStatus;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::PreCommit(args) => commands::pre_commit::run(args),
        Command::Scan(args) => commands::scan::run(args),
        Command::PrePush(args) => commands::pre_push::run(args),
        Command::Install(args) => commands::install::run(args),
        Command::Uninstall(args) => commands::uninstall::run(args),
        Command::Doctor => commands::doctor::run(),
        Command::Ignore(args) => commands::ignore::run(args),
        Command::Baseline(args) => commands::ignore::baseline(args),
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
