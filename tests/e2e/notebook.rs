//! Notebooks through real `git commit`: outputs block the commit (or are stripped in the
//! index, or kept out by the clean filter), partial staging is respected, and secrets are
//! found cell by cell in sources and outputs.

use serde_json::{Value, json};

use crate::support::{Repo, SEALANT, Sandbox, fake};

/// Lines with their endings, as nbformat stores multi-line strings.
fn lines(text: &str) -> Value {
    Value::Array(text.split_inclusive('\n').map(|l| json!(l)).collect())
}

/// A v4.5 notebook with one markdown cell and one code cell whose stdout is `stdout`
/// (`None`: a clean notebook), written as nbstripout writes (sorted keys, one-space indent),
/// so the clean one is exactly what stripping the dirty one gives.
fn notebook(source: &str, stdout: Option<&str>) -> String {
    let (outputs, count) = match stdout {
        Some(text) => (
            json!([{"name": "stdout", "output_type": "stream", "text": lines(text)}]),
            json!(1),
        ),
        None => (json!([]), Value::Null),
    };
    let nb = json!({
        "cells": [
            {"cell_type": "markdown", "id": "0", "metadata": {}, "source": ["# Analysis"]},
            {"cell_type": "code", "execution_count": count, "id": "1", "metadata": {}, "outputs": outputs,
             "source": lines(source)}
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5
    });
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    serde::Serialize::serialize(&nb, &mut serializer).expect("json");
    out.push(b'\n');
    String::from_utf8(out).expect("utf-8")
}

/// What `sealant strip` makes of `text`.
fn stripped(repo: &Repo<'_>, text: &str) -> String {
    repo.write("scratch.ipynb", text);
    let run = repo.sealant(&["strip", "--textconv", "scratch.ipynb"]).ok();
    std::fs::remove_file(repo.path.join("scratch.ipynb")).expect("remove scratch");
    run.stdout
}

fn head_blob(repo: &Repo<'_>, path: &str) -> String {
    repo.git(&["show", &format!("HEAD:{path}")]).ok().stdout
}

#[test]
fn a_notebook_with_outputs_blocks_the_commit_and_says_how_to_fix_it() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let before = repo.head();
    repo.stage("analysis.ipynb", notebook("print(42)", Some("42\n")));
    let run = repo.commit("add analysis").code(1);
    assert!(
        run.stderr.contains("analysis.ipynb has outputs or execution counts"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("cell 2: 1 output, execution count"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("sealant strip analysis.ipynb && git add analysis.ipynb"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("outputs = \"strip\""), "{}", run.stderr);
    assert_eq!(repo.head(), before);

    repo.sealant(&["strip", "analysis.ipynb"]).ok();
    repo.git(&["add", "analysis.ipynb"]).ok();
    repo.commit("add analysis, stripped").ok();
    assert_eq!(head_blob(&repo, "analysis.ipynb"), notebook("print(42)", None));
}

#[test]
fn the_staged_blob_decides_not_the_working_tree() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.stage("a.ipynb", notebook("x = 1", None));
    repo.write("a.ipynb", notebook("x = 1", Some("ran\n")));
    repo.commit("clean staged, dirty worktree").ok();

    repo.stage("b.ipynb", notebook("y = 2", Some("2\n")));
    repo.write("b.ipynb", notebook("y = 2", None));
    let run = repo.commit("dirty staged, clean worktree").code(1);
    assert!(run.stderr.contains("b.ipynb has outputs"), "{}", run.stderr);
}

#[test]
fn strip_policy_rewrites_the_index_and_an_unmodified_working_tree() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.commit_unchecked(".sealant.toml", "[notebooks]\noutputs = \"strip\"\n", "policy");
    repo.stage("nb.ipynb", notebook("print(1)", Some("1\n")));
    let run = repo.commit("strip me").ok();
    assert!(run.stderr.contains("stripped outputs from nb.ipynb"), "{}", run.stderr);
    let clean = notebook("print(1)", None);
    assert_eq!(head_blob(&repo, "nb.ipynb"), clean);
    assert_eq!(std::fs::read_to_string(repo.path.join("nb.ipynb")).unwrap(), clean);
    let status = repo.git(&["status", "--porcelain"]).ok();
    assert!(status.stdout.is_empty(), "{}", status.stdout);
}

#[test]
fn strip_policy_never_touches_unstaged_work() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.commit_unchecked(
        ".sealant.toml",
        "[[notebooks.paths]]\nglob = \"lab/\"\noutputs = \"strip\"\n",
        "policy",
    );
    repo.stage("lab/nb.ipynb", notebook("print(1)", Some("1\n")));
    let unstaged = notebook("print(1)\nprint(2)", Some("1\n2\n"));
    repo.write("lab/nb.ipynb", &unstaged);
    repo.commit("partial").ok();
    assert_eq!(head_blob(&repo, "lab/nb.ipynb"), notebook("print(1)", None));
    assert_eq!(
        std::fs::read_to_string(repo.path.join("lab/nb.ipynb")).unwrap(),
        unstaged
    );

    // Outside lab/ the default policy still blocks.
    repo.stage("other.ipynb", notebook("z", Some("z\n")));
    repo.commit("other").code(1);
}

