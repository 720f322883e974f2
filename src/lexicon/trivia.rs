//! The one reading of what is not code: `#` comments and the three kinds
//! of quoted text, exactly as the grammar's `COMMENT`, `quoted`,
//! `verbatim` and `title` rules read them. A `#` inside a quotation is
//! text, and a `「` inside a comment or a quoted name opens nothing.
//!
//! Every stage that must tell code from text (the pre-parse scan,
//! lowering's spans, the formatter's comments, `--explain`, the REPL and
//! the language server) walks the [`segments`] of its text.

use std::ops::Range;

/// The kinds of quoted text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quote {
    /// `“…”`, `"…"`, `‘…’`, `'…'`: ends at any quotation mark, or before a
    /// line break (where pest stops and the parse fails).
    Quoted,
    /// `「…」`: ends at `」` only, across lines.
    Verbatim,
    /// `《…》`: ends at `》` or before a line break.
    Title,
}

/// What a stretch of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Tokens and whitespace between them.
    Code,
    /// From `#` up to the line break (which is code).
    Comment,
    /// A quotation with its marks; `closed` is false when the text or the
    /// line ends before the closing mark.
    Quote {
        /// Which quotation.
        quote: Quote,
        /// Whether its closing mark is there.
        closed: bool,
    },
}

/// One stretch of a text: its bytes and what they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Segment {
    /// Byte offsets into the scanned text.
    pub range: Range<usize>,
    /// What it is.
    pub kind: Kind,
}

/// A line break as pest's `NEWLINE` has it (`\n`, `\r\n` or a lone `\r`).
fn line_break(c: char) -> bool {
    matches!(c, '\n' | '\r')
}

/// Whitespace as the grammar's `WHITESPACE` defines it (U+3000 and the BOM
/// included).
pub(crate) fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}' | '\u{FEFF}') || line_break(c)
}

/// What `c` opens when it is met in code.
fn opens(c: char) -> Option<Kind> {
    let quote = match c {
        '#' => return Some(Kind::Comment),
        '“' | '"' | '‘' | '\'' => Quote::Quoted,
        '「' => Quote::Verbatim,
        '《' => Quote::Title,
        _ => return None,
    };
    Some(Kind::Quote {
        quote,
        closed: false,
    })
}

/// Whether `c` closes a quotation of this kind (and is part of it).
fn closes(quote: Quote, c: char) -> bool {
    match quote {
        // A quoted name holds no quotation mark of any kind: pest stops at
        // the next one.
        Quote::Quoted => matches!(c, '“' | '”' | '"' | '‘' | '’' | '\''),
        Quote::Verbatim => c == '」',
        Quote::Title => c == '》',
    }
}

/// Whether a line break ends this kind before its closing mark.
fn ends_at_line(kind: Kind) -> bool {
    match kind {
        Kind::Comment => true,
        Kind::Quote { quote, .. } => quote != Quote::Verbatim,
        Kind::Code => false,
    }
}

/// The segments of a text, in order, covering all of it.
pub(crate) fn segments(text: &str) -> Segments<'_> {
    Segments { text, pos: 0 }
}

/// The iterator of [`segments`].
#[derive(Debug, Clone)]
pub(crate) struct Segments<'a> {
    text: &'a str,
    pos: usize,
}

impl Iterator for Segments<'_> {
    type Item = Segment;

    fn next(&mut self) -> Option<Segment> {
        let start = self.pos;
        let rest = self.text.get(start..).filter(|r| !r.is_empty())?;
        let mut chars = rest.char_indices();
        let first = chars.next().map_or(' ', |(_, c)| c);
        let (kind, end) = match opens(first) {
            None => {
                let end = rest
                    .char_indices()
                    .find(|&(_, c)| opens(c).is_some())
                    .map_or(rest.len(), |(i, _)| i);
                (Kind::Code, end)
            }
            Some(kind) => {
                let mut end = rest.len();
                let mut closed = false;
                for (i, c) in chars {
                    if ends_at_line(kind) && line_break(c) {
                        end = i;
                        break;
                    }
                    if let Kind::Quote { quote, .. } = kind
                        && closes(quote, c)
                    {
                        end = i + c.len_utf8();
                        closed = true;
                        break;
                    }
                }
                let kind = match kind {
                    Kind::Quote { quote, .. } => Kind::Quote { quote, closed },
                    other => other,
                };
                (kind, end)
            }
        };
        self.pos = start + end;
        Some(Segment {
            range: start..start + end,
            kind,
        })
    }
}

/// The characters of the segments `keep` accepts, with their offsets.
fn chars_in(text: &str, keep: fn(Kind) -> bool) -> impl Iterator<Item = (usize, char)> + '_ {
    segments(text)
        .filter(move |s| keep(s.kind))
        .flat_map(move |s| {
            let at = s.range.start;
            text.get(s.range)
                .unwrap_or("")
                .char_indices()
                .map(move |(i, c)| (at + i, c))
        })
}

