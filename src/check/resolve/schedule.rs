//! Schedules: the event a schedule counts from must be a date fact of the
//! entity's; its runs of years whole and in order; a split's shares one
//! per year and adding up to 100%. The checked schedule folds the yearly
//! cap into every run and writes a split as one run per year.

use rust_decimal::Decimal;

use super::{Resolver, to_sspan};
use crate::ast::{self, YearWord};
use crate::check::error::CheckError;
use crate::program::*;

/// The most years a schedule (or a run of 连续N年) may count.
const MOST_YEARS: u32 = 100;

/// A count of years as written, when it is a whole number from 1 to 100.
fn count_of_years(n: Decimal) -> Option<u32> {
    n.fract()
        .is_zero()
        .then(|| u32::try_from(n.trunc().mantissa()).ok())
        .flatten()
        .filter(|n| (1..=MOST_YEARS).contains(n))
}

impl Resolver {
    pub(super) fn schedule(&mut self, file: FileId, s: &ast::Schedule) -> Option<Schedule> {
        let event = self.event_date(file, &s.event);
        self.quota_unit_first(file, &s.plan);
        let cap = match &s.cap {
            Some(c) => Some(self.cap_expr(file, c, s.span)?),
            None => None,
        };
        let (runs, split) = match &s.plan {
            ast::SchedulePlan::Years(parts) => (self.runs(file, parts, cap.as_ref()), false),
            ast::SchedulePlan::Split {
                bound,
                years,
                shares,
                ..
            } => (
                self.split(
                    file,
                    *bound,
                    &s.plan.split_totals(),
                    years,
                    shares,
                    cap.as_ref(),
                ),
                true,
            ),
        };
        let (event, runs) = (event?, runs?);
        let total: u32 = runs.iter().map(|r| r.years).sum();
        if total > MOST_YEARS {
            self.errors.push(CheckError::ScheduleYears {
                src: self.src(file),
                span: to_sspan(s.span),
                count: total.to_string(),
            });
            return None;
        }
        Some(Schedule {
            event,
            event_loc: Resolver::loc(file, s.event.span),
            runs,
            split,
            cumulative: None,
            loc: Resolver::loc(file, s.span),
        })
    }

    /// `，累计 最高 …（往年已领 …）`: the cap in 元 and a money fact.
    pub(super) fn cumulative(&mut self, file: FileId, c: &ast::Cumulative) -> Option<Cumulative> {
        let cap = self.cap_expr(file, &c.cap, c.span);
        let received = self.received(file, &c.received, c.this_year);
        Some(Cumulative {
            cap: cap?,
            received: received?,
            received_loc: Resolver::loc(file, c.received.span),
            this_year: c.this_year,
        })
    }

    /// What earlier years (or this year's applications) paid: a money
    /// fact of the entity's.
    fn received(&mut self, file: FileId, n: &ast::Name, this_year: bool) -> Option<FactId> {
        let help = if this_year {
            "本年已领 之后写本年已领取的金额，如 本年已领 本年已申领额；在 词汇 中写 本年已申领额: 金额"
        } else {
            "往年已领 之后写往年已领取的金额，如 往年已领 已获配套补助额；在 词汇 中写 已获配套补助额: 金额"
        };
        self.fact_of(file, n, &Ty::Money, "金额事实", help)
    }

    /// A fact named where only a fact of type `want` will do (`what` and
    /// `help` word the error otherwise).
    fn fact_of(
        &mut self,
        file: FileId,
        n: &ast::Name,
        want: &Ty,
        what: &str,
        help: &str,
    ) -> Option<FactId> {
        let Some(&id) = self.vocab.by_name.get(&n.text) else {
            self.errors.push(self.unknown_word(file, n));
            return None;
        };
        if !self.fact_use(file, n.span, id) {
            return None;
        }
        match self.vocab.get(id).map(|f| f.ty.clone()) {
            Some(ty) if ty == *want => Some(id),
            Some(ty) => {
                let found = ty.kind(id);
                self.errors
                    .push(self.wrong_kind(file, n.span, what, &found, help));
                None
            }
            None => None,
        }
    }

