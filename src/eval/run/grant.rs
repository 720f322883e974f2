//! A grant's amount once its conditions hold: bound words, caps, tiers,
//! per-unit amounts, and the floor at zero: a grant is never negative,
//! whatever the arithmetic, so the floor comes after every cap and tier.

use rust_decimal::Decimal;

use super::cond::V;
use super::{Eval, Slot};
use crate::eval::derive::{self, operand};
use crate::eval::error::{Fault, FaultKind};
use crate::eval::flat::{Amount, Clause, CondId, Core, ExprId, Flat, Plain};
use crate::eval::{AmountKind, Status, Tri};
use crate::num::Money;
use crate::program::{AmountCore, Cond, Expr, FactId};

/// The tier paid (none when no tier holds) and its value.
type Paid = (Option<usize>, Option<Decimal>);

impl Eval<'_, '_> {
    fn core<const M: bool, const C: bool>(&mut self, core: Core) -> Result<Option<Decimal>, Fault> {
        self.charge::<M>(self.flat.core_cost(core));
        match core {
            Core::Expr(e) => self.num::<M, C>(e),
            Core::PerUnit {
                fact,
                per,
                whole,
                rate,
                loc,
            } => {
                let count = match self.stored(fact).map(super::cond::v_of) {
                    Some(V::Num(n)) => Some(n),
                    _ => {
                        self.miss::<C>(fact);
                        None
                    }
                };
                let rate_value = self.num::<M, C>(rate)?;
                match (count, rate_value) {
                    (Some(c), Some(r)) => {
                        let v = derive::per_unit_value(c, r, per, whole)
                            .ok_or_else(|| Fault::new(FaultKind::Overflow, loc))?;
                        if C && self.record {
                            self.note_per_unit(fact, c, (per, whole), rate, r, v);
                        }
                        Ok(Some(v))
                    }
                    _ => Ok(None),
                }
            }
        }
    }

    #[cold]
    #[inline(never)]
    fn note_per_unit(
        &mut self,
        fact: FactId,
        count: Decimal,
        block: (Decimal, bool),
        rate: ExprId,
        r: Decimal,
        v: Decimal,
    ) {
        let program = self.flat.program;
        let Some(rate_src) = self.flat.expr_src.get(rate as usize) else {
            return;
        };
        let rate = operand(program, rate_src, r);
        self.note(derive::per_unit_step(program, fact, count, block, &rate, v));
    }

    /// A cap's value: `Some(None)` when there is no cap, `None` when a fact
    /// it reads is missing.
    pub(super) fn cap<const M: bool, const C: bool>(
        &mut self,
        cap: Option<ExprId>,
    ) -> Result<Option<Option<Decimal>>, Fault> {
        match cap {
            None => Ok(Some(None)),
            Some(c) => {
                self.charge::<M>(self.flat.num_cost(c));
                Ok(self.num::<M, C>(c)?.map(Some))
            }
        }
    }

