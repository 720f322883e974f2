//! `possible-double-payment`: two policies that both promise the same
//! award, under a 重叠 rule that says it is paid once, but under different
//! 事项 — so the overlap rules never compare them and both are paid.
//!
//! Whether two clauses describe the same award is read from their 原文.
//! Each sentence becomes a set of terms: the character bigrams of every
//! run of CJK characters or Latin letters (not across punctuation or
//! digits), leaving out the bigrams of grant wording that every sentence
//! has ([`GENERIC`]: `给予`, `最高`, `补助` …), and every figure with its
//! unit as one term (`500万元`, `50%`), so that the amount counts once and
//! `00` does not match every sum. A term weighs `ln(1 + N/df)` over the N
//! grant sentences loaded, so a term that many sentences share (`项目`,
//! `高新`) says less than a rare one (`概念验证`, `博士后`). The score is
//! the weighted overlap coefficient: the weight of the shared terms over
//! the weight of the smaller set, so that a short sentence repeated inside
//! a longer, more detailed one scores high. A pair is reported from
//! [`THRESHOLD`] on when the sentences share at least [`MIN_SHARED`] terms
//! (two short sentences do not match on a word or two).
//!
//! Interest subsidies are the one award the wording does not give away:
//! `贴息` reimburses interest on the firm's loans, and two policies that
//! both subsidise it pay the same interest twice whatever the recipient
//! words, so two 贴息 grants always match (score 1).
//!
//! Candidates are found through an index from term to clauses, so only
//! clauses that share a term are ever compared.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use rust_decimal::{Decimal, MathematicalOps};

use super::warning::Lint;
use super::{Ctx, clause_name};
use crate::ast::OverlapRule;
use crate::program::{Action, ClauseDef, PolicyDef, WindowDef};

/// The score from which two 原文 are taken to describe the same award.
/// Set on `policies/`: the repeated awards found by reading the texts
/// score 0.64 and more; below 0.6 the pairs are different awards to a
/// similar recipient.
pub(super) const THRESHOLD: Decimal = Decimal::from_parts(6, 0, 0, false, 1);

/// The fewest terms two sentences must share.
pub(super) const MIN_SHARED: usize = 5;

/// Bigrams of grant wording that say nothing about which award it is.
pub(super) const GENERIC: &[&str] = &[
    "给予", "予最", "最高", "高不", "不超", "超过", "万元", "元补", "补助", "元奖", "奖励", "元的",
    "的补", "的奖", "助最", "企业", "业给", "对符", "符合", "合条", "条件", "件的", "的企", "按照",
    "按其", "分别", "每年", "年度", "市本", "本级", "资助", "元资", "支持", "对经", "经认", "认定",
    "定的", "予补", "予奖", "的给", "对企", "一次", "次性", "性给",
];

/// One grant clause as the lint sees it.
struct Grant<'a> {
    policy: &'a PolicyDef,
    clause: &'a ClauseDef,
    window: (NaiveDate, NaiveDate),
    terms: BTreeSet<String>,
    /// Whether it is an interest subsidy.
    interest: bool,
}

/// Every pair of grants of different policies that may pay one award twice.
pub(super) fn run(cx: &Ctx<'_>, allowed: impl Fn(&PolicyDef, &ClauseDef) -> bool) -> Vec<Lint> {
    let grants = grants(cx);
    let index = Index::new(&grants);
    let mut out = Vec::new();
    for (i, a) in grants.iter().enumerate() {
        for (j, (n, w)) in index.shared(&grants, i) {
            let Some(b) = grants.get(j) else { continue };
            let Some(score) = index.score(i, j, a.interest && b.interest, n, w) else {
                continue;
            };
            if score < THRESHOLD
                || !candidates(a, b)
                || allowed(a.policy, a.clause)
                || allowed(b.policy, b.clause)
            {
                continue;
            }
            out.push(lint(cx, a, b, score));
        }
    }
    out
}

/// The grant clauses of titled policies that quote their 原文.
fn grants<'a>(cx: &Ctx<'a>) -> Vec<Grant<'a>> {
    cx.program
        .policies
        .iter()
        .filter(|p| p.title.is_some())
        .flat_map(|p| p.clauses.iter().map(move |c| (p, c)))
        .filter_map(|(p, c)| {
            let Action::Grant {
                extra: false, name, ..
            } = &c.action
            else {
                return None;
            };
            let source = c.source.as_deref()?;
            Some(Grant {
                policy: p,
                clause: c,
                window: window(c.window.or(p.window)),
                terms: terms(source),
                interest: name.as_deref() == Some("贴息") || source.contains("贴息"),
            })
        })
        .collect()
}

/// The grants by term, with each term's weight and each grant's mass
/// (the weight of all its terms).
struct Index<'g> {
    at: HashMap<&'g str, Vec<usize>>,
    weights: HashMap<&'g str, Decimal>,
    masses: Vec<Decimal>,
}

