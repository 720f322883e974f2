//! The syntax tree of a `.zc` file, as written. Words are not yet resolved
//! (that is `check`'s job); every node that can be wrong carries its span.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::currency::Currency;
pub use crate::lexicon::cmp::{CmpSuffix, CmpWord, EqWord};
use crate::num::{Money, Ratio};
use crate::source::{SourceFile, Span, Spanned};

/// A parsed file.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    /// The file it came from.
    pub source: SourceFile,
    /// Its items in order.
    pub items: Vec<Item>,
    /// Whether it was loaded only because another file 引用s it (not
    /// named on the command line, nor under a directory named there):
    /// lints about what the whole corpus does with it, such as
    /// `unused-word`, leave it alone.
    pub included: bool,
}

/// A top-level item.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// `词汇 { … }`.
    Vocab(Vocab),
    /// `定义 名称 = …`.
    Define(Define),
    /// `参数 名称 { … }`.
    Param(Param),
    /// `政策 《…》 { … }`.
    Policy(Policy),
    /// `案例 “…” { … }`.
    Case(Case),
    /// `引用 “…”`.
    Include(Spanned<String>),
    /// `允许 lint-name`.
    Allow(Allow),
    /// A clause outside any policy.
    Clause(Clause),
}

/// `允许 甲、乙 「理由」`: lints silenced, and optionally why.
#[derive(Debug, Clone, PartialEq)]
pub struct Allow {
    /// The lint names, as written.
    pub names: Vec<Spanned<String>>,
    /// The reason in 「…」, when one is given.
    pub reason: Option<Spanned<String>>,
}

impl Allow {
    /// The names as plain strings.
    pub fn iter(&self) -> impl Iterator<Item = &Spanned<String>> {
        self.names.iter()
    }

    /// From the first name to the end of the reason (or of the last name).
    pub fn span(&self) -> Span {
        let start = self.names.first().map_or(0, |n| n.span.start);
        let end = self
            .reason
            .as_ref()
            .map(|r| r.span.end)
            .or_else(|| self.names.last().map(|n| n.span.end))
            .unwrap_or(start);
        Span::new(start, end)
    }
}

/// A word as written, quoted or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// The word without quotation marks.
    pub text: String,
    /// Whether it was written in “…”.
    pub quoted: bool,
    /// Where.
    pub span: Span,
}

/// `词汇 { … }`: facts, and the units declared beside them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Vocab {
    /// The facts, in order.
    pub entries: Vec<VocabEntry>,
    /// `单位 艘、宗` lines, in order.
    pub units: Vec<UnitDecl>,
}

impl Vocab {
    /// Every fact declared, a list's fields after the list.
    pub fn all_entries(&self) -> Vec<&VocabEntry> {
        fn walk<'a>(e: &'a VocabEntry, out: &mut Vec<&'a VocabEntry>) {
            out.push(e);
            e.fields.iter().for_each(|f| walk(f, out));
        }
        let mut out = Vec::new();
        self.entries.iter().for_each(|e| walk(e, &mut out));
        out
    }

    /// Where the last fact or unit declaration ends.
    pub fn end(&self) -> Option<usize> {
        let facts = self.entries.last().map(|e| e.ty.span.end);
        let units = self.units.last().map(|u| u.span.end);
        facts.max(units)
    }
}

/// `单位 艘、宗`: units beyond the built-in ones, for the whole program.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitDecl {
    /// The units as written (the checker decides which are well formed).
    pub units: Vec<Spanned<String>>,
    /// From 单位 to the last unit.
    pub span: Span,
}

/// One vocabulary entry.
#[derive(Debug, Clone, PartialEq)]
pub struct VocabEntry {
    /// The fact's name.
    pub name: Name,
    /// Its type.
    pub ty: Spanned<TypeExpr>,
    /// For `列表 { … }` ([`Ty::List`]): the fields of its records, in
    /// order; empty for every other type.
    pub fields: Vec<VocabEntry>,
}