    /// Fills in the amount of an applying grant, or marks it undecided.
    pub(crate) fn grant<const M: bool, const C: bool>(
        &mut self,
        fc: &Clause<'_>,
        amount: &Amount,
        slot: &mut Slot,
    ) -> Result<(), Fault> {
        // A schedule's year is paid on the figures of the calendar year
        // it begins in (years.rs).
        if let Amount::Schedule { event, .. } = amount
            && !self.years.is_empty()
            && let Some(y) = self.schedule_year(*event, slot.year)
            && y != self.year
        {
            return self.in_year(y, |sub| sub.grant::<M, C>(fc, amount, slot));
        }
        let (value, bound, cap) = match amount {
            Amount::Discretionary { cap } => return self.discretionary::<M, C>(*cap, slot),
            Amount::Items {
                list,
                fields,
                filter,
                amount,
                each_cap,
                count,
                total_cap,
            } => {
                let parts = super::items::Parts {
                    list: *list,
                    fields,
                    filter: *filter,
                    amount: *amount,
                    each_cap: *each_cap,
                    count: *count,
                    total_cap: *total_cap,
                };
                return self.items::<M, C>(&parts, slot);
            }
            Amount::Range { low, high, cap } => {
                return self.range::<M, C>(*low, *high, *cap, slot);
            }
            Amount::Single {
                bound,
                core,
                cap,
                plain,
                ..
            } => {
                if !M
                    && !C
                    && let Some(p) = plain
                {
                    return self.plain(p, *bound, slot);
                }
                let v = self.core::<M, C>(*core)?;
                if let (true, Some(v)) = (C && self.record, v)
                    && let Some(src) = Flat::core_src(fc.def, None)
                {
                    self.note_fixed(src, *bound, v);
                }
                (v, *bound, *cap)
            }
            Amount::Schedule {
                event, runs, tiers, ..
            } => {
                // The clause binds only inside the schedule, so the year
                // is known here.
                let Some((i, (_, bound, core, cap))) = slot
                    .year
                    .and_then(|y| Amount::run_of(runs, y))
                    .and_then(|(i, _)| runs.get(i).map(|r| (i, *r)))
                else {
                    slot.status = Status::Undecided;
                    return Ok(());
                };
                if C && self.record {
                    self.note_year(*event, runs, slot.year);
                }
                // `每年 分别 …`: this year's amount is the tier's, as 分别
                // chooses one.
                if let Some(items) = tiers.get(i).filter(|t| !t.is_empty()) {
                    let Some((best, v)) = self.tiers::<M, C>(items, slot, fc.def.quota())? else {
                        return Ok(());
                    };
                    let bound = best
                        .and_then(|t| Flat::schedule_tier_bound(fc.def, i, t))
                        .unwrap_or(bound);
                    (v, bound, cap)
                } else {
                    let v = self.core::<M, C>(core)?;
                    if let (true, Some(v)) = (C && self.record, v)
                        && let Some(src) = Flat::core_src(fc.def, Some(i))
                    {
                        self.note_fixed(src, bound, v);
                    }
                    (v, bound, cap)
                }
            }
            Amount::Tiers {
                bound, items, cap, ..
            } => {
                let Some((best, v)) = self.tiers::<M, C>(items, slot, fc.def.quota())? else {
                    return Ok(());
                };
                let bound = if *bound == AmountKind::Exact {
                    best.and_then(|i| Flat::core_src(fc.def, Some(i)))
                        .map_or(AmountKind::Exact, AmountCore::inner_bound)
                } else {
                    *bound
                };
                (v, bound, *cap)
            }
        };
        let Some(computed) = value else {
            slot.status = Status::Undecided;
            return Ok(());
        };
        let Some(cap) = self.cap::<M, C>(cap)? else {
            slot.status = Status::Undecided;
            return Ok(());
        };
        let unit = fc.def.quota();
        let v = self.capped::<C>(computed, cap, slot, unit);
        slot.amount = Some(Money(self.floored::<C>(v, slot, unit)));
        slot.amount_kind = Some(bound);
        // A schedule's cap is over the years (往年已领) or this year's
        // applications (本年已领), on this year's instalment; one amount's
        // or 分别's is over the year's applications.
        let (cumulative, this_year, schedule) = match amount {
            Amount::Schedule {
                cumulative,
                this_year,
                ..
            } => (cumulative, *this_year, true),
            Amount::Single { cumulative, .. } | Amount::Tiers { cumulative, .. } => {
                (cumulative, true, false)
            }
            _ => (&None, false, false),
        };
        if let Some((cap, received)) = cumulative {
            self.cumulative::<M, C>(*cap, *received, (this_year, schedule), slot)?;
        }
        Ok(())
    }

    /// A [`Plain`] amount, unmetered and not recording: as the general
    /// path computes it (the amount, then the cap, then the floor at
    /// zero), read in place.
    #[inline]
    fn plain(&mut self, p: &Plain, bound: AmountKind, slot: &mut Slot) -> Result<(), Fault> {
        self.charge::<false>(p.cost.0);
        let base = match p.base {
            Ok(f) => self.stored(f).and_then(super::expr::num_of),
            Err(n) => Some(n),
        };
        let Some(mut v) = base else {
            slot.status = Status::Undecided;
            return Ok(());
        };
        if let Some(r) = p.share {
            v = self.arith(crate::ast::ArithOp::Mul, v, r, p.expr)?;
        }
        if let Some(c) = p.cap {
            self.charge::<false>(p.cost.1);
            if c.cmp_from(v) == std::cmp::Ordering::Greater {
                slot.uncapped = Some(Money(v));
                v = c.value();
            }
        }
        if v < Decimal::ZERO {
            slot.floored = true;
            v = Decimal::ZERO;
        }
        slot.amount = Some(Money(v));
        slot.amount_kind = Some(bound);
        Ok(())
    }

    /// `累计 最高 …（往年已领 …）` / `（本年已领 …）`: this amount at most
    /// what the cap leaves after what was received, never below zero. An
    /// amount of nothing needs neither.
    fn cumulative<const M: bool, const C: bool>(
        &mut self,
        cap: ExprId,
        received: FactId,
        (this_year, schedule): (bool, bool),
        slot: &mut Slot,
    ) -> Result<(), Fault> {
        let Some(Money(year)) = slot.amount else {
            return Ok(());
        };
        if year.is_zero() {
            return Ok(());
        }
        // Reading what was received is not a step (as reading a counted
        // fact is not).
        self.charge::<M>(self.flat.num_cost(cap));
        let c = self.num::<M, C>(cap)?;
        let got = match self.stored(received) {
            Some(crate::program::Value::Money(m)) => Some(m.0),
            _ => {
                self.miss::<C>(received);
                None
            }
        };
        let (Some(c), Some(got)) = (c, got) else {
            slot.status = Status::Undecided;
            slot.amount = None;
            return Ok(());
        };
        let left = (c - got).max(Decimal::ZERO);
        if C && self.record {
            let name = self.flat.program.vocab.name(received);
            for w in super::cumulative_words(name, this_year, schedule, c, got, year, left) {
                self.note(w);
            }
        }
        if year > left {
            if slot.uncapped.is_none() {
                slot.uncapped = Some(Money(year));
            }
            slot.amount = Some(Money(left));
        }
        Ok(())
    }

