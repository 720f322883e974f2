//! The static comparison: per pair, which of amount, condition, window and
//! matter changed. Conditions and amounts are compared as the formatter
//! prints them, so layout and synonyms the formatter folds do not count.

use std::collections::HashMap;

use serde::Serialize;

use super::{Pair, Pairing, pair, window_words};
use crate::program::{ClauseDef, PolicyDef, Program};

/// What a clause says, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ClauseText {
    /// The policy's title.
    pub policy: Option<String>,
    /// The clause label.
    pub clause: String,
    /// 事项 (the label when none is written).
    pub matter: String,
    /// The condition after 对.
    pub condition: String,
    /// The action: `给予 最高 20万元 奖励`, `不得 …`.
    pub action: String,
    /// The window in force.
    pub window: String,
    /// The unit of a `给予 额度` quota (元 for one counted in money):
    /// what the action grants is not money; `null` for any other clause.
    pub quota: Option<String>,
}

/// One entry of the static comparison.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ClauseChange {
    /// `added`, `removed`, `changed` or `unchanged`.
    pub change: &'static str,
    /// How the clauses were paired (`label`, `matter`, `added`, `removed`).
    pub paired_by: Pairing,
    /// What changed: `amount`, `condition`, `window`, `matter` (and
    /// `label` when paired by matter).
    pub fields: Vec<&'static str>,
    /// The old clause.
    pub old: Option<ClauseText>,
    /// The new clause.
    pub new: Option<ClauseText>,
}

/// Counts of the static comparison.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub(crate) struct ChangeCounts {
    /// Clauses only in the new set.
    pub added: usize,
    /// Clauses only in the old set.
    pub removed: usize,
    /// Pairs that differ.
    pub changed: usize,
    /// Pairs that do not.
    pub unchanged: usize,
}

/// What a policy says as a whole, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct PolicyText {
    /// The title.
    pub policy: Option<String>,
    /// 适用, as printed (empty when none).
    pub scope: String,
    /// The policy's 施行 window.
    pub window: String,
    /// 重叠.
    pub overlap: String,
    /// 合计 最高.
    pub total_cap: String,
    /// 预算.
    pub budget: String,
}

/// A policy added, removed or changed as a whole (its clauses are listed
/// apart).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PolicyChange {
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    /// What changed: `scope`, `window`, `overlap`, `total_cap`, `budget`.
    pub fields: Vec<&'static str>,
    /// The old policy.
    pub old: Option<PolicyText>,
    /// The new policy.
    pub new: Option<PolicyText>,
}

/// The static comparison (`zhengce diff` without `--facts`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StaticDiff {
    /// Schema version of this JSON.
    pub schema: u32,
    /// The counts.
    pub counts: ChangeCounts,
    /// Policies added, removed, or changed as a whole, by title.
    pub policies: Vec<PolicyChange>,
    /// Every clause, old order first, then the added ones.
    pub clauses: Vec<ClauseChange>,
}

/// The policies of a program in words.
pub(crate) fn policy_texts(program: &Program) -> Vec<PolicyText> {
    let mut scopes: HashMap<String, String> = HashMap::new();
    for source in &program.files {
        if let Ok(module) = crate::syntax::parse(source) {
            scopes.extend(crate::fmt::policy_scopes(&module));
        }
    }
    program
        .policies
        .iter()
        .map(|p| PolicyText {
            policy: p.title.clone(),
            scope: p
                .title
                .as_ref()
                .and_then(|t| scopes.get(t))
                .cloned()
                .unwrap_or_default(),
            window: match p.window {
                Some(crate::program::WindowDef::Dates(s, Some(e))) => format!("{s} 至 {e}"),
                Some(crate::program::WindowDef::Dates(s, None)) => format!("自 {s} 起"),
                Some(crate::program::WindowDef::Unpublished { .. }) => "发布日期未定".into(),
                None => String::new(),
            },
            overlap: match p.overlap {
                Some(crate::ast::OverlapRule::Best) => "从优从高不重复".into(),
                Some(crate::ast::OverlapRule::ThisPolicy) => "以本政策为准".into(),
                Some(crate::ast::OverlapRule::Existing) => "按现行政策".into(),
                None => String::new(),
            },
            total_cap: p.total_cap.map_or(String::new(), |(m, _)| m.to_string()),
            budget: p.budget.map_or(String::new(), |m| m.to_string()),
        })
        .collect()
}

