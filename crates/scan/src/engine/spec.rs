//! The raw, deserialised shape of rule packs and of `.sealant.toml`: what the TOML says,
//! before anything is compiled or checked beyond field names. Validated types live in
//! `rule.rs` (`RuleSpec` → `Rule`) and `config.rs` (`ConfigSpec` → `Config`).
//!
//! Every struct denies unknown fields: a typo such as `exmaples` is an error, not a rule
//! whose tests silently vanish. The schema is documented for users in `rules/README.md`.

use serde::Deserialize;

/// A rule pack: a file of `[[rules]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackSpec {
    /// The rules, in file order.
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
}

/// One rule as written in TOML.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Stable kebab-case identifier, unique across all packs.
    pub id: String,
    /// What is detected; the title of a finding.
    pub description: String,
    /// Which part of the AI/ML secrets surface the credential belongs to.
    pub surface: Surface,
    /// Who issues the credential.
    #[serde(default)]
    pub provider: String,
    /// How bad a leak is.
    #[serde(default)]
    pub severity: Severity,
    /// Prefilter keywords (ASCII case-insensitive); empty means "run the regex everywhere".
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The detection regex. Empty (or absent) with a `path` makes a sensitive-file rule: the
    /// file itself is the finding, whatever it holds (`.env`, `id_rsa`).
    #[serde(default)]
    pub regex: String,
    /// The capture group holding the secret; default 1 if the regex has groups, else 0.
    pub secret_group: Option<usize>,
    /// Minimum Shannon entropy of the secret, in bits per character.
    pub entropy: Option<f64>,
    /// Bytes of context on each side of a keyword hit that the regex sees.
    pub window: Option<usize>,
    /// Glob restricting the rule to matching paths.
    pub path: Option<String>,
    /// Regexes: a secret matching any of them is not a finding.
    #[serde(default)]
    pub allow: Vec<String>,
    /// Words: a secret containing any of them (case-insensitive) is not a finding.
    #[serde(default)]
    pub stopwords: Vec<String>,
    /// What a leak of this credential enables.
    #[serde(default)]
    pub blast_radius: String,
    /// Where and how to revoke and rotate it.
    #[serde(default)]
    pub rotate: String,
    /// Lines that must yield a finding of this rule.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Lines that must yield no finding of any rule.
    #[serde(default)]
    pub negative_examples: Vec<String>,
}

/// The secret types of DESIGN.md's surface table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Surface {
    /// Model APIs: OpenAI, Anthropic, Gemini, ...
    ModelApi,
    /// Model registries: Hugging Face, Replicate, ...
    ModelRegistry,
    /// Training data: cloud storage and databases.
    TrainingData,
    /// Vector databases: Pinecone, Weaviate, Qdrant, ...
    VectorDb,
    /// Experiment trackers: Weights & Biases, Neptune, Comet, ...
    ExperimentTracker,
    /// Embedding services: Voyage, Jina, ...
    Embedding,
    /// Pipelines: CI, VCS tokens, Vault, cloud service accounts.
    Pipeline,
    /// Anything else: private keys, passwords, generic assignments.
    Generic,
}

impl Surface {
    /// The kebab-case name used in TOML and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Surface::ModelApi => "model-api",
            Surface::ModelRegistry => "model-registry",
            Surface::TrainingData => "training-data",
            Surface::VectorDb => "vector-db",
            Surface::ExperimentTracker => "experiment-tracker",
            Surface::Embedding => "embedding",
            Surface::Pipeline => "pipeline",
            Surface::Generic => "generic",
        }
    }
}

/// How bad a leak is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Nuisance-level.
    Low,
    /// Limited access.
    Medium,
    /// Real access to a paid or private service.
    #[default]
    High,
    /// Access to infrastructure, data or the supply chain.
    Critical,
}

impl Severity {
    /// The lower-case name used in TOML and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// `.sealant.toml`, the repository's own configuration, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigSpec {
    /// Scan settings.
    #[serde(default)]
    pub scan: ScanSpec,
    /// Allowlist entries.
    #[serde(default)]
    pub allowlist: Vec<AllowlistSpec>,
    /// Extra rules, in the same schema as the builtin packs.
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
    /// What to do with staged notebooks that carry outputs.
    #[serde(default)]
    pub notebooks: NotebooksSpec,
}

/// The `[notebooks]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotebooksSpec {
    /// The policy for every notebook not matched by `paths`.
    #[serde(default)]
    pub outputs: OutputsPolicy,
    /// Per-path policies; the last entry whose glob matches wins (as in .gitattributes).
    #[serde(default)]
    pub paths: Vec<NotebookPathSpec>,
}

/// One `[[notebooks.paths]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotebookPathSpec {
    /// Gitignore-like glob (a pattern without `/` matches at any depth).
    pub glob: String,
    /// The policy for matching notebooks.
    pub outputs: OutputsPolicy,
}

/// What a commit may do with a notebook whose outputs or execution counts are not cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputsPolicy {
    /// Block the commit and say how to strip the notebook (the default).
    #[default]
    Block,
    /// Strip the staged notebook in the index (and the working tree when it has no unstaged
    /// changes) and let the commit go on.
    Strip,
    /// Commit outputs as they are (they are still scanned for secrets).
    Allow,
}

impl OutputsPolicy {
    /// The lower-case name used in TOML and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            OutputsPolicy::Block => "block",
            OutputsPolicy::Strip => "strip",
            OutputsPolicy::Allow => "allow",
        }
    }
}

/// The `[scan]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanSpec {
    /// Rule ids that are switched off.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Blobs larger than this many bytes are skipped with a warning.
    pub max_file_size: Option<u64>,
    /// Whether `.gitleaks.toml` and `.gitleaksignore` are read too (default true).
    pub gitleaks: Option<bool>,
}

/// One `[[allowlist]]` entry: what it matches is never a finding.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowlistSpec {
    /// Why this entry exists (shown by `explain` later; required to keep allowlists honest).
    #[serde(default)]
    pub description: String,
    /// Globs of paths whose findings are allowed (gitignore-like: no `/` matches any depth).
    #[serde(default)]
    pub paths: Vec<String>,
    /// Regexes matched against the secret.
    #[serde(default)]
    pub regexes: Vec<String>,
    /// Words: a secret containing one (case-insensitive) is allowed.
    #[serde(default)]
    pub stopwords: Vec<String>,
    /// Limits the entry to these rule ids; empty means every rule.
    #[serde(default)]
    pub rules: Vec<String>,
}
