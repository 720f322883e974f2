//! The example companies in `examples/` against all of `policies/` on
//! 2024-06-01 (the README's run command): each evaluates, and the clauses
//! it was written for give the amounts worked out by hand below.

use std::process::Command;

use serde_json::Value;

const KEJI: &str = "强化企业科技创新主体地位加快科技企业高质量发展的若干措施";
const ZJTX: &str = "杭州市加快中小企业“专精特新”发展行动计划";
const DAZOULANG: &str = "杭州城西科创大走廊创新发展专项资金管理办法";
const KUAJING: &str = "关于加快我市跨境电子商务发展的实施意见";

fn eval(company: &str, explain: bool) -> (Option<i32>, String) {
    let mut args = vec![
        "eval".to_string(),
        "policies/".into(),
        "--facts".into(),
        format!("examples/{company}.json"),
        "--date".into(),
        "2024-06-01".into(),
    ];
    if explain {
        args.push("--explain".into());
    } else {
        args.extend(["--format".into(), "json".into()]);
    }
    let out = Command::new(env!("CARGO_BIN_EXE_zhengce"))
        .args(&args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.is_empty(), "{company}: {stderr}");
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

fn report(company: &str) -> Value {
    let (code, stdout) = eval(company, false);
    assert_eq!(code, Some(0));
    serde_json::from_str(&stdout).unwrap()
}

fn clause<'a>(r: &'a Value, policy: &str, label: &str) -> &'a Value {
    r["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["policy"] == policy && c["clause"] == label)
        .unwrap_or_else(|| panic!("no {policy} {label}"))
}

/// (status, amount, bound) of a clause.
fn result(r: &Value, policy: &str, label: &str) -> (String, String, String) {
    let c = clause(r, policy, label);
    (
        c["status"].as_str().unwrap_or("").into(),
        c["amount"].as_str().unwrap_or("").into(),
        c["bound"].as_str().unwrap_or("").into(),
    )
}

fn grant(amount: &str, bound: &str) -> (String, String, String) {
    ("applies".into(), amount.into(), bound.into())
}

#[test]
fn the_readme_company_runs_with_explanations() {
    let (code, stdout) = eval("滨江集成电路设计企业", true);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("原文："), "{stdout}");
    assert!(stdout.contains("〔研发投入新增额 = 900万元〕"), "{stdout}");
}

#[test]
fn ic_design_firm_in_binjiang() {
    let r = report("滨江集成电路设计企业");
    // 二-1: 研发投入新增额 900万元 ≥ 200万元; 900万 × 5% = 45万元 ≤ 200万元 (按不超过: 上限).
    assert_eq!(result(&r, KEJI, "二-1"), grant("450000.00", "at_most"));
    // 十-3: 1200万元 lies in the band up to 1亿元: 1200万 × 5‰ = 6万元.
    assert_eq!(result(&r, KEJI, "十-3"), grant("60000.00", "at_most"));
    // 十三-2: 首次认定 高企, 最高 20万元.
    assert_eq!(result(&r, KEJI, "十三-2"), grant("200000.00", "at_most"));
    // 十八-1: 36万元 × 50% = 18万元 ≤ 50万元.
    assert_eq!(result(&r, KEJI, "十八-1"), grant("180000.00", "at_most"));
    // 十六-2: a new 省级博士后工作站, 50万元.
    assert_eq!(result(&r, KEJI, "十六-2"), grant("500000.00", "exact"));
    // 省级专精特新 首次认定: 不超过 20万元 in both #9 2-1 and #13 十四-1, one
    // matter; equal in value and kind, so the policy in force later is
    // paid: #13 from 2024年1月23日 against #9 from 2022年6月10日.
    assert_eq!(result(&r, KEJI, "十四-1"), grant("200000.00", "at_most"));
    assert_eq!(
        clause(&r, ZJTX, "2-1")["displaced_by"]["policy"],
        KEJI,
        "{r:#}"
    );
}

#[test]
fn specialised_manufacturer_in_yuhang() {
    let r = report("余杭专精特新制造企业");
    // #33 9-1 (大走廊, 国家级小巨人): 700万 × 30% = 210万元 ≤ 1000万元.
    assert_eq!(result(&r, DAZOULANG, "9-1"), grant("2100000.00", "exact"));
    // #13 二-3 (超过科小规模, 新增 ≥ 500万元): 700万 × 5% = 35万元 ≤ 300万元.
    assert_eq!(result(&r, KEJI, "二-3"), grant("350000.00", "at_most"));
    // #9 11-1: loan 3000万元 capped at 2000万元 × 2024年1月 一年期 LPR 3.45% × 50%
    // = 2000万 × 1.725% = 34.5万元.
    assert_eq!(result(&r, ZJTX, "11-1"), grant("345000.00", "at_most"));
    // #9 5-1: 国内首台套 100万元; 8-1: 智能工厂 不超过 200万元.
    assert_eq!(result(&r, ZJTX, "5-1"), grant("1000000.00", "exact"));
    assert_eq!(result(&r, ZJTX, "8-1"), grant("2000000.00", "at_most"));
    // The grants of the 专项资金 bind the company: both duties are met.
    for duty in ["总则-1", "资金管理-1"] {
        let c = clause(&r, DAZOULANG, duty);
        assert_eq!(
            (&c["status"], &c["outcome"]),
            (&"applies".into(), &"met".into())
        );
    }
}

#[test]
fn cross_border_seller_in_qiantang() {
    let r = report("钱塘跨境电商企业");
    // #13 二-1: 210万 × 5% = 10.5万元.
    assert_eq!(result(&r, KEJI, "二-1"), grant("105000.00", "at_most"));
    // #34 takes effect 30 days after a publication date the text does not
    // give: undecided, never guessed.
    assert_eq!(clause(&r, KUAJING, "四-1")["status"], "undecided");
}

/// The lines of the README run command's answer (no explanation).
fn answer(company: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_zhengce"))
        .args(["eval", "policies/", "--facts"])
        .arg(format!("examples/{company}.json"))
        .args(["--date", "2024-06-01"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_answer_leads_with_what_the_company_receives() {
    for company in [
        "滨江集成电路设计企业",
        "余杭专精特新制造企业",
        "钱塘跨境电商企业",
    ] {
        let text = answer(company);
        let at = |heading: &str| text.find(heading);
        let receives = at("\n可获得：\n").unwrap_or_else(|| panic!("{company}: {text}"));
        let rest = at("\n其余条款：\n").unwrap_or_else(|| panic!("{company}: {text}"));
        // Receives first, the undecided and the obligations (when there are
        // any) in between, the counts of everything else last.
        let mut order = vec![receives];
        order.extend(at("\n待定（"));
        order.extend(at("\n义务（"));
        order.push(rest);
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{company}: {text}");
        // Every undecided clause says what would decide it.
        let undecided = text
            .lines()
            .skip_while(|l| !l.starts_with("待定（"))
            .skip(1)
            .take_while(|l| l.starts_with("  "));
        for line in undecided {
            assert!(
                line.contains("缺少：") || line.contains("发布日期未定"),
                "{company}: {line}"
            );
        }
    }
}

#[test]
fn the_derivation_shows_the_arithmetic_even_when_no_cap_binds() {
    let r = report("滨江集成电路设计企业");
    let steps: Vec<&str> = clause(&r, KEJI, "二-1")["derivation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    // 研发投入新增额 900万元 × 5% = 45万元 ≤ 200万元.
    assert_eq!(
        steps,
        [
            "研发投入新增额 900万元 × 5% = 45万元",
            "45万元 未超过上限 200万元"
        ]
    );
}
