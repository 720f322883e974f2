//! A register against the old and the new set: per entity the total
//! before and after and what each clause pair paid on either side; in
//! total the cost by kind before and after, winners and losers, the
//! largest gains and losses, and the changes per clause.

use std::io::{Read, Write};

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value as Json};

use super::{Pair, Pairing, clause_at, pair};
use crate::batch::plan::{Column, Plan};
use crate::batch::read::Source;
use crate::batch::row::{self, Ctx, LateKeys, RowStatus};
use crate::batch::{
    BatchError, BatchWarning, Encoding, InputFormat, OutputFormat, Reporter, RowError,
};
use crate::eval::{AmountKind, ClauseResult, EvalConfig, Outcome, Status};
use crate::facts::Facts;
use crate::num::Money;
use crate::program::Program;

/// How to compare over a register.
#[derive(Debug, Clone)]
pub(crate) struct DiffConfig {
    /// The old set's evaluation (its date).
    pub before: EvalConfig,
    /// The new set's evaluation (`--to-date`, by default the same date).
    pub after: EvalConfig,
    /// The register's format.
    pub input: InputFormat,
    /// The register's encoding.
    pub encoding: Encoding,
    /// The per-entity rows' format.
    pub output: OutputFormat,
    /// Header renames, as for `batch`.
    pub columns: Vec<(String, String)>,
}

/// How many entities the largest gains and losses list.
pub(crate) const LARGEST: usize = 10;

/// What one clause (pair) paid one entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Paid<'p> {
    /// Nothing (not applicable, undecided, displaced, or not a grant).
    Nothing,
    /// An amount above zero.
    Money(Money),
    /// A 酌定 grant applies.
    Discretionary,
    /// A `给予 额度` quota above zero, to two decimals, in its unit: never
    /// money, never in a money sum or change.
    Quota(Decimal, &'p str),
}

/// What a clause's result gave, `unit` being the clause's quota unit.
fn paid<'p>(r: Option<&ClauseResult>, unit: Option<&'p str>) -> Paid<'p> {
    let Some(r) = r.filter(|r| r.status == Status::Applies && r.displaced_by.is_none()) else {
        return Paid::Nothing;
    };
    if let Some(unit) = unit {
        return match r.amount.map(|v| v.0.round_dp(2)) {
            Some(v) if !v.is_zero() => Paid::Quota(v, unit),
            _ => Paid::Nothing,
        };
    }
    match (r.amount_kind, r.paid) {
        (Some(AmountKind::Discretionary), _) => Paid::Discretionary,
        (_, Some(m)) if !m.0.is_zero() => Paid::Money(m),
        _ => Paid::Nothing,
    }
}

impl<'p> Paid<'p> {
    fn money(self) -> Decimal {
        match self {
            Paid::Money(m) => m.rounded(),
            Paid::Nothing | Paid::Discretionary | Paid::Quota(..) => Decimal::ZERO,
        }
    }

    /// The quota and its unit, for a quota.
    fn quota(self) -> Option<(Decimal, &'p str)> {
        match self {
            Paid::Quota(v, u) => Some((v, u)),
            _ => None,
        }
    }

    fn words(self) -> String {
        match self {
            Paid::Money(m) => m.to_yuan_string(),
            Paid::Discretionary => "酌定".into(),
            Paid::Quota(v, u) => format!("额度 {}", quota_words(v, u)),
            Paid::Nothing => String::new(),
        }
    }

    /// The words of money paid (`null` in JSON for a quota, which is not).
    fn money_words(self) -> String {
        match self {
            Paid::Quota(..) => String::new(),
            other => other.words(),
        }
    }
}

/// A quota's value as diff writes it: 元 to the fen like every amount here
/// (`400000.00元`), another unit as the plain number (`125亩`).
fn quota_words(v: Decimal, unit: &str) -> String {
    format!("{}{unit}", quota_number(v, unit))
}

/// A quota's number for JSON: `"400000.00"` in 元, `"125"` in 亩.
fn quota_number(v: Decimal, unit: &str) -> String {
    if unit == "元" {
        Money(v).to_yuan_string()
    } else {
        v.normalize().to_string()
    }
}

/// A quota change with its sign: `+25亩`, `-25亩`.
fn signed_quota(v: Decimal, unit: &str) -> String {
    if v > Decimal::ZERO {
        format!("+{}", quota_words(v, unit))
    } else {
        quota_words(v, unit)
    }
}

/// Quotas before and after, unit by unit in the order each unit is first
/// met; one unit is never added to another, nor any to money.
#[derive(Debug, Clone, Default)]
struct QuotaSums(Vec<(String, Decimal, Decimal)>);

impl QuotaSums {
    /// Adds `before` and `after` to the unit's sums, a unit not met yet
    /// going last.
    fn bump(&mut self, unit: &str, before: Decimal, after: Decimal) {
        match self.0.iter_mut().find(|(u, _, _)| u == unit) {
            // A quota read from a fact may be as large as a decimal goes:
            // a sum of such saturates rather than panics.
            Some(e) => {
                e.1 = e.1.saturating_add(before);
                e.2 = e.2.saturating_add(after);
            }
            None => self.0.push((unit.to_string(), before, after)),
        }
    }

