//! Document symbols: 词汇, 定义, 参数, 政策 → 条款 and 案例, as an outline.

use lsp_types::{DocumentSymbol, SymbolKind};

use crate::ast::{Clause, Item, Module, PolicyItem};
use crate::source::Span;

use super::position::LineMap;

/// The outline of one module.
pub fn symbols(m: &Module) -> Vec<DocumentSymbol> {
    let lines = LineMap::new(&m.source.text);
    let sym = |name: String, detail: Option<String>, kind, span: Span, sel: Span, children| {
        #[expect(
            deprecated,
            reason = "DocumentSymbol's deprecated field must still be written"
        )]
        DocumentSymbol {
            name,
            detail,
            kind,
            tags: None,
            deprecated: None,
            range: lines.range(span),
            selection_range: lines.range(sel),
            children,
        }
    };
    let clause = |c: &Clause| {
        let name = match &c.label {
            Some(l) => m.source.slice(l.span).to_string(),
            None => format!("第 {} 行的条款", m.source.line_col(c.span.start).0),
        };
        let sel = c.label.as_ref().map_or(c.action.span, |l| l.span);
        let detail = m.source.slice(c.action.span);
        let detail: String = detail.chars().take(30).collect();
        sym(name, Some(detail), SymbolKind::METHOD, c.span, sel, None)
    };
    let define = |d: &crate::ast::Define| {
        let end = match &d.body {
            crate::ast::DefineBody::Cond(c) => c.span(),
            crate::ast::DefineBody::Expr(e) => e.span(),
        };
        sym(
            d.name.text.clone(),
            Some("定义".into()),
            SymbolKind::FUNCTION,
            d.name.span.to(end),
            d.name.span,
            None,
        )
    };
    let case = |c: &crate::ast::Case| {
        sym(
            c.name.node.clone(),
            Some("案例".into()),
            SymbolKind::EVENT,
            c.span,
            c.name.span,
            None,
        )
    };
    let mut out = Vec::new();
    for item in &m.items {
        match item {
            Item::Vocab(entries) => {
                let children: Vec<DocumentSymbol> = entries
                    .iter()
                    .map(|e| {
                        sym(
                            e.name.text.clone(),
                            Some(m.source.slice(e.ty.span).to_string()),
                            SymbolKind::FIELD,
                            e.name.span.to(e.ty.span),
                            e.name.span,
                            None,
                        )
                    })
                    .collect();
                if let (Some(first), Some(last)) = (entries.first(), entries.last()) {
                    let span = first.name.span.to(last.ty.span);
                    out.push(sym(
                        "词汇".into(),
                        None,
                        SymbolKind::NAMESPACE,
                        span,
                        first.name.span,
                        Some(children),
                    ));
                }
            }
            Item::Define(d) => out.push(define(d)),
            Item::Param(p) => {
                let span = p
                    .entries
                    .last()
                    .map_or(p.name.span, |(_, v)| p.name.span.to(v.span));
                out.push(sym(
                    p.name.text.clone(),
                    Some("参数".into()),
                    SymbolKind::CONSTANT,
                    span,
                    p.name.span,
                    None,
                ));
            }
            Item::Policy(p) => {
                let children = p
                    .items
                    .iter()
                    .filter_map(|pi| match pi {
                        PolicyItem::Clause(c) => Some(clause(c)),
                        PolicyItem::Define(d) => Some(define(d)),
                        PolicyItem::Case(c) => Some(case(c)),
                        _ => None,
                    })
                    .collect();
                out.push(sym(
                    format!("《{}》", p.title.node),
                    Some("政策".into()),
                    SymbolKind::MODULE,
                    p.span,
                    p.title.span,
                    Some(children),
                ));
            }
            Item::Case(c) => out.push(case(c)),
            Item::Clause(c) => out.push(clause(c)),
            Item::Include(_) | Item::Allow(_) => {}
        }
    }
    out
}
