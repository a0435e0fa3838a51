//! A repository's `.gitleaks.toml`, read as gitleaks reads it and translated into sealant's
//! rules and allowlists, so a team switching from gitleaks keeps its custom rules and
//! exceptions without rewriting them.
//!
//! What maps (the README's "Switching from gitleaks" lists the same):
//!
//! - `[[rules]]` with a `regex` and/or `path` (both regexes, as in gitleaks) become rules of
//!   their own: `id`, `description`, `regex`, `secretGroup`, `entropy`, `keywords`, `path`.
//!   A rule whose id is a sealant rule's redefines it, as gitleaks merges a rule into the
//!   default rule of the same id: what it sets replaces ours, its keywords are added.
//! - `[rules.allowlist]` / `[[rules.allowlists]]` become allowlist entries scoped to the
//!   rule; `[allowlist]` / `[[allowlists]]` (with `targetRules`) global ones. `paths`
//!   (regexes), `regexes` with `regexTarget` (`secret`, `match`, `line`), `stopwords`,
//!   `commits` and `condition` (`OR`, `AND`) all keep their meaning. A rule entry with only
//!   allowlists, named after one of gitleaks' default rules (`generic-api-key`), applies them
//!   to the sealant rules that detect the same credential ([`GITLEAKS_ALIASES`]).
//! - `[extend] path` is read (two levels deep, as gitleaks does); `disabledRules` turns off
//!   sealant rules of that id or alias. `useDefault` needs no translation: sealant's own
//!   rules always run, whether or not the file extends gitleaks' defaults.
//!
//! What does not: `[extend] url` (gitleaks does not implement it either), composite rules
//! (`[[rules.required]]`) and `skipReport` rules, which are skipped, and keys gitleaks does
//! not define. Each is a note (`sealant doctor`, `sealant rules list`), never a silent drop.
//! Invalid regexes and values are errors that name the file and the rule, as in
//! `.sealant.toml`. Every regex is read as Go reads it (see `go_regex`).

use serde::Deserialize;

use super::allow::{Allowlist, Condition, PathPattern, RegexTarget};
use super::go_regex;
use super::lazy_regex::LazyRegex;
use super::rule::{Redefinition, Rule, RuleSet};
use super::spec::{RuleSpec, Severity, Surface};
use crate::Error;

/// The file gitleaks reads at the root of the scanned directory.
pub const GITLEAKS_CONFIG_FILE: &str = ".gitleaks.toml";

/// The name Betterleaks, gitleaks' successor, prefers for the same format.
pub const BETTERLEAKS_CONFIG_FILE: &str = ".betterleaks.toml";

/// How many `[extend] path` levels gitleaks follows.
const MAX_EXTEND_DEPTH: usize = 2;

