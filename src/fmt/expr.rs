//! Literals, names and amount expressions in canonical form: money in the
//! largest unit that keeps the number short, dates as `2024年6月1日`,
//! full-width parentheses, operators spaced.

use chrono::Datelike;
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::trivia::Text;
use crate::ast::{ArithOp, Expr, Func, Literal, Name};
use crate::lexicon::{BAND_WORDS, CAP_WORDS};
use crate::num::{Money, Ratio};
use crate::source::Spanned;

/// A decimal without trailing zeros.
pub(super) fn decimal(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Money in 亿元 when that needs at most two decimals and the amount is at
/// least 1亿元, else in 万元 on the same terms, else in 元: `1.5亿元`,
/// `1000万元`, `2000元`. Reading the result back gives the same value.
pub(super) fn money(m: Money) -> String {
    let v = m.0;
    for (scale, unit, step) in [
        (100_000_000_i64, "亿元", 1_000_000_i64),
        (10_000, "万元", 100),
    ] {
        let scale = Decimal::from(scale);
        let whole_steps = v
            .checked_rem(Decimal::from(step))
            .is_some_and(|r| r.is_zero());
        if v.abs() >= scale
            && whole_steps
            && let Some(q) = v.checked_div(scale)
            && q.checked_mul(scale) == Some(v)
        {
            return format!("{}{unit}", decimal(q));
        }
    }
    format!("{}元", decimal(v))
}

/// A ratio in per cent, or in per mille when `permille` (as the drafter
/// wrote it; `2‰` stays `2‰`).
pub(super) fn ratio(r: Ratio, permille: bool) -> String {
    let (scale, unit) = if permille { (1000, "‰") } else { (100, "%") };
    match r.0.checked_mul(Decimal::from(scale)) {
        Some(n) => format!("{}{unit}", decimal(n)),
        None => format!("{}%", decimal(r.0 * Decimal::ONE_HUNDRED)),
    }
}

/// `2024年6月1日`.
pub(super) fn date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// A literal; `permille` says how a ratio was written.
pub(super) fn literal(lit: &Literal, permille: bool) -> String {
    match lit {
        Literal::Money(m) => money(*m),
        Literal::Foreign(m, c) => {
            let yuan = money(*m);
            format!("{}{c}", yuan.strip_suffix('元').unwrap_or(&yuan))
        }
        Literal::Rate(n, c) => format!("{}元/{c}", decimal(*n)),
        Literal::Ratio(r) => ratio(*r, permille),
        Literal::Date(d) => date(*d),
        Literal::Quantity(n, unit) => format!("{}{unit}", decimal(*n)),
        Literal::Number(n) => decimal(*n),
        Literal::Rank(n) => format!("第{}名", decimal(*n)),
        // As written: 三分之一 and 3分之1 are both plain Chinese.
        Literal::Fraction(f) => f.written.clone(),
    }
}

/// A literal as written at its span (for the unit of a ratio).
pub(super) fn spanned_literal(t: Text<'_>, lit: &Spanned<Literal>) -> String {
    literal(&lit.node, t.slice(lit.span).contains('‰'))
}

/// A word, in “…” when it was quoted.
pub(super) fn name(n: &Name) -> String {
    if n.quoted {
        format!("“{}”", n.text)
    } else {
        n.text.clone()
    }
}

/// How tightly an expression binds, loosest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Prec {
    /// `受理日期 后 5个工作日`.
    Shift,
    /// `a + b`.
    Sum,
    /// `a × b`.
    Product,
    /// `a 的 b`.
    Factor,
    /// A literal, a word, a call, a band or anything in parentheses.
    Primary,
}

/// An expression, in parentheses when it binds looser than `need`.
pub(super) fn expr_at(t: Text<'_>, e: &Expr, need: Prec) -> String {
    let (s, prec) = natural(t, e);
    if prec >= need {
        s
    } else {
        format!("（{s}）")
    }
}

/// An expression where any expression may stand.
pub(super) fn expr(t: Text<'_>, e: &Expr) -> String {
    expr_at(t, e, Prec::Shift)
}

/// `5个工作日`, `3日`: the number and the unit as written.
pub(super) fn period(p: &crate::ast::Period) -> String {
    format!("{}{}", decimal(p.n), p.unit)
}

