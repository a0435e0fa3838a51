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
//! Rename pairing and the other clean-ups are `changes.rs`'s, shared with commit diffs.

use std::cmp::Ordering;
use std::collections::HashSet;

use gix::ObjectId;
use gix::bstr::{BStr, ByteSlice};
use gix::index::entry::{Flags, Mode};
use gix::index::extension::Tree as CacheTree;
use gix::objs::tree::EntryKind;

use super::changes::{FileChange, RawChange, Side, is_link, join, pair_renames};
use super::repo::Repo;
use crate::Error;

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
pub fn staged_changes(repo: &Repo) -> Result<Vec<FileChange>, Error> {
    staged_changes_with(repo, Walk::UseCacheTree)
}

/// [`staged_changes`] with an explicit walk strategy.
pub fn staged_changes_with(repo: &Repo, strategy: Walk) -> Result<Vec<FileChange>, Error> {
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
            Some(id) => self.repo.tree_entries(id)?,
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

    /// A HEAD entry with no index counterpart: deleted (recursively for directories, so that
    /// renamed directories can be paired).
    fn only_in_tree(&mut self, path: &[u8], id: ObjectId, kind: EntryKind) -> Result<(), Error> {
        match kind {
            EntryKind::Tree => {
                for (name, child, child_kind) in self.repo.tree_entries(id)? {
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
