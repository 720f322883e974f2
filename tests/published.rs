//! `--published` and a 案例's `发布 《标题》 日期`: a policy written
//! `发布 未定` evaluated as if its publication date were known, through the
//! real binary. Policies: tests/published/政策.zc and the corpus's
//! policies/跨境电子商务发展实施意见.zc.

use std::process::Command;

use serde_json::{Value, json};

const POLICY: &str = "tests/published/政策.zc";
const FACTS: &str = "tests/published/企业.json";
const PENDING: &str = "待发布的示例政策";
const CROSS_BORDER: &str = "policies/跨境电子商务发展实施意见.zc";
const CROSS_BORDER_TITLE: &str = "关于加快我市跨境电子商务发展的实施意见";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_zhengce"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

impl Run {
    fn shown(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.shown()))
    }
}

fn eval_json(date: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "eval", POLICY, "--facts", FACTS, "--date", date, "--format", "json",
    ];
    args.extend_from_slice(extra);
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.shown());
    r.json()
}

fn clause<'a>(doc: &'a Value, policy: &str, label: &str) -> &'a Value {
    doc["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["policy"] == policy && c["clause"] == label)
        .unwrap_or_else(|| panic!("no clause 《{policy}》{label}"))
}

#[test]
fn without_an_assumption_the_window_is_undecided() {
    let doc = eval_json("2024-06-19", &[]);
    for label in ["一", "二"] {
        let c = clause(&doc, PENDING, label);
        assert_eq!(c["status"], "undecided");
        assert_eq!(c["note"], "发布日期未定，施行期无法确定");
    }
    assert_eq!(doc["assumed_published"], json!({}));
}

#[test]
fn an_assumed_date_opens_the_window_it_implies() {
    // 2024-05-20 + 30日 = 2024-06-19 (11 days left in May, then 19);
    // 起 3年: to 2024-06-19 + 3年 − 1日 = 2027-06-18.
    let arg = format!("《{PENDING}》=2024-05-20");
    let first_day = eval_json("2024-06-19", &["--published", &arg]);
    let note = "发布日期按 2024年5月20日 假定";
    let one = clause(&first_day, PENDING, "一");
    assert_eq!(one["status"], "applies");
    assert_eq!(one["amount"], "100000.00");
    assert_eq!(one["note"], note);
    // 300万元 × 10% = 30万元, under the 50万元 cap.
    let two = clause(&first_day, PENDING, "二");
    assert_eq!(two["status"], "applies");
    assert_eq!(two["amount"], "300000.00");
    assert_eq!(two["capped"], false);
    assert_eq!(two["note"], note);
    assert_eq!(
        first_day["assumed_published"],
        json!({ PENDING: "2024-05-20" })
    );
    // Other policies are untouched: no note.
    assert_eq!(
        clause(&first_day, "不依赖发布的示例政策", "一")["note"],
        Value::Null
    );

    let last_day = eval_json("2027-06-18", &["--published", &arg]);
    assert_eq!(clause(&last_day, PENDING, "一")["status"], "applies");

    let window = "施行期 2024年6月19日 至 2027年6月18日；发布日期按 2024年5月20日 假定";
    for date in ["2024-06-18", "2027-06-19"] {
        let doc = eval_json(date, &["--published", &arg]);
        for label in ["一", "二"] {
            let c = clause(&doc, PENDING, label);
            assert_eq!(c["status"], "not_in_force", "{date} {label}");
            assert_eq!(c["note"], window, "{date} {label}");
        }
    }
}

#[test]
fn the_title_needs_no_brackets_and_the_date_may_be_written_in_chinese() {
    let bare = eval_json(
        "2024-06-19",
        &["--published", &format!("{PENDING}=2024年5月20日")],
    );
    let bracketed = eval_json(
        "2024-06-19",
        &["--published", &format!("《{PENDING}》=2024-05-20")],
    );
    assert_eq!(bare, bracketed);
}

#[test]
fn the_json_says_what_was_assumed() {
    let doc = eval_json(
        "2024-06-19",
        &["--published", &format!("《{PENDING}》=2024-05-20")],
    );
    let c = clause(&doc, PENDING, "二");
    insta::assert_snapshot!(format!(
        "assumed_published: {}\nclause: {}",
        serde_json::to_string_pretty(&doc["assumed_published"]).unwrap(),
        serde_json::to_string_pretty(c).unwrap()
    ));
}

#[test]
fn the_table_and_the_explanation_say_the_date_was_assumed() {
    let r = run(&[
        "eval",
        POLICY,
        "--facts",
        FACTS,
        "--date",
        "2024-06-19",
        "--published",
        &format!("《{PENDING}》=2024-05-20"),
        "--explain",
    ]);
    assert_eq!(r.code, 0, "{}", r.shown());
    insta::assert_snapshot!(r.shown());
}

