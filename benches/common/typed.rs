//! The synthetic register's rows typed twice: as the facts the program
//! reads and as the hand-written baseline's rows. Shared by the benchmark
//! and `examples/per_row_ratio.rs` through `#[path]`; the crate that
//! mounts it mounts `common/baseline.rs` as `baseline`.

use zhengce::internals::facts::Facts;
use zhengce::internals::program::Program;

/// Every row of `csv` (a header, then rows) as facts of `program` and as
/// a baseline row, in order. Panics on a cell it cannot type: the
/// register is generated, so that is a broken generator.
pub fn rows(program: &Program, csv: &str) -> (Vec<Facts>, Vec<crate::baseline::Row>) {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("the register has a header")
        .iter()
        .map(str::to_string)
        .collect();
    let mut facts = Vec::new();
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.expect("the register's rows are CSV");
        let cells: Vec<&str> = rec.iter().collect();
        let mut f = Facts::empty(&program.vocab);
        for (name, cell) in header.iter().zip(&cells) {
            let Some(&id) = program.vocab.by_name.get(name) else {
                continue;
            };
            let Some(def) = program.vocab.get(id) else {
                continue;
            };
            f.set(
                id,
                zhengce::internals::batch::cell::from_text(&def.ty, cell)
                    .expect("the register's cells are typed"),
            );
        }
        facts.push(f);
        rows.push(crate::baseline::Row::parse(&cells));
    }
    (facts, rows)
}
