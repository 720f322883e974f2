//! Expressions and their kinds: money, ratios, counts, dates and numbers,
//! and which of them may be compared or combined.

use super::{DefValue, Resolver, to_sspan};
use crate::ast::{self, ArithOp, Literal};
use crate::check::error::CheckError;
use crate::check::suggest::{did_you_mean, similar};
use crate::currency::Currency;
use crate::program::*;
use crate::source::Span;

impl Resolver {
    /// Resolves an expression and its kind; `hint` is the kind of the other
    /// side of a comparison, used to read enumeration values.
    pub(crate) fn expr(
        &mut self,
        file: FileId,
        e: &ast::Expr,
        hint: Option<&Kind>,
    ) -> Option<(Expr, Kind)> {
        let level = self.nesting + 1;
        if !self.nest_to(level, Resolver::loc(file, e.span())) {
            return None;
        }
        self.nesting = level;
        let out = self.expr_node(file, e, hint);
        self.nesting = level - 1;
        out
    }

    pub(super) fn expr_node(
        &mut self,
        file: FileId,
        e: &ast::Expr,
        hint: Option<&Kind>,
    ) -> Option<(Expr, Kind)> {
        let loc = Resolver::loc(file, e.span());
        match e {
            ast::Expr::Lit(l) => {
                if let Literal::Fraction(f) = &l.node {
                    self.errors.push(CheckError::FractionAlone {
                        src: self.src(file),
                        span: to_sspan(l.span),
                        text: f.written.clone(),
                    });
                    return None;
                }
                if let Literal::Rank(n) = l.node
                    && crate::facts::whole_rank(n).is_none()
                {
                    let why = if !n.fract().is_zero() {
                        "名次不能有小数"
                    } else if n.is_zero() {
                        "名次从 第1名 起，没有第0名"
                    } else {
                        "名次过大"
                    };
                    self.errors.push(CheckError::RankForm {
                        src: self.src(file),
                        span: to_sspan(l.span),
                        text: self
                            .files
                            .get(file)
                            .map_or("", |f| f.slice(l.span))
                            .to_string(),
                        why: why.to_string(),
                    });
                    return None;
                }
                if self.zero_rate(file, l) {
                    return None;
                }
                // An unknown unit is reported once; comparing its
                // quantity with anything would only report it again.
                if let Literal::Quantity(_, u) = &l.node
                    && !self.known_unit_at_end(file, u, l.span)
                {
                    return None;
                }
                let (v, k) = literal_value(&l.node)?;
                Some((Expr::Lit(v, loc), k))
            }
            ast::Expr::Name(n) => self.expr_name(file, n, hint),
            ast::Expr::Arith { first, rest, .. } => self.arith_expr(file, loc, first, rest),
            ast::Expr::Of {
                base,
                base_cap,
                shares,
                ..
            } => self.of_expr(file, loc, base, base_cap.as_deref(), shares),
            ast::Expr::Call { func, args, .. } => self.call_expr(file, loc, *func, args),
            ast::Expr::Band {
                subject,
                above,
                bound,
                rate,
                ..
            } => self.band_expr(file, loc, subject, *above, bound, rate),
            ast::Expr::Convert { amount, rate, .. } => self.convert_expr(file, loc, amount, rate),
            ast::Expr::Shift {
                base, period, back, ..
            } => self.shift_expr(file, loc, base, period, *back),
            ast::Expr::Period(p) => {
                self.errors.push(CheckError::PeriodAlone {
                    src: self.src(file),
                    span: to_sspan(p.span),
                    period: format!("{}{}", p.node.n.normalize(), p.node.unit),
                });
                None
            }
        }
    }

