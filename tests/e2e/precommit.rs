//! `git commit` through the installed hook: only what the commit adds is scanned, in every
//! way git can hand a hook its index.

use crate::support::{Sandbox, fake};

fn blocked(run: &crate::support::Run, path_line: &str) {
    assert_eq!(run.code, 1, "commit should be blocked\n{}", run.all());
    assert!(run.stderr.contains("commit blocked"), "{}", run.stderr);
    assert!(
        run.stderr.contains(path_line),
        "expected {path_line} in\n{}",
        run.stderr
    );
}

#[test]
fn a_staged_secret_blocks_the_commit_and_is_never_printed_whole() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let before = repo.head();
    let token = fake::github_pat(1);
    repo.stage("deploy/config.py", format!("import os\n\nGITHUB_TOKEN = \"{token}\"\n"));
    let run = repo.commit("add config");
    blocked(&run, "deploy/config.py:3:17");
    assert!(
        run.stderr.contains("error[github-pat]") || run.stderr.contains("error[github"),
        "{}",
        run.stderr
    );
    assert!(
        !run.all().contains(&token),
        "the secret leaked into the output:\n{}",
        run.all()
    );
    assert!(run.stderr.contains("(redacted)"), "{}", run.stderr);
    assert!(run.stderr.contains("git commit --no-verify"), "{}", run.stderr);
    assert_eq!(repo.head(), before, "no commit may be created");
}

#[test]
fn a_clean_commit_passes_silently() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.stage("src/app.py", "print('hello')\napi_key = os.environ['API_KEY']\n");
    let run = repo.commit("clean").ok();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn lines_already_in_head_are_not_reported_again() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.commit_unchecked(
        "old.py",
        format!("a = 1\nTOKEN = '{}'\nb = 2\n", fake::github_pat(2)),
        "legacy",
    );
    repo.stage("old.py", format!("a = 1\nTOKEN = '{}'\nb = 3\n", fake::github_pat(2)));
    repo.commit("touch another line").ok();
}

#[test]
fn the_first_commit_is_scanned_against_the_empty_tree() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    repo.sealant(&["install", "--repo"]).ok();
    repo.stage("a.txt", format!("{}\n", fake::github_pat(3)));
    blocked(&repo.commit("first"), "a.txt:1:1");
    assert_eq!(repo.head(), "");
}

#[test]
fn commit_all_scans_the_index_git_is_building() {
    // git runs the hook with GIT_INDEX_FILE=.git/index.lock holding the tracked changes;
    // the real index does not have them yet.
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.commit_unchecked("app.py", "x = 1\n", "app");
    repo.write("app.py", format!("x = 1\nkey = '{}'\n", fake::github_pat(4)));
    let run = repo.git(&["commit", "-q", "-a", "-m", "all"]);
    blocked(&run, "app.py:2:8");
}

#[test]
fn commit_with_paths_scans_only_those_paths() {
    // `git commit <paths>` builds a temporary index of HEAD plus the named paths.
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.commit_unchecked("clean.txt", "one\n", "clean");
    repo.commit_unchecked("dirty.txt", "one\n", "dirty");
    repo.stage("staged-secret.txt", format!("{}\n", fake::github_pat(5)));
    repo.write("clean.txt", "one\ntwo\n");
    repo.git(&["commit", "-q", "-m", "only clean", "--", "clean.txt"]).ok();

    repo.write("dirty.txt", format!("one\n{}\n", fake::github_pat(6)));
    let run = repo.git(&["commit", "-q", "-m", "only dirty", "--", "dirty.txt"]);
    blocked(&run, "dirty.txt:2:1");
    assert!(
        !run.stderr.contains("staged-secret.txt"),
        "not part of this commit:\n{}",
        run.stderr
    );
}

#[test]
fn a_commit_from_a_subdirectory_reports_paths_from_the_root() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.stage("pkg/sub/key.txt", format!("{}\n", fake::github_pat(7)));
    let run = repo.git_in(&repo.path.join("pkg/sub"), &["commit", "-q", "-m", "sub"]);
    blocked(&run, "pkg/sub/key.txt:1:1");
}

