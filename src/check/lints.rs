//! Warnings: wording that is legal but probably not what the drafter
//! meant. Each lint has a kebab-case name that `允许 <name>` silences for a
//! file, a policy or one clause.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

use crate::program::{Loc, Program};

/// A warning.
#[derive(Debug, Error, Diagnostic)]
pub enum Lint {
    /// `超过 300万元（含）以上`: an exclusive word made inclusive.
    #[error("比较的措辞自相矛盾，按“不低于”（含边界）理解")]
    #[diagnostic(
        code(zc::lint::contradictory_wording),
        severity(Warning),
        help(
            "“超过”不含边界，“（含）”“以上”含边界；改写为 达到 300万元 以上 或 300万元（含）以上。允许此写法：允许 contradictory-wording"
        )
    )]
    ContradictoryWording {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The words.
        #[label("含边界还是不含？")]
        span: SourceSpan,
    },

    /// A clause in a 政策 without 原文.
    #[error("条款“{label}”没有原文")]
    #[diagnostic(
        code(zc::lint::missing_source),
        severity(Warning),
        help(
            "在条款后加 原文 「…」 引用它所编码的政策原句，便于核对。允许此写法：允许 missing-source"
        )
    )]
    MissingSource {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The clause.
        #[label("缺少 原文")]
        span: SourceSpan,
        /// The clause label.
        label: String,
    },
}

impl Lint {
    /// The kebab-case name used by `允许`.
    pub fn name(&self) -> &'static str {
        match self {
            Lint::ContradictoryWording { .. } => "contradictory-wording",
            Lint::MissingSource { .. } => "missing-source",
        }
    }
}

/// Runs every lint over a checked program.
pub fn run(program: &Program, contradictions: &[Loc]) -> Vec<Lint> {
    let src = |loc: Loc| {
        program
            .files
            .get(loc.file)
            .map_or_else(|| NamedSource::new("?", Arc::from("")), |f| f.named())
    };
    let mut out = Vec::new();
    for p in &program.policies {
        for c in &p.clauses {
            let allowed = |name: &str| c.allows.iter().chain(&p.allows).any(|a| a == name);
            if p.title.is_some() && c.source.is_none() && !allowed("missing-source") {
                out.push(Lint::MissingSource {
                    src: src(c.loc),
                    span: c.loc.span.into(),
                    label: c.label.clone(),
                });
            }
            for loc in contradictions {
                if loc.file == c.loc.file
                    && loc.span.start >= c.loc.span.start
                    && loc.span.end <= c.loc.span.end
                    && !allowed("contradictory-wording")
                {
                    out.push(Lint::ContradictoryWording {
                        src: src(*loc),
                        span: loc.span.into(),
                    });
                }
            }
        }
    }
    out
}
