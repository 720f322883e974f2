//! What a clause does and how much: grants with every amount form
//! (fixed, bounded, shares with caps, tiers, per unit, discretionary),
//! exemptions, prohibitions, obligations and permissions.

use super::expr::{self, name};
use super::trivia::Text;
use crate::ast::{
    Action, Amount, AmountCore, AmountKind, Expr, Grant, GrantAmount, Schedule, SchedulePlan,
    YearSpan,
};
use crate::lexicon::{self, CAP_WORDS, DISCRETIONARY, EXEMPT_WORDS, PERMIT_WORDS};
use crate::source::{Span, Spanned};

/// What a clause does: `给予 …`, `分别 给予 …`, `再 给予 …`, `免于 …`,
/// `不得 …`, `应当 …`, `可 …`.
pub(super) fn action(t: Text<'_>, a: &Spanned<Action>) -> String {
    match &a.node {
        Action::Grant(g) => grant(t, g),
        Action::Exempt(x) => {
            let w = t.word(a.span.start, x.span.start, EXEMPT_WORDS);
            format!("{} {}", w.unwrap_or("免于"), text_arg(t, x))
        }
        Action::Prohibit(n) => format!("不得 {}", name(n)),
        Action::Oblige(n) => format!("应当 {}", name(n)),
        Action::Permit(x) => {
            let w = t.word(a.span.start, x.span.start, PERMIT_WORDS);
            format!("{} {}", w.unwrap_or("可"), text_arg(t, x))
        }
    }
}

/// Free text as written: 「…」, “…” or a bare word.
fn text_arg(t: Text<'_>, x: &Spanned<String>) -> String {
    match t.slice(x.span).chars().next() {
        Some('“' | '"' | '‘' | '\'') => format!("“{}”", x.node),
        Some('「') => format!("「{}」", x.node),
        Some(_) => x.node.clone(),
        None if x.node.contains('」') => format!("“{}”", x.node),
        None => format!("「{}」", x.node),
    }
}

fn grant(t: Text<'_>, g: &Grant) -> String {
    let (verb, amount) = match &g.amount {
        GrantAmount::Single(a) => ("给予", single(t, a)),
        GrantAmount::Tiers {
            bound,
            items,
            cap,
            span,
        } => (
            "分别 给予",
            tier_list(t, *bound, items, cap.as_ref(), *span),
        ),
        GrantAmount::Discretionary { cap, span } => {
            let mut s = DISCRETIONARY.to_string();
            if let Some(cap) = cap {
                s.push_str(&cap_text(t, span.start, cap));
            }
            ("给予", s)
        }
        GrantAmount::Schedule(s) => ("给予", schedule(t, s)),
        GrantAmount::Items(g) => {
            let mut s = format!("每项 {}", expr::name(&g.list));
            if let Some(c) = &g.filter {
                s.push_str(&format!("（其中 {}）", super::cond::cond(t, c)));
            }
            s.push_str(&format!(" 按 {}", expr::expr(t, &g.amount)));
            if let Some(c) = &g.each_cap {
                s.push_str(&format!("，每项 最高 {}", expr::expr(t, c)));
            }
            // As written: only `8项` checks, and a count that does not is
            // the checker's to name, not the formatter's to mend.
            if let Some(c) = &g.count {
                let unit = c.unit.as_deref().unwrap_or("");
                s.push_str(&format!("，最多 {}{unit}", expr::decimal(c.n)));
            }
            if let Some(c) = &g.total_cap {
                s.push_str(&format!("，合计 最高 {}", expr::expr(t, c)));
            }
            ("给予", s)
        }
        GrantAmount::Range {
            low,
            high,
            cap,
            span,
            ..
        } => {
            let mut s = format!(
                "{} 至 {}",
                core(t, low, span.start),
                core(t, high, core_span(low).end)
            );
            if let Some(cap) = cap {
                s.push_str(&cap_text(t, core_span(high).end, cap));
            }
            ("给予", s)
        }
    };
    let verb = if g.extra { "再 给予" } else { verb };
    let mut amount = amount;
    if let Some(c) = &g.cumulative {
        let w = t
            .word(c.span.start, c.cap.span().start, CAP_WORDS)
            .unwrap_or("最高");
        amount.push_str(&format!(
            "，累计 {w} {}（{} {}）",
            expr::expr(t, &c.cap),
            if c.this_year {
                "本年已领"
            } else {
                "往年已领"
            },
            name(&c.received)
        ));
    }
    let verb = if g.quota.is_some() {
        format!("{verb} 额度")
    } else {
        verb.to_string()
    };
    match &g.name {
        Some(n) => format!("{verb} {amount} {}", grant_name(&n.node)),
        None => format!("{verb} {amount}"),
    }
}

/// `最高 ` / `不低于 ` / "" for a bound written between `start` and `end`.
pub(super) fn bound_word(t: Text<'_>, bound: AmountKind, start: usize, end: usize) -> String {
    let default = match bound {
        // 酌定 is never a word in front of an amount.
        AmountKind::Exact | AmountKind::Discretionary | AmountKind::Range => return String::new(),
        AmountKind::AtMost => "最高",
        AmountKind::AtLeast => "不低于",
        AmountKind::Reduction => "减免",
    };
    let words = lexicon::bound_words(bound);
    format!("{} ", t.word(start, end, &words).unwrap_or(default))
}

