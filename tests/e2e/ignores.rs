//! `.sealant-ignore`: entries by fingerprint, the same in pre-commit, pre-push, file and
//! history scans; `sealant ignore`, `--prune`, expiry, and `sealant baseline`.

use crate::support::{Sandbox, fake};

fn fingerprint_of(run: &crate::support::Run) -> String {
    run.json()["findings"][0]["fingerprint"]
        .as_str()
        .expect("a fingerprint")
        .to_owned()
}

#[test]
fn an_ignored_fingerprint_is_quiet_in_every_mode_and_the_file_never_holds_the_secret() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo_with_origin();
    let token = fake::github_pat(700);
    repo.stage("fixtures/token.txt", format!("{token}\n"));
    let fp = fingerprint_of(&repo.sealant(&["scan", "--staged", "--format", "json"]).code(1));
    assert!(
        repo.commit("blocked first")
            .stderr
            .contains(&format!("sealant ignore {fp}")),
        "the report offers the command"
    );

    let run = repo
        .sealant(&["ignore", &fp, "--path", "fixtures/**", "--reason", "test fixture"])
        .ok();
    assert!(run.stderr.contains(".sealant-ignore"), "{}", run.stderr);
    let file = std::fs::read_to_string(repo.path.join(".sealant-ignore")).unwrap();
    assert!(
        file.contains(&format!("{fp} path=fixtures/**  # test fixture")),
        "{file}"
    );
    assert!(!file.contains(&token));

    repo.stage(".sealant-ignore", &file);
    repo.commit("ignored in pre-commit").ok();
    repo.sealant(&["scan", "."]).ok();
    repo.sealant(&["scan", "--history"]).ok();
    repo.git(&["push", "-q", "origin", "main"]).ok();

    // The same secret somewhere the entry does not cover is still reported.
    repo.stage("src/token.txt", format!("{token}\n"));
    assert_eq!(repo.commit("outside the scope").code, 1);
}

#[test]
fn expired_entries_stop_suppressing_and_say_so() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.stage("a.txt", format!("{}\n", fake::github_pat(701)));
    let fp = fingerprint_of(&repo.sealant(&["scan", "--staged", "--format", "json"]).code(1));
    repo.sealant(&["ignore", &fp, "--expires", "2020-01-01"]).ok();
    let run = repo.commit("expired");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("expired on 2020-01-01"), "{}", run.stderr);
    repo.sealant(&["ignore", &fp, "--expires", "2999-12-31"]).ok();
    repo.stage(
        ".sealant-ignore",
        std::fs::read(repo.path.join(".sealant-ignore")).unwrap(),
    );
    repo.commit("not yet expired").ok();
    repo.sealant(&["ignore", "nothex"]).code(2);
    repo.sealant(&["ignore", &fp, "--expires", "tomorrow"]).code(2);
}

#[test]
fn baseline_records_everything_and_prune_drops_what_went_away() {
    let sb = Sandbox::new();
    let repo = sb.repo("old-project");
    repo.write("one.env", format!("GITHUB_TOKEN={}\n", fake::github_pat(702)));
    repo.write("dir with space/two.txt", format!("{}\n", fake::github_pat(703)));
    repo.sealant(&["scan"]).code(1);
    let run = repo.sealant(&["baseline"]).ok();
    assert!(run.stderr.contains("recorded 2 current findings"), "{}", run.stderr);
    repo.sealant(&["scan"]).ok();
    let again = repo.sealant(&["baseline"]).ok();
    assert!(again.stderr.contains("recorded 0 current findings"), "{}", again.stderr);

    std::fs::remove_file(repo.path.join("one.env")).unwrap();
    let dry = repo.sealant(&["ignore", "--prune", "--dry-run"]).ok();
    assert!(
        dry.stderr.contains("stale (matches nothing)") && dry.stderr.contains("one.env"),
        "{}",
        dry.stderr
    );
    let before = std::fs::read_to_string(repo.path.join(".sealant-ignore")).unwrap();
    assert_eq!(before.lines().filter(|l| !l.starts_with('#')).count(), 2);
    repo.sealant(&["ignore", "--prune"]).ok();
    let after = std::fs::read_to_string(repo.path.join(".sealant-ignore")).unwrap();
    assert_eq!(after.lines().filter(|l| !l.starts_with('#')).count(), 1, "{after}");
    repo.sealant(&["scan"]).ok();
}

