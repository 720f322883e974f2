//! Clauses: actions and every amount form (fixed, capped, tiers, per unit).

use super::cond::cond;
use super::expr::expr;
use super::policy::{label, material, share, window};
use super::{LowerError, R, allow, broken, decimal, name, quoted_text, ratio, sp};
use crate::ast::*;
use crate::num;
use crate::source::{Span, Spanned};
use crate::syntax::Rule;
use crate::syntax::cursor::{Cursor, Node};
use rust_decimal::Decimal;

pub(super) fn clause(p: Node<'_>) -> R<Clause> {
    let span = sp(&p);
    let mut c = Cursor::new(&p);
    let lbl = match c.optional(Rule::label) {
        Some(l) => Some(label(l)?),
        None => None,
    };
    c.expect(Rule::kw_dui)?;
    let cnd = cond(c.expect(Rule::cond)?)?;
    c.optional(Rule::comma);
    let a = c.expect(Rule::action)?;
    let act = Spanned::new(action(&a)?, sp(&a));
    let mut attrs = Vec::new();
    for at in c {
        let mut ac = Cursor::new(&at);
        ac.optional(Rule::comma);
        let x = ac.any()?;
        let xs = sp(&x);
        let mut xc = Cursor::new(&x);
        attrs.push(match x.as_rule() {
            Rule::attr_source => {
                let v = xc.expect(Rule::verbatim)?;
                let inner = Cursor::new(&v).expect(Rule::verbatim_inner)?;
                ClauseAttr::Source(Spanned::new(inner.as_str().to_string(), sp(&v)))
            }
            Rule::attr_matter => ClauseAttr::Matter(name(xc.expect(Rule::name)?)?),
            Rule::attr_window => {
                ClauseAttr::Window(Spanned::new(window(xc.expect(Rule::window_spec)?)?, xs))
            }
            Rule::attr_share => {
                ClauseAttr::Share(Spanned::new(share(xc.expect(Rule::share_spec)?)?, xs))
            }
            Rule::application => {
                ClauseAttr::Application(Spanned::new(window(xc.expect(Rule::window_spec)?)?, xs))
            }
            Rule::accepting_body => ClauseAttr::AcceptingBody(name(xc.expect(Rule::name)?)?),
            Rule::material => ClauseAttr::Material(material(&x)?),
            Rule::allow => ClauseAttr::Allow(allow(x)?),
            _ => return broken(&x, "条款属性"),
        });
    }
    Ok(Clause {
        label: lbl,
        cond: cnd,
        action: act,
        attrs,
        span,
    })
}

pub(super) fn text_arg(p: Node<'_>) -> R<Spanned<String>> {
    let mut c = Cursor::new(&p);
    let q = c.any()?;
    let text = match q.as_rule() {
        Rule::verbatim => Cursor::new(&q)
            .expect(Rule::verbatim_inner)?
            .as_str()
            .to_string(),
        Rule::quoted => quoted_text(&q)?,
        Rule::ident => q.as_str().to_string(),
        _ => return broken(&q, "文字"),
    };
    Ok(Spanned::new(text, sp(&q)))
}

