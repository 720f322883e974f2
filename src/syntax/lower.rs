//! pest pairs → `ast`, one function per rule. Literal conversion (money,
//! ratios, dates) happens here, so later stages see exact values.

use chrono::NaiveDate;
use pest::iterators::{Pair, Pairs};
use rust_decimal::Decimal;

use super::cursor::{Broken, Cursor};
use super::{Rule, SyntaxError};
use crate::ast::*;
use crate::num::{self, Money, Ratio};
use crate::source::{SourceFile, Span, Spanned};

/// What can go wrong while lowering.
enum LowerError {
    Broken(Broken),
    Number(Span, String),
    Date(Span, String),
    Conflict(Span, String),
    MixedEnum(Span),
    DuplicateCaseDate(Span),
}

impl From<Broken> for LowerError {
    fn from(b: Broken) -> Self {
        LowerError::Broken(b)
    }
}

type R<T> = Result<T, LowerError>;

/// Where a rule's text is, without the whitespace and comments pest
/// skips after its last token (a clause's pair runs on to the next line),
/// so that diagnostics underline exactly the words.
fn sp(p: &Pair<'_, Rule>) -> Span {
    let span = p.as_span();
    // Atomic rules skip nothing: their span is exact (and a quoted text may
    // hold `#` or spaces that are not skipped ones).
    // The last inner pair is where the text ends, up to trailing tokens
    // that make no pair; only the rightmost path is walked.
    let Some(last) = p.clone().into_inner().last().map(|q| sp(&q).end) else {
        return span.into();
    };
    let mut end = last;
    let mut in_comment = false;
    for (i, c) in span
        .as_str()
        .get(last.saturating_sub(span.start())..)
        .unwrap_or("")
        .char_indices()
    {
        match c {
            '\n' => in_comment = false,
            _ if in_comment => {}
            '#' => in_comment = true,
            c if c.is_whitespace() || c == '\u{FEFF}' => {}
            // A token the grammar does not keep as a pair: `）`, `」`, `}` ….
            c => end = last + i + c.len_utf8(),
        }
    }
    Span::new(span.start(), end)
}

fn broken<T>(p: &Pair<'_, Rule>, what: &str) -> R<T> {
    Err(LowerError::Broken(Broken {
        span: sp(p),
        message: format!("{what}：{:?}", p.as_rule()),
    }))
}

/// Lowers the pairs of a whole file.
pub fn module(source: &SourceFile, pairs: Pairs<'_, Rule>) -> Result<Module, SyntaxError> {
    let result = (|| -> R<Vec<Item>> {
        let mut items = Vec::new();
        for file in pairs {
            for p in file.into_inner() {
                match p.as_rule() {
                    Rule::item => items.push(item(p)?),
                    Rule::EOI => {}
                    _ => return broken(&p, "文件中出现意外节点"),
                }
            }
        }
        Ok(items)
    })();
    match result {
        Ok(items) => Ok(Module {
            source: source.clone(),
            items,
        }),
        Err(e) => Err(to_syntax_error(source, e)),
    }
}

fn to_syntax_error(source: &SourceFile, e: LowerError) -> SyntaxError {
    let src = source.named();
    match e {
        LowerError::Broken(b) => SyntaxError::Internal {
            src,
            span: b.span.into(),
            message: b.message,
        },
        LowerError::Number(span, reason) => SyntaxError::BadNumber {
            src,
            span: span.into(),
            reason,
        },
        LowerError::Date(span, text) => SyntaxError::InvalidDate {
            src,
            span: span.into(),
            text,
        },
        LowerError::Conflict(span, words) => SyntaxError::ConflictingComparison {
            src,
            span: span.into(),
            words,
        },
        LowerError::MixedEnum(span) => SyntaxError::MixedEnum {
            src,
            span: span.into(),
        },
        LowerError::DuplicateCaseDate(span) => SyntaxError::DuplicateCaseDate {
            src,
            span: span.into(),
        },
    }
}

