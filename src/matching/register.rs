//! 政策找企业: one clause (or one policy's clauses) against every entity of
//! a register. The register is read by `batch`'s reader and typed by its
//! cell rules; each row is evaluated once, and a row that fails only on
//! closable gaps once more with the gaps closed. Rows come out in input
//! order — those that qualify (with the amount paid), nearly qualify (with
//! the gaps) or are undecided (with the missing facts) — and a summary
//! counts every group with its money.

use std::io::{Read, Write};
use std::sync::mpsc::sync_channel;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value as Json};

use super::error::MatchError;
use super::gaps::{Analyzer, Bounds, Gap};
use super::{json, sentence};
use crate::batch::read::{RawRow, Source};
use crate::batch::row::{self, Pass, read_facts};
use crate::batch::summary::Payers;
use crate::batch::{BatchConfig, BatchError, Plan, Reporter, RowError};
use crate::check::suggest::{did_you_mean, similar};
use crate::eval::{ClauseKind, EvalConfig, Flat, Outcome, Status};
use crate::facts::Facts;
use crate::num::Money;
use crate::program::{FactId, PolicyId, Program};

/// What to look for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// One clause.
    Clause(PolicyId, usize),
    /// Every clause of one policy.
    Policy(PolicyId),
}

/// `《标题》` or a bare title.
fn policy_by_title(program: &Program, written: &str) -> Result<PolicyId, MatchError> {
    let title = written
        .trim()
        .trim_start_matches('《')
        .trim_end_matches('》')
        .trim();
    program
        .policies
        .iter()
        .position(|p| p.title.as_deref() == Some(title))
        .ok_or_else(|| {
            let titles: Vec<&str> = program
                .policies
                .iter()
                .filter_map(|p| p.title.as_deref())
                .collect();
            MatchError::UnknownPolicy {
                title: title.to_string(),
                help: did_you_mean(
                    &similar(title, titles.iter().copied()),
                    "标题写在《》中，与政策文件中的标题一字不差",
                ),
            }
        })
}

impl Target {
    /// Resolves `--clause '《标题》“二-1”'` or `--policy '《标题》'`.
    pub(crate) fn resolve(
        program: &Program,
        clause: Option<&str>,
        policy: Option<&str>,
    ) -> Result<Target, MatchError> {
        if let Some(written) = clause {
            let (title, label) = match written.rfind('》') {
                Some(i) => (
                    written.get(..i).unwrap_or(""),
                    written.get(i + '》'.len_utf8()..).unwrap_or(""),
                ),
                None => ("", written),
            };
            let label = label
                .trim()
                .trim_start_matches(['“', '"'])
                .trim_end_matches(['”', '"'])
                .trim();
            let pid = policy_by_title(program, title)?;
            let p = program.policies.get(pid);
            let labels: Vec<&str> = p
                .map(|p| p.clauses.iter().map(|c| c.label.as_str()).collect())
                .unwrap_or_default();
            return match labels.iter().position(|l| *l == label) {
                Some(i) => Ok(Target::Clause(pid, i)),
                None => Err(MatchError::UnknownClause {
                    title: p.and_then(|p| p.title.clone()).unwrap_or_default(),
                    label: label.to_string(),
                    help: did_you_mean(
                        &similar(label, labels.iter().copied()),
                        "条款标签写在“”中，如 '《标题》“二-1”'",
                    ),
                }),
            };
        }
        policy_by_title(program, policy.unwrap_or("")).map(Target::Policy)
    }

    fn covers(self, policy: PolicyId, index: usize) -> bool {
        match self {
            Target::Clause(p, i) => p == policy && i == index,
            Target::Policy(p) => p == policy,
        }
    }
}

/// An entity's result for the target.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Found {
    /// A clause applies: the amount paid (after overlap and the policy's
    /// 合计 cap), and the clauses.
    Qualifies(Money, Vec<usize>),
    /// Nearly: the gaps and what the clauses would pay at the threshold.
    NearMiss(Vec<Gap>, Money, Vec<usize>),
    /// Open: the missing facts.
    Undecided(Vec<FactId>, Vec<usize>),
    /// A clause would apply, but the application date is outside its 申报
    /// window (不在申报期): the clauses.
    OutsideApplicationWindow(Vec<usize>),
    /// None of the clauses concerns the entity.
    NotApplicable,
}

