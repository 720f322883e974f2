//! The shipped policies: they check, every clause's 原文 is a verbatim
//! quotation of the corpus, and every file carries hand-checked cases.

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn policy_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("policies"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "zc"))
        .collect();
    files.sort();
    files
}

fn compile() -> zhengce::internals::check::Checked {
    zhengce::internals::load::compile(&[root().join("policies")]).unwrap_or_else(|errors| {
        panic!(
            "{}",
            errors
                .iter()
                .map(|e| zhengce::internals::diagnostics::render(
                    e,
                    zhengce::internals::diagnostics::Style::plain()
                ))
                .collect::<String>()
        )
    })
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn every_source_quotation_is_in_the_corpus() {
    let corpus_path = root().join("../shared/seeds/000_32cd36ea271cae91.txt");
    let corpus = std::fs::read_to_string(&corpus_path)
        .unwrap_or_else(|e| panic!("the corpus must sit at {} ({e})", corpus_path.display()));
    let corpus = squash(&corpus);
    let checked = compile();
    let mut quoted = 0;
    for (policy, clause) in checked.program.clauses() {
        if clause.source.is_some() {
            quoted += 1;
        }
        for source in clause.source.iter().chain(&clause.also_cites) {
            assert!(
                corpus.contains(&squash(source)),
                "《{}》{}: 原文不在语料中：{source}",
                policy.title.as_deref().unwrap_or(""),
                clause.label
            );
        }
    }
    assert!(quoted > 300, "only {quoted} clauses cite the corpus");
}

#[test]
fn every_titled_clause_cites_its_sentence() {
    let checked = compile();
    for (policy, clause) in checked.program.clauses() {
        if policy.title.is_some() {
            assert!(
                clause.source.is_some(),
                "《{:?}》{} has no 原文",
                policy.title,
                clause.label
            );
        }
    }
}

#[test]
fn every_policy_file_has_cases() {
    for f in policy_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        if text.contains("政策 《") {
            assert!(text.contains("案例 “"), "{} has no 案例", f.display());
        }
    }
}
