//! `zhengce match`: what one company can apply for, nearly gets, still
//! has to tell, and must do — or, with `--register`, which entities of a
//! register qualify for one clause or policy (政策找企业).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;
use rust_decimal::Decimal;

use super::{Exit, Format, print_diagnostics};
use crate::error::Error;
use crate::eval::EvalConfig;
use crate::matching::{self, Bounds, MatchConfig};

/// Arguments of `match`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("who").required(true).args(["facts", "register"])))]
pub struct MatchArgs {
    /// 政策文件或目录（目录下的全部 .zc 文件按路径排序载入）。
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// 一家企业的事实文件（JSON 或 TOML）。
    #[arg(long)]
    pub facts: Option<PathBuf>,
    /// 登记表（CSV 或 JSON Lines）：逐行找出符合、差一点符合或待补充的主体（政策找企业）。
    #[arg(long, requires = "target")]
    pub register: Option<PathBuf>,
    /// 与 --register 一起：只看这一条款，如 '《标题》“二-1”'。
    #[arg(long, group = "target", conflicts_with_all = ["policy", "facts"])]
    pub clause: Option<String>,
    /// 与 --register 一起：只看这一政策的条款，如 '《标题》'。
    #[arg(long, group = "target", conflicts_with = "facts")]
    pub policy: Option<String>,
    /// 与 --register 一起：结果写入此文件（.jsonl 为 JSON Lines，否则 CSV；默认标准输出）。
    #[arg(long, short, conflicts_with = "facts")]
    pub out: Option<PathBuf>,
    /// 与 --register 一起：汇总写入此 JSON 文件（默认打印到标准错误）。
    #[arg(long, conflicts_with = "facts")]
    pub summary: Option<PathBuf>,
    /// 评估日期（符合条件的事件发生之日），默认今天。
    #[arg(long, value_parser = super::parse_date_arg)]
    pub date: Option<NaiveDate>,
    /// 申报日期：申报期之外的条款不予兑现（不在申报期）；不给出时只列出申报期，不据此判断。
    #[arg(long, value_parser = super::parse_date_arg)]
    pub apply_date: Option<NaiveDate>,
    /// 不给出 --apply-date 时，标出在此日起 30 天内截止申报的条款，默认今天。
    #[arg(long, value_parser = super::parse_date_arg)]
    pub as_of: Option<NaiveDate>,
    /// 差一点：金额、比例、数量与门槛的相对差距上限。
    #[arg(long, default_value = "30%", value_parser = parse_near)]
    pub near: Decimal,
    /// 差一点：日期与门槛相差的天数上限。
    #[arg(long, default_value_t = 90)]
    pub near_days: i64,
    /// 输出格式（单家企业）。
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// `--published`.
    #[command(flatten)]
    pub published: super::PublishedArgs,
}

/// Reads `30%` (or `0.3`) as a fraction.
fn parse_near(s: &str) -> Result<Decimal, String> {
    match crate::num::Ratio::parse(s) {
        Ok(r) if r.0 >= Decimal::ZERO => Ok(r.0),
        _ => Err(format!("“{s}”不是有效的比例，应写成 30% 这样的百分比")),
    }
}

