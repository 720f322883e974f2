//! Checked program + one entity's facts + a date → what the entity
//! receives, is exempt from, or must (not) do, and why.

mod apply;
pub mod derive;
pub mod error;
pub mod expr;
mod grant;
mod overlap;
pub mod trace;
pub(crate) mod words;

use chrono::NaiveDate;

pub use crate::ast::AmountKind;
pub use derive::Step;
pub use error::{EvalError, EvalErrorKind, Fault, FaultKind};
pub use expr::Tri;
pub use overlap::Precedence;
pub use trace::{Trace, TraceLine};

use crate::facts::Facts;
use crate::num::Money;
use crate::program::{
    Action, ClauseDef, FactId, PolicyDef, PolicyId, Program, ShareDef, WindowDef,
};

/// How to evaluate.
#[derive(Debug, Clone)]
pub struct EvalConfig {
    /// The date of the qualifying event.
    pub date: NaiveDate,
    /// Record the reasoning.
    pub explain: bool,
    /// Record how each amount was reached (`ClauseResult::derivation`);
    /// implied by `explain`.
    pub derive: bool,
    /// Step budget per entity.
    pub fuel: u64,
    /// The day the entity applies, checked against 申报 windows; `None`:
    /// windows are reported, not enforced.
    pub apply_date: Option<NaiveDate>,
}

impl EvalConfig {
    /// Default step budget: far above any real policy set, low enough to
    /// stop a runaway evaluation in well under a second.
    pub const DEFAULT_FUEL: u64 = 10_000_000;

    /// Evaluation on `date`, no explanation.
    pub fn on(date: NaiveDate) -> Self {
        EvalConfig {
            date,
            explain: false,
            derive: false,
            fuel: Self::DEFAULT_FUEL,
            apply_date: None,
        }
    }
}

/// Whether a clause applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Its conditions hold (and, for grants, the amount is known).
    Applies,
    /// Its conditions do not hold.
    NotApplicable,
    /// A fact it needs is missing (or the publication date is unknown).
    Undecided,
    /// The date is outside its window.
    NotInForce,
    /// It would apply, but the application date is outside its 申报
    /// window: nothing is paid (未如期申领的视为自动放弃).
    OutsideApplicationWindow,
}

/// What kind of clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClauseKind {
    /// 给予.
    Grant,
    /// 免于 / 无需.
    Exemption,
    /// 不得.
    Prohibition,
    /// 应当.
    Obligation,
    /// 可 / 鼓励.
    Permission,
}

/// The outcome of a non-grant clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The obligation is met / the prohibited conduct did not happen.
    Met,
    /// The obligation is not met / the prohibited conduct happened.
    Violated,
    /// The conduct fact is missing.
    Undecided,
    /// The entity is exempt.
    Exempt,
}

/// One clause's result.
#[derive(Debug, Clone)]
pub struct ClauseResult {
    /// Its policy.
    pub policy: PolicyId,
    /// Its index in the policy.
    pub index: usize,
    /// Whether it applies.
    pub status: Status,
    /// What kind of clause.
    pub kind: ClauseKind,
    /// The amount (a 上限's ceiling, a 下限's floor, a 酌定's cap).
    pub amount: Option<Money>,
    /// The amount's kind.
    pub amount_kind: Option<AmountKind>,
    /// A cap after a computed amount bound it.
    pub capped: bool,
    /// The amount before the cap bound it.
    pub uncapped: Option<Money>,
    /// The amount was negative and is paid as 0.
    pub floored: bool,
    /// Non-grant outcome.
    pub verdict: Option<Verdict>,
    /// The grant that displaced this one (same matter).
    pub displaced_by: Option<(PolicyId, usize)>,
    /// Which rule made the winner prevail over this grant.
    pub precedence: Option<Precedence>,
    /// The grants this one displaced.
    pub displaced: Vec<(PolicyId, usize)>,
    /// The amount paid after overlap (None: displaced or not a paying grant).
    pub paid: Option<Money>,
    /// Facts that left it undecided.
    pub missing: Vec<FactId>,
    /// The window that excluded it, or "发布日期未定".
    pub window_note: Option<String>,
    /// The reasoning (when explaining).
    pub trace: Vec<TraceLine>,
    /// Which 分别 tier was paid (0-based).
    pub tier: Option<usize>,
    /// How the amount was reached (when deriving).
    pub derivation: Vec<Step>,
}

