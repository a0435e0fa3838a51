//! Machine-wide install: every repository on the machine — existing ones, new clones,
//! worktrees, submodules — runs sealant on commit and push, without touching any repository.
//!
//! Two modes, chosen by the git version:
//!
//! - git ≥ 2.54 reads hooks from config: `hook.sealant-<event>.event` and `.command` in the
//!   global (or system) config. Repository hooks keep running after ours; nothing else is
//!   needed.
//! - older git: a global `core.hooksPath` pointing at sealant's hooks directory, with a
//!   dispatcher for every client-side hook name so the repository's own hooks still run
//!   (sealant chains them). A `core.hooksPath` that was already set is recorded and chained,
//!   never lost.
//!
//! What was changed is recorded in a small state file so `uninstall` restores exactly what was
//! there. Git config is read and written with `git config` itself: installing is not the hot
//! path, and git knows where its global and system files live.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};

use crate::attributes;
use crate::error::{Error, io};
use crate::hookfile::{self, CLIENT_HOOKS, MACHINE_MARKER_FILE, SCANNING_HOOKS};

/// The first git version that runs hooks declared in config.
pub const CONFIG_HOOKS_SINCE: GitVersion = GitVersion(2, 54, 0);

/// Which git config file is changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The user's global config (`~/.gitconfig` or `$XDG_CONFIG_HOME/git/config`).
    Global,
    /// The system config, for fleet roll-outs.
    System,
    /// The current repository's config (per-repository notebook filter).
    Local,
}

impl Scope {
    fn flag(self) -> &'static str {
        match self {
            Scope::Global => "--global",
            Scope::System => "--system",
            Scope::Local => "--local",
        }
    }
}

/// How git is told to run sealant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// `hook.<name>.event`/`.command` (git ≥ 2.54).
    ConfigHooks,
    /// A machine-wide `core.hooksPath` of dispatchers.
    HooksPath,
}

/// A git version, `major.minor.patch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct GitVersion(pub u32, pub u32, pub u32);

impl GitVersion {
    /// Parses `git version 2.47.3` (and vendor suffixes such as `2.39.5 (Apple Git-154)`).
    pub fn parse(text: &str) -> Option<GitVersion> {
        let version = text.trim().strip_prefix("git version ")?.split_whitespace().next()?;
        let mut parts = version
            .split('.')
            .map(|p| p.chars().take_while(char::is_ascii_digit).collect::<String>());
        let mut next = || parts.next().and_then(|p| p.parse().ok());
        Some(GitVersion(next()?, next()?, next().unwrap_or(0)))
    }

    /// The mode this git supports best.
    pub fn mode(self) -> Mode {
        if self >= CONFIG_HOOKS_SINCE {
            Mode::ConfigHooks
        } else {
            Mode::HooksPath
        }
    }
}

impl std::fmt::Display for GitVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// What a machine install changed; written to `<data dir>/install.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// How git runs sealant.
    pub mode: Mode,
    /// Which config file was changed.
    pub scope: Scope,
    /// The binary the hooks run.
    pub binary: PathBuf,
    /// sealant's hooks directory (hooks-path mode).
    pub hooks_dir: Option<PathBuf>,
    /// The `core.hooksPath` that was set before, restored on uninstall (hooks-path mode).
    pub previous_hooks_path: Option<String>,
    /// Config keys sealant set, removed on uninstall.
    #[serde(default)]
    pub config_keys: Vec<String>,
    /// The attributes file a line was added to, and the line.
    pub attributes: Option<(PathBuf, String)>,
}

/// Runs `git config <scope> ...`: the one place this crate spawns git.
#[derive(Debug, Clone)]
pub struct GitConfig {
    scope: Scope,
}

impl GitConfig {
    /// Config access for one scope.
    pub fn new(scope: Scope) -> Self {
        GitConfig { scope }
    }

    fn run(&self, args: &[&str]) -> Result<std::process::Output, Error> {
        let mut all = vec!["config", self.scope.flag()];
        all.extend_from_slice(args);
        git(&all)
    }

