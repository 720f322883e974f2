//! Errors of the syntax stage: one per file (pest stops at the first).

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// A syntax error, pointing into the file.
#[derive(Debug, Error, Diagnostic)]
pub enum SyntaxError {
    /// The text does not fit the grammar here.
    ///
    /// Triggered by e.g. `对 研发投入 超过 给予 20万元` (no value after 超过).
    #[error("语法错误：此处应为{expected}，实际是{found}")]
    #[diagnostic(code(zc::syntax::unexpected), help("{help}"))]
    Unexpected {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// Where parsing stopped.
        #[label("此处无法继续解析")]
        span: SourceSpan,
        /// What the grammar expected, in Chinese.
        expected: String,
        /// What was found.
        found: String,
        /// How to fix it.
        help: String,
    },

    /// Parentheses nested deeper than the limit.
    ///
    /// Triggered by 65 nested brackets: `（`, `｛` or `［`.
    #[error("括号嵌套超过 {limit} 层")]
    #[diagnostic(
        code(zc::syntax::too_deep),
        help("拆分条件：用 定义 给内层条件命名，再在条款中引用该名称")
    )]
    TooDeep {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The parenthesis that went too deep.
        #[label("第 {limit} 层以下的括号从这里开始")]
        span: SourceSpan,
        /// The limit.
        limit: usize,
    },

    /// A NUL byte: policy files are text, so this is a file saved as
    /// UTF-16 or a damaged one.
    ///
    /// Triggered by `对 甲\0 给予 1元`.
    #[error("文件中有 NUL 字节（U+0000）")]
    #[diagnostic(
        code(zc::syntax::nul_byte),
        help("文件可能是 UTF-16 编码或已损坏；请用文本编辑器另存为 UTF-8 编码")
    )]
    NulByte {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The byte.
        #[label("NUL 字节")]
        span: SourceSpan,
    },

    /// A number too large or otherwise unreadable.
    ///
    /// Triggered by `99999999999999999999999999999999元`.
    #[error("数值无法表示：{}", crate::diagnostics::quote(.reason))]
    #[diagnostic(
        code(zc::syntax::number),
        help("金额和比例以精确小数计算，最多 28 位有效数字；请检查数字是否写错")
    )]
    BadNumber {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The number.
        #[label("这个数")]
        span: SourceSpan,
        /// Why.
        reason: String,
    },

    /// A rank in Chinese numerals that is no numeral.
    ///
    /// Triggered by `第十十名`, `前一百五名`.
    #[error("“{text}”不是规范的中文数字")]
    #[diagnostic(
        code(zc::syntax::rank_numeral),
        help(
            "中文数字写成 第三名、前十名、第十二名、前二十名、第一百零五名，或用阿拉伯数字：第12名"
        )
    )]
    RankNumeral {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The numeral.
        #[label("这个数")]
        span: SourceSpan,
        /// The numeral as written.
        text: String,
    },

    /// A number of years in Chinese numerals that is no numeral.
    ///
    /// Triggered by `前十十年`, `分一二年`.
    #[error("“{text}”不是规范的中文数字")]
    #[diagnostic(
        code(zc::syntax::year_numeral),
        help("年数写成 前三年、后两年、分十年，或用阿拉伯数字：前3年")
    )]
    YearNumeral {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The numeral.
        #[label("这个数")]
        span: SourceSpan,
        /// The numeral as written.
        text: String,
    },

    /// A side of a fraction in Chinese numerals that is no numeral.
    ///
    /// Triggered by `三分之十十`, `一二分之一`.
    #[error("“{text}”不是规范的中文数字")]
    #[diagnostic(
        code(zc::syntax::fraction_numeral),
        help("分数写成 三分之一、十二分之五、百分之二十，或用阿拉伯数字：3分之1")
    )]
    FractionNumeral {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The numeral.
        #[label("这个数")]
        span: SourceSpan,
        /// The numeral as written.
        text: String,
    },

    /// A fraction over zero.
    ///
    /// Triggered by `零分之一`, `0分之1`.
    #[error("分数的分母不能为零")]
    #[diagnostic(
        code(zc::syntax::fraction_zero),
        help("“分之”前面是分母，后面是分子：三分之一 是 1/3")
    )]
    FractionZero {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The fraction.
        #[label("分母为零")]
        span: SourceSpan,
    },

    /// A date that does not exist.
    ///
    /// Triggered by `2024年2月30日`.
    #[error("日期不存在：{}", crate::diagnostics::quote(.text))]
    #[diagnostic(
        code(zc::syntax::invalid_date),
        help("检查年、月、日：月份为 1–12，日不超过该月天数")
    )]
    InvalidDate {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The date.
        #[label("不存在的日期")]
        span: SourceSpan,
        /// The text.
        text: String,
    },

    /// Comparison words pointing in opposite directions.
    ///
    /// Triggered by `研发投入 超过 300万元 以下`.
    #[error("比较词方向相反：{words}")]
    #[diagnostic(
        code(zc::syntax::conflicting_comparison),
        help("只保留一个方向：超过/达到/以上 表示下限，不足/低于/以下 表示上限")
    )]
    ConflictingComparison {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The comparison.
        #[label("方向矛盾")]
        span: SourceSpan,
        /// The two words.
        words: String,
    },

    /// A 案例 with more than one 日期.
    ///
    /// Triggered by `案例 “甲” { 日期 2024年1月1日 日期 2024年2月1日 }`.
    #[error("案例中有多个 日期")]
    #[diagnostic(
        code(zc::syntax::duplicate_case_date),
        help("每个案例只评估一个日期；需要比较两个日期时写成两个案例")
    )]
    DuplicateCaseDate {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The second date.
        #[label("第二个日期")]
        span: SourceSpan,
    },

    /// Quotation marks around nothing but spaces, where a word is
    /// expected: no register header, facts key or cell could name it.
    ///
    /// Triggered by `词汇 { “ ”: 是否 }`.
    #[error("引号中没有词")]
    #[diagnostic(
        code(zc::syntax::empty_name),
        help("引号中写一个词，如 “研发投入”；引号内两边的空格不算")
    )]
    EmptyName {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The quotation marks.
        #[label("空的名称")]
        span: SourceSpan,
    },

    /// An enumeration mixing `|` and `<`.
    ///
    /// Triggered by `星级: 一星 < 二星 | 三星`.
    #[error("枚举不能混用“|”和“<”")]
    #[diagnostic(
        code(zc::syntax::mixed_enum),
        help("有序枚举全部用“<”从低到高排列；无序枚举全部用“|”")
    )]
    MixedEnum {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The enumeration.
        #[label("这个枚举")]
        span: SourceSpan,
    },

    /// The lowering met a tree the grammar should not produce.
    #[error("内部错误：{}", crate::diagnostics::quote(.message))]
    #[diagnostic(
        code(zc::syntax::internal),
        help("这是 zhengce 的缺陷，不是政策文件的问题；请附上此文件报告给维护者")
    )]
    Internal {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// Where.
        #[label("解析到这里")]
        span: SourceSpan,
        /// What went wrong.
        message: String,
    },
}
