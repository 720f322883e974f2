//! Runs 案例 blocks: each case's facts and date against everything loaded,
//! each expectation compared with what came out.

use crate::ast::{Expected, Module};
use crate::check::{self, Assumptions};
use crate::eval::ClauseKind;
use crate::eval::{
    AmountKind, ClauseResult, EvalConfig, EvalError, Outcome, Status, Verdict, evaluate,
};
use crate::num::Money;
use crate::program::PolicyId;
use crate::program::{CaseDef, Program};
use crate::report::{amount_words, result_words};

/// One expectation that did not hold.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The expectation as written.
    pub expectation: String,
    /// What was expected, in words.
    pub expected: String,
    /// What came out, in words.
    pub actual: String,
    /// The clause concerned, if any.
    pub clause: Option<(usize, usize)>,
}

/// A case's result.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// The case.
    pub case: usize,
    /// Expectations that failed (empty: passed).
    pub failures: Vec<Failure>,
    /// The evaluation, for explanations.
    pub outcome: Option<Outcome>,
    /// An evaluation error, if it could not be evaluated.
    pub error: Option<String>,
}

impl CaseResult {
    /// Whether every expectation held.
    pub fn passed(&self) -> bool {
        self.failures.is_empty() && self.error.is_none()
    }
}

/// Runs one case.
pub fn run_case(program: &Program, index: usize, case: &CaseDef) -> CaseResult {
    run_case_applying(program, index, case, None)
}

/// Runs one case, applying on `apply_date` unless the case says
/// 申报日期 itself.
pub fn run_case_applying(
    program: &Program,
    index: usize,
    case: &CaseDef,
    apply_date: Option<chrono::NaiveDate>,
) -> CaseResult {
    let mut result = CaseResult {
        case: index,
        failures: Vec::new(),
        outcome: None,
        error: None,
    };
    let Some(date) = case.date else {
        result.error = Some("案例缺少 日期".into());
        return result;
    };
    let facts = case.facts.row(&program.vocab);
    let config = EvalConfig {
        explain: true,
        apply_date: case.apply_date.or(apply_date),
        ..EvalConfig::on(date)
    };
    let outcome = match evaluate(program, &facts, &config) {
        Ok(o) => o,
        Err(e) => {
            result.error = Some(eval_error_text(&e));
            return result;
        }
    };
    for e in &case.expectations {
        let written = crate::report::source_words(program.text(e.loc));
        let failure = match e.clause {
            None => check_total(program, &outcome, &e.expected),
            Some((p, c)) => match outcome.clause(p, c) {
                Some(r) => check_clause(program, r, &e.expected, e.by),
                None => Some(("（条款不存在）".into(), String::new())),
            },
        };
        if let Some((expected, actual)) = failure {
            result.failures.push(Failure {
                expectation: written,
                expected,
                actual,
                clause: e.clause,
            });
        }
    }
    result.outcome = Some(outcome);
    result
}

/// Runs one case as [`run_case`] does, except that a case assuming
/// publication dates (`发布 《标题》 …`) runs against `modules` re-checked
/// with its assumptions added to `base` (the command line's), so that its
/// policies' windows are resolved from the assumed dates.
pub fn run_case_assuming(
    modules: &[Module],
    base: &Assumptions,
    program: &Program,
    index: usize,
    case: &CaseDef,
    apply_date: Option<chrono::NaiveDate>,
) -> CaseResult {
    if case.published.is_empty() {
        return run_case_applying(program, index, case, apply_date);
    }
    let checked = check::check_unlinted(modules, &base.overridden_by(&case.published));
    match checked {
        Ok(c) => match c.program.cases.get(index).filter(|c2| c2.loc == case.loc) {
            Some(same) => run_case_applying(&c.program, index, same, apply_date),
            None => CaseResult {
                case: index,
                failures: Vec::new(),
                outcome: None,
                error: Some("按假定的发布日期重新检查后找不到该案例".into()),
            },
        },
        Err(errors) => CaseResult {
            case: index,
            failures: Vec::new(),
            outcome: None,
            error: Some(
                errors
                    .iter()
                    .map(|e| crate::diagnostics::render(e, crate::diagnostics::Style::plain()))
                    .collect(),
            ),
        },
    }
}

fn eval_error_text(e: &EvalError) -> String {
    crate::diagnostics::render(e, crate::diagnostics::Style::plain())
}

