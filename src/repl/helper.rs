//! The line editor's helper: completion of keywords, words and commands;
//! history hints; highlighting of keywords, numbers and money; and a
//! validator that keeps reading while a clause is obviously unfinished.

use std::borrow::Cow;
use std::sync::{Arc, RwLock};

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

use super::session::COMMANDS;
use crate::lexicon::{CONTINUATIONS, trivia};

/// Words offered by completion and coloured by the highlighter: the
/// reserved words and the grant names, from the one lexicon.
fn keywords() -> impl Iterator<Item = &'static str> {
    crate::lexicon::KEYWORDS
        .iter()
        .chain(crate::lexicon::GRANT_NAMES)
        .copied()
}

/// The helper given to rustyline.
pub struct ZcHelper {
    /// Words from the session (vocabulary, enum values, definitions).
    pub words: Arc<RwLock<Vec<String>>>,
    /// Whether to colour.
    pub color: bool,
    hinter: HistoryHinter,
}

impl ZcHelper {
    /// A helper sharing `words` with the session.
    pub fn new(words: Arc<RwLock<Vec<String>>>, color: bool) -> Self {
        ZcHelper {
            words,
            color,
            hinter: HistoryHinter::new(),
        }
    }

    /// Completion candidates for the word ending at `pos`: (start, words).
    pub fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let head = line.get(..pos).unwrap_or(line);
        let start = head
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace() || "，、（(“「".contains(*c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let prefix = head.get(start..).unwrap_or("");
        if line.trim_start().starts_with([':', '：'])
            && start == line.len() - line.trim_start().len()
        {
            let found = COMMANDS
                .iter()
                .map(|(c, _)| (*c).to_string())
                .filter(|c| c.starts_with(prefix))
                .collect();
            return (start, found);
        }
        if prefix.is_empty() {
            return (start, Vec::new());
        }
        let words = self.words.read().map(|w| w.clone()).unwrap_or_default();
        let mut found: Vec<String> = keywords()
            .map(str::to_string)
            .chain(words)
            .filter(|w| w.starts_with(prefix) && w != prefix)
            .collect();
        found.sort();
        found.dedup();
        (start, found)
    }
}

/// Whether the input so far is a complete item.
pub fn complete(input: &str) -> bool {
    let braces: i64 = trivia::code_chars(input)
        .map(|(_, c)| match c {
            '{' | '｛' => 1,
            '}' | '｝' => -1,
            _ => 0,
        })
        .sum();
    // 「…」 goes on across lines; an open “… is read on too, so that the
    // drafter sees it unfinished rather than a parse error.
    let open_quote = trivia::segments(input).last().is_some_and(|s| {
        matches!(
            s.kind,
            trivia::Kind::Quote {
                quote: trivia::Quote::Verbatim | trivia::Quote::Quoted,
                closed: false,
            }
        )
    });
    if braces > 0 || open_quote {
        return false;
    }
    let code = trivia::uncommented(input);
    let code = code.rsplit('\n').next().unwrap_or("").trim_end();
    if code.ends_with(['、', '，', ',']) {
        return false;
    }
    !code
        .split_whitespace()
        .last()
        .is_some_and(|w| CONTINUATIONS.contains(&w) && !code.trim_start().starts_with([':', '：']))
}

/// The line with ANSI colours: keywords blue, numbers and money green,
/// quoted text yellow, comments grey.
pub fn highlight(line: &str) -> String {
    let mut out = String::new();
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        if token.is_empty() {
            return;
        }
        let colour = if keywords().any(|k| k == token) {
            Some("1;34")
        } else if token.starts_with(|c: char| c.is_ascii_digit()) {
            Some("32")
        } else if token.starts_with(['「', '“', '《']) {
            Some("33")
        } else if token.starts_with([':', '：']) {
            Some("36")
        } else {
            None
        };
        match colour {
            Some(c) => out.push_str(&format!("\x1b[{c}m{token}\x1b[0m")),
            None => out.push_str(token),
        }
        token.clear();
    };
    let comment = trivia::segments(line)
        .find(|s| s.kind == trivia::Kind::Comment)
        .map_or(line.len(), |s| s.range.start);
    for (i, c) in line.char_indices() {
        if i == comment {
            flush(&mut token, &mut out);
            out.push_str(&format!("\x1b[90m{}\x1b[0m", line.get(i..).unwrap_or("")));
            return out;
        }
        if c.is_whitespace() || "，、（）()".contains(c) {
            flush(&mut token, &mut out);
            out.push(c);
        } else {
            token.push(c);
        }
    }
    flush(&mut token, &mut out);
    out
}

impl Completer for ZcHelper {
    type Candidate = Pair;
    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, found) = self.candidates(line, pos);
        Ok((
            start,
            found
                .into_iter()
                .map(|w| Pair {
                    display: w.clone(),
                    replacement: w,
                })
                .collect(),
        ))
    }
}

/// Above this many bytes a line is neither highlighted nor hinted: the
/// editor redraws the whole line whenever either may have changed, which
/// made a pasted paragraph of a few thousand characters take seconds per
/// line (each keystroke repainted and re-coloured everything before it).
pub(super) const DECORATE_LIMIT: usize = 1024;

