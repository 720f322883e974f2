//! How an amount was reached, step by step, in the words of the human
//! table: `研发投入新增额 900万元 × 5% = 45万元`. Recorded by the evaluator
//! itself while it computes a grant (so the steps cannot drift from the
//! arithmetic), only when asked.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::ast::{ArithOp, Func};
use crate::check::arith_kind;
use crate::num::{Money, Ratio};
use crate::program::{Expr, FactId, Kind, Program, Value};

/// One step of a derivation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The step in words, amounts shown as in the human table.
    pub text: String,
}

impl Step {
    /// A step with these words.
    pub fn new(text: impl Into<String>) -> Self {
        Step { text: text.into() }
    }
}

/// The kind of an expression's value, for display only: the checker has
/// proved the kinds agree, so this follows its rules (`arith_kind`).
pub fn kind_of(program: &Program, e: &Expr) -> Kind {
    match e {
        Expr::Lit(v, _) => value_kind(v),
        Expr::Fact(id, _) => {
            program
                .vocab
                .get(*id)
                .map_or(Kind::Number, |d| match d.ty.kind(*id) {
                    k @ (Kind::Money | Kind::Foreign(_) | Kind::Ratio | Kind::Quantity(_)) => k,
                    _ => Kind::Number,
                })
        }
        Expr::Param(p, _) => program
            .params
            .get(*p)
            .map_or(Kind::Number, |p| p.kind.clone()),
        Expr::Arith { first, rest, .. } => {
            rest.iter().fold(kind_of(program, first), |k, (op, e)| {
                arith_kind(*op, &k, &kind_of(program, e)).unwrap_or(k)
            })
        }
        Expr::Of { base, .. } => kind_of(program, base),
        Expr::Band { subject, .. } => kind_of(program, subject),
        Expr::Call { args, .. } => args.first().map_or(Kind::Money, |a| kind_of(program, a)),
        Expr::Named { body: inner, .. } => kind_of(program, inner),
        Expr::Convert { .. } => Kind::Money,
        Expr::Shift { .. } => Kind::Date,
    }
}

fn value_kind(v: &Value) -> Kind {
    match v {
        Value::Money(_) => Kind::Money,
        Value::Foreign(_, c) => Kind::Foreign(*c),
        Value::Ratio(_) => Kind::Ratio,
        Value::Quantity(_) | Value::Number(_) => Kind::Number,
        Value::Date(_) => Kind::Date,
        Value::Bool(_) => Kind::Bool,
        Value::Text(_) => Kind::Text,
        Value::Enum(_) => Kind::Number,
        Value::Rank(_) => Kind::Rank,
        Value::List(_) => Kind::List,
    }
}

/// A number of this kind as the human table shows it: `45万元`, `5%`,
/// `12辆`.
pub fn show(kind: &Kind, n: Decimal) -> String {
    match kind {
        Kind::Money => Money(n).to_string(),
        Kind::Foreign(c) => c.show(Money(n)),
        Kind::Rate(c) => crate::currency::show_rate(n, *c),
        Kind::Ratio => Ratio(n).to_string(),
        Kind::Quantity(u) => format!("{}{u}", n.normalize()),
        Kind::Rank => format!("第{}名", n.normalize()),
        _ => n.normalize().to_string(),
    }
}

/// A block of units as the texts write it: `1万平方米` for `每万平方米`,
/// `10人` for `每10人`.
pub fn show_block(per: Decimal, unit: &str) -> String {
    let wan = Decimal::from(10_000);
    let k = per / wan;
    if per >= wan && k.fract().is_zero() {
        format!("{}万{unit}", k.normalize())
    } else {
        format!("{}{unit}", per.normalize())
    }
}

/// A per-unit amount's step: `置换车辆数 3辆 × 每辆 1万元 = 3万元`, or
/// for a block `面积 25000平方米 ÷ 1万平方米 × 5万元 = 12.5万元`, or for
/// whole blocks only (`每满10人`) `新增就业人数 25人 ÷ 10人 取整 2 × 1万元
/// = 2万元`.
pub fn per_unit_step(
    program: &Program,
    fact: FactId,
    count: Decimal,
    (per, whole): (Decimal, bool),
    rate: &str,
    v: Decimal,
) -> String {
    let unit = match program.vocab.get(fact).map(|d| &d.ty) {
        Some(crate::program::Ty::Quantity(u)) => u.clone(),
        _ => String::new(),
    };
    let counted = show(&Kind::Quantity(unit.clone()), count);
    let name = program.vocab.name(fact);
    let blocks = whole.then(|| whole_blocks(count, per)).flatten();
    match (per == Decimal::ONE, blocks) {
        (true, None) => format!("{name} {counted} × 每{unit} {rate} = {}", Money(v)),
        (true, Some(b)) => format!(
            "{name} {counted} 取整 {} × 每{unit} {rate} = {}",
            b.normalize(),
            Money(v)
        ),
        (false, None) => format!(
            "{name} {counted} ÷ {} × {rate} = {}",
            show_block(per, &unit),
            Money(v)
        ),
        (false, Some(b)) => format!(
            "{name} {counted} ÷ {} 取整 {} × {rate} = {}",
            show_block(per, &unit),
            b.normalize(),
            Money(v)
        ),
    }
}

