//! pest pairs → `ast`, one function per rule. Literal conversion (money,
//! ratios, dates) happens here, so later stages see exact values.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::cursor::{Broken, Cursor, Node};
use super::{Rule, SyntaxError};
use crate::ast::*;
use crate::currency::Currency;
use crate::num::{self, Money, Ratio};
use crate::source::{SourceFile, Span, Spanned};

mod case;
mod clause;
mod cond;
mod expr;
mod policy;

use case::case;
use clause::clause;
use cond::cond;
use expr::expr;
use policy::policy;

/// What can go wrong while lowering.
enum LowerError {
    Broken(Broken),
    Number(Span, String),
    Date(Span, String),
    Conflict(Span, String),
    MixedEnum(Span),
    DuplicateCaseDate(Span),
    EmptyName(Span),
    RankNumeral(Span, String),
    YearNumeral(Span, String),
    FractionNumeral(Span, String),
    FractionZero(Span),
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
fn sp(p: &Node<'_>) -> Span {
    let span = p.span();
    // Skipped text ends in a space or on a comment's line: a pair whose
    // text ends otherwise, with no `#` on its last line, is exact as it is.
    let text = p.as_str();
    let code = text.trim_end_matches(crate::lexicon::trivia::is_space);
    if !code.rsplit('\n').next().unwrap_or("").contains('#') {
        if code.len() == text.len() {
            return span;
        }
        // Spaces, and no comment before them: only skipped spaces, if
        // the pair has children and the last starts before them (a pair
        // with none is one token, exact as it is even when it ends in a
        // space, as `“甲 ”`'s text does; a file's last child is the empty
        // end of input, after its final newline). Most pairs of a nested
        // condition end so, and walking down to the rightmost token for
        // each of them at every level was a tenth of reading a file.
        let end = span.start + code.len();
        match p.children().next_back() {
            None => return span,
            Some(q) if q.span().start < end => return Span::new(span.start, end),
            Some(_) => {}
        }
    }
    by_rightmost(p, sp)
}

/// Where `p`'s text ends, found from its last child's end (`child` gives
/// that one's span) and the tokens after it that make no pair.
fn by_rightmost(p: &Node<'_>, child: fn(&Node<'_>) -> Span) -> Span {
    let span = p.span();
    // Atomic rules skip nothing: their span is exact (and a quoted text may
    // hold `#` or spaces that are not skipped ones).
    // The last inner pair is where the text ends, up to trailing tokens
    // that make no pair; only the rightmost path is walked.
    let Some(last) = p.children().next_back().map(|q| child(&q).end) else {
        return span;
    };
    // A token the grammar does not keep as a pair: `）`, `」`, `}` ….
    let rest = p
        .as_str()
        .get(last.saturating_sub(span.start)..)
        .unwrap_or("");
    let end = crate::lexicon::trivia::token_chars(rest)
        .last()
        .map_or(last, |(i, c)| last + i + c.len_utf8());
    Span::new(span.start, end)
}

fn broken<T>(p: &Node<'_>, what: &str) -> R<T> {
    Err(LowerError::Broken(Broken {
        span: sp(p),
        message: format!("{what}：{:?}", p.as_rule()),
    }))
}

/// What one read of `Rule::next_item` found: the item, or `None` at the
/// end of the file. `top` is what pest returned for that read.
pub(super) fn next_item<'i>(
    source: &SourceFile,
    top: Node<'i>,
) -> Result<Option<Node<'i>>, SyntaxError> {
    let found = (|| -> R<Option<Node<'i>>> {
        let mut c = Cursor::new(&top);
        let p = c.any()?;
        c.finish()?;
        match p.as_rule() {
            Rule::item => Ok(Some(p)),
            Rule::EOI => Ok(None),
            _ => broken(&p, "文件中出现意外节点"),
        }
    })();
    found.map_err(|e| to_syntax_error(source, e))
}

