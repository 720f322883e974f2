//! 案例: the facts and expectations of a drafter's worked example, read
//! against the vocabulary.

use super::{Resolver, to_sspan};
use crate::ast::{self, FactLiteral, Literal};
use crate::check::error::CheckError;
use crate::check::suggest::{did_you_mean, similar};
use crate::facts::{ByYear, CaseFacts};
use crate::program::*;
use crate::source::Spanned;

impl Resolver {
    pub(super) fn case(
        &mut self,
        file: FileId,
        policy: Option<PolicyId>,
        c: &ast::Case,
        program: &Program,
    ) -> Option<CaseDef> {
        let (facts, mut ok) = self.case_facts(file, c, program);
        let published = Resolver::case_assumptions(file, c);
        let states = std::mem::take(&mut self.publish_states);
        let reported = self.errors.len();
        self.check_assumptions(&states, &published);
        self.publish_states = states;
        ok &= self.errors.len() == reported;
        let date = c.date.as_ref().map(|d| d.node);
        if date.is_none() {
            self.errors.push(CheckError::CaseShape {
                src: self.src(file),
                span: to_sspan(c.name.span),
                case: c.name.node.clone(),
                problem: "缺少 日期".into(),
            });
            ok = false;
        }
        let mut expectations = Vec::new();
        for e in &c.expectations {
            match self.expectation(file, policy, e, program) {
                Some(x) => expectations.push(x),
                None => ok = false,
            }
        }
        ok.then(|| CaseDef {
            name: c.name.node.clone(),
            loc: Resolver::loc(file, c.span),
            policy,
            facts,
            date,
            apply_date: c.apply_date.as_ref().map(|d| d.node),
            published,
            expectations,
        })
    }

    /// The case's facts, and whether every one was read.
    fn case_facts(&mut self, file: FileId, c: &ast::Case, program: &Program) -> (CaseFacts, bool) {
        let mut facts = CaseFacts::default();
        let mut ok = true;
        let mut seen = std::collections::HashMap::with_capacity(c.facts.len());
        for (n, v) in &c.facts {
            let first = *seen.entry(n.text.as_str()).or_insert(n.span);
            if first != n.span {
                self.errors.push(CheckError::DuplicateCaseFact {
                    src: self.src(file),
                    span: to_sspan(n.span),
                    first: to_sspan(first),
                    fact: n.text.clone(),
                });
                ok = false;
                continue;
            }
            let Some(&id) = program.vocab.by_name.get(&n.text) else {
                self.errors.push(self.unknown_word(file, n));
                ok = false;
                continue;
            };
            let Some(decl) = program.vocab.get(id) else {
                continue;
            };
            if let Some(l) = decl.list {
                self.errors.push(CheckError::CaseFact {
                    src: self.src(file),
                    span: to_sspan(n.span),
                    fact: n.text.clone(),
                    ty: format!("{}的字段", program.vocab.name(l)),
                    help: format!(
                        "字段写在列表的各项里：{}：[ {{ {}：… }} ]",
                        program.vocab.name(l),
                        n.text
                    ),
                });
                ok = false;
                continue;
            }
            let read = match (&decl.ty, &v.node) {
                (Ty::List, FactLiteral::List(items)) => {
                    self.case_items(file, id, items, program).ok_or(None)
                }
                (Ty::List, FactLiteral::ByYear(_)) => Err(Some(
                    "列表事实不能按年填写：各项写成 [ {…}、{…} ]，哪一年的项目用项目自己的日期字段区分"
                        .into(),
                )),
                (ty, FactLiteral::ByYear(years)) => {
                    match self.case_years(file, &n.text, ty, years) {
                        Some(table) => {
                            facts.set_years(id, table);
                            continue;
                        }
                        None => Err(None),
                    }
                }
                _ => case_value(&decl.ty, &v.node).map_err(Some),
            };
            match read {
                Ok(val) => facts.set(id, val),
                // The item's own field was reported.
                Err(None) => ok = false,
                Err(Some(help)) => {
                    self.errors.push(CheckError::CaseFact {
                        src: self.src(file),
                        span: to_sspan(v.span),
                        fact: n.text.clone(),
                        ty: decl.ty.describe(),
                        help,
                    });
                    ok = false;
                }
            }
        }
        (facts, ok)
    }

