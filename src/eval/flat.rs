//! The flat form a checked program is compiled to for one evaluation
//! date. Conditions and expressions are nodes in vectors addressed by
//! index; windows are decided, parameters read and literals stored once;
//! every use of a definition shares a memo slot; and each node's step
//! cost is counted once, so that a clause is charged its fuel before it
//! runs rather than node by node (`run.rs` says how that stays exact).

mod build;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::Tri;
use super::{AmountKind, ClauseKind};
use crate::ast::{ArithOp, CmpOp, Func};
use crate::program::{AmountCore, ClauseDef, Cond, Expr, FactId, Loc, PolicyId, Program, Value};

pub(crate) use build::{compile, cond_alone, expr_alone};

/// Index of a condition node.
pub(crate) type CondId = u32;
/// Index of an expression node.
pub(crate) type ExprId = u32;

/// A run of indices in one of the flat form's lists.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Run {
    pub(crate) start: u32,
    pub(crate) len: u32,
}

impl Run {
    /// The indices `start..start + len` as a `usize` range.
    pub(crate) fn range(self) -> std::ops::Range<usize> {
        let s = self.start as usize;
        s..s + self.len as usize
    }
}

/// A fact or a literal, compared where it is stored.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Leaf {
    /// A fact's slot.
    Fact(FactId),
    /// A literal in [`Flat::consts`].
    Lit(u32),
}

/// One item of a condition read as a list (see [`Tests`]): the common
/// leaves decided in place, anything else a node.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Test {
    /// A yes/no fact holds.
    Bool(FactId),
    /// An enumeration fact has this value.
    EnumIs(FactId, usize),
    /// A fact compared with one literal.
    Cmp {
        /// The fact.
        fact: FactId,
        /// Operator.
        op: CmpOp,
        /// The literal.
        lit: Lit,
    },
    /// A use of a defined condition (see [`CondNode::Named`]).
    Named {
        /// The definition's memo slot.
        def: u32,
        /// The body.
        body: CondId,
    },
    /// Any other condition.
    Node(CondId),
}

/// The first of a clause's own tests when its failing decides the clause
/// blank whatever else holds: the clause does not pay by schedule and no
/// test after the first can fail, so the tests would stop there too. Most
/// clauses of a register's row fail on their first test; read through the
/// guard, such a clause costs a load and a compare instead of the walk to
/// its tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Guard {
    /// The clause is decided the long way.
    None,
    /// A yes/no fact that is 否.
    Bool(FactId),
    /// An enumeration fact with another value.
    EnumIs(FactId, usize),
    /// A defined condition, once the row's memo holds 否 for it.
    Named(u32),
    /// An amount against a threshold ([`Test::Cmp`], at this index of
    /// [`Flat::tests`]) that does not hold.
    Cmp(u32),
}

/// A literal a [`Test`] compares with, unpacked once.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Lit {
    /// A number of any kind.
    Num(crate::num::Threshold),
    /// A date.
    Date(NaiveDate),
    /// An enumeration value's index.
    Enum(usize),
}

/// A clause's condition or a policy's 适用 as the items of a 且 (a lone
/// item when it is not one), a run of [`Flat::tests`]: what a register's
/// rows read for every clause, without a call per node. From item `safe`
/// on no item can fail, as in [`CondNode::And`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Tests {
    pub(crate) run: Run,
    pub(crate) safe: u32,
}

/// A condition node.
#[derive(Debug, Clone, Copy)]
pub(crate) enum CondNode {
    /// Always holds (a policy without 适用).
    True,
    /// A yes/no fact holds.
    Bool(FactId),
    /// An enumeration fact has this value.
    EnumIs(FactId, usize),
    /// A comparison of facts and literals only (most of them): `lhs` and
    /// the leaves in `rhs` (a run of [`Flat::leaves`]).
    CmpLeaf {
        /// Left side.
        lhs: Leaf,
        /// Operator.
        op: CmpOp,
        /// Right sides.
        rhs: Run,
    },
    /// Any other comparison: `rhs` is a run of [`Flat::list`] (expressions).
    Cmp {
        /// Left side.
        lhs: ExprId,
        /// Operator.
        op: CmpOp,
        /// Right sides.
        rhs: Run,
    },
    /// All of a run of [`Flat::list`] (conditions) hold; from item
    /// `safe` on, no item can fail (see [`Flat::infallible`]).
    And(Run, u32),
    /// Any holds.
    Or(Run, u32),
    /// Negation.
    Not(CondId),
    /// A use of a defined condition: its memo slot and its body.
    Named {
        /// The definition's memo slot.
        def: u32,
        /// The body.
        body: CondId,
    },
    /// `自 上规日期 起 连续3年 在规`.
    Consecutive {
        /// The date fact the years count from.
        event: FactId,
        /// How many years.
        years: u32,
        /// The yes/no fact given year by year.
        fact: FactId,
    },
}