    /// `自 上规日期 起 连续3年 在规`: a date fact, a whole number of
    /// years, a yes/no fact.
    pub(super) fn consecutive(&mut self, file: FileId, c: &ast::Consecutive) -> Option<Cond> {
        let event = self.fact_of(
            file,
            &c.event,
            &Ty::Date,
            "日期事实",
            "连续N年从企业自己的日期起算，如 自 上规日期 起 连续3年 在规；在 词汇 中写 上规日期: 日期",
        );
        let years = count_of_years(c.years.node);
        if years.is_none() {
            self.errors.push(CheckError::ConsecutiveYears {
                src: self.src(file),
                span: to_sspan(c.years.span),
                count: c.years.node.normalize().to_string(),
            });
        }
        let fact = self.fact_of(
            file,
            &c.fact,
            &Ty::Bool,
            "是否事实",
            "连续N年之后写每年是或否的事实，如 连续3年 在规；在 词汇 中写 在规: 是否，事实按年填写",
        );
        Some(Cond::Consecutive {
            event: event?,
            years: years?,
            fact: fact?,
            loc: Resolver::loc(file, c.span),
        })
    }

    /// In a `给予 额度` schedule, the unit is the first year's amount's,
    /// read before the yearly cap is: a cap in another unit is then the
    /// part named as wrong. Errors are the parts' own to report, later.
    fn quota_unit_first(&mut self, file: FileId, plan: &ast::SchedulePlan) {
        if self.quota != Some(None) {
            return;
        }
        let first = match plan {
            ast::SchedulePlan::Years(parts) => match parts.first().map(|p| &p.amount.core) {
                Some(ast::AmountCore::Expr(e)) => e,
                _ => return,
            },
            ast::SchedulePlan::Split { total, .. } => total,
        };
        // What is reported once (an unknown unit, a deep expansion) must
        // still be reported by the real reading.
        let reported = self.errors.len();
        let once = (self.unknown_units.clone(), self.expansion_reported);
        let kind = self.expr(file, first, None).map(|(_, k)| k);
        self.errors.truncate(reported);
        (self.unknown_units, self.expansion_reported) = once;
        if let Some(k @ (Kind::Money | Kind::Quantity(_))) = kind {
            self.quota = Some(Some(k));
        }
    }

    /// The date fact a schedule counts from.
    fn event_date(&mut self, file: FileId, n: &ast::Name) -> Option<FactId> {
        self.fact_of(
            file,
            n,
            &Ty::Date,
            "日期事实",
            "分年给予从企业自己的日期起算，如 自 落户日期 起；在 词汇 中写 落户日期: 日期",
        )
    }

    fn runs(
        &mut self,
        file: FileId,
        parts: &[ast::SchedulePart],
        cap: Option<&Expr>,
    ) -> Option<Vec<ScheduleRun>> {
        let mut ok = true;
        let mut runs = Vec::with_capacity(parts.len());
        for (i, p) in parts.iter().enumerate() {
            let fits = match (i, p.years.word) {
                (0, YearWord::First) | (1.., YearWord::Then) => true,
                (0, YearWord::Over) => parts.len() == 1,
                _ => false,
            };
            if !fits {
                self.errors.push(self.order_error(file, parts, i));
                ok = false;
            }
            let years = self.whole_years(file, &p.years);
            let amount = self.run_amount(file, &p.amount, cap);
            let tiers: Vec<Option<AmountCore>> =
                p.tiers.iter().map(|t| self.amount_core(file, t)).collect();
            let tiers: Option<Vec<AmountCore>> = tiers.into_iter().collect();
            match (years, amount, tiers) {
                (Some(years), Some(amount), Some(tiers)) => runs.push(ScheduleRun {
                    years,
                    amount,
                    tiers,
                }),
                _ => ok = false,
            }
        }
        ok.then_some(runs)
    }

    fn order_error(&self, file: FileId, parts: &[ast::SchedulePart], i: usize) -> CheckError {
        let here = parts.get(i).map(|p| &p.years);
        let word = here.map_or("", |y| y.word.word());
        let (problem, help) = match (i, here.map(|y| y.word)) {
            (_, Some(YearWord::Over)) => (
                "“分”与其他年数并列".to_string(),
                "分N年 每年 … 单独写；几段年数写成 前3年 每年 …，后2年 每年 …".to_string(),
            ),
            (0, _) => (
                format!("第一段写了“{word}”"),
                "第一段写 前N年（或只有一段时写 分N年），后面各段写 后N年".to_string(),
            ),
            _ => (
                format!("第 {} 段写了“{word}”", i + 1),
                "第一段之后的各段写 后N年，如 前3年 每年 …，后2年 每年 …".to_string(),
            ),
        };
        CheckError::ScheduleOrder {
            src: self.src(file),
            span: to_sspan(here.map_or_else(Default::default, |y| y.span)),
            problem,
            help,
        }
    }

