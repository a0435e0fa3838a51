//! The rule engine: rules (TOML data, validated and compiled), the scanner that runs them
//! over text fragments, and the findings it returns. Nothing here knows about git.

mod allow;
mod builtin;
mod config;
mod entropy;
mod finding;
mod gitleaks;
mod glob_prefilter;
mod go_regex;
mod lazy_regex;
mod rule;
mod scanner;
mod spec;

pub use allow::{
    Allowlist, INLINE_ALLOW_MARKERS, NEXT_LINE_ALLOW_MARKERS, Subject, allows_next_line, has_inline_allow,
    is_placeholder, path_glob,
};
pub use builtin::{pack_files, pack_id, specs as builtin_specs};
pub use config::{Config, DEFAULT_MAX_FILE_SIZE, NotebookPolicy};
pub use entropy::shannon;
pub use finding::{Finding, fingerprint, redact};
pub use gitleaks::{BETTERLEAKS_CONFIG_FILE, GITLEAKS_CONFIG_FILE, GitleaksConfig, gitleaks_rule_matches};
pub use lazy_regex::LazyRegex;
pub use rule::{DEFAULT_WINDOW, Rule, RuleSet};
pub use scanner::{Fragment, Scanner};
pub use spec::{
    AllowlistSpec, ConfigSpec, NotebookPathSpec, NotebooksSpec, OutputsPolicy, PackSpec, RuleSpec, ScanSpec, Severity,
    Surface,
};
