//! `sealant rules`: the rules in effect here, so a user can find the id to allow or disable.

use std::fmt::Write;

use serde_json::json;

use crate::args::{Format, OutputArgs};
use crate::exit::ExitStatus;
use crate::printer::{self, Stream};
use crate::settings;

pub fn run(args: &OutputArgs) -> anyhow::Result<ExitStatus> {
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
                .map(|r| json!({ "id": r.id, "description": r.description, "surface": r.surface, "provider": r.provider, "severity": r.severity, "origin": r.origin }))
                .collect();
            format!("{}\n", serde_json::to_string_pretty(&rules)?)
        }
        Format::Human => {
            let mut out = String::new();
            for r in scanner.rules() {
                writeln!(out, "{:<36} {:<18} {}", r.id, r.surface.as_str(), r.description)?;
            }
            writeln!(out, "{} rules", scanner.rules().len())?;
            out
        }
    };
    printer::write(Stream::Stdout, &text);
    Ok(ExitStatus::Clean)
}
