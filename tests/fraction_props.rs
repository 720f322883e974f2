//! Fractions after 的 (`B 的 三分之一`, language.md 7.2) are computed as
//! B × N ÷ M with rust_decimal. A quotient that does not end (1/3) is
//! rounded to 28 significant digits; these properties check that neither
//! a comparison with it nor its rounding to the fen ever differs from the
//! exact answer, worked out here by cross-multiplying integers (i128).

use chrono::NaiveDate;
use proptest::prelude::*;
use zhengce::internals::eval::{EvalConfig, evaluate};
use zhengce::internals::source::SourceFile;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// `n` hundredths or ten-thousandths written in 元: `12.3456元`.
fn yuan(n: i128, places: u32) -> String {
    let unit = 10i128.pow(places);
    let width = usize::try_from(places).unwrap();
    format!("{}.{:0width$}元", n / unit, n % unit)
}

/// The JSON report of `text` evaluated with `facts` on 2024-06-01.
fn report(text: &str, facts: &str) -> serde_json::Value {
    let file = SourceFile::new("p.zc", text);
    let module = zhengce::internals::syntax::parse(&file).unwrap_or_else(|e| panic!("{e:?}"));
    let checked = zhengce::internals::check::check(&[module]).unwrap_or_else(|e| panic!("{e:?}"));
    let facts =
        zhengce::internals::facts::load(&checked.program.vocab, &SourceFile::new("f.json", facts))
            .unwrap_or_else(|e| panic!("{e:?}"));
    let on = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
    let outcome = evaluate(&checked.program, &facts, &EvalConfig::on(on)).unwrap();
    zhengce::internals::report::json(&checked.program, &outcome)
}

fn clause<'a>(json: &'a serde_json::Value, label: &str) -> &'a serde_json::Value {
    json["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clause"] == label)
        .unwrap()
}

proptest! {
    #![proptest_config(config())]

    /// `A 不低于 B 的 M分之N` holds exactly when A × M ≥ B × N, and
    /// `给予 B 的 M分之N` pays B × N ÷ M rounded half up to the fen. A
    /// is written to four places, B to the fen; both up to 10^12 元.
    #[test]
    fn fractions_compare_and_round_as_cross_multiplying_does(
        a in 0i128..10i128.pow(16),
        b in 0i128..10i128.pow(14),
        num in 1u32..1000,
        den in 1u32..1000,
        near in any::<bool>(),
    ) {
        // Half the time A is put next to B × N ÷ M, where a rounded
        // quotient would decide wrongly if it could.
        let a = if near {
            let exact = b * 100 * i128::from(num) / i128::from(den);
            (exact + a % 3 - 1).max(0)
        } else {
            a
        };
        let text = format!(
            "允许 missing-source\n词汇 {{ 甲：是否  A：金额  B：金额 }}\n政策 《分数》 {{\n  \
             “比” 对 A 不低于 B 的 {den}分之{num} 给予 1元\n  \
             “份” 对 甲 给予 B 的 {den}分之{num}\n}}\n"
        );
        let facts = format!(
            "{{\"甲\": true, \"A\": \"{}\", \"B\": \"{}\"}}",
            yuan(a, 4),
            yuan(b, 2)
        );
        let json = report(&text, &facts);
        // A in ten-thousandths, B in hundredths: A × M ≥ B × 100 × N.
        let holds = a * i128::from(den) >= b * 100 * i128::from(num);
        let compared = clause(&json, "比");
        prop_assert_eq!(
            &compared["status"],
            if holds { "applies" } else { "not_applicable" },
            "{} 对 {} 的 {}分之{}", yuan(a, 4), yuan(b, 2), den, num
        );
        // Fen, half up: floor((2x + M) / 2M) for x = B × N in fen.
        let x = b * i128::from(num);
        let fen = (2 * x + i128::from(den)) / (2 * i128::from(den));
        let paid = clause(&json, "份");
        prop_assert_eq!(paid["amount"].as_str().unwrap(), format!("{}.{:02}", fen / 100, fen % 100));
    }
}

proptest! {
    #![proptest_config(config())]

    /// `占比 不低于 M分之N`, a ratio against a fraction standing alone,
    /// holds exactly when the ratio × M ≥ N; `占比 < M分之N` when it is
    /// less. The ratio is written as a per cent to four places.
    #[test]
    fn a_ratio_compares_with_a_fraction_as_cross_multiplying_does(
        r in 0i128..2_000_000,
        num in 1u32..1000,
        den in 1u32..1000,
        near in any::<bool>(),
    ) {
        // Half the time the ratio is put next to N ÷ M (in millionths).
        let r = if near {
            let exact = 1_000_000 * i128::from(num) / i128::from(den);
            (exact + r % 3 - 1).max(0)
        } else {
            r
        };
        let text = format!(
            "允许 missing-source\n词汇 {{ 占比：比例 }}\n政策 《分数》 {{\n  \
             “不低于” 对 占比 不低于 {den}分之{num} 给予 1元\n  \
             “低于” 对 占比 < {den}分之{num} 给予 1元\n}}\n"
        );
        // r millionths = r ÷ 10^4 per cent, written to four places.
        let facts = format!("{{\"占比\": \"{}.{:04}%\"}}", r / 10_000, r % 10_000);
        let json = report(&text, &facts);
        // r / 10^6 ≥ N / M ⇔ r × M ≥ N × 10^6.
        let holds = r * i128::from(den) >= i128::from(num) * 1_000_000;
        let (yes, no) = ("applies", "not_applicable");
        prop_assert_eq!(&clause(&json, "不低于")["status"], if holds { yes } else { no }, "{} {}分之{}", facts, den, num);
        prop_assert_eq!(&clause(&json, "低于")["status"], if holds { no } else { yes }, "{} {}分之{}", facts, den, num);
    }
}
