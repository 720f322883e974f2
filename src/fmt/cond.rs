//! Conditions. The syntax tree folds synonyms together (`且`, `并且`, `和`
//! and words side by side are all `And`); the printer reads back the word
//! the drafter wrote, and adds parentheses exactly where the grammar's
//! binding (或 < 且 < 、 < side by side < 非) would otherwise regroup.

use super::expr;
use super::trivia::Text;
use crate::ast::{CmpOp, Compare, Cond, Expr};

/// Binding levels of conditions, loosest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Lvl {
    Or,
    And,
    List,
    Juxt,
    Unary,
    Atom,
}

const AND_WORDS: &[&str] = &["并且", "且", "和"];
const OR_WORDS: &[&str] = &["或者", "或"];
const NOT_WORDS: &[&str] = &["不是", "非", "未"];
const CMP_WORDS: &[&str] = &[
    "不超过",
    "不高于",
    "不少于",
    "不低于",
    "超过",
    "高于",
    "达到",
    "达",
    "低于",
    "不足",
    "不满",
    "大于",
    "小于",
    "多于",
    "少于",
];
const SUFFIXES: &[&str] = &["及以上", "及以下", "以上", "以下", "以内"];
const EQ_WORDS: &[&str] = &["等于", "不是", "为", "是", "不属于", "属于"];

/// A condition where any condition may stand (after 对, 适用, 定义 … =).
pub fn cond(t: Text<'_>, c: &Cond) -> String {
    at(t, c, Lvl::Or)
}

fn at(t: Text<'_>, c: &Cond, need: Lvl) -> String {
    let (s, lvl) = natural(t, c);
    if lvl >= need { s } else { format!("（{s}）") }
}

fn natural(t: Text<'_>, c: &Cond) -> (String, Lvl) {
    match c {
        Cond::Or(parts, _) => (joined(t, parts, OR_WORDS, "或", Lvl::And), Lvl::Or),
        Cond::And(parts, _) => and(t, parts),
        Cond::List(parts, _) => (list(t, parts), Lvl::List),
        Cond::Not(inner, span) => {
            let word = t
                .word(span.start, inner.span().start, NOT_WORDS)
                .unwrap_or("非");
            (format!("{word} {}", at(t, inner, Lvl::Atom)), Lvl::Unary)
        }
        Cond::Word(n) => (expr::name(n), Lvl::Atom),
        Cond::Compare(cmp) => (compare(t, cmp), Lvl::Atom),
    }
}

/// The connective written between each pair of parts, if any.
fn gaps(t: Text<'_>, parts: &[Cond], words: &[&'static str]) -> Vec<Option<&'static str>> {
    parts
        .windows(2)
        .map(|w| match w {
            [a, b] => t.word(a.span().end, b.span().start, words),
            _ => None,
        })
        .collect()
}

fn joined(t: Text<'_>, parts: &[Cond], words: &[&'static str], default: &str, need: Lvl) -> String {
    let seps = gaps(t, parts, words);
    let mut s = String::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            let w = seps.get(i - 1).copied().flatten().unwrap_or(default);
            s.push_str(&format!(" {w} "));
        }
        s.push_str(&at(t, p, need));
    }
    s
}

/// Words side by side when written so (or, with no source, when all are
/// plain words), else joined by 且.
fn and(t: Text<'_>, parts: &[Cond]) -> (String, Lvl) {
    let seps = gaps(t, parts, AND_WORDS);
    let no_word = seps.iter().all(Option::is_none);
    let from_source = parts.iter().any(|p| !p.span().is_empty());
    if !(no_word && (from_source || parts.iter().all(is_plain))) {
        return (joined(t, parts, AND_WORDS, "且", Lvl::List), Lvl::And);
    }
    let items: Vec<String> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            // After another condition, `三星 及以上` would read as a comparison
            // of the word before it, and `不是 X` as an equality test.
            let ambiguous = i > 0
                && match p {
                    Cond::Compare(c) => c.lhs.is_none(),
                    Cond::Not(..) => not_word(t, p) == "不是",
                    _ => false,
                };
            if ambiguous {
                format!("（{}）", cond(t, p))
            } else {
                at(t, p, Lvl::Unary)
            }
        })
        .collect();
    (items.join(" "), Lvl::Juxt)
}