/// `，最高 1000万元` or `、最高不超过 1000万元`, as written after `from`.
fn cap_text(t: Text<'_>, from: usize, cap: &Expr) -> String {
    let at = cap.span().start;
    let sep = if t.word(from, at, &["、"]).is_some() {
        "、"
    } else {
        "，"
    };
    let w = t.word(from, at, CAP_WORDS).unwrap_or("最高");
    format!("{sep}{w} {}", expr::expr(t, cap))
}

fn single(t: Text<'_>, a: &Amount) -> String {
    let c = core_span(&a.core);
    let mut s = bound_word(t, a.bound, a.span.start, c.start);
    s.push_str(&core(t, &a.core, a.span.start));
    if let Some(cap) = &a.cap {
        s.push_str(&cap_text(t, c.end, cap));
    }
    s
}

/// `自 落户日期 起 前3年 每年 …，后2年 每年 …，每年 最高 …` or
/// `自 认定日期 起 1000万元 分3年 按 40%、30%、30%`.
/// `不超过 30万元、25万元、20万元，最高 …`: the amounts of 分别.
fn tier_list(
    t: Text<'_>,
    bound: AmountKind,
    items: &[AmountCore],
    cap: Option<&Expr>,
    span: Span,
) -> String {
    let first = items.first().map_or(span.end, |c| core_span(c).start);
    let mut s = bound_word(t, bound, span.start, first);
    let mut prev = span.start;
    let mut parts = Vec::new();
    for item in items {
        parts.push(core(t, item, prev));
        prev = core_span(item).end;
    }
    s.push_str(&parts.join("、"));
    if let Some(cap) = cap {
        let w = t.word(prev, cap.span().start, CAP_WORDS).unwrap_or("最高");
        s.push_str(&format!("，{w} {}", expr::expr(t, cap)));
    }
    s
}

fn schedule(t: Text<'_>, s: &Schedule) -> String {
    let mut out = format!("自 {} 起 ", name(&s.event));
    let mut prev = s.event.span.end;
    match &s.plan {
        SchedulePlan::Years(parts) => {
            let runs: Vec<String> = parts
                .iter()
                .map(|p| {
                    prev = p.amount.span.end;
                    if !p.tiers.is_empty() {
                        let a = &p.amount;
                        let tiers = tier_list(t, a.bound, &p.tiers, a.cap.as_ref(), a.span);
                        return format!("{} 每年 分别 {tiers}", year_span(&p.years));
                    }
                    format!("{} 每年 {}", year_span(&p.years), single(t, &p.amount))
                })
                .collect();
            out.push_str(&runs.join("，"));
        }
        SchedulePlan::Split {
            bound,
            total,
            tiers,
            years,
            shares,
        } => {
            if !tiers.is_empty() {
                out.push_str("分别 ");
            }
            out.push_str(&bound_word(t, *bound, prev, total.span().start));
            let totals: Vec<String> = s
                .plan
                .split_totals()
                .into_iter()
                .map(|e| expr::expr(t, e))
                .collect();
            let shares: Vec<&str> = shares.iter().map(|r| t.slice(r.span).trim()).collect();
            out.push_str(&format!(
                "{} {} 按 {}",
                totals.join("、"),
                year_span(years),
                shares.join("、")
            ));
            prev = years.span.end;
        }
    }
    if let Some(cap) = &s.cap {
        let w = t.word(prev, cap.span().start, CAP_WORDS).unwrap_or("最高");
        out.push_str(&format!("，每年 {w} {}", expr::expr(t, cap)));
    }
    out
}

fn year_span(y: &YearSpan) -> String {
    format!("{}{}年", y.word.word(), y.count.normalize())
}

fn core_span(c: &AmountCore) -> Span {
    match c {
        AmountCore::Expr(e) => e.span(),
        AmountCore::PerUnit { span, .. } => *span,
    }
}

/// An amount proper, with `按` in front when written so after `from`.
fn core(t: Text<'_>, c: &AmountCore, from: usize) -> String {
    let an = if t.word(from, core_span(c).start, &["按"]).is_some() {
        "按 "
    } else {
        ""
    };
    let body = match c {
        AmountCore::Expr(e) => expr::expr(t, e),
        AmountCore::PerUnit {
            fact,
            unit,
            per,
            whole,
            bound,
            rate,
            ..
        } => {
            let b = bound_word(t, *bound, unit.span.end, rate.span().start);
            let rate = expr::expr(t, rate);
            let mut block = per.as_ref().map_or(String::new(), |p| block(p.node));
            if *whole {
                block.insert(0, '满');
            }
            match fact {
                Some(f) => format!("{} 每{block}{} {b}{rate}", name(f), unit.node),
                None => format!("每{block}{} {b}{rate}", unit.node),
            }
        }
    };
    format!("{an}{body}")
}

/// The block of `每10人`, `每万平方米`: whole ten thousands with 万, as
/// the texts write them.
fn block(n: rust_decimal::Decimal) -> String {
    let wan = rust_decimal::Decimal::from(10_000);
    let k = n / wan;
    if n >= wan && k.fract().is_zero() {
        if k == rust_decimal::Decimal::ONE {
            "万".into()
        } else {
            format!("{}万", expr::decimal(k))
        }
    } else {
        expr::decimal(n)
    }
}

/// `奖励`, `一次性 补助`, `“运营资助”`.
fn grant_name(text: &str) -> String {
    let (once, rest) = match text.strip_prefix("一次性") {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let kind = if crate::lexicon::GRANT_NAMES.contains(&rest) {
        rest.to_string()
    } else {
        format!("“{rest}”")
    };
    match (once, rest.is_empty()) {
        (true, true) => "一次性".into(),
        (true, false) => format!("一次性 {kind}"),
        (false, _) => kind,
    }
}
