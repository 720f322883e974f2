//! List facts through the facts readers (JSON, TOML, JSON Lines) and the
//! 每项 grant's JSON output; a CSV register for such a policy is refused.

use std::path::PathBuf;

use crate::common::{clause, eval_json, json_output, jsonl_output, zhengce};

const POLICY: &str = "允许 missing-source
词汇 {
  高新技术企业：是否
  项目：列表 { 项目投资额：金额  项目类别：重点 | 一般  已验收：是否 }
}
政策 《项目资助》 {
  “一” 对 高新技术企业 给予 每项 项目（其中 项目类别 为 重点 且 已验收） 按 项目投资额 的 10%，每项 最高 50万元，合计 最高 100万元 资助
}
";

/// A file of this test file's own.
fn scratch(name: &str, text: &str) -> PathBuf {
    crate::common::scratch("items", name, text)
}

#[test]
fn json_facts_give_each_item_and_the_sum() {
    // 300万元 × 10% = 30万元; 8000000元 × 10% = 80万元, capped at 50万元;
    // the 一般 project is not paid. 30 + 50 = 80万元.
    let facts = r#"{"高新技术企业": true, "项目": [
        {"项目投资额": "300万元", "项目类别": "重点", "已验收": true},
        {"项目投资额": 8000000, "项目类别": "重点", "已验收": "是"},
        {"项目投资额": "900万元", "项目类别": "一般", "已验收": true}]}"#;
    let r = eval_json(POLICY, facts, "2024-06-01");
    let c = clause(&r, "一");
    assert_eq!(c["amount"], "800000.00", "{c:#}");
    let items = c["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{c:#}");
    assert_eq!(items[0]["index"], 1);
    assert_eq!(items[0]["amount"], "300000.00");
    assert_eq!(items[0]["capped"], false);
    assert_eq!(items[1]["amount"], "500000.00");
    assert_eq!(items[1]["capped"], true);
    assert_eq!(items[2]["status"], "not_applicable");
    assert_eq!(items[2]["amount"], serde_json::Value::Null);
}

#[test]
fn a_missing_field_names_the_item() {
    let facts = r#"{"高新技术企业": true, "项目": [
        {"项目投资额": "300万元", "项目类别": "重点", "已验收": true},
        {"项目类别": "重点", "已验收": true}]}"#;
    let r = eval_json(POLICY, facts, "2024-06-01");
    let c = clause(&r, "一");
    assert_eq!(c["status"], "undecided", "{c:#}");
    assert_eq!(c["missing"], serde_json::json!(["项目"]), "{c:#}");
    assert_eq!(
        c["items"][1]["missing"],
        serde_json::json!(["项目[2].项目投资额"]),
        "{c:#}"
    );
    // An empty list pays nothing; no list at all is missing.
    let r = eval_json(
        POLICY,
        r#"{"高新技术企业": true, "项目": []}"#,
        "2024-06-01",
    );
    assert_eq!(clause(&r, "一")["amount"], "0.00");
    let r = eval_json(POLICY, r#"{"高新技术企业": true}"#, "2024-06-01");
    assert_eq!(clause(&r, "一")["missing"], serde_json::json!(["项目"]));
}