/// An expression node.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ExprNode {
    /// A literal in [`Flat::consts`].
    Lit(u32),
    /// A fact.
    Fact(FactId),
    /// A parameter, read for the evaluation date: the date its value took
    /// effect and the value in [`Flat::consts`], or `None` when it has no
    /// value on that date (an error if evaluated).
    Param(Option<(NaiveDate, u32)>),
    /// `first op e op e …`: the rest is a run of [`Flat::ops`].
    Arith {
        /// First operand.
        first: ExprId,
        /// The rest.
        rest: Run,
    },
    /// `base 最高 cap 的 shares…`: shares a run of [`Flat::list`].
    Of {
        /// The base.
        base: ExprId,
        /// Its cap.
        cap: Option<ExprId>,
        /// The factors.
        shares: Run,
    },
    /// 较高者 / 较低者 of a run of [`Flat::list`].
    Call {
        /// Which.
        func: Func,
        /// Arguments.
        args: Run,
    },
    /// A rate on the part above (or up to) a threshold.
    Band {
        /// The amount.
        subject: ExprId,
        /// Above (true) or up to (false).
        above: bool,
        /// The threshold.
        bound: ExprId,
        /// The rate.
        rate: ExprId,
    },
    /// A use of a defined amount: its memo slot and its body.
    Named {
        /// The definition's memo slot.
        def: u32,
        /// The body.
        body: ExprId,
    },
    /// `受理日期 后 5个工作日`.
    Shift {
        /// The date.
        base: ExprId,
        /// How many.
        n: u32,
        /// Of what.
        unit: crate::program::TimeUnit,
        /// Moved back (前).
        back: bool,
    },
}

/// An amount proper.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Core {
    /// An expression of kind money.
    Expr(ExprId),
    /// Per unit of a quantity fact.
    PerUnit {
        /// The counted fact.
        fact: FactId,
        /// How many units `rate` pays for (1 for `每人`).
        per: Decimal,
        /// `每满10人`: whole blocks only.
        whole: bool,
        /// Money per block of units.
        rate: ExprId,
        /// Where (an overflow of count × rate is named here).
        loc: Loc,
    },
}

/// A plain grant amount: a fact or a literal, perhaps times one literal
/// share (`研发投入新增额 的 5%`), under a literal cap or none, with no
/// cap over the year. Most grants are; a register's rows read them in
/// place rather than through the expression nodes, with the same steps
/// charged and the same overflow named.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plain {
    /// The fact, or the literal's number.
    pub(crate) base: Result<FactId, Decimal>,
    /// The share it is multiplied by.
    pub(crate) share: Option<Decimal>,
    /// The amount's expression (where an overflow is named).
    pub(crate) expr: ExprId,
    /// The cap.
    pub(crate) cap: Option<crate::num::Threshold>,
    /// The steps the amount and the cap spend.
    pub(crate) cost: (u64, u64),
}

/// A grant's amount.
#[derive(Debug, Clone)]
pub(crate) enum Amount {
    /// One amount; `bound` is the kind it pays (the per-unit bound when
    /// the written one is 定额).
    Single {
        /// The kind.
        bound: AmountKind,
        /// The amount proper.
        core: Core,
        /// A cap after it.
        cap: Option<ExprId>,
        /// `累计 最高 …（本年已领 …）`: the cap over the year and the money
        /// fact of what this year's earlier applications were paid.
        cumulative: Option<(ExprId, FactId)>,
        /// The same amount read in place, when it is plain.
        plain: Option<Plain>,
    },
    /// 分别: a condition and an amount per tier.
    Tiers {
        /// The shared bound word.
        bound: AmountKind,
        /// Each tier's condition and amount.
        items: Vec<(CondId, Core)>,
        /// Cap after the list.
        cap: Option<ExprId>,
        /// As [`Amount::Single`]'s.
        cumulative: Option<(ExprId, FactId)>,
    },
    /// 酌定.
    Discretionary {
        /// Cap.
        cap: Option<ExprId>,
    },
    /// Between a floor and a ceiling.
    Range {
        /// The floor.
        low: Core,
        /// The ceiling.
        high: Core,
        /// A cap on both.
        cap: Option<ExprId>,
    },
    /// `每项`: an amount for each item of a list fact, summed. What it
    /// spends grows with the items, so it always runs metered.
    Items {
        /// The list fact.
        list: FactId,
        /// Its fields, in the order of an item's values.
        fields: Vec<FactId>,
        /// 其中: which items are paid.
        filter: Option<CondId>,
        /// Each item's amount.
        amount: ExprId,
        /// 每项 最高.
        each_cap: Option<ExprId>,
        /// 最多 N项.
        count: Option<u32>,
        /// 合计 最高.
        total_cap: Option<ExprId>,
    },
    /// An amount for each year from the entity's own date: which run pays
    /// is decided with the clause (the year is a part of whether it
    /// binds), then that run is paid as one amount.
    Schedule {
        /// The date fact the years count from.
        event: FactId,
        /// Each run's years and its amount, as [`Amount::Single`]'s.
        runs: Vec<(u32, AmountKind, Core, Option<ExprId>)>,
        /// `每年 分别 …`: for each run, each tier's condition and amount
        /// (the run's bound and cap shared), as [`Amount::Tiers`]'s;
        /// empty for a run of one amount, and when no run is tiered.
        tiers: Vec<Vec<(CondId, Core)>>,
        /// `累计 最高 …（往年已领 …）`: the cap over the years and the
        /// money fact of what earlier years paid; with `this_year`
        /// (`（本年已领 …）`), the cap over the year and what this year's
        /// earlier applications were paid. Either caps this year's
        /// instalment only.
        cumulative: Option<(ExprId, FactId)>,
        /// The cumulative cap was written 本年已领.
        this_year: bool,
    },
}

