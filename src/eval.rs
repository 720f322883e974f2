//! Checked program + one entity's facts + a date → what the entity
//! receives, is exempt from, or must (not) do, and why.

pub mod derive;
mod entity;
pub mod error;
pub mod flat;
#[cfg(test)]
mod oracle;
mod run;
mod settle;
pub mod trace;
pub(crate) mod words;

use chrono::NaiveDate;

pub use crate::ast::AmountKind;
pub use derive::Step;
pub(crate) use entity::{holds, number};
pub use error::{EvalError, EvalErrorKind, Fault, FaultKind};
pub use flat::Flat;
pub use run::{Scratch, Slot};
pub use trace::{Trace, TraceLine};

use crate::facts::Facts;
use crate::num::Money;
use crate::program::{ClauseDef, Cond, Expr, FactId, Loc, PolicyId, Program, ShareDef, WindowDef};

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
    /// A schedule's year the evaluation date falls in (from 1).
    pub year: Option<u32>,
    /// A range's floor (its ceiling is `amount`).
    pub floor: Option<Money>,
    /// A schedule's payments, year by year (empty for other grants, and
    /// for a schedule that does not apply or whose date is missing).
    pub schedule: Vec<Instalment>,
    /// A 每项 grant's items, in the list's order (empty for other grants,
    /// and for one that is neither applying nor undecided).
    pub items: Vec<ItemPay>,
}

/// One item of a 每项 grant: what it pays.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemPay {
    /// Its place in the list, from 1 (`项目[1]` is the first).
    pub index: u32,
    /// Whether it is paid: `NotApplicable` when it fails 其中,
    /// `Undecided` when a field it needs is missing.
    pub status: Status,
    /// What it pays after 每项 最高 and the floor at 0 (`None` unless it
    /// applies).
    pub amount: Option<Money>,
    /// Whether 每项 最高 bound it.
    pub capped: bool,
    /// Whether its amount is in the sum: false when it fails 其中 or is
    /// undecided, and when it applies but `最多 N项` pays N items paying
    /// more (its `amount` is then what it would have paid). While the
    /// grant is undecided, the N are chosen among the items known.
    pub counted: bool,
    /// The facts that left it open: its own fields, and any fact of the
    /// entity the amount reads.
    pub missing: Vec<FactId>,
}

/// `项目[2].项目投资额`: a field of the item of `list` at `index` (from
/// 1); a fact that is no field of the list by its own name.
pub fn item_fact_name(program: &Program, list: FactId, index: u32, fact: FactId) -> String {
    match program.vocab.get(fact).and_then(|d| d.list) {
        Some(l) if l == list => format!(
            "{}[{index}].{}",
            program.vocab.name(list),
            program.vocab.name(fact)
        ),
        _ => program.vocab.name(fact).to_string(),
    }
}

/// One year of a schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Instalment {
    /// The year, from 1.
    pub year: u32,
    /// Its first day: the anniversary of the date the years count from.
    pub from: NaiveDate,
    /// What it pays (`None` when a fact it needs is missing).
    pub amount: Option<Money>,
    /// The kind of the amount.
    pub kind: Option<AmountKind>,
    /// Whether the evaluation date is in this year: its amount is the
    /// clause's.
    pub current: bool,
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
    /// Nothing evaluated yet: the storage an evaluation fills in.
    pub fn empty(date: NaiveDate) -> Self {
        Outcome {
            date,
            clauses: Vec::new(),
            policies: Vec::new(),
            total: Money::ZERO,
            totals: Totals::default(),
            undecided: false,
        }
    }

    /// The result of a clause.
    pub fn clause(&self, policy: PolicyId, index: usize) -> Option<&ClauseResult> {
        self.clauses
            .iter()
            .find(|c| c.policy == policy && c.index == index)
    }
}

