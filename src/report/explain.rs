//! `--explain`: for each clause, which conditions held with the facts they
//! read, how the amount came out, what displaced what, and the 原文.

use crate::eval::{ClauseKind, ClauseResult, Outcome, Status, TraceLine, Tri};
use crate::facts::Facts;
use crate::lexicon::trivia;
use crate::program::Program;

use super::{result_words, show_value};

fn mark(t: Tri) -> &'static str {
    match t {
        Tri::Yes => "✓",
        Tri::No => "✗",
        Tri::Unknown => "?",
    }
}

/// Source text on one line: comments dropped, whitespace collapsed.
pub fn source_words(text: &str) -> String {
    trivia::uncommented(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The explanation of every clause, in load order.
pub fn explain(program: &Program, facts: &Facts, outcome: &Outcome) -> String {
    let mut out = String::new();
    for r in &outcome.clauses {
        let Some(policy) = program.policies.get(r.policy) else {
            continue;
        };
        let Some(clause) = policy.clauses.get(r.index) else {
            continue;
        };
        let title = policy
            .title
            .as_deref()
            .map_or(String::new(), |t| format!("《{t}》"));
        out.push_str(&format!("\n── {title}{} ──\n", clause.label));
        out.push_str(&format!("  结果：{}\n", result_words(program, r)));
        if let Some(note) = &r.window_note
            && r.status != Status::OutsideApplicationWindow
        {
            out.push_str(&format!(
                "  施行：{note}（评估日期 {}）\n",
                outcome.date.format("%Y年%-m月%-d日")
            ));
        }
        out.push_str(&condition_lines(program, facts, outcome.date, &r.trace));
        out.push_str(&amount_lines(program, r));
        if let Some(words) = super::application_words(&clause.application_in(policy)) {
            let missed = if r.status == Status::OutsideApplicationWindow {
                "（申报日期不在申报期内，不予兑现）"
            } else {
                ""
            };
            out.push_str(&format!("  申报：{words}{missed}\n"));
        }
        for src in clause.source.iter().chain(&clause.also_cites) {
            out.push_str(&format!("  原文：「{src}」\n"));
        }
    }
    out
}

/// 条件: each condition as written, whether it held, and the facts it read.
/// A fact given year by year is shown as read, in the evaluation date's
/// year.
fn condition_lines(
    program: &Program,
    facts: &Facts,
    date: chrono::NaiveDate,
    trace: &[TraceLine],
) -> String {
    let year = chrono::Datelike::year(&date);
    let mut out = String::new();
    if !trace.is_empty() {
        out.push_str("  条件：\n");
    }
    for line in trace {
        let text = source_words(program.text(line.loc));
        let read: Vec<String> = line
            .facts
            .iter()
            .map(|f| {
                let name = program.vocab.name(*f);
                let by_year = facts.by_year(*f).is_some();
                match (facts.get_in(*f, year), program.vocab.get(*f), by_year) {
                    (Some(v), Some(d), false) => format!("{name} = {}", show_value(&d.ty, v)),
                    (Some(v), Some(d), true) => {
                        format!("{name} = {}（按年，{year}年）", show_value(&d.ty, v))
                    }
                    (_, _, true) => format!("{name} {year}年 缺失（按年）"),
                    _ => format!("{name} 缺失"),
                }
            })
            .chain(line.computed.iter().map(|(at, date)| {
                let words = source_words(program.text(*at));
                format!("{words} = {}", crate::check::chinese_date(*date))
            }))
            .collect();
        let read = match line.run {
            Some(run) => run_of_years_words(program, facts, date, &line.facts, run),
            None => read,
        };
        let values = if read.is_empty() {
            String::new()
        } else {
            format!("    〔{}〕", read.join("，"))
        };
        out.push_str(&format!(
            "    {}{} {text}{values}\n",
            "  ".repeat(line.depth),
            mark(line.result)
        ));
    }
    out
}

/// What `自 上规日期 起 连续3年 在规` read: the date, then each year's
/// value of the fact in the calendar year that year begins, or the day
/// the years are complete when they are not yet.
fn run_of_years_words(
    program: &Program,
    facts: &Facts,
    date: chrono::NaiveDate,
    read: &[crate::program::FactId],
    (from, years): (chrono::NaiveDate, u32),
) -> Vec<String> {
    use crate::program::{run_end, schedule_start};
    let [event, fact] = read else {
        return Vec::new();
    };
    let day = crate::check::chinese_date;
    let mut out = vec![format!("{} = {}", program.vocab.name(*event), day(from))];
    match run_end(from, years) {
        Some(end) if date >= end => {
            let name = program.vocab.name(*fact);
            let ty = program.vocab.get(*fact).map(|d| &d.ty);
            let each: Vec<String> = (1..=years)
                .filter_map(|k| schedule_start(from, k))
                .map(|start| {
                    let y = chrono::Datelike::year(&start);
                    match (facts.get_in(*fact, y), ty) {
                        (Some(v), Some(ty)) => format!("{y}年 {}", show_value(ty, v)),
                        _ => format!("{y}年 缺失"),
                    }
                })
                .collect();
            out.push(format!("{name}：{}", each.join("、")));
        }
        Some(end) => out.push(format!("{years} 年到 {} 才满", day(end))),
        None => out.push(format!("{years} 年不会满")),
    }
    out
}

/// 金额 and 计算: what a grant that applies comes to, and how.
fn amount_lines(program: &Program, r: &ClauseResult) -> String {
    let mut out = String::new();
    if r.kind == ClauseKind::Grant && r.status == Status::Applies {
        out.push_str(&format!(
            "  金额：{}",
            crate::report::result_amount_words(program, r)
        ));
        if let Some(t) = r.tier {
            out.push_str(&format!("（第 {} 档）", t + 1));
        }
        out.push('\n');
    }
    if !r.derivation.is_empty() {
        out.push_str("  计算：\n");
        for step in &r.derivation {
            out.push_str(&format!("    {}\n", step.text));
        }
    }
    out
}
