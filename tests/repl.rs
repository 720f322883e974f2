//! The REPL driven as a drafter would, in a pseudo-terminal: load a
//! vocabulary, set facts, type a clause and read the amount, make a typo and
//! read the suggestion, continue a clause on a second line, save, and check
//! the saved file.

use std::process::Command;

use rexpect::process::WaitStatus;
use rexpect::reader::Options;
use rexpect::session::{PtySession, spawn_with_options};

/// rexpect reads the terminal byte by byte, one `char` per byte; expected
/// Chinese text is compared in the same form.
fn bytes(s: &str) -> String {
    s.bytes().map(char::from).collect()
}

/// `zhengce repl <args>` in a terminal, run in `cwd` with its history in
/// `history`, colour off.
fn repl(args: &[&str], cwd: &std::path::Path, history: &std::path::Path) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhengce"));
    cmd.arg("repl")
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("ZHENGCE_HISTORY", history);
    spawn_with_options(
        cmd,
        Options::new()
            .timeout_ms(Some(10_000))
            .strip_ansi_escape_codes(true),
    )
    .unwrap()
}

#[test]
fn drafting_session_ends_in_a_checked_file() {
    let dir = std::env::temp_dir().join(format!("zc-repl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let draft = dir.join("草稿.zc");
    let _ = std::fs::remove_file(&draft);

    let mut p = repl(
        &["tests/repl/词汇.zc", "--date", "2024-06-01"],
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        &dir.join("history.txt"),
    );

    p.exp_string(&bytes("政策> ")).unwrap();
    p.send_line(":set 研发投入=800万元").unwrap();
    p.exp_string(&bytes("研发投入 = 800万元")).unwrap();
    p.send_line(":日期 2024-06-01").unwrap();
    p.exp_string(&bytes("评估日期：2024年6月1日")).unwrap();

    // Half-width punctuation as typed; the saved file has the canonical form.
    p.send_line("对 研发投入 超过 300万元 给予 研发投入 的 20%,最高 1000万元")
        .unwrap();
    p.exp_string(&bytes("金额：160万元")).unwrap();

    p.send_line("对 高薪技术企业 给予 20万元").unwrap();
    p.exp_string(&bytes("未定义的词：高薪技术企业")).unwrap();
    p.exp_string(&bytes("您是否想写：高新技术企业？")).unwrap();

    // An unfinished clause keeps reading on the next line.
    p.send_line("对 首次认定 高新技术企业 给予").unwrap();
    p.exp_string(&bytes("  …> ")).unwrap();
    p.send_line("最高 20万元").unwrap();
    p.exp_string(&bytes("待定（缺少：高新技术企业、认定类型）"))
        .unwrap();

    p.send_line(&format!(":save {}", draft.display())).unwrap();
    p.exp_string(&bytes("已将 2 项追加到")).unwrap();
    // Ctrl-D only ends the session at an empty prompt in raw mode: sent while
    // the line discipline is still cooked (between two reads) it is lost.
    p.exp_string(&bytes("政策> ")).unwrap();
    p.send_control('d').unwrap();
    assert!(matches!(
        p.process().wait().unwrap(),
        WaitStatus::Exited(_, 0)
    ));

    // The saved draft checks together with the vocabulary it was written against.
    let out = Command::new(env!("CARGO_BIN_EXE_zhengce"))
        .args([
            "eval",
            "tests/repl/词汇.zc",
            draft.to_str().unwrap(),
            "--facts",
            "tests/readme/empty.json",
            "--date",
            "2024-06-01",
            "--format",
            "json",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let saved = std::fs::read_to_string(&draft).unwrap();
    assert!(
        saved.contains("对 研发投入 超过 300万元 给予 研发投入 的 20%，最高 1000万元\n"),
        "{saved}"
    );
    let formatted = zhengce::internals::fmt::format(&zhengce::internals::source::SourceFile::new(
        "草稿.zc",
        saved.as_str(),
    ))
    .unwrap();
    assert_eq!(formatted, saved, "the saved draft is in canonical layout");
    assert!(
        !saved.contains("高薪"),
        "a rejected clause was saved: {saved}"
    );
    assert!(dir.join("history.txt").exists(), "history is persisted");
}

#[test]
fn ctrl_c_cancels_the_line_and_help_is_chinese() {
    let dir = std::env::temp_dir().join(format!("zc-repl2-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut p = repl(
        &[],
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        &dir.join("history.txt"),
    );
    p.exp_string(&bytes("政策> ")).unwrap();
    p.send("对 甲").unwrap();
    p.send_control('c').unwrap();
    p.exp_string(&bytes("政策> ")).unwrap();
    p.send_line(":help").unwrap();
    p.exp_string(&bytes("设置事实")).unwrap();
    p.send_line(":quit").unwrap();
    assert!(matches!(
        p.process().wait().unwrap(),
        WaitStatus::Exited(_, 0)
    ));
}

/// Tab at the end of what is typed: one candidate is written in, several
/// are listed at the second Tab. Each line is then erased with Ctrl-U, so
/// that everything is typed into one read: typed between two reads, while
/// the terminal is not yet raw, it would wait for a newline.
#[test]
fn tab_offers_the_words_of_items_schedules_units_and_types() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = repl(
        &["tests/repl/列表.zc", "--date", "2024-06-01"],
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        &dir.path().join("history.txt"),
    );
    p.exp_string(&bytes("政策> ")).unwrap();
    let mut tab = |typed: &str, tabs: &str, shown: &[&str]| {
        p.send(typed).unwrap();
        p.send(tabs).unwrap();
        p.flush().unwrap();
        for s in shown {
            p.exp_string(&bytes(s)).unwrap();
        }
        p.send_control('u').unwrap();
    };
    tab("对 高新技术企业 给予 每", "\t\t", &["每满", "每项"]);
    tab("对 高新技术企业 给予 1万元，累", "\t", &["累计"]);
    tab("词汇 { 新项目：列", "\t", &["列表"]);
    tab("（其中 项目类别 为 重", "\t\t", &["重点"]);
    tab("事实 { 项目：[ {项目类别：一", "\t\t", &["一般"]);
    tab("按 美元", "\t", &["美元汇率"]);
    tab("受理日期 后 5个", "\t\t", &["5个工作日"]);
    tab("船舶数：数量（", "\t\t", &["艘"]);
    p.send_line(":quit").unwrap();
    assert!(matches!(
        p.process().wait().unwrap(),
        WaitStatus::Exited(_, 0)
    ));
}

#[test]
fn a_line_that_is_not_utf8_is_dropped_with_a_code_and_the_session_goes_on() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhengce"))
        .args(["repl", "tests/repl/词汇.zc", "--date", "2024-06-01"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("ZHENGCE_HISTORY", dir.path().join("history.txt"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(":set 研发投入=800万元\n".as_bytes())
        .unwrap();
    // GBK for 研发, then a line that still works.
    stdin.write_all(b"\xd1\xd0\xb7\xa2\n:facts\n").unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("zc::repl::invalid_utf8"), "{text}");
    assert_eq!(text.matches("研发投入 = 800万元").count(), 2, "{text}");
}

/// The vocabulary copied into a directory of its own, so a draft saved
/// there can `引用` it.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/repl/词汇.zc"),
        dir.path().join("词汇.zc"),
    )
    .unwrap();
    dir
}

#[test]
fn eval_test_match_clauses_and_a_draft_that_checks_on_its_own() {
    let dir = workspace();
    let draft = dir.path().join("草稿.zc");
    let mut p = repl(
        &["词汇.zc", "--date", "2024-06-01"],
        dir.path(),
        &dir.path().join("history.txt"),
    );
    p.exp_string(&bytes("评估日期 2024年6月1日")).unwrap();
    p.exp_string(&bytes("政策> ")).unwrap();
    p.send_line(":set 研发投入=800万元").unwrap();
    p.exp_string(&bytes("研发投入 = 800万元")).unwrap();

    // A policy over three lines: the continuation prompt shows.
    p.send_line("政策 《会话政策》 {").unwrap();
    p.exp_string(&bytes("  …> ")).unwrap();
    p.send_line("  “研发” 对 研发投入 超过 300万元 给予 研发投入 的 20%，最高 1000万元")
        .unwrap();
    p.exp_string(&bytes("  …> ")).unwrap();
    p.send_line("}").unwrap();
    // 800万元 × 20% = 160万元, under the 1000万元 cap.
    p.exp_string(&bytes("金额：160万元")).unwrap();
    p.exp_string(&bytes("政策> ")).unwrap();

    p.send_line(":eval").unwrap();
    p.exp_string(&bytes("评估日期：2024年6月1日")).unwrap();
    p.exp_string(&bytes("160万元")).unwrap();
    p.exp_string(&bytes("政策> ")).unwrap();

    p.send_line(":match").unwrap();
    p.exp_string(&bytes("《会话政策》")).unwrap();
    p.exp_string(&bytes("政策> ")).unwrap();

    p.send_line(":clauses 研发").unwrap();
    p.exp_string(&bytes("《会话政策》 研发")).unwrap();
    p.exp_string(&bytes("政策> ")).unwrap();
    p.send_line(":clauses 没有这几个字").unwrap();
    p.exp_string(&bytes("没有条款含“没有这几个字”（共 1 条）"))
        .unwrap();
    p.exp_string(&bytes("政策> ")).unwrap();

    p.send_line(":test").unwrap();
    p.exp_string(&bytes("没有载入案例")).unwrap();
    p.exp_string(&bytes("政策> ")).unwrap();

    p.send_line(&format!(":save {} --案例", draft.display()))
        .unwrap();
    p.exp_string(&bytes("已将 1 项追加到")).unwrap();
    p.exp_string(&bytes("单独检查通过")).unwrap();
    p.exp_string(&bytes("政策> ")).unwrap();

    // Tab lists every word starting 研发 (two of them).
    p.send("对 研发\t").unwrap();
    p.flush().unwrap();
    p.exp_string(&bytes("研发投入")).unwrap();
    p.send("\t").unwrap();
    p.flush().unwrap();
    // Listed side by side on a line of their own (cycling would replace
    // the word in the line instead).
    p.exp_regex(&format!(
        "\n{} +{}",
        bytes("研发投入"),
        bytes("研发投入新增额")
    ))
    .unwrap();
    // Keys sent right after the list is drawn can reach the terminal
    // before it is raw again; the session is ended by dropping it.
    drop(p);

    let saved = std::fs::read_to_string(&draft).unwrap();
    assert!(saved.starts_with("引用 “词汇.zc”\n"), "{saved}");
    assert!(saved.contains("    研发投入：800万元\n"), "{saved}");
    assert!(saved.contains("  日期 2024年6月1日\n"), "{saved}");
    // The draft alone: 引用 brings in the vocabulary; its one case passes.
    let out = Command::new(env!("CARGO_BIN_EXE_zhengce"))
        .args(["test", draft.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).ends_with("1 passed, 0 failed\n"));
}