pub(super) fn action(p: &Node<'_>) -> R<Action> {
    let mut c = Cursor::new(p);
    let a = c.any()?;
    c.finish()?;
    let mut ac = Cursor::new(&a);
    Ok(match a.as_rule() {
        Rule::grant => {
            let tiers = ac.optional(Rule::kw_fenbie).is_some();
            ac.expect(Rule::kw_give)?;
            let quota = ac.optional(Rule::kw_edu).map(|q| sp(&q));
            let amt = if tiers {
                tier_amounts(ac.expect(Rule::tier_amounts)?)?
            } else {
                given(&mut ac)?
            };
            let cumulative = ac.optional(Rule::cumulative).map(cumulative).transpose()?;
            let gname = grant_name(ac.optional(Rule::grant_name))?;
            Action::Grant(Grant {
                extra: false,
                quota,
                amount: amt,
                name: gname,
                cumulative,
            })
        }
        Rule::extra_grant => {
            ac.expect(Rule::kw_zai)?;
            ac.expect(Rule::kw_give)?;
            let quota = ac.optional(Rule::kw_edu).map(|q| sp(&q));
            let amt = given(&mut ac)?;
            let cumulative = ac.optional(Rule::cumulative).map(cumulative).transpose()?;
            let gname = grant_name(ac.optional(Rule::grant_name))?;
            Action::Grant(Grant {
                extra: true,
                quota,
                amount: amt,
                name: gname,
                cumulative,
            })
        }
        Rule::exemption => Action::Exempt(text_arg(ac.expect(Rule::text_arg)?)?),
        Rule::prohibition => Action::Prohibit(name(ac.expect(Rule::name)?)?),
        Rule::obligation => Action::Oblige(name(ac.expect(Rule::name)?)?),
        Rule::permission => Action::Permit(text_arg(ac.expect(Rule::text_arg)?)?),
        _ => return broken(&a, "动作"),
    })
}

/// `，累计 最高 30万元（往年已领 已获配套补助额）`.
fn cumulative(p: Node<'_>) -> R<Cumulative> {
    let mut c = Cursor::new(&p);
    c.expect(Rule::comma)?;
    let from = sp(&c.expect(Rule::kw_leiji)?).start;
    c.expect(Rule::cap_kw)?;
    let cap = expr(c.expect(Rule::expr)?)?;
    let this_year = c.optional(Rule::kw_bennian).is_some();
    if !this_year {
        c.expect(Rule::kw_wangnian)?;
    }
    let received = name(c.expect(Rule::name)?)?;
    c.finish()?;
    Ok(Cumulative {
        cap,
        received,
        this_year,
        span: Span::new(from, sp(&p).end),
    })
}

pub(super) fn grant_name(p: Option<Node<'_>>) -> R<Option<Spanned<String>>> {
    let Some(p) = p else { return Ok(None) };
    let mut text = String::new();
    for q in Cursor::new(&p) {
        match q.as_rule() {
            Rule::kw_once => text.push_str("一次性"),
            Rule::grant_kind => text.push_str(q.as_str()),
            Rule::quoted => text.push_str(&quoted_text(&q)?),
            _ => return broken(&q, "资金名称"),
        }
    }
    Ok(Some(Spanned::new(text, sp(&p))))
}

pub(super) fn bound_of(p: &Node<'_>) -> AmountKind {
    crate::lexicon::bound_of(p.as_str()).unwrap_or(AmountKind::AtMost)
}

pub(super) fn amount(p: Node<'_>) -> R<GrantAmount> {
    let span = sp(&p);
    let mut c = Cursor::new(&p);
    if let Some(d) = c.optional(Rule::discretionary) {
        let dspan = sp(&d);
        let mut dc = Cursor::new(&d);
        dc.expect(Rule::kw_zhuoding)?;
        let cap = match dc.optional(Rule::cap) {
            Some(x) => Some(cap(x)?),
            None => None,
        };
        return Ok(GrantAmount::Discretionary { cap, span: dspan });
    }
    let b = c.optional(Rule::bound_kw);
    let bound = b.as_ref().map_or(AmountKind::Exact, bound_of);
    let core = amount_core(c.expect(Rule::amount_core)?)?;
    let high = match c.optional(Rule::range_tail) {
        Some(t) => {
            let mut tc = Cursor::new(&t);
            tc.expect(Rule::kw_zhi)?;
            let h = amount_core(tc.expect(Rule::amount_core)?)?;
            tc.finish()?;
            Some(h)
        }
        None => None,
    };
    let cp = match c.optional(Rule::cap) {
        Some(x) => Some(cap(x)?),
        None => None,
    };
    c.finish()?;
    if let Some(high) = high {
        return Ok(GrantAmount::Range {
            bound: b.as_ref().map(sp),
            low: core,
            high,
            cap: cp,
            span,
        });
    }
    Ok(GrantAmount::Single(Amount {
        bound,
        core,
        cap: cp,
        span,
    }))
}