    /// Adds what one pair gave before and after.
    fn add(&mut self, before: Paid<'_>, after: Paid<'_>) {
        if let Some((v, u)) = before.quota() {
            self.bump(u, v, Decimal::ZERO);
        }
        if let Some((v, u)) = after.quota() {
            self.bump(u, Decimal::ZERO, v);
        }
    }

    fn merge(&mut self, other: &QuotaSums) {
        for (u, b, a) in &other.0 {
            self.bump(u, *b, *a);
        }
    }

    fn diffs(&self) -> Vec<QuotaDiff> {
        self.0
            .iter()
            .map(|(u, b, a)| QuotaDiff {
                unit: u.clone(),
                before: quota_number(*b, u),
                after: quota_number(*a, u),
                change: quota_number(*a - *b, u),
            })
            .collect()
    }

    /// `125亩、400000.00元` on one side (`before` or after), units with
    /// nothing left out.
    fn side_words(&self, before: bool) -> String {
        self.0
            .iter()
            .map(|(u, b, a)| (u, if before { *b } else { *a }))
            .filter(|(_, v)| !v.is_zero())
            .map(|(u, v)| quota_words(v, u))
            .collect::<Vec<_>>()
            .join("、")
    }

    /// `-25亩、+80000.00元`: the units that changed.
    fn change_words(&self) -> String {
        self.0
            .iter()
            .filter(|(_, b, a)| a != b)
            .map(|(u, b, a)| signed_quota(*a - *b, u))
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// A quota in one unit before and after: never money, never in a money
/// sum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct QuotaDiff {
    /// The unit: 亩 or another quantity's, or 元.
    pub unit: String,
    /// Before (元 to the fen, another unit as a plain number).
    pub before: String,
    /// After.
    pub after: String,
    /// After − before.
    pub change: String,
}

/// What changed for one entity in one clause pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Change {
    /// Paid after, not before.
    Appeared,
    /// Paid before, not after.
    Disappeared,
    /// Paid on both sides, differently.
    Changed,
}

impl Change {
    fn of(before: Paid<'_>, after: Paid<'_>) -> Option<Change> {
        match (before, after) {
            (a, b) if a == b => None,
            (Paid::Nothing, _) => Some(Change::Appeared),
            (_, Paid::Nothing) => Some(Change::Disappeared),
            _ => Some(Change::Changed),
        }
    }
}

/// One entity's comparison.
#[derive(Debug, Clone)]
pub(crate) struct EntityDiff<'p> {
    /// Line number in the register.
    pub row: u64,
    /// The pass-through (id) columns.
    pub ids: Vec<(String, String)>,
    /// The total before and after (`None`: the row is in error).
    pub totals: Option<(Money, Money)>,
    /// The statuses before and after.
    pub status: (RowStatus, RowStatus),
    /// Per pair index that changed: the change and both sides.
    clauses: Vec<(usize, Change, Paid<'p>, Paid<'p>)>,
    /// The quotas granted before and after, unit by unit.
    quotas: QuotaSums,
    /// The row's problems.
    pub errors: Vec<RowError>,
}

/// Money by kind on one side.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub(crate) struct Side {
    /// 定额 + 最高 + 不少于.
    pub total: Money,
    /// 定额.
    pub exact: Money,
    /// 最高.
    pub at_most: Money,
    /// 不少于.
    pub at_least: Money,
    /// 酌定 grants that apply.
    pub discretionary: i64,
}

impl Side {
    /// Adds an entity's amounts as `batch` shows them (the kinds add up
    /// to the total, see [`row::kinds_shown`]).
    fn add(&mut self, o: &Outcome) {
        let [exact, at_most, at_least] = row::kinds_shown(o);
        self.total = Money(self.total.0 + o.total.rounded());
        self.exact = Money(self.exact.0 + exact.0);
        self.at_most = Money(self.at_most.0 + at_most.0);
        self.at_least = Money(self.at_least.0 + at_least.0);
        self.discretionary += i64::try_from(o.totals.discretionary).unwrap_or(i64::MAX);
    }

    fn minus(&self, o: &Side) -> Side {
        Side {
            total: Money(self.total.0 - o.total.0),
            exact: Money(self.exact.0 - o.exact.0),
            at_most: Money(self.at_most.0 - o.at_most.0),
            at_least: Money(self.at_least.0 - o.at_least.0),
            discretionary: self.discretionary - o.discretionary,
        }
    }
}

/// An entity among the largest gains or losses.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EntityChange {
    /// Line number in the register.
    pub row: u64,
    /// Its pass-through (id) columns.
    pub ids: Map<String, Json>,
    /// Total before.
    pub before: Money,
    /// Total after.
    pub after: Money,
    /// After − before.
    pub change: Money,
}

/// One clause pair over the register.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ClauseDiff {
    /// The old clause (`《标题》label`).
    pub old: Option<String>,
    /// The new clause.
    pub new: Option<String>,
    /// 事项 (of the new clause when there is one).
    pub matter: String,
    /// How the pair was made.
    pub paired_by: Pairing,
    /// Entities paid after and not before.
    pub appeared: u64,
    /// Entities paid before and not after.
    pub disappeared: u64,
    /// Entities paid on both sides, differently.
    pub changed: u64,
    /// Paid before (sum).
    pub before: Money,
    /// Paid after (sum).
    pub after: Money,
    /// After − before.
    pub change: Money,
    /// The pair's quotas (`给予 额度`) before and after, unit by unit;
    /// empty when neither clause grants one. Never in the money above.
    pub quotas: Vec<QuotaDiff>,
    /// Whether either clause pays money (else it shows among the quotas
    /// only).
    #[serde(skip)]
    money: bool,
}