/// gitleaks default rule id → the sealant rules that detect the same credential, from
/// gitleaks' `config/gitleaks.toml` (218 rules; 38 ids are the same in both and need no entry
/// unless gitleaks' rule covers more of ours). Left out on purpose: same provider but another
/// kind of token (`gitlab-rrt`, `discord-client-secret`, `sentry-access-token`, ...).
pub(crate) const GITLEAKS_ALIASES: &[(&str, &[&str])] = &[
    ("anthropic-admin-api-key", &["anthropic-admin-key"]),
    ("aws-access-token", &["aws-access-key-id"]),
    ("cloudflare-api-key", &["cloudflare-api-token"]),
    ("cohere-api-token", &["cohere-api-key"]),
    ("curl-auth-header", &["http-basic-auth", "http-bearer-token"]),
    ("curl-auth-user", &["cli-password-argument"]),
    (
        "database-password",
        &[
            "generic-password-assignment",
            "generic-env-secret",
            "generic-unquoted-secret",
            "ado-connection-string-password",
        ],
    ),
    ("databricks-api-token", &["databricks-token"]),
    ("datadog-access-token", &["datadog-app-key"]),
    ("digitalocean-access-token", &["digitalocean-oauth-token"]),
    ("gcp-api-key", &["google-api-key"]),
    (
        "generic-api-key",
        &[
            "generic-secret-assignment",
            "generic-password-assignment",
            "generic-env-secret",
            "generic-unquoted-secret",
            "dockerfile-env-secret",
        ],
    ),
    ("github-oauth", &["github-oauth-token"]),
    ("gitlab-cicd-job-token", &["gitlab-ci-job-token"]),
    ("gitlab-feature-flag-client-token", &["gitlab-feature-flag-token"]),
    ("gitlab-kubernetes-agent-token", &["gitlab-agent-token"]),
    ("gitlab-pat-routable", &["gitlab-pat"]),
    ("gitlab-ptt", &["gitlab-pipeline-trigger-token"]),
    ("gitlab-runner-authentication-token", &["gitlab-runner-token"]),
    ("gitlab-runner-authentication-token-routable", &["gitlab-runner-token"]),
    ("hashicorp-tf-api-token", &["terraform-cloud-token"]),
    ("hashicorp-tf-password", &["generic-password-assignment"]),
    ("heroku-api-key", &["heroku-api-key", "heroku-api-key-legacy"]),
    ("heroku-api-key-v2", &["heroku-api-key"]),
    ("huggingface-organization-api-token", &["huggingface-org-token"]),
    ("jwt", &["jwt-token"]),
    ("jwt-base64", &["jwt-token"]),
    ("mailgun-private-api-token", &["mailgun-api-key"]),
    ("mailgun-signing-key", &["mailgun-private-key"]),
    ("notion-api-token", &["notion-integration-token"]),
    (
        "openai-api-key",
        &[
            "openai-api-key",
            "openai-project-key",
            "openai-service-account-key",
            "openai-admin-key",
        ],
    ),
    ("pkcs12-file", &["private-key-file"]),
    ("private-key", &["private-key", "pgp-private-key-block"]),
    ("pulumi-api-token", &["pulumi-access-token"]),
    ("sendgrid-api-token", &["sendgrid-api-key"]),
    ("shopify-custom-access-token", &["shopify-access-token"]),
    ("shopify-private-app-access-token", &["shopify-access-token"]),
    ("shopify-shared-secret", &["shopify-access-token"]),
    ("slack-config-refresh-token", &["slack-legacy-token"]),
    ("slack-legacy-workspace-token", &["slack-legacy-token"]),
    ("stripe-access-token", &["stripe-secret-key", "stripe-restricted-key"]),
    ("telegram-bot-api-token", &["telegram-bot-token"]),
    ("vault-service-token", &["vault-service-token", "vault-legacy-token"]),
];

/// One file as written. Field names are gitleaks' (camelCase); unknown keys are collected as
/// notes rather than rejected, because gitleaks accepts them too.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileSpec {
    #[serde(default)]
    #[allow(dead_code)]
    title: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    min_version: Option<String>,
    #[serde(default)]
    extend: ExtendSpec,
    #[serde(default)]
    rules: Vec<RuleEntry>,
    #[serde(default)]
    allowlist: Option<AllowlistEntry>,
    #[serde(default)]
    allowlists: Vec<AllowlistEntry>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExtendSpec {
    /// Needs no translation: sealant's own rules always run.
    #[serde(default)]
    #[allow(dead_code)]
    use_default: bool,
    path: Option<String>,
    url: Option<String>,
    #[serde(default)]
    disabled_rules: Vec<String>,
}

/// One `[[rules]]` entry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RuleEntry {
    id: String,
    description: Option<String>,
    regex: Option<String>,
    secret_group: Option<usize>,
    entropy: Option<f64>,
    path: Option<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    tags: Vec<String>,
    allowlist: Option<AllowlistEntry>,
    #[serde(default)]
    allowlists: Vec<AllowlistEntry>,
    #[serde(default)]
    skip_report: bool,
    required: Option<toml::Value>,
}

