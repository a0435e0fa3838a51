//! `git push` through the installed pre-push hook, to a bare repository on disk: every
//! commit the push publishes is scanned, nothing the remote already has is re-flagged, and
//! what cannot be known degrades to a warning.

use crate::support::{Repo, Run, Sandbox, fake, make_executable};

#[track_caller]
fn push_blocked(run: &Run, expect: &str) {
    assert_eq!(run.code, 1, "push should be blocked\n{}", run.all());
    assert!(run.stderr.contains("push blocked"), "{}", run.stderr);
    assert!(run.stderr.contains(expect), "expected {expect:?} in\n{}", run.stderr);
}

fn remote_has(sb: &Sandbox, reference: &str) -> bool {
    let bare = sb.root().join("remote.git");
    sb.cmd("git")
        .arg("--git-dir")
        .arg(&bare)
        .args(["rev-parse", "-q", "--verify", reference])
        .output()
        .unwrap()
        .status
        .success()
}

#[test]
fn a_fast_forward_with_a_secret_is_blocked_and_names_the_commit() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo_with_origin();
    repo.commit_unchecked("app.py", format!("TOKEN = '{}'\n", fake::github_pat(500)), "add token");
    let commit = repo.head();
    let run = repo.git(&["push", "-q", "origin", "main"]);
    push_blocked(&run, "app.py:1:10");
    assert!(
        run.stderr.contains(&format!("in commit {}", &commit[..10])),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("git reset --soft") && run.stderr.contains("git rebase -i"),
        "{}",
        run.stderr
    );
    assert!(!run.all().contains(&fake::github_pat(500)));
    let remote_main = sb
        .cmd("git")
        .arg("--git-dir")
        .arg(sb.root().join("remote.git"))
        .args(["rev-parse", "main"])
        .output()
        .unwrap();
    assert_ne!(
        String::from_utf8_lossy(&remote_main.stdout).trim(),
        commit,
        "nothing was pushed"
    );
}

#[test]
fn clean_pushes_pass_and_up_to_date_pushes_scan_nothing() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo_with_origin();
    repo.stage("a.txt", "clean\n");
    repo.commit("clean").ok();
    let run = repo.git(&["push", "-q", "origin", "main"]).ok();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    repo.git(&["push", "-q", "origin", "main"]).ok();
}

#[test]
fn a_secret_added_then_deleted_still_blocks() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo_with_origin();
    repo.commit_unchecked("k.txt", format!("{}\n", fake::github_pat(501)), "add");
    repo.git(&["rm", "-q", "k.txt"]).ok();
    repo.commit("remove again").ok();
    push_blocked(&repo.git(&["push", "-q", "origin", "main"]), "k.txt:1:1");
}

#[test]
fn a_new_branch_scans_only_what_the_remote_lacks() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo_with_origin();
    // History the remote already has may hold an old secret: it is not re-flagged.
    repo.commit_unchecked("old.txt", format!("{}\n", fake::github_pat(502)), "old secret");
    repo.git(&["push", "-q", "--no-verify", "origin", "main"]).ok();
    repo.git(&["checkout", "-q", "-b", "feature"]).ok();
    repo.stage("f.txt", "clean\n");
    repo.commit("clean feature").ok();
    repo.git(&["push", "-q", "origin", "feature"]).ok();
    repo.commit_unchecked("g.txt", format!("{}\n", fake::github_pat(503)), "secret on feature");
    push_blocked(&repo.git(&["push", "-q", "origin", "feature"]), "g.txt:1:1");
}

#[test]
fn force_pushes_scan_the_rewritten_commits() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo_with_origin();
    repo.stage("a.txt", "v1\n");
    repo.commit("v1").ok();
    repo.git(&["push", "-q", "origin", "main"]).ok();
    repo.git(&["reset", "-q", "--hard", "HEAD~1"]).ok();
    repo.commit_unchecked("a.txt", format!("v2 {}\n", fake::github_pat(504)), "rewritten");
    push_blocked(&repo.git(&["push", "-q", "-f", "origin", "main"]), "a.txt:1:4");
}

