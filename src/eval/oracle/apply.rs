//! The application date against a clause's 申报 window, decided after the
//! clause itself: a clause that does not apply, or is not in force, stays
//! so; one that applies or is undecided is not paid when the entity
//! applies outside the window. Precedence, strongest first:
//! not_in_force, not_applicable, outside_application_window, undecided.

use chrono::NaiveDate;

use super::{ClauseKind, ClauseResult, Status};
use crate::program::{ClauseDef, PolicyDef, WindowDef};

/// Applies `apply_date` (if given) to a decided clause result.
pub(super) fn application_window(
    policy: &PolicyDef,
    clause: &ClauseDef,
    apply_date: Option<NaiveDate>,
    r: &mut ClauseResult,
) {
    let Some(date) = apply_date else { return };
    // Only what an entity receives is applied for; a duty binds whenever
    // it is in force.
    if !matches!(r.kind, ClauseKind::Grant | ClauseKind::Exemption)
        || !matches!(r.status, Status::Applies | Status::Undecided)
    {
        return;
    }
    let Some(window) = clause.application_window(policy) else {
        return;
    };
    let (start, end, known) = match window {
        WindowDef::Dates(s, e) => (Some(s), e, true),
        WindowDef::Unpublished { start, end } => (start, end, false),
    };
    let before = start.is_some_and(|s| date < s);
    let after = end.is_some_and(|e| date > e);
    if before || after {
        r.status = Status::OutsideApplicationWindow;
        r.window_note = Some(note(start, end));
        r.verdict = None;
        r.missing.clear();
        r.schedule.clear();
        r.paid = None;
    } else if !known && r.status == Status::Applies {
        // Inside every end the text gives, but an end hangs on a
        // publication date nobody knows.
        r.status = Status::Undecided;
        r.window_note = Some("发布日期未定，申报期无法确定".into());
    }
}

/// `申报期 2023年1月1日 至 2023年1月31日`, as the window is known.
fn note(start: Option<NaiveDate>, end: Option<NaiveDate>) -> String {
    let day = |d: NaiveDate| d.format("%Y年%-m月%-d日");
    match (start, end) {
        (Some(s), Some(e)) => format!("申报期 {} 至 {}", day(s), day(e)),
        (Some(s), None) => format!("申报期自 {} 起", day(s)),
        (None, Some(e)) => format!("申报期至 {}", day(e)),
        (None, None) => "申报期".into(),
    }
}
