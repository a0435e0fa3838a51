//! The e2e sandbox: a temp directory holding a fake HOME and one or more repositories, with
//! every git and sealant process isolated from the developer's machine (no system or global
//! git config, no `GIT_*` leaking in from a hook that runs these tests, fixed identities and
//! dates, no colour), in the manner of gix-testtools and cargo-test-support.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The binary under test.
pub const SEALANT: &str = env!("CARGO_BIN_EXE_sealant");

/// Variables removed from every child: anything that would point git elsewhere or change
/// sealant's behaviour.
const SCRUBBED: &[&str] = &[
    "GIT_DIR",
    "GIT_INDEX_FILE",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_PREFIX",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_NAMESPACE",
    "SEALANT_SKIP",
    "SEALANT_REQUIRED",
    "SKIP",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "SEALANT_DATA_DIR",
    "SEALANT_HOOK_ACTIVE",
    "CLICOLOR_FORCE",
];

/// A temp directory with an isolated HOME; repositories live below it.
pub struct Sandbox {
    root: tempfile::TempDir,
}

/// A repository in a sandbox.
pub struct Repo<'s> {
    pub sandbox: &'s Sandbox,
    pub path: PathBuf,
}

/// The outcome of a command, with its output decoded for assertions.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from_output(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// stdout parsed as the JSON report.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// The `path` of every finding in a JSON report, in report order.
    #[track_caller]
    pub fn finding_paths(&self) -> Vec<String> {
        let doc = self.json();
        let findings = doc["findings"].as_array().expect("a findings array");
        findings
            .iter()
            .map(|f| f["path"].as_str().expect("a path").to_owned())
            .collect()
    }

    /// Both streams, for "it says X somewhere" assertions.
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let root = tempfile::Builder::new()
            .prefix("sealant-e2e")
            .tempdir()
            .expect("temp dir");
        std::fs::create_dir_all(root.path().join("home/.config")).expect("home");
        std::fs::write(root.path().join("home/.gitconfig"), "").expect("global config");
        Sandbox { root }
    }

    pub fn root(&self) -> &Path {
        self.root.path()
    }

    /// An isolated command: HOME and git config in the sandbox, identities fixed.
    pub fn cmd(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(program);
        for var in SCRUBBED {
            cmd.env_remove(var);
        }
        let home = self.root().join("home");
        cmd.env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
            .env("GIT_CEILING_DIRECTORIES", self.root())
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_AUTHOR_NAME", "Ada")
            .env("GIT_AUTHOR_EMAIL", "ada@example.invalid")
            .env("GIT_COMMITTER_NAME", "Ada")
            .env("GIT_COMMITTER_EMAIL", "ada@example.invalid")
            .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
            .env("GIT_CONFIG_COUNT", "5")
            .env("GIT_CONFIG_KEY_0", "init.defaultBranch")
            .env("GIT_CONFIG_VALUE_0", "main")
            .env("GIT_CONFIG_KEY_1", "commit.gpgsign")
            .env("GIT_CONFIG_VALUE_1", "false")
            .env("GIT_CONFIG_KEY_2", "core.autocrlf")
            .env("GIT_CONFIG_VALUE_2", "false")
            .env("GIT_CONFIG_KEY_3", "gc.auto")
            .env("GIT_CONFIG_VALUE_3", "0")
            .env("GIT_CONFIG_KEY_4", "protocol.file.allow")
            .env("GIT_CONFIG_VALUE_4", "always")
            .env("SEALANT_DATA_DIR", self.root().join("data"))
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .stdin(Stdio::null());
        cmd
    }

    /// `git init` a repository at `name` under the sandbox.
    pub fn repo(&self, name: &str) -> Repo<'_> {
        let path = self.root().join(name);
        std::fs::create_dir_all(&path).expect("repo dir");
        let repo = Repo { sandbox: self, path };
        repo.git(&["init", "-q"]).ok();
        repo
    }

    /// A bare repository at `name` under the sandbox, to push to; returns its path.
    pub fn bare_remote(&self, name: &str) -> PathBuf {
        let path = self.root().join(name);
        let out = self
            .cmd("git")
            .args(["init", "-q", "--bare"])
            .arg(&path)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git init --bare: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        path
    }

    /// A guarded repository (`r`) with a bare remote `origin` (`remote.git`) that already has
    /// `main`: what the push tests push to.
    pub fn guarded_repo_with_origin(&self) -> Repo<'_> {
        let bare = self.bare_remote("remote.git");
        let repo = self.guarded_repo("r");
        repo.git(&["remote", "add", "origin", bare.to_str().expect("a UTF-8 temp path")])
            .ok();
        repo.git(&["push", "-q", "origin", "main"]).ok();
        repo
    }

    /// A repository with sealant's hook installed and one clean commit.
    pub fn guarded_repo(&self, name: &str) -> Repo<'_> {
        let repo = self.repo(name);
        repo.sealant(&["install", "--repo"]).ok();
        repo.write("README.md", "# demo\n");
        repo.git(&["add", "README.md"]).ok();
        repo.git(&["commit", "-q", "-m", "init"]).ok();
        repo
    }
}

