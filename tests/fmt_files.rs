//! Every `.zc` file under `examples/`, `policies/` and `tests/cases/` (a
//! file per construct, so each construct is formatted) formats soundly
//! (the formatter's own check: same syntax tree, same comments) and
//! idempotently. Files that do not parse are left to the parser's tests and
//! listed on stderr. The before/after example of `docs/fmt.md` is real.

use std::path::{Path, PathBuf};

use zhengce::internals::fmt::{FmtError, format};
use zhengce::internals::source::SourceFile;

fn zc_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            zc_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "zc") {
            out.push(p);
        }
    }
}

#[test]
fn every_example_and_policy_formats_idempotently() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    zc_files(&root.join("examples"), &mut files);
    zc_files(&root.join("policies"), &mut files);
    zc_files(&root.join("tests/cases"), &mut files);
    let mut formatted = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.display().to_string();
        let once = match format(&SourceFile::new(name.clone(), text)) {
            Ok(t) => t,
            Err(FmtError::Syntax(e)) => {
                eprintln!("跳过（无法解析）：{name}：{e}");
                continue;
            }
            Err(e) => panic!("{:?}", miette::Report::new(e)),
        };
        let twice = format(&SourceFile::new(name.clone(), once.clone()))
            .unwrap_or_else(|e| panic!("{:?}", miette::Report::new(e)));
        assert_eq!(once, twice, "{name}: formatting twice changes the text");
        formatted += 1;
    }
    eprintln!("{formatted} of {} files formatted", files.len());
}

#[test]
fn the_documented_example_formats_as_shown() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/fmt.md")).unwrap();
    let blocks = crate::common::code_blocks(&doc, "zc");
    let [before, after] = blocks.as_slice() else {
        panic!(
            "docs/fmt.md should hold exactly two zc blocks, found {}",
            blocks.len()
        )
    };
    let run = |text: &str| {
        format(&SourceFile::new("docs/fmt.md", text.to_string()))
            .unwrap_or_else(|e| panic!("{:?}", miette::Report::new(e)))
    };
    assert_eq!(run(before), *after);
    assert_eq!(run(after), *after);
}

#[test]
fn ranks_in_chinese_numerals_format_as_arabic_digits() {
    // fmt writes one form of a rank; the program is the same either way,
    // so the case file passes before and after (tests/cases.rs runs it).
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases/中文名次.zc");
    let text = std::fs::read_to_string(path).unwrap();
    let once = format(&SourceFile::new(path, text)).unwrap();
    for written in [
        "全区排名 前5名 给予 10万元",
        "为 第1名、第2名、第3名、第4名、第5名",
        "全区排名 前12名 给予 5万元",
        "全区排名 为 第12名 给予 3万元",
        "全区排名 前105名 给予 2000元",
        "全区排名 前2名 给予 8万元",
        "全区排名：第106名",
    ] {
        assert!(once.contains(written), "missing “{written}” in:\n{once}");
    }
    assert!(!once.contains("前五名 给予"), "{once}");
    let twice = format(&SourceFile::new(path, once.clone())).unwrap();
    assert_eq!(once, twice);
}

#[test]
fn years_in_chinese_numerals_format_as_arabic_digits() {
    // As with ranks: one written form, the same program either way.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases/分年给予.zc");
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.contains("起 前三年 每年"),
        "the case file lost its Chinese numerals"
    );
    let once = format(&SourceFile::new(path, text)).unwrap();
    for written in [
        "起 前3年 每年 年度贡献 的 80%，后2年 每年 年度贡献 的 50% 奖励",
        "900万元 分3年 按 40%、30%、30% 补助",
    ] {
        assert!(once.contains(written), "missing “{written}” in:\n{once}");
    }
    assert!(!once.contains("前三年 每年"), "{once}");
}
