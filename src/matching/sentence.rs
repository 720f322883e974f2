//! One Chinese sentence per item, for an applicant who has never seen a
//! `.zc` file: the policy and clause it rests on, the company's own values
//! against the thresholds, how the amount is reached, and what to apply
//! for — no operators, no DSL words.

use crate::ast::CmpOp;
use crate::eval::{AmountKind, ClauseResult, Status, Tri, Verdict};
use crate::facts::Facts;
use crate::num::Money;
use crate::program::{
    Action, AmountCore, ClauseDef, Cond, Expr, FactId, GrantAmount, PolicyDef, Program, Ty, Value,
};
use crate::report::{show_value, source_words};

use super::gaps::{Distance, Gap, constant_of, fact_of};

/// `依据《标题》“二-1”：`.
pub(crate) fn cite(program: &Program, r: &ClauseResult) -> String {
    let policy = program.policies.get(r.policy);
    let label = policy
        .and_then(|p| p.clauses.get(r.index))
        .map_or("", |c| c.label.as_str());
    match policy.and_then(|p| p.title.as_deref()) {
        Some(t) => format!("依据《{t}》“{label}”："),
        None => format!("依据条款“{label}”："),
    }
}

fn parts<'p>(program: &'p Program, r: &ClauseResult) -> Option<(&'p PolicyDef, &'p ClauseDef)> {
    let p = program.policies.get(r.policy)?;
    Some((p, p.clauses.get(r.index)?))
}

/// A fact's value or a constant as the company reads it: `900万元`,
/// `3.5%`, `12人`, `2024年6月1日`.
pub(crate) fn value_words(program: &Program, fact: FactId, v: &Value) -> String {
    match program.vocab.get(fact) {
        Some(d) => match (&d.ty, v) {
            // A constant compared with a quantity is stored as a number.
            (Ty::Quantity(u), Value::Number(n)) => format!("{}{u}", n.normalize()),
            (ty, v) => show_value(ty, v),
        },
        None => show_value(&Ty::Text, v),
    }
}

/// `达到 200万元 以上`, `超过 300万元`, `不晚于 2024年12月31日` …
fn bound_words(op: CmpOp, needed: &str, date: bool) -> String {
    match (op, date) {
        (CmpOp::Ge, false) => format!("达到 {needed} 以上"),
        (CmpOp::Gt, false) => format!("超过 {needed}"),
        (CmpOp::Le, false) => format!("不超过 {needed}"),
        (CmpOp::Lt, false) => format!("低于 {needed}"),
        (CmpOp::Ge, true) => format!("不早于 {needed}"),
        (CmpOp::Gt, true) => format!("晚于 {needed}"),
        (CmpOp::Le, true) => format!("不晚于 {needed}"),
        (CmpOp::Lt, true) => format!("早于 {needed}"),
        (CmpOp::Eq, _) => format!("为 {needed}"),
        (CmpOp::Ne, _) => format!("不为 {needed}"),
    }
}

fn is_date(program: &Program, fact: FactId) -> bool {
    program
        .vocab
        .get(fact)
        .is_some_and(|d| matches!(d.ty, Ty::Date))
}

