//! `zhengce check` as a user runs it: exit codes, the summary line, the
//! warning cap, several files and directories, and `eval` refusing input
//! with errors. The per-diagnostic cases are in `tests/check.rs`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const VOCAB: &str = "词汇 { 高新技术企业: 是否  研发投入: 金额 }\n";

/// A fresh directory under the test target's temporary directory holding
/// the given files.
fn dir(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    for (f, text) in files {
        std::fs::write(d.join(f), text).unwrap();
    }
    d
}

fn zhengce() -> Command {
    Command::cargo_bin("zhengce").unwrap()
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("one JSON document on stdout")
}

fn codes(doc: &Value) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn clean_input_exits_zero_with_a_summary() {
    let d = dir(
        "clean",
        &[("a.zc", &format!("{VOCAB}对 高新技术企业 给予 10万元\n"))],
    );
    zhengce()
        .arg("check")
        .arg(&d)
        .assert()
        .code(0)
        .stdout("检查完成：0 个错误，0 个警告\n")
        .stderr("");
}

#[test]
fn errors_exit_one_and_are_all_reported() {
    let d = dir(
        "errors",
        &[(
            "a.zc",
            &format!(
                "{VOCAB}对 高薪技术企业 给予 10万元\n对 研发投入 超过 300家 给予 20万元\n对 研发投人 超过 1万元 给予 1万元\n"
            ),
        )],
    );
    let out = zhengce().arg("check").arg(&d).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "检查完成：3 个错误，0 个警告\n"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.matches("zc::check::unknown_word").count(), 2);
    assert_eq!(stderr.matches("zc::check::kind_mismatch").count(), 1);
}

#[test]
fn warnings_pass_unless_denied() {
    let d = dir(
        "warnings",
        &[(
            "a.zc",
            &format!("{VOCAB}对 高新技术企业 给予 20万元，最高 30万元\n"),
        )],
    );
    zhengce()
        .arg("check")
        .arg(&d)
        .assert()
        .code(0)
        .stdout("检查完成：0 个错误，1 个警告\n");
    zhengce()
        .arg("check")
        .arg(&d)
        .arg("--deny-warnings")
        .assert()
        .code(1)
        .stdout("检查完成：0 个错误，1 个警告（--deny-warnings：有警告即不通过）\n");
    let out = zhengce()
        .args(["check", "--format", "json", "--deny-warnings"])
        .arg(&d)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(doc["errors"], 0);
    assert_eq!(doc["warnings"], 1);
    assert_eq!(doc["diagnostics"][0]["severity"], "warning");
}

#[test]
fn usage_errors_exit_two() {
    zhengce().arg("check").assert().code(2);
    zhengce()
        .args(["check", "a.zc", "--format", "xml"])
        .assert()
        .code(2);
    zhengce()
        .args(["check", "a.zc", "--date", "2024-02-30"])
        .assert()
        .code(2);
}

#[test]
fn human_output_shows_at_most_fifty_warnings() {
    let clauses: String = (1..=60)
        .map(|i| format!("  第{i}条 对 高新技术企业 给予 {i}万元\n"))
        .collect();
    let d = dir(
        "many",
        &[("a.zc", &format!("{VOCAB}政策 《多条款》 {{\n{clauses}}}\n"))],
    );
    let out = zhengce().arg("check").arg(&d).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.matches("zc::lint::missing_source").count(), 50);
    assert!(stderr.contains("另有 10 个警告未显示"), "{stderr}");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "检查完成：0 个错误，60 个警告\n"
    );
    let out = zhengce()
        .args(["check", "--format", "json"])
        .arg(&d)
        .output()
        .unwrap();
    assert_eq!(json(&out)["diagnostics"].as_array().unwrap().len(), 60);
}

