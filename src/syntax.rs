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
    pub(super) struct ZhengceParser;
}

pub use generated::Rule;

/// Parses one file.
///
/// pest reads it one item at a time (`Rule::next_item`, each read starting
/// where the item before ended and given the rest of the file, so that
/// lookaheads such as `item_end` see what follows), and each item is
/// lowered and its pairs dropped before the next is read: memory holds one
/// item's tokens (about 2.4 KB a clause), never the whole file's. What is
/// reported is what reading the whole file as `Rule::file` first would
/// report: a syntax error anywhere, else the first tree too deep, else the
/// first error of lowering.
pub fn parse(source: &SourceFile) -> Result<Module, SyntaxError> {
    prescan::scan(source)?;
    let text: &str = &source.text;
    let mut items = Vec::new();
    // Kept until the file is read to its end, since a syntax error after
    // them is reported instead.
    let mut too_deep = None;
    let mut unlowered = None;
    // Where the next read starts: the end of the last item; and where that
    // item starts, for the error of the item after it.
    let mut at = 0;
    let mut last_start = 0;
    loop {
        let rest = text.get(at..).unwrap_or("");
        let pairs = generated::ZhengceParser::parse(Rule::next_item, rest)
            .map_err(|e| syntax_error(source, last_start, at, &e))?;
        if too_deep.is_none() {
            too_deep = prescan::check_tree(source, &pairs, at).err();
        }
        let mut top = pairs.map(|p| cursor::Node::new(p, at));
        let Some(read) = top.next() else { break };
        let Some(item) = lower::next_item(source, read)? else {
            break;
        };
        let span = item.span();
        // No item is empty; were one ever, reading from the same place
        // again would never end.
        if span.end <= at {
            return Err(SyntaxError::Internal {
                src: source.named(),
                span: span.into(),
                message: "空的顶层项".into(),
            });
        }
        (last_start, at) = (span.start, span.end);
        if too_deep.is_none() && unlowered.is_none() {
            match lower::top_item(source, item) {
                Ok(i) => items.push(i),
                Err(e) => unlowered = Some(e),
            }
        }
    }
    if let Some(e) = too_deep.or(unlowered) {
        return Err(e);
    }
    Ok(Module {
        source: source.clone(),
        items,
        included: false,
    })
}

/// The syntax error of `read`, the read from `at` that failed after the
/// item starting at `last_start` (0 for the first item).
///
/// The whole file read at once fails at the same item, and its error names
/// the furthest place pest reached and every rule it tried there, some of
/// them tried while reading the item before (a clause's attributes, a
/// definition's lookahead). That item and this one are read again as one
/// `Rule::file`, which gives the whole-file read's error: what an item
/// tries past its end (one more attribute or operand, 对 after a label)
/// stays within the first tokens of the next item and never passes its
/// end, so the items before these two never reach the place of the error.
/// The proptest in `syntax/tests.rs` compares the two reads.
fn syntax_error(
    source: &SourceFile,
    last_start: usize,
    at: usize,
    read: &pest::error::Error<Rule>,
) -> SyntaxError {
    let window = source.text.get(last_start..).unwrap_or("");
    match generated::ZhengceParser::parse(Rule::file, window) {
        Err(e) => pest_error(source, last_start, &e),
        // Cannot happen (the same text read the same way), but should it,
        // the failed read's own error is still a true one.
        Ok(_) => pest_error(source, at, read),
    }
}

/// Turns pest's error into ours: span on the offending text, the expected
/// things named in Chinese. `base` is where the text pest read starts in
/// `source`.
fn pest_error(source: &SourceFile, base: usize, err: &pest::error::Error<Rule>) -> SyntaxError {
    let pos = base
        + match err.location {
            pest::error::InputLocation::Pos(p) => p,
            pest::error::InputLocation::Span((s, _)) => s,
        };
    let mut expected: Vec<&'static str> = match &err.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            // A fraction is tried first wherever one may stand (after 的,
            // as a compared value); it is named only when nothing else
            // could go there, not in every "expected a value".
            let others = positives.iter().any(|r| *r != Rule::fraction_part);
            positives
                .iter()
                .filter(|r| !(others && **r == Rule::fraction_part))
                .map(|r| rules::describe(*r))
                .collect()
        }
        // pest's own guards ("call limit reached"; "stack limit reached"
        // only when pest is built with `std`, which it is not here): the
        // scan keeps nesting far below them, but should one fire, it is
        // still a nesting problem at this place, not a crash.
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
    // 「分别给予1000万元、500万元补助，分三年按…拨付」 read in the
    // document's order puts 分别 before 给予; in a schedule it stands in
    // front of the tiers' amounts, as in `每年 分别`.
    let words: Vec<&str> = before.split_whitespace().rev().take(2).collect();
    if words == ["给予", "分别"] && rest.starts_with('自') {
        return "分年给予的分档写在年份之内：给予 自 认定日期 起 分别 1000万元、500万元 分3年 按 40%、30%、30%，或 给予 自 认定日期 起 分3年 每年 分别 30万元、20万元".into();
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