/// The comparisons of a condition that hold and that the company can read
/// as its own numbers: `研发投入新增额 900万元，达到 200万元 以上`. Only
/// the parts that made the condition hold are followed (the alternative
/// that held, not the others); yes/no and enumeration facts are left to
/// the 原文.
fn met_comparisons(
    program: &Program,
    facts: &Facts,
    analyzer: &super::gaps::Analyzer<'_>,
    c: &Cond,
    out: &mut Vec<(FactId, String)>,
) {
    if !matches!(analyzer.holds(c), Ok(Tri::Yes)) {
        return;
    }
    match c {
        Cond::And(items, _) => {
            for i in items {
                met_comparisons(program, facts, analyzer, i, out);
            }
        }
        Cond::Or(items, _) => {
            if let Some(i) = items
                .iter()
                .find(|i| matches!(analyzer.holds(i), Ok(Tri::Yes)))
            {
                met_comparisons(program, facts, analyzer, i, out);
            }
        }
        Cond::Named { body, .. } => met_comparisons(program, facts, analyzer, body, out),
        Cond::Cmp { lhs, op, rhs, .. } => {
            let (fact, op, constants) = match (fact_of(lhs), rhs.as_slice()) {
                (Some(f), _) => (f, *op, rhs.iter().filter_map(constant_of).collect()),
                (None, [r]) => match (constant_of(lhs), fact_of(r)) {
                    (Some(c), Some(f)) => (f, flip(*op), vec![c]),
                    _ => return,
                },
                _ => return,
            };
            let Some(value) = facts.get_in(fact, analyzer.year()) else {
                return;
            };
            let numeric = program.vocab.get(fact).is_some_and(|d| {
                matches!(
                    d.ty,
                    Ty::Money | Ty::Foreign(_) | Ty::Ratio | Ty::Quantity(_) | Ty::Date
                )
            });
            if !numeric || constants.is_empty() || matches!(op, CmpOp::Eq | CmpOp::Ne) {
                return;
            }
            let date = is_date(program, fact);
            let bounds: Vec<String> = constants
                .iter()
                .map(|k| bound_words(op, &value_words(program, fact, k), date))
                .collect();
            out.push((
                fact,
                format!(
                    "{} {}，{}",
                    program.vocab.name(fact),
                    value_words(program, fact, value),
                    bounds.join("，")
                ),
            ));
        }
        Cond::Fact(..)
        | Cond::EnumIs(..)
        | Cond::Not(..)
        | Cond::Consecutive { .. }
        | Cond::True => {}
    }
}

fn flip(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Ge => CmpOp::Le,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Lt => CmpOp::Gt,
        other => other,
    }
}

/// The comparisons the company meets, for the sentence, and the facts
/// they name (so the arithmetic does not repeat their values).
fn conditions(
    program: &Program,
    facts: &Facts,
    date: chrono::NaiveDate,
    r: &ClauseResult,
) -> (Vec<FactId>, Vec<String>) {
    let Some((policy, clause)) = parts(program, r) else {
        return (Vec::new(), Vec::new());
    };
    let analyzer = super::gaps::Analyzer::new(program, facts, date, super::Bounds::default());
    let mut found = Vec::new();
    for c in policy.scope.iter().chain([&clause.cond]) {
        met_comparisons(program, facts, &analyzer, c, &mut found);
    }
    found.into_iter().unzip()
}

/// 补助, 奖励 … as the clause names its money.
fn grant_name(clause: &ClauseDef) -> &str {
    match &clause.action {
        Action::Grant { name: Some(n), .. } => n.as_str(),
        _ => "资金",
    }
}

/// `可申请最高 45万元补助`, `可申请 50万元补助`, `可申请科技创新券，金额由主管部门酌定（最高 50万元）`.
fn apply_words(r: &ClauseResult, name: &str, quota: Option<&str>) -> String {
    // A quota is granted, never paid: its unit and that it is no money.
    if let (Some(unit), Some(_)) = (quota, r.amount) {
        return format!(
            "可获{name}额度 {}（不是资金，不计入合计）",
            crate::report::quota_words(r.amount_kind, r.amount, unit)
        );
    }
    match (r.amount_kind, r.amount) {
        (Some(AmountKind::Range), Some(m)) => match r.floor {
            Some(low) => format!("可申请{name}，金额由主管部门在 {low} 至 {m} 之间确定"),
            None => format!("可申请{name}，金额由主管部门确定（最高 {m}）"),
        },
        (Some(AmountKind::AtMost), Some(m)) => format!("可申请最高 {m}{name}"),
        (Some(AmountKind::AtLeast), Some(m)) => format!("可申请不少于 {m}{name}"),
        (Some(AmountKind::Discretionary), Some(m)) => {
            format!("可申请{name}，金额由主管部门酌定（最高 {m}）")
        }
        (Some(AmountKind::Discretionary), None) => format!("可申请{name}，金额由主管部门酌定"),
        (Some(AmountKind::Reduction), Some(m)) => format!("可减免 {m}（{name}）"),
        (_, Some(m)) => format!("可申请 {m}{name}"),
        (_, None) => format!("可申请{name}"),
    }
}