/// The comparison over a register (`--format json` prints it).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DiffSummary {
    /// Schema version of this JSON.
    pub schema: u32,
    /// The old set's date.
    pub date: String,
    /// The new set's date.
    pub to_date: String,
    /// Rows read.
    pub rows: u64,
    /// Rows evaluated on both sides.
    pub entities: u64,
    /// Rows in error.
    pub errors: u64,
    /// Totals before, by kind.
    pub before: Side,
    /// Totals after, by kind.
    pub after: Side,
    /// After − before, by kind.
    pub change: Side,
    /// Entities whose 合计 grows.
    pub winners: u64,
    /// Entities whose 合计 shrinks.
    pub losers: u64,
    /// Entities whose 合计 stays.
    pub unchanged: u64,
    /// Entities undecided before or after (their change may still move).
    pub undecided: u64,
    /// The largest gains, largest first.
    pub largest_gains: Vec<EntityChange>,
    /// The largest losses, largest first.
    pub largest_losses: Vec<EntityChange>,
    /// Per policy (by title, old order then the new ones): what it pays
    /// before and after, after its 合计 最高. A matter whose payment moves
    /// from one policy to another shows here even when no entity's total
    /// changes.
    pub policies: Vec<PolicyDiff>,
    /// Per clause pair, only those that changed something for some entity
    /// (the static comparison lists the rest).
    pub clauses: Vec<ClauseDiff>,
    /// The quotas granted (`给予 额度`) before and after, one entry per
    /// unit any clause of either set grants: never in the money above.
    pub quotas: Vec<QuotaDiff>,
    /// Entities for which some quota clause changed.
    pub quota_changed: u64,
}

/// One policy over the register.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PolicyDiff {
    /// The title.
    pub policy: Option<String>,
    /// Paid before (sum over the entities).
    pub before: Money,
    /// Paid after.
    pub after: Money,
    /// After − before.
    pub change: Money,
}

/// The policies of both sets by title, old order first: for each, its
/// index in the old and in the new program.
fn policy_pairs(
    old: &Program,
    new: &Program,
) -> Vec<(Option<String>, Option<usize>, Option<usize>)> {
    let mut out: Vec<(Option<String>, Option<usize>, Option<usize>)> = old
        .policies
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let j = new.policies.iter().position(|q| q.title == p.title);
            (p.title.clone(), Some(i), j)
        })
        .collect();
    for (j, q) in new.policies.iter().enumerate() {
        if !old.policies.iter().any(|p| p.title == q.title) {
            out.push((q.title.clone(), None, Some(j)));
        }
    }
    out
}

/// Adds each policy's counted amount of an outcome to `sums` (by policy
/// index of its program).
fn add_policies(sums: &mut [Decimal], o: &Outcome) {
    for p in &o.policies {
        if let Some(s) = sums.get_mut(p.policy) {
            *s += p.counted.rounded();
        }
    }
}

#[derive(Default)]
struct ClauseCount {
    appeared: u64,
    disappeared: u64,
    changed: u64,
    before: Decimal,
    after: Decimal,
    quotas: QuotaSums,
}

/// Compares the register's entities under both sets. Rows go to `rows`
/// (when given) as they are read.
pub(crate) fn run(
    old: &Program,
    new: &Program,
    input: Box<dyn Read + Send>,
    mut rows: Option<&mut dyn Write>,
    config: &DiffConfig,
    reporter: &mut dyn Reporter,
) -> Result<DiffSummary, BatchError> {
    let (mut source, header) = Source::open(input, config.input, config.encoding)?;
    let jsonl = config.input == InputFormat::Jsonl;
    let plan_old = Plan::with_columns(old, &header, &config.columns, jsonl)?;
    let plan_new = Plan::with_columns(new, &header, &config.columns, jsonl)?;
    let ids = id_columns(&plan_old, &plan_new);
    if !ids.is_empty() && config.input == InputFormat::Csv {
        warn_id_columns(&ids, reporter);
    }
    let pairs = pair(old, new);
    // Reading rows needs no payers; `diff` does not split amounts.
    let payers = crate::batch::summary::Payers::new(&Program::default());
    let flats = (
        crate::eval::compile(old, config.before.date),
        crate::eval::compile(new, config.after.date),
    );
    let ctx = |program, flat, plan, late_keys| Ctx {
        program,
        flat,
        plan,
        payers: &payers,
        eval: &config.before,
        strict: false,
        output: config.output,
        details: false,
        encoding: config.encoding,
        late_keys,
        ranks: None,
    };
    // A key outside one program's vocabulary may be a word of the other's,
    // given only where it is known; one outside both that the first row
    // lacks has no column, and is refused once, by the old side.
    let ctxs = (
        ctx(
            old,
            &flats.0,
            &plan_old,
            LateKeys::UnlessWordOf(new, &plan_new),
        ),
        ctx(new, &flats.1, &plan_new, LateKeys::Off),
    );
    let mut tally = Tally::new((old, new), &pairs, config);
    // The quota columns only when some clause grants a quota, so that a
    // register compared over money alone keeps its columns.
    let quota_columns = !tally.quotas.0.is_empty();
    if let Some(w) = rows.as_deref_mut() {
        w.write_all(&header_bytes(&ids, config.output, quota_columns))?;
    }
    let mut sides = Sides::new((old, new), config);
    let mut first = true;
    loop {
        let mut chunk = source.chunk(crate::batch::BatchConfig::CHUNK_ROWS)?;
        if chunk.rows.is_empty() {
            break;
        }
        // A filled-in template's type line is not an entity.
        if std::mem::take(&mut first)
            && let Some(crate::batch::read::RawRow::Csv { record, .. }) = chunk.rows.first()
            && plan_old.is_type_line(record.iter())
        {
            chunk.rows.remove(0);
        }
        for raw in &chunk.rows {
            let (pass, errors, ok) = sides.evaluate(raw, &ctxs, config);
            let ids_here: Vec<(String, String)> = pass
                .into_iter()
                .filter(|(k, _)| jsonl || ids.contains(k))
                .collect();
            for e in &errors {
                reporter.row_error(e);
            }
            let line = raw.line();
            let entity = if ok {
                tally.entity(line, ids_here, errors, &sides, &pairs)
            } else {
                tally.error(line, ids_here, errors)
            };
            if let Some(w) = rows.as_deref_mut() {
                w.write_all(&entity_bytes(
                    &entity,
                    &pairs,
                    (old, new),
                    config.output,
                    quota_columns,
                ))?;
            }
        }
        reporter.progress(tally.summary.rows, chunk.bytes);
    }
    if let Some(w) = rows {
        w.flush()?;
    }
    Ok(tally.finish((old, new), &pairs))
}

