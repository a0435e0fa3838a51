//! The rule packs embedded in the binary, one `include_str!` per file of `rules/`.
//! Explicit entries rather than a directory macro: a new pack is a reviewed line here, and
//! the builtin-rules test fails when this list and `rules/*.toml` disagree.

/// `(file name, TOML text)` of every builtin pack, in load order.
pub const PACKS: &[(&str, &str)] = &[
    ("model-api.toml", include_str!("../../../../rules/model-api.toml")),
    (
        "model-registry.toml",
        include_str!("../../../../rules/model-registry.toml"),
    ),
    ("embedding.toml", include_str!("../../../../rules/embedding.toml")),
    ("vector-db.toml", include_str!("../../../../rules/vector-db.toml")),
    (
        "experiment-tracker.toml",
        include_str!("../../../../rules/experiment-tracker.toml"),
    ),
    ("cloud.toml", include_str!("../../../../rules/cloud.toml")),
    ("pipeline.toml", include_str!("../../../../rules/pipeline.toml")),
    ("generic.toml", include_str!("../../../../rules/generic.toml")),
];
