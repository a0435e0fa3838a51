//! Byte-for-byte agreement with nbstripout 0.9.1: every input notebook under
//! `nbstripout/inputs`, stripped with every option set of `nbstripout/generate.py`, must equal
//! what the real nbstripout printed (`nbstripout/expected/<case>/<name>.ipynb`), and our
//! "changed" verdict must equal its `--verify`. The fixtures are generated once with Python;
//! this test only reads them.

use std::path::{Path, PathBuf};

use sealant_notebook::{StripOptions, parse_size, strip_bytes};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/nbstripout")
}

/// The nbstripout command-line options the fixtures use, as [`StripOptions`].
fn options(args: &[String]) -> StripOptions {
    let mut options = StripOptions::default();
    let mut i = 0;
    let words = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    while i < args.len() {
        let arg = args[i].as_str();
        let mut many = || {
            let mut values = Vec::new();
            while i + 1 < args.len() && !args[i + 1].starts_with("--") {
                i += 1;
                values.push(args[i].clone());
            }
            values
        };
        match arg {
            "--keep-output" => options.keep_output = true,
            "--keep-count" => options.keep_count = true,
            "--keep-id" => options.keep_id = true,
            "--drop-empty-cells" => options.drop_empty_cells = true,
            "--strip-init-cells" => options.strip_init_cells = true,
            "--extra-keys" => options.extra_keys = words(&many()[0]),
            "--keep-metadata-keys" => options.keep_metadata_keys = words(&many()[0]),
            "--drop-tagged-cells" => options.drop_tagged_cells = words(&many()[0]),
            "--max-size" => options.max_size = parse_size(&many()[0]).unwrap(),
            "--keep-output-type" => options.keep_output_types = many(),
            "--drop-output-type" => options.drop_output_types = many(),
            other => panic!("generate.py uses an option this test does not map: {other}"),
        }
        i += 1;
    }
    options
}

#[test]
fn output_is_byte_identical_to_nbstripout() {
    let dir = fixtures();
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for row in manifest.lines().filter(|l| !l.starts_with('#')) {
        let fields: Vec<&str> = row.split('\t').collect();
        let [case, name, verdict, args] = fields[..] else {
            panic!("bad manifest row {row:?}");
        };
        let args: Vec<String> = args
            .trim_matches(|c| c == '[' || c == ']')
            .split("\", \"")
            .map(|a| a.trim_matches('"').to_owned())
            .filter(|a| !a.is_empty())
            .collect();
        let input = std::fs::read(dir.join("inputs").join(format!("{name}.ipynb"))).unwrap();
        let result = strip_bytes(&input, &options(&args), name);
        match verdict {
            "random" | "diverges" => continue,
            "error" => {
                if result.is_ok() {
                    failures.push(format!("{case}/{name}: nbstripout refuses it, we accepted it"));
                }
            }
            _ => {
                let expected = std::fs::read(dir.join("expected").join(case).join(format!("{name}.ipynb"))).unwrap();
                match result {
                    Err(e) => failures.push(format!("{case}/{name}: {e}")),
                    Ok(stripped) => {
                        if stripped.bytes != expected {
                            let ours = String::from_utf8_lossy(&stripped.bytes);
                            let theirs = String::from_utf8_lossy(&expected);
                            let line = ours.lines().zip(theirs.lines()).position(|(a, b)| a != b);
                            let at = line.unwrap_or(ours.lines().count().min(theirs.lines().count()));
                            failures.push(format!(
                                "{case}/{name}: bytes differ at line {}:\n  ours:   {:?}\n  theirs: {:?}",
                                at + 1,
                                ours.lines().nth(at),
                                theirs.lines().nth(at)
                            ));
                        } else if stripped.outcome.changed != (verdict == "1") {
                            failures.push(format!(
                                "{case}/{name}: changed = {}, nbstripout --verify says {verdict}",
                                stripped.outcome.changed
                            ));
                        }
                    }
                }
            }
        }
        checked += 1;
    }
    assert!(checked > 200, "only {checked} fixtures checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
