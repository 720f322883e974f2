//! The flat evaluator against the tree walker it replaced: over generated
//! programs and facts (the generator of tests/robust_props.rs and the fuzz
//! targets), and over every 案例 of `policies/` and `examples/`, both give
//! the same outcome — every clause's status, amount and kind, missing
//! facts, displacement, trace and derivation, and the totals — or the same
//! error. Budgets are tried at the exact number of steps an evaluation
//! needs and one below, so that running out of fuel is checked at the
//! node where it happens.

use std::path::PathBuf;

use chrono::NaiveDate;
use proptest::prelude::*;

use super::super::{EvalConfig, Outcome, evaluate};
use crate::facts::Facts;
use crate::program::Program;
use crate::source::SourceFile;

#[expect(
    unreachable_pub,
    dead_code,
    reason = "the generator is shared with the integration tests and fuzz targets, which use all of it"
)]
#[path = "../../../tests/generate/mod.rs"]
mod generate;

/// Both evaluators' answers, printed in full: equal exactly when every
/// field of every result is.
fn both(program: &Program, facts: &Facts, config: &EvalConfig) -> (String, String) {
    // The deadlines a trace line shows (`computed`) are words for
    // `--explain` that only the compiled evaluator writes; everything they
    // are computed from is compared.
    let show = |r: Result<Outcome, crate::eval::EvalError>| match r {
        Ok(mut o) => {
            for c in &mut o.clauses {
                c.trace.iter_mut().for_each(|l| l.computed.clear());
            }
            format!("{o:?}")
        }
        Err(e) => format!("error {:?}", e.kind()),
    };
    (
        show(evaluate(program, facts, config)),
        show(super::evaluate(program, facts, config)),
    )
}

/// Compares the two on `facts` with and without explanations, with an
/// application date, and at the budget the evaluation needs exactly
/// (found on the oracle) and one step below.
fn agree(program: &Program, facts: &Facts, date: NaiveDate) {
    let apply = NaiveDate::from_ymd_opt(2024, 3, 1);
    for (explain, derive, apply_date) in [
        (false, false, None),
        (true, true, None),
        (false, true, apply),
    ] {
        let config = EvalConfig {
            explain,
            derive,
            apply_date,
            ..EvalConfig::on(date)
        };
        let (flat, oracle) = both(program, facts, &config);
        assert_eq!(flat, oracle, "explain {explain}, derive {derive}");
    }
    let needed = least_fuel(program, facts, date);
    for fuel in [needed, needed.saturating_sub(1), needed / 2] {
        let config = EvalConfig {
            fuel,
            explain: true,
            ..EvalConfig::on(date)
        };
        let (flat, oracle) = both(program, facts, &config);
        assert_eq!(flat, oracle, "fuel {fuel} (needed {needed})");
    }
}