/// One allowlist table, global or per rule.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AllowlistEntry {
    #[serde(default)]
    description: String,
    condition: Option<String>,
    regex_target: Option<String>,
    #[serde(default)]
    regexes: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    commits: Vec<String>,
    #[serde(default)]
    stopwords: Vec<String>,
    #[serde(default)]
    target_rules: Vec<String>,
}

/// Reads the file an `[extend] path` names: its text and the name to report it by.
pub type ReadExtended<'a> = &'a dyn Fn(&str) -> Result<(String, String), Error>;

/// A `.gitleaks.toml` with its `[extend] path` chain merged, ready to apply to a rule set.
#[derive(Debug, Clone, Default)]
pub struct GitleaksConfig {
    /// The top file (for messages).
    pub origin: String,
    /// Rules after merging, each with the file that defined it.
    rules: Vec<(RuleEntry, String)>,
    /// Global allowlists, each with its file.
    allowlists: Vec<(AllowlistEntry, String)>,
    /// `[extend] disabledRules` of every level.
    disabled: Vec<String>,
    /// What did not map, for `doctor` and `rules list`.
    notes: Vec<String>,
    /// Every file read: the top one and those its `[extend] path` chain named.
    files: Vec<String>,
}

/// What applying a [`GitleaksConfig`] adds to a scan besides rules.
#[derive(Debug, Default)]
pub struct Applied {
    /// The translated allowlists.
    pub allowlists: Vec<Allowlist>,
    /// What did not map.
    pub notes: Vec<String>,
}

impl GitleaksConfig {
    /// Parses `text` (read from `origin`) and the files its `[extend] path` names, read with
    /// `read` (which returns the text and the name to report it by).
    pub fn load(text: &str, origin: &str, read: ReadExtended<'_>) -> Result<GitleaksConfig, Error> {
        GitleaksConfig::load_level(text, origin, read, 0)
    }

    fn load_level(text: &str, origin: &str, read: ReadExtended<'_>, depth: usize) -> Result<GitleaksConfig, Error> {
        let (file, mut notes) = parse(text, origin)?;
        let mut own = GitleaksConfig {
            origin: origin.to_owned(),
            rules: file.rules.into_iter().map(|r| (r, origin.to_owned())).collect(),
            allowlists: file
                .allowlist
                .into_iter()
                .chain(file.allowlists)
                .map(|a| (a, origin.to_owned()))
                .collect(),
            disabled: file.extend.disabled_rules,
            notes: Vec::new(),
            files: vec![origin.to_owned()],
        };
        if file.extend.url.is_some() {
            notes.push(format!(
                "{origin}: [extend] url is not read (gitleaks does not implement it either)"
            ));
        }
        if let Some(path) = file.extend.path {
            if depth >= MAX_EXTEND_DEPTH {
                notes.push(format!(
                    "{origin}: [extend] path {path:?} is not read: gitleaks follows {MAX_EXTEND_DEPTH} levels"
                ));
            } else {
                let (base_text, base_origin) = read(&path)?;
                let base = GitleaksConfig::load_level(&base_text, &base_origin, read, depth + 1)?;
                own = base.extended_by(own);
            }
        }
        own.notes.splice(0..0, notes);
        Ok(own)
    }

    /// `self` as a base that `child` extends, as gitleaks merges them: the child's rules
    /// override same-id base rules field by field (keywords and allowlists add up), base
    /// rules the child disables are dropped, allowlists and notes accumulate.
    fn extended_by(self, child: GitleaksConfig) -> GitleaksConfig {
        let mut rules: Vec<(RuleEntry, String)> = Vec::new();
        let mut dropped = Vec::new();
        for (base, origin) in self.rules {
            if child.disabled.contains(&base.id) {
                dropped.push(base.id);
                continue;
            }
            rules.push((base, origin));
        }
        for (rule, origin) in child.rules {
            match rules.iter_mut().find(|(r, _)| r.id == rule.id) {
                Some((base, base_origin)) => {
                    merge_rule(base, rule);
                    *base_origin = origin;
                }
                None => rules.push((rule, origin)),
            }
        }
        // An id that dropped a base rule is spent; the others may name one of ours.
        let mut disabled = self.disabled;
        disabled.extend(child.disabled.into_iter().filter(|id| !dropped.contains(id)));
        let mut notes = self.notes;
        notes.extend(child.notes);
        let mut allowlists = child.allowlists;
        allowlists.extend(self.allowlists);
        let mut files = child.files;
        files.extend(self.files);
        GitleaksConfig {
            origin: child.origin,
            rules,
            allowlists,
            disabled,
            notes,
            files,
        }
    }