/// Policies paired by title.
fn compare_policies(old: &Program, new: &Program) -> Vec<PolicyChange> {
    let (ot, nt) = (policy_texts(old), policy_texts(new));
    let mut out = Vec::new();
    for o in &ot {
        match nt.iter().find(|n| n.policy == o.policy) {
            None => out.push(PolicyChange {
                change: "removed",
                fields: Vec::new(),
                old: Some(o.clone()),
                new: None,
            }),
            Some(n) => {
                let fields: Vec<&'static str> = [
                    ("scope", o.scope != n.scope),
                    ("window", o.window != n.window),
                    ("overlap", o.overlap != n.overlap),
                    ("total_cap", o.total_cap != n.total_cap),
                    ("budget", o.budget != n.budget),
                ]
                .into_iter()
                .filter_map(|(f, differs)| differs.then_some(f))
                .collect();
                if !fields.is_empty() {
                    out.push(PolicyChange {
                        change: "changed",
                        fields,
                        old: Some(o.clone()),
                        new: Some(n.clone()),
                    });
                }
            }
        }
    }
    for n in nt
        .iter()
        .filter(|n| !ot.iter().any(|o| o.policy == n.policy))
    {
        out.push(PolicyChange {
            change: "added",
            fields: Vec::new(),
            old: None,
            new: Some(n.clone()),
        });
    }
    out
}

/// The printed condition and action of every clause of a program, by flat
/// index.
pub(crate) fn texts(program: &Program) -> Vec<ClauseText> {
    let mut printed: HashMap<(usize, usize), (String, String)> = HashMap::new();
    for (file, source) in program.files.iter().enumerate() {
        // The program was checked, so its files parse.
        let Ok(module) = crate::syntax::parse(source) else {
            continue;
        };
        for (span, cond, action) in crate::fmt::clause_texts(&module) {
            printed.insert((file, span.start), (cond, action));
        }
    }
    program
        .clauses()
        .map(|(p, c)| {
            let (condition, action) = printed
                .get(&(c.loc.file, c.loc.span.start))
                .cloned()
                .unwrap_or_default();
            text(p, c, condition, action)
        })
        .collect()
}

fn text(p: &PolicyDef, c: &ClauseDef, condition: String, action: String) -> ClauseText {
    ClauseText {
        policy: p.title.clone(),
        clause: c.label.clone(),
        matter: c.matter.clone(),
        condition,
        action,
        window: window_words(p, c),
        quota: c.quota().map(str::to_string),
    }
}

/// Which parts of a pair differ.
pub(crate) fn changed_fields(old: &ClauseText, new: &ClauseText, by: Pairing) -> Vec<&'static str> {
    let mut f = Vec::new();
    if by == Pairing::Matter {
        f.push("label");
    }
    if old.action != new.action {
        f.push("amount");
    }
    if old.condition != new.condition {
        f.push("condition");
    }
    if old.window != new.window {
        f.push("window");
    }
    if old.matter != new.matter {
        f.push("matter");
    }
    f
}

