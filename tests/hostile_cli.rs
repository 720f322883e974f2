//! Hostile registers and command lines (issue 20): the cases in
//! `tests/hostile/register/` and `tests/hostile/cli/` (see
//! `tests/hostile/README.md`) run through the real binary, which must
//! refuse each with its code, the row and column it names, and the exit
//! status the case expects; accepted cases must pay what they say.
use std::path::{Path, PathBuf};
use std::process::Command;

/// What a case expects, from its `# 键: 值` lines.
#[derive(Debug, Default)]
struct Expect {
    /// A diagnostic code; `None`: accepted (`通过`).
    code: Option<String>,
    /// `batch` (default) or `exposure`.
    command: Option<String>,
    /// The policy, a file beside the case (default `词汇.zc`).
    policy: Option<String>,
    /// `--encoding`.
    encoding: Option<String>,
    /// `--output-encoding` (batch).
    output_encoding: Option<String>,
    /// The row the code is reported on.
    row: Option<u64>,
    /// A column the message names.
    column: Option<String>,
    /// The summary's total (batch) or every policy's paid (exposure).
    total: Option<String>,
    /// The exit status (default 1 when refused, 0 when accepted).
    exit: Option<i32>,
    /// Text standard error must contain.
    stderr: Vec<String>,
    /// A line standard output must have, exactly.
    stdout_line: Vec<String>,
    /// Command-line arguments (`tests/hostile/cli/` cases).
    args: Option<String>,
    /// A file given as standard input (`tests/hostile/cli/` cases).
    stdin: Option<String>,
}

fn header(text: &str) -> Expect {
    let mut e = Expect::default();
    let mut seen = false;
    for (key, value) in crate::hostile::header_pairs(text) {
        match key {
            "期望" => {
                seen = true;
                e.code = (value != "通过").then_some(value);
            }
            "命令" => e.command = Some(value),
            "政策" => e.policy = Some(value),
            "编码" => e.encoding = Some(value),
            "结果编码" => e.output_encoding = Some(value),
            "行" => e.row = Some(value.parse().unwrap()),
            "列" => e.column = Some(value),
            "合计" => e.total = Some(value),
            "退出" => e.exit = Some(value.parse().unwrap()),
            "输出含" => e.stderr.push(value),
            "输出行" => e.stdout_line.push(value),
            "参数" => e.args = Some(value),
            "标准输入" => e.stdin = Some(value),
            _ => {}
        }
    }
    assert!(seen, "a case without `# 期望:`");
    e
}

fn root(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hostile")
        .join(dir)
}

fn cases(dir: &str, exts: &[&str]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| exts.iter().any(|e| x == *e)))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no cases in {dir}");
    files
}

struct Ran {
    exit: i32,
    stdout: String,
    stderr: String,
}

fn zhengce(args: &[String]) -> Ran {
    zhengce_with(args, None)
}

