//! `zhengce eval`: one entity's facts against the loaded policies.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use super::{Exit, Format, print_diagnostics, stdout_color};
use crate::error::Error;
use crate::eval::{EvalConfig, Outcome, Status, evaluate};
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
    /// 表格和说明也列出不适用、不在施行期的条款（默认只列出适用、待定和有结论的条款）。
    #[arg(long)]
    pub all: bool,
    /// `--published`.
    #[command(flatten)]
    pub published: super::PublishedArgs,
}

/// The clauses that concern the entity (they apply, are undecided, or
/// give a verdict), and how many did not apply / were not in force.
fn relevant(outcome: &Outcome) -> (Outcome, (usize, usize)) {
    let mut not_applicable = 0;
    let mut not_in_force = 0;
    let clauses = outcome
        .clauses
        .iter()
        .filter(|c| match c.status {
            Status::NotApplicable => {
                not_applicable += 1;
                false
            }
            Status::NotInForce => {
                not_in_force += 1;
                false
            }
            Status::Applies | Status::Undecided => true,
        })
        .cloned()
        .collect();
    (
        Outcome {
            clauses,
            ..outcome.clone()
        },
        (not_applicable, not_in_force),
    )
}

/// Runs `eval`.
pub fn run(args: &EvalArgs) -> Exit {
    let checked = match super::compile_with(&args.paths, &args.published.assumptions(), args.format)
    {
        Ok(c) => c,
        Err(exit) => return exit,
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
            let d = crate::diagnostics::as_dyn(&errors);
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
            // Against a whole directory of policies most clauses do not
            // concern one company; list those that do and count the rest.
            let (shown, hidden) = if args.all {
                (outcome.clone(), (0, 0))
            } else {
                relevant(&outcome)
            };
            super::emit(&report::human(program, &shown, stdout_color()));
            if hidden != (0, 0) {
                super::emit(&format!(
                    "另有 {} 条不适用、{} 条不在施行期，未列出（加 --all 列出全部）\n",
                    hidden.0, hidden.1
                ));
            }
            if args.explain {
                super::emit(&report::explain(program, &facts, &shown));
            }
        }
    }
    Exit::Ok
}