/// The smallest budget with which the oracle finishes (or the default when
/// it fails for another reason).
fn least_fuel(program: &Program, facts: &Facts, date: NaiveDate) -> u64 {
    let ok = |fuel: u64| {
        let config = EvalConfig {
            fuel,
            ..EvalConfig::on(date)
        };
        super::evaluate(program, facts, &config).is_ok()
    };
    let (mut lo, mut hi) = (0, 1 << 20);
    if !ok(hi) {
        return EvalConfig::DEFAULT_FUEL;
    }
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if ok(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

/// Rows of a register, one after another on one scratch and one outcome
/// as `batch` runs them: each row's outcome is the oracle's, with the
/// default budget (which a row counts no steps against when it covers
/// every clause at its dearest) and, when `tight`, with the least the row
/// needs and one step below (counted clause by clause).
fn rows_agree(
    program: &Program,
    rows: &[&Facts],
    date: NaiveDate,
    apply_date: Option<NaiveDate>,
    tight: bool,
) {
    let flat = crate::eval::compile(program, date);
    let mut scratch = crate::eval::Scratch::default();
    let mut out = Outcome::empty(date);
    for (i, facts) in rows.iter().enumerate() {
        let needed = if tight {
            least_fuel(program, facts, date)
        } else {
            EvalConfig::DEFAULT_FUEL
        };
        for fuel in [EvalConfig::DEFAULT_FUEL, needed, needed.saturating_sub(1)] {
            let config = EvalConfig {
                apply_date,
                fuel,
                ..EvalConfig::on(date)
            };
            let flat_row = flat
                .evaluate_row(facts, apply_date, config.fuel, &mut scratch, &mut out)
                .map(|()| format!("{out:?}"))
                .map_err(|e| format!("error {:?}", e.kind()));
            let oracle = super::evaluate(program, facts, &config)
                .map(|o| format!("{o:?}"))
                .map_err(|e| format!("error {:?}", e.kind()));
            assert_eq!(flat_row, oracle, "row {i}, fuel {fuel} (needed {needed})");
        }
    }
}

/// A generated program, when it is accepted, and facts for it: the
/// generator's facts file when it loads, else typed values drawn from the
/// rest of the bytes (a fact missing one time in four), so that every
/// accepted program is evaluated.
fn generated(bytes: &[u8]) -> Option<(Program, Facts)> {
    let mut b = generate::Bytes::new(bytes);
    let text = generate::source(&mut b);
    let (name, facts_text) = generate::facts(&mut b);
    let module = crate::syntax::parse(&SourceFile::new("gen.zc", text)).ok()?;
    let checked = crate::check::check(&[module]).ok()?;
    let program = checked.program;
    let facts = match crate::facts::load(&program.vocab, &SourceFile::new(name, facts_text)) {
        Ok(f) => f,
        Err(_) => typed_facts(&program, &mut b),
    };
    Some((program, facts))
}

/// A value of each fact's type, or none.
/// The generator's vocabulary with 每项 grants of each shape.
fn item_program() -> Program {
    let text = format!(
        "{}允许 missing-source
政策 《逐项》 {{
  “一” 对 高新技术企业 给予 每项 项目（其中 项目类别 为 重点 且 已验收） 按 项目投资额 的 10%，每项 最高 50万元，合计 最高 100万元 资助
  “二” 对 高新技术企业 给予 每项 项目 按 （项目投资额 - 100万元） 的 补贴比例，每项 最高 30万元 补助
  “三” 对 高新技术企业 给予 每项 项目（其中 项目投资额 超过 500万元 或 项目类别 为 一般） （20万元） 奖励
  “四” 对 高新技术企业 给予 每项 项目 按 项目投资额 的 1%，合计 最高 研发投入 的 10% 补贴
  “五” 对 高新技术企业 给予 每项 项目 按 项目投资额 的 10%，每项 最高 50万元，最多 2项，合计 最高 80万元 资助
  “六” 对 高新技术企业 给予 每项 项目（其中 已验收） （20万元），最多 1项 奖励
}}
",
        generate::VOCAB
    );
    let module = crate::syntax::parse(&SourceFile::new("items.zc", text))
        .unwrap_or_else(|_| panic!("parses"));
    crate::check::check(&[module])
        .unwrap_or_else(|_| panic!("checks"))
        .program
}

/// Up to three items of a list, each field missing or typed.
fn typed_items(
    program: &Program,
    d: &crate::program::FactDecl,
    b: &mut generate::Bytes<'_>,
) -> crate::program::Value {
    use crate::ast::Ty;
    use crate::num::Money;
    use crate::program::Value;
    use rust_decimal::Decimal;
    const AMOUNTS: [i64; 5] = [0, 500, 2_000_000, 9_000_000, 100_000_000];
    let id = program
        .vocab
        .by_name
        .get(&d.name)
        .copied()
        .unwrap_or_default();
    let fields = program.vocab.fields.get(&id).cloned().unwrap_or_default();
    let items: Vec<Vec<Option<Value>>> = (0..b.pick(4))
        .map(|_| {
            fields
                .iter()
                .map(|&f| {
                    if b.pick(5) == 0 {
                        return None;
                    }
                    Some(match program.vocab.get(f).map(|x| &x.ty) {
                        Some(Ty::Money) => Value::Money(Money(Decimal::from(
                            AMOUNTS.get(b.pick(AMOUNTS.len())).copied().unwrap_or(0),
                        ))),
                        Some(Ty::Enum { values, .. }) => Value::Enum(b.pick(values.len())),
                        _ => Value::Bool(b.pick(2) == 0),
                    })
                })
                .collect()
        })
        .collect();
    Value::List(items.into())
}

fn typed_facts(program: &Program, b: &mut generate::Bytes<'_>) -> Facts {
    use crate::ast::Ty;
    use crate::num::{Money, Ratio};
    use crate::program::Value;
    use rust_decimal::Decimal;
    const AMOUNTS: [i64; 8] = [
        0,
        1,
        500,
        2_000_000,
        5_000_000,
        100_000_000,
        30_000_000_000,
        -3,
    ];
    let one = |d: &crate::program::FactDecl, b: &mut generate::Bytes<'_>| -> Option<Value> {
        let n = Decimal::from(AMOUNTS.get(b.pick(AMOUNTS.len())).copied().unwrap_or(0));
        Some(match &d.ty {
            Ty::Bool => Value::Bool(b.pick(2) == 0),
            Ty::Money => Value::Money(Money(n)),
            Ty::Foreign(c) => Value::Foreign(Money(n), *c),
            Ty::Ratio => Value::Ratio(Ratio(Decimal::new(
                i64::try_from(b.pick(120)).unwrap_or(0),
                2,
            ))),
            Ty::Date => Value::Date(
                NaiveDate::from_ymd_opt(
                    2017 + i32::try_from(b.pick(14)).unwrap_or(0),
                    1 + u32::try_from(b.pick(12)).unwrap_or(0),
                    1,
                )
                .unwrap_or_default(),
            ),
            Ty::Text => Value::Text(["杭州市", "滨江区", ""][b.pick(3)].into()),
            Ty::Quantity(_) => Value::Quantity(Decimal::from(b.pick(40))),
            Ty::Rank => Value::Rank(1 + u32::try_from(b.pick(12)).unwrap_or(0)),
            Ty::Enum { values, .. } => Value::Enum(b.pick(values.len())),
            Ty::List => return None,
        })
    };
    let mut facts = Facts::empty(&program.vocab);
    for (id, d) in program.vocab.facts.iter().enumerate() {
        if b.pick(4) == 0 || d.list.is_some() {
            continue;
        }
        if d.ty == Ty::List {
            facts.set(id, Some(typed_items(program, d, b)));
            continue;
        }
        // One fact in five year by year: one to three years between 2017
        // and 2031 (the dates the properties evaluate on, and the years
        // schedules counted from the generated dates begin in), one of
        // them missing at times.
        if b.pick(5) == 0 {
            let mut years = Vec::new();
            for _ in 0..=b.pick(3) {
                let year = 2017 + i32::try_from(b.pick(15)).unwrap_or(0);
                if years.iter().all(|y: &(i32, Option<Value>)| y.0 != year) {
                    let v = if b.pick(6) == 0 { None } else { one(d, b) };
                    years.push((year, v));
                }
            }
            facts.set_years(id, crate::facts::ByYear::new(years));
            continue;
        }
        facts.set(id, one(d, b));
    }
    facts
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 384,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// 每项 grants of every shape on random lists (items of 0 to 3, fields
    /// missing at random), the entity's own facts all there: the part of
    /// the generated programs that item clauses rarely reach.
    #[test]
    fn item_grants_agree_on_random_lists(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let program = item_program();
        let mut b = generate::Bytes::new(&bytes);
        let mut facts = typed_facts(&program, &mut b);
        for (name, v) in [
            ("高新技术企业", crate::program::Value::Bool(true)),
            ("补贴比例", crate::program::Value::Ratio(crate::num::Ratio(rust_decimal::Decimal::new(2, 1)))),
        ] {
            if let Some(&id) = program.vocab.by_name.get(name) && b.pick(6) != 0 {
                facts.set(id, Some(v));
            }
        }
        let date = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap_or_default();
        agree(&program, &facts, date);
        let mut b = generate::Bytes::new(&bytes);
        let second = typed_facts(&program, &mut b);
        rows_agree(&program, &[&facts, &second, &facts], date, None, true);
    }

    #[test]
    fn flat_and_tree_walker_agree(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        if let Some((program, facts)) = generated(&bytes) {
            for date in [(2019, 6, 1), (2024, 6, 1), (2031, 1, 1)] {
                if let Some(d) = NaiveDate::from_ymd_opt(date.0, date.1, date.2) {
                    agree(&program, &facts, d);
                }
            }
            // More rows from the bytes read backwards.
            let rev: Vec<u8> = bytes.iter().rev().copied().collect();
            let mut b = generate::Bytes::new(&rev);
            let (second, third) = (typed_facts(&program, &mut b), typed_facts(&program, &mut b));
            let date = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap_or_default();
            let rows = [&facts, &second, &second, &third, &facts];
            rows_agree(&program, &rows, date, None, true);
            rows_agree(&program, &rows, date, NaiveDate::from_ymd_opt(2024, 3, 1), true);
        }
    }
}

/// The property above compares something: enough generated programs are
/// accepted with their facts.
#[test]
fn the_generator_reaches_both_evaluators() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = proptest::collection::vec(any::<u8>(), 0..600);
    let mut accepted = 0;
    // Programs with a schedule, with a tiered or cumulative schedule, with
    // a range and with a 额度 among those accepted.
    let (mut schedules, mut ranges, mut quotas) = (0, 0, 0);
    let (mut tiered, mut cumulative, mut this_year) = (0, 0, 0);
    // Programs with `分别 给予 额度`: tiers of a quota.
    let mut quota_tiers = 0;
    // A split of one amount per tier, and a schedule's cap over the year.
    let (mut tiered_split, mut schedule_this_year) = (0, 0);
    for _ in 0..600 {
        let Ok(tree) = strategy.new_tree(&mut runner) else {
            continue;
        };
        if let Some((program, _)) = generated(&proptest::strategy::ValueTree::current(&tree)) {
            accepted += 1;
            let amounts = || {
                program
                    .policies
                    .iter()
                    .flat_map(|p| &p.clauses)
                    .filter_map(|c| match &c.action {
                        crate::program::Action::Grant { amount, .. } => Some(amount),
                        _ => None,
                    })
            };
            use crate::program::GrantAmount;
            schedules += usize::from(amounts().any(|a| matches!(a, GrantAmount::Schedule(_))));
            ranges += usize::from(amounts().any(|a| matches!(a, GrantAmount::Range { .. })));
            let schedule = |f: fn(&crate::program::Schedule) -> bool| {
                usize::from(amounts().any(|a| matches!(a, GrantAmount::Schedule(s) if f(s))))
            };
            tiered += schedule(crate::program::Schedule::tiered);
            cumulative += schedule(|s| s.cumulative.is_some());
            tiered_split += schedule(|s| s.split && s.tiered());
            schedule_this_year += schedule(|s| s.cumulative.as_ref().is_some_and(|c| c.this_year));
            this_year += usize::from(program.policies.iter().flat_map(|p| &p.clauses).any(|c| {
                matches!(
                    &c.action,
                    crate::program::Action::Grant {
                        cumulative: Some(_),
                        ..
                    }
                )
            }));
            quotas += usize::from(
                program
                    .policies
                    .iter()
                    .flat_map(|p| &p.clauses)
                    .any(|c| c.quota().is_some()),
            );
            quota_tiers += usize::from(program.policies.iter().flat_map(|p| &p.clauses).any(|c| {
                c.quota().is_some()
                    && matches!(
                        &c.action,
                        crate::program::Action::Grant {
                            amount: GrantAmount::Tiers { .. },
                            ..
                        }
                    )
            }));
        }
    }
    assert!(
        tiered_split >= 2 && schedule_this_year >= 2,
        "of 600 generated programs, {tiered_split} with a tiered split and {schedule_this_year} with a schedule capped over the year reached evaluation"
    );
    assert!(
        tiered >= 2 && cumulative >= 2 && this_year >= 2,
        "of 600 generated programs, {tiered} with a tiered schedule, {cumulative} with a cap across years and {this_year} with a cap over the year reached evaluation"
    );
    assert!(
        schedules >= 5 && ranges >= 4 && quotas >= 5 && quota_tiers >= 4,
        "of 600 generated programs, {schedules} with a schedule, {ranges} with a range, {quotas} with a 额度 and {quota_tiers} with 分别 给予 额度 reached evaluation"
    );
    assert!(
        accepted >= 100,
        "only {accepted} of 600 generated programs reached evaluation"
    );
}

