//! Source files and spans: every diagnostic carries its own text, so it can
//! be rendered anywhere (CLI, REPL, tests) without a side table.

use std::sync::Arc;

use miette::{NamedSource, SourceSpan};

/// A loaded text: a policy file, a facts file or a line typed at the REPL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The name shown in diagnostics (a path as given, or `<repl>`).
    pub name: Arc<str>,
    /// The whole text.
    pub text: Arc<str>,
}

impl SourceFile {
    /// Wraps a name and a text.
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        SourceFile {
            name: name.into(),
            text: text.into(),
        }
    }

    /// The source in the form miette renders.
    pub fn named(&self) -> NamedSource<Arc<str>> {
        NamedSource::new(self.name.as_ref(), Arc::clone(&self.text))
    }

    /// The file at `index` of a stage's files, as miette renders it: the
    /// one place a diagnostic's file number becomes its text. An index out
    /// of range (which the stages never make) renders as an empty `?`.
    pub fn named_in(files: &[SourceFile], index: usize) -> NamedSource<Arc<str>> {
        files
            .get(index)
            .map_or_else(|| NamedSource::new("?", Arc::from("")), SourceFile::named)
    }

    /// The text covered by `span`, or "" when the span does not fit (it
    /// always fits for spans made from this file).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let before = self.text.get(..offset).unwrap_or(&self.text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        (line, col)
    }
}

/// Where the lines of a text start, for finding many line numbers in one
/// text: `SourceFile::line_col` scans from the start each time, which is
/// quadratic when every clause of a large file asks.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// Byte offset of the start of each line after the first.
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes a text.
    pub fn new(text: &str) -> Self {
        LineIndex {
            starts: text.match_indices('\n').map(|(i, _)| i + 1).collect(),
        }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) + 1
    }
}

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers nothing.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

impl From<Span> for SourceSpan {
    fn from(span: Span) -> Self {
        SourceSpan::new(span.start.into(), span.len())
    }
}

/// A node together with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The node.
    pub node: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Pairs a node with its span.
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }

    /// Transforms the node, keeping the span.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Spanned<U> {
        Spanned::new(f(self.node), self.span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_index_agrees_with_line_col() {
        let f = SourceFile::new("t", "甲\n\n乙丙\r\n丁");
        let index = LineIndex::new(&f.text);
        for offset in (0..=f.text.len()).filter(|&o| f.text.is_char_boundary(o)) {
            assert_eq!(index.line(offset), f.line_col(offset).0, "at {offset}");
        }
    }
}
