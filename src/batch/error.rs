//! Errors of register evaluation: [`BatchError`] stops the run (the register
//! cannot be read at all); [`RowError`] concerns one row, which still gets
//! its output row with `状态` = `error: …`.

use miette::Diagnostic;
use thiserror::Error;

/// An error that stops the whole run.
#[derive(Debug, Error, Diagnostic)]
pub enum BatchError {
    /// Reading the register or writing the result failed.
    #[error("读写登记表失败：{}", crate::diagnostics::quote(.reason))]
    #[diagnostic(code(zc::batch::io), help("检查文件路径、读写权限和磁盘空间"))]
    Io {
        /// Why.
        reason: String,
    },

    /// The register has no header (an empty file, or an empty first line
    /// of a JSON Lines file).
    #[error("登记表为空：没有表头")]
    #[diagnostic(
        code(zc::batch::no_header),
        help(
            "CSV 的第一行是表头，每列一个词汇中的词（用 zhengce facts --template csv 生成）；JSON Lines 每行一个对象"
        )
    )]
    NoHeader,

    /// The header cannot be read (bad CSV, or not UTF-8).
    ///
    /// Triggered by a GB18030 file read without `--encoding gb18030`.
    #[error("无法读取表头：{}", crate::diagnostics::quote(.reason))]
    #[diagnostic(code(zc::batch::bad_header), help("{help}"))]
    BadHeader {
        /// Why.
        reason: String,
        /// How to fix it.
        help: String,
    },

    /// Two columns name the same fact.
    ///
    /// Triggered by the header `研发投入,研发投入`.
    #[error("表头中“{}”出现了两次", crate::diagnostics::quote(.column))]
    #[diagnostic(
        code(zc::batch::duplicate_column),
        help("每个事实只能有一列；删除或改名多余的一列")
    )]
    DuplicateColumn {
        /// The column.
        column: String,
    },

    /// A header names a unit its fact cannot be written in.
    ///
    /// Triggered by the header `研发投入（人）` (研发投入 is money).
    #[error("表头“{}”的单位“{}”与该事实的类型不符", crate::diagnostics::quote(.column), crate::diagnostics::quote(.unit))]
    #[diagnostic(code(zc::batch::header_unit), help("{help}"))]
    HeaderUnit {
        /// The header as written.
        column: String,
        /// The unit in brackets.
        unit: String,
        /// The units that fit.
        help: String,
    },

    /// `--column 旧名=词汇词` names no column of the header, or no
    /// vocabulary word.
    ///
    /// Triggered by `--column 研发费=研发投人`.
    #[error("--column {}：{}", crate::diagnostics::quote(.spec), crate::diagnostics::quote(.reason))]
    #[diagnostic(code(zc::batch::column_map), help("{help}"))]
    ColumnMap {
        /// The option as given.
        spec: String,
        /// What is wrong.
        reason: String,
        /// Suggestions.
        help: String,
    },

    /// `--rank 名次事实=分数列` (or `--rank-by`) that cannot be done: the
    /// fact is not a 名次, a column of the register already gives it, or
    /// the register has no such score or group column.
    ///
    /// Triggered by `--rank 全区排名=综合得分` on a register with no
    /// 综合得分 column.
    #[error("--rank {}：{}", crate::diagnostics::quote(.spec), crate::diagnostics::quote(.reason))]
    #[diagnostic(code(zc::batch::rank_spec), help("{help}"))]
    RankSpec {
        /// The option as given.
        spec: String,
        /// What is wrong.
        reason: String,
        /// How to fix it.
        help: String,
    },

    /// `--rank` reads the register twice, and standard input can be read
    /// only once.
    #[error("--rank 要读两遍登记表，不能读标准输入")]
    #[diagnostic(
        code(zc::batch::rank_stdin),
        help("先把登记表存成文件，再用 --facts 文件名；第一遍按分数算出名次，第二遍逐行评估")
    )]
    RankStdin,

    /// A CSV register for policies that pay item by item: a cell holds one
    /// value, never a list of records.
    ///
    /// Triggered by a CSV register for a policy with `给予 每项 项目 …`.
    #[error("CSV 登记表写不下列表事实：{}", crate::diagnostics::quote(.lists))]
    #[diagnostic(
        code(zc::batch::list_in_csv),
        help(
            "列表事实（每项一条记录）用 JSON Lines 登记表：每行一个对象，如 {{\"项目\": [{{\"项目投资额\": \"300万元\"}}]}}"
        )
    )]
    ListInCsv {
        /// The list facts the policies read, joined.
        lists: String,
    },

    /// `--strict`: a column that is not a vocabulary word.
    ///
    /// Triggered by the header `id,研发投人` with `--strict`.
    #[error("表头中有不在词汇中的列：{}", crate::diagnostics::quote(.columns))]
    #[diagnostic(code(zc::batch::unknown_column), help("{help}"))]
    UnknownColumns {
        /// The columns, joined.
        columns: String,
        /// Suggestions.
        help: String,
    },
}

