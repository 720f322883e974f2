//! `zhengce eval`: one entity's facts against the loaded policies.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use super::{Exit, Format, print_diagnostics, stdout_color};
use crate::error::Error;
use crate::eval::{EvalConfig, evaluate};
use crate::{facts, load, report};

/// Arguments of `eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// 政策文件或目录（目录下的全部 .zc 文件按路径排序载入）。
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// 事实文件（JSON 或 TOML）。
    #[arg(long)]
    pub facts: PathBuf,
    /// 评估日期（符合条件的事件发生之日），默认今天。
    #[arg(long, value_parser = super::parse_date_arg)]
    pub date: Option<NaiveDate>,
    /// 输出格式。
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// 逐条说明：哪些条件成立、读到的事实、封顶和取代关系、原文。
    #[arg(long)]
    pub explain: bool,
}

/// Runs `eval`.
pub fn run(args: &EvalArgs) -> Exit {
    let checked = match load::compile(&args.paths) {
        Ok(c) => c,
        Err(errors) => {
            let d: Vec<&dyn miette::Diagnostic> = errors
                .iter()
                .map(|e| e as &dyn miette::Diagnostic)
                .collect();
            print_diagnostics(&d, args.format);
            return Exit::Failure;
        }
    };
    let program = &checked.program;
    let facts = match load::read_source(&args.facts)
        .map_err(|e| vec![Error::from(e)])
        .and_then(|src| {
            facts::load(&program.vocab, &src)
                .map_err(|es| es.into_iter().map(Error::from).collect())
        }) {
        Ok(f) => f,
        Err(errors) => {
            let d: Vec<&dyn miette::Diagnostic> = errors
                .iter()
                .map(|e| e as &dyn miette::Diagnostic)
                .collect();
            print_diagnostics(&d, args.format);
            return Exit::Failure;
        }
    };
    let date = args
        .date
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let config = EvalConfig {
        explain: args.explain,
        ..EvalConfig::on(date)
    };
    let outcome = match evaluate(program, &facts, &config) {
        Ok(o) => o,
        Err(e) => {
            let e = Error::from(e);
            print_diagnostics(&[&e], args.format);
            return Exit::Failure;
        }
    };
    match args.format {
        Format::Json => {
            let doc = report::json(program, &outcome);
            super::emit_json(&doc);
        }
        Format::Human => {
            super::emit(&report::human(program, &outcome, stdout_color()));
            if args.explain {
                super::emit(&report::explain(program, &facts, &outcome));
            }
        }
    }
    Exit::Ok
}
