//! rustc-style snippets: what was found, where, why it matters, and the exact way out.
//!
//! ```text
//! error[openai-api-key]: OpenAI API key
//!   --> train/config.py:12:15
//!    |
//! 12 | OPENAI_KEY = "sk-proj-Ab3d…(redacted)…"
//!    |               ^^^^^^^^^^^^^^^^^^^^^^^^^ model-api secret, severity high
//!    = leak enables: unauthorised model use, cost abuse, data exfiltration through prompts
//!    = fix: …
//! ```
//!
//! The scanned line is sanitised before printing, the secret replaced by its redacted form,
//! and very long lines cut around the secret.

use colored::{ColoredString, Colorize};
use sealant_scan::engine::Finding;

use super::sanitize::for_terminal;
use super::{Report, Scope, shown_secret, skip_reason};

/// Characters of context kept on each side of the secret when a line is too long to show.
const CONTEXT: usize = 48;

/// Renders the whole report. Colour is decided by the caller through `colored`'s override.
pub fn render(report: &Report<'_>, show_secrets: bool) -> String {
    let mut out = String::new();
    for skip in report.skipped {
        out.push_str(&format!(
            "{} {} not scanned: {}\n",
            "note:".bold(),
            skip.path,
            skip_reason(&skip.reason)
        ));
    }
    if report.findings.is_empty() {
        return out;
    }
    out.push_str(&format!("{}\n\n", headline(report).bold()));
    for finding in report.findings {
        out.push_str(&snippet(finding, show_secrets));
        out.push('\n');
    }
    out.push_str(&way_out(report.scope));
    out
}

fn headline(report: &Report<'_>) -> String {
    let n = report.findings.len();
    let secrets = if n == 1 {
        "1 secret".to_owned()
    } else {
        format!("{n} secrets")
    };
    match report.scope {
        Scope::Commit => format!("sealant: {secrets} in staged changes — commit blocked"),
        Scope::Staged => format!("sealant: {secrets} in staged changes"),
        Scope::Files => format!("sealant: {secrets} found"),
        Scope::Push => format!("sealant: {secrets} in the commits being pushed — push blocked"),
        Scope::History => format!("sealant: {secrets} in history"),
    }
}

fn snippet(f: &Finding, show_secrets: bool) -> String {
    let (line, caret_at, caret_len) = display_line(f, show_secrets);
    let number = f.line.to_string();
    let pad = " ".repeat(number.len());
    let bar = "|".blue().bold();
    let span = if f.end_line > f.line {
        format!(" (lines {}–{})", f.line, f.end_line)
    } else {
        String::new()
    };
    let mut out = String::new();
    out.push_str(&format!(
        "{}{}\n",
        severity_label(f),
        format!(": {}", f.description).bold()
    ));
    let commit = f
        .commit
        .as_deref()
        .map(|c| format!(" in commit {}", c.get(..10).unwrap_or(c)))
        .unwrap_or_default();
    let place = match &f.origin {
        Some(origin) => format!("{}: {origin}, line {}, column {}", f.path, f.line, f.column),
        None => format!("{}:{}:{}", f.path, f.line, f.column),
    };
    out.push_str(&format!("{pad}{} {place}{span}{commit}\n", "-->".blue().bold()));
    out.push_str(&format!("{pad} {bar}\n"));
    out.push_str(&format!("{} {bar} {line}\n", number.blue().bold()));
    let carets = format!("{}{}", " ".repeat(caret_at), "^".repeat(caret_len.max(1)));
    let label = format!("{} secret, severity {}", f.surface.as_str(), f.severity.as_str());
    out.push_str(&format!("{pad} {bar} {} {}\n", carets.red().bold(), label.red()));
    if !f.blast_radius.is_empty() {
        out.push_str(&format!(
            "{pad} {} leak enables: {}\n",
            "=".blue().bold(),
            f.blast_radius
        ));
    }
    let rotate = if f.rotate.is_empty() {
        String::new()
    } else {
        format!(", then rotate it: {}", f.rotate)
    };
    out.push_str(&format!(
        "{pad} {} fix: remove it from the file and read it from the environment or a secrets manager{rotate}\n",
        "=".blue().bold()
    ));
    out.push_str(&format!(
        "{pad} {} not a secret? add {} to the line, or run `sealant ignore {}`\n",
        "=".blue().bold(),
        allow_comment(&f.path).bold(),
        f.fingerprint
    ));
    out
}

fn severity_label(f: &Finding) -> ColoredString {
    format!("error[{}]", f.rule).red().bold()
}

