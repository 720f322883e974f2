//! Conditions: words, comparisons and junctions resolved to facts,
//! enumeration values and definitions, with their kinds checked.

use super::expr::comparable;
use super::{DefValue, Resolver, to_sspan};
use crate::ast::{self, CmpOp};
use crate::check::error::CheckError;
use crate::program::*;

impl Resolver {
    /// Resolves a condition; `None` when it holds an error (recorded).
    pub(crate) fn cond(&mut self, file: FileId, c: &ast::Cond) -> Option<Cond> {
        let level = self.nesting + 1;
        if !self.nest_to(level, Resolver::loc(file, c.span())) {
            return None;
        }
        self.nesting = level;
        let out = self.cond_node(file, c);
        self.nesting = level - 1;
        out
    }

    pub(super) fn cond_node(&mut self, file: FileId, c: &ast::Cond) -> Option<Cond> {
        match c {
            ast::Cond::And(items, span) => self
                .conds(file, items)
                .map(|v| Cond::And(v, Resolver::loc(file, *span))),
            ast::Cond::Or(items, span) | ast::Cond::List(items, span) => self
                .conds(file, items)
                .map(|v| Cond::Or(v, Resolver::loc(file, *span))),
            ast::Cond::Not(inner, span) => self
                .cond(file, inner)
                .map(|c| Cond::Not(Box::new(c), Resolver::loc(file, *span))),
            ast::Cond::Word(n) => self.cond_word(file, n),
            ast::Cond::Compare(cmp) => self.compare(file, cmp),
            ast::Cond::Consecutive(c) => self.consecutive(file, c),
        }
    }

    pub(super) fn conds(&mut self, file: FileId, items: &[ast::Cond]) -> Option<Vec<Cond>> {
        let resolved: Vec<Option<Cond>> = items.iter().map(|i| self.cond(file, i)).collect();
        resolved.into_iter().collect()
    }

    pub(super) fn cond_word(&mut self, file: FileId, n: &ast::Name) -> Option<Cond> {
        let loc = Resolver::loc(file, n.span);
        if let Some(&id) = self.vocab.by_name.get(&n.text) {
            if !self.fact_use(file, n.span, id) {
                return None;
            }
            let ty = self.vocab.get(id).map(|f| f.ty.clone());
            return match ty {
                Some(Ty::Bool) => Some(Cond::Fact(id, loc)),
                Some(t) => {
                    let kind = t.kind(id);
                    let help = format!(
                        "{}是{}，需要写成比较，如 {} 超过 …、{} 为 …",
                        n.text,
                        t.describe(),
                        n.text,
                        n.text
                    );
                    self.errors.push(self.wrong_kind(
                        file,
                        n.span,
                        "条件（是否事实、枚举取值或定义的条件）",
                        &kind,
                        &help,
                    ));
                    None
                }
                None => None,
            };
        }
        if let Some(owners) = self.vocab.enum_values.get(&n.text).cloned() {
            return match owners.as_slice() {
                [(fact, idx)] => self
                    .fact_use(file, n.span, *fact)
                    .then_some(Cond::EnumIs(*fact, *idx, loc)),
                _ => {
                    self.errors.push(self.ambiguous(file, n, &owners));
                    None
                }
            };
        }
        if self.defs.contains_key(&n.text) {
            return match self.resolve_def(&n.text, Some(loc))? {
                DefValue::Cond(c) => Some(Cond::Named {
                    name: n.text.clone(),
                    body: Box::new(c),
                    loc,
                }),
                DefValue::Expr(_, k) => {
                    self.errors.push(self.wrong_kind(
                        file,
                        n.span,
                        "条件",
                        &k,
                        "这个定义是一个数额，需要写成比较，如 X 超过 100万元",
                    ));
                    None
                }
            };
        }
        if let Some(&pid) = self.param_by_name.get(&n.text) {
            let k = self
                .params
                .get(pid)
                .map_or(Kind::Number, |p| p.kind.clone());
            self.errors
                .push(self.wrong_kind(file, n.span, "条件", &k, "参数是数值，需要写成比较"));
            return None;
        }
        self.errors.push(self.unknown_word(file, n));
        None
    }