/// The characters of a text that are neither whitespace nor part of a
/// comment, with their offsets: the tokens' characters, quotations
/// included.
pub(crate) fn token_chars(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    chars_in(text, |k| k != Kind::Comment).filter(|&(_, c)| !is_space(c))
}

/// The characters of code proper (outside comments and quotations), with
/// their offsets.
pub(crate) fn code_chars(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    chars_in(text, |k| k == Kind::Code)
}

/// The text with its comments removed (their line breaks stay).
pub(crate) fn uncommented(text: &str) -> String {
    segments(text)
        .filter(|s| s.kind != Kind::Comment)
        .filter_map(|s| text.get(s.range))
        .collect()
}

/// Whether the text ends inside a comment or an unclosed quotation: what
/// is typed next is text, not code.
pub(crate) fn ends_in_text(text: &str) -> bool {
    segments(text).last().is_some_and(|s| match s.kind {
        Kind::Code => false,
        Kind::Comment => true,
        Kind::Quote { closed, .. } => !closed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each segment as (its text, a letter for its kind: c code, # comment,
    /// q/v/t quoted/verbatim/title, upper case when unclosed).
    fn seg(text: &str) -> Vec<(&str, char)> {
        segments(text)
            .map(|s| {
                let letter = match s.kind {
                    Kind::Code => 'c',
                    Kind::Comment => '#',
                    Kind::Quote { quote, closed } => {
                        let l = match quote {
                            Quote::Quoted => 'q',
                            Quote::Verbatim => 'v',
                            Quote::Title => 't',
                        };
                        if closed { l } else { l.to_ascii_uppercase() }
                    }
                };
                (text.get(s.range).unwrap_or("?"), letter)
            })
            .collect()
    }

    #[test]
    fn a_comment_after_a_quote_holding_a_hash() {
        assert_eq!(
            seg("对 “a#b” 给予 # 注"),
            [("对 ", 'c'), ("“a#b”", 'q'), (" 给予 ", 'c'), ("# 注", '#')]
        );
        assert_eq!(
            seg("原文 「#不是」#是\n《标#题》'c#' \"d#\""),
            [
                ("原文 ", 'c'),
                ("「#不是」", 'v'),
                ("#是", '#'),
                ("\n", 'c'),
                ("《标#题》", 't'),
                ("'c#'", 'q'),
                (" ", 'c'),
                ("\"d#\"", 'q'),
            ]
        );
    }

    #[test]
    fn openers_inside_other_text_open_nothing() {
        // A 「 in a comment, a “ in 「…」, a # in 《…》.
        assert_eq!(seg("# 「\n甲"), [("# 「", '#'), ("\n甲", 'c')]);
        assert_eq!(seg("「“#」甲"), [("「“#」", 'v'), ("甲", 'c')]);
        assert_eq!(seg("《「#》"), [("《「#》", 't')]);
        // Any quotation mark ends a quoted name, as in pest: “a“ is closed
        // and what follows is code.
        assert_eq!(seg("“a“b"), [("“a“", 'q'), ("b", 'c')]);
        // 」 and ” met in code are code.
        assert_eq!(seg("」”"), [("」”", 'c')]);
    }

    #[test]
    fn unclosed_quotations() {
        // 「 runs across lines to the end; “ and 《 stop before the line
        // break.
        assert_eq!(seg("「a\n#b"), [("「a\n#b", 'V')]);
        assert_eq!(seg("“a\n#b"), [("“a", 'Q'), ("\n", 'c'), ("#b", '#')]);
        assert_eq!(seg("《a\r甲"), [("《a", 'T'), ("\r甲", 'c')]);
        assert!(ends_in_text("对 “研发"));
        assert!(ends_in_text("对 甲 # 注"));
        assert!(!ends_in_text("对 “研发” "));
        assert!(!ends_in_text(""));
    }

    #[test]
    fn crlf_and_lone_cr_end_comments() {
        assert_eq!(
            seg("# a\r\n甲 # b\r乙"),
            [("# a", '#'), ("\r\n甲 ", 'c'), ("# b", '#'), ("\r乙", 'c')]
        );
        let tokens: String = token_chars("# a\r\n甲 “ b ” # c\r乙")
            .map(|(_, c)| c)
            .collect();
        assert_eq!(tokens, "甲“b”乙");
        let code: Vec<(usize, char)> = code_chars("“(”(").collect();
        assert_eq!(code, [(7, '(')]);
        assert_eq!(uncommented("甲 # “\r\n「#」# b"), "甲 \r\n「#」");
    }
}
