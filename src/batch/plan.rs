//! The header of a register, resolved once: which column gives which fact
//! slot, which columns pass through, and the output columns (one per
//! clause, then `合计`, the kind columns and `状态`). Rows are then read by
//! position, with no string lookup.
//!
//! A header is a vocabulary word, or a word renamed by `--column
//! 旧名=词汇词`, or either followed by a unit in brackets
//! (`研发投入（万元）`, `研发投入(元)`): the unit of the column's bare
//! numbers. A year before the word (`2023年营业收入`) makes the column that
//! year's value of a fact given year by year (docs/language.md §7.17); a
//! word never starts with a digit, so the two never meet.

use std::collections::HashMap;

use super::error::BatchError;
use crate::check::suggest::{did_you_mean, similar};
use crate::program::{Action, FactId, PolicyId, Program, Ty};
use crate::template::{facts_read, type_hint};

/// What an input column is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// A vocabulary fact.
    Fact(FactId),
    /// A money fact whose header names a unit this many decimal places
    /// above 元 (`（万元）`: 4): a bare number in it is in that unit.
    MoneyIn(FactId, u32),
    /// One year's value of a fact given year by year (`2023年营业收入`,
    /// `2023年营业收入（万元）`: `places` as for [`Column::MoneyIn`]).
    Year {
        /// The fact.
        id: FactId,
        /// The calendar year.
        year: i32,
        /// The money unit's places above 元, when the header names one.
        places: Option<u32>,
    },
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
    /// The unit of a `给予 额度` quota: the cell is the quota in it
    /// (`额度 125亩`), never money paid.
    pub quota: Option<String>,
}

/// The name of the total column.
pub const TOTAL: &str = "合计";
/// The name of the status column.
pub const STATUS: &str = "状态";
/// The per-row kind columns after `合计`: 定额, 上限 (by ceiling) and 下限
/// (by floor) sums, then the number of 酌定 grants (never money).
pub const KIND_COLUMNS: [&str; 4] = ["定额", "最高", "不少于", "酌定项数"];
/// The input column giving a row's application date.
pub const APPLY_DATE: &str = "申报日期";

/// The resolved header.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The input header, trimmed.
    pub names: Vec<String>,
    /// What each input column is.
    pub columns: Vec<Column>,
    /// How each input column's cells are first tried (see
    /// [`super::cell::Fast`]); `Slow` for all but fact columns.
    pub fast: Vec<super::cell::Fast>,
    /// Input positions of the pass-through columns.
    pub pass: Vec<usize>,
    /// One output column per clause, in load order (the order of
    /// `Outcome::clauses`).
    pub clauses: Vec<ClauseColumn>,
    /// Columns that are not vocabulary words, with suggestions.
    pub unknown: Vec<(String, Vec<String>)>,
    /// Facts the policies read that no column gives.
    pub absent: Vec<FactId>,
    /// Keys that are not vocabulary words but name a fact (renamed, or
    /// with a unit), for JSON Lines rows.
    pub aliases: HashMap<String, Column>,
    /// The template's type line for each fact column (see
    /// [`crate::template::render`]).
    type_line: Vec<Option<String>>,
    /// Whether some column is one year's value ([`Column::Year`]): rows
    /// then gather those cells into tables by year.
    pub by_year: bool,
}

impl Plan {
    /// Resolves a header against the program's vocabulary.
    pub fn new(program: &Program, header: &[String]) -> Result<Plan, BatchError> {
        Plan::with_columns(program, header, &[], false)
    }

