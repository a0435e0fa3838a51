//! `sealant pre-push REMOTE URL` (and `sealant hook run pre-push`): scans every commit the
//! push publishes, each against its first parent, and blocks the push when one adds a
//! secret — even if a later commit removes it again, since both reach the remote.

use std::collections::HashSet;
use std::io::Read;
use std::sync::Mutex;

use anyhow::Context;
use sealant_scan::git::{Repo, UnitOptions, commit_units, commits_in, parse_updates, push_range, short};

use crate::args::PrePushArgs;
use crate::commands::scan::{apply_ignores, emit, scan_commit_unit, status};
use crate::exit::ExitStatus;
use crate::printer::{self, Stream};
use crate::report::{Report, Scope};
use crate::settings::{self, Output};

pub fn run(args: &PrePushArgs) -> anyhow::Result<ExitStatus> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("reading git's pre-push input")?;
    scan_push(&args.remote, &args.url, &input, Output::resolve(&args.output, true))
}

/// Scans what the ref updates in `input` publish to `remote` and reports on stderr.
pub fn scan_push(remote: &str, url: &str, input: &str, output: Output) -> anyhow::Result<ExitStatus> {
    let updates = parse_updates(input)?;
    if updates.is_empty() {
        return Ok(ExitStatus::Clean);
    }
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let mut repo = Repo::discover(&cwd)?;
    repo.cache_objects(16 * 1024 * 1024);
    let config = settings::load_config(repo.workdir())?;
    let scanner = settings::scanner(&config)?;
    let range = push_range(&repo, remote, url, &updates);
    for warning in &range.warnings {
        printer::note(&format!("sealant: warning: {warning}"));
    }
    let cap = settings::max_push_commits();
    let (commits, beyond) = commits_in(&repo, &range, cap)?;
    if beyond > 0 {
        printer::note(&format!(
            "sealant: warning: this push publishes {} commits; the newest {cap} were scanned, \
             the {beyond} older ones were not (scan them: sealant scan --range <remote>/<branch>..HEAD)",
            commits.len() + beyond
        ));
    }
    let options = UnitOptions {
        max_file_size: config.max_file_size(),
        ..UnitOptions::default()
    };
    let seen = Mutex::new(HashSet::new());
    let mut findings = Vec::new();
    let mut skipped = Vec::new();
    let mut files = 0;
    for commit in commits {
        let scanned = match commit_units(&repo, commit, options, &seen) {
            Ok(scanned) => scanned,
            Err(e) => {
                // A shallow boundary or a partial clone: no baseline to diff against.
                printer::note(&format!("sealant: warning: commit {} not scanned: {e}", short(commit)));
                continue;
            }
        };
        files += scanned.units.len();
        let commit = commit.to_string();
        for unit in &scanned.units {
            findings.extend(scan_commit_unit(&repo, &scanner, unit, &commit));
        }
        skipped.extend(
            scanned
                .skipped
                .into_iter()
                .filter(|s| s.reason != sealant_scan::git::SkipReason::Binary),
        );
    }
    apply_ignores(repo.workdir(), &mut findings, config.read_gitleaks)?;
    emit(
        &Report {
            scope: Scope::Push,
            findings: &findings,
            skipped: &skipped,
            notebooks: &[],
            files,
        },
        &output,
        Stream::Stderr,
    )?;
    Ok(status(&findings, false))
}
