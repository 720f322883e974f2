//! Syntax trees compared without their spans: every span set to zero. The
//! walk destructures every node completely, so a new field or variant in
//! `ast` does not compile until it is handled here.

use crate::ast::*;
use crate::source::{Span, Spanned};

/// The module's items with every span zeroed.
pub fn strip_spans(m: &Module) -> Vec<Item> {
    let mut items = m.items.clone();
    items.iter_mut().for_each(item);
    items
}

fn z(s: &mut Span) {
    *s = Span::default();
}

fn zs<T>(s: &mut Spanned<T>) {
    z(&mut s.span);
}

fn window(w: &mut Spanned<Window>) {
    zs(w);
    let Window { start, end } = &mut w.node;
    let point = |p: &mut WindowPoint| match p {
        WindowPoint::Date(_) | WindowPoint::Published(None) => {}
        WindowPoint::Published(Some(d)) => zs(d),
    };
    point(start);
    match end {
        WindowEnd::At(p) => point(p),
        WindowEnd::Open => {}
        WindowEnd::For(d) => zs(d),
    }
}

fn words(ws: &mut [Spanned<String>]) {
    ws.iter_mut().for_each(zs);
}

fn allow(a: &mut Allow) {
    let Allow { names, reason } = a;
    words(names);
    if let Some(r) = reason {
        zs(r);
    }
}

fn name(n: &mut Name) {
    let Name {
        text: _,
        quoted: _,
        span,
    } = n;
    z(span);
}

fn label(l: &mut Label) {
    let Label { text: _, span } = l;
    z(span);
}

fn item(i: &mut Item) {
    match i {
        Item::Vocab(v) => {
            v.entries.iter_mut().for_each(vocab_entry);
            for d in &mut v.units {
                z(&mut d.span);
                d.units.iter_mut().for_each(zs);
            }
        }
        Item::Define(d) => define(d),
        Item::Param(p) => {
            let Param { name: n, entries } = p;
            name(n);
            for (d, l) in entries {
                zs(d);
                zs(l);
            }
        }
        Item::Policy(p) => {
            let Policy { title, items, span } = p;
            zs(title);
            z(span);
            items.iter_mut().for_each(policy_item);
        }
        Item::Case(c) => case(c),
        Item::Include(s) => zs(s),
        Item::Allow(ws) => allow(ws),
        Item::Clause(c) => clause(c),
    }
}

fn fact_entry((f, v): &mut (Name, Spanned<FactLiteral>)) {
    name(f);
    fact_literal(v);
}

fn fact_literal(v: &mut Spanned<FactLiteral>) {
    zs(v);
    match &mut v.node {
        FactLiteral::List(items) => items.iter_mut().flatten().for_each(fact_entry),
        FactLiteral::ByYear(years) => {
            for (y, v) in years {
                zs(y);
                fact_literal(v);
            }
        }
        _ => {}
    }
}

fn vocab_entry(e: &mut VocabEntry) {
    let VocabEntry {
        name: n,
        ty,
        fields,
    } = e;
    name(n);
    zs(ty);
    fields.iter_mut().for_each(vocab_entry);
    if let TypeExpr::Enum { values, ordered: _ } = &mut ty.node {
        values.iter_mut().for_each(name);
    }
}

fn define(d: &mut Define) {
    let Define { name: n, body } = d;
    name(n);
    match body {
        DefineBody::Cond(c) => cond(c),
        DefineBody::Expr(e) => expr(e),
    }
}

fn policy_item(p: &mut PolicyItem) {
    match p {
        PolicyItem::Window(w) => window(w),
        PolicyItem::Publish(d) => zs(d),
        PolicyItem::Provenance(p) => zs(p),
        PolicyItem::Lead(ns) => ns.iter_mut().for_each(name),
        PolicyItem::Scope(c) => cond(c),
        PolicyItem::Share(s) => share(s),
        PolicyItem::Overlap(o) => zs(o),
        PolicyItem::TotalCap { cap, per_year: _ } => zs(cap),
        PolicyItem::Budget(m) => zs(m),
        PolicyItem::Application(w) => window(w),
        PolicyItem::AcceptingBody(n) => name(n),
        PolicyItem::Material(m) => zs(m),
        PolicyItem::Define(d) => define(d),
        PolicyItem::Allow(ws) => allow(ws),
        PolicyItem::Case(c) => case(c),
        PolicyItem::Clause(c) => clause(c),
    }
}