    /// `X 按 R 折算`: X in a foreign currency, R a rate of that currency;
    /// the result is in 元.
    fn convert_expr(
        &mut self,
        file: FileId,
        loc: Loc,
        amount: &ast::Expr,
        rate: &ast::Expr,
    ) -> Option<(Expr, Kind)> {
        let (a, ak) = self.expr(file, amount, None)?;
        let Kind::Foreign(c) = ak else {
            self.errors.push(self.wrong_kind(
                file,
                amount.span(),
                "外币金额（如 300万美元）",
                &ak,
                "“按 … 折算”只用于外币金额：元的金额无需折算，直接写它",
            ));
            return None;
        };
        let (r, rk) = self.expr(file, rate, None)?;
        if rk != Kind::Rate(c) {
            let help = format!(
                "{c}金额要按{c}的汇率折算：声明 参数 {c}汇率 {{ 2024年1月1日: {}元/{c} }}，再写 按 {c}汇率 折算",
                c.example_rate()
            );
            self.errors.push(self.wrong_kind(
                file,
                rate.span(),
                &format!("{c}汇率（元/{c}）"),
                &rk,
                &help,
            ));
            return None;
        }
        Some((
            Expr::Convert {
                amount: Box::new(a),
                rate: Box::new(r),
                loc,
            },
            Kind::Money,
        ))
    }

    /// `受理日期 后 5个工作日`: a date, and a whole number of a unit of time.
    fn shift_expr(
        &mut self,
        file: FileId,
        loc: Loc,
        base: &ast::Expr,
        period: &crate::source::Spanned<ast::Period>,
        back: bool,
    ) -> Option<(Expr, Kind)> {
        let b = self.expr(file, base, None);
        let (n, unit) = (period.node.n, period.node.unit.as_str());
        let unit_kind = ast::TimeUnit::parse(unit);
        let count = match unit_kind {
            _ if n.fract() != rust_decimal::Decimal::ZERO => {
                Err(format!("{}{unit} 不是整数", n.normalize()))
            }
            None => Err(format!("“{unit}”不是时间单位")),
            Some(u) => {
                use rust_decimal::prelude::ToPrimitive;
                n.to_u32()
                    .filter(|v| *v <= MAX_PERIOD)
                    .map(|v| (v, u))
                    .ok_or_else(|| format!("{}{unit} 过长，超出了日历范围", n.normalize()))
            }
        };
        let (n, unit) = match count {
            Ok(c) => c,
            Err(reason) => {
                self.errors.push(CheckError::PeriodFraction {
                    src: self.src(file),
                    span: to_sspan(period.span),
                    reason,
                });
                return None;
            }
        };
        let (b, bk) = b?;
        if bk != Kind::Date {
            self.errors.push(self.wrong_kind(
                file,
                base.span(),
                "日期",
                &bk,
                if back {
                    "“前”前面应是日期，如 开工日期 前 3日"
                } else {
                    "“后”前面应是日期，如 受理日期 后 5个工作日"
                },
            ));
            return None;
        }
        Some((
            Expr::Shift {
                base: Box::new(b),
                n,
                unit,
                back,
                loc,
            },
            Kind::Date,
        ))
    }

    /// `a + b − c …`: each step's kind from the kinds it combines.
    /// Reports an exchange rate of 0 (`0元/美元`), which would turn every
    /// amount it converts into 0 元 without a word.
    pub(super) fn zero_rate(&mut self, file: FileId, l: &crate::source::Spanned<Literal>) -> bool {
        let Literal::Rate(n, c) = &l.node else {
            return false;
        };
        if !n.is_zero() {
            return false;
        }
        self.errors.push(CheckError::ZeroRate {
            src: self.src(file),
            span: to_sspan(l.span),
            currency: c.word().to_string(),
        });
        true
    }

