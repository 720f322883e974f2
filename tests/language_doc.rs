//! docs/language.md says every `zc` block in it was run: this keeps that
//! true. Each block is checked together with the example vocabulary of §1
//! (the first block), as the reference's examples assume; a block that
//! elides a part with `…` and so does not parse is a sketch, only counted.

use zhengce::internals::diagnostics::{Style, render};
use zhengce::internals::source::SourceFile;

fn zc_blocks() -> Vec<String> {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/language.md")).unwrap();
    crate::common::code_blocks(&doc, "zc")
}

fn parse(name: String, text: &str) -> zhengce::internals::ast::Module {
    try_parse(name, text).unwrap_or_else(|e| panic!("{e}"))
}

fn try_parse(name: String, text: &str) -> Result<zhengce::internals::ast::Module, String> {
    let file = SourceFile::new(name, text);
    zhengce::internals::syntax::parse(&file).map_err(|e| render(&e, Style::plain()))
}

#[test]
fn every_zc_block_checks_with_the_example_vocabulary() {
    let blocks = zc_blocks();
    assert!(blocks.len() >= 20, "docs/language.md lost its examples");
    let vocab = parse("docs/language.md 第 1 段".into(), &blocks[0]);
    let mut sketches = 0;
    for (i, b) in blocks.iter().enumerate().skip(1) {
        let block = match try_parse(format!("docs/language.md 第 {} 段", i + 1), b) {
            Ok(m) => m,
            // `对 … 给予`: an elided condition, not an example.
            Err(_) if b.contains('…') => {
                sketches += 1;
                continue;
            }
            Err(e) => panic!("{e}"),
        };
        if let Err(errors) = zhengce::internals::check::check(&[vocab.clone(), block]) {
            let shown: String = errors.iter().map(|e| render(e, Style::plain())).collect();
            panic!("docs/language.md 第 {} 段：\n{shown}", i + 1);
        }
    }
    // The sketches are few: a block is an example unless it says otherwise.
    assert!(sketches <= 2, "{sketches} zc blocks elide with …");
}

/// §13.2's JSON example is what `zhengce eval --format json` writes for its
/// policy (with §1's vocabulary) and facts: every field, none left out.
#[test]
fn the_json_example_is_what_eval_writes() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/language.md")).unwrap();
    let section = doc
        .split("### 13.2 JSON 输出")
        .nth(1)
        .and_then(|rest| rest.split("### 13.3").next())
        .expect("docs/language.md lost §13.2");
    let policy = crate::common::code_blocks(section, "zc");
    let json = crate::common::code_blocks(section, "json");
    let (Some(policy), Some(json)) = (policy.first(), json.first()) else {
        panic!("§13.2 should show a zc block and its json output");
    };
    let vocab = zc_blocks().remove(0);
    let file = crate::common::scratch(
        "language_doc",
        "json_example.zc",
        &format!("{vocab}\n{policy}"),
    );
    let facts = crate::common::scratch(
        "language_doc",
        "json_example.json",
        r#"{"高新技术企业": true, "认定类型": "重新认定", "研发投入": "800万元"}"#,
    );
    assert!(
        section.contains(
            r#"事实为 `{"高新技术企业": true, "认定类型": "重新认定", "研发投入": "800万元"}`"#
        ),
        "§13.2 names other facts than the test reads"
    );
    let out = crate::common::zhengce(&[
        "eval",
        &file.to_string_lossy(),
        "--facts",
        &facts.to_string_lossy(),
        "--date",
        "2024-06-01",
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let shown: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(shown, written, "§13.2's example differs from the output");
}
