//! `sealant scan PATH...`: whole files, .gitignore honoured, hidden files included.

use crate::support::{Sandbox, fake};

#[test]
fn directories_honour_gitignore_and_include_dotfiles() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    repo.write(".gitignore", "build/\n");
    repo.write("build/out.txt", format!("{}\n", fake::github_pat(400)));
    repo.write(".env", format!("GITHUB_TOKEN={}\n", fake::github_pat(401)));
    repo.write("src/ok.py", "print('fine')\n");
    let run = repo.sealant(&["scan", "--format", "json"]).code(1);
    let paths = run.finding_paths();
    assert_eq!(paths, [".env"]);
}

#[test]
fn files_and_paths_from_a_subdirectory_are_reported_from_the_repository_root() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    repo.write("pkg/a.txt", format!("{}\n", fake::github_pat(402)));
    repo.write(".sealant.toml", "[[allowlist]]\npaths = [\"pkg/allowed.txt\"]\n");
    repo.write("pkg/allowed.txt", format!("{}\n", fake::github_pat(403)));
    let out = sb
        .cmd(crate::support::SEALANT)
        .current_dir(repo.path.join("pkg"))
        .args(["scan", "--format", "json", "a.txt", "allowed.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), 1);
    assert_eq!(doc["findings"][0]["path"], "pkg/a.txt");
}

#[test]
fn a_missing_path_is_an_error() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let run = repo.sealant(&["scan", "nope.txt"]).code(2);
    assert!(run.stderr.contains("nope.txt"), "{}", run.stderr);
}
