//! Errors of `match --register`: the clause or policy to look for.

use miette::Diagnostic;
use thiserror::Error;

/// Why `--clause` / `--policy` names nothing loaded.
#[derive(Debug, Error, Diagnostic)]
pub(crate) enum MatchError {
    /// No loaded policy has this title.
    ///
    /// Triggered by `--policy '《不存在的政策》'`.
    #[error("没有载入标题为《{}》的政策", crate::diagnostics::quote(.title))]
    #[diagnostic(code(zc::matching::unknown_policy), help("{help}"))]
    UnknownPolicy {
        /// The title asked for.
        title: String,
        /// Titles that are close, or how to write one.
        help: String,
    },

    /// The policy has no clause with this label.
    ///
    /// Triggered by `--clause '《标题》“九十九”'`.
    #[error("《{}》中没有条款“{}”", crate::diagnostics::quote(.title), crate::diagnostics::quote(.label))]
    #[diagnostic(code(zc::matching::unknown_clause), help("{help}"))]
    UnknownClause {
        /// The policy.
        title: String,
        /// The label asked for.
        label: String,
        /// Labels that are close, or the policy's labels.
        help: String,
    },
}
