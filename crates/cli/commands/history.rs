//! `sealant scan --history` and `sealant scan --range A..B`: every commit reachable from all
//! references (or in `A..B`), each diffed against its first parent exactly as the pre-push
//! guard does, each blob scanned once, spread over the machine's cores, with a progress bar
//! on a terminal.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::sync::Mutex;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use sealant_scan::engine::{Finding, Scanner};
use sealant_scan::git::{
    ObjectId, PushRange, Repo, Skip, SkipReason, UnitOptions, all_tips, commit_units, commits_in, short,
};

use crate::commands::scan::{
    apply_ignores, emit, report_unused_allowlists, scan_commit_unit, status, unused_allowlists,
};
use crate::exit::ExitStatus;
use crate::printer::{self, Stream};
use crate::report::{Report, Scope};
use crate::settings::{self, Output};

/// Which commits to scan.
#[derive(Debug, Clone)]
pub enum Commits {
    /// Everything reachable from any reference.
    All,
    /// `A..B`: reachable from B, not from A.
    Range(String),
}

/// What one worker found.
#[derive(Default)]
struct Found {
    findings: Vec<(usize, Finding)>,
    skipped: Vec<Skip>,
    files: usize,
    errors: Vec<String>,
}

/// What a history or range scan found, before `.sealant-ignore` and `.gitleaksignore`.
pub struct HistoryScan {
    /// Newest commit first, then by place in the file.
    pub findings: Vec<Finding>,
    pub skipped: Vec<Skip>,
    pub files: usize,
    pub commits: usize,
    /// Whether `.gitleaksignore` applies (`[scan] gitleaks`).
    pub read_gitleaks: bool,
    /// The worktree root, where the ignore files are.
    pub root: Option<std::path::PathBuf>,
    /// The allowlist entries that let nothing go in these commits.
    pub unused_allowlists: Vec<String>,
}

pub fn scan_history(which: &Commits, output: &Output, unused: bool) -> anyhow::Result<ExitStatus> {
    let scan = collect(which)?;
    let mut findings = scan.findings;
    apply_ignores(scan.root.as_deref(), &mut findings, scan.read_gitleaks)?;
    printer::note(&format!("sealant: scanned {} commits", scan.commits));
    emit(
        &Report {
            scope: Scope::History,
            findings: &findings,
            skipped: &scan.skipped,
            notebooks: &[],
            files: scan.files,
        },
        output,
        Stream::Stdout,
    )?;
    let allowlists = report_unused_allowlists(&scan.unused_allowlists, unused);
    Ok(status(&findings, false).max(allowlists))
}

/// Scans the commits `which` names, each against its first parent, on all cores.
pub fn collect(which: &Commits) -> anyhow::Result<HistoryScan> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let mut repo = Repo::discover(&cwd)?;
    repo.cache_objects(32 * 1024 * 1024);
    let config = settings::load_config(repo.workdir())?;
    let scanner = settings::scanner(&config)?;
    let range = match which {
        Commits::All => PushRange {
            tips: all_tips(&repo)?,
            ..PushRange::default()
        },
        Commits::Range(spec) => {
            let Some((from, to)) = spec.split_once("..") else {
                bail!("`{spec}` is not a range: use A..B (commits reachable from B but not from A)");
            };
            let to = if to.is_empty() { "HEAD" } else { to };
            PushRange {
                tips: vec![repo.resolve_commit(to)?],
                hidden: vec![repo.resolve_commit(from)?],
                ..PushRange::default()
            }
        }
    };
    let (commits, _) = commits_in(&repo, &range, usize::MAX)?;
    let options = UnitOptions {
        max_file_size: config.max_file_size(),
        ..UnitOptions::default()
    };
    let progress = progress_bar(commits.len() as u64);
    let seen = Mutex::new(HashSet::new());
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(commits.len().max(1));
    let found: Vec<Found> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|worker| {
                let (commits, scanner, seen, progress, cwd) = (&commits, &scanner, &seen, &progress, &cwd);
                scope.spawn(move || {
                    let mut found = Found::default();
                    // Each worker opens its own handle: gix handles are cheap and not shareable.
                    let mut repo = match Repo::discover(cwd) {
                        Ok(repo) => repo,
                        Err(e) => {
                            found.errors.push(e.to_string());
                            return found;
                        }
                    };
                    repo.cache_objects(32 * 1024 * 1024);
                    for (order, commit) in commits.iter().enumerate().skip(worker).step_by(threads) {
                        scan_commit(&repo, scanner, *commit, order, options, seen, &mut found);
                        progress.inc(1);
                    }
                    found
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a scan worker panicked"))
            .collect()
    });
    progress.finish_and_clear();
    let mut findings: Vec<(usize, Finding)> = Vec::new();
    let mut skipped = Vec::new();
    let mut files = 0;
    for f in found {
        for error in f.errors {
            printer::note(&format!("sealant: warning: {error}"));
        }
        findings.extend(f.findings);
        skipped.extend(f.skipped);
        files += f.files;
    }
    // Newest commit first, then by place in the file: the same order on every run.
    findings.sort_by(|a, b| (a.0, &a.1.path, a.1.line, a.1.column).cmp(&(b.0, &b.1.path, b.1.line, b.1.column)));
    Ok(HistoryScan {
        findings: findings.into_iter().map(|(_, f)| f).collect(),
        skipped,
        files,
        commits: commits.len(),
        read_gitleaks: config.read_gitleaks,
        root: repo.workdir().map(ToOwned::to_owned),
        unused_allowlists: unused_allowlists(&scanner),
    })
}

fn scan_commit(
    repo: &Repo,
    scanner: &Scanner,
    commit: ObjectId,
    order: usize,
    options: UnitOptions,
    seen: &Mutex<HashSet<ObjectId>>,
    found: &mut Found,
) {
    let scanned = match commit_units(repo, commit, options, seen) {
        Ok(scanned) => scanned,
        Err(e) => {
            found.errors.push(format!("commit {} not scanned: {e}", short(commit)));
            return;
        }
    };
    found.files += scanned.units.len();
    let commit = commit.to_string();
    for unit in &scanned.units {
        for finding in scan_commit_unit(repo, scanner, unit, &commit) {
            found.findings.push((order, finding));
        }
    }
    found
        .skipped
        .extend(scanned.skipped.into_iter().filter(|s| s.reason != SkipReason::Binary));
}

/// A bar on stderr when it is a terminal; hidden otherwise (CI logs, pipes, tests).
fn progress_bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{spinner} scanning history {bar:30} {pos}/{len} commits ({eta})") {
        bar.set_style(style);
    }
    bar
}
