//! Code lenses: each 案例 run, showing 通过/失败; each clause evaluated
//! against the facts found next to the policy (a `*.facts.json` beside the
//! file, else the file's first 案例), showing what it gives.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use lsp_types::{CodeLens, Command};
use serde_json::json;

use crate::eval::{ClauseResult, EvalConfig, Outcome, Status, evaluate};
use crate::facts::Facts;
use crate::program::{FileId, Loc, PolicyId, Program};
use crate::report::result_words;
use crate::source::Span;
use crate::testing::{CaseResult, run_case};

use super::documents::Documents;
use super::position::LineMap;
use super::project::Project;
use super::tree;

/// The command a case's lens runs (the server shows the result).
pub(super) const RUN_CASE: &str = "zhengce.runCase";
/// The command a clause's lens runs.
pub(super) const EVAL_CLAUSE: &str = "zhengce.evalClause";

/// Where the facts for the clause lenses came from.
pub(super) struct FactsSource {
    /// `企业.facts.json` or `案例“首次认定”`.
    pub name: String,
    /// The facts.
    pub facts: Facts,
    /// The evaluation date.
    pub date: NaiveDate,
}

/// The lenses of one file.
pub(super) fn lenses(
    project: &Project,
    docs: &Documents,
    file: FileId,
    path: &Path,
    date: NaiveDate,
) -> Vec<CodeLens> {
    let Some(m) = project.modules.get(file) else {
        return Vec::new();
    };
    if !project.runnable() {
        return Vec::new();
    }
    let lines = LineMap::new(&m.source.text);
    let at = |span: Span| lines.range(Span::new(span.start, span.start));
    let uri = path.display().to_string();
    let mut out = Vec::new();
    for (_, case) in tree::cases(m) {
        let Some(index) = case_index(&project.program, file, case.span) else {
            continue;
        };
        let result = run_case_at(&project.program, index);
        out.push(CodeLens {
            range: at(case.span),
            command: Some(Command::new(
                case_title(&result),
                RUN_CASE.into(),
                Some(vec![json!(uri), json!(index)]),
            )),
            data: None,
        });
    }
    match facts_source(project, docs, file, path, date) {
        Ok(Some(src)) => {
            let config = EvalConfig::on(src.date);
            let outcome = evaluate(&project.program, &src.facts, &config);
            for (_, c) in tree::clauses(m) {
                let Some((p, i)) = clause_index(&project.program, file, c.span) else {
                    continue;
                };
                let title = match &outcome {
                    Ok(o) => match o.clause(p, i) {
                        Some(r) => {
                            format!("按 {}：{}", src.name, clause_words(&project.program, r))
                        }
                        None => continue,
                    },
                    Err(e) => format!("按 {} 无法计算：{e}", src.name),
                };
                out.push(CodeLens {
                    range: at(c.span),
                    command: Some(Command::new(
                        title,
                        EVAL_CLAUSE.into(),
                        Some(vec![json!(uri), json!(p), json!(i)]),
                    )),
                    data: None,
                });
            }
        }
        Ok(None) => {}
        Err(why) => {
            if let Some((_, c)) = tree::clauses(m).first() {
                out.push(CodeLens {
                    range: at(c.span),
                    command: Some(Command::new(why, String::new(), None)),
                    data: None,
                });
            }
        }
    }
    out
}

/// The index in `program.cases` of the case written at `span`.
pub(super) fn case_index(program: &Program, file: FileId, span: Span) -> Option<usize> {
    let loc = Loc { file, span };
    program.cases.iter().position(|c| c.loc == loc)
}

fn clause_index(program: &Program, file: FileId, span: Span) -> Option<(PolicyId, usize)> {
    let loc = Loc { file, span };
    program
        .policies
        .iter()
        .enumerate()
        .find_map(|(p, pd)| pd.clauses.iter().position(|c| c.loc == loc).map(|i| (p, i)))
}

/// Runs one case of the program.
pub(super) fn run_case_at(program: &Program, index: usize) -> CaseResult {
    match program.cases.get(index) {
        Some(c) => run_case(program, index, c),
        None => CaseResult {
            case: index,
            failures: Vec::new(),
            outcome: None,
            error: Some("案例不存在".into()),
        },
    }
}

