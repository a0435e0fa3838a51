//! Presentation only: findings and skipped files in, text out. `human` renders rustc-style
//! snippets for people, `json` one document for tools. Neither prints; the caller hands the
//! text to the printer.

pub mod human;
pub mod json;
mod sanitize;
pub mod sarif;

use sealant_scan::engine::Finding;

use crate::args::Format;
use sealant_scan::git::{Skip, SkipReason};

/// What was scanned, which decides the headline and the way out offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A commit is being made: say it is blocked and how to bypass once.
    Commit,
    /// The staged changes, scanned by hand.
    Staged,
    /// Files on disk.
    Files,
    /// The commits a push publishes: say the push is blocked and how to rewrite them.
    Push,
    /// Commits already in history (`scan --history`, `--range`).
    History,
}

/// Everything a report shows.
pub struct Report<'a> {
    pub scope: Scope,
    pub findings: &'a [Finding],
    pub skipped: &'a [Skip],
    /// Staged notebooks the commit may not carry as they are. The human format leaves them
    /// to the notebook guard's own section; the machine formats carry them.
    pub notebooks: &'a [NotebookIssue],
    /// Files scanned (for the summary line).
    pub files: usize,
}

/// A staged notebook that blocks a commit: outputs not cleared, or not a notebook at all.
#[derive(Debug, Clone)]
pub struct NotebookIssue {
    /// `/`-separated path from the repository root.
    pub path: String,
    /// `notebook-outputs` or `notebook-invalid`.
    pub rule: &'static str,
    /// What is wrong, in one line.
    pub message: String,
}

/// The report as text in `format`.
pub fn render(report: &Report<'_>, format: Format, show_secrets: bool) -> String {
    match format {
        Format::Human => human::render(report, show_secrets),
        Format::Json => json::render(report, show_secrets),
        Format::Jsonl => json::render_lines(report, show_secrets),
        Format::Sarif => sarif::render(report, show_secrets),
    }
}

/// The secret as it may be shown.
pub fn shown_secret(finding: &Finding, show_secrets: bool) -> String {
    if show_secrets {
        finding.secret.clone()
    } else {
        finding.redacted()
    }
}

/// A skip reason in words.
pub fn skip_reason(reason: &SkipReason) -> String {
    match reason {
        SkipReason::Binary => "binary".into(),
        SkipReason::LfsPointer => "Git LFS pointer".into(),
        SkipReason::TooLarge(size) => {
            format!("{size} bytes, over the size limit ([scan] max_file_size)")
        }
    }
}
