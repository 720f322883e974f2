//! Totals over a register: entities, beneficiaries and amounts per clause,
//! per policy and per payer, and undecided counts. Amounts are summed as
//! shown in the output (each entity's amount rounded to the fen), so the
//! summary equals the sums of the output columns.

use rust_decimal::Decimal;
use serde::Serialize;

use super::plan::ClauseColumn;
use crate::eval::{Outcome, Status, Verdict};
use crate::num::{Money, split_largest_remainder};
use crate::program::{Program, ShareDef};

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

/// One clause's counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClauseTally {
    /// Entities for which it applies.
    pub applies: u64,
    /// Entities paid more than zero.
    pub beneficiaries: u64,
    /// Sum of the paid amounts, each rounded to the fen.
    pub amount: Decimal,
    /// Entities for which it is undecided.
    pub undecided: u64,
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
    /// Entities whose 合计 is more than zero.
    pub beneficiaries: u64,
    /// Sum of 合计, each rounded to the fen.
    pub total: Decimal,
    /// Per clause, load order.
    pub clauses: Vec<ClauseTally>,
    /// Per policy.
    pub policies: Vec<PolicyTally>,
    /// Per payer (see [`Payers::names`]).
    pub payers: Vec<Decimal>,
}

impl Tally {
    /// Zero counts shaped for a program.
    pub fn new(program: &Program, payers: &Payers) -> Tally {
        Tally {
            clauses: vec![ClauseTally::default(); program.clauses().count()],
            policies: vec![PolicyTally::default(); program.policies.len()],
            payers: vec![Decimal::ZERO; payers.names.len()],
            ..Tally::default()
        }
    }

    /// Counts a row in error.
    pub fn add_error(&mut self) {
        self.rows += 1;
        self.errors += 1;
    }

    /// Counts an evaluated entity.
    pub fn add(&mut self, payers: &Payers, outcome: &Outcome) {
        self.rows += 1;
        self.entities += 1;
        self.undecided += u64::from(outcome.undecided);
        let total = outcome.total.rounded();
        self.total += total;
        self.beneficiaries += u64::from(total > Decimal::ZERO);
        let mut last_undecided_policy = None;
        for ((r, ct), split) in outcome
            .clauses
            .iter()
            .zip(self.clauses.iter_mut())
            .zip(&payers.splits)
        {
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
            let Some(paid) = r.paid else { continue };
            let m = paid.rounded();
            ct.amount += m;
            ct.beneficiaries += u64::from(m > Decimal::ZERO);
            if m.is_zero() {
                continue;
            }
            let (idx, weights) = split;
            if let [only] = idx.as_slice() {
                if let Some(p) = self.payers.get_mut(*only) {
                    *p += m;
                }
            } else {
                // `evaluate` refuses amounts whose fen do not fit, so the
                // split always succeeds.
                let parts = split_largest_remainder(paid, weights).unwrap_or_default();
                for (i, part) in idx.iter().zip(parts) {
                    if let Some(p) = self.payers.get_mut(*i) {
                        *p += part.0;
                    }
                }
            }
        }
        for p in &outcome.policies {
            if let Some(pt) = self.policies.get_mut(p.policy) {
                let m = p.counted.rounded();
                pt.amount += m;
                pt.beneficiaries += u64::from(m > Decimal::ZERO);
                pt.capped += u64::from(p.capped);
            }
        }
    }

    /// Adds the counts of the rows that follow.
    pub fn merge(&mut self, other: &Tally) {
        self.rows += other.rows;
        self.entities += other.entities;
        self.errors += other.errors;
        self.undecided += other.undecided;
        self.beneficiaries += other.beneficiaries;
        self.total += other.total;
        for (a, b) in self.clauses.iter_mut().zip(&other.clauses) {
            a.applies += b.applies;
            a.beneficiaries += b.beneficiaries;
            a.amount += b.amount;
            a.undecided += b.undecided;
        }
        for (a, b) in self.policies.iter_mut().zip(&other.policies) {
            a.beneficiaries += b.beneficiaries;
            a.amount += b.amount;
            a.undecided += b.undecided;
            a.capped += b.capped;
        }
        for (a, b) in self.payers.iter_mut().zip(&other.payers) {
            *a += *b;
        }
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
    /// Total paid (sum of the column).
    pub amount: Money,
    /// Entities for which it is undecided.
    pub undecided: u64,
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
}

/// One payer in the summary.
#[derive(Debug, Clone, Serialize)]
pub struct PayerSummary {
    /// The payer (or 按财政体制 / 未指定分担).
    pub payer: String,
    /// Its share of the clause amounts (largest remainder per entity).
    pub amount: Money,
}

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
    /// Sum of the 合计 column.
    pub total: Money,
    /// Per clause.
    pub clauses: Vec<ClauseSummary>,
    /// Per policy.
    pub policies: Vec<PolicySummary>,
    /// Per payer (only those with an amount).
    pub payers: Vec<PayerSummary>,
}

impl Summary {
    /// Names the counts.
    pub fn new(
        program: &Program,
        columns: &[ClauseColumn],
        payers: &Payers,
        tally: &Tally,
        date: chrono::NaiveDate,
    ) -> Summary {
        let clauses = columns
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
                }
            })
            .collect();
        let policies = program
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
            })
            .collect();
        let payers = payers
            .names
            .iter()
            .zip(&tally.payers)
            .filter(|(_, a)| !a.is_zero())
            .map(|(n, a)| PayerSummary {
                payer: n.clone(),
                amount: Money(*a),
            })
            .collect();
        Summary {
            schema: 1,
            date: date.to_string(),
            rows: tally.rows,
            entities: tally.entities,
            errors: tally.errors,
            undecided: tally.undecided,
            beneficiaries: tally.beneficiaries,
            total: Money(tally.total),
            clauses,
            policies,
            payers,
        }
    }

    /// The summary as Chinese tables, for stderr.
    pub fn human(&self) -> String {
        use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
        let table = |header: Vec<&str>| {
            let mut t = Table::new();
            t.load_style(UTF8_FULL_CONDENSED)
                .force_no_tty()
                .set_header(header);
            t
        };
        let mut clauses = table(vec!["条款", "适用", "受益主体", "金额（元）", "待定"]);
        for c in self.clauses.iter().filter(|c| c.grant) {
            clauses.add_row(vec![
                c.column.clone(),
                c.applies.to_string(),
                c.beneficiaries.to_string(),
                c.amount.to_yuan_string(),
                c.undecided.to_string(),
            ]);
        }
        let mut policies = table(vec!["政策", "受益主体", "金额（元）", "预算", "待定"]);
        for p in &self.policies {
            policies.add_row(vec![
                p.policy
                    .as_deref()
                    .map_or("（顶层条款）".into(), |t| format!("《{t}》")),
                p.beneficiaries.to_string(),
                p.amount.to_yuan_string(),
                p.budget.map_or(String::new(), |b| b.to_string()),
                p.undecided.to_string(),
            ]);
        }
        let mut out = format!(
            "评估日期 {}：共 {} 行，评估 {} 家（其中待定 {} 家），错误 {} 行；受益 {} 家，合计 {} 元\n{clauses}\n{policies}\n",
            self.date,
            self.rows,
            self.entities,
            self.undecided,
            self.errors,
            self.beneficiaries,
            self.total.to_yuan_string()
        );
        if !self.payers.is_empty() {
            let mut payers = table(vec!["承担方", "金额（元）"]);
            for p in &self.payers {
                payers.add_row(vec![p.payer.clone(), p.amount.to_yuan_string()]);
            }
            out.push_str(&format!("{payers}\n"));
        }
        out
    }
}
