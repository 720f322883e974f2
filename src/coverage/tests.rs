//! The citation rule on a small corpus.

use super::*;
use crate::source::SourceFile;

/// Five lines: two documents with one like-worded sentence each.
const CORPUS: &str = "甲文件
对首次认定的高新技术企业，给予最高20万元奖励；对重新认定的，给予最高10万元奖励。
乙文件
对首次认定的高新技术企业，给予最高20万元奖励。
市财政预算安排10亿元，其中给予补助5亿元。";

fn measure_text(policies: &str) -> Result<Coverage, Vec<CoverageError>> {
    let src = format!("词汇 {{ 甲: 是否 }}\n{policies}");
    let module = match crate::syntax::parse(&SourceFile::new("t.zc", src)) {
        Ok(m) => m,
        Err(e) => panic!("{e:?}"),
    };
    let checked = match crate::check::check(&[module]) {
        Ok(c) => c,
        Err(e) => panic!("{e:?}"),
    };
    measure(&checked.program, CORPUS)
}

fn ok(policies: &str) -> Coverage {
    match measure_text(policies) {
        Ok(c) => c,
        Err(e) => panic!("{e:?}"),
    }
}

#[test]
fn a_quote_inside_a_sentence_cites_it_and_only_it() {
    let c = ok("政策 《甲》 { 出处 第1行 至 第2行
        “一” 对 甲 给予 最高 20万元 原文 「对首次认定的高新技术企业，给予最高20万元奖励」 }");
    assert_eq!((c.covered(), c.total()), (1, 2));
    assert_eq!(c.sentences[0].line, 2);
    assert_eq!(c.sentences[0].cited_by, vec!["《甲》一".to_string()]);
    assert!(c.sentences[1].cited_by.is_empty());
    assert_eq!(c.sentences[1].text, "对重新认定的，给予最高10万元奖励。");
}

#[test]
fn a_quote_across_a_terminator_cites_the_sentences_it_mostly_covers() {
    // The quote holds all of the second sentence and only 对首次认定… of
    // the first: both ends lie in different sentences, so each is judged by
    // the share it covers.
    let c = ok("政策 《甲》 { 出处 第2行 至 第2行
        “一” 对 甲 给予 最高 20万元 原文 「给予最高20万元奖励；对重新认定的，给予最高10万元奖励。」 }");
    assert_eq!(c.total(), 2);
    // 给予最高20万元奖励； is 11 of the first sentence's 24 characters.
    assert!(c.sentences[0].cited_by.is_empty());
    assert_eq!(c.sentences[1].cited_by.len(), 1);
}

#[test]
fn a_quote_never_cites_a_like_worded_sentence_of_another_document() {
    let c = ok("政策 《甲》 { 出处 第1行 至 第2行
        “一” 对 甲 给予 最高 20万元 原文 「对首次认定的高新技术企业，给予最高20万元奖励」 }
      政策 《乙》 { 出处 第3行 至 第5行 }");
    let line4 = c.sentences.iter().find(|s| s.line == 4);
    assert!(line4.is_some_and(|s| s.cited_by.is_empty()), "{c:?}");
    assert_eq!(c.policies, 2);
}

#[test]
fn budget_lines_are_not_grant_sentences() {
    let c = ok("政策 《乙》 { 出处 第3行 至 第5行 }");
    assert_eq!(c.total(), 1);
    assert_eq!(c.sentences[0].line, 4);
}

#[test]
fn policies_without_provenance_measure_nothing() {
    let c = ok("政策 《甲》 { 对 甲 给予 1元 原文 「对首次认定」 }");
    assert_eq!((c.covered(), c.total(), c.policies), (0, 0, 0));
    assert_eq!(c.per_mille(), None);
}

#[test]
fn per_mille_rounds_half_up() {
    let c = Coverage {
        sentences: (0..3)
            .map(|i| GrantSentence {
                line: i,
                text: String::new(),
                cited_by: if i < 2 { vec!["x".into()] } else { vec![] },
            })
            .collect(),
        policies: 1,
    };
    // 2/3 = 666.67‰ → 667‰.
    assert_eq!(c.per_mille(), Some(667));
}

#[test]
fn a_provenance_past_the_corpus_is_an_error() {
    let Err(errors) = measure_text("政策 《甲》 { 出处 第4行 至 第9行 }") else {
        panic!("expected an error")
    };
    let shown = crate::diagnostics::render(&errors[0], crate::diagnostics::Style::plain());
    assert!(shown.contains("zc::coverage::beyond_corpus"), "{shown}");
    assert!(shown.contains("第9行"), "{shown}");
}
