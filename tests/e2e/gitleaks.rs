//! Switching from gitleaks: a repository's `.gitleaks.toml` (custom rules, allowlists,
//! `[extend]`) and `.gitleaksignore` keep working under sealant's hooks, history scans and
//! pushes, and `sealant ignore --import-gitleaks` re-keys the ignore file on the secret.

use crate::support::{Repo, Sandbox, fake};

/// A token only the team's custom rule knows: `acme_` and 24 lower-case alphanumerics.
fn acme(seed: u64) -> String {
    format!(
        "acme_{}",
        fake::Rng::new(seed).string(b"abcdefghijklmnopqrstuvwxyz0123456789", 24)
    )
}

const GITLEAKS_TOML: &str = r#"
title = "team config"

[extend]
useDefault = true

[[rules]]
id = "acme-deploy-token"
description = "ACME deploy token"
regex = '''\b(acme_[a-z0-9]{24})\b'''
keywords = ["acme_"]
path = '''\.(py|env|yaml)$'''

[[rules.allowlists]]
description = "the sandbox project's token is public"
regexTarget = "line"
regexes = ['''ACME_SANDBOX''']

[[allowlists]]
description = "recorded HTTP fixtures"
paths = ['''(^|/)cassettes/''']

[[rules]]
id = "generic-api-key"
[[rules.allowlists]]
stopwords = ["notasecret"]
"#;

fn repo_with_config(sb: &Sandbox) -> Repo<'_> {
    let repo = sb.guarded_repo("r");
    repo.stage(".gitleaks.toml", GITLEAKS_TOML);
    repo.commit("gitleaks config").ok();
    repo
}

#[test]
fn custom_rules_and_allowlists_from_gitleaks_toml_hold_in_the_hook() {
    let sb = Sandbox::new();
    let repo = repo_with_config(&sb);

    repo.stage("deploy/settings.py", format!("client.login(\"{}\")\n", acme(1)));
    let run = repo.commit("custom rule");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("acme-deploy-token"), "{}", run.stderr);
    assert!(!run.all().contains(&acme(1)), "the secret stays redacted");
    repo.git(&["reset", "-q"]).ok();

    // The rule's path regex: a Markdown file is not its business.
    repo.stage("docs/notes.md", format!("client.login(\"{}\")\n", acme(2)));
    repo.commit("outside the rule's paths").ok();

    // The rule allowlist (line target) and the global path allowlist.
    repo.stage("app/sandbox.py", format!("ACME_SANDBOX = \"{}\"\n", acme(3)));
    repo.stage("tests/cassettes/login.yaml", format!("token: {}\n", acme(4)));
    repo.commit("allowed by the gitleaks allowlists").ok();
    let explained = repo.sealant(&["explain", "app/sandbox.py:1"]).ok();
    assert!(
        explained.stderr.contains(".gitleaks.toml")
            && explained.stderr.contains("the sandbox project's token is public"),
        "{}",
        explained.stderr
    );

    // An allowlist on gitleaks' `generic-api-key` reaches sealant's generic rules.
    let value = fake::Rng::new(5).string(b"abcdefghijklmnopqrstuvwxyz0123456789", 20);
    repo.stage("app/a.py", format!("api_key = \"notasecret{value}\"\n"));
    repo.commit("gitleaks stopword").ok();
    repo.stage("app/b.py", format!("api_key = \"{value}Q7x\"\n"));
    assert_eq!(repo.commit("a generic secret without the stopword").code, 1);
    repo.git(&["reset", "-q"]).ok();

    // `[scan] gitleaks = false` stops reading the file: the custom rule is gone.
    repo.stage(".sealant.toml", "[scan]\ngitleaks = false\n");
    repo.stage("deploy/settings.py", format!("client.login(\"{}\")\n", acme(1)));
    repo.commit("gitleaks config switched off").ok();
}

#[test]
fn rules_list_and_doctor_say_what_was_read_and_what_did_not_carry_over() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.write(
        ".gitleaks.toml",
        format!("{GITLEAKS_TOML}\n[extend]\nurl = \"https://example.invalid/base.toml\"\n")
            .replace("[extend]\nuseDefault = true\n", "")
            + "\n[[rules]]\nid = \"typo\"\nregex = '''typo_[0-9]{8}'''\nkeyword = [\"typo\"]\n",
    );
    let list = repo.sealant(&["rules", "list", "--format", "json"]).ok();
    let ids: Vec<String> = list
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(ids.contains(&"acme-deploy-token".to_owned()) && ids.contains(&"openai-api-key".to_owned()));
    assert!(
        list.stderr.contains("rules.2.keyword") && list.stderr.contains("url"),
        "{}",
        list.stderr
    );
    let doctor = repo.sealant(&["doctor"]).ok();
    assert!(
        doctor.stderr.contains(".gitleaks.toml: 3 rule entries read") && doctor.stderr.contains("not carried over"),
        "{}",
        doctor.stderr
    );
    let check = repo.sealant(&["rules", "check", ".gitleaks.toml"]).ok();
    assert!(
        check.stdout.contains("3 rules ok")
            && check.stdout.contains("not carried over: ")
            && check.stdout.contains("rules.2.keyword"),
        "{}",
        check.stdout
    );
    // Parsed at load, a regex past the size limit shows when compiled: check says so.
    repo.write(
        "too-big.gitleaks.toml",
        "[[rules]]\nid = \"huge\"\nregex = '''\\pL{2000}\\pL{2000}'''\n",
    );
    let check = repo.sealant(&["rules", "check", "too-big.gitleaks.toml"]).code(1);
    assert!(
        check.stdout.contains("`huge`") && check.stdout.contains("size limit"),
        "{}",
        check.stdout
    );

    repo.write(
        ".gitleaks.toml",
        "[[rules]]\nid = \"broken\"\nregex = '''(unclosed'''\n",
    );
    repo.stage("a.txt", "hello\n");
    let run = repo.commit("a broken gitleaks config blocks, naming the file");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(".gitleaks.toml")
            && run.stderr.contains("broken")
            && run.stderr.contains("does not compile"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`[scan] gitleaks = false` in .sealant.toml"),
        "the way on while it is fixed: {}",
        run.stderr
    );
}

