//! The scanning engine: bytes and line numbers in, findings out.
//!
//! One pass of an Aho-Corasick automaton over the fragment finds every keyword of every
//! rule. Only rules whose keywords hit run their regex, and only on the hit's neighbourhood
//! (the rule's `window` on each side, widened to whole lines, overlapping windows merged).
//! Each regex match then has to survive the filters: the secret group must be non-empty,
//! entropy above the rule's floor, not a placeholder, not allowed by the rule, by an inline
//! comment on its lines or a `nextline` comment on the line before (which a fragment of added
//! lines carries with it), or by the repository's allowlists (`.sealant.toml`'s and a
//! translated `.gitleaks.toml`'s, which may name the fragment's commit).
//!
//! Two more passes follow. Base64 values (a Kubernetes Secret's `data:`, a CI variable, a
//! JWT's payload) are decoded when they decode to text, substituted into their line and that
//! line is scanned again, up to [`MAX_DECODE_DEPTH`] levels deep; a finding there is reported
//! at the encoded value. Sensitive-file rules (a `path` and no `regex`) report the file itself
//! once per fragment that holds something other than comments and placeholders, when no
//! other rule found anything in it.

use std::sync::atomic::{AtomicUsize, Ordering};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::allow::{self, Allowlist, Subject};
use super::config::Config;
use super::entropy::shannon;
use super::finding::{Finding, fingerprint};
use super::rule::{Rule, RuleSet};
use crate::Error;

/// How many layers of base64 are peeled off a value (base64 of base64 of a key is seen).
pub const MAX_DECODE_DEPTH: usize = 2;

/// Base64 runs shorter than this (12 decoded bytes) are not decoded: too short to hold a key.
const MIN_ENCODED_LEN: usize = 16;

/// Base64 runs longer than this are not decoded: images and archives, not credentials.
const MAX_ENCODED_LEN: usize = 16 * 1024;

/// Contiguous text taken from a file, the 1-based line number of its first line, and, in
/// push and history scans, the commit that adds it.
#[derive(Debug, Clone, Copy)]
pub struct Fragment<'a> {
    /// The text, whole lines with their line endings.
    pub text: &'a str,
    /// Line number of the first line in the file.
    pub first_line: u32,
    /// The commit that adds the text; findings carry it and allowlists may name it.
    pub commit: Option<&'a str>,
    /// The file's line before `text`, when there is one and `text` does not hold it (a hunk
    /// of added lines): a comment there may allow the fragment's first line.
    pub previous_line: Option<&'a str>,
}

impl<'a> Fragment<'a> {
    /// A fragment whose first line is line `first_line` of its file.
    pub fn new(text: &'a str, first_line: u32) -> Self {
        Fragment {
            text,
            first_line,
            commit: None,
            previous_line: None,
        }
    }

    /// The same fragment, which follows `line` in its file.
    pub fn after_line(self, line: &'a str) -> Self {
        Fragment {
            previous_line: Some(line),
            ..self
        }
    }

    /// The lines of `text` at `bytes` (a hunk of added lines), whose first is line
    /// `first_line`, knowing the file's line before them.
    pub fn within(text: &'a str, bytes: std::ops::Range<usize>, first_line: u32) -> Self {
        Fragment {
            previous_line: previous_line(text, bytes.start, None),
            ..Fragment::new(&text[bytes], first_line)
        }
    }

    /// The same fragment, added by `commit`.
    pub fn in_commit(self, commit: &'a str) -> Self {
        Fragment {
            commit: Some(commit),
            ..self
        }
    }
}

/// Where scanned text sits: its file, in push and history scans its commit, and the file's
/// line before the text.
#[derive(Debug, Clone, Copy)]
struct Place<'p> {
    path: &'p str,
    commit: Option<&'p str>,
    previous_line: Option<&'p str>,
}

/// An immutable, compiled scanner: rules, keyword automaton and allowlists.
#[derive(Debug)]
pub struct Scanner {
    rules: Vec<Rule>,
    keywords: AhoCorasick,
    /// For each keyword pattern, the rules that listed it.
    keyword_rules: Vec<Vec<usize>>,
    /// Rules without keywords: their regex runs over every fragment.
    unfiltered: Vec<usize>,
    /// Sensitive-file rules: a path and no regex.
    path_rules: Vec<usize>,
    allowlists: Vec<Allowlist>,
    /// How many times each allowlist entry let something go (a candidate, or a whole path):
    /// an entry that never does has rotted (`sealant scan --unused-allowlists`).
    allowlist_hits: Vec<AtomicUsize>,
    /// What a translated `.gitleaks.toml` could not carry over.
    notes: Vec<String>,
}

/// A regex match that became a candidate, before the filters.
struct Candidate<'t> {
    rule: usize,
    /// Byte range of the whole match.
    matched: (usize, usize),
    /// Byte range of the secret.
    secret: (usize, usize),
    text: &'t str,
}

