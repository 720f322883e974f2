//! A grant's amount once its conditions hold: bound words, caps, tiers,
//! per-unit amounts, and the floor at zero: a grant is never negative,
//! whatever the arithmetic, so the floor comes after every cap and tier.

use rust_decimal::Decimal;

use super::expr::{Ctx, Rt, Tri};
use super::{AmountKind, ClauseResult, Status};
use crate::eval::ItemPay;
use crate::eval::derive::{self, operand};
use crate::eval::error::{Fault, FaultKind};
use crate::eval::trace::Trace;
use crate::num::Money;
use crate::program::{
    AmountCore, ClauseDef, Cumulative, Expr, FactId, GrantAmount, ItemGrant, Schedule, Value,
    YearOf, schedule_start,
};

fn core_value(
    ctx: &Ctx<'_>,
    core: &AmountCore,
    missing: &mut Vec<FactId>,
) -> Result<Option<Decimal>, Fault> {
    match core {
        AmountCore::Expr(e) => ctx.num(e, missing),
        AmountCore::PerUnit {
            fact,
            per,
            whole,
            rate,
            loc,
            ..
        } => {
            let count = match ctx.fact(*fact) {
                Some(Rt::Num(n)) => Some(n),
                _ => {
                    missing.push(*fact);
                    None
                }
            };
            let rate_value = ctx.num(rate, missing)?;
            match (count, rate_value) {
                (Some(c), Some(r)) => {
                    // Written out rather than shared with the compiled
                    // evaluator: count × rate, then ÷ the block; for whole
                    // blocks the count's remainder is dropped first (a
                    // negative remainder drops one block more, so that
                    // it is the floor), then the blocks are counted.
                    let v = if *whole {
                        let rem = c
                            .checked_rem(*per)
                            .ok_or_else(|| Fault::new(FaultKind::Overflow, *loc))?;
                        let mut kept = ctx.arith(crate::ast::ArithOp::Sub, c, rem, *loc)?;
                        if rem < Decimal::ZERO {
                            kept = ctx.arith(crate::ast::ArithOp::Sub, kept, *per, *loc)?;
                        }
                        let blocks = ctx
                            .arith(crate::ast::ArithOp::Div, kept, *per, *loc)?
                            .trunc();
                        ctx.arith(crate::ast::ArithOp::Mul, blocks, r, *loc)?
                    } else {
                        let mut v = ctx.arith(crate::ast::ArithOp::Mul, c, r, *loc)?;
                        if *per != Decimal::ONE {
                            v = ctx.arith(crate::ast::ArithOp::Div, v, *per, *loc)?;
                        }
                        v
                    };
                    if ctx.record.get() {
                        note_per_unit(ctx, *fact, c, (*per, *whole), rate, r, v);
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
    ctx: &Ctx<'_>,
    fact: FactId,
    count: Decimal,
    block: (Decimal, bool),
    rate: &Expr,
    r: Decimal,
    v: Decimal,
) {
    let rate = operand(ctx.program, rate, r);
    ctx.note(derive::per_unit_step(
        ctx.program,
        fact,
        count,
        block,
        &rate,
        v,
    ));
}

fn cap_value(
    ctx: &Ctx<'_>,
    cap: Option<&Expr>,
    missing: &mut Vec<FactId>,
) -> Result<Option<Option<Decimal>>, Fault> {
    match cap {
        None => Ok(Some(None)),
        Some(c) => Ok(ctx.num(c, missing)?.map(Some)),
    }
}

/// `定额 20万元`, `最高 20万元`, `不少于 5万元`: a fixed amount says what
/// kind it is, since nothing was computed.
fn note_fixed(ctx: &Ctx<'_>, core: &AmountCore, bound: AmountKind, v: Decimal) {
    let AmountCore::Expr(e) = core else { return };
    if derive::is_compound(e) {
        return;
    }
    let shown = operand(ctx.program, e, v);
    ctx.note(match bound {
        AmountKind::Exact => format!("定额 {shown}"),
        AmountKind::AtMost => format!("最高 {shown}（上限）"),
        AmountKind::AtLeast => format!("不少于 {shown}（下限）"),
        AmountKind::Reduction => format!("减免 {shown}（减免应缴费用，不计入合计）"),
        // A 酌定 is not a fixed amount, and a range says its own.
        AmountKind::Discretionary | AmountKind::Range => return,
    });
}

/// Fills in the amount of an applying grant, or marks it undecided.
pub(super) fn amount(
    ctx: &Ctx<'_>,
    clause: &ClauseDef,
    amount: &GrantAmount,
    r: &mut ClauseResult,
    missing: &mut Vec<FactId>,
) -> Result<(), Fault> {
    // A schedule's year is paid on the figures of the calendar year it
    // begins in.
    if let GrantAmount::Schedule(s) = amount
        && !ctx.years.is_empty()
        && let Some(y) = schedule_year(ctx, s, r.year)
        && y != ctx.year
    {
        return in_year(ctx, y, |sub| {
            amount_in_year(sub, clause, amount, r, missing)
        });
    }
    amount_in_year(ctx, clause, amount, r, missing)
}

/// The calendar year schedule year `k` reads its facts in.
fn schedule_year(ctx: &Ctx<'_>, s: &Schedule, k: Option<u32>) -> Option<i32> {
    let Some(Rt::Date(from)) = ctx.fact(s.event) else {
        return None;
    };
    schedule_start(from, k?).map(|d| chrono::Datelike::year(&d))
}

/// Runs `f` with the facts given year by year read as of `year`.
fn in_year<T>(ctx: &Ctx<'_>, year: i32, f: impl FnOnce(&Ctx<'_>) -> T) -> T {
    let facts = crate::eval::run::read_in(ctx.facts, ctx.years, year);
    ctx.over(&facts, year, f)
}

/// [`amount`] with the facts as they are read now.
fn amount_in_year(
    ctx: &Ctx<'_>,
    clause: &ClauseDef,
    amount: &GrantAmount,
    r: &mut ClauseResult,
    missing: &mut Vec<FactId>,
) -> Result<(), Fault> {
    one_amount(ctx, clause, amount, r, missing)?;
    // A schedule's cap is over the years; one amount's or 分别's, over
    // the year's applications.
    let this_year = match &clause.action {
        crate::program::Action::Grant { cumulative, .. } => cumulative.as_ref(),
        _ => None,
    };
    match amount {
        GrantAmount::Schedule(s) => match &s.cumulative {
            Some(c) => cumulative(ctx, c, true, r, missing),
            None => Ok(()),
        },
        GrantAmount::Single(_) | GrantAmount::Tiers { .. } => match this_year {
            Some(c) => cumulative(ctx, c, false, r, missing),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

/// `累计 最高 …（往年已领 …）`: this year's amount at most the cap less
/// what earlier years received, never below zero; a year paying nothing
/// reads neither. `（本年已领 …）` the same, less what this year's earlier
/// applications received; `schedule` when the amount is a schedule's
/// instalment rather than one application's.
fn cumulative(
    ctx: &Ctx<'_>,
    c: &Cumulative,
    schedule: bool,
    r: &mut ClauseResult,
    missing: &mut Vec<FactId>,
) -> Result<(), Fault> {
    let Some(Money(year)) = r.amount else {
        return Ok(());
    };
    if year == Decimal::ZERO {
        return Ok(());
    }
    let cap = ctx.num(&c.cap, missing)?;
    let got = match ctx.fact(c.received) {
        Some(Rt::Num(n)) => Some(n),
        _ => {
            missing.push(c.received);
            None
        }
    };
    let (Some(cap), Some(got)) = (cap, got) else {
        r.status = Status::Undecided;
        r.amount = None;
        return Ok(());
    };
    let left = if cap - got > Decimal::ZERO {
        cap - got
    } else {
        Decimal::ZERO
    };
    if ctx.record.get() {
        let name = ctx.program.vocab.name(c.received);
        for w in
            crate::eval::run::cumulative_words(name, c.this_year, schedule, cap, got, year, left)
        {
            ctx.note(w);
        }
    }
    if year > left {
        r.capped = true;
        if r.uncapped.is_none() {
            r.uncapped = Some(Money(year));
        }
        r.amount = Some(Money(left));
    }
    Ok(())
}

/// The amount before any cumulative cap.
fn one_amount(
    ctx: &Ctx<'_>,
    clause: &ClauseDef,
    amount: &GrantAmount,
    r: &mut ClauseResult,
    missing: &mut Vec<FactId>,
) -> Result<(), Fault> {
    let (value, bound, cap) = match amount {
        GrantAmount::Discretionary { cap } => {
            return discretionary(ctx, cap.as_ref(), r, missing);
        }
        GrantAmount::Items(g) => {
            let mut list = Vec::new();
            let done = items(ctx, g, r, missing, &mut list);
            r.items = list;
            return done;
        }
        GrantAmount::Range { low, high, cap } => {
            return range(ctx, low, high, cap.as_ref(), r, missing);
        }
        GrantAmount::Single(a) => {
            let bound = if a.bound == AmountKind::Exact {
                a.core.inner_bound()
            } else {
                a.bound
            };
            let v = core_value(ctx, &a.core, missing)?;
            if let (true, Some(v)) = (ctx.record.get(), v) {
                note_fixed(ctx, &a.core, bound, v);
            }
            (v, bound, a.cap.as_ref())
        }
        GrantAmount::Schedule(s) => {
            // The clause binds only inside the schedule.
            let Some((_, run)) = r.year.and_then(|y| s.run(y)) else {
                r.status = Status::Undecided;
                return Ok(());
            };
            let a = &run.amount;
            let bound = if a.bound == AmountKind::Exact {
                a.core.inner_bound()
            } else {
                a.bound
            };
            if ctx.record.get() {
                note_year(ctx, s, r.year);
            }
            if !run.tiers.is_empty() {
                // `每年 分别 …`: the year's amount is the tier's.
                let Some((best, v)) = tiers(ctx, clause, &run.tiers, r, missing)? else {
                    return Ok(());
                };
                let bound = match best.and_then(|i| run.tiers.get(i)) {
                    Some(c) if a.bound == AmountKind::Exact => c.inner_bound(),
                    _ => a.bound,
                };
                return finish(ctx, clause, v, bound, a.cap.as_ref(), r, missing);
            }
            let v = core_value(ctx, &a.core, missing)?;
            if let (true, Some(v)) = (ctx.record.get(), v) {
                note_fixed(ctx, &a.core, bound, v);
            }
            (v, bound, a.cap.as_ref())
        }
        GrantAmount::Tiers { bound, items, cap } => {
            let Some((best, v)) = tiers(ctx, clause, items, r, missing)? else {
                return Ok(());
            };
            let bound = if *bound == AmountKind::Exact {
                best.and_then(|i| items.get(i))
                    .map_or(AmountKind::Exact, AmountCore::inner_bound)
            } else {
                *bound
            };
            (v, bound, cap.as_ref())
        }
    };
    finish(ctx, clause, value, bound, cap, r, missing)
}

/// The computed amount under its cap, never below zero.
fn finish(
    ctx: &Ctx<'_>,
    clause: &ClauseDef,
    value: Option<Decimal>,
    bound: AmountKind,
    cap: Option<&Expr>,
    r: &mut ClauseResult,
    missing: &mut Vec<FactId>,
) -> Result<(), Fault> {
    let Some(computed) = value else {
        r.status = Status::Undecided;
        return Ok(());
    };
    let Some(cap) = cap_value(ctx, cap, missing)? else {
        r.status = Status::Undecided;
        return Ok(());
    };
    let unit = clause.quota();
    let v = capped(ctx, computed, cap, r, unit);
    r.amount = Some(Money(floored(ctx, v, r, unit)));
    r.amount_kind = Some(bound);
    Ok(())
}

/// A range: floor and ceiling, each under the cap and never below zero;
/// a floor the facts put above the ceiling is the ceiling.
fn range(
    ctx: &Ctx<'_>,
    low: &AmountCore,
    high: &AmountCore,
    cap: Option<&Expr>,
    r: &mut ClauseResult,
    missing: &mut Vec<FactId>,
) -> Result<(), Fault> {
    let lo = core_value(ctx, low, missing)?;
    let hi = core_value(ctx, high, missing)?;
    let c = cap_value(ctx, cap, missing)?;
    let (Some(lo), Some(hi), Some(c)) = (lo, hi, c) else {
        r.status = Status::Undecided;
        return Ok(());
    };
    let hi = capped(ctx, hi, c, r, None);
    let hi = floored(ctx, hi, r, None);
    let lo = lo.min(hi).max(Decimal::ZERO);
    if ctx.record.get() {
        ctx.note(format!(
            "区间：下限 {}，上限 {}（按上限计入最高合计）",
            Money(lo),
            Money(hi)
        ));
    }
    r.amount = Some(Money(hi));
    r.floor = Some(Money(lo));
    r.amount_kind = Some(AmountKind::Range);
    Ok(())
}

/// 酌定: no amount, only a cap (or none) for budgets.
#[inline]
fn discretionary(
    ctx: &Ctx<'_>,
    cap: Option<&Expr>,
    r: &mut ClauseResult,
    missing: &mut Vec<FactId>,
) -> Result<(), Fault> {
    r.amount_kind = Some(AmountKind::Discretionary);
    let Some(c) = cap_value(ctx, cap, missing)? else {
        r.status = Status::Undecided;
        return Ok(());
    };
    // A cap below zero allows nothing.
    let c = c.map(|c| c.max(Decimal::ZERO));
    if ctx.record.get() {
        ctx.note(match c {
            Some(c) => format!("酌定，上限 {}；不计入合计", Money(c)),
            None => "酌定（一事一议），金额未定；不计入合计".into(),
        });
    }
    r.amount = c.map(Money);
    Ok(())
}

/// The computed amount under its cap, if it has one.
#[inline]
fn capped(
    ctx: &Ctx<'_>,
    computed: Decimal,
    cap: Option<Decimal>,
    r: &mut ClauseResult,
    unit: Option<&str>,
) -> Decimal {
    let Some(c) = cap else {
        return computed;
    };
    let mut v = computed;
    if v > c {
        r.capped = true;
        r.uncapped = Some(Money(v));
        v = c;
    }
    if ctx.record.get() {
        let shown = |v| derive::grant_value(v, unit);
        ctx.note(if r.capped {
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
#[inline]
fn floored(ctx: &Ctx<'_>, v: Decimal, r: &mut ClauseResult, unit: Option<&str>) -> Decimal {
    if v >= Decimal::ZERO {
        return v;
    }
    if ctx.record.get() {
        ctx.note(format!(
            "计算值 {} 为负，按 0 计",
            derive::grant_value(v, unit)
        ));
    }
    r.floored = true;
    Decimal::ZERO
}

/// The tier paid (none when no tier holds) and its value.
type Paid = (Option<usize>, Option<Decimal>);

/// 分别: the best tier that holds, unless one still open could pay more
/// (then the grant is undecided and `None` comes back). The tiers'
/// conditions are parts of the clause's, already traced: they are not
/// traced again.
fn tiers(
    ctx: &Ctx<'_>,
    clause: &ClauseDef,
    items: &[AmountCore],
    r: &mut ClauseResult,
    missing: &mut Vec<FactId>,
) -> Result<Option<Paid>, Fault> {
    let mut quiet = Trace::off();
    let mut best: Option<(usize, Decimal)> = None;
    // The open tiers' values are only compared with the best: the
    // largest one decides (`None` beats everything), so no list.
    let mut open: Option<Option<Decimal>> = None;
    // Missing facts of open tiers stay in `missing`; those of decided
    // tiers are taken back (no vector per tier).
    let start = missing.len();
    // Each tier's steps, so that only the paid tier's are kept.
    let steps_start = ctx.steps.borrow().len();
    let mut best_steps = (steps_start, steps_start);
    for (i, (t, item)) in clause.tiers.iter().zip(items).enumerate() {
        let tier_start = missing.len();
        let holds = ctx.cond(t, missing, &mut quiet, 1)?;
        if holds == Tri::No {
            missing.truncate(tier_start);
            continue;
        }
        let from = ctx.steps.borrow().len();
        let v = core_value(ctx, item, missing)?;
        let to = ctx.steps.borrow().len();
        match (holds, v) {
            (Tri::Yes, Some(v)) if best.is_none_or(|(_, b)| v > b) => {
                best = Some((i, v));
                best_steps = (from, to);
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
        return Ok(None);
    }
    missing.truncate(start);
    r.tier = best.map(|(i, _)| i);
    if ctx.record.get() {
        keep_tier_steps(ctx, clause, best, steps_start, best_steps);
    }
    Ok(Some((best.map(|(i, _)| i), best.map(|(_, v)| v))))
}

/// A tier's condition in words: a value of an enumeration list says
/// whose value it is (`首台套 为 国内`, not just `国内`).
fn tier_words(ctx: &Ctx<'_>, t: &crate::program::Cond) -> String {
    use crate::program::{Cond, Value};
    let vocab = &ctx.program.vocab;
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
            _ => return crate::report::source_words(ctx.program.text(super::expr::cond_loc(t))),
        },
        _ => return crate::report::source_words(ctx.program.text(super::expr::cond_loc(t))),
    };
    match enum_value(f, i) {
        Some(v) => format!("{} 为 {v}", vocab.name(f)),
        None => crate::report::source_words(ctx.program.text(super::expr::cond_loc(t))),
    }
}

/// Drops the steps of the tiers not paid and says which tier was taken
/// and why.
#[cold]
#[inline(never)]
fn keep_tier_steps(
    ctx: &Ctx<'_>,
    clause: &ClauseDef,
    best: Option<(usize, Decimal)>,
    steps_start: usize,
    (from, to): (usize, usize),
) {
    let mut steps = ctx.steps.borrow_mut();
    let kept: Vec<_> = steps.get(from..to).map(<[_]>::to_vec).unwrap_or_default();
    steps.truncate(steps_start);
    drop(steps);
    match best {
        Some((i, v)) => {
            let words = clause
                .tiers
                .get(i)
                .map_or_else(String::new, |t| tier_words(ctx, t));
            ctx.note(format!(
                "分别：第 {} 档（{words}）成立，按该档计 {}",
                i + 1,
                derive::grant_value(v, clause.quota())
            ));
            ctx.steps.borrow_mut().extend(kept);
        }
        None => ctx.note("分别：没有一档成立".to_string()),
    }
}

/// Whether the evaluation date is in one of the schedule's years: unknown
/// while the date it counts from is missing. Sets the year, or says why
/// the schedule does not bind.
pub(super) fn scheduled(
    ctx: &Ctx<'_>,
    s: &Schedule,
    missing: &mut Vec<FactId>,
    r: &mut ClauseResult,
) -> Tri {
    let Some(Rt::Date(from)) = ctx.fact(s.event) else {
        missing.push(s.event);
        return Tri::Unknown;
    };
    match s.year_of(from, ctx.date) {
        YearOf::Year(k) => {
            r.year = Some(k);
            Tri::Yes
        }
        YearOf::Before => {
            r.window_note = Some(crate::eval::run::SCHEDULE_BEFORE.into());
            Tri::No
        }
        YearOf::Over(n) => {
            r.window_note = Some(crate::eval::run::schedule_over(n));
            Tri::No
        }
    }
}

#[cold]
#[inline(never)]
fn note_year(ctx: &Ctx<'_>, s: &Schedule, year: Option<u32>) {
    let (Some(Rt::Date(from)), Some(k)) = (ctx.fact(s.event), year) else {
        return;
    };
    let day = crate::check::chinese_date;
    let start = schedule_start(from, k);
    let end = schedule_start(from, k + 1).and_then(|d| d.pred_opt());
    let span = match (start, end) {
        (Some(a), Some(b)) => format!("（{} 至 {}）", day(a), day(b)),
        _ => String::new(),
    };
    ctx.note(format!(
        "分年给予：{} {} 起共 {} 年，评估日期在第 {k} 年{span}",
        ctx.program.vocab.name(s.event),
        day(from),
        s.years(),
    ));
    if !ctx.years.is_empty() && ctx.year != chrono::Datelike::year(&ctx.date) {
        ctx.note(crate::eval::run::year_words(k, ctx.year));
    }
}

/// Every year of a schedule with what it pays, for a clause whose result
/// is `r`: each run's amount computed as the clause's own would be in
/// that year.
pub(super) fn instalments(ctx: &Ctx<'_>, clause: &ClauseDef, s: &Schedule, r: &mut ClauseResult) {
    r.schedule.clear();
    let Some(Rt::Date(from)) = ctx.fact(s.event) else {
        return;
    };
    // The list is shown beside the result, not part of it: like the
    // compiled evaluator, it spends none of the entity's budget (it is
    // bounded anyway: at most 100 years of one amount each).
    let fuel = ctx.fuel.replace(u64::MAX);
    let mut first = 1;
    for run in &s.runs {
        // A run's year is paid as the run's one amount, or as 分别 of
        // its tiers.
        let alone = if run.tiers.is_empty() {
            GrantAmount::Single(run.amount.clone())
        } else {
            GrantAmount::Tiers {
                bound: run.amount.bound,
                items: run.tiers.clone(),
                cap: run.amount.cap.clone(),
            }
        };
        for k in first..first + run.years {
            let Some(start) = schedule_start(from, k) else {
                break;
            };
            let mut one = ClauseResult::blank(r.policy, r.index, r.kind);
            one.status = Status::Applies;
            one.year = Some(k);
            let mut missing = Vec::new();
            // Each year on its own figures.
            let y = chrono::Datelike::year(&start);
            let mut pay = |c: &Ctx<'_>| amount(c, clause, &alone, &mut one, &mut missing);
            let done = if ctx.years.is_empty() || y == ctx.year {
                pay(ctx)
            } else {
                in_year(ctx, y, pay)
            };
            let (paid, kind) = match done {
                Ok(()) if one.status == Status::Applies => (one.amount, one.amount_kind),
                _ => (None, one.amount_kind),
            };
            // A cumulative cap reads what was received up to now: it
            // caps this year's amount only, the clause's own.
            let current = r.year == Some(k);
            let (paid, kind) = match (current && s.cumulative.is_some(), r.status) {
                (false, _) => (paid, kind),
                (true, Status::Applies) => (r.amount, r.amount_kind),
                (true, _) => (None, kind),
            };
            r.schedule.push(crate::eval::Instalment {
                year: k,
                from: start,
                amount: paid,
                kind,
                current,
            });
        }
        first += run.years;
    }
    ctx.fuel.set(fuel);
}

/// 每项: each item read with the entity's facts and its own fields; the
/// items that meet 其中 are paid under 每项 最高 and the floor, and summed
/// under 合计 最高. Open items leave it undecided unless the known ones
/// already reach 合计 最高.
fn items(
    ctx: &Ctx<'_>,
    g: &ItemGrant,
    r: &mut ClauseResult,
    missing: &mut Vec<FactId>,
    list: &mut Vec<ItemPay>,
) -> Result<(), Fault> {
    let Some(Value::List(all)) = ctx.facts.get(g.list).and_then(Option::as_ref) else {
        missing.push(g.list);
        r.status = Status::Undecided;
        return Ok(());
    };
    let name = ctx.program.vocab.name(g.list);
    let start = missing.len();
    let mut sum = Decimal::ZERO;
    let mut open = false;
    for (i, item) in all.iter().enumerate() {
        let mut facts = ctx.facts.to_vec();
        for (&f, v) in g.fields.iter().zip(item) {
            if let Some(s) = facts.get_mut(f) {
                s.clone_from(v);
            }
        }
        let mut own = Vec::new();
        let (holds, v, cap) = ctx.over(&facts, ctx.year, |sub| read_item(sub, g, &mut own))?;
        let index = u32::try_from(i + 1).unwrap_or(u32::MAX);
        match (holds, v, cap) {
            (Tri::No, ..) => {
                list.push(pay(index, Status::NotApplicable, None, false, vec![]));
                if ctx.record.get() {
                    ctx.note(format!("{name}[{index}]：不符合其中的条件，不计"));
                }
            }
            (Tri::Yes, Some(v), Some(c)) => {
                let paid = match c {
                    Some(c) if v > c => c,
                    _ => v,
                };
                let paid = if paid < Decimal::ZERO {
                    Decimal::ZERO
                } else {
                    paid
                };
                // Under 最多 N项 the sum is taken once the N are chosen.
                if g.count.is_none() {
                    sum = sum
                        .checked_add(paid)
                        .ok_or_else(|| ctx.overflow(g.amount.loc()))?;
                }
                let capped = c.is_some_and(|c| v > c);
                list.push(pay(
                    index,
                    Status::Applies,
                    Some(Money(paid)),
                    capped,
                    vec![],
                ));
                if ctx.record.get() {
                    ctx.note(derive::item_words(name, index, v, c, paid));
                }
            }
            _ => {
                open = true;
                for &f in &own {
                    let f = if g.fields.contains(&f) { g.list } else { f };
                    if !missing[start..].contains(&f) {
                        missing.push(f);
                    }
                }
                own.sort_unstable();
                own.dedup();
                list.push(pay(index, Status::Undecided, None, false, own));
                if ctx.record.get() {
                    ctx.note(format!("{name}[{index}]：缺少事实，待定"));
                }
            }
        }
    }
    if let Some(n) = g.count {
        sum = most_paying(ctx, g, name, n, list)?;
    }
    let Some(total) = cap_value(ctx, g.total_cap.as_ref(), missing)? else {
        r.status = Status::Undecided;
        return Ok(());
    };
    if open {
        match total {
            Some(c) if sum >= c => {
                missing.truncate(start);
                if ctx.record.get() {
                    ctx.note(format!(
                        "已知各项合计 {} 已达合计上限 {}，其余各项不改变结果，按 {} 计",
                        Money(sum),
                        Money(c),
                        Money(c)
                    ));
                }
                r.capped = true;
                r.uncapped = Some(Money(sum));
                r.amount = Some(Money(if c < Decimal::ZERO { Decimal::ZERO } else { c }));
                r.amount_kind = Some(AmountKind::Exact);
            }
            _ => r.status = Status::Undecided,
        }
        return Ok(());
    }
    if ctx.record.get() {
        ctx.note(format!("各项合计 {}", Money(sum)));
    }
    let v = capped(ctx, sum, total, r, None);
    r.amount = Some(Money(floored(ctx, v, r, None)));
    r.amount_kind = Some(AmountKind::Exact);
    Ok(())
}

/// `最多 N项`: picks N times the applying item paying the most of those
/// not yet picked (the first of equal ones); the others are not counted.
/// The sum of the picked, in list order.
fn most_paying(
    ctx: &Ctx<'_>,
    g: &ItemGrant,
    name: &str,
    n: u32,
    list: &mut [ItemPay],
) -> Result<Decimal, Fault> {
    let amount = |p: &ItemPay| p.amount.map_or(Decimal::ZERO, |m| m.0);
    let mut picked = vec![false; list.len()];
    for _ in 0..n {
        let mut best: Option<usize> = None;
        for (i, p) in list.iter().enumerate() {
            if p.status != Status::Applies || picked.get(i) == Some(&true) {
                continue;
            }
            let better = match best.and_then(|b| list.get(b)) {
                Some(q) => amount(p) > amount(q),
                None => true,
            };
            if better {
                best = Some(i);
            }
        }
        match best.and_then(|b| picked.get_mut(b)) {
            Some(slot) => *slot = true,
            None => break,
        }
    }
    let mut sum = Decimal::ZERO;
    for (p, &keep) in list.iter_mut().zip(&picked) {
        if p.status != Status::Applies {
            continue;
        }
        if keep {
            sum = sum
                .checked_add(amount(p))
                .ok_or_else(|| ctx.overflow(g.amount.loc()))?;
        } else {
            p.counted = false;
            if ctx.record.get() {
                ctx.note(format!(
                    "{name}[{}]：{} 不在金额最高的 {n} 项之内，不计",
                    p.index,
                    Money(amount(p))
                ));
            }
        }
    }
    Ok(sum)
}

fn pay(
    index: u32,
    status: Status,
    amount: Option<Money>,
    capped: bool,
    missing: Vec<FactId>,
) -> ItemPay {
    ItemPay {
        index,
        status,
        amount,
        capped,
        counted: status == Status::Applies,
        missing,
    }
}

/// Whether an item meets 其中, its amount and its cap.
type ItemRead = (Tri, Option<Decimal>, Option<Option<Decimal>>);

/// Reads one item.
fn read_item(ctx: &Ctx<'_>, g: &ItemGrant, missing: &mut Vec<FactId>) -> Result<ItemRead, Fault> {
    let holds = match &g.filter {
        Some(f) => ctx.cond(f, missing, &mut Trace::off(), 1)?,
        None => Tri::Yes,
    };
    if holds == Tri::No {
        return Ok((holds, None, None));
    }
    let v = ctx.num(&g.amount, missing)?;
    let cap = cap_value(ctx, g.each_cap.as_ref(), missing)?;
    Ok((holds, v, cap))
}

/// The items of a 每项 grant that did not get to its amount (its
/// conditions open): read as the grant would, on a budget of its own.
pub(super) fn item_list(ctx: &Ctx<'_>, g: &ItemGrant, r: &mut ClauseResult) {
    let sub = Ctx {
        program: ctx.program,
        facts: ctx.facts,
        years: ctx.years,
        year: ctx.year,
        date: ctx.date,
        fuel: std::cell::Cell::new(u64::MAX),
        limit: u64::MAX,
        record: std::cell::Cell::new(false),
        steps: std::cell::RefCell::new(Vec::new()),
    };
    let mut scratch = ClauseResult::blank(r.policy, r.index, r.kind);
    let mut list = Vec::new();
    if items(&sub, g, &mut scratch, &mut Vec::new(), &mut list).is_ok() {
        r.items = list;
    }
}
