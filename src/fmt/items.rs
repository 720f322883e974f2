//! Items and blocks: 词汇, 定义, 参数, 政策, 案例, 引用, 允许 and clauses,
//! two spaces of indentation per block.
//!
//! Some items carry no span of their own (a 词汇 block is a list of
//! entries); an item's extent is found from the end of the one before it
//! (`next_token`) and its last part (the closing brace after its last
//! entry).

use super::case::case;
use super::clause::{self, allow, share, window};
use super::cond::cond;
use super::expr::{self, name, spanned_literal};
use super::out::{Out, Place};
use super::trivia::Text;
use crate::ast::{
    Define, DefineBody, Item, Module, OverlapRule, Param, Policy, PolicyItem, TypeExpr, Vocab,
};
use crate::lexicon::CAP_WORDS;
use crate::source::Span;

/// `{` in either width.
pub(super) const OPEN: &[char] = &['{', '｛'];
/// `}` in either width.
pub(super) const CLOSE: &[char] = &['}', '｝'];

/// Emits every item of a module.
pub(super) fn module(out: &mut Out<'_>, m: &Module) {
    let spans = item_spans(out.t, m);
    for (i, (it, span)) in m.items.iter().zip(spans).enumerate() {
        let next = matches!(m.items.get(i + 1), Some(Item::Clause(c)) if c.label.is_none());
        item(out, it, span, 0, next);
    }
}

/// Where each top-level item starts and ends.
pub(super) fn item_spans(t: Text<'_>, m: &Module) -> Vec<Span> {
    let mut prev = 0;
    m.items
        .iter()
        .map(|it| {
            let start = t.next_token(prev);
            let end = item_end(t, it, start).max(start);
            prev = end;
            Span::new(start, end)
        })
        .collect()
}

fn item_end(t: Text<'_>, it: &Item, start: usize) -> usize {
    match it {
        Item::Vocab(v) => close_after(t, v.end(), start + "词汇".len()),
        Item::Define(d) => define_end(t, d),
        Item::Param(p) => close_after(
            t,
            p.entries.last().map(|(_, l)| l.span.end),
            p.name.span.end,
        ),
        Item::Policy(p) => p.span.end,
        Item::Case(c) => c.span.end,
        Item::Include(s) => s.span.end,
        Item::Allow(a) => a.names.first().map_or(start, |_| a.span().end),
        Item::Clause(c) => c.span.end,
    }
}

/// The end of the closing brace after `last` (the last entry's end), or
/// after the opening brace that follows `head_end` when there is none.
fn close_after(t: Text<'_>, last: Option<usize>, head_end: usize) -> usize {
    let from = last.unwrap_or_else(|| t.skip_char(head_end, OPEN).unwrap_or(head_end));
    t.skip_char(from, CLOSE).unwrap_or(from)
}

fn define_end(t: Text<'_>, d: &Define) -> usize {
    let end = match &d.body {
        DefineBody::Cond(c) => c.span().end,
        DefineBody::Expr(e) => e.span().end,
    };
    t.past_close_parens(end)
}

/// `unlabelled_next`: the next item is a clause that starts with 对.
fn item(out: &mut Out<'_>, it: &Item, span: Span, indent: usize, unlabelled_next: bool) {
    let t = out.t;
    match it {
        Item::Vocab(v) => vocab(out, v, span, indent),
        Item::Define(d) => out.unit(span, indent, &define(t, d), Place::ITEM),
        Item::Param(p) => param(out, p, span, indent),
        Item::Policy(p) => policy(out, p, span, indent),
        Item::Case(c) => case(out, c, span, indent),
        Item::Include(s) => out.unit(span, indent, &format!("引用 “{}”", s.node), Place::ITEM),
        Item::Allow(a) => out.unit(span, indent, &format!("允许 {}", allow(a)), Place::ITEM),
        Item::Clause(c) => clause::emit(out, c, indent, unlabelled_next),
    }
}