#[test]
fn a_broken_ignore_file_is_an_error_naming_file_and_line() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.write(".sealant-ignore", "# ok\nnot-a-fingerprint\n");
    repo.stage("a.txt", "clean\n");
    let run = repo.commit("bad ignore file");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(".sealant-ignore") && run.stderr.contains("line 2"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_detect_secrets_baseline_becomes_ignore_entries() {
    use sha1::Digest;
    let sb = Sandbox::new();
    let repo = sb.repo("migrating");
    let known = fake::github_pat(710);
    let new = fake::github_pat(711);
    repo.write("config.py", format!("GITHUB_TOKEN = \"{known}\"\nOTHER = \"{new}\"\n"));
    let sha1 = |s: &str| {
        sha1::Sha1::digest(s.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let baseline = serde_json::json!({
        "version": "1.5.0",
        "plugins_used": [{"name": "GitHubTokenDetector"}],
        "filters_used": [],
        "results": {
            "config.py": [
                {"type": "GitHub Token", "filename": "config.py", "hashed_secret": sha1(&known), "is_verified": false, "line_number": 1},
                {"type": "Secret Keyword", "filename": "config.py", "hashed_secret": sha1("hunter2"), "is_verified": false, "line_number": 9}
            ],
            "gone.py": [
                {"type": "Secret Keyword", "filename": "gone.py", "hashed_secret": sha1("x"), "is_verified": false, "line_number": 1}
            ]
        },
        "generated_at": "2024-01-01T00:00:00Z"
    });
    repo.write(".secrets.baseline", serde_json::to_string_pretty(&baseline).unwrap());
    let run = repo
        .sealant(&["ignore", "--import-detect-secrets", ".secrets.baseline"])
        .ok();
    assert!(
        run.stderr.contains("imported 1 entry") && run.stderr.contains("1 listed secret"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("gone.py"), "{}", run.stderr);
    let report = repo.sealant(&["scan", "--format", "json", "config.py"]).code(1);
    let lines: Vec<u64> = report.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [2], "the baselined secret is ignored, the new one is not");
    repo.write("bad.baseline", "{\"not\": \"a baseline\"}");
    let bad = repo
        .sealant(&["ignore", "--import-detect-secrets", "bad.baseline"])
        .code(2);
    assert!(bad.stderr.contains("bad.baseline"), "{}", bad.stderr);
}

#[test]
fn prune_with_history_keeps_entries_a_history_scan_needs() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.commit_unchecked("old.txt", format!("{}\n", fake::github_pat(710)), "an old leak");
    let run = repo.sealant(&["scan", "--history", "--format", "json"]).code(1);
    let fp = fingerprint_of(&run);
    repo.sealant(&["ignore", &fp, "--reason", "rotated in 2025"]).ok();
    repo.git(&["rm", "-q", "old.txt"]).ok();
    repo.commit("the file is gone, the commit is not").ok();
    repo.sealant(&["scan", "--history"]).ok();

    let dry = repo.sealant(&["ignore", "--prune", "--dry-run", "--history"]).ok();
    assert!(dry.stderr.contains("no stale entries"), "{}", dry.stderr);
    // Against the current files alone the entry is stale, and pruning it brings the finding back.
    let dry = repo.sealant(&["ignore", "--prune", "--dry-run"]).ok();
    assert!(dry.stderr.contains(&fp), "{}", dry.stderr);
    repo.sealant(&["ignore", "--prune"]).ok();
    repo.sealant(&["scan", "--history"]).code(1);
}
