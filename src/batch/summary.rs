//! Totals over a register: entities, beneficiaries and amounts per clause,
//! per policy and per payer, split by kind (定额 / 最高 / 不少于, and 酌定
//! grants counted, never summed as money), rows by status and undecided
//! rows by cause, with the facts most often missing. Amounts are summed as
//! shown in the output (each entity's amount rounded to the fen), so the
//! summary equals the sums of the output columns.

use rust_decimal::Decimal;
use serde::Serialize;

use super::plan::ClauseColumn;
use super::row::RowStatus;
use crate::eval::{AmountKind, ClauseResult, Outcome, Status, Verdict};
use crate::num::{Money, split_largest_remainder};
use crate::program::{FactId, Program, ShareDef};

/// The bucket for amounts split 按财政体制 (the text does not say how).
pub const BY_SYSTEM: &str = "按财政体制";
/// The bucket for amounts of policies that declare no 分担.
pub const UNASSIGNED: &str = "未指定分担";

/// How each clause's paid amount is split between payers.
#[derive(Debug, Clone)]
pub struct Payers {
    /// Payer names; the last two are [`BY_SYSTEM`] and [`UNASSIGNED`].
    pub names: Vec<String>,
    /// Per clause (load order): payer indexes and weights.
    splits: Vec<(Vec<usize>, Vec<Decimal>)>,
}

impl Payers {
    /// The payers of every clause of the program.
    pub fn new(program: &Program) -> Payers {
        let share = |policy: &'_ crate::program::PolicyDef,
                     clause: &'_ crate::program::ClauseDef| {
            clause.share.clone().or_else(|| policy.share.clone())
        };
        let mut names: Vec<String> = Vec::new();
        for (policy, clause) in program.clauses() {
            if let Some(ShareDef::Payers(ps)) = share(policy, clause) {
                for (n, _) in ps {
                    if !names.contains(&n) {
                        names.push(n);
                    }
                }
            }
        }
        let by_system = names.len();
        names.push(BY_SYSTEM.into());
        names.push(UNASSIGNED.into());
        let splits = program
            .clauses()
            .map(|(policy, clause)| match share(policy, clause) {
                Some(ShareDef::Payers(ps)) => (
                    ps.iter()
                        .map(|(n, _)| names.iter().position(|x| x == n).unwrap_or(by_system + 1))
                        .collect(),
                    ps.iter().map(|(_, w)| *w).collect(),
                ),
                Some(ShareDef::BySystem) => (vec![by_system], vec![Decimal::ONE]),
                None => (vec![by_system + 1], vec![Decimal::ONE]),
            })
            .collect();
        Payers { names, splits }
    }
}

/// Money by kind, and 酌定 grants counted with their caps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindTally {
    /// 定额 amounts.
    pub exact: Decimal,
    /// 上限 amounts, at their ceilings.
    pub at_most: Decimal,
    /// 下限 amounts, at their floors.
    pub at_least: Decimal,
    /// 酌定 grants that apply (not displaced).
    pub discretionary: u64,
    /// Of those, the ones with a stated cap.
    pub discretionary_capped: u64,
    /// The sum of those caps (a budget bound, not money paid).
    pub discretionary_cap: Decimal,
}

impl KindTally {
    /// Adds an amount of a kind (a 酌定 grant is not money: ignored here).
    fn add(&mut self, kind: Option<AmountKind>, m: Decimal) {
        match kind {
            // A paid grant always has a kind; were one missing, its money
            // would still be counted.
            Some(AmountKind::Exact) | None => plus(&mut self.exact, m),
            Some(AmountKind::AtMost | AmountKind::Range) => plus(&mut self.at_most, m),
            Some(AmountKind::AtLeast) => plus(&mut self.at_least, m),
            // Neither is money received (a 减免 is never paid).
            Some(AmountKind::Discretionary | AmountKind::Reduction) => {}
        }
    }

    /// Counts an applying 酌定 grant.
    fn add_discretionary(&mut self, cap: Option<Money>) {
        self.discretionary += 1;
        if let Some(c) = cap {
            self.discretionary_capped += 1;
            self.discretionary_cap += c.rounded();
        }
    }

