//! Expressions: exact decimals, checked arithmetic, and the derivation
//! steps an amount records when asked.

use rust_decimal::Decimal;

use super::cond::{V, v_of};
use super::{Eval, Memo};
use crate::ast::{ArithOp, Func};
use crate::eval::derive;
use crate::eval::error::{Fault, FaultKind};
use crate::eval::flat::{ExprId, ExprNode, Run};
use crate::program::{Expr, Loc};

/// A stored value as a number, as [`Eval::num`] reads it through `value`.
#[inline(always)]
pub(crate) fn num_of(v: &crate::program::Value) -> Option<Decimal> {
    match v_of(v) {
        V::Num(n) => Some(n),
        _ => None,
    }
}

impl<'r> Eval<'r, '_> {
    fn src(&self, e: ExprId) -> Option<&'r Expr> {
        let flat: &'r crate::eval::flat::Flat<'_> = self.flat;
        flat.expr_src.get(e as usize).copied()
    }

    fn loc(&self, e: ExprId) -> Loc {
        self.src(e).map(Expr::loc).unwrap_or_default()
    }

    /// A run-time value; `None` when a fact it reads is missing.
    pub(crate) fn value<const M: bool, const C: bool>(
        &mut self,
        e: ExprId,
    ) -> Result<Option<V<'r>>, Fault> {
        let flat = self.flat;
        let Some(&node) = flat.exprs.get(e as usize) else {
            return Ok(None);
        };
        if M {
            self.step::<M>(self.loc(e))?;
        }
        match node {
            ExprNode::Lit(k) => Ok(flat.consts.get(k as usize).map(v_of)),
            ExprNode::Fact(f) => match self.stored(f) {
                Some(v) => Ok(Some(v_of(v))),
                None => {
                    self.miss::<C>(f);
                    Ok(None)
                }
            },
            ExprNode::Param(p) => self.param::<C>(e, p),
            ExprNode::Named { def, body } => {
                if !M && !C {
                    if let Some(Memo::Num(n)) = self.memo.expr.get(def as usize) {
                        return Ok(n.map(V::Num));
                    }
                    let v = self.value::<M, C>(body)?;
                    // Only numbers are kept: a defined amount is one.
                    let memo = match v {
                        Some(V::Num(n)) => Some(Memo::Num(Some(n))),
                        None => Some(Memo::Num(None)),
                        Some(_) => None,
                    };
                    if let (Some(m), Some(memo)) = (self.memo.expr.get_mut(def as usize), memo) {
                        *m = memo;
                    }
                    return Ok(v);
                }
                let v = self.value::<M, C>(body)?;
                if C && self.record
                    && let (Some(V::Num(n)), Some(src), Some(b)) = (v, self.src(e), self.src(body))
                    && let Expr::Named { name, .. } = src
                {
                    let kind = derive::kind_of(flat.program, b);
                    self.note(format!("{name} = {}", derive::show(&kind, n)));
                }
                Ok(v)
            }
            ExprNode::Shift {
                base,
                n,
                unit,
                back,
            } => self.shift::<M, C>(e, base, (n, unit, back)),
            _ => Ok(self.num::<M, C>(e)?.map(V::Num)),
        }
    }

    /// `base 后 n unit`: `None` when the date is missing.
    fn shift<const M: bool, const C: bool>(
        &mut self,
        e: ExprId,
        base: ExprId,
        (n, unit, back): (u32, crate::program::TimeUnit, bool),
    ) -> Result<Option<V<'r>>, Fault> {
        // Two steps like every computed node (`push_expr`'s count).
        if M {
            self.step::<M>(self.loc(e))?;
        }
        let Some(V::Date(d)) = self.value::<M, C>(base)? else {
            return Ok(None);
        };
        let out = crate::program::shift_date(d, n, unit, back).map_err(|err| match err {
            crate::program::ShiftError::Calendar(u) => {
                self.fault(FaultKind::CalendarUnknown { date: u.date }, e)
            }
            crate::program::ShiftError::Overflow => self.fault(FaultKind::Overflow, e),
        })?;
        if self.recording::<C>()
            && let Some(src) = self.src(base)
        {
            let text = crate::program::shift_text(self.flat.program, src, d, n, unit, back, out);
            self.note(text);
        }
        if C && self.tracing {
            self.trace.computed(self.loc(e), out);
        }
        Ok(Some(V::Date(out)))
    }

    fn param<const C: bool>(
        &mut self,
        e: ExprId,
        p: Option<(chrono::NaiveDate, u32)>,
    ) -> Result<Option<V<'r>>, Fault> {
        let flat = self.flat;
        let src = self.src(e);
        let def = match src {
            Some(Expr::Param(pid, _)) => flat.program.params.get(*pid),
            _ => None,
        };
        match p.and_then(|(since, k)| flat.consts.get(k as usize).map(|v| (since, v))) {
            Some((since, v)) => {
                if C && self.record
                    && let Some(d) = def
                {
                    self.note(format!(
                        "{} 自{} {}",
                        d.name,
                        since.format("%Y年%-m月%-d日"),
                        derive::show_value(&d.kind, v)
                    ));
                }
                Ok(Some(v_of(v)))
            }
            None => Err(Fault::new(
                FaultKind::ParamUndefined {
                    param: def.map(|d| d.name.clone()).unwrap_or_default(),
                    date: flat.date,
                },
                self.loc(e),
            )),
        }
    }

    /// An exact number; `None` when a fact it reads is missing.
    #[inline(always)]
    pub(crate) fn num<const M: bool, const C: bool>(
        &mut self,
        e: ExprId,
    ) -> Result<Option<Decimal>, Fault> {
        if !M && !C {
            // The operands of most amounts, read in place: with nothing
            // to record or charge, a literal or a fact needs no call.
            let flat = self.flat;
            match flat.exprs.get(e as usize) {
                Some(&ExprNode::Lit(k)) => {
                    return Ok(flat.consts.get(k as usize).and_then(num_of));
                }
                Some(&ExprNode::Fact(f)) => return Ok(self.stored(f).and_then(num_of)),
                _ => {}
            }
        }
        self.num_node::<M, C>(e)
    }

    /// [`Eval::num`] of any node.
    fn num_node<const M: bool, const C: bool>(
        &mut self,
        e: ExprId,
    ) -> Result<Option<Decimal>, Fault> {
        let flat = self.flat;
        let Some(&node) = flat.exprs.get(e as usize) else {
            return Ok(None);
        };
        if M {
            self.step::<M>(self.loc(e))?;
        }
        match node {
            ExprNode::Lit(_)
            | ExprNode::Fact(_)
            | ExprNode::Param(_)
            | ExprNode::Named { .. }
            | ExprNode::Shift { .. } => Ok(match self.value::<M, C>(e)? {
                Some(V::Num(n)) => Some(n),
                _ => None,
            }),
            ExprNode::Arith { first, rest } => self.arith_num::<M, C>(e, first, rest),
            ExprNode::Of { base, cap, shares } => self.of_num::<M, C>(e, base, cap, shares),
            ExprNode::Call { func, args } => self.call_num::<M, C>(e, func, args),
            ExprNode::Band {
                subject,
                above,
                bound,
                rate,
            } => self.band_num::<M, C>(e, [subject, bound, rate], above),
        }
    }

    /// Whether derivation steps are recorded now.
    #[inline(always)]
    fn recording<const C: bool>(&self) -> bool {
        C && self.record
    }

    /// An operand in words (only while recording).
    fn operand(&self, e: ExprId, v: Decimal) -> String {
        match self.src(e) {
            Some(src) => derive::operand(self.flat.program, src, v),
            None => String::new(),
        }
    }

    /// The first operand of a computation, whether steps are recorded,
    /// and the derivation's text so far (empty when not recording).
    #[inline(always)]
    fn leading<const M: bool, const C: bool>(
        &mut self,
        first: ExprId,
    ) -> Result<(Option<Decimal>, bool, String), Fault> {
        let acc = self.num::<M, C>(first)?;
        let record = self.recording::<C>();
        let text = match acc {
            Some(a) if record => self.operand(first, a),
            _ => String::new(),
        };
        Ok((acc, record, text))
    }

    /// `a + b − c …`, left to right.
    fn arith_num<const M: bool, const C: bool>(
        &mut self,
        e: ExprId,
        first: ExprId,
        rest: Run,
    ) -> Result<Option<Decimal>, Fault> {
        let flat = self.flat;
        let (mut acc, record, mut text) = self.leading::<M, C>(first)?;
        for &(op, operand) in flat.ops.get(rest.range()).unwrap_or_default() {
            let v = self.num::<M, C>(operand)?;
            if let (true, Some(b)) = (record, v) {
                text.push_str(&format!(
                    " {} {}",
                    derive::op_sign(op),
                    self.operand(operand, b)
                ));
            }
            acc = match (acc, v) {
                (Some(a), Some(b)) => Some(self.arith(op, a, b, e)?),
                _ => None,
            };
        }
        if let (true, Some(r)) = (record, acc) {
            self.note_result(text, e, r);
        }
        Ok(acc)
    }

    /// `X 最高 C 的 P …`: the base, capped, times each share.
    fn of_num<const M: bool, const C: bool>(
        &mut self,
        e: ExprId,
        base: ExprId,
        cap: Option<ExprId>,
        shares: Run,
    ) -> Result<Option<Decimal>, Fault> {
        let flat = self.flat;
        let (mut acc, record, mut text) = self.leading::<M, C>(base)?;
        if let Some(cap) = cap {
            let c = self.num::<M, C>(cap)?;
            if let (true, Some(a), Some(c), Some(b)) = (record, acc, c, self.src(base)) {
                let kind = derive::kind_of(flat.program, b);
                let c_s = derive::show(&kind, c);
                self.note(if a > c {
                    format!("{text} 超过基数上限 {c_s}，按 {c_s} 计")
                } else {
                    format!("{text} 未超过基数上限 {c_s}")
                });
                text = derive::show(&kind, a.min(c));
            }
            acc = match (acc, c) {
                (Some(a), Some(c)) => Some(a.min(c)),
                _ => None,
            };
        }
        let items = flat.list.get(shares.range()).unwrap_or_default();
        for &s in items {
            let v = self.num::<M, C>(s)?;
            if let (true, Some(b)) = (record, v) {
                text.push_str(&format!(" × {}", self.operand(s, b)));
            }
            acc = match (acc, v) {
                (Some(a), Some(b)) => Some(self.arith(ArithOp::Mul, a, b, e)?),
                _ => None,
            };
        }
        if let (true, Some(r), false) = (record, acc, items.is_empty()) {
            self.note_result(text, e, r);
        }
        Ok(acc)
    }

    /// 较高者 / 较低者: unknown when any argument is.
    fn call_num<const M: bool, const C: bool>(
        &mut self,
        e: ExprId,
        func: Func,
        args: Run,
    ) -> Result<Option<Decimal>, Fault> {
        let flat = self.flat;
        let mut out: Option<Decimal> = None;
        let mut unknown = false;
        let record = self.recording::<C>();
        let mut parts = Vec::new();
        for &a in flat.list.get(args.range()).unwrap_or_default() {
            match self.num::<M, C>(a)? {
                Some(v) => {
                    if record {
                        parts.push(self.operand(a, v));
                    }
                    out = Some(match (out, func) {
                        (None, _) => v,
                        (Some(o), Func::Max) => o.max(v),
                        (Some(o), Func::Min) => o.min(v),
                    });
                }
                None => unknown = true,
            }
        }
        let out = if unknown { None } else { out };
        if let (true, Some(r)) = (record, out) {
            let text = format!("{}({})", derive::func_word(func), parts.join("，"));
            self.note_result(text, e, r);
        }
        Ok(out)
    }

    /// The part of the subject above (or up to) the bound, times the rate.
    fn band_num<const M: bool, const C: bool>(
        &mut self,
        e: ExprId,
        [subject, bound, rate]: [ExprId; 3],
        above: bool,
    ) -> Result<Option<Decimal>, Fault> {
        let s = self.num::<M, C>(subject)?;
        let b = self.num::<M, C>(bound)?;
        let r = self.num::<M, C>(rate)?;
        let (Some(s), Some(b), Some(r)) = (s, b, r) else {
            return Ok(None);
        };
        let part = if above {
            self.arith(ArithOp::Sub, s, b, e)?.max(Decimal::ZERO)
        } else {
            s.min(b).max(Decimal::ZERO)
        };
        let out = self.arith(ArithOp::Mul, part, r, e)?;
        if self.recording::<C>() {
            self.note_band(e, subject, above, rate, [s, b, r, part, out]);
        }
        Ok(Some(out))
    }

    /// How a band was worked out: subject `s`, bound `b`, rate `r`, the
    /// part the rate applies to and the result.
    #[cold]
    #[inline(never)]
    fn note_band(
        &mut self,
        e: ExprId,
        subject: ExprId,
        above: bool,
        rate: ExprId,
        v: [Decimal; 5],
    ) {
        let [s, b, r, part, out] = v;
        let Some(subject_src) = self.src(subject) else {
            return;
        };
        let kind = derive::kind_of(self.flat.program, subject_src);
        let subject_text = self.operand(subject, s);
        let (b_s, r_s) = (derive::show(&kind, b), self.operand(rate, r));
        let part_text = match (above, part.is_zero() && s != b) {
            (true, false) => format!("({subject_text} − {b_s}) × {r_s}"),
            (true, true) => format!("{subject_text} 未超过 {b_s}，超过部分为 0，× {r_s}"),
            (false, _) => format!("{subject_text} 中 {b_s} 以内的部分 × {r_s}"),
        };
        self.note_result(part_text, e, out);
    }

    /// Records `text = result`, the result shown in `e`'s kind.
    #[cold]
    #[inline(never)]
    fn note_result(&mut self, text: String, e: ExprId, r: Decimal) {
        let Some(src) = self.src(e) else { return };
        let kind = derive::kind_of(self.flat.program, src);
        self.note(format!("{text} = {}", derive::show(&kind, r)));
    }

    /// One exact, checked operation of expression `e` (an error names
    /// where `e` was written).
    #[inline]
    pub(crate) fn arith(
        &self,
        op: ArithOp,
        a: Decimal,
        b: Decimal,
        e: ExprId,
    ) -> Result<Decimal, Fault> {
        let r = match op {
            ArithOp::Add => a.checked_add(b),
            ArithOp::Sub => a.checked_sub(b),
            ArithOp::Mul => a.checked_mul(b),
            ArithOp::Div => {
                if b.is_zero() {
                    return Err(self.fault(FaultKind::DivisionByZero, e));
                }
                a.checked_div(b)
            }
        };
        r.ok_or_else(|| self.fault(FaultKind::Overflow, e))
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn fault(&self, kind: FaultKind, e: ExprId) -> Fault {
        Fault::new(kind, self.loc(e))
    }
}
