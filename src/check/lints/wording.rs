//! Lints read off the text as written, walking the syntax tree with the
//! `允许` lists in scope: self-contradictory comparison wording,
//! full-width letters and digits inside words, and `允许` naming no lint.

use std::collections::HashSet;

use super::Ctx;
use super::warning::{Lint, NAMES};
use crate::ast::{self, AmountCore, Cond, Expr, GrantAmount, Item, Module, Name, PolicyItem};
use crate::check::suggest::{did_you_mean, similar};
use crate::program::FileId;
use crate::source::Spanned;

/// Runs the text lints over every module.
pub(super) fn run(cx: &Ctx<'_>, modules: &[Module]) -> Vec<Lint> {
    let mut w = Walk {
        cx,
        file: 0,
        out: Vec::new(),
        seen: HashSet::new(),
    };
    for (file, m) in modules.iter().enumerate() {
        w.file = file;
        let allows: Vec<&str> = m
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Allow(a) => Some(a.iter().map(|s| s.node.as_str())),
                _ => None,
            })
            .flatten()
            .collect();
        for item in &m.items {
            w.item(item, &allows);
        }
    }
    w.out
}

struct Walk<'a> {
    cx: &'a Ctx<'a>,
    file: FileId,
    out: Vec<Lint>,
    /// Words already reported in a file: one warning per word and file.
    seen: HashSet<(FileId, String)>,
}

