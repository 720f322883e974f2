//! Errors of the check stage. Each names what went wrong, points at the
//! words, and says in Chinese how to fix it.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// A check error.
#[derive(Debug, Error, Diagnostic)]
pub enum CheckError {
    /// A word that is not in the vocabulary, a definition, a parameter or
    /// an enumeration.
    ///
    /// Triggered by `对 高薪技术企业 给予 20万元` when only 高新技术企业 is
    /// declared.
    #[error("未定义的词：{}", crate::diagnostics::quote(.word))]
    #[diagnostic(code(zc::check::unknown_word), help("{help}"))]
    UnknownWord {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The word.
        #[label("词汇、定义、参数和枚举中都没有这个词")]
        span: SourceSpan,
        /// The word.
        word: String,
        /// Suggestions.
        help: String,
    },

    /// Two things of different kinds compared or combined.
    ///
    /// Triggered by `研发投入 超过 300家` (金额 vs 数量(家)).
    #[error("{left}与{right}不能{verb}")]
    #[diagnostic(code(zc::check::kind_mismatch), help("{help}"))]
    KindMismatch {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// Left side.
        #[label("{left}")]
        left_span: SourceSpan,
        /// Right side.
        #[label("{right}")]
        right_span: SourceSpan,
        /// Left kind.
        left: String,
        /// Right kind.
        right: String,
        /// 比较 or 运算.
        verb: String,
        /// How to fix it.
        help: String,
    },

    /// An amount in a foreign currency meeting one in 元 (or in another
    /// currency) without a conversion.
    ///
    /// Triggered by `对 出口额 超过 300万元 …` when 出口额 is 金额(美元).
    #[error("{offending}金额与{other}金额不能直接{verb}")]
    #[diagnostic(code(zc::check::currency_mismatch), help("{help}"))]
    CurrencyMismatch {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The side in the foreign currency.
        #[label("以{offending}计")]
        span: SourceSpan,
        /// The other side.
        #[label("以{other}计")]
        other_span: SourceSpan,
        /// The offending side's currency.
        offending: String,
        /// The other side's currency.
        other: String,
        /// 比较 or 运算.
        verb: String,
        /// How to fix it.
        help: String,
    },

    /// A written number taken from a smaller one: the texts' `10万元-50万元`
    /// and `5%-20%` are ranges, but `-` is minus, so the grant would be
    /// their difference, negative and paid as 0, with nothing said.
    ///
    /// Triggered by `给予 10万元-50万元 补助`, `给予 投资额 的 5%-20% 奖励`.
    ///
    /// ## Resolution
    ///
    /// A range is written with 至 (`10万元 至 50万元`, language.md 7.14);
    /// for a difference, write the difference itself.
    #[error("“{text}”是两个数相减，不是区间")]
    #[diagnostic(code(zc::check::dash_range), help("{help}"))]
    DashRange {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The subtraction.
        #[label("“-”是减号")]
        span: SourceSpan,
        /// The subtraction as written.
        text: String,
        /// The range it was meant to be.
        help: String,
    },

