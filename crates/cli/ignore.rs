//! `.sealant-ignore`: suppressions that do not rot.
//!
//! An entry names a finding by its fingerprint — a hash of rule and secret, never the secret
//! itself, never a line number — so it survives edits, moves, rebases and squashes, and it
//! means the same in pre-commit, pre-push and history scans. The file is built to merge
//! without conflicts: one entry a line, sorted, no timestamps other than an optional expiry:
//!
//! ```text
//! # fingerprint                     scope                  expiry             why
//! 3f1c…e9a0 path=tests/fixtures/**  expires=2027-01-31  # shared test key, rotated weekly
//! ```
//!
//! An entry with `path=` applies only to matching paths; an expired entry no longer
//! suppresses anything and the report says so.
//!
//! A repository switching from gitleaks keeps its `.gitleaksignore` working: its entries
//! (`commit:file:rule:line`, or `file:rule:line` for any commit) are honoured as gitleaks
//! honours them, by position. Position is a weaker key than content — a new secret written
//! on an ignored line stays ignored — so `sealant ignore --import-gitleaks` turns them into
//! fingerprint entries.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use globset::GlobMatcher;
use sealant_scan::engine::{Finding, gitleaks_rule_matches, path_glob};

/// The file name, at the repository root.
pub const IGNORE_FILE: &str = ".sealant-ignore";

/// gitleaks' ignore files, at the repository root: its own and Betterleaks' (its successor,
/// which reads both).
pub const GITLEAKS_IGNORE_FILES: &[&str] = &[".gitleaksignore", ".betterleaksignore"];

/// One line of `.gitleaksignore`: a gitleaks finding by position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitleaksEntry {
    /// The line as written.
    pub text: String,
    /// The commit, for entries from gitleaks' history scans; `None` matches every commit.
    pub commit: Option<String>,
    /// `/`-separated path from the repository root.
    pub path: String,
    /// gitleaks' rule id.
    pub rule: String,
    /// 1-based line of the finding.
    pub line: u32,
    /// The file the line is in (`.gitleaksignore` or `.betterleaksignore`).
    pub file: PathBuf,
}

impl GitleaksEntry {
    /// Parses `[commit:]file:rule:line`, from the right (paths may hold `:`); `None` for a
    /// line of another shape, which gitleaks could never match either.
    pub fn parse(text: &str) -> Option<GitleaksEntry> {
        let (rest, line) = text.rsplit_once(':')?;
        let line = line.trim().parse().ok().filter(|&n: &u32| n > 0)?;
        let (rest, rule) = rest.rsplit_once(':')?;
        let (commit, path) = match rest.split_once(':') {
            Some((commit, path)) if commit.len() >= 40 && commit.bytes().all(|b| b.is_ascii_hexdigit()) => {
                (Some(commit.to_ascii_lowercase()), path)
            }
            _ => (None, rest),
        };
        if path.is_empty() || rule.is_empty() {
            return None;
        }
        Some(GitleaksEntry {
            text: text.to_owned(),
            commit,
            path: path.replace('\\', "/"),
            rule: rule.to_owned(),
            line,
            file: PathBuf::from(GITLEAKS_IGNORE_FILES[0]),
        })
    }

    /// Whether the entry names this finding: same place (and commit, if it has one), and a
    /// rule that is this one or its gitleaks name (a rule id sealant does not know matches
    /// any rule at that place: gitleaks named the same finding differently).
    pub fn matches(&self, finding: &Finding) -> bool {
        finding.path == self.path
            && finding.line == self.line
            && self
                .commit
                .as_deref()
                .is_none_or(|c| finding.commit.as_deref().is_some_and(|f| f.eq_ignore_ascii_case(c)))
            && gitleaks_rule_matches(&self.rule, &finding.rule)
    }
}

/// One line of `.sealant-ignore`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The finding's fingerprint (32 lower-case hex digits).
    pub fingerprint: String,
    /// Limits the entry to paths matching this glob.
    pub path: Option<String>,
    /// `YYYY-MM-DD`; from that day on the entry no longer applies.
    pub expires: Option<String>,
    /// Why, for people reading the file.
    pub note: Option<String>,
}

impl Entry {
    /// Parses one non-comment line.
    pub fn parse(line: &str) -> anyhow::Result<Entry> {
        let (body, note) = match line.split_once(" #") {
            Some((body, note)) => (body, Some(note.trim().to_owned()).filter(|n| !n.is_empty())),
            None => (line, None),
        };
        let mut words = body.split_whitespace();
        let fingerprint = words.next().context("an empty entry")?.to_owned();
        if fingerprint.len() != 32
            || !fingerprint
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        {
            bail!("`{fingerprint}` is not a fingerprint (32 lower-case hex digits, as in `--format json`)");
        }
        let mut entry = Entry {
            fingerprint,
            path: None,
            expires: None,
            note,
        };
        for word in words {
            match word.split_once('=') {
                Some(("path", glob)) => {
                    path_glob(glob).map_err(anyhow::Error::msg)?;
                    entry.path = Some(glob.to_owned());
                }
                Some(("expires", date)) => {
                    check_date(date)?;
                    entry.expires = Some(date.to_owned());
                }
                _ => bail!("unknown field `{word}` (expected path=GLOB or expires=YYYY-MM-DD)"),
            }
        }
        Ok(entry)
    }