/// Whether typing the character before `pos` can change the colours: a
/// colour starts with a token's first character (digits, quotes, `:`) or
/// is settled when the token ends (keywords).
pub(super) fn recolours(line: &str, pos: usize) -> bool {
    if line.len() > DECORATE_LIMIT {
        return false;
    }
    let before: Vec<char> = line
        .get(..pos)
        .unwrap_or(line)
        .chars()
        .rev()
        .take(2)
        .collect();
    let boundary = |c: &char| c.is_whitespace() || "，、（）()#".contains(*c);
    match before.as_slice() {
        [] => false,
        [_] => true,
        [last, prev] => boundary(last) || boundary(prev),
        _ => true,
    }
}

impl Hinter for ZcHelper {
    type Hint = String;
    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        if line.len() > DECORATE_LIMIT || pos < line.len() {
            return None;
        }
        self.hinter.hint(line, pos, ctx)
    }
}

impl Highlighter for ZcHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if self.color && line.len() <= DECORATE_LIMIT {
            Cow::Owned(highlight(line))
        } else {
            Cow::Borrowed(line)
        }
    }
    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[90m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }
    fn highlight_char(&self, line: &str, pos: usize, kind: CmdKind) -> bool {
        // Colours do not depend on the cursor: moving it repaints nothing.
        self.color
            && match kind {
                CmdKind::MoveCursor => false,
                CmdKind::ForcedRefresh => line.len() <= DECORATE_LIMIT,
                CmdKind::Other => recolours(line, pos),
            }
    }
}

/// Every line is accepted as typed: an unfinished item is continued by
/// the loop under its own prompt (`  …> `), so the drafter sees that the
/// clause goes on.
impl Validator for ZcHelper {
    fn validate(&self, _ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(ValidationResult::Valid(None))
    }
}

impl Helper for ZcHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    fn helper(words: &[&str]) -> ZcHelper {
        ZcHelper::new(
            Arc::new(RwLock::new(
                words.iter().map(|w| (*w).to_string()).collect(),
            )),
            false,
        )
    }

    #[test]
    fn completes_vocabulary_and_keywords_after_the_cursor_word() {
        let h = helper(&["高新技术企业", "研发投入"]);
        assert_eq!(
            h.candidates("对 高新", 10),
            (4, vec!["高新技术企业".to_string()])
        );
        let (start, found) = h.candidates("对 研发投入 超", 20);
        assert_eq!(start, 17);
        assert_eq!(found, vec!["超过".to_string()]);
        assert_eq!(h.candidates(":he", 3), (0, vec![":help".to_string()]));
        // Every reserved word of the grammar, 大于 among them.
        let (_, found) = h.candidates("对 研发投入 大", 20);
        assert_eq!(found, vec!["大于".to_string()]);
        assert!(highlight("收入 大于 1元").contains("\x1b[1;34m大于\x1b[0m"));
        assert!(highlight("收入 达 1元").contains("\x1b[1;34m达\x1b[0m"));
        assert!(highlight("收入 等于 1元").contains("\x1b[1;34m等于\x1b[0m"));
        let (_, found) = h.candidates("对 收入 等", 14);
        assert_eq!(found, vec!["等于".to_string()]);
    }

    #[test]
    fn open_braces_and_trailing_keywords_keep_reading() {
        assert!(!complete("词汇 {"));
        assert!(complete("词汇 { 研发投入: 金额 }"));
        assert!(!complete("对 研发投入 超过 300万元 给予"));
        assert!(!complete("对 甲、"));
        assert!(!complete("对 甲 原文 「未完"));
        assert!(complete("对 研发投入 超过 300万元 给予 20万元"));
        assert!(complete(":set 研发投入=800万元"));
        // Every comparison word of the grammar leaves the clause open.
        assert!(!complete("对 研发投入 大于"));
        assert!(!complete("对 研发投入 达"));
        assert!(complete("对 甲 给予 1元 # 注释 给予"));
        assert!(complete("对 甲 给予 1元 # 注释 {"));
        assert!(
            complete("对 甲 给予\n# 注释"),
            "only the last line's words continue"
        );
        assert!(!complete("对 “甲 #” 给予"), "# inside a quotation is text");
        assert!(!complete("对 甲 原文 「未完\n# 仍是原文 」 给予"));
    }

    #[test]
    fn recolours_only_where_a_token_starts_or_ends_and_never_on_long_lines() {
        assert!(recolours("对", 3), "the first character");
        assert!(recolours("对 ", 4), "a token ended");
        assert!(recolours("对 2", 5), "a token started");
        assert!(!recolours("对 20", 6), "inside a token");
        let long = format!("对 {}", "甲 ".repeat(DECORATE_LIMIT));
        assert!(!recolours(&long, long.len()));
        let h = ZcHelper::new(Arc::new(RwLock::new(Vec::new())), true);
        assert!(matches!(h.highlight(&long, 0), Cow::Borrowed(_)));
        assert!(!h.highlight_char("对 ", 4, CmdKind::MoveCursor));
    }

    #[test]
    fn highlights_keywords_numbers_and_comments() {
        assert_eq!(
            highlight("对 甲 给予 20万元 # 注"),
            "\x1b[1;34m对\x1b[0m 甲 \x1b[1;34m给予\x1b[0m \x1b[32m20万元\x1b[0m \x1b[90m# 注\x1b[0m"
        );
        // A # inside a quotation is text; the comment starts after it.
        assert_eq!(
            highlight("对 “甲#乙” # 注"),
            "\x1b[1;34m对\x1b[0m \x1b[33m“甲#乙”\x1b[0m \x1b[90m# 注\x1b[0m"
        );
    }
}