/// The type of a fact. `V` is how an enumeration's values are held: as
/// written, with their spans, in the syntax tree ([`TypeExpr`]); as plain
/// words once checked (`program::Ty`, the default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty<V = String> {
    /// 是否.
    Bool,
    /// 金额.
    Money,
    /// 金额(美元): an amount in a foreign currency.
    Foreign(Currency),
    /// 比例.
    Ratio,
    /// 日期.
    Date,
    /// 文本.
    Text,
    /// 数量(单位).
    Quantity(String),
    /// 名次: a rank, a whole number from 1 (the best) on.
    Rank,
    /// An enumeration; `ordered` when written with `<`.
    Enum {
        /// The values in order.
        values: Vec<V>,
        /// Whether the values are ordered.
        ordered: bool,
    },
    /// `列表 { … }`: a list of records (projects, plots, persons). Its
    /// fields are declared apart (the syntax tree's `VocabEntry::fields`,
    /// the checked `Vocab::fields`); a list is read only by 每项.
    List,
}

/// A fact's type as written: its enumeration values keep their spans.
pub type TypeExpr = Ty<Name>;

impl<V> Ty<V> {
    /// The same type with each enumeration value mapped by `f`.
    pub fn map_values<W>(&self, f: impl FnMut(&V) -> W) -> Ty<W> {
        match self {
            Ty::Bool => Ty::Bool,
            Ty::Money => Ty::Money,
            Ty::Foreign(c) => Ty::Foreign(*c),
            Ty::Ratio => Ty::Ratio,
            Ty::Date => Ty::Date,
            Ty::Text => Ty::Text,
            Ty::Quantity(u) => Ty::Quantity(u.clone()),
            Ty::Rank => Ty::Rank,
            Ty::List => Ty::List,
            Ty::Enum { values, ordered } => Ty::Enum {
                values: values.iter().map(f).collect(),
                ordered: *ordered,
            },
        }
    }
}

/// `定义 名称 = …`.
#[derive(Debug, Clone, PartialEq)]
pub struct Define {
    /// The defined name.
    pub name: Name,
    /// What it stands for.
    pub body: DefineBody,
}

/// The body of a definition.
#[derive(Debug, Clone, PartialEq)]
pub enum DefineBody {
    /// A condition.
    Cond(Cond),
    /// An amount.
    Expr(Expr),
}

/// `参数 名称 { 日期: 值 … }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The parameter's name.
    pub name: Name,
    /// Dated values, as written.
    pub entries: Vec<(Spanned<NaiveDate>, Spanned<Literal>)>,
}

/// A literal value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    /// `20万元`.
    Money(Money),
    /// `300万美元`: counted in the currency's units.
    Foreign(Money, Currency),
    /// `7.1元/美元`: 元 per unit of the currency.
    Rate(Decimal, Currency),
    /// `20%`.
    Ratio(Ratio),
    /// `2024年6月1日`.
    Date(NaiveDate),
    /// `3年`, `10人`.
    Quantity(Decimal, String),
    /// `3`.
    Number(Decimal),
    /// `第3名`, as written: the checker refuses 0 and fractions.
    Rank(Decimal),
    /// `三分之一`, kept apart from a ratio because a decimal cannot hold
    /// 1/3.
    Fraction(Fraction),
}

/// `三分之一`, `百分之二十`, `3分之1`: a share after 的 or in 分担.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fraction {
    /// The numerator.
    pub num: u32,
    /// The denominator, at least 1.
    pub den: u32,
    /// As the drafter wrote it, for `fmt`.
    pub written: String,
}

/// `政策 《标题》 { … }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// The title without 《》.
    pub title: Spanned<String>,
    /// Metadata and clauses in order.
    pub items: Vec<PolicyItem>,
    /// The whole block.
    pub span: Span,
}

/// An item inside a policy.
#[derive(Debug, Clone, PartialEq)]
pub enum PolicyItem {
    /// `施行 …`.
    Window(Spanned<Window>),
    /// `发布 …` (`None`: 未定).
    Publish(Spanned<Option<NaiveDate>>),
    /// `出处 第A行 至 第B行`: the first and last corpus lines the policy
    /// encodes, as written (the checker rejects A > B).
    Provenance(Spanned<(u32, u32)>),
    /// `牵头 …`.
    Lead(Vec<Name>),
    /// `适用 …`.
    Scope(Cond),
    /// `分担 …`.
    Share(Spanned<Share>),
    /// `重叠 …`.
    Overlap(Spanned<OverlapRule>),
    /// `合计 最高 … (每年)`.
    TotalCap {
        /// The cap.
        cap: Spanned<Money>,
        /// Whether written 每年.
        per_year: bool,
    },
    /// `预算 …`.
    Budget(Spanned<Money>),
    /// `申报 …`: the application window.
    Application(Spanned<Window>),
    /// `受理 …`: the accepting body.
    AcceptingBody(Name),
    /// `材料 「…」`: one document to submit.
    Material(Spanned<String>),
    /// `定义 …` inside a policy.
    Define(Define),
    /// `允许 …`.
    Allow(Allow),
    /// `案例 …` inside a policy.
    Case(Case),
    /// A clause.
    Clause(Clause),
}

