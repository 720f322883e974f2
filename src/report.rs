//! An outcome as JSON (stable, versioned: see docs/language.md) or as a
//! Chinese table with an optional explanation.

mod explain;
mod sections;

use serde_json::{Value as Json, json};

use crate::eval::{AmountKind, ClauseKind, ClauseResult, Outcome, Status, Verdict, shares};
use crate::num::Money;
use crate::program::{Application, Program, Ty, Value, WindowDef};

pub use explain::{explain, source_words};
pub use sections::{Section, human, section};

/// The JSON schema version: 2 since 酌定 grants left the money totals
/// (docs/language.md §13.2).
pub const SCHEMA: u32 = 2;

fn status_str(s: Status) -> &'static str {
    match s {
        Status::Applies => "applies",
        Status::NotApplicable => "not_applicable",
        Status::Undecided => "undecided",
        Status::NotInForce => "not_in_force",
        Status::OutsideApplicationWindow => "outside_application_window",
    }
}

/// `{"from", "to"}` of a 申报 window (ISO dates; `null` for an end the
/// text leaves open or ties to an unknown publication date).
pub fn window_json(w: Option<WindowDef>) -> Json {
    let (from, to) = match w {
        None => return Json::Null,
        Some(WindowDef::Dates(s, e)) => (Some(s), e),
        Some(WindowDef::Unpublished { start, end }) => (start, end),
    };
    json!({
        "from": from.map(|d| d.to_string()),
        "to": to.map(|d| d.to_string()),
    })
}

fn kind_str(k: ClauseKind) -> &'static str {
    match k {
        ClauseKind::Grant => "grant",
        ClauseKind::Exemption => "exemption",
        ClauseKind::Prohibition => "prohibition",
        ClauseKind::Obligation => "obligation",
        ClauseKind::Permission => "permission",
    }
}

fn verdict_str(v: Verdict) -> &'static str {
    match v {
        Verdict::Met => "met",
        Verdict::Violated => "violated",
        Verdict::Undecided => "undecided",
        Verdict::Exempt => "exempt",
    }
}

/// `{"policy": …, "clause": …}` for a clause reference.
fn clause_ref(program: &Program, at: (usize, usize)) -> Json {
    let p = program.policies.get(at.0);
    json!({
        "policy": p.and_then(|p| p.title.clone()),
        "clause": p.and_then(|p| p.clauses.get(at.1)).map(|c| c.label.clone()),
    })
}

fn clause_json(program: &Program, r: &ClauseResult) -> Json {
    let policy = program.policies.get(r.policy);
    let clause = policy.and_then(|p| p.clauses.get(r.index));
    let grant_applies = r.kind == ClauseKind::Grant && r.status == Status::Applies;
    let quota = clause.and_then(crate::program::ClauseDef::quota);
    let application = match (policy, clause) {
        (Some(p), Some(c)) => c.application_in(p),
        _ => Application::default(),
    };
    let (share_map, share_basis) = match shares(program, r) {
        Some(Ok(parts)) => {
            let m: serde_json::Map<String, Json> = parts
                .into_iter()
                .map(|(n, m)| (n, Json::String(m.to_yuan_string())))
                .collect();
            (Json::Object(m), Json::Null)
        }
        Some(Err(())) => (Json::Null, Json::String("按财政体制".into())),
        None => (Json::Null, Json::Null),
    };
    json!({
        "policy": policy.and_then(|p| p.title.clone()),
        "clause": clause.map(|c| c.label.clone()),
        "matter": clause.map(|c| c.matter.clone()),
        "status": status_str(r.status),
        "kind": kind_str(r.kind),
        "amount": if grant_applies && quota.is_none() { r.amount.map(|m| m.to_yuan_string()) } else { None },
        "ceiling": grant_applies && matches!(r.amount_kind, Some(AmountKind::AtMost | AmountKind::Range)),
        "bound": if grant_applies { r.amount_kind.map(AmountKind::json) } else { None },
        "floor": if grant_applies { r.floor.map(|m| m.to_yuan_string()) } else { None },
        "capped": r.capped,
        "outcome": r.verdict.map(verdict_str),
        "paid": r.paid.map(|m| m.to_yuan_string()),
        "displaced_by": r.displaced_by.map(|at| clause_ref(program, at)),
        "displaced": r.displaced.iter().map(|at| clause_ref(program, *at)).collect::<Vec<_>>(),
        "missing": r.missing.iter().map(|f| program.vocab.name(*f)).collect::<Vec<_>>(),
        "shares": share_map,
        "share_basis": share_basis,
        "source": clause.and_then(|c| c.source.clone()),
        "note": r.window_note,
        "application_window": window_json(application.window),
        "accepting_body": application.body,
        "materials": application.materials,
        "precedence": r.precedence.map(crate::eval::Precedence::words),
        "derivation": r.derivation,
        "year": r.year,
        "schedule": schedule_json(&r.schedule, quota),
        "items": items_json(program, clause, &r.items),
        "quota": quota_json(quota, r.amount.filter(|_| grant_applies)),
    })
}

