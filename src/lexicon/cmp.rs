//! The words of comparisons and what they mean: one table each for the
//! words before the value (`超过`), after it (`以上`), of equality and
//! membership (`为`, `属于`) and the symbols (`≥`). Lowering reads the
//! meaning from here; the syntax tree keeps the word itself, so the
//! formatter prints what the drafter wrote without decoding it again.

use std::marker::PhantomData;

use crate::ast::CmpOp;

/// A comparison word of one grammar rule, `K`: its text and the operator
/// it means. Made only from the tables below, so a word in the syntax tree
/// is always one the grammar has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Word<K> {
    text: &'static str,
    op: CmpOp,
    rule: PhantomData<K>,
}

/// Where a comparison word stands, naming the table of its words.
pub trait Place: Copy + 'static {
    /// Every word of the place, as the grammar lists them.
    const WORDS: &'static [Word<Self>];
}

/// In front of the value (`cmp_word`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Before {}
/// After the value (`cmp_suffix`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum After {}
/// Equality and membership (`eq_kw`, `member_kw`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Equality {}

/// `超过`, `不低于` …: the operator is the one before any （含） or suffix.
pub type CmpWord = Word<Before>;
/// `以上`, `以内` …: ≥ or ≤, the number included.
pub type CmpSuffix = Word<After>;
/// `为`, `不属于` …: = (any of the values) or ≠ (none of them).
pub type EqWord = Word<Equality>;

impl<K: Place> Word<K> {
    const fn new(text: &'static str, op: CmpOp) -> Self {
        Word {
            text,
            op,
            rule: PhantomData,
        }
    }

    /// The word as written, if it is one.
    pub fn parse(text: &str) -> Option<Self> {
        K::WORDS.iter().copied().find(|w| w.text == text)
    }

    /// The word.
    pub fn text(self) -> &'static str {
        self.text
    }

    /// What it means.
    pub fn op(self) -> CmpOp {
        self.op
    }

    /// Whether it compares dates only (`不晚于`, `早于` …).
    pub fn for_dates(self) -> bool {
        DATE_WORDS.contains(&self.text)
    }

    /// Whether it bounds from below (`超过`, `达到`, `以上`).
    pub fn upward(self) -> bool {
        matches!(self.op, CmpOp::Gt | CmpOp::Ge)
    }
}

impl Place for Before {
    const WORDS: &'static [CmpWord] = CMP_WORDS;
}
impl Place for After {
    const WORDS: &'static [CmpSuffix] = CMP_SUFFIXES;
}
impl Place for Equality {
    const WORDS: &'static [EqWord] = EQ_WORDS;
}

/// Every `cmp_word`, longest first as in the grammar, with the operator it
/// means before any （含） or suffix: by 《民法典》第一千二百五十九条
/// 达到/不低于/不少于 include the number, 超过/高于/低于/不足/不满 exclude it.
pub(crate) const CMP_WORDS: &[CmpWord] = &[
    Word::new("不超过", CmpOp::Le),
    Word::new("不高于", CmpOp::Le),
    Word::new("不少于", CmpOp::Ge),
    Word::new("不低于", CmpOp::Ge),
    Word::new("超过", CmpOp::Gt),
    Word::new("高于", CmpOp::Gt),
    Word::new("达到", CmpOp::Ge),
    Word::new("达", CmpOp::Ge),
    Word::new("低于", CmpOp::Lt),
    Word::new("不足", CmpOp::Lt),
    Word::new("不满", CmpOp::Lt),
    Word::new("大于", CmpOp::Gt),
    Word::new("小于", CmpOp::Lt),
    Word::new("多于", CmpOp::Gt),
    Word::new("少于", CmpOp::Lt),
    Word::new("不晚于", CmpOp::Le),
    Word::new("不早于", CmpOp::Ge),
    Word::new("早于", CmpOp::Lt),
    Word::new("晚于", CmpOp::Gt),
];

/// The comparison words that compare dates only (`不晚于 受理日期 后
/// 5个工作日`): a later date is the greater.
pub(crate) const DATE_WORDS: &[&str] = &["不晚于", "不早于", "早于", "晚于"];

/// Every `cmp_suffix`, as in the grammar: 以上 and 以下 include the number.
pub(crate) const CMP_SUFFIXES: &[CmpSuffix] = &[
    Word::new("及以上", CmpOp::Ge),
    Word::new("及以下", CmpOp::Le),
    Word::new("以上", CmpOp::Ge),
    Word::new("以下", CmpOp::Le),
    Word::new("以内", CmpOp::Le),
];

/// Every `eq_kw` and `member_kw`, as in the grammar.
pub(crate) const EQ_WORDS: &[EqWord] = &[
    Word::new("等于", CmpOp::Eq),
    Word::new("不是", CmpOp::Ne),
    Word::new("为", CmpOp::Eq),
    Word::new("是", CmpOp::Eq),
    Word::new("不属于", CmpOp::Ne),
    Word::new("属于", CmpOp::Eq),
];

/// The comparison symbols (`sym_op`) and their operators.
pub(crate) const SYMBOLS: &[(&str, CmpOp)] = &[
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
pub(crate) fn symbol(text: &str) -> Option<CmpOp> {
    super::lookup(SYMBOLS, text)
}

/// `超过 … 以下`: a word and a suffix pointing opposite ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Conflict;

/// What `<word> X (（含）) (<suffix>)` means: the operator, and whether the
/// wording contradicts itself (an exclusive word made inclusive, `超过 X
/// （含）`). An explicit （含） or a suffix makes the bound inclusive.
pub(crate) fn meaning(
    word: CmpWord,
    inclusive: bool,
    suffix: Option<CmpSuffix>,
) -> Result<(CmpOp, bool), Conflict> {
    if suffix.is_some_and(|s| s.upward() != word.upward()) {
        return Err(Conflict);
    }
    let exclusive = matches!(word.op, CmpOp::Gt | CmpOp::Lt);
    let made_inclusive = inclusive || suffix.is_some();
    let op = match (word.op, made_inclusive) {
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