/// The id columns: those neither set reads.
fn id_columns(plan_old: &Plan, plan_new: &Plan) -> Vec<String> {
    plan_old
        .pass
        .iter()
        .filter(|&&i| plan_new.columns.get(i) == Some(&Column::Pass))
        .filter_map(|&i| plan_old.names.get(i).cloned())
        .collect()
}

fn warn_id_columns(ids: &[String], reporter: &mut dyn Reporter) {
    reporter.warning(&BatchWarning::UnknownColumns {
        columns: ids
            .iter()
            .map(|c| format!("“{c}”"))
            .collect::<Vec<_>>()
            .join("、"),
        help: "不在两组政策词汇中的列（如编号、名称）原样输出".into(),
    });
}

/// One entity's facts and outcomes under both sets, reused row after row.
struct Sides {
    facts: (Facts, Facts),
    outcomes: (Outcome, Outcome),
    /// Each side's per-row state, kept from row to row.
    scratch: (crate::eval::Scratch, crate::eval::Scratch),
}

impl Sides {
    fn new((old, new): (&Program, &Program), config: &DiffConfig) -> Sides {
        Sides {
            facts: (Facts::empty(&old.vocab), Facts::empty(&new.vocab)),
            outcomes: (
                Outcome::empty(config.before.date),
                Outcome::empty(config.after.date),
            ),
            scratch: Default::default(),
        }
    }

    /// Reads a row for both sets and evaluates it under each: its
    /// pass-through columns, its problems (the new side's added when they
    /// differ from the old side's), and whether both evaluations ran.
    fn evaluate(
        &mut self,
        raw: &crate::batch::read::RawRow,
        (ctx_old, ctx_new): &(Ctx<'_>, Ctx<'_>),
        config: &DiffConfig,
    ) -> (Vec<(String, String)>, Vec<RowError>, bool) {
        let mut errors = Vec::new();
        let read = row::read_row(ctx_old, raw, &mut self.facts.0, &mut errors);
        let mut new_errors = Vec::new();
        row::read_row(ctx_new, raw, &mut self.facts.1, &mut new_errors);
        for e in new_errors {
            if !errors.iter().any(|x| x.to_string() == e.to_string()) {
                errors.push(e);
            }
        }
        // A row's 申报日期 holds for both sides, over `--apply-date`.
        let with_apply = |c: &EvalConfig| EvalConfig {
            apply_date: read.apply_date.or(c.apply_date),
            ..c.clone()
        };
        let mut ok = errors.is_empty();
        for (flat, facts, cfg, scratch, out) in [
            (
                ctx_old.flat,
                &self.facts.0,
                with_apply(&config.before),
                &mut self.scratch.0,
                &mut self.outcomes.0,
            ),
            (
                ctx_new.flat,
                &self.facts.1,
                with_apply(&config.after),
                &mut self.scratch.1,
                &mut self.outcomes.1,
            ),
        ] {
            if !ok {
                break;
            }
            if let Err(e) = flat.evaluate_row(facts, cfg.apply_date, cfg.fuel, scratch, out) {
                errors.push(RowError::Eval {
                    row: raw.line(),
                    reason: e.to_string(),
                    help: miette::Diagnostic::help(&e)
                        .map(|h| h.to_string())
                        .unwrap_or_default(),
                });
                ok = false;
            }
        }
        (read.pass, errors, ok)
    }
}

