//! Helpers shared by the integration tests: run source text and facts
//! through the library exactly as the CLI does.

use std::path::Path;

use chrono::NaiveDate;
use serde_json::Value;
use zhengce::internals::eval::{EvalConfig, evaluate};
use zhengce::internals::source::SourceFile;

/// The vocabulary of LANGUAGE.md's canonical examples.
pub const CANONICAL_VOCAB: &str = "词汇 {
  高新技术企业: 是否
  认定类型: 首次认定 | 重新认定 | 复审通过
  研发投入: 金额
  研发投入新增额: 金额
  首台套: 国际 | 国内 | 省内
  技术交易额: 金额
  新能源汽车置换: 是否
  置换车辆数: 数量(辆)
}
";

/// A `YYYY-MM-DD` date.
pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Parses and checks `src`, reads `facts` (JSON), evaluates on `on`, and
/// returns the JSON report. Panics with the rendered diagnostic on errors.
pub fn eval_json(src: &str, facts: &str, on: &str) -> Value {
    let file = SourceFile::new("t.zc", src);
    let module =
        zhengce::internals::syntax::parse(&file).unwrap_or_else(|e| panic!("{}", render(&e)));
    let checked = zhengce::internals::check::check(&[module])
        .unwrap_or_else(|es| panic!("{}", es.iter().map(|e| render(e)).collect::<String>()));
    let facts_file = SourceFile::new("facts.json", facts);
    let facts = zhengce::internals::facts::load(&checked.program.vocab, &facts_file)
        .unwrap_or_else(|es| panic!("{}", es.iter().map(|e| render(e)).collect::<String>()));
    let outcome = evaluate(&checked.program, &facts, &EvalConfig::on(date(on)))
        .unwrap_or_else(|e| panic!("{}", render(&e)));
    zhengce::internals::report::json(&checked.program, &outcome)
}

/// A diagnostic drawn as the tests snapshot it (plain, 80 columns).
pub fn render(d: &dyn miette::Diagnostic) -> String {
    zhengce::internals::diagnostics::render(d, zhengce::internals::diagnostics::Style::plain())
}

/// The clause with this label.
pub fn clause<'a>(report: &'a Value, label: &str) -> &'a Value {
    report["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clause"] == label)
        .unwrap_or_else(|| panic!("no clause {label} in {report:#}"))
}

/// The real binary, run from the project's root without colour.
pub fn zhengce(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_zhengce"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// `zhengce <command> <policy> --facts <facts> --date <date> --format
/// <format>`, which must succeed: its standard output.
fn run_ok(command: &str, policy: &Path, facts: &Path, date: &str, format: &str) -> String {
    let out = zhengce(&[
        command,
        &policy.to_string_lossy(),
        "--facts",
        &facts.to_string_lossy(),
        "--date",
        date,
        "--format",
        format,
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The JSON document of a command that succeeds (see [`run_ok`]).
pub fn json_output(command: &str, policy: &Path, facts: &Path, date: &str) -> Value {
    serde_json::from_str(&run_ok(command, policy, facts, date, "json")).unwrap()
}

/// The JSON Lines rows of a command that succeeds (see [`run_ok`]).
pub fn jsonl_output(command: &str, policy: &Path, facts: &Path, date: &str) -> Vec<Value> {
    run_ok(command, policy, facts, date, "jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Writes `text` to `name` in a directory of its own for this test run
/// and `group` (one per test file, so that files of the same name in two
/// test files never meet), and returns the path.
pub fn scratch(group: &str, name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("zc-{group}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The code blocks fenced as ```` ```lang ```` in a Markdown text, each
/// with its lines as written.
pub fn code_blocks(markdown: &str, lang: &str) -> Vec<String> {
    let fence = format!("```{lang}");
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match &mut current {
            None if line.trim_start() == fence => current = Some(String::new()),
            Some(text) if line.trim_start() == "```" => {
                out.push(std::mem::take(text));
                current = None;
            }
            Some(text) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    out
}