    /// `定额 20万元`, `最高 20万元`, `不少于 5万元`: a fixed amount says
    /// what kind it is, since nothing was computed.
    fn note_fixed(&mut self, core: &AmountCore, bound: AmountKind, v: Decimal) {
        let AmountCore::Expr(e) = core else { return };
        if derive::is_compound(e) {
            return;
        }
        let shown = operand(self.flat.program, e, v);
        self.note(match bound {
            AmountKind::Exact => format!("定额 {shown}"),
            AmountKind::AtMost => format!("最高 {shown}（上限）"),
            AmountKind::AtLeast => format!("不少于 {shown}（下限）"),
            AmountKind::Reduction => format!("减免 {shown}（减免应缴费用，不计入合计）"),
            // A 酌定 is not a fixed amount, and a range says its own.
            AmountKind::Discretionary | AmountKind::Range => return,
        });
    }

    /// A range: its floor and ceiling, each under the cap and never below
    /// zero; a floor the facts put above the ceiling is the ceiling.
    fn range<const M: bool, const C: bool>(
        &mut self,
        low: Core,
        high: Core,
        cap: Option<ExprId>,
        slot: &mut Slot,
    ) -> Result<(), Fault> {
        let lo = self.core::<M, C>(low)?;
        let hi = self.core::<M, C>(high)?;
        let c = self.cap::<M, C>(cap)?;
        let (Some(lo), Some(hi), Some(c)) = (lo, hi, c) else {
            slot.status = Status::Undecided;
            return Ok(());
        };
        let hi = self.capped::<C>(hi, c, slot, None);
        let hi = self.floored::<C>(hi, slot, None);
        let lo = lo.min(hi).max(Decimal::ZERO);
        if C && self.record {
            self.note(format!(
                "区间：下限 {}，上限 {}（按上限计入最高合计）",
                Money(lo),
                Money(hi)
            ));
        }
        slot.amount = Some(Money(hi));
        slot.floor = Some(Money(lo));
        slot.amount_kind = Some(AmountKind::Range);
        Ok(())
    }

    /// 酌定: no amount, only a cap (or none) for budgets.
    fn discretionary<const M: bool, const C: bool>(
        &mut self,
        cap: Option<ExprId>,
        slot: &mut Slot,
    ) -> Result<(), Fault> {
        slot.amount_kind = Some(AmountKind::Discretionary);
        let Some(c) = self.cap::<M, C>(cap)? else {
            slot.status = Status::Undecided;
            return Ok(());
        };
        // A cap below zero allows nothing.
        let c = c.map(|c| c.max(Decimal::ZERO));
        if C && self.record {
            self.note(match c {
                Some(c) => format!("酌定，上限 {}；不计入合计", Money(c)),
                None => "酌定（一事一议），金额未定；不计入合计".into(),
            });
        }
        slot.amount = c.map(Money);
        Ok(())
    }

    /// The computed amount under its cap, if it has one.
    pub(super) fn capped<const C: bool>(
        &mut self,
        computed: Decimal,
        cap: Option<Decimal>,
        slot: &mut Slot,
        unit: Option<&str>,
    ) -> Decimal {
        let Some(c) = cap else {
            return computed;
        };
        let mut v = computed;
        if v > c {
            slot.uncapped = Some(Money(v));
            v = c;
        }
        if C && self.record {
            let shown = |v| derive::grant_value(v, unit);
            self.note(if slot.uncapped.is_some() {
                format!(
                    "{} 超过上限 {}，按 {} 计",
                    shown(computed),
                    shown(c),
                    shown(c)
                )
            } else {
                format!("{} 未超过上限 {}", shown(computed), shown(c))
            });
        }
        v
    }

    /// A grant is never negative: the floor comes after every cap.
    pub(super) fn floored<const C: bool>(
        &mut self,
        v: Decimal,
        slot: &mut Slot,
        unit: Option<&str>,
    ) -> Decimal {
        if v >= Decimal::ZERO {
            return v;
        }
        if C && self.record {
            self.note(format!(
                "计算值 {} 为负，按 0 计",
                derive::grant_value(v, unit)
            ));
        }
        slot.floored = true;
        Decimal::ZERO
    }

