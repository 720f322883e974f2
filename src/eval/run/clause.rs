//! One clause, decided: a three-valued conjunction — in force ∧ 适用 ∧
//! condition (∧ the conduct for 不得/应当) — so a part known to be false
//! decides it whatever else is unknown, and the missing facts kept are
//! only those that could change the outcome (docs/language.md §9.2).

use chrono::NaiveDate;

use super::cond::amount_holds;
use super::{ApplyDecision, Eval, Slot, application};
use crate::eval::error::Fault;
use crate::eval::flat::{Action, Clause, Guard, Lit, Test};
use crate::eval::{ClauseKind, Status, Tri, Verdict, and};
use crate::program::Value;

/// What a clause's window note says; the words are put together only when
/// the result is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WindowNote {
    /// Nothing.
    None,
    /// The date is outside its 施行 window (the clause's compiled note).
    NotInForce,
    /// Its window hangs on a publication date the text does not give.
    Unpublished,
    /// The application date is outside its 申报 window.
    OutsideApplication,
    /// Its 申报 window hangs on an unknown publication date.
    ApplicationUnknown,
    /// A schedule not yet begun: the date is before the entity's own.
    ScheduleBefore,
    /// A schedule of so many years, all past.
    ScheduleOver(u32),
}

/// The words of [`WindowNote::Unpublished`].
pub(crate) const UNPUBLISHED: &str = "发布日期未定，施行期无法确定";
/// The words of [`WindowNote::ApplicationUnknown`].
pub(crate) const APPLICATION_UNKNOWN: &str = "发布日期未定，申报期无法确定";

impl Eval<'_, '_> {
    /// Decides clause `ci` into `slot`, charging its steps: unmetered when
    /// the most it can spend is left, else node by node.
    pub(crate) fn clause<const C: bool>(
        &mut self,
        ci: usize,
        slot: &mut Slot,
        apply_date: Option<NaiveDate>,
    ) -> Result<(), Fault> {
        *slot = Slot::BLANK;
        let Some(fc) = self.flat.clauses.get(ci) else {
            return Ok(());
        };
        self.clause_on_blank::<C>(fc, slot, apply_date).map(|_| ())
    }

    /// [`Eval::clause`] into a slot that is [`Slot::BLANK`] already: `true`
    /// when it still is (the clause does not apply and nothing else is
    /// shown), so a register's row need not reset or settle it. Inlined:
    /// it runs once per clause of every row.
    #[inline(always)]
    pub(crate) fn clause_on_blank<const C: bool>(
        &mut self,
        fc: &Clause<'_>,
        slot: &mut Slot,
        apply_date: Option<NaiveDate>,
    ) -> Result<bool, Fault> {
        if C {
            self.missing.clear();
            self.steps.clear();
            self.trace.lines.clear();
        }
        if fc.window == Tri::No {
            slot.status = Status::NotInForce;
            slot.note = WindowNote::NotInForce;
            return Ok(false);
        }
        let blank = if self.fuel >= fc.cost.most {
            if !C && let Some(spent) = self.guarded(fc) {
                self.fuel -= spent.min(self.fuel);
                return Ok(true);
            }
            self.spent = 0;
            let blank = self.decide::<false, C>(fc, slot)?;
            self.fuel -= self.spent.min(self.fuel);
            blank
        } else {
            self.decide::<true, C>(fc, slot)?
        };
        if blank {
            return Ok(true);
        }
        if let Some(date) = apply_date {
            self.application_window::<C>(fc, date, slot);
        }
        Ok(false)
    }

    /// [`Eval::clause_on_blank`] for a row whose budget covers the most
    /// every clause in force can spend together ([`Flat::most`]): nothing
    /// can run out, so no step is counted, and a clause its guard decides
    /// blank is passed over at once unless reading its policy's 适用 first
    /// could fail. The clause is in force, and not collecting.
    ///
    /// [`Flat::most`]: crate::eval::flat::Flat
    #[inline(always)]
    pub(crate) fn clause_unfueled(
        &mut self,
        fc: &Clause<'_>,
        slot: &mut Slot,
        apply_date: Option<NaiveDate>,
    ) -> Result<bool, Fault> {
        if self.guard_fails(fc)
            && (fc.scope_safe || self.memo.scope.get(fc.policy).is_some_and(Option::is_some))
        {
            return Ok(true);
        }
        if self.decide::<false, false>(fc, slot)? {
            return Ok(true);
        }
        if let Some(date) = apply_date {
            self.application_window::<false>(fc, date, slot);
        }
        Ok(false)
    }

