//! The crate's error type: every variant names the file, hook or git command it is about.

use std::path::PathBuf;

/// What can go wrong while installing or uninstalling.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file failed.
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
    /// A `git config` (or `git --version`) call failed.
    #[error("`git {args}` failed: {message}")]
    Git {
        /// The arguments, for the message.
        args: String,
        /// What git said.
        message: String,
    },
    /// The install record is unreadable.
    #[error("{}: {message}", path.display())]
    State {
        /// The state file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// Wraps an I/O error with its path.
pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.into();
    move |source| Error::Io { path, source }
}
