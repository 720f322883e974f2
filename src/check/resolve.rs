//! Names and types: every word resolved to a fact slot, definition,
//! parameter or enumeration value; every expression given a kind; the
//! checked `Program` built. Reports every error it finds, not just the
//! first.

use std::collections::HashMap;

use miette::{NamedSource, SourceSpan};

use super::error::CheckError;
use super::suggest::{did_you_mean, similar};
use crate::ast::{self};
use crate::program::*;
use crate::source::{LineIndex, SourceFile, Span};

mod case;
mod cond;
mod declare;
mod expr;
mod policy;
mod published;
mod range;
mod schedule;
mod units;

pub use case::case_value;
pub use expr::arith_kind;

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
pub(super) const MAX_NESTING: usize = 128;

/// How much definitions may expand the program, in weight (see
/// `Resolved::weight`). Every use copies its definition's body, so a chain
/// of definitions that each use the previous one twice would otherwise
/// double the program at every link. Real policy sets stay below a
/// thousandth of this.
pub(super) const MAX_EXPANSION: usize = 1_000_000;

/// The resolver's state.
pub(super) struct Resolver {
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
    /// What each titled policy's text says about its publication.
    publish_states: Vec<published::PublishState>,
    /// Valid assumed publication dates by title (command line).
    assumed: HashMap<String, chrono::NaiveDate>,
    /// Units already reported unknown in a file: once each is enough.
    unknown_units: std::collections::HashSet<(FileId, String)>,
    /// The list whose item is being read (the amount and 其中 of a 每项
    /// grant): only there are its fields values.
    item_list: Option<FactId>,
    /// While a `给予 额度` grant's amount is read: the kind its parts are
    /// in, once the first is read (money or one unit's quantity).
    quota: Option<Option<Kind>>,
    /// Errors found so far.
    pub errors: Vec<CheckError>,
}

fn to_sspan(span: Span) -> SourceSpan {
    span.into()
}

impl Resolver {
    fn src(&self, file: FileId) -> NamedSource<std::sync::Arc<str>> {
        SourceFile::named_in(&self.files, file)
    }

    fn loc(file: FileId, span: Span) -> Loc {
        Loc { file, span }
    }

    /// Whether fact `id` may be read here: a list never as a value, a
    /// field only inside its own list's 每项. Reports why not.
    fn fact_use(&mut self, file: FileId, span: Span, id: FactId) -> bool {
        let Some(decl) = self.vocab.get(id) else {
            return true;
        };
        if decl.ty == Ty::List {
            self.errors.push(CheckError::ItemList {
                src: self.src(file),
                span: to_sspan(span),
                word: decl.name.clone(),
                problem: "列表事实不是一个值，只能写在 每项 之后".into(),
            });
            return false;
        }
        match decl.list {
            Some(l) if self.item_list != Some(l) => {
                self.errors.push(CheckError::ItemField {
                    src: self.src(file),
                    span: to_sspan(span),
                    field: decl.name.clone(),
                    list: self.vocab.name(l).to_string(),
                });
                false
            }
            _ => true,
        }
    }

