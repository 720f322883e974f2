//! Which texts can be written without quotation marks.

use crate::lexicon::CN_DIGITS;
pub use crate::lexicon::KEYWORDS;

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
        && !text
            .chars()
            .all(|c| CN_DIGITS.iter().any(|d| d.starts_with(c)))
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
