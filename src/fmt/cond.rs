//! Conditions. The syntax tree folds synonyms together (`且`, `并且`, `和`
//! and words side by side are all `And`); the printer reads back the word
//! the drafter wrote (a comparison keeps its own words in the tree), and adds parentheses exactly where the grammar's
//! binding (或 < 且 < 、 < side by side < 非) would otherwise regroup.

use super::expr;
use super::trivia::Text;
use crate::ast::{Compare, Cond, Expr, Literal, Wording};
use crate::lexicon::{AND_WORDS, NOT_WORDS, OR_WORDS};

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

/// A condition where any condition may stand (after 对, 适用, 定义 … =).
pub(super) fn cond(t: Text<'_>, c: &Cond) -> String {
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
        Cond::Consecutive(c) => (
            format!(
                "自 {} 起 连续{}年 {}",
                expr::name(&c.event),
                c.years.node.normalize(),
                expr::name(&c.fact)
            ),
            Lvl::Atom,
        ),
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
            matches!(cmp.wording, Wording::Equal(_))
        }
        Cond::Not(inner, _) => natural(t, inner).1 >= Lvl::Atom && ends_in_values(t, inner),
        Cond::And(parts, _) => {
            natural(t, c).1 == Lvl::Juxt && parts.last().is_some_and(|p| ends_in_values(t, p))
        }
        Cond::Or(..) | Cond::List(..) | Cond::Word(_) | Cond::Consecutive(_) => false,
    }
}

/// A comparison in the words it was written with.
fn compare(t: Text<'_>, c: &Compare) -> String {
    let rhs = values(t, &c.rhs);
    let lhs = c.lhs.as_ref().map(|l| format!("{} ", expr::expr(t, l)));
    let lhs = lhs.as_deref().unwrap_or("");
    match c.wording {
        Wording::Word {
            word,
            inclusive,
            suffix,
        } => {
            let tail = match (inclusive, suffix) {
                (true, Some(s)) => format!("（含）{}", s.text()),
                (true, None) => "（含）".to_string(),
                (false, Some(s)) => format!(" {}", s.text()),
                (false, None) => String::new(),
            };
            format!("{lhs}{} {rhs}{tail}", word.text())
        }
        Wording::Symbol => format!("{lhs}{} {rhs}", c.op.symbol()),
        // Lowering writes 前N名 as ≤ 第N名: the one literal is its N.
        Wording::Top => match c.rhs.as_slice() {
            [Expr::Lit(l)] => match l.node {
                Literal::Rank(n) => format!("{lhs}前{}名", expr::decimal(n)),
                _ => format!("{lhs}{rhs}"),
            },
            _ => format!("{lhs}{rhs}"),
        },
        Wording::Equal(word) => format!("{lhs}{} {rhs}", word.text()),
        Wording::Suffix { inclusive, suffix } => {
            let incl = if inclusive { "（含）" } else { " " };
            format!("{lhs}{rhs}{incl}{}", suffix.text())
        }
    }
}

fn values(t: Text<'_>, rhs: &[Expr]) -> String {
    let v: Vec<String> = rhs.iter().map(|e| expr::expr(t, e)).collect();
    v.join("、")
}
