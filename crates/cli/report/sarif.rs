//! SARIF 2.1.0, as GitHub code scanning reads it: one run whose driver lists the rules that
//! fired (with help text: what a leak enables, how to rotate), and one result per finding with
//! its location and a `partialFingerprints` entry holding sealant's content fingerprint, so an
//! alert follows the secret, not its line number. The snippet is never included: a SARIF
//! file is uploaded to a dashboard, and the secret must not travel with it.

use std::collections::BTreeMap;

use sealant_scan::engine::{Finding, Severity};
use serde_json::{Value, json};

use super::{NotebookIssue, Report, shown_secret};

/// The schema URI written into the document.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Renders the report as a SARIF 2.1.0 log.
pub fn render(report: &Report<'_>, show_secrets: bool) -> String {
    let mut rules: BTreeMap<&str, &Finding> = BTreeMap::new();
    for f in report.findings {
        rules.entry(f.rule.as_str()).or_insert(f);
    }
    let index: BTreeMap<&str, usize> = rules.keys().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut descriptors: Vec<Value> = rules.values().map(|f| rule(f)).collect();
    let mut results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| result(f, index[f.rule.as_str()], show_secrets))
        .collect();
    let mut notebook_rules: BTreeMap<&str, usize> = BTreeMap::new();
    for issue in report.notebooks {
        let rule_index = *notebook_rules.entry(issue.rule).or_insert_with(|| {
            descriptors.push(notebook_rule(issue.rule));
            descriptors.len() - 1
        });
        results.push(notebook_result(issue, rule_index));
    }
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "sealant",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/sealant-dev/sealant",
                    "rules": descriptors,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("a JSON value always serialises");
    text.push('\n');
    text
}

fn rule(f: &Finding) -> Value {
    // A rule from `.sealant.toml` or `.gitleaks.toml` may not say what a leak enables or how
    // to rotate: those sentences are left out rather than left empty.
    let enables = if f.blast_radius.is_empty() {
        String::new()
    } else {
        format!(" A leak enables: {}.", f.blast_radius)
    };
    let rotate = if f.rotate.is_empty() {
        "rotate it where it was issued".to_owned()
    } else {
        format!("rotate it: {}", f.rotate)
    };
    let help = format!(
        "{}.{enables} Fix: remove it from the file, read it from the environment or a secrets manager, and \
         {rotate}. If it is not a secret, add a `sealant:allow` comment on its line or `sealant ignore {}`.",
        f.description, f.fingerprint
    );
    json!({
        "id": f.rule,
        "name": pascal_case(&f.rule),
        "shortDescription": { "text": f.description },
        "fullDescription": { "text": format!("{} ({} secret)", f.description, f.surface.as_str()) },
        "help": { "text": help, "markdown": help },
        "defaultConfiguration": { "level": level(f.severity) },
        "properties": {
            "tags": ["security", "secret", f.surface.as_str()],
            "precision": "high",
            "security-severity": security_severity(f.severity),
        },
    })
}

fn result(f: &Finding, rule_index: usize, show_secrets: bool) -> Value {
    let mut region = json!({ "startLine": f.line, "startColumn": f.column, "endLine": f.end_line });
    if f.end_line == f.line {
        region["endColumn"] = json!(f.column as usize + f.secret.chars().count());
    }
    let mut message = format!("{} found: {}", f.description, shown_secret(f, show_secrets));
    if let Some(commit) = &f.commit {
        message.push_str(&format!(" (added in commit {commit})"));
    }
    json!({
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": { "text": message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": f.path },
                "region": region,
            }
        }],
        "partialFingerprints": { "sealantFingerprint/v1": f.fingerprint },
    })
}

/// The descriptor of a notebook check (`notebook-outputs`, `notebook-invalid`).
fn notebook_rule(id: &str) -> Value {
    let (short, help) = if id == "notebook-outputs" {
        (
            "Notebook with outputs or execution counts",
            "Outputs can hold credentials, personal data and large binaries, and they make every diff \
             noisy. Fix: `sealant strip PATH && git add PATH`, or set the path's policy in .sealant.toml \
             ([[notebooks.paths]] outputs = \"strip\" or \"allow\").",
        )
    } else {
        (
            "Notebook that cannot be read",
            "The file is not a notebook sealant can parse, so its outputs cannot be checked. Fix: repair \
             or re-save it, or allow it in .sealant.toml ([[notebooks.paths]] outputs = \"allow\").",
        )
    };
    json!({
        "id": id,
        "name": pascal_case(id),
        "shortDescription": { "text": short },
        "fullDescription": { "text": short },
        "help": { "text": help, "markdown": help },
        "defaultConfiguration": { "level": "error" },
        "properties": { "tags": ["notebook"], "precision": "very-high" },
    })
}

fn notebook_result(issue: &NotebookIssue, rule_index: usize) -> Value {
    json!({
        "ruleId": issue.rule,
        "ruleIndex": rule_index,
        "level": "error",
        "message": { "text": format!("{}: {}", issue.path, issue.message) },
        "locations": [{
            "physicalLocation": { "artifactLocation": { "uri": issue.path } }
        }],
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub's 0.0–10.0 scale.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}
