//! The JSON fields of an evaluation that programs read. The semantics
//! themselves (comparison words, three-valued logic, windows, overlap,
//! amounts, obligations) are data-file cases in `tests/cases/*.zc`; what
//! stays here is the JSON shape those cases cannot see.

use crate::common;

use common::{clause, eval_json};
use serde_json::json;

const V: &str = "词汇 { 收入: 金额  高企: 是否  违规收费: 是否  按期公示: 是否  车辆: 数量(辆) }\n";

#[test]
fn a_clause_decided_by_a_false_part_lists_nothing_missing() {
    // 否 且 未知 = 否: the unknown 收入 cannot change it.
    let r = eval_json(
        &format!("{V}“a” 对 高企 且 收入 超过 1元 给予 1元\n"),
        r#"{"高企": false}"#,
        "2024-06-01",
    );
    assert_eq!(clause(&r, "a")["status"], "not_applicable");
    assert_eq!(clause(&r, "a")["missing"], json!([]));
    assert_eq!(r["undecided"], false);
    let r = eval_json(
        &format!("{V}“a” 对 高企 且 收入 超过 1元 给予 1元\n"),
        r#"{"高企": true}"#,
        "2024-06-01",
    );
    assert_eq!(clause(&r, "a")["status"], "undecided");
    assert_eq!(clause(&r, "a")["missing"], json!(["收入"]));
    assert_eq!(r["undecided"], true);
}

#[test]
fn displacement_is_named_on_both_sides() {
    let src = "政策 《甲》 {
  “一” 对 高企 给予 收入 的 5%，最高 200万元 事项 “研发”
  “二” 对 收入 达到 1亿元 以上 给予 200万元 事项 “研发”
}
";
    // 1.5亿 × 5% = 750万, capped at 200万; 二 also 200万: the first written keeps it.
    let r = eval_json(
        &format!("{V}{src}"),
        r#"{"高企": true, "收入": "1.5亿元"}"#,
        "2024-06-01",
    );
    assert_eq!(clause(&r, "一")["paid"], "2000000.00");
    assert_eq!(
        clause(&r, "一")["displaced"],
        json!([{"policy": "甲", "clause": "二"}])
    );
    assert_eq!(clause(&r, "二")["paid"], serde_json::Value::Null);
    assert_eq!(
        clause(&r, "二")["displaced_by"],
        json!({"policy": "甲", "clause": "一"})
    );
}

#[test]
fn a_policy_cap_shows_the_subtotal_it_cut() {
    let src = "政策 《甲》 {
  合计 最高 50万元
  “一” 对 高企 给予 30万元
  “二” 对 高企 给予 40万元
}
";
    let r = eval_json(&format!("{V}{src}"), r#"{"高企": true}"#, "2024-06-01");
    // 30万 + 40万 = 70万 > 50万: counted 50万.
    assert_eq!(r["total"], "500000.00");
    assert_eq!(r["policies"][0]["subtotal"], "700000.00");
    assert_eq!(r["policies"][0]["capped"], true);
}

#[test]
fn kinds_bounds_and_outcomes_have_stable_names() {
    let src = "“按辆” 对 高企 给予 按 车辆 每辆 1.5万元
“免” 对 高企 免于 「办理建设工程规划许可证」
“禁” 对 高企 不得 违规收费
“应” 对 高企 应当 按期公示
“倡” 对 高企 鼓励 「参与标准制定」
“酌” 对 高企 给予 酌定，最高 1000万元
“酌二” 对 高企 给予 酌定
";
    let r = eval_json(
        &format!("{V}{src}"),
        r#"{"高企": true, "车辆": "3辆", "违规收费": true}"#,
        "2024-06-01",
    );
    // 3 × 1.5万 = 4.5万, exact.
    assert_eq!(clause(&r, "按辆")["amount"], "45000.00");
    assert_eq!(clause(&r, "按辆")["bound"], "exact");
    assert_eq!(clause(&r, "免")["kind"], "exemption");
    assert_eq!(clause(&r, "免")["outcome"], "exempt");
    assert_eq!(clause(&r, "禁")["outcome"], "violated");
    assert_eq!(clause(&r, "应")["outcome"], "undecided");
    assert_eq!(clause(&r, "应")["missing"], json!(["按期公示"]));
    assert_eq!(clause(&r, "倡")["kind"], "permission");
    assert_eq!(clause(&r, "倡")["outcome"], serde_json::Value::Null);
    // A 酌定 grant keeps its cap as `amount` but is never money in a total
    // (schema 2): two apply, one capped at 1000万元 = 10,000,000元.
    assert_eq!(clause(&r, "酌")["bound"], "discretionary");
    assert_eq!(clause(&r, "酌")["amount"], "10000000.00");
    assert_eq!(clause(&r, "酌")["paid"], serde_json::Value::Null);
    assert_eq!(clause(&r, "酌二")["amount"], serde_json::Value::Null);
    assert_eq!(r["total"], "45000.00");
    assert_eq!(r["totals"]["at_most"], "0.00");
    assert_eq!(r["totals"]["discretionary"], 2);
    assert_eq!(r["totals"]["discretionary_capped"], 1);
    assert_eq!(r["totals"]["discretionary_cap"], "10000000.00");
}

#[test]
fn a_tiered_split_lists_its_tiers_years() {
    let src = "词汇 { 等级: 国家级 | 省级  认定日期: 日期 }
“一” 对 等级 为 国家级、省级 给予 自 认定日期 起 分别 1000万元、500万元 分3年 按 40%、30%、30% 补助
";
    // 省级: 500万元 × 40% = 200万元, then × 30% = 150万元 twice; year 2 now.
    let r = eval_json(
        src,
        r#"{"等级": "省级", "认定日期": "2024-03-01"}"#,
        "2025-06-01",
    );
    let c = clause(&r, "一");
    assert_eq!(c["amount"], "1500000.00");
    assert_eq!(c["year"], 2);
    let years: Vec<(&serde_json::Value, &serde_json::Value, &serde_json::Value)> = c["schedule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| (&y["year"], &y["amount"], &y["kind"]))
        .collect();
    assert_eq!(
        years,
        [
            (&json!(1), &json!("2000000.00"), &json!("exact")),
            (&json!(2), &json!("1500000.00"), &json!("exact")),
            (&json!(3), &json!("1500000.00"), &json!("exact")),
        ]
    );
}

#[test]
fn a_schedule_capped_over_the_year_caps_this_years_instalment_only() {
    let src = "词汇 { 企业: 是否  入驻日期: 日期  本年已申领额: 金额 }
“一” 对 企业 给予 自 入驻日期 起 分3年 每年 最高 3万元，累计 最高 5万元（本年已领 本年已申领额） 补贴
";
    // Year 2: at most 3万元, the year's cap leaves 5万元 − 4万元 = 1万元;
    // years 1 and 3 are shown at their own 最高 3万元.
    let r = eval_json(
        src,
        r#"{"企业": true, "入驻日期": "2024-03-01", "本年已申领额": "4万元"}"#,
        "2025-06-01",
    );
    let c = clause(&r, "一");
    assert_eq!(c["amount"], "10000.00");
    assert_eq!(c["capped"], true);
    let amounts: Vec<&serde_json::Value> = c["schedule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| &y["amount"])
        .collect();
    assert_eq!(
        amounts,
        [&json!("30000.00"), &json!("10000.00"), &json!("30000.00")]
    );
    assert_eq!(c["schedule"][1]["current"], true);
}
