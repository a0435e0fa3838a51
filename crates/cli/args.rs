//! The command line, as clap sees it. Doc comments here are the `--help` text; keep them
//! short and written for the person whose commit was just blocked.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Blocks the commit or push that would leak a credential.
#[derive(Debug, Parser)]
#[command(name = "sealant", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan what the commit adds (what the pre-commit hook runs).
    ///
    /// Reads the index git is about to commit (honouring GIT_INDEX_FILE), scans only the
    /// lines it adds relative to HEAD, and exits 1 when a credential is found.
    PreCommit(PreCommitArgs),
    /// Scan files and directories, or the staged changes.
    Scan(ScanArgs),
    /// Scan what a push publishes (what the pre-push hook runs); reads git's pre-push input.
    PrePush(PrePushArgs),
    /// Guard every repository on this machine (default), or one repository with --repo.
    Install(InstallArgs),
    /// Undo `sealant install`, restoring exactly what was there before.
    Uninstall(UninstallArgs),
    /// Check whether sealant's hooks run here, and why not.
    Doctor,
    /// Record a finding as known in .sealant-ignore (by fingerprint, never the secret).
    Ignore(IgnoreArgs),
    /// Record every current finding in .sealant-ignore, to adopt sealant in an existing repository.
    Baseline(BaselineArgs),
    /// Say why a line is (or is not) reported: rules, keywords, entropy, allowlists, ignores.
    Explain(ExplainArgs),
    /// What installed hooks call.
    #[command(subcommand)]
    Hook(HookCommand),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Print the man page (roff), e.g. `sealant man > /usr/local/share/man/man1/sealant.1`.
    Man,
    /// List the rules sealant runs here (builtin plus .sealant.toml), or check a rule file.
    Rules(RulesArgs),
    /// Strip outputs from notebooks, as nbstripout does (stdin to stdout without files).
    ///
    /// Files are rewritten in place, atomically and only when something changes. The
    /// options and their meaning are nbstripout's.
    Strip(StripArgs),
    /// Git's long-running clean/smudge filter for notebooks (`filter.<driver>.process`).
    FilterProcess(FilterArgs),
}

#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Run one hook: chained hooks first, then sealant's check for that hook, if any.
    Run(HookRunArgs),
}

#[derive(Debug, Args)]
pub struct HookRunArgs {
    /// The hook git is running (pre-commit, pre-merge-commit, pre-push, or any other).
    pub name: String,
    /// The directory the hook file lives in; hooks sealant chains are found from it.
    #[arg(long, value_name = "DIR")]
    pub hook_dir: Option<PathBuf>,
    /// Arguments git passed to the hook.
    #[arg(last = true)]
    pub hook_args: Vec<String>,
}

#[derive(Debug, Args)]
pub struct PrePushArgs {
    #[command(flatten)]
    pub output: OutputArgs,
    /// The remote's name (or its URL when pushing to a URL), as git passes it.
    pub remote: String,
    /// The remote's URL.
    pub url: String,
}

/// How findings are shown.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// When to colour human output: on a terminal unless NO_COLOR is set (auto), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Never colour the output (same as --color never).
    #[arg(long)]
    pub no_color: bool,
    /// Print secrets in full instead of redacted.
    #[arg(long)]
    pub show_secrets: bool,
    /// Also write the report to FILE (in the chosen format; human reports without colour).
    #[arg(long, value_name = "FILE")]
    pub report_path: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Annotated snippets for people.
    Human,
    /// One JSON document for tools.
    Json,
    /// One JSON object per finding, one per line.
    Jsonl,
    /// SARIF 2.1.0, for GitHub code scanning and other CI dashboards.
    Sarif,
}

