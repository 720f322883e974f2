//! What the fuzz targets share: the pipeline runner and span checks of
//! the robustness tests, and the grammar-aware generator, included by path
//! so the fuzzers and `cargo test` check exactly the same properties.
#![allow(missing_docs)]

#[path = "../../tests/generate/mod.rs"]
pub mod generate;
#[path = "../../tests/pipeline/mod.rs"]
pub mod pipeline;
#[path = "../../tests/readers/mod.rs"]
pub mod readers;

use zhengce::internals::source::SourceFile;

/// Fuzz inputs are cut short: the generator and the grammar are exercised
/// by structure, not by size, and huge inputs only slow the search.
pub const MAX_INPUT: usize = 16 * 1024;

/// Bytes as the loader takes them: UTF-8 or an invalid-UTF-8 diagnostic,
/// which must point inside its (lossily decoded) text.
pub fn decode(name: &str, bytes: &[u8]) -> Option<SourceFile> {
    match zhengce::internals::load::decode(name.to_string(), bytes.to_vec()) {
        Ok(s) => Some(s),
        Err(e) => {
            pipeline::refusal_codes(&[e.into()]);
            None
        }
    }
}

/// Parse only; a refusal must be well-formed.
pub fn parse(source: &SourceFile) -> Option<zhengce::internals::ast::Module> {
    match zhengce::internals::syntax::parse(source) {
        Ok(m) => Some(m),
        Err(e) => {
            pipeline::refusal_codes(&[e.into()]);
            None
        }
    }
}

/// Parse and check; refusals and warnings must be well-formed.
pub fn check(source: &SourceFile) -> Option<zhengce::internals::check::Checked> {
    let module = parse(source)?;
    match zhengce::internals::check::check(&[module]) {
        Ok(c) => {
            for w in &c.warnings {
                pipeline::check_spans(w);
            }
            Some(c)
        }
        Err(es) => {
            let es: Vec<zhengce::internals::error::Error> = es.into_iter().map(Into::into).collect();
            pipeline::refusal_codes(&es);
            None
        }
    }
}

/// The whole pipeline (with explanations and every rendering).
pub fn run(source: &SourceFile, setup: &pipeline::Setup) {
    if let Err(es) = pipeline::run(source, setup) {
        pipeline::refusal_codes(&es);
    }
}