/// A validity window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Start (inclusive).
    pub start: WindowPoint,
    /// End (inclusive).
    pub end: WindowEnd,
}

/// One end of a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WindowPoint {
    /// A fixed date.
    Date(NaiveDate),
    /// The publication date plus an optional delay.
    Published(Option<Spanned<Period>>),
}

/// A period of time as written in a window: `30日`, `3年`, `10工作日`.
/// Whether the unit is a time, and the number whole, the checker decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// How many.
    pub n: Decimal,
    /// Of what: 年、个月、周、日、天、工作日 (or a unit the checker refuses).
    pub unit: String,
}

impl Period {
    /// Its unit as a unit of time, when it is one (`个工作日` and `工作日`
    /// are the same unit).
    pub fn time_unit(&self) -> Option<TimeUnit> {
        TimeUnit::parse(&self.unit)
    }
}

/// A unit of a period of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    /// 日、天: calendar days.
    Day,
    /// 周: seven days.
    Week,
    /// 个月: the same day of a later month (《民法典》第二百零二条).
    Month,
    /// 年: twelve months.
    Year,
    /// 工作日、个工作日: days the working-day calendar counts.
    WorkingDay,
}

impl TimeUnit {
    /// The unit a period is written in, if it is a unit of time.
    pub fn parse(unit: &str) -> Option<TimeUnit> {
        Some(match unit {
            "日" | "天" => TimeUnit::Day,
            "周" => TimeUnit::Week,
            "个月" => TimeUnit::Month,
            "年" => TimeUnit::Year,
            "工作日" | "个工作日" => TimeUnit::WorkingDay,
            _ => return None,
        })
    }

    /// The unit's canonical word (工作日 for both its spellings).
    pub fn word(self) -> &'static str {
        match self {
            TimeUnit::Day => "日",
            TimeUnit::Week => "周",
            TimeUnit::Month => "个月",
            TimeUnit::Year => "年",
            TimeUnit::WorkingDay => "个工作日",
        }
    }
}

/// The end of a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WindowEnd {
    /// `至 …`.
    At(WindowPoint),
    /// `起`: no end.
    Open,
    /// `起 3年`: a length from the start.
    For(Spanned<Period>),
}

/// `分担 …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Share {
    /// 按财政体制: the split is not stated.
    BySystem,
    /// Payers and their shares.
    Payers(Vec<(Name, PayerShare)>),
}

/// One payer's share: `50%`, or a fraction (`三分之一`, for 1:1:1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayerShare {
    /// `50%`.
    Ratio(Ratio),
    /// `三分之一`.
    Fraction(Fraction),
}

/// `重叠 …`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverlapRule {
    /// 从优从高不重复.
    Best,
    /// 以本政策为准.
    ThisPolicy,
    /// 按现行政策.
    Existing,
}

/// A clause label as written (`第三条`, `（一）`, `“二-1”`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The label normalised: quotation marks dropped, full-width
    /// parentheses used.
    pub text: String,
    /// Where.
    pub span: Span,
}

/// `对 <条件> <动作> <属性>…`.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// Optional label.
    pub label: Option<Label>,
    /// The condition after 对.
    pub cond: Cond,
    /// What the clause does.
    pub action: Spanned<Action>,
    /// Trailing attributes in order.
    pub attrs: Vec<ClauseAttr>,
    /// The whole clause.
    pub span: Span,
}