fn item(p: Pair<'_, Rule>) -> R<Item> {
    let mut c = Cursor::new(&p);
    let inner = c.any()?;
    c.finish()?;
    Ok(match inner.as_rule() {
        Rule::vocab => Item::Vocab(vocab(inner)?),
        Rule::define => Item::Define(define(inner)?),
        Rule::param => Item::Param(param(inner)?),
        Rule::policy => Item::Policy(policy(inner)?),
        Rule::case => Item::Case(case(inner)?),
        Rule::include => {
            let mut c = Cursor::new(&inner);
            let q = c.expect(Rule::quoted)?;
            Item::Include(Spanned::new(quoted_text(&q)?, sp(&q)))
        }
        Rule::allow => Item::Allow(allow(inner)?),
        Rule::clause => Item::Clause(clause(inner)?),
        _ => return broken(&inner, "意外的顶层项"),
    })
}

fn allow(p: Pair<'_, Rule>) -> R<Vec<Spanned<String>>> {
    Ok(Cursor::new(&p)
        .filter(|q| q.as_rule() == Rule::ident)
        .map(|q| Spanned::new(q.as_str().to_string(), sp(&q)))
        .collect())
}

fn quoted_text(p: &Pair<'_, Rule>) -> R<String> {
    let mut c = Cursor::new(p);
    Ok(c.expect(Rule::quoted_inner)?.as_str().to_string())
}

fn name(p: Pair<'_, Rule>) -> R<Name> {
    let mut c = Cursor::new(&p);
    let inner = c.any()?;
    c.finish()?;
    match inner.as_rule() {
        Rule::ident => Ok(Name {
            text: inner.as_str().to_string(),
            quoted: false,
            span: sp(&inner),
        }),
        Rule::quoted => Ok(Name {
            text: quoted_text(&inner)?,
            quoted: true,
            span: sp(&inner),
        }),
        _ => broken(&inner, "名称"),
    }
}

fn vocab(p: Pair<'_, Rule>) -> R<Vec<VocabEntry>> {
    let mut out = Vec::new();
    for e in Cursor::new(&p) {
        let mut c = Cursor::new(&e);
        let n = name(c.expect(Rule::name)?)?;
        let t = c.expect(Rule::type_expr)?;
        c.finish()?;
        out.push(VocabEntry {
            name: n,
            ty: Spanned::new(type_expr(&t)?, sp(&t)),
        });
    }
    Ok(out)
}

fn type_expr(p: &Pair<'_, Rule>) -> R<TypeExpr> {
    let mut c = Cursor::new(p);
    let t = c.any()?;
    c.finish()?;
    match t.as_rule() {
        Rule::ty_simple => Ok(match t.as_str() {
            "是否" => TypeExpr::Bool,
            "金额" => TypeExpr::Money,
            "比例" => TypeExpr::Ratio,
            "日期" => TypeExpr::Date,
            "文本" => TypeExpr::Text,
            _ => return broken(&t, "类型"),
        }),
        Rule::ty_quantity => {
            let mut c = Cursor::new(&t);
            let u = c.expect(Rule::unit)?;
            Ok(TypeExpr::Quantity(u.as_str().to_string()))
        }
        Rule::ty_enum => {
            let mut values = Vec::new();
            let mut seps = Vec::new();
            for q in Cursor::new(&t) {
                match q.as_rule() {
                    Rule::name => values.push(name(q)?),
                    Rule::enum_sep => seps.push(matches!(q.as_str(), "<" | "＜")),
                    _ => return broken(&q, "枚举"),
                }
            }
            let ordered = seps.first().copied().unwrap_or(false);
            if seps.iter().any(|s| *s != ordered) {
                return Err(LowerError::MixedEnum(sp(&t)));
            }
            Ok(TypeExpr::Enum { values, ordered })
        }
        _ => broken(&t, "类型"),
    }
}

fn define(p: Pair<'_, Rule>) -> R<Define> {
    let mut c = Cursor::new(&p);
    let n = name(c.expect(Rule::name)?)?;
    let body = c.any()?;
    c.finish()?;
    let body = match body.as_rule() {
        Rule::cond => DefineBody::Cond(cond(body)?),
        Rule::expr => DefineBody::Expr(expr(body)?),
        _ => return broken(&body, "定义"),
    };
    Ok(Define { name: n, body })
}

