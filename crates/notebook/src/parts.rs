//! Cell-aware text for the secret scanner: each cell's source and each output's text,
//! JSON-unescaped, with where it came from, so a finding reads `cell 7, output 2, line 3`
//! instead of a line of the JSON file.
//!
//! Scanned: sources (v3 `input` too), stream text, `text/*` data, `application/javascript`,
//! `image/svg+xml`, JSON outputs (`application/json`, `application/*+json`, written out as
//! pretty JSON), error outputs (`ename: evalue` and the traceback, ANSI colour codes
//! removed), v3 outputs' text fields. Not scanned: base64 payloads (`image/png`, `image/jpeg`,
//! attachments), which are not text, and metadata.

use crate::json::{self, Value, WriteOptions};
use crate::model::Notebook;

/// One piece of text of a notebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// 1-based cell number.
    pub cell: usize,
    /// 1-based output number within the cell; `None` for the cell's source.
    pub output: Option<usize>,
    /// What the text is: `source`, `stream`, `text/plain`, `traceback`, ….
    pub kind: String,
    /// The text, unescaped.
    pub text: String,
}

impl Part {
    /// `cell 7` or `cell 7, output 2`: where the part is, for reports.
    pub fn location(&self) -> String {
        match self.output {
            Some(output) => format!("cell {}, output {output}", self.cell),
            None => format!("cell {}", self.cell),
        }
    }
}

/// Every scannable text of the notebook, in cell order.
pub fn parts(nb: &Notebook) -> Vec<Part> {
    let mut parts = Vec::new();
    for (i, cell) in nb.cells().into_iter().enumerate() {
        let number = i + 1;
        for key in ["source", "input"] {
            if let Some(text) = cell.get(key).and_then(joined) {
                parts.push(Part {
                    cell: number,
                    output: None,
                    kind: "source".to_owned(),
                    text,
                });
            }
        }
        let Some(Value::Array(outputs)) = cell.get("outputs") else {
            continue;
        };
        for (o, output) in outputs.iter().filter_map(Value::as_object).enumerate() {
            let mut push = |kind: &str, text: String| {
                if !text.is_empty() {
                    parts.push(Part {
                        cell: number,
                        output: Some(o + 1),
                        kind: kind.to_owned(),
                        text,
                    });
                }
            };
            let kind = output.get("output_type").and_then(Value::as_str).unwrap_or("");
            if kind == "error" || kind == "pyerr" {
                let name = output.get("ename").and_then(Value::as_str).unwrap_or("");
                let value = output.get("evalue").and_then(Value::as_str).unwrap_or("");
                push("error", format!("{name}: {value}"));
                if let Some(Value::Array(lines)) = output.get("traceback") {
                    let lines: Vec<&str> = lines.iter().filter_map(Value::as_str).collect();
                    push("traceback", strip_ansi(&lines.join("\n")));
                }
                continue;
            }
            if let Some(text) = output.get("text").and_then(joined) {
                push(if kind == "stream" { "stream" } else { "text" }, text);
            }
            if let Some(Value::Object(data)) = output.get("data") {
                for (mime, value) in data.iter() {
                    if let Some(text) = mime_text(mime, value) {
                        push(mime, text);
                    }
                }
            }
            // nbformat 3 keeps mime data at the output's top level.
            for key in ["html", "svg", "latex", "javascript", "markdown"] {
                if let Some(text) = output.get(key).and_then(joined) {
                    push(key, text);
                }
            }
            if let Some(value) = output.get("json") {
                push("json", json_text(value));
            }
        }
    }
    parts
}

/// A string, or a list of strings joined (as a v3 list or an unusual v4 one).
fn joined(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => Some(items.iter().filter_map(Value::as_str).collect()),
        _ => None,
    }
}

/// The text of one mime bundle entry, `None` for binary payloads.
fn mime_text(mime: &str, value: &Value) -> Option<String> {
    let textual = mime.starts_with("text/") || mime == "application/javascript" || mime == "image/svg+xml";
    let json_mime = mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"));
    if json_mime {
        return Some(json_text(value));
    }
    if textual { joined(value) } else { None }
}

fn json_text(value: &Value) -> String {
    if let Value::String(s) = value {
        return s.clone();
    }
    let mut out = String::new();
    json::write(value, WriteOptions { ensure_ascii: false }, &mut out);
    out
}

/// Removes ANSI escape sequences (tracebacks are coloured), keeping line breaks.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            while let Some(&n) = chars.peek() {
                chars.next();
                if ('@'..='~').contains(&n) {
                    break;
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_name_cells_and_outputs_and_skip_images() {
        let text = br##"{"cells": [
          {"cell_type": "markdown", "metadata": {}, "source": ["# Title\n", "key here"]},
          {"cell_type": "code", "execution_count": 3, "metadata": {}, "source": "print(k)", "outputs": [
            {"output_type": "stream", "name": "stdout", "text": ["line one\n", "tok\u00e9n\n"]},
            {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBORw0KGgo=", "text/html": "<b>x</b>", "application/json": {"k": "v"}}},
            {"output_type": "error", "ename": "HTTPError", "evalue": "401", "traceback": ["\u001b[0;31mHTTPError\u001b[0m", "line 2"]}
          ]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"##;
        let nb = Notebook::parse(text, "a.ipynb").unwrap();
        let parts = parts(&nb);
        let summary: Vec<(String, &str, &str)> = parts
            .iter()
            .map(|p| (p.location(), p.kind.as_str(), p.text.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("cell 1".to_owned(), "source", "# Title\nkey here"),
                ("cell 2".to_owned(), "source", "print(k)"),
                ("cell 2, output 1".to_owned(), "stream", "line one\ntokén\n"),
                ("cell 2, output 2".to_owned(), "text/html", "<b>x</b>"),
                ("cell 2, output 2".to_owned(), "application/json", "{\n \"k\": \"v\"\n}"),
                ("cell 2, output 3".to_owned(), "error", "HTTPError: 401"),
                ("cell 2, output 3".to_owned(), "traceback", "HTTPError\nline 2"),
            ]
        );
    }
}
