//! JSON as Python's `json` module reads and writes it for nbformat: the only JSON codec
//! whose output can be byte-identical to nbstripout's.
//!
//! What differs from a general-purpose JSON crate, and why:
//!
//! - Objects keep insertion order and duplicate keys keep the *first* position with the
//!   *last* value (a Python `dict` filled by `json.loads`). Writers sort keys anyway; the
//!   order matters for nothing but faithful error-free round trips.
//! - Integers are kept as their decimal text (Python ints have no size limit) and `-0`
//!   becomes `0`, as `int("-0")` does. Floats are `f64`s written as Python's `repr`
//!   (`1e-05`, `1e+16`, `100.0`); `NaN`, `Infinity` and `-Infinity` are read and written
//!   unquoted, as Python does by default.
//! - Strings are Rust `String`s, so a lone UTF-16 surrogate escape (`"\ud800"`), which Python
//!   keeps and then fails to write as UTF-8, is a parse error here.
//! - Raw control characters inside strings are errors (Python's `strict=True`).
//! - Nesting deeper than [`MAX_DEPTH`] is an error instead of a stack overflow (Python
//!   raises `RecursionError` near 1000).
//!
//! The writer is `json.dumps(indent=1, sort_keys=True, separators=(",", ": "))` with either
//! `ensure_ascii=False` (nbformat 4) or `True` (nbformat 3).

use std::collections::HashMap;
use std::fmt::Write as _;

