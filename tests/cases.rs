//! `tests/cases/*.zc`: evaluation cases as data. Each file is loaded on
//! its own and every 案例 in it must pass; a maintainer adds a case by
//! adding a 案例 (or a file), without writing Rust.

use std::path::Path;

#[test]
fn every_case_file_passes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "zc"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no case files in {}", dir.display());
    let mut failures = Vec::new();
    for file in &files {
        let checked = zhengce::internals::load::compile(std::slice::from_ref(file)).unwrap_or_else(
            |errors| {
                panic!(
                    "{}: {}",
                    file.display(),
                    errors
                        .iter()
                        .map(|e| zhengce::internals::diagnostics::render(
                            e,
                            zhengce::internals::diagnostics::Style::plain()
                        ))
                        .collect::<String>()
                )
            },
        );
        let program = &checked.program;
        assert!(!program.cases.is_empty(), "{} has no 案例", file.display());
        for (i, case) in program.cases.iter().enumerate() {
            let r = zhengce::internals::testing::run_case(program, i, case);
            if let Some(e) = &r.error {
                failures.push(format!("{} “{}”: {e}", file.display(), case.name));
            }
            for f in &r.failures {
                failures.push(format!(
                    "{} “{}”: {}\n  期望：{}\n  实际：{}",
                    file.display(),
                    case.name,
                    f.expectation,
                    f.expected,
                    f.actual
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each expectation form must also fail when the result differs, and say
/// what was expected and what came out.
#[test]
fn wrong_expectations_fail_with_both_sides() {
    let src = "允许 missing-source
词汇 { 高企：是否  收入：金额 }
政策 《甲》 {
  施行 2024年1月1日 起
  分担 市 50% 区县 50%
  “一” 对 高企 给予 10万元 事项 “总部”
  “二” 对 高企 给予 30万元 事项 “总部”
  “三” 对 高企 给予 收入 的 1%
  “倡” 对 高企 鼓励 「参与标准制定」
}
案例 “都写错” {
  事实 { 高企：是  收入：1001元 }
  日期 2024年6月1日
  期望 《甲》“二” 由 《甲》“一” 取代
  期望 《甲》“三” 分担 市 5.00元 区县 5.01元
  期望 《甲》“三” 不在施行期
  期望 《甲》“一” 鼓励
  期望 《甲》“倡” 给予 1元
}
";
    let dir = std::env::temp_dir().join(format!("zc-cases-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("都写错.zc");
    std::fs::write(&file, src).unwrap();
    let checked = zhengce::internals::load::compile(std::slice::from_ref(&file))
        .unwrap_or_else(|_| panic!("does not check"));
    let r = zhengce::internals::testing::run_case(&checked.program, 0, &checked.program.cases[0]);
    let got: Vec<(String, String)> = r
        .failures
        .iter()
        .map(|f| (f.expected.clone(), f.actual.clone()))
        .collect();
    let want: Vec<(String, String)> = [
        // 一 and 二 share 总部; the higher (二, 30万元) keeps it.
        ("由 《甲》“一” 取代", "给予 30万元"),
        // 1001元 × 1% = 10.01元: 市 5.01元 (the larger remainder goes first), 区县 5.00元.
        ("分担 市 5元 区县 5.01元", "分担 市 5.01元 区县 5元"),
        ("不在施行期", "给予 10.01元"),
        ("鼓励", "给予 10万元（被二取代）"),
        ("给予 1元", "适用（倡导性，不产生违反）"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_string(), (*b).to_string()))
    .collect();
    assert_eq!(got, want);
    std::fs::remove_dir_all(&dir).ok();
}