/// A clause's trailing attribute.
#[derive(Debug, Clone, PartialEq)]
pub enum ClauseAttr {
    /// `原文 「…」`.
    Source(Spanned<String>),
    /// `事项 “…”`.
    Matter(Name),
    /// `施行 …`.
    Window(Spanned<Window>),
    /// `分担 …`.
    Share(Spanned<Share>),
    /// `申报 …`: the clause's own application window.
    Application(Spanned<Window>),
    /// `受理 …`: the clause's own accepting body.
    AcceptingBody(Name),
    /// `材料 「…」`: one document to submit for this clause.
    Material(Spanned<String>),
    /// `允许 …`.
    Allow(Allow),
}

/// What a clause does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// `给予 …` (with `tiers` when written 分别).
    Grant(Grant),
    /// `免于 / 无需 …`.
    Exempt(Spanned<String>),
    /// `不得 <conduct>`.
    Prohibit(Name),
    /// `应当 <conduct>`.
    Oblige(Name),
    /// `可 / 鼓励 …`.
    Permit(Spanned<String>),
}

/// A grant.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    /// Written `再 给予`: stacks, never displaced.
    pub extra: bool,
    /// `给予 额度 …`: a quota or allowance (land in 亩, a guarantee in 元),
    /// never money paid; where 额度 was written.
    pub quota: Option<Span>,
    /// The amount, or the tiers of 分别.
    pub amount: GrantAmount,
    /// `奖励`, `一次性 补助`, `“运营资助”`.
    pub name: Option<Spanned<String>>,
    /// `，累计 最高 30万元（往年已领 已获配套补助额）`.
    pub cumulative: Option<Cumulative>,
}

/// `，累计 最高 30万元（往年已领 已获配套补助额）`: the years of a schedule
/// together pay at most `cap`; `received` is what earlier years paid.
#[derive(Debug, Clone, PartialEq)]
pub struct Cumulative {
    /// The cap over all the years.
    pub cap: Expr,
    /// The money fact of what was received in earlier years.
    pub received: Name,
    /// Written 本年已领: `received` is what this year's earlier
    /// applications were paid, and the cap is over the year.
    pub this_year: bool,
    /// From 累计 to the closing parenthesis.
    pub span: Span,
}

/// The amount part of a grant.
#[derive(Debug, Clone, PartialEq)]
pub enum GrantAmount {
    /// One amount.
    Single(Amount),
    /// `分别 给予 A、B、C`.
    Tiers {
        /// Bound word in front of the list.
        bound: AmountKind,
        /// One amount per tier.
        items: Vec<AmountCore>,
        /// Cap after the list.
        cap: Option<Expr>,
        /// The whole list.
        span: Span,
    },
    /// `酌定`, optionally capped.
    Discretionary {
        /// The cap, if any.
        cap: Option<Expr>,
        /// Where 酌定 was written.
        span: Span,
    },
    /// `自 落户日期 起 前3年 每年 …`: an amount for each year counted from
    /// the entity's own date.
    Schedule(Box<Schedule>),
    /// `每项 项目 按 …`: an amount for each item of a list fact.
    Items(Box<ItemGrant>),
    /// `投资额 的 5% 至 20%`, `10万元 至 50万元`: a result with a floor and
    /// a ceiling, the authority deciding within them.
    Range {
        /// The bound word written in front (the checker refuses one).
        bound: Option<Span>,
        /// The floor.
        low: AmountCore,
        /// The ceiling as written (`20%` after `X 的 5%` reads `X 的 20%`).
        high: AmountCore,
        /// A cap after the range.
        cap: Option<Expr>,
        /// The whole range.
        span: Span,
    },
}

/// `每项 项目 （其中 …） 按 …，每项 最高 …，合计 最高 …`.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemGrant {
    /// The list fact.
    pub list: Name,
    /// `（其中 …）`: which items are paid, by their own fields.
    pub filter: Option<Cond>,
    /// Each item's amount.
    pub amount: Expr,
    /// `，每项 最高 …`.
    pub each_cap: Option<Expr>,
    /// `，最多 8项`: how many items are paid at most.
    pub count: Option<ItemCount>,
    /// `，合计 最高 …`: the cap on the sum over the items.
    pub total_cap: Option<Expr>,
    /// The whole amount.
    pub span: Span,
}

/// `最多 8项`: the count as written; the checker decides whether it is a
/// whole number of 项 from 1 on.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemCount {
    /// The number.
    pub n: Decimal,
    /// The unit after it (`项`), if any.
    pub unit: Option<String>,
    /// The count (`8项`).
    pub span: Span,
}

