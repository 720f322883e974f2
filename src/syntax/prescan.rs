//! What is refused before pest reads a file and right after it reads each
//! item: NUL bytes, and brackets — `（）`, `｛｝` and `［］`, in either
//! width — nested deeper than [`MAX_DEPTH`]. pest is built without its
//! native stack probe, so this is what keeps its recursion bounded.
//!
//! The scan skips strings, 原文, titles and comments exactly as the grammar
//! reads them, so a `「`, `#` or `“` inside one of them cannot hide the
//! parentheses after it. The tree check runs on what pest produced for an
//! item, before lowering it, so that lowering and every later stage
//! recurse a bounded number of times even if the scan and the grammar
//! ever disagree.

use pest::Token;
use pest::iterators::Pairs;

use super::{Rule, SyntaxError};
use crate::lexicon::trivia;
use crate::source::{SourceFile, Span};

/// How deep brackets may nest. Real files use five or six levels (a policy,
/// a case, its facts, a list, an item, a parenthesis); the limit keeps
/// pest's recursion (and ours) far from the stack's end even on a test
/// thread's 2 MiB stack.
pub const MAX_DEPTH: usize = 64;

fn too_deep(source: &SourceFile, at: usize, len: usize) -> SyntaxError {
    SyntaxError::TooDeep {
        src: source.named(),
        span: Span::new(at, at + len).into(),
        limit: MAX_DEPTH,
    }
}

/// Refuses NUL bytes and nesting deeper than `MAX_DEPTH` before pest
/// recurses into it.
pub(super) fn scan(source: &SourceFile) -> Result<(), SyntaxError> {
    let text = &source.text;
    let mut depth = 0usize;
    for segment in trivia::segments(text) {
        let code = segment.kind == trivia::Kind::Code;
        let at = segment.range.start;
        for (i, c) in text.get(segment.range).unwrap_or("").char_indices() {
            let i = at + i;
            if c == '\0' {
                return Err(SyntaxError::NulByte {
                    src: source.named(),
                    span: Span::new(i, i + 1).into(),
                });
            }
            match c {
                '(' | '（' | '{' | '｛' | '[' | '［' if code => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(too_deep(source, i, c.len_utf8()));
                    }
                }
                ')' | '）' | '}' | '｝' | ']' | '］' if code => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    Ok(())
}

/// Whether a rule is one of the grammar's only ways to recurse.
fn nests(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::paren_cond
            | Rule::paren_expr
            | Rule::func_call
            | Rule::ty_list
            | Rule::fact_list
            | Rule::fact_record
            | Rule::fact_years
    )
}

/// Refuses a parsed tree nested deeper than `MAX_DEPTH`, without
/// recursing over it. `base` is where the text pest read `pairs` from
/// starts in `source` (pest counts from there).
pub(super) fn check_tree(
    source: &SourceFile,
    pairs: &Pairs<'_, Rule>,
    base: usize,
) -> Result<(), SyntaxError> {
    let mut depth = 0usize;
    for token in pairs.clone().tokens() {
        match token {
            Token::Start { rule, pos } if nests(rule) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    let at = base + pos.pos();
                    let len = source
                        .text
                        .get(at..)
                        .and_then(|r| r.chars().next())
                        .map_or(0, char::len_utf8);
                    return Err(too_deep(source, at, len));
                }
            }
            Token::End { rule, .. } if nests(rule) => depth = depth.saturating_sub(1),
            Token::Start { .. } | Token::End { .. } => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Option<&'static str> {
        match scan(&SourceFile::new("t.zc", text)) {
            Ok(()) => None,
            Err(SyntaxError::TooDeep { .. }) => Some("too_deep"),
            Err(SyntaxError::NulByte { .. }) => Some("nul_byte"),
            Err(_) => Some("other"),
        }
    }

    #[test]
    fn counts_parentheses_in_code() {
        assert_eq!(code(&"(".repeat(MAX_DEPTH)), None);
        assert_eq!(code(&"(".repeat(MAX_DEPTH + 1)), Some("too_deep"));
        assert_eq!(code(&"（".repeat(MAX_DEPTH + 1)), Some("too_deep"));
    }

    #[test]
    fn skips_strings_verbatim_titles_and_comments() {
        let deep = "(".repeat(MAX_DEPTH + 1);
        assert_eq!(code(&format!("“{deep}”")), None);
        assert_eq!(code(&format!("\"{deep}\"")), None);
        assert_eq!(code(&format!("「{deep}\n{deep}」")), None);
        assert_eq!(code(&format!("《{deep}》")), None);
        assert_eq!(code(&format!("# {deep}")), None);
    }

    #[test]
    fn openers_inside_other_text_hide_nothing() {
        let deep = "(".repeat(MAX_DEPTH + 1);
        // A 「 or # inside a quoted name, a title or a comment does not
        // start 原文 or a comment.
        assert_eq!(code(&format!("“「” {deep}")), Some("too_deep"));
        assert_eq!(code(&format!("“#” {deep}")), Some("too_deep"));
        assert_eq!(code(&format!("《「》 {deep}")), Some("too_deep"));
        assert_eq!(code(&format!("# 「\n{deep}")), Some("too_deep"));
        // A lone \r ends a comment, a quoted name and a title, as in pest.
        assert_eq!(code(&format!("# c\r{deep}")), Some("too_deep"));
        assert_eq!(code(&format!("“a\r{deep}")), Some("too_deep"));
        assert_eq!(code(&format!("《a\r{deep}")), Some("too_deep"));
    }

    #[test]
    fn the_tree_check_catches_what_the_scan_would_miss() {
        use pest::Parser as _;
        let deep = |n: usize| {
            format!(
                "词汇 {{ 甲: 是否 }} 对 {}甲{} 给予 1元",
                "(".repeat(n),
                ")".repeat(n)
            )
        };
        let tree = |text: &str| {
            let source = SourceFile::new("t.zc", text);
            let pairs = super::super::generated::ZhengceParser::parse(Rule::file, text)
                .map_err(|_| "pest")?;
            check_tree(&source, &pairs, 0).map_err(|_| "too deep")
        };
        assert_eq!(tree(&deep(MAX_DEPTH)), Ok(()));
        assert_eq!(tree(&deep(MAX_DEPTH + 1)), Err("too deep"));
    }

    #[test]
    fn refuses_nul_anywhere() {
        assert_eq!(code("对 a\0 给予 1元"), Some("nul_byte"));
        assert_eq!(code("# \0"), Some("nul_byte"));
        assert_eq!(code("「\0」"), Some("nul_byte"));
    }
}
