//! 案例 blocks: facts, date and expectations.

use super::clause::bound_of;
use super::policy::label;
use super::{LowerError, R, broken, date, lit_of, money, name, quantity, quoted_text, sp};
use crate::ast::*;
use crate::source::Spanned;
use crate::syntax::Rule;
use crate::syntax::cursor::{Cursor, Node};

pub(super) fn case(p: Node<'_>) -> R<Case> {
    let span = sp(&p);
    let mut c = Cursor::new(&p);
    let q = c.expect(Rule::quoted)?;
    let case_name = Spanned::new(quoted_text(&q)?, sp(&q));
    let mut facts = Vec::new();
    let mut when = None;
    let mut apply_date = None;
    let mut published = Vec::new();
    let mut expectations = Vec::new();
    for ci in c {
        let mut cc = Cursor::new(&ci);
        let x = cc.any()?;
        match x.as_rule() {
            Rule::case_facts => {
                for fe in Cursor::new(&x) {
                    facts.push(fact_entry(&fe)?);
                }
            }
            Rule::case_date => {
                let d = Cursor::new(&x).expect(Rule::date)?;
                if when.is_some() {
                    return Err(LowerError::DuplicateCaseDate(sp(&d)));
                }
                when = Some(Spanned::new(date(&d)?, sp(&d)));
            }
            Rule::case_apply_date => {
                let d = Cursor::new(&x).expect(Rule::date)?;
                if apply_date.is_some() {
                    return Err(LowerError::DuplicateCaseDate(sp(&d)));
                }
                apply_date = Some(Spanned::new(date(&d)?, sp(&d)));
            }
            Rule::case_publish => published.push(case_publish(&x)?),
            Rule::expectation => expectations.push(expectation(x)?),
            _ => return broken(&x, "案例项"),
        }
    }
    Ok(Case {
        name: case_name,
        facts,
        date: when,
        apply_date,
        published,
        expectations,
        span,
    })
}

/// `名称: 值`; a list's items hold entries of their own.
fn fact_entry(fe: &Node<'_>) -> R<(Name, Spanned<FactLiteral>)> {
    let mut fc = Cursor::new(fe);
    let n = name(fc.expect(Rule::name)?)?;
    let v = fc.expect(Rule::fact_value)?;
    Ok((n, fact_value(&v)?))
}

/// A fact's value: a literal, a list's items or a table by year.
fn fact_value(v: &Node<'_>) -> R<Spanned<FactLiteral>> {
    let vs = sp(v);
    let inner = Cursor::new(v).any()?;
    let val = match inner.as_rule() {
        Rule::yes => FactLiteral::Bool(true),
        Rule::no => FactLiteral::Bool(false),
        Rule::name => FactLiteral::Word(name(inner)?.text),
        Rule::fact_list => {
            let mut items = Vec::new();
            for r in Cursor::new(&inner) {
                if r.as_rule() != Rule::fact_record {
                    continue;
                }
                let mut fields = Vec::new();
                for f in Cursor::new(&r) {
                    fields.push(fact_entry(&f)?);
                }
                items.push(fields);
            }
            FactLiteral::List(items)
        }
        Rule::fact_years => {
            let mut years = Vec::new();
            for y in Cursor::new(&inner) {
                if y.as_rule() != Rule::fact_year {
                    continue;
                }
                let mut yc = Cursor::new(&y);
                let label = yc.expect(Rule::year_label)?;
                let Some(year) = label
                    .as_str()
                    .strip_suffix('年')
                    .and_then(|d| d.parse::<i32>().ok())
                else {
                    return broken(&label, "年份");
                };
                let v = yc.expect(Rule::fact_value)?;
                years.push((Spanned::new(year, sp(&label)), fact_value(&v)?));
            }
            FactLiteral::ByYear(years)
        }
        _ => FactLiteral::Lit(lit_of(&inner)?),
    };
    Ok(Spanned::new(val, vs))
}

fn case_publish(p: &Node<'_>) -> R<CasePublished> {
    let mut c = Cursor::new(p);
    let t = c.expect(Rule::title)?;
    let inner = Cursor::new(&t).expect(Rule::title_inner)?;
    let d = c.expect(Rule::date)?;
    Ok(CasePublished {
        title: Spanned::new(inner.as_str().to_string(), sp(&t)),
        date: Spanned::new(date(&d)?, sp(&d)),
        span: sp(p),
    })
}