impl Repo<'_> {
    /// Runs git in the repository.
    pub fn git(&self, args: &[&str]) -> Run {
        self.git_in(&self.path, args)
    }

    /// Runs git in the repository with extra environment variables (a bypass, a minimal
    /// `PATH`, a cap).
    pub fn git_env(&self, env: &[(&str, &str)], args: &[&str]) -> Run {
        let mut cmd = self.sandbox.cmd("git");
        cmd.current_dir(&self.path).args(args);
        for (key, value) in env {
            cmd.env(key, value);
        }
        Run::from_output(cmd.output().expect("git runs"))
    }

    /// Replaces the binary path baked into a hook file with one that does not exist.
    pub fn break_binary_path(hook: &Path) {
        let text = std::fs::read_to_string(hook)
            .expect("read hook")
            .replace(SEALANT, "/nonexistent/sealant");
        std::fs::write(hook, text).expect("write hook");
    }

    /// Runs git in a directory (a subdirectory or a linked worktree).
    pub fn git_in(&self, dir: &Path, args: &[&str]) -> Run {
        Run::from_output(
            self.sandbox
                .cmd("git")
                .current_dir(dir)
                .args(args)
                .output()
                .expect("git runs"),
        )
    }

    /// Runs the sealant binary in the repository.
    pub fn sealant(&self, args: &[&str]) -> Run {
        Run::from_output(
            self.sandbox
                .cmd(SEALANT)
                .current_dir(&self.path)
                .args(args)
                .output()
                .expect("sealant runs"),
        )
    }

    /// Runs a git commit and returns its outcome (the hook's output is in stderr).
    pub fn commit(&self, message: &str) -> Run {
        self.git(&["commit", "-q", "-m", message])
    }

    /// Writes a file (creating directories), relative to the worktree.
    pub fn write(&self, path: &str, content: impl AsRef<[u8]>) {
        let full = self.path.join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("dirs");
        std::fs::write(full, content).expect("write");
    }

    /// Writes and stages a file.
    pub fn stage(&self, path: &str, content: impl AsRef<[u8]>) {
        self.write(path, content);
        self.git(&["add", "--", path]).ok();
    }

    /// Stages and commits a file without the hook (to set up history that holds a secret).
    pub fn commit_unchecked(&self, path: &str, content: impl AsRef<[u8]>, message: &str) {
        self.stage(path, content);
        self.git(&["commit", "-q", "--no-verify", "-m", message]).ok();
    }

    /// Writes `content` as a blob into the object database and returns its id.
    pub fn hash_object(&self, content: &str) -> String {
        use std::io::Write;
        let mut child = self
            .sandbox
            .cmd("git")
            .current_dir(&self.path)
            .args(["hash-object", "-w", "--stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("git hash-object runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(content.as_bytes())
            .expect("write blob");
        let out = child.wait_with_output().expect("git hash-object finishes");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// The commit id of HEAD, or "" when unborn.
    pub fn head(&self) -> String {
        let run = self.git(&["rev-parse", "-q", "--verify", "HEAD"]);
        run.stdout.trim().to_owned()
    }
}

/// Makes a file executable (mode 0755), as a hook must be.
#[cfg(unix)]
pub fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// Fake credentials, generated at test time so no live-looking token is committed in this
/// repository. Deterministic per seed so failures reproduce.
pub mod fake {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// A small xorshift generator: enough randomness for token-shaped strings.
    pub struct Rng(u64);

    impl Rng {
        pub fn new(seed: u64) -> Rng {
            Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
        }

        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        /// `len` characters of `alphabet`, avoiding runs a placeholder filter would reject.
        pub fn string(&mut self, alphabet: &[u8], len: usize) -> String {
            let mut out: Vec<u8> = Vec::with_capacity(len);
            while out.len() < len {
                let c = alphabet[(self.next() % alphabet.len() as u64) as usize];
                if out.last().is_some_and(|&p| p == c || p.wrapping_add(1) == c) {
                    continue;
                }
                out.push(c);
            }
            String::from_utf8(out).expect("ascii")
        }
    }

    /// A classic GitHub personal access token: `ghp_` + 36 alphanumerics.
    pub fn github_pat(seed: u64) -> String {
        format!("ghp_{}", Rng::new(seed).string(ALNUM, 36))
    }

    /// An AWS access key id: `AKIA` + 16 of `[A-Z2-7]`.
    pub fn aws_access_key_id(seed: u64) -> String {
        format!("AKIA{}", Rng::new(seed).string(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16))
    }

    /// A PEM RSA private key block of `lines` base64 lines.
    pub fn rsa_private_key(seed: u64, lines: usize) -> String {
        let mut rng = Rng::new(seed);
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = format!("-----BEGIN {} PRIVATE KEY-----\n", "RSA");
        for _ in 0..lines {
            out.push_str(&rng.string(alphabet, 64));
            out.push('\n');
        }
        out.push_str(&format!("-----END {} PRIVATE KEY-----\n", "RSA"));
        out
    }
}

/// What the published SARIF 2.1.0 schema says is wrong with `doc` (empty when it is valid).
pub fn sarif_violations(doc: &serde_json::Value) -> Vec<String> {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/sarif-schema-2.1.0.json")).expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}
