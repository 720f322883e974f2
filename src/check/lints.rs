//! Warnings: wording that is legal but probably not what the drafter
//! meant. Each lint has a kebab-case name that `允许 <name>` silences for a
//! file, a policy or one clause.
//!
//! Each lint is built so that it cannot fire on an ordinary clause: the
//! range lints only reason about comparisons with constants and stay
//! silent on anything else; the date lints need `--date`.

mod caps;
mod double;
mod ranges;
mod thresholds;
mod unused;
mod warning;
mod wording;

use std::sync::Arc;

use chrono::NaiveDate;
use miette::NamedSource;

pub use warning::{Lint, NAMES};

use super::{Config, chinese_date};
use crate::ast::Module;
use crate::program::{ClauseDef, FileId, PolicyDef, Program, WindowDef};

/// What every lint reads.
pub struct Ctx<'a> {
    /// The checked program (clauses with errors left out).
    pub program: &'a Program,
}

impl Ctx<'_> {
    /// The source of a file, for a diagnostic.
    pub fn src(&self, file: FileId) -> NamedSource<Arc<str>> {
        self.program.named_source(file)
    }
}

/// Runs every lint over the modules and the program checked from them.
pub fn run(modules: &[Module], program: &Program, config: &Config) -> Vec<Lint> {
    let cx = Ctx { program };
    let mut out = wording::run(&cx, modules);
    for p in &program.policies {
        let allowed =
            |c: &ClauseDef, name: &str| c.allows.iter().chain(&p.allows).any(|a| a == name);
        if let Some(date) = config.date {
            out.extend(in_force(&cx, p, date).filter(|l| !p.allows.iter().any(|a| a == l.name())));
        }
        let scope = thresholds::scope_requirements(&cx, p);
        for c in &p.clauses {
            let mut found = Vec::new();
            if p.title.is_some() && c.source.is_none() {
                found.push(Lint::MissingSource {
                    src: cx.src(c.loc.file),
                    span: c.loc.span.into(),
                    clause: clause_name(c),
                });
            }
            found.extend(thresholds::never_applies(&cx, &scope, c));
            found.extend(caps::caps(&cx, &scope, c));
            out.extend(found.into_iter().filter(|l| !allowed(c, l.name())));
        }
        out.extend(thresholds::boundaries(&cx, p, allowed));
    }
    out.extend(double::run(&cx, |p, c| {
        c.allows
            .iter()
            .chain(&p.allows)
            .any(|a| a == "possible-double-payment")
    }));
    out.extend(unused::run(&cx, modules));
    out
}

/// With `--date`: a policy that is over, or has not begun, on that date.
fn in_force(cx: &Ctx<'_>, p: &PolicyDef, date: NaiveDate) -> Option<Lint> {
    let title = p.title.clone()?;
    let Some(WindowDef::Dates(start, end)) = p.window else {
        return None;
    };
    let src = cx.src(p.loc.file);
    let span = p.loc.span.into();
    if let Some(end) = end.filter(|e| *e < date) {
        return Some(Lint::PolicyExpired {
            src,
            span,
            title,
            end: chinese_date(end),
            date: chinese_date(date),
        });
    }
    (date < start).then(|| Lint::PolicyNotYetInForce {
        src,
        span,
        title,
        start: chinese_date(start),
        date: chinese_date(date),
    })
}

/// How a message names a clause: by its label, or as “this clause” when it
/// has none (its place shows in the diagnostic).
pub fn clause_name(c: &ClauseDef) -> String {
    if c.labelled {
        format!("条款“{}”", c.label)
    } else {
        "这个条款".to_string()
    }
}
