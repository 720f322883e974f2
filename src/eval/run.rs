//! The one evaluator of conditions and amounts, over the flat form.
//!
//! Two switches, fixed at compile time by const parameters, choose what a
//! run pays for:
//! - `M` (meter): charge the step budget node by node, so that running out
//!   names the node where it ran out. Off, a clause is charged its steps
//!   as a whole: before it runs, the most it can spend must be left
//!   ([`Cost::most`](super::flat::Cost)), and after, the steps of the
//!   parts it visited are taken. Both spend exactly the same steps, so the
//!   budget runs out at the same node either way: a clause the budget may
//!   not cover is run metered.
//! - `C` (collect): record missing facts, the trace and derivations.
//!   Off, nothing is recorded and definitions and each policy's 适用 are
//!   computed once per entity (memo slots); a clause left undecided is run
//!   again with collection on when its missing facts are wanted.
//!
//! Every evaluation — `eval`, `test`, `match`, the REPL, `--explain` and
//! registers — runs this code.

mod clause;
mod cond;
mod expr;
mod grant;
mod instalment;
mod items;
mod years;

#[cfg(test)]
pub(crate) use years::{read_in, year_words};

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::derive::Step;
use super::error::{Fault, FaultKind};
use super::flat::Flat;
use super::trace::Trace;
use super::{AmountKind, Precedence, Status, Verdict};
use crate::facts::ByYear;
use crate::num::Money;
use crate::program::{FactId, Loc, Value};

pub(crate) use clause::{APPLICATION_UNKNOWN, UNPUBLISHED, WindowNote};
pub(crate) use cond::{V, v_of};
pub(crate) use expr::num_of;
pub(crate) use instalment::{SCHEDULE_BEFORE, cumulative_words, schedule_over};

/// One clause's result in compact form: what overlap, totals and a
/// register's row need. The full [`ClauseResult`](super::ClauseResult) is
/// built from it only when it is shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slot {
    /// Whether it applies.
    pub status: Status,
    /// Non-grant outcome.
    pub verdict: Option<Verdict>,
    /// The amount (a 上限's ceiling, a 下限's floor, a 酌定's cap).
    pub amount: Option<Money>,
    /// The amount's kind.
    pub amount_kind: Option<AmountKind>,
    /// A cap bound the computed amount; the amount before it.
    pub uncapped: Option<Money>,
    /// The amount was negative and is paid as 0.
    pub floored: bool,
    /// Which 分别 tier was paid.
    pub tier: Option<u32>,
    /// A schedule's year the evaluation date falls in (from 1).
    pub year: Option<u32>,
    /// A range's floor (its ceiling is the amount).
    pub floor: Option<Money>,
    /// The amount paid after overlap.
    pub paid: Option<Money>,
    /// The clause (index into the flat form's clauses) that displaced it,
    /// the rule, and the order in which displacements were made.
    pub displaced_by: Option<(u32, Precedence, u32)>,
    /// What the window note says.
    pub(crate) note: WindowNote,
}

impl Slot {
    /// Not applicable, nothing decided.
    pub(crate) const BLANK: Slot = Slot {
        status: Status::NotApplicable,
        verdict: None,
        amount: None,
        amount_kind: None,
        uncapped: None,
        floored: false,
        tier: None,
        year: None,
        floor: None,
        paid: None,
        displaced_by: None,
        note: WindowNote::None,
    };
}

/// A defined amount's memo: not yet computed, or its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Memo {
    /// Not computed for this entity yet.
    Unset,
    /// Computed: the number, or `None` when a fact it reads is missing.
    Num(Option<Decimal>),
}

/// The memo slots of one run: each definition's and each policy's 适用,
/// computed once per entity. Kept from one entity to the next and lent to
/// each run, so that a register's row neither allocates them nor moves
/// them in and out.
#[derive(Debug, Clone, Default)]
pub(crate) struct Memos {
    pub(crate) cond: Vec<Option<super::Tri>>,
    pub(crate) expr: Vec<Memo>,
    pub(crate) scope: Vec<Option<super::Tri>>,
}

