//! The staged changes: HEAD's tree against the index git will commit.
//!
//! The walk descends HEAD's tree and the sorted index entries side by side. Where the index's
//! cache-tree extension (TREE) has a valid node for a directory whose id equals HEAD's
//! subtree id and whose entry count matches, the directory is unchanged and skipped without
//! reading it, so the cost follows the size of the change, not of the repository. A missing
//! or invalidated node just means that directory is compared entry by entry: both paths give
//! the same answer.
//!
//! Skipped on purpose: conflicted paths (stage ≠ 0: git refuses the commit anyway),
//! intent-to-add entries (not committed), gitlinks (the submodule's own hook scans its
//! content) and sparse-directory entries (unchanged by construction).
//!
//! Renames: an added path whose blob equals a deleted path's blob is a pure rename and adds
//! nothing. An added path that shares most lines with a deleted one is diffed against it, so
//! only its edited lines are scanned.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use gix::ObjectId;
use gix::bstr::{BStr, BString, ByteSlice};
use gix::index::entry::{Flags, Mode};
use gix::index::extension::Tree as CacheTree;
use gix::objs::tree::EntryKind;

use super::repo::Repo;
use crate::Error;

/// One staged file whose new content may add lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedChange {
    /// Path relative to the worktree root, `/`-separated.
    pub path: String,
    /// The staged blob.
    pub new: ObjectId,
    /// Whether the staged entry is a symlink (its blob is the target path).
    pub symlink: bool,
    /// The blob to diff against: HEAD's version, or the rename source; `None` for a new file.
    pub old: Option<ObjectId>,
    /// The path it was renamed from, when rename pairing found one.
    pub renamed_from: Option<String>,
}

/// One side of a path: blob id and kind.
type Side = (ObjectId, EntryKind);

/// A path that differs between HEAD and the index.
#[derive(Debug)]
struct RawChange {
    path: BString,
    old: Option<Side>,
    new: Option<Side>,
}

/// One stage-0 index entry.
struct Item<'i> {
    path: &'i BStr,
    id: ObjectId,
    kind: Option<EntryKind>,
}

/// How the walk treats the index's cache-tree extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    /// Skip directories the cache tree proves unchanged (the default, and the fast path).
    UseCacheTree,
    /// Compare every directory entry by entry (the reference the fast path must agree with).
    Full,
}

/// Reads the index named by `GIT_INDEX_FILE` (or the default) and compares it with HEAD.
pub fn staged_changes(repo: &Repo) -> Result<Vec<StagedChange>, Error> {
    staged_changes_with(repo, Walk::UseCacheTree)
}

/// [`staged_changes`] with an explicit walk strategy.
pub fn staged_changes_with(repo: &Repo, strategy: Walk) -> Result<Vec<StagedChange>, Error> {
    let head = repo.head_tree()?;
    let Some(index) = repo.read_index()? else {
        return Ok(Vec::new());
    };
    let state: &gix::index::State = &index;
    let items = index_items(state);
    let cache = if strategy == Walk::UseCacheTree {
        state.tree()
    } else {
        None
    };
    let mut walk = TreeWalk {
        repo,
        items: &items,
        changes: Vec::new(),
    };
    walk.tree(head, b"", cache, 0..items.len())?;
    let changes = walk.changes;
    Ok(pair_renames(repo, changes))
}

/// Stage-0 entries that will be committed, in index order.
fn index_items(state: &gix::index::State) -> Vec<Item<'_>> {
    let conflicted: HashSet<&BStr> = state
        .entries()
        .iter()
        .filter(|e| e.stage_raw() != 0)
        .map(|e| e.path(state))
        .collect();
    state
        .entries()
        .iter()
        .filter(|e| e.stage_raw() == 0 && !e.flags.contains(Flags::INTENT_TO_ADD))
        .map(|e| (e, e.path(state)))
        .filter(|(_, path)| !conflicted.contains(path))
        .map(|(e, path)| Item {
            path,
            id: e.id,
            kind: if e.mode == Mode::DIR {
                None
            } else {
                e.mode.to_tree_entry_mode().map(|m| m.kind())
            },
        })
        .collect()
}

struct TreeWalk<'r, 'i> {
    repo: &'r Repo,
    items: &'i [Item<'i>],
    changes: Vec<RawChange>,
}