impl Amount {
    /// The run that pays year `year` (from 1) of a schedule, with the
    /// first year of that run.
    pub(crate) fn run_of(
        runs: &[(u32, AmountKind, Core, Option<ExprId>)],
        year: u32,
    ) -> Option<(usize, u32)> {
        let mut first = 1;
        for (i, r) in runs.iter().enumerate() {
            if year >= first && year < first + r.0 {
                return Some((i, first));
            }
            first += r.0;
        }
        None
    }
}

/// What a clause does, compiled.
#[derive(Debug, Clone)]
pub(crate) enum Action {
    /// A grant.
    Grant(Amount),
    /// 免于 / 无需.
    Exempt,
    /// 不得 <conduct>.
    Prohibit(CondId),
    /// 应当 <conduct>.
    Oblige(CondId),
    /// 可 / 鼓励.
    Permit,
}

/// Steps a clause spends, counted at compile time from the nodes each
/// part visits (every node of a condition or expression is visited
/// whatever the facts, so each part's count is exact).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Cost {
    /// The policy's 适用.
    pub(crate) scope: u64,
    /// The clause's condition.
    pub(crate) cond: u64,
    /// The conduct of 不得/应当.
    pub(crate) conduct: u64,
    /// Everything at once: the most the clause can spend.
    pub(crate) most: u64,
}

/// The application (申报) window that holds for a clause, decided at
/// compile time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ApplyWindow {
    /// Its start, when known.
    pub(crate) start: Option<NaiveDate>,
    /// Its end, when known.
    pub(crate) end: Option<NaiveDate>,
    /// Whether both ends are known (no publication date missing).
    pub(crate) known: bool,
}

/// A clause compiled for the evaluation date.
#[derive(Debug, Clone)]
pub(crate) struct Clause<'p> {
    /// Its policy.
    pub(crate) policy: PolicyId,
    /// Its index in the policy.
    pub(crate) index: usize,
    /// What kind of clause.
    pub(crate) kind: ClauseKind,
    /// The checked clause, for derivations and results.
    pub(crate) def: &'p ClauseDef,
    /// Whether the date is in its window (`Unknown`: the window hangs on
    /// a publication date the text does not give).
    pub(crate) window: Tri,
    /// Why it is not in force, when it is not.
    pub(crate) window_note: Option<String>,
    /// Its condition.
    pub(crate) cond: CondId,
    /// Its condition as a list.
    pub(crate) tests: Tests,
    /// Whether it pays by schedule (read for every clause of every row).
    pub(crate) schedule: bool,
    /// A test that decides the clause by failing, read before anything
    /// else on a register's path.
    pub(crate) guard: Guard,
    /// Its policy's 适用, if any, can never end in an error: a clause
    /// its guard decides need not read it first.
    pub(crate) scope_safe: bool,
    /// What it does.
    pub(crate) action: Action,
    /// Its 申报 window, if any.
    pub(crate) apply: Option<ApplyWindow>,
    /// Its step costs.
    pub(crate) cost: Cost,
}

impl Clause<'_> {
    /// Whether it pays by schedule.
    pub(crate) fn is_schedule(&self) -> bool {
        self.schedule
    }

    /// Whether it pays item by item.
    pub(crate) fn is_items(&self) -> bool {
        matches!(self.action, Action::Grant(Amount::Items { .. }))
    }
}

/// A policy compiled for the evaluation date.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Policy {
    /// Its 适用, and the same as a list.
    pub(crate) scope: Option<(CondId, Tests)>,
}

/// Grants of one policy that share a 事项: only the best is paid.
#[derive(Debug, Clone)]
pub(crate) struct Matter {
    /// The clauses (indices into [`Flat::clauses`]), in load order.
    pub(crate) clauses: Vec<usize>,
}