impl Scanner {
    /// Builds a scanner from a rule set and a repository config: adds the config's extra
    /// rules, drops its disabled ones, compiles the keyword automaton.
    pub fn new(mut rules: RuleSet, config: &Config) -> Result<Scanner, Error> {
        rules.add_specs(config.extra_rules.clone(), &config.origin, true)?;
        let gitleaks = match &config.gitleaks {
            Some(gitleaks) => gitleaks.apply(&mut rules)?,
            None => Default::default(),
        };
        rules.disable(&config.disabled, &config.origin)?;
        for entry in &config.allowlists {
            if let Some(unknown) = entry.rule_ids().iter().find(|id| rules.get(id).is_none()) {
                return Err(Error::Config {
                    origin: config.origin.clone(),
                    message: format!("[[allowlist]] names rule `{unknown}`, which is not a rule id"),
                });
            }
        }
        let rules = rules.into_rules();
        let mut patterns: Vec<&str> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        let mut unfiltered = Vec::new();
        let mut path_rules = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            if rule.is_path_only() {
                path_rules.push(index);
                continue;
            }
            if rule.keywords.is_empty() {
                unfiltered.push(index);
            }
            for keyword in &rule.keywords {
                match patterns.iter().position(|p| p == keyword) {
                    Some(at) => keyword_rules[at].push(index),
                    None => {
                        patterns.push(keyword);
                        keyword_rules.push(vec![index]);
                    }
                }
            }
        }
        let keywords = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            // Overlapping search needs the standard semantics. The DFA would scan twice as
            // fast but costs ~8M instructions to build with case folding: more than it saves.
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .map_err(|e| Error::Config {
                origin: config.origin.clone(),
                message: format!("keyword automaton: {e}"),
            })?;
        Ok(Scanner {
            rules,
            keywords,
            keyword_rules,
            unfiltered,
            path_rules,
            allowlist_hits: (0..config.allowlists.len() + gitleaks.allowlists.len())
                .map(|_| AtomicUsize::new(0))
                .collect(),
            allowlists: config.allowlists.iter().cloned().chain(gitleaks.allowlists).collect(),
            notes: gitleaks.notes,
        })
    }

    /// Whether an allowlist entry allows what `allows` asks about; counts the first that does.
    fn allowed_by_list(&self, allows: impl Fn(&Allowlist) -> bool) -> bool {
        match self.allowlists.iter().position(allows) {
            Some(i) => {
                self.allowlist_hits[i].fetch_add(1, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    /// The allowlist entries that have let nothing go in what this scanner has scanned so far.
    pub fn unused_allowlists(&self) -> Vec<&Allowlist> {
        self.allowlists
            .iter()
            .zip(&self.allowlist_hits)
            .filter(|(_, hits)| hits.load(Ordering::Relaxed) == 0)
            .map(|(a, _)| a)
            .collect()
    }

    /// The rules this scanner runs.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The allowlist entries it applies: `.sealant.toml`'s, then `.gitleaks.toml`'s.
    pub fn allowlists(&self) -> &[Allowlist] {
        &self.allowlists
    }

    /// Compiles in full every regex another tool's configuration brought in: the hook only
    /// parses them at load time and compiles each on first use. One message per regex that
    /// cannot be compiled (a size limit, which parsing does not see); `sealant doctor` shows them.
    pub fn check_imported(&self) -> Vec<String> {
        let rules = self
            .rules
            .iter()
            .filter(|r| r.imported)
            .filter_map(|r| r.check_regex().err().map(|e| e.to_string()));
        let allowlists = self.allowlists.iter().filter_map(|a| a.check().err());
        rules.chain(allowlists).collect()
    }

    /// What a `.gitleaks.toml` held that sealant does not carry over.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Whether a repository allowlist entry excludes `path` entirely (nothing in it is
    /// scanned).
    pub fn path_is_allowed(&self, path: &str) -> bool {
        self.allowed_by_list(|a| a.allows_whole_path(path))
    }

    /// Scans the fragments of one file (a change's hunks). A sensitive file is reported once
    /// per file, not once per fragment, and not at all when a secret in it is: the rule
    /// [`Scanner::scan`] keeps within a fragment, kept across them.
    pub fn scan_fragments<'f>(&self, path: &str, fragments: impl IntoIterator<Item = Fragment<'f>>) -> Vec<Finding> {
        let mut findings: Vec<Finding> = fragments.into_iter().flat_map(|f| self.scan(path, &f)).collect();
        let file_rule = |f: &Finding| self.path_rules.iter().any(|&i| self.rules[i].id == f.rule);
        if findings.iter().any(|f| !file_rule(f)) {
            findings.retain(|f| !file_rule(f));
        } else {
            let mut seen = std::collections::HashSet::new();
            findings.retain(|f| seen.insert(f.rule.clone()));
        }
        findings
    }

    /// Scans one fragment of the file at `path` and returns its findings in text order.
    pub fn scan(&self, path: &str, fragment: &Fragment<'_>) -> Vec<Finding> {
        if fragment.text.is_empty() || self.path_is_allowed(path) {
            return Vec::new();
        }
        let at = Place {
            path,
            commit: fragment.commit,
            previous_line: fragment.previous_line,
        };
        let kept = self.most_specific(self.survivors(at, fragment.text));
        let mut findings: Vec<Finding> = kept.iter().map(|c| self.finding(c, path, fragment)).collect();
        let taken: Vec<(usize, usize)> = kept.iter().map(|c| c.secret).collect();
        findings.extend(self.decoded(at, fragment, &taken, 0, None));
        findings.extend(self.unescaped(at, fragment, &findings));
        // A sensitive file whose content already yields findings needs no second report.
        if findings.is_empty() {
            findings.extend(self.sensitive_files(at, fragment));
        }
        findings.sort_by_key(|f| (f.line, f.column));
        for f in &mut findings {
            f.commit = fragment.commit.map(str::to_owned);
        }
        findings
    }

    /// Runs a single rule over `text` with every filter, ignoring its path filter and other
    /// rules: what the builtin-rules test and `rules check` use to prove a rule's examples.
    /// For a sensitive-file rule, `text` is a path and the file holds one ordinary line.
    pub fn scan_with_rule(&self, rule_id: &str, text: &str) -> Vec<Finding> {
        if let Some(rule) = self.rules.iter().position(|r| r.id == rule_id && r.is_path_only()) {
            let content = Fragment::new(SENSITIVE_FILE_PROBE, 1);
            let at = Place {
                path: text,
                commit: None,
                previous_line: None,
            };
            return self.sensitive_file(rule, at, &content).into_iter().collect();
        }
        let fragment = Fragment::new(text, 1);
        let mut found: Vec<Finding> = self
            .survivors_anywhere(text)
            .iter()
            .filter(|c| self.rules[c.rule].id == rule_id)
            .map(|c| self.finding(c, "example.txt", &fragment))
            .collect();
        found.extend(
            self.decoded(EXAMPLE_PLACE, &fragment, &[], 0, Some(rule_id))
                .into_iter()
                .filter(|f| f.rule == rule_id),
        );
        found
    }

    /// Everything the builtin-rules test and `sealant rules check` demand of a rule: its
    /// regexes compile, it has negative examples and says what a leak enables and how to
    /// rotate, every example yields a finding of this rule and no negative example yields a
    /// finding of any rule. Each problem is one message naming the rule.
    pub fn check_rule(&self, rule: &Rule) -> Vec<String> {
        let mut failures = Vec::new();
        if let Err(e) = rule.check_regex() {
            failures.push(e.to_string());
            return failures;
        }
        if rule.negative_examples.is_empty() {
            failures.push(format!("{}: needs at least one negative example", rule.id));
        }
        if rule.blast_radius.is_empty() || rule.rotate.is_empty() {
            failures.push(format!("{}: needs `blast_radius` and `rotate`", rule.id));
        }
        for example in &rule.examples {
            if self.scan_with_rule(&rule.id, example).is_empty() {
                failures.push(format!(
                    "{}: example yields no finding of this rule: {example:?}",
                    rule.id
                ));
            }
        }
        for negative in &rule.negative_examples {
            // A sensitive-file rule's negative examples are paths that must not be reported.
            let found = if rule.is_path_only() {
                self.scan(negative, &Fragment::new(SENSITIVE_FILE_PROBE, 1))
                    .into_iter()
                    .filter(|f| f.rule == rule.id)
                    .collect()
            } else {
                self.scan("example.txt", &Fragment::new(negative, 1))
            };
            if let Some(f) = found.first() {
                failures.push(format!(
                    "{}: negative example yields a finding of {}: {negative:?}",
                    rule.id, f.rule
                ));
            }
        }
        failures
    }

    /// Base64 values in `fragment` that decode to text, each substituted into its line and
    /// the line scanned again; findings inside the decoded text are reported at the encoded
    /// value (line, column and line text of the original). Runs overlapping a secret already
    /// found in plain text (`taken`) are left alone.
    fn decoded(
        &self,
        at: Place<'_>,
        fragment: &Fragment<'_>,
        taken: &[(usize, usize)],
        depth: usize,
        only_rule: Option<&str>,
    ) -> Vec<Finding> {
        let text = fragment.text;
        let mut out = Vec::new();
        if depth >= MAX_DECODE_DEPTH {
            return out;
        }
        for (start, end) in base64_runs(text) {
            if taken.iter().any(|&(a, b)| a < end && start < b) {
                continue;
            }
            let Some(plain) = decode_base64_text(&text[start..end]) else {
                continue;
            };
            let (line_start, line_end) = line_bounds(text, start, end);
            let line = format!("{}{}{}", &text[line_start..start], plain, &text[end..line_end]);
            let inside = (start - line_start, start - line_start + plain.len());
            let overlaps = |s: (usize, usize)| s.0 < inside.1 && inside.0 < s.1;
            // The synthetic line stands where the original did: the line before is the file's.
            let at = Place {
                previous_line: previous_line(text, line_start, at.previous_line),
                ..at
            };
            let mut kept: Vec<Candidate<'_>> = self.survivors(at, &line);
            if let Some(id) = only_rule {
                kept.retain(|c| self.rules[c.rule].id == id);
            } else {
                kept = self.most_specific(kept);
            }
            kept.retain(|c| overlaps(c.secret));
            let inner = Fragment::new(&line, 1);
            let mut found: Vec<Finding> = kept.iter().map(|c| self.finding(c, at.path, &inner)).collect();
            let outside: Vec<(usize, usize)> = kept
                .iter()
                .map(|c| c.secret)
                .chain([(0, inside.0), (inside.1, line.len())])
                .collect();
            found.extend(self.decoded(at, &inner, &outside, depth + 1, only_rule));
            let line_no = fragment.first_line + count_newlines(&text[..start]);
            let column = u32::try_from(text[line_start..start].chars().count() + 1).unwrap_or(u32::MAX);
            let line_text = text[line_start..line_end].trim_end_matches(['\r', '\n']).to_owned();
            for mut f in found {
                f.line = line_no;
                f.end_line = line_no;
                f.column = column;
                f.line_text.clone_from(&line_text);
                out.push(f);
            }
        }
        out
    }

    /// Lines holding JSON string escapes (a notebook cell's source or output, JSON inside
    /// JSON) are unescaped and scanned again, so that `key = \"…\"` and `KEY=…\n"` read as they
    /// do in the cell; findings are reported on the escaped line, once per secret.
    fn unescaped(&self, at: Place<'_>, fragment: &Fragment<'_>, already: &[Finding]) -> Vec<Finding> {
        let text = fragment.text;
        let mut out: Vec<Finding> = Vec::new();
        let escaped = |s: &str| s.contains("\\\"") || s.contains("\\n\"");
        if !escaped(text) {
            return out;
        }
        let mut offset = 0;
        for (number, line) in (fragment.first_line..).zip(text.split_inclusive('\n')) {
            let line_start = offset;
            offset += line.len();
            if !escaped(line) {
                continue;
            }
            let at = Place {
                previous_line: previous_line(text, line_start, at.previous_line),
                ..at
            };
            let plain = json_unescape(line);
            let inner = Fragment::new(&plain, 1);
            let kept = self.most_specific(self.survivors(at, &plain));
            let line_text = line.trim_end_matches(['\r', '\n']);
            for c in &kept {
                let mut f = self.finding(c, at.path, &inner);
                let seen = |g: &Finding| g.line == number && g.secret == f.secret;
                if already.iter().any(seen) || out.iter().any(seen) {
                    continue;
                }
                let column = line_text
                    .find(f.secret.as_str())
                    .map_or(1, |i| line_text[..i].chars().count() + 1);
                f.line = number;
                f.end_line = number;
                f.column = u32::try_from(column).unwrap_or(u32::MAX);
                line_text.clone_into(&mut f.line_text);
                out.push(f);
            }
        }
        out
    }

    /// Findings of the sensitive-file rules whose path glob matches `path`.
    fn sensitive_files(&self, at: Place<'_>, fragment: &Fragment<'_>) -> Vec<Finding> {
        self.path_rules
            .iter()
            .filter_map(|&rule| self.sensitive_file(rule, at, fragment))
            .collect()
    }

    /// The finding of one sensitive-file rule: the file's first line of content, unless the
    /// fragment holds nothing but comments and placeholders (a template's `KEY=your-key`), or
    /// the path is allowed or looks like a template itself (`.env.example`).
    fn sensitive_file(&self, index: usize, at: Place<'_>, fragment: &Fragment<'_>) -> Option<Finding> {
        let rule = &self.rules[index];
        let path = at.path;
        if !rule.applies_to(path) || allow::is_placeholder(path) || rule.allows(path) {
            return None;
        }
        let lower = path.to_lowercase();
        if rule.stopwords.iter().any(|s| lower.contains(s.as_str())) {
            return None;
        }
        let (start, end) = first_real_line(fragment.text)?;
        let line = &fragment.text[start..end];
        let subject = Subject {
            rule: &rule.id,
            path,
            secret: path,
            matched: path,
            line,
            commit: at.commit,
        };
        if allow::has_inline_allow(line) || self.allowed_by_list(|a| a.allows(&subject)) {
            return None;
        }
        Some(Finding {
            rule: rule.id.clone(),
            description: rule.description.clone(),
            surface: rule.surface,
            severity: rule.severity,
            path: path.to_owned(),
            line: fragment.first_line + count_newlines(&fragment.text[..start]),
            column: 1,
            end_line: fragment.first_line + count_newlines(&fragment.text[..start]),
            line_text: line.trim_end_matches('\r').to_owned(),
            secret: path.to_owned(),
            fingerprint: fingerprint(&rule.id, path),
            blast_radius: rule.blast_radius.clone(),
            rotate: rule.rotate.clone(),
            commit: None,
            origin: None,
        })
    }

    fn survivors<'t>(&self, at: Place<'_>, text: &'t str) -> Vec<Candidate<'t>> {
        self.candidates(Some(at.path), text)
            .into_iter()
            .filter(|c| self.survives(c, at))
            .collect()
    }

    /// Like `survivors`, with every rule's path filter ignored (proving a path-scoped rule's
    /// examples, which are not written at the paths the rule is for).
    fn survivors_anywhere<'t>(&self, text: &'t str) -> Vec<Candidate<'t>> {
        self.candidates(None, text)
            .into_iter()
            .filter(|c| self.survives(c, EXAMPLE_PLACE))
            .collect()
    }

    /// One finding per secret: where matches of several rules overlap (a GitHub token on a
    /// `.env` line also matches the generic assignment rule), the most specific wins: a
    /// provider rule over a generic one, then the longer secret, then the earlier rule.
    fn most_specific<'t>(&self, mut candidates: Vec<Candidate<'t>>) -> Vec<Candidate<'t>> {
        let rank = |c: &Candidate<'_>| {
            let generic = self.rules[c.rule].is_generic();
            (generic, std::cmp::Reverse(c.secret.1 - c.secret.0), c.rule)
        };
        candidates.sort_by_key(rank);
        let mut kept: Vec<Candidate<'t>> = Vec::new();
        for c in candidates {
            if !kept.iter().any(|k| k.secret.0 < c.secret.1 && c.secret.0 < k.secret.1) {
                kept.push(c);
            }
        }
        kept
    }

    /// Keyword prefilter, then each triggered rule's regex over its merged windows.
    fn candidates<'t>(&self, path: Option<&str>, text: &'t str) -> Vec<Candidate<'t>> {
        let mut hits: Vec<(usize, usize, usize)> = Vec::new();
        for m in self.keywords.find_overlapping_iter(text) {
            for &rule in &self.keyword_rules[m.pattern().as_usize()] {
                hits.push((rule, m.start(), m.end()));
            }
        }
        hits.extend(self.unfiltered.iter().map(|&rule| (rule, 0, text.len())));
        hits.sort_unstable();
        hits.dedup();

        let mut out = Vec::new();
        let mut at = 0;
        while at < hits.len() {
            let rule_index = hits[at].0;
            let end = hits[at..]
                .iter()
                .position(|h| h.0 != rule_index)
                .map_or(hits.len(), |n| at + n);
            let rule = &self.rules[rule_index];
            if path.is_none_or(|p| rule.applies_to(p)) {
                let spans = hits[at..end].iter().map(|h| (h.1, h.2));
                for (start, stop) in merge_windows(text, spans, rule.window) {
                    collect_matches(rule_index, rule, text, start, stop, &mut out);
                }
            }
            at = end;
        }
        out
    }

    /// The filters every candidate must survive to become a finding.
    fn survives(&self, c: &Candidate<'_>, at: Place<'_>) -> bool {
        let rule = &self.rules[c.rule];
        let secret = &c.text[c.secret.0..c.secret.1];
        if rule.entropy.is_some_and(|min| shannon(secret) < min) || allow::is_placeholder(secret) {
            return false;
        }
        if rule.allows(secret) {
            return false;
        }
        // A generic value that is base64 of text (a page token, a Kubernetes `data:` value)
        // is judged by what it decodes to: the decoding pass scans that. Base64 of a
        // `user:password` pair (HTTP Basic) is a credential as it stands.
        if rule.is_generic() && decode_base64_text(secret).is_some_and(|t| t.len() >= 12 && !is_credential_pair(&t)) {
            return false;
        }
        if !rule.stopwords.is_empty() {
            let lower = secret.to_lowercase();
            if rule.stopwords.iter().any(|s| lower.contains(s.as_str())) {
                return false;
            }
        }
        let (line_start, line_end) = line_bounds(c.text, c.matched.0, c.matched.1);
        let line = &c.text[line_start..line_end];
        if allow::has_inline_allow(line)
            || previous_line(c.text, line_start, at.previous_line).is_some_and(allow::allows_next_line)
        {
            return false;
        }
        let subject = Subject {
            rule: &rule.id,
            path: at.path,
            secret,
            matched: &c.text[c.matched.0..c.matched.1],
            line: line.trim_end_matches(['\r', '\n']),
            commit: at.commit,
        };
        !self.allowed_by_list(|a| a.allows(&subject))
    }

    fn finding(&self, c: &Candidate<'_>, path: &str, fragment: &Fragment<'_>) -> Finding {
        let rule = &self.rules[c.rule];
        let text = fragment.text;
        let secret = &text[c.secret.0..c.secret.1];
        let before = &text[..c.secret.0];
        let line_start = before.rfind('\n').map_or(0, |n| n + 1);
        let line_end = text[c.secret.0..].find('\n').map_or(text.len(), |n| c.secret.0 + n);
        let lines_before = count_newlines(before);
        Finding {
            rule: rule.id.clone(),
            description: rule.description.clone(),
            surface: rule.surface,
            severity: rule.severity,
            path: path.to_owned(),
            line: fragment.first_line + lines_before,
            column: u32::try_from(text[line_start..c.secret.0].chars().count() + 1).unwrap_or(u32::MAX),
            end_line: fragment.first_line + lines_before + count_newlines(secret.trim_end_matches('\n')),
            line_text: text[line_start..line_end].trim_end_matches('\r').to_owned(),
            secret: secret.to_owned(),
            fingerprint: fingerprint(&rule.id, secret),
            blast_radius: rule.blast_radius.clone(),
            rotate: rule.rotate.clone(),
            commit: None,
            origin: None,
        }
    }
}