/// Deepest nesting of arrays and objects the parser accepts.
pub const MAX_DEPTH: usize = 512;

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null` (Python `None`).
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer, as normalised decimal text (arbitrary size).
    Int(String),
    /// A float (including `NaN` and the infinities).
    Float(Float),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, in insertion order.
    Object(Map),
}

/// An `f64` that compares by bits, so `NaN == NaN` as Python's identity-first container
/// comparison sees a value copied from itself.
#[derive(Debug, Clone, Copy)]
pub struct Float(pub f64);

impl PartialEq for Float {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}

impl Value {
    /// The object inside, if this is one.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The object inside, mutably.
    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The array inside, if this is one.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The array inside, mutably.
    pub fn as_array_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The string inside, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Python's `bool(value)`.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Int(digits) => digits != "0",
            Value::Float(f) => f.0 != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::Array(items) => !items.is_empty(),
            Value::Object(map) => !map.is_empty(),
        }
    }

    /// A short name of the JSON type, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// A JSON object: keys in insertion order, each once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Map {
    entries: Vec<(String, Value)>,
}

impl Map {
    /// An empty object.
    pub fn new() -> Map {
        Map::default()
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value of `key`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k == key)
    }

    /// Sets `key` (in place if present, else at the end) and returns the old value.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) -> Option<Value> {
        let key = key.into();
        match self.get_mut(&key) {
            Some(slot) => Some(std::mem::replace(slot, value)),
            None => {
                self.entries.push((key, value));
                None
            }
        }
    }

    /// Removes `key`, keeping the order of the others.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let at = self.entries.iter().position(|(k, _)| k == key)?;
        Some(self.entries.remove(at).1)
    }

    /// Entries in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Entries in insertion order, values mutable.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&str, &mut Value)> {
        self.entries.iter_mut().map(|(k, v)| (k.as_str(), v))
    }

    /// Values in insertion order.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.entries.iter().map(|(_, v)| v)
    }

    /// Values in insertion order, mutable.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Value> {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    /// Builds a map from parsed pairs: a repeated key keeps its first position and its last
    /// value, as a Python dict does.
    fn from_pairs(pairs: Vec<(String, Value)>) -> Map {
        // Small objects (nearly all of a notebook's) are checked pairwise; large ones hash.
        if pairs.len() <= 16 {
            let mut map = Map {
                entries: Vec::with_capacity(pairs.len()),
            };
            for (k, v) in pairs {
                map.insert(k, v);
            }
            return map;
        }
        let mut seen: HashMap<String, usize> = HashMap::with_capacity(pairs.len());
        let mut entries: Vec<(String, Value)> = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            match seen.get(&k) {
                Some(&at) => entries[at].1 = v,
                None => {
                    seen.insert(k.clone(), entries.len());
                    entries.push((k, v));
                }
            }
        }
        Map { entries }
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        Map::from_pairs(iter.into_iter().collect())
    }
}

/// Why the text is not JSON, and where (1-based line, 1-based column in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Line of the problem.
    pub line: usize,
    /// Column of the problem, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
    }
}

/// 1-based line and character column of byte offset `at` in `text`.
pub fn line_column(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Parses one JSON document (surrounding whitespace allowed, nothing else).
pub fn parse(text: &str) -> Result<Value, ParseError> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    parser.skip_ws();
    let value = parser.value()?;
    parser.skip_ws();
    if parser.pos < parser.bytes.len() {
        return Err(parser.error("extra data after the JSON document"));
    }
    Ok(value)
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> ParseError {
        self.error_at(self.pos, message)
    }

    fn error_at(&self, at: usize, message: &str) -> ParseError {
        let (line, column) = line_column(self.text, at);
        ParseError {
            line,
            column,
            message: message.to_owned(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn eat_literal(&mut self, literal: &str) -> bool {
        if self.bytes[self.pos..].starts_with(literal.as_bytes()) {
            self.pos += literal.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Result<Value, ParseError> {
        match self.peek() {
            None => Err(self.error("unexpected end of input: expecting a value (is the file truncated?)")),
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => Ok(Value::String(self.string()?)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'n') if self.eat_literal("null") => Ok(Value::Null),
            Some(b't') if self.eat_literal("true") => Ok(Value::Bool(true)),
            Some(b'f') if self.eat_literal("false") => Ok(Value::Bool(false)),
            Some(b'N') if self.eat_literal("NaN") => Ok(Value::Float(Float(f64::NAN))),
            Some(b'I') if self.eat_literal("Infinity") => Ok(Value::Float(Float(f64::INFINITY))),
            Some(_) => Err(self.error("expecting a value")),
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(&format!("nested deeper than {MAX_DEPTH} levels")));
        }
        self.pos += 1;
        Ok(())
    }

    fn object(&mut self) -> Result<Value, ParseError> {
        self.enter()?;
        let mut pairs = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Object(Map::new()));
        }
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'"') => {}
                None => return Err(self.error("unexpected end of input inside an object (is the file truncated?)")),
                Some(_) => return Err(self.error("expecting a property name in double quotes")),
            }
            let key = self.string()?;
            self.skip_ws();
            match self.peek() {
                Some(b':') => self.pos += 1,
                None => return Err(self.error("unexpected end of input inside an object (is the file truncated?)")),
                Some(_) => return Err(self.error("expecting ':' delimiter")),
            }
            self.skip_ws();
            let value = self.value()?;
            pairs.push((key, value));
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                None => return Err(self.error("unexpected end of input inside an object (is the file truncated?)")),
                Some(_) => return Err(self.error("expecting ',' delimiter")),
            }
        }
        self.depth -= 1;
        Ok(Value::Object(Map::from_pairs(pairs)))
    }

    fn array(&mut self) -> Result<Value, ParseError> {
        self.enter()?;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value()?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                None => return Err(self.error("unexpected end of input inside an array (is the file truncated?)")),
                Some(_) => return Err(self.error("expecting ',' delimiter")),
            }
        }
        self.depth -= 1;
        Ok(Value::Array(items))
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
            if self.eat_literal("Infinity") {
                return Ok(Value::Float(Float(f64::NEG_INFINITY)));
            }
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error_at(start, "expecting a value")),
        }
        let mut float = false;
        if self.peek() == Some(b'.') && self.bytes.get(self.pos + 1).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
            self.digits();
            float = true;
        }
        if let Some(b'e' | b'E') = self.peek() {
            let mut at = self.pos + 1;
            if let Some(b'+' | b'-') = self.bytes.get(at) {
                at += 1;
            }
            if self.bytes.get(at).is_some_and(u8::is_ascii_digit) {
                self.pos = at;
                self.digits();
                float = true;
            }
        }
        let raw = &self.text[start..self.pos];
        if float {
            let value: f64 = raw.parse().map_err(|_| self.error_at(start, "invalid number"))?;
            Ok(Value::Float(Float(value)))
        } else if raw == "-0" {
            Ok(Value::Int("0".to_owned()))
        } else {
            Ok(Value::Int(raw.to_owned()))
        }
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    fn string(&mut self) -> Result<String, ParseError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            // Long runs (base64 images) dominate large notebooks: skip 8 plain bytes at a
            // time while no byte of the word is a quote, a backslash or a control character.
            while let Some(chunk) = self.bytes.get(self.pos..self.pos + 8) {
                let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
                if has_special_byte(word) {
                    break;
                }
                self.pos += 8;
            }
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run_start..self.pos]);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(_) => return Err(self.error("invalid control character in a string")),
                None => {
                    return Err(self.error_at(open, "unterminated string (is the file truncated?)"));
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let at = self.pos;
        self.pos += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let unit = self.hex4(at)?;
                let c = if (0xD800..0xDC00).contains(&unit) && self.bytes[self.pos..].starts_with(b"\\u") {
                    let save = self.pos;
                    self.pos += 2;
                    let low = self.hex4(save)?;
                    if (0xDC00..0xE000).contains(&low) {
                        char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                    } else {
                        None
                    }
                } else {
                    char::from_u32(unit)
                };
                let c = c.ok_or_else(|| self.error_at(at, "lone UTF-16 surrogate escape (not valid Unicode text)"))?;
                out.push(c);
                return Ok(());
            }
            _ => return Err(self.error_at(at, "invalid \\escape")),
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self, escape_at: usize) -> Result<u32, ParseError> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .filter(|d| d.iter().all(u8::is_ascii_hexdigit))
            .ok_or_else(|| self.error_at(escape_at, "invalid \\uXXXX escape"))?;
        let text = std::str::from_utf8(digits).expect("hex digits are ASCII");
        self.pos += 4;
        Ok(u32::from_str_radix(text, 16).expect("four hex digits"))
    }
}

/// Whether any byte of `word` is `"`, `\\` or below 0x20 (SWAR: "has zero byte" on the
/// word XORed with each pattern, and "has byte less than" for the controls). May report a
/// special byte that is not there (then the byte loop decides), never miss one.
fn has_special_byte(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let quote = zero(word ^ (ONES * u64::from(b'"')));
    let backslash = zero(word ^ (ONES * u64::from(b'\\')));
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    (quote | backslash | control) != 0
}

