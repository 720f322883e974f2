//! The range an amount can take for any entity: interval arithmetic over
//! the checked expressions. Facts are unbounded above and never negative
//! (facts files accept no sign), literals are exact, parameters range over
//! their dated values. An open end is `None`.

use rust_decimal::Decimal;

use crate::ast::{ArithOp, Func};
use crate::program::{AmountCore, Expr, Program, Value};

/// `[lo, hi]`; `None` is −∞ for `lo` and +∞ for `hi`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    /// Lower end.
    pub lo: Option<Decimal>,
    /// Upper end.
    pub hi: Option<Decimal>,
}

impl Range {
    /// Any value at all.
    pub const ANY: Range = Range { lo: None, hi: None };
    /// What a fact can hold: zero or more.
    pub const FACT: Range = Range {
        lo: Some(Decimal::ZERO),
        hi: None,
    };

    /// Exactly `v`.
    pub fn exact(v: Decimal) -> Range {
        Range {
            lo: Some(v),
            hi: Some(v),
        }
    }

    fn nonneg(self) -> bool {
        self.lo.is_some_and(|l| l >= Decimal::ZERO)
    }

    /// `max(self, 0)`: what a grant pays (negative amounts are floored).
    pub fn floored(self) -> Range {
        let z = Decimal::ZERO;
        Range {
            lo: Some(self.lo.map_or(z, |l| l.max(z))),
            hi: self.hi.map(|h| h.max(z)),
        }
    }

    /// `min(self, cap)`.
    pub fn min(self, cap: Range) -> Range {
        Range {
            lo: lo_min(self.lo, cap.lo),
            hi: hi_min(self.hi, cap.hi),
        }
    }

    /// `max(self, other)`.
    pub fn max(self, other: Range) -> Range {
        Range {
            lo: match (self.lo, other.lo) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            },
            hi: both(self.hi, other.hi, Decimal::max),
        }
    }

    fn add(self, o: Range) -> Range {
        Range {
            lo: checked(self.lo, o.lo, Decimal::checked_add),
            hi: checked(self.hi, o.hi, Decimal::checked_add),
        }
    }

    fn neg(self) -> Range {
        Range {
            lo: self.hi.map(|h| -h),
            hi: self.lo.map(|l| -l),
        }
    }

    fn mul(self, o: Range) -> Range {
        if !(self.nonneg() && o.nonneg()) {
            return match (self.lo, self.hi, o.lo, o.hi) {
                (Some(a), Some(b), Some(c), Some(d)) => corners(&[
                    a.checked_mul(c),
                    a.checked_mul(d),
                    b.checked_mul(c),
                    b.checked_mul(d),
                ]),
                _ => Range::ANY,
            };
        }
        let zero_hi = |r: Range| r.hi.is_some_and(|h| h.is_zero());
        Range {
            lo: checked(self.lo, o.lo, Decimal::checked_mul),
            hi: if zero_hi(self) || zero_hi(o) {
                Some(Decimal::ZERO)
            } else {
                checked(self.hi, o.hi, Decimal::checked_mul)
            },
        }
    }

    fn div(self, o: Range) -> Range {
        match o.lo {
            Some(d) if d > Decimal::ZERO && self.nonneg() => Range {
                lo: match (self.lo, o.hi) {
                    (Some(a), Some(b)) => a.checked_div(b),
                    _ => Some(Decimal::ZERO),
                },
                hi: self.hi.and_then(|a| a.checked_div(d)),
            },
            _ => Range::ANY,
        }
    }
}

fn corners(vals: &[Option<Decimal>]) -> Range {
    if vals.iter().any(Option::is_none) {
        return Range::ANY;
    }
    let vs = vals.iter().flatten();
    Range {
        lo: vs.clone().min().copied(),
        hi: vs.max().copied(),
    }
}

fn checked(
    a: Option<Decimal>,
    b: Option<Decimal>,
    f: fn(Decimal, Decimal) -> Option<Decimal>,
) -> Option<Decimal> {
    f(a?, b?)
}