    /// Resolves all modules into a program, policies written `发布 未定`
    /// read with the publication dates `assumptions` gives them.
    pub(super) fn run(
        modules: &[ast::Module],
        assumptions: &crate::check::Assumptions,
    ) -> (Program, Vec<CheckError>) {
        let mut r = Resolver::new(modules);
        let states = std::mem::take(&mut r.publish_states);
        r.assumed = r.check_assumptions(&states, &assumptions.published);
        r.publish_states = states;
        r.collect_units(modules);
        r.collect_vocab(modules);
        r.check_value_names(modules);
        r.collect_defs(modules);
        r.collect_params(modules);
        for n in std::mem::take(&mut r.def_order) {
            r.resolve_def(&n, None);
        }
        let mut program = Program {
            files: r.files.clone(),
            assumed_published: assumptions
                .published
                .iter()
                .filter(|a| r.assumed.get(&a.title) == Some(&a.date))
                .map(|a| (a.title.clone(), a.date))
                .collect(),
            ..Program::default()
        };
        let mut pending_cases: Vec<(FileId, Option<PolicyId>, ast::Case)> = Vec::new();
        for (file, m) in modules.iter().enumerate() {
            r.module(file, m, &mut program, &mut pending_cases);
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

    /// A resolver with nothing collected yet.
    fn new(modules: &[ast::Module]) -> Resolver {
        Resolver {
            files: modules.iter().map(|m| m.source.clone()).collect(),
            lines: modules
                .iter()
                .map(|m| LineIndex::new(&m.source.text))
                .collect(),
            vocab: Vocab::default(),
            item_list: None,
            quota: None,
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
            publish_states: published::publish_states(modules),
            assumed: HashMap::new(),
            unknown_units: std::collections::HashSet::new(),
            errors: Vec::new(),
        }
    }

    /// One module's policies and top-level clauses into `program`; its
    /// 案例 wait in `pending_cases` until the vocabulary is complete.
    fn module(
        &mut self,
        file: FileId,
        m: &ast::Module,
        program: &mut Program,
        pending_cases: &mut Vec<(FileId, Option<PolicyId>, ast::Case)>,
    ) {
        let file_allows: Vec<String> = m
            .items
            .iter()
            .filter_map(|i| match i {
                ast::Item::Allow(a) => Some(a.names.iter().map(|s| s.node.clone())),
                _ => None,
            })
            .flatten()
            .collect();
        let mut top = PolicyDef {
            allows: file_allows.clone(),
            ..PolicyDef::empty(None, Resolver::loc(file, Span::new(0, 0)))
        };
        let mut top_labels = HashMap::new();
        for item in &m.items {
            match item {
                ast::Item::Policy(p) => {
                    self.duplicate_policy(file, p, program);
                    let id = program.policies.len();
                    let (mut def, cases) = self.policy(file, p);
                    def.allows.extend(file_allows.iter().cloned());
                    program.policies.push(def);
                    pending_cases.extend(cases.into_iter().map(|c| (file, Some(id), c)));
                }
                ast::Item::Clause(c) => {
                    let idx = top.clauses.len();
                    if let Some(cd) = self.clause(file, c, idx, None, &mut top_labels) {
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

    /// A second policy of a title already loaded.
    fn duplicate_policy(&mut self, file: FileId, p: &ast::Policy, program: &Program) {
        if let Some(first) = program
            .policies
            .iter()
            .find(|q| q.title.as_deref() == Some(p.title.node.as_str()))
        {
            let first = program.position(first.loc);
            self.errors.push(CheckError::DuplicatePolicy {
                src: self.src(file),
                span: to_sspan(p.title.span),
                title: p.title.node.clone(),
                first,
            });
        }
    }

    // ───────────── declarations ─────────────

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
        if let Some(e) = self.currency_mismatch(file, ls, lk, rs, rk, verb) {
            return e;
        }
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
            (Kind::Rank, _) | (_, Kind::Rank) => format!(
                "名次只与名次比较：写成 第3名、前5名 这样的名次，不写数字或数量（5名 是人数）；左边是{left}，右边是{right}"
            ),
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

    /// Two amounts in different currencies: the foreign side is the
    /// offending one (the right one when both are foreign).
    pub(super) fn currency_mismatch(
        &self,
        file: FileId,
        ls: Span,
        lk: &Kind,
        rs: Span,
        rk: &Kind,
        verb: &str,
    ) -> Option<CheckError> {
        let (lc, rc) = (expr::currency_of(lk)?, expr::currency_of(rk)?);
        if lc == rc {
            return None;
        }
        let (span, foreign, other_span, other) = match (lc, rc) {
            (_, Some(r)) => (rs, r, ls, lc),
            (Some(l), None) => (ls, l, rs, None),
            (None, None) => return None,
        };
        let other_word = other.map_or("元", |c| c.word()).to_string();
        let rate = self
            .params
            .iter()
            .find(|p| p.kind == Kind::Rate(foreign))
            .map_or_else(|| format!("{foreign}汇率"), |p| p.name.clone());
        let declare = if self.params.iter().any(|p| p.kind == Kind::Rate(foreign)) {
            String::new()
        } else {
            format!(
                "（先声明 参数 {rate} {{ 2024年1月1日: {}元/{foreign} }}）",
                foreign.example_rate()
            )
        };
        let text = self.files.get(file).map_or("", |f| f.slice(span)).trim();
        let amount = if text.chars().any(char::is_whitespace) {
            format!("（{text}）")
        } else {
            text.to_string()
        };
        let help = format!(
            "{foreign}与{other_word}不能直接{verb}：把{foreign}金额折算成元，如 {amount} 按 {rate} 折算{declare}"
        );
        Some(CheckError::CurrencyMismatch {
            src: self.src(file),
            span: to_sspan(span),
            other_span: to_sspan(other_span),
            offending: foreign.word().to_string(),
            other: other_word,
            verb: verb.to_string(),
            help,
        })
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
        // A fraction anywhere but after 的 is read as a word.
        if crate::num::fraction_word(&n.text).is_some() {
            return CheckError::FractionAlone {
                src: self.src(file),
                span: to_sspan(n.span),
                text: n.text.clone(),
            };
        }
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
}
