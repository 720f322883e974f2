//! The words of the language that several stages need: its reserved
//! words, the closed list of grant names, the words read only in their
//! place, the words of bounds, conditions and actions, the units, for
//! lowering, the formatter (what can stay unquoted, which synonym was
//! written), the REPL (completion, highlighting, continuation) and the
//! language server. The grammar
//! (`grammar/zhengce.pest`) defines them; the tests below hold every table
//! to the rule it mirrors. [`trivia`] tells code from comments and quoted
//! text; [`cmp`] holds the comparison words with their meaning.

pub(crate) mod cmp;
pub(crate) mod trivia;

use crate::ast::AmountKind;

/// The grammar's reserved words (`keyword` in `grammar/zhengce.pest`).
pub const KEYWORDS: &[&str] = &[
    "最高不超过",
    "按财政体制",
    "以本政策为准",
    "按现行政策",
    "不在申报期",
    "申报日期",
    "及以上",
    "及以下",
    "不超过",
    "不高于",
    "不少于",
    "不低于",
    "不晚于",
    "不早于",
    "不适用",
    "较高者",
    "较低者",
    "的部分",
    "一次性",
    "最高",
    "以上",
    "以下",
    "以内",
    "超过",
    "高于",
    "达到",
    "低于",
    "不足",
    "不满",
    "大于",
    "小于",
    "等于",
    "多于",
    "少于",
    "早于",
    "晚于",
    "属于",
    "并且",
    "或者",
    "不是",
    "免于",
    "无需",
    "不得",
    "应当",
    "鼓励",
    "给予",
    "分别",
    "原文",
    "事项",
    "施行",
    "发布",
    "未定",
    "牵头",
    "适用",
    "分担",
    "重叠",
    "合计",
    "每年",
    "词汇",
    "定义",
    "参数",
    "政策",
    "案例",
    "引用",
    "事实",
    "日期",
    "期望",
    "待定",
    "违反",
    "遵守",
    "酌定",
    "预算",
    "允许",
    "出处",
    "是否",
    "金额",
    "比例",
    "文本",
    "数量",
    "名次",
    "申报",
    "受理",
    "材料",
    "对",
    "再",
    "按",
    "的",
    "达",
    "为",
    "是",
    "否",
    "且",
    "和",
    "或",
    "非",
    "未",
    "可",
    "至",
    "起",
    "后",
    "前",
    "自",
    "原则上",
    "减免",
    "额度",
    "美元",
    "欧元",
    "港元",
    "折算",
];

/// The closed list of grant names (`grant_kind` in the grammar).
pub(crate) const GRANT_NAMES: &[&str] = &["奖励", "补助", "资助", "补贴", "贴息", "支持", "扶持"];

/// Words the grammar reads only in their own place and never reserves, so
/// that a fact may still be named 单位, 最多 or 累计 and no policy parses
/// differently: `单位 艘` in a 词汇, the type `列表 {…}`, a cap `累计 …
/// （往年已领 …）` or `（本年已领 …）`, `每项 … （其中 …），最多 8项`,
/// `每满10人`, `不属于`, the overlap rule's words and those of a case's
/// expectations and facts. Completion offers them beside the reserved
/// words; the tests hold the table to the grammar both ways, so that a word
/// the grammar gains is offered or a test fails.
pub(crate) const PLACED_WORDS: &[&str] = &[
    "单位",
    "列表",
    "累计",
    "往年已领",
    "本年已领",
    "每项",
    "其中",
    "最多",
    "每满",
    "连续",
    "不属于",
    "从优",
    "从高",
    "就高",
    "不重复",
    "按年",
    "缺少",
    "取代",
    "被取代",
    "不在施行期",
];

/// Every word of the language a drafter types whole, for completion: the
/// reserved words, the grant names and the words read only in their place.
pub(crate) fn words() -> impl Iterator<Item = &'static str> {
    KEYWORDS
        .iter()
        .chain(GRANT_NAMES)
        .chain(PLACED_WORDS)
        .copied()
}

