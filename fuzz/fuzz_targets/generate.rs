//! The grammar-aware generator: near-valid programs built from grammar
//! pieces with the bytes choosing, then broken by a few mutations, run
//! through the whole pipeline with generated facts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhengce::internals::source::SourceFile;
use zhengce_fuzz::generate::{self, Bytes};
use zhengce_fuzz::pipeline::Setup;

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes::new(data);
    let text = generate::source(&mut b);
    let text = if b.chance(2) {
        text
    } else {
        generate::mutate(&mut b, &text)
    };
    let (name, facts) = generate::facts(&mut b);
    let setup = Setup {
        facts: SourceFile::new(name, facts),
        ..Setup::default()
    };
    zhengce_fuzz::run(&SourceFile::new("gen.zc", text), &setup);
});
