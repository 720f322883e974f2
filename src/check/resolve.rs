//! Names and types: every word resolved to a fact slot, definition,
//! parameter or enumeration value; every expression given a kind; the
//! checked `Program` built. Reports every error it finds, not just the
//! first.

use std::collections::HashMap;

use chrono::{Duration, Months, NaiveDate};
use miette::{NamedSource, SourceSpan};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::chinese_date;
use super::error::CheckError;
use super::suggest::{did_you_mean, similar};
use crate::ast::{self, ArithOp, CmpOp, FactLiteral, Literal};
use crate::program::*;
use crate::source::{LineIndex, SourceFile, Span};

/// A definition body once resolved.
#[derive(Clone)]
enum DefValue {
    Cond(Cond),
    Expr(Expr, Kind),
}

enum DefState {
    Pending(FileId, ast::Define),
    Resolving,
    /// Resolved.
    Done(Resolved),
    Failed,
}

/// A resolved definition and what copying it costs.
#[derive(Clone)]
struct Resolved {
    value: DefValue,
    /// An upper bound on the nodes each use copies into the program: its
    /// own source bytes plus the weight of every definition it uses.
    weight: usize,
    /// How deeply its body nests, definitions it uses included.
    depth: usize,
}

/// How deeply the checked program may nest, counting the bodies that uses
/// of definitions copy in. A file alone stays far below it (parentheses
/// nest at most `syntax::MAX_DEPTH` deep); definitions that use
/// definitions could otherwise nest without bound, and every later stage
/// recurses over the result.
pub const MAX_NESTING: usize = 128;

/// How much definitions may expand the program, in weight (see
/// `Resolved::weight`). Every use copies its definition's body, so a chain
/// of definitions that each use the previous one twice would otherwise
/// double the program at every link. Real policy sets stay below a
/// thousandth of this.
pub const MAX_EXPANSION: usize = 1_000_000;

/// The resolver's state.
pub struct Resolver {
    files: Vec<SourceFile>,
    /// Line starts of each file, for the names of unlabelled clauses.
    lines: Vec<LineIndex>,
    vocab: Vocab,
    defs: HashMap<String, DefState>,
    /// Definition names in the order written, so that errors come out in
    /// a stable order (the map's order is random).
    def_order: Vec<String>,
    def_stack: Vec<String>,
    /// Weight copied into the program by uses of definitions so far.
    expanded: usize,
    /// Whether `MAX_EXPANSION` was already reported.
    expansion_reported: bool,
    /// How deeply the resolution of conditions and expressions is nested
    /// right now.
    nesting: usize,
    /// The deepest nesting reached, copies of definitions included.
    deepest: usize,
    /// Whether `MAX_NESTING` was already reported.
    nesting_reported: bool,
    /// Weight copied into the body being resolved (see `Resolved::weight`).
    copied_here: usize,
    params: Vec<ParamDef>,
    param_by_name: HashMap<String, ParamId>,
    /// Errors found so far.
    pub errors: Vec<CheckError>,
}

fn to_sspan(span: Span) -> SourceSpan {
    span.into()
}

impl Resolver {
    fn src(&self, file: FileId) -> NamedSource<std::sync::Arc<str>> {
        self.files
            .get(file)
            .map_or_else(|| SourceFile::new("?", "").named(), SourceFile::named)
    }

    fn loc(file: FileId, span: Span) -> Loc {
        Loc { file, span }
    }

    /// Resolves all modules into a program.
    pub fn run(modules: &[ast::Module]) -> (Program, Vec<CheckError>) {
        let mut r = Resolver {
            files: modules.iter().map(|m| m.source.clone()).collect(),
            lines: modules
                .iter()
                .map(|m| LineIndex::new(&m.source.text))
                .collect(),
            vocab: Vocab::default(),
            defs: HashMap::new(),
            def_order: Vec::new(),
            def_stack: Vec::new(),
            expanded: 0,
            expansion_reported: false,
            nesting: 0,
            deepest: 0,
            nesting_reported: false,
            copied_here: 0,
            params: Vec::new(),
            param_by_name: HashMap::new(),
            errors: Vec::new(),
        };
        r.collect_vocab(modules);
        r.check_value_names(modules);
        r.collect_defs(modules);
        r.collect_params(modules);
        for n in std::mem::take(&mut r.def_order) {
            r.resolve_def(&n, None);
        }
        let mut program = Program {
            files: r.files.clone(),
            ..Program::default()
        };
        let mut pending_cases: Vec<(FileId, Option<PolicyId>, ast::Case)> = Vec::new();
        for (file, m) in modules.iter().enumerate() {
            let file_allows: Vec<String> = m
                .items
                .iter()
                .filter_map(|i| match i {
                    ast::Item::Allow(a) => Some(a.iter().map(|s| s.node.clone())),
                    _ => None,
                })
                .flatten()
                .collect();
            let mut top = PolicyDef {
                title: None,
                loc: Resolver::loc(file, Span::new(0, 0)),
                window: None,
                provenance: None,
                lead: vec![],
                scope: None,
                share: None,
                overlap: None,
                total_cap: None,
                budget: None,
                clauses: vec![],
                allows: file_allows.clone(),
            };
            let mut top_labels = HashMap::new();
            for item in &m.items {
                match item {
                    ast::Item::Policy(p) => {
                        if let Some(first) = program
                            .policies
                            .iter()
                            .find(|q| q.title.as_deref() == Some(p.title.node.as_str()))
                        {
                            let first = program.position(first.loc);
                            r.errors.push(CheckError::DuplicatePolicy {
                                src: r.src(file),
                                span: to_sspan(p.title.span),
                                title: p.title.node.clone(),
                                first,
                            });
                        }
                        let id = program.policies.len();
                        let (mut def, cases) = r.policy(file, p);
                        def.allows.extend(file_allows.iter().cloned());
                        program.policies.push(def);
                        pending_cases.extend(cases.into_iter().map(|c| (file, Some(id), c)));
                    }
                    ast::Item::Clause(c) => {
                        let idx = top.clauses.len();
                        if let Some(cd) = r.clause(file, c, idx, None, &mut top_labels) {
                            top.clauses.push(cd);
                        }
                    }
                    ast::Item::Case(c) => pending_cases.push((file, None, c.clone())),
                    ast::Item::Vocab(_)
                    | ast::Item::Define(_)
                    | ast::Item::Param(_)
                    | ast::Item::Include(_)
                    | ast::Item::Allow(_) => {}
                }
            }
            if !top.clauses.is_empty() {
                program.policies.push(top);
            }
        }
        program.vocab = std::mem::take(&mut r.vocab);
        program.params = std::mem::take(&mut r.params);
        r.vocab = program.vocab.clone();
        r.check_params_start(&program);
        for (file, policy, case) in pending_cases {
            if let Some(c) = r.case(file, policy, &case, &program) {
                program.cases.push(c);
            }
        }
        (program, r.errors)
    }

