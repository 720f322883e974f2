//! Declarations: the vocabulary, 定义 and 参数 collected before any clause
//! is read, and the copying of a definition's body at each use (with the
//! limits on how deep and how large that makes the program).

use chrono::NaiveDate;

use super::expr::literal_value;
use super::{DefState, DefValue, MAX_EXPANSION, MAX_NESTING, Resolved, Resolver, to_sspan};
use crate::ast::{self};
use crate::check::chinese_date;
use crate::check::error::CheckError;
use crate::program::*;
use crate::source::Span;

impl Resolver {
    pub(super) fn collect_vocab(&mut self, modules: &[ast::Module]) {
        for (file, m) in modules.iter().enumerate() {
            for item in &m.items {
                let ast::Item::Vocab(v) = item else {
                    continue;
                };
                for e in &v.entries {
                    self.declare_fact(file, e, None);
                }
            }
        }
    }

    /// Declares one fact, or a field of the list `list`, and a list's
    /// fields after it. A word names one fact: a field is of one list
    /// only, and never also a fact of its own.
    fn declare_fact(&mut self, file: FileId, e: &ast::VocabEntry, list: Option<FactId>) {
        let ty: Ty = e.ty.node.map_values(|v| v.text.clone());
        if let Ty::Quantity(u) = &ty {
            let at = self.unit_span_in(file, u, e.ty.span);
            // Still declared, so that its uses are not
            // reported as unknown words as well.
            self.known_unit(file, u, at);
        }
        if ty == Ty::List && list.is_some() {
            self.errors.push(CheckError::ItemList {
                src: self.src(file),
                span: to_sspan(e.ty.span),
                word: e.name.text.clone(),
                problem: "列表的字段不能再是列表".into(),
            });
            return;
        }
        let describe = |vocab: &Vocab, ty: &Ty, list: Option<FactId>| match list {
            Some(l) => format!("{}的字段（{}）", vocab.name(l), ty.describe()),
            None => ty.describe(),
        };
        let id = if let Some(&id) = self.vocab.by_name.get(&e.name.text) {
            let first = self.vocab.facts.get(id).map(|f| (f.ty.clone(), f.list));
            if first.as_ref() != Some(&(ty.clone(), list)) {
                self.errors.push(CheckError::ConflictingDeclaration {
                    src: self.src(file),
                    span: to_sspan(e.ty.span),
                    word: e.name.text.clone(),
                    first_ty: first
                        .map(|(t, l)| describe(&self.vocab, &t, l))
                        .unwrap_or_default(),
                    second_ty: describe(&self.vocab, &ty, list),
                });
                return;
            }
            id
        } else {
            let id = self.vocab.facts.len();
            if let Ty::Enum { values, .. } = &ty {
                for (i, v) in values.iter().enumerate() {
                    self.vocab
                        .enum_values
                        .entry(v.clone())
                        .or_default()
                        .push((id, i));
                }
            }
            self.vocab.by_name.insert(e.name.text.clone(), id);
            self.vocab.facts.push(FactDecl {
                name: e.name.text.clone(),
                ty: ty.clone(),
                loc: Resolver::loc(file, e.name.span),
                list,
            });
            if let Some(l) = list {
                self.vocab.fields.entry(l).or_default().push(id);
            }
            id
        };
        if ty == Ty::List {
            self.vocab.fields.entry(id).or_default();
            for f in &e.fields {
                self.declare_fact(file, f, Some(id));
            }
        }
    }

    /// A word that is both a fact and a value of an enumeration would read
    /// as either in a condition; refuse it rather than pick one silently.
    pub(super) fn check_value_names(&mut self, modules: &[ast::Module]) {
        for (file, m) in modules.iter().enumerate() {
            for item in &m.items {
                let ast::Item::Vocab(v) = item else {
                    continue;
                };
                for e in &v.entries {
                    let ast::TypeExpr::Enum { values, .. } = &e.ty.node else {
                        continue;
                    };
                    // A value listed twice has two places: an ordered
                    // enumeration would rank it both low and high.
                    let mut seen = std::collections::HashMap::with_capacity(values.len());
                    for v in values {
                        let first = *seen.entry(v.text.as_str()).or_insert(v.span);
                        if first != v.span {
                            self.errors.push(CheckError::DuplicateEnumValue {
                                src: self.src(file),
                                span: to_sspan(v.span),
                                first: to_sspan(first),
                                value: v.text.clone(),
                                fact: e.name.text.clone(),
                            });
                        }
                    }
                    for v in values {
                        let Some(fact) = self
                            .vocab
                            .by_name
                            .get(&v.text)
                            .and_then(|&id| self.vocab.get(id))
                        else {
                            continue;
                        };
                        self.errors.push(CheckError::ConflictingDeclaration {
                            src: self.src(file),
                            span: to_sspan(v.span),
                            word: v.text.clone(),
                            first_ty: fact.ty.describe(),
                            second_ty: format!("{}的取值", e.name.text),
                        });
                    }
                }
            }
        }
    }