#[test]
fn partial_staging_is_respected() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let body: String = (0..30).map(|i| format!("line {i}\n")).collect();
    repo.commit_unchecked("f.txt", &body, "base");
    // Work tree: a clean edit at the top, a secret at the bottom; stage only the top hunk.
    let edited = body.replacen("line 0\n", "line zero\n", 1) + &format!("{}\n", fake::github_pat(8));
    repo.write("f.txt", &edited);
    let staged_only_top = body.replacen("line 0\n", "line zero\n", 1);
    let id = repo.hash_object(&staged_only_top);
    repo.git(&["update-index", "--cacheinfo", &format!("100644,{id},f.txt")])
        .ok();
    repo.commit("top only").ok();

    // The reverse: a secret staged, then removed from the work tree, is still committed.
    repo.stage("g.txt", format!("{}\n", fake::github_pat(9)));
    repo.write("g.txt", "nothing here\n");
    blocked(&repo.commit("staged secret"), "g.txt:1:1");
}

/// `git mv`, creating the target directory first (git does not).
fn mv(repo: &crate::support::Repo<'_>, from: &str, to: &str) {
    let dir = std::path::Path::new(to).parent().expect("a directory");
    std::fs::create_dir_all(repo.path.join(dir)).unwrap();
    repo.git(&["mv", from, to]).ok();
}

#[test]
fn renames_scan_only_edited_lines() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let body: String =
        (0..20).map(|i| format!("value {i}\n")).collect::<String>() + &format!("{}\n", fake::github_pat(10));
    repo.commit_unchecked("old/name.txt", &body, "legacy secret");
    mv(&repo, "old/name.txt", "new/name.txt");
    repo.commit("pure rename").ok();

    mv(&repo, "new/name.txt", "newer/name.txt");
    repo.stage("newer/name.txt", body.clone() + "one more clean line\n");
    repo.commit("rename with a clean edit").ok();

    mv(&repo, "newer/name.txt", "final/name.txt");
    repo.stage("final/name.txt", format!("{body}{}\n", fake::github_pat(11)));
    blocked(&repo.commit("rename adding a secret"), "final/name.txt:22:1");
}

#[test]
fn deletions_and_mode_changes_add_nothing() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.commit_unchecked(
        "tool.sh",
        format!("#!/bin/sh\necho {}\n", fake::github_pat(12)),
        "legacy",
    );
    repo.commit_unchecked("gone.txt", format!("{}\n", fake::github_pat(13)), "legacy");
    repo.git(&["update-index", "--chmod=+x", "tool.sh"]).ok();
    repo.git(&["rm", "-q", "gone.txt"]).ok();
    repo.commit("chmod and delete").ok();
}

#[cfg(unix)]
#[test]
fn symlinks_are_scanned_as_their_target_string_and_never_followed() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let outside = sb.root().join("outside.txt");
    std::fs::write(&outside, format!("{}\n", fake::github_pat(14))).unwrap();
    std::os::unix::fs::symlink(&outside, repo.path.join("link")).unwrap();
    repo.git(&["add", "link"]).ok();
    repo.commit("link to a file holding a secret").ok();

    std::os::unix::fs::symlink(fake::github_pat(15), repo.path.join("odd-link")).unwrap();
    repo.git(&["add", "odd-link"]).ok();
    blocked(&repo.commit("link whose target is a secret"), "odd-link:1:1");
}

#[test]
fn submodules_are_skipped() {
    let sb = Sandbox::new();
    let inner = sb.repo("inner");
    inner.commit_unchecked("secret.txt", format!("{}\n", fake::github_pat(16)), "inner secret");
    let repo = sb.guarded_repo("r");
    repo.git(&["submodule", "add", "-q", inner.path.to_str().unwrap(), "vendor/inner"])
        .ok();
    repo.commit("add submodule").ok();
}

#[test]
fn binary_blobs_and_lfs_pointers_are_skipped() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let mut binary = b"\x89PNG\r\n\x1a\n\0\0\0".to_vec();
    binary.extend_from_slice(fake::github_pat(17).as_bytes());
    repo.stage("image.png", binary);
    let pointer = format!(
        "version https://git-lfs.github.com/spec/v1\noid sha256:{}\nsize 1234\n",
        "4d7a2146".repeat(8)
    );
    repo.stage("model.bin", pointer);
    repo.commit("binary and lfs").ok();
}

