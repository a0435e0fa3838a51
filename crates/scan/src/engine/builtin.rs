//! The rule packs embedded in the binary, one `include_str!` per file of `rules/`.
//! Explicit entries rather than a directory macro: a new pack is a reviewed line here, and
//! the builtin-rules test fails when this list and `rules/*.toml` disagree.

/// `(file name, TOML text)` of every builtin pack, in load order.
pub const PACKS: &[(&str, &str)] = &[];