fn same_money(a: Money, b: Money) -> bool {
    a.rounded() == b.rounded()
}

/// `Some((expected, actual))` when the total is not as expected.
fn check_total(
    program: &Program,
    outcome: &Outcome,
    expected: &Expected,
) -> Option<(String, String)> {
    let t = &outcome.totals;
    let actual_kind = if !t.at_most.0.is_zero() {
        AmountKind::AtMost
    } else if !t.at_least.0.is_zero() {
        AmountKind::AtLeast
    } else {
        AmountKind::Exact
    };
    let actual = format!(
        "合计 {}",
        amount_words(Some(actual_kind), Some(outcome.total))
    );
    match expected {
        // `期望 合计 减免 X`: the 减免 beside the total, which never enters it.
        Expected::Amount(AmountKind::Reduction, m) => (!same_money(t.reduction, *m)).then(|| {
            (
                format!("合计 减免 {}", m),
                format!("合计 减免 {}", t.reduction),
            )
        }),
        Expected::Amount(b, m) => {
            let kind_ok = *b == actual_kind || outcome.total.0.is_zero() && m.0.is_zero();
            (!(kind_ok && same_money(outcome.total, *m)))
                .then(|| (format!("合计 {}", amount_words(Some(*b), Some(*m))), actual))
        }
        // `期望 合计 额度 125亩`: the quotas in that unit, never in the total.
        Expected::Quota(_, v, unit) => {
            let got = crate::eval::quota_totals(program, &outcome.clauses)
                .into_iter()
                .find(|(u, _)| u == unit)
                .map_or(Money::ZERO, |(_, m)| m);
            (!same_money(got, Money(*v))).then(|| {
                (
                    format!(
                        "合计 额度 {}",
                        crate::report::quota_words(None, Some(Money(*v)), unit)
                    ),
                    format!("合计 额度 {}", crate::eval::quota_value_words(got, unit)),
                )
            })
        }
        Expected::Discretionary if t.discretionary > 0 => None,
        Expected::DiscretionaryCount(n) => (usize::try_from(*n).ok() != Some(t.discretionary))
            .then(|| {
                (
                    expected_words(expected),
                    format!("酌定 {}项", t.discretionary),
                )
            }),
        other => Some((expected_words(other), actual)),
    }
}

/// `Some((expected, actual))` when a clause is not as expected.
fn check_clause(
    program: &Program,
    r: &ClauseResult,
    expected: &Expected,
    by: Option<(PolicyId, usize)>,
) -> Option<(String, String)> {
    let actual = match (expected, crate::eval::shares(program, r)) {
        (Expected::Shares(_), Some(Ok(shares))) => {
            share_words(shares.iter().map(|(n, m)| (n.as_str(), *m)))
        }
        _ => actual_words(program, r),
    };
    let ok = match expected {
        Expected::Amount(b, m) => {
            r.status == Status::Applies
                && r.amount_kind == Some(*b)
                && r.amount.is_some_and(|a| same_money(a, *m))
                && crate::eval::quota_of(program, r).is_none()
        }
        Expected::Quota(b, v, unit) => {
            r.status == Status::Applies
                && r.amount_kind == Some(*b)
                && r.amount.is_some_and(|a| same_money(a, Money(*v)))
                && crate::eval::quota_of(program, r) == Some(unit.as_str())
        }
        Expected::Range(low, high) => {
            r.status == Status::Applies
                && r.amount_kind == Some(AmountKind::Range)
                && r.floor.is_some_and(|a| same_money(a, *low))
                && r.amount.is_some_and(|a| same_money(a, *high))
        }
        Expected::Discretionary => {
            r.status == Status::Applies && r.amount_kind == Some(AmountKind::Discretionary)
        }
        // Only written after 期望 (a total), never on a clause.
        Expected::DiscretionaryCount(_) => false,
        Expected::NotApplicable => matches!(r.status, Status::NotApplicable | Status::NotInForce),
        Expected::NotInForce => r.status == Status::NotInForce,
        Expected::Encouraged => r.status == Status::Applies && r.kind == ClauseKind::Permission,
        Expected::DisplacedBy { .. } => r.displaced_by.is_some() && r.displaced_by == by,
        Expected::Shares(want) => {
            let got = crate::eval::shares(program, r).and_then(Result::ok);
            let got: Vec<(&str, _)> = got
                .iter()
                .flatten()
                .map(|(n, m)| (n.as_str(), m.rounded()))
                .collect();
            let want: Vec<(&str, _)> = want
                .iter()
                .map(|(n, m)| (n.text.as_str(), m.rounded()))
                .collect();
            !got.is_empty() && got == want
        }
        Expected::Undecided => {
            r.status == Status::Undecided || r.verdict == Some(Verdict::Undecided)
        }
        Expected::UndecidedFor(names) => {
            let mut want: Vec<&str> = names.iter().map(|n| n.text.as_str()).collect();
            let mut got: Vec<&str> = r.missing.iter().map(|f| program.vocab.name(*f)).collect();
            want.sort_unstable();
            got.sort_unstable();
            (r.status == Status::Undecided || r.verdict == Some(Verdict::Undecided)) && want == got
        }
        Expected::Exempt => r.status == Status::Applies && r.verdict == Some(Verdict::Exempt),
        Expected::Violated => r.status == Status::Applies && r.verdict == Some(Verdict::Violated),
        Expected::Met => r.status == Status::Applies && r.verdict == Some(Verdict::Met),
        Expected::OutsideApplicationWindow => r.status == Status::OutsideApplicationWindow,
        Expected::Displaced => r.status == Status::Applies && r.displaced_by.is_some(),
    };
    (!ok).then(|| (expected_words(expected), actual))
}