/// The register's comparison as it is added up, entity by entity.
struct Tally<'p> {
    summary: DiffSummary,
    counts: Vec<ClauseCount>,
    policy_before: Vec<Decimal>,
    policy_after: Vec<Decimal>,
    gains: Vec<EntityChange>,
    losses: Vec<EntityChange>,
    /// Per pair: the quota unit of the old and of the new clause.
    units: Vec<(Option<&'p str>, Option<&'p str>)>,
    /// The quotas over all entities, every unit a clause grants listed.
    quotas: QuotaSums,
}

impl<'p> Tally<'p> {
    fn new(
        (old, new): (&'p Program, &'p Program),
        pairs: &[Pair],
        config: &DiffConfig,
    ) -> Tally<'p> {
        let unit = |prog: &'p Program, at: Option<usize>| {
            at.and_then(|i| clause_at(prog, i))
                .and_then(|(_, c)| c.quota())
        };
        let units: Vec<(Option<&'p str>, Option<&'p str>)> = pairs
            .iter()
            .map(|p| (unit(old, p.old), unit(new, p.new)))
            .collect();
        let mut quotas = QuotaSums::default();
        for u in units.iter().flat_map(|(o, n)| [*o, *n]).flatten() {
            quotas.bump(u, Decimal::ZERO, Decimal::ZERO);
        }
        Tally {
            summary: DiffSummary {
                schema: 1,
                date: config.before.date.to_string(),
                to_date: config.after.date.to_string(),
                rows: 0,
                entities: 0,
                errors: 0,
                before: Side::default(),
                after: Side::default(),
                change: Side::default(),
                winners: 0,
                losers: 0,
                unchanged: 0,
                undecided: 0,
                largest_gains: Vec::new(),
                largest_losses: Vec::new(),
                policies: Vec::new(),
                clauses: Vec::new(),
                quotas: Vec::new(),
                quota_changed: 0,
            },
            counts: pairs.iter().map(|_| ClauseCount::default()).collect(),
            policy_before: vec![Decimal::ZERO; old.policies.len()],
            policy_after: vec![Decimal::ZERO; new.policies.len()],
            gains: Vec::new(),
            losses: Vec::new(),
            units,
            quotas,
        }
    }

    /// Counts an entity evaluated on both sides.
    fn entity(
        &mut self,
        line: u64,
        ids: Vec<(String, String)>,
        errors: Vec<RowError>,
        sides: &Sides,
        pairs: &[Pair],
    ) -> EntityDiff<'p> {
        let (oo, on) = (&sides.outcomes.0, &sides.outcomes.1);
        let summary = &mut self.summary;
        summary.rows += 1;
        summary.entities += 1;
        summary.before.add(oo);
        summary.after.add(on);
        add_policies(&mut self.policy_before, oo);
        add_policies(&mut self.policy_after, on);
        let mut scratch = Vec::new();
        let status = (
            RowStatus::of(Some(oo), &mut scratch),
            RowStatus::of(Some(on), &mut scratch),
        );
        let mut changes = Vec::new();
        let mut quotas = QuotaSums::default();
        let mut quota_changed = false;
        for (k, ((p, c), (uo, un))) in pairs
            .iter()
            .zip(self.counts.iter_mut())
            .zip(&self.units)
            .enumerate()
        {
            let b = paid(p.old.and_then(|i| oo.clauses.get(i)), *uo);
            let a = paid(p.new.and_then(|j| on.clauses.get(j)), *un);
            c.before += b.money();
            c.after += a.money();
            if uo.is_some() || un.is_some() {
                c.quotas.add(b, a);
                quotas.add(b, a);
                quota_changed |= b.quota() != a.quota();
            }
            if let Some(ch) = Change::of(b, a) {
                match ch {
                    Change::Appeared => c.appeared += 1,
                    Change::Disappeared => c.disappeared += 1,
                    Change::Changed => c.changed += 1,
                }
                changes.push((k, ch, b, a));
            }
        }
        let (before, after) = (oo.total, on.total);
        let change = after.rounded() - before.rounded();
        match change.cmp(&Decimal::ZERO) {
            std::cmp::Ordering::Greater => summary.winners += 1,
            std::cmp::Ordering::Less => summary.losers += 1,
            std::cmp::Ordering::Equal => summary.unchanged += 1,
        }
        summary.undecided += u64::from(oo.undecided || on.undecided);
        summary.quota_changed += u64::from(quota_changed);
        self.quotas.merge(&quotas);
        let e = EntityChange {
            row: line,
            ids: ids
                .iter()
                .map(|(k, v)| (k.clone(), Json::String(v.clone())))
                .collect(),
            before: Money(before.rounded()),
            after: Money(after.rounded()),
            change: Money(change),
        };
        if change > Decimal::ZERO {
            keep(&mut self.gains, e, |x| x.change.0);
        } else if change < Decimal::ZERO {
            keep(&mut self.losses, e, |x| -x.change.0);
        }
        EntityDiff {
            row: line,
            ids,
            totals: Some((before, after)),
            status,
            clauses: changes,
            quotas,
            errors,
        }
    }

    /// Counts a row in error.
    fn error(
        &mut self,
        line: u64,
        ids: Vec<(String, String)>,
        errors: Vec<RowError>,
    ) -> EntityDiff<'p> {
        self.summary.rows += 1;
        self.summary.errors += 1;
        EntityDiff {
            row: line,
            ids,
            totals: None,
            status: (RowStatus::Error, RowStatus::Error),
            clauses: Vec::new(),
            quotas: QuotaSums::default(),
            errors,
        }
    }

    /// The summary, with the per-policy and per-clause sums.
    fn finish(self, (old, new): (&Program, &Program), pairs: &[Pair]) -> DiffSummary {
        let Tally {
            mut summary,
            counts,
            policy_before,
            policy_after,
            gains,
            losses,
            units,
            quotas,
        } = self;
        summary.quotas = quotas.diffs();
        summary.change = summary.after.minus(&summary.before);
        summary.policies = policy_pairs(old, new)
            .into_iter()
            .map(|(policy, i, j)| {
                let at = |sums: &[Decimal], k: Option<usize>| {
                    k.and_then(|k| sums.get(k)).copied().unwrap_or_default()
                };
                let (b, a) = (at(&policy_before, i), at(&policy_after, j));
                PolicyDiff {
                    policy,
                    before: Money(b),
                    after: Money(a),
                    change: Money(a - b),
                }
            })
            .collect();
        summary.largest_gains = gains;
        summary.largest_losses = losses;
        summary.clauses = pairs
            .iter()
            .zip(&counts)
            .zip(&units)
            .filter(|((_, c), _)| c.appeared + c.disappeared + c.changed > 0)
            .map(|((p, c), u)| clause_diff(p, c, *u, (old, new)))
            .collect();
        summary
    }
}

