//! Quick fixes: each candidate of a did-you-mean help replaces the words
//! the diagnostic points at.

// `WorkspaceEdit` keys its edits by `Uri`, which caches its parse in a
// cell; the cache never changes what the key hashes or compares.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, Diagnostic, TextEdit, Uri, WorkspaceEdit};

use crate::check::suggest::offered;

/// The quick fixes for the diagnostics the editor sends back.
pub(super) fn quick_fixes(uri: &Uri, diagnostics: &[Diagnostic]) -> Vec<CodeAction> {
    let mut out = Vec::new();
    for d in diagnostics {
        let Some(help) = d
            .data
            .as_ref()
            .and_then(|v| v.get("help"))
            .and_then(|h| h.as_str())
        else {
            continue;
        };
        let Some(candidates) = offered(help) else {
            continue;
        };
        for (i, c) in candidates.iter().enumerate() {
            // Clause labels (`第三条`, `（一）`) and lint names
            // (`cap-never-binds`) are written bare like words.
            let bare = crate::fmt::plain(c)
                || c.starts_with('第')
                || c.starts_with('（')
                || c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-');
            let written = if bare {
                c.clone()
            } else {
                format!("“{c}”")
            };
            let edit = WorkspaceEdit::new(HashMap::from([(
                uri.clone(),
                vec![TextEdit::new(d.range, written.clone())],
            )]));
            out.push(CodeAction {
                title: format!("改为 {written}"),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: Some(edit),
                is_preferred: Some(i == 0),
                ..CodeAction::default()
            });
        }
    }
    out
}
