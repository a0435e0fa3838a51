//! `sealant uninstall [--repo|--system]`: the exact inverse of `install`.

use anyhow::Context;
use sealant_install::hookfile::SCANNING_HOOKS;
use sealant_install::machine::{self, GitConfig, Scope};
use sealant_install::{Removal, attributes, remove};
use sealant_scan::git::Repo;

use crate::args::UninstallArgs;
use crate::exit::ExitStatus;
use crate::printer;
use crate::settings;

pub fn run(args: &UninstallArgs) -> anyhow::Result<ExitStatus> {
    if args.repo {
        return uninstall_repo();
    }
    let scope = if args.system { Scope::System } else { Scope::Global };
    let done = machine::uninstall(&settings::data_dir(scope)?)?;
    if done.is_empty() {
        printer::note("sealant: no machine install recorded; nothing to undo");
    }
    for line in done {
        printer::note(&format!("sealant: {line}"));
    }
    Ok(ExitStatus::Clean)
}

fn uninstall_repo() -> anyhow::Result<ExitStatus> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let repo = Repo::discover(&cwd)?;
    let hooks_dir = repo.hooks_dir()?;
    for removal in remove(&hooks_dir, SCANNING_HOOKS)? {
        let line = match removal {
            Removal::Removed(path) => format!("removed {}", path.display()),
            Removal::Restored(path) => format!("removed sealant's hook and restored the previous {}", path.display()),
            Removal::Foreign(path) => format!("left {} alone: it is not sealant's", path.display()),
        };
        printer::note(&format!("sealant: {line}"));
    }
    let config = GitConfig::new(Scope::Local);
    for (key, _) in attributes::filter_entries(std::path::Path::new("sealant")) {
        if config.get(&key)?.is_some() {
            config.unset(&key)?;
            printer::note(&format!("sealant: removed {key}"));
        }
    }
    attributes::remove_line(
        &repo.common_dir().join("info").join("attributes"),
        attributes::NOTEBOOK_ATTRIBUTE,
    )?;
    Ok(ExitStatus::Clean)
}
