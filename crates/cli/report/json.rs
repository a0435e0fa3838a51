//! JSON for tools: one document (`{"findings": [...], "notebooks": [...], "skipped": [...],
//! "files_scanned": N}`) or JSON lines (one finding object per line, then one per notebook
//! problem). Secrets are redacted unless `--show-secrets`;
//! the `fingerprint` is stable across files, commits and scan modes.

use sealant_scan::engine::Finding;
use serde_json::{Value, json};

use super::{NotebookIssue, Report, shown_secret, skip_reason};

/// One finding as a JSON object.
pub fn finding(f: &Finding, show_secrets: bool) -> Value {
    json!({
        "rule": f.rule,
        "description": f.description,
        "surface": f.surface,
        "severity": f.severity,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "secret": shown_secret(f, show_secrets),
        "fingerprint": f.fingerprint,
        "blast_radius": f.blast_radius,
        "rotate": f.rotate,
        "commit": f.commit,
        "origin": f.origin,
    })
}

/// Renders the report as pretty-printed JSON with a trailing newline.
pub fn render(report: &Report<'_>, show_secrets: bool) -> String {
    let findings: Vec<Value> = report.findings.iter().map(|f| finding(f, show_secrets)).collect();
    let skipped: Vec<Value> = report
        .skipped
        .iter()
        .map(|s| json!({ "path": s.path, "reason": skip_reason(&s.reason) }))
        .collect();
    let notebooks: Vec<Value> = report.notebooks.iter().map(notebook).collect();
    let doc = json!({
        "findings": findings,
        "notebooks": notebooks,
        "skipped": skipped,
        "files_scanned": report.files,
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("a JSON value always serialises");
    text.push('\n');
    text
}

/// Renders one compact JSON object per finding, then per notebook problem, each on its own
/// line.
pub fn render_lines(report: &Report<'_>, show_secrets: bool) -> String {
    let findings = report.findings.iter().map(|f| finding(f, show_secrets));
    findings
        .chain(report.notebooks.iter().map(notebook))
        .map(|v| format!("{v}\n"))
        .collect()
}

/// One notebook problem as a JSON object: `rule`, `path`, `message`.
fn notebook(issue: &NotebookIssue) -> Value {
    json!({ "rule": issue.rule, "path": issue.path, "message": issue.message })
}
