//! The tree walker the flat evaluator replaced, kept as the oracle of
//! the differential test (`differential.rs`): over generated programs and
//! facts, both must give the same outcome. Compiled only for tests.

mod apply;
mod differential;
pub(crate) mod expr;
mod grant;
mod overlap;

use super::{
    AmountKind, ClauseKind, ClauseResult, EvalConfig, EvalError, Fault, Outcome, PolicyTotal,
    Status, Totals, Trace, Tri, Verdict, and, derive_overlap,
};
use crate::facts::Facts;
use crate::num::Money;
use crate::program::{Action, ClauseDef, FactId, PolicyDef, PolicyId, Program, WindowDef};

/// Evaluates every clause of the program for one entity.
pub(crate) fn evaluate(
    program: &Program,
    facts: &Facts,
    config: &EvalConfig,
) -> Result<Outcome, EvalError> {
    let mut out = Outcome::empty(config.date);
    evaluate_into(program, facts, config, &mut out)?;
    Ok(out)
}

/// [`evaluate`] into an outcome kept from an earlier entity, reusing its
/// storage: a register evaluates row after row without allocating for the
/// clause results. On `Err`, `out` holds a partial result.
pub(crate) fn evaluate_into(
    program: &Program,
    facts: &Facts,
    config: &EvalConfig,
    out: &mut Outcome,
) -> Result<(), EvalError> {
    let values = facts.in_year(chrono::Datelike::year(&config.date));
    let ctx = expr::Ctx {
        program,
        facts: &values,
        years: &facts.years,
        year: chrono::Datelike::year(&config.date),
        date: config.date,
        fuel: std::cell::Cell::new(config.fuel),
        limit: config.fuel,
        record: std::cell::Cell::new(false),
        steps: std::cell::RefCell::new(Vec::new()),
    };
    let derive = config.derive || config.explain;
    let count = program.policies.iter().map(|p| p.clauses.len()).sum();
    if out.clauses.len() != count {
        out.clauses.clear();
        out.clauses.reserve_exact(count);
    }
    let mut at = 0;
    for (pid, policy) in program.policies.iter().enumerate() {
        for (index, clause) in policy.clauses.iter().enumerate() {
            let kind = clause_kind(&clause.action);
            // Reset in place: a clause result is large, and building one
            // and moving it costs more than most clauses take to decide.
            match out.clauses.get_mut(at) {
                Some(r) => r.reset(pid, index, kind),
                None => out.clauses.push(ClauseResult::blank(pid, index, kind)),
            }
            if let Some(r) = out.clauses.get_mut(at) {
                clause_result(&ctx, policy, clause, config.explain, derive, r)
                    .map_err(|f| f.located(program))?;
                apply::application_window(policy, clause, config.apply_date, r);
                policy.note_assumption(&mut r.window_note);
            }
            at += 1;
        }
    }
    let clauses = &mut out.clauses;
    overlap::resolve(program, clauses);
    let (total, totals) = totals(program, clauses, &mut out.policies).map_err(|r| {
        let loc = program
            .policies
            .get(r.policy)
            .and_then(|p| p.clauses.get(r.index))
            .map(|c| c.loc)
            .unwrap_or_default();
        ctx.overflow(loc).located(program)
    })?;
    if derive {
        derive_overlap(program, clauses, &out.policies);
    }
    out.undecided = clauses
        .iter()
        .any(|c| c.status == Status::Undecided || c.verdict == Some(Verdict::Undecided));
    out.date = config.date;
    out.total = total;
    out.totals = totals;
    Ok(())
}

fn clause_kind(a: &Action) -> ClauseKind {
    match a {
        Action::Grant { .. } => ClauseKind::Grant,
        Action::Exempt(_) => ClauseKind::Exemption,
        Action::Prohibit(_) => ClauseKind::Prohibition,
        Action::Oblige(_) => ClauseKind::Obligation,
        Action::Permit(_) => ClauseKind::Permission,
    }
}

