//! `sealant scan`: the staged changes (`--staged`, also what the hook runs), or files and
//! directories scanned whole.

use std::path::{Path, PathBuf};

use anyhow::Context;
use sealant_scan::content::{Content, classify};
use sealant_scan::engine::{Config, Finding, Fragment, Scanner};
use sealant_scan::git::{Repo, ScanUnit, Skip, SkipReason, UnitOptions, staged_units};

use crate::args::{Format, ScanArgs};
use crate::commands::history;
use crate::exit::ExitStatus;
use crate::ignore::Ignores;
use crate::notebooks::{self, Guard};
use crate::printer::{self, Stream};
use crate::report::{self, Report, Scope};
use crate::settings::{self, Output};

pub fn run(args: &ScanArgs) -> anyhow::Result<ExitStatus> {
    let output = Output::resolve(&args.output, false);
    if args.staged {
        return scan_staged(Scope::Staged, output, Stream::Stdout);
    }
    if args.history {
        return history::scan_history(&history::Commits::All, &output, args.unused_allowlists);
    }
    if let Some(range) = &args.range {
        return history::scan_history(&history::Commits::Range(range.clone()), &output, args.unused_allowlists);
    }
    scan_paths(&args.paths, output, args.unused_allowlists)
}

/// With `--unused-allowlists`: names each allowlist entry that let nothing go, and asks for
/// exit status 1 when there is one.
pub(crate) fn report_unused_allowlists(unused: &[String], asked: bool) -> ExitStatus {
    if !asked {
        return ExitStatus::Clean;
    }
    for entry in unused {
        printer::note(&format!(
            "sealant: unused allowlist entry (it let nothing go in this scan): {entry}"
        ));
    }
    if unused.is_empty() {
        printer::note("sealant: every allowlist entry let something go in this scan");
        ExitStatus::Clean
    } else {
        ExitStatus::Findings
    }
}

/// Each unused allowlist entry of `scanner`, named by its file and its summary.
pub(crate) fn unused_allowlists(scanner: &Scanner) -> Vec<String> {
    scanner
        .unused_allowlists()
        .iter()
        .map(|a| format!("{}: {}", a.origin, a.summary()))
        .collect()
}

/// Scans what the index adds relative to HEAD and prints the report to `stream`.
pub fn scan_staged(scope: Scope, output: Output, stream: Stream) -> anyhow::Result<ExitStatus> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let repo = Repo::discover(&cwd)?;
    let config = settings::load_config(repo.workdir())?;
    let scanner = settings::scanner(&config)?;
    let options = UnitOptions {
        max_file_size: config.max_file_size(),
        ..UnitOptions::default()
    };
    let (units, skipped) = staged_units(&repo, options).context("reading the staged changes")?;
    let mut notebooks = Guard::new(&repo, &config, scope == Scope::Commit);
    let mut findings = Vec::new();
    for unit in &units {
        if notebooks::is_notebook(&unit.path) {
            findings.extend(notebooks.check(&scanner, unit));
            continue;
        }
        findings.extend(scan_unit(&scanner, unit, None));
    }
    apply_ignores(repo.workdir(), &mut findings, config.read_gitleaks)?;
    let skipped = noteworthy(skipped);
    let issues = notebooks.issues();
    emit(
        &Report {
            scope,
            findings: &findings,
            skipped: &skipped,
            notebooks: &issues,
            files: units.len(),
        },
        &output,
        stream,
    )?;
    let human = output.format == Format::Human;
    Ok(status(&findings, false).max(notebooks.finish(scope, stream, human)))
}

/// Scans what one file's change adds, hunk by hunk (`commit` is the commit that adds it, in
/// push and history scans).
pub(crate) fn scan_unit(scanner: &Scanner, unit: &ScanUnit, commit: Option<&str>) -> Vec<Finding> {
    let fragments = unit.hunks.iter().map(|hunk| {
        let fragment = Fragment::within(&unit.text, hunk.bytes.clone(), hunk.first_line);
        match commit {
            Some(commit) => fragment.in_commit(commit),
            None => fragment,
        }
    });
    scanner.scan_fragments(&unit.path, fragments)
}

/// What one file's change in a commit adds (push and history scans): a notebook cell by cell
/// against the version it replaces, anything else hunk by hunk; findings carry the commit.
pub(crate) fn scan_commit_unit(repo: &Repo, scanner: &Scanner, unit: &ScanUnit, commit: &str) -> Vec<Finding> {
    if notebooks::is_notebook(&unit.path)
        && let Some(mut findings) = notebooks::scan_committed(repo, scanner, unit)
    {
        for f in &mut findings {
            f.commit = Some(commit.to_owned());
        }
        return findings;
    }
    scan_unit(scanner, unit, Some(commit))
}

/// Binary files are skipped silently (nothing to scan); the others are worth a note.
fn noteworthy(skipped: Vec<Skip>) -> Vec<Skip> {
    skipped.into_iter().filter(|s| s.reason != SkipReason::Binary).collect()
}

/// What scanning files found.
pub(crate) struct FileScan {
    /// The repository root (or the current directory outside one).
    pub root: PathBuf,
    pub findings: Vec<Finding>,
    pub skipped: Vec<Skip>,
    pub files: usize,
    /// Files or paths that could not be read (already reported).
    pub errors: usize,
    /// Whether `.gitleaksignore` applies (`[scan] gitleaks`).
    pub read_gitleaks: bool,
    /// The allowlist entries that let nothing go (see [`unused_allowlists`]).
    pub unused_allowlists: Vec<String>,
}