fn clause_diff(
    p: &Pair,
    c: &ClauseCount,
    (uo, un): (Option<&str>, Option<&str>),
    (old, new): (&Program, &Program),
) -> ClauseDiff {
    let name = |prog, at: Option<usize>| {
        at.and_then(|i| clause_at(prog, i))
            .map(|(pd, cd)| super::clause_name(pd, cd))
    };
    let matter = p
        .new
        .and_then(|j| clause_at(new, j))
        .or_else(|| p.old.and_then(|i| clause_at(old, i)))
        .map(|(_, c)| c.matter.clone())
        .unwrap_or_default();
    ClauseDiff {
        old: name(old, p.old),
        new: name(new, p.new),
        matter,
        paired_by: p.by,
        appeared: c.appeared,
        disappeared: c.disappeared,
        changed: c.changed,
        before: Money(c.before),
        after: Money(c.after),
        change: Money(c.after - c.before),
        quotas: c.quotas.diffs(),
        // A clause on one side that is not a quota (or is missing, but
        // then the other one is).
        money: (p.old.is_some() && uo.is_none()) || (p.new.is_some() && un.is_none()),
    }
}

/// Keeps the [`LARGEST`] entities with the largest `by`, largest first,
/// the earlier row first on a tie.
fn keep(list: &mut Vec<EntityChange>, e: EntityChange, by: impl Fn(&EntityChange) -> Decimal) {
    let at = list.partition_point(|x| by(x) >= by(&e));
    if at < LARGEST {
        list.insert(at, e);
        list.truncate(LARGEST);
    }
}

/// The names of the per-entity columns after the id columns.
pub(crate) const COLUMNS: [&str; 6] = [
    "变化前合计",
    "变化后合计",
    "变化",
    "变化前状态",
    "变化后状态",
    "条款变化",
];

/// The per-entity columns of the quotas, after the others, when some
/// clause grants one.
pub(crate) const QUOTA_COLUMNS: [&str; 3] = ["变化前额度", "变化后额度", "额度变化"];

fn header_bytes(ids: &[String], format: OutputFormat, quotas: bool) -> Vec<u8> {
    match format {
        OutputFormat::Jsonl => Vec::new(),
        OutputFormat::Csv => {
            let mut w = csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(Vec::new());
            let mut h: Vec<&str> = ids.iter().map(String::as_str).collect();
            h.extend(COLUMNS);
            if quotas {
                h.extend(QUOTA_COLUMNS);
            }
            let _ = w.write_record(h);
            w.into_inner().unwrap_or_default()
        }
    }
}

/// The `状态` words of a status (with the row's errors), as batch writes
/// them.
fn status_words(s: RowStatus, errors: &[RowError]) -> String {
    let mut words = String::new();
    row::status_cell(&mut words, s, errors);
    words
}

fn entity_bytes(
    e: &EntityDiff<'_>,
    pairs: &[Pair],
    (old, new): (&Program, &Program),
    format: OutputFormat,
    quota_columns: bool,
) -> Vec<u8> {
    let name = |k: usize| {
        pairs.get(k).map_or(String::new(), |p| {
            p.new
                .and_then(|j| clause_at(new, j))
                .or_else(|| p.old.and_then(|i| clause_at(old, i)))
                .map(|(pd, cd)| super::clause_name(pd, cd))
                .unwrap_or_default()
        })
    };
    let (before, after, change) = match e.totals {
        Some((b, a)) => (
            b.to_yuan_string(),
            a.to_yuan_string(),
            Money(a.rounded() - b.rounded()).to_yuan_string(),
        ),
        None => Default::default(),
    };
    let statuses = (
        status_words(e.status.0, &e.errors),
        status_words(e.status.1, &e.errors),
    );
    let cells = EntityCells {
        before,
        after,
        change,
        statuses,
        quota_columns,
    };
    match format {
        OutputFormat::Csv => entity_csv(e, cells, name),
        OutputFormat::Jsonl => entity_jsonl(e, &cells, name),
    }
}

