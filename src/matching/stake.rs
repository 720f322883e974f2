//! The most an open clause could pay, and the facts that still matter.
//!
//! An open grant could pay at most what it pays once its condition is met:
//! the program is evaluated once more with every condition, scope and
//! window taken as met, and the amount read from there. When the amount
//! itself reads a missing fact, its caps bound it (or the largest of its
//! tiers); with nothing to bound it the clause is 无上限 (`None`).

use std::cmp::Ordering;

use crate::eval::{ClauseKind, ClauseResult, EvalConfig, Outcome, Status, evaluate};
use crate::facts::Facts;
use crate::num::Money;
use crate::program::{AmountCore, Cond, Expr, GrantAmount, Program};

use super::{FactMatter, Undecided};

/// The amounts every clause pays with its condition met.
pub(crate) struct Stakes<'a> {
    program: &'a Program,
    facts: &'a Facts,
    date: chrono::NaiveDate,
    relaxed: Option<Outcome>,
}

impl<'a> Stakes<'a> {
    /// Evaluates the program with the condition of every clause left open
    /// in `outcome` taken as met (with its policy's scope and window).
    pub(crate) fn new(
        program: &'a Program,
        facts: &'a Facts,
        config: &EvalConfig,
        outcome: &Outcome,
    ) -> Self {
        let mut relaxed = program.clone();
        for (pid, p) in relaxed.policies.iter_mut().enumerate() {
            let open: Vec<usize> = outcome
                .clauses
                .iter()
                .filter(|r| r.policy == pid && r.status == Status::Undecided)
                .map(|r| r.index)
                .collect();
            if open.is_empty() {
                continue;
            }
            p.scope = None;
            p.window = None;
            for (i, c) in p.clauses.iter_mut().enumerate() {
                if open.contains(&i) {
                    c.cond = Cond::True;
                    c.window = None;
                } else {
                    // Out of the way: the other clauses are not asked about.
                    c.cond = Cond::Not(Box::new(Cond::True), c.loc);
                }
            }
        }
        let config = EvalConfig {
            explain: false,
            ..config.clone()
        };
        Stakes {
            program,
            facts,
            date: config.date,
            // An amount that cannot be computed even so is bounded below
            // by its caps instead.
            relaxed: evaluate(&relaxed, facts, &config).ok(),
        }
    }

    /// The most a clause could pay (`None`: 无上限); zero for a clause that
    /// pays nothing (an exemption).
    pub(crate) fn at_stake(&self, r: &ClauseResult) -> Option<Money> {
        // A quota (给予 额度) is granted, never paid: no money at stake.
        if r.kind != ClauseKind::Grant || crate::eval::quota_of(self.program, r).is_some() {
            return Some(Money::ZERO);
        }
        if let Some(m) = self
            .relaxed
            .as_ref()
            .and_then(|o| o.clause(r.policy, r.index))
            .filter(|x| x.status == Status::Applies)
            .and_then(|x| x.amount)
        {
            return Some(m);
        }
        let clause = self
            .program
            .policies
            .get(r.policy)
            .and_then(|p| p.clauses.get(r.index))?;
        let crate::program::Action::Grant { amount, .. } = &clause.action else {
            return Some(Money::ZERO);
        };
        self.bound(amount)
    }

    /// A bound read from the caps and constant amounts alone.
    fn bound(&self, amount: &GrantAmount) -> Option<Money> {
        let analyzer = super::gaps::Analyzer::new(
            self.program,
            self.facts,
            self.date,
            super::Bounds::default(),
        );
        let known = |e: &Expr| -> Option<Money> { analyzer.number(e).ok().flatten().map(Money) };
        let single = |a: &crate::program::Amount| match a.cap.as_ref().and_then(known) {
            Some(c) => Some(c),
            None => match &a.core {
                AmountCore::Expr(e) => known(e),
                AmountCore::PerUnit { .. } => None,
            },
        };
        match amount {
            GrantAmount::Discretionary { cap } => cap.as_ref().and_then(known),
            GrantAmount::Items(g) => g.total_cap.as_ref().and_then(known),
            GrantAmount::Single(a) => single(a),
            GrantAmount::Range { high, cap, .. } => match cap.as_ref().and_then(known) {
                Some(c) => Some(c),
                None => match high {
                    AmountCore::Expr(e) => known(e),
                    AmountCore::PerUnit { .. } => None,
                },
            },
            // The dearest year.
            GrantAmount::Schedule(s) => s
                .runs
                .iter()
                .flat_map(|r| {
                    r.cores().map(|c| {
                        single(&crate::program::Amount {
                            core: c.clone(),
                            ..r.amount.clone()
                        })
                    })
                })
                .collect::<Option<Vec<_>>>()?
                .into_iter()
                .max(),
            GrantAmount::Tiers { items, cap, .. } => match cap.as_ref().and_then(known) {
                Some(c) => Some(c),
                None => items
                    .iter()
                    .map(|i| match i {
                        AmountCore::Expr(e) => known(e),
                        AmountCore::PerUnit { .. } => None,
                    })
                    .collect::<Option<Vec<_>>>()?
                    .into_iter()
                    .max(),
            },
        }
    }
}

/// Most money first, 无上限 (`None`) before any amount.
pub(crate) fn money_order(a: Option<Money>, b: Option<Money>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => y.cmp(&x),
    }
}

/// Each fact missing from an open clause, with how many open clauses it
/// can decide and what they could pay together: most money first, then
/// most clauses, then the vocabulary's order. Clauses that must first
/// close a gap are left out: the fact alone cannot decide them.
pub(crate) fn facts_that_matter(undecided: &[Undecided]) -> Vec<FactMatter> {
    let mut out: Vec<FactMatter> = Vec::new();
    for u in undecided.iter().filter(|u| u.gaps.is_empty()) {
        for f in &u.missing {
            let entry = match out.iter_mut().position(|m| m.fact == *f) {
                Some(i) => out.get_mut(i),
                None => {
                    out.push(FactMatter {
                        fact: *f,
                        clauses: 0,
                        at_stake: Some(Money::ZERO),
                    });
                    out.last_mut()
                }
            };
            if let Some(m) = entry {
                m.clauses += 1;
                m.at_stake = match (m.at_stake, u.at_stake) {
                    (Some(a), Some(b)) => a.checked_add(b),
                    _ => None,
                };
            }
        }
    }
    out.sort_by(|a, b| {
        money_order(a.at_stake, b.at_stake)
            .then(b.clauses.cmp(&a.clauses))
            .then(a.fact.cmp(&b.fact))
    });
    out
}
