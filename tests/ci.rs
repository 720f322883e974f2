//! zhengce in CI: the GitHub, SARIF and JUnit outputs of `check` and
//! `test`, character columns, `eval --fail-on`, line endings kept by
//! `fmt`, and the commands of docs/ci.md run as written.
use std::process::Output;

use serde_json::Value;

use crate::common::zhengce;

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

// tests/ci/错误.zc line 7 is `  “奖励” 对 示例高薪技术企业 …`: two spaces,
// “奖励” (4 characters, columns 3–6), a space, 对 (8), a space, so the
// misspelt word starts at column 10 (byte column 18: each Chinese
// character is 3 bytes) and its 8 characters end before column 18.

#[test]
fn human_and_json_columns_count_characters() {
    let human = zhengce(&["check", "tests/ci/错误.zc"]);
    let err = String::from_utf8(human.stderr).unwrap();
    assert!(err.contains("╭─[tests/ci/错误.zc:7:10]"), "{err}");
    let json = zhengce(&["check", "--format", "json", "tests/ci/错误.zc"]);
    let doc: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["diagnostics"][0]["line"], 7);
    assert_eq!(doc["diagnostics"][0]["column"], 10);
}

#[test]
fn check_github_annotates_the_misspelt_word() {
    let o = zhengce(&["check", "--format", "github", "tests/ci/错误.zc"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        "::error file=tests/ci/错误.zc,line=7,col=10,endLine=7,endColumn=18,\
         title=zc%3A%3Acheck%3A%3Aunknown_word::未定义的词：示例高薪技术企业%0A\
         您是否想写：示例高新技术企业？\n\
         检查完成：1 个错误，0 个警告\n"
    );
}

fn sarif_shape(doc: &Value) {
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "zhengce");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for r in run["results"].as_array().unwrap() {
        let id = r["ruleId"].as_str().unwrap();
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index], id, "ruleIndex names its rule");
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(r["message"]["text"].is_string());
    }
}

#[test]
fn check_sarif_names_the_rule_and_the_region_in_characters() {
    let o = zhengce(&["check", "--format", "sarif", "tests/ci/错误.zc"]);
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    sarif_shape(&doc);
    let region = &doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startColumn"], 10);
    assert_eq!(region["endColumn"], 18);
    // 8 characters of 3 bytes each.
    assert_eq!(region["byteLength"], 24);
    insta::assert_snapshot!("check_sarif", stdout(&o));
}

#[test]
fn test_junit_reports_a_check_error_as_a_failed_case() {
    let o = zhengce(&["test", "--format", "junit", "tests/ci/错误.zc"]);
    assert_eq!(o.status.code(), Some(1));
    let xml = stdout(&o);
    assert!(xml.starts_with("<?xml"), "{xml}");
    insta::assert_snapshot!("test_junit_check_error", xml);
}

#[test]
fn test_github_and_sarif_point_at_the_failed_case() {
    // The case block of 期望写错 runs from line 9 (`  案例 …`, column 3)
    // to its closing brace on line 15.
    let o = zhengce(&["test", "--format", "github", "tests/ci/失败.zc"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        "::error file=tests/ci/失败.zc,line=9,col=3,endLine=15,title=zc%3A%3Atest%3A%3Afailed::\
         案例 《CI示例》期望写错 未通过%0A期望 “奖励” 给予 15万元：期望 给予 15万元，实际 给予 10万元\n\
         通过 1 个，失败 1 个\n1 passed, 1 failed\n"
    );
    let o = zhengce(&["test", "--format", "sarif", "tests/ci/失败.zc"]);
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    sarif_shape(&doc);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "the passing case is not a finding");
    assert_eq!(results[0]["ruleId"], "zc::test::failed");
    let region = &results[0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].clone(), region["endLine"].clone()),
        (9.into(), 15.into())
    );
}

#[test]
fn test_human_ends_with_the_chinese_then_the_english_summary() {
    let o = zhengce(&["test", "tests/ci/失败.zc"]);
    let out = stdout(&o);
    let last: Vec<&str> = out.lines().rev().take(2).collect();
    assert_eq!(last, ["1 passed, 1 failed", "通过 1 个，失败 1 个"]);
}

fn eval_exit(facts: &str, fail_on: &[&str]) -> Option<i32> {
    let facts = format!("tests/ci/{facts}.json");
    let mut args = vec![
        "eval",
        "tests/ci/违反.zc",
        "--facts",
        &facts,
        "--date",
        "2024-06-01",
    ];
    for f in fail_on {
        args.extend(["--fail-on", f]);
    }
    zhengce(&args).status.code()
}