    fn arith_expr(
        &mut self,
        file: FileId,
        loc: Loc,
        first: &ast::Expr,
        rest: &[(ArithOp, ast::Expr)],
    ) -> Option<(Expr, Kind)> {
        let mut left = first;
        for (op, operand) in rest {
            if *op == ArithOp::Sub && dash_range(left, operand) {
                let text_of = |span: Span| {
                    self.files
                        .get(file)
                        .map_or("", |f| f.slice(span))
                        .to_string()
                };
                let whole = left.span().to(operand.span());
                let (low, high) = (text_of(left.span()), text_of(operand.span()));
                self.errors.push(CheckError::DashRange {
                    src: self.src(file),
                    span: to_sspan(whole),
                    text: text_of(whole),
                    help: format!(
                        "区间写成 {low} 至 {high}（下限 至 上限）；要的是两数之差，直接写出差额"
                    ),
                });
                return None;
            }
            left = operand;
        }
        let (f, mut k) = self.expr(file, first, None)?;
        let mut out = Vec::new();
        let mut left_span = first.span();
        for (op, operand) in rest {
            let (o, ok) = self.expr(file, operand, None)?;
            match arith_kind(*op, &k, &ok) {
                Some(nk) => k = nk,
                None => {
                    self.errors.push(self.kind_mismatch(
                        file,
                        left_span,
                        &k,
                        operand.span(),
                        &ok,
                        "运算",
                    ));
                    return None;
                }
            }
            left_span = left_span.to(operand.span());
            out.push((*op, o));
        }
        Some((
            Expr::Arith {
                first: Box::new(f),
                rest: out,
                loc,
            },
            k,
        ))
    }

    /// `X 最高 C 的 P …`: a cap comparable with the base, ratios after 的.
    fn of_expr(
        &mut self,
        file: FileId,
        loc: Loc,
        base: &ast::Expr,
        base_cap: Option<&ast::Expr>,
        shares: &[ast::Expr],
    ) -> Option<(Expr, Kind)> {
        let (b, mut k) = self.expr(file, base, None)?;
        // Left alone, the share of a date or a word would evaluate to
        // nothing, neither a value nor a missing fact.
        if !k.has_magnitude() {
            self.errors.push(self.wrong_kind(
                file,
                base.span(),
                "金额、数量或比例",
                &k,
                "“的”前面是要取份额的数，如 研发投入 的 20%、年度用地指标 的 三分之一",
            ));
            return None;
        }
        let cap = match base_cap {
            Some(c) => {
                let (ce, ck) = self.expr(file, c, None)?;
                if !comparable(&k, &ck) {
                    self.errors.push(self.kind_mismatch(
                        file,
                        base.span(),
                        &k,
                        c.span(),
                        &ck,
                        "比较",
                    ));
                    return None;
                }
                Some(Box::new(ce))
            }
            None => None,
        };
        let mut out = Vec::new();
        // The fractions' product, kept as numerator and denominator.
        let mut fraction: Option<(u128, u128)> = None;
        for s in shares {
            if let ast::Expr::Lit(l) = s
                && let Literal::Fraction(f) = &l.node
            {
                let (n, d) = fraction.unwrap_or((1, 1));
                let Some(next) = n
                    .checked_mul(f.num.into())
                    .zip(d.checked_mul(f.den.into()))
                    .filter(|&(n, d)| n <= u128::from(u64::MAX) && d <= u128::from(u64::MAX))
                else {
                    self.errors.push(CheckError::FractionSize {
                        src: self.src(file),
                        span: to_sspan(l.span),
                    });
                    return None;
                };
                fraction = Some(next);
                continue;
            }
            let (se, sk) = self.expr(file, s, None)?;
            if !matches!(sk, Kind::Ratio | Kind::Number) {
                self.errors.push(self.wrong_kind(
                    file,
                    s.span(),
                    "比例（如 20%）",
                    &sk,
                    "“的”后面应是比例，如 研发投入 的 20%",
                ));
                return None;
            }
            k = arith_kind(ArithOp::Mul, &k, &sk).unwrap_or(k);
            out.push(se);
        }
        let of = if out.is_empty() && cap.is_none() {
            b
        } else {
            Expr::Of {
                base: Box::new(b),
                base_cap: cap,
                shares: out,
                loc,
            }
        };
        let Some((num, den)) = fraction else {
            return Some((of, k));
        };
        // Lowest terms, so that the derivation reads × 2 ÷ 15, not × 40 ÷ 300.
        let (num, den) = crate::num::lowest_terms(num, den);
        // Multiplied first and divided once, last: every product of
        // decimals is exact, and the quotient is exact whenever it ends.
        // When it does not (1/3), rust_decimal keeps 28 significant
        // digits, far more places than the amounts it is compared with or
        // rounded to the fen have, so neither comes out otherwise than by
        // cross-multiplying (tests/fraction_props.rs).
        let number = |n: u128| Expr::Lit(Value::Number(rust_decimal::Decimal::from(n)), loc);
        Some((
            Expr::Arith {
                first: Box::new(of),
                rest: vec![(ArithOp::Mul, number(num)), (ArithOp::Div, number(den))],
                loc,
            },
            k,
        ))
    }

