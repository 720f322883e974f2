//! `zhengce fmt` as CI and editors run it: exit codes, the diff of
//! `--check`, `--stdin`, files that do not parse, and atomic writes.

use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

const MESSY: &str = "词汇 {   高企: 是否   # 高新技术企业\n  投入: 金额 }\n对 高企 且 投入 超过 300万元, 给予 投入 的 20%，最高 10000000元\n";
const TIDY: &str = "词汇 {\n  高企：是否 # 高新技术企业\n  投入：金额\n}\n对 高企 且 投入 超过 300万元 给予 投入 的 20%，最高 1000万元\n";
const BROKEN: &str = "词汇 { 高企: 是否 }\n对 高企 给于 20万元\n";

fn zhengce(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhengce"));
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

fn dir_with(files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn read(dir: &TempDir, name: &str) -> String {
    std::fs::read_to_string(dir.path().join(name)).unwrap()
}

fn shown(out: &std::process::Output) -> String {
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn check_passes_on_formatted_files() {
    let dir = dir_with(&[("a.zc", TIDY)]);
    zhengce(dir.path())
        .args(["fmt", "--check", "a.zc"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn check_prints_a_diff_and_fails_without_writing() {
    let dir = dir_with(&[("a.zc", MESSY), ("b.zc", TIDY)]);
    let out = zhengce(dir.path())
        .args(["fmt", "--check", "."])
        .assert()
        .code(1)
        .get_output()
        .clone();
    insta::assert_snapshot!(shown(&out));
    assert_eq!(read(&dir, "a.zc"), MESSY);
}

#[test]
fn fmt_rewrites_in_place_and_leaves_no_temporary_file() {
    let dir = dir_with(&[("a.zc", MESSY), ("sub/b.zc", MESSY), ("notes.txt", MESSY)]);
    zhengce(dir.path()).args(["fmt", "."]).assert().code(0);
    assert_eq!(read(&dir, "a.zc"), TIDY);
    assert_eq!(read(&dir, "sub/b.zc"), TIDY);
    assert_eq!(read(&dir, "notes.txt"), MESSY);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["a.zc", "notes.txt", "sub"]);
    zhengce(dir.path())
        .args(["fmt", "--check", "."])
        .assert()
        .code(0);
}

#[cfg(unix)]
#[test]
fn fmt_keeps_the_file_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = dir_with(&[("a.zc", MESSY)]);
    let path = dir.path().join("a.zc");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    zhengce(dir.path()).args(["fmt", "a.zc"]).assert().code(0);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[test]
fn a_file_that_does_not_parse_is_never_touched() {
    let dir = dir_with(&[("bad.zc", BROKEN), ("good.zc", MESSY)]);
    let out = zhengce(dir.path())
        .args(["fmt", "bad.zc", "good.zc"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    insta::assert_snapshot!(shown(&out));
    assert_eq!(read(&dir, "bad.zc"), BROKEN);
    assert_eq!(read(&dir, "good.zc"), TIDY);
    zhengce(dir.path())
        .args(["fmt", "--check", "bad.zc"])
        .assert()
        .code(1)
        .stdout("");
}

#[test]
fn stdin_to_stdout() {
    let dir = TempDir::new().unwrap();
    zhengce(dir.path())
        .args(["fmt", "--stdin"])
        .write_stdin(MESSY)
        .assert()
        .code(0)
        .stdout(TIDY);
    zhengce(dir.path())
        .args(["fmt", "--stdin", "--check"])
        .write_stdin(TIDY)
        .assert()
        .code(0)
        .stdout("");
    let out = zhengce(dir.path())
        .args(["fmt", "--stdin"])
        .write_stdin(BROKEN)
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("zc::syntax::unexpected"));
}

#[test]
fn usage_errors() {
    let dir = dir_with(&[("a.zc", TIDY)]);
    zhengce(dir.path()).args(["fmt"]).assert().code(2);
    zhengce(dir.path())
        .args(["fmt", "--stdin", "a.zc"])
        .assert()
        .code(2);
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let out = zhengce(dir.path())
        .args(["fmt", "empty"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("zc::load::empty"));
}
