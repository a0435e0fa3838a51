//! Hook files in one directory: render sealant's hook script, plan what installing it under
//! some hook names means (create, chain a foreign hook, upgrade, nothing), apply the plan
//! atomically, and remove it again restoring what was there.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, io};

/// The marker that makes a hook file ours. It never contains another manager's fingerprint
/// (lefthook deletes files containing `LEFTHOOK`).
pub const MARKER: &str = "sealant-managed-hook";

/// Where a replaced hook is kept, next to ours: `<name>.pre-sealant`.
pub const CHAINED_SUFFIX: &str = ".pre-sealant";

/// A file in a machine-wide hooks directory that marks it as such; it holds the previous
/// global `core.hooksPath` (chained), or nothing.
pub const MACHINE_MARKER_FILE: &str = ".sealant-machine-hooks";

/// The hooks sealant scans in.
pub const SCANNING_HOOKS: &[&str] = &["pre-commit", "pre-merge-commit", "pre-push"];

/// Every client-side hook git runs from the hooks directory (githooks(5)). A machine-wide
/// `core.hooksPath` replaces the repository's hooks directory for all of them, so sealant's
/// directory holds a dispatcher for each that runs the repository's own hook.
pub const CLIENT_HOOKS: &[&str] = &[
    "applypatch-msg",
    "pre-applypatch",
    "post-applypatch",
    "pre-commit",
    "pre-merge-commit",
    "prepare-commit-msg",
    "commit-msg",
    "post-commit",
    "pre-rebase",
    "post-checkout",
    "post-merge",
    "pre-push",
    "pre-auto-gc",
    "post-rewrite",
    "sendemail-validate",
    "post-index-change",
    "reference-transaction",
    "p4-changelist",
    "p4-prepare-changelist",
    "p4-post-changelist",
    "p4-pre-submit",
];

/// The hook script template; `@SEALANT_BIN@` becomes the quoted binary path.
const TEMPLATE: &str = include_str!("../../../hooks/hook.sh");

/// The hook script for a binary at `binary`.
pub fn render(binary: &Path) -> String {
    TEMPLATE.replace("@SEALANT_BIN@", &shell_quote(&binary.to_string_lossy()))
}

/// Single-quotes a string for POSIX sh.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// What installing one hook file will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// No hook there: write ours.
    Create,
    /// A foreign hook is there: move it to `chained`, then write ours.
    Chain {
        /// Where the foreign hook goes.
        chained: PathBuf,
    },
    /// An older or edited sealant hook: rewrite it.
    Upgrade,
    /// Ours, byte for byte: nothing to do.
    UpToDate,
}

/// The decision for one hook file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The hook file.
    pub path: PathBuf,
    /// What will happen.
    pub action: Action,
    /// The exact content that will be written.
    pub content: String,
}

/// Decides what installing sealant's hook under each of `names` in `dir` means. Writes
/// nothing; fails as a whole if any hook cannot be installed.
pub fn plan(dir: &Path, names: &[&str], binary: &Path) -> Result<Vec<Plan>, Error> {
    let content = render(binary);
    names.iter().map(|name| plan_one(&dir.join(name), &content)).collect()
}

fn plan_one(path: &Path, content: &str) -> Result<Plan, Error> {
    let action = match fs::read(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if fs::symlink_metadata(path).is_ok() {
                // A dangling symlink: git treats it as no hook; keep it, chained, all the same.
                chain_action(path)?
            } else {
                Action::Create
            }
        }
        Err(source) => {
            return Err(Error::Io {
                path: path.to_path_buf(),
                source,
            });
        }
        Ok(existing) if existing == content.as_bytes() => Action::UpToDate,
        Ok(existing) if is_ours_bytes(&existing) => Action::Upgrade,
        Ok(_) => chain_action(path)?,
    };
    Ok(Plan {
        path: path.to_path_buf(),
        action,
        content: content.to_owned(),
    })
}

fn is_ours_bytes(bytes: &[u8]) -> bool {
    String::from_utf8_lossy(bytes).contains(MARKER)
}

/// Whether the file at `path` is a sealant hook.
pub fn is_ours(path: &Path) -> bool {
    fs::read(path).is_ok_and(|b| is_ours_bytes(&b))
}

fn chain_action(hook: &Path) -> Result<Action, Error> {
    let chained = chained_path(hook);
    if fs::symlink_metadata(&chained).is_ok() {
        return Err(Error::ChainSlotTaken {
            hook: hook.to_path_buf(),
            chained,
        });
    }
    Ok(Action::Chain { chained })
}

/// `<hook>.pre-sealant`.
pub fn chained_path(hook: &Path) -> PathBuf {
    let mut name = hook.as_os_str().to_owned();
    name.push(CHAINED_SUFFIX);
    PathBuf::from(name)
}

/// Carries out plans: moves foreign hooks aside (kept byte for byte), then writes ours
/// atomically with mode 0755.
pub fn apply(plans: &[Plan]) -> Result<(), Error> {
    for plan in plans {
        apply_one(plan)?;
    }
    Ok(())
}

fn apply_one(plan: &Plan) -> Result<(), Error> {
    let dir = plan.path.parent().expect("a hook path has a parent directory");
    match &plan.action {
        Action::UpToDate => return Ok(()),
        Action::Chain { chained } => fs::rename(&plan.path, chained).map_err(io(&plan.path))?,
        Action::Create | Action::Upgrade => {}
    }
    write_executable(dir, &plan.path, plan.content.as_bytes())
}

