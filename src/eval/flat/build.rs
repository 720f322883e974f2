//! Program + evaluation date → the flat form. Each node's step cost is
//! counted as the nodes are laid out: a condition spends one step and its
//! parts'; a value read spends one step (and a computed one the steps of
//! reading it as a number); a number one step and its operands'. These
//! are the steps the evaluator charges node by node when it meters
//! (`run.rs`); a test holds the two to each other.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{
    Action, Amount, ApplyWindow, Clause, CondId, CondNode, Core, Cost, ExprId, ExprNode, Flat,
    Guard, Leaf, Lit, Matter, Plain, Policy, Run, Test, Tests,
};
use crate::ast::ArithOp;
use crate::eval::run::{V, num_of};
use crate::eval::{AmountKind, ClauseKind, Tri, in_force};
use crate::program::{self, AmountCore, ClauseDef, Cond, Expr, GrantAmount, Program, WindowDef};

/// Compiles `program` for evaluation on `date`.
pub(crate) fn compile(program: &Program, date: NaiveDate) -> Flat<'_> {
    let mut b = Builder::new(program, date);
    for (pid, policy) in program.policies.iter().enumerate() {
        let scope = policy.scope.as_ref().map(|s| b.cond(s));
        let scope = scope.map(|s| (s, b.tests(s)));
        b.flat.policies.push(Policy { scope });
        for (index, clause) in policy.clauses.iter().enumerate() {
            let compiled = b.clause(pid, index, policy, clause, scope.map(|s| s.0));
            if compiled.window != Tri::No {
                // `u64::MAX`: no bound before the items are read.
                let most = Some(compiled.cost.most).filter(|&m| m != u64::MAX);
                b.flat.most = b.flat.most.zip(most).and_then(|(a, b)| a.checked_add(b));
            }
            b.flat.clauses.push(compiled);
        }
    }
    b.matters();
    b.flat
}

/// One condition of `program` on its own, compiled for `date`, for the
/// analyses that read parts of clauses (`match`'s gaps).
pub(crate) fn cond_alone<'p>(
    program: &'p Program,
    date: NaiveDate,
    c: &'p Cond,
) -> (Flat<'p>, CondId) {
    let mut b = Builder::new(program, date);
    let id = b.cond(c);
    (b.flat, id)
}

/// One expression of `program` on its own, compiled for `date`.
pub(crate) fn expr_alone<'p>(
    program: &'p Program,
    date: NaiveDate,
    e: &'p Expr,
) -> (Flat<'p>, ExprId) {
    let mut b = Builder::new(program, date);
    let id = b.expr(e);
    (b.flat, id)
}

/// Lays out nodes, sharing a memo slot between uses of one definition.
struct Builder<'p> {
    flat: Flat<'p>,
    /// Defined conditions by name: each body seen and its slot.
    cond_defs: HashMap<&'p str, Vec<(&'p Cond, u32)>>,
    /// Defined amounts likewise.
    expr_defs: HashMap<&'p str, Vec<(&'p Expr, u32)>>,
}

fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl<'p> Builder<'p> {
    fn new(program: &'p Program, date: NaiveDate) -> Self {
        Builder {
            flat: Flat {
                program,
                date,
                conds: Vec::new(),
                cond_src: Vec::new(),
                exprs: Vec::new(),
                expr_src: Vec::new(),
                list: Vec::new(),
                leaves: Vec::new(),
                tests: Vec::new(),
                ops: Vec::new(),
                consts: Vec::new(),
                cond_cost: Vec::new(),
                infallible: Vec::new(),
                expr_infallible: Vec::new(),
                expr_cost: Vec::new(),
                defs: (0, 0),
                policies: Vec::new(),
                clauses: Vec::new(),
                most: Some(0),
                matters: Vec::new(),
                matter_of: Vec::new(),
                across: Vec::new(),
            },
            cond_defs: HashMap::new(),
            expr_defs: HashMap::new(),
        }
    }

    /// A run of `items` appended to the shared list.
    fn run(&mut self, items: &[u32]) -> Run {
        let start = len32(self.flat.list.len());
        self.flat.list.extend_from_slice(items);
        Run {
            start,
            len: len32(items.len()),
        }
    }

    fn constant(&mut self, v: &program::Value) -> u32 {
        self.flat.consts.push(v.clone());
        len32(self.flat.consts.len() - 1)
    }

    fn push_cond(&mut self, node: CondNode, c: &'p Cond, cost: u64) -> CondId {
        let infallible = match node {
            CondNode::True
            | CondNode::Bool(_)
            | CondNode::EnumIs(..)
            | CondNode::CmpLeaf { .. }
            | CondNode::Consecutive { .. } => true,
            CondNode::Cmp { lhs, rhs, .. } => {
                self.expr_infallible(lhs)
                    && self
                        .flat
                        .list
                        .get(rhs.range())
                        .unwrap_or_default()
                        .iter()
                        .all(|e| self.expr_infallible(*e))
            }
            CondNode::And(items, _) | CondNode::Or(items, _) => self
                .flat
                .list
                .get(items.range())
                .unwrap_or_default()
                .iter()
                .all(|i| self.cond_infallible(*i)),
            CondNode::Not(i) | CondNode::Named { body: i, .. } => self.cond_infallible(i),
        };
        self.flat.infallible.push(infallible);
        self.flat.conds.push(node);
        self.flat.cond_src.push((crate::eval::cond_loc(c), c));
        self.flat.cond_cost.push(cost);
        len32(self.flat.conds.len() - 1)
    }

    fn cond_infallible(&self, c: CondId) -> bool {
        self.flat
            .infallible
            .get(c as usize)
            .copied()
            .unwrap_or(false)
    }

    fn expr_infallible(&self, e: ExprId) -> bool {
        self.flat
            .expr_infallible
            .get(e as usize)
            .copied()
            .unwrap_or(false)
    }

    fn cond_cost(&self, c: CondId) -> u64 {
        self.flat.cond_cost.get(c as usize).copied().unwrap_or(0)
    }

    fn value_cost(&self, e: ExprId) -> u64 {
        self.flat.expr_cost.get(e as usize).map_or(0, |c| c.0)
    }

    fn num_cost(&self, e: ExprId) -> u64 {
        self.flat.num_cost(e)
    }

    /// A condition's nodes; its index.
    fn cond(&mut self, c: &'p Cond) -> CondId {
        match c {
            Cond::True => self.push_cond(CondNode::True, c, 1),
            Cond::Fact(id, _) => self.push_cond(CondNode::Bool(*id), c, 1),
            Cond::EnumIs(id, idx, _) => self.push_cond(CondNode::EnumIs(*id, *idx), c, 1),
            Cond::Consecutive {
                event, years, fact, ..
            } => self.push_cond(
                CondNode::Consecutive {
                    event: *event,
                    years: *years,
                    fact: *fact,
                },
                c,
                1,
            ),
            Cond::Cmp { lhs, op, rhs, .. } => self.comparison(c, lhs, *op, rhs),
            Cond::And(items, _) | Cond::Or(items, _) => {
                let ids: Vec<u32> = items.iter().map(|i| self.cond(i)).collect();
                let cost = 1 + ids.iter().map(|i| self.cond_cost(*i)).sum::<u64>();
                let safe = ids
                    .iter()
                    .rposition(|i| !self.cond_infallible(*i))
                    .map_or(0, |k| k + 1);
                let run = self.run(&ids);
                let safe = len32(safe);
                let node = if matches!(c, Cond::And(..)) {
                    CondNode::And(run, safe)
                } else {
                    CondNode::Or(run, safe)
                };
                self.push_cond(node, c, cost)
            }
            Cond::Not(inner, _) => {
                let i = self.cond(inner);
                let cost = 1 + self.cond_cost(i);
                self.push_cond(CondNode::Not(i), c, cost)
            }
            Cond::Named { name, body, .. } => {
                let def = self.cond_def(name, body);
                let b = self.cond(body);
                let cost = 1 + self.cond_cost(b);
                self.push_cond(CondNode::Named { def, body: b }, c, cost)
            }
        }
    }

    /// Condition `id` as a list of tests: the items of a 且, or itself.
    fn tests(&mut self, id: CondId) -> Tests {
        let (items, safe) = match self.flat.conds.get(id as usize) {
            Some(&CondNode::And(items, safe)) => (
                self.flat
                    .list
                    .get(items.range())
                    .unwrap_or_default()
                    .to_vec(),
                safe,
            ),
            _ => (vec![id], 0),
        };
        let start = len32(self.flat.tests.len());
        for i in &items {
            let t = self.test(*i);
            self.flat.tests.push(t);
        }
        Tests {
            run: Run {
                start,
                len: len32(items.len()),
            },
            safe,
        }
    }

    /// The guard of a clause with these tests (see [`Guard`]).
    fn guard(&self, tests: Tests, schedule: bool) -> Guard {
        // A schedule's year is shown whatever its conditions; a test after
        // the first that can fail is still read after the first fails.
        if schedule || tests.safe > 1 {
            return Guard::None;
        }
        match self
            .flat
            .tests
            .get(tests.run.range())
            .and_then(<[Test]>::first)
        {
            Some(&Test::Bool(f)) => Guard::Bool(f),
            Some(&Test::EnumIs(f, v)) => Guard::EnumIs(f, v),
            Some(&Test::Named { def, .. }) => Guard::Named(def),
            Some(&Test::Cmp {
                lit: Lit::Num(_), ..
            }) => Guard::Cmp(tests.run.start),
            _ => Guard::None,
        }
    }

    /// One item of a list of tests: a leaf decided in place where it can
    /// be, the node otherwise.
    fn test(&self, id: CondId) -> Test {
        match self.flat.conds.get(id as usize) {
            Some(&CondNode::Bool(f)) => Test::Bool(f),
            Some(&CondNode::EnumIs(f, v)) => Test::EnumIs(f, v),
            Some(&CondNode::CmpLeaf {
                lhs: Leaf::Fact(fact),
                op,
                rhs,
            }) if rhs.len == 1 => {
                let lit = match self.flat.leaves.get(rhs.range()) {
                    Some([(Leaf::Lit(k), _)]) => self.flat.consts.get(*k as usize),
                    _ => None,
                };
                let lit = match lit.map(crate::eval::run::v_of) {
                    Some(V::Num(n)) => Lit::Num(crate::num::Threshold::new(n)),
                    Some(V::Date(d)) => Lit::Date(d),
                    Some(V::Enum(e)) => Lit::Enum(e),
                    _ => return Test::Node(id),
                };
                Test::Cmp { fact, op, lit }
            }
            Some(&CondNode::Named { def, body }) => Test::Named { def, body },
            _ => Test::Node(id),
        }
    }

    /// The memo slot of a defined condition: one per definition, however
    /// often it is used (uses carry equal bodies).
    fn cond_def(&mut self, name: &'p str, body: &'p Cond) -> u32 {
        let seen = self.cond_defs.entry(name).or_default();
        if let Some((_, slot)) = seen.iter().find(|(b, _)| *b == body) {
            return *slot;
        }
        let slot = len32(self.flat.defs.0);
        self.flat.defs.0 += 1;
        seen.push((body, slot));
        slot
    }

    fn expr_def(&mut self, name: &'p str, body: &'p Expr) -> u32 {
        let seen = self.expr_defs.entry(name).or_default();
        if let Some((_, slot)) = seen.iter().find(|(b, _)| *b == body) {
            return *slot;
        }
        let slot = len32(self.flat.defs.1);
        self.flat.defs.1 += 1;
        seen.push((body, slot));
        slot
    }

    fn leaf(&mut self, e: &'p Expr) -> Option<Leaf> {
        match e {
            Expr::Fact(id, _) => Some(Leaf::Fact(*id)),
            Expr::Lit(v, _) => Some(Leaf::Lit(self.constant(v))),
            _ => None,
        }
    }

    fn comparison(
        &mut self,
        c: &'p Cond,
        lhs: &'p Expr,
        op: crate::ast::CmpOp,
        rhs: &'p [Expr],
    ) -> CondId {
        let is_leaf = |e: &Expr| matches!(e, Expr::Lit(..) | Expr::Fact(..));
        if is_leaf(lhs)
            && rhs.iter().all(is_leaf)
            && let Some(l) = self.leaf(lhs)
        {
            let start = len32(self.flat.leaves.len());
            for r in rhs {
                if let Some(leaf) = self.leaf(r) {
                    self.flat.leaves.push((leaf, r.loc()));
                }
            }
            let run = Run {
                start,
                len: len32(rhs.len()),
            };
            // The comparison's step, the left side's and each right side's.
            let cost = 2 + rhs.len() as u64;
            return self.push_cond(
                CondNode::CmpLeaf {
                    lhs: l,
                    op,
                    rhs: run,
                },
                c,
                cost,
            );
        }
        let l = self.expr(lhs);
        let rs: Vec<u32> = rhs.iter().map(|r| self.expr(r)).collect();
        let cost = 1 + self.value_cost(l) + rs.iter().map(|r| self.value_cost(*r)).sum::<u64>();
        let run = self.run(&rs);
        self.push_cond(
            CondNode::Cmp {
                lhs: l,
                op,
                rhs: run,
            },
            c,
            cost,
        )
    }

    fn push_expr(&mut self, node: ExprNode, e: &'p Expr, num_inner: u64) -> ExprId {
        // Read as a value: one step, and a computed expression is then read
        // as a number. Read as a number: one step, and a leaf or a
        // definition is then read as a value.
        let (value, num) = match node {
            ExprNode::Lit(_) | ExprNode::Fact(_) | ExprNode::Param(_) => (1, 2),
            ExprNode::Named { .. } => (1 + num_inner, 2 + num_inner),
            _ => (2 + num_inner, 1 + num_inner),
        };
        let infallible = match node {
            ExprNode::Lit(_) | ExprNode::Fact(_) => true,
            ExprNode::Param(p) => p.is_some(),
            ExprNode::Call { args, .. } => self
                .flat
                .list
                .get(args.range())
                .unwrap_or_default()
                .iter()
                .all(|a| self.expr_infallible(*a)),
            ExprNode::Named { body, .. } => self.expr_infallible(body),
            // Arithmetic can overflow or divide by zero, a date run past
            // the calendar.
            ExprNode::Arith { .. }
            | ExprNode::Of { .. }
            | ExprNode::Band { .. }
            | ExprNode::Shift { .. } => false,
        };
        self.flat.expr_infallible.push(infallible);
        self.flat.exprs.push(node);
        self.flat.expr_src.push(e);
        self.flat.expr_cost.push((value, num));
        len32(self.flat.exprs.len() - 1)
    }

    /// An expression's nodes; its index.
    fn expr(&mut self, e: &'p Expr) -> ExprId {
        match e {
            Expr::Lit(v, _) => {
                let k = self.constant(v);
                self.push_expr(ExprNode::Lit(k), e, 0)
            }
            Expr::Fact(id, _) => self.push_expr(ExprNode::Fact(*id), e, 0),
            Expr::Param(pid, _) => {
                let at = self
                    .flat
                    .program
                    .params
                    .get(*pid)
                    .and_then(|p| p.entry_at(self.flat.date));
                let node = match at {
                    Some((since, v)) => ExprNode::Param(Some((since, self.constant(v)))),
                    None => ExprNode::Param(None),
                };
                self.push_expr(node, e, 0)
            }
            Expr::Arith { first, rest, .. } => {
                let f = self.expr(first);
                let mut inner = self.num_cost(f);
                let mut ops = Vec::with_capacity(rest.len());
                for (op, operand) in rest {
                    let o = self.expr(operand);
                    inner += self.num_cost(o);
                    ops.push((*op, o));
                }
                let start = len32(self.flat.ops.len());
                self.flat.ops.extend(ops);
                let rest = Run {
                    start,
                    len: len32(rest.len()),
                };
                self.push_expr(ExprNode::Arith { first: f, rest }, e, inner)
            }
            Expr::Of {
                base,
                base_cap,
                shares,
                ..
            } => {
                let b = self.expr(base);
                let cap = base_cap.as_deref().map(|c| self.expr(c));
                let ss: Vec<u32> = shares.iter().map(|s| self.expr(s)).collect();
                let inner = self.num_cost(b)
                    + cap.map_or(0, |c| self.num_cost(c))
                    + ss.iter().map(|s| self.num_cost(*s)).sum::<u64>();
                let shares = self.run(&ss);
                self.push_expr(
                    ExprNode::Of {
                        base: b,
                        cap,
                        shares,
                    },
                    e,
                    inner,
                )
            }
            Expr::Call { func, args, .. } => {
                let ids: Vec<u32> = args.iter().map(|a| self.expr(a)).collect();
                let inner = ids.iter().map(|a| self.num_cost(*a)).sum();
                let args = self.run(&ids);
                self.push_expr(ExprNode::Call { func: *func, args }, e, inner)
            }
            Expr::Band {
                subject,
                above,
                bound,
                rate,
                ..
            } => {
                let (s, b, r) = (self.expr(subject), self.expr(bound), self.expr(rate));
                let inner = self.num_cost(s) + self.num_cost(b) + self.num_cost(r);
                self.push_expr(
                    ExprNode::Band {
                        subject: s,
                        above: *above,
                        bound: b,
                        rate: r,
                    },
                    e,
                    inner,
                )
            }
            // An amount times its exchange rate: the arithmetic node, so
            // that it costs, overflows and is explained as `×` is.
            Expr::Convert { amount, rate, .. } => {
                let a = self.expr(amount);
                let r = self.expr(rate);
                let inner = self.num_cost(a) + self.num_cost(r);
                let start = len32(self.flat.ops.len());
                self.flat.ops.push((ArithOp::Mul, r));
                let rest = Run { start, len: 1 };
                self.push_expr(ExprNode::Arith { first: a, rest }, e, inner)
            }
            Expr::Shift {
                base,
                n,
                unit,
                back,
                ..
            } => {
                let b = self.expr(base);
                let inner = self.value_cost(b);
                self.push_expr(
                    ExprNode::Shift {
                        base: b,
                        n: *n,
                        unit: *unit,
                        back: *back,
                    },
                    e,
                    inner,
                )
            }
            Expr::Named { name, body, .. } => {
                let def = self.expr_def(name, body);
                let b = self.expr(body);
                let inner = self.value_cost(b);
                self.push_expr(ExprNode::Named { def, body: b }, e, inner)
            }
        }
    }

    fn core(&mut self, core: &'p AmountCore) -> Core {
        match core {
            AmountCore::Expr(e) => Core::Expr(self.expr(e)),
            AmountCore::PerUnit {
                fact,
                per,
                whole,
                rate,
                loc,
                ..
            } => Core::PerUnit {
                fact: *fact,
                per: *per,
                whole: *whole,
                rate: self.expr(rate),
                loc: *loc,
            },
        }
    }

    /// One amount: the kind it pays (the per-unit bound when the written
    /// one is 定额), its core, its cap and the steps they spend.
    fn single(&mut self, a: &'p program::Amount) -> (AmountKind, Core, Option<ExprId>, u64) {
        let bound = if a.bound == AmountKind::Exact {
            a.core.inner_bound()
        } else {
            a.bound
        };
        let core = self.core(&a.core);
        let cap = a.cap.as_ref().map(|c| self.expr(c));
        let most = self.flat.core_cost(core) + self.flat.cap_cost(cap);
        (bound, core, cap, most)
    }

    /// The amount `core` under `cap` as a [`Plain`] one, when it is.
    fn plain(&self, core: Core, cap: Option<ExprId>) -> Option<Plain> {
        let Core::Expr(e) = core else { return None };
        let node = |id: ExprId| self.flat.exprs.get(id as usize).copied();
        let num = |id: ExprId| match node(id) {
            Some(ExprNode::Lit(k)) => self.flat.consts.get(k as usize).and_then(num_of),
            _ => None,
        };
        let leaf = |id: ExprId| match node(id) {
            Some(ExprNode::Fact(f)) => Some(Ok(f)),
            _ => num(id).map(Err),
        };
        let (base, share) = match node(e) {
            Some(ExprNode::Of {
                base,
                cap: None,
                shares,
            }) if shares.len == 1 => {
                let share = self.flat.list.get(shares.start as usize).copied()?;
                (leaf(base)?, Some(num(share)?))
            }
            _ => (leaf(e)?, None),
        };
        let capped = match cap {
            Some(c) => Some(crate::num::Threshold::new(num(c)?)),
            None => None,
        };
        Some(Plain {
            base,
            share,
            expr: e,
            cap: capped,
            cost: (self.flat.core_cost(core), self.flat.cap_cost(cap)),
        })
    }

    /// A grant's amount and the most steps it can spend.
    fn amount(
        &mut self,
        clause: &'p ClauseDef,
        amount: &'p GrantAmount,
        this_year: Option<&'p program::Cumulative>,
    ) -> (Amount, u64) {
        let cumulative = this_year.map(|c| (self.expr(&c.cap), c.received));
        let cum_cost = cumulative.map_or(0, |(cap, _)| self.flat.num_cost(cap));
        match amount {
            GrantAmount::Single(a) => {
                let (bound, core, cap, most) = self.single(a);
                let plain = if cumulative.is_none() {
                    self.plain(core, cap)
                } else {
                    None
                };
                (
                    Amount::Single {
                        bound,
                        core,
                        cap,
                        cumulative,
                        plain,
                    },
                    most + cum_cost,
                )
            }
            GrantAmount::Tiers { bound, items, cap } => {
                let mut tiers = Vec::with_capacity(items.len());
                let mut most = 0;
                for (t, item) in clause.tiers.iter().zip(items) {
                    let tc = self.cond(t);
                    let core = self.core(item);
                    most += self.cond_cost(tc) + self.flat.core_cost(core);
                    tiers.push((tc, core));
                }
                let cap = cap.as_ref().map(|c| self.expr(c));
                most += self.flat.cap_cost(cap) + cum_cost;
                (
                    Amount::Tiers {
                        bound: *bound,
                        items: tiers,
                        cap,
                        cumulative,
                    },
                    most,
                )
            }
            GrantAmount::Discretionary { cap } => {
                let cap = cap.as_ref().map(|c| self.expr(c));
                (Amount::Discretionary { cap }, self.flat.cap_cost(cap))
            }
            GrantAmount::Range { low, high, cap } => {
                let low = self.core(low);
                let high = self.core(high);
                let cap = cap.as_ref().map(|c| self.expr(c));
                let most =
                    self.flat.core_cost(low) + self.flat.core_cost(high) + self.flat.cap_cost(cap);
                (Amount::Range { low, high, cap }, most)
            }
            GrantAmount::Items(g) => {
                let filter = g.filter.as_ref().map(|c| self.cond(c));
                let amount = self.expr(&g.amount);
                let each_cap = g.each_cap.as_ref().map(|c| self.expr(c));
                let total_cap = g.total_cap.as_ref().map(|c| self.expr(c));
                (
                    Amount::Items {
                        list: g.list,
                        fields: g.fields.clone(),
                        filter,
                        amount,
                        each_cap,
                        count: g.count,
                        total_cap,
                    },
                    // No bound before the items are read: run metered.
                    u64::MAX,
                )
            }
            GrantAmount::Schedule(s) => {
                // One run is paid: the dearest bounds what it spends.
                let mut most = 0;
                let mut runs = Vec::with_capacity(s.runs.len());
                let mut tiers = Vec::new();
                for r in &s.runs {
                    let (bound, core, cap, mut cost) = self.single(&r.amount);
                    let mut items = Vec::with_capacity(r.tiers.len());
                    for (t, item) in clause.tiers.iter().zip(&r.tiers) {
                        let tc = self.cond(t);
                        let c = self.core(item);
                        cost += self.cond_cost(tc) + self.flat.core_cost(c);
                        items.push((tc, c));
                    }
                    most = most.max(cost);
                    runs.push((r.years, bound, core, cap));
                    tiers.push(items);
                }
                if !s.tiered() {
                    tiers.clear();
                }
                let cumulative = s
                    .cumulative
                    .as_ref()
                    .map(|c| (self.expr(&c.cap), c.received));
                let this_year = s.cumulative.as_ref().is_some_and(|c| c.this_year);
                if let Some((cap, _)) = cumulative {
                    most += self.flat.num_cost(cap);
                }
                (
                    Amount::Schedule {
                        event: s.event,
                        runs,
                        tiers,
                        cumulative,
                        this_year,
                    },
                    most,
                )
            }
        }
    }

    fn clause(
        &mut self,
        policy: usize,
        index: usize,
        pdef: &'p program::PolicyDef,
        def: &'p ClauseDef,
        scope: Option<CondId>,
    ) -> Clause<'p> {
        let (window, window_note) = in_force(self.flat.date, def.window.or(pdef.window));
        let cond = self.cond(&def.cond);
        let tests = self.tests(cond);
        let mut cost = Cost {
            scope: scope.map_or(0, |s| self.cond_cost(s)),
            cond: self.cond_cost(cond),
            ..Cost::default()
        };
        let (kind, action, amount_most) = match &def.action {
            program::Action::Grant {
                amount, cumulative, ..
            } => {
                let (a, most) = self.amount(def, amount, cumulative.as_ref());
                (ClauseKind::Grant, Action::Grant(a), most)
            }
            program::Action::Exempt(_) => (ClauseKind::Exemption, Action::Exempt, 0),
            program::Action::Prohibit(c) => {
                let c = self.cond(c);
                cost.conduct = self.cond_cost(c);
                (ClauseKind::Prohibition, Action::Prohibit(c), 0)
            }
            program::Action::Oblige(c) => {
                let c = self.cond(c);
                cost.conduct = self.cond_cost(c);
                (ClauseKind::Obligation, Action::Oblige(c), 0)
            }
            program::Action::Permit(_) => (ClauseKind::Permission, Action::Permit, 0),
        };
        cost.most = (cost.scope + cost.cond + cost.conduct).saturating_add(amount_most);
        let apply = def.application_window(pdef).map(|w| match w {
            WindowDef::Dates(s, e) => ApplyWindow {
                start: Some(s),
                end: e,
                known: true,
            },
            WindowDef::Unpublished { start, end } => ApplyWindow {
                start,
                end,
                known: false,
            },
        });
        let schedule = matches!(action, Action::Grant(Amount::Schedule { .. }));
        Clause {
            policy,
            index,
            kind,
            def,
            window,
            window_note,
            cond,
            tests,
            schedule,
            guard: self.guard(tests, schedule),
            scope_safe: scope.is_none_or(|s| self.flat.infallible.get(s as usize) == Some(&true)),
            action,
            apply,
            cost,
        }
    }

    /// The same-matter groups, within each policy and across policies, in
    /// the order the overlap rules visit them.
    fn matters(&mut self) {
        let mut named: Vec<(usize, &'p str, usize)> = Vec::new();
        for (at, c) in self.flat.clauses.iter().enumerate() {
            if c.kind == ClauseKind::Grant
                && c.window != Tri::No
                && let Some(m) = c.def.stacking_matter()
            {
                named.push((c.policy, m, at));
            }
        }
        named.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        let mut names: Vec<&'p str> = Vec::new();
        for group in named.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
            if let Some(first) = group.first() {
                names.push(first.1);
                self.flat.matter_of.resize(self.flat.clauses.len(), None);
                let m = len32(self.flat.matters.len());
                for g in group {
                    if let Some(slot) = self.flat.matter_of.get_mut(g.2) {
                        *slot = Some(m);
                    }
                }
                self.flat.matters.push(Matter {
                    clauses: group.iter().map(|g| g.2).collect(),
                });
            }
        }
        let mut order: Vec<usize> = (0..names.len()).collect();
        order.sort_by(|a, b| names.get(*a).cmp(&names.get(*b)));
        for group in order.chunk_by(|a, b| names.get(*a) == names.get(*b)) {
            if group.len() > 1 {
                self.flat.across.push(group.to_vec());
            }
        }
    }
}
