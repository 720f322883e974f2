//! Grants of one matter across policies: who is paid is decided by
//! meaning (value, kind, later 施行, title), never by the order in which
//! the files are given.

use serde_json::Value;
use zhengce::internals::eval::{EvalConfig, evaluate};
use zhengce::internals::source::SourceFile;

const VOCAB: &str = "词汇 { 高企: 是否 }\n";

fn policy(title: &str, start: &str, rule: &str, amount: &str) -> String {
    format!(
        "政策 《{title}》 {{\n  施行 {start} 起\n  {rule}\n  “一” 对 高企 给予 {amount} 事项 “认定奖励”\n}}\n"
    )
}

/// Evaluates the policies given in this order; the (title, precedence)
/// of every displaced grant, and the paid clause's title.
fn winner(policies: &[&str]) -> (String, Vec<String>) {
    let mut modules =
        vec![zhengce::internals::syntax::parse(&SourceFile::new("v.zc", VOCAB)).unwrap()];
    for (i, p) in policies.iter().enumerate() {
        modules.push(
            zhengce::internals::syntax::parse(&SourceFile::new(format!("p{i}.zc"), *p)).unwrap(),
        );
    }
    let checked = zhengce::internals::check::check(&modules).unwrap_or_else(|_| panic!("check"));
    let facts_file = SourceFile::new("f.json", r#"{"高企": true}"#);
    let facts = zhengce::internals::facts::load(&checked.program.vocab, &facts_file).unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
    let out = evaluate(&checked.program, &facts, &EvalConfig::on(date)).unwrap();
    let doc: Value = zhengce::internals::report::json(&checked.program, &out);
    let clauses = doc["clauses"].as_array().unwrap();
    let paid: Vec<&Value> = clauses.iter().filter(|c| !c["paid"].is_null()).collect();
    assert_eq!(paid.len(), 1, "{doc:#}");
    let mut why: Vec<String> = clauses
        .iter()
        .filter(|c| !c["displaced_by"].is_null())
        .map(|c| {
            format!(
                "{}：{}",
                c["policy"].as_str().unwrap(),
                c["precedence"].as_str().unwrap()
            )
        })
        .collect();
    why.sort();
    (paid[0]["policy"].as_str().unwrap().to_string(), why)
}

/// The same winner whichever order the policies come in.
fn same_both_ways(a: &str, b: &str) -> (String, Vec<String>) {
    let one = winner(&[a, b]);
    assert_eq!(one, winner(&[b, a]));
    one
}

const BEST: &str = "重叠 从优 从高 不重复";

#[test]
fn equal_value_and_kind_the_later_policy_wins() {
    let a = policy("甲政策", "2023年1月1日", BEST, "最高 20万元");
    let b = policy("乙政策", "2024年1月1日", "", "最高 20万元");
    assert_eq!(
        same_both_ways(&a, &b),
        (
            "乙政策".into(),
            vec!["甲政策：金额和类型相同，取施行较晚的政策".into()]
        )
    );
}

#[test]
fn equal_in_everything_the_title_decides() {
    // 乙 (U+4E59) comes before 甲 (U+7532) in code-point order.
    let a = policy("甲政策", "2024年1月1日", BEST, "最高 20万元");
    let b = policy("乙政策", "2024年1月1日", BEST, "最高 20万元");
    assert_eq!(
        same_both_ways(&a, &b),
        (
            "乙政策".into(),
            vec!["甲政策：金额、类型和施行日期都相同，按政策标题排序".into()]
        )
    );
}

#[test]
fn an_exact_grant_beats_a_ceiling_of_the_same_value() {
    // 「直接给予20万元」 against 「最高20万元」, the ceiling in the later policy.
    let a = policy("甲政策", "2023年1月1日", BEST, "20万元");
    let b = policy("乙政策", "2024年1月1日", BEST, "最高 20万元");
    assert_eq!(
        same_both_ways(&a, &b),
        (
            "甲政策".into(),
            vec!["乙政策：金额相同，定额优先于下限、上限和酌定".into()]
        )
    );
}

#[test]
fn a_higher_amount_wins_under_best() {
    let a = policy("甲政策", "2024年1月1日", BEST, "30万元");
    let b = policy("乙政策", "2023年1月1日", BEST, "最高 50万元");
    assert_eq!(
        same_both_ways(&a, &b),
        ("乙政策".into(), vec!["甲政策：从高取之".into()])
    );
}

#[test]
fn this_policy_prevails_over_a_higher_amount() {
    let a = policy("甲政策", "2023年1月1日", "重叠 以本政策为准", "10万元");
    let b = policy("乙政策", "2024年1月1日", BEST, "50万元");
    assert_eq!(
        same_both_ways(&a, &b),
        (
            "甲政策".into(),
            vec!["乙政策：该政策规定以本政策为准".into()]
        )
    );
}

#[test]
fn existing_policy_keeps_its_matter() {
    let a = policy("甲政策", "2024年1月1日", "重叠 按现行政策", "50万元");
    let b = policy("乙政策", "2022年1月1日", "", "10万元");
    assert_eq!(
        same_both_ways(&a, &b),
        (
            "乙政策".into(),
            vec!["甲政策：按现行政策执行，以施行在先的政策为准".into()]
        )
    );
}