/// The words a program reads for each result.
pub(crate) fn result_word(f: &Found) -> &'static str {
    match f {
        Found::Qualifies(..) => "qualifies",
        Found::NearMiss(..) => "near_miss",
        Found::Undecided(..) => "undecided",
        Found::OutsideApplicationWindow(..) => "outside_application_window",
        Found::NotApplicable => "not_applicable",
    }
}

/// Decides one entity: qualifies when any target clause pays, else
/// nearly when any is a near miss, else undecided when any is open, else
/// outside the application window when a clause would have applied.
pub(crate) fn classify(
    flat: &Flat<'_>,
    facts: &Facts,
    outcome: &Outcome,
    target: Target,
    eval: &EvalConfig,
    bounds: Bounds,
) -> Result<Found, crate::eval::EvalError> {
    let mut paid = Money::ZERO;
    let mut paying = Vec::new();
    let mut open = Vec::new();
    let mut missing: Vec<FactId> = Vec::new();
    let mut failing = Vec::new();
    let mut late = Vec::new();
    for (at, r) in outcome.clauses.iter().enumerate() {
        if !target.covers(r.policy, r.index) || r.kind != ClauseKind::Grant {
            continue;
        }
        match r.status {
            Status::Applies => {
                if let Some(m) = r.paid {
                    paid = paid.checked_add(m).unwrap_or(paid);
                }
                // For a policy, a grant another of its matter replaces is
                // not one the entity is paid under.
                if matches!(target, Target::Clause(..)) || r.displaced_by.is_none() {
                    paying.push(at);
                }
            }
            Status::Undecided => {
                open.push(at);
                missing.extend(&r.missing);
            }
            Status::NotApplicable => failing.push(at),
            Status::OutsideApplicationWindow => late.push(at),
            Status::NotInForce => {}
        }
    }
    if !paying.is_empty() {
        // A policy's 合计 cap is what the entity is paid in the end.
        if let Target::Policy(p) = target
            && let Some(t) = outcome.policies.iter().find(|t| t.policy == p)
        {
            paid = t.counted;
        }
        return Ok(Found::Qualifies(paid, paying));
    }
    let near = best_near_miss(flat, facts, outcome, &failing, eval, bounds)?;
    if let Some(found) = near {
        return Ok(found);
    }
    if !open.is_empty() {
        missing.sort_unstable();
        missing.dedup();
        return Ok(Found::Undecided(missing, open));
    }
    if !late.is_empty() {
        return Ok(Found::OutsideApplicationWindow(late));
    }
    Ok(Found::NotApplicable)
}

/// Among the failing clauses, the near miss that would pay most: its gaps,
/// what it would pay and where it is.
fn best_near_miss(
    flat: &Flat<'_>,
    facts: &Facts,
    outcome: &Outcome,
    failing: &[usize],
    eval: &EvalConfig,
    bounds: Bounds,
) -> Result<Option<Found>, crate::eval::EvalError> {
    let program = flat.program();
    let analyzer = Analyzer::new(program, facts, eval.date, bounds);
    let mut near: Option<(Vec<Gap>, Money, Vec<usize>)> = None;
    for &at in failing {
        let Some(r) = outcome.clauses.get(at) else {
            continue;
        };
        let Some(policy) = program.policies.get(r.policy) else {
            continue;
        };
        let Some(clause) = policy.clauses.get(r.index) else {
            continue;
        };
        let conds: Vec<_> = policy.scope.iter().chain([&clause.cond]).collect();
        let Some(closing) = analyzer.closing(&conds)? else {
            continue;
        };
        // The register's compiled form, not a compilation per near miss.
        let mut after = Outcome::empty(flat.date());
        let year = chrono::Datelike::year(&flat.date());
        flat.evaluate_into(&closing.apply(facts, year), eval, &mut after)?;
        let Some(a) = after.clause(r.policy, r.index) else {
            continue;
        };
        if a.status != Status::Applies {
            continue;
        }
        let pay = a.amount.unwrap_or_default();
        // The near miss that would pay most.
        if near.as_ref().is_none_or(|(_, best, _)| pay > *best) {
            near = Some((closing.gaps, pay, vec![at]));
        }
    }
    Ok(near.map(|(gaps, pay, at)| Found::NearMiss(gaps, pay, at)))
}

