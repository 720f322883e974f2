//! `zhengce coverage`: the corpus sentences that grant an amount, within
//! the loaded policies' 出处, and the clauses that cite each. The last line
//! of human output is exactly `covered/total`.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use super::{Exit, Format, print_diagnostics};
use crate::coverage::{self, Coverage};
use crate::load;

/// Arguments of `coverage`.
#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// 政策文件或目录（目录下的全部 .zc 文件按路径排序载入）。
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// 语料文件：政策原文全文（UTF-8），出处的行号指向它。
    #[arg(long)]
    pub source: PathBuf,
    /// 输出格式。
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// 同时列出已被引用的句子和引用它们的条款。
    #[arg(long)]
    pub all: bool,
}

/// Runs `coverage`.
pub fn run(args: &CoverageArgs) -> Exit {
    let checked = match super::compile(&args.paths, args.format) {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    let corpus = match load::read_source(&args.source) {
        Ok(c) => c,
        Err(e) => {
            print_diagnostics(&[&e], args.format);
            return Exit::Failure;
        }
    };
    let result = match coverage::measure(&checked.program, &corpus.text) {
        Ok(r) => r,
        Err(errors) => {
            let d = crate::diagnostics::as_dyn(&errors);
            print_diagnostics(&d, args.format);
            return Exit::Failure;
        }
    };
    if result.policies == 0 {
        eprintln!("载入的政策都没有写明出处（出处 第N行 至 第M行），没有可统计的句子");
    }
    let text = match args.format {
        Format::Human => human(&result, args.all),
        Format::Json => serde_json::to_string_pretty(&json_doc(&result)).unwrap_or_default() + "\n",
    };
    // A reader that stops early (`| head`) is not an error of ours.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Exit::Ok
}

/// The human report: uncited sentences (and, with `all`, cited ones with
/// their clauses), the percentage, then `covered/total` alone on the last
/// line.
pub fn human(result: &Coverage, all: bool) -> String {
    let mut out = String::new();
    let (cited, uncited): (Vec<_>, Vec<_>) = result
        .sentences
        .iter()
        .partition(|s| !s.cited_by.is_empty());
    if result.total() > 0 && uncited.is_empty() {
        out.push_str("所有给予金额的句子都有条款引用\n");
    } else if !uncited.is_empty() {
        out.push_str(&format!("未被引用的给予句（{} 句）：\n", uncited.len()));
        for s in &uncited {
            out.push_str(&format!("  第{}行  {}\n", s.line, s.text));
        }
    }
    if all && !cited.is_empty() {
        out.push_str(&format!("已被引用的给予句（{} 句）：\n", cited.len()));
        for s in &cited {
            out.push_str(&format!("  第{}行  {}\n", s.line, s.text));
            out.push_str(&format!("      ← {}\n", s.cited_by.join("、")));
        }
    }
    if let Some(pm) = result.per_mille() {
        out.push_str(&format!("覆盖率 {}.{}%\n", pm / 10, pm % 10));
    }
    out.push_str(&format!(
        "全语料（重复文件只计一次）：已引用 {}/{} 句给予句\n",
        result.corpus_covered, result.corpus_total
    ));
    out.push_str(&format!("{}/{}\n", result.covered(), result.total()));
    out
}

/// The JSON report: every grant sentence with its citing clauses, and the
/// two counts.
pub fn json_doc(result: &Coverage) -> serde_json::Value {
    json!({
        "sentences": result.sentences.iter().map(|s| json!({
            "line": s.line,
            "text": s.text,
            "cited_by": s.cited_by,
        })).collect::<Vec<_>>(),
        "covered": result.covered(),
        "total": result.total(),
        "corpus_covered": result.corpus_covered,
        "corpus_total": result.corpus_total,
    })
}
