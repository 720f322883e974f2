//! Budget exposure: the most one entity can receive from each clause and
//! each policy (from caps and fixed amounts; unbounded when nothing bounds
//! it), and, over a register, what would be paid compared with the
//! policy's `预算`.
//!
//! The worst case is an upper bound: grants of one matter count once (the
//! highest), 再 给予 grants add, other matters add, and `合计 最高` caps
//! the sum. Conditions that exclude each other are not detected, so two
//! clauses no entity can both meet still add up.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::batch::Summary;
use crate::num::Money;
use crate::program::interval::{Analysis, Facts, Interval};
use crate::program::{Action, ClauseDef, Expr, GrantAmount, PolicyDef, Program};

/// One clause's worst case.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ClauseExposure {
    /// The label.
    pub clause: String,
    /// 事项.
    pub matter: String,
    /// The most one entity can receive; `None` when nothing bounds it.
    pub worst_case: Option<Money>,
    /// Whether nothing bounds it.
    pub unbounded: bool,
    /// A 酌定 grant: its worst case is its cap (or 无上限), kept here as a
    /// budget bound although no money total counts it.
    pub discretionary: bool,
    /// Over the register: entities paid more than zero.
    pub beneficiaries: Option<u64>,
    /// Over the register: the total paid.
    pub paid: Option<Money>,
}

/// What a register says about a policy.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RegisterExposure {
    /// Entities evaluated.
    pub entities: u64,
    /// Entities paid more than zero.
    pub beneficiaries: u64,
    /// Entities with an undecided clause of the policy (their payment may
    /// grow once the missing facts are known).
    pub undecided: u64,
    /// Rows that could not be read or evaluated: their spending is not
    /// in `paid`, so the command fails when there are any.
    pub errors: u64,
    /// The total paid, after 合计 最高.
    pub paid: Money,
    /// 预算 − paid: negative when over budget.
    pub budget_balance: Option<Money>,
    /// Whether the total exceeds the budget; unknown (`null`) when rows in
    /// error could have taken it over.
    pub over_budget: Option<bool>,
}

/// One policy's exposure.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PolicyExposure {
    /// The title.
    pub policy: Option<String>,
    /// The most one entity can receive from the policy.
    pub worst_case: Option<Money>,
    /// Whether nothing bounds it.
    pub unbounded: bool,
    /// The part of `worst_case` that 酌定 grants contribute (`None`: one
    /// of them has no cap); zero when the policy has none.
    pub discretionary_part: Option<Money>,
    /// 合计 最高.
    pub total_cap: Option<Money>,
    /// 预算.
    pub budget: Option<Money>,
    /// How many entities the budget covers at the worst case each.
    pub budget_covers: Option<u64>,
    /// The grant clauses.
    pub clauses: Vec<ClauseExposure>,
    /// Over a register, when given.
    pub register: Option<RegisterExposure>,
}

/// The exposure of every policy.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Exposure {
    /// Schema version of this JSON.
    pub schema: u32,
    /// The register's evaluation date, when a register was given.
    pub date: Option<String>,
    /// Per policy, in load order.
    pub policies: Vec<PolicyExposure>,
}

/// The most one entity can receive from a grant clause (`None`: unbounded).
pub(crate) fn clause_worst_case(program: &Program, clause: &ClauseDef) -> Option<Option<Decimal>> {
    let Action::Grant { amount, .. } = &clause.action else {
        return None;
    };
    // A 减免 is revenue not collected, and a 额度 a quota granted (land,
    // a third party's guarantee): neither is money paid out of a budget.
    if amount.is_reduction() || clause.quota().is_some() {
        return None;
    }
    // What is paid depends on real facts, and none is negative.
    let an = Analysis::new(program, Facts::NonNegative);
    let cap = |c: Option<&Expr>| c.map_or(Interval::ANY, |c| an.expr(c));
    let r = match amount {
        GrantAmount::Single(a) => an.core(&a.core).min(cap(a.cap.as_ref())),
        GrantAmount::Tiers { items, cap: c, .. } => an
            .tiers(items)
            .unwrap_or(Interval::point(Decimal::ZERO))
            .min(cap(c.as_ref())),
        // Whatever is decided case by case, never below zero.
        GrantAmount::Discretionary { cap: c } => Interval::NON_NEGATIVE.min(cap(c.as_ref())),
        // A sum over however many items there are: at most the total cap.
        GrantAmount::Items(g) => Interval::NON_NEGATIVE.min(cap(g.total_cap.as_ref())),
        // The ceiling is the most it can pay.
        GrantAmount::Range { high, cap: c, .. } => an.core(high).min(cap(c.as_ref())),
        // One year's instalment is what one evaluation pays.
        GrantAmount::Schedule(s) => s
            .runs
            .iter()
            .flat_map(|r| {
                r.cores()
                    .map(|c| an.core(c).min(cap(r.amount.cap.as_ref())))
            })
            .reduce(Interval::hull)
            .unwrap_or(Interval::point(Decimal::ZERO)),
    }
    // A grant is never negative, whatever its cap: the floor comes last,
    // as in evaluation.
    .floored();
    Some(r.hi)
}

