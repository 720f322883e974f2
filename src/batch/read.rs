//! Reading a register as a stream of rows: CSV (UTF-8 with or without a
//! byte-order mark, or GB18030) or JSON Lines. Rows come in chunks, so
//! memory holds a bounded number of them whatever the file's length.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::sync::{Arc, Mutex};

use super::error::BatchError;

/// The text encoding of a register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark.
    #[default]
    Utf8,
    /// GB18030 (a superset of GBK and GB2312), as Excel exports CSV on
    /// Chinese-locale systems.
    Gb18030,
}

impl Encoding {
    /// The encoding's name as the user writes it.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Gb18030 => "GB18030",
        }
    }
}

/// The format of a register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// Comma-separated values with a header line.
    #[default]
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// One row as read, before typing.
#[derive(Debug, Clone)]
pub enum RawRow {
    /// A CSV record.
    Csv {
        /// Line number in the file (the header is line 1).
        line: u64,
        /// The cells.
        record: csv::ByteRecord,
    },
    /// A JSON Lines line.
    Json {
        /// Line number in the file.
        line: u64,
        /// The line's text.
        text: String,
    },
    /// A row the CSV reader could not read.
    Broken {
        /// Line number.
        line: u64,
        /// Why.
        reason: String,
    },
}

impl RawRow {
    /// The row's line number.
    pub fn line(&self) -> u64 {
        match self {
            RawRow::Csv { line, .. } | RawRow::Json { line, .. } | RawRow::Broken { line, .. } => {
                *line
            }
        }
    }
}

/// Rows read so far and bytes consumed, for the progress bar.
#[derive(Debug, Clone, Default)]
pub struct Chunk {
    /// The rows.
    pub rows: Vec<RawRow>,
    /// Bytes of input consumed after this chunk.
    pub bytes: u64,
}

/// A register being read.
pub enum Source {
    /// CSV, with the size of the widest row so far (each new record is
    /// allocated once at that size instead of growing cell by cell) and
    /// the rows of evaluated chunks handed back (see [`Source::recycle`]).
    Csv(
        csv::Reader<Box<dyn Read + Send>>,
        (usize, usize),
        Vec<RawRow>,
        Crlf,
    ),
    /// JSON Lines, with the lines up to the first object read ahead to
    /// find the columns.
    Jsonl {
        /// The lines.
        lines: Box<dyn BufRead + Send>,
        /// The lines read ahead, not yet handed out.
        first: std::collections::VecDeque<RawRow>,
        /// Lines read.
        line: u64,
        /// Bytes read.
        bytes: u64,
        /// What a line that is not text is not.
        encoding: Encoding,
    },
}

fn decoded(input: Box<dyn Read + Send>, encoding: Encoding) -> Box<dyn Read + Send> {
    match encoding {
        Encoding::Utf8 => input,
        Encoding::Gb18030 => Box::new(Strict::new(input, encoding_rs::GB18030)),
    }
}

/// A byte that never occurs in UTF-8: it stands for each malformed
/// sequence of the register's encoding, so that the cell holding it is
/// refused with its row and column, as an invalid cell of a UTF-8
/// register is. (Replacing it with U+FFFD, as `encoding_rs_io` does,
/// would read `杭州市\xff` as the text `杭州市�`.)
pub const MALFORMED: u8 = 0xFF;

/// Decodes a stream to UTF-8 without replacement: a malformed sequence
/// comes out as [`MALFORMED`]. A byte-order mark (UTF-8 or UTF-16)
/// overrides the encoding and is removed.
struct Strict {
    inner: Box<dyn Read + Send>,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    /// Undecoded bytes are `input[start..end]`.
    start: usize,
    end: usize,
    eof: bool,
    /// The decoder has been told the input ended: it is not called again.
    done: bool,
    output: Vec<u8>,
    /// Decoded bytes not yet handed out are `output[out_start..]`.
    out_start: usize,
}

impl Strict {
    fn new(inner: Box<dyn Read + Send>, encoding: &'static encoding_rs::Encoding) -> Self {
        Strict {
            inner,
            decoder: encoding.new_decoder(),
            input: vec![0; 1 << 16],
            start: 0,
            end: 0,
            eof: false,
            done: false,
            output: Vec::with_capacity(1 << 16),
            out_start: 0,
        }
    }

