//! The error of any stage, for code that runs the whole pipeline.

use miette::Diagnostic;
use thiserror::Error;

/// An error from any stage.
#[derive(Debug, Error, Diagnostic)]
pub enum Error {
    /// Reading files.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Load(#[from] crate::load::LoadError),
    /// Parsing.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(#[from] crate::syntax::SyntaxError),
    /// Checking.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Check(#[from] crate::check::CheckError),
    /// A warning (`zhengce check` lists them; with `--deny-warnings` they
    /// fail the run).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Lint(#[from] crate::check::Lint),
    /// Reading facts.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Facts(#[from] crate::facts::FactsError),
    /// Evaluating.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Eval(#[from] crate::eval::EvalError),
}
