//! Conditions: three-valued (Kleene), every part evaluated so that errors
//! and missing facts do not depend on the order of 且/或.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::Eval;
use crate::ast::CmpOp;
use crate::eval::error::Fault;
use crate::eval::flat::{CondId, CondNode, Leaf, Lit, Run, Test, Tests};
use crate::eval::{Tri, tri};
use crate::program::{Cond, FactId, RunOfYears, Value, run_of_years};

/// A value read at run time, borrowed where it is stored; numbers of
/// every kind are exact decimals (the checker proved the kinds agree).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum V<'a> {
    /// Money, ratio, quantity or number.
    Num(Decimal),
    /// A date.
    Date(NaiveDate),
    /// Yes/no.
    Bool(bool),
    /// A text.
    Text(&'a str),
    /// An enumeration value's index.
    Enum(usize),
}

/// The run-time form of a stored value.
#[inline]
pub(crate) fn v_of(v: &Value) -> V<'_> {
    match v {
        Value::Money(m) | Value::Foreign(m, _) => V::Num(m.0),
        Value::Ratio(r) => V::Num(r.0),
        Value::Number(n) | Value::Quantity(n) => V::Num(*n),
        Value::Date(d) => V::Date(*d),
        Value::Bool(b) => V::Bool(*b),
        Value::Text(t) => V::Text(t),
        Value::Enum(i) => V::Enum(*i),
        Value::Rank(r) => V::Num(Decimal::from(*r)),
        // Never read as a value: the checker refuses a list anywhere but
        // after 每项, which reads its items one by one.
        Value::List(_) => V::Text(""),
    }
}

/// One comparison of two known values.
#[inline]
pub(crate) fn compare(l: V<'_>, op: CmpOp, r: V<'_>) -> bool {
    let ord = match (l, r) {
        _ if matches!(op, CmpOp::Eq) => return l == r,
        _ if matches!(op, CmpOp::Ne) => return l != r,
        (V::Num(a), V::Num(b)) => a.cmp(&b),
        (V::Date(a), V::Date(b)) => a.cmp(&b),
        (V::Enum(a), V::Enum(b)) => a.cmp(&b),
        _ => return false,
    };
    ordered(op, ord)
}

/// Whether amount `m` stands in `op` to threshold `n`: a [`Test::Cmp`]'s
/// common case, read the same way by the tests and by a clause's guard.
#[inline(always)]
pub(super) fn amount_holds(m: &crate::num::Money, op: CmpOp, n: &crate::num::Threshold) -> bool {
    ordered(op, n.cmp_from(m.0))
}

/// Whether `op` holds between two values in order `ord` (equality of
/// numbers, dates and enumeration values is their order's).
#[inline(always)]
fn ordered(op: CmpOp, ord: std::cmp::Ordering) -> bool {
    match op {
        CmpOp::Ge => ord.is_ge(),
        CmpOp::Gt => ord.is_gt(),
        CmpOp::Le => ord.is_le(),
        CmpOp::Lt => ord.is_lt(),
        CmpOp::Eq => ord.is_eq(),
        CmpOp::Ne => ord.is_ne(),
    }
}

/// Folds one right-hand side into a comparison: = holds when any is
/// equal, every other operator when all comparisons hold; a missing side
/// leaves it open.
#[inline(always)]
fn fold(op: CmpOp, l: Option<V<'_>>, r: Option<V<'_>>, holds: &mut bool, known: &mut bool) {
    match (l, r) {
        (Some(l), Some(r)) if op == CmpOp::Eq => *holds |= compare(l, op, r),
        (Some(l), Some(r)) => *holds &= compare(l, op, r),
        _ => *known = false,
    }
}

fn not(t: Tri) -> Tri {
    match t {
        Tri::Yes => Tri::No,
        Tri::No => Tri::Yes,
        Tri::Unknown => Tri::Unknown,
    }
}

