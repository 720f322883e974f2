//! Conditions: three-valued (Kleene), every part evaluated so that errors
//! and missing facts do not depend on the order of 且/或.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::Eval;
use crate::ast::CmpOp;
use crate::eval::error::Fault;
use crate::eval::flat::{CondId, CondNode, Leaf, Run};
use crate::eval::{Tri, tri};
use crate::program::{Cond, FactId, Value};

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
    match op {
        CmpOp::Ge => ord.is_ge(),
        CmpOp::Gt => ord.is_gt(),
        CmpOp::Le => ord.is_le(),
        CmpOp::Lt => ord.is_lt(),
        CmpOp::Eq | CmpOp::Ne => false,
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
            CondNode::CmpLeaf { lhs, op, rhs } => self.cmp_leaf::<M, C>(id, lhs, op, rhs, depth),
            CondNode::Cmp { lhs, op, rhs } => self.cmp::<M, C>(id, lhs, op, rhs, depth),
            CondNode::And(items, safe) => self.junction::<M, C>(id, items, safe, true, depth),
            CondNode::Or(items, safe) => self.junction::<M, C>(id, items, safe, false, depth),
            CondNode::Not(inner) => {
                let open = self.open::<C>(depth, id);
                let r = not(self.cond::<M, C>(inner, depth + 1)?);
                self.close::<C>(open, r);
                Ok(r)
            }
            CondNode::Named { def, body } => {
                if !M && !C {
                    // Computed once per entity: every use has the same body.
                    let slot = def as usize;
                    if let Some(Some(t)) = self.memo_cond.get(slot) {
                        return Ok(*t);
                    }
                    let r = self.cond::<M, C>(body, depth + 1)?;
                    if let Some(m) = self.memo_cond.get_mut(slot) {
                        *m = Some(r);
                    }
                    return Ok(r);
                }
                let open = self.open::<C>(depth, id);
                let r = self.cond::<M, C>(body, depth + 1)?;
                self.close::<C>(open, r);
                Ok(r)
            }
        }
    }

    /// A policy's 适用, computed once per entity when not collecting.
    pub(crate) fn scope<const M: bool, const C: bool>(
        &mut self,
        policy: usize,
        scope: CondId,
    ) -> Result<Tri, Fault> {
        if !M && !C {
            if let Some(Some(t)) = self.memo_scope.get(policy) {
                return Ok(*t);
            }
            let r = self.cond::<M, C>(scope, 0)?;
            if let Some(m) = self.memo_scope.get_mut(policy) {
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
        safe: u32,
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
        for (k, &i) in flat
            .list
            .get(items.range())
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let item_start = self.mark::<C>();
            match self.cond::<M, C>(i, depth + 1)? {
                r if r == decisive => {
                    result = decisive;
                    self.unmiss::<C>(item_start);
                    // Decided, and nothing after can fail: when nothing is
                    // metered or collected, the rest would change nothing
                    // (their steps are charged with the clause's).
                    if !M && !C && k as u64 >= u64::from(safe).saturating_sub(1) {
                        break;
                    }
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
