//! Git is the oracle: on repositories shaped by many rounds of random edits, the staged
//! changes and added lines sealant reads in-process must equal what
//! `git diff --cached -U0 --no-renames` reports, and the cache-tree walk must equal the full
//! walk. Every git here runs isolated from the developer's configuration.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use sealant_scan::git::{Repo, UnitOptions, Walk, staged_changes_with, staged_units};

fn git(dir: &Path, args: &[&str]) -> String {
    let home = dir.parent().expect("sandbox").join("home");
    std::fs::create_dir_all(&home).expect("home");
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
        .env("GIT_AUTHOR_NAME", "Ada")
        .env("GIT_AUTHOR_EMAIL", "ada@example.invalid")
        .env("GIT_COMMITTER_NAME", "Ada")
        .env("GIT_COMMITTER_EMAIL", "ada@example.invalid")
        .env("GIT_CONFIG_COUNT", "2")
        .env("GIT_CONFIG_KEY_0", "init.defaultBranch")
        .env("GIT_CONFIG_VALUE_0", "main")
        .env("GIT_CONFIG_KEY_1", "core.autocrlf")
        .env("GIT_CONFIG_VALUE_1", "false")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// `path -> added line numbers` from `git diff --cached -U0 --no-renames`.
fn git_added_lines(dir: &Path) -> BTreeMap<String, BTreeSet<u32>> {
    let diff = git(
        dir,
        &[
            "diff",
            "--cached",
            "-U0",
            "--no-renames",
            "--no-color",
            "--no-ext-diff",
            "--diff-filter=AM",
        ],
    );
    let mut out: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    let mut current = String::new();
    for line in diff.lines() {
        if let Some(path) = line.strip_prefix("+++ b/") {
            current = path.to_owned();
            out.entry(current.clone()).or_default();
        } else if let Some(rest) = line.strip_prefix("@@ ") {
            let new = rest.split(' ').nth(1).expect("+c,d").trim_start_matches('+');
            let (start, len) = match new.split_once(',') {
                Some((s, l)) => (s.parse::<u32>().unwrap(), l.parse::<u32>().unwrap()),
                None => (new.parse::<u32>().unwrap(), 1),
            };
            out.entry(current.clone()).or_default().extend(start..start + len);
        }
    }
    out
}

fn our_added_lines(dir: &Path) -> BTreeMap<String, BTreeSet<u32>> {
    let repo = Repo::discover(dir).expect("repo");
    let (units, skipped) = staged_units(&repo, UnitOptions::default()).expect("staged units");
    assert!(skipped.is_empty(), "{skipped:?}");
    let mut out: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    for unit in units {
        let lines = out.entry(unit.path.clone()).or_default();
        for hunk in unit.hunks {
            let count = unit.text[hunk.bytes.clone()].lines().count() as u32;
            lines.extend(hunk.first_line..hunk.first_line + count);
        }
    }
    out
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// A file body whose every line is unique, so diffs have exactly one minimal alignment.
fn body(path: &str, version: u32, lines: u32, edited: &[u32]) -> String {
    (0..lines)
        .map(|i| {
            if edited.contains(&i) {
                format!("{path} line {i} v{version}\n")
            } else {
                format!("{path} line {i}\n")
            }
        })
        .collect()
}

#[test]
fn staged_changes_and_added_lines_match_git_over_random_rounds() {
    let sandbox = tempfile::tempdir().expect("temp dir");
    let dir = sandbox.path().join("repo");
    std::fs::create_dir_all(&dir).unwrap();
    git(&dir, &["init", "-q"]);
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let mut files: Vec<String> = Vec::new();
    for d in 0..12 {
        for f in 0..8 {
            let path = format!("d{d}/s{}/f{f}.txt", d % 3);
            std::fs::create_dir_all(dir.join(&path).parent().unwrap()).unwrap();
            std::fs::write(dir.join(&path), body(&path, 0, 12, &[])).unwrap();
            files.push(path);
        }
    }
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "base"]);

    for round in 1..=12u32 {
        let mut touched: Vec<String> = Vec::new();
        for _ in 0..6 {
            let at = rng.below(files.len() as u64) as usize;
            let path = files[at].clone();
            let full = dir.join(&path);
            touched.push(path.clone());
            match rng.below(4) {
                0 if full.exists() => {
                    std::fs::remove_file(&full).unwrap();
                    files.swap_remove(at);
                }
                1 => {
                    let new = format!("d{}/new{round}/n{}.txt", rng.below(12), rng.below(1000));
                    std::fs::create_dir_all(dir.join(&new).parent().unwrap()).unwrap();
                    std::fs::write(dir.join(&new), body(&new, round, 5, &[])).unwrap();
                    touched.push(new.clone());
                    files.push(new);
                }
                _ if full.exists() => {
                    let edited = [rng.below(12) as u32, rng.below(12) as u32];
                    let mut text = body(&path, round, 12, &edited);
                    if rng.below(2) == 0 {
                        text.push_str(&format!("{path} appended in round {round}\n"));
                    }
                    std::fs::write(&full, text).unwrap();
                }
                _ => {}
            }
        }
        // Stage path by path, as people do: git then invalidates only the cache-tree nodes
        // above those paths (`git add -A` invalidates them all), so the fast walk skips.
        touched.sort();
        touched.dedup();
        let (present, gone): (Vec<&String>, Vec<&String>) = touched.iter().partition(|p| dir.join(p).exists());
        let mut add = vec!["add", "--"];
        add.extend(present.iter().map(|p| p.as_str()));
        git(&dir, &add);
        let mut rm = vec!["rm", "-q", "--cached", "--ignore-unmatch", "--"];
        rm.extend(gone.iter().map(|p| p.as_str()));
        git(&dir, &rm);
        // Unstaged edits on top must not be seen.
        let path = &files[rng.below(files.len() as u64) as usize];
        if dir.join(path).exists() {
            std::fs::write(dir.join(path), format!("unstaged noise {round}\n")).unwrap();
        }

        let repo = Repo::discover(&dir).unwrap();
        let fast = staged_changes_with(&repo, Walk::UseCacheTree).unwrap();
        let full = staged_changes_with(&repo, Walk::Full).unwrap();
        assert_eq!(fast, full, "round {round}: cache-tree walk and full walk disagree");
        assert_eq!(
            our_added_lines(&dir),
            git_added_lines(&dir),
            "round {round}: added lines differ from git"
        );

        if round % 3 != 0 {
            git(&dir, &["commit", "-q", "-m", &format!("round {round}")]);
        }
        if round % 4 == 0 {
            // HEAD moves back while the index keeps a fully valid cache tree of the newer
            // commit: valid nodes whose ids differ from HEAD's must still be descended.
            git(&dir, &["reset", "-q", "--soft", "HEAD~1"]);
        }
        git(&dir, &["checkout", "-q", "--", "."]);
    }
}
