//! The nbformat model: a notebook is its JSON tree (so every key nbformat does not know is
//! kept as it is), read and written the way nbformat 5.11 reads and writes it.
//!
//! Reading (nbformat `reads` with `NO_CONVERT`, then `validate`):
//! - v4: list-valued multi-line strings are joined (`rejoin_lines`; outputs' lists only when
//!   they are written, which gives the same bytes without copying outputs that stripping
//!   drops), transient keys removed
//!   (`metadata.orig_nbformat`, `orig_nbformat_minor`, `signature`, cells'
//!   `metadata.trusted`), and from 4.5 on every cell gets an id (missing or duplicate ids are
//!   replaced);
//! - v3: multi-line strings of worksheets' cells joined; transients are removed only on
//!   write, as nbformat does.
//!
//! Writing (nbformat `writes`): ids again for ≥ 4.5, the version's `split_lines`, transient
//! keys removed, `json.dumps(indent=1, sort_keys=True)` with `ensure_ascii=False` for v4 and
//! `True` for v3, and one final newline.
//!
//! Deliberate difference: nbformat invents *random* ids for cells that lack one; here they
//! are derived from the cell's position and source, so the same input always gives the
//! same bytes (it matters only with `--keep-id` or `--extra-keys cell.id`; by default ids
//! are renumbered anyway).
//!
//! Shapes nbformat would crash on (a cell that is not an object, a code cell without
//! `outputs`, a source list holding numbers, …) are [`Error::Schema`] here.

use std::collections::HashSet;

use crate::Error;
use crate::json::{self, Map, Value, WriteOptions};
use crate::text::splitlines;

/// A parsed notebook, nbformat 3 or 4.
#[derive(Debug, Clone, PartialEq)]
pub struct Notebook {
    root: Map,
    major: u8,
    minor: i64,
}

/// Mime types whose values nbformat 4 joins on read and splits on write besides `text/*`.
const V4_SPLIT_MIMES: [&str; 2] = ["application/javascript", "image/svg+xml"];

/// Output keys nbformat 3 joins and splits.
const V3_MULTILINE_OUTPUTS: [&str; 6] = ["text", "html", "svg", "latex", "javascript", "json"];