/// Opens a block: `head {` (or `head {}` when it is empty and holds no
/// comment). Returns whether it was opened.
pub(super) fn open(
    out: &mut Out<'_>,
    head: &str,
    span: Span,
    brace_end: usize,
    empty: bool,
    indent: usize,
) -> bool {
    if empty && out.comments_within(span) == 0 {
        out.unit(span, indent, &format!("{head} {{}}"), Place::ITEM);
        return false;
    }
    out.unit(
        Span::new(span.start, brace_end),
        indent,
        &format!("{head} {{"),
        Place::ITEM,
    );
    out.open();
    true
}

fn vocab(out: &mut Out<'_>, v: &Vocab, span: Span, indent: usize) {
    let brace = out
        .t
        .skip_char(span.start + "词汇".len(), OPEN)
        .unwrap_or(span.start);
    let empty = v.entries.is_empty() && v.units.is_empty();
    if !open(out, "词汇", span, brace, empty, indent) {
        return;
    }
    // Facts and unit declarations in the order written, each on its line.
    let mut lines: Vec<(Span, String)> = v
        .entries
        .iter()
        .map(|e| {
            (
                Span::new(e.name.span.start, e.ty.span.end),
                format!("{}：{}", name(&e.name), entry_type(e)),
            )
        })
        .chain(v.units.iter().map(|d| {
            let units: Vec<&str> = d.units.iter().map(|u| u.node.as_str()).collect();
            (d.span, format!("单位 {}", units.join("、")))
        }))
        .collect();
    lines.sort_by_key(|(s, _)| s.start);
    for (s, text) in lines {
        out.unit(s, indent + 2, &text, Place::ITEM);
    }
    out.close(span.end, indent);
}

/// An entry's type; a list's fields on the same line, two spaces apart (a
/// field's enumeration ends where the next field's name begins).
fn entry_type(e: &crate::ast::VocabEntry) -> String {
    if e.ty.node != TypeExpr::List {
        return type_expr(&e.ty.node);
    }
    let fields: Vec<String> = e
        .fields
        .iter()
        .map(|f| format!("{}：{}", name(&f.name), entry_type(f)))
        .collect();
    if fields.is_empty() {
        "列表 {}".into()
    } else {
        format!("列表 {{ {} }}", fields.join("  "))
    }
}

fn type_expr(ty: &TypeExpr) -> String {
    match ty {
        TypeExpr::Bool => "是否".into(),
        TypeExpr::Money => "金额".into(),
        TypeExpr::Foreign(c) => format!("金额（{c}）"),
        TypeExpr::Ratio => "比例".into(),
        TypeExpr::Date => "日期".into(),
        TypeExpr::Text => "文本".into(),
        TypeExpr::Quantity(u) => format!("数量（{u}）"),
        TypeExpr::Rank => "名次".into(),
        TypeExpr::List => "列表 {}".into(),
        TypeExpr::Enum { values, ordered } => {
            let v: Vec<String> = values.iter().map(name).collect();
            v.join(if *ordered { " < " } else { " | " })
        }
    }
}

fn define(t: Text<'_>, d: &Define) -> String {
    let body = match &d.body {
        DefineBody::Cond(c) => cond(t, c),
        DefineBody::Expr(e) => expr::expr(t, e),
    };
    format!("定义 {} = {body}", name(&d.name))
}

fn param(out: &mut Out<'_>, p: &Param, span: Span, indent: usize) {
    let t = out.t;
    let brace = t
        .skip_char(p.name.span.end, OPEN)
        .unwrap_or(p.name.span.end);
    let head = format!("参数 {}", name(&p.name));
    if !open(out, &head, span, brace, p.entries.is_empty(), indent) {
        return;
    }
    for (d, v) in &p.entries {
        let text = format!("{}：{}", expr::date(d.node), spanned_literal(t, v));
        out.unit(
            Span::new(d.span.start, v.span.end),
            indent + 2,
            &text,
            Place::ITEM,
        );
    }
    out.close(span.end, indent);
}

