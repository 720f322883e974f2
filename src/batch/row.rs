//! A block of rows → output bytes, counts and row errors. Blocks are
//! independent, so they run in parallel; their outputs are written in input
//! order.

use chrono::NaiveDate;
use serde_json::{Map, Value as Json};

use super::cell;
use super::error::RowError;
use super::plan::{APPLY_DATE, Column, KIND_COLUMNS, Plan, STATUS, TOTAL};
use super::read::RawRow;
use super::summary::{Payers, Tally};
use crate::check::suggest::{did_you_mean, similar};
use crate::eval::{
    AmountKind, ClauseKind, ClauseResult, EvalConfig, Flat, Outcome, Scratch, Status,
};
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
    /// It compiled for the evaluation date, once for the whole register.
    pub flat: &'a Flat<'a>,
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
    /// Write the side file of missing facts and errors.
    pub details: bool,
    /// The register's encoding, which names what a bad cell is not.
    pub encoding: super::read::Encoding,
    /// Which JSON Lines keys outside the vocabulary that the first row
    /// does not have are refused (they have no column in the result).
    pub late_keys: LateKeys<'a>,
    /// `--rank`: each row's computed 名次.
    pub ranks: Option<&'a super::Ranks>,
}

impl<'a> Ctx<'a> {
    /// A register's reading as the command line configures it: no side
    /// file, late JSON Lines keys refused, no computed 名次 (a reading
    /// that differs says so with `..Ctx::new(…)`).
    pub fn new(
        program: &'a Program,
        flat: &'a Flat<'a>,
        plan: &'a Plan,
        payers: &'a Payers,
        config: &'a super::BatchConfig,
    ) -> Self {
        Ctx {
            program,
            flat,
            plan,
            payers,
            eval: &config.eval,
            strict: config.strict,
            output: config.output,
            details: false,
            encoding: config.encoding,
            late_keys: LateKeys::On,
            ranks: None,
        }
    }
}

/// Which late JSON Lines keys a reading refuses (see [`Ctx::late_keys`]).
#[derive(Clone, Copy)]
pub enum LateKeys<'a> {
    /// None: another reading of the same rows refuses them.
    Off,
    /// Every one.
    On,
    /// Those that are not a word (or a renamed column) of this other
    /// program either: `diff --facts` reads each row with two
    /// vocabularies, and a key outside one may be a word of the other.
    UnlessWordOf(&'a Program, &'a Plan),
}

impl LateKeys<'_> {
    /// Whether `key`, outside the reading's vocabulary and the first row,
    /// is refused.
    fn refuses(self, key: &str) -> bool {
        match self {
            LateKeys::Off => false,
            LateKeys::On => true,
            LateKeys::UnlessWordOf(program, plan) => {
                !program.vocab.by_name.contains_key(key.trim())
                    && !plan.aliases.contains_key(key.trim())
            }
        }
    }
}

/// A cell that is not text in the register's encoding (see
/// [`super::read::MALFORMED`]).
fn invalid_text(ctx: &Ctx<'_>, row: u64, column: &str) -> RowError {
    let column = column.to_string();
    match ctx.encoding {
        super::read::Encoding::Utf8 => RowError::InvalidUtf8 { row, column },
        super::read::Encoding::Gb18030 => RowError::InvalidGb18030 { row, column },
    }
}

/// What a block produced.
pub struct Block {
    /// Output rows, encoded.
    pub bytes: Vec<u8>,
    /// Counts.
    pub tally: Tally,
    /// Problems, in row order.
    pub errors: Vec<RowError>,
    /// Lines of the `--details` side file (JSON Lines), when asked for.
    pub details: Vec<u8>,
}

