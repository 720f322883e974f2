//! A block of rows → output bytes, counts and row errors. Blocks are
//! independent, so they run in parallel; their outputs are written in input
//! order.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde_json::{Map, Value as Json};

use super::cell;
use super::error::RowError;
use super::plan::{APPLY_DATE, Column, Plan, STATUS, TOTAL};
use super::read::RawRow;
use super::summary::{Payers, Tally};
use crate::check::suggest::{did_you_mean, similar};
use crate::eval::{ClauseKind, ClauseResult, EvalConfig, Outcome, Status, Verdict, evaluate_into};
use crate::facts::Facts;
use crate::num::Money;
use crate::program::{FactId, Program};

/// The format of the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// CSV with a header line.
    #[default]
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// What every block shares.
pub struct Ctx<'a> {
    /// The checked program.
    pub program: &'a Program,
    /// The resolved header.
    pub plan: &'a Plan,
    /// Who pays each clause.
    pub payers: &'a Payers,
    /// How to evaluate.
    pub eval: &'a EvalConfig,
    /// JSON Lines keys outside the vocabulary are errors.
    pub strict: bool,
    /// The result's format.
    pub output: OutputFormat,
}

/// What a block produced.
pub struct Block {
    /// Output rows, encoded.
    pub bytes: Vec<u8>,
    /// Counts.
    pub tally: Tally,
    /// Problems, in row order.
    pub errors: Vec<RowError>,
}

/// The pass-through cells of a row.
pub enum Pass<'r> {
    /// The CSV record (pass-through columns at [`Plan::pass`]).
    Csv(&'r csv::ByteRecord),
    /// The JSON object (pass-through keys: those outside the vocabulary).
    Json(Map<String, Json>),
    /// The row could not be read.
    None,
}

/// Reads one row's facts into `facts` (cleared first); problems go into
/// `errors`. Returns the row's cells for the pass-through columns, and its
/// 申报日期 when it gives one.
pub fn read_facts<'r>(
    ctx: &Ctx<'_>,
    row: &'r RawRow,
    facts: &mut Facts,
    errors: &mut Vec<RowError>,
) -> (Pass<'r>, Option<NaiveDate>) {
    facts.values.iter_mut().for_each(|v| *v = None);
    let line = row.line();
    match row {
        RawRow::Csv { record, .. } => {
            let d = fill_csv(ctx, line, record, facts, errors);
            (Pass::Csv(record), d)
        }
        RawRow::Json { text, .. } => match serde_json::from_str::<Map<String, Json>>(text) {
            Ok(map) => {
                let d = fill_json(ctx, line, &map, facts, errors);
                (Pass::Json(map), d)
            }
            Err(e) => {
                errors.push(RowError::BadJson {
                    row: line,
                    reason: e.to_string(),
                });
                (Pass::None, None)
            }
        },
        RawRow::Broken { reason, .. } => {
            errors.push(RowError::BadRow {
                row: line,
                reason: reason.clone(),
            });
            (Pass::None, None)
        }
    }
}

/// Evaluates a block of rows.
pub fn block(ctx: &Ctx<'_>, rows: &[RawRow]) -> Block {
    let mut facts = Facts::empty(&ctx.program.vocab);
    let mut out = Out::new(ctx.output, rows.len());
    let mut tally = Tally::new(ctx.program, ctx.payers);
    let mut errors = Vec::new();
    // One outcome for the whole block: each row's overwrites the last.
    let mut kept = Outcome {
        date: ctx.eval.date,
        clauses: Vec::new(),
        policies: Vec::new(),
        total: Money::ZERO,
        totals: crate::eval::Totals::default(),
        undecided: false,
    };
    // A row's 申报日期 overrides the command line's for that row only.
    let mut eval = ctx.eval.clone();
    for row in rows {
        let first_error = errors.len();
        let line = row.line();
        let (pass, apply_date) = read_facts(ctx, row, &mut facts, &mut errors);
        eval.apply_date = apply_date.or(ctx.eval.apply_date);
        let outcome = if errors.len() == first_error {
            match evaluate_into(ctx.program, &facts, &eval, &mut kept) {
                Ok(()) => Some(&kept),
                Err(e) => {
                    errors.push(RowError::Eval {
                        row: line,
                        reason: e.to_string(),
                        help: miette::Diagnostic::help(&e)
                            .map(|h| h.to_string())
                            .unwrap_or_default(),
                    });
                    None
                }
            }
        } else {
            None
        };
        let row_errors = errors.get(first_error..).unwrap_or_default();
        out.row(ctx, &pass, outcome, row_errors);
        match outcome {
            Some(o) => tally.add(ctx.payers, o),
            None => tally.add_error(),
        }
    }
    Block {
        bytes: out.finish(),
        tally,
        errors,
    }
}

