//! The ways to say "this is not a secret": inline comments (ours and the peers'),
//! placeholders, and `.sealant.toml` allowlists and disabled rules. And the bypasses.

use crate::support::{Sandbox, fake};

#[test]
fn inline_allow_comments_let_the_line_through() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    for (i, marker) in [
        "# sealant:allow",
        "// gitleaks:allow",
        "# pragma: allowlist secret",
        "# betterleaks:allow",
        "// trufflehog:ignore",
        "# noqa: S105",
        "# nosec",
    ]
    .iter()
    .enumerate()
    {
        repo.stage(
            &format!("f{i}.txt"),
            format!("token = \"{}\"  {marker}\n", fake::github_pat(100 + i as u64)),
        );
    }
    repo.commit("allowed inline").ok();
}

#[test]
fn detect_secrets_nextline_pragma_allows_the_line_after_it_even_when_only_that_line_is_added() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let pragma = "# pragma: allowlist nextline secret";
    repo.stage(
        "settings.py",
        format!("{pragma}\nTOKEN = \"{}\"\nDEBUG = True\n", fake::github_pat(120)),
    );
    repo.commit("allowed by the line before").ok();
    // Only the secret's line changes: the pragma is context, not in the added hunk.
    repo.stage(
        "settings.py",
        format!("{pragma}\nTOKEN = \"{}\"\nDEBUG = True\n", fake::github_pat(121)),
    );
    repo.commit("the pragma still covers the edited line").ok();
    let explained = repo.sealant(&["explain", "settings.py:2"]).ok();
    assert!(explained.stderr.contains("nextline"), "{}", explained.stderr);
    // It covers one line only.
    repo.stage(
        "settings.py",
        format!(
            "{pragma}\nTOKEN = \"{}\"\nOTHER = \"{}\"\n",
            fake::github_pat(121),
            fake::github_pat(122)
        ),
    );
    let run = repo.commit("the line after next is not covered");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("settings.py:3"), "{}", run.stderr);
}

#[test]
fn placeholders_and_environment_lookups_are_not_secrets() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.stage(
        "settings.py",
        "OPENAI_API_KEY = os.environ[\"OPENAI_API_KEY\"]\nGITHUB_TOKEN = \"ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\napi_key = \"<your-api-key>\"\ntoken: ${GITHUB_TOKEN}\n",
    );
    repo.commit("placeholders").ok();
}

#[test]
fn config_allowlists_and_disabled_rules_apply() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let rule = rule_id_of(&repo, &fake::github_pat(110));
    repo.stage(
        ".sealant.toml",
        format!(
            "[[allowlist]]\ndescription = \"fixtures\"\npaths = [\"fixtures/\"]\n\n[[allowlist]]\ndescription = \"one known test token\"\nregexes = ['^{}$']\n",
            fake::github_pat(111)
        ),
    );
    repo.stage("fixtures/token.txt", format!("{}\n", fake::github_pat(112)));
    repo.stage("src/known.txt", format!("{}\n", fake::github_pat(111)));
    repo.commit("allowlisted").ok();

    repo.stage("src/other.txt", format!("{}\n", fake::github_pat(113)));
    assert_eq!(repo.commit("not allowlisted").code, 1);
    repo.write(".sealant.toml", format!("[scan]\ndisable = [\"{rule}\"]\n"));
    repo.commit("rule disabled").ok();
}

