//! The one error type of this crate. Every variant names what it is about (a rule id, a
//! config file, a path, an object id) so the CLI can print it as is.

use std::path::PathBuf;

/// Everything that can go wrong while loading rules, reading config or reading git.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A rule pack or config file is not valid TOML for our schema.
    #[error("{origin}: {message}")]
    Toml {
        /// The file (or builtin pack name) the TOML came from.
        origin: String,
        /// What the parser said, with line and column.
        message: String,
    },
    /// A rule is syntactically fine but not usable.
    #[error("{origin}: rule `{rule}`: {message}")]
    Rule {
        /// The file (or builtin pack name) the rule came from.
        origin: String,
        /// The rule's id.
        rule: String,
        /// What is wrong with it.
        message: String,
    },
    /// An allowlist entry or other config value is not usable.
    #[error("{origin}: {message}")]
    Config {
        /// The config file.
        origin: String,
        /// What is wrong with it.
        message: String,
    },
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The repository could not be opened or read.
    #[error("git: {0}")]
    Git(String),
}

impl Error {
    /// The configuration file (or pack) the error is in, if it is in one.
    pub fn origin(&self) -> Option<&str> {
        match self {
            Error::Toml { origin, .. } | Error::Rule { origin, .. } | Error::Config { origin, .. } => Some(origin),
            Error::Io { .. } | Error::Git(_) => None,
        }
    }

    /// Wraps any git-side error, keeping its full message chain.
    pub(crate) fn git(context: &str, err: impl std::fmt::Display) -> Self {
        Error::Git(format!("{context}: {err}"))
    }
}