    fn merge(&mut self, o: &KindTally) {
        self.exact += o.exact;
        self.at_most += o.at_most;
        self.at_least += o.at_least;
        self.discretionary += o.discretionary;
        self.discretionary_capped += o.discretionary_capped;
        self.discretionary_cap += o.discretionary_cap;
    }

    fn sub_money(&mut self, o: &KindTally) {
        self.exact -= o.exact;
        self.at_most -= o.at_most;
        self.at_least -= o.at_least;
    }

    /// The money (酌定 excluded).
    pub fn money(&self) -> Decimal {
        self.exact + self.at_most + self.at_least
    }
}

/// Adds `m` to a sum. Most of what a row adds is zero, and a sum is only
/// shown to the fen, so skipping it changes nothing.
#[inline]
fn plus(acc: &mut Decimal, m: Decimal) {
    if !m.is_zero() {
        crate::num::add_decimal(acc, m);
    }
}

/// Whether a result is an applying 酌定 grant that nothing displaced.
fn discretionary(r: &ClauseResult) -> bool {
    r.status == Status::Applies
        && r.amount_kind == Some(AmountKind::Discretionary)
        && r.displaced_by.is_none()
}

/// One clause's counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClauseTally {
    /// Entities for which it applies.
    pub applies: u64,
    /// Entities paid more than zero.
    pub beneficiaries: u64,
    /// Sum of the paid amounts, each rounded to the fen (酌定 excluded).
    pub amount: Decimal,
    /// Entities for which it is undecided.
    pub undecided: u64,
    /// The amount by kind, and 酌定 counts.
    pub kinds: KindTally,
    /// A `给予 额度` clause: the sum of its quotas, each rounded to two
    /// decimals, in its unit (never money paid, never in `amount`).
    pub quota: Decimal,
}

/// One policy's counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PolicyTally {
    /// Entities paid more than zero (after 合计 最高).
    pub beneficiaries: u64,
    /// Sum of what counts after 合计 最高, each rounded to the fen.
    pub amount: Decimal,
    /// Entities with an undecided clause in the policy.
    pub undecided: u64,
    /// Entities whose 合计 最高 bound.
    pub capped: u64,
    /// What counts by kind (a binding 合计 最高 is 定额 when every grant
    /// under it was, else 最高), and 酌定 counts.
    pub kinds: KindTally,
}

/// Counts over some rows; tallies of consecutive blocks merge.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Rows written (evaluated or in error).
    pub rows: u64,
    /// Rows evaluated.
    pub entities: u64,
    /// Rows in error.
    pub errors: u64,
    /// Entities with an undecided clause.
    pub undecided: u64,
    /// Undecided rows with missing facts (`待定（缺 N 项）`).
    pub undecided_missing: u64,
    /// Undecided rows with no missing fact, waiting for a publication
    /// date (`待定（发布日期未定）`).
    pub undecided_unpublished: u64,
    /// Rows `可获得`.
    pub paid: u64,
    /// Rows `不适用`.
    pub not_applicable: u64,
    /// Entities whose 合计 is more than zero.
    pub beneficiaries: u64,
    /// Sum of 合计, each rounded to the fen.
    pub total: Decimal,
    /// Sums of the kind columns.
    pub kinds: KindTally,
    /// Per clause, load order.
    pub clauses: Vec<ClauseTally>,
    /// Per policy.
    pub policies: Vec<PolicyTally>,
    /// Per payer (see [`Payers::names`]).
    pub payers: Vec<KindTally>,
    /// Per fact slot: undecided rows that miss it.
    pub missing: Vec<u64>,
    /// Per fact slot: undecided rows for which it is the only thing
    /// missing (knowing it decides the row).
    pub decides: Vec<u64>,
    /// Per clause, load order: whether it grants a quota.
    pub quota: Vec<bool>,
}

