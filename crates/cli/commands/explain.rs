//! `sealant explain PATH:LINE` (or `sealant explain FINGERPRINT`): why sealant reports — or
//! does not report — what is on a line. For every rule whose keyword appears near the line:
//! did its regex match, what is the candidate's entropy, and which check let it go: a
//! placeholder, an inline allow comment, a `.sealant.toml` allowlist entry (named, with its
//! file), a more specific rule reporting the same secret, the rule's own entropy floor or
//! allow list, or a `.sealant-ignore` entry. Secrets stay redacted.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sealant_scan::engine::{
    Allowlist, Finding, Fragment, Rule, Subject, allows_next_line, has_inline_allow, is_placeholder, redact, shannon,
};
use sealant_scan::git::Repo;

use crate::args::ExplainArgs;
use crate::commands::scan::scan_files;
use crate::exit::ExitStatus;
use crate::ignore::{Ignores, Verdict};
use crate::printer;
use crate::settings;

pub fn run(args: &ExplainArgs) -> anyhow::Result<ExitStatus> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let root = Repo::discover(&cwd)
        .ok()
        .and_then(|r| r.workdir().map(Path::to_path_buf))
        .unwrap_or(cwd.clone());
    let target = args.target.as_str();
    if target.len() == 32 && target.bytes().all(|b| b.is_ascii_hexdigit()) {
        return explain_fingerprint(&root, target);
    }
    let Some((file, line)) = target
        .rsplit_once(':')
        .and_then(|(f, l)| Some((f, l.parse::<u32>().ok()?)))
    else {
        bail!("`{target}` is neither PATH:LINE nor a 32-digit fingerprint");
    };
    let path = cwd.join(file);
    let shown = relative(&root, &path);
    let text = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8_lossy(&text);
    let Some(line_text) = text.lines().nth(line.saturating_sub(1) as usize).filter(|_| line > 0) else {
        bail!("{} has no line {line}", path.display());
    };
    let config = settings::load_config(Some(&root))?;
    let scanner = settings::scanner(&config)?;
    let ignores = Ignores::load_all(Some(&root), config.read_gitleaks)?;
    let findings: Vec<Finding> = scanner.scan(&shown, &Fragment::new(&text, 1));
    let on_line: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.line <= line && line <= f.end_line)
        .collect();
    // The line itself is not printed: it may hold the secret.
    printer::note(&format!("{shown}:{line}:"));
    for f in &on_line {
        let verdict = verdict(&ignores, f);
        printer::note(&format!(
            "  {}: {} [{}] {} (entropy {:.2}, fingerprint {})",
            f.rule,
            f.description,
            verdict,
            f.redacted(),
            shannon(&f.secret),
            f.fingerprint
        ));
    }
    let lines: Vec<&str> = text.lines().collect();
    let from = (line as usize).saturating_sub(3);
    let window = lines[from..(line as usize + 2).min(lines.len())].join("\n");
    // Byte range of the asked line within the window: only matches touching it count.
    let start: usize = lines[from..line as usize - 1].iter().map(|l| l.len() + 1).sum();
    let target = start..start + line_text.len();
    let mut explained = on_line.len();
    for rule in scanner.rules() {
        if on_line.iter().any(|f| f.rule == rule.id) {
            continue;
        }
        let lower = line_text.to_ascii_lowercase();
        let Some(keyword) = rule.keywords.iter().find(|k| lower.contains(k.as_str())) else {
            continue;
        };
        explained += 1;
        printer::note(&format!(
            "  {}: keyword `{keyword}` — {}",
            rule.id,
            why_not(rule, scanner.allowlists(), &shown, (&window, target.clone()), &on_line)
        ));
    }
    if explained == 0 {
        printer::note("  no rule's keyword appears on this line, so no regex ran on it");
    }
    Ok(ExitStatus::Clean)
}