/// Amounts paid year by year from an entity's own date.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// The date fact the years count from (`落户日期`).
    pub event: Name,
    /// The years and their amounts.
    pub plan: SchedulePlan,
    /// `，每年 最高 …`: a cap on every year's amount.
    pub cap: Option<Expr>,
    /// The whole schedule.
    pub span: Span,
}

/// How a schedule's years are paid.
#[derive(Debug, Clone, PartialEq)]
pub enum SchedulePlan {
    /// `前3年 每年 …，后2年 每年 …`: runs of years, each with its amount.
    Years(Vec<SchedulePart>),
    /// `1000万元 分3年 按 40%、30%、30%`: one amount split by shares.
    Split {
        /// The bound word in front of the amount.
        bound: AmountKind,
        /// The amount split; under 分别, the first tier's.
        total: Expr,
        /// `分别 1000万元、500万元 分3年 按 …`: each tier's amount, chosen
        /// by the clause's 为-list and split by the same shares; empty
        /// when 分别 is not written.
        tiers: Vec<Expr>,
        /// `分3年`.
        years: YearSpan,
        /// One share per year.
        shares: Vec<Spanned<Ratio>>,
    },
}

/// `前3年 每年 最高 800万元`.
#[derive(Debug, Clone, PartialEq)]
pub struct SchedulePart {
    /// How many years, and which.
    pub years: YearSpan,
    /// Each of those years' amount; when 分别 is written, the bound and
    /// cap shared by the tiers, and the first tier's amount.
    pub amount: Amount,
    /// `每年 分别 30万元、25万元、20万元`: each tier's amount, chosen by
    /// the clause's 为-list; empty when 分别 is not written.
    pub tiers: Vec<AmountCore>,
}

impl SchedulePlan {
    /// Whether an amount is chosen by tier (`每年 分别 …`, `分别 … 分3年`).
    pub fn tiered(&self) -> bool {
        match self {
            SchedulePlan::Years(parts) => parts.iter().any(|p| !p.tiers.is_empty()),
            SchedulePlan::Split { tiers, .. } => !tiers.is_empty(),
        }
    }

    /// A split's amounts: each tier's, or its one amount.
    pub fn split_totals(&self) -> Vec<&Expr> {
        match self {
            SchedulePlan::Years(_) => Vec::new(),
            SchedulePlan::Split { total, tiers, .. } if tiers.is_empty() => vec![total],
            SchedulePlan::Split { tiers, .. } => tiers.iter().collect(),
        }
    }
}

impl SchedulePart {
    /// Every amount the part may pay: each tier's, or its one amount.
    pub fn cores(&self) -> impl Iterator<Item = &AmountCore> {
        let one = self.tiers.is_empty().then_some(&self.amount.core);
        one.into_iter().chain(&self.tiers)
    }
}

/// `前3年`, `后2年`, `分3年` as written (the checker says whether the
/// count is whole and the words in order).
#[derive(Debug, Clone, PartialEq)]
pub struct YearSpan {
    /// 前, 后 or 分.
    pub word: YearWord,
    /// The number of years as written.
    pub count: Decimal,
    /// Where.
    pub span: Span,
}

/// The word in front of a number of years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearWord {
    /// 前: the first years.
    First,
    /// 后: the years after those.
    Then,
    /// 分: the years one amount is split over.
    Over,
}

impl YearWord {
    /// The word as written.
    pub const fn word(self) -> &'static str {
        match self {
            YearWord::First => "前",
            YearWord::Then => "后",
            YearWord::Over => "分",
        }
    }
}

/// The kind of a grant's amount: the words in front of it as written, the
/// kind of the evaluator's result, and the kind a 案例 expects. One type, so
/// each table of words below is the only one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AmountKind {
    /// 定额.
    Exact,
    /// 上限: 最高, 不超过, 不高于.
    AtMost,
    /// 下限: 不少于, 不低于.
    AtLeast,
    /// 酌定: the authority decides the amount, at most a cap if one is
    /// written. Never a bound word in front of an amount: the grammar
    /// writes it as [`GrantAmount::Discretionary`].
    Discretionary,
    /// 减免: a reduction of a fee or toll the entity owes. Worth the
    /// amount to it, but no money is received, so it is never in a total.
    Reduction,
    /// 区间: between a floor and a ceiling (`5% 至 20%`), the authority
    /// deciding within them; counted at its ceiling, as a 上限 is.
    Range,
}

