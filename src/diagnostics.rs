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

/// Many diagnostics drawn as [`render`] draws each, with every source they
/// point into indexed once: miette reads a label's context by scanning its
/// source from byte 0, which is quadratic over the thousands of
/// diagnostics of one large file.
pub fn render_all(diags: &[&dyn Diagnostic], style: Style) -> Vec<String> {
    let mut sources: std::collections::HashMap<(usize, Option<String>), Lines<'_>> =
        std::collections::HashMap::new();
    diags
        .iter()
        .map(|d| {
            let Some(lines) = Lines::of(*d, &mut sources) else {
                return render(*d, style);
            };
            render(&Indexed0 { inner: *d, lines }, style)
        })
        .collect()
}

/// A source's bytes, its name and where its lines start, for [`render_all`].
#[derive(Debug, Clone)]
struct Lines<'a> {
    text: &'a [u8],
    name: Option<String>,
    /// Where each line after the first starts, after every line break as
    /// miette counts them (`\n`, `\r\n`, a lone `\r`).
    starts: std::sync::Arc<Vec<usize>>,
}

impl<'a> Lines<'a> {
    fn of(
        d: &'a dyn Diagnostic,
        sources: &mut std::collections::HashMap<(usize, Option<String>), Lines<'a>>,
    ) -> Option<Lines<'a>> {
        let src = d.source_code()?;
        let head = src
            .read_span(&miette::SourceSpan::new(0.into(), 0), 0, 0)
            .ok()?;
        let name = head.name().map(str::to_string);
        let key = (head.data().as_ptr() as usize, name.clone());
        if let Some(l) = sources.get(&key) {
            return Some(l.clone());
        }
        let all = src
            .read_span(&miette::SourceSpan::new(0.into(), 0), 0, usize::MAX)
            .ok()?;
        let text = all.data();
        let mut starts = Vec::new();
        let mut i = 0;
        while let Some(at) = memchr::memchr2(b'\n', b'\r', text.get(i..).unwrap_or(&[])) {
            let at = i + at;
            let crlf = text.get(at) == Some(&b'\r') && text.get(at + 1) == Some(&b'\n');
            i = at + if crlf { 2 } else { 1 };
            starts.push(i);
        }
        let lines = Lines {
            text,
            name,
            starts: std::sync::Arc::new(starts),
        };
        sources.insert(key, lines.clone());
        Some(lines)
    }
}

impl miette::SourceCode for Lines<'_> {
    /// What reading the whole text gives, reading from a line start
    /// `before` lines above the span: miette's own reader on the rest of
    /// the text, its offsets and line numbers moved by what was skipped.
    fn read_span<'b>(
        &'b self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'b> + 'b>, miette::MietteError> {
        // Lines that end before the span starts.
        let line = self.starts.partition_point(|&s| s <= span.offset());
        let skip_lines = line.saturating_sub(before);
        let from = skip_lines
            .checked_sub(1)
            .and_then(|i| self.starts.get(i))
            .copied()
            .unwrap_or(0);
        let rest = self.text.get(from..).unwrap_or(&[]);
        let inner = miette::SourceSpan::new((span.offset() - from).into(), span.len());
        let c = <[u8] as miette::SourceCode>::read_span(rest, &inner, before, after)?;
        let at = miette::SourceSpan::new((c.span().offset() + from).into(), c.span().len());
        let (line, column, count) = (
            c.line() + skip_lines,
            c.column(),
            c.line_count() + skip_lines,
        );
        let data = c.data();
        Ok(Box::new(match &self.name {
            Some(n) => {
                miette::MietteSpanContents::new_named(n.clone(), data, at, line, column, count)
            }
            None => miette::MietteSpanContents::new(data, at, line, column, count),
        }))
    }
}

/// A diagnostic with its source read through [`Lines`].
struct Indexed0<'a> {
    inner: &'a dyn Diagnostic,
    lines: Lines<'a>,
}

impl std::fmt::Debug for Indexed0<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.inner, f)
    }
}

impl std::fmt::Display for Indexed0<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self.inner, f)
    }
}

impl std::error::Error for Indexed0<'_> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source()
    }
}

impl Diagnostic for Indexed0<'_> {
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
        Some(&self.lines)
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
            source: inner.source_code().map(CharSource::new),
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
        let labels = self.inner.labels()?;
        let Some(source) = &self.source else {
            return Some(labels);
        };
        Some(Box::new(labels.map(move |l| source.clip(l))))
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        self.inner.related()
    }
    fn diagnostic_source(&self) -> Option<&dyn Diagnostic> {
        self.inner.diagnostic_source()
    }
}

