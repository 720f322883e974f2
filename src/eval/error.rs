//! Errors of evaluation: arithmetic that cannot be done exactly, and
//! runaway evaluation. A missing fact is never an error (it makes a clause
//! undecided).

use std::sync::Arc;

use chrono::NaiveDate;
use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

use crate::program::{Loc, Program};

/// An evaluation error as the caller of [`evaluate`](crate::eval::evaluate)
/// sees it: a diagnostic with the source text it points into. Inside the
/// evaluator a [`Fault`] travels instead, and becomes this at the top.
#[derive(Debug, Error, Diagnostic)]
#[error(transparent)]
#[diagnostic(transparent)]
pub struct EvalError(Box<EvalErrorKind>);

impl EvalError {
    /// What went wrong, and where.
    pub fn kind(&self) -> &EvalErrorKind {
        &self.0
    }
}

impl From<EvalErrorKind> for EvalError {
    fn from(kind: EvalErrorKind) -> Self {
        EvalError(Box::new(kind))
    }
}

/// What went wrong in an evaluation.
#[derive(Debug, Error, Diagnostic)]
pub enum EvalErrorKind {
    /// A result beyond rust_decimal's range (about 7.9×10²⁸).
    ///
    /// Triggered by `研发投入 × 研发投入 × 研发投入` with 研发投入 = 1亿元.
    #[error("计算溢出：结果超出可精确表示的范围")]
    #[diagnostic(
        code(zc::eval::overflow),
        help("检查事实的数值是否多写了位数，或公式是否误把金额相乘")
    )]
    Overflow {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The operation.
        #[label("这一步溢出")]
        span: SourceSpan,
    },

    /// Division by zero.
    ///
    /// Triggered by `研发投入 ÷ 研发投入新增额` with 研发投入新增额 = 0元.
    #[error("除数为零")]
    #[diagnostic(
        code(zc::eval::division_by_zero),
        help("除数来自事实时，在条件中先排除为零的情形，如 对 研发投入新增额 超过 0元 …")
    )]
    DivisionByZero {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The division.
        #[label("除数为零")]
        span: SourceSpan,
    },

    /// A parameter read before its first dated value.
    ///
    /// Triggered by reading `LPR一年期` on 2020年1月1日 when its first value is
    /// dated 2023年1月20日.
    #[error("参数“{param}”在 {date} 没有取值")]
    #[diagnostic(
        code(zc::eval::param_undefined),
        help("为参数补上更早的取值，或改用施行期内的评估日期")
    )]
    ParamUndefined {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The use.
        #[label("这里读取了参数")]
        span: SourceSpan,
        /// The parameter.
        param: String,
        /// The evaluation date.
        date: String,
    },

    /// A deadline counted in working days that runs into days the
    /// working-day calendar does not cover: never guessed from weekends.
    ///
    /// Triggered by `受理日期 后 5个工作日` with 受理日期 = 2040年1月1日.
    #[error("无法按工作日计算期限：{date}不在工作日日历收录的日期内")]
    #[diagnostic(
        code(zc::eval::calendar_unknown),
        help(
            "在 src/calendar/holidays.toml 中按该年《国务院办公厅关于XXXX年部分节假日安排的通知》追加一张表，或改按 日 计算期限"
        )
    )]
    CalendarUnknown {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The deadline.
        #[label("按工作日推算的期限")]
        span: SourceSpan,
        /// The first day not covered.
        date: String,
    },

    /// Evaluation took more steps than allowed.
    ///
    /// Triggered by definitions that each use the previous one several
    /// times (`定义 甲2 = 甲1 且 甲1 且 甲1 …`): each use evaluates the whole
    /// body again.
    #[error("评估步数超过上限（{limit} 步）")]
    #[diagnostic(
        code(zc::eval::out_of_fuel),
        help("政策过于复杂或定义之间层层嵌套；拆分政策文件后分别评估")
    )]
    OutOfFuel {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// What was being evaluated when the budget ran out.
        #[label("评估到这里时步数用尽")]
        span: SourceSpan,
        /// The limit.
        limit: u64,
    },
}

/// What went wrong while evaluating, and the node where: all the evaluating
/// functions' `Result`s carry on the hot path, one pointer wide. The
/// source text is looked up only when the fault leaves the evaluator, by
/// [`Fault::located`].
#[derive(Debug)]
pub struct Fault(Box<(FaultKind, Loc)>);

/// The kinds of [`Fault`], each one [`EvalErrorKind`]'s code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// `zc::eval::overflow`.
    Overflow,
    /// `zc::eval::division_by_zero`.
    DivisionByZero,
    /// `zc::eval::param_undefined`: the parameter's name, and the date it
    /// was read for.
    ParamUndefined {
        /// The parameter.
        param: String,
        /// The evaluation date.
        date: NaiveDate,
    },
    /// `zc::eval::calendar_unknown`: the first day the working-day
    /// calendar does not cover.
    CalendarUnknown {
        /// The day.
        date: NaiveDate,
    },
    /// `zc::eval::out_of_fuel`, with the step budget.
    OutOfFuel {
        /// The limit.
        limit: u64,
    },
}

impl Fault {
    /// A fault of `kind` at `at`.
    pub fn new(kind: FaultKind, at: Loc) -> Self {
        Fault(Box::new((kind, at)))
    }

    /// What went wrong.
    pub fn kind(&self) -> &FaultKind {
        &self.0.0
    }

    /// The diagnostic, with the text of the file the fault is in.
    pub fn located(self, program: &Program) -> EvalError {
        let (kind, at) = *self.0;
        let src = program.named_source(at.file);
        let span = at.span.into();
        match kind {
            FaultKind::Overflow => EvalErrorKind::Overflow { src, span },
            FaultKind::DivisionByZero => EvalErrorKind::DivisionByZero { src, span },
            FaultKind::ParamUndefined { param, date } => EvalErrorKind::ParamUndefined {
                src,
                span,
                param,
                date: date.to_string(),
            },
            FaultKind::OutOfFuel { limit } => EvalErrorKind::OutOfFuel { src, span, limit },
            FaultKind::CalendarUnknown { date } => EvalErrorKind::CalendarUnknown {
                src,
                span,
                date: crate::check::chinese_date(date),
            },
        }
        .into()
    }
}
