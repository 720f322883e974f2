//! `案例` blocks: their facts, date and expectations in the order written,
//! adjacent `事实` blocks merged, one fact or expectation per line.

use super::amount::bound_word;
use super::clause::label;
use super::expr::{self, name};
use super::items::{CLOSE, OPEN, open};
use super::out::{Out, Place};
use super::trivia::Text;
use crate::ast::{Case, CasePublished, ExpectTarget, Expectation, Expected, FactLiteral, Name};
use crate::source::{Span, Spanned};

/// A case's parts in the order written.
enum Part<'a> {
    Fact(&'a (Name, Spanned<FactLiteral>)),
    Date(&'a Spanned<chrono::NaiveDate>),
    ApplyDate(&'a Spanned<chrono::NaiveDate>),
    Publish(&'a CasePublished),
    Expect(&'a Expectation),
}

/// Emits a `案例` block spanning `span` at `indent`.
pub(super) fn case(out: &mut Out<'_>, c: &Case, span: Span, indent: usize) {
    let t = out.t;
    let brace = t
        .skip_char(c.name.span.end, OPEN)
        .unwrap_or(c.name.span.end);
    let mut parts: Vec<(usize, Part<'_>)> = Vec::new();
    parts.extend(c.facts.iter().map(|f| (f.0.span.start, Part::Fact(f))));
    parts.extend(c.date.iter().map(|d| (d.span.start, Part::Date(d))));
    parts.extend(c.published.iter().map(|p| (p.span.start, Part::Publish(p))));
    parts.extend(
        c.apply_date
            .iter()
            .map(|d| (d.span.start, Part::ApplyDate(d))),
    );
    parts.extend(
        c.expectations
            .iter()
            .map(|e| (e.span.start, Part::Expect(e))),
    );
    parts.sort_by_key(|(pos, _)| *pos);
    let head = format!("案例 “{}”", c.name.node);
    if !open(out, &head, span, brace, parts.is_empty(), indent) {
        return;
    }
    let inner = indent + 2;
    let mut prev = brace;
    let mut i = 0;
    while let Some((_, part)) = parts.get(i) {
        let start = t.next_token(prev);
        match part {
            Part::Fact(_) => {
                let head_end = t.skip_char(start + "事实".len(), OPEN).unwrap_or(start);
                out.unit(Span::new(start, head_end), inner, "事实 {", Place::ITEM);
                out.open();
                let mut last = head_end;
                while let Some((_, Part::Fact((n, v)))) = parts.get(i) {
                    let text = format!("{}：{}", name(n), fact_value(t, v));
                    out.unit(
                        Span::new(n.span.start, v.span.end),
                        inner + 2,
                        &text,
                        Place::ITEM,
                    );
                    last = v.span.end;
                    i += 1;
                }
                prev = t.skip_char(last, CLOSE).unwrap_or(last);
                out.close(prev, inner);
                continue;
            }
            Part::Date(d) | Part::ApplyDate(d) => {
                let word = if matches!(part, Part::Date(_)) {
                    "日期"
                } else {
                    "申报日期"
                };
                let text = format!("{word} {}", expr::date(d.node));
                out.unit(Span::new(start, d.span.end), inner, &text, Place::ITEM);
                prev = d.span.end;
            }
            Part::Publish(p) => {
                let text = format!("发布 《{}》 {}", p.title.node, expr::date(p.date.node));
                out.unit(Span::new(start, p.span.end), inner, &text, Place::ITEM);
                prev = p.span.end;
            }
            Part::Expect(e) => {
                out.unit(
                    Span::new(start, e.span.end),
                    inner,
                    &expectation(t, e),
                    Place::ITEM,
                );
                prev = e.span.end;
            }
        }
        i += 1;
    }
    out.close(span.end, indent);
}

fn fact_value(t: Text<'_>, v: &Spanned<FactLiteral>) -> String {
    match &v.node {
        FactLiteral::Lit(l) => expr::literal(l, t.slice(v.span).contains('‰')),
        FactLiteral::Bool(true) => "是".into(),
        FactLiteral::Bool(false) => "否".into(),
        FactLiteral::Word(w)
            if super::words::plain(w) && !t.slice(v.span).starts_with(['“', '"', '‘', '\'']) =>
        {
            w.clone()
        }
        FactLiteral::Word(w) => format!("“{w}”"),
        FactLiteral::List(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|fields| {
                    let fields: Vec<String> = fields
                        .iter()
                        .map(|(n, v)| format!("{}：{}", super::expr::name(n), fact_value(t, v)))
                        .collect();
                    format!("{{ {} }}", fields.join("  "))
                })
                .collect();
            if items.is_empty() {
                "[]".into()
            } else {
                format!("[ {} ]", items.join("、"))
            }
        }
        FactLiteral::ByYear(years) => {
            let years: Vec<String> = years
                .iter()
                .map(|(y, v)| format!("{}年：{}", y.node, fact_value(t, v)))
                .collect();
            if years.is_empty() {
                "按年 {}".into()
            } else {
                format!("按年 {{ {} }}", years.join("  "))
            }
        }
    }
}

fn expectation(t: Text<'_>, e: &Expectation) -> String {
    let (target, from, give) = match &e.target {
        ExpectTarget::Total => ("合计".to_string(), e.span.start, ""),
        ExpectTarget::Clause { policy, label: l } => {
            let title = policy
                .as_ref()
                .map(|p| format!("《{}》", p.node))
                .unwrap_or_default();
            (format!("{title}{}", label(t, l)), l.span.end, "给予 ")
        }
    };
    let outcome = match &e.outcome {
        Expected::Amount(bound, m) => {
            let w = bound_word(t, *bound, from, e.span.end);
            format!("{give}{w}{}", expr::money(*m))
        }
        Expected::Range(low, high) => {
            format!("{give}{} 至 {}", expr::money(*low), expr::money(*high))
        }
        Expected::Quota(bound, v, unit) => {
            let w = bound_word(t, *bound, from, e.span.end);
            let shown = if unit == "元" {
                expr::money(crate::num::Money(*v))
            } else {
                format!("{}{unit}", expr::decimal(*v))
            };
            format!("{give}额度 {w}{shown}")
        }
        Expected::Discretionary => format!("{give}酌定"),
        Expected::DiscretionaryCount(n) => return format!("期望 酌定 {n}项"),
        Expected::NotApplicable => "不适用".into(),
        Expected::NotInForce => "不在施行期".into(),
        Expected::Encouraged => "鼓励".into(),
        Expected::DisplacedBy { policy, label: l } => {
            let title = policy
                .as_ref()
                .map(|p| format!("《{}》", p.node))
                .unwrap_or_default();
            format!("由 {title}{} 取代", label(t, l))
        }
        Expected::Shares(shares) => format!(
            "分担 {}",
            shares
                .iter()
                .map(|(n, m)| format!("{} {}", expr::name(n), expr::money(*m)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Expected::Undecided => "待定".into(),
        Expected::UndecidedFor(names) => format!(
            "待定 缺少 {}",
            names.iter().map(expr::name).collect::<Vec<_>>().join("、")
        ),
        Expected::Exempt => "免于".into(),
        Expected::Violated => "违反".into(),
        Expected::Met => "遵守".into(),
        Expected::OutsideApplicationWindow => "不在申报期".into(),
        Expected::Displaced => "被取代".into(),
    };
    format!("期望 {target} {outcome}")
}