/// How to write JSON.
#[derive(Debug, Clone, Copy)]
pub struct WriteOptions {
    /// Escape every non-ASCII character as `\uXXXX` (nbformat 3), or write it raw (4).
    pub ensure_ascii: bool,
}

/// `json.dumps(value, indent=1, sort_keys=True, separators=(",", ": "), ensure_ascii=…)`.
pub fn write(value: &Value, options: WriteOptions, out: &mut String) {
    write_value(value, 0, options, out);
}

fn indent(level: usize, out: &mut String) {
    out.push('\n');
    for _ in 0..level {
        out.push(' ');
    }
}

fn write_value(value: &Value, level: usize, options: WriteOptions, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Int(digits) => out.push_str(digits),
        Value::Float(f) => out.push_str(&float_repr(f.0)),
        Value::String(s) => write_string(s, options.ensure_ascii, out),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(level + 1, out);
                write_value(item, level + 1, options, out);
            }
            indent(level, out);
            out.push(']');
        }
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Object(map) => {
            out.push('{');
            let mut entries: Vec<(&str, &Value)> = map.iter().collect();
            // Rust orders `str` by UTF-8 bytes, which is code-point order: Python's order.
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(level + 1, out);
                write_string(key, options.ensure_ascii, out);
                out.push_str(": ");
                write_value(item, level + 1, options, out);
            }
            indent(level, out);
            out.push('}');
        }
    }
}

/// A JSON string literal the way Python's encoder writes it.
pub fn write_string(s: &str, ensure_ascii: bool, out: &mut String) {
    out.push('"');
    let bytes = s.as_bytes();
    let (mut i, mut run_start) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        if b >= 0x80 {
            if !ensure_ascii {
                i += 1;
                continue;
            }
            out.push_str(&s[run_start..i]);
            let c = s[i..].chars().next().expect("a char starts at a non-continuation byte");
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
            i += c.len_utf8();
            run_start = i;
            continue;
        }
        if b >= 0x20 && b != b'"' && b != b'\\' && !(ensure_ascii && b == 0x7F) {
            i += 1;
            continue;
        }
        out.push_str(&s[run_start..i]);
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0C => out.push_str("\\f"),
            _ => {
                let _ = write!(out, "\\u{b:04x}");
            }
        }
        i += 1;
        run_start = i;
    }
    out.push_str(&s[run_start..]);
    out.push('"');
}

