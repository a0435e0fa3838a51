//! A cheap "could this path match?" for a glob: the literal text every match must contain.
//!
//! Compiling a glob into a matcher costs about as much as compiling a regex (~0.3 M
//! instructions), and an ordinary commit touches no path that a path-scoped rule (`.env*`,
//! `**/mlruns/**/meta.yaml`) is for. So a glob is compiled only for a path holding one of its
//! required literals: `.env` for `**/.env*`, one of `id_rsa`, `id_dsa`, ... for
//! `**/{id_rsa,id_dsa}`. The test is sound — it never rejects a path the glob matches — and
//! gives up (no prefilter) where it cannot be sure.

/// Brace expansions beyond this many alternatives are not worth prefiltering.
const MAX_ALTERNATIVES: usize = 64;

/// The literals of which every path matching `glob` (as globset reads it, case-sensitive)
/// contains at least one; `None` when there is no such guarantee, for instance when an
/// alternative is made of wildcards only.
pub(crate) fn required_literals(glob: &str) -> Option<Vec<String>> {
    let mut literals = Vec::new();
    for alternative in expand(glob, 0)? {
        let run = longest_literal_run(&alternative)?;
        if run.is_empty() {
            return None;
        }
        if !literals.contains(&run) {
            literals.push(run);
        }
    }
    Some(literals)
}

/// `a{b,c}d` → `abd`, `acd`, recursively; `None` past [`MAX_ALTERNATIVES`] or on an
/// unbalanced brace.
fn expand(glob: &str, depth: usize) -> Option<Vec<String>> {
    if depth > 8 {
        return None;
    }
    let Some((open, close)) = first_group(glob)? else {
        return Some(vec![glob.to_owned()]);
    };
    let (prefix, inner, suffix) = (&glob[..open], &glob[open + 1..close], &glob[close + 1..]);
    let mut out = Vec::new();
    for piece in split_top_level(inner) {
        out.extend(expand(&format!("{prefix}{piece}{suffix}"), depth + 1)?);
        if out.len() > MAX_ALTERNATIVES {
            return None;
        }
    }
    Some(out)
}

/// Byte offsets of the first top-level `{` and its matching `}` (outside escapes and
/// character classes); `Some(None)` when there is no group, `None` when unbalanced.
fn first_group(glob: &str) -> Option<Option<(usize, usize)>> {
    let bytes = glob.as_bytes();
    let (mut i, mut open, mut depth) = (0, None, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => i = class_end(bytes, i)?,
            b'{' => {
                if depth == 0 {
                    open = Some(i);
                }
                depth += 1;
            }
            b'}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    return Some(Some((open?, i)));
                }
            }
            _ => {}
        }
        i += 1;
    }
    if depth == 0 { Some(None) } else { None }
}