/// Counts and money of one group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Group {
    /// Entities.
    pub count: u64,
    /// Money: paid for those that qualify, paid at the threshold for near
    /// misses; zero for the undecided.
    pub amount: Money,
}

/// The summary of a register.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct RegisterSummary {
    /// Rows read.
    pub rows: u64,
    /// Entities that qualify.
    pub qualifies: Group,
    /// Entities that nearly qualify.
    pub near_miss: Group,
    /// Entities still open.
    pub undecided: Group,
    /// Entities that applied outside the application window.
    pub outside_application_window: u64,
    /// Entities the target does not concern.
    pub not_applicable: u64,
    /// Rows that could not be evaluated.
    pub errors: u64,
}

impl RegisterSummary {
    fn merge(&mut self, o: &RegisterSummary) {
        self.rows += o.rows;
        for (a, b) in [
            (&mut self.qualifies, &o.qualifies),
            (&mut self.near_miss, &o.near_miss),
            (&mut self.undecided, &o.undecided),
        ] {
            a.count += b.count;
            a.amount = a.amount.checked_add(b.amount).unwrap_or(a.amount);
        }
        self.outside_application_window += o.outside_application_window;
        self.not_applicable += o.not_applicable;
        self.errors += o.errors;
    }

    fn add(&mut self, f: &Found) {
        self.rows += 1;
        let (g, m) = match f {
            Found::Qualifies(m, _) => (&mut self.qualifies, *m),
            Found::NearMiss(_, m, _) => (&mut self.near_miss, *m),
            Found::Undecided(..) => (&mut self.undecided, Money::ZERO),
            Found::OutsideApplicationWindow(..) => {
                self.outside_application_window += 1;
                return;
            }
            Found::NotApplicable => {
                self.not_applicable += 1;
                return;
            }
        };
        g.count += 1;
        // Each entity is paid to the fen, as its row shows.
        g.amount = g.amount.checked_add(Money(m.rounded())).unwrap_or(g.amount);
    }

    /// The summary for people.
    pub(crate) fn human(&self) -> String {
        format!(
            "共 {} 行：符合 {} 家，金额 {}；差一点 {} 家，按门槛计 {}；待补充 {} 家；不在申报期 {} 家；不符合 {} 家；错误 {} 行\n",
            self.rows,
            self.qualifies.count,
            self.qualifies.amount,
            self.near_miss.count,
            self.near_miss.amount,
            self.undecided.count,
            self.outside_application_window,
            self.not_applicable,
            self.errors
        )
    }
}

/// The result columns after the pass-through ones.
pub(crate) const COLUMNS: [&str; 5] = ["结果", "金额", "差距", "缺少", "条款"];

/// Runs a register. Rows the target does not concern are counted, not
/// written.
pub(crate) fn run(
    program: &Program,
    target: Target,
    input: Box<dyn Read + Send>,
    output: &mut dyn Write,
    config: &BatchConfig,
    bounds: Bounds,
    reporter: &mut dyn Reporter,
) -> Result<RegisterSummary, BatchError> {
    let (source, header) = Source::open(input, config.input, config.encoding)?;
    let plan = Plan::new(program, &header)?;
    if !plan.unknown.is_empty() {
        let (columns, help) = plan.unknown_message();
        if config.strict {
            return Err(BatchError::UnknownColumns { columns, help });
        }
        reporter.warning(&crate::batch::BatchWarning::UnknownColumns { columns, help });
    }
    let payers = Payers::new(program);
    let flat = crate::eval::compile(program, config.eval.date);
    let ctx = row::Ctx::new(program, &flat, &plan, &payers, config);
    let labels: Vec<String> = program
        .clauses()
        .map(|(p, c)| match &p.title {
            Some(t) => format!("《{t}》“{}”", c.label),
            None => format!("“{}”", c.label),
        })
        .collect();
    let shared = Shared {
        ctx: &ctx,
        target,
        bounds,
        labels: &labels,
    };
    if config.output == crate::batch::OutputFormat::Csv {
        output.write_all(&header_bytes(&plan))?;
    }
    let summary = stream(source, &shared, config, output, reporter)?;
    output.flush()?;
    Ok(summary)
}

