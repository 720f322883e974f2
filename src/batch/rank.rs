//! `--rank 全区排名=综合得分`: a 名次 fact that no column gives, computed
//! from the register itself. A first pass over the register reads every
//! row's score (and, with `--rank-by`, its group); the ranks are worked
//! out; the second pass is the ordinary run, which sets each row's rank
//! before evaluating it. Without the option nothing here runs.
//!
//! Ranks are standard competition ranks, highest score first: scores 90,
//! 85, 85, 80 rank 1, 2, 2, 4, as 排名 lists are numbered. A row whose
//! score (or group) is missing has no rank: its clauses that read it are
//! 待定, never "not placed". A score that is not a number is that row's
//! `zc::batch::bad_cell`, and the row has no rank.

use std::collections::HashMap;
use std::io::Read;

use rust_decimal::Decimal;
use serde_json::Value as Json;

use super::plan::{Column, Plan};
use super::read::{RawRow, Source};
use super::row::{self, Pass};
use super::{BatchConfig, BatchError, InputFormat, RowError};
use crate::facts::Facts;
use crate::num::parse_decimal;
use crate::program::{FactId, Program, Ty, Value};

/// `--rank 名次事实=分数列` and `--rank-by 分组列`, as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankSpec {
    /// The 名次 fact the ranks are for.
    pub fact: String,
    /// The column ranked, highest first.
    pub score: String,
    /// The column whose values form separate lists, if any.
    pub by: Option<String>,
}

/// Each row's computed rank, by its line in the register.
#[derive(Debug, Clone, Default)]
pub struct Ranks {
    /// The 名次 fact.
    fact: FactId,
    /// Lines with a rank.
    ranks: HashMap<u64, u32>,
    /// Lines whose score cell is not a number.
    bad: HashMap<u64, RowError>,
}

impl Ranks {
    /// The fact the ranks are for.
    pub fn fact(&self) -> FactId {
        self.fact
    }

    /// The rank of the row at `line`, if it has one.
    pub fn rank(&self, line: u64) -> Option<u32> {
        self.ranks.get(&line).copied()
    }

    /// Sets the row's rank among its facts (missing when it has none);
    /// a score that was not a number is the row's error.
    pub(crate) fn fill(&self, line: u64, facts: &mut Facts, errors: &mut Vec<RowError>) {
        facts.set(self.fact, self.rank(line).map(Value::Rank));
        if let Some(e) = self.bad.get(&line) {
            errors.push(e.clone());
        }
    }
}

/// Where a row's score or group is read from.
#[derive(Debug, Clone)]
enum From {
    /// A vocabulary fact, read as the row's facts are.
    Fact(FactId),
    /// A column outside the vocabulary: its text (in a CSV row at this
    /// position; in a JSON Lines row under this key).
    Text(Option<usize>, String),
}

fn spec_error(spec: &RankSpec, reason: String, help: &str) -> BatchError {
    BatchError::RankSpec {
        spec: format!("{}={}", spec.fact, spec.score),
        reason,
        help: help.to_string(),
    }
}

/// Reads the whole register once and ranks its rows.
pub fn compute(
    program: &Program,
    input: Box<dyn Read + Send>,
    config: &BatchConfig,
    spec: &RankSpec,
) -> Result<Ranks, BatchError> {
    let (mut source, header) = Source::open(input, config.input, config.encoding)?;
    let jsonl = config.input == InputFormat::Jsonl;
    let plan = Plan::with_columns(program, &header, &config.columns, jsonl)?;
    let fact = rank_fact(program, &plan, spec)?;
    let score = column(program, &plan, spec, &spec.score, jsonl, "分数")?;
    if let From::Fact(id) = score
        && !program.vocab.get(id).is_some_and(|d| numeric(&d.ty))
    {
        return Err(spec_error(
            spec,
            format!("“{}”不是数值", spec.score),
            "按数值排名：分数列是金额、比例、数量，或不在词汇中的一列数字",
        ));
    }
    let group = match &spec.by {
        Some(by) => Some(column(program, &plan, spec, by, jsonl, "分组")?),
        None => None,
    };
    let group = group.as_ref();
    let payers = super::summary::Payers::new(program);
    let flat = crate::eval::compile(program, config.eval.date);
    let ctx = row::Ctx {
        late_keys: row::LateKeys::Off,
        ..row::Ctx::new(program, &flat, &plan, &payers, config)
    };
    let mut facts = Facts::empty(&program.vocab);
    let year = chrono::Datelike::year(&config.eval.date);
    let mut errors = Vec::new();
    // Group → (score, line), in register order.
    let mut lists: HashMap<String, Vec<(Decimal, u64)>> = HashMap::new();
    let mut bad = HashMap::new();
    let mut first = true;
    loop {
        let mut chunk = source.chunk(config.chunk_rows.max(1))?;
        if chunk.rows.is_empty() {
            break;
        }
        if std::mem::take(&mut first) {
            super::skip_type_line(&plan, &mut chunk.rows);
        }
        for raw in &chunk.rows {
            errors.clear();
            let line = raw.line();
            let (pass, _) = row::read_facts(&ctx, raw, &mut facts, &mut errors);
            let s = match read(&score, raw, &pass, &facts, year) {
                Cell::Missing => continue,
                Cell::Text(t) => match number(&t) {
                    Some(n) => n,
                    None => {
                        bad.insert(line, not_a_number(line, &spec.score, &t));
                        continue;
                    }
                },
                Cell::Value(v) => match crate::program::interval::number(&v) {
                    Some(n) => n,
                    None => continue,
                },
            };
            let g = match group {
                None => String::new(),
                Some(from) => match read(from, raw, &pass, &facts, year) {
                    Cell::Missing => continue,
                    Cell::Text(t) => t,
                    Cell::Value(v) => match from {
                        From::Fact(id) => program
                            .vocab
                            .get(*id)
                            .map(|d| crate::report::show_value(&d.ty, &v))
                            .unwrap_or_default(),
                        From::Text(..) => continue,
                    },
                },
            };
            lists.entry(g).or_default().push((s, line));
        }
        source.recycle(chunk.rows);
    }
    let mut ranks = HashMap::new();
    for list in lists.values_mut() {
        // Highest first; equal scores share the rank of the first of them
        // (1, 2, 2, 4), whatever order the register lists them in.
        list.sort_by_key(|e| std::cmp::Reverse(e.0));
        let mut rank = 0u32;
        let mut last: Option<Decimal> = None;
        for (i, (s, line)) in list.iter().enumerate() {
            if last != Some(*s) {
                rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
                last = Some(*s);
            }
            ranks.insert(*line, rank);
        }
    }
    Ok(Ranks { fact, ranks, bad })
}

