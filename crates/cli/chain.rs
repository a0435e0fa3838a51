//! Hooks sealant runs before its own check, so installing sealant never silences a hook
//! that was there: the hook it replaced in a repository (`<name>.pre-sealant`), and, when
//! sealant's directory is the machine-wide `core.hooksPath`, the previous machine-wide hooks
//! directory and the repository's own hooks.
//!
//! Chained hooks get git's arguments, environment and (for pre-push) the same stdin bytes;
//! any failure fails the hook. `SEALANT_HOOK_ACTIVE` tells a sealant hook reached through a
//! chain that the outer one will scan.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::Context;
use sealant_install::hookfile::MACHINE_MARKER_FILE;
use sealant_scan::git::Repo;

use crate::printer;
use crate::settings::ENV_HOOK_ACTIVE;

/// The hooks to run before sealant's own check, in order, that exist and are executable.
pub fn chained_hooks(name: &str, hook_dir: &Path) -> Vec<PathBuf> {
    let mut hooks = Vec::new();
    let marker = hook_dir.join(MACHINE_MARKER_FILE);
    if let Ok(previous) = std::fs::read_to_string(&marker) {
        let previous = previous.trim();
        if !previous.is_empty() {
            hooks.push(expand_home(previous).join(name));
        }
        let repo = std::env::current_dir().ok().and_then(|cwd| Repo::discover(&cwd).ok());
        if let Some(repo) = repo {
            let own = repo.common_dir().join("hooks");
            if !same_dir(&own, hook_dir) {
                hooks.push(own.join(name));
            }
        }
    }
    hooks.push(sealant_install::chained_path(&hook_dir.join(name)));
    hooks.retain(|h| is_executable(h));
    hooks
}

/// Runs each chained hook; true when all succeeded.
pub fn run_chained(hooks: &[PathBuf], args: &[String], stdin: &[u8]) -> anyhow::Result<bool> {
    let mut ok = true;
    for hook in hooks {
        let status =
            run_one(hook, args, stdin).with_context(|| format!("running the chained hook {}", hook.display()))?;
        if !status.success() {
            printer::note(&format!(
                "sealant: the chained hook {} failed ({status})",
                hook.display()
            ));
            ok = false;
        }
    }
    Ok(ok)
}

fn run_one(hook: &Path, args: &[String], stdin: &[u8]) -> std::io::Result<std::process::ExitStatus> {
    let spawn = |program: &Path, with_sh: bool| {
        let mut cmd = if with_sh {
            Command::new("/bin/sh")
        } else {
            Command::new(program)
        };
        if with_sh {
            cmd.arg(program);
        }
        cmd.args(args).env(ENV_HOOK_ACTIVE, "1").stdin(Stdio::piped()).spawn()
    };
    // Git runs a hook without a shebang with /bin/sh (ENOEXEC); so does sealant.
    let mut child = match spawn(hook, false) {
        Err(e) if e.raw_os_error() == Some(8) => spawn(hook, true)?,
        other => other?,
    };
    if let Some(mut input) = child.stdin.take() {
        // A hook that does not read its stdin closes the pipe early: not an error.
        let _ = input.write_all(stdin);
    }
    child.wait()
}

fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(path),
    }
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Executable regular file (git skips others, with a hint).
#[cfg(unix)]
pub fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
pub fn is_executable(path: &Path) -> bool {
    path.is_file()
}
