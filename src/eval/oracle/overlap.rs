//! Grants for the same matter never stack: within a policy only the
//! highest is paid; across policies the `重叠` rules decide (LANGUAGE.md,
//! "Readings we have decided", A03/A04/A10). 再 给予 grants always pay.
//!
//! Every choice is decided by meaning, never by the order in which files
//! or arguments were given: value, then the kind of amount (a 定额 is
//! surer than a 下限, a 下限 than a 上限, a 上限 than a 酌定 valued by its
//! cap), then the clause written first (within a policy) or the policy in
//! force later and finally the title (across policies). Each group is
//! decided by one pass for its winner, so the work grows as n log n.

use std::cmp::{Ordering, Reverse};

use super::{AmountKind, ClauseKind, ClauseResult, Status};
use crate::ast::OverlapRule;
use crate::num::Money;
use crate::program::Program;

pub(crate) use crate::eval::Precedence;

#[derive(Clone, Copy)]
struct Cand<'p> {
    at: usize,
    policy: usize,
    index: usize,
    value: Money,
    kind: u8,
    matter: &'p str,
}

/// How sure a kind of amount is: higher wins a tie.
fn surety(k: Option<AmountKind>) -> u8 {
    match k {
        Some(AmountKind::Exact) => 3,
        Some(AmountKind::AtLeast) => 2,
        Some(AmountKind::AtMost | AmountKind::Range) => 1,
        Some(AmountKind::Discretionary | AmountKind::Reduction) | None => 0,
    }
}

/// Sets `paid`, `displaced_by`, `precedence` and `displaced` on every
/// applying grant.
pub(super) fn resolve(program: &Program, results: &mut [ClauseResult]) {
    // Grants with a written 事项. A grant without one is its own matter:
    // nothing displaces it and it displaces nothing.
    let mut named: Vec<Cand<'_>> = Vec::new();
    for (at, r) in results.iter_mut().enumerate() {
        if r.kind != ClauseKind::Grant || r.status != Status::Applies {
            continue;
        }
        // A 酌定 grant pays what is decided case by case, and a 减免
        // lowers a fee the entity owes: neither is money paid to it.
        let clause = program
            .policies
            .get(r.policy)
            .and_then(|p| p.clauses.get(r.index));
        // A 额度 is a quota granted, in 亩 or in 元, not money paid.
        let quota = clause.is_some_and(|c| c.quota().is_some());
        r.paid = r.amount.filter(|_| {
            !quota
                && !matches!(
                    r.amount_kind,
                    Some(AmountKind::Discretionary | AmountKind::Reduction)
                )
        });
        let Some(clause) = clause else {
            continue;
        };
        let Some(matter) = clause.stacking_matter() else {
            continue;
        };
        named.push(Cand {
            at,
            policy: r.policy,
            index: r.index,
            // A 酌定 grant is valued by its cap.
            value: r.amount.unwrap_or_default(),
            kind: surety(r.amount_kind),
            matter,
        });
    }
    if named.is_empty() {
        return;
    }
    named.sort_by(|a, b| (a.policy, a.matter).cmp(&(b.policy, b.matter)));
    let mut winners: Vec<Cand<'_>> = Vec::new();
    for group in named.chunk_by(|a, b| (a.policy, a.matter) == (b.policy, b.matter)) {
        let Some(winner) = group.iter().copied().max_by(within) else {
            continue;
        };
        for c in group.iter().filter(|c| c.at != winner.at) {
            let rule = if winner.value != c.value {
                Precedence::Higher
            } else if winner.kind != c.kind {
                Precedence::Kind
            } else {
                Precedence::Written
            };
            displace(results, c.at, winner.at, rule);
        }
        winners.push(winner);
    }
    winners.sort_by(|a, b| a.matter.cmp(b.matter));
    for group in winners.chunk_by(|a, b| a.matter == b.matter) {
        if group.len() > 1 {
            resolve_across(program, results, group);
        }
    }
}

/// Within one policy: the higher value, the surer kind, the clause
/// written first.
fn within(a: &Cand<'_>, b: &Cand<'_>) -> Ordering {
    (a.value, a.kind, Reverse(a.index)).cmp(&(b.value, b.kind, Reverse(b.index)))
}

/// Which `重叠` rule governs a group of grants across policies.
#[derive(Clone, Copy, PartialEq)]
enum Regime {
    ThisPolicy,
    Existing,
    Best,
}

/// Grants of one matter in different policies: the `重叠` rules decide.
/// 以本政策为准 takes precedence over the other rules, 按现行政策 over
/// 从优从高; where no policy states a rule, all are paid.
fn resolve_across(program: &Program, results: &mut [ClauseResult], group: &[Cand<'_>]) {
    let policy = |c: &Cand<'_>| program.policies.get(c.policy);
    let rule = |c: &Cand<'_>| policy(c).and_then(|p| p.overlap);
    let start = |c: &Cand<'_>| policy(c).and_then(|p| p.start());
    let title = |c: &Cand<'_>| policy(c).and_then(|p| p.title.as_deref()).unwrap_or("");
    let has = |r: OverlapRule| group.iter().any(|c| rule(c) == Some(r));
    let regime = if has(OverlapRule::ThisPolicy) {
        Regime::ThisPolicy
    } else if has(OverlapRule::Existing) {
        Regime::Existing
    } else if has(OverlapRule::Best) {
        Regime::Best
    } else {
        return;
    };
    // Later start first, then the title first in code-point order.
    let later = |c: &Cand<'_>| (start(c), Reverse(title(c)));
    let winner = match regime {
        Regime::ThisPolicy => group
            .iter()
            .filter(|c| rule(c) == Some(OverlapRule::ThisPolicy))
            .max_by_key(|c| later(c)),
        // The policy in force first; one without a known start last.
        Regime::Existing => group
            .iter()
            .max_by_key(|c| (start(c).is_some(), Reverse(start(c)), Reverse(title(c)))),
        Regime::Best => group.iter().max_by_key(|c| (c.value, c.kind, later(c))),
    };
    let Some(winner) = winner.copied() else {
        return;
    };
    for c in group.iter().filter(|c| c.at != winner.at) {
        let tie = if start(&winner) != start(c) {
            Precedence::LaterStart
        } else {
            Precedence::Title
        };
        let why = match regime {
            Regime::ThisPolicy if rule(c) != Some(OverlapRule::ThisPolicy) => {
                Precedence::ThisPolicy
            }
            Regime::Existing if start(&winner) != start(c) => Precedence::Existing,
            Regime::Existing => Precedence::Title,
            Regime::Best if winner.value != c.value => Precedence::Higher,
            Regime::Best if winner.kind != c.kind => Precedence::Kind,
            Regime::ThisPolicy | Regime::Best => tie,
        };
        displace(results, c.at, winner.at, why);
    }
}

fn displace(results: &mut [ClauseResult], loser: usize, winner: usize, rule: Precedence) {
    let winner_id = results.get(winner).map(|w| (w.policy, w.index));
    let loser_id = results.get(loser).map(|l| (l.policy, l.index));
    if let Some(l) = results.get_mut(loser) {
        l.paid = None;
        l.displaced_by = winner_id;
        l.precedence = Some(rule);
    }
    if let (Some(w), Some(lid)) = (results.get_mut(winner), loser_id) {
        w.displaced.push(lid);
    }
}
