//! `sealant install`: per machine by default (every repository, existing and future), or
//! `--repo` for the current repository only. Either way the hooks that were there keep
//! running, a second install changes nothing, and `sealant uninstall` restores what was there.

use std::path::{Path, PathBuf};

use anyhow::Context;
use sealant_install::hookfile::SCANNING_HOOKS;
use sealant_install::machine::{self, GitConfig, Mode, Scope};
use sealant_install::{Action, apply, attributes, plan};
use sealant_scan::git::Repo;

use crate::args::InstallArgs;
use crate::exit::ExitStatus;
use crate::printer;
use crate::settings;

pub fn run(args: &InstallArgs) -> anyhow::Result<ExitStatus> {
    let binary = current_binary()?;
    if args.repo {
        install_repo(args, &binary)
    } else {
        install_machine(args, &binary)
    }
}

/// The running binary's stable path (symlinks resolved, so the hook keeps working).
pub fn current_binary() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe().context("cannot tell where the sealant binary is")?;
    Ok(exe.canonicalize().unwrap_or(exe))
}

fn install_repo(args: &InstallArgs, binary: &Path) -> anyhow::Result<ExitStatus> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let repo = Repo::discover(&cwd)?;
    let hooks_dir = repo.hooks_dir()?;
    let plans = plan(&hooks_dir, SCANNING_HOOKS, binary)?;
    let verb = if args.dry_run { "would" } else { "did" };
    let mut changed = false;
    for p in &plans {
        let what = match &p.action {
            Action::Create => format!("install {}", p.path.display()),
            Action::Chain { chained } => {
                format!(
                    "move the existing hook to {} (it keeps running, first), then install {}",
                    chained.display(),
                    p.path.display()
                )
            }
            Action::Upgrade => format!("update {}", p.path.display()),
            Action::UpToDate => {
                printer::note(&format!("sealant: {} is up to date", p.path.display()));
                continue;
            }
        };
        changed = true;
        printer::note(&format!("sealant: {verb} {what}"));
    }
    if args.notebook_filter {
        let attributes_file = repo.common_dir().join("info").join("attributes");
        printer::note(&format!(
            "sealant: {verb} set filter.sealant.* in this repository's config and `{}` in {}",
            attributes::NOTEBOOK_ATTRIBUTE,
            attributes_file.display()
        ));
        if !args.dry_run {
            for (key, value) in attributes::filter_entries(binary) {
                GitConfig::new(Scope::Local).set(&key, &value)?;
            }
            attributes::add_line(&attributes_file, attributes::NOTEBOOK_ATTRIBUTE)?;
        }
    }
    if args.dry_run {
        return Ok(ExitStatus::Clean);
    }
    apply(&plans)?;
    if changed {
        printer::note(&format!(
            "sealant: commits and pushes in this repository are now scanned (binary: {}); undo: sealant uninstall --repo",
            binary.display()
        ));
    }
    Ok(ExitStatus::Clean)
}

fn install_machine(args: &InstallArgs, binary: &Path) -> anyhow::Result<ExitStatus> {
    let scope = if args.system { Scope::System } else { Scope::Global };
    let version = machine::git_version()?;
    let mode = version.mode();
    let data_dir = settings::data_dir(scope)?;
    let notebook_filter = if args.notebook_filter {
        Some(attributes_file(scope)?)
    } else {
        None
    };
    if args.dry_run {
        let how = match mode {
            Mode::ConfigHooks => "config-based hooks (hook.sealant-*.event/command)".to_owned(),
            Mode::HooksPath => format!("core.hooksPath = {}", data_dir.join("hooks").display()),
        };
        printer::note(&format!(
            "sealant: would install for git {version} in the {scope:?} config with {how}"
        ));
        return Ok(ExitStatus::Clean);
    }
    let options = machine::Options {
        scope,
        binary: binary.to_path_buf(),
        data_dir: data_dir.clone(),
        mode: None,
        notebook_filter,
    };
    let done = machine::install(&options)?;
    if done.is_empty() {
        printer::note("sealant: already installed for this machine; nothing to change");
        return Ok(ExitStatus::Clean);
    }
    for line in &done {
        printer::note(&format!("sealant: {line}"));
    }
    printer::note(&format!(
        "sealant: every repository on this machine now scans commits and pushes (git {version}, binary {})",
        binary.display()
    ));
    if mode == Mode::HooksPath {
        printer::note(
            "note: with a machine-wide core.hooksPath, `pre-commit install` and `lefthook install` refuse to run; \
             repository hooks they would write still run through sealant. Repositories that set their own \
             core.hooksPath (husky) bypass it: `sealant doctor` lists them, `sealant install --repo` guards one.",
        );
    }
    printer::note("sealant: undo with: sealant uninstall");
    Ok(ExitStatus::Clean)
}

/// The attributes file for a machine install: `core.attributesFile`, else git's default
/// global one.
fn attributes_file(scope: Scope) -> anyhow::Result<PathBuf> {
    if let Some(file) = GitConfig::new(scope).get("core.attributesFile")? {
        return Ok(PathBuf::from(file));
    }
    match scope {
        Scope::Global => Ok(settings::xdg_config_home()?.join("git").join("attributes")),
        _ => anyhow::bail!(
            "set core.attributesFile in the system config first: git has no default system attributes file to write to"
        ),
    }
}
