//! Corpus lines → sentences, and the test for a sentence that grants an
//! amount.
//!
//! **Sentences.** A line is cut after every 。, ； and `;`, and at its end
//! (the corpus holds one paragraph per line). The terminator stays with its
//! sentence; surrounding whitespace, including the ideographic space, is
//! trimmed; empty pieces are dropped. Nothing else is normalised, so the
//! text reads exactly as in the corpus.
//!
//! **Grant sentences.** A sentence grants an amount when all three hold:
//!
//! 1. it names an amount: Arabic digits (optionally with a decimal part)
//!    followed by 元, 万元 or 亿元 (`20万元`, `0.2元/瓦`, `1500元/人`), or by
//!    %, ％ or ‰ (`20%`, `2‰`);
//! 2. it names a grant: 给予, or one of the nouns 补助, 奖励, 资助, 补贴, 贴息,
//!    扶持, 补偿 (`每辆新能源汽车最高补贴1.5万元` has no 给予 and still grants).
//!    支持 alone does not count: in this corpus it mostly opens an aim
//!    (`支持企业加大研发投入`) or a budget line (`支持重大科创平台建设10亿元`);
//!    a grant worded as support says 给予…支持, which 给予 already catches;
//! 3. it is not a budget or a cost split: it contains none of 预算安排,
//!    统筹安排, 各安排 (money a government sets aside, not what an entity
//!    receives), and it does not say 承担 without 给予 (`由市财政及有关区、
//!    县（市）财政各承担50%` says who pays, not what is paid).
//!
//! The test reads words, not meaning: a sentence can pass it and still not
//! be an entitlement (a price deduction, a changed threshold). Those are
//! the uncited sentences that `policies/GAPS.md` explains one by one.

/// Characters after which a sentence ends.
const TERMINATORS: [char; 3] = ['。', '；', ';'];

/// Words that make a sentence a grant when it also names an amount.
const GRANT_WORDS: [&str; 8] = [
    "给予", "补助", "奖励", "资助", "补贴", "贴息", "扶持", "补偿",
];

/// Words of budget lines: the amount is money set aside, not granted.
const BUDGET_WORDS: [&str; 3] = ["预算安排", "统筹安排", "各安排"];

/// Splits one corpus line into its sentences, in order.
pub(crate) fn split(line: &str) -> Vec<&str> {
    line.split_inclusive(TERMINATORS)
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Whether a sentence grants an amount (see the module documentation).
pub(crate) fn is_grant(sentence: &str) -> bool {
    let cost_split = sentence.contains("承担") && !sentence.contains("给予");
    has_amount(sentence)
        && GRANT_WORDS.iter().any(|w| sentence.contains(w))
        && !BUDGET_WORDS.iter().any(|w| sentence.contains(w))
        && !cost_split
}

/// Whether the text names a money amount or a ratio: digits, an optional
/// decimal part, optional spaces, then 元/万元/亿元 or %/％/‰.
pub(crate) fn has_amount(text: &str) -> bool {
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let after = rest.get(start..).unwrap_or("");
        let digits_end = number_len(after);
        let tail = after.get(digits_end..).unwrap_or("").trim_start();
        if ["元", "万元", "亿元", "%", "％", "‰"]
            .iter()
            .any(|u| tail.starts_with(u))
        {
            return true;
        }
        rest = after.get(digits_end.max(1)..).unwrap_or("");
    }
    false
}

/// Length in bytes of the number at the start of `s`: digits, then
/// optionally `.` and more digits.
fn number_len(s: &str) -> usize {
    let int = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let frac = s
        .get(int..)
        .and_then(|r| r.strip_prefix('.'))
        .map(|r| r.len() - r.trim_start_matches(|c: char| c.is_ascii_digit()).len())
        .unwrap_or(0);
    if frac > 0 { int + 1 + frac } else { int }
}

#[cfg(test)]
#[path = "sentence_tests.rs"]
mod tests;