    pub(super) fn collect_defs(&mut self, modules: &[ast::Module]) {
        for (file, m) in modules.iter().enumerate() {
            let mut defs: Vec<&ast::Define> = Vec::new();
            for item in &m.items {
                match item {
                    ast::Item::Define(d) => defs.push(d),
                    ast::Item::Policy(p) => {
                        for pi in &p.items {
                            if let ast::PolicyItem::Define(d) = pi {
                                defs.push(d);
                            }
                        }
                    }
                    _ => {}
                }
            }
            for d in defs {
                let n = &d.name.text;
                if self.defs.contains_key(n)
                    || self.vocab.by_name.contains_key(n)
                    || self.vocab.enum_values.contains_key(n)
                {
                    self.errors.push(CheckError::DuplicateDefinition {
                        src: self.src(file),
                        span: to_sspan(d.name.span),
                        word: n.clone(),
                    });
                    continue;
                }
                self.def_order.push(n.clone());
                self.defs
                    .insert(n.clone(), DefState::Pending(file, d.clone()));
            }
        }
    }

    pub(super) fn collect_params(&mut self, modules: &[ast::Module]) {
        for (file, m) in modules.iter().enumerate() {
            for item in &m.items {
                let ast::Item::Param(p) = item else { continue };
                let n = &p.name.text;
                if self.param_by_name.contains_key(n)
                    || self.defs.contains_key(n)
                    || self.vocab.by_name.contains_key(n)
                    || self.vocab.enum_values.contains_key(n)
                {
                    self.errors.push(CheckError::DuplicateDefinition {
                        src: self.src(file),
                        span: to_sspan(p.name.span),
                        word: n.clone(),
                    });
                    continue;
                }
                let mut entries = Vec::new();
                let mut kind: Option<(Kind, Span)> = None;
                let mut dates = std::collections::HashMap::with_capacity(p.entries.len());
                for (d, lit) in &p.entries {
                    let first = *dates.entry(d.node).or_insert(d.span);
                    if first != d.span {
                        self.errors.push(CheckError::DuplicateParamDate {
                            src: self.src(file),
                            first: to_sspan(first),
                            span: to_sspan(d.span),
                            param: n.clone(),
                            date: crate::check::chinese_date(d.node),
                        });
                        continue;
                    }
                    // Kept although 0 or of an unknown unit: dropping it
                    // would leave the parameter undefined at every use.
                    self.zero_rate(file, lit);
                    if let ast::Literal::Quantity(_, u) = &lit.node {
                        self.known_unit_at_end(file, u, lit.span);
                    }
                    // A parameter's value is a `literal`, never a fraction.
                    let Some((v, k)) = literal_value(&lit.node) else {
                        continue;
                    };
                    match &kind {
                        Some((k0, s0)) if *k0 != k => {
                            self.errors
                                .push(self.kind_mismatch(file, *s0, k0, lit.span, &k, "并列"));
                        }
                        Some(_) => {}
                        None => kind = Some((k, lit.span)),
                    }
                    entries.push((d.node, v));
                }
                entries.sort_by_key(|(d, _)| *d);
                let Some((kind, _)) = kind else { continue };
                self.param_by_name.insert(n.clone(), self.params.len());
                self.params.push(ParamDef {
                    name: n.clone(),
                    kind,
                    entries,
                    loc: Resolver::loc(file, p.name.span),
                });
            }
        }
    }

