//! Where every word, 定义, 参数 and clause label is declared and used in
//! the files loaded together, read off the syntax trees: the spans the
//! parser recorded, never the text again.

use std::collections::HashMap;

use crate::ast::{
    Action, AmountCore, Case, Clause, Cond, DefineBody, ExpectTarget, Expr, FactLiteral,
    GrantAmount, Item, Module, Name, PolicyItem, TypeExpr,
};
use crate::program::FileId;
use crate::source::Span;

/// What a name stands for. Facts, definitions, parameters and values
/// share one namespace (the checker rejects a name declared twice), so
/// the text alone decides.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Symbol {
    /// A vocabulary fact.
    Fact(String),
    /// A 定义.
    Def(String),
    /// A 参数.
    Param(String),
    /// A value of an enumeration.
    Value(String),
    /// A clause label in one policy (`policy: None`: the top-level
    /// clauses of `file`).
    Label {
        /// The policy's title.
        policy: Option<String>,
        /// The file, for top-level clauses only.
        file: Option<FileId>,
        /// The label as normalised by the parser.
        text: String,
    },
}

impl Symbol {
    /// The text a drafter writes for it.
    pub(super) fn text(&self) -> &str {
        match self {
            Symbol::Fact(t) | Symbol::Def(t) | Symbol::Param(t) | Symbol::Value(t) => t,
            Symbol::Label { text, .. } => text,
        }
    }
}

/// One place a symbol is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Occurrence {
    /// The file.
    pub file: FileId,
    /// The words, quotation marks included.
    pub span: Span,
    /// What they stand for.
    pub symbol: Symbol,
    /// Whether this is where it is declared.
    pub declaration: bool,
}

/// Every occurrence in a set of modules.
#[derive(Debug, Default)]
pub(super) struct Index {
    /// In file order, then source order within a file.
    pub occurrences: Vec<Occurrence>,
}

impl Index {
    /// Indexes modules loaded together (their order is the `FileId`).
    pub(super) fn build(modules: &[Module]) -> Index {
        let names = declared_names(modules);
        let mut w = Walker {
            names: &names,
            out: Vec::new(),
            file: 0,
            policy: None,
        };
        for (file, m) in modules.iter().enumerate() {
            w.file = file;
            w.policy = None;
            for item in &m.items {
                w.item(item);
            }
        }
        w.out.sort_by_key(|o| (o.file, o.span.start));
        Index { occurrences: w.out }
    }

    /// The occurrence under a byte offset (its end included, so a cursor
    /// just after a word finds it).
    pub(super) fn at(&self, file: FileId, offset: usize) -> Option<&Occurrence> {
        self.occurrences
            .iter()
            .find(|o| o.file == file && o.span.start <= offset && offset < o.span.end)
            .or_else(|| {
                self.occurrences
                    .iter()
                    .find(|o| o.file == file && o.span.end == offset)
            })
    }

    /// Every occurrence of a symbol.
    pub(super) fn of<'a>(
        &'a self,
        symbol: &'a Symbol,
    ) -> impl Iterator<Item = &'a Occurrence> + 'a {
        self.occurrences.iter().filter(move |o| &o.symbol == symbol)
    }

    /// Where a symbol is declared (the first declaration).
    pub(super) fn declaration(&self, symbol: &Symbol) -> Option<&Occurrence> {
        self.occurrences
            .iter()
            .find(|o| o.declaration && &o.symbol == symbol)
    }
}

/// Every declared word and what it is, facts first (the checker's order
/// of precedence when a name is wrongly declared twice).
fn declared_names(modules: &[Module]) -> HashMap<String, Symbol> {
    let mut facts = Vec::new();
    let mut defs = Vec::new();
    let mut params = Vec::new();
    let mut values = Vec::new();
    for m in modules {
        for item in &m.items {
            match item {
                Item::Vocab(v) => {
                    for e in v.all_entries() {
                        facts.push(Symbol::Fact(e.name.text.clone()));
                        if let TypeExpr::Enum { values: vs, .. } = &e.ty.node {
                            values.extend(vs.iter().map(|v| Symbol::Value(v.text.clone())));
                        }
                    }
                }
                Item::Define(d) => defs.push(Symbol::Def(d.name.text.clone())),
                Item::Param(p) => params.push(Symbol::Param(p.name.text.clone())),
                Item::Policy(p) => {
                    for pi in &p.items {
                        if let PolicyItem::Define(d) = pi {
                            defs.push(Symbol::Def(d.name.text.clone()));
                        }
                    }
                }
                Item::Case(_) | Item::Include(_) | Item::Allow(_) | Item::Clause(_) => {}
            }
        }
    }
    let mut names = HashMap::new();
    for s in facts.into_iter().chain(defs).chain(params).chain(values) {
        names.entry(s.text().to_string()).or_insert(s);
    }
    names
}

struct Walker<'a> {
    names: &'a HashMap<String, Symbol>,
    out: Vec<Occurrence>,
    file: FileId,
    policy: Option<String>,
}