/// Splits a group's content at the commas not nested in another group.
fn split_top_level(inner: &str) -> Vec<&str> {
    let bytes = inner.as_bytes();
    let (mut pieces, mut start, mut depth, mut i) = (Vec::new(), 0, 0usize, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 0 => {
                pieces.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    pieces.push(&inner[start..]);
    pieces
}

/// The offset of the `]` closing the class that opens at `open`; `None` if it never closes.
fn class_end(bytes: &[u8], open: usize) -> Option<usize> {
    let mut i = open + 1;
    if matches!(bytes.get(i), Some(b'!' | b'^')) {
        i += 1;
    }
    if bytes.get(i) == Some(&b']') {
        i += 1;
    }
    while i < bytes.len() {
        if bytes[i] == b']' {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The longest run of literal characters in a brace-free glob. `**` takes its neighbouring
/// `/` with it (`a/**/b` matches `a/b`, `**/x` matches `x`); `None` on an unclosed class.
fn longest_literal_run(glob: &str) -> Option<String> {
    let chars: Vec<char> = glob.chars().collect();
    let (mut best, mut run) = (String::new(), String::new());
    let mut flush = |run: &mut String| {
        if run.chars().count() > best.chars().count() {
            best.clone_from(run);
        }
        run.clear();
    };
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                if let Some(&c) = chars.get(i + 1) {
                    run.push(c);
                }
                i += 2;
            }
            '*' if chars.get(i + 1) == Some(&'*') => {
                if run.ends_with('/') {
                    run.pop();
                }
                flush(&mut run);
                i += 2;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
            }
            '*' | '?' | '{' | '}' | ',' => {
                flush(&mut run);
                i += 1;
            }
            '[' => {
                flush(&mut run);
                let bytes: Vec<u8> = chars[i..]
                    .iter()
                    .map(|&c| if c.is_ascii() { c as u8 } else { b'x' })
                    .collect();
                i += class_end(&bytes, 0)? + 1;
            }
            c => {
                run.push(c);
                i += 1;
            }
        }
    }
    flush(&mut run);
    Some(best)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::allow::anchored;

    #[test]
    fn literals_come_from_every_alternative() {
        assert_eq!(required_literals("**/.env*"), Some(vec![".env".to_owned()]));
        assert_eq!(
            required_literals("**/{id_rsa,id_dsa}"),
            Some(vec!["id_rsa".to_owned(), "id_dsa".to_owned()])
        );
        assert_eq!(
            required_literals("**/wandb/**/config.yaml"),
            Some(vec!["config.yaml".to_owned()])
        );
        assert_eq!(
            required_literals("**/*.{key,p12}"),
            Some(vec![".key".to_owned(), ".p12".to_owned()])
        );
        assert_eq!(required_literals("**/*"), None, "an alternative of wildcards only");
        assert_eq!(required_literals("**/{a,*}"), None);
        assert_eq!(required_literals("**/[ab"), None, "an unclosed class gives up");
        assert_eq!(required_literals("**/\\*.txt"), Some(vec!["*.txt".to_owned()]));
    }

    proptest::proptest! {
        /// Whatever a user writes as a glob, the prefilter never panics, and when it gives
        /// literals, no path the glob matches lacks all of them.
        #[test]
        fn any_glob_is_handled(pattern in r"[\\\[\]{}*?!,/a-c.]{0,24}", path in "[a-c./]{0,12}") {
            let glob = anchored(&pattern);
            if let (Some(literals), Ok(matcher)) = (required_literals(&glob), crate::engine::path_glob(&pattern))
                && matcher.is_match(&path)
            {
                proptest::prop_assert!(literals.iter().any(|l| path.contains(l.as_str())), "{} {:?}", path, literals);
            }
        }
    }

    /// Paths a glob matches, made by expanding it and filling each wildcard.
    fn samples(glob: &str) -> Vec<String> {
        let mut out = Vec::new();
        for alternative in expand(glob, 0).unwrap() {
            for (star, globstar) in [("x", "a/b"), ("", "")] {
                let filled = alternative
                    .replace("**/", &format!("{globstar}/"))
                    .replace("/**", &format!("/{globstar}"))
                    .replace('*', star)
                    .replace('?', "q")
                    .replace("//", "/");
                let filled = filled.trim_start_matches('/').to_owned();
                // Character classes: take each class's first member.
                let mut path = String::new();
                let mut chars = filled.chars();
                while let Some(c) = chars.next() {
                    if c == '[' {
                        let first = chars.next().unwrap();
                        for d in chars.by_ref() {
                            if d == ']' {
                                break;
                            }
                        }
                        path.push(first);
                    } else {
                        path.push(c);
                    }
                }
                out.push(format!("deep/dir/{path}"));
                out.push(path);
            }
        }
        out
    }

    #[test]
    fn the_prefilter_never_rejects_a_path_a_builtin_glob_matches() {
        let mut checked = 0;
        for (_, spec) in crate::engine::builtin::specs() {
            let Some(pattern) = spec.path else { continue };
            let glob = anchored(&pattern);
            let matcher = crate::engine::path_glob(&pattern).unwrap();
            let literals = required_literals(&glob);
            assert!(literals.is_some(), "{pattern}: builtin globs should all prefilter");
            for path in samples(&glob) {
                if matcher.is_match(&path) {
                    checked += 1;
                    assert!(
                        literals.as_ref().unwrap().iter().any(|l| path.contains(l.as_str())),
                        "{pattern}: {path} matches but holds none of {literals:?}"
                    );
                }
            }
        }
        assert!(
            checked > 40,
            "only {checked} sample paths matched: the sampler is broken"
        );
    }
}
