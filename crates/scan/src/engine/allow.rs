//! Why a match is not a finding: placeholders, inline allow comments, and the repository's
//! allowlist entries. Each check is a small pure function so `explain` (a later issue) can
//! say which one fired.

use super::lazy_regex::LazyRegex;
use globset::{GlobBuilder, GlobMatcher};

use super::spec::AllowlistSpec;
use crate::Error;

/// Comments that allow every secret on their line. `sealant:allow` is ours; the others let
/// teams migrate from gitleaks and detect-secrets without touching their code.
pub const INLINE_ALLOW_MARKERS: &[&str] = &[
    "sealant:allow",
    "gitleaks:allow",
    "betterleaks:allow",
    "trufflehog:ignore",
    "pragma: allowlist secret",
    // Ruff/flake8-bandit's hard-coded password checks (S105, S106, S107) and bandit's `nosec`.
    "noqa: S105",
    "noqa: S106",
    "noqa: S107",
    "nosec",
];

/// Comments that allow every secret on the line after theirs (detect-secrets').
pub const NEXT_LINE_ALLOW_MARKERS: &[&str] = &["pragma: allowlist nextline secret"];

/// Substrings (compared lower-case) that mark a value as a placeholder, a template or code
/// that reads the secret from elsewhere, never a live credential.
const PLACEHOLDER_MARKERS: &[&str] = &[
    "example",
    "xxxx",
    "your_",
    "your-",
    "<",
    ">",
    "${",
    "{{",
    "%(",
    "placeholder",
    "dummy",
    "changeme",
    "change_me",
    "redacted",
    "****",
    "environ",
    "getenv",
    "process.env",
    "secrets.",
];

/// Secrets published in specifications and vendor documentation (RFC 6749's and RFC 5849's
/// sample tokens, jwt.io's sample signature): copied into docstrings and tests everywhere,
/// never live.
const DOCUMENTED_SAMPLES: &[&str] = &[
    "2yotnfzfejr1zcsicmwpaa",
    "tgzv3jokf0xg5qx2tlkwia",
    "czzcagrsa3f0mzpnwdfmqmf0m2jw",
    "splxlobezqqybys6wxsbia",
    "ad180jjd733klru7",
    "hh5s93j4hdidpola",
    "nnch734d00sl2jdk",
    "kd94hf93k423kf44",
    "pfkd9hjs8bs6ovvb",
    "sflkxwrjsmekkf2qt4fwpmejf36pok6yjv_adqssw5c",
    "wjalrxutnfemi/k7mdeng/bpxrficyexamplekey",
    "45ghiukldjahdnhzdauz",
];

/// Whether the secret is a placeholder rather than a credential.
pub fn is_placeholder(secret: &str) -> bool {
    let lower = secret.to_lowercase();
    if PLACEHOLDER_MARKERS.iter().any(|m| lower.contains(m)) || DOCUMENTED_SAMPLES.iter().any(|m| lower.contains(m)) {
        return true;
    }
    if spells_password(&lower) {
        return true;
    }
    let mut chars = lower.chars();
    if let Some(first) = chars.next()
        && chars.all(|c| c == first)
    {
        return true;
    }
    has_ascending_run(lower.as_bytes(), 6)
}

/// A value that spells "password" or "passphrase" (`p%40ss%3Aword`, `Passw0rd!`,
/// `new-passphrase`) is a stand-in written by a person, not a generated secret.
fn spells_password(lower: &str) -> bool {
    let mut letters = String::with_capacity(lower.len());
    let mut bytes = lower.bytes();
    while let Some(b) = bytes.next() {
        let b = if b == b'%' {
            let hex: Vec<u8> = bytes.by_ref().take(2).collect();
            std::str::from_utf8(&hex)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .unwrap_or(b'%')
                .to_ascii_lowercase()
        } else {
            b
        };
        match b {
            b'a'..=b'z' => letters.push(char::from(b)),
            b'@' | b'4' => letters.push('a'),
            b'$' | b'5' => letters.push('s'),
            b'0' => letters.push('o'),
            _ => {}
        }
    }
    letters.contains("password") || letters.contains("passwd") || letters.contains("passphrase")
}

/// `abcdef`, `123456`: runs a person types, not a random generator.
fn has_ascending_run(bytes: &[u8], len: usize) -> bool {
    let mut run = 1;
    for pair in bytes.windows(2) {
        if pair[0].is_ascii_alphanumeric() && pair[1] == pair[0].wrapping_add(1) {
            run += 1;
            if run >= len {
                return true;
            }
        } else {
            run = 1;
        }
    }
    false
}