#[test]
fn an_unknown_title_points_into_the_argument_with_a_suggestion() {
    // 示例 misspelt 实例: one character off the loaded title.
    let r = run(&[
        "eval",
        POLICY,
        "--facts",
        FACTS,
        "--published",
        "《待发布的实例政策》=2024-05-20",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    insta::assert_snapshot!(r.shown());

    let r = run(&[
        "eval",
        POLICY,
        "--facts",
        FACTS,
        "--format",
        "json",
        "--published",
        "《待发布的实例政策》=2024-05-20",
    ]);
    assert_eq!(r.code, 1);
    let d = &r.json()["diagnostics"][0];
    assert_eq!(d["code"], "zc::check::published_unknown_policy");
    assert_eq!(d["file"], "--published");
    // The whole title, 《》 included, at the start of the argument.
    assert_eq!(
        d["span"],
        json!({"offset": 0, "length": "《待发布的实例政策》".len()})
    );
    // Closest first: 待发布的示例政策 is one edit away, 已发布的示例政策 two.
    assert_eq!(
        d["help"],
        "您是否想写：《待发布的示例政策》、《已发布的示例政策》？"
    );
}

#[test]
fn a_policy_that_is_not_undetermined_cannot_be_assumed() {
    let r = run(&[
        "eval",
        POLICY,
        "--facts",
        FACTS,
        "--published",
        "已发布的示例政策=2024-06-01",
        "--published",
        "不依赖发布的示例政策=2024-06-01",
    ]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.shown());

    let r = run(&[
        "eval",
        POLICY,
        "--facts",
        FACTS,
        "--format",
        "json",
        "--published",
        "已发布的示例政策=2024-06-01",
    ]);
    let d = &r.json()["diagnostics"][0];
    assert_eq!(d["code"], "zc::check::published_known");
    assert_eq!(
        d["span"],
        json!({"offset": 0, "length": "已发布的示例政策".len()})
    );
}

#[test]
fn one_policy_assumed_twice_is_an_error() {
    let r = run(&[
        "eval",
        POLICY,
        "--facts",
        FACTS,
        "--format",
        "json",
        "--published",
        &format!("{PENDING}=2024-05-20"),
        "--published",
        &format!("{PENDING}=2024-06-01"),
    ]);
    assert_eq!(r.code, 1);
    let doc = r.json();
    assert_eq!(doc["errors"], 1);
    assert_eq!(doc["diagnostics"][0]["code"], "zc::check::published_twice");
}

#[test]
fn a_malformed_argument_is_a_usage_error() {
    for bad in [PENDING, "《》=2024-05-20", "待发布的示例政策=2024-02-30"] {
        let r = run(&["eval", POLICY, "--facts", FACTS, "--published", bad]);
        assert_eq!(r.code, 2, "{bad}: {}", r.shown());
        assert!(r.stderr.contains("--published"), "{bad}: {}", r.stderr);
    }
}

#[test]
fn cases_assume_their_own_dates_and_win_over_the_command_line() {
    // The file's cases pass as written: two assume 2024-05-20 themselves,
    // one expects 待定 without an assumption.
    let r = run(&["test", POLICY]);
    assert_eq!(r.code, 0, "{}", r.shown());
    assert!(r.stdout.ends_with("3 passed, 0 failed\n"), "{}", r.stdout);

    // Assumed 2020-01-01 on the command line: 起 2020-01-31, 止 2023-01-30.
    // The cases that assume 2024-05-20 are unaffected; the one without an
    // assumption is now out of force on 2024-06-19, not 待定.
    let r = run(&[
        "test",
        POLICY,
        "--format",
        "json",
        "--published",
        &format!("{PENDING}=2020-01-01"),
    ]);
    assert_eq!(r.code, 1, "{}", r.shown());
    let doc = r.json();
    let passed: Vec<(String, bool)> = doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_string(), c["passed"] == true))
        .collect();
    assert_eq!(
        passed,
        vec![
            (format!("《{PENDING}》假定发布，施行首日"), true),
            (format!("《{PENDING}》假定发布，施行前一日"), true),
            (format!("《{PENDING}》不假定则待定"), false),
        ]
    );
    assert_eq!(doc["cases"][2]["failures"][0]["actual"], "不在施行期");
}

