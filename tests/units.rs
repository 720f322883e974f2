//! Declared units (`单位 艘、宗`) and per-block amounts (`每10人`,
//! `每万平方米`, whole blocks only `每满10人`) through the facts readers (JSON, TOML, a register's cells),
//! the derivation shown by `--explain`, and the formatter.

use std::path::PathBuf;

use zhengce::internals::fmt::format;
use zhengce::internals::source::SourceFile;

use crate::common::{clause, eval_json, jsonl_output, render, zhengce};

const POLICY: &str = "允许 missing-source
词汇 {
  单位 艘、宗
  船舶数：数量（艘）
  案件数：数量（宗）
  新增就业人数：数量（人）
  厂房面积：数量（平方米）
}
政策 《单位》 {
  施行 2025年1月1日 至 2025年12月31日
  “船” 对 船舶数 达到 5艘 给予 每艘 2万元，最高 20万元
  “案” 对 案件数 超过 10宗 给予 5万元
  “就业” 对 新增就业人数 达到 0人 给予 按 新增就业人数 每10人 1万元
  “厂房” 对 厂房面积 超过 0平方米 给予 按 厂房面积 每万平方米 5万元
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
fn json_reads_a_declared_unit_or_a_bare_number() {
    // 6 × 2万元 = 12万元; 11 > 10: 5万元; 25 ÷ 10 × 1万元 = 2.5万元;
    // 25000 ÷ 10000 × 5万元 = 12.5万元.
    for (ships, cases) in [("\"6艘\"", "\"11宗\""), ("6", "11"), ("\"6\"", "11")] {
        let facts = format!(
            r#"{{"船舶数": {ships}, "案件数": {cases}, "新增就业人数": "25人", "厂房面积": "25000平方米"}}"#
        );
        let r = eval_json(POLICY, &facts, "2025-06-01");
        assert_eq!(clause(&r, "船")["amount"], "120000.00", "{ships}");
        assert_eq!(clause(&r, "案")["amount"], "50000.00", "{cases}");
        assert_eq!(clause(&r, "就业")["amount"], "25000.00");
        assert_eq!(clause(&r, "厂房")["amount"], "125000.00");
    }
}

#[test]
fn wan_before_the_unit_multiplies_in_facts_files() {
    // 2.5万平方米 = 25000平方米: 25000 ÷ 10000 × 5万元 = 12.5万元; 1万艘 ×
    // 2万元 is over the 20万元 cap.
    let facts = r#"{"船舶数": "1万艘", "案件数": 0, "新增就业人数": 0, "厂房面积": "2.5万平方米"}"#;
    let r = eval_json(POLICY, facts, "2025-06-01");
    assert_eq!(clause(&r, "厂房")["amount"], "125000.00");
    assert_eq!(clause(&r, "船")["amount"], "200000.00");
    // 万 on a bare number is refused: it is not the fact's unit.
    let errors = facts_errors("facts.json", r#"{"厂房面积": "2.5万"}"#);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("zc::facts::bad_value"), "{}", errors[0]);
}

#[test]
fn toml_reads_a_declared_unit() {
    let errors = facts_errors("facts.toml", "\"船舶数\" = \"3艘\"\n\"案件数\" = 2\n");
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn another_unit_for_a_declared_unit_fact_is_refused() {
    for value in ["\"3宗\"", "\"3辆\"", "\"艘\""] {
        let errors = facts_errors("facts.json", &format!(r#"{{"船舶数": {value}}}"#));
        assert_eq!(errors.len(), 1, "{value}: {errors:?}");
        assert!(
            errors[0].contains("zc::facts::bad_value"),
            "{value}: {}",
            errors[0]
        );
        assert!(errors[0].contains("以艘计"), "{value}: {}", errors[0]);
    }
}

/// A file of this test file's own.
fn scratch(name: &str, text: &str) -> PathBuf {
    crate::common::scratch("units", name, text)
}

#[test]
fn a_register_reads_declared_units_in_cells() {
    let policy = scratch("batch.zc", POLICY);
    // Row 1: 3艘 < 5, 11宗 > 10 → 5万元; 7 ÷ 10 × 1万元 = 7000元.
    // Row 2: 6 × 2万元 = 12万元; 0人 → 0元.
    let register = scratch(
        "batch.csv",
        "船舶数,案件数,新增就业人数,厂房面积\n3艘,11宗,7,0\n6,0,0人,0\n",
    );
    let rows = jsonl_output("batch", &policy, &register, "2025-06-01");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0]["合计"], "57000.00", "{rows:?}");
    assert_eq!(rows[1]["合计"], "120000.00", "{rows:?}");
}

#[test]
fn explain_shows_the_block_division() {
    let policy = scratch("explain.zc", POLICY);
    let facts = scratch(
        "explain.json",
        r#"{"船舶数": 6, "案件数": 0, "新增就业人数": 25, "厂房面积": "25000平方米"}"#,
    );
    let out = zhengce(&[
        "eval",
        policy.to_str().unwrap(),
        "--facts",
        facts.to_str().unwrap(),
        "--date",
        "2025-06-01",
        "--explain",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    for step in [
        "船舶数 6艘 × 每艘 2万元 = 12万元",
        "新增就业人数 25人 ÷ 10人 × 1万元 = 2.5万元",
        "厂房面积 25000平方米 ÷ 1万平方米 × 5万元 = 12.5万元",
    ] {
        assert!(text.contains(step), "missing “{step}” in:\n{text}");
    }
}

#[test]
fn unit_declarations_and_blocks_format_and_round_trip() {
    let loose = "词汇 {单位   艘 、宗\n船舶数:数量(艘)\n}\n对 船舶数 达到 1艘 给予 每 10000艘 1万元\n对 船舶数 达到 1艘 给予 每20000艘 1万元\n对 船舶数 达到 1艘 给予 每 10艘 1万元\n";
    let once = format(&SourceFile::new("t.zc", loose)).unwrap();
    assert!(once.contains("  单位 艘、宗\n"), "{once}");
    assert!(once.contains("每万艘 1万元"), "{once}");
    assert!(once.contains("每2万艘 1万元"), "{once}");
    assert!(once.contains("每10艘 1万元"), "{once}");
    let twice = format(&SourceFile::new("t.zc", once.clone())).unwrap();
    assert_eq!(once, twice);
    // The case file is written as the formatter writes it.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases/单位.zc");
    let text = std::fs::read_to_string(path).unwrap();
    assert_eq!(format(&SourceFile::new(path, text.clone())).unwrap(), text);
}

#[test]
fn what_parsed_before_units_were_open_reads_the_same() {
    // A built-in unit before a reserved word still ends there, and a fact
    // named 单位 is still a fact.
    let src = "允许 missing-source
词汇 {
  员工人数：数量（人）
  单位：文本
}
政策 《旧》 {
  施行 2025年1月1日 至 2025年12月31日
  “一” 对 员工人数 10人以上 且 单位 为 “甲” 给予 1万元
}
";
    let r = eval_json(src, r#"{"员工人数": 10, "单位": "甲"}"#, "2025-06-01");
    assert_eq!(clause(&r, "一")["amount"], "10000.00");
    let r = eval_json(src, r#"{"员工人数": 9, "单位": "甲"}"#, "2025-06-01");
    assert_eq!(clause(&r, "一")["status"], "not_applicable");
}

#[test]
fn a_fact_named_with_mei_is_still_the_counted_one() {
    // 每日产量 reads as 每 and a run of ideographs; before 每吨 it is the
    // counted fact: 30 × 2元 = 60元.
    let src = "允许 missing-source
词汇 {
  每日产量：数量（吨）
}
政策 《每》 {
  施行 2025年1月1日 至 2025年12月31日
  “一” 对 每日产量 达到 1吨 给予 按 每日产量 每吨 2元
  “二” 对 每日产量 达到 1吨 给予 每日产量 每10吨 1元
}
";
    let r = eval_json(src, r#"{"每日产量": 30}"#, "2025-06-01");
    assert_eq!(clause(&r, "一")["amount"], "60.00");
    // 30 ÷ 10 × 1元 = 3元.
    assert_eq!(clause(&r, "二")["amount"], "3.00");
}

#[test]
fn explain_shows_whole_blocks_floored() {
    let src = "允许 missing-source
词汇 {
  新增就业人数：数量（人）
  厂房面积：数量（平方米）
}
政策 《整块》 {
  施行 2025年1月1日 至 2025年12月31日
  “就业” 对 新增就业人数 达到 0人 给予 按 新增就业人数 每满10人 1万元
  “厂房” 对 厂房面积 超过 0平方米 给予 按 厂房面积 每满平方米 2元
}
";
    let policy = scratch("whole.zc", src);
    let facts = scratch("whole.json", r#"{"新增就业人数": 25, "厂房面积": 25.5}"#);
    let out = zhengce(&[
        "eval",
        policy.to_str().unwrap(),
        "--facts",
        facts.to_str().unwrap(),
        "--date",
        "2025-06-01",
        "--explain",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    // 25 ÷ 10 = 2.5 → 2 blocks, 2 × 1万元; 25.5 → 25, 25 × 2元 = 50元.
    for step in [
        "新增就业人数 25人 ÷ 10人 取整 2 × 1万元 = 2万元",
        "厂房面积 25.5平方米 取整 25 × 每平方米 2元 = 50元",
    ] {
        assert!(text.contains(step), "missing “{step}” in:\n{text}");
    }
}

#[test]
fn whole_blocks_format_as_mei_man_and_round_trip() {
    let loose = "词汇 {\n船舶数:数量(艘)\n单位 艘\n}\n对 船舶数 达到 1艘 给予 每 满10000艘 1万元\n对 船舶数 达到 1艘 给予 每满 10艘 1万元\n对 船舶数 达到 1艘 给予 每满艘 1万元\n";
    let once = format(&SourceFile::new("t.zc", loose)).unwrap();
    assert!(once.contains("每满万艘 1万元"), "{once}");
    assert!(once.contains("每满10艘 1万元"), "{once}");
    assert!(once.contains("每满艘 1万元"), "{once}");
    let twice = format(&SourceFile::new("t.zc", once.clone())).unwrap();
    assert_eq!(once, twice);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases/整块.zc");
    let text = std::fs::read_to_string(path).unwrap();
    assert_eq!(format(&SourceFile::new(path, text.clone())).unwrap(), text);
}
