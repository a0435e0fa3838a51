//! The only module that writes to the terminal. Reports go to stdout for `scan` and to
//! stderr for hooks (git shows a hook's stderr; stdout is for data). A closed pipe is not an
//! error: `sealant scan | head` must not panic.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;

/// Where a command's report goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Writes text to the chosen stream, ignoring a closed pipe.
pub fn write(stream: Stream, text: &str) {
    let result = match stream {
        Stream::Stdout => std::io::stdout().lock().write_all(text.as_bytes()),
        Stream::Stderr => std::io::stderr().lock().write_all(text.as_bytes()),
    };
    // A closed pipe or a vanished terminal leaves nowhere to report to; the exit code
    // still tells the caller what happened.
    drop(result);
}

/// One line of information for people, on stderr.
pub fn note(text: &str) {
    write(Stream::Stderr, &format!("{text}\n"));
}
