//! Every builtin rule proves itself: its regex compiles, each example yields a finding of
//! that rule through the whole engine (prefilter, regex, entropy, placeholder filters), and
//! each negative example yields no finding of any rule. The embedded pack list must equal
//! the files in `rules/`. All failures are collected and reported together.

use std::collections::HashSet;
use std::path::Path;

use sealant_scan::engine::{Config, PackSpec, RuleSet, RuleSpec, Scanner, Surface, builtin_specs, pack_files};

fn scanner() -> Scanner {
    Scanner::new(RuleSet::builtin().expect("builtin packs parse"), &Config::default()).expect("builtin rules compile")
}

#[test]
fn the_generated_rules_equal_the_toml_in_the_rules_directory() {
    // build.rs turns rules/*.toml into Rust; parsing the files here must give the same specs.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("rules/ is readable")
        .map(|e| e.expect("dir entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    on_disk.sort();
    assert_eq!(pack_files(), on_disk.as_slice());
    let mut parsed = Vec::new();
    for name in &on_disk {
        let text = std::fs::read_to_string(dir.join(name)).expect("pack is readable");
        let pack: PackSpec = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        parsed.extend(pack.rules.into_iter().map(|r| (name.clone(), r)));
    }
    let generated: Vec<(String, RuleSpec)> = builtin_specs()
        .into_iter()
        .map(|(pack, spec)| (pack.to_owned(), spec))
        .collect();
    assert_eq!(generated, parsed);
}

#[test]
fn every_rule_proves_itself_with_its_examples() {
    let scanner = scanner();
    let mut failures = Vec::new();
    for rule in scanner.rules() {
        failures.extend(scanner.check_rule(rule));
    }
    assert!(
        failures.is_empty(),
        "{} rule failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_pack_covers_every_surface_with_at_least_150_rules() {
    let rules = RuleSet::builtin().expect("builtin packs parse");
    assert!(rules.len() >= 150, "only {} builtin rules", rules.len());
    let covered: HashSet<Surface> = rules.iter().map(|r| r.surface).collect();
    for surface in [
        Surface::ModelApi,
        Surface::ModelRegistry,
        Surface::TrainingData,
        Surface::VectorDb,
        Surface::ExperimentTracker,
        Surface::Embedding,
        Surface::Pipeline,
        Surface::Generic,
    ] {
        assert!(
            covered.contains(&surface),
            "no builtin rule for surface {}",
            surface.as_str()
        );
    }
}