/// Evaluates every clause of the program for one entity: the program is
/// compiled for the evaluation date ([`Flat`]) and run with missing facts,
/// and the trace and derivations when asked, collected. A register compiles
/// once instead ([`compile`]) and runs [`Flat::run`] per row.
pub fn evaluate(
    program: &Program,
    facts: &Facts,
    config: &EvalConfig,
) -> Result<Outcome, EvalError> {
    let mut out = Outcome::empty(config.date);
    compile(program, config.date).evaluate_into(facts, config, &mut out)?;
    Ok(out)
}

/// Compiles a checked program for evaluation on `date`.
pub fn compile(program: &Program, date: NaiveDate) -> Flat<'_> {
    flat::compile(program, date)
}

/// A truth value that may be unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    /// Holds.
    Yes,
    /// Does not hold.
    No,
    /// Depends on a missing fact.
    Unknown,
}

/// `Yes` or `No`.
#[inline]
pub(crate) fn tri(b: bool) -> Tri {
    if b { Tri::Yes } else { Tri::No }
}

/// Kleene conjunction: a known `No` decides whatever else is unknown.
#[inline]
pub(crate) fn and(a: Tri, b: Tri) -> Tri {
    match (a, b) {
        (Tri::No, _) | (_, Tri::No) => Tri::No,
        (Tri::Yes, Tri::Yes) => Tri::Yes,
        _ => Tri::Unknown,
    }
}

/// Whether `date` falls in a window, and why not when it does not;
/// `Unknown` when the window hangs on a publication date the text does
/// not give.
pub(crate) fn in_force(date: NaiveDate, window: Option<WindowDef>) -> (Tri, Option<String>) {
    let day = |d: NaiveDate| d.format("%Y年%-m月%-d日");
    match window {
        Some(WindowDef::Unpublished { start, end })
            if start.is_some_and(|s| date < s) || end.is_some_and(|e| date > e) =>
        {
            let note = match (start, end) {
                (_, Some(e)) if date > e => format!("施行期至 {}", day(e)),
                (Some(s), _) => format!("自 {} 起施行", day(s)),
                _ => String::new(),
            };
            (Tri::No, Some(note))
        }
        Some(WindowDef::Unpublished { .. }) => (Tri::Unknown, None),
        Some(WindowDef::Dates(start, end)) if date < start || end.is_some_and(|e| date > e) => {
            let note = match end {
                Some(e) => format!("施行期 {} 至 {}", day(start), day(e)),
                None => format!("自 {} 起施行", day(start)),
            };
            (Tri::No, Some(note))
        }
        Some(WindowDef::Dates(..)) | None => (Tri::Yes, None),
    }
}

/// Where a condition was written (`Cond::True` was not written at all).
pub(crate) fn cond_loc(c: &Cond) -> Loc {
    match c {
        Cond::Fact(_, l) | Cond::EnumIs(_, _, l) | Cond::And(_, l) | Cond::Or(_, l) => *l,
        Cond::Not(_, l) => *l,
        Cond::Cmp { loc, .. } | Cond::Named { loc, .. } | Cond::Consecutive { loc, .. } => *loc,
        Cond::True => Loc::default(),
    }
}

/// Every fact an expression reads, for explanations.
pub fn collect_facts(e: &Expr, out: &mut Vec<FactId>) {
    if let Expr::Fact(id, _) = e
        && !out.contains(id)
    {
        out.push(*id);
    }
    for c in e.children() {
        collect_facts(c, out);
    }
}

/// Why the winner of a matter prevailed over a grant it displaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precedence {
    /// It pays more.
    Higher,
    /// Equal value, a surer kind of amount.
    Kind,
    /// Same policy, equal value and kind: written first.
    Written,
    /// Across policies, equal value and kind: the policy in force later.
    LaterStart,
    /// Across policies, nothing else differs: the title first in
    /// code-point order.
    Title,
    /// Its policy says 以本政策为准.
    ThisPolicy,
    /// A policy says 按现行政策: the one in force first prevails.
    Existing,
}