/// Every 案例 of the shipped policies and examples, and of each case file
/// under tests/cases (one program each, as tests/cases.rs loads them), on
/// both evaluators.
#[test]
fn corpus_cases_agree() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut inputs = vec![root.join("policies"), root.join("examples")];
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("tests/cases"))
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "zc"));
    files.sort();
    assert!(!files.is_empty(), "tests/cases has case files");
    inputs.extend(files);
    for input in &inputs {
        let dir = input.display();
        let checked = crate::load::compile(std::slice::from_ref(input))
            .unwrap_or_else(|_| panic!("{dir} checks"));
        let program = &checked.program;
        assert!(!program.cases.is_empty(), "{dir} has 案例");
        for case in &program.cases {
            let facts = case.facts.row(&program.vocab);
            let date = case
                .date
                .unwrap_or_else(|| NaiveDate::from_ymd_opt(2024, 6, 1).unwrap_or_default());
            let config = EvalConfig {
                explain: true,
                apply_date: case.apply_date,
                ..EvalConfig::on(date)
            };
            let (flat, oracle) = both(program, &facts, &config);
            assert_eq!(flat, oracle, "{dir}: 案例 {}", case.name);
        }
        // The cases' facts as the rows of one register.
        let rows: Vec<Facts> = program
            .cases
            .iter()
            .map(|c| c.facts.row(&program.vocab))
            .collect();
        let rows: Vec<&Facts> = rows.iter().collect();
        for date in [(2019, 6, 1), (2024, 6, 1)] {
            let date = NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap_or_default();
            // The whole corpus is one program: its least budget per row is
            // too dear to search for; the generated programs try budgets.
            rows_agree(program, &rows, date, None, false);
        }
    }
}
