//! Register-scale throughput of 《加快科技企业高质量发展的若干措施》
//! (`benches/kejiqiye.zc`) over a deterministic synthetic register.
//!
//! - `per_row/*`: evaluation alone, over rows typed beforehand — the
//!   program compiled once and each row run on it (`Flat::run`, what
//!   `batch` does per row) against the hand-written baseline
//!   (`common/baseline.rs`), on one thread and on all cores; and
//!   `outcome/1`, the same with each row's full outcome built
//!   (`Flat::evaluate_row`, what `batch` writes from).
//! - `end_to_end/*`: `zhengce::internals::batch::run` on the register's CSV text in
//!   memory (read, type, evaluate, write), on one thread and on all cores.
//!
//! Throughput is in entities per second. Before measuring, every row's
//! result is checked to be the same in both.
//!
//! ```text
//! cargo bench --bench register
//! ```

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a benchmark's setup fails by panicking"
)]

#[path = "common/baseline.rs"]
mod baseline;
#[path = "common/register.rs"]
mod register;
#[path = "common/typed.rs"]
mod typed;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;
use zhengce::internals::batch::{self, BatchConfig, Collect};
use zhengce::internals::eval::{EvalConfig, Scratch, compile, evaluate};
use zhengce::internals::facts::Facts;
use zhengce::internals::program::Program;

const ROWS: u64 = 20_000;
const SEED: u64 = 7;

struct Setup {
    program: Program,
    csv: String,
    facts: Vec<Facts>,
    rows: Vec<baseline::Row>,
    date: NaiveDate,
}

fn setup() -> Setup {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/kejiqiye.zc");
    let program = zhengce::internals::load::compile(&[path])
        .expect("kejiqiye.zc checks")
        .program;
    let csv = register::csv_text(ROWS, SEED);
    let (facts, rows) = typed::rows(&program, &csv);
    let date = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
    let config = EvalConfig::on(date);
    for (i, (f, r)) in facts.iter().zip(&rows).enumerate() {
        let o = evaluate(&program, f, &config).unwrap();
        let b = baseline::evaluate(r, date);
        let paid: Vec<_> = o.clauses.iter().map(|c| c.paid.map(|m| m.0)).collect();
        assert_eq!(paid, b.clauses.to_vec(), "row {i}");
        assert_eq!(o.total.0, b.total, "row {i}");
        assert_eq!(o.undecided, b.undecided, "row {i}");
    }
    let flat = compile(&program, date);
    let mut scratch = Scratch::default();
    for (i, (f, r)) in facts.iter().zip(&rows).enumerate() {
        flat.run(f, None, EvalConfig::DEFAULT_FUEL, &mut scratch)
            .unwrap();
        let b = baseline::evaluate(r, date);
        let paid: Vec<_> = scratch.slots.iter().map(|c| c.paid.map(|m| m.0)).collect();
        assert_eq!(paid, b.clauses.to_vec(), "row {i}");
        assert_eq!(
            (scratch.total.0, scratch.undecided),
            (b.total, b.undecided),
            "row {i}"
        );
    }
    Setup {
        program,
        csv,
        facts,
        rows,
        date,
    }
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
}

fn per_row(c: &mut Criterion) {
    let s = setup();
    let fuel = EvalConfig::DEFAULT_FUEL;
    let flat = compile(&s.program, s.date);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut g = c.benchmark_group("per_row");
    g.throughput(Throughput::Elements(ROWS));
    g.bench_function("compiled/1", |b| {
        let mut scratch = Scratch::default();
        b.iter(|| {
            for f in &s.facts {
                flat.run(f, None, fuel, &mut scratch).unwrap();
                black_box(scratch.total);
            }
        });
    });
    g.bench_function("outcome/1", |b| {
        let mut scratch = Scratch::default();
        let mut out = evaluate(&s.program, &s.facts[0], &EvalConfig::on(s.date)).unwrap();
        b.iter(|| {
            for f in &s.facts {
                flat.evaluate_row(f, None, fuel, &mut scratch, &mut out)
                    .unwrap();
                black_box(out.total);
            }
        });
    });
    g.bench_function("baseline/1", |b| {
        b.iter(|| {
            for r in &s.rows {
                black_box(baseline::evaluate(r, s.date));
            }
        });
    });
    let p = pool(cores);
    g.bench_function(format!("compiled/{cores}"), |b| {
        b.iter(|| {
            p.install(|| {
                s.facts.par_chunks(256).for_each(|chunk| {
                    let mut scratch = Scratch::default();
                    for f in chunk {
                        flat.run(f, None, fuel, &mut scratch).unwrap();
                        black_box(scratch.total);
                    }
                });
            });
        });
    });
    g.bench_function(format!("baseline/{cores}"), |b| {
        b.iter(|| {
            p.install(|| {
                s.rows.par_iter().with_min_len(256).for_each(|r| {
                    black_box(baseline::evaluate(r, s.date));
                });
            });
        });
    });
    g.finish();

    let mut g = c.benchmark_group("end_to_end");
    g.throughput(Throughput::Elements(ROWS));
    for threads in [1, cores] {
        g.bench_function(format!("batch/{threads}"), |b| {
            b.iter(|| {
                let config = BatchConfig {
                    threads: Some(threads),
                    ..BatchConfig::new(EvalConfig::on(s.date))
                };
                let input = Box::new(std::io::Cursor::new(s.csv.clone().into_bytes()));
                let mut out = std::io::sink();
                black_box(
                    batch::run(
                        &s.program,
                        input,
                        &mut out,
                        &config,
                        &mut Collect::default(),
                    )
                    .unwrap(),
                );
            });
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = per_row
}
criterion_main!(benches);
