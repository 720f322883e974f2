//! zhengce: Chinese government policy written as machine-checkable clauses.
//!
//! The pipeline reads top to bottom: text → [`parse`] → syntax tree →
//! [`check`] (names, types, lints; produces a resolved [`Program`]) →
//! [`evaluate`] against one entity's [`Facts`] → [`report_human`] or
//! [`report_json`]. [`compile`] does the front half for files on disk;
//! [`run_batch`] evaluates a whole register; [`format_source`] lays a file
//! out as `zhengce fmt` does.
//!
//! ```
//! use zhengce::{EvalConfig, SourceFile};
//!
//! # fn main() -> Result<(), zhengce::Error> {
//! let policy = SourceFile::new(
//!     "高企.zc",
//!     "词汇 {\n  首次认定高新技术企业：是否\n}\n\
//!      “一” 对 首次认定高新技术企业 给予 最高 20万元 奖励\n",
//! );
//! let module = zhengce::parse(&policy)?;
//! let checked = zhengce::check(&[module]).map_err(|mut errors| errors.remove(0))?;
//! let company = SourceFile::new("企业.json", r#"{"首次认定高新技术企业": true}"#);
//! let facts = zhengce::load_facts(&checked.program.vocab, &company)
//!     .map_err(|mut errors| errors.remove(0))?;
//! let date = chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap_or_default();
//! let outcome = zhengce::evaluate(&checked.program, &facts, &EvalConfig::on(date))?;
//! // 最高 20万元: the company may receive up to 200,000 元.
//! assert_eq!(outcome.total.to_yuan_string(), "200000.00");
//! let json = zhengce::report_json(&checked.program, &outcome);
//! assert_eq!(json["clauses"][0]["bound"], "at_most");
//! # Ok(())
//! # }
//! ```
//!
//! What the command line, the tests, the benchmarks and the fuzz targets
//! need beyond this lives in [`internals`], which is not a stable
//! interface.

// What the crate does not export is pub(crate): the public interface is
// what this file says it is.
#![warn(unreachable_pub)]

// pest is built without its `std` feature, whose native stack probe cost
// about a tenth of parsing (`syntax::prescan` bounds the nesting pest
// recurses into before it reads a file); the parser it derives then names
// `alloc`.
extern crate alloc;

mod ast;
mod batch;
mod calendar;
mod check;
mod cli;
mod coverage;
mod currency;
mod diagnostics;
mod diff;
mod error;
mod eval;
mod exposure;
mod facts;
mod fmt;
mod lexicon;
mod load;
mod lsp;
mod matching;
mod num;
mod output;
mod program;
mod repl;
mod report;
mod source;
mod syntax;
mod template;
mod testing;

// Reading and parsing.
pub use load::{compile, compile_with, read_source};
pub use source::SourceFile;
pub use syntax::{SyntaxError, parse};

// Checking.
pub use check::{Assumptions, CheckError, Checked, Lint, check};
pub use program::Program;

// Evaluating one entity.
pub use eval::{
    AmountKind, ClauseKind, ClauseResult, EvalConfig, EvalError, Outcome, Status, Totals, Verdict,
    evaluate,
};
pub use facts::{Facts, FactsError, load as load_facts};
pub use num::{Money, Ratio};

// Reporting.
pub use report::{explain as report_explain, human as report_human, json as report_json};

// A register.
pub use batch::{
    BatchConfig, BatchError, Collect, InputFormat, OutputFormat, Reporter, RowError, Summary,
    run as run_batch,
};

// Formatting.
pub use fmt::{FmtError, format as format_source};

pub use error::Error;

/// The stages' inner modules, for the `zhengce` binary, the tests, the
/// benchmarks and the fuzz targets. Not a stable interface: anything here
/// may change without notice.
#[doc(hidden)]
pub mod internals {
    /// Syntax tree.
    pub mod ast {
        pub use crate::ast::*;
    }
    /// Registers.
    pub mod batch {
        pub use crate::batch::*;
    }
    /// The working-day calendar.
    pub mod calendar {
        pub use crate::calendar::*;
    }
    /// Checking.
    pub mod check {
        pub use crate::check::*;
    }
    /// The command line.
    pub mod cli {
        pub use crate::cli::*;
    }
    /// Rendering diagnostics.
    pub mod diagnostics {
        pub use crate::diagnostics::*;
    }
    /// The error of any stage.
    pub mod error {
        pub use crate::error::*;
    }
    /// Evaluation.
    pub mod eval {
        pub use crate::eval::*;
    }
    /// Facts.
    pub mod facts {
        pub use crate::facts::*;
    }
    /// The formatter.
    pub mod fmt {
        pub use crate::fmt::*;
    }
    /// Loading files.
    pub mod load {
        pub use crate::load::*;
    }
    /// Money and ratios.
    pub mod num {
        pub use crate::num::*;
    }
    /// Foreign currencies.
    pub mod currency {
        pub use crate::currency::*;
    }
    /// The checked program.
    pub mod program {
        pub use crate::program::*;
    }
    /// The REPL.
    pub mod repl {
        pub use crate::repl::*;
    }
    /// Reports.
    pub mod report {
        pub use crate::report::*;
    }
    /// Source files and spans.
    pub mod source {
        pub use crate::source::*;
    }
    /// Parsing.
    pub mod syntax {
        pub use crate::syntax::*;
    }
    /// 案例.
    pub mod testing {
        pub use crate::testing::*;
    }
}
