//! `zhengce match`: one company against everything loaded, in four groups
//! an applicant can act on — what it can apply for (可获得), what it
//! narrowly misses (差一点), what is still open and which facts would
//! decide it (待补充), and the obligations that bind it (义务) — each item
//! with one Chinese sentence. Clauses that do not concern the company are
//! one count per policy.
//!
//! Every amount comes from the evaluator: a near miss is priced by
//! evaluating the program again with the gap closed, the most an open
//! clause could pay by evaluating it with its condition taken as met.

pub(crate) mod apply;
pub(crate) mod error;
pub(crate) mod gaps;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod register;
pub(crate) mod sentence;
pub(crate) mod stake;

use chrono::NaiveDate;

pub(crate) use gaps::{Bounds, Gap};

use crate::eval::{
    AmountKind, ClauseKind, ClauseResult, EvalConfig, EvalError, Outcome, Status, Verdict, evaluate,
};
use crate::facts::Facts;
use crate::num::Money;
use crate::program::{FactId, PolicyId, Program};

/// How to match.
#[derive(Debug, Clone)]
pub(crate) struct MatchConfig {
    /// The evaluation.
    pub eval: EvalConfig,
    /// How far a near miss may be from its threshold.
    pub bounds: Bounds,
    /// The day application windows are read against when no application
    /// date is given (`eval.apply_date`): those closing within 30 days
    /// are flagged.
    pub as_of: Option<NaiveDate>,
}

impl MatchConfig {
    /// The day to flag closing windows against: only without an
    /// application date (with one, windows are enforced instead).
    pub(crate) fn closing_as_of(&self) -> Option<NaiveDate> {
        self.as_of.filter(|_| self.eval.apply_date.is_none())
    }
}

/// A clause that applies: a grant the company can apply for, or an
/// exemption it enjoys.
#[derive(Debug, Clone)]
pub(crate) struct Applicable {
    /// The clause's result.
    pub result: ClauseResult,
    /// The sentence.
    pub text: String,
}

/// A grant whose condition fails only on gaps the company could close.
#[derive(Debug, Clone)]
pub(crate) struct NearMiss {
    /// The failing comparisons.
    pub gaps: Vec<Gap>,
    /// The clause's result with every gap closed (it applies).
    pub at_threshold: ClauseResult,
    /// The sentence.
    pub text: String,
}

impl NearMiss {
    /// What the clause would pay at the threshold.
    pub(crate) fn would_pay(&self) -> Option<Money> {
        self.at_threshold.amount
    }
}

/// A clause still open.
#[derive(Debug, Clone)]
pub(crate) struct Undecided {
    /// The clause's result.
    pub result: ClauseResult,
    /// Facts that could still change it.
    pub missing: Vec<FactId>,
    /// The most it could pay; `None`: nothing bounds it (无上限).
    pub at_stake: Option<Money>,
    /// Gaps that must close first (the clause fails today, and stays open
    /// once they are closed).
    pub gaps: Vec<Gap>,
    /// The sentence.
    pub text: String,
}

/// A missing fact and what it could decide.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FactMatter {
    /// The fact.
    pub fact: FactId,
    /// How many open clauses it can decide.
    pub clauses: usize,
    /// The most those clauses could pay together (`None`: 无上限).
    pub at_stake: Option<Money>,
}

/// A 不得 / 应当 clause that binds (or may bind) the company.
#[derive(Debug, Clone)]
pub(crate) struct Obligation {
    /// The clause's result.
    pub result: ClauseResult,
    /// The sentence.
    pub text: String,
}

impl Obligation {
    /// `violated`, `undecided` or `met`.
    pub(crate) fn state(&self) -> Verdict {
        match (self.result.status, self.result.verdict) {
            (Status::Applies, Some(v)) => v,
            _ => Verdict::Undecided,
        }
    }
}

/// The clauses of one policy that do not concern the company.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PolicyCount {
    /// The policy.
    pub policy: PolicyId,
    /// Clauses whose conditions do not hold (near misses excluded).
    pub not_applicable: usize,
    /// Clauses out of force on the date.
    pub not_in_force: usize,
    /// Advisory clauses (可 / 鼓励) that apply.
    pub advisory: usize,
    /// Grants that apply but another grant of the same matter replaces.
    pub displaced: usize,
    /// Grants and exemptions the application date falls outside the 申报
    /// window of (不在申报期).
    pub outside_application_window: usize,
}

