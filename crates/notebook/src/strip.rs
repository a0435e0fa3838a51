//! nbstripout 0.9.1's `strip_output`, step for step, plus nbstripout-fast's `--strip-regex`.
//!
//! Order (it decides the bytes): notebook-level `keep_output` default, notebook metadata
//! keys, cell dropping (empty, then tagged), then per remaining cell: keep decision, output
//! filter (`--max-size`, `--keep-output-type`), kept outputs' `execution_count`,
//! `--drop-output-type` (and `--strip-regex`), the cell's count, its id (renumbered after
//! dropping), its extra keys.
//!
//! Whether anything changed is tracked at each mutation instead of comparing a deep copy
//! (nbstripout's `nb_orig != nb_stripped`): a value replaced by an equal one is no change.
//!
//! Deliberate differences from nbstripout, listed in README.md:
//! - `--drop-tagged-cells "a b"` drops cells tagged `a` *or* `b` (nbstripout's late-binding
//!   lambda only honours the last tag);
//! - `--drop-empty-cells` looks at a v3 code cell's `input` (nbstripout looks for `source`,
//!   which v3 code cells lack, and drops every one of them).

use regex::Regex;

use crate::Error;
use crate::json::{Map, Value, float_repr};
use crate::model::Notebook;
use crate::text::is_python_space;

/// The keys nbstripout strips by default (before `--keep-metadata-keys`).
pub const DEFAULT_EXTRA_KEYS: [&str; 8] = [
    "metadata.signature",
    "metadata.widgets",
    "cell.metadata.collapsed",
    "cell.metadata.ExecuteTime",
    "cell.metadata.execution",
    "cell.metadata.heading_collapsed",
    "cell.metadata.hidden",
    "cell.metadata.scrolled",
];

/// nbstripout's options (and nbstripout-fast's `--strip-regex`). `Default` is plain
/// `nbstripout`.
#[derive(Debug, Clone, Default)]
pub struct StripOptions {
    /// `--keep-output`: keep outputs (else the notebook's `metadata.keep_output` decides).
    pub keep_output: bool,
    /// `--keep-count`: keep execution counts.
    pub keep_count: bool,
    /// `--keep-id`: keep cell ids instead of renumbering them `0`, `1`, ….
    pub keep_id: bool,
    /// `--extra-keys`: more `metadata.<path>` / `cell.<path>` keys to delete.
    pub extra_keys: Vec<String>,
    /// `--keep-metadata-keys`: entries removed from the strip list (exact match).
    pub keep_metadata_keys: Vec<String>,
    /// `--drop-empty-cells`: drop cells whose source is whitespace only.
    pub drop_empty_cells: bool,
    /// `--drop-tagged-cells`: drop cells carrying any of these tags.
    pub drop_tagged_cells: Vec<String>,
    /// `--strip-init-cells`: strip `init_cell: true` cells too.
    pub strip_init_cells: bool,
    /// `--max-size`: keep outputs no larger than this (nbstripout's size measure).
    pub max_size: u64,
    /// `--keep-output-type`: `output_type` or `output_type:name` patterns to keep.
    pub keep_output_types: Vec<String>,
    /// `--drop-output-type`: patterns to drop even from kept outputs.
    pub drop_output_types: Vec<String>,
    /// `--strip-regex`: drop outputs whose stream text or `text/plain` matches.
    pub strip_regex: Option<Regex>,
}

/// What stripping did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StripOutcome {
    /// Whether the notebook differs from what was read.
    pub changed: bool,
    /// Cells that lost outputs or an execution count, in order.
    pub cells: Vec<CellChange>,
    /// Warnings for the user (invalid extra keys), as nbstripout prints them.
    pub warnings: Vec<String>,
}

/// The outputs and counts one cell lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellChange {
    /// 1-based position of the cell in the notebook as read.
    pub cell: usize,
    /// How many outputs were removed.
    pub outputs: usize,
    /// Whether a non-null execution count (or prompt number) was cleared.
    pub count: bool,
}

impl StripOutcome {
    /// Whether any cell lost outputs or counts (what the commit guard blocks on).
    pub fn has_outputs_or_counts(&self) -> bool {
        !self.cells.is_empty()
    }
}