/// Where a rule's examples are scanned: a neutral path, no commit.
const EXAMPLE_PLACE: Place<'static> = Place {
    path: "example.txt",
    commit: None,
    previous_line: None,
};

/// The line before the one starting at `line_start` in `text`; `before` (the line before the
/// text) for its first line.
fn previous_line<'t>(text: &'t str, line_start: usize, before: Option<&'t str>) -> Option<&'t str> {
    if line_start == 0 {
        return before;
    }
    let end = line_start - 1;
    let start = text[..end].rfind('\n').map_or(0, |n| n + 1);
    Some(text[start..end].trim_end_matches('\r'))
}

/// The content a sensitive-file rule's examples are checked with: one ordinary setting.
const SENSITIVE_FILE_PROBE: &str = "TOKEN=q8Zr2LmX0vT7bN4kW1sY\n";

/// The byte range of the first line that is neither blank, nor a comment, nor a setting
/// whose value is empty or a placeholder; `None` when there is no such line.
fn first_real_line(text: &str) -> Option<(usize, usize)> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let body = line.trim();
        if body.is_empty() || body.starts_with('#') || body.starts_with("//") || body.starts_with(';') {
            continue;
        }
        let value = body
            .split_once(['=', ':'])
            .map_or(body, |(_, v)| v.trim().trim_matches(['"', '\'', ' ']));
        if value.is_empty() || allow::is_placeholder(value) {
            continue;
        }
        return Some((start, start + line.trim_end_matches('\n').len()));
    }
    None
}

