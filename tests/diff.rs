//! `zhengce diff`: two small versions of one policy, compared statically
//! and over a hand-made register; winners, losers and amounts worked out
//! by hand from the clauses.

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::json;

/// The old version. 二 is a 定额 (a cap after the computation keeps the
/// kind), 三 has a 事项 so that a renumbered clause pairs with it.
const V1: &str = "词汇 {\n  高新技术企业: 是否\n  研发投入: 金额\n  人才: 是否\n}\n\
政策 《修订测试》 {\n  施行 2024年1月1日 至 2026年12月31日\n\
  一 对 高新技术企业 给予 20万元 奖励\n    事项 “高企奖励”\n\
  二 对 研发投入 超过 100万元 给予 研发投入 的 10%，最高 50万元 补助\n\
  三 对 人才 给予 5万元 补贴\n    事项 “人才补贴”\n\
  六 对 研发投入 超过 0元 给予 1万元 补助\n\
  七 对 高新技术企业 且 研发投入 超过 1000万元 给予 100万元 奖励\n}\n";

/// The new version: a scope (every company below but D is in it, and D
/// gets nothing either way), a 合计 cap (which binds no one below: E gets
/// 198万元) and a budget; 一 pays 30万元; 二 starts at 200万元; 三 becomes 四
/// (same 事项) and pays 8万元; 六 is gone; 五 is new; 七 is the same
/// clause laid out on two lines.
const V2: &str = "词汇 {\n  高新技术企业: 是否\n  研发投入: 金额\n  人才: 是否\n}\n\
政策 《修订测试》 {\n  施行 2024年1月1日 至 2026年12月31日\n  适用 高新技术企业 或 人才\n  合计 最高 200万元\n  预算 1000万元\n\
  一 对 高新技术企业 给予 30万元 奖励\n    事项 “高企奖励”\n\
  二 对 研发投入 超过 200万元 给予 研发投入 的 10%，最高 50万元 补助\n\
  四 对 人才 给予 8万元 补贴\n    事项 “人才补贴”\n\
  五 对 高新技术企业 且 人才 给予 10万元 奖励\n\
  七 对 高新技术企业 且 研发投入 超过 1000万元\n    给予 100万元 奖励\n}\n";

/// Before (V1) and after (V2), in 万元:
/// - A: 一 20 + 二 30 (10% of 300) + 六 1 = 51 → 一 30 + 二 30 = 60: +9
/// - B: 二 15 + 三 5 + 六 1 = 21 → 四 8 (二 needs over 200万元) = 8: −13
/// - C: 一 20 + 三 5 + 六 1 = 26 → 一 30 + 四 8 + 五 10 = 48: +22
/// - D: nothing (六 needs more than 0元) → nothing: 0
/// - E: 一 20 + 二 50 (cap) + 三 5 + 六 1 + 七 100 = 176
///   → 一 30 + 二 50 + 四 8 + 五 10 + 七 100 = 198: +22
///
/// Totals 274 → 314 (+40); winners A, C, E; loser B; D unchanged.
const REGISTER: &str = "id,高新技术企业,研发投入,人才\n\
A,1,300万元,0\n\
B,0,150万元,1\n\
C,1,50万元,1\n\
D,0,0,0\n\
E,1,2000万元,1\n";

fn temp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zhengce-diff-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn zhengce() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zhengce"))
}

/// The two versions in files of their own (tests run at once).
fn versions(tag: &str) -> (PathBuf, PathBuf) {
    (
        temp(&format!("v1-{tag}.zc"), V1.as_bytes()),
        temp(&format!("v2-{tag}.zc"), V2.as_bytes()),
    )
}

