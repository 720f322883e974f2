//! The answer about one company, as `eval` prints it: first what it
//! receives, then what is still undecided for reasons that concern it
//! (with the facts to supply), then the obligations that bind it; every
//! other clause is one count per policy.

use std::collections::BTreeMap;

use crate::eval::{ClauseKind, ClauseResult, Outcome, Status, Verdict};
use crate::program::{PolicyId, Program};

use super::{application_lines, cap_lines, clause_table, total_line};

/// Where a clause's result belongs in the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// A grant or exemption that applies (displaced grants included, so
    /// that the reader sees what was not paid twice).
    Receives,
    /// Undecided: a fact is missing, or the publication date.
    Undecided,
    /// 不得 / 应当 that bind the entity.
    Obligations,
    /// A grant or exemption applied for outside its 申报 window.
    OutsideApplicationWindow,
    /// Not applicable, not in force, or 倡导: counted only.
    Other,
}

/// The section of a clause's result.
pub fn section(r: &ClauseResult) -> Section {
    match (r.kind, r.status) {
        (ClauseKind::Grant | ClauseKind::Exemption, Status::Applies) => Section::Receives,
        (ClauseKind::Prohibition | ClauseKind::Obligation, Status::Applies) => Section::Obligations,
        (_, Status::Undecided) => Section::Undecided,
        (_, Status::OutsideApplicationWindow) => Section::OutsideApplicationWindow,
        _ => Section::Other,
    }
}

fn clause_name(program: &Program, r: &ClauseResult) -> String {
    let p = program.policies.get(r.policy);
    let label = p
        .and_then(|p| p.clauses.get(r.index))
        .map_or("", |c| c.label.as_str());
    match p.and_then(|p| p.title.as_deref()) {
        Some(t) => format!("《{t}》{label}"),
        None => label.to_string(),
    }
}

/// Why a clause is undecided, without the leading 待定.
pub(super) fn undecided_reason(program: &Program, r: &ClauseResult) -> String {
    let mut parts = Vec::new();
    if !r.missing.is_empty() {
        parts.push(format!("缺少：{}", r.missing_names(program).join("、")));
    }
    if let Some(n) = &r.window_note {
        parts.push(n.clone());
    }
    parts.join("；")
}

/// The answer for one entity, in sections.
pub fn human(program: &Program, outcome: &Outcome, color: bool) -> String {
    let mut out = format!("评估日期：{}\n", outcome.date.format("%Y年%-m月%-d日"));
    out.push_str(&crate::program::assumed_published_line(program));
    let of = |s: Section| outcome.clauses.iter().filter(move |r| section(r) == s);

    let receives: Vec<ClauseResult> = of(Section::Receives).cloned().collect();
    out.push_str("\n可获得：\n");
    if receives.is_empty() {
        out.push_str("没有适用的给予或免于条款\n");
    } else {
        out.push_str(&clause_table(program, &receives, color));
        out.push_str(&schedule_lines(program, &receives));
        out.push_str(&item_lines(program, &receives));
    }
    out.push_str(&cap_lines(program, outcome));
    out.push_str(&total_line(program, outcome));
    out.push_str(&application_lines(program, outcome));
    out.push_str(&undecided_lines(program, of(Section::Undecided).collect()));
    let open: Vec<ClauseResult> = of(Section::Undecided).cloned().collect();
    out.push_str(&item_lines(program, &open));
    out.push_str(&missed_lines(
        program,
        of(Section::OutsideApplicationWindow).collect(),
    ));
    out.push_str(&duty_lines(program, of(Section::Obligations).collect()));
    out.push_str(&rest_lines(program, of(Section::Other)));
    out
}

/// Each schedule that applies, year by year: what one evaluation counts
/// is only this year's, so the reader sees the rest here.
fn schedule_lines(program: &Program, clauses: &[ClauseResult]) -> String {
    let mut out = String::new();
    for r in clauses.iter().filter(|r| !r.schedule.is_empty()) {
        let years: Vec<String> = r
            .schedule
            .iter()
            .map(|i| {
                let now = if i.current { "本年，" } else { "" };
                let amount = match (i.amount, crate::eval::quota_of(program, r)) {
                    (Some(_), Some(unit)) => {
                        format!("额度 {}", super::quota_words(i.kind, i.amount, unit))
                    }
                    (Some(_), None) => super::amount_words(i.kind, i.amount),
                    (None, _) => "金额待定".into(),
                };
                format!(
                    "第 {} 年（{now}{}起）{amount}",
                    i.year,
                    crate::check::chinese_date(i.from)
                )
            })
            .collect();
        out.push_str(&format!(
            "  {} 分年给予 共 {} 年：{}\n",
            clause_name(program, r),
            r.schedule.len(),
            years.join("；")
        ));
    }
    out
}

