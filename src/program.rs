//! The checked program: every word resolved to a fact slot, definition or
//! parameter, every expression typed. Built once by `check`, then evaluated
//! for any number of entities without a string lookup.

pub mod interval;
mod schedule;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::ast::{AmountKind, ArithOp, CmpOp, Func, OverlapRule};
use crate::currency::Currency;
use crate::num::{Money, Ratio};
use crate::source::{SourceFile, Span};

/// Index of a loaded file.
pub type FileId = usize;
/// Index of a fact in the vocabulary.
pub type FactId = usize;
/// Index of a parameter.
pub type ParamId = usize;
/// Index of a policy (top-level clauses of a file form an anonymous one).
pub type PolicyId = usize;

/// A place in a loaded file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Loc {
    /// The file.
    pub file: FileId,
    /// The bytes.
    pub span: Span,
}

/// Everything loaded and checked.
#[derive(Debug, Clone, Default)]
pub struct Program {
    /// The files, in load order.
    pub files: Vec<SourceFile>,
    /// The facts an entity can have.
    pub vocab: Vocab,
    /// Dated series.
    pub params: Vec<ParamDef>,
    /// Policies in load order.
    pub policies: Vec<PolicyDef>,
    /// Test cases in load order.
    pub cases: Vec<CaseDef>,
    /// Publication dates assumed for policies written `发布 未定`, as
    /// applied (title, date), in the order given.
    pub assumed_published: Vec<(String, NaiveDate)>,
}

impl Program {
    /// A file's source, for a diagnostic.
    pub fn named_source(&self, file: FileId) -> miette::NamedSource<std::sync::Arc<str>> {
        SourceFile::named_in(&self.files, file)
    }

    /// The text at a place.
    pub fn text(&self, loc: Loc) -> &str {
        self.files.get(loc.file).map_or("", |f| f.slice(loc.span))
    }

    /// `file:line` of a place.
    pub fn position(&self, loc: Loc) -> String {
        match self.files.get(loc.file) {
            Some(f) => format!("{}:{}", f.name, f.line_col(loc.span.start).0),
            None => "?".into(),
        }
    }

    /// Every clause with its policy.
    pub fn clauses(&self) -> impl Iterator<Item = (&PolicyDef, &ClauseDef)> {
        self.policies
            .iter()
            .flat_map(|p| p.clauses.iter().map(move |c| (p, c)))
    }
}

/// `{"标题": "2024-05-20"}`: the publication dates assumed, for the JSON
/// outputs (an empty object when none).
pub fn assumed_published_json(program: &Program) -> serde_json::Value {
    serde_json::Value::Object(
        program
            .assumed_published
            .iter()
            .map(|(t, d)| (t.clone(), serde_json::Value::String(d.to_string())))
            .collect(),
    )
}

/// `假定发布日期：《标题》 2024年5月20日` and a newline, for the human
/// outputs (empty when nothing was assumed).
pub fn assumed_published_line(program: &Program) -> String {
    if program.assumed_published.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = program
        .assumed_published
        .iter()
        .map(|(t, d)| format!("《{t}》 {}", crate::check::chinese_date(*d)))
        .collect();
    format!(
        "假定发布日期：{}（文本未定，按假定计算）\n",
        parts.join("；")
    )
}

/// The vocabulary: facts by slot and by name.
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    /// Declared facts by slot.
    pub facts: Vec<FactDecl>,
    /// Slot of each name.
    pub by_name: HashMap<String, FactId>,
    /// Enumerations holding each value: (fact, index of the value).
    pub enum_values: HashMap<String, Vec<(FactId, usize)>>,
    /// Units declared with `单位 …`, in the order first declared.
    pub units: Vec<String>,
    /// The fields of each list fact, in the order declared: an item's
    /// values ([`Value::List`]) are in this order.
    pub fields: HashMap<FactId, Vec<FactId>>,
}

impl Vocab {
    /// The declaration of a slot.
    pub fn get(&self, id: FactId) -> Option<&FactDecl> {
        self.facts.get(id)
    }

    /// The name of a slot.
    pub fn name(&self, id: FactId) -> &str {
        self.facts.get(id).map_or("?", |f| f.name.as_str())
    }
}

/// One declared fact.
#[derive(Debug, Clone, PartialEq)]
pub struct FactDecl {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: Ty,
    /// Where declared (first declaration).
    pub loc: Loc,
    /// For a field of a list's records: the list.
    pub list: Option<FactId>,
}