    /// Notes from reading the files (unknown keys, unread extends).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Adds a note of the caller's (a file not read).
    pub fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    /// Whether `origin` is one of the files this configuration was read from (the top file
    /// or one its `[extend] path` chain named).
    pub fn is_from(&self, origin: &str) -> bool {
        self.files.iter().any(|f| f == origin)
    }

    /// How many rules the file defines or redefines.
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// Adds the rules to `rules` (or redefines ours), disables what `disabledRules` names,
    /// and returns the translated allowlists and what did not map.
    pub fn apply(&self, rules: &mut RuleSet) -> Result<Applied, Error> {
        let mut applied = Applied {
            notes: self.notes.clone(),
            ..Applied::default()
        };
        for (entry, origin) in &self.rules {
            self.apply_rule(entry, origin, rules, &mut applied)?;
        }
        for (entry, origin) in &self.allowlists {
            let targets = if entry.target_rules.is_empty() {
                Vec::new()
            } else {
                let targets: Vec<String> = entry.target_rules.iter().flat_map(|id| resolve(id, rules)).collect();
                if targets.is_empty() {
                    applied.notes.push(format!(
                        "{origin}: allowlist {:?} targets {:?}, which are not rules here; it applies to nothing",
                        entry.description, entry.target_rules
                    ));
                    continue;
                }
                targets
            };
            applied
                .allowlists
                .push(translate_allowlist(entry, targets, origin, "[[allowlists]]")?);
        }
        let mut off = Vec::new();
        for id in &self.disabled {
            let targets = resolve(id, rules);
            if targets.is_empty() {
                applied.notes.push(format!(
                    "{}: disabledRules names {id:?}, which is not a rule here",
                    self.origin
                ));
            }
            off.extend(targets);
        }
        off.sort();
        off.dedup();
        rules.disable(&off, &self.origin)?;
        Ok(applied)
    }

