//! What a push publishes: git's pre-push input, the commits it adds to the remote, and the
//! lines each of those commits adds.
//!
//! Git hands the hook one line per ref update on stdin,
//! `<local ref> SP <local oid> SP <remote ref> SP <remote oid>`; the local ref is whatever the
//! user typed and may contain spaces, so lines are split from the right. Deletes (zero local
//! oid) publish nothing. Annotated tags are peeled to what they point at.
//!
//! The commits to scan are one walk from every pushed tip, hiding what the remote already
//! has: the remote oids we know locally, and the remote-tracking refs of that remote (for a
//! push to a URL, of the configured remotes with that URL; on a first push to a brand-new
//! remote, of all remotes). Each commit is then diffed against its first parent (a root
//! commit against the empty tree); for merges a line counts only if every parent lacks it.
//! Scanning per commit, not the net difference, is what catches a secret added in one commit
//! and deleted in the next: both commits reach the remote's history.
//!
//! Nothing here fails a push for what it cannot know: an unknown remote oid (an unfetched
//! force-push), a dangling remote-tracking symref, a shallow boundary or a missing object
//! become warnings, and scanning continues with what is there.

use std::collections::HashSet;
use std::sync::Mutex;

use gix::ObjectId;
use gix::objs::Kind;

use super::changes::pair_renames;
use super::repo::Repo;
use super::treediff::diff_trees;
use super::units::{ScanUnit, Skip, UnitOptions, units_for};
use crate::Error;

/// One line of pre-push input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefUpdate {
    /// What the user pushed: a ref name, or any revision text such as `HEAD~1`.
    pub local_ref: String,
    /// The object being pushed; the zero id for a delete.
    pub local: ObjectId,
    /// The ref updated on the remote.
    pub remote_ref: String,
    /// The remote's current value; the zero id when the ref is new there.
    pub remote: ObjectId,
}

impl RefUpdate {
    /// Whether this update deletes the remote ref.
    pub fn is_delete(&self) -> bool {
        self.local.is_null()
    }
}

/// Parses git's pre-push stdin. Empty input (an up-to-date push) is no updates.
pub fn parse_updates(input: &str) -> Result<Vec<RefUpdate>, Error> {
    input
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let bad = || {
                Error::Git(format!(
                    "pre-push input line is not `<local ref> <local oid> <remote ref> <remote oid>`: {line:?}"
                ))
            };
            let mut fields = line.rsplitn(4, ' ');
            let (Some(remote), Some(remote_ref), Some(local), Some(local_ref)) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                return Err(bad());
            };
            let oid = |hex: &str| ObjectId::from_hex(hex.as_bytes()).map_err(|_| bad());
            Ok(RefUpdate {
                local_ref: local_ref.to_owned(),
                local: oid(local)?,
                remote_ref: remote_ref.to_owned(),
                remote: oid(remote)?,
            })
        })
        .collect()
}

/// The commits a push publishes, before walking.
#[derive(Debug, Default)]
pub struct PushRange {
    /// Commits being pushed (peeled).
    pub tips: Vec<ObjectId>,
    /// Commits the remote already has.
    pub hidden: Vec<ObjectId>,
    /// What could not be known, for the user.
    pub warnings: Vec<String>,
}