/// Writes `bytes` to `path` atomically (temp file in `dir`, then rename) with mode 0755.
pub(crate) fn write_executable(dir: &Path, path: &Path, bytes: &[u8]) -> Result<(), Error> {
    fs::create_dir_all(dir).map_err(io(dir))?;
    let mut file = tempfile::Builder::new()
        .prefix(".sealant-hook")
        .tempfile_in(dir)
        .map_err(io(dir))?;
    file.write_all(bytes).map_err(io(file.path()))?;
    set_executable(file.as_file()).map_err(io(path))?;
    file.persist(path).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

/// What uninstalling did to one hook name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removal {
    /// Our hook was removed; nothing had been chained.
    Removed(PathBuf),
    /// Our hook was removed and the chained hook put back.
    Restored(PathBuf),
    /// The file there is not ours: left alone.
    Foreign(PathBuf),
}

/// Removes sealant's hooks under `names` in `dir` and puts chained hooks back.
pub fn remove(dir: &Path, names: &[&str]) -> Result<Vec<Removal>, Error> {
    let mut done = Vec::new();
    for name in names {
        let path = dir.join(name);
        let chained = chained_path(&path);
        let present = fs::symlink_metadata(&path).is_ok();
        if present && !is_ours(&path) {
            done.push(Removal::Foreign(path));
            continue;
        }
        if present {
            fs::remove_file(&path).map_err(io(&path))?;
        }
        if fs::symlink_metadata(&chained).is_ok() {
            fs::rename(&chained, &path).map_err(io(&chained))?;
            done.push(Removal::Restored(path));
        } else if present {
            done.push(Removal::Removed(path));
        }
    }
    Ok(done)
}

#[cfg(unix)]
fn set_executable(file: &fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn set_executable(_file: &fs::File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> tempfile::TempDir {
        tempfile::tempdir().expect("temp dir")
    }

    const BIN: &str = "/usr/local/bin/sealant";

    #[test]
    fn the_hook_is_posix_sh_with_lf_and_a_quoted_binary() {
        let text = render(Path::new("/opt/it's here/sealant"));
        assert!(text.starts_with("#!/bin/sh\n"));
        assert!(!text.contains('\r'));
        assert!(text.contains(r"SEALANT_BIN='/opt/it'\''s here/sealant'"), "{text}");
        assert!(text.contains(MARKER) && !text.to_uppercase().contains("LEFTHOOK"));
        assert!(text.contains(r#"exec "$SEALANT_BIN" hook run "$hook""#));
    }

    #[test]
    fn install_creates_then_is_a_no_op_then_upgrades_a_moved_binary() {
        let d = dir();
        let first = plan(d.path(), SCANNING_HOOKS, Path::new(BIN)).unwrap();
        assert!(first.iter().all(|p| p.action == Action::Create));
        apply(&first).unwrap();
        let second = plan(d.path(), SCANNING_HOOKS, Path::new(BIN)).unwrap();
        assert!(second.iter().all(|p| p.action == Action::UpToDate));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&first[0].path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o755);
        }
        let moved = plan(d.path(), SCANNING_HOOKS, Path::new("/elsewhere/sealant")).unwrap();
        assert!(moved.iter().all(|p| p.action == Action::Upgrade));
    }

    #[test]
    fn a_foreign_hook_is_chained_and_restored_byte_for_byte() {
        let d = dir();
        let hook = d.path().join("pre-commit");
        fs::write(&hook, b"#!/bin/sh\necho mine\n").unwrap();
        let plans = plan(d.path(), &["pre-commit"], Path::new(BIN)).unwrap();
        assert_eq!(
            plans[0].action,
            Action::Chain {
                chained: chained_path(&hook)
            }
        );
        apply(&plans).unwrap();
        assert_eq!(fs::read(chained_path(&hook)).unwrap(), b"#!/bin/sh\necho mine\n");
        assert!(is_ours(&hook));
        assert_eq!(
            remove(d.path(), &["pre-commit"]).unwrap(),
            [Removal::Restored(hook.clone())]
        );
        assert_eq!(fs::read(&hook).unwrap(), b"#!/bin/sh\necho mine\n");
        assert!(!chained_path(&hook).exists());
    }

    #[test]
    fn a_taken_chain_slot_fails_the_whole_plan_and_nothing_changes() {
        let d = dir();
        let hook = d.path().join("pre-push");
        fs::write(&hook, b"mine").unwrap();
        fs::write(chained_path(&hook), b"older").unwrap();
        let err = plan(d.path(), SCANNING_HOOKS, Path::new(BIN)).unwrap_err().to_string();
        assert!(err.contains("pre-push.pre-sealant"), "{err}");
        assert!(!d.path().join("pre-commit").exists());
        assert_eq!(fs::read(&hook).unwrap(), b"mine");
    }

    #[test]
    fn remove_leaves_foreign_hooks_alone() {
        let d = dir();
        fs::write(d.path().join("pre-commit"), b"not ours").unwrap();
        assert_eq!(
            remove(d.path(), &["pre-commit", "pre-push"]).unwrap(),
            [Removal::Foreign(d.path().join("pre-commit"))]
        );
        assert_eq!(fs::read(d.path().join("pre-commit")).unwrap(), b"not ours");
    }
}
