//! `zhengce test`: runs every 案例 and reports like a test runner; the last
//! line of human output is exactly `N passed, N failed`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::json;

use super::{Exit, Format};
use crate::error::Error;
use crate::program::Program;
use crate::report;
use crate::testing::{CaseResult, run_case_assuming};
use crate::{check, load};

/// Output format of `test`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    /// 中文报告（`text` 亦可）。
    #[value(alias = "text")]
    Human,
    /// JSON。
    Json,
    /// JUnit XML，供 CI 系统读取。
    Junit,
    /// GitHub Actions 工作流命令（在未通过的案例上标注）。
    Github,
    /// SARIF 2.1.0（代码扫描）。
    Sarif,
}

/// Arguments of `test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// 政策文件或目录。
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// 输出格式。
    #[arg(long, value_enum, default_value = "human")]
    pub format: TestFormat,
    /// 只运行名称包含该文字的案例。
    #[arg(long)]
    pub filter: Option<String>,
    /// 没有案例时也视为通过。
    #[arg(long)]
    pub allow_empty: bool,
    /// 申报日期：对照各条款的申报期（案例自己写了 申报日期 时以案例为准）。
    #[arg(long, value_parser = super::parse_date_arg)]
    pub apply_date: Option<chrono::NaiveDate>,
    /// `--published`.
    #[command(flatten)]
    pub published: super::PublishedArgs,
}

/// Runs `test`.
pub fn run(args: &TestArgs) -> Exit {
    let diag_format = if args.format == TestFormat::Human {
        Format::Human
    } else {
        Format::Json
    };
    // The modules are kept: a case that assumes a publication date runs
    // against them re-checked with that assumption.
    let assumptions = args.published.assumptions();
    let compiled = load::parse_paths(&args.paths).and_then(|modules| {
        check::check_unlinted(&modules, &assumptions)
            .map(|c| (modules, c))
            .map_err(|es| es.into_iter().map(Error::from).collect())
    });
    let (modules, checked) = match compiled {
        Ok(c) => c,
        Err(errors) => {
            let diags = crate::diagnostics::as_dyn(&errors);
            // A CI consumer reads one format on stdout: files that do not
            // load or check are failures in that format, never an empty
            // report.
            match args.format {
                TestFormat::Human | TestFormat::Json => {
                    super::print_diagnostics(&diags, diag_format);
                }
                TestFormat::Junit => super::emit(&junit_errors(&diags)),
                TestFormat::Github => {
                    super::emit(&super::ci::github(&super::ci::findings(&diags)));
                }
                TestFormat::Sarif => {
                    super::emit_json(&super::ci::sarif(&super::ci::findings(&diags)));
                }
            }
            return Exit::Failure;
        }
    };
    let program = &checked.program;
    let results: Vec<CaseResult> = program
        .cases
        .iter()
        .enumerate()
        .filter(|(_, c)| args.filter.as_deref().is_none_or(|f| c.name.contains(f)))
        .map(|(i, c)| run_case_assuming(&modules, &assumptions, program, i, c, args.apply_date))
        .collect();
    let passed = results.iter().filter(|r| r.passed()).count();
    let failed = results.len() - passed;
    match args.format {
        TestFormat::Human => super::emit(&human(program, &results)),
        TestFormat::Json => super::emit_json(&json_doc(program, &results)),
        TestFormat::Junit => super::emit(&junit(program, &results)),
        TestFormat::Github => {
            super::emit(&super::ci::github(&case_findings(program, &results)));
            super::emit(&summary_lines(&results));
        }
        TestFormat::Sarif => super::emit_json(&super::ci::sarif(&case_findings(program, &results))),
    }
    if results.is_empty() && !args.allow_empty {
        eprintln!("没有找到案例（用 --allow-empty 允许没有案例）");
        return Exit::Failure;
    }
    if failed > 0 { Exit::Failure } else { Exit::Ok }
}

fn case_title(program: &Program, r: &CaseResult) -> (String, String) {
    let Some(case) = program.cases.get(r.case) else {
        return (String::new(), String::new());
    };
    let policy = case
        .policy
        .and_then(|p| program.policies.get(p))
        .and_then(|p| p.title.as_deref())
        .map_or(String::new(), |t| format!("《{t}》"));
    (format!("{policy}{}", case.name), program.position(case.loc))
}