    fn apply_rule(
        &self,
        entry: &RuleEntry,
        origin: &str,
        rules: &mut RuleSet,
        applied: &mut Applied,
    ) -> Result<(), Error> {
        let fail = |message: String| Error::Rule {
            origin: origin.to_owned(),
            rule: entry.id.clone(),
            message,
        };
        if entry.required.is_some() || entry.skip_report {
            applied.notes.push(format!(
                "{origin}: rule {:?} is a composite or skipReport rule, which sealant does not run",
                entry.id
            ));
            return Ok(());
        }
        let path = entry
            .path
            .as_deref()
            .map(|p| LazyRegex::parsed(go_regex::translate(p)).map(|(regex, _)| regex))
            .transpose()
            .map_err(|e| fail(format!("`path` does not compile: {e}")))?;
        let targets = if let Some(existing) = rules.get_mut(&entry.id) {
            existing.redefine(Redefinition {
                origin: origin.to_owned(),
                description: entry.description.clone().filter(|d| !d.trim().is_empty()),
                regex: entry
                    .regex
                    .as_deref()
                    .filter(|r| !r.is_empty())
                    .map(go_regex::translate),
                secret_group: entry.secret_group.filter(|&g| g > 0),
                entropy: entry.entropy.filter(|&e| e > 0.0),
                path,
                keywords: entry.keywords.clone(),
            })?;
            resolve(&entry.id, rules)
        } else if entry.regex.as_deref().is_some_and(|r| !r.is_empty()) || path.is_some() {
            let spec = RuleSpec {
                id: entry.id.clone(),
                description: entry
                    .description
                    .clone()
                    .filter(|d| !d.trim().is_empty())
                    .unwrap_or_else(|| entry.id.clone()),
                surface: Surface::Generic,
                provider: String::new(),
                severity: Severity::High,
                keywords: entry.keywords.clone(),
                regex: entry.regex.as_deref().map(go_regex::translate).unwrap_or_default(),
                secret_group: entry.secret_group.filter(|&g| g > 0),
                entropy: entry.entropy.filter(|&e| e > 0.0),
                window: None,
                path: None,
                allow: Vec::new(),
                stopwords: Vec::new(),
                blast_radius: String::new(),
                rotate: String::new(),
                examples: Vec::new(),
                negative_examples: Vec::new(),
            };
            rules.add_rule(Rule::imported(spec, path, origin)?, origin)?;
            vec![entry.id.clone()]
        } else {
            let targets = resolve(&entry.id, rules);
            if targets.is_empty() {
                applied.notes.push(format!(
                    "{origin}: rule {:?} has no regex and names no rule here; its allowlists apply to nothing",
                    entry.id
                ));
                return Ok(());
            }
            targets
        };
        for allowlist in entry.allowlist.iter().chain(&entry.allowlists) {
            applied.allowlists.push(translate_allowlist(
                allowlist,
                targets.clone(),
                origin,
                "[[rules.allowlists]]",
            )?);
        }
        Ok(())
    }
}

/// Parses one file; unknown keys become notes.
fn parse(text: &str, origin: &str) -> Result<(FileSpec, Vec<String>), Error> {
    let toml_error = |message: String| Error::Toml {
        origin: origin.to_owned(),
        message,
    };
    let deserializer = toml::Deserializer::parse(text).map_err(|e| toml_error(e.to_string()))?;
    let mut unknown = Vec::new();
    let file: FileSpec = serde_ignored::deserialize(deserializer, |path| unknown.push(path.to_string()))
        .map_err(|e| toml_error(e.to_string()))?;
    let notes = unknown
        .into_iter()
        .map(|key| format!("{origin}: `{key}` is not a gitleaks key sealant knows; ignored"))
        .collect();
    Ok((file, notes))
}

/// Gitleaks merges a rule into the base rule of the same id: set fields replace, lists add.
fn merge_rule(base: &mut RuleEntry, over: RuleEntry) {
    fn set<T>(base: &mut Option<T>, over: Option<T>) {
        if over.is_some() {
            *base = over;
        }
    }
    set(&mut base.description, over.description);
    set(&mut base.regex, over.regex);
    set(&mut base.secret_group, over.secret_group);
    set(&mut base.entropy, over.entropy);
    set(&mut base.path, over.path);
    base.keywords.extend(over.keywords);
    base.tags.extend(over.tags);
    base.allowlists.extend(over.allowlist);
    base.allowlists.extend(over.allowlists);
}

/// The rule ids here a gitleaks rule id stands for: itself if it is one, and its aliases.
fn resolve(id: &str, rules: &RuleSet) -> Vec<String> {
    let aliases = GITLEAKS_ALIASES
        .iter()
        .filter(|(gitleaks, _)| *gitleaks == id)
        .flat_map(|(_, ours)| ours.iter().copied());
    let mut ids: Vec<String> = std::iter::once(id)
        .chain(aliases)
        .filter(|ours| rules.get(ours).is_some())
        .map(str::to_owned)
        .collect();
    ids.dedup();
    ids
}