fn zhengce_with(args: &[String], stdin: Option<&str>) -> Ran {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhengce"));
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    if let Some(path) = stdin {
        let file = std::fs::File::open(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
        cmd.stdin(file);
    }
    let out = cmd.output().unwrap();
    Ran {
        exit: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-cli");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// One register case; the failures it shows.
fn register_case(path: &Path) -> Vec<String> {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let expect = header(&std::fs::read_to_string(format!("{}.expect", path.display())).unwrap());
    let policy = root("register").join(expect.policy.as_deref().unwrap_or("词汇.zc"));
    let command = expect.command.as_deref().unwrap_or("batch");
    let mut args: Vec<String> = vec![
        command.into(),
        policy.display().to_string(),
        "--facts".into(),
        path.display().to_string(),
        "--date".into(),
        "2024-06-01".into(),
    ];
    if let Some(e) = &expect.encoding {
        args.extend(["--encoding".into(), e.clone()]);
    }
    if let Some(e) = &expect.output_encoding {
        args.extend(["--output-encoding".into(), e.clone()]);
    }
    let details = tmp(&format!("{name}.details.jsonl"));
    let summary = tmp(&format!("{name}.summary.json"));
    match command {
        "batch" => args.extend([
            "--details".into(),
            details.display().to_string(),
            "--summary".into(),
            summary.display().to_string(),
            "--out".into(),
            tmp(&format!("{name}.out.csv")).display().to_string(),
        ]),
        _ => args.extend(["--format".into(), "json".into()]),
    }
    let ran = zhengce(&args);
    let mut failures = Vec::new();
    let mut fail = |f: String| failures.push(format!("{name}: {f}"));
    let want_exit = expect
        .exit
        .unwrap_or(if expect.code.is_some() { 1 } else { 0 });
    if ran.exit != want_exit {
        fail(format!(
            "exit {} (want {want_exit}): {}",
            ran.exit, ran.stderr
        ));
    }
    for s in &expect.stderr {
        if !ran.stderr.contains(s.as_str()) {
            fail(format!("stderr lacks {s:?}: {}", ran.stderr));
        }
    }
    let report: serde_json::Value = match command {
        "batch" => std::fs::read_to_string(&summary)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default(),
        _ => serde_json::from_str(&ran.stdout).unwrap_or_default(),
    };
    if let Some(code) = &expect.code {
        // Every coded problem is on standard error.
        if !ran.stderr.contains(&format!("[{code}]")) && !ran.stderr.contains(code.as_str()) {
            fail(format!("no {code} on stderr: {}", ran.stderr));
        }
        if command == "batch" && (expect.row.is_some() || expect.column.is_some()) {
            let text = std::fs::read_to_string(&details).unwrap_or_default();
            let hit = text.lines().any(|l| {
                let d: serde_json::Value = serde_json::from_str(l).unwrap();
                expect.row.is_none_or(|r| d["row"] == r)
                    && d["errors"].as_array().unwrap().iter().any(|e| {
                        e["code"] == code.as_str()
                            && expect.column.as_ref().is_none_or(|c| {
                                e["message"].as_str().unwrap().contains(&format!("“{c}”"))
                            })
                    })
            });
            if !hit {
                fail(format!(
                    "no {code} at row {:?}, column {:?} in the details: {text}",
                    expect.row, expect.column
                ));
            }
        }
        if command == "exposure" {
            for p in report["policies"].as_array().into_iter().flatten() {
                if p["register"]["errors"].as_u64().unwrap_or(0) == 0 {
                    fail(format!("rows in error not counted: {p:#}"));
                }
            }
        }
    }
    if let Some(total) = &expect.total {
        match command {
            "batch" => {
                if report["total"] != total.as_str() {
                    fail(format!("total {} (want {total})", report["total"]));
                }
            }
            _ => {
                for p in report["policies"].as_array().into_iter().flatten() {
                    if p["register"]["paid"] != total.as_str() {
                        fail(format!("paid {} (want {total})", p["register"]["paid"]));
                    }
                }
            }
        }
    }
    // A grant is never negative: no figure of the report is.
    negative_figures(&report, "", &mut |at, v| {
        fail(format!("negative figure {at} = {v}"));
    });
    failures
}

/// Calls `found` with every string that reads as a negative amount,
/// except a budget's balance (negative when over budget, by design).
fn negative_figures(v: &serde_json::Value, at: &str, found: &mut impl FnMut(&str, &str)) {
    match v {
        serde_json::Value::String(s)
            if s.strip_prefix('-')
                .is_some_and(|n| n.parse::<f64>().is_ok())
                && !at.ends_with("budget_balance") =>
        {
            found(at, s);
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                negative_figures(x, &format!("{at}[{i}]"), found);
            }
        }
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                negative_figures(x, &format!("{at}.{k}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn register_corpus() {
    let failures: Vec<String> = cases("register", &["csv", "jsonl"])
        .iter()
        .flat_map(|p| register_case(p))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `tests/hostile/cli/*.args`: the arguments after `# 参数:`, split at
/// spaces; the exit status and what standard error must say.
#[test]
fn command_line_corpus() {
    let mut failures = Vec::new();
    for path in cases("cli", &["args"]) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let expect = header(&std::fs::read_to_string(&path).unwrap());
        let args: Vec<String> = expect
            .args
            .as_deref()
            .expect("a case without `# 参数:`")
            .split(' ')
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect();
        let ran = zhengce_with(&args, expect.stdin.as_deref());
        // A value clap refuses is a usage error: exit 2, clap's own words.
        let usage = expect.code.as_deref() == Some("用法错误");
        let want_exit = expect.exit.unwrap_or(match (usage, &expect.code) {
            (true, _) => 2,
            (false, Some(_)) => 1,
            (false, None) => 0,
        });
        if ran.exit != want_exit {
            failures.push(format!(
                "{name}: exit {} (want {want_exit}): {}",
                ran.exit, ran.stderr
            ));
        }
        if let Some(code) = expect.code.as_ref().filter(|_| !usage)
            && !(ran.stderr.contains(code.as_str()) || ran.stdout.contains(code.as_str()))
        {
            failures.push(format!("{name}: no {code}: {}{}", ran.stdout, ran.stderr));
        }
        for s in &expect.stderr {
            if !ran.stderr.contains(s.as_str()) {
                failures.push(format!("{name}: stderr lacks {s:?}: {}", ran.stderr));
            }
        }
        for s in &expect.stdout_line {
            if !ran.stdout.lines().any(|l| l == s) {
                failures.push(format!("{name}: no line {s:?} in {}", ran.stdout));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
