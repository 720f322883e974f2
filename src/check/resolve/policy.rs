//! 政策 blocks and clauses: windows, scope, shares, labels and the amount
//! forms of each action.

use std::collections::HashMap;

use chrono::{Datelike, Duration, Months, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::{Resolver, to_sspan};
use crate::ast::{self, AmountKind, CmpOp};
use crate::calendar::{CalendarUnknown, add_working_days, calendar};
use crate::check::error::CheckError;
use crate::program::*;
use crate::source::{Span, Spanned};

impl Resolver {
    pub(super) fn policy(&mut self, file: FileId, p: &ast::Policy) -> (PolicyDef, Vec<ast::Case>) {
        let publish: Option<Option<NaiveDate>> = p.items.iter().find_map(|i| match i {
            ast::PolicyItem::Publish(d) => Some(d.node),
            _ => None,
        });
        // An assumed date stands in for 未定 as if it had been written.
        let assumed = match publish {
            Some(None) => self.assumed.get(&p.title.node).copied(),
            _ => None,
        };
        let publish = if assumed.is_some() {
            Some(assumed)
        } else {
            publish
        };
        let mut def = PolicyDef {
            assumed_published: assumed,
            ..PolicyDef::empty(
                Some(p.title.node.clone()),
                Resolver::loc(file, p.title.span),
            )
        };
        let mut cases = Vec::new();
        let mut labels = HashMap::new();
        for item in &p.items {
            match item {
                ast::PolicyItem::Window(w) => def.window = self.window(file, w, publish),
                ast::PolicyItem::Publish(_) => {}
                ast::PolicyItem::Provenance(lines) => def.provenance = self.provenance(file, lines),
                ast::PolicyItem::Lead(names) => {
                    def.lead = names.iter().map(|n| n.text.clone()).collect()
                }
                ast::PolicyItem::Scope(c) => def.scope = self.cond(file, c),
                ast::PolicyItem::Share(s) => def.share = self.share(file, s),
                ast::PolicyItem::Overlap(o) => def.overlap = Some(o.node),
                ast::PolicyItem::TotalCap { cap, per_year } => {
                    def.total_cap = Some((cap.node, *per_year))
                }
                ast::PolicyItem::Budget(b) => def.budget = Some(b.node),
                ast::PolicyItem::Application(w) => {
                    def.application.window = self.application_window(file, w, publish)
                }
                ast::PolicyItem::AcceptingBody(n) => def.application.body = Some(n.text.clone()),
                ast::PolicyItem::Material(m) => def.application.materials.push(m.node.clone()),
                ast::PolicyItem::Define(_) => {}
                ast::PolicyItem::Allow(a) => {
                    def.allows.extend(a.names.iter().map(|s| s.node.clone()))
                }
                ast::PolicyItem::Case(c) => cases.push(c.clone()),
                ast::PolicyItem::Clause(c) => {
                    let idx = def.clauses.len();
                    if let Some(cd) = self.clause(file, c, idx, publish, &mut labels) {
                        def.clauses.push(cd);
                    }
                }
            }
        }
        (def, cases)
    }

    /// `出处 第A行 至 第B行`, kept only when A ≤ B.
    pub(super) fn provenance(
        &mut self,
        file: FileId,
        lines: &crate::source::Spanned<(u32, u32)>,
    ) -> Option<(u32, u32)> {
        let (first, last) = lines.node;
        if first > last {
            self.errors.push(CheckError::ProvenanceReversed {
                src: self.src(file),
                span: to_sspan(lines.span),
                first,
                last,
            });
            return None;
        }
        Some((first, last))
    }

    pub(super) fn window(
        &mut self,
        file: FileId,
        w: &crate::source::Spanned<ast::Window>,
        publish: Option<Option<NaiveDate>>,
    ) -> Option<WindowDef> {
        self.window_of(file, w, publish, false)
    }

    /// `申报 …`: read like 施行, with its own code when reversed.
    pub(super) fn application_window(
        &mut self,
        file: FileId,
        w: &crate::source::Spanned<ast::Window>,
        publish: Option<Option<NaiveDate>>,
    ) -> Option<WindowDef> {
        self.window_of(file, w, publish, true)
    }

    fn window_of(
        &mut self,
        file: FileId,
        w: &crate::source::Spanned<ast::Window>,
        publish: Option<Option<NaiveDate>>,
        application: bool,
    ) -> Option<WindowDef> {
        // Ok(None): depends on a publication date the text does not give.
        let point = |p: &ast::WindowPoint| -> Result<Option<NaiveDate>, PeriodError> {
            match p {
                ast::WindowPoint::Date(d) => Ok(Some(*d)),
                ast::WindowPoint::Published(delay) => {
                    if let Some(d) = delay {
                        check_duration(d.node.n, &d.node.unit).map_err(PeriodError::Length)?;
                    }
                    let Some(base) = publish.flatten() else {
                        return Ok(None);
                    };
                    match delay {
                        None => Ok(Some(base)),
                        Some(d) => add_duration(base, d).map(Some),
                    }
                }
            }
        };
        let uses_publish = matches!(w.node.start, ast::WindowPoint::Published(_))
            || matches!(
                w.node.end,
                ast::WindowEnd::At(ast::WindowPoint::Published(_))
            );
        if uses_publish && publish.is_none() {
            self.errors.push(CheckError::BadWindow {
                src: self.src(file),
                span: to_sspan(w.span),
            });
        }
        let ends = point(&w.node.start).and_then(|start| {
            let end = match &w.node.end {
                ast::WindowEnd::Open => Ok((None, true)),
                ast::WindowEnd::At(p) => point(p).map(|e| (e, e.is_some())),
                ast::WindowEnd::For(d) => match start {
                    Some(s) => last_day(s, d).map(|e| (e, e.is_some())),
                    None => check_duration(d.node.n, &d.node.unit)
                        .map(|()| (None, false))
                        .map_err(PeriodError::Length),
                },
            }?;
            Ok((start, end))
        });
        let (start, (end, end_known)) = match ends {
            Ok(x) => x,
            Err(PeriodError::Length(reason)) => {
                self.errors.push(CheckError::WindowLength {
                    src: self.src(file),
                    span: to_sspan(w.span),
                    reason,
                });
                return None;
            }
            Err(PeriodError::Calendar(unknown, span)) => {
                self.errors.push(CheckError::CalendarUnknown {
                    src: self.src(file),
                    span: to_sspan(span),
                    date: crate::check::chinese_date(unknown.date),
                    help: calendar_help(),
                });
                return None;
            }
        };
        let Some(start) = start.filter(|_| end_known) else {
            return Some(WindowDef::Unpublished { start, end });
        };
        if let Some(e) = end
            && e < start
        {
            let (src, span) = (self.src(file), to_sspan(w.span));
            self.errors.push(if application {
                CheckError::ApplicationWindowReversed { src, span }
            } else {
                CheckError::WindowReversed { src, span }
            });
        }
        Some(WindowDef::Dates(start, end))
    }

    pub(super) fn share(
        &mut self,
        file: FileId,
        s: &crate::source::Spanned<ast::Share>,
    ) -> Option<ShareDef> {
        match &s.node {
            ast::Share::BySystem => Some(ShareDef::BySystem),
            ast::Share::Payers(payers) => {
                let mut dup = false;
                for (i, (n, _)) in payers.iter().enumerate() {
                    if let Some((first, _)) = payers.iter().take(i).find(|(m, _)| m.text == n.text)
                    {
                        self.errors.push(CheckError::DuplicatePayer {
                            src: self.src(file),
                            first: to_sspan(first.span),
                            span: to_sspan(n.span),
                            payer: n.text.clone(),
                        });
                        dup = true;
                    }
                }
                if dup {
                    return None;
                }
                let weights = share_weights(payers);
                let Ok(weights) = weights else {
                    self.errors.push(CheckError::SharesSum {
                        src: self.src(file),
                        span: to_sspan(s.span),
                        sum: weights
                            .err()
                            .flatten()
                            .unwrap_or_else(|| "超出可表示的范围".into()),
                    });
                    return None;
                };
                Some(ShareDef::Payers(
                    payers
                        .iter()
                        .map(|(n, _)| n.text.clone())
                        .zip(weights)
                        .collect(),
                ))
            }
        }
    }

    pub(super) fn clause(
        &mut self,
        file: FileId,
        c: &ast::Clause,
        _idx: usize,
        publish: Option<Option<NaiveDate>>,
        labels: &mut HashMap<String, Span>,
    ) -> Option<ClauseDef> {
        let loc = Resolver::loc(file, c.span);
        let (label, labelled) = match &c.label {
            Some(l) => {
                if let Some(first) = labels.get(&l.text) {
                    self.errors.push(CheckError::DuplicateLabel {
                        src: self.src(file),
                        span: to_sspan(l.span),
                        label: l.text.clone(),
                        first: to_sspan(*first),
                    });
                } else {
                    labels.insert(l.text.clone(), l.span);
                }
                (l.text.clone(), true)
            }
            None => {
                let line = self.lines.get(file).map_or(0, |l| l.line(c.span.start));
                let name = self
                    .files
                    .get(file)
                    .map_or("?".into(), |f| f.name.to_string());
                (format!("{name}:{line}"), false)
            }
        };
        let cond = self.cond(file, &c.cond);
        let action = self.action(file, c);
        let mut source = None;
        let mut also_cites = Vec::new();
        let mut matter = None;
        let mut window = None;
        let mut share = None;
        let mut application = Application::default();
        let mut allows = Vec::new();
        for a in &c.attrs {
            match a {
                ast::ClauseAttr::Source(s) if source.is_none() => source = Some(s.node.clone()),
                ast::ClauseAttr::Source(s) => also_cites.push(s.node.clone()),
                ast::ClauseAttr::Matter(m) => matter = Some(m.text.clone()),
                ast::ClauseAttr::Window(w) => window = self.window(file, w, publish),
                ast::ClauseAttr::Share(s) => share = self.share(file, s),
                ast::ClauseAttr::Application(w) => {
                    application.window = self.application_window(file, w, publish)
                }
                ast::ClauseAttr::AcceptingBody(n) => application.body = Some(n.text.clone()),
                ast::ClauseAttr::Material(m) => application.materials.push(m.node.clone()),
                ast::ClauseAttr::Allow(x) => allows.extend(x.names.iter().map(|s| s.node.clone())),
            }
        }
        let (action, tiers) = action?;
        Some(ClauseDef {
            explicit_matter: matter.is_some(),
            matter: matter.unwrap_or_else(|| label.clone()),
            label,
            labelled,
            cond: cond?,
            tiers,
            action,
            source,
            also_cites,
            window,
            share,
            application,
            loc,
            allows,
        })
    }

    pub(super) fn action(&mut self, file: FileId, c: &ast::Clause) -> Option<(Action, Vec<Cond>)> {
        Some(match &c.action.node {
            ast::Action::Grant(g) => {
                let (mut amount, tiers, quota) = match g.quota {
                    None => {
                        let (a, t) = self.grant_amount(file, &g.amount, &c.cond)?;
                        (a, t, None)
                    }
                    Some(at) => {
                        // A cap across years reads money received; a quota
                        // is not money.
                        if let Some(cu) = &g.cumulative {
                            self.errors.push(CheckError::QuotaForm {
                                src: self.src(file),
                                span: to_sspan(cu.span),
                                what: "累计 最高".to_string(),
                            });
                            return None;
                        }
                        self.quota_form(file, at, &g.amount, c)?;
                        let outer = self.quota.replace(None);
                        let out = self.grant_amount(file, &g.amount, &c.cond);
                        let kind = std::mem::replace(&mut self.quota, outer).flatten();
                        let (a, t) = out?;
                        (a, t, Some(super::expr::quota_unit(&kind?)))
                    }
                };
                // 往年已领 reads earlier years, so needs a schedule's
                // years; 本年已领 reads this year's earlier applications,
                // so needs one amount (or 分别) paid once per application,
                // or a schedule, whose instalment for this year it caps.
                let mut this_year = None;
                if let Some(cu) = &g.cumulative {
                    match (&mut amount, cu.this_year) {
                        (GrantAmount::Schedule(s), _) => {
                            s.cumulative = Some(self.cumulative(file, cu)?);
                        }
                        (GrantAmount::Single(_) | GrantAmount::Tiers { .. }, true) => {
                            this_year = Some(self.cumulative(file, cu)?);
                        }
                        (_, this_year) => {
                            self.errors.push(CheckError::CumulativeSchedule {
                                src: self.src(file),
                                span: to_sspan(cu.span),
                                problem: if this_year {
                                    "本年已领 只能写在一笔金额、分别 给予 或分年给予之后"
                                } else {
                                    "累计上限只能写在分年给予中"
                                }
                                .to_string(),
                            });
                            return None;
                        }
                    }
                }
                (
                    Action::Grant {
                        amount,
                        quota,
                        extra: g.extra,
                        name: g.name.as_ref().map(|n| n.node.clone()),
                        cumulative: this_year,
                    },
                    tiers,
                )
            }
            ast::Action::Exempt(t) => (Action::Exempt(t.node.clone()), vec![]),
            ast::Action::Permit(t) => (Action::Permit(t.node.clone()), vec![]),
            ast::Action::Prohibit(n) | ast::Action::Oblige(n) => {
                let id = self.cond_word(file, n)?;
                let a = if matches!(c.action.node, ast::Action::Prohibit(_)) {
                    Action::Prohibit(id)
                } else {
                    Action::Oblige(id)
                };
                (a, vec![])
            }
        })
    }

    /// What 额度 may be written with: one amount, 分别 tiers or a schedule, never
    /// 酌定, 每项, a range or 减免, and no 事项 (a quota is never weighed
    /// against money). `None` when it is wrong (reported).
    fn quota_form(
        &mut self,
        file: FileId,
        at: Span,
        g: &ast::GrantAmount,
        c: &ast::Clause,
    ) -> Option<()> {
        let reduction = |b: AmountKind, core: &ast::AmountCore| {
            b == AmountKind::Reduction
                || matches!(core, ast::AmountCore::PerUnit { bound, .. } if *bound == AmountKind::Reduction)
        };
        let what = match g {
            ast::GrantAmount::Discretionary { .. } => Some("酌定"),
            ast::GrantAmount::Items(_) => Some("每项"),
            ast::GrantAmount::Range { .. } => Some("区间"),
            ast::GrantAmount::Tiers { bound, items, .. }
                if *bound == AmountKind::Reduction
                    || items.iter().any(|i| reduction(*bound, i)) =>
            {
                Some("减免")
            }
            ast::GrantAmount::Tiers { .. } => None,
            ast::GrantAmount::Single(a) if reduction(a.bound, &a.core) => Some("减免"),
            ast::GrantAmount::Schedule(s) => match &s.plan {
                ast::SchedulePlan::Years(parts)
                    if parts
                        .iter()
                        .any(|p| reduction(p.amount.bound, &p.amount.core)) =>
                {
                    Some("减免")
                }
                ast::SchedulePlan::Split { bound, .. } if *bound == AmountKind::Reduction => {
                    Some("减免")
                }
                _ => None,
            },
            ast::GrantAmount::Single(_) => None,
        };
        let matter = c.attrs.iter().find_map(|a| match a {
            ast::ClauseAttr::Matter(n) => Some(n.span),
            _ => None,
        });
        let (what, span) = match (what, matter) {
            (Some(w), _) => (w, at),
            (None, Some(m)) => ("事项", m),
            (None, None) => return Some(()),
        };
        self.errors.push(CheckError::QuotaForm {
            src: self.src(file),
            span: to_sspan(span),
            what: what.to_string(),
        });
        None
    }

    pub(super) fn grant_amount(
        &mut self,
        file: FileId,
        g: &ast::GrantAmount,
        cond: &ast::Cond,
    ) -> Option<(GrantAmount, Vec<Cond>)> {
        match g {
            ast::GrantAmount::Single(a) => {
                let core = self.amount_core(file, &a.core);
                let cap = match &a.cap {
                    Some(c) => Some(self.cap_expr(file, c, a.span)?),
                    None => None,
                };
                Some((
                    GrantAmount::Single(Amount {
                        bound: a.bound,
                        core: core?,
                        cap,
                    }),
                    vec![],
                ))
            }
            ast::GrantAmount::Discretionary { cap, span } => {
                let cap = match cap {
                    Some(c) => Some(self.cap_expr(file, c, *span)?),
                    None => None,
                };
                Some((GrantAmount::Discretionary { cap }, vec![]))
            }
            ast::GrantAmount::Range {
                bound,
                low,
                high,
                cap,
                span,
            } => Some((
                self.range(file, *bound, low, high, cap.as_ref(), *span)?,
                vec![],
            )),
            ast::GrantAmount::Schedule(s) => {
                let schedule = self.schedule(file, s)?;
                let tiers = self.schedule_tiers(file, s, cond)?;
                Some((GrantAmount::Schedule(Box::new(schedule)), tiers))
            }
            ast::GrantAmount::Items(g) => Some((
                GrantAmount::Items(Box::new(self.item_grant(file, g)?)),
                vec![],
            )),
            ast::GrantAmount::Tiers {
                bound,
                items,
                cap,
                span,
            } => {
                let Some(list) = tier_list(cond) else {
                    self.errors.push(CheckError::TiersWithoutList {
                        src: self.src(file),
                        span: to_sspan(cond.span()),
                    });
                    return None;
                };
                if list.len() != items.len() {
                    self.errors.push(CheckError::TierCount {
                        src: self.src(file),
                        cond_span: to_sspan(list_span(&list)),
                        amount_span: to_sspan(*span),
                        conditions: list.len(),
                        amounts: items.len(),
                    });
                    return None;
                }
                // The tiers are parts of the clause's condition, which has
                // already reported its errors: do not report them twice.
                let reported = self.errors.len();
                let tiers: Vec<Option<Cond>> = list.iter().map(|c| self.cond(file, c)).collect();
                self.errors.truncate(reported);
                let cores: Vec<Option<AmountCore>> =
                    items.iter().map(|i| self.amount_core(file, i)).collect();
                let cap = match cap {
                    Some(c) => Some(self.cap_expr(file, c, *span)?),
                    None => None,
                };
                Some((
                    GrantAmount::Tiers {
                        bound: *bound,
                        items: cores.into_iter().collect::<Option<Vec<_>>>()?,
                        cap,
                    },
                    tiers.into_iter().collect::<Option<Vec<_>>>()?,
                ))
            }
        }
    }

    /// The tier conditions of a schedule whose runs are written `每年 分别
    /// …`, or whose split is `分别 A、B 分3年 按 …`: the clause's 为-list,
    /// as many as each such run's (or the split's) amounts. None are
    /// needed when nothing is tiered.
    fn schedule_tiers(
        &mut self,
        file: FileId,
        s: &ast::Schedule,
        cond: &ast::Cond,
    ) -> Option<Vec<Cond>> {
        // Each tiered list: how many amounts, and where.
        let tiered: Vec<(usize, Span)> = match &s.plan {
            ast::SchedulePlan::Years(parts) => parts
                .iter()
                .filter(|p| !p.tiers.is_empty())
                .map(|p| (p.tiers.len(), p.amount.span))
                .collect(),
            ast::SchedulePlan::Split { tiers, .. } => match (tiers.first(), tiers.last()) {
                (Some(a), Some(b)) => vec![(tiers.len(), a.span().to(b.span()))],
                _ => vec![],
            },
        };
        if tiered.is_empty() {
            return Some(vec![]);
        }
        let Some(list) = tier_list(cond) else {
            self.errors.push(CheckError::TiersWithoutList {
                src: self.src(file),
                span: to_sspan(cond.span()),
            });
            return None;
        };
        let mut ok = true;
        for (amounts, span) in tiered {
            if amounts != list.len() {
                self.errors.push(CheckError::TierCount {
                    src: self.src(file),
                    cond_span: to_sspan(list_span(&list)),
                    amount_span: to_sspan(span),
                    conditions: list.len(),
                    amounts,
                });
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        // The tiers are parts of the clause's condition, which has
        // already reported its errors: do not report them twice.
        let reported = self.errors.len();
        let tiers: Vec<Option<Cond>> = list.iter().map(|c| self.cond(file, c)).collect();
        self.errors.truncate(reported);
        tiers.into_iter().collect()
    }

    /// `每项 项目 …`: the list, and the item's condition and amount read
    /// with its fields; the per-entity cap is read outside the item.
    /// `None` when any part is wrong (reported).
    fn item_grant(&mut self, file: FileId, g: &ast::ItemGrant) -> Option<ItemGrant> {
        let Some(&list) = self.vocab.by_name.get(&g.list.text) else {
            self.errors.push(self.unknown_word(file, &g.list));
            return None;
        };
        if self.vocab.get(list).map(|f| &f.ty) != Some(&Ty::List) {
            self.errors.push(CheckError::ItemList {
                src: self.src(file),
                span: to_sspan(g.list.span),
                word: g.list.text.clone(),
                problem: "每项 之后应是列表事实".into(),
            });
            return None;
        }
        let outer = self.item_list.replace(list);
        let filter = g.filter.as_ref().map(|c| self.cond(file, c));
        let amount = self.money_expr(file, &g.amount);
        let each_cap = g.each_cap.as_ref().map(|c| self.cap_expr(file, c, g.span));
        self.item_list = outer;
        let total_cap = g.total_cap.as_ref().map(|c| self.cap_expr(file, c, g.span));
        let count = g.count.as_ref().map(|c| self.item_count(file, c));
        // Every part is checked before any is given up on.
        let filter = filter.map_or(Some(None), |f| f.map(Some));
        let each_cap = each_cap.map_or(Some(None), |c| c.map(Some));
        let total_cap = total_cap.map_or(Some(None), |c| c.map(Some));
        Some(ItemGrant {
            list,
            fields: self.vocab.fields.get(&list).cloned().unwrap_or_default(),
            filter: filter?,
            amount: amount?,
            each_cap: each_cap?,
            count: count.map_or(Some(None), |c| c.map(Some))?,
            total_cap: total_cap?,
        })
    }

    /// `最多 8项`: a whole number of 项 from 1 on.
    fn item_count(&mut self, file: FileId, c: &ast::ItemCount) -> Option<u32> {
        use rust_decimal::prelude::ToPrimitive;
        let problem = if c.unit.as_deref() != Some("项") {
            Some(format!("项数以 项 计：写成 {}项", c.n.normalize()))
        } else if c.n.is_zero() {
            Some("项数上限不能为零：一项也不支付就不是给予".to_string())
        } else if !c.n.fract().is_zero() {
            Some("项数必须是整数".to_string())
        } else {
            None
        };
        let n = c.n.to_u32();
        let problem = match (problem, n) {
            (Some(p), _) => p,
            (None, Some(n)) => return Some(n),
            (None, None) => "项数过大".to_string(),
        };
        self.errors.push(CheckError::ItemCount {
            src: self.src(file),
            span: to_sspan(c.span),
            written: format!("{}{}", c.n.normalize(), c.unit.as_deref().unwrap_or("")),
            problem,
        });
        None
    }

    pub(super) fn amount_core(&mut self, file: FileId, a: &ast::AmountCore) -> Option<AmountCore> {
        match a {
            ast::AmountCore::Expr(e) => self.money_expr(file, e).map(AmountCore::Expr),
            ast::AmountCore::PerUnit {
                fact,
                unit,
                per,
                whole,
                bound,
                rate,
                span,
            } => {
                if !self.known_unit_at_end(file, &unit.node, unit.span) {
                    return None;
                }
                let per = match per {
                    Some(b) if b.node.is_zero() => {
                        self.errors.push(CheckError::PerBlock {
                            src: self.src(file),
                            span: to_sspan(Span::new(b.span.start, unit.span.end)),
                            block: format!(
                                "{}{}{}",
                                if *whole { "满" } else { "" },
                                b.node.normalize(),
                                unit.node
                            ),
                        });
                        return None;
                    }
                    Some(b) => b.node,
                    None => Decimal::ONE,
                };
                let fact_id = match fact {
                    Some(n) => self.counted_fact(file, n, unit)?,
                    None => self.fact_of_unit(file, unit)?,
                };
                let rate = self.money_expr(file, rate)?;
                Some(AmountCore::PerUnit {
                    fact: fact_id,
                    bound: *bound,
                    per,
                    whole: *whole,
                    rate,
                    loc: Resolver::loc(file, *span),
                })
            }
        }
    }

    /// `按 N 每<unit>`: N must be a quantity counted in that unit.
    fn counted_fact(
        &mut self,
        file: FileId,
        n: &ast::Name,
        unit: &Spanned<String>,
    ) -> Option<FactId> {
        let Some(&id) = self.vocab.by_name.get(&n.text) else {
            self.errors.push(self.unknown_word(file, n));
            return None;
        };
        if !self.fact_use(file, n.span, id) {
            return None;
        }
        match self.vocab.get(id).map(|f| f.ty.clone()) {
            Some(Ty::Quantity(u)) if u == unit.node => Some(id),
            Some(Ty::Quantity(u)) => {
                self.errors.push(CheckError::UnitMismatch {
                    src: self.src(file),
                    span: to_sspan(unit.span),
                    unit: unit.node.clone(),
                    fact: n.text.clone(),
                    fact_unit: u.clone(),
                    help: format!("改成 每{u}，或换一个以{}计的事实", unit.node),
                });
                None
            }
            Some(t) => {
                let k = t.kind(id);
                self.errors.push(self.wrong_kind(
                    file,
                    n.span,
                    "数量",
                    &k,
                    "按单位计算的金额需要一个 数量(单位) 类型的事实",
                ));
                None
            }
            None => None,
        }
    }

    /// `每<unit>` without a fact: the one quantity counted in that unit.
    fn fact_of_unit(&mut self, file: FileId, unit: &Spanned<String>) -> Option<FactId> {
        let matching: Vec<FactId> = self
            .vocab
            .facts
            .iter()
            .enumerate()
            .filter(|(_, f)| f.ty == Ty::Quantity(unit.node.clone()))
            .map(|(i, _)| i)
            .collect();
        if let [one] = matching.as_slice() {
            return Some(*one);
        }
        let names: Vec<&str> = matching.iter().map(|i| self.vocab.name(*i)).collect();
        let help = if names.is_empty() {
            format!(
                "词汇中没有以{}计的 数量 事实；声明一个，如 数量({})",
                unit.node, unit.node
            )
        } else {
            format!(
                "有多个以{}计的事实（{}）；写明按哪个，如 按 {} 每{} …",
                unit.node,
                names.join("、"),
                names.first().copied().unwrap_or(""),
                unit.node
            )
        };
        self.errors.push(CheckError::PerUnitFact {
            src: self.src(file),
            span: to_sspan(unit.span),
            unit: unit.node.clone(),
            help,
        });
        None
    }

    // ───────────── cases ─────────────
}

/// Whether `n` of `unit` is a period of time: a whole number of a time
/// unit.
pub(super) fn check_duration(n: Decimal, unit: &str) -> Result<(), String> {
    if !matches!(unit, "年" | "个月" | "周" | "日" | "天" | "工作日") {
        return Err(format!("“{unit}”不是时间单位"));
    }
    if n.fract() != Decimal::ZERO {
        return Err(format!("{}{unit} 不是整数", n.normalize()));
    }
    Ok(())
}

/// Why a window's length or delay gives no date.
pub(super) enum PeriodError {
    /// Not a whole number of a time unit, or past the last date there is
    /// (`zc::check::window_length`): the reason.
    Length(String),
    /// Working days counted into days the calendar does not cover
    /// (`zc::check::calendar_unknown`), and the period counted.
    Calendar(CalendarUnknown, Span),
}

/// `d` moved on by a period: `发布后30日` is 30 days after publication, and
/// `发布后10工作日` the 10th working day after it, both counted from the
/// next day (《民法典》第二百零一条); `Err` says why that cannot be done (a
/// unit that is not a time, a fraction, a date beyond the calendar or beyond
/// the working-day calendar), so that a window is never silently misread.
pub(super) fn add_duration(
    d: NaiveDate,
    period: &Spanned<ast::Period>,
) -> Result<NaiveDate, PeriodError> {
    let (n, unit) = (period.node.n, period.node.unit.as_str());
    check_duration(n, unit).map_err(PeriodError::Length)?;
    let beyond = || PeriodError::Length(format!("{d} 之后 {}{unit} 超出了日历范围", n.normalize()));
    let n = n.to_u32().ok_or_else(beyond)?;
    match unit {
        "工作日" => {
            return add_working_days(d, n).map_err(|u| PeriodError::Calendar(u, period.span));
        }
        "年" => n
            .checked_mul(12)
            .and_then(|m| d.checked_add_months(Months::new(m))),
        "个月" => d.checked_add_months(Months::new(n)),
        "周" => d.checked_add_signed(Duration::days(i64::from(n) * 7)),
        _ => d.checked_add_signed(Duration::days(i64::from(n))),
    }
    .ok_or_else(beyond)
}

/// The last day of a window `起 <period>` starting on `s`, which counts the
/// first day: `起 1年` from 2024年6月6日 ends 2025年6月5日, and `起 5工作日`
/// ends on the 5th working day counting `s` itself when it is one. `None`
/// when the day before would not exist.
fn last_day(s: NaiveDate, period: &Spanned<ast::Period>) -> Result<Option<NaiveDate>, PeriodError> {
    if period.node.unit == "工作日" {
        // The working days after the day before `s` are those from `s` on.
        return match s.pred_opt() {
            Some(before) => add_duration(before, period).map(Some),
            None => Ok(None),
        };
    }
    add_duration(s, period).map(|e| e.pred_opt())
}

/// The help of `zc::check::calendar_unknown`: the days covered and how to
/// add a year.
fn calendar_help() -> String {
    let add = "增加一年：在 src/calendar/holidays.toml 中按该年《国务院办公厅关于XXXX年部分节假日安排的通知》追加一张表，或改按 日 计算";
    match calendar().covered_span() {
        Some((first, last)) => format!(
            "工作日日历收录 {}—{} 年的放假安排，可计算 {} 至 {}（末年 12 月可能被下一年的元旦安排改动，待下一年的通知收录后才可计算）；{add}",
            first.year(),
            last.year(),
            crate::check::chinese_date(first),
            crate::check::chinese_date(last),
        ),
        None => format!("工作日日历没有收录任何年份；{add}"),
    }
}

/// The tier list of a 分别 clause: a 、-list, or `X 为 A、B、C`, found at the
/// top of the condition or among its 且 parts.
pub(super) fn tier_list(c: &ast::Cond) -> Option<Vec<ast::Cond>> {
    match c {
        ast::Cond::List(items, _) => Some(items.clone()),
        ast::Cond::Compare(cmp) if cmp.op == CmpOp::Eq && cmp.rhs.len() > 1 => Some(
            cmp.rhs
                .iter()
                .map(|r| {
                    ast::Cond::Compare(ast::Compare {
                        lhs: cmp.lhs.clone(),
                        op: CmpOp::Eq,
                        rhs: vec![r.clone()],
                        contradictory: false,
                        wording: cmp.wording,
                        op_span: cmp.op_span,
                        span: r.span(),
                    })
                })
                .collect(),
        ),
        ast::Cond::And(items, _) => items.iter().find_map(tier_list),
        _ => None,
    }
}

pub(super) fn list_span(list: &[ast::Cond]) -> Span {
    let first = list.first().map(ast::Cond::span).unwrap_or_default();
    list.iter().fold(first, |acc, c| acc.to(c.span()))
}

/// The weights of a `分担` whose shares make exactly 100%: the ratios as
/// written, or, when a share is a fraction (`省 三分之一 市 三分之一 区县
/// 三分之一`), whole numbers over their common denominator (1, 1, 1), so
/// that no payer's part is cut off at a decimal place. `Err(Some(sum))`
/// with the sum in words when it is not 100%, `Err(None)` when it cannot
/// be counted.
fn share_weights(payers: &[(ast::Name, ast::PayerShare)]) -> Result<Vec<Decimal>, Option<String>> {
    use ast::PayerShare;
    let ratios: Option<Vec<Decimal>> = payers
        .iter()
        .map(|(_, s)| match s {
            PayerShare::Ratio(r) => Some(r.0),
            PayerShare::Fraction(_) => None,
        })
        .collect();
    if let Some(ratios) = ratios {
        let sum = ratios
            .iter()
            .try_fold(Decimal::ZERO, |a, r| a.checked_add(*r))
            .ok_or(None)?;
        if sum != Decimal::ONE {
            return Err(Some(crate::num::Ratio(sum).to_string()));
        }
        return Ok(ratios);
    }
    use crate::num::{gcd, lowest_terms};
    // Each share as a fraction in lowest terms (shares are never
    // negative), summed exactly.
    let parts: Vec<(u128, u128)> = payers
        .iter()
        .map(|(_, s)| match s {
            PayerShare::Ratio(r) => Some(lowest_terms(
                r.0.mantissa().unsigned_abs(),
                10u128.checked_pow(r.0.scale())?,
            )),
            PayerShare::Fraction(f) => Some(lowest_terms(f.num.into(), f.den.into())),
        })
        .collect::<Option<_>>()
        .ok_or(None)?;
    let (mut n, mut d) = (0u128, 1u128);
    for &(pn, pd) in &parts {
        let next_n = n.checked_mul(pd).zip(pn.checked_mul(d));
        let (a, b) = next_n.ok_or(None)?;
        (n, d) = lowest_terms(
            a.checked_add(b).ok_or(None)?,
            d.checked_mul(pd).ok_or(None)?,
        );
    }
    if n != d {
        return Err(Some(format!("{n}/{d}")));
    }
    let common = parts
        .iter()
        .try_fold(1u128, |l, &(_, pd)| l.checked_mul(pd / gcd(l, pd)))
        .ok_or(None)?;
    parts
        .iter()
        .map(|&(pn, pd)| {
            let w = pn.checked_mul(common / pd).ok_or(None)?;
            let w = i128::try_from(w).map_err(|_| None)?;
            Decimal::try_from_i128_with_scale(w, 0).map_err(|_| None)
        })
        .collect()
}
