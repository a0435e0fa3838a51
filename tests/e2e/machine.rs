//! `sealant install` for the whole machine (git < 2.54: a global core.hooksPath of
//! dispatchers), `sealant uninstall`, and `sealant doctor`: every repository is guarded —
//! existing ones, new clones, worktrees, submodules — and every hook that was there still runs.

use crate::support::{Repo, Run, Sandbox, fake, make_executable};

fn global(sb: &Sandbox, key: &str) -> Option<String> {
    let out = sb
        .cmd("git")
        .args(["config", "--global", "--get", key])
        .output()
        .unwrap();
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn sealant_at(sb: &Sandbox, dir: &std::path::Path, args: &[&str]) -> Run {
    Run::from_output(
        sb.cmd(crate::support::SEALANT)
            .current_dir(dir)
            .args(args)
            .output()
            .unwrap(),
    )
}

fn git_version(sb: &Sandbox) -> (u32, u32) {
    let out = sb.cmd("git").arg("--version").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let v: Vec<u32> = text
        .split_whitespace()
        .nth(2)
        .unwrap()
        .split('.')
        .take(2)
        .map(|p| p.parse().unwrap_or(0))
        .collect();
    (v[0], v[1])
}

#[track_caller]
fn blocked(run: &Run) {
    assert_eq!(run.code, 1, "expected a block\n{}", run.all());
    assert!(run.stderr.contains("blocked"), "{}", run.stderr);
}

#[test]
fn one_install_guards_existing_repos_clones_worktrees_and_submodules() {
    let sb = Sandbox::new();
    if git_version(&sb) >= (2, 54) {
        return; // config-hook mode is covered by config_based_hooks_on_new_git
    }
    // An existing repository with its own hook, made before sealant is installed.
    let repo = sb.repo("existing");
    let own = repo.path.join(".git/hooks/pre-commit");
    std::fs::write(&own, "#!/bin/sh\necho 'team hook ran' >&2\n").unwrap();
    make_executable(&own);
    repo.stage("README.md", "# hi\n");
    repo.commit("init").ok();

    let run = sealant_at(&sb, sb.root(), &["install"]).ok();
    assert!(run.stderr.contains("core.hooksPath"), "{}", run.stderr);
    assert_eq!(
        global(&sb, "core.hooksPath"),
        Some(sb.root().join("data/hooks").to_string_lossy().into_owned())
    );

    repo.stage("a.txt", format!("{}\n", fake::github_pat(600)));
    let run = repo.commit("secret");
    blocked(&run);
    assert!(
        run.stderr.contains("team hook ran"),
        "the repository's own hook still runs:\n{}",
        run.stderr
    );
    repo.stage("a.txt", "clean now\n");
    let ok = repo.commit("clean").ok();
    assert!(ok.stderr.contains("team hook ran"), "{}", ok.stderr);

    // A new clone.
    let clone = sb.root().join("clone");
    sb.cmd("git")
        .args(["clone", "-q", repo.path.to_str().unwrap(), clone.to_str().unwrap()])
        .output()
        .unwrap();
    let clone = Repo {
        sandbox: &sb,
        path: clone,
    };
    clone.stage("c.txt", format!("{}\n", fake::github_pat(601)));
    blocked(&clone.commit("secret in a clone"));

    // A linked worktree.
    let wt = sb.root().join("wt");
    repo.git(&["worktree", "add", "-q", "-b", "side", wt.to_str().unwrap()])
        .ok();
    let wt = Repo { sandbox: &sb, path: wt };
    wt.stage("w.txt", format!("{}\n", fake::github_pat(602)));
    blocked(&wt.commit("secret in a worktree"));

    // A submodule.
    let sup = sb.repo("super");
    sup.stage("x.txt", "x\n");
    sup.commit("init").ok();
    sup.git(&["submodule", "add", "-q", repo.path.to_str().unwrap(), "sub"])
        .ok();
    sup.commit("add submodule").ok();
    let sub = Repo {
        sandbox: &sb,
        path: sup.path.join("sub"),
    };
    sub.stage("s.txt", format!("{}\n", fake::github_pat(603)));
    blocked(&sub.commit("secret in a submodule"));

    // A second install changes nothing.
    let again = sealant_at(&sb, sb.root(), &["install"]).ok();
    assert!(again.stderr.contains("already installed"), "{}", again.stderr);

    // Doctor: active here.
    let doctor = sealant_at(&sb, &repo.path, &["doctor"]).ok();
    assert!(doctor.stderr.contains("protection is active"), "{}", doctor.stderr);
}

#[test]
fn a_previous_global_hooks_path_is_chained_and_restored_on_uninstall() {
    let sb = Sandbox::new();
    if git_version(&sb) >= (2, 54) {
        return;
    }
    let mine = sb.root().join("home/.githooks");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("pre-commit"), "#!/bin/sh\necho 'global hook ran' >&2\n").unwrap();
    make_executable(&mine.join("pre-commit"));
    let out = sb
        .cmd("git")
        .args(["config", "--global", "core.hooksPath", mine.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    std::fs::write(
        sb.root().join("home/.gitconfig.before"),
        std::fs::read(sb.root().join("home/.gitconfig")).unwrap(),
    )
    .unwrap();

    sealant_at(&sb, sb.root(), &["install"]).ok();
    let repo = sb.repo("r");
    repo.stage("a.txt", "clean\n");
    let run = repo.commit("clean").ok();
    assert!(run.stderr.contains("global hook ran"), "{}", run.stderr);
    repo.stage("b.txt", format!("{}\n", fake::github_pat(610)));
    blocked(&repo.commit("secret"));

    let undo = sealant_at(&sb, sb.root(), &["uninstall"]).ok();
    assert!(undo.stderr.contains("restored core.hooksPath"), "{}", undo.stderr);
    assert_eq!(global(&sb, "core.hooksPath").as_deref(), Some(mine.to_str().unwrap()));
    assert!(!sb.root().join("data/hooks/pre-commit").exists());
    assert!(!sb.root().join("data/install.toml").exists());
    let run = repo.commit("no longer guarded").ok();
    assert!(run.stderr.contains("global hook ran"), "{}", run.stderr);
}

#[test]
fn doctor_explains_a_repository_that_bypasses_the_machine_install() {
    let sb = Sandbox::new();
    if git_version(&sb) >= (2, 54) {
        return;
    }
    sealant_at(&sb, sb.root(), &["install"]).ok();
    let repo = sb.repo("husky");
    repo.git(&["config", "core.hooksPath", ".husky/_"]).ok();
    let run = sealant_at(&sb, &repo.path, &["doctor"]).code(1);
    assert!(run.stderr.contains("sets its own core.hooksPath"), "{}", run.stderr);
    assert!(run.stderr.contains("NOT active"), "{}", run.stderr);
    sealant_at(&sb, &repo.path, &["install", "--repo"]).ok();
    let run = sealant_at(&sb, &repo.path, &["doctor"]);
    assert!(run.stderr.contains("pre-commit: sealant runs"), "{}", run.stderr);
}

#[test]
fn doctor_fails_where_nothing_is_installed() {
    let sb = Sandbox::new();
    let repo = sb.repo("bare-hooks");
    let run = sealant_at(&sb, &repo.path, &["doctor"]).code(1);
    assert!(run.stderr.contains("no pre-commit hook"), "{}", run.stderr);
}

#[test]
fn per_repo_uninstall_restores_the_chained_hook_byte_for_byte() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let hook = repo.path.join(".git/hooks/pre-push");
    let original = b"#!/bin/sh\n# the team's push hook\nexit 0\n";
    std::fs::write(&hook, original).unwrap();
    make_executable(&hook);
    repo.sealant(&["install", "--repo"]).ok();
    assert_eq!(
        std::fs::read(repo.path.join(".git/hooks/pre-push.pre-sealant")).unwrap(),
        original
    );
    let run = repo.sealant(&["uninstall", "--repo"]).ok();
    assert!(run.stderr.contains("restored"), "{}", run.stderr);
    assert_eq!(std::fs::read(&hook).unwrap(), original);
    assert!(!repo.path.join(".git/hooks/pre-commit").exists());
    assert!(!repo.path.join(".git/hooks/pre-push.pre-sealant").exists());
}

#[test]
fn config_based_hooks_on_new_git() {
    let sb = Sandbox::new();
    if git_version(&sb) < (2, 54) {
        eprintln!(
            "skipped: config-based hooks need git >= 2.54; this machine has {:?}",
            git_version(&sb)
        );
        return;
    }
    sealant_at(&sb, sb.root(), &["install"]).ok();
    assert!(global(&sb, "hook.sealant-pre-commit.command").is_some());
    let repo = sb.repo("r");
    repo.stage("a.txt", format!("{}\n", fake::github_pat(620)));
    blocked(&repo.commit("secret"));
    sealant_at(&sb, sb.root(), &["uninstall"]).ok();
    assert!(global(&sb, "hook.sealant-pre-commit.command").is_none());
}

#[test]
fn a_repository_hook_that_is_sealant_itself_does_not_scan_twice() {
    let sb = Sandbox::new();
    if git_version(&sb) >= (2, 54) {
        return;
    }
    let repo = sb.repo("r");
    repo.sealant(&["install", "--repo"]).ok();
    sealant_at(&sb, sb.root(), &["install"]).ok();
    repo.stage("a.txt", format!("{}\n", fake::github_pat(630)));
    let run = repo.commit("secret");
    blocked(&run);
    assert_eq!(run.stderr.matches("commit blocked").count(), 1, "{}", run.stderr);
}

#[test]
fn without_the_binary_machine_dispatchers_still_run_repository_hooks() {
    let sb = Sandbox::new();
    if git_version(&sb) >= (2, 54) {
        return;
    }
    sealant_at(&sb, sb.root(), &["install"]).ok();
    let repo = sb.repo("r");
    let own = repo.path.join(".git/hooks/pre-commit");
    std::fs::write(&own, "#!/bin/sh\necho 'team hook ran' >&2\n").unwrap();
    make_executable(&own);
    Repo::break_binary_path(&sb.root().join("data/hooks/pre-commit"));
    repo.stage("a.txt", "clean\n");
    let stderr = repo
        .git_env(&[("PATH", "/usr/bin:/bin")], &["commit", "-q", "-m", "x"])
        .ok()
        .stderr;
    assert!(
        stderr.contains("binary not found") && stderr.contains("team hook ran"),
        "{stderr}"
    );
}

/// A small notebook whose one code cell has run and printed.
fn dirty_notebook() -> String {
    r#"{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": 3,
   "id": "1",
   "metadata": {},
   "outputs": [
    {
     "name": "stdout",
     "output_type": "stream",
     "text": [
      "42\n"
     ]
    }
   ],
   "source": [
    "print(42)"
   ]
  }
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
"#
    .to_owned()
}