    /// 分别: the best tier that holds, unless one still open could pay
    /// more (then the grant is undecided and `None` comes back). The
    /// tiers' conditions are parts of the clause's, already traced: they
    /// are not traced again.
    fn tiers<const M: bool, const C: bool>(
        &mut self,
        items: &[(CondId, Core)],
        slot: &mut Slot,
        unit: Option<&str>,
    ) -> Result<Option<Paid>, Fault> {
        let tracing = std::mem::replace(&mut self.tracing, false);
        let out = self.tier_values::<M, C>(items, slot, unit);
        self.tracing = tracing;
        out
    }

    fn tier_values<const M: bool, const C: bool>(
        &mut self,
        items: &[(CondId, Core)],
        slot: &mut Slot,
        unit: Option<&str>,
    ) -> Result<Option<Paid>, Fault> {
        let mut best: Option<(usize, Decimal)> = None;
        // The open tiers' values are only compared with the best: the
        // largest one decides (`None` beats everything), so no list.
        let mut open: Option<Option<Decimal>> = None;
        let start = self.mark::<C>();
        // Each tier's steps, so that only the paid tier's are kept.
        let steps_start = self.steps.len();
        let mut best_steps = (steps_start, steps_start);
        for (i, &(t, item)) in items.iter().enumerate() {
            let tier_start = self.mark::<C>();
            self.charge::<M>(self.flat.cond_cost.get(t as usize).copied().unwrap_or(0));
            let holds = self.cond::<M, C>(t, 1)?;
            if holds == Tri::No {
                self.unmiss::<C>(tier_start);
                continue;
            }
            let from = self.steps.len();
            let v = self.core::<M, C>(item)?;
            let to = self.steps.len();
            match (holds, v) {
                (Tri::Yes, Some(v)) if best.is_none_or(|(_, b)| v > b) => {
                    best = Some((i, v));
                    best_steps = (from, to);
                    self.unmiss::<C>(tier_start);
                }
                (Tri::Yes, Some(_)) => self.unmiss::<C>(tier_start),
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
            slot.status = Status::Undecided;
            return Ok(None);
        }
        self.unmiss::<C>(start);
        slot.tier = best.and_then(|(i, _)| u32::try_from(i).ok());
        if C && self.record {
            self.keep_tier_steps(items, best, steps_start, best_steps, unit);
        }
        Ok(Some((best.map(|(i, _)| i), best.map(|(_, v)| v))))
    }

    /// Drops the steps of the tiers not paid and says which tier was taken
    /// and why.
    #[cold]
    #[inline(never)]
    fn keep_tier_steps(
        &mut self,
        items: &[(CondId, Core)],
        best: Option<(usize, Decimal)>,
        steps_start: usize,
        (from, to): (usize, usize),
        unit: Option<&str>,
    ) {
        let kept: Vec<_> = self
            .steps
            .get(from..to)
            .map(<[_]>::to_vec)
            .unwrap_or_default();
        self.steps.truncate(steps_start);
        match best {
            Some((i, v)) => {
                let words = items
                    .get(i)
                    .and_then(|(t, _)| self.flat.cond_src.get(*t as usize))
                    .map_or_else(String::new, |(_, c)| self.tier_words(c));
                self.note(format!(
                    "分别：第 {} 档（{words}）成立，按该档计 {}",
                    i + 1,
                    derive::grant_value(v, unit)
                ));
                self.steps.extend(kept);
            }
            None => self.note("分别：没有一档成立".to_string()),
        }
    }

    /// A tier's condition in words: a value of an enumeration list says
    /// whose value it is (`首台套 为 国内`, not just `国内`).
    fn tier_words(&self, t: &Cond) -> String {
        use crate::program::Value;
        let program = self.flat.program;
        let vocab = &program.vocab;
        let source = || crate::report::source_words(program.text(crate::eval::cond_loc(t)));
        let enum_value = |f: FactId, i: usize| match vocab.get(f).map(|d| &d.ty) {
            Some(crate::program::Ty::Enum { values, .. }) => values.get(i).cloned(),
            _ => None,
        };
        let (f, i) = match t {
            Cond::EnumIs(f, i, _) => (*f, *i),
            Cond::Cmp {
                lhs: Expr::Fact(f, _),
                op: crate::ast::CmpOp::Eq,
                rhs,
                ..
            } => match rhs.as_slice() {
                [Expr::Lit(Value::Enum(i), _)] => (*f, *i),
                _ => return source(),
            },
            _ => return source(),
        };
        match enum_value(f, i) {
            Some(v) => format!("{} 为 {v}", vocab.name(f)),
            None => source(),
        }
    }
}