impl Tally {
    /// Zero counts shaped for a program.
    pub fn new(program: &Program, payers: &Payers) -> Tally {
        Tally {
            clauses: vec![ClauseTally::default(); program.clauses().count()],
            policies: vec![PolicyTally::default(); program.policies.len()],
            payers: vec![KindTally::default(); payers.names.len()],
            missing: vec![0; program.vocab.facts.len()],
            decides: vec![0; program.vocab.facts.len()],
            quota: program
                .clauses()
                .map(|(_, c)| c.quota().is_some())
                .collect(),
            ..Tally::default()
        }
    }

    /// Counts a row in error.
    pub fn add_error(&mut self) {
        self.rows += 1;
        self.errors += 1;
    }

    /// Counts an evaluated entity (with its kind amounts as shown, see
    /// [`super::row::kinds_shown`]), its status and its missing facts.
    /// `written`: the clauses, in load order, whose result is other than
    /// blank (the run's [`crate::eval::Scratch`] lists them); a blank
    /// result counts nothing, so only these are visited.
    pub fn add(
        &mut self,
        payers: &Payers,
        (outcome, shown, written): (&Outcome, [Money; 3], &[usize]),
        status: RowStatus,
        missing: &[FactId],
    ) {
        self.rows += 1;
        self.entities += 1;
        self.undecided += u64::from(outcome.undecided);
        self.count_status(status, missing);
        let total = outcome.total.rounded();
        plus(&mut self.total, total);
        self.beneficiaries += u64::from(total > Decimal::ZERO);
        let [exact, at_most, at_least] = shown;
        plus(&mut self.kinds.exact, exact.0);
        plus(&mut self.kinds.at_most, at_most.0);
        plus(&mut self.kinds.at_least, at_least.0);
        self.add_clauses(payers, outcome, written);
        self.add_policies(outcome);
    }

    fn count_status(&mut self, status: RowStatus, missing: &[FactId]) {
        match status {
            RowStatus::Undecided {
                missing: n,
                unpublished,
            } => {
                if n > 0 {
                    self.undecided_missing += 1;
                } else {
                    self.undecided_unpublished += 1;
                }
                for f in missing {
                    if let Some(c) = self.missing.get_mut(*f) {
                        *c += 1;
                    }
                }
                if let ([only], false) = (missing, unpublished)
                    && let Some(c) = self.decides.get_mut(*only)
                {
                    *c += 1;
                }
            }
            RowStatus::Paid => self.paid += 1,
            RowStatus::NotApplicable => self.not_applicable += 1,
            RowStatus::Error => {}
        }
    }

    /// Each clause's result, into its column, its policy and its payers.
    fn add_clauses(&mut self, payers: &Payers, outcome: &Outcome, written: &[usize]) {
        let mut last_undecided_policy = None;
        for &at in written {
            let (Some(r), Some(ct), Some(split)) = (
                outcome.clauses.get(at),
                self.clauses.get_mut(at),
                payers.splits.get(at),
            ) else {
                continue;
            };
            if r.status == Status::Undecided || r.verdict == Some(Verdict::Undecided) {
                ct.undecided += 1;
                if last_undecided_policy != Some(r.policy) {
                    last_undecided_policy = Some(r.policy);
                    if let Some(pt) = self.policies.get_mut(r.policy) {
                        pt.undecided += 1;
                    }
                }
            }
            ct.applies += u64::from(r.status == Status::Applies);
            if self.quota.get(at).copied().unwrap_or(false) {
                if r.status == Status::Applies
                    && let Some(v) = r.amount
                {
                    ct.quota += v.0.round_dp(2);
                }
                continue;
            }
            if discretionary(r) {
                ct.kinds.add_discretionary(r.amount);
                self.kinds.add_discretionary(r.amount);
                if let Some(pt) = self.policies.get_mut(r.policy) {
                    pt.kinds.add_discretionary(r.amount);
                }
                continue;
            }
            let Some(paid) = r.paid else { continue };
            let m = paid.rounded();
            plus(&mut ct.amount, m);
            ct.kinds.add(r.amount_kind, m);
            ct.beneficiaries += u64::from(m > Decimal::ZERO);
            if m.is_zero() {
                continue;
            }
            if let Some(pt) = self.policies.get_mut(r.policy) {
                pt.kinds.add(r.amount_kind, m);
            }
            pay(&mut self.payers, split, r.amount_kind, (paid, m));
        }
    }

