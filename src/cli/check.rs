//! `zhengce check`: parse and check files or directories, report every
//! finding, exit 0 when clean, 1 on errors (or warnings with
//! `--deny-warnings`).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use super::{Exit, Format, print_diagnostics};
use crate::check::{self, Config};
use crate::diagnostics;
use crate::error::Error;
use crate::load;

/// Warnings drawn in human output; the rest are counted (JSON has all).
pub const WARNING_LIMIT: usize = 50;

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// 中文报告（`text` 亦可）。
    #[value(alias = "text")]
    Human,
    /// 稳定的 JSON。
    Json,
    /// GitHub Actions 工作流命令（在拉取请求的行上标注）。
    Github,
    /// SARIF 2.1.0（代码扫描）。
    Sarif,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// 政策文件或目录（目录下的全部 .zc 文件按路径排序载入）。
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// 输出格式。
    #[arg(long, value_enum, default_value = "human")]
    pub format: CheckFormat,
    /// 有警告也视为未通过（退出码 1）。
    #[arg(long)]
    pub deny_warnings: bool,
    /// 检查日期：报告在该日已失效或尚未施行的政策。
    #[arg(long, value_parser = super::parse_date_arg)]
    pub date: Option<NaiveDate>,
}

/// What `check` found.
#[derive(Debug)]
pub struct Findings {
    /// Every finding in source order: the load and syntax errors alone when
    /// a file could not be read or parsed, otherwise every check error and
    /// every warning.
    pub diagnostics: Vec<Error>,
    /// How many are errors.
    pub errors: usize,
    /// How many are warnings.
    pub warnings: usize,
    /// Whether names and types were checked (not when a file failed to
    /// load or parse: the rest would report words that file declares).
    pub checked: bool,
}

/// Loads, parses and checks, keeping every finding.
pub fn findings(paths: &[PathBuf], config: &Config) -> Findings {
    let (diagnostics, checked): (Vec<Error>, bool) = match load::parse_paths(paths) {
        Err(errors) => (dedup_adjacent(errors, None), false),
        Ok(modules) => {
            let a = check::analyse(&modules, config);
            let mut all: Vec<Error> = a.errors.into_iter().map(Error::from).collect();
            all.extend(a.warnings.into_iter().map(Error::from));
            (dedup_adjacent(all, Some(&modules)), true)
        }
    };
    let errors = diagnostics
        .iter()
        .filter(|d| diagnostics::severity(*d) == "error")
        .count();
    Findings {
        warnings: diagnostics.len() - errors,
        errors,
        diagnostics,
        checked,
    }
}

/// Sorts into source order when the modules are given (stable), then
/// drops a diagnostic identical to the one before it. Places and
/// identities are worked out once per diagnostic, each source indexed
/// once.
fn dedup_adjacent(all: Vec<Error>, modules: Option<&[crate::ast::Module]>) -> Vec<Error> {
    let keys: Vec<((usize, usize), diagnostics::Identity)> = {
        let order = modules.map(check::SourceOrder::new);
        let mut positions = diagnostics::Positions::default();
        all.iter()
            .map(|d| {
                let d: &dyn miette::Diagnostic = d;
                let at = order.as_ref().map_or((0, 0), |o| o.of(&mut positions, d));
                (at, positions.identity(d))
            })
            .collect()
    };
    let mut tagged: Vec<_> = keys.into_iter().zip(all).collect();
    tagged.sort_by_key(|((at, _), _)| *at);
    tagged.dedup_by(|((_, b), _), ((_, a), _)| a == b);
    tagged.into_iter().map(|(_, d)| d).collect()
}

/// Runs `check`.
pub fn run(args: &CheckArgs) -> Exit {
    let f = findings(&args.paths, &Config { date: args.date });
    let all: Vec<&dyn miette::Diagnostic> = f
        .diagnostics
        .iter()
        .map(|d| d as &dyn miette::Diagnostic)
        .collect();
    match args.format {
        CheckFormat::Json => print_diagnostics(&all, Format::Json),
        CheckFormat::Github => {
            super::emit(&super::ci::github(&super::ci::findings(&all)));
            super::emit(&format!("{}\n", summary(&f, args.deny_warnings)));
        }
        CheckFormat::Sarif => super::emit_json(&super::ci::sarif(&super::ci::findings(&all))),
        CheckFormat::Human => {
            let mut shown_warnings = 0usize;
            let shown: Vec<&dyn miette::Diagnostic> = f
                .diagnostics
                .iter()
                .filter(|d| {
                    if diagnostics::severity(*d) == "error" {
                        return true;
                    }
                    shown_warnings += 1;
                    shown_warnings <= WARNING_LIMIT
                })
                .map(|d| d as &dyn miette::Diagnostic)
                .collect();
            print_diagnostics(&shown, Format::Human);
            if f.warnings > WARNING_LIMIT {
                eprintln!(
                    "另有 {} 个警告未显示（--format json 列出全部）",
                    f.warnings - WARNING_LIMIT
                );
            }
            super::emit(&format!("{}\n", summary(&f, args.deny_warnings)));
        }
    }
    if f.errors > 0 || (args.deny_warnings && f.warnings > 0) {
        Exit::Failure
    } else {
        Exit::Ok
    }
}

/// `检查完成：0 个错误，2 个警告`, with a note when that is not the whole
/// story.
pub fn summary(f: &Findings, deny_warnings: bool) -> String {
    let mut line = format!("检查完成：{} 个错误，{} 个警告", f.errors, f.warnings);
    if !f.checked {
        line.push_str("（修正以上错误后才会检查名称和类型）");
    } else if deny_warnings && f.errors == 0 && f.warnings > 0 {
        line.push_str("（--deny-warnings：有警告即不通过）");
    }
    line
}
