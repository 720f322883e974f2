//! Errors of the formatter.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

use crate::syntax::SyntaxError;

/// Why a file was not formatted.
#[derive(Debug, Error, Diagnostic)]
pub enum FmtError {
    /// The file does not parse; the formatter never touches such a file.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(#[from] SyntaxError),

    /// The formatted text does not read back as the same syntax tree (or
    /// lost a comment). A bug in zhengce, never in the policy file; nothing
    /// is written.
    ///
    /// ## Resolution
    ///
    /// Report the file; until it is fixed, lay the file out by hand.
    #[error("格式化结果与原文不一致：{what}；文件未改动")]
    #[diagnostic(
        code(zc::fmt::unsound),
        help(
            "这是 zhengce 的缺陷，不是政策文件的错误。请把这个文件附在问题报告中；修复之前请手工排版"
        )
    )]
    Unsound {
        /// The original file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// Where the first difference starts, when known.
        #[label("从这里开始不一致")]
        span: Option<SourceSpan>,
        /// What differs.
        what: String,
    },
}
