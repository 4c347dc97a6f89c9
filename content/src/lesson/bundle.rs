//! The lessons that come with GuestLab. The desktop build embeds the files of `lessons/` at
//! compile time (`build.rs`); the web build leaves them out of the `.wasm` (they are 300 KB of
//! it) and fetches them as one bundle file at start (`lessons.txt`, written by `web/build.sh`),
//! which the page installs with [`install`] before the app starts. Either way the app reads
//! them from [`EMBEDDED_LESSONS`].
//!
//! The bundle: a first line `guestlab-lessons 1`, then for each file its path (relative to
//! `lessons/`), a line with its length in bytes, and the bytes.

use std::sync::OnceLock;

// `COMPILED_LESSONS`: the files embedded at build time (none in a web build).
include!(concat!(env!("OUT_DIR"), "/embedded_lessons.rs"));

/// The first line of a bundle.
pub const BUNDLE_HEADER: &str = "guestlab-lessons 1";

/// The built-in lesson files as `(path relative to lessons/, text)`, sorted by path.
pub static EMBEDDED_LESSONS: Builtin = Builtin;

static INSTALLED: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();

/// The list behind [`EMBEDDED_LESSONS`]: the compiled-in files, or the installed bundle.
pub struct Builtin;

impl std::ops::Deref for Builtin {
    type Target = [(&'static str, &'static str)];

    fn deref(&self) -> &Self::Target {
        INSTALLED.get().map_or(COMPILED_LESSONS, Vec::as_slice)
    }
}

/// Why a bundle could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    #[error("not a GuestLab lesson bundle (the first line is not \"{BUNDLE_HEADER}\")")]
    Header,
    #[error("the bundle ends inside the entry of {0}")]
    Truncated(String),
    #[error("the length of {0} is not a number")]
    Length(String),
    #[error("{0} is not UTF-8 or its length cuts a character")]
    Text(String),
}

/// Reads a bundle into `(path, text)` pairs that borrow from it.
pub fn parse_bundle(bundle: &str) -> Result<Vec<(&str, &str)>, BundleError> {
    let rest = bundle.strip_prefix(BUNDLE_HEADER).and_then(|r| r.strip_prefix('\n')).ok_or(BundleError::Header)?;
    let mut rest = rest;
    let mut files = Vec::new();
    while !rest.is_empty() {
        let (path, after) = rest.split_once('\n').ok_or_else(|| BundleError::Truncated(rest.to_owned()))?;
        let (len, after) = after.split_once('\n').ok_or_else(|| BundleError::Truncated(path.to_owned()))?;
        let len: usize = len.trim().parse().map_err(|_| BundleError::Length(path.to_owned()))?;
        if after.len() < len {
            return Err(BundleError::Truncated(path.to_owned()));
        }
        if !after.is_char_boundary(len) {
            return Err(BundleError::Text(path.to_owned()));
        }
        files.push((path, &after[..len]));
        rest = &after[len..];
    }
    Ok(files)
}

/// Writes files as a bundle (what `web/build.sh` writes with `printf` and `cat`).
pub fn write_bundle<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = format!("{BUNDLE_HEADER}\n");
    for (path, text) in files {
        out.push_str(&format!("{path}\n{}\n{text}", text.len()));
    }
    out
}

/// Makes a fetched bundle the built-in lessons (web). The text is kept for the life of the
/// program, as embedded lessons are. Returns how many files it holds; a second call changes
/// nothing.
pub fn install(bundle: String) -> Result<usize, BundleError> {
    let bundle: &'static str = Box::leak(bundle.into_boxed_str());
    let files = parse_bundle(bundle)?;
    let count = files.len();
    let _ = INSTALLED.set(files);
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_round_trips_the_embedded_lessons() {
        let bundle = write_bundle(EMBEDDED_LESSONS.iter().copied());
        assert_eq!(parse_bundle(&bundle), Ok(EMBEDDED_LESSONS.to_vec()));
        assert!(EMBEDDED_LESSONS.len() >= 16, "{}", EMBEDDED_LESSONS.len());
    }

    #[test]
    fn the_shell_written_bundle_reads_with_byte_lengths() {
        // As web/build.sh writes it: printf '%s\n%d\n' PATH "$(wc -c < FILE)"; cat FILE.
        let bundle = "guestlab-lessons 1\nen/01-a.md\n6\nä\nb\n\nde/01-a.md\n0\n";
        assert_eq!(parse_bundle(bundle), Ok(vec![("en/01-a.md", "ä\nb\n\n"), ("de/01-a.md", "")]));
    }

    #[test]
    fn broken_bundles_are_errors() {
        assert_eq!(parse_bundle("<html>"), Err(BundleError::Header));
        assert_eq!(
            parse_bundle("guestlab-lessons 1\nen/a.md\n99\nshort"),
            Err(BundleError::Truncated("en/a.md".into()))
        );
        assert_eq!(parse_bundle("guestlab-lessons 1\nen/a.md\nten\n"), Err(BundleError::Length("en/a.md".into())));
        assert_eq!(parse_bundle("guestlab-lessons 1\nen/a.md\n1\nä"), Err(BundleError::Text("en/a.md".into())));
    }
}
