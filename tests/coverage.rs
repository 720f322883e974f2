//! `zhengce coverage` on the shipped policies and the corpus: exit 0, the
//! last line is `covered/total`, and at least 90% of the grant sentences
//! of the encoded documents are cited.

use std::process::{Command, Output};

const CORPUS: &str = "../shared/seeds/000_32cd36ea271cae91.txt";

fn coverage(extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhengce"))
        .args(["coverage", "policies/", "--source", CORPUS])
        .args(extra)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// `covered/total` when the whole line is two numbers and a slash.
fn counts(line: &str) -> Option<(usize, usize)> {
    let (a, b) = line.split_once('/')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    (digits(a) && digits(b)).then(|| (a.parse().unwrap(), b.parse().unwrap()))
}

#[test]
fn human_output_ends_with_covered_over_total_and_meets_the_aim() {
    let out = coverage(&[]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let last = stdout.lines().last().unwrap();
    let (covered, total) =
        counts(last).unwrap_or_else(|| panic!("last line is not covered/total: {last:?}"));
    assert!(total > 100, "only {total} grant sentences in scope");
    let before_last = stdout.lines().rev().nth(1).unwrap();
    assert!(
        before_last.starts_with("全语料（重复文件只计一次）：已引用 "),
        "{before_last}"
    );
    assert!(
        covered * 10 >= total * 9,
        "coverage {covered}/{total} is below 90%:\n{stdout}"
    );
}

#[test]
fn json_output_lists_every_grant_sentence_with_its_citations() {
    let out = coverage(&["--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sentences = doc["sentences"].as_array().unwrap();
    assert_eq!(doc["total"].as_u64().unwrap() as usize, sentences.len());
    let cited = sentences
        .iter()
        .filter(|s| !s["cited_by"].as_array().unwrap().is_empty())
        .count();
    assert_eq!(doc["covered"].as_u64().unwrap() as usize, cited);
    // The whole corpus file: documents nobody encoded count as uncited,
    // so there are at least as many grant sentences as within the 出处
    // ranges (as many once every document with one is encoded), and
    // exactly the cited ones (duplicated documents counted once) covered.
    let corpus_total = doc["corpus_total"].as_u64().unwrap() as usize;
    let corpus_covered = doc["corpus_covered"].as_u64().unwrap() as usize;
    assert!(corpus_total >= sentences.len(), "{corpus_total}");
    assert_eq!(corpus_covered, cited);
    // L398: 对首次认定的高新技术企业，给予最高20万元奖励；(#13 十三-2).
    let l398 = sentences
        .iter()
        .find(|s| {
            s["line"] == 398
                && s["text"]
                    .as_str()
                    .unwrap()
                    .contains("首次认定的高新技术企业")
        })
        .unwrap();
    assert!(
        l398["cited_by"][0]
            .as_str()
            .unwrap()
            .starts_with("《强化企业科技创新主体地位加快科技企业高质量发展的若干措施》"),
        "{l398}"
    );
}

#[test]
fn all_lists_cited_sentences_with_their_clauses() {
    let out = coverage(&["--all"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("已被引用的给予句"), "{stdout}");
    assert!(
        stdout.contains("← 《进一步鼓励集成电路产业加快发展专项政策》三-1"),
        "{stdout}"
    );
}

#[test]
fn a_wrong_corpus_is_an_error_pointing_at_the_policy() {
    let out = Command::new(env!("CARGO_BIN_EXE_zhengce"))
        .args([
            "coverage",
            "policies/集成电路专项政策.zc",
            "--source",
            "README.md",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("zc::coverage::beyond_corpus"), "{stderr}");
}
