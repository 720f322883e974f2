//! Caps that cannot matter: `给予 20万元，最高 30万元` never reaches its cap;
//! `对 研发投入 超过 6000万元 给予 研发投入 的 20%，最高 1000万元` always does.
//! The range of the capped amount comes from the clause's own conditions
//! (and the policy's 适用); anything not bounded by them is unbounded, so
//! an ordinary cap on a computed amount never triggers these lints.

use rust_decimal::Decimal;

use super::Ctx;
use super::ranges::{Req, closure, conjuncts, literal, requirements, subject_key};
use super::warning::Lint;
use crate::num::{Money, Ratio};
use crate::program::interval::{Analysis, Facts, Interval};
use crate::program::{Action, AmountCore, ClauseDef, Expr, GrantAmount, Loc, Value};

/// What the clause's conditions (and the policy's 适用) say about a value
/// it compares with constants: the smallest closed range they allow.
fn bounded_by(cx: &Ctx<'_>, reqs: &[Req], e: &Expr) -> Option<Interval> {
    let key = subject_key(cx.program, e)?;
    let (lo, hi) = closure(reqs, &key);
    (lo.is_some() || hi.is_some()).then_some(Interval { lo, hi })
}

/// The range and place of an amount proper.
fn core(an: &Analysis<'_>, c: &AmountCore) -> (Interval, Loc) {
    let at = match c {
        AmountCore::Expr(e) => e.loc(),
        AmountCore::PerUnit { loc, .. } => *loc,
    };
    (an.core(c), at)
}

/// The cap lints of one clause.
/// `scope` holds the requirements of the policy's 适用.
pub(super) fn caps(cx: &Ctx<'_>, scope: &[Req], c: &ClauseDef) -> Vec<Lint> {
    let Action::Grant { amount, .. } = &c.action else {
        return vec![];
    };
    let mut parts = Vec::new();
    conjuncts(&c.cond, None, &mut parts);
    let mut reqs = scope.to_vec();
    reqs.extend(requirements(cx.program, &parts));
    let known = |e: &Expr| bounded_by(cx, &reqs, e);
    // A finding must follow from the clause's own words: see `Facts`.
    let an = Analysis::new(cx.program, Facts::Unknown).knowing(&known);
    let mut out = Vec::new();
    let mut exprs: Vec<&Expr> = Vec::new();
    match amount {
        GrantAmount::Single(a) => {
            let (iv, loc) = core(&an, &a.core);
            if let Some(cap) = &a.cap {
                out.extend(judge(&an, cx, iv, loc, cap, "上限", "金额"));
            }
            push_core(&a.core, &mut exprs);
        }
        GrantAmount::Tiers { items, cap, .. } => {
            let cores: Vec<(Interval, Loc)> = items.iter().map(|i| core(&an, i)).collect();
            if let (Some(cap), Some((first, first_loc))) = (cap, cores.first()) {
                let hull = cores.iter().fold(*first, |acc, (iv, _)| acc.hull(*iv));
                let span = cores.iter().fold(first_loc.span, |s, (_, l)| s.to(l.span));
                out.extend(judge(
                    &an,
                    cx,
                    hull,
                    Loc {
                        file: first_loc.file,
                        span,
                    },
                    cap,
                    "上限",
                    "金额",
                ));
            }
            for i in items {
                push_core(i, &mut exprs);
            }
        }
        // An item's amount reads fields no lint bounds.
        GrantAmount::Discretionary { .. } | GrantAmount::Items(_) => {}
        GrantAmount::Range { low, high, cap } => {
            let (iv, loc) = core(&an, high);
            if let Some(cap) = cap {
                out.extend(judge(&an, cx, iv, loc, cap, "上限", "金额"));
            }
            push_core(low, &mut exprs);
            push_core(high, &mut exprs);
        }
        GrantAmount::Schedule(s) => {
            // A split's years share one cap, the yearly one, over one
            // amount (or one per tier) by different shares: it is judged
            // once, over every year, not year by year (40% of the amount
            // may pass it while 30% does not).
            let judged: Vec<Vec<&crate::program::ScheduleRun>> = if s.split {
                vec![s.runs.iter().collect()]
            } else {
                s.runs.iter().map(|r| vec![r]).collect()
            };
            for group in judged {
                let Some(r) = group.first() else { continue };
                // A run of tiers is judged as 分别 is: over all its tiers.
                let cores: Vec<(Interval, Loc)> = group
                    .iter()
                    .flat_map(|r| r.cores())
                    .map(|c| core(&an, c))
                    .collect();
                if let (Some(cap), Some((first, first_loc))) = (&r.amount.cap, cores.first()) {
                    let hull = cores.iter().fold(*first, |acc, (iv, _)| acc.hull(*iv));
                    let span = cores.iter().fold(first_loc.span, |s, (_, l)| s.to(l.span));
                    let loc = Loc {
                        file: first_loc.file,
                        span,
                    };
                    out.extend(judge(&an, cx, hull, loc, cap, "上限", "金额"));
                }
                for r in &group {
                    r.cores().for_each(|c| push_core(c, &mut exprs));
                }
            }
        }
    }
    let mut bases = Vec::new();
    for e in exprs {
        base_caps(e, &mut bases);
    }
    for (base, cap) in bases {
        out.extend(judge(
            &an,
            cx,
            an.expr(base),
            base.loc(),
            cap,
            "基数上限",
            "基数",
        ));
    }
    out
}