/// Everything `match` says about one company.
#[derive(Debug, Clone)]
pub(crate) struct Report {
    /// The evaluation date.
    pub date: NaiveDate,
    /// 可获得, most money first.
    pub applicable: Vec<Applicable>,
    /// 差一点, most money first.
    pub near_miss: Vec<NearMiss>,
    /// 待补充, most money first (无上限 first of all).
    pub undecided: Vec<Undecided>,
    /// The facts still missing, most money first.
    pub facts_that_matter: Vec<FactMatter>,
    /// 义务, violated first.
    pub obligations: Vec<Obligation>,
    /// One count per policy of the clauses that do not concern the company.
    pub others: Vec<PolicyCount>,
    /// The day closing application windows were flagged against (`None`
    /// with an application date: windows are enforced then).
    pub as_of: Option<NaiveDate>,
    /// The application date, when given.
    pub apply_date: Option<NaiveDate>,
    /// The evaluation itself (totals, every clause).
    pub outcome: Outcome,
}

/// Matches one company's facts against the program.
pub(crate) fn analyse(
    program: &Program,
    facts: &Facts,
    config: &MatchConfig,
) -> Result<Report, EvalError> {
    // Sentences word the evaluator's derivations.
    let config = &MatchConfig {
        eval: EvalConfig {
            derive: true,
            ..config.eval.clone()
        },
        bounds: config.bounds,
        as_of: config.as_of,
    };
    let as_of = config.closing_as_of();
    let outcome = evaluate(program, facts, &config.eval)?;
    let stakes = stake::Stakes::new(program, facts, &config.eval, &outcome);
    let analyzer = gaps::Analyzer::new(program, facts, config.eval.date, config.bounds);
    let mut report = Report {
        date: config.eval.date,
        applicable: Vec::new(),
        near_miss: Vec::new(),
        undecided: Vec::new(),
        facts_that_matter: Vec::new(),
        obligations: Vec::new(),
        others: Vec::new(),
        as_of,
        apply_date: config.eval.apply_date,
        outcome: outcome.clone(),
    };
    let mut counts: Vec<PolicyCount> = (0..program.policies.len())
        .map(|policy| PolicyCount {
            policy,
            not_applicable: 0,
            not_in_force: 0,
            advisory: 0,
            displaced: 0,
            outside_application_window: 0,
        })
        .collect();
    let sorter = Sorter {
        program,
        facts,
        config,
        as_of,
        stakes: &stakes,
        analyzer: &analyzer,
    };
    for r in &outcome.clauses {
        sorter.sort(&mut report, counts.get_mut(r.policy), r)?;
    }
    report.others = counts
        .into_iter()
        .filter(|c| {
            c.not_applicable
                + c.not_in_force
                + c.advisory
                + c.displaced
                + c.outside_application_window
                > 0
        })
        .collect();
    order(&mut report);
    report.facts_that_matter = stake::facts_that_matter(&report.undecided);
    Ok(report)
}

/// What one company's evaluation is read with, to sort its clauses into
/// the report's lists.
struct Sorter<'a> {
    program: &'a Program,
    facts: &'a Facts,
    config: &'a MatchConfig,
    as_of: Option<NaiveDate>,
    stakes: &'a stake::Stakes<'a>,
    analyzer: &'a gaps::Analyzer<'a>,
}

