//! Units of quantities: the built-in ones, those a 词汇 declares with
//! `单位 艘、宗`, and the check that every unit written is one of them.
//!
//! The grammar reads any run of ideographs after a number (or in
//! `数量(…)`, after 每) as a unit, since a declared unit is known only once
//! every vocabulary is read; this is where a unit nobody declared is
//! refused.

use std::collections::HashSet;

use super::{Resolver, to_sspan};
use crate::ast;
use crate::check::error::CheckError;
use crate::check::suggest::distance;
use crate::lexicon::{CURRENCIES, KEYWORDS, MONEY_UNITS, UNITS};
use crate::program::FileId;
use crate::source::Span;

/// Whether `c` is an ideograph the grammar reads inside a unit (`han`).
fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}'
        | '〇')
}

/// Why `unit` cannot be declared, with a help; None when it can. A
/// declared unit must read back as the whole unit after a number: the
/// grammar ends a unit at a reserved word, takes 万 in front as ten
/// thousand, and reads `3元…` as money and `3工作日` as a period.
fn malformed(unit: &str) -> Option<(String, String)> {
    if unit.is_empty() || !unit.chars().all(is_han) {
        return Some((
            "单位只能由汉字组成".into(),
            "写成汉字，如 单位 艘、宗".into(),
        ));
    }
    if UNITS.contains(&unit) {
        return Some((
            "这是内置单位".into(),
            format!("{unit} 无需声明，直接写 数量（{unit}）"),
        ));
    }
    if let Some(m) = MONEY_UNITS
        .iter()
        .chain(CURRENCIES)
        .chain(&["亿"])
        .find(|m| unit.starts_with(**m))
    {
        return Some((
            format!("以金额单位“{m}”开头，写在数字后会读成金额"),
            "金额用 金额 类型，不是数量单位".into(),
        ));
    }
    if let Some(p) = ["个工作日", "工作日"]
        .iter()
        .find(|p| unit.starts_with(**p))
    {
        return Some((
            format!("以期间单位“{p}”开头"),
            "工作日按工作日历计算，是期间，不是数量单位".into(),
        ));
    }
    if unit.starts_with('万') {
        return Some((
            "以“万”开头：数字后的 万 表示一万".into(),
            format!(
                "声明 单位 {}，数量写成 3万{}",
                unit.trim_start_matches('万'),
                unit.trim_start_matches('万')
            ),
        ));
    }
    for (i, _) in unit.char_indices() {
        let rest = unit.get(i..).unwrap_or("");
        if let Some(k) = KEYWORDS.iter().find(|k| rest.starts_with(**k)) {
            return Some((
                format!("含保留字“{k}”，写在数字后会在那里断开"),
                "换一个不含保留字的单位".into(),
            ));
        }
    }
    None
}

impl Resolver {
    /// Every `单位 …` of every vocabulary, read before any fact, so that a
    /// fact, a quantity or a 每 anywhere may use a unit declared in any
    /// file. The same unit declared again in another file (a shared
    /// vocabulary and a policy's own) is the same unit; twice in one file
    /// is a slip.
    pub(super) fn collect_units(&mut self, modules: &[ast::Module]) {
        for (file, m) in modules.iter().enumerate() {
            let mut here: HashSet<&str> = HashSet::new();
            for item in &m.items {
                let ast::Item::Vocab(v) = item else { continue };
                for u in v.units.iter().flat_map(|d| &d.units) {
                    let problem = malformed(&u.node).or_else(|| {
                        (!here.insert(u.node.as_str())).then(|| {
                            (
                                "在这个文件中重复声明".into(),
                                format!("删去重复的 {}", u.node),
                            )
                        })
                    });
                    if let Some((reason, help)) = problem {
                        self.errors.push(CheckError::UnitForm {
                            src: self.src(file),
                            span: to_sspan(u.span),
                            unit: u.node.clone(),
                            reason,
                            help,
                        });
                    } else if !self.vocab.units.contains(&u.node) {
                        self.vocab.units.push(u.node.clone());
                    }
                }
            }
        }
    }

    /// Whether `unit` is built in or declared; if not, says so at `span`
    /// (the unit itself).
    pub(super) fn known_unit(&mut self, file: FileId, unit: &str, span: Span) -> bool {
        if UNITS.contains(&unit) || self.vocab.units.iter().any(|u| u == unit) {
            return true;
        }
        if !self.unknown_units.insert((file, unit.to_string())) {
            return false;
        }
        let help = unknown_help(unit, &self.vocab.units);
        self.errors.push(CheckError::UnknownUnit {
            src: self.src(file),
            span: to_sspan(span),
            unit: unit.to_string(),
            help,
        });
        false
    }

    /// [`Resolver::known_unit`] for a unit written at the end of `span`
    /// (`3宗`, `每宗`, `数量（宗）` less its parenthesis).
    pub(super) fn known_unit_at_end(&mut self, file: FileId, unit: &str, span: Span) -> bool {
        let start = span.end.saturating_sub(unit.len()).max(span.start);
        self.known_unit(file, unit, Span::new(start, span.end))
    }

    /// The span of `unit` inside `span` of this file (its first occurrence),
    /// or `span` itself.
    pub(super) fn unit_span_in(&self, file: FileId, unit: &str, span: Span) -> Span {
        self.files
            .get(file)
            .and_then(|f| f.text.get(span.start..span.end))
            .and_then(|t| t.find(unit))
            .map_or(span, |i| {
                Span::new(span.start + i, span.start + i + unit.len())
            })
    }
}

/// Declare it, or the closest known unit.
fn unknown_help(unit: &str, declared: &[String]) -> String {
    let declare = if malformed(unit).is_none() {
        format!("在词汇中声明：单位 {unit}")
    } else if let Some(rest) = unit.strip_prefix('万') {
        format!("万 写在数字后：3万{rest}；{rest} 须是内置单位或在词汇中声明")
    } else {
        "单位须是内置单位，或在词汇中用 单位 … 声明".to_string()
    };
    // One character is one edit from every other: only a longer unit has
    // a nearest one worth naming. Among those as near, the one sharing
    // the most characters (平米: 平方米 rather than 厘米).
    let near = if unit.chars().count() > 1 {
        let candidates: Vec<&str> = UNITS
            .iter()
            .copied()
            .chain(declared.iter().map(String::as_str))
            .collect();
        let limit = (unit.chars().count() / 3).max(1);
        let shared = |c: &str| c.chars().filter(|ch| unit.contains(*ch)).count();
        let mut found: Vec<&str> = candidates
            .into_iter()
            .filter(|c| distance(unit, c) <= limit)
            .collect();
        found.sort_by_key(|c| (distance(unit, c), std::cmp::Reverse(shared(c)), *c));
        found
    } else {
        Vec::new()
    };
    match near.first() {
        Some(n) => format!("{declare}；或改用已知单位 {n}"),
        None => declare,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarable_units_read_back_whole() {
        for ok in ["艘", "宗", "人次", "千瓦时", "标准箱"] {
            assert_eq!(malformed(ok), None, "{ok}");
        }
        for bad in [
            "人",
            "元件",
            "美元",
            "工作日",
            "万吨",
            "对",
            "宗以上",
            "ship",
            "3艘",
            "",
        ] {
            assert!(malformed(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn help_names_the_declaration_and_a_near_unit() {
        assert_eq!(unknown_help("宗", &[]), "在词汇中声明：单位 宗");
        assert_eq!(
            unknown_help("平米", &[]),
            "在词汇中声明：单位 平米；或改用已知单位 平方米"
        );
    }
}
