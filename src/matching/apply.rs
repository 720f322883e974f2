//! What a clause's text says about applying (申报, 受理, 材料), and whether
//! its application window closes soon: without an application date,
//! windows are reported, not enforced, and `match` flags the ones that
//! close within [`CLOSING_DAYS`] of `--as-of`.

use chrono::NaiveDate;

use crate::eval::ClauseResult;
use crate::program::{Application, Program, WindowDef};

/// How many days ahead a closing window is flagged.
pub(crate) const CLOSING_DAYS: i64 = 30;

/// The application that holds for a clause (its own over its policy's).
pub(crate) fn application(program: &Program, r: &ClauseResult) -> Application {
    program
        .policies
        .get(r.policy)
        .and_then(|p| p.clauses.get(r.index).map(|c| c.application_in(p)))
        .unwrap_or_default()
}

/// The last day of the window and the days left, when the window is open
/// on `as_of` and closes within [`CLOSING_DAYS`] of it.
pub(crate) fn closing(a: &Application, as_of: Option<NaiveDate>) -> Option<(NaiveDate, i64)> {
    let as_of = as_of?;
    let (start, end) = match a.window? {
        WindowDef::Dates(s, e) => (Some(s), e),
        WindowDef::Unpublished { start, end } => (start, end),
    };
    let end = end?;
    let left = (end - as_of).num_days();
    let open = start.is_none_or(|s| s <= as_of);
    (open && (0..=CLOSING_DAYS).contains(&left)).then_some((end, left))
}

/// A sentence with what its clause says about applying put before the
/// full stop: `…补助（申报期 …；受理 …；材料 「…」；距申报截止还有 12 天）。`
pub(crate) fn with_words(
    sentence: String,
    program: &Program,
    r: &ClauseResult,
    as_of: Option<NaiveDate>,
) -> String {
    let a = application(program, r);
    let mut parts: Vec<String> = crate::report::application_words(&a).into_iter().collect();
    if let Some((_, left)) = closing(&a, as_of) {
        parts.push(format!("距申报截止还有 {left} 天"));
    }
    if parts.is_empty() {
        return sentence;
    }
    let body = sentence.strip_suffix('。').unwrap_or(&sentence);
    format!("{body}（{}）。", parts.join("；"))
}
