//! Validated rules (`RuleSpec` → `Rule`) and the set of them a scan runs (`RuleSet`).
//!
//! Compiling a rule checks everything that can be checked without running it: the id's
//! shape, the regex, the secret group, the keywords, the path glob, the allow regexes, and
//! that the rule carries examples. Builtin regexes are compiled lazily, on the first keyword
//! hit, because an ordinary commit triggers a handful of rules and the hook's start-up must
//! stay in the low milliseconds; the builtin-rules test compiles and exercises every one.

use std::collections::HashSet;
use std::sync::OnceLock;

use globset::GlobMatcher;
use regex::Regex;

use super::allow::{anchored, path_glob};
use super::glob_prefilter::required_literals;
use super::lazy_regex::LazyRegex;
use super::spec::{PackSpec, RuleSpec, Severity, Surface};
use crate::Error;

/// Default bytes of context on each side of a keyword hit that a rule's regex sees.
pub const DEFAULT_WINDOW: usize = 256;

/// A rule that passed validation.
#[derive(Debug)]
pub struct Rule {
    /// Stable kebab-case identifier.
    pub id: String,
    /// What is detected.
    pub description: String,
    /// Which part of the secrets surface.
    pub surface: Surface,
    /// Who issues the credential.
    pub provider: String,
    /// How bad a leak is.
    pub severity: Severity,
    /// Lower-cased prefilter keywords.
    pub keywords: Vec<String>,
    /// What a leak enables.
    pub blast_radius: String,
    /// Where and how to rotate.
    pub rotate: String,
    /// Lines that must yield a finding of this rule.
    pub examples: Vec<String>,
    /// Lines that must yield no finding at all.
    pub negative_examples: Vec<String>,
    /// Where the rule was defined (pack name or config path).
    pub origin: String,
    /// Translated from another tool's configuration, which says nothing of its surface.
    pub(crate) imported: bool,
    regex: LazyRegex,
    pub(crate) secret_group: Option<usize>,
    pub(crate) entropy: Option<f64>,
    pub(crate) window: usize,
    pub(crate) path: RulePath,
    pub(crate) allow: Vec<LazyRegex>,
    pub(crate) stopwords: Vec<String>,
}

impl Rule {
    /// Validates a spec. With `eager`, the regex is compiled now (user rules: errors must
    /// surface at load time); otherwise it is only checked for syntax on first use.
    pub fn compile(spec: RuleSpec, origin: &str, eager: bool) -> Result<Rule, Error> {
        Rule::build(spec, origin, eager, false)
    }

    /// Validates a rule translated from another tool's configuration (`.gitleaks.toml`):
    /// its id is the other tool's (any non-blank word), it carries no examples, and its regex
    /// is parsed now and compiled on first use (a copy of gitleaks' defaults holds hundreds).
    /// `path` is the other tool's path regex, if it has one.
    pub fn imported(spec: RuleSpec, path: Option<LazyRegex>, origin: &str) -> Result<Rule, Error> {
        if spec.regex.is_empty() && path.is_none() {
            return Err(Error::Rule {
                origin: origin.to_owned(),
                rule: spec.id,
                message: "a rule needs a `regex` or a `path`".into(),
            });
        }
        let mut rule = Rule::build(spec, origin, false, true)?;
        if let Some(path) = path {
            rule.path = RulePath::Regex(path);
        }
        Ok(rule)
    }

