//! Near misses: which comparisons keep a clause's condition from holding,
//! and whether each is one the company can close — one numeric or date
//! fact (directly or through a 定义) against a constant, within the bounds
//! of `--near` / `--near-days`. Everything else that fails (a yes/no fact,
//! an enumeration value, a text, a comparison of computed expressions)
//! makes the clause no near miss at all.
//!
//! The analysis only says which facts to move and where to; whether the
//! clause then applies, and what it pays, is for the evaluator to say (see
//! [`super::analyse`]).

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use crate::ast::CmpOp;
use crate::eval::{EvalError, Tri};
use crate::facts::Facts;
use crate::num::{Money, Ratio};
use crate::program::{Cond, Expr, FactId, Program, Ty, Value};

/// How far a fact may be from a threshold to count as a near miss.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bounds {
    /// The largest relative gap of an amount, ratio or quantity (0.3 = 30%).
    pub relative: Decimal,
    /// The largest gap of a date, in days.
    pub days: i64,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            relative: Decimal::new(3, 1),
            days: 90,
        }
    }
}

/// How far a fact is from what a comparison needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Distance {
    /// In the fact's own unit (元, a fraction, the quantity's unit).
    Amount(Decimal),
    /// Days.
    Days(i64),
}

/// One failing comparison and what closes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Gap {
    /// The fact.
    pub fact: FactId,
    /// The comparison with the fact on the left (`fact op needed`).
    pub op: CmpOp,
    /// The fact's value.
    pub value: Value,
    /// The constant the comparison names.
    pub needed: Value,
    /// How far the value is from `needed`.
    pub distance: Distance,
}

impl Gap {
    /// Whether the fact must rise (≥, >) rather than fall (≤, <).
    pub(crate) fn rising(&self) -> bool {
        matches!(self.op, CmpOp::Ge | CmpOp::Gt)
    }
}

/// The facts to move and the gaps they close.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Closing {
    /// Every failing comparison.
    pub gaps: Vec<Gap>,
    /// Each fact moved, with the value it is moved to: the threshold, or
    /// for an exclusive bound the next value in the fact's precision.
    pub moves: Vec<(FactId, Value)>,
}

impl Closing {
    /// The facts with every gap closed, as read in `year` (a fact given
    /// year by year moves in that year only).
    pub(crate) fn apply(&self, facts: &Facts, year: i32) -> Facts {
        let mut out = facts.clone();
        for (f, v) in &self.moves {
            out.set_in(*f, year, Some(v.clone()));
        }
        out
    }
}

/// One comparison a fact must meet: `fact op needed`.
#[derive(Debug, Clone, PartialEq)]
struct Need {
    fact: FactId,
    op: CmpOp,
    needed: Value,
}

/// What a condition needs to hold.
enum Fix {
    /// It holds (or is open: a missing fact is never a gap).
    Holds,
    /// It fails on something no gap closes.
    Never,
    /// It holds once these comparisons do.
    Needs(Vec<Need>),
}

/// Reads the condition tree of one clause against one company's facts.
pub(crate) struct Analyzer<'a> {
    program: &'a Program,
    facts: &'a Facts,
    date: NaiveDate,
    bounds: Bounds,
}

impl<'a> Analyzer<'a> {
    /// The year the facts are read in (those given year by year).
    pub(crate) fn year(&self) -> i32 {
        chrono::Datelike::year(&self.date)
    }

    /// An analyzer for these facts on `date`.
    pub(crate) fn new(
        program: &'a Program,
        facts: &'a Facts,
        date: NaiveDate,
        bounds: Bounds,
    ) -> Self {
        Analyzer {
            program,
            facts,
            date,
            bounds,
        }
    }

    /// The number an expression has with the company's facts (`None` when
    /// a fact it reads is missing).
    pub(crate) fn number(&self, e: &Expr) -> Result<Option<Decimal>, EvalError> {
        crate::eval::number(self.program, self.facts, self.date, e)
    }

    /// The gaps that keep all of `conds` from holding, when every one is
    /// closable within the bounds; `None` when something else fails or a
    /// gap is too wide.
    pub(crate) fn closing(&self, conds: &[&Cond]) -> Result<Option<Closing>, EvalError> {
        let mut needs = Vec::new();
        for c in conds {
            match self.fix(c)? {
                Fix::Holds => {}
                Fix::Never => return Ok(None),
                Fix::Needs(n) => needs.extend(n),
            }
        }
        if needs.is_empty() {
            return Ok(None);
        }
        Ok(self.close(&needs))
    }

    /// The truth of a condition with the company's facts.
    pub(crate) fn holds(&self, c: &Cond) -> Result<Tri, EvalError> {
        crate::eval::holds(self.program, self.facts, self.date, c)
    }

