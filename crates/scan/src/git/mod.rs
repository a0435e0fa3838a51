//! The git half of the scanner: open the repository as a hook sees it, list the staged
//! changes (index vs HEAD), and turn each into the text a commit adds. In-process with gix:
//! no `git` child process on this path, no writes, no locks.

mod changes;
mod hunks;
mod push;
mod repo;
mod staged;
mod treediff;
mod units;

pub use changes::FileChange;
pub use gix::ObjectId;
pub use hunks::{DiffLimits, Hunk, added_lines, hunks, intersect};
pub use push::{
    CommitUnits, PushRange, RefUpdate, all_tips, commit_units, commits_in, parse_updates, push_range, short,
};
pub use repo::Repo;
pub use staged::{Walk, staged_changes, staged_changes_with};
pub use units::{ScanUnit, Skip, SkipReason, UnitOptions, staged_units, units_for};