/// The JSON string escapes a secret can sit behind: `\"`, `\\`, `\/`, `\n`, `\t`.
fn json_unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other @ ('"' | '\\' | '/')) => out.push(other),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// `user:password`, as HTTP Basic and Docker configs encode it: one colon, no spaces or JSON.
fn is_credential_pair(text: &str) -> bool {
    text.split_once(':').is_some_and(|(user, pass)| {
        !user.is_empty() && !pass.is_empty() && !text.contains(|c: char| c.is_whitespace() || "{}\"'".contains(c))
    })
}

/// Maximal runs of base64 (standard or URL-safe alphabet, optional `=` padding) long enough
/// to hold a credential, as byte ranges.
fn base64_runs(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if !is_base64_byte(bytes[at]) {
            at += 1;
            continue;
        }
        let start = at;
        while at < bytes.len() && is_base64_byte(bytes[at]) {
            at += 1;
        }
        let mut end = at;
        while end < bytes.len() && end - at < 2 && bytes[end] == b'=' {
            end += 1;
        }
        at = end.max(at);
        // Base64 of text mixes cases and digits; a snake_case identifier or a word does not.
        let run = &bytes[start..end];
        let mixed = run.iter().any(u8::is_ascii_uppercase)
            && run.iter().any(u8::is_ascii_lowercase)
            && run.iter().any(u8::is_ascii_digit);
        if mixed && (MIN_ENCODED_LEN..=MAX_ENCODED_LEN).contains(&(end - start)) {
            runs.push((start, end));
        }
    }
    runs
}