    fn fix(&self, c: &Cond) -> Result<Fix, EvalError> {
        if self.holds(c)? != Tri::No {
            return Ok(Fix::Holds);
        }
        Ok(match c {
            Cond::Cmp { lhs, op, rhs, .. } => self.comparison(lhs, *op, rhs),
            Cond::Not(inner, _) => match inner.as_ref() {
                Cond::Cmp { lhs, op, rhs, .. } if rhs.len() == 1 => match negate(*op) {
                    Some(op) => self.comparison(lhs, op, rhs),
                    None => Fix::Never,
                },
                _ => Fix::Never,
            },
            Cond::Named { body, .. } => self.fix(body)?,
            Cond::And(items, _) => {
                let mut needs = Vec::new();
                for i in items {
                    match self.fix(i)? {
                        Fix::Holds => {}
                        Fix::Never => return Ok(Fix::Never),
                        Fix::Needs(n) => needs.extend(n),
                    }
                }
                if needs.is_empty() {
                    Fix::Never
                } else {
                    Fix::Needs(needs)
                }
            }
            Cond::Or(items, _) => {
                // The alternative closest to holding: the one whose widest
                // gap is narrowest, the first written on a tie.
                let mut best: Option<(Decimal, Vec<Need>)> = None;
                for i in items {
                    if let Fix::Needs(n) = self.fix(i)?
                        && let Some(closing) = self.close(&n)
                    {
                        let width = self.width(&closing);
                        if best.as_ref().is_none_or(|(w, _)| width < *w) {
                            best = Some((width, n));
                        }
                    }
                }
                best.map_or(Fix::Never, |(_, n)| Fix::Needs(n))
            }
            // A year already past cannot be changed.
            Cond::Fact(..) | Cond::EnumIs(..) | Cond::Consecutive { .. } | Cond::True => Fix::Never,
        })
    }

    /// A failing comparison: closable when one side is a numeric or date
    /// fact and every other side a constant.
    fn comparison(&self, lhs: &Expr, op: CmpOp, rhs: &[Expr]) -> Fix {
        if matches!(op, CmpOp::Eq | CmpOp::Ne) {
            return Fix::Never;
        }
        let (fact, op, constants): (FactId, CmpOp, Vec<Value>) = match (fact_of(lhs), rhs) {
            (Some(f), _) => match rhs.iter().map(constant_of).collect::<Option<Vec<_>>>() {
                Some(cs) if !cs.is_empty() => (f, op, cs),
                _ => return Fix::Never,
            },
            (None, [r]) => match (constant_of(lhs), fact_of(r)) {
                (Some(c), Some(f)) => (f, flip(op), vec![c]),
                _ => return Fix::Never,
            },
            (None, _) => return Fix::Never,
        };
        let Some(decl) = self.program.vocab.get(fact) else {
            return Fix::Never;
        };
        if !matches!(
            decl.ty,
            Ty::Money | Ty::Foreign(_) | Ty::Ratio | Ty::Quantity(_) | Ty::Date
        ) {
            return Fix::Never;
        }
        if self.facts.get_in(fact, self.year()).is_none() {
            return Fix::Never;
        }
        let mut needs = Vec::new();
        for needed in constants {
            if number(&needed).is_none() && date(&needed).is_none() {
                return Fix::Never;
            }
            needs.push(Need { fact, op, needed });
        }
        Fix::Needs(needs)
    }

    /// The gaps of `needs` and where each fact moves, when all fit the
    /// bounds and no fact is asked to move both up and down.
    fn close(&self, needs: &[Need]) -> Option<Closing> {
        let mut out = Closing::default();
        let mut facts: Vec<FactId> = needs.iter().map(|n| n.fact).collect();
        facts.sort_unstable();
        facts.dedup();
        for fact in facts {
            let value = self.facts.get_in(fact, self.year())?.clone();
            let ty = &self.program.vocab.get(fact)?.ty;
            let mut target: Option<(bool, Target)> = None;
            for n in needs.iter().filter(|n| n.fact == fact) {
                let rising = matches!(n.op, CmpOp::Ge | CmpOp::Gt);
                let Some((distance, t)) = self.distance(ty, &value, n) else {
                    continue;
                };
                if !self.within(&n.needed, distance) {
                    return None;
                }
                out.gaps.push(Gap {
                    fact,
                    op: n.op,
                    value: value.clone(),
                    needed: n.needed.clone(),
                    distance,
                });
                target = match target {
                    None => Some((rising, t)),
                    Some((r, _)) if r != rising => return None,
                    Some((r, old)) => Some((r, if r { old.max(t) } else { old.min(t) })),
                };
            }
            if let Some((_, t)) = target {
                out.moves.push((fact, t.value(ty)));
            }
        }
        (!out.gaps.is_empty()).then_some(out)
    }

