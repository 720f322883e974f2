//! Hover: what a word is (type, unit, values, where declared), what a
//! 定义 stands for, a 参数's value on the evaluation date, and a clause's
//! 原文, matter, window and kind.

use std::path::Path;

use chrono::NaiveDate;

use crate::ast::{Action, ClauseAttr, DefineBody, GrantAmount, Policy, PolicyItem};
use crate::program::{FileId, Loc, Ty};
use crate::report::show_value;
use crate::source::Span;

use super::index::Symbol;
use super::project::Project;
use super::tree;

/// The hover text (markdown) at a byte offset of a file, and the span it
/// is about.
pub(super) fn hover(
    project: &Project,
    file: FileId,
    offset: usize,
    date: NaiveDate,
) -> Option<(String, Span)> {
    if let Some(o) = project.index.at(file, offset) {
        let text = match &o.symbol {
            Symbol::Fact(n) => fact(project, n),
            Symbol::Value(v) => value(project, v),
            Symbol::Def(n) => define(project, n),
            Symbol::Param(n) => param(project, n, date),
            Symbol::Label { .. } => {
                let decl = project.index.declaration(&o.symbol)?;
                clause_at(project, decl.file, decl.span.start)
            }
        };
        return text.map(|t| (t, o.span));
    }
    let m = project.modules.get(file)?;
    let (_, c) = tree::clauses(m)
        .into_iter()
        .find(|(_, c)| c.span.start <= offset && offset < c.span.end)?;
    clause_at(project, file, offset).map(|t| (t, c.span))
}

/// `词汇.zc:3`: the file's name without its folders, and the line.
fn place(project: &Project, loc: Loc) -> String {
    match project.program.files.get(loc.file) {
        Some(f) => {
            let name = Path::new(&*f.name)
                .file_name()
                .map_or_else(|| f.name.to_string(), |n| n.to_string_lossy().into_owned());
            format!("{name}:{}", f.line_col(loc.span.start).0)
        }
        None => "?".into(),
    }
}

fn fact(project: &Project, name: &str) -> Option<String> {
    let id = *project.program.vocab.by_name.get(name)?;
    let f = project.program.vocab.get(id)?;
    let vocab = &project.program.vocab;
    let what = match f.list {
        Some(l) => format!("列表“{}”每一项的字段", vocab.name(l)),
        None => "事实".into(),
    };
    let mut s = format!("**{name}**（{what}）\n\n类型：{}", type_words(&f.ty));
    match &f.ty {
        Ty::List => {
            let fields: Vec<String> = vocab
                .fields
                .get(&id)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .filter_map(|&x| vocab.get(x))
                .map(|d| format!("{}：{}", d.name, d.ty.describe()))
                .collect();
            s.push_str(&format!("\n\n字段：{}", fields.join("；")));
        }
        Ty::Quantity(u) => s.push_str(&format!("\n\n单位：{u}")),
        Ty::Enum { values, ordered } => {
            s.push_str(&format!("\n\n取值：{}", values.join("、")));
            if *ordered {
                s.push_str("（有序，自低到高）");
            }
        }
        _ => {}
    }
    s.push_str(&format!("\n\n声明于 {}", place(project, f.loc)));
    Some(s)
}

fn type_words(ty: &Ty) -> String {
    match ty {
        Ty::Enum { .. } => "枚举".into(),
        other => other.describe(),
    }
}

fn value(project: &Project, v: &str) -> Option<String> {
    let owners = project.program.vocab.enum_values.get(v)?;
    let mut s = format!("**{v}**（枚举取值）");
    for (fact, _) in owners {
        let Some(f) = project.program.vocab.get(*fact) else {
            continue;
        };
        s.push_str(&format!(
            "\n\n{} 的取值：{}\n\n声明于 {}",
            f.name,
            f.ty.describe(),
            place(project, f.loc)
        ));
    }
    Some(s)
}

