//! Reading a register as a stream of rows: CSV (UTF-8 with or without a
//! byte-order mark, or GB18030) or JSON Lines. Rows come in chunks, so
//! memory holds a bounded number of them whatever the file's length.

use std::io::{BufRead, BufReader, Read};

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
        record: Record,
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
    /// CSV, with the rows of evaluated chunks handed back (see
    /// [`Source::recycle`]).
    Csv(Box<CsvReader>, Vec<RawRow>),
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
        let mut reader = Box::new(CsvReader::new(input));
        let mut header = Record::default();
        reader
            .read(&mut header)
            .map_err(|e| BatchError::BadHeader {
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
        Ok((Source::Csv(reader, Vec::new()), names))
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
        if let Source::Csv(_, spare) = self {
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
            Source::Csv(reader, spare) => {
                while rows.len() < n {
                    let mut record = loop {
                        match spare.pop() {
                            Some(RawRow::Csv { record, .. }) => break record,
                            Some(_) => {}
                            // Allocated once at the widest row's size,
                            // not grown cell by cell.
                            None => break reader.new_record(),
                        }
                    };
                    match reader.read(&mut record)? {
                        Some(line) => {
                            reader.widest = (
                                reader.widest.0.max(record.bytes.len()),
                                reader.widest.1.max(record.ends.len()),
                            );
                            rows.push(RawRow::Csv { line, record });
                        }
                        None => break,
                    }
                }
                Ok(Chunk {
                    rows,
                    bytes: reader.byte,
                })
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

/// A CSV record: its cells' bytes and where each cell ends.
#[derive(Debug, Clone, Default)]
pub struct Record {
    bytes: Vec<u8>,
    /// Where each cell ends in `bytes`. A worker reads them on another
    /// core than the one the reader wrote them on, a cache line at a
    /// time: as `u32`, a row's fit in half the lines.
    ends: Vec<u32>,
    /// The bytes are the line as written, a comma between cells (the
    /// fast path of [`CsvReader::read`]); else the cells end to end, as
    /// csv-core writes them.
    delimited: bool,
}

impl Record {
    /// The number of cells.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the record has no cells.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Cell `i`.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        let end = cell_end(*self.ends.get(i)?);
        let start = match i.checked_sub(1) {
            Some(p) => cell_end(*self.ends.get(p)?) + usize::from(self.delimited),
            None => 0,
        };
        self.bytes.get(start..end)
    }

    /// The cells in order.
    #[inline]
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        let gap = usize::from(self.delimited);
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let end = cell_end(end);
            let cell = self.bytes.get(start..end).unwrap_or_default();
            start = end + gap;
            cell
        })
    }
}

/// A cell's end as an index into its record's bytes.
#[inline]
fn cell_end(end: u32) -> usize {
    usize::try_from(end).unwrap_or(usize::MAX)
}

/// The length of the non-empty line `unread` starts with, when it holds
/// no quote and no `\r` and its `\n` is in `unread`; the offset of each
/// comma goes to `ends`. Eight bytes at a time: most bytes of a register
/// are none of the four looked for, and memchr's calls cost more than
/// cells a few bytes long.
#[inline]
fn plain_line(unread: &[u8], ends: &mut Vec<u32>) -> Option<usize> {
    let mut words = unread.chunks_exact(8);
    let mut at = 0;
    for word in words.by_ref() {
        let w = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let mut found = stops(w);
        while found != 0 {
            let i = at + usize::try_from(found.trailing_zeros() / 8).unwrap_or(0);
            match plain_stop(unread.get(i).copied().unwrap_or(b'\r'), i, ends) {
                Stop::Comma => {}
                Stop::End => return Some(i),
                Stop::Slow => return None,
            }
            found &= found - 1;
        }
        at += 8;
    }
    for (j, &b) in words.remainder().iter().enumerate() {
        match plain_stop(b, at + j, ends) {
            Stop::Comma => {}
            Stop::End => return Some(at + j),
            Stop::Slow => return None,
        }
    }
    None
}

