//! Regexes compiled on first use.
//!
//! Most rules never see a candidate in a given commit, and compiling every regex up front
//! would dominate the hook's start-up: the 185 builtin rules, or the 218 of a `.gitleaks.toml`
//! copied from gitleaks' defaults (about 165 ms). What must fail at load time still does: a
//! user's regex is either compiled there (`.sealant.toml`, a handful) or parsed there, which
//! catches every syntax error for a fraction of the cost (`.gitleaks.toml`).

use std::sync::OnceLock;

use regex::Regex;

/// A regex and, once something asked for it, its compiled form.
#[derive(Debug, Clone)]
pub struct LazyRegex {
    source: String,
    compiled: OnceLock<Regex>,
}

impl LazyRegex {
    /// A regex to compile on first use, unchecked (builtin rules are proven by their tests).
    pub(crate) fn new(source: String) -> Self {
        LazyRegex {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// A regex compiled now.
    pub(crate) fn compiled(source: String) -> Result<Self, regex::Error> {
        let regex = Regex::new(&source)?;
        let lazy = LazyRegex::new(source);
        lazy.compiled.set(regex).expect("the cell was just created empty");
        Ok(lazy)
    }

    /// A regex whose syntax is checked now and that is compiled on first use. Returns it
    /// with its number of capture groups (without the implicit whole-match group).
    pub(crate) fn parsed(source: String) -> Result<(Self, usize), String> {
        // The syntax tree only: translating it (Unicode case folding above all) would cost
        // ten times the parse, and a regex of gitleaks' defaults has several `(?i)`.
        let ast = regex_syntax::ast::parse::Parser::new()
            .parse(&source)
            .map_err(|e| e.to_string())?;
        let groups = regex_syntax::ast::visit(&ast, CaptureCount(0)).unwrap_or(0);
        Ok((LazyRegex::new(source), groups))
    }

    /// The regex as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The compiled regex; one that does not compile never matches (builtin regexes are
    /// proven by the builtin-rules test, user regexes are checked when the config loads and
    /// compiled in full by `sealant doctor`).
    pub fn get(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            Regex::new(&self.source)
                .unwrap_or_else(|_| Regex::new(r"[^\s\S]").expect("the never-matching regex compiles"))
        })
    }

    /// Whether the regex matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.get().is_match(text)
    }

    /// Compiles the regex in full (size limits included), reporting why it cannot be.
    pub fn check(&self) -> Result<(), regex::Error> {
        Regex::new(&self.source).map(drop)
    }
}

/// Counts the capture groups of a syntax tree.
struct CaptureCount(usize);

impl regex_syntax::ast::Visitor for CaptureCount {
    type Output = usize;
    type Err = std::convert::Infallible;

    fn finish(self) -> Result<usize, Self::Err> {
        Ok(self.0)
    }

    fn visit_pre(&mut self, ast: &regex_syntax::ast::Ast) -> Result<(), Self::Err> {
        if let regex_syntax::ast::Ast::Group(group) = ast
            && group.capture_index().is_some()
        {
            self.0 += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_catches_syntax_and_counts_groups() {
        let (re, groups) = LazyRegex::parsed(r"(a)(?:b)(?P<c>c)".into()).unwrap();
        assert_eq!(groups, 2);
        assert!(re.compiled.get().is_none(), "not compiled yet");
        assert!(re.is_match("abc"));
        assert!(LazyRegex::parsed("(unclosed".into()).unwrap_err().contains("unclosed"));
        let huge = LazyRegex::parsed(r"\w{1000}\w{1000}".into()).unwrap().0;
        assert!(huge.check().is_err(), "size limits show only when compiled");
        assert!(!huge.is_match("x"), "and a regex that cannot compile never matches");
    }
}
