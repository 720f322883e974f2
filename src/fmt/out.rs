//! The output buffer: lines at an indentation, blank lines kept where the
//! drafter left one (never two, never after `{`), and every comment emitted
//! once, in source order.
//!
//! Comments are placed by position. A comment before a unit (an item, an
//! entry, a segment of a clause) stays on its own line before it; a comment
//! after a unit on the same line stays at the end of that line; comments
//! written inside a one-line unit move before it (or, if there is exactly
//! one and nothing trails the unit, to the end of its line).

use unicode_width::UnicodeWidthStr;

use super::trivia::{Comment, Text};
use crate::source::Span;

/// How a unit treats the comments around it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Place {
    /// Whether a blank line before it in the source is kept.
    pub blanks: bool,
    /// Comments written inside it go after it, at this indentation
    /// (inside a clause, so that they stay inside it), instead of before it.
    pub inside_after: Option<usize>,
}

impl Place {
    /// An item or an entry of a block.
    pub(super) const ITEM: Place = Place {
        blanks: true,
        inside_after: None,
    };
}

/// Display width in columns (CJK characters take two).
pub(super) fn width(s: &str) -> usize {
    s.width()
}

/// Formatted text under construction.
pub(super) struct Out<'a> {
    /// The source.
    pub t: Text<'a>,
    comments: &'a [Comment],
    next: usize,
    buf: String,
    fresh: bool,
}

impl<'a> Out<'a> {
    /// An empty buffer for formatting `t`.
    pub(super) fn new(t: Text<'a>) -> Self {
        Out {
            t,
            comments: t.comments,
            next: 0,
            buf: String::new(),
            fresh: true,
        }
    }

    /// The text, with the comments after the last item; ends with one line
    /// break (or is empty).
    pub(super) fn finish(mut self) -> String {
        self.comments_before(usize::MAX, 0, true);
        while self.buf.ends_with("\n\n") {
            self.buf.pop();
        }
        self.buf
    }

    /// Writes one line.
    pub(super) fn line(&mut self, indent: usize, text: &str) {
        self.buf.push_str(&" ".repeat(indent));
        self.buf.push_str(text);
        self.buf.push('\n');
        self.fresh = false;
    }

    /// The next line starts a block: no blank line before it.
    pub(super) fn open(&mut self) {
        self.fresh = true;
    }

    fn blank(&mut self) {
        if !self.fresh && !self.buf.is_empty() && !self.buf.ends_with("\n\n") {
            self.buf.push('\n');
        }
    }

    /// A blank line if the source has one before `pos`.
    pub(super) fn blank_before(&mut self, pos: usize) {
        if self.t.blank_before(pos) {
            self.blank();
        }
    }

    /// Emits, each on its own line, the comments that start before `pos`.
    pub(super) fn comments_before(&mut self, pos: usize, indent: usize, blanks: bool) {
        while let Some(c) = self.comments.get(self.next).cloned()
            && c.start < pos
        {
            if blanks {
                self.blank_before(c.start);
            }
            self.line(indent, &c.text);
            self.next += 1;
        }
    }

    fn pending(&self) -> &'a [Comment] {
        self.comments.get(self.next..).unwrap_or(&[])
    }

    /// How many comments start strictly inside `span`.
    pub(super) fn comments_within(&self, span: Span) -> usize {
        let span = self.t.trim(span);
        self.pending()
            .iter()
            .filter(|c| c.start > span.start && c.start < span.end)
            .count()
    }

    /// Whether a comment follows `end` on the same line.
    pub(super) fn note_after(&self, end: usize) -> bool {
        let end = self.t.trim(Span::new(0, end)).end;
        self.pending()
            .iter()
            .find(|c| c.start >= end)
            .is_some_and(|c| self.t.same_line(end, c.start))
    }

    /// Takes the comments that start before `end`.
    fn take_before(&mut self, end: usize) -> Vec<Comment> {
        let mut taken = Vec::new();
        while let Some(c) = self.comments.get(self.next)
            && c.start < end
        {
            taken.push(c.clone());
            self.next += 1;
        }
        taken
    }

    /// Takes the comment that follows `end` on the same line.
    pub(super) fn take_trailing(&mut self, end: usize) -> Option<Comment> {
        let c = self.comments.get(self.next)?;
        if c.start >= end && self.t.same_line(end, c.start) {
            self.next += 1;
            return Some(c.clone());
        }
        None
    }

    /// One unit of output: its leading comments, a kept blank line, its
    /// text (which may span lines only inside 「…」) and its comments.
    pub(super) fn unit(&mut self, span: Span, indent: usize, text: &str, place: Place) {
        let span = self.t.trim(span);
        self.comments_before(span.start, indent, place.blanks);
        if place.blanks {
            self.blank_before(span.start);
        }
        let mut inside = self.take_before(span.end);
        let mut trailing = self.take_trailing(span.end);
        if trailing.is_none() && inside.len() == 1 {
            trailing = inside.pop();
        }
        if let Some(after) = place.inside_after
            && !inside.is_empty()
        {
            self.line(indent, text);
            for c in inside.iter().chain(trailing.iter()) {
                self.line(after, &c.text);
            }
            return;
        }
        for c in &inside {
            self.line(indent, &c.text);
        }
        match trailing {
            Some(c) => self.line(indent, &format!("{text} {}", c.text)),
            None => self.line(indent, text),
        }
    }

    /// Closes a block opened at `indent`: the comments left inside it,
    /// `}` and a comment after it on the same line.
    pub(super) fn close(&mut self, end: usize, indent: usize) {
        self.comments_before(end, indent + 2, true);
        match self.take_trailing(end) {
            Some(c) => self.line(indent, &format!("}} {}", c.text)),
            None => self.line(indent, "}"),
        }
    }
}
