//! Finding items in the syntax trees: clauses with their policy, cases,
//! definitions.

use crate::ast::{Case, Clause, Define, Item, Module, Policy, PolicyItem};

/// Every clause of a module with the policy it sits in.
pub(super) fn clauses(m: &Module) -> Vec<(Option<&Policy>, &Clause)> {
    let mut out = Vec::new();
    for item in &m.items {
        match item {
            Item::Clause(c) => out.push((None, c)),
            Item::Policy(p) => out.extend(p.items.iter().filter_map(|pi| match pi {
                PolicyItem::Clause(c) => Some((Some(p), c)),
                _ => None,
            })),
            _ => {}
        }
    }
    out
}

/// Every case of a module with the policy it sits in.
pub(super) fn cases(m: &Module) -> Vec<(Option<&Policy>, &Case)> {
    let mut out = Vec::new();
    for item in &m.items {
        match item {
            Item::Case(c) => out.push((None, c)),
            Item::Policy(p) => out.extend(p.items.iter().filter_map(|pi| match pi {
                PolicyItem::Case(c) => Some((Some(p), c)),
                _ => None,
            })),
            _ => {}
        }
    }
    out
}

/// Every definition of a module.
pub(super) fn defines(m: &Module) -> Vec<&Define> {
    let mut out = Vec::new();
    for item in &m.items {
        match item {
            Item::Define(d) => out.push(d),
            Item::Policy(p) => out.extend(p.items.iter().filter_map(|pi| match pi {
                PolicyItem::Define(d) => Some(d),
                _ => None,
            })),
            _ => {}
        }
    }
    out
}