/// What ends a word being typed, for completion: white space and the
/// grammar's punctuation (`词汇 { 项目：列表 { 类别：重点 | 一般 } }`,
/// `数量（艘）`, `:set 类别=重点`); never `-`, which words may contain, nor
/// `/`, so that a rate is typed as one (`7.1元/美元`).
pub(crate) fn ends_word(c: char) -> bool {
    c.is_whitespace() || "，,、：:；;（）(){}｛｝[]［］「」“”‘’\"'《》=＝|｜<＜>＞≥≤#".contains(c)
}

/// The words that make an amount a bound or a reduction (`bound_kw`), with
/// the result kind each gives; an amount with none of them is 定额.
pub(crate) const BOUND_WORDS: &[(&str, AmountKind)] = &[
    ("最高不超过", AmountKind::AtMost),
    ("最高", AmountKind::AtMost),
    ("不超过", AmountKind::AtMost),
    ("不高于", AmountKind::AtMost),
    ("不少于", AmountKind::AtLeast),
    ("不低于", AmountKind::AtLeast),
    ("减免", AmountKind::Reduction),
];

/// The result kind a `bound_kw` word gives.
pub(crate) fn bound_of(word: &str) -> Option<AmountKind> {
    lookup(BOUND_WORDS, word)
}

/// What `word` means in a table of words and meanings.
fn lookup<T: Copy>(table: &[(&str, T)], word: &str) -> Option<T> {
    table.iter().find(|(w, _)| *w == word).map(|(_, m)| *m)
}

/// The words of a bound of this kind, as `bound_kw` lists them.
pub(crate) fn bound_words(bound: AmountKind) -> Vec<&'static str> {
    BOUND_WORDS
        .iter()
        .filter(|(_, b)| *b == bound)
        .map(|(w, _)| *w)
        .collect()
}

/// The words of a cap written after an amount (`cap_kw`).
pub(crate) const CAP_WORDS: &[&str] = &["最高不超过", "最高", "不超过", "不高于"];

/// The words of a band's threshold (`band_op`): `超过 1亿元 的部分` is the
/// part above it, `不超过`/`以内` the part up to it.
pub(crate) const BAND_WORDS: &[&str] = &["不超过", "超过", "以内"];

/// 酌定 (`kw_zhuoding`): a discretionary grant.
pub(crate) const DISCRETIONARY: &str = "酌定";

/// 且 and its synonyms (`and_kw`).
pub(crate) const AND_WORDS: &[&str] = &["并且", "且", "和"];
/// 或 and its synonym (`or_kw`).
pub(crate) const OR_WORDS: &[&str] = &["或者", "或"];
/// The negations in front of a condition (`not_kw`).
pub(crate) const NOT_WORDS: &[&str] = &["不是", "非", "未"];
/// The words of an exemption (`exemption`).
pub(crate) const EXEMPT_WORDS: &[&str] = &["免于", "无需"];
/// The words of a permission (`permission`).
pub(crate) const PERMIT_WORDS: &[&str] = &["可", "鼓励", "原则上"];

/// The Chinese numerals of clause numbers (`cn_digit`), in the grammar's
/// order: grouped by code point.
pub(crate) const CN_DIGITS: &[&str] = &[
    "一", "七", "三", "两", "九", "二", "五", "八", "六", "十", "四", "〇", "百", "零",
];

/// Money units (`money_unit`).
pub(crate) const MONEY_UNITS: &[&str] = &["亿元", "万元", "元"];
/// Foreign currencies (`currency`), as `Currency::word` spells them.
pub(crate) const CURRENCIES: &[&str] = &["美元", "欧元", "港元"];
/// Ratio units (`ratio_unit`).
pub(crate) const RATIO_UNITS: &[&str] = &["%", "％", "‰"];
/// Units of quantities (`unit`), longest first.
pub(crate) const UNITS: &[&str] = &[
    "平方米",
    "个月",
    "千瓦",
    "厘米",
    "小时",
    "公里",
    "千伏",
    "立方米",
    "年",
    "日",
    "天",
    "周",
    "人",
    "名",
    "家",
    "个",
    "件",
    "辆",
    "台",
    "套",
    "户",
    "项",
    "次",
    "站",
    "亩",
    "米",
    "瓦",
    "吨",
    "条",
    "款",
    "座",
    "场",
    "批",
];

