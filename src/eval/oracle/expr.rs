//! The tree walker's conditions (three-valued, Kleene) and expressions
//! (exact decimals): the oracle's.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::ast::{ArithOp, CmpOp, Func};
pub(crate) use crate::eval::Tri;
use crate::eval::derive::{self, Step};
use crate::eval::error::{Fault, FaultKind};
use crate::eval::trace::Trace;
use crate::program::{Cond, Expr, FactId, Loc, Program, Value};

/// A value read at run time; numbers of every kind are exact decimals
/// (the checker proved the kinds agree).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Rt {
    /// Money, ratio, quantity or number.
    Num(Decimal),
    /// A date.
    Date(NaiveDate),
    /// Yes/no.
    Bool(bool),
    /// A text.
    Text(Arc<str>),
    /// An enumeration value's index.
    Enum(usize),
}

/// What an evaluation needs: the program, one entity's facts, the date.
pub(crate) struct Ctx<'a> {
    /// The program.
    pub(crate) program: &'a Program,
    /// Facts by slot, those given year by year read as of `year`.
    pub(crate) facts: &'a [Option<Value>],
    /// The facts given year by year.
    pub(crate) years: &'a [(FactId, crate::facts::ByYear)],
    /// The calendar year `facts` are read in.
    pub(crate) year: i32,
    /// The evaluation date.
    pub(crate) date: NaiveDate,
    /// Steps left.
    pub(crate) fuel: std::cell::Cell<u64>,
    /// The budget, for the error message.
    pub(crate) limit: u64,
    /// Whether amounts record how they were reached (into `steps`).
    pub(crate) record: std::cell::Cell<bool>,
    /// The steps recorded so far for the grant being computed.
    pub(crate) steps: std::cell::RefCell<Vec<Step>>,
}

