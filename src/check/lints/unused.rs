//! `unused-word`: a declared fact that nothing reads. A company asked for
//! it states it for nothing, and a second word for the same concept often
//! hides behind it (one clause reads the one, another the other).
//!
//! Read means named in a clause's condition or amount, a 定义, a policy's
//! 适用 or 分担, or an enumeration value of the fact named there. A 案例
//! that only sets the fact does not count. The walk is over the syntax
//! tree, so a fact read only by a 定义 nobody uses still counts as read:
//! the definition says what the fact is for.
//!
//! Unused is relative to what was loaded, so two kinds of file are left
//! alone: one loaded only because another file 引用s it (checking one
//! policy does not report the shared words other policies read), and a
//! file of declarations only (no policy, no clause) that no loaded file
//! 引用s (checking `词汇.zc` by itself reports nothing).

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use super::Ctx;
use super::warning::Lint;
use crate::ast::{
    Action, Amount, AmountCore, Clause, ClauseAttr, Cond, Define, DefineBody, Expr, GrantAmount,
    Item, Module, PolicyItem, Share,
};

/// Every declared fact that no clause, 定义, 适用 or 分担 reads.
pub(super) fn run(cx: &Ctx<'_>, modules: &[Module]) -> Vec<Lint> {
    let mut used = HashSet::new();
    for m in modules {
        for it in &m.items {
            item(it, &mut used);
        }
    }
    let vocab = &cx.program.vocab;
    // A value word reads every enumeration that holds it.
    let mut read: HashSet<&str> = HashSet::new();
    for w in &used {
        read.insert(w.as_str());
        for (f, _) in vocab.enum_values.get(w.as_str()).into_iter().flatten() {
            read.insert(vocab.name(*f));
        }
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let included = included_names(modules);
    for (file, m) in modules.iter().enumerate() {
        let declares_only = !m
            .items
            .iter()
            .any(|i| matches!(i, Item::Policy(_) | Item::Clause(_)));
        if m.included || (declares_only && !included.contains(&lexical(&m.source.name))) {
            continue;
        }
        let allowed = m.items.iter().any(
            |i| matches!(i, Item::Allow(a) if a.names.iter().any(|n| n.node == "unused-word")),
        );
        for it in &m.items {
            let Item::Vocab(v) = it else { continue };
            for e in &v.entries {
                let w = e.name.text.as_str();
                // A list is read through its fields, which are parts of it
                // rather than words of their own.
                let field_read = e.fields.iter().any(|f| read.contains(f.name.text.as_str()));
                if !seen.insert(w) || read.contains(w) || field_read || allowed {
                    continue;
                }
                out.push(Lint::UnusedWord {
                    src: cx.src(file),
                    span: e.name.span.into(),
                    word: w.to_string(),
                });
            }
        }
    }
    out
}

/// The files the loaded modules 引用, as paths normalised without the
/// file system (the language server reads unsaved text).
fn included_names(modules: &[Module]) -> HashSet<PathBuf> {
    let mut out = HashSet::new();
    for m in modules {
        let base = Path::new(&*m.source.name).parent().unwrap_or(Path::new(""));
        for it in &m.items {
            if let Item::Include(inc) = it {
                out.insert(lexical(&base.join(&inc.node).to_string_lossy()));
            }
        }
    }
    out
}

/// `a/./b/../c.zc` → `a/c.zc`.
fn lexical(path: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for c in Path::new(path).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn item(it: &Item, used: &mut HashSet<String>) {
    match it {
        Item::Define(d) => define(d, used),
        Item::Policy(p) => {
            for i in &p.items {
                match i {
                    PolicyItem::Scope(c) => cond(c, used),
                    PolicyItem::Share(s) => share(&s.node, used),
                    PolicyItem::Define(d) => define(d, used),
                    PolicyItem::Clause(c) => clause(c, used),
                    _ => {}
                }
            }
        }
        Item::Clause(c) => clause(c, used),
        Item::Vocab(_) | Item::Param(_) | Item::Case(_) | Item::Include(_) | Item::Allow(_) => {}
    }
}

fn define(d: &Define, used: &mut HashSet<String>) {
    match &d.body {
        DefineBody::Cond(c) => cond(c, used),
        DefineBody::Expr(e) => expr(e, used),
    }
}

fn share(s: &Share, used: &mut HashSet<String>) {
    if let Share::Payers(ps) = s {
        used.extend(ps.iter().map(|(n, _)| n.text.clone()));
    }
}

fn clause(c: &Clause, used: &mut HashSet<String>) {
    cond(&c.cond, used);
    if let Action::Grant(g) = &c.action.node
        && let Some(cu) = &g.cumulative
    {
        expr(&cu.cap, used);
        used.insert(cu.received.text.clone());
    }
    match &c.action.node {
        Action::Grant(g) => match &g.amount {
            GrantAmount::Single(a) => amount(a, used),
            GrantAmount::Tiers { items, cap, .. } => {
                items.iter().for_each(|i| core(i, used));
                cap.iter().for_each(|e| expr(e, used));
            }
            GrantAmount::Discretionary { cap, .. } => cap.iter().for_each(|e| expr(e, used)),
            GrantAmount::Items(g) => {
                used.insert(g.list.text.clone());
                g.filter.iter().for_each(|c| cond(c, used));
                expr(&g.amount, used);
                g.each_cap.iter().for_each(|e| expr(e, used));
                g.total_cap.iter().for_each(|e| expr(e, used));
            }
            GrantAmount::Range { low, high, cap, .. } => {
                core(low, used);
                core(high, used);
                cap.iter().for_each(|e| expr(e, used));
            }
            GrantAmount::Schedule(s) => {
                used.insert(s.event.text.clone());
                match &s.plan {
                    crate::ast::SchedulePlan::Years(parts) => {
                        for p in parts {
                            amount(&p.amount, used);
                            p.tiers.iter().for_each(|t| core(t, used));
                        }
                    }
                    crate::ast::SchedulePlan::Split { .. } => s
                        .plan
                        .split_totals()
                        .into_iter()
                        .for_each(|e| expr(e, used)),
                }
                s.cap.iter().for_each(|e| expr(e, used));
            }
        },
        Action::Prohibit(n) | Action::Oblige(n) => {
            used.insert(n.text.clone());
        }
        Action::Exempt(_) | Action::Permit(_) => {}
    }
    for a in &c.attrs {
        if let ClauseAttr::Share(s) = a {
            share(&s.node, used);
        }
    }
}

fn amount(a: &Amount, used: &mut HashSet<String>) {
    core(&a.core, used);
    a.cap.iter().for_each(|e| expr(e, used));
}

fn core(c: &AmountCore, used: &mut HashSet<String>) {
    match c {
        AmountCore::Expr(e) => expr(e, used),
        AmountCore::PerUnit { fact, rate, .. } => {
            used.extend(fact.iter().map(|n| n.text.clone()));
            expr(rate, used);
        }
    }
}

fn cond(c: &Cond, used: &mut HashSet<String>) {
    match c {
        Cond::And(cs, _) | Cond::Or(cs, _) | Cond::List(cs, _) => {
            cs.iter().for_each(|c| cond(c, used));
        }
        Cond::Not(c, _) => cond(c, used),
        Cond::Word(n) => {
            used.insert(n.text.clone());
        }
        Cond::Compare(cmp) => {
            cmp.lhs.iter().for_each(|e| expr(e, used));
            cmp.rhs.iter().for_each(|e| expr(e, used));
        }
        Cond::Consecutive(c) => {
            used.insert(c.event.text.clone());
            used.insert(c.fact.text.clone());
        }
    }
}

fn expr(e: &Expr, used: &mut HashSet<String>) {
    if let Expr::Name(n) = e {
        used.insert(n.text.clone());
    }
    e.children().for_each(|c| expr(c, used));
}
