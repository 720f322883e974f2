//! The header of a register, resolved once: which column gives which fact
//! slot, which columns pass through, and the output columns (one per
//! clause, then `合计` and `状态`). Rows are then read by position, with no
//! string lookup.

use std::collections::HashMap;

use super::error::BatchError;
use crate::check::suggest::{did_you_mean, similar};
use crate::program::{Action, FactId, PolicyId, Program};
use crate::template::{facts_read, type_hint};

/// What an input column is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// A vocabulary fact.
    Fact(FactId),
    /// `申报日期`: the row's application date, over `--apply-date`.
    ApplyDate,
    /// Anything else: copied to the output.
    Pass,
}

/// One output column per clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseColumn {
    /// The column's name: the clause label, prefixed with `《标题》` when
    /// several policies are loaded.
    pub name: String,
    /// The policy.
    pub policy: PolicyId,
    /// The clause's index in its policy.
    pub index: usize,
    /// Whether the clause is a grant (the cell is an amount) or not (the
    /// cell is a verdict word).
    pub grant: bool,
}

/// The name of the total column.
pub const TOTAL: &str = "合计";
/// The name of the status column.
pub const STATUS: &str = "状态";
/// The input column giving a row's application date.
pub const APPLY_DATE: &str = "申报日期";

/// The resolved header.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The input header, trimmed.
    pub names: Vec<String>,
    /// What each input column is.
    pub columns: Vec<Column>,
    /// Input positions of the pass-through columns.
    pub pass: Vec<usize>,
    /// One output column per clause, in load order (the order of
    /// `Outcome::clauses`).
    pub clauses: Vec<ClauseColumn>,
    /// Columns that are not vocabulary words, with suggestions.
    pub unknown: Vec<(String, Vec<String>)>,
    /// Facts the policies read that no column gives.
    pub absent: Vec<FactId>,
    /// The template's type line for each fact column (see
    /// [`crate::template::render`]).
    type_line: Vec<Option<String>>,
}

impl Plan {
    /// Resolves a header against the program's vocabulary.
    pub fn new(program: &Program, header: &[String]) -> Result<Plan, BatchError> {
        let vocab = &program.vocab;
        let mut columns = Vec::with_capacity(header.len());
        let mut pass = Vec::new();
        let mut unknown = Vec::new();
        let mut type_line = Vec::with_capacity(header.len());
        let mut seen: HashMap<FactId, ()> = HashMap::new();
        let mut names = Vec::with_capacity(header.len());
        for (i, raw) in header.iter().enumerate() {
            let name = raw.trim_start_matches('\u{feff}').trim().to_string();
            if name == APPLY_DATE {
                if columns.contains(&Column::ApplyDate) {
                    return Err(BatchError::DuplicateColumn { column: name });
                }
                columns.push(Column::ApplyDate);
                type_line.push(None);
                names.push(name);
                continue;
            }
            match vocab.by_name.get(&name) {
                Some(&id) => {
                    if seen.insert(id, ()).is_some() {
                        return Err(BatchError::DuplicateColumn { column: name });
                    }
                    columns.push(Column::Fact(id));
                    type_line.push(vocab.get(id).map(|d| type_hint(&d.ty)));
                }
                None => {
                    let found = similar(&name, vocab.by_name.keys().map(String::as_str));
                    unknown.push((name.clone(), found));
                    columns.push(Column::Pass);
                    pass.push(i);
                    type_line.push(None);
                }
            }
            names.push(name);
        }
        let absent = facts_read(program)
            .into_iter()
            .filter(|id| !seen.contains_key(id))
            .collect();
        Ok(Plan {
            names,
            columns,
            pass,
            clauses: clause_columns(program),
            unknown,
            absent,
            type_line,
        })
    }

    /// The output header: pass-through columns, one per clause, 合计, 状态.
    pub fn output_header(&self) -> Vec<&str> {
        let mut h: Vec<&str> = self
            .pass
            .iter()
            .filter_map(|&i| self.names.get(i).map(String::as_str))
            .collect();
        h.extend(self.clauses.iter().map(|c| c.name.as_str()));
        h.push(TOTAL);
        h.push(STATUS);
        h
    }

    /// Whether a row is the type line of a template (every fact column holds
    /// exactly its type hint), to be skipped rather than evaluated.
    pub fn is_type_line<'a>(&self, cells: impl IntoIterator<Item = &'a [u8]>) -> bool {
        let mut facts = 0;
        for (cell, hint) in cells.into_iter().zip(&self.type_line) {
            if let Some(h) = hint {
                if cell != h.as_bytes() {
                    return false;
                }
                facts += 1;
            }
        }
        facts > 0
    }

    /// The unknown columns joined for a message, and did-you-mean help.
    pub fn unknown_message(&self) -> (String, String) {
        let columns = self
            .unknown
            .iter()
            .map(|(c, _)| format!("“{c}”"))
            .collect::<Vec<_>>()
            .join("、");
        let hints: String = self
            .unknown
            .iter()
            .filter(|(_, f)| !f.is_empty())
            .map(|(c, f)| format!("“{c}”：{}", did_you_mean(f, "")))
            .collect();
        let help = if hints.is_empty() {
            "不在词汇中的列（如编号、名称）原样输出；--strict 时视为错误".to_string()
        } else {
            format!("{hints}其余列原样输出")
        };
        (columns, help)
    }
}

/// The output columns for the clauses, in load order: the clause label,
/// prefixed with `《标题》` for every clause when more than one policy is
/// loaded (labels like `第三条` repeat across documents).
pub fn clause_columns(program: &Program) -> Vec<ClauseColumn> {
    let titled = program.policies.len() > 1;
    let mut out: Vec<ClauseColumn> = Vec::new();
    for (pid, policy) in program.policies.iter().enumerate() {
        for (index, clause) in policy.clauses.iter().enumerate() {
            let mut name = match (&policy.title, titled) {
                (Some(t), true) => format!("《{t}》{}", clause.label),
                _ => clause.label.clone(),
            };
            if out.iter().any(|c| c.name == name) {
                name = format!("{name}#{}", index + 1);
            }
            out.push(ClauseColumn {
                name,
                policy: pid,
                index,
                grant: matches!(clause.action, Action::Grant { .. }),
            });
        }
    }
    out
}