/// Scans files and directories whole, before `.sealant-ignore`. Inside a repository, paths
/// are reported relative to its root (so `.sealant.toml` globs mean the same as in the
/// hook) and `.gitignore` holds.
pub(crate) fn scan_files(paths: &[PathBuf]) -> anyhow::Result<FileScan> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let repo_root = Repo::discover(&cwd)
        .ok()
        .and_then(|r| r.workdir().map(Path::to_path_buf));
    let root = repo_root.unwrap_or_else(|| cwd.clone());
    let config = settings::load_config(Some(&root))?;
    let scanner = settings::scanner(&config)?;
    let defaults = [PathBuf::from(".")];
    let paths = if paths.is_empty() { &defaults[..] } else { paths };
    let mut scan = FileScan {
        root,
        findings: Vec::new(),
        skipped: Vec::new(),
        files: 0,
        errors: 0,
        read_gitleaks: config.read_gitleaks,
        unused_allowlists: Vec::new(),
    };
    for path in paths {
        if !path.exists() {
            printer::note(&format!(
                "sealant: error: {}: no such file or directory",
                path.display()
            ));
            scan.errors += 1;
            continue;
        }
        let walk = ignore::WalkBuilder::new(path)
            .hidden(false)
            .filter_entry(|e| e.file_name() != ".git")
            .build();
        for entry in walk {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    printer::note(&format!("sealant: error: {e}"));
                    scan.errors += 1;
                    continue;
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            scan.files += 1;
            let shown = display_path(&scan.root, &cwd, entry.path());
            match scan_file(&scanner, &config, entry.path(), &shown) {
                Ok(Ok(found)) => scan.findings.extend(found),
                Ok(Err(reason)) => scan.skipped.push(Skip { path: shown, reason }),
                Err(e) => {
                    printer::note(&format!("sealant: error: {e:#}"));
                    scan.errors += 1;
                }
            }
        }
    }
    scan.unused_allowlists = unused_allowlists(&scanner);
    Ok(scan)
}

/// `sealant scan PATH...`: the file scan, minus what `.sealant-ignore` suppresses.
fn scan_paths(paths: &[PathBuf], output: Output, unused: bool) -> anyhow::Result<ExitStatus> {
    let mut scan = scan_files(paths)?;
    apply_ignores(Some(&scan.root), &mut scan.findings, scan.read_gitleaks)?;
    let skipped = noteworthy(scan.skipped);
    let report = Report {
        scope: Scope::Files,
        findings: &scan.findings,
        skipped: &skipped,
        notebooks: &[],
        files: scan.files,
    };
    emit(&report, &output, Stream::Stdout)?;
    let allowlists = report_unused_allowlists(&scan.unused_allowlists, unused);
    Ok(status(&scan.findings, scan.errors > 0).max(allowlists))
}

/// Drops the findings `<root>/.sealant-ignore` (and, with `gitleaks`, `.gitleaksignore`)
/// suppresses, and says when a matching entry has expired (its finding is reported again).
pub(crate) fn apply_ignores(root: Option<&Path>, findings: &mut Vec<Finding>, gitleaks: bool) -> anyhow::Result<()> {
    let ignores = Ignores::load_all(root, gitleaks)?;
    for expired in ignores.filter(findings) {
        printer::note(&format!(
            "sealant: note: the ignore entry for {} expired on {}; the finding is reported again",
            expired.fingerprint,
            expired.expires.unwrap_or_default()
        ));
    }
    Ok(())
}

fn scan_file(
    scanner: &Scanner,
    config: &Config,
    path: &Path,
    shown: &str,
) -> anyhow::Result<Result<Vec<Finding>, SkipReason>> {
    if scanner.path_is_allowed(shown) {
        return Ok(Ok(Vec::new()));
    }
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    if size > config.max_file_size() {
        return Ok(Err(SkipReason::TooLarge(size)));
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    match classify(&bytes) {
        Content::Binary => return Ok(Err(SkipReason::Binary)),
        Content::LfsPointer => return Ok(Err(SkipReason::LfsPointer)),
        Content::Text => {}
    }
    if notebooks::is_notebook(shown)
        && let Some(found) = notebooks::scan_file(scanner, shown, &bytes)
    {
        return Ok(Ok(found));
    }
    let text = String::from_utf8_lossy(&bytes);
    Ok(Ok(scanner.scan(shown, &Fragment::new(&text, 1))))
}

/// `/`-separated path relative to the repository root when inside it, else relative to the
/// current directory, else as given.
fn display_path(root: &Path, cwd: &Path, path: &Path) -> String {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let absolute = normalize(&absolute);
    let relative = absolute.strip_prefix(root).map(Path::to_path_buf).unwrap_or(absolute);
    let shown = relative.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        shown.into_owned()
    } else {
        shown.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// Removes `.` components and folds `..` lexically (no symlink resolution).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Renders the report in the chosen format, writes it to `stream`, and to `--report-path`
/// (without colour) when asked.
pub(crate) fn emit(report: &Report<'_>, output: &Output, stream: Stream) -> anyhow::Result<()> {
    colored::control::set_override(output.color);
    printer::write(stream, &report::render(report, output.format, output.show_secrets));
    if let Some(path) = &output.report_path {
        colored::control::set_override(false);
        let text = report::render(report, output.format, output.show_secrets);
        std::fs::write(path, text).with_context(|| format!("cannot write the report to {}", path.display()))?;
    }
    Ok(())
}

/// Findings make 1, errors make 2.
pub(crate) fn status(findings: &[Finding], errored: bool) -> ExitStatus {
    let found = if findings.is_empty() {
        ExitStatus::Clean
    } else {
        ExitStatus::Findings
    };
    if errored { found.max(ExitStatus::Error) } else { found }
}