impl Sorter<'_> {
    /// Puts one clause's result in its list, or counts it under its policy.
    fn sort(
        &self,
        report: &mut Report,
        count: Option<&mut PolicyCount>,
        r: &ClauseResult,
    ) -> Result<(), EvalError> {
        let (program, facts) = (self.program, self.facts);
        let binding = matches!(r.kind, ClauseKind::Prohibition | ClauseKind::Obligation);
        let counted = |count: Option<&mut PolicyCount>,
                       field: fn(&mut PolicyCount) -> &mut usize| {
            if let Some(c) = count {
                *field(c) += 1;
            }
        };
        match r.status {
            Status::NotInForce => counted(count, |c| &mut c.not_in_force),
            Status::OutsideApplicationWindow => {
                counted(count, |c| &mut c.outside_application_window);
            }
            _ if binding && r.status != Status::NotApplicable => {
                report.obligations.push(Obligation {
                    result: r.clone(),
                    text: sentence::obligation(program, facts, r),
                });
            }
            Status::Applies => match r.kind {
                ClauseKind::Grant if r.displaced_by.is_some() => {
                    counted(count, |c| &mut c.displaced);
                }
                ClauseKind::Grant | ClauseKind::Exemption => {
                    report.applicable.push(Applicable {
                        result: r.clone(),
                        text: apply::with_words(
                            sentence::applicable(program, facts, self.config.eval.date, r),
                            program,
                            r,
                            self.as_of,
                        ),
                    });
                }
                _ => counted(count, |c| &mut c.advisory),
            },
            Status::Undecided => {
                if matches!(r.kind, ClauseKind::Grant | ClauseKind::Exemption) {
                    let at_stake = self.stakes.at_stake(r);
                    report.undecided.push(Undecided {
                        text: apply::with_words(
                            sentence::undecided(program, facts, r, &[], at_stake),
                            program,
                            r,
                            self.as_of,
                        ),
                        missing: r.missing.clone(),
                        result: r.clone(),
                        at_stake,
                        gaps: Vec::new(),
                    });
                } else {
                    counted(count, |c| &mut c.advisory);
                }
            }
            Status::NotApplicable => {
                let near = match r.kind {
                    ClauseKind::Grant => near_miss(program, facts, self.config, self.analyzer, r)?,
                    _ => None,
                };
                match near {
                    Some(Near::Applies(n)) => report.near_miss.push(n),
                    Some(Near::Open(u)) => report.undecided.push(u),
                    None => counted(count, |c| &mut c.not_applicable),
                }
            }
        }
        Ok(())
    }
}

/// A clause that fails today, with its gaps closed.
enum Near {
    /// It then applies.
    Applies(NearMiss),
    /// It is then still open.
    Open(Undecided),
}

fn near_miss(
    program: &Program,
    facts: &Facts,
    config: &MatchConfig,
    analyzer: &gaps::Analyzer<'_>,
    r: &ClauseResult,
) -> Result<Option<Near>, EvalError> {
    let Some(policy) = program.policies.get(r.policy) else {
        return Ok(None);
    };
    let Some(clause) = policy.clauses.get(r.index) else {
        return Ok(None);
    };
    let conds: Vec<_> = policy.scope.iter().chain([&clause.cond]).collect();
    let Some(closing) = analyzer.closing(&conds)? else {
        return Ok(None);
    };
    let closed = closing.apply(facts, chrono::Datelike::year(&config.eval.date));
    // The whole program again: the clause's amount can depend on other
    // clauses only through overlap, which `amount` (unlike `paid`) ignores,
    // but evaluating it alone would need a second way to evaluate.
    let outcome = evaluate(program, &closed, &config.eval)?;
    let Some(after) = outcome.clause(r.policy, r.index) else {
        return Ok(None);
    };
    Ok(match after.status {
        Status::Applies => Some(Near::Applies(NearMiss {
            text: apply::with_words(
                sentence::near_miss(program, facts, after, &closing.gaps),
                program,
                after,
                config.closing_as_of(),
            ),
            gaps: closing.gaps,
            at_threshold: after.clone(),
        })),
        Status::Undecided => {
            let stakes = stake::Stakes::new(program, &closed, &config.eval, &outcome);
            let at_stake = stakes.at_stake(after);
            Some(Near::Open(Undecided {
                text: apply::with_words(
                    sentence::undecided(program, facts, after, &closing.gaps, at_stake),
                    program,
                    after,
                    config.closing_as_of(),
                ),
                missing: after.missing.clone(),
                result: after.clone(),
                at_stake,
                gaps: closing.gaps,
            }))
        }
        // Closing the gap would not help: the application date is outside
        // the window.
        Status::NotApplicable | Status::NotInForce | Status::OutsideApplicationWindow => None,
    })
}

/// Money first; ties keep load order (the sort is stable).
fn order(report: &mut Report) {
    // A 酌定 grant without a cap and an exemption carry no amount: last.
    let paid = |r: &ClauseResult| match (r.paid, r.amount_kind) {
        (Some(m), _) => (2, m),
        (None, Some(AmountKind::Discretionary)) => (1, Money::ZERO),
        _ => (0, Money::ZERO),
    };
    report
        .applicable
        .sort_by_key(|a| std::cmp::Reverse(paid(&a.result)));
    report
        .near_miss
        .sort_by_key(|n| std::cmp::Reverse(n.would_pay()));
    report
        .undecided
        .sort_by(|a, b| stake::money_order(a.at_stake, b.at_stake));
    let rank = |o: &Obligation| match o.state() {
        Verdict::Violated => 0,
        Verdict::Undecided => 1,
        Verdict::Met | Verdict::Exempt => 2,
    };
    report.obligations.sort_by_key(rank);
}