    /// A fact written year by year in a case (`按年 { 2023年: … }`), each
    /// year's value typed against `ty`; `None` when one is wrong
    /// (reported).
    fn case_years(
        &mut self,
        file: FileId,
        fact: &str,
        ty: &Ty,
        years: &[(Spanned<i32>, Spanned<FactLiteral>)],
    ) -> Option<ByYear> {
        let mut table: Vec<(i32, Option<Value>)> = Vec::with_capacity(years.len());
        let mut ok = true;
        for (at, (y, v)) in years.iter().enumerate() {
            if let Some((first, _)) = years
                .get(..at)
                .and_then(|b| b.iter().find(|b| b.0.node == y.node))
            {
                self.errors.push(CheckError::DuplicateCaseFact {
                    src: self.src(file),
                    span: to_sspan(y.span),
                    first: to_sspan(first.span),
                    fact: format!("{fact}.{}年", y.node),
                });
                ok = false;
                continue;
            }
            match case_value(ty, &v.node) {
                Ok(val) => table.push((y.node, Some(val))),
                Err(help) => {
                    self.errors.push(CheckError::CaseFact {
                        src: self.src(file),
                        span: to_sspan(v.span),
                        fact: fact.to_string(),
                        ty: ty.describe(),
                        help,
                    });
                    ok = false;
                }
            }
        }
        ok.then(|| ByYear::new(table))
    }

    /// The items of list `list` written in a case, each field typed
    /// against its declaration; `None` when one is wrong (reported).
    fn case_items(
        &mut self,
        file: FileId,
        list: FactId,
        items: &[Vec<(ast::Name, crate::source::Spanned<FactLiteral>)>],
        program: &Program,
    ) -> Option<Value> {
        let fields = program
            .vocab
            .fields
            .get(&list)
            .map_or(&[][..], Vec::as_slice);
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let mut values: Vec<Option<Value>> = vec![None; fields.len()];
            let mut seen = std::collections::HashMap::with_capacity(item.len());
            for (n, v) in item {
                let first = *seen.entry(n.text.as_str()).or_insert(n.span);
                if first != n.span {
                    self.errors.push(CheckError::DuplicateCaseFact {
                        src: self.src(file),
                        span: to_sspan(n.span),
                        first: to_sspan(first),
                        fact: format!("{}[{}].{}", program.vocab.name(list), i + 1, n.text),
                    });
                    ok = false;
                    continue;
                }
                let at = fields.iter().position(|&f| program.vocab.name(f) == n.text);
                let Some((at, decl)) =
                    at.and_then(|at| Some((at, program.vocab.get(*fields.get(at)?)?)))
                else {
                    let names: Vec<&str> = fields.iter().map(|&f| program.vocab.name(f)).collect();
                    self.errors.push(CheckError::CaseFact {
                        src: self.src(file),
                        span: to_sspan(n.span),
                        fact: format!("{}[{}].{}", program.vocab.name(list), i + 1, n.text),
                        ty: "列表的字段".into(),
                        help: did_you_mean(
                            &similar(&n.text, names.iter().copied()),
                            &format!("{}的字段：{}", program.vocab.name(list), names.join("、")),
                        ),
                    });
                    ok = false;
                    continue;
                };
                match case_value(&decl.ty, &v.node) {
                    Ok(val) => {
                        if let Some(slot) = values.get_mut(at) {
                            *slot = Some(val);
                        }
                    }
                    Err(help) => {
                        self.errors.push(CheckError::CaseFact {
                            src: self.src(file),
                            span: to_sspan(v.span),
                            fact: format!("{}[{}].{}", program.vocab.name(list), i + 1, n.text),
                            ty: decl.ty.describe(),
                            help,
                        });
                        ok = false;
                    }
                }
            }
            out.push(values);
        }
        ok.then(|| Value::List(out.into()))
    }

    /// One expectation of a case, its words and clauses resolved; `None`
    /// (with the errors reported) when one of them is unknown.
    fn expectation(
        &mut self,
        file: FileId,
        policy: Option<PolicyId>,
        e: &ast::Expectation,
        program: &Program,
    ) -> Option<ExpectDef> {
        let mut ok = true;
        let loc = Resolver::loc(file, e.span);
        if let ast::Expected::UndecidedFor(names) = &e.outcome {
            for n in names
                .iter()
                .filter(|n| !program.vocab.by_name.contains_key(&n.text))
            {
                self.errors.push(self.unknown_word(file, n));
                ok = false;
            }
        }
        let by = match &e.outcome {
            ast::Expected::DisplacedBy {
                policy: title,
                label,
            } => Some(self.clause_ref(file, policy, title.as_ref(), label, program)?),
            _ => None,
        };
        let clause = match &e.target {
            ast::ExpectTarget::Total => None,
            ast::ExpectTarget::Clause {
                policy: title,
                label,
            } => Some(self.clause_ref(file, policy, title.as_ref(), label, program)?),
        };
        ok.then(|| ExpectDef {
            clause,
            expected: e.outcome.clone(),
            by,
            loc,
        })
    }
}

