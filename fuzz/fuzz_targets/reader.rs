//! The register reader (CSV or JSON Lines, UTF-8 or GB18030, CSV or JSON
//! Lines out) and the facts reader (JSON or TOML) over raw or generated
//! bytes, checked as `tests/readers/mod.rs` says.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhengce_fuzz::generate::Bytes;
use zhengce_fuzz::readers::{register, survive_facts, survive_register};

fuzz_target!(|data: &[u8]| {
    if data.len() > zhengce_fuzz::MAX_INPUT {
        return;
    }
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let (jsonl, gb18030, jsonl_out) = (choice & 1 != 0, choice & 2 != 0, choice & 4 != 0);
    match choice >> 3 & 3 {
        // Raw bytes as a register.
        0 => survive_register(rest.to_vec(), jsonl, gb18030, jsonl_out),
        // A generated, mutated register.
        1 => {
            let bytes = register(&mut Bytes::new(rest), jsonl);
            survive_register(bytes, jsonl, gb18030, jsonl_out);
        }
        // Raw bytes as a facts file.
        _ => survive_facts(if jsonl { "facts.toml" } else { "facts.json" }, rest.to_vec()),
    }
});
