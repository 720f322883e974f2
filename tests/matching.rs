//! `zhengce match`: the four groups, near misses at every kind of threshold,
//! the facts that matter, the JSON, and 政策找企业 over a register. The
//! test policy and company are data files under tests/match/; every
//! expected amount is worked out by hand from the clause in the comment.

use crate::register;

use assert_cmd::Command;
use serde_json::Value;

fn zhengce() -> Command {
    Command::cargo_bin("zhengce").unwrap()
}

const POLICY: &str = "tests/match/门槛.zc";
const COMPANY: &str = "tests/match/门槛企业.json";

fn match_json(args: &[&str]) -> Value {
    match_json_on("2024-06-01", args)
}

fn match_json_on(date: &str, args: &[&str]) -> Value {
    let out = zhengce()
        .args(["match"])
        .args(args)
        .args(["--date", date, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `(clause, field)` of every item of a group, in order.
fn column(doc: &Value, group: &str, field: &str) -> Vec<(String, Value)> {
    doc[group]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["clause"].as_str().unwrap().to_string(), i[field].clone()))
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, Value)> {
    items
        .iter()
        .map(|(c, v)| (c.to_string(), Value::String(v.to_string())))
        .collect()
}

fn gap<'a>(doc: &'a Value, clause: &str) -> &'a Value {
    let item = doc["near_miss"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["clause"] == clause)
        .unwrap_or_else(|| panic!("{clause} is no near miss"));
    let gaps = item["gaps"].as_array().unwrap();
    assert_eq!(gaps.len(), 1, "{clause}");
    &gaps[0]
}

#[test]
fn near_misses_at_every_comparison_and_fact_kind() {
    let doc = match_json(&[POLICY, "--facts", COMPANY]);
    // Most money first; ties in clause order.
    //   十一 450万元 vs 达到 500万元 以上: gap 50万元 (10%); the 1000万元
    //        alternative is 55% away. At 500万元 the second tier: 20万元.
    //   十二 9件 vs 超过 10件: 1件 (10%); evaluated at 11件: 11 × 1万元 = 11万元.
    //   一   180万元 vs 达到 200万元 以上: 20万元 (10%); 200万元 × 5% = 10万元 (cap 50万元 not reached).
    //   五   2.5% vs 3% 以上: 0.5% (16.7%); 10万元.
    //   七   2024-08-15 vs < 2024-07-01: 45 days; 8万元.
    //   二   280万元 vs 超过 300万元: 20万元 (6.7%); at 3000000.01元 × 2% = 60000.0002元,
    //        the cap 5万元 binds: 5万元.
    //   六   2023-11-15 vs ≥ 2024-01-01: 16 + 31 = 47 days; 5万元.
    //   三   60人 vs 不超过 50人: 10人 (20%); 3万元.
    //   四   65% vs 低于 60%: 5% (8.3%); 2万元.
    //   二十五 研发费用 (a 定义 of 研发投入) 180万元 vs 达到 190万元 以上: 10万元 (5.3%); 1万元.
    //   二十六 非 员工人数 超过 55人, i.e. ≤ 55人: 60人 is 5人 over (9.1%); 1万元.
    //   二十八 2.5% vs 超过 2.6%: 0.1% (3.8%); evaluated at 2.61% (one 0.01% above):
    //        180万元 × 2.61% = 46980元.
    //   二十七 280万元 vs 超过 290万元: 10万元 (3.4%); evaluated at 2900000.01元:
    //        2900000.01元 − 290万元 = 0.01元.
    assert_eq!(
        column(&doc, "near_miss", "would_pay"),
        pairs(&[
            ("十一", "200000.00"),
            ("十二", "110000.00"),
            ("一", "100000.00"),
            ("五", "100000.00"),
            ("七", "80000.00"),
            ("二", "50000.00"),
            ("六", "50000.00"),
            ("二十八", "46980.00"),
            ("三", "30000.00"),
            ("四", "20000.00"),
            ("二十五", "10000.00"),
            ("二十六", "10000.00"),
            ("二十七", "0.01"),
        ])
    );
    let g = |c| gap(&doc, c).clone();
    use serde_json::json;
    assert_eq!(
        g("一"),
        json!({"fact": "研发投入", "op": ">=", "value": "1800000.00", "needed": "2000000.00", "gap": "200000.00"})
    );
    assert_eq!(
        g("二"),
        json!({"fact": "营业收入", "op": ">", "value": "2800000.00", "needed": "3000000.00", "gap": "200000.00"})
    );
    assert_eq!(
        g("三"),
        json!({"fact": "员工人数", "op": "<=", "value": "60人", "needed": "50人", "gap": "10人"})
    );
    assert_eq!(
        g("四"),
        json!({"fact": "资产负债率", "op": "<", "value": "65%", "needed": "60%", "gap": "5%"})
    );
    assert_eq!(
        g("五"),
        json!({"fact": "研发强度", "op": ">=", "value": "2.5%", "needed": "3%", "gap": "0.5%"})
    );
    assert_eq!(
        g("六"),
        json!({"fact": "成立日期", "op": ">=", "value": "2023-11-15", "needed": "2024-01-01", "gap": 47})
    );
    assert_eq!(
        g("七"),
        json!({"fact": "投产日期", "op": "<", "value": "2024-08-15", "needed": "2024-07-01", "gap": 45})
    );
    assert_eq!(
        g("二十五"),
        json!({"fact": "研发投入", "op": ">=", "value": "1800000.00", "needed": "1900000.00", "gap": "100000.00"})
    );
    assert_eq!(
        g("二十六"),
        json!({"fact": "员工人数", "op": "<=", "value": "60人", "needed": "55人", "gap": "5人"})
    );
    assert_eq!(
        g("十二"),
        json!({"fact": "专利数", "op": ">", "value": "9件", "needed": "10件", "gap": "1件"})
    );
}