    /// The value of `key`, if set.
    pub fn get(&self, key: &str) -> Result<Option<String>, Error> {
        let out = self.run(&["--get", key])?;
        // `git config --get` exits 1 when the key is not set.
        Ok(out
            .status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim_end_matches('\n').to_owned()))
    }

    /// Sets `key` to `value`.
    pub fn set(&self, key: &str, value: &str) -> Result<(), Error> {
        checked(&["config", self.scope.flag(), key, value], self.run(&[key, value])?)
    }

    /// Removes `key`; absent keys are fine.
    pub fn unset(&self, key: &str) -> Result<(), Error> {
        let out = self.run(&["--unset-all", key])?;
        // Exit 5: the key was not set.
        if out.status.success() || out.status.code() == Some(5) {
            Ok(())
        } else {
            checked(&["config", self.scope.flag(), "--unset-all", key], out)
        }
    }
}

/// Runs git with `args` and returns its output (stdin closed).
fn git(args: &[&str]) -> Result<std::process::Output, Error> {
    Command::new("git")
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| Error::Git {
            args: args.join(" "),
            message: e.to_string(),
        })
}

fn checked(args: &[&str], out: std::process::Output) -> Result<(), Error> {
    if out.status.success() {
        Ok(())
    } else {
        Err(Error::Git {
            args: args.join(" "),
            message: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        })
    }
}

/// The machine's git version.
pub fn git_version() -> Result<GitVersion, Error> {
    let out = git(&["--version"])?;
    let text = String::from_utf8_lossy(&out.stdout);
    GitVersion::parse(&text).ok_or_else(|| Error::Git {
        args: "--version".into(),
        message: format!("unexpected output {text:?}"),
    })
}

/// The `hook.sealant-<event>.*` entries of config-hooks mode.
pub fn config_hook_entries(binary: &Path) -> Vec<(String, String)> {
    let bin = hookfile::shell_quote(&binary.to_string_lossy());
    SCANNING_HOOKS
        .iter()
        .flat_map(|event| {
            let section = format!("hook.sealant-{event}");
            [
                (format!("{section}.event"), (*event).to_owned()),
                (format!("{section}.command"), format!("{bin} hook run {event}")),
            ]
        })
        .collect()
}

/// What to install.
#[derive(Debug, Clone)]
pub struct Options {
    /// Which config file to change.
    pub scope: Scope,
    /// The binary hooks run.
    pub binary: PathBuf,
    /// Where the state file and hooks directory live.
    pub data_dir: PathBuf,
    /// Force a mode instead of choosing by git version.
    pub mode: Option<Mode>,
    /// Also wire the notebook clean filter, with the attribute line in this attributes file.
    pub notebook_filter: Option<PathBuf>,
}