    /// Each policy's counted amount, after its 合计 cap.
    fn add_policies(&mut self, outcome: &Outcome) {
        for p in &outcome.policies {
            if let Some(pt) = self.policies.get_mut(p.policy) {
                let m = p.counted.rounded();
                crate::num::add_decimal(&mut pt.amount, m);
                pt.beneficiaries += u64::from(m > Decimal::ZERO);
                pt.capped += u64::from(p.capped);
                if p.capped {
                    // The clauses were added as paid; what counts is the cap.
                    let mut under = KindTally::default();
                    for r in outcome.clauses.iter().filter(|r| r.policy == p.policy) {
                        if let (Some(paid), false) = (r.paid, discretionary(r)) {
                            under.add(r.amount_kind, paid.rounded());
                        }
                    }
                    pt.kinds.sub_money(&under);
                    if under.at_most.is_zero() && under.at_least.is_zero() {
                        pt.kinds.exact += m;
                    } else {
                        pt.kinds.at_most += m;
                    }
                }
            }
        }
    }

    /// Adds the counts of the rows that follow.
    pub fn merge(&mut self, other: &Tally) {
        self.rows += other.rows;
        self.entities += other.entities;
        self.errors += other.errors;
        self.undecided += other.undecided;
        self.undecided_missing += other.undecided_missing;
        self.undecided_unpublished += other.undecided_unpublished;
        self.paid += other.paid;
        self.not_applicable += other.not_applicable;
        self.beneficiaries += other.beneficiaries;
        self.total += other.total;
        self.kinds.merge(&other.kinds);
        for (a, b) in self.clauses.iter_mut().zip(&other.clauses) {
            a.applies += b.applies;
            a.beneficiaries += b.beneficiaries;
            a.amount += b.amount;
            a.undecided += b.undecided;
            a.kinds.merge(&b.kinds);
            a.quota += b.quota;
        }
        for (a, b) in self.policies.iter_mut().zip(&other.policies) {
            a.beneficiaries += b.beneficiaries;
            a.amount += b.amount;
            a.undecided += b.undecided;
            a.capped += b.capped;
            a.kinds.merge(&b.kinds);
        }
        for (a, b) in self.payers.iter_mut().zip(&other.payers) {
            a.merge(b);
        }
        for (a, b) in self.missing.iter_mut().zip(&other.missing) {
            *a += *b;
        }
        for (a, b) in self.decides.iter_mut().zip(&other.decides) {
            *a += *b;
        }
    }
}

/// Money by kind in the summary.
#[derive(Debug, Clone, Serialize)]
pub struct Kinds {
    /// 定额.
    pub exact: Money,
    /// 最高 (上限 at their ceilings).
    pub at_most: Money,
    /// 不少于 (下限 at their floors).
    pub at_least: Money,
    /// 酌定 grants that apply (never in a money total).
    pub discretionary: u64,
    /// Of those, the ones with a cap.
    pub discretionary_capped: u64,
    /// The sum of their caps.
    pub discretionary_cap: Money,
}

impl From<&KindTally> for Kinds {
    fn from(k: &KindTally) -> Kinds {
        Kinds {
            exact: Money(k.exact),
            at_most: Money(k.at_most),
            at_least: Money(k.at_least),
            discretionary: k.discretionary,
            discretionary_capped: k.discretionary_capped,
            discretionary_cap: Money(k.discretionary_cap),
        }
    }
}