#[test]
fn yes_no_enum_computed_and_far_thresholds_are_never_near_misses() {
    let doc = match_json(&[POLICY, "--facts", COMPANY]);
    let near: Vec<String> = column(&doc, "near_miss", "clause")
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    // 八 (是否), 九 (枚举), 十 (研发费用 holds but 高新技术企业 = 否),
    // 十三 (研发投入 + 营业收入: a computed expression), 二十一 (180万元 is
    // 82% short of 1000万元).
    for c in ["八", "九", "十", "十三", "二十一"] {
        assert!(!near.contains(&c.to_string()), "{c} is a near miss");
    }
    assert_eq!(doc["not_concerned"][0]["not_applicable"], 5);
}

#[test]
fn the_bounds_narrow_the_near_misses() {
    // --near 10%: 十一 (10%), 十二 (10%), 一 (10%), 二 (6.7%), 四 (8.3%),
    // 二十五 (5.3%), 二十六 (9.1%), 二十七 (3.4%), 二十八 (3.8%) stay;
    // 五 (16.7%) and 三 (20%) go. --near-days 45: 七 (45) stays, 六 (47) goes.
    let doc = match_json(&[
        POLICY,
        "--facts",
        COMPANY,
        "--near",
        "10%",
        "--near-days",
        "45",
    ]);
    let near: Vec<String> = column(&doc, "near_miss", "clause")
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    assert_eq!(
        near,
        [
            "十一",
            "十二",
            "一",
            "七",
            "二",
            "二十八",
            "四",
            "二十五",
            "二十六",
            "二十七"
        ]
    );
    assert_eq!(doc["near"], "10%");
    assert_eq!(doc["near_days"], 45);
}

#[test]
fn applicable_undecided_and_obligations() {
    let doc = match_json(&[POLICY, "--facts", COMPANY]);
    // 二十二: 180万元 × 10% = 18万元, capped at 15万元 (exact, capped);
    // 二十三: 最高 5万元.
    assert_eq!(
        column(&doc, "applicable", "paid"),
        pairs(&[("二十二", "150000.00"), ("二十三", "50000.00")])
    );
    assert_eq!(doc["applicable"][0]["capped"], true);
    assert_eq!(
        doc["applicable"][0]["text"],
        "依据《门槛测试政策》“二十二”：贵单位研发投入 180万元，达到 100万元 以上，按 10% 计 18万元（超过上限 15万元，按上限计），可申请 15万元补助。"
    );
    // 十四: 每人 2万元 with no cap: 无上限 (null), first. 二十四: 30万元 once
    // 研发费用 (= 研发投入) reaches 200万元. 十五: 最高 12万元. 十七: the
    // larger tier, 10万元. 十六: 酌定 capped at 6万元.
    let stakes = column(&doc, "undecided", "at_stake");
    assert_eq!(
        stakes,
        vec![
            ("十四".to_string(), Value::Null),
            ("二十四".into(), "300000.00".into()),
            ("十五".into(), "120000.00".into()),
            ("十七".into(), "100000.00".into()),
            ("十六".into(), "60000.00".into()),
        ]
    );
    assert_eq!(doc["undecided"][1]["gaps"][0]["fact"], "研发投入");
    assert_eq!(
        doc["undecided"][1]["missing"],
        serde_json::json!(["获得认证"])
    );
    // Violated first, then undecided, then met.
    assert_eq!(
        column(&doc, "obligations", "outcome"),
        pairs(&[("十八", "violated"), ("十九", "undecided"), ("二十", "met")])
    );
}

