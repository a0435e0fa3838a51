//! `sealant doctor`: is sealant actually guarding this machine and this repository, and if
//! not, why not. A hook that silently does not run looks exactly like one that passes, so
//! this checks what git will really do: the git version and install mode, the effective
//! hooks directory, whether the files there are sealant's and executable, what other
//! managers did to them, whether the baked binary path still works, and the configuration.
//! Exits 1 when commits or pushes here are not guarded.

use std::path::Path;

use sealant_install::hookfile::{MARKER, SCANNING_HOOKS};
use sealant_install::machine::{self, GitConfig, Mode, Scope};
use sealant_scan::git::Repo;

use crate::chain::is_executable;
use crate::commands::install::current_binary;
use crate::exit::ExitStatus;
use crate::ignore::Ignores;
use crate::printer;
use crate::settings;

/// One line of the report: ok, or a problem with a fix.
struct Check {
    ok: bool,
    text: String,
}

pub fn run() -> anyhow::Result<ExitStatus> {
    let mut checks = Vec::new();
    let version = machine::git_version()?;
    checks.push(Check {
        ok: true,
        text: format!("git {version}: {}", mode_text(version.mode())),
    });
    let binary = current_binary()?;
    checks.push(Check {
        ok: true,
        text: format!("binary: {}", binary.display()),
    });
    // GUI clients run hooks with a minimal PATH; the baked absolute path is what they use,
    // and a copy on that PATH is the fallback if the binary moves.
    let minimal = ["/usr/bin/sealant", "/bin/sealant"]
        .iter()
        .any(|p| is_executable(Path::new(p)));
    checks.push(Check {
        ok: true,
        text: if minimal {
            "a GUI client's minimal PATH (/usr/bin:/bin) finds sealant too".into()
        } else {
            "a GUI client's minimal PATH (/usr/bin:/bin) has no sealant: hooks rely on the baked path".into()
        },
    });

    let mut config_hooks = false;
    let mut machine_dir = None;
    for scope in [Scope::Global, Scope::System] {
        let Ok(dir) = settings::data_dir(scope) else { continue };
        if let Some(state) = machine::read_state(&machine::state_path(&dir))? {
            checks.push(Check {
                ok: true,
                text: format!("machine install ({scope:?}): {}", mode_text(state.mode)),
            });
            if !is_executable(&state.binary) {
                checks.push(Check {
                    ok: false,
                    text: format!(
                        "the hooks run {}, which is missing: run ./install.sh again",
                        state.binary.display()
                    ),
                });
            }
            match state.mode {
                Mode::ConfigHooks => {
                    let set = GitConfig::new(scope).get("hook.sealant-pre-commit.command")?.is_some();
                    config_hooks = set && version >= machine::CONFIG_HOOKS_SINCE;
                    if !config_hooks {
                        checks.push(Check {
                            ok: false,
                            text: "hook.sealant-* config is missing or git is too old for it: run `sealant install`"
                                .into(),
                        });
                    }
                }
                Mode::HooksPath => machine_dir = state.hooks_dir.clone(),
            }
        }
    }
    if machine_dir.is_none() && !config_hooks {
        checks.push(Check {
            ok: true,
            text: "no machine install (run `sealant install` to guard every repository)".into(),
        });
    }

    let cwd = std::env::current_dir()?;
    let guarded = match Repo::discover(&cwd) {
        Ok(repo) => check_repo(&repo, config_hooks, machine_dir.as_deref(), &mut checks)?,
        Err(_) => {
            checks.push(Check {
                ok: true,
                text: "not inside a git repository".into(),
            });
            config_hooks || machine_dir.is_some()
        }
    };
    for check in &checks {
        printer::note(&format!("{} {}", if check.ok { "  ok " } else { "  !! " }, check.text));
    }
    if guarded {
        printer::note("sealant: protection is active here");
        Ok(ExitStatus::Clean)
    } else {
        printer::note("sealant: protection is NOT active here (see the !! lines)");
        Ok(ExitStatus::Findings)
    }
}

fn mode_text(mode: Mode) -> &'static str {
    match mode {
        Mode::ConfigHooks => "config-based hooks (git ≥ 2.54)",
        Mode::HooksPath => "machine-wide core.hooksPath with dispatchers",
    }
}