impl Kinds {
    /// `定额 X；最高 Y；不少于 Z；酌定 N 项（其中 M 项设上限，上限合计 W）`,
    /// leaving out the parts that are zero.
    pub fn words(&self) -> String {
        let mut parts = Vec::new();
        for (name, m) in [
            ("定额", self.exact),
            ("最高", self.at_most),
            ("不少于", self.at_least),
        ] {
            if !m.0.is_zero() {
                parts.push(format!("{name} {} 元", m.to_yuan_string()));
            }
        }
        if self.discretionary > 0 {
            let mut d = format!("酌定 {} 项", self.discretionary);
            if self.discretionary_capped > 0 {
                d.push_str(&format!(
                    "（其中 {} 项设上限，上限合计 {} 元）",
                    self.discretionary_capped,
                    self.discretionary_cap.to_yuan_string()
                ));
            }
            parts.push(d);
        }
        parts.join("；")
    }
}

/// One clause in the summary.
#[derive(Debug, Clone, Serialize)]
pub struct ClauseSummary {
    /// The policy's title.
    pub policy: Option<String>,
    /// The clause label.
    pub clause: String,
    /// The output column.
    pub column: String,
    /// 事项.
    pub matter: String,
    /// Whether it grants money.
    pub grant: bool,
    /// Entities for which it applies.
    pub applies: u64,
    /// Entities paid more than zero.
    pub beneficiaries: u64,
    /// Total paid (sum of the column; 酌定 grants have none).
    pub amount: Money,
    /// Entities for which it is undecided.
    pub undecided: u64,
    /// The amount by kind, and 酌定 counts.
    pub kinds: Kinds,
    /// A `给予 额度` clause: its quotas summed, in its unit; `null` for
    /// any other clause.
    pub quota: Option<QuotaSummary>,
}

/// The quotas of a clause or of all clauses in one unit: never money paid.
#[derive(Debug, Clone, Serialize)]
pub struct QuotaSummary {
    /// The unit: 亩 or another quantity's, or 元.
    pub unit: String,
    /// The sum (元 to the fen, another unit as a plain number).
    pub amount: String,
}

impl QuotaSummary {
    fn new(unit: &str, v: Decimal) -> QuotaSummary {
        QuotaSummary {
            unit: unit.to_string(),
            amount: if unit == "元" {
                Money(v).to_yuan_string()
            } else {
                v.normalize().to_string()
            },
        }
    }
}

/// One policy in the summary.
#[derive(Debug, Clone, Serialize)]
pub struct PolicySummary {
    /// The title.
    pub policy: Option<String>,
    /// Entities paid more than zero.
    pub beneficiaries: u64,
    /// Total paid after 合计 最高.
    pub amount: Money,
    /// Entities with an undecided clause in the policy.
    pub undecided: u64,
    /// Entities whose 合计 最高 bound.
    pub capped: u64,
    /// 预算, when declared.
    pub budget: Option<Money>,
    /// The amount by kind, and 酌定 counts.
    pub kinds: Kinds,
}

/// One payer in the summary.
#[derive(Debug, Clone, Serialize)]
pub struct PayerSummary {
    /// The payer (or 按财政体制 / 未指定分担).
    pub payer: String,
    /// Its share of the clause amounts (largest remainder per entity).
    pub amount: Money,
    /// The share by kind.
    pub kinds: Kinds,
}

/// Rows by their `状态`.
#[derive(Debug, Clone, Serialize)]
pub struct StatusCounts {
    /// `可获得`.
    pub paid: u64,
    /// `待定（…）`.
    pub undecided: u64,
    /// `不适用`.
    pub not_applicable: u64,
    /// `错误：…`.
    pub error: u64,
}

/// Undecided rows by cause.
#[derive(Debug, Clone, Serialize)]
pub struct UndecidedCauses {
    /// Rows missing facts (`待定（缺 N 项）`).
    pub missing_facts: u64,
    /// Rows missing no fact, waiting for a publication date
    /// (`待定（发布日期未定）`).
    pub unpublished: u64,
}

/// A fact that undecided rows miss.
#[derive(Debug, Clone, Serialize)]
pub struct MissingFact {
    /// The vocabulary word.
    pub fact: String,
    /// Undecided rows missing it.
    pub rows: u64,
    /// Rows for which it is the only thing missing: knowing it decides
    /// them.
    pub decides: u64,
}

/// How many missing facts the summary lists.
pub const MISSING_LISTED: usize = 20;

