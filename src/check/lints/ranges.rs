//! What a conjunction of conditions requires of each value it compares
//! with a constant: a range, a set of values, or values to avoid. The
//! threshold and cap lints reason over these.
//!
//! Everything here is conservative: a condition it does not understand
//! (a 或, a comparison of two facts, a text) requires nothing, so a lint
//! built on it can stay silent but never invent a finding.

use std::collections::HashSet;

use rust_decimal::Decimal;

use crate::ast::CmpOp;
use crate::program::interval::number;
use crate::program::{Cond, Expr, Loc, Program, Value};

/// One end of a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct End {
    /// The bound.
    pub value: Decimal,
    /// Whether the bound itself is in the range.
    pub inclusive: bool,
}

/// What a condition requires of its subject.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Need {
    /// Between `lo` and `hi` (`None`: unbounded on that side).
    Range {
        /// Lower end.
        lo: Option<End>,
        /// Upper end.
        hi: Option<End>,
    },
    /// One of these values.
    In(Vec<Decimal>),
    /// None of these values.
    NotIn(Vec<Decimal>),
}

/// A requirement one conjunct puts on one subject.
#[derive(Debug, Clone)]
pub(super) struct Req {
    /// What is compared: a fact, a defined amount or an expression.
    pub subject: String,
    /// What it must satisfy.
    pub need: Need,
    /// Where to point: the conjunct in the clause as written.
    pub shown: Loc,
    /// The constant of a one-sided range, as written.
    pub value: Option<Loc>,
}

/// A part of a conjunction, with where to point at it in the clause (the
/// use of a 定义 rather than its body, which may sit in another file).
#[derive(Debug, Clone, Copy)]
pub(super) struct Conjunct<'a> {
    /// The condition.
    pub cond: &'a Cond,
    /// Where it shows in the clause.
    pub shown: Loc,
}

/// Flattens 且 (and the bodies of defined conditions) into its parts.
pub(super) fn conjuncts<'a>(c: &'a Cond, shown: Option<Loc>, out: &mut Vec<Conjunct<'a>>) {
    match c {
        Cond::And(items, _) => {
            for i in items {
                conjuncts(i, shown, out);
            }
        }
        Cond::Named { body, loc, .. } => conjuncts(body, Some(shown.unwrap_or(*loc)), out),
        Cond::True => {}
        Cond::Fact(_, loc)
        | Cond::EnumIs(_, _, loc)
        | Cond::Cmp { loc, .. }
        | Cond::Consecutive { loc, .. }
        | Cond::Or(_, loc)
        | Cond::Not(_, loc) => {
            out.push(Conjunct {
                cond: c,
                shown: shown.unwrap_or(*loc),
            });
        }
    }
}