fn define(project: &Project, name: &str) -> Option<String> {
    for (file, m) in project.modules.iter().enumerate() {
        let Some(d) = tree::defines(m).into_iter().find(|d| d.name.text == name) else {
            continue;
        };
        let (what, span) = match &d.body {
            DefineBody::Cond(c) => ("条件", c.span()),
            DefineBody::Expr(e) => ("金额或数值", e.span()),
        };
        let body = m.source.slice(span);
        return Some(format!(
            "**{name}**（定义，{what}）\n\n```zhengce\n定义 {} = {body}\n```\n\n定义于 {}",
            m.source.slice(d.name.span),
            place(
                project,
                Loc {
                    file,
                    span: d.name.span
                }
            )
        ));
    }
    None
}

fn param(project: &Project, name: &str, date: NaiveDate) -> Option<String> {
    let p = project.program.params.iter().find(|p| p.name == name)?;
    // A rate is a number of 元 per unit: the kind knows how to show it.
    let shown = |v: &crate::program::Value| match (&p.kind, v) {
        (crate::program::Kind::Rate(_), _) => crate::eval::derive::show_value(&p.kind, v),
        (crate::program::Kind::Quantity(u), _) => show_value(&Ty::Quantity(u.clone()), v),
        _ => show_value(&Ty::Text, v),
    };
    let now = match p.at(date) {
        Some(v) => shown(v),
        None => "尚无取值（最早的取值晚于该日）".into(),
    };
    let mut s = format!(
        "**{name}**（参数，{}）\n\n{} 的取值：{now}\n",
        p.kind.describe(&project.program.vocab),
        crate::check::chinese_date(date)
    );
    for (d, v) in &p.entries {
        s.push_str(&format!(
            "\n- {} 起：{}",
            crate::check::chinese_date(*d),
            shown(v)
        ));
    }
    s.push_str(&format!("\n\n声明于 {}", place(project, p.loc)));
    Some(s)
}

/// The clause written at an offset of a file.
fn clause_at(project: &Project, file: FileId, offset: usize) -> Option<String> {
    let m = project.modules.get(file)?;
    let (policy, c) = tree::clauses(m)
        .into_iter()
        .find(|(_, c)| c.span.start <= offset && offset < c.span.end)?;
    let label = match &c.label {
        Some(l) => m.source.slice(l.span).to_string(),
        None => format!("第 {} 行的条款", m.source.line_col(c.span.start).0),
    };
    let mut s = format!("**{label}**");
    if let Some(t) = policy.map(|p| &p.title.node) {
        s.push_str(&format!("（《{t}》）"));
    }
    s.push_str(&format!("\n\n类别：{}", kind_words(&c.action.node)));
    let sources: Vec<&str> = c
        .attrs
        .iter()
        .filter_map(|a| match a {
            ClauseAttr::Source(t) => Some(t.node.as_str()),
            _ => None,
        })
        .collect();
    match sources.as_slice() {
        [] => s.push_str("\n\n原文：未写明"),
        all => {
            for t in all {
                s.push_str(&format!("\n\n原文：「{t}」"));
            }
        }
    }
    let matter = c.attrs.iter().find_map(|a| match a {
        ClauseAttr::Matter(n) => Some(n.text.clone()),
        _ => None,
    });
    s.push_str(&match matter {
        Some(m) => format!("\n\n事项：{m}"),
        None => "\n\n事项：未写明（以条款标签计）".into(),
    });
    let own = c.attrs.iter().find_map(|a| match a {
        ClauseAttr::Window(w) => Some(w.span),
        _ => None,
    });
    // The window's span starts at its keyword 施行.
    let window = |w: Span| {
        let t = m.source.slice(w);
        t.strip_prefix("施行").unwrap_or(t).trim().to_string()
    };
    s.push_str(&match (own, policy.and_then(policy_window)) {
        (Some(w), _) => format!("\n\n施行：{}", window(w)),
        (None, Some(w)) => format!("\n\n施行：{}（随政策）", window(w)),
        (None, None) => "\n\n施行：未写明".into(),
    });
    // The application window, only when one is written.
    let own = c.attrs.iter().find_map(|a| match a {
        ClauseAttr::Application(w) => Some(w.span),
        _ => None,
    });
    let of_policy = policy.and_then(|p| {
        p.items.iter().find_map(|i| match i {
            PolicyItem::Application(w) => Some(w.span),
            _ => None,
        })
    });
    let apply = |w: Span| {
        let t = m.source.slice(w);
        t.strip_prefix("申报").unwrap_or(t).trim().to_string()
    };
    match (own, of_policy) {
        (Some(w), _) => s.push_str(&format!("\n\n申报：{}", apply(w))),
        (None, Some(w)) => s.push_str(&format!("\n\n申报：{}（随政策）", apply(w))),
        (None, None) => {}
    }
    Some(s)
}