impl<'r> Eval<'r, '_> {
    /// A fact's stored value, `None` when missing.
    #[inline(always)]
    pub(crate) fn stored(&self, id: FactId) -> Option<&'r Value> {
        self.facts.get(id).and_then(Option::as_ref)
    }

    /// Evaluates condition `id`; when collecting, missing facts that left
    /// it open go into `missing` and the reasoning into the trace.
    pub(crate) fn cond<const M: bool, const C: bool>(
        &mut self,
        id: CondId,
        depth: usize,
    ) -> Result<Tri, Fault> {
        if !M && !C {
            return self.quick(id);
        }
        let flat = self.flat;
        let at = id as usize;
        // Ids come from the compiler, so the node is always there.
        let (Some(&node), Some(&(loc, _))) = (flat.conds.get(at), flat.cond_src.get(at)) else {
            return Ok(Tri::Unknown);
        };
        self.step::<M>(loc)?;
        match node {
            CondNode::True => Ok(Tri::Yes),
            CondNode::Bool(f) => {
                let r = match self.stored(f) {
                    Some(Value::Bool(b)) => tri(*b),
                    _ => {
                        self.miss::<C>(f);
                        Tri::Unknown
                    }
                };
                self.trace_leaf::<C>(id, depth, r, &[f]);
                Ok(r)
            }
            CondNode::EnumIs(f, want) => {
                let r = match self.stored(f) {
                    Some(Value::Enum(v)) => tri(*v == want),
                    _ => {
                        self.miss::<C>(f);
                        Tri::Unknown
                    }
                };
                self.trace_leaf::<C>(id, depth, r, &[f]);
                Ok(r)
            }
            CondNode::Consecutive { event, years, fact } => {
                let run = self.run_of_years(event, years, fact);
                match run {
                    RunOfYears::NoEvent => self.miss::<C>(event),
                    RunOfYears::Missing => self.miss::<C>(fact),
                    RunOfYears::Held | RunOfYears::Broken | RunOfYears::NotYet => {}
                }
                let r = truth(run);
                if C && self.tracing {
                    let loc = self.flat.cond_src.get(id as usize).map(|s| s.0);
                    let from = match self.stored(event) {
                        Some(Value::Date(d)) => Some((*d, years)),
                        _ => None,
                    };
                    self.trace.run_of_years(
                        depth,
                        loc.unwrap_or_default(),
                        r,
                        &[event, fact],
                        from,
                    );
                }
                Ok(r)
            }
            CondNode::CmpLeaf { lhs, op, rhs } => self.cmp_leaf::<M, C>(id, lhs, op, rhs, depth),
            CondNode::Cmp { lhs, op, rhs } => self.cmp::<M, C>(id, lhs, op, rhs, depth),
            CondNode::And(items, _) => self.junction::<M, C>(id, items, true, depth),
            CondNode::Or(items, _) => self.junction::<M, C>(id, items, false, depth),
            CondNode::Not(inner) => {
                let open = self.open::<C>(depth, id);
                let r = not(self.cond::<M, C>(inner, depth + 1)?);
                self.close::<C>(open, r);
                Ok(r)
            }
            CondNode::Named { body, .. } => {
                let open = self.open::<C>(depth, id);
                let r = self.cond::<M, C>(body, depth + 1)?;
                self.close::<C>(open, r);
                Ok(r)
            }
        }
    }

    /// [`Eval::cond`] neither metered nor collecting, the path of a
    /// register's rows: with no step, missing fact or trace to record,
    /// leaves are decided without a `Result` and the source table is
    /// never read. It decides, and fails, exactly as the general path.
    fn quick(&mut self, id: CondId) -> Result<Tri, Fault> {
        let Some(&node) = self.flat.conds.get(id as usize) else {
            return Ok(Tri::Unknown);
        };
        if let Some(t) = self.quick_leaf(node) {
            return Ok(t);
        }
        Ok(match node {
            CondNode::Cmp { lhs, op, rhs } => return self.cmp::<false, false>(id, lhs, op, rhs, 0),
            CondNode::And(items, safe) => return self.quick_junction(items, safe, true),
            CondNode::Or(items, safe) => return self.quick_junction(items, safe, false),
            CondNode::Not(inner) => not(self.quick(inner)?),
            CondNode::Named { def, body } => {
                // Computed once per entity: every use has the same body.
                let slot = def as usize;
                if let Some(Some(t)) = self.memo.cond.get(slot) {
                    return Ok(*t);
                }
                let r = self.quick(body)?;
                if let Some(m) = self.memo.cond.get_mut(slot) {
                    *m = Some(r);
                }
                r
            }
            // Leaves, decided above.
            CondNode::True
            | CondNode::Bool(_)
            | CondNode::EnumIs(..)
            | CondNode::CmpLeaf { .. }
            | CondNode::Consecutive { .. } => Tri::Unknown,
        })
    }

    /// A leaf on the quick path, decided in place (`None`: not a leaf).
    /// Leaves never fail, so the items of a 且/或 that are leaves need no
    /// call of their own.
    #[inline(always)]
    fn quick_leaf(&self, node: CondNode) -> Option<Tri> {
        Some(match node {
            CondNode::True => Tri::Yes,
            CondNode::Bool(f) => match self.stored(f) {
                Some(Value::Bool(b)) => tri(*b),
                _ => Tri::Unknown,
            },
            CondNode::EnumIs(f, want) => match self.stored(f) {
                Some(Value::Enum(v)) => tri(*v == want),
                _ => Tri::Unknown,
            },
            CondNode::CmpLeaf { lhs, op, rhs } => self.quick_cmp(lhs, op, rhs),
            CondNode::Consecutive { event, years, fact } => {
                truth(self.run_of_years(event, years, fact))
            }
            _ => return None,
        })
    }

    /// `自 event 起 连续years年 fact` for this entity on the evaluation
    /// date, the fact read year by year.
    fn run_of_years(&self, event: FactId, years: u32, fact: FactId) -> RunOfYears {
        let table = self
            .years
            .binary_search_by_key(&fact, |y| y.0)
            .ok()
            .and_then(|at| self.years.get(at));
        run_of_years(self.stored(event), years, self.flat.date, |y| match table {
            Some((_, t)) => t.get(y),
            None => self.stored(fact),
        })
    }

    /// A leaf comparison on the quick path: a missing left side leaves it
    /// open whatever the right sides are.
    #[inline(always)]
    fn quick_cmp(&self, lhs: Leaf, op: CmpOp, rhs: Run) -> Tri {
        let Some(l) = self.value_of(lhs) else {
            return Tri::Unknown;
        };
        let mut holds = op != CmpOp::Eq;
        let mut known = true;
        for &(r, _) in self.flat.leaves.get(rhs.range()).unwrap_or_default() {
            fold(op, Some(l), self.value_of(r), &mut holds, &mut known);
        }
        if known { tri(holds) } else { Tri::Unknown }
    }

    /// A leaf's value, nothing recorded.
    #[inline(always)]
    fn value_of(&self, leaf: Leaf) -> Option<V<'r>> {
        match leaf {
            Leaf::Lit(k) => self.flat.consts.get(k as usize).map(v_of),
            Leaf::Fact(f) => self.stored(f).map(v_of),
        }
    }

    /// 且 (`all`) or 或 on the quick path: as [`Eval::junction`], the
    /// items after the decisive one are skipped only when none of them
    /// can fail.
    fn quick_junction(&mut self, items: Run, safe: u32, all: bool) -> Result<Tri, Fault> {
        let (decisive, other) = if all {
            (Tri::No, Tri::Yes)
        } else {
            (Tri::Yes, Tri::No)
        };
        let mut result = other;
        let list = self.flat.list.get(items.range()).unwrap_or_default();
        for (k, &i) in list.iter().enumerate() {
            let leaf = self
                .flat
                .conds
                .get(i as usize)
                .and_then(|n| self.quick_leaf(*n));
            let r = match leaf {
                Some(t) => t,
                None => self.quick(i)?,
            };
            match r {
                r if r == decisive => {
                    result = decisive;
                    // Decided, and nothing after can fail: the rest would
                    // change nothing (their steps are charged with the
                    // clause's).
                    if k as u64 >= u64::from(safe).saturating_sub(1) {
                        break;
                    }
                }
                Tri::Unknown if result != decisive => result = Tri::Unknown,
                _ => {}
            }
        }
        Ok(result)
    }

    /// A condition read as a list of tests, on the quick path: decides,
    /// and fails, exactly as [`Eval::quick`] on the condition itself (a
    /// 且's items after the decisive one are skipped only when none of
    /// them can fail).
    #[inline(always)]
    pub(crate) fn tests(&mut self, tests: Tests) -> Result<Tri, Fault> {
        let mut result = Tri::Yes;
        let list = self.flat.tests.get(tests.run.range()).unwrap_or_default();
        for (k, &t) in list.iter().enumerate() {
            let r = match t {
                Test::Bool(f) => match self.stored(f) {
                    Some(Value::Bool(b)) => tri(*b),
                    _ => Tri::Unknown,
                },
                Test::EnumIs(f, want) => match self.stored(f) {
                    Some(Value::Enum(v)) => tri(*v == want),
                    _ => Tri::Unknown,
                },
                Test::Cmp { fact, op, lit } => match (self.stored(fact), lit) {
                    (None, _) => Tri::Unknown,
                    // The common case, an amount against a threshold, without
                    // unpacking either side.
                    (Some(Value::Money(m)), Lit::Num(n)) => tri(amount_holds(m, op, &n)),
                    (Some(Value::Enum(v)), Lit::Enum(e)) => tri(ordered(op, v.cmp(&e))),
                    (Some(v), _) => {
                        let r = match lit {
                            Lit::Num(n) => V::Num(n.value()),
                            Lit::Date(d) => V::Date(d),
                            Lit::Enum(e) => V::Enum(e),
                        };
                        tri(compare(v_of(v), op, r))
                    }
                },
                Test::Named { def, body } => match self.memo.cond.get(def as usize) {
                    Some(Some(t)) => *t,
                    _ => {
                        let r = self.quick(body)?;
                        if let Some(m) = self.memo.cond.get_mut(def as usize) {
                            *m = Some(r);
                        }
                        r
                    }
                },
                Test::Node(i) => self.quick(i)?,
            };
            match r {
                Tri::No => {
                    result = Tri::No;
                    if k as u64 >= u64::from(tests.safe).saturating_sub(1) {
                        break;
                    }
                }
                Tri::Unknown if result != Tri::No => result = Tri::Unknown,
                _ => {}
            }
        }
        Ok(result)
    }

    /// A policy's 适用, computed once per entity when not collecting.
    pub(crate) fn scope<const M: bool, const C: bool>(
        &mut self,
        policy: usize,
        scope: CondId,
        tests: Tests,
    ) -> Result<Tri, Fault> {
        if !M && !C {
            if let Some(Some(t)) = self.memo.scope.get(policy) {
                return Ok(*t);
            }
            let r = self.tests(tests)?;
            if let Some(m) = self.memo.scope.get_mut(policy) {
                *m = Some(r);
            }
            return Ok(r);
        }
        self.cond::<M, C>(scope, 0)
    }

    /// A leaf's value as stored, or `None` (and the fact missing).
    #[inline(always)]
    fn leaf<const C: bool>(&mut self, leaf: Leaf) -> Option<V<'r>> {
        match leaf {
            Leaf::Lit(k) => self.flat.consts.get(k as usize).map(v_of),
            Leaf::Fact(f) => match self.stored(f) {
                Some(v) => Some(v_of(v)),
                None => {
                    self.miss::<C>(f);
                    None
                }
            },
        }
    }

    /// A comparison of facts and literals, read where they are stored.
    fn cmp_leaf<const M: bool, const C: bool>(
        &mut self,
        id: CondId,
        lhs: Leaf,
        op: CmpOp,
        rhs: Run,
        depth: usize,
    ) -> Result<Tri, Fault> {
        let flat = self.flat;
        let start = self.mark::<C>();
        let mut holds = op != CmpOp::Eq;
        if M {
            let loc = flat.cond_src.get(id as usize).map(|s| lhs_loc(s.1));
            self.step::<M>(loc.unwrap_or_default())?;
        }
        let l = self.leaf::<C>(lhs);
        let mut known = l.is_some();
        for &(r, loc) in flat.leaves.get(rhs.range()).unwrap_or_default() {
            self.step::<M>(loc)?;
            let r = self.leaf::<C>(r);
            fold(op, l, r, &mut holds, &mut known);
        }
        Ok(self.compared::<C>(id, known, holds, start, depth))
    }

    /// Any other comparison: every side evaluated.
    fn cmp<const M: bool, const C: bool>(
        &mut self,
        id: CondId,
        lhs: u32,
        op: CmpOp,
        rhs: Run,
        depth: usize,
    ) -> Result<Tri, Fault> {
        let flat = self.flat;
        let start = self.mark::<C>();
        let mut holds = op != CmpOp::Eq;
        let l = self.value::<M, C>(lhs)?;
        let mut known = l.is_some();
        for &r in flat.list.get(rhs.range()).unwrap_or_default() {
            let r = self.value::<M, C>(r)?;
            fold(op, l, r, &mut holds, &mut known);
        }
        Ok(self.compared::<C>(id, known, holds, start, depth))
    }

    /// A comparison's result: = holds when any right side is equal, every
    /// other operator when all comparisons hold; open when a side is.
    #[inline(always)]
    fn compared<const C: bool>(
        &mut self,
        id: CondId,
        known: bool,
        holds: bool,
        start: usize,
        depth: usize,
    ) -> Tri {
        let result = if known { tri(holds) } else { Tri::Unknown };
        if C {
            if self.tracing {
                self.trace_comparison(id, depth, result);
            }
            if result != Tri::Unknown {
                self.missing.truncate(start);
            }
        }
        result
    }

    fn junction<const M: bool, const C: bool>(
        &mut self,
        id: CondId,
        items: Run,
        all: bool,
        depth: usize,
    ) -> Result<Tri, Fault> {
        let flat = self.flat;
        let open = self.open::<C>(depth, id);
        let (decisive, other) = if all {
            (Tri::No, Tri::Yes)
        } else {
            (Tri::Yes, Tri::No)
        };
        // The missing facts of the items still open stay, in order; those
        // of the other items are taken back as soon as each is decided,
        // and all of them when the junction is decided.
        let start = self.mark::<C>();
        let mut result = other;
        for &i in flat.list.get(items.range()).unwrap_or_default() {
            let item_start = self.mark::<C>();
            match self.cond::<M, C>(i, depth + 1)? {
                r if r == decisive => {
                    result = decisive;
                    self.unmiss::<C>(item_start);
                }
                Tri::Unknown => {
                    if result != decisive {
                        result = Tri::Unknown;
                    }
                }
                _ => self.unmiss::<C>(item_start),
            }
        }
        if result != Tri::Unknown {
            self.unmiss::<C>(start);
        }
        self.close::<C>(open, result);
        Ok(result)
    }

    #[inline(always)]
    fn trace_leaf<const C: bool>(&mut self, id: CondId, depth: usize, r: Tri, facts: &[FactId]) {
        if C && self.tracing {
            let loc = self.flat.cond_src.get(id as usize).map(|s| s.0);
            self.trace.leaf(depth, loc.unwrap_or_default(), r, facts);
        }
    }

    #[cold]
    #[inline(never)]
    fn trace_comparison(&mut self, id: CondId, depth: usize, result: Tri) {
        let Some(&(loc, src)) = self.flat.cond_src.get(id as usize) else {
            return;
        };
        let mut read = Vec::new();
        if let Cond::Cmp { lhs, rhs, .. } = src {
            crate::eval::collect_facts(lhs, &mut read);
            for r in rhs {
                crate::eval::collect_facts(r, &mut read);
            }
        }
        self.trace.leaf(depth, loc, result, &read);
    }

    #[inline(always)]
    fn open<const C: bool>(&mut self, depth: usize, id: CondId) -> Option<usize> {
        if C && self.tracing {
            let loc = self.flat.cond_src.get(id as usize).map(|s| s.0);
            return self.trace.open(depth, loc.unwrap_or_default());
        }
        None
    }

    #[inline(always)]
    fn close<const C: bool>(&mut self, at: Option<usize>, r: Tri) {
        if C {
            self.trace.close(at, r);
        }
    }
}

/// Where a comparison's left side was written.
fn lhs_loc(c: &Cond) -> crate::program::Loc {
    match c {
        Cond::Cmp { lhs, .. } => lhs.loc(),
        _ => crate::eval::cond_loc(c),
    }
}

/// The truth of `自 … 起 连续N年 …`: not yet complete is 否, not unknown.
fn truth(run: RunOfYears) -> Tri {
    match run {
        RunOfYears::Held => Tri::Yes,
        RunOfYears::Broken | RunOfYears::NotYet => Tri::No,
        RunOfYears::NoEvent | RunOfYears::Missing => Tri::Unknown,
    }
}