/// The requirements of a list of conjuncts, each written once: a 定义 used
/// many times copies the same requirement many times, and the lints compare
/// requirements pairwise.
pub(super) fn requirements(program: &Program, parts: &[Conjunct<'_>]) -> Vec<Req> {
    let mut seen = HashSet::new();
    parts
        .iter()
        .filter_map(|p| {
            let (subject, need, value) = requirement(program, p.cond, false)?;
            seen.insert((subject.clone(), need.clone())).then_some(Req {
                subject,
                need,
                shown: p.shown,
                value,
            })
        })
        .collect()
}

fn requirement(program: &Program, c: &Cond, negated: bool) -> Option<(String, Need, Option<Loc>)> {
    match c {
        Cond::Fact(f, _) => Some((
            fact_key(*f),
            Need::In(vec![Decimal::from(u8::from(!negated))]),
            None,
        )),
        Cond::EnumIs(f, i, _) => {
            let v = vec![Decimal::from(*i)];
            Some((
                fact_key(*f),
                if negated { Need::NotIn(v) } else { Need::In(v) },
                None,
            ))
        }
        Cond::Not(inner, _) => requirement(program, inner, !negated),
        Cond::Named { body, .. } => requirement(program, body, negated),
        Cond::Cmp { lhs, op, rhs, .. } => {
            let op = if negated { negate(*op) } else { *op };
            let consts: Option<Vec<Decimal>> = rhs.iter().map(constant).collect();
            if let (Some(subject), Some(consts)) = (subject_key(program, lhs), consts) {
                let value = rhs.first().map(Expr::loc);
                return need(op, consts).map(|n| (subject, n, value));
            }
            // `300万元 < 研发投入`: the constant written first.
            let (Some(k), [r]) = (constant(lhs), rhs.as_slice()) else {
                return None;
            };
            let subject = subject_key(program, r)?;
            need(flip(op), vec![k]).map(|n| (subject, n, Some(lhs.loc())))
        }
        // A run of years is no range on one value.
        Cond::And(..) | Cond::Or(..) | Cond::Consecutive { .. } | Cond::True => None,
    }
}

fn need(op: CmpOp, consts: Vec<Decimal>) -> Option<Need> {
    let one = |inclusive| {
        let [value] = consts.as_slice() else {
            return None;
        };
        Some(End {
            value: *value,
            inclusive,
        })
    };
    Some(match op {
        CmpOp::Ge => Need::Range {
            lo: Some(one(true)?),
            hi: None,
        },
        CmpOp::Gt => Need::Range {
            lo: Some(one(false)?),
            hi: None,
        },
        CmpOp::Le => Need::Range {
            lo: None,
            hi: Some(one(true)?),
        },
        CmpOp::Lt => Need::Range {
            lo: None,
            hi: Some(one(false)?),
        },
        CmpOp::Eq => Need::In(consts),
        CmpOp::Ne => Need::NotIn(consts),
    })
}

/// The operator that holds exactly when `op` does not (facts present).
fn negate(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Ge => CmpOp::Lt,
        CmpOp::Gt => CmpOp::Le,
        CmpOp::Le => CmpOp::Gt,
        CmpOp::Lt => CmpOp::Ge,
        CmpOp::Eq => CmpOp::Ne,
        CmpOp::Ne => CmpOp::Eq,
    }
}

/// `a op b` read as `b op' a`.
fn flip(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Ge => CmpOp::Le,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Eq | CmpOp::Ne => op,
    }
}

fn fact_key(f: usize) -> String {
    format!("事实:{f}")
}

/// A key naming what an expression reads, equal for equal subjects;
/// `None` for constants and parameters (which change over time).
pub(super) fn subject_key(program: &Program, e: &Expr) -> Option<String> {
    if constant(e).is_some() {
        return None;
    }
    match e {
        Expr::Fact(f, _) => Some(fact_key(*f)),
        Expr::Named { name, .. } => Some(format!("定义:{name}")),
        Expr::Lit(..) | Expr::Param(..) => None,
        Expr::Arith { .. }
        | Expr::Of { .. }
        | Expr::Call { .. }
        | Expr::Band { .. }
        | Expr::Convert { .. }
        | Expr::Shift { .. } => Some(format!("式:{}", squeeze(program.text(e.loc())))),
    }
}

/// The value of a constant expression, as a number on one scale per kind
/// (see [`number`]).
pub(super) fn constant(e: &Expr) -> Option<Decimal> {
    literal(e).and_then(number)
}

/// The value written in a constant expression: a literal, or a 定义 of one.
pub(super) fn literal(e: &Expr) -> Option<&Value> {
    match e {
        Expr::Lit(v, _) => Some(v),
        Expr::Named { body, .. } => literal(body),
        Expr::Fact(..)
        | Expr::Param(..)
        | Expr::Arith { .. }
        | Expr::Of { .. }
        | Expr::Call { .. }
        | Expr::Convert { .. }
        | Expr::Band { .. }
        | Expr::Shift { .. } => None,
    }
}

/// Text without whitespace, for comparing what two clauses wrote.
pub(super) fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether no value satisfies both requirements.
pub(super) fn conflict(a: &Need, b: &Need) -> bool {
    match (a, b) {
        (Need::Range { .. }, Need::Range { .. }) => {
            let (lo, hi) = (
                tighter_lo(lo_of(a), lo_of(b)),
                tighter_hi(hi_of(a), hi_of(b)),
            );
            match (lo, hi) {
                (Some(l), Some(h)) => {
                    l.value > h.value || (l.value == h.value && !(l.inclusive && h.inclusive))
                }
                _ => false,
            }
        }
        (Need::In(s), r @ Need::Range { .. }) | (r @ Need::Range { .. }, Need::In(s)) => {
            s.iter().all(|v| !in_range(lo_of(r), hi_of(r), *v))
        }
        (Need::In(s), Need::In(t)) => s.iter().all(|v| !t.contains(v)),
        (Need::In(s), Need::NotIn(t)) | (Need::NotIn(t), Need::In(s)) => {
            s.iter().all(|v| t.contains(v))
        }
        (Need::NotIn(_), Need::NotIn(_) | Need::Range { .. })
        | (Need::Range { .. }, Need::NotIn(_)) => false,
    }
}

