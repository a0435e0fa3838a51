//! The builtin rules, compiled from `rules/*.toml` into Rust by `build.rs`: no TOML is parsed
//! when the hook runs, and a pack that does not parse, a duplicate id or a rule without
//! examples fails the build.

use super::spec::{RuleSpec, Severity, Surface};

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// The file names of the builtin packs, sorted.
pub fn pack_files() -> &'static [&'static str] {
    PACK_FILES
}

/// Every builtin rule spec with the pack it came from.
pub fn specs() -> Vec<(&'static str, RuleSpec)> {
    builtin_specs()
}