/// Units of periods of time (`period_unit`), longest first: a date moves
/// on by a period after 后.
pub(crate) const PERIOD_UNITS: &[&str] = &["个工作日", "工作日", "个月", "年", "日", "天", "周"];

/// 每 and 每满 in front of a unit or a block of units (`per_unit_kw`,
/// `per_whole`): `每辆`, `每10人`, `每万平方米`, `每满10人`; longest first.
pub(crate) const PER_UNIT_WORDS: &[&str] = &["每满", "每"];

/// The words a number is written onto and what may close it, as
/// `year_span` (`前3年`, `后2年`, `分3年`), `rank_top` (`前5名`), `rank`
/// (`第3名`), `label_article` (`第12条`), `line_ref` (`第378行`) and
/// `consecutive_years` (`连续3年`) read them: after `前3` only 年 and 名
/// can follow.
pub(crate) const NUMBERED: &[(&str, &[&str])] = &[
    ("前", &["年", "名"]),
    ("后", &["年"]),
    ("分", &["年"]),
    ("第", &["名", "条", "行"]),
    ("连续", &["年"]),
];

/// The types written with a unit in parentheses: `数量（辆）`
/// (`ty_quantity`) takes a unit, `金额（美元）` (`ty_foreign`) a currency.
pub(crate) const QUANTITY_TYPE: &str = "数量";
/// See [`QUANTITY_TYPE`].
pub(crate) const FOREIGN_TYPE: &str = "金额";

/// Words after which a clause cannot end, so that the REPL reads on: the
/// reserved words that need something after them, and the arithmetic
/// operators (`add_op`, `mul_op`).
pub(crate) const CONTINUATIONS: &[&str] = &[
    "对",
    "给予",
    "再",
    "分别",
    "最高",
    "不超过",
    "不高于",
    "不少于",
    "不低于",
    "最高不超过",
    "超过",
    "达到",
    "达",
    "低于",
    "不足",
    "不满",
    "高于",
    "大于",
    "小于",
    "多于",
    "少于",
    "不晚于",
    "不早于",
    "早于",
    "晚于",
    "后",
    "等于",
    "为",
    "是",
    "属于",
    "且",
    "并且",
    "和",
    "或",
    "或者",
    "非",
    "未",
    "不是",
    "的",
    "的部分",
    "按",
    "原文",
    "事项",
    "施行",
    "至",
    "适用",
    "分担",
    "牵头",
    "申报",
    "受理",
    "材料",
    "+",
    "-",
    "×",
    "÷",
    "*",
    "/",
];

/// The grammar: the definition of every word list above.
#[cfg(test)]
const GRAMMAR: &str = include_str!("../grammar/zhengce.pest");

/// The quoted alternatives of one rule of the grammar (`unit = { "平方米" |
/// … }`), which the tests hold each table to.
#[cfg(test)]
fn alternatives(rule: &str) -> Vec<&'static str> {
    body(rule)
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| !s.is_empty())
        .collect()
}

/// The text of one rule of the grammar after its `=`: its one line, or its
/// lines up to the closing brace.
#[cfg(test)]
fn body(rule: &str) -> &'static str {
    let head = format!("\n{rule} = ");
    let Some(start) = GRAMMAR.find(&head) else {
        return "";
    };
    let body = GRAMMAR.get(start + head.len()..).unwrap_or("");
    let body = body.split("\n}").next().unwrap_or("");
    body.split('\n')
        .next()
        .filter(|l| l.ends_with('}'))
        .unwrap_or(body)
}

/// The quoted strings of `text`, in order: a quote escaped inside one
/// (`"\""`) does not end it.
#[cfg(test)]
fn literals(text: &'static str) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut open = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match (open, c) {
            (Some(_), _) if escaped => escaped = false,
            (Some(_), '\\') => escaped = true,
            (Some(s), '"') => {
                out.extend(text.get(s..i));
                open = None;
            }
            (None, '"') => open = Some(i + 1),
            _ => {}
        }
    }
    out
}

