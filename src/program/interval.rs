//! The values an amount can take: one abstract interpretation of the
//! checked expressions over intervals of exact decimals. The cap lints
//! (`check/lints/caps.rs`) and budget exposure (`exposure.rs`) both read
//! amounts through it, so a rule of reasoning (what a product, a band or
//! 较低者 can be) is written once.
//!
//! Every rule is sound: the interval holds every value evaluation can
//! produce, and an end that cannot be known is `None` and stays unknown.
//! What differs between the uses is what they know beyond the expression,
//! and it is passed in, never assumed:
//! - [`Facts`]: what a fact can hold when nothing else narrows it;
//! - a look-up of ranges known from outside (a clause's conditions), which
//!   takes the place of the range worked out from an expression's parts.
//!
//! Literals are exact and parameters range over their dated values. Only
//! numeric values occur in an amount (checking types them), so a value is
//! read on the same scale as the conditions read it ([`number`]).

use std::ops::{Add, Div, Mul, Neg, Sub};

use chrono::Datelike;
use rust_decimal::Decimal;

use super::{AmountCore, Expr, Program, Value};
use crate::ast::{ArithOp, Func};

/// `[lo, hi]`; `None` is −∞ for `lo` and +∞ for `hi`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    /// The smallest value (`None`: no lower bound).
    pub lo: Option<Decimal>,
    /// The largest value (`None`: no upper bound).
    pub hi: Option<Decimal>,
}

impl Interval {
    /// Any value at all.
    pub const ANY: Interval = Interval { lo: None, hi: None };
    /// Zero or more.
    pub const NON_NEGATIVE: Interval = Interval {
        lo: Some(Decimal::ZERO),
        hi: None,
    };

    /// Exactly `d`.
    pub fn point(d: Decimal) -> Interval {
        Interval {
            lo: Some(d),
            hi: Some(d),
        }
    }

    /// The single value it holds, if it holds one.
    fn as_point(self) -> Option<Decimal> {
        self.lo.filter(|l| Some(*l) == self.hi)
    }

    fn is_non_negative(self) -> bool {
        self.lo.is_some_and(|l| l >= Decimal::ZERO)
    }

    /// The range of a product: the tightest of the rules that apply.
    fn product(self, o: Interval) -> Interval {
        let zero = Some(Decimal::ZERO);
        if self.as_point() == zero || o.as_point() == zero {
            return Interval::point(Decimal::ZERO);
        }
        // Both never negative: the ends multiply (one end overflowing
        // leaves the other known).
        if self.is_non_negative() && o.is_non_negative() {
            return Interval {
                lo: both(self.lo, o.lo, Decimal::checked_mul),
                hi: both(self.hi, o.hi, Decimal::checked_mul),
            };
        }
        if let (Some(a), Some(b), Some(c), Some(d)) = (self.lo, self.hi, o.lo, o.hi) {
            return corners([
                a.checked_mul(c),
                a.checked_mul(d),
                b.checked_mul(c),
                b.checked_mul(d),
            ]);
        }
        // One side a constant: it scales the other, a negative one swaps
        // the ends.
        match (self.as_point(), o.as_point()) {
            (Some(k), _) => o.scale(k),
            (_, Some(k)) => self.scale(k),
            (None, None) => Interval::ANY,
        }
    }

    fn scale(self, k: Decimal) -> Interval {
        let by = |b: Option<Decimal>| b.and_then(|b| b.checked_mul(k));
        if k >= Decimal::ZERO {
            Interval {
                lo: by(self.lo),
                hi: by(self.hi),
            }
        } else {
            Interval {
                lo: by(self.hi),
                hi: by(self.lo),
            }
        }
    }

    /// The range of a quotient: known for a positive constant divisor, and
    /// for a never-negative dividend over a positive divisor.
    fn quotient(self, o: Interval) -> Interval {
        match (o.lo, o.hi) {
            (Some(k), Some(k2)) if k == k2 && k > Decimal::ZERO => Interval {
                lo: self.lo.and_then(|l| l.checked_div(k)),
                hi: self.hi.and_then(|h| h.checked_div(k)),
            },
            (Some(d), _) if d > Decimal::ZERO && self.is_non_negative() => Interval {
                lo: match (self.lo, o.hi) {
                    (Some(a), Some(b)) => a.checked_div(b),
                    _ => Some(Decimal::ZERO),
                },
                hi: self.hi.and_then(|h| h.checked_div(d)),
            },
            _ => Interval::ANY,
        }
    }