/// Bytes of a line past which the drawn snippet is a window of it: a
/// 768 KB facts key or a 40 MB register header drawn whole is megabytes
/// of standard error that nobody reads.
const LONG_LINE: usize = 600;

/// Bytes a window keeps on either side of its span.
const WINDOW_SIDE: usize = 240;

/// Bytes of a long line's label that are underlined.
const LABEL_KEEP: usize = 240;

/// A source that reports columns in characters (see [`CharColumns`]) and
/// draws long lines as a window around the span, with `…` where it cuts.
struct CharSource<'a> {
    inner: &'a dyn miette::SourceCode,
    /// The windows read so far, `…` and all: what a read returns borrows
    /// from the source, so a window's bytes live as long as it does. A
    /// render reads a few spans per label; past the last slot a window is
    /// drawn without its `…`.
    windows: [std::sync::OnceLock<Vec<u8>>; 32],
    next: std::sync::atomic::AtomicUsize,
}

impl miette::SourceCode for CharSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'b> + 'b>, miette::MietteError> {
        let contents = self
            .inner
            .read_span(span, context_lines_before, context_lines_after)?;
        // Only a span read without lines before it starts mid-line; that is
        // the read whose column miette prints.
        if context_lines_before != 0 || contents.column() == 0 {
            return Ok(self.window(contents, span));
        }
        let offset = span.offset();
        let start = offset.saturating_sub(contents.column());
        let before =
            self.inner
                .read_span(&miette::SourceSpan::new(start.into(), offset - start), 0, 0)?;
        let prefix = before.data().get(..offset - start).unwrap_or(before.data());
        let column = String::from_utf8_lossy(prefix).chars().count();
        let data = contents.data();
        let span = *contents.span();
        let (line, line_count) = (contents.line(), contents.line_count());
        let contents: Box<dyn miette::SpanContents<'b> + 'b> = Box::new(match contents.name() {
            Some(name) => miette::MietteSpanContents::new_named(
                name.to_string(),
                data,
                span,
                line,
                column,
                line_count,
            ),
            None => miette::MietteSpanContents::new(data, span, line, column, line_count),
        });
        Ok(self.window(contents, &span))
    }
}

impl<'a> CharSource<'a> {
    fn new(inner: &'a dyn miette::SourceCode) -> Self {
        CharSource {
            inner,
            windows: Default::default(),
            next: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Keeps `bytes` for as long as the source lives, if a slot is left.
    fn keep(&self, bytes: Vec<u8>) -> Option<&[u8]> {
        let i = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let slot = self.windows.get(i)?;
        let mut bytes = Some(bytes);
        let kept = slot.get_or_init(|| bytes.take().unwrap_or_default());
        Some(kept.as_slice())
    }

    /// A label whose first line is long, cut to its first [`LABEL_KEEP`]
    /// bytes (on a character boundary): its start, and so its line and
    /// column, stay as they are.
    fn clip(&self, l: miette::LabeledSpan) -> miette::LabeledSpan {
        if l.len() <= LONG_LINE {
            return l;
        }
        // Read with no context, a span is its own bytes.
        let head = miette::SourceSpan::new(l.offset().into(), LONG_LINE + 1);
        let Ok(c) = self.inner.read_span(&head, 0, 0) else {
            return l;
        };
        let data = c.data();
        if memchr::memchr2(b'\n', b'\r', data).is_some() {
            return l;
        }
        let mut keep = LABEL_KEEP.min(data.len());
        while keep > 0 && !data.get(keep).copied().is_none_or(starts_char) {
            keep -= 1;
        }
        let label = l.label().map(str::to_string);
        let span = miette::SourceSpan::new(l.offset().into(), keep.max(1));
        if l.primary() {
            miette::LabeledSpan::new_primary_with_span(label, span)
        } else {
            miette::LabeledSpan::new_with_span(label, span)
        }
    }
}

/// What [`CharSource`] reads when a line is long: a window of the source,
/// `…` standing for the bytes just outside it.
struct Window<'a> {
    data: &'a [u8],
    span: miette::SourceSpan,
    line: usize,
    column: usize,
    line_count: usize,
    name: Option<String>,
}

impl<'a> miette::SpanContents<'a> for Window<'a> {
    fn data(&self) -> &'a [u8] {
        self.data
    }
    fn span(&self) -> &miette::SourceSpan {
        &self.span
    }
    fn line(&self) -> usize {
        self.line
    }
    fn column(&self) -> usize {
        self.column
    }
    fn line_count(&self) -> usize {
        self.line_count
    }
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