fn share(s: &mut Spanned<Share>) {
    zs(s);
    match &mut s.node {
        Share::BySystem => {}
        Share::Payers(ps) => ps.iter_mut().for_each(|(n, _)| name(n)),
    }
}

fn clause(c: &mut Clause) {
    let Clause {
        label: l,
        cond: cnd,
        action: a,
        attrs,
        span,
    } = c;
    if let Some(l) = l {
        label(l);
    }
    cond(cnd);
    zs(a);
    action(&mut a.node);
    for at in attrs {
        match at {
            ClauseAttr::Source(s) => zs(s),
            ClauseAttr::Matter(n) => name(n),
            ClauseAttr::Window(w) => window(w),
            ClauseAttr::Share(s) => share(s),
            ClauseAttr::Application(w) => window(w),
            ClauseAttr::AcceptingBody(n) => name(n),
            ClauseAttr::Material(m) => zs(m),
            ClauseAttr::Allow(ws) => allow(ws),
        }
    }
    z(span);
}

fn action(a: &mut Action) {
    match a {
        Action::Grant(g) => {
            let Grant {
                extra: _,
                quota,
                amount,
                name: n,
                cumulative,
            } = g;
            if let Some(n) = n {
                zs(n);
            }
            if let Some(c) = cumulative {
                expr(&mut c.cap);
                name(&mut c.received);
                z(&mut c.span);
            }
            if let Some(q) = quota {
                z(q);
            }
            grant_amount(amount);
        }
        Action::Exempt(s) | Action::Permit(s) => zs(s),
        Action::Prohibit(n) | Action::Oblige(n) => name(n),
    }
}

fn grant_amount(g: &mut GrantAmount) {
    match g {
        GrantAmount::Items(g) => {
            let ItemGrant {
                list,
                filter,
                amount,
                each_cap,
                count,
                total_cap,
                span,
            } = &mut **g;
            if let Some(c) = count {
                z(&mut c.span);
            }
            name(list);
            filter.iter_mut().for_each(cond);
            expr(amount);
            each_cap.iter_mut().for_each(expr);
            total_cap.iter_mut().for_each(expr);
            z(span);
        }
        GrantAmount::Single(a) => single(a),
        GrantAmount::Tiers {
            bound: _,
            items,
            cap,
            span,
        } => {
            items.iter_mut().for_each(amount_core);
            if let Some(c) = cap {
                expr(c);
            }
            z(span);
        }
        GrantAmount::Discretionary { cap, span } => {
            if let Some(c) = cap {
                expr(c);
            }
            z(span);
        }
        GrantAmount::Range {
            bound,
            low,
            high,
            cap,
            span,
        } => {
            if let Some(b) = bound {
                z(b);
            }
            amount_core(low);
            amount_core(high);
            if let Some(c) = cap {
                expr(c);
            }
            z(span);
        }
        GrantAmount::Schedule(s) => {
            let Schedule {
                event,
                plan,
                cap,
                span,
            } = &mut **s;
            name(event);
            match plan {
                SchedulePlan::Years(parts) => {
                    for p in parts {
                        z(&mut p.years.span);
                        single(&mut p.amount);
                        p.tiers.iter_mut().for_each(amount_core);
                    }
                }
                SchedulePlan::Split {
                    bound: _,
                    total,
                    tiers,
                    years,
                    shares,
                } => {
                    expr(total);
                    tiers.iter_mut().for_each(expr);
                    z(&mut years.span);
                    shares.iter_mut().for_each(zs);
                }
            }
            if let Some(c) = cap {
                expr(c);
            }
            z(span);
        }
    }
}

