//! `zhengce batch`: every row of a register against the loaded policies.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use super::{Exit, Format, print_diagnostics};
use crate::batch::{
    self, BatchConfig, BatchError, BatchWarning, Encoding, InputFormat, OutputEncoding,
    OutputFormat, Reporter, RowError,
};
use crate::eval::EvalConfig;
use crate::output::{AtomicFile, OutputError};

/// Arguments of `batch`.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// 政策文件或目录（目录下的全部 .zc 文件按路径排序载入）。
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// 登记表：CSV（表头为词汇中的词）或 JSON Lines（.jsonl）；`-` 为标准输入。
    #[arg(long)]
    pub facts: PathBuf,
    /// 结果写入此文件（默认标准输出）。
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// 结果格式（默认按 --out 的扩展名，否则 csv）。
    #[arg(long, value_enum)]
    pub format: Option<RowsFormat>,
    /// 登记表格式（默认按 --facts 的扩展名，否则 csv）。
    #[arg(long, value_enum)]
    pub input_format: Option<RowsFormat>,
    /// 评估日期（符合条件的事件发生之日），默认今天。
    #[arg(long, value_parser = super::parse_date_arg)]
    pub date: Option<NaiveDate>,
    /// 申报日期：申报期之外的条款不予兑现；登记表的“申报日期”列逐行覆盖此值。
    #[arg(long, value_parser = super::parse_date_arg)]
    pub apply_date: Option<NaiveDate>,
    /// 登记表的编码：utf-8（可带 BOM）或 gb18030（中文 Excel 导出的 CSV）。
    #[arg(long, value_enum, default_value = "utf-8")]
    pub encoding: EncodingArg,
    /// 结果的编码：utf-8（默认）或 gb18030。
    #[arg(long, value_enum, default_value = "utf-8")]
    pub output_encoding: EncodingArg,
    /// 结果写成带 BOM 的 UTF-8，中文 Excel 直接打开不乱码。
    #[arg(long, conflicts_with = "output_encoding")]
    pub excel: bool,
    /// 把表头中的列读作词汇中的词：`--column 研发费用=研发投入`（可重复；右边可带单位，如 `研发投入（万元）`）。
    #[arg(long = "column", value_name = "旧名=词汇词", value_parser = parse_column)]
    pub columns: Vec<(String, String)>,
    /// 每个缺少事实或出错的行写一个 JSON 对象到此文件（JSON Lines）：行号、原样输出的列、状态、缺少的事实和错误。
    #[arg(long, value_name = "FILE.jsonl")]
    pub details: Option<PathBuf>,
    /// 按登记表的一列分数现算名次：`--rank 全区排名=综合得分`，分数高者在前，同分同名次（1、2、2、4），分数为空的行名次缺少（待定）。要读两遍登记表，不能用于标准输入。
    #[arg(long, value_name = "名次事实=分数列", value_parser = parse_rank)]
    pub rank: Option<(String, String)>,
    /// 与 --rank 同用：按这一列的值分组，各组分别排名（如 `--rank-by 所属区县`）；该列为空的行名次缺少。
    #[arg(long, value_name = "分组列", requires = "rank")]
    pub rank_by: Option<String>,
    /// 表头中不在词汇中的列视为错误（默认原样输出并警告）。
    #[arg(long)]
    pub strict: bool,
    /// 汇总写入此 JSON 文件（默认以表格形式打印到标准错误）。
    #[arg(long)]
    pub summary: Option<PathBuf>,
    /// 并行线程数（默认每个核一个）。
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// `--published`.
    #[command(flatten)]
    pub published: super::PublishedArgs,
}

/// A register or result format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RowsFormat {
    /// CSV，首行为表头。
    Csv,
    /// JSON Lines，每行一个对象。
    #[value(alias = "ndjson")]
    Jsonl,
}

/// An encoding name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EncodingArg {
    /// UTF-8（可带 BOM）。
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// GB18030（兼容 GBK、GB2312）。
    #[value(alias = "gbk", alias = "gb2312")]
    Gb18030,
}

/// `--excel` and `--output-encoding` as one choice.
pub(crate) fn output_encoding(excel: bool, encoding: EncodingArg) -> OutputEncoding {
    match (excel, encoding) {
        (true, _) => OutputEncoding::Bom,
        (false, EncodingArg::Gb18030) => OutputEncoding::Gb18030,
        (false, EncodingArg::Utf8) => OutputEncoding::Utf8,
    }
}