fn is_base64_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_')
}

/// Decodes base64 (either alphabet, padded or not) when the result is printable text: the
/// shape of a key, a password, a JSON or YAML document; binary blobs give `None`.
fn decode_base64_text(run: &str) -> Option<String> {
    let body = run.trim_end_matches('=');
    let bytes = body.as_bytes();
    let standard = bytes.iter().any(|&b| b == b'+' || b == b'/');
    let url_safe = bytes.iter().any(|&b| b == b'-' || b == b'_');
    if (standard && url_safe) || bytes.len() % 4 == 1 || (run.len() != body.len() && !run.len().is_multiple_of(4)) {
        return None;
    }
    let value = |b: u8| -> u32 {
        match b {
            b'A'..=b'Z' => u32::from(b - b'A'),
            b'a'..=b'z' => u32::from(b - b'a') + 26,
            b'0'..=b'9' => u32::from(b - b'0') + 52,
            b'+' | b'-' => 62,
            _ => 63,
        }
    };
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut acc = 0u32;
        for (i, &b) in chunk.iter().enumerate() {
            acc |= value(b) << (18 - 6 * i);
        }
        let produced = chunk.len() * 3 / 4;
        for i in 0..produced {
            let byte = (acc >> (16 - 8 * i)) & 0xff;
            let byte = u8::try_from(byte).expect("masked to a byte");
            if !(byte == b'\n' || byte == b'\r' || byte == b'\t' || (0x20..0x7f).contains(&byte)) {
                return None;
            }
            out.push(byte);
        }
    }
    String::from_utf8(out).ok()
}

