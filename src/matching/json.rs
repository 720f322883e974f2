//! `match --format json` (schema 1, documented in docs/match.md): the four
//! groups, the facts that matter and one count per policy. Money is 元
//! with two decimals as a string, as in `eval`; quantities carry their
//! unit (`"12人"`), ratios are `"3.5%"`, dates ISO, a date gap in days.

use serde_json::{Value as Json, json};

use crate::ast::CmpOp;
use crate::eval::{AmountKind, ClauseKind, ClauseResult, Verdict, shares};
use crate::num::Money;
use crate::program::{FactId, Program, Ty, Value};

use super::gaps::{Distance, Gap};
use super::{Report, sentence};

/// The version of this document's shape.
pub(crate) const SCHEMA: u32 = 1;

/// A value as a program reads it.
pub(crate) fn value(program: &Program, fact: FactId, v: &Value) -> Json {
    let ty = program.vocab.get(fact).map(|d| &d.ty);
    Json::String(match (ty, v) {
        (_, Value::Money(m)) => m.to_yuan_string(),
        (_, Value::Foreign(m, c)) => c.json_amount(*m),
        (_, Value::Ratio(r)) => r.to_string(),
        (Some(Ty::Quantity(u)), Value::Quantity(n) | Value::Number(n)) => {
            format!("{}{u}", n.normalize())
        }
        (_, Value::Quantity(n) | Value::Number(n)) => n.normalize().to_string(),
        (_, Value::Rank(r)) => format!("第{r}名"),
        (_, Value::Date(d)) => d.to_string(),
        (_, Value::Bool(b)) => return Json::Bool(*b),
        (_, Value::Text(t)) => t.to_string(),
        (Some(Ty::Enum { values, .. }), Value::Enum(i)) => {
            values.get(*i).cloned().unwrap_or_default()
        }
        (_, Value::Enum(i)) => i.to_string(),
        (_, Value::List(items)) => {
            let fields = program
                .vocab
                .fields
                .get(&fact)
                .map_or(&[][..], Vec::as_slice);
            return Json::Array(
                items
                    .iter()
                    .map(|item| {
                        Json::Object(
                            fields
                                .iter()
                                .zip(item)
                                .filter_map(|(f, v)| {
                                    let v = v.as_ref()?;
                                    Some((
                                        program.vocab.name(*f).to_string(),
                                        value(program, *f, v),
                                    ))
                                })
                                .collect(),
                        )
                    })
                    .collect(),
            );
        }
    })
}

fn money(m: Option<Money>) -> Json {
    m.map_or(Json::Null, |m| Json::String(m.to_yuan_string()))
}

/// `>=`, `>`, `<=`, `<`.
pub(crate) fn op(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Ge => ">=",
        CmpOp::Gt => ">",
        CmpOp::Le => "<=",
        CmpOp::Lt => "<",
        CmpOp::Eq => "=",
        CmpOp::Ne => "!=",
    }
}

fn bound(k: Option<AmountKind>) -> Json {
    k.map_or(Json::Null, |k| k.json().into())
}

fn kind(k: ClauseKind) -> &'static str {
    match k {
        ClauseKind::Grant => "grant",
        ClauseKind::Exemption => "exemption",
        ClauseKind::Prohibition => "prohibition",
        ClauseKind::Obligation => "obligation",
        ClauseKind::Permission => "permission",
    }
}

/// `{"fact", "op", "value", "needed", "gap"}`.
pub(crate) fn gap(program: &Program, g: &Gap) -> Json {
    json!({
        "fact": program.vocab.name(g.fact),
        "op": op(g.op),
        "value": value(program, g.fact, &g.value),
        "needed": value(program, g.fact, &g.needed),
        "gap": match g.distance {
            Distance::Days(n) => json!(n),
            Distance::Amount(a) => value(program, g.fact, &sentence::amount_value(&g.value, a)),
        },
    })
}