#[test]
fn eval_fail_on_exits_3_only_when_that_result_occurs() {
    // 违反.json: 违规收费 = 是, so 不得 is violated; 按期公示 is missing.
    assert_eq!(eval_exit("违反", &[]), Some(0));
    assert_eq!(eval_exit("违反", &["violated"]), Some(3));
    // 待定.json: nothing violated, 按期公示 missing: 应当 is undecided.
    assert_eq!(eval_exit("待定", &["violated"]), Some(0));
    assert_eq!(eval_exit("待定", &["undecided"]), Some(3));
    assert_eq!(eval_exit("待定", &["violated,undecided"]), Some(3));
    // 遵守.json: both met.
    assert_eq!(eval_exit("遵守", &["violated", "undecided"]), Some(0));
    assert_eq!(
        eval_exit("遵守", &["违反"]),
        Some(2),
        "an unknown value is a usage error"
    );
    let o = zhengce(&[
        "eval",
        "tests/ci/违反.zc",
        "--facts",
        "tests/ci/违反.json",
        "--date",
        "2024-06-01",
        "--fail-on",
        "violated,undecided",
    ]);
    assert_eq!(
        String::from_utf8(o.stderr).unwrap(),
        "结果中有违反、待定的条款（--fail-on violated,undecided），退出码 3\n"
    );
}

const CRLF: &str = "词汇 {\r\n  示例高企：是否\r\n}\r\n\r\n对 示例高企 给予 10万元 奖励\r\n";

#[test]
fn fmt_keeps_crlf_and_says_when_only_line_endings_differ() {
    let dir = tempfile::tempdir().unwrap();
    let tidy = dir.path().join("tidy.zc");
    std::fs::write(&tidy, CRLF).unwrap();
    let o = zhengce(&["fmt", "--check", tidy.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "a canonical CRLF file is canonical"
    );

    let mixed = dir.path().join("mixed.zc");
    std::fs::write(&mixed, CRLF.replacen("是否\r\n", "是否\n", 1)).unwrap();
    let o = zhengce(&["fmt", "--check", mixed.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        format!(
            "{}：只有行尾不一致，应统一为 CRLF（与第一行相同）\n",
            mixed.display()
        )
    );
    let o = zhengce(&["fmt", mixed.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&mixed).unwrap(), CRLF);

    // A CRLF file that needs formatting comes back CRLF.
    let messy = dir.path().join("messy.zc");
    std::fs::write(&messy, CRLF.replace("示例高企：是否", "示例高企:   是否")).unwrap();
    let o = zhengce(&["fmt", messy.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), CRLF);
}

/// The `zhengce …` lines of docs/ci.md's YAML blocks (a `run:` step or a
/// `script:` item).
fn doc_commands() -> Vec<String> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/ci.md")).unwrap();
    let mut out = Vec::new();
    let mut in_yaml = false;
    for line in doc.lines() {
        match line.trim() {
            "```yaml" => in_yaml = true,
            "```" => in_yaml = false,
            l if in_yaml => {
                let l = l.trim_start_matches("- ").trim_start_matches("run: ");
                if l.starts_with("zhengce ") {
                    out.push(l.to_string());
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn docs_ci_commands_run_and_pass() {
    let commands = doc_commands();
    assert!(
        commands.len() >= 8,
        "docs/ci.md lost its commands: {commands:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    for cmd in commands {
        let (cmd, redirect) = match cmd.split_once(" > ") {
            Some((c, file)) => (c.to_string(), Some(file.trim().to_string())),
            None => (cmd, None),
        };
        let words: Vec<&str> = cmd.split_whitespace().skip(1).collect();
        let o = zhengce(&words);
        assert_eq!(
            o.status.code(),
            Some(0),
            "docs/ci.md: {cmd}\n{}",
            String::from_utf8_lossy(&o.stderr)
        );
        if let Some(file) = redirect {
            let text = stdout(&o);
            std::fs::write(dir.path().join(&file), &text).unwrap();
            if file.ends_with(".xml") {
                assert!(
                    text.starts_with("<?xml") && text.contains("<testsuites"),
                    "{cmd}"
                );
                assert!(!text.contains("<failure"), "{cmd}");
            } else {
                let doc: Value = serde_json::from_str(&text).unwrap();
                sarif_shape(&doc);
            }
        }
    }
}
