//! A cursor over a pair's children that reports a broken tree as an
//! internal error instead of panicking.

use pest::iterators::{Pair, Pairs};
use std::iter::Peekable;

use super::Rule;
use crate::source::Span;

/// Why lowering could not go on: the tree did not have the expected shape.
#[derive(Debug, Clone)]
pub struct Broken {
    /// Where.
    pub span: Span,
    /// What was expected.
    pub message: String,
}

/// The children of one pair, consumed in order.
pub struct Cursor<'i> {
    inner: Peekable<Pairs<'i, Rule>>,
    span: Span,
}

impl<'i> Cursor<'i> {
    /// The children of `pair`.
    pub fn new(pair: &Pair<'i, Rule>) -> Self {
        Cursor {
            inner: pair.clone().into_inner().peekable(),
            span: pair.as_span().into(),
        }
    }

    /// The next child, which must be `rule`.
    pub fn expect(&mut self, rule: Rule) -> Result<Pair<'i, Rule>, Broken> {
        match self.inner.next() {
            Some(p) if p.as_rule() == rule => Ok(p),
            Some(p) => Err(Broken {
                span: p.as_span().into(),
                message: format!("应为 {rule:?}，实为 {:?}", p.as_rule()),
            }),
            None => Err(Broken {
                span: self.span,
                message: format!("缺少 {rule:?}"),
            }),
        }
    }

    /// The next child, whatever it is.
    pub fn any(&mut self) -> Result<Pair<'i, Rule>, Broken> {
        self.inner.next().ok_or(Broken {
            span: self.span,
            message: "缺少子节点".into(),
        })
    }

    /// The next child if it is `rule`.
    pub fn optional(&mut self, rule: Rule) -> Option<Pair<'i, Rule>> {
        if self.peek() == Some(rule) {
            self.inner.next()
        } else {
            None
        }
    }

    /// The rule of the next child.
    pub fn peek(&mut self) -> Option<Rule> {
        self.inner.peek().map(|p| p.as_rule())
    }

    /// Succeeds only when every child was consumed.
    pub fn finish(mut self) -> Result<(), Broken> {
        match self.inner.next() {
            None => Ok(()),
            Some(p) => Err(Broken {
                span: p.as_span().into(),
                message: format!("多余的 {:?}", p.as_rule()),
            }),
        }
    }
}

impl<'i> Iterator for Cursor<'i> {
    type Item = Pair<'i, Rule>;
    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next()
    }
}