/// An entity's cells as written, both formats alike.
struct EntityCells {
    before: String,
    after: String,
    change: String,
    statuses: (String, String),
    quota_columns: bool,
}

fn entity_csv(e: &EntityDiff<'_>, cells: EntityCells, name: impl Fn(usize) -> String) -> Vec<u8> {
    let words: Vec<String> = e
        .clauses
        .iter()
        .map(|(k, ch, b, a)| match ch {
            Change::Appeared => format!("新得 {} {}", name(*k), a.words()),
            Change::Disappeared => format!("不再得 {} {}", name(*k), b.words()),
            Change::Changed => format!("{} {}→{}", name(*k), b.words(), a.words()),
        })
        .collect();
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_writer(Vec::new());
    let mut record: Vec<String> = e.ids.iter().map(|(_, v)| v.clone()).collect();
    record.extend([
        cells.before,
        cells.after,
        cells.change,
        cells.statuses.0,
        cells.statuses.1,
        words.join("；"),
    ]);
    if cells.quota_columns {
        record.extend([
            e.quotas.side_words(true),
            e.quotas.side_words(false),
            e.quotas.change_words(),
        ]);
    }
    let _ = w.write_record(&record);
    w.into_inner().unwrap_or_default()
}

fn entity_jsonl(
    e: &EntityDiff<'_>,
    cells: &EntityCells,
    name: impl Fn(usize) -> String,
) -> Vec<u8> {
    let text = |s: &str| {
        if s.is_empty() {
            Json::Null
        } else {
            Json::String(s.to_string())
        }
    };
    let mut obj = Map::new();
    obj.insert("row".into(), Json::from(e.row));
    for (k, v) in &e.ids {
        obj.insert(k.clone(), Json::String(v.clone()));
    }
    obj.insert("before".into(), text(&cells.before));
    obj.insert("after".into(), text(&cells.after));
    obj.insert("change".into(), text(&cells.change));
    obj.insert("status_before".into(), Json::from(e.status.0.code()));
    obj.insert("status_after".into(), Json::from(e.status.1.code()));
    obj.insert("变化前状态".into(), Json::String(cells.statuses.0.clone()));
    obj.insert("变化后状态".into(), Json::String(cells.statuses.1.clone()));
    let clauses = e
        .clauses
        .iter()
        .map(|(k, ch, b, a)| {
            let mut m = Map::new();
            m.insert("clause".into(), Json::String(name(*k)));
            m.insert(
                "change".into(),
                serde_json::to_value(ch).unwrap_or_default(),
            );
            m.insert("before".into(), text(&b.money_words()));
            m.insert("after".into(), text(&a.money_words()));
            // A quota is not money: `before`/`after` stay null for it.
            // The quota fields, like the quota columns, only when some
            // clause grants one.
            if cells.quota_columns {
                let quota = |p: Paid<'_>| {
                    p.quota().map_or(
                        Json::Null,
                        |(v, u)| serde_json::json!({"unit": u, "amount": quota_number(v, u)}),
                    )
                };
                m.insert("quota_before".into(), quota(*b));
                m.insert("quota_after".into(), quota(*a));
            }
            Json::Object(m)
        })
        .collect();
    obj.insert("clauses".into(), Json::Array(clauses));
    if cells.quota_columns {
        obj.insert(
            "quotas".into(),
            serde_json::to_value(e.quotas.diffs()).unwrap_or_default(),
        );
    }
    let mut out = serde_json::to_vec(&obj).unwrap_or_default();
    out.push(b'\n');
    out
}

fn table(header: Vec<&str>) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
        .force_no_tty()
        .set_header(header);
    t
}

/// A change with its sign: `+` in front of a gain.
fn signed(m: Money) -> String {
    if m.0 > Decimal::ZERO {
        format!("+{}", m.to_yuan_string())
    } else {
        m.to_yuan_string()
    }
}

impl DiffSummary {
    /// The comparison for people.
    pub(crate) fn human(&self) -> String {
        let mut out = format!(
            "变化前 {} 与变化后 {}：共 {} 行，评估 {} 家，错误 {} 行\n",
            self.date, self.to_date, self.rows, self.entities, self.errors
        );
        out.push_str(&format!(
            "合计：变化前 {} 元，变化后 {} 元，变化 {} 元\n",
            self.before.total.to_yuan_string(),
            self.after.total.to_yuan_string(),
            signed(self.change.total)
        ));
        out.push_str(&format!(
            "增加 {} 家，减少 {} 家，不变 {} 家；其中 {} 家在变化前或变化后待定\n",
            self.winners, self.losers, self.unchanged, self.undecided
        ));
        out.push_str(&format!("{}\n", self.kinds_table()));
        if !self.quotas.is_empty() {
            out.push_str(&format!(
                "额度（不付钱的额度和指标，不计入合计）：{} 家的额度有变化\n{}\n",
                self.quota_changed,
                self.quotas_table()
            ));
        }
        out.push_str(&format!("{}\n", self.policies_table()));
        for (title, list) in [
            ("增加最多", &self.largest_gains),
            ("减少最多", &self.largest_losses),
        ] {
            if !list.is_empty() {
                out.push_str(&format!("{title}\n{}\n", entities_table(list)));
            }
        }
        if self.clauses.iter().any(|c| c.money) {
            out.push_str(&format!("条款变化\n{}\n", self.clauses_table()));
        }
        if self.clauses.iter().any(|c| !c.quotas.is_empty()) {
            out.push_str(&format!("额度条款变化\n{}\n", self.quota_clauses_table()));
        }
        out
    }