fn single(a: &mut Amount) {
    let Amount {
        bound: _,
        core,
        cap,
        span,
    } = a;
    amount_core(core);
    if let Some(c) = cap {
        expr(c);
    }
    z(span);
}

fn amount_core(c: &mut AmountCore) {
    match c {
        AmountCore::Expr(e) => expr(e),
        AmountCore::PerUnit {
            fact,
            unit,
            per,
            whole: _,
            bound: _,
            rate,
            span,
        } => {
            if let Some(f) = fact {
                name(f);
            }
            zs(unit);
            if let Some(p) = per {
                zs(p);
            }
            expr(rate);
            z(span);
        }
    }
}

fn cond(c: &mut Cond) {
    match c {
        Cond::And(parts, span) | Cond::Or(parts, span) | Cond::List(parts, span) => {
            parts.iter_mut().for_each(cond);
            z(span);
        }
        Cond::Not(inner, span) => {
            cond(inner);
            z(span);
        }
        Cond::Word(n) => name(n),
        Cond::Compare(cmp) => {
            let Compare {
                lhs,
                op: _,
                rhs,
                contradictory: _,
                wording: _,
                op_span,
                span,
            } = cmp;
            if let Some(l) = lhs {
                expr(l);
            }
            rhs.iter_mut().for_each(expr);
            z(op_span);
            z(span);
        }
        Cond::Consecutive(c) => {
            name(&mut c.event);
            name(&mut c.fact);
            c.years.node = c.years.node.normalize();
            zs(&mut c.years);
            z(&mut c.span);
        }
    }
}

fn expr(e: &mut Expr) {
    match e {
        Expr::Lit(l) => zs(l),
        Expr::Name(n) => name(n),
        Expr::Arith { first, rest, span } => {
            expr(first);
            rest.iter_mut().for_each(|(_, x)| expr(x));
            z(span);
        }
        Expr::Of {
            base,
            base_cap,
            shares,
            span,
        } => {
            expr(base);
            if let Some(c) = base_cap {
                expr(c);
            }
            shares.iter_mut().for_each(expr);
            z(span);
        }
        Expr::Call {
            func: _,
            args,
            span,
        } => {
            args.iter_mut().for_each(expr);
            z(span);
        }
        Expr::Band {
            subject,
            above: _,
            bound,
            rate,
            span,
        } => {
            expr(subject);
            expr(bound);
            expr(rate);
            z(span);
        }
        Expr::Convert { amount, rate, span } => {
            expr(amount);
            expr(rate);
            z(span);
        }
        Expr::Shift {
            base, period, span, ..
        } => {
            expr(base);
            zs(period);
            z(span);
        }
        Expr::Period(p) => zs(p),
    }
}

fn case(c: &mut Case) {
    let Case {
        name: n,
        facts,
        date,
        apply_date,
        published,
        expectations,
        span,
    } = c;
    zs(n);
    facts.iter_mut().for_each(fact_entry);
    if let Some(d) = date {
        zs(d);
    }
    if let Some(d) = apply_date {
        zs(d);
    }
    for p in published {
        let CasePublished { title, date, span } = p;
        zs(title);
        zs(date);
        z(span);
    }
    for e in expectations {
        let Expectation {
            target,
            outcome,
            span,
        } = e;
        match outcome {
            Expected::UndecidedFor(names) => names.iter_mut().for_each(&mut name),
            Expected::DisplacedBy { policy, label: l } => {
                if let Some(p) = policy {
                    zs(p);
                }
                label(l);
            }
            Expected::Shares(shares) => shares.iter_mut().for_each(|(n, _)| name(n)),
            _ => {}
        }
        if let ExpectTarget::Clause { policy, label: l } = target {
            if let Some(p) = policy {
                zs(p);
            }
            label(l);
        }
        z(span);
    }
    z(span);
}
