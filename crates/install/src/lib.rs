//! sealant-install: wires sealant into git so nobody has to remember anything.
//!
//! - [`hookfile`]: sealant's hook script, and installing it into one hooks directory under
//!   some hook names — plan first (create, chain a foreign hook as `<name>.pre-sealant`,
//!   upgrade, nothing), then apply atomically; removal puts chained hooks back byte for byte.
//! - [`machine`]: the per-machine install in the global (or system) git config — config-based
//!   hooks on git ≥ 2.54, a machine-wide `core.hooksPath` of dispatchers before that — with a
//!   state file so uninstall restores exactly what was there.
//! - [`attributes`]: the notebook filter's config entries and attribute line.
//!
//! Finding a repository's hooks directory is the git half's job (`Repo::hooks_dir`).

pub mod attributes;
mod error;
pub mod hookfile;
pub mod machine;

pub use error::Error;
pub use hookfile::{Action, CHAINED_SUFFIX, MARKER, Plan, Removal, SCANNING_HOOKS, apply, chained_path, plan, remove};
