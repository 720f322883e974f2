//! Applying (申报, 受理, 材料): windows reported without an application
//! date, enforced with one (`--apply-date`, a register's `申报日期` column,
//! 案例 `申报日期`), through the library and the real binary. Amounts are
//! worked out by hand from `tests/apply/申报示例.zc`.

use crate::common;

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::{Value, json};
use zhengce::internals::eval::{EvalConfig, evaluate};
use zhengce::internals::source::SourceFile;

use common::{clause, date, render};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/apply/申报示例.zc")
}

fn zhengce() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zhengce"))
}

/// A file of its own per call: the tests run at once, and rewriting one
/// shared file let a command read it half written.
fn temp(name: &str, text: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("zhengce-apply-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("{n}-{name}"));
    std::fs::write(&p, text).unwrap();
    p
}

/// 40亿元 of retail: “一” pays 40亿 × 1% = 4000万元 (exact), “二” 10万元.
const FACTS: &str = r#"{"头部企业": true, "零售额": "40亿元", "统计违法": false}"#;

fn eval_cli(apply: Option<&str>) -> Value {
    let facts = temp("facts.json", FACTS);
    let mut cmd = zhengce();
    cmd.arg("eval")
        .arg(fixture())
        .arg("--facts")
        .arg(&facts)
        .args(["--date", "2022-12-31", "--format", "json"]);
    if let Some(d) = apply {
        cmd.args(["--apply-date", d]);
    }
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn without_an_application_date_windows_are_reported_not_enforced() {
    let r = eval_cli(None);
    assert_eq!(r["apply_date"], Value::Null);
    let one = clause(&r, "一");
    assert_eq!(one["status"], "applies");
    assert_eq!(one["paid"], "40000000.00");
    assert_eq!(
        one["application_window"],
        json!({"from": "2023-01-01", "to": "2023-01-31"})
    );
    assert_eq!(one["accepting_body"], "属地商务局");
    assert_eq!(one["materials"], json!(["营业执照复印件", "损益表"]));
    // The clause's own 申报 (open-ended), 受理 and 材料 replace the policy's.
    let two = clause(&r, "二");
    assert_eq!(two["status"], "applies");
    assert_eq!(
        two["application_window"],
        json!({"from": "2023-03-01", "to": null})
    );
    assert_eq!(two["accepting_body"], "市商务局");
    assert_eq!(two["materials"], json!(["情况说明"]));
    assert_eq!(clause(&r, "三")["outcome"], "exempt");
    assert_eq!(clause(&r, "四")["outcome"], "met");
    // 4000万元 + 10万元.
    assert_eq!(r["total"], "40100000.00");
}

#[test]
fn after_the_policy_window_and_before_the_clause_window_nothing_is_paid() {
    let r = eval_cli(Some("2023-02-01"));
    assert_eq!(r["apply_date"], "2023-02-01");
    let one = clause(&r, "一");
    assert_eq!(one["status"], "outside_application_window");
    assert_eq!(one["paid"], Value::Null);
    assert_eq!(one["amount"], Value::Null);
    assert_eq!(one["note"], "申报期 2023年1月1日 至 2023年1月31日");
    let two = clause(&r, "二");
    assert_eq!(two["status"], "outside_application_window");
    assert_eq!(two["note"], "申报期自 2023年3月1日 起");
    // An exemption is applied for too; a prohibition binds regardless.
    assert_eq!(clause(&r, "三")["status"], "outside_application_window");
    assert_eq!(clause(&r, "三")["outcome"], Value::Null);
    assert_eq!(clause(&r, "四")["status"], "applies");
    assert_eq!(clause(&r, "四")["outcome"], "met");
    assert_eq!(r["total"], "0.00");
}

#[test]
fn both_ends_of_a_window_are_inside() {
    // 1月31日: last day of the policy's window, before the clause's.
    let r = eval_cli(Some("2023-01-31"));
    assert_eq!(clause(&r, "一")["paid"], "40000000.00");
    assert_eq!(clause(&r, "二")["status"], "outside_application_window");
    assert_eq!(clause(&r, "三")["outcome"], "exempt");
    assert_eq!(r["total"], "40000000.00");
    // 3月1日: first day of the clause's open window, after the policy's.
    let r = eval_cli(Some("2023年3月1日"));
    assert_eq!(clause(&r, "一")["status"], "outside_application_window");
    assert_eq!(clause(&r, "二")["paid"], "100000.00");
    assert_eq!(r["total"], "100000.00");
}

#[test]
fn human_output_says_outside_and_lists_how_to_apply() {
    let facts = temp("facts-human.json", FACTS);
    let out = zhengce()
        .arg("eval")
        .arg(fixture())
        .arg("--facts")
        .arg(&facts)
        .args(["--date", "2022-12-31", "--apply-date", "2023-02-01"])
        .env("NO_COLOR", "1")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("不在申报期"), "{text}");
    assert!(
        text.contains(
            "申报 《申报示例》一：申报期 2023年1月1日 至 2023年1月31日；受理 属地商务局；材料 「营业执照复印件」、「损益表」"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "申报 《申报示例》二：申报期自 2023年3月1日 起；受理 市商务局；材料 「情况说明」"
        ),
        "{text}"
    );
    assert!(text.contains("合计：0元"), "{text}");
}

#[test]
fn a_register_column_overrides_the_application_date_per_row() {
    let register = temp(
        "register.csv",
        "编号,头部企业,零售额,统计违法,申报日期\nA,是,40亿元,否,2023-01-15\nB,是,40亿元,否,\nC,是,40亿元,否,2023-13-01\n",
    );
    let out = zhengce()
        .arg("batch")
        .arg(fixture())
        .arg("--facts")
        .arg(&register)
        .args(["--date", "2022-12-31", "--apply-date", "2023-03-05"])
        .assert()
        .failure()
        .get_output()
        .clone();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    // 申报日期 is an input, not a fact and not passed through.
    assert_eq!(
        lines.next(),
        Some("编号,一,二,三,四,合计,定额,最高,不少于,酌定项数,状态")
    );
    // A applies on 1月15日: “一” 4000万元, “二” not yet open.
    assert_eq!(
        lines.next(),
        Some("A,40000000.00,不在申报期,免于,遵守,40000000.00,40000000.00,0.00,0.00,0,可获得")
    );
    // B's empty cell takes --apply-date 3月5日: only “二” 10万元.
    assert_eq!(
        lines.next(),
        Some("B,不在申报期,100000.00,不在申报期,遵守,100000.00,100000.00,0.00,0.00,0,可获得")
    );
    let c = lines.next().unwrap();
    assert!(c.starts_with("C,,,,,,,,,,错误："), "{c}");
    assert!(c.contains("申报日期"), "{c}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("zc::batch::bad_cell"), "{stderr}");
}

#[test]
fn a_jsonl_register_key_overrides_too() {
    let register = temp(
        "register.jsonl",
        "{\"编号\": \"A\", \"头部企业\": true, \"零售额\": \"40亿元\", \"申报日期\": \"2023-01-15\"}\n{\"编号\": \"B\", \"头部企业\": true, \"零售额\": \"40亿元\"}\n",
    );
    let out = zhengce()
        .arg("batch")
        .arg(fixture())
        .arg("--facts")
        .arg(&register)
        .args(["--date", "2022-12-31", "--apply-date", "2023-02-01"])
        .args(["--format", "jsonl"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let rows: Vec<Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows[0]["一"], "40000000.00");
    assert_eq!(rows[0].get("申报日期"), None);
    // B applies on --apply-date 2月1日: between the two windows.
    assert_eq!(rows[1]["一"], "不在申报期");
    assert_eq!(rows[1]["二"], "不在申报期");
    assert_eq!(rows[1]["合计"], "0.00");
}

#[test]
fn test_takes_the_application_date_for_cases_without_one() {
    let src = std::fs::read_to_string(fixture()).unwrap();
    let with_cases = format!(
        "{src}\n案例 “未写申报日期” {{\n  事实 {{ 头部企业: 是  零售额: 40亿元 }}\n  日期 2022年12月31日\n  期望 《申报示例》“一” 不在申报期\n}}\n案例 “写了申报日期” {{\n  事实 {{ 头部企业: 是  零售额: 40亿元 }}\n  日期 2022年12月31日\n  申报日期 2023年1月2日\n  期望 《申报示例》“一” 给予 4000万元\n}}\n"
    );
    let path = temp("cases.zc", &with_cases);
    let last_line = |args: &[&str], ok: bool| {
        let mut cmd = zhengce();
        cmd.arg("test").arg(&path).args(args);
        let assert = cmd.assert();
        let out = if ok {
            assert.success()
        } else {
            assert.failure()
        };
        let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        text.lines().last().unwrap_or_default().to_string()
    };
    assert_eq!(
        last_line(&["--apply-date", "2023-02-01"], true),
        "2 passed, 0 failed"
    );
    // Without the flag the first case's window is not enforced: it fails.
    assert_eq!(last_line(&[], false), "1 passed, 1 failed");
}

/// Evaluates `src` on `on`, applying on `apply`.
fn eval_lib(src: &str, facts: &str, on: &str, apply: Option<&str>) -> Value {
    let module = zhengce::internals::syntax::parse(&SourceFile::new("t.zc", src))
        .unwrap_or_else(|e| panic!("{}", render(&e)));
    let checked = zhengce::internals::check::check(&[module])
        .unwrap_or_else(|es| panic!("{}", es.iter().map(|e| render(e)).collect::<String>()));
    let facts =
        zhengce::internals::facts::load(&checked.program.vocab, &SourceFile::new("f.json", facts))
            .unwrap_or_else(|es| panic!("{}", es.iter().map(|e| render(e)).collect::<String>()));
    let config = EvalConfig {
        apply_date: apply.map(date),
        ..EvalConfig::on(date(on))
    };
    let outcome = evaluate(&checked.program, &facts, &config).unwrap();
    zhengce::internals::report::json(&checked.program, &outcome)
}

#[test]
fn precedence_not_in_force_not_applicable_outside_undecided() {
    let src = "词汇 { 甲: 是否  额: 金额 }\n政策 《p》 {\n  施行 2022年1月1日 至 2022年12月31日\n  申报 2023年1月1日 至 2023年1月31日\n  “一” 对 甲 且 额 达到 10万元 给予 1万元 原文 「一」\n}\n";
    let status = |facts: &str, on: &str, apply: &str| {
        clause(&eval_lib(src, facts, on, Some(apply)), "一")["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let ok = r#"{"甲": true, "额": "20万元"}"#;
    // Out of force on 2023-01-05 although it is applied for outside too.
    assert_eq!(status(ok, "2023-01-05", "2023-02-01"), "not_in_force");
    // 甲 is false: not applicable beats the missed window.
    assert_eq!(
        status(r#"{"甲": false}"#, "2022-06-01", "2023-02-01"),
        "not_applicable"
    );
    // 额 missing: undecided inside the window, outside it nothing can help.
    assert_eq!(
        status(r#"{"甲": true}"#, "2022-06-01", "2023-01-10"),
        "undecided"
    );
    let r = eval_lib(src, r#"{"甲": true}"#, "2022-06-01", Some("2023-02-01"));
    assert_eq!(clause(&r, "一")["status"], "outside_application_window");
    assert_eq!(clause(&r, "一")["missing"], json!([]));
    assert_eq!(r["undecided"], false);
    assert_eq!(status(ok, "2022-06-01", "2023-01-10"), "applies");
}

#[test]
fn a_window_hanging_on_an_unknown_publication_date() {
    let src = "词汇 { 甲: 是否 }\n政策 《p》 {\n  发布 未定\n  申报 发布 至 2024年6月30日\n  “一” 对 甲 给予 1万元 原文 「一」\n}\n";
    let facts = r#"{"甲": true}"#;
    let r = eval_lib(src, facts, "2024-03-01", None);
    assert_eq!(clause(&r, "一")["status"], "applies");
    assert_eq!(
        clause(&r, "一")["application_window"],
        json!({"from": null, "to": "2024-06-30"})
    );
    // Past the end the text gives: outside, whenever it was published.
    let r = eval_lib(src, facts, "2024-03-01", Some("2024-07-01"));
    assert_eq!(clause(&r, "一")["status"], "outside_application_window");
    // Before it: the start is unknown, so it cannot be decided.
    let r = eval_lib(src, facts, "2024-03-01", Some("2024-06-01"));
    assert_eq!(clause(&r, "一")["status"], "undecided");
    assert_eq!(clause(&r, "一")["note"], "发布日期未定，申报期无法确定");
}
