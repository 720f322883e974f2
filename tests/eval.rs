//! Evaluation semantics, one behaviour per test, with amounts worked out by
//! hand in the comments.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common;

use common::{clause, eval_json};

const V: &str = "词汇 { 收入: 金额  人数: 数量(人)  高企: 是否  违规收费: 是否  按期公示: 是否  星级: 一星 < 二星 < 三星 < 四星 < 五星  注册地: 文本  车辆: 数量(辆) }\n";

fn status(src: &str, facts: &str, label: &str) -> String {
    let r = eval_json(&format!("{V}{src}"), facts, "2024-06-01");
    clause(&r, label)["status"].as_str().unwrap().to_string()
}

#[test]
fn boundary_words_at_the_exact_boundary() {
    let f = r#"{"收入": "300万元", "人数": 10}"#;
    // 《民法典》第一千二百五十九条: 以上/以下/达到/不低于/不超过 include, 超过/不足/低于 exclude.
    assert_eq!(
        status("“a” 对 收入 300万元 以上 给予 1元", f, "a"),
        "applies"
    );
    assert_eq!(
        status("“a” 对 收入 超过 300万元 给予 1元", f, "a"),
        "not_applicable"
    );
    assert_eq!(
        status("“a” 对 收入 300万元 以下 给予 1元", f, "a"),
        "applies"
    );
    assert_eq!(
        status("“a” 对 收入 不足 300万元 给予 1元", f, "a"),
        "not_applicable"
    );
    assert_eq!(
        status("“a” 对 收入 低于 300万元 给予 1元", f, "a"),
        "not_applicable"
    );
    assert_eq!(
        status("“a” 对 收入 达到 300万元 给予 1元", f, "a"),
        "applies"
    );
    assert_eq!(
        status("“a” 对 收入 不超过 300万元 给予 1元", f, "a"),
        "applies"
    );
    assert_eq!(status("“a” 对 人数 10人以上 给予 1元", f, "a"), "applies");
    assert_eq!(
        status("“a” 对 人数 > 10 给予 1元", f, "a"),
        "not_applicable"
    );
    assert_eq!(status("“a” 对 人数 ≥ 10 给予 1元", f, "a"), "applies");
    // （含） makes 超过 inclusive (the checker warns about the wording).
    assert_eq!(
        status("“a” 对 收入 超过 300万元（含） 给予 1元", f, "a"),
        "applies"
    );
    assert_eq!(
        status("“a” 对 收入 超过 300万元（含）以上 给予 1元", f, "a"),
        "applies"
    );
}

#[test]
fn ordered_enumerations_compare_by_position() {
    let f = r#"{"星级": "三星"}"#;
    assert_eq!(status("“a” 对 三星 及以上 给予 1元", f, "a"), "applies");
    assert_eq!(
        status("“a” 对 星级 四星 及以上 给予 1元", f, "a"),
        "not_applicable"
    );
    assert_eq!(
        status("“a” 对 星级 二星 以下 给予 1元", f, "a"),
        "not_applicable"
    );
}

#[test]
fn kleene_logic_names_only_the_facts_that_left_it_open() {
    // 否 且 未知 = 否: nothing is missing.
    let r = eval_json(
        &format!("{V}“a” 对 高企 且 收入 超过 1元 给予 1元\n"),
        r#"{"高企": false}"#,
        "2024-06-01",
    );
    assert_eq!(clause(&r, "a")["status"], "not_applicable");
    assert_eq!(clause(&r, "a")["missing"], serde_json::json!([]));
    // 是 或 未知 = 是.
    let r = eval_json(
        &format!("{V}“a” 对 高企 或 收入 超过 1元 给予 1元\n"),
        r#"{"高企": true}"#,
        "2024-06-01",
    );
    assert_eq!(clause(&r, "a")["status"], "applies");
    // 是 且 未知 = 未知, naming 收入 only.
    let r = eval_json(
        &format!("{V}“a” 对 高企 且 收入 超过 1元 给予 1元\n"),
        r#"{"高企": true}"#,
        "2024-06-01",
    );
    assert_eq!(clause(&r, "a")["status"], "undecided");
    assert_eq!(clause(&r, "a")["missing"], serde_json::json!(["收入"]));
    assert_eq!(r["undecided"], true);
}