impl Resolver {
    /// Finds the clause a 案例 names: `第三条` in the case's own policy (or
    /// among the file's top-level clauses), `《标题》第三条` in another.
    /// Reports `unknown_clause` when there is none.
    fn clause_ref(
        &mut self,
        file: FileId,
        policy: Option<PolicyId>,
        title: Option<&crate::source::Spanned<String>>,
        label: &ast::Label,
        program: &Program,
    ) -> Option<(PolicyId, usize)> {
        let pid = match title {
            Some(t) => program
                .policies
                .iter()
                .position(|p| p.title.as_deref() == Some(t.node.as_str())),
            None => policy.or_else(|| {
                program.policies.iter().position(|p| {
                    p.title.is_none()
                        && p.loc.file == file
                        && p.clauses.iter().any(|c| c.label == label.text)
                })
            }),
        };
        let found = pid.and_then(|pid| {
            program
                .policies
                .get(pid)
                .and_then(|p| p.clauses.iter().position(|c| c.label == label.text))
                .map(|ci| (pid, ci))
        });
        if found.is_none() {
            let candidates: Vec<&str> = pid
                .and_then(|p| program.policies.get(p))
                .map(|p| p.clauses.iter().map(|c| c.label.as_str()).collect())
                .unwrap_or_default();
            let help = match title {
                Some(t) if pid.is_none() => format!("没有载入标题为《{}》的政策", t.node),
                _ => did_you_mean(
                    &similar(&label.text, candidates),
                    "检查条款编号；引用其他政策的条款写成 《标题》第三条",
                ),
            };
            self.errors.push(CheckError::UnknownClause {
                src: self.src(file),
                span: to_sspan(label.span),
                reference: label.text.clone(),
                help,
            });
        }
        found
    }
}

const RANK_HELP: &str = "写成名次，如 第3名 或 3：不小于 1 的整数，第1名 最靠前";

/// Reads a fact written in a 案例 against its declared type.
pub fn case_value(ty: &Ty, v: &FactLiteral) -> Result<Value, String> {
    match (ty, v) {
        (Ty::List, _) => Err("列表事实写成各项：[ {字段: 值 …}、{…} ]".into()),
        (_, FactLiteral::List(_)) => Err("只有列表事实写成 [ {…}、{…} ]".into()),
        (_, FactLiteral::ByYear(_)) => Err("按年 只写在事实上，一年的值不能再按年".into()),
        (Ty::Bool, FactLiteral::Bool(b)) => Ok(Value::Bool(*b)),
        (Ty::Money, FactLiteral::Lit(Literal::Money(m))) => Ok(Value::Money(*m)),
        (Ty::Money, FactLiteral::Lit(Literal::Number(n))) => {
            Ok(Value::Money(crate::num::Money(*n)))
        }
        (Ty::Foreign(c), FactLiteral::Lit(Literal::Foreign(m, c2))) if c == c2 => {
            Ok(Value::Foreign(*m, *c))
        }
        (Ty::Foreign(c), FactLiteral::Lit(Literal::Number(n))) => {
            Ok(Value::Foreign(crate::num::Money(*n), *c))
        }
        (Ty::Ratio, FactLiteral::Lit(Literal::Ratio(r))) => Ok(Value::Ratio(*r)),
        (Ty::Date, FactLiteral::Lit(Literal::Date(d))) => Ok(Value::Date(*d)),
        (Ty::Quantity(u), FactLiteral::Lit(Literal::Quantity(n, u2))) if u == u2 => {
            Ok(Value::Quantity(*n))
        }
        (Ty::Quantity(_), FactLiteral::Lit(Literal::Number(n))) => Ok(Value::Quantity(*n)),
        (Ty::Rank, FactLiteral::Lit(Literal::Rank(n) | Literal::Number(n))) => {
            crate::facts::whole_rank(*n)
                .map(Value::Rank)
                .ok_or_else(|| RANK_HELP.into())
        }
        (Ty::Text, FactLiteral::Word(w)) => Ok(Value::Text(w.as_str().into())),
        (Ty::Enum { values, .. }, FactLiteral::Word(w)) => values
            .iter()
            .position(|x| x == w)
            .map(Value::Enum)
            .ok_or_else(|| {
                did_you_mean(
                    &similar(w, values.iter().map(String::as_str)),
                    &format!("可选的取值：{}", values.join("、")),
                )
            }),
        (Ty::Bool, _) => Err("写 是 或 否".into()),
        (Ty::Money, _) => Err("写成金额，如 800万元".into()),
        (Ty::Foreign(c), _) => Err(format!(
            "这个事实以{c}计：写成{c}金额，如 520万{c}；元的金额请先按汇率折算"
        )),
        (Ty::Ratio, _) => Err("写成比例，如 20%".into()),
        (Ty::Date, _) => Err("写成日期，如 2024年6月1日".into()),
        (Ty::Quantity(u), _) => Err(format!("写成数量，如 2{u}")),
        (Ty::Rank, _) => Err(RANK_HELP.into()),
        (Ty::Text, _) => Err("文本请加引号，如 “杭州市”".into()),
        (Ty::Enum { values, .. }, _) => Err(format!("可选的取值：{}", values.join("、"))),
    }
}
