//! Added lines: which lines of a new blob are not in the old one, grouped into hunks of
//! contiguous lines. Pure functions over text; no git here.
//!
//! The diff is `similar`'s line diff with a deadline. Past the deadline `similar` returns a
//! coarser but still valid edit script, which can only report *more* lines as added, never
//! fewer: a slow diff costs false positives, never a missed secret. Very large inputs skip
//! the diff and scan the whole new blob.

use std::ops::Range;
use std::time::Duration;

use similar::{Algorithm, DiffTag, TextDiff};

/// Contiguous added lines of a new blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    /// 1-based line number of the first line.
    pub first_line: u32,
    /// Byte range of the lines (with their line endings) in the new text.
    pub bytes: Range<usize>,
}

/// Limits that keep a pathological diff from stalling a commit.
#[derive(Debug, Clone, Copy)]
pub struct DiffLimits {
    /// Above this many lines (old plus new), diffing is skipped and the whole new text scanned.
    pub max_lines: usize,
    /// Wall-clock budget for one diff.
    pub timeout: Duration,
}

impl Default for DiffLimits {
    fn default() -> Self {
        DiffLimits {
            max_lines: 200_000,
            timeout: Duration::from_millis(250),
        }
    }
}

/// 0-based indices of the lines of `new` that are added relative to `old`, as sorted,
/// disjoint ranges. `None` means "too large to diff: treat every line as added".
pub fn added_lines(old: &str, new: &str, limits: DiffLimits) -> Option<Vec<Range<usize>>> {
    if old.is_empty() {
        return None;
    }
    if line_count(old) + line_count(new) > limits.max_lines {
        return None;
    }
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .timeout(limits.timeout)
        .diff_lines(old, new);
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for op in diff.ops() {
        let (tag, _, new_range) = op.as_tag_tuple();
        if matches!(tag, DiffTag::Insert | DiffTag::Replace) && !new_range.is_empty() {
            match ranges.last_mut() {
                Some(last) if last.end == new_range.start => last.end = new_range.end,
                _ => ranges.push(new_range),
            }
        }
    }
    Some(ranges)
}

/// Lines present in both sets: during a merge, a line is new only if it is added relative to
/// every parent.
pub fn intersect(a: &[Range<usize>], b: &[Range<usize>]) -> Vec<Range<usize>> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        let start = a[i].start.max(b[j].start);
        let end = a[i].end.min(b[j].end);
        if start < end {
            out.push(start..end);
        }
        if a[i].end < b[j].end { i += 1 } else { j += 1 }
    }
    out
}

/// Hunks of `text` for the given line ranges (`None`: one hunk with the whole text).
pub fn hunks(text: &str, lines: Option<&[Range<usize>]>) -> Vec<Hunk> {
    let Some(lines) = lines else {
        return if text.is_empty() {
            Vec::new()
        } else {
            vec![Hunk {
                first_line: 1,
                bytes: 0..text.len(),
            }]
        };
    };
    let starts = line_starts(text);
    lines
        .iter()
        .filter(|r| r.start < starts.len())
        .map(|r| {
            let end = starts.get(r.end).copied().unwrap_or(text.len());
            Hunk {
                first_line: u32::try_from(r.start + 1).unwrap_or(u32::MAX),
                bytes: starts[r.start]..end,
            }
        })
        .collect()
}

/// Byte offset at which each line starts.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        text.bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i + 1),
    );
    if starts.last() == Some(&text.len()) {
        starts.pop();
    }
    starts
}

fn line_count(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn added(old: &str, new: &str) -> Vec<String> {
        let lines = added_lines(old, new, DiffLimits::default());
        hunks(new, lines.as_deref())
            .iter()
            .map(|h| format!("{}:{}", h.first_line, &new[h.bytes.clone()]))
            .collect()
    }

    #[test]
    fn only_new_lines_are_reported_grouped_in_hunks() {
        let old = "a\nb\nc\nd\n";
        let new = "a\nX\nY\nb\nc\nZ\n";
        assert_eq!(added(old, new), ["2:X\nY\n", "6:Z\n"]);
    }

    #[test]
    fn a_new_file_is_one_hunk() {
        assert_eq!(added("", "a\nb"), ["1:a\nb"]);
        assert!(added("", "").is_empty());
    }

    #[test]
    fn deletions_add_nothing_and_a_changed_last_line_without_newline_is_added() {
        assert!(added("a\nb\nc\n", "a\nc\n").is_empty());
        assert_eq!(added("a\nb", "a\nbb"), ["2:bb"]);
    }

    #[test]
    fn crlf_lines_keep_their_endings() {
        assert_eq!(added("a\r\nb\r\n", "a\r\nS\r\nb\r\n"), ["2:S\r\n"]);
    }

    #[test]
    fn too_large_inputs_scan_everything() {
        let limits = DiffLimits {
            max_lines: 3,
            ..DiffLimits::default()
        };
        assert_eq!(added_lines("a\nb\n", "a\nb\nc\n", limits), None);
    }

    #[test]
    fn intersection_keeps_lines_new_to_both_parents() {
        let one = |r: Range<usize>| [r];
        assert_eq!(intersect(&[0..5, 8..10], &one(3..9)), [3..5, 8..9]);
        assert!(intersect(&one(0..2), &one(2..4)).is_empty());
    }

    #[test]
    fn added_lines_are_a_subset_of_the_new_lines() {
        let old: String = (0..300).map(|i| format!("line {}\n", i * 7 % 13)).collect();
        let new: String = (0..300).map(|i| format!("line {}\n", i * 5 % 11)).collect();
        let lines = added_lines(&old, &new, DiffLimits::default()).unwrap();
        for h in hunks(&new, Some(&lines)) {
            assert!(new[h.bytes.clone()].lines().all(|l| new.lines().any(|n| n == l)));
            assert!(h.bytes.end <= new.len());
        }
    }
}
