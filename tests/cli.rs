//! The real binary: stdout, stderr and exit code, snapshotted.

use std::process::Command;

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_zhengce"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

const POLICY: &str = "examples/教程.zc";

#[test]
fn eval_text_with_explanation() {
    insta::assert_snapshot!(run(&[
        "eval",
        POLICY,
        "--facts",
        "examples/教程企业.json",
        "--date",
        "2020-06-01",
        "--explain"
    ]));
}

#[test]
fn eval_json() {
    insta::assert_snapshot!(run(&[
        "eval",
        POLICY,
        "--facts",
        "examples/教程企业.toml",
        "--date",
        "2020-06-01",
        "--format",
        "json"
    ]));
}

#[test]
fn eval_hides_what_does_not_concern_the_entity() {
    let out = run(&[
        "eval",
        POLICY,
        "--facts",
        "examples/教程企业.json",
        "--date",
        "2022-01-01",
    ]);
    assert_eq!(
        out,
        "exit: 0\n--- stdout\n评估日期：2022年1月1日\n\n可获得：\n没有适用的给予或免于条款\n合计：0元\n\
         \n其余条款：\n  《示例区集成电路研发补助办法（教学用）》：不在施行期 3 条\n--- stderr\n"
    );
}

#[test]
fn eval_out_of_force() {
    insta::assert_snapshot!(run(&[
        "eval",
        POLICY,
        "--facts",
        "examples/教程企业.json",
        "--date",
        "2022-01-01",
        "--format",
        "text",
        "--all"
    ]));
}

#[test]
fn json_and_toml_facts_agree() {
    let json = run(&[
        "eval",
        POLICY,
        "--facts",
        "examples/教程企业.json",
        "--date",
        "2020-06-01",
        "--format",
        "json",
    ]);
    let toml = run(&[
        "eval",
        POLICY,
        "--facts",
        "examples/教程企业.toml",
        "--date",
        "2020-06-01",
        "--format",
        "json",
    ]);
    assert_eq!(json, toml);
}

#[test]
fn bad_facts_are_diagnostics_pointing_into_the_file() {
    insta::assert_snapshot!(run(&[
        "eval",
        POLICY,
        "--facts",
        "tests/cli/bad_facts.json",
        "--date",
        "2020-06-01"
    ]));
}

#[test]
fn broken_json_points_at_the_syntax_error() {
    insta::assert_snapshot!(run(&[
        "eval",
        POLICY,
        "--facts",
        "tests/cli/broken.json",
        "--format",
        "json"
    ]));
}

#[test]
fn usage_errors_exit_2() {
    let out = run(&[
        "eval",
        POLICY,
        "--facts",
        "examples/教程企业.json",
        "--date",
        "2024-02-30",
    ]);
    assert!(out.starts_with("exit: 2\n"), "{out}");
    let out = run(&["eval", POLICY]);
    assert!(out.starts_with("exit: 2\n"), "{out}");
}

#[test]
fn a_deliberately_wrong_case_fails_the_run() {
    let dir = std::env::temp_dir().join(format!("zc-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("wrong.zc");
    std::fs::write(
        &file,
        "词汇 { 研发投入: 金额 }\n“一” 对 研发投入 超过 300万元 给予 研发投入 的 20%\n\
         案例 “对” { 事实 { 研发投入: 800万元 } 日期 2024年6月1日 期望 “一” 给予 160万元 }\n\
         案例 “错” { 事实 { 研发投入: 800万元 } 日期 2024年6月1日 期望 “一” 给予 150万元 }\n",
    )
    .unwrap();
    let out = run(&["test", file.to_str().unwrap()]);
    assert!(out.starts_with("exit: 1\n"), "{out}");
    assert!(out.contains("\n1 passed, 1 failed\n--- stderr"), "{out}");
    assert!(
        out.contains("期望：给予 150万元\n    实际：给予 160万元"),
        "{out}"
    );
}

/// `--explain` shows the deadline a condition computed, beside the facts it
/// read: 2024年9月27日（星期五）受理, 9月29日（星期日，调休上班）and 9月30日 are
/// the 1st and 2nd working days, 10月1日–7日 国庆, then 10月8日, 9日, 10日:
/// the 5th working day is 2024年10月10日. One month after 9月27日 is 10月27日.
#[test]
fn explain_shows_the_deadline_a_condition_computed() {
    let dir = tempfile::tempdir().unwrap();
    let facts = dir.path().join("事实.json");
    std::fs::write(
        &facts,
        r#"{"依申请政务服务事项": true, "受理日期": "2024-09-27", "办结日期": "2024-10-11"}"#,
    )
    .unwrap();
    let out = run(&[
        "eval",
        "tests/cases/期限.zc",
        "--facts",
        facts.to_str().unwrap(),
        "--date",
        "2024-10-11",
        "--explain",
    ]);
    assert!(
        out.contains(
            "    ✗ 按期办结\n      ✗ 办结日期 不晚于 受理日期 后 5个工作日    〔办结日期 = 2024年10月11日，\
             受理日期 = 2024年9月27日，受理日期 后 5个工作日 = 2024年10月10日〕\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("受理日期 后 1个月 = 2024年10月27日〕"),
        "{out}"
    );
}
