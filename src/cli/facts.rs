//! `zhengce facts --template`: an empty register or facts file with every
//! fact the policies read.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{Exit, Format};
use crate::template::{self, TemplateFormat};

/// Arguments of `facts`.
#[derive(Debug, Args)]
pub struct FactsArgs {
    /// 政策文件或目录。
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// 生成模板：csv（登记表，第二行为类型）、json 或 toml（一家主体的事实文件）。
    #[arg(long, value_enum)]
    pub template: TemplateArg,
}

/// A template kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TemplateArg {
    /// 登记表（zhengce batch 的输入）：表头为事实名，第二行为类型和单位。
    Csv,
    /// JSON 事实文件：每个事实为 null（缺少）。
    Json,
    /// TOML 事实文件：每个事实一行注释说明类型，一行注释掉的示例。
    Toml,
}

/// Runs `facts`.
pub fn run(args: &FactsArgs) -> Exit {
    let checked = match super::compile(&args.paths, Format::Human) {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    let format = match args.template {
        TemplateArg::Csv => TemplateFormat::Csv,
        TemplateArg::Json => TemplateFormat::Json,
        TemplateArg::Toml => TemplateFormat::Toml,
    };
    super::emit(&template::render(&checked.program, format));
    Exit::Ok
}