/// Works out the tips and the hidden set for a push to `remote` (a name, or a URL) at `url`.
pub fn push_range(repo: &Repo, remote: &str, url: &str, updates: &[RefUpdate]) -> PushRange {
    let mut range = PushRange::default();
    for update in updates.iter().filter(|u| !u.is_delete()) {
        match peel_to_commit(repo, update.local) {
            Ok(Some(commit)) => range.tips.push(commit),
            Ok(None) => range.warnings.push(format!(
                "{} points at a tree or blob, not a commit: not scanned",
                update.local_ref
            )),
            Err(e) => range
                .warnings
                .push(format!("cannot read what {} points at: {e}", update.local_ref)),
        }
        if !update.remote.is_null() {
            match peel_to_commit(repo, update.remote) {
                Ok(Some(commit)) => range.hidden.push(commit),
                Ok(None) => {}
                Err(_) => range.warnings.push(format!(
                    "the remote's {} is at {}, which is not here (fetch to compare); \
                     commits are compared with what the remote-tracking refs show",
                    update.remote_ref,
                    short(update.remote)
                )),
            }
        }
    }
    let remotes = matching_remotes(repo, remote, url);
    let tracking = tracking_tips(repo, &remotes, &mut range.warnings);
    if tracking.is_empty() && remotes.is_empty() {
        // A push to a remote we track nothing of: anything on any remote counts as published.
        range
            .hidden
            .extend(tracking_tips(repo, &[String::new()], &mut range.warnings));
    } else {
        range.hidden.extend(tracking);
    }
    range.tips.sort();
    range.tips.dedup();
    range
}

/// Follows tags; `None` when the object is a tree or a blob.
fn peel_to_commit(repo: &Repo, id: ObjectId) -> Result<Option<ObjectId>, Error> {
    let object = repo
        .repo
        .find_object(id)
        .map_err(|e| Error::git(&format!("reading {id}"), e))?;
    let peeled = object
        .peel_tags_to_end()
        .map_err(|e| Error::git(&format!("peeling {id}"), e))?;
    Ok((peeled.kind == Kind::Commit).then_some(peeled.id))
}

/// The configured remotes a push goes to: `remote` itself when it is a remote's name,
/// else those whose `url` or `pushurl` equals `url`.
fn matching_remotes(repo: &Repo, remote: &str, url: &str) -> Vec<String> {
    let names: Vec<String> = repo.repo.remote_names().iter().map(|n| n.to_string()).collect();
    if names.iter().any(|n| n == remote) {
        return vec![remote.to_owned()];
    }
    let config = repo.repo.config_snapshot();
    names
        .into_iter()
        .filter(|name| {
            ["url", "pushurl"].iter().any(|key| {
                config
                    .string(format!("remote.{name}.{key}").as_str())
                    .is_some_and(|v| v == url)
            })
        })
        .collect()
}

/// The commits that `refs/remotes/<remote>/*` point at, for each remote (`""`: all remotes).
/// References that do not resolve (a dangling `origin/HEAD`) are skipped.
fn tracking_tips(repo: &Repo, remotes: &[String], warnings: &mut Vec<String>) -> Vec<ObjectId> {
    let prefixes: Vec<String> = remotes
        .iter()
        .map(|r| {
            if r.is_empty() {
                "refs/remotes/".to_owned()
            } else {
                format!("refs/remotes/{r}/")
            }
        })
        .collect();
    let platform = match repo.repo.references() {
        Ok(platform) => platform,
        Err(e) => {
            warnings.push(format!("cannot list references: {e}"));
            return Vec::new();
        }
    };
    let Ok(all) = platform.all() else {
        warnings.push("cannot list references".to_owned());
        return Vec::new();
    };
    let mut tips = Vec::new();
    for reference in all.flatten() {
        let name = reference.name().as_bstr().to_string();
        if !prefixes.iter().any(|p| name.starts_with(p.as_str())) {
            continue;
        }
        let mut reference = reference;
        if let Ok(id) = reference.peel_to_id() {
            tips.push(id.detach());
        }
    }
    tips
}

/// The commits every reference points at (branches, tags, remote-tracking refs, stashes),
/// peeled; references that do not resolve are skipped.
pub fn all_tips(repo: &Repo) -> Result<Vec<ObjectId>, Error> {
    let platform = repo
        .repo
        .references()
        .map_err(|e| Error::git("listing references", e))?;
    let all = platform.all().map_err(|e| Error::git("listing references", e))?;
    let mut tips = Vec::new();
    for mut reference in all.flatten() {
        if let Ok(id) = reference.peel_to_id()
            && let Ok(Some(commit)) = peel_to_commit(repo, id.detach())
        {
            tips.push(commit);
        }
    }
    if let Ok(Some(head)) = repo.head_commit() {
        tips.push(head);
    }
    tips.sort();
    tips.dedup();
    Ok(tips)
}

