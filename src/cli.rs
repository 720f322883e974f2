//! The command line: one file per subcommand, each an `Args` struct and
//! a `run` that calls the library.

pub mod batch;
pub mod check;
pub mod ci;
pub mod coverage;
pub mod diff;
pub mod eval;
pub mod exposure;
pub mod facts;
pub mod fmt;
pub mod lsp;
pub mod r#match;
pub mod repl;
pub mod test;
pub mod zh;

use std::io::IsTerminal;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostics::{self, Style};

/// zhengce（政策）：把政策条款写成可检查、可计算的文本。
#[derive(Debug, Parser)]
#[command(name = "zhengce", version, about, long_about = None)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// 检查政策文件：语法、名称、类型和可疑写法，报告全部问题。
    Check(check::CheckArgs),
    /// 按一家主体的事实评估政策：能得到什么、免于什么、是否违反，以及原因。
    Eval(eval::EvalArgs),
    /// 运行政策文件中的全部案例（案例），核对期望的金额和结果。
    Test(test::TestArgs),
    /// 交互式起草：输入条款，立即检查并按事实计算。
    Repl(repl::ReplArgs),
    /// 列出语料中给予金额的句子及引用它们的条款；最后一行为 已引用/总数。
    Coverage(coverage::CoverageArgs),
    /// 把 .zc 文件改写为统一的排版；--check 只检查（供 CI 使用）。
    Fmt(fmt::FmtArgs),
    /// 按登记表（CSV 或 JSON Lines）逐行评估：每行每条款的金额、合计和状态，以及汇总。
    Batch(batch::BatchArgs),
    /// 生成登记表或事实文件模板，列出政策读取的全部事实及其类型。
    Facts(facts::FactsArgs),
    /// 每条款、每项政策对单个主体的最高支出；给出登记表时计算总支出并与预算比较。
    Exposure(exposure::ExposureArgs),
    /// 比较两版政策：新增、删除、修改的条款；给出登记表时逐个主体比较金额（谁增加、谁减少、总成本变化）。
    Diff(diff::DiffArgs),
    /// 一家企业可申请什么、差一点、还需补充什么、须遵守什么；或按登记表找出符合某条款的主体。
    Match(r#match::MatchArgs),
    /// 语言服务器（LSP，经标准输入输出）：供编辑器显示诊断、悬停、跳转、补全和案例结果。
    Lsp(lsp::LspArgs),
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// 中文表格（`text` 亦可）。
    #[value(alias = "text")]
    Human,
    /// 稳定的 JSON。
    Json,
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Done.
    Ok,
    /// Bad input, check errors or failing tests.
    Failure,
    /// Wrong use of the command line.
    Usage,
    /// The command ran, and a result named by `eval --fail-on` occurred.
    Flagged,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        match e {
            Exit::Ok => ExitCode::SUCCESS,
            Exit::Failure => ExitCode::from(1),
            Exit::Usage => ExitCode::from(2),
            Exit::Flagged => ExitCode::from(3),
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Exit {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Test(args) => test::run(&args),
        Command::Repl(args) => repl::run(&args),
        Command::Coverage(args) => coverage::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Batch(args) => batch::run(&args),
        Command::Facts(args) => facts::run(&args),
        Command::Exposure(args) => exposure::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Match(args) => r#match::run(&args),
        Command::Lsp(args) => lsp::run(&args),
    }
}

/// Loads and checks the policies named on the command line, or reports
/// why not (the front half of every command that evaluates).
pub fn compile(
    paths: &[std::path::PathBuf],
    format: Format,
) -> Result<crate::check::Checked, Exit> {
    compile_with(paths, &crate::check::Assumptions::default(), format)
}

/// [`compile`] with the publication dates assumed by `--published`.
pub fn compile_with(
    paths: &[std::path::PathBuf],
    assumptions: &crate::check::Assumptions,
    format: Format,
) -> Result<crate::check::Checked, Exit> {
    // These commands never show warnings: the lints are not run.
    crate::load::compile_unlinted(paths, assumptions).map_err(|errors| {
        print_diagnostics(&diagnostics::as_dyn(&errors), format);
        Exit::Failure
    })
}

/// Reads `YYYY-MM-DD` or `2024年6月1日` (clap value parser).
pub fn parse_date_arg(s: &str) -> Result<NaiveDate, String> {
    crate::facts::read_date(s)
        .map_err(|e| format!("“{s}”{e}：应写作 YYYY-MM-DD 或 YYYY年M月D日（年份四位）"))
}

/// `--published`, flattened into the arguments of every command that
/// evaluates.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PublishedArgs {
    /// 假定“发布 未定”的政策的发布日期，如 --published '《标题》=2024-05-20'（可重复；《》可省略）。
    #[arg(long = "published", value_name = "《标题》=日期", value_parser = PublishedArg::parse)]
    pub published: Vec<PublishedArg>,
}

