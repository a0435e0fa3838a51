//! Arguments, environment and `.sealant.toml` resolved into what a command needs: the
//! output settings and a ready scanner. Every environment variable sealant reads is named
//! here, once.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Context;
use sealant_scan::engine::{BETTERLEAKS_CONFIG_FILE, Config, GITLEAKS_CONFIG_FILE, GitleaksConfig, RuleSet, Scanner};

use crate::args::{ColorChoice, Format, OutputArgs};

/// `NO_COLOR`: any non-empty value turns colour off (https://no-color.org).
pub const ENV_NO_COLOR: &str = "NO_COLOR";
/// `SEALANT_SKIP=1` skips the hook's scan for one command, announced in one line.
pub const ENV_SKIP: &str = "SEALANT_SKIP";
/// `SKIP=sealant,...`: the pre-commit framework's convention, honoured too.
pub const ENV_SKIP_LIST: &str = "SKIP";

/// Set for hooks sealant chains: a sealant hook reached through a chain leaves the scan to
/// the outer one.
pub const ENV_HOOK_ACTIVE: &str = "SEALANT_HOOK_ACTIVE";
/// `SEALANT_DATA_DIR`: where a machine install keeps its hooks and state (tests, custom
/// layouts); default `$XDG_DATA_HOME/sealant`, else `~/.local/share/sealant`.
pub const ENV_DATA_DIR: &str = "SEALANT_DATA_DIR";

/// `SEALANT_MAX_PUSH_COMMITS`: how many new commits a push is scanned in (default 2,000);
/// the newest are scanned and the rest named in a warning.
pub const ENV_MAX_PUSH_COMMITS: &str = "SEALANT_MAX_PUSH_COMMITS";

/// The cap on commits scanned per push.
pub fn max_push_commits() -> usize {
    std::env::var(ENV_MAX_PUSH_COMMITS)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(2000)
}

/// The repository configuration file, at the worktree root (or the scan root).
pub const CONFIG_FILE: &str = ".sealant.toml";

/// How to present results.
#[derive(Debug, Clone)]
pub struct Output {
    pub format: Format,
    pub color: bool,
    pub show_secrets: bool,
    /// A file that also receives the report.
    pub report_path: Option<std::path::PathBuf>,
}

impl Output {
    /// Colour only for people: human format, and `--color always`, or a terminal with
    /// neither `--no-color`/`--color never` nor `NO_COLOR`.
    pub fn resolve(args: &OutputArgs, to_stderr: bool) -> Output {
        let terminal = if to_stderr {
            std::io::stderr().is_terminal()
        } else {
            std::io::stdout().is_terminal()
        };
        let no_color_env = std::env::var_os(ENV_NO_COLOR).is_some_and(|v| !v.is_empty());
        let color = match (args.color, args.no_color) {
            (_, true) | (ColorChoice::Never, _) => false,
            (ColorChoice::Always, _) => true,
            (ColorChoice::Auto, _) => terminal && !no_color_env,
        };
        Output {
            format: args.format,
            color: color && args.format == Format::Human,
            show_secrets: args.show_secrets,
            report_path: args.report_path.clone(),
        }
    }

    /// Human output for a hook: colour decided by the terminal and `NO_COLOR`.
    pub fn for_hook() -> Output {
        let args = OutputArgs {
            format: Format::Human,
            color: ColorChoice::Auto,
            no_color: false,
            show_secrets: false,
            report_path: None,
        };
        Output::resolve(&args, true)
    }
}

/// Whether the user asked to skip the hook for this one command.
pub fn skip_requested() -> Option<&'static str> {
    if std::env::var(ENV_SKIP).is_ok_and(|v| !v.is_empty() && v != "0") {
        return Some("SEALANT_SKIP");
    }
    let listed = std::env::var(ENV_SKIP_LIST).is_ok_and(|v| v.split(',').any(|id| id.trim() == "sealant"));
    listed.then_some("SKIP=sealant")
}

/// Where a machine install keeps its hooks directory and state file.
pub fn data_dir(scope: sealant_install::machine::Scope) -> anyhow::Result<std::path::PathBuf> {
    if let Some(dir) = std::env::var_os(ENV_DATA_DIR).filter(|d| !d.is_empty()) {
        return Ok(dir.into());
    }
    if scope == sealant_install::machine::Scope::System {
        return Ok("/usr/local/share/sealant".into());
    }
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return Ok(std::path::PathBuf::from(dir).join("sealant"));
    }
    Ok(home()?.join(".local/share/sealant"))
}

