//! Grants for the same matter never stack: within a policy only the
//! highest is paid; across policies the `重叠` rules decide (LANGUAGE.md,
//! "Readings we have decided", A03/A04/A10). 再 给予 grants always pay.

use super::{ClauseKind, ClauseResult, Status};
use crate::ast::OverlapRule;
use crate::num::Money;
use crate::program::{Action, Program};

#[derive(Clone, Copy)]
struct Cand {
    at: usize,
    policy: usize,
    order: usize,
    value: Money,
}

/// Sets `paid`, `displaced_by` and `displaced` on every applying grant.
pub fn resolve(program: &Program, results: &mut [ClauseResult]) {
    // Grants with a written 事项, keyed by (policy, matter), in load order.
    // A grant without one is its own matter: nothing displaces it and it
    // displaces nothing, so it needs no grouping.
    let mut named: Vec<(usize, &str, Cand)> = Vec::new();
    for (at, r) in results.iter_mut().enumerate() {
        if r.kind != ClauseKind::Grant || r.status != Status::Applies {
            continue;
        }
        r.paid = r.amount;
        let Some(clause) = program
            .policies
            .get(r.policy)
            .and_then(|p| p.clauses.get(r.index))
        else {
            continue;
        };
        if matches!(clause.action, Action::Grant { extra: true, .. }) || !clause.explicit_matter {
            continue;
        }
        named.push((
            r.policy,
            clause.matter.as_str(),
            Cand {
                at,
                policy: r.policy,
                order: at,
                value: r.amount.unwrap_or_default(),
            },
        ));
    }
    if named.is_empty() {
        return;
    }
    // Within one policy: the highest wins, the first loaded on a tie. The
    // sort is stable, so each group keeps load order.
    named.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let mut winners: Vec<(&str, Cand)> = Vec::new();
    for group in named.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        let Some(winner) = group
            .iter()
            .map(|(_, _, c)| *c)
            .reduce(|best, c| if c.value > best.value { c } else { best })
        else {
            continue;
        };
        for (_, _, c) in group {
            if c.at != winner.at {
                displace(results, c.at, winner.at);
            }
        }
        if let Some((_, matter, _)) = group.first() {
            winners.push((matter, winner));
        }
    }
    // Across policies, per matter; each group in policy order.
    winners.sort_by(|a, b| a.0.cmp(b.0));
    for group in winners.chunk_by(|a, b| a.0 == b.0) {
        if group.len() < 2 {
            continue;
        }
        let cands: Vec<Cand> = group.iter().map(|(_, c)| *c).collect();
        resolve_across(program, results, &cands);
    }
}

/// Grants of one matter in different policies: the `重叠` rules decide.
fn resolve_across(program: &Program, results: &mut [ClauseResult], cands: &[Cand]) {
    let beaten: Vec<Vec<usize>> = cands
        .iter()
        .map(|c| {
            cands
                .iter()
                .filter(|o| o.at != c.at && beats(program, o, c))
                .map(|o| o.at)
                .collect()
        })
        .collect();
    let displaced: Vec<bool> = beaten.iter().map(|b| !b.is_empty()).collect();
    for (i, c) in cands.iter().enumerate() {
        let Some(by) = beaten.get(i) else { continue };
        let Some(first) = by.first() else { continue };
        let winner = by
            .iter()
            .find(|w| {
                cands
                    .iter()
                    .position(|x| x.at == **w)
                    .and_then(|j| displaced.get(j))
                    .is_some_and(|d| !d)
            })
            .unwrap_or(first);
        displace(results, c.at, *winner);
    }
}

fn displace(results: &mut [ClauseResult], loser: usize, winner: usize) {
    let winner_id = results.get(winner).map(|w| (w.policy, w.index));
    let loser_id = results.get(loser).map(|l| (l.policy, l.index));
    if let Some(l) = results.get_mut(loser) {
        l.paid = None;
        l.displaced_by = winner_id;
    }
    if let (Some(w), Some(lid)) = (results.get_mut(winner), loser_id) {
        w.displaced.push(lid);
    }
}

/// Whether `a` displaces `b` (grants of one matter in different policies).
fn beats(program: &Program, a: &Cand, b: &Cand) -> bool {
    let pa = program.policies.get(a.policy);
    let pb = program.policies.get(b.policy);
    let ra = pa.and_then(|p| p.overlap);
    let rb = pb.and_then(|p| p.overlap);
    let earlier_loaded = a.order < b.order;
    let this = Some(OverlapRule::ThisPolicy);
    if ra == this || rb == this {
        if ra != rb {
            return ra == this;
        }
        // Both claim precedence: the later document speaks last.
        let (sa, sb) = (pa.and_then(|p| p.start()), pb.and_then(|p| p.start()));
        return if sa == sb { earlier_loaded } else { sa > sb };
    }
    let existing = Some(OverlapRule::Existing);
    if ra == existing || rb == existing {
        let (sa, sb) = (pa.and_then(|p| p.start()), pb.and_then(|p| p.start()));
        return match (sa, sb) {
            (Some(x), Some(y)) if x != y => x < y,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            _ => earlier_loaded,
        };
    }
    if ra == Some(OverlapRule::Best) || rb == Some(OverlapRule::Best) {
        return a.value > b.value || (a.value == b.value && earlier_loaded);
    }
    false
}
