//! Ranges: `投资额 的 5% 至 20%`, `10万元 至 50万元`. The ceiling `20%`
//! after a share `X 的 5%` reads as `X 的 20%`, as the texts write
//! 「按投资额的5%-20%」; a bound word in front is refused (the range
//! says both bounds), and a floor above its ceiling is refused when both
//! are written as numbers.

use super::{Resolver, to_sspan};
use crate::ast;
use crate::check::error::CheckError;
use crate::program::*;
use crate::source::Span;

impl Resolver {
    pub(super) fn range(
        &mut self,
        file: FileId,
        bound: Option<Span>,
        low: &ast::AmountCore,
        high: &ast::AmountCore,
        cap: Option<&ast::Expr>,
        span: Span,
    ) -> Option<GrantAmount> {
        if let Some(b) = bound {
            self.errors.push(CheckError::RangeForm {
                src: self.src(file),
                span: to_sspan(b),
            });
            return None;
        }
        let high = share_of_same_base(low, high).unwrap_or_else(|| high.clone());
        let lo = self.amount_core(file, low);
        let hi = self.amount_core(file, &high);
        let cap = match cap {
            Some(c) => Some(self.cap_expr(file, c, span)?),
            None => None,
        };
        let (lo, hi) = (lo?, hi?);
        if let (Some((ka, a, wa)), Some((kb, b, wb))) = (constant(&lo), constant(&hi))
            && ka == kb
            && a > b
        {
            self.errors.push(CheckError::RangeReversed {
                src: self.src(file),
                span: to_sspan(span),
                low: wa,
                high: wb,
            });
            return None;
        }
        Some(GrantAmount::Range {
            low: lo,
            high: hi,
            cap,
        })
    }
}

/// `X 的 5% 至 20%`: the ceiling is `X 的 20%`.
fn share_of_same_base(low: &ast::AmountCore, high: &ast::AmountCore) -> Option<ast::AmountCore> {
    let (
        ast::AmountCore::Expr(ast::Expr::Of {
            base,
            base_cap,
            shares,
            span,
        }),
        ast::AmountCore::Expr(h),
    ) = (low, high)
    else {
        return None;
    };
    let ast::Expr::Lit(l) = h else { return None };
    if !matches!(l.node, ast::Literal::Ratio(_)) || shares.len() != 1 {
        return None;
    }
    Some(ast::AmountCore::Expr(ast::Expr::Of {
        base: base.clone(),
        base_cap: base_cap.clone(),
        shares: vec![h.clone()],
        span: span.to(l.span),
    }))
}

/// What an end of a range compares by when it is written as a number:
/// a money literal, or one share (of a base the other end shares: the
/// shorthand above is the only way to write both), with its words.
fn constant(core: &AmountCore) -> Option<(bool, rust_decimal::Decimal, String)> {
    match core {
        AmountCore::Expr(Expr::Lit(Value::Money(m), _)) => Some((false, m.0, m.to_string())),
        AmountCore::Expr(Expr::Of { base, shares, .. }) => match shares.as_slice() {
            [Expr::Lit(Value::Ratio(r), _)] if matches!(**base, Expr::Fact(..)) => {
                Some((true, r.0, r.to_string()))
            }
            _ => None,
        },
        _ => None,
    }
}