#[test]
fn facts_that_matter_most_money_first() {
    let doc = match_json(&[POLICY, "--facts", COMPANY]);
    // 引进人才数 decides 十四 (无上限); 获得认证 decides 十五 and 十六
    // (12万元 + 6万元 = 18万元; 二十四 needs its gap closed first, so it
    // does not count); 认证等级 十七 (10万元); 国际认证 十六 (6万元).
    assert_eq!(
        doc["facts_that_matter"],
        serde_json::json!([
            {"fact": "引进人才数", "clauses": 1, "at_stake": null},
            {"fact": "获得认证", "clauses": 2, "at_stake": "180000.00"},
            {"fact": "认证等级", "clauses": 1, "at_stake": "100000.00"},
            {"fact": "国际认证", "clauses": 1, "at_stake": "60000.00"},
        ])
    );
}

#[test]
fn json_schema_snapshot() {
    let doc = match_json(&[POLICY, "--facts", COMPANY, "--as-of", "2024-06-01"]);
    insta::assert_snapshot!(
        "match_json_门槛企业",
        serde_json::to_string_pretty(&doc).unwrap()
    );
}

#[test]
fn human_output_snapshot() {
    let out = zhengce()
        .args(["match", POLICY, "--facts", COMPANY, "--date", "2024-06-01"])
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(
        "match_human_门槛企业",
        String::from_utf8(out.stdout).unwrap()
    );
}

/// `(clause, value)` pairs of one group.
type Column = Vec<(String, Value)>;

/// The clauses of each group for one example company, with the amounts.
fn groups(company: &str) -> (Column, Vec<String>, Column) {
    let doc = match_json(&["policies/", "--facts", company]);
    let near = column(&doc, "near_miss", "clause")
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    (
        column(&doc, "applicable", "paid"),
        near,
        column(&doc, "obligations", "outcome"),
    )
}

