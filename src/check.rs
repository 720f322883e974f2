//! Syntax tree → checked program: names, types, then lints. Reports every
//! error it finds; a program with errors is never evaluated.

pub mod error;
pub mod lints;
mod resolve;
pub mod suggest;

pub use error::CheckError;
pub use lints::Lint;
pub use resolve::{arith_kind, case_value};

use crate::ast::Module;
use crate::program::Program;

/// A program that passed the checks, with its warnings.
#[derive(Debug)]
pub struct Checked {
    /// The checked program.
    pub program: Program,
    /// Warnings (never block evaluation).
    pub warnings: Vec<Lint>,
}

/// Checks parsed modules (loaded together, sharing one vocabulary).
pub fn check(modules: &[Module]) -> Result<Checked, Vec<CheckError>> {
    let (program, errors, contradictions) = resolve::Resolver::run(modules);
    if !errors.is_empty() {
        return Err(errors);
    }
    let warnings = lints::run(&program, &contradictions);
    Ok(Checked { program, warnings })
}