fn lo_of(n: &Need) -> Option<End> {
    match n {
        Need::Range { lo, .. } => *lo,
        Need::In(_) | Need::NotIn(_) => None,
    }
}

fn hi_of(n: &Need) -> Option<End> {
    match n {
        Need::Range { hi, .. } => *hi,
        Need::In(_) | Need::NotIn(_) => None,
    }
}

fn tighter_lo(a: Option<End>, b: Option<End>) -> Option<End> {
    match (a, b) {
        (Some(x), Some(y)) if y.value > x.value || (y.value == x.value && !y.inclusive) => Some(y),
        (Some(x), _) => Some(x),
        (None, y) => y,
    }
}

fn tighter_hi(a: Option<End>, b: Option<End>) -> Option<End> {
    match (a, b) {
        (Some(x), Some(y)) if y.value < x.value || (y.value == x.value && !y.inclusive) => Some(y),
        (Some(x), _) => Some(x),
        (None, y) => y,
    }
}

fn in_range(lo: Option<End>, hi: Option<End>, v: Decimal) -> bool {
    let above = lo.is_none_or(|l| v > l.value || (v == l.value && l.inclusive));
    let below = hi.is_none_or(|h| v < h.value || (v == h.value && h.inclusive));
    above && below
}

/// The smallest closed range holding every value a subject may take under
/// the requirements (`None`: unbounded on that side).
pub(super) fn closure(reqs: &[Req], subject: &str) -> (Option<Decimal>, Option<Decimal>) {
    let mut lo: Option<Decimal> = None;
    let mut hi: Option<Decimal> = None;
    let mut raise = |v: Decimal| lo = Some(lo.map_or(v, |l| l.max(v)));
    let mut lower = |v: Decimal| hi = Some(hi.map_or(v, |h| h.min(v)));
    for r in reqs.iter().filter(|r| r.subject == subject) {
        match &r.need {
            Need::Range { lo: l, hi: h } => {
                if let Some(l) = l {
                    raise(l.value);
                }
                if let Some(h) = h {
                    lower(h.value);
                }
            }
            Need::In(values) => {
                if let (Some(min), Some(max)) = (values.iter().min(), values.iter().max()) {
                    raise(*min);
                    lower(*max);
                }
            }
            Need::NotIn(_) => {}
        }
    }
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(lo: Option<(i64, bool)>, hi: Option<(i64, bool)>) -> Need {
        let end = |(v, inclusive): (i64, bool)| End {
            value: Decimal::from(v),
            inclusive,
        };
        Need::Range {
            lo: lo.map(end),
            hi: hi.map(end),
        }
    }

    #[test]
    fn disjoint_ranges_conflict() {
        assert!(conflict(
            &range(Some((500, false)), None),
            &range(None, Some((300, false)))
        ));
        assert!(conflict(
            &range(Some((300, false)), None),
            &range(None, Some((300, true)))
        ));
        assert!(!conflict(
            &range(Some((300, true)), None),
            &range(None, Some((300, true)))
        ));
        assert!(!conflict(
            &range(Some((100, true)), None),
            &range(None, Some((500, false)))
        ));
    }

    #[test]
    fn sets_conflict_with_ranges_and_sets() {
        let one = |v: i64| vec![Decimal::from(v)];
        assert!(conflict(&Need::In(one(0)), &Need::In(one(1))));
        assert!(!conflict(
            &Need::In(vec![Decimal::ONE, Decimal::TWO]),
            &Need::In(one(2))
        ));
        assert!(conflict(&Need::In(one(1)), &Need::NotIn(one(1))));
        assert!(conflict(&Need::In(one(1)), &range(Some((2, true)), None)));
        assert!(!conflict(
            &Need::NotIn(one(1)),
            &range(Some((1, true)), None)
        ));
    }
}
