//! Conditions: 或, 且, lists, juxtaposition, negation and comparisons.

use super::expr::expr;
use super::{LowerError, R, broken, name, sp};
use crate::ast::*;
use crate::source::Span;
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
            let incl = oc.optional(Rule::inclusive).is_some();
            let suffix = oc.expect(Rule::cmp_suffix)?;
            let (op, contradictory) = suffix_op(&suffix, incl);
            Ok(Cond::Compare(Compare {
                lhs: None,
                op,
                rhs: vec![Expr::Name(n)],
                contradictory,
                op_span: sp(&suffix),
                span,
            }))
        }
        Rule::name => Ok(Cond::Word(name(q)?)),
        _ => broken(&q, "条件"),
    }
}

pub(super) fn suffix_op(suffix: &Node<'_>, _incl: bool) -> (CmpOp, bool) {
    match suffix.as_str() {
        "以下" | "及以下" | "以内" => (CmpOp::Le, false),
        _ => (CmpOp::Ge, false),
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
    let op_span = sp(&first);
    let (op, rhs, contradictory) = match first.as_rule() {
        Rule::cmp_word => {
            let rhs = expr(tc.expect(Rule::expr)?)?;
            let incl = tc.optional(Rule::inclusive).is_some();
            let suffix = tc.optional(Rule::cmp_suffix);
            let (op, contra) = word_op(&first, incl, suffix.as_ref(), span)?;
            (op, vec![rhs], contra)
        }
        Rule::sym_op => {
            let op = match first.as_str() {
                ">=" | "≥" | "＞＝" => CmpOp::Ge,
                "<=" | "≤" | "＜＝" => CmpOp::Le,
                ">" | "＞" => CmpOp::Gt,
                "<" | "＜" => CmpOp::Lt,
                _ => CmpOp::Eq,
            };
            (op, vec![expr(tc.expect(Rule::expr)?)?], false)
        }
        Rule::eq_kw | Rule::member_kw => {
            let negated = first.as_str().starts_with('不');
            let list = tc.expect(Rule::value_list)?;
            let values = Cursor::new(&list)
                .filter(|x| x.as_rule() == Rule::expr)
                .map(expr)
                .collect::<R<Vec<_>>>()?;
            (if negated { CmpOp::Ne } else { CmpOp::Eq }, values, false)
        }
        Rule::expr => {
            let rhs = expr(first)?;
            let incl = tc.optional(Rule::inclusive).is_some();
            let suffix = tc.expect(Rule::cmp_suffix)?;
            let (op, contra) = suffix_op(&suffix, incl);
            return Ok(Cond::Compare(Compare {
                lhs: Some(lhs),
                op,
                rhs: vec![rhs],
                contradictory: contra,
                op_span: sp(&suffix),
                span,
            }));
        }
        _ => return broken(&first, "比较"),
    };
    tc.finish()?;
    Ok(Cond::Compare(Compare {
        lhs: Some(lhs),
        op,
        rhs,
        contradictory,
        op_span,
        span,
    }))
}

/// The operator of `<word> X (（含）) (<suffix>)`, by 《民法典》第一千二百五十九条:
/// 以上/以下/以内/达到/不低于/不少于 include the number, 超过/高于/低于/不足/不满
/// exclude it, and an explicit （含） makes the bound inclusive.
pub(super) fn word_op(
    word: &Node<'_>,
    incl: bool,
    suffix: Option<&Node<'_>>,
    span: Span,
) -> R<(CmpOp, bool)> {
    let w = word.as_str();
    let base = match w {
        "超过" | "高于" | "大于" | "多于" => CmpOp::Gt,
        "达到" | "达" | "不低于" | "不少于" => CmpOp::Ge,
        "低于" | "不足" | "不满" | "小于" | "少于" => CmpOp::Lt,
        "不超过" | "不高于" => CmpOp::Le,
        _ => return broken(word, "比较词"),
    };
    let upward = matches!(base, CmpOp::Gt | CmpOp::Ge);
    let suffix_up = suffix.map(|s| matches!(s.as_str(), "以上" | "及以上"));
    if let (Some(up), Some(s)) = (suffix_up, suffix)
        && up != upward
    {
        return Err(LowerError::Conflict(span, format!("{w} … {}", s.as_str())));
    }
    let exclusive = matches!(base, CmpOp::Gt | CmpOp::Lt);
    let made_inclusive = incl || suffix.is_some();
    let op = match (base, made_inclusive) {
        (CmpOp::Gt, true) => CmpOp::Ge,
        (CmpOp::Lt, true) => CmpOp::Le,
        (op, _) => op,
    };
    Ok((op, exclusive && made_inclusive))
}