/// Whether a line carries an inline allow comment.
pub fn has_inline_allow(line: &str) -> bool {
    INLINE_ALLOW_MARKERS.iter().any(|m| line.contains(m))
}

/// Whether a line carries a comment that allows the line after it.
pub fn allows_next_line(line: &str) -> bool {
    NEXT_LINE_ALLOW_MARKERS.iter().any(|m| line.contains(m))
}

/// A glob with gitignore-like anchoring: a pattern without `/` matches a file name at any
/// depth (`*.pem`), a pattern with `/` is relative to the repository root (`rules/*.toml`),
/// a trailing `/` means everything below a directory.
pub fn path_glob(pattern: &str) -> Result<GlobMatcher, String> {
    GlobBuilder::new(&anchored(pattern))
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| format!("glob {pattern:?} is not valid: {e}"))
}

/// A path condition: a gitignore-like glob (`.sealant.toml`) or a regex searched in the
/// `/`-separated path (`.gitleaks.toml`, whose paths are regexes).
#[derive(Debug, Clone)]
pub enum PathPattern {
    /// See [`path_glob`].
    Glob(GlobMatcher),
    /// Unanchored, as gitleaks applies it.
    Regex(LazyRegex),
}

impl PathPattern {
    /// Whether the path matches.
    pub fn is_match(&self, path: &str) -> bool {
        match self {
            PathPattern::Glob(g) => g.is_match(path),
            PathPattern::Regex(r) => r.is_match(path),
        }
    }
}

/// What an entry's `regexes` are matched against (gitleaks' `regexTarget`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RegexTarget {
    /// The secret (the rule's secret group).
    #[default]
    Secret,
    /// The rule's whole match.
    Match,
    /// The whole line (or lines) of the match.
    Line,
}

/// How an entry's conditions combine (gitleaks' `condition`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Condition {
    /// Any one condition allows.
    #[default]
    Or,
    /// Every condition the entry has must hold.
    And,
}

/// What an allowlist entry is asked about: one candidate finding.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// The rule's id.
    pub rule: &'a str,
    /// The `/`-separated path.
    pub path: &'a str,
    /// The secret.
    pub secret: &'a str,
    /// The rule's whole match.
    pub matched: &'a str,
    /// The line (or lines) the match is on.
    pub line: &'a str,
    /// The commit that adds it, in push and history scans.
    pub commit: Option<&'a str>,
}

/// The glob [`path_glob`] compiles for a pattern: `*.pem` → `**/*.pem`, `dir/` → `dir/**`.
pub(crate) fn anchored(pattern: &str) -> String {
    let trimmed = pattern.strip_prefix('/').unwrap_or(pattern);
    let mut full = if pattern.contains('/') && !pattern.ends_with('/') || pattern.starts_with('/') {
        trimmed.to_owned()
    } else {
        format!("**/{trimmed}")
    };
    if full.ends_with('/') {
        full.push_str("**");
    }
    full
}

/// Whether a listed commit id names `commit` (full, lower-case): the same id, or an
/// abbreviation of at least 7 digits, as git abbreviates. A shorter prefix is too likely to
/// name some other commit.
fn names_commit(listed: &str, commit: &str) -> bool {
    listed == commit || (listed.len() >= MIN_COMMIT_PREFIX && commit.starts_with(listed))
}

/// The shortest commit abbreviation an allowlist may use.
const MIN_COMMIT_PREFIX: usize = 7;

/// One compiled `[[allowlist]]` entry (from `.sealant.toml`, or translated from a
/// `.gitleaks.toml` allowlist).
#[derive(Debug, Clone)]
pub struct Allowlist {
    /// Why the entry exists.
    pub description: String,
    /// Where it was defined.
    pub origin: String,
    pub(crate) paths: Vec<PathPattern>,
    pub(crate) regexes: Vec<LazyRegex>,
    pub(crate) regex_target: RegexTarget,
    pub(crate) stopwords: Vec<String>,
    pub(crate) rules: Vec<String>,
    /// Commit ids (full, or a prefix of at least 7 digits) whose findings are allowed.
    pub(crate) commits: Vec<String>,
    pub(crate) condition: Condition,
}