    fn build(spec: RuleSpec, origin: &str, eager: bool, imported: bool) -> Result<Rule, Error> {
        let fail = |message: String| Error::Rule {
            origin: origin.to_owned(),
            rule: spec.id.clone(),
            message,
        };
        if imported && (spec.id.is_empty() || spec.id.len() > 128 || spec.id.chars().any(char::is_whitespace)) {
            return Err(fail("ids are one word of at most 128 characters".into()));
        }
        if !imported && !is_valid_id(&spec.id) {
            return Err(fail(
                "ids are kebab-case (lower-case letters, digits and single dashes), at most 64 characters".into(),
            ));
        }
        if spec.description.trim().is_empty() {
            return Err(fail("`description` is empty".into()));
        }
        if !imported && spec.examples.is_empty() {
            return Err(fail(
                "a rule needs at least one entry in `examples` (a line it must match)".into(),
            ));
        }
        if spec.keywords.iter().any(|k| k.trim().is_empty()) {
            return Err(fail("`keywords` contains an empty keyword".into()));
        }
        if let Some(e) = spec.entropy
            && !(0.0..=8.0).contains(&e)
        {
            return Err(fail(format!(
                "`entropy` is {e}; Shannon entropy per byte lies in 0..=8"
            )));
        }
        if spec.regex.is_empty() && spec.path.is_none() && !imported {
            return Err(fail(
                "a rule needs a `regex`, or a `path` alone to report sensitive files by name".into(),
            ));
        }
        let regex = if spec.regex.is_empty() || !(eager || imported) {
            LazyRegex::new(spec.regex)
        } else if eager {
            let regex = LazyRegex::compiled(spec.regex).map_err(|e| fail(format!("`regex` does not compile: {e}")))?;
            check_group(regex.get().captures_len() - 1, spec.secret_group).map_err(fail)?;
            regex
        } else {
            let (regex, groups) =
                LazyRegex::parsed(spec.regex).map_err(|e| fail(format!("`regex` does not compile: {e}")))?;
            check_group(groups, spec.secret_group).map_err(fail)?;
            regex
        };
        let path = LazyGlob::new(spec.path);
        if eager {
            path.check().map_err(|e| fail(format!("`path`: {e}")))?;
        }
        let path = RulePath::Glob(path);
        let allow: Vec<LazyRegex> = spec.allow.into_iter().map(LazyRegex::new).collect();
        if eager {
            for a in &allow {
                a.check()
                    .map_err(|e| fail(format!("`allow` regex {:?} does not compile: {e}", a.source())))?;
            }
        }
        Ok(Rule {
            keywords: spec.keywords.iter().map(|k| k.to_ascii_lowercase()).collect(),
            stopwords: spec.stopwords.iter().map(|s| s.to_lowercase()).collect(),
            window: spec.window.unwrap_or(DEFAULT_WINDOW),
            secret_group: spec.secret_group,
            entropy: spec.entropy,
            regex,
            path,
            allow,
            id: spec.id,
            description: spec.description,
            surface: spec.surface,
            provider: spec.provider,
            severity: spec.severity,
            blast_radius: spec.blast_radius,
            rotate: spec.rotate,
            examples: spec.examples,
            negative_examples: spec.negative_examples,
            origin: origin.to_owned(),
            imported,
        })
    }

    /// Whether the rule is a generic one (an assignment, a password), which gives way to a
    /// provider's rule matching the same secret. A rule from another tool's configuration is
    /// a team's own, specific rule, though its surface is unknown.
    pub fn is_generic(&self) -> bool {
        self.surface == Surface::Generic && !self.imported
    }

    /// Whether this is a sensitive-file rule: a `path` and no `regex`, so a matching file is
    /// a finding whatever its content.
    pub fn is_path_only(&self) -> bool {
        self.regex.source().is_empty()
    }

    /// The regex as written (empty for a sensitive-file rule).
    pub fn regex_source(&self) -> &str {
        self.regex.source()
    }

    /// The compiled regex (compiled on first use).
    pub fn regex(&self) -> &Regex {
        self.regex.get()
    }

    /// Compiles the regex and the allow regexes now and checks the secret group, reporting
    /// any problem.
    pub fn check_regex(&self) -> Result<(), Error> {
        let fail = |message: String| Error::Rule {
            origin: self.origin.clone(),
            rule: self.id.clone(),
            message,
        };
        if !self.is_path_only() {
            let compiled =
                Regex::new(self.regex.source()).map_err(|e| fail(format!("`regex` does not compile: {e}")))?;
            check_group(compiled.captures_len() - 1, self.secret_group).map_err(fail)?;
        }
        if let RulePath::Regex(path) = &self.path {
            path.check()
                .map_err(|e| fail(format!("`path` regex {:?} does not compile: {e}", path.source())))?;
        }
        for a in &self.allow {
            a.check()
                .map_err(|e| fail(format!("`allow` regex {:?} does not compile: {e}", a.source())))?;
        }
        Ok(())
    }

    /// Whether one of the rule's `allow` regexes matches the secret.
    pub(crate) fn allows(&self, secret: &str) -> bool {
        self.allow.iter().any(|a| a.get().is_match(secret))
    }

    /// The capture group that holds the secret.
    pub(crate) fn secret_group(&self) -> usize {
        self.secret_group
            .unwrap_or(if self.regex().captures_len() > 1 { 1 } else { 0 })
    }

    /// Whether the rule's path filter lets it run on `path`.
    pub fn applies_to(&self, path: &str) -> bool {
        match &self.path {
            RulePath::Glob(glob) if glob.source.is_none() => true,
            RulePath::Glob(glob) => glob.is_match(path),
            RulePath::Regex(regex) => regex.is_match(path),
        }
    }

    /// Whether the rule is limited to some paths.
    pub fn has_path(&self) -> bool {
        !matches!(&self.path, RulePath::Glob(glob) if glob.source.is_none())
    }