    /// Every parameter a policy reads must have a value on its first day.
    /// A clause-level window overrides the policy's, so a clause is
    /// checked against its own start; the policy's 适用 against the
    /// policy's.
    pub(super) fn check_params_start(&mut self, program: &Program) {
        for p in &program.policies {
            if let (Some(start), Some(scope)) = (p.start(), &p.scope) {
                let mut used = Vec::new();
                collect_params_cond(scope, &mut used);
                self.params_from(program, start, &used);
            }
            for c in &p.clauses {
                let start = match c.window {
                    Some(WindowDef::Dates(s, _)) => s,
                    Some(WindowDef::Unpublished { .. }) => continue,
                    None => match p.start() {
                        Some(s) => s,
                        None => continue,
                    },
                };
                let mut used = Vec::new();
                collect_params_cond(&c.cond, &mut used);
                collect_params_action(&c.action, &mut used);
                self.params_from(program, start, &used);
            }
        }
    }

    pub(super) fn params_from(
        &mut self,
        program: &Program,
        start: NaiveDate,
        used: &[(ParamId, Loc)],
    ) {
        for (pid, loc) in used {
            let Some(param) = program.params.get(*pid) else {
                continue;
            };
            if let Some((first, _)) = param.entries.first()
                && *first > start
            {
                self.errors.push(CheckError::ParamTooLate {
                    src: self.src(loc.file),
                    span: to_sspan(loc.span),
                    param: param.name.clone(),
                    first: chinese_date(*first),
                    start: chinese_date(start),
                });
            }
        }
    }

    /// The value of a definition, resolving it first if needed. With
    /// `use_loc` the value is being copied into the program at that place,
    /// which counts against `MAX_EXPANSION`.
    pub(super) fn resolve_def(&mut self, name: &str, use_loc: Option<Loc>) -> Option<DefValue> {
        match self.defs.get(name) {
            None => None,
            Some(DefState::Done(r)) => {
                let r = r.clone();
                self.copy(&r, use_loc).then_some(r.value)
            }
            Some(DefState::Failed) => None,
            Some(DefState::Resolving) => {
                let from = self.def_stack.iter().position(|n| n == name).unwrap_or(0);
                let mut cycle: Vec<String> = self.def_stack.iter().skip(from).cloned().collect();
                cycle.push(name.to_string());
                if let Some(loc) = use_loc {
                    self.errors.push(CheckError::DefinitionCycle {
                        src: self.src(loc.file),
                        span: to_sspan(loc.span),
                        cycle: cycle.join(" → "),
                    });
                }
                None
            }
            Some(DefState::Pending(..)) => {
                let Some(DefState::Pending(file, def)) =
                    self.defs.insert(name.to_string(), DefState::Resolving)
                else {
                    return None;
                };
                self.def_stack.push(name.to_string());
                let outer_copied = std::mem::take(&mut self.copied_here);
                let outer_deepest = std::mem::replace(&mut self.deepest, self.nesting);
                let base = self.nesting;
                // A definition is one value per entity (its memo slot is
                // shared by every use): it never reads an item's field.
                let outer_item = self.item_list.take();
                let value = match &def.body {
                    ast::DefineBody::Cond(ast::Cond::Word(w)) if self.word_is_value(&w.text) => {
                        self.expr(file, &ast::Expr::Name(w.clone()), None)
                            .map(|(e, k)| DefValue::Expr(e, k))
                    }
                    ast::DefineBody::Cond(c) => self.cond(file, c).map(DefValue::Cond),
                    ast::DefineBody::Expr(e) => {
                        self.expr(file, e, None).map(|(e, k)| DefValue::Expr(e, k))
                    }
                };
                self.item_list = outer_item;
                let depth = self.deepest.saturating_sub(base);
                self.deepest = outer_deepest.max(self.deepest);
                self.def_stack.pop();
                let own = match &def.body {
                    ast::DefineBody::Cond(c) => c.span().len(),
                    ast::DefineBody::Expr(e) => e.span().len(),
                };
                let weight =
                    own.saturating_add(std::mem::replace(&mut self.copied_here, outer_copied));
                let Some(value) = value else {
                    self.defs.insert(name.to_string(), DefState::Failed);
                    return None;
                };
                let r = Resolved {
                    value,
                    weight,
                    depth,
                };
                self.defs
                    .insert(name.to_string(), DefState::Done(r.clone()));
                self.copy(&r, use_loc).then_some(r.value)
            }
        }
    }

