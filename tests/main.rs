//! zhengce's integration tests, built as one test binary so that the
//! library and its dependencies are linked once, not once per file.
//! Each module is one file of `tests/`; data-file cases live in the
//! directories beside them.

mod apply;
mod batch;
mod bench_baseline;
mod canonical;
mod cases;
mod check;
mod check_cli;
mod cli;
mod common;
mod coverage;
mod derive;
mod diff;
mod eval;
mod examples;
mod fmt_cli;
mod fmt_files;
mod fmt_props;
mod generate;
mod hostile;
mod hostile_cli;
mod lsp;
mod matching;
mod money_props;
mod overlap;
mod pipeline;
mod policies;
mod provenance;
mod published;
mod reader_props;
mod readers;
mod readme;
// The synthetic register of the benchmarks, shared by several modules.
#[path = "../benches/common/register.rs"]
mod register;
mod register_report;
mod repl;
mod robust_props;