/// Whether the date falls in a window: `No` sets the status and says
/// why; `Unknown` when the window hangs on a publication date the text
/// does not give.
fn in_force(date: chrono::NaiveDate, window: Option<WindowDef>, r: &mut ClauseResult) -> Tri {
    let day = |d: chrono::NaiveDate| d.format("%Y年%-m月%-d日");
    match window {
        Some(WindowDef::Unpublished { start, end })
            if start.is_some_and(|s| date < s) || end.is_some_and(|e| date > e) =>
        {
            r.window_note = Some(match (start, end) {
                (_, Some(e)) if date > e => format!("施行期至 {}", day(e)),
                (Some(s), _) => format!("自 {} 起施行", day(s)),
                _ => String::new(),
            });
            Tri::No
        }
        Some(WindowDef::Unpublished { .. }) => Tri::Unknown,
        Some(WindowDef::Dates(start, end)) if date < start || end.is_some_and(|e| date > e) => {
            r.window_note = Some(match end {
                Some(e) => format!("施行期 {} 至 {}", day(start), day(e)),
                None => format!("自 {} 起施行", day(start)),
            });
            Tri::No
        }
        Some(WindowDef::Dates(..)) | None => Tri::Yes,
    }
}

const UNPUBLISHED: &str = "发布日期未定，施行期无法确定";

/// Decides one clause, filling in its blank result. A clause is one
/// three-valued conjunction — in force ∧ 适用 ∧ condition (∧ the conduct
/// for 不得/应当) — so a part known to be false decides it whatever else
/// is unknown, and `missing` keeps only facts that could change the
/// outcome (docs/language.md §9.2 has the truth table).
fn clause_result(
    ctx: &expr::Ctx<'_>,
    policy: &PolicyDef,
    clause: &ClauseDef,
    explain: bool,
    derive: bool,
    r: &mut ClauseResult,
) -> Result<(), Fault> {
    let window = in_force(ctx.date, clause.window.or(policy.window), r);
    if window == Tri::No {
        r.status = Status::NotInForce;
        return Ok(());
    }
    let mut trace = if explain { Trace::on() } else { Trace::off() };
    // The result's own (empty) list, so that its storage is reused.
    let mut missing = std::mem::take(&mut r.missing);
    let scope = match &policy.scope {
        Some(s) => ctx.cond(s, &mut missing, &mut trace, 0)?,
        None => Tri::Yes,
    };
    let own = if scope == Tri::No {
        // Decided already: the clause's own condition cannot change it.
        Tri::No
    } else {
        ctx.cond(&clause.cond, &mut missing, &mut trace, 0)?
    };
    // A schedule binds only in its years.
    let schedule = match &clause.action {
        Action::Grant {
            amount: crate::program::GrantAmount::Schedule(s),
            ..
        } => Some(s),
        _ => None,
    };
    let years = schedule.map_or(Tri::Yes, |s| grant::scheduled(ctx, s, &mut missing, r));
    if scope == Tri::No || own == Tri::No {
        // The conditions decide; the schedule says nothing more.
        r.window_note = None;
    }
    let holds = and(scope, and(own, years));
    // Whether the clause binds: its window and its conditions together.
    let binds = and(window, holds);
    let unpublished = window == Tri::Unknown;
    match (binds, &clause.action) {
        (Tri::No, _) => {
            r.status = Status::NotApplicable;
            missing.clear();
        }
        (_, Action::Prohibit(conduct) | Action::Oblige(conduct)) => {
            let prohibit = matches!(clause.action, Action::Prohibit(_));
            let mark = missing.len();
            let done = ctx.cond(conduct, &mut missing, &mut trace, 0)?;
            conduct_verdict(
                binds,
                breach(done, prohibit),
                unpublished,
                mark,
                &mut missing,
                r,
            );
        }
        (Tri::Unknown, _) => undecided(r, unpublished),
        (Tri::Yes, Action::Grant { amount, .. }) => {
            r.status = Status::Applies;
            grant_result(ctx, clause, amount, derive, r, &mut missing)?;
        }
        (Tri::Yes, Action::Exempt(_)) => {
            r.status = Status::Applies;
            r.verdict = Some(Verdict::Exempt);
        }
        (Tri::Yes, Action::Permit(_)) => r.status = Status::Applies,
    }
    missing.sort_unstable();
    missing.dedup();
    r.missing = missing;
    let shown = matches!(r.status, Status::Applies | Status::Undecided)
        || binds == Tri::No && r.window_note.is_some();
    if let (Some(s), true) = (schedule, shown) {
        grant::instalments(ctx, clause, s, r);
    }
    if let Action::Grant {
        amount: crate::program::GrantAmount::Items(g),
        ..
    } = &clause.action
        && r.items.is_empty()
        && matches!(r.status, Status::Applies | Status::Undecided)
    {
        grant::item_list(ctx, g, r);
    }
    if explain {
        r.trace = trace.lines;
    }
    Ok(())
}

