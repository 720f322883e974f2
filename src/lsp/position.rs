//! Byte offsets (what spans hold) ↔ LSP positions (line and UTF-16 code
//! unit, what the protocol requires: `研` is one unit, `𠀀` two).

use lsp_types::{Position, Range};

use crate::source::Span;

/// Where the lines of one text start.
#[derive(Debug, Clone)]
pub(super) struct LineMap<'a> {
    text: &'a str,
    /// Byte offset of the start of every line.
    starts: Vec<usize>,
}

impl<'a> LineMap<'a> {
    /// Indexes a text.
    pub(super) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineMap { text, starts }
    }

    /// The position of a byte offset (clamped to the text).
    pub(super) fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let units: usize = self
            .text
            .get(start..offset)
            .unwrap_or("")
            .chars()
            .map(char::len_utf16)
            .sum();
        Position::new(as_u32(line), as_u32(units))
    }

    /// The byte offset of a position: past the end of a line is its end,
    /// inside a surrogate pair is the character's start.
    pub(super) fn offset(&self, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return self.text.len();
        };
        let line = self.text.get(start..).unwrap_or("");
        let line = line.split('\n').next().unwrap_or("");
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut units = 0usize;
        for (i, c) in line.char_indices() {
            units += c.len_utf16();
            if units > pos.character as usize {
                return start + i;
            }
        }
        start + line.len()
    }

    /// The range of a span.
    pub(super) fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }
}

fn as_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        let m = LineMap::new("对 研发\n𠀀甲 乙\r\n");
        assert_eq!(m.position(0), Position::new(0, 0));
        assert_eq!(m.position("对 研".len()), Position::new(0, 3));
        let line2 = "对 研发\n".len();
        assert_eq!(m.position(line2 + "𠀀".len()), Position::new(1, 2));
        assert_eq!(m.offset(Position::new(1, 2)), line2 + "𠀀".len());
        assert_eq!(m.offset(Position::new(1, 1)), line2);
        assert_eq!(m.offset(Position::new(1, 99)), line2 + "𠀀甲 乙".len());
        assert_eq!(m.offset(Position::new(0, 2)), "对 ".len());
    }
}