pub(super) fn expectation(p: Node<'_>) -> R<Expectation> {
    let span = sp(&p);
    let mut c = Cursor::new(&p);
    let x = c.any()?;
    let mut xc = Cursor::new(&x);
    match x.as_rule() {
        Rule::expect_total => {
            let outcome = match xc.optional(Rule::expect_quota) {
                Some(q) => expect_quota(&q)?,
                None => expect_amount(xc.expect(Rule::expect_amount)?)?,
            };
            Ok(Expectation {
                target: ExpectTarget::Total,
                outcome,
                span,
            })
        }
        Rule::expect_discretionary => {
            xc.expect(Rule::kw_zhuoding)?;
            let n = xc.expect(Rule::item_count)?;
            let digits = n.as_str().trim_end_matches('项');
            let count = digits
                .parse::<u32>()
                .map_err(|_| LowerError::Number(sp(&n), "项数过大".into()))?;
            Ok(Expectation {
                target: ExpectTarget::Total,
                outcome: Expected::DiscretionaryCount(count),
                span,
            })
        }
        Rule::expect_clause => {
            let (policy, lbl) = clause_ref(xc.expect(Rule::clause_ref)?)?;
            let outcome = clause_outcome(&xc.expect(Rule::expect_outcome)?)?;
            Ok(Expectation {
                target: ExpectTarget::Clause { policy, label: lbl },
                outcome,
                span,
            })
        }
        _ => broken(&x, "期望"),
    }
}

/// What a clause is expected to do: `给予 …`, `待定 缺少 …`, `由 … 取代`,
/// `分担 …` or one word.
fn clause_outcome(o: &Node<'_>) -> R<Expected> {
    let mut oc = Cursor::new(o);
    Ok(if oc.optional(Rule::kw_give).is_some() {
        match oc.optional(Rule::expect_quota) {
            Some(q) => expect_quota(&q)?,
            None => expect_amount(oc.expect(Rule::expect_amount)?)?,
        }
    } else if let Some(m) = oc.optional(Rule::expect_missing) {
        let mut mc = Cursor::new(&m);
        mc.expect(Rule::kw_pending)?;
        mc.expect(Rule::kw_lacking)?;
        let mut names = Vec::new();
        while let Some(n) = mc.optional(Rule::name) {
            names.push(name(n)?);
            if mc.optional(Rule::dun).is_none() {
                break;
            }
        }
        Expected::UndecidedFor(names)
    } else if let Some(d) = oc.optional(Rule::expect_displaced) {
        let (policy, label) = clause_ref(Cursor::new(&d).expect(Rule::clause_ref)?)?;
        Expected::DisplacedBy { policy, label }
    } else if let Some(s) = oc.optional(Rule::expect_shares) {
        let mut shares = Vec::new();
        for share in s.children() {
            let mut sc = Cursor::new(&share);
            let payer = name(sc.expect(Rule::name)?)?;
            let m = money(&sc.expect(Rule::money)?)?;
            shares.push((payer, m));
        }
        Expected::Shares(shares)
    } else {
        outcome_word(&oc.expect(Rule::expect_word)?)?
    })
}

/// `不适用`, `违反`, … : an outcome named by one word.
fn outcome_word(w: &Node<'_>) -> R<Expected> {
    Ok(match w.as_str() {
        "不适用" => Expected::NotApplicable,
        "不在施行期" => Expected::NotInForce,
        "鼓励" => Expected::Encouraged,
        "待定" => Expected::Undecided,
        "免于" => Expected::Exempt,
        "违反" => Expected::Violated,
        "遵守" => Expected::Met,
        "不在申报期" => Expected::OutsideApplicationWindow,
        "被取代" => Expected::Displaced,
        _ => return broken(w, "期望"),
    })
}

/// `《标题》第三条` or `第三条`.
fn clause_ref(r: Node<'_>) -> R<(Option<Spanned<String>>, Label)> {
    let mut rc = Cursor::new(&r);
    let policy = match rc.optional(Rule::title) {
        Some(t) => Some(Spanned::new(
            Cursor::new(&t)
                .expect(Rule::title_inner)?
                .as_str()
                .to_string(),
            sp(&t),
        )),
        None => None,
    };
    Ok((policy, label(rc.expect(Rule::label)?)?))
}

/// `额度 125亩`, `额度 最高 40万元`.
fn expect_quota(p: &Node<'_>) -> R<Expected> {
    let mut c = Cursor::new(p);
    c.expect(Rule::kw_edu)?;
    let bound = c
        .optional(Rule::bound_kw)
        .map_or(AmountKind::Exact, |b| bound_of(&b));
    let v = c.any()?;
    let (value, unit) = match v.as_rule() {
        Rule::money => (money(&v)?.0, "元".to_string()),
        Rule::quantity => quantity(&v)?,
        _ => return broken(&v, "额度"),
    };
    c.finish()?;
    Ok(Expected::Quota(bound, value, unit))
}

pub(super) fn expect_amount(p: Node<'_>) -> R<Expected> {
    let mut c = Cursor::new(&p);
    if c.optional(Rule::kw_zhuoding).is_some() {
        return Ok(Expected::Discretionary);
    }
    if let Some(r) = c.optional(Rule::expect_range) {
        let mut rc = Cursor::new(&r);
        let low = money(&rc.expect(Rule::money)?)?;
        rc.expect(Rule::kw_zhi)?;
        let high = money(&rc.expect(Rule::money)?)?;
        rc.finish()?;
        return Ok(Expected::Range(low, high));
    }
    let bound = c
        .optional(Rule::bound_kw)
        .map_or(AmountKind::Exact, |b| bound_of(&b));
    let m = c.expect(Rule::money)?;
    Ok(Expected::Amount(bound, money(&m)?))
}