/// A gitleaks allowlist as a sealant one, scoped to `rules` (empty: every rule).
fn translate_allowlist(
    entry: &AllowlistEntry,
    rules: Vec<String>,
    origin: &str,
    table: &str,
) -> Result<Allowlist, Error> {
    let fail = |message: String| Error::Config {
        origin: origin.to_owned(),
        message: format!("{table} {message}"),
    };
    if entry.regexes.is_empty() && entry.paths.is_empty() && entry.commits.is_empty() && entry.stopwords.is_empty() {
        return Err(fail(
            "entry allows nothing: give it `commits`, `paths`, `regexes` or `stopwords`".into(),
        ));
    }
    let compile = |what: &str, r: &String| {
        LazyRegex::parsed(go_regex::translate(r))
            .map(|(regex, _)| regex)
            .map_err(|e| fail(format!("{what} regex {r:?} does not compile: {e}")))
    };
    let condition = match entry.condition.as_deref().map(str::to_ascii_uppercase).as_deref() {
        None | Some("" | "OR") => Condition::Or,
        Some("AND" | "&&") => Condition::And,
        Some(other) => return Err(fail(format!("`condition` is {other:?}; gitleaks knows OR and AND"))),
    };
    let regex_target = match entry.regex_target.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("" | "secret") => RegexTarget::Secret,
        Some("match") => RegexTarget::Match,
        Some("line") => RegexTarget::Line,
        Some(other) => {
            return Err(fail(format!(
                "`regexTarget` is {other:?}; gitleaks knows secret, match and line"
            )));
        }
    };
    Ok(Allowlist {
        description: entry.description.clone(),
        origin: origin.to_owned(),
        paths: entry
            .paths
            .iter()
            .map(|p| compile("path", p).map(PathPattern::Regex))
            .collect::<Result<_, _>>()?,
        regexes: entry
            .regexes
            .iter()
            .map(|r| compile("allow", r))
            .collect::<Result<_, _>>()?,
        regex_target,
        stopwords: entry.stopwords.iter().map(|s| s.to_lowercase()).collect(),
        rules,
        commits: entry.commits.iter().map(|c| c.to_ascii_lowercase()).collect(),
        condition,
    })
}