#[test]
fn static_diff_names_what_a_revision_changes() {
    let (v1, v2) = versions("t1");
    let out = zhengce()
        .arg("diff")
        .arg(&v1)
        .arg("--to")
        .arg(&v2)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "修改政策 《修订测试》\n\
         \x20 适用：（无） → 高新技术企业 或 人才\n\
         \x20 合计最高：（无） → 200万元\n\
         \x20 预算：（无） → 1000万元\n\
         修改 《修订测试》一\n\
         \x20 动作：给予 20万元 奖励 → 给予 30万元 奖励\n\
         修改 《修订测试》二\n\
         \x20 条件：研发投入 超过 100万元 → 研发投入 超过 200万元\n\
         修改 《修订测试》三 → 《修订测试》四\n\
         \x20 条款：三 → 四\n\
         \x20 动作：给予 5万元 补贴 → 给予 8万元 补贴\n\
         删除 《修订测试》六（事项 六）：对 研发投入 超过 0元 给予 1万元 补助\n\
         新增 《修订测试》五（事项 五）：对 高新技术企业 且 人才 给予 10万元 奖励；施行 2024-01-01 至 2026-12-31\n\
         新增 1 条，删除 1 条，修改 3 条，未变 1 条\n"
    );
    let out = zhengce()
        .arg("diff")
        .arg(&v1)
        .arg("--to")
        .arg(&v2)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["counts"],
        json!({"added": 1, "removed": 1, "changed": 3, "unchanged": 1})
    );
    assert_eq!(doc["policies"][0]["change"], "changed");
    assert_eq!(
        doc["policies"][0]["fields"],
        json!(["scope", "total_cap", "budget"])
    );
    let summary: Vec<(String, String, Vec<String>)> = doc["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["change"].as_str().unwrap().to_string(),
                c["paired_by"].as_str().unwrap().to_string(),
                c["fields"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    let s = |a: &str, b: &str, f: &[&str]| {
        (
            a.to_string(),
            b.to_string(),
            f.iter().map(|x| x.to_string()).collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        summary,
        [
            s("changed", "label", &["amount"]),
            s("changed", "label", &["condition"]),
            s("changed", "matter", &["label", "amount"]),
            s("removed", "removed", &[]),
            s("unchanged", "label", &[]),
            s("added", "added", &[]),
        ]
    );
}

#[test]
fn register_diff_counts_winners_losers_and_the_cost() {
    let (v1, v2) = versions("t2");
    let reg = temp("reg.csv", REGISTER.as_bytes());
    let rows = temp("rows.csv", b"");
    let out = zhengce()
        .arg("diff")
        .arg(&v1)
        .arg("--to")
        .arg(&v2)
        .arg("--facts")
        .arg(&reg)
        .args(["--date", "2025-06-01", "--format", "json", "--out"])
        .arg(&rows)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let side = |t: &str| json!({"total": t, "exact": t, "at_most": "0.00", "at_least": "0.00", "discretionary": 0});
    assert_eq!(doc["before"], side("2740000.00"));
    assert_eq!(doc["after"], side("3140000.00"));
    assert_eq!(doc["change"], side("400000.00"));
    assert_eq!(
        (
            &doc["winners"],
            &doc["losers"],
            &doc["unchanged"],
            &doc["undecided"]
        ),
        (&json!(3), &json!(1), &json!(1), &json!(0))
    );
    // C and E gain 22万元 each (the earlier row first), A 9万元.
    let gains: Vec<(u64, &str, &str)> = doc["largest_gains"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["ids"]["id"].as_str().unwrap(),
                e["change"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        gains,
        [
            (4, "C", "220000.00"),
            (6, "E", "220000.00"),
            (2, "A", "90000.00")
        ]
    );
    assert_eq!(
        doc["policies"],
        json!([{"policy": "修订测试", "before": "2740000.00", "after": "3140000.00", "change": "400000.00"}])
    );
    assert_eq!(doc["largest_losses"][0]["ids"]["id"], "B");
    assert_eq!(doc["largest_losses"][0]["change"], "-130000.00");
    // Per clause: 一 20→30 for A, C, E; 二 leaves B (15万); 三→四 5→8 for
    // B, C, E; 六 leaves A, B, C, E; 五 comes to C and E; 七 is the same.
    let clauses: Vec<serde_json::Value> = doc["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            json!([
                c["new"].as_str().or(c["old"].as_str()),
                c["paired_by"],
                c["appeared"],
                c["disappeared"],
                c["changed"],
                c["before"],
                c["after"],
                c["change"]
            ])
        })
        .collect();
    assert_eq!(
        clauses,
        [
            json!([
                "《修订测试》一",
                "label",
                0,
                0,
                3,
                "600000.00",
                "900000.00",
                "300000.00"
            ]),
            json!([
                "《修订测试》二",
                "label",
                0,
                1,
                0,
                "950000.00",
                "800000.00",
                "-150000.00"
            ]),
            json!([
                "《修订测试》四",
                "matter",
                0,
                0,
                3,
                "150000.00",
                "240000.00",
                "90000.00"
            ]),
            json!([
                "《修订测试》六",
                "removed",
                0,
                4,
                0,
                "40000.00",
                "0.00",
                "-40000.00"
            ]),
            json!([
                "《修订测试》五",
                "added",
                2,
                0,
                0,
                "0.00",
                "200000.00",
                "200000.00"
            ]),
        ]
    );
    let text = std::fs::read_to_string(&rows).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "id,变化前合计,变化后合计,变化,变化前状态,变化后状态,条款变化"
    );
    assert_eq!(
        lines[2],
        "B,210000.00,80000.00,-130000.00,可获得,可获得,\
         不再得 《修订测试》二 150000.00；《修订测试》四 50000.00→80000.00；不再得 《修订测试》六 10000.00"
    );
    assert_eq!(lines[4], "D,0.00,0.00,0.00,不适用,不适用,");
}

