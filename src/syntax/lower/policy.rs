//! 政策 blocks: their items, windows, shares and clause labels.

use super::case::case;
use super::clause::clause;
use super::cond::cond;
use super::{
    LowerError, R, allow, broken, date, define, money, name, period, quoted_text, ratio, sp,
};
use crate::ast::*;
use crate::source::Spanned;
use crate::syntax::Rule;
use crate::syntax::cursor::{Cursor, Node};

pub(super) fn policy(p: Node<'_>) -> R<Policy> {
    let span = sp(&p);
    let mut c = Cursor::new(&p);
    let t = c.expect(Rule::title)?;
    let title_text = Cursor::new(&t)
        .expect(Rule::title_inner)?
        .as_str()
        .to_string();
    let mut items = Vec::new();
    for pi in c {
        let mut ic = Cursor::new(&pi);
        let q = ic.any()?;
        ic.finish()?;
        items.push(policy_item(q)?);
    }
    Ok(Policy {
        title: Spanned::new(title_text, sp(&t)),
        items,
        span,
    })
}

pub(super) fn policy_item(q: Node<'_>) -> R<PolicyItem> {
    let qs = sp(&q);
    let mut c = Cursor::new(&q);
    Ok(match q.as_rule() {
        Rule::window => PolicyItem::Window(Spanned::new(window(c.expect(Rule::window_spec)?)?, qs)),
        Rule::publish => {
            let d = c.any()?;
            let v = match d.as_rule() {
                Rule::date => Some(date(&d)?),
                Rule::undetermined => None,
                _ => return broken(&d, "发布"),
            };
            PolicyItem::Publish(Spanned::new(v, qs))
        }
        Rule::provenance => {
            let first = line_ref(&c.expect(Rule::line_ref)?)?;
            c.expect(Rule::kw_zhi)?;
            let last = line_ref(&c.expect(Rule::line_ref)?)?;
            c.finish()?;
            PolicyItem::Provenance(Spanned::new((first, last), qs))
        }
        Rule::lead => PolicyItem::Lead(
            c.filter(|x| x.as_rule() == Rule::name)
                .map(name)
                .collect::<R<Vec<_>>>()?,
        ),
        Rule::scope => PolicyItem::Scope(cond(c.expect(Rule::cond)?)?),
        Rule::share => PolicyItem::Share(Spanned::new(share(c.expect(Rule::share_spec)?)?, qs)),
        Rule::overlap => {
            let r = c.expect(Rule::overlap_rule)?;
            let k = Cursor::new(&r).any()?;
            let rule = match k.as_rule() {
                Rule::ov_best => OverlapRule::Best,
                Rule::ov_this => OverlapRule::ThisPolicy,
                Rule::ov_existing => OverlapRule::Existing,
                _ => return broken(&k, "重叠"),
            };
            PolicyItem::Overlap(Spanned::new(rule, qs))
        }
        Rule::total_cap => {
            c.expect(Rule::cap_kw)?;
            let m = c.expect(Rule::money)?;
            let per_year = c.optional(Rule::kw_meinian).is_some();
            PolicyItem::TotalCap {
                cap: Spanned::new(money(&m)?, sp(&m)),
                per_year,
            }
        }
        Rule::budget => {
            let m = c.expect(Rule::money)?;
            PolicyItem::Budget(Spanned::new(money(&m)?, sp(&m)))
        }
        Rule::application => {
            PolicyItem::Application(Spanned::new(window(c.expect(Rule::window_spec)?)?, qs))
        }
        Rule::accepting_body => PolicyItem::AcceptingBody(name(c.expect(Rule::name)?)?),
        Rule::material => PolicyItem::Material(material(&q)?),
        Rule::define => PolicyItem::Define(define(q)?),
        Rule::allow => PolicyItem::Allow(allow(q)?),
        Rule::case => PolicyItem::Case(case(q)?),
        Rule::clause => PolicyItem::Clause(clause(q)?),
        _ => return broken(&q, "政策项"),
    })
}

/// The document of `材料 「…」`, spanned on its 「…」.
pub(super) fn material(p: &Node<'_>) -> R<Spanned<String>> {
    let v = Cursor::new(p).expect(Rule::verbatim)?;
    let inner = Cursor::new(&v).expect(Rule::verbatim_inner)?;
    Ok(Spanned::new(inner.as_str().to_string(), sp(&v)))
}

/// `第378行` → 378.
pub(super) fn line_ref(p: &Node<'_>) -> R<u32> {
    let n = Cursor::new(p).expect(Rule::line_num)?;
    n.as_str()
        .parse::<u32>()
        .map_err(|e| LowerError::Number(sp(&n), e.to_string()))
}

pub(super) fn window(p: Node<'_>) -> R<Window> {
    let mut c = Cursor::new(&p);
    let start = window_point(c.expect(Rule::window_point)?)?;
    let end = if c.optional(Rule::kw_zhi).is_some() {
        WindowEnd::At(window_point(c.expect(Rule::window_point)?)?)
    } else {
        c.expect(Rule::kw_qi)?;
        match c
            .optional(Rule::period)
            .or_else(|| c.optional(Rule::quantity))
        {
            Some(q) => WindowEnd::For(period(&q)?),
            None => WindowEnd::Open,
        }
    };
    c.finish()?;
    Ok(Window { start, end })
}

pub(super) fn window_point(p: Node<'_>) -> R<WindowPoint> {
    let mut c = Cursor::new(&p);
    let q = c.any()?;
    match q.as_rule() {
        Rule::date => Ok(WindowPoint::Date(date(&q)?)),
        Rule::rel_date => {
            let mut d = Cursor::new(&q);
            let delay = match d
                .optional(Rule::period)
                .or_else(|| d.optional(Rule::quantity))
            {
                Some(x) => Some(period(&x)?),
                None => None,
            };
            Ok(WindowPoint::Published(delay))
        }
        _ => broken(&q, "施行日期"),
    }
}

pub(super) fn share(p: Node<'_>) -> R<Share> {
    let mut c = Cursor::new(&p);
    if c.optional(Rule::by_system).is_some() {
        return Ok(Share::BySystem);
    }
    let mut payers = Vec::new();
    for ps in c {
        let mut pc = Cursor::new(&ps);
        let n = name(pc.expect(Rule::name)?)?;
        let share = match pc.optional(Rule::fraction) {
            Some(f) => PayerShare::Fraction(super::fraction(&f)?),
            None => PayerShare::Ratio(ratio(&pc.expect(Rule::ratio)?)?),
        };
        payers.push((n, share));
    }
    Ok(Share::Payers(payers))
}

pub(super) fn label(p: Node<'_>) -> R<Label> {
    let span = sp(&p);
    let mut c = Cursor::new(&p);
    let q = c.any()?;
    let text = match q.as_rule() {
        Rule::quoted => quoted_text(&q)?,
        Rule::label_paren => q.as_str().replace('(', "（").replace(')', "）"),
        Rule::label_num => q.as_str().replace('．', "."),
        _ => q.as_str().to_string(),
    };
    Ok(Label { text, span })
}
