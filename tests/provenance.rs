//! Where clauses come from: every shipped policy names its corpus lines
//! (`出处 第A行 至 第B行`), a reversed range is a check error, and a clause
//! may cite several sentences (one `原文` each).

use crate::common;

use std::path::Path;

use zhengce::internals::source::SourceFile;

fn check(
    src: &str,
) -> Result<zhengce::internals::check::Checked, Vec<zhengce::internals::check::CheckError>> {
    let module = zhengce::internals::syntax::parse(&SourceFile::new("t.zc", src))
        .unwrap_or_else(|e| panic!("{}", common::render(&e)));
    zhengce::internals::check::check(&[module])
}

#[test]
fn provenance_is_kept_on_the_policy() {
    let checked = check(
        "词汇 { 甲: 是否 }\n政策 《示例》 {\n  出处 第378行 至 第407行\n  对 甲 给予 1元\n}\n",
    )
    .unwrap();
    assert_eq!(checked.program.policies[0].provenance, Some((378, 407)));
}

#[test]
fn a_reversed_provenance_is_an_error() {
    let errors = check("政策 《示例》 {\n  出处 第407行 至 第378行\n}\n").unwrap_err();
    assert_eq!(errors.len(), 1);
    let shown = common::render(&errors[0]);
    assert!(shown.contains("zc::check::provenance_reversed"), "{shown}");
    assert!(shown.contains("第407行"), "{shown}");
}

#[test]
fn every_shipped_policy_names_its_corpus_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let checked = zhengce::internals::load::compile(&[root.join("policies")]).unwrap();
    for p in &checked.program.policies {
        if p.title.is_some() {
            assert!(p.provenance.is_some(), "《{:?}》没有出处", p.title);
        }
    }
}

#[test]
fn a_clause_may_cite_several_sentences() {
    let checked = check(
        "词汇 { 甲: 是否 }\n政策 《示例》 {\n  对 甲 给予 1元\n    原文 「第一句。」\n    原文 「第二句。」\n}\n",
    )
    .unwrap();
    let clause = &checked.program.policies[0].clauses[0];
    assert_eq!(clause.source.as_deref(), Some("第一句。"));
    assert_eq!(clause.also_cites, vec!["第二句。".to_string()]);
}