    /// Applies another tool's redefinition of this rule (gitleaks merges a `[[rules]]` entry
    /// into the default rule of the same id): what it sets replaces ours, its keywords are
    /// added. Regexes are parsed now and compiled on first use; errors say which field.
    pub(crate) fn redefine(&mut self, with: Redefinition) -> Result<(), Error> {
        let fail = |message: String| Error::Rule {
            origin: with.origin.clone(),
            rule: self.id.clone(),
            message,
        };
        if let Some(regex) = with.regex {
            let (regex, groups) =
                LazyRegex::parsed(regex).map_err(|e| fail(format!("`regex` does not compile: {e}")))?;
            check_group(groups, with.secret_group).map_err(fail)?;
            self.regex = regex;
            self.secret_group = with.secret_group;
        } else if let Some(group) = with.secret_group {
            check_group(self.regex().captures_len() - 1, Some(group)).map_err(fail)?;
            self.secret_group = Some(group);
        }
        if let Some(entropy) = with.entropy {
            self.entropy = Some(entropy);
        }
        if let Some(path) = with.path {
            self.path = RulePath::Regex(path);
        }
        if let Some(description) = with.description {
            self.description = description;
        }
        for keyword in with.keywords {
            let keyword = keyword.to_ascii_lowercase();
            if !keyword.is_empty() && !self.keywords.contains(&keyword) {
                self.keywords.push(keyword);
            }
        }
        Ok(())
    }
}

/// What another tool's configuration changes in a rule of ours (see [`Rule::redefine`]).
#[derive(Debug, Default)]
pub(crate) struct Redefinition {
    pub origin: String,
    pub description: Option<String>,
    pub regex: Option<String>,
    pub secret_group: Option<usize>,
    pub entropy: Option<f64>,
    pub path: Option<LazyRegex>,
    pub keywords: Vec<String>,
}

/// Where a rule runs: a gitignore-like glob (ours, compiled on first use; no glob means
/// everywhere) or a path regex (another tool's).
#[derive(Debug)]
pub(crate) enum RulePath {
    Glob(LazyGlob),
    Regex(LazyRegex),
}

/// A path glob compiled on first use: building a glob's matcher costs about as much as a
/// regex, and most commits touch no path a path-scoped rule is for.
#[derive(Debug)]
pub(crate) struct LazyGlob {
    source: Option<String>,
    /// Text every matching path contains one of; a path without any is rejected before the
    /// glob is compiled (see `glob_prefilter`).
    literals: Option<Vec<String>>,
    compiled: OnceLock<Option<GlobMatcher>>,
}

impl LazyGlob {
    fn new(source: Option<String>) -> Self {
        LazyGlob {
            literals: source.as_deref().and_then(|p| required_literals(&anchored(p))),
            source,
            compiled: OnceLock::new(),
        }
    }

    /// Whether `path` matches; the glob is compiled only for a path that passes the literal
    /// prefilter.
    fn is_match(&self, path: &str) -> bool {
        if let Some(literals) = &self.literals
            && !literals.iter().any(|l| path.contains(l.as_str()))
        {
            return false;
        }
        self.get().is_some_and(|g| g.is_match(path))
    }

    /// The matcher; a glob that does not compile matches nothing (builtin globs are proven
    /// by the builtin-rules test, user globs are checked when the config loads).
    fn get(&self) -> Option<&GlobMatcher> {
        self.compiled
            .get_or_init(|| self.source.as_deref().and_then(|p| path_glob(p).ok()))
            .as_ref()
    }

    fn check(&self) -> Result<(), String> {
        self.source.as_deref().map_or(Ok(()), |p| path_glob(p).map(drop))
    }
}

/// `groups` counts the regex's capture groups, without the implicit whole-match one.
fn check_group(groups: usize, group: Option<usize>) -> Result<(), String> {
    match group {
        Some(g) if g > groups => Err(format!(
            "`secret_group` is {g} but the regex has only {groups} group(s)"
        )),
        _ => Ok(()),
    }
}