fn not_word(t: Text<'_>, c: &Cond) -> &'static str {
    match c {
        Cond::Not(inner, span) => t
            .word(span.start, inner.span().start, NOT_WORDS)
            .unwrap_or("非"),
        _ => "",
    }
}

fn is_plain(c: &Cond) -> bool {
    match c {
        Cond::Word(_) => true,
        Cond::Not(inner, _) => matches!(**inner, Cond::Word(_)),
        _ => false,
    }
}

/// A 、-list. An item that ends in `为 A、B` would swallow the items after
/// it, so such an item (when not last) is parenthesised.
fn list(t: Text<'_>, parts: &[Cond]) -> String {
    let last = parts.len().saturating_sub(1);
    let items: Vec<String> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if i < last && ends_in_values(t, p) {
                format!("（{}）", cond(t, p))
            } else {
                at(t, p, Lvl::Juxt)
            }
        })
        .collect();
    items.join("、")
}

/// Whether the printed condition ends with a 、-list of values.
fn ends_in_values(t: Text<'_>, c: &Cond) -> bool {
    match c {
        Cond::Compare(cmp) => {
            matches!(cmp.op, CmpOp::Eq | CmpOp::Ne) && !compare(t, cmp).contains(" = ")
        }
        Cond::Not(inner, _) => natural(t, inner).1 >= Lvl::Atom && ends_in_values(t, inner),
        Cond::And(parts, _) => {
            natural(t, c).1 == Lvl::Juxt && parts.last().is_some_and(|p| ends_in_values(t, p))
        }
        Cond::Or(..) | Cond::List(..) | Cond::Word(_) => false,
    }
}

/// What a comparison word means: (operator, contradictory), as the
/// lowering reads `<word> X (（含）) (<suffix>)`.
fn word_meaning(word: &str, incl: bool, suffix: Option<&str>) -> Option<(CmpOp, bool)> {
    let base = match word {
        "超过" | "高于" | "大于" | "多于" => CmpOp::Gt,
        "达到" | "达" | "不低于" | "不少于" => CmpOp::Ge,
        "低于" | "不足" | "不满" | "小于" | "少于" => CmpOp::Lt,
        "不超过" | "不高于" => CmpOp::Le,
        _ => return None,
    };
    let upward = matches!(base, CmpOp::Gt | CmpOp::Ge);
    if let Some(s) = suffix
        && s.contains("以上") != upward
    {
        return None;
    }
    let exclusive = matches!(base, CmpOp::Gt | CmpOp::Lt);
    let inclusive = incl || suffix.is_some();
    let op = match (base, inclusive) {
        (CmpOp::Gt, true) => CmpOp::Ge,
        (CmpOp::Lt, true) => CmpOp::Le,
        (op, _) => op,
    };
    Some((op, exclusive && inclusive))
}

fn suffix_meaning(suffix: &str) -> CmpOp {
    match suffix {
        "以下" | "及以下" | "以内" => CmpOp::Le,
        _ => CmpOp::Ge,
    }
}

fn sym_meaning(sym: &str) -> Option<CmpOp> {
    Some(match sym {
        ">=" | "≥" | "＞＝" => CmpOp::Ge,
        "<=" | "≤" | "＜＝" => CmpOp::Le,
        ">" | "＞" => CmpOp::Gt,
        "<" | "＜" => CmpOp::Lt,
        "=" | "＝" => CmpOp::Eq,
        _ => return None,
    })
}

/// A comparison with the words it was written with, when they still mean
/// what the tree says; otherwise in a canonical wording.
fn compare(t: Text<'_>, c: &Compare) -> String {
    written(t, c).unwrap_or_else(|| canonical(t, c))
}