/// Lowers one top-level item of `source`.
pub(super) fn top_item(source: &SourceFile, p: Node<'_>) -> Result<Item, SyntaxError> {
    item(p).map_err(|e| to_syntax_error(source, e))
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
        LowerError::RankNumeral(span, text) => SyntaxError::RankNumeral {
            src,
            span: span.into(),
            text,
        },
        LowerError::YearNumeral(span, text) => SyntaxError::YearNumeral {
            src,
            span: span.into(),
            text,
        },
        LowerError::FractionNumeral(span, text) => SyntaxError::FractionNumeral {
            src,
            span: span.into(),
            text,
        },
        LowerError::FractionZero(span) => SyntaxError::FractionZero {
            src,
            span: span.into(),
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
        LowerError::EmptyName(span) => SyntaxError::EmptyName {
            src,
            span: span.into(),
        },
    }
}

fn item(p: Node<'_>) -> R<Item> {
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

fn allow(p: Node<'_>) -> R<Allow> {
    let mut names = Vec::new();
    let mut reason = None;
    for q in Cursor::new(&p) {
        match q.as_rule() {
            Rule::ident => names.push(Spanned::new(q.as_str().to_string(), sp(&q))),
            Rule::verbatim => {
                let inner = Cursor::new(&q).expect(Rule::verbatim_inner)?;
                reason = Some(Spanned::new(inner.as_str().to_string(), sp(&q)));
            }
            _ => {}
        }
    }
    Ok(Allow { names, reason })
}

fn quoted_text(p: &Node<'_>) -> R<String> {
    let mut c = Cursor::new(p);
    Ok(c.expect(Rule::quoted_inner)?.as_str().to_string())
}

fn name(p: Node<'_>) -> R<Name> {
    let mut c = Cursor::new(&p);
    let inner = c.any()?;
    c.finish()?;
    match inner.as_rule() {
        Rule::ident => Ok(Name {
            text: inner.as_str().to_string(),
            quoted: false,
            span: sp(&inner),
        }),
        // The spaces inside the quotation marks are not part of the word:
        // “ 研发投入 ” is 研发投入, as a register's header and a cell are
        // read trimmed (a template would otherwise write a header that
        // batch never matches).
        Rule::quoted => {
            let text = quoted_text(&inner)?.trim().to_string();
            if text.is_empty() {
                return Err(LowerError::EmptyName(sp(&inner)));
            }
            Ok(Name {
                text,
                quoted: true,
                span: sp(&inner),
            })
        }
        _ => broken(&inner, "名称"),
    }
}

fn vocab(p: Node<'_>) -> R<Vocab> {
    let mut out = Vocab::default();
    for e in Cursor::new(&p) {
        let mut c = Cursor::new(&e);
        if let Some(d) = c.optional(Rule::unit_decl) {
            c.finish()?;
            let units = Cursor::new(&d)
                .filter(|u| u.as_rule() == Rule::unit_name)
                .map(|u| Spanned::new(u.as_str().to_string(), sp(&u)))
                .collect();
            out.units.push(UnitDecl {
                units,
                span: sp(&d),
            });
            continue;
        }
        out.entries.push(vocab_entry(&mut c)?);
        c.finish()?;
    }
    Ok(out)
}

/// `名称: 类型`, a list's fields with it.
fn vocab_entry(c: &mut Cursor<'_>) -> R<VocabEntry> {
    let n = name(c.expect(Rule::name)?)?;
    let t = c.expect(Rule::type_expr)?;
    let mut fields = Vec::new();
    if let Some(l) = Cursor::new(&t).optional(Rule::ty_list) {
        for f in Cursor::new(&l) {
            let mut fc = Cursor::new(&f);
            fields.push(vocab_entry(&mut fc)?);
            fc.finish()?;
        }
    }
    Ok(VocabEntry {
        name: n,
        ty: Spanned::new(type_expr(&t)?, sp(&t)),
        fields,
    })
}

fn type_expr(p: &Node<'_>) -> R<TypeExpr> {
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
            "名次" => TypeExpr::Rank,
            _ => return broken(&t, "类型"),
        }),
        Rule::ty_list => Ok(TypeExpr::List),
        Rule::ty_foreign => {
            let mut c = Cursor::new(&t);
            let cur = currency(&c.expect(Rule::currency)?)?;
            c.finish()?;
            Ok(TypeExpr::Foreign(cur))
        }
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

