//! Amounts in a foreign currency through the facts readers (JSON, TOML, a
//! register's cells and header) and the JSON outputs: the currency is read,
//! kept, shown, and never confused with 元.

use std::path::PathBuf;

use zhengce::internals::source::SourceFile;

use crate::common::{clause, eval_json, jsonl_output, render, zhengce};

/// An export subsidy on the 美元 amount converted at a dated rate, and a
/// grant on a 元 amount beside it.
const POLICY: &str = "允许 missing-source
词汇 {
  自营出口额：金额（美元）
  内销额：金额
}
参数 美元汇率 {
  2023年1月1日：7元/美元
  2024年1月1日：7.1元/美元
}
政策 《出口》 {
  “一” 对 自营出口额 达到 300万美元 给予 自营出口额 按 美元汇率 折算 的 0.1%，最高 50万元 补助
  “二” 对 内销额 达到 100万元 给予 1万元 奖励
}
";

fn facts_errors(name: &str, text: &str) -> Vec<String> {
    let file = SourceFile::new("t.zc", POLICY);
    let module = zhengce::internals::syntax::parse(&file).unwrap();
    let checked = zhengce::internals::check::check(&[module]).unwrap_or_else(|_| panic!());
    let facts = SourceFile::new(name, text);
    match zhengce::internals::facts::load(&checked.program.vocab, &facts) {
        Ok(_) => vec![],
        Err(es) => es.iter().map(|e| render(e)).collect(),
    }
}

#[test]
fn json_reads_the_currency_or_a_bare_number_in_it() {
    // 520万美元 × 7.1 = 3692万元; × 0.1% = 36920元, under the 50万元 cap.
    for value in [
        "\"520万美元\"",
        "\"5200000美元\"",
        "\"5200000.00美元\"",
        "5200000",
    ] {
        let facts = format!(r#"{{"自营出口额": {value}, "内销额": "200万元"}}"#);
        let r = eval_json(POLICY, &facts, "2024-06-01");
        assert_eq!(clause(&r, "一")["amount"], "36920.00", "{value}");
        assert_eq!(clause(&r, "二")["amount"], "10000.00", "{value}");
    }
}

#[test]
fn the_rate_in_force_on_the_day_converts() {
    // 2023年12月31日: 7元/美元, 520万 × 7 = 3640万元; × 0.1% = 36400元.
    let r = eval_json(POLICY, r#"{"自营出口额": "520万美元"}"#, "2023-12-31");
    assert_eq!(clause(&r, "一")["amount"], "36400.00");
    let r = eval_json(POLICY, r#"{"自营出口额": "520万美元"}"#, "2024-01-01");
    assert_eq!(clause(&r, "一")["amount"], "36920.00");
}

#[test]
fn toml_reads_the_currency() {
    let errors = facts_errors("facts.toml", "\"自营出口额\" = \"520万美元\"\n");
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn yuan_or_another_currency_for_a_dollar_fact_is_refused() {
    for (value, says) in [
        ("\"520万元\"", "以元计"),
        ("\"5200000元\"", "以元计"),
        ("\"520万欧元\"", "以欧元计"),
        ("\"美元\"", "不是合法的数值"),
        ("true", "不是美元金额"),
    ] {
        let errors = facts_errors("facts.json", &format!(r#"{{"自营出口额": {value}}}"#));
        assert_eq!(errors.len(), 1, "{value}: {errors:?}");
        let e = &errors[0];
        assert!(e.contains("zc::facts::bad_value"), "{value}: {e}");
        assert!(e.contains(says), "{value}: {e}");
        assert!(e.contains("金额(美元)"), "{value}: {e}");
    }
    // The same in TOML.
    let errors = facts_errors("facts.toml", "\"自营出口额\" = \"520万元\"\n");
    assert!(
        errors.len() == 1 && errors[0].contains("zc::facts::bad_value"),
        "{errors:?}"
    );
}

#[test]
fn a_dollar_amount_written_for_a_yuan_fact_is_refused() {
    let errors = facts_errors("facts.json", r#"{"内销额": "200万美元"}"#);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("zc::facts::bad_value"), "{}", errors[0]);
}

/// A file of this test file's own.
fn scratch(name: &str, text: &str) -> PathBuf {
    crate::common::scratch("currency", name, text)
}

#[test]
fn match_json_shows_the_fact_in_its_currency() {
    let policy = scratch("match.zc", POLICY);
    let facts = scratch(
        "match.json",
        r#"{"自营出口额": "280万美元", "内销额": "200万元"}"#,
    );
    let out = zhengce(&[
        "match",
        policy.to_str().unwrap(),
        "--facts",
        facts.to_str().unwrap(),
        "--date",
        "2024-06-01",
        "--format",
        "json",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let near = &json["near_miss"][0]["gaps"][0];
    // 300万美元 − 280万美元 = 20万美元 short.
    assert_eq!(near["value"], "2800000.00美元", "{json:#}");
    assert_eq!(near["needed"], "3000000.00美元", "{json:#}");
    assert_eq!(near["gap"], "200000.00美元", "{json:#}");
    // At the threshold: 300万 × 7.1 = 2130万元; × 0.1% = 21300元.
    assert_eq!(json["near_miss"][0]["would_pay"], "21300.00", "{json:#}");
}

#[test]
fn a_register_header_may_carry_the_currency() {
    let policy = scratch("batch.zc", POLICY);
    let register = scratch(
        "batch.csv",
        "自营出口额（美元）,内销额（万元）\n5200000,200\n\"2,800,000\",50\n",
    );
    let rows = jsonl_output("batch", &policy, &register, "2024-06-01");
    assert_eq!(rows.len(), 2, "{rows:?}");
    // Row 1: 36920元 + 10000元. Row 2: 280万美元 < 300万美元, 50万元 < 100万元.
    assert_eq!(rows[0]["合计"], "46920.00", "{rows:?}");
    assert_eq!(rows[1]["合计"], "0.00", "{rows:?}");

    let wrong = scratch("batch_eur.csv", "自营出口额（欧元）\n5200000\n");
    let out = zhengce(&[
        "batch",
        policy.to_str().unwrap(),
        "--facts",
        wrong.to_str().unwrap(),
        "--date",
        "2024-06-01",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("zc::batch::header_unit") && err.contains("以美元计"),
        "{err}"
    );
}
