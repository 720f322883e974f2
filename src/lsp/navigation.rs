//! Go to definition, find references and rename, for words, 定义, 参数
//! and clause labels, over the files loaded together.

// `WorkspaceEdit` keys its edits by `Uri`, which caches its parse in a
// cell; the cache never changes what the key hashes or compares.
#![expect(
    clippy::mutable_key_type,
    reason = "lsp_types::Uri caches its parse in a cell but hashes and compares by its text"
)]

use std::collections::HashMap;

use lsp_types::{Location, TextEdit, Uri, WorkspaceEdit};

use crate::program::FileId;

use super::documents::uri_of;
use super::index::{Occurrence, Symbol};
use super::position::LineMap;
use super::project::Project;

fn location(project: &Project, o: &Occurrence) -> Option<Location> {
    let path = project.paths.get(o.file)?;
    let m = project.modules.get(o.file)?;
    Some(Location::new(
        uri_of(path)?,
        LineMap::new(&m.source.text).range(o.span),
    ))
}

/// Where the symbol at an offset is declared.
pub(super) fn definition(project: &Project, file: FileId, offset: usize) -> Option<Location> {
    let o = project.index.at(file, offset)?;
    let d = project.index.declaration(&o.symbol)?;
    location(project, d)
}

/// Every place the symbol at an offset is written.
pub(super) fn references(
    project: &Project,
    file: FileId,
    offset: usize,
    with_declaration: bool,
) -> Vec<Location> {
    let Some(o) = project.index.at(file, offset) else {
        return Vec::new();
    };
    project
        .index
        .of(&o.symbol)
        .filter(|r| with_declaration || !r.declaration)
        .filter_map(|r| location(project, r))
        .collect()
}

/// The range of the name a rename at `offset` would change.
pub(super) fn prepare(project: &Project, file: FileId, offset: usize) -> Option<lsp_types::Range> {
    let o = project.index.at(file, offset)?;
    let m = project.modules.get(o.file)?;
    Some(LineMap::new(&m.source.text).range(o.span))
}

/// The edits that rename the symbol at an offset, or why it cannot be
/// renamed to `new`.
pub(super) fn rename(
    project: &Project,
    file: FileId,
    offset: usize,
    new: &str,
) -> Result<WorkspaceEdit, String> {
    let o = project
        .index
        .at(file, offset)
        .ok_or_else(|| "光标处不是可重命名的词、定义、参数或条款标签".to_string())?;
    let new = new.trim();
    let written = match &o.symbol {
        Symbol::Label { .. } => label_text(new)?,
        _ => word_text(project, new)?,
    };
    if let Symbol::Label { .. } = &o.symbol {
        let renamed = relabelled(&o.symbol, new);
        if project.index.declaration(&renamed).is_some() {
            return Err(format!("同一政策中已有条款 {new}"));
        }
    }
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for r in project.index.of(&o.symbol) {
        let (Some(path), Some(m)) = (project.paths.get(r.file), project.modules.get(r.file)) else {
            continue;
        };
        let Some(uri) = uri_of(path) else { continue };
        let range = LineMap::new(&m.source.text).range(r.span);
        changes
            .entry(uri)
            .or_default()
            .push(TextEdit::new(range, written.clone()));
    }
    Ok(WorkspaceEdit::new(changes))
}

fn relabelled(s: &Symbol, new: &str) -> Symbol {
    match s {
        Symbol::Label { policy, file, .. } => Symbol::Label {
            policy: policy.clone(),
            file: *file,
            text: new
                .trim_matches(|c| c == '“' || c == '”')
                .replace('(', "（")
                .replace(')', "）"),
        },
        other => other.clone(),
    }
}

/// A new word as it must be written: bare when it reads back as the same
/// word, otherwise in “…”.
fn word_text(project: &Project, new: &str) -> Result<String, String> {
    let bare = new.trim_matches(|c| c == '“' || c == '”');
    if bare.is_empty() || bare.contains(['“', '”', '\n']) {
        return Err(format!("“{new}”不能作为名称"));
    }
    let taken = project.index.occurrences.iter().any(|o| {
        o.declaration && !matches!(o.symbol, Symbol::Label { .. }) && o.symbol.text() == bare
    });
    if taken {
        return Err(format!("“{bare}”已被声明，不能重名"));
    }
    Ok(if crate::fmt::plain(bare) {
        bare.to_string()
    } else {
        format!("“{bare}”")
    })
}

/// A new clause label: bare when the parser reads it back as that label
/// (`第三条`, `（一）`, `3.`, `三-1`), otherwise in “…”.
fn label_text(new: &str) -> Result<String, String> {
    let bare = new.trim_matches(|c| c == '“' || c == '”');
    if bare.is_empty() || bare.contains(['“', '”', '\n']) {
        return Err(format!("“{new}”不能作为条款标签"));
    }
    let probe = crate::source::SourceFile::new("<标签>", format!("{bare} 对 甲 给予 1元\n"));
    let reads_back = crate::syntax::parse(&probe).is_ok_and(|m| {
        matches!(m.items.first(), Some(crate::ast::Item::Clause(c))
            if c.label.as_ref().is_some_and(|l| probe.slice(l.span) == bare))
    });
    Ok(if reads_back {
        bare.to_string()
    } else {
        format!("“{bare}”")
    })
}