/// The summary of a register (`--summary` writes it as JSON).
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Schema version of this JSON.
    pub schema: u32,
    /// The evaluation date.
    pub date: String,
    /// Rows written.
    pub rows: u64,
    /// Rows evaluated.
    pub entities: u64,
    /// Rows in error.
    pub errors: u64,
    /// Entities with an undecided clause.
    pub undecided: u64,
    /// Entities whose 合计 is more than zero.
    pub beneficiaries: u64,
    /// Sum of the 合计 column (定额 + 最高 + 不少于; 酌定 never counts).
    pub total: Money,
    /// Sums of the kind columns, and 酌定 counts and caps.
    pub kinds: Kinds,
    /// Rows by `状态`.
    pub status: StatusCounts,
    /// Undecided rows by cause.
    pub undecided_by_cause: UndecidedCauses,
    /// The facts most often missing, most rows first.
    pub missing_facts: Vec<MissingFact>,
    /// Per clause.
    pub clauses: Vec<ClauseSummary>,
    /// Per policy.
    pub policies: Vec<PolicySummary>,
    /// Per payer (only those with an amount).
    pub payers: Vec<PayerSummary>,
    /// The quotas granted (`给予 额度`), unit by unit: never in `total`.
    pub quotas: Vec<QuotaSummary>,
}

fn clause_summaries(
    program: &Program,
    columns: &[ClauseColumn],
    tally: &Tally,
) -> Vec<ClauseSummary> {
    columns
        .iter()
        .zip(&tally.clauses)
        .map(|(col, t)| {
            let policy = program.policies.get(col.policy);
            let clause = policy.and_then(|p| p.clauses.get(col.index));
            ClauseSummary {
                policy: policy.and_then(|p| p.title.clone()),
                clause: clause.map(|c| c.label.clone()).unwrap_or_default(),
                column: col.name.clone(),
                matter: clause.map(|c| c.matter.clone()).unwrap_or_default(),
                grant: col.grant,
                applies: t.applies,
                beneficiaries: t.beneficiaries,
                amount: Money(t.amount),
                undecided: t.undecided,
                kinds: Kinds::from(&t.kinds),
                quota: col.quota.as_deref().map(|u| QuotaSummary::new(u, t.quota)),
            }
        })
        .collect()
}

/// The quotas over all clauses, unit by unit in the order each first
/// appears; one unit is never added to another.
fn quota_summaries(columns: &[ClauseColumn], tally: &Tally) -> Vec<QuotaSummary> {
    let mut sums: Vec<(&str, Decimal)> = Vec::new();
    for (col, t) in columns.iter().zip(&tally.clauses) {
        let Some(unit) = col.quota.as_deref() else {
            continue;
        };
        match sums.iter_mut().find(|(u, _)| *u == unit) {
            Some((_, sum)) => *sum += t.quota,
            None => sums.push((unit, t.quota)),
        }
    }
    sums.into_iter()
        .map(|(u, v)| QuotaSummary::new(u, v))
        .collect()
}

fn policy_summaries(program: &Program, tally: &Tally) -> Vec<PolicySummary> {
    program
        .policies
        .iter()
        .zip(&tally.policies)
        .map(|(p, t)| PolicySummary {
            policy: p.title.clone(),
            beneficiaries: t.beneficiaries,
            amount: Money(t.amount),
            undecided: t.undecided,
            capped: t.capped,
            budget: p.budget,
            kinds: Kinds::from(&t.kinds),
        })
        .collect()
}

fn payer_summaries(payers: &Payers, tally: &Tally) -> Vec<PayerSummary> {
    payers
        .names
        .iter()
        .zip(&tally.payers)
        .filter(|(_, a)| !a.money().is_zero())
        .map(|(n, a)| PayerSummary {
            payer: n.clone(),
            amount: Money(a.money()),
            kinds: Kinds::from(a),
        })
        .collect()
}

