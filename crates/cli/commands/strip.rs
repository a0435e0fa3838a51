//! `sealant strip`: nbstripout's command line. Files are stripped in place (atomically, file
//! mode kept, not touched at all when nothing changes); without files, stdin is stripped to
//! stdout, which makes `sealant strip` a plain git clean filter. `--check` is nbstripout's
//! `--verify`, `--dry-run` and `--textconv` are nbstripout's.
//!
//! A file that cannot be read or is not a valid notebook is reported and left byte for byte
//! as it was; the others are still processed, and the exit code is 2.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use sealant_notebook::{StripOptions, parse_size, strip_bytes};

use crate::args::{StripArgs, StripOptionArgs};
use crate::exit::ExitStatus;
use crate::printer::{self, Stream};

/// What `sealant strip` does with each file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    InPlace,
    Check,
    DryRun,
    Textconv,
}

pub fn run(args: &StripArgs) -> anyhow::Result<ExitStatus> {
    let options = strip_options(&args.options)?;
    let mode = if args.check {
        Mode::Check
    } else if args.dry_run {
        Mode::DryRun
    } else if args.textconv {
        Mode::Textconv
    } else {
        Mode::InPlace
    };
    if args.files.is_empty() {
        return strip_stdin(&options, mode);
    }
    let mut status = ExitStatus::Clean;
    let mut warned = false;
    for file in &args.files {
        if !args.force && file.extension().is_none_or(|e| e != "ipynb") {
            continue;
        }
        match strip_file(file, &options, mode, &mut warned) {
            Ok(true) if mode == Mode::Check => status = status.max(ExitStatus::Findings),
            Ok(_) => {}
            Err(e) => {
                printer::note(&format!("sealant: error: {e:#}"));
                status = status.max(ExitStatus::Error);
            }
        }
    }
    Ok(status)
}

/// The parsed nbstripout options.
pub fn strip_options(args: &StripOptionArgs) -> anyhow::Result<StripOptions> {
    let words = |values: &[String]| -> Vec<String> {
        values
            .iter()
            .flat_map(|v| v.split_whitespace())
            .map(str::to_owned)
            .collect()
    };
    let strip_regex = args
        .strip_regex
        .as_deref()
        .map(sealant_notebook::Regex::new)
        .transpose()
        .context("--strip-regex does not compile")?;
    Ok(StripOptions {
        keep_output: args.keep_output,
        keep_count: args.keep_count,
        keep_id: args.keep_id,
        extra_keys: words(&args.extra_keys),
        keep_metadata_keys: words(&args.keep_metadata_keys),
        drop_empty_cells: args.drop_empty_cells,
        drop_tagged_cells: words(&args.drop_tagged_cells),
        strip_init_cells: args.strip_init_cells,
        max_size: parse_size(&args.max_size).map_err(|e| anyhow::anyhow!("--max-size: {e}"))?,
        keep_output_types: args.keep_output_type.clone(),
        drop_output_types: args.drop_output_type.clone(),
        strip_regex,
    })
}

fn warn(warnings: &[String], warned: &mut bool) {
    if !*warned {
        for warning in warnings {
            printer::note(&format!("sealant: warning: {warning}"));
        }
        *warned = true;
    }
}

/// Strips stdin to stdout (always written, canonical even when nothing changed: what a
/// clean filter must do).
fn strip_stdin(options: &StripOptions, mode: Mode) -> anyhow::Result<ExitStatus> {
    let mut input = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut input)
        .context("cannot read stdin")?;
    let stripped = match strip_bytes(&input, options, "<stdin>") {
        Ok(stripped) => stripped,
        Err(e) => {
            printer::note(&format!("sealant: error: {e}"));
            return Ok(ExitStatus::Error);
        }
    };
    warn(&stripped.outcome.warnings, &mut false);
    match mode {
        Mode::Check | Mode::DryRun => {
            if stripped.outcome.changed {
                printer::write(Stream::Stdout, "Dry run: would have stripped input from stdin\n");
            }
            Ok(if mode == Mode::Check && stripped.outcome.changed {
                ExitStatus::Findings
            } else {
                ExitStatus::Clean
            })
        }
        Mode::InPlace | Mode::Textconv => {
            write_stdout(&stripped.bytes);
            Ok(ExitStatus::Clean)
        }
    }
}

/// Raw bytes to stdout (the notebook is UTF-8, but it is written as the bytes it is).
fn write_stdout(bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).expect("the serializer writes UTF-8");
    printer::write(Stream::Stdout, text);
}

/// Strips one file per `mode`; returns whether it changed (or would).
fn strip_file(path: &Path, options: &StripOptions, mode: Mode, warned: &mut bool) -> anyhow::Result<bool> {
    let shown = path.display().to_string();
    let input = std::fs::read(path).with_context(|| format!("cannot read {shown}"))?;
    let stripped = strip_bytes(&input, options, &shown)?;
    warn(&stripped.outcome.warnings, warned);
    let changed = stripped.outcome.changed;
    match mode {
        Mode::Textconv => write_stdout(&stripped.bytes),
        Mode::Check | Mode::DryRun if changed => {
            printer::write(Stream::Stdout, &format!("Dry run: would have stripped {shown}\n"));
        }
        Mode::Check | Mode::DryRun => {}
        Mode::InPlace if changed => write_atomic(path, &stripped.bytes)?,
        Mode::InPlace => {}
    }
    Ok(changed)
}

/// Replaces the file at `path` (following a symlink to its target) with `bytes`: a temp
/// file in the same directory with the original's permissions, then a rename over it, so a
/// reader sees the old or the new file, never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let target = std::fs::canonicalize(path).with_context(|| format!("cannot resolve {}", path.display()))?;
    let dir = target.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let permissions = std::fs::metadata(&target)
        .with_context(|| format!("cannot read {}", target.display()))?
        .permissions();
    let mut attempt = 0u32;
    let (temp, mut file) = loop {
        let temp = dir.join(format!(".{name}.sealant-{}-{attempt}.tmp", std::process::id()));
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => break (temp, file),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e).with_context(|| format!("cannot create a temp file in {}", dir.display())),
        }
    };
    // No fsync: like git writing the index and nbstripout-fast, rename-over-existing is
    // relied on (ext4/xfs/btrfs flush the data before the rename commits); an fsync would
    // double the time of stripping a large notebook.
    let written = file
        .write_all(bytes)
        .and_then(|()| std::fs::set_permissions(&temp, permissions))
        .and_then(|()| std::fs::rename(&temp, &target));
    if let Err(e) = written {
        drop(std::fs::remove_file(&temp));
        return Err(e).with_context(|| format!("cannot write {}", target.display()));
    }
    Ok(())
}