/// What follows 给予: a schedule, an amount per item or one amount.
fn given(c: &mut Cursor<'_>) -> R<GrantAmount> {
    if let Some(s) = c.optional(Rule::schedule) {
        return Ok(GrantAmount::Schedule(Box::new(schedule(s)?)));
    }
    if let Some(s) = c.optional(Rule::item_grant) {
        return Ok(GrantAmount::Items(Box::new(item_grant(s)?)));
    }
    amount(c.expect(Rule::amount)?)
}

fn item_grant(p: Node<'_>) -> R<ItemGrant> {
    let span = sp(&p);
    let mut c = Cursor::new(&p);
    c.expect(Rule::kw_per_item)?;
    let list = name(c.expect(Rule::name)?)?;
    let filter = match c.optional(Rule::item_filter) {
        Some(f) => {
            let mut fc = Cursor::new(&f);
            fc.expect(Rule::kw_qizhong)?;
            let k = cond(fc.expect(Rule::cond)?)?;
            fc.finish()?;
            Some(k)
        }
        None => None,
    };
    let amount = if c.optional(Rule::kw_an).is_some() {
        expr(c.expect(Rule::expr)?)?
    } else {
        let pe = c.expect(Rule::paren_expr)?;
        expr(Cursor::new(&pe).expect(Rule::expr)?)?
    };
    let tail = |rule: Rule, c: &mut Cursor<'_>| -> R<Option<Expr>> {
        let Some(x) = c.optional(rule) else {
            return Ok(None);
        };
        let mut xc = Cursor::new(&x);
        xc.expect(Rule::comma)?;
        let e = Cursor::new(&x)
            .find(|n| n.as_rule() == Rule::expr)
            .map(expr)
            .transpose()?;
        match e {
            Some(e) => Ok(Some(e)),
            None => broken(&x, "上限"),
        }
    };
    let each_cap = tail(Rule::item_cap, &mut c)?;
    let count = match c.optional(Rule::item_most) {
        Some(x) => Some(item_count(&x)?),
        None => None,
    };
    let total_cap = tail(Rule::item_total, &mut c)?;
    c.finish()?;
    Ok(ItemGrant {
        list,
        filter,
        amount,
        each_cap,
        count,
        total_cap,
        span,
    })
}

/// `，最多 8项`.
fn item_count(p: &Node<'_>) -> R<ItemCount> {
    let mut c = Cursor::new(p);
    c.expect(Rule::comma)?;
    c.expect(Rule::kw_zuiduo)?;
    let q = c.any()?;
    c.finish()?;
    let span = sp(&q);
    let (n, unit) = match q.as_rule() {
        Rule::quantity => {
            let (n, u) = super::quantity(&q)?;
            (n, Some(u))
        }
        Rule::number => (decimal(&q)?, None),
        _ => return broken(&q, "项数"),
    };
    Ok(ItemCount { n, unit, span })
}

fn schedule(p: Node<'_>) -> R<Schedule> {
    let span = sp(&p);
    let mut c = Cursor::new(&p);
    c.expect(Rule::kw_zi)?;
    let event = name(c.expect(Rule::name)?)?;
    c.expect(Rule::kw_qi)?;
    let plan = match c.optional(Rule::schedule_split) {
        Some(x) => split(x)?,
        None => {
            let runs = c.expect(Rule::schedule_years)?;
            let mut parts = Vec::new();
            for q in Cursor::new(&runs) {
                match q.as_rule() {
                    Rule::schedule_part => parts.push(schedule_part(q)?),
                    Rule::comma => {}
                    _ => return broken(&q, "分年金额"),
                }
            }
            SchedulePlan::Years(parts)
        }
    };
    let cap = match c.optional(Rule::schedule_cap) {
        Some(x) => {
            let mut xc = Cursor::new(&x);
            xc.expect(Rule::comma)?;
            xc.expect(Rule::kw_meinian)?;
            xc.expect(Rule::cap_kw)?;
            let e = expr(xc.expect(Rule::expr)?)?;
            xc.finish()?;
            Some(e)
        }
        None => None,
    };
    c.finish()?;
    Ok(Schedule {
        event,
        plan,
        cap,
        span,
    })
}

