//! Completions, man page and version line, generated from the clap definitions.

use crate::support::Sandbox;

#[test]
fn completions_and_man_page_are_generated_and_valid() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let bash = repo.sealant(&["completions", "bash"]).ok();
    assert!(
        bash.stdout.contains("_sealant") && bash.stdout.contains("pre-push"),
        "{}",
        bash.stdout
    );
    let script = sb.root().join("sealant.bash");
    std::fs::write(&script, &bash.stdout).unwrap();
    let syntax = sb.cmd("bash").arg("-n").arg(&script).output().unwrap();
    assert!(
        syntax.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        assert!(!repo.sealant(&["completions", shell]).ok().stdout.is_empty(), "{shell}");
    }
    repo.sealant(&["completions", "tcsh"]).code(2);
    let man = repo.sealant(&["man"]).ok();
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH sealant 1"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
    assert!(
        man.stdout.contains("SUBCOMMANDS") || man.stdout.contains("sealant\\-install"),
        "the man page lists the commands"
    );
}

#[test]
fn the_version_names_the_rule_pack() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let run = repo.sealant(&["--version"]).ok();
    let line = run.stdout.trim();
    assert!(
        line.starts_with(&format!("sealant {} (rules ", env!("CARGO_PKG_VERSION"))),
        "{line}"
    );
    let pack = line.rsplit("pack ").next().unwrap().trim_end_matches(')');
    assert_eq!(pack.len(), 12, "{line}");
    assert!(pack.bytes().all(|b| b.is_ascii_hexdigit()), "{line}");
}
