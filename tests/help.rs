//! The command line speaks Chinese: `--help`, a subcommand's help and
//! clap's usage errors (exit status 2).

use crate::common::zhengce;

fn english(text: &str) -> Vec<&str> {
    [
        "Usage",
        "error:",
        "Options",
        "Arguments",
        "Commands",
        "Print help",
        "Possible values",
        "[default",
    ]
    .into_iter()
    .filter(|w| text.contains(w))
    .collect()
}

#[test]
fn top_level_help() {
    let o = zhengce(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(english(&out), Vec::<&str>::new(), "{out}");
    insta::assert_snapshot!("zhengce_help", out);
}

#[test]
fn subcommand_help() {
    let o = zhengce(&["check", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(english(&out), Vec::<&str>::new(), "{out}");
    insta::assert_snapshot!("check_help", out);
    let short = String::from_utf8(zhengce(&["eval", "-h"]).stdout).unwrap();
    assert!(short.contains("--fail-on <结果>"), "{short}");
    assert_eq!(english(&short), Vec::<&str>::new(), "{short}");
}

#[test]
fn usage_errors_are_chinese_and_exit_2() {
    let o = zhengce(&["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(english(&err), Vec::<&str>::new(), "{err}");
    insta::assert_snapshot!("check_without_paths", err);

    let o = zhengce(&["chekc", "policies/"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.starts_with("错误：没有子命令“chekc”\n\n  提示：是否想写“check”？\n"),
        "{err}"
    );

    let o = zhengce(&[
        "eval",
        "policies/",
        "--facts",
        "x.json",
        "--fail-on",
        "sometimes",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.starts_with(
            "错误：“sometimes”不是 --fail-on <结果> 的有效值；可选值：violated、undecided\n"
        ),
        "{err}"
    );
    assert!(err.contains("用法：zhengce eval [选项]"), "{err}");
}