/// Whether the entity does what would breach a 不得 (`prohibit`) or
/// 应当 clause, given whether it does the conduct.
#[inline]
fn breach(done: Tri, prohibit: bool) -> Tri {
    match (done, prohibit) {
        (Tri::Unknown, _) => Tri::Unknown,
        (d, true) => d,
        (Tri::Yes, false) => Tri::No,
        (_, false) => Tri::Yes,
    }
}

/// The verdict on a 不得/应当 clause that may bind (`binds` is not `No`);
/// `mark` is where the conduct's missing facts begin in `missing`.
#[inline]
fn conduct_verdict(
    binds: Tri,
    breach: Tri,
    unpublished: bool,
    mark: usize,
    missing: &mut Vec<FactId>,
    r: &mut ClauseResult,
) {
    match (binds, breach) {
        // Whatever the window and conditions turn out to be, the entity
        // is not in breach.
        (_, Tri::No) => {
            r.status = Status::Applies;
            r.verdict = Some(Verdict::Met);
            missing.clear();
        }
        (Tri::Yes, Tri::Yes) => {
            r.status = Status::Applies;
            r.verdict = Some(Verdict::Violated);
        }
        (Tri::Yes, _) => {
            r.status = Status::Applies;
            r.verdict = Some(Verdict::Undecided);
        }
        (_, Tri::Yes) => {
            // Only the conditions (or the window) are open.
            missing.truncate(mark);
            undecided(r, unpublished);
        }
        _ => undecided(r, unpublished),
    }
}

/// Undecided, and why when the window is what is open.
#[inline]
fn undecided(r: &mut ClauseResult, unpublished: bool) {
    r.status = Status::Undecided;
    r.window_note = unpublished.then(|| UNPUBLISHED.into());
}

/// The amount of a grant that applies, with its derivation when
/// `derive` asks for one.
#[inline]
fn grant_result(
    ctx: &expr::Ctx<'_>,
    clause: &ClauseDef,
    amount: &crate::program::GrantAmount,
    derive: bool,
    r: &mut ClauseResult,
    missing: &mut Vec<FactId>,
) -> Result<(), Fault> {
    ctx.record.set(derive);
    let done = grant::amount(ctx, clause, amount, r, missing);
    ctx.record.set(false);
    let mut steps = ctx.steps.borrow_mut();
    // Steps toward an amount that could not be reached explain nothing.
    if r.status == Status::Applies {
        r.derivation.extend(steps.drain(..));
    } else {
        steps.clear();
    }
    drop(steps);
    done
}

/// Adds `m` to `acc`, or names the clause whose amount overflowed.
fn add<'a>(acc: &mut Money, m: Money, at: &'a ClauseResult) -> Result<(), &'a ClauseResult> {
    *acc = acc.checked_add(m).ok_or(at)?;
    Ok(())
}