    /// Whether the clause's guard decides it blank.
    #[inline(always)]
    fn guard_fails(&self, fc: &Clause<'_>) -> bool {
        // Read as `Eval::tests` reads the same test; kept apart because
        // sharing its reading made the row loop slower (docs/performance.md),
        // and the differential test holds the two together.
        match fc.guard {
            Guard::None => false,
            Guard::Bool(f) => matches!(self.stored(f), Some(Value::Bool(false))),
            Guard::EnumIs(f, want) => {
                matches!(self.stored(f), Some(Value::Enum(v)) if *v != want)
            }
            Guard::Named(def) => self.memo.cond.get(def as usize) == Some(&Some(Tri::No)),
            Guard::Cmp(at) => match self.flat.tests.get(at as usize) {
                Some(Test::Cmp {
                    fact,
                    op,
                    lit: Lit::Num(n),
                }) => {
                    matches!(self.stored(*fact), Some(Value::Money(m)) if !amount_holds(m, *op, n))
                }
                _ => false,
            },
        }
    }

    /// The steps [`Eval::decide`] would charge, when the clause's guard
    /// decides it blank: `None` when the guard holds or is unknown, or
    /// when the policy's 适用 is not yet known for this row (reading it
    /// may fail, and it decides what is charged).
    #[inline(always)]
    fn guarded(&self, fc: &Clause<'_>) -> Option<u64> {
        if !self.guard_fails(fc) {
            return None;
        }
        match self.flat.policies.get(fc.policy).and_then(|p| p.scope) {
            None => Some(fc.cost.cond),
            Some(_) => match self.memo.scope.get(fc.policy) {
                Some(Some(Tri::No)) => Some(fc.cost.scope),
                Some(Some(_)) => Some(fc.cost.scope + fc.cost.cond),
                _ => None,
            },
        }
    }

    /// `true` when the clause is decided not to apply before anything is
    /// written into `slot`. The conditions are read here, inlined into
    /// every row's loop; what follows when they do not decide is
    /// [`Eval::bind`], out of line.
    #[inline(always)]
    fn decide<const M: bool, const C: bool>(
        &mut self,
        fc: &Clause<'_>,
        slot: &mut Slot,
    ) -> Result<bool, Fault> {
        let flat = self.flat;
        let scope = match flat.policies.get(fc.policy).and_then(|p| p.scope) {
            Some((s, tests)) => {
                self.charge::<M>(fc.cost.scope);
                self.scope::<M, C>(fc.policy, s, tests)?
            }
            None => Tri::Yes,
        };
        // A condition known false decides the clause, unless it pays by
        // schedule: its year is shown whatever the conditions.
        let schedule = fc.is_schedule();
        if scope == Tri::No && !schedule {
            self.unmiss::<C>(0);
            return Ok(true);
        }
        let own = if scope == Tri::No {
            // Decided already: the clause's own condition cannot change it.
            Tri::No
        } else {
            self.charge::<M>(fc.cost.cond);
            if !M && !C {
                self.tests(fc.tests)?
            } else {
                self.cond::<M, C>(fc.cond, 0)?
            }
        };
        if own == Tri::No && !schedule {
            self.unmiss::<C>(0);
            return Ok(true);
        }
        self.bind::<M, C>(fc, slot, scope, own)?;
        Ok(false)
    }