impl AmountKind {
    /// The word in JSON output (`"bound"` of a clause, `"kind"` in match).
    pub const fn json(self) -> &'static str {
        match self {
            AmountKind::Exact => "exact",
            AmountKind::AtMost => "at_most",
            AmountKind::AtLeast => "at_least",
            AmountKind::Discretionary => "discretionary",
            AmountKind::Reduction => "reduction",
            AmountKind::Range => "range",
        }
    }

    /// The kind's name for a reader: 定额 / 上限 / 下限 / 酌定 / 减免.
    pub const fn word(self) -> &'static str {
        match self {
            AmountKind::Exact => "定额",
            AmountKind::AtMost => "上限",
            AmountKind::AtLeast => "下限",
            AmountKind::Discretionary => "酌定",
            AmountKind::Reduction => "减免",
            AmountKind::Range => "区间",
        }
    }
}

/// A single amount.
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    /// The bound word in front.
    pub bound: AmountKind,
    /// The amount proper.
    pub core: AmountCore,
    /// `，最高 …`.
    pub cap: Option<Expr>,
    /// The whole amount.
    pub span: Span,
}

/// An amount proper.
#[derive(Debug, Clone, PartialEq)]
pub enum AmountCore {
    /// An expression.
    Expr(Expr),
    /// `按 X 每辆 最高 1.5万元`.
    PerUnit {
        /// The counted fact (None: the one fact with that unit).
        fact: Option<Name>,
        /// The unit after 每.
        unit: Spanned<String>,
        /// How many units the rate is for: 10 in `每10人`, 10000 in
        /// `每万平方米`; None for `每人`.
        per: Option<Spanned<Decimal>>,
        /// `每满10人`: only whole blocks are paid, a part of one is not.
        whole: bool,
        /// A bound word after 每<unit>.
        bound: AmountKind,
        /// The amount per unit.
        rate: Expr,
        /// The whole per-unit amount.
        span: Span,
    },
}

/// A condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// All hold (且 or words side by side).
    And(Vec<Cond>, Span),
    /// Any holds (或).
    Or(Vec<Cond>, Span),
    /// Any holds (a 、-list; the items of 分别).
    List(Vec<Cond>, Span),
    /// Negation.
    Not(Box<Cond>, Span),
    /// A word: a yes/no fact, an enum value or a defined condition.
    Word(Name),
    /// A comparison.
    Compare(Compare),
    /// `自 上规日期 起 连续3年 在规`.
    Consecutive(Consecutive),
}

/// `自 <日期> 起 连续N年 <是否>`: a yes/no fact, given year by year,
/// holds in each of the first `years` years counted from the date.
#[derive(Debug, Clone, PartialEq)]
pub struct Consecutive {
    /// The date fact the years count from.
    pub event: Name,
    /// How many years, as written (the checker wants a whole number).
    pub years: Spanned<Decimal>,
    /// The yes/no fact that must hold in each.
    pub fact: Name,
    /// The whole condition.
    pub span: Span,
}

impl Cond {
    /// Where the condition was written.
    pub fn span(&self) -> Span {
        match self {
            Cond::And(_, s) | Cond::Or(_, s) | Cond::List(_, s) | Cond::Not(_, s) => *s,
            Cond::Word(n) => n.span,
            Cond::Compare(c) => c.span,
            Cond::Consecutive(c) => c.span,
        }
    }
}

/// A comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Compare {
    /// Left side; `None` for `三星 及以上` (the value's own fact).
    pub lhs: Option<Expr>,
    /// The operator.
    pub op: CmpOp,
    /// Right side (several for 为/属于 lists).
    pub rhs: Vec<Expr>,
    /// Wording that contradicts itself (`超过 X（含）以上`).
    pub contradictory: bool,
    /// The words the drafter chose, which `op` alone does not say.
    pub wording: Wording,
    /// The operator's words.
    pub op_span: Span,
    /// The whole comparison.
    pub span: Span,
}

