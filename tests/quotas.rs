//! 额度: a quota granted is in its unit everywhere a reader meets it, and
//! never money — not in eval's totals, match's words, nor exposure's budget.

use crate::common::{clause, json_output, scratch, zhengce};

const POLICY: &str = "允许 missing-source
词汇 { 示范基地：是否  实际使用土地指标：数量（亩）  外贸小微企业：是否  结售汇总额：金额 }
政策 《额度》 {
  施行 2024年1月1日 起
  “土地” 对 示范基地 给予 额度 实际使用土地指标 的 50%，最高 100亩 “土地指标奖励”
  “保函” 对 外贸小微企业 给予 额度 不超过 结售汇总额 的 8% “担保保函”
  “奖” 对 外贸小微企业 给予 1万元 奖励
}
";

const FACTS: &str = r#"{"示范基地": true, "实际使用土地指标": "250亩", "外贸小微企业": true, "结售汇总额": "500万元"}"#;

/// The policy and facts in a scratch directory of the test's own: the
/// tests run at once, and one writing a file another is reading would
/// hand it a file half written.
fn files(test: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    (
        scratch(test, "额度.zc", POLICY),
        scratch(test, "facts.json", FACTS),
    )
}

#[test]
fn eval_json_keeps_quotas_out_of_the_money() {
    let (policy, facts) = files("quotas-json");
    let v = json_output("eval", &policy, &facts, "2025-06-01");
    // 250亩 × 50% = 125亩, capped at 100亩; 500万元 × 8% = 40万元 (a ceiling).
    let land = clause(&v, "土地");
    assert_eq!(land["quota"]["unit"], "亩");
    assert_eq!(land["quota"]["amount"], "100");
    assert_eq!(land["amount"], serde_json::Value::Null);
    assert_eq!(land["paid"], serde_json::Value::Null);
    assert_eq!(land["capped"], true);
    let guarantee = clause(&v, "保函");
    assert_eq!(guarantee["quota"]["amount"], "400000.00");
    assert_eq!(guarantee["bound"], "at_most");
    assert_eq!(clause(&v, "奖")["quota"], serde_json::Value::Null);
    // Only the 1万元 is money.
    assert_eq!(v["total"], "10000.00");
    assert_eq!(
        v["totals"]["quota"],
        serde_json::json!([{"unit": "亩", "amount": "100"}, {"unit": "元", "amount": "400000.00"}])
    );
}

#[test]
fn explain_and_match_speak_in_the_quota_unit() {
    let (policy, facts) = files("quotas-explain");
    let (p, f) = (policy.to_string_lossy(), facts.to_string_lossy());
    let out = zhengce(&[
        "eval",
        &p,
        "--facts",
        &f,
        "--date",
        "2025-06-01",
        "--explain",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("实际使用土地指标 250亩 × 50% = 125亩"),
        "{text}"
    );
    assert!(text.contains("125亩 超过上限 100亩，按 100亩 计"), "{text}");
    assert!(
        text.contains("另有额度 100亩、40万元（不付钱的额度和指标，不计入合计）"),
        "{text}"
    );
    let out = zhengce(&["match", &p, "--facts", &f, "--date", "2025-06-01"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("可获担保保函额度 最高 40万元（不是资金，不计入合计）"),
        "{text}"
    );
    assert!(!text.contains("125元"), "{text}");
}

#[test]
fn exposure_counts_no_quota_as_budget() {
    let (policy, _) = files("quotas-exposure");
    let out = zhengce(&["exposure", &policy.to_string_lossy()]);
    let text = String::from_utf8_lossy(&out.stdout);
    // The 1万元 is the only money a budget pays.
    assert!(text.contains("单个主体最高：1万元"), "{text}");
    assert!(!text.contains("保函"), "{text}");
}