/// Installs machine-wide and returns a line per change (empty when already installed).
pub fn install(options: &Options) -> Result<Vec<String>, Error> {
    let mode = match options.mode {
        Some(mode) => mode,
        None => git_version()?.mode(),
    };
    let config = GitConfig::new(options.scope);
    let state_path = state_path(&options.data_dir);
    let previous = read_state(&state_path)?;
    let mut done = Vec::new();
    let mut state = State {
        mode,
        scope: options.scope,
        binary: options.binary.clone(),
        hooks_dir: None,
        previous_hooks_path: None,
        config_keys: Vec::new(),
        attributes: previous.as_ref().and_then(|s| s.attributes.clone()),
    };
    match mode {
        Mode::ConfigHooks => {
            for (key, value) in config_hook_entries(&options.binary) {
                if config.get(&key)?.as_deref() != Some(value.as_str()) {
                    config.set(&key, &value)?;
                    done.push(format!("set {key} = {value}"));
                }
                state.config_keys.push(key);
            }
        }
        Mode::HooksPath => {
            let hooks_dir = options.data_dir.join("hooks");
            let current = config.get("core.hooksPath")?;
            let ours = hooks_dir.to_string_lossy().into_owned();
            state.previous_hooks_path = match (&current, &previous) {
                (Some(value), _) if *value != ours => Some(value.clone()),
                (_, Some(old)) => old.previous_hooks_path.clone(),
                _ => None,
            };
            let marker = hooks_dir.join(MACHINE_MARKER_FILE);
            let chained = state.previous_hooks_path.clone().unwrap_or_default();
            let plans = hookfile::plan(&hooks_dir, CLIENT_HOOKS, &options.binary)?;
            if plans.iter().any(|p| p.action != hookfile::Action::UpToDate) {
                done.push(format!("wrote hook dispatchers to {}", hooks_dir.display()));
            }
            hookfile::apply(&plans)?;
            if std::fs::read_to_string(&marker).ok().as_deref() != Some(chained.as_str()) {
                std::fs::write(&marker, &chained).map_err(io(&marker))?;
            }
            if current.as_deref() != Some(ours.as_str()) {
                config.set("core.hooksPath", &ours)?;
                done.push(match &state.previous_hooks_path {
                    Some(p) => format!("set core.hooksPath = {ours} (the previous value, {p}, keeps running, chained)"),
                    None => format!("set core.hooksPath = {ours}"),
                });
            }
            state.config_keys.push("core.hooksPath".into());
            state.hooks_dir = Some(hooks_dir);
        }
    }
    if let Some(file) = &options.notebook_filter {
        done.extend(wire_notebook_filter(&config, &options.binary, file, &mut state)?);
    }
    if previous.as_ref() != Some(&state) {
        write_state(&state_path, &state)?;
    }
    Ok(done)
}

/// Sets `filter.sealant.*` and adds the `*.ipynb` attribute line (recorded only when sealant
/// added it, so uninstall never removes a line the user wrote).
fn wire_notebook_filter(
    config: &GitConfig,
    binary: &Path,
    file: &Path,
    state: &mut State,
) -> Result<Vec<String>, Error> {
    let mut done = Vec::new();
    for (key, value) in attributes::filter_entries(binary) {
        if config.get(&key)?.as_deref() != Some(value.as_str()) {
            config.set(&key, &value)?;
            done.push(format!("set {key} = {value}"));
        }
    }
    if attributes::add_line(file, attributes::NOTEBOOK_ATTRIBUTE)? {
        state.attributes = Some((file.to_path_buf(), attributes::NOTEBOOK_ATTRIBUTE.to_owned()));
        done.push(format!(
            "added `{}` to {}",
            attributes::NOTEBOOK_ATTRIBUTE,
            file.display()
        ));
    }
    Ok(done)
}

/// Undoes a machine install as recorded, returning a line per change.
pub fn uninstall(data_dir: &Path) -> Result<Vec<String>, Error> {
    let path = state_path(data_dir);
    let Some(state) = read_state(&path)? else {
        return Ok(Vec::new());
    };
    let config = GitConfig::new(state.scope);
    let mut done = Vec::new();
    match state.mode {
        Mode::ConfigHooks => {
            for key in &state.config_keys {
                config.unset(key)?;
                done.push(format!("removed {key}"));
            }
        }
        Mode::HooksPath => {
            let hooks_dir = state.hooks_dir.clone().unwrap_or_else(|| data_dir.join("hooks"));
            let ours = hooks_dir.to_string_lossy().into_owned();
            if config.get("core.hooksPath")?.as_deref() == Some(ours.as_str()) {
                match &state.previous_hooks_path {
                    Some(previous) => {
                        config.set("core.hooksPath", previous)?;
                        done.push(format!("restored core.hooksPath = {previous}"));
                    }
                    None => {
                        config.unset("core.hooksPath")?;
                        done.push("removed core.hooksPath".to_owned());
                    }
                }
            }
            hookfile::remove(&hooks_dir, CLIENT_HOOKS)?;
            let marker = hooks_dir.join(MACHINE_MARKER_FILE);
            if marker.exists() {
                std::fs::remove_file(&marker).map_err(io(&marker))?;
            }
            // The directory goes only if nothing else was put there.
            let _ = std::fs::remove_dir(&hooks_dir);
            done.push(format!("removed the hook dispatchers in {}", hooks_dir.display()));
        }
    }
    if let Some((file, line)) = &state.attributes {
        attributes::remove_line(file, line)?;
        done.push(format!("removed `{line}` from {}", file.display()));
    }
    for key in [
        "filter.sealant.process",
        "filter.sealant.clean",
        "filter.sealant.required",
    ] {
        if config.get(key)?.is_some() {
            config.unset(key)?;
            done.push(format!("removed {key}"));
        }
    }
    std::fs::remove_file(&path).map_err(io(&path))?;
    Ok(done)
}

