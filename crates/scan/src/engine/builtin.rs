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

/// Whether `id` is a builtin rule's, without building the rules.
pub fn is_builtin_id(id: &str) -> bool {
    BUILTIN_IDS.contains(&id)
}

/// The builtin pack's id (a hash of every rule's id and regex, computed by build.rs) and its
/// rule count: what `sealant --version` names, at no cost to the process that prints it.
pub fn pack_id() -> (&'static str, usize) {
    (PACK_ID, RULE_COUNT)
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    #[test]
    fn the_pack_id_is_the_hash_of_the_rules_built_in() {
        let specs = super::specs();
        let mut hasher = Sha256::new();
        for (_, spec) in &specs {
            hasher.update(spec.id.as_bytes());
            hasher.update([0]);
            hasher.update(spec.regex.as_bytes());
            hasher.update([0]);
        }
        let id: String = hasher.finalize().iter().take(6).map(|b| format!("{b:02x}")).collect();
        assert_eq!(super::pack_id(), (id.as_str(), specs.len()));
        let ids: Vec<&str> = specs.iter().map(|(_, s)| s.id.as_str()).collect();
        assert_eq!(super::BUILTIN_IDS, ids.as_slice());
        assert!(super::is_builtin_id("openai-api-key") && !super::is_builtin_id("twitter-api-key"));
    }
}
