//! Notebooks in scans: the commit guard for outputs, and secrets found cell by cell.
//!
//! For each staged `.ipynb` the commit adds or changes, [`Guard::check`]:
//! 1. reads the **staged** blob (never the working tree) and parses it; a notebook that does
//!    not parse blocks the commit with the parser's message (policy `allow`: a warning), and
//!    its added lines are still scanned as plain text;
//! 2. asks the stripper (nbstripout's default options) whether outputs or execution counts
//!    would go; per `[notebooks]` in `.sealant.toml` that blocks the commit (`block`, the
//!    default), or strips the blob in the index and — when it has no unstaged changes — the
//!    working-tree file (`strip`), or is fine (`allow`);
//! 3. scans the cell sources and output texts of what will be committed, JSON-unescaped, but
//!    only text that HEAD's version of the notebook does not already hold (diff-only, cell by
//!    cell: a line already anywhere in HEAD's notebook is not reported again), and names the
//!    cell and output of each finding.
//!
//! The ordinary path reads git in-process and writes nothing. Only the `strip` policy
//! writes, through `git hash-object -w` and `git update-index --cacheinfo`, which honour the
//! `GIT_INDEX_FILE` git gave the hook.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, bail};
use colored::Colorize;
use sealant_notebook::{CellChange, Notebook, Part, StripOptions, parts, strip};
use sealant_scan::engine::{Config, Finding, Fragment, OutputsPolicy, Scanner};
use sealant_scan::git::{Repo, ScanUnit};

use crate::exit::ExitStatus;
use crate::printer::{self, Stream};
use crate::report::{NotebookIssue, Scope};

/// Whether a path is a Jupyter notebook.
pub fn is_notebook(path: &str) -> bool {
    path.ends_with(".ipynb")
}

/// A notebook the commit may not carry as it is.
struct Problem {
    path: String,
    what: ProblemKind,
}

enum ProblemKind {
    /// Outputs or execution counts not cleared.
    Outputs(Vec<CellChange>),
    /// Not a notebook we can read.
    Unreadable(String),
}

/// The notebook side of a staged scan.
pub struct Guard<'r> {
    repo: &'r Repo,
    config: &'r Config,
    /// Whether the `strip` policy may write the index (a real commit, not a scan by hand).
    may_write: bool,
    problems: Vec<Problem>,
    stripped: Vec<String>,
    notes: Vec<String>,
}

