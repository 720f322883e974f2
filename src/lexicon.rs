//! The words of the language that several stages need: its reserved
//! words and the closed list of grant names, for the formatter (what can
//! stay unquoted), the REPL (completion, highlighting) and the language
//! server. The grammar (`grammar/zhengce.pest`) defines them; the tests
//! below hold these tables to it, and `alternatives` reads any other list
//! (units) from it directly. [`trivia`] tells code from comments and
//! quoted text.

pub mod trivia;

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

/// The closed list of grant names (`grant_kind` in the grammar).
pub const GRANT_NAMES: &[&str] = &["奖励", "补助", "资助", "补贴", "贴息", "支持", "扶持"];

/// The grammar: the definition of every word list below.
const GRAMMAR: &str = include_str!("../grammar/zhengce.pest");

/// The quoted alternatives of one rule of the grammar (`unit = { "平方米" |
/// … }`): the list is kept there and only there.
pub(crate) fn alternatives(rule: &str) -> Vec<&'static str> {
    let head = format!("\n{rule} = ");
    let Some(start) = GRAMMAR.find(&head) else {
        return Vec::new();
    };
    let body = GRAMMAR.get(start + head.len()..).unwrap_or("");
    let body = body.split("\n}").next().unwrap_or("");
    let body = body
        .split('\n')
        .next()
        .filter(|l| l.ends_with('}'))
        .unwrap_or(body);
    body.split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| !s.is_empty())
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
        assert_eq!(
            sorted(alternatives("keyword")),
            sorted(KEYWORDS.to_vec()),
            "KEYWORDS differs from the grammar's keyword rule"
        );
        assert_eq!(alternatives("grant_kind"), GRANT_NAMES);
    }
}
