//! Output contracts: redaction everywhere unless asked, JSON for tools, exit codes.

use crate::support::{Sandbox, fake, sarif_violations};

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

#[test]
fn sarif_output_validates_against_the_published_schema() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let token = fake::github_pat(303);
    repo.stage("ci/deploy.sh", format!("export GH_TOKEN={token}\n"));
    repo.stage("k.pem", fake::rsa_private_key(304, 8));
    // A team rule from .gitleaks.toml says nothing of blast radius or rotation.
    repo.write(
        ".gitleaks.toml",
        "[[rules]]\nid = \"acme-token\"\nregex = '''\\bacme_[a-z0-9]{20}\\b'''\nkeywords = [\"acme_\"]\n",
    );
    let acme = format!(
        "acme_{}",
        fake::Rng::new(305).string(b"abcdefghijklmnopqrstuvwxyz0123456789", 20)
    );
    repo.stage("deploy.py", format!("login({acme:?})\n"));
    let run = repo.sealant(&["scan", "--staged", "--format", "sarif"]).code(1);
    assert!(!run.stdout.contains(&token), "SARIF must not carry the secret");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    let errors = sarif_violations(&doc);
    assert!(errors.is_empty(), "SARIF schema violations:\n{}", errors.join("\n"));
    let mut broken = doc.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(
        !sarif_violations(&broken).is_empty(),
        "the validator must reject what the schema forbids"
    );
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    let rules = doc["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert_eq!(
            r["partialFingerprints"]["sealantFingerprint/v1"]
                .as_str()
                .unwrap()
                .len(),
            32
        );
        let help = rules[index]["help"]["text"].as_str().unwrap();
        assert!(help.contains("rotate") && !help.contains(": ."), "{help}");
    }
    let deploy = results
        .iter()
        .find(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "ci/deploy.sh")
        .unwrap();
    assert_eq!(deploy["locations"][0]["physicalLocation"]["region"]["startLine"], 1);
    assert_eq!(deploy["locations"][0]["physicalLocation"]["region"]["startColumn"], 17);
}

#[test]
fn jsonl_has_one_finding_per_line_and_report_path_gets_a_copy() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.stage(
        "a.txt",
        format!("{}\n{}\n", fake::github_pat(305), fake::github_pat(306)),
    );
    let report = sb.root().join("report.jsonl");
    let run = repo
        .sealant(&[
            "scan",
            "--staged",
            "--format",
            "jsonl",
            "--report-path",
            report.to_str().unwrap(),
        ])
        .code(1);
    let lines: Vec<serde_json::Value> = run.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(std::fs::read_to_string(&report).unwrap(), run.stdout);

    let human = sb.root().join("report.txt");
    let run = repo
        .sealant(&[
            "scan",
            "--staged",
            "--color",
            "always",
            "--report-path",
            human.to_str().unwrap(),
        ])
        .code(1);
    assert!(run.stdout.contains('\u{1b}'), "--color always colours even into a pipe");
    let file = std::fs::read_to_string(&human).unwrap();
    assert!(!file.contains('\u{1b}') && file.contains("error[github-pat]"), "{file}");
}