fn policy_window(p: &Policy) -> Option<Span> {
    p.items.iter().find_map(|i| match i {
        PolicyItem::Window(w) => Some(w.span),
        _ => None,
    })
}

/// 给予（上限）, 免于, 不得（禁止）…
fn kind_words(a: &Action) -> String {
    match a {
        Action::Grant(g) => {
            let stacks = if g.extra { "，再给予，叠加" } else { "" };
            let words = grant_words(g, stacks);
            // A quota is never paid; a cumulative cap reads what was
            // already received: both change what the amount means.
            let quota = if g.quota.is_some() {
                "额度，不付钱，不计入合计；"
            } else {
                ""
            };
            let words = match words.split_once('（') {
                Some((head, rest)) if !quota.is_empty() => format!("{head}（{quota}{rest}"),
                _ => words,
            };
            match &g.cumulative {
                Some(c) => {
                    let (over, read) = if c.this_year {
                        ("全年", "本年已领")
                    } else {
                        ("各年", "往年已领")
                    };
                    format!("{words}；{over}累计封顶，扣除{read} {}", c.received.text)
                }
                None => words,
            }
        }
        Action::Exempt(_) => "免于（豁免）".into(),
        Action::Prohibit(_) => "不得（禁止性）".into(),
        Action::Oblige(_) => "应当（义务性）".into(),
        Action::Permit(_) => "可 / 鼓励（倡导性，不产生违反）".into(),
    }
}

/// The words of a grant's amount: 给予（上限）, 分别给予（…）, 分年给予（…）….
fn grant_words(g: &crate::ast::Grant, stacks: &str) -> String {
    match &g.amount {
        GrantAmount::Single(a) => format!("给予（{}{stacks}）", a.bound.word()),
        GrantAmount::Tiers { bound, items, .. } => {
            format!("分别给予（{}，{} 档{stacks}）", bound.word(), items.len())
        }
        GrantAmount::Discretionary { .. } => format!("给予（酌定{stacks}）"),
        GrantAmount::Items(i) => {
            let most = i.count.as_ref().map_or(String::new(), |c| {
                format!(
                    "，最多 {}{}",
                    c.n.normalize(),
                    c.unit.as_deref().unwrap_or("")
                )
            });
            format!("逐项给予（每项 {}{most}{stacks}）", i.list.text)
        }
        GrantAmount::Range { .. } => format!("给予（区间，下限至上限{stacks}）"),
        GrantAmount::Schedule(s) => {
            let years: rust_decimal::Decimal = match &s.plan {
                crate::ast::SchedulePlan::Years(parts) => parts.iter().map(|p| p.years.count).sum(),
                crate::ast::SchedulePlan::Split { years, .. } => years.count,
            };
            let tiers = if s.plan.tiered() {
                "，每年分档"
            } else {
                ""
            };
            format!(
                "分年给予（自 {} 起 {} 年{tiers}{stacks}）",
                s.event.text,
                years.normalize()
            )
        }
    }
}