    /// An exchange rate of 0: every amount converted by it would be 0 元.
    ///
    /// Triggered by `参数 美元汇率 { 2024年1月1日: 0元/美元 }`.
    ///
    /// ## Resolution
    ///
    /// Write how many 元 one unit of the currency is worth on that date,
    /// from the rate the text names.
    #[error("汇率为 0：按它折算，任何{currency}金额都是 0 元")]
    #[diagnostic(
        code(zc::check::zero_rate),
        help("汇率写每 1 {currency}合多少元，如 7.1元/{currency}；按原文所说的汇率填写")
    )]
    ZeroRate {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The rate.
        #[label("这个汇率")]
        span: SourceSpan,
        /// The currency.
        currency: String,
    },

    /// A grant (or its cap) written in a foreign currency: grants are paid
    /// in 元.
    ///
    /// Triggered by `给予 2万美元 奖励`.
    #[error("给予的金额以{currency}计，而给予只能以元计")]
    #[diagnostic(code(zc::check::foreign_grant), help("{help}"))]
    ForeignGrant {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The amount.
        #[label("以{currency}计")]
        span: SourceSpan,
        /// Its currency.
        currency: String,
        /// How to fix it.
        help: String,
    },

    /// A value of the wrong kind where a particular kind is required.
    ///
    /// Triggered by `给予 研发投入 的 认定类型` or `对 研发投入 给予 …`.
    #[error("此处需要{expected}，而这里是{found}")]
    #[diagnostic(code(zc::check::wrong_kind), help("{help}"))]
    WrongKind {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The offending expression.
        #[label("{found}")]
        span: SourceSpan,
        /// What is required.
        expected: String,
        /// What was found.
        found: String,
        /// How to fix it.
        help: String,
    },

    /// A bare enumeration value that belongs to several enumerations.
    ///
    /// Triggered by `对 省级 给予 …` when 省级 is a value of two enumerations.
    #[error("“{}”同时是多个枚举的取值：{}", crate::diagnostics::quote(.word), crate::diagnostics::quote(.facts))]
    #[diagnostic(
        code(zc::check::ambiguous_value),
        help("写明是哪个事实的取值，如 {example}")
    )]
    AmbiguousValue {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The word.
        #[label("属于哪个事实？")]
        span: SourceSpan,
        /// The word.
        word: String,
        /// The enumerations.
        facts: String,
        /// An unambiguous spelling.
        example: String,
    },

    /// A value that is not in the compared fact's enumeration.
    ///
    /// Triggered by `首台套 为 国外` when 首台套 is 国际 | 国内 | 省内.
    #[error("“{}”不是{fact}的取值", crate::diagnostics::quote(.word))]
    #[diagnostic(code(zc::check::unknown_value), help("{help}"))]
    UnknownValue {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The value.
        #[label("{fact}的取值为：{values}")]
        span: SourceSpan,
        /// The value.
        word: String,
        /// The fact.
        fact: String,
        /// Its values.
        values: String,
        /// Suggestions.
        help: String,
    },

    /// 分别 with lists of unequal length.
    ///
    /// Triggered by `对 甲、乙、丙 分别 给予 10万元、20万元`.
    #[error("分别给予的金额有 {amounts} 项，而条件有 {conditions} 项")]
    #[diagnostic(
        code(zc::check::tier_count),
        help("“分别”按位置一一对应：条件和金额的项数必须相同")
    )]
    TierCount {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The conditions.
        #[label("{conditions} 项条件")]
        cond_span: SourceSpan,
        /// The amounts.
        #[label("{amounts} 项金额")]
        amount_span: SourceSpan,
        /// Number of conditions.
        conditions: usize,
        /// Number of amounts.
        amounts: usize,
    },

    /// 每<unit> that does not match the counted fact.
    ///
    /// Triggered by `按 置换车辆数 每家 1万元` when 置换车辆数 is 数量(辆).
    #[error("“每{}”与{fact}的单位（{fact_unit}）不一致", crate::diagnostics::quote(.unit))]
    #[diagnostic(code(zc::check::unit_mismatch), help("{help}"))]
    UnitMismatch {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The 每<unit>.
        #[label("单位为{unit}")]
        span: SourceSpan,
        /// Unit after 每.
        unit: String,
        /// The fact.
        fact: String,
        /// The fact's unit.
        fact_unit: String,
        /// How to fix it.
        help: String,
    },

    /// Two clauses of one policy with the same label.
    ///
    /// Triggered by two clauses labelled `第三条` in one 政策.
    #[error("条款编号重复：{}", crate::diagnostics::quote(.label))]
    #[diagnostic(
        code(zc::check::duplicate_label),
        help("同一政策内每个条款编号只能用一次；可写成 “三-1”、“三-2” 区分")
    )]
    DuplicateLabel {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The second use.
        #[label("重复的编号")]
        span: SourceSpan,
        /// The label.
        label: String,
        /// The first use.
        #[label("第一次出现在这里")]
        first: SourceSpan,
    },

    /// A word declared twice with different types, or declared as two
    /// different things.
    ///
    /// Triggered by `研发投入: 金额` in one file and `研发投入: 比例` in another.
    #[error("“{}”的声明相互冲突：{first_ty} 与 {second_ty}", crate::diagnostics::quote(.word))]
    #[diagnostic(
        code(zc::check::conflicting_declaration),
        help("同一个词在所有载入的文件中只能有一种类型；改名或统一类型")
    )]
    ConflictingDeclaration {
        /// The file of the second declaration.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The second declaration.
        #[label("这里声明为{second_ty}")]
        span: SourceSpan,
        /// The word.
        word: String,
        /// First type.
        first_ty: String,
        /// Second type.
        second_ty: String,
    },

    /// A field of a list's records read where no item is: outside the
    /// amount and the 其中 of a 每项 grant over that list.
    ///
    /// Triggered by `对 项目投资额 超过 100万元 给予 10万元` when 项目投资额
    /// is a field of the list 项目.
    #[error("“{field}”是列表“{list}”每一项的字段，这里没有“一项”可读")]
    #[diagnostic(
        code(zc::check::item_field),
        help(
            "字段只能写在 每项 {list} 的（其中 …）、金额和 每项 最高 里；条款的条件和 合计 最高 读的是整个主体的事实"
        )
    )]
    ItemField {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The field as used.
        #[label("{list}的字段")]
        span: SourceSpan,
        /// The field.
        field: String,
        /// Its list.
        list: String,
    },

    /// A list fact where it cannot stand: read as a value, after 每项
    /// a word that is not a list, or a list as a field of a list.
    ///
    /// Triggered by `对 项目 为 是 给予 10万元`, `给予 每项 研发投入 按 …`.
    #[error("“{word}”：{problem}")]
    #[diagnostic(
        code(zc::check::item_list),
        help(
            "列表事实（名称：列表 {{ 字段：类型 … }}）只能写在 每项 之后：给予 每项 项目 按 项目投资额 的 10%"
        )
    )]
    ItemList {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The word.
        #[label("这里")]
        span: SourceSpan,
        /// The word.
        word: String,
        /// What is wrong.
        problem: String,
    },

    /// A grant of a quantity written without 额度: a count of 亩 is no
    /// money paid, so it must say it is a quota.
    ///
    /// Triggered by `给予 实际使用土地指标 的 50%` (a 数量(亩)).
    #[error("给予的是{found}，不是金额")]
    #[diagnostic(
        code(zc::check::quota_grant),
        help(
            "不付钱的指标、额度写 给予 额度 …，如 给予 额度 实际使用土地指标 的 50%；付给主体的钱写金额，如 20万元"
        )
    )]
    QuotaGrant {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The amount.
        #[label("这是{found}")]
        span: SourceSpan,
        /// Its kind.
        found: String,
    },

    /// A part of a quota in another unit than the rest, or a quota that is
    /// neither money nor a quantity: a quota in 亩 never meets 元.
    ///
    /// Triggered by `给予 额度 实际使用土地指标 的 50%，最高 100万元`,
    /// `给予 额度 50%`.
    #[error("额度{problem}")]
    #[diagnostic(
        code(zc::check::quota_unit),
        help(
            "额度是以一个单位计的数量或以元计的金额，各部分同一单位：以亩计的额度封顶也写亩，如 ，最高 100亩"
        )
    )]
    QuotaUnit {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The part.
        #[label("这是{found}")]
        span: SourceSpan,
        /// Its kind.
        found: String,
        /// What is wrong.
        problem: String,
    },

    /// 额度 with a form it does not take: 酌定, 每项, a range, 减免, or a
    /// 事项 that would weigh it against money.
    ///
    /// Triggered by `给予 额度 酌定`, `给予 额度 减免 …`, `给予 额度 自 … 起 …，累计 最高 …`.
    #[error("额度 不与 {what} 连用")]
    #[diagnostic(
        code(zc::check::quota_form),
        help(
            "额度 之后写一笔数额（可带 最高、不少于 和封顶）或分年给予：给予 额度 实际使用土地指标 的 50%；额度不与别的给予比较，不写 事项"
        )
    )]
    QuotaForm {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// Where.
        #[label("这里")]
        span: SourceSpan,
        /// What it was written with.
        what: String,
    },

    /// A 每项 grant's count cap that is no whole number of 项 from 1 on.
    ///
    /// Triggered by `，最多 0项`, `，最多 2.5项`, `，最多 8名`.
    #[error("“最多 {written}”：{problem}")]
    #[diagnostic(
        code(zc::check::item_count),
        help("写 最多 8项（1 以上的整数加 项）：符合条件的项多于 8 项时，只支付金额最高的 8 项")
    )]
    ItemCount {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The count.
        #[label("项数")]
        span: SourceSpan,
        /// The count as written.
        written: String,
        /// What is wrong.
        problem: String,
    },

    /// A window that ends before it starts.
    ///
    /// Triggered by `施行 2024年1月1日 至 2023年12月31日`.
    #[error("施行期的结束日期早于开始日期")]
    #[diagnostic(code(zc::check::window_reversed), help("检查日期是否写反"))]
    WindowReversed {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The window.
        #[label("结束早于开始")]
        span: SourceSpan,
    },

    /// An application window that ends before it starts.
    ///
    /// Triggered by `申报 2023年1月31日 至 2023年1月1日`.
    #[error("申报期的结束日期早于开始日期")]
    #[diagnostic(
        code(zc::check::application_window_reversed),
        help("检查日期是否写反：申报期写作 申报 开始日期 至 结束日期")
    )]
    ApplicationWindowReversed {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The window.
        #[label("结束早于开始")]
        span: SourceSpan,
    },

    /// A window counted from the publication date in a policy that does
    /// not say when it was published.
    ///
    /// Triggered by `施行 发布 起` or `施行 发布后30日 起` in a policy with no
    /// `发布 …` line.
    ///
    /// ## Resolution
    ///
    /// Add `发布 2024年5月20日`; when the source gives no date, `发布 未定`
    /// says so and the policy is "not in force" until it is known.
    #[error("施行期用到了发布日期，但政策没有写 发布")]
    #[diagnostic(
        code(zc::check::bad_window),
        help("在政策中写明 发布 2024年5月20日；原文没有给出日期时写 发布 未定")
    )]
    BadWindow {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The window.
        #[label("从发布日期起算")]
        span: SourceSpan,
    },

    /// A validity window whose length or delay cannot be read as a period
    /// of time.
    ///
    /// Triggered by `施行 2024年1月1日 起 3人`, `起 1.5年` or `起 99999999年`.
    ///
    /// ## Resolution
    ///
    /// Write a whole number of 年, 个月, 周 or 日 (`起 18个月`, not `起 1.5年`).
    #[error("施行期无法确定：{}", crate::diagnostics::quote(.reason))]
    #[diagnostic(
        code(zc::check::window_length),
        help(
            "施行期的长度和“发布后”的间隔写成整数个 年、个月、周 或 日，如 施行 2024年1月1日 起 3年、施行 发布后30日 起"
        )
    )]
    WindowLength {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The window.
        #[label("这个施行期")]
        span: SourceSpan,
        /// What is wrong.
        reason: String,
    },

    /// A window counted in working days that runs into days the
    /// working-day calendar (`src/calendar/holidays.toml`) does not cover:
    /// which of them are holidays or make-up working days is not known, and
    /// is never guessed from the weekends.
    ///
    /// Triggered by `施行 发布后10工作日 起` with `发布 2030年1月1日`.
    ///
    /// ## Resolution
    ///
    /// Add the year's 《国务院办公厅关于XXXX年部分节假日安排的通知》 to the
    /// data file, or count the window in 日.
    #[error("无法按工作日计算：{date}不在工作日日历收录的日期内")]
    #[diagnostic(code(zc::check::calendar_unknown), help("{help}"))]
    CalendarUnknown {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The period counted in working days.
        #[label("按工作日计算")]
        span: SourceSpan,
        /// The first day the calendar does not cover, as drafters write it.
        date: String,
        /// Which days are covered and how to add a year.
        help: String,
    },

    /// A date word (不晚于, 早于, 晚于, 不早于) comparing something that is
    /// not a date.
    ///
    /// Triggered by `对 研发投入 不晚于 500万元 …`.
    ///
    /// ## Resolution
    ///
    /// Compare amounts and counts with 不超过, 低于, 超过 or 不低于; keep the
    /// date words for dates (`办结日期 不晚于 受理日期 后 5个工作日`).
    #[error("“{word}”只能比较日期，而这里是{found}")]
    #[diagnostic(code(zc::check::date_word), help("{help}"))]
    DateWord {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The side that is not a date.
        #[label("{found}，不是日期")]
        span: SourceSpan,
        /// The word.
        word: String,
        /// What the side is.
        found: String,
        /// The word to use instead.
        help: String,
    },

    /// A rank that is not a whole number from 1 on: `第0名`, `前2.5名`.
    ///
    /// Triggered by `对 全区排名 前0名 …`.
    ///
    /// ## Resolution
    ///
    /// Write the rank as the list gives it: `第1名` is the best, `前5名`
    /// the first five.
    #[error("“{text}”不是名次：{why}")]
    #[diagnostic(
        code(zc::check::rank_form),
        help(
            "名次是不小于 1 的整数，第1名 最靠前：写成 第3名 或 第三名，前五名写 前5名 或 前五名"
        )
    )]
    RankForm {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The rank as written.
        #[label("不是名次")]
        span: SourceSpan,
        /// The rank as written.
        text: String,
        /// What is wrong with it.
        why: String,
    },

    /// A word comparing sizes (超过, 以上, 不低于 …) applied to a rank, where
    /// a higher place is a smaller number and the words read both ways.
    ///
    /// Triggered by `对 全区排名 第5名 以上 …`.
    ///
    /// ## Resolution
    ///
    /// Write `前5名` for the first five; `非 全区排名 前5名` for the sixth and
    /// after; or a symbol, which compares the numbers (`全区排名 ≤ 第5名`).
    #[error("“{word}”用于名次有两种读法：名次越靠前，数越小")]
    #[diagnostic(
        code(zc::check::rank_wording),
        help(
            "前五名写 {fact} 前5名；第六名及以后写 非 {fact} 前5名；某一名写 {fact} 为 第3名；也可用符号比较名次的数：{fact} ≤ 第5名（第1名 到 第5名）"
        )
    )]
    RankWording {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The comparison word.
        #[label("比较名次的词")]
        span: SourceSpan,
        /// The word as written.
        word: String,
        /// The rank fact (or the left side) as written.
        fact: String,
    },

    /// A fraction written anywhere but as a share after 的 or as the
    /// value a ratio is compared with.
    ///
    /// Triggered by `给予 投资额 × 三分之一 …`.
    ///
    /// ## Resolution
    ///
    /// Write the base it is a fraction of: `投资额 的 三分之一`; a ratio
    /// compares with it as `占比 不低于 三分之一`.
    #[error("分数“{text}”只能写在“的”之后（某个数的几分之几），或作为比例比较的值")]
    #[diagnostic(
        code(zc::check::fraction_alone),
        help(
            "写出它是谁的几分之几，如 投资额 的 {text}；比例与它比较写 占比 不低于 {text}；十进制写不出 1/3，所以分数不单独成为一个数"
        )
    )]
    FractionAlone {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The fraction.
        #[label("这里需要一个数值：分数跟在“的”之后，或写在比较词之后")]
        span: SourceSpan,
        /// The fraction as written.
        text: String,
    },

    /// The fractions after one 的 multiply to more than can be counted.
    ///
    /// Triggered by `X 的 四十亿分之一 的 四十亿分之一` (written in digits).
    #[error("几个分数相乘，分子或分母过大")]
    #[diagnostic(
        code(zc::check::fraction_size),
        help("把分数约简后再写，或合成一个分数")
    )]
    FractionSize {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The fraction where the product overflowed.
        #[label("乘到这里过大")]
        span: SourceSpan,
    },

    /// A period of time written where a value is expected: a period only
    /// moves a date on, after 后.
    ///
    /// Triggered by `对 办理时长 不超过 5个工作日 …`.
    ///
    /// ## Resolution
    ///
    /// Write the deadline as a date: `办结日期 不晚于 受理日期 后 5个工作日`.
    #[error("期间“{period}”只能写在“后”之后，用来推算日期")]
    #[diagnostic(
        code(zc::check::period_alone),
        help(
            "期限写成日期的比较，如 办结日期 不晚于 受理日期 后 {period}；按日计的数量写成 数量(日) 事实与 3日 比较"
        )
    )]
    PeriodAlone {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The period.
        #[label("这里需要数值，不是期间")]
        span: SourceSpan,
        /// The period as written.
        period: String,
    },

    /// A period after 后 that is not a whole number of its unit, or is too
    /// long to count.
    ///
    /// Triggered by `受理日期 后 2.5个工作日`.
    ///
    /// ## Resolution
    ///
    /// Periods count whole days, working days, weeks, months or years:
    /// write a whole number (`3个工作日`), or a smaller unit.
    #[error("期间不能计算：{reason}")]
    #[diagnostic(
        code(zc::check::period_fraction),
        help("期间按整日、整工作日、整月或整年计算，写成整数，如 3个工作日；半个月写成 15日")
    )]
    PeriodFraction {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The period.
        #[label("这个期间")]
        span: SourceSpan,
        /// What is wrong.
        reason: String,
    },

    /// A 出处 whose first line comes after its last.
    ///
    /// Triggered by `出处 第407行 至 第378行`.
    ///
    /// ## Resolution
    ///
    /// Write the smaller line number first: the range is the corpus lines
    /// the policy encodes, first to last, both included.
    #[error("出处的起始行（第{first}行）晚于结束行（第{last}行）")]
    #[diagnostic(
        code(zc::check::provenance_reversed),
        help("先写起始行，再写结束行，如 出处 第{last}行 至 第{first}行")
    )]
    ProvenanceReversed {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The 出处.
        #[label("起始行大于结束行")]
        span: SourceSpan,
        /// The line written first.
        first: u32,
        /// The line written last.
        last: u32,
    },

    /// Definitions that refer to each other in a circle.
    ///
    /// Triggered by `定义 甲 = 乙` and `定义 乙 = 甲`.
    #[error("定义循环引用：{cycle}")]
    #[diagnostic(
        code(zc::check::definition_cycle),
        help("定义不能直接或间接引用自身；把共同部分拆成独立的定义")
    )]
    DefinitionCycle {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// Where the cycle closes.
        #[label("这里又回到了开头")]
        span: SourceSpan,
        /// The names in the cycle.
        cycle: String,
    },

    /// Definitions that use definitions so deeply that the checked
    /// program would nest too deep.
    ///
    /// Triggered by `定义 甲1 = 甲0`, `定义 甲2 = 甲1`, … `定义 甲200 = 甲199`.
    ///
    /// ## Resolution
    ///
    /// Write the deeper definitions out in one, or use the underlying facts
    /// directly.
    #[error("定义层层引用，展开后嵌套超过 {limit} 层（从定义“{}”开始）", crate::diagnostics::quote(.name))]
    #[diagnostic(
        code(zc::check::definition_too_deep),
        help("每引用一个定义，它的内容就展开在引用处；把中间的定义合并，或直接引用底层的事实")
    )]
    DefinitionTooDeep {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// Where the nesting went past the limit.
        #[label("这里超过了 {limit} 层")]
        span: SourceSpan,
        /// The outermost definition being resolved (empty in a clause).
        name: String,
        /// The limit.
        limit: usize,
    },

    /// Definitions whose uses, copied out, would make the program too
    /// large.
    ///
    /// Triggered by `定义 甲1 = 甲0 且 甲0`, `定义 甲2 = 甲1 且 甲1`, … where
    /// each definition uses the previous one twice, doubling at every step.
    ///
    /// ## Resolution
    ///
    /// Use each definition fewer times, or state the condition directly.
    #[error("定义展开后过大（超过 {limit}）")]
    #[diagnostic(
        code(zc::check::definitions_too_large),
        help(
            "每次引用定义都会把它的内容展开一次；定义反复引用前一个定义时，规模成倍增长。减少重复引用，或直接写出条件"
        )
    )]
    DefinitionsTooLarge {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The use that went over.
        #[label("展开到这里时超出上限")]
        span: SourceSpan,
        /// The limit.
        limit: usize,
    },

    /// An ordered comparison on an unordered enumeration, a yes/no fact or
    /// a text.
    ///
    /// Triggered by `认定类型 首次认定 及以上`.
    #[error("{what}没有先后顺序，不能比较大小")]
    #[diagnostic(
        code(zc::check::unordered_comparison),
        help("需要“及以上”时，把枚举声明为有序：用“<”从低到高排列取值，如 一星 < 二星 < 三星")
    )]
    UnorderedComparison {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The comparison.
        #[label("无序的比较")]
        span: SourceSpan,
        /// What was compared.
        what: String,
    },

    /// 分别 without a list in the condition.
    ///
    /// Triggered by `对 高新技术企业 分别 给予 10万元、20万元`.
    #[error("“分别”需要条件中的并列项")]
    #[diagnostic(
        code(zc::check::tiers_without_list),
        help("写成 对 甲、乙 分别 给予 A、B，或 对 事实 为 甲、乙 分别 给予 A、B")
    )]
    TiersWithoutList {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The condition.
        #[label("这里没有用顿号并列的条件")]
        span: SourceSpan,
    },

    /// A per-unit amount whose counted fact cannot be determined.
    ///
    /// Triggered by `给予 每辆 1万元` when no fact, or several, have 辆.
    #[error("无法确定“每{}”按哪个事实计算", crate::diagnostics::quote(.unit))]
    #[diagnostic(code(zc::check::per_unit_fact), help("{help}"))]
    PerUnitFact {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The 每<unit>.
        #[label("按哪个数量？")]
        span: SourceSpan,
        /// The unit.
        unit: String,
        /// How to fix it.
        help: String,
    },

    /// A unit that is neither built in nor declared.
    ///
    /// Triggered by `数量(宗)`, `3宗` or `每宗` with no `单位 宗` in any
    /// 词汇.
    #[error("未知的单位“{unit}”")]
    #[diagnostic(code(zc::check::unknown_unit), help("{help}"))]
    UnknownUnit {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The unit.
        #[label("既不是内置单位，也没有在词汇中声明")]
        span: SourceSpan,
        /// The unit.
        unit: String,
        /// How to fix it.
        help: String,
    },

    /// A declared unit that cannot be one: not all ideographs, a built-in
    /// unit, a money unit, containing a reserved word, starting with 万,
    /// or declared twice in one file.
    ///
    /// Triggered by `单位 人` (built in) or `单位 ship`.
    #[error("单位“{unit}”不能这样声明：{reason}")]
    #[diagnostic(code(zc::check::unit_form), help("{help}"))]
    UnitForm {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The declared unit.
        #[label("{reason}")]
        span: SourceSpan,
        /// The unit as written.
        unit: String,
        /// What is wrong with it.
        reason: String,
        /// How to fix it.
        help: String,
    },

    /// A per-unit amount for a block of no units.
    ///
    /// Triggered by `每0人 1万元`.
    #[error("“每{block}”：每多少个单位计算的块不能为零")]
    #[diagnostic(
        code(zc::check::per_block),
        help(
            "写 每人、每10人、每满10人 或 每万平方米：按块计算的金额是 数量 ÷ 块 × 每块金额（每满 只计整块）"
        )
    )]
    PerBlock {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The block.
        #[label("块的大小为零")]
        span: SourceSpan,
        /// The block as written, unit included.
        block: String,
    },

    /// A parameter that has no value on the day a policy reading it starts.
    ///
    /// Triggered by a policy from 2023年1月1日 reading a 参数 whose first
    /// date is 2024年1月1日.
    #[error("参数“{param}”最早的取值日期（{first}）晚于政策施行日期（{start}）")]
    #[diagnostic(
        code(zc::check::param_too_late),
        help("为参数补上施行开始时适用的取值")
    )]
    ParamTooLate {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The use.
        #[label("施行初期此参数没有取值")]
        span: SourceSpan,
        /// The parameter.
        param: String,
        /// Its first date.
        first: String,
        /// The policy start.
        start: String,
    },

    /// Payer shares that do not add up to 100%.
    ///
    /// Triggered by `分担 市 50% 区县 40%`.
    #[error("分担比例合计为 {sum}，应为 100%")]
    #[diagnostic(code(zc::check::shares_sum), help("各承担方比例之和必须等于 100%"))]
    SharesSum {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The split.
        #[label("合计 {sum}")]
        span: SourceSpan,
        /// The sum.
        sum: String,
    },

    /// A bound word in front of a range, which already says both bounds.
    ///
    /// Triggered by `给予 最高 投资额 的 5% 至 20%`.
    #[error("区间前面不写“最高”“不少于”等")]
    #[diagnostic(
        code(zc::check::range_form),
        help("区间已经写明下限和上限：去掉这个词，写成 投资额 的 5% 至 20%；只有上限的写 最高 …")
    )]
    RangeForm {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The bound word.
        #[label("多余的上下限词")]
        span: SourceSpan,
    },

    /// A range whose floor is above its ceiling.
    ///
    /// Triggered by `给予 投资额 的 20% 至 5%`.
    #[error("区间的下限 {low} 高于上限 {high}")]
    #[diagnostic(
        code(zc::check::range_reversed),
        help("区间先写下限、后写上限，如 投资额 的 5% 至 20%")
    )]
    RangeReversed {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The range.
        #[label("{low} 至 {high}")]
        span: SourceSpan,
        /// The floor.
        low: String,
        /// The ceiling.
        high: String,
    },

    /// A schedule's runs of years out of order: 后 before any 前, 分 beside
    /// another run, or a split not written 分N年.
    ///
    /// Triggered by `自 落户日期 起 后2年 每年 500万元`.
    #[error("分年给予的年数写法不对：{problem}")]
    #[diagnostic(code(zc::check::schedule_order), help("{help}"))]
    ScheduleOrder {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The run out of place.
        #[label("{problem}")]
        span: SourceSpan,
        /// What is wrong.
        problem: String,
        /// How to fix it.
        help: String,
    },

    /// A cap over the years together written where there are no years.
    ///
    /// Triggered by `给予 最高 30万元，累计 最高 30万元（往年已领 已获补助额）`.
    /// Also a cap over the year's applications (本年已领) written after
    /// 酌定, 每项 or a range.
    #[error("{problem}")]
    #[diagnostic(
        code(zc::check::cumulative_schedule),
        help(
            "“累计 …（往年已领 …）”封顶的是各年合计，写在分年给予之后：给予 自 认定日期 起 分3年 每年 最高 30万元，累计 最高 30万元（往年已领 已获补助额）；“累计 …（本年已领 …）”封顶的是全年各次申领合计，写在一笔金额或分年给予之后：给予 本次补贴额，最高 3万元，累计 最高 5万元（本年已领 本年已申领额）"
        )
    )]
    CumulativeSchedule {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The cap.
        #[label("累计上限写错了位置")]
        span: SourceSpan,
        /// Which reading was written where.
        problem: String,
    },

    /// A number of years that is not a whole number from 1 to 100.
    ///
    /// Triggered by `自 落户日期 起 前1.5年 每年 500万元`.
    #[error("分年给予的年数 {count} 不是 1 到 100 之间的整数")]
    #[diagnostic(
        code(zc::check::schedule_years),
        help("年数按整年计，写成 前3年、后2年、分3年；共计不超过 100 年")
    )]
    ScheduleYears {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The years.
        #[label("{count} 年")]
        span: SourceSpan,
        /// The count as written (or the total of all runs).
        count: String,
    },

    /// A number of consecutive years that is not a whole number from 1 to
    /// 100.
    ///
    /// Triggered by `自 上规日期 起 连续0年 在规`.
    #[error("连续的年数 {count} 不是 1 到 100 之间的整数")]
    #[diagnostic(
        code(zc::check::consecutive_years),
        help("年数按整年计，写成 连续3年、连续三年")
    )]
    ConsecutiveYears {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The years.
        #[label("{count} 年")]
        span: SourceSpan,
        /// The count as written.
        count: String,
    },

    /// A split whose shares are not one per year.
    ///
    /// Triggered by `1000万元 分3年 按 50%、50%`.
    #[error("分{years}年拨付，却写了 {shares} 个比例")]
    #[diagnostic(
        code(zc::check::schedule_split_count),
        help("每年一个比例，用顿号隔开，如 分3年 按 40%、30%、30%")
    )]
    ScheduleSplitCount {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The shares.
        #[label("{shares} 个比例")]
        span: SourceSpan,
        /// Years.
        years: String,
        /// Shares.
        shares: usize,
    },

    /// A split whose shares do not add up to 100%.
    ///
    /// Triggered by `1000万元 分3年 按 40%、30%、20%`.
    #[error("分年拨付的比例合计为 {sum}，应为 100%")]
    #[diagnostic(
        code(zc::check::schedule_split_sum),
        help("各年比例之和必须等于 100%，如 40%、30%、30%")
    )]
    ScheduleSplitSum {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The shares.
        #[label("合计 {sum}")]
        span: SourceSpan,
        /// The sum.
        sum: String,
    },

    /// A payer named twice in one 分担: the split would pay it twice, or
    /// lose one of its shares, and the 100% check would not see it.
    ///
    /// Triggered by `分担 市 50% 区县 50% 市 0%`.
    #[error("分担中“{payer}”出现了两次")]
    #[diagnostic(
        code(zc::check::duplicate_payer),
        help("每个承担方只写一次，把它的比例合在一处，如 分担 市 50% 区县 50%")
    )]
    DuplicatePayer {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The second mention (first: where the diagnostic points).
        #[label(primary, "再次出现")]
        span: SourceSpan,
        /// The first mention.
        #[label("第一次")]
        first: SourceSpan,
        /// The payer.
        payer: String,
    },

    /// A 参数 giving two values on the same date: which one holds that
    /// day cannot be known.
    ///
    /// Triggered by `参数 利率 { 2024年1月1日: 3% 2024-01-01: 4% }`.
    #[error("参数“{param}”在 {date} 有两个值")]
    #[diagnostic(
        code(zc::check::duplicate_param_date),
        help("每个日期只写一个值；调整了取值就写新的生效日期")
    )]
    DuplicateParamDate {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The second entry's date (first: where the diagnostic points).
        #[label(primary, "同一日期再次出现")]
        span: SourceSpan,
        /// The first entry's date.
        #[label("第一次")]
        first: SourceSpan,
        /// The parameter.
        param: String,
        /// The date, in Chinese.
        date: String,
    },

    /// An expectation naming a clause that does not exist.
    ///
    /// Triggered by `期望 第九条 不适用` in a policy without 第九条.
    #[error("期望引用的条款不存在：{reference}")]
    #[diagnostic(code(zc::check::unknown_clause), help("{help}"))]
    UnknownClause {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The reference.
        #[label("没有这个条款")]
        span: SourceSpan,
        /// The reference.
        reference: String,
        /// Suggestions.
        help: String,
    },

    /// A fact in a 案例 whose value does not fit its type.
    ///
    /// Triggered by `事实 { 研发投入: 是 }`.
    #[error("事实“{fact}”的值不符合其类型（{ty}）")]
    #[diagnostic(code(zc::check::case_fact), help("{help}"))]
    CaseFact {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The value.
        #[label("应为{ty}")]
        span: SourceSpan,
        /// The fact.
        fact: String,
        /// Its type.
        ty: String,
        /// How to fix it.
        help: String,
    },

    /// An enumeration listing one value twice.
    ///
    /// Triggered by `星级: 一星 < 二星 < 一星`.
    #[error("“{fact}”的取值“{value}”写了两次")]
    #[diagnostic(
        code(zc::check::duplicate_enum_value),
        help("每个取值只写一次；有序枚举从低到高各写一次")
    )]
    DuplicateEnumValue {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The second mention.
        #[label(primary, "再次出现")]
        span: SourceSpan,
        /// The first mention.
        #[label("第一次")]
        first: SourceSpan,
        /// The value.
        value: String,
        /// The fact.
        fact: String,
    },

    /// A fact given twice in one 案例's 事实, as a facts file may not:
    /// which value the case means cannot be known.
    ///
    /// Triggered by `事实 { 研发投入: 0元  研发投入: 800万元 }`.
    #[error("案例中事实“{fact}”写了两次")]
    #[diagnostic(
        code(zc::check::duplicate_case_fact),
        help("每个事实只写一次；要比较两个值就写两个案例")
    )]
    DuplicateCaseFact {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The second mention.
        #[label(primary, "再次出现")]
        span: SourceSpan,
        /// The first mention.
        #[label("第一次")]
        first: SourceSpan,
        /// The fact.
        fact: String,
    },

    /// Two policies with the same title (a document loaded twice).
    ///
    /// Triggered by loading two files that both contain 政策 《甲》.
    #[error("政策《{}》重复载入", crate::diagnostics::quote(.title))]
    #[diagnostic(
        code(zc::check::duplicate_policy),
        help("同一文件在语料中出现两次时只编码一次；检查是否同时载入了两份相同的政策")
    )]
    DuplicatePolicy {
        /// The file of the second policy.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// Its title.
        #[label("与 {first} 中的政策同名")]
        span: SourceSpan,
        /// The title.
        title: String,
        /// Where the first one is.
        first: String,
    },

    /// The same name defined twice.
    ///
    /// Triggered by two `定义 甲 = …`.
    #[error("“{}”重复定义", crate::diagnostics::quote(.word))]
    #[diagnostic(
        code(zc::check::duplicate_definition),
        help("定义、参数和词汇共用一个命名空间；每个名称只能定义一次")
    )]
    DuplicateDefinition {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The second definition.
        #[label("再次定义")]
        span: SourceSpan,
        /// The name.
        word: String,
    },

    /// An ill-formed 案例 (no date, two dates).
    ///
    /// Triggered by a 案例 without 日期.
    #[error("案例“{case}”{}", crate::diagnostics::quote(.problem))]
    #[diagnostic(
        code(zc::check::case_shape),
        help("每个案例需要且只需要一个 日期，如 日期 2024年6月1日")
    )]
    CaseShape {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The case.
        #[label("这个案例")]
        span: SourceSpan,
        /// The case name.
        case: String,
        /// What is wrong.
        problem: String,
    },

    /// A publication date assumed for a title that no loaded policy has.
    ///
    /// Triggered by `--published '《不存在的政策》=2024-05-20'`, or by
    /// `发布 《不存在的政策》 2024年5月20日` in a 案例.
    #[error("没有载入标题为《{}》的政策，无法假定其发布日期", crate::diagnostics::quote(.title))]
    #[diagnostic(code(zc::check::published_unknown_policy), help("{help}"))]
    PublishedUnknownPolicy {
        /// The argument or the file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The title.
        #[label("没有这项政策")]
        span: SourceSpan,
        /// The title.
        title: String,
        /// A near title, or what to do.
        help: String,
    },

    /// A publication date assumed for a policy that is not `发布 未定`.
    ///
    /// Triggered by `--published` naming a policy written `发布
    /// 2024年5月20日`, or one without `发布`.
    #[error("《{}》{}，不能假定发布日期", crate::diagnostics::quote(.title), crate::diagnostics::quote(.problem))]
    #[diagnostic(code(zc::check::published_known), help("{help}"))]
    PublishedKnown {
        /// The argument or the file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The title.
        #[label("这项政策的发布日期不是未定")]
        span: SourceSpan,
        /// The title.
        title: String,
        /// What the policy says about its publication.
        problem: String,
        /// What to do.
        help: String,
    },

    /// Two publication dates assumed for one policy at once.
    ///
    /// Triggered by `--published 甲=2024-05-20 --published 甲=2024-06-01`,
    /// or two `发布 《甲》 …` lines in one 案例.
    #[error("《{}》的发布日期假定了不止一次", crate::diagnostics::quote(.title))]
    #[diagnostic(
        code(zc::check::published_twice),
        help("每项政策只能假定一个发布日期：删去多余的一个")
    )]
    PublishedTwice {
        /// The argument or the file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The second assumption's title.
        #[label("再次假定")]
        span: SourceSpan,
        /// The title.
        title: String,
    },
}
