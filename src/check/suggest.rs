//! "Did you mean": edit distance on characters over known names.

/// Levenshtein distance counted in characters, so one wrong Chinese
/// character is one edit.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev
                .get(j)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(usize::from(ca != *cb));
            let del = prev
                .get(j + 1)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            let ins = cur.get(j).copied().unwrap_or(usize::MAX).saturating_add(1);
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// Up to three candidates close to `word`, closest first.
pub fn similar<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let len = word.chars().count();
    let limit = (len / 3).max(1);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.dedup();
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// How a did-you-mean help starts and ends.
const ASK: (&str, &str) = ("您是否想写：", "？");

/// "您是否想写：甲、乙？" or the fallback text.
pub fn did_you_mean(found: &[String], fallback: &str) -> String {
    if found.is_empty() {
        fallback.to_string()
    } else {
        format!("{}{}{}", ASK.0, found.join("、"), ASK.1)
    }
}

/// The candidates a help made by [`did_you_mean`] offers (the language
/// server turns each into a quick fix); `None` for any other help.
pub fn offered(help: &str) -> Option<Vec<String>> {
    let list = help.strip_prefix(ASK.0)?.strip_suffix(ASK.1)?;
    Some(list.split('、').map(str::to_string).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_character_off_is_one_edit() {
        assert_eq!(distance("高薪技术企业", "高新技术企业"), 1);
        assert_eq!(
            similar("高薪技术企业", ["高新技术企业", "研发投入"]),
            vec!["高新技术企业"]
        );
    }

    #[test]
    fn the_offered_candidates_read_back() {
        let found = vec!["甲".to_string(), "乙丙".to_string()];
        assert_eq!(offered(&did_you_mean(&found, "x")), Some(found));
        assert_eq!(offered("先在 词汇 中声明它"), None);
    }
}
