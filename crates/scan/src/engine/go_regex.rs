//! Go's regular expressions (RE2, as gitleaks writes them) in the syntax and meaning of
//! Rust's `regex` crate.
//!
//! The two syntaxes are nearly one, with a difference that matters: Go's `\w`, `\d`, `\s` and
//! `\b` are ASCII, Rust's are Unicode. Beyond meaning, a Unicode `\w` under a counted
//! repetition (`[\w.=-]{10,150}`, in gitleaks' own `generic-api-key`) compiles past the
//! `regex` crate's size limit, so such a rule would not load at all. They are rewritten to
//! their ASCII classes here, and Go's `\Q…\E` literal quoting, which Rust lacks, is escaped.

/// Go's `\w`, `\d` and `\s` as class members.
const WORD: &str = "0-9A-Za-z_";
const DIGIT: &str = "0-9";
const SPACE: &str = r"\t\n\f\r ";

/// `pattern`, a Go regular expression, as an equivalent Rust one.
pub(crate) fn translate(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 16);
    // Inside a character class, and whether the next `]` is its first member (literal).
    let (mut in_class, mut class_start) = (false, false);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && i + 1 < chars.len() {
            let next = chars[i + 1];
            i += 2;
            if next == 'Q' {
                let end = find_quote_end(&chars, i);
                let literal: String = chars[i..end].iter().collect();
                out.push_str(&regex::escape(&literal));
                i = (end + 2).min(chars.len());
                continue;
            }
            if in_class {
                match class_member(next) {
                    Some(members) => {
                        out.push_str(members);
                        // `[\w-.]`: the dash after a class is a literal dash, not a range.
                        if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|&n| n != ']') {
                            out.push_str(r"\-");
                            i += 1;
                        }
                    }
                    None => {
                        out.push('\\');
                        out.push(next);
                    }
                }
                class_start = false;
            } else {
                match perl_class(next) {
                    Some(class) => out.push_str(&class),
                    None => {
                        out.push('\\');
                        out.push(next);
                    }
                }
            }
            continue;
        }
        if !in_class && (c == '{' || c == '}') {
            // Go reads a brace that does not make a repetition (`{{ .Values }}`) as itself;
            // Rust rejects it.
            match repetition_end(&chars, i) {
                Some(end) if c == '{' => {
                    out.extend(&chars[i..=end]);
                    i = end + 1;
                }
                _ => {
                    out.push('\\');
                    out.push(c);
                    i += 1;
                }
            }
            continue;
        }
        out.push(c);
        i += 1;
        match c {
            '[' if !in_class => {
                in_class = true;
                class_start = true;
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
            }
            '[' if in_class && chars.get(i) == Some(&':') => {
                // A POSIX class (`[:alpha:]`) inside a bracket: copy it whole.
                if let Some(end) = (i..chars.len().saturating_sub(1)).find(|&j| chars[j] == ':' && chars[j + 1] == ']')
                {
                    out.extend(&chars[i..end + 2]);
                    i = end + 2;
                }
                class_start = false;
            }
            ']' if in_class && !class_start => in_class = false,
            _ => class_start = false,
        }
    }
    out
}