/// `<data dir>/install.toml`.
pub fn state_path(data_dir: &Path) -> PathBuf {
    data_dir.join("install.toml")
}

/// The recorded install, if any.
pub fn read_state(path: &Path) -> Result<Option<State>, Error> {
    match std::fs::read_to_string(path) {
        Ok(text) => toml::from_str(&text).map(Some).map_err(|e| Error::State {
            path: path.to_path_buf(),
            message: e.to_string(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Records `state` (atomically).
pub fn write_state(path: &Path, state: &State) -> Result<(), Error> {
    let text = toml::to_string(state).map_err(|e| Error::State {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let dir = path.parent().expect("the state file has a directory");
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(io(dir))?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(io(path))?;
    file.persist(path).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_and_choose_the_mode() {
        assert_eq!(GitVersion::parse("git version 2.47.3\n"), Some(GitVersion(2, 47, 3)));
        assert_eq!(
            GitVersion::parse("git version 2.39.5 (Apple Git-154)"),
            Some(GitVersion(2, 39, 5))
        );
        assert_eq!(
            GitVersion::parse("git version 2.54.0.windows.1"),
            Some(GitVersion(2, 54, 0))
        );
        assert_eq!(GitVersion::parse("git version 3.0"), Some(GitVersion(3, 0, 0)));
        assert_eq!(GitVersion::parse("nonsense"), None);
        assert_eq!(GitVersion(2, 47, 3).mode(), Mode::HooksPath);
        assert_eq!(GitVersion(2, 54, 0).mode(), Mode::ConfigHooks);
        assert_eq!(GitVersion(3, 1, 0).mode(), Mode::ConfigHooks);
    }

    #[test]
    fn config_hook_entries_name_every_scanning_event() {
        let entries = config_hook_entries(Path::new("/home/a b/.cargo/bin/sealant"));
        assert_eq!(
            entries,
            [
                ("hook.sealant-pre-commit.event".into(), "pre-commit".into()),
                (
                    "hook.sealant-pre-commit.command".into(),
                    "'/home/a b/.cargo/bin/sealant' hook run pre-commit".into()
                ),
                ("hook.sealant-pre-merge-commit.event".into(), "pre-merge-commit".into()),
                (
                    "hook.sealant-pre-merge-commit.command".into(),
                    "'/home/a b/.cargo/bin/sealant' hook run pre-merge-commit".into()
                ),
                ("hook.sealant-pre-push.event".into(), "pre-push".into()),
                (
                    "hook.sealant-pre-push.command".into(),
                    "'/home/a b/.cargo/bin/sealant' hook run pre-push".into()
                ),
            ]
        );
    }

    #[test]
    fn state_round_trips_and_rejects_unknown_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = state_path(dir.path());
        let state = State {
            mode: Mode::HooksPath,
            scope: Scope::Global,
            binary: "/bin/sealant".into(),
            hooks_dir: Some(dir.path().join("hooks")),
            previous_hooks_path: Some("~/.githooks".into()),
            config_keys: vec!["core.hooksPath".into()],
            attributes: None,
        };
        write_state(&path, &state).unwrap();
        assert_eq!(read_state(&path).unwrap(), Some(state));
        std::fs::write(&path, "mode = \"hooks-path\"\nbogus = 1\n").unwrap();
        let err = read_state(&path).unwrap_err().to_string();
        assert!(err.contains("install.toml"), "{err}");
    }
}