/// The pass-through cells of a row.
pub enum Pass<'r> {
    /// The CSV record (pass-through columns at [`Plan::pass`]).
    Csv(&'r super::read::Record),
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
    facts.years.clear();
    let line = row.line();
    match row {
        RawRow::Csv { record, .. } => {
            let d = fill_csv(ctx, line, record, facts, errors);
            (Pass::Csv(record), d)
        }
        RawRow::Json { text, .. } => match json_object(line, text, errors) {
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
    let mut details = Vec::new();
    // The row's missing facts; one buffer for the block.
    let mut missing = Vec::new();
    // One outcome for the whole block: each row's overwrites the last.
    let mut kept = Outcome::empty(ctx.eval.date);
    let mut scratch = Scratch::default();
    for row in rows {
        let first_error = errors.len();
        let line = row.line();
        let (pass, apply_date) = read_facts(ctx, row, &mut facts, &mut errors);
        if let Some(ranks) = ctx.ranks {
            ranks.fill(line, &mut facts, &mut errors);
        }
        // A row's 申报日期 overrides the command line's for that row only.
        let apply_date = apply_date.or(ctx.eval.apply_date);
        let outcome = if errors.len() == first_error {
            match ctx
                .flat
                .evaluate_row(&facts, apply_date, ctx.eval.fuel, &mut scratch, &mut kept)
            {
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
        let status = RowStatus::of(outcome, &mut missing);
        let shown = outcome.map(kinds_shown);
        out.row(
            ctx,
            &pass,
            outcome.zip(shown),
            (status, &missing),
            row_errors,
        );
        if ctx.details && (!missing.is_empty() || !row_errors.is_empty()) {
            details_line(
                &mut details,
                ctx,
                (line, &pass),
                status,
                &missing,
                row_errors,
            );
        }
        match outcome.zip(shown) {
            Some((o, shown)) => {
                tally.add(ctx.payers, (o, shown, scratch.written()), status, &missing)
            }
            None => tally.add_error(),
        }
    }
    Block {
        bytes: out.finish(),
        tally,
        errors,
        details,
    }
}

/// A row read for a command that evaluates one register against two
/// programs (`zhengce diff`).
pub struct ReadRow {
    /// The pass-through cells (for JSON Lines rows, their JSON text).
    pub pass: Vec<(String, String)>,
    /// The row's 申报日期, when it gives one.
    pub apply_date: Option<NaiveDate>,
}

/// Reads a row's facts, pass-through cells and 申报日期. Problems go to
/// `errors`.
pub fn read_row(
    ctx: &Ctx<'_>,
    row: &RawRow,
    facts: &mut Facts,
    errors: &mut Vec<RowError>,
) -> ReadRow {
    facts.values.iter_mut().for_each(|v| *v = None);
    facts.years.clear();
    let line = row.line();
    let mut apply_date = None;
    let pass = match row {
        RawRow::Csv { record, .. } => {
            apply_date = fill_csv(ctx, line, record, facts, errors);
            Pass::Csv(record)
        }
        RawRow::Json { text, .. } => match json_object(line, text, errors) {
            Ok(map) => {
                apply_date = fill_json(ctx, line, &map, facts, errors);
                Pass::Json(map)
            }
            Err(e) => {
                errors.push(RowError::BadJson {
                    row: line,
                    reason: e.to_string(),
                });
                Pass::None
            }
        },
        RawRow::Broken { reason, .. } => {
            errors.push(RowError::BadRow {
                row: line,
                reason: reason.clone(),
            });
            Pass::None
        }
    };
    let pass = match pass {
        Pass::Csv(r) => ctx
            .plan
            .pass
            .iter()
            .map(|&i| {
                let name = ctx.plan.names.get(i).cloned().unwrap_or_default();
                (
                    name,
                    String::from_utf8_lossy(r.get(i).unwrap_or_default()).into_owned(),
                )
            })
            .collect(),
        Pass::Json(_) => {
            let mut obj = Map::new();
            pass_json(ctx, &pass, &mut obj);
            obj.into_iter().map(|(k, v)| (k, json_text(&v))).collect()
        }
        Pass::None => Vec::new(),
    };
    ReadRow { pass, apply_date }
}

/// Fills the row's facts; returns its 申报日期 when it gives one.
fn fill_csv(
    ctx: &Ctx<'_>,
    line: u64,
    record: &super::read::Record,
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
    let mut years = YearCells::default();
    for (((col, fast), bytes), name) in plan
        .columns
        .iter()
        .zip(&plan.fast)
        .zip(record.iter())
        .zip(&plan.names)
    {
        let id = match *col {
            Column::Fact(id) => id,
            Column::Year { .. } => {
                match std::str::from_utf8(bytes) {
                    Ok(text) => years.read(ctx, (line, name, text), *col, errors),
                    Err(_) => errors.push(invalid_text(ctx, line, name)),
                }
                continue;
            }
            Column::MoneyIn(id, places) => {
                money_cell(ctx, (line, name, bytes), id, places, facts, errors);
                continue;
            }
            // A pass-through cell is copied, not read, but copying it
            // lossily would change an id without a word.
            Column::Pass | Column::ApplyDate if std::str::from_utf8(bytes).is_err() => {
                errors.push(invalid_text(ctx, line, name));
                continue;
            }
            Column::Pass => continue,
            Column::ApplyDate => {
                apply_date = apply_date_cell(line, &String::from_utf8_lossy(bytes), errors);
                continue;
            }
        };
        if let Some(slot) = facts.slot(id)
            && fast.read_into(bytes, || ctx.program.vocab.get(id).map(|d| &d.ty), slot)
        {
            continue;
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            errors.push(invalid_text(ctx, line, name));
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
    if plan.by_year {
        years.into_facts(line, facts, errors);
    }
    apply_date
}

/// The cells of one row that give one year's value of a fact
/// (`2023年营业收入`), gathered into each fact's table by year.
#[derive(Default)]
struct YearCells(Vec<YearCell>);

/// One year's cell: the fact, the year, the value, the column's name.
type YearCell = (FactId, i32, Option<crate::program::Value>, String);

impl YearCells {
    /// Reads a cell of a [`Column::Year`] column as its fact's type (and
    /// the header's money unit).
    fn read(
        &mut self,
        ctx: &Ctx<'_>,
        (line, column, text): (u64, &str, &str),
        col: Column,
        errors: &mut Vec<RowError>,
    ) {
        let Column::Year { id, year, places } = col else {
            return;
        };
        let Some(decl) = ctx.program.vocab.get(id) else {
            return;
        };
        let read = match places {
            Some(p) => cell::money_in(text, p),
            None => cell::from_text(&decl.ty, text),
        };
        match read {
            Ok(v) => self.0.push((id, year, v, column.to_string())),
            Err(p) => errors.push(RowError::BadCell {
                row: line,
                column: column.to_string(),
                value: text.to_string(),
                problem: p.problem,
                help: p.help,
            }),
        }
    }

    /// Each fact's years as its table; a fact the row also gives as a
    /// table of its own (a JSON Lines object) is the row's error.
    fn into_facts(mut self, line: u64, facts: &mut Facts, errors: &mut Vec<RowError>) {
        // Stable: a fact's years stay in the order written.
        self.0.sort_by_key(|c| c.0);
        let mut cells = self.0.into_iter().peekable();
        while let Some((id, year, v, column)) = cells.next() {
            let mut table = vec![(year, v)];
            let mut twice = None;
            while let Some((_, year, v, other)) = cells.next_if(|c| c.0 == id) {
                if table.iter().any(|t| t.0 == year) {
                    twice.get_or_insert(other);
                }
                table.push((year, v));
            }
            // A JSON Lines row may give the fact as an object too, or one
            // year under two keys (`2024年营业收入`, `2024年营业收入（万元）`).
            if let Some(key) = twice.or_else(|| facts.by_year(id).map(|_| column)) {
                errors.push(RowError::DuplicateKey { row: line, key });
                continue;
            }
            facts.set_years(id, crate::facts::ByYear::new(table));
        }
    }
}

/// A cell of a money column whose header names a unit (rare: off the
/// fast path).
fn money_cell(
    ctx: &Ctx<'_>,
    (line, name, bytes): (u64, &str, &[u8]),
    id: FactId,
    places: u32,
    facts: &mut Facts,
    errors: &mut Vec<RowError>,
) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        errors.push(invalid_text(ctx, line, name));
        return;
    };
    set(
        ctx,
        (line, name, text),
        id,
        |_| cell::money_in(text, places),
        facts,
        errors,
    );
}

/// A `申报日期` cell: empty gives none (the command line's holds).
fn apply_date_cell(line: u64, text: &str, errors: &mut Vec<RowError>) -> Option<NaiveDate> {
    if text.trim().is_empty() {
        return None;
    }
    match crate::facts::read_date(text) {
        Ok(d) => Some(d),
        Err(e) => {
            errors.push(RowError::BadCell {
                row: line,
                column: APPLY_DATE.into(),
                value: text.into(),
                problem: e.to_string(),
                help: "申报日期写作 2023-01-15 或 2023年1月15日（年份四位）；留空则用 --apply-date"
                    .into(),
            });
            None
        }
    }
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
    let mut years = YearCells::default();
    for (key, v) in map {
        if key.trim() == APPLY_DATE {
            apply_date = apply_date_cell(line, &json_text(v), errors);
            continue;
        }
        let col = match vocab
            .by_name
            .get(key.trim())
            .filter(|id| vocab.get(**id).is_some_and(|d| d.list.is_none()))
        {
            Some(&id) => Some(Column::Fact(id)),
            None => ctx.plan.aliases.get(key.trim()).copied(),
        };
        match col {
            Some(c @ Column::Year { .. }) => years.read(ctx, (line, key, &json_text(v)), c, errors),
            // A fact given year by year (按年).
            Some(Column::Fact(id))
                if v.is_object()
                    && vocab
                        .get(id)
                        .is_some_and(|d| d.ty != crate::program::Ty::List) =>
            {
                let ty = vocab.get(id).map(|d| &d.ty);
                match ty.map(|ty| crate::facts::year_json(ty, v)) {
                    Some(Ok(t)) => facts.set_years(id, t),
                    Some(Err(p)) => errors.push(RowError::BadCell {
                        row: line,
                        column: key.clone(),
                        value: json_text(v),
                        problem: p.problem,
                        help: p.help,
                    }),
                    None => {}
                }
            }
            Some(Column::Fact(id)) => set(
                ctx,
                (line, key, &json_text(v)),
                id,
                |ty| match ty {
                    crate::program::Ty::List => crate::facts::list_json(vocab, id, v).map(Some),
                    _ => cell::from_json(ty, v),
                },
                facts,
                errors,
            ),
            Some(Column::MoneyIn(id, places)) => set(
                ctx,
                (line, key, &json_text(v)),
                id,
                |_| cell::money_in(&json_text(v), places),
                facts,
                errors,
            ),
            Some(Column::ApplyDate) => apply_date = apply_date_cell(line, &json_text(v), errors),
            Some(Column::Pass) => {}
            None if ctx.strict => errors.push(RowError::UnknownKey {
                row: line,
                key: key.clone(),
                help: did_you_mean(
                    &similar(key, vocab.by_name.keys().map(String::as_str)),
                    "--strict 时不接受词汇之外的键",
                ),
            }),
            None if !ctx.plan.names.iter().any(|n| n == key) && ctx.late_keys.refuses(key) => {
                errors.push(RowError::LateKey {
                    row: line,
                    key: key.clone(),
                    help: did_you_mean(
                        &similar(key, vocab.by_name.keys().map(String::as_str)),
                        "结果的列按第一行的键确定：把该键也写进第一行（值可为 null），或删去它",
                    ),
                })
            }
            None => {}
        }
    }
    years.into_facts(line, facts, errors);
    apply_date
}

/// A JSON Lines row as an object whose keys are trimmed as a CSV header's
/// are (so ` id ` in one row and `id` in another are one column). A key
/// given twice is refused, as a facts file refuses it: serde_json's map
/// would keep the last value without a word.
fn json_object(
    line: u64,
    text: &str,
    errors: &mut Vec<RowError>,
) -> Result<Map<String, Json>, serde_json::Error> {
    struct Pairs(Vec<(String, Json)>);
    impl<'de> serde::Deserialize<'de> for Pairs {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Pairs;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("一个 JSON 对象")
                }
                fn visit_map<M: serde::de::MapAccess<'de>>(
                    self,
                    mut m: M,
                ) -> Result<Pairs, M::Error> {
                    let mut out = Vec::new();
                    while let Some((k, v)) = m.next_entry::<String, Json>()? {
                        out.push((k, v));
                    }
                    Ok(Pairs(out))
                }
            }
            d.deserialize_map(V)
        }
    }
    let Pairs(pairs) = serde_json::from_str(text)?;
    if pairs.iter().any(|(_, v)| v.is_array() || v.is_object()) {
        repeated_in_items(line, text, errors);
    }
    let mut map = Map::new();
    for (k, v) in pairs {
        let key = k.trim();
        if map.contains_key(key) {
            errors.push(RowError::DuplicateKey {
                row: line,
                key: key.to_string(),
            });
            continue;
        }
        map.insert(key.to_string(), v);
    }
    Ok(map)
}

