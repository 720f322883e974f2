//! The pairs lowering reads, placed in their file, and a cursor over a
//! pair's children that reports a broken tree as an internal error instead
//! of panicking.

use pest::iterators::{Pair, Pairs};
use std::iter::Peekable;

use super::Rule;
use crate::source::Span;

/// A pest pair and where the text pest read it from starts in the file.
///
/// pest counts positions from the start of the text it is given, and a
/// file is given to it one item at a time, each read starting where the
/// item before ended (`syntax::parse`). Every span lowering builds comes
/// from [`Node::span`], which adds that start back: no other conversion
/// from pest's positions exists.
#[derive(Clone)]
pub(super) struct Node<'i> {
    pair: Pair<'i, Rule>,
    base: usize,
}

impl<'i> Node<'i> {
    /// `pair`, read from the text that starts at byte `base` of its file.
    pub(super) fn new(pair: Pair<'i, Rule>, base: usize) -> Self {
        Node { pair, base }
    }

    /// The grammar rule that matched.
    pub(super) fn as_rule(&self) -> Rule {
        self.pair.as_rule()
    }

    /// The text it matched.
    pub(super) fn as_str(&self) -> &'i str {
        self.pair.as_str()
    }

    /// Where that text is in the file (with whatever white space pest
    /// skipped after the last token of a rule that is not atomic).
    pub(super) fn span(&self) -> Span {
        let span = self.pair.as_span();
        Span::new(self.base + span.start(), self.base + span.end())
    }

    /// Its children, in order.
    pub(super) fn children(&self) -> impl DoubleEndedIterator<Item = Node<'i>> + use<'i> {
        let base = self.base;
        self.pair
            .clone()
            .into_inner()
            .map(move |p| Node::new(p, base))
    }
}

/// Why lowering could not go on: the tree did not have the expected shape.
#[derive(Debug, Clone)]
pub(super) struct Broken {
    /// Where.
    pub span: Span,
    /// What was expected.
    pub message: String,
}

/// The children of one pair, consumed in order.
pub(super) struct Cursor<'i> {
    inner: Peekable<Pairs<'i, Rule>>,
    base: usize,
    span: Span,
}

impl<'i> Cursor<'i> {
    /// The children of `node`.
    pub(super) fn new(node: &Node<'i>) -> Self {
        Cursor {
            inner: node.pair.clone().into_inner().peekable(),
            base: node.base,
            span: node.span(),
        }
    }

    fn place(&self, pair: Pair<'i, Rule>) -> Node<'i> {
        Node::new(pair, self.base)
    }

    /// The next child, which must be `rule`.
    pub(super) fn expect(&mut self, rule: Rule) -> Result<Node<'i>, Broken> {
        match self.next() {
            Some(p) if p.as_rule() == rule => Ok(p),
            Some(p) => Err(Broken {
                span: p.span(),
                message: format!("应为 {rule:?}，实为 {:?}", p.as_rule()),
            }),
            None => Err(Broken {
                span: self.span,
                message: format!("缺少 {rule:?}"),
            }),
        }
    }

    /// The next child, whatever it is.
    pub(super) fn any(&mut self) -> Result<Node<'i>, Broken> {
        self.next().ok_or(Broken {
            span: self.span,
            message: "缺少子节点".into(),
        })
    }

    /// The next child if it is `rule`.
    pub(super) fn optional(&mut self, rule: Rule) -> Option<Node<'i>> {
        if self.peek() == Some(rule) {
            self.next()
        } else {
            None
        }
    }

    /// The rule of the next child.
    pub(super) fn peek(&mut self) -> Option<Rule> {
        self.inner.peek().map(|p| p.as_rule())
    }

    /// Succeeds only when every child was consumed.
    pub(super) fn finish(mut self) -> Result<(), Broken> {
        match self.next() {
            None => Ok(()),
            Some(p) => Err(Broken {
                span: p.span(),
                message: format!("多余的 {:?}", p.as_rule()),
            }),
        }
    }
}

impl<'i> Iterator for Cursor<'i> {
    type Item = Node<'i>;
    fn next(&mut self) -> Option<Self::Item> {
        let pair = self.inner.next()?;
        Some(self.place(pair))
    }
}
