//! What changed between two snapshots, as files whose new content may add lines: raw
//! per-path changes (from the index walk or a tree diff) become [`FileChange`]s, with
//! deletions, gitlinks and mode-only changes dropped and renames paired.
//!
//! Renames: an added path whose blob equals a deleted path's blob is a pure rename and adds
//! nothing. An added path that shares most lines with a deleted one is diffed against it, so
//! only its edited lines are scanned.

use std::collections::{HashMap, HashSet};

use gix::ObjectId;
use gix::bstr::{BString, ByteSlice};
use gix::objs::tree::EntryKind;

use super::repo::Repo;

/// One file whose new content may add lines, between two snapshots (HEAD and the index, or
/// a commit and its parent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Path relative to the worktree root, `/`-separated.
    pub path: String,
    /// The new blob.
    pub new: ObjectId,
    /// Whether the new entry is a symlink (its blob is the target path).
    pub symlink: bool,
    /// The blob to diff against: the old version, or the rename source; `None` for a new file.
    pub old: Option<ObjectId>,
    /// The path it was renamed from, when rename pairing found one.
    pub renamed_from: Option<String>,
}

/// One side of a path: blob id and kind.
pub(crate) type Side = (ObjectId, EntryKind);

/// A path that differs between HEAD and the index.
#[derive(Debug)]
pub(crate) struct RawChange {
    pub(crate) path: BString,
    pub(crate) old: Option<Side>,
    pub(crate) new: Option<Side>,
}

pub(crate) fn is_link(kind: EntryKind) -> bool {
    kind == EntryKind::Link
}

pub(crate) fn join(prefix: &[u8], name: &[u8]) -> Vec<u8> {
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
pub(crate) fn pair_renames(repo: &Repo, changes: Vec<RawChange>) -> Vec<FileChange> {
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
                    staged.push(FileChange {
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
fn pair_similar(repo: &Repo, staged: &mut [FileChange], candidates: &[(ObjectId, String)]) {
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