impl<'a> CharSource<'a> {
    /// `contents` cut to [`WINDOW_SIDE`] bytes either side of `span` when one
    /// of its lines is longer than [`LONG_LINE`]. The window starts `…` three
    /// bytes before its first kept byte and ends `…` after its last, so every
    /// kept byte keeps its offset and the labels stay where they were.
    fn window<'b>(
        &'b self,
        contents: Box<dyn miette::SpanContents<'b> + 'b>,
        span: &miette::SourceSpan,
    ) -> Box<dyn miette::SpanContents<'b> + 'b> {
        const DOTS: &[u8] = "…".as_bytes();
        let data = contents.data();
        if data.len() <= LONG_LINE
            || !data
                .split(|&b| b == b'\n' || b == b'\r')
                .any(|l| l.len() > LONG_LINE)
        {
            return contents;
        }
        let base = contents.span().offset();
        let rel = span.offset().saturating_sub(base).min(data.len());
        let rel_end = (span.offset() + span.len())
            .saturating_sub(base)
            .clamp(rel, data.len());
        let line_start = |at: usize| {
            data.get(..at)
                .and_then(|d| memchr::memrchr2(b'\n', b'\r', d))
                .map_or(0, |i| i + 1)
        };
        let line_end = |at: usize| {
            data.get(at..)
                .and_then(|d| memchr::memchr2(b'\n', b'\r', d))
                .map_or(data.len(), |i| at + i)
        };
        let mut from = rel.saturating_sub(WINDOW_SIDE);
        while from < rel && !data.get(from).copied().is_none_or(starts_char) {
            from += 1;
        }
        // Cut only where `…` fits between the line's start and the cut.
        let cut_start = from >= line_start(from) + DOTS.len();
        if !cut_start {
            from = line_start(from);
        }
        let mut to = (rel_end + WINDOW_SIDE).min(data.len());
        while to > rel_end && !data.get(to).copied().is_none_or(starts_char) {
            to -= 1;
        }
        let cut_end = to + DOTS.len() <= line_end(to);
        if !cut_end {
            to = line_end(to);
        }
        let kept = data.get(from..to).unwrap_or_default();
        let skipped = data.get(..from).unwrap_or_default();
        let skipped_lines = skipped
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && skipped.get(i + 1) != Some(&b'\n')))
            .count();
        let mut out = Vec::with_capacity(kept.len() + 2 * DOTS.len());
        if cut_start {
            out.extend_from_slice(DOTS);
        }
        out.extend_from_slice(kept);
        if cut_end {
            out.extend_from_slice(DOTS);
        }
        let (start, out) = match self.keep(out) {
            Some(out) => (base + from - if cut_start { DOTS.len() } else { 0 }, out),
            None => (base + from, kept),
        };
        let column = if from == 0 { contents.column() } else { 0 };
        Box::new(Window {
            span: miette::SourceSpan::new(start.into(), out.len()),
            data: out,
            line: contents.line() + skipped_lines,
            column,
            line_count: contents.line_count(),
            name: contents.name().map(str::to_string),
        })
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

/// The position of a diagnostic's first label. Scans its source from the
/// start: for many diagnostics use [`Positions`], which indexes each
/// source once.
pub fn position(diag: &dyn Diagnostic) -> Option<Position> {
    Positions::default().of(diag)
}

/// Bytes between checkpoints of the character count, so that a column on a
/// very long line is counted from the nearest checkpoint, not the line's
/// start.
const MARK_EVERY: usize = 4096;

/// One source, indexed: where its lines start and how many characters
/// precede every [`MARK_EVERY`]th byte.
struct Indexed<'a> {
    text: &'a [u8],
    /// Byte offset of the start of each line after the first.
    lines: Vec<usize>,
    /// Characters before byte `i * MARK_EVERY`.
    marks: Vec<usize>,
}

/// Whether a byte starts a character (or is a stray byte, which the lossy
/// decoding shows as one U+FFFD).
fn starts_char(b: u8) -> bool {
    b & 0xC0 != 0x80
}

