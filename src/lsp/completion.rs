//! Completion in context: units after a number, an enumeration's values
//! after `为`/`属于` or a case's `事实:`, otherwise the words loaded and
//! the keywords.

use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, TextEdit};

use crate::program::Ty;
use crate::source::Span;

use super::position::LineMap;
use super::project::Project;
use super::tree;

use crate::lexicon::{CURRENCIES, MONEY_UNITS, PERIOD_UNITS, RATIO_UNITS, UNITS, ends_word};

/// The completions at a byte offset of `text` (the module of `file`).
pub(super) fn complete(project: &Project, text: &str, offset: usize) -> Vec<CompletionItem> {
    let before = text.get(..offset).unwrap_or("");
    let line = before.rsplit('\n').next().unwrap_or("");
    if inside_text(line) {
        return Vec::new();
    }
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| !ends_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let prefix = before.get(start..).unwrap_or("");
    let lines = LineMap::new(text);
    let digits = prefix
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
        .last()
        .map(|(i, c)| i + c.len_utf8());
    if let Some(d) = digits {
        let unit_start = start + d;
        let typed = prefix.get(d..).unwrap_or("");
        let range = lines.range(Span::new(unit_start, offset));
        return units(project)
            .into_iter()
            .filter(|(u, _)| u.starts_with(typed))
            .map(|(u, detail)| item(u, detail, CompletionItemKind::UNIT, range, "0"))
            .collect();
    }
    let range = lines.range(Span::new(start, offset));
    let head = before.get(..start).unwrap_or("");
    let (mut items, keywords) = match values_wanted(project, head) {
        Some(values) => (values, false),
        None => (words(project), true),
    };
    if keywords {
        items.extend(crate::lexicon::words().map(|k| {
            (
                k.to_string(),
                "关键词".to_string(),
                CompletionItemKind::KEYWORD,
            )
        }));
    }
    items
        .into_iter()
        .filter(|(w, _, _)| w.starts_with(prefix))
        .map(|(w, detail, kind)| {
            let sort = if kind == CompletionItemKind::KEYWORD {
                "1"
            } else {
                "0"
            };
            // 是 and 否 (VALUE) are keywords too, written bare.
            let bare = kind == CompletionItemKind::KEYWORD || kind == CompletionItemKind::VALUE;
            let written = if bare || crate::fmt::plain(&w) {
                w
            } else {
                format!("“{w}”")
            };
            item(written, detail, kind, range, sort)
        })
        .collect()
}

/// Whether the line so far is inside 「…」, a quotation or a comment.
fn inside_text(line: &str) -> bool {
    crate::lexicon::trivia::ends_in_text(line)
}

fn item(
    label: String,
    detail: String,
    kind: CompletionItemKind,
    range: lsp_types::Range,
    sort: &str,
) -> CompletionItem {
    CompletionItem {
        sort_text: Some(format!("{sort}{label}")),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
            range,
            label.clone(),
        ))),
        label,
        detail: Some(detail),
        kind: Some(kind),
        ..CompletionItem::default()
    }
}

/// Money units, ratio signs and the units of quantities (those the
/// vocabulary uses first, then the rest the grammar accepts) and of
/// periods (`5个工作日`), then the foreign currencies and their rates.
fn units(project: &Project) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = MONEY_UNITS
        .iter()
        .map(|u| (u.to_string(), "金额单位".to_string()))
        .collect();
    for f in &project.program.vocab.facts {
        if let Ty::Quantity(u) = &f.ty
            && !out.iter().any(|(x, _)| x == u)
        {
            out.push((u.clone(), format!("数量单位（{}）", f.name)));
        }
    }
    for u in &project.program.vocab.units {
        if !out.iter().any(|(x, _)| x == u) {
            out.push((u.clone(), "声明的单位".into()));
        }
    }
    for u in RATIO_UNITS.iter().chain(UNITS).chain(PERIOD_UNITS) {
        if !out.iter().any(|(x, _)| x == u) {
            out.push((u.to_string(), "单位".into()));
        }
    }
    // A foreign currency, the facts that use it first: `300万美元`, and the
    // rate `7.1元/美元`.
    let mut currencies: Vec<&str> = Vec::new();
    for f in &project.program.vocab.facts {
        if let Ty::Foreign(c) = &f.ty
            && !currencies.contains(&c.word())
        {
            currencies.push(c.word());
        }
    }
    for c in CURRENCIES {
        if !currencies.contains(c) {
            currencies.push(c);
        }
    }
    for c in currencies {
        for scale in ["", "万", "亿"] {
            out.push((format!("{scale}{c}"), "外币金额单位".to_string()));
        }
        out.push((format!("元/{c}"), "汇率单位（元/外币）".to_string()));
    }
    out
}

