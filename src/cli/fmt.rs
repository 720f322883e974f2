//! `zhengce fmt`: rewrite files in the canonical layout, check that they
//! are (`--check`, for CI), or format standard input (`--stdin`, for
//! editors).
#![expect(
    clippy::result_large_err,
    reason = "errors of reading and parsing a file carry their source to render anywhere; they happen once per file, never per row"
)]

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Args;

use super::{Exit, Format, print_diagnostics};
use crate::fmt::{FmtError, format};
use crate::load::{self, LoadError};

/// Arguments of `fmt`.
#[derive(Debug, Args)]
pub struct FmtArgs {
    /// 要格式化的 .zc 文件或目录（目录下的全部 .zc 文件）。
    #[arg(required_unless_present = "stdin", conflicts_with = "stdin")]
    pub paths: Vec<PathBuf>,
    /// 只检查不改写：有文件需要格式化时输出差异并以 1 退出。
    #[arg(long)]
    pub check: bool,
    /// 从标准输入读取，格式化结果写到标准输出。
    #[arg(long)]
    pub stdin: bool,
}

/// What happened to one file.
enum Done {
    Unchanged,
    Changed,
    Failed,
}

/// Runs `fmt`.
pub fn run(args: &FmtArgs) -> Exit {
    if args.stdin {
        return run_stdin(args.check);
    }
    let files = match expand(&args.paths) {
        Ok(f) => f,
        Err(e) => {
            print_diagnostics(&[&e], Format::Human);
            return Exit::Failure;
        }
    };
    let (mut changed, mut failed) = (0usize, 0usize);
    for path in &files {
        match one(path, args.check) {
            Done::Unchanged => {}
            Done::Changed => changed += 1,
            Done::Failed => failed += 1,
        }
    }
    let total = files.len();
    if args.check {
        if changed > 0 {
            eprintln!("{changed} 个文件需要格式化（共 {total} 个）；运行 zhengce fmt 改写");
        }
    } else if changed > 0 {
        eprintln!("已格式化 {changed} 个文件（共 {total} 个）");
    }
    if failed > 0 || (args.check && changed > 0) {
        Exit::Failure
    } else {
        Exit::Ok
    }
}

/// Files named and `.zc` files under directories named, in sorted order.
fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, LoadError> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let before = out.len();
            load::walk(p, &mut out)?;
            if out.len() == before {
                return Err(LoadError::Empty {
                    path: p.display().to_string(),
                });
            }
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn one(path: &Path, check: bool) -> Done {
    let source = match load::read_source(path) {
        Ok(s) => s,
        Err(e) => {
            print_diagnostics(&[&e], Format::Human);
            return Done::Failed;
        }
    };
    let formatted = match format(&source) {
        Ok(t) => keep_line_endings(&source.text, t),
        Err(e) => {
            report(&e);
            return Done::Failed;
        }
    };
    if formatted == *source.text {
        return Done::Unchanged;
    }
    if check {
        super::emit(&check_report(&source.name, &source.text, &formatted));
        return Done::Changed;
    }
    // Written to a temporary file and renamed over the old one: a reader
    // sees the old file or the new one, never half of one. The file keeps
    // its mode, and one the user may not write is refused rather than
    // replaced (a rename needs only the directory to be writable).
    match crate::output::write_all(path, formatted.as_bytes()) {
        Ok(()) => Done::Changed,
        Err(e) => {
            print_diagnostics(&[&e], Format::Human);
            Done::Failed
        }
    }
}

fn run_stdin(check: bool) -> Exit {
    // Bytes first, decoded as a file is: text that is not UTF-8 gets
    // zc::load::invalid_utf8 with its position, not a bare I/O error.
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        let e = LoadError::Io {
            path: "<stdin>".into(),
            reason: e.to_string(),
        };
        print_diagnostics(&[&e], Format::Human);
        return Exit::Failure;
    }
    let source = match crate::load::decode("<stdin>".into(), bytes) {
        Ok(s) => s,
        Err(e) => {
            print_diagnostics(&[&e], Format::Human);
            return Exit::Failure;
        }
    };
    let formatted = match format(&source) {
        Ok(t) => keep_line_endings(&source.text, t),
        Err(e) => {
            report(&e);
            return Exit::Failure;
        }
    };
    if check {
        if formatted == *source.text {
            return Exit::Ok;
        }
        super::emit(&check_report("<stdin>", &source.text, &formatted));
        return Exit::Failure;
    }
    super::emit(&formatted);
    Exit::Ok
}

fn report(e: &FmtError) {
    print_diagnostics(&[e], Format::Human);
}

/// The formatter writes `\n`; a file whose first line ends in `\r\n` (a
/// Windows editor's) gets `\r\n` throughout, so formatting never turns
/// every line of it into a change.
fn keep_line_endings(original: &str, formatted: String) -> String {
    let crlf = original
        .find('\n')
        .is_some_and(|i| i > 0 && original.as_bytes().get(i - 1) == Some(&b'\r'));
    if crlf {
        formatted.replace('\n', "\r\n")
    } else {
        formatted
    }
}

/// What `--check` prints for a file that would change: one line when only
/// the line endings differ (a whole-file diff of invisible characters
/// helps no one), a unified diff otherwise.
fn check_report(name: &str, old: &str, new: &str) -> String {
    if old.replace("\r\n", "\n") == new.replace("\r\n", "\n") {
        let want = if new.contains("\r\n") { "CRLF" } else { "LF" };
        return format!("{name}：只有行尾不一致，应统一为 {want}（与第一行相同）\n");
    }
    diff(name, old, new)
}

/// How long the diff of one file may search for the shortest edit. Myers'
/// search costs (lines of both texts) × (lines that differ): nothing for a
/// policy file with a few changes, but a million-clause file written on
/// one line would take hours. Past the deadline `similar` finishes with a
/// longer, still correct diff.
const DIFF_DEADLINE: std::time::Duration = std::time::Duration::from_secs(2);

/// A unified diff from the file to its formatted text.
fn diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::configure()
        .deadline(std::time::Instant::now() + DIFF_DEADLINE)
        .diff_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(name, &format!("{name}（格式化后）"))
        .to_string()
}