/// A key written twice in one item of a list fact, or a year twice in a
/// fact given year by year: the parsed row keeps only the last.
fn repeated_in_items(line: u64, text: &str, errors: &mut Vec<RowError>) {
    let Ok(raw) = serde_json::from_str::<
        std::collections::BTreeMap<String, &serde_json::value::RawValue>,
    >(text) else {
        return;
    };
    for (k, v) in raw {
        if let Some(year) = crate::facts::repeated_year_key(v.get()) {
            let year: String = serde_json::from_str(year).unwrap_or_default();
            errors.push(RowError::DuplicateKey {
                row: line,
                key: format!("{}.{}", k.trim(), year.trim()),
            });
        }
        if let Some((key, at)) = crate::facts::repeated_item_key(v.get()) {
            let key: String = serde_json::from_str(key).unwrap_or_default();
            errors.push(RowError::DuplicateKey {
                row: line,
                key: format!("{}[{at}].{}", k.trim(), key.trim()),
            });
        }
    }
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

/// Where a cell's text is built: straight into a CSV row's bytes, or
/// into a `String` (JSON values, the `状态` cell).
pub(crate) trait Sink {
    /// Appends `text`.
    fn put(&mut self, text: &str);
    /// Appends ASCII digits and signs.
    fn put_ascii(&mut self, ascii: &[u8]);
}

impl Sink for String {
    #[inline]
    fn put(&mut self, text: &str) {
        self.push_str(text);
    }

    fn put_ascii(&mut self, ascii: &[u8]) {
        self.extend(ascii.iter().map(|&b| char::from(b)));
    }
}

impl Sink for Vec<u8> {
    #[inline]
    fn put(&mut self, text: &str) {
        self.extend_from_slice(text.as_bytes());
    }

    #[inline]
    fn put_ascii(&mut self, ascii: &[u8]) {
        self.extend_from_slice(ascii);
    }
}

/// Writes `m` as 元 with two decimals, exactly as
/// [`Money::to_yuan_string`] does, from the integer number of fen.
pub(crate) fn yuan(buf: &mut impl Sink, m: Money) {
    // Most kind cells are zero.
    if m.0.is_zero() {
        buf.put("0.00");
        return;
    }
    let fen = match fen_of(m) {
        Ok(fen) => fen,
        Err(d) => {
            // Too many digits to hold two decimals: let Decimal say it.
            buf.put(&d.to_string());
            return;
        }
    };
    let abs = fen.unsigned_abs();
    let mut digits = itoa::Buffer::new();
    // u64 division is several times cheaper than u128's.
    let (whole, cents) = match u64::try_from(abs) {
        Ok(a) => (digits.format(a / 100), a % 100),
        Err(_) => (
            digits.format(abs / 100),
            u64::try_from(abs % 100).unwrap_or_default(),
        ),
    };
    if fen < 0 {
        buf.put_ascii(b"-");
    }
    buf.put(whole);
    let cents = u8::try_from(cents).unwrap_or_default();
    buf.put_ascii(&[b'.', b'0' + cents / 10, b'0' + cents % 10]);
}

/// The amount in fen, rounded as [`Money::rounded`] rounds it; `Err`
/// with the rounded amount when it cannot be held to the fen.
#[inline]
fn fen_of(m: Money) -> Result<i128, rust_decimal::Decimal> {
    // At most two decimals (nearly every amount): nothing to round, and
    // the mantissa scaled to fen is the answer.
    let scale = m.0.scale();
    if scale <= 2
        && let Ok(mantissa) = i64::try_from(m.0.mantissa())
        && let Some(fen) = mantissa.checked_mul(match scale {
            0 => 100,
            1 => 10,
            _ => 1,
        })
    {
        return Ok(i128::from(fen));
    }
    let mut d = m.rounded();
    d.rescale(2);
    if d.scale() == 2 {
        Ok(d.mantissa())
    } else {
        Err(d)
    }
}

/// `n` in decimal digits.
pub(crate) fn push_digits(buf: &mut impl Sink, n: u128) {
    buf.put(itoa::Buffer::new().format(n));
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
/// column could count; `酌定项数` counts it).
fn clause_cell(buf: &mut impl Sink, r: &ClauseResult, quota: Option<&str>) {
    if r.status == Status::OutsideApplicationWindow {
        buf.put(Status::OutsideApplicationWindow.word());
    }
    if r.status != Status::Applies {
        return;
    }
    // A quota is never money paid: its cell says so, in its unit.
    if let (Some(unit), Some(v)) = (quota, r.amount) {
        buf.put("额度 ");
        buf.put(&crate::eval::quota_value_words(v, unit));
        return;
    }
    match (r.kind, r.verdict) {
        (ClauseKind::Grant, _) if r.amount_kind == Some(AmountKind::Discretionary) => {}
        (ClauseKind::Grant, _) if r.amount_kind == Some(AmountKind::Reduction) => buf.put("减免"),
        (ClauseKind::Grant, _) => match (r.paid, r.displaced_by) {
            (Some(m), _) => yuan(buf, m),
            (None, Some(_)) => yuan(buf, Money::ZERO),
            (None, None) => {}
        },
        (_, Some(v)) => buf.put(v.word()),
        (_, None) => buf.put(Status::Applies.word()),
    }
}

/// A row's 定额, 最高 and 不少于 as shown: each to the fen, so that they
/// add up to `合计` as shown. Amounts in fen stay as they are; otherwise
/// the fen lost by cutting each part go to the parts with the largest
/// remainders (the first on a tie). No allocation: this runs per row.
pub fn kinds_shown(o: &Outcome) -> [Money; 3] {
    use rust_decimal::RoundingStrategy::ToZero;
    let parts = [o.totals.exact, o.totals.at_most, o.totals.at_least];
    if parts.iter().all(|p| p.0.scale() <= 2) {
        return parts;
    }
    let cut = parts.map(|p| p.0.round_dp_with_strategy(2, ToZero));
    let mut shown = cut;
    let fen = rust_decimal::Decimal::new(1, 2);
    let mut left = o.total.rounded() - cut.iter().sum::<rust_decimal::Decimal>();
    let mut given = [false; 3];
    while left >= fen {
        let best = (0..3)
            .filter(|&i| !given.get(i).copied().unwrap_or(true))
            .max_by(|&a, &b| {
                let rem = |i: usize| {
                    parts.get(i).map(|p| p.0).unwrap_or_default()
                        - cut.get(i).copied().unwrap_or_default()
                };
                // The first on a tie: compare so that an earlier index wins.
                rem(a).cmp(&rem(b)).then(b.cmp(&a))
            });
        let Some(i) = best else { break };
        if let (Some(s), Some(g)) = (shown.get_mut(i), given.get_mut(i)) {
            *s += fen;
            *g = true;
        }
        left -= fen;
    }
    shown.map(Money)
}

/// What a row comes to: the `状态` cell, the `status` key and the
/// summary's counts by cause all read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStatus {
    /// The row could not be evaluated.
    Error,
    /// A clause is undecided: `missing` facts (deduplicated over the
    /// clauses) would decide it, or else a policy's publication date.
    Undecided {
        /// How many different facts are missing.
        missing: usize,
        /// Whether a clause waits for an undetermined publication date.
        unpublished: bool,
    },
    /// Something is paid (an amount above zero, or a 酌定 grant).
    Paid,
    /// Nothing is paid and nothing is open.
    NotApplicable,
}

impl RowStatus {
    /// The row's status, and its missing facts into `missing` (sorted,
    /// without repeats; the buffer is the block's, so no allocation).
    pub fn of(outcome: Option<&Outcome>, missing: &mut Vec<FactId>) -> RowStatus {
        missing.clear();
        let Some(o) = outcome else {
            return RowStatus::Error;
        };
        if o.undecided {
            let mut unpublished = false;
            for c in &o.clauses {
                missing.extend_from_slice(&c.missing);
                unpublished |= c.status == Status::Undecided && c.window_note.is_some();
            }
            missing.sort_unstable();
            missing.dedup();
            return RowStatus::Undecided {
                missing: missing.len(),
                unpublished,
            };
        }
        if !o.total.0.is_zero() || o.totals.discretionary > 0 {
            RowStatus::Paid
        } else {
            RowStatus::NotApplicable
        }
    }

    /// The `status` key of JSON Lines and of the details file.
    pub fn code(self) -> &'static str {
        match self {
            RowStatus::Error => "error",
            RowStatus::Undecided { .. } => "undecided",
            RowStatus::Paid => "paid",
            RowStatus::NotApplicable => "not_applicable",
        }
    }
}

