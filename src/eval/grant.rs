//! A grant's amount once its conditions hold: bound words, caps, tiers,
//! per-unit amounts, and the floor at zero for differentials.

use rust_decimal::Decimal;

use super::error::EvalError;
use super::expr::{Ctx, Rt, Tri};
use super::trace::Trace;
use super::{AmountKind, ClauseResult, Status};
use crate::ast::Bound;
use crate::num::Money;
use crate::program::{AmountCore, ClauseDef, Expr, FactId, GrantAmount};

fn kind_of(b: Bound) -> AmountKind {
    match b {
        Bound::Exact => AmountKind::Exact,
        Bound::AtMost => AmountKind::AtMost,
        Bound::AtLeast => AmountKind::AtLeast,
    }
}

fn core_value(
    ctx: &Ctx<'_>,
    core: &AmountCore,
    missing: &mut Vec<FactId>,
) -> Result<Option<Decimal>, EvalError> {
    match core {
        AmountCore::Expr(e) => ctx.num(e, missing),
        AmountCore::PerUnit {
            fact, rate, loc, ..
        } => {
            let count = match ctx.fact(*fact) {
                Some(Rt::Num(n)) => Some(n),
                _ => {
                    missing.push(*fact);
                    None
                }
            };
            let rate = ctx.num(rate, missing)?;
            match (count, rate) {
                (Some(c), Some(r)) => Ok(Some(ctx.arith(crate::ast::ArithOp::Mul, c, r, *loc)?)),
                _ => Ok(None),
            }
        }
    }
}

fn cap_value(
    ctx: &Ctx<'_>,
    cap: Option<&Expr>,
    missing: &mut Vec<FactId>,
) -> Result<Option<Option<Decimal>>, EvalError> {
    match cap {
        None => Ok(Some(None)),
        Some(c) => Ok(ctx.num(c, missing)?.map(Some)),
    }
}

/// Fills in the amount of an applying grant, or marks it undecided.
pub fn amount(
    ctx: &Ctx<'_>,
    clause: &ClauseDef,
    amount: &GrantAmount,
    r: &mut ClauseResult,
    missing: &mut Vec<FactId>,
    trace: &mut Trace,
) -> Result<(), EvalError> {
    let (value, bound, cap) = match amount {
        GrantAmount::Discretionary { cap } => {
            r.amount_kind = Some(AmountKind::Discretionary);
            let Some(c) = cap_value(ctx, cap.as_ref(), missing)? else {
                r.status = Status::Undecided;
                return Ok(());
            };
            r.amount = c.map(Money);
            return Ok(());
        }
        GrantAmount::Single(a) => {
            let bound = if a.bound == Bound::Exact {
                a.core.inner_bound()
            } else {
                a.bound
            };
            (core_value(ctx, &a.core, missing)?, bound, a.cap.as_ref())
        }
        GrantAmount::Tiers { bound, items, cap } => {
            let mut best: Option<(usize, Decimal)> = None;
            // The open tiers' values are only compared with the best: the
            // largest one decides (`None` beats everything), so no list.
            let mut open: Option<Option<Decimal>> = None;
            // Missing facts of open tiers stay in `missing`; those of
            // decided tiers are taken back (no vector per tier).
            let start = missing.len();
            for (i, (t, item)) in clause.tiers.iter().zip(items).enumerate() {
                let tier_start = missing.len();
                let holds = ctx.cond(t, missing, trace, 1)?;
                if holds == Tri::No {
                    missing.truncate(tier_start);
                    continue;
                }
                let v = core_value(ctx, item, missing)?;
                match (holds, v) {
                    (Tri::Yes, Some(v)) if best.is_none_or(|(_, b)| v > b) => {
                        best = Some((i, v));
                        missing.truncate(tier_start);
                    }
                    (Tri::Yes, Some(_)) => missing.truncate(tier_start),
                    _ => {
                        open = Some(match (open, v) {
                            (Some(None), _) | (_, None) => None,
                            (Some(Some(o)), Some(v)) => Some(o.max(v)),
                            (None, Some(v)) => Some(v),
                        });
                    }
                }
            }
            // A tier still open could pay more than the best one that holds.
            let beaten = |v: Option<Decimal>| best.is_some_and(|(_, b)| v.is_some_and(|v| v <= b));
            if !open.is_none_or(beaten) {
                r.status = Status::Undecided;
                return Ok(());
            }
            missing.truncate(start);
            r.tier = best.map(|(i, _)| i);
            let bound = if *bound == Bound::Exact {
                best.and_then(|(i, _)| items.get(i))
                    .map_or(Bound::Exact, AmountCore::inner_bound)
            } else {
                *bound
            };
            (best.map(|(_, v)| v), bound, cap.as_ref())
        }
    };
    let Some(mut v) = value else {
        r.status = Status::Undecided;
        return Ok(());
    };
    let Some(cap) = cap_value(ctx, cap, missing)? else {
        r.status = Status::Undecided;
        return Ok(());
    };
    if v < Decimal::ZERO {
        v = Decimal::ZERO;
        r.floored = true;
    }
    if let Some(c) = cap
        && v > c
    {
        r.capped = true;
        r.uncapped = Some(Money(v));
        v = c;
    }
    r.amount = Some(Money(v));
    r.amount_kind = Some(kind_of(bound));
    Ok(())
}
