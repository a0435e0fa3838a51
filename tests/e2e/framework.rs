//! The pre-commit framework, for real: `pre-commit` from PyPI (installed by `.ci/run` and
//! named by `SEALANT_PRE_COMMIT`) reads this repository's `.pre-commit-hooks.yaml` at its
//! current commit and runs `sealant-system` and `sealant-notebooks` on `git commit`.

use std::path::{Path, PathBuf};

use crate::support::{SEALANT, Sandbox, fake};

/// The pre-commit executable, if this run has one.
fn pre_commit() -> Option<PathBuf> {
    let path = PathBuf::from(std::env::var_os("SEALANT_PRE_COMMIT")?);
    path.is_file().then_some(path)
}

#[test]
fn the_framework_runs_sealant_from_this_repositorys_hook_definitions() {
    let Some(pre_commit) = pre_commit() else {
        eprintln!("skipped: set SEALANT_PRE_COMMIT to a pre-commit executable (.ci/run does) to run this test");
        return;
    };
    let this_repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sb = Sandbox::new();
    let head = sb
        .cmd("git")
        .arg("-C")
        .arg(this_repo)
        .args(["rev-parse", "HEAD"])
        .output()
        .unwrap();
    let rev = String::from_utf8_lossy(&head.stdout).trim().to_owned();
    let repo = sb.repo("r");
    repo.write(
        ".pre-commit-config.yaml",
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: sealant-system\n      - id: sealant-notebooks\n",
            this_repo.display()
        ),
    );
    repo.git(&["add", ".pre-commit-config.yaml"]).ok();
    let bin_dir = Path::new(SEALANT).parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let run = |args: &[&str]| {
        let out = sb
            .cmd(&pre_commit)
            .current_dir(&repo.path)
            .env("PATH", &path)
            .args(args)
            .output()
            .unwrap();
        crate::support::Run::from_output(out)
    };
    run(&["install"]).ok();
    let commit = |message: &str| {
        crate::support::Run::from_output(
            sb.cmd("git")
                .current_dir(&repo.path)
                .env("PATH", &path)
                .args(["commit", "-q", "-m", message])
                .output()
                .unwrap(),
        )
    };
    repo.write("a.txt", "clean\n");
    repo.git(&["add", "a.txt"]).ok();
    commit("clean").ok();

    repo.write("b.txt", format!("{}\n", fake::github_pat(900)));
    repo.git(&["add", "b.txt"]).ok();
    let blocked = commit("secret");
    assert_ne!(blocked.code, 0, "{}", blocked.all());
    assert!(blocked.all().contains("error[github-pat]"), "{}", blocked.all());
}
