//! Conditions: 或, 且, lists, juxtaposition, negation and comparisons.

use super::expr::expr;
use super::{LowerError, R, broken, name, rank, sp};
use crate::ast::*;
use crate::source::{Span, Spanned};
use crate::syntax::Rule;
use crate::syntax::cursor::{Cursor, Node};

pub(super) fn cond(p: Node<'_>) -> R<Cond> {
    let span = sp(&p);
    let mut parts = Vec::new();
    for q in Cursor::new(&p) {
        if q.as_rule() == Rule::and_cond {
            parts.push(and_cond(q)?);
        }
    }
    Ok(collapse(parts, span, Cond::Or))
}

pub(super) fn collapse(
    mut parts: Vec<Cond>,
    span: Span,
    make: fn(Vec<Cond>, Span) -> Cond,
) -> Cond {
    if parts.len() == 1
        && let Some(only) = parts.pop()
    {
        return only;
    }
    make(parts, span)
}

pub(super) fn and_cond(p: Node<'_>) -> R<Cond> {
    let span = sp(&p);
    let mut parts = Vec::new();
    for q in Cursor::new(&p) {
        if q.as_rule() == Rule::list_cond {
            parts.push(list_cond(q)?);
        }
    }
    Ok(collapse(parts, span, Cond::And))
}

pub(super) fn list_cond(p: Node<'_>) -> R<Cond> {
    let span = sp(&p);
    let mut parts = Vec::new();
    for q in Cursor::new(&p) {
        if q.as_rule() == Rule::juxt {
            parts.push(juxt(q)?);
        }
    }
    Ok(collapse(parts, span, Cond::List))
}

pub(super) fn juxt(p: Node<'_>) -> R<Cond> {
    let span = sp(&p);
    let parts = Cursor::new(&p).map(unary).collect::<R<Vec<_>>>()?;
    Ok(collapse(parts, span, Cond::And))
}

pub(super) fn unary(p: Node<'_>) -> R<Cond> {
    let span = sp(&p);
    let mut nots = 0usize;
    let mut inner = None;
    for q in Cursor::new(&p) {
        match q.as_rule() {
            Rule::not_kw => nots += 1,
            Rule::atom => inner = Some(atom(q)?),
            _ => return broken(&q, "条件"),
        }
    }
    let Some(inner) = inner else {
        return broken(&p, "缺少条件");
    };
    // Double negation cancels; keeping the tree flat keeps evaluation
    // recursion bounded by parentheses alone.
    Ok(if nots % 2 == 1 {
        Cond::Not(Box::new(inner), span)
    } else {
        inner
    })
}

pub(super) fn atom(p: Node<'_>) -> R<Cond> {
    let mut c = Cursor::new(&p);
    let q = c.any()?;
    c.finish()?;
    match q.as_rule() {
        Rule::paren_cond => cond(Cursor::new(&q).expect(Rule::cond)?),
        Rule::comparison => comparison(q),
        Rule::ordinal => {
            let span = sp(&q);
            let mut oc = Cursor::new(&q);
            let n = name(oc.expect(Rule::name)?)?;
            let inclusive = oc.optional(Rule::inclusive).is_some();
            let suffix = oc.expect(Rule::cmp_suffix)?;
            let word = suffix_word(&suffix)?;
            Ok(Cond::Compare(Compare {
                lhs: None,
                op: word.op(),
                rhs: vec![Expr::Name(n)],
                contradictory: false,
                wording: Wording::Suffix {
                    inclusive,
                    suffix: word,
                },
                op_span: sp(&suffix),
                span,
            }))
        }
        Rule::name => Ok(Cond::Word(name(q)?)),
        Rule::consecutive => consecutive(q),
        _ => broken(&q, "条件"),
    }
}

/// `自 上规日期 起 连续3年 在规`.
fn consecutive(p: Node<'_>) -> R<Cond> {
    let span = sp(&p);
    let mut c = Cursor::new(&p);
    c.expect(Rule::kw_zi)?;
    let event = name(c.expect(Rule::name)?)?;
    c.expect(Rule::kw_qi)?;
    let y = c.expect(Rule::consecutive_years)?;
    let fact = name(c.expect(Rule::name)?)?;
    c.finish()?;
    let mut yc = Cursor::new(&y);
    let years = super::clause::year_count(&mut yc)?;
    yc.finish()?;
    Ok(Cond::Consecutive(Consecutive {
        event,
        years: Spanned::new(years, sp(&y)),
        fact,
        span,
    }))
}

