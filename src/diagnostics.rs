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
    if handler.render_report(&mut out, diag).is_err() {
        out = format!("{diag}\n");
    }
    out
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
