//! Python's notion of lines and whitespace, which nbformat's line splitting and
//! nbstripout's empty-cell test depend on. Rust's `lines()` and `char::is_whitespace` differ
//! from both.

/// Python's `str.splitlines(keepends=True)`: line boundaries are `\n`, `\r`, `\r\n`, `\v`,
/// `\f`, `\x1c`, `\x1d`, `\x1e`, `\x85`, `\u2028` and `\u2029`. `""` gives no lines.
pub fn splitlines(s: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let end = match c {
            '\r' => match iter.peek() {
                Some(&(_, '\n')) => {
                    iter.next();
                    i + 2
                }
                _ => i + 1,
            },
            '\n' | '\u{b}' | '\u{c}' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                i + c.len_utf8()
            }
            _ => continue,
        };
        lines.push(&s[start..end]);
        start = end;
    }
    if start < s.len() {
        lines.push(&s[start..]);
    }
    lines
}

/// Python's `str.isspace()` for one character: Unicode White_Space plus the information
/// separators `\x1c`–`\x1f`.
pub fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_python() {
        assert_eq!(splitlines(""), Vec::<&str>::new());
        assert_eq!(splitlines("a"), ["a"]);
        assert_eq!(splitlines("a\n"), ["a\n"]);
        assert_eq!(splitlines("a\r\nb\rc\nd"), ["a\r\n", "b\r", "c\n", "d"]);
        assert_eq!(splitlines("\n\n"), ["\n", "\n"]);
        assert_eq!(
            splitlines("a\u{b}b\u{c}c\u{1c}d\u{1d}e\u{1e}f\u{85}g\u{2028}h\u{2029}i\u{1f}j"),
            [
                "a\u{b}",
                "b\u{c}",
                "c\u{1c}",
                "d\u{1d}",
                "e\u{1e}",
                "f\u{85}",
                "g\u{2028}",
                "h\u{2029}",
                "i\u{1f}j"
            ]
        );
        assert_eq!(splitlines("\r"), ["\r"]);
        assert_eq!(splitlines("\r\r\n"), ["\r", "\r\n"]);
    }

    #[test]
    fn whitespace_like_python() {
        for c in [
            ' ', '\t', '\n', '\u{b}', '\u{1c}', '\u{1f}', '\u{85}', '\u{a0}', '\u{3000}',
        ] {
            assert!(is_python_space(c), "{c:?}");
        }
        for c in ['a', '\u{200b}', '\u{0}'] {
            assert!(!is_python_space(c), "{c:?}");
        }
    }
}