/// Reads `旧名=词汇词`.
pub(crate) fn parse_column(s: &str) -> Result<(String, String), String> {
    match s.split_once(['=', '＝']) {
        Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
            Ok((a.trim().to_string(), b.trim().to_string()))
        }
        _ => Err(format!("“{s}”应写成 旧名=词汇词，如 研发费用=研发投入")),
    }
}

/// Reads `名次事实=分数列`.
fn parse_rank(s: &str) -> Result<(String, String), String> {
    match s.split_once(['=', '＝']) {
        Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
            Ok((a.trim().to_string(), b.trim().to_string()))
        }
        _ => Err(format!("“{s}”应写成 名次事实=分数列，如 全区排名=综合得分")),
    }
}

/// Row errors shown on stderr before the rest are only counted.
const ROW_ERROR_LIMIT: usize = 100;

/// Whether a path names a JSON Lines file.
pub(crate) fn is_jsonl(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "jsonl" || e == "ndjson")
}

/// Prints to stderr as rows come, with a progress bar on a terminal.
pub(crate) struct Stderr {
    bar: Option<ProgressBar>,
    shown: usize,
    errors: usize,
}

impl Stderr {
    /// A reporter for an input of this many bytes (a spinner when unknown).
    pub(crate) fn new(input_len: Option<u64>) -> Stderr {
        let bar = std::io::stderr().is_terminal().then(|| match input_len {
            Some(len) => ProgressBar::new(len).with_style(
                ProgressStyle::with_template(
                    "{bar:40} {percent:>3}% {msg} 已用 {elapsed} 预计剩余 {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            ),
            None => ProgressBar::new_spinner(),
        });
        Stderr {
            bar,
            shown: 0,
            errors: 0,
        }
    }

    /// Clears the bar and says how many row errors were not shown.
    pub(crate) fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
        if self.errors > self.shown {
            eprintln!("……另有 {} 行错误未显示", self.errors - self.shown);
        }
    }

    fn line(&self, text: &str) {
        match &self.bar {
            Some(b) => b.suspend(|| eprintln!("{text}")),
            None => eprintln!("{text}"),
        }
    }
}

impl Reporter for Stderr {
    fn warning(&mut self, warning: &BatchWarning) {
        print_diagnostics(&[warning as &dyn miette::Diagnostic], Format::Human);
    }

    fn row_error(&mut self, error: &RowError) {
        self.errors += 1;
        if self.shown < ROW_ERROR_LIMIT {
            self.shown += 1;
            let code = miette::Diagnostic::code(error)
                .map(|c| c.to_string())
                .unwrap_or_default();
            let help = miette::Diagnostic::help(error)
                .map(|h| format!("（{h}）"))
                .unwrap_or_default();
            self.line(&format!("error[{code}]: {error}{help}"));
        }
    }