#[test]
fn every_file_is_parsed_and_checking_waits_for_syntax() {
    let d = dir(
        "syntax",
        &[
            ("a.zc", "对 研发投入 超过 给予 20万元\n"),
            ("b.zc", "词汇 { 星级: 一星 < 二星 | 三星 }\n"),
            ("c.zc", "对 没有声明的词 给予 1万元\n"),
        ],
    );
    let out = zhengce()
        .args(["check", "--format", "json"])
        .arg(&d)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        codes(&json(&out)),
        ["zc::syntax::unexpected", "zc::syntax::mixed_enum"]
    );
    let out = zhengce().arg("check").arg(&d).output().unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "检查完成：2 个错误，0 个警告（修正以上错误后才会检查名称和类型）\n"
    );
}

#[test]
fn files_share_one_vocabulary_and_report_in_load_order() {
    let d = dir(
        "order",
        &[
            ("1-vocab.zc", VOCAB),
            ("2-a.zc", "对 高薪技术企业 给予 1万元\n"),
            (
                "3-b.zc",
                "对 研发投入 超过 3家 给予 1万元\n对 高新技术企业 给予 20万元，最高 30万元\n",
            ),
        ],
    );
    let out = zhengce()
        .args(["check", "--format", "json"])
        .arg(&d)
        .output()
        .unwrap();
    let doc = json(&out);
    assert_eq!(
        codes(&doc),
        [
            "zc::check::unknown_word",
            "zc::check::kind_mismatch",
            "zc::lint::cap_never_binds"
        ]
    );
    let files: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert!(
        files[0].ends_with("2-a.zc") && files[1].ends_with("3-b.zc"),
        "{files:?}"
    );
    assert_eq!(doc["errors"], 2);
    assert_eq!(doc["warnings"], 1);
}

#[test]
fn missing_paths_and_empty_directories() {
    let out = zhengce()
        .args(["check", "--format", "json", "没有这个文件.zc"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(codes(&doc), ["zc::load::io"]);
    assert_eq!(doc["diagnostics"][0]["span"], Value::Null);
    let d = dir("empty", &[("说明.txt", "不是政策文件")]);
    let out = zhengce()
        .args(["check", "--format", "json"])
        .arg(&d)
        .output()
        .unwrap();
    assert_eq!(codes(&json(&out)), ["zc::load::empty"]);
}

#[test]
fn the_date_lints_need_a_date() {
    let policy = format!(
        "{VOCAB}政策 《旧政策》 {{\n  施行 2018年8月12日 至 2021年12月31日\n  第一条 对 高新技术企业 给予 10万元 原文 「甲」\n}}\n"
    );
    let d = dir("dated", &[("a.zc", &policy)]);
    zhengce()
        .arg("check")
        .arg(&d)
        .assert()
        .code(0)
        .stdout("检查完成：0 个错误，0 个警告\n");
    let out = zhengce()
        .args(["check", "--format", "json", "--date", "2024年6月1日"])
        .arg(&d)
        .output()
        .unwrap();
    assert_eq!(codes(&json(&out)), ["zc::lint::policy_expired"]);
    let out = zhengce()
        .args(["check", "--format", "json", "--date", "2020-01-01"])
        .arg(&d)
        .output()
        .unwrap();
    assert_eq!(codes(&json(&out)), Vec::<String>::new());
}

#[test]
fn eval_refuses_input_with_errors_and_ignores_warnings() {
    let d = dir(
        "eval",
        &[
            ("bad.zc", &format!("{VOCAB}对 高薪技术企业 给予 10万元\n")),
            (
                "warn.zc",
                &format!("{VOCAB}对 高新技术企业 给予 20万元，最高 30万元\n"),
            ),
            ("facts.json", "{\"高新技术企业\": true}"),
        ],
    );
    let out = zhengce()
        .args([
            "eval",
            "--format",
            "json",
            "--date",
            "2024-06-01",
            "--facts",
        ])
        .arg(d.join("facts.json"))
        .arg(d.join("bad.zc"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(codes(&json(&out)), ["zc::check::unknown_word"]);
    zhengce()
        .args(["eval", "--date", "2024-06-01", "--facts"])
        .arg(d.join("facts.json"))
        .arg(d.join("warn.zc"))
        .assert()
        .code(0)
        .stderr("");
}