/// The `状态` cell: `错误：…`, `待定（缺 N 项）`, `待定（发布日期未定）`,
/// `可获得` or `不适用`.
pub(crate) fn status_cell(buf: &mut String, status: RowStatus, errors: &[RowError]) {
    match status {
        RowStatus::Error => {
            buf.push_str("错误：");
            for (i, e) in errors.iter().enumerate() {
                if i > 0 {
                    buf.push('；');
                }
                buf.push_str(&e.reason());
            }
        }
        RowStatus::Undecided { missing, .. } if missing > 0 => {
            buf.push_str(Status::Undecided.word());
            buf.push_str("（缺 ");
            push_digits(buf, u128::try_from(missing).unwrap_or_default());
            buf.push_str(" 项）");
        }
        RowStatus::Undecided {
            unpublished: true, ..
        } => {
            buf.push_str(Status::Undecided.word());
            buf.push_str("（发布日期未定）");
        }
        RowStatus::Undecided { .. } => buf.push_str(Status::Undecided.word()),
        RowStatus::Paid => buf.push_str(crate::eval::words::PAYABLE),
        RowStatus::NotApplicable => buf.push_str(Status::NotApplicable.word()),
    }
}

/// One line of the `--details` file: the row's line number, its
/// pass-through (id) columns, its status, missing facts and errors.
fn details_line(
    buf: &mut Vec<u8>,
    ctx: &Ctx<'_>,
    (line, pass): (u64, &Pass<'_>),
    status: RowStatus,
    missing: &[FactId],
    errors: &[RowError],
) {
    let mut obj = Map::new();
    obj.insert("row".into(), Json::from(line));
    pass_json(ctx, pass, &mut obj);
    let mut cell = String::new();
    status_cell(&mut cell, status, errors);
    obj.insert(STATUS.into(), Json::String(cell));
    obj.insert("status".into(), Json::from(status.code()));
    obj.insert("missing".into(), missing_json(ctx.program, missing));
    let errors = errors
        .iter()
        .map(|e| {
            let mut m = Map::new();
            m.insert(
                "code".into(),
                Json::String(
                    miette::Diagnostic::code(e)
                        .map(|c| c.to_string())
                        .unwrap_or_default(),
                ),
            );
            m.insert("message".into(), Json::String(e.to_string()));
            if let Some(h) = miette::Diagnostic::help(e) {
                m.insert("help".into(), Json::String(h.to_string()));
            }
            Json::Object(m)
        })
        .collect();
    obj.insert("errors".into(), Json::Array(errors));
    let _ = serde_json::to_writer(&mut *buf, &obj);
    buf.push(b'\n');
}

fn missing_json(program: &Program, missing: &[FactId]) -> Json {
    Json::Array(
        missing
            .iter()
            .map(|f| Json::String(program.vocab.name(*f).to_string()))
            .collect(),
    )
}

/// The pass-through cells of a row as JSON strings (a JSON Lines row
/// keeps its own values).
fn pass_json(ctx: &Ctx<'_>, pass: &Pass<'_>, obj: &mut Map<String, Json>) {
    match pass {
        Pass::Csv(r) => {
            for &i in &ctx.plan.pass {
                let name = ctx.plan.names.get(i).cloned().unwrap_or_default();
                let v = String::from_utf8_lossy(r.get(i).unwrap_or_default()).into_owned();
                obj.insert(name, Json::String(v));
            }
        }
        Pass::Json(m) => {
            for (k, v) in m {
                let k_ = k.trim();
                if !ctx.program.vocab.by_name.contains_key(k_)
                    && !ctx.plan.aliases.contains_key(k_)
                    && k_ != APPLY_DATE
                {
                    obj.insert(k.clone(), v.clone());
                }
            }
        }
        Pass::None => {}
    }
}

fn json_text(v: &Json) -> String {
    match v {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One entity's line of the register output, before it is written.
struct RowCells<'a> {
    ctx: &'a Ctx<'a>,
    pass: &'a Pass<'a>,
    outcome: Option<&'a Outcome>,
    shown: Option<[Money; 3]>,
    status: RowStatus,
    missing: &'a [FactId],
    errors: &'a [RowError],
}

impl RowCells<'_> {
    #[inline]
    fn csv(&self, w: &mut Vec<u8>, scratch: &mut String) {
        let RowCells {
            ctx,
            pass,
            outcome,
            shown,
            status,
            errors,
            ..
        } = *self;
        let mut first = true;
        for &i in &ctx.plan.pass {
            match pass {
                // A cell that is not text (its row is in error) is
                // written with U+FFFD: the result stays UTF-8, so
                // `--output-encoding gb18030` can still encode it.
                Pass::Csv(r) => {
                    let cell = r.get(i).unwrap_or_default();
                    match std::str::from_utf8(cell) {
                        Ok(_) => csv_field(w, first, cell),
                        Err(_) => {
                            csv_field(w, first, String::from_utf8_lossy(cell).as_bytes());
                        }
                    }
                }
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
        // Clause cells and amounts are words and digits, which never
        // need quoting (see `clause_words_need_no_quoting`): written in
        // place, without a field's scan.
        let mut sep = |w: &mut Vec<u8>| {
            if !std::mem::take(&mut first) {
                w.push(b',');
            }
        };
        for k in 0..ctx.plan.clauses.len() {
            sep(w);
            if let Some(r) = outcome.and_then(|o| o.clauses.get(k)) {
                let quota = ctx.plan.clauses.get(k).and_then(|c| c.quota.as_deref());
                clause_cell(w, r, quota);
            }
        }
        // 合计, 定额, 最高, 不少于, 酌定项数.
        match outcome.zip(shown) {
            Some((o, [exact, at_most, at_least])) => {
                for m in [o.total, exact, at_most, at_least] {
                    sep(w);
                    yuan(w, m);
                }
                sep(w);
                push_digits(
                    w,
                    u128::try_from(o.totals.discretionary).unwrap_or_default(),
                );
            }
            None => {
                for _ in 0..=KIND_COLUMNS.len() {
                    sep(w);
                }
            }
        }
        scratch.clear();
        status_cell(scratch, status, errors);
        csv_field(w, false, scratch.as_bytes());
        w.push(b'\n');
    }

    #[inline]
    fn jsonl(&self, buf: &mut Vec<u8>, scratch: &mut String) {
        let RowCells {
            ctx,
            pass,
            outcome,
            shown,
            status,
            missing,
            errors,
        } = *self;
        let mut obj = Map::new();
        pass_json(ctx, pass, &mut obj);
        for (k, col) in ctx.plan.clauses.iter().enumerate() {
            scratch.clear();
            if let Some(r) = outcome.and_then(|o| o.clauses.get(k)) {
                clause_cell(scratch, r, col.quota.as_deref());
            }
            let v = if scratch.is_empty() {
                Json::Null
            } else {
                Json::String(scratch.clone())
            };
            obj.insert(col.name.clone(), v);
        }
        let money = |m: Money| Json::String(m.to_yuan_string());
        let [exact, at_most, at_least, discretionary] = KIND_COLUMNS;
        match outcome.zip(shown) {
            Some((o, shown)) => {
                obj.insert(TOTAL.into(), money(o.total));
                for (k, m) in [exact, at_most, at_least].into_iter().zip(shown) {
                    obj.insert(k.into(), money(m));
                }
                obj.insert(discretionary.into(), Json::from(o.totals.discretionary));
            }
            None => {
                for k in [TOTAL, exact, at_most, at_least, discretionary] {
                    obj.insert(k.into(), Json::Null);
                }
            }
        }
        scratch.clear();
        status_cell(scratch, status, errors);
        obj.insert(STATUS.into(), Json::String(scratch.clone()));
        obj.insert("status".into(), Json::from(status.code()));
        obj.insert("missing".into(), missing_json(ctx.program, missing));
        let _ = serde_json::to_writer(&mut *buf, &obj);
        buf.push(b'\n');
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
        outcome: Option<(&Outcome, [Money; 3])>,
        (status, missing): (RowStatus, &[FactId]),
        errors: &[RowError],
    ) {
        let (outcome, shown) = (outcome.map(|(o, _)| o), outcome.map(|(_, s)| s));
        let cells = RowCells {
            ctx,
            pass,
            outcome,
            shown,
            status,
            missing,
            errors,
        };
        match self {
            Out::Csv(w, scratch) => cells.csv(w, scratch),
            Out::Jsonl(buf, scratch) => cells.jsonl(buf, scratch),
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
            "0.01",
            "-0.01",
            "-12.5",
            "-0.00",
            "92233720368547758.07",
            "92233720368547758.08",
            "-92233720368547758.08",
            "922337203685477580",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "7922816251426433759354395.0335",
            "0.995",
            "-0.995",
            "1844674407370955161.5",
        ] {
            let m = Money(Decimal::from_str_exact(text).unwrap_or_default());
            let mut buf = String::new();
            yuan(&mut buf, m);
            assert_eq!(buf, m.to_yuan_string(), "{text}");
        }
    }

    /// Clause cells are written without [`csv_field`]'s scan: none of
    /// their words may hold a byte the csv crate would quote.
    #[test]
    fn clause_words_need_no_quoting() {
        let words = [
            Status::Applies,
            Status::NotApplicable,
            Status::Undecided,
            Status::NotInForce,
            Status::OutsideApplicationWindow,
        ]
        .map(Status::word)
        .into_iter()
        .chain(
            [
                crate::eval::Verdict::Met,
                crate::eval::Verdict::Violated,
                crate::eval::Verdict::Undecided,
                crate::eval::Verdict::Exempt,
            ]
            .map(crate::eval::Verdict::word),
        )
        .chain(["减免", "-0123456789."]);
        for word in words {
            let mut field = Vec::new();
            csv_field(&mut field, true, word.as_bytes());
            assert_eq!(field, word.as_bytes(), "{word}");
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