fn header_bytes(plan: &Plan) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut h: Vec<&str> = plan
        .pass
        .iter()
        .filter_map(|&i| plan.names.get(i).map(String::as_str))
        .collect();
    h.extend(COLUMNS);
    let _ = w.write_record(h);
    w.into_inner().unwrap_or_default()
}

/// Reads the register in chunks on one thread while the pool decides the
/// rows of the chunk before, block by block; writes the blocks in order.
fn stream(
    mut source: Source,
    shared: &Shared<'_>,
    config: &BatchConfig,
    output: &mut dyn Write,
    reporter: &mut dyn Reporter,
) -> Result<RegisterSummary, BatchError> {
    let pool = crate::batch::thread_pool(config)?;
    let chunk_rows = config.chunk_rows.max(1);
    let block_rows = config.block_rows.max(1);
    let plan = shared.ctx.plan;
    let mut summary = RegisterSummary::default();
    std::thread::scope(|s| -> Result<(), BatchError> {
        let (tx, rx) = sync_channel(2);
        s.spawn(move || {
            loop {
                let chunk = source.chunk(chunk_rows);
                let done = !matches!(&chunk, Ok(c) if !c.rows.is_empty());
                if tx.send(chunk).is_err() || done {
                    break;
                }
            }
        });
        let mut first = true;
        for chunk in rx {
            let mut chunk = chunk?;
            if chunk.rows.is_empty() {
                break;
            }
            if std::mem::take(&mut first) {
                crate::batch::skip_type_line(plan, &mut chunk.rows);
            }
            let blocks: Vec<Block> = pool.install(|| {
                chunk
                    .rows
                    .par_chunks(block_rows)
                    .map(|rows| block(shared, rows))
                    .collect()
            });
            for b in &blocks {
                output.write_all(&b.bytes)?;
                for e in &b.errors {
                    reporter.row_error(e);
                }
                summary.merge(&b.summary);
            }
            reporter.progress(summary.rows, chunk.bytes);
        }
        Ok(())
    })?;
    Ok(summary)
}

struct Shared<'a> {
    ctx: &'a row::Ctx<'a>,
    target: Target,
    bounds: Bounds,
    labels: &'a [String],
}

struct Block {
    bytes: Vec<u8>,
    summary: RegisterSummary,
    errors: Vec<RowError>,
}

fn block(shared: &Shared<'_>, rows: &[RawRow]) -> Block {
    let ctx = shared.ctx;
    let program = ctx.program;
    let mut facts = Facts::empty(&program.vocab);
    let mut out = Block {
        bytes: Vec::with_capacity(rows.len() * 64),
        summary: RegisterSummary::default(),
        errors: Vec::new(),
    };
    let mut scratch = crate::eval::Scratch::default();
    let mut kept = Outcome::empty(ctx.eval.date);
    for raw in rows {
        let first_error = out.errors.len();
        let line = raw.line();
        let (pass, apply_date) = read_facts(ctx, raw, &mut facts, &mut out.errors);
        // A row's 申报日期 overrides the command line's, as in `batch`.
        let eval = EvalConfig {
            apply_date: apply_date.or(ctx.eval.apply_date),
            ..ctx.eval.clone()
        };
        let found = if out.errors.len() == first_error {
            ctx.flat
                .evaluate_row(&facts, eval.apply_date, eval.fuel, &mut scratch, &mut kept)
                .and_then(|()| {
                    classify(ctx.flat, &facts, &kept, shared.target, &eval, shared.bounds)
                })
                .map_err(|e| {
                    out.errors.push(RowError::Eval {
                        row: line,
                        reason: e.to_string(),
                        help: miette::Diagnostic::help(&e)
                            .map(|h| h.to_string())
                            .unwrap_or_default(),
                    });
                })
                .ok()
        } else {
            None
        };
        match &found {
            Some(f) => out.summary.add(f),
            None => {
                out.summary.rows += 1;
                out.summary.errors += 1;
            }
        }
        if matches!(found, Some(Found::NotApplicable)) {
            continue;
        }
        let errors = out.errors.get(first_error..).unwrap_or_default();
        write_row(shared, &pass, found.as_ref(), errors, &mut out.bytes);
    }
    out
}

