//! sealant-install: writes sealant's hook files and chains the hooks that were there.
//!
//! Installing is two steps. [`plan`] looks at the hooks directory and decides, without
//! writing anything, what each hook file needs: create it, move a foreign hook aside and
//! chain it, upgrade an older sealant hook, or nothing. [`apply`] carries a plan out with
//! atomic writes (temp file, mode 0755, rename). A second install is a no-op.
//!
//! Finding the hooks directory is the git half's job (`Repo::hooks_dir`); this crate only
//! knows files. Machine-wide installs, uninstall and doctor build on it later.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The marker that makes a hook file ours. It never contains another manager's fingerprint
/// (lefthook deletes files containing `LEFTHOOK`).
pub const MARKER: &str = "sealant-managed-hook";

/// Where a replaced hook is kept, next to ours: `<name>.pre-sealant`.
pub const CHAINED_SUFFIX: &str = ".pre-sealant";

/// The pre-commit hook template; `@SEALANT_BIN@` is replaced by the quoted binary path.
const PRE_COMMIT_TEMPLATE: &str = include_str!("../../../hooks/pre-commit");

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a hook file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A foreign hook is in the way and its chained slot is taken too.
    #[error(
        "{} is not sealant's and {} already exists: move one of them away, then install again",
        hook.display(),
        chained.display()
    )]
    ChainSlotTaken {
        /// The foreign hook.
        hook: PathBuf,
        /// The occupied chained path.
        chained: PathBuf,
    },
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

/// The pre-commit hook's text for a binary at `binary`.
pub fn render_pre_commit(binary: &Path) -> String {
    PRE_COMMIT_TEMPLATE.replace("@SEALANT_BIN@", &shell_quote(&binary.to_string_lossy()))
}

/// Single-quotes a string for POSIX sh.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Decides what installing the pre-commit hook into `hooks_dir` means. Writes nothing.
pub fn plan(hooks_dir: &Path, binary: &Path) -> Result<Plan, Error> {
    let path = hooks_dir.join("pre-commit");
    let content = render_pre_commit(binary);
    let action = match fs::read(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if fs::symlink_metadata(&path).is_ok() {
                // A dangling symlink: git treats it as no hook; keep it, chained, all the same.
                chain_action(&path)?
            } else {
                Action::Create
            }
        }
        Err(source) => return Err(Error::Io { path, source }),
        Ok(existing) if existing == content.as_bytes() => Action::UpToDate,
        Ok(existing) if String::from_utf8_lossy(&existing).contains(MARKER) => Action::Upgrade,
        Ok(_) => chain_action(&path)?,
    };
    Ok(Plan { path, action, content })
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

/// Carries out a plan: moves a foreign hook aside (keeping it byte for byte), then writes
/// ours atomically with mode 0755.
pub fn apply(plan: &Plan) -> Result<(), Error> {
    let dir = plan.path.parent().expect("a hook path has a parent directory");
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    match &plan.action {
        Action::UpToDate => return Ok(()),
        Action::Chain { chained } => fs::rename(&plan.path, chained).map_err(io(&plan.path))?,
        Action::Create | Action::Upgrade => {}
    }
    fs::create_dir_all(dir).map_err(io(dir))?;
    let mut file = tempfile::Builder::new()
        .prefix(".sealant-hook")
        .tempfile_in(dir)
        .map_err(io(dir))?;
    file.write_all(plan.content.as_bytes()).map_err(io(file.path()))?;
    set_executable(file.as_file()).map_err(io(&plan.path))?;
    file.persist(&plan.path).map_err(|e| Error::Io {
        path: plan.path.clone(),
        source: e.error,
    })?;
    Ok(())
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

    #[test]
    fn the_hook_is_posix_sh_with_lf_and_a_quoted_binary() {
        let text = render_pre_commit(Path::new("/opt/it's here/sealant"));
        assert!(text.starts_with("#!/bin/sh\n"));
        assert!(!text.contains('\r'));
        assert!(text.contains(r"SEALANT_BIN='/opt/it'\''s here/sealant'"), "{text}");
        assert!(text.contains(MARKER) && !text.to_uppercase().contains("LEFTHOOK"));
    }

    #[test]
    fn install_creates_then_is_a_no_op() {
        let d = dir();
        let bin = Path::new("/usr/local/bin/sealant");
        let first = plan(d.path(), bin).unwrap();
        assert_eq!(first.action, Action::Create);
        apply(&first).unwrap();
        let second = plan(d.path(), bin).unwrap();
        assert_eq!(second.action, Action::UpToDate);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&first.path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o755);
        }
        let moved = plan(d.path(), Path::new("/elsewhere/sealant")).unwrap();
        assert_eq!(moved.action, Action::Upgrade);
    }

    #[test]
    fn a_foreign_hook_is_chained_byte_for_byte() {
        let d = dir();
        let hook = d.path().join("pre-commit");
        fs::write(&hook, b"#!/bin/sh\necho mine\n").unwrap();
        let p = plan(d.path(), Path::new("/bin/sealant")).unwrap();
        assert_eq!(
            p.action,
            Action::Chain {
                chained: chained_path(&hook)
            }
        );
        apply(&p).unwrap();
        assert_eq!(fs::read(chained_path(&hook)).unwrap(), b"#!/bin/sh\necho mine\n");
        assert!(fs::read_to_string(&hook).unwrap().contains(MARKER));
    }

    #[test]
    fn a_taken_chain_slot_is_an_error_and_nothing_changes() {
        let d = dir();
        let hook = d.path().join("pre-commit");
        fs::write(&hook, b"mine").unwrap();
        fs::write(chained_path(&hook), b"older").unwrap();
        let err = plan(d.path(), Path::new("/bin/sealant")).unwrap_err().to_string();
        assert!(err.contains("pre-commit.pre-sealant"), "{err}");
        assert_eq!(fs::read(&hook).unwrap(), b"mine");
    }
}