/// `$XDG_CONFIG_HOME`, else `~/.config` (where git looks for its global attributes file).
pub fn xdg_config_home() -> anyhow::Result<std::path::PathBuf> {
    match std::env::var_os("XDG_CONFIG_HOME").filter(|d| !d.is_empty()) {
        Some(dir) => Ok(dir.into()),
        None => Ok(home()?.join(".config")),
    }
}

fn home() -> anyhow::Result<std::path::PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(Into::into)
        .context("HOME is not set")
}

/// Reads `<root>/.sealant.toml` and, unless it says `[scan] gitleaks = false`,
/// `<root>/.gitleaks.toml`, if they exist.
pub fn load_config(root: Option<&Path>) -> anyhow::Result<Config> {
    let Some(root) = root else {
        return Ok(Config::default());
    };
    let path = root.join(CONFIG_FILE);
    let mut config = match read_if_present(&path)? {
        Some(text) => Config::parse(&text, &path.display().to_string())?,
        None => Config::default(),
    };
    if config.read_gitleaks {
        config.gitleaks = load_gitleaks(root).map_err(gitleaks_hint)?;
    }
    Ok(config)
}

/// `<root>/.betterleaks.toml` (Betterleaks, gitleaks' successor, reads the same format and
/// prefers its own name) or else `<root>/.gitleaks.toml`, and the files its `[extend] path`
/// names (relative to the root, as gitleaks resolves them from the directory it scans).
fn load_gitleaks(root: &Path) -> anyhow::Result<Option<GitleaksConfig>> {
    let mut found = Vec::new();
    for name in [BETTERLEAKS_CONFIG_FILE, GITLEAKS_CONFIG_FILE] {
        let path = root.join(name);
        if let Some(text) = read_if_present(&path)? {
            found.push((path, text));
        }
    }
    let mut found = found.into_iter();
    let Some((path, text)) = found.next() else {
        return Ok(None);
    };
    let shadowed: Vec<PathBuf> = found.map(|(p, _)| p).collect();
    let mut config = parse_gitleaks(&text, &path, root)?;
    for other in shadowed {
        config.note(format!(
            "{} is not read: {} takes precedence, as in Betterleaks",
            other.display(),
            path.display()
        ));
    }
    Ok(Some(config))
}

/// The gitleaks configuration `text`, read from `path`, with the files its `[extend] path`
/// names read relative to `dir`.
pub fn parse_gitleaks(text: &str, path: &Path, dir: &Path) -> Result<GitleaksConfig, sealant_scan::Error> {
    let origin = path.display().to_string();
    let read = |name: &str| {
        let file = dir.join(name);
        std::fs::read_to_string(&file)
            .map(|text| (text, file.display().to_string()))
            .map_err(|e| sealant_scan::Error::Config {
                origin: origin.clone(),
                message: format!("[extend] path {name:?}: cannot read {}: {e}", file.display()),
            })
    };
    GitleaksConfig::load(text, &origin, &read)
}

fn read_if_present(path: &Path) -> anyhow::Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// The builtin rules plus the config's, minus its disabled ones.
pub fn scanner(config: &Config) -> anyhow::Result<Scanner> {
    let rules = RuleSet::builtin().context("the builtin rule packs")?;
    Scanner::new(rules, config).map_err(|e| {
        let from_gitleaks = config
            .gitleaks
            .as_ref()
            .zip(e.origin())
            .is_some_and(|(g, origin)| g.is_from(origin));
        let e = anyhow::Error::from(e);
        if from_gitleaks { gitleaks_hint(e) } else { e }
    })
}

/// A problem in a gitleaks file blocks every commit, as one in `.sealant.toml` does; say how
/// to go on without reading it while it is fixed.
fn gitleaks_hint(e: anyhow::Error) -> anyhow::Error {
    anyhow::anyhow!(
        "{e:#}\n  = hint: sealant reads gitleaks' configuration so a team switching keeps its rules; \
         fix it, or stop reading it with `[scan] gitleaks = false` in .sealant.toml"
    )
}