    /// The range of the smaller of two values (较低者, a cap).
    pub fn min(self, o: Interval) -> Interval {
        Interval {
            lo: both(self.lo, o.lo, |a, b| Some(a.min(b))),
            hi: either(self.hi, o.hi, Decimal::min),
        }
    }

    /// The range of the larger of two values (较高者).
    pub fn max(self, o: Interval) -> Interval {
        Interval {
            lo: either(self.lo, o.lo, Decimal::max),
            hi: both(self.hi, o.hi, |a, b| Some(a.max(b))),
        }
    }

    /// The smallest range holding both: a value that is one or the other
    /// (a parameter's dated values, the tiers of an amount).
    pub fn hull(self, o: Interval) -> Interval {
        Interval {
            lo: both(self.lo, o.lo, |a, b| Some(a.min(b))),
            hi: both(self.hi, o.hi, |a, b| Some(a.max(b))),
        }
    }

    /// The range of `max(x, 0)`: the part of an amount above a threshold,
    /// and what a grant pays (a negative amount is floored).
    pub fn floored(self) -> Interval {
        let z = Decimal::ZERO;
        Interval {
            lo: Some(self.lo.map_or(z, |l| l.max(z))),
            hi: self.hi.map(|h| h.max(z)),
        }
    }
}

/// The range of a sum.
impl Add for Interval {
    type Output = Interval;
    fn add(self, o: Interval) -> Interval {
        Interval {
            lo: both(self.lo, o.lo, Decimal::checked_add),
            hi: both(self.hi, o.hi, Decimal::checked_add),
        }
    }
}

/// The range of the negation.
impl Neg for Interval {
    type Output = Interval;
    fn neg(self) -> Interval {
        Interval {
            lo: self.hi.map(|h| -h),
            hi: self.lo.map(|l| -l),
        }
    }
}

/// The range of a difference.
impl Sub for Interval {
    type Output = Interval;
    fn sub(self, o: Interval) -> Interval {
        self + -o
    }
}

/// The range of a product (see `product`).
impl Mul for Interval {
    type Output = Interval;
    fn mul(self, o: Interval) -> Interval {
        self.product(o)
    }
}

/// The range of a quotient (see `quotient`).
impl Div for Interval {
    type Output = Interval;
    fn div(self, o: Interval) -> Interval {
        self.quotient(o)
    }
}

/// Both ends known: combine them; otherwise unknown.
fn both(
    a: Option<Decimal>,
    b: Option<Decimal>,
    f: impl Fn(Decimal, Decimal) -> Option<Decimal>,
) -> Option<Decimal> {
    f(a?, b?)
}

/// An end that one known side is enough for (the larger of two lower
/// ends, the smaller of two upper ends).
fn either(
    a: Option<Decimal>,
    b: Option<Decimal>,
    f: fn(Decimal, Decimal) -> Decimal,
) -> Option<Decimal> {
    match (a, b) {
        (Some(x), Some(y)) => Some(f(x, y)),
        (x, y) => x.or(y),
    }
}

/// The range of four corner products; any overflowing leaves it unknown.
fn corners(products: [Option<Decimal>; 4]) -> Interval {
    let mut known = products.into_iter();
    let Some(Some(first)) = known.next() else {
        return Interval::ANY;
    };
    let mut out = Interval::point(first);
    for p in known {
        let Some(p) = p else {
            return Interval::ANY;
        };
        out = out.hull(Interval::point(p));
    }
    out
}

/// A value as a number, on one scale per kind (元, a fraction, a count,
/// days, the index of an enumeration value); texts have none.
pub fn number(v: &Value) -> Option<Decimal> {
    match v {
        Value::Money(m) | Value::Foreign(m, _) => Some(m.0),
        Value::Ratio(r) => Some(r.0),
        Value::Number(n) | Value::Quantity(n) => Some(*n),
        Value::Date(d) => Some(Decimal::from(d.num_days_from_ce())),
        Value::Bool(b) => Some(Decimal::from(u8::from(*b))),
        Value::Enum(i) => Some(Decimal::from(*i)),
        Value::Rank(r) => Some(Decimal::from(*r)),
        Value::Text(_) | Value::List(_) => None,
    }
}

/// What a fact can hold when nothing else narrows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facts {
    /// Any value. The cap lints judge a clause by its own words: a fact
    /// its conditions do not bound is unknown, so a finding always points
    /// at the words that make the cap pointless, and an ordinary cap on a
    /// computed amount never triggers one.
    Unknown,
    /// Zero or more: facts files, registers and the REPL accept numbers
    /// without a sign (`num::parse_decimal`), so no entity has a negative
    /// fact. Exposure bounds what can really be paid, and needs this to
    /// bound a product or quotient of facts.
    NonNegative,
}