    /// The entry as one line of the file.
    pub fn to_line(&self) -> String {
        let mut line = self.fingerprint.clone();
        if let Some(path) = &self.path {
            line.push_str(&format!(" path={path}"));
        }
        if let Some(date) = &self.expires {
            line.push_str(&format!(" expires={date}"));
        }
        if let Some(note) = &self.note {
            line.push_str(&format!("  # {note}"));
        }
        line
    }

    fn is_expired(&self, today: &str) -> bool {
        self.expires.as_deref().is_some_and(|d| d <= today)
    }
}

/// `YYYY-MM-DD` with plausible numbers.
pub fn check_date(date: &str) -> anyhow::Result<()> {
    let parts: Vec<&str> = date.split('-').collect();
    let ok = matches!(parts.as_slice(), [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&d.parse::<u32>().unwrap_or(0)));
    if ok {
        Ok(())
    } else {
        bail!("`{date}` is not a date like 2027-01-31")
    }
}

/// The entries of one `.sealant-ignore`, compiled.
#[derive(Debug, Default)]
pub struct Ignores {
    /// Where they came from.
    pub file: Option<PathBuf>,
    entries: Vec<(Entry, Option<GlobMatcher>)>,
    /// The gitleaks ignore files read.
    pub gitleaks_files: Vec<PathBuf>,
    /// Lines of those files that are not gitleaks fingerprints (skipped, as gitleaks would
    /// never match them; `doctor` counts them).
    pub gitleaks_malformed: usize,
    gitleaks: Vec<GitleaksEntry>,
    today: String,
}

/// What happened to a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// No entry applies.
    Reported,
    /// Suppressed by this entry.
    Ignored(Entry),
    /// An entry matched but expired on this date: reported.
    Expired(Entry),
    /// Suppressed by a `.gitleaksignore` line.
    IgnoredByGitleaks(GitleaksEntry),
}

impl Ignores {
    /// Reads `<root>/.sealant-ignore` and, with `gitleaks`, `<root>/.gitleaksignore` and
    /// `<root>/.betterleaksignore`: what a scan's findings are filtered by.
    pub fn load_all(root: Option<&Path>, gitleaks: bool) -> anyhow::Result<Ignores> {
        let mut ignores = Ignores::load(root)?;
        let Some(root) = root.filter(|_| gitleaks) else {
            return Ok(ignores);
        };
        for name in GITLEAKS_IGNORE_FILES {
            let file = root.join(name);
            let text = match std::fs::read(&file) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e).with_context(|| format!("cannot read {}", file.display())),
            };
            for line in text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
            {
                // A line of another shape could never match in gitleaks either: counted, not fatal.
                match GitleaksEntry::parse(line) {
                    Some(entry) => ignores.gitleaks.push(GitleaksEntry {
                        file: file.clone(),
                        ..entry
                    }),
                    None => ignores.gitleaks_malformed += 1,
                }
            }
            ignores.gitleaks_files.push(file);
        }
        Ok(ignores)
    }

    /// The `.gitleaksignore` entries read.
    pub fn gitleaks_entries(&self) -> &[GitleaksEntry] {
        &self.gitleaks
    }

    /// Reads `<root>/.sealant-ignore` if there is one; errors name the file and line.
    pub fn load(root: Option<&Path>) -> anyhow::Result<Ignores> {
        let Some(root) = root else {
            return Ok(Ignores::default());
        };
        let file = root.join(IGNORE_FILE);
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Ignores::default()),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", file.display())),
        };
        let mut ignores = Ignores::parse(&text).with_context(|| file.display().to_string())?;
        ignores.file = Some(file);
        Ok(ignores)
    }

    /// Parses the text of an ignore file.
    pub fn parse(text: &str) -> anyhow::Result<Ignores> {
        let mut entries = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let entry = Entry::parse(line).with_context(|| format!("line {}", n + 1))?;
            let glob = entry
                .path
                .as_deref()
                .map(path_glob)
                .transpose()
                .map_err(anyhow::Error::msg)?;
            entries.push((entry, glob));
        }
        Ok(Ignores {
            file: None,
            entries,
            gitleaks_files: Vec::new(),
            gitleaks_malformed: 0,
            gitleaks: Vec::new(),
            today: today(),
        })
    }

    /// The entries, in file order.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().map(|(e, _)| e)
    }

    /// What the file says about a finding.
    pub fn verdict(&self, finding: &Finding) -> Verdict {
        let matching = self.entries.iter().find(|(e, glob)| {
            e.fingerprint == finding.fingerprint && glob.as_ref().is_none_or(|g| g.is_match(&finding.path))
        });
        match matching {
            None => match self.gitleaks.iter().find(|g| g.matches(finding)) {
                Some(g) => Verdict::IgnoredByGitleaks(g.clone()),
                None => Verdict::Reported,
            },
            Some((e, _)) if e.is_expired(&self.today) => Verdict::Expired(e.clone()),
            Some((e, _)) => Verdict::Ignored(e.clone()),
        }
    }

    /// The entries no finding matches (by fingerprint and path), in file order.
    pub fn stale(&self, findings: &[Finding]) -> Vec<Entry> {
        self.entries
            .iter()
            .filter(|(e, glob)| {
                !findings
                    .iter()
                    .any(|f| f.fingerprint == e.fingerprint && glob.as_ref().is_none_or(|g| g.is_match(&f.path)))
            })
            .map(|(e, _)| e.clone())
            .collect()
    }

    /// Drops ignored findings; returns the expired entries that matched, for a note.
    pub fn filter(&self, findings: &mut Vec<Finding>) -> Vec<Entry> {
        let mut expired = Vec::new();
        findings.retain(|f| match self.verdict(f) {
            Verdict::Reported => true,
            Verdict::Ignored(_) | Verdict::IgnoredByGitleaks(_) => false,
            Verdict::Expired(e) => {
                expired.push(e);
                true
            }
        });
        expired.dedup();
        expired
    }
}

