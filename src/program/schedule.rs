//! Schedules: amounts paid year by year, the years counted from a date of
//! the entity's own (its 落户日期, 认定日期), not from the policy's.

use chrono::{Datelike, Months, NaiveDate};

use super::{Amount, AmountCore, Expr, FactId, Loc, Value};

/// `自 落户日期 起 前3年 每年 …，后2年 每年 …`, checked: runs of years in
/// order, each with the amount of each of its years. A yearly cap
/// (`，每年 最高 …`) is already folded into every run's cap, and a split
/// (`1000万元 分3年 按 40%、30%、30%`) is a run of one year per share, its
/// amount `1000万元 的 40%`.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// The date fact the years count from.
    pub event: FactId,
    /// Where the event was written.
    pub event_loc: Loc,
    /// The runs, first year first.
    pub runs: Vec<ScheduleRun>,
    /// Written as a split (`分3年 按 …`).
    pub split: bool,
    /// `，累计 最高 30万元（往年已领 …）`: a cap on the years together.
    pub cumulative: Option<Cumulative>,
    /// The whole schedule.
    pub loc: Loc,
}

/// `，累计 最高 30万元（往年已领 已获配套补助额）`: the years together pay
/// at most `cap`. One evaluation sees one year, so the years before are
/// the fact `received`: this year's amount is at most
/// max(0, cap − received).
#[derive(Debug, Clone, PartialEq)]
pub struct Cumulative {
    /// The cap over all the years.
    pub cap: Expr,
    /// The money fact of what earlier years paid.
    pub received: FactId,
    /// Where the fact was written.
    pub received_loc: Loc,
    /// Written 本年已领: the cap is over the year's applications and
    /// `received` is what this year's earlier ones were paid.
    pub this_year: bool,
}

/// Some years of a schedule, each paying the same amount.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleRun {
    /// How many years.
    pub years: u32,
    /// Each year's amount; under 分别, the bound and cap the tiers share
    /// and the first tier's amount.
    pub amount: Amount,
    /// `每年 分别 30万元、25万元、20万元`: each tier's amount, the tier
    /// chosen by the clause's 为-list ([`super::ClauseDef::tiers`], as
    /// many); empty when the run pays one amount.
    pub tiers: Vec<AmountCore>,
}

impl ScheduleRun {
    /// Every amount the run may pay: each tier's, or its one amount.
    pub fn cores(&self) -> impl Iterator<Item = &AmountCore> {
        let one = self.tiers.is_empty().then_some(&self.amount.core);
        one.into_iter().chain(&self.tiers)
    }
}

/// Where a date falls in a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearOf {
    /// Before the event: nothing is due yet.
    Before,
    /// In year `n` (from 1).
    Year(u32),
    /// After the last year.
    Over(u32),
}

impl Schedule {
    /// How many years in all.
    pub fn years(&self) -> u32 {
        self.runs.iter().map(|r| r.years).sum()
    }

    /// Whether some run's amount is chosen by tier (`每年 分别 …`).
    pub fn tiered(&self) -> bool {
        self.runs.iter().any(|r| !r.tiers.is_empty())
    }

    /// The run that pays year `year` (from 1) and its index.
    pub fn run(&self, year: u32) -> Option<(usize, &ScheduleRun)> {
        let mut end = 0;
        for (i, r) in self.runs.iter().enumerate() {
            end += r.years;
            if year >= 1 && year <= end {
                return Some((i, r));
            }
        }
        None
    }

    /// The year `date` falls in, counted from `event`.
    pub fn year_of(&self, event: NaiveDate, date: NaiveDate) -> YearOf {
        year_of(self.years(), event, date)
    }
}

/// The year `date` falls in, of a schedule of `years` years counted from
/// `event`.
pub fn year_of(years: u32, event: NaiveDate, date: NaiveDate) -> YearOf {
    match year_number(event, date) {
        None => YearOf::Before,
        Some(k) if k > years => YearOf::Over(years),
        Some(k) => YearOf::Year(k),
    }
}