/// The line to show, with the secret replaced, cut around it when long; returns the line and
/// the caret's column and width (in characters of the shown line).
fn display_line(f: &Finding, show_secrets: bool) -> (String, usize, usize) {
    let chars: Vec<char> = f.line_text.chars().collect();
    let start = (f.column as usize).saturating_sub(1).min(chars.len());
    let first_line_of_secret = f.secret.split('\n').next().unwrap_or_default().trim_end_matches('\r');
    let end = (start + first_line_of_secret.chars().count()).min(chars.len());
    let mut shown = shown_secret(f, show_secrets);
    if show_secrets && f.end_line > f.line {
        shown = format!("{first_line_of_secret}…");
    }
    let before: String = chars[start.saturating_sub(CONTEXT)..start].iter().collect();
    let after: String = chars[end..(end + CONTEXT).min(chars.len())].iter().collect();
    let before = if start > CONTEXT {
        format!("…{before}")
    } else {
        before
    };
    let after = if chars.len() > end + CONTEXT {
        format!("{after}…")
    } else {
        after
    };
    let before = for_terminal(&before);
    let shown = for_terminal(&shown);
    let caret_at = before.chars().count();
    let caret_len = shown.chars().count();
    (format!("{before}{shown}{}", for_terminal(&after)), caret_at, caret_len)
}

/// The inline allow comment in the file's own comment syntax.
fn allow_comment(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    let slashes = [
        "js", "jsx", "ts", "tsx", "mjs", "cjs", "go", "rs", "java", "kt", "kts", "scala", "c", "h", "cc", "cpp", "hpp",
        "cs", "swift", "dart", "php", "groovy", "gradle", "jsonc",
    ];
    let dashes = ["sql", "lua", "hs"];
    if slashes.contains(&ext) {
        "`// sealant:allow`".into()
    } else if dashes.contains(&ext) {
        "`-- sealant:allow`".into()
    } else if ext == "json" || ext == "ipynb" {
        "a `sealant:allow` marker".into()
    } else {
        "`# sealant:allow`".into()
    }
}

fn way_out(scope: Scope) -> String {
    match scope {
        Scope::Commit => format!(
            "{} nothing was committed. Fix the lines above, `git add` them, and commit again.\n{} to commit anyway, once: {}\n",
            "hint:".bold(),
            "hint:".bold(),
            "git commit --no-verify".bold()
        ),
        Scope::Push => {
            let hint = "hint:".bold();
            format!(
                "{hint} nothing was pushed. The secret is in local commits: rewrite them, e.g. \
                 `git rebase -i @{{upstream}}` and edit the commit,\n      or `git reset --soft @{{upstream}}` and \
                 commit again without it.\n{hint} if these commits were shared any other way, treat the key as \
                 exposed and rotate it.\n{hint} to push anyway, once: {}\n",
                "git push --no-verify".bold()
            )
        }
        Scope::History => format!(
            "{} a secret in history stays readable in every clone: rotate it first, then rewrite history if needed\n      (git filter-repo), or record it as known with `sealant ignore FINGERPRINT`.\n",
            "hint:".bold()
        ),
        Scope::Staged | Scope::Files => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sealant_scan::engine::{Severity, Surface};

    fn finding(line_text: &str, column: u32, secret: &str) -> Finding {
        Finding {
            rule: "demo-token".into(),
            description: "Demo token".into(),
            surface: Surface::ModelApi,
            severity: Severity::High,
            path: "train/config.py".into(),
            line: 12,
            column,
            end_line: 12,
            line_text: line_text.into(),
            secret: secret.into(),
            fingerprint: "f".into(),
            blast_radius: "cost abuse".into(),
            rotate: "https://example.invalid/keys".into(),
            commit: None,
            origin: None,
        }
    }

    #[test]
    fn the_secret_is_redacted_and_underlined() {
        colored::control::set_override(false);
        let fake = "demo_Q8zR2lMx0vT7Q8zR2lMx0vT7";
        let f = finding(&format!("KEY = \"{fake}\""), 8, fake);
        let report = Report {
            scope: Scope::Commit,
            findings: std::slice::from_ref(&f),
            skipped: &[],
            notebooks: &[],
            files: 1,
        };
        let text = render(&report, false);
        assert!(!text.contains(fake), "{text}");
        assert!(text.contains("error[demo-token]: Demo token"), "{text}");
        assert!(text.contains("--> train/config.py:12:8"), "{text}");
        assert!(text.contains("12 | KEY = \"demo_Q8zR…(redacted)…\""), "{text}");
        assert!(
            text.contains("   |        ^^^^^^^^^^^^^^^^^^^^^ model-api secret"),
            "{text}"
        );
        assert!(
            text.contains("commit blocked") && text.contains("git commit --no-verify"),
            "{text}"
        );
        assert!(text.contains("`# sealant:allow`"), "{text}");
    }

    #[test]
    fn long_lines_are_cut_around_the_secret_and_sanitised() {
        colored::control::set_override(false);
        let fake = "demo_Q8zR2lMx0vT7";
        let line = format!("{}\u{1b}[2J{fake}{}", "a".repeat(300), "b".repeat(300));
        let f = finding(&line, 305, fake);
        let (shown, at, len) = display_line(&f, true);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(!shown.contains('\u{1b}'), "{shown}");
        assert_eq!(shown.chars().skip(at).take(len).collect::<String>(), fake);
    }

    #[test]
    fn allow_comments_follow_the_language() {
        assert_eq!(allow_comment("src/app.ts"), "`// sealant:allow`");
        assert_eq!(allow_comment(".env"), "`# sealant:allow`");
        assert_eq!(allow_comment("q.sql"), "`-- sealant:allow`");
    }
}