    /// A count of years: whole, from 1 to 100.
    fn whole_years(&mut self, file: FileId, y: &ast::YearSpan) -> Option<u32> {
        let n = count_of_years(y.count);
        if n.is_none() {
            self.errors.push(CheckError::ScheduleYears {
                src: self.src(file),
                span: to_sspan(y.span),
                count: y.count.normalize().to_string(),
            });
        }
        n
    }

    /// One run's amount, the yearly cap folded into its own.
    fn run_amount(&mut self, file: FileId, a: &ast::Amount, cap: Option<&Expr>) -> Option<Amount> {
        let core = self.amount_core(file, &a.core);
        let own = match &a.cap {
            Some(c) => Some(self.cap_expr(file, c, a.span)?),
            None => None,
        };
        Some(Amount {
            bound: a.bound,
            core: core?,
            cap: both_caps(own, cap, Resolver::loc(file, a.span)),
        })
    }

    fn split(
        &mut self,
        file: FileId,
        bound: ast::AmountKind,
        totals: &[&ast::Expr],
        years: &ast::YearSpan,
        shares: &[crate::source::Spanned<crate::num::Ratio>],
        cap: Option<&Expr>,
    ) -> Option<Vec<ScheduleRun>> {
        let whole = self.total_split(file, years, shares);
        let checked: Vec<Option<(Expr, Loc)>> = totals
            .iter()
            .map(|e| {
                let loc = Resolver::loc(file, e.span());
                self.money_expr(file, e).map(|x| (x, loc))
            })
            .collect();
        let n = whole?;
        let totals: Vec<(Expr, Loc)> = checked.into_iter().collect::<Option<_>>()?;
        let first = totals.first()?;
        let tiered = totals.len() > 1;
        let share =
            |(total, loc): &(Expr, Loc), r: &crate::source::Spanned<crate::num::Ratio>| Expr::Of {
                base: Box::new(total.clone()),
                base_cap: None,
                shares: vec![Expr::Lit(Value::Ratio(r.node), Resolver::loc(file, r.span))],
                loc: *loc,
            };
        let runs = shares
            .iter()
            .take(n as usize)
            .map(|r| ScheduleRun {
                years: 1,
                amount: Amount {
                    bound,
                    core: AmountCore::Expr(share(first, r)),
                    cap: cap.cloned(),
                },
                // Year k of tier i pays tier i's amount times the k-th share.
                tiers: if tiered {
                    totals
                        .iter()
                        .map(|t| AmountCore::Expr(share(t, r)))
                        .collect()
                } else {
                    Vec::new()
                },
            })
            .collect();
        Some(runs)
    }

    /// `分3年 按 40%、30%、30%`: written 分, one share a year, 100% in all.
    fn total_split(
        &mut self,
        file: FileId,
        years: &ast::YearSpan,
        shares: &[crate::source::Spanned<crate::num::Ratio>],
    ) -> Option<u32> {
        if years.word != YearWord::Over {
            self.errors.push(CheckError::ScheduleOrder {
                src: self.src(file),
                span: to_sspan(years.span),
                problem: format!("按比例拨付写了“{}”", years.word.word()),
                help: "一笔金额按比例分年拨付写成 分N年，如 1000万元 分3年 按 40%、30%、30%".into(),
            });
            return None;
        }
        let n = self.whole_years(file, years)?;
        let span = match (shares.first(), shares.last()) {
            (Some(a), Some(b)) => a.span.to(b.span),
            _ => years.span,
        };
        if shares.len() != n as usize {
            self.errors.push(CheckError::ScheduleSplitCount {
                src: self.src(file),
                span: to_sspan(span),
                years: n.to_string(),
                shares: shares.len(),
            });
            return None;
        }
        let sum = shares
            .iter()
            .try_fold(Decimal::ZERO, |a, r| a.checked_add(r.node.0));
        if sum != Some(Decimal::ONE) {
            self.errors.push(CheckError::ScheduleSplitSum {
                src: self.src(file),
                span: to_sspan(span),
                sum: sum.map_or_else(|| "超出范围".into(), |s| crate::num::Ratio(s).to_string()),
            });
            return None;
        }
        Some(n)
    }
}

/// A run's own cap and the schedule's yearly cap: the lower of the two.
fn both_caps(own: Option<Expr>, yearly: Option<&Expr>, loc: Loc) -> Option<Expr> {
    match (own, yearly) {
        (Some(a), Some(b)) => Some(Expr::Call {
            func: crate::ast::Func::Min,
            args: vec![a, b.clone()],
            loc,
        }),
        (a, b) => a.or_else(|| b.cloned()),
    }
}