#[test]
fn crlf_and_non_utf8_text_is_scanned() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.stage(
        "win.txt",
        format!("first\r\nsecond\r\ntoken={}\r\n", fake::github_pat(18)),
    );
    blocked(&repo.commit("crlf"), "win.txt:3:7");
    repo.git(&["reset", "-q"]).ok();
    let mut latin1 = b"caf\xe9 = 1\n".to_vec();
    latin1.extend_from_slice(format!("k = \"{}\"\n", fake::github_pat(19)).as_bytes());
    repo.git(&["rm", "-q", "--cached", "--ignore-unmatch", "win.txt"]).ok();
    std::fs::remove_file(repo.path.join("win.txt")).unwrap();
    repo.stage("latin1.txt", latin1);
    blocked(&repo.commit("latin-1"), "latin1.txt:2:6");
}

#[test]
fn intent_to_add_entries_are_not_committed_so_not_reported() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.write("later.txt", format!("{}\n", fake::github_pat(20)));
    repo.git(&["add", "-N", "later.txt"]).ok();
    repo.stage("now.txt", "clean\n");
    repo.commit("with an intent-to-add entry").ok();
    let tree = repo.git(&["ls-tree", "-r", "--name-only", "HEAD"]).ok();
    assert!(
        !tree.stdout.contains("later.txt"),
        "git does not commit intent-to-add entries"
    );
}

#[test]
fn a_merge_reports_the_resolution_not_the_incoming_branch() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.commit_unchecked("shared.txt", "base\n", "base");
    repo.git(&["checkout", "-q", "-b", "feature"]).ok();
    repo.commit_unchecked(
        "feature.txt",
        format!("{}\n", fake::github_pat(21)),
        "feature secret (pushed long ago)",
    );
    repo.commit_unchecked("shared.txt", "feature side\n", "feature edit");
    repo.git(&["checkout", "-q", "main"]).ok();
    repo.commit_unchecked("shared.txt", "main side\n", "main edit");
    let merge = repo.git(&["merge", "-q", "--no-edit", "feature"]);
    assert_ne!(merge.code, 0, "the merge must conflict: {}", merge.all());

    repo.stage("shared.txt", format!("resolved\n{}\n", fake::github_pat(22)));
    let run = repo.git(&["commit", "-q", "--no-edit"]);
    blocked(&run, "shared.txt:2:1");
    assert!(
        !run.stderr.contains("feature.txt"),
        "incoming lines must not be re-flagged:\n{}",
        run.stderr
    );

    repo.stage("shared.txt", "resolved\n");
    repo.git(&["commit", "-q", "--no-edit"]).ok();
}

#[test]
fn a_pem_key_added_in_one_hunk_is_one_finding() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.stage("deploy/key.pem", fake::rsa_private_key(23, 12));
    let run = repo.commit("key");
    blocked(&run, "deploy/key.pem:1:1");
    assert!(run.stderr.contains("1 secret in staged changes"), "{}", run.stderr);
}

#[test]
fn linked_worktrees_use_the_common_hooks_and_their_own_index() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let wt = sb.root().join("wt");
    repo.git(&["worktree", "add", "-q", "-b", "side", wt.to_str().unwrap()])
        .ok();
    // Installing from inside the worktree targets the common dir: it is a no-op here.
    let install = crate::support::Run::from_output(
        sb.cmd(crate::support::SEALANT)
            .current_dir(&wt)
            .args(["install", "--repo"])
            .output()
            .unwrap(),
    );
    assert!(install.stderr.contains("up to date"), "{}", install.all());
    std::fs::write(wt.join("wt.txt"), format!("{}\n", fake::github_pat(24))).unwrap();
    repo.git_in(&wt, &["add", "wt.txt"]).ok();
    let run = repo.git_in(&wt, &["commit", "-q", "-m", "in worktree"]);
    blocked(&run, "wt.txt:1:1");
}

#[test]
fn the_hook_never_writes_the_index() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.stage("a.txt", "clean\n");
    let index = repo.path.join(".git/index");
    let before = std::fs::read(&index).unwrap();
    let modified = std::fs::metadata(&index).unwrap().modified().unwrap();
    // A held lock (as during `commit -a`) must not matter to a reader.
    std::fs::write(repo.path.join(".git/index.lock"), b"").unwrap();
    repo.sealant(&["pre-commit"]).ok();
    std::fs::remove_file(repo.path.join(".git/index.lock")).unwrap();
    assert_eq!(std::fs::read(&index).unwrap(), before);
    assert_eq!(std::fs::metadata(&index).unwrap().modified().unwrap(), modified);
}