impl<'g> Index<'g> {
    fn new(grants: &'g [Grant<'_>]) -> Index<'g> {
        let mut at: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, g) in grants.iter().enumerate() {
            for t in &g.terms {
                at.entry(t.as_str()).or_default().push(i);
            }
        }
        // Exact decimals, not floats: the score decides a warning, and must
        // come out the same on every machine.
        let total = Decimal::from(grants.len());
        let weights: HashMap<&str, Decimal> = at
            .iter()
            .map(|(t, on)| {
                let df = Decimal::from(on.len().max(1));
                let w = (Decimal::ONE + total / df)
                    .checked_ln()
                    .unwrap_or(Decimal::ONE);
                (*t, w)
            })
            .collect();
        let mut index = Index {
            at,
            weights,
            masses: Vec::new(),
        };
        index.masses = grants
            .iter()
            .map(|g| g.terms.iter().map(|t| index.weight(t)).sum::<Decimal>())
            .collect();
        index
    }

    fn weight(&self, t: &str) -> Decimal {
        self.weights.get(t).copied().unwrap_or(Decimal::ZERO)
    }

    /// The later grants that share a term with grant `i` (or are, like
    /// it, interest subsidies), in order, with how many terms they share
    /// and the weight of those terms.
    fn shared(&self, grants: &[Grant<'_>], i: usize) -> Vec<(usize, (usize, Decimal))> {
        let Some(a) = grants.get(i) else {
            return Vec::new();
        };
        let mut shared: HashMap<usize, (usize, Decimal)> = HashMap::new();
        for t in &a.terms {
            let w = self.weight(t);
            for &j in self.at.get(t.as_str()).into_iter().flatten() {
                if j > i {
                    let e = shared.entry(j).or_default();
                    e.0 += 1;
                    e.1 += w;
                }
            }
        }
        if a.interest {
            for (j, b) in grants.iter().enumerate().skip(i + 1) {
                if b.interest {
                    shared.entry(j).or_default();
                }
            }
        }
        let mut hits: Vec<(usize, (usize, Decimal))> = shared.into_iter().collect();
        hits.sort_unstable_by_key(|(j, _)| *j);
        hits
    }

    /// How alike grants `i` and `j` are, sharing `n` terms of weight `w`;
    /// `None` when too few terms are shared to tell.
    fn score(&self, i: usize, j: usize, interest: bool, n: usize, w: Decimal) -> Option<Decimal> {
        let mass_of = |k: usize| self.masses.get(k).copied().unwrap_or(Decimal::ZERO);
        let least = mass_of(i).min(mass_of(j));
        if interest {
            Some(Decimal::ONE)
        } else if n >= MIN_SHARED && least > Decimal::ZERO {
            Some(w / least)
        } else {
            None
        }
    }
}

/// Different policies, windows that overlap, a rule on at least one side
/// that pays one award once, and not already one 事项.
fn candidates(a: &Grant<'_>, b: &Grant<'_>) -> bool {
    let best = |g: &Grant<'_>| g.policy.overlap == Some(OverlapRule::Best);
    // The overlap rules compare these already.
    let matter = a.clause.stacking_matter();
    let same_matter = matter.is_some() && matter == b.clause.stacking_matter();
    a.policy.title != b.policy.title
        && (best(a) || best(b))
        && !same_matter
        && a.window.0 <= b.window.1
        && b.window.0 <= a.window.1
}

/// A window as a closed range of days; an unknown end is open.
fn window(w: Option<WindowDef>) -> (NaiveDate, NaiveDate) {
    let (start, end) = match w {
        Some(WindowDef::Dates(s, e)) => (Some(s), e),
        Some(WindowDef::Unpublished { start, end }) => (start, end),
        None => (None, None),
    };
    (
        start.unwrap_or(NaiveDate::MIN),
        end.unwrap_or(NaiveDate::MAX),
    )
}

/// The terms of a sentence: the bigrams of its CJK and Latin runs that
/// are not [`GENERIC`], and its figures with their units.
pub(super) fn terms(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut run: Vec<char> = Vec::new();
    let mut chars = text.chars().peekable();
    let flush = |run: &mut Vec<char>, out: &mut BTreeSet<String>| {
        for w in run.windows(2) {
            let b: String = w.iter().collect();
            if !GENERIC.contains(&b.as_str()) {
                out.insert(b);
            }
        }
        run.clear();
    };
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            flush(&mut run, &mut out);
            let mut figure = String::from(c);
            while let Some(&d) = chars.peek() {
                if d.is_ascii_digit() || d == '.' {
                    figure.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            let rest: String = chars.clone().take(2).collect();
            for unit in ["万元", "亿元", "元", "%", "‰"] {
                if rest.starts_with(unit) {
                    figure.push_str(unit);
                    for _ in 0..unit.chars().count() {
                        chars.next();
                    }
                    break;
                }
            }
            out.insert(figure);
        } else if c.is_ascii_alphabetic() || ('\u{4e00}'..='\u{9fff}').contains(&c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
        }
    }
    flush(&mut run, &mut out);
    out
}

fn lint(cx: &Ctx<'_>, a: &Grant<'_>, b: &Grant<'_>, score: Decimal) -> Lint {
    // Shown on the clause whose policy promises to pay once.
    let (here, there) = if a.policy.overlap == Some(OverlapRule::Best) {
        (a, b)
    } else {
        (b, a)
    };
    Lint::PossibleDoublePayment {
        src: cx.src(here.clause.loc.file),
        span: here.clause.loc.span.into(),
        clause: clause_name(here.clause),
        other: format!(
            "《{}》“{}”",
            there.policy.title.clone().unwrap_or_default(),
            there.clause.label
        ),
        at: cx.program.position(there.clause.loc),
        score: format!("{:.2}", score.round_dp(2)),
    }
}
