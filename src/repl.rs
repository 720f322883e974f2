//! `zhengce repl`: try clauses against facts while drafting. The loop is
//! small; the session (`repl/session.rs`) holds the state and the helper
//! (`repl/helper.rs`) the editing niceties.

mod helper;
pub mod session;

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Config, Editor};

pub use helper::{ZcHelper, complete, highlight};
pub use session::{Reply, Session};

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

/// Runs the prompt until :quit or Ctrl-D. Returns an error message when the
/// terminal cannot be used.
pub fn run(mut session: Session, color: bool) -> Result<(), String> {
    let config = Config::builder().auto_add_history(true).build();
    let mut editor: Editor<ZcHelper, DefaultHistory> =
        Editor::with_config(config).map_err(|e| e.to_string())?;
    let words = Arc::new(RwLock::new(session.words()));
    editor.set_helper(Some(ZcHelper::new(Arc::clone(&words), color)));
    let history = history_path();
    if let Some(h) = &history {
        let _ = editor.load_history(h);
    }
    println!(
        "zhengce {} — 输入 :help 查看命令，Ctrl-D 退出",
        env!("CARGO_PKG_VERSION")
    );
    loop {
        match read_item(&mut editor) {
            Ok(line) => {
                let reply = session.handle(&line);
                print!("{}", reply.text);
                if let Ok(mut w) = words.write() {
                    *w = session.words();
                }
                if reply.quit {
                    break;
                }
            }
            Err(ReadlineError::Interrupted) => {}
            Err(ReadlineError::Eof) => break,
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
