//! `match` for people: the sentences under the four headings, the facts to
//! ask about next, and one count line per policy for the rest.

use super::Report;
use crate::eval::Status;
use crate::num::Money;
use crate::program::Program;

/// The questions worth putting first; the rest are counted (JSON lists
/// them all).
const FACTS_SHOWN: usize = 10;

fn stake_words(m: Option<Money>) -> String {
    match m {
        None => "涉及金额无上限".into(),
        Some(m) if m.0.is_zero() => "不涉及金额".into(),
        Some(m) => format!("涉及金额最多 {m}"),
    }
}

/// The report as text.
pub(crate) fn render(program: &Program, report: &Report) -> String {
    let day = |d: chrono::NaiveDate| d.format("%Y年%-m月%-d日").to_string();
    let mut out = format!("评估日期：{}\n", day(report.date));
    out.push_str(&crate::program::assumed_published_line(program));
    if let Some(d) = report.apply_date {
        out.push_str(&format!(
            "申报日期：{}（申报期之外的条款不予兑现）\n",
            day(d)
        ));
    }
    let section = |title: &str, lines: Vec<&str>, out: &mut String| {
        out.push_str(&format!("\n{title}（{} 项）\n", lines.len()));
        if lines.is_empty() {
            out.push_str("  （无）\n");
        }
        for (i, l) in lines.iter().enumerate() {
            out.push_str(&format!("  {}. {l}\n", i + 1));
        }
    };
    section(
        crate::eval::words::PAYABLE,
        report.applicable.iter().map(|a| a.text.as_str()).collect(),
        &mut out,
    );
    out.push_str(&format!(
        "  {}",
        crate::report::total_line(program, &report.outcome)
    ));
    section(
        "差一点",
        report.near_miss.iter().map(|n| n.text.as_str()).collect(),
        &mut out,
    );
    section(
        "待补充",
        report.undecided.iter().map(|u| u.text.as_str()).collect(),
        &mut out,
    );
    facts_that_matter(program, report, &mut out);
    section(
        "义务",
        report.obligations.iter().map(|o| o.text.as_str()).collect(),
        &mut out,
    );
    others(program, report, &mut out);
    out
}

/// The facts still to learn, those deciding most money first.
fn facts_that_matter(program: &Program, report: &Report, out: &mut String) {
    if !report.facts_that_matter.is_empty() {
        out.push_str("  还需了解的事实（按涉及金额排序）：\n");
        for f in report.facts_that_matter.iter().take(FACTS_SHOWN) {
            out.push_str(&format!(
                "    {}：可决定 {} 条，{}\n",
                program.vocab.name(f.fact),
                f.clauses,
                stake_words(f.at_stake)
            ));
        }
    }
    if let Some(rest) = report.facts_that_matter.len().checked_sub(FACTS_SHOWN)
        && rest > 0
    {
        out.push_str(&format!(
            "    ……另有 {rest} 个事实（--format json 列出全部）\n"
        ));
    }
}

/// The clauses that do not concern the company, counted per policy.
fn others(program: &Program, report: &Report, out: &mut String) {
    if !report.others.is_empty() {
        out.push_str("\n其余条款：\n");
        for c in &report.others {
            let title = program
                .policies
                .get(c.policy)
                .and_then(|p| p.title.as_deref())
                .map_or_else(|| "（顶层条款）".to_string(), |t| format!("《{t}》"));
            let mut parts = Vec::new();
            for (n, word) in [
                (c.not_applicable, Status::NotApplicable.word()),
                (c.not_in_force, Status::NotInForce.word()),
                (c.displaced, "被同一事项的其他条款取代"),
                (
                    c.outside_application_window,
                    Status::OutsideApplicationWindow.word(),
                ),
                (c.advisory, "倡导性或无需申请"),
            ] {
                if n > 0 {
                    parts.push(format!("{word} {n} 条"));
                }
            }
            out.push_str(&format!("  {title}：{}\n", parts.join("，")));
        }
    }
}
