//! Errors of `coverage`: a policy's 出处 that the corpus cannot hold.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// A coverage error, pointing at the policy.
#[derive(Debug, Error, Diagnostic)]
pub(crate) enum CoverageError {
    /// A 出处 that ends after the corpus's last line.
    ///
    /// Triggered by `出处 第2680行 至 第2697行` measured against a corpus of
    /// 100 lines (usually the wrong `--source` file).
    #[error("《{}》的出处到第{last}行，但语料只有 {lines} 行", crate::diagnostics::quote(.title))]
    #[diagnostic(
        code(zc::coverage::beyond_corpus),
        help("检查 --source 是否指向政策所引用的语料文件，以及出处的行号是否写错")
    )]
    BeyondCorpus {
        /// The policy file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The policy's title.
        #[label("这份政策")]
        span: SourceSpan,
        /// The title.
        title: String,
        /// The last line of the 出处.
        last: u32,
        /// The number of lines in the corpus.
        lines: usize,
    },
}
