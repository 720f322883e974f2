//! LANGUAGE.md's canonical examples 1–10: each clause with its facts must
//! give exactly the stated result. Expected values are the brief's.

use crate::common;

use common::{CANONICAL_VOCAB, eval_json};
use serde_json::json;

fn one(clause: &str, facts: &str) -> serde_json::Value {
    let src = format!("{CANONICAL_VOCAB}“例” {clause}\n");
    let report = eval_json(&src, facts, "2024-06-01");
    let mut c = common::clause(&report, "例").clone();
    // Fields every example shares; asserted whole below.
    c["total"] = report["total"].clone();
    c["undecided"] = report["undecided"].clone();
    c
}

fn grant(
    amount: Option<&str>,
    bound: Option<&str>,
    capped: bool,
    status: &str,
    missing: &[&str],
    total: &str,
) -> serde_json::Value {
    json!({
        "policy": null,
        "clause": "例",
        "matter": "例",
        "status": status,
        "kind": "grant",
        "amount": amount,
        "ceiling": bound == Some("at_most"),
        "bound": bound,
        "floor": null,
        "capped": capped,
        "outcome": null,
        "paid": amount,
        "displaced_by": null,
        "displaced": [],
        "missing": missing,
        "shares": null,
        "share_basis": null,
        "source": null,
        "note": null,
        "application_window": null,
        "accepting_body": null,
        "materials": [],
        "precedence": null,
        "derivation": [],
        "year": null,
        "schedule": [],
        "items": [],
        "quota": null,
        "total": total,
        "undecided": status == "undecided",
    })
}

const EX1: &str = "对 首次认定 高新技术企业 给予 最高 20万元";
const EX3: &str = "对 研发投入 超过 300万元 给予 研发投入 的 20%，最高 1000万元";

#[test]
fn example_1_first_recognition_gets_up_to_200000() {
    let r = one(EX1, r#"{"高新技术企业": true, "认定类型": "首次认定"}"#);
    assert_eq!(
        r,
        grant(
            Some("200000.00"),
            Some("at_most"),
            false,
            "applies",
            &[],
            "200000.00"
        )
    );
}

#[test]
fn example_2_re_recognition_does_not_apply() {
    let r = one(EX1, r#"{"高新技术企业": true, "认定类型": "重新认定"}"#);
    assert_eq!(r, grant(None, None, false, "not_applicable", &[], "0.00"));
}

#[test]
fn example_3_twenty_percent_of_8_million() {
    let r = one(EX3, r#"{"研发投入": "800万元"}"#);
    assert_eq!(
        r,
        grant(
            Some("1600000.00"),
            Some("exact"),
            false,
            "applies",
            &[],
            "1600000.00"
        )
    );
}

#[test]
fn example_4_cap_binds_and_kind_stays_exact() {
    let r = one(EX3, r#"{"研发投入": "6000万元"}"#);
    assert_eq!(
        r,
        grant(
            Some("10000000.00"),
            Some("exact"),
            true,
            "applies",
            &[],
            "10000000.00"
        )
    );
}

#[test]
fn example_5_chaoguo_excludes_the_boundary() {
    let r = one(EX3, r#"{"研发投入": "300万元"}"#);
    assert_eq!(r, grant(None, None, false, "not_applicable", &[], "0.00"));
}

#[test]
fn example_6_dadao_yishang_includes_the_boundary() {
    let r = one(
        "对 研发投入新增额 达到 200万元 以上 给予 研发投入新增额 的 5%，最高 200万元",
        r#"{"研发投入新增额": "200万元"}"#,
    );
    assert_eq!(
        r,
        grant(
            Some("100000.00"),
            Some("exact"),
            false,
            "applies",
            &[],
            "100000.00"
        )
    );
}

#[test]
fn example_7_tiers_pay_the_matching_position() {
    let r = one(
        "对 首台套 为 国际、国内、省内 分别 给予 200万元、100万元、50万元",
        r#"{"首台套": "国内"}"#,
    );
    assert_eq!(
        r,
        grant(
            Some("1000000.00"),
            Some("exact"),
            false,
            "applies",
            &[],
            "1000000.00"
        )
    );
}

#[test]
fn example_8_band_above_one_hundred_million() {
    let r = one(
        "对 技术交易额 超过 1亿元 给予 技术交易额 超过 1亿元 的部分 按 2‰，最高 200万元",
        r#"{"技术交易额": "3亿元"}"#,
    );
    assert_eq!(
        r,
        grant(
            Some("400000.00"),
            Some("exact"),
            false,
            "applies",
            &[],
            "400000.00"
        )
    );
}

#[test]
fn example_9_per_vehicle_ceiling() {
    let r = one(
        "对 新能源汽车置换 给予 按 置换车辆数 每辆 最高 1.5万元",
        r#"{"新能源汽车置换": true, "置换车辆数": "2辆"}"#,
    );
    assert_eq!(
        r,
        grant(
            Some("30000.00"),
            Some("at_most"),
            false,
            "applies",
            &[],
            "30000.00"
        )
    );
}

#[test]
fn example_10_missing_fact_is_undecided_not_no() {
    let r = one("对 研发投入 超过 300万元 给予 研发投入 的 20%", "{}");
    assert_eq!(
        r,
        grant(None, None, false, "undecided", &["研发投入"], "0.00")
    );
}