    /// The rest of [`Eval::decide`], once the conditions are read (`scope`
    /// and `own`): the years of a schedule, whether the clause binds, and
    /// what it does.
    #[inline(never)]
    fn bind<const M: bool, const C: bool>(
        &mut self,
        fc: &Clause<'_>,
        slot: &mut Slot,
        scope: Tri,
        own: Tri,
    ) -> Result<(), Fault> {
        let window = fc.window;
        // A schedule binds only in its years, counted from the entity's
        // own date.
        let years = match &fc.action {
            Action::Grant(crate::eval::flat::Amount::Schedule { event, runs, .. }) => {
                self.scheduled::<C>(*event, runs, slot)
            }
            _ => Tri::Yes,
        };
        if scope == Tri::No || own == Tri::No {
            // The conditions decide; the schedule says nothing more.
            slot.note = WindowNote::None;
        }
        // Whether the clause binds: its window, its conditions and its
        // years together.
        let binds = and(window, and(scope, and(own, years)));
        let unpublished = window == Tri::Unknown;
        match (binds, &fc.action) {
            (Tri::No, _) => {
                slot.status = Status::NotApplicable;
                self.unmiss::<C>(0);
            }
            (_, Action::Prohibit(conduct) | Action::Oblige(conduct)) => {
                let prohibit = matches!(fc.action, Action::Prohibit(_));
                self.charge::<M>(fc.cost.conduct);
                let mark = self.mark::<C>();
                let done = self.cond::<M, C>(*conduct, 0)?;
                self.conduct_verdict::<C>(binds, breach(done, prohibit), unpublished, mark, slot);
            }
            (Tri::Unknown, _) => undecided(slot, unpublished),
            (Tri::Yes, Action::Grant(amount)) => {
                slot.status = Status::Applies;
                self.record = C && self.derive;
                let done = self.grant::<M, C>(fc, amount, slot);
                self.record = false;
                // Steps toward an amount that could not be reached explain
                // nothing.
                if C && slot.status != Status::Applies {
                    self.steps.clear();
                }
                done?;
            }
            (Tri::Yes, Action::Exempt) => {
                slot.status = Status::Applies;
                slot.verdict = Some(Verdict::Exempt);
            }
            (Tri::Yes, Action::Permit) => slot.status = Status::Applies,
        }
        if C {
            self.missing.sort_unstable();
            self.missing.dedup();
        }
        Ok(())
    }

    /// The verdict on a 不得/应当 clause that may bind (`binds` is not
    /// `No`); `mark` is where the conduct's missing facts begin.
    fn conduct_verdict<const C: bool>(
        &mut self,
        binds: Tri,
        breach: Tri,
        unpublished: bool,
        mark: usize,
        slot: &mut Slot,
    ) {
        match (binds, breach) {
            // Whatever the window and conditions turn out to be, the
            // entity is not in breach.
            (_, Tri::No) => {
                slot.status = Status::Applies;
                slot.verdict = Some(Verdict::Met);
                self.unmiss::<C>(0);
            }
            (Tri::Yes, Tri::Yes) => {
                slot.status = Status::Applies;
                slot.verdict = Some(Verdict::Violated);
            }
            (Tri::Yes, _) => {
                slot.status = Status::Applies;
                slot.verdict = Some(Verdict::Undecided);
            }
            (_, Tri::Yes) => {
                // Only the conditions (or the window) are open.
                self.unmiss::<C>(mark);
                undecided(slot, unpublished);
            }
            _ => undecided(slot, unpublished),
        }
    }

    /// The application date against the clause's 申报 window, after the
    /// clause is decided: a clause that does not apply, or is not in
    /// force, stays so; one that applies or is undecided is not paid when
    /// the entity applies outside the window. Only what an entity receives
    /// is applied for; a duty binds whenever it is in force.
    fn application_window<const C: bool>(
        &mut self,
        fc: &Clause<'_>,
        date: NaiveDate,
        slot: &mut Slot,
    ) {
        if !matches!(fc.kind, ClauseKind::Grant | ClauseKind::Exemption)
            || !matches!(slot.status, Status::Applies | Status::Undecided)
        {
            return;
        }
        let Some(window) = fc.apply else { return };
        match application(window, date) {
            ApplyDecision::Outside => {
                slot.status = Status::OutsideApplicationWindow;
                slot.note = WindowNote::OutsideApplication;
                slot.verdict = None;
                self.unmiss::<C>(0);
                slot.paid = None;
            }
            ApplyDecision::Unknown if slot.status == Status::Applies => {
                slot.status = Status::Undecided;
                slot.note = WindowNote::ApplicationUnknown;
            }
            ApplyDecision::Unknown | ApplyDecision::Inside => {}
        }
    }
}

/// Whether the entity does what would breach a 不得 (`prohibit`) or 应当
/// clause, given whether it does the conduct.
#[inline]
fn breach(done: Tri, prohibit: bool) -> Tri {
    match (done, prohibit) {
        (Tri::Unknown, _) => Tri::Unknown,
        (d, true) => d,
        (Tri::Yes, false) => Tri::No,
        (_, false) => Tri::Yes,
    }
}

/// Undecided, and why when the window is what is open.
#[inline]
fn undecided(slot: &mut Slot, unpublished: bool) {
    slot.status = Status::Undecided;
    slot.note = if unpublished {
        WindowNote::Unpublished
    } else {
        WindowNote::None
    };
}