impl Ctx<'_> {
    /// Runs `f` over other facts (`facts`, read as of `year`: an item's
    /// fields, a schedule year's figures); the budget and the steps carry
    /// over as this run's.
    pub(crate) fn over<T>(
        &self,
        facts: &[Option<Value>],
        year: i32,
        f: impl FnOnce(&Ctx<'_>) -> T,
    ) -> T {
        let sub = Ctx {
            program: self.program,
            facts,
            years: self.years,
            year,
            date: self.date,
            fuel: std::cell::Cell::new(self.fuel.get()),
            limit: self.limit,
            record: std::cell::Cell::new(self.record.get()),
            steps: std::cell::RefCell::new(self.steps.take()),
        };
        let out = f(&sub);
        self.fuel.set(sub.fuel.get());
        self.steps.replace(sub.steps.into_inner());
        out
    }

    /// Spends one step on the node at `loc`.
    fn step(&self, loc: Loc) -> Result<(), Fault> {
        let left = self.fuel.get();
        if left == 0 {
            return Err(self.out_of_fuel(loc));
        }
        self.fuel.set(left - 1);
        Ok(())
    }

    // Out of line: every node spends a step, and building the error in
    // place would make each evaluating function's frame larger.
    #[cold]
    #[inline(never)]
    fn out_of_fuel(&self, loc: Loc) -> Fault {
        Fault::new(FaultKind::OutOfFuel { limit: self.limit }, loc)
    }

    /// An overflow at `loc`.
    pub(crate) fn overflow(&self, loc: Loc) -> Fault {
        Fault::new(FaultKind::Overflow, loc)
    }

    /// Converts a stored fact to a run-time value.
    pub(crate) fn fact(&self, id: FactId) -> Option<Rt> {
        self.facts.get(id).and_then(Option::as_ref).map(rt_of)
    }

    /// Evaluates a condition; missing facts that left it open go into
    /// `missing`, the reasoning into `trace` when explaining.
    pub(crate) fn cond(
        &self,
        c: &Cond,
        missing: &mut Vec<FactId>,
        trace: &mut Trace,
        depth: usize,
    ) -> Result<Tri, Fault> {
        self.step(cond_loc(c))?;
        match c {
            Cond::True => Ok(Tri::Yes),
            Cond::Fact(id, loc) => {
                let r = match self.facts.get(*id).and_then(Option::as_ref) {
                    Some(Value::Bool(b)) => tri(*b),
                    _ => {
                        missing.push(*id);
                        Tri::Unknown
                    }
                };
                trace.leaf(depth, *loc, r, &[*id]);
                Ok(r)
            }
            Cond::EnumIs(id, idx, loc) => {
                let r = match self.facts.get(*id).and_then(Option::as_ref) {
                    Some(Value::Enum(v)) => tri(v == idx),
                    _ => {
                        missing.push(*id);
                        Tri::Unknown
                    }
                };
                trace.leaf(depth, *loc, r, &[*id]);
                Ok(r)
            }
            Cond::Consecutive {
                event,
                years,
                fact,
                loc,
            } => {
                let value = |id: FactId| self.facts.get(id).and_then(Option::as_ref);
                let by_year = self.years.iter().find(|(id, _)| id == fact).map(|y| &y.1);
                let run =
                    crate::program::run_of_years(
                        value(*event),
                        *years,
                        self.date,
                        |y| match by_year {
                            Some(t) => t.get(y),
                            None => value(*fact),
                        },
                    );
                let r = match run {
                    crate::program::RunOfYears::Held => Tri::Yes,
                    crate::program::RunOfYears::Broken | crate::program::RunOfYears::NotYet => {
                        Tri::No
                    }
                    crate::program::RunOfYears::NoEvent => {
                        missing.push(*event);
                        Tri::Unknown
                    }
                    crate::program::RunOfYears::Missing => {
                        missing.push(*fact);
                        Tri::Unknown
                    }
                };
                let from = match value(*event) {
                    Some(Value::Date(d)) => Some((*d, *years)),
                    _ => None,
                };
                trace.run_of_years(depth, *loc, r, &[*event, *fact], from);
                Ok(r)
            }
            Cond::Cmp { lhs, op, rhs, loc } => {
                self.comparison(lhs, *op, rhs, *loc, missing, trace, depth)
            }
            Cond::And(items, loc) => self.junction(items, true, *loc, missing, trace, depth),
            Cond::Or(items, loc) => self.junction(items, false, *loc, missing, trace, depth),
            Cond::Not(inner, loc) => {
                let at = trace.open(depth, *loc);
                let r = match self.cond(inner, missing, trace, depth + 1)? {
                    Tri::Yes => Tri::No,
                    Tri::No => Tri::Yes,
                    Tri::Unknown => Tri::Unknown,
                };
                trace.close(at, r);
                Ok(r)
            }
            Cond::Named { body, loc, .. } => {
                let at = trace.open(depth, *loc);
                let r = self.cond(body, missing, trace, depth + 1)?;
                trace.close(at, r);
                Ok(r)
            }
        }
    }

    // Out of line, so that the leaves and junctions evaluated far more
    // often do not pay for a comparison's stack frame.
    #[inline(never)]
    #[expect(
        clippy::too_many_arguments,
        reason = "the hot path passes the comparison's parts unboxed rather than build a struct per call"
    )]
    fn comparison(
        &self,
        lhs: &Expr,
        op: CmpOp,
        rhs: &[Expr],
        loc: Loc,
        missing: &mut Vec<FactId>,
        trace: &mut Trace,
        depth: usize,
    ) -> Result<Tri, Fault> {
        // Missing facts go straight into `missing` and are taken
        // back unless the comparison stays open: no vector per
        // comparison.
        let start = missing.len();
        let miss = missing;
        // Every side is evaluated (for its missing facts and its
        // errors); the right-hand sides are folded as they come:
        // = holds when any is equal, every other operator when all
        // comparisons hold.
        let any = op == CmpOp::Eq;
        let mut holds = !any;
        let known = if is_leaf(lhs) && rhs.iter().all(is_leaf) {
            // Facts and literals compared where they are stored,
            // with the steps and missing facts `value` would give:
            // most comparisons, and no run-time values to build.
            self.step(lhs.loc())?;
            let l = self.leaf(lhs, miss);
            let mut known = l.is_some();
            for r in rhs {
                self.step(r.loc())?;
                match (l, self.leaf(r, miss)) {
                    (Some(l), Some(r)) if any => holds |= compare_keys(l, op, r),
                    (Some(l), Some(r)) => holds &= compare_keys(l, op, r),
                    _ => known = false,
                }
            }
            known
        } else {
            let l = self.value(lhs, miss)?;
            let mut known = l.is_some();
            for r in rhs {
                match (&l, self.value(r, miss)?) {
                    (Some(l), Some(r)) if any => holds |= compare(l, op, &r),
                    (Some(l), Some(r)) => holds &= compare(l, op, &r),
                    _ => known = false,
                }
            }
            known
        };
        let result = if known { tri(holds) } else { Tri::Unknown };
        if trace.enabled() {
            let mut read = Vec::new();
            collect_facts(lhs, &mut read);
            for r in rhs {
                collect_facts(r, &mut read);
            }
            trace.leaf(depth, loc, result, &read);
        }
        if result != Tri::Unknown {
            miss.truncate(start);
        }
        Ok(result)
    }

    fn junction(
        &self,
        items: &[Cond],
        all: bool,
        loc: Loc,
        missing: &mut Vec<FactId>,
        trace: &mut Trace,
        depth: usize,
    ) -> Result<Tri, Fault> {
        let at = trace.open(depth, loc);
        let (decisive, other) = if all {
            (Tri::No, Tri::Yes)
        } else {
            (Tri::Yes, Tri::No)
        };
        // The missing facts of the items still open stay in `missing`, in
        // order; those of the other items are taken back as soon as each
        // item is decided, and all of them when the junction is decided.
        let start = missing.len();
        let mut result = other;
        for i in items {
            let item_start = missing.len();
            match self.cond(i, missing, trace, depth + 1)? {
                r if r == decisive => {
                    result = decisive;
                    missing.truncate(item_start);
                }
                Tri::Unknown => {
                    if result != decisive {
                        result = Tri::Unknown;
                    }
                }
                _ => missing.truncate(item_start),
            }
        }
        if result != Tri::Unknown {
            missing.truncate(start);
        }
        trace.close(at, result);
        Ok(result)
    }

    /// A literal or a fact as stored (see [`is_leaf`]), without the step;
    /// `None` when the fact is missing (it goes into `missing`).
    fn leaf<'s>(&'s self, e: &'s Expr, missing: &mut Vec<FactId>) -> Option<Key<'s>> {
        match e {
            Expr::Lit(v, _) => Some(key(v)),
            Expr::Fact(id, _) => match self.facts.get(*id).and_then(Option::as_ref) {
                Some(v) => Some(key(v)),
                None => {
                    missing.push(*id);
                    None
                }
            },
            _ => None,
        }
    }

    /// A run-time value; `None` when a fact it reads is missing (the fact
    /// goes into `missing`).
    pub(crate) fn value(&self, e: &Expr, missing: &mut Vec<FactId>) -> Result<Option<Rt>, Fault> {
        self.step(e.loc())?;
        match e {
            Expr::Lit(v, _) => Ok(Some(rt_of(v))),
            Expr::Fact(id, _) => match self.fact(*id) {
                Some(v) => Ok(Some(v)),
                None => {
                    missing.push(*id);
                    Ok(None)
                }
            },
            Expr::Param(pid, loc) => {
                let param = self.program.params.get(*pid);
                match param.and_then(|p| p.entry_at(self.date)) {
                    Some((since, v)) => {
                        if self.record.get()
                            && let Some(p) = param
                        {
                            self.note(format!(
                                "{} 自{} {}",
                                p.name,
                                since.format("%Y年%-m月%-d日"),
                                derive::show_value(&p.kind, v)
                            ));
                        }
                        Ok(Some(rt_of(v)))
                    }
                    None => Err(Fault::new(
                        FaultKind::ParamUndefined {
                            param: param.map(|p| p.name.clone()).unwrap_or_default(),
                            date: self.date,
                        },
                        *loc,
                    )),
                }
            }
            Expr::Named { name, body, .. } => {
                let v = self.value(body, missing)?;
                if self.record.get()
                    && let Some(Rt::Num(n)) = v
                {
                    let kind = derive::kind_of(self.program, body);
                    self.note(format!("{name} = {}", derive::show(&kind, n)));
                }
                Ok(v)
            }
            Expr::Shift {
                base,
                n,
                unit,
                back,
                loc,
            } => {
                // Two steps, like every computed expression.
                self.step(*loc)?;
                let Some(Rt::Date(d)) = self.value(base, missing)? else {
                    return Ok(None);
                };
                let out =
                    crate::program::shift_date(d, *n, *unit, *back).map_err(|err| match err {
                        crate::program::ShiftError::Calendar(u) => {
                            Fault::new(FaultKind::CalendarUnknown { date: u.date }, *loc)
                        }
                        crate::program::ShiftError::Overflow => self.overflow(*loc),
                    })?;
                if self.record.get() {
                    self.note(crate::program::shift_text(
                        self.program,
                        base,
                        d,
                        *n,
                        *unit,
                        *back,
                        out,
                    ));
                }
                Ok(Some(Rt::Date(out)))
            }
            _ => Ok(self.num(e, missing)?.map(Rt::Num)),
        }
    }

    /// An exact number; `None` when a fact it reads is missing.
    pub(crate) fn num(
        &self,
        e: &Expr,
        missing: &mut Vec<FactId>,
    ) -> Result<Option<Decimal>, Fault> {
        self.step(e.loc())?;
        match e {
            Expr::Lit(..)
            | Expr::Fact(..)
            | Expr::Param(..)
            | Expr::Named { .. }
            | Expr::Shift { .. } => Ok(match self.value(e, missing)? {
                Some(Rt::Num(n)) => Some(n),
                _ => None,
            }),
            Expr::Arith { first, rest, loc } => self.arith_num(e, first, rest, *loc, missing),
            Expr::Of {
                base,
                base_cap,
                shares,
                loc,
            } => self.of_num(e, base, base_cap.as_deref(), shares, *loc, missing),
            Expr::Call { func, args, .. } => self.call_num(e, *func, args, missing),
            Expr::Band {
                subject,
                above,
                bound,
                rate,
                loc,
            } => self.band_num(e, subject, *above, bound, rate, *loc, missing),
            Expr::Convert { amount, rate, loc } => self.convert_num(e, amount, rate, *loc, missing),
        }
    }

    /// `X 按 R 折算`: the foreign amount times the rate in force, explained
    /// as the product it is.
    fn convert_num(
        &self,
        e: &Expr,
        amount: &Expr,
        rate: &Expr,
        loc: Loc,
        missing: &mut Vec<FactId>,
    ) -> Result<Option<Decimal>, Fault> {
        let (a, record, mut text) = self.leading(amount, missing)?;
        let r = self.num(rate, missing)?;
        if let (true, Some(r)) = (record, r) {
            text.push_str(&format!(
                " {} {}",
                derive::op_sign(ArithOp::Mul),
                derive::operand(self.program, rate, r)
            ));
        }
        let out = match (a, r) {
            (Some(a), Some(r)) => Some(self.arith(ArithOp::Mul, a, r, loc)?),
            _ => None,
        };
        if let (true, Some(v)) = (record, out) {
            self.note_result(text, e, v);
        }
        Ok(out)
    }

    /// The first operand of a computation, whether steps are recorded,
    /// and the derivation's text so far (empty when not recording).
    #[inline]
    fn leading(
        &self,
        first: &Expr,
        missing: &mut Vec<FactId>,
    ) -> Result<(Option<Decimal>, bool, String), Fault> {
        let acc = self.num(first, missing)?;
        let record = self.record.get();
        let text = match acc {
            Some(a) if record => derive::operand(self.program, first, a),
            _ => String::new(),
        };
        Ok((acc, record, text))
    }

    /// `a + b − c …`, left to right.
    #[inline]
    fn arith_num(
        &self,
        e: &Expr,
        first: &Expr,
        rest: &[(ArithOp, Expr)],
        loc: Loc,
        missing: &mut Vec<FactId>,
    ) -> Result<Option<Decimal>, Fault> {
        let (mut acc, record, mut text) = self.leading(first, missing)?;
        for (op, operand) in rest {
            let v = self.num(operand, missing)?;
            if let (true, Some(b)) = (record, v) {
                text.push_str(&format!(
                    " {} {}",
                    derive::op_sign(*op),
                    derive::operand(self.program, operand, b)
                ));
            }
            acc = match (acc, v) {
                (Some(a), Some(b)) => Some(self.arith(*op, a, b, loc)?),
                _ => None,
            };
        }
        if let (true, Some(r)) = (record, acc) {
            self.note_result(text, e, r);
        }
        Ok(acc)
    }

    /// `X 最高 C 的 P …`: the base, capped, times each share.
    #[inline]
    fn of_num(
        &self,
        e: &Expr,
        base: &Expr,
        base_cap: Option<&Expr>,
        shares: &[Expr],
        loc: Loc,
        missing: &mut Vec<FactId>,
    ) -> Result<Option<Decimal>, Fault> {
        let (mut acc, record, mut text) = self.leading(base, missing)?;
        if let Some(cap) = base_cap {
            let c = self.num(cap, missing)?;
            if let (true, Some(a), Some(c)) = (record, acc, c) {
                let kind = derive::kind_of(self.program, base);
                let c_s = derive::show(&kind, c);
                self.note(if a > c {
                    format!("{text} 超过基数上限 {c_s}，按 {c_s} 计")
                } else {
                    format!("{text} 未超过基数上限 {c_s}")
                });
                text = derive::show(&kind, a.min(c));
            }
            acc = match (acc, c) {
                (Some(a), Some(c)) => Some(a.min(c)),
                _ => None,
            };
        }
        for s in shares {
            let v = self.num(s, missing)?;
            if let (true, Some(b)) = (record, v) {
                text.push_str(&format!(" × {}", derive::operand(self.program, s, b)));
            }
            acc = match (acc, v) {
                (Some(a), Some(b)) => Some(self.arith(ArithOp::Mul, a, b, loc)?),
                _ => None,
            };
        }
        if let (true, Some(r), false) = (record, acc, shares.is_empty()) {
            self.note_result(text, e, r);
        }
        Ok(acc)
    }

    /// 较高者 / 较低者: unknown when any argument is.
    #[inline]
    fn call_num(
        &self,
        e: &Expr,
        func: Func,
        args: &[Expr],
        missing: &mut Vec<FactId>,
    ) -> Result<Option<Decimal>, Fault> {
        let mut out: Option<Decimal> = None;
        let mut unknown = false;
        let record = self.record.get();
        let mut parts = Vec::new();
        for a in args {
            match self.num(a, missing)? {
                Some(v) => {
                    if record {
                        parts.push(derive::operand(self.program, a, v));
                    }
                    out = Some(match (out, func) {
                        (None, _) => v,
                        (Some(o), Func::Max) => o.max(v),
                        (Some(o), Func::Min) => o.min(v),
                    });
                }
                None => unknown = true,
            }
        }
        let out = if unknown { None } else { out };
        if let (true, Some(r)) = (record, out) {
            let text = format!("{}({})", derive::func_word(func), parts.join("，"));
            self.note_result(text, e, r);
        }
        Ok(out)
    }

    /// The part of `subject` above (or up to) `bound`, times `rate`.
    #[expect(clippy::too_many_arguments, reason = "the parts of one Expr::Band")]
    #[inline]
    fn band_num(
        &self,
        e: &Expr,
        subject: &Expr,
        above: bool,
        bound: &Expr,
        rate: &Expr,
        loc: Loc,
        missing: &mut Vec<FactId>,
    ) -> Result<Option<Decimal>, Fault> {
        let s = self.num(subject, missing)?;
        let b = self.num(bound, missing)?;
        let r = self.num(rate, missing)?;
        let (Some(s), Some(b), Some(r)) = (s, b, r) else {
            return Ok(None);
        };
        let part = if above {
            self.arith(ArithOp::Sub, s, b, loc)?.max(Decimal::ZERO)
        } else {
            s.min(b).max(Decimal::ZERO)
        };
        let out = self.arith(ArithOp::Mul, part, r, loc)?;
        if self.record.get() {
            self.note_band(e, subject, above, rate, [s, b, r, part, out]);
        }
        Ok(Some(out))
    }

    /// How a band was worked out: subject `s`, bound `b`, rate `r`, the
    /// part the rate applies to and the result.
    #[cold]
    #[inline(never)]
    fn note_band(&self, e: &Expr, subject: &Expr, above: bool, rate: &Expr, v: [Decimal; 5]) {
        let [s, b, r, part, out] = v;
        let (subject_text, kind) = (
            derive::operand(self.program, subject, s),
            derive::kind_of(self.program, subject),
        );
        let (b_s, r_s) = (
            derive::show(&kind, b),
            derive::operand(self.program, rate, r),
        );
        let part_text = match (above, part.is_zero() && s != b) {
            (true, false) => format!("({subject_text} − {b_s}) × {r_s}"),
            (true, true) => format!("{subject_text} 未超过 {b_s}，超过部分为 0，× {r_s}"),
            (false, _) => format!("{subject_text} 中 {b_s} 以内的部分 × {r_s}"),
        };
        self.note_result(part_text, e, out);
    }

    /// Records a step (only called while recording).
    #[cold]
    #[inline(never)]
    pub(crate) fn note(&self, text: String) {
        self.steps.borrow_mut().push(Step::new(text));
    }

    /// Records `text = result`, the result shown in `e`'s kind.
    #[cold]
    #[inline(never)]
    fn note_result(&self, text: String, e: &Expr, r: Decimal) {
        let kind = derive::kind_of(self.program, e);
        self.note(format!("{text} = {}", derive::show(&kind, r)));
    }

    /// One exact, checked operation.
    pub(crate) fn arith(
        &self,
        op: ArithOp,
        a: Decimal,
        b: Decimal,
        loc: Loc,
    ) -> Result<Decimal, Fault> {
        let r = match op {
            ArithOp::Add => a.checked_add(b),
            ArithOp::Sub => a.checked_sub(b),
            ArithOp::Mul => a.checked_mul(b),
            ArithOp::Div => {
                if b.is_zero() {
                    return Err(Fault::new(FaultKind::DivisionByZero, loc));
                }
                a.checked_div(b)
            }
        };
        r.ok_or_else(|| self.overflow(loc))
    }
}

