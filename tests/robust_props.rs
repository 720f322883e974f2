//! Property-based smoke test of robustness (issue 8), on the stable
//! toolchain so CI runs it: over generated, mutated and arbitrary sources
//! and facts, nothing panics, and every refusal carries a diagnostic whose
//! labels lie inside its input on character boundaries.
//!
//! Case counts are modest so the whole file runs in seconds; the fuzz
//! targets in `fuzz/` run the same generator for much longer.

use crate::generate;
use crate::pipeline;

use generate::Bytes;
use pipeline::{Setup, refusal_codes, run};
use proptest::prelude::*;
use zhengce::internals::source::SourceFile;

/// Runs a source (and facts) through every stage; a refusal must be
/// well-formed (checked inside `refusal_codes`).
fn survive(text: String, setup: &Setup) {
    let source = SourceFile::new("gen.zc", text);
    if let Err(errors) = run(&source, setup) {
        refusal_codes(&errors);
    }
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn generated_sources(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut b = Bytes::new(&bytes);
        let text = generate::source(&mut b);
        let (name, facts) = generate::facts(&mut b);
        let setup = Setup {
            facts: SourceFile::new(name, facts),
            ..Setup::default()
        };
        survive(text, &setup);
    }

    #[test]
    fn mutated_sources(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut b = Bytes::new(&bytes);
        let text = generate::source(&mut b);
        let broken = generate::mutate(&mut b, &text);
        survive(broken, &Setup::default());
    }

    #[test]
    fn arbitrary_text(text in "\\PC{0,200}") {
        survive(text, &Setup::default());
    }

    #[test]
    fn token_soup(parts in proptest::collection::vec(
        prop_oneof![
            Just("对 "), Just("给予 "), Just("高新技术企业 "), Just("研发投入 "), Just("("),
            Just(")"), Just("（"), Just("）"), Just("“"), Just("”"), Just("「"), Just("」"),
            Just("#"), Just("\n"), Just("\r"), Just("20万元 "), Just("超过 "), Just("的 "),
            Just("20% "), Just("且 "), Just("、"), Just("，"), Just("定义 "), Just("= "),
            Just("政策 "), Just("《甲》"), Just("{"), Just("}"), Just("最高 "), Just("以上 "),
        ],
        0..60,
    )) {
        survive(format!("{}{}", generate::VOCAB, parts.concat()), &Setup::default());
    }

    #[test]
    fn facts_files(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut b = Bytes::new(&bytes);
        let (name, facts) = generate::facts(&mut b);
        let broken = if b.chance(3) { generate::mutate(&mut b, &facts) } else { facts };
        let setup = Setup {
            facts: SourceFile::new(name, broken),
            ..Setup::default()
        };
        survive(format!("{}对 高新技术企业 给予 研发投入 的 补贴比例\n", generate::VOCAB), &setup);
    }
}

/// The generator does reach the evaluator: a fair share of generated
/// programs are accepted, so the properties above are not only about
/// syntax errors.
#[test]
fn the_generator_reaches_evaluation() {
    let mut accepted = 0;
    for seed in 0u32..200 {
        let bytes: Vec<u8> = (0..300u32)
            .map(|i| (seed.wrapping_mul(2_654_435_761).wrapping_add(i * 40_503) >> 13) as u8)
            .collect();
        let mut b = Bytes::new(&bytes);
        let source = SourceFile::new("gen.zc", generate::source(&mut b));
        if run(&source, &Setup::default()).is_ok() {
            accepted += 1;
        }
    }
    assert!(
        accepted >= 50,
        "only {accepted} of 200 generated programs evaluated"
    );
}