/// How the amount was reached, in words: `按 5% 计 45万元（未超过 200万元）`.
/// Built from the clause and the facts (the evaluator's result says which
/// tier was paid and whether a cap bound); `None` when the amount is the
/// number written in the clause and needs no words.
pub(crate) fn arithmetic_words(
    program: &Program,
    facts: &Facts,
    r: &ClauseResult,
    named: &[FactId],
) -> Option<String> {
    let (_, clause) = parts(program, r)?;
    let Action::Grant {
        amount, cumulative, ..
    } = &clause.action
    else {
        return None;
    };
    // A cap over the year's applications reads what was received: the
    // evaluator's own steps say the subtraction.
    if cumulative.is_some() && r.uncapped.is_some() {
        return derivation_words(r);
    }
    // Facts given year by year are read in the year being paid, which
    // the evaluator's own steps name.
    if !facts.years.is_empty() {
        return derivation_words(r);
    }
    // A quota in 亩 reads best as the evaluator's own steps, which are in
    // its unit; the words below are money's.
    if clause.quota().is_some_and(|u| u != "元") {
        return derivation_words(r);
    }
    let computed = r.uncapped.or(r.amount)?;
    let (core, cap, tier) = match amount {
        GrantAmount::Single(a) => (&a.core, a.cap.as_ref(), None),
        GrantAmount::Tiers { items, cap, .. } => {
            let t = r.tier?;
            (items.get(t)?, cap.as_ref(), clause.tiers.get(t))
        }
        // The ceiling is the amount; the floor is shown beside it.
        GrantAmount::Range { high, cap, .. } => (high, cap.as_ref(), None),
        GrantAmount::Discretionary { .. } | GrantAmount::Items(_) => return None,
        // The year being paid.
        // A cumulative cap reads what earlier years (or this year's
        // earlier applications) received: the evaluator's own steps say
        // the subtraction.
        GrantAmount::Schedule(s) if s.cumulative.is_some() && r.uncapped.is_some() => {
            return derivation_words(r);
        }
        GrantAmount::Schedule(s) => {
            let (_, run) = s.run(r.year?)?;
            if run.tiers.is_empty() {
                (&run.amount.core, run.amount.cap.as_ref(), None)
            } else {
                let t = r.tier?;
                (
                    run.tiers.get(t)?,
                    run.amount.cap.as_ref(),
                    clause.tiers.get(t),
                )
            }
        }
    };
    // A rate or cap that is itself computed reads best as the evaluator's
    // own steps.
    let computed_rate =
        matches!(core, AmountCore::PerUnit { rate, .. } if constant_of(rate).is_none());
    let computed_cap = cap.is_some_and(|c| constant_of(c).is_none());
    if (computed_rate || computed_cap)
        && let Some(steps) = derivation_words(r)
    {
        return Some(steps);
    }
    let mut words = Vec::new();
    if let Some(t) = tier {
        words.push(format!(
            "属于“{}”一档",
            source_words(program.text(cond_loc(t)))
        ));
    }
    match core {
        AmountCore::Expr(Expr::Lit(..)) => {}
        AmountCore::Expr(Expr::Of {
            base,
            base_cap: None,
            shares,
            ..
        }) if shares.iter().all(|s| constant_of(s).is_some()) => {
            words.push(share_words(program, facts, (base, shares), named, computed));
        }
        AmountCore::PerUnit {
            fact,
            per,
            whole,
            rate,
            ..
        } => {
            words.push(per_unit_words(
                program,
                facts,
                (*fact, *per, *whole),
                rate,
                computed,
            ));
        }
        AmountCore::Expr(_) => match derivation_words(r) {
            // The evaluator's own steps, caps included.
            Some(steps) => return Some(steps),
            None => words.push(format!("经计算为 {computed}")),
        },
    }
    if let Some(cap) = cap {
        let last = words.pop().unwrap_or_default();
        words.push(with_cap(program, last, cap, r.capped));
    }
    if r.floored {
        words.push("计算值为负，按 0 计".into());
    }
    (!words.is_empty()).then(|| words.join("，"))
}