/// Where a condition was written (`Cond::True` was not written at all).
pub(crate) fn cond_loc(c: &Cond) -> Loc {
    match c {
        Cond::Fact(_, l) | Cond::EnumIs(_, _, l) | Cond::And(_, l) | Cond::Or(_, l) => *l,
        Cond::Not(_, l) => *l,
        Cond::Cmp { loc, .. } | Cond::Named { loc, .. } | Cond::Consecutive { loc, .. } => *loc,
        Cond::True => Loc::default(),
    }
}

fn tri(b: bool) -> Tri {
    if b { Tri::Yes } else { Tri::No }
}

/// The run-time form of a stored value.
pub(crate) fn rt_of(v: &Value) -> Rt {
    match v {
        Value::Money(m) | Value::Foreign(m, _) => Rt::Num(m.0),
        Value::Ratio(r) => Rt::Num(r.0),
        Value::Number(n) | Value::Quantity(n) => Rt::Num(*n),
        Value::Date(d) => Rt::Date(*d),
        Value::Bool(b) => Rt::Bool(*b),
        Value::Text(t) => Rt::Text(Arc::clone(t)),
        Value::Enum(i) => Rt::Enum(*i),
        Value::Rank(r) => Rt::Num(Decimal::from(*r)),
        // Never read as a value: the checker refuses a list but after 每项.
        Value::List(_) => Rt::Text(Arc::from("")),
    }
}