#[test]
fn to_date_evaluates_the_new_set_at_another_date() {
    let (v1, v2) = versions("t3");
    let reg = temp("reg2.csv", REGISTER.as_bytes());
    // On 2027-06-01 the new version is out of force: everyone who had
    // something loses it all (A, B, C, E), D stays at nothing.
    let out = zhengce()
        .arg("diff")
        .arg(&v1)
        .arg("--to")
        .arg(&v2)
        .arg("--facts")
        .arg(&reg)
        .args([
            "--date",
            "2025-06-01",
            "--to-date",
            "2027-06-01",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&doc["date"], &doc["to_date"]),
        (&json!("2025-06-01"), &json!("2027-06-01"))
    );
    assert_eq!(
        (&doc["winners"], &doc["losers"], &doc["unchanged"]),
        (&json!(0), &json!(4), &json!(1))
    );
    assert_eq!(doc["change"]["total"], "-2740000.00");
}

#[test]
fn register_diff_human_report() {
    let (v1, v2) = versions("t4");
    let reg = temp("reg3.csv", REGISTER.as_bytes());
    let out = zhengce()
        .arg("diff")
        .arg(&v1)
        .arg("--to")
        .arg(&v2)
        .arg("--facts")
        .arg(&reg)
        .args(["--date", "2025-06-01"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(
            "变化前 2025-06-01 与变化后 2025-06-01：共 5 行，评估 5 家，错误 0 行\n\
             合计：变化前 2740000.00 元，变化后 3140000.00 元，变化 +400000.00 元\n\
             增加 3 家，减少 1 家，不变 1 家；其中 0 家在变化前或变化后待定\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("增加最多") && text.contains("减少最多") && text.contains("条款变化"),
        "{text}"
    );
}

/// The worked example of docs/batch.md: the per-entity rows it shows are
/// what the command writes (the reasoning per company is in the text).
#[test]
fn the_documented_example_is_what_diff_writes() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/batch.md")).unwrap();
    let block = doc
        .split("`变化.csv`：\n\n```csv\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap();
    let out = temp("变化.csv", b"");
    let run = zhengce()
        .current_dir(&root)
        .args([
            "diff",
            "policies/科技企业高质量发展若干措施.zc",
            "--to",
            "policies/科技企业高质量发展若干措施.zc",
            "policies/推动经济高质量发展若干政策2025.zc",
            "--facts",
            "examples/diff企业.csv",
            "--date",
            "2025-06-01",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), block);
    // The static side: the counts line the text quotes.
    let counts = doc
        .split("### 例：在科技企业措施之外加上 2025 年版政策")
        .nth(1)
        .unwrap()
        .lines()
        .find(|l| {
            let l = l.trim_start();
            l.starts_with("新增 ") && l.contains(" 条，删除 ")
        })
        .unwrap()
        .trim();
    let stat = zhengce()
        .current_dir(&root)
        .args([
            "diff",
            "policies/科技企业高质量发展若干措施.zc",
            "--to",
            "policies/科技企业高质量发展若干措施.zc",
            "policies/推动经济高质量发展若干政策2025.zc",
        ])
        .output()
        .unwrap();
    let stat = String::from_utf8(stat.stdout).unwrap();
    assert_eq!(stat.lines().last().unwrap(), counts);
    assert_eq!(stat.matches("新增政策 ").count(), 4, "{stat}");
    // The 20万元 of 甲科技 moves from the 科技 measures to the 2025 policy.
    let json = zhengce()
        .current_dir(&root)
        .args([
            "diff",
            "policies/科技企业高质量发展若干措施.zc",
            "--to",
            "policies/科技企业高质量发展若干措施.zc",
            "policies/推动经济高质量发展若干政策2025.zc",
            "--facts",
            "examples/diff企业.csv",
            "--date",
            "2025-06-01",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let paid: Vec<(&str, &str)> = json["policies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["before"] != "0.00" || p["after"] != "0.00")
        .map(|p| (p["policy"].as_str().unwrap(), p["change"].as_str().unwrap()))
        .collect();
    assert_eq!(
        paid,
        [
            (
                "强化企业科技创新主体地位加快科技企业高质量发展的若干措施",
                "-200000.00"
            ),
            ("关于推动经济高质量发展的若干政策（2025年版）", "8200000.00")
        ]
    );
    let text = String::from_utf8(run.stdout).unwrap();
    assert!(
        text.contains(
            "合计：变化前 3200000.00 元，变化后 11200000.00 元，变化 +8000000.00 元\n\
                       增加 1 家，减少 0 家，不变 3 家；其中 4 家在变化前或变化后待定\n"
        ),
        "{text}"
    );
}

#[test]
fn register_diff_rows_as_json_lines() {
    let (v1, v2) = versions("jsonl");
    let reg = temp("reg4.csv", REGISTER.as_bytes());
    let rows = temp("rows.jsonl", b"");
    let out = zhengce()
        .arg("diff")
        .arg(&v1)
        .arg("--to")
        .arg(&v2)
        .arg("--facts")
        .arg(&reg)
        .args(["--date", "2025-06-01", "--out"])
        .arg(&rows)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&rows).unwrap();
    let c: serde_json::Value = serde_json::from_str(text.lines().nth(2).unwrap()).unwrap();
    // C: 26万 → 48万: 一 20→30, 三→四 5→8, 六 gone, 五 new.
    assert_eq!(
        c,
        json!({
            "row": 4, "id": "C", "before": "260000.00", "after": "480000.00", "change": "220000.00",
            "status_before": "paid", "status_after": "paid",
            "变化前状态": "可获得", "变化后状态": "可获得",
            "clauses": [
                {"clause": "《修订测试》一", "change": "changed", "before": "200000.00", "after": "300000.00"},
                {"clause": "《修订测试》四", "change": "changed", "before": "50000.00", "after": "80000.00"},
                {"clause": "《修订测试》六", "change": "disappeared", "before": "10000.00", "after": null},
                {"clause": "《修订测试》五", "change": "appeared", "before": null, "after": "100000.00"}
            ]
        })
    );
}

#[test]
fn published_is_assumed_on_both_sides() {
    let v = |amount: &str| {
        format!(
            "词汇 {{\n  高新技术企业: 是否\n}}\n政策 《未定测试》 {{\n  发布 未定\n  施行 发布 起\n  一 对 高新技术企业 给予 {amount} 奖励\n}}\n"
        )
    };
    let (v1, v2) = (
        temp("p1.zc", v("20万元").as_bytes()),
        temp("p2.zc", v("30万元").as_bytes()),
    );
    let reg = temp("p.csv", "id,高新技术企业\nA,1\n".as_bytes());
    let run = |extra: &[&str]| {
        zhengce()
            .arg("diff")
            .arg(&v1)
            .arg("--to")
            .arg(&v2)
            .arg("--facts")
            .arg(&reg)
            .args(["--date", "2025-06-01", "--format", "json"])
            .args(extra)
            .output()
            .unwrap()
    };
    // Without a publication date neither side pays: A is undecided.
    let doc: serde_json::Value = serde_json::from_slice(&run(&[]).stdout).unwrap();
    assert_eq!(
        (&doc["change"]["total"], &doc["undecided"]),
        (&json!("0.00"), &json!(1))
    );
    // Published 2024-01-01, in force on 2025-06-01: 20万元 → 30万元.
    let out = run(&["--published", "《未定测试》=2024-01-01"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["before"]["total"], "200000.00");
    assert_eq!(doc["after"]["total"], "300000.00");
    assert_eq!(doc["assumed_published"], json!({"未定测试": "2024-01-01"}));
    assert_eq!(
        doc["to_assumed_published"],
        json!({"未定测试": "2024-01-01"})
    );
    // A title in neither set is the checker's error.
    let out = run(&["--published", "《没有这项》=2024-01-01"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("zc::check::published_unknown_policy"),
        "{stderr}"
    );
}

/// 额度 over a revision: the land quota is capped at 100亩, the guarantee
/// goes from 8% to 10%, the money award from 1万元 to 2万元, and a new
/// clause grants 20亩 to a 示范基地 that is also a 外贸小微企业.
const Q1: &str =
    "词汇 { 示范基地：是否  实际使用土地指标：数量（亩）  外贸小微企业：是否  结售汇总额：金额 }
政策 《用地》 {
  施行 2024年1月1日 起
  “土地” 对 示范基地 给予 额度 实际使用土地指标 的 50% “土地指标奖励”
  “保函” 对 外贸小微企业 给予 额度 不超过 结售汇总额 的 8% “担保保函”
  “奖” 对 外贸小微企业 给予 1万元 奖励
}
";
const Q2: &str =
    "词汇 { 示范基地：是否  实际使用土地指标：数量（亩）  外贸小微企业：是否  结售汇总额：金额 }
政策 《用地》 {
  施行 2024年1月1日 起
  “土地” 对 示范基地 给予 额度 实际使用土地指标 的 50%，最高 100亩 “土地指标奖励”
  “保函” 对 外贸小微企业 给予 额度 不超过 结售汇总额 的 10% “担保保函”
  “奖” 对 外贸小微企业 给予 2万元 奖励
  “新地” 对 示范基地 且 外贸小微企业 给予 额度 20亩
}
";

/// Before (Q1) and after (Q2), on 2025-06-01:
/// - A (基地, 250亩, 外贸, 500万元): 土地 250 × 50% = 125亩 → min(125, 100)
///   = 100亩; 保函 500万 × 8% = 40万元 → × 10% = 50万元; 奖 1万 → 2万;
///   新地 → 20亩. 亩 125 → 120 (−5), 元 40万 → 50万 (+10万).
/// - B (基地, 150亩): 土地 75亩 → min(75, 100) = 75亩; nothing else.
///   No change.
/// - C (外贸, 100万元): 保函 8万 → 10万元; 奖 1万 → 2万.
///
/// Quotas: 亩 125 + 75 = 200 → 100 + 75 + 20 = 195 (−5); 元 40万 + 8万 =
/// 48万 → 50万 + 10万 = 60万 (+12万). Money alone: 2万 → 4万 (+2万); A and
/// C win, B is unchanged; A and C see a quota change.
const QUOTA_REGISTER: &str = "id,示范基地,实际使用土地指标,外贸小微企业,结售汇总额\n\
A,1,250,1,500万元\n\
B,1,150,0,\n\
C,0,,1,100万元\n";

fn quota_versions(tag: &str) -> (PathBuf, PathBuf, PathBuf) {
    (
        temp(&format!("q1-{tag}.zc"), Q1.as_bytes()),
        temp(&format!("q2-{tag}.zc"), Q2.as_bytes()),
        temp(&format!("q-{tag}.csv"), QUOTA_REGISTER.as_bytes()),
    )
}

fn quota_diff(tag: &str, extra: &[&str]) -> (std::process::Output, PathBuf) {
    let (v1, v2, reg) = quota_versions(tag);
    let out = zhengce()
        .arg("diff")
        .arg(&v1)
        .arg("--to")
        .arg(&v2)
        .arg("--facts")
        .arg(&reg)
        .args(["--date", "2025-06-01"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out, reg)
}

#[test]
fn register_diff_counts_quotas_per_unit_apart_from_money() {
    let (out, _) = quota_diff("json", &["--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Money only: 2万 → 4万; no quota is in it.
    assert_eq!(doc["before"]["total"], "20000.00");
    assert_eq!(doc["after"]["total"], "40000.00");
    assert_eq!(doc["change"]["total"], "20000.00");
    assert_eq!(
        (&doc["winners"], &doc["losers"], &doc["unchanged"]),
        (&json!(2), &json!(0), &json!(1))
    );
    assert_eq!(
        doc["quotas"],
        json!([
            {"unit": "亩", "before": "200", "after": "195", "change": "-5"},
            {"unit": "元", "before": "480000.00", "after": "600000.00", "change": "120000.00"}
        ])
    );
    assert_eq!(doc["quota_changed"], 2);
    // Per clause: 土地 changes for A only (B stays at 75亩): 200 → 175;
    // 保函 for A and C: 48万 → 60万; 新地 is new for A: 0 → 20亩. None of
    // them pays money.
    let clause = |name: &str| {
        doc["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["new"] == name)
            .cloned()
            .unwrap()
    };
    let land = clause("《用地》土地");
    assert_eq!(
        (&land["changed"], &land["before"], &land["after"]),
        (&json!(1), &json!("0.00"), &json!("0.00"))
    );
    assert_eq!(
        land["quotas"],
        json!([{"unit": "亩", "before": "200", "after": "175", "change": "-25"}])
    );
    assert_eq!(
        clause("《用地》保函")["quotas"],
        json!([{"unit": "元", "before": "480000.00", "after": "600000.00", "change": "120000.00"}])
    );
    let new_land = clause("《用地》新地");
    assert_eq!(
        (&new_land["paired_by"], &new_land["appeared"]),
        (&json!("added"), &json!(1))
    );
    assert_eq!(
        new_land["quotas"],
        json!([{"unit": "亩", "before": "0", "after": "20", "change": "20"}])
    );
    let award = clause("《用地》奖");
    assert_eq!(
        (&award["change"], &award["quotas"]),
        (&json!("20000.00"), &json!([]))
    );
}

#[test]
fn register_diff_rows_show_each_entitys_quotas() {
    let rows = temp("q-out.csv", b"");
    let (_, _) = quota_diff("rows", &["--out", rows.to_str().unwrap()]);
    let text = std::fs::read_to_string(&rows).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "id,变化前合计,变化后合计,变化,变化前状态,变化后状态,条款变化,变化前额度,变化后额度,额度变化",
            "A,10000.00,20000.00,10000.00,可获得,可获得,\
             《用地》土地 额度 125亩→额度 100亩；《用地》保函 额度 400000.00元→额度 500000.00元；\
             《用地》奖 10000.00→20000.00；新得 《用地》新地 额度 20亩,\
             125亩、400000.00元,120亩、500000.00元,-5亩、+100000.00元",
            // B's 75亩 stays: no change to write.
            "B,0.00,0.00,0.00,不适用,不适用,,75亩,75亩,",
            "C,10000.00,20000.00,10000.00,可获得,可获得,\
             《用地》保函 额度 80000.00元→额度 100000.00元；《用地》奖 10000.00→20000.00,\
             80000.00元,100000.00元,+20000.00元",
        ]
    );
    let rows = temp("q-out.jsonl", b"");
    let (_, _) = quota_diff("jsonl", &["--out", rows.to_str().unwrap()]);
    let text = std::fs::read_to_string(&rows).unwrap();
    let a: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    // A quota's clause has no money before or after; its quota is apart.
    assert_eq!(
        a["clauses"][0],
        json!({"clause": "《用地》土地", "change": "changed", "before": null, "after": null,
               "quota_before": {"unit": "亩", "amount": "125"},
               "quota_after": {"unit": "亩", "amount": "100"}})
    );
    assert_eq!(
        a["clauses"][2],
        json!({"clause": "《用地》奖", "change": "changed", "before": "10000.00", "after": "20000.00",
               "quota_before": null, "quota_after": null})
    );
    assert_eq!(
        a["quotas"],
        json!([
            {"unit": "亩", "before": "125", "after": "120", "change": "-5"},
            {"unit": "元", "before": "400000.00", "after": "500000.00", "change": "100000.00"}
        ])
    );
    assert_eq!(a["change"], "10000.00");
}

#[test]
fn register_diff_human_report_lists_quotas_apart() {
    let (out, _) = quota_diff("human", &[]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("合计：变化前 20000.00 元，变化后 40000.00 元，变化 +20000.00 元\n"),
        "{text}"
    );
    assert!(
        text.contains("额度（不付钱的额度和指标，不计入合计）：2 家的额度有变化\n"),
        "{text}"
    );
    let row = |cells: &[&str]| {
        assert!(
            text.lines().any(|l| {
                let got: Vec<&str> = l
                    .split('┆')
                    .map(|c| c.trim_matches(|ch: char| ch == '│' || ch.is_whitespace()))
                    .collect();
                got == cells
            }),
            "{cells:?}\n{text}"
        );
    };
    row(&["亩", "200", "195", "-5"]);
    row(&["元", "480000.00", "600000.00", "+120000.00"]);
    row(&[
        "《用地》土地",
        "同条款",
        "0",
        "0",
        "1",
        "亩",
        "200",
        "175",
        "-25",
    ]);
    row(&[
        "《用地》新地",
        "新增",
        "1",
        "0",
        "0",
        "亩",
        "0",
        "20",
        "+20",
    ]);
    // The money table lists the one clause that pays money.
    let money = text
        .split("条款变化\n")
        .nth(1)
        .and_then(|t| t.split("额度条款变化").next())
        .unwrap();
    assert!(
        money.contains("《用地》奖") && !money.contains("《用地》土地"),
        "{text}"
    );
}

#[test]
fn static_diff_names_a_quotas_unit() {
    let (v1, v2, _) = quota_versions("static");
    let out = zhengce()
        .arg("diff")
        .arg(&v1)
        .arg("--to")
        .arg(&v2)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let units: Vec<(&str, serde_json::Value)> = doc["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let side = if c["new"].is_null() {
                &c["old"]
            } else {
                &c["new"]
            };
            (side["clause"].as_str().unwrap(), side["quota"].clone())
        })
        .collect();
    assert_eq!(
        units,
        [
            ("土地", json!("亩")),
            ("保函", json!("元")),
            ("奖", json!(null)),
            ("新地", json!("亩"))
        ]
    );
    assert_eq!(doc["clauses"][0]["fields"], json!(["amount"]));
}

/// A grant rewritten as a 额度 (the 8% was a guarantee, not money paid):
/// the entity loses the money and gains the quota; the two are never
/// netted.
#[test]
fn a_grant_turned_into_a_quota_is_money_lost_and_a_quota_gained() {
    let v1 = "词汇 { 外贸小微企业：是否  结售汇总额：金额 }
政策 《保》 {
  施行 2024年1月1日 起
  “保函” 对 外贸小微企业 给予 不超过 结售汇总额 的 8% 补助
}
";
    let v2 = v1.replace("给予 不超过", "给予 额度 不超过");
    let (v1, v2) = (temp("m1.zc", v1.as_bytes()), temp("m2.zc", v2.as_bytes()));
    let reg = temp(
        "m.csv",
        "id,外贸小微企业,结售汇总额\nA,1,100万元\n".as_bytes(),
    );
    let out = zhengce()
        .arg("diff")
        .arg(&v1)
        .arg("--to")
        .arg(&v2)
        .arg("--facts")
        .arg(&reg)
        .args(["--date", "2025-06-01", "--format", "json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // 100万元 × 8% = 8万元: paid before, a quota after.
    assert_eq!(doc["change"]["total"], "-80000.00");
    assert_eq!(doc["losers"], 1);
    assert_eq!(
        doc["quotas"],
        json!([{"unit": "元", "before": "0.00", "after": "80000.00", "change": "80000.00"}])
    );
    let c = &doc["clauses"][0];
    assert_eq!(
        (&c["changed"], &c["change"], &c["quotas"][0]["change"]),
        (&json!(1), &json!("-80000.00"), &json!("80000.00"))
    );
}
