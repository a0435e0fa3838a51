//! `sealant explain`: why a line is, or is not, reported — without printing the secret.

use crate::support::{Sandbox, fake};

#[test]
fn explain_names_the_rule_the_filter_and_the_allowlist() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let token = fake::github_pat(950);
    let fixture = fake::github_pat(951);
    repo.write(
        ".sealant.toml",
        format!("[[allowlist]]\ndescription = \"the shared fixture\"\nregexes = ['^{fixture}$']\n"),
    );
    repo.write(
        "app.py",
        format!(
            "TOKEN = \"{token}\"\nPLACEHOLDER = \"ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\nFIXTURE = \"{fixture}\"\nprint('hello')\n"
        ),
    );
    let run = repo.sealant(&["explain", "app.py:1"]).ok();
    assert!(
        run.stderr.contains("github-pat") && run.stderr.contains("[reported]"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("fingerprint"), "{}", run.stderr);
    assert!(!run.all().contains(&token), "explain never prints the secret");

    let placeholder = repo.sealant(&["explain", "app.py:2"]).ok();
    assert!(placeholder.stderr.contains("a placeholder"), "{}", placeholder.stderr);
    let allowed = repo.sealant(&["explain", "app.py:3"]).ok();
    assert!(
        allowed.stderr.contains("allowed by an allowlist entry") && allowed.stderr.contains("the shared fixture"),
        "{}",
        allowed.stderr
    );
    assert!(!allowed.all().contains(&fixture));
    let nothing = repo.sealant(&["explain", "app.py:4"]).ok();
    assert!(nothing.stderr.contains("no rule's keyword"), "{}", nothing.stderr);

    let fp = repo.sealant(&["scan", "--format", "json", "app.py"]).code(1).json()["findings"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();
    repo.sealant(&["ignore", &fp]).ok();
    let ignored = repo.sealant(&["explain", "app.py:1"]).ok();
    assert!(
        ignored.stderr.contains("ignored by") && ignored.stderr.contains(".sealant-ignore"),
        "{}",
        ignored.stderr
    );
    let by_id = repo.sealant(&["explain", &fp]).ok();
    assert!(by_id.stderr.contains("app.py:1:10"), "{}", by_id.stderr);
    repo.sealant(&["explain", "app.py:99"]).code(2);
    repo.sealant(&["explain", "nonsense"]).code(2);
}