impl Walker<'_> {
    fn push(&mut self, span: Span, symbol: Symbol, declaration: bool) {
        self.out.push(Occurrence {
            file: self.file,
            span,
            symbol,
            declaration,
        });
    }

    /// A word written where a word is read: recorded when it names
    /// something (a quoted name that names nothing is a text).
    fn use_word(&mut self, text: &str, span: Span) {
        if let Some(s) = self.names.get(text) {
            self.push(span, s.clone(), false);
        }
    }

    fn use_name(&mut self, n: &Name) {
        self.use_word(&n.text, n.span);
    }

    fn label(&self, policy: Option<String>, text: &str) -> Symbol {
        Symbol::Label {
            file: policy.is_none().then_some(self.file),
            policy,
            text: text.to_string(),
        }
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Vocab(v) => {
                for e in v.all_entries() {
                    self.push(e.name.span, Symbol::Fact(e.name.text.clone()), true);
                    if let TypeExpr::Enum { values, .. } = &e.ty.node {
                        for v in values {
                            self.push(v.span, Symbol::Value(v.text.clone()), true);
                        }
                    }
                }
            }
            Item::Define(d) => self.define(d),
            Item::Param(p) => self.push(p.name.span, Symbol::Param(p.name.text.clone()), true),
            Item::Policy(p) => {
                self.policy = Some(p.title.node.clone());
                for pi in &p.items {
                    match pi {
                        PolicyItem::Scope(c) => self.cond(c),
                        PolicyItem::Define(d) => self.define(d),
                        PolicyItem::Case(c) => self.case(c),
                        PolicyItem::Clause(c) => self.clause(c),
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
                        | PolicyItem::Material(_)
                        | PolicyItem::Allow(_) => {}
                    }
                }
                self.policy = None;
            }
            Item::Case(c) => self.case(c),
            Item::Clause(c) => self.clause(c),
            Item::Include(_) | Item::Allow(_) => {}
        }
    }

    fn define(&mut self, d: &crate::ast::Define) {
        self.push(d.name.span, Symbol::Def(d.name.text.clone()), true);
        match &d.body {
            DefineBody::Cond(c) => self.cond(c),
            DefineBody::Expr(e) => self.expr(e),
        }
    }

    fn clause(&mut self, c: &Clause) {
        if let Some(l) = &c.label {
            let s = self.label(self.policy.clone(), &l.text);
            self.push(l.span, s, true);
        }
        self.cond(&c.cond);
        if let Action::Grant(g) = &c.action.node
            && let Some(cu) = &g.cumulative
        {
            self.expr(&cu.cap);
            self.use_name(&cu.received);
        }
        match &c.action.node {
            Action::Grant(g) => match &g.amount {
                GrantAmount::Single(a) => {
                    self.core(&a.core);
                    if let Some(cap) = &a.cap {
                        self.expr(cap);
                    }
                }
                GrantAmount::Tiers { items, cap, .. } => {
                    for i in items {
                        self.core(i);
                    }
                    if let Some(cap) = cap {
                        self.expr(cap);
                    }
                }
                GrantAmount::Discretionary { cap, .. } => {
                    if let Some(cap) = cap {
                        self.expr(cap);
                    }
                }
                GrantAmount::Items(i) => {
                    self.use_name(&i.list);
                    if let Some(f) = &i.filter {
                        self.cond(f);
                    }
                    self.expr(&i.amount);
                    for cap in i.each_cap.iter().chain(&i.total_cap) {
                        self.expr(cap);
                    }
                }
                GrantAmount::Range { low, high, cap, .. } => {
                    self.core(low);
                    self.core(high);
                    if let Some(cap) = cap {
                        self.expr(cap);
                    }
                }
                GrantAmount::Schedule(s) => {
                    self.use_name(&s.event);
                    match &s.plan {
                        crate::ast::SchedulePlan::Years(parts) => {
                            for p in parts {
                                for c in p.cores() {
                                    self.core(c);
                                }
                                if let Some(cap) = &p.amount.cap {
                                    self.expr(cap);
                                }
                            }
                        }
                        crate::ast::SchedulePlan::Split { .. } => {
                            for e in s.plan.split_totals() {
                                self.expr(e);
                            }
                        }
                    }
                    if let Some(cap) = &s.cap {
                        self.expr(cap);
                    }
                }
            },
            Action::Prohibit(n) | Action::Oblige(n) => self.use_name(n),
            Action::Exempt(_) | Action::Permit(_) => {}
        }
    }

    fn core(&mut self, core: &AmountCore) {
        match core {
            AmountCore::Expr(e) => self.expr(e),
            AmountCore::PerUnit { fact, rate, .. } => {
                if let Some(f) = fact {
                    self.use_name(f);
                }
                self.expr(rate);
            }
        }
    }

    fn cond(&mut self, c: &Cond) {
        match c {
            Cond::And(cs, _) | Cond::Or(cs, _) | Cond::List(cs, _) => {
                for c in cs {
                    self.cond(c);
                }
            }
            Cond::Not(c, _) => self.cond(c),
            Cond::Word(n) => self.use_name(n),
            Cond::Compare(cmp) => {
                if let Some(l) = &cmp.lhs {
                    self.expr(l);
                }
                for r in &cmp.rhs {
                    self.expr(r);
                }
            }
            Cond::Consecutive(c) => {
                self.use_name(&c.event);
                self.use_name(&c.fact);
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        if let Expr::Name(n) = e {
            self.use_name(n);
        }
        for c in e.children() {
            self.expr(c);
        }
    }

    fn case(&mut self, c: &Case) {
        for (name, value) in &c.facts {
            self.use_name(name);
            match &value.node {
                FactLiteral::Word(w) => self.use_word(w, value.span),
                FactLiteral::List(items) => {
                    for (n, v) in items.iter().flatten() {
                        self.use_name(n);
                        if let FactLiteral::Word(w) = &v.node {
                            self.use_word(w, v.span);
                        }
                    }
                }
                FactLiteral::ByYear(years) => {
                    for (_, v) in years {
                        if let FactLiteral::Word(w) = &v.node {
                            self.use_word(w, v.span);
                        }
                    }
                }
                _ => {}
            }
        }
        for e in &c.expectations {
            if let ExpectTarget::Clause { policy, label } = &e.target {
                let title = policy.as_ref().map(|t| t.node.clone());
                let s = self.label(title.or_else(|| self.policy.clone()), &label.text);
                self.push(label.span, s, false);
            }
        }
    }
}