#[derive(Debug, Args)]
pub struct PreCommitArgs {
    #[command(flatten)]
    pub output: OutputArgs,
    /// The hook file git ran; a hook it replaced (`<hook>.pre-sealant`) is run first.
    #[arg(long, value_name = "PATH")]
    pub hook_path: Option<PathBuf>,
    /// Arguments git passed to the hook, forwarded to a chained hook.
    #[arg(last = true)]
    pub hook_args: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub output: OutputArgs,
    /// Scan the staged changes (what `git commit` would add) instead of files.
    #[arg(long, conflicts_with_all = ["paths", "history", "range"])]
    pub staged: bool,
    /// Scan every commit reachable from any reference, each against its parent.
    #[arg(long, conflicts_with_all = ["paths", "range"])]
    pub history: bool,
    /// Scan the commits in A..B (reachable from B, not from A), each against its parent.
    #[arg(long, value_name = "A..B", conflicts_with = "paths")]
    pub range: Option<String>,
    /// Files or directories to scan whole (default: the current directory). Directories
    /// inside a git repository honour .gitignore.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Also name the allowlist entries (.sealant.toml, .gitleaks.toml) that let nothing go
    /// in this scan, and exit 1 if there are any: allowlists that rot are caught in CI.
    #[arg(long, conflicts_with = "staged")]
    pub unused_allowlists: bool,
}

#[derive(Debug, Args)]
pub struct InstallArgs {
    /// Install into the current repository only: its hooks directory (core.hooksPath if
    /// set, else the common git dir's hooks/), chaining the hooks already there.
    #[arg(long, conflicts_with = "system")]
    pub repo: bool,
    /// Install for every user of this machine (system git config), for fleet roll-outs.
    #[arg(long)]
    pub system: bool,
    /// Also keep notebook outputs out of the index with a git clean filter.
    #[arg(long)]
    pub notebook_filter: bool,
    /// Say what would change, change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct IgnoreArgs {
    /// The finding's fingerprint, as every report shows it.
    #[arg(
        required_unless_present_any = ["prune", "import_detect_secrets", "import_gitleaks"],
        conflicts_with = "prune"
    )]
    pub fingerprint: Option<String>,
    /// Only where the path matches this glob (gitignore-like).
    #[arg(long, value_name = "GLOB")]
    pub path: Option<String>,
    /// Stop ignoring it on this date (YYYY-MM-DD): the finding comes back.
    #[arg(long, value_name = "DATE")]
    pub expires: Option<String>,
    /// Why, kept as a comment on the entry.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Remove entries that match nothing in the current files, and list them.
    #[arg(long)]
    pub prune: bool,
    /// With --prune: list stale entries, remove nothing.
    #[arg(long, requires = "prune")]
    pub dry_run: bool,
    /// With --prune: an entry matching a finding in any commit is not stale either (keep the
    /// entries a `scan --history` in CI relies on).
    #[arg(long, requires = "prune")]
    pub history: bool,
    /// Import a detect-secrets baseline (.secrets.baseline): each secret it lists that sealant
    /// also finds becomes an entry for that file.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["fingerprint", "prune"])]
    pub import_detect_secrets: Option<PathBuf>,
    /// Turn a `.gitleaksignore` (findings by position: commit, file, rule, line) into entries
    /// keyed on the secret: each listed finding is looked up where it was (in that commit, or
    /// in the working tree) and becomes an entry for its file.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["fingerprint", "prune", "import_detect_secrets"])]
    pub import_gitleaks: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// PATH:LINE of a file, or a finding's fingerprint.
    #[arg(value_name = "PATH:LINE|FINGERPRINT")]
    pub target: String,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// Files or directories to scan (default: the whole repository).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct UninstallArgs {
    /// Uninstall from the current repository only.
    #[arg(long, conflicts_with = "system")]
    pub repo: bool,
    /// Undo a --system install.
    #[arg(long)]
    pub system: bool,
}