/// The file's text for `entries`: a header, then one sorted, deduplicated line each.
pub fn render(entries: &[Entry]) -> String {
    let mut lines: Vec<String> = entries.iter().map(Entry::to_line).collect();
    lines.sort();
    lines.dedup();
    let mut text = String::from(
        "# sealant ignore file: one finding per line, by fingerprint (a hash of rule and secret).\n\
         # Add with `sealant ignore FINGERPRINT [--path GLOB] [--expires YYYY-MM-DD]`;\n\
         # `sealant ignore --prune` removes entries that match nothing any more.\n",
    );
    for line in lines {
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// Writes the ignore file atomically.
pub fn write(file: &Path, entries: &[Entry]) -> anyhow::Result<()> {
    let dir = file.parent().context("the ignore file has a directory")?;
    let mut temp =
        tempfile::NamedTempFile::new_in(dir).with_context(|| format!("cannot write in {}", dir.display()))?;
    std::io::Write::write_all(&mut temp, render(entries).as_bytes())?;
    temp.persist(file)
        .with_context(|| format!("cannot write {}", file.display()))?;
    Ok(())
}

/// Today's date (UTC) as `YYYY-MM-DD`, from the system clock.
pub fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0);
    civil_from_days(days as i64)
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FP: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn entries_round_trip() {
        let line = format!("{FP} path=tests/** expires=2027-01-31  # shared fixture");
        let entry = Entry::parse(&line).unwrap();
        assert_eq!(entry.path.as_deref(), Some("tests/**"));
        assert_eq!(entry.expires.as_deref(), Some("2027-01-31"));
        assert_eq!(entry.note.as_deref(), Some("shared fixture"));
        assert_eq!(entry.to_line(), line);
    }

    #[test]
    fn bad_lines_say_what_is_wrong() {
        for (line, says) in [
            ("nothex", "not a fingerprint"),
            (&format!("{FP} expires=2027-13-01") as &str, "not a date"),
            (&format!("{FP} owner=me"), "unknown field"),
            (&format!("{FP} path=a["), "not valid"),
        ] {
            let err = format!("{:#}", Ignores::parse(&format!("# c\n{line}\n")).unwrap_err());
            assert!(err.contains("line 2") && err.contains(says), "{err}");
        }
    }

    #[test]
    fn rendering_sorts_and_deduplicates() {
        let a = Entry::parse(&format!("{FP} path=b")).unwrap();
        let b = Entry::parse(&"f".repeat(32)).unwrap();
        let text = render(&[b.clone(), a.clone(), b]);
        let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(lines, [a.to_line(), "f".repeat(32)]);
    }

    #[test]
    fn gitleaks_entries_parse_from_the_right() {
        let commit = "0123456789abcdef0123456789abcdef01234567";
        let entry = GitleaksEntry::parse(&format!("{commit}:src/a:b.py:generic-api-key:12")).unwrap();
        assert_eq!(entry.commit.as_deref(), Some(commit));
        assert_eq!(
            (entry.path.as_str(), entry.rule.as_str(), entry.line),
            ("src/a:b.py", "generic-api-key", 12)
        );
        let entry = GitleaksEntry::parse("config\\app.env:aws-access-token:3").unwrap();
        assert_eq!((entry.commit, entry.path.as_str()), (None, "config/app.env"));
        for bad in [
            "",
            "a.py",
            "a.py:rule",
            "a.py:rule:x",
            ":rule:3",
            "a.py::3",
            "a.py:rule:0",
        ] {
            assert_eq!(GitleaksEntry::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn dates_come_from_days() {
        assert_eq!(civil_from_days(0), "1970-01-01");
        assert_eq!(civil_from_days(19_723), "2024-01-01");
        assert_eq!(civil_from_days(20_513), "2026-03-01");
        assert!(today().starts_with("20"));
    }
}