/// Checks the current repository; true when commits and pushes are both guarded.
fn check_repo(
    repo: &Repo,
    config_hooks: bool,
    machine_dir: Option<&Path>,
    checks: &mut Vec<Check>,
) -> anyhow::Result<bool> {
    let hooks_dir = repo.hooks_dir()?;
    checks.push(Check {
        ok: true,
        text: format!("hooks directory git reads here: {}", hooks_dir.display()),
    });
    if let (Some(ours), Ok(local)) = (machine_dir, GitConfig::new(Scope::Local).get("core.hooksPath"))
        && let Some(local) = local
    {
        checks.push(Check {
            ok: false,
            text: format!(
                "this repository sets its own core.hooksPath ({local}, e.g. husky), so the machine-wide {} is bypassed: \
                 run `sealant install --repo` here",
                ours.display()
            ),
        });
    }
    match load_rules(repo) {
        Ok(found) => {
            checks.push(Check {
                ok: true,
                text: format!("configuration: {} rules in effect", found.rules),
            });
            checks.extend(found.gitleaks);
        }
        Err(e) => checks.push(Check {
            ok: false,
            text: format!("configuration error, every commit will be blocked: {e:#}"),
        }),
    }
    let mut guarded = true;
    for name in SCANNING_HOOKS {
        let ok = config_hooks || check_hook_file(&hooks_dir.join(name), checks);
        guarded &= ok || *name == "pre-merge-commit";
    }
    Ok(guarded)
}

/// The rule count, and what was read from gitleaks' files (with what did not carry over).
struct Loaded {
    rules: usize,
    gitleaks: Vec<Check>,
}

fn info(text: String) -> Check {
    Check { ok: true, text }
}

fn load_rules(repo: &Repo) -> anyhow::Result<Loaded> {
    let config = settings::load_config(repo.workdir())?;
    let scanner = settings::scanner(&config)?;
    let mut gitleaks = Vec::new();
    if let Some(file) = &config.gitleaks {
        gitleaks.push(info(format!(
            "{}: {} rule entr{} read (`[scan] gitleaks = false` in .sealant.toml stops reading it)",
            file.origin,
            file.rule_count(),
            if file.rule_count() == 1 { "y" } else { "ies" }
        )));
    }
    gitleaks.extend(scanner.notes().iter().map(|n| info(format!("not carried over: {n}"))));
    if config.gitleaks.is_some() {
        gitleaks.extend(scanner.check_imported().into_iter().map(|e| Check {
            ok: false,
            text: format!("never matches (it cannot be compiled): {e}"),
        }));
    }
    let ignores = Ignores::load_all(repo.workdir(), config.read_gitleaks)?;
    if ignores.gitleaks_malformed > 0 {
        gitleaks.push(Check {
            ok: false,
            text: format!(
                "{} line(s) of the gitleaks ignore files are not fingerprints ([commit:]file:rule:line) and match nothing",
                ignores.gitleaks_malformed
            ),
        });
    }
    for file in &ignores.gitleaks_files {
        let entries = ignores.gitleaks_entries().iter().filter(|e| &e.file == file).count();
        gitleaks.push(info(format!(
            "{}: {entries} entries honoured by position; `sealant ignore --import-gitleaks {}` keys them on the secret",
            file.display(),
            file.display()
        )));
    }
    Ok(Loaded {
        rules: scanner.rules().len(),
        gitleaks,
    })
}

/// Whether git will run sealant through this hook file; explains when not.
fn check_hook_file(path: &Path, checks: &mut Vec<Check>) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let problem = |text: String| Check { ok: false, text };
    let meta = std::fs::symlink_metadata(path);
    let old = path.with_file_name(format!("{name}.old"));
    if std::fs::read_to_string(&old).is_ok_and(|t| t.contains(MARKER)) {
        checks.push(problem(format!(
            "{} is sealant's hook, moved aside by lefthook, which never runs it: run `sealant install --repo`",
            old.display()
        )));
    }
    let text = match (meta, std::fs::read_to_string(path)) {
        (Err(_), _) => {
            checks.push(problem(format!("no {name} hook: run `sealant install` (or --repo)")));
            return false;
        }
        (Ok(m), Err(_)) if m.file_type().is_symlink() => {
            checks.push(problem(format!(
                "{} is a dangling symlink: git silently skips it",
                path.display()
            )));
            return false;
        }
        (_, Err(e)) => {
            checks.push(problem(format!("cannot read {}: {e}", path.display())));
            return false;
        }
        (_, Ok(text)) => text,
    };
    if !text.contains(MARKER) {
        checks.push(problem(format!(
            "{} is not sealant's: run `sealant install --repo` to chain it",
            path.display()
        )));
        return false;
    }
    if !is_executable(path) {
        checks.push(problem(format!(
            "{} is not executable: git ignores it (chmod +x it)",
            path.display()
        )));
        return false;
    }
    if text.contains('\r') {
        checks.push(problem(format!(
            "{} has CRLF line endings: git cannot run it",
            path.display()
        )));
        return false;
    }
    checks.push(Check {
        ok: true,
        text: format!("{name}: sealant runs ({})", path.display()),
    });
    true
}
