//! Every builtin rule proves itself: its regex compiles, each example yields a finding of
//! that rule through the whole engine (prefilter, regex, entropy, placeholder filters), and
//! each negative example yields no finding of any rule. The embedded pack list must equal
//! the files in `rules/`. All failures are collected and reported together.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use sealant_scan::engine::{Config, Fragment, PACKS, PackSpec, RuleSet, Scanner, Surface};

fn scanner() -> Scanner {
    Scanner::new(RuleSet::builtin().expect("builtin packs parse"), &Config::default()).expect("builtin rules compile")
}

#[test]
fn the_embedded_pack_list_equals_the_rules_directory() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("rules/ is readable")
        .map(|e| e.expect("dir entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    let embedded: BTreeSet<String> = PACKS.iter().map(|(name, _)| (*name).to_owned()).collect();
    assert_eq!(
        embedded, on_disk,
        "crates/scan/src/engine/builtin.rs must list exactly rules/*.toml"
    );
    for (name, text) in PACKS {
        let disk = std::fs::read_to_string(dir.join(name)).expect("pack is readable");
        assert_eq!(*text, disk, "{name} is embedded from the wrong file");
    }
}

#[test]
fn every_rule_proves_itself_with_its_examples() {
    let scanner = scanner();
    let mut failures = Vec::new();
    for rule in scanner.rules() {
        if let Err(e) = rule.check_regex() {
            failures.push(e.to_string());
            continue;
        }
        if rule.negative_examples.is_empty() {
            failures.push(format!("{}: needs at least one negative example", rule.id));
        }
        if rule.blast_radius.is_empty() || rule.rotate.is_empty() {
            failures.push(format!("{}: needs `blast_radius` and `rotate`", rule.id));
        }
        for example in &rule.examples {
            if scanner.scan_with_rule(&rule.id, example).is_empty() {
                failures.push(format!(
                    "{}: example yields no finding of this rule: {example:?}",
                    rule.id
                ));
            }
        }
        for negative in &rule.negative_examples {
            let found = scanner.scan("example.txt", &Fragment::new(negative, 1));
            if let Some(f) = found.first() {
                failures.push(format!(
                    "{}: negative example yields a finding of {}: {negative:?}",
                    rule.id, f.rule
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} rule failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_pack_covers_every_surface_with_at_least_forty_rules() {
    let rules = RuleSet::builtin().expect("builtin packs parse");
    assert!(rules.len() >= 40, "only {} builtin rules", rules.len());
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

#[test]
fn keywords_are_lower_case_in_the_source() {
    for (name, text) in PACKS {
        let pack: PackSpec = toml::from_str(text).expect("pack parses");
        for rule in pack.rules {
            for k in &rule.keywords {
                assert_eq!(
                    k,
                    &k.to_ascii_lowercase(),
                    "{name}: {}: keyword {k:?} is not lower-case",
                    rule.id
                );
            }
        }
    }
}