fn param(p: Pair<'_, Rule>) -> R<Param> {
    let mut c = Cursor::new(&p);
    let n = name(c.expect(Rule::name)?)?;
    let mut entries = Vec::new();
    for e in c {
        let mut ec = Cursor::new(&e);
        let d = ec.expect(Rule::date)?;
        let l = ec.expect(Rule::literal)?;
        ec.finish()?;
        let date_span = sp(&d);
        let lit_span = sp(&l);
        entries.push((
            Spanned::new(date(&d)?, date_span),
            Spanned::new(literal(&l)?, lit_span),
        ));
    }
    Ok(Param { name: n, entries })
}

fn literal(p: &Pair<'_, Rule>) -> R<Literal> {
    let mut c = Cursor::new(p);
    let l = c.any()?;
    c.finish()?;
    lit_of(&l)
}

/// A literal from a money/ratio/date/quantity/number pair.
fn lit_of(l: &Pair<'_, Rule>) -> R<Literal> {
    Ok(match l.as_rule() {
        Rule::money => Literal::Money(money(l)?),
        Rule::ratio => Literal::Ratio(ratio(l)?),
        Rule::date => Literal::Date(date(l)?),
        Rule::quantity => {
            let (n, u) = quantity(l)?;
            Literal::Quantity(n, u)
        }
        Rule::number => Literal::Number(decimal(l)?),
        _ => return broken(l, "数值"),
    })
}

fn decimal(p: &Pair<'_, Rule>) -> R<Decimal> {
    num::parse_decimal(p.as_str()).map_err(|e| LowerError::Number(sp(p), e.to_string()))
}

fn money(p: &Pair<'_, Rule>) -> R<Money> {
    let mut c = Cursor::new(p);
    let n = decimal(&c.expect(Rule::number)?)?;
    let u = c.expect(Rule::money_unit)?;
    Money::from_parts(n, u.as_str()).map_err(|e| LowerError::Number(sp(p), e.to_string()))
}

fn ratio(p: &Pair<'_, Rule>) -> R<Ratio> {
    let mut c = Cursor::new(p);
    let n = decimal(&c.expect(Rule::number)?)?;
    let u = c.expect(Rule::ratio_unit)?;
    Ratio::from_parts(n, u.as_str()).map_err(|e| LowerError::Number(sp(p), e.to_string()))
}

fn quantity(p: &Pair<'_, Rule>) -> R<(Decimal, String)> {
    let mut c = Cursor::new(p);
    let mut n = decimal(&c.expect(Rule::number)?)?;
    if c.optional(Rule::wan).is_some() {
        n = num::shift(n, 4)
            .ok_or_else(|| LowerError::Number(sp(p), num::NumError::OutOfRange.to_string()))?;
    }
    let u = c.expect(Rule::unit)?;
    Ok((n, u.as_str().to_string()))
}

fn date(p: &Pair<'_, Rule>) -> R<NaiveDate> {
    let mut parts = Vec::new();
    for q in Cursor::new(p) {
        parts.push(
            q.as_str()
                .parse::<u32>()
                .map_err(|_| LowerError::Date(sp(p), p.as_str().into()))?,
        );
    }
    match parts.as_slice() {
        [y, m, d] => i32::try_from(*y)
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, *m, *d))
            .ok_or_else(|| LowerError::Date(sp(p), p.as_str().into())),
        _ => broken(p, "日期"),
    }
}

fn policy(p: Pair<'_, Rule>) -> R<Policy> {
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

fn policy_item(q: Pair<'_, Rule>) -> R<PolicyItem> {
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
        Rule::define => PolicyItem::Define(define(q)?),
        Rule::allow => PolicyItem::Allow(allow(q)?),
        Rule::case => PolicyItem::Case(case(q)?),
        Rule::clause => PolicyItem::Clause(clause(q)?),
        _ => return broken(&q, "政策项"),
    })
}

/// `第378行` → 378.
fn line_ref(p: &Pair<'_, Rule>) -> R<u32> {
    let n = Cursor::new(p).expect(Rule::line_num)?;
    n.as_str()
        .parse::<u32>()
        .map_err(|e| LowerError::Number(sp(&n), e.to_string()))
}

fn window(p: Pair<'_, Rule>) -> R<Window> {
    let mut c = Cursor::new(&p);
    let start = window_point(c.expect(Rule::window_point)?)?;
    let end = if c.optional(Rule::kw_zhi).is_some() {
        WindowEnd::At(window_point(c.expect(Rule::window_point)?)?)
    } else {
        c.expect(Rule::kw_qi)?;
        match c.optional(Rule::quantity) {
            Some(q) => {
                let (n, u) = quantity(&q)?;
                WindowEnd::For(n, u)
            }
            None => WindowEnd::Open,
        }
    };
    c.finish()?;
    Ok(Window { start, end })
}

