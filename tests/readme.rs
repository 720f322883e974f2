//! Every example in README.md runs: `zc` blocks are parsed and checked
//! together, in order (as a drafter would build a file); `console` blocks
//! run each `$ zhengce …` command with the real binary and compare its
//! output with the lines that follow.

use std::process::Command;

use zhengce::internals::source::SourceFile;

fn blocks(lang: &str) -> Vec<String> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    crate::common::code_blocks(&readme, lang)
}

#[test]
fn zc_examples_parse_and_check_together() {
    let blocks = blocks("zc");
    assert!(blocks.len() >= 5, "README lost its examples");
    let mut modules = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let file = SourceFile::new(format!("README 第 {} 段", i + 1), b.as_str());
        let m = zhengce::internals::syntax::parse(&file).unwrap_or_else(|e| {
            panic!(
                "{}",
                zhengce::internals::diagnostics::render(
                    &e,
                    zhengce::internals::diagnostics::Style::plain()
                )
            )
        });
        modules.push(m);
        if let Err(errors) = zhengce::internals::check::check(&modules) {
            let shown: String = errors
                .iter()
                .map(|e| {
                    zhengce::internals::diagnostics::render(
                        e,
                        zhengce::internals::diagnostics::Style::plain(),
                    )
                })
                .collect();
            panic!("README 第 {} 段：\n{shown}", i + 1);
        }
    }
}

#[test]
fn zc_examples_are_in_canonical_layout() {
    for (i, b) in blocks("zc").iter().enumerate() {
        let file = SourceFile::new(format!("README 第 {} 段", i + 1), b.as_str());
        let formatted = zhengce::internals::fmt::format(&file).unwrap_or_else(|e| {
            panic!(
                "{}",
                zhengce::internals::diagnostics::render(
                    &e,
                    zhengce::internals::diagnostics::Style::plain()
                )
            )
        });
        assert_eq!(
            &formatted,
            b,
            "README 第 {} 段不是规范排版：运行 zhengce fmt --stdin 后粘贴结果",
            i + 1
        );
    }
}

#[test]
fn console_examples_print_what_the_readme_says() {
    let blocks = blocks("console");
    assert!(!blocks.is_empty());
    let mut ran = 0;
    for b in blocks {
        let mut commands: Vec<(String, String)> = Vec::new();
        for line in b.lines() {
            if let Some(cmd) = line.strip_prefix("$ ") {
                commands.push((cmd.to_string(), String::new()));
            } else if let Some((_, out)) = commands.last_mut() {
                out.push_str(line);
                out.push('\n');
            }
        }
        for (cmd, expected) in commands {
            let merge = cmd.ends_with(" 2>&1");
            let cmd = cmd.trim_end_matches(" 2>&1");
            let mut words = cmd.split_whitespace();
            assert_eq!(
                words.next(),
                Some("zhengce"),
                "README commands start with zhengce: {cmd}"
            );
            let output = Command::new(env!("CARGO_BIN_EXE_zhengce"))
                .args(words)
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            let mut actual = String::from_utf8_lossy(&output.stdout).into_owned();
            if merge {
                actual.push_str(&String::from_utf8_lossy(&output.stderr));
            }
            let trim = |s: &str| s.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
            assert_eq!(trim(&actual), trim(&expected), "README command: {cmd}");
            ran += 1;
        }
    }
    assert!(ran >= 3);
}
