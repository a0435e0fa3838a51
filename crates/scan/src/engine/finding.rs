//! What a scan reports: one [`Finding`] per secret, with where it is, what it is, what a
//! leak enables and how to rotate it. The secret itself stays in memory; every output goes
//! through [`Finding::redacted`] unless the user asks for `--show-secrets`.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::spec::{Severity, Surface};

/// One secret found in one place.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The rule's id.
    pub rule: String,
    /// The rule's description.
    pub description: String,
    /// Which part of the secrets surface.
    pub surface: Surface,
    /// How bad a leak is.
    pub severity: Severity,
    /// Path of the file, `/`-separated, relative to the repository or scan root.
    pub path: String,
    /// 1-based line of the secret's first character.
    pub line: u32,
    /// 1-based column (in characters) of the secret's first character.
    pub column: u32,
    /// 1-based line of the secret's last character (differs from `line` for PEM blocks).
    pub end_line: u32,
    /// The full text of the secret's first line, without its line ending.
    #[serde(skip)]
    pub line_text: String,
    /// The secret. Never printed unless asked.
    #[serde(skip)]
    pub secret: String,
    /// Stable content hash of rule and secret (not of its position).
    pub fingerprint: String,
    /// What a leak enables.
    pub blast_radius: String,
    /// Where and how to rotate.
    pub rotate: String,
    /// The commit that adds the secret, for history and push scans (set by the caller).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Where inside the file, for files with structure a line number alone does not show (a
    /// notebook's `cell 7, output 2`); `line` then counts within that part. Set by the
    /// caller; the engine knows no file formats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

impl Finding {
    /// The secret with all but a short, identifying prefix hidden: at most a third of it and
    /// never more than 12 characters, nothing at all for short secrets.
    pub fn redacted(&self) -> String {
        redact(&self.secret)
    }
}

/// See [`Finding::redacted`].
pub fn redact(secret: &str) -> String {
    let len = secret.chars().count();
    let keep = if len < 8 { 0 } else { (len / 3).min(12) };
    let prefix: String = secret.chars().take(keep).collect();
    format!("{prefix}…(redacted)…")
}

/// Hex SHA-256 of `rule \0 secret`, cut to 32 hex digits: the same secret under the same rule
/// has the same fingerprint in every file, commit and scan mode.
pub fn fingerprint(rule: &str, secret: &str) -> String {
    let digest = Sha256::new()
        .chain_update(rule.as_bytes())
        .chain_update([0])
        .chain_update(secret.as_bytes())
        .finalize();
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_a_short_prefix_only() {
        let secret = format!("sk-proj-{}", "Q".repeat(40));
        let shown = redact(&secret);
        assert!(shown.starts_with("sk-proj-QQQQ…"), "{shown}");
        assert!(!shown.contains(&secret[..13]));
        assert_eq!(redact("hunter2"), "…(redacted)…");
    }

    #[test]
    fn fingerprints_are_stable_and_rule_specific() {
        assert_eq!(fingerprint("a", "s"), fingerprint("a", "s"));
        assert_ne!(fingerprint("a", "s"), fingerprint("b", "s"));
        assert_ne!(fingerprint("a", "bs"), fingerprint("ab", "s"));
        assert_eq!(fingerprint("a", "s").len(), 32);
    }
}
