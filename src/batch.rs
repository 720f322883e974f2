//! Register-scale evaluation: every row of a register (CSV or JSON Lines)
//! evaluated against a program compiled once, written in input order with
//! one column per clause, `合计`, the kind columns and `状态`, and summed
//! up; the missing facts and errors of a row can go to a side file.
//!
//! The register streams: a reader thread reads chunks of rows, the chunks
//! are evaluated in parallel blocks (rayon), and the blocks are written in
//! order. At most a few chunks are in memory at once, however long the
//! register.

pub mod cell;
pub mod encode;
pub mod error;
pub mod plan;
pub mod rank;
pub mod read;
pub mod row;
pub mod summary;

use std::io::{Read, Write};
use std::sync::mpsc::sync_channel;

pub use encode::OutputEncoding;
pub use error::{BatchError, BatchWarning, RowError};
pub use plan::Plan;
pub use rank::{RankSpec, Ranks};
pub use read::{Encoding, InputFormat};
pub use row::{OutputFormat, RowStatus};
pub use summary::{Summary, Tally};

use crate::eval::EvalConfig;
use crate::program::Program;

/// How to run a register.
#[derive(Debug, Clone)]
pub struct BatchConfig {
    /// Evaluation date and budget.
    pub eval: EvalConfig,
    /// The register's format.
    pub input: InputFormat,
    /// The register's encoding.
    pub encoding: Encoding,
    /// The result's format.
    pub output: OutputFormat,
    /// Columns (or JSON keys) outside the vocabulary are errors.
    pub strict: bool,
    /// Rows read per chunk.
    pub chunk_rows: usize,
    /// Rows per parallel block within a chunk.
    pub block_rows: usize,
    /// Worker threads (`None`: one per core).
    pub threads: Option<usize>,
    /// Header renames (`--column 旧名=词汇词`): a column named like the
    /// first is read as the vocabulary word of the second.
    pub columns: Vec<(String, String)>,
    /// `--rank`: a 名次 fact computed from the register by a first pass
    /// ([`rank::compute`]); `None` keeps the run to one pass.
    pub ranks: Option<std::sync::Arc<Ranks>>,
}

impl BatchConfig {
    /// Rows per chunk: enough to keep every core busy, few enough that
    /// memory stays small.
    pub const CHUNK_ROWS: usize = 4096;
    /// Rows per parallel block.
    pub const BLOCK_ROWS: usize = 512;

    /// CSV in, CSV out, on `eval`'s date, one thread per core.
    pub fn new(eval: EvalConfig) -> Self {
        BatchConfig {
            eval,
            input: InputFormat::Csv,
            encoding: Encoding::Utf8,
            output: OutputFormat::Csv,
            strict: false,
            chunk_rows: Self::CHUNK_ROWS,
            block_rows: Self::BLOCK_ROWS,
            threads: None,
            columns: Vec::new(),
            ranks: None,
        }
    }
}

/// Where warnings, row errors and progress go while a register runs.
pub trait Reporter {
    /// A warning about the register as a whole (before any row).
    fn warning(&mut self, warning: &BatchWarning);
    /// A row that could not be evaluated (its output row says so too).
    fn row_error(&mut self, error: &RowError);
    /// Rows written and input bytes consumed so far.
    fn progress(&mut self, rows: u64, bytes: u64);
}

/// A reporter that keeps everything, for tests and library callers.
#[derive(Debug, Default)]
pub struct Collect {
    /// Warnings.
    pub warnings: Vec<BatchWarning>,
    /// Row errors.
    pub errors: Vec<RowError>,
}

impl Reporter for Collect {
    fn warning(&mut self, warning: &BatchWarning) {
        self.warnings.push(match warning {
            BatchWarning::UnknownColumns { columns, help } => BatchWarning::UnknownColumns {
                columns: columns.clone(),
                help: help.clone(),
            },
            BatchWarning::AbsentFacts { facts } => BatchWarning::AbsentFacts {
                facts: facts.clone(),
            },
        });
    }
    fn row_error(&mut self, error: &RowError) {
        self.errors.push(error.clone());
    }
    fn progress(&mut self, _rows: u64, _bytes: u64) {}
}