/// A `给予 额度` clause's quota for JSON, `{"unit", "amount"}` (`amount`
/// null when there is none); `null` for any other clause.
pub(crate) fn quota_json(unit: Option<&str>, amount: Option<Money>) -> Json {
    match unit {
        Some(unit) => json!({
            "unit": unit,
            "amount": amount.map(|m| quota_amount_string(m, unit)),
        }),
        None => Json::Null,
    }
}

/// A quota's value for JSON: 元 to the fen as every amount is (`"400000.00"`),
/// another unit as the plain number (`"125"`).
fn quota_amount_string(m: Money, unit: &str) -> String {
    if unit == "元" {
        m.to_yuan_string()
    } else {
        m.0.normalize().to_string()
    }
}

/// The quotas granted, unit by unit: `[{"unit", "amount"}]`.
fn quota_totals_json(program: &Program, outcome: &Outcome) -> Json {
    Json::Array(
        crate::eval::quota_totals(program, &outcome.clauses)
            .into_iter()
            .map(|(unit, m)| json!({"amount": quota_amount_string(m, &unit), "unit": unit}))
            .collect(),
    )
}

/// A 每项 grant's items as JSON: `[{index, status, amount, capped,
/// counted, missing}]`, `index` from 1, `missing` naming fields `项目[2].项目投资额`.
pub(crate) fn items_json(
    program: &Program,
    clause: Option<&crate::program::ClauseDef>,
    items: &[crate::eval::ItemPay],
) -> Json {
    let list = match clause.map(|c| &c.action) {
        Some(crate::program::Action::Grant {
            amount: crate::program::GrantAmount::Items(g),
            ..
        }) => g.list,
        _ => return Json::Array(vec![]),
    };
    Json::Array(
        items
            .iter()
            .map(|i| {
                json!({
                    "index": i.index,
                    "status": status_str(i.status),
                    "amount": i.amount.map(|m| m.to_yuan_string()),
                    "capped": i.capped,
                    "counted": i.counted,
                    "missing": i
                        .missing
                        .iter()
                        .map(|f| crate::eval::item_fact_name(program, list, i.index, *f))
                        .collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

/// A schedule's years as JSON: `[{year, from, amount, kind, current}]`
/// (the `amount` of the `current` year is the clause's own).
pub(crate) fn schedule_json(schedule: &[crate::eval::Instalment], quota: Option<&str>) -> Json {
    Json::Array(
        schedule
            .iter()
            .map(|i| {
                json!({
                    "year": i.year,
                    "from": i.from.to_string(),
                    "amount": i.amount.map(|m| quota.map_or_else(|| m.to_yuan_string(), |u| quota_amount_string(m, u))),
                    "kind": i.kind.map(AmountKind::json),
                    "current": i.current,
                })
            })
            .collect(),
    )
}

/// The outcome as JSON (schema 2).
pub fn json(program: &Program, outcome: &Outcome) -> Json {
    json!({
        "schema": SCHEMA,
        "date": outcome.date.to_string(),
        "clauses": outcome.clauses.iter().map(|r| clause_json(program, r)).collect::<Vec<_>>(),
        "policies": outcome.policies.iter().map(|p| json!({
            "policy": program.policies.get(p.policy).and_then(|x| x.title.clone()),
            "subtotal": p.subtotal.to_yuan_string(),
            "counted": p.counted.to_yuan_string(),
            "capped": p.capped,
        })).collect::<Vec<_>>(),
        "total": outcome.total.to_yuan_string(),
        "totals": {
            "exact": outcome.totals.exact.to_yuan_string(),
            "at_most": outcome.totals.at_most.to_yuan_string(),
            "at_least": outcome.totals.at_least.to_yuan_string(),
            "discretionary": outcome.totals.discretionary,
            "discretionary_capped": outcome.totals.discretionary_capped,
            "discretionary_cap": outcome.totals.discretionary_cap.to_yuan_string(),
            "reduction": outcome.totals.reduction.to_yuan_string(),
            "quota": quota_totals_json(program, outcome),
        },
        "undecided": outcome.undecided,
        "assumed_published": crate::program::assumed_published_json(program),
    })
}

/// A fact's value as a 案例 writes it: a list's items with their fields
/// (`[ { 项目投资额：300万元 }、{ … } ]`), anything else as
/// [`show_value`] shows it.
pub fn case_value(program: &Program, fact: crate::program::FactId, v: &Value) -> String {
    let vocab = &program.vocab;
    let Value::List(items) = v else {
        return vocab
            .get(fact)
            .map_or_else(String::new, |d| show_value(&d.ty, v));
    };
    if items.is_empty() {
        return "[]".into();
    }
    let fields = vocab.fields.get(&fact).map_or(&[][..], Vec::as_slice);
    let items: Vec<String> = items
        .iter()
        .map(|item| {
            let parts: Vec<String> = fields
                .iter()
                .zip(item)
                .filter_map(|(&f, v)| {
                    let v = v.as_ref()?;
                    Some(format!("{}：{}", vocab.name(f), case_value(program, f, v)))
                })
                .collect();
            format!("{{ {} }}", parts.join("  "))
        })
        .collect();
    format!("[ {} ]", items.join("、"))
}

/// A fact as given, in words: its value, or each year's (按年).
pub fn show_given(ty: &Ty, v: &crate::facts::Given) -> String {
    match v {
        crate::facts::Given::Once(v) => show_value(ty, v),
        crate::facts::Given::ByYear(t) => show_years(ty, t),
    }
}

/// A fact given year by year, in words: `按年 2023年 120亩，2024年 缺失`.
pub fn show_years(ty: &Ty, t: &crate::facts::ByYear) -> String {
    let years: Vec<String> = t
        .years()
        .iter()
        .map(|(y, v)| match v {
            Some(v) => format!("{y}年 {}", show_value(ty, v)),
            None => format!("{y}年 缺失"),
        })
        .collect();
    if years.is_empty() {
        "按年（没有填写任何一年）".into()
    } else {
        format!("按年 {}", years.join("，"))
    }
}

/// A fact's value as a drafter writes it.
pub fn show_value(ty: &Ty, v: &Value) -> String {
    match (ty, v) {
        (_, Value::Money(m)) => m.to_chinese(),
        (_, Value::Foreign(m, c)) => c.show(*m),
        (_, Value::Ratio(r)) => r.to_string(),
        (Ty::Quantity(u), Value::Quantity(n)) => format!("{}{u}", n.normalize()),
        (_, Value::Quantity(n) | Value::Number(n)) => n.normalize().to_string(),
        (_, Value::Rank(r)) => format!("第{r}名"),
        (_, Value::Date(d)) => d.format("%Y年%-m月%-d日").to_string(),
        (_, Value::Bool(b)) => (if *b { "是" } else { "否" }).to_string(),
        (_, Value::Text(t)) => format!("“{t}”"),
        (Ty::Enum { values, .. }, Value::Enum(i)) => values.get(*i).cloned().unwrap_or_default(),
        (_, Value::Enum(i)) => i.to_string(),
        (_, Value::List(items)) => format!("{}项", items.len()),
    }
}

/// An amount with its kind: `160万元`, `最高 20万元`, `不少于 5万元`.
pub fn amount_words(kind: Option<AmountKind>, m: Option<Money>) -> String {
    match (kind, m) {
        (Some(AmountKind::Range), Some(m)) => format!("区间，最高 {m}"),
        (Some(AmountKind::AtMost), Some(m)) => format!("最高 {m}"),
        (Some(AmountKind::AtLeast), Some(m)) => format!("不少于 {m}"),
        (Some(AmountKind::Discretionary), Some(m)) => format!("酌定，最高 {m}"),
        (Some(AmountKind::Discretionary), None) => "酌定".into(),
        (Some(AmountKind::Reduction), Some(m)) => format!("减免 {m}"),
        (_, Some(m)) => m.to_string(),
        (_, None) => String::new(),
    }
}

/// A quota's value with its kind, in its unit: `125亩`, `最高 40万元`.
pub fn quota_words(kind: Option<AmountKind>, m: Option<Money>, unit: &str) -> String {
    let Some(m) = m else {
        return String::new();
    };
    let v = crate::eval::quota_value_words(m, unit);
    match kind {
        Some(AmountKind::AtMost) => format!("最高 {v}"),
        Some(AmountKind::AtLeast) => format!("不少于 {v}"),
        _ => v,
    }
}

/// A clause's amount in words, a quota in its unit: `额度 125亩`.
pub fn result_amount_words(program: &Program, r: &ClauseResult) -> String {
    match crate::eval::quota_of(program, r) {
        Some(unit) => format!("额度 {}", quota_words(r.amount_kind, r.amount, unit)),
        None => clause_amount_words(r),
    }
}

/// A clause's amount in words: a range as `5万元 至 20万元`.
pub fn clause_amount_words(r: &ClauseResult) -> String {
    match (r.amount_kind, r.floor, r.amount) {
        (Some(AmountKind::Range), Some(low), Some(high)) => format!("{low} 至 {high}"),
        _ => amount_words(r.amount_kind, r.amount),
    }
}

/// The result column of the table.
pub fn result_words(program: &Program, r: &ClauseResult) -> String {
    match (r.status, r.verdict) {
        (
            s @ (Status::NotInForce | Status::OutsideApplicationWindow | Status::NotApplicable),
            _,
        ) => s.word().into(),
        (Status::Undecided, _) | (Status::Applies, Some(Verdict::Undecided)) => format!(
            "{}（{}）",
            Status::Undecided.word(),
            sections::undecided_reason(program, r)
        ),
        (Status::Applies, Some(v)) => v.word().into(),
        (Status::Applies, None) if r.kind == ClauseKind::Permission => {
            "适用（倡导性，不产生违反）".into()
        }
        (Status::Applies, None) => match r.displaced_by {
            Some(at) => {
                let p = program.policies.get(at.0);
                let label = p
                    .and_then(|p| p.clauses.get(at.1))
                    .map_or("", |c| c.label.as_str());
                match p.and_then(|p| p.title.as_deref()) {
                    Some(t) if at.0 != r.policy => format!("被《{t}》{label}取代"),
                    _ => format!("被{label}取代"),
                }
            }
            None => "适用".into(),
        },
    }
}

/// Every clause of the outcome as one Chinese table, then the total
/// (`eval --all`).
pub fn table(program: &Program, outcome: &Outcome, color: bool) -> String {
    let mut out = format!("评估日期：{}\n", outcome.date.format("%Y年%-m月%-d日"));
    out.push_str(&crate::program::assumed_published_line(program));
    if outcome.clauses.is_empty() {
        out.push_str("没有适用、待定或需要说明的条款\n");
    } else {
        out.push_str(&clause_table(program, &outcome.clauses, color));
    }
    out.push_str(&cap_lines(program, outcome));
    out.push_str(&total_line(program, outcome));
    out
}

/// The clauses as a Chinese table.
pub fn clause_table(program: &Program, clauses: &[ClauseResult], color: bool) -> String {
    use comfy_table::{Cell, Color, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(vec!["政策", "条款", "事项", "结果", "类型", "金额", "分担"]);
    if !color {
        table.force_no_tty();
    } else {
        table.enforce_styling();
    }
    for r in clauses {
        let policy = program.policies.get(r.policy);
        let clause = policy.and_then(|p| p.clauses.get(r.index));
        let title = policy
            .and_then(|p| p.title.clone())
            .map_or("（顶层条款）".into(), |t| format!("《{t}》"));
        let kind = match r.kind {
            ClauseKind::Grant => r
                .amount_kind
                .filter(|_| r.status == Status::Applies)
                .map_or(ClauseKind::Grant.word(), AmountKind::word),
            other => other.word(),
        };
        let kind = match clause.and_then(crate::program::ClauseDef::quota) {
            Some(_) if r.status == Status::Applies => format!("额度（{kind}）"),
            _ => kind.to_string(),
        };
        let amount = if r.status == Status::Applies {
            let mut a = result_amount_words(program, r);
            if r.capped {
                a.push_str("（封顶）");
            }
            a
        } else {
            String::new()
        };
        let share = match shares(program, r) {
            Some(Ok(parts)) => parts
                .iter()
                .map(|(n, m)| format!("{n} {m}"))
                .collect::<Vec<_>>()
                .join("，"),
            Some(Err(())) => "按财政体制".into(),
            None => String::new(),
        };
        let result = result_words(program, r);
        let colour = match (r.status, r.verdict, r.displaced_by) {
            (_, Some(Verdict::Violated), _) => Some(Color::Red),
            (Status::Applies, _, None) => Some(Color::Green),
            (Status::Undecided, _, _) | (_, Some(Verdict::Undecided), _) => Some(Color::Yellow),
            _ => None,
        };
        let mut result_cell = Cell::new(result);
        if let (true, Some(c)) = (color, colour) {
            result_cell = result_cell.fg(c);
        }
        table.add_row(vec![
            Cell::new(title),
            Cell::new(clause.map_or("", |c| c.label.as_str())),
            Cell::new(
                clause
                    .filter(|c| c.explicit_matter)
                    .map_or("", |c| c.matter.as_str()),
            ),
            result_cell,
            Cell::new(kind),
            Cell::new(amount),
            Cell::new(share),
        ]);
    }
    format!("{table}\n")
}

/// `《…》合计 X，超过合计上限，按 Y 计` for each policy whose cap bound.
pub fn cap_lines(program: &Program, outcome: &Outcome) -> String {
    let mut out = String::new();
    for p in outcome.policies.iter().filter(|p| p.capped) {
        if let Some(policy) = program.policies.get(p.policy) {
            out.push_str(&format!(
                "《{}》合计 {}，超过合计上限，按 {} 计\n",
                policy.title.as_deref().unwrap_or(""),
                p.subtotal,
                p.counted
            ));
        }
    }
    out
}

/// What the text says about applying, in one line: `申报期 2023年1月1日 至
/// 2023年1月31日；受理 属地商务局；材料 「营业执照复印件」、「损益表」`.
/// `None` when it says nothing.
pub fn application_words(a: &Application) -> Option<String> {
    let day = |d: chrono::NaiveDate| d.format("%Y年%-m月%-d日").to_string();
    let mut parts = Vec::new();
    if let Some(w) = a.window {
        let (start, end) = match w {
            WindowDef::Dates(s, e) => (Some(s), e),
            WindowDef::Unpublished { start, end } => (start, end),
        };
        parts.push(match (start, end) {
            (Some(s), Some(e)) => format!("申报期 {} 至 {}", day(s), day(e)),
            (Some(s), None) => format!("申报期自 {} 起", day(s)),
            (None, Some(e)) => format!("申报期至 {}（起始日期待发布）", day(e)),
            (None, None) => "申报期随发布日期确定".into(),
        });
    }
    if let Some(b) = &a.body {
        parts.push(format!("受理 {b}"));
    }
    if !a.materials.is_empty() {
        let m: Vec<String> = a.materials.iter().map(|m| format!("「{m}」")).collect();
        parts.push(format!("材料 {}", m.join("、")));
    }
    (!parts.is_empty()).then(|| parts.join("；"))
}

/// One line per listed clause that can still be applied for (it applies,
/// is undecided or missed its window) and whose text says how: the
/// application window, accepting body and materials.
pub fn application_lines(program: &Program, outcome: &Outcome) -> String {
    let mut out = String::new();
    for r in &outcome.clauses {
        if !matches!(
            r.status,
            Status::Applies | Status::Undecided | Status::OutsideApplicationWindow
        ) || !matches!(r.kind, ClauseKind::Grant | ClauseKind::Exemption)
        {
            continue;
        }
        let Some(policy) = program.policies.get(r.policy) else {
            continue;
        };
        let Some(clause) = policy.clauses.get(r.index) else {
            continue;
        };
        if let Some(words) = application_words(&clause.application_in(policy)) {
            let title = policy
                .title
                .as_ref()
                .map_or(String::new(), |t| format!("《{t}》"));
            out.push_str(&format!("申报 {title}{}：{words}\n", clause.label));
        }
    }
    out
}

/// `合计：定额 X；最高合计 Y；不少于 Z；另有 N 项酌定（其中 M 项设上限，上限合计 W）`,
/// leaving out the parts that are zero: a 酌定 grant is never money in
/// the total, so it is counted beside it.
pub fn total_line(program: &Program, outcome: &Outcome) -> String {
    let t = &outcome.totals;
    let mut parts = Vec::new();
    if !t.exact.0.is_zero() {
        parts.push(format!("定额 {}", t.exact));
    }
    if !t.at_most.0.is_zero() {
        parts.push(format!("最高合计 {}", t.at_most));
    }
    if !t.at_least.0.is_zero() {
        parts.push(format!("不少于 {}", t.at_least));
    }
    if t.discretionary > 0 {
        let mut d = format!("另有 {} 项酌定", t.discretionary);
        if t.discretionary_capped > 0 {
            d.push_str(&format!(
                "（其中 {} 项设上限，上限合计 {}）",
                t.discretionary_capped, t.discretionary_cap
            ));
        }
        parts.push(d);
    }
    if parts.is_empty() {
        parts.push(Money::ZERO.to_string());
    }
    if !t.reduction.0.is_zero() {
        parts.push(format!(
            "另有减免 {}（少缴的费用，不计入合计）",
            t.reduction
        ));
    }
    let quotas = crate::eval::quota_totals(program, &outcome.clauses);
    if !quotas.is_empty() {
        let each: Vec<String> = quotas
            .iter()
            .map(|(u, m)| crate::eval::quota_value_words(*m, u))
            .collect();
        parts.push(format!(
            "另有额度 {}（不付钱的额度和指标，不计入合计）",
            each.join("、")
        ));
    }
    let mut line = format!("合计：{}", parts.join("；"));
    if outcome.undecided {
        line.push_str("；部分条款待定，补充缺少的事实后结果可能变化");
    }
    line.push('\n');
    line
}