/// One policy's total for the entity.
#[derive(Debug, Clone)]
pub struct PolicyTotal {
    /// The policy.
    pub policy: PolicyId,
    /// Sum of its paid grants.
    pub subtotal: Money,
    /// What counts after 合计 最高.
    pub counted: Money,
    /// Whether 合计 最高 bound.
    pub capped: bool,
}

/// Totals by kind. A 酌定 grant is never money in a total, capped or
/// not: what it pays is decided case by case, so it is counted apart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Sum of 定额 grants.
    pub exact: Money,
    /// Sum of 上限 ceilings.
    pub at_most: Money,
    /// Sum of 下限 floors.
    pub at_least: Money,
    /// Applying, undisplaced 酌定 grants, capped or not.
    pub discretionary: usize,
    /// Those of them with a stated cap.
    pub discretionary_capped: usize,
    /// The sum of those caps.
    pub discretionary_cap: Money,
    /// Sum of applying 减免 (fees and tolls not charged): shown beside the
    /// total, never in it.
    pub reduction: Money,
}

/// Everything that came out for one entity.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The evaluation date.
    pub date: NaiveDate,
    /// Every clause, in load order.
    pub clauses: Vec<ClauseResult>,
    /// Per-policy totals.
    pub policies: Vec<PolicyTotal>,
    /// 定额 + 上限 (at the ceiling) + 下限 (at the floor), after overlap
    /// and caps; 酌定 grants are not in it.
    pub total: Money,
    /// Totals by kind.
    pub totals: Totals,
    /// Whether any clause is undecided.
    pub undecided: bool,
}

impl Outcome {
    /// The result of a clause.
    pub fn clause(&self, policy: PolicyId, index: usize) -> Option<&ClauseResult> {
        self.clauses
            .iter()
            .find(|c| c.policy == policy && c.index == index)
    }
}

/// Evaluates every clause of the program for one entity.
pub fn evaluate(
    program: &Program,
    facts: &Facts,
    config: &EvalConfig,
) -> Result<Outcome, EvalError> {
    let mut out = Outcome {
        date: config.date,
        clauses: Vec::new(),
        policies: Vec::new(),
        total: Money::ZERO,
        totals: Totals::default(),
        undecided: false,
    };
    evaluate_into(program, facts, config, &mut out)?;
    Ok(out)
}

