//! The words of comparisons and what they mean: one table each for the
//! words before the value (`超过`), after it (`以上`), of equality and
//! membership (`为`, `属于`) and the symbols (`≥`). Lowering reads the
//! meaning from here; the syntax tree keeps the word itself, so the
//! formatter prints what the drafter wrote without decoding it again.

use crate::ast::CmpOp;

/// A comparison word in front of the value (`cmp_word` in the grammar).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CmpWord {
    text: &'static str,
    base: CmpOp,
}

/// Every `cmp_word`, longest first as in the grammar, with the operator it
/// means before any （含） or suffix: by 《民法典》第一千二百五十九条
/// 达到/不低于/不少于 include the number, 超过/高于/低于/不足/不满 exclude it.
pub const CMP_WORDS: &[CmpWord] = &[
    CmpWord::new("不超过", CmpOp::Le),
    CmpWord::new("不高于", CmpOp::Le),
    CmpWord::new("不少于", CmpOp::Ge),
    CmpWord::new("不低于", CmpOp::Ge),
    CmpWord::new("超过", CmpOp::Gt),
    CmpWord::new("高于", CmpOp::Gt),
    CmpWord::new("达到", CmpOp::Ge),
    CmpWord::new("达", CmpOp::Ge),
    CmpWord::new("低于", CmpOp::Lt),
    CmpWord::new("不足", CmpOp::Lt),
    CmpWord::new("不满", CmpOp::Lt),
    CmpWord::new("大于", CmpOp::Gt),
    CmpWord::new("小于", CmpOp::Lt),
    CmpWord::new("多于", CmpOp::Gt),
    CmpWord::new("少于", CmpOp::Lt),
];

impl CmpWord {
    const fn new(text: &'static str, base: CmpOp) -> Self {
        CmpWord { text, base }
    }

    /// The word as written, if it is one.
    pub fn parse(text: &str) -> Option<Self> {
        CMP_WORDS.iter().copied().find(|w| w.text == text)
    }

    /// The word.
    pub fn text(self) -> &'static str {
        self.text
    }

    /// Whether the word bounds from below (`超过`, `达到`).
    pub fn upward(self) -> bool {
        matches!(self.base, CmpOp::Gt | CmpOp::Ge)
    }
}

/// A comparison word after the value (`cmp_suffix`): 以上 and 以下 include
/// the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CmpSuffix {
    text: &'static str,
    op: CmpOp,
}

/// Every `cmp_suffix`, as in the grammar.
pub const CMP_SUFFIXES: &[CmpSuffix] = &[
    CmpSuffix::new("及以上", CmpOp::Ge),
    CmpSuffix::new("及以下", CmpOp::Le),
    CmpSuffix::new("以上", CmpOp::Ge),
    CmpSuffix::new("以下", CmpOp::Le),
    CmpSuffix::new("以内", CmpOp::Le),
];

impl CmpSuffix {
    const fn new(text: &'static str, op: CmpOp) -> Self {
        CmpSuffix { text, op }
    }

    /// The suffix as written, if it is one.
    pub fn parse(text: &str) -> Option<Self> {
        CMP_SUFFIXES.iter().copied().find(|w| w.text == text)
    }

    /// The word.
    pub fn text(self) -> &'static str {
        self.text
    }

    /// What `X Y <suffix>` means: ≥ or ≤.
    pub fn op(self) -> CmpOp {
        self.op
    }
}

/// A word of equality or membership (`eq_kw`, `member_kw`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EqWord {
    text: &'static str,
    op: CmpOp,
}

/// Every `eq_kw` and `member_kw`, as in the grammar.
pub const EQ_WORDS: &[EqWord] = &[
    EqWord::new("等于", CmpOp::Eq),
    EqWord::new("不是", CmpOp::Ne),
    EqWord::new("为", CmpOp::Eq),
    EqWord::new("是", CmpOp::Eq),
    EqWord::new("不属于", CmpOp::Ne),
    EqWord::new("属于", CmpOp::Eq),
];

impl EqWord {
    const fn new(text: &'static str, op: CmpOp) -> Self {
        EqWord { text, op }
    }

    /// The word as written, if it is one.
    pub fn parse(text: &str) -> Option<Self> {
        EQ_WORDS.iter().copied().find(|w| w.text == text)
    }