/// The fields every item has: where it comes from and its sentence.
fn item(program: &Program, r: &ClauseResult, text: &str) -> serde_json::Map<String, Json> {
    let policy = program.policies.get(r.policy);
    let clause = policy.and_then(|p| p.clauses.get(r.index));
    let mut m = serde_json::Map::new();
    m.insert("policy".into(), json!(policy.and_then(|p| p.title.clone())));
    m.insert("clause".into(), json!(clause.map(|c| c.label.clone())));
    m.insert("text".into(), json!(text));
    m.insert("kind".into(), json!(kind(r.kind)));
    m.insert("matter".into(), json!(clause.map(|c| c.matter.clone())));
    m.insert(
        "lead".into(),
        json!(policy.map(|p| p.lead.clone()).unwrap_or_default()),
    );
    m.insert(
        "source".into(),
        json!(clause.and_then(|c| c.source.clone())),
    );
    m
}

/// `application_window`, `accepting_body`, `materials` when the text
/// declares them, and `closes_in_days` when the window closes within 30
/// days of `as_of`.
fn application(
    m: &mut serde_json::Map<String, Json>,
    program: &Program,
    r: &ClauseResult,
    as_of: Option<chrono::NaiveDate>,
) {
    let a = super::apply::application(program, r);
    if a.window.is_some() {
        m.insert(
            "application_window".into(),
            crate::report::window_json(a.window),
        );
    }
    if let Some(b) = &a.body {
        m.insert("accepting_body".into(), json!(b));
    }
    if !a.materials.is_empty() {
        m.insert("materials".into(), json!(a.materials));
    }
    if let Some((_, left)) = super::apply::closing(&a, as_of) {
        m.insert("closes_in_days".into(), json!(left));
    }
}

fn clause_ref(program: &Program, at: (usize, usize)) -> Json {
    let p = program.policies.get(at.0);
    json!({
        "policy": p.and_then(|p| p.title.clone()),
        "clause": p.and_then(|p| p.clauses.get(at.1)).map(|c| c.label.clone()),
    })
}

fn shares_json(program: &Program, r: &ClauseResult) -> (Json, Json) {
    match shares(program, r) {
        Some(Ok(parts)) => (
            Json::Object(
                parts
                    .into_iter()
                    .map(|(n, m)| (n, Json::String(m.to_yuan_string())))
                    .collect(),
            ),
            Json::Null,
        ),
        Some(Err(())) => (Json::Null, Json::String("按财政体制".into())),
        None => (Json::Null, Json::Null),
    }
}

/// The evaluator's derivation of an amount, as in `eval`'s JSON.
fn steps(r: &ClauseResult) -> Json {
    json!(r.derivation)
}

fn names(program: &Program, facts: &[FactId]) -> Json {
    json!(
        facts
            .iter()
            .map(|f| program.vocab.name(*f))
            .collect::<Vec<_>>()
    )
}

/// The whole report.
pub(crate) fn report(program: &Program, report: &Report, bounds: &super::Bounds) -> Json {
    let as_of = report.as_of;
    let applicable: Vec<Json> = (report.applicable.iter())
        .map(|a| applicable(program, a, as_of))
        .collect();
    let near: Vec<Json> = (report.near_miss.iter())
        .map(|n| near_miss(program, n, as_of))
        .collect();
    let undecided: Vec<Json> = (report.undecided.iter())
        .map(|u| undecided(program, u, as_of))
        .collect();
    let facts: Vec<Json> = report
        .facts_that_matter
        .iter()
        .map(|f| {
            json!({
                "fact": program.vocab.name(f.fact),
                "clauses": f.clauses,
                "at_stake": money(f.at_stake),
            })
        })
        .collect();
    let obligations: Vec<Json> = (report.obligations.iter())
        .map(|o| obligation(program, o))
        .collect();
    let others: Vec<Json> = report
        .others
        .iter()
        .map(|c| {
            json!({
                "policy": program.policies.get(c.policy).and_then(|p| p.title.clone()),
                "not_applicable": c.not_applicable,
                "not_in_force": c.not_in_force,
                "advisory": c.advisory,
                "displaced": c.displaced,
                "outside_application_window": c.outside_application_window,
            })
        })
        .collect();
    // The money totals are the evaluation's own, as `eval` reports them.
    let eval = crate::report::json(program, &report.outcome);
    json!({
        "schema": SCHEMA,
        "date": report.date.to_string(),
        "apply_date": report.apply_date.map(|d| d.to_string()),
        "as_of": report.as_of.map(|d| d.to_string()),
        "near": crate::num::Ratio(bounds.relative).to_string(),
        "near_days": bounds.days,
        "applicable": applicable,
        "near_miss": near,
        "undecided": undecided,
        "facts_that_matter": facts,
        "obligations": obligations,
        "not_concerned": others,
        "assumed_published": crate::program::assumed_published_json(program),
        "total": eval.get("total").cloned().unwrap_or(Json::Null),
        "totals": eval.get("totals").cloned().unwrap_or(Json::Null),
    })
}