/// The sort key that makes tree entries and index paths comparable within one directory:
/// a file's name, or a directory's name plus `/` (git's tree order).
fn item_key(suffix: &[u8]) -> &[u8] {
    match suffix.find_byte(b'/') {
        Some(slash) => &suffix[..=slash],
        None => suffix,
    }
}

impl TreeWalk<'_, '_> {
    /// Compares the tree `tree` (None: absent) at `prefix` with index items `range`.
    fn tree(
        &mut self,
        tree: Option<ObjectId>,
        prefix: &[u8],
        cache: Option<&CacheTree>,
        range: std::ops::Range<usize>,
    ) -> Result<(), Error> {
        if let (Some(tree), Some(cache)) = (tree, cache)
            && cache.id == tree
            && cache.num_entries.is_some_and(|n| n as usize == range.len())
        {
            return Ok(());
        }
        let entries = match tree {
            Some(id) => self.read_tree(id)?,
            None => Vec::new(),
        };
        let mut at = range.start;
        let mut entries = entries.into_iter().peekable();
        loop {
            let entry_key = entries.peek().map(|(name, _, kind)| {
                let mut key = name.to_vec();
                if *kind == EntryKind::Tree {
                    key.push(b'/');
                }
                key
            });
            let item = (at < range.end).then(|| item_key(&self.items[at].path[prefix.len()..]));
            let order = match (&entry_key, item) {
                (None, None) => return Ok(()),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some(entry), Some(item)) => entry.as_slice().cmp(item),
            };
            match order {
                Ordering::Less => {
                    let (name, id, kind) = entries.next().expect("peeked");
                    self.only_in_tree(&join(prefix, &name), id, kind)?;
                }
                Ordering::Greater => {
                    let end = self.group_end(prefix, at, range.end);
                    self.only_in_index(at..end);
                    at = end;
                }
                Ordering::Equal => {
                    let (name, id, kind) = entries.next().expect("peeked");
                    let end = self.group_end(prefix, at, range.end);
                    self.in_both(prefix, &name, (id, kind), cache, at..end)?;
                    at = end;
                }
            }
        }
    }

    /// A HEAD entry and the index items under the same name: recurse into a directory, or
    /// compare a file.
    fn in_both(
        &mut self,
        prefix: &[u8],
        name: &[u8],
        (id, kind): Side,
        cache: Option<&CacheTree>,
        items: std::ops::Range<usize>,
    ) -> Result<(), Error> {
        let mut path = join(prefix, name);
        if kind == EntryKind::Tree {
            if self.items[items.clone()].iter().all(|i| i.kind.is_none()) {
                return Ok(()); // sparse-directory entries: unchanged by construction
            }
            let child = cache.and_then(|c| c.children.iter().find(|c| c.name.as_slice() == name));
            path.push(b'/');
            return self.tree(Some(id), &path, child, items);
        }
        let item = &self.items[items.start];
        if item.id != id || item.kind.map(is_link) != Some(is_link(kind)) {
            self.changes.push(RawChange {
                path: path.into(),
                old: Some((id, kind)),
                new: item.kind.map(|k| (item.id, k)),
            });
        }
        Ok(())
    }

    /// End of the run of items from `at` that share the same key under `prefix`.
    fn group_end(&self, prefix: &[u8], at: usize, end: usize) -> usize {
        let key = item_key(&self.items[at].path[prefix.len()..]);
        if !key.ends_with(b"/") {
            return at + 1;
        }
        let mut dir = prefix.to_vec();
        dir.extend_from_slice(key);
        at + self.items[at..end]
            .iter()
            .take_while(|i| i.path.starts_with(&dir))
            .count()
    }

    fn read_tree(&self, id: ObjectId) -> Result<Vec<(BString, ObjectId, EntryKind)>, Error> {
        let tree = self
            .repo
            .repo
            .find_tree(id)
            .map_err(|e| Error::git(&format!("reading tree {id}"), e))?;
        let decoded = tree
            .decode()
            .map_err(|e| Error::git(&format!("decoding tree {id}"), e))?;
        Ok(decoded
            .entries
            .iter()
            .map(|e| (e.filename.to_owned(), e.oid.to_owned(), e.mode.kind()))
            .collect())
    }

    /// A HEAD entry with no index counterpart: deleted (recursively for directories, so that
    /// renamed directories can be paired).
    fn only_in_tree(&mut self, path: &[u8], id: ObjectId, kind: EntryKind) -> Result<(), Error> {
        match kind {
            EntryKind::Tree => {
                for (name, child, child_kind) in self.read_tree(id)? {
                    let mut child_path = path.to_vec();
                    child_path.push(b'/');
                    child_path.extend_from_slice(&name);
                    self.only_in_tree(&child_path, child, child_kind)?;
                }
            }
            EntryKind::Commit => {}
            _ => self.changes.push(RawChange {
                path: path.into(),
                old: Some((id, kind)),
                new: None,
            }),
        }
        Ok(())
    }

    /// Index items with no HEAD counterpart: added.
    fn only_in_index(&mut self, range: std::ops::Range<usize>) {
        for item in &self.items[range] {
            if let Some(kind) = item.kind {
                self.changes.push(RawChange {
                    path: item.path.to_owned(),
                    old: None,
                    new: Some((item.id, kind)),
                });
            }
        }
    }
}

