//! Which texts can be written without quotation marks.

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
    "原则上",
    "减免",
];

/// Chinese numerals of clause numbers.
const CN_DIGITS: &str = "零〇一二三四五六七八九十百两";

fn han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}'
        | '〇')
}

/// Whether `text` reads back as the same bare word: CJK characters,
/// letters, digits and `_`, not starting with a digit or 每, not a keyword
/// and not a clause number. Anything else is written in “…”.
pub fn plain(text: &str) -> bool {
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let word_char = |c: char| han(c) || c.is_ascii_alphanumeric() || c == '_';
    (han(first) || first.is_ascii_alphabetic() || first == '_')
        && first != '每'
        && text.chars().all(word_char)
        && !KEYWORDS.contains(&text)
        && !text.chars().all(|c| CN_DIGITS.contains(c))
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn bare_or_quoted() {
        assert!(plain("首次认定"));
        assert!(plain("最高人民法院"));
        assert!(!plain("最高"));
        assert!(!plain("5G基站"));
        assert!(!plain("三"));
        assert!(plain("三星"));
        assert!(!plain("每日用电量"));
        assert!(!plain("a b"));
        assert!(!plain(""));
    }
}