#[test]
fn amount_facts_missing_leave_the_grant_undecided() {
    let r = eval_json(
        &format!("{V}“a” 对 高企 给予 收入 的 10%\n"),
        r#"{"高企": true}"#,
        "2024-06-01",
    );
    assert_eq!(clause(&r, "a")["status"], "undecided");
    assert_eq!(clause(&r, "a")["missing"], serde_json::json!(["收入"]));
}

const WINDOWED: &str = "政策 《甲》 {
  施行 2024年1月1日 至 2024年12月31日
  “一” 对 高企 给予 10万元 原文 「甲」
  “二” 对 高企 给予 5万元 施行 2024年7月1日 起 原文 「乙」
}
";

#[test]
fn windows_are_inclusive_and_clause_windows_override() {
    let f = r#"{"高企": true}"#;
    let on = |d: &str| eval_json(&format!("{V}{WINDOWED}"), f, d);
    assert_eq!(clause(&on("2024-12-31"), "一")["status"], "applies");
    assert_eq!(clause(&on("2025-01-01"), "一")["status"], "not_in_force");
    assert_eq!(clause(&on("2023-12-31"), "一")["status"], "not_in_force");
    assert_eq!(clause(&on("2024-06-30"), "二")["status"], "not_in_force");
    // The clause window 2024年7月1日 起 replaces the policy's end.
    assert_eq!(clause(&on("2026-01-01"), "二")["status"], "applies");
    assert_eq!(on("2025-01-01")["total"], "50000.00");
}

#[test]
fn window_with_a_length_and_an_unknown_publication_date() {
    let src = "政策 《乙》 {
  施行 2024年6月6日 起 1年
  “一” 对 高企 给予 1元
}
政策 《丙》 {
  发布 未定
  施行 发布后30日 起 3年
  “一” 对 高企 给予 1元
}
政策 《丁》 {
  发布 2024年5月20日
  施行 发布后30日 起 3年
  “一” 对 高企 给予 1元
}
";
    let f = r#"{"高企": true}"#;
    // 起 1年 from 2024-06-06 ends 2025-06-05.
    let r = eval_json(&format!("{V}{src}"), f, "2025-06-05");
    let c = |title: &str| {
        r["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["policy"] == title)
            .unwrap()
            .clone()
    };
    assert_eq!(c("乙")["status"], "applies");
    assert_eq!(c("丙")["status"], "undecided");
    // 2024-05-20 + 30日 = 2024-06-19; to 2027-06-18.
    assert_eq!(c("丁")["status"], "applies");
    let r = eval_json(&format!("{V}{src}"), f, "2024-06-18");
    let d = r["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["policy"] == "丁")
        .unwrap()
        .clone();
    assert_eq!(d["status"], "not_in_force");
}

#[test]
fn scope_is_required_by_every_clause() {
    let src = "政策 《甲》 {
  适用 注册地 为 “杭州市”
  “一” 对 高企 给予 10万元
}
";
    let r = eval_json(
        &format!("{V}{src}"),
        r#"{"高企": true, "注册地": "宁波市"}"#,
        "2024-06-01",
    );
    assert_eq!(clause(&r, "一")["status"], "not_applicable");
    let r = eval_json(&format!("{V}{src}"), r#"{"高企": true}"#, "2024-06-01");
    assert_eq!(clause(&r, "一")["missing"], serde_json::json!(["注册地"]));
}

#[test]
fn overlap_within_a_policy_pays_the_highest_of_a_matter() {
    let src = "政策 《甲》 {
  “一” 对 高企 给予 收入 的 5%，最高 200万元 事项 “研发”
  “二” 对 收入 达到 1亿元 以上 给予 200万元 事项 “研发”
  “三” 对 高企 再 给予 30万元
}
";
    // 收入 1.5亿: 一 = 750万 capped to 200万; 二 = 200万; tie → the first loaded (一) wins.
    let r = eval_json(
        &format!("{V}{src}"),
        r#"{"高企": true, "收入": "1.5亿元"}"#,
        "2024-06-01",
    );
    assert_eq!(clause(&r, "一")["paid"], "2000000.00");
    assert_eq!(clause(&r, "二")["paid"], serde_json::Value::Null);
    assert_eq!(
        clause(&r, "二")["displaced_by"],
        serde_json::json!({"policy": "甲", "clause": "一"})
    );
    assert_eq!(
        clause(&r, "一")["displaced"],
        serde_json::json!([{"policy": "甲", "clause": "二"}])
    );
    // 再 给予 stacks: 200万 + 30万.
    assert_eq!(r["total"], "2300000.00");
}

