//! Facts given year by year (按年) through the facts readers (JSON, TOML,
//! JSON Lines): a condition reads the evaluation date's year, each year of
//! a schedule the calendar year it begins in, and a year not given is
//! missing. The 案例 form is in tests/cases/按年.zc.

use std::path::{Path, PathBuf};

use crate::common::{clause, eval_json, json_output, jsonl_output, zhengce};

const POLICY: &str = "允许 missing-source
词汇 {
  总部企业：是否
  落户日期：日期
  年度贡献：金额
  规上企业：是否
  营业收入：金额
  项目：列表 { 项目投资额：金额 }
}
政策 《总部》 {
  “一” 对 总部企业 给予 自 落户日期 起 前3年 每年 年度贡献 的 80%，后2年 每年 年度贡献 的 50%，每年 最高 5000万元 奖励
}
政策 《规上》 {
  “二” 对 规上企业 且 营业收入 不低于 2000万元 给予 营业收入 的 1% 奖励
  “三” 对 规上企业 给予 每项 项目 按 项目投资额 的 10% 资助
}
";

/// Without the list, which a CSV register cannot hold.
const CSV_POLICY: &str = "允许 missing-source
词汇 { 规上企业：是否  营业收入：金额 }
政策 《规上》 {
  “二” 对 规上企业 且 营业收入 不低于 2000万元 给予 营业收入 的 1% 奖励
}
";

/// A file of this test file's own.
fn scratch(name: &str, text: &str) -> PathBuf {
    crate::common::scratch("by_year", name, text)
}

/// `zhengce <command> <policy> --facts <facts> --date <date> <more…>`.
fn run(
    command: &str,
    policy: &Path,
    facts: &Path,
    date: &str,
    more: &[&str],
) -> std::process::Output {
    let mut args = vec![
        command,
        policy.to_str().unwrap(),
        "--facts",
        facts.to_str().unwrap(),
        "--date",
        date,
    ];
    args.extend_from_slice(more);
    zhengce(&args)
}

#[test]
fn each_year_of_a_schedule_is_paid_on_its_own_figures() {
    let facts = r#"{"总部企业": true, "落户日期": "2023-07-01",
        "年度贡献": {"2023": "1000万元", "2024年": "2000万元", "2025": "8000万元", "2026": null}}"#;
    // 2024-05-01 is in year 1 (2023-07-01 to 2024-06-30), which began in
    // 2023: 1000万元 × 80% = 800万元.
    let r = eval_json(POLICY, facts, "2024-05-01");
    let c = clause(&r, "一");
    assert_eq!(c["amount"], "8000000.00", "{c:#}");
    let paid: Vec<serde_json::Value> = c["schedule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y["amount"].clone())
        .collect();
    // Year 2 reads 2024: 2000万元 × 80% = 1600万元. Year 3 reads 2025:
    // 8000万元 × 80% = 6400万元, capped at 5000万元. Year 4 reads 2026,
    // given as null, and year 5 reads 2027, not given: both open.
    assert_eq!(
        paid,
        serde_json::json!(["8000000.00", "16000000.00", "50000000.00", null, null])
            .as_array()
            .unwrap()
            .clone(),
        "{c:#}"
    );
    assert_eq!(r["total"], "8000000.00", "{r:#}");

    // In year 4 the figure is missing: the clause waits for it.
    let r = eval_json(POLICY, facts, "2026-08-01");
    let c = clause(&r, "一");
    assert_eq!(c["status"], "undecided", "{c:#}");
    assert_eq!(c["missing"], serde_json::json!(["年度贡献"]), "{c:#}");
}

#[test]
fn a_condition_reads_the_evaluation_year() {
    let facts = r#"{"规上企业": {"2023": false, "2024": true},
        "营业收入": {"2023": "1500万元", "2024": "3000万元"}}"#;
    // 2024: 3000万元 ≥ 2000万元, 3000万元 × 1% = 30万元.
    let r = eval_json(POLICY, facts, "2024-06-01");
    assert_eq!(clause(&r, "二")["amount"], "300000.00");
    // 2023: not 规上 that year.
    let r = eval_json(POLICY, facts, "2023-06-01");
    assert_eq!(clause(&r, "二")["status"], "not_applicable");
    // 2025: neither is given.
    let r = eval_json(POLICY, facts, "2025-06-01");
    let c = clause(&r, "二");
    assert_eq!(c["status"], "undecided", "{c:#}");
    assert_eq!(
        c["missing"],
        serde_json::json!(["规上企业", "营业收入"]),
        "{c:#}"
    );
}

#[test]
fn toml_reads_a_table_or_an_inline_table_by_year() {
    let policy = scratch("toml.zc", POLICY);
    for (name, text) in [
        (
            "table.toml",
            "\"规上企业\" = true\n\n[\"营业收入\"]\n2023 = \"1500万元\"\n2024 = 30_000_000\n",
        ),
        (
            "inline.toml",
            "\"规上企业\" = true\n\"营业收入\" = { 2023 = \"1500万元\", \"2024年\" = \"3000万元\" }\n",
        ),
    ] {
        let facts = scratch(name, text);
        // 3000万元 × 1% = 30万元.
        let r = json_output("eval", &policy, &facts, "2024-06-01");
        assert_eq!(clause(&r, "二")["amount"], "300000.00", "{name}: {r:#}");
    }
}