/// A per-unit amount: count × rate ÷ per, multiplied first so that a
/// block of a power of ten divides exactly; a part of a block is paid pro
/// rata. For whole blocks only (`每满10人`) floor(count ÷ per) × rate: a
/// part of a block pays nothing. None on overflow.
pub fn per_unit_value(count: Decimal, rate: Decimal, per: Decimal, whole: bool) -> Option<Decimal> {
    if whole {
        return whole_blocks(count, per)?.checked_mul(rate);
    }
    let v = count.checked_mul(rate)?;
    if per == Decimal::ONE {
        Some(v)
    } else {
        v.checked_div(per)
    }
}

/// How many whole blocks of `per` units `count` holds: floor(count ÷ per).
/// The quotient is rounded to 28 digits before the floor, so it is checked
/// against the count once more: a count just short of a block never
/// rounds up into it. None on overflow.
pub fn whole_blocks(count: Decimal, per: Decimal) -> Option<Decimal> {
    let mut blocks = count.checked_div(per)?.floor();
    // A product too large to hold is larger than any count.
    if blocks.checked_mul(per).is_none_or(|b| b > count) {
        blocks = blocks.checked_sub(Decimal::ONE)?;
    }
    Some(blocks)
}

/// A stored value of this kind as the human table shows it.
pub fn show_value(kind: &Kind, v: &Value) -> String {
    match v {
        Value::Money(m) => m.to_string(),
        Value::Foreign(m, c) => c.show(*m),
        Value::Ratio(r) => r.to_string(),
        Value::Quantity(n) | Value::Number(n) => show(kind, *n),
        Value::Date(d) => d.format("%Y年%-m月%-d日").to_string(),
        Value::Bool(b) => (if *b { "是" } else { "否" }).to_string(),
        Value::Text(t) => format!("“{t}”"),
        Value::Enum(i) => i.to_string(),
        Value::Rank(r) => format!("第{r}名"),
        Value::List(items) => format!("{}项", items.len()),
    }
}

/// An operand inside a step: a fact, definition or parameter by name and
/// value (`研发投入 900万元`), anything else by its value alone (its own
/// step came before).
pub fn operand(program: &Program, e: &Expr, v: Decimal) -> String {
    let value = show(&kind_of(program, e), v);
    match e {
        Expr::Fact(id, _) => format!("{} {value}", program.vocab.name(*id)),
        Expr::Named { name, .. } => format!("{name} {value}"),
        Expr::Param(p, _) => match program.params.get(*p) {
            Some(p) => format!("{} {value}", p.name),
            None => value,
        },
        _ => value,
    }
}

/// The sign of an operation.
pub fn op_sign(op: ArithOp) -> &'static str {
    match op {
        ArithOp::Add => "+",
        ArithOp::Sub => "−",
        ArithOp::Mul => "×",
        ArithOp::Div => "÷",
    }
}

/// 较高者 / 较低者.
pub fn func_word(f: Func) -> &'static str {
    match f {
        Func::Max => "较高者",
        Func::Min => "较低者",
    }
}

/// Whether an expression gets a step of its own (leaves are shown inside
/// the step that uses them).
pub fn is_compound(e: &Expr) -> bool {
    !matches!(e, Expr::Lit(..) | Expr::Fact(..))
}

/// `项目[2]：80万元 超过每项上限 50万元，按 50万元 计`.
pub(crate) fn item_words(
    name: &str,
    index: u32,
    v: Decimal,
    cap: Option<Decimal>,
    paid: Decimal,
) -> String {
    match cap {
        Some(c) if v > c => format!(
            "{name}[{index}]：{} 超过每项上限 {}，按 {} 计",
            Money(v),
            Money(c),
            Money(paid)
        ),
        _ if v < Decimal::ZERO => format!("{name}[{index}]：{} 为负，按 0 计", Money(v)),
        _ => format!("{name}[{index}]：{}", Money(paid)),
    }
}

/// A grant's value as a step shows it: money, or a quota in its unit
/// (`125亩`) when the grant is a `给予 额度` in another unit.
pub fn grant_value(v: Decimal, quota: Option<&str>) -> String {
    match quota {
        Some(unit) => crate::eval::quota_value_words(Money(v), unit),
        None => Money(v).to_string(),
    }
}
