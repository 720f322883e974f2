//! Assumed publication dates: each one checked against what its policy's
//! text says about publication, the valid ones kept for resolving windows.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use miette::NamedSource;

use super::{Resolver, to_sspan};
use crate::ast;
use crate::check::assume::{ARG_NAME, Origin, Published};
use crate::check::chinese_date;
use crate::check::error::CheckError;
use crate::check::suggest::{did_you_mean, similar};
use crate::program::{FileId, Loc};

/// What a titled policy's text says about its publication.
#[derive(Debug, Clone)]
pub(super) struct PublishState {
    title: String,
    /// `None`: no `发布`; `Some(None)`: `发布 未定`.
    publish: Option<Option<NaiveDate>>,
    loc: Loc,
}

/// The publication state of every titled policy, in load order.
pub(super) fn publish_states(modules: &[ast::Module]) -> Vec<PublishState> {
    let mut out = Vec::new();
    for (file, m) in modules.iter().enumerate() {
        for item in &m.items {
            let ast::Item::Policy(p) = item else { continue };
            out.push(PublishState {
                title: p.title.node.clone(),
                publish: p.items.iter().find_map(|i| match i {
                    ast::PolicyItem::Publish(d) => Some(d.node),
                    _ => None,
                }),
                loc: Loc {
                    file,
                    span: p.title.span,
                },
            });
        }
    }
    out
}

impl Resolver {
    /// Checks `assumed` (one source: the command line, or one 案例) and
    /// returns the valid ones by title; errors go to `self.errors`.
    pub(super) fn check_assumptions(
        &mut self,
        states: &[PublishState],
        assumed: &[Published],
    ) -> HashMap<String, NaiveDate> {
        let mut valid = HashMap::new();
        for (i, a) in assumed.iter().enumerate() {
            let earlier = assumed.get(..i).unwrap_or_default();
            if earlier.iter().any(|e| e.title == a.title) {
                let (src, span) = self.origin(&a.origin);
                self.errors.push(CheckError::PublishedTwice {
                    src,
                    span,
                    title: a.title.clone(),
                });
                continue;
            }
            match self.assumption_error(states, a) {
                Some(e) => self.errors.push(e),
                None => {
                    valid.insert(a.title.clone(), a.date);
                }
            }
        }
        valid
    }

    fn origin(&self, origin: &Origin) -> (NamedSource<Arc<str>>, miette::SourceSpan) {
        match origin {
            Origin::Arg { text, title } => (
                NamedSource::new(ARG_NAME, Arc::clone(text)),
                to_sspan(*title),
            ),
            Origin::File(loc) => (self.src(loc.file), to_sspan(loc.span)),
        }
    }

    fn position(&self, loc: Loc) -> String {
        let name = self
            .files
            .get(loc.file)
            .map_or("?".into(), |f| f.name.to_string());
        let line = self
            .lines
            .get(loc.file)
            .map_or(0, |l| l.line(loc.span.start));
        format!("{name}:{line}")
    }

    fn assumption_error(&self, states: &[PublishState], a: &Published) -> Option<CheckError> {
        let Some(state) = states.iter().find(|s| s.title == a.title) else {
            let (src, span) = self.origin(&a.origin);
            let found = similar(&a.title, states.iter().map(|s| s.title.as_str()));
            let found: Vec<String> = found.into_iter().map(|t| format!("《{t}》")).collect();
            return Some(CheckError::PublishedUnknownPolicy {
                src,
                span,
                title: a.title.clone(),
                help: did_you_mean(
                    &found,
                    "标题须与 政策 《…》 中写的完全一致；检查是否载入了该政策的文件",
                ),
            });
        };
        let at = self.position(state.loc);
        let (problem, help) = match state.publish {
            Some(None) => return None,
            Some(Some(d)) => (
                format!("已写明发布日期 {}", chinese_date(d)),
                format!("政策（{at}）已写明 发布 {}：删去这一假定", chinese_date(d)),
            ),
            None => (
                "没有写 发布 未定".to_string(),
                format!(
                    "只有写了 发布 未定 的政策才能假定发布日期；该政策（{at}）的施行期不依赖发布日期：删去这一假定"
                ),
            ),
        };
        let (src, span) = self.origin(&a.origin);
        Some(CheckError::PublishedKnown {
            src,
            span,
            title: a.title.clone(),
            problem,
            help,
        })
    }

    /// A 案例's `发布 《标题》 …` lines as assumptions.
    pub(super) fn case_assumptions(file: FileId, c: &ast::Case) -> Vec<Published> {
        c.published
            .iter()
            .map(|p| Published {
                title: p.title.node.clone(),
                date: p.date.node,
                origin: Origin::File(Loc {
                    file,
                    span: p.title.span,
                }),
            })
            .collect()
    }
}
