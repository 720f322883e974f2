//! How every form of amount is derived (`tests/derive/金额推导.zc`): the
//! `derivation` steps in the JSON, worked out by hand from the clauses
//! and the facts, and the `--explain` text as a snapshot.

use std::process::Command;

use serde_json::Value;

fn run(format: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_zhengce"))
        .args([
            "eval",
            "tests/derive/金额推导.zc",
            "--facts",
            "tests/derive/金额推导.json",
            "--date",
            "2024-06-01",
        ])
        .args(format)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout).unwrap()
}

fn steps(doc: &Value, label: &str) -> Vec<String> {
    let c = doc["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clause"] == label)
        .unwrap_or_else(|| panic!("no clause {label}"));
    c["derivation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap().to_string())
        .collect()
}

const CAP: &str = "本政策各项合计 477.5万元，超过合计上限 400万元，合计按 400万元 计";

#[test]
fn every_amount_form_says_how_it_was_reached() {
    let doc: Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    assert_eq!(doc["schema"], 2);
    // The paid grants add up to 20 + 20 + 45 + 100 + 100 + 18 + 40 + 34.5
    // + 60 + 10 + 0 + 30 = 477.5万元 (乙 is displaced, 酌定 is no money);
    // the policy's 合计 最高 400万元 binds.
    let expect: &[(&str, &[&str])] = &[
        ("定额", &["定额 20万元", CAP]),
        ("上限", &["最高 20万元（上限）", CAP]),
        (
            "份额",
            &[
                "研发投入新增额 900万元 × 5% = 45万元",
                "45万元 未超过上限 200万元",
                CAP,
            ],
        ),
        (
            "封顶",
            &[
                "研发投入新增额 900万元 × 50% = 450万元",
                "450万元 超过上限 100万元，按 100万元 计",
                CAP,
            ],
        ),
        (
            "分档",
            &["分别：第 2 档（首台套 为 国内）成立，按该档计 100万元", CAP],
        ),
        ("按辆", &["置换车辆数 12辆 × 每辆 1.5万元 = 18万元", CAP]),
        // 2‰ is shown as 0.2%.
        ("分段", &["(服务收入 3亿元 − 1亿元) × 0.2% = 40万元", CAP]),
        (
            "贴息",
            &[
                "LPR一年期 自2023年8月21日 3.45%",
                "贷款额 2000万元 × LPR一年期 3.45% × 50% = 34.5万元",
                CAP,
            ],
        ),
        (
            "较高者",
            &[
                "研发投入新增额 900万元 × 10% = 90万元",
                "较高者(90万元，50万元) = 90万元",
                "90万元 − 已获补助 30万元 = 60万元",
                CAP,
            ],
        ),
        ("再给", &["定额 10万元", CAP]),
        (
            "差额",
            &[
                "30万元 − 已获补助 30万元 − 5万元 = -5万元",
                "计算值 -5万元 为负，按 0 计",
                CAP,
            ],
        ),
        ("酌定", &["酌定，上限 50万元；不计入合计"]),
        (
            "甲",
            &[
                "定额 30万元",
                "同一事项“同一奖励”：取代 《推导示例》“乙”（最高 30万元），金额相同，定额优先于下限、上限和酌定",
                CAP,
            ],
        ),
        (
            "乙",
            &[
                "最高 30万元（上限）",
                "同一事项“同一奖励”：《推导示例》“甲” 给予 30万元，金额相同，定额优先于下限、上限和酌定，本条不再给予",
            ],
        ),
    ];
    for (label, want) in expect {
        assert_eq!(steps(&doc, label), *want, "{label}");
    }
    assert_eq!(doc["total"], "4000000.00");
    assert_eq!(doc["totals"]["discretionary"], 1);
    assert_eq!(doc["totals"]["discretionary_capped"], 1);
    assert_eq!(doc["totals"]["discretionary_cap"], "500000.00");
    let yi = doc["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clause"] == "乙")
        .unwrap();
    assert_eq!(yi["precedence"], "金额相同，定额优先于下限、上限和酌定");
}

#[test]
fn explain_shows_the_derivations() {
    insta::assert_snapshot!(run(&["--explain"]));
}