fn expected_words(e: &Expected) -> String {
    match e {
        Expected::Amount(b, m) => format!("给予 {}", amount_words(Some(*b), Some(*m))),
        Expected::Range(low, high) => format!("给予 {low} 至 {high}"),
        Expected::Quota(b, v, unit) => format!(
            "给予 额度 {}",
            crate::report::quota_words(Some(*b), Some(Money(*v)), unit)
        ),
        Expected::Discretionary => "给予 酌定".into(),
        Expected::DiscretionaryCount(n) => format!("酌定 {n}项"),
        Expected::NotApplicable => Status::NotApplicable.word().into(),
        Expected::NotInForce => Status::NotInForce.word().into(),
        Expected::Encouraged => "鼓励".into(),
        Expected::DisplacedBy { policy, label } => {
            let title = policy
                .as_ref()
                .map(|p| format!("《{}》", p.node))
                .unwrap_or_default();
            // A 第三条 label reads as written; any other was quoted.
            if label.text.starts_with('第') && label.text.ends_with('条') {
                format!("由 {title}{} 取代", label.text)
            } else {
                format!("由 {title}“{}” 取代", label.text)
            }
        }
        Expected::Shares(shares) => share_words(shares.iter().map(|(n, m)| (n.text.as_str(), *m))),
        Expected::Undecided => Status::Undecided.word().into(),
        Expected::UndecidedFor(names) => format!(
            "{}（缺少：{}）",
            Status::Undecided.word(),
            names
                .iter()
                .map(|n| n.text.as_str())
                .collect::<Vec<_>>()
                .join("、")
        ),
        Expected::Exempt => Verdict::Exempt.word().into(),
        Expected::Violated => Verdict::Violated.word().into(),
        Expected::Met => Verdict::Met.word().into(),
        Expected::OutsideApplicationWindow => Status::OutsideApplicationWindow.word().into(),
        Expected::Displaced => crate::eval::words::DISPLACED.into(),
    }
}

fn share_words<'a>(shares: impl Iterator<Item = (&'a str, Money)>) -> String {
    let parts: Vec<String> = shares
        .map(|(n, m)| format!("{n} {}", amount_words(None, Some(m))))
        .collect();
    format!("分担 {}", parts.join(" "))
}

fn actual_words(program: &Program, r: &ClauseResult) -> String {
    if r.status == Status::Applies && r.verdict.is_none() && r.amount_kind.is_some() {
        let mut s = match crate::eval::quota_of(program, r) {
            Some(unit) => format!(
                "给予 额度 {}",
                crate::report::quota_words(r.amount_kind, r.amount, unit)
            ),
            None => format!("给予 {}", crate::report::clause_amount_words(r)),
        };
        if r.displaced_by.is_some() {
            s.push_str(&format!("（{}）", result_words(program, r)));
        }
        s
    } else {
        result_words(program, r)
    }
}
