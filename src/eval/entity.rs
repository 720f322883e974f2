//! One entity against the flat form: the compact run a register makes per
//! row, and the full outcome shown for one entity (missing facts, trace
//! and derivations). Both run the same evaluator (`run.rs`); they differ
//! only in what is collected.

use chrono::{Datelike, NaiveDate};

use super::error::{EvalError, Fault, FaultKind};
use super::flat::Flat;
use super::run::{
    APPLICATION_UNKNOWN, Eval, Memos, SCHEDULE_BEFORE, Scratch, Slot, UNPUBLISHED, WindowNote,
    schedule_over,
};
use super::settle;
use super::trace::Trace;
use super::{ClauseResult, EvalConfig, Outcome, Status, Totals, Tri, Verdict, derive_overlap};
use crate::facts::Facts;
use crate::num::Money;
use crate::program::{Cond, Expr, FactId, Program};

impl Flat<'_> {
    /// Decides every clause for one entity into `scratch`: its slots, what
    /// overlap pays, and the totals. Nothing is collected (no missing
    /// facts, trace or derivation): [`Flat::missing_of`] finds a clause's
    /// missing facts when they are wanted. `scratch` is kept from one
    /// entity to the next (of this flat form), so a register allocates
    /// nothing per row.
    pub fn run(
        &self,
        facts: &Facts,
        apply_date: Option<NaiveDate>,
        fuel: u64,
        scratch: &mut Scratch,
    ) -> Result<(), EvalError> {
        let mut slots = std::mem::take(&mut scratch.slots);
        let mut touched = std::mem::take(&mut scratch.touched);
        if slots.len() != self.clauses.len() || scratch.dirty {
            slots.clear();
            slots.resize(self.clauses.len(), Slot::BLANK);
            for (slot, c) in slots.iter_mut().zip(&self.clauses) {
                if c.window == super::Tri::No {
                    slot.status = Status::NotInForce;
                    slot.note = WindowNote::NotInForce;
                }
            }
        } else {
            // Only the slots the last entity wrote need resetting: the
            // clauses it does not meet leave theirs blank.
            for &ci in &touched {
                if let Some(s) = slots.get_mut(ci) {
                    *s = Slot::BLANK;
                }
            }
        }
        touched.clear();
        scratch.dirty = false;
        let values = facts.in_year(self.date.year());
        let mut ev = Eval::new(self, &values, fuel, &mut scratch.memos);
        ev.years = &facts.years;
        let mut done = Ok(());
        // Nothing can run out when the budget covers every clause at its
        // dearest: the row counts no steps.
        let unfueled = self.most.is_some_and(|most| fuel >= most);
        for (ci, (fc, slot)) in self.clauses.iter().zip(slots.iter_mut()).enumerate() {
            if fc.window == super::Tri::No {
                continue;
            }
            let blank = if unfueled {
                ev.clause_unfueled(fc, slot, apply_date)
            } else {
                ev.clause_on_blank::<false>(fc, slot, apply_date)
            };
            match blank {
                Ok(true) => {}
                Ok(false) => touched.push(ci),
                Err(f) => {
                    scratch.dirty = true;
                    done = Err(f);
                    break;
                }
            }
        }
        let settled = done.and_then(|()| self.settle(&mut slots, &touched, scratch));
        scratch.slots = slots;
        scratch.touched = touched;
        settled.map_err(|f| f.located(self.program))
    }

    /// Overlap and totals over decided slots, into `scratch`. `touched`
    /// lists, in load order, every slot that is not blank (more do no
    /// harm).
    fn settle(
        &self,
        slots: &mut [Slot],
        touched: &[usize],
        scratch: &mut Scratch,
    ) -> Result<(), Fault> {
        scratch.seq = 0;
        // A third of a register's rows meet no clause: nothing to settle,
        // and every total is nothing.
        if touched.is_empty() {
            scratch.policies.clear();
            scratch.total = Money::ZERO;
            scratch.totals = Totals::default();
            scratch.undecided = false;
            return Ok(());
        }
        settle::overlap(
            self,
            slots,
            touched,
            (&mut scratch.winners, &mut scratch.active),
            &mut scratch.seq,
        );
        settle::totals(
            self,
            slots,
            touched,
            &mut scratch.policies,
            (&mut scratch.total, &mut scratch.totals),
        )
        .map_err(|at| {
            let loc = self.clauses.get(at).map(|c| c.def.loc).unwrap_or_default();
            Fault::new(FaultKind::Overflow, loc)
        })?;
        scratch.undecided = touched
            .iter()
            .filter_map(|&at| slots.get(at))
            .any(|s| s.status == Status::Undecided || s.verdict == Some(Verdict::Undecided));
        Ok(())
    }

    /// The facts that left clause `at` open, for the entity `scratch` was
    /// last run on (empty when the clause is decided): the clause is run
    /// again with collection on.
    pub fn missing_of(
        &self,
        facts: &Facts,
        apply_date: Option<NaiveDate>,
        at: usize,
        scratch: &mut Scratch,
        out: &mut Vec<FactId>,
    ) {
        out.clear();
        let open = scratch.slots.get(at).is_some_and(|s| {
            s.status == Status::Undecided || s.verdict == Some(Verdict::Undecided)
        });
        if !open {
            return;
        }
        // The clause finished within its budget the first time: it cannot
        // run out now.
        let values = facts.in_year(self.date.year());
        let mut ev = Eval::new(self, &values, u64::MAX, &mut scratch.memos);
        ev.years = &facts.years;
        let mut slot = Slot::BLANK;
        if ev.clause::<true>(at, &mut slot, apply_date).is_ok() {
            out.extend_from_slice(&ev.missing);
        }
    }

    /// Everything that comes out for one entity, into an outcome kept from
    /// an earlier entity (its storage reused). On `Err`, `out` holds a
    /// partial result.
    pub fn evaluate_into(
        &self,
        facts: &Facts,
        config: &EvalConfig,
        out: &mut Outcome,
    ) -> Result<(), EvalError> {
        let mut scratch = Scratch::default();
        let mut slots = vec![Slot::BLANK; self.clauses.len()];
        if out.clauses.len() != self.clauses.len() {
            out.clauses.clear();
            out.clauses.reserve_exact(self.clauses.len());
        }
        let values = facts.in_year(self.date.year());
        let mut ev = Eval::new(self, &values, config.fuel, &mut scratch.memos);
        ev.years = &facts.years;
        ev.derive = config.derive || config.explain;
        ev.tracing = config.explain;
        ev.trace = if config.explain {
            Trace::on()
        } else {
            Trace::off()
        };
        let mut done = Ok(());
        for (ci, (slot, c)) in slots.iter_mut().zip(&self.clauses).enumerate() {
            match out.clauses.get_mut(ci) {
                Some(r) => r.reset(c.policy, c.index, c.kind),
                None => out
                    .clauses
                    .push(ClauseResult::blank(c.policy, c.index, c.kind)),
            }
            done = ev.clause::<true>(ci, slot, config.apply_date);
            if let Some(r) = out.clauses.get_mut(ci) {
                r.missing.extend_from_slice(&ev.missing);
                if config.explain {
                    std::mem::swap(&mut r.trace, &mut ev.trace.lines);
                }
                r.derivation.append(&mut ev.steps);
            }
            if done.is_err() {
                break;
            }
        }
        done.map_err(|f| f.located(self.program))?;
        let all: Vec<usize> = (0..slots.len()).collect();
        self.settle(&mut slots, &all, &mut scratch)
            .map_err(|f| f.located(self.program))?;
        for (ci, (slot, r)) in slots.iter().zip(out.clauses.iter_mut()).enumerate() {
            self.fill(ci, slot, r);
            self.instalments(facts, ci, slot, &mut r.schedule);
            self.item_pays(facts, ci, slot, &mut r.items);
        }
        self.displaced_lists(
            &slots,
            0..slots.len(),
            &mut out.clauses,
            &mut scratch.winners_shown,
        );
        if config.derive || config.explain {
            derive_overlap(self.program, &mut out.clauses, &scratch.policies);
        }
        out.date = self.date;
        out.policies = std::mem::take(&mut scratch.policies);
        out.total = scratch.total;
        out.totals = scratch.totals;
        out.undecided = scratch.undecided;
        Ok(())
    }

    /// One row of a register: [`Flat::run`], then [`Flat::outcome_into`].
    pub fn evaluate_row(
        &self,
        facts: &Facts,
        apply_date: Option<NaiveDate>,
        fuel: u64,
        scratch: &mut Scratch,
        out: &mut Outcome,
    ) -> Result<(), EvalError> {
        self.run(facts, apply_date, fuel, scratch)?;
        self.outcome_into(facts, apply_date, scratch, out);
        Ok(())
    }

    /// Builds the outcome of the entity `scratch` was last [`run`](Flat::run)
    /// on, reusing `out`'s storage: clause results from the slots, each
    /// open clause's missing facts found by running it again. `out` is
    /// the outcome this scratch last filled (a register keeps the two
    /// together): a decided clause whose slot is what it was for that
    /// entity keeps its result as it is.
    pub fn outcome_into(
        &self,
        facts: &Facts,
        apply_date: Option<NaiveDate>,
        scratch: &mut Scratch,
        out: &mut Outcome,
    ) {
        if out.clauses.len() != self.clauses.len() || scratch.shown.len() != self.clauses.len() {
            out.clauses.clear();
            for c in &self.clauses {
                out.clauses
                    .push(ClauseResult::blank(c.policy, c.index, c.kind));
            }
            scratch.shown.clear();
            scratch.shown.resize(self.clauses.len(), None);
            scratch.unsettled.clear();
            scratch.unsettled.extend(0..self.clauses.len());
        }
        let mut missing = std::mem::take(&mut scratch.found);
        let written_list = std::mem::take(&mut scratch.touched);
        let unsettled = std::mem::take(&mut scratch.unsettled);
        let mut next_unsettled = std::mem::take(&mut scratch.unsettled_spare);
        next_unsettled.clear();
        // A slot `run` did not write is as it starts (blank, or not in
        // force): when the result shows that already, nothing changes, so
        // only the clauses written now or not shown as they start are
        // visited, both lists in load order.
        let (mut w, mut u) = (written_list.iter().peekable(), unsettled.iter().peekable());
        loop {
            let (ci, written) = match (w.peek(), u.peek()) {
                (Some(&&a), Some(&&b)) if a == b => {
                    w.next();
                    u.next();
                    (a, true)
                }
                (Some(&&a), Some(&&b)) if a < b => {
                    w.next();
                    (a, true)
                }
                (Some(&&a), None) => {
                    w.next();
                    (a, true)
                }
                (_, Some(&&b)) => {
                    u.next();
                    (b, false)
                }
                (None, None) => break,
            };
            let (Some(&slot), Some(c)) = (scratch.slots.get(ci), self.clauses.get(ci)) else {
                continue;
            };
            let open = slot.status == Status::Undecided || slot.verdict == Some(Verdict::Undecided);
            if written || open || c.is_schedule() || c.is_items() {
                next_unsettled.push(ci);
            }
            // A schedule's list reads more than its slot holds (the date
            // it counts from, the other years' amounts): always rebuilt.
            if !open
                && scratch.shown.get(ci) == Some(&Some(slot))
                && !c.is_schedule()
                && !c.is_items()
            {
                continue;
            }
            // Only an open clause has missing facts, and only a schedule
            // or a 每项 grant a list: the calls are made where they find
            // something (the reset empties the lists).
            missing.clear();
            if open {
                self.missing_of(facts, apply_date, ci, scratch, &mut missing);
            }
            let Some(r) = out.clauses.get_mut(ci) else {
                continue;
            };
            r.reset(c.policy, c.index, c.kind);
            r.missing.extend_from_slice(&missing);
            self.fill(ci, &slot, r);
            if c.is_schedule() {
                self.instalments(facts, ci, &slot, &mut r.schedule);
            }
            if c.is_items() {
                self.item_pays(facts, ci, &slot, &mut r.items);
            }
            if let Some(s) = scratch.shown.get_mut(ci) {
                *s = (!open).then_some(slot);
            }
        }
        scratch.found = missing;
        // Only the winners listed last time hold a displaced list.
        for &w in &scratch.winners_shown {
            if let Some(r) = out.clauses.get_mut(w) {
                r.displaced.clear();
            }
        }
        self.displaced_lists(
            &scratch.slots,
            written_list.iter().copied(),
            &mut out.clauses,
            &mut scratch.winners_shown,
        );
        scratch.touched = written_list;
        scratch.unsettled = next_unsettled;
        scratch.unsettled_spare = unsettled;
        out.date = self.date;
        out.policies.clone_from(&scratch.policies);
        out.total = scratch.total;
        out.totals = scratch.totals;
        out.undecided = scratch.undecided;
    }

    /// A clause result's fields from its slot (all but the collected ones).
    fn fill(&self, ci: usize, slot: &Slot, r: &mut ClauseResult) {
        r.status = slot.status;
        r.amount = slot.amount;
        r.amount_kind = slot.amount_kind;
        r.capped = slot.uncapped.is_some();
        r.uncapped = slot.uncapped;
        r.floored = slot.floored;
        r.verdict = slot.verdict;
        r.tier = slot.tier.map(|t| t as usize);
        r.year = slot.year;
        r.floor = slot.floor;
        r.paid = slot.paid;
        r.displaced_by = slot
            .displaced_by
            .and_then(|(w, _, _)| self.clauses.get(w as usize).map(|c| (c.policy, c.index)));
        r.precedence = slot.displaced_by.map(|(_, p, _)| p);
        let clause = self.clauses.get(ci);
        r.window_note = match slot.note {
            WindowNote::None => None,
            WindowNote::NotInForce => clause.and_then(|c| c.window_note.clone()),
            WindowNote::Unpublished => Some(UNPUBLISHED.into()),
            WindowNote::OutsideApplication => clause
                .and_then(|c| c.apply)
                .map(|w| super::run::application_note(w.start, w.end)),
            WindowNote::ApplicationUnknown => Some(APPLICATION_UNKNOWN.into()),
            WindowNote::ScheduleBefore => Some(SCHEDULE_BEFORE.into()),
            WindowNote::ScheduleOver(n) => Some(schedule_over(n)),
        };
        if r.status == Status::OutsideApplicationWindow {
            r.missing.clear();
        }
        if let Some(p) = clause.and_then(|c| self.program.policies.get(c.policy)) {
            p.note_assumption(&mut r.window_note);
        }
    }

    /// Each winner's list of the grants it displaced, in the order they
    /// were displaced. `written` lists the slots that may say so (an
    /// empty list allocates nothing).
    fn displaced_lists(
        &self,
        slots: &[Slot],
        written: impl Iterator<Item = usize>,
        out: &mut [ClauseResult],
        winners: &mut Vec<usize>,
    ) {
        winners.clear();
        let mut events: Vec<(u32, usize, usize)> = written
            .filter_map(|loser| {
                let (w, _, seq) = slots.get(loser)?.displaced_by?;
                Some((seq, w as usize, loser))
            })
            .collect();
        events.sort_unstable();
        for (_, w, loser) in events {
            let id = self.clauses.get(loser).map(|c| (c.policy, c.index));
            if let (Some(r), Some(id)) = (out.get_mut(w), id) {
                r.displaced.push(id);
                winners.push(w);
            }
        }
    }
}