#[test]
fn a_jsonl_register_reads_a_fact_by_year_row_by_row() {
    let policy = scratch("batch.zc", POLICY);
    let register = scratch(
        "batch.jsonl",
        concat!(
            r#"{"规上企业": true, "营业收入": {"2023": "1500万元", "2024": "3000万元"}}"#,
            "\n",
            r#"{"规上企业": true, "营业收入": "2500万元"}"#,
            "\n",
            r#"{"规上企业": true, "营业收入": {"2023": "9000万元"}}"#,
            "\n"
        ),
    );
    let rows = jsonl_output("batch", &policy, &register, "2024-06-01");
    // Row 1 reads 2024: 30万元. Row 2 one value: 2500万元 × 1% = 25万元.
    // Row 3 has no 2024: open, and the table of row 1 is not left behind.
    assert_eq!(rows[0]["《规上》二"], "300000.00", "{rows:?}");
    assert_eq!(rows[1]["《规上》二"], "250000.00", "{rows:?}");
    assert_eq!(rows[2]["《规上》二"], serde_json::Value::Null, "{rows:?}");
    let missing = rows[2]["missing"].as_array().unwrap();
    assert!(missing.contains(&"营业收入".into()), "{rows:?}");
}

#[test]
fn a_csv_register_gives_a_year_in_the_header() {
    let policy = scratch("csv.zc", CSV_POLICY);
    let register = scratch(
        "years.csv",
        "id,规上企业,2023年营业收入,2024年营业收入（万元）\n\
         a,是,1500万元,3000\n\
         b,是,9000万元,\n\
         c,是,2500万元,2500\n",
    );
    // On 2024-06-01 the 2024 column is read: a 3000万元 (the header's
    // unit) × 1% = 30万元; b has no 2024 figure; c 2500万元 × 1% = 25万元.
    let rows = jsonl_output("batch", &policy, &register, "2024-06-01");
    assert_eq!(rows[0]["二"], "300000.00", "{rows:?}");
    assert_eq!(rows[1]["二"], serde_json::Value::Null, "{rows:?}");
    assert_eq!(rows[2]["二"], "250000.00", "{rows:?}");
    // On 2023-06-01 the 2023 column: a 1500万元 < 2000万元, not paid;
    // b 9000万元 × 1% = 90万元; c 2500万元 × 1% = 25万元.
    let rows = jsonl_output("batch", &policy, &register, "2023-06-01");
    assert_eq!(rows[0]["二"], serde_json::Value::Null, "{rows:?}");
    assert_eq!(rows[0]["status"], "not_applicable", "{rows:?}");
    assert_eq!(rows[1]["二"], "900000.00", "{rows:?}");
    assert_eq!(rows[2]["二"], "250000.00", "{rows:?}");

    for (name, header) in [
        (
            "twice.csv",
            "规上企业,2024年营业收入,2024年营业收入（万元）",
        ),
        ("both.csv", "规上企业,营业收入,2024年营业收入"),
    ] {
        let register = scratch(name, &format!("{header}\n是,1,2\n"));
        let out = run("batch", &policy, &register, "2024-06-01", &[]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("zc::batch::duplicate_column"), "{name}: {err}");
    }
}

#[test]
fn a_bad_table_by_year_is_a_coded_error_naming_the_year() {
    let policy = scratch("bad.zc", POLICY);
    for (name, facts, code, words) in [
        (
            "bad_year.json",
            r#"{"营业收入": {"二〇二四": "3000万元"}}"#,
            "zc::facts::bad_value",
            "“二〇二四”不是年份",
        ),
        (
            "bad_value.json",
            r#"{"营业收入": {"2023": "1500万元", "2024": "3000亩"}}"#,
            "zc::facts::bad_value",
            "2024年：",
        ),
        (
            "list.json",
            r#"{"项目": {"2024": [{"项目投资额": "300万元"}]}}"#,
            "zc::facts::bad_value",
            "列表事实“项目”应是各项的数组",
        ),
        (
            "twice.json",
            r#"{"营业收入": {"2024": "1500万元", "2024年": "3000万元"}}"#,
            "zc::facts::duplicate_key",
            "营业收入.2024年",
        ),
    ] {
        let facts = scratch(name, facts);
        let out = run("eval", &policy, &facts, "2024-06-01", &[]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(code) && err.contains(words), "{name}: {err}");
    }

    let register = scratch(
        "twice.jsonl",
        "{\"规上企业\": true, \"营业收入\": {\"2024\": \"1500万元\", \"2024\": \"3000万元\"}}\n",
    );
    let out = run(
        "batch",
        &policy,
        &register,
        "2024-06-01",
        &["--format", "jsonl"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("zc::batch::duplicate_key") && err.contains("营业收入.2024"),
        "{err}"
    );
}

#[test]
fn explain_names_the_year_read() {
    let policy = scratch("explain.zc", POLICY);
    let facts = scratch(
        "explain.json",
        r#"{"总部企业": {"2024": true}, "落户日期": "2023-07-01",
            "年度贡献": {"2023": "1000万元", "2024": "2000万元"}}"#,
    );
    let out = run("eval", &policy, &facts, "2024-05-01", &["--explain"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for line in [
        "总部企业 = 是（按年，2024年）",
        "第 1 年开始于 2023年：按年填写的事实读 2023年 的值",
        "年度贡献 1000万元 × 80% = 800万元",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
}