impl Notebook {
    /// Reads a notebook from its file bytes. `origin` names the file in errors.
    pub fn parse(bytes: &[u8], origin: &str) -> Result<Notebook, Error> {
        let schema = |message: String| Error::Schema {
            origin: origin.to_owned(),
            message,
        };
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            return Err(Error::Bom {
                origin: origin.to_owned(),
            });
        }
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).expect("valid prefix");
            let (line, column) = json::line_column(valid, valid.len());
            Error::Utf8 {
                origin: origin.to_owned(),
                line,
                column,
            }
        })?;
        if text.trim().is_empty() {
            return Err(Error::Json {
                origin: origin.to_owned(),
                line: 1,
                column: 1,
                message: "empty file: expecting a notebook".to_owned(),
            });
        }
        let value = json::parse(text).map_err(|e| Error::Json {
            origin: origin.to_owned(),
            line: e.line,
            column: e.column,
            message: e.message,
        })?;
        let Value::Object(root) = value else {
            return Err(schema(format!("the top level is {}, not an object", value.kind())));
        };
        let major = match root.get("nbformat") {
            None => None,
            Some(Value::Int(digits)) => digits.parse::<u8>().ok().filter(|v| matches!(v, 3 | 4)),
            Some(other) => {
                return Err(Error::Unsupported {
                    origin: origin.to_owned(),
                    version: format!("{} ({})", render(other), other.kind()),
                });
            }
        };
        let Some(major) = major else {
            return Err(Error::Unsupported {
                origin: origin.to_owned(),
                version: root
                    .get("nbformat")
                    .map_or_else(|| "1 (no `nbformat` key)".to_owned(), render),
            });
        };
        let minor = match root.get("nbformat_minor") {
            None => 0,
            Some(Value::Int(digits)) => digits.parse::<i64>().unwrap_or(i64::MAX),
            Some(other) => return Err(schema(format!("`nbformat_minor` is {}, not an integer", other.kind()))),
        };
        let mut nb = Notebook { root, major, minor };
        nb.check_shape().map_err(schema)?;
        if major == 4 {
            nb.rejoin_v4().map_err(schema)?;
            nb.strip_transient();
        } else {
            nb.rejoin_v3().map_err(schema)?;
        }
        nb.normalize_ids();
        Ok(nb)
    }

    /// The nbformat major version (3 or 4).
    pub fn major(&self) -> u8 {
        self.major
    }

    /// The notebook-level metadata.
    pub fn metadata(&self) -> &Map {
        self.root
            .get("metadata")
            .and_then(Value::as_object)
            .expect("checked on read")
    }

    /// The notebook-level metadata, mutably.
    pub fn metadata_mut(&mut self) -> &mut Map {
        self.root
            .get_mut("metadata")
            .and_then(Value::as_object_mut)
            .expect("checked on read")
    }

    /// Every cell in order (v3: the cells of every worksheet, one after the other).
    pub fn cells(&self) -> Vec<&Map> {
        self.cell_lists()
            .into_iter()
            .flat_map(|list| list.iter().filter_map(Value::as_object))
            .collect()
    }

    /// The cell lists: one for v4, one per worksheet for v3.
    pub(crate) fn cell_lists(&self) -> Vec<&Vec<Value>> {
        if self.major == 4 {
            vec![
                self.root
                    .get("cells")
                    .and_then(Value::as_array)
                    .expect("checked on read"),
            ]
        } else {
            self.root
                .get("worksheets")
                .and_then(Value::as_array)
                .expect("checked on read")
                .iter()
                .filter_map(|ws| ws.as_object().and_then(|ws| ws.get("cells")).and_then(Value::as_array))
                .collect()
        }
    }

    /// The cell lists, mutably.
    pub(crate) fn cell_lists_mut(&mut self) -> Vec<&mut Vec<Value>> {
        if self.major == 4 {
            vec![
                self.root
                    .get_mut("cells")
                    .and_then(Value::as_array_mut)
                    .expect("checked on read"),
            ]
        } else {
            self.root
                .get_mut("worksheets")
                .and_then(Value::as_array_mut)
                .expect("checked on read")
                .iter_mut()
                .filter_map(|ws| {
                    ws.as_object_mut()
                        .and_then(|ws| ws.get_mut("cells"))
                        .and_then(Value::as_array_mut)
                })
                .collect()
        }
    }

    /// Every cell, mutably, in order.
    pub(crate) fn cells_mut(&mut self) -> impl Iterator<Item = &mut Map> {
        self.cell_lists_mut()
            .into_iter()
            .flat_map(|list| list.iter_mut().filter_map(Value::as_object_mut))
    }

    /// The notebook's file bytes, as nbformat writes them (consumes the notebook: the
    /// write-time line splitting happens in place, with no copy of a large notebook).
    pub fn into_bytes(mut self) -> Vec<u8> {
        self.normalize_ids();
        let ensure_ascii = if self.major == 4 {
            self.split_v4();
            self.strip_transient();
            false
        } else {
            self.strip_transient();
            self.split_v3();
            true
        };
        let mut out = String::new();
        json::write(&Value::Object(self.root), WriteOptions { ensure_ascii }, &mut out);
        out.push('\n');
        out.into_bytes()
    }

    /// Checks the structure nbformat's readers and writers rely on.
    fn check_shape(&self) -> Result<(), String> {
        match self.root.get("metadata") {
            Some(Value::Object(_)) => {}
            Some(other) => return Err(format!("`metadata` is {}, not an object", other.kind())),
            None => return Err("no `metadata` object".to_owned()),
        }
        let lists: Vec<(String, &Vec<Value>)> = if self.major == 4 {
            match self.root.get("cells") {
                Some(Value::Array(cells)) => vec![(String::new(), cells)],
                Some(other) => return Err(format!("`cells` is {}, not an array", other.kind())),
                None => return Err("no `cells` array (nbformat 4)".to_owned()),
            }
        } else {
            let worksheets = match self.root.get("worksheets") {
                Some(Value::Array(ws)) => ws,
                Some(other) => return Err(format!("`worksheets` is {}, not an array", other.kind())),
                None => return Err("no `worksheets` array (nbformat 3)".to_owned()),
            };
            let mut lists = Vec::new();
            for (w, ws) in worksheets.iter().enumerate() {
                match ws.as_object().and_then(|ws| ws.get("cells")) {
                    Some(Value::Array(cells)) => lists.push((format!("worksheet {}: ", w + 1), cells)),
                    _ => return Err(format!("worksheet {} has no `cells` array", w + 1)),
                }
            }
            lists
        };
        let mut number = 0;
        for (prefix, cells) in lists {
            for cell in cells {
                number += 1;
                let at = format!("{prefix}cell {number}");
                let Value::Object(cell) = cell else {
                    return Err(format!("{at} is {}, not an object", cell.kind()));
                };
                match cell.get("metadata") {
                    Some(Value::Object(_)) => {}
                    None if self.major == 3 => {}
                    None => return Err(format!("{at} has no `metadata` object")),
                    Some(other) => return Err(format!("{at}: `metadata` is {}, not an object", other.kind())),
                }
                let Some(Value::String(cell_type)) = cell.get("cell_type") else {
                    return Err(format!("{at} has no `cell_type` string"));
                };
                if cell_type != "code" {
                    continue;
                }
                let Some(Value::Array(outputs)) = cell.get("outputs") else {
                    return Err(format!("{at} is a code cell without an `outputs` array"));
                };
                for (o, output) in outputs.iter().enumerate() {
                    let Value::Object(output) = output else {
                        return Err(format!("{at}, output {} is {}, not an object", o + 1, output.kind()));
                    };
                    if self.major == 4 && !matches!(output.get("output_type"), Some(Value::String(_))) {
                        return Err(format!("{at}, output {} has no `output_type` string", o + 1));
                    }
                }
            }
        }
        Ok(())
    }

    /// nbformat v4 `rejoin_lines`.
    fn rejoin_v4(&mut self) -> Result<(), String> {
        for (i, cell) in self.cells_mut().enumerate() {
            let at = || format!("cell {}", i + 1);
            if let Some(source) = cell.get_mut("source") {
                join_all(source, "").map_err(|what| format!("{}: `source` {what}", at()))?;
            }
            if let Some(attachments) = cell.get_mut("attachments") {
                let Value::Object(attachments) = attachments else {
                    return Err(format!("{}: `attachments` is not an object", at()));
                };
                for bundle in attachments.values_mut() {
                    let Value::Object(bundle) = bundle else {
                        return Err(format!("{}: an attachment is not an object", at()));
                    };
                    rejoin_mimebundle(bundle);
                }
            }
            if cell.get("cell_type").and_then(Value::as_str) != Some("code") {
                continue;
            }
            // Outputs are only checked here; their lists are joined when they are written
            // (`rejoin_output`), so the many outputs that stripping drops are never copied.
            let Some(Value::Array(outputs)) = cell.get("outputs") else {
                continue;
            };
            for (o, output) in outputs.iter().filter_map(Value::as_object).enumerate() {
                let kind = output.get("output_type").and_then(Value::as_str).unwrap_or("");
                if kind == "execute_result" || kind == "display_data" {
                    if output.get("data").is_some_and(|d| !matches!(d, Value::Object(_))) {
                        return Err(format!("{}, output {}: `data` is not an object", at(), o + 1));
                    }
                } else if !kind.is_empty()
                    && let Some(Value::Array(items)) = output.get("text")
                    && items.iter().any(|i| !matches!(i, Value::String(_)))
                {
                    return Err(format!(
                        "{}, output {}: `text` is a list holding something other than strings",
                        at(),
                        o + 1
                    ));
                }
            }
        }
        Ok(())
    }

    /// nbformat v3 `rejoin_lines` (with its guess between `splitlines(True)` and
    /// `splitlines()` output).
    fn rejoin_v3(&mut self) -> Result<(), String> {
        for (i, cell) in self.cells_mut().enumerate() {
            let at = || format!("cell {}", i + 1);
            if cell.get("cell_type").and_then(Value::as_str) == Some("code") {
                if let Some(input) = cell.get_mut("input") {
                    join_v3(input).map_err(|what| format!("{}: `input` {what}", at()))?;
                }
                let Some(Value::Array(outputs)) = cell.get_mut("outputs") else {
                    continue;
                };
                for (o, output) in outputs.iter_mut().filter_map(Value::as_object_mut).enumerate() {
                    for key in V3_MULTILINE_OUTPUTS {
                        if let Some(item) = output.get_mut(key) {
                            join_v3(item).map_err(|what| format!("{}, output {}: `{key}` {what}", at(), o + 1))?;
                        }
                    }
                }
            } else {
                for key in ["source", "rendered"] {
                    if let Some(item) = cell.get_mut(key) {
                        join_v3(item).map_err(|what| format!("{}: `{key}` {what}", at()))?;
                    }
                }
            }
        }
        Ok(())
    }

    /// nbformat's `strip_transient` for the notebook's version.
    fn strip_transient(&mut self) {
        if self.major == 4 {
            let metadata = self.metadata_mut();
            for key in ["orig_nbformat", "orig_nbformat_minor", "signature"] {
                metadata.remove(key);
            }
            for cell in self.cells_mut() {
                if let Some(Value::Object(metadata)) = cell.get_mut("metadata") {
                    metadata.remove("trusted");
                }
            }
        } else {
            self.root.remove("orig_nbformat");
            self.root.remove("orig_nbformat_minor");
            for cell in self.cells_mut() {
                if let Some(Value::Object(metadata)) = cell.get_mut("metadata") {
                    metadata.remove("trusted");
                }
                cell.remove("trusted");
            }
        }
    }

    /// nbformat's `_normalize` for ≥ 4.5: every cell has an id and ids are unique.
    fn normalize_ids(&mut self) {
        if self.major != 4 || self.minor < 5 {
            return;
        }
        let mut taken: HashSet<String> = self
            .cells()
            .iter()
            .filter_map(|c| c.get("id").and_then(Value::as_str).map(str::to_owned))
            .collect();
        let mut seen: HashSet<String> = HashSet::new();
        for (i, cell) in self.cells_mut().enumerate() {
            let fresh = match cell.get("id") {
                None => true,
                Some(id) => !seen.insert(render(id)),
            };
            if fresh {
                let id = generated_id(i, cell, &taken);
                taken.insert(id.clone());
                seen.insert(render(&Value::String(id.clone())));
                cell.insert("id", Value::String(id));
            }
        }
    }

    /// nbformat v4 `split_lines`.
    fn split_v4(&mut self) {
        for cell in self.cells_mut() {
            if let Some(source) = cell.get_mut("source") {
                split_value(source);
            }
            if let Some(Value::Object(attachments)) = cell.get_mut("attachments") {
                for bundle in attachments.values_mut().filter_map(Value::as_object_mut) {
                    split_mimebundle(bundle);
                }
            }
            if cell.get("cell_type").and_then(Value::as_str) != Some("code") {
                continue;
            }
            let Some(Value::Array(outputs)) = cell.get_mut("outputs") else {
                continue;
            };
            for output in outputs.iter_mut().filter_map(Value::as_object_mut) {
                rejoin_output(output);
                match output.get("output_type").and_then(Value::as_str) {
                    Some("execute_result" | "display_data") => {
                        if let Some(Value::Object(data)) = output.get_mut("data") {
                            split_mimebundle(data);
                        }
                    }
                    Some("stream") => {
                        if let Some(text) = output.get_mut("text") {
                            split_value(text);
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// nbformat v3 `split_lines`.
    fn split_v3(&mut self) {
        for cell in self.cells_mut() {
            if cell.get("cell_type").and_then(Value::as_str) == Some("code") {
                if let Some(input) = cell.get_mut("input") {
                    split_value(input);
                }
                let Some(Value::Array(outputs)) = cell.get_mut("outputs") else {
                    continue;
                };
                for output in outputs.iter_mut().filter_map(Value::as_object_mut) {
                    for key in V3_MULTILINE_OUTPUTS {
                        if let Some(item) = output.get_mut(key) {
                            split_value(item);
                        }
                    }
                }
            } else {
                for key in ["source", "rendered"] {
                    if let Some(item) = cell.get_mut(key) {
                        split_value(item);
                    }
                }
            }
        }
    }
}

/// A value as compact JSON, for messages and hashing.
fn render(value: &Value) -> String {
    let mut out = String::new();
    json::write(value, WriteOptions { ensure_ascii: false }, &mut out);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An id for a cell that has none (or a duplicate one): 8 hex digits like nbformat's, but
/// derived from the cell's position and source instead of random.
fn generated_id(index: usize, cell: &Map, taken: &HashSet<String>) -> String {
    let source = cell.get("source").and_then(Value::as_str).unwrap_or("");
    let mut salt = 0u64;
    loop {
        // FNV-1a over (index, salt, source).
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in (index as u64)
            .to_le_bytes()
            .iter()
            .chain(salt.to_le_bytes().iter())
            .chain(source.as_bytes())
        {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        let id = format!("{:08x}", hash >> 32);
        if !taken.contains(&id) {
            return id;
        }
        salt += 1;
    }
}

/// nbformat v4 `rejoin_lines` for one output (its shape was checked on read).
fn rejoin_output(output: &mut Map) {
    let kind = output.get("output_type").and_then(Value::as_str).unwrap_or("");
    if kind == "execute_result" || kind == "display_data" {
        if let Some(Value::Object(data)) = output.get_mut("data") {
            rejoin_mimebundle(data);
        }
    } else if !kind.is_empty()
        && let Some(text) = output.get_mut("text")
    {
        join_all(text, "").expect("checked on read");
    }
}

/// `"".join(list)` for a list of strings; other values stay.
fn join_all(value: &mut Value, separator: &str) -> Result<(), &'static str> {
    let Value::Array(items) = value else {
        return Ok(());
    };
    let mut joined = String::with_capacity(items.iter().map(|i| i.as_str().map_or(0, str::len)).sum());
    for (n, item) in items.iter().enumerate() {
        let Value::String(s) = item else {
            return Err("is a list holding something other than strings");
        };
        if n > 0 {
            joined.push_str(separator);
        }
        joined.push_str(s);
    }
    *value = Value::String(joined);
    Ok(())
}

/// nbformat v3 `_join_lines`: lines from `splitlines(True)` are concatenated, lines from
/// `splitlines()` joined with `\n`.
fn join_v3(value: &mut Value) -> Result<(), &'static str> {
    let Value::Array(items) = value else {
        return Ok(());
    };
    let separator = match items.first() {
        Some(Value::String(first)) if first.ends_with('\n') || first.ends_with('\r') => "",
        Some(Value::String(_)) | None => "\n",
        Some(_) => return Err("is a list holding something other than strings"),
    };
    join_all(value, separator)
}

/// Whether nbformat treats a mime type as JSON (left as is by `rejoin_lines`).
fn is_json_mime(mime: &str) -> bool {
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

/// nbformat v4 `_rejoin_mimebundle`.
fn rejoin_mimebundle(bundle: &mut Map) {
    for (mime, value) in bundle.iter_mut() {
        if is_json_mime(mime) {
            continue;
        }
        if let Value::Array(items) = value
            && items.iter().all(|i| matches!(i, Value::String(_)))
        {
            join_all(value, "").expect("all strings");
        }
    }
}

/// nbformat v4 `_split_mimebundle`.
fn split_mimebundle(bundle: &mut Map) {
    for (mime, value) in bundle.iter_mut() {
        if mime.starts_with("text/") || V4_SPLIT_MIMES.contains(&mime) {
            split_value(value);
        }
    }
}

/// A string becomes the list of its `splitlines(True)`; other values stay.
fn split_value(value: &mut Value) {
    if let Value::String(s) = value {
        let lines = splitlines(s).into_iter().map(|l| Value::String(l.to_owned())).collect();
        *value = Value::Array(lines);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(text: &str) -> String {
        String::from_utf8(Notebook::parse(text.as_bytes(), "t.ipynb").unwrap().into_bytes()).unwrap()
    }

    #[test]
    fn v4_lines_are_rejoined_then_split_python_style() {
        let text = r#"{"cells": [{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [
            {"output_type": "stream", "name": "stdout", "text": "a\r\nb\u2028c"},
            {"output_type": "display_data", "metadata": {}, "data": {"image/png": ["iVBO", "Rw0"], "text/plain": "x\ny", "application/json": ["a", "b"]}}
          ], "source": ["a", "b\n", "c"]}],
          "metadata": {"signature": "s", "orig_nbformat": 3}, "nbformat": 4, "nbformat_minor": 2}"#;
        let out = roundtrip(text);
        assert!(out.contains("\"source\": [\n    \"ab\\n\",\n    \"c\"\n   ]"), "{out}");
        assert!(
            out.contains("\"text\": [\n      \"a\\r\\n\",\n      \"b\u{2028}\",\n      \"c\"\n     ]"),
            "{out}"
        );
        assert!(out.contains("\"image/png\": \"iVBORw0\""), "{out}");
        assert!(
            out.contains("\"application/json\": [\n       \"a\",\n       \"b\"\n      ]"),
            "{out}"
        );
        assert!(!out.contains("signature") && !out.contains("orig_nbformat"), "{out}");
        assert!(out.ends_with("}\n") && !out.ends_with("\n\n"));
    }

    #[test]
    fn ids_are_added_from_4_5_deterministically() {
        let text = r#"{"cells": [{"cell_type": "markdown", "metadata": {}, "source": "a"},
            {"cell_type": "markdown", "metadata": {}, "source": "b", "id": "x"},
            {"cell_type": "markdown", "metadata": {}, "source": "c", "id": "x"}],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#;
        let a = Notebook::parse(text.as_bytes(), "t").unwrap();
        let ids: Vec<_> = a
            .cells()
            .iter()
            .map(|c| c.get("id").unwrap().as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids[1], "x");
        assert_ne!(ids[2], "x");
        assert_eq!(ids[0].len(), 8);
        assert_eq!(a, Notebook::parse(text.as_bytes(), "t").unwrap());
    }

    #[test]
    fn bad_input_is_named() {
        let err = |bytes: &[u8]| Notebook::parse(bytes, "nb.ipynb").unwrap_err().to_string();
        assert!(err(b"\xEF\xBB\xBF{}").contains("byte order mark"));
        assert!(err(b"{\"a\": \"\xff\"}").contains("not UTF-8 text: invalid byte at line 1, column 8"));
        assert!(err(b"{\"cells\": [").contains("nb.ipynb: invalid JSON at line 1, column 12"));
        assert!(err(b"").contains("empty"));
        assert!(err(b"[]").contains("top level is an array"));
        assert!(err(b"{}").contains("nbformat 1"));
        assert!(err(b"{\"nbformat\": 4, \"metadata\": {}}").contains("no `cells` array"));
        assert!(err(b"{\"nbformat\": \"4\"}").contains("nbformat \"4\" (a string)"));
        let e = err(br#"{"nbformat": 4, "metadata": {}, "cells": [{"cell_type": "code", "metadata": {}}]}"#);
        assert!(e.contains("cell 1 is a code cell without an `outputs` array"), "{e}");
    }
}