/// Fills the row's facts; returns its 申报日期 when it gives one.
fn fill_csv(
    ctx: &Ctx<'_>,
    line: u64,
    record: &csv::ByteRecord,
    facts: &mut Facts,
    errors: &mut Vec<RowError>,
) -> Option<NaiveDate> {
    let plan = ctx.plan;
    if record.len() != plan.columns.len() {
        errors.push(RowError::FieldCount {
            row: line,
            found: record.len(),
            expected: plan.columns.len(),
        });
        return None;
    }
    let mut apply_date = None;
    for ((col, bytes), name) in plan.columns.iter().zip(record.iter()).zip(&plan.names) {
        let id = match *col {
            Column::Fact(id) => id,
            Column::Pass => continue,
            Column::ApplyDate => {
                apply_date = apply_date_cell(line, &String::from_utf8_lossy(bytes), errors);
                continue;
            }
        };
        if let Some(v) = ctx
            .program
            .vocab
            .get(id)
            .and_then(|decl| cell::fast(&decl.ty, bytes))
        {
            facts.set(id, v);
            continue;
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            errors.push(RowError::InvalidUtf8 {
                row: line,
                column: name.clone(),
            });
            continue;
        };
        set(
            ctx,
            (line, name, text),
            id,
            |ty| cell::from_text(ty, text),
            facts,
            errors,
        );
    }
    apply_date
}

/// A `申报日期` cell: empty gives none (the command line's holds).
fn apply_date_cell(line: u64, text: &str, errors: &mut Vec<RowError>) -> Option<NaiveDate> {
    if text.trim().is_empty() {
        return None;
    }
    let d = crate::facts::parse_date(text);
    if d.is_none() {
        errors.push(RowError::BadCell {
            row: line,
            column: APPLY_DATE.into(),
            value: text.into(),
            problem: "不是日期".into(),
            help: "申报日期写作 2023-01-15 或 2023年1月15日；留空则用 --apply-date".into(),
        });
    }
    d
}

/// Fills the row's facts; returns its 申报日期 when it gives one.
fn fill_json(
    ctx: &Ctx<'_>,
    line: u64,
    map: &Map<String, Json>,
    facts: &mut Facts,
    errors: &mut Vec<RowError>,
) -> Option<NaiveDate> {
    let vocab = &ctx.program.vocab;
    let mut apply_date = None;
    for (key, v) in map {
        if key.trim() == APPLY_DATE {
            apply_date = apply_date_cell(line, &json_text(v), errors);
            continue;
        }
        match vocab.by_name.get(key.trim()) {
            Some(&id) => set(
                ctx,
                (line, key, &json_text(v)),
                id,
                |ty| cell::from_json(ty, v),
                facts,
                errors,
            ),
            None if ctx.strict => errors.push(RowError::UnknownKey {
                row: line,
                key: key.clone(),
                help: did_you_mean(
                    &similar(key, vocab.by_name.keys().map(String::as_str)),
                    "--strict 时不接受词汇之外的键",
                ),
            }),
            None => {}
        }
    }
    apply_date
}

/// Sets a fact from a cell, or records why the cell (at line, column,
/// as written) does not fit.
fn set(
    ctx: &Ctx<'_>,
    (line, column, written): (u64, &str, &str),
    id: FactId,
    read: impl FnOnce(
        &crate::program::Ty,
    ) -> Result<Option<crate::program::Value>, crate::facts::value::Problem>,
    facts: &mut Facts,
    errors: &mut Vec<RowError>,
) {
    let Some(decl) = ctx.program.vocab.get(id) else {
        return;
    };
    match read(&decl.ty) {
        Ok(v) => facts.set(id, v),
        Err(p) => errors.push(RowError::BadCell {
            row: line,
            column: column.to_string(),
            value: written.to_string(),
            problem: p.problem,
            help: p.help,
        }),
    }
}

/// Writes `m` as 元 with two decimals, exactly as
/// [`Money::to_yuan_string`] does, from the integer number of fen.
fn yuan(buf: &mut String, m: Money) {
    let mut d = m.rounded();
    d.rescale(2);
    if d.scale() != 2 {
        // Too many digits to hold two decimals: let Decimal say it.
        let _ = write!(buf, "{d}");
        return;
    }
    let fen = d.mantissa();
    if fen < 0 {
        buf.push('-');
    }
    let fen = fen.unsigned_abs();
    // Digits by hand: the formatting machinery costs more than the rest
    // of the row's output.
    let (yuan, cents) = match u64::try_from(fen) {
        Ok(f) => (u128::from(f / 100), f % 100),
        Err(_) => (fen / 100, u64::try_from(fen % 100).unwrap_or_default()),
    };
    push_digits(buf, yuan);
    buf.push('.');
    push_digits(buf, u128::from(cents / 10));
    push_digits(buf, u128::from(cents % 10));
}

