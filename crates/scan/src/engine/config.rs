//! `.sealant.toml`, validated: allowlist entries, disabled rules, extra rules and scan
//! limits. Reading the file and finding it is the CLI's job; this module turns its text into
//! a [`Config`] or an error that names the file and the problem.

use super::allow::Allowlist;
use super::spec::{ConfigSpec, RuleSpec};
use crate::Error;

/// The default cap on blob size: above it a file is skipped with a warning.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// A validated repository configuration.
#[derive(Debug, Default)]
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
        Ok(Config {
            origin: origin.to_owned(),
            allowlists,
            disabled: spec.scan.disable,
            extra_rules: spec.rules,
            max_file_size: spec.scan.max_file_size,
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
