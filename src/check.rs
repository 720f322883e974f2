//! Syntax tree → checked program: names, types, then lints. Reports every
//! error it finds; a program with errors is never evaluated.

pub mod assume;
pub mod error;
pub mod lints;
mod resolve;
pub mod suggest;

use chrono::{Datelike, NaiveDate};
use std::collections::{HashMap, HashSet};

use miette::Diagnostic;

pub use assume::Assumptions;
pub use error::CheckError;
pub use lints::Lint;
pub use resolve::{arith_kind, case_value};

use crate::ast::Module;
use crate::diagnostics::{Identity, Positions};
use crate::program::Program;

/// What the checks may depend on beyond the text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Config {
    /// The date `zhengce check --date` asks about: only then are policies
    /// that have expired, or are not yet in force, reported.
    pub date: Option<NaiveDate>,
}

/// A program that passed the checks, with its warnings.
#[derive(Debug)]
pub struct Checked {
    /// The checked program.
    pub program: Program,
    /// Warnings (never block evaluation); empty from [`check_unlinted`].
    pub warnings: Vec<Lint>,
}

/// Everything the checks found: the program as far as it could be built,
/// every error and every warning, each list in source order without
/// repeats.
#[derive(Debug)]
pub struct Analysis {
    /// The program; clauses with errors are left out of it.
    pub program: Program,
    /// Errors (the program must not be evaluated when there are any).
    pub errors: Vec<CheckError>,
    /// Warnings.
    pub warnings: Vec<Lint>,
}

/// Checks parsed modules (loaded together, sharing one vocabulary).
pub fn check(modules: &[Module]) -> Result<Checked, Vec<CheckError>> {
    check_with(modules, &Assumptions::default())
}

/// [`check`], with policies written `发布 未定` read with the publication
/// dates `assumptions` gives them.
pub fn check_with(
    modules: &[Module],
    assumptions: &Assumptions,
) -> Result<Checked, Vec<CheckError>> {
    let a = analyse_with(modules, &Config::default(), assumptions);
    if a.errors.is_empty() {
        Ok(Checked {
            program: a.program,
            warnings: a.warnings,
        })
    } else {
        Err(a.errors)
    }
}

/// [`check_with`] without the lints: for commands that evaluate and never
/// show warnings (`eval`, `match`, `batch`, `test`…). The lints only read
/// the program, so the program is the same; skipping them is about a third
/// of the start-up of `zhengce eval` over `policies/`.
pub fn check_unlinted(
    modules: &[Module],
    assumptions: &Assumptions,
) -> Result<Checked, Vec<CheckError>> {
    let (program, errors) = resolve::Resolver::run(modules, assumptions);
    if errors.is_empty() {
        Ok(Checked {
            program,
            warnings: Vec::new(),
        })
    } else {
        Err(in_order(errors, modules))
    }
}

/// Runs every check and every lint and keeps all findings, for
/// `zhengce check`. Lints run even when there are errors, over the clauses
/// that resolved.
pub fn analyse(modules: &[Module], config: &Config) -> Analysis {
    analyse_with(modules, config, &Assumptions::default())
}

/// [`analyse`] with assumed publication dates.
pub fn analyse_with(modules: &[Module], config: &Config, assumptions: &Assumptions) -> Analysis {
    let (program, errors) = resolve::Resolver::run(modules, assumptions);
    let warnings = lints::run(modules, &program, config);
    Analysis {
        errors: in_order(errors, modules),
        warnings: in_order(warnings, modules),
        program,
    }
}

/// Where a diagnostic points, for sorting: the file's load index, then the
/// byte offset of its first label.
pub fn source_order(modules: &[Module], d: &dyn Diagnostic) -> (usize, usize) {
    SourceOrder::new(modules).of(&mut Positions::default(), d)
}

/// [`source_order`] for many diagnostics: the files by name, looked up
/// once.
pub struct SourceOrder<'m> {
    files: HashMap<&'m str, usize>,
}

impl<'m> SourceOrder<'m> {
    /// Indexes the modules' file names (the first of a name wins).
    pub fn new(modules: &'m [Module]) -> Self {
        let mut files = HashMap::new();
        for (i, m) in modules.iter().enumerate() {
            files.entry(&*m.source.name).or_insert(i);
        }
        SourceOrder { files }
    }

    /// The file's load index and the byte offset of the first label.
    pub fn of<'a>(&self, positions: &mut Positions<'a>, d: &'a dyn Diagnostic) -> (usize, usize) {
        let pos = positions.of(d);
        let file = pos
            .as_ref()
            .and_then(|p| p.file.as_deref())
            .and_then(|name| self.files.get(name).copied())
            .unwrap_or(usize::MAX);
        (file, pos.map_or(0, |p| p.offset))
    }
}

/// Sorts into source order (stable) and drops diagnostics that say the same
/// thing at the same place (a definition used by several clauses reports
/// once). Each diagnostic's place and identity are worked out once, as
/// data, not by rendering it.
pub fn in_order<T: Diagnostic>(items: Vec<T>, modules: &[Module]) -> Vec<T> {
    let keys: Vec<((usize, usize), Identity)> = {
        let order = SourceOrder::new(modules);
        let mut positions = Positions::default();
        items
            .iter()
            .map(|d| {
                let d: &dyn Diagnostic = d;
                (order.of(&mut positions, d), positions.identity(d))
            })
            .collect()
    };
    let mut tagged: Vec<_> = keys.into_iter().zip(items).collect();
    tagged.sort_by_key(|(k, _)| k.0);
    let mut seen = HashSet::new();
    tagged
        .into_iter()
        .filter(|((_, id), _)| seen.insert(id.clone()))
        .map(|(_, d)| d)
        .collect()
}

/// A date as drafters write it: `2024年6月1日`.
pub(crate) fn chinese_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}
