//! The per-row ratio of the compiled evaluator to the hand-written
//! baseline on `benches/kejiqiye.zc`, timed where criterion's means are
//! swamped by a busy host: the two take turns over the same 20k typed
//! rows, and each keeps its fastest pass, which a neighbour's load can
//! only slow down.
//!
//! ```text
//! cargo run --release --example per_row_ratio -- [passes]
//! ```
//!
//! Run from the repository's root. Before timing, every row's total is
//! checked to be the same in both.

#![expect(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "the shared setup and baseline fail by panicking, as in the benchmark"
)]

#[path = "../benches/common/baseline.rs"]
mod baseline;
#[path = "../benches/common/register.rs"]
mod register;
#[path = "../benches/common/typed.rs"]
mod typed;

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use zhengce::internals::eval::{EvalConfig, Scratch, compile};

fn main() -> ExitCode {
    let passes: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(300);
    let path = std::path::PathBuf::from("benches/kejiqiye.zc");
    let program = match zhengce::internals::load::compile(&[path]) {
        Ok(c) => c.program,
        Err(_) => {
            eprintln!(
                "per_row_ratio: benches/kejiqiye.zc does not load (run from the repository's root)"
            );
            return ExitCode::FAILURE;
        }
    };
    let csv = register::csv_text(20_000, 7);
    let (facts, rows) = typed::rows(&program, &csv);
    let Some(date) = NaiveDate::from_ymd_opt(2024, 6, 1) else {
        return ExitCode::FAILURE;
    };
    let flat = compile(&program, date);
    let mut scratch = Scratch::default();
    let fuel = EvalConfig::DEFAULT_FUEL;
    for (i, (f, r)) in facts.iter().zip(&rows).enumerate() {
        let ours = flat
            .run(f, None, fuel, &mut scratch)
            .map(|()| scratch.total.0);
        if ours.ok() != Some(baseline::evaluate(r, date).total) {
            eprintln!("per_row_ratio: row {i} differs from the baseline");
            return ExitCode::FAILURE;
        }
    }
    let (mut compiled, mut hand) = (Duration::MAX, Duration::MAX);
    for _ in 0..passes {
        let t = Instant::now();
        for f in &facts {
            // Checked above: every row evaluates.
            let _ = black_box(flat.run(f, None, fuel, &mut scratch));
        }
        compiled = compiled.min(t.elapsed());
        let t = Instant::now();
        for r in &rows {
            black_box(baseline::evaluate(r, date));
        }
        hand = hand.min(t.elapsed());
    }
    println!(
        "fastest of {passes} passes over {} rows: compiled {:.3} ms, baseline {:.3} ms, ratio {:.3}",
        facts.len(),
        compiled.as_secs_f64() * 1e3,
        hand.as_secs_f64() * 1e3,
        compiled.as_secs_f64() / hand.as_secs_f64()
    );
    ExitCode::SUCCESS
}
