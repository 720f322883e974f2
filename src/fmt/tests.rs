#![allow(clippy::panic)]
use super::*;

/// Formats `src`, asserting that formatting again changes nothing.
fn fmt(src: &str) -> String {
    let once = match format(&SourceFile::new("t.zc", src)) {
        Ok(s) => s,
        Err(e) => panic!("{:?}", miette::Report::new(e)),
    };
    let twice = match format(&SourceFile::new("t.zc", once.clone())) {
        Ok(s) => s,
        Err(e) => panic!("{:?}", miette::Report::new(e)),
    };
    assert_eq!(once, twice, "not idempotent");
    once
}

#[test]
fn smoke() {
    let out = fmt(
        "词汇 { 高新技术企业: 是否  认定类型: 首次认定 | 重新认定 }\n对 首次认定 高新技术企业 给予 最高 20万元\n",
    );
    assert_eq!(
        out,
        "词汇 {\n  高新技术企业：是否\n  认定类型：首次认定 | 重新认定\n}\n对 首次认定 高新技术企业 给予 最高 20万元\n"
    );
}