fn policy(out: &mut Out<'_>, p: &Policy, span: Span, indent: usize) {
    let t = out.t;
    let brace = t
        .skip_char(p.title.span.end, OPEN)
        .unwrap_or(p.title.span.end);
    let head = format!("政策 《{}》", p.title.node);
    if !open(out, &head, span, brace, p.items.is_empty(), indent) {
        return;
    }
    let mut prev = brace;
    for (i, pi) in p.items.iter().enumerate() {
        let start = t.next_token(prev);
        let end = policy_item_end(t, pi).max(start);
        let s = Span::new(start, end);
        let inner = indent + 2;
        match (pi, policy_line(t, pi, start)) {
            (PolicyItem::Case(c), _) => case(out, c, s, inner),
            (PolicyItem::Clause(c), _) => {
                let next = p.items.get(i + 1);
                let unlabelled_next =
                    matches!(next, Some(PolicyItem::Clause(n)) if n.label.is_none());
                clause::emit(out, c, inner, unlabelled_next);
            }
            (_, Some(line)) => out.unit(s, inner, &line, Place::ITEM),
            (_, None) => {}
        }
        prev = end;
    }
    out.close(span.end, indent);
}

fn policy_item_end(t: Text<'_>, pi: &PolicyItem) -> usize {
    match pi {
        PolicyItem::Window(w) => w.span.end,
        PolicyItem::Publish(p) => p.span.end,
        PolicyItem::Provenance(p) => p.span.end,
        PolicyItem::Lead(names) => names.last().map_or(0, |n| n.span.end),
        PolicyItem::Scope(c) => t.past_close_parens(c.span().end),
        PolicyItem::Share(s) => s.span.end,
        PolicyItem::Overlap(o) => o.span.end,
        PolicyItem::TotalCap { cap, per_year } => {
            if *per_year {
                t.next_token(cap.span.end) + "每年".len()
            } else {
                cap.span.end
            }
        }
        PolicyItem::Budget(m) => m.span.end,
        PolicyItem::Application(w) => w.span.end,
        PolicyItem::AcceptingBody(n) => n.span.end,
        PolicyItem::Material(m) => m.span.end,
        PolicyItem::Define(d) => define_end(t, d),
        PolicyItem::Allow(a) => a.span().end,
        PolicyItem::Case(c) => c.span.end,
        PolicyItem::Clause(c) => c.span.end,
    }
}

/// A one-line policy item (施行, 发布, 出处, 牵头, 适用, 分担, 重叠, 合计, 预算,
/// 申报, 受理, 材料, 定义, 允许); `None` for the blocks (案例) and clauses.
fn policy_line(t: Text<'_>, pi: &PolicyItem, start: usize) -> Option<String> {
    Some(match pi {
        PolicyItem::Window(w) => format!("施行 {}", window(&w.node)),
        PolicyItem::Publish(p) => match p.node {
            Some(d) => format!("发布 {}", expr::date(d)),
            None => "发布 未定".into(),
        },
        PolicyItem::Provenance(p) => format!("出处 第{}行 至 第{}行", p.node.0, p.node.1),
        PolicyItem::Lead(names) => {
            let n: Vec<String> = names.iter().map(name).collect();
            format!("牵头 {}", n.join("、"))
        }
        PolicyItem::Scope(c) => format!("适用 {}", cond(t, c)),
        PolicyItem::Share(s) => format!("分担 {}", share(t, s)),
        PolicyItem::Overlap(o) => match o.node {
            OverlapRule::Best if t.slice(o.span).contains("就高") => {
                "重叠 从优 就高 不重复".into()
            }
            OverlapRule::Best => "重叠 从优 从高 不重复".into(),
            OverlapRule::ThisPolicy => "重叠 以本政策为准".into(),
            OverlapRule::Existing => "重叠 按现行政策".into(),
        },
        PolicyItem::TotalCap { cap, per_year } => {
            let w = t.word(start, cap.span.start, CAP_WORDS).unwrap_or("最高");
            let year = if *per_year { " 每年" } else { "" };
            format!("合计 {w} {}{year}", expr::money(cap.node))
        }
        PolicyItem::Budget(m) => format!("预算 {}", expr::money(m.node)),
        PolicyItem::Application(w) => format!("申报 {}", window(&w.node)),
        PolicyItem::AcceptingBody(n) => format!("受理 {}", name(n)),
        PolicyItem::Material(m) => format!("材料 「{}」", m.node),
        PolicyItem::Allow(a) => format!("允许 {}", allow(a)),
        PolicyItem::Define(d) => define(t, d),
        PolicyItem::Case(_) | PolicyItem::Clause(_) => return None,
    })
}