type Entry = (String, String, CompletionItemKind);

/// Every word loaded: facts, definitions, parameters, values.
fn words(project: &Project) -> Vec<Entry> {
    let vocab = &project.program.vocab;
    let mut out: Vec<Entry> = vocab
        .facts
        .iter()
        .map(|f| (f.name.clone(), f.ty.describe(), CompletionItemKind::FIELD))
        .collect();
    for m in &project.modules {
        for d in tree::defines(m) {
            out.push((
                d.name.text.clone(),
                "定义".into(),
                CompletionItemKind::FUNCTION,
            ));
        }
    }
    for p in &project.program.params {
        out.push((
            p.name.clone(),
            format!("参数（{}）", p.kind.describe(vocab)),
            CompletionItemKind::CONSTANT,
        ));
    }
    for f in &vocab.facts {
        out.extend(enum_values(&f.ty, &f.name));
    }
    out
}

fn enum_values(ty: &Ty, fact: &str) -> Vec<Entry> {
    match ty {
        Ty::Enum { values, .. } => values
            .iter()
            .map(|v| {
                (
                    v.clone(),
                    format!("{fact} 的取值"),
                    CompletionItemKind::ENUM_MEMBER,
                )
            })
            .collect(),
        Ty::Bool => ["是", "否"]
            .iter()
            .map(|v| {
                (
                    (*v).to_string(),
                    format!("{fact}：是否"),
                    CompletionItemKind::VALUE,
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The values of the fact the text before the cursor compares or sets:
/// `认定类型 为 ▮`, `认定类型 属于 首次认定、▮`, `  认定类型: ▮` in 事实.
fn values_wanted(project: &Project, head: &str) -> Option<Vec<Entry>> {
    let line = head.rsplit('\n').next().unwrap_or("");
    let vocab = &project.program.vocab;
    let fact_named = |w: &str| {
        let w = w.trim_matches(|c| c == '“' || c == '”');
        vocab.by_name.get(w).and_then(|&id| vocab.get(id))
    };
    // `名称: ` / `名称：` alone on the line: a fact in a case's 事实.
    let trimmed = line.trim_end();
    if let Some(name) = trimmed
        .strip_suffix(':')
        .or_else(|| trimmed.strip_suffix('：'))
    {
        let f = fact_named(name.trim())?;
        return Some(enum_values(&f.ty, &f.name));
    }
    let tokens: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == '、' || c == '，')
        .filter(|t| !t.is_empty())
        .collect();
    let at = tokens
        .iter()
        .rposition(|t| ["为", "属于", "是", "不是", "非"].contains(t))?;
    // Only values may stand between the operator and the cursor.
    let after = tokens.get(at + 1..).unwrap_or(&[]);
    let before = tokens.get(at.checked_sub(1)?)?;
    let f = fact_named(before)?;
    let values = enum_values(&f.ty, &f.name);
    let all_values = after.iter().all(|t| values.iter().any(|(v, _, _)| v == t));
    (all_values && matches!(f.ty, Ty::Enum { .. })).then_some(values)
}

#[cfg(test)]
mod tests {
    use super::inside_text;

    #[test]
    fn no_completion_inside_text() {
        assert!(inside_text("对 甲 原文 「研发"));
        assert!(inside_text("对 “研发"));
        assert!(inside_text("对 甲 # 研发"));
        // A # inside a closed quotation starts no comment.
        assert!(!inside_text("对 “甲#乙” 研"));
        assert!(!inside_text("对 「甲」 研"));
    }
}