    /// 较高者 / 较低者: arguments comparable with the first.
    fn call_expr(
        &mut self,
        file: FileId,
        loc: Loc,
        func: ast::Func,
        args: &[ast::Expr],
    ) -> Option<(Expr, Kind)> {
        let mut out = Vec::new();
        let mut kind: Option<(Kind, Span)> = None;
        for a in args {
            let (ae, ak) = self.expr(file, a, None)?;
            if let Some((k0, s0)) = &kind {
                if !comparable(k0, &ak) {
                    self.errors
                        .push(self.kind_mismatch(file, *s0, k0, a.span(), &ak, "比较"));
                    return None;
                }
            } else {
                kind = Some((ak, a.span()));
            }
            out.push(ae);
        }
        let (k, at) = kind?;
        // As for a share: 较高者 of dates or words would evaluate to
        // nothing.
        if !k.has_magnitude() {
            self.errors.push(self.wrong_kind(
                file,
                at,
                "金额、数量或比例",
                &k,
                "较高者、较低者 比较的是金额、数量或比例；日期的先后用 早于、晚于、不早于、不晚于 比较",
            ));
            return None;
        }
        Some((
            Expr::Call {
                func,
                args: out,
                loc,
            },
            k,
        ))
    }

    /// `X 超过 T 的部分 按 P`: a threshold comparable with X, a ratio.
    fn band_expr(
        &mut self,
        file: FileId,
        loc: Loc,
        subject: &ast::Expr,
        above: bool,
        bound: &ast::Expr,
        rate: &ast::Expr,
    ) -> Option<(Expr, Kind)> {
        let (s, sk) = self.expr(file, subject, None)?;
        let (b, bk) = self.expr(file, bound, None)?;
        if !comparable(&sk, &bk) {
            self.errors.push(self.kind_mismatch(
                file,
                subject.span(),
                &sk,
                bound.span(),
                &bk,
                "比较",
            ));
            return None;
        }
        let (r, rk) = self.expr(file, rate, None)?;
        if !matches!(rk, Kind::Ratio | Kind::Number) {
            self.errors.push(self.wrong_kind(
                file,
                rate.span(),
                "比例",
                &rk,
                "“的部分 按”后面应是比例，如 2‰",
            ));
            return None;
        }
        Some((
            Expr::Band {
                subject: Box::new(s),
                above,
                bound: Box::new(b),
                rate: Box::new(r),
                loc,
            },
            sk,
        ))
    }