#[test]
fn overlap_across_policies_follows_their_rules() {
    let two = |rule_a: &str, rule_b: &str| {
        format!(
            "政策 《甲》 {{ 施行 2020年1月1日 起 {rule_a} “一” 对 高企 给予 10万元 事项 “总部” }}
政策 《乙》 {{ 施行 2023年1月1日 起 {rule_b} “一” 对 高企 给予 30万元 事项 “总部” }}
"
        )
    };
    let f = r#"{"高企": true}"#;
    let total = |src: String| {
        eval_json(&format!("{V}{src}"), f, "2024-06-01")["total"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // No rule on either side: both pay.
    assert_eq!(total(two("", "")), "400000.00");
    // 从优从高不重复 on one side: the highest (乙, 30万) wins.
    assert_eq!(total(two("重叠 从优 从高 不重复", "")), "300000.00");
    // 以本政策为准 on 甲: 甲 replaces 乙 even though lower.
    assert_eq!(total(two("重叠 以本政策为准", "")), "100000.00");
    // 按现行政策 on 乙: the earlier policy (甲, 2020) keeps the matter.
    assert_eq!(total(two("", "重叠 按现行政策")), "100000.00");
    let r = eval_json(
        &format!("{V}{}", two("重叠 从优、就高、不重复", "")),
        f,
        "2024-06-01",
    );
    let a = &r["clauses"][0];
    assert_eq!(
        a["displaced_by"],
        serde_json::json!({"policy": "乙", "clause": "一"})
    );
}

#[test]
fn policy_total_cap_binds_on_the_sum() {
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
fn shares_use_the_largest_remainder_so_they_add_up() {
    let src = "政策 《甲》 {
  分担 市 50% 区县 50%
  “一” 对 高企 给予 收入 的 1%
  “二” 对 高企 给予 1万元 分担 市 100%
}
";
    let r = eval_json(
        &format!("{V}{src}"),
        r#"{"高企": true, "收入": "1001元"}"#,
        "2024-06-01",
    );
    // 1001 × 1% = 10.01: 市 5.01 (larger remainder goes first), 区县 5.00.
    assert_eq!(
        clause(&r, "一")["shares"],
        serde_json::json!({"市": "5.01", "区县": "5.00"})
    );
    assert_eq!(
        clause(&r, "二")["shares"],
        serde_json::json!({"市": "10000.00"})
    );
}

#[test]
fn per_unit_band_and_functions() {
    let src = "“a” 对 高企 给予 按 车辆 每辆 1.5万元
“b” 对 高企 给予 收入 不超过 1亿元 的部分 按 5‰ + 收入 超过 1亿元 的部分 按 2‰，最高 200万元
“c” 对 高企 给予 较高者(收入 的 50%, 收入 的 30% + 10万元)
";
    let r = eval_json(
        &format!("{V}{src}"),
        r#"{"高企": true, "车辆": "3辆", "收入": "3亿元"}"#,
        "2024-06-01",
    );
    // 3 × 1.5万 = 4.5万 (定额: no 最高).
    assert_eq!(clause(&r, "a")["amount"], "45000.00");
    assert_eq!(clause(&r, "a")["bound"], "exact");
    // L394 reading: 1亿 × 5‰ = 50万, 2亿 × 2‰ = 40万: 90万 (< 200万).
    assert_eq!(clause(&r, "b")["amount"], "900000.00");
    // max(1.5亿, 0.9亿 + 10万) = 1.5亿.
    assert_eq!(clause(&r, "c")["amount"], "150000000.00");
}

#[test]
fn parameters_are_read_as_of_the_date() {
    let src = "参数 利率 { 2024年1月1日: 3.45%  2024年7月1日: 3.35% }
“a” 对 高企 给予 收入 的 利率
";
    let f = r#"{"高企": true, "收入": "100万元"}"#;
    // 100万 × 3.45% = 34500; from 2024-07-01, 100万 × 3.35% = 33500.
    assert_eq!(
        clause(&eval_json(&format!("{V}{src}"), f, "2024-06-30"), "a")["amount"],
        "34500.00"
    );
    assert_eq!(
        clause(&eval_json(&format!("{V}{src}"), f, "2024-07-01"), "a")["amount"],
        "33500.00"
    );
}

#[test]
fn differentials_are_floored_at_zero() {
    let r = eval_json(
        &format!("{V}“a” 对 高企 给予 30万元 - 收入\n"),
        r#"{"高企": true, "收入": "40万元"}"#,
        "2024-06-01",
    );
    assert_eq!(clause(&r, "a")["amount"], "0.00");
}

#[test]
fn non_monetary_clauses() {
    let src = "“免” 对 高企 免于 「办理建设工程规划许可证」
“禁” 对 高企 不得 违规收费
“应” 对 高企 应当 按期公示
“倡” 对 高企 鼓励 「参与标准制定」
";
    let r = eval_json(
        &format!("{V}{src}"),
        r#"{"高企": true, "违规收费": true}"#,
        "2024-06-01",
    );
    assert_eq!(clause(&r, "免")["kind"], "exemption");
    assert_eq!(clause(&r, "免")["outcome"], "exempt");
    assert_eq!(clause(&r, "禁")["outcome"], "violated");
    assert_eq!(clause(&r, "应")["outcome"], "undecided");
    assert_eq!(clause(&r, "应")["missing"], serde_json::json!(["按期公示"]));
    assert_eq!(clause(&r, "倡")["kind"], "permission");
    assert_eq!(clause(&r, "倡")["outcome"], serde_json::Value::Null);
    let r = eval_json(
        &format!("{V}{src}"),
        r#"{"高企": true, "违规收费": false, "按期公示": true}"#,
        "2024-06-01",
    );
    assert_eq!(clause(&r, "禁")["outcome"], "met");
    assert_eq!(clause(&r, "应")["outcome"], "met");
}

#[test]
fn discretionary_grants_keep_their_cap() {
    let r = eval_json(
        &format!("{V}“a” 对 高企 给予 酌定，最高 1000万元\n“b” 对 高企 给予 酌定\n"),
        r#"{"高企": true}"#,
        "2024-06-01",
    );
    assert_eq!(clause(&r, "a")["bound"], "discretionary");
    assert_eq!(clause(&r, "a")["amount"], "10000000.00");
    assert_eq!(clause(&r, "b")["amount"], serde_json::Value::Null);
    // A 酌定 grant is never money in a total, capped or not (schema 2):
    // two 酌定 grants apply, one of them capped at 1000万元 = 10,000,000元.
    assert_eq!(clause(&r, "a")["paid"], serde_json::Value::Null);
    assert_eq!(r["total"], "0.00");
    assert_eq!(r["totals"]["at_most"], "0.00");
    assert_eq!(r["totals"]["discretionary"], 2);
    assert_eq!(r["totals"]["discretionary_capped"], 1);
    assert_eq!(r["totals"]["discretionary_cap"], "10000000.00");
}

#[test]
fn totals_are_rounded_once_from_exact_values() {
    // Three grants of 0.004元 each: shown 0.00 each, total 0.012 → 0.01.
    let src = "“a” 对 高企 给予 收入 的 0.4%\n“b” 对 高企 给予 收入 的 0.4%\n“c” 对 高企 给予 收入 的 0.4%\n";
    let r = eval_json(
        &format!("{V}{src}"),
        r#"{"高企": true, "收入": "1元"}"#,
        "2024-06-01",
    );
    assert_eq!(clause(&r, "a")["amount"], "0.00");
    assert_eq!(r["total"], "0.01");
}

#[test]
fn a_known_end_decides_even_when_the_start_awaits_publication() {
    let src = "政策 《丙》 {
  发布 未定
  “一” 对 高企 给予 1元 施行 发布 至 2023年12月31日
}
";
    let f = r#"{"高企": true}"#;
    // Whatever the publication date, 2024-01-01 is past the end.
    assert_eq!(
        clause(&eval_json(&format!("{V}{src}"), f, "2024-01-01"), "一")["status"],
        "not_in_force"
    );
    assert_eq!(
        clause(&eval_json(&format!("{V}{src}"), f, "2023-06-01"), "一")["status"],
        "undecided"
    );
}

#[test]
fn a_policy_loaded_twice_is_an_error() {
    let src = "政策 《甲》 { “一” 对 高企 给予 1元 }\n";
    let a = zhengce::syntax::parse(&zhengce::source::SourceFile::new(
        "a.zc",
        format!("{V}{src}"),
    ))
    .unwrap();
    let b = zhengce::syntax::parse(&zhengce::source::SourceFile::new("b.zc", src)).unwrap();
    let errors = zhengce::check::check(&[a, b]).unwrap_err();
    assert_eq!(errors.len(), 1);
    let d: &dyn miette::Diagnostic = &errors[0];
    assert_eq!(d.code().unwrap().to_string(), "zc::check::duplicate_policy");
}

#[test]
fn obligations_accept_defined_conditions() {
    let src = "定义 超标 = 人数 超过 100
“限” 对 高企 不得 超标
";
    let r = eval_json(
        &format!("{V}{src}"),
        r#"{"高企": true, "人数": 150}"#,
        "2024-06-01",
    );
    assert_eq!(clause(&r, "限")["outcome"], "violated");
    let r = eval_json(
        &format!("{V}{src}"),
        r#"{"高企": true, "人数": 100}"#,
        "2024-06-01",
    );
    assert_eq!(clause(&r, "限")["outcome"], "met");
}

#[test]
fn punctuation_variants_and_non_binding_wording() {
    // ‘…’ quotes a name, ； may end a clause, 原则上 is recorded like 鼓励.
    let src = "‘甲’ 对 高企 给予 1元；\n“乙” 对 高企 原则上 「按季度报送」\n";
    let r = eval_json(&format!("{V}{src}"), r#"{"高企": true}"#, "2024-06-01");
    assert_eq!(clause(&r, "甲")["amount"], "1.00");
    assert_eq!(clause(&r, "乙")["kind"], "permission");
}

fn check_codes(src: &str) -> Vec<String> {
    let file = zhengce::source::SourceFile::new("t.zc", format!("{V}{src}"));
    match zhengce::syntax::parse(&file) {
        Err(e) => vec![miette::Diagnostic::code(&e).unwrap().to_string()],
        Ok(m) => zhengce::check::check(&[m])
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| miette::Diagnostic::code(e).unwrap().to_string())
            .collect(),
    }
}

#[test]
fn windows_that_cannot_be_computed_are_errors() {
    assert_eq!(
        check_codes("政策 《甲》 { 施行 2024年1月1日 起 3次 }"),
        ["zc::check::window_length"]
    );
    assert_eq!(
        check_codes("政策 《甲》 { 施行 发布 起 }"),
        ["zc::check::bad_window"]
    );
    assert!(check_codes("政策 《甲》 { 发布 未定 施行 发布 起 }").is_empty());
}

#[test]
fn a_case_has_one_date() {
    assert_eq!(
        check_codes("案例 “甲” { 日期 2024年1月1日 日期 2024年2月1日 }"),
        ["zc::syntax::duplicate_case_date"]
    );
}