fn applicable(program: &Program, a: &super::Applicable, as_of: Option<chrono::NaiveDate>) -> Json {
    let r = &a.result;
    let mut m = item(program, r, &a.text);
    application(&mut m, program, r, as_of);
    let (shares, basis) = shares_json(program, r);
    m.insert("bound".into(), bound(r.amount_kind));
    let quota = crate::eval::quota_of(program, r);
    m.insert("amount".into(), money(r.amount.filter(|_| quota.is_none())));
    m.insert("paid".into(), money(r.paid));
    m.insert("quota".into(), crate::report::quota_json(quota, r.amount));
    m.insert("capped".into(), json!(r.capped));
    m.insert("derivation".into(), steps(r));
    m.insert("shares".into(), shares);
    m.insert("share_basis".into(), basis);
    m.insert(
        "displaced".into(),
        json!(
            r.displaced
                .iter()
                .map(|at| clause_ref(program, *at))
                .collect::<Vec<_>>()
        ),
    );
    Json::Object(m)
}

fn near_miss(program: &Program, n: &super::NearMiss, as_of: Option<chrono::NaiveDate>) -> Json {
    let r = &n.at_threshold;
    let mut m = item(program, r, &n.text);
    application(&mut m, program, r, as_of);
    m.insert(
        "gaps".into(),
        json!(n.gaps.iter().map(|g| gap(program, g)).collect::<Vec<_>>()),
    );
    let quota = crate::eval::quota_of(program, r);
    m.insert(
        "would_pay".into(),
        money(n.would_pay().filter(|_| quota.is_none())),
    );
    m.insert("bound".into(), bound(r.amount_kind));
    m.insert("quota".into(), crate::report::quota_json(quota, r.amount));
    m.insert("derivation".into(), steps(r));
    Json::Object(m)
}

fn undecided(program: &Program, u: &super::Undecided, as_of: Option<chrono::NaiveDate>) -> Json {
    let mut m = item(program, &u.result, &u.text);
    application(&mut m, program, &u.result, as_of);
    m.insert("missing".into(), names(program, &u.missing));
    m.insert("at_stake".into(), money(u.at_stake));
    m.insert("note".into(), json!(u.result.window_note));
    m.insert(
        "gaps".into(),
        json!(u.gaps.iter().map(|g| gap(program, g)).collect::<Vec<_>>()),
    );
    Json::Object(m)
}

fn obligation(program: &Program, o: &super::Obligation) -> Json {
    let mut m = item(program, &o.result, &o.text);
    m.insert(
        "outcome".into(),
        json!(match o.state() {
            Verdict::Violated => "violated",
            Verdict::Met | Verdict::Exempt => "met",
            Verdict::Undecided => "undecided",
        }),
    );
    m.insert(
        "applies".into(),
        json!(o.result.status == crate::eval::Status::Applies),
    );
    m.insert("missing".into(), names(program, &o.result.missing));
    m.insert("note".into(), json!(o.result.window_note));
    Json::Object(m)
}
