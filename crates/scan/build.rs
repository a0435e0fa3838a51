//! Compiles the rule packs in `rules/*.toml` into Rust at build time.
//!
//! Parsing ~100 KB of TOML cost about a fifth of a hook run; the generated code builds the
//! same `RuleSpec`s with no parsing. It also moves validation to where DESIGN.md wants it:
//! a pack that does not parse, a duplicate id or a rule without examples does not build.
//! The regexes themselves are proven by `tests/builtin_rules.rs`.

#[allow(dead_code, missing_docs)]
#[path = "src/engine/spec.rs"]
mod spec;

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;

use sha2::{Digest, Sha256};
use spec::{PackSpec, RuleSpec};

fn main() {
    let rules_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    println!("cargo::rerun-if-changed={}", rules_dir.display());
    println!("cargo::rerun-if-changed=src/engine/spec.rs");
    let mut names: Vec<String> = std::fs::read_dir(&rules_dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", rules_dir.display()))
        .map(|entry| {
            entry
                .expect("a directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".toml"))
        .collect();
    names.sort();

    let mut code = String::from(
        "/// Every builtin rule as `(pack file name, spec)`, generated from `rules/*.toml` by build.rs.\n\
         pub(crate) fn builtin_specs() -> Vec<(&'static str, RuleSpec)> {\n    vec![\n",
    );
    let mut ids = HashSet::new();
    // The pack id `sealant --version` shows: a hash of every rule's id and regex, computed
    // here so no process (a hook least of all) builds and hashes the specs to print it.
    let mut pack_hash = Sha256::new();
    let mut count = 0usize;
    let mut all_ids = Vec::new();
    for name in &names {
        let path = rules_dir.join(name);
        println!("cargo::rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let pack: PackSpec = toml::from_str(&text).unwrap_or_else(|e| panic!("rules/{name}: {e}"));
        for rule in pack.rules {
            assert!(
                ids.insert(rule.id.clone()),
                "rules/{name}: rule id `{}` is used twice",
                rule.id
            );
            assert!(
                !rule.examples.is_empty(),
                "rules/{name}: rule `{}` has no `examples`",
                rule.id
            );
            assert!(
                !rule.negative_examples.is_empty(),
                "rules/{name}: rule `{}` has no `negative_examples`",
                rule.id
            );
            for keyword in &rule.keywords {
                assert_eq!(
                    keyword,
                    &keyword.to_ascii_lowercase(),
                    "rules/{name}: `{}`: keywords are lower-case",
                    rule.id
                );
            }
            pack_hash.update(rule.id.as_bytes());
            pack_hash.update([0]);
            pack_hash.update(rule.regex.as_bytes());
            pack_hash.update([0]);
            count += 1;
            all_ids.push(rule.id.clone());
            writeln!(code, "        ({name:?}, {}),", rust_spec(&rule)).expect("writing to a String");
        }
    }
    code.push_str(
        "    ]\n}\n\n/// The pack files the builtin rules came from.\npub(crate) const PACK_FILES: &[&str] = &[",
    );
    for name in &names {
        write!(code, "{name:?}, ").expect("writing to a String");
    }
    code.push_str("];\n");
    let pack_id: String = pack_hash
        .finalize()
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect();
    writeln!(
        code,
        "\n/// The builtin pack's id: the first 6 bytes of a SHA-256 of every rule's id and regex.\n\
         pub(crate) const PACK_ID: &str = {pack_id:?};\n\n/// How many builtin rules there are.\n\
         pub(crate) const RULE_COUNT: usize = {count};\n\n/// Every builtin rule id, in pack order.\n\
         pub(crate) const BUILTIN_IDS: &[&str] = &{all_ids:?};"
    )
    .expect("writing to a String");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin_rules.rs");
    std::fs::write(&out, code).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}

/// A `RuleSpec` constructor expression. `{:?}` of a `str` is a valid Rust string literal.
fn rust_spec(r: &RuleSpec) -> String {
    let strings = |v: &[String]| {
        format!(
            "vec![{}]",
            v.iter().map(|s| format!("{s:?}.into()")).collect::<Vec<_>>().join(", ")
        )
    };
    let opt_str = |v: &Option<String>| v.as_ref().map_or("None".to_owned(), |s| format!("Some({s:?}.into())"));
    let opt = |v: Option<String>| v.map_or("None".to_owned(), |s| format!("Some({s})"));
    format!(
        "RuleSpec {{ id: {:?}.into(), description: {:?}.into(), surface: Surface::{:?}, provider: {:?}.into(), \
         severity: Severity::{:?}, keywords: {}, regex: {:?}.into(), secret_group: {}, entropy: {}, window: {}, \
         path: {}, allow: {}, stopwords: {}, blast_radius: {:?}.into(), rotate: {:?}.into(), examples: {}, \
         negative_examples: {} }}",
        r.id,
        r.description,
        r.surface,
        r.provider,
        r.severity,
        strings(&r.keywords),
        r.regex,
        opt(r.secret_group.map(|g| format!("{g}_usize"))),
        opt(r.entropy.map(|e| format!("{e:?}_f64"))),
        opt(r.window.map(|w| format!("{w}_usize"))),
        opt_str(&r.path),
        strings(&r.allow),
        strings(&r.stopwords),
        r.blast_radius,
        r.rotate,
        strings(&r.examples),
        strings(&r.negative_examples),
    )
}