impl From<std::io::Error> for BatchError {
    fn from(e: std::io::Error) -> Self {
        BatchError::Io {
            reason: e.to_string(),
        }
    }
}

impl From<csv::Error> for BatchError {
    fn from(e: csv::Error) -> Self {
        BatchError::Io {
            reason: e.to_string(),
        }
    }
}

/// A warning about the register as a whole.
#[derive(Debug, Error, Diagnostic)]
pub enum BatchWarning {
    /// Columns that are not vocabulary words: they pass through unchanged.
    ///
    /// Triggered by the header `id,研发投人,高新技术企业`.
    #[error("以下列不在词汇中，原样输出：{}", crate::diagnostics::quote(.columns))]
    #[diagnostic(code(zc::batch::passthrough_column), severity(Warning), help("{help}"))]
    UnknownColumns {
        /// The columns, joined.
        columns: String,
        /// Suggestions.
        help: String,
    },

    /// Facts the policies read that no column gives: every row lacks them.
    ///
    /// Triggered by a register without a `研发投入` column for a policy
    /// that reads 研发投入.
    #[error("登记表缺少政策读取的事实：{}", crate::diagnostics::quote(.facts))]
    #[diagnostic(
        code(zc::batch::absent_facts),
        severity(Warning),
        help(
            "读取这些事实的条款对每一行都可能待定；用 zhengce facts --template csv 查看需要收集的全部列"
        )
    )]
    AbsentFacts {
        /// The facts, joined.
        facts: String,
    },
}

/// A problem with one row. The row is still written, with `状态` =
/// `error: …`, and the run goes on.
#[derive(Debug, Clone, Error, Diagnostic)]
pub enum RowError {
    /// A cell that does not fit its fact's type.
    ///
    /// Triggered by `abc` in a 金额 column.
    #[error("第 {row} 行，列“{}”的值“{}”：{}", crate::diagnostics::quote(.column), crate::diagnostics::quote(.value), crate::diagnostics::quote(.problem))]
    #[diagnostic(code(zc::batch::bad_cell), help("{help}"))]
    BadCell {
        /// Line number in the register (the header is line 1).
        row: u64,
        /// The column.
        column: String,
        /// The cell as written.
        value: String,
        /// What is wrong.
        problem: String,
        /// How to write it.
        help: String,
    },