fn count_newlines(s: &str) -> u32 {
    u32::try_from(s.bytes().filter(|&b| b == b'\n').count()).unwrap_or(u32::MAX)
}

/// Byte range of the whole lines that contain `start..end`.
fn line_bounds(text: &str, start: usize, end: usize) -> (usize, usize) {
    let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
    let last = end.max(start + 1).min(text.len());
    let line_end = text[last.saturating_sub(1)..]
        .find('\n')
        .map_or(text.len(), |n| last - 1 + n);
    (line_start, line_end.max(line_start))
}

/// Widens each keyword hit by `radius` bytes on both sides, then to whole lines, and merges
/// windows that touch. Hits arrive sorted by start.
fn merge_windows(text: &str, hits: impl Iterator<Item = (usize, usize)>, radius: usize) -> Vec<(usize, usize)> {
    let mut windows: Vec<(usize, usize)> = Vec::new();
    for (start, end) in hits {
        let lo = start.saturating_sub(radius);
        let lo = text.as_bytes()[..lo]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |n| n + 1);
        let hi = (end + radius).min(text.len());
        let hi = text.as_bytes()[hi..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(text.len(), |n| hi + n + 1);
        match windows.last_mut() {
            Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
            _ => windows.push((lo, hi)),
        }
    }
    windows
}

