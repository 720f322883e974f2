//! Arbitrary bytes → loader → parser: never panics, and every refusal
//! points inside the input on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let data = data.get(..zhengce_fuzz::MAX_INPUT).unwrap_or(data);
    if let Some(source) = zhengce_fuzz::decode("fuzz.zc", data) {
        zhengce_fuzz::parse(&source);
    }
});
