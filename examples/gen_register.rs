//! Writes the deterministic synthetic register used by the benchmark:
//!
//! ```text
//! cargo run --release --example gen_register -- 1000000 [seed] > register.csv
//! ```

#[path = "../benches/common/register.rs"]
#[expect(
    dead_code,
    reason = "the generator writes rows; the in-memory register is for the tests"
)]
mod register;

use std::io::{BufWriter, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let rows = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let seed = args.next().and_then(|a| a.parse().ok()).unwrap_or(7);
    let mut out = BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    match register::write_csv(&mut out, rows, seed).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_register: {e}");
            ExitCode::FAILURE
        }
    }
}
