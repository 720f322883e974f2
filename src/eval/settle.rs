//! What is paid once every clause is decided: grants for the same matter
//! never stack, and the totals add up what is paid, exactly.
//!
//! Within a policy only the best grant of a matter is paid; across
//! policies the `重叠` rules decide (LANGUAGE.md, "Readings we have
//! decided", A03/A04/A10). 再 给予 grants always pay. Every choice is
//! decided by meaning, never by the order in which files or arguments
//! were given: value, then the kind of amount (a 定额 is surer than a 下限,
//! a 下限 than a 上限, a 上限 than a 酌定 valued by its cap), then the
//! clause written first (within a policy) or the policy in force later and
//! finally the title (across policies). The groups are fixed when the
//! program is compiled, so each entity only finds each group's winner.

use std::cmp::{Ordering, Reverse};

use super::flat::Flat;
use super::run::Slot;
use super::{AmountKind, ClauseKind, PolicyTotal, Precedence, Status, Totals};
use crate::ast::OverlapRule;
use crate::num::{Money, Sum};

/// A grant competing for its matter.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cand {
    at: usize,
    policy: usize,
    index: usize,
    value: Money,
    kind: u8,
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

fn cand(flat: &Flat<'_>, slots: &[Slot], at: usize) -> Option<Cand> {
    let s = slots.get(at)?;
    let c = flat.clauses.get(at)?;
    (c.kind == ClauseKind::Grant && s.status == Status::Applies).then_some(Cand {
        at,
        policy: c.policy,
        index: c.index,
        // A 酌定 grant is valued by its cap.
        value: s.amount.unwrap_or_default(),
        kind: surety(s.amount_kind),
    })
}

/// Sets `paid` on every applying grant and `displaced_by` on those a
/// grant of the same matter displaces. `touched` lists, in load order,
/// the slots that are not blank; `winners` and `active` are scratch space.
pub(crate) fn overlap(
    flat: &Flat<'_>,
    slots: &mut [Slot],
    touched: &[usize],
    (winners, active): (&mut Vec<Option<Cand>>, &mut Vec<u32>),
    seq: &mut u32,
) {
    active.clear();
    for &at in touched {
        let (Some(s), Some(c)) = (slots.get_mut(at), flat.clauses.get(at)) else {
            continue;
        };
        if c.kind != ClauseKind::Grant || s.status != Status::Applies {
            continue;
        }
        // A 酌定 grant pays what is decided case by case, a 减免 lowers a
        // fee the entity owes, and a 额度 grants a quota: none is money
        // paid to it.
        s.paid = s.amount.filter(|_| {
            !matches!(
                s.amount_kind,
                Some(AmountKind::Discretionary | AmountKind::Reduction)
            ) && c.def.quota().is_none()
        });
        if let Some(Some(m)) = flat.matter_of.get(at) {
            active.push(*m);
        }
    }
    if active.is_empty() {
        return;
    }
    // Only a matter with a grant that applies has a winner; they are
    // visited in the order of `flat.matters`, as the displacements are
    // numbered in that order. Winners are kept for the groups across
    // policies, which need two.
    active.sort_unstable();
    let across = !flat.across.is_empty() && active.chunk_by(|a, b| a == b).nth(1).is_some();
    if across {
        winners.clear();
        winners.resize(flat.matters.len(), None);
    }
    for run in active.chunk_by(|a, b| a == b) {
        // A matter with one grant that applies displaces nothing; only
        // the groups across policies need to know it won.
        let Some(&mi) = run.first() else { continue };
        if run.len() == 1 && !across {
            continue;
        }
        let Some(m) = flat.matters.get(mi as usize) else {
            continue;
        };
        let winner = m
            .clauses
            .iter()
            .filter_map(|at| cand(flat, slots, *at))
            .max_by(within);
        if let Some(w) = winner {
            for &at in &m.clauses {
                let Some(c) = cand(flat, slots, at) else {
                    continue;
                };
                if c.at == w.at {
                    continue;
                }
                let rule = if w.value != c.value {
                    Precedence::Higher
                } else if w.kind != c.kind {
                    Precedence::Kind
                } else {
                    Precedence::Written
                };
                displace(slots, c.at, w.at, rule, seq);
            }
        }
        if across && let Some(slot) = winners.get_mut(mi as usize) {
            *slot = winner;
        }
    }
    if !across {
        return;
    }
    for group in &flat.across {
        let present = group
            .iter()
            .filter(|g| winners.get(**g).is_some_and(Option::is_some))
            .count();
        if present > 1 {
            let cands = group
                .iter()
                .filter_map(|g| winners.get(*g).copied().flatten());
            resolve_across(flat, slots, cands, seq);
        }
    }
}