/// Evaluates every row of `input` and writes the result to `output`.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use zhengce::{BatchConfig, Collect, EvalConfig};
/// let checked = zhengce::compile(&["examples/教程.zc".into()])
///     .map_err(|mut e| e.remove(0))?;
/// let register = "编号,示例集成电路企业,示例注册地,示例集成电路研发项目,示例研发投入\n\
///                 甲,是,示例区,是,800万元\n\
///                 乙,是,别区,是,800万元\n";
/// let date = chrono::NaiveDate::from_ymd_opt(2020, 6, 1).unwrap_or_default();
/// let mut rows = Vec::new();
/// let summary = zhengce::run_batch(
///     &checked.program,
///     Box::new(register.as_bytes()),
///     &mut rows,
///     &BatchConfig::new(EvalConfig::on(date)),
///     &mut Collect::default(),
/// )?;
/// assert_eq!(summary.rows, 2);
/// // 甲: 第三条 pays 800万元 × 20% = 160万元; 乙 is registered elsewhere
/// // (适用 示例注册地 为 “示例区”), so nothing.
/// assert_eq!(summary.total.to_yuan_string(), "1600000.00");
/// assert_eq!(summary.beneficiaries, 1);
/// # Ok(())
/// # }
/// ```
pub fn run(
    program: &Program,
    input: Box<dyn Read + Send>,
    output: &mut dyn Write,
    config: &BatchConfig,
    reporter: &mut dyn Reporter,
) -> Result<Summary, BatchError> {
    run_with_details(program, input, output, None, config, reporter)
}

/// [`run`], writing also to `details` (when given) one JSON object per
/// row that misses facts or is in error: its line number, its
/// pass-through columns, `状态`, `status`, `missing` and `errors`.
pub fn run_with_details(
    program: &Program,
    input: Box<dyn Read + Send>,
    output: &mut dyn Write,
    mut details: Option<&mut dyn Write>,
    config: &BatchConfig,
    reporter: &mut dyn Reporter,
) -> Result<Summary, BatchError> {
    let (mut source, header) = read::Source::open(input, config.input, config.encoding)?;
    let plan = plan(program, &header, config, reporter)?;
    let payers = summary::Payers::new(program);
    let flat = crate::eval::compile(program, config.eval.date);
    let ctx = row::Ctx {
        details: details.is_some(),
        ranks: config.ranks.as_deref(),
        ..row::Ctx::new(program, &flat, &plan, &payers, config)
    };
    output.write_all(&row::header(&plan, config.output))?;
    let pool = thread_pool(config)?;
    let chunk_rows = config.chunk_rows.max(1);
    let block_rows = config.block_rows.max(1);
    let mut tally = Tally::new(program, &payers);
    std::thread::scope(|s| -> Result<(), BatchError> {
        // Two chunks read ahead at most: memory stays bounded.
        let (tx, rx) = sync_channel(2);
        // Evaluated chunks go back to the reader, which reads into their
        // records again (no allocation and no freeing per row).
        let (back_tx, back_rx) = sync_channel::<Vec<read::RawRow>>(2);
        s.spawn(move || {
            loop {
                while let Ok(rows) = back_rx.try_recv() {
                    source.recycle(rows);
                }
                let chunk = source.chunk(chunk_rows);
                let done = !matches!(&chunk, Ok(c) if !c.rows.is_empty());
                if tx.send(chunk).is_err() || done {
                    break;
                }
            }
        });
        // Blocks are evaluated as pool tasks with no wait between chunks
        // (a barrier per chunk left a core idle while the last block of
        // each chunk finished), and come back here in any order; the
        // writer puts them in order. A chunk holds a slot from reading
        // until it is written, so memory stays bounded by `IN_FLIGHT`.
        let (piece_tx, piece_rx) = std::sync::mpsc::channel::<Piece>();
        let (slot_tx, slot_rx) = sync_channel::<()>(IN_FLIGHT);
        for _ in 0..IN_FLIGHT {
            let _ = slot_tx.send(());
        }
        let (ctx, plan, pool) = (&ctx, &plan, &pool);
        s.spawn(move || {
            pool.in_place_scope(|scope| {
                let mut first = true;
                for seq in 0.. {
                    let Ok(chunk) = rx.recv() else { break };
                    let mut chunk = match chunk {
                        Ok(chunk) if chunk.rows.is_empty() => break,
                        Ok(chunk) => chunk,
                        // In its place in the order: the rows before it
                        // are written first, as they were read.
                        Err(e) => {
                            let _ = piece_tx.send(Piece {
                                seq,
                                index: 0,
                                blocks: 1,
                                bytes: 0,
                                block: Err(e),
                            });
                            break;
                        }
                    };
                    // A writer that stopped (its error is the run's): stop too.
                    if slot_rx.recv().is_err() {
                        break;
                    }
                    if std::mem::take(&mut first) {
                        skip_type_line(plan, &mut chunk.rows);
                    }
                    let rows = std::sync::Arc::new(chunk.rows);
                    let blocks = rows.len().div_ceil(block_rows).max(1);
                    for index in 0..blocks {
                        let (rows, piece_tx, back_tx) = (
                            std::sync::Arc::clone(&rows),
                            piece_tx.clone(),
                            back_tx.clone(),
                        );
                        let bytes = chunk.bytes;
                        scope.spawn(move |_| {
                            let from = (index * block_rows).min(rows.len());
                            let to = (from + block_rows).min(rows.len());
                            let block = row::block(ctx, rows.get(from..to).unwrap_or_default());
                            // The last block of a chunk gives its rows back to
                            // the reader; a full channel drops them.
                            if let Some(rows) = std::sync::Arc::into_inner(rows) {
                                let _ = back_tx.try_send(rows);
                            }
                            let _ = piece_tx.send(Piece {
                                seq,
                                index,
                                blocks,
                                bytes,
                                block: Ok(block),
                            });
                        });
                    }
                }
            });
        });
        let mut waiting = std::collections::BTreeMap::new();
        let mut next = (0u64, 0usize);
        for piece in piece_rx {
            waiting.insert((piece.seq, piece.index), piece);
            while let Some(p) = waiting.remove(&next) {
                let block = p.block?;
                output.write_all(&block.bytes)?;
                if let Some(d) = details.as_deref_mut() {
                    d.write_all(&block.details)?;
                }
                for e in &block.errors {
                    reporter.row_error(e);
                }
                tally.merge(&block.tally);
                next = if p.index + 1 == p.blocks {
                    reporter.progress(tally.rows, p.bytes);
                    let _ = slot_tx.try_send(());
                    (p.seq + 1, 0)
                } else {
                    (p.seq, p.index + 1)
                };
            }
        }
        Ok(())
    })?;
    output.flush()?;
    if let Some(d) = details {
        d.flush()?;
    }
    Ok(Summary::new(
        program,
        &plan.clauses,
        &payers,
        &tally,
        config.eval.date,
    ))
}