fn schedule_part(p: Node<'_>) -> R<SchedulePart> {
    let mut c = Cursor::new(&p);
    let years = year_span(&c.expect(Rule::year_span)?)?;
    c.expect(Rule::kw_meinian)?;
    if let Some(t) = c.optional(Rule::schedule_tiers) {
        c.finish()?;
        return schedule_tiers(years, t);
    }
    let b = c.optional(Rule::bound_kw);
    let bound = b.as_ref().map_or(AmountKind::Exact, bound_of);
    let core_node = c.expect(Rule::amount_core)?;
    let from = b.as_ref().map_or(sp(&core_node).start, |b| sp(b).start);
    let core = amount_core(core_node)?;
    let cp = match c.optional(Rule::cap) {
        Some(x) => Some(cap(x)?),
        None => None,
    };
    c.finish()?;
    let span = Span::new(from, sp(&p).end);
    Ok(SchedulePart {
        years,
        amount: Amount {
            bound,
            core,
            cap: cp,
            span,
        },
        tiers: Vec::new(),
    })
}

/// `每年 分别 不超过 30万元、25万元、20万元`: the run's amount is the
/// first tier's, its bound and cap shared by all.
fn schedule_tiers(years: YearSpan, p: Node<'_>) -> R<SchedulePart> {
    let span = sp(&p);
    let mut bound = AmountKind::Exact;
    let mut tiers = Vec::new();
    let mut cp = None;
    for q in Cursor::new(&p) {
        match q.as_rule() {
            Rule::kw_fenbie | Rule::dun => {}
            Rule::bound_kw => bound = bound_of(&q),
            Rule::amount_core => tiers.push(amount_core(q)?),
            Rule::tier_cap => cp = Some(cap(q)?),
            _ => return broken(&q, "分档金额"),
        }
    }
    let Some(first) = tiers.first().cloned() else {
        return broken(&p, "分档金额");
    };
    Ok(SchedulePart {
        years,
        amount: Amount {
            bound,
            core: first,
            cap: cp,
            span,
        },
        tiers,
    })
}

fn split(p: Node<'_>) -> R<SchedulePlan> {
    let mut c = Cursor::new(&p);
    let bound = c
        .optional(Rule::bound_kw)
        .map_or(AmountKind::Exact, |b| bound_of(&b));
    let mut tiers = Vec::new();
    let total = match c.optional(Rule::split_tiers) {
        Some(x) => {
            let mut bound = AmountKind::Exact;
            for q in Cursor::new(&x) {
                match q.as_rule() {
                    Rule::kw_fenbie | Rule::dun => {}
                    Rule::bound_kw => bound = bound_of(&q),
                    Rule::expr => tiers.push(expr(q)?),
                    _ => return broken(&q, "分档金额"),
                }
            }
            let Some(first) = tiers.first().cloned() else {
                return broken(&x, "分档金额");
            };
            (bound, first)
        }
        None => {
            c.optional(Rule::kw_an);
            (bound, expr(c.expect(Rule::expr)?)?)
        }
    };
    let (bound, total) = total;
    let years = year_span(&c.expect(Rule::year_span)?)?;
    c.expect(Rule::kw_an)?;
    let mut shares = Vec::new();
    for q in c {
        match q.as_rule() {
            Rule::ratio => shares.push(Spanned::new(ratio(&q)?, sp(&q))),
            Rule::dun => {}
            _ => return broken(&q, "各年比例"),
        }
    }
    Ok(SchedulePlan::Split {
        bound,
        total,
        tiers,
        years,
        shares,
    })
}