    fn progress(&mut self, rows: u64, bytes: u64) {
        if let Some(b) = &self.bar {
            b.set_position(bytes);
            b.set_message(format!("{rows} 行"));
        }
    }
}

/// Runs `batch`.
pub fn run(args: &BatchArgs) -> Exit {
    if let Err(e) = refuse_overwrite(args) {
        print_diagnostics(&[&e], Format::Human);
        return Exit::Failure;
    }
    let checked =
        match super::compile_with(&args.paths, &args.published.assumptions(), Format::Human) {
            Ok(c) => c,
            Err(exit) => return exit,
        };
    let fail = |e: BatchError| {
        print_diagnostics(&[&e], Format::Human);
        Exit::Failure
    };
    let mut config = batch_config(args);
    if let Some((fact, score)) = &args.rank {
        // Standard input cannot be read a second time.
        if args.facts.as_os_str() == "-" {
            return fail(BatchError::RankStdin);
        }
        let spec = batch::RankSpec {
            fact: fact.clone(),
            score: score.clone(),
            by: args.rank_by.clone(),
        };
        let input = match super::open_register(&args.facts) {
            Ok((input, _)) => input,
            Err(e) => return fail(e),
        };
        match batch::rank::compute(&checked.program, input, &config, &spec) {
            Ok(ranks) => config.ranks = Some(std::sync::Arc::new(ranks)),
            Err(e) => return fail(e),
        }
    }
    let (input, len) = match super::open_register(&args.facts) {
        Ok(opened) => opened,
        Err(e) => return fail(e),
    };
    let refuse = |e: OutputError| {
        print_diagnostics(&[&e], Format::Human);
        Exit::Failure
    };
    // Outputs go to temporary files, renamed over the targets only when
    // the run completes: a run that fails leaves old results in place.
    let mut out_file = match args.out.as_deref().map(AtomicFile::create).transpose() {
        Ok(f) => f,
        Err(e) => return refuse(e),
    };
    let mut details_file = match args.details.as_deref().map(AtomicFile::create).transpose() {
        Ok(f) => f,
        Err(e) => return refuse(e),
    };
    let out: Box<dyn Write> = match out_file.as_mut() {
        Some(f) => Box::new(BufWriter::with_capacity(1 << 20, f)),
        None => Box::new(BufWriter::with_capacity(1 << 20, std::io::stdout().lock())),
    };
    let mut out = output_encoding(args.excel, args.output_encoding).wrap(out);
    let mut details: Option<Box<dyn Write>> = details_file
        .as_mut()
        .map(|f| Box::new(BufWriter::with_capacity(1 << 16, f)) as Box<dyn Write>);
    let mut reporter = Stderr::new(len);
    let result = batch::run_with_details(
        &checked.program,
        input,
        &mut out,
        details.as_mut().map(|d| d as &mut dyn Write),
        &config,
        &mut reporter,
    );
    drop(out);
    drop(details);
    reporter.finish();
    let summary = match result {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    for f in [out_file, details_file].into_iter().flatten() {
        if let Err(e) = f.commit() {
            return refuse(e);
        }
    }
    if let Err(e) = write_summary(args.summary.as_deref(), &checked.program, &summary) {
        return refuse(e);
    }
    if summary.errors > 0 {
        Exit::Failure
    } else {
        Exit::Ok
    }
}

/// Refuses to write an output over one of the inputs.
fn refuse_overwrite(args: &BatchArgs) -> Result<(), OutputError> {
    let mut inputs: Vec<&Path> = args.paths.iter().map(PathBuf::as_path).collect();
    inputs.push(&args.facts);
    let outputs: Vec<(&str, &Path)> = [
        ("--out", &args.out),
        ("--details", &args.details),
        ("--summary", &args.summary),
    ]
    .into_iter()
    .filter_map(|(f, p)| Some((f, p.as_deref()?)))
    .collect();
    crate::output::refuse_overwrite(&inputs, &outputs)
}

/// The run's settings from the flags; formats not given follow the file
/// names' extensions.
fn batch_config(args: &BatchArgs) -> BatchConfig {
    let stdin = args.facts.as_os_str() == "-";
    let input_format = match args.input_format {
        Some(RowsFormat::Jsonl) => InputFormat::Jsonl,
        Some(RowsFormat::Csv) => InputFormat::Csv,
        None if !stdin && is_jsonl(&args.facts) => InputFormat::Jsonl,
        None => InputFormat::Csv,
    };
    let output_format = match args.format {
        Some(RowsFormat::Jsonl) => OutputFormat::Jsonl,
        Some(RowsFormat::Csv) => OutputFormat::Csv,
        None if args.out.as_deref().is_some_and(is_jsonl) => OutputFormat::Jsonl,
        None => OutputFormat::Csv,
    };
    let date = args
        .date
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    BatchConfig {
        input: input_format,
        output: output_format,
        encoding: match args.encoding {
            EncodingArg::Utf8 => Encoding::Utf8,
            EncodingArg::Gb18030 => Encoding::Gb18030,
        },
        strict: args.strict,
        threads: args.threads,
        columns: args.columns.clone(),
        ..BatchConfig::new(EvalConfig {
            apply_date: args.apply_date,
            ..EvalConfig::on(date)
        })
    }
}

/// The summary: as JSON to `--summary`'s file, else for a reader on
/// standard error.
fn write_summary(
    to: Option<&Path>,
    program: &crate::program::Program,
    summary: &batch::Summary,
) -> Result<(), OutputError> {
    match to {
        Some(p) => {
            let mut doc = serde_json::to_value(summary).unwrap_or_default();
            if let Some(o) = doc.as_object_mut() {
                o.insert(
                    "assumed_published".into(),
                    crate::program::assumed_published_json(program),
                );
            }
            let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
            crate::output::write_all(p, (text + "\n").as_bytes())
        }
        None => {
            eprint!(
                "{}{}",
                crate::program::assumed_published_line(program),
                summary.human()
            );
            Ok(())
        }
    }
}