/// Whether condition `c` of `program` holds for `facts` on `date`, read on
/// its own (for analyses of parts of clauses).
pub(crate) fn holds(
    program: &Program,
    facts: &Facts,
    date: NaiveDate,
    c: &Cond,
) -> Result<Tri, EvalError> {
    let (flat, id) = super::flat::cond_alone(program, date, c);
    let mut memos = Memos::default();
    let values = facts.in_year(date.year());
    let mut ev = Eval::new(&flat, &values, EvalConfig::DEFAULT_FUEL, &mut memos);
    ev.years = &facts.years;
    ev.cond::<true, false>(id, 0)
        .map_err(|f| f.located(program))
}

/// The number expression `e` of `program` has for `facts` on `date`
/// (`None` when a fact it reads is missing).
pub(crate) fn number(
    program: &Program,
    facts: &Facts,
    date: NaiveDate,
    e: &Expr,
) -> Result<Option<rust_decimal::Decimal>, EvalError> {
    let (flat, id) = super::flat::expr_alone(program, date, e);
    let mut memos = Memos::default();
    let values = facts.in_year(date.year());
    let mut ev = Eval::new(&flat, &values, EvalConfig::DEFAULT_FUEL, &mut memos);
    ev.years = &facts.years;
    ev.num::<true, false>(id).map_err(|f| f.located(program))
}