/// Runs `match`.
pub fn run(args: &MatchArgs) -> Exit {
    if let Err(e) = refuse_overwrite(args) {
        print_diagnostics(&[&e], args.format);
        return Exit::Failure;
    }
    let checked = match super::compile_with(&args.paths, &args.published.assumptions(), args.format)
    {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    let program = &checked.program;
    let config = config(args);
    match &args.facts {
        Some(path) => company(args, program, &config, path),
        None => register(args, program, &config),
    }
}

/// `--out` and `--summary` may not name one of the inputs.
fn refuse_overwrite(args: &MatchArgs) -> Result<(), crate::output::OutputError> {
    let mut inputs: Vec<&std::path::Path> = args.paths.iter().map(PathBuf::as_path).collect();
    inputs.extend(args.facts.as_deref());
    inputs.extend(args.register.as_deref());
    let outputs: Vec<(&str, &std::path::Path)> =
        [("--out", &args.out), ("--summary", &args.summary)]
            .into_iter()
            .filter_map(|(f, p)| Some((f, p.as_deref()?)))
            .collect();
    crate::output::refuse_overwrite(&inputs, &outputs)
}

fn config(args: &MatchArgs) -> MatchConfig {
    let date = args
        .date
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let today = chrono::Local::now().date_naive();
    MatchConfig {
        eval: EvalConfig {
            apply_date: args.apply_date,
            ..EvalConfig::on(date)
        },
        bounds: Bounds {
            relative: args.near,
            days: args.near_days.max(0),
        },
        as_of: Some(args.as_of.unwrap_or(today)),
    }
}

/// `--facts`: one company.
fn company(
    args: &MatchArgs,
    program: &crate::program::Program,
    config: &MatchConfig,
    path: &std::path::Path,
) -> Exit {
    let facts = match super::load_facts(program, path, args.format) {
        Ok(f) => f,
        Err(exit) => return exit,
    };
    let report = match matching::analyse(program, &facts, config) {
        Ok(r) => r,
        Err(e) => {
            let e = Error::from(e);
            print_diagnostics(&[&e], args.format);
            return Exit::Failure;
        }
    };
    match args.format {
        Format::Json => super::emit_json(&matching::json::report(program, &report, &config.bounds)),
        Format::Human => super::emit(&matching::human::render(program, &report)),
    }
    Exit::Ok
}

/// The register's reading and writing: formats by extension (standard
/// input is CSV).
fn register_config(
    args: &MatchArgs,
    path: &std::path::Path,
    config: &MatchConfig,
) -> crate::batch::BatchConfig {
    use crate::batch::{BatchConfig, InputFormat, OutputFormat};
    let stdin = path.as_os_str() == "-";
    BatchConfig {
        input: if !stdin && super::batch::is_jsonl(path) {
            InputFormat::Jsonl
        } else {
            InputFormat::Csv
        },
        output: if args.out.as_deref().is_some_and(super::batch::is_jsonl) {
            OutputFormat::Jsonl
        } else {
            OutputFormat::Csv
        },
        ..BatchConfig::new(config.eval.clone())
    }
}

/// `--register`: 政策找企业.
fn register(args: &MatchArgs, program: &crate::program::Program, config: &MatchConfig) -> Exit {
    use std::io::{BufWriter, Write};
    let fail = |d: &dyn miette::Diagnostic| {
        print_diagnostics(&[d], Format::Human);
        Exit::Failure
    };
    let target = match matching::register::Target::resolve(
        program,
        args.clause.as_deref(),
        args.policy.as_deref(),
    ) {
        Ok(t) => t,
        Err(e) => return fail(&e),
    };
    let Some(path) = &args.register else {
        return Exit::Usage;
    };
    let (input, len) = match super::open_register(path) {
        Ok(opened) => opened,
        Err(e) => return fail(&e),
    };
    let batch = register_config(args, path, config);
    // Renamed over the target only when the run completes.
    let mut out_file = match args
        .out
        .as_deref()
        .map(crate::output::AtomicFile::create)
        .transpose()
    {
        Ok(f) => f,
        Err(e) => return fail(&e),
    };
    let mut out: Box<dyn Write> = match out_file.as_mut() {
        Some(f) => Box::new(BufWriter::with_capacity(1 << 20, f)),
        None => Box::new(BufWriter::with_capacity(1 << 20, std::io::stdout().lock())),
    };
    let mut reporter = super::batch::Stderr::new(len);
    let result = matching::register::run(
        program,
        target,
        input,
        &mut out,
        &batch,
        config.bounds,
        &mut reporter,
    );
    drop(out);
    reporter.finish();
    let summary = match result {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    if let Some(Err(e)) = out_file.map(crate::output::AtomicFile::commit) {
        return fail(&e);
    }
    if let Some(p) = &args.summary {
        let text = serde_json::to_string_pretty(&summary).unwrap_or_default();
        if let Err(e) = crate::output::write_all(p, (text + "\n").as_bytes()) {
            return fail(&e);
        }
    } else {
        eprint!("{}", summary.human());
    }
    if summary.errors > 0 {
        Exit::Failure
    } else {
        Exit::Ok
    }
}