    /// A row with more or fewer cells than the header.
    ///
    /// Triggered by `1,2` under the header `id,研发投入,高新技术企业`.
    #[error("第 {row} 行有 {found} 个单元格，表头有 {expected} 列")]
    #[diagnostic(
        code(zc::batch::field_count),
        help("检查该行是否多了或少了逗号；含逗号的单元格要用双引号括起")
    )]
    FieldCount {
        /// Line number.
        row: u64,
        /// Cells in the row.
        found: usize,
        /// Columns in the header.
        expected: usize,
    },

    /// A cell that is not valid text in the register's encoding.
    ///
    /// Triggered by a GB18030 cell in a register read as UTF-8.
    #[error("第 {row} 行，列“{}”：不是有效的 UTF-8 文本", crate::diagnostics::quote(.column))]
    #[diagnostic(
        code(zc::batch::invalid_utf8),
        help("Excel 在中文系统上导出的 CSV 通常是 GB18030 编码：加 --encoding gb18030")
    )]
    InvalidUtf8 {
        /// Line number.
        row: u64,
        /// The column.
        column: String,
    },

    /// A cell with bytes that GB18030 does not encode, in a register read
    /// with `--encoding gb18030`.
    ///
    /// Triggered by the cell `杭州市\xff`.
    #[error("第 {row} 行，列“{column}”：不是有效的 GB18030 文本")]
    #[diagnostic(
        code(zc::batch::invalid_gb18030),
        help(
            "该单元格含 GB18030 中不存在的字节：文件可能已损坏，或是 UTF-8 编码（去掉 --encoding gb18030）"
        )
    )]
    InvalidGb18030 {
        /// Line number.
        row: u64,
        /// The column.
        column: String,
    },

    /// A JSON Lines line that is not a JSON object.
    ///
    /// Triggered by the line `{"研发投入": }`.
    #[error("第 {row} 行不是 JSON 对象：{}", crate::diagnostics::quote(.reason))]
    #[diagnostic(
        code(zc::batch::bad_json),
        help("JSON Lines 每行一个对象，如 {{\"id\": \"A1\", \"研发投入\": \"800万元\"}}")
    )]
    BadJson {
        /// Line number.
        row: u64,
        /// The parser's message.
        reason: String,
    },

    /// A JSON Lines row giving the same key twice (after trimming spaces):
    /// which value is meant cannot be known, as in a facts file.
    ///
    /// Triggered by the line `{"研发投入": "1元", "研发投入": "2元"}`.
    #[error("第 {row} 行：键“{key}”出现了两次")]
    #[diagnostic(code(zc::batch::duplicate_key), help("每个键只写一次：删去多余的一个"))]
    DuplicateKey {
        /// Line number.
        row: u64,
        /// The key.
        key: String,
    },

    /// A JSON Lines key outside the vocabulary that the first object does
    /// not have: the result's columns were fixed by the first object, so
    /// the key would be lost from a CSV result.
    ///
    /// Triggered by `{"id": "A"}` followed by `{"id": "B", "备注": "x"}`.
    #[error("第 {row} 行：键“{key}”不在词汇中，也不在第一行中")]
    #[diagnostic(code(zc::batch::late_key), help("{help}"))]
    LateKey {
        /// Line number.
        row: u64,
        /// The key.
        key: String,
        /// Suggestions.
        help: String,
    },

    /// `--strict` with JSON Lines: a key that is not a vocabulary word.
    #[error("第 {row} 行：键“{}”不在词汇中", crate::diagnostics::quote(.key))]
    #[diagnostic(code(zc::batch::unknown_key), help("{help}"))]
    UnknownKey {
        /// Line number.
        row: u64,
        /// The key.
        key: String,
        /// Suggestions.
        help: String,
    },

    /// Evaluation failed (overflow, division by zero, …).
    #[error("第 {row} 行：{}", crate::diagnostics::quote(.reason))]
    #[diagnostic(code(zc::batch::eval), help("{help}"))]
    Eval {
        /// Line number.
        row: u64,
        /// The evaluator's message.
        reason: String,
        /// The evaluator's help.
        help: String,
    },

    /// The CSV reader could not read the row (for example an unclosed
    /// quotation mark at the end of the file).
    #[error("第 {row} 行无法读取：{}", crate::diagnostics::quote(.reason))]
    #[diagnostic(code(zc::batch::bad_row), help("检查该行的引号是否成对"))]
    BadRow {
        /// Line number.
        row: u64,
        /// Why.
        reason: String,
    },
}

impl RowError {
    /// The line number of the row.
    pub fn row(&self) -> u64 {
        match self {
            RowError::BadCell { row, .. }
            | RowError::FieldCount { row, .. }
            | RowError::InvalidUtf8 { row, .. }
            | RowError::InvalidGb18030 { row, .. }
            | RowError::BadJson { row, .. }
            | RowError::UnknownKey { row, .. }
            | RowError::DuplicateKey { row, .. }
            | RowError::LateKey { row, .. }
            | RowError::Eval { row, .. }
            | RowError::BadRow { row, .. } => *row,
        }
    }

    /// The reason as the `状态` cell shows it, without the row number.
    pub fn reason(&self) -> String {
        match self {
            RowError::BadCell {
                column,
                value,
                problem,
                ..
            } => format!("{column}“{value}”：{problem}"),
            RowError::FieldCount {
                found, expected, ..
            } => format!("有 {found} 个单元格，表头有 {expected} 列"),
            RowError::InvalidUtf8 { column, .. } => format!("{column}：不是有效的 UTF-8 文本"),
            RowError::InvalidGb18030 { column, .. } => {
                format!("{column}：不是有效的 GB18030 文本")
            }
            RowError::BadJson { reason, .. } => format!("不是 JSON 对象：{reason}"),
            RowError::UnknownKey { key, .. } => format!("键“{key}”不在词汇中"),
            RowError::DuplicateKey { key, .. } => format!("键“{key}”出现了两次"),
            RowError::LateKey { key, .. } => format!("键“{key}”不在词汇中，也不在第一行中"),
            RowError::Eval { reason, .. } | RowError::BadRow { reason, .. } => reason.clone(),
        }
    }
}
