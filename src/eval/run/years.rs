//! Facts given year by year (按年). An entity's facts are read as of the
//! evaluation date's year; a schedule's year k reads them as of the
//! calendar year in which that year begins, so that each instalment is
//! paid on its own year's figures and no year's is counted twice.

use chrono::Datelike;

use super::{Eval, Memos};
use crate::eval::error::Fault;
use crate::facts::ByYear;
use crate::program::{FactId, Value, schedule_start};

impl<'r, 'p> Eval<'r, 'p> {
    /// The calendar year schedule year `k` (counted from `event`) reads
    /// its facts in; `None` while the date it counts from is missing.
    pub(crate) fn schedule_year(&self, event: FactId, k: Option<u32>) -> Option<i32> {
        let Some(Value::Date(from)) = self.stored(event) else {
            return None;
        };
        schedule_start(*from, k?).map(|d| d.year())
    }

    /// Runs `f` with the facts given year by year read as of `year`.
    pub(crate) fn in_year<T>(
        &mut self,
        year: i32,
        f: impl for<'s> FnOnce(&mut Eval<'s, 'p>) -> Result<T, Fault>,
    ) -> Result<T, Fault> {
        let overlay = read_in(self.facts, self.years, year);
        self.over(&overlay, year, f)
    }

    /// Runs `f` over other facts (`facts`, read as of `year`: an item's
    /// fields, a schedule year's figures); the budget, the missing facts
    /// and the steps carry over as this run's. Definitions get memo
    /// slots of their own: they may read what differs.
    pub(crate) fn over<T>(
        &mut self,
        facts: &[Option<Value>],
        year: i32,
        f: impl for<'s> FnOnce(&mut Eval<'s, 'p>) -> Result<T, Fault>,
    ) -> Result<T, Fault> {
        let mut memos = Memos::default();
        let mut sub = Eval::new(self.flat, facts, self.fuel, &mut memos);
        sub.years = self.years;
        sub.year = year;
        sub.limit = self.limit;
        sub.record = self.record;
        sub.derive = self.derive;
        sub.missing = std::mem::take(&mut self.missing);
        sub.steps = std::mem::take(&mut self.steps);
        let out = f(&mut sub);
        self.fuel = sub.fuel;
        self.spent += sub.spent;
        self.missing = std::mem::take(&mut sub.missing);
        self.steps = std::mem::take(&mut sub.steps);
        out
    }
}

/// `facts` with each fact given year by year read as of `year`.
pub(crate) fn read_in(
    facts: &[Option<Value>],
    years: &[(FactId, ByYear)],
    year: i32,
) -> Vec<Option<Value>> {
    let mut out = facts.to_vec();
    for (id, table) in years {
        if let Some(slot) = out.get_mut(*id) {
            *slot = table.get(year).cloned();
        }
    }
    out
}

/// The derivation's words for a schedule year read in another calendar
/// year than the evaluation date's.
pub(crate) fn year_words(k: u32, year: i32) -> String {
    format!("第 {k} 年开始于 {year}年：按年填写的事实读 {year}年 的值")
}