pub use crate::ast::Ty;

impl<V> Ty<V> {
    /// The kind of an expression that reads a fact of this type: `fact`
    /// names the enumeration, if it is one.
    pub fn kind(&self, fact: FactId) -> Kind {
        match self {
            Ty::Bool => Kind::Bool,
            Ty::Money => Kind::Money,
            Ty::Foreign(c) => Kind::Foreign(*c),
            Ty::Ratio => Kind::Ratio,
            Ty::Date => Kind::Date,
            Ty::Text => Kind::Text,
            Ty::Quantity(u) => Kind::Quantity(u.clone()),
            Ty::Rank => Kind::Rank,
            Ty::Enum { .. } => Kind::Enum(fact),
            Ty::List => Kind::List,
        }
    }
}

impl Ty {
    /// The type's name as a drafter writes it.
    pub fn describe(&self) -> String {
        match self {
            Ty::Enum { values, ordered } => values.join(if *ordered { " < " } else { " | " }),
            // The fact only matters to an enumeration's kind.
            other => other.kind(FactId::MAX).word(),
        }
    }
}

/// A runtime value. Quantities carry no unit: the checker proved units agree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// 元.
    Money(Money),
    /// An amount in a foreign currency, counted in its units.
    Foreign(Money, Currency),
    /// A fraction.
    Ratio(Ratio),
    /// A plain number.
    Number(Decimal),
    /// A count in the fact's unit.
    Quantity(Decimal),
    /// A date.
    Date(NaiveDate),
    /// 是 / 否.
    Bool(bool),
    /// A text.
    Text(Arc<str>),
    /// The index of an enumeration value.
    Enum(usize),
    /// A rank, 1 the best (never 0: every reader refuses it).
    Rank(u32),
    /// The items of a list fact, each its fields' values in the order of
    /// [`Vocab::fields`] (`None`: that field is missing).
    List(Arc<[Vec<Option<Value>>]>),
}

/// The static kind of an expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Kind {
    /// 金额.
    Money,
    /// 金额(美元): an amount in a foreign currency.
    Foreign(Currency),
    /// 7.1元/美元: 元 per unit of a foreign currency.
    Rate(Currency),
    /// 比例.
    Ratio,
    /// A plain number.
    Number,
    /// 数量(单位).
    Quantity(String),
    /// 日期.
    Date,
    /// 文本.
    Text,
    /// 是否.
    Bool,
    /// A value of the enumeration of this fact.
    Enum(FactId),
    /// 名次.
    Rank,
    /// A list fact: never a value of an expression (the checker refuses
    /// one anywhere but after 每项).
    List,
}

impl Kind {
    /// The kind's name as a drafter reads it.
    pub fn describe(&self, vocab: &Vocab) -> String {
        match self {
            Kind::Enum(f) => format!("{}的取值", vocab.name(*f)),
            other => other.word(),
        }
    }

    /// Whether a value of this kind is a magnitude: an amount, a rate, a
    /// ratio, a number or a quantity, which has shares (`X 的 20%`) and a
    /// larger or smaller (`较高者`). A date, a word, a yes/no, a rank or a
    /// list has neither.
    pub fn has_magnitude(&self) -> bool {
        matches!(
            self,
            Kind::Money
                | Kind::Foreign(_)
                | Kind::Rate(_)
                | Kind::Ratio
                | Kind::Number
                | Kind::Quantity(_)
        )
    }

    /// The one table of the words for kinds, and so for types: an
    /// enumeration, which has no word of its own, reads as its values.
    fn word(&self) -> String {
        match self {
            Kind::Money => "金额".into(),
            Kind::Foreign(c) => format!("金额({c})"),
            Kind::Rate(c) => format!("汇率(元/{c})"),
            Kind::Ratio => "比例".into(),
            Kind::Number => "数字".into(),
            Kind::Quantity(u) => format!("数量({u})"),
            Kind::Date => "日期".into(),
            Kind::Text => "文本".into(),
            Kind::Bool => "是否".into(),
            Kind::Enum(_) => "取值".into(),
            Kind::Rank => "名次".into(),
            Kind::List => "列表".into(),
        }
    }
}