fn define(p: Node<'_>) -> R<Define> {
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

fn param(p: Node<'_>) -> R<Param> {
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

fn literal(p: &Node<'_>) -> R<Literal> {
    let mut c = Cursor::new(p);
    let l = c.any()?;
    c.finish()?;
    lit_of(&l)
}

/// A literal from a money/ratio/date/quantity/number pair.
fn lit_of(l: &Node<'_>) -> R<Literal> {
    Ok(match l.as_rule() {
        Rule::money => Literal::Money(money(l)?),
        Rule::foreign_money => {
            let (m, c) = foreign_money(l)?;
            Literal::Foreign(m, c)
        }
        Rule::rate => {
            let mut c = Cursor::new(l);
            let n = decimal(&c.expect(Rule::number)?)?;
            let cur = currency(&c.expect(Rule::currency)?)?;
            c.finish()?;
            Literal::Rate(n, cur)
        }
        Rule::ratio => Literal::Ratio(ratio(l)?),
        Rule::date => Literal::Date(date(l)?),
        Rule::quantity => {
            let (n, u) = quantity(l)?;
            Literal::Quantity(n, u)
        }
        Rule::number => Literal::Number(decimal(l)?),
        Rule::rank => Literal::Rank(rank(l)?),
        Rule::fraction => Literal::Fraction(fraction(l)?),
        _ => return broken(l, "数值"),
    })
}

fn decimal(p: &Node<'_>) -> R<Decimal> {
    num::parse_decimal(p.as_str()).map_err(|e| LowerError::Number(sp(p), e.to_string()))
}

/// The number of `第3名` or `前5名`, or of `第三名`, `前十二名`.
fn rank(p: &Node<'_>) -> R<Decimal> {
    let mut c = Cursor::new(p);
    let n = match c.optional(Rule::rank_cn) {
        Some(cn) => match num::chinese_numeral(cn.as_str()) {
            Some(n) => Decimal::from(n),
            None => return Err(LowerError::RankNumeral(sp(&cn), cn.as_str().to_string())),
        },
        None => decimal(&c.expect(Rule::number)?)?,
    };
    c.finish()?;
    Ok(n)
}

/// `三分之一`, `百分之二十`, `3分之1`: the denominator is written first.
fn fraction(p: &Node<'_>) -> R<Fraction> {
    let mut c = Cursor::new(p);
    let den = fraction_part(&c.expect(Rule::fraction_part)?, true)?;
    let num = fraction_part(&c.expect(Rule::fraction_part)?, false)?;
    c.finish()?;
    if den == 0 {
        return Err(LowerError::FractionZero(sp(p)));
    }
    Ok(Fraction {
        num,
        den,
        written: p.as_str().trim().to_string(),
    })
}

/// One side of a fraction, as [`num::fraction_side`] reads it.
fn fraction_part(p: &Node<'_>, den: bool) -> R<u32> {
    let text = p.as_str();
    match num::fraction_side(text, den) {
        Some(n) => Ok(n),
        None if text.bytes().all(|b| b.is_ascii_digit()) => {
            Err(LowerError::Number(sp(p), "数字过大".into()))
        }
        None => Err(LowerError::FractionNumeral(sp(p), text.to_string())),
    }
}

fn money(p: &Node<'_>) -> R<Money> {
    let mut c = Cursor::new(p);
    let n = decimal(&c.expect(Rule::number)?)?;
    let u = c.expect(Rule::money_unit)?;
    Money::from_parts(n, u.as_str()).map_err(|e| LowerError::Number(sp(p), e.to_string()))
}

fn currency(p: &Node<'_>) -> R<Currency> {
    match Currency::from_word(p.as_str()) {
        Some(c) => Ok(c),
        None => broken(p, "币种"),
    }
}

fn foreign_money(p: &Node<'_>) -> R<(Money, Currency)> {
    let mut c = Cursor::new(p);
    let n = decimal(&c.expect(Rule::number)?)?;
    let scale = c.optional(Rule::foreign_scale).map_or("", |s| s.as_str());
    let cur = currency(&c.expect(Rule::currency)?)?;
    c.finish()?;
    let m = Currency::amount(n, scale).map_err(|e| LowerError::Number(sp(p), e.to_string()))?;
    Ok((m, cur))
}

fn ratio(p: &Node<'_>) -> R<Ratio> {
    let mut c = Cursor::new(p);
    let n = decimal(&c.expect(Rule::number)?)?;
    let u = c.expect(Rule::ratio_unit)?;
    Ratio::from_parts(n, u.as_str()).map_err(|e| LowerError::Number(sp(p), e.to_string()))
}

fn quantity(p: &Node<'_>) -> R<(Decimal, String)> {
    let mut c = Cursor::new(p);
    let mut n = decimal(&c.expect(Rule::number)?)?;
    if c.optional(Rule::wan).is_some() {
        n = num::shift(n, 4)
            .ok_or_else(|| LowerError::Number(sp(p), num::NumError::OutOfRange.to_string()))?;
    }
    let u = c.expect(Rule::unit)?;
    Ok((n, u.as_str().to_string()))
}

/// A period (`5个工作日`, the unit kept as written) or, in a window, a
/// quantity standing for one (`3人`, which the checker refuses).
fn period(p: &Node<'_>) -> R<Spanned<Period>> {
    let (n, unit) = match p.as_rule() {
        Rule::period => {
            let mut c = Cursor::new(p);
            let n = decimal(&c.expect(Rule::number)?)?;
            let u = c.expect(Rule::period_unit)?;
            c.finish()?;
            (n, u.as_str().to_string())
        }
        _ => quantity(p)?,
    };
    Ok(Spanned::new(Period { n, unit }, sp(p)))
}

fn date(p: &Node<'_>) -> R<NaiveDate> {
    // The grammar already asks for four-digit years; the facts reader is
    // the one that says which days exist, for every input alike.
    crate::facts::read_date(p.as_str()).map_err(|_| LowerError::Date(sp(p), p.as_str().into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::generated::ZhengceParser;
    use pest::Parser as _;

    /// `sp` without its shortcut for pairs that end in spaces: every
    /// such pair found by walking down to its rightmost token.
    fn sp_walked(p: &Node<'_>) -> Span {
        let text = p.as_str();
        if text
            .chars()
            .next_back()
            .is_none_or(|c| !crate::lexicon::trivia::is_space(c))
            && !text.rsplit('\n').next().unwrap_or("").contains('#')
        {
            return p.span();
        }
        by_rightmost(p, sp_walked)
    }

    #[test]
    fn every_pair_of_every_shipped_file_spans_as_walked() {
        // tests/ holds files nested past what lowering accepts; both walks
        // recurse once per level of them.
        std::thread::Builder::new()
            .stack_size(512 << 20)
            .spawn(compare_every_pair)
            .unwrap()
            .join()
            .unwrap();
    }

    fn compare_every_pair() {
        let mut paths = Vec::new();
        for d in ["policies", "examples", "tests"] {
            crate::load::walk(std::path::Path::new(d), &mut paths).unwrap();
        }
        let text = "政策 《甲》 { 对 甲 乙 # 注释 「」\n 且 （丙 ） 给予 1元 奖励 原文 「“甲 ” # 」  }\n对 “甲 ”  给予 1元\n";
        // A quoted name and a 原文 that end in a space or hold `#`, a
        // comment before a line break inside a condition: the cases the
        // shortcut must leave to the walk.
        assert!(ZhengceParser::parse(crate::syntax::Rule::file, text).is_ok());
        let mut sources = vec![("inline.zc".to_string(), text.to_string())];
        for p in &paths {
            if let Ok(t) = std::fs::read_to_string(p) {
                sources.push((p.display().to_string(), t));
            }
        }
        let mut pairs = 0usize;
        let mut parsed = 0usize;
        for (name, text) in &sources {
            let Ok(top) = ZhengceParser::parse(crate::syntax::Rule::file, text) else {
                continue;
            };
            parsed += 1;
            for pair in top.flatten() {
                let node = Node::new(pair, 0);
                pairs += 1;
                assert_eq!(
                    sp(&node),
                    sp_walked(&node),
                    "{name}: {:?} {:?}",
                    node.as_rule(),
                    node.as_str()
                );
            }
        }
        // policies/ alone holds some thirty files and hundreds of
        // thousands of pairs: a test that compared nothing would say so.
        assert!(
            parsed > 30 && pairs > 100_000,
            "{parsed} files, {pairs} pairs"
        );
    }
}
