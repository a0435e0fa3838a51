//! Scanned lines come from other people's files. Before one is printed to a terminal, every
//! control, bidirectional-override and zero-width character is shown as an escape, so a
//! line cannot move the cursor, recolour the screen or hide text (as fd's `sanitize.rs`).

/// `text` with invisible and control characters escaped as `\u{…}` (tab becomes a space).
pub fn for_terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => out.push(' '),
            c if c.is_control() || is_invisible(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

fn is_invisible(c: char) -> bool {
    matches!(u32::from(c), 0x200b..=0x200f | 0x202a..=0x202e | 0x2066..=0x2069 | 0xfeff)
}

#[cfg(test)]
mod tests {
    use super::for_terminal;

    #[test]
    fn escapes_what_could_fool_a_terminal() {
        assert_eq!(for_terminal("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(for_terminal("x\u{202e}y\r"), "x\\u{202e}y\\u{d}");
        assert_eq!(for_terminal("tab\there é"), "tab here é");
    }
}