/// A paid amount into its payers' tallies: whole to a sole payer, else
/// split by the shares to the fen.
#[inline]
fn pay(
    tallies: &mut [KindTally],
    split: &(Vec<usize>, Vec<Decimal>),
    kind: Option<AmountKind>,
    (paid, m): (Money, Decimal),
) {
    let (idx, weights) = split;
    if let [only] = idx.as_slice() {
        if let Some(p) = tallies.get_mut(*only) {
            p.add(kind, m);
        }
    } else {
        // `evaluate` refuses amounts whose fen do not fit, so the
        // split always succeeds.
        let parts = split_largest_remainder(paid, weights).unwrap_or_default();
        for (i, part) in idx.iter().zip(parts) {
            if let Some(p) = tallies.get_mut(*i) {
                p.add(kind, part.0);
            }
        }
    }
}

/// The facts missing in most rows, at most [`MISSING_LISTED`].
fn missing_facts(program: &Program, tally: &Tally) -> Vec<MissingFact> {
    let mut missing_facts: Vec<MissingFact> = tally
        .missing
        .iter()
        .zip(&tally.decides)
        .enumerate()
        .filter(|(_, (rows, _))| **rows > 0)
        .map(|(f, (rows, decides))| MissingFact {
            fact: program.vocab.name(f).to_string(),
            rows: *rows,
            decides: *decides,
        })
        .collect();
    // Most rows first, then most rows decided, then the word: the same
    // list whatever the order of files or rows.
    missing_facts.sort_by(|a, b| {
        (b.rows, b.decides)
            .cmp(&(a.rows, a.decides))
            .then_with(|| a.fact.cmp(&b.fact))
    });
    missing_facts.truncate(MISSING_LISTED);
    missing_facts
}

impl Summary {
    /// The JSON schema: 2 since `total` excludes 酌定 caps and the kinds,
    /// statuses and causes were added.
    pub const SCHEMA: u32 = 2;

    /// Names the counts.
    pub fn new(
        program: &Program,
        columns: &[ClauseColumn],
        payers: &Payers,
        tally: &Tally,
        date: chrono::NaiveDate,
    ) -> Summary {
        let clauses = clause_summaries(program, columns, tally);
        let quotas = quota_summaries(columns, tally);
        let policies = policy_summaries(program, tally);
        let payers = payer_summaries(payers, tally);
        let missing_facts = missing_facts(program, tally);
        Summary {
            schema: Self::SCHEMA,
            date: date.to_string(),
            rows: tally.rows,
            entities: tally.entities,
            errors: tally.errors,
            undecided: tally.undecided,
            beneficiaries: tally.beneficiaries,
            total: Money(tally.total),
            kinds: Kinds::from(&tally.kinds),
            status: StatusCounts {
                paid: tally.paid,
                undecided: tally.undecided,
                not_applicable: tally.not_applicable,
                error: tally.errors,
            },
            undecided_by_cause: UndecidedCauses {
                missing_facts: tally.undecided_missing,
                unpublished: tally.undecided_unpublished,
            },
            missing_facts,
            clauses,
            policies,
            payers,
            quotas,
        }
    }

    /// The summary as Chinese tables, for stderr.
    pub fn human(&self) -> String {
        let mut out = self.headline();
        out.push_str(&format!(
            "{}\n{}\n",
            self.clause_table(),
            self.policy_table()
        ));
        if !self.payers.is_empty() {
            out.push_str(&format!("{}\n", self.payer_table()));
        }
        out.push_str(&self.quota_line());
        if !self.missing_facts.is_empty() {
            out.push_str(&format!("{}\n", self.missing_table()));
        }
        out
    }

    /// The counts by status, then the beneficiaries and the total.
    fn headline(&self) -> String {
        // The JSON keeps the ISO date; people read 年月日 as everywhere else.
        let date = chrono::NaiveDate::parse_from_str(&self.date, "%Y-%m-%d").map_or_else(
            |_| self.date.clone(),
            |d| d.format("%Y年%-m月%-d日").to_string(),
        );
        let mut out = format!(
            "评估日期 {}：共 {} 行；可获得 {} 家，待定 {} 家（缺事实 {} 家，发布日期未定 {} 家），不适用 {} 家，错误 {} 行\n",
            date,
            self.rows,
            self.status.paid,
            self.status.undecided,
            self.undecided_by_cause.missing_facts,
            self.undecided_by_cause.unpublished,
            self.status.not_applicable,
            self.status.error,
        );
        let kinds = self.kinds.words();
        out.push_str(&format!(
            "受益 {} 家，合计 {} 元{}\n",
            self.beneficiaries,
            yuan(self.total),
            if kinds.is_empty() {
                String::new()
            } else {
                format!("（{kinds}）")
            }
        ));
        out
    }