fn window_point(p: Pair<'_, Rule>) -> R<WindowPoint> {
    let mut c = Cursor::new(&p);
    let q = c.any()?;
    match q.as_rule() {
        Rule::date => Ok(WindowPoint::Date(date(&q)?)),
        Rule::rel_date => {
            let delay = match Cursor::new(&q).optional(Rule::quantity) {
                Some(x) => Some(quantity(&x)?),
                None => None,
            };
            Ok(WindowPoint::Published(delay))
        }
        _ => broken(&q, "施行日期"),
    }
}

fn share(p: Pair<'_, Rule>) -> R<Share> {
    let mut c = Cursor::new(&p);
    if c.optional(Rule::by_system).is_some() {
        return Ok(Share::BySystem);
    }
    let mut payers = Vec::new();
    for ps in c {
        let mut pc = Cursor::new(&ps);
        let n = name(pc.expect(Rule::name)?)?;
        let r = ratio(&pc.expect(Rule::ratio)?)?;
        payers.push((n, r));
    }
    Ok(Share::Payers(payers))
}

fn label(p: Pair<'_, Rule>) -> R<Label> {
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

fn clause(p: Pair<'_, Rule>) -> R<Clause> {
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

fn text_arg(p: Pair<'_, Rule>) -> R<Spanned<String>> {
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

fn action(p: &Pair<'_, Rule>) -> R<Action> {
    let mut c = Cursor::new(p);
    let a = c.any()?;
    c.finish()?;
    let mut ac = Cursor::new(&a);
    Ok(match a.as_rule() {
        Rule::grant => {
            let tiers = ac.optional(Rule::kw_fenbie).is_some();
            ac.expect(Rule::kw_give)?;
            let amt = if tiers {
                tier_amounts(ac.expect(Rule::tier_amounts)?)?
            } else {
                amount(ac.expect(Rule::amount)?)?
            };
            let gname = grant_name(ac.optional(Rule::grant_name))?;
            Action::Grant(Grant {
                extra: false,
                amount: amt,
                name: gname,
            })
        }
        Rule::extra_grant => {
            ac.expect(Rule::kw_zai)?;
            ac.expect(Rule::kw_give)?;
            let amt = amount(ac.expect(Rule::amount)?)?;
            let gname = grant_name(ac.optional(Rule::grant_name))?;
            Action::Grant(Grant {
                extra: true,
                amount: amt,
                name: gname,
            })
        }
        Rule::exemption => Action::Exempt(text_arg(ac.expect(Rule::text_arg)?)?),
        Rule::prohibition => Action::Prohibit(name(ac.expect(Rule::name)?)?),
        Rule::obligation => Action::Oblige(name(ac.expect(Rule::name)?)?),
        Rule::permission => Action::Permit(text_arg(ac.expect(Rule::text_arg)?)?),
        _ => return broken(&a, "动作"),
    })
}

fn grant_name(p: Option<Pair<'_, Rule>>) -> R<Option<Spanned<String>>> {
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

fn bound_of(p: &Pair<'_, Rule>) -> Bound {
    match p.as_str() {
        "不少于" | "不低于" => Bound::AtLeast,
        _ => Bound::AtMost,
    }
}

fn amount(p: Pair<'_, Rule>) -> R<GrantAmount> {
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
    let bound = c
        .optional(Rule::bound_kw)
        .map_or(Bound::Exact, |b| bound_of(&b));
    let core = amount_core(c.expect(Rule::amount_core)?)?;
    let cp = match c.optional(Rule::cap) {
        Some(x) => Some(cap(x)?),
        None => None,
    };
    c.finish()?;
    Ok(GrantAmount::Single(Amount {
        bound,
        core,
        cap: cp,
        span,
    }))
}

fn cap(p: Pair<'_, Rule>) -> R<Expr> {
    let mut c = Cursor::new(&p);
    let _sep = c.any()?;
    c.expect(Rule::cap_kw)?;
    let e = expr(c.expect(Rule::expr)?)?;
    c.finish()?;
    Ok(e)
}

fn tier_amounts(p: Pair<'_, Rule>) -> R<GrantAmount> {
    let span = sp(&p);
    let mut bound = Bound::Exact;
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

fn amount_core(p: Pair<'_, Rule>) -> R<AmountCore> {
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
            let unit_text: String = kw
                .as_str()
                .trim_start_matches('每')
                .trim_start_matches([' ', '\u{3000}'])
                .to_string();
            let bound = pc
                .optional(Rule::bound_kw)
                .map_or(Bound::Exact, |b| bound_of(&b));
            let rate = expr(pc.expect(Rule::expr)?)?;
            pc.finish()?;
            Ok(AmountCore::PerUnit {
                fact,
                unit: Spanned::new(unit_text, sp(&kw)),
                bound,
                rate,
                span,
            })
        }
        _ => broken(&q, "金额"),
    }
}

fn expr(p: Pair<'_, Rule>) -> R<Expr> {
    let span = sp(&p);
    let mut c = Cursor::new(&p);
    let first = term(c.expect(Rule::term)?)?;
    let mut rest = Vec::new();
    while let Some(op) = c.optional(Rule::add_op) {
        let o = if matches!(op.as_str(), "+" | "＋") {
            ArithOp::Add
        } else {
            ArithOp::Sub
        };
        rest.push((o, term(c.expect(Rule::term)?)?));
    }
    c.finish()?;
    Ok(if rest.is_empty() {
        first
    } else {
        Expr::Arith {
            first: Box::new(first),
            rest,
            span,
        }
    })
}

fn term(p: Pair<'_, Rule>) -> R<Expr> {
    let span = sp(&p);
    let mut c = Cursor::new(&p);
    let first = factor(c.expect(Rule::factor)?)?;
    let mut rest = Vec::new();
    while let Some(op) = c.optional(Rule::mul_op) {
        let o = if matches!(op.as_str(), "÷" | "/") {
            ArithOp::Div
        } else {
            ArithOp::Mul
        };
        rest.push((o, factor(c.expect(Rule::factor)?)?));
    }
    c.finish()?;
    Ok(if rest.is_empty() {
        first
    } else {
        Expr::Arith {
            first: Box::new(first),
            rest,
            span,
        }
    })
}

fn factor(p: Pair<'_, Rule>) -> R<Expr> {
    let span = sp(&p);
    let mut c = Cursor::new(&p);
    let base = primary(c.expect(Rule::primary)?)?;
    let base_cap = match c.optional(Rule::base_cap) {
        Some(bc) => {
            let mut bcc = Cursor::new(&bc);
            bcc.expect(Rule::cap_kw)?;
            Some(Box::new(primary(bcc.expect(Rule::primary)?)?))
        }
        None => None,
    };
    let mut shares = Vec::new();
    while c.optional(Rule::kw_de).is_some() {
        c.optional(Rule::kw_an);
        shares.push(primary(c.expect(Rule::primary)?)?);
    }
    c.finish()?;
    Ok(if shares.is_empty() && base_cap.is_none() {
        base
    } else {
        Expr::Of {
            base: Box::new(base),
            base_cap,
            shares,
            span,
        }
    })
}

fn primary(p: Pair<'_, Rule>) -> R<Expr> {
    let mut c = Cursor::new(&p);
    let q = c.any()?;
    c.finish()?;
    let span = sp(&q);
    match q.as_rule() {
        Rule::operand => operand(q),
        Rule::func_call => {
            let mut fc = Cursor::new(&q);
            let f = fc.expect(Rule::func_name)?;
            let func = if f.as_str() == "较高者" {
                Func::Max
            } else {
                Func::Min
            };
            let mut args = Vec::new();
            for a in fc {
                if a.as_rule() == Rule::expr {
                    args.push(expr(a)?);
                }
            }
            Ok(Expr::Call { func, args, span })
        }
        _ => Ok(Expr::Lit(Spanned::new(lit_of(&q)?, span))),
    }
}

/// A word or `(…)`, and when a band's tail follows it, the band
/// (`技术交易额 超过 1亿元 的部分 按 2‰`).
fn operand(p: Pair<'_, Rule>) -> R<Expr> {
    let span = sp(&p);
    let mut c = Cursor::new(&p);
    let subject = {
        let s = c.expect(Rule::band_subject)?;
        let inner = Cursor::new(&s).any()?;
        match inner.as_rule() {
            Rule::paren_expr => expr(Cursor::new(&inner).expect(Rule::expr)?)?,
            Rule::name => Expr::Name(name(inner)?),
            _ => return broken(&inner, "分段基数"),
        }
    };
    let Some(tail) = c.optional(Rule::band_tail) else {
        c.finish()?;
        return Ok(subject);
    };
    c.finish()?;
    let mut c = Cursor::new(&tail);
    let op = c.expect(Rule::band_op)?;
    let above = op.as_str() == "超过";
    let bound = {
        let b = c.expect(Rule::band_bound)?;
        let inner = Cursor::new(&b).any()?;
        match inner.as_rule() {
            Rule::name => Expr::Name(name(inner)?),
            _ => Expr::Lit(Spanned::new(lit_of(&inner)?, sp(&inner))),
        }
    };
    c.expect(Rule::kw_bufen)?;
    c.optional(Rule::kw_an);
    let rate = {
        let r = c.expect(Rule::band_rate)?;
        let inner = Cursor::new(&r).any()?;
        match inner.as_rule() {
            Rule::paren_expr => expr(Cursor::new(&inner).expect(Rule::expr)?)?,
            Rule::name => Expr::Name(name(inner)?),
            _ => Expr::Lit(Spanned::new(lit_of(&inner)?, sp(&inner))),
        }
    };
    c.finish()?;
    Ok(Expr::Band {
        subject: Box::new(subject),
        above,
        bound: Box::new(bound),
        rate: Box::new(rate),
        span,
    })
}

fn cond(p: Pair<'_, Rule>) -> R<Cond> {
    let span = sp(&p);
    let mut parts = Vec::new();
    for q in Cursor::new(&p) {
        if q.as_rule() == Rule::and_cond {
            parts.push(and_cond(q)?);
        }
    }
    Ok(collapse(parts, span, Cond::Or))
}

fn collapse(mut parts: Vec<Cond>, span: Span, make: fn(Vec<Cond>, Span) -> Cond) -> Cond {
    if parts.len() == 1
        && let Some(only) = parts.pop()
    {
        return only;
    }
    make(parts, span)
}

fn and_cond(p: Pair<'_, Rule>) -> R<Cond> {
    let span = sp(&p);
    let mut parts = Vec::new();
    for q in Cursor::new(&p) {
        if q.as_rule() == Rule::list_cond {
            parts.push(list_cond(q)?);
        }
    }
    Ok(collapse(parts, span, Cond::And))
}

fn list_cond(p: Pair<'_, Rule>) -> R<Cond> {
    let span = sp(&p);
    let mut parts = Vec::new();
    for q in Cursor::new(&p) {
        if q.as_rule() == Rule::juxt {
            parts.push(juxt(q)?);
        }
    }
    Ok(collapse(parts, span, Cond::List))
}

fn juxt(p: Pair<'_, Rule>) -> R<Cond> {
    let span = sp(&p);
    let parts = Cursor::new(&p).map(unary).collect::<R<Vec<_>>>()?;
    Ok(collapse(parts, span, Cond::And))
}

fn unary(p: Pair<'_, Rule>) -> R<Cond> {
    let span = sp(&p);
    let mut nots = 0usize;
    let mut inner = None;
    for q in Cursor::new(&p) {
        match q.as_rule() {
            Rule::not_kw => nots += 1,
            Rule::atom => inner = Some(atom(q)?),
            _ => return broken(&q, "条件"),
        }
    }
    let Some(inner) = inner else {
        return broken(&p, "缺少条件");
    };
    // Double negation cancels; keeping the tree flat keeps evaluation
    // recursion bounded by parentheses alone.
    Ok(if nots % 2 == 1 {
        Cond::Not(Box::new(inner), span)
    } else {
        inner
    })
}

fn atom(p: Pair<'_, Rule>) -> R<Cond> {
    let mut c = Cursor::new(&p);
    let q = c.any()?;
    c.finish()?;
    match q.as_rule() {
        Rule::paren_cond => cond(Cursor::new(&q).expect(Rule::cond)?),
        Rule::comparison => comparison(q),
        Rule::ordinal => {
            let span = sp(&q);
            let mut oc = Cursor::new(&q);
            let n = name(oc.expect(Rule::name)?)?;
            let incl = oc.optional(Rule::inclusive).is_some();
            let suffix = oc.expect(Rule::cmp_suffix)?;
            let (op, contradictory) = suffix_op(&suffix, incl);
            Ok(Cond::Compare(Compare {
                lhs: None,
                op,
                rhs: vec![Expr::Name(n)],
                contradictory,
                op_span: sp(&suffix),
                span,
            }))
        }
        Rule::name => Ok(Cond::Word(name(q)?)),
        _ => broken(&q, "条件"),
    }
}

fn suffix_op(suffix: &Pair<'_, Rule>, _incl: bool) -> (CmpOp, bool) {
    match suffix.as_str() {
        "以下" | "及以下" | "以内" => (CmpOp::Le, false),
        _ => (CmpOp::Ge, false),
    }
}

fn comparison(p: Pair<'_, Rule>) -> R<Cond> {
    let span = sp(&p);
    let mut c = Cursor::new(&p);
    let lhs = expr(c.expect(Rule::expr)?)?;
    let tail = c.expect(Rule::cmp_tail)?;
    c.finish()?;
    let mut tc = Cursor::new(&tail);
    let first = tc.any()?;
    let op_span = sp(&first);
    let (op, rhs, contradictory) = match first.as_rule() {
        Rule::cmp_word => {
            let rhs = expr(tc.expect(Rule::expr)?)?;
            let incl = tc.optional(Rule::inclusive).is_some();
            let suffix = tc.optional(Rule::cmp_suffix);
            let (op, contra) = word_op(&first, incl, suffix.as_ref(), span)?;
            (op, vec![rhs], contra)
        }
        Rule::sym_op => {
            let op = match first.as_str() {
                ">=" | "≥" | "＞＝" => CmpOp::Ge,
                "<=" | "≤" | "＜＝" => CmpOp::Le,
                ">" | "＞" => CmpOp::Gt,
                "<" | "＜" => CmpOp::Lt,
                _ => CmpOp::Eq,
            };
            (op, vec![expr(tc.expect(Rule::expr)?)?], false)
        }
        Rule::eq_kw | Rule::member_kw => {
            let negated = first.as_str().starts_with('不');
            let list = tc.expect(Rule::value_list)?;
            let values = Cursor::new(&list)
                .filter(|x| x.as_rule() == Rule::expr)
                .map(expr)
                .collect::<R<Vec<_>>>()?;
            (if negated { CmpOp::Ne } else { CmpOp::Eq }, values, false)
        }
        Rule::expr => {
            let rhs = expr(first)?;
            let incl = tc.optional(Rule::inclusive).is_some();
            let suffix = tc.expect(Rule::cmp_suffix)?;
            let (op, contra) = suffix_op(&suffix, incl);
            return Ok(Cond::Compare(Compare {
                lhs: Some(lhs),
                op,
                rhs: vec![rhs],
                contradictory: contra,
                op_span: sp(&suffix),
                span,
            }));
        }
        _ => return broken(&first, "比较"),
    };
    tc.finish()?;
    Ok(Cond::Compare(Compare {
        lhs: Some(lhs),
        op,
        rhs,
        contradictory,
        op_span,
        span,
    }))
}

/// The operator of `<word> X (（含）) (<suffix>)`, by 《民法典》第一千二百五十九条:
/// 以上/以下/以内/达到/不低于/不少于 include the number, 超过/高于/低于/不足/不满
/// exclude it, and an explicit （含） makes the bound inclusive.
fn word_op(
    word: &Pair<'_, Rule>,
    incl: bool,
    suffix: Option<&Pair<'_, Rule>>,
    span: Span,
) -> R<(CmpOp, bool)> {
    let w = word.as_str();
    let base = match w {
        "超过" | "高于" | "大于" | "多于" => CmpOp::Gt,
        "达到" | "达" | "不低于" | "不少于" => CmpOp::Ge,
        "低于" | "不足" | "不满" | "小于" | "少于" => CmpOp::Lt,
        "不超过" | "不高于" => CmpOp::Le,
        _ => return broken(word, "比较词"),
    };
    let upward = matches!(base, CmpOp::Gt | CmpOp::Ge);
    let suffix_up = suffix.map(|s| matches!(s.as_str(), "以上" | "及以上"));
    if let (Some(up), Some(s)) = (suffix_up, suffix)
        && up != upward
    {
        return Err(LowerError::Conflict(span, format!("{w} … {}", s.as_str())));
    }
    let exclusive = matches!(base, CmpOp::Gt | CmpOp::Lt);
    let made_inclusive = incl || suffix.is_some();
    let op = match (base, made_inclusive) {
        (CmpOp::Gt, true) => CmpOp::Ge,
        (CmpOp::Lt, true) => CmpOp::Le,
        (op, _) => op,
    };
    Ok((op, exclusive && made_inclusive))
}

fn case(p: Pair<'_, Rule>) -> R<Case> {
    let span = sp(&p);
    let mut c = Cursor::new(&p);
    let q = c.expect(Rule::quoted)?;
    let case_name = Spanned::new(quoted_text(&q)?, sp(&q));
    let mut facts = Vec::new();
    let mut when = None;
    let mut expectations = Vec::new();
    for ci in c {
        let mut cc = Cursor::new(&ci);
        let x = cc.any()?;
        match x.as_rule() {
            Rule::case_facts => {
                for fe in Cursor::new(&x) {
                    let mut fc = Cursor::new(&fe);
                    let n = name(fc.expect(Rule::name)?)?;
                    let v = fc.expect(Rule::fact_value)?;
                    let vs = sp(&v);
                    let inner = Cursor::new(&v).any()?;
                    let val = match inner.as_rule() {
                        Rule::yes => FactLiteral::Bool(true),
                        Rule::no => FactLiteral::Bool(false),
                        Rule::name => FactLiteral::Word(name(inner)?.text),
                        _ => FactLiteral::Lit(lit_of(&inner)?),
                    };
                    facts.push((n, Spanned::new(val, vs)));
                }
            }
            Rule::case_date => {
                let d = Cursor::new(&x).expect(Rule::date)?;
                if when.is_some() {
                    return Err(LowerError::DuplicateCaseDate(sp(&d)));
                }
                when = Some(Spanned::new(date(&d)?, sp(&d)));
            }
            Rule::expectation => expectations.push(expectation(x)?),
            _ => return broken(&x, "案例项"),
        }
    }
    Ok(Case {
        name: case_name,
        facts,
        date: when,
        expectations,
        span,
    })
}

fn expectation(p: Pair<'_, Rule>) -> R<Expectation> {
    let span = sp(&p);
    let mut c = Cursor::new(&p);
    let x = c.any()?;
    let mut xc = Cursor::new(&x);
    match x.as_rule() {
        Rule::expect_total => {
            let outcome = expect_amount(xc.expect(Rule::expect_amount)?)?;
            Ok(Expectation {
                target: ExpectTarget::Total,
                outcome,
                span,
            })
        }
        Rule::expect_clause => {
            let r = xc.expect(Rule::clause_ref)?;
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
            let lbl = label(rc.expect(Rule::label)?)?;
            let o = xc.expect(Rule::expect_outcome)?;
            let mut oc = Cursor::new(&o);
            let outcome = if oc.optional(Rule::kw_give).is_some() {
                expect_amount(oc.expect(Rule::expect_amount)?)?
            } else {
                let w = oc.expect(Rule::expect_word)?;
                match w.as_str() {
                    "不适用" => Expected::NotApplicable,
                    "待定" => Expected::Undecided,
                    "免于" => Expected::Exempt,
                    "违反" => Expected::Violated,
                    "遵守" => Expected::Met,
                    _ => return broken(&w, "期望"),
                }
            };
            Ok(Expectation {
                target: ExpectTarget::Clause { policy, label: lbl },
                outcome,
                span,
            })
        }
        _ => broken(&x, "期望"),
    }
}

fn expect_amount(p: Pair<'_, Rule>) -> R<Expected> {
    let mut c = Cursor::new(&p);
    if c.optional(Rule::kw_zhuoding).is_some() {
        return Ok(Expected::Discretionary);
    }
    let bound = c
        .optional(Rule::bound_kw)
        .map_or(Bound::Exact, |b| bound_of(&b));
    let m = c.expect(Rule::money)?;
    Ok(Expected::Amount(bound, money(&m)?))
}