/// Chunks being evaluated or written at once (besides the two the reader
/// keeps ready): the next chunk starts while the last blocks of the one
/// before finish.
const IN_FLIGHT: usize = 2;

/// One evaluated block of a chunk, on its way to the writer.
struct Piece {
    /// The chunk, counted from 0.
    seq: u64,
    /// The block within the chunk.
    index: usize,
    /// The chunk's number of blocks.
    blocks: usize,
    /// Bytes read up to the end of the chunk, for progress.
    bytes: u64,
    /// The block, or the error that ended the reading there.
    block: Result<row::Block, BatchError>,
}

/// The register's columns read against the program, with a warning (or,
/// `--strict`, an error) for columns it does not know and facts it lacks.
fn plan(
    program: &Program,
    header: &[String],
    config: &BatchConfig,
    reporter: &mut dyn Reporter,
) -> Result<Plan, BatchError> {
    let plan = Plan::with_columns(
        program,
        header,
        &config.columns,
        config.input == InputFormat::Jsonl,
    )?;
    if !plan.unknown.is_empty() {
        let (columns, help) = plan.unknown_message();
        if config.strict {
            return Err(BatchError::UnknownColumns { columns, help });
        }
        reporter.warning(&BatchWarning::UnknownColumns { columns, help });
    }
    let ranked = config.ranks.as_deref().map(Ranks::fact);
    let absent: Vec<_> = plan.absent.iter().filter(|f| Some(**f) != ranked).collect();
    if !absent.is_empty() {
        let facts = absent
            .iter()
            .map(|f| program.vocab.name(**f))
            .collect::<Vec<_>>()
            .join("、");
        reporter.warning(&BatchWarning::AbsentFacts { facts });
    }
    Ok(plan)
}

/// The pool that evaluates a chunk's blocks (`-j`; all cores by default).
pub(crate) fn thread_pool(config: &BatchConfig) -> Result<rayon::ThreadPool, BatchError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads.unwrap_or(0))
        .build()
        .map_err(|e| BatchError::Io {
            reason: e.to_string(),
        })
}

/// Drops the type line of a filled-in template (see
/// [`crate::template::render`]).
pub fn skip_type_line(plan: &Plan, rows: &mut Vec<read::RawRow>) {
    let is_type_line = match rows.first() {
        Some(read::RawRow::Csv { record, .. }) => plan.is_type_line(record.iter()),
        _ => false,
    };
    if is_type_line {
        rows.remove(0);
    }
}
