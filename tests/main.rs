//! zhengce's integration tests, built as one test binary so that the
//! library and its dependencies are linked once, not once per file.
//! Each module is one file of `tests/`; data-file cases live in the
//! directories beside them.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "a test fails by panicking, and indexes what it has just built"
)]

mod apply;
// The benchmark's register generator and hand-written baseline, shared with
// `benches/`.
#[path = "../benches/common/baseline.rs"]
#[expect(
    clippy::indexing_slicing,
    reason = "the baseline is hand-written for speed, with indices bounded by construction"
)]
mod baseline;
mod batch;
mod bench_baseline;
mod by_year;
mod canonical;
mod cases;
mod check;
mod check_cli;
mod ci;
mod cli;
mod common;
mod coverage;
mod currency;
mod derive;
mod diff;
mod eval;
mod examples;
mod fmt_cli;
mod fmt_files;
mod fmt_props;
mod fraction_props;
mod generate;
mod help;
mod hostile;
mod hostile_cli;
mod hostile_io;
mod items;
mod language_doc;
mod lsp;
mod matching;
mod money_props;
mod overlap;
mod pipeline;
mod policies;
mod provenance;
mod published;
mod quotas;
mod reader_props;
mod readers;
mod readme;
#[path = "../benches/common/register.rs"]
mod register;
mod register_report;
mod repl;
mod robust_props;
mod units;