#[test]
fn an_unknown_remote_oid_warns_and_still_scans() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo_with_origin();
    // Someone else pushes a commit we never fetch.
    let other = sb.root().join("other");
    let out = sb
        .cmd("git")
        .args([
            "clone",
            "-q",
            sb.root().join("remote.git").to_str().unwrap(),
            other.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    std::fs::write(other.join("theirs.txt"), "theirs\n").unwrap();
    let theirs = Repo {
        sandbox: &sb,
        path: other,
    };
    theirs.git(&["add", "theirs.txt"]).ok();
    theirs.git(&["commit", "-q", "--no-verify", "-m", "theirs"]).ok();
    theirs.git(&["push", "-q", "--no-verify", "origin", "main"]).ok();

    repo.commit_unchecked("mine.txt", format!("{}\n", fake::github_pat(505)), "mine");
    let run = repo.git(&["push", "-q", "-f", "origin", "main"]);
    push_blocked(&run, "mine.txt:1:1");
    assert!(run.stderr.contains("which is not here"), "{}", run.stderr);
}

#[test]
fn deletes_publish_nothing() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo_with_origin();
    repo.git(&["checkout", "-q", "-b", "gone"]).ok();
    repo.commit_unchecked("s.txt", format!("{}\n", fake::github_pat(506)), "secret");
    repo.git(&["push", "-q", "--no-verify", "origin", "gone"]).ok();
    repo.git(&["push", "-q", "origin", ":gone"]).ok();
    assert!(!remote_has(&sb, "refs/heads/gone"));
}

#[test]
fn all_branches_and_several_refspecs_are_all_scanned() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo_with_origin();
    repo.git(&["checkout", "-q", "-b", "one"]).ok();
    repo.stage("one.txt", "clean\n");
    repo.commit("one").ok();
    repo.git(&["checkout", "-q", "-b", "two", "main"]).ok();
    repo.commit_unchecked("two.txt", format!("{}\n", fake::github_pat(507)), "two");
    push_blocked(&repo.git(&["push", "-q", "--all", "origin"]), "two.txt:1:1");
    push_blocked(
        &repo.git(&["push", "-q", "origin", "one", "two:refs/heads/renamed"]),
        "two.txt:1:1",
    );
    repo.git(&["push", "-q", "origin", "one"]).ok();
}

#[test]
fn annotated_tags_are_peeled() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo_with_origin();
    repo.git(&["tag", "-a", "-m", "release", "v1"]).ok();
    repo.git(&["push", "-q", "origin", "v1"]).ok();
    repo.commit_unchecked("t.txt", format!("{}\n", fake::github_pat(508)), "tagged secret");
    repo.git(&["tag", "-a", "-m", "release", "v2"]).ok();
    push_blocked(&repo.git(&["push", "-q", "origin", "v2"]), "t.txt:1:1");
}

#[test]
fn a_push_to_a_url_uses_the_remote_with_that_url() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo_with_origin();
    repo.commit_unchecked("old.txt", format!("{}\n", fake::github_pat(509)), "old secret");
    repo.git(&["push", "-q", "--no-verify", "origin", "main"]).ok();
    repo.git(&["fetch", "-q", "origin"]).ok();
    let url = sb.root().join("remote.git");
    repo.stage("new.txt", "clean\n");
    repo.commit("clean").ok();
    repo.git(&["push", "-q", url.to_str().unwrap(), "main:refs/heads/byurl"])
        .ok();
    repo.commit_unchecked("bad.txt", format!("{}\n", fake::github_pat(510)), "secret");
    let run = repo.git(&["push", "-q", url.to_str().unwrap(), "main:refs/heads/byurl2"]);
    push_blocked(&run, "bad.txt:1:1");
    assert!(
        !run.stderr.contains("old.txt"),
        "already on the remote:\n{}",
        run.stderr
    );
}