#[test]
fn a_bad_item_is_a_coded_error_naming_it() {
    let policy = scratch("bad.zc", POLICY);
    for (name, facts, words) in [
        (
            "bad_value.json",
            r#"{"项目": [{"项目投资额": "300万元"}, {"项目投资额": "三百万"}]}"#,
            "项目[2].项目投资额",
        ),
        (
            "bad_field.json",
            r#"{"项目": [{"投资额": "300万元"}]}"#,
            "项目[1] 没有字段“投资额”",
        ),
        ("bad_shape.json", r#"{"项目": "300万元"}"#, "列表"),
    ] {
        let facts = scratch(name, facts);
        let out = zhengce(&[
            "eval",
            policy.to_str().unwrap(),
            "--facts",
            facts.to_str().unwrap(),
            "--date",
            "2024-06-01",
        ]);
        assert!(!out.status.success(), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("zc::facts::bad_value") && err.contains(words),
            "{name}: {err}"
        );
    }
}

#[test]
fn toml_reads_an_array_of_tables() {
    let policy = scratch("toml.zc", POLICY);
    let facts = scratch(
        "facts.toml",
        "\"高新技术企业\" = true\n\n[[\"项目\"]]\n\"项目投资额\" = \"600万元\"\n\"项目类别\" = \"重点\"\n\"已验收\" = true\n\n[[\"项目\"]]\n\"项目投资额\" = 7_000_000\n\"项目类别\" = \"重点\"\n\"已验收\" = true\n\n[[\"项目\"]]\n\"项目投资额\" = \"400万元\"\n\"项目类别\" = \"重点\"\n\"已验收\" = true\n",
    );
    let r = json_output("eval", &policy, &facts, "2024-06-01");
    // 50 (capped) + 50 (capped) + 40 = 140万元, over 合计 100万元.
    let c = clause(&r, "一");
    assert_eq!(c["amount"], "1000000.00", "{c:#}");
    assert_eq!(c["capped"], true, "{c:#}");
}

#[test]
fn a_jsonl_register_reads_lists_and_a_csv_one_is_refused() {
    let policy = scratch("batch.zc", POLICY);
    let register = scratch(
        "batch.jsonl",
        concat!(
            r#"{"高新技术企业": true, "项目": [{"项目投资额": "300万元", "项目类别": "重点", "已验收": true}]}"#,
            "\n",
            r#"{"高新技术企业": true, "项目": []}"#,
            "\n"
        ),
    );
    let rows = jsonl_output("batch", &policy, &register, "2024-06-01");
    // Row 1: 300万元 × 10% = 30万元. Row 2: no project, 0元.
    assert_eq!(rows[0]["合计"], "300000.00", "{rows:?}");
    assert_eq!(rows[1]["合计"], "0.00", "{rows:?}");

    let csv = scratch("batch.csv", "高新技术企业\n是\n");
    let out = zhengce(&[
        "batch",
        policy.to_str().unwrap(),
        "--facts",
        csv.to_str().unwrap(),
        "--date",
        "2024-06-01",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("zc::batch::list_in_csv") && err.contains("项目"),
        "{err}"
    );
}

#[test]
fn a_field_written_twice_in_one_item_is_refused() {
    let policy = scratch("dup.zc", POLICY);
    let facts = scratch(
        "dup.json",
        r#"{"项目": [{"项目投资额": "300万元", "项目投资额": "400万元"}]}"#,
    );
    let out = zhengce(&[
        "eval",
        policy.to_str().unwrap(),
        "--facts",
        facts.to_str().unwrap(),
        "--date",
        "2024-06-01",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("zc::facts::duplicate_key"), "{err}");

    let register = scratch(
        "dup.jsonl",
        "{\"高新技术企业\": true, \"项目\": [{\"项目投资额\": \"300万元\", \"项目投资额\": \"400万元\"}]}\n",
    );
    let out = zhengce(&[
        "batch",
        policy.to_str().unwrap(),
        "--facts",
        register.to_str().unwrap(),
        "--date",
        "2024-06-01",
        "--format",
        "jsonl",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("zc::batch::duplicate_key") && err.contains("项目[1].项目投资额"),
        "{err}"
    );
}

#[test]
fn the_toml_template_writes_an_item_that_reads_back() {
    let policy = scratch("template.zc", POLICY);
    let out = zhengce(&["facts", "--template", "toml", policy.to_str().unwrap()]);
    assert!(out.status.success());
    let template = String::from_utf8_lossy(&out.stdout);
    assert!(template.contains("# \"项目\" = [{"), "{template}");
    // Uncommented as it stands: 800万元 × 10% = 80万元, capped at 50万元.
    let filled: String = template
        .lines()
        .map(|l| {
            l.strip_prefix("# \"")
                .map_or(l.to_string(), |r| format!("\"{r}"))
        })
        .collect::<Vec<_>>()
        .join("\n");
    let facts = scratch("filled.toml", &filled);
    let r = json_output("eval", &policy, &facts, "2024-06-01");
    assert_eq!(clause(&r, "一")["amount"], "500000.00");
}

#[test]
fn a_field_written_as_a_fact_of_the_entity_is_refused() {
    let policy = scratch("top.zc", POLICY);
    let facts = scratch(
        "top.json",
        r#"{"高新技术企业": true, "项目投资额": "300万元"}"#,
    );
    let out = zhengce(&[
        "eval",
        policy.to_str().unwrap(),
        "--facts",
        facts.to_str().unwrap(),
        "--date",
        "2024-06-01",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("zc::facts::unknown_key") && err.contains("是列表“项目”每一项的字段"),
        "{err}"
    );
}

#[test]
fn items_beyond_the_count_are_marked_not_counted() {
    let policy = "允许 missing-source
词汇 {
  引进人才：是否
  人才：列表 { 年薪：金额 }
}
政策 《引才》 {
  “一” 对 引进人才 给予 每项 人才 按 年薪 的 20%，每项 最高 10万元，最多 2项 补贴
}
";
    // 20% of 30、80、40、60万元: 6万元, 16 → 10万元, 8万元, 12 → 10万元. The
    // two paying most are [2] and [4], both 10万元: 20万元; [1] and [3] are
    // left out with what they would have paid.
    let facts = r#"{"引进人才": true, "人才": [
        {"年薪": "30万元"}, {"年薪": "80万元"}, {"年薪": "40万元"}, {"年薪": "60万元"}]}"#;
    let r = eval_json(policy, facts, "2024-06-01");
    let c = clause(&r, "一");
    assert_eq!(c["amount"], "200000.00", "{c:#}");
    let items = c["items"].as_array().unwrap();
    let counted: Vec<bool> = items
        .iter()
        .map(|i| i["counted"].as_bool().unwrap())
        .collect();
    assert_eq!(counted, [false, true, false, true], "{c:#}");
    assert_eq!(items[0]["status"], "applies");
    assert_eq!(items[0]["amount"], "60000.00");
    assert_eq!(items[2]["amount"], "80000.00");
    assert_eq!(items[1]["capped"], true);
    // Without 最多 every applying item counts; one failing 其中
    // does not.
    let facts = r#"{"高新技术企业": true, "项目": [
        {"项目投资额": "300万元", "项目类别": "重点", "已验收": true},
        {"项目投资额": "900万元", "项目类别": "一般", "已验收": true}]}"#;
    let r = eval_json(POLICY, facts, "2024-06-01");
    let c = clause(&r, "一");
    assert_eq!(c["items"][0]["counted"], true, "{c:#}");
    assert_eq!(c["items"][1]["counted"], false, "{c:#}");
}

#[test]
fn the_count_of_items_formats_and_round_trips() {
    use zhengce::internals::fmt::format;
    use zhengce::internals::source::SourceFile;
    let loose = "词汇 {\n人才:列表 { 年薪:金额 }\n}\n对 人才 给予 每项 人才 按 年薪 的 20%,每项 最高 10万元,最多  3项,合计 最高 25万元\n";
    let once = format(&SourceFile::new("t.zc", loose)).unwrap();
    assert!(
        once.contains("每项 最高 10万元，最多 3项，合计 最高 25万元"),
        "{once}"
    );
    let twice = format(&SourceFile::new("t.zc", once.clone())).unwrap();
    assert_eq!(once, twice);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases/项数上限.zc");
    let text = std::fs::read_to_string(path).unwrap();
    assert_eq!(format(&SourceFile::new(path, text.clone())).unwrap(), text);
}
