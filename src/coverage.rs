//! Which sentences of the corpus that grant an amount are cited by a
//! clause: the measure behind `zhengce coverage`.
//!
//! Only the lines named by the loaded policies' `出处` are read. Each line is
//! cut into sentences and each sentence tested for a grant (both rules in
//! [`sentence`]). A grant sentence is **cited** by a clause of a policy
//! whose 出处 covers its line when one of the clause's 原文, found in the
//! policy's lines, either
//!
//! - lies inside the sentence (the 原文 quotes part of it), or
//! - covers at least half of the sentence's characters (this includes a
//!   原文 that contains the whole sentence, and one that runs across a 。
//!   into the next sentence).
//!
//! Whitespace is removed from both sides before comparing, as the 原文 test
//! of `tests/policies.rs` does. The match is by position, not by text alone:
//! a 原文 of one document never cites a like-worded sentence of another.
//!
//! Across the whole corpus file ([`Coverage::corpus_total`]), every line is
//! read, so a document nobody encoded counts as uncited. Grant sentences
//! are counted by their text without whitespace, so a document the file
//! holds twice (CATALOGUE §0: seven, one of them with blank lines between
//! paragraphs) counts once; a sentence counts as covered when a clause
//! cites it where some 出处 reads it.

mod error;
pub(crate) mod sentence;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

pub(crate) use error::CoverageError;

use crate::program::{PolicyDef, Program};

/// A grant sentence and the clauses that cite it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantSentence {
    /// 1-based line of the corpus.
    pub line: u32,
    /// The sentence as written in the corpus (trimmed).
    pub text: String,
    /// The citing clauses, as `《标题》条款`, in load order.
    pub cited_by: Vec<String>,
}

/// The grant sentences of every 出处, in corpus order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    /// The grant sentences.
    pub sentences: Vec<GrantSentence>,
    /// How many loaded policies name their 出处.
    pub policies: usize,
    /// Distinct grant sentences of the whole corpus file (by text, so
    /// duplicated documents count once).
    pub corpus_total: usize,
    /// Of those, the ones some clause cites.
    pub corpus_covered: usize,
}

impl Coverage {
    /// Grant sentences cited by at least one clause.
    pub fn covered(&self) -> usize {
        self.sentences
            .iter()
            .filter(|s| !s.cited_by.is_empty())
            .count()
    }

    /// All grant sentences.
    pub fn total(&self) -> usize {
        self.sentences.len()
    }

    /// The share covered in per mille, rounded half up (`None` when there
    /// is no grant sentence).
    pub fn per_mille(&self) -> Option<usize> {
        let total = self.total();
        (total > 0).then(|| (self.covered() * 2000 + total) / (2 * total))
    }
}

/// One sentence of a policy's lines, located in the squashed text.
struct Located<'c> {
    line: u32,
    index: usize,
    text: &'c str,
    at: Range<usize>,
}

/// Measures the loaded policies against the corpus text.
pub(crate) fn measure(program: &Program, corpus: &str) -> Result<Coverage, Vec<CoverageError>> {
    let lines: Vec<&str> = corpus.lines().collect();
    let mut found: BTreeMap<(u32, usize), GrantSentence> = BTreeMap::new();
    let mut errors = Vec::new();
    let mut policies = 0;
    for policy in &program.policies {
        let Some((first, last)) = policy.provenance else {
            continue;
        };
        policies += 1;
        let Some(range) = lines.get(first.saturating_sub(1) as usize..last as usize) else {
            errors.push(beyond(program, policy, last, lines.len()));
            continue;
        };
        let (doc, sentences) = locate(first, range);
        let quotes = quotations(policy, &doc);
        for s in sentences.iter().filter(|s| sentence::is_grant(s.text)) {
            let entry = found
                .entry((s.line, s.index))
                .or_insert_with(|| GrantSentence {
                    line: s.line,
                    text: s.text.to_string(),
                    cited_by: vec![],
                });
            for (who, at) in &quotes {
                if cites(&doc, &s.at, at) && !entry.cited_by.contains(who) {
                    entry.cited_by.push(who.clone());
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let everywhere: BTreeSet<String> = lines
        .iter()
        .flat_map(|l| sentence::split(l))
        .filter(|s| sentence::is_grant(s))
        .map(squash)
        .filter(|s| !s.is_empty())
        .collect();
    let cited: BTreeSet<String> = found
        .values()
        .filter(|s| !s.cited_by.is_empty())
        .map(|s| squash(&s.text))
        .collect();
    Ok(Coverage {
        sentences: found.into_values().collect(),
        policies,
        corpus_total: everywhere.len(),
        corpus_covered: everywhere.intersection(&cited).count(),
    })
}

/// Removes whitespace (the ideographic space included).
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The squashed text of the lines and each sentence's place in it.
fn locate<'c>(first: u32, lines: &[&'c str]) -> (String, Vec<Located<'c>>) {
    let mut doc = String::new();
    let mut out = Vec::new();
    for (line, text) in (first..).zip(lines) {
        for (index, s) in sentence::split(text).into_iter().enumerate() {
            let start = doc.len();
            doc.push_str(&squash(s));
            out.push(Located {
                line,
                index,
                text: s,
                at: start..doc.len(),
            });
        }
    }
    (doc, out)
}

/// Every place in `doc` where a clause's 原文 occurs, with the clause.
fn quotations(policy: &PolicyDef, doc: &str) -> Vec<(String, Range<usize>)> {
    let title = policy
        .title
        .as_deref()
        .map_or(String::new(), |t| format!("《{t}》"));
    let mut out = Vec::new();
    for clause in &policy.clauses {
        let who = format!("{title}{}", clause.label);
        for quote in clause.source.iter().chain(&clause.also_cites) {
            let quote = squash(quote);
            if quote.is_empty() {
                continue;
            }
            for (at, _) in doc.match_indices(&quote) {
                out.push((who.clone(), at..at + quote.len()));
            }
        }
    }
    out
}

/// The citation rule of the module documentation, on byte ranges of `doc`.
fn cites(doc: &str, sentence: &Range<usize>, quote: &Range<usize>) -> bool {
    let inside = quote.start >= sentence.start && quote.end <= sentence.end;
    let shared = sentence.start.max(quote.start)..sentence.end.min(quote.end);
    inside || 2 * chars(doc, shared) >= chars(doc, sentence.clone())
}

/// Characters in a byte range of `doc` (0 when empty).
fn chars(doc: &str, range: Range<usize>) -> usize {
    doc.get(range).map_or(0, |s| s.chars().count())
}

fn beyond(program: &Program, policy: &PolicyDef, last: u32, lines: usize) -> CoverageError {
    CoverageError::BeyondCorpus {
        src: program.named_source(policy.loc.file),
        span: policy.loc.span.into(),
        title: policy.title.clone().unwrap_or_default(),
        last,
        lines,
    }
}

#[cfg(test)]
#[path = "coverage/tests.rs"]
mod tests;
