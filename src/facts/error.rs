//! Errors in a facts file, each pointing into that file.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// A facts-file error.
#[derive(Debug, Error, Diagnostic)]
pub enum FactsError {
    /// The file could not be read.
    #[error("无法读取事实文件 {path}：{}", crate::diagnostics::quote(.reason))]
    #[diagnostic(code(zc::facts::io), help("检查路径是否正确、文件是否可读"))]
    Io {
        /// The path.
        path: String,
        /// Why.
        reason: String,
    },

    /// Bad JSON or TOML.
    ///
    /// Triggered by `{"研发投入": }`.
    #[error("事实文件格式错误：{}", crate::diagnostics::quote(.message))]
    #[diagnostic(code(zc::facts::syntax), help("{help}"))]
    Syntax {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// Where.
        #[label("这里")]
        span: SourceSpan,
        /// The parser's message.
        message: String,
        /// How to fix it.
        help: String,
    },

    /// A key that is not a vocabulary word.
    ///
    /// Triggered by `{"研发投人": "800万元"}`.
    #[error("事实“{}”不在词汇中", crate::diagnostics::quote(.key))]
    #[diagnostic(code(zc::facts::unknown_key), help("{help}"))]
    UnknownKey {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The key.
        #[label("未知的事实")]
        span: SourceSpan,
        /// The key.
        key: String,
        /// Suggestions.
        help: String,
    },

    /// The same key twice.
    ///
    /// Triggered by `{"研发投入": 1, "研发投入": 2}`.
    #[error("事实“{}”重复出现", crate::diagnostics::quote(.key))]
    #[diagnostic(
        code(zc::facts::duplicate_key),
        help("每个事实只能给一次值；删除多余的一项")
    )]
    DuplicateKey {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The second occurrence.
        #[label("再次出现")]
        span: SourceSpan,
        /// The key.
        key: String,
    },

    /// A value that does not fit the fact's type.
    ///
    /// Triggered by `{"高新技术企业": "800万元"}` or `{"研发投入": "800万万元"}`.
    #[error("事实“{}”的值不符合其类型（{ty}）：{}", crate::diagnostics::quote(.key), crate::diagnostics::quote(.problem))]
    #[diagnostic(code(zc::facts::bad_value), help("{help}"))]
    BadValue {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The value.
        #[label("应为{ty}")]
        span: SourceSpan,
        /// The key.
        key: String,
        /// The fact's type.
        ty: String,
        /// What is wrong.
        problem: String,
        /// How to write it.
        help: String,
    },
}
