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

/// 分别 给予 额度: the tier taken is the clause's quota, in its unit.
const TIERS: &str = "允许 missing-source
词汇 { 基地等级：省级 | 市级  实际使用土地指标：数量（亩）  担保等级：一级 | 二级 }
政策 《额度分档》 {
  施行 2024年1月1日 起
  “配套” 对 基地等级 为 省级、市级
         分别 给予 额度 实际使用土地指标 的 50%、实际使用土地指标 的 20%，最高 100亩
  “保函” 对 担保等级 为 一级、二级 分别 给予 额度 最高 500万元、200万元 “担保保函”
}
";

#[test]
fn tiered_quotas_in_json_and_explain() {
    let policy = scratch("quotas-tiers", "分档.zc", TIERS);
    let facts = scratch(
        "quotas-tiers",
        "facts.json",
        r#"{"基地等级": "市级", "实际使用土地指标": "300亩", "担保等级": "一级"}"#,
    );
    let v = json_output("eval", &policy, &facts, "2025-06-01");
    // 市级 is the second tier: 300亩 × 20% = 60亩, under 100亩; 一级 is the
    // first: at most 500万元, a guarantee and not money.
    let land = clause(&v, "配套");
    assert_eq!(
        land["quota"],
        serde_json::json!({"unit": "亩", "amount": "60"})
    );
    assert_eq!(land["amount"], serde_json::Value::Null);
    let guarantee = clause(&v, "保函");
    assert_eq!(
        guarantee["quota"],
        serde_json::json!({"unit": "元", "amount": "5000000.00"})
    );
    assert_eq!(guarantee["bound"], "at_most");
    assert_eq!(v["total"], "0.00");
    assert_eq!(
        v["totals"]["quota"],
        serde_json::json!([{"unit": "亩", "amount": "60"}, {"unit": "元", "amount": "5000000.00"}])
    );
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
    for line in [
        "金额：额度 60亩（第 2 档）",
        "分别：第 2 档（基地等级 为 市级）成立，按该档计 60亩",
        "实际使用土地指标 300亩 × 20% = 60亩",
        "60亩 未超过上限 100亩",
        "金额：额度 最高 500万元（第 1 档）",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
}

/// `分别 给予 额度` laid out anyhow formats to one layout, which formats to
/// itself and still means the same quota.
#[test]
fn tiered_quotas_format_and_round_trip() {
    use zhengce::internals::fmt::format;
    use zhengce::internals::source::SourceFile;
    let messy = "词汇 { 基地等级：省级 | 市级 }\n“用地” 对 基地等级 为 省级、市级\n分别\n给予\n额度   100亩 、50亩\n“用地指标奖励”\n";
    let once = format(&SourceFile::new("a.zc", messy)).unwrap();
    assert_eq!(
        once,
        "词汇 {\n  基地等级：省级 | 市级\n}\n“用地” 对 基地等级 为 省级、市级 分别 给予 额度 100亩、50亩 “用地指标奖励”\n"
    );
    assert_eq!(
        format(&SourceFile::new("a.zc", once.as_str())).unwrap(),
        once
    );
    let policy = scratch("quotas-fmt", "a.zc", &once);
    let facts = scratch("quotas-fmt", "f.json", r#"{"基地等级": "市级"}"#);
    let v = json_output("eval", &policy, &facts, "2025-06-01");
    // 市级 is the second tier: 50亩.
    assert_eq!(
        clause(&v, "用地")["quota"],
        serde_json::json!({"unit": "亩", "amount": "50"})
    );
}
