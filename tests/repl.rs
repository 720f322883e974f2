//! The REPL driven as a drafter would, in a pseudo-terminal: load a
//! vocabulary, set facts, type a clause and read the amount, make a typo and
//! read the suggestion, continue a clause on a second line, save, and check
//! the saved file.

use std::process::Command;

use rexpect::process::WaitStatus;
use rexpect::reader::Options;
use rexpect::session::spawn_with_options;

/// rexpect reads the terminal byte by byte, one `char` per byte; expected
/// Chinese text is compared in the same form.
fn bytes(s: &str) -> String {
    s.bytes().map(char::from).collect()
}

#[test]
fn drafting_session_ends_in_a_checked_file() {
    let dir = std::env::temp_dir().join(format!("zc-repl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let draft = dir.join("草稿.zc");
    let _ = std::fs::remove_file(&draft);

    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhengce"));
    cmd.args(["repl", "tests/repl/词汇.zc", "--date", "2024-06-01"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("ZHENGCE_HISTORY", dir.join("history.txt"));
    let mut p = spawn_with_options(
        cmd,
        Options::new()
            .timeout_ms(Some(10_000))
            .strip_ansi_escape_codes(true),
    )
    .unwrap();

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
    let formatted =
        zhengce::fmt::format(&zhengce::source::SourceFile::new("草稿.zc", saved.as_str())).unwrap();
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
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhengce"));
    cmd.args(["repl"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("ZHENGCE_HISTORY", dir.join("history.txt"));
    let mut p = spawn_with_options(
        cmd,
        Options::new()
            .timeout_ms(Some(10_000))
            .strip_ansi_escape_codes(true),
    )
    .unwrap();
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