/// A dated series.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamDef {
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: Kind,
    /// Values sorted by date.
    pub entries: Vec<(NaiveDate, Value)>,
    /// Where declared.
    pub loc: Loc,
}

impl ParamDef {
    /// The value in force on `date`.
    pub fn at(&self, date: NaiveDate) -> Option<&Value> {
        self.entry_at(date).map(|(_, v)| v)
    }

    /// The value in force on `date` with the date it took effect.
    pub fn entry_at(&self, date: NaiveDate) -> Option<(NaiveDate, &Value)> {
        self.entries
            .iter()
            .rev()
            .find(|(d, _)| *d <= date)
            .map(|(d, v)| (*d, v))
    }
}

/// A typed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A constant.
    Lit(Value, Loc),
    /// A fact's value.
    Fact(FactId, Loc),
    /// A parameter as of the evaluation date.
    Param(ParamId, Loc),
    /// `a + b`, `a × b` …
    Arith {
        /// First operand.
        first: Box<Expr>,
        /// The rest.
        rest: Vec<(ArithOp, Expr)>,
        /// Where.
        loc: Loc,
    },
    /// `X 的 P` with an optional cap on X.
    Of {
        /// The base.
        base: Box<Expr>,
        /// A cap on the base.
        base_cap: Option<Box<Expr>>,
        /// The factors.
        shares: Vec<Expr>,
        /// Where.
        loc: Loc,
    },
    /// 较高者 / 较低者.
    Call {
        /// Which.
        func: Func,
        /// Arguments.
        args: Vec<Expr>,
        /// Where.
        loc: Loc,
    },
    /// A rate on the part above (or up to) a threshold.
    Band {
        /// The amount.
        subject: Box<Expr>,
        /// Above (true) or up to (false).
        above: bool,
        /// The threshold.
        bound: Box<Expr>,
        /// The rate.
        rate: Box<Expr>,
        /// Where.
        loc: Loc,
    },
    /// An amount in a foreign currency times the rate in force: 元.
    Convert {
        /// The foreign amount.
        amount: Box<Expr>,
        /// The exchange rate (元 per unit).
        rate: Box<Expr>,
        /// Where.
        loc: Loc,
    },
    /// A defined amount, kept by name for explanations.
    Named {
        /// The definition's name.
        name: String,
        /// Its body.
        body: Box<Expr>,
        /// Where it was used.
        loc: Loc,
    },
    /// `受理日期 后 5个工作日`: a date moved on by `n` of `unit`, counted
    /// from the next day (see [`shift_date`]).
    Shift {
        /// The date.
        base: Box<Expr>,
        /// How many.
        n: u32,
        /// Of what.
        unit: TimeUnit,
        /// Written 前: moved back, counted from the day before.
        back: bool,
        /// Where.
        loc: Loc,
    },
}

pub use crate::ast::TimeUnit;
pub use schedule::{
    Cumulative, RunOfYears, Schedule, ScheduleRun, YearOf, run_end, run_of_years, schedule_start,
    year_of,
};

/// Why a date cannot be moved on by a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShiftError {
    /// Working days counted into days the calendar does not cover.
    Calendar(crate::calendar::CalendarUnknown),
    /// Past the last date there is.
    Overflow,
}

/// `d 后 n unit`: the period counts from the day after `d` (《民法典》第二百
/// 零一条：开始的当日不计入，自下一日开始计算), so `d 后 5日` is the fifth day
/// after `d` and `d 后 5个工作日` the fifth working day after it; months and
/// years end on the same day of the month, or the month's last day when it
/// has none (第二百零二条: 1月31日 后 1个月 is 2月28日 or 29日).
///
/// `d 前 n unit` (`back`) mirrors it, counting back from the day before
/// `d`: `d 前 3日` is the third day before `d`, `d 前 5个工作日` the fifth
/// working day before it, `3月31日 前 1个月` 2月28日 or 29日.
pub fn shift_date(
    d: NaiveDate,
    n: u32,
    unit: TimeUnit,
    back: bool,
) -> Result<NaiveDate, ShiftError> {
    use chrono::{Duration, Months};
    let days = |k: i64| {
        if back {
            d.checked_sub_signed(Duration::days(k))
        } else {
            d.checked_add_signed(Duration::days(k))
        }
    };
    let months = |m: u32| {
        if back {
            d.checked_sub_months(Months::new(m))
        } else {
            d.checked_add_months(Months::new(m))
        }
    };
    match unit {
        TimeUnit::WorkingDay => {
            return if back {
                crate::calendar::sub_working_days(d, n)
            } else {
                crate::calendar::add_working_days(d, n)
            }
            .map_err(ShiftError::Calendar);
        }
        TimeUnit::Day => days(i64::from(n)),
        TimeUnit::Week => days(i64::from(n) * 7),
        TimeUnit::Month => months(n),
        TimeUnit::Year => n.checked_mul(12).and_then(months),
    }
    .ok_or(ShiftError::Overflow)
}