/// The 名次 fact of `--rank`, which no column of the register may give.
fn rank_fact(program: &Program, plan: &Plan, spec: &RankSpec) -> Result<FactId, BatchError> {
    let Some(&id) = program.vocab.by_name.get(spec.fact.trim()) else {
        return Err(spec_error(
            spec,
            format!("“{}”不在词汇中", spec.fact),
            "等号左边写词汇中类型为 名次 的事实，如 --rank 全区排名=综合得分",
        ));
    };
    if !matches!(program.vocab.get(id).map(|d| &d.ty), Some(Ty::Rank)) {
        return Err(spec_error(
            spec,
            format!("“{}”的类型不是 名次", spec.fact),
            "等号左边写词汇中类型为 名次 的事实（词汇中写 全区排名：名次）",
        ));
    }
    let given = plan
        .columns
        .iter()
        .any(|c| matches!(c, Column::Fact(f) | Column::MoneyIn(f, _) | Column::Year { id: f, .. } if *f == id))
        || plan
            .aliases
            .values()
            .any(|c| matches!(c, Column::Fact(f) if *f == id));
    if given {
        return Err(spec_error(
            spec,
            format!("登记表已有“{}”列", spec.fact),
            "名次或者由登记表给出，或者由 --rank 按分数算出：删去该列，或不用 --rank",
        ));
    }
    Ok(id)
}

/// Where the column `name` is read from: a vocabulary fact (under its
/// name or a `--column` rename) or a column outside the vocabulary.
fn column(
    program: &Program,
    plan: &Plan,
    spec: &RankSpec,
    name: &str,
    jsonl: bool,
    what: &str,
) -> Result<From, BatchError> {
    let name = name.trim();
    let at = plan.names.iter().position(|n| n == name);
    if let Some(i) = at {
        return Ok(match plan.columns.get(i) {
            Some(Column::Fact(id) | Column::MoneyIn(id, _) | Column::Year { id, .. }) => {
                From::Fact(*id)
            }
            _ => From::Text(Some(i), name.to_string()),
        });
    }
    if let Some(&id) = program.vocab.by_name.get(name) {
        // A JSON Lines key may first appear in a later row.
        if jsonl {
            return Ok(From::Fact(id));
        }
    } else if jsonl {
        return Ok(From::Text(None, name.to_string()));
    }
    Err(spec_error(
        spec,
        format!("登记表中没有{what}列“{name}”"),
        "写登记表表头中的列名（改过名的列写改名后的词汇词）",
    ))
}

/// A score or group cell of one row.
enum Cell {
    /// Empty, `null` or not there.
    Missing,
    /// The text of a column outside the vocabulary, trimmed.
    Text(String),
    /// A vocabulary fact's value.
    Value(Value),
}

/// A column's cell of one row; a fact given year by year is read as of
/// `year`, the evaluation date's.
fn read(from: &From, raw: &RawRow, pass: &Pass<'_>, facts: &Facts, year: i32) -> Cell {
    let text = match from {
        From::Fact(id) => {
            return match facts.get_in(*id, year).cloned() {
                Some(v) => Cell::Value(v),
                None => Cell::Missing,
            };
        }
        From::Text(at, name) => match (raw, pass) {
            (RawRow::Csv { record, .. }, _) => at
                .and_then(|i| record.get(i))
                .map(|b| String::from_utf8_lossy(b).trim().to_string()),
            (_, Pass::Json(map)) => {
                map.iter()
                    .find(|(k, _)| k.trim() == name)
                    .and_then(|(_, v)| match v {
                        Json::Null => None,
                        Json::String(t) => Some(t.trim().to_string()),
                        other => Some(other.to_string()),
                    })
            }
            _ => None,
        },
    };
    match text {
        Some(t) if !t.is_empty() => Cell::Text(t),
        _ => Cell::Missing,
    }
}

/// A score as a number: digits with an optional point and sign.
fn number(t: &str) -> Option<Decimal> {
    let t = t.trim();
    match t.strip_prefix(['-', '－']) {
        Some(rest) => parse_decimal(rest.trim()).ok().map(|n| -n),
        None => parse_decimal(t.strip_prefix('+').unwrap_or(t)).ok(),
    }
}

fn not_a_number(line: u64, column: &str, value: &str) -> RowError {
    RowError::BadCell {
        row: line,
        column: column.to_string(),
        value: value.to_string(),
        problem: "不是数字，无法按它排名".into(),
        help: "--rank 的分数列写数字，如 87.5；不知道时留空（该行名次缺少，条款待定）".into(),
    }
}

/// The types a score can be ranked by.
fn numeric(ty: &Ty) -> bool {
    matches!(ty, Ty::Money | Ty::Foreign(_) | Ty::Ratio | Ty::Quantity(_))
}