#[test]
fn example_companies_applicable_and_obligations() {
    // 滨江集成电路设计企业, 2024-06-01:
    //   十六-2 新设立省级博士后工作站: 50万元 (exact);
    //   二-1 900万元 × 5% = 45万元 (not above 200万元);
    //   十三-2 首次认定高企 最高 20万元;
    //   十四-1 省级专精特新 最高 20万元 ties with 专精特新 2-1's 20万元 (same kind) and
    //        wins by the later 施行 start (2024-01-23);
    //   十八-1 36万元 × 50% = 18万元; 十-3 1200万元 × 5‰ = 6万元 (all below 1亿元);
    //   十九-1 科技创新券 酌定 最高 50万元: no money paid, listed after the amounts;
    //   一-1 无需规划许可 (no money).
    let (applicable, near, obligations) = groups("examples/滨江集成电路设计企业.json");
    assert_eq!(
        applicable,
        vec![
            ("十六-2".to_string(), Value::from("500000.00")),
            ("二-1".into(), "450000.00".into()),
            ("十三-2".into(), "200000.00".into()),
            ("十四-1".into(), "200000.00".into()),
            ("十八-1".into(), "180000.00".into()),
            ("十-3".into(), "60000.00".into()),
            ("十九-1".into(), Value::Null),
            ("一-1".into(), Value::Null),
        ]
    );
    assert!(near.is_empty(), "{near:?}");
    // 就业创业 一（二）-1 waits for its facts; so do 商事制度改革 二（一）-1 (the
    // file does not say whether it applies for an address registration) and
    // 融资担保 七-1, 八-2, 八-3 (in force since 2022-03-15; the file does not
    // say whether it is a guarantee agency); 工程建设项目审批 13-2 (no 主体类型
    // condition: it binds whoever takes a temporary water/power application) is
    // undecided on its 发布 未定 window and on the file's silence about such an
    // application; so are its date orderings 13-4, 13-5, 13-6 (a 企业 as
    // 建设单位: the file gives no construction-permit, design or evaluation
    // dates) and 13-7 (whoever takes a utility connection application, like
    // 13-2); 不得 办理分割登记转让 (= 否) is
    // met in all three 创新型产业用地 clauses whatever their conditions.
    // 创新试点 2-1 (发布 未定, and the file does not say whether it runs a
    // tender) and 营商环境最优市 5-1, 11-2, 11-3, 15-1 (in force 2023-11-01 to
    // 2025-12-31; the file does not say whether it holds mixed industrial land,
    // supplies power or public utilities, or is a guarantee agency) wait too.
    // 营商环境条例 (always in force): the duties on tenderers and purchasers
    // (第十七条), fee and deposit collectors (第三十六条), public-utility
    // operators (第二十八条-1, 第四十四条, 第四十五条-2), financial
    // institutions (第四十七条-3), government guarantee agencies (第四十八条-2),
    // projects in the public-resource catalogue (第十六条-2), 标准地 holders
    // (第四十一条-5) and anyone handling foreign-investment entry (第六十八条-3)
    // wait for facts the file does not give, and so does 第十九条-3-2 (the
    // file does not say whether it is a 中小企业, so it may be a large one).
    assert_eq!(
        obligations,
        pairs(&[
            ("2-1", "undecided"),
            ("一（二）-1", "undecided"),
            ("13-2", "undecided"),
            ("13-4", "undecided"),
            ("13-5", "undecided"),
            ("13-6", "undecided"),
            ("13-7", "undecided"),
            ("5-1", "undecided"),
            ("11-2", "undecided"),
            ("11-3", "undecided"),
            ("15-1", "undecided"),
            ("第十六条-2", "undecided"),
            ("第十七条-1-1", "undecided"),
            ("第十七条-1-2", "undecided"),
            ("第十七条-1-3", "undecided"),
            ("第十九条-3-2", "undecided"),
            ("第二十八条-1", "undecided"),
            ("第三十六条-2-1", "undecided"),
            ("第三十六条-2-2", "undecided"),
            ("第三十六条-2-3", "undecided"),
            ("第四十一条-5", "undecided"),
            ("第四十四条-2-1", "undecided"),
            ("第四十四条-2-2", "undecided"),
            ("第四十四条-2-3", "undecided"),
            ("第四十四条-2-4", "undecided"),
            ("第四十四条-3-1", "undecided"),
            ("第四十五条-2", "undecided"),
            ("第四十七条-3", "undecided"),
            ("第四十八条-2", "undecided"),
            ("第六十八条-3", "undecided"),
            ("二（一）-1", "undecided"),
            ("七-1", "undecided"),
            ("八-2", "undecided"),
            ("八-3", "undecided"),
            ("十九-2", "met"),
            ("十九-4", "met"),
            ("十九-6", "met"),
        ])
    );

    // 钱塘跨境电商企业: 研发投入新增额 210万元 × 5% = 10.5万元 (二-1), and
    // 科技创新券 酌定 最高 50万元 (no money paid).
    let (applicable, near, _) = groups("examples/钱塘跨境电商企业.json");
    assert_eq!(
        applicable,
        vec![
            ("二-1".to_string(), Value::from("105000.00")),
            ("十九-1".into(), Value::Null),
        ]
    );
    assert!(near.is_empty(), "{near:?}");

    // 余杭专精特新制造企业: 大走廊 9-1 700万元 × 30% = 210万元 (cap 1000万元);
    // 8-1 智能工厂 最高 200万元; 5-1 首台套 国内 100万元; 十四-1 国家级小巨人 最高
    // 100万元 (replaces 专精特新 2-1, later 施行 start); 二-3 700万元 × 5% = 35万元;
    // 11-1 贴息: the loan 3000万元 capped at 2000万元 × 一月 LPR一年期 3.45% × 50%
    // = 34.5万元; 十三-3 重新认定 最高 10万元; 一-4 无需规划许可.
    let (applicable, near, obligations) = groups("examples/余杭专精特新制造企业.json");
    assert_eq!(
        applicable,
        vec![
            ("9-1".to_string(), Value::from("2100000.00")),
            ("8-1".into(), "2000000.00".into()),
            ("5-1".into(), "1000000.00".into()),
            ("十四-1".into(), "1000000.00".into()),
            ("二-3".into(), "350000.00".into()),
            ("11-1".into(), "345000.00".into()),
            ("十三-3".into(), "100000.00".into()),
            ("一-4".into(), Value::Null),
        ]
    );
    assert!(near.is_empty(), "{near:?}");
    // 专款专用单独列账 (应当, 是) and 不得 专项资金用于赞助捐赠罚款或偿债 (否) are met
    // too; 商事制度改革 二（一）-1, 融资担保 七-1, 八-2, 八-3, 工程建设项目审批 13-2,
    // 13-4…13-7,
    // 创新试点 2-1, 营商环境最优市 5-1, 11-2, 11-3, 15-1 and the 营商环境条例
    // duties wait for facts, as above, except 第十九条-3-2: a 中小企业 is not
    // bound by the ban on large firms' arrears.
    assert_eq!(
        obligations,
        pairs(&[
            ("2-1", "undecided"),
            ("一（二）-1", "undecided"),
            ("13-2", "undecided"),
            ("13-4", "undecided"),
            ("13-5", "undecided"),
            ("13-6", "undecided"),
            ("13-7", "undecided"),
            ("5-1", "undecided"),
            ("11-2", "undecided"),
            ("11-3", "undecided"),
            ("15-1", "undecided"),
            ("第十六条-2", "undecided"),
            ("第十七条-1-1", "undecided"),
            ("第十七条-1-2", "undecided"),
            ("第十七条-1-3", "undecided"),
            ("第二十八条-1", "undecided"),
            ("第三十六条-2-1", "undecided"),
            ("第三十六条-2-2", "undecided"),
            ("第三十六条-2-3", "undecided"),
            ("第四十一条-5", "undecided"),
            ("第四十四条-2-1", "undecided"),
            ("第四十四条-2-2", "undecided"),
            ("第四十四条-2-3", "undecided"),
            ("第四十四条-2-4", "undecided"),
            ("第四十四条-3-1", "undecided"),
            ("第四十五条-2", "undecided"),
            ("第四十七条-3", "undecided"),
            ("第四十八条-2", "undecided"),
            ("第六十八条-3", "undecided"),
            ("二（一）-1", "undecided"),
            ("七-1", "undecided"),
            ("八-2", "undecided"),
            ("八-3", "undecided"),
            ("十九-2", "met"),
            ("十九-4", "met"),
            ("十九-6", "met"),
            ("总则-1", "met"),
            ("资金管理-1", "met"),
        ])
    );
}

