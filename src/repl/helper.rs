//! The line editor's helper: completion of the language's words, the
//! session's words, units after a number and commands; history hints;
//! highlighting of keywords, numbers and money; and a validator that keeps
//! reading while a clause is obviously unfinished.

use std::borrow::Cow;
use std::sync::{Arc, RwLock};

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

use super::session::{COMMANDS, Completions};
use crate::lexicon::{
    self, CONTINUATIONS, CURRENCIES, FOREIGN_TYPE, MONEY_UNITS, NUMBERED, PER_UNIT_WORDS,
    PERIOD_UNITS, QUANTITY_TYPE, RATIO_UNITS, UNITS, ends_word, trivia,
};

/// The helper given to rustyline.
pub struct ZcHelper {
    /// What the session knows (vocabulary, enum values, definitions,
    /// parameters, declared units).
    pub known: Arc<RwLock<Completions>>,
    /// Whether to colour.
    pub color: bool,
    hinter: HistoryHinter,
}

impl ZcHelper {
    /// A helper sharing `known` with the session.
    pub fn new(known: Arc<RwLock<Completions>>, color: bool) -> Self {
        ZcHelper {
            known,
            color,
            hinter: HistoryHinter::new(),
        }
    }

    /// Completion candidates for the word ending at `pos`: (start, words).
    pub fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let head = line.get(..pos).unwrap_or(line);
        let indent = head.len() - head.trim_start().len();
        let first = head.get(indent..).unwrap_or("");
        // A command is the line's first word, its colon (of either width)
        // part of it; a colon anywhere else ends a word.
        if let Some(name) = first.strip_prefix([':', '：'])
            && !name.contains(char::is_whitespace)
        {
            let found = COMMANDS
                .iter()
                .map(|(c, _)| *c)
                .filter(|c| c.strip_prefix(':').is_some_and(|c| c.starts_with(name)))
                .map(str::to_string)
                .collect();
            return (indent, found);
        }
        let start = head
            .char_indices()
            .rev()
            .find(|(_, c)| ends_word(*c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let prefix = head.get(start..).unwrap_or("");
        let before = head.get(..start).unwrap_or("").trim_end();
        let known = self.known.read().map(|k| k.clone()).unwrap_or_default();
        let mut found = if let Some(inside) = in_type(before, &known.units) {
            inside
        } else if let Some(closed) = after_number(prefix, &known.units) {
            closed
        } else if prefix.is_empty() {
            return (start, Vec::new());
        } else {
            lexicon::words()
                .map(str::to_string)
                .chain(known.words)
                .collect()
        };
        found.retain(|w| w.starts_with(prefix) && w != prefix);
        found.sort();
        found.dedup();
        (start, found)
    }
}

/// Whether `text` ends with the word `word`, not merely with its
/// characters (`研发数量` does not end with 数量).
fn ends_with_word(text: &str, word: &str) -> bool {
    text.strip_suffix(word)
        .is_some_and(|rest| rest.chars().next_back().is_none_or(ends_word))
}

/// Inside `数量（` the units of quantities, inside `金额（` the currencies:
/// nothing else is written there, so all of them are offered before a
/// character is typed.
fn in_type(before: &str, declared: &[String]) -> Option<Vec<String>> {
    let ty = before.strip_suffix(['（', '('])?.trim_end();
    if ends_with_word(ty, QUANTITY_TYPE) {
        Some(quantity_units(declared, ""))
    } else if ends_with_word(ty, FOREIGN_TYPE) {
        Some(CURRENCIES.iter().map(|c| (*c).to_string()).collect())
    } else {
        None
    }
}

/// The units of quantities, built-in and declared, each after `scale`.
fn quantity_units(declared: &[String], scale: &str) -> Vec<String> {
    UNITS
        .iter()
        .map(|u| (*u).to_string())
        .chain(declared.iter().cloned())
        .map(|u| format!("{scale}{u}"))
        .collect()
}

/// A number being typed, closed by each unit that may follow it: `5个`
/// gives `5个工作日` and `5个月`, `7.1元` the rates `7.1元/美元` …; after
/// `前3` only `前3年` and `前3名` (a schedule's years, a rank), after `每10`
/// or `每万` the units of quantities. None when `prefix` is no number.
fn after_number(prefix: &str, declared: &[String]) -> Option<Vec<String>> {
    let per = PER_UNIT_WORDS.iter().find(|w| prefix.starts_with(**w));
    let numbered = NUMBERED.iter().find(|(w, _)| prefix.starts_with(*w));
    let lead = per.copied().or(numbered.map(|(w, _)| *w)).unwrap_or("");
    let rest = prefix.get(lead.len()..)?;
    let digits = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (number, typed) = rest.split_at_checked(digits)?;
    let units = match (per, numbered) {
        // `每万平方米` needs no digits: 万 alone is the block.
        (Some(_), _) => {
            let scale = if typed.starts_with('万') { "万" } else { "" };
            if number.is_empty() && scale.is_empty() {
                return None;
            }
            quantity_units(declared, scale)
        }
        _ if number.is_empty() => return None,
        (None, Some((_, ends))) => ends.iter().map(|e| (*e).to_string()).collect(),
        (None, None) => {
            let money = MONEY_UNITS.iter().map(|u| (*u).to_string());
            let foreign = CURRENCIES
                .iter()
                .flat_map(|c| ["", "万", "亿", "元/"].map(|scale| format!("{scale}{c}")));
            let others = RATIO_UNITS
                .iter()
                .chain(PERIOD_UNITS)
                .map(|u| (*u).to_string());
            money
                .chain(foreign)
                .chain(others)
                .chain(quantity_units(declared, ""))
                .collect()
        }
    };
    Some(
        units
            .into_iter()
            .map(|u| format!("{lead}{number}{u}"))
            .collect(),
    )
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
        let colour = if lexicon::words().any(|k| k == token) {
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
        with_units(words, &[])
    }

    fn with_units(words: &[&str], units: &[&str]) -> ZcHelper {
        let owned = |ws: &[&str]| ws.iter().map(|w| (*w).to_string()).collect();
        ZcHelper::new(
            Arc::new(RwLock::new(Completions {
                words: owned(words),
                units: owned(units),
            })),
            false,
        )
    }

    /// The candidates for the word that ends the line.
    fn at_end(h: &ZcHelper, line: &str) -> Vec<String> {
        h.candidates(line, line.len()).1
    }

    #[test]
    fn offers_the_words_read_only_in_their_place() {
        let h = helper(&[]);
        // None of these is reserved, so the reserved-word table alone
        // never offered them: 每项 (§7.15) and 每满 (§7.6) beside 每年.
        assert_eq!(at_end(&h, "给予 每"), ["每年", "每满", "每项"]);
        // Cumulative caps (§7.3, §7.13).
        assert_eq!(at_end(&h, "，累"), ["累计"]);
        assert_eq!(at_end(&h, "（往"), ["往年已领"]);
        assert_eq!(at_end(&h, "（本年"), ["本年已领"]);
        // Declared units (§3.1.1), the item filter and count, the list type.
        assert_eq!(at_end(&h, "  单"), ["单位"]);
        assert_eq!(at_end(&h, "（其"), ["其中"]);
        assert_eq!(at_end(&h, "，最"), ["最多", "最高", "最高不超过"]);
        assert_eq!(at_end(&h, "  项目: 列"), ["列表"]);
        // A case's words.
        assert_eq!(at_end(&h, "期望 “一” 待定 缺"), ["缺少"]);
        assert_eq!(
            at_end(&h, "  营业收入：按"),
            ["按年", "按现行政策", "按财政体制"]
        );
    }

    #[test]
    fn a_colon_a_brace_and_an_equals_sign_end_a_word() {
        let h = helper(&["项目", "项目类别", "重点", "一般", "排名"]);
        // Type words after a colon of either width, with or without a space.
        assert_eq!(at_end(&h, "词汇 { 项目：列"), ["列表"]);
        assert_eq!(at_end(&h, "排名：名"), ["名次"]);
        assert_eq!(at_end(&h, "排名:名"), ["名次"]);
        assert_eq!(at_end(&h, "排名： 名"), ["名次"]);
        assert_eq!(at_end(&h, "词汇 { 甲：是"), ["是否"]);
        assert_eq!(h.candidates("排名：名", 12), (9, vec!["名次".to_string()]));
        // A list's record in a case, a field in braces: its enum values.
        assert_eq!(at_end(&h, "项目：[ {项目类别：重"), ["重叠", "重点"]);
        assert_eq!(at_end(&h, "项目：[{项目类别:一"), ["一次性", "一般"]);
        assert_eq!(at_end(&h, ":set 项目类别=重"), ["重叠", "重点"]);
        // Commands stay whole words, after a colon of either width.
        assert_eq!(h.candidates(":he", 3), (0, vec![":help".to_string()]));
        assert_eq!(h.candidates("  ：qu", 7), (2, vec![":quit".to_string()]));
    }

    #[test]
    fn offers_units_after_a_number_and_in_a_types_parentheses() {
        let h = with_units(&[], &["艘", "人次"]);
        // Working days, after 后 or 前 with its space.
        assert_eq!(at_end(&h, "受理日期 后 5个"), ["5个工作日", "5个月"]);
        assert_eq!(at_end(&h, "开工日期 前 3工"), ["3工作日"]);
        // A schedule's years and a rank.
        assert_eq!(at_end(&h, "起 前3"), ["前3名", "前3年"]);
        assert_eq!(at_end(&h, "，后2"), ["后2年"]);
        assert_eq!(at_end(&h, "起 分3"), ["分3年"]);
        assert_eq!(at_end(&h, "为 第1"), ["第1名", "第1条", "第1行"]);
        // Per blocks, whole or not, with a declared unit among the built-in.
        assert_eq!(at_end(&h, "每10人"), ["每10人次"]);
        assert_eq!(at_end(&h, "每满10人"), ["每满10人次"]);
        assert_eq!(at_end(&h, "每万平"), ["每万平方米"]);
        assert!(at_end(&h, "每3").contains(&"每3艘".to_string()));
        // Foreign amounts and the rates of a parameter.
        assert_eq!(
            at_end(&h, "超过 300万"),
            ["300万元", "300万欧元", "300万港元", "300万美元"]
        );
        assert_eq!(
            at_end(&h, "2024年1月1日：7.1元"),
            ["7.1元/欧元", "7.1元/港元", "7.1元/美元"]
        );
        // Inside 数量（…） the units, inside 金额（…） the currencies.
        assert_eq!(at_end(&h, "  船舶数: 数量（人"), ["人次"]);
        assert!(at_end(&h, "  船舶数: 数量(").contains(&"艘".to_string()));
        assert_eq!(at_end(&h, "  出口额：金额（"), ["欧元", "港元", "美元"]);
        assert_eq!(at_end(&h, "  出口额：金额（美"), ["美元"]);
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
        let h = ZcHelper::new(Arc::new(RwLock::new(Completions::default())), true);
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