#[test]
fn a_separate_git_dir_and_an_explicit_git_dir_are_honoured() {
    let sb = Sandbox::new();
    let work = sb.root().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let out = sb
        .cmd("git")
        .current_dir(&work)
        .args([
            "init",
            "-q",
            "--separate-git-dir",
            sb.root().join("store.git").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let repo = crate::support::Repo {
        sandbox: &sb,
        path: work.clone(),
    };
    repo.sealant(&["install", "--repo"]).ok();
    assert!(
        sb.root().join("store.git/hooks/pre-commit").is_file(),
        "hooks live in the real git dir"
    );
    repo.stage("a.txt", format!("{}\n", fake::github_pat(30)));
    blocked(&repo.commit("separate git dir"), "a.txt:1:1");

    // GIT_DIR and GIT_WORK_TREE given explicitly, from an unrelated directory.
    let elsewhere = sb.root().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let out = sb
        .cmd("git")
        .current_dir(&elsewhere)
        .env("GIT_DIR", sb.root().join("store.git"))
        .env("GIT_WORK_TREE", &work)
        .args(["commit", "-q", "-m", "explicit"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a.txt:1:1"));
}

#[test]
fn amend_scans_only_what_the_amend_adds() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.commit_unchecked("a.txt", format!("{}\n", fake::github_pat(31)), "made with --no-verify");
    repo.stage("b.txt", "clean\n");
    repo.git(&["commit", "-q", "--amend", "--no-edit"]).ok();
    repo.stage("c.txt", format!("{}\n", fake::github_pat(32)));
    blocked(&repo.git(&["commit", "-q", "--amend", "--no-edit"]), "c.txt:1:1");
}

#[test]
fn conflicted_entries_are_skipped_while_resolved_ones_are_scanned() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.commit_unchecked("both.txt", "base\n", "base");
    repo.git(&["checkout", "-q", "-b", "other"]).ok();
    repo.commit_unchecked("both.txt", format!("theirs {}\n", fake::github_pat(40)), "theirs");
    repo.git(&["checkout", "-q", "main"]).ok();
    repo.commit_unchecked("both.txt", "ours\n", "ours");
    assert_ne!(repo.git(&["merge", "-q", "other"]).code, 0, "must conflict");
    repo.stage("resolved.txt", format!("{}\n", fake::github_pat(41)));
    let run = repo.sealant(&["scan", "--staged", "--format", "json"]).code(1);
    let paths = run.finding_paths();
    assert_eq!(
        paths,
        ["resolved.txt"],
        "the conflicted both.txt is not part of any commit yet"
    );
}

#[test]
fn a_sensitive_file_is_reported_once_per_file_not_once_per_hunk() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo_with_origin();
    let lines: Vec<String> = (1..=30).map(|n| format!("SETTING_{n}=value{n}")).collect();
    repo.commit_unchecked("deploy/.env", lines.join("\n") + "\n", "an env file");
    let mut edited = lines.clone();
    edited[0] = "SETTING_1=changed".into();
    edited[29] = "SETTING_30=changed".into();
    repo.stage("deploy/.env", edited.join("\n") + "\n");
    let run = repo.sealant(&["scan", "--staged", "--format", "json"]).code(1);
    assert_eq!(
        run.finding_paths(),
        ["deploy/.env"],
        "two hunks, one finding: {}",
        run.stdout
    );
    repo.git_env(&[("SEALANT_SKIP", "1")], &["commit", "-q", "-m", "two hunks"])
        .ok();
    let pushed = repo.git(&["push", "origin", "main"]);
    assert_eq!(pushed.code, 1);
    assert_eq!(
        pushed.stderr.matches("deploy/.env:").count(),
        2,
        "once per commit that adds it (the first commit and the edit): {}",
        pushed.stderr
    );
    // A secret in one hunk is the finding; the file needs no second report.
    edited[15] = format!("GITHUB_TOKEN={}", fake::github_pat(900));
    repo.stage("deploy/.env", edited.join("\n") + "\n");
    let run = repo.sealant(&["scan", "--staged", "--format", "json"]).code(1);
    let doc = run.json();
    let rules: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["github-pat"], "{}", run.stdout);
}