/// The offset of the `}` closing a repetition (`{2}`, `{2,}`, `{2,5}`) that opens at `open`.
fn repetition_end(chars: &[char], open: usize) -> Option<usize> {
    if chars.get(open) != Some(&'{') {
        return None;
    }
    let mut i = open + 1;
    let digits = |i: &mut usize| {
        let start = *i;
        while chars.get(*i).is_some_and(char::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return None;
    }
    if chars.get(i) == Some(&',') {
        i += 1;
        digits(&mut i);
    }
    (chars.get(i) == Some(&'}')).then_some(i)
}

/// Where the `\E` closing a `\Q` quote starting at `from` is (the end of the pattern if none).
fn find_quote_end(chars: &[char], from: usize) -> usize {
    (from..chars.len().saturating_sub(1))
        .find(|&j| chars[j] == '\\' && chars[j + 1] == 'E')
        .unwrap_or(chars.len())
}

/// An escape outside a class, when Go and Rust read it differently.
fn perl_class(escape: char) -> Option<String> {
    Some(match escape {
        'w' => format!("[{WORD}]"),
        'W' => format!("[^{WORD}]"),
        'd' => format!("[{DIGIT}]"),
        'D' => format!("[^{DIGIT}]"),
        's' => format!("[{SPACE}]"),
        'S' => format!("[^{SPACE}]"),
        'b' => r"(?-u:\b)".to_owned(),
        'B' => r"(?-u:\B)".to_owned(),
        _ => return None,
    })
}

/// An escape inside a class that can be spelled as members (`\W` and friends cannot, and keep
/// Rust's meaning).
fn class_member(escape: char) -> Option<&'static str> {
    match escape {
        'w' => Some(WORD),
        'd' => Some(DIGIT),
        's' => Some(SPACE),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    #[test]
    fn perl_classes_become_ascii() {
        assert_eq!(translate(r"\w+"), "[0-9A-Za-z_]+");
        assert_eq!(translate(r"[\w.-]{8}"), "[0-9A-Za-z_.-]{8}");
        assert_eq!(translate(r"[\w-.]"), r"[0-9A-Za-z_\-.]");
        assert_eq!(translate(r"\bkey\b"), r"(?-u:\b)key(?-u:\b)");
        assert_eq!(translate(r"[^\s]"), r"[^\t\n\f\r ]");
        assert_eq!(translate(r"[]\d]"), "[]0-9]");
        assert_eq!(translate(r"[[:alpha:]\d]"), "[[:alpha:]0-9]");
        assert_eq!(translate(r"\x60\.\\w"), r"\x60\.\\w", "escaped backslashes stay");
        assert_eq!(translate(r"\Qa.b*\Ec"), r"a\.b\*c");
        assert_eq!(translate(r"a{2,5}b{3}c{1,}"), r"a{2,5}b{3}c{1,}");
        assert_eq!(translate(r"\$?{{[^}]+}}"), r"\$?\{\{[^}]+\}\}");
        assert_eq!(translate(r"x{y}"), r"x\{y\}");
    }

    #[test]
    fn meaning_follows_go() {
        let re = Regex::new(&translate(r"^\w+$")).unwrap();
        assert!(re.is_match("api_KEY_09"));
        assert!(!re.is_match("clé"), "Go's \\w is ASCII");
        let re = Regex::new(&translate(r"\btoken\b")).unwrap();
        assert!(re.is_match("a token here") && !re.is_match("atokens"));
    }

    proptest::proptest! {
        /// Whatever a user writes, translating never panics, and a pattern Rust accepts
        /// without Perl classes, escapes or braces is left as it is.
        #[test]
        fn any_text_translates_without_panic(pattern in ".{0,60}") {
            let out = translate(&pattern);
            if !pattern.contains(['\\', '{', '}']) {
                proptest::prop_assert_eq!(out, pattern);
            }
        }

        #[test]
        fn regex_shaped_text_translates_without_panic(pattern in r"[\\\[\]{}()wdsbQE:^,.*+?a-c0-9-]{0,40}") {
            let _ = Regex::new(&translate(&pattern));
        }
    }

    #[test]
    fn gitleaks_generic_rule_compiles_within_the_size_limit() {
        let generic = r#"(?i)[\w.-]{0,50}?(?:access|auth|(?-i:[Aa]pi|API)|credential|creds|key|passw(?:or)?d|secret|token)(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'"\s=]{0,5}([\w.=-]{10,150}|[a-z0-9][a-z0-9+/]{11,}={0,3})(?:[\x60'"\s;]|\\[nr]|$)"#;
        assert!(Regex::new(generic).is_err(), "as Unicode it is over the limit");
        let re = Regex::new(&translate(generic)).unwrap();
        // Built here so the file holds no assignment that looks live.
        let value = ["q8Zr2LmX", "0vT7bN4k", "W1sYp9Dc"].concat();
        let line = format!("my_api_key = \"{value}\"");
        assert_eq!(&re.captures(&line).unwrap()[1], value);
    }
}
