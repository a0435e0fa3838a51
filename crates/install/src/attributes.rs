//! The notebook filter's wiring: `filter.sealant.*` config and the `*.ipynb filter=sealant`
//! attribute line, added once and removed exactly.

use std::path::Path;

use crate::error::{Error, io};
use crate::hookfile::shell_quote;

/// The attribute line that sends notebooks through sealant's clean filter.
pub const NOTEBOOK_ATTRIBUTE: &str = "*.ipynb filter=sealant";

/// The `filter.sealant.*` entries: a long-running process for `git add`/`git status`, the
/// single-file clean command as fallback, and `required` so a missing filter fails loudly
/// instead of staging outputs.
pub fn filter_entries(binary: &Path) -> Vec<(String, String)> {
    let bin = shell_quote(&binary.to_string_lossy());
    vec![
        ("filter.sealant.process".into(), format!("{bin} filter-process")),
        ("filter.sealant.clean".into(), format!("{bin} strip")),
        ("filter.sealant.required".into(), "true".into()),
    ]
}

/// Appends `line` to the attributes file unless it is there; returns whether it was added.
pub fn add_line(file: &Path, line: &str) -> Result<bool, Error> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(Error::Io {
                path: file.to_path_buf(),
                source,
            });
        }
    };
    if text.lines().any(|l| l.trim() == line) {
        return Ok(false);
    }
    let mut new = text;
    if !new.is_empty() && !new.ends_with('\n') {
        new.push('\n');
    }
    new.push_str(line);
    new.push('\n');
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    std::fs::write(file, new).map_err(io(file))?;
    Ok(true)
}

/// Removes `line` (every occurrence) from the attributes file; other lines stay as they are.
pub fn remove_line(file: &Path, line: &str) -> Result<(), Error> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(Error::Io {
                path: file.to_path_buf(),
                source,
            });
        }
    };
    let kept: String = text.split_inclusive('\n').filter(|l| l.trim() != line).collect();
    if kept != text {
        std::fs::write(file, kept).map_err(io(file))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_added_once_and_removed_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("git/attributes");
        assert!(add_line(&file, NOTEBOOK_ATTRIBUTE).unwrap());
        assert!(!add_line(&file, NOTEBOOK_ATTRIBUTE).unwrap());
        std::fs::write(&file, "*.png binary\n*.ipynb filter=sealant\n*.csv -diff").unwrap();
        remove_line(&file, NOTEBOOK_ATTRIBUTE).unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "*.png binary\n*.csv -diff");
    }
}
