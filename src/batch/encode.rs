//! The encodings a result can be written in: UTF-8, UTF-8 with a
//! byte-order mark (what Chinese Excel needs to recognise UTF-8 CSV), and
//! GB18030 (what it reads without one). The rows are produced in UTF-8;
//! these writers convert them on the way out.

use std::io::{self, Write};

/// How a result is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputEncoding {
    /// UTF-8 without a byte-order mark.
    #[default]
    Utf8,
    /// UTF-8 starting with the byte-order mark EF BB BF (`--excel`).
    Bom,
    /// GB18030.
    Gb18030,
}

impl OutputEncoding {
    /// Wraps a writer so that UTF-8 written to it comes out encoded.
    pub fn wrap<'a>(self, inner: Box<dyn Write + 'a>) -> Box<dyn Write + 'a> {
        match self {
            OutputEncoding::Utf8 => inner,
            OutputEncoding::Bom => Box::new(Bom {
                inner,
                written: false,
            }),
            OutputEncoding::Gb18030 => Box::new(Gb18030 {
                inner,
                pending: Vec::new(),
            }),
        }
    }
}

/// Writes the byte-order mark before the first byte.
struct Bom<'a> {
    inner: Box<dyn Write + 'a>,
    written: bool,
}

impl Write for Bom<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !std::mem::replace(&mut self.written, true) {
            self.inner.write_all(b"\xEF\xBB\xBF")?;
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        if !std::mem::replace(&mut self.written, true) {
            self.inner.write_all(b"\xEF\xBB\xBF")?;
        }
        self.inner.flush()
    }
}

/// Converts UTF-8 to GB18030 (which encodes every character, so nothing
/// is lost). A character split between two writes waits in `pending`.
struct Gb18030<'a> {
    inner: Box<dyn Write + 'a>,
    pending: Vec<u8>,
}

impl Write for Gb18030<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let valid = match std::str::from_utf8(&self.pending) {
            Ok(s) => s.len(),
            // An incomplete character at the end: keep it for the next
            // write.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => {
                self.pending.truncate(self.pending.len() - buf.len());
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "结果不是有效的 UTF-8 文本，无法转为 GB18030",
                ));
            }
        };
        let text =
            std::str::from_utf8(self.pending.get(..valid).unwrap_or_default()).unwrap_or_default();
        let (bytes, _, _) = encoding_rs::GB18030.encode(text);
        self.inner.write_all(&bytes)?;
        self.pending.drain(..valid);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "结果末尾有不完整的 UTF-8 字符，无法转为 GB18030",
            ));
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(enc: OutputEncoding, parts: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut w = enc.wrap(Box::new(&mut out));
            for p in parts {
                w.write_all(p).unwrap_or_default();
            }
            w.flush().unwrap_or_default();
        }
        out
    }

    #[test]
    fn bom_comes_once_before_the_text() {
        assert_eq!(
            through(OutputEncoding::Bom, &[b"id,", "合计\n".as_bytes()]),
            b"\xEF\xBB\xBFid,\xE5\x90\x88\xE8\xAE\xA1\n"
        );
    }

    #[test]
    fn gb18030_keeps_characters_split_between_writes() {
        // 合 is E5 90 88 in UTF-8 and BA CF in GB18030; 计 is BC C6.
        let utf8 = "合计".as_bytes();
        let (a, b) = utf8.split_at(2);
        assert_eq!(
            through(OutputEncoding::Gb18030, &[a, b]),
            b"\xBA\xCF\xBC\xC6"
        );
    }
}
