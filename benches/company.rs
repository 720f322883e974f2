//! One company against every shipped policy, in process: what a desk's
//! service pays per question once `policies/` is loaded (the CLI call adds
//! start-up, parsing and checking; docs/performance.md gives both).
//!
//! - `company/evaluate`: `evaluate` of 滨江集成电路设计企业 on 2024-06-01,
//!   the flat form compiled for the date on each call, as `zhengce eval`
//!   does;
//! - `company/explain`: the same with `--explain` (trace and derivations).
//!
//! ```text
//! cargo bench --bench company
//! ```

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark's setup fails by panicking"
)]

use std::hint::black_box;
use std::path::PathBuf;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use zhengce::internals::eval::{EvalConfig, evaluate};
use zhengce::{SourceFile, load_facts};

fn bench(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let program = zhengce::compile(&[root.join("policies")])
        .expect("policies/ checks")
        .program;
    let path = root.join("examples/滨江集成电路设计企业.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let facts = load_facts(
        &program.vocab,
        &SourceFile::new(path.display().to_string(), text),
    )
    .expect("the example company's facts read");
    let date = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
    let plain = EvalConfig::on(date);
    let explain = EvalConfig {
        explain: true,
        derive: true,
        ..EvalConfig::on(date)
    };
    // Something applies: the benchmark measures a real answer.
    let outcome = evaluate(&program, &facts, &plain).unwrap();
    assert!(!outcome.total.0.is_zero());
    let mut g = c.benchmark_group("company");
    g.bench_function("evaluate", |b| {
        b.iter(|| evaluate(black_box(&program), black_box(&facts), &plain).unwrap());
    });
    g.bench_function("explain", |b| {
        b.iter(|| evaluate(black_box(&program), black_box(&facts), &explain).unwrap());
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
