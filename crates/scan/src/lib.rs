//! sealant-scan: the diff-only staged-change scanner.
//!
//! Two halves that never mix:
//!
//! - [`engine`] turns text and line numbers into findings. It knows rules, keywords,
//!   entropy, placeholders and allowlists, and nothing of git: it can be fuzzed,
//!   benchmarked and tested without a repository.
//! - [`git`] turns a repository into text: the staged changes of the index against HEAD
//!   (read in-process with gix, honouring `GIT_DIR`, `GIT_INDEX_FILE` and worktrees), and
//!   the lines each change adds, grouped into hunks.
//!
//! The CLI joins them: `git` produces [`git::ScanUnit`]s, the engine's
//! [`engine::Scanner`] scans their hunks and returns [`engine::Finding`]s.
//!
//! ```
//! use sealant_scan::engine::{Fragment, RuleSet, Scanner, Config};
//!
//! let rules = RuleSet::builtin().expect("the builtin packs compile");
//! let scanner = Scanner::new(rules, &Config::default()).expect("empty config is valid");
//! let key = format!("ghp_{}", "Zx8Kq2Lm9Pw4Rt7Yv3Nb6Hj1Gf5Dc0Sa2Qe9");
//! let line = format!("token = \"{key}\"\n");
//! let findings = scanner.scan("deploy.sh", &Fragment::new(&line, 1));
//! assert_eq!(findings.len(), 1);
//! assert_eq!(findings[0].line, 1);
//! assert_eq!(findings[0].rule, "github-pat");
//! ```

pub mod content;
pub mod engine;
mod error;
pub mod git;

pub use error::Error;