fn judge(
    an: &Analysis<'_>,
    cx: &Ctx<'_>,
    amount: Interval,
    at: Loc,
    cap: &Expr,
    what: &str,
    subject: &str,
) -> Option<Lint> {
    let c = an.expr(cap);
    let cap_loc = cap.loc();
    if at.file != cap_loc.file {
        return None;
    }
    let shown = |d: Decimal| show(cap, d);
    let src = cx.src(at.file);
    let cap_text = cx.program.text(cap_loc).to_string();
    if let (Some(h), Some(c)) = (amount.hi, c.lo)
        && h <= c
    {
        return Some(Lint::CapNeverBinds {
            src,
            amount: at.span.into(),
            cap_span: cap_loc.span.into(),
            what: what.into(),
            subject: subject.into(),
            cap: cap_text,
            most: shown(h),
        });
    }
    if let (Some(l), Some(c)) = (amount.lo, c.hi)
        && l >= c
    {
        return Some(Lint::CapAlwaysBinds {
            src,
            amount: at.span.into(),
            cap_span: cap_loc.span.into(),
            what: what.into(),
            subject: subject.into(),
            cap: cap_text,
            least: shown(l),
        });
    }
    None
}

/// A number in the cap's own kind: `200万元`, `20%`, or plain.
fn show(cap: &Expr, d: Decimal) -> String {
    match literal(cap) {
        Some(Value::Ratio(_)) => Ratio(d).to_string(),
        Some(Value::Money(_)) | None => Money(d).to_chinese(),
        Some(_) => d.normalize().to_string(),
    }
}

fn push_core<'a>(c: &'a AmountCore, out: &mut Vec<&'a Expr>) {
    match c {
        AmountCore::Expr(e) => out.push(e),
        AmountCore::PerUnit { rate, .. } => out.push(rate),
    }
}

/// Every `X 最高 C 的 …` inside an amount: (X, C).
fn base_caps<'a>(e: &'a Expr, out: &mut Vec<(&'a Expr, &'a Expr)>) {
    match e {
        // A cap's own parts are not an amount paid: not looked into.
        Expr::Of {
            base,
            base_cap,
            shares,
            ..
        } => {
            if let Some(cap) = base_cap {
                out.push((base, cap));
            }
            base_caps(base, out);
            for s in shares {
                base_caps(s, out);
            }
        }
        // A defined amount may be used under different conditions, and may
        // sit in another file: its caps are not judged per use.
        Expr::Named { .. } => {}
        _ => {
            for c in e.children() {
                base_caps(c, out);
            }
        }
    }
}
