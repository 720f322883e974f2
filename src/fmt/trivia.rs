//! What the parser skips but the formatter must keep or consult: comments,
//! blank lines, and the words the syntax tree folds together (`且` and
//! `并且`, `超过` and `高于`, …), read back from the source by span.

use crate::lexicon::trivia::{self, is_space};
use crate::source::Span;

/// A `#` comment as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Comment {
    /// The byte offset of `#`.
    pub start: usize,
    /// One past the last byte before the line break.
    pub end: usize,
    /// The text from `#`, trailing whitespace removed.
    pub text: String,
}

/// Every comment of a text, in order. `#` inside 「…」, “…”, "…", ‘…’,
/// '…' and 《…》 is text, not a comment.
pub(super) fn comments(text: &str) -> Vec<Comment> {
    trivia::segments(text)
        .filter(|s| s.kind == trivia::Kind::Comment)
        .map(|s| Comment {
            start: s.range.start,
            end: s.range.end,
            text: text.get(s.range).unwrap_or("#").trim_end().to_string(),
        })
        .collect()
}

/// The source text with helpers for reading it around spans.
#[derive(Debug, Clone, Copy)]
pub(super) struct Text<'a> {
    /// The whole file.
    pub src: &'a str,
    /// Its comments, in order.
    pub comments: &'a [Comment],
}

impl<'a> Text<'a> {
    /// `span` without the whitespace and comments at its end. pest lets a
    /// rule that ends in an optional or repeated part (`clause_attr*`)
    /// swallow the trivia after its last token.
    pub(super) fn trim(self, span: Span) -> Span {
        let mut end = span.end;
        loop {
            let before = self.between(span.start, end);
            end = span.start + before.trim_end_matches(is_space).len();
            let comment = self
                .comments
                .binary_search_by_key(&end, |c| c.end)
                .ok()
                .and_then(|i| self.comments.get(i))
                .filter(|c| c.start >= span.start);
            match comment {
                Some(c) => end = c.start,
                None => return Span::new(span.start, end),
            }
        }
    }

    /// The text of a span ("" when it does not fit).
    pub(super) fn slice(self, span: Span) -> &'a str {
        self.src.get(span.start..span.end).unwrap_or("")
    }

    /// The text from `start` to `end` ("" when it does not fit).
    pub(super) fn between(self, start: usize, end: usize) -> &'a str {
        self.src.get(start..end).unwrap_or("")
    }

    /// The first character at `pos`, if any.
    pub(super) fn char_at(self, pos: usize) -> Option<char> {
        self.src.get(pos..).and_then(|s| s.chars().next())
    }

    /// The offset of the first character at or after `pos` that is neither
    /// whitespace nor part of a comment.
    pub(super) fn next_token(self, pos: usize) -> usize {
        let rest = self.src.get(pos..).unwrap_or("");
        trivia::token_chars(rest)
            .next()
            .map_or(self.src.len(), |(i, _)| pos + i)
    }

    /// The offset just after the token at `next_token(pos)` when that token
    /// is one of `chars` (a brace, a parenthesis), else `None`.
    pub(super) fn skip_char(self, pos: usize, chars: &[char]) -> Option<usize> {
        let at = self.next_token(pos);
        let c = self.char_at(at)?;
        chars.contains(&c).then(|| at + c.len_utf8())
    }

    /// `pos` moved past any closing parentheses that follow it: a condition
    /// or expression written in parentheses has the span of its inside.
    pub(super) fn past_close_parens(self, mut pos: usize) -> usize {
        while let Some(next) = self.skip_char(pos, &[')', '）']) {
            pos = next;
        }
        pos
    }

    /// Whether a blank line precedes `pos`, which starts its line (only
    /// whitespace before it on the line).
    pub(super) fn blank_before(self, pos: usize) -> bool {
        let Some(before) = self.src.get(..pos) else {
            return false;
        };
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let lead = before.get(line_start..).unwrap_or("");
        if line_start == 0 || !lead.chars().all(is_space) {
            return false;
        }
        let prev = before.get(..line_start - 1).unwrap_or("");
        let prev_start = prev.rfind('\n').map_or(0, |i| i + 1);
        prev.get(prev_start..).unwrap_or("x").chars().all(is_space)
    }

    /// Whether only whitespace (no line break) and the `；` that may end a
    /// clause separate `end` from `pos`.
    pub(super) fn same_line(self, end: usize, pos: usize) -> bool {
        end <= pos
            && self
                .between(end, pos)
                .chars()
                .all(|c| (is_space(c) || c == '；' || c == ';') && c != '\n' && c != '\r')
    }

    /// The first of `words` written between `start` and `end`, outside
    /// comments and quotations; at one position the longest word wins.
    /// This recovers the synonym a drafter chose (`或者` rather than `或`)
    /// where the syntax tree keeps only the meaning.
    pub(super) fn word(
        self,
        start: usize,
        end: usize,
        words: &[&'static str],
    ) -> Option<&'static str> {
        let region = self.between(start, end);
        trivia::code_chars(region).find_map(|(i, _)| {
            let rest = region.get(i..).unwrap_or("");
            words
                .iter()
                .filter(|w| rest.starts_with(**w))
                .max_by_key(|w| w.len())
                .copied()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_inside_strings_is_text() {
        let t = "对 “a#b” 给予 1元 # 注\n原文 「#不是注释」 #二\n《标#题》 ‘c#’ 'd#' \"e#\"";
        let cs = comments(t);
        let texts: Vec<&str> = cs.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["# 注", "#二"]);
    }

    #[test]
    fn next_token_skips_comments() {
        let t = Text {
            src: "  # x\n  }",
            comments: &[],
        };
        assert_eq!(t.char_at(t.next_token(0)), Some('}'));
    }

    #[test]
    fn trim_drops_trailing_comments() {
        let src = "对 a 给予 1元 # x\n  # y\n 对";
        let cs = comments(src);
        let t = Text { src, comments: &cs };
        let end = src.find("对 a").unwrap_or(0) + "对 a 给予 1元".len();
        assert_eq!(t.trim(Span::new(0, src.len() - 4)).end, end);
    }

    #[test]
    fn blank_lines() {
        let t = Text {
            src: "a\n\n  b\nc d",
            comments: &[],
        };
        assert!(t.blank_before(5));
        assert!(!t.blank_before(7));
        assert!(!t.blank_before(9));
    }

    #[test]
    fn longest_word_at_a_position() {
        let t = Text {
            src: " 最高不超过 x",
            comments: &[],
        };
        assert_eq!(
            t.word(0, t.src.len(), &["最高", "最高不超过"]),
            Some("最高不超过")
        );
    }
}