/// How a comparison is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wording {
    /// `X 超过 Y`, `X 达到 Y（含）以上`.
    Word {
        /// The word before the value.
        word: CmpWord,
        /// （含） after the value.
        inclusive: bool,
        /// 以上, 以下, … after the value.
        suffix: Option<CmpSuffix>,
    },
    /// `X ≥ Y`, in any of the symbols' spellings.
    Symbol,
    /// `X 为 A、B`, `X 不属于 A、B`.
    Equal(EqWord),
    /// `X 前5名`: a rank of 5 or better.
    Top,
    /// `X Y（含）以上`, or `三星 及以上` without a left side.
    Suffix {
        /// （含） after the value.
        inclusive: bool,
        /// The word after the value.
        suffix: CmpSuffix,
    },
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// ≥.
    Ge,
    /// >.
    Gt,
    /// ≤.
    Le,
    /// <.
    Lt,
    /// = (any of the values).
    Eq,
    /// ≠ (none of the values).
    Ne,
}

impl CmpOp {
    /// The symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Ge => "≥",
            CmpOp::Gt => ">",
            CmpOp::Le => "≤",
            CmpOp::Lt => "<",
            CmpOp::Eq => "=",
            CmpOp::Ne => "≠",
        }
    }
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A literal.
    Lit(Spanned<Literal>),
    /// A word: a fact, a parameter, a defined amount, an enum value, or a
    /// quoted text.
    Name(Name),
    /// `a + b - c`, `a × b ÷ c`: a first operand and the rest.
    Arith {
        /// The first operand.
        first: Box<Expr>,
        /// Operators and operands after it.
        rest: Vec<(ArithOp, Expr)>,
        /// The whole expression.
        span: Span,
    },
    /// `X 的 20%` (and `X 最高 2000万元 的 …`).
    Of {
        /// The base.
        base: Box<Expr>,
        /// A cap on the base.
        base_cap: Option<Box<Expr>>,
        /// The factors after 的.
        shares: Vec<Expr>,
        /// The whole expression.
        span: Span,
    },
    /// `较高者(…)` / `较低者(…)`.
    Call {
        /// Which function.
        func: Func,
        /// The arguments.
        args: Vec<Expr>,
        /// The whole call.
        span: Span,
    },
    /// `X 按 汇率 折算`: an amount in a foreign currency, in 元.
    Convert {
        /// The amount in the foreign currency.
        amount: Box<Expr>,
        /// The exchange rate.
        rate: Box<Expr>,
        /// The whole conversion.
        span: Span,
    },
    /// `X 超过 T 的部分 按 P`.
    Band {
        /// The amount banded.
        subject: Box<Expr>,
        /// Above or up to the threshold.
        above: bool,
        /// The threshold.
        bound: Box<Expr>,
        /// The rate.
        rate: Box<Expr>,
        /// The whole band.
        span: Span,
    },
    /// `受理日期 后 5个工作日`: a date moved on by a period.
    Shift {
        /// The date.
        base: Box<Expr>,
        /// The period, after 后 or 前.
        period: Spanned<Period>,
        /// Written 前: moved back.
        back: bool,
        /// The whole expression.
        span: Span,
    },
    /// A period where a value is expected (`5个工作日` alone): the checker
    /// refuses it.
    Period(Spanned<Period>),
}

impl Expr {
    /// Where the expression was written.
    pub fn span(&self) -> Span {
        match self {
            Expr::Lit(l) => l.span,
            Expr::Name(n) => n.span,
            Expr::Period(p) => p.span,
            Expr::Arith { span, .. }
            | Expr::Of { span, .. }
            | Expr::Call { span, .. }
            | Expr::Convert { span, .. }
            | Expr::Band { span, .. }
            | Expr::Shift { span, .. } => *span,
        }
    }

