//! Expressions: arithmetic, 的 and 按, functions and bands.

use super::{R, broken, lit_of, name, period, sp};
use crate::ast::*;
use crate::source::Spanned;
use crate::syntax::Rule;
use crate::syntax::cursor::{Cursor, Node};

pub(super) fn expr(p: Node<'_>) -> R<Expr> {
    let span = sp(&p);
    let shift = p.children().find(|c| c.as_rule() == Rule::shift_tail);
    let base = chain(p, Rule::term, term, Rule::add_op, |op| {
        if matches!(op, "+" | "＋") {
            ArithOp::Add
        } else {
            ArithOp::Sub
        }
    })?;
    let Some(tail) = shift else {
        return Ok(base);
    };
    let mut c = Cursor::new(&tail);
    let back = c.optional(Rule::kw_qian).is_some();
    if !back {
        c.expect(Rule::kw_hou)?;
    }
    let period = period(&c.expect(Rule::period)?)?;
    c.finish()?;
    Ok(Expr::Shift {
        base: Box::new(base),
        period,
        back,
        span,
    })
}

pub(super) fn term(p: Node<'_>) -> R<Expr> {
    chain(p, Rule::factor, factor, Rule::mul_op, |op| {
        if matches!(op, "÷" | "/") {
            ArithOp::Div
        } else {
            ArithOp::Mul
        }
    })
}

/// `a + b - c` (terms joined by add_op) or `a × b ÷ c` (factors joined by
/// mul_op): one operand alone is itself, more make one `Expr::Arith`.
fn chain(
    p: Node<'_>,
    part: Rule,
    lower: fn(Node<'_>) -> R<Expr>,
    op_rule: Rule,
    op: fn(&str) -> ArithOp,
) -> R<Expr> {
    let span = sp(&p);
    let mut c = Cursor::new(&p);
    let first = lower(c.expect(part)?)?;
    let mut rest = Vec::new();
    while let Some(o) = c.optional(op_rule) {
        rest.push((op(o.as_str()), lower(c.expect(part)?)?));
    }
    // A shift after a sum (`expr`) is lowered by `expr`.
    c.optional(Rule::shift_tail);
    c.finish()?;
    Ok(if rest.is_empty() {
        first
    } else {
        Expr::Arith {
            first: Box::new(first),
            rest,
            span,
        }
    })
}

pub(super) fn factor(p: Node<'_>) -> R<Expr> {
    let span = sp(&p);
    let mut c = Cursor::new(&p);
    let mut base = primary(c.expect(Rule::primary)?)?;
    if let Some(cv) = c.optional(Rule::convert) {
        let mut cc = Cursor::new(&cv);
        cc.expect(Rule::kw_an)?;
        let rate = primary(cc.expect(Rule::primary)?)?;
        cc.expect(Rule::kw_zhesuan)?;
        cc.finish()?;
        let span = base.span().to(sp(&cv));
        base = Expr::Convert {
            amount: Box::new(base),
            rate: Box::new(rate),
            span,
        };
    }
    let base_cap = match c.optional(Rule::base_cap) {
        Some(bc) => {
            let mut bcc = Cursor::new(&bc);
            bcc.expect(Rule::cap_kw)?;
            Some(Box::new(primary(bcc.expect(Rule::primary)?)?))
        }
        None => None,
    };
    let mut shares = Vec::new();
    while c.optional(Rule::kw_de).is_some() {
        c.optional(Rule::kw_an);
        shares.push(match c.optional(Rule::fraction) {
            Some(f) => Expr::Lit(Spanned::new(lit_of(&f)?, sp(&f))),
            None => primary(c.expect(Rule::primary)?)?,
        });
    }
    c.finish()?;
    Ok(if shares.is_empty() && base_cap.is_none() {
        base
    } else {
        Expr::Of {
            base: Box::new(base),
            base_cap,
            shares,
            span,
        }
    })
}

pub(super) fn primary(p: Node<'_>) -> R<Expr> {
    let mut c = Cursor::new(&p);
    let q = c.any()?;
    c.finish()?;
    let span = sp(&q);
    match q.as_rule() {
        Rule::operand => operand(q),
        Rule::period => Ok(Expr::Period(period(&q)?)),
        Rule::func_call => {
            let mut fc = Cursor::new(&q);
            let f = fc.expect(Rule::func_name)?;
            let func = if f.as_str() == "较高者" {
                Func::Max
            } else {
                Func::Min
            };
            let mut args = Vec::new();
            for a in fc {
                if a.as_rule() == Rule::expr {
                    args.push(expr(a)?);
                }
            }
            Ok(Expr::Call { func, args, span })
        }
        _ => Ok(Expr::Lit(Spanned::new(lit_of(&q)?, span))),
    }
}

/// A word or `(…)`, and when a band's tail follows it, the band
/// (`技术交易额 超过 1亿元 的部分 按 2‰`).
pub(super) fn operand(p: Node<'_>) -> R<Expr> {
    let span = sp(&p);
    let mut c = Cursor::new(&p);
    let subject = {
        let s = c.expect(Rule::band_subject)?;
        let inner = Cursor::new(&s).any()?;
        match inner.as_rule() {
            Rule::paren_expr => expr(Cursor::new(&inner).expect(Rule::expr)?)?,
            Rule::name => Expr::Name(name(inner)?),
            _ => return broken(&inner, "分段基数"),
        }
    };
    let Some(tail) = c.optional(Rule::band_tail) else {
        c.finish()?;
        return Ok(subject);
    };
    c.finish()?;
    let mut c = Cursor::new(&tail);
    let op = c.expect(Rule::band_op)?;
    let above = op.as_str() == "超过";
    let bound = {
        let b = c.expect(Rule::band_bound)?;
        let inner = Cursor::new(&b).any()?;
        match inner.as_rule() {
            Rule::name => Expr::Name(name(inner)?),
            _ => Expr::Lit(Spanned::new(lit_of(&inner)?, sp(&inner))),
        }
    };
    c.expect(Rule::kw_bufen)?;
    c.optional(Rule::kw_an);
    let rate = {
        let r = c.expect(Rule::band_rate)?;
        let inner = Cursor::new(&r).any()?;
        match inner.as_rule() {
            Rule::paren_expr => expr(Cursor::new(&inner).expect(Rule::expr)?)?,
            Rule::name => Expr::Name(name(inner)?),
            _ => Expr::Lit(Spanned::new(lit_of(&inner)?, sp(&inner))),
        }
    };
    c.finish()?;
    Ok(Expr::Band {
        subject: Box::new(subject),
        above,
        bound: Box::new(bound),
        rate: Box::new(rate),
        span,
    })
}
