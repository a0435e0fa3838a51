//! `sealant rules`: the rules in effect here (`list`, the default), so a user can find the id
//! to allow or disable, and `check`, which proves a user's rule file the way the builtin
//! rules are proven in `cargo test` (`sealant_scan::engine::Scanner::check_rule`).

use std::fmt::Write;
use std::path::Path;

use serde_json::json;

use crate::args::{Format, OutputArgs, RulesArgs, RulesCheckArgs, RulesCommand};
use crate::exit::ExitStatus;
use crate::printer::{self, Stream};
use crate::settings;
use sealant_scan::engine::{Config, RuleSet, Scanner};

pub fn run(args: &RulesArgs) -> anyhow::Result<ExitStatus> {
    match &args.command {
        None => list(&args.output),
        Some(RulesCommand::List(output)) => list(output),
        Some(RulesCommand::Check(check_args)) => check(check_args),
    }
}

/// The builtin rules plus the repository's, minus its disabled ones.
fn list(args: &OutputArgs) -> anyhow::Result<ExitStatus> {
    let root = std::env::current_dir().ok();
    let repo_root = root
        .as_deref()
        .and_then(|d| sealant_scan::git::Repo::discover(d).ok())
        .and_then(|r| r.workdir().map(ToOwned::to_owned));
    let config = settings::load_config(repo_root.as_deref().or(root.as_deref()))?;
    let scanner = settings::scanner(&config)?;
    let text = match args.format {
        Format::Json | Format::Jsonl | Format::Sarif => {
            let rules: Vec<_> = scanner
                .rules()
                .iter()
                .map(|r| {
                    json!({
                        "id": r.id,
                        "description": r.description,
                        "surface": r.surface,
                        "provider": r.provider,
                        "severity": r.severity,
                        "origin": r.origin,
                        "path": r.is_path_only(),
                    })
                })
                .collect();
            format!("{}\n", serde_json::to_string_pretty(&rules)?)
        }
        Format::Human => {
            let mut out = String::new();
            writeln!(out, "{:<38} {:<22} {:<19} SEVERITY", "ID", "PROVIDER", "SURFACE")?;
            for r in scanner.rules() {
                let provider = if r.provider.is_empty() {
                    "-"
                } else {
                    r.provider.as_str()
                };
                writeln!(
                    out,
                    "{:<38} {:<22} {:<19} {}",
                    r.id,
                    provider,
                    r.surface.as_str(),
                    r.severity.as_str()
                )?;
            }
            writeln!(out, "{} rules", scanner.rules().len())?;
            out
        }
    };
    printer::write(Stream::Stdout, &text);
    for note in scanner.notes() {
        printer::note(&format!("sealant: note: not carried over from gitleaks: {note}"));
    }
    Ok(ExitStatus::Clean)
}

/// Proves each file's rules (and with `--builtin` the builtin ones) against the builtin set:
/// ids must not collide with builtin ids, and negative examples must stay quiet for every rule.
fn check(args: &RulesCheckArgs) -> anyhow::Result<ExitStatus> {
    let mut out = String::new();
    let mut status = ExitStatus::Clean;
    if args.builtin {
        let scanner = Scanner::new(RuleSet::builtin()?, &Config::default())?;
        let failures: Vec<String> = scanner.rules().iter().flat_map(|r| scanner.check_rule(r)).collect();
        report(&mut out, "builtin rules", scanner.rules().len(), &failures)?;
        if !failures.is_empty() {
            status = ExitStatus::Findings;
        }
    }
    for file in &args.files {
        status = status.max(check_file(file, &mut out)?);
    }
    printer::write(Stream::Stdout, &out);
    Ok(status)
}

fn check_file(file: &Path, out: &mut String) -> anyhow::Result<ExitStatus> {
    let origin = file.display().to_string();
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => {
            writeln!(out, "{origin}: cannot read: {e}")?;
            return Ok(ExitStatus::Error);
        }
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.ends_with("gitleaks.toml") || name.ends_with("betterleaks.toml") {
        return check_gitleaks_file(file, &text, out);
    }
    // A pack of [[rules]] tables is also a valid .sealant.toml: one parser for both.
    let config = match Config::parse(&text, &origin) {
        Ok(config) => config,
        Err(e) => {
            writeln!(out, "{e}")?;
            return Ok(ExitStatus::Error);
        }
    };
    if config.extra_rules.is_empty() {
        writeln!(out, "{origin}: no [[rules]] tables")?;
        return Ok(ExitStatus::Findings);
    }
    let count = config.extra_rules.len();
    let mut rules = RuleSet::builtin()?;
    if let Err(e) = rules.add_specs(config.extra_rules, &origin, true) {
        report(out, &origin, count, &[e.to_string()])?;
        return Ok(ExitStatus::Findings);
    }
    let scanner = Scanner::new(rules, &Config::default())?;
    let failures: Vec<String> = scanner
        .rules()
        .iter()
        .filter(|r| r.origin == origin)
        .flat_map(|r| scanner.check_rule(r))
        .collect();
    report(out, &origin, count, &failures)?;
    Ok(if failures.is_empty() {
        ExitStatus::Clean
    } else {
        ExitStatus::Findings
    })
}

/// A gitleaks configuration, translated as the hook translates it (`[extend] path` relative to
/// the file's directory): its rules beside the builtin ones, what does not carry over, and a
/// full compile of every regex it brings.
fn check_gitleaks_file(file: &Path, text: &str, out: &mut String) -> anyhow::Result<ExitStatus> {
    let origin = file.display().to_string();
    let dir = file.parent().unwrap_or(Path::new("."));
    let built = settings::parse_gitleaks(text, file, dir).and_then(|gitleaks| {
        let count = gitleaks.rule_count();
        let config = Config {
            gitleaks: Some(gitleaks),
            ..Config::default()
        };
        Ok((count, Scanner::new(RuleSet::builtin()?, &config)?))
    });
    let (count, scanner) = match built {
        Ok(built) => built,
        Err(e) => {
            writeln!(out, "{e}")?;
            return Ok(ExitStatus::Error);
        }
    };
    let failures = scanner.check_imported();
    report(out, &format!("{origin} (gitleaks' format)"), count, &failures)?;
    for note in scanner.notes() {
        writeln!(out, "  not carried over: {note}")?;
    }
    Ok(if failures.is_empty() {
        ExitStatus::Clean
    } else {
        ExitStatus::Findings
    })
}

fn report(out: &mut String, what: &str, count: usize, failures: &[String]) -> std::fmt::Result {
    if failures.is_empty() {
        writeln!(out, "{what}: {count} rules ok")
    } else {
        writeln!(out, "{what}: {} problem(s) in {count} rules", failures.len())?;
        for f in failures {
            writeln!(out, "  {f}")?;
        }
        Ok(())
    }
}
