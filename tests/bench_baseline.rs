//! The benchmark's hand-written baseline computes exactly what the
//! interpreter computes, clause by clause, on the synthetic register.

use crate::baseline;
use crate::register;

use chrono::NaiveDate;
use zhengce::internals::eval::{EvalConfig, Scratch, compile, evaluate};
use zhengce::internals::facts::Facts;

#[test]
fn baseline_equals_interpreter_on_every_row() {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/kejiqiye.zc");
    let program = zhengce::internals::load::compile(&[path]).unwrap().program;
    for (date, seed) in [
        (NaiveDate::from_ymd_opt(2024, 6, 1).unwrap(), 21),
        (NaiveDate::from_ymd_opt(2023, 6, 1).unwrap(), 22),
    ] {
        let flat = compile(&program, date);
        let mut scratch = Scratch::default();
        let mut rng = register::Rng::new(seed);
        for i in 0..4000 {
            let cells = register::row(&mut rng, i);
            let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
            let mut facts = Facts::empty(&program.vocab);
            for (name, cell) in register::COLUMNS.iter().zip(&cells) {
                if let Some(&id) = program.vocab.by_name.get(*name) {
                    facts.set(
                        id,
                        zhengce::internals::batch::cell::from_text(
                            &program.vocab.get(id).unwrap().ty,
                            cell,
                        )
                        .unwrap(),
                    );
                }
            }
            let o = evaluate(&program, &facts, &EvalConfig::on(date)).unwrap();
            let b = baseline::evaluate(&baseline::Row::parse(&cells), date);
            let paid: Vec<_> = o.clauses.iter().map(|c| c.paid.map(|m| m.0)).collect();
            assert_eq!(paid, b.clauses.to_vec(), "row {i} on {date}");
            assert_eq!(
                (o.total.0, o.undecided),
                (b.total, b.undecided),
                "row {i} on {date}"
            );
            // The compact run a register makes per row pays the same.
            flat.run(&facts, None, EvalConfig::DEFAULT_FUEL, &mut scratch)
                .unwrap();
            let slots: Vec<_> = scratch.slots.iter().map(|c| c.paid.map(|m| m.0)).collect();
            assert_eq!(slots, paid, "row {i} on {date}");
            assert_eq!(
                (scratch.total.0, scratch.undecided),
                (b.total, b.undecided),
                "row {i} on {date}"
            );
        }
    }
}
