//! The one error type of this crate. Every variant names the file (the `origin` the caller
//! gave: a path, `<stdin>`, or a staged path) and says what is wrong in words a person can
//! act on; JSON errors also say where.

/// Why a notebook could not be read or stripped. Nothing is ever written when one occurs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes start with a UTF-8 byte order mark, which JSON (and nbformat) rejects.
    #[error(
        "{origin}: starts with a UTF-8 byte order mark; notebooks are UTF-8 without one (re-save it, or strip the first 3 bytes)"
    )]
    Bom {
        /// The file.
        origin: String,
    },
    /// The bytes are not UTF-8.
    #[error("{origin}: not UTF-8 text: invalid byte at line {line}, column {column}")]
    Utf8 {
        /// The file.
        origin: String,
        /// 1-based line of the first invalid byte.
        line: usize,
        /// 1-based column (in characters) of the first invalid byte.
        column: usize,
    },
    /// The text is not JSON.
    #[error("{origin}: invalid JSON at line {line}, column {column}: {message}")]
    Json {
        /// The file.
        origin: String,
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// The JSON is not shaped like a notebook.
    #[error("{origin}: not a valid notebook: {message}")]
    Schema {
        /// The file.
        origin: String,
        /// What is missing or of the wrong type.
        message: String,
    },
    /// An nbformat version this crate does not read.
    #[error("{origin}: nbformat {version} is not supported (sealant reads nbformat 3 and 4)")]
    Unsupported {
        /// The file.
        origin: String,
        /// The `nbformat` value found.
        version: String,
    },
    /// nbstripout's `MetadataError`: a cell says both "keep" and "don't keep" its output.
    #[error("{origin}: cell {cell}: cell metadata contradicts tags: `keep_output` is false, but `keep_output` in tags")]
    MetadataContradiction {
        /// The file.
        origin: String,
        /// 1-based cell number.
        cell: usize,
    },
}
