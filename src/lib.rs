//! zhengce: Chinese government policy written as machine-checkable clauses.
//!
//! The pipeline reads top to bottom: text → [`syntax::parse`] → [`ast`] →
//! [`check::check`] (names, types, lints; produces a resolved
//! [`program::Program`]) → [`eval::evaluate`] against one entity's
//! [`facts`] → [`report`] as human text or JSON. [`coverage`] measures
//! which grant sentences of the corpus the policies' 原文 cite.

pub mod ast;
pub mod batch;
pub mod check;
pub mod cli;
pub mod coverage;
pub mod diagnostics;
pub mod diff;
pub mod error;
pub mod eval;
pub mod exposure;
pub mod facts;
pub mod fmt;
pub mod lexicon;
pub mod load;
pub mod lsp;
pub mod matching;
pub mod num;
pub mod output;
pub mod program;
pub mod repl;
pub mod report;
pub mod source;
pub mod syntax;
pub mod template;
pub mod testing;