#[test]
fn merges_report_the_resolution_not_a_branch_the_remote_has() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo_with_origin();
    repo.commit_unchecked("shared.txt", "base\n", "base");
    repo.git(&["push", "-q", "origin", "main"]).ok();
    repo.git(&["checkout", "-q", "-b", "feature"]).ok();
    repo.commit_unchecked(
        "feature.txt",
        format!("{}\n", fake::github_pat(511)),
        "feature (already public)",
    );
    repo.commit_unchecked("shared.txt", "feature side\n", "feature edit");
    repo.git(&["push", "-q", "--no-verify", "origin", "feature"]).ok();
    repo.git(&["checkout", "-q", "main"]).ok();
    repo.commit_unchecked("shared.txt", "main side\n", "main edit");
    assert_ne!(repo.git(&["merge", "-q", "feature"]).code, 0);
    repo.stage("shared.txt", "resolved\n");
    repo.git(&["commit", "-q", "--no-edit"]).ok();
    repo.git(&["push", "-q", "origin", "main"]).ok();

    repo.git(&["checkout", "-q", "-b", "second", "main~1"]).ok();
    repo.git(&["merge", "-q", "--no-edit", "--no-verify", "feature"])
        .code(1);
    repo.stage("shared.txt", format!("resolved {}\n", fake::github_pat(512)));
    repo.git(&["commit", "-q", "--no-edit", "--no-verify"]).ok();
    let run = repo.git(&["push", "-q", "origin", "second"]);
    push_blocked(&run, "shared.txt:1:10");
    assert!(!run.stderr.contains("feature.txt"), "{}", run.stderr);
}

#[test]
fn skip_variables_and_no_verify_bypass_the_push_check() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo_with_origin();
    repo.commit_unchecked("k.txt", format!("{}\n", fake::github_pat(520)), "secret");
    let stderr = repo
        .git_env(&[("SEALANT_SKIP", "1")], &["push", "-q", "origin", "main"])
        .ok()
        .stderr;
    assert!(stderr.contains("secret scan skipped for this push"), "{stderr}");
}

#[test]
fn a_chained_pre_push_hook_gets_the_same_input() {
    let sb = Sandbox::new();
    let bare = sb.bare_remote("remote.git");
    let repo = sb.repo("r");
    let hook = repo.path.join(".git/hooks/pre-push");
    let log = sb.root().join("pre-push.log");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\necho \"$1 $2\" > '{}'\ncat >> '{}'\n",
            log.display(),
            log.display()
        ),
    )
    .unwrap();
    make_executable(&hook);
    repo.sealant(&["install", "--repo"]).ok();
    repo.stage("a.txt", "clean\n");
    repo.commit("clean").ok();
    repo.git(&["remote", "add", "origin", bare.to_str().unwrap()]).ok();
    repo.git(&["push", "-q", "origin", "main"]).ok();
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.starts_with(&format!("origin {}\n", bare.display())), "{logged}");
    assert!(
        logged.contains(&format!(
            "refs/heads/main {} refs/heads/main {}",
            repo.head(),
            "0".repeat(40)
        )),
        "{logged}"
    );
}

#[test]
fn a_very_long_push_is_capped_with_a_clear_message() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo_with_origin();
    repo.commit_unchecked(
        "old.txt",
        format!("{}\n", fake::github_pat(530)),
        "oldest new commit, with a key",
    );
    for i in 0..6 {
        repo.commit_unchecked(&format!("f{i}.txt"), format!("clean {i}\n"), &format!("clean {i}"));
    }
    let run = repo.git_env(&[("SEALANT_MAX_PUSH_COMMITS", "5")], &["push", "-q", "origin", "main"]);
    let stderr = &run.stderr;
    assert!(
        stderr.contains("this push publishes 7 commits; the newest 5 were scanned"),
        "{stderr}"
    );
    assert!(stderr.contains("sealant scan --range"), "{stderr}");
    assert_eq!(run.code, 0, "the key is beyond the cap: {stderr}");
    repo.commit_unchecked("new.txt", format!("{}\n", fake::github_pat(531)), "newest, with a key");
    push_blocked(&repo.git(&["push", "-q", "origin", "main"]), "new.txt:1:1");
}