fn suffix_word(suffix: &Node<'_>) -> R<CmpSuffix> {
    match CmpSuffix::parse(suffix.as_str()) {
        Some(w) => Ok(w),
        None => broken(suffix, "比较词"),
    }
}

/// The value compared with: an expression, or a fraction (checked into
/// a cross-multiplication).
fn cmp_value(v: Node<'_>) -> R<Expr> {
    match v.as_rule() {
        Rule::fraction => Ok(Expr::Lit(Spanned::new(super::lit_of(&v)?, sp(&v)))),
        _ => expr(v),
    }
}

pub(super) fn comparison(p: Node<'_>) -> R<Cond> {
    let span = sp(&p);
    let mut c = Cursor::new(&p);
    let lhs = expr(c.expect(Rule::expr)?)?;
    let tail = c.expect(Rule::cmp_tail)?;
    c.finish()?;
    let mut tc = Cursor::new(&tail);
    let first = tc.any()?;
    let mut op_span = sp(&first);
    let (op, rhs, contradictory, wording) = match first.as_rule() {
        Rule::rank_top => {
            let n = Expr::Lit(Spanned::new(Literal::Rank(rank(&first)?), sp(&first)));
            (CmpOp::Le, vec![n], false, Wording::Top)
        }
        Rule::cmp_word => {
            let rhs = cmp_value(tc.any()?)?;
            let inclusive = tc.optional(Rule::inclusive).is_some();
            let suffix = tc.optional(Rule::cmp_suffix);
            let (op, contra, wording) = word_op(&first, inclusive, suffix.as_ref(), span)?;
            (op, vec![rhs], contra, wording)
        }
        Rule::sym_op => {
            let Some(op) = crate::lexicon::cmp::symbol(first.as_str()) else {
                return broken(&first, "比较符号");
            };
            let rhs = cmp_value(tc.any()?)?;
            (op, vec![rhs], false, Wording::Symbol)
        }
        Rule::eq_kw | Rule::member_kw => {
            let Some(word) = EqWord::parse(first.as_str()) else {
                return broken(&first, "比较词");
            };
            let list = tc.expect(Rule::value_list)?;
            let values = Cursor::new(&list)
                .filter(|x| x.as_rule() == Rule::expr)
                .map(expr)
                .collect::<R<Vec<_>>>()?;
            (word.op(), values, false, Wording::Equal(word))
        }
        Rule::expr | Rule::fraction => {
            let rhs = cmp_value(first)?;
            let inclusive = tc.optional(Rule::inclusive).is_some();
            let suffix = tc.expect(Rule::cmp_suffix)?;
            op_span = sp(&suffix);
            let word = suffix_word(&suffix)?;
            let wording = Wording::Suffix {
                inclusive,
                suffix: word,
            };
            (word.op(), vec![rhs], false, wording)
        }
        _ => return broken(&first, "比较"),
    };
    tc.finish()?;
    Ok(Cond::Compare(Compare {
        lhs: Some(lhs),
        op,
        rhs,
        contradictory,
        wording,
        op_span,
        span,
    }))
}

/// The operator of `<word> X (（含）) (<suffix>)`, as the lexicon reads it;
/// a word and a suffix pointing opposite ways are a conflict.
pub(super) fn word_op(
    word: &Node<'_>,
    inclusive: bool,
    suffix: Option<&Node<'_>>,
    span: Span,
) -> R<(CmpOp, bool, Wording)> {
    let Some(w) = CmpWord::parse(word.as_str()) else {
        return broken(word, "比较词");
    };
    let s = suffix.map(suffix_word).transpose()?;
    let (op, contradictory) = crate::lexicon::cmp::meaning(w, inclusive, s).map_err(|_| {
        let s = suffix.map_or("", |s| s.as_str());
        LowerError::Conflict(span, format!("{} … {s}", w.text()))
    })?;
    let wording = Wording::Word {
        word: w,
        inclusive,
        suffix: s,
    };
    Ok((op, contradictory, wording))
}