impl Memos {
    /// Every slot unset, for `flat`.
    #[inline]
    fn reset(&mut self, flat: &Flat<'_>) {
        let (c, e) = flat.defs;
        reset(&mut self.cond, c, None);
        reset(&mut self.expr, e, Memo::Unset);
        reset(&mut self.scope, flat.policies.len(), None);
    }
}

/// `v` as `n` copies of `x`, in place.
#[inline]
fn reset<T: Copy>(v: &mut Vec<T>, n: usize, x: T) {
    if v.len() == n {
        v.fill(x);
    } else {
        v.clear();
        v.resize(n, x);
    }
}

/// Per-entity state, kept from one entity to the next so that a register
/// allocates nothing per row.
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    /// One slot per clause, in load order.
    pub slots: Vec<Slot>,
    /// The memo slots, lent to each run.
    pub(crate) memos: Memos,
    /// The order of displacement (see [`Slot::displaced_by`]).
    pub(crate) seq: u32,
    pub(crate) winners: Vec<Option<super::settle::Cand>>,
    /// Per-policy totals.
    pub policies: Vec<super::PolicyTotal>,
    /// 定额 + 上限 (at the ceiling) + 下限 (at the floor), after overlap
    /// and caps.
    pub total: Money,
    /// Totals by kind.
    pub totals: super::Totals,
    /// Whether any clause is undecided.
    pub undecided: bool,
    /// The slots the outcome last built from them shows (`None`: open, or
    /// not built yet).
    pub(crate) shown: Vec<Option<Slot>>,
    /// Missing facts found for one clause.
    pub(crate) found: Vec<FactId>,
    /// The slots [`Flat::run`](super::flat::Flat) left other than blank,
    /// in load order; every other slot of a live clause is blank.
    pub(crate) touched: Vec<usize>,
    /// Whether the last run ended in an error, leaving slots it did not
    /// list.
    pub(crate) dirty: bool,
    /// The same-matter groups with a grant that applies (settling).
    pub(crate) active: Vec<u32>,
    /// The clauses, in load order, that the outcome last built may show
    /// other than as their slots start (written by that entity, open, or
    /// read beyond the slot); every other clause's result is as it
    /// starts, and stays so while `run` leaves its slot alone (see
    /// [`Scratch::touched`]).
    pub(crate) unsettled: Vec<usize>,
    /// The storage of the list before `unsettled`, reused.
    pub(crate) unsettled_spare: Vec<usize>,
    /// The clauses whose results the outcome last built gave a list of
    /// the clauses they displaced (the only lists not empty).
    pub(crate) winners_shown: Vec<usize>,
}

impl Scratch {
    /// The clauses the last run left other than blank, in load order:
    /// every other clause's result is blank or not in force (see
    /// [`Scratch::touched`]).
    pub fn written(&self) -> &[usize] {
        &self.touched
    }
}

/// What a run needs: the flat form, one entity's facts, the budget, the
/// memo slots and, when collecting, what is recorded.
pub(crate) struct Eval<'r, 'p> {
    pub(crate) flat: &'r Flat<'p>,
    pub(crate) facts: &'r [Option<Value>],
    /// The facts given year by year, each read in `facts` as of `year`.
    pub(crate) years: &'r [(FactId, ByYear)],
    /// The calendar year `facts` are read in: the evaluation date's,
    /// or a schedule year's (`years.rs`).
    pub(crate) year: i32,
    /// Steps left.
    pub(crate) fuel: u64,
    /// The budget, for the error.
    pub(crate) limit: u64,
    /// Steps spent by the clause being run unmetered.
    pub(crate) spent: u64,
    /// The memo slots.
    pub(crate) memo: &'r mut Memos,
    /// Missing facts that left the current clause open (collecting).
    pub(crate) missing: Vec<FactId>,
    /// The reasoning (collecting with `--explain`).
    pub(crate) trace: Trace,
    /// Whether the trace records now (tiers are not traced again).
    pub(crate) tracing: bool,
    /// Whether amounts record their steps now.
    pub(crate) record: bool,
    /// Whether derivations are asked for at all.
    pub(crate) derive: bool,
    /// The steps recorded for the grant being computed.
    pub(crate) steps: Vec<Step>,
    /// The items of the last 每项 grant computed.
    pub(crate) items: Vec<super::ItemPay>,
}