/// `受理日期 2024-09-27 后 5个工作日 = 2024-10-11`: how a deadline was
/// computed, for explanations.
pub fn shift_text(
    program: &Program,
    base: &Expr,
    d: NaiveDate,
    n: u32,
    unit: TimeUnit,
    back: bool,
    out: NaiveDate,
) -> String {
    let what = match base {
        Expr::Fact(f, _) => format!("{} {d}", program.vocab.name(*f)),
        _ => d.to_string(),
    };
    let word = if back { "前" } else { "后" };
    format!("{what} {word} {n}{} = {out}", unit.word())
}

impl Expr {
    /// Where the expression was written.
    pub fn loc(&self) -> Loc {
        match self {
            Expr::Lit(_, l) | Expr::Fact(_, l) | Expr::Param(_, l) => *l,
            Expr::Arith { loc, .. }
            | Expr::Of { loc, .. }
            | Expr::Call { loc, .. }
            | Expr::Band { loc, .. }
            | Expr::Convert { loc, .. }
            | Expr::Named { loc, .. }
            | Expr::Shift { loc, .. } => *loc,
        }
    }

    /// Its direct subexpressions, in the order written: for traversals
    /// that only collect (facts, parameters) and need no case per variant.
    pub fn children(&self) -> impl Iterator<Item = &Expr> {
        let (one, two, three, many): (Option<&Expr>, Option<&Expr>, Option<&Expr>, &[Expr]) =
            match self {
                Expr::Lit(..) | Expr::Fact(..) | Expr::Param(..) => (None, None, None, &[]),
                Expr::Arith { first, .. } => (Some(first), None, None, &[]),
                Expr::Of {
                    base,
                    base_cap,
                    shares,
                    ..
                } => (Some(base), base_cap.as_deref(), None, shares),
                Expr::Call { args, .. } => (None, None, None, args),
                Expr::Band {
                    subject,
                    bound,
                    rate,
                    ..
                } => (Some(subject), Some(bound), Some(rate), &[]),
                Expr::Named { body, .. } => (Some(body), None, None, &[]),
                Expr::Convert { amount, rate, .. } => (Some(amount), Some(rate), None, &[]),
                Expr::Shift { base, .. } => (Some(base), None, None, &[]),
            };
        let rest = match self {
            Expr::Arith { rest, .. } => rest.as_slice(),
            _ => &[],
        };
        one.into_iter()
            .chain(two)
            .chain(three)
            .chain(many)
            .chain(rest.iter().map(|(_, e)| e))
    }
}

/// A typed condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// A yes/no fact holds.
    Fact(FactId, Loc),
    /// An enumeration fact has this value.
    EnumIs(FactId, usize, Loc),
    /// A comparison.
    Cmp {
        /// Left side.
        lhs: Expr,
        /// Operator.
        op: CmpOp,
        /// Right side(s): for = and ≠, any/none of them.
        rhs: Vec<Expr>,
        /// Where.
        loc: Loc,
    },
    /// All hold.
    And(Vec<Cond>, Loc),
    /// Any holds.
    Or(Vec<Cond>, Loc),
    /// Negation.
    Not(Box<Cond>, Loc),
    /// A defined condition, kept by name for explanations.
    Named {
        /// The definition's name.
        name: String,
        /// Its body.
        body: Box<Cond>,
        /// Where it was used.
        loc: Loc,
    },
    /// `自 上规日期 起 连续3年 在规`: the yes/no fact holds in each of
    /// the first `years` years counted from the date fact (year k read
    /// in the calendar year it begins, as a schedule's is).
    Consecutive {
        /// The date the years count from.
        event: FactId,
        /// How many years.
        years: u32,
        /// The yes/no fact, given year by year.
        fact: FactId,
        /// Where.
        loc: Loc,
    },
    /// Always holds (a policy without 适用).
    True,
}

