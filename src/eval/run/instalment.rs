//! Schedules in the compiled evaluator: whether the evaluation date falls
//! in one of a schedule's years (a part of whether the clause binds, so a
//! schedule that is over is known not to apply whatever else is missing),
//! and the list of every year's payment, built only when it is shown.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::{Eval, Memos, Slot, WindowNote};
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

/// The words of a cumulative cap (`累计 最高 …（往年已领 …）`): what is
/// left of the cap after earlier years, then this year's amount under it;
/// with `this_year` (`（本年已领 …）`), after this year's earlier
/// applications, then this application's amount (or, in a `schedule`,
/// this year's instalment) under it.
pub(crate) fn cumulative_words(
    received: &str,
    this_year: bool,
    schedule: bool,
    cap: Decimal,
    got: Decimal,
    year: Decimal,
    left: Decimal,
) -> [String; 2] {
    use crate::num::Money;
    let word = if this_year {
        "本年已领"
    } else {
        "往年已领"
    };
    let this = if schedule { "本年" } else { "本次" };
    let rest = cap - got;
    let first = if rest < Decimal::ZERO {
        format!(
            "累计上限 {} − {word} {received} {} 为负，余额按 0 计",
            Money(cap),
            Money(got)
        )
    } else {
        format!(
            "累计上限 {} − {word} {received} {} = 余额 {}",
            Money(cap),
            Money(got),
            Money(rest)
        )
    };
    let second = if year > left {
        format!(
            "{this} {} 超过累计余额 {}，按 {} 计",
            Money(year),
            Money(left),
            Money(left)
        )
    } else {
        format!("{this} {} 未超过累计余额 {}", Money(year), Money(left))
    };
    [first, second]
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
        if !self.years.is_empty() && self.year != self.flat.date.year() {
            self.note(super::years::year_words(k, self.year));
        }
    }
}

fn words(d: NaiveDate) -> String {
    crate::check::chinese_date(d)
}

impl Flat<'_> {
    /// Every year of clause `ci`'s schedule with what it pays, for an
    /// entity whose slot is `slot`: empty when the clause is no schedule,
    /// does not apply or is not yet decided on its date. Each run's
    /// amount is computed as the clause's own would be in that year. A
    /// cumulative cap (`累计 最高 …`) reads what was received up to now, so
    /// it caps only this year's: that year shows the clause's amount, the
    /// others their own amount before it.
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
        let Action::Grant(
            amount @ Amount::Schedule {
                event,
                runs,
                cumulative,
                ..
            },
        ) = &fc.action
        else {
            return;
        };
        let uncapped;
        let amount = match (amount, cumulative) {
            (Amount::Schedule { .. }, Some(_)) => {
                let mut a = amount.clone();
                if let Amount::Schedule { cumulative, .. } = &mut a {
                    *cumulative = None;
                }
                uncapped = a;
                &uncapped
            }
            _ => amount,
        };
        let shown = matches!(slot.status, Status::Applies | Status::Undecided)
            || matches!(
                slot.note,
                WindowNote::ScheduleBefore | WindowNote::ScheduleOver(_)
            );
        let Some(Value::Date(from)) = facts.get_in(*event, self.date.year()) else {
            return;
        };
        if !shown {
            return;
        }
        let mut memos = Memos::default();
        let values = facts.in_year(self.date.year());
        let mut ev = Eval::new(self, &values, u64::MAX, &mut memos);
        ev.years = &facts.years;
        let mut first = 1;
        for &(years, ..) in runs {
            for k in first..first + years {
                let Some(start) = schedule_start(*from, k) else {
                    break;
                };
                // Each year is computed on its own: its figures may be
                // that year's (years.rs).
                let mut run = Slot {
                    status: Status::Applies,
                    year: Some(k),
                    ..Slot::BLANK
                };
                let (paid, kind) = match ev.grant::<false, false>(fc, amount, &mut run) {
                    Ok(()) if run.status == Status::Applies => (run.amount, run.amount_kind),
                    _ => (None, run.amount_kind),
                };
                let current = slot.year == Some(k);
                let (paid, kind) = match (current && cumulative.is_some(), slot.status) {
                    (false, _) => (paid, kind),
                    (true, Status::Applies) => (slot.amount, slot.amount_kind),
                    (true, _) => (None, kind),
                };
                out.push(Instalment {
                    year: k,
                    from: start,
                    amount: paid,
                    kind,
                    current,
                });
            }
            first += years;
        }
    }
}
