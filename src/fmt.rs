//! `zhengce fmt`: the one canonical layout of a `.zc` file.
//!
//! The printer walks the syntax tree and writes:
//!
//! - two spaces of indentation per block (`词汇`, `参数`, `政策`, `案例`,
//!   `事实`), one entry, item or clause per line group;
//! - a clause on one line when it fits in [`WIDTH`] columns, otherwise
//!   broken before its action (`给予`, `分别 给予`, `免于`, …) and before each
//!   attribute (`原文`, `事项`, `施行`, `分担`, `允许`), the continuation lines
//!   aligned under `对`;
//! - full-width `，、：（）“”`, half-width `%`, dates as `2024年6月1日`, money
//!   in the largest of 亿元/万元/元 that keeps at most two decimals, ratios in
//!   the unit the drafter used;
//! - the words the drafter chose where the tree keeps only their meaning
//!   (`超过`/`高于`, `且`/`并且`/side by side, `最高`/`不超过`, labels as
//!   written), read back from the source by span;
//! - 「…」 text untouched, comments kept in order, single blank lines kept.
//!
//! [`format`] then parses its own output and compares the two trees with
//! every span zeroed, and the two lists of comments; any difference is a
//! [`FmtError::Unsound`] and nothing is written (as Cedar's formatter does).
#![expect(
    clippy::result_large_err,
    reason = "errors of reading and parsing a file carry their source to render anywhere; they happen once per file, never per row"
)]

mod amount;
mod case;
mod clause;
mod cond;
pub mod error;
mod expr;
mod items;
mod out;
mod strip;
mod trivia;
mod words;

pub use clause::WIDTH;
pub use error::FmtError;
pub use strip::strip_spans;
pub use words::{KEYWORDS, plain};

use crate::ast::Module;
use crate::source::{SourceFile, Span};
use crate::syntax;

/// Parses `source` and returns it in canonical layout, checked to mean
/// exactly what the source means.
pub fn format(source: &SourceFile) -> Result<String, FmtError> {
    let module = syntax::parse(source)?;
    let text = print(&module);
    verify(&module, &text)?;
    Ok(text)
}

/// The canonical text of a parsed module, unchecked. The module's source is
/// read for comments and wording.
pub fn print(m: &Module) -> String {
    let comments = trivia::comments(&m.source.text);
    let t = trivia::Text {
        src: &m.source.text,
        comments: &comments,
    };
    let mut out = out::Out::new(t);
    items::module(&mut out, m);
    out.finish()
}

/// The condition and the action of every clause of a parsed module as the
/// formatter prints them, with the clause's span: what each clause says,
/// independent of layout, for comparing two versions of a policy
/// (`zhengce diff`).
pub fn clause_texts(m: &Module) -> Vec<(Span, String, String)> {
    use crate::ast::{Item, PolicyItem};
    let comments = trivia::comments(&m.source.text);
    let t = trivia::Text {
        src: &m.source.text,
        comments: &comments,
    };
    let text =
        |c: &crate::ast::Clause| (c.span, cond::cond(t, &c.cond), amount::action(t, &c.action));
    let mut out = Vec::new();
    for item in &m.items {
        match item {
            Item::Clause(c) => out.push(text(c)),
            Item::Policy(p) => {
                for pi in &p.items {
                    if let PolicyItem::Clause(c) = pi {
                        out.push(text(c));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The 适用 condition of every policy of a parsed module that has one, as
/// the formatter prints it, by title (for `zhengce diff`).
pub fn policy_scopes(m: &Module) -> Vec<(String, String)> {
    use crate::ast::{Item, PolicyItem};
    let comments = trivia::comments(&m.source.text);
    let t = trivia::Text {
        src: &m.source.text,
        comments: &comments,
    };
    let mut out = Vec::new();
    for item in &m.items {
        if let Item::Policy(p) = item {
            for pi in &p.items {
                if let PolicyItem::Scope(c) = pi {
                    out.push((p.title.node.clone(), cond::cond(t, c)));
                }
            }
        }
    }
    out
}

/// The comments of a text, as written (for tests and tools).
pub fn comments(text: &str) -> Vec<String> {
    trivia::comments(text).into_iter().map(|c| c.text).collect()
}

/// Checks that `text` parses to the same tree as `original` (spans aside)
/// and keeps its comments.
fn verify(original: &Module, text: &str) -> Result<(), FmtError> {
    let source = &original.source;
    let unsound = |span: Option<Span>, what: String| FmtError::Unsound {
        src: source.named(),
        span: span.map(Into::into),
        what,
    };
    let again = SourceFile::new(source.name.clone(), text.to_string());
    let reparsed = syntax::parse(&again)
        .map_err(|e| unsound(None, format!("格式化结果无法重新解析（{e}）")))?;
    let (before, after) = (strip_spans(original), strip_spans(&reparsed));
    if before != after {
        let at = before
            .iter()
            .zip(after.iter())
            .position(|(a, b)| a != b)
            .unwrap_or(before.len().min(after.len()));
        let comments = trivia::comments(&source.text);
        let t = trivia::Text {
            src: &source.text,
            comments: &comments,
        };
        let span = items::item_spans(t, original).get(at).copied();
        return Err(unsound(span, format!("第 {} 项的语法树不同", at + 1)));
    }
    if comments(&source.text) != comments(text) {
        return Err(unsound(None, "注释有遗漏或次序改变".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
