//! `sealant hook run <name>`: what every installed hook file (and every config-based hook)
//! calls. Chained hooks run first — they may re-stage files, and git commits what the index
//! holds after all hooks ran — then sealant's check for that hook, if it has one. The exit
//! code is the worse of the two.

use std::io::Read;

use anyhow::Context;

use crate::args::HookRunArgs;
use crate::chain;
use crate::commands::{pre_push, scan::scan_staged};
use crate::exit::ExitStatus;
use crate::printer::{self, Stream};
use crate::report::Scope;
use crate::settings::{self, ENV_HOOK_ACTIVE, Output};

pub fn run(args: &HookRunArgs) -> anyhow::Result<ExitStatus> {
    let name = args.name.as_str();
    let mut stdin = Vec::new();
    if name == "pre-push" {
        // Read all of it first: git writes every ref update, and chained hooks need the same bytes.
        std::io::stdin()
            .read_to_end(&mut stdin)
            .context("reading git's pre-push input")?;
    }
    let hooks = args
        .hook_dir
        .as_deref()
        .map(|dir| chain::chained_hooks(name, dir))
        .unwrap_or_default();
    let chained = if chain::run_chained(&hooks, &args.hook_args, &stdin)? {
        ExitStatus::Clean
    } else {
        ExitStatus::Findings
    };
    let scans = matches!(name, "pre-commit" | "pre-merge-commit" | "pre-push");
    if !scans || std::env::var_os(ENV_HOOK_ACTIVE).is_some() {
        // Not a hook sealant checks, or a sealant hook chained by another: the outer one scans.
        return Ok(chained);
    }
    if let Some(how) = settings::skip_requested() {
        printer::note(&format!(
            "sealant: secret scan skipped for this {} ({how})",
            if name == "pre-push" { "push" } else { "commit" }
        ));
        return Ok(chained);
    }
    let output = Output::for_hook();
    let status = if name == "pre-push" {
        let (remote, url) = match args.hook_args.as_slice() {
            [remote, url, ..] => (remote.as_str(), url.as_str()),
            [remote] => (remote.as_str(), remote.as_str()),
            [] => ("", ""),
        };
        pre_push::scan_push(remote, url, &String::from_utf8_lossy(&stdin), output)?
    } else {
        scan_staged(Scope::Commit, output, Stream::Stderr)?
    };
    Ok(chained.max(status))
}
