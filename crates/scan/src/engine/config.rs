//! `.sealant.toml`, validated: allowlist entries, disabled rules, extra rules and scan
//! limits. Reading the file and finding it is the CLI's job; this module turns its text into
//! a [`Config`] or an error that names the file and the problem.

use globset::GlobMatcher;

use super::allow::{Allowlist, path_glob};
use super::gitleaks::GitleaksConfig;
use super::spec::{ConfigSpec, NotebooksSpec, OutputsPolicy, RuleSpec};
use crate::Error;

/// The default cap on blob size: above it a file is skipped with a warning.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// A validated repository configuration.
#[derive(Debug)]
pub struct Config {
    /// Where it came from (for messages), empty for the default config.
    pub origin: String,
    /// Compiled allowlist entries.
    pub allowlists: Vec<Allowlist>,
    /// Rule ids that are switched off.
    pub disabled: Vec<String>,
    /// Extra rules, validated when the rule set is built.
    pub extra_rules: Vec<RuleSpec>,
    /// Maximum blob size scanned, in bytes.
    pub max_file_size: Option<u64>,
    /// The `[notebooks]` outputs policy.
    pub notebooks: NotebookPolicy,
    /// `[scan] gitleaks = false` turns off reading `.gitleaks.toml` and `.gitleaksignore`.
    pub read_gitleaks: bool,
    /// The repository's `.gitleaks.toml`, translated when the scanner is built.
    pub gitleaks: Option<GitleaksConfig>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            origin: String::new(),
            allowlists: Vec::new(),
            disabled: Vec::new(),
            extra_rules: Vec::new(),
            max_file_size: None,
            notebooks: NotebookPolicy::default(),
            read_gitleaks: true,
            gitleaks: None,
        }
    }
}

/// The compiled `[notebooks]` table: which [`OutputsPolicy`] applies to a notebook path.
#[derive(Debug, Clone, Default)]
pub struct NotebookPolicy {
    default: OutputsPolicy,
    paths: Vec<(GlobMatcher, OutputsPolicy)>,
}

impl NotebookPolicy {
    fn compile(spec: NotebooksSpec, origin: &str) -> Result<NotebookPolicy, Error> {
        let paths = spec
            .paths
            .into_iter()
            .map(|p| {
                let glob = path_glob(&p.glob).map_err(|message| Error::Config {
                    origin: origin.to_owned(),
                    message: format!("[[notebooks.paths]]: {message}"),
                })?;
                Ok((glob, p.outputs))
            })
            .collect::<Result<_, Error>>()?;
        Ok(NotebookPolicy {
            default: spec.outputs,
            paths,
        })
    }

    /// The policy for the notebook at `path` (`/`-separated, relative to the root): the last
    /// matching `[[notebooks.paths]]` entry, else `notebooks.outputs`.
    pub fn for_path(&self, path: &str) -> OutputsPolicy {
        self.paths
            .iter()
            .rev()
            .find(|(glob, _)| glob.is_match(path))
            .map_or(self.default, |(_, policy)| *policy)
    }
}

impl Config {
    /// Parses and validates the text of a `.sealant.toml`.
    pub fn parse(text: &str, origin: &str) -> Result<Config, Error> {
        let spec: ConfigSpec = toml::from_str(text).map_err(|e| Error::Toml {
            origin: origin.to_owned(),
            message: e.to_string(),
        })?;
        let allowlists = spec
            .allowlist
            .into_iter()
            .map(|a| Allowlist::compile(a, origin))
            .collect::<Result<_, _>>()?;
        let notebooks = NotebookPolicy::compile(spec.notebooks, origin)?;
        Ok(Config {
            origin: origin.to_owned(),
            allowlists,
            disabled: spec.scan.disable,
            extra_rules: spec.rules,
            max_file_size: spec.scan.max_file_size,
            notebooks,
            read_gitleaks: spec.scan.gitleaks.unwrap_or(true),
            gitleaks: None,
        })
    }

    /// The blob size cap in effect.
    pub fn max_file_size(&self) -> u64 {
        self.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_section() {
        let cfg = Config::parse(
            r#"
[scan]
disable = ["generic-api-key"]
max_file_size = 1024

[[allowlist]]
description = "rule examples"
paths = ["rules/*.toml"]

[[rules]]
id = "acme-token"
description = "ACME token"
surface = "pipeline"
regex = '''acme_[a-z0-9]{16}'''
examples = ["acme_q8zr2lmx0vt7bn4k"]
"#,
            ".sealant.toml",
        )
        .unwrap();
        assert_eq!(cfg.disabled, ["generic-api-key"]);
        assert_eq!(cfg.max_file_size(), 1024);
        assert_eq!(cfg.allowlists.len(), 1);
        assert_eq!(cfg.extra_rules[0].id, "acme-token");
    }

    #[test]
    fn notebook_policies_follow_the_last_matching_glob() {
        let cfg = Config::parse(
            r#"
[notebooks]
outputs = "strip"

[[notebooks.paths]]
glob = "docs/"
outputs = "allow"

[[notebooks.paths]]
glob = "docs/private/*.ipynb"
outputs = "block"
"#,
            ".sealant.toml",
        )
        .unwrap();
        assert_eq!(cfg.notebooks.for_path("a.ipynb"), OutputsPolicy::Strip);
        assert_eq!(cfg.notebooks.for_path("docs/x/a.ipynb"), OutputsPolicy::Allow);
        assert_eq!(cfg.notebooks.for_path("docs/private/a.ipynb"), OutputsPolicy::Block);
        assert_eq!(Config::default().notebooks.for_path("a.ipynb"), OutputsPolicy::Block);
        let err = Config::parse("[notebooks]\noutputs = \"strip-all\"\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("c.toml") && err.contains("strip-all"), "{err}");
        let err = Config::parse("[notebooks]\noutput = \"allow\"\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("output"), "{err}");
    }

    #[test]
    fn errors_name_the_file_and_the_key() {
        let err = Config::parse("[scan]\ndisabel = []\n", "repo/.sealant.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("repo/.sealant.toml") && err.contains("disabel"), "{err}");
        let err = Config::parse("[[allowlist]]\nregexes = ['(']\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("c.toml") && err.contains("does not compile"), "{err}");
    }
}