/// [`evaluate`] into an outcome kept from an earlier entity, reusing its
/// storage: a register evaluates row after row without allocating for the
/// clause results. On `Err`, `out` holds a partial result.
pub fn evaluate_into(
    program: &Program,
    facts: &Facts,
    config: &EvalConfig,
    out: &mut Outcome,
) -> Result<(), EvalError> {
    let ctx = expr::Ctx {
        program,
        facts: &facts.values,
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

impl ClauseResult {
    /// A clause's result before it is decided: not applicable, no amount.
    fn blank(policy: PolicyId, index: usize, kind: ClauseKind) -> Self {
        ClauseResult {
            policy,
            index,
            status: Status::NotApplicable,
            kind,
            amount: None,
            amount_kind: None,
            capped: false,
            uncapped: None,
            floored: false,
            verdict: None,
            displaced_by: None,
            precedence: None,
            displaced: Vec::new(),
            paid: None,
            missing: Vec::new(),
            window_note: None,
            trace: Vec::new(),
            tier: None,
            derivation: Vec::new(),
        }
    }

    /// Back to [`ClauseResult::blank`], keeping the lists' storage.
    fn reset(&mut self, policy: PolicyId, index: usize, kind: ClauseKind) {
        self.policy = policy;
        self.index = index;
        self.status = Status::NotApplicable;
        self.kind = kind;
        self.amount = None;
        self.amount_kind = None;
        self.capped = false;
        self.uncapped = None;
        self.floored = false;
        self.verdict = None;
        self.displaced_by = None;
        self.precedence = None;
        self.displaced.clear();
        self.paid = None;
        self.missing.clear();
        self.window_note = None;
        self.trace.clear();
        self.tier = None;
        self.derivation.clear();
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

/// Kleene conjunction: a known `No` decides whatever else is unknown.
fn and(a: Tri, b: Tri) -> Tri {
    match (a, b) {
        (Tri::No, _) | (_, Tri::No) => Tri::No,
        (Tri::Yes, Tri::Yes) => Tri::Yes,
        _ => Tri::Unknown,
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
    let holds = and(scope, own);
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

/// The steps overlap and the policies' 合计 caps add to a derivation:
/// who displaced whom, by which rule and by how much.
fn derive_overlap(program: &Program, clauses: &mut [ClauseResult], totals: &[PolicyTotal]) {
    let name = |at: (PolicyId, usize)| {
        let p = program.policies.get(at.0);
        let label = p
            .and_then(|p| p.clauses.get(at.1))
            .map_or("", |c| c.label.as_str());
        match p.and_then(|p| p.title.as_deref()) {
            Some(t) => format!("《{t}》“{label}”"),
            None => format!("“{label}”"),
        }
    };
    let amount = |r: &ClauseResult| crate::report::amount_words(r.amount_kind, r.amount);
    let mut notes: Vec<(usize, Step)> = Vec::new();
    for (at, r) in clauses.iter().enumerate() {
        let (Some(by), Some(rule)) = (r.displaced_by, r.precedence) else {
            continue;
        };
        let Some(w) = clauses.iter().find(|c| (c.policy, c.index) == by) else {
            continue;
        };
        let matter = program
            .policies
            .get(r.policy)
            .and_then(|p| p.clauses.get(r.index))
            .map_or("", |c| c.matter.as_str());
        let by_how_much = match (w.amount, r.amount) {
            (Some(a), Some(b)) if a > b => format!("，高出 {}", Money(a.0 - b.0)),
            _ => String::new(),
        };
        notes.push((
            at,
            Step::new(format!(
                "同一事项“{matter}”：{} 给予 {}{by_how_much}，{}，本条不再给予",
                name(by),
                amount(w),
                rule.words()
            )),
        ));
        if let Some(w_at) = clauses.iter().position(|c| (c.policy, c.index) == by) {
            notes.push((
                w_at,
                Step::new(format!(
                    "同一事项“{matter}”：取代 {}（{}），{}",
                    name((r.policy, r.index)),
                    amount(r),
                    rule.words()
                )),
            ));
        }
    }
    for t in totals.iter().filter(|t| t.capped) {
        let Some((cap, _)) = program.policies.get(t.policy).and_then(|p| p.total_cap) else {
            continue;
        };
        for (at, r) in clauses.iter().enumerate() {
            if r.policy == t.policy && r.paid.is_some() {
                notes.push((
                    at,
                    Step::new(format!(
                        "本政策各项合计 {}，超过合计上限 {cap}，合计按 {cap} 计",
                        t.subtotal
                    )),
                ));
            }
        }
    }
    for (at, step) in notes {
        if let Some(r) = clauses.get_mut(at) {
            r.derivation.push(step);
        }
    }
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
            Some(AmountKind::AtMost) => add(&mut by_kind.at_most, m, c)?,
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

/// Splits a paid amount between payers (largest remainder, to the fen).
pub fn shares(program: &Program, r: &ClauseResult) -> Option<Result<Vec<(String, Money)>, ()>> {
    let policy = program.policies.get(r.policy)?;
    let clause = policy.clauses.get(r.index)?;
    let paid = r.paid?;
    match clause.share.as_ref().or(policy.share.as_ref())? {
        ShareDef::BySystem => Some(Err(())),
        ShareDef::Payers(payers) => {
            let weights: Vec<_> = payers.iter().map(|(_, w)| *w).collect();
            // `evaluate` refuses amounts whose fen do not fit, so this
            // always splits.
            let parts = crate::num::split_largest_remainder(paid, &weights)?;
            Some(Ok(payers
                .iter()
                .map(|(n, _)| n.clone())
                .zip(parts)
                .collect()))
        }
    }
}