impl<'r> Guard<'r> {
    /// A guard for the staged changes of `repo`, with `.sealant.toml`'s policies.
    pub fn new(repo: &'r Repo, config: &'r Config, may_write: bool) -> Guard<'r> {
        Guard {
            repo,
            config,
            may_write,
            problems: Vec::new(),
            stripped: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Checks one staged notebook and returns the secrets it adds.
    pub fn check(&mut self, scanner: &Scanner, unit: &ScanUnit) -> Vec<Finding> {
        let policy = self.config.notebooks.for_path(&unit.path);
        let bytes = self
            .staged_bytes(&unit.path)
            .unwrap_or_else(|| unit.text.clone().into_bytes());
        let mut nb = match Notebook::parse(&bytes, &unit.path) {
            Ok(nb) => nb,
            Err(e) => return self.unreadable(scanner, unit, policy, e.to_string()),
        };
        let mut stripped = nb.clone();
        let outcome = match strip(&mut stripped, &StripOptions::default(), &unit.path) {
            Ok(outcome) => outcome,
            Err(e) => return self.unreadable(scanner, unit, policy, e.to_string()),
        };
        if outcome.has_outputs_or_counts() {
            match policy {
                OutputsPolicy::Block => self.problems.push(Problem {
                    path: unit.path.clone(),
                    what: ProblemKind::Outputs(outcome.cells),
                }),
                OutputsPolicy::Strip if self.may_write => match self.strip_in_index(&unit.path, &bytes, stripped) {
                    Ok(committed) => {
                        nb = committed;
                        self.stripped.push(unit.path.clone());
                    }
                    Err(e) => self.problems.push(Problem {
                        path: unit.path.clone(),
                        what: ProblemKind::Unreadable(format!("could not strip it in the index: {e:#}")),
                    }),
                },
                OutputsPolicy::Strip => self.notes.push(format!(
                    "{}: outputs would be stripped at commit ([notebooks] strip)",
                    unit.path
                )),
                OutputsPolicy::Allow => {}
            }
        }
        // A renamed notebook is compared with what it was: only its edited cells are new.
        let old = self.head_notebook(unit.renamed_from.as_deref().unwrap_or(&unit.path));
        scan_parts(scanner, &unit.path, &parts(&nb), old.as_ref().map(parts).as_deref())
    }

    /// A notebook that does not parse: a problem (or a note under `allow`), and its added
    /// lines scanned as text so a secret in it is still found.
    fn unreadable(&mut self, scanner: &Scanner, unit: &ScanUnit, policy: OutputsPolicy, error: String) -> Vec<Finding> {
        if policy == OutputsPolicy::Allow {
            self.notes.push(format!("{error} (scanned as plain text)"));
        } else {
            self.problems.push(Problem {
                path: unit.path.clone(),
                what: ProblemKind::Unreadable(error),
            });
        }
        crate::commands::scan::scan_unit(scanner, unit, None)
    }

    /// The staged blob's exact bytes (the unit's text is lossy UTF-8).
    fn staged_bytes(&self, path: &str) -> Option<Vec<u8>> {
        let index = self.repo.read_index().ok()??;
        let entry = index.entry_by_path(path.as_bytes().into())?;
        self.repo.blob(entry.id).ok()
    }

    /// HEAD's version of the notebook, if there is one and it parses.
    fn head_notebook(&self, path: &str) -> Option<Notebook> {
        let tree = self.repo.head_tree().ok()??;
        let id = self.repo.blob_at(tree, path).ok()??;
        Notebook::parse(&self.repo.blob(id).ok()?, path).ok()
    }

    /// Writes the stripped notebook into the index (and the working tree when it holds
    /// exactly the staged bytes), returning what will be committed.
    fn strip_in_index(&self, path: &str, staged: &[u8], stripped: Notebook) -> anyhow::Result<Notebook> {
        let committed = stripped.clone();
        let bytes = stripped.into_bytes();
        let index = self.repo.read_index()?.context("no index")?;
        let entry = index
            .entry_by_path(path.as_bytes().into())
            .context("not in the index")?;
        let mode = format!("{:o}", entry.mode.bits());
        let root = self.repo.workdir().context("a bare repository has no index to strip")?;
        let id = git(root, &["hash-object", "-w", "--stdin", "--no-filters"], Some(&bytes))?;
        git(
            root,
            &["update-index", "--cacheinfo", &format!("{mode},{},{path}", id.trim())],
            None,
        )?;
        let file = root.join(path);
        if std::fs::read(&file).is_ok_and(|current| current == staged) {
            crate::commands::strip::write_atomic(&file, &bytes)?;
        }
        Ok(committed)
    }

    /// The notebooks the commit may not carry, for the machine-readable reports.
    pub fn issues(&self) -> Vec<NotebookIssue> {
        self.problems
            .iter()
            .map(|p| match &p.what {
                ProblemKind::Outputs(cells) => NotebookIssue {
                    path: p.path.clone(),
                    rule: "notebook-outputs",
                    message: format!(
                        "outputs or execution counts ({})",
                        cells.iter().map(cell_summary).collect::<Vec<_>>().join("; ")
                    ),
                },
                ProblemKind::Unreadable(message) => NotebookIssue {
                    path: p.path.clone(),
                    rule: "notebook-invalid",
                    message: message.clone(),
                },
            })
            .collect()
    }

    /// Prints what the notebooks need — the whole section for people (`human`); for a
    /// machine-readable report, which carries the problems itself, only the notes, on stderr —
    /// and returns the exit status they call for.
    pub fn finish(self, scope: Scope, stream: Stream, human: bool) -> ExitStatus {
        let stream = if human { stream } else { Stream::Stderr };
        for path in &self.stripped {
            printer::write(
                stream,
                &format!("sealant: stripped outputs from {path} in the commit ([notebooks] outputs = \"strip\")\n"),
            );
        }
        for note in &self.notes {
            printer::write(stream, &format!("{} {note}\n", "note:".bold()));
        }
        if self.problems.is_empty() {
            return ExitStatus::Clean;
        }
        if !human {
            return ExitStatus::Findings;
        }
        let mut out = String::new();
        let n = self.problems.len();
        let noun = if n == 1 {
            "1 notebook".to_owned()
        } else {
            format!("{n} notebooks")
        };
        let verdict = if scope == Scope::Commit {
            " — commit blocked"
        } else {
            ""
        };
        out.push_str(&format!(
            "{}\n\n",
            format!("sealant: {noun} not ready to commit{verdict}").bold()
        ));
        for problem in &self.problems {
            out.push_str(&describe(problem));
            out.push('\n');
        }
        if scope == Scope::Commit {
            out.push_str("hint: to commit anyway, once: git commit --no-verify\n");
        }
        printer::write(stream, &out);
        ExitStatus::Findings
    }
}

fn describe(problem: &Problem) -> String {
    let path = &problem.path;
    let eq = "=".blue().bold();
    match &problem.what {
        ProblemKind::Outputs(cells) => {
            let shown: Vec<String> = cells.iter().take(12).map(cell_summary).collect();
            let more = if cells.len() > 12 {
                format!(", and {} more", cells.len() - 12)
            } else {
                String::new()
            };
            format!(
                "{}: {path} has outputs or execution counts\n  {} {}{more}\n  {eq} why: outputs can hold credentials, personal data and large binaries, and they make every diff noisy\n  {eq} fix: sealant strip {path} && git add {path}\n  {eq} or let the hook strip it, or allow outputs here, in .sealant.toml:\n        [[notebooks.paths]]\n        glob = \"{path}\"\n        outputs = \"strip\"    # or \"allow\"\n",
                "error[notebook-outputs]".red().bold(),
                "-->".blue().bold(),
                shown.join("; "),
            )
        }
        ProblemKind::Unreadable(message) => format!(
            "{}: {message}\n  {eq} fix: repair or re-save the notebook, then git add {path}\n  {eq} or allow it in .sealant.toml ([[notebooks.paths]] glob = \"{path}\", outputs = \"allow\")\n",
            "error[notebook-invalid]".red().bold(),
        ),
    }
}

fn cell_summary(cell: &CellChange) -> String {
    let mut what = Vec::new();
    match cell.outputs {
        0 => {}
        1 => what.push("1 output".to_owned()),
        n => what.push(format!("{n} outputs")),
    }
    if cell.count {
        what.push("execution count".to_owned());
    }
    format!("cell {}: {}", cell.cell, what.join(", "))
}

/// Runs git in `dir` (inheriting the hook's environment, so `GIT_INDEX_FILE` holds) and
/// returns its stdout.
fn git(dir: &Path, args: &[&str], input: Option<&[u8]>) -> anyhow::Result<String> {
    let mut child = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run git {}", args.join(" ")))?;
    if let Some(input) = input {
        let mut stdin = child.stdin.take().context("git's stdin")?;
        stdin.write_all(input).context("writing to git")?;
    }
    let out = child.wait_with_output().context("waiting for git")?;
    if !out.status.success() {
        bail!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Scans the parts of a notebook, skipping text HEAD's version already holds, and names the
/// cell and output of each finding.
pub fn scan_parts(scanner: &Scanner, path: &str, new: &[Part], old: Option<&[Part]>) -> Vec<Finding> {
    let old_texts: HashSet<&str> = old.unwrap_or_default().iter().map(|p| p.text.as_str()).collect();
    let old_lines: HashSet<&str> = old
        .unwrap_or_default()
        .iter()
        .flat_map(|p| p.text.split_inclusive('\n'))
        .map(|l| l.trim_end_matches(['\n', '\r']))
        .collect();
    let mut findings = Vec::new();
    for part in new {
        if old_texts.contains(part.text.as_str()) {
            continue;
        }
        for (first_line, bytes) in added_runs(&part.text, &old_lines) {
            for mut finding in scanner.scan(path, &Fragment::within(&part.text, bytes, first_line)) {
                finding.origin = Some(part.location());
                findings.push(finding);
            }
        }
    }
    findings
}

/// Runs of consecutive lines of `text` not among `old_lines`: (1-based first line, bytes).
fn added_runs(text: &str, old_lines: &HashSet<&str>) -> Vec<(u32, std::ops::Range<usize>)> {
    let mut runs = Vec::new();
    let mut start: Option<(u32, usize)> = None;
    let mut offset = 0;
    let mut number = 0u32;
    for line in text.split_inclusive('\n') {
        number += 1;
        let new = !old_lines.contains(line.trim_end_matches(['\n', '\r']));
        match (new, start) {
            (true, None) => start = Some((number, offset)),
            (false, Some((first, from))) => {
                runs.push((first, from..offset));
                start = None;
            }
            _ => {}
        }
        offset += line.len();
    }
    if let Some((first, from)) = start {
        runs.push((first, from..text.len()));
    }
    runs
}

/// A notebook a commit adds (push and history scans), cell by cell against the version it
/// replaces, so findings name their cell and output as at commit time. `None` when it does
/// not parse (the caller scans its added lines as text).
pub fn scan_committed(repo: &Repo, scanner: &Scanner, unit: &ScanUnit) -> Option<Vec<Finding>> {
    let nb = Notebook::parse(unit.text.as_bytes(), &unit.path).ok()?;
    let old = unit
        .old
        .and_then(|id| repo.blob(id).ok())
        .and_then(|bytes| Notebook::parse(&bytes, &unit.path).ok());
    Some(scan_parts(
        scanner,
        &unit.path,
        &parts(&nb),
        old.as_ref().map(parts).as_deref(),
    ))
}

/// A notebook file scanned whole (`sealant scan PATH`): every part, with its cell and
/// output. `None` when it does not parse (the caller scans it as text).
pub fn scan_file(scanner: &Scanner, shown: &str, bytes: &[u8]) -> Option<Vec<Finding>> {
    let nb = Notebook::parse(bytes, shown).ok()?;
    Some(scan_parts(scanner, shown, &parts(&nb), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_runs_skip_known_lines() {
        let old: HashSet<&str> = ["a", "c"].into_iter().collect();
        assert_eq!(added_runs("a\nb\nb2\nc\nd", &old), [(2, 2..7), (5, 9..10)]);
        assert_eq!(added_runs("a\n", &old), []);
        assert_eq!(added_runs("x", &HashSet::new()), [(1, 0..1)]);
    }
}