/// Parses nbstripout's `--max-size` (`N`, `NK`, `NM`, `NG`; powers of ten).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let upper = text.trim().to_ascii_uppercase();
    let (digits, scale) = match upper.chars().last() {
        Some('K') => (&upper[..upper.len() - 1], 1_000),
        Some('M') => (&upper[..upper.len() - 1], 1_000_000),
        Some('G') => (&upper[..upper.len() - 1], 1_000_000_000),
        Some(c) if c.is_ascii_digit() => (&upper[..], 1),
        Some(c) => return Err(format!("unknown size unit `{c}` (use K, M or G)")),
        None => return Err("empty size".to_owned()),
    };
    let n: u64 = digits.parse().map_err(|_| format!("`{text}` is not a size"))?;
    n.checked_mul(scale).ok_or_else(|| format!("`{text}` is too large"))
}

/// Strips `nb` in place. `origin` names the file in errors. On error the notebook may be
/// half-stripped; callers discard it (nothing is written).
pub fn strip(nb: &mut Notebook, options: &StripOptions, origin: &str) -> Result<StripOutcome, Error> {
    let mut outcome = StripOutcome::default();
    let mut metadata_keys = Vec::new();
    let mut cell_keys = Vec::new();
    let listed = DEFAULT_EXTRA_KEYS
        .iter()
        .map(|k| (*k).to_owned())
        .chain(options.extra_keys.iter().cloned());
    for key in listed.filter(|k| !options.keep_metadata_keys.contains(k)) {
        match key.split_once('.') {
            Some(("metadata", rest)) => metadata_keys.push(rest.to_owned()),
            Some(("cell", rest)) => cell_keys.push(rest.to_owned()),
            _ => outcome.warnings.push(format!("Ignoring invalid extra key `{key}`")),
        }
    }

    let keep_default = options.keep_output || nb.metadata().get("keep_output").is_some_and(Value::truthy);
    for key in &metadata_keys {
        outcome.changed |= pop_recursive(nb.metadata_mut(), key);
    }

    // Drop cells, remembering each survivor's position as read (for reports).
    let v3 = nb.major() == 3;
    let mut original = Vec::new();
    let mut position = 0;
    for list in nb.cell_lists_mut() {
        let before = list.len();
        let mut kept = Vec::with_capacity(before);
        for cell in list.drain(..) {
            position += 1;
            if keep_cell(&cell, options, v3) {
                original.push(position);
                kept.push(cell);
            }
        }
        outcome.changed |= kept.len() != before;
        *list = kept;
    }

    for (i, cell) in nb.cells_mut().enumerate() {
        let number = original[i];
        let keep =
            keep_output(cell, keep_default, options.strip_init_cells).map_err(|()| Error::MetadataContradiction {
                origin: origin.to_owned(),
                cell: number,
            })?;
        let mut change = CellChange {
            cell: number,
            outputs: 0,
            count: false,
        };
        if let Some(Value::Array(outputs)) = cell.get_mut("outputs") {
            let before = outputs.len();
            if !keep || !options.keep_output_types.is_empty() {
                outputs.retain(|o| {
                    size(o) <= options.max_size || options.keep_output_types.iter().any(|t| matches_type(o, t))
                });
            }
            if !options.keep_count {
                for output in outputs.iter_mut().filter_map(Value::as_object_mut) {
                    if let Some(count) = output.get_mut("execution_count")
                        && *count != Value::Null
                    {
                        *count = Value::Null;
                        change.count = true;
                    }
                }
            }
            if !options.drop_output_types.is_empty() {
                outputs.retain(|o| !options.drop_output_types.iter().any(|t| matches_type(o, t)));
            }
            if let Some(re) = &options.strip_regex {
                outputs.retain(|o| !regex_matches(o, re));
            }
            change.outputs = before - outputs.len();
        }
        if !options.keep_count {
            for key in ["prompt_number", "execution_count"] {
                if let Some(count) = cell.get_mut(key)
                    && *count != Value::Null
                {
                    *count = Value::Null;
                    change.count = true;
                }
            }
        }
        if change.outputs > 0 || change.count {
            outcome.changed = true;
            outcome.cells.push(change);
        }
        if !options.keep_id
            && let Some(id) = cell.get_mut("id")
        {
            let renumbered = Value::String(i.to_string());
            if *id != renumbered {
                *id = renumbered;
                outcome.changed = true;
            }
        }
        for key in &cell_keys {
            outcome.changed |= pop_recursive(cell, key);
        }
    }
    Ok(outcome)
}

/// nbstripout's `pop_recursive`: delete `key` if it is a key of `map` (keys may contain
/// dots), else descend at the first dot. Returns whether something was deleted.
fn pop_recursive(map: &mut Map, key: &str) -> bool {
    if map.remove(key).is_some() {
        return true;
    }
    let Some((head, tail)) = key.split_once('.') else {
        return false;
    };
    match map.get_mut(head) {
        Some(Value::Object(inner)) => pop_recursive(inner, tail),
        _ => false,
    }
}