    // ───────────── declarations ─────────────

    fn collect_vocab(&mut self, modules: &[ast::Module]) {
        for (file, m) in modules.iter().enumerate() {
            for item in &m.items {
                let ast::Item::Vocab(entries) = item else {
                    continue;
                };
                for e in entries {
                    let ty = match &e.ty.node {
                        ast::TypeExpr::Bool => Ty::Bool,
                        ast::TypeExpr::Money => Ty::Money,
                        ast::TypeExpr::Ratio => Ty::Ratio,
                        ast::TypeExpr::Date => Ty::Date,
                        ast::TypeExpr::Text => Ty::Text,
                        ast::TypeExpr::Quantity(u) => Ty::Quantity(u.clone()),
                        ast::TypeExpr::Enum { values, ordered } => Ty::Enum {
                            values: values.iter().map(|v| v.text.clone()).collect(),
                            ordered: *ordered,
                        },
                    };
                    if let Some(&id) = self.vocab.by_name.get(&e.name.text) {
                        let first = self.vocab.facts.get(id).map(|f| f.ty.clone());
                        if first.as_ref() != Some(&ty) {
                            self.errors.push(CheckError::ConflictingDeclaration {
                                src: self.src(file),
                                span: to_sspan(e.ty.span),
                                word: e.name.text.clone(),
                                first_ty: first.map(|t| t.describe()).unwrap_or_default(),
                                second_ty: ty.describe(),
                            });
                        }
                        continue;
                    }
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
                        ty,
                        loc: Resolver::loc(file, e.name.span),
                    });
                }
            }
        }
    }

    /// A word that is both a fact and a value of an enumeration would read
    /// as either in a condition; refuse it rather than pick one silently.
    fn check_value_names(&mut self, modules: &[ast::Module]) {
        for (file, m) in modules.iter().enumerate() {
            for item in &m.items {
                let ast::Item::Vocab(entries) = item else {
                    continue;
                };
                for e in entries {
                    let ast::TypeExpr::Enum { values, .. } = &e.ty.node else {
                        continue;
                    };
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

    fn collect_defs(&mut self, modules: &[ast::Module]) {
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

    fn collect_params(&mut self, modules: &[ast::Module]) {
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
                for (d, lit) in &p.entries {
                    let (v, k) = literal_value(&lit.node);
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
    fn check_params_start(&mut self, program: &Program) {
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

    fn params_from(&mut self, program: &Program, start: NaiveDate, used: &[(ParamId, Loc)]) {
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
    fn resolve_def(&mut self, name: &str, use_loc: Option<Loc>) -> Option<DefValue> {
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
    fn copy(&mut self, r: &Resolved, use_loc: Option<Loc>) -> bool {
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
    fn nest_to(&mut self, level: usize, loc: Loc) -> bool {
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

    /// Whether a bare word names a value (not a condition): a non-yes/no
    /// fact, a parameter or a defined amount.
    fn word_is_value(&self, w: &str) -> bool {
        if let Some(&id) = self.vocab.by_name.get(w) {
            return self.vocab.get(id).is_some_and(|f| f.ty != Ty::Bool);
        }
        if self.param_by_name.contains_key(w) {
            return true;
        }
        matches!(self.defs.get(w), Some(DefState::Pending(_, d)) if matches!(d.body, ast::DefineBody::Expr(_)))
            || matches!(
                self.defs.get(w),
                Some(DefState::Done(Resolved {
                    value: DefValue::Expr(..),
                    ..
                }))
            )
    }

    // ───────────── errors ─────────────

    fn kind_mismatch(
        &self,
        file: FileId,
        ls: Span,
        lk: &Kind,
        rs: Span,
        rk: &Kind,
        verb: &str,
    ) -> CheckError {
        let left = lk.describe(&self.vocab);
        let right = rk.describe(&self.vocab);
        let help = match (lk, rk) {
            (Kind::Money, Kind::Quantity(_)) | (Kind::Quantity(_), Kind::Money) => {
                "金额只能与金额比较：把数值写成 300万元 这样的金额，或比较一个 数量 类型的事实"
                    .to_string()
            }
            (Kind::Money, Kind::Ratio) | (Kind::Ratio, Kind::Money) => {
                "比例要作用于金额：写成 研发投入 的 20%，而不是把金额与比例直接相加或比较"
                    .to_string()
            }
            _ => format!("两边应为同一类：左边是{left}，右边是{right}"),
        };
        CheckError::KindMismatch {
            src: self.src(file),
            left_span: to_sspan(ls),
            right_span: to_sspan(rs),
            left,
            right,
            verb: verb.to_string(),
            help,
        }
    }

    fn wrong_kind(
        &self,
        file: FileId,
        span: Span,
        expected: &str,
        found: &Kind,
        help: &str,
    ) -> CheckError {
        CheckError::WrongKind {
            src: self.src(file),
            span: to_sspan(span),
            expected: expected.to_string(),
            found: found.describe(&self.vocab),
            help: help.to_string(),
        }
    }

    fn unknown_word(&self, file: FileId, n: &ast::Name) -> CheckError {
        let candidates = self
            .vocab
            .by_name
            .keys()
            .chain(self.defs.keys())
            .chain(self.vocab.enum_values.keys())
            .chain(self.param_by_name.keys())
            .map(String::as_str);
        let found = similar(&n.text, candidates);
        let fallback = format!(
            "先在 词汇 中声明它（如 词汇 {{ {}: 是否 }}），或用 定义 给它下定义；文本值请加引号，如 “{}”",
            n.text, n.text
        );
        CheckError::UnknownWord {
            src: self.src(file),
            span: to_sspan(n.span),
            word: n.text.clone(),
            help: did_you_mean(&found, &fallback),
        }
    }

    fn ambiguous(&self, file: FileId, n: &ast::Name, owners: &[(FactId, usize)]) -> CheckError {
        let facts: Vec<&str> = owners.iter().map(|(f, _)| self.vocab.name(*f)).collect();
        CheckError::AmbiguousValue {
            src: self.src(file),
            span: to_sspan(n.span),
            word: n.text.clone(),
            facts: facts.join("、"),
            example: format!("{} 为 {}", facts.first().copied().unwrap_or("事实"), n.text),
        }
    }

    // ───────────── conditions ─────────────

    /// Resolves a condition; `None` when it holds an error (recorded).
    pub fn cond(&mut self, file: FileId, c: &ast::Cond) -> Option<Cond> {
        let level = self.nesting + 1;
        if !self.nest_to(level, Resolver::loc(file, c.span())) {
            return None;
        }
        self.nesting = level;
        let out = self.cond_node(file, c);
        self.nesting = level - 1;
        out
    }

    fn cond_node(&mut self, file: FileId, c: &ast::Cond) -> Option<Cond> {
        match c {
            ast::Cond::And(items, span) => self
                .conds(file, items)
                .map(|v| Cond::And(v, Resolver::loc(file, *span))),
            ast::Cond::Or(items, span) | ast::Cond::List(items, span) => self
                .conds(file, items)
                .map(|v| Cond::Or(v, Resolver::loc(file, *span))),
            ast::Cond::Not(inner, span) => self
                .cond(file, inner)
                .map(|c| Cond::Not(Box::new(c), Resolver::loc(file, *span))),
            ast::Cond::Word(n) => self.cond_word(file, n),
            ast::Cond::Compare(cmp) => self.compare(file, cmp),
        }
    }

    fn conds(&mut self, file: FileId, items: &[ast::Cond]) -> Option<Vec<Cond>> {
        let resolved: Vec<Option<Cond>> = items.iter().map(|i| self.cond(file, i)).collect();
        resolved.into_iter().collect()
    }

    fn cond_word(&mut self, file: FileId, n: &ast::Name) -> Option<Cond> {
        let loc = Resolver::loc(file, n.span);
        if let Some(&id) = self.vocab.by_name.get(&n.text) {
            let ty = self.vocab.get(id).map(|f| f.ty.clone());
            return match ty {
                Some(Ty::Bool) => Some(Cond::Fact(id, loc)),
                Some(t) => {
                    let kind = ty_kind(&t, id);
                    let help = format!(
                        "{}是{}，需要写成比较，如 {} 超过 …、{} 为 …",
                        n.text,
                        t.describe(),
                        n.text,
                        n.text
                    );
                    self.errors.push(self.wrong_kind(
                        file,
                        n.span,
                        "条件（是否事实、枚举取值或定义的条件）",
                        &kind,
                        &help,
                    ));
                    None
                }
                None => None,
            };
        }
        if let Some(owners) = self.vocab.enum_values.get(&n.text).cloned() {
            return match owners.as_slice() {
                [(fact, idx)] => Some(Cond::EnumIs(*fact, *idx, loc)),
                _ => {
                    self.errors.push(self.ambiguous(file, n, &owners));
                    None
                }
            };
        }
        if self.defs.contains_key(&n.text) {
            return match self.resolve_def(&n.text, Some(loc))? {
                DefValue::Cond(c) => Some(Cond::Named {
                    name: n.text.clone(),
                    body: Box::new(c),
                    loc,
                }),
                DefValue::Expr(_, k) => {
                    self.errors.push(self.wrong_kind(
                        file,
                        n.span,
                        "条件",
                        &k,
                        "这个定义是一个数额，需要写成比较，如 X 超过 100万元",
                    ));
                    None
                }
            };
        }
        if let Some(&pid) = self.param_by_name.get(&n.text) {
            let k = self
                .params
                .get(pid)
                .map_or(Kind::Number, |p| p.kind.clone());
            self.errors
                .push(self.wrong_kind(file, n.span, "条件", &k, "参数是数值，需要写成比较"));
            return None;
        }
        self.errors.push(self.unknown_word(file, n));
        None
    }

    fn compare(&mut self, file: FileId, cmp: &ast::Compare) -> Option<Cond> {
        let loc = Resolver::loc(file, cmp.span);
        let (lhs, lk) = match &cmp.lhs {
            Some(l) => self.expr(file, l, None)?,
            None => {
                // `三星 及以上`: the value's own (ordered) enumeration.
                let Some(ast::Expr::Name(n)) = cmp.rhs.first() else {
                    return None;
                };
                let owners = match self.vocab.enum_values.get(&n.text).cloned() {
                    Some(o) => o,
                    None => {
                        self.errors.push(self.unknown_word(file, n));
                        return None;
                    }
                };
                let [(fact, _)] = owners.as_slice() else {
                    self.errors.push(self.ambiguous(file, n, &owners));
                    return None;
                };
                (
                    Expr::Fact(*fact, Resolver::loc(file, n.span)),
                    Kind::Enum(*fact),
                )
            }
        };
        let mut rhs = Vec::new();
        let mut failed = false;
        for r in &cmp.rhs {
            let Some((e, k)) = self.expr(file, r, Some(&lk)) else {
                failed = true;
                continue;
            };
            if !comparable(&lk, &k) {
                let ls = cmp.lhs.as_ref().map_or(cmp.span, ast::Expr::span);
                self.errors
                    .push(self.kind_mismatch(file, ls, &lk, r.span(), &k, "比较"));
                failed = true;
                continue;
            }
            rhs.push(e);
        }
        if failed {
            return None;
        }
        if !matches!(cmp.op, CmpOp::Eq | CmpOp::Ne) {
            let what = match &lk {
                Kind::Enum(f) if !self.enum_ordered(*f) => {
                    Some(format!("{}的取值", self.vocab.name(*f)))
                }
                Kind::Bool => Some("是否".to_string()),
                Kind::Text => Some("文本".to_string()),
                _ => None,
            };
            if let Some(what) = what {
                self.errors.push(CheckError::UnorderedComparison {
                    src: self.src(file),
                    span: to_sspan(cmp.span),
                    what,
                });
                return None;
            }
        }
        Some(Cond::Cmp {
            lhs,
            op: cmp.op,
            rhs,
            loc,
        })
    }

    fn enum_ordered(&self, fact: FactId) -> bool {
        matches!(
            self.vocab.get(fact).map(|f| &f.ty),
            Some(Ty::Enum { ordered: true, .. })
        )
    }

    // ───────────── expressions ─────────────

    /// Resolves an expression and its kind; `hint` is the kind of the other
    /// side of a comparison, used to read enumeration values.
    pub fn expr(
        &mut self,
        file: FileId,
        e: &ast::Expr,
        hint: Option<&Kind>,
    ) -> Option<(Expr, Kind)> {
        let level = self.nesting + 1;
        if !self.nest_to(level, Resolver::loc(file, e.span())) {
            return None;
        }
        self.nesting = level;
        let out = self.expr_node(file, e, hint);
        self.nesting = level - 1;
        out
    }

    fn expr_node(
        &mut self,
        file: FileId,
        e: &ast::Expr,
        hint: Option<&Kind>,
    ) -> Option<(Expr, Kind)> {
        let loc = Resolver::loc(file, e.span());
        match e {
            ast::Expr::Lit(l) => {
                let (v, k) = literal_value(&l.node);
                Some((Expr::Lit(v, loc), k))
            }
            ast::Expr::Name(n) => self.expr_name(file, n, hint),
            ast::Expr::Arith { first, rest, .. } => {
                let (f, mut k) = self.expr(file, first, None)?;
                let mut out = Vec::new();
                let mut left_span = first.span();
                for (op, operand) in rest {
                    let (o, ok) = self.expr(file, operand, None)?;
                    match arith_kind(*op, &k, &ok) {
                        Some(nk) => k = nk,
                        None => {
                            self.errors.push(self.kind_mismatch(
                                file,
                                left_span,
                                &k,
                                operand.span(),
                                &ok,
                                "运算",
                            ));
                            return None;
                        }
                    }
                    left_span = left_span.to(operand.span());
                    out.push((*op, o));
                }
                Some((
                    Expr::Arith {
                        first: Box::new(f),
                        rest: out,
                        loc,
                    },
                    k,
                ))
            }
            ast::Expr::Of {
                base,
                base_cap,
                shares,
                ..
            } => {
                let (b, mut k) = self.expr(file, base, None)?;
                let cap = match base_cap {
                    Some(c) => {
                        let (ce, ck) = self.expr(file, c, None)?;
                        if !comparable(&k, &ck) {
                            self.errors.push(self.kind_mismatch(
                                file,
                                base.span(),
                                &k,
                                c.span(),
                                &ck,
                                "比较",
                            ));
                            return None;
                        }
                        Some(Box::new(ce))
                    }
                    None => None,
                };
                let mut out = Vec::new();
                for s in shares {
                    let (se, sk) = self.expr(file, s, None)?;
                    if !matches!(sk, Kind::Ratio | Kind::Number) {
                        self.errors.push(self.wrong_kind(
                            file,
                            s.span(),
                            "比例（如 20%）",
                            &sk,
                            "“的”后面应是比例，如 研发投入 的 20%",
                        ));
                        return None;
                    }
                    k = arith_kind(ArithOp::Mul, &k, &sk).unwrap_or(k);
                    out.push(se);
                }
                Some((
                    Expr::Of {
                        base: Box::new(b),
                        base_cap: cap,
                        shares: out,
                        loc,
                    },
                    k,
                ))
            }
            ast::Expr::Call { func, args, .. } => {
                let mut out = Vec::new();
                let mut kind: Option<(Kind, Span)> = None;
                for a in args {
                    let (ae, ak) = self.expr(file, a, None)?;
                    if let Some((k0, s0)) = &kind {
                        if !comparable(k0, &ak) {
                            self.errors.push(self.kind_mismatch(
                                file,
                                *s0,
                                k0,
                                a.span(),
                                &ak,
                                "比较",
                            ));
                            return None;
                        }
                    } else {
                        kind = Some((ak, a.span()));
                    }
                    out.push(ae);
                }
                let (k, _) = kind?;
                Some((
                    Expr::Call {
                        func: *func,
                        args: out,
                        loc,
                    },
                    k,
                ))
            }
            ast::Expr::Band {
                subject,
                above,
                bound,
                rate,
                ..
            } => {
                let (s, sk) = self.expr(file, subject, None)?;
                let (b, bk) = self.expr(file, bound, None)?;
                if !comparable(&sk, &bk) {
                    self.errors.push(self.kind_mismatch(
                        file,
                        subject.span(),
                        &sk,
                        bound.span(),
                        &bk,
                        "比较",
                    ));
                    return None;
                }
                let (r, rk) = self.expr(file, rate, None)?;
                if !matches!(rk, Kind::Ratio | Kind::Number) {
                    self.errors.push(self.wrong_kind(
                        file,
                        rate.span(),
                        "比例",
                        &rk,
                        "“的部分 按”后面应是比例，如 2‰",
                    ));
                    return None;
                }
                Some((
                    Expr::Band {
                        subject: Box::new(s),
                        above: *above,
                        bound: Box::new(b),
                        rate: Box::new(r),
                        loc,
                    },
                    sk,
                ))
            }
            ast::Expr::Neg(inner, _) => {
                let (i, k) = self.expr(file, inner, None)?;
                Some((Expr::Neg(Box::new(i), loc), k))
            }
        }
    }

    fn expr_name(
        &mut self,
        file: FileId,
        n: &ast::Name,
        hint: Option<&Kind>,
    ) -> Option<(Expr, Kind)> {
        let loc = Resolver::loc(file, n.span);
        if let Some(Kind::Enum(fact)) = hint
            && let Some(Ty::Enum { values, .. }) = self.vocab.get(*fact).map(|f| &f.ty)
        {
            if let Some(i) = values.iter().position(|v| *v == n.text) {
                return Some((Expr::Lit(Value::Enum(i), loc), Kind::Enum(*fact)));
            }
            if !self.vocab.by_name.contains_key(&n.text) && !self.defs.contains_key(&n.text) {
                let found = similar(&n.text, values.iter().map(String::as_str));
                self.errors.push(CheckError::UnknownValue {
                    src: self.src(file),
                    span: to_sspan(n.span),
                    word: n.text.clone(),
                    fact: self.vocab.name(*fact).to_string(),
                    values: values.join("、"),
                    help: did_you_mean(&found, "在 词汇 中给这个枚举加上该取值，或改用已有的取值"),
                });
                return None;
            }
        }
        if let Some(&id) = self.vocab.by_name.get(&n.text) {
            let ty = self.vocab.get(id).map(|f| f.ty.clone())?;
            return Some((Expr::Fact(id, loc), ty_kind(&ty, id)));
        }
        if let Some(&pid) = self.param_by_name.get(&n.text) {
            let k = self.params.get(pid).map(|p| p.kind.clone())?;
            return Some((Expr::Param(pid, loc), k));
        }
        if self.defs.contains_key(&n.text) {
            return match self.resolve_def(&n.text, Some(loc))? {
                DefValue::Expr(e, k) => Some((
                    Expr::Named {
                        name: n.text.clone(),
                        body: Box::new(e),
                        loc,
                    },
                    k,
                )),
                DefValue::Cond(_) => {
                    self.errors.push(self.wrong_kind(
                        file,
                        n.span,
                        "数值",
                        &Kind::Bool,
                        "这个定义是条件，不能参与计算",
                    ));
                    None
                }
            };
        }
        if let Some(owners) = self.vocab.enum_values.get(&n.text).cloned() {
            return match owners.as_slice() {
                [(fact, idx)] => Some((Expr::Lit(Value::Enum(*idx), loc), Kind::Enum(*fact))),
                _ => {
                    self.errors.push(self.ambiguous(file, n, &owners));
                    None
                }
            };
        }
        if n.quoted {
            return Some((
                Expr::Lit(Value::Text(n.text.as_str().into()), loc),
                Kind::Text,
            ));
        }
        self.errors.push(self.unknown_word(file, n));
        None
    }

    fn money_expr(&mut self, file: FileId, e: &ast::Expr) -> Option<Expr> {
        let (x, k) = self.expr(file, e, None)?;
        if k != Kind::Money {
            self.errors.push(self.wrong_kind(
                file,
                e.span(),
                "金额",
                &k,
                "给予的应是金额，如 20万元 或 研发投入 的 20%",
            ));
            return None;
        }
        Some(x)
    }

    // ───────────── policies and clauses ─────────────

    fn policy(&mut self, file: FileId, p: &ast::Policy) -> (PolicyDef, Vec<ast::Case>) {
        let publish: Option<Option<NaiveDate>> = p.items.iter().find_map(|i| match i {
            ast::PolicyItem::Publish(d) => Some(d.node),
            _ => None,
        });
        let mut def = PolicyDef {
            title: Some(p.title.node.clone()),
            loc: Resolver::loc(file, p.title.span),
            window: None,
            provenance: None,
            lead: vec![],
            scope: None,
            share: None,
            overlap: None,
            total_cap: None,
            budget: None,
            clauses: vec![],
            allows: vec![],
        };
        let mut cases = Vec::new();
        let mut labels = HashMap::new();
        for item in &p.items {
            match item {
                ast::PolicyItem::Window(w) => def.window = self.window(file, w, publish),
                ast::PolicyItem::Publish(_) => {}
                ast::PolicyItem::Provenance(lines) => def.provenance = self.provenance(file, lines),
                ast::PolicyItem::Lead(names) => {
                    def.lead = names.iter().map(|n| n.text.clone()).collect()
                }
                ast::PolicyItem::Scope(c) => def.scope = self.cond(file, c),
                ast::PolicyItem::Share(s) => def.share = self.share(file, s),
                ast::PolicyItem::Overlap(o) => def.overlap = Some(o.node),
                ast::PolicyItem::TotalCap { cap, per_year } => {
                    def.total_cap = Some((cap.node, *per_year))
                }
                ast::PolicyItem::Budget(b) => def.budget = Some(b.node),
                ast::PolicyItem::Define(_) => {}
                ast::PolicyItem::Allow(a) => def.allows.extend(a.iter().map(|s| s.node.clone())),
                ast::PolicyItem::Case(c) => cases.push(c.clone()),
                ast::PolicyItem::Clause(c) => {
                    let idx = def.clauses.len();
                    if let Some(cd) = self.clause(file, c, idx, publish, &mut labels) {
                        def.clauses.push(cd);
                    }
                }
            }
        }
        (def, cases)
    }

    /// `出处 第A行 至 第B行`, kept only when A ≤ B.
    fn provenance(
        &mut self,
        file: FileId,
        lines: &crate::source::Spanned<(u32, u32)>,
    ) -> Option<(u32, u32)> {
        let (first, last) = lines.node;
        if first > last {
            self.errors.push(CheckError::ProvenanceReversed {
                src: self.src(file),
                span: to_sspan(lines.span),
                first,
                last,
            });
            return None;
        }
        Some((first, last))
    }

    fn window(
        &mut self,
        file: FileId,
        w: &crate::source::Spanned<ast::Window>,
        publish: Option<Option<NaiveDate>>,
    ) -> Option<WindowDef> {
        // Ok(None): depends on a publication date the text does not give.
        let point = |p: &ast::WindowPoint| -> Result<Option<NaiveDate>, String> {
            match p {
                ast::WindowPoint::Date(d) => Ok(Some(*d)),
                ast::WindowPoint::Published(delay) => {
                    if let Some((n, u)) = delay {
                        check_duration(*n, u)?;
                    }
                    let Some(base) = publish.flatten() else {
                        return Ok(None);
                    };
                    match delay {
                        None => Ok(Some(base)),
                        Some((n, u)) => add_duration(base, *n, u).map(Some),
                    }
                }
            }
        };
        let uses_publish = matches!(w.node.start, ast::WindowPoint::Published(_))
            || matches!(
                w.node.end,
                ast::WindowEnd::At(ast::WindowPoint::Published(_))
            );
        if uses_publish && publish.is_none() {
            self.errors.push(CheckError::BadWindow {
                src: self.src(file),
                span: to_sspan(w.span),
            });
        }
        let ends = point(&w.node.start).and_then(|start| {
            let end = match &w.node.end {
                ast::WindowEnd::Open => Ok((None, true)),
                ast::WindowEnd::At(p) => point(p).map(|e| (e, e.is_some())),
                ast::WindowEnd::For(n, u) => match start {
                    Some(s) => add_duration(s, *n, u).map(|e| {
                        let e = e.pred_opt();
                        (e, e.is_some())
                    }),
                    None => check_duration(*n, u).map(|()| (None, false)),
                },
            }?;
            Ok((start, end))
        });
        let (start, (end, end_known)) = match ends {
            Ok(x) => x,
            Err(reason) => {
                self.errors.push(CheckError::WindowLength {
                    src: self.src(file),
                    span: to_sspan(w.span),
                    reason,
                });
                return None;
            }
        };
        let Some(start) = start.filter(|_| end_known) else {
            return Some(WindowDef::Unpublished { start, end });
        };
        if let Some(e) = end
            && e < start
        {
            self.errors.push(CheckError::WindowReversed {
                src: self.src(file),
                span: to_sspan(w.span),
            });
        }
        Some(WindowDef::Dates(start, end))
    }

    fn share(&mut self, file: FileId, s: &crate::source::Spanned<ast::Share>) -> Option<ShareDef> {
        match &s.node {
            ast::Share::BySystem => Some(ShareDef::BySystem),
            ast::Share::Payers(payers) => {
                let sum = payers
                    .iter()
                    .try_fold(Decimal::ZERO, |a, (_, r)| a.checked_add(r.0));
                if sum != Some(Decimal::ONE) {
                    self.errors.push(CheckError::SharesSum {
                        src: self.src(file),
                        span: to_sspan(s.span),
                        sum: sum.map_or_else(
                            || "超出可表示的范围".to_string(),
                            |x| crate::num::Ratio(x).to_string(),
                        ),
                    });
                    return None;
                }
                Some(ShareDef::Payers(
                    payers.iter().map(|(n, r)| (n.text.clone(), r.0)).collect(),
                ))
            }
        }
    }

    fn clause(
        &mut self,
        file: FileId,
        c: &ast::Clause,
        _idx: usize,
        publish: Option<Option<NaiveDate>>,
        labels: &mut HashMap<String, Span>,
    ) -> Option<ClauseDef> {
        let loc = Resolver::loc(file, c.span);
        let (label, labelled) = match &c.label {
            Some(l) => {
                if let Some(first) = labels.get(&l.text) {
                    self.errors.push(CheckError::DuplicateLabel {
                        src: self.src(file),
                        span: to_sspan(l.span),
                        label: l.text.clone(),
                        first: to_sspan(*first),
                    });
                } else {
                    labels.insert(l.text.clone(), l.span);
                }
                (l.text.clone(), true)
            }
            None => {
                let line = self.lines.get(file).map_or(0, |l| l.line(c.span.start));
                let name = self
                    .files
                    .get(file)
                    .map_or("?".into(), |f| f.name.to_string());
                (format!("{name}:{line}"), false)
            }
        };
        let cond = self.cond(file, &c.cond);
        let action = self.action(file, c);
        let mut source = None;
        let mut also_cites = Vec::new();
        let mut matter = None;
        let mut window = None;
        let mut share = None;
        let mut allows = Vec::new();
        for a in &c.attrs {
            match a {
                ast::ClauseAttr::Source(s) if source.is_none() => source = Some(s.node.clone()),
                ast::ClauseAttr::Source(s) => also_cites.push(s.node.clone()),
                ast::ClauseAttr::Matter(m) => matter = Some(m.text.clone()),
                ast::ClauseAttr::Window(w) => window = self.window(file, w, publish),
                ast::ClauseAttr::Share(s) => share = self.share(file, s),
                ast::ClauseAttr::Allow(x) => allows.extend(x.iter().map(|s| s.node.clone())),
            }
        }
        let (action, tiers) = action?;
        Some(ClauseDef {
            explicit_matter: matter.is_some(),
            matter: matter.unwrap_or_else(|| label.clone()),
            label,
            labelled,
            cond: cond?,
            tiers,
            action,
            source,
            also_cites,
            window,
            share,
            loc,
            allows,
        })
    }

    fn action(&mut self, file: FileId, c: &ast::Clause) -> Option<(Action, Vec<Cond>)> {
        Some(match &c.action.node {
            ast::Action::Grant(g) => {
                let (amount, tiers) = self.grant_amount(file, &g.amount, &c.cond)?;
                (
                    Action::Grant {
                        amount,
                        extra: g.extra,
                        name: g.name.as_ref().map(|n| n.node.clone()),
                    },
                    tiers,
                )
            }
            ast::Action::Exempt(t) => (Action::Exempt(t.node.clone()), vec![]),
            ast::Action::Permit(t) => (Action::Permit(t.node.clone()), vec![]),
            ast::Action::Prohibit(n) | ast::Action::Oblige(n) => {
                let id = self.cond_word(file, n)?;
                let a = if matches!(c.action.node, ast::Action::Prohibit(_)) {
                    Action::Prohibit(id)
                } else {
                    Action::Oblige(id)
                };
                (a, vec![])
            }
        })
    }

    fn grant_amount(
        &mut self,
        file: FileId,
        g: &ast::GrantAmount,
        cond: &ast::Cond,
    ) -> Option<(GrantAmount, Vec<Cond>)> {
        match g {
            ast::GrantAmount::Single(a) => {
                let core = self.amount_core(file, &a.core);
                let cap = match &a.cap {
                    Some(c) => Some(self.money_expr(file, c)?),
                    None => None,
                };
                Some((
                    GrantAmount::Single(Amount {
                        bound: a.bound,
                        core: core?,
                        cap,
                    }),
                    vec![],
                ))
            }
            ast::GrantAmount::Discretionary { cap, .. } => {
                let cap = match cap {
                    Some(c) => Some(self.money_expr(file, c)?),
                    None => None,
                };
                Some((GrantAmount::Discretionary { cap }, vec![]))
            }
            ast::GrantAmount::Tiers {
                bound,
                items,
                cap,
                span,
            } => {
                let Some(list) = tier_list(cond) else {
                    self.errors.push(CheckError::TiersWithoutList {
                        src: self.src(file),
                        span: to_sspan(cond.span()),
                    });
                    return None;
                };
                if list.len() != items.len() {
                    self.errors.push(CheckError::TierCount {
                        src: self.src(file),
                        cond_span: to_sspan(list_span(&list)),
                        amount_span: to_sspan(*span),
                        conditions: list.len(),
                        amounts: items.len(),
                    });
                    return None;
                }
                // The tiers are parts of the clause's condition, which has
                // already reported its errors: do not report them twice.
                let reported = self.errors.len();
                let tiers: Vec<Option<Cond>> = list.iter().map(|c| self.cond(file, c)).collect();
                self.errors.truncate(reported);
                let cores: Vec<Option<AmountCore>> =
                    items.iter().map(|i| self.amount_core(file, i)).collect();
                let cap = match cap {
                    Some(c) => Some(self.money_expr(file, c)?),
                    None => None,
                };
                Some((
                    GrantAmount::Tiers {
                        bound: *bound,
                        items: cores.into_iter().collect::<Option<Vec<_>>>()?,
                        cap,
                    },
                    tiers.into_iter().collect::<Option<Vec<_>>>()?,
                ))
            }
        }
    }

    fn amount_core(&mut self, file: FileId, a: &ast::AmountCore) -> Option<AmountCore> {
        match a {
            ast::AmountCore::Expr(e) => self.money_expr(file, e).map(AmountCore::Expr),
            ast::AmountCore::PerUnit {
                fact,
                unit,
                bound,
                rate,
                span,
            } => {
                let fact_id = match fact {
                    Some(n) => {
                        let Some(&id) = self.vocab.by_name.get(&n.text) else {
                            self.errors.push(self.unknown_word(file, n));
                            return None;
                        };
                        match self.vocab.get(id).map(|f| f.ty.clone()) {
                            Some(Ty::Quantity(u)) if u == unit.node => id,
                            Some(Ty::Quantity(u)) => {
                                self.errors.push(CheckError::UnitMismatch {
                                    src: self.src(file),
                                    span: to_sspan(unit.span),
                                    unit: unit.node.clone(),
                                    fact: n.text.clone(),
                                    fact_unit: u.clone(),
                                    help: format!("改成 每{u}，或换一个以{}计的事实", unit.node),
                                });
                                return None;
                            }
                            Some(t) => {
                                let k = ty_kind(&t, id);
                                self.errors.push(self.wrong_kind(
                                    file,
                                    n.span,
                                    "数量",
                                    &k,
                                    "按单位计算的金额需要一个 数量(单位) 类型的事实",
                                ));
                                return None;
                            }
                            None => return None,
                        }
                    }
                    None => {
                        let matching: Vec<FactId> = self
                            .vocab
                            .facts
                            .iter()
                            .enumerate()
                            .filter(|(_, f)| f.ty == Ty::Quantity(unit.node.clone()))
                            .map(|(i, _)| i)
                            .collect();
                        match matching.as_slice() {
                            [one] => *one,
                            _ => {
                                let names: Vec<&str> =
                                    matching.iter().map(|i| self.vocab.name(*i)).collect();
                                let help = if names.is_empty() {
                                    format!(
                                        "词汇中没有以{}计的 数量 事实；声明一个，如 数量({})",
                                        unit.node, unit.node
                                    )
                                } else {
                                    format!(
                                        "有多个以{}计的事实（{}）；写明按哪个，如 按 {} 每{} …",
                                        unit.node,
                                        names.join("、"),
                                        names.first().copied().unwrap_or(""),
                                        unit.node
                                    )
                                };
                                self.errors.push(CheckError::PerUnitFact {
                                    src: self.src(file),
                                    span: to_sspan(unit.span),
                                    unit: unit.node.clone(),
                                    help,
                                });
                                return None;
                            }
                        }
                    }
                };
                let rate = self.money_expr(file, rate)?;
                Some(AmountCore::PerUnit {
                    fact: fact_id,
                    bound: *bound,
                    rate,
                    loc: Resolver::loc(file, *span),
                })
            }
        }
    }

    // ───────────── cases ─────────────

    fn case(
        &mut self,
        file: FileId,
        policy: Option<PolicyId>,
        c: &ast::Case,
        program: &Program,
    ) -> Option<CaseDef> {
        let mut facts: Vec<Option<Value>> = vec![None; program.vocab.facts.len()];
        let mut ok = true;
        for (n, v) in &c.facts {
            let Some(&id) = program.vocab.by_name.get(&n.text) else {
                self.errors.push(self.unknown_word(file, n));
                ok = false;
                continue;
            };
            let Some(decl) = program.vocab.get(id) else {
                continue;
            };
            match case_value(&decl.ty, &v.node) {
                Ok(val) => {
                    if let Some(slot) = facts.get_mut(id) {
                        *slot = Some(val);
                    }
                }
                Err(help) => {
                    self.errors.push(CheckError::CaseFact {
                        src: self.src(file),
                        span: to_sspan(v.span),
                        fact: n.text.clone(),
                        ty: decl.ty.describe(),
                        help,
                    });
                    ok = false;
                }
            }
        }
        let date = c.date.as_ref().map(|d| d.node);
        if date.is_none() {
            self.errors.push(CheckError::CaseShape {
                src: self.src(file),
                span: to_sspan(c.name.span),
                case: c.name.node.clone(),
                problem: "缺少 日期".into(),
            });
            ok = false;
        }
        let mut expectations = Vec::new();
        for e in &c.expectations {
            let loc = Resolver::loc(file, e.span);
            match &e.target {
                ast::ExpectTarget::Total => expectations.push(ExpectDef {
                    clause: None,
                    expected: e.outcome.clone(),
                    loc,
                }),
                ast::ExpectTarget::Clause {
                    policy: title,
                    label,
                } => {
                    let pid = match title {
                        Some(t) => program
                            .policies
                            .iter()
                            .position(|p| p.title.as_deref() == Some(t.node.as_str())),
                        None => policy.or_else(|| {
                            program.policies.iter().position(|p| {
                                p.title.is_none()
                                    && p.loc.file == file
                                    && p.clauses.iter().any(|c| c.label == label.text)
                            })
                        }),
                    };
                    let found = pid.and_then(|pid| {
                        program
                            .policies
                            .get(pid)
                            .and_then(|p| p.clauses.iter().position(|c| c.label == label.text))
                            .map(|ci| (pid, ci))
                    });
                    match found {
                        Some(r) => expectations.push(ExpectDef {
                            clause: Some(r),
                            expected: e.outcome.clone(),
                            loc,
                        }),
                        None => {
                            let candidates: Vec<&str> = pid
                                .and_then(|p| program.policies.get(p))
                                .map(|p| p.clauses.iter().map(|c| c.label.as_str()).collect())
                                .unwrap_or_default();
                            let help = match title {
                                Some(t) if pid.is_none() => {
                                    format!("没有载入标题为《{}》的政策", t.node)
                                }
                                _ => did_you_mean(
                                    &similar(&label.text, candidates),
                                    "检查条款编号；引用其他政策的条款写成 《标题》第三条",
                                ),
                            };
                            self.errors.push(CheckError::UnknownClause {
                                src: self.src(file),
                                span: to_sspan(label.span),
                                reference: label.text.clone(),
                                help,
                            });
                            ok = false;
                        }
                    }
                }
            }
        }
        ok.then(|| CaseDef {
            name: c.name.node.clone(),
            loc: Resolver::loc(file, c.span),
            policy,
            facts,
            date,
            expectations,
        })
    }
}

/// Reads a fact written in a 案例 against its declared type.
pub fn case_value(ty: &Ty, v: &FactLiteral) -> Result<Value, String> {
    match (ty, v) {
        (Ty::Bool, FactLiteral::Bool(b)) => Ok(Value::Bool(*b)),
        (Ty::Money, FactLiteral::Lit(Literal::Money(m))) => Ok(Value::Money(*m)),
        (Ty::Money, FactLiteral::Lit(Literal::Number(n))) => {
            Ok(Value::Money(crate::num::Money(*n)))
        }
        (Ty::Ratio, FactLiteral::Lit(Literal::Ratio(r))) => Ok(Value::Ratio(*r)),
        (Ty::Date, FactLiteral::Lit(Literal::Date(d))) => Ok(Value::Date(*d)),
        (Ty::Quantity(u), FactLiteral::Lit(Literal::Quantity(n, u2))) if u == u2 => {
            Ok(Value::Quantity(*n))
        }
        (Ty::Quantity(_), FactLiteral::Lit(Literal::Number(n))) => Ok(Value::Quantity(*n)),
        (Ty::Text, FactLiteral::Word(w)) => Ok(Value::Text(w.as_str().into())),
        (Ty::Enum { values, .. }, FactLiteral::Word(w)) => values
            .iter()
            .position(|x| x == w)
            .map(Value::Enum)
            .ok_or_else(|| {
                did_you_mean(
                    &similar(w, values.iter().map(String::as_str)),
                    &format!("可选的取值：{}", values.join("、")),
                )
            }),
        (Ty::Bool, _) => Err("写 是 或 否".into()),
        (Ty::Money, _) => Err("写成金额，如 800万元".into()),
        (Ty::Ratio, _) => Err("写成比例，如 20%".into()),
        (Ty::Date, _) => Err("写成日期，如 2024年6月1日".into()),
        (Ty::Quantity(u), _) => Err(format!("写成数量，如 2{u}")),
        (Ty::Text, _) => Err("文本请加引号，如 “杭州市”".into()),
        (Ty::Enum { values, .. }, _) => Err(format!("可选的取值：{}", values.join("、"))),
    }
}

fn literal_value(l: &Literal) -> (Value, Kind) {
    match l {
        Literal::Money(m) => (Value::Money(*m), Kind::Money),
        Literal::Ratio(r) => (Value::Ratio(*r), Kind::Ratio),
        Literal::Date(d) => (Value::Date(*d), Kind::Date),
        Literal::Quantity(n, u) => (Value::Quantity(*n), Kind::Quantity(u.clone())),
        Literal::Number(n) => (Value::Number(*n), Kind::Number),
        Literal::Text(t) => (Value::Text(t.as_str().into()), Kind::Text),
    }
}

fn ty_kind(ty: &Ty, id: FactId) -> Kind {
    match ty {
        Ty::Bool => Kind::Bool,
        Ty::Money => Kind::Money,
        Ty::Ratio => Kind::Ratio,
        Ty::Date => Kind::Date,
        Ty::Text => Kind::Text,
        Ty::Quantity(u) => Kind::Quantity(u.clone()),
        Ty::Enum { .. } => Kind::Enum(id),
    }
}

/// Whether two kinds can be compared (a bare number reads in the other
/// side's unit; a ratio compares with a plain fraction).
fn comparable(a: &Kind, b: &Kind) -> bool {
    a == b
        || matches!(
            (a, b),
            (Kind::Number, Kind::Ratio)
                | (Kind::Ratio, Kind::Number)
                | (Kind::Number, Kind::Quantity(_))
                | (Kind::Quantity(_), Kind::Number)
        )
}

/// The kind of `a op b`, or `None` when they cannot be combined.
pub fn arith_kind(op: ArithOp, a: &Kind, b: &Kind) -> Option<Kind> {
    use Kind::*;
    let scalar = |k: &Kind| matches!(k, Ratio | Number);
    match op {
        ArithOp::Add | ArithOp::Sub => match (a, b) {
            _ if a == b && matches!(a, Money | Ratio | Number | Quantity(_)) => Some(a.clone()),
            (Ratio, Number) | (Number, Ratio) => Some(Ratio),
            (Quantity(_), Number) => Some(a.clone()),
            (Number, Quantity(_)) => Some(b.clone()),
            _ => None,
        },
        ArithOp::Mul => match (a, b) {
            (Money, k) | (k, Money) if scalar(k) || matches!(k, Quantity(_)) => Some(Money),
            (Ratio, Ratio) | (Ratio, Number) | (Number, Ratio) => Some(Ratio),
            (Number, Number) => Some(Number),
            (Quantity(_), k) if scalar(k) => Some(a.clone()),
            (k, Quantity(_)) if scalar(k) => Some(b.clone()),
            _ => None,
        },
        ArithOp::Div => match (a, b) {
            (Money, k) if scalar(k) || matches!(k, Quantity(_)) => Some(Money),
            (Money, Money) => Some(Ratio),
            (Ratio, k) if scalar(k) => Some(Ratio),
            (Number, Number) => Some(Number),
            (Quantity(u), Quantity(v)) if u == v => Some(Ratio),
            (Quantity(_), k) if scalar(k) => Some(a.clone()),
            _ => None,
        },
    }
}

/// Whether `n` of `unit` is a period of time: a whole number of a time
/// unit.
fn check_duration(n: Decimal, unit: &str) -> Result<(), String> {
    if !matches!(unit, "年" | "个月" | "周" | "日" | "天" | "工作日") {
        return Err(format!("“{unit}”不是时间单位"));
    }
    if n.fract() != Decimal::ZERO {
        return Err(format!("{}{unit} 不是整数", n.normalize()));
    }
    Ok(())
}

/// `d` moved on by `n` of a time unit; `Err` says why that cannot be
/// done (a unit that is not a time, a fraction, a date beyond the
/// calendar), so that a window is never silently misread.
fn add_duration(d: NaiveDate, n: Decimal, unit: &str) -> Result<NaiveDate, String> {
    check_duration(n, unit)?;
    let beyond = || format!("{d} 之后 {}{unit} 超出了日历范围", n.normalize());
    let n = n.to_u32().ok_or_else(beyond)?;
    match unit {
        "年" => n
            .checked_mul(12)
            .and_then(|m| d.checked_add_months(Months::new(m))),
        "个月" => d.checked_add_months(Months::new(n)),
        "周" => d.checked_add_signed(Duration::days(i64::from(n) * 7)),
        _ => d.checked_add_signed(Duration::days(i64::from(n))),
    }
    .ok_or_else(beyond)
}

/// The tier list of a 分别 clause: a 、-list, or `X 为 A、B、C`, found at the
/// top of the condition or among its 且 parts.
fn tier_list(c: &ast::Cond) -> Option<Vec<ast::Cond>> {
    match c {
        ast::Cond::List(items, _) => Some(items.clone()),
        ast::Cond::Compare(cmp) if cmp.op == CmpOp::Eq && cmp.rhs.len() > 1 => Some(
            cmp.rhs
                .iter()
                .map(|r| {
                    ast::Cond::Compare(ast::Compare {
                        lhs: cmp.lhs.clone(),
                        op: CmpOp::Eq,
                        rhs: vec![r.clone()],
                        contradictory: false,
                        op_span: cmp.op_span,
                        span: r.span(),
                    })
                })
                .collect(),
        ),
        ast::Cond::And(items, _) => items.iter().find_map(tier_list),
        _ => None,
    }
}

fn list_span(list: &[ast::Cond]) -> Span {
    let first = list.first().map(ast::Cond::span).unwrap_or_default();
    list.iter().fold(first, |acc, c| acc.to(c.span()))
}

fn collect_params_action(a: &Action, out: &mut Vec<(ParamId, Loc)>) {
    let Action::Grant { amount, .. } = a else {
        return;
    };
    let mut exprs: Vec<&Expr> = Vec::new();
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
    }
    for e in exprs {
        collect_params_expr(e, out);
    }
}

fn collect_params_cond(c: &Cond, out: &mut Vec<(ParamId, Loc)>) {
    match c {
        Cond::Fact(..) | Cond::EnumIs(..) | Cond::True => {}
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

fn push_core<'a>(c: &'a AmountCore, out: &mut Vec<&'a Expr>) {
    match c {
        AmountCore::Expr(e) => out.push(e),
        AmountCore::PerUnit { rate, .. } => out.push(rate),
    }
}

fn collect_params_expr(e: &Expr, out: &mut Vec<(ParamId, Loc)>) {
    match e {
        Expr::Param(p, l) => out.push((*p, *l)),
        Expr::Lit(..) | Expr::Fact(..) => {}
        Expr::Arith { first, rest, .. } => {
            collect_params_expr(first, out);
            for (_, r) in rest {
                collect_params_expr(r, out);
            }
        }
        Expr::Of {
            base,
            base_cap,
            shares,
            ..
        } => {
            collect_params_expr(base, out);
            if let Some(c) = base_cap {
                collect_params_expr(c, out);
            }
            for s in shares {
                collect_params_expr(s, out);
            }
        }
        Expr::Call { args, .. } => {
            for a in args {
                collect_params_expr(a, out);
            }
        }
        Expr::Band {
            subject,
            bound,
            rate,
            ..
        } => {
            collect_params_expr(subject, out);
            collect_params_expr(bound, out);
            collect_params_expr(rate, out);
        }
        Expr::Neg(i, _) | Expr::Named { body: i, .. } => collect_params_expr(i, out),
    }
}