    /// Its direct subexpressions, in the order written: for traversals
    /// that only collect (the words used) and need no case per variant.
    pub fn children(&self) -> impl Iterator<Item = &Expr> {
        let (one, two, three, many): (Option<&Expr>, Option<&Expr>, Option<&Expr>, &[Expr]) =
            match self {
                Expr::Lit(_) | Expr::Name(_) | Expr::Period(_) => (None, None, None, &[]),
                Expr::Shift { base, .. } => (Some(base), None, None, &[]),
                Expr::Arith { first, .. } => (Some(first), None, None, &[]),
                Expr::Of {
                    base,
                    base_cap,
                    shares,
                    ..
                } => (Some(base), base_cap.as_deref(), None, shares),
                Expr::Call { args, .. } => (None, None, None, args),
                Expr::Convert { amount, rate, .. } => (Some(amount), Some(rate), None, &[]),
                Expr::Band {
                    subject,
                    bound,
                    rate,
                    ..
                } => (Some(subject), Some(bound), Some(rate), &[]),
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

/// An arithmetic operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArithOp {
    /// +.
    Add,
    /// -.
    Sub,
    /// ×.
    Mul,
    /// ÷.
    Div,
}

/// A built-in function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Func {
    /// 较高者.
    Max,
    /// 较低者.
    Min,
}

/// `案例 “…” { … }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The case's name.
    pub name: Spanned<String>,
    /// `事实 { … }`.
    pub facts: Vec<(Name, Spanned<FactLiteral>)>,
    /// `日期 …`.
    pub date: Option<Spanned<NaiveDate>>,
    /// `申报日期 …`.
    pub apply_date: Option<Spanned<NaiveDate>>,
    /// `发布 《标题》 …`: publication dates the case assumes.
    pub published: Vec<CasePublished>,
    /// `期望 …`.
    pub expectations: Vec<Expectation>,
    /// The whole case.
    pub span: Span,
}

/// `发布 《标题》 2024年5月20日` in a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasePublished {
    /// The policy's title, without 《》 (the span includes them).
    pub title: Spanned<String>,
    /// The assumed date.
    pub date: Spanned<NaiveDate>,
    /// The whole line.
    pub span: Span,
}

/// A fact's value written in a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactLiteral {
    /// A literal.
    Lit(Literal),
    /// 是 / 否.
    Bool(bool),
    /// An enum value or a text.
    Word(String),
    /// `[ {…}、{…} ]`: the items of a list fact, each its fields as written.
    List(Vec<Vec<(Name, Spanned<FactLiteral>)>>),
    /// `按年 { 2023年: …  2024年: … }`: a fact given year by year.
    ByYear(Vec<(Spanned<i32>, Spanned<FactLiteral>)>),
}

/// `期望 …`.
#[derive(Debug, Clone, PartialEq)]
pub struct Expectation {
    /// What is expected.
    pub target: ExpectTarget,
    /// The expected outcome.
    pub outcome: Expected,
    /// The whole expectation.
    pub span: Span,
}

/// The subject of an expectation.
#[derive(Debug, Clone, PartialEq)]
pub enum ExpectTarget {
    /// `合计`.
    Total,
    /// `《标题》第三条` or `第三条`.
    Clause {
        /// Another policy's title.
        policy: Option<Spanned<String>>,
        /// The clause's label.
        label: Label,
    },
}

/// An expected result.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    /// `给予 最高 20万元` (or `合计 …`).
    Amount(AmountKind, Money),
    /// `给予 5万元 至 20万元`: a range's floor and ceiling.
    Range(Money, Money),
    /// `给予 额度 125亩`, `给予 额度 最高 40万元`: a quota, its kind, its
    /// value in its unit and the unit (元 for one counted in money).
    Quota(AmountKind, Decimal, String),
    /// `给予 酌定`.
    Discretionary,
    /// `期望 酌定 2项`: the number of applying 酌定 grants.
    DiscretionaryCount(u32),
    /// 不适用 (not applicable, or out of force).
    NotApplicable,
    /// 不在施行期: out of force, exactly.
    NotInForce,
    /// 鼓励: an applying clause that encourages (鼓励, 原则上), neither grant nor duty.
    Encouraged,
    /// `由 《标题》“一” 取代`: displaced by that clause under the overlap rules.
    DisplacedBy {
        /// The other clause's policy, when not this one.
        policy: Option<Spanned<String>>,
        /// The other clause's label.
        label: Label,
    },
    /// `分担 市 5.01元 区县 5.00元`: the paid amount's split between payers.
    Shares(Vec<(Name, Money)>),
    /// 待定.
    Undecided,
    /// `待定 缺少 A、B`: undecided for exactly these missing facts.
    UndecidedFor(Vec<Name>),
    /// 免于.
    Exempt,
    /// 违反.
    Violated,
    /// 遵守.
    Met,
    /// 不在申报期.
    OutsideApplicationWindow,
    /// 被取代: the clause applies, and the overlap rules paid another
    /// grant of its 事项 instead.
    Displaced,
}