/// Per-policy totals, the total and the totals by kind, all exact. `Err`
/// names the clause at which an amount or a sum left the range that can
/// be shown to the fen (`Money::cents`).
fn totals<'a>(
    program: &Program,
    clauses: &'a [ClauseResult],
    out: &mut Vec<PolicyTotal>,
) -> Result<(Money, Totals), &'a ClauseResult> {
    out.clear();
    let mut total = Money::ZERO;
    let mut totals = Totals::default();
    if let Some(c) = clauses.iter().find(|c| {
        [c.amount, c.uncapped]
            .iter()
            .flatten()
            .any(|m| !m.has_cents())
    }) {
        return Err(c);
    }
    for (pid, policy) in program.policies.iter().enumerate() {
        let (subtotal, by_kind, last) = paid_by(pid, clauses)?;
        let (counted, by_kind, capped) = under_total_cap(policy, subtotal, by_kind);
        if let Some(last) = last {
            add(&mut total, counted, last)?;
            add(&mut totals.exact, by_kind.exact, last)?;
            add(&mut totals.at_most, by_kind.at_most, last)?;
            add(&mut totals.at_least, by_kind.at_least, last)?;
            if !total.has_cents() {
                return Err(last);
            }
            out.push(PolicyTotal {
                policy: pid,
                subtotal,
                counted,
                capped,
            });
        }
    }
    unpaid_totals(clauses, &mut totals)?;
    Ok((total, totals))
}

/// What policy `pid`'s grants pay, in all and by kind, with the last
/// clause paid (`None` when none is).
#[inline]
fn paid_by(
    pid: PolicyId,
    clauses: &[ClauseResult],
) -> Result<(Money, Totals, Option<&ClauseResult>), &ClauseResult> {
    let mut subtotal = Money::ZERO;
    let mut by_kind = Totals::default();
    let mut last = None;
    for c in clauses
        .iter()
        .filter(|c| c.policy == pid && c.paid.is_some())
    {
        last = Some(c);
        let m = c.paid.unwrap_or_default();
        add(&mut subtotal, m, c)?;
        if !subtotal.has_cents() {
            return Err(c);
        }
        match c.amount_kind {
            Some(AmountKind::Exact) => add(&mut by_kind.exact, m, c)?,
            Some(AmountKind::AtMost | AmountKind::Range) => add(&mut by_kind.at_most, m, c)?,
            Some(AmountKind::AtLeast) => add(&mut by_kind.at_least, m, c)?,
            // Never paid (`overlap` leaves it `None`).
            Some(AmountKind::Discretionary | AmountKind::Reduction) | None => {}
        }
    }
    Ok((subtotal, by_kind, last))
}

/// What a policy contributes under its 合计 最高, by kind, and whether
/// the cap binds.
#[inline]
fn under_total_cap(policy: &PolicyDef, subtotal: Money, by_kind: Totals) -> (Money, Totals, bool) {
    match policy.total_cap {
        Some((cap, _)) if subtotal > cap => {
            // A binding 合计 最高 turns the policy's contribution into
            // the cap itself: exact when every grant was exact, else a
            // ceiling.
            let by_kind = if by_kind.at_most.0.is_zero() && by_kind.at_least.0.is_zero() {
                Totals {
                    exact: cap,
                    ..Totals::default()
                }
            } else {
                Totals {
                    at_most: cap,
                    ..Totals::default()
                }
            };
            (cap, by_kind, true)
        }
        _ => (subtotal, by_kind, false),
    }
}

/// The 酌定 grants and 减免 that apply: counted apart, never paid.
#[inline]
fn unpaid_totals<'a>(
    clauses: &'a [ClauseResult],
    totals: &mut Totals,
) -> Result<(), &'a ClauseResult> {
    for c in clauses.iter().filter(|c| {
        c.status == Status::Applies
            && c.amount_kind == Some(AmountKind::Discretionary)
            && c.displaced_by.is_none()
    }) {
        totals.discretionary += 1;
        if let Some(cap) = c.amount {
            totals.discretionary_capped += 1;
            add(&mut totals.discretionary_cap, cap, c)?;
        }
    }
    for c in clauses.iter().filter(|c| {
        c.status == Status::Applies
            && c.amount_kind == Some(AmountKind::Reduction)
            && c.displaced_by.is_none()
    }) {
        if let Some(m) = c.amount {
            add(&mut totals.reduction, m, c)?;
        }
    }
    Ok(())
}