/// Python's `needle in value` for a cell's `tags`: list membership, substring of a string,
/// key of an object.
fn has_tag(tags: Option<&Value>, needle: &str) -> bool {
    match tags {
        Some(Value::Array(items)) => items.iter().any(|t| t.as_str() == Some(needle)),
        Some(Value::String(s)) => s.contains(needle),
        Some(Value::Object(map)) => map.contains_key(needle),
        _ => false,
    }
}

fn cell_metadata(cell: &Map) -> Option<&Map> {
    cell.get("metadata").and_then(Value::as_object)
}

/// The drop conditionals: `--drop-empty-cells`, then `--drop-tagged-cells`.
fn keep_cell(cell: &Value, options: &StripOptions, v3: bool) -> bool {
    let Some(cell) = cell.as_object() else {
        return true;
    };
    if options.drop_empty_cells {
        let key = if v3 && cell.get("cell_type").and_then(Value::as_str) == Some("code") {
            "input"
        } else {
            "source"
        };
        let blank = match cell.get(key) {
            Some(Value::String(s)) => s.chars().all(is_python_space),
            Some(Value::Array(lines)) => lines
                .iter()
                .all(|l| l.as_str().is_none_or(|l| l.chars().all(is_python_space))),
            _ => true,
        };
        if blank {
            return false;
        }
    }
    let tags = cell_metadata(cell).and_then(|m| m.get("tags"));
    !options.drop_tagged_cells.iter().any(|tag| has_tag(tags, tag))
}

/// nbstripout's `determine_keep_output`; `Err` is its `MetadataError`.
fn keep_output(cell: &Map, default: bool, strip_init_cells: bool) -> Result<bool, ()> {
    let Some(metadata) = cell_metadata(cell) else {
        return Ok(default);
    };
    if let Some(init) = metadata.get("init_cell") {
        return Ok(init.truthy() && !strip_init_cells);
    }
    let by_metadata = metadata.get("keep_output");
    let by_tag = has_tag(metadata.get("tags"), "keep_output");
    let keep_metadata = by_metadata.is_some_and(Value::truthy);
    if by_metadata.is_some() && by_tag && !keep_metadata {
        return Err(());
    }
    if by_metadata.is_some() || by_tag {
        return Ok(keep_metadata || by_tag);
    }
    Ok(default)
}

/// nbstripout's `get_size`: characters of every string, `len(str(x))` of everything else,
/// keys not counted.
fn size(value: &Value) -> u64 {
    match value {
        Value::String(s) => s.chars().count() as u64,
        Value::Array(items) => items.iter().map(size).sum(),
        Value::Object(map) => map.values().map(size).sum(),
        Value::Null | Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Int(digits) => digits.len() as u64,
        Value::Float(f) if f.0.is_nan() || f.0 == f64::INFINITY => 3,
        Value::Float(f) if f.0 == f64::NEG_INFINITY => 4,
        Value::Float(f) => float_repr(f.0).len() as u64,
    }
}

/// nbstripout's `match_output_type`: `output_type` or `output_type:name`.
fn matches_type(output: &Value, pattern: &str) -> bool {
    let Some(output) = output.as_object() else {
        return false;
    };
    let (kind, name) = match pattern.split_once(':') {
        Some((kind, name)) => (kind, Some(name)),
        None => (pattern, None),
    };
    output.get("output_type").and_then(Value::as_str) == Some(kind)
        && name.is_none_or(|n| output.get("name").and_then(Value::as_str) == Some(n))
}

