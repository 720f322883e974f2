//! Thresholds: a clause whose conditions contradict each other, and two
//! clauses that split the same amount at a boundary both or neither of
//! them includes.

use std::collections::{BTreeSet, HashMap};

use super::ranges::{Conjunct, End, Need, Req, conflict, conjuncts, requirements, squeeze};
use super::warning::Lint;
use super::{Ctx, clause_name};
use crate::program::{ClauseDef, PolicyDef};

/// The requirements the policy's 适用 puts on every clause, worked out once
/// per policy (a scope can be large once its 定义 are copied in).
pub(super) fn scope_requirements(cx: &Ctx<'_>, p: &PolicyDef) -> Vec<Req> {
    let mut parts = Vec::new();
    if let Some(scope) = &p.scope {
        conjuncts(scope, None, &mut parts);
    }
    requirements(cx.program, &parts)
}

/// `研发投入 超过 500万元 且 研发投入 不足 300万元`: two requirements on the
/// same value (the policy's 适用 included) that no value meets.
pub(super) fn never_applies(cx: &Ctx<'_>, scope: &[Req], c: &ClauseDef) -> Option<Lint> {
    let mut parts = Vec::new();
    conjuncts(&c.cond, None, &mut parts);
    let own = requirements(cx.program, &parts);
    let reqs: Vec<&Req> = scope.iter().chain(&own).collect();
    for (i, a) in reqs.iter().enumerate() {
        for b in reqs.iter().skip(i + 1) {
            if a.subject == b.subject && conflict(&a.need, &b.need) && a.shown.file == b.shown.file
            {
                return Some(Lint::NeverApplies {
                    src: cx.src(a.shown.file),
                    first: a.shown.span.into(),
                    second: b.shown.span.into(),
                    clause: clause_name(c),
                });
            }
        }
    }
    None
}

/// One clause's conjuncts and their requirements.
struct Split<'a> {
    clause: &'a ClauseDef,
    parts: Vec<Conjunct<'a>>,
    reqs: Vec<Req>,
}

/// `100万元 以上` in one clause and `100万元 以下` in another (overlap), or
/// `超过 100万元` and `不足 100万元` (gap). Only for clauses of one policy
/// that could be one matter (not two different 事项) and whose other
/// conditions are written the same, so that they really split one group
/// of entities at the threshold.
pub(super) fn boundaries(
    cx: &Ctx<'_>,
    p: &PolicyDef,
    allowed: impl Fn(&ClauseDef, &str) -> bool,
) -> Vec<Lint> {
    let splits: Vec<Split<'_>> = p
        .clauses
        .iter()
        .map(|clause| {
            let mut parts = Vec::new();
            conjuncts(&clause.cond, None, &mut parts);
            let reqs = requirements(cx.program, &parts);
            Split {
                clause,
                parts,
                reqs,
            }
        })
        .collect();
    let mut out = Vec::new();
    for (i, j) in candidates(&splits) {
        let (Some(a), Some(b)) = (splits.get(i), splits.get(j)) else {
            continue;
        };
        let (ca, cb) = (a.clause, b.clause);
        if ca.explicit_matter && cb.explicit_matter && ca.matter != cb.matter {
            continue;
        }
        let Some((ra, rb, lo, hi)) = split_point(a, b, cx) else {
            continue;
        };
        let value = ra
            .value
            .map_or_else(String::new, |l| cx.program.text(l).to_string());
        let (src, first, second) = (
            cx.src(ra.shown.file),
            ra.shown.span.into(),
            rb.shown.span.into(),
        );
        let lint = if lo.inclusive && hi.inclusive {
            Lint::ThresholdOverlap {
                src,
                first,
                second,
                value,
            }
        } else if !lo.inclusive && !hi.inclusive {
            Lint::ThresholdGap {
                src,
                first,
                second,
                value,
            }
        } else {
            continue;
        };
        if !allowed(ca, lint.name()) && !allowed(cb, lint.name()) {
            out.push(lint);
        }
    }
    out
}

/// The pairs of clauses (earlier first, in order) that could split at a
/// point: a lower bound alone in one and an upper bound alone in the
/// other, on the same subject in the same file at the same value. Indexed
/// by that point rather than trying every pair, which is quadratic in the
/// clauses of a policy (10⁵ clauses took minutes); the pairs are visited
/// in the order the pairwise loop visited them, so the lints come out the
/// same.
fn candidates(splits: &[Split<'_>]) -> BTreeSet<(usize, usize)> {
    type Point<'s> = (&'s str, crate::program::FileId, rust_decimal::Decimal);
    let mut lows: HashMap<Point<'_>, Vec<usize>> = HashMap::new();
    let mut highs: HashMap<Point<'_>, Vec<usize>> = HashMap::new();
    for (i, s) in splits.iter().enumerate() {
        for r in &s.reqs {
            let (side, end) = match &r.need {
                Need::Range {
                    lo: Some(l),
                    hi: None,
                } => (&mut lows, l),
                Need::Range {
                    lo: None,
                    hi: Some(h),
                } => (&mut highs, h),
                _ => continue,
            };
            side.entry((r.subject.as_str(), r.shown.file, end.value))
                .or_default()
                .push(i);
        }
    }
    let mut pairs = BTreeSet::new();
    for (point, ls) in &lows {
        let Some(hs) = highs.get(point) else {
            continue;
        };
        for &a in ls {
            for &b in hs {
                if a != b {
                    pairs.insert((a.min(b), a.max(b)));
                }
            }
        }
    }
    pairs
}

/// A lower bound in one clause and an upper bound at the same value in the
/// other, on the same subject, with everything else written alike.
fn split_point<'a>(
    a: &'a Split<'_>,
    b: &'a Split<'_>,
    cx: &Ctx<'_>,
) -> Option<(&'a Req, &'a Req, End, End)> {
    for ra in &a.reqs {
        for rb in &b.reqs {
            if ra.subject != rb.subject || ra.shown.file != rb.shown.file {
                continue;
            }
            let ends = match (&ra.need, &rb.need) {
                (
                    Need::Range {
                        lo: Some(l),
                        hi: None,
                    },
                    Need::Range {
                        lo: None,
                        hi: Some(h),
                    },
                )
                | (
                    Need::Range {
                        lo: None,
                        hi: Some(h),
                    },
                    Need::Range {
                        lo: Some(l),
                        hi: None,
                    },
                ) => (*l, *h),
                _ => continue,
            };
            if ends.0.value == ends.1.value
                && others(a, &ra.subject, cx) == others(b, &rb.subject, cx)
            {
                return Some((ra, rb, ends.0, ends.1));
            }
        }
    }
    None
}

/// The conjuncts of a clause that do not bear on `subject`, as written.
fn others(s: &Split<'_>, subject: &str, cx: &Ctx<'_>) -> BTreeSet<String> {
    s.parts
        .iter()
        .filter(|p| {
            !s.reqs
                .iter()
                .any(|r| r.subject == subject && r.shown == p.shown)
        })
        .map(|p| squeeze(cx.program.text(p.shown)))
        .collect()
}