/// The quoted strings of every rule of the grammar, its comments left out.
#[cfg(test)]
fn grammar_literals() -> Vec<&'static str> {
    GRAMMAR
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .flat_map(literals)
        .collect()
}

/// The groups of a rule whose alternatives are grouped by the code point of
/// their first character (`&'\u{4E00}'..'\u{4E0D}' ~ keyword_text_1` or
/// `&'\u{4E00}'..'\u{4E94}' ~ ("一" | …)`): each group's range and words,
/// the words of a named group read from that rule, and a named group that
/// is itself grouped read as its groups.
#[cfg(test)]
fn groups(rule: &str) -> Vec<(char, char, Vec<&'static str>)> {
    let head = format!("\n{rule} = ");
    let Some(start) = GRAMMAR.find(&head) else {
        return Vec::new();
    };
    let body = GRAMMAR.get(start..).unwrap_or("");
    let body = body.split("\n}").next().unwrap_or("");
    let code = |s: &str| {
        let hex = s.trim_start_matches("'\\u{").trim_end_matches("}'");
        u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
    };
    body.lines()
        .filter_map(|line| {
            let line = line.trim_start_matches([' ', '(', '|']);
            let (range, rest) = line.strip_prefix('&')?.split_once(" ~ ")?;
            let (lo, hi) = range.split_once("..")?;
            Some((code(lo)?, code(hi)?, rest.trim()))
        })
        .flat_map(|(lo, hi, rest)| {
            if rest.starts_with('(') {
                return vec![(lo, hi, rest.split('"').skip(1).step_by(2).collect())];
            }
            // A group of groups: each inner range is cut to the outer one,
            // so that a word outside either fails the range check.
            let inner = groups(rest);
            if inner.is_empty() {
                return vec![(lo, hi, alternatives(rest))];
            }
            inner
                .into_iter()
                .map(|(l, h, words)| (l.max(lo), h.min(hi), words))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut v: Vec<&str>) -> Vec<&str> {
        v.sort_unstable();
        v
    }

    #[test]
    fn the_tables_are_the_grammars() {
        let reserved: Vec<&str> = groups("keyword_text")
            .into_iter()
            .flat_map(|(_, _, words)| words)
            .collect();
        assert_eq!(
            sorted(reserved),
            sorted(KEYWORDS.to_vec()),
            "KEYWORDS differs from the grammar's keyword rule"
        );
        assert_eq!(alternatives("grant_kind"), GRANT_NAMES);
        let bounds: Vec<&str> = BOUND_WORDS.iter().map(|(w, _)| *w).collect();
        assert_eq!(bounds, alternatives("bound_kw"));
        assert_eq!(alternatives("cap_kw"), CAP_WORDS);
        assert_eq!(alternatives("band_op"), BAND_WORDS);
        assert_eq!(alternatives("kw_zhuoding"), [DISCRETIONARY]);
        assert_eq!(alternatives("and_kw"), AND_WORDS);
        assert_eq!(alternatives("or_kw"), OR_WORDS);
        assert_eq!(alternatives("not_kw"), NOT_WORDS);
        assert_eq!(alternatives("exemption"), EXEMPT_WORDS);
        assert_eq!(alternatives("permission"), PERMIT_WORDS);
        assert_eq!(alternatives("cn_digit"), CN_DIGITS);
        assert_eq!(alternatives("money_unit"), MONEY_UNITS);
        assert_eq!(alternatives("currency"), CURRENCIES);
        let words: Vec<&str> = crate::currency::Currency::ALL
            .iter()
            .map(|c| c.word())
            .collect();
        assert_eq!(words, CURRENCIES);
        assert_eq!(alternatives("ratio_unit"), RATIO_UNITS);
        assert_eq!(alternatives("builtin_unit"), UNITS);
        assert_eq!(alternatives("period_unit"), PERIOD_UNITS);
    }

    /// A word tried only in its group is found only if it starts in the
    /// group's range, and, within a group, only if no shorter word before
    /// it starts the same way.
    #[test]
    fn grouped_words_are_in_their_ranges() {
        for rule in ["keyword_text", "cn_digit"] {
            let groups = groups(rule);
            assert!(groups.len() > 1, "{rule} has no groups");
            for (lo, hi, words) in groups {
                assert!(!words.is_empty(), "{rule}: an empty group at {lo}");
                for (i, w) in words.iter().enumerate() {
                    let first = w.chars().next().unwrap_or(lo);
                    assert!(
                        (lo..=hi).contains(&first),
                        "{rule}: {w} is not in {lo}..{hi}"
                    );
                    for earlier in words.get(..i).unwrap_or(&[]) {
                        assert!(!w.starts_with(earlier), "{rule}: {earlier} shadows {w}");
                    }
                }
            }
        }
    }

    /// A word the grammar gains is offered by completion, or is a unit
    /// (offered after a number), or this test fails.
    #[test]
    fn every_word_of_the_grammar_is_offered() {
        let han = |w: &str| {
            w.chars()
                .all(|c| ('\u{3400}'..='\u{9FFF}').contains(&c) || c == '〇')
        };
        let units = [UNITS, PERIOD_UNITS, MONEY_UNITS, CURRENCIES].concat();
        for w in grammar_literals() {
            // A single character is never completed (it is all of its own
            // prefix); 分之 is typed inside a fraction, `三分之一`.
            if !han(w) || w.chars().count() < 2 || w == "分之" {
                continue;
            }
            assert!(
                words().any(|o| o == w) || units.contains(&w),
                "{w} is in the grammar but neither offered nor a unit"
            );
        }
    }

    #[test]
    fn the_placed_words_are_the_grammars_and_not_reserved() {
        let literals = grammar_literals();
        for w in PLACED_WORDS {
            assert!(!KEYWORDS.contains(w), "{w} is reserved");
            assert!(
                literals.contains(w) || PER_UNIT_WORDS.contains(w),
                "{w} is not in the grammar"
            );
        }
        let per: Vec<String> = alternatives("per_whole")
            .iter()
            .map(|w| format!("每{w}"))
            .chain(["每".to_string()])
            .collect();
        assert_eq!(super::literals(body("per_unit_kw")).first(), Some(&"每"));
        assert_eq!(per, PER_UNIT_WORDS);
        for w in PER_UNIT_WORDS {
            assert!(words().any(|o| o == *w) || *w == "每", "{w}");
        }
        assert_eq!(super::literals(body("ty_quantity")), [QUANTITY_TYPE]);
        assert_eq!(super::literals(body("ty_foreign")), [FOREIGN_TYPE]);
    }

    #[test]
    fn the_numbered_words_are_the_grammars() {
        let ends = |rule: &str| {
            let l = super::literals(body(rule));
            (l.first().copied(), l.last().copied())
        };
        let mut grammar: Vec<(Option<&str>, Option<&str>)> = [
            "rank",
            "rank_top",
            "label_article",
            "line_ref",
            "consecutive_years",
        ]
        .into_iter()
        .map(ends)
        .collect();
        let (_, year) = ends("year_span");
        grammar.extend(
            alternatives("year_word")
                .into_iter()
                .map(|w| (Some(w), year)),
        );
        let mut table: Vec<(Option<&str>, Option<&str>)> = NUMBERED
            .iter()
            .flat_map(|(w, ends)| ends.iter().map(move |e| (Some(*w), Some(*e))))
            .collect();
        grammar.sort_unstable();
        table.sort_unstable();
        assert_eq!(table, grammar);
    }

    #[test]
    fn the_continuations_are_reserved_words_or_operators() {
        let operators = [alternatives("add_op"), alternatives("mul_op")].concat();
        for w in CONTINUATIONS {
            assert!(
                KEYWORDS.contains(w) || operators.contains(w),
                "{w} is neither a reserved word nor an operator"
            );
        }
        // Every comparison word leaves the clause unfinished.
        for w in cmp::CMP_WORDS {
            assert!(CONTINUATIONS.contains(&w.text()), "{}", w.text());
        }
        for w in cmp::EQ_WORDS
            .iter()
            .filter(|w| KEYWORDS.contains(&w.text()))
        {
            assert!(CONTINUATIONS.contains(&w.text()), "{}", w.text());
        }
    }
}
