//! File-driven cases for `zhengce check`: one `tests/check/<name>.zc` per
//! diagnostic, named after its code (`unknown_word.zc`, or
//! `kind_mismatch__ratio_money.zc` for a second case of one code;
//! `clean__*.zc` must produce nothing). Each file states in its header the
//! one diagnostic it must produce:
//!
//! ```text
//! # 规范示例 11 …
//! # code: zc::check::unknown_word
//! # span: 454+18 高薪技术企业
//! # date: 2024-01-01        (optional: passed as --date)
//! ```
//!
//! Every case runs through the library (parse + check, asserting code and
//! span, rendered with the plain theme into an insta snapshot) and through
//! the real binary with `--format json` (asserting code, span, counts and
//! exit code, and that the JSON matches the library's). Review changed
//! snapshots with `cargo insta review`, or read the `.snap.new` files.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use miette::Diagnostic;
use serde_json::{Value, json};
use zhengce::internals::check::Config;
use zhengce::internals::cli::check::findings;
use zhengce::internals::diagnostics::{self, Style};

/// What a case's header promises.
#[derive(Debug, Default)]
struct Header {
    code: Option<String>,
    span: Option<(usize, usize)>,
    text: Option<String>,
    date: Option<NaiveDate>,
}

fn header(text: &str) -> Header {
    let mut h = Header::default();
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        if let Some(code) = line.strip_prefix("# code: ") {
            h.code = (code != "none").then(|| code.to_string());
        } else if let Some(span) = line.strip_prefix("# span: ") {
            let (numbers, shown) = span.split_once(' ').unwrap_or((span, ""));
            let (offset, length) = numbers
                .split_once('+')
                .expect("span: <offset>+<length> <text>");
            h.span = Some((offset.parse().unwrap(), length.parse().unwrap()));
            h.text = (!shown.is_empty()).then(|| shown.to_string());
        } else if let Some(date) = line.strip_prefix("# date: ") {
            h.date = Some(NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap());
        }
    }
    h
}

/// The path as the binary is given it, relative to the crate root, so that
/// file names in the output are stable.
fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap()
        .to_path_buf()
}

#[test]
fn cases() {
    insta::glob!("check/*.zc", |path| {
        let rel = relative(path);
        let raw = std::fs::read(path).unwrap();
        let h = header(&String::from_utf8_lossy(&raw));
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let kind = stem.split("__").next().unwrap();
        match &h.code {
            Some(code) => {
                assert_eq!(
                    code.rsplit("::").next(),
                    Some(kind),
                    "{stem}: file name and code differ"
                );
                let (offset, length) = h.span.expect("a case with a code states its span");
                if let Some(text) = &h.text {
                    assert_eq!(
                        raw.get(offset..offset + length),
                        Some(text.as_bytes()),
                        "{stem}: span text"
                    );
                }
            }
            None => assert_eq!(
                kind, "clean",
                "{stem}: a case without a code is named clean__…"
            ),
        }
        let expected: Vec<(String, usize, usize)> = h
            .code
            .iter()
            .zip(h.span)
            .map(|(c, (o, l))| (c.clone(), o, l))
            .collect();

        // Through the library.
        let found = findings(std::slice::from_ref(&rel), &Config { date: h.date });
        let got: Vec<(String, usize, usize)> = found
            .diagnostics
            .iter()
            .map(|d| {
                let p = diagnostics::position(d).expect("every diagnostic points somewhere");
                (d.code().unwrap().to_string(), p.offset, p.length)
            })
            .collect();
        assert_eq!(got, expected, "{stem}: library");
        let rendered: String = found
            .diagnostics
            .iter()
            .map(|d| diagnostics::render(d, Style::plain()))
            .collect();
        let library_json: Vec<Value> = found
            .diagnostics
            .iter()
            .map(|d| diagnostics::to_json(d))
            .collect();

        // Through the binary.
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhengce"));
        cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
            .arg("check")
            .arg(&rel)
            .args(["--format", "json"]);
        if let Some(d) = h.date {
            cmd.arg("--date").arg(d.to_string());
        }
        let out = cmd.output().unwrap();
        let doc: Value = serde_json::from_slice(&out.stdout).expect("one JSON document on stdout");
        let diags = doc["diagnostics"].as_array().unwrap();
        let got: Vec<(String, usize, usize)> = diags
            .iter()
            .map(|d| {
                let span = &d["span"];
                (
                    d["code"].as_str().unwrap().to_string(),
                    span["offset"].as_u64().unwrap() as usize,
                    span["length"].as_u64().unwrap() as usize,
                )
            })
            .collect();
        assert_eq!(got, expected, "{stem}: binary");
        assert_eq!(diags, &library_json, "{stem}: binary and library agree");
        let errors = diags.iter().filter(|d| d["severity"] == "error").count();
        assert_eq!(doc["errors"], json!(errors));
        assert_eq!(doc["warnings"], json!(diags.len() - errors));
        assert_eq!(
            out.status.code(),
            Some(if errors > 0 { 1 } else { 0 }),
            "{stem}: exit code"
        );

        let pretty = serde_json::to_string_pretty(&doc).unwrap();
        insta::assert_snapshot!(format!("{rendered}\n── --format json ──\n{pretty}\n"));
    });
}

