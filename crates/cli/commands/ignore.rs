//! `sealant ignore` and `sealant baseline`: write `.sealant-ignore` (see `crate::ignore`).
//! Entries are merged, sorted and deduplicated on every write, so two branches that each add
//! an entry merge without a conflict.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sealant_scan::engine::{Finding, Fragment};
use sealant_scan::git::Repo;

use crate::args::{BaselineArgs, IgnoreArgs};
use crate::commands::history;
use crate::commands::scan::scan_files;
use crate::exit::ExitStatus;
use crate::ignore::{Entry, GitleaksEntry, IGNORE_FILE, Ignores, check_date, write};
use crate::{printer, settings};

/// The repository root, or the current directory outside one.
fn root() -> anyhow::Result<PathBuf> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    Ok(Repo::discover(&cwd)
        .ok()
        .and_then(|r| r.workdir().map(ToOwned::to_owned))
        .unwrap_or(cwd))
}

pub fn run(args: &IgnoreArgs) -> anyhow::Result<ExitStatus> {
    let root = root()?;
    if args.prune {
        return prune(&root, args.dry_run, args.history);
    }
    if let Some(baseline) = &args.import_detect_secrets {
        return import_detect_secrets(&root, baseline);
    }
    if let Some(file) = &args.import_gitleaks {
        return import_gitleaks(&root, file);
    }
    let fingerprint = args.fingerprint.as_deref().context("a fingerprint is required")?;
    let mut line = fingerprint.to_owned();
    if let Some(path) = &args.path {
        if path.chars().any(char::is_whitespace) {
            bail!("--path cannot contain spaces; use `?` to match one");
        }
        line.push_str(&format!(" path={path}"));
    }
    if let Some(date) = &args.expires {
        check_date(date)?;
        line.push_str(&format!(" expires={date}"));
    }
    if let Some(reason) = &args.reason {
        if reason.contains('\n') {
            bail!("--reason must be one line");
        }
        line.push_str(&format!(" # {reason}"));
    }
    let entry = Entry::parse(&line)?;
    let existing = Ignores::load(Some(&root))?;
    let mut entries: Vec<Entry> = existing.entries().cloned().collect();
    entries.retain(|e| !(e.fingerprint == entry.fingerprint && e.path == entry.path));
    entries.push(entry);
    let file = root.join(IGNORE_FILE);
    write(&file, &entries)?;
    printer::note(&format!(
        "sealant: {} now ignores {fingerprint}; commit it so everyone's scans agree",
        file.display()
    ));
    Ok(ExitStatus::Clean)
}

/// Removes (or, dry, lists) entries that match no finding in the current files (nor, with
/// `history`, in any commit: entries that keep a history scan quiet are not stale).
fn prune(root: &std::path::Path, dry_run: bool, history: bool) -> anyhow::Result<ExitStatus> {
    let ignores = Ignores::load(Some(root))?;
    let mut findings = scan_files(&[root.to_path_buf()])?.findings;
    if history {
        findings.extend(history::collect(&history::Commits::All)?.findings);
    }
    let stale = ignores.stale(&findings);
    for entry in &stale {
        printer::note(&format!("sealant: stale (matches nothing): {}", entry.to_line()));
    }
    if stale.is_empty() {
        printer::note("sealant: no stale entries");
    } else if !dry_run {
        let kept: Vec<Entry> = ignores.entries().filter(|e| !stale.contains(e)).cloned().collect();
        write(&root.join(IGNORE_FILE), &kept)?;
        printer::note(&format!(
            "sealant: removed {} stale entr{}",
            stale.len(),
            if stale.len() == 1 { "y" } else { "ies" }
        ));
    }
    Ok(ExitStatus::Clean)
}

