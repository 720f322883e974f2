//! `zhengce eval`: one entity's facts against the loaded policies.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use super::{Exit, Format, print_diagnostics, stdout_color};
use crate::error::Error;
use crate::eval::{EvalConfig, Outcome, evaluate};
use crate::facts::Facts;
use crate::program::Program;
use crate::report;

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
    /// 申报日期：申报期之外的条款不予兑现（不在申报期）；不给出时只列出申报期，不据此判断。
    #[arg(long, value_parser = super::parse_date_arg)]
    pub apply_date: Option<NaiveDate>,
    /// 出现这些结果时以 3 退出（供 CI 使用）：violated（违反）、undecided（待定）；可重复或用逗号分隔。
    #[arg(long, value_enum, value_delimiter = ',', value_name = "结果")]
    pub fail_on: Vec<FailOn>,
    /// `--published`.
    #[command(flatten)]
    pub published: super::PublishedArgs,
}

/// A result `--fail-on` turns into exit status 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// 有条款被违反（不得、应当）。
    Violated,
    /// 有条款待定（缺少事实）。
    Undecided,
}

impl FailOn {
    fn occurred(self, outcome: &Outcome) -> bool {
        match self {
            FailOn::Violated => outcome.clauses.iter().any(|c| {
                c.status == crate::eval::Status::Applies
                    && c.verdict == Some(crate::eval::Verdict::Violated)
            }),
            FailOn::Undecided => outcome.undecided,
        }
    }

    fn word(self) -> &'static str {
        match self {
            FailOn::Violated => crate::eval::Verdict::Violated.word(),
            FailOn::Undecided => crate::eval::Status::Undecided.word(),
        }
    }
}

/// The clauses that concern the entity: those the answer lists in a
/// section of its own (`report::section`).
fn relevant(outcome: &Outcome) -> Outcome {
    Outcome {
        clauses: outcome
            .clauses
            .iter()
            .filter(|c| report::section(c) != report::Section::Other)
            .cloned()
            .collect(),
        ..outcome.clone()
    }
}

/// Runs `eval`.
pub fn run(args: &EvalArgs) -> Exit {
    let checked = match super::compile_with(&args.paths, &args.published.assumptions(), args.format)
    {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    let program = &checked.program;
    let facts = match super::load_facts(program, &args.facts, args.format) {
        Ok(f) => f,
        Err(exit) => return exit,
    };
    let date = args
        .date
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let config = EvalConfig {
        explain: args.explain,
        apply_date: args.apply_date,
        derive: true,
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
    print(args, program, &facts, &outcome);
    fail_on(args, &outcome)
}

fn print(args: &EvalArgs, program: &Program, facts: &Facts, outcome: &Outcome) {
    match args.format {
        Format::Json => {
            let mut doc = report::json(program, outcome);
            if let Some(obj) = doc.as_object_mut() {
                let apply = args.apply_date.map(|d| d.to_string());
                obj.insert("apply_date".into(), apply.into());
            }
            super::emit_json(&doc);
        }
        Format::Human => {
            // Against a whole directory of policies most clauses do not
            // concern one company: the answer lists those that do and
            // counts the rest; --all lists every clause in one table.
            let shown = if args.all {
                super::emit(&report::table(program, outcome, stdout_color()));
                outcome.clone()
            } else {
                super::emit(&report::human(program, outcome, stdout_color()));
                relevant(outcome)
            };
            if args.explain {
                super::emit(&report::explain(program, facts, &shown));
            }
        }
    }
}

/// Exit 3 when a result named by `--fail-on` occurred, saying which.
fn fail_on(args: &EvalArgs, outcome: &Outcome) -> Exit {
    let mut flagged: Vec<FailOn> = Vec::new();
    for f in &args.fail_on {
        if f.occurred(outcome) && !flagged.contains(f) {
            flagged.push(*f);
        }
    }
    if flagged.is_empty() {
        return Exit::Ok;
    }
    let words: Vec<&str> = flagged.iter().map(|f| f.word()).collect();
    let names: Vec<String> = flagged
        .iter()
        .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_string()))
        .collect();
    eprintln!(
        "结果中有{}的条款（--fail-on {}），退出码 3",
        words.join("、"),
        names.join(",")
    );
    Exit::Flagged
}
