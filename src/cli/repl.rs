//! `zhengce repl`: a prompt for drafting clauses.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use super::{Exit, stdout_color};
use crate::diagnostics::Style;
use crate::repl::{self, Session};

/// Arguments of `repl`.
#[derive(Debug, Args)]
pub struct ReplArgs {
    /// 启动时载入的政策文件或目录（词汇、政策）。
    pub paths: Vec<PathBuf>,
    /// 评估日期，默认今天。
    #[arg(long, value_parser = super::parse_date_arg)]
    pub date: Option<NaiveDate>,
    /// `--published`.
    #[command(flatten)]
    pub published: super::PublishedArgs,
}

/// Runs `repl`.
pub fn run(args: &ReplArgs) -> Exit {
    let color = stdout_color();
    let style = Style { color, width: 100 };
    let date = args
        .date
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let session = match Session::with_assumptions(
        args.paths.clone(),
        date,
        style,
        args.published.assumptions(),
    ) {
        Ok(s) => s,
        Err(e) => {
            eprint!("{e}");
            return Exit::Failure;
        }
    };
    match repl::run(session, color) {
        Ok(()) => Exit::Ok,
        Err(e) => {
            eprintln!("终端不可用：{e}");
            Exit::Failure
        }
    }
}
