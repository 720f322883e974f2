//! Parse, check and evaluate with arbitrary facts, date and step budget.
//! The source is either the raw text (so the corpus of real policies
//! mutates freely) or a program the grammar-aware generator builds from
//! the bytes; the facts file (JSON or TOML) is derived from the bytes.
#![no_main]

use arbitrary::Arbitrary;
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use zhengce::internals::source::SourceFile;
use zhengce_fuzz::generate::{self, Bytes};
use zhengce_fuzz::pipeline::Setup;

#[derive(Debug, Arbitrary)]
struct Input {
    /// Raw source text instead of a generated program.
    raw: bool,
    source: Vec<u8>,
    facts: Vec<u8>,
    /// Days from 1900-01-01.
    day: u16,
    /// A small budget sometimes, to reach the out-of-fuel path.
    fuel: Option<u16>,
}

fuzz_target!(|input: Input| {
    if input.source.len() > zhengce_fuzz::MAX_INPUT {
        return;
    }
    let text = if input.raw {
        match String::from_utf8(input.source) {
            Ok(t) => t,
            Err(_) => return,
        }
    } else {
        generate::source(&mut Bytes::new(&input.source))
    };
    let (name, facts) = generate::facts(&mut Bytes::new(&input.facts));
    let date = NaiveDate::from_ymd_opt(1900, 1, 1)
        .and_then(|d| d.checked_add_days(chrono::Days::new(u64::from(input.day))))
        .unwrap_or_default();
    let setup = Setup {
        facts: SourceFile::new(name, facts),
        date,
        fuel: input
            .fuel
            .map_or(zhengce::internals::eval::EvalConfig::DEFAULT_FUEL, u64::from),
    };
    zhengce_fuzz::run(&SourceFile::new("fuzz.zc", text), &setup);
});