/// A validity window, resolved as far as the text allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowDef {
    /// Start and optional end, both inclusive.
    Dates(NaiveDate, Option<NaiveDate>),
    /// Depends on a publication date the text does not give; the ends
    /// that do not depend on it are kept, so a date past a known end is
    /// still out of force.
    Unpublished {
        /// The start, when known.
        start: Option<NaiveDate>,
        /// The end, when known.
        end: Option<NaiveDate>,
    },
}

/// What a text says about applying: when, to whom, with what. A clause's
/// own fields override its policy's one by one ([`Application::over`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Application {
    /// 申报: when applications are accepted (not when the policy is in
    /// force: that is 施行).
    pub window: Option<WindowDef>,
    /// 受理: the body that accepts them.
    pub body: Option<String>,
    /// 材料: the documents to submit, in the order written.
    pub materials: Vec<String>,
}

impl Application {
    /// Whether the text says nothing about applying.
    pub fn is_empty(&self) -> bool {
        self.window.is_none() && self.body.is_none() && self.materials.is_empty()
    }

    /// This (a clause's) application over `outer` (its policy's): each
    /// field written on the clause wins; the clause's 材料, when it lists
    /// any, replace the policy's list.
    pub fn over(&self, outer: &Application) -> Application {
        Application {
            window: self.window.or(outer.window),
            body: self.body.clone().or_else(|| outer.body.clone()),
            materials: if self.materials.is_empty() {
                outer.materials.clone()
            } else {
                self.materials.clone()
            },
        }
    }
}

/// Who pays.
#[derive(Debug, Clone, PartialEq)]
pub enum ShareDef {
    /// 按财政体制: not stated.
    BySystem,
    /// Payers and their weights: each pays its weight over their sum
    /// (the stated ratios, summing to 1, or whole numbers when a share is
    /// a fraction: 1, 1, 1 for three thirds).
    Payers(Vec<(String, Decimal)>),
}

/// A checked policy.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyDef {
    /// The title (`None`: top-level clauses of a file).
    pub title: Option<String>,
    /// Where.
    pub loc: Loc,
    /// 施行.
    pub window: Option<WindowDef>,
    /// 出处: the first and last corpus lines the policy encodes (1-based,
    /// inclusive, first ≤ last).
    pub provenance: Option<(u32, u32)>,
    /// 牵头.
    pub lead: Vec<String>,
    /// 适用.
    pub scope: Option<Cond>,
    /// 分担.
    pub share: Option<ShareDef>,
    /// 重叠.
    pub overlap: Option<OverlapRule>,
    /// 合计 最高 (and whether per year).
    pub total_cap: Option<(Money, bool)>,
    /// 预算.
    pub budget: Option<Money>,
    /// 申报, 受理, 材料 written on the policy.
    pub application: Application,
    /// The clauses.
    pub clauses: Vec<ClauseDef>,
    /// Lints allowed for the whole policy (or file).
    pub allows: Vec<String>,
    /// The publication date assumed for a policy written `发布 未定`
    /// (`--published`, or a 案例's `发布 《标题》 …`): its windows were
    /// resolved from this date.
    pub assumed_published: Option<NaiveDate>,
}

impl PolicyDef {
    /// A policy with nothing in it yet, to be filled in as its items are
    /// checked.
    pub fn empty(title: Option<String>, loc: Loc) -> Self {
        PolicyDef {
            title,
            loc,
            window: None,
            provenance: None,
            lead: vec![],
            scope: None,
            share: None,
            overlap: None,
            total_cap: None,
            budget: None,
            application: Application::default(),
            clauses: vec![],
            allows: vec![],
            assumed_published: None,
        }
    }

    /// What every clause of the policy says about an assumed publication
    /// date: `发布日期按 2024年5月20日 假定`.
    pub fn assumption_note(&self) -> Option<String> {
        self.assumed_published
            .map(|d| format!("发布日期按 {} 假定", crate::check::chinese_date(d)))
    }

    /// Adds [`Self::assumption_note`] to a clause's note, after what the
    /// note already says about the window.
    pub fn note_assumption(&self, note: &mut Option<String>) {
        if let Some(a) = self.assumption_note() {
            *note = Some(match note.take() {
                Some(n) => format!("{n}；{a}"),
                None => a,
            });
        }
    }