fn staged_blob(repo: &Repo<'_>, path: &str) -> String {
    repo.git(&["show", &format!(":{path}")]).ok().stdout
}

#[test]
fn the_notebook_filter_is_wired_per_repo_and_per_machine_and_unwired_exactly() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    repo.sealant(&["install", "--repo", "--notebook-filter"]).ok();
    let attributes = repo.path.join(".git/info/attributes");
    assert!(
        std::fs::read_to_string(&attributes)
            .unwrap()
            .contains("*.ipynb filter=sealant")
    );
    repo.write("nb.ipynb", dirty_notebook());
    repo.git(&["add", "nb.ipynb"]).ok();
    let staged = staged_blob(&repo, "nb.ipynb");
    assert!(
        !staged.contains("\"outputs\": [\n    {"),
        "outputs never reach the index:\n{staged}"
    );
    assert!(staged.contains("\"execution_count\": null"), "{staged}");
    assert!(
        std::fs::read_to_string(repo.path.join("nb.ipynb"))
            .unwrap()
            .contains("42"),
        "the working copy keeps them"
    );
    repo.commit("clean notebook through the filter").ok();
    repo.sealant(&["uninstall", "--repo"]).ok();
    assert!(!std::fs::read_to_string(&attributes).unwrap().contains("filter=sealant"));
    assert!(repo.git(&["config", "--get", "filter.sealant.process"]).code != 0);

    if git_version(&sb) >= (2, 54) {
        return;
    }
    sealant_at(&sb, sb.root(), &["install", "--notebook-filter"]).ok();
    let global_attributes = sb.root().join("home/.config/git/attributes");
    assert!(
        std::fs::read_to_string(&global_attributes)
            .unwrap()
            .contains("*.ipynb filter=sealant")
    );
    let other = sb.repo("other");
    other.write("nb.ipynb", dirty_notebook());
    other.git(&["add", "nb.ipynb"]).ok();
    assert!(staged_blob(&other, "nb.ipynb").contains("\"execution_count\": null"));
    sealant_at(&sb, sb.root(), &["uninstall"]).ok();
    assert!(
        !std::fs::read_to_string(&global_attributes)
            .unwrap()
            .contains("filter=sealant")
    );
    assert_eq!(global(&sb, "filter.sealant.process"), None);
}