    pub(super) fn expr_name(
        &mut self,
        file: FileId,
        n: &ast::Name,
        hint: Option<&Kind>,
    ) -> Option<(Expr, Kind)> {
        let loc = Resolver::loc(file, n.span);
        if let Some(Kind::Enum(fact)) = hint
            && let Some(Ty::Enum { values, .. }) = self.vocab.get(*fact).map(|f| &f.ty)
        {
            if let Some(i) = values.iter().position(|v| *v == n.text) {
                return Some((Expr::Lit(Value::Enum(i), loc), Kind::Enum(*fact)));
            }
            if !self.vocab.by_name.contains_key(&n.text) && !self.defs.contains_key(&n.text) {
                let found = similar(&n.text, values.iter().map(String::as_str));
                self.errors.push(CheckError::UnknownValue {
                    src: self.src(file),
                    span: to_sspan(n.span),
                    word: n.text.clone(),
                    fact: self.vocab.name(*fact).to_string(),
                    values: values.join("、"),
                    help: did_you_mean(&found, "在 词汇 中给这个枚举加上该取值，或改用已有的取值"),
                });
                return None;
            }
        }
        if let Some(&id) = self.vocab.by_name.get(&n.text) {
            if !self.fact_use(file, n.span, id) {
                return None;
            }
            let ty = self.vocab.get(id).map(|f| f.ty.clone())?;
            return Some((Expr::Fact(id, loc), ty.kind(id)));
        }
        if let Some(&pid) = self.param_by_name.get(&n.text) {
            let k = self.params.get(pid).map(|p| p.kind.clone())?;
            return Some((Expr::Param(pid, loc), k));
        }
        if self.defs.contains_key(&n.text) {
            return match self.resolve_def(&n.text, Some(loc))? {
                DefValue::Expr(e, k) => Some((
                    Expr::Named {
                        name: n.text.clone(),
                        body: Box::new(e),
                        loc,
                    },
                    k,
                )),
                DefValue::Cond(_) => {
                    self.errors.push(self.wrong_kind(
                        file,
                        n.span,
                        "数值",
                        &Kind::Bool,
                        "这个定义是条件，不能参与计算",
                    ));
                    None
                }
            };
        }
        if let Some(owners) = self.vocab.enum_values.get(&n.text).cloned() {
            return match owners.as_slice() {
                [(fact, idx)] => self
                    .fact_use(file, n.span, *fact)
                    .then_some((Expr::Lit(Value::Enum(*idx), loc), Kind::Enum(*fact))),
                _ => {
                    self.errors.push(self.ambiguous(file, n, &owners));
                    None
                }
            };
        }
        if n.quoted {
            return Some((
                Expr::Lit(Value::Text(n.text.as_str().into()), loc),
                Kind::Text,
            ));
        }
        self.errors.push(self.unknown_word(file, n));
        None
    }

    /// A cap on a grant: an amount in 元, as the grant is; one in a
    /// foreign currency cannot clamp it (`against` is the grant's amount).
    pub(super) fn cap_expr(&mut self, file: FileId, e: &ast::Expr, against: Span) -> Option<Expr> {
        let (x, k) = self.expr(file, e, None)?;
        if let Kind::Foreign(_) = k
            && let Some(err) =
                self.currency_mismatch(file, against, &Kind::Money, e.span(), &k, "比较")
        {
            self.errors.push(err);
            return None;
        }
        self.yuan_amount(file, e, x, k)
    }

    pub(super) fn money_expr(&mut self, file: FileId, e: &ast::Expr) -> Option<Expr> {
        let (x, k) = self.expr(file, e, None)?;
        self.yuan_amount(file, e, x, k)
    }