    /// Resolves a header, renaming columns first (`--column 旧名=词汇词`).
    /// `keys_vary`: the header is the first JSON Lines object's keys, so a
    /// renamed key may first appear in a later row (it is not an error for
    /// it to be missing here, and it is renamed wherever it appears).
    pub fn with_columns(
        program: &Program,
        header: &[String],
        renames: &[(String, String)],
        keys_vary: bool,
    ) -> Result<Plan, BatchError> {
        let vocab = &program.vocab;
        if !keys_vary {
            let mut lists: Vec<&str> = Vec::new();
            for (_, c) in program.clauses() {
                if let crate::program::Action::Grant {
                    amount: crate::program::GrantAmount::Items(g),
                    ..
                } = &c.action
                    && !lists.contains(&vocab.name(g.list))
                {
                    lists.push(vocab.name(g.list));
                }
            }
            if !lists.is_empty() {
                return Err(BatchError::ListInCsv {
                    lists: lists.join("、"),
                });
            }
        }
        let mut columns = Vec::with_capacity(header.len());
        let mut pass = Vec::new();
        let mut unknown = Vec::new();
        let mut type_line = Vec::with_capacity(header.len());
        let mut seen: HashMap<FactId, ()> = HashMap::new();
        // Facts given by year: each year once, and never also as one value.
        let mut years: HashMap<FactId, Vec<i32>> = HashMap::new();
        let mut names = Vec::with_capacity(header.len());
        let mut aliases = HashMap::new();
        let trimmed: Vec<String> = header
            .iter()
            .map(|raw| raw.trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        check_renames(program, &trimmed, renames, keys_vary)?;
        if keys_vary {
            renamed_keys(program, renames, &mut aliases)?;
        }
        for (i, name) in trimmed.into_iter().enumerate() {
            let target = renames
                .iter()
                .find(|(from, _)| from.trim() == name)
                .map_or(name.as_str(), |(_, to)| to.trim());
            if target == APPLY_DATE {
                if columns.contains(&Column::ApplyDate) {
                    return Err(BatchError::DuplicateColumn {
                        column: APPLY_DATE.into(),
                    });
                }
                if name != APPLY_DATE {
                    aliases.insert(name.clone(), Column::ApplyDate);
                }
                columns.push(Column::ApplyDate);
                type_line.push(None);
                names.push(name);
                continue;
            }
            match resolve(program, target)? {
                Some(col @ Column::Year { id, year, .. }) => {
                    let given = years.entry(id).or_default();
                    if given.contains(&year) || seen.contains_key(&id) {
                        return Err(BatchError::DuplicateColumn { column: name });
                    }
                    given.push(year);
                    if !vocab.by_name.contains_key(&name) {
                        aliases.insert(name.clone(), col);
                    }
                    columns.push(col);
                    type_line.push(vocab.get(id).map(|d| type_hint(&d.ty)));
                }
                Some(col) => {
                    // `resolve` gives only fact columns.
                    let (Column::Fact(id) | Column::MoneyIn(id, _)) = col else {
                        continue;
                    };
                    if seen.insert(id, ()).is_some() || years.contains_key(&id) {
                        return Err(BatchError::DuplicateColumn {
                            column: vocab.name(id).to_string(),
                        });
                    }
                    if !vocab.by_name.contains_key(&name) {
                        aliases.insert(name.clone(), col);
                    }
                    columns.push(col);
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
            .filter(|id| !seen.contains_key(id) && !years.contains_key(id))
            .collect();
        let fast = columns
            .iter()
            .map(|c| match c {
                Column::Fact(id) => program
                    .vocab
                    .get(*id)
                    .map_or(super::cell::Fast::Slow, |d| super::cell::Fast::of(&d.ty)),
                _ => super::cell::Fast::Slow,
            })
            .collect();
        Ok(Plan {
            names,
            columns,
            fast,
            pass,
            clauses: clause_columns(program),
            unknown,
            absent,
            aliases,
            type_line,
            by_year: !years.is_empty(),
        })
    }

    /// The output header: pass-through columns, one per clause, 合计, the
    /// kind columns, 状态.
    pub fn output_header(&self) -> Vec<&str> {
        let mut h: Vec<&str> = self
            .pass
            .iter()
            .filter_map(|&i| self.names.get(i).map(String::as_str))
            .collect();
        h.extend(self.clauses.iter().map(|c| c.name.as_str()));
        h.push(TOTAL);
        h.extend(KIND_COLUMNS);
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

/// Refuses a `--column 旧名=词汇词` that renames a column twice, names a
/// column the header lacks (unless JSON Lines keys vary by row), or a word
/// the vocabulary lacks.
fn check_renames(
    program: &Program,
    trimmed: &[String],
    renames: &[(String, String)],
    keys_vary: bool,
) -> Result<(), BatchError> {
    let vocab = &program.vocab;
    for (i, (from, to)) in renames.iter().enumerate() {
        // The first would win without a word: refuse the second.
        if let Some((_, before)) = renames
            .iter()
            .take(i)
            .find(|(f, _)| f.trim() == from.trim())
        {
            return Err(BatchError::ColumnMap {
                spec: format!("{from}={to}"),
                reason: format!("“{}”已经读作“{before}”", from.trim()),
                help: "每一列只能用一个 --column 改名".into(),
            });
        }
        if !keys_vary && !trimmed.iter().any(|n| n == from.trim()) {
            let found = similar(from, trimmed.iter().map(String::as_str));
            return Err(BatchError::ColumnMap {
                spec: format!("{from}={to}"),
                reason: format!("表头中没有“{from}”列"),
                help: did_you_mean(&found, "--column 的左边是登记表表头中的列名"),
            });
        }
        if to.trim() != APPLY_DATE && resolve(program, to.trim())?.is_none() {
            let found = similar(to, vocab.by_name.keys().map(String::as_str));
            return Err(BatchError::ColumnMap {
                spec: format!("{from}={to}"),
                reason: format!("“{to}”不是词汇中的词"),
                help: did_you_mean(
                    &found,
                    "--column 的右边是词汇中的词，可带单位，如 研发投入（万元）",
                ),
            });
        }
    }
    Ok(())
}

/// Where JSON Lines keys vary by row, every rename is an alias, whichever
/// row its key first appears in.
fn renamed_keys(
    program: &Program,
    renames: &[(String, String)],
    aliases: &mut HashMap<String, Column>,
) -> Result<(), BatchError> {
    for (from, to) in renames {
        let col = match to.trim() {
            APPLY_DATE => Some(Column::ApplyDate),
            t => resolve(program, t)?,
        };
        if let Some(col) = col {
            aliases.insert(from.trim().to_string(), col);
        }
    }
    Ok(())
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
                quota: clause.quota().map(str::to_string),
            });
        }
    }
    out
}

/// What a header names: a vocabulary word, or one followed by a unit in
/// brackets that fits its type (money: 元, 万元, 亿元; money in a foreign
/// currency: that currency, `出口额（美元）`; a quantity: its own
/// unit; after other types the brackets are a note). `None`: not a
/// vocabulary word. A unit that does not fit is an error: the column's
/// numbers would be read wrong.
fn resolve(program: &Program, name: &str) -> Result<Option<Column>, BatchError> {
    if let Some((year, rest)) = year_prefix(name) {
        return Ok(match resolve(program, rest)? {
            Some(Column::Fact(id)) => Some(Column::Year {
                id,
                year,
                places: None,
            }),
            Some(Column::MoneyIn(id, places)) => Some(Column::Year {
                id,
                year,
                places: Some(places),
            }),
            _ => None,
        });
    }
    let vocab = &program.vocab;
    // A list's field is no column: it is written in the list's items.
    let field = |id: &FactId| vocab.get(*id).is_some_and(|d| d.list.is_some());
    if let Some(&id) = vocab.by_name.get(name) {
        if field(&id) {
            return Ok(None);
        }
        return Ok(Some(Column::Fact(id)));
    }
    let Some((word, unit)) = unit_suffix(name) else {
        return Ok(None);
    };
    let Some(&id) = vocab.by_name.get(word).filter(|id| !field(id)) else {
        return Ok(None);
    };
    let ty = vocab.get(id).map(|d| &d.ty);
    let col = match (ty, unit) {
        (Some(Ty::Money), "元") => Some(Column::Fact(id)),
        (Some(Ty::Money), "万元") => Some(Column::MoneyIn(id, 4)),
        (Some(Ty::Money), "亿元") => Some(Column::MoneyIn(id, 8)),
        (Some(Ty::Quantity(u)), _) if u == unit => Some(Column::Fact(id)),
        (Some(Ty::Foreign(c)), _) if c.word() == unit => Some(Column::Fact(id)),
        (Some(Ty::Money | Ty::Foreign(_) | Ty::Quantity(_) | Ty::Ratio) | None, _) => None,
        // Words in brackets after a 是否, date, text or enumeration column
        // are a note (`高新技术企业（是/否）`): nothing to convert.
        (Some(_), _) => Some(Column::Fact(id)),
    };
    col.map(Some).ok_or_else(|| BatchError::HeaderUnit {
        column: name.to_string(),
        unit: unit.to_string(),
        help: match ty {
            Some(Ty::Money) => format!("“{word}”是金额：表头的单位写 元、万元 或 亿元"),
            Some(Ty::Quantity(u)) => format!("“{word}”以{u}计：表头的单位写 {u}，或不写"),
            Some(Ty::Foreign(c)) => format!("“{word}”以{c}计：表头的单位写 {c}，或不写"),
            Some(_) => format!("“{word}”是比例：单元格写 20% 或 0.2，表头不写单位"),
            None => String::new(),
        },
    })
}

/// `2023年营业收入` → (2023, `营业收入`).
fn year_prefix(name: &str) -> Option<(i32, &str)> {
    let digits = name.get(..4)?;
    let rest = name.get(4..)?.strip_prefix('年')?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) || rest.is_empty() {
        return None;
    }
    Some((digits.parse().ok()?, rest))
}

/// `研发投入（万元）` → (`研发投入`, `万元`); also with ASCII brackets.
fn unit_suffix(name: &str) -> Option<(&str, &str)> {
    let (inner, close) = match name.strip_suffix('）') {
        Some(n) => (n, '（'),
        None => (name.strip_suffix(')')?, '('),
    };
    let open = inner.rfind([close, if close == '（' { '(' } else { '（' }])?;
    let word = inner.get(..open)?.trim_end();
    let unit = inner.get(open..)?.trim_start_matches(['（', '(']).trim();
    (!word.is_empty() && !unit.is_empty()).then_some((word, unit))
}