    /// How far `value` is from meeting `need` and the value that meets it;
    /// `None` when it already does.
    fn distance(&self, ty: &Ty, value: &Value, need: &Need) -> Option<(Distance, Target)> {
        match (date(value), date(&need.needed)) {
            (Some(v), Some(c)) => {
                let target = match need.op {
                    CmpOp::Gt => c.checked_add_days(Days::new(1))?,
                    CmpOp::Lt => c.checked_sub_days(Days::new(1))?,
                    _ => c,
                };
                if meets(need.op, v.cmp(&c)) {
                    return None;
                }
                let days = (c - v).num_days().abs();
                Some((Distance::Days(days), Target::Date(target)))
            }
            _ => {
                let v = number(value)?;
                let c = number(&need.needed)?;
                if meets(need.op, v.cmp(&c)) {
                    return None;
                }
                let step = step(ty, v, c);
                let target = match need.op {
                    CmpOp::Gt => c.checked_add(step)?,
                    CmpOp::Lt => c.checked_sub(step)?,
                    _ => c,
                };
                Some((Distance::Amount((c - v).abs()), Target::Num(target)))
            }
        }
    }

    fn within(&self, needed: &Value, d: Distance) -> bool {
        match d {
            Distance::Days(n) => n <= self.bounds.days,
            Distance::Amount(g) => match number(needed) {
                Some(c) if !c.is_zero() => g
                    .checked_div(c.abs())
                    .is_some_and(|r| r <= self.bounds.relative),
                // A threshold of zero has no relative gap to speak of.
                _ => false,
            },
        }
    }

    /// The widest gap of a closing, relative to its bound (days against
    /// the day bound), to compare alternatives.
    fn width(&self, c: &Closing) -> Decimal {
        c.gaps
            .iter()
            .map(|g| match g.distance {
                Distance::Days(n) => {
                    Decimal::from(n) / Decimal::from(self.bounds.days.max(1)) * self.bounds.relative
                }
                Distance::Amount(a) => number(&g.needed)
                    .filter(|c| !c.is_zero())
                    .and_then(|c| a.checked_div(c.abs()))
                    .unwrap_or(Decimal::MAX),
            })
            .max()
            .unwrap_or_default()
    }
}

/// Where a fact moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Num(Decimal),
    Date(NaiveDate),
}

impl Target {
    fn value(self, ty: &Ty) -> Value {
        match (self, ty) {
            (Target::Date(d), _) => Value::Date(d),
            (Target::Num(n), Ty::Money) => Value::Money(Money(n)),
            (Target::Num(n), Ty::Foreign(c)) => Value::Foreign(Money(n), *c),
            (Target::Num(n), Ty::Ratio) => Value::Ratio(Ratio(n)),
            (Target::Num(n), _) => Value::Quantity(n),
        }
    }
}

/// The smallest step of a fact's values: 0.01元, 0.01%, one unit of a
/// whole quantity (0.01 of one written with decimals).
fn step(ty: &Ty, value: Decimal, bound: Decimal) -> Decimal {
    match ty {
        Ty::Ratio => Decimal::new(1, 4),
        Ty::Quantity(_) if value.fract().is_zero() && bound.fract().is_zero() => Decimal::ONE,
        _ => Decimal::new(1, 2),
    }
}

fn meets(op: CmpOp, ord: std::cmp::Ordering) -> bool {
    match op {
        CmpOp::Ge => ord.is_ge(),
        CmpOp::Gt => ord.is_gt(),
        CmpOp::Le => ord.is_le(),
        CmpOp::Lt => ord.is_lt(),
        CmpOp::Eq => ord.is_eq(),
        CmpOp::Ne => ord.is_ne(),
    }
}

/// `c op x` as `x op' c`.
fn flip(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Ge => CmpOp::Le,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Lt => CmpOp::Gt,
        other => other,
    }
}

/// `非 (x op c)` as `x op' c`.
fn negate(op: CmpOp) -> Option<CmpOp> {
    match op {
        CmpOp::Ge => Some(CmpOp::Lt),
        CmpOp::Gt => Some(CmpOp::Le),
        CmpOp::Le => Some(CmpOp::Gt),
        CmpOp::Lt => Some(CmpOp::Ge),
        CmpOp::Eq | CmpOp::Ne => None,
    }
}

/// The fact an expression reads as it is, directly or through definitions.
pub(crate) fn fact_of(e: &Expr) -> Option<FactId> {
    match e {
        Expr::Fact(id, _) => Some(*id),
        Expr::Named { body, .. } => fact_of(body),
        _ => None,
    }
}

/// The constant an expression is, directly or through definitions.
pub(crate) fn constant_of(e: &Expr) -> Option<Value> {
    match e {
        Expr::Lit(v, _) => Some(v.clone()),
        Expr::Named { body, .. } => constant_of(body),
        _ => None,
    }
}

fn number(v: &Value) -> Option<Decimal> {
    match v {
        Value::Money(m) | Value::Foreign(m, _) => Some(m.0),
        Value::Ratio(r) => Some(r.0),
        Value::Number(n) | Value::Quantity(n) => Some(*n),
        _ => None,
    }
}

fn date(v: &Value) -> Option<NaiveDate> {
    match v {
        Value::Date(d) => Some(*d),
        _ => None,
    }
}