fn values(t: Text<'_>, rhs: &[Expr]) -> String {
    let v: Vec<String> = rhs.iter().map(|e| expr::expr(t, e)).collect();
    v.join("、")
}

fn incl_text(incl: bool) -> &'static str {
    if incl { "（含）" } else { "" }
}

fn written(t: Text<'_>, c: &Compare) -> Option<String> {
    let op_text = t.slice(c.op_span).trim();
    let rhs_end = c.rhs.last()?.span().end;
    let single = match c.rhs.as_slice() {
        [one] => Some(one),
        _ => None,
    };
    let Some(lhs) = &c.lhs else {
        // `三星 及以上`: the value's own fact.
        let v = single?;
        let incl = t.word(rhs_end, c.op_span.start, &["含"]).is_some();
        let ok = SUFFIXES.contains(&op_text)
            && suffix_meaning(op_text) == c.op
            && !c.contradictory
            && matches!(v, Expr::Name(_));
        let spacer = if incl { "" } else { " " };
        return ok.then(|| format!("{}{}{spacer}{op_text}", expr::expr(t, v), incl_text(incl)));
    };
    let lhs = expr::expr(t, lhs);
    if CMP_WORDS.contains(&op_text) {
        let v = single?;
        let incl = t.word(rhs_end, c.span.end, &["含"]).is_some();
        let suffix = t.word(rhs_end, c.span.end, SUFFIXES);
        if word_meaning(op_text, incl, suffix) != Some((c.op, c.contradictory)) {
            return None;
        }
        let tail = match (incl, suffix) {
            (true, Some(s)) => format!("（含）{s}"),
            (true, None) => "（含）".to_string(),
            (false, Some(s)) => format!(" {s}"),
            (false, None) => String::new(),
        };
        return Some(format!("{lhs} {op_text} {}{tail}", expr::expr(t, v)));
    }
    if let Some(op) = sym_meaning(op_text) {
        let v = single?;
        let ok = op == c.op && !c.contradictory;
        return ok.then(|| format!("{lhs} {} {}", c.op.symbol(), expr::expr(t, v)));
    }
    if EQ_WORDS.contains(&op_text) {
        let negated = op_text.starts_with('不');
        let ok =
            !c.contradictory && ((negated && c.op == CmpOp::Ne) || (!negated && c.op == CmpOp::Eq));
        return ok.then(|| format!("{lhs} {op_text} {}", values(t, &c.rhs)));
    }
    if SUFFIXES.contains(&op_text) {
        let v = single?;
        let incl = t.word(rhs_end, c.op_span.start, &["含"]).is_some();
        let ok = suffix_meaning(op_text) == c.op && !c.contradictory;
        let spacer = if incl { "" } else { " " };
        return ok.then(|| {
            format!(
                "{lhs} {}{}{spacer}{op_text}",
                expr::expr(t, v),
                incl_text(incl)
            )
        });
    }
    None
}

/// The wording used when the source does not say: 不低于, 超过, 不超过,
/// 低于, 为, 不是; `超过 X（含）` for a contradictory ≥.
fn canonical(t: Text<'_>, c: &Compare) -> String {
    let rhs = values(t, &c.rhs);
    let Some(lhs) = &c.lhs else {
        let suffix = if c.op == CmpOp::Le {
            "及以下"
        } else {
            "及以上"
        };
        return format!("{rhs} {suffix}");
    };
    let lhs = expr::expr(t, lhs);
    match (c.op, c.contradictory) {
        (CmpOp::Ge, true) => format!("{lhs} 超过 {rhs}（含）"),
        (CmpOp::Le, true) => format!("{lhs} 低于 {rhs}（含）"),
        (op, _) => {
            let word = match op {
                CmpOp::Ge => "不低于",
                CmpOp::Gt => "超过",
                CmpOp::Le => "不超过",
                CmpOp::Lt => "低于",
                CmpOp::Eq => "为",
                CmpOp::Ne => "不是",
            };
            format!("{lhs} {word} {rhs}")
        }
    }
}
