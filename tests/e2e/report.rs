//! Output contracts: redaction everywhere unless asked, JSON for tools, exit codes.

use crate::support::{Sandbox, fake};

#[test]
fn json_output_is_redacted_unless_show_secrets() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let token = fake::github_pat(300);
    repo.stage("cfg/app.yaml", format!("github:\n  token: {token}\n"));
    let run = repo.sealant(&["scan", "--staged", "--format", "json"]).code(1);
    assert!(!run.stdout.contains(&token), "{}", run.stdout);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let f = &doc["findings"][0];
    assert_eq!(f["path"], "cfg/app.yaml");
    assert_eq!(f["line"], 2);
    assert_eq!(f["column"], 10);
    assert_eq!(f["surface"], "pipeline");
    assert!(f["secret"].as_str().unwrap().contains("(redacted)"));
    assert_eq!(f["fingerprint"].as_str().unwrap().len(), 32);

    let shown = repo
        .sealant(&["scan", "--staged", "--format", "json", "--show-secrets"])
        .code(1);
    let doc: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
    assert_eq!(doc["findings"][0]["secret"], token.as_str());
    let human = repo.sealant(&["scan", "--staged", "--show-secrets"]).code(1);
    assert!(human.stdout.contains(&token));
}

#[test]
fn human_output_says_what_where_why_and_how_to_fix() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.stage(
        "train/config.py",
        format!("import os\nKEY = \"{}\"\n", fake::github_pat(301)),
    );
    let run = repo.sealant(&["scan", "--staged"]).code(1);
    for expected in [
        "--> train/config.py:2:8",
        "2 | KEY = \"",
        "^^^^",
        "leak enables:",
        "fix:",
        "rotate",
        "# sealant:allow",
    ] {
        assert!(run.stdout.contains(expected), "missing {expected:?} in\n{}", run.stdout);
    }
    assert!(!run.stdout.contains('\u{1b}'), "NO_COLOR is honoured");
}

#[test]
fn exit_codes_are_zero_one_two() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.sealant(&["scan", "--staged"]).code(0);
    repo.stage("a.txt", format!("{}\n", fake::github_pat(302)));
    repo.sealant(&["scan", "--staged"]).code(1);
    let outside = sb.root().join("not-a-repo");
    std::fs::create_dir_all(&outside).unwrap();
    let out = sb
        .cmd(crate::support::SEALANT)
        .current_dir(&outside)
        .args(["scan", "--staged"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    repo.sealant(&["scan", "--bogus-flag"]).code(2);
}
