//! The reasoning behind a result, recorded only when asked (`--explain`),
//! so that evaluating a register pays nothing for it.

use super::Tri;
use crate::program::{FactId, Loc};

/// One step of reasoning: a condition and whether it held.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceLine {
    /// Nesting depth (for indentation).
    pub depth: usize,
    /// The condition's words.
    pub loc: Loc,
    /// Whether it held.
    pub result: Tri,
    /// The facts it read.
    pub facts: Vec<FactId>,
    /// The dates it computed on the way (`受理日期 后 5个工作日`, where
    /// written, and the deadline it came to), so that `--explain` shows a
    /// deadline instead of leaving it to the reader.
    pub computed: Vec<(Loc, chrono::NaiveDate)>,
    /// For `自 上规日期 起 连续3年 在规`, the date its years count from
    /// and how many, so that `--explain` shows each year's value, or when
    /// the years are complete, rather than the evaluation year's alone.
    pub run: Option<(chrono::NaiveDate, u32)>,
}

/// A recording of reasoning, or nothing when explanations are off.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    enabled: bool,
    /// The recorded steps in order.
    pub lines: Vec<TraceLine>,
    /// Dates computed since the last leaf, for the next one.
    pending: Vec<(Loc, chrono::NaiveDate)>,
}

impl Trace {
    /// A trace that records.
    pub fn on() -> Self {
        Trace {
            enabled: true,
            lines: Vec::new(),
            pending: Vec::new(),
        }
    }

    /// A trace that records nothing.
    pub fn off() -> Self {
        Trace::default()
    }

    /// Whether steps are recorded.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Records a leaf condition.
    #[inline]
    pub fn leaf(&mut self, depth: usize, loc: Loc, result: Tri, facts: &[FactId]) {
        if self.enabled {
            self.record(depth, loc, result, facts);
        }
    }

    // Out of line: evaluation without explanations only pays the check.
    #[inline(never)]
    fn record(&mut self, depth: usize, loc: Loc, result: Tri, facts: &[FactId]) {
        self.lines.push(TraceLine {
            depth,
            loc,
            result,
            facts: facts.to_vec(),
            computed: std::mem::take(&mut self.pending),
            run: None,
        });
    }

    /// Records `自 <event> 起 连续N年 <fact>` (`run`: its date and years,
    /// when the date is known).
    pub fn run_of_years(
        &mut self,
        depth: usize,
        loc: Loc,
        result: Tri,
        facts: &[FactId],
        run: Option<(chrono::NaiveDate, u32)>,
    ) {
        if self.enabled {
            self.record(depth, loc, result, facts);
            if let Some(line) = self.lines.last_mut() {
                line.run = run;
            }
        }
    }

    /// Records a date computed for the leaf condition being evaluated.
    pub fn computed(&mut self, at: Loc, date: chrono::NaiveDate) {
        if self.enabled {
            self.pending.push((at, date));
        }
    }

    /// Opens a group (且, 或, 非, a definition); its result is set on close.
    pub fn open(&mut self, depth: usize, loc: Loc) -> Option<usize> {
        if !self.enabled {
            return None;
        }
        self.lines.push(TraceLine {
            depth,
            loc,
            result: Tri::Unknown,
            facts: Vec::new(),
            computed: Vec::new(),
            run: None,
        });
        Some(self.lines.len() - 1)
    }

    /// Sets a group's result.
    pub fn close(&mut self, at: Option<usize>, result: Tri) {
        if let Some(line) = at.and_then(|i| self.lines.get_mut(i)) {
            line.result = result;
        }
    }
}