    /// The word.
    pub fn text(self) -> &'static str {
        self.text
    }

    /// `=` (any of the values) or `≠` (none of them).
    pub fn op(self) -> CmpOp {
        self.op
    }
}

/// The comparison symbols (`sym_op`) and their operators.
pub const SYMBOLS: &[(&str, CmpOp)] = &[
    (">=", CmpOp::Ge),
    ("<=", CmpOp::Le),
    ("≥", CmpOp::Ge),
    ("≤", CmpOp::Le),
    ("＞＝", CmpOp::Ge),
    ("＜＝", CmpOp::Le),
    (">", CmpOp::Gt),
    ("<", CmpOp::Lt),
    ("＞", CmpOp::Gt),
    ("＜", CmpOp::Lt),
    ("=", CmpOp::Eq),
    ("＝", CmpOp::Eq),
];

/// The operator of a comparison symbol, if it is one.
pub fn symbol(text: &str) -> Option<CmpOp> {
    SYMBOLS.iter().find(|(s, _)| *s == text).map(|(_, op)| *op)
}

/// `超过 … 以下`: a word and a suffix pointing opposite ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conflict;

/// What `<word> X (（含）) (<suffix>)` means: the operator, and whether the
/// wording contradicts itself (an exclusive word made inclusive, `超过 X
/// （含）`). An explicit （含） or a suffix makes the bound inclusive.
pub fn meaning(
    word: CmpWord,
    inclusive: bool,
    suffix: Option<CmpSuffix>,
) -> Result<(CmpOp, bool), Conflict> {
    if suffix.is_some_and(|s| (s.op == CmpOp::Ge) != word.upward()) {
        return Err(Conflict);
    }
    let exclusive = matches!(word.base, CmpOp::Gt | CmpOp::Lt);
    let made_inclusive = inclusive || suffix.is_some();
    let op = match (word.base, made_inclusive) {
        (CmpOp::Gt, true) => CmpOp::Ge,
        (CmpOp::Lt, true) => CmpOp::Le,
        (op, _) => op,
    };
    Ok((op, exclusive && made_inclusive))
}

#[cfg(test)]
mod tests {
    use super::super::alternatives;
    use super::*;

    #[test]
    fn the_tables_are_the_grammars() {
        let words: Vec<&str> = CMP_WORDS.iter().map(|w| w.text).collect();
        assert_eq!(words, alternatives("cmp_word"));
        let suffixes: Vec<&str> = CMP_SUFFIXES.iter().map(|w| w.text).collect();
        assert_eq!(suffixes, alternatives("cmp_suffix"));
        let eq: Vec<&str> = EQ_WORDS.iter().map(|w| w.text).collect();
        let grammar = [alternatives("eq_kw"), alternatives("member_kw")].concat();
        assert_eq!(eq, grammar);
        let symbols: Vec<&str> = SYMBOLS.iter().map(|(s, _)| *s).collect();
        assert_eq!(symbols, alternatives("sym_op"));
        // Negation is spelt with 不 and nothing else is.
        for w in EQ_WORDS {
            assert_eq!(w.text.starts_with('不'), w.op == CmpOp::Ne, "{}", w.text);
        }
    }

    fn read(word: &str, inclusive: bool, suffix: Option<&str>) -> Result<(CmpOp, bool), Conflict> {
        let word = CmpWord::parse(word).ok_or(Conflict)?;
        meaning(word, inclusive, suffix.and_then(CmpSuffix::parse))
    }

    #[test]
    fn inclusive_marks_and_suffixes() {
        assert_eq!(read("超过", false, None), Ok((CmpOp::Gt, false)));
        assert_eq!(read("达到", false, Some("以上")), Ok((CmpOp::Ge, false)));
        // 超过 X（含）: contradictory, read as ≥.
        assert_eq!(read("超过", true, None), Ok((CmpOp::Ge, true)));
        assert_eq!(read("不足", false, Some("以下")), Ok((CmpOp::Le, true)));
        assert_eq!(read("不超过", true, Some("以内")), Ok((CmpOp::Le, false)));
        assert_eq!(read("超过", false, Some("以下")), Err(Conflict));
        assert_eq!(read("低于", false, Some("及以上")), Err(Conflict));
    }
}