#[test]
fn gitleaksignore_lines_suppress_by_position_in_every_mode() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo_with_origin();
    let old = fake::github_pat(1);
    repo.commit_unchecked("config/app.env", format!("# settings\nGH={old}\n"), "an old leak");
    let leak = repo.head();
    assert_eq!(repo.sealant(&["scan", "--history"]).code, 1);

    // gitleaks' history fingerprint (commit:file:rule:line) under its own rule name.
    repo.stage(
        ".gitleaksignore",
        format!("# triaged\n{leak}:config/app.env:github-pat:2\n"),
    );
    repo.commit("triage").ok();
    repo.sealant(&["scan", "--history"]).ok();
    repo.git(&["push", "-q", "origin", "main"]).ok();
    let explained = repo.sealant(&["explain", "config/app.env:2"]).ok();
    assert!(
        explained.stderr.contains("reported"),
        "the pinned entry is for that commit only; the file as it is now is another matter: {}",
        explained.stderr
    );

    // A commit-less line (gitleaks' staged and file fingerprint) covers the place in any commit,
    // and names the rule by gitleaks' id: `aws-access-token` is sealant's `aws-access-key-id`.
    let key = fake::aws_access_key_id(2);
    repo.write(".gitleaksignore", "fixtures/aws.txt:aws-access-token:1\n");
    repo.git(&["add", ".gitleaksignore"]).ok();
    repo.stage("fixtures/aws.txt", format!("{key}\n"));
    repo.commit("ignored by position").ok();
    let explained = repo.sealant(&["explain", "fixtures/aws.txt:1"]).ok();
    assert!(
        explained
            .stderr
            .contains(".gitleaksignore entry fixtures/aws.txt:aws-access-token:1"),
        "{}",
        explained.stderr
    );
    // `[scan] gitleaks = false` stops reading the ignore file too.
    repo.write(".sealant.toml", "[scan]\ngitleaks = false\n");
    repo.sealant(&["scan", "fixtures/aws.txt"]).code(1);
    std::fs::remove_file(repo.path.join(".sealant.toml")).unwrap();
    repo.sealant(&["scan", "fixtures/aws.txt"]).ok();
    // Another line, or another rule at that line, is not covered.
    repo.stage("fixtures/aws.txt", format!("{key}\n{}\n", fake::aws_access_key_id(3)));
    assert_eq!(repo.commit("a second key on line 2").code, 1);
    repo.git(&["reset", "-q"]).ok();
    repo.stage("fixtures/aws.txt", format!("{}\n", fake::github_pat(4)));
    assert_eq!(repo.commit("another rule on line 1").code, 1);

    // A line of another shape matches nothing, in gitleaks or here; doctor counts it.
    repo.write(
        ".gitleaksignore",
        "fixtures/aws.txt:aws-access-token:1
not a fingerprint
",
    );
    let doctor = repo.sealant(&["doctor"]).ok();
    assert!(
        doctor
            .stderr
            .contains("1 line(s) of the gitleaks ignore files are not fingerprints"),
        "{}",
        doctor.stderr
    );
}

