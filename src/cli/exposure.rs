//! `zhengce exposure`: the most each clause and policy can pay one entity,
//! and with a register what it would pay in total against the budget.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use super::batch::{EncodingArg, Stderr, is_jsonl};
use super::{Exit, Format, print_diagnostics};
use crate::batch::{self, BatchConfig, BatchError, Encoding, InputFormat};
use crate::eval::EvalConfig;
use crate::exposure::exposure;

/// Arguments of `exposure`.
#[derive(Debug, Args)]
pub struct ExposureArgs {
    /// 政策文件或目录。
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// 登记表（CSV 或 JSON Lines）：给出时计算总支出、受益主体数，并与预算比较。
    #[arg(long)]
    pub facts: Option<PathBuf>,
    /// 登记表的评估日期，默认今天。
    #[arg(long, value_parser = super::parse_date_arg)]
    pub date: Option<NaiveDate>,
    /// 登记表的编码。
    #[arg(long, value_enum, default_value = "utf-8")]
    pub encoding: EncodingArg,
    /// 输出格式。
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// `--published`.
    #[command(flatten)]
    pub published: super::PublishedArgs,
}

/// Runs `exposure`.
pub fn run(args: &ExposureArgs) -> Exit {
    let checked = match super::compile_with(&args.paths, &args.published.assumptions(), args.format)
    {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    let program = &checked.program;
    let fail = |e: BatchError| {
        print_diagnostics(&[&e], args.format);
        Exit::Failure
    };
    let summary = match &args.facts {
        None => None,
        Some(path) => {
            let (input, _) = match super::open_register(path) {
                Ok(opened) => opened,
                Err(e) => return fail(e),
            };
            let date = args
                .date
                .unwrap_or_else(|| chrono::Local::now().date_naive());
            let config = BatchConfig {
                input: if is_jsonl(path) {
                    InputFormat::Jsonl
                } else {
                    InputFormat::Csv
                },
                encoding: match args.encoding {
                    EncodingArg::Utf8 => Encoding::Utf8,
                    EncodingArg::Gb18030 => Encoding::Gb18030,
                },
                ..BatchConfig::new(EvalConfig::on(date))
            };
            let mut reporter = Stderr::new(None);
            match batch::run(program, input, &mut std::io::sink(), &config, &mut reporter) {
                Ok(s) => {
                    reporter.finish();
                    Some(s)
                }
                Err(e) => return fail(e),
            }
        }
    };
    let report = exposure(program, summary.as_ref());
    match args.format {
        Format::Json => {
            let mut doc = serde_json::to_value(&report).unwrap_or_default();
            if let Some(o) = doc.as_object_mut() {
                o.insert(
                    "assumed_published".into(),
                    crate::program::assumed_published_json(program),
                );
            }
            super::emit_json(&doc);
        }
        Format::Human => super::emit(&format!(
            "{}{}",
            crate::program::assumed_published_line(program),
            report.human()
        )),
    }
    // As `batch`: a row that could not be read leaves its spending out, so
    // the figures are not the register's.
    if summary.is_some_and(|s| s.errors > 0) {
        Exit::Failure
    } else {
        Exit::Ok
    }
}