impl Allowlist {
    /// Validates an entry: globs and regexes must compile, and it must say what it allows.
    pub fn compile(spec: AllowlistSpec, origin: &str) -> Result<Allowlist, Error> {
        let fail = |message: String| Error::Config {
            origin: origin.to_owned(),
            message: format!("[[allowlist]] {message}"),
        };
        if spec.paths.is_empty() && spec.regexes.is_empty() && spec.stopwords.is_empty() && spec.rules.is_empty() {
            return Err(fail(
                "entry allows nothing: give it `paths`, `regexes`, `stopwords` or `rules`".into(),
            ));
        }
        let paths = spec
            .paths
            .iter()
            .map(|p| path_glob(p).map(PathPattern::Glob).map_err(&fail))
            .collect::<Result<_, _>>()?;
        let regexes = spec
            .regexes
            .iter()
            .map(|r| LazyRegex::compiled(r.clone()).map_err(|e| fail(format!("regex {r:?} does not compile: {e}"))))
            .collect::<Result<_, _>>()?;
        Ok(Allowlist {
            description: spec.description,
            origin: origin.to_owned(),
            paths,
            regexes,
            regex_target: RegexTarget::Secret,
            stopwords: spec.stopwords.iter().map(|s| s.to_lowercase()).collect(),
            rules: spec.rules,
            commits: Vec::new(),
            condition: Condition::Or,
        })
    }

    /// Compiles every regex of the entry in full (gitleaks' are only parsed at load time).
    pub fn check(&self) -> Result<(), String> {
        let paths = self.paths.iter().filter_map(|p| match p {
            PathPattern::Regex(r) => Some(r),
            PathPattern::Glob(_) => None,
        });
        for regex in self.regexes.iter().chain(paths) {
            regex.check().map_err(|e| {
                format!(
                    "{}: allowlist regex {:?} does not compile: {e}",
                    self.origin,
                    regex.source()
                )
            })?;
        }
        Ok(())
    }