    /// Decodes the next stretch of input into `output`; false at the end.
    fn refill(&mut self) -> std::io::Result<bool> {
        self.output.clear();
        self.out_start = 0;
        while !self.done {
            if self.start == self.end && !self.eof {
                self.start = 0;
                self.end = loop {
                    match self.inner.read(&mut self.input) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                };
                self.eof = self.end == 0;
            }
            let rest = self.input.get(self.start..self.end).unwrap_or_default();
            let mut buf = [0u8; 1 << 12];
            let (result, read, written) = self
                .decoder
                .decode_to_utf8_without_replacement(rest, &mut buf, self.eof);
            self.start += read;
            self.output
                .extend_from_slice(buf.get(..written).unwrap_or_default());
            match result {
                encoding_rs::DecoderResult::Malformed(_, _) => self.output.push(MALFORMED),
                encoding_rs::DecoderResult::OutputFull => {}
                encoding_rs::DecoderResult::InputEmpty if self.eof => self.done = true,
                encoding_rs::DecoderResult::InputEmpty => {}
            }
            if !self.output.is_empty() {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl Read for Strict {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.out_start == self.output.len() && !self.refill()? {
            return Ok(0);
        }
        let pending = self.output.get(self.out_start..).unwrap_or_default();
        let n = pending.len().min(buf.len());
        buf.get_mut(..n)
            .unwrap_or_default()
            .copy_from_slice(pending.get(..n).unwrap_or_default());
        self.out_start += n;
        Ok(n)
    }
}

impl Source {
    /// Opens a register and reads its header (for JSON Lines, the keys of
    /// the first object).
    pub fn open(
        input: Box<dyn Read + Send>,
        format: InputFormat,
        encoding: Encoding,
    ) -> Result<(Source, Vec<String>), BatchError> {
        let input = decoded(input, encoding);
        match format {
            InputFormat::Csv => Source::open_csv(input, encoding),
            InputFormat::Jsonl => Source::open_jsonl(input, encoding),
        }
    }

    fn open_csv(
        input: Box<dyn Read + Send>,
        encoding: Encoding,
    ) -> Result<(Source, Vec<String>), BatchError> {
        let crlf = Crlf::default();
        let input: Box<dyn Read + Send> = Box::new(crlf.watch(input));
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .buffer_capacity(1 << 16)
            .from_reader(input);
        let header = reader.byte_headers().map_err(|e| BatchError::BadHeader {
            reason: e.to_string(),
            help: "表头必须是一行以逗号分隔的列名".into(),
        })?;
        if header.is_empty() || header.iter().all(<[u8]>::is_empty) {
            return Err(BatchError::NoHeader);
        }
        let names = header
            .iter()
            .map(|h| {
                std::str::from_utf8(h).map(str::to_string).map_err(|_| match encoding {
                    Encoding::Utf8 => BatchError::BadHeader {
                        reason: "表头不是有效的 UTF-8 文本".into(),
                        help: "Excel 在中文系统上导出的 CSV 通常是 GB18030 编码：加 --encoding gb18030".into(),
                    },
                    Encoding::Gb18030 => BatchError::BadHeader {
                        reason: "表头不是有效的 GB18030 文本".into(),
                        help: "文件可能已损坏，或是 UTF-8 编码（去掉 --encoding gb18030）".into(),
                    },
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let width = (names.len() * 16, names.len());
        Ok((Source::Csv(reader, width, Vec::new(), crlf), names))
    }

    fn open_jsonl(
        input: Box<dyn Read + Send>,
        encoding: Encoding,
    ) -> Result<(Source, Vec<String>), BatchError> {
        let mut lines: Box<dyn BufRead + Send> = Box::new(BufReader::with_capacity(1 << 16, input));
        let mut line = 0;
        let mut bytes = 0;
        let mut first = std::collections::VecDeque::new();
        // The columns are the keys of the first line that is an
        // object: a line before it that is not one (`[]`, a bare
        // number, a cut-off line) is its own row error, not a
        // reason to call every key of every later row late.
        let names = loop {
            let row = match next_line(&mut lines, &mut line, &mut bytes)? {
                None if first.is_empty() => return Err(BatchError::NoHeader),
                None => break Vec::new(),
                Some(text) if text.trim_ascii().is_empty() => continue,
                Some(text) => json_row(line, text, encoding),
            };
            let keys = match &row {
                RawRow::Json { text, .. } => json_keys(text),
                RawRow::Csv { .. } | RawRow::Broken { .. } if first.is_empty() => {
                    return Err(BatchError::BadHeader {
                        reason: format!("第一行不是有效的 {} 文本", encoding.name()),
                        help: "JSON Lines 文件通常是 UTF-8 编码".into(),
                    });
                }
                RawRow::Csv { .. } | RawRow::Broken { .. } => None,
            };
            first.push_back(row);
            // Lines that are not objects are read ahead only so
            // far (each is held until the columns are known).
            match keys {
                Some(keys) => break keys,
                None if first.len() >= JSONL_LOOKAHEAD => break Vec::new(),
                None => {}
            }
        };
        Ok((
            Source::Jsonl {
                lines,
                first,
                line,
                bytes,
                encoding,
            },
            names,
        ))
    }

    /// Takes back the rows of a chunk that has been evaluated: their
    /// records are read into again instead of allocating new ones.
    pub fn recycle(&mut self, mut rows: Vec<RawRow>) {
        if let Source::Csv(_, _, spare, _) = self {
            // Bounded: the reader never holds more than a few chunks.
            if spare.len() < 4 * rows.len().max(1) {
                spare.append(&mut rows);
            }
        }
    }

    /// Reads up to `n` rows; an empty chunk means the end.
    pub fn chunk(&mut self, n: usize) -> Result<Chunk, BatchError> {
        let mut rows = Vec::with_capacity(n);
        match self {
            Source::Csv(reader, width, spare, crlf) => {
                while rows.len() < n {
                    let mut record = loop {
                        match spare.pop() {
                            Some(RawRow::Csv { record, .. }) => break record,
                            Some(_) => {}
                            None => break csv::ByteRecord::with_capacity(width.0, width.1),
                        }
                    };
                    match reader.read_byte_record(&mut record) {
                        Ok(false) => break,
                        Ok(true) => {
                            *width = (
                                width.0.max(record.as_slice().len()),
                                width.1.max(record.len()),
                            );
                            let line = record.position().map_or(0, |p| crlf.line(p));
                            rows.push(RawRow::Csv { line, record });
                        }
                        Err(e) => match e.kind() {
                            csv::ErrorKind::Io(_) => return Err(e.into()),
                            _ => rows.push(RawRow::Broken {
                                line: e.position().map_or(0, |p| crlf.line(p)),
                                reason: e.to_string(),
                            }),
                        },
                    }
                }
                let bytes = reader.position().byte();
                Ok(Chunk { rows, bytes })
            }
            Source::Jsonl {
                lines,
                first,
                line,
                bytes,
                encoding,
            } => {
                while rows.len() < n {
                    match first.pop_front() {
                        Some(f) => rows.push(f),
                        None => break,
                    }
                }
                while rows.len() < n {
                    match next_line(lines, line, bytes)? {
                        None => break,
                        Some(text) if text.trim_ascii().is_empty() => {}
                        Some(text) => rows.push(json_row(*line, text, *encoding)),
                    }
                }
                Ok(Chunk {
                    rows,
                    bytes: *bytes,
                })
            }
        }
    }
}

/// The offsets of the `\n` of every `\r\n` read and not yet asked about.
///
/// The csv reader starts a record after a `\r\n` at its `\n` and so
/// numbers it one line too low (Excel writes CRLF). Record positions only
/// grow, so the offsets before the one asked about are dropped: a few
/// buffers' worth are held at most.
#[derive(Clone, Default)]
pub struct Crlf(Arc<Mutex<(VecDeque<u64>, u64, bool)>>);

impl Crlf {
    /// The input, noting where its `\r\n` are.
    fn watch(&self, inner: Box<dyn Read + Send>) -> CrlfRead {
        CrlfRead {
            inner,
            seen: self.clone(),
        }
    }

    /// The line on which a record at `p` starts.
    fn line(&self, p: &csv::Position) -> u64 {
        let Ok(mut g) = self.0.lock() else {
            return p.line();
        };
        let at = p.byte();
        while g.0.front().is_some_and(|&o| o < at) {
            g.0.pop_front();
        }
        p.line() + u64::from(g.0.front() == Some(&at))
    }
}

/// A reader that reports the `\r\n` it passes on to [`Crlf`].
struct CrlfRead {
    inner: Box<dyn Read + Send>,
    seen: Crlf,
}

impl Read for CrlfRead {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let read = buf.get(..n).unwrap_or_default();
        if let Ok(mut g) = self.seen.0.lock() {
            let (offsets, start, after_cr) = &mut *g;
            // A `\r` ended the last read: a `\n` opening this one pairs with it.
            if *after_cr && read.first() == Some(&b'\n') {
                offsets.push_back(*start);
            }
            // Only `\r` are looked for, so an LF file costs one fast scan.
            for at in memchr::memchr_iter(b'\r', read) {
                if read.get(at + 1) == Some(&b'\n') {
                    offsets.push_back(*start + u64::try_from(at + 1).unwrap_or(u64::MAX));
                }
            }
            *after_cr = read.last() == Some(&b'\r');
            *start += u64::try_from(n).unwrap_or(u64::MAX);
        }
        Ok(n)
    }
}

fn next_line(
    lines: &mut Box<dyn BufRead + Send>,
    line: &mut u64,
    bytes: &mut u64,
) -> Result<Option<Vec<u8>>, BatchError> {
    let mut buf = Vec::new();
    let n = lines.read_until(b'\n', &mut buf)?;
    if n == 0 {
        return Ok(None);
    }
    *line += 1;
    *bytes += n as u64;
    while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        buf.pop();
    }
    Ok(Some(buf))
}

/// A line as a row: its text, or why it is not text.
fn json_row(line: u64, bytes: Vec<u8>, encoding: Encoding) -> RawRow {
    match String::from_utf8(bytes) {
        Ok(text) => RawRow::Json {
            line,
            text: match text.strip_prefix('\u{feff}') {
                Some(t) => t.to_string(),
                None => text,
            },
        },
        Err(_) => RawRow::Broken {
            line,
            reason: match encoding {
                Encoding::Utf8 => "不是有效的 UTF-8 文本（JSON Lines 通常是 UTF-8 编码）".into(),
                Encoding::Gb18030 => "不是有效的 GB18030 文本".into(),
            },
        },
    }
}

/// Lines that are not objects read ahead, at most, to find the columns
/// of a JSON Lines register.
const JSONL_LOOKAHEAD: usize = 1000;

/// The keys of a JSON object in order (none when the line is not one).
fn json_keys(text: &str) -> Option<Vec<String>> {
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text)
        .ok()
        .map(|m| m.keys().cloned().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out its bytes a few at a time, so that `\r` and `\n` fall in
    /// different reads.
    struct Trickle(Vec<u8>, usize);

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let rest = self.0.get(self.1..).unwrap_or_default();
            let n = rest.len().min(buf.len()).min(3);
            buf.get_mut(..n)
                .unwrap_or_default()
                .copy_from_slice(rest.get(..n).unwrap_or_default());
            self.1 += n;
            Ok(n)
        }
    }

    #[test]
    fn crlf_lines_are_counted_across_reads() {
        let text = b"id,x\r\nA,1\r\nB,\"2\r\n3\"\r\nC,4\r\n".to_vec();
        let (mut source, _) =
            Source::open(Box::new(Trickle(text, 0)), InputFormat::Csv, Encoding::Utf8)
                .unwrap_or_else(|_| panic!("opens"));
        let lines: Vec<u64> = source
            .chunk(10)
            .map(|c| c.rows.iter().map(RawRow::line).collect())
            .unwrap_or_default();
        assert_eq!(lines, [2, 3, 5]);
    }
}
