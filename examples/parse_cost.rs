//! Parses each file named once, on one thread, and says how many items it
//! read: what callgrind counts under it is reading the grammar alone, with
//! no checking, evaluation or thread hand-off around it.
//!
//! ```text
//! cargo build --release --example parse_cost
//! valgrind --tool=callgrind ./target/release/examples/parse_cost policies/*.zc
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut items = 0;
    for path in std::env::args().skip(1) {
        let read = zhengce::read_source(path.as_ref())
            .map_err(miette::Report::new)
            .and_then(|source| zhengce::parse(&source).map_err(miette::Report::new));
        match read {
            Ok(module) => items += module.items.len(),
            Err(e) => {
                eprintln!("{path}: {e:?}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("{items}");
    ExitCode::SUCCESS
}