#[test]
fn the_corpus_policy_applies_under_an_assumed_date() {
    // L1906 本意见自发布之日起30日后实施，实施期为3年. Assumed 2021-05-20:
    // 起 2021-06-19, 止 2024-06-18. 四-1: 20万元 × 70% = 14万元 ≤ 20万元.
    let dir = std::env::temp_dir().join(format!("zc-published-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let facts = dir.join("跨境企业.json");
    std::fs::write(
        &facts,
        r#"{"主体类型": "企业", "在杭登记注册独立法人": true, "具备相关业务资格且诚信经营": true,
            "纳入综试区统计监测体系": true, "在目的国注册自有商标": true,
            "境外商标注册费用": "20万元"}"#,
    )
    .unwrap();
    let facts = facts.to_str().unwrap();
    let eval = |extra: &[&str]| {
        let mut args = vec![
            "eval",
            CROSS_BORDER,
            "--facts",
            facts,
            "--date",
            "2021-07-01",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let r = run(&args);
        assert_eq!(r.code, 0, "{}", r.shown());
        r.json()
    };
    let plain = eval(&[]);
    assert_eq!(
        clause(&plain, CROSS_BORDER_TITLE, "四-1")["status"],
        "undecided"
    );
    let assumed = eval(&["--published", &format!("{CROSS_BORDER_TITLE}=2021-05-20")]);
    let c = clause(&assumed, CROSS_BORDER_TITLE, "四-1");
    assert_eq!(c["status"], "applies");
    assert_eq!(c["bound"], "at_most");
    assert_eq!(c["amount"], "140000.00");
    assert_eq!(c["note"], "发布日期按 2021年5月20日 假定");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn batch_and_exposure_accept_the_assumption() {
    let dir = std::env::temp_dir().join(format!("zc-published-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let summary = dir.join("汇总.json");
    let arg = format!("{PENDING}=2024-05-20");
    let r = run(&[
        "batch",
        POLICY,
        "--facts",
        "tests/published/登记表.csv",
        "--date",
        "2024-06-19",
        "--format",
        "jsonl",
        "--published",
        &arg,
        "--summary",
        summary.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.shown());
    let rows: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // 甲: 10万元 + 300万元 × 10% = 30万元 from the assumed policy, 1万元
    // from 《已发布…》 (in force from 2024-06-19 too), 2万元 from
    // 《不依赖发布…》: 43万元. 乙 is no 高新技术企业: nothing.
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["合计"], "430000.00", "{}", rows[0]);
    assert_eq!(rows[1]["合计"], "0.00", "{}", rows[1]);
    let s: Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    assert_eq!(s["assumed_published"], json!({ PENDING: "2024-05-20" }));

    // Without the assumption 甲's rows from that policy are undecided.
    let r = run(&[
        "batch",
        POLICY,
        "--facts",
        "tests/published/登记表.csv",
        "--date",
        "2024-06-19",
        "--format",
        "jsonl",
    ]);
    let first: Value = serde_json::from_str(r.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["合计"], "30000.00", "{first}");

    let r = run(&["exposure", POLICY, "--format", "json", "--published", &arg]);
    assert_eq!(r.code, 0, "{}", r.shown());
    assert_eq!(
        r.json()["assumed_published"],
        json!({ PENDING: "2024-05-20" })
    );
    let r = run(&["exposure", POLICY, "--format", "json"]);
    assert_eq!(r.json()["assumed_published"], json!({}));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_repl_checks_with_the_assumption() {
    use zhengce::internals::check::Assumptions;
    use zhengce::internals::check::assume::Published;
    use zhengce::internals::program::WindowDef;
    use zhengce::internals::repl::Session;

    let on = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let paths = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(POLICY)];
    let style = zhengce::internals::diagnostics::Style::plain();
    let assumed = |title: &str| Assumptions {
        published: vec![
            Published::from_arg(&format!("{title}=2024-05-20"), |d| {
                zhengce::internals::cli::parse_date_arg(d)
            })
            .unwrap(),
        ],
    };
    let s = Session::with_assumptions(paths.clone(), on("2024-06-19"), style, assumed(PENDING))
        .unwrap_or_else(|e| panic!("{e}"));
    let program = s.program().unwrap();
    let policy = program
        .policies
        .iter()
        .find(|p| p.title.as_deref() == Some(PENDING))
        .unwrap();
    // 2024-05-20 + 30日 = 2024-06-19; + 3年 − 1日 = 2027-06-18.
    assert_eq!(
        policy.window,
        Some(WindowDef::Dates(on("2024-06-19"), Some(on("2027-06-18"))))
    );
    assert_eq!(policy.assumed_published, Some(on("2024-05-20")));
    assert_eq!(
        program.assumed_published,
        vec![(PENDING.to_string(), on("2024-05-20"))]
    );

    let err =
        match Session::with_assumptions(paths, on("2024-06-19"), style, assumed("没有这项政策"))
        {
            Ok(_) => panic!("an unknown title must not start a session"),
            Err(e) => e,
        };
    assert!(err.contains("zc::check::published_unknown_policy"), "{err}");

    let r = run(&["repl", POLICY, "--published", "没有这项政策=2024-05-20"]);
    assert_eq!(r.code, 1, "{}", r.shown());
    assert!(
        r.stderr.contains("zc::check::published_unknown_policy"),
        "{}",
        r.stderr
    );
}
