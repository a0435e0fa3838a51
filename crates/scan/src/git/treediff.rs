//! Tree against tree: the raw changes between a commit's first parent and the commit, for
//! push and range scans. Subtrees with equal ids are skipped unread, so the cost follows the
//! size of the change.

use std::cmp::Ordering;

use gix::ObjectId;
use gix::bstr::BString;
use gix::objs::tree::EntryKind;

use super::changes::{RawChange, join};
use super::repo::Repo;
use crate::Error;

type Entry = (BString, ObjectId, EntryKind);

/// The paths that differ between `old` (None: the empty tree) and `new`.
pub(crate) fn diff_trees(repo: &Repo, old: Option<ObjectId>, new: ObjectId) -> Result<Vec<RawChange>, Error> {
    let mut changes = Vec::new();
    diff(repo, old, Some(new), b"", &mut changes)?;
    Ok(changes)
}

fn diff(
    repo: &Repo,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
    prefix: &[u8],
    out: &mut Vec<RawChange>,
) -> Result<(), Error> {
    if old == new {
        return Ok(());
    }
    let old_entries = old.map(|id| repo.tree_entries(id)).transpose()?.unwrap_or_default();
    let new_entries = new.map(|id| repo.tree_entries(id)).transpose()?.unwrap_or_default();
    let (mut o, mut n) = (old_entries.into_iter().peekable(), new_entries.into_iter().peekable());
    loop {
        let order = match (o.peek(), n.peek()) {
            (None, None) => return Ok(()),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(a), Some(b)) => key(a).cmp(&key(b)),
        };
        match order {
            Ordering::Less => one_side(repo, prefix, o.next().expect("peeked"), Only::Old, out)?,
            Ordering::Greater => one_side(repo, prefix, n.next().expect("peeked"), Only::New, out)?,
            Ordering::Equal => {
                let (name, old_id, old_kind) = o.next().expect("peeked");
                let (_, new_id, new_kind) = n.next().expect("peeked");
                let path = join(prefix, &name);
                if old_kind == EntryKind::Tree {
                    let mut child = path;
                    child.push(b'/');
                    diff(repo, Some(old_id), Some(new_id), &child, out)?;
                } else if old_id != new_id || (old_kind == EntryKind::Link) != (new_kind == EntryKind::Link) {
                    out.push(RawChange {
                        path: path.into(),
                        old: Some((old_id, old_kind)),
                        new: Some((new_id, new_kind)),
                    });
                }
            }
        }
    }
}

/// Which side an entry exists on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Only {
    /// Deleted.
    Old,
    /// Added.
    New,
}

impl Only {
    /// `x` on this side, nothing on the other: `(old, new)`.
    fn place<T>(self, x: T) -> (Option<T>, Option<T>) {
        match self {
            Only::Old => (Some(x), None),
            Only::New => (None, Some(x)),
        }
    }
}

/// An entry present on one side only, recursively for trees.
fn one_side(
    repo: &Repo,
    prefix: &[u8],
    (name, id, kind): Entry,
    only: Only,
    out: &mut Vec<RawChange>,
) -> Result<(), Error> {
    let path = join(prefix, &name);
    if kind == EntryKind::Tree {
        let mut child = path;
        child.push(b'/');
        let (o, n) = only.place(id);
        return diff(repo, o, n, &child, out);
    }
    let (old, new) = only.place((id, kind));
    out.push(RawChange {
        path: path.into(),
        old,
        new,
    });
    Ok(())
}

/// Git's tree order: a directory sorts as its name plus `/`.
fn key(entry: &Entry) -> Vec<u8> {
    let mut key = entry.0.to_vec();
    if entry.2 == EntryKind::Tree {
        key.push(b'/');
    }
    key
}