impl Precedence {
    /// The rule in words, for derivations and `--explain`.
    pub fn words(self) -> &'static str {
        match self {
            Precedence::Higher => "从高取之",
            Precedence::Kind => "金额相同，定额优先于下限、上限和酌定",
            Precedence::Written => "金额和类型相同，取本政策中先写的条款",
            Precedence::LaterStart => "金额和类型相同，取施行较晚的政策",
            Precedence::Title => "金额、类型和施行日期都相同，按政策标题排序",
            Precedence::ThisPolicy => "该政策规定以本政策为准",
            Precedence::Existing => "按现行政策执行，以施行在先的政策为准",
        }
    }
}

impl ClauseResult {
    /// The missing facts by name, a list fact's named item by item
    /// (`项目[2].项目投资额`, the item counted from 1) where its items say
    /// which of their fields are missing.
    pub fn missing_names(&self, program: &Program) -> Vec<String> {
        let mut out = Vec::new();
        for &f in &self.missing {
            let fields: Vec<String> = self
                .items
                .iter()
                .flat_map(|i| i.missing.iter().map(move |m| (i.index, *m)))
                .filter(|(_, m)| program.vocab.get(*m).and_then(|d| d.list) == Some(f))
                .map(|(i, m)| item_fact_name(program, f, i, m))
                .collect();
            if fields.is_empty() {
                out.push(program.vocab.name(f).to_string());
            } else {
                out.extend(fields);
            }
        }
        out
    }

    /// A clause's result before it is decided: not applicable, no amount.
    pub(crate) fn blank(policy: PolicyId, index: usize, kind: ClauseKind) -> Self {
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
            year: None,
            floor: None,
            schedule: Vec::new(),
            items: Vec::new(),
        }
    }

    /// Back to [`ClauseResult::blank`], keeping the lists' storage.
    pub(crate) fn reset(&mut self, policy: PolicyId, index: usize, kind: ClauseKind) {
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
        self.year = None;
        self.floor = None;
        self.schedule.clear();
        self.items.clear();
    }
}

/// The steps overlap and the policies' 合计 caps add to a derivation:
/// who displaced whom, by which rule and by how much.
pub(crate) fn derive_overlap(
    program: &Program,
    clauses: &mut [ClauseResult],
    totals: &[PolicyTotal],
) {
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
    let amount = crate::report::clause_amount_words;
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

/// The unit of a clause's `给予 额度` quota (元 for one counted in money),
/// or `None` for any other clause.
pub fn quota_of<'p>(program: &'p Program, r: &ClauseResult) -> Option<&'p str> {
    program
        .policies
        .get(r.policy)
        .and_then(|p| p.clauses.get(r.index))
        .and_then(ClauseDef::quota)
}

/// A quota's value in its unit: `40万元`, `125亩` (to two decimals, as
/// money is shown).
pub fn quota_value_words(v: Money, unit: &str) -> String {
    if unit == "元" {
        v.to_string()
    } else {
        format!("{}{unit}", v.0.round_dp(2).normalize())
    }
}

/// The quotas granted, summed unit by unit in the order each unit first
/// appears: applying 额度 clauses with a value. Never part of the money
/// total, and one unit never added to another.
pub fn quota_totals(program: &Program, clauses: &[ClauseResult]) -> Vec<(String, Money)> {
    let mut out: Vec<(String, Money)> = Vec::new();
    for r in clauses {
        let (Some(unit), Some(v)) = (quota_of(program, r), r.amount) else {
            continue;
        };
        if r.status != Status::Applies || r.displaced_by.is_some() {
            continue;
        }
        match out.iter_mut().find(|(u, _)| u == unit) {
            Some((_, sum)) => sum.0 = sum.0.saturating_add(v.0),
            None => out.push((unit.to_string(), v)),
        }
    }
    out
}
