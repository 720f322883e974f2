//! The texts the editor has open (unsaved edits win over the disk) and
//! the mapping between `file:` URIs and paths.
#![expect(
    clippy::result_large_err,
    reason = "errors of reading and parsing a file carry their source to render anywhere; they happen once per file, never per row"
)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::Uri;
use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

use crate::load::{self, LoadError};
use crate::source::SourceFile;

/// Characters escaped in a path segment of a URI (RFC 3986 pchar, less
/// `:`, which VS Code also escapes).
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b':');

/// The open documents, by path.
#[derive(Debug, Default, Clone)]
pub(super) struct Documents {
    open: HashMap<PathBuf, String>,
    /// The last text of each that parsed: a file being typed is mostly
    /// broken, and completion still needs what it includes and declares.
    parsed: HashMap<PathBuf, String>,
}

impl Documents {
    /// Opens or replaces a document's text.
    pub(super) fn set(&mut self, path: &Path, text: String) {
        let source = SourceFile::new(path.display().to_string(), text.clone());
        if crate::syntax::parse(&source).is_ok() {
            self.parsed.insert(normal(path), text.clone());
        }
        self.open.insert(normal(path), text);
    }

    /// The documents as they were when each last parsed.
    pub(super) fn last_parsed(&self) -> Documents {
        let mut open = self.open.clone();
        for (p, t) in &self.parsed {
            open.insert(p.clone(), t.clone());
        }
        Documents {
            open,
            parsed: self.parsed.clone(),
        }
    }

    /// Closes a document: the disk is read again.
    pub(super) fn close(&mut self, path: &Path) {
        self.open.remove(&normal(path));
        self.parsed.remove(&normal(path));
    }

    /// Paths of the open documents.
    pub(super) fn paths(&self) -> impl Iterator<Item = &PathBuf> {
        self.open.keys()
    }

    /// Reads a file as the loader does, the editor's text first.
    pub(super) fn read(&self, path: &Path) -> Result<SourceFile, LoadError> {
        match self.open.get(&normal(path)) {
            Some(text) => Ok(SourceFile::new(path.display().to_string(), text.clone())),
            None => load::read_source(path),
        }
    }
}

/// A path as the documents are keyed: made absolute and canonical when
/// the file exists (an `引用` may reach it by `../`).
pub(super) fn normal(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// The path of a `file:` URI.
pub(super) fn path_of(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // Drop the authority (`file://host/…`); local files have none.
    let path = rest.get(rest.find('/')?..)?;
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    // `/c:/Users/…` on Windows.
    let bytes = decoded.as_bytes();
    let windows = bytes.get(2) == Some(&b':') && bytes.get(1).is_some_and(u8::is_ascii_alphabetic);
    let path = if windows {
        decoded.get(1..).unwrap_or(&decoded).to_string()
    } else {
        decoded.into_owned()
    };
    Some(PathBuf::from(path))
}

/// The `file:` URI of a path.
pub(super) fn uri_of(path: &Path) -> Option<Uri> {
    let text = path.to_string_lossy().replace('\\', "/");
    let encoded: String = text
        .split('/')
        .map(|seg| utf8_percent_encode(seg, PATH).to_string())
        .collect::<Vec<_>>()
        .join("/");
    let lead = if encoded.starts_with('/') { "" } else { "/" };
    Uri::from_str(&format!("file://{lead}{encoded}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_survive_the_round_trip_through_uris() {
        let p = PathBuf::from("/政策/科技 企业#1.zc");
        let uri = uri_of(&p).unwrap();
        assert_eq!(
            uri.as_str(),
            "file:///%E6%94%BF%E7%AD%96/%E7%A7%91%E6%8A%80%20%E4%BC%81%E4%B8%9A%231.zc"
        );
        assert_eq!(path_of(&uri), Some(p));
        let win = Uri::from_str("file:///c%3A/zc/a.zc").ok();
        assert_eq!(
            win.as_ref().and_then(path_of),
            Some(PathBuf::from("c:/zc/a.zc"))
        );
    }
}
