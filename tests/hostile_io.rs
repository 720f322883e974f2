//! Hostile file systems (issue 20): outputs that name an input, files the
//! user may not write, directories that loop or hold FIFOs, files that
//! never end. Each case builds its own directory under the target's
//! temporary directory and runs the real binary; none can be a committed
//! data file (links, FIFOs, modes and `/dev/zero` do not survive git).
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const POLICY: &str = "词汇 {\n  高新技术企业：是否\n  研发投入：金额\n}\n\
对 高新技术企业 给予 研发投入 的 10%，最高 50万元 奖励\n";

/// Two rows: 800万元 × 10% = 80万元, capped at 50万元; 200万元 × 10% =
/// 20万元.
const REGISTER: &str = "高新技术企业,研发投入\n是,800万元\n是,200万元\n";

/// A fresh directory for one case.
fn case_dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("hostile-io")
        .join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A case directory with `p.zc` and `reg.csv`.
fn with_inputs(name: &str) -> PathBuf {
    let d = case_dir(name);
    std::fs::write(d.join("p.zc"), POLICY).unwrap();
    std::fs::write(d.join("reg.csv"), REGISTER).unwrap();
    d
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the binary in `dir`, killed after 60 seconds (a hang is a
/// failure, not a stuck test run).
fn zc(dir: &Path, args: &[&str]) -> Run {
    let child = Command::new(env!("CARGO_BIN_EXE_zhengce"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    // Output is read as it comes (a full pipe would stall the child).
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output()));
    let Ok(out) = rx.recv_timeout(Duration::from_secs(60)) else {
        let _ = Command::new("kill").arg(pid.to_string()).status();
        panic!("zhengce {args:?} did not finish within 60 s");
    };
    let out = out.unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn assert_refused(r: &Run, code: &str) {
    assert_eq!(r.code, 1, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains(code) || r.stdout.contains(code),
        "expected {code}\nstdout: {}\nstderr: {}",
        r.stdout,
        r.stderr
    );
}

fn read(p: PathBuf) -> String {
    std::fs::read_to_string(p).unwrap()
}

// ───────────── an output that is an input ─────────────

#[test]
fn batch_out_is_the_register() {
    let d = with_inputs("out-is-register");
    let r = zc(
        &d,
        &["batch", "p.zc", "--facts", "reg.csv", "--out", "reg.csv"],
    );
    assert_refused(&r, "zc::output::is_input");
    assert_eq!(read(d.join("reg.csv")), REGISTER);
}

#[test]
fn batch_summary_and_details_are_the_register() {
    let d = with_inputs("summary-is-register");
    for flag in ["--summary", "--details"] {
        let r = zc(
            &d,
            &["batch", "p.zc", "--facts", "reg.csv", flag, "./reg.csv"],
        );
        assert_refused(&r, "zc::output::is_input");
        assert_eq!(read(d.join("reg.csv")), REGISTER, "{flag}");
    }
}

#[test]
fn batch_out_is_the_policy() {
    let d = with_inputs("out-is-policy");
    let r = zc(
        &d,
        &["batch", "p.zc", "--facts", "reg.csv", "--out", "p.zc"],
    );
    assert_refused(&r, "zc::output::is_input");
    assert_eq!(read(d.join("p.zc")), POLICY);
    // A .zc file inside a directory of policies given as input.
    let r = zc(&d, &["batch", ".", "--facts", "reg.csv", "--out", "p.zc"]);
    assert_refused(&r, "zc::output::is_input");
    assert_eq!(read(d.join("p.zc")), POLICY);
}

#[cfg(unix)]
#[test]
fn batch_out_is_the_register_through_links() {
    let d = with_inputs("out-is-register-linked");
    std::os::unix::fs::symlink("reg.csv", d.join("sym.csv")).unwrap();
    std::fs::hard_link(d.join("reg.csv"), d.join("hard.csv")).unwrap();
    for out in ["sym.csv", "hard.csv"] {
        let r = zc(&d, &["batch", "p.zc", "--facts", "reg.csv", "--out", out]);
        assert_refused(&r, "zc::output::is_input");
        assert_eq!(read(d.join("reg.csv")), REGISTER, "{out}");
    }
}

#[test]
fn two_outputs_are_one_file() {
    let d = with_inputs("two-outputs");
    std::fs::write(d.join("o.csv"), "old\n").unwrap();
    let r = zc(
        &d,
        &[
            "batch",
            "p.zc",
            "--facts",
            "reg.csv",
            "--out",
            "o.csv",
            "--summary",
            "o.csv",
        ],
    );
    assert_refused(&r, "zc::output::is_input");
    assert_eq!(read(d.join("o.csv")), "old\n");
    // Neither exists yet: the second would replace the first.
    let r = zc(
        &d,
        &[
            "batch",
            "p.zc",
            "--facts",
            "reg.csv",
            "--out",
            "n.csv",
            "--details",
            "./n.csv",
        ],
    );
    assert_refused(&r, "zc::output::is_input");
    assert!(!d.join("n.csv").exists());
}

/// An output that is not a regular file is written directly: there is
/// nothing to rename over, nothing to lose.
#[cfg(unix)]
#[test]
fn output_to_a_device() {
    let d = with_inputs("to-device");
    let r = zc(
        &d,
        &[
            "batch",
            "p.zc",
            "--facts",
            "reg.csv",
            "--date",
            "2024-06-01",
            "--out",
            "/dev/null",
            "--summary",
            "/dev/stdout",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let summary: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    // The summary of the two rows reached standard output.
    assert_eq!(summary["rows"], 2, "{summary:#}");
}

#[test]
fn diff_and_match_out_is_the_register() {
    let d = with_inputs("diff-match-out");
    let r = zc(
        &d,
        &[
            "diff", "p.zc", "--to", "p.zc", "--facts", "reg.csv", "--out", "reg.csv",
        ],
    );
    assert_refused(&r, "zc::output::is_input");
    let r = zc(
        &d,
        &[
            "match",
            "p.zc",
            "--register",
            "reg.csv",
            "--clause",
            "第一条",
            "--out",
            "reg.csv",
        ],
    );
    assert_refused(&r, "zc::output::is_input");
    let r = zc(
        &d,
        &[
            "match",
            "p.zc",
            "--register",
            "reg.csv",
            "--clause",
            "第一条",
            "--summary",
            "reg.csv",
        ],
    );
    assert_refused(&r, "zc::output::is_input");
    assert_eq!(read(d.join("reg.csv")), REGISTER);
}

/// A run that fails after the outputs were opened leaves the old results:
/// they are renamed into place only when the run completes.
#[test]
fn a_failed_batch_keeps_the_old_output() {
    let d = with_inputs("failed-keeps-old");
    std::fs::write(d.join("o.csv"), "old\n").unwrap();
    // `--strict` refuses the unknown column 备注 before any row.
    std::fs::write(d.join("bad.csv"), "高新技术企业,备注\n是,x\n").unwrap();
    let r = zc(
        &d,
        &[
            "batch", "p.zc", "--facts", "bad.csv", "--out", "o.csv", "--strict",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(read(d.join("o.csv")), "old\n");
    // No temporary file is left behind.
    let left: Vec<_> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[cfg(unix)]
#[test]
fn batch_output_keeps_its_mode_and_a_new_one_gets_the_usual_mode() {
    use std::os::unix::fs::PermissionsExt;
    let d = with_inputs("output-mode");
    std::fs::write(d.join("o.csv"), "old\n").unwrap();
    std::fs::set_permissions(d.join("o.csv"), std::fs::Permissions::from_mode(0o640)).unwrap();
    let r = zc(
        &d,
        &[
            "batch",
            "p.zc",
            "--facts",
            "reg.csv",
            "--out",
            "o.csv",
            "--date",
            "2024-06-01",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let meta = std::fs::metadata(d.join("o.csv")).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o640);
    // 80万元 capped at 50万元, and 20万元.
    let out = read(d.join("o.csv"));
    assert!(out.contains("500000"), "{out}");
    assert!(out.contains("200000"), "{out}");
    let r = zc(
        &d,
        &[
            "batch",
            "p.zc",
            "--facts",
            "reg.csv",
            "--out",
            "new.csv",
            "--date",
            "2024-06-01",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mode = std::fs::metadata(d.join("new.csv"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    // 0666 less some umask, never the temporary file's 0600 alone.
    assert_ne!(mode, 0o600, "{mode:o}");
    assert_eq!(mode & 0o400, 0o400, "{mode:o}");
}

// ───────────── fmt and file modes ─────────────

const UNFORMATTED: &str = "词汇 {\n高新技术企业: 是否\n}\n对 高新技术企业   给予 1元\n";

#[cfg(unix)]
#[test]
fn fmt_keeps_the_mode() {
    use std::os::unix::fs::PermissionsExt;
    let d = case_dir("fmt-mode");
    let p = d.join("a.zc");
    std::fs::write(&p, UNFORMATTED).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o751)).unwrap();
    let r = zc(&d, &["fmt", "a.zc"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_ne!(read(p.clone()), UNFORMATTED);
    assert_eq!(
        std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
        0o751
    );
}

#[cfg(unix)]
#[test]
fn fmt_refuses_a_read_only_file() {
    use std::os::unix::fs::PermissionsExt;
    let d = case_dir("fmt-read-only");
    let p = d.join("a.zc");
    std::fs::write(&p, UNFORMATTED).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).unwrap();
    let r = zc(&d, &["fmt", "a.zc"]);
    assert_refused(&r, "zc::output::read_only");
    assert_eq!(read(p.clone()), UNFORMATTED);
    assert_eq!(
        std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
        0o444
    );
}

/// A file owned by someone else, rewritten by a user who may give it back
/// (root): owner and group stay. Skipped where the test cannot hand the
/// file to another owner.
#[cfg(unix)]
#[test]
fn fmt_keeps_the_owner() {
    use std::os::unix::fs::MetadataExt;
    let d = case_dir("fmt-owner");
    let p = d.join("a.zc");
    std::fs::write(&p, UNFORMATTED).unwrap();
    if std::os::unix::fs::chown(&p, Some(54321), Some(54321)).is_err() {
        return;
    }
    let r = zc(&d, &["fmt", "a.zc"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_ne!(read(p.clone()), UNFORMATTED);
    let meta = std::fs::metadata(&p).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (54321, 54321));
}

/// `fmt` through a symbolic link rewrites the file it names; the link
/// stays a link.
#[cfg(unix)]
#[test]
fn fmt_through_a_symbolic_link() {
    let d = case_dir("fmt-symlink");
    std::fs::write(d.join("a.zc"), UNFORMATTED).unwrap();
    std::os::unix::fs::symlink("a.zc", d.join("link.zc")).unwrap();
    let r = zc(&d, &["fmt", "link.zc"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        std::fs::symlink_metadata(d.join("link.zc"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_ne!(read(d.join("a.zc")), UNFORMATTED);
}

// ───────────── directories ─────────────

/// Two links to `.` inside the tree: each real directory is entered once,
/// so the walk ends and `p.zc` is loaded once.
#[cfg(unix)]
#[test]
fn directory_symlink_loops_end() {
    let d = with_inputs("symlink-loop");
    std::fs::create_dir(d.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", d.join("sub/up")).unwrap();
    std::os::unix::fs::symlink(".", d.join("here")).unwrap();
    let r = zc(&d, &["check", "."]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("0 个错误"), "{}", r.stdout);
    let r = zc(&d, &["fmt", "--check", "."]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let r = zc(&d, &["test", ".", "--allow-empty"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
}

/// A FIFO named `.zc` in a directory is skipped with a warning, not
/// opened (opening it would wait for a writer forever).
#[cfg(unix)]
#[test]
fn a_fifo_in_a_directory_is_skipped() {
    let d = with_inputs("fifo");
    let made = Command::new("mkfifo")
        .arg(d.join("pipe.zc"))
        .status()
        .unwrap();
    assert!(made.success());
    for args in [
        &["check", "."][..],
        &["fmt", "--check", "."],
        &["batch", ".", "--facts", "reg.csv", "--date", "2024-06-01"],
    ] {
        let r = zc(&d, args);
        assert_eq!(r.code, 0, "{args:?}\n{}\n{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains("zc::load::not_regular"),
            "{args:?}\n{}",
            r.stderr
        );
    }
}

// ───────────── files that never end ─────────────

#[cfg(unix)]
#[test]
fn dev_zero_is_refused_as_too_large() {
    let d = with_inputs("dev-zero");
    let r = zc(
        &d,
        &["eval", "p.zc", "--facts", "/dev/zero", "--format", "json"],
    );
    assert_refused(&r, "zc::load::too_large");
    let r = zc(&d, &["check", "/dev/zero"]);
    assert_refused(&r, "zc::load::too_large");
    let r = zc(&d, &["coverage", "p.zc", "--source", "/dev/zero"]);
    assert_refused(&r, "zc::load::too_large");
    let r = zc(&d, &["match", "p.zc", "--facts", "/dev/zero"]);
    assert_refused(&r, "zc::load::too_large");
}

/// A file of exactly the limit is read; one byte more is refused.
#[test]
fn the_size_limit_is_exact() {
    let d = case_dir("size-limit");
    let limit = usize::try_from(zhengce::internals::load::MAX_FILE_BYTES).unwrap();
    // Comment lines only: valid UTF-8, nothing to parse.
    let line = format!("#{}\n", "x".repeat(1022));
    let mut text = line.repeat(limit / line.len());
    text.push_str(&"\n".repeat(limit - text.len()));
    let at = d.join("at.zc");
    std::fs::write(&at, &text).unwrap();
    assert!(matches!(
        zhengce::internals::load::read_source(&at),
        Ok(s) if s.text.len() == limit
    ));
    text.push('\n');
    let over = d.join("over.zc");
    std::fs::write(&over, &text).unwrap();
    let e = zhengce::internals::load::read_source(&over).unwrap_err();
    assert_eq!(
        miette::Diagnostic::code(&e).unwrap().to_string(),
        "zc::load::too_large"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

// ───────────── user text quoted in messages ─────────────

/// A 768 KB register header (the probe used 40 MB, which the renderer
/// wrapped into gigabytes) and a 768 KB facts key: the message quotes the
/// first 80 characters and `…`, so what is printed stays small.
#[test]
fn huge_user_text_is_quoted_short() {
    let d = with_inputs("huge-quote");
    // 甲, never part of the message's own words.
    let long = "甲".repeat(1 << 18);
    std::fs::write(d.join("wide.csv"), format!("高新技术企业,{long}\n是,1\n")).unwrap();
    let r = zc(
        &d,
        &[
            "batch",
            "p.zc",
            "--facts",
            "wide.csv",
            "--date",
            "2024-06-01",
            "--strict",
        ],
    );
    assert_refused(&r, "zc::batch::unknown_column");
    // The list of columns, “甲甲…”, is cut at 80 characters with its
    // opening quotation mark: 79 of 甲 (wrapped over two lines).
    assert!(
        r.stderr.contains("甲…"),
        "{}",
        r.stderr.chars().take(600).collect::<String>()
    );
    assert_eq!(r.stderr.matches('甲').count(), 79);
    std::fs::write(d.join("facts.json"), format!("{{\"{long}\": true}}")).unwrap();
    let r = zc(
        &d,
        &[
            "eval",
            "p.zc",
            "--facts",
            "facts.json",
            "--date",
            "2024-06-01",
        ],
    );
    assert_refused(&r, "zc::facts::unknown_key");
    // The message is cut (wrapped over two lines); the source line under
    // it is the file's own line, drawn once.
    let message: String = r.stderr.split("╭─").next().unwrap().to_string();
    assert!(message.contains("甲…”"), "{message}");
    assert_eq!(message.matches('甲').count(), 80, "{message}");
}

/// A 768 KB facts key, a key after it on the same line and one on the
/// line before it: the snippet under each message is a window of its line
/// (`…` where it is cut), not the line, while the line and column it
/// names are the real ones.
#[test]
fn huge_source_lines_are_drawn_as_a_window() {
    let d = with_inputs("huge-line");
    let long = "甲".repeat(1 << 18);
    std::fs::write(
        d.join("facts.json"),
        format!("{{\"乙\": 1,\n\"{long}\": true, \"丙\": 2}}\n"),
    )
    .unwrap();
    let args = [
        "eval",
        "p.zc",
        "--facts",
        "facts.json",
        "--date",
        "2024-06-01",
    ];
    let r = zc(&d, &args);
    assert_refused(&r, "zc::facts::unknown_key");
    // Three messages of a few hundred bytes each, where the line drawn
    // whole was 768 KB for each of them.
    assert!(r.stderr.len() < 8_000, "{} bytes", r.stderr.len());
    // 乙 is at 1:2; the long key at 2:1; 丙 after `"` + 2¹⁸ 甲 + `": true, `
    // (1 + 262144 + 9 = 262154 characters), at 2:262155.
    for at in ["facts.json:1:2]", "facts.json:2:1]", "facts.json:2:262155]"] {
        assert!(r.stderr.contains(at), "{at}: {}", r.stderr);
    }
    assert!(r.stderr.contains("…\n"), "{}", r.stderr);
    assert!(r.stderr.contains("│ …甲"), "{}", r.stderr);
    assert!(r.stderr.contains("\"丙\": 2}"), "{}", r.stderr);
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let r = zc(&d, &json_args);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let at: Vec<_> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert_eq!(d["code"], "zc::facts::unknown_key");
            (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap())
        })
        .collect();
    assert_eq!(at, [(1, 2), (2, 1), (2, 262_155)]);
}

#[test]
fn quote_cuts_on_a_character_boundary() {
    use zhengce::internals::diagnostics::quote;
    assert_eq!(quote("研发投入"), "研发投入");
    let eighty = "投".repeat(80);
    assert_eq!(quote(&eighty), eighty);
    assert_eq!(quote(&format!("{eighty}入")), format!("{eighty}…"));
    assert_eq!(quote(&"a".repeat(200)), format!("{}…", "a".repeat(80)));
}

// ───────────── sizes (the large ones: docs/performance.md) ─────────────

/// 3,000 diagnostics in one file: each position used to be counted from
/// byte 0, again for every comparison of the sort (10,000 took 22–32 s in
/// a release build).
#[test]
fn thousands_of_diagnostics_in_one_file() {
    let d = case_dir("many-diagnostics");
    // 高企 is declared and never read: without the 允许 it is one more
    // (unused-word) diagnostic.
    let mut text = String::from("允许 unused-word 「只看未知词」\n词汇 {\n  高企：是否\n}\n");
    for i in 0..3000 {
        text.push_str(&format!("对 未知词{i} 给予 1元\n"));
    }
    std::fs::write(d.join("many.zc"), &text).unwrap();
    let r = zc(&d, &["check", "many.zc", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let diags = json["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 3000);
    // The last clause is on line 4 + 3000, its word after `对 `.
    let last = &diags[2999];
    assert_eq!(last["code"], "zc::check::unknown_word");
    assert_eq!(
        (last["line"].as_u64(), last["column"].as_u64()),
        (Some(3004), Some(3))
    );
    let r = zc(&d, &["check", "many.zc"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("3000 个错误"), "{}", r.stdout);
}

/// 10,000 clauses on one line: the boundary lint tried every pair of
/// clauses of a policy (10⁵ took 90 s in a release build).
#[test]
fn ten_thousand_clauses_on_one_line() {
    let d = case_dir("one-line");
    // 高企 is declared and never read: without the 允许 it is one more
    // (unused-word) diagnostic.
    let mut text = String::from("允许 unused-word 「只看未知词」\n词汇 {\n  高企：是否\n}\n");
    text.push_str(&vec!["对 高企 给予 1元"; 10_000].join(" "));
    text.push('\n');
    std::fs::write(d.join("line.zc"), &text).unwrap();
    let r = zc(&d, &["check", "line.zc", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json["errors"], 0);
}