fn both(
    a: Option<Decimal>,
    b: Option<Decimal>,
    f: fn(Decimal, Decimal) -> Decimal,
) -> Option<Decimal> {
    Some(f(a?, b?))
}

fn lo_min(a: Option<Decimal>, b: Option<Decimal>) -> Option<Decimal> {
    both(a, b, Decimal::min)
}

fn hi_min(a: Option<Decimal>, b: Option<Decimal>) -> Option<Decimal> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

fn value_range(v: &Value) -> Range {
    match v {
        Value::Money(m) => Range::exact(m.0),
        Value::Ratio(r) => Range::exact(r.0),
        Value::Number(n) | Value::Quantity(n) => Range::exact(*n),
        Value::Date(_) | Value::Bool(_) | Value::Text(_) | Value::Enum(_) => Range::ANY,
    }
}

/// The range of an expression over every possible entity.
pub fn of(program: &Program, e: &Expr) -> Range {
    match e {
        Expr::Lit(v, _) => value_range(v),
        Expr::Fact(..) => Range::FACT,
        Expr::Param(pid, _) => program
            .params
            .get(*pid)
            .and_then(|p| {
                p.entries
                    .iter()
                    .map(|(_, v)| value_range(v))
                    .reduce(Range::hull)
            })
            .unwrap_or(Range::ANY),
        Expr::Named { body, .. } => of(program, body),
        Expr::Arith { first, rest, .. } => rest.iter().fold(of(program, first), |acc, (op, x)| {
            let r = of(program, x);
            match op {
                ArithOp::Add => acc.add(r),
                ArithOp::Sub => acc.add(r.neg()),
                ArithOp::Mul => acc.mul(r),
                ArithOp::Div => acc.div(r),
            }
        }),
        Expr::Of {
            base,
            base_cap,
            shares,
            ..
        } => {
            let mut acc = of(program, base);
            if let Some(c) = base_cap {
                acc = acc.min(of(program, c));
            }
            shares.iter().fold(acc, |acc, s| acc.mul(of(program, s)))
        }
        Expr::Call { func, args, .. } => {
            let mut ranges = args.iter().map(|a| of(program, a));
            let Some(first) = ranges.next() else {
                return Range::ANY;
            };
            ranges.fold(first, |acc, r| match func {
                Func::Max => acc.max(r),
                Func::Min => acc.min(r),
            })
        }
        Expr::Band {
            subject,
            above,
            bound,
            rate,
            ..
        } => {
            let (s, b) = (of(program, subject), of(program, bound));
            let part = if *above { s.add(b.neg()) } else { s.min(b) };
            part.floored().mul(of(program, rate))
        }
    }
}

impl Range {
    /// The smallest range holding both (the values a parameter takes).
    fn hull(self, other: Range) -> Range {
        Range {
            lo: lo_min(self.lo, other.lo),
            hi: both(self.hi, other.hi, Decimal::max),
        }
    }
}

/// The range of an amount proper (a per-unit amount counts a fact).
pub fn of_core(program: &Program, core: &AmountCore) -> Range {
    match core {
        AmountCore::Expr(e) => of(program, e),
        AmountCore::PerUnit { rate, .. } => Range::FACT.mul(of(program, rate)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn facts_are_unbounded_until_capped() {
        let share = Range::FACT.mul(Range::exact(Decimal::new(2, 1)));
        assert_eq!(share.hi, None);
        assert_eq!(share.floored().min(Range::exact(d(100))).hi, Some(d(100)));
    }

    #[test]
    fn the_part_up_to_a_threshold_is_bounded() {
        let part = Range::FACT
            .min(Range::exact(d(100)))
            .floored()
            .mul(Range::exact(Decimal::new(5, 3)));
        assert_eq!(part.hi, Some(Decimal::new(500, 3)));
    }

    #[test]
    fn the_lower_of_two_is_bounded_by_either() {
        assert_eq!(Range::FACT.min(Range::exact(d(7))).hi, Some(d(7)));
        assert_eq!(Range::FACT.max(Range::exact(d(7))).hi, None);
    }
}
