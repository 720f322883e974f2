//! The library's diagnostics as LSP diagnostics: the same code, message
//! and help (`zhengce check` prints), positions in UTF-16.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
};
use miette::Diagnostic as _;

use super::documents::{Documents, normal, uri_of};
use super::position::LineMap;
use super::project::Project;

/// Every diagnostic of a project, by the file it points into (files
/// without any are absent).
pub(super) fn by_file(project: &Project, docs: &Documents) -> BTreeMap<PathBuf, Vec<Diagnostic>> {
    // Each file's text is read and indexed once for all its diagnostics
    // (there may be thousands).
    let mut texts: HashMap<PathBuf, Option<Arc<str>>> = HashMap::new();
    let mut positions = crate::diagnostics::Positions::default();
    let mut placed: Vec<(&crate::error::Error, PathBuf)> = Vec::new();
    for d in &project.diagnostics {
        let Some(name) = d
            .source_code()
            .and_then(|_| positions.of(d).and_then(|p| p.file))
        else {
            continue;
        };
        let path = normal(Path::new(&name));
        texts
            .entry(path.clone())
            .or_insert_with(|| match project.module(&path) {
                Some((_, m)) => Some(Arc::clone(&m.source.text)),
                None => docs.read(&path).ok().map(|s| s.text),
            });
        placed.push((d, path));
    }
    let maps: HashMap<&PathBuf, LineMap<'_>> = texts
        .iter()
        .filter_map(|(p, t)| Some((p, LineMap::new(t.as_deref()?))))
        .collect();
    let mut out: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    for (d, path) in placed {
        let Some(lines) = maps.get(&path) else {
            continue;
        };
        let converted = convert(d, &path, lines);
        out.entry(path).or_default().push(converted);
    }
    out
}

/// One diagnostic: the first label gives the range, the others become
/// related information; the help follows the message on its own line and
/// is kept in `data.help` for quick fixes.
pub(super) fn convert(d: &dyn miette::Diagnostic, path: &Path, lines: &LineMap<'_>) -> Diagnostic {
    let mut labels = d.labels().into_iter().flatten();
    let first = labels.next();
    let range = first
        .as_ref()
        .map(|l| lines.range(crate::source::Span::new(l.offset(), l.offset() + l.len())))
        .unwrap_or_default();
    let related: Vec<DiagnosticRelatedInformation> = uri_of(path)
        .map(|uri| {
            labels
                .map(|l| DiagnosticRelatedInformation {
                    location: Location::new(
                        uri.clone(),
                        lines.range(crate::source::Span::new(l.offset(), l.offset() + l.len())),
                    ),
                    message: l.label().unwrap_or("").to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    let help = d.help().map(|h| h.to_string());
    let message = match &help {
        Some(h) => format!("{d}\n帮助：{h}"),
        None => d.to_string(),
    };
    Diagnostic {
        range,
        severity: Some(match crate::diagnostics::severity(d) {
            "error" => DiagnosticSeverity::ERROR,
            "warning" => DiagnosticSeverity::WARNING,
            _ => DiagnosticSeverity::INFORMATION,
        }),
        code: d.code().map(|c| NumberOrString::String(c.to_string())),
        source: Some("zhengce".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        data: help.map(|h| serde_json::json!({ "help": h })),
        ..Diagnostic::default()
    }
}