impl PublishedArgs {
    /// The assumptions given, in order.
    pub fn assumptions(&self) -> crate::check::Assumptions {
        crate::check::Assumptions {
            published: self.published.iter().map(|a| a.0.clone()).collect(),
        }
    }
}

/// One `--published '《标题》=2024-05-20'`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedArg(pub crate::check::assume::Published);

impl PublishedArg {
    /// Reads the argument (clap value parser); the date in any form
    /// [`parse_date_arg`] reads.
    pub fn parse(s: &str) -> Result<Self, String> {
        crate::check::assume::Published::from_arg(s, parse_date_arg).map(PublishedArg)
    }
}

/// Opens a register named on the command line (`-`: standard input),
/// with its length for the progress bar when it is a file.
pub fn open_register(
    path: &std::path::Path,
) -> Result<(Box<dyn std::io::Read + Send>, Option<u64>), crate::batch::BatchError> {
    if path.as_os_str() == "-" {
        return Ok((Box::new(std::io::stdin()), None));
    }
    match std::fs::File::open(path) {
        Ok(f) => {
            let len = f.metadata().ok().map(|m| m.len());
            Ok((Box::new(f), len))
        }
        Err(e) => Err(crate::batch::BatchError::Io {
            reason: format!("{}：{e}", path.display()),
        }),
    }
}

/// Reads one entity's facts file against the program's vocabulary, or
/// reports why not.
pub fn load_facts(
    program: &crate::program::Program,
    path: &std::path::Path,
    format: Format,
) -> Result<crate::facts::Facts, Exit> {
    use crate::error::Error;
    crate::load::read_source(path)
        .map_err(|e| vec![Error::from(e)])
        .and_then(|src| {
            crate::facts::load(&program.vocab, &src)
                .map_err(|es| es.into_iter().map(Error::from).collect())
        })
        .map_err(|errors| {
            print_diagnostics(&diagnostics::as_dyn(&errors), format);
            Exit::Failure
        })
}

/// Writes to stdout. A closed pipe (`zhengce … | head`) ends the output
/// quietly instead of panicking as `print!` would.
pub fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if out
        .write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        // Nothing more can be written; the reader has gone.
    }
}

/// Writes a JSON document and a newline to stdout.
pub fn emit_json(doc: &serde_json::Value) {
    emit(&format!(
        "{}\n",
        serde_json::to_string_pretty(doc).unwrap_or_default()
    ));
}

/// Whether to colour output on stdout.
pub fn stdout_color() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
}

/// Whether to colour output on stderr.
pub fn stderr_color() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

/// Prints diagnostics: drawn on stderr for people, one JSON document on
/// stdout for programs.
pub fn print_diagnostics(diags: &[&dyn miette::Diagnostic], format: Format) {
    match format {
        Format::Human => {
            let style = Style {
                color: stderr_color(),
                width: 100,
            };
            for text in diagnostics::render_all(diags, style) {
                eprint!("{text}");
            }
        }
        Format::Json => {
            let errors = diags
                .iter()
                .filter(|d| diagnostics::severity(**d) == "error")
                .count();
            let mut positions = diagnostics::Positions::default();
            let doc = serde_json::json!({
                "diagnostics": diags.iter().map(|d| positions.json(*d)).collect::<Vec<_>>(),
                "errors": errors,
                "warnings": diags.len() - errors,
            });
            emit_json(&doc);
        }
    }
}