/// The first day of year `k` (from 1) counted from `event`: its
/// anniversary, a 2月29日 falling on 2月28日 in a common year (as
/// 《民法典》第二百零二条 ends a period in a month without the day on its
/// last day). `None` past the calendar's end.
pub fn schedule_start(event: NaiveDate, k: u32) -> Option<NaiveDate> {
    let months = k.checked_sub(1)?.checked_mul(12)?;
    event.checked_add_months(Months::new(months))
}

/// How `自 上规日期 起 连续3年 在规` stands on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunOfYears {
    /// The fact held in every year.
    Held,
    /// It was 否 in a year.
    Broken,
    /// The years have not all ended.
    NotYet,
    /// The date the years count from is missing.
    NoEvent,
    /// The fact is missing for a year (and none is 否).
    Missing,
}

/// The day `years` years counted from `from` are complete (year
/// `years + 1` begins); `None` past the last date there is.
pub fn run_end(from: NaiveDate, years: u32) -> Option<NaiveDate> {
    schedule_start(from, years.checked_add(1)?)
}

/// Whether a yes/no fact held in each of the first `years` years counted
/// from `event` (a date value), on `date`. Year k is read in the calendar
/// year it begins, as a schedule's year k is (`value_in`, the fact's value
/// as of a calendar year). Until the last year has ended the run is not
/// complete, whatever the years so far: 「连续3年保持在规的，再给予」 pays
/// for three years kept, not for one begun well. A 否 in any year decides
/// it, however many others are missing.
pub fn run_of_years<'v>(
    event: Option<&'v Value>,
    years: u32,
    date: NaiveDate,
    value_in: impl Fn(i32) -> Option<&'v Value>,
) -> RunOfYears {
    let Some(Value::Date(from)) = event else {
        return RunOfYears::NoEvent;
    };
    // Past the last date there is, the years never end.
    if run_end(*from, years).is_none_or(|end| date < end) {
        return RunOfYears::NotYet;
    }
    let mut missing = false;
    // Every year begins before the end, so each start exists.
    for year in (1..=years)
        .filter_map(|k| schedule_start(*from, k))
        .map(|d| d.year())
    {
        match value_in(year) {
            Some(Value::Bool(true)) => {}
            Some(Value::Bool(false)) => return RunOfYears::Broken,
            _ => missing = true,
        }
    }
    if missing {
        RunOfYears::Missing
    } else {
        RunOfYears::Held
    }
}

/// Which year (from 1) `date` is in, counted from `event`; `None` before
/// the event.
fn year_number(event: NaiveDate, date: NaiveDate) -> Option<u32> {
    if date < event {
        return None;
    }
    // Whole years between the two, then one back if this year's
    // anniversary is still to come.
    let guess = u32::try_from(date.year() - event.year()).ok()?;
    let k = guess + 1;
    match schedule_start(event, k) {
        Some(start) if start <= date => Some(k),
        _ => Some(guess.max(1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn years_count_from_the_anniversary() {
        // 2023年3月15日 起: year 1 is 2023-03-15 to 2024-03-14.
        let e = d(2023, 3, 15);
        assert_eq!(year_number(e, d(2023, 3, 14)), None);
        assert_eq!(year_number(e, d(2023, 3, 15)), Some(1));
        assert_eq!(year_number(e, d(2024, 3, 14)), Some(1));
        assert_eq!(year_number(e, d(2024, 3, 15)), Some(2));
        assert_eq!(year_number(e, d(2026, 12, 31)), Some(4));
        assert_eq!(year_number(e, d(2023, 12, 31)), Some(1));
    }

    #[test]
    fn a_leap_day_turns_on_the_last_day_of_february() {
        // 2024年2月29日 起: year 2 starts 2025-02-28, year 5 2028-02-29.
        let e = d(2024, 2, 29);
        assert_eq!(schedule_start(e, 2), Some(d(2025, 2, 28)));
        assert_eq!(schedule_start(e, 5), Some(d(2028, 2, 29)));
        assert_eq!(year_number(e, d(2025, 2, 27)), Some(1));
        assert_eq!(year_number(e, d(2025, 2, 28)), Some(2));
        assert_eq!(year_number(e, d(2028, 2, 28)), Some(4));
        assert_eq!(year_number(e, d(2028, 2, 29)), Some(5));
    }
}
