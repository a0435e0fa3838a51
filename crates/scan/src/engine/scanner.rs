//! The scanning engine: bytes and line numbers in, findings out.
//!
//! One pass of an Aho-Corasick automaton over the fragment finds every keyword of every
//! rule. Only rules whose keywords hit run their regex, and only on the hit's neighbourhood
//! (the rule's `window` on each side, widened to whole lines, overlapping windows merged).
//! Each regex match then has to survive the filters: the secret group must be non-empty,
//! entropy above the rule's floor, not a placeholder, not allowed by the rule, by an inline
//! comment on its lines, or by the repository's allowlists.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::allow::{self, Allowlist};
use super::config::Config;
use super::entropy::shannon;
use super::finding::{Finding, fingerprint};
use super::rule::{Rule, RuleSet};
use super::spec::Surface;
use crate::Error;

/// Contiguous text taken from a file, and the 1-based line number of its first line.
#[derive(Debug, Clone, Copy)]
pub struct Fragment<'a> {
    /// The text, whole lines with their line endings.
    pub text: &'a str,
    /// Line number of the first line in the file.
    pub first_line: u32,
}

impl<'a> Fragment<'a> {
    /// A fragment whose first line is line `first_line` of its file.
    pub fn new(text: &'a str, first_line: u32) -> Self {
        Fragment { text, first_line }
    }
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
    allowlists: Vec<Allowlist>,
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
        for (index, rule) in rules.iter().enumerate() {
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
            allowlists: config.allowlists.clone(),
        })
    }

    /// The rules this scanner runs.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Whether a repository allowlist entry excludes `path` entirely (nothing in it is
    /// scanned).
    pub fn path_is_allowed(&self, path: &str) -> bool {
        self.allowlists.iter().any(|a| a.allows_whole_path(path))
    }

    /// Scans one fragment of the file at `path` and returns its findings in text order.
    pub fn scan(&self, path: &str, fragment: &Fragment<'_>) -> Vec<Finding> {
        if fragment.text.is_empty() || self.path_is_allowed(path) {
            return Vec::new();
        }
        let survivors = self.survivors(path, fragment.text);
        let mut findings: Vec<Finding> = self
            .most_specific(survivors)
            .iter()
            .map(|c| self.finding(c, path, fragment))
            .collect();
        findings.sort_by_key(|f| (f.line, f.column));
        findings
    }

    /// Runs a single rule over `text` with every filter, ignoring its path filter and other
    /// rules: what the builtin-rules test and `rules check` use to prove a rule's examples.
    pub fn scan_with_rule(&self, rule_id: &str, text: &str) -> Vec<Finding> {
        let fragment = Fragment::new(text, 1);
        self.survivors("example.txt", text)
            .iter()
            .filter(|c| self.rules[c.rule].id == rule_id)
            .map(|c| self.finding(c, "example.txt", &fragment))
            .collect()
    }

    fn survivors<'t>(&self, path: &str, text: &'t str) -> Vec<Candidate<'t>> {
        self.candidates(path, text)
            .into_iter()
            .filter(|c| self.survives(c, path))
            .collect()
    }

    /// One finding per secret: where matches of several rules overlap (a GitHub token on a
    /// `.env` line also matches the generic assignment rule), the most specific wins: a
    /// provider rule over a generic one, then the longer secret, then the earlier rule.
    fn most_specific<'t>(&self, mut candidates: Vec<Candidate<'t>>) -> Vec<Candidate<'t>> {
        let rank = |c: &Candidate<'_>| {
            let generic = self.rules[c.rule].surface == Surface::Generic;
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
    fn candidates<'t>(&self, path: &str, text: &'t str) -> Vec<Candidate<'t>> {
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
            if rule.applies_to(path) {
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
    fn survives(&self, c: &Candidate<'_>, path: &str) -> bool {
        let rule = &self.rules[c.rule];
        let secret = &c.text[c.secret.0..c.secret.1];
        if rule.entropy.is_some_and(|min| shannon(secret) < min) || allow::is_placeholder(secret) {
            return false;
        }
        if rule.allows(secret) {
            return false;
        }
        if !rule.stopwords.is_empty() {
            let lower = secret.to_lowercase();
            if rule.stopwords.iter().any(|s| lower.contains(s.as_str())) {
                return false;
            }
        }
        let (line_start, line_end) = line_bounds(c.text, c.matched.0, c.matched.1);
        if allow::has_inline_allow(&c.text[line_start..line_end]) {
            return false;
        }
        !self.allowlists.iter().any(|a| a.allows(&rule.id, path, secret))
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
        let (Some(whole), Some(secret)) = (caps.get(0), caps.get(group)) else {
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