/// `n` in decimal digits.
fn push_digits(buf: &mut String, mut n: u128) {
    let mut digits = [b'0'; 40];
    let mut at = digits.len();
    loop {
        at -= 1;
        let d = u8::try_from(n % 10).unwrap_or_default();
        if let Some(slot) = digits.get_mut(at) {
            *slot = b'0' + d;
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    for d in digits.get(at..).unwrap_or_default() {
        buf.push(char::from(*d));
    }
}

/// One CSV field as the csv crate writes it by default: quoted (quotes
/// doubled) only when it holds a comma, a quote or a line break.
fn csv_field(buf: &mut Vec<u8>, first: bool, field: &[u8]) {
    if !first {
        buf.push(b',');
    }
    if field
        .iter()
        .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
    {
        buf.push(b'"');
        for &b in field {
            if b == b'"' {
                buf.push(b'"');
            }
            buf.push(b);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(field);
    }
}

/// A clause's cell: the paid amount of a grant (0.00 when another grant of
/// the same matter displaced it), the verdict of another clause;
/// 不在申报期 when applied for outside its window; empty when it does not
/// apply, is undecided, or is a 酌定 grant (no money that a sum over the
/// column could count).
fn clause_cell(buf: &mut String, r: &ClauseResult) {
    if r.status == Status::OutsideApplicationWindow {
        buf.push_str("不在申报期");
    }
    if r.status != Status::Applies {
        return;
    }
    match (r.kind, r.verdict) {
        (ClauseKind::Grant, _) => match (r.paid, r.displaced_by) {
            (Some(m), _) => yuan(buf, m),
            (None, Some(_)) => yuan(buf, Money::ZERO),
            (None, None) => {}
        },
        (_, Some(Verdict::Exempt)) => buf.push_str("免于"),
        (_, Some(Verdict::Met)) => buf.push_str("遵守"),
        (_, Some(Verdict::Violated)) => buf.push_str("违反"),
        (_, Some(Verdict::Undecided)) => buf.push_str("待定"),
        (_, None) => buf.push_str("适用"),
    }
}

/// The `状态` cell.
fn status_cell(
    buf: &mut String,
    program: &Program,
    outcome: Option<&Outcome>,
    errors: &[RowError],
) {
    let Some(o) = outcome else {
        buf.push_str("error: ");
        for (i, e) in errors.iter().enumerate() {
            if i > 0 {
                buf.push('；');
            }
            buf.push_str(&e.reason());
        }
        return;
    };
    if !o.undecided {
        buf.push_str("ok");
        return;
    }
    let mut missing: Vec<FactId> = o
        .clauses
        .iter()
        .flat_map(|c| c.missing.iter().copied())
        .collect();
    missing.sort_unstable();
    missing.dedup();
    buf.push_str("undecided: ");
    if missing.is_empty() {
        let note = o.clauses.iter().find_map(|c| {
            c.window_note
                .as_deref()
                .filter(|_| c.status == Status::Undecided)
        });
        buf.push_str(note.unwrap_or("待定"));
    } else {
        buf.push_str("缺少 ");
        for (i, f) in missing.iter().enumerate() {
            if i > 0 {
                buf.push('、');
            }
            buf.push_str(program.vocab.name(*f));
        }
    }
}

fn json_text(v: &Json) -> String {
    match v {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The output being built for one block. CSV is written by hand (see
/// [`csv_field`]): through csv::Writer, quoting checks and buffer
/// bookkeeping per field cost more than the fields themselves.
enum Out {
    Csv(Vec<u8>, String),
    Jsonl(Vec<u8>, String),
}

impl Out {
    fn new(format: OutputFormat, rows: usize) -> Out {
        let buf = Vec::with_capacity(rows * 128);
        match format {
            OutputFormat::Csv => Out::Csv(buf, String::new()),
            OutputFormat::Jsonl => Out::Jsonl(buf, String::new()),
        }
    }

    fn row(
        &mut self,
        ctx: &Ctx<'_>,
        pass: &Pass<'_>,
        outcome: Option<&Outcome>,
        errors: &[RowError],
    ) {
        match self {
            Out::Csv(w, scratch) => {
                let mut first = true;
                for &i in &ctx.plan.pass {
                    match pass {
                        Pass::Csv(r) => csv_field(w, first, r.get(i).unwrap_or_default()),
                        Pass::Json(m) => {
                            let v = ctx
                                .plan
                                .names
                                .get(i)
                                .and_then(|n| m.get(n))
                                .map(json_text)
                                .unwrap_or_default();
                            csv_field(w, first, v.as_bytes());
                        }
                        Pass::None => csv_field(w, first, b""),
                    }
                    first = false;
                }
                for (k, _) in ctx.plan.clauses.iter().enumerate() {
                    scratch.clear();
                    if let Some(r) = outcome.and_then(|o| o.clauses.get(k)) {
                        clause_cell(scratch, r);
                    }
                    csv_field(w, first, scratch.as_bytes());
                    first = false;
                }
                scratch.clear();
                if let Some(o) = outcome {
                    yuan(scratch, o.total);
                }
                csv_field(w, first, scratch.as_bytes());
                scratch.clear();
                status_cell(scratch, ctx.program, outcome, errors);
                csv_field(w, false, scratch.as_bytes());
                w.push(b'\n');
            }
            Out::Jsonl(buf, scratch) => {
                let mut obj = Map::new();
                match pass {
                    Pass::Csv(r) => {
                        for &i in &ctx.plan.pass {
                            let name = ctx.plan.names.get(i).cloned().unwrap_or_default();
                            let v =
                                String::from_utf8_lossy(r.get(i).unwrap_or_default()).into_owned();
                            obj.insert(name, Json::String(v));
                        }
                    }
                    Pass::Json(m) => {
                        for (k, v) in m {
                            if !ctx.program.vocab.by_name.contains_key(k.trim())
                                && k.trim() != APPLY_DATE
                            {
                                obj.insert(k.clone(), v.clone());
                            }
                        }
                    }
                    Pass::None => {}
                }
                for (k, col) in ctx.plan.clauses.iter().enumerate() {
                    scratch.clear();
                    if let Some(r) = outcome.and_then(|o| o.clauses.get(k)) {
                        clause_cell(scratch, r);
                    }
                    let v = if scratch.is_empty() {
                        Json::Null
                    } else {
                        Json::String(scratch.clone())
                    };
                    obj.insert(col.name.clone(), v);
                }
                obj.insert(
                    TOTAL.into(),
                    outcome.map_or(Json::Null, |o| Json::String(o.total.to_yuan_string())),
                );
                scratch.clear();
                status_cell(scratch, ctx.program, outcome, errors);
                obj.insert(STATUS.into(), Json::String(scratch.clone()));
                let _ = serde_json::to_writer(&mut *buf, &obj);
                buf.push(b'\n');
            }
        }
    }

    fn finish(self) -> Vec<u8> {
        match self {
            Out::Csv(buf, _) | Out::Jsonl(buf, _) => buf,
        }
    }
}

/// The output header as CSV bytes or nothing (JSON Lines has none).
pub fn header(plan: &Plan, format: OutputFormat) -> Vec<u8> {
    match format {
        OutputFormat::Jsonl => Vec::new(),
        OutputFormat::Csv => {
            let mut w = csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(Vec::new());
            let _ = w.write_record(plan.output_header());
            w.into_inner().unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn yuan_is_to_yuan_string() {
        for text in [
            "0",
            "0.004",
            "0.005",
            "1",
            "12.345",
            "899.845",
            "-3.2",
            "-0.001",
            "160000000",
            "79228162514264337593543950",
        ] {
            let m = Money(Decimal::from_str_exact(text).unwrap_or_default());
            let mut buf = String::new();
            yuan(&mut buf, m);
            assert_eq!(buf, m.to_yuan_string(), "{text}");
        }
    }

    #[test]
    fn csv_fields_are_written_as_the_csv_crate_writes_them() {
        let fields: [&[u8]; 9] = [
            b"",
            b"E001",
            b"a,b",
            b"say \"hi\"",
            b"two\nlines",
            b"cr\r",
            "缺少 研发投入、人数".as_bytes(),
            b" padded ",
            b"",
        ];
        let mut ours = Vec::new();
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        for n in 1..fields.len() {
            let row = fields.get(..=n).unwrap();
            for (i, f) in row.iter().enumerate() {
                csv_field(&mut ours, i == 0, f);
            }
            ours.push(b'\n');
            w.write_record(row).unwrap();
        }
        assert_eq!(ours, w.into_inner().unwrap());
    }
}