fn collect_matches<'t>(
    rule_index: usize,
    rule: &Rule,
    text: &'t str,
    start: usize,
    stop: usize,
    out: &mut Vec<Candidate<'t>>,
) {
    let group = rule.secret_group();
    for caps in rule.regex().captures_iter(&text[start..stop]) {
        // Without an explicit `secret_group`, a regex of alternatives (`KEY … provider` or
        // `provider … KEY`) reports whichever group took part in the match.
        let secret = caps.get(group).or_else(|| {
            rule.secret_group
                .is_none()
                .then(|| caps.iter().skip(1).flatten().next())
                .flatten()
        });
        let (Some(whole), Some(secret)) = (caps.get(0), secret) else {
            continue;
        };
        if secret.is_empty() {
            continue;
        }
        out.push(Candidate {
            rule: rule_index,
            matched: (start + whole.start(), start + whole.end()),
            secret: (start + secret.start(), start + secret.end()),
            text,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACK: &str = r#"
[[rules]]
id = "demo-token"
description = "Demo token"
surface = "generic"
keywords = ["demo_"]
regex = '''\b(demo_[A-Za-z0-9]{12})\b'''
entropy = 2.5
examples = ["demo_Q8zR2lMx0vT7"]

[[rules]]
id = "demo-block"
description = "Demo block"
surface = "generic"
keywords = ["begin demo"]
regex = '''(?s)-----BEGIN DEMO-----.*?-----END DEMO-----'''
window = 4096
examples = ["-----BEGIN DEMO-----\nq8\n-----END DEMO-----"]
"#;

    fn scanner(config: &str) -> Scanner {
        let mut rules = RuleSet::default();
        rules.add_pack("demo.toml", PACK, true).unwrap();
        Scanner::new(rules, &Config::parse(config, ".sealant.toml").unwrap()).unwrap()
    }

    #[test]
    fn reports_line_and_column_from_the_fragment_start() {
        let text = "a = 1\nkey = 'demo_Q8zR2lMx0vT7'\n";
        let found = scanner("").scan("app.py", &Fragment::new(text, 40));
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!((f.line, f.column, f.end_line), (41, 8, 41));
        assert_eq!(f.secret, "demo_Q8zR2lMx0vT7");
        assert_eq!(f.line_text, "key = 'demo_Q8zR2lMx0vT7'");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "clé = «demo_Q8zR2lMx0vT7»\r\n";
        let found = scanner("").scan("a.txt", &Fragment::new(text, 1));
        assert_eq!(found[0].column, 8);
        assert_eq!(found[0].line_text, "clé = «demo_Q8zR2lMx0vT7»");
    }

    #[test]
    fn keyword_case_is_ignored_but_regex_case_is_not() {
        let found = scanner("").scan("a", &Fragment::new("DEMO_Q8zR2lMx0vT7 demo_Q8zR2lMx0vT7", 1));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].column, 19);
    }

    #[test]
    fn a_multi_line_block_is_one_finding() {
        let body = "x9".repeat(400);
        let text = format!("-----BEGIN DEMO-----\n{body}\n{body}\n-----END DEMO-----\n");
        let found = scanner("").scan("k.pem", &Fragment::new(&text, 3));
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].line, found[0].end_line), (3, 6));
    }

    #[test]
    fn filters_drop_placeholders_low_entropy_and_allowed_lines() {
        let s = scanner("");
        for line in [
            "demo_xxxxxxxxxxxx",
            "demo_aaaaaaaaaaab",
            "k = 'demo_Q8zR2lMx0vT7'  # sealant:allow",
            "k = 'demo_Q8zR2lMx0vT7'  // gitleaks:allow",
        ] {
            assert!(s.scan("a", &Fragment::new(line, 1)).is_empty(), "{line}");
        }
    }

    #[test]
    fn a_nextline_pragma_allows_only_the_next_line_in_the_text_or_before_it() {
        let s = scanner("");
        let pragma = "# pragma: allowlist nextline secret";
        let text = format!("{pragma}\nk = 'demo_Q8zR2lMx0vT7'\nk = 'demo_W4kP9sN2bV6c'\n");
        let found = s.scan("a", &Fragment::new(&text, 1));
        assert_eq!(found.iter().map(|f| f.line).collect::<Vec<_>>(), [3]);
        let hunk = "k = 'demo_Q8zR2lMx0vT7'\nk = 'demo_W4kP9sN2bV6c'\n";
        let found = s.scan("a", &Fragment::new(hunk, 2).after_line(pragma));
        let file = format!("{pragma}\r\n{hunk}");
        let within = Fragment::within(&file, pragma.len() + 2..file.len(), 2);
        assert_eq!(
            (within.text, within.previous_line),
            (hunk, Some(pragma)),
            "CRLF trimmed"
        );
        assert_eq!(Fragment::within(&file, 0..file.len(), 1).previous_line, None);
        assert_eq!(
            found.iter().map(|f| f.line).collect::<Vec<_>>(),
            [3],
            "the line before the hunk"
        );
        let encoded = format!("{pragma}\nv: {}\n", base64("k = 'demo_Q8zR2lMx0vT7'"));
        assert!(s.scan("a", &Fragment::new(&encoded, 1)).is_empty(), "decoded lines too");
        let bare = encoded.replace(pragma, "# settings");
        assert_eq!(s.scan("a", &Fragment::new(&bare, 1)).len(), 1, "found when not allowed");
    }

    fn base64(text: &str) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in text.as_bytes().chunks(3) {
            let n = chunk.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b)) << (8 * (3 - chunk.len()));
            for i in 0..=chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            }
        }
        while !out.len().is_multiple_of(4) {
            out.push('=');
        }
        out
    }

    #[test]
    fn a_sensitive_file_is_one_finding_across_fragments() {
        let s = Scanner::new(RuleSet::builtin().unwrap(), &Config::default()).unwrap();
        let hunks = [Fragment::new("MODE=fast\n", 1), Fragment::new("LEVEL=three\n", 20)];
        let found = s.scan_fragments("deploy/.env", hunks);
        assert_eq!(
            found.iter().map(|f| f.rule.as_str()).collect::<Vec<_>>(),
            ["dotenv-file"]
        );
        let secret = format!("GITHUB_TOKEN=ghp_{}\n", "Zx8Kq2Lm9Pw4Rt7Yv3Nb6Hj1Gf5Dc0Sa2Qe9W");
        let hunks = [Fragment::new("MODE=fast\n", 1), Fragment::new(&secret, 20)];
        let rules: Vec<String> = s
            .scan_fragments("deploy/.env", hunks)
            .into_iter()
            .map(|f| f.rule)
            .collect();
        assert_eq!(rules.len(), 1, "{rules:?}");
        assert_ne!(
            rules[0], "dotenv-file",
            "the secret is the finding, the file needs no second"
        );
    }

    #[test]
    fn far_apart_hits_each_get_their_window() {
        let filler = "z = 0\n".repeat(500);
        let text = format!("demo_Q8zR2lMx0vT7\n{filler}demo_W4kP9sN2bV6c\n");
        let found = scanner("").scan("a", &Fragment::new(&text, 1));
        assert_eq!(found.iter().map(|f| f.line).collect::<Vec<_>>(), [1, 502]);
    }

    #[test]
    fn repository_allowlists_apply() {
        let line = Fragment::new("demo_Q8zR2lMx0vT7", 1);
        let by_path = scanner("[[allowlist]]\npaths = ['fixtures/']\n");
        assert!(by_path.scan("fixtures/a.txt", &line).is_empty());
        assert_eq!(by_path.scan("src/a.txt", &line).len(), 1);
        let by_regex = scanner("[[allowlist]]\nregexes = ['^demo_Q8']\n");
        assert!(by_regex.scan("src/a.txt", &line).is_empty());
        let by_rule = scanner("[[allowlist]]\nrules = ['demo-token']\n");
        assert!(by_rule.scan("src/a.txt", &line).is_empty());
        let disabled = scanner("[scan]\ndisable = ['demo-token']\n");
        assert!(disabled.scan("src/a.txt", &line).is_empty());
    }

    #[test]
    fn allowlists_naming_unknown_rules_are_errors() {
        let mut rules = RuleSet::default();
        rules.add_pack("demo.toml", PACK, true).unwrap();
        let config = Config::parse("[[allowlist]]\nrules = ['demo-tokn']\n", "c.toml").unwrap();
        let err = Scanner::new(rules, &config).unwrap_err().to_string();
        assert!(err.contains("demo-tokn") && err.contains("c.toml"), "{err}");
    }

    #[test]
    fn overlapping_matches_of_two_rules_are_one_finding_of_the_specific_rule() {
        let mut rules = RuleSet::default();
        rules.add_pack("demo.toml", PACK, true).unwrap();
        rules
            .add_pack(
                "generic.toml",
                r#"
[[rules]]
id = "demo-assignment"
description = "Any assignment"
surface = "generic"
keywords = ["key"]
regex = '''key\s*=\s*'([^']+)''''
examples = ["key = 'Q8zR2lMx0vT7'"]
"#,
                true,
            )
            .unwrap();
        let s = Scanner::new(rules, &Config::default()).unwrap();
        let found = s.scan(
            "a",
            &Fragment::new("key = 'demo_Q8zR2lMx0vT7'\nkey = 'W4kP9sN2bV6c'\n", 1),
        );
        let rules: Vec<&str> = found.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules, ["demo-token", "demo-assignment"]);
        assert_eq!(
            s.scan_with_rule("demo-assignment", "key = 'demo_Q8zR2lMx0vT7'").len(),
            1
        );
    }

    #[test]
    fn base64_values_are_decoded_and_reported_where_they_are_encoded() {
        let s = scanner("");
        // A Kubernetes Secret: `data:` values are base64 of the credential.
        let text = "kind: Secret\ndata:\n  token: ZGVtb19ROHpSMmxNeDB2VDc=\n";
        let found = s.scan("k8s/secret.yaml", &Fragment::new(text, 10));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].rule.as_str(), found[0].line, found[0].column),
            ("demo-token", 12, 10)
        );
        assert_eq!(found[0].secret, "demo_Q8zR2lMx0vT7");
        assert_eq!(found[0].line_text, "  token: ZGVtb19ROHpSMmxNeDB2VDc=");
        // Twice encoded is still seen; three times is past the depth limit.
        let twice = "v: WkdWdGIxOVJPSHBTTW14TmVEQjJWRGM9\n";
        assert_eq!(s.scan("a", &Fragment::new(twice, 1)).len(), 1);
        let thrice = "v: V2tkV2RHSXhPVkpQU0hCVFRXMTRUbVZFUWpKV1JHTTk=\n";
        assert!(s.scan("a", &Fragment::new(thrice, 1)).is_empty());
        // Binary (an image) and hashes decode to nothing printable.
        for quiet in [
            "img: iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
            "integrity: sha512-Q8zR2lMx0vT7bN4kW1sYp9DcF3gH6jKw5e8R2tY7uI0oPq+aZx/3LmN4bV6cX1==",
        ] {
            assert!(s.scan("a", &Fragment::new(quiet, 1)).is_empty(), "{quiet}");
        }
    }

    #[test]
    fn sensitive_file_rules_report_the_file_once_unless_it_is_a_template() {
        let mut rules = RuleSet::default();
        rules
            .add_pack(
                "files.toml",
                r#"
[[rules]]
id = "env-file"
description = "A .env file"
surface = "generic"
path = ".env*"
allow = ['\.sample$']
examples = [".env"]
"#,
                true,
            )
            .unwrap();
        let s = Scanner::new(rules, &Config::default()).unwrap();
        let text = "# settings\nDEBUG=true\nPORT=8080\n";
        let found = s.scan("app/.env", &Fragment::new(text, 5));
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].rule.as_str(), found[0].line, found[0].column),
            ("env-file", 6, 1)
        );
        assert!(s.scan("app/.env.example", &Fragment::new(text, 1)).is_empty());
        assert!(s.scan("app/.env.sample", &Fragment::new(text, 1)).is_empty());
        assert!(s.scan("app/env.py", &Fragment::new(text, 1)).is_empty());
        let template = "# copy me\nOPENAI_API_KEY=your-key-here\nTOKEN=\nSECRET=<secret>\n";
        assert!(s.scan("app/.env", &Fragment::new(template, 1)).is_empty());
        assert_eq!(s.scan_with_rule("env-file", "deploy/.env").len(), 1);
        assert!(s.scan_with_rule("env-file", "deploy/.env.sample").is_empty());
    }

    #[test]
    fn never_panics_on_odd_text() {
        let s = scanner("");
        for text in [
            "\n",
            "\r\n\r\n",
            "demo_",
            "é",
            "-----BEGIN DEMO-----",
            "demo_\u{0}\u{feff}",
        ] {
            let _ = s.scan("a", &Fragment::new(text, 1));
        }
    }
}