/// The human report.
pub fn human(program: &Program, results: &[CaseResult]) -> String {
    let mut out = String::new();
    for r in results {
        let (title, at) = case_title(program, r);
        if r.passed() {
            out.push_str(&format!("✓ {title}\n"));
            continue;
        }
        out.push_str(&format!("✗ {title}（{at}）\n"));
        if let Some(e) = &r.error {
            out.push_str(&format!("  无法评估：\n{e}\n"));
        }
        for f in &r.failures {
            out.push_str(&format!(
                "  {}\n    期望：{}\n    实际：{}\n",
                f.expectation, f.expected, f.actual
            ));
            if let (Some((p, c)), Some(outcome)) = (f.clause, &r.outcome) {
                let one = crate::eval::Outcome {
                    clauses: outcome
                        .clauses
                        .iter()
                        .filter(|x| x.policy == p && x.index == c)
                        .cloned()
                        .collect(),
                    ..outcome.clone()
                };
                let facts = program
                    .cases
                    .get(r.case)
                    .map(|c| c.facts.row(&program.vocab))
                    .unwrap_or_default();
                for line in report::explain(program, &facts, &one)
                    .lines()
                    .filter(|l| !l.is_empty())
                {
                    out.push_str(&format!("    {line}\n"));
                }
            }
        }
    }
    out.push_str(&summary_lines(results));
    out
}

/// `通过 N 个，失败 N 个` and, last, `N passed, N failed`: CI scripts parse
/// the English line, so it stays the last one and never changes.
fn summary_lines(results: &[CaseResult]) -> String {
    let passed = results.iter().filter(|r| r.passed()).count();
    let failed = results.len() - passed;
    format!("通过 {passed} 个，失败 {failed} 个\n{passed} passed, {failed} failed\n")
}

/// Each failed 案例 as a finding at the case.
fn case_findings(program: &Program, results: &[CaseResult]) -> Vec<super::ci::Finding> {
    results
        .iter()
        .filter(|r| !r.passed())
        .map(|r| {
            let (title, _) = case_title(program, r);
            let mut message = format!("案例 {title} 未通过");
            if let Some(e) = &r.error {
                message.push_str(&format!("：无法评估：{e}"));
            }
            for f in &r.failures {
                message.push_str(&format!(
                    "\n{}：期望 {}，实际 {}",
                    f.expectation, f.expected, f.actual
                ));
            }
            let at = program.cases.get(r.case).and_then(|c| {
                let file = program.files.get(c.loc.file)?;
                Some(super::ci::Region::of(file, c.loc.span))
            });
            super::ci::Finding {
                code: CASE_FAILED.into(),
                severity: "error",
                message,
                help: None,
                at,
            }
        })
        .collect()
}

/// The code of a failed 案例 in the CI formats (see docs/diagnostics.md).
pub const CASE_FAILED: &str = "zc::test::failed";

/// JUnit XML for files that did not load or check: one failed test case
/// per error, so a CI system shows why nothing ran.
fn junit_errors(diags: &[&dyn miette::Diagnostic]) -> String {
    use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
    let mut report = Report::new("zhengce");
    let mut suite = TestSuite::new("检查");
    for f in super::ci::findings(diags)
        .into_iter()
        .filter(|f| f.severity == "error")
    {
        let at = f.at.as_ref().map_or_else(String::new, |r| {
            format!("{}:{}:{}", r.file, r.start_line, r.start_column)
        });
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status.set_message(f.message.clone());
        status.set_type(f.code.clone());
        let mut text = f.message.clone();
        if let Some(h) = &f.help {
            text.push_str(&format!("\n{h}"));
        }
        status.set_description(text);
        let name = if at.is_empty() {
            f.code.clone()
        } else {
            format!("{} {at}", f.code)
        };
        let mut case = TestCase::new(name, status);
        case.set_classname(at);
        suite.add_test_case(case);
    }
    report.add_test_suite(suite);
    report.to_string().unwrap_or_default()
}

fn json_doc(program: &Program, results: &[CaseResult]) -> serde_json::Value {
    let passed = results.iter().filter(|r| r.passed()).count();
    json!({
        "cases": results.iter().map(|r| {
            let (title, at) = case_title(program, r);
            json!({
                "name": title,
                "at": at,
                "passed": r.passed(),
                "error": r.error,
                "failures": r.failures.iter().map(|f| json!({
                    "expectation": f.expectation,
                    "expected": f.expected,
                    "actual": f.actual,
                })).collect::<Vec<_>>(),
            })
        }).collect::<Vec<_>>(),
        "passed": passed,
        "failed": results.len() - passed,
    })
}

fn junit(program: &Program, results: &[CaseResult]) -> String {
    use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
    let mut report = Report::new("zhengce");
    let mut suite = TestSuite::new("案例");
    for r in results {
        let (title, at) = case_title(program, r);
        let status = if r.passed() {
            TestCaseStatus::success()
        } else {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            let mut text = r.error.clone().unwrap_or_default();
            for f in &r.failures {
                text.push_str(&format!(
                    "{}：期望 {}，实际 {}\n",
                    f.expectation, f.expected, f.actual
                ));
            }
            s.set_description(text);
            s
        };
        let mut case = TestCase::new(title, status);
        case.set_classname(at);
        suite.add_test_case(case);
    }
    report.add_test_suite(suite);
    report.to_string().unwrap_or_default()
}