/// `研发投入 100万元 按 20% 计 20万元`: a constant share of one base.
fn share_words(
    program: &Program,
    facts: &Facts,
    (base, shares): (&Expr, &[Expr]),
    named: &[FactId],
    computed: Money,
) -> String {
    let rate: Vec<String> = shares
        .iter()
        .filter_map(constant_of)
        .map(|v| show_value(&Ty::Ratio, &v))
        .collect();
    let base_words = match fact_of(base) {
        Some(f) if named.contains(&f) => String::new(),
        Some(f) => match facts.get(f) {
            Some(v) => format!("{} {} ", program.vocab.name(f), value_words(program, f, v)),
            None => String::new(),
        },
        None => format!("{} ", source_words(program.text(base.loc()))),
    };
    format!(
        "{base_words}按 {} 计 {}",
        rate.join(" × "),
        Money(computed.0)
    )
}

/// `引进人才 3人，每人 1万元，计 3万元`; `面积 25000平方米，每1万平方米
/// 5万元，计 12.5万元`; `新增就业人数 25人，每满10人 1万元，计 2万元`.
fn per_unit_words(
    program: &Program,
    facts: &Facts,
    (fact, per, whole): (FactId, rust_decimal::Decimal, bool),
    rate: &Expr,
    computed: Money,
) -> String {
    let count = facts
        .get(fact)
        .map(|v| value_words(program, fact, v))
        .unwrap_or_default();
    let unit = match program.vocab.get(fact).map(|d| &d.ty) {
        Some(Ty::Quantity(u)) => u.clone(),
        _ => String::new(),
    };
    let rate = constant_of(rate)
        .map(|v| show_value(&Ty::Money, &v))
        .unwrap_or_else(|| source_words(program.text(rate.loc())));
    let block = if per == rust_decimal::Decimal::ONE {
        unit
    } else {
        crate::eval::derive::show_block(per, &unit)
    };
    let whole = if whole { "满" } else { "" };
    format!(
        "{} {count}，每{whole}{block} {rate}，计 {computed}",
        program.vocab.name(fact)
    )
}

/// The amount's words with whether its cap bound.
fn with_cap(program: &Program, words: String, cap: &Expr, capped: bool) -> String {
    let cap_words = constant_of(cap)
        .map(|v| show_value(&Ty::Money, &v))
        .unwrap_or_else(|| source_words(program.text(cap.loc())));
    if capped {
        format!("{words}（超过上限 {cap_words}，按上限计）")
    } else {
        format!("{words}（未超过 {cap_words}）")
    }
}

/// The evaluator's derivation of the amount (without the overlap steps,
/// which the sentence words itself), for amounts beyond a share of one
/// fact: bands, sums, parameters, 较高者.
fn derivation_words(r: &ClauseResult) -> Option<String> {
    let steps: Vec<&str> = r
        .derivation
        .iter()
        .map(|s| s.text.as_str())
        .filter(|t| !t.starts_with("同一事项") && !t.starts_with("分别："))
        .collect();
    (!steps.is_empty()).then(|| steps.join("，"))
}

fn cond_loc(c: &Cond) -> crate::program::Loc {
    match c {
        Cond::Fact(_, l)
        | Cond::EnumIs(_, _, l)
        | Cond::And(_, l)
        | Cond::Or(_, l)
        | Cond::Not(_, l) => *l,
        Cond::Cmp { loc, .. } | Cond::Named { loc, .. } | Cond::Consecutive { loc, .. } => *loc,
        Cond::True => crate::program::Loc::default(),
    }
}