/// Python's `repr(float)` as `json.dumps` writes it: the shortest digits that round-trip,
/// positional notation for decimal exponents in (-4, 16], scientific with a signed,
/// at-least-two-digit exponent outside it.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f == 0.0 {
        return format!("{sign}0.0");
    }
    // Rust's `{:e}` gives the shortest round-tripping digits, as Python's repr does.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exponent) = sci.split_once('e').expect("{:e} always has an exponent");
    let exponent: i32 = exponent.parse().expect("{:e} exponent is an integer");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let n = i32::try_from(digits.len()).expect("at most 17 digits");
    let point = exponent + 1;
    if -4 < point && point <= 16 {
        if point <= 0 {
            format!("{sign}0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
        } else if point >= n {
            format!("{sign}{digits}{}.0", "0".repeat((point - n) as usize))
        } else {
            let (int, frac) = digits.split_at(point as usize);
            format!("{sign}{int}.{frac}")
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{first}{dot}e{exp_sign}{:02}", exponent.unsigned_abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dumps(text: &str, ensure_ascii: bool) -> String {
        let mut out = String::new();
        write(&parse(text).unwrap(), WriteOptions { ensure_ascii }, &mut out);
        out
    }

    #[test]
    fn floats_are_written_as_python_repr() {
        let cases = [
            (0.1, "0.1"),
            (100.0, "100.0"),
            (1e-5, "1e-05"),
            (2.5e-7, "2.5e-07"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.5e300, "1.5e+300"),
            (5e-324, "5e-324"),
            (-0.0, "-0.0"),
            (0.0001, "0.0001"),
            (123.456, "123.456"),
            (1.0 / 3.0, "0.3333333333333333"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (-2.5, "-2.5"),
            (12345678901234567890.0, "1.2345678901234567e+19"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
        ];
        for (value, repr) in cases {
            assert_eq!(float_repr(value), repr, "{value:e}");
        }
    }

    #[test]
    fn numbers_round_trip_like_python() {
        assert_eq!(
            dumps("[1E+2, 1e400, -0, -0.0, 123456789012345678901234567890]", false),
            "[\n 100.0,\n Infinity,\n 0,\n -0.0,\n 123456789012345678901234567890\n]"
        );
        assert_eq!(dumps("[NaN, -Infinity]", false), "[\n NaN,\n -Infinity\n]");
    }

    #[test]
    fn strings_escape_like_python() {
        let text = r#"["a\"b\\c\/d\u00e4\n\r\t\b\f\u0001\u001f\u007f\u2028", "\ud83d\ude00"]"#;
        assert_eq!(
            dumps(text, false),
            "[\n \"a\\\"b\\\\c/d\u{e4}\\n\\r\\t\\b\\f\\u0001\\u001f\u{7f}\u{2028}\",\n \"\u{1f600}\"\n]"
        );
        assert_eq!(
            dumps(text, true),
            "[\n \"a\\\"b\\\\c/d\\u00e4\\n\\r\\t\\b\\f\\u0001\\u001f\\u007f\\u2028\",\n \"\\ud83d\\ude00\"\n]"
        );
    }

    #[test]
    fn keys_sort_by_code_point_and_duplicates_keep_the_last_value() {
        assert_eq!(
            dumps(r#"{"b": 1, "a": {"é": 1, "z": 2, "Z": 3}, "b": 2, "": []}"#, false),
            "{\n \"\": [],\n \"a\": {\n  \"Z\": 3,\n  \"z\": 2,\n  \"é\": 1\n },\n \"b\": 2\n}"
        );
    }

    #[test]
    fn errors_say_where() {
        let err = parse("{\n \"a\": 1,\n \"b\": tru\n}").unwrap_err();
        assert_eq!((err.line, err.column), (3, 7), "{err}");
        let err = parse("{\"a\": [1, 2").unwrap_err();
        assert!(err.message.contains("truncated"), "{err}");
        let err = parse("\"a\tb\"").unwrap_err();
        assert!(err.message.contains("control character"), "{err}");
        let err = parse("\"\\ud800\"").unwrap_err();
        assert!(err.message.contains("surrogate"), "{err}");
        assert!(parse("{} x").unwrap_err().message.contains("extra data"));
        assert!(
            parse(&"[".repeat(MAX_DEPTH + 1))
                .unwrap_err()
                .message
                .contains("nested")
        );
        assert!(parse("01").is_err());
        assert!(parse("1.").is_err());
        assert!(parse("-").is_err());
    }
}