    pub(super) fn compare(&mut self, file: FileId, cmp: &ast::Compare) -> Option<Cond> {
        let loc = Resolver::loc(file, cmp.span);
        let (lhs, lk) = match &cmp.lhs {
            Some(l) => self.expr(file, l, None)?,
            None => {
                // `三星 及以上`: the value's own (ordered) enumeration.
                let Some(ast::Expr::Name(n)) = cmp.rhs.first() else {
                    return None;
                };
                let owners = match self.vocab.enum_values.get(&n.text).cloned() {
                    Some(o) => o,
                    None => {
                        self.errors.push(self.unknown_word(file, n));
                        return None;
                    }
                };
                let [(fact, _)] = owners.as_slice() else {
                    self.errors.push(self.ambiguous(file, n, &owners));
                    return None;
                };
                if !self.fact_use(file, n.span, *fact) {
                    return None;
                }
                (
                    Expr::Fact(*fact, Resolver::loc(file, n.span)),
                    Kind::Enum(*fact),
                )
            }
        };
        let date_word = match cmp.wording {
            ast::Wording::Word { word, .. } if word.for_dates() => Some(word.text()),
            _ => None,
        };
        if let (Some(word), Some(l)) = (date_word, &cmp.lhs)
            && lk != Kind::Date
        {
            self.errors.push(self.date_word(file, word, l.span(), &lk));
            return None;
        }
        if lk == Kind::Rank
            && let ast::Wording::Word { .. } | ast::Wording::Suffix { .. } = cmp.wording
        {
            let fact = cmp.lhs.as_ref().map_or("名次", |l| {
                self.files.get(file).map_or("名次", |f| f.slice(l.span()))
            });
            self.errors.push(CheckError::RankWording {
                src: self.src(file),
                span: to_sspan(cmp.op_span),
                word: self
                    .files
                    .get(file)
                    .map_or("", |f| f.slice(cmp.op_span))
                    .to_string(),
                fact: fact.to_string(),
            });
            return None;
        }
        if let [ast::Expr::Lit(l)] = cmp.rhs.as_slice()
            && let ast::Literal::Fraction(f) = &l.node
        {
            return self.compare_fraction(file, cmp, (lhs, lk), f, l.span);
        }
        let mut rhs = Vec::new();
        let mut failed = false;
        for r in &cmp.rhs {
            let Some((e, k)) = self.expr(file, r, Some(&lk)) else {
                failed = true;
                continue;
            };
            if let Some(word) = date_word
                && k != Kind::Date
            {
                self.errors.push(self.date_word(file, word, r.span(), &k));
                failed = true;
                continue;
            }
            if !comparable(&lk, &k) {
                let ls = cmp.lhs.as_ref().map_or(cmp.span, ast::Expr::span);
                self.errors
                    .push(self.kind_mismatch(file, ls, &lk, r.span(), &k, "比较"));
                failed = true;
                continue;
            }
            rhs.push(e);
        }
        if failed {
            return None;
        }
        if !matches!(cmp.op, CmpOp::Eq | CmpOp::Ne) {
            let what = match &lk {
                Kind::Enum(f) if !self.enum_ordered(*f) => {
                    Some(format!("{}的取值", self.vocab.name(*f)))
                }
                Kind::Bool => Some("是否".to_string()),
                Kind::Text => Some("文本".to_string()),
                _ => None,
            };
            if let Some(what) = what {
                self.errors.push(CheckError::UnorderedComparison {
                    src: self.src(file),
                    span: to_sspan(cmp.span),
                    what,
                });
                return None;
            }
        }
        Some(Cond::Cmp {
            lhs,
            op: cmp.op,
            rhs,
            loc,
        })
    }

    /// `占比 不低于 三分之一`: a ratio (or plain number) against a fraction,
    /// compared exactly by cross-multiplying, `占比 × 3 不低于 100%`. A
    /// decimal cannot hold 1/3, but the ratio times the denominator is a
    /// decimal, and the numerator is a whole number.
    fn compare_fraction(
        &mut self,
        file: FileId,
        cmp: &ast::Compare,
        (lhs, lk): (Expr, Kind),
        f: &ast::Fraction,
        span: crate::source::Span,
    ) -> Option<Cond> {
        let loc = Resolver::loc(file, cmp.span);
        let whole = |n: u32, kind: &Kind| {
            let n = rust_decimal::Decimal::from(n);
            let v = match kind {
                Kind::Ratio => Value::Ratio(crate::num::Ratio(n)),
                _ => Value::Number(n),
            };
            Expr::Lit(v, loc)
        };
        if !matches!(lk, Kind::Ratio | Kind::Number) {
            let ls = cmp.lhs.as_ref().map_or(cmp.span, ast::Expr::span);
            self.errors
                .push(self.kind_mismatch(file, ls, &lk, span, &Kind::Ratio, "比较"));
            return None;
        }
        let (num, den) = crate::num::lowest_terms(f.num.into(), f.den.into());
        let (Ok(num), Ok(den)) = (u32::try_from(num), u32::try_from(den)) else {
            return None;
        };
        let scaled = Expr::Arith {
            first: Box::new(lhs),
            rest: vec![(ast::ArithOp::Mul, whole(den, &Kind::Number))],
            loc,
        };
        Some(Cond::Cmp {
            lhs: scaled,
            op: cmp.op,
            rhs: vec![whole(num, &lk)],
            loc,
        })
    }

    /// `zc::check::date_word`: `word` compares dates, and the side at
    /// `span` is of kind `found`.
    fn date_word(
        &self,
        file: FileId,
        word: &str,
        span: crate::source::Span,
        found: &Kind,
    ) -> CheckError {
        let instead = match word {
            "不晚于" => "不超过",
            "早于" => "低于",
            "晚于" => "超过",
            _ => "不低于",
        };
        CheckError::DateWord {
            src: self.src(file),
            span: to_sspan(span),
            word: word.to_string(),
            found: found.describe(&self.vocab),
            help: format!(
                "不晚于、早于、晚于、不早于 只用于比较日期（如 办结日期 不晚于 受理日期 后 5个工作日）；比较数额、数量用 不超过、低于、超过、不低于，这里可写“{instead}”"
            ),
        }
    }

    pub(super) fn enum_ordered(&self, fact: FactId) -> bool {
        matches!(
            self.vocab.get(fact).map(|f| &f.ty),
            Some(Ty::Enum { ordered: true, .. })
        )
    }

    // ───────────── expressions ─────────────
}
