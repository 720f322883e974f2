//! Money properties (issue 8): unit conversions are exact, display rounds
//! half-up to the fen, totals are rounded once from exact values, shares
//! add up, and no float appears anywhere in `src/`.
//!
//! Expected values are computed here with integer arithmetic on mantissas
//! (i128), independently of rust_decimal's own operations.

use std::path::Path;

use proptest::prelude::*;
use rust_decimal::Decimal;
use zhengce::internals::num::{Money, Ratio, split_largest_remainder};
use zhengce::internals::source::SourceFile;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// `mantissa × 10^-scale`, as rust_decimal holds it.
fn dec(mantissa: i128, scale: u32) -> Decimal {
    Decimal::from_i128_with_scale(mantissa, scale)
}

/// Rounds `mantissa × 10^-scale` half-up (away from zero at the midpoint)
/// to the fen, and writes it with exactly two decimals: integer arithmetic
/// only.
fn fen_string(mantissa: i128, scale: u32) -> String {
    let cents = if scale <= 2 {
        mantissa * 10i128.pow(2 - scale)
    } else {
        let unit = 10i128.pow(scale - 2);
        let (q, r) = (mantissa / unit, mantissa % unit);
        if 2 * r.abs() >= unit {
            q + mantissa.signum()
        } else {
            q
        }
    };
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

proptest! {
    #![proptest_config(config())]

    /// `n元`, `n万元` and `n亿元` are n × 1, 10⁴ and 10⁸ 元 exactly, whether
    /// written as text or built from parts, and the units agree with each
    /// other.
    #[test]
    fn unit_conversions_are_exact(mantissa in 0i64..=i64::MAX, scale in 0u32..=12) {
        let n = dec(i128::from(mantissa), scale);
        for (unit, power) in [("元", 0u32), ("万元", 4), ("亿元", 8)] {
            let expected = if scale >= power {
                dec(i128::from(mantissa), scale - power)
            } else {
                dec(i128::from(mantissa) * 10i128.pow(power - scale), 0)
            };
            prop_assert_eq!(Money::from_parts(n, unit), Ok(Money(expected)));
            prop_assert_eq!(Money::parse(&format!("{n}{unit}")), Ok(Money(expected)));
        }
        let yi = Money::from_parts(n, "亿元").unwrap();
        let wan = Money::from_parts(Money::from_parts(n, "万元").unwrap().0, "万元").unwrap();
        prop_assert_eq!(yi, wan);
    }

    /// Amounts beyond rust_decimal's range once converted to 元 are
    /// refused, never wrapped or rounded.
    #[test]
    fn conversions_beyond_range_are_refused(m in (Decimal::MAX.mantissa() / 10_000 + 1)..=Decimal::MAX.mantissa()) {
        prop_assert!(Money::from_parts(dec(m, 0), "万元").is_err());
        prop_assert!(Money::from_parts(dec(m, 0), "亿元").is_err());
        let text = format!("{m}万元");
        prop_assert!(Money::parse(&text).is_err());
    }

    /// Display rounds half-up (at .5 of a fen, away from zero) to the fen.
    #[test]
    fn display_rounds_half_up_to_the_fen(mantissa in any::<i64>(), scale in 0u32..=10) {
        let m = Money(dec(i128::from(mantissa), scale));
        prop_assert_eq!(m.to_yuan_string(), fen_string(i128::from(mantissa), scale));
    }

    /// Percentages and per mille convert exactly: `p%` is p / 100.
    #[test]
    fn ratios_convert_exactly(mantissa in 0i64..=i64::MAX, scale in 0u32..=20) {
        let n = dec(i128::from(mantissa), scale);
        prop_assert_eq!(Ratio::from_parts(n, "%"), Ok(Ratio(dec(i128::from(mantissa), scale + 2))));
        prop_assert_eq!(Ratio::from_parts(n, "‰"), Ok(Ratio(dec(i128::from(mantissa), scale + 3))));
    }

    /// Largest remainder: the parts, each in whole fen, add up to the
    /// amount rounded to the fen, and no part is off its exact share by a
    /// fen or more.
    #[test]
    fn shares_add_up_to_the_rounded_amount(
        mantissa in 0i64..1_000_000_000_000,
        scale in 0u32..=4,
        weights in proptest::collection::vec(1u32..100, 1..6),
    ) {
        let total = Money(dec(i128::from(mantissa), scale));
        let ws: Vec<Decimal> = weights.iter().map(|w| Decimal::from(*w)).collect();
        let parts = split_largest_remainder(total, &ws).unwrap();
        let sum: Decimal = parts.iter().map(|p| p.0).sum();
        prop_assert_eq!(sum, total.rounded());
        let wsum: Decimal = ws.iter().copied().sum();
        for (p, w) in parts.iter().zip(&ws) {
            prop_assert_eq!(p.0, p.0.round_dp(2));
            let exact = total.rounded() * *w / wsum;
            prop_assert!((p.0 - exact).abs() < Decimal::new(1, 2));
        }
    }

    /// The total shown is the exact total rounded once, not the sum of the
    /// clause amounts each rounded: with three clauses of 0.005 元 each, the
    /// rounded parts would show 0.03 where the exact total is 0.015 → 0.02.
    #[test]
    fn the_total_is_rounded_once(amounts in proptest::collection::vec((0i64..10_000_000, 0u32..=5), 1..6)) {
        let mut text = String::from("词汇 { 高新技术企业: 是否 }\n");
        let mut exact = Decimal::ZERO;
        for (m, s) in &amounts {
            let d = dec(i128::from(*m), *s);
            exact += d;
            text.push_str(&format!("对 高新技术企业 给予 {d}元\n"));
        }
        let module = zhengce::internals::syntax::parse(&SourceFile::new("t.zc", text)).unwrap();
        let checked = zhengce::internals::check::check(&[module]).unwrap();
        let facts = zhengce::internals::facts::load(
            &checked.program.vocab,
            &SourceFile::new("f.json", r#"{"高新技术企业": true}"#),
        )
        .unwrap();
        let config = zhengce::internals::eval::EvalConfig::on(chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap());
        let outcome = zhengce::internals::eval::evaluate(&checked.program, &facts, &config).unwrap();
        let report = zhengce::internals::report::json(&checked.program, &outcome);
        prop_assert_eq!(outcome.total, Money(exact));
        prop_assert_eq!(
            report["total"].as_str().unwrap(),
            fen_string(exact.mantissa(), exact.scale())
        );
    }
}

#[test]
fn rounding_once_differs_from_adding_rounded_parts() {
    // The example in the doc comment above, pinned.
    let part = Money(Decimal::new(5, 3));
    assert_eq!(part.to_yuan_string(), "0.01");
    let total = Money(part.0 * Decimal::from(3));
    assert_eq!(total.to_yuan_string(), "0.02");
}

// ───────────── no float on the money path ─────────────

/// The code of a Rust file with comments, string and character literals
/// blanked out, so that prose such as “不是 f64” cannot trip the scan and
/// the scan cannot miss code hidden behind a quote.
fn code_only(src: &str) -> String {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == 'r' && matches!(next, Some('"' | '#')) && !prev_is_ident(&chars, i) {
            // Raw string r"…" / r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && is_char_literal(&chars, i) {
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("' '");
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn prev_is_ident(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// `'x'`, `'\n'`, `'\u{3000}'` as opposed to a lifetime `'a`.
fn is_char_literal(chars: &[char], i: usize) -> bool {
    matches!(
        (chars.get(i + 1), chars.get(i + 2)),
        (Some('\\'), _) | (Some(_), Some('\''))
    )
}

/// Float types, conversions and literals in code.
fn float_uses(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let words: Vec<&str> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .filter(|w| !w.is_empty())
        .collect();
    for w in words {
        let lower = w.to_lowercase();
        // f32/f64 anywhere in a word: the types, `as f64`, `to_f64`,
        // `from_f64`, `as_f64`, `1.0f64`.
        if lower.contains("f32") || lower.contains("f64") {
            found.push(w.to_string());
            continue;
        }
        // A float literal: digits, a point, digits (`0.5`, `1.5e3`), not a
        // method call on an integer (`1.max`) or a tuple field (`x.0`);
        // or digits with an exponent (`1e5`, and `1e` of `1e-5`).
        let first = w.chars().next().unwrap_or(' ');
        let exponent = w.trim_start_matches(|c: char| c.is_ascii_digit() || c == '_');
        if first.is_ascii_digit()
            && !lower.starts_with("0x")
            && (exponent.starts_with(['e', 'E'])
                && exponent.chars().skip(1).all(|c| c.is_ascii_digit()))
        {
            found.push(w.to_string());
            continue;
        }
        if first.is_ascii_digit()
            && let Some((int, frac)) = w.split_once('.')
        {
            let frac_digits = frac.chars().next().is_some_and(|c| c.is_ascii_digit());
            if int.chars().all(|c| c.is_ascii_digit() || c == '_') && frac_digits {
                found.push(w.to_string());
            }
        }
    }
    found
}

/// Files under `src/` allowed to use floats, each with the reason. The
/// money path allows none; nothing outside it needs one yet.
const FLOAT_ALLOWED: &[(&str, &str)] = &[];

#[test]
fn no_float_anywhere_in_src() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    assert!(files.len() > 10, "src/ not found");
    let mut offences = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if FLOAT_ALLOWED.iter().any(|(p, _)| *p == rel) {
            continue;
        }
        let uses = float_uses(&code_only(&std::fs::read_to_string(f).unwrap()));
        if !uses.is_empty() {
            offences.push(format!("src/{rel}: {uses:?}"));
        }
    }
    assert!(
        offences.is_empty(),
        "floats in src/ (money must stay exact; allow-list a file in FLOAT_ALLOWED only \
         off the money path, with a reason):\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_float_scan_finds_floats_and_ignores_prose() {
    let found = |s: &str| float_uses(&code_only(s));
    assert_eq!(found("let x: f64 = 1.0;"), vec!["f64", "1.0"]);
    assert_eq!(found("let y = n as f32;"), vec!["f32"]);
    assert_eq!(found("let z = d.to_f64();"), vec!["d.to_f64"]);
    assert_eq!(found("let w = v.as_f64();"), vec!["v.as_f64"]);
    assert_eq!(
        found("let e = 1e5 + 2.5e3 - 1e-5;"),
        vec!["1e5", "2.5e3", "1e"]
    );
    assert!(found("let h = 0x1e5; let u = 10_000u32;").is_empty());
    assert!(found("// not a f64\nlet s = \"1.5万元 f64\"; let c = '.'; let t = x.0;").is_empty());
    assert!(found("let r = r#\"f64 \"quoted\" 0.5\"#; fn f<'a>(x: &'a str) {}").is_empty());
    assert!(found("let n = 1.max(2); let m = 10_000;").is_empty());
}