fn natural(t: Text<'_>, e: &Expr) -> (String, Prec) {
    match e {
        Expr::Lit(l) => (spanned_literal(t, l), Prec::Primary),
        Expr::Name(n) => (name(n), Prec::Primary),
        Expr::Arith { first, rest, .. } => {
            let additive = rest
                .first()
                .is_none_or(|(op, _)| matches!(op, ArithOp::Add | ArithOp::Sub));
            let (prec, operand) = if additive {
                (Prec::Sum, Prec::Product)
            } else {
                (Prec::Product, Prec::Factor)
            };
            let mut s = expr_at(t, first, operand);
            for (op, x) in rest {
                let sym = match op {
                    ArithOp::Add => "+",
                    ArithOp::Sub => "-",
                    ArithOp::Mul => "×",
                    ArithOp::Div => "÷",
                };
                s.push_str(&format!(" {sym} {}", expr_at(t, x, operand)));
            }
            (s, prec)
        }
        Expr::Of {
            base,
            base_cap,
            shares,
            ..
        } => {
            // `X 按 R 折算 的 P` reads the conversion as the base, with no
            // brackets: the grammar puts the conversion before 的.
            let mut s = match &**base {
                Expr::Convert { .. } => expr_at(t, base, Prec::Factor),
                _ => expr_at(t, base, Prec::Primary),
            };
            let mut prev = base.span().end;
            if let Some(cap) = base_cap {
                let word = t.word(prev, cap.span().start, CAP_WORDS).unwrap_or("最高");
                s.push_str(&format!(" {word} {}", expr_at(t, cap, Prec::Primary)));
                prev = cap.span().end;
            }
            for share in shares {
                let an = t.word(prev, share.span().start, &["按"]).is_some();
                s.push_str(if an { " 的 按 " } else { " 的 " });
                s.push_str(&expr_at(t, share, Prec::Primary));
                prev = share.span().end;
            }
            (s, Prec::Factor)
        }
        Expr::Call { func, args, .. } => {
            let f = match func {
                Func::Max => "较高者",
                Func::Min => "较低者",
            };
            let args: Vec<String> = args.iter().map(|a| expr(t, a)).collect();
            (format!("{f}（{}）", args.join("，")), Prec::Primary)
        }
        Expr::Band {
            subject,
            above,
            bound,
            rate,
            ..
        } => (band(t, subject, *above, bound, rate), Prec::Primary),
        Expr::Convert { amount, rate, .. } => (
            format!(
                "{} 按 {} 折算",
                expr_at(t, amount, Prec::Primary),
                expr_at(t, rate, Prec::Primary)
            ),
            Prec::Factor,
        ),
        Expr::Shift {
            base,
            period: p,
            back,
            ..
        } => (
            format!(
                "{} {} {}",
                expr_at(t, base, Prec::Sum),
                if *back { "前" } else { "后" },
                period(&p.node)
            ),
            Prec::Shift,
        ),
        Expr::Period(p) => (period(&p.node), Prec::Primary),
    }
}

/// `技术交易额 超过 1亿元 的部分 按 2‰`.
fn band(t: Text<'_>, subject: &Expr, above: bool, bound: &Expr, rate: &Expr) -> String {
    let subj = match subject {
        Expr::Name(n) => name(n),
        other => format!("（{}）", expr(t, other)),
    };
    let written = t.word(subject.span().end, bound.span().start, BAND_WORDS);
    let op = match (above, written) {
        (true, _) => "超过",
        (false, Some(w @ ("不超过" | "以内"))) => w,
        (false, _) => "不超过",
    };
    let bound_text = match bound {
        Expr::Lit(l) => spanned_literal(t, l),
        Expr::Name(n) => name(n),
        other => format!("（{}）", expr(t, other)),
    };
    let an = t
        .word(bound.span().end, rate.span().start, &["按"])
        .is_some();
    let rate_text = match rate {
        Expr::Lit(l) if matches!(l.node, Literal::Ratio(_)) => spanned_literal(t, l),
        Expr::Name(n) => name(n),
        other => format!("（{}）", expr(t, other)),
    };
    let an = if an { "按 " } else { "" };
    format!("{subj} {op} {bound_text} 的部分 {an}{rate_text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap_or_default()
    }

    #[test]
    fn money_in_the_shortest_unit() {
        assert_eq!(money(m("10000000")), "1000万元");
        assert_eq!(money(m("150000000")), "1.5亿元");
        assert_eq!(money(m("2000")), "2000元");
        assert_eq!(money(m("15000")), "1.5万元");
        assert_eq!(money(m("12345")), "12345元");
        assert_eq!(money(m("0.5元")), "0.5元");
        assert_eq!(money(m("100005000")), "10000.5万元");
        assert_eq!(money(m("0")), "0元");
    }

    #[test]
    fn money_round_trips() {
        for s in ["1.23万元", "0.01亿元", "3.5元", "99999.99万元", "7亿元"] {
            let v = m(s);
            assert_eq!(m(&money(v)), v, "{s}");
        }
    }

    #[test]
    fn ratios_keep_their_unit() {
        let r = Ratio::parse("2‰").unwrap_or_default();
        assert_eq!(ratio(r, true), "2‰");
        assert_eq!(ratio(r, false), "0.2%");
        assert_eq!(
            ratio(Ratio::parse("3.65%").unwrap_or_default(), false),
            "3.65%"
        );
    }
}