/// What a byte of a plain line's scan is.
enum Stop {
    /// A comma (or a byte that is none of the four): go on.
    Comma,
    /// The line's `\n`.
    End,
    /// A quote, a `\r` or an empty line: for csv-core.
    Slow,
}

#[inline]
fn plain_stop(b: u8, i: usize, ends: &mut Vec<u32>) -> Stop {
    match b {
        b',' => {
            // The read buffer is far shorter than 4 GiB.
            let Ok(i) = u32::try_from(i) else {
                return Stop::Slow;
            };
            ends.push(i);
            Stop::Comma
        }
        b'\n' if i > 0 => Stop::End,
        b'\n' | b'"' | b'\r' => Stop::Slow,
        _ => Stop::Comma,
    }
}

/// The high bit of every byte of `w` that is a comma, `\n`, quote or
/// `\r`, and no other.
#[inline]
fn stops(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    // Exact per byte (no borrow crosses bytes): the high bit of each zero
    // byte of `x`.
    let zero = |x: u64| !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7);
    zero(w ^ (ONES * u64::from(b',')))
        | zero(w ^ (ONES * u64::from(b'\n')))
        | zero(w ^ (ONES * u64::from(b'"')))
        | zero(w ^ (ONES * u64::from(b'\r')))
}

/// Reads CSV records as `csv::Reader` (flexible, default dialect) reads
/// them, with the same line numbers, but without its per-record
/// bookkeeping, and with a fast path: a line without quotes or `\r`
/// that follows a `\n` is cut at its commas without csv-core, which
/// would cut it in the same places (pinned by
/// `records_are_read_as_the_csv_crate_reads_them`).
pub struct CsvReader {
    input: Box<dyn Read + Send>,
    core: csv_core::Reader,
    buf: Vec<u8>,
    /// Unread input is `buf[start..end]`.
    start: usize,
    end: usize,
    eof: bool,
    /// csv-core has said the input ended.
    done: bool,
    /// Bytes consumed.
    byte: u64,
    /// csv-core's line count after the last record (a record is numbered
    /// by where its reading began, as `csv::Reader` numbers it).
    line: u64,
    /// The last byte consumed (0 before the first).
    last: u8,
    /// The bytes and cells of the widest record so far.
    widest: (usize, usize),
    /// Where csv-core writes a record's cell ends.
    wide_ends: Vec<usize>,
}

impl CsvReader {
    fn new(input: Box<dyn Read + Send>) -> CsvReader {
        CsvReader {
            input,
            core: csv_core::Reader::new(),
            buf: vec![0; 1 << 16],
            start: 0,
            end: 0,
            eof: false,
            done: false,
            byte: 0,
            line: 1,
            last: 0,
            widest: (0, 0),
            wide_ends: Vec::new(),
        }
    }

    /// An empty record with room for the widest so far.
    fn new_record(&self) -> Record {
        Record {
            bytes: Vec::with_capacity(self.widest.0),
            ends: Vec::with_capacity(self.widest.1),
            delimited: false,
        }
    }

    /// Reads more input when all of it has been consumed.
    fn fill(&mut self) -> std::io::Result<()> {
        if self.start == self.end && !self.eof {
            self.start = 0;
            self.end = loop {
                match self.input.read(&mut self.buf) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            };
            self.eof = self.end == 0;
        }
        Ok(())
    }