/// The reason a rule whose keyword is on the line reports nothing there.
fn why_not(
    rule: &Rule,
    allowlists: &[Allowlist],
    path: &str,
    (window, target): (&str, std::ops::Range<usize>),
    reported: &[&Finding],
) -> String {
    if !rule.applies_to(path) {
        return "the rule does not apply to this path".into();
    }
    let regex = rule.regex();
    let touching = regex.captures_iter(window).find(|c| {
        c.get(0)
            .is_some_and(|m| m.start() < target.end && target.start < m.end())
    });
    let Some(caps) = touching else {
        return "its regex does not match here".into();
    };
    let secret = caps.get(1).or_else(|| caps.get(0)).map_or("", |m| m.as_str());
    let matched = caps.get(0).map_or("", |m| m.as_str());
    let entropy = shannon(secret);
    let shown = format!("{} (entropy {entropy:.2})", redact(secret));
    if is_placeholder(secret) {
        return format!("matched {shown}, a placeholder (example, xxxx, <…>, ${{…}}, environment lookups …)");
    }
    let lines: Vec<&str> = window.lines().collect();
    let at = lines.iter().position(|l| l.contains(secret)).unwrap_or(0);
    let matched_line = lines.get(at).copied().unwrap_or_default();
    if has_inline_allow(matched_line) {
        return format!("matched {shown}, allowed by an inline comment on the line");
    }
    if at > 0 && allows_next_line(lines[at - 1]) {
        return format!("matched {shown}, allowed by a `pragma: allowlist nextline secret` comment on the line before");
    }
    let subject = Subject {
        rule: &rule.id,
        path,
        secret,
        matched,
        line: matched_line,
        commit: None,
    };
    if let Some(entry) = allowlists.iter().find(|a| a.allows(&subject)) {
        let why = if entry.description.is_empty() {
            String::new()
        } else {
            format!(" ({})", entry.description)
        };
        return format!(
            "matched {shown}, allowed by an allowlist entry in {}{why}",
            entry.origin
        );
    }
    if let Some(f) = reported
        .iter()
        .find(|f| f.secret.contains(secret) || secret.contains(f.secret.as_str()))
    {
        return format!("matched {shown}; the more specific rule {} reports it", f.rule);
    }
    format!("matched {shown}, below the rule's entropy floor or in its own allow list")
}

fn explain_fingerprint(root: &Path, fingerprint: &str) -> anyhow::Result<ExitStatus> {
    let scan = scan_files(&[root.to_path_buf()])?;
    let found: Vec<&Finding> = scan.findings.iter().filter(|f| f.fingerprint == fingerprint).collect();
    if found.is_empty() {
        printer::note(&format!(
            "sealant: no finding in the current files has fingerprint {fingerprint}"
        ));
        return Ok(ExitStatus::Findings);
    }
    let ignores = Ignores::load_all(Some(root), scan.read_gitleaks)?;
    for f in found {
        let verdict = verdict(&ignores, f);
        printer::note(&format!(
            "{}:{}:{}: {} ({}) {} — {verdict}; explain the line: sealant explain {}:{}",
            f.path,
            f.line,
            f.column,
            f.rule,
            f.description,
            f.redacted(),
            f.path,
            f.line
        ));
    }
    Ok(ExitStatus::Clean)
}

/// What the ignore files say about a finding, naming the file and entry.
fn verdict(ignores: &Ignores, f: &Finding) -> String {
    match ignores.verdict(f) {
        Verdict::Reported => "reported".to_owned(),
        Verdict::Ignored(e) => format!("ignored by {} entry {}", ignore_file(ignores), e.to_line()),
        Verdict::Expired(e) => format!(
            "reported: the {} entry expired on {}",
            ignore_file(ignores),
            e.expires.unwrap_or_default()
        ),
        Verdict::IgnoredByGitleaks(e) => format!(
            "ignored by {} entry {} (by position: sealant ignore --import-gitleaks keys it on the secret)",
            e.file.display(),
            e.text
        ),
    }
}

fn ignore_file(ignores: &Ignores) -> String {
    ignores
        .file
        .as_deref()
        .map_or_else(|| ".sealant-ignore".to_owned(), |f| f.display().to_string())
}

fn relative(root: &Path, path: &Path) -> String {
    let path: PathBuf = path.components().collect();
    path.strip_prefix(root).unwrap_or(&path).to_string_lossy().into_owned()
}