/// Compares two programs clause by clause.
pub(crate) fn compare(old: &Program, new: &Program) -> StaticDiff {
    let (ot, nt) = (texts(old), texts(new));
    let mut counts = ChangeCounts::default();
    let clauses = pair(old, new)
        .into_iter()
        .map(|Pair { old, new, by }| {
            let o = old.and_then(|i| ot.get(i)).cloned();
            let n = new.and_then(|j| nt.get(j)).cloned();
            let fields = match (&o, &n) {
                (Some(a), Some(b)) => changed_fields(a, b, by),
                _ => Vec::new(),
            };
            let change = match (&o, &n) {
                (None, _) => {
                    counts.added += 1;
                    "added"
                }
                (_, None) => {
                    counts.removed += 1;
                    "removed"
                }
                _ if fields.is_empty() => {
                    counts.unchanged += 1;
                    "unchanged"
                }
                _ => {
                    counts.changed += 1;
                    "changed"
                }
            };
            ClauseChange {
                change,
                paired_by: by,
                fields,
                old: o,
                new: n,
            }
        })
        .collect();
    StaticDiff {
        schema: 1,
        counts,
        policies: compare_policies(old, new),
        clauses,
    }
}

impl StaticDiff {
    /// The comparison for people: one line per clause added, removed or
    /// changed (with before → after of what changed), then the counts.
    pub(crate) fn human(&self) -> String {
        let mut out = String::new();
        for p in &self.policies {
            p.human(&mut out);
        }
        for c in &self.clauses {
            c.human(&mut out);
        }
        let n = &self.counts;
        out.push_str(&format!(
            "新增 {} 条，删除 {} 条，修改 {} 条，未变 {} 条\n",
            n.added, n.removed, n.changed, n.unchanged
        ));
        out
    }
}

impl PolicyChange {
    fn human(&self, out: &mut String) {
        let title = |t: &PolicyText| {
            t.policy
                .as_deref()
                .map_or("（顶层条款）".to_string(), |p| format!("《{p}》"))
        };
        let or_none = |s: &str| {
            if s.is_empty() {
                "（无）".to_string()
            } else {
                s.to_string()
            }
        };
        match (self.change, &self.old, &self.new) {
            ("added", _, Some(n)) => out.push_str(&format!("新增政策 {}\n", title(n))),
            ("removed", Some(o), _) => out.push_str(&format!("删除政策 {}\n", title(o))),
            (_, Some(o), Some(n)) => {
                out.push_str(&format!("修改政策 {}\n", title(n)));
                for f in &self.fields {
                    let (what, a, b) = match *f {
                        "scope" => ("适用", &o.scope, &n.scope),
                        "window" => ("施行", &o.window, &n.window),
                        "overlap" => ("重叠", &o.overlap, &n.overlap),
                        "total_cap" => ("合计最高", &o.total_cap, &n.total_cap),
                        _ => ("预算", &o.budget, &n.budget),
                    };
                    out.push_str(&format!("  {what}：{} → {}\n", or_none(a), or_none(b)));
                }
            }
            _ => {}
        }
    }
}

impl ClauseChange {
    fn human(&self, out: &mut String) {
        let name = |t: &ClauseText| match &t.policy {
            Some(p) => format!("《{p}》{}", t.clause),
            None => t.clause.clone(),
        };
        match (self.change, &self.old, &self.new) {
            ("added", _, Some(n)) => out.push_str(&format!(
                "新增 {}（事项 {}）：对 {} {}；施行 {}\n",
                name(n),
                n.matter,
                n.condition,
                n.action,
                n.window
            )),
            ("removed", Some(o), _) => out.push_str(&format!(
                "删除 {}（事项 {}）：对 {} {}\n",
                name(o),
                o.matter,
                o.condition,
                o.action
            )),
            ("changed", Some(o), Some(n)) => {
                let head = if o.policy == n.policy && o.clause == n.clause {
                    name(n)
                } else {
                    format!("{} → {}", name(o), name(n))
                };
                out.push_str(&format!("修改 {head}\n"));
                for f in &self.fields {
                    let (what, a, b) = match *f {
                        "amount" => ("动作", &o.action, &n.action),
                        "condition" => ("条件", &o.condition, &n.condition),
                        "window" => ("施行", &o.window, &n.window),
                        "matter" => ("事项", &o.matter, &n.matter),
                        _ => ("条款", &o.clause, &n.clause),
                    };
                    out.push_str(&format!("  {what}：{a} → {b}\n"));
                }
            }
            _ => {}
        }
    }
}