/// An expression [`Ctx::leaf`] reads in place.
fn is_leaf(e: &Expr) -> bool {
    matches!(e, Expr::Lit(..) | Expr::Fact(..))
}

/// A value borrowed for comparison: equal exactly when the run-time
/// values ([`Rt`]) are.
#[derive(Clone, Copy, PartialEq)]
enum Key<'a> {
    // By value: a rank is stored as a whole number and read as one.
    Num(Decimal),
    Date(NaiveDate),
    Bool(bool),
    Text(&'a str),
    Enum(usize),
}

/// The comparison form of a stored value, as [`rt_of`] reads it.
fn key(v: &Value) -> Key<'_> {
    match v {
        Value::Money(m) | Value::Foreign(m, _) => Key::Num(m.0),
        Value::Ratio(r) => Key::Num(r.0),
        Value::Number(n) | Value::Quantity(n) => Key::Num(*n),
        Value::Rank(r) => Key::Num(Decimal::from(*r)),
        Value::Date(d) => Key::Date(*d),
        Value::Bool(b) => Key::Bool(*b),
        Value::Text(t) => Key::Text(t),
        Value::Enum(i) => Key::Enum(*i),
        Value::List(_) => Key::Text(""),
    }
}

/// The comparison form of a run-time value.
fn rt_key(v: &Rt) -> Key<'_> {
    match v {
        Rt::Num(n) => Key::Num(*n),
        Rt::Date(d) => Key::Date(*d),
        Rt::Bool(b) => Key::Bool(*b),
        Rt::Text(t) => Key::Text(t),
        Rt::Enum(i) => Key::Enum(*i),
    }
}

