//! `zhengce diff`: what a revision of the policies changes. The clauses of
//! the old and the new set are paired, by policy title and clause label
//! first, then by a shared 事项 (a renumbered or retitled clause that pays
//! for the same thing); what stays unpaired was added or removed.
//!
//! Without a register the comparison is static: per pair, whether the
//! amount, the condition, the window or the matter changed, as the
//! formatter prints them (so a change of layout is no change). With a
//! register ([`register`]), every entity is evaluated against both sets
//! and the differences are counted: per entity, per clause and in total.

pub(crate) mod register;
pub(crate) mod text;

use std::collections::HashMap;

use serde::Serialize;

use crate::program::{ClauseDef, PolicyDef, Program, WindowDef};

pub(crate) use register::DiffConfig;

/// How a clause of one set corresponds to the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Pairing {
    /// Same policy title and clause label.
    Label,
    /// Same 事项, after the labels were paired.
    Matter,
    /// Only in the new set.
    Added,
    /// Only in the old set.
    Removed,
}

/// One pair (or an added or removed clause), by flat clause index
/// (the order of [`crate::eval::Outcome::clauses`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pair {
    /// The old clause.
    pub old: Option<usize>,
    /// The new clause.
    pub new: Option<usize>,
    /// How they were paired.
    pub by: Pairing,
}

/// A clause by flat index, with its policy.
pub(crate) fn clause_at(program: &Program, at: usize) -> Option<(&PolicyDef, &ClauseDef)> {
    program.clauses().nth(at)
}

/// The name of a clause for people: `《标题》label`, or the label of a
/// clause outside any policy.
pub(crate) fn clause_name(policy: &PolicyDef, clause: &ClauseDef) -> String {
    match &policy.title {
        Some(t) => format!("《{t}》{}", clause.label),
        None => clause.label.clone(),
    }
}

/// Pairs the clauses of two programs: by (title, label), then by explicit
/// 事项 in the order the clauses are written; the rest are removed (old)
/// or added (new). Old clauses come in old order, then the added ones in
/// new order, so the list does not depend on anything but the two texts
/// and the order of their files.
pub(crate) fn pair(old: &Program, new: &Program) -> Vec<Pair> {
    let key = |p: &PolicyDef, c: &ClauseDef| (p.title.clone(), c.label.clone());
    let mut by_label: HashMap<(Option<String>, String), Vec<usize>> = HashMap::new();
    for (j, (p, c)) in new.clauses().enumerate() {
        by_label.entry(key(p, c)).or_default().push(j);
    }
    let mut taken = vec![false; new.clauses().count()];
    let mut out: Vec<Pair> = Vec::new();
    for (i, (p, c)) in old.clauses().enumerate() {
        let found = by_label.get(&key(p, c)).and_then(|js| {
            js.iter()
                .copied()
                .find(|j| !taken.get(*j).copied().unwrap_or(true))
        });
        if let Some(j) = found {
            if let Some(t) = taken.get_mut(j) {
                *t = true;
            }
            out.push(Pair {
                old: Some(i),
                new: Some(j),
                by: Pairing::Label,
            });
        } else {
            out.push(Pair {
                old: Some(i),
                new: None,
                by: Pairing::Removed,
            });
        }
    }
    let new_clauses: Vec<&ClauseDef> = new.clauses().map(|(_, c)| c).collect();
    let old_clauses: Vec<&ClauseDef> = old.clauses().map(|(_, c)| c).collect();
    for pair in &mut out {
        let Some(i) = pair.old.filter(|_| pair.by == Pairing::Removed) else {
            continue;
        };
        let Some(oc) = old_clauses.get(i).filter(|c| c.explicit_matter) else {
            continue;
        };
        let found = new_clauses.iter().enumerate().find(|(j, nc)| {
            nc.explicit_matter && nc.matter == oc.matter && !taken.get(*j).copied().unwrap_or(true)
        });
        if let Some((j, _)) = found {
            if let Some(t) = taken.get_mut(j) {
                *t = true;
            }
            pair.new = Some(j);
            pair.by = Pairing::Matter;
        }
    }
    for (j, t) in taken.iter().enumerate() {
        if !t {
            out.push(Pair {
                old: None,
                new: Some(j),
                by: Pairing::Added,
            });
        }
    }
    out
}

/// A window in words: `2025-01-01 至 2027-12-31`, `自 2025-01-01 起`,
/// `发布日期未定`, or `（无）` when none applies.
pub(crate) fn window_words(policy: &PolicyDef, clause: &ClauseDef) -> String {
    match clause.window.or(policy.window) {
        Some(WindowDef::Dates(s, Some(e))) => format!("{s} 至 {e}"),
        Some(WindowDef::Dates(s, None)) => format!("自 {s} 起"),
        Some(WindowDef::Unpublished { .. }) => "发布日期未定".into(),
        None => "（无）".into(),
    }
}