impl<'a> Indexed<'a> {
    fn new(text: &'a [u8]) -> Self {
        let lines = memchr::memchr_iter(b'\n', text).map(|i| i + 1).collect();
        let mut marks = Vec::with_capacity(text.len() / MARK_EVERY + 1);
        let mut chars = 0usize;
        for chunk in text.chunks(MARK_EVERY) {
            marks.push(chars);
            chars += chunk.iter().filter(|b| starts_char(**b)).count();
        }
        Indexed { text, lines, marks }
    }

    /// Characters before a byte offset.
    fn chars_before(&self, offset: usize) -> usize {
        let block = offset / MARK_EVERY;
        let base = self.marks.get(block).copied().unwrap_or(0);
        let from = block * MARK_EVERY;
        base + self
            .text
            .get(from.min(offset)..offset)
            .map_or(0, |b| b.iter().filter(|b| starts_char(**b)).count())
    }

    /// 1-based line and column (characters) of a byte offset.
    fn line_col(&self, offset: usize) -> (usize, usize) {
        let before = self.lines.partition_point(|&s| s <= offset);
        let start = before
            .checked_sub(1)
            .and_then(|i| self.lines.get(i))
            .copied()
            .unwrap_or(0);
        let column = self.chars_before(offset) - self.chars_before(start) + 1;
        (before + 1, column)
    }
}

/// Positions of many diagnostics: each source they point into is indexed
/// once (lines by binary search, columns from a nearby checkpoint), where
/// [`position`] alone scans from byte 0 every time — quadratic over the
/// thousands of diagnostics of one large file.
#[derive(Default)]
pub struct Positions<'a> {
    /// By the address of the source's first byte and its name.
    sources: std::collections::HashMap<(usize, Option<String>), Indexed<'a>>,
}

impl<'a> Positions<'a> {
    /// The position of `diag`'s first label, as [`position`] gives it.
    pub fn of(&mut self, diag: &'a dyn Diagnostic) -> Option<Position> {
        let label = diag.labels()?.next()?;
        let src = diag.source_code()?;
        let offset = label.offset();
        // An empty span with no context lines stops at once: it gives the
        // source's name and where its bytes start.
        let head = src
            .read_span(&miette::SourceSpan::new(0.into(), 0), 0, 0)
            .ok()?;
        let file = head.name().map(str::to_string);
        let key = (head.data().as_ptr() as usize, file.clone());
        let indexed = match self.sources.entry(key) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                // Context lines without end: the whole text, read once.
                let all = src
                    .read_span(&miette::SourceSpan::new(0.into(), 0), 0, usize::MAX)
                    .ok()?;
                e.insert(Indexed::new(all.data()))
            }
        };
        if offset > indexed.text.len() {
            return None;
        }
        let (line, column) = indexed.line_col(offset);
        Some(Position {
            file,
            line,
            column,
            offset,
            length: label.len(),
        })
    }

    /// [`to_json`] with this index.
    pub fn json(&mut self, diag: &'a dyn Diagnostic) -> serde_json::Value {
        let pos = self.of(diag);
        json_at(diag, pos)
    }
}

/// What tells two diagnostics apart: the same key means the same JSON
/// (code, severity, message, file, place, help), without rendering it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Identity {
    code: Option<String>,
    severity: &'static str,
    message: String,
    file: Option<String>,
    offset: Option<usize>,
    length: Option<usize>,
    help: Option<String>,
}

impl<'a> Positions<'a> {
    /// The identity of a diagnostic, for de-duplication.
    pub fn identity(&mut self, diag: &'a dyn Diagnostic) -> Identity {
        let pos = self.of(diag);
        Identity {
            code: diag.code().map(|c| c.to_string()),
            severity: severity(diag),
            message: diag.to_string(),
            file: pos.as_ref().and_then(|p| p.file.clone()),
            offset: pos.as_ref().map(|p| p.offset),
            length: pos.as_ref().map(|p| p.length),
            help: diag.help().map(|h| h.to_string()),
        }
    }
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
    json_at(diag, position(diag))
}

fn json_at(diag: &dyn Diagnostic, pos: Option<Position>) -> serde_json::Value {
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

/// Characters of user text a message quotes before it is cut.
pub const QUOTE_CHARS: usize = 80;

/// User text as a message quotes it: the first [`QUOTE_CHARS`] characters
/// and `…` when there are more. A 40 MB register header or a 10 MB facts
/// key quoted whole is wrapped by the renderer into gigabytes; nobody
/// reads past the first line of it anyway.
pub fn quote(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(QUOTE_CHARS) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}…", text.get(..cut).unwrap_or(text))),
    }
}
