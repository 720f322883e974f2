//! Rendering diagnostics: miette's graphical report for people, the
//! project's own JSON for programs.

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, Severity};
use serde_json::json;

/// How reports look.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// Line width.
    pub width: usize,
}

impl Style {
    /// Plain unicode, no colour, 80 columns: what tests snapshot.
    pub fn plain() -> Self {
        Style {
            color: false,
            width: 80,
        }
    }
}

/// One diagnostic as miette draws it.
pub fn render(diag: &dyn Diagnostic, style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // Never split at a hyphen: help lines end in `允许 cap-never-binds`,
    // which must survive copying from the terminal.
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
    let mut out = String::new();
    if handler
        .render_report(&mut out, &CharColumns::new(diag))
        .is_err()
    {
        out = format!("{diag}\n");
    }
    out
}

/// A diagnostic whose source reports columns in characters. miette counts
/// the bytes before a span for the `file:line:column` it draws, so a label
/// after Chinese text would say column 81 where the JSON, the LSP and an
/// editor say 31.
struct CharColumns<'a> {
    inner: &'a dyn Diagnostic,
    source: Option<CharSource<'a>>,
}

impl<'a> CharColumns<'a> {
    fn new(inner: &'a dyn Diagnostic) -> Self {
        CharColumns {
            inner,
            source: inner.source_code().map(CharSource),
        }
    }
}

impl std::fmt::Debug for CharColumns<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.inner, f)
    }
}

impl std::fmt::Display for CharColumns<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self.inner, f)
    }
}

impl std::error::Error for CharColumns<'_> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source()
    }
}

impl Diagnostic for CharColumns<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.inner.code()
    }
    fn severity(&self) -> Option<Severity> {
        self.inner.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.inner.help()
    }
    fn url<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.inner.url()
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.inner.labels()
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        self.inner.related()
    }
    fn diagnostic_source(&self) -> Option<&dyn Diagnostic> {
        self.inner.diagnostic_source()
    }
}

struct CharSource<'a>(&'a dyn miette::SourceCode);

impl miette::SourceCode for CharSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'b> + 'b>, miette::MietteError> {
        let contents = self
            .0
            .read_span(span, context_lines_before, context_lines_after)?;
        // Only a span read without lines before it starts mid-line; that is
        // the read whose column miette prints.
        if context_lines_before != 0 || contents.column() == 0 {
            return Ok(contents);
        }
        let offset = span.offset();
        let start = offset.saturating_sub(contents.column());
        let before =
            self.0
                .read_span(&miette::SourceSpan::new(start.into(), offset - start), 0, 0)?;
        let prefix = before.data().get(..offset - start).unwrap_or(before.data());
        let column = String::from_utf8_lossy(prefix).chars().count();
        let data = contents.data();
        let span = *contents.span();
        let (line, line_count) = (contents.line(), contents.line_count());
        Ok(Box::new(match contents.name() {
            Some(name) => miette::MietteSpanContents::new_named(
                name.to_string(),
                data,
                span,
                line,
                column,
                line_count,
            ),
            None => miette::MietteSpanContents::new(data, span, line, column, line_count),
        }))
    }
}

/// Where a diagnostic points: file, 1-based line and column (characters),
/// byte offset and length.
pub struct Position {
    /// File name.
    pub file: Option<String>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// Byte offset.
    pub offset: usize,
    /// Byte length.
    pub length: usize,
}

/// The position of a diagnostic's first label.
pub fn position(diag: &dyn Diagnostic) -> Option<Position> {
    let label = diag.labels()?.next()?;
    let src = diag.source_code()?;
    let offset = label.offset();
    let before = src
        .read_span(&miette::SourceSpan::new(0.into(), offset), 0, 0)
        .ok()?;
    let file = before.name().map(str::to_string);
    let text = String::from_utf8_lossy(before.data());
    let line = text.matches('\n').count() + 1;
    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some(Position {
        file,
        line,
        column,
        offset,
        length: label.len(),
    })
}

/// A list of one stage's errors as diagnostics, for rendering together.
pub fn as_dyn<E: Diagnostic>(errors: &[E]) -> Vec<&dyn Diagnostic> {
    errors.iter().map(|e| e as &dyn Diagnostic).collect()
}

/// The severity as a word.
pub fn severity(diag: &dyn Diagnostic) -> &'static str {
    match diag.severity() {
        Some(Severity::Warning) => "warning",
        Some(Severity::Advice) => "advice",
        Some(Severity::Error) | None => "error",
    }
}

/// One diagnostic in the project's JSON form (see docs/diagnostics.md).
pub fn to_json(diag: &dyn Diagnostic) -> serde_json::Value {
    let pos = position(diag);
    json!({
        "code": diag.code().map(|c| c.to_string()),
        "severity": severity(diag),
        "message": diag.to_string(),
        "file": pos.as_ref().and_then(|p| p.file.clone()),
        "line": pos.as_ref().map(|p| p.line),
        "column": pos.as_ref().map(|p| p.column),
        "span": pos.as_ref().map(|p| json!({"offset": p.offset, "length": p.length})),
        "help": diag.help().map(|h| h.to_string()),
    })
}
