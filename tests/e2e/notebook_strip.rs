//! `sealant strip` as a user runs it: in place (mode kept, untouched when clean), check and
//! dry-run modes, stdin to stdout, and bad input that is reported and never written.

use std::io::Write;
use std::process::Stdio;

use crate::support::{Run, SEALANT, Sandbox};

const DIRTY: &str = r#"{"cells": [{"cell_type": "code", "execution_count": 3, "metadata": {"scrolled": true},
  "outputs": [{"name": "stdout", "output_type": "stream", "text": ["3\n"]}], "source": ["print(3)"]}],
  "metadata": {}, "nbformat": 4, "nbformat_minor": 4}"#;

const CLEAN: &str = "{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"execution_count\": null,\n   \"metadata\": {},\n   \"outputs\": [],\n   \"source\": [\n    \"print(3)\"\n   ]\n  }\n ],\n \"metadata\": {},\n \"nbformat\": 4,\n \"nbformat_minor\": 4\n}\n";

fn strip_stdin(sb: &Sandbox, args: &[&str], input: &[u8]) -> Run {
    let mut child = sb
        .cmd(SEALANT)
        .arg("strip")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sealant runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    Run::from_output(child.wait_with_output().expect("sealant finishes"))
}

#[test]
fn in_place_keeps_the_mode_and_skips_clean_files() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    repo.write("a.ipynb", DIRTY);
    repo.write("b.ipynb", CLEAN.replace(" \"", "  \"")); // clean, but not canonical
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(repo.path.join("a.ipynb"), std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let b_before = std::fs::metadata(repo.path.join("b.ipynb"))
        .unwrap()
        .modified()
        .unwrap();
    let b_bytes = std::fs::read(repo.path.join("b.ipynb")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));

    repo.sealant(&["strip", "--check", "a.ipynb", "b.ipynb"]).code(1);
    assert_eq!(
        std::fs::read_to_string(repo.path.join("a.ipynb")).unwrap(),
        DIRTY,
        "--check writes nothing"
    );
    let run = repo.sealant(&["strip", "--dry-run", "a.ipynb", "b.ipynb"]).ok();
    assert_eq!(run.stdout, "Dry run: would have stripped a.ipynb\n");

    repo.sealant(&["strip", "a.ipynb", "b.ipynb", "notes.txt"]).ok();
    assert_eq!(std::fs::read_to_string(repo.path.join("a.ipynb")).unwrap(), CLEAN);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(repo.path.join("a.ipynb"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    assert_eq!(std::fs::read(repo.path.join("b.ipynb")).unwrap(), b_bytes);
    let b_after = std::fs::metadata(repo.path.join("b.ipynb"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(b_before, b_after, "a clean notebook is not rewritten");
    repo.sealant(&["strip", "--check", "a.ipynb", "b.ipynb"]).ok();
    let leftovers: Vec<_> = std::fs::read_dir(&repo.path)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temp files left behind: {leftovers:?}");
}

#[test]
fn stdin_to_stdout_always_writes_the_canonical_notebook() {
    let sb = Sandbox::new();
    assert_eq!(strip_stdin(&sb, &[], DIRTY.as_bytes()).ok().stdout, CLEAN);
    assert_eq!(
        strip_stdin(&sb, &[], CLEAN.replace('\n', "\r\n").as_bytes())
            .ok()
            .stdout,
        CLEAN
    );
    let kept = strip_stdin(&sb, &["--keep-output", "--keep-count"], DIRTY.as_bytes()).ok();
    assert!(
        kept.stdout.contains("\"execution_count\": 3") && kept.stdout.contains("\"3\\n\""),
        "{}",
        kept.stdout
    );
    let textconv = sb.cmd(SEALANT).args(["strip", "-t"]).output().expect("runs");
    assert_eq!(textconv.status.code(), Some(2), "empty stdin is not a notebook");
}

#[test]
fn bad_input_is_named_and_never_written() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let cases: [(&str, &[u8], &str); 5] = [
        (
            "truncated.ipynb",
            &DIRTY.as_bytes()[..60],
            "truncated.ipynb: invalid JSON at line 1, column 56: unterminated string (is the file truncated?)",
        ),
        (
            "bom.ipynb",
            b"\xEF\xBB\xBF{}",
            "bom.ipynb: starts with a UTF-8 byte order mark",
        ),
        (
            "latin1.ipynb",
            b"{\"a\": \"caf\xe9\"}",
            "latin1.ipynb: not UTF-8 text: invalid byte at line 1",
        ),
        (
            "schema.ipynb",
            b"{\"nbformat\": 4, \"metadata\": {}, \"cells\": {}}",
            "schema.ipynb: not a valid notebook: `cells` is an object",
        ),
        (
            "old.ipynb",
            b"{\"nbformat\": 2, \"worksheets\": []}",
            "old.ipynb: nbformat 2 is not supported",
        ),
    ];
    for (name, bytes, _) in &cases {
        repo.write(name, bytes);
    }
    repo.write("good.ipynb", DIRTY);
    let mut args = vec!["strip"];
    args.extend(cases.iter().map(|c| c.0));
    args.push("good.ipynb");
    let run = repo.sealant(&args).code(2);
    for (name, bytes, message) in &cases {
        assert!(run.stderr.contains(message), "expected {message:?} in\n{}", run.stderr);
        assert_eq!(
            &std::fs::read(repo.path.join(name)).unwrap(),
            bytes,
            "{name} was modified"
        );
    }
    assert_eq!(
        std::fs::read_to_string(repo.path.join("good.ipynb")).unwrap(),
        CLEAN,
        "the good one is still stripped"
    );
    let run = strip_stdin(&sb, &[], b"{\"cells\": [");
    assert_eq!(run.code, 2);
    assert!(
        run.stdout.is_empty() && run.stderr.contains("<stdin>: invalid JSON"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_huge_notebook_is_stripped() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let line = format!("\"{}\\n\",", "x".repeat(1000));
    let text = format!(
        r#"{{"cells": [{{"cell_type": "code", "execution_count": 1, "metadata": {{}}, "outputs": [{{"name": "stdout", "output_type": "stream", "text": [{} "end"]}}], "source": []}}], "metadata": {{}}, "nbformat": 4, "nbformat_minor": 4}}"#,
        line.repeat(20_000)
    );
    assert!(text.len() > 20_000_000);
    repo.write("big.ipynb", &text);
    repo.sealant(&["strip", "big.ipynb"]).ok();
    let stripped = std::fs::read_to_string(repo.path.join("big.ipynb")).unwrap();
    assert!(
        stripped.len() < 300 && stripped.contains("\"outputs\": []"),
        "{stripped}"
    );
}