/// `▶ 通过` / `✗ 失败：1 项期望不符`.
pub(super) fn case_title(r: &CaseResult) -> String {
    match (&r.error, r.failures.len()) {
        (Some(e), _) => format!("✗ 失败：{}", e.lines().next().unwrap_or("")),
        (None, 0) => "▶ 通过".into(),
        (None, n) => format!("✗ 失败：{n} 项期望不符"),
    }
}

/// The failures of a case, one line each, as `zhengce test` lists them.
pub(super) fn case_report(program: &Program, r: &CaseResult) -> String {
    let name = program.cases.get(r.case).map_or("", |c| c.name.as_str());
    let mut s = format!("案例“{name}”：{}", case_title(r));
    for f in &r.failures {
        s.push_str(&format!(
            "\n{}：期望 {}，实际 {}",
            f.expectation, f.expected, f.actual
        ));
    }
    s
}

/// `给予 最高 20万元`, `不适用`, `待定（缺少：研发投入）` …
pub(super) fn clause_words(program: &Program, r: &ClauseResult) -> String {
    if r.status == Status::Applies && r.verdict.is_none() && r.amount_kind.is_some() {
        let mut s = format!("给予 {}", crate::report::result_amount_words(program, r));
        if r.displaced_by.is_some() {
            s.push_str(&format!("（{}）", result_words(program, r)));
        }
        s
    } else {
        result_words(program, r)
    }
}

/// The facts the clause lenses use: `<stem>.facts.json` beside the file,
/// else the first `*.facts.json` there (sorted by name), else the file's
/// first 案例. `Err` says why a facts file could not be read.
pub(super) fn facts_source(
    project: &Project,
    docs: &Documents,
    file: FileId,
    path: &Path,
    date: NaiveDate,
) -> Result<Option<FactsSource>, String> {
    if let Some(f) = facts_file(path) {
        let name = f
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let source = docs.read(&f).map_err(|e| format!("无法读取 {name}：{e}"))?;
        return match crate::facts::load(&project.program.vocab, &source) {
            Ok(facts) => Ok(Some(FactsSource { name, facts, date })),
            Err(errors) => Err(format!(
                "{name} 有误：{}",
                errors.first().map(ToString::to_string).unwrap_or_default()
            )),
        };
    }
    let Some(m) = project.modules.get(file) else {
        return Ok(None);
    };
    let Some((_, case)) = tree::cases(m).into_iter().next() else {
        return Ok(None);
    };
    let Some(def) =
        case_index(&project.program, file, case.span).and_then(|i| project.program.cases.get(i))
    else {
        return Ok(None);
    };
    Ok(Some(FactsSource {
        name: format!("案例“{}”", def.name),
        facts: def.facts.row(&project.program.vocab),
        date: def.date.unwrap_or(date),
    }))
}

fn facts_file(path: &Path) -> Option<PathBuf> {
    let dir = path.parent()?;
    let stem = path.file_stem()?.to_string_lossy();
    let own = dir.join(format!("{stem}.facts.json"));
    if own.is_file() {
        return Some(own);
    }
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".facts.json"))
        .collect();
    all.sort();
    all.into_iter().next()
}

/// What the clause lens command shows: the result and the reasoning.
pub(super) fn clause_report(
    program: &Program,
    outcome: &Outcome,
    policy: PolicyId,
    index: usize,
) -> String {
    let Some(r) = outcome.clause(policy, index) else {
        return "条款不存在".into();
    };
    let label = program
        .policies
        .get(policy)
        .and_then(|p| p.clauses.get(index))
        .map_or("", |c| c.label.as_str());
    let mut s = format!("{label}：{}", clause_words(program, r));
    for t in &r.trace {
        s.push_str(&format!(
            "\n{}{} {}",
            "  ".repeat(t.depth),
            match t.result {
                crate::eval::Tri::Yes => "✓",
                crate::eval::Tri::No => "✗",
                crate::eval::Tri::Unknown => "?",
            },
            crate::report::source_words(program.text(t.loc))
        ));
    }
    for step in &r.derivation {
        s.push_str(&format!("\n计算：{}", step.text));
    }
    s
}