#[test]
fn import_gitleaks_keys_the_entries_on_the_secret() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let old = fake::github_pat(10);
    repo.commit_unchecked("config/app.env", format!("# settings\nGH={old}\n"), "an old leak");
    let leak = repo.head();
    let key = fake::aws_access_key_id(11);
    repo.commit_unchecked("fixtures/aws.txt", format!("{key}\n"), "a fixture");
    repo.write(
        ".gitleaksignore",
        format!("{leak}:config/app.env:github-pat:2\nfixtures/aws.txt:aws-access-token:1\nfixtures/gone.txt:jwt:4\n"),
    );
    let run = repo.sealant(&["ignore", "--import-gitleaks", ".gitleaksignore"]).ok();
    assert!(
        run.stderr.contains("imported 2 entries") && run.stderr.contains("fixtures/gone.txt:jwt:4"),
        "{}",
        run.stderr
    );
    let file = std::fs::read_to_string(repo.path.join(".sealant-ignore")).unwrap();
    assert!(
        file.contains("path=/config/app.env") && file.contains("path=/fixtures/aws.txt"),
        "{file}"
    );
    assert!(!file.contains(&old) && !file.contains(&key), "never the secret: {file}");

    // With the gitleaks file gone, the imported entries carry the history scan alone.
    std::fs::remove_file(repo.path.join(".gitleaksignore")).unwrap();
    repo.sealant(&["scan", "--history"]).ok();
    // Keyed on the secret, not the place: a new secret on the ignored line is reported.
    repo.stage("fixtures/aws.txt", format!("{}\n", fake::aws_access_key_id(12)));
    assert_eq!(repo.commit("a new key where the old one was").code, 1);

    repo.write(".gitleaksignore", "not a fingerprint\n");
    let bad = repo
        .sealant(&["ignore", "--import-gitleaks", ".gitleaksignore"])
        .code(2);
    assert!(
        bad.stderr.contains(".gitleaksignore:1") && bad.stderr.contains("not a gitleaks fingerprint"),
        "{}",
        bad.stderr
    );
}

#[test]
fn allowlisted_commits_pass_push_and_history_scans() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo_with_origin();
    repo.commit_unchecked("notes.txt", format!("{}\n", fake::github_pat(20)), "a reviewed leak");
    let reviewed = repo.head();
    assert_eq!(repo.git(&["push", "-q", "origin", "main"]).code, 1);

    let short = &reviewed[..12];
    repo.stage(
        ".gitleaks.toml",
        format!("[[allowlists]]\ndescription = \"rotated in INC-42\"\ncommits = [\"{short}\"]\n"),
    );
    repo.commit("allow the reviewed commit").ok();
    repo.sealant(&["scan", "--history"]).ok();
    repo.git(&["push", "-q", "origin", "main"]).ok();

    // Only that commit: the same kind of leak in a later commit is blocked.
    repo.commit_unchecked("more.txt", format!("{}\n", fake::github_pat(21)), "another leak");
    assert_eq!(repo.git(&["push", "-q", "origin", "main"]).code, 1);
}

#[test]
fn a_full_copy_of_gitleaks_defaults_loads_compiles_and_guards() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let builtin = repo.sealant(&["rules", "list", "--format", "json"]).ok().json();
    let builtin = builtin.as_array().unwrap().len();
    repo.write(".gitleaks.toml", include_str!("../fixtures/gitleaks-default.toml"));

    let list = repo.sealant(&["rules", "list", "--format", "json"]).ok();
    let ids: Vec<String> = list
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    for id in [
        "doppler-api-token",
        "twitter-bearer-token",
        "generic-api-key",
        "pypi-upload-token",
    ] {
        assert!(ids.contains(&id.to_owned()), "{id} missing");
    }
    // 218 gitleaks rules, of which some share an id with ours (and redefine them).
    assert!(ids.len() > builtin + 150, "{} rules", ids.len());
    assert!(list.stderr.is_empty(), "nothing left behind: {}", list.stderr);

    // Every regex compiles in full once read as Go reads it (a Unicode \w would not).
    let check = repo.sealant(&["rules", "check", ".gitleaks.toml"]).ok();
    assert!(check.stdout.contains("218 rules ok"), "{}", check.stdout);
    let doctor = repo.sealant(&["doctor"]).ok();
    assert!(doctor.stderr.contains("218 rule entries read"), "{}", doctor.stderr);
    assert!(!doctor.stderr.contains("never matches"), "{}", doctor.stderr);

    let token = format!(
        "dp.pt.{}",
        fake::Rng::new(40).string(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 43)
    );
    repo.stage("deploy/doppler.sh", format!("doppler run --token {token}\n"));
    let run = repo.commit("a Doppler token, which only gitleaks' rules know");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("doppler-api-token"), "{}", run.stderr);
}

#[test]
fn betterleaks_files_are_read_as_betterleaks_reads_them() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.write(".betterleaks.toml", GITLEAKS_TOML);
    repo.write(
        ".gitleaks.toml",
        "[[rules]]\nid = \"old-team-rule\"\nregex = '''team_[0-9]{8}'''\n",
    );
    repo.stage("deploy/settings.py", format!("client.login(\"{}\")\n", acme(30)));
    let run = repo.commit("blocked by the rule in .betterleaks.toml");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("acme-deploy-token"), "{}", run.stderr);
    let doctor = repo.sealant(&["doctor"]).ok();
    assert!(
        doctor.stderr.contains(".gitleaks.toml is not read: ")
            && doctor.stderr.contains(".betterleaks.toml takes precedence"),
        "{}",
        doctor.stderr
    );

    repo.write(".betterleaksignore", "deploy/settings.py:acme-deploy-token:1\n");
    repo.commit("ignored by .betterleaksignore").ok();
    let explained = repo.sealant(&["explain", "deploy/settings.py:1"]).ok();
    assert!(
        explained
            .stderr
            .contains(".betterleaksignore entry deploy/settings.py:acme-deploy-token:1"),
        "{}",
        explained.stderr
    );
}
