//! 每项: an amount for each item of a list fact. Each item that meets 其中
//! is paid its amount under 每项 最高, never below zero; under 最多 N项 only
//! the N paying the most count (of equal amounts the earlier); the grant is
//! the sum under 合计 最高. An item left open by a missing field leaves the
//! grant undecided, unless the items known already reach 合计 最高: the
//! open ones, never negative, cannot lower the sum below the cap.

use chrono::Datelike;
use rust_decimal::Decimal;

use super::{Eval, Memos, Slot};
use crate::eval::error::{Fault, FaultKind};
use crate::eval::flat::{CondId, ExprId};
use crate::eval::{AmountKind, ItemPay, Status, Tri};
use crate::num::Money;
use crate::program::{FactId, Value};

/// A compiled 每项 grant's parts.
pub(crate) struct Parts<'a> {
    pub(crate) list: FactId,
    pub(crate) fields: &'a [FactId],
    pub(crate) filter: Option<CondId>,
    pub(crate) amount: ExprId,
    pub(crate) each_cap: Option<ExprId>,
    pub(crate) count: Option<u32>,
    pub(crate) total_cap: Option<ExprId>,
}

/// One item read: whether it meets 其中, its amount, its cap.
type Read = (Tri, Option<Decimal>, Option<Option<Decimal>>);

impl Eval<'_, '_> {
    pub(crate) fn items<const M: bool, const C: bool>(
        &mut self,
        g: &Parts<'_>,
        slot: &mut Slot,
    ) -> Result<(), Fault> {
        self.items.clear();
        let list = match self.stored(g.list) {
            Some(Value::List(items)) => items.clone(),
            _ => {
                self.miss::<C>(g.list);
                slot.status = Status::Undecided;
                return Ok(());
            }
        };
        let name = self.flat.program.vocab.name(g.list).to_string();
        let loc = self
            .flat
            .expr_src
            .get(g.amount as usize)
            .map(|e| e.loc())
            .unwrap_or_default();
        let start = self.mark::<C>();
        let mut overlay = self.facts.to_vec();
        let mut sum = Decimal::ZERO;
        let mut open = false;
        for (i, item) in list.iter().enumerate() {
            for (&f, v) in g.fields.iter().zip(item) {
                if let Some(s) = overlay.get_mut(f) {
                    s.clone_from(v);
                }
            }
            let index = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let mark = self.mark::<C>();
            let (holds, v, cap) = self.item::<M, C>(&overlay, g)?;
            let mut own: Vec<FactId> = if C {
                self.missing.get(mark..).unwrap_or_default().to_vec()
            } else {
                Vec::new()
            };
            own.sort_unstable();
            own.dedup();
            let mut pay = ItemPay {
                index,
                status: Status::Undecided,
                amount: None,
                capped: false,
                counted: false,
                missing: Vec::new(),
            };
            match (holds, v, cap) {
                (Tri::No, ..) => {
                    self.unmiss::<C>(mark);
                    pay.status = Status::NotApplicable;
                    if C && self.record {
                        self.note(format!("{name}[{index}]：不符合其中的条件，不计"));
                    }
                }
                (Tri::Yes, Some(v), Some(c)) => {
                    self.unmiss::<C>(mark);
                    let capped = c.is_some_and(|c| v > c);
                    let paid = c.map_or(v, |c| v.min(c)).max(Decimal::ZERO);
                    // Under 最多 N项 the sum waits for the N to be chosen.
                    if g.count.is_none() {
                        sum = sum
                            .checked_add(paid)
                            .ok_or_else(|| Fault::new(FaultKind::Overflow, loc))?;
                    }
                    pay.status = Status::Applies;
                    pay.amount = Some(Money(paid));
                    pay.capped = capped;
                    pay.counted = true;
                    if C && self.record {
                        self.note(crate::eval::derive::item_words(&name, index, v, c, paid));
                    }
                }
                _ => {
                    open = true;
                    pay.missing = own;
                    self.fields_as_list::<C>(g, start, mark);
                    if C && self.record {
                        self.note(format!("{name}[{index}]：缺少事实，待定"));
                    }
                }
            }
            self.items.push(pay);
        }
        if let Some(n) = g.count {
            sum = self.most_paying::<C>(&name, n, loc)?;
        }
        let Some(total) = self.cap::<M, C>(g.total_cap)? else {
            slot.status = Status::Undecided;
            return Ok(());
        };
        if open {
            match total {
                // The open items can only add: the cap is reached anyway.
                Some(c) if sum >= c => {
                    self.unmiss::<C>(start);
                    if C && self.record {
                        self.note(format!(
                            "已知各项合计 {} 已达合计上限 {}，其余各项不改变结果，按 {} 计",
                            Money(sum),
                            Money(c),
                            Money(c)
                        ));
                    }
                    slot.uncapped = Some(Money(sum));
                    slot.amount = Some(Money(c.max(Decimal::ZERO)));
                    slot.amount_kind = Some(AmountKind::Exact);
                }
                _ => slot.status = Status::Undecided,
            }
            return Ok(());
        }
        if C && self.record {
            self.note(format!("各项合计 {}", Money(sum)));
        }
        let v = self.capped::<C>(sum, total, slot, None);
        slot.amount = Some(Money(self.floored::<C>(v, slot, None)));
        slot.amount_kind = Some(AmountKind::Exact);
        Ok(())
    }

