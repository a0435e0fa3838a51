//! From staged changes to scan units: the staged blob's text and the hunks of lines the
//! commit adds to it. Binary blobs, LFS pointers and blobs over the size cap are skipped
//! and reported as such, so the caller can say what was not scanned.
//!
//! During a merge (`MERGE_HEAD` exists) a line counts as added only if it is added
//! relative to HEAD *and* to every merged commit: lines that arrive unchanged from a parent
//! were scanned when that parent was committed; lines of the resolution were not.

use std::ops::Range;

use gix::ObjectId;

use super::changes::FileChange;
use super::hunks::{DiffLimits, Hunk, added_lines, hunks, intersect};
use super::repo::Repo;
use super::staged::staged_changes;
use crate::Error;
use crate::content::{Content, classify};
use crate::engine::DEFAULT_MAX_FILE_SIZE;

/// Limits for turning blobs into scan units.
#[derive(Debug, Clone, Copy)]
pub struct UnitOptions {
    /// Blobs larger than this are skipped.
    pub max_file_size: u64,
    /// Diff limits.
    pub limits: DiffLimits,
}

impl Default for UnitOptions {
    fn default() -> Self {
        UnitOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            limits: DiffLimits::default(),
        }
    }
}

/// A file's new text and the hunks of it to scan.
#[derive(Debug)]
pub struct ScanUnit {
    /// Path relative to the worktree root, `/`-separated.
    pub path: String,
    /// The whole staged text (lossy UTF-8).
    pub text: String,
    /// The added lines, grouped.
    pub hunks: Vec<Hunk>,
    /// The path it was renamed from, when rename pairing found one (what a notebook's cells
    /// are compared with).
    pub renamed_from: Option<String>,
    /// The blob it is compared with (the first parent's, or HEAD's), when there is one.
    pub old: Option<ObjectId>,
}

/// Why a staged file was not scanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// NUL byte in the first 8000 bytes.
    Binary,
    /// A Git LFS pointer: the content lives in LFS storage.
    LfsPointer,
    /// Larger than the size cap (bytes).
    TooLarge(u64),
}

/// A staged file that was not scanned, and why.
#[derive(Debug, Clone)]
pub struct Skip {
    /// The file.
    pub path: String,
    /// Why.
    pub reason: SkipReason,
}

/// Everything the commit being made adds (the index against HEAD), ready for the engine.
pub fn staged_units(repo: &Repo, options: UnitOptions) -> Result<(Vec<ScanUnit>, Vec<Skip>), Error> {
    let changes = staged_changes(repo)?;
    let merge_trees = repo.merge_head_trees()?;
    units_for(repo, changes, &merge_trees, options)
}

/// Scan units for changes relative to a first parent. `other_parents` are the trees of the
/// other parents of a merge: a line counts as added only if every parent lacks it.
pub fn units_for(
    repo: &Repo,
    changes: Vec<FileChange>,
    other_parents: &[ObjectId],
    options: UnitOptions,
) -> Result<(Vec<ScanUnit>, Vec<Skip>), Error> {
    let mut units = Vec::new();
    let mut skipped = Vec::new();
    for change in changes {
        match unit(repo, &change, other_parents, options)? {
            Ok(unit) if !unit.hunks.is_empty() => units.push(unit),
            Ok(_) => {}
            Err(reason) => skipped.push(Skip {
                path: change.path,
                reason,
            }),
        }
    }
    Ok((units, skipped))
}

fn unit(
    repo: &Repo,
    change: &FileChange,
    merge_trees: &[ObjectId],
    options: UnitOptions,
) -> Result<Result<ScanUnit, SkipReason>, Error> {
    let size = repo.object_size(change.new)?;
    if size > options.max_file_size {
        return Ok(Err(SkipReason::TooLarge(size)));
    }
    let bytes = repo.blob(change.new)?;
    match classify(&bytes) {
        Content::Text => {}
        Content::Binary if !change.symlink => return Ok(Err(SkipReason::Binary)),
        Content::Binary => {}
        Content::LfsPointer => return Ok(Err(SkipReason::LfsPointer)),
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let mut lines = added_against(repo, change.old, &text, options);
    for &tree in merge_trees {
        let parent = repo.blob_at(tree, &change.path)?;
        let theirs = added_against(repo, parent, &text, options);
        lines = match (lines, theirs) {
            (None, other) | (other, None) => other,
            (Some(ours), Some(theirs)) => Some(intersect(&ours, &theirs)),
        };
    }
    let hunks = hunks(&text, lines.as_deref());
    Ok(Ok(ScanUnit {
        path: change.path.clone(),
        text,
        hunks,
        renamed_from: change.renamed_from.clone(),
        old: change.old,
    }))
}

/// Lines of `new` added relative to the blob `old`; `None` means every line (no usable
/// baseline: new file, missing, binary or oversized old blob, or too large to diff).
fn added_against(repo: &Repo, old: Option<ObjectId>, new: &str, options: UnitOptions) -> Option<Vec<Range<usize>>> {
    let old = old?;
    if repo.object_size(old).ok()? > options.max_file_size {
        return None;
    }
    let bytes = repo.blob(old).ok()?;
    if classify(&bytes) != Content::Text {
        return None;
    }
    added_lines(&String::from_utf8_lossy(&bytes), new, options.limits)
}