#[test]
fn register_finds_the_entities_batch_pays_for_the_clause() {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("登记表.csv");
    std::fs::write(&reg, register::csv_text(1500, 21)).unwrap();
    let batch = zhengce()
        .args(["batch", "benches/kejiqiye.zc", "--facts"])
        .arg(&reg)
        .args(["--date", "2024-06-01"])
        .output()
        .unwrap();
    assert!(batch.status.success());
    // The batch rows whose 二-1 cell has an amount: the entities that qualify.
    let mut rdr = csv::Reader::from_reader(batch.stdout.as_slice());
    let header = rdr.headers().unwrap().clone();
    let col = header.iter().position(|h| h == "二-1").unwrap();
    let mut expected: Vec<(String, String)> = Vec::new();
    for r in rdr.records() {
        let r = r.unwrap();
        if !r[col].is_empty() {
            expected.push((r[0].to_string(), r[col].to_string()));
        }
    }
    assert!(expected.len() > 100);
    let summary = dir.path().join("汇总.json");
    let out = zhengce()
        .args([
            "match",
            "benches/kejiqiye.zc",
            "--clause",
            "《加快科技企业高质量发展的若干措施》“二-1”",
            "--register",
        ])
        .arg(&reg)
        .args(["--date", "2024-06-01", "--summary"])
        .arg(&summary)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut rdr = csv::Reader::from_reader(out.stdout.as_slice());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        ["id", "结果", "金额", "差距", "缺少", "条款"]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let qualifies: Vec<(String, String)> = rows
        .iter()
        .filter(|r| &r[1] == "qualifies")
        .map(|r| (r[0].to_string(), r[2].to_string()))
        .collect();
    assert_eq!(qualifies, expected);
    // Every near miss is 研发投入新增额 short of 200万元 by at most 30%, and
    // is paid at the threshold: 200万元 × 5% = 10万元.
    let near: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[1] == "near_miss").collect();
    assert!(!near.is_empty());
    for r in &near {
        assert_eq!(&r[2], "100000.00");
        assert!(r[3].starts_with("研发投入新增额 "), "{}", &r[3]);
        assert!(r[3].contains("需达到 200万元 以上，差 "), "{}", &r[3]);
    }
    let s: Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    assert_eq!(s["rows"], 1500);
    assert_eq!(s["qualifies"]["count"], expected.len());
    assert_eq!(s["near_miss"]["count"], near.len());
    let paid: rust_decimal::Decimal = expected
        .iter()
        .map(|(_, m)| rust_decimal::Decimal::from_str_exact(m).unwrap())
        .sum();
    assert_eq!(s["qualifies"]["amount"], format!("{paid:.2}"));
    assert_eq!(
        s["near_miss"]["amount"],
        format!("{:.2}", rust_decimal::Decimal::from(100_000 * near.len()))
    );
    let listed = rows.iter().filter(|r| &r[1] == "undecided").count();
    assert_eq!(s["undecided"]["count"], listed);
    assert_eq!(
        s["not_applicable"].as_u64().unwrap() as usize + rows.len(),
        1500
    );
}

