//! Document symbols: 词汇, 定义, 参数, 政策 → 条款 and 案例, as an outline.

use lsp_types::{DocumentSymbol, SymbolKind};

use crate::ast::{
    Case, Clause, Define, DefineBody, Item, Module, Param, Policy, PolicyItem, VocabEntry,
};
use crate::source::Span;

use super::position::LineMap;

/// The outline of one module.
pub(super) fn symbols(m: &Module) -> Vec<DocumentSymbol> {
    let o = Outline {
        m,
        lines: LineMap::new(&m.source.text),
    };
    m.items.iter().filter_map(|item| o.item(item)).collect()
}

/// A module and its line map, which every symbol's range is read from.
struct Outline<'a> {
    m: &'a Module,
    lines: LineMap<'a>,
}

impl Outline<'_> {
    fn sym(
        &self,
        name: String,
        detail: Option<String>,
        kind: SymbolKind,
        span: Span,
        sel: Span,
        children: Option<Vec<DocumentSymbol>>,
    ) -> DocumentSymbol {
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
            range: self.lines.range(span),
            selection_range: self.lines.range(sel),
            children,
        }
    }

    fn item(&self, item: &Item) -> Option<DocumentSymbol> {
        match item {
            Item::Vocab(v) => self.vocab(&v.entries),
            Item::Define(d) => Some(self.define(d)),
            Item::Param(p) => Some(self.param(p)),
            Item::Policy(p) => Some(self.policy(p)),
            Item::Case(c) => Some(self.case(c)),
            Item::Clause(c) => Some(self.clause(c)),
            Item::Include(_) | Item::Allow(_) => None,
        }
    }

    /// 词汇 with its entries; nothing for an empty block.
    fn vocab(&self, entries: &[VocabEntry]) -> Option<DocumentSymbol> {
        let children: Vec<DocumentSymbol> = entries
            .iter()
            .map(|e| {
                self.sym(
                    e.name.text.clone(),
                    Some(self.m.source.slice(e.ty.span).to_string()),
                    SymbolKind::FIELD,
                    e.name.span.to(e.ty.span),
                    e.name.span,
                    None,
                )
            })
            .collect();
        let (first, last) = (entries.first()?, entries.last()?);
        Some(self.sym(
            "词汇".into(),
            None,
            SymbolKind::NAMESPACE,
            first.name.span.to(last.ty.span),
            first.name.span,
            Some(children),
        ))
    }

    fn param(&self, p: &Param) -> DocumentSymbol {
        let span = p
            .entries
            .last()
            .map_or(p.name.span, |(_, v)| p.name.span.to(v.span));
        self.sym(
            p.name.text.clone(),
            Some("参数".into()),
            SymbolKind::CONSTANT,
            span,
            p.name.span,
            None,
        )
    }

    /// 《…》 with its clauses, definitions and cases.
    fn policy(&self, p: &Policy) -> DocumentSymbol {
        let children = p
            .items
            .iter()
            .filter_map(|pi| match pi {
                PolicyItem::Clause(c) => Some(self.clause(c)),
                PolicyItem::Define(d) => Some(self.define(d)),
                PolicyItem::Case(c) => Some(self.case(c)),
                _ => None,
            })
            .collect();
        self.sym(
            format!("《{}》", p.title.node),
            Some("政策".into()),
            SymbolKind::MODULE,
            p.span,
            p.title.span,
            Some(children),
        )
    }

    fn clause(&self, c: &Clause) -> DocumentSymbol {
        let source = &self.m.source;
        let name = match &c.label {
            Some(l) => source.slice(l.span).to_string(),
            None => format!("第 {} 行的条款", source.line_col(c.span.start).0),
        };
        let sel = c.label.as_ref().map_or(c.action.span, |l| l.span);
        let detail: String = source.slice(c.action.span).chars().take(30).collect();
        self.sym(name, Some(detail), SymbolKind::METHOD, c.span, sel, None)
    }

    fn define(&self, d: &Define) -> DocumentSymbol {
        let end = match &d.body {
            DefineBody::Cond(c) => c.span(),
            DefineBody::Expr(e) => e.span(),
        };
        self.sym(
            d.name.text.clone(),
            Some("定义".into()),
            SymbolKind::FUNCTION,
            d.name.span.to(end),
            d.name.span,
            None,
        )
    }

    fn case(&self, c: &Case) -> DocumentSymbol {
        self.sym(
            c.name.node.clone(),
            Some("案例".into()),
            SymbolKind::EVENT,
            c.span,
            c.name.span,
            None,
        )
    }
}
