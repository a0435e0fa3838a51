//! `sealant scan --history` and `--range A..B`: per-commit added lines, as the pre-push guard
//! scans them, over all references or a range.

use crate::support::{Sandbox, fake};

#[test]
fn history_finds_secrets_added_and_later_removed_in_any_branch() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    repo.commit_unchecked("README.md", "# r\n", "init");
    repo.commit_unchecked("k.txt", format!("{}\n", fake::github_pat(800)), "add key");
    repo.git(&["rm", "-q", "k.txt"]).ok();
    repo.git(&["commit", "-q", "--no-verify", "-m", "remove key"]).ok();
    repo.git(&["checkout", "-q", "-b", "side"]).ok();
    repo.commit_unchecked("side.txt", format!("{}\n", fake::github_pat(801)), "side key");
    repo.git(&["checkout", "-q", "main"]).ok();
    for i in 0..30 {
        repo.commit_unchecked(&format!("f{i}.txt"), format!("clean {i}\n"), &format!("clean {i}"));
    }
    repo.sealant(&["scan"]).ok();
    let run = repo.sealant(&["scan", "--history", "--format", "json"]).code(1);
    let mut paths = run.finding_paths();
    paths.sort();
    assert_eq!(paths, ["k.txt", "side.txt"]);
    let commits: Vec<String> = run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["commit"].as_str().unwrap().to_owned())
        .collect();
    assert!(commits.iter().all(|c| c.len() == 40), "{commits:?}");
    assert!(run.stderr.contains("scanned 34 commits"), "{}", run.stderr);

    let human = repo.sealant(&["scan", "--history"]).code(1);
    assert!(
        human.stdout.contains("in history") && human.stdout.contains("in commit"),
        "{}",
        human.stdout
    );
}

#[test]
fn a_range_scans_only_its_commits() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    repo.commit_unchecked("a.txt", format!("{}\n", fake::github_pat(802)), "old key");
    repo.git(&["tag", "v1"]).ok();
    repo.commit_unchecked("b.txt", "clean\n", "clean");
    repo.git(&["tag", "v2"]).ok();
    repo.commit_unchecked("c.txt", format!("{}\n", fake::github_pat(803)), "new key");
    repo.sealant(&["scan", "--range", "v1..v2"]).ok();
    let run = repo.sealant(&["scan", "--range", "v2..", "--format", "json"]).code(1);
    assert_eq!(run.finding_paths(), ["c.txt"]);
    let bad = repo.sealant(&["scan", "--range", "nope..HEAD"]).code(2);
    assert!(bad.stderr.contains("nope"), "{}", bad.stderr);
    repo.sealant(&["scan", "--range", "v1"]).code(2);
}