/// The pass-through cells of a row, by name.
fn pass_cells(plan: &Plan, pass: &Pass<'_>, program: &Program) -> Vec<(String, Json)> {
    match pass {
        Pass::Csv(r) => plan
            .pass
            .iter()
            .map(|&i| {
                (
                    plan.names.get(i).cloned().unwrap_or_default(),
                    Json::String(String::from_utf8_lossy(r.get(i).unwrap_or_default()).into()),
                )
            })
            .collect(),
        Pass::Json(m) => m
            .iter()
            .filter(|(k, _)| !program.vocab.by_name.contains_key(k.trim()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        Pass::None => Vec::new(),
    }
}

fn write_row(
    shared: &Shared<'_>,
    pass: &Pass<'_>,
    found: Option<&Found>,
    errors: &[RowError],
    buf: &mut Vec<u8>,
) {
    let ctx = shared.ctx;
    let program = ctx.program;
    let (amount, gaps, missing, clauses): (Option<Money>, &[Gap], &[FactId], &[usize]) = match found
    {
        Some(Found::Qualifies(m, c)) => (Some(*m), &[], &[], c),
        Some(Found::NearMiss(g, m, c)) => (Some(*m), g, &[], c),
        Some(Found::Undecided(f, c)) => (None, &[], f, c),
        Some(Found::OutsideApplicationWindow(c)) => (None, &[], &[], c),
        Some(Found::NotApplicable) => (None, &[], &[], &[]),
        None => (None, &[], &[], &[]),
    };
    let row = RowWords {
        cells: pass_cells(ctx.plan, pass, program),
        word: found.map_or("error", result_word),
        amount,
        gaps,
        missing: missing.iter().map(|f| program.vocab.name(*f)).collect(),
        labels: clauses
            .iter()
            .filter_map(|i| shared.labels.get(*i).map(String::as_str))
            .collect(),
        error: found.is_none().then(|| {
            errors
                .iter()
                .map(RowError::reason)
                .collect::<Vec<_>>()
                .join("；")
        }),
    };
    match ctx.output {
        crate::batch::OutputFormat::Csv => row.csv(program, buf),
        crate::batch::OutputFormat::Jsonl => row.jsonl(program, buf),
    }
}

/// One entity's line of 政策找企业, before it is written.
struct RowWords<'a> {
    cells: Vec<(String, Json)>,
    word: &'static str,
    amount: Option<Money>,
    gaps: &'a [Gap],
    missing: Vec<&'a str>,
    labels: Vec<&'a str>,
    /// The row's problems, when it is in error.
    error: Option<String>,
}

impl RowWords<'_> {
    fn csv(self, program: &Program, buf: &mut Vec<u8>) {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        let mut rec: Vec<String> = self
            .cells
            .iter()
            .map(|(_, v)| match v {
                Json::String(s) => s.clone(),
                Json::Null => String::new(),
                other => other.to_string(),
            })
            .collect();
        rec.push(self.word.to_string());
        rec.push(self.amount.map(Money::to_yuan_string).unwrap_or_default());
        rec.push(
            (self.gaps.iter())
                .map(|g| sentence::gap_words(program, g))
                .collect::<Vec<_>>()
                .join("；"),
        );
        rec.push(self.error.unwrap_or_else(|| self.missing.join("、")));
        rec.push(self.labels.join("、"));
        let _ = w.write_record(&rec);
        buf.extend_from_slice(&w.into_inner().unwrap_or_default());
    }

    fn jsonl(self, program: &Program, buf: &mut Vec<u8>) {
        let strings =
            |list: &[&str]| Json::Array(list.iter().map(|n| Json::String((*n).into())).collect());
        let mut obj: Map<String, Json> = self.cells.into_iter().collect();
        obj.insert("结果".into(), Json::String(self.word.into()));
        obj.insert(
            "金额".into(),
            self.amount
                .map_or(Json::Null, |m| Json::String(m.to_yuan_string())),
        );
        obj.insert(
            "差距".into(),
            Json::Array(self.gaps.iter().map(|g| json::gap(program, g)).collect()),
        );
        obj.insert("缺少".into(), strings(&self.missing));
        obj.insert("条款".into(), strings(&self.labels));
        if let Some(e) = self.error {
            obj.insert("错误".into(), Json::String(e));
        }
        let _ = serde_json::to_writer(&mut *buf, &obj);
        buf.push(b'\n');
    }
}
