//! The warnings themselves: data only, prose in the attributes.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// Every lint name, as `允许` accepts it.
pub const NAMES: &[&str] = &[
    "contradictory-wording",
    "missing-source",
    "threshold-overlap",
    "threshold-gap",
    "never-applies",
    "cap-never-binds",
    "cap-always-binds",
    "policy-expired",
    "policy-not-yet-in-force",
    "full-width-alphanumeric",
    "unknown-lint",
];

/// A warning.
#[derive(Debug, Error, Diagnostic)]
pub enum Lint {
    /// `超过 300万元（含）以上`: an exclusive word made inclusive.
    #[error("比较的措辞自相矛盾，按“不低于”（含边界）理解")]
    #[diagnostic(
        code(zc::lint::contradictory_wording),
        severity(Warning),
        help(
            "“超过”不含边界，“（含）”“以上”含边界；改写为 达到 300万元 以上 或 300万元（含）以上\n如确属本意：允许 contradictory-wording"
        )
    )]
    ContradictoryWording {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The words.
        #[label("含边界还是不含？")]
        span: SourceSpan,
    },

    /// A clause in a 政策 without 原文.
    #[error("{clause}没有原文")]
    #[diagnostic(
        code(zc::lint::missing_source),
        severity(Warning),
        help(
            "在条款后加 原文 「…」 引用它所编码的政策原句，便于核对\n如确属本意：允许 missing-source"
        )
    )]
    MissingSource {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The clause.
        #[label("缺少 原文")]
        span: SourceSpan,
        /// `条款“第三条”`, or `这个条款` when it has no label.
        clause: String,
    },

    /// Two clauses that split the same amount at a threshold and both
    /// include it: `100万元 以上` and `100万元 以下`.
    #[error("两个条款在 {} 处重叠：恰好为 {} 时两条都适用", crate::diagnostics::quote(.value), crate::diagnostics::quote(.value))]
    #[diagnostic(
        code(zc::lint::threshold_overlap),
        severity(Warning),
        help(
            "以上、以下、达到、不超过 都包含边界；一侧改用 超过 或 不足（不含边界），如 超过 {value} 与 {value} 以下\n如确属本意：允许 threshold-overlap"
        )
    )]
    ThresholdOverlap {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The first comparison.
        #[label("包含 {value}")]
        first: SourceSpan,
        /// The second comparison.
        #[label("也包含 {value}")]
        second: SourceSpan,
        /// The threshold as written.
        value: String,
    },

    /// Two clauses that split the same amount at a threshold and both
    /// leave it out: `超过 100万元` and `不足 100万元`.
    #[error("两个条款在 {} 处留有空档：恰好为 {} 时两条都不适用", crate::diagnostics::quote(.value), crate::diagnostics::quote(.value))]
    #[diagnostic(
        code(zc::lint::threshold_gap),
        severity(Warning),
        help(
            "超过、不足、高于、低于 都不含边界；一侧改用 以上 或 以下（含边界），如 超过 {value} 与 {value} 以下\n如确属本意：允许 threshold-gap"
        )
    )]
    ThresholdGap {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The first comparison.
        #[label("不含 {value}")]
        first: SourceSpan,
        /// The second comparison.
        #[label("也不含 {value}")]
        second: SourceSpan,
        /// The threshold as written.
        value: String,
    },

    /// A clause whose conditions cannot hold together.
    #[error("{clause}永远不会适用：条件相互矛盾")]
    #[diagnostic(
        code(zc::lint::never_applies),
        severity(Warning),
        help(
            "“且”和并列的词要求所有条件同时成立；若本意是其一成立即可，用“或”或顿号（、）连接，否则改正数值或取值\n如确属本意：允许 never-applies"
        )
    )]
    NeverApplies {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// One condition.
        #[label("这个条件")]
        first: SourceSpan,
        /// A condition that cannot hold with it.
        #[label("与前一个条件不能同时成立")]
        second: SourceSpan,
        /// `条款“第三条”`, or `这个条款` when it has no label.
        clause: String,
    },

    /// A cap the amount can never reach.
    #[error("{what} {cap} 不起作用：按条件，{subject}最多为 {most}")]
    #[diagnostic(
        code(zc::lint::cap_never_binds),
        severity(Warning),
        help(
            "核对金额、比例、条件或上限是否写错；若上限确实多余，删去它\n如确属本意：允许 cap-never-binds"
        )
    )]
    CapNeverBinds {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// What is capped.
        #[label("最多 {most}")]
        amount: SourceSpan,
        /// The cap.
        #[label("{what}")]
        cap_span: SourceSpan,
        /// 上限 or 基数上限.
        what: String,
        /// 金额 or 基数.
        subject: String,
        /// The cap.
        cap: String,
        /// The largest value of what is capped.
        most: String,
    },

    /// A cap the amount always reaches: the grant is in effect fixed.
    #[error("{what} {cap} 总是起作用：按条件，{subject}至少为 {least}")]
    #[diagnostic(
        code(zc::lint::cap_always_binds),
        severity(Warning),
        help(
            "结果总是等于上限；若本意就是定额，直接写出该金额，否则核对金额、比例、条件或上限\n如确属本意：允许 cap-always-binds"
        )
    )]
    CapAlwaysBinds {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// What is capped.
        #[label("至少 {least}")]
        amount: SourceSpan,
        /// The cap.
        #[label("{what}")]
        cap_span: SourceSpan,
        /// 上限 or 基数上限.
        what: String,
        /// 金额 or 基数.
        subject: String,
        /// The cap.
        cap: String,
        /// The smallest value of what is capped.
        least: String,
    },

    /// With `--date`: a policy whose window ended before that date.
    #[error("《{}》已于 {end} 失效（检查日期 {date}）", crate::diagnostics::quote(.title))]
    #[diagnostic(
        code(zc::lint::policy_expired),
        severity(Warning),
        help(
            "在检查日期，此政策的条款都不适用；如政策已延续，修改 施行 的结束日期\n如确属本意：允许 policy-expired"
        )
    )]
    PolicyExpired {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The title.
        #[label("施行期至 {end}")]
        span: SourceSpan,
        /// The title.
        title: String,
        /// The last day in force.
        end: String,
        /// The date asked about.
        date: String,
    },

    /// With `--date`: a policy whose window starts after that date.
    #[error("《{}》自 {start} 起施行，检查日期 {date} 尚未生效", crate::diagnostics::quote(.title))]
    #[diagnostic(
        code(zc::lint::policy_not_yet_in_force),
        severity(Warning),
        help(
            "在检查日期，此政策的条款都不适用；核对 施行 的开始日期\n如确属本意：允许 policy-not-yet-in-force"
        )
    )]
    PolicyNotYetInForce {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The title.
        #[label("施行期自 {start}")]
        span: SourceSpan,
        /// The title.
        title: String,
        /// The first day in force.
        start: String,
        /// The date asked about.
        date: String,
    },

    /// Full-width letters or digits in a word: `５Ｇ基站` and `5G基站` look
    /// alike but are different words.
    #[error("“{}”中有全角字符：{chars}", crate::diagnostics::quote(.word))]
    #[diagnostic(
        code(zc::lint::full_width_alphanumeric),
        severity(Warning),
        help(
            "全角与半角的字母、数字看起来相同，却是不同的字符，同一个词会被当作两个词；改写为 {fixed}\n如确属本意：允许 full-width-alphanumeric"
        )
    )]
    FullWidthAlphanumeric {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The word.
        #[label("含全角字符")]
        span: SourceSpan,
        /// The word.
        word: String,
        /// The full-width characters.
        chars: String,
        /// The word in half-width characters.
        fixed: String,
    },

    /// `允许` naming no lint.
    #[error("没有名为“{}”的警告", crate::diagnostics::quote(.name))]
    #[diagnostic(code(zc::lint::unknown_lint), severity(Warning), help("{help}"))]
    UnknownLint {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The name.
        #[label("未知的警告名称")]
        span: SourceSpan,
        /// The name.
        name: String,
        /// Suggestions.
        help: String,
    },
}

impl Lint {
    /// The kebab-case name used by `允许`.
    pub fn name(&self) -> &'static str {
        match self {
            Lint::ContradictoryWording { .. } => "contradictory-wording",
            Lint::MissingSource { .. } => "missing-source",
            Lint::ThresholdOverlap { .. } => "threshold-overlap",
            Lint::ThresholdGap { .. } => "threshold-gap",
            Lint::NeverApplies { .. } => "never-applies",
            Lint::CapNeverBinds { .. } => "cap-never-binds",
            Lint::CapAlwaysBinds { .. } => "cap-always-binds",
            Lint::PolicyExpired { .. } => "policy-expired",
            Lint::PolicyNotYetInForce { .. } => "policy-not-yet-in-force",
            Lint::FullWidthAlphanumeric { .. } => "full-width-alphanumeric",
            Lint::UnknownLint { .. } => "unknown-lint",
        }
    }
}