    /// Reads the next record into `record`; its line, or `None` at the end.
    pub fn read(&mut self, record: &mut Record) -> std::io::Result<Option<u64>> {
        record.bytes.clear();
        record.ends.clear();
        if self.done {
            return Ok(None);
        }
        self.fill()?;
        let unread = self.buf.get(self.start..self.end).unwrap_or_default();
        // csv-core ends a record at the `\r` of a `\r\n` and skips the
        // `\n` when it reads the next, so that record's line is one too
        // low: Excel writes CRLF.
        let line = self.line + u64::from(self.last == b'\r' && unread.first() == Some(&b'\n'));
        if self.last == b'\n'
            && let Some(len) = plain_line(unread, &mut record.ends)
            && let Ok(end) = u32::try_from(len)
        {
            record
                .bytes
                .extend_from_slice(unread.get(..len).unwrap_or_default());
            record.ends.push(end);
            record.delimited = true;
            self.start += len + 1;
            self.byte += u64::try_from(len + 1).unwrap_or(u64::MAX);
            self.line += 1;
            self.core.set_line(self.line);
            return Ok(Some(line));
        }
        record.ends.clear();
        record.delimited = false;
        self.slow(record).map(|read| read.then_some(line))
    }

    /// Reads a record through csv-core; false at the end.
    fn slow(&mut self, record: &mut Record) -> std::io::Result<bool> {
        use csv_core::ReadRecordResult as R;
        let (mut out, mut ends) = (0, 0);
        record.bytes.resize(record.bytes.capacity().max(256), 0);
        // csv-core writes `usize` ends: they are narrowed once the record
        // is read.
        let mut wide = std::mem::take(&mut self.wide_ends);
        wide.resize(wide.capacity().max(record.ends.capacity()).max(32), 0);
        loop {
            self.fill()?;
            let unread = self.buf.get(self.start..self.end).unwrap_or_default();
            let (result, nin, nout, nend) = self.core.read_record(
                unread,
                record.bytes.get_mut(out..).unwrap_or_default(),
                wide.get_mut(ends..).unwrap_or_default(),
            );
            if let Some(b) = nin.checked_sub(1).and_then(|i| unread.get(i)) {
                self.last = *b;
            }
            self.start += nin;
            self.byte += u64::try_from(nin).unwrap_or(u64::MAX);
            self.line = self.core.line();
            out += nout;
            ends += nend;
            match result {
                R::InputEmpty => {}
                R::OutputFull => record.bytes.resize(record.bytes.len() * 2, 0),
                R::OutputEndsFull => wide.resize(wide.len() * 2, 0),
                R::Record => {
                    record.bytes.truncate(out);
                    record.ends.clear();
                    for &end in wide.get(..ends).unwrap_or_default() {
                        let Ok(end) = u32::try_from(end) else {
                            return Err(std::io::Error::new(
                                std::io::ErrorKind::InvalidData,
                                "登记表中有一条记录超过 4 GiB，无法读取",
                            ));
                        };
                        record.ends.push(end);
                    }
                    self.wide_ends = wide;
                    return Ok(true);
                }
                R::End => {
                    record.bytes.clear();
                    record.ends.clear();
                    self.done = true;
                    return Ok(false);
                }
            }
        }
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
    struct Trickle(Vec<u8>, usize, usize);

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let rest = self.0.get(self.1..).unwrap_or_default();
            let n = rest.len().min(buf.len()).min(self.2);
            buf.get_mut(..n)
                .unwrap_or_default()
                .copy_from_slice(rest.get(..n).unwrap_or_default());
            self.1 += n;
            Ok(n)
        }
    }

    /// The records read, each with its line and cells, and the bytes
    /// consumed.
    type Records = (Vec<(u64, Vec<Vec<u8>>)>, u64);

    /// Every record of `text` as `csv::Reader` reads it (flexible, the
    /// default dialect), with the line numbering the register had with
    /// it: its position's line, one more when it starts at the `\n` of a
    /// `\r\n`. Then the bytes consumed. (Both readers are handed the text
    /// `step` bytes at a time: csv-core drops a byte-order mark only when
    /// its first read holds all three bytes.)
    fn by_the_csv_crate(text: &[u8], step: usize) -> Records {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .from_reader(Trickle(text.to_vec(), 0, step));
        let mut record = csv::ByteRecord::new();
        let mut rows = Vec::new();
        while reader.read_byte_record(&mut record).unwrap_or(false) {
            let (line, at) = record.position().map_or((0, 0), |p| {
                (p.line(), usize::try_from(p.byte()).unwrap_or(0))
            });
            let crlf = text.get(at) == Some(&b'\n')
                && at.checked_sub(1).and_then(|i| text.get(i)) == Some(&b'\r');
            rows.push((
                line + u64::from(crlf),
                record.iter().map(<[u8]>::to_vec).collect(),
            ));
        }
        (rows, reader.position().byte())
    }

    fn by_ours(text: &[u8], step: usize) -> Records {
        let mut reader = CsvReader::new(Box::new(Trickle(text.to_vec(), 0, step)));
        let mut record = Record::default();
        let mut rows = Vec::new();
        while let Ok(Some(line)) = reader.read(&mut record) {
            rows.push((line, record.iter().map(<[u8]>::to_vec).collect()));
        }
        (rows, reader.byte)
    }

    #[test]
    fn records_are_read_as_the_csv_crate_reads_them() {
        let pieces: [&[u8]; 12] = [
            b"a",
            b"bc",
            b",",
            b",",
            b"\"",
            b"\"\"",
            b"\r",
            b"\n",
            b"\r\n",
            b"\n\n",
            "中".as_bytes(),
            b" ",
        ];
        let mut texts: Vec<Vec<u8>> = [
            &b""[..],
            b"\n",
            b"a,b\nc,d\n",
            b"a,b\nc,d",
            b"a,b\r\nc,d\r\n\r\ne,f\r\n",
            b"a,b\rc,d\re\n\nf\n",
            b"id,x\n\n\nA,1\n,\n,,\n\"q,\"\"\",z\nB,\"2\n3\"\nC\n",
            b"\xef\xbb\xbfid,x\nA,\"\"\n",
            b"id,name,x\nE00000001,\xe6\x9d\xad\xe5\xb7\x9e,,0,1,12.5\xe4\xb8\x87\xe5\x85\x83,,\nE00000002,,\"a,b\",3\r\nE3,,,,,,,,,,,,,,,,,\n",
        ]
        .map(<[u8]>::to_vec)
        .into();
        // More cells than csv-core's first buffer of ends holds, quoted
        // (csv-core's path) and plain, one after the other.
        let quoted = "\"q\",".repeat(99) + "z\n";
        let plain = "7,".repeat(99) + "z\n";
        texts.push(format!("{quoted}{plain}{quoted}a\n").into_bytes());
        let mut x: u64 = 11;
        for _ in 0..3000 {
            let mut text = Vec::new();
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            for _ in 0..(x >> 58) {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                // Mostly plain cells and line ends, as registers are.
                let i = usize::try_from((x >> 33) % 24).unwrap_or(0);
                let piece = pieces.get(i).copied().unwrap_or(match i % 3 {
                    0 => b"7,",
                    1 => b"x\n",
                    _ => b"12",
                });
                text.extend_from_slice(piece);
            }
            texts.push(text);
        }
        for text in &texts {
            for step in [1, 2, 5, 64, 1 << 16] {
                let want = by_the_csv_crate(text, step);
                assert_eq!(
                    by_ours(text, step),
                    want,
                    "{:?} in reads of {step}",
                    String::from_utf8_lossy(text)
                );
            }
        }
    }

    #[test]
    fn crlf_lines_are_counted_across_reads() {
        let text = b"id,x\r\nA,1\r\nB,\"2\r\n3\"\r\nC,4\r\n".to_vec();
        let (mut source, _) = Source::open(
            Box::new(Trickle(text, 0, 3)),
            InputFormat::Csv,
            Encoding::Utf8,
        )
        .unwrap_or_else(|_| panic!("opens"));
        let lines: Vec<u64> = source
            .chunk(10)
            .map(|c| c.rows.iter().map(RawRow::line).collect())
            .unwrap_or_default();
        assert_eq!(lines, [2, 3, 5]);
    }
}