/// Turns a detect-secrets baseline into entries. detect-secrets stores a SHA-1 of each secret
/// per file, not the secret; each listed file is scanned, and a finding whose secret hashes to
/// a listed value becomes an entry scoped to that file. Listed secrets sealant does not find
/// are reported (nothing to ignore), as are files that are gone.
fn import_detect_secrets(root: &std::path::Path, baseline: &std::path::Path) -> anyhow::Result<ExitStatus> {
    use sha1::Digest;
    let text = std::fs::read_to_string(baseline).with_context(|| format!("cannot read {}", baseline.display()))?;
    let doc: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a detect-secrets baseline (JSON)", baseline.display()))?;
    let results = doc["results"].as_object().with_context(|| {
        format!(
            "{}: no `results` object; is this a detect-secrets baseline?",
            baseline.display()
        )
    })?;
    let existing = Ignores::load(Some(root))?;
    let mut entries: Vec<Entry> = existing.entries().cloned().collect();
    let (mut imported, mut unmatched) = (0, 0);
    for (file, secrets) in results {
        let hashes: HashSet<String> = secrets
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|s| s["hashed_secret"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let path = root.join(file);
        if !path.is_file() {
            printer::note(&format!(
                "sealant: {file}: listed in the baseline but not here; skipped"
            ));
            continue;
        }
        let scan = scan_files(&[path])?;
        let mut found = HashSet::new();
        for finding in &scan.findings {
            let hash: String = sha1::Sha1::digest(finding.secret.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            if hashes.contains(&hash) {
                found.insert(hash);
                let line = format!(
                    "{} path={} # imported from detect-secrets: {}",
                    finding.fingerprint,
                    glob_escape(&finding.path),
                    finding.rule
                );
                let entry = Entry::parse(&line)?;
                if !entries
                    .iter()
                    .any(|e| e.fingerprint == entry.fingerprint && e.path == entry.path)
                {
                    entries.push(entry);
                    imported += 1;
                }
            }
        }
        unmatched += hashes.len() - found.len();
    }
    write(&root.join(IGNORE_FILE), &entries)?;
    printer::note(&format!(
        "sealant: imported {imported} entr{} from {}; {unmatched} listed secret{} sealant does not report (nothing to ignore)",
        if imported == 1 { "y" } else { "ies" },
        baseline.display(),
        if unmatched == 1 { "" } else { "s" }
    ));
    Ok(ExitStatus::Clean)
}

/// Each `.gitleaksignore` line names a finding by position; the finding is looked up there —
/// the file as of the line's commit, or as it is now for a line without one — and what
/// sealant reports at that line, under that rule or its sealant name, becomes an entry keyed
/// on the secret and scoped to the file.
fn import_gitleaks(root: &Path, file: &Path) -> anyhow::Result<ExitStatus> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let config = settings::load_config(Some(root))?;
    let scanner = settings::scanner(&config)?;
    let repo = Repo::discover(root).ok();
    let existing = Ignores::load(Some(root))?;
    let mut entries: Vec<Entry> = existing.entries().cloned().collect();
    let (mut imported, mut unmatched) = (0, Vec::new());
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some(wanted) = GitleaksEntry::parse(line) else {
            bail!(
                "{}:{}: `{line}` is not a gitleaks fingerprint ([commit:]file:rule:line)",
                file.display(),
                number + 1
            );
        };
        let found: Vec<Finding> = match content_at(root, repo.as_ref(), &wanted)? {
            Some(content) => {
                let fragment = Fragment::new(&content, 1);
                let fragment = match &wanted.commit {
                    Some(commit) => fragment.in_commit(commit),
                    None => fragment,
                };
                scanner
                    .scan(&wanted.path, &fragment)
                    .into_iter()
                    .filter(|f| wanted.matches(f))
                    .collect()
            }
            None => Vec::new(),
        };
        if found.is_empty() {
            unmatched.push(line.to_owned());
        }
        for finding in found {
            let entry = Entry::parse(&format!(
                "{} path={} # imported from .gitleaksignore: {}",
                finding.fingerprint,
                glob_escape(&finding.path),
                finding.rule
            ))?;
            if !entries
                .iter()
                .any(|e| e.fingerprint == entry.fingerprint && e.path == entry.path)
            {
                entries.push(entry);
                imported += 1;
            }
        }
    }
    write(&root.join(IGNORE_FILE), &entries)?;
    for line in &unmatched {
        printer::note(&format!(
            "sealant: {line}: sealant finds nothing there (nothing to ignore, or the file or commit is gone)"
        ));
    }
    printer::note(&format!(
        "sealant: imported {imported} entr{} from {} into {IGNORE_FILE}; {} line{} matched nothing. \
         Once it is committed, {} can go: its entries match by position, these by secret",
        if imported == 1 { "y" } else { "ies" },
        file.display(),
        unmatched.len(),
        if unmatched.len() == 1 { "" } else { "s" },
        file.display()
    ));
    Ok(ExitStatus::Clean)
}

/// The text of the file a `.gitleaksignore` line names: in its commit, or in the working
/// tree; `None` when it is not there (a deleted file, a commit this clone lacks).
fn content_at(root: &Path, repo: Option<&Repo>, entry: &GitleaksEntry) -> anyhow::Result<Option<String>> {
    let bytes = match (&entry.commit, repo) {
        (Some(commit), Some(repo)) => {
            let Ok(id) = repo.resolve_commit(commit) else {
                return Ok(None);
            };
            match repo.blob_at(repo.commit_tree(id)?, &entry.path)? {
                Some(blob) => repo.blob(blob)?,
                None => return Ok(None),
            }
        }
        (Some(_), None) => return Ok(None),
        (None, _) => match std::fs::read(root.join(&entry.path)) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", entry.path)),
        },
    };
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

/// Writes every current finding as an entry scoped to its file, keeping existing entries.
pub fn baseline(args: &BaselineArgs) -> anyhow::Result<ExitStatus> {
    let root = root()?;
    let paths = if args.paths.is_empty() {
        vec![root.clone()]
    } else {
        args.paths.clone()
    };
    let scan = scan_files(&paths)?;
    let existing = Ignores::load(Some(&root))?;
    let mut entries: Vec<Entry> = existing.entries().cloned().collect();
    let mut added = 0;
    let mut seen: HashSet<(String, String)> = entries
        .iter()
        .map(|e| (e.fingerprint.clone(), e.path.clone().unwrap_or_default()))
        .collect();
    for finding in &scan.findings {
        let path = glob_escape(&finding.path);
        if seen.insert((finding.fingerprint.clone(), path.clone())) {
            entries.push(Entry::parse(&format!(
                "{} path={path} # baseline: {}",
                finding.fingerprint, finding.rule
            ))?);
            added += 1;
        }
    }
    let file = root.join(IGNORE_FILE);
    write(&file, &entries)?;
    printer::note(&format!(
        "sealant: recorded {added} current finding{} in {} ({} entries in all); commit it, and rotate what is real",
        if added == 1 { "" } else { "s" },
        file.display(),
        entries.len()
    ));
    Ok(if scan.errors > 0 {
        ExitStatus::Error
    } else {
        ExitStatus::Clean
    })
}

/// A path as a glob that matches only itself, anchored at the root.
fn glob_escape(path: &str) -> String {
    let mut out = String::from("/");
    for c in path.chars() {
        if c.is_whitespace() {
            // Entries are whitespace-separated; `?` matches the one character.
            out.push('?');
        } else if matches!(c, '*' | '?' | '[' | ']' | '{' | '}' | '\\') {
            out.push('[');
            out.push(c);
            out.push(']');
        } else {
            out.push(c);
        }
    }
    out
}