/// Each 每项 grant that applies, item by item.
fn item_lines(program: &Program, clauses: &[ClauseResult]) -> String {
    let mut out = String::new();
    for r in clauses.iter().filter(|r| !r.items.is_empty()) {
        let list = program
            .policies
            .get(r.policy)
            .and_then(|p| p.clauses.get(r.index))
            .and_then(|c| match &c.action {
                crate::program::Action::Grant {
                    amount: crate::program::GrantAmount::Items(g),
                    ..
                } => Some(program.vocab.name(g.list)),
                _ => None,
            })
            .unwrap_or("?");
        let items: Vec<String> = r
            .items
            .iter()
            .map(|i| {
                let what = match (i.status, i.amount) {
                    (crate::eval::Status::Applies, Some(m)) if !i.counted => {
                        format!("{m}（超出项数上限，不计）")
                    }
                    (crate::eval::Status::Applies, Some(m)) if i.capped => {
                        format!("{m}（每项封顶）")
                    }
                    (crate::eval::Status::Applies, Some(m)) => m.to_string(),
                    (crate::eval::Status::NotApplicable, _) => "不计".into(),
                    _ => "待定".into(),
                };
                format!("{list}[{}] {what}", i.index)
            })
            .collect();
        out.push_str(&format!(
            "  {} 逐项给予 共 {} 项：{}\n",
            clause_name(program, r),
            r.items.len(),
            items.join("；")
        ));
    }
    out
}

/// 待定: each undecided clause with the facts that would decide it.
fn undecided_lines(program: &Program, undecided: Vec<&ClauseResult>) -> String {
    let heading = format!(
        "\n待定（{} 条，补充下列事实后可以确定）：\n",
        undecided.len()
    );
    listed(program, heading, undecided, |r| {
        undecided_reason(program, r)
    })
}

/// 不在申报期: each clause whose application window the date misses.
fn missed_lines(program: &Program, missed: Vec<&ClauseResult>) -> String {
    let heading = format!(
        "\n不在申报期（{} 条，申报日期不在申报期内，不予兑现）：\n",
        missed.len()
    );
    listed(program, heading, missed, |r| {
        r.window_note.as_deref().unwrap_or("申报期").to_string()
    })
}

/// A section of clauses, one line each with `note`; nothing when empty.
fn listed(
    program: &Program,
    heading: String,
    clauses: Vec<&ClauseResult>,
    note: impl Fn(&ClauseResult) -> String,
) -> String {
    if clauses.is_empty() {
        return String::new();
    }
    let mut out = heading;
    for r in clauses {
        out.push_str(&format!(
            "  {}（{}）：{}\n",
            clause_name(program, r),
            r.kind.word(),
            note(r)
        ));
    }
    out
}

/// 义务: violations first, then what is still open, then what is met.
fn duty_lines(program: &Program, mut duties: Vec<&ClauseResult>) -> String {
    if duties.is_empty() {
        return String::new();
    }
    duties.sort_by_key(|r| match r.verdict {
        Some(Verdict::Violated) => 0,
        Some(Verdict::Undecided) => 1,
        _ => 2,
    });
    let mut out = format!("\n义务（{} 条）：\n", duties.len());
    for r in duties {
        let verdict = match r.verdict {
            Some(Verdict::Violated) => Verdict::Violated.word().to_string(),
            Some(Verdict::Undecided) => format!("待定，{}", undecided_reason(program, r)),
            _ => Verdict::Met.word().to_string(),
        };
        out.push_str(&format!(
            "  {}（{}）：{verdict}\n",
            clause_name(program, r),
            r.kind.word()
        ));
    }
    out
}

/// 其余条款: per policy, how many clauses do not apply, are not in force or
/// only encourage.
fn rest_lines<'a>(program: &Program, rest: impl Iterator<Item = &'a ClauseResult>) -> String {
    let mut counts_of: BTreeMap<PolicyId, [usize; 3]> = BTreeMap::new();
    for r in rest {
        let counts = counts_of.entry(r.policy).or_default();
        let i = match r.status {
            Status::NotInForce => 1,
            Status::Applies => 2,
            _ => 0,
        };
        if let Some(n) = counts.get_mut(i) {
            *n += 1;
        }
    }
    if counts_of.is_empty() {
        return String::new();
    }
    let mut out = "\n其余条款：\n".to_string();
    for (pid, [na, nif, permit]) in counts_of {
        let title = program
            .policies
            .get(pid)
            .and_then(|p| p.title.as_deref())
            .map_or("（顶层条款）".to_string(), |t| format!("《{t}》"));
        let parts: Vec<String> = [(na, "不适用"), (nif, "不在施行期"), (permit, "倡导性")]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, w)| format!("{w} {n} 条"))
            .collect();
        out.push_str(&format!("  {title}：{}\n", parts.join("，")));
    }
    out
}