/// 免于 or 无需, as the clause writes it.
fn exempt_words(program: &Program, clause: &ClauseDef) -> String {
    let Action::Exempt(what) = &clause.action else {
        return String::new();
    };
    let verb = if program.text(clause.loc).contains("无需") {
        "无需"
    } else {
        "免于"
    };
    format!("{verb}{what}")
}

/// A clause that applies.
pub(crate) fn applicable(
    program: &Program,
    facts: &Facts,
    date: chrono::NaiveDate,
    r: &ClauseResult,
) -> String {
    let Some((_, clause)) = parts(program, r) else {
        return String::new();
    };
    let (named, met) = conditions(program, facts, date, r);
    let mut s = cite(program, r);
    s.push_str("贵单位");
    if met.is_empty() {
        s.push_str("符合条件，");
    } else {
        s.push_str(&met.join("，"));
        s.push('，');
    }
    if matches!(clause.action, Action::Exempt(_)) {
        let words = exempt_words(program, clause);
        if words.starts_with("无需") {
            s.push_str(&format!("{words}。"));
        } else {
            s.push_str(&format!("可{words}。"));
        }
        return s;
    }
    if let Some(a) = arithmetic_words(program, facts, r, &named) {
        s.push_str(&a);
        s.push('，');
    }
    s.push_str(&apply_words(r, grant_name(clause), clause.quota()));
    let displaced: Vec<String> = r
        .displaced
        .iter()
        .filter_map(|at| {
            let p = program.policies.get(at.0)?;
            let c = p.clauses.get(at.1)?;
            Some(match (&p.title, at.0 == r.policy) {
                (Some(t), false) => format!("《{t}》“{}”", c.label),
                _ => format!("“{}”", c.label),
            })
        })
        .collect();
    if !displaced.is_empty() {
        s.push_str(&format!(
            "（同一事项“{}”不重复享受，已取代{}）",
            clause.matter,
            displaced.join("、")
        ));
    }
    s.push('。');
    s
}

/// `研发投入新增额 180万元，需达到 200万元 以上，差 20万元`.
pub(crate) fn gap_words(program: &Program, g: &Gap) -> String {
    let date = is_date(program, g.fact);
    let needed = value_words(program, g.fact, &g.needed);
    let distance = match (g.distance, &g.value) {
        (Distance::Days(n), _) => format!("{n}天"),
        // A difference of ratios is in percentage points.
        (Distance::Amount(a), Value::Ratio(_)) => {
            let pct = crate::num::Ratio(a).to_string();
            format!("{}个百分点", pct.trim_end_matches('%'))
        }
        (Distance::Amount(a), _) => value_words(program, g.fact, &amount_value(&g.value, a)),
    };
    let how = match (g.rising(), date) {
        (_, true) => "相差",
        (true, false) => "差",
        (false, false) => "超出",
    };
    format!(
        "{} {}，需{}，{how} {distance}",
        program.vocab.name(g.fact),
        value_words(program, g.fact, &g.value),
        bound_words(g.op, &needed, date),
    )
}

/// `达到后` when every gap is an amount to reach, `符合后` otherwise.
fn after_words(program: &Program, gaps: &[Gap]) -> &'static str {
    if gaps.iter().all(|g| g.rising() && !is_date(program, g.fact)) {
        "达到后"
    } else {
        "符合后"
    }
}

/// A distance in the kind of the fact's value.
pub(crate) fn amount_value(like: &Value, a: rust_decimal::Decimal) -> Value {
    match like {
        Value::Money(_) => Value::Money(Money(a)),
        Value::Foreign(_, c) => Value::Foreign(Money(a), *c),
        Value::Ratio(_) => Value::Ratio(crate::num::Ratio(a)),
        _ => Value::Quantity(a),
    }
}

