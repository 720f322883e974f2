//! `zhengce lsp`: the language server for editors (docs/editor.md).

use clap::Args;

use super::Exit;

/// Arguments of `lsp`.
#[derive(Debug, Args)]
pub struct LspArgs {
    /// 经标准输入输出通信（默认且唯一的方式；编辑器客户端会传入此参数）。
    #[arg(long)]
    pub stdio: bool,
}

/// Runs the server until the editor says `exit`.
pub fn run(_args: &LspArgs) -> Exit {
    match crate::lsp::run_stdio() {
        Ok(()) => Exit::Ok,
        Err(why) => {
            eprintln!("zhengce lsp：{why}");
            Exit::Failure
        }
    }
}
