//! What kind of bytes a file holds: text to scan, binary to skip (git's NUL heuristic), or a
//! Git LFS pointer whose real content is elsewhere. Shared by staged and file scans.

/// How many leading bytes git inspects for a NUL when it decides a blob is binary.
const BINARY_PROBE: usize = 8000;

/// The first line of every Git LFS pointer file.
const LFS_POINTER_HEADER: &[u8] = b"version https://git-lfs.github.com/spec/v1";

/// Pointer files are tiny; anything larger is real content that happens to start alike.
const LFS_POINTER_MAX: usize = 1024;

/// The kind of content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// Scannable text (possibly not UTF-8; scanned lossily).
    Text,
    /// Contains a NUL byte in its first 8000 bytes, as git decides.
    Binary,
    /// A Git LFS pointer.
    LfsPointer,
}

/// Classifies `bytes` the way git's diff machinery would.
pub fn classify(bytes: &[u8]) -> Content {
    if bytes.len() <= LFS_POINTER_MAX && bytes.starts_with(LFS_POINTER_HEADER) {
        return Content::LfsPointer;
    }
    if bytes[..bytes.len().min(BINARY_PROBE)].contains(&0) {
        return Content::Binary;
    }
    Content::Text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_like_git() {
        assert_eq!(classify(b"plain\ntext"), Content::Text);
        assert_eq!(classify(b""), Content::Text);
        assert_eq!(classify(b"\x89PNG\r\n\x1a\n\0\0"), Content::Binary);
        let mut late_nul = vec![b'a'; BINARY_PROBE];
        late_nul.push(0);
        assert_eq!(
            classify(&late_nul),
            Content::Text,
            "git only looks at the first 8000 bytes"
        );
        let pointer = b"version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 12345\n";
        assert_eq!(classify(pointer), Content::LfsPointer);
        assert_eq!(classify(b"\xff\xfe not utf-8"), Content::Text);
    }
}