    /// The start of the window, for 按现行政策.
    pub fn start(&self) -> Option<NaiveDate> {
        match self.window {
            Some(WindowDef::Dates(s, _)) => Some(s),
            _ => None,
        }
    }
}

/// A checked clause.
#[derive(Debug, Clone, PartialEq)]
pub struct ClauseDef {
    /// The label, or `file:line` for an unlabelled clause.
    pub label: String,
    /// Whether a label was written.
    pub labelled: bool,
    /// The condition.
    pub cond: Cond,
    /// For 分别: the condition of each tier.
    pub tiers: Vec<Cond>,
    /// What it does.
    pub action: Action,
    /// 原文 (the first one written).
    pub source: Option<String>,
    /// Further 原文 written after the first: other corpus sentences the
    /// clause draws on, such as a threshold stated apart from the rate.
    pub also_cites: Vec<String>,
    /// 事项, or the label when none is written.
    pub matter: String,
    /// Whether 事项 was written (only then can grants of other clauses
    /// share the matter).
    pub explicit_matter: bool,
    /// A clause-level window.
    pub window: Option<WindowDef>,
    /// A clause-level split.
    pub share: Option<ShareDef>,
    /// 申报, 受理, 材料 written on the clause (see
    /// [`ClauseDef::application_in`] for what holds).
    pub application: Application,
    /// Where.
    pub loc: Loc,
    /// Lints allowed on this clause.
    pub allows: Vec<String>,
}

impl ClauseDef {
    /// The matter whose grants in the same policy never stack (only the
    /// highest is paid), or `None` when the grant stands alone: a 再 给予
    /// grant always pays, and a grant without a written 事项 is its own
    /// matter. Evaluation and exposure both group by this.
    pub fn stacking_matter(&self) -> Option<&str> {
        let extra = matches!(self.action, Action::Grant { extra: true, .. });
        (self.explicit_matter && !extra).then_some(self.matter.as_str())
    }

    /// The unit of a `给予 额度` quota (元 for one counted in money):
    /// never paid, never in a money total.
    pub fn quota(&self) -> Option<&str> {
        match &self.action {
            Action::Grant { quota, .. } => quota.as_deref(),
            _ => None,
        }
    }

    /// What holds for applying under this clause of `policy`.
    pub fn application_in(&self, policy: &PolicyDef) -> Application {
        self.application.over(&policy.application)
    }

    /// The application window that holds: the clause's, else its policy's.
    pub fn application_window(&self, policy: &PolicyDef) -> Option<WindowDef> {
        self.application.window.or(policy.application.window)
    }
}

/// What a clause does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A grant.
    Grant {
        /// The amount.
        amount: GrantAmount,
        /// `给予 额度`: a quota or allowance in this unit (元 for one
        /// counted in money), never paid and never in a money total.
        quota: Option<String>,
        /// 再 给予: stacks.
        extra: bool,
        /// 奖励, 补助 …
        name: Option<String>,
        /// `，累计 最高 5万元（本年已领 …）` after one amount or 分别: the
        /// year's applications together at most the cap. A schedule's
        /// cap is its own ([`Schedule::cumulative`]).
        cumulative: Option<Cumulative>,
    },
    /// 免于 / 无需.
    Exempt(String),
    /// 不得 <conduct>: a yes/no fact or a defined condition.
    Prohibit(Cond),
    /// 应当 <conduct>: a yes/no fact or a defined condition.
    Oblige(Cond),
    /// 可 / 鼓励.
    Permit(String),
}

/// A grant's amount.
#[derive(Debug, Clone, PartialEq)]
pub enum GrantAmount {
    /// One amount.
    Single(Amount),
    /// 分别: one amount per tier condition.
    Tiers {
        /// Shared bound word.
        bound: AmountKind,
        /// Amounts.
        items: Vec<AmountCore>,
        /// Cap after the list.
        cap: Option<Expr>,
    },
    /// 酌定.
    Discretionary {
        /// Cap.
        cap: Option<Expr>,
    },
    /// An amount for each year counted from the entity's own date.
    Schedule(Box<Schedule>),
    /// `每项 项目 …`: an amount for each item of a list fact.
    Items(Box<ItemGrant>),
    /// Between a floor and a ceiling, the authority deciding within them.
    Range {
        /// The floor.
        low: AmountCore,
        /// The ceiling.
        high: AmountCore,
        /// A cap on both.
        cap: Option<Expr>,
    },
}