#[derive(Debug, Args)]
pub struct StripArgs {
    /// Change nothing; exit 1 if a file would change (nbstripout's --verify).
    #[arg(long, visible_alias = "verify", conflicts_with_all = ["dry_run", "textconv"])]
    pub check: bool,
    /// Print which notebooks would be stripped; change nothing.
    #[arg(long, conflicts_with = "textconv")]
    pub dry_run: bool,
    /// Print the stripped notebooks to stdout instead of rewriting them (for diff.textconv).
    #[arg(short = 't', long)]
    pub textconv: bool,
    /// Also process files whose name does not end in .ipynb.
    #[arg(short = 'f', long)]
    pub force: bool,
    #[command(flatten)]
    pub options: StripOptionArgs,
    /// Notebooks to strip; none means stdin to stdout.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// nbstripout's options (and nbstripout-fast's --strip-regex).
#[derive(Debug, Clone, Args)]
pub struct StripOptionArgs {
    /// Keep outputs (execution counts are still cleared unless --keep-count).
    #[arg(long)]
    pub keep_output: bool,
    /// Keep execution counts.
    #[arg(long)]
    pub keep_count: bool,
    /// Keep cell ids instead of renumbering them 0, 1, 2, ...
    #[arg(long)]
    pub keep_id: bool,
    /// More keys to remove, space separated: metadata.<path> or cell.<path>.
    #[arg(long, value_name = "KEYS")]
    pub extra_keys: Vec<String>,
    /// Keys to keep although stripped by default or by --extra-keys, space separated.
    #[arg(long, value_name = "KEYS")]
    pub keep_metadata_keys: Vec<String>,
    /// Remove cells whose source is empty or whitespace only.
    #[arg(long)]
    pub drop_empty_cells: bool,
    /// Remove cells carrying any of these tags, space separated.
    #[arg(long, value_name = "TAGS")]
    pub drop_tagged_cells: Vec<String>,
    /// Strip cells with `init_cell: true` metadata too (kept by default).
    #[arg(long)]
    pub strip_init_cells: bool,
    /// Keep outputs no larger than SIZE (N, NK, NM or NG; powers of ten).
    #[arg(long, value_name = "SIZE", default_value = "0")]
    pub max_size: String,
    /// Output types to keep, as `type` or `type:name` (e.g. stream:stderr).
    #[arg(long, value_name = "TYPE", num_args = 1..)]
    pub keep_output_type: Vec<String>,
    /// Output types to drop even when outputs are kept.
    #[arg(long, value_name = "TYPE", num_args = 1..)]
    pub drop_output_type: Vec<String>,
    /// Drop outputs whose stream text or text/plain matches this regex.
    #[arg(long, value_name = "REGEX")]
    pub strip_regex: Option<String>,
}

#[derive(Debug, Args)]
pub struct FilterArgs {
    #[command(flatten)]
    pub options: StripOptionArgs,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: Option<RulesCommand>,
    /// Output of the list when no subcommand is given.
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the rules in effect here: id, provider, surface and severity (the default).
    List(OutputArgs),
    /// Validate rule files the way the builtin rules are tested: the schema, unique kebab-case
    /// ids, regexes that compile, every example found by its rule through the whole engine
    /// and no negative example found by any rule.
    ///
    /// A FILE is a pack of `[[rules]]` tables or a `.sealant.toml`. A `.gitleaks.toml` or
    /// `.betterleaks.toml` is read as the hook reads it: what sealant makes of it, what does
    /// not carry over, and any regex that cannot be compiled. Exit 0 when every rule passes,
    /// 1 when one fails, 2 when a file cannot be read or parsed.
    Check(RulesCheckArgs),
}

#[derive(Debug, Args)]
pub struct RulesCheckArgs {
    /// Rule files to check; with --builtin and no FILE, only the builtin packs.
    #[arg(value_name = "FILE", required_unless_present = "builtin")]
    pub files: Vec<PathBuf>,
    /// Also check every builtin rule.
    #[arg(long)]
    pub builtin: bool,
}
