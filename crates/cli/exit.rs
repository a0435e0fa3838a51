//! Exit codes, in one place. The hook blocks on both 1 and 2: a scan that could not run
//! must never look like a scan that found nothing.

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing found.
    Clean = 0,
    /// Secrets found (or a chained hook failed).
    Findings = 1,
    /// Usage, configuration or internal error.
    Error = 2,
}

impl ExitStatus {
    /// The worse of two outcomes.
    pub fn max(self, other: ExitStatus) -> ExitStatus {
        if other as i32 > self as i32 { other } else { self }
    }
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        std::process::ExitCode::from(status as u8)
    }
}