/// The most one entity can receive from a policy (`None`: unbounded).
pub(crate) fn policy_worst_case(program: &Program, policy: &PolicyDef) -> Option<Decimal> {
    // Grants of one matter count once, at the highest; every other grant
    // adds.
    let mut matters: BTreeMap<&str, Option<Decimal>> = BTreeMap::new();
    let mut alone: Vec<Option<Decimal>> = Vec::new();
    for clause in &policy.clauses {
        let Some(worst) = clause_worst_case(program, clause) else {
            continue;
        };
        match clause.stacking_matter() {
            Some(matter) => {
                let slot = matters.entry(matter).or_insert(Some(Decimal::ZERO));
                *slot = match (*slot, worst) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
            }
            None => alone.push(worst),
        }
    }
    let sum = matters
        .into_values()
        .chain(alone)
        .try_fold(Decimal::ZERO, |acc, v| v.and_then(|v| acc.checked_add(v)));
    match (sum, policy.total_cap) {
        (Some(s), Some((cap, _))) => Some(s.min(cap.0)),
        (None, Some((cap, _))) => Some(cap.0),
        (s, None) => s,
    }
}

/// The exposure of every policy; with a register's summary, also what it
/// would pay.
pub(crate) fn exposure(program: &Program, register: Option<&Summary>) -> Exposure {
    let mut clause_at = 0;
    let policies = program
        .policies
        .iter()
        .enumerate()
        .map(|(pid, policy)| {
            let mut clauses = Vec::new();
            for clause in &policy.clauses {
                let at = clause_at;
                clause_at += 1;
                let Some(worst) = clause_worst_case(program, clause) else {
                    continue;
                };
                let counted = register.and_then(|s| s.clauses.get(at));
                clauses.push(ClauseExposure {
                    clause: clause.label.clone(),
                    matter: clause.matter.clone(),
                    worst_case: worst.map(Money),
                    unbounded: worst.is_none(),
                    discretionary: is_discretionary(clause),
                    beneficiaries: counted.map(|c| c.beneficiaries),
                    paid: counted.map(|c| c.amount),
                });
            }
            let worst = policy_worst_case(program, policy);
            let budget = policy.budget;
            let budget_covers = match (budget, worst) {
                (Some(b), Some(w)) if w > Decimal::ZERO => (b.0 / w).floor().try_into().ok(),
                _ => None,
            };
            let register = register.and_then(|s| {
                let p = s.policies.get(pid)?;
                let balance = budget.map(|b| Money(b.0 - p.amount.0));
                Some(RegisterExposure {
                    entities: s.entities,
                    beneficiaries: p.beneficiaries,
                    undecided: p.undecided,
                    errors: s.errors,
                    paid: p.amount,
                    budget_balance: balance,
                    // A row in error can only add spending: over stays over.
                    over_budget: balance.and_then(|b| match (b.0 < Decimal::ZERO, s.errors) {
                        (true, _) => Some(true),
                        (false, 0) => Some(false),
                        (false, _) => None,
                    }),
                })
            });
            let discretionary_part = clauses
                .iter()
                .filter(|c| c.discretionary)
                .try_fold(Money::ZERO, |acc, c| acc.checked_add(c.worst_case?));
            PolicyExposure {
                policy: policy.title.clone(),
                worst_case: worst.map(Money),
                unbounded: worst.is_none(),
                discretionary_part,
                total_cap: policy.total_cap.map(|(c, _)| c),
                budget,
                budget_covers,
                clauses,
                register,
            }
        })
        .collect();
    Exposure {
        schema: 1,
        date: register.map(|s| s.date.clone()),
        policies,
    }
}

fn is_discretionary(clause: &ClauseDef) -> bool {
    matches!(
        clause.action,
        Action::Grant {
            amount: GrantAmount::Discretionary { .. },
            ..
        }
    )
}