fn is_link(kind: EntryKind) -> bool {
    kind == EntryKind::Link
}

fn join(prefix: &[u8], name: &[u8]) -> Vec<u8> {
    let mut path = prefix.to_vec();
    path.extend_from_slice(name);
    path
}

/// How many deleted files an added file is compared with, at most, to find a rename source.
const MAX_RENAME_CANDIDATES: usize = 64;
/// Share of lines an added file must have in common with a deleted one to count as renamed.
const RENAME_SIMILARITY: f64 = 0.5;

/// Turns raw changes into staged changes: drops deletions, gitlinks and mode-only changes,
/// pairs added files with deleted ones (same blob: pure rename; similar content: rename with
/// edits).
fn pair_renames(repo: &Repo, changes: Vec<RawChange>) -> Vec<StagedChange> {
    let mut deleted: HashMap<ObjectId, Vec<String>> = HashMap::new();
    let mut staged = Vec::new();
    for change in changes {
        let path = change.path.to_str_lossy().into_owned();
        match (change.old, change.new) {
            (Some((id, kind)), None) if kind != EntryKind::Commit => deleted.entry(id).or_default().push(path),
            (_, None) | (_, Some((_, EntryKind::Commit | EntryKind::Tree))) => {}
            (old, Some((new, kind))) => {
                let old = old
                    .filter(|(_, k)| *k != EntryKind::Commit && *k != EntryKind::Tree)
                    .map(|(id, _)| id);
                if old != Some(new) {
                    staged.push(StagedChange {
                        path,
                        new,
                        symlink: kind == EntryKind::Link,
                        old,
                        renamed_from: None,
                    });
                }
            }
        }
    }
    for change in staged.iter_mut().filter(|c| c.old.is_none()) {
        if let Some(paths) = deleted.get_mut(&change.new)
            && let Some(from) = paths.pop()
        {
            change.old = Some(change.new);
            change.renamed_from = Some(from);
        }
    }
    staged.retain(|c| c.old != Some(c.new));
    let candidates: Vec<(ObjectId, String)> = deleted
        .into_iter()
        .flat_map(|(id, paths)| paths.into_iter().map(move |p| (id, p)))
        .take(MAX_RENAME_CANDIDATES)
        .collect();
    if !candidates.is_empty() {
        pair_similar(repo, &mut staged, &candidates);
    }
    staged
}

/// For each added file, the most similar deleted file (by shared lines) becomes its baseline.
fn pair_similar(repo: &Repo, staged: &mut [StagedChange], candidates: &[(ObjectId, String)]) {
    let read_lines = |id: ObjectId| -> Option<HashSet<Vec<u8>>> {
        if repo.object_size(id).ok()? > 1024 * 1024 {
            return None;
        }
        let data = repo.blob(id).ok()?;
        Some(data.lines().map(<[u8]>::to_vec).collect())
    };
    let old_lines: Vec<_> = candidates
        .iter()
        .map(|(id, path)| (*id, path, read_lines(*id)))
        .collect();
    for change in staged
        .iter_mut()
        .filter(|c| c.old.is_none())
        .take(MAX_RENAME_CANDIDATES)
    {
        let Some(new_lines) = read_lines(change.new) else {
            continue;
        };
        let best = old_lines
            .iter()
            .filter_map(|(id, path, lines)| {
                let lines = lines.as_ref()?;
                let common = new_lines.intersection(lines).count();
                let score = common as f64 / new_lines.len().max(lines.len()).max(1) as f64;
                (score >= RENAME_SIMILARITY).then_some((score, *id, *path))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, id, path)) = best {
            change.old = Some(id);
            change.renamed_from = Some(path.clone());
        }
    }
}