/// Within one policy: the higher value, the surer kind, the clause
/// written first.
fn within(a: &Cand, b: &Cand) -> Ordering {
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
fn resolve_across(
    flat: &Flat<'_>,
    slots: &mut [Slot],
    group: impl Iterator<Item = Cand> + Clone,
    seq: &mut u32,
) {
    let program = flat.program;
    let policy = |c: &Cand| program.policies.get(c.policy);
    let rule = |c: &Cand| policy(c).and_then(|p| p.overlap);
    let start = |c: &Cand| policy(c).and_then(|p| p.start());
    let title = |c: &Cand| policy(c).and_then(|p| p.title.as_deref()).unwrap_or("");
    let has = |r: OverlapRule| group.clone().any(|c| rule(&c) == Some(r));
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
    let later = |c: &Cand| (start(c), Reverse(title(c)));
    let winner = match regime {
        Regime::ThisPolicy => group
            .clone()
            .filter(|c| rule(c) == Some(OverlapRule::ThisPolicy))
            .max_by_key(|c| later(c)),
        // The policy in force first; one without a known start last.
        Regime::Existing => group
            .clone()
            .max_by_key(|c| (start(c).is_some(), Reverse(start(c)), Reverse(title(c)))),
        Regime::Best => group.clone().max_by_key(|c| (c.value, c.kind, later(c))),
    };
    let Some(winner) = winner else {
        return;
    };
    for c in group.filter(|c| c.at != winner.at) {
        let tie = if start(&winner) != start(&c) {
            Precedence::LaterStart
        } else {
            Precedence::Title
        };
        let why = match regime {
            Regime::ThisPolicy if rule(&c) != Some(OverlapRule::ThisPolicy) => {
                Precedence::ThisPolicy
            }
            Regime::Existing if start(&winner) != start(&c) => Precedence::Existing,
            Regime::Existing => Precedence::Title,
            Regime::Best if winner.value != c.value => Precedence::Higher,
            Regime::Best if winner.kind != c.kind => Precedence::Kind,
            Regime::ThisPolicy | Regime::Best => tie,
        };
        displace(slots, c.at, winner.at, why, seq);
    }
}

fn displace(slots: &mut [Slot], loser: usize, winner: usize, rule: Precedence, seq: &mut u32) {
    if let (Some(l), Ok(w)) = (slots.get_mut(loser), u32::try_from(winner)) {
        l.paid = None;
        l.displaced_by = Some((w, rule, *seq));
        *seq += 1;
    }
}

/// The total and the totals by kind (into `out`, written only when they
/// are known) and the per-policy totals (into `policies`), all exact,
/// over the slots `touched` lists (in load order; the others are blank).
/// `Err` names the clause (an index into the flat form's clauses) at
/// which an amount or a sum left the range that can be shown to the fen
/// (`Money::cents`).
#[inline(always)]
pub(crate) fn totals(
    flat: &Flat<'_>,
    slots: &[Slot],
    touched: &[usize],
    policies: &mut Vec<PolicyTotal>,
    out: (&mut Money, &mut Totals),
) -> Result<(), usize> {
    // Written in place: returned, the totals were copied twice per row.
    if totals_on_integers(flat, slots, touched, policies, (&mut *out.0, &mut *out.1)).is_some() {
        return Ok(());
    }
    let (total, totals) = totals_in_decimal(flat, slots, touched, policies)?;
    *out.0 = total;
    *out.1 = totals;
    Ok(())
}

/// [`totals`] in one pass when every amount summed is not negative and
/// every sum stays within 64 bits ([`Sum`]), as for a register's rows:
/// then no amount or sum can leave the range shown to the fen, and the
/// sums are those rust_decimal makes, to the scale. `None` when an amount
/// or a sum does not fit: [`totals_in_decimal`] decides, and names any
/// overflow.
#[inline(always)]
fn totals_on_integers(
    flat: &Flat<'_>,
    slots: &[Slot],
    touched: &[usize],
    policies: &mut Vec<PolicyTotal>,
    (total_out, totals_out): (&mut Money, &mut Totals),
) -> Option<()> {
    policies.clear();
    let (mut total, mut exact, mut at_most, mut at_least) = <[Sum; 4]>::default().into();
    let (mut discretionary_cap, mut reduction) = (Sum::default(), Sum::default());
    let (mut discretionary, mut discretionary_capped) = (0, 0);
    let mut rest = touched;
    while let Some(&first) = rest.first() {
        let pid = flat.clauses.get(first)?.policy;
        let (mut subtotal, mut kinds) = (Sum::default(), <[Sum; 3]>::default());
        let mut paid = false;
        while let Some((&at, after)) = rest.split_first() {
            let (c, s) = (flat.clauses.get(at)?, slots.get(at)?);
            if c.policy != pid {
                break;
            }
            rest = after;
            if !s.amount.is_none_or(Money::has_cents) || !s.uncapped.is_none_or(Money::has_cents) {
                return None;
            }
            if let Some(m) = s.paid {
                paid = true;
                subtotal.add(m)?;
                let kind = match s.amount_kind {
                    Some(AmountKind::Exact) => kinds.get_mut(0),
                    Some(AmountKind::AtMost | AmountKind::Range) => kinds.get_mut(1),
                    Some(AmountKind::AtLeast) => kinds.get_mut(2),
                    Some(AmountKind::Discretionary | AmountKind::Reduction) | None => None,
                };
                if let Some(k) = kind {
                    k.add(m)?;
                }
            }
            if s.status != Status::Applies || s.displaced_by.is_some() {
                continue;
            }
            match (s.amount_kind, s.amount) {
                (Some(AmountKind::Discretionary), cap) => {
                    discretionary += 1;
                    if let Some(cap) = cap {
                        discretionary_capped += 1;
                        discretionary_cap.add(cap)?;
                    }
                }
                (Some(AmountKind::Reduction), Some(m)) => reduction.add(m)?,
                _ => {}
            }
        }
        if !paid {
            continue;
        }
        let sum = subtotal;
        let subtotal = subtotal.money();
        let cap = flat.program.policies.get(pid).and_then(|p| p.total_cap);
        let binds = cap.is_some_and(|(cap, _)| subtotal > cap);
        let counted = if binds {
            let [e, m, l] = kinds.map(Sum::money);
            let by_kind = Totals {
                exact: e,
                at_most: m,
                at_least: l,
                ..Totals::default()
            };
            let (counted, by_kind, _) = under_total_cap(cap, subtotal, by_kind);
            total.add(counted)?;
            exact.add(by_kind.exact)?;
            at_most.add(by_kind.at_most)?;
            at_least.add(by_kind.at_least)?;
            counted
        } else {
            // The policy counts what it pays: its sums go on as they are.
            let [e, m, l] = kinds;
            total.add_sum(sum)?;
            exact.add_sum(e)?;
            at_most.add_sum(m)?;
            at_least.add_sum(l)?;
            subtotal
        };
        policies.push(PolicyTotal {
            policy: pid,
            subtotal,
            counted,
            capped: binds,
        });
    }
    *total_out = total.money();
    *totals_out = Totals {
        exact: exact.money(),
        at_most: at_most.money(),
        at_least: at_least.money(),
        discretionary,
        discretionary_capped,
        discretionary_cap: discretionary_cap.money(),
        reduction: reduction.money(),
    };
    Some(())
}

/// [`totals`] on `Decimal` throughout, naming the clause at which an
/// amount or a sum overflows.
fn totals_in_decimal(
    flat: &Flat<'_>,
    slots: &[Slot],
    touched: &[usize],
    policies: &mut Vec<PolicyTotal>,
) -> Result<(Money, Totals), usize> {
    policies.clear();
    let mut total = Money::ZERO;
    let mut totals = Totals::default();
    let shown = |m: Option<Money>| m.is_none_or(Money::has_cents);
    let slot = |at: usize| slots.get(at).unwrap_or(&Slot::BLANK);
    if let Some(&at) = touched.iter().find(|&&at| {
        let s = slot(at);
        !shown(s.amount) || !shown(s.uncapped)
    }) {
        return Err(at);
    }
    // The touched slots of one policy are consecutive: clauses are in load
    // order, policy by policy.
    let policy = |at: usize| flat.clauses.get(at).map_or(usize::MAX, |c| c.policy);
    for run in touched.chunk_by(|a, b| policy(*a) == policy(*b)) {
        let Some(&first) = run.first() else { continue };
        let pid = policy(first);
        let (subtotal, by_kind, last) = paid_by(run.iter().map(|&at| (at, slot(at))))?;
        let cap = flat.program.policies.get(pid).and_then(|p| p.total_cap);
        let (counted, by_kind, capped) = under_total_cap(cap, subtotal, by_kind);
        if let Some(last) = last {
            add(&mut total, counted, last)?;
            add(&mut totals.exact, by_kind.exact, last)?;
            add(&mut totals.at_most, by_kind.at_most, last)?;
            add(&mut totals.at_least, by_kind.at_least, last)?;
            if !total.has_cents() {
                return Err(last);
            }
            policies.push(PolicyTotal {
                policy: pid,
                subtotal,
                counted,
                capped,
            });
        }
    }
    unpaid_totals(touched.iter().map(|&at| (at, slot(at))), &mut totals)?;
    Ok((total, totals))
}

/// Adds `m` to `acc`, or names the clause whose amount overflowed.
#[inline]
fn add(acc: &mut Money, m: Money, at: usize) -> Result<(), usize> {
    // Most sums a row adds are of a kind it is not paid.
    if m.0.is_zero() {
        return Ok(());
    }
    *acc = acc.checked_add(m).ok_or(at)?;
    Ok(())
}

/// What one policy's clauses (`slots`, with their indices) pay, in all
/// and by kind, with the last clause paid (`None` when none is).
#[inline]
fn paid_by<'s>(
    slots: impl Iterator<Item = (usize, &'s Slot)>,
) -> Result<(Money, Totals, Option<usize>), usize> {
    let mut subtotal = Money::ZERO;
    let mut by_kind = Totals::default();
    let mut last = None;
    for (at, s) in slots {
        let Some(m) = s.paid else { continue };
        last = Some(at);
        add(&mut subtotal, m, at)?;
        if !subtotal.has_cents() {
            return Err(at);
        }
        match s.amount_kind {
            Some(AmountKind::Exact) => add(&mut by_kind.exact, m, at)?,
            Some(AmountKind::AtMost | AmountKind::Range) => add(&mut by_kind.at_most, m, at)?,
            Some(AmountKind::AtLeast) => add(&mut by_kind.at_least, m, at)?,
            // Never paid (`overlap` leaves it `None`).
            Some(AmountKind::Discretionary | AmountKind::Reduction) | None => {}
        }
    }
    Ok((subtotal, by_kind, last))
}

/// What a policy contributes under its 合计 最高, by kind, and whether
/// the cap binds.
#[inline]
fn under_total_cap(
    cap: Option<(Money, bool)>,
    subtotal: Money,
    by_kind: Totals,
) -> (Money, Totals, bool) {
    match cap {
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

/// The 酌定 grants and 减免 that apply: counted apart, never paid. An
/// overflow names the first 酌定 cap that overflowed, else the first
/// 减免.
#[inline]
fn unpaid_totals<'s>(
    slots: impl Iterator<Item = (usize, &'s Slot)>,
    totals: &mut Totals,
) -> Result<(), usize> {
    let mut overflow = (None, None);
    for (at, s) in slots {
        if s.status != Status::Applies || s.displaced_by.is_some() {
            continue;
        }
        match s.amount_kind {
            Some(AmountKind::Discretionary) => {
                totals.discretionary += 1;
                if let Some(cap) = s.amount {
                    totals.discretionary_capped += 1;
                    if add(&mut totals.discretionary_cap, cap, at).is_err() {
                        overflow.0 = overflow.0.or(Some(at));
                    }
                }
            }
            Some(AmountKind::Reduction) => {
                if let Some(m) = s.amount
                    && add(&mut totals.reduction, m, at).is_err()
                {
                    overflow.1 = overflow.1.or(Some(at));
                }
            }
            _ => {}
        }
    }
    match overflow {
        (Some(at), _) | (None, Some(at)) => Err(at),
        (None, None) => Ok(()),
    }
}