fn year_span(p: &Node<'_>) -> R<YearSpan> {
    let mut c = Cursor::new(p);
    let w = c.expect(Rule::year_word)?;
    let word = match w.as_str() {
        "前" => YearWord::First,
        "后" => YearWord::Then,
        _ => YearWord::Over,
    };
    let count = year_count(&mut c)?;
    c.finish()?;
    Ok(YearSpan {
        word,
        count,
        span: sp(p),
    })
}

/// The number of years in `前三年`, `分3年`, `连续三年`: digits, or Chinese
/// numerals read as ranks are.
pub(super) fn year_count(c: &mut Cursor<'_>) -> R<Decimal> {
    match c.optional(Rule::rank_cn) {
        Some(cn) => match num::chinese_numeral(cn.as_str()) {
            Some(n) => Ok(Decimal::from(n)),
            None => Err(LowerError::YearNumeral(sp(&cn), cn.as_str().to_string())),
        },
        None => decimal(&c.expect(Rule::number)?),
    }
}

pub(super) fn cap(p: Node<'_>) -> R<Expr> {
    let mut c = Cursor::new(&p);
    let _sep = c.any()?;
    c.expect(Rule::cap_kw)?;
    let e = expr(c.expect(Rule::expr)?)?;
    c.finish()?;
    Ok(e)
}

pub(super) fn tier_amounts(p: Node<'_>) -> R<GrantAmount> {
    let span = sp(&p);
    let mut bound = AmountKind::Exact;
    let mut items = Vec::new();
    let mut cp = None;
    for q in Cursor::new(&p) {
        match q.as_rule() {
            Rule::bound_kw => bound = bound_of(&q),
            Rule::amount_core => items.push(amount_core(q)?),
            Rule::dun => {}
            Rule::tier_cap => cp = Some(cap(q)?),
            _ => return broken(&q, "分档金额"),
        }
    }
    Ok(GrantAmount::Tiers {
        bound,
        items,
        cap: cp,
        span,
    })
}

pub(super) fn amount_core(p: Node<'_>) -> R<AmountCore> {
    let mut c = Cursor::new(&p);
    c.optional(Rule::kw_an);
    let q = c.any()?;
    c.finish()?;
    match q.as_rule() {
        Rule::expr => Ok(AmountCore::Expr(expr(q)?)),
        Rule::per_unit => {
            let span = sp(&q);
            let mut pc = Cursor::new(&q);
            let fact = match pc.optional(Rule::name) {
                Some(n) => Some(name(n)?),
                None => None,
            };
            let kw = pc.expect(Rule::per_unit_kw)?;
            let mut kc = Cursor::new(&kw);
            let whole = kc.optional(Rule::per_whole).is_some();
            let per = match kc.optional(Rule::per_block) {
                Some(b) => Some(Spanned::new(per_block(&b)?, sp(&b))),
                None => None,
            };
            let u = kc.expect(Rule::unit)?;
            kc.finish()?;
            let unit_text = u.as_str().to_string();
            let bound = pc
                .optional(Rule::bound_kw)
                .map_or(AmountKind::Exact, |b| bound_of(&b));
            let rate = expr(pc.expect(Rule::expr)?)?;
            pc.finish()?;
            Ok(AmountCore::PerUnit {
                fact,
                unit: Spanned::new(unit_text, sp(&kw)),
                per,
                whole,
                bound,
                rate,
                span,
            })
        }
        _ => broken(&q, "金额"),
    }
}

/// `10` in `每10人`, `万` in `每万平方米` (ten thousand), `1.5万` in
/// `每1.5万人`.
fn per_block(p: &Node<'_>) -> R<Decimal> {
    let mut c = Cursor::new(p);
    let n = match c.optional(Rule::number) {
        Some(n) => decimal(&n)?,
        None => Decimal::ONE,
    };
    let n = match c.optional(Rule::wan) {
        Some(_) => num::shift(n, 4)
            .ok_or_else(|| LowerError::Number(sp(p), num::NumError::OutOfRange.to_string()))?,
        None => n,
    };
    c.finish()?;
    Ok(n)
}