/// Everything an evaluation reads, compiled once per program and date.
#[derive(Debug)]
pub struct Flat<'p> {
    /// The program it was compiled from.
    pub(crate) program: &'p Program,
    /// The evaluation date.
    pub(crate) date: NaiveDate,
    /// Condition nodes.
    pub(crate) conds: Vec<CondNode>,
    /// Where each condition was written, and its checked form (for steps,
    /// traces and errors).
    pub(crate) cond_src: Vec<(Loc, &'p Cond)>,
    /// Expression nodes.
    pub(crate) exprs: Vec<ExprNode>,
    /// Each expression's checked form (its `loc()` is where it was written).
    pub(crate) expr_src: Vec<&'p Expr>,
    /// Lists of condition or expression indices.
    pub(crate) list: Vec<u32>,
    /// The leaves of leaf comparisons.
    pub(crate) leaves: Vec<(Leaf, Loc)>,
    /// Conditions read as lists.
    pub(crate) tests: Vec<Test>,
    /// The operations of sums and products.
    pub(crate) ops: Vec<(ArithOp, ExprId)>,
    /// Literals and parameter values.
    pub(crate) consts: Vec<Value>,
    /// Steps a condition spends.
    pub(crate) cond_cost: Vec<u64>,
    /// Whether a condition can never end in an error (it does no
    /// arithmetic and reads no parameter without a value): once a 且/或
    /// is decided, the items left need not be evaluated when they all
    /// are, unless their missing facts or trace are wanted.
    pub(crate) infallible: Vec<bool>,
    /// Whether an expression can never end in an error.
    pub(crate) expr_infallible: Vec<bool>,
    /// Steps an expression spends read as a value, and as a number.
    pub(crate) expr_cost: Vec<(u64, u64)>,
    /// Memo slots of defined conditions and of defined amounts.
    pub(crate) defs: (usize, usize),
    /// Policies in load order.
    pub(crate) policies: Vec<Policy>,
    /// Every clause in load order.
    pub(crate) clauses: Vec<Clause<'p>>,
    /// The most steps the clauses in force can spend together, when it is
    /// bounded (no clause pays item by item).
    pub(crate) most: Option<u64>,
    /// Same-matter groups, ordered by policy and matter.
    pub(crate) matters: Vec<Matter>,
    /// Each clause's group in [`Flat::matters`], if it has one (empty
    /// when no clause has).
    pub(crate) matter_of: Vec<Option<u32>>,
    /// Groups of [`Flat::matters`] of different policies sharing a 事项,
    /// in the order of the matter's name.
    pub(crate) across: Vec<Vec<usize>>,
}

impl<'p> Flat<'p> {
    /// The program.
    pub fn program(&self) -> &'p Program {
        self.program
    }

    /// The evaluation date.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The steps one amount proper spends.
    pub(crate) fn core_cost(&self, core: Core) -> u64 {
        match core {
            Core::Expr(e) => self.num_cost(e),
            // Reading the counted fact is not a step.
            Core::PerUnit { rate, .. } => self.num_cost(rate),
        }
    }

    /// The steps an expression spends read as a number.
    pub(crate) fn num_cost(&self, e: ExprId) -> u64 {
        self.expr_cost.get(e as usize).map_or(0, |c| c.1)
    }

    /// The steps a cap spends (none when there is no cap).
    pub(crate) fn cap_cost(&self, cap: Option<ExprId>) -> u64 {
        cap.map_or(0, |c| self.num_cost(c))
    }

    /// The kind a tier of a schedule's run pays: the tier's own (per-unit
    /// 最高) when the run writes no bound word of its own.
    pub(crate) fn schedule_tier_bound(
        def: &ClauseDef,
        run: usize,
        tier: usize,
    ) -> Option<AmountKind> {
        let crate::program::Action::Grant {
            amount: crate::program::GrantAmount::Schedule(s),
            ..
        } = &def.action
        else {
            return None;
        };
        let r = s.runs.get(run)?;
        let core = r.tiers.get(tier)?;
        Some(if r.amount.bound == AmountKind::Exact {
            core.inner_bound()
        } else {
            r.amount.bound
        })
    }

    /// The checked amount core a compiled one came from (for derivations).
    pub(crate) fn core_src(def: &'p ClauseDef, tier: Option<usize>) -> Option<&'p AmountCore> {
        match &def.action {
            crate::program::Action::Grant { amount, .. } => match (amount, tier) {
                (crate::program::GrantAmount::Single(a), None) => Some(&a.core),
                (crate::program::GrantAmount::Tiers { items, .. }, Some(i)) => items.get(i),
                (crate::program::GrantAmount::Schedule(s), Some(i)) => {
                    s.runs.get(i).map(|r| &r.amount.core)
                }
                _ => None,
            },
            _ => None,
        }
    }
}