#[test]
fn allow_policy_commits_outputs() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.commit_unchecked(
        ".sealant.toml",
        "[[notebooks.paths]]\nglob = \"docs/*.ipynb\"\noutputs = \"allow\"\n",
        "policy",
    );
    let text = notebook("plot()", Some("figure\n"));
    repo.stage("docs/demo.ipynb", &text);
    repo.commit("docs with outputs").ok();
    assert_eq!(head_blob(&repo, "docs/demo.ipynb"), text);
}

#[test]
fn the_clean_filter_keeps_outputs_in_the_working_copy_and_out_of_the_index() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let process = format!("'{SEALANT}' filter-process");
    repo.git(&["config", "filter.sealant.process", &process]).ok();
    repo.git(&["config", "filter.sealant.required", "true"]).ok();
    repo.write(".gitattributes", "*.ipynb filter=sealant\n");
    let mut dirty = Vec::new();
    for i in 0..20 {
        let path = format!("nb/n{i:02}.ipynb");
        let text = notebook(&format!("print({i})"), Some(&format!("{i}\n")));
        repo.write(&path, &text);
        dirty.push((path, text));
    }
    repo.git(&["add", "."]).ok();
    repo.commit("notebooks through the filter").ok();
    for (i, (path, text)) in dirty.iter().enumerate() {
        assert_eq!(head_blob(&repo, path), notebook(&format!("print({i})"), None));
        assert_eq!(&std::fs::read_to_string(repo.path.join(path)).unwrap(), text);
    }
    let status = repo.git(&["status", "--porcelain"]).ok();
    assert!(status.stdout.is_empty(), "no phantom modifications: {}", status.stdout);
    // The same filter as a plain clean command.
    repo.git(&["config", "--unset", "filter.sealant.process"]).ok();
    repo.git(&["config", "filter.sealant.clean", &format!("'{SEALANT}' strip")])
        .ok();
    let text = notebook("print(99)", Some("99\n"));
    repo.write("nb/n99.ipynb", &text);
    repo.git(&["add", "nb/n99.ipynb"]).ok();
    repo.commit("one more").ok();
    assert_eq!(head_blob(&repo, "nb/n99.ipynb"), stripped(&repo, &text));
}

#[test]
fn a_secret_in_an_output_is_reported_by_cell_output_and_line() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.commit_unchecked(".sealant.toml", "[notebooks]\noutputs = \"allow\"\n", "policy");
    let token = fake::github_pat(31);
    let text = notebook(
        "import os\nprint(os.environ)",
        Some(&format!("HOME=/root\nGITHUB_TOKEN={token}\n")),
    );
    repo.stage("leak.ipynb", &text);
    let run = repo.commit("leaky output").code(1);
    assert!(
        run.stderr.contains("leak.ipynb: cell 2, output 1, line 2"),
        "{}",
        run.stderr
    );
    assert!(!run.all().contains(&token), "the secret leaked into the output");

    let json = repo.sealant(&["scan", "--staged", "--format", "json"]).code(1).json();
    assert_eq!(json["findings"][0]["origin"], "cell 2, output 1");
    assert_eq!(json["findings"][0]["line"], 2);
}

#[test]
fn a_secret_in_a_cell_source_is_found_after_json_unescaping() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let key = fake::aws_access_key_id(32);
    // Escaped as JSON would write it: the quotes around the key become \".
    let text = notebook(&format!("import boto3\n\nkey = \"{key}\"\n"), None);
    assert!(text.contains("\\\""));
    repo.stage("src.ipynb", &text);
    let run = repo.commit("key in source").code(1);
    assert!(run.stderr.contains("src.ipynb: cell 2, line 3"), "{}", run.stderr);
}

#[test]
fn only_cells_the_commit_adds_or_changes_are_reported() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let token = fake::github_pat(33);
    let old = notebook(&format!("TOKEN = '{token}'\n"), None);
    repo.commit_unchecked("nb.ipynb", &old, "legacy secret");
    let mut nb: Value = serde_json::from_str(&old).unwrap();
    nb["cells"].as_array_mut().unwrap().push(json!(
        {"cell_type": "markdown", "id": "2", "metadata": {}, "source": ["A new note"]}
    ));
    repo.stage("nb.ipynb", serde_json::to_string_pretty(&nb).unwrap() + "\n");
    repo.commit("a new cell only").ok();
}

#[test]
fn a_broken_notebook_blocks_with_the_parser_message() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.stage("bad.ipynb", "{\n \"cells\": [\n  {\"cell_type\": \"code\",\n");
    let run = repo.commit("truncated").code(1);
    assert!(
        run.stderr.contains("bad.ipynb: invalid JSON at line 4"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("truncated"), "{}", run.stderr);
}