    /// A resolved amount that a grant pays: in 元 (`foreign_grant` for a
    /// foreign currency, `wrong_kind` for anything not money).
    fn yuan_amount(&mut self, file: FileId, e: &ast::Expr, x: Expr, k: Kind) -> Option<Expr> {
        if let Some(seen) = &self.quota {
            let problem = match (seen, &k) {
                (None, Kind::Money | Kind::Quantity(_)) => None,
                (Some(s), k) if s == k => None,
                (Some(s), k) => Some(format!(
                    "以{}计，这里是{}",
                    quota_unit(s),
                    k.describe(&self.vocab)
                )),
                (None, _) => Some("应是数量或以元计的金额".to_string()),
            };
            if let Some(problem) = problem {
                self.errors.push(CheckError::QuotaUnit {
                    src: self.src(file),
                    span: super::to_sspan(e.span()),
                    found: k.describe(&self.vocab),
                    problem,
                });
                return None;
            }
            self.quota = Some(Some(k));
            return Some(x);
        }
        if let Kind::Quantity(_) = k {
            self.errors.push(CheckError::QuotaGrant {
                src: self.src(file),
                span: super::to_sspan(e.span()),
                found: k.describe(&self.vocab),
            });
            return None;
        }
        if let Kind::Foreign(c) = k {
            let rate = self
                .params
                .iter()
                .find(|p| p.kind == Kind::Rate(c))
                .map_or_else(|| format!("{c}汇率"), |p| p.name.clone());
            self.errors.push(CheckError::ForeignGrant {
                src: self.src(file),
                span: super::to_sspan(e.span()),
                currency: c.word().to_string(),
                help: format!(
                    "奖励、补助以元发放：写成元的金额，如 2万元；按{c}金额计算的，先把{c}金额折算成元，如 （{c}金额） 按 {rate} 折算 的 0.1%"
                ),
            });
            return None;
        }
        if k != Kind::Money {
            self.errors.push(self.wrong_kind(
                file,
                e.span(),
                "金额",
                &k,
                "给予的应是金额，如 20万元 或 研发投入 的 20%",
            ));
            return None;
        }
        Some(x)
    }

    // ───────────── policies and clauses ─────────────
}

/// Whether `left - right` takes a written number from a smaller one of its
/// own kind, or a larger written ratio from a share (`投资额 的 5%-20%`):
/// the texts' ranges, copied with their dash. A difference that stays
/// positive (`（100% - 70%）`, what a 七折 leaves off) is meant.
fn dash_range(left: &ast::Expr, right: &ast::Expr) -> bool {
    let ast::Expr::Lit(r) = right else {
        return false;
    };
    let written = match left {
        ast::Expr::Lit(l) => &l.node,
        ast::Expr::Of { shares, .. } => match shares.last() {
            Some(ast::Expr::Lit(l)) if matches!(l.node, Literal::Ratio(_)) => &l.node,
            _ => return false,
        },
        _ => return false,
    };
    match (written, &r.node) {
        (Literal::Money(a), Literal::Money(b)) => a.0 < b.0,
        (Literal::Ratio(a), Literal::Ratio(b)) => a.0 < b.0,
        (Literal::Foreign(a, x), Literal::Foreign(b, y)) => x == y && a.0 < b.0,
        (Literal::Quantity(a, x), Literal::Quantity(b, y)) => x == y && a < b,
        _ => false,
    }
}

/// The unit a quota is counted in: 元 for money, else the quantity's.
pub(super) fn quota_unit(k: &Kind) -> String {
    match k {
        Kind::Quantity(u) => u.clone(),
        _ => "元".to_string(),
    }
}

/// The longest period after 后: 10000 of any unit (10000年 reaches past
/// every date there is; a longer one is surely a slip).
const MAX_PERIOD: u32 = 10_000;

/// A literal's value and kind; `None` for a fraction, which is no value
/// of its own (a decimal cannot hold 1/3): [`Resolver::of_expr`] turns
/// `X 的 三分之一` into `X × 1 ÷ 3`, and `expr_node` refuses one anywhere
/// else.
pub(super) fn literal_value(l: &Literal) -> Option<(Value, Kind)> {
    Some(match l {
        Literal::Money(m) => (Value::Money(*m), Kind::Money),
        Literal::Foreign(m, c) => (Value::Foreign(*m, *c), Kind::Foreign(*c)),
        Literal::Rate(n, c) => (Value::Number(*n), Kind::Rate(*c)),
        Literal::Ratio(r) => (Value::Ratio(*r), Kind::Ratio),
        Literal::Date(d) => (Value::Date(*d), Kind::Date),
        Literal::Quantity(n, u) => (Value::Quantity(*n), Kind::Quantity(u.clone())),
        Literal::Number(n) => (Value::Number(*n), Kind::Number),
        // Only reached once `expr_node` has refused a rank that is not a
        // whole number from 1 on; no parameter can be written as a rank.
        Literal::Rank(n) => (
            Value::Rank(crate::facts::whole_rank(*n).unwrap_or(1)),
            Kind::Rank,
        ),
        Literal::Fraction(_) => return None,
    })
}