    /// One line per grant clause.
    fn clause_table(&self) -> comfy_table::Table {
        let mut clauses = table(vec![
            "条款",
            "适用",
            "受益主体",
            "定额",
            "最高",
            "不少于",
            "酌定项",
            "酌定上限",
            "待定",
        ]);
        for c in self.clauses.iter().filter(|c| c.grant) {
            let k = &c.kinds;
            clauses.add_row(vec![
                c.column.clone(),
                c.applies.to_string(),
                c.beneficiaries.to_string(),
                yuan(k.exact),
                yuan(k.at_most),
                yuan(k.at_least),
                count(k.discretionary),
                if k.discretionary_capped > 0 {
                    yuan(k.discretionary_cap)
                } else {
                    String::new()
                },
                c.undecided.to_string(),
            ]);
        }
        clauses
    }

    /// `额度（不付钱，不计入合计）：土地 225亩；保函 48万元`: each 额度
    /// clause's quotas; nothing when there is none.
    fn quota_line(&self) -> String {
        let parts: Vec<String> = self
            .clauses
            .iter()
            .filter_map(|c| {
                let q = c.quota.as_ref()?;
                let v = q.amount.parse::<Decimal>().ok()?;
                Some(format!(
                    "{} {}",
                    c.column,
                    crate::eval::quota_value_words(Money(v), &q.unit)
                ))
            })
            .collect();
        if parts.is_empty() {
            return String::new();
        }
        format!(
            "额度（不付钱的额度和指标，不计入合计）：{}\n",
            parts.join("；")
        )
    }

    /// One line per policy.
    fn policy_table(&self) -> comfy_table::Table {
        let mut policies = table(vec![
            "政策",
            "受益主体",
            "金额（元）",
            "定额",
            "最高",
            "不少于",
            "酌定项",
            "预算",
            "待定",
        ]);
        for p in &self.policies {
            let k = &p.kinds;
            policies.add_row(vec![
                p.policy
                    .as_deref()
                    .map_or("（顶层条款）".into(), |t| format!("《{t}》")),
                p.beneficiaries.to_string(),
                yuan(p.amount),
                yuan(k.exact),
                yuan(k.at_most),
                yuan(k.at_least),
                count(k.discretionary),
                p.budget.map_or(String::new(), |b| b.to_string()),
                p.undecided.to_string(),
            ]);
        }
        policies
    }

    /// One line per payer.
    fn payer_table(&self) -> comfy_table::Table {
        let mut payers = table(vec!["承担方", "金额（元）", "定额", "最高", "不少于"]);
        for p in &self.payers {
            payers.add_row(vec![
                p.payer.clone(),
                yuan(p.amount),
                yuan(p.kinds.exact),
                yuan(p.kinds.at_most),
                yuan(p.kinds.at_least),
            ]);
        }
        payers
    }

    /// The facts most often missing.
    fn missing_table(&self) -> comfy_table::Table {
        let mut missing = table(vec!["最常缺少的事实", "缺少的行数", "补上即可判定的行数"]);
        for m in &self.missing_facts {
            missing.add_row(vec![
                m.fact.clone(),
                m.rows.to_string(),
                m.decides.to_string(),
            ]);
        }
        missing
    }
}

/// A table of the summary, the same look for every one.
fn table(header: Vec<&str>) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
        .force_no_tty()
        .set_header(header);
    t
}

fn yuan(m: Money) -> String {
    m.to_yuan_string()
}

/// A count, empty when none.
fn count(n: u64) -> String {
    if n == 0 { String::new() } else { n.to_string() }
}