/// Whether a finding of our rule `ours` is what gitleaks calls `gitleaks` (in a
/// `.gitleaksignore` line): the same id, or an alias of it. A gitleaks id that is neither a
/// builtin rule of ours nor an alias names a finding we call something else, so it matches
/// any rule at that place.
pub fn gitleaks_rule_matches(gitleaks: &str, ours: &str) -> bool {
    if gitleaks == ours {
        return true;
    }
    if let Some((_, aliases)) = GITLEAKS_ALIASES.iter().find(|(id, _)| *id == gitleaks) {
        return aliases.contains(&ours);
    }
    !super::builtin::is_builtin_id(gitleaks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Config, Fragment, Scanner};

    fn no_files(name: &str) -> Result<(String, String), Error> {
        Err(Error::Config {
            origin: name.to_owned(),
            message: "no such file".into(),
        })
    }

    fn scanner(text: &str) -> Scanner {
        let config = Config {
            gitleaks: Some(GitleaksConfig::load(text, ".gitleaks.toml", &no_files).unwrap()),
            ..Config::default()
        };
        Scanner::new(RuleSet::builtin().unwrap(), &config).unwrap()
    }

    fn rules_at(scanner: &Scanner, path: &str, text: &str) -> Vec<String> {
        scanner
            .scan(path, &Fragment::new(text, 1))
            .into_iter()
            .map(|f| f.rule)
            .collect()
    }

    /// A value only the custom rule below matches: built here, never written out whole.
    fn acme() -> String {
        format!("acme_{}", ["h3k9q2zt", "7w1xv5bn", "8m4rc6pd"].concat())
    }

    const CUSTOM: &str = r#"
title = "team rules"
[[rules]]
id = "acme_token"
description = "ACME deploy token"
regex = '''(?i)acme[_-]?token\s*=\s*"(acme_[a-z0-9]{24})"'''
secretGroup = 1
keywords = ["acme"]
path = '''\.(py|env)$'''
tags = ["internal"]
"#;

    #[test]
    fn custom_rules_run_where_their_path_regex_matches() {
        let scanner = scanner(CUSTOM);
        let line = format!("ACME_TOKEN = \"{}\"\n", acme());
        assert_eq!(rules_at(&scanner, "deploy/settings.py", &line), ["acme_token"]);
        assert_eq!(
            rules_at(&scanner, "README.md", &line),
            ["generic-secret-assignment"],
            "the path regex keeps the team's rule out; ours still see the value"
        );
        let found = &scanner.scan("a.py", &Fragment::new(&line, 1))[0];
        assert_eq!(found.secret, acme(), "secretGroup picks the token");
        assert_eq!(
            rules_at(
                &Scanner::new(RuleSet::builtin().unwrap(), &Config::default()).unwrap(),
                "a.py",
                &line
            ),
            ["generic-secret-assignment"],
            "without the file a generic rule reports it; with it, the team's rule wins"
        );
        assert!(scanner.notes().is_empty(), "{:?}", scanner.notes());
    }

    #[test]
    fn rule_allowlists_and_global_allowlists_keep_their_meaning() {
        let text = format!(
            r#"{CUSTOM}
[[rules.allowlists]]
regexTarget = "line"
regexes = ['''#\s*test-only''']

[[allowlists]]
description = "fixtures"
paths = ['''(^|/)fixtures/''']

[[allowlists]]
description = "docs with the word sample"
condition = "AND"
paths = ['''^docs/''']
stopwords = ["h3k9"]
targetRules = ["acme_token"]
"#
        );
        let scanner = scanner(&text);
        let line = format!("acme_token = \"{}\"", acme());
        let team_rule = |path: &str, line: &str| rules_at(&scanner, path, line).contains(&"acme_token".to_owned());
        assert_eq!(rules_at(&scanner, "a.py", &line), ["acme_token"]);
        // Rule allowlists are the rule's: sealant's generic rule still sees the value.
        assert_eq!(
            rules_at(&scanner, "a.py", &format!("{line}  # test-only")),
            ["generic-secret-assignment"]
        );
        assert!(
            scanner.path_is_allowed("src/fixtures/a.py"),
            "a global path entry skips the file"
        );
        assert!(!team_rule("docs/a.py", &line), "both AND conditions hold");
        assert!(
            team_rule("docs/a.py", &line.replace("h3k9", "k7wp")),
            "the stopword misses"
        );
        assert!(team_rule("src/a.py", &line), "the path misses");
    }

    #[test]
    fn allowlists_on_gitleaks_default_ids_reach_the_same_sealant_rules() {
        let value = "zx8Kq2Lm9Pw4Rt7Yv3Nb6Hj1";
        let line = format!("api_secret = \"{value}\"");
        assert_eq!(rules_at(&scanner(""), "app.py", &line), ["generic-secret-assignment"]);
        let text = r#"
[extend]
useDefault = true
[[rules]]
id = "generic-api-key"
[rules.allowlist]
regexes = ['''^zx8K''']
"#;
        assert!(rules_at(&scanner(text), "app.py", &line).is_empty());
        let disabled = "[extend]\nuseDefault = true\ndisabledRules = [\"generic-api-key\", \"no-such-rule\"]\n";
        let scanner = scanner(disabled);
        assert!(rules_at(&scanner, "app.py", &line).is_empty());
        assert!(scanner.rules().iter().all(|r| r.id != "generic-secret-assignment"));
        assert!(
            scanner.notes().iter().any(|n| n.contains("no-such-rule")),
            "{:?}",
            scanner.notes()
        );
    }

    #[test]
    fn a_rule_with_a_sealant_id_redefines_it() {
        let text = r#"
[[rules]]
id = "openai-api-key"
description = "OpenAI key (team wording)"
keywords = ["openai_key"]
"#;
        let scanner = scanner(text);
        let rule = scanner.rules().iter().find(|r| r.id == "openai-api-key").unwrap();
        assert_eq!(rule.description, "OpenAI key (team wording)");
        assert!(rule.keywords.contains(&"openai_key".to_owned()));
        assert!(!rule.keywords.is_empty() && rule.regex_source().contains("sk"));
    }

    #[test]
    fn extend_path_merges_as_gitleaks_does() {
        let base = format!("{CUSTOM}\n[[rules]]\nid = \"old-rule\"\nregex = '''old_[0-9]{{8}}'''\n");
        let read = move |name: &str| -> Result<(String, String), Error> {
            assert_eq!(name, "base.toml");
            Ok((base.clone(), "base.toml".into()))
        };
        let top = "[extend]\npath = \"base.toml\"\ndisabledRules = [\"old-rule\"]\n[[rules]]\nid = \"acme_token\"\nentropy = 3.0\n";
        let config = Config {
            gitleaks: Some(GitleaksConfig::load(top, ".gitleaks.toml", &read).unwrap()),
            ..Config::default()
        };
        let gitleaks = config.gitleaks.as_ref().unwrap();
        assert!(gitleaks.is_from(".gitleaks.toml") && gitleaks.is_from("base.toml") && !gitleaks.is_from("x.toml"));
        let scanner = Scanner::new(RuleSet::builtin().unwrap(), &config).unwrap();
        assert!(scanner.rules().iter().all(|r| r.id != "old-rule"));
        assert!(
            scanner.notes().is_empty(),
            "the disabled base rule is no stray id: {:?}",
            scanner.notes()
        );
        let rule = scanner.rules().iter().find(|r| r.id == "acme_token").unwrap();
        assert_eq!(rule.entropy, Some(3.0), "the top file's field wins");
        assert!(rule.regex_source().contains("acme"), "the base's regex stays");
    }

    #[test]
    fn what_does_not_map_is_a_note_and_bad_values_are_errors() {
        let text = r#"
[extend]
url = "https://example.com/gitleaks.toml"
[[rules]]
id = "composite"
regex = '''x'''
[[rules.required]]
id = "other"
[[rules]]
id = "typo"
regex = '''typo_[0-9]{8}'''
keyword = ["typo"]
"#;
        let scanner = scanner(text);
        let notes = scanner.notes().join("\n");
        assert!(
            notes.contains("url") && notes.contains("composite") && notes.contains("rules.1.keyword"),
            "{notes}"
        );
        assert!(scanner.rules().iter().all(|r| r.id != "composite"));

        let bad = |text: &str| {
            let config = Config {
                gitleaks: Some(GitleaksConfig::load(text, "repo/.gitleaks.toml", &no_files)?),
                ..Config::default()
            };
            Scanner::new(RuleSet::builtin().unwrap(), &config).map(drop)
        };
        let err = bad("[[rules]]\nid = \"r\"\nregex = '''(unclosed'''\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("repo/.gitleaks.toml") && err.contains("`r`") && err.contains("does not compile"),
            "{err}"
        );
        let err = bad("[[allowlists]]\ncondition = \"XOR\"\npaths = ['''a''']\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("XOR"), "{err}");
        let err = bad("[[allowlists]]\ndescription = \"empty\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("allows nothing"), "{err}");
        let err = bad("[extend]\npath = \"missing.toml\"\n").unwrap_err().to_string();
        assert!(err.contains("missing.toml"), "{err}");
        let err = bad("[[rules]]\nid = 3\n").unwrap_err().to_string();
        assert!(err.contains("repo/.gitleaks.toml"), "{err}");
    }

    #[test]
    fn ignore_lines_name_rules_by_either_tool() {
        assert!(gitleaks_rule_matches("aws-access-token", "aws-access-key-id"));
        assert!(gitleaks_rule_matches("github-pat", "github-pat"));
        assert!(
            !gitleaks_rule_matches("github-pat", "openai-api-key"),
            "a sealant id names only itself"
        );
        assert!(!gitleaks_rule_matches("aws-access-token", "openai-api-key"));
        assert!(
            gitleaks_rule_matches("twitter-api-key", "generic-secret-assignment"),
            "unknown here: any rule"
        );
    }
}
