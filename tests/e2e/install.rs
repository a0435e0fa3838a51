//! `sealant install --repo`: where the hook goes, what happens to a hook already there, and
//! that installing twice changes nothing.

use crate::support::{Repo, Sandbox, fake, make_executable};

#[test]
fn install_is_idempotent_and_byte_identical() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let hook = repo.path.join(".git/hooks/pre-commit");
    let first = std::fs::read(&hook).unwrap();
    let run = repo.sealant(&["install", "--repo"]).ok();
    assert!(run.stderr.contains("up to date"), "{}", run.stderr);
    assert_eq!(std::fs::read(&hook).unwrap(), first);
    let text = String::from_utf8(first).unwrap();
    assert!(text.starts_with("#!/bin/sh\n") && !text.contains('\r'));
    assert!(text.contains(crate::support::SEALANT), "the binary path is baked in");
}

#[test]
fn an_existing_hook_is_chained_runs_first_and_can_block() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let hook = repo.path.join(".git/hooks/pre-commit");
    std::fs::write(
        &hook,
        "#!/bin/sh\necho \"team hook ran with $# args\" >&2\n[ ! -e block-me ]\n",
    )
    .unwrap();
    make_executable(&hook);
    let original = std::fs::read(&hook).unwrap();
    let run = repo.sealant(&["install", "--repo"]).ok();
    assert!(run.stderr.contains("pre-commit.pre-sealant"), "{}", run.stderr);
    assert_eq!(
        std::fs::read(repo.path.join(".git/hooks/pre-commit.pre-sealant")).unwrap(),
        original
    );

    repo.stage("a.txt", "clean\n");
    let ok = repo.commit("clean").ok();
    assert!(ok.stderr.contains("team hook ran with 0 args"), "{}", ok.stderr);

    repo.write("block-me", "");
    repo.stage("b.txt", "clean\n");
    assert_eq!(repo.commit("team hook says no").code, 1);
    std::fs::remove_file(repo.path.join("block-me")).unwrap();

    repo.stage("c.txt", format!("{}\n", fake::github_pat(200)));
    let run = repo.commit("secret");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("team hook ran") && run.stderr.contains("commit blocked"),
        "{}",
        run.stderr
    );
}

#[test]
fn core_hooks_path_is_where_the_hook_goes() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    repo.git(&["config", "core.hooksPath", ".githooks"]).ok();
    repo.sealant(&["install", "--repo"]).ok();
    assert!(repo.path.join(".githooks/pre-commit").is_file());
    assert!(!repo.path.join(".git/hooks/pre-commit").exists());
    repo.stage("k.txt", format!("{}\n", fake::github_pat(201)));
    assert_eq!(repo.commit("secret").code, 1);
}

#[test]
fn dry_run_changes_nothing() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let run = repo.sealant(&["install", "--repo", "--dry-run"]).ok();
    assert!(run.stderr.contains("would install"), "{}", run.stderr);
    assert!(!repo.path.join(".git/hooks/pre-commit").exists());
}

#[test]
fn a_missing_binary_warns_and_lets_the_commit_through_unless_required() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    repo.sealant(&["install", "--repo"]).ok();
    Repo::break_binary_path(&repo.path.join(".git/hooks/pre-commit"));
    repo.stage("a.txt", "clean\n");
    let run = repo
        .git_env(&[("PATH", "/usr/bin:/bin")], &["commit", "-q", "-m", "no binary"])
        .ok();
    assert!(run.stderr.contains("binary not found"), "{}", run.stderr);
    repo.stage("b.txt", "clean\n");
    let env = [("PATH", "/usr/bin:/bin"), ("SEALANT_REQUIRED", "1")];
    repo.git_env(&env, &["commit", "-q", "-m", "required"]).code(1);
}