/// Every `code(zc::…)` in the source, in order of appearance.
fn codes_in_source() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut codes = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        for (i, _) in text.match_indices("code(zc::") {
            let rest = &text[i + "code(".len()..];
            let end = rest.find([')', ',']).unwrap();
            codes.push(rest[..end].to_string());
        }
    }
    codes
}

#[test]
fn codes_are_unique() {
    let codes = codes_in_source();
    let mut seen = std::collections::HashSet::new();
    for c in &codes {
        assert!(seen.insert(c), "{c} is used by two variants");
    }
    assert!(
        codes.len() > 40,
        "found only {} codes: is the scan broken?",
        codes.len()
    );
}

#[test]
fn every_code_the_checker_reports_has_a_case() {
    // Not producible by `check` from one file: internal errors (the
    // formatter's self-check included), I/O and empty directories
    // (tests/check_cli.rs), facts, evaluation, coverage (tests/coverage.rs)
    // and registers (tests/batch.rs).
    let exempt = |c: &str| {
        c == "zc::syntax::internal"
            || c == "zc::fmt::unsound"
            || c == "zc::load::io"
            || c == "zc::load::empty"
            // File systems (sizes, FIFOs, modes, links): tests/hostile_io.rs.
            || c == "zc::load::too_large"
            || c == "zc::load::not_regular"
            || c.starts_with("zc::output::")
            || c.starts_with("zc::facts::")
            || c.starts_with("zc::eval::")
            || c.starts_with("zc::coverage::")
            || c.starts_with("zc::batch::") // registers: tests/batch.rs
            || c.starts_with("zc::matching::") // match targets: tests/matching.rs
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check");
    // Limits (definitions nested 128 deep, a million-node expansion) and
    // NUL bytes make inputs too long or unprintable for a rendered case:
    // their cases are in the hostile corpus, checked by tests/hostile.rs.
    let hostile = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/policy");
    let hostile_codes: Vec<String> = std::fs::read_dir(&hostile)
        .unwrap()
        .filter_map(|e| std::fs::read(e.unwrap().path()).ok())
        .filter_map(|bytes| {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let first = text.lines().next()?.to_string();
            Some(first.strip_prefix("# 期望:")?.trim().to_string())
        })
        .collect();
    let missing: Vec<String> = codes_in_source()
        .into_iter()
        .filter(|c| !exempt(c))
        .filter(|c| {
            !dir.join(format!("{}.zc", c.rsplit("::").next().unwrap()))
                .exists()
                && !hostile_codes.contains(c)
        })
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a case under tests/check: {missing:?}"
    );
}

#[test]
fn every_code_and_lint_is_documented() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md"))
            .unwrap();
    let missing: Vec<String> = codes_in_source()
        .into_iter()
        .filter(|c| !doc.contains(&format!("`{c}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "codes missing from docs/diagnostics.md: {missing:?}"
    );
    for name in zhengce::internals::check::lints::NAMES {
        assert!(
            doc.contains(&format!("`{name}`")),
            "lint {name} missing from docs/diagnostics.md"
        );
    }
}