#[test]
fn register_targets_that_name_nothing_are_coded_errors() {
    let out = zhengce()
        .args([
            "match",
            "benches/kejiqiye.zc",
            "--policy",
            "《加快科技企业高质量发展的若干措施（草案）》",
            "--register",
            "-",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("zc::matching::unknown_policy"), "{err}");
    assert!(err.contains("加快科技企业高质量发展的若干措施"), "{err}");
    let out = zhengce()
        .args([
            "match",
            "benches/kejiqiye.zc",
            "--clause",
            "《加快科技企业高质量发展的若干措施》“二-9”",
            "--register",
            "-",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("zc::matching::unknown_clause"), "{err}");
}

#[test]
fn toml_facts_give_the_same_answer_and_bad_facts_a_coded_error() {
    let on = "2020-06-01";
    let json = match_json_on(
        on,
        &["examples/教程.zc", "--facts", "examples/教程企业.json"],
    );
    let toml = match_json_on(
        on,
        &["examples/教程.zc", "--facts", "examples/教程企业.toml"],
    );
    assert_eq!(json, toml);
    // 第三条 800万元 × 20% = 160万元; 第四条 150万元 × 30% = 45万元.
    assert_eq!(
        column(&json, "applicable", "paid"),
        pairs(&[("第三条", "1600000.00"), ("第四条", "450000.00")])
    );
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("企业.json");
    std::fs::write(&bad, r#"{"示例研发投入": "很多"}"#).unwrap();
    let out = zhengce()
        .args(["match", "examples/教程.zc", "--facts"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("zc::facts::bad_value"));
}

#[test]
fn register_as_json_lines_lists_amounts_gaps_and_missing_facts() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("名单.jsonl");
    let summary = dir.path().join("汇总.json");
    let out = zhengce()
        .args([
            "match",
            POLICY,
            "--register",
            "tests/match/登记表.jsonl",
            "--clause",
            "《门槛测试政策》“一”",
            "--date",
            "2024-06-01",
            "--out",
        ])
        .arg(&out_path)
        .arg("--summary")
        .arg(&summary)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<Value> = std::fs::read_to_string(&out_path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // A: 300万元 × 5% = 15万元 (below the 50万元 cap). B: 190万元 is 10万元
    // short of 200万元 (5%): 200万元 × 5% = 10万元 at the threshold. C: 研发投入
    // missing. D: 50万元 is 75% short: not listed.
    let clause = serde_json::json!(["《门槛测试政策》“一”"]);
    assert_eq!(
        rows,
        vec![
            serde_json::json!({"编号": "A", "结果": "qualifies", "金额": "150000.00",
                "差距": [], "缺少": [], "条款": clause}),
            serde_json::json!({"编号": "B", "结果": "near_miss", "金额": "100000.00",
                "差距": [{"fact": "研发投入", "op": ">=", "value": "1900000.00",
                          "needed": "2000000.00", "gap": "100000.00"}],
                "缺少": [], "条款": clause}),
            serde_json::json!({"编号": "C", "结果": "undecided", "金额": null,
                "差距": [], "缺少": ["研发投入"], "条款": clause}),
        ]
    );
    let s: Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    assert_eq!(
        s,
        serde_json::json!({
            "rows": 4,
            "qualifies": {"count": 1, "amount": "150000.00"},
            "near_miss": {"count": 1, "amount": "100000.00"},
            "undecided": {"count": 1, "amount": "0.00"},
            "outside_application_window": 0,
            "not_applicable": 1,
            "errors": 0,
        })
    );
}

#[test]
fn register_targets_may_leave_out_the_quotes_and_brackets() {
    let run = |target: &[&str]| {
        let out = zhengce()
            .args(["match", POLICY, "--register", "tests/match/登记表.jsonl"])
            .args(target)
            .args(["--date", "2024-06-01"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let quoted = run(&["--clause", "《门槛测试政策》“一”"]);
    assert_eq!(run(&["--clause", "《门槛测试政策》一"]), quoted);
    assert_eq!(run(&["--clause", "《门槛测试政策》\"一\""]), quoted);
    assert!(
        quoted.starts_with("编号,结果,金额,差距,缺少,条款\n"),
        "{quoted}"
    );
    assert_eq!(
        run(&["--policy", "门槛测试政策"]),
        run(&["--policy", "《门槛测试政策》"])
    );
}

const WINDOWS: &str = "tests/match/申报.zc";
const WINDOWS_COMPANY: &str = "tests/match/申报企业.json";

#[test]
fn application_windows_are_listed_and_closing_ones_flagged_without_an_application_date() {
    let doc = match_json(&[WINDOWS, "--facts", WINDOWS_COMPANY, "--as-of", "2024-06-10"]);
    assert_eq!(doc["apply_date"], Value::Null);
    assert_eq!(doc["as_of"], "2024-06-10");
    // “一”: the policy's window 2024-06-01 … 06-30 is open on 06-10 and
    // closes in 30 − 10 = 20 days.
    let one = &doc["applicable"][0];
    assert_eq!(one["clause"], "一");
    assert_eq!(
        one["application_window"],
        serde_json::json!({"from": "2024-06-01", "to": "2024-06-30"})
    );
    assert_eq!(one["accepting_body"], "市科技局");
    assert_eq!(one["materials"], serde_json::json!(["营业执照复印件"]));
    assert_eq!(one["closes_in_days"], 20);
    assert!(
        one["text"]
            .as_str()
            .unwrap()
            .ends_with("（申报期 2024年6月1日 至 2024年6月30日；受理 市科技局；材料 「营业执照复印件」；距申报截止还有 20 天）。"),
        "{}",
        one["text"]
    );
    // “二” (near miss, 180万元 of 200万元): its own window, September, not
    // yet open: no flag; its own 材料 replace the policy's; 受理 is inherited.
    let two = &doc["near_miss"][0];
    assert_eq!(two["clause"], "二");
    assert_eq!(
        two["application_window"],
        serde_json::json!({"from": "2024-09-01", "to": "2024-09-30"})
    );
    assert_eq!(two["accepting_body"], "市科技局");
    assert_eq!(
        two["materials"],
        serde_json::json!(["研发费用专项审计报告"])
    );
    assert!(two.get("closes_in_days").is_none());
    // “三” (获得认证 missing) closes with the policy's window.
    assert_eq!(doc["undecided"][0]["closes_in_days"], 20);
    // On 2024-05-20 the June window is not open yet: nothing is flagged.
    let early = match_json(&[WINDOWS, "--facts", WINDOWS_COMPANY, "--as-of", "2024-05-20"]);
    assert!(early["applicable"][0].get("closes_in_days").is_none());
}

#[test]
fn an_application_date_outside_the_window_leaves_nothing_to_apply_for() {
    // 2024-07-15: after the June window (“一”, “三”: 不在申报期) and before
    // “二”'s September one, so closing its gap would not help either.
    let doc = match_json(&[
        WINDOWS,
        "--facts",
        WINDOWS_COMPANY,
        "--apply-date",
        "2024-07-15",
    ]);
    assert_eq!(doc["apply_date"], "2024-07-15");
    assert_eq!(doc["as_of"], Value::Null);
    for group in ["applicable", "near_miss", "undecided"] {
        assert_eq!(doc[group], serde_json::json!([]), "{group}");
    }
    assert_eq!(doc["not_concerned"][0]["outside_application_window"], 2);
    assert_eq!(doc["not_concerned"][0]["not_applicable"], 1);
    // Inside the June window: “一” is paid, nothing is flagged (the window is
    // enforced, not reported); “二” still needs September.
    let doc = match_json(&[
        WINDOWS,
        "--facts",
        WINDOWS_COMPANY,
        "--apply-date",
        "2024-06-15",
    ]);
    assert_eq!(
        column(&doc, "applicable", "paid"),
        pairs(&[("一", "100000.00")])
    );
    assert!(doc["applicable"][0].get("closes_in_days").is_none());
    assert_eq!(doc["near_miss"], serde_json::json!([]));
}

#[test]
fn register_rows_apply_on_their_own_application_date() {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("登记表.csv");
    // The 申报日期 column overrides --apply-date per row.
    std::fs::write(
        &reg,
        "编号,申报企业,申报日期\nA,1,2024-06-15\nB,1,2024-07-15\nC,1,\n",
    )
    .unwrap();
    let out = zhengce()
        .args([
            "match",
            WINDOWS,
            "--clause",
            "《申报期测试政策》“一”",
            "--register",
        ])
        .arg(&reg)
        .args(["--date", "2024-06-01", "--apply-date", "2024-06-20"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A applies in June: 10万元. B applies in July: outside. C takes the
    // command line's 2024-06-20: 10万元.
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "编号,结果,金额,差距,缺少,条款\n\
         A,qualifies,100000.00,,,《申报期测试政策》“一”\n\
         B,outside_application_window,,,,《申报期测试政策》“一”\n\
         C,qualifies,100000.00,,,《申报期测试政策》“一”\n"
    );
}

#[test]
fn json_schema_snapshot_with_application_windows() {
    let doc = match_json(&[WINDOWS, "--facts", WINDOWS_COMPANY, "--as-of", "2024-06-10"]);
    insta::assert_snapshot!(
        "match_json_申报企业",
        serde_json::to_string_pretty(&doc).unwrap()
    );
}

#[test]
fn example_companies_undecided_and_facts_that_matter() {
    // 钱塘跨境电商企业 meets 合格企业 and the conditions of six 跨境电商 clauses;
    // the policy is 发布 未定, so only its window is open. What each could
    // pay, from the company's own costs:
    //   十二-2 不超过 75万元; 五-2 120万元 × 25% = 30万元 (under 50万元);
    //   四-1 18万元 × 70% = 12.6万元 (under 20万元); 五-1 60万元 × 50% = 30万元,
    //   capped at 10万元; 十五-1 4 个展位 × 2.5万元 × 70% = 7万元 (under
    //   2.5万元 × 6 × 70% = 10.5万元); 四-2 9万元 × 70% = 6.3万元.
    let doc = match_json(&["policies/", "--facts", "examples/钱塘跨境电商企业.json"]);
    let window_only: Vec<(String, Value)> = doc["undecided"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["missing"] == serde_json::json!([]))
        .map(|u| {
            assert_eq!(u["note"], "发布日期未定，施行期无法确定");
            (
                u["clause"].as_str().unwrap().to_string(),
                u["at_stake"].clone(),
            )
        })
        .collect();
    assert_eq!(
        window_only,
        pairs(&[
            ("十二-2", "750000.00"),
            ("五-2", "300000.00"),
            ("四-1", "126000.00"),
            ("五-1", "100000.00"),
            ("十五-1", "70000.00"),
            ("四-2", "63000.00"),
        ])
    );
    let doc = match_json(&["policies/", "--facts", "examples/余杭专精特新制造企业.json"]);
    let stake = |clause: &str| {
        doc["undecided"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["clause"] == clause)
            .map(|u| u["at_stake"].clone())
            .unwrap_or_else(|| panic!("{clause} is not undecided"))
    };
    // 城西 4-2 每个 1000万元 per 新认定国家一流学科数 (missing), no cap: 无上限.
    // 3-2 国家科技奖一等奖 tiers 500万元 / 250万元 / 125万元: at most 500万元;
    // 3-3 二等奖 200万元 / 100万元 / 50万元: at most 200万元.
    assert_eq!(stake("4-2"), Value::Null);
    assert_eq!(stake("3-2"), "5000000.00");
    assert_eq!(stake("3-3"), "2000000.00");
    // 国家科学技术奖等级 decides 3-2 and 3-3: 500万元 + 200万元 = 700万元.
    let f = doc["facts_that_matter"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["fact"] == "国家科学技术奖等级")
        .unwrap();
    assert_eq!(
        f,
        &serde_json::json!({"fact": "国家科学技术奖等级", "clauses": 2, "at_stake": "7000000.00"})
    );
}

#[test]
fn an_assumed_publication_turns_the_open_window_into_answers() {
    // With 《关于加快我市跨境电子商务发展的实施意见》 assumed published on
    // 2024-01-01, the six clauses that waited only for its window apply,
    // with the amounts worked out above; 科技 二-1 210万元 × 5% = 10.5万元
    // sits between them; the 酌定 科技创新券 last.
    let doc = match_json(&[
        "policies/",
        "--facts",
        "examples/钱塘跨境电商企业.json",
        "--published",
        "《关于加快我市跨境电子商务发展的实施意见》=2024-01-01",
    ]);
    assert_eq!(
        doc["assumed_published"],
        serde_json::json!({"关于加快我市跨境电子商务发展的实施意见": "2024-01-01"})
    );
    let mut expected = pairs(&[
        ("十二-2", "750000.00"),
        ("五-2", "300000.00"),
        ("四-1", "126000.00"),
        ("二-1", "105000.00"),
        ("五-1", "100000.00"),
        ("十五-1", "70000.00"),
        ("四-2", "63000.00"),
    ]);
    expected.push(("十九-1".into(), Value::Null));
    assert_eq!(column(&doc, "applicable", "paid"), expected);
}

#[test]
fn the_human_answer_lists_ten_facts_and_counts_the_rest() {
    let company = "examples/钱塘跨境电商企业.json";
    let doc = match_json(&["policies/", "--facts", company]);
    let all = doc["facts_that_matter"].as_array().unwrap();
    assert!(all.len() > 10);
    let out = zhengce()
        .args([
            "match",
            "policies/",
            "--facts",
            company,
            "--date",
            "2024-06-01",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let listed: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.contains("还需了解的事实"))
        .skip(1)
        .take_while(|l| l.starts_with("    ") && !l.contains("……另有"))
        .collect();
    let names: Vec<&str> = all
        .iter()
        .take(10)
        .map(|f| f["fact"].as_str().unwrap())
        .collect();
    assert_eq!(listed.len(), 10);
    for (line, name) in listed.iter().zip(names) {
        assert!(
            line.trim_start().starts_with(&format!("{name}：")),
            "{line}"
        );
    }
    assert!(
        text.contains(&format!("……另有 {} 个事实", all.len() - 10)),
        "{text}"
    );
}