/// The commits to scan, newest first, and how many more there were beyond `cap`.
pub fn commits_in(repo: &Repo, range: &PushRange, cap: usize) -> Result<(Vec<ObjectId>, usize), Error> {
    if range.tips.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let walk = repo
        .repo
        .rev_walk(range.tips.iter().copied())
        .with_hidden(range.hidden.iter().copied())
        .all()
        .map_err(|e| Error::git("walking the pushed commits", e))?;
    let mut commits = Vec::new();
    let mut beyond = 0;
    for info in walk {
        let info = info.map_err(|e| Error::git("walking the pushed commits", e))?;
        if commits.len() < cap {
            commits.push(info.id);
        } else {
            beyond += 1;
        }
    }
    Ok((commits, beyond))
}

/// What one commit adds, relative to its parents.
#[derive(Debug)]
pub struct CommitUnits {
    /// The commit.
    pub commit: ObjectId,
    /// Its first line, for reports.
    pub subject: String,
    /// Its added lines.
    pub units: Vec<ScanUnit>,
    /// Files not scanned.
    pub skipped: Vec<Skip>,
}

/// The lines `commit` adds relative to its first parent, minus lines any other parent has.
/// Blobs already scanned in this push or scan (`seen`, shared by threads) are not scanned
/// again.
pub fn commit_units(
    repo: &Repo,
    commit: ObjectId,
    options: UnitOptions,
    seen: &Mutex<HashSet<ObjectId>>,
) -> Result<CommitUnits, Error> {
    let object = repo
        .repo
        .find_commit(commit)
        .map_err(|e| Error::git(&format!("reading commit {commit}"), e))?;
    let subject = object
        .message_raw_sloppy()
        .to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    let tree = object
        .tree_id()
        .map_err(|e| Error::git(&format!("reading the tree of {commit}"), e))?
        .detach();
    let mut parent_trees = Vec::new();
    for parent in object.parent_ids() {
        let parent = repo
            .repo
            .find_commit(parent.detach())
            .and_then(|p| p.tree_id())
            .map_err(|e| {
                Error::git(
                    &format!("reading parent {} of {}", short(parent.detach()), short(commit)),
                    e,
                )
            })?;
        parent_trees.push(parent.detach());
    }
    let first = parent_trees.first().copied();
    let mut changes = pair_renames(repo, diff_trees(repo, first, tree)?);
    {
        let mut seen = seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        changes.retain(|c| seen.insert(c.new));
    }
    let others = parent_trees.get(1..).unwrap_or_default();
    let (units, skipped) = units_for(repo, changes, others, options)?;
    Ok(CommitUnits {
        commit,
        subject,
        units,
        skipped,
    })
}

/// The first 10 hex digits of an id.
pub fn short(id: ObjectId) -> String {
    id.to_hex_with_len(10).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_split_from_the_right() {
        let a = "1".repeat(40);
        let b = "2".repeat(40);
        let zero = "0".repeat(40);
        let input = format!(
            "refs/heads/main {a} refs/heads/main {b}\n:/fix bug {a} refs/heads/x {zero}\n(delete) {zero} refs/heads/old {b}\n\n"
        );
        let updates = parse_updates(&input).unwrap();
        assert_eq!(updates.len(), 3);
        assert_eq!(updates[1].local_ref, ":/fix bug");
        assert!(updates[1].remote.is_null());
        assert!(updates[2].is_delete());
        assert!(parse_updates("").unwrap().is_empty());
        let err = parse_updates("refs/heads/main nothex refs/heads/main x")
            .unwrap_err()
            .to_string();
        assert!(err.contains("pre-push input"), "{err}");
    }
}