/// No range is known from outside the expression.
fn nothing_known(_: &Expr) -> Option<Interval> {
    None
}

/// The analysis of one use: the program, what a fact can hold, and what is
/// known of expressions from outside them.
pub struct Analysis<'a> {
    program: &'a Program,
    facts: Interval,
    known: &'a dyn Fn(&Expr) -> Option<Interval>,
}

impl<'a> Analysis<'a> {
    /// Over `program`, with `facts` for a fact nothing narrows.
    pub fn new(program: &'a Program, facts: Facts) -> Analysis<'a> {
        Analysis {
            program,
            facts: match facts {
                Facts::Unknown => Interval::ANY,
                Facts::NonNegative => Interval::NON_NEGATIVE,
            },
            known: &nothing_known,
        }
    }

    /// With ranges known from outside: where `known` answers for an
    /// expression (a fact, a defined amount, a computed value the
    /// conditions bound), its answer replaces the range of the parts.
    pub fn knowing(self, known: &'a dyn Fn(&Expr) -> Option<Interval>) -> Analysis<'a> {
        Analysis { known, ..self }
    }

    /// The values `e` can take.
    pub fn expr(&self, e: &Expr) -> Interval {
        if let Some(iv) = (self.known)(e) {
            return iv;
        }
        match e {
            Expr::Lit(v, _) => number(v).map_or(Interval::ANY, Interval::point),
            Expr::Fact(..) => self.facts,
            Expr::Param(p, _) => self.param(*p),
            Expr::Named { body, .. } => self.expr(body),
            // A date, never a number.
            Expr::Shift { .. } => Interval::ANY,
            Expr::Arith { first, rest, .. } => {
                rest.iter().fold(self.expr(first), |acc, (op, x)| {
                    let r = self.expr(x);
                    match op {
                        ArithOp::Add => acc + r,
                        ArithOp::Sub => acc - r,
                        ArithOp::Mul => acc * r,
                        ArithOp::Div => acc / r,
                    }
                })
            }
            Expr::Of {
                base,
                base_cap,
                shares,
                ..
            } => {
                let mut b = self.expr(base);
                if let Some(cap) = base_cap {
                    b = b.min(self.expr(cap));
                }
                shares.iter().fold(b, |acc, s| acc * self.expr(s))
            }
            Expr::Convert { amount, rate, .. } => self.expr(amount) * self.expr(rate),
            Expr::Call { func, args, .. } => {
                let mut ranges = args.iter().map(|a| self.expr(a));
                let first = ranges.next().unwrap_or(Interval::ANY);
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
                let (s, b) = (self.expr(subject), self.expr(bound));
                let part = if *above { s - b } else { s.min(b) };
                part.floored() * self.expr(rate)
            }
        }
    }

    /// A parameter ranges over its dated values.
    fn param(&self, p: usize) -> Interval {
        let values = || {
            self.program
                .params
                .get(p)
                .into_iter()
                .flat_map(|p| p.entries.iter().filter_map(|(_, v)| number(v)))
        };
        Interval {
            lo: values().min(),
            hi: values().max(),
        }
    }

    /// The values an amount proper can take (a per-unit amount counts a
    /// fact).
    pub fn core(&self, c: &AmountCore) -> Interval {
        match c {
            AmountCore::Expr(e) => self.expr(e),
            // count × rate ÷ per, in the evaluators' order, so that the
            // rounding of a block like 3 rounds the ends the same way.
            AmountCore::PerUnit {
                fact,
                per,
                whole: true,
                rate,
                loc,
                ..
            } => {
                // floor(count ÷ per) × rate: the floor keeps the order of
                // the ends, so the count's range floored bounds the blocks.
                let count = self.expr(&Expr::Fact(*fact, *loc)) / Interval::point(*per);
                let blocks = Interval {
                    lo: count.lo.map(|l| l.floor()),
                    hi: count.hi.map(|h| h.floor()),
                };
                blocks * self.expr(rate)
            }
            AmountCore::PerUnit {
                fact,
                per,
                rate,
                loc,
                ..
            } => {
                let paid = self.expr(&Expr::Fact(*fact, *loc)) * self.expr(rate);
                if *per == Decimal::ONE {
                    paid
                } else {
                    paid / Interval::point(*per)
                }
            }
        }
    }

    /// The values a tiered amount can take (it pays one of its tiers);
    /// `None` without tiers.
    pub fn tiers(&self, items: &[AmountCore]) -> Option<Interval> {
        items.iter().map(|i| self.core(i)).reduce(Interval::hull)
    }
}

#[cfg(test)]
#[path = "interval/tests.rs"]
mod tests;