/// `每项 项目 （其中 …） 按 …，每项 最高 …，合计 最高 …`: each item that
/// meets `filter` is paid `amount` under `each_cap`, never below zero;
/// the grant is the sum, under `total_cap`.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemGrant {
    /// The list fact.
    pub list: FactId,
    /// Its fields, in the order of an item's values.
    pub fields: Vec<FactId>,
    /// Which items are paid (reads the item's fields).
    pub filter: Option<Cond>,
    /// Each item's amount (reads the item's fields).
    pub amount: Expr,
    /// `每项 最高`: a cap on each item's amount.
    pub each_cap: Option<Expr>,
    /// `最多 8项`: at most this many items are paid (never zero), those
    /// paying the most after 每项 最高; of equal amounts the earlier in
    /// the list.
    pub count: Option<u32>,
    /// `合计 最高`: a cap on the sum; never reads a field.
    pub total_cap: Option<Expr>,
}

/// One amount.
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    /// Bound word.
    pub bound: AmountKind,
    /// The amount proper.
    pub core: AmountCore,
    /// A cap after it.
    pub cap: Option<Expr>,
}

/// An amount proper.
#[derive(Debug, Clone, PartialEq)]
pub enum AmountCore {
    /// An expression of kind money.
    Expr(Expr),
    /// Per unit of a quantity fact.
    PerUnit {
        /// The counted fact.
        fact: FactId,
        /// Bound word after 每<unit>.
        bound: AmountKind,
        /// How many units `rate` is for (1 for `每人`, 10 for `每10人`):
        /// the amount is count × rate ÷ per, a part of a block paid pro
        /// rata. Never zero.
        per: Decimal,
        /// `每满10人`: only whole blocks are paid, floor(count ÷ per) ×
        /// rate, so that a part of a block (不足10人的) pays nothing.
        whole: bool,
        /// Money per block of units.
        rate: Expr,
        /// Where.
        loc: Loc,
    },
}

impl GrantAmount {
    /// Whether it is a 减免: a fee or toll not charged, never money paid.
    /// The word may stand before the amount or after 每 (`每辆 减免 …`).
    pub fn is_reduction(&self) -> bool {
        match self {
            GrantAmount::Single(a) => {
                a.bound == AmountKind::Reduction || a.core.inner_bound() == AmountKind::Reduction
            }
            GrantAmount::Tiers { bound, items, .. } => {
                *bound == AmountKind::Reduction
                    || items
                        .iter()
                        .any(|i| i.inner_bound() == AmountKind::Reduction)
            }
            GrantAmount::Discretionary { .. } | GrantAmount::Items(_) => false,
            GrantAmount::Range { .. } => false,
            GrantAmount::Schedule(s) => s.runs.iter().any(|r| {
                r.amount.bound == AmountKind::Reduction
                    || r.amount.core.inner_bound() == AmountKind::Reduction
            }),
        }
    }
}

impl AmountCore {
    /// The bound written inside the amount (per-unit 最高).
    pub fn inner_bound(&self) -> AmountKind {
        match self {
            AmountCore::Expr(_) => AmountKind::Exact,
            AmountCore::PerUnit { bound, .. } => *bound,
        }
    }
}

/// A checked test case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseDef {
    /// Its name.
    pub name: String,
    /// Where.
    pub loc: Loc,
    /// The policy it sits in, if any.
    pub policy: Option<PolicyId>,
    /// Its facts, as written.
    pub facts: crate::facts::CaseFacts,
    /// 日期.
    pub date: Option<NaiveDate>,
    /// 申报日期.
    pub apply_date: Option<NaiveDate>,
    /// `发布 《标题》 …`: publication dates the case assumes (checked:
    /// each names a policy written `发布 未定`).
    pub published: Vec<crate::check::assume::Published>,
    /// 期望.
    pub expectations: Vec<ExpectDef>,
}

/// A checked expectation.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectDef {
    /// `None`: 合计; otherwise (policy, clause index).
    pub clause: Option<(PolicyId, usize)>,
    /// What must come out.
    pub expected: crate::ast::Expected,
    /// For `由 … 取代`: the displacing clause, resolved.
    pub by: Option<(PolicyId, usize)>,
    /// Where.
    pub loc: Loc,
}
