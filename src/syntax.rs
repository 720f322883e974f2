//! Text → syntax tree. pest recognises the text (`grammar/zhengce.pest`);
//! `lower` turns its pairs into the typed `ast`.
#![expect(
    clippy::result_large_err,
    reason = "errors of reading and parsing a file carry their source to render anywhere; they happen once per file, never per row"
)]

mod cursor;
pub mod error;
mod lower;
mod prescan;
pub mod rules;

use miette::SourceSpan;
use pest::Parser as _;

pub use error::SyntaxError;
pub use prescan::MAX_DEPTH;

use crate::ast::Module;
use crate::source::SourceFile;

mod generated {
    #![expect(
        missing_docs,
        reason = "pest_derive generates the Rule enum without docs"
    )]
    #[derive(pest_derive::Parser)]
    #[grammar = "grammar/zhengce.pest"]
    pub struct ZhengceParser;
}

pub use generated::Rule;

/// Parses one file.
pub fn parse(source: &SourceFile) -> Result<Module, SyntaxError> {
    prescan::scan(source)?;
    let pairs = generated::ZhengceParser::parse(Rule::file, &source.text)
        .map_err(|e| pest_error(source, &e))?;
    prescan::check_tree(source, &pairs)?;
    lower::module(source, pairs)
}

/// Turns pest's error into ours: span on the offending text, the expected
/// things named in Chinese.
fn pest_error(source: &SourceFile, err: &pest::error::Error<Rule>) -> SyntaxError {
    let pos = match err.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let mut expected: Vec<&'static str> = match &err.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().map(|r| rules::describe(*r)).collect()
        }
        // pest's own guards ("stack limit reached", "call limit reached"):
        // the scan keeps nesting far below them, but should one fire, it
        // is still a nesting problem at this place, not a crash.
        pest::error::ErrorVariant::CustomError { .. } => {
            let len = source
                .text
                .get(pos..)
                .and_then(|r| r.chars().next())
                .map_or(0, char::len_utf8);
            return SyntaxError::TooDeep {
                src: source.named(),
                span: SourceSpan::new(pos.into(), len),
                limit: MAX_DEPTH,
            };
        }
    };
    expected.dedup();
    let mut seen = std::collections::HashSet::new();
    expected.retain(|e| seen.insert(*e));
    let expected = match expected.len() {
        0 => "合法的内容".to_string(),
        1..=5 => expected.join("、"),
        _ => format!("{} 等", expected.get(..5).unwrap_or(&[]).join("、")),
    };
    let rest = source.text.get(pos..).unwrap_or("");
    let token: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(12)
        .collect();
    let (found, len) = if rest.is_empty() {
        ("文件结尾".to_string(), 0)
    } else if token.is_empty() {
        let c = rest.chars().next().unwrap_or(' ');
        (format!("“{}”", c.escape_default()), c.len_utf8())
    } else {
        (format!("“{token}”"), token.len())
    };
    let help = help_for(source, pos, rest, &expected);
    SyntaxError::Unexpected {
        src: source.named(),
        span: SourceSpan::new(pos.into(), len),
        expected,
        found,
        help,
    }
}

fn help_for(source: &SourceFile, pos: usize, rest: &str, expected: &str) -> String {
    // A clause whose action word is missing or misspelt (给于) fails only at
    // its end; say what a clause needs rather than listing every token.
    let before = source.text.get(..pos).unwrap_or("");
    let after = rest.split('\n').next().unwrap_or("");
    let line = format!(
        "{} {after}",
        before.trim_end().rsplit('\n').next().unwrap_or("")
    );
    let opens_clause = line.split_whitespace().any(|w| w == "对");
    let has_action = ["给予", "免于", "无需", "不得", "应当", "可", "鼓励"]
        .iter()
        .any(|a| line.split_whitespace().any(|w| w == *a));
    if opens_clause && !has_action {
        return "条款写作 对 〈条件〉 〈动作〉：动作为 给予、再 给予、免于、无需、不得、应当、可 或 鼓励；检查是否写错（如“给于”）或漏了空格".into();
    }
    if rest.starts_with('每') {
        return "以“每”开头的词会被当作按单位计算的金额；作为词汇名称时请加引号，如 “每日用电量”"
            .into();
    }
    if rest.starts_with(|c: char| c.is_ascii_digit()) && expected.contains("词语") {
        return "以数字开头的名称请加引号，如 “5G基站”".into();
    }
    "词与词之间用空格分隔；关键词（如 给予、最高、以上）必须独立成词；检查括号和引号是否成对".into()
}

#[cfg(test)]
mod tests;