#[test]
fn a_broken_config_blocks_with_a_message_naming_the_file() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.write(".sealant.toml", "[scan]\ndisabel = [\"x\"]\n");
    repo.stage("a.txt", "clean\n");
    let run = repo.commit("bad config").code(1);
    assert!(
        run.stderr.contains(".sealant.toml") && run.stderr.contains("disabel"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--no-verify"), "{}", run.stderr);
    let direct = repo.sealant(&["pre-commit"]).code(2);
    assert!(direct.stderr.contains("sealant: error:"), "{}", direct.stderr);
}

#[test]
fn skip_variables_bypass_the_scan_for_one_command_and_say_so() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.stage("a.txt", format!("{}\n", fake::github_pat(120)));
    for (var, value) in [("SEALANT_SKIP", "1"), ("SKIP", "prettier,sealant")] {
        let stderr = repo.git_env(&[(var, value)], &["commit", "-q", "-m", var]).ok().stderr;
        assert!(
            stderr.contains("secret scan skipped") && stderr.contains(var),
            "{var}: {stderr}"
        );
        repo.stage("a.txt", format!("{}\n", fake::github_pat(121 + value.len() as u64)));
    }
    assert_eq!(repo.commit("no bypass").code, 1);
}

/// The id of the rule that flags `secret`, read from JSON output.
fn rule_id_of(repo: &crate::support::Repo<'_>, secret: &str) -> String {
    repo.write("probe.txt", format!("{secret}\n"));
    let run = repo.sealant(&["scan", "--format", "json", "probe.txt"]).code(1);
    std::fs::remove_file(repo.path.join("probe.txt")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    doc["findings"][0]["rule"].as_str().unwrap().to_owned()
}

#[test]
fn extra_rules_from_the_config_run_in_the_hook() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.stage(
        ".sealant.toml",
        "[[rules]]\nid = \"acme-deploy-token\"\ndescription = \"ACME deploy token\"\nsurface = \"pipeline\"\nkeywords = [\"acme_\"]\nregex = '''\\b(acme_[a-z0-9]{24})\\b'''\nrotate = \"https://acme.invalid/tokens\"\nexamples = [\"acme_q8zr2lmx0vt7bn4kw1syp9dc\"]  # sealant:allow\n",
    );
    repo.commit("config").ok();
    let token = format!(
        "acme_{}",
        fake::Rng::new(7).string(b"abcdefghijklmnopqrstuvwxyz0123456789", 24)
    );
    repo.stage("deploy.env", format!("DEPLOY={token}\n"));
    let run = repo.commit("custom token");
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stderr.contains("error[acme-deploy-token]: ACME deploy token"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("https://acme.invalid/tokens"), "{}", run.stderr);
}

#[test]
fn unused_allowlists_are_named_so_they_cannot_rot_unseen() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.write(
        ".sealant.toml",
        "[[allowlist]]\ndescription = \"shared fixtures\"\npaths = [\"fixtures/\"]\n\n[[allowlist]]\ndescription = \"a vendor's sample key\"\nstopwords = [\"vendorsample\"]\n",
    );
    repo.write(
        ".gitleaks.toml",
        "[[allowlists]]\ndescription = \"from gitleaks days\"\nregexes = ['''^legacy_''']\n",
    );
    repo.write("fixtures/token.txt", format!("{}\n", fake::github_pat(130)));
    repo.write("src/app.py", "print('clean')\n");

    let run = repo.sealant(&["scan", "--unused-allowlists"]).code(1);
    assert!(
        !run.stderr.contains("shared fixtures"),
        "that one let a file go: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains(".sealant.toml: a vendor's sample key")
            && run.stderr.contains(".gitleaks.toml: from gitleaks days"),
        "{}",
        run.stderr
    );
    // Without the flag, nothing changes.
    repo.sealant(&["scan"]).ok();

    // An entry that only history needs is used by a history scan.
    repo.commit_unchecked(
        "old/config.py",
        format!(
            "api_key = \"vendorsample{}\"\n",
            fake::Rng::new(131).string(b"abcdefghijklmnopqrstuvwxyz0123456789", 16)
        ),
        "an old sample",
    );
    std::fs::remove_file(repo.path.join(".gitleaks.toml")).unwrap();
    std::fs::remove_file(repo.path.join("fixtures/token.txt")).unwrap();
    let run = repo.sealant(&["scan", "--history", "--unused-allowlists"]).code(1);
    assert!(
        run.stderr.contains("shared fixtures") && !run.stderr.contains("vendor's sample key"),
        "{}",
        run.stderr
    );
}