fn money_or_unbounded(m: Option<Money>) -> String {
    m.map_or_else(|| "无上限".to_string(), |m| m.to_string())
}

/// The unit of a table column: one for the whole column, so that its
/// numbers compare at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    /// 万元, when every amount is a whole number of hundreds of 元 (so at
    /// most two decimals in 万元).
    Wan,
    /// 元 otherwise.
    Yuan,
}

impl Unit {
    fn of(amounts: impl IntoIterator<Item = Money>) -> Unit {
        let hundred = Decimal::from(100);
        if amounts.into_iter().all(|m| (m.0 % hundred).is_zero()) {
            Unit::Wan
        } else {
            Unit::Yuan
        }
    }

    fn name(self) -> &'static str {
        match self {
            Unit::Wan => "万元",
            Unit::Yuan => "元",
        }
    }

    /// The amount as a number in this unit, exact, without trailing zeros.
    fn show(self, m: Money) -> String {
        let d = match self {
            Unit::Wan => m.0 / Decimal::from(10_000),
            Unit::Yuan => m.0,
        };
        d.normalize().to_string()
    }
}

impl Exposure {
    /// The exposure as Chinese tables.
    pub(crate) fn human(&self) -> String {
        let mut out = String::new();
        for p in &self.policies {
            let title = p
                .policy
                .as_deref()
                .map_or("（顶层条款）".into(), |t| format!("《{t}》"));
            out.push_str(&format!("{title}\n{}\n", clause_table(p)));
            out.push_str(&format!(
                "  单个主体最高：{}",
                money_or_unbounded(p.worst_case)
            ));
            if let Some(c) = p.total_cap {
                out.push_str(&format!("（合计上限 {c}）"));
            }
            match p.discretionary_part {
                Some(d) if d.0.is_zero() => {}
                d => out.push_str(&format!("，其中酌定部分 {}", money_or_unbounded(d))),
            }
            out.push('\n');
            if let Some(b) = p.budget {
                out.push_str(&format!("  预算：{b}"));
                if let Some(n) = p.budget_covers {
                    out.push_str(&format!("，按单个主体最高额可覆盖 {n} 个主体"));
                }
                out.push('\n');
            }
            if let Some(r) = &p.register {
                register_lines(r, &mut out);
            }
            out.push('\n');
        }
        out
    }
}

/// A policy's clauses, one row each; with a register, what each paid.
fn clause_table(p: &PolicyExposure) -> comfy_table::Table {
    use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED).force_no_tty();
    let with_register = p.register.is_some();
    let worst = Unit::of(p.clauses.iter().filter_map(|c| c.worst_case));
    let paid = Unit::of(p.clauses.iter().filter_map(|c| c.paid));
    let mut header = vec![
        "条款".to_string(),
        "事项".to_string(),
        format!("单个主体最高（{}）", worst.name()),
    ];
    if with_register {
        header.extend(["受益主体".to_string(), format!("支出（{}）", paid.name())]);
    }
    t.set_header(header);
    for c in &p.clauses {
        let mut cell = c
            .worst_case
            .map_or_else(|| "无上限".to_string(), |m| worst.show(m));
        if c.discretionary {
            cell.push_str("（酌定）");
        }
        let mut row = vec![c.clause.clone(), c.matter.clone(), cell];
        if with_register {
            row.push(c.beneficiaries.map_or(String::new(), |b| b.to_string()));
            row.push(c.paid.map_or(String::new(), |m| paid.show(m)));
        }
        t.add_row(row);
    }
    t
}

/// What a register paid under a policy, against its budget.
fn register_lines(r: &RegisterExposure, out: &mut String) {
    out.push_str(&format!(
        "  登记表：{} 个主体，受益 {} 个，支出 {}",
        r.entities, r.beneficiaries, r.paid
    ));
    if r.undecided > 0 {
        out.push_str(&format!(
            "（另有 {} 个主体待定，支出可能增加）",
            r.undecided
        ));
    }
    if r.errors > 0 {
        out.push_str(&format!("；{} 行无法读取或计算，未计入支出", r.errors));
    }
    out.push('\n');
    match r.budget_balance {
        Some(b) if b.0 < Decimal::ZERO => out.push_str(&format!("  超出预算 {}\n", Money(-b.0))),
        Some(b) => out.push_str(&format!("  预算结余 {b}\n")),
        None => {}
    }
}