    /// The quotas before and after, one row per unit.
    fn quotas_table(&self) -> comfy_table::Table {
        let mut t = table(vec!["单位", "变化前", "变化后", "变化"]);
        for q in &self.quotas {
            t.add_row(vec![
                q.unit.clone(),
                q.before.clone(),
                q.after.clone(),
                signed_number(&q.change),
            ]);
        }
        t
    }

    /// The clause pairs that grant a quota, one row per unit: apart from
    /// money's table, so that no column adds 亩 to 元.
    fn quota_clauses_table(&self) -> comfy_table::Table {
        let mut t = table(vec![
            "条款",
            "配对",
            "新得",
            "不再得",
            "改变",
            "单位",
            "变化前",
            "变化后",
            "变化",
        ]);
        for c in &self.clauses {
            for q in &c.quotas {
                t.add_row(vec![
                    c.display_name(),
                    c.pairing_words().to_string(),
                    c.appeared.to_string(),
                    c.disappeared.to_string(),
                    c.changed.to_string(),
                    q.unit.clone(),
                    q.before.clone(),
                    q.after.clone(),
                    signed_number(&q.change),
                ]);
            }
        }
        t
    }

    /// Money by kind before and after, and the number of 酌定 grants.
    fn kinds_table(&self) -> comfy_table::Table {
        let (b, a, c) = (&self.before, &self.after, &self.change);
        let mut kinds = table(vec!["类别", "变化前", "变化后", "变化"]);
        for (name, b, a, c) in [
            ("定额", b.exact, a.exact, c.exact),
            ("最高", b.at_most, a.at_most, c.at_most),
            ("不少于", b.at_least, a.at_least, c.at_least),
            ("合计", b.total, a.total, c.total),
        ] {
            kinds.add_row(vec![
                name.to_string(),
                b.to_yuan_string(),
                a.to_yuan_string(),
                signed(c),
            ]);
        }
        kinds.add_row(vec![
            "酌定项数".to_string(),
            b.discretionary.to_string(),
            a.discretionary.to_string(),
            format!("{:+}", c.discretionary),
        ]);
        kinds
    }

    /// The policies that pay something on either side.
    fn policies_table(&self) -> comfy_table::Table {
        let mut policies = table(vec!["政策", "变化前", "变化后", "变化"]);
        for p in self
            .policies
            .iter()
            .filter(|p| !p.before.0.is_zero() || !p.after.0.is_zero())
        {
            policies.add_row(vec![
                p.policy
                    .as_deref()
                    .map_or("（顶层条款）".into(), |t| format!("《{t}》")),
                p.before.to_yuan_string(),
                p.after.to_yuan_string(),
                signed(p.change),
            ]);
        }
        policies
    }

    fn clauses_table(&self) -> comfy_table::Table {
        let mut t = table(vec![
            "条款",
            "配对",
            "新得",
            "不再得",
            "金额改变",
            "变化前",
            "变化后",
            "变化",
        ]);
        for c in self.clauses.iter().filter(|c| c.money) {
            t.add_row(vec![
                c.display_name(),
                c.pairing_words().to_string(),
                c.appeared.to_string(),
                c.disappeared.to_string(),
                c.changed.to_string(),
                c.before.to_yuan_string(),
                c.after.to_yuan_string(),
                signed(c.change),
            ]);
        }
        t
    }
}

impl ClauseDiff {
    /// `旧 → 新`, or the one name when both are the same.
    fn display_name(&self) -> String {
        match (&self.old, &self.new) {
            (Some(o), Some(n)) if o != n => format!("{o} → {n}"),
            (_, Some(n)) => n.clone(),
            (Some(o), None) => o.clone(),
            (None, None) => String::new(),
        }
    }

    fn pairing_words(&self) -> &'static str {
        match self.paired_by {
            Pairing::Label => "同条款",
            Pairing::Matter => "同事项",
            Pairing::Added => "新增",
            Pairing::Removed => "删除",
        }
    }
}

/// A number already written (`"25"`, `"-25"`, `"0.00"`) with `+` in front
/// of a gain.
fn signed_number(n: &str) -> String {
    let zero = n
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.');
    if n.starts_with('-') || zero {
        n.to_string()
    } else {
        format!("+{n}")
    }
}

/// The largest gains or losses; the first id column names the entity.
fn entities_table(list: &[EntityChange]) -> comfy_table::Table {
    let id_name = list
        .first()
        .and_then(|e| e.ids.keys().next())
        .map_or("主体", String::as_str);
    let mut t = table(vec!["行", id_name, "变化前", "变化后", "变化"]);
    for e in list {
        let id = e
            .ids
            .values()
            .next()
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string();
        t.add_row(vec![
            e.row.to_string(),
            id,
            e.before.to_yuan_string(),
            e.after.to_yuan_string(),
            signed(e.change),
        ]);
    }
    t
}