/// One comparison of two known values.
fn compare(l: &Rt, op: CmpOp, r: &Rt) -> bool {
    compare_keys(rt_key(l), op, rt_key(r))
}

/// One comparison of two known values, in comparison form.
fn compare_keys(l: Key<'_>, op: CmpOp, r: Key<'_>) -> bool {
    let ord = match (l, r) {
        _ if matches!(op, CmpOp::Eq) => return l == r,
        _ if matches!(op, CmpOp::Ne) => return l != r,
        (Key::Num(a), Key::Num(b)) => a.cmp(&b),
        (Key::Date(a), Key::Date(b)) => a.cmp(&b),
        (Key::Enum(a), Key::Enum(b)) => a.cmp(&b),
        _ => return false,
    };
    match op {
        CmpOp::Ge => ord.is_ge(),
        CmpOp::Gt => ord.is_gt(),
        CmpOp::Le => ord.is_le(),
        CmpOp::Lt => ord.is_lt(),
        CmpOp::Eq | CmpOp::Ne => false,
    }
}

/// Every fact an expression reads, for explanations.
pub(crate) fn collect_facts(e: &Expr, out: &mut Vec<FactId>) {
    if let Expr::Fact(id, _) = e
        && !out.contains(id)
    {
        out.push(*id);
    }
    for c in e.children() {
        collect_facts(c, out);
    }
}