    /// Counts a use that copies `r` into the program; false (with the
    /// error reported once) when that passes `MAX_NESTING` or
    /// `MAX_EXPANSION`.
    pub(super) fn copy(&mut self, r: &Resolved, use_loc: Option<Loc>) -> bool {
        let Some(loc) = use_loc else {
            return true;
        };
        if !self.nest_to(self.nesting.saturating_add(r.depth), loc) {
            return false;
        }
        self.copied_here = self.copied_here.saturating_add(r.weight);
        self.expanded = self.expanded.saturating_add(r.weight);
        if self.expanded <= MAX_EXPANSION {
            return true;
        }
        if !self.expansion_reported {
            self.expansion_reported = true;
            self.errors.push(CheckError::DefinitionsTooLarge {
                src: self.src(loc.file),
                span: to_sspan(loc.span),
                limit: MAX_EXPANSION,
            });
        }
        false
    }

    /// Records nesting down to `level`; false (with the error reported
    /// once) when that passes `MAX_NESTING`.
    pub(super) fn nest_to(&mut self, level: usize, loc: Loc) -> bool {
        self.deepest = self.deepest.max(level);
        if level <= MAX_NESTING {
            return true;
        }
        if !self.nesting_reported {
            self.nesting_reported = true;
            self.errors.push(CheckError::DefinitionTooDeep {
                src: self.src(loc.file),
                span: to_sspan(loc.span),
                name: self.def_stack.first().cloned().unwrap_or_default(),
                limit: MAX_NESTING,
            });
        }
        false
    }
}

pub(super) fn collect_params_action(a: &Action, out: &mut Vec<(ParamId, Loc)>) {
    let Action::Grant {
        amount, cumulative, ..
    } = a
    else {
        return;
    };
    let mut exprs: Vec<&Expr> = Vec::new();
    exprs.extend(cumulative.iter().map(|c| &c.cap));
    match amount {
        GrantAmount::Single(a) => {
            push_core(&a.core, &mut exprs);
            exprs.extend(a.cap.iter());
        }
        GrantAmount::Tiers { items, cap, .. } => {
            for i in items {
                push_core(i, &mut exprs);
            }
            exprs.extend(cap.iter());
        }
        GrantAmount::Discretionary { cap } => exprs.extend(cap.iter()),
        GrantAmount::Items(g) => {
            exprs.push(&g.amount);
            exprs.extend(g.each_cap.iter());
            exprs.extend(g.total_cap.iter());
            if let Some(c) = &g.filter {
                collect_params_cond(c, out);
            }
        }
        GrantAmount::Range { low, high, cap } => {
            push_core(low, &mut exprs);
            push_core(high, &mut exprs);
            exprs.extend(cap.iter());
        }
        GrantAmount::Schedule(s) => {
            exprs.extend(s.cumulative.iter().map(|c| &c.cap));
            for r in &s.runs {
                for c in r.cores() {
                    push_core(c, &mut exprs);
                }
                exprs.extend(r.amount.cap.iter());
            }
        }
    }
    for e in exprs {
        collect_params_expr(e, out);
    }
}

pub(super) fn collect_params_cond(c: &Cond, out: &mut Vec<(ParamId, Loc)>) {
    match c {
        Cond::Fact(..) | Cond::EnumIs(..) | Cond::Consecutive { .. } | Cond::True => {}
        Cond::Cmp { lhs, rhs, .. } => {
            collect_params_expr(lhs, out);
            for r in rhs {
                collect_params_expr(r, out);
            }
        }
        Cond::And(items, _) | Cond::Or(items, _) => {
            for i in items {
                collect_params_cond(i, out);
            }
        }
        Cond::Not(inner, _) | Cond::Named { body: inner, .. } => collect_params_cond(inner, out),
    }
}

pub(super) fn push_core<'a>(c: &'a AmountCore, out: &mut Vec<&'a Expr>) {
    match c {
        AmountCore::Expr(e) => out.push(e),
        AmountCore::PerUnit { rate, .. } => out.push(rate),
    }
}

pub(super) fn collect_params_expr(e: &Expr, out: &mut Vec<(ParamId, Loc)>) {
    if let Expr::Param(p, l) = e {
        out.push((*p, *l));
    }
    for c in e.children() {
        collect_params_expr(c, out);
    }
}