/// A grant the company narrowly misses; `at` is its result with the gaps
/// closed.
pub(crate) fn near_miss(
    program: &Program,
    facts: &Facts,
    at: &ClauseResult,
    gaps: &[Gap],
) -> String {
    let Some((_, clause)) = parts(program, at) else {
        return String::new();
    };
    let mut s = cite(program, at);
    s.push_str("贵单位");
    let words: Vec<String> = gaps.iter().map(|g| gap_words(program, g)).collect();
    s.push_str(&words.join("；"));
    let _ = facts;
    s.push_str(&format!(
        "；{}按门槛计{}。",
        after_words(program, gaps),
        apply_words(at, grant_name(clause), clause.quota())
    ));
    s
}

/// A clause still open: what is missing and the most it could pay.
pub(crate) fn undecided(
    program: &Program,
    facts: &Facts,
    r: &ClauseResult,
    gaps: &[Gap],
    at_stake: Option<Money>,
) -> String {
    let Some((_, clause)) = parts(program, r) else {
        return String::new();
    };
    let _ = facts;
    let mut s = cite(program, r);
    if !gaps.is_empty() {
        s.push_str("贵单位");
        let words: Vec<String> = gaps.iter().map(|g| gap_words(program, g)).collect();
        s.push_str(&words.join("；"));
        s.push_str(&format!("；{}", after_words(program, gaps)));
    }
    let missing = r.missing_names(program);
    match (&r.window_note, missing.is_empty()) {
        (_, false) => s.push_str(&format!("尚需提供：{}，才能确定", missing.join("、"))),
        (Some(note), true) => s.push_str(note),
        (None, true) => s.push_str("尚无法确定"),
    }
    if matches!(clause.action, Action::Exempt(_)) {
        let words = exempt_words(program, clause);
        let can = if words.starts_with("无需") {
            ""
        } else {
            "可"
        };
        s.push_str(&format!("是否{can}{words}。"));
        return s;
    }
    match at_stake {
        Some(m) => s.push_str(&format!("；最多可申请 {m}{}。", grant_name(clause))),
        None => s.push_str(&format!("；可申请的{}没有金额上限。", grant_name(clause))),
    }
    s
}

/// What a 不得 / 应当 clause asks, in words.
fn conduct_words(program: &Program, clause: &ClauseDef) -> String {
    let (verb, conduct) = match &clause.action {
        Action::Prohibit(c) => ("不得", c),
        Action::Oblige(c) => ("应当", c),
        _ => return String::new(),
    };
    let what = match conduct {
        Cond::Fact(f, _) => program.vocab.name(*f).to_string(),
        Cond::Named { name, .. } => name.clone(),
        other => source_words(program.text(cond_loc(other))),
    };
    format!("{verb}{what}")
}

/// A 不得 / 应当 clause that binds or may bind the company.
pub(crate) fn obligation(program: &Program, facts: &Facts, r: &ClauseResult) -> String {
    let Some((_, clause)) = parts(program, r) else {
        return String::new();
    };
    let _ = facts;
    let missing = r.missing_names(program);
    let mut s = cite(program, r);
    let conduct = conduct_words(program, clause);
    match (r.status, r.verdict) {
        (Status::Applies, Some(Verdict::Violated)) => {
            let state = if matches!(clause.action, Action::Prohibit(_)) {
                "目前已违反"
            } else {
                "目前未做到"
            };
            s.push_str(&format!("贵单位{conduct}，{state}，须纠正。"));
        }
        (Status::Applies, Some(Verdict::Met)) => {
            s.push_str(&format!("贵单位{conduct}，目前已遵守。"));
        }
        (Status::Applies, _) => s.push_str(&format!(
            "贵单位{conduct}；尚需提供：{}，才能判断是否遵守。",
            missing.join("、")
        )),
        _ => match (&r.window_note, missing.is_empty()) {
            (_, false) => s.push_str(&format!(
                "若适用，贵单位{conduct}；尚需提供：{}，才能确定是否适用。",
                missing.join("、")
            )),
            (Some(note), true) => s.push_str(&format!("若适用，贵单位{conduct}；{note}。")),
            (None, true) => s.push_str(&format!("若适用，贵单位{conduct}。")),
        },
    }
    s
}
