//! Schedules in the compiled evaluator: whether the evaluation date falls
//! in one of a schedule's years (a part of whether the clause binds, so a
//! schedule that is over is known not to apply whatever else is missing),
//! and the list of every year's payment, built only when it is shown.

use chrono::NaiveDate;

use super::{Eval, Scratch, Slot, WindowNote};
use crate::eval::flat::{Action, Amount, Core, ExprId, Flat};
use crate::eval::{AmountKind, Instalment, Status, Tri};
use crate::facts::Facts;
use crate::program::{FactId, Value, YearOf, schedule_start};

/// The words of [`WindowNote::ScheduleBefore`].
pub(crate) const SCHEDULE_BEFORE: &str = "分年给予尚未开始：评估日期早于起算日期";

/// The words of [`WindowNote::ScheduleOver`].
pub(crate) fn schedule_over(years: u32) -> String {
    format!("分年给予的 {years} 年已满")
}

/// A run of a compiled schedule: its years, the kind, the amount, its cap.
type RunDef = (u32, AmountKind, Core, Option<ExprId>);

/// The years of a compiled schedule, in all.
fn total_years(runs: &[RunDef]) -> u32 {
    runs.iter().map(|r| r.0).sum()
}

/// Where `date` falls, counted from `event`.
fn year_of(runs: &[RunDef], event: NaiveDate, date: NaiveDate) -> YearOf {
    crate::program::year_of(total_years(runs), event, date)
}

impl Eval<'_, '_> {
    /// Whether the evaluation date is in one of the schedule's years:
    /// unknown while the date it counts from is missing.
    pub(crate) fn scheduled<const C: bool>(
        &mut self,
        event: FactId,
        runs: &[RunDef],
        slot: &mut Slot,
    ) -> Tri {
        let Some(Value::Date(from)) = self.stored(event) else {
            self.miss::<C>(event);
            return Tri::Unknown;
        };
        match year_of(runs, *from, self.flat.date) {
            YearOf::Year(k) => {
                slot.year = Some(k);
                Tri::Yes
            }
            YearOf::Before => {
                slot.note = WindowNote::ScheduleBefore;
                Tri::No
            }
            YearOf::Over(n) => {
                slot.note = WindowNote::ScheduleOver(n);
                Tri::No
            }
        }
    }

    /// Which year is paid, in the derivation.
    #[cold]
    #[inline(never)]
    pub(super) fn note_year(&mut self, event: FactId, runs: &[RunDef], year: Option<u32>) {
        let (Some(Value::Date(from)), Some(k)) = (self.stored(event), year) else {
            return;
        };
        let from = *from;
        let start = schedule_start(from, k);
        let end = schedule_start(from, k + 1).and_then(|d| d.pred_opt());
        let span = match (start, end) {
            (Some(s), Some(e)) => format!("（{} 至 {}）", words(s), words(e)),
            _ => String::new(),
        };
        self.note(format!(
            "分年给予：{} {} 起共 {} 年，评估日期在第 {k} 年{span}",
            self.flat.program.vocab.name(event),
            words(from),
            total_years(runs),
        ));
    }
}

fn words(d: NaiveDate) -> String {
    crate::check::chinese_date(d)
}

impl Flat<'_> {
    /// Every year of clause `ci`'s schedule with what it pays, for an
    /// entity whose slot is `slot`: empty when the clause is no schedule,
    /// does not apply or is not yet decided on its date. Each run's
    /// amount is computed as the clause's own would be in that year.
    pub(crate) fn instalments(
        &self,
        facts: &Facts,
        ci: usize,
        slot: &Slot,
        out: &mut Vec<Instalment>,
    ) {
        out.clear();
        let Some(fc) = self.clauses.get(ci) else {
            return;
        };
        let Action::Grant(amount @ Amount::Schedule { event, runs, .. }) = &fc.action else {
            return;
        };
        let shown = matches!(slot.status, Status::Applies | Status::Undecided)
            || matches!(
                slot.note,
                WindowNote::ScheduleBefore | WindowNote::ScheduleOver(_)
            );
        let Some(Value::Date(from)) = facts.values.get(*event).and_then(Option::as_ref) else {
            return;
        };
        if !shown {
            return;
        }
        let mut scratch = Scratch::default();
        let mut ev = Eval::new(self, &facts.values, u64::MAX, &mut scratch);
        let mut first = 1;
        for &(years, ..) in runs {
            let mut run = Slot {
                status: Status::Applies,
                year: Some(first),
                ..Slot::BLANK
            };
            let (paid, kind) = match ev.grant::<false, false>(fc, amount, &mut run) {
                Ok(()) if run.status == Status::Applies => (run.amount, run.amount_kind),
                _ => (None, run.amount_kind),
            };
            for k in first..first + years {
                let Some(start) = schedule_start(*from, k) else {
                    break;
                };
                out.push(Instalment {
                    year: k,
                    from: start,
                    amount: paid,
                    kind,
                    current: slot.year == Some(k),
                });
            }
            first += years;
        }
        ev.finish(&mut scratch);
    }
}