    /// `最多 N项`: of the items that apply, the N paying the most stay
    /// counted, of equal amounts the earlier in the list; the rest are
    /// left out. Returns the sum of those counted, in list order.
    fn most_paying<const C: bool>(
        &mut self,
        name: &str,
        n: u32,
        loc: crate::program::Loc,
    ) -> Result<Decimal, Fault> {
        let mut ranked: Vec<(usize, Decimal)> = self
            .items
            .iter()
            .enumerate()
            .filter(|(_, p)| p.counted)
            .map(|(i, p)| (i, p.amount.map_or(Decimal::ZERO, |m| m.0)))
            .collect();
        // Stable: of equal amounts the earlier keeps its place.
        ranked.sort_by_key(|&(_, v)| std::cmp::Reverse(v));
        let keep = usize::try_from(n).unwrap_or(usize::MAX);
        for &(i, _) in ranked.get(keep..).unwrap_or_default() {
            if let Some(p) = self.items.get_mut(i) {
                p.counted = false;
            }
        }
        let mut sum = Decimal::ZERO;
        let mut notes = Vec::new();
        for p in &self.items {
            match (p.counted, p.status, p.amount) {
                (true, _, Some(m)) => {
                    sum = sum
                        .checked_add(m.0)
                        .ok_or_else(|| Fault::new(FaultKind::Overflow, loc))?;
                }
                (false, Status::Applies, Some(m)) if C && self.record => notes.push(format!(
                    "{name}[{}]：{m} 不在金额最高的 {n} 项之内，不计",
                    p.index
                )),
                _ => {}
            }
        }
        for note in notes {
            self.note(note);
        }
        Ok(sum)
    }

    /// Reads one item: its facts are `overlay`, the entity's with the
    /// item's fields. Steps, missing facts and derivation steps go on as
    /// this run's; a definition never reads a field, but gets memo slots of
    /// its own here all the same.
    fn item<const M: bool, const C: bool>(
        &mut self,
        overlay: &[Option<Value>],
        g: &Parts<'_>,
    ) -> Result<Read, Fault> {
        self.over(overlay, self.year, |sub| sub.read_item::<M, C>(g))
    }

    fn read_item<const M: bool, const C: bool>(&mut self, g: &Parts<'_>) -> Result<Read, Fault> {
        let holds = match g.filter {
            Some(f) => {
                self.charge::<M>(self.flat.cond_cost.get(f as usize).copied().unwrap_or(0));
                self.cond::<M, C>(f, 1)?
            }
            None => Tri::Yes,
        };
        if holds == Tri::No {
            return Ok((holds, None, None));
        }
        self.charge::<M>(self.flat.num_cost(g.amount));
        let v = self.num::<M, C>(g.amount)?;
        let cap = self.cap::<M, C>(g.each_cap)?;
        Ok((holds, v, cap))
    }

    /// The fields among the missing facts from `mark` on name the list
    /// instead, once in the grant's missing facts from `start`.
    fn fields_as_list<const C: bool>(&mut self, g: &Parts<'_>, start: usize, mark: usize) {
        if !C {
            return;
        }
        let own = self.missing.split_off(mark.min(self.missing.len()));
        for f in own {
            let f = if g.fields.contains(&f) { g.list } else { f };
            if !self.missing.get(start..).unwrap_or_default().contains(&f) {
                self.missing.push(f);
            }
        }
    }
}

impl crate::eval::Flat<'_> {
    /// The items of clause `ci`'s 每项 grant with what each pays, for an
    /// entity whose slot is `slot`: empty when the clause pays otherwise,
    /// or neither applies nor is undecided. Computed as the grant's own.
    pub(crate) fn item_pays(
        &self,
        facts: &crate::facts::Facts,
        ci: usize,
        slot: &Slot,
        out: &mut Vec<ItemPay>,
    ) {
        out.clear();
        let Some(fc) = self.clauses.get(ci) else {
            return;
        };
        let crate::eval::flat::Action::Grant(amount @ crate::eval::flat::Amount::Items { .. }) =
            &fc.action
        else {
            return;
        };
        if !matches!(slot.status, Status::Applies | Status::Undecided) {
            return;
        }
        let mut memos = Memos::default();
        let values = facts.in_year(self.date.year());
        let mut ev = Eval::new(self, &values, u64::MAX, &mut memos);
        ev.years = &facts.years;
        let mut run = Slot {
            status: Status::Applies,
            ..Slot::BLANK
        };
        if ev.grant::<false, true>(fc, amount, &mut run).is_ok() {
            std::mem::swap(out, &mut ev.items);
        }
    }
}