impl Walk<'_> {
    fn push(&mut self, allows: &[&str], lint: Lint) {
        if !allows.contains(&lint.name()) {
            self.out.push(lint);
        }
    }

    fn item(&mut self, item: &Item, allows: &[&str]) {
        match item {
            Item::Vocab(vocab) => {
                for e in vocab.all_entries() {
                    self.name(&e.name, true, allows);
                    if let ast::TypeExpr::Enum { values, .. } = &e.ty.node {
                        for v in values {
                            self.name(v, true, allows);
                        }
                    }
                }
            }
            Item::Define(d) => self.define(d, allows),
            Item::Param(p) => self.name(&p.name, true, allows),
            Item::Policy(p) => self.policy(p, allows),
            Item::Case(c) => self.case(c, allows),
            Item::Include(_) => {}
            Item::Allow(names) => self.allow(&names.names, allows),
            Item::Clause(c) => self.clause(c, allows),
        }
    }

    fn policy(&mut self, p: &ast::Policy, file_allows: &[&str]) {
        let mut allows = file_allows.to_vec();
        for i in &p.items {
            if let PolicyItem::Allow(a) = i {
                allows.extend(a.iter().map(|s| s.node.as_str()));
            }
        }
        for i in &p.items {
            match i {
                PolicyItem::Scope(c) => self.cond(c, &allows),
                PolicyItem::Define(d) => self.define(d, &allows),
                PolicyItem::Allow(names) => self.allow(&names.names, &allows),
                PolicyItem::Case(c) => self.case(c, &allows),
                PolicyItem::Clause(c) => self.clause(c, &allows),
                PolicyItem::Window(_)
                | PolicyItem::Publish(_)
                | PolicyItem::Provenance(_)
                | PolicyItem::Lead(_)
                | PolicyItem::Share(_)
                | PolicyItem::Overlap(_)
                | PolicyItem::TotalCap { .. }
                | PolicyItem::Budget(_)
                | PolicyItem::Application(_)
                | PolicyItem::AcceptingBody(_)
                | PolicyItem::Material(_) => {}
            }
        }
    }

    fn clause(&mut self, c: &ast::Clause, outer: &[&str]) {
        let mut allows = outer.to_vec();
        for a in &c.attrs {
            if let ast::ClauseAttr::Allow(x) = a {
                allows.extend(x.iter().map(|s| s.node.as_str()));
            }
        }
        self.cond(&c.cond, &allows);
        match &c.action.node {
            ast::Action::Grant(g) => {
                if let Some(c) = &g.cumulative {
                    self.expr(&c.cap, &allows);
                    self.name(&c.received, false, &allows);
                }
                self.grant(&g.amount, &allows)
            }
            ast::Action::Prohibit(n) | ast::Action::Oblige(n) => self.name(n, false, &allows),
            ast::Action::Exempt(_) | ast::Action::Permit(_) => {}
        }
        for a in &c.attrs {
            match a {
                ast::ClauseAttr::Matter(n) => self.name(n, true, &allows),
                ast::ClauseAttr::Allow(names) => self.allow(&names.names, &allows),
                ast::ClauseAttr::Source(_)
                | ast::ClauseAttr::Window(_)
                | ast::ClauseAttr::Share(_)
                | ast::ClauseAttr::Application(_)
                | ast::ClauseAttr::AcceptingBody(_)
                | ast::ClauseAttr::Material(_) => {}
            }
        }
    }

    fn grant(&mut self, g: &GrantAmount, allows: &[&str]) {
        let (cores, cap): (Vec<&AmountCore>, Option<&Expr>) = match g {
            GrantAmount::Single(a) => (vec![&a.core], a.cap.as_ref()),
            GrantAmount::Tiers { items, cap, .. } => (items.iter().collect(), cap.as_ref()),
            GrantAmount::Discretionary { cap, .. } => (vec![], cap.as_ref()),
            GrantAmount::Items(g) => {
                self.name(&g.list, false, allows);
                if let Some(f) = &g.filter {
                    self.cond(f, allows);
                }
                self.expr(&g.amount, allows);
                if let Some(c) = &g.each_cap {
                    self.expr(c, allows);
                }
                (vec![], g.total_cap.as_ref())
            }
            GrantAmount::Range { low, high, cap, .. } => (vec![low, high], cap.as_ref()),
            GrantAmount::Schedule(s) => {
                self.name(&s.event, false, allows);
                match &s.plan {
                    ast::SchedulePlan::Years(parts) => {
                        for p in parts {
                            if let Some(c) = &p.amount.cap {
                                self.expr(c, allows);
                            }
                        }
                        (
                            parts.iter().flat_map(|p| p.cores()).collect(),
                            s.cap.as_ref(),
                        )
                    }
                    ast::SchedulePlan::Split { .. } => {
                        for e in s.plan.split_totals() {
                            self.expr(e, allows);
                        }
                        (vec![], s.cap.as_ref())
                    }
                }
            }
        };
        for core in cores {
            match core {
                AmountCore::Expr(e) => self.expr(e, allows),
                AmountCore::PerUnit { fact, rate, .. } => {
                    if let Some(n) = fact {
                        self.name(n, false, allows);
                    }
                    self.expr(rate, allows);
                }
            }
        }
        if let Some(c) = cap {
            self.expr(c, allows);
        }
    }

    fn define(&mut self, d: &ast::Define, allows: &[&str]) {
        self.name(&d.name, true, allows);
        match &d.body {
            ast::DefineBody::Cond(c) => self.cond(c, allows),
            ast::DefineBody::Expr(e) => self.expr(e, allows),
        }
    }

    fn case(&mut self, c: &ast::Case, allows: &[&str]) {
        for (n, _) in &c.facts {
            self.name(n, false, allows);
        }
    }

    fn cond(&mut self, c: &Cond, allows: &[&str]) {
        match c {
            Cond::And(items, _) | Cond::Or(items, _) | Cond::List(items, _) => {
                for i in items {
                    self.cond(i, allows);
                }
            }
            Cond::Not(inner, _) => self.cond(inner, allows),
            Cond::Word(n) => self.name(n, false, allows),
            Cond::Compare(cmp) => {
                if cmp.contradictory {
                    let lint = Lint::ContradictoryWording {
                        src: self.cx.src(self.file),
                        span: cmp.op_span.into(),
                    };
                    self.push(allows, lint);
                }
                if let Some(l) = &cmp.lhs {
                    self.expr(l, allows);
                }
                for r in &cmp.rhs {
                    self.expr(r, allows);
                }
            }
            Cond::Consecutive(c) => {
                self.name(&c.event, false, allows);
                self.name(&c.fact, false, allows);
            }
        }
    }

    fn expr(&mut self, e: &Expr, allows: &[&str]) {
        if let Expr::Name(n) = e {
            self.name(n, false, allows);
        }
        for c in e.children() {
            self.expr(c, allows);
        }
    }

    /// A word with full-width letters or digits. A quoted word where a
    /// value is read may be a text (`为 “ＡＢ公司”`), so only declarations
    /// look inside quotation marks.
    fn name(&mut self, n: &Name, declared: bool, allows: &[&str]) {
        if n.quoted && !declared {
            return;
        }
        let wide: Vec<char> = n
            .text
            .chars()
            .filter(|c| half_width(*c).is_some())
            .collect();
        if wide.is_empty() || !self.seen.insert((self.file, n.text.clone())) {
            return;
        }
        let fixed: String = n.text.chars().map(|c| half_width(c).unwrap_or(c)).collect();
        let lint = Lint::FullWidthAlphanumeric {
            src: self.cx.src(self.file),
            span: n.span.into(),
            word: n.text.clone(),
            chars: wide
                .iter()
                .map(char::to_string)
                .collect::<Vec<_>>()
                .join("、"),
            fixed,
        };
        self.push(allows, lint);
    }

    fn allow(&mut self, names: &[Spanned<String>], allows: &[&str]) {
        for n in names {
            if NAMES.contains(&n.node.as_str()) {
                continue;
            }
            let found = similar(&n.node, NAMES.iter().copied());
            let lint = Lint::UnknownLint {
                src: self.cx.src(self.file),
                span: n.span.into(),
                name: n.node.clone(),
                help: did_you_mean(&found, &format!("可用的名称：{}", NAMES.join("、"))),
            };
            self.push(allows, lint);
        }
    }
}

/// The half-width form of a full-width letter or digit.
fn half_width(c: char) -> Option<char> {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(u32::from(c) - 0xFEE0),
        _ => None,
    }
}