/// nbstripout-fast's `--strip-regex`: a stream's text or an output's `text/plain`.
fn regex_matches(output: &Value, re: &Regex) -> bool {
    let Some(output) = output.as_object() else {
        return false;
    };
    let text = match output.get("output_type").and_then(Value::as_str) {
        Some("stream") => output.get("text"),
        _ => output
            .get("data")
            .and_then(Value::as_object)
            .and_then(|d| d.get("text/plain")),
    };
    match text {
        Some(Value::String(t)) => re.is_match(t),
        // Output lists are joined only when written.
        Some(Value::Array(lines)) => re.is_match(&lines.iter().filter_map(Value::as_str).collect::<String>()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_follow_python() {
        assert_eq!(parse_size("10").unwrap(), 10);
        assert_eq!(parse_size("2k").unwrap(), 2_000);
        assert_eq!(parse_size("3M").unwrap(), 3_000_000);
        assert!(parse_size("3X").is_err());
        let output = crate::json::parse(r#"{"a": "héllo", "b": [null, 3, true, false, 1.5]}"#).unwrap();
        assert_eq!(size(&output), 5 + 4 + 1 + 4 + 5 + 3);
    }

    #[test]
    fn pop_recursive_prefers_whole_keys_with_dots() {
        let mut map = match crate::json::parse(r#"{"a.b": 1, "a": {"b": 2, "c": {"d": 3}}}"#).unwrap() {
            Value::Object(m) => m,
            _ => unreachable!(),
        };
        assert!(pop_recursive(&mut map, "a.b"));
        assert!(map.get("a").unwrap().as_object().unwrap().contains_key("b"));
        assert!(pop_recursive(&mut map, "a.c.d"));
        assert!(!pop_recursive(&mut map, "a.x.y"));
    }

    fn run(text: &str, options: &StripOptions) -> (String, StripOutcome) {
        let mut nb = Notebook::parse(text.as_bytes(), "t.ipynb").unwrap();
        let outcome = strip(&mut nb, options, "t.ipynb").unwrap();
        (String::from_utf8(nb.into_bytes()).unwrap(), outcome)
    }

    const TAGGED: &str = r#"{"cells": [
        {"cell_type": "markdown", "metadata": {"tags": ["a"]}, "source": "A"},
        {"cell_type": "markdown", "metadata": {"tags": ["b"]}, "source": "B"},
        {"cell_type": "markdown", "metadata": {}, "source": "C"}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 4}"#;

    #[test]
    fn every_listed_tag_drops_cells_unlike_nbstripout() {
        // nbstripout 0.9.1 would drop only the cell tagged "b" (its lambda binds the last tag).
        let options = StripOptions {
            drop_tagged_cells: vec!["a".into(), "b".into()],
            ..StripOptions::default()
        };
        let (text, outcome) = run(TAGGED, &options);
        assert!(outcome.changed);
        assert!(
            !text.contains("\"A\"") && !text.contains("\"B\"") && text.contains("\"C\""),
            "{text}"
        );
    }

    #[test]
    fn drop_empty_cells_reads_the_input_of_v3_code_cells_unlike_nbstripout() {
        let v3 = r#"{"metadata": {}, "nbformat": 3, "nbformat_minor": 0, "worksheets": [{"cells": [
            {"cell_type": "code", "input": "x = 1", "language": "python", "metadata": {}, "outputs": []},
            {"cell_type": "code", "input": "  ", "language": "python", "metadata": {}, "outputs": []},
            {"cell_type": "markdown", "metadata": {}, "source": ""}], "metadata": {}}]}"#;
        let options = StripOptions {
            drop_empty_cells: true,
            ..StripOptions::default()
        };
        let (text, _) = run(v3, &options);
        assert!(
            text.contains("x = 1"),
            "nbstripout drops every v3 code cell; we keep non-empty ones\n{text}"
        );
        assert_eq!(text.matches("\"cell_type\"").count(), 1, "{text}");
    }

    #[test]
    fn strip_regex_drops_matching_outputs_even_when_kept() {
        let text = r#"{"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "source": "",
            "outputs": [{"name": "stderr", "output_type": "stream", "text": ["100%|#####| 10/10\n"]},
                        {"name": "stdout", "output_type": "stream", "text": "result\n"}]}],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 4}"#;
        let options = StripOptions {
            keep_output: true,
            strip_regex: Some(Regex::new(r"\d+%\|").unwrap()),
            ..StripOptions::default()
        };
        let (out, outcome) = run(text, &options);
        assert!(out.contains("result") && !out.contains("10/10"), "{out}");
        assert_eq!(outcome.cells[0].outputs, 1);
    }

    #[test]
    fn invalid_extra_keys_are_warned_about_and_ignored() {
        let options = StripOptions {
            extra_keys: vec!["bogus".into(), "other.key".into(), "metadata.kernelspec".into()],
            ..StripOptions::default()
        };
        let (_, outcome) = run(TAGGED, &options);
        assert_eq!(
            outcome.warnings,
            [
                "Ignoring invalid extra key `bogus`",
                "Ignoring invalid extra key `other.key`"
            ]
        );
    }

    #[test]
    fn contradicting_metadata_is_an_error_naming_the_cell() {
        let text = br#"{"cells": [{"cell_type": "markdown", "metadata": {}, "source": ""},
            {"cell_type": "code", "metadata": {"keep_output": false, "tags": ["keep_output"]}, "outputs": [], "source": "", "execution_count": null}],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 4}"#;
        let mut nb = Notebook::parse(text, "x.ipynb").unwrap();
        let err = strip(&mut nb, &StripOptions::default(), "x.ipynb").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("x.ipynb: cell 2: cell metadata contradicts tags"),
            "{err}"
        );
    }
}