#[test]
fn scanning_a_notebook_file_names_cells() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let token = fake::github_pat(34);
    repo.write("nb.ipynb", notebook("x = 1", Some(&format!("token {token}\n"))));
    let json = repo.sealant(&["scan", "--format", "json", "nb.ipynb"]).code(1).json();
    assert_eq!(json["findings"][0]["path"], "nb.ipynb");
    assert_eq!(json["findings"][0]["origin"], "cell 2, output 1");
}

#[test]
fn machine_readable_reports_carry_notebook_problems_and_stay_parseable() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    repo.stage("analysis.ipynb", notebook("print(42)", Some("42\n")));
    repo.stage("broken.ipynb", "{\"cells\": [\n");

    let json = repo.sealant(&["scan", "--staged", "--format", "json"]).code(1);
    let doc = json.json();
    let problems: Vec<(String, String)> = doc["notebooks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["path"].as_str().unwrap().into(), n["rule"].as_str().unwrap().into()))
        .collect();
    assert_eq!(
        problems,
        [
            ("analysis.ipynb".to_owned(), "notebook-outputs".to_owned()),
            ("broken.ipynb".to_owned(), "notebook-invalid".to_owned())
        ]
    );
    assert!(
        doc["notebooks"][0]["message"]
            .as_str()
            .unwrap()
            .contains("cell 2: 1 output")
    );
    assert!(!json.stdout.contains("not ready to commit"), "no human text in JSON");

    let lines = repo.sealant(&["scan", "--staged", "--format", "jsonl"]).code(1);
    let rules: Vec<String> = lines
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).expect("each line is JSON")["rule"]
                .as_str()
                .unwrap()
                .into()
        })
        .collect();
    assert_eq!(rules, ["notebook-outputs", "notebook-invalid"]);

    let sarif = repo.sealant(&["scan", "--staged", "--format", "sarif"]).code(1);
    let doc: Value = serde_json::from_str(&sarif.stdout).expect("SARIF is JSON");
    let errors = crate::support::sarif_violations(&doc);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let rules = doc["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    for r in results {
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], r["ruleId"]);
    }

    // People still get the notebook section.
    let human = repo.sealant(&["scan", "--staged"]).code(1);
    assert!(human.stdout.contains("analysis.ipynb has outputs"), "{}", human.stdout);
}

#[test]
fn a_renamed_notebook_is_compared_with_what_it_was() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo("r");
    let old_token = fake::github_pat(950);
    let source = |extra: &str| format!("import os\nTOKEN = \"{old_token}\"\n{extra}print(1)\n");
    repo.commit_unchecked("old.ipynb", notebook(&source(""), None), "an old notebook with a leak");

    // Moved and edited: only the edit is new, so the old leak does not block the move.
    repo.git(&["mv", "old.ipynb", "renamed.ipynb"]).ok();
    repo.stage("renamed.ipynb", notebook(&source("x = 2\n"), None));
    repo.commit("move and edit").ok();

    // A new secret in a moved notebook still is.
    repo.git(&["mv", "renamed.ipynb", "moved-again.ipynb"]).ok();
    let new_token = fake::github_pat(951);
    repo.stage(
        "moved-again.ipynb",
        notebook(&source(&format!("NEW = \"{new_token}\"\n")), None),
    );
    let run = repo.commit("move with a new leak");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("moved-again.ipynb"), "{}", run.stderr);
    let json = repo.sealant(&["scan", "--staged", "--format", "json"]).code(1);
    assert_eq!(json.json()["findings"].as_array().unwrap().len(), 1, "{}", json.stdout);
}

#[test]
fn pushes_and_history_report_notebook_secrets_by_cell_and_only_what_the_commit_adds() {
    let sb = Sandbox::new();
    let repo = sb.guarded_repo_with_origin();
    let old = fake::github_pat(960);
    repo.commit_unchecked(
        "train.ipynb",
        notebook("print(1)", Some(&format!("HOME=/root\nOLD_TOKEN={old}\n"))),
        "an old notebook, pushed before sealant",
    );
    repo.git_env(&[("SEALANT_SKIP", "1")], &["push", "-q", "origin", "main"])
        .ok();

    // The next commit re-runs the cell: the old output stays, a new secret joins it.
    let new = fake::github_pat(961);
    repo.commit_unchecked(
        "train.ipynb",
        notebook(
            "print(1)",
            Some(&format!("HOME=/root\nOLD_TOKEN={old}\nNEW_TOKEN={new}\n")),
        ),
        "a new leak in the same output",
    );
    let push = repo.git(&["push", "origin", "main"]);
    assert_eq!(push.code, 1, "{}", push.stderr);
    assert!(
        push.stderr.contains("train.ipynb: cell 2, output 1, line 3"),
        "{}",
        push.stderr
    );

    let history = repo
        .sealant(&["scan", "--range", "origin/main..main", "--format", "json"])
        .code(1);
    let doc = history.json();
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(
        findings.len(),
        1,
        "the old token is not new in this commit: {}",
        history.stdout
    );
    assert_eq!(findings[0]["origin"], "cell 2, output 1");
    assert_eq!(findings[0]["line"], 3);
    assert!(findings[0]["commit"].is_string());
}
