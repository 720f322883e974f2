//! `tests/cases/*.zc`: evaluation cases as data. Each file is loaded on
//! its own and every 案例 in it must pass; a maintainer adds a case by
//! adding a 案例 (or a file), without writing Rust.
#![allow(clippy::unwrap_used, clippy::panic)]

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
        let checked = zhengce::load::compile(std::slice::from_ref(file)).unwrap_or_else(|errors| {
            panic!(
                "{}: {}",
                file.display(),
                errors
                    .iter()
                    .map(|e| zhengce::diagnostics::render(e, zhengce::diagnostics::Style::plain()))
                    .collect::<String>()
            )
        });
        let program = &checked.program;
        assert!(!program.cases.is_empty(), "{} has no 案例", file.display());
        for (i, case) in program.cases.iter().enumerate() {
            let r = zhengce::testing::run_case(program, i, case);
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