/// Whether two kinds can be compared (a bare number reads in the other
/// side's unit; a ratio compares with a plain fraction).
pub(super) fn comparable(a: &Kind, b: &Kind) -> bool {
    a == b
        || matches!(
            (a, b),
            (Kind::Number, Kind::Ratio)
                | (Kind::Ratio, Kind::Number)
                | (Kind::Number, Kind::Quantity(_))
                | (Kind::Quantity(_), Kind::Number)
        )
}

/// The currency of an amount: `Some(None)` for 元, `Some(Some(c))` for a
/// foreign currency, `None` for anything that is not an amount.
pub(super) fn currency_of(k: &Kind) -> Option<Option<Currency>> {
    match k {
        Kind::Money => Some(None),
        Kind::Foreign(c) => Some(Some(*c)),
        _ => None,
    }
}

/// The kind of `a op b`, or `None` when they cannot be combined. Amounts
/// in one foreign currency combine as amounts in 元 do; amounts in two
/// currencies never do.
pub fn arith_kind(op: ArithOp, a: &Kind, b: &Kind) -> Option<Kind> {
    let foreign = match (a, b) {
        (Kind::Foreign(x), Kind::Foreign(y)) if x != y => return None,
        (Kind::Foreign(_), Kind::Money) | (Kind::Money, Kind::Foreign(_)) => return None,
        (Kind::Foreign(c), _) | (_, Kind::Foreign(c)) => Some(*c),
        _ => None,
    };
    let Some(c) = foreign else {
        return yuan_arith_kind(op, a, b);
    };
    let as_yuan = |k: &Kind| match k {
        Kind::Foreign(_) => Kind::Money,
        other => other.clone(),
    };
    yuan_arith_kind(op, &as_yuan(a), &as_yuan(b)).map(|k| match k {
        Kind::Money => Kind::Foreign(c),
        other => other,
    })
}

/// [`arith_kind`] for kinds with no foreign currency in them.
fn yuan_arith_kind(op: ArithOp, a: &Kind, b: &Kind) -> Option<Kind> {
    use Kind::*;
    let scalar = |k: &Kind| matches!(k, Ratio | Number);
    match op {
        ArithOp::Add | ArithOp::Sub => match (a, b) {
            _ if a == b && matches!(a, Money | Ratio | Number | Quantity(_)) => Some(a.clone()),
            (Ratio, Number) | (Number, Ratio) => Some(Ratio),
            (Quantity(_), Number) => Some(a.clone()),
            (Number, Quantity(_)) => Some(b.clone()),
            _ => None,
        },
        ArithOp::Mul => match (a, b) {
            (Money, k) | (k, Money) if scalar(k) || matches!(k, Quantity(_)) => Some(Money),
            (Ratio, Ratio) | (Ratio, Number) | (Number, Ratio) => Some(Ratio),
            (Number, Number) => Some(Number),
            (Quantity(_), k) if scalar(k) => Some(a.clone()),
            (k, Quantity(_)) if scalar(k) => Some(b.clone()),
            _ => None,
        },
        ArithOp::Div => match (a, b) {
            (Money, k) if scalar(k) || matches!(k, Quantity(_)) => Some(Money),
            (Money, Money) => Some(Ratio),
            (Ratio, k) if scalar(k) => Some(Ratio),
            (Number, Number) => Some(Number),
            (Quantity(u), Quantity(v)) if u == v => Some(Ratio),
            (Quantity(_), k) if scalar(k) => Some(a.clone()),
            _ => None,
        },
    }
}
