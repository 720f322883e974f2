//! `zhengce repl`: try clauses against facts while drafting. The loop is
//! small; the session (`repl/session.rs`) holds the state and the helper
//! (`repl/helper.rs`) the editing niceties.

mod helper;
pub mod session;

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{CompletionType, Config, Editor};

pub use helper::{ZcHelper, complete, highlight};
pub use session::{Completions, Reply, Session};

/// Where history is kept: `$ZHENGCE_HISTORY`, else the user's data
/// directory.
pub fn history_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("ZHENGCE_HISTORY") {
        return Some(PathBuf::from(p));
    }
    dirs::data_dir().map(|d| d.join("zhengce").join("history.txt"))
}

/// Reads one complete item. On a terminal the validator already keeps
/// reading; when input is piped it does not run, so unfinished lines are
/// joined here.
fn read_item(editor: &mut Editor<ZcHelper, DefaultHistory>) -> rustyline::Result<String> {
    let mut text = editor.readline("政策> ")?;
    while !complete(&text) {
        match editor.readline("  …> ") {
            Ok(more) => {
                text.push('\n');
                text.push_str(&more);
            }
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(e),
        }
    }
    Ok(text)
}

/// A line that is not UTF-8 (a terminal or input method in GBK, a pasted
/// binary): the line is dropped and the session goes on.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("输入的一行不是有效的 UTF-8，已丢弃这一行")]
#[diagnostic(
    code(zc::repl::invalid_utf8),
    help("把终端和输入法设为 UTF-8 编码后重新输入；会话和已输入的内容都还在")
)]
pub struct InvalidInput;

fn invalid_input(e: &ReadlineError) -> bool {
    matches!(e, ReadlineError::Io(io) if io.kind() == std::io::ErrorKind::InvalidData)
}

/// Runs the prompt until :quit or Ctrl-D. Returns an error message when the
/// terminal cannot be used.
pub fn run(mut session: Session, color: bool) -> Result<(), String> {
    // Tab lists every candidate (as a shell does) rather than cycling
    // through them one by one.
    let config = Config::builder()
        .auto_add_history(true)
        .completion_type(CompletionType::List)
        .build();
    let mut editor: Editor<ZcHelper, DefaultHistory> =
        Editor::with_config(config).map_err(|e| e.to_string())?;
    let known = Arc::new(RwLock::new(session.completions()));
    editor.set_helper(Some(ZcHelper::new(Arc::clone(&known), color)));
    let history = history_path();
    if let Some(h) = &history {
        let _ = editor.load_history(h);
    }
    println!(
        "zhengce {} — 评估日期 {}（:date 修改）— 输入 :help 查看命令，Ctrl-D 退出",
        env!("CARGO_PKG_VERSION"),
        session.date().format("%Y年%-m月%-d日")
    );
    loop {
        match read_item(&mut editor) {
            Ok(line) => {
                let reply = session.handle(&line);
                print!("{}", reply.text);
                if let Ok(mut k) = known.write() {
                    *k = session.completions();
                }
                if reply.quit {
                    break;
                }
            }
            Err(ReadlineError::Interrupted) => {}
            Err(ReadlineError::Eof) => break,
            Err(e) if invalid_input(&e) => {
                print!(
                    "{}",
                    crate::diagnostics::render(&InvalidInput, crate::diagnostics::Style::plain())
                );
            }
            Err(e) => return Err(e.to_string()),
        }
    }
    if let Some(h) = &history {
        if let Some(dir) = h.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = editor.save_history(h);
    }
    Ok(())
}