/// Kebab-case, at most 64 characters: `openai-api-key`.
fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// The rules a scan runs: ids are unique, disabled rules are gone.
#[derive(Debug, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    /// The rules built into the binary (from `rules/*.toml`, compiled by build.rs).
    pub fn builtin() -> Result<RuleSet, Error> {
        // build.rs refuses duplicate ids, so the quadratic check `add_rule` makes is skipped.
        let rules = super::builtin::specs()
            .into_iter()
            .map(|(pack, spec)| Rule::compile(spec, pack, false))
            .collect::<Result<_, _>>()?;
        Ok(RuleSet { rules })
    }

    /// Parses one pack and adds its rules. `eager` compiles regexes now (user packs).
    pub fn add_pack(&mut self, origin: &str, text: &str, eager: bool) -> Result<(), Error> {
        let pack: PackSpec = toml::from_str(text).map_err(|e| Error::Toml {
            origin: origin.to_owned(),
            message: e.to_string(),
        })?;
        self.add_specs(pack.rules, origin, eager)
    }

    /// Adds already-parsed specs (extra rules from `.sealant.toml`).
    pub fn add_specs(&mut self, specs: Vec<RuleSpec>, origin: &str, eager: bool) -> Result<(), Error> {
        for spec in specs {
            self.add_rule(Rule::compile(spec, origin, eager)?, origin)?;
        }
        Ok(())
    }

    /// Adds a compiled rule; its id must be new.
    pub fn add_rule(&mut self, rule: Rule, origin: &str) -> Result<(), Error> {
        if let Some(existing) = self.get(&rule.id) {
            return Err(Error::Rule {
                origin: origin.to_owned(),
                rule: rule.id.clone(),
                message: format!("the id is already used by a rule from {}", existing.origin),
            });
        }
        self.rules.push(rule);
        Ok(())
    }

    /// Removes the named rules; naming a rule that does not exist is an error (a typo
    /// would otherwise leave the rule on).
    pub fn disable(&mut self, ids: &[String], origin: &str) -> Result<(), Error> {
        let known: HashSet<&str> = self.rules.iter().map(|r| r.id.as_str()).collect();
        if let Some(unknown) = ids.iter().find(|id| !known.contains(id.as_str())) {
            return Err(Error::Config {
                origin: origin.to_owned(),
                message: format!("`scan.disable` names `{unknown}`, which is not a rule id (see `sealant rules`)"),
            });
        }
        self.rules.retain(|r| !ids.contains(&r.id));
        Ok(())
    }

    /// The rule with this id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut Rule> {
        self.rules.iter_mut().find(|r| r.id == id)
    }

    /// All rules, in pack order.
    pub fn iter(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter()
    }

    /// How many rules there are.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub(crate) fn into_rules(self) -> Vec<Rule> {
        self.rules
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
regex = '''\b(demo_[a-z0-9]{8})\b'''
examples = ["demo_a8k2m4q7"]
"#;

    #[test]
    fn ids_are_kebab_case() {
        assert!(is_valid_id("openai-api-key"));
        assert!(is_valid_id("aws-access-key-id2"));
        for bad in ["", "OpenAI", "a--b", "-a", "a-", "a_b", &"a".repeat(65)] {
            assert!(!is_valid_id(bad), "{bad:?} accepted");
        }
    }

    #[test]
    fn duplicate_ids_name_both_origins() {
        let mut set = RuleSet::default();
        set.add_pack("one.toml", PACK, true).unwrap();
        let err = set.add_pack("two.toml", PACK, true).unwrap_err().to_string();
        assert!(
            err.contains("two.toml") && err.contains("one.toml") && err.contains("demo-token"),
            "{err}"
        );
    }

    #[test]
    fn unknown_fields_are_errors() {
        let typo = PACK.replace("examples", "exmaples");
        let err = RuleSet::default()
            .add_pack("typo.toml", &typo, true)
            .unwrap_err()
            .to_string();
        assert!(err.contains("typo.toml") && err.contains("exmaples"), "{err}");
    }

    #[test]
    fn a_rule_without_examples_is_rejected() {
        let bare = PACK.replace(r#"examples = ["demo_a8k2m4q7"]"#, "");
        let err = RuleSet::default()
            .add_pack("bare.toml", &bare, true)
            .unwrap_err()
            .to_string();
        assert!(err.contains("examples"), "{err}");
    }

    #[test]
    fn eager_rules_report_bad_regexes_and_groups() {
        let bad = PACK.replace(r"\b(demo_[a-z0-9]{8})\b", "(unclosed");
        let err = RuleSet::default()
            .add_pack("bad.toml", &bad, true)
            .unwrap_err()
            .to_string();
        assert!(err.contains("does not compile"), "{err}");
        let group = PACK.replace("keywords", "secret_group = 3\nkeywords");
        let err = RuleSet::default()
            .add_pack("g.toml", &group, true)
            .unwrap_err()
            .to_string();
        assert!(err.contains("secret_group"), "{err}");
    }

    #[test]
    fn disabling_an_unknown_rule_is_an_error() {
        let mut set = RuleSet::default();
        set.add_pack("one.toml", PACK, true).unwrap();
        assert!(set.disable(&["demo-tokn".into()], ".sealant.toml").is_err());
        set.disable(&["demo-token".into()], ".sealant.toml").unwrap();
        assert!(set.is_empty());
    }
}