impl<'r, 'p> Eval<'r, 'p> {
    /// A run over `facts` with a budget of `fuel` steps and the memo
    /// slots `memo`, reset.
    #[inline]
    pub(crate) fn new(
        flat: &'r Flat<'p>,
        facts: &'r [Option<Value>],
        fuel: u64,
        memo: &'r mut Memos,
    ) -> Self {
        memo.reset(flat);
        Eval {
            flat,
            facts,
            years: &[],
            year: flat.date.year(),
            fuel,
            limit: fuel,
            spent: 0,
            memo,
            missing: Vec::new(),
            trace: Trace::off(),
            tracing: false,
            record: false,
            derive: false,
            steps: Vec::new(),
            items: Vec::new(),
        }
    }

    /// Spends one step on the node at `loc` when metering.
    #[inline(always)]
    pub(crate) fn step<const M: bool>(&mut self, loc: Loc) -> Result<(), Fault> {
        if M {
            if self.fuel == 0 {
                return Err(self.out_of_fuel(loc));
            }
            self.fuel -= 1;
        }
        Ok(())
    }

    /// Counts `cost` steps against the clause run unmetered.
    #[inline(always)]
    pub(crate) fn charge<const M: bool>(&mut self, cost: u64) {
        if !M {
            self.spent += cost;
        }
    }

    // Out of line: building the error in place would enlarge every
    // evaluating function's frame.
    #[cold]
    #[inline(never)]
    fn out_of_fuel(&self, loc: Loc) -> Fault {
        Fault::new(FaultKind::OutOfFuel { limit: self.limit }, loc)
    }

    /// Pushes a missing fact when collecting.
    #[inline(always)]
    pub(crate) fn miss<const C: bool>(&mut self, id: FactId) {
        if C {
            self.missing.push(id);
        }
    }

    /// Where missing facts begin now (0 when not collecting).
    #[inline(always)]
    pub(crate) fn mark<const C: bool>(&self) -> usize {
        if C { self.missing.len() } else { 0 }
    }

    /// Takes back missing facts from `mark` on when collecting.
    #[inline(always)]
    pub(crate) fn unmiss<const C: bool>(&mut self, mark: usize) {
        if C {
            self.missing.truncate(mark);
        }
    }

    /// Records a step of a derivation (only called while recording).
    #[cold]
    #[inline(never)]
    pub(crate) fn note(&mut self, text: String) {
        self.steps.push(Step::new(text));
    }
}

/// Decides `date` against a 申报 window: before, after, inside but an end
/// unknown, or inside.
pub(crate) fn application(w: super::flat::ApplyWindow, date: NaiveDate) -> ApplyDecision {
    let before = w.start.is_some_and(|s| date < s);
    let after = w.end.is_some_and(|e| date > e);
    if before || after {
        ApplyDecision::Outside
    } else if !w.known {
        ApplyDecision::Unknown
    } else {
        ApplyDecision::Inside
    }
}

/// How an application date meets a 申报 window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ApplyDecision {
    /// Outside it: nothing is paid.
    Outside,
    /// Inside every end the text gives, but an end is unknown.
    Unknown,
    /// Inside.
    Inside,
}

/// `申报期 2023年1月1日 至 2023年1月31日`, as the window is known.
pub(crate) fn application_note(start: Option<NaiveDate>, end: Option<NaiveDate>) -> String {
    let day = |d: NaiveDate| d.format("%Y年%-m月%-d日");
    match (start, end) {
        (Some(s), Some(e)) => format!("申报期 {} 至 {}", day(s), day(e)),
        (Some(s), None) => format!("申报期自 {} 起", day(s)),
        (None, Some(e)) => format!("申报期至 {}", day(e)),
        (None, None) => "申报期".into(),
    }
}
