//! sealant-notebook: Jupyter notebooks read, stripped and written exactly as nbstripout
//! 0.9.1 (with nbformat 5.11) does, and their text laid out cell by cell for the scanner.
//!
//! - [`json`]: a JSON codec that behaves like Python's `json` (raw big integers, Python
//!   float `repr`, sorted keys, one-space indent, `ensure_ascii` per version);
//! - [`Notebook`]: the nbformat 3/4 model, every unknown key kept;
//! - [`strip()`] with [`StripOptions`]: nbstripout's `strip_output`;
//! - [`parts()`]: the cell sources and output texts the secret scanner reads.
//!
//! It knows nothing of files, git or the scanner: bytes in, bytes out.
//!
//! ```
//! use sealant_notebook::{StripOptions, strip_bytes};
//!
//! let dirty = br#"{"cells": [{"cell_type": "code", "execution_count": 4, "id": "a1",
//!   "metadata": {"scrolled": true}, "outputs": [{"output_type": "stream", "name": "stdout",
//!   "text": ["hi\n"]}], "source": ["print('hi')"]}], "metadata": {}, "nbformat": 4,
//!   "nbformat_minor": 5}"#;
//! let stripped = strip_bytes(dirty, &StripOptions::default(), "demo.ipynb").unwrap();
//! assert!(stripped.outcome.changed);
//! assert_eq!(stripped.outcome.cells[0].outputs, 1);
//! let text = String::from_utf8(stripped.bytes).unwrap();
//! assert!(text.contains("\"execution_count\": null") && text.contains("\"outputs\": []"));
//! assert!(text.contains("\"id\": \"0\"") && text.ends_with("}\n"));
//! ```

mod error;
pub mod json;
mod model;
mod parts;
mod strip;
mod text;

pub use error::Error;
pub use model::Notebook;
pub use parts::{Part, parts};
/// The regex type of [`StripOptions::strip_regex`].
pub use regex::Regex;
pub use strip::{CellChange, DEFAULT_EXTRA_KEYS, StripOptions, StripOutcome, parse_size, strip};
pub use text::{is_python_space, splitlines};

/// A stripped notebook: its new bytes and what changed.
#[derive(Debug, Clone)]
pub struct Stripped {
    /// The notebook as nbstripout would write it (always canonical, even if unchanged).
    pub bytes: Vec<u8>,
    /// What stripping did; `changed == false` means an in-place write would be skipped.
    pub outcome: StripOutcome,
}

/// Parses, strips and serialises in one go. `origin` names the input in errors.
pub fn strip_bytes(input: &[u8], options: &StripOptions, origin: &str) -> Result<Stripped, Error> {
    let mut nb = Notebook::parse(input, origin)?;
    let outcome = strip(&mut nb, options, origin)?;
    Ok(Stripped {
        bytes: nb.into_bytes(),
        outcome,
    })
}
