//! Property-based smoke test of the readers (issue 20), on the stable
//! toolchain so CI runs it: generated, mutated and arbitrary bytes through
//! the register reader and the facts reader, checked as
//! `tests/readers/mod.rs` says. Sized to run in seconds in the debug
//! build; the `reader` fuzz target runs the same checks for longer.
use crate::generate::{self, Bytes};
use crate::readers::{OneByte, register, survive_facts, survive_register};

use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn generated_registers(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut b = Bytes::new(&bytes);
        let (jsonl, gb18030, jsonl_out) = (b.chance(2), b.chance(3), b.chance(3));
        let register = register(&mut b, jsonl);
        survive_register(register, jsonl, gb18030, jsonl_out);
    }

    #[test]
    fn arbitrary_registers(
        bytes in proptest::collection::vec(any::<u8>(), 0..200),
        jsonl in any::<bool>(),
        gb18030 in any::<bool>(),
    ) {
        survive_register(bytes, jsonl, gb18030, false);
    }

    #[test]
    fn generated_facts(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut b = Bytes::new(&bytes);
        let (name, text) = generate::facts(&mut b);
        let mut broken = generate::mutate(&mut b, &text).into_bytes();
        if b.chance(4) {
            let at = b.pick(broken.len() + 1);
            broken.insert(at, *b.one_byte(&[0xff, 0x80, 0xe8]));
        }
        survive_facts(&name, broken);
    }

    #[test]
    fn arbitrary_facts(bytes in proptest::collection::vec(any::<u8>(), 0..200), toml in any::<bool>()) {
        survive_facts(if toml { "facts.toml" } else { "facts.json" }, bytes);
    }
}