    /// The entry in a few words, for a report: its description, else its conditions.
    pub fn summary(&self) -> String {
        if !self.description.is_empty() {
            return self.description.clone();
        }
        let paths = self.paths.iter().map(|p| match p {
            PathPattern::Glob(g) => g.glob().glob().to_owned(),
            PathPattern::Regex(r) => r.source().to_owned(),
        });
        let parts = [
            ("paths", paths.collect::<Vec<_>>()),
            ("regexes", self.regexes.iter().map(|r| r.source().to_owned()).collect()),
            ("stopwords", self.stopwords.clone()),
            ("commits", self.commits.clone()),
            ("rules", self.rules.clone()),
        ];
        parts
            .iter()
            .filter(|(_, values)| !values.is_empty())
            .map(|(name, values)| format!("{name} {values:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Names the rule ids this entry refers to, so a config can be checked against the rule set.
    pub fn rule_ids(&self) -> &[String] {
        &self.rules
    }

    /// Whether the entry allows every finding in `path`, whatever the rule and commit: only
    /// paths, or any-of conditions of which a path matches.
    pub fn allows_whole_path(&self, path: &str) -> bool {
        let only_paths = self.regexes.is_empty() && self.stopwords.is_empty() && self.commits.is_empty();
        self.rules.is_empty()
            && (self.condition == Condition::Or || only_paths)
            && self.paths.iter().any(|g| g.is_match(path))
    }

    /// Whether the entry allows this finding. `rules` scopes the entry; of its `paths`,
    /// `regexes`, `stopwords` and `commits`, any one matching allows (all of those given,
    /// with `Condition::And`); an entry with only `rules` allows those rules everywhere.
    pub fn allows(&self, s: &Subject<'_>) -> bool {
        if !self.rules.is_empty() && !self.rules.iter().any(|r| r == s.rule) {
            return false;
        }
        let target = match self.regex_target {
            RegexTarget::Secret => s.secret,
            RegexTarget::Match => s.matched,
            RegexTarget::Line => s.line,
        };
        let lower = s.secret.to_lowercase();
        let commit = s.commit.unwrap_or_default().to_ascii_lowercase();
        // (whether the entry has this condition, whether it holds)
        let conditions = [
            (!self.paths.is_empty(), self.paths.iter().any(|g| g.is_match(s.path))),
            (
                !self.regexes.is_empty(),
                self.regexes.iter().any(|r| r.is_match(target)),
            ),
            (
                !self.stopwords.is_empty(),
                self.stopwords.iter().any(|w| lower.contains(w.as_str())),
            ),
            (
                !self.commits.is_empty(),
                !commit.is_empty() && self.commits.iter().any(|c| names_commit(c, &commit)),
            ),
        ];
        let mut given = conditions.iter().filter(|(has, _)| *has).peekable();
        if given.peek().is_none() {
            return true;
        }
        match self.condition {
            Condition::Or => given.any(|(_, holds)| *holds),
            Condition::And => given.all(|(_, holds)| *holds),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_recognised() {
        for p in [
            "sk-proj-xxxxxxxxxxxxxxxxxxxx",
            "YOUR_API_KEY",
            "<token>",
            "${OPENAI_API_KEY}",
            "{{ secrets.KEY }}",
            "os.environ['KEY']",
            "AKIAIOSFODNN7EXAMPLE",
            "aaaaaaaaaaaaaaaa",
            "key-abcdefg9Q",
            "pass1234567",
            "p%40ss%3Aword",
            "Passw0rd!",
            "2YotnFZFEjr1zCsicMWpAA",
        ] {
            assert!(is_placeholder(p), "{p:?} not seen as a placeholder");
        }
        for real in ["q8Zr2LmX0vT7bN4kW1sYp9Dc", "ghp_Zx8Kq2Lm9Pw4Rt7Yv3Nb6Hj1Gf5Dc0Sa2Qe9W"] {
            assert!(!is_placeholder(real), "{real:?} seen as a placeholder");
        }
    }

    #[test]
    fn inline_markers() {
        assert!(has_inline_allow(r#"key = "abc"  # sealant:allow"#));
        assert!(has_inline_allow("key = abc // gitleaks:allow"));
        assert!(has_inline_allow("key = abc  # pragma: allowlist secret"));
        assert!(!has_inline_allow("key = abc  # allow"));
    }

    #[test]
    fn globs_anchor_like_gitignore() {
        let any_depth = path_glob("*.pem").unwrap();
        assert!(any_depth.is_match("a/b/c.pem") && any_depth.is_match("c.pem"));
        let rooted = path_glob("rules/*.toml").unwrap();
        assert!(rooted.is_match("rules/a.toml"));
        assert!(!rooted.is_match("x/rules/a.toml") && !rooted.is_match("rules/sub/a.toml"));
        let dir = path_glob("tests/fixtures/").unwrap();
        assert!(dir.is_match("tests/fixtures/a/b.txt") && !dir.is_match("tests/other.txt"));
        assert!(path_glob("a[").is_err());
    }

    fn subject<'a>(rule: &'a str, path: &'a str, secret: &'a str) -> Subject<'a> {
        Subject {
            rule,
            path,
            secret,
            matched: secret,
            line: secret,
            commit: None,
        }
    }

    #[test]
    fn and_entries_need_every_condition_and_targets_pick_the_text() {
        let mut entry = Allowlist::compile(
            AllowlistSpec {
                paths: vec!["tests/".into()],
                regexes: vec!["^fake_".into()],
                ..Default::default()
            },
            "c.toml",
        )
        .unwrap();
        entry.condition = Condition::And;
        assert!(entry.allows(&subject("r", "tests/a.py", "fake_1")));
        assert!(!entry.allows(&subject("r", "src/a.py", "fake_1")));
        assert!(!entry.allows(&subject("r", "tests/a.py", "real_1")));
        assert!(
            !entry.allows_whole_path("tests/a.py"),
            "an AND entry with a regex is not a path skip"
        );
        entry.regex_target = RegexTarget::Line;
        let mut s = subject("r", "tests/a.py", "real_1");
        s.line = "fake_token = real_1";
        assert!(entry.allows(&s));
        entry.commits = vec!["abc1234".into()];
        s.commit = Some("ABC1234DEF");
        assert!(entry.allows(&s), "a listed prefix matches the full commit id");
        s.commit = None;
        assert!(!entry.allows(&s), "a commit condition fails where there is no commit");
        entry.commits = vec!["abc123".into()];
        s.commit = Some("abc1234def");
        assert!(!entry.allows(&s), "six digits are too few to abbreviate a commit");
    }

    #[test]
    fn entries_scope_by_rule_and_match_any_condition() {
        let spec = AllowlistSpec {
            paths: vec!["fixtures/".into()],
            stopwords: vec!["fixture".into()],
            rules: vec!["openai-api-key".into()],
            ..Default::default()
        };
        let entry = Allowlist::compile(spec, ".sealant.toml").unwrap();
        assert!(entry.allows(&subject("openai-api-key", "fixtures/a.py", "sk-live")));
        assert!(entry.allows(&subject("openai-api-key", "src/a.py", "sk-FIXTURE-1")));
        assert!(!entry.allows(&subject("openai-api-key", "src/a.py", "sk-live")));
        assert!(!entry.allows(&subject("github-pat", "fixtures/a.py", "sk-live")));
        assert!(
            !entry.allows_whole_path("fixtures/a.py"),
            "rule-scoped entries never skip whole files"
        );
    }

    #[test]
    fn empty_entries_are_rejected() {
        let err = Allowlist::compile(AllowlistSpec::default(), "cfg.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("cfg.toml") && err.contains("allows nothing"), "{err}");
    }
}
