//! Register reports an analyst can use: the 状态 words and their
//! precedence, the kind columns, the `--details` side file, summaries by
//! kind and cause, spreadsheets as they are (CRLF, thousands separators,
//! units in headers, `--column`, `--excel`, GB18030 out). Every expected
//! value is worked out by hand from the policies below.

use std::io::Cursor;
use std::path::PathBuf;

use assert_cmd::Command;
use chrono::NaiveDate;
use zhengce::internals::batch::{self, BatchConfig, Collect, InputFormat, OutputFormat, Summary};
use zhengce::internals::eval::EvalConfig;
use zhengce::internals::program::Program;

/// 一 定额, 二 上限, 三 下限, 四 酌定 without a cap; 五 is 酌定 with a cap
/// (no row below reaches it: its total counts depend on eval's treatment
/// of capped 酌定, tested with eval).
const POLICY: &str = "词汇 {\n  高新技术企业: 是否\n  研发投入: 金额\n  人才: 是否\n  专项: 是否\n}\n\
政策 《报表测试》 {\n  施行 2024年1月1日 至 2026年12月31日\n  分担 市 60% 区县 40%\n\
  一 对 高新技术企业 给予 20万元 奖励\n\
  二 对 研发投入 超过 100万元 给予 最高 50万元 补助\n\
  三 对 人才 给予 不少于 5万元 补贴\n\
  四 对 专项 给予 酌定 支持\n\
  五 对 专项 且 高新技术企业 给予 酌定，最高 30万元 支持\n}\n";

/// Row by row (line numbers: the header is line 1):
/// - A (2): 一 20万 + 二 50万 (ceiling) + 三 5万 (floor) = 75万 → 可获得
/// - B (3): only 四 (酌定) applies → 合计 0, 酌定项数 1 → 可获得
/// - C (4): 一 20万, 三 5万; 二 misses 研发投入, 四 and 五 miss 专项
///   → 待定（缺 2 项）although 25万 is paid: undecided comes first
/// - D (5): nothing applies → 不适用
/// - E (6): 高新技术企业 = 2 → 错误
/// - G (7): 二 50万; 四 misses 专项 (五 is out: 高新技术企业 = 否)
///   → 待定（缺 1 项）
const REGISTER: &str = "id,高新技术企业,研发投入,人才,专项\n\
A,1,200万元,1,0\n\
B,0,50万元,0,1\n\
C,1,,1,\n\
D,0,0,0,0\n\
E,2,0,0,0\n\
G,0,300万元,0,\n";

/// Compiles a policy written to a file of its own (tests run at once).
fn compile(text: &str, name: &str) -> (Program, PathBuf) {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = temp(&format!("{n}-{name}"), text.as_bytes());
    let program = zhengce::internals::load::compile(std::slice::from_ref(&path))
        .unwrap()
        .program;
    (program, path)
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
}

fn temp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zhengce-report-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Output, details and summary of a run through the library.
fn run(program: &Program, input: &str, config: &BatchConfig) -> (String, String, Summary) {
    let mut out = Vec::new();
    let mut details = Vec::new();
    let mut rep = Collect::default();
    let summary = batch::run_with_details(
        program,
        Box::new(Cursor::new(input.as_bytes().to_vec())),
        &mut out,
        Some(&mut details),
        config,
        &mut rep,
    )
    .unwrap();
    (
        String::from_utf8(out).unwrap(),
        String::from_utf8(details).unwrap(),
        summary,
    )
}

fn zhengce() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zhengce"))
}

#[test]
fn status_words_by_precedence_and_kind_columns() {
    let (program, _) = compile(POLICY, "report.zc");
    let (out, _, _) = run(
        &program,
        REGISTER,
        &BatchConfig::new(EvalConfig::on(date())),
    );
    assert_eq!(
        out,
        "id,一,二,三,四,五,合计,定额,最高,不少于,酌定项数,状态\n\
         A,200000.00,500000.00,50000.00,,,750000.00,200000.00,500000.00,50000.00,0,可获得\n\
         B,,,,,,0.00,0.00,0.00,0.00,1,可获得\n\
         C,200000.00,,50000.00,,,250000.00,200000.00,0.00,50000.00,0,待定（缺 2 项）\n\
         D,,,,,,0.00,0.00,0.00,0.00,0,不适用\n\
         E,,,,,,,,,,,错误：高新技术企业“2”：“2” 不是 是/否\n\
         G,,500000.00,,,,500000.00,0.00,500000.00,0.00,0,待定（缺 1 项）\n"
    );
}

#[test]
fn an_unpublished_policy_leaves_rows_waiting_for_its_date() {
    let text = "词汇 {\n  高新技术企业: 是否\n}\n\
政策 《未发布测试》 {\n  发布 未定\n  施行 发布 起\n  一 对 高新技术企业 给予 20万元 奖励\n}\n";
    let (program, _) = compile(text, "unpublished.zc");
    let (out, details, summary) = run(
        &program,
        "id,高新技术企业\nA,1\n",
        &BatchConfig::new(EvalConfig::on(date())),
    );
    assert_eq!(
        out,
        "id,一,合计,定额,最高,不少于,酌定项数,状态\nA,,0.00,0.00,0.00,0.00,0,待定（发布日期未定）\n"
    );
    // Nothing is missing: no details line.
    assert_eq!(details, "");
    assert_eq!(summary.undecided_by_cause.unpublished, 1);
    assert_eq!(summary.undecided_by_cause.missing_facts, 0);
}

#[test]
fn details_hold_the_missing_facts_and_errors_once_per_row() {
    let (program, _) = compile(POLICY, "report.zc");
    let (_, details, _) = run(
        &program,
        REGISTER,
        &BatchConfig::new(EvalConfig::on(date())),
    );
    assert_eq!(
        details,
        "{\"row\":4,\"id\":\"C\",\"状态\":\"待定（缺 2 项）\",\"status\":\"undecided\",\"missing\":[\"研发投入\",\"专项\"],\"errors\":[]}\n\
         {\"row\":6,\"id\":\"E\",\"状态\":\"错误：高新技术企业“2”：“2” 不是 是/否\",\"status\":\"error\",\"missing\":[],\"errors\":[{\"code\":\"zc::batch::bad_cell\",\"message\":\"第 6 行，列“高新技术企业”的值“2”：“2” 不是 是/否\",\"help\":\"是否列写 是/否、1/0 或 true/false；不知道时留空\"}]}\n\
         {\"row\":7,\"id\":\"G\",\"状态\":\"待定（缺 1 项）\",\"status\":\"undecided\",\"missing\":[\"专项\"],\"errors\":[]}\n"
    );
}

#[test]
fn jsonl_rows_keep_their_keys_and_add_status_and_missing() {
    let (program, _) = compile(POLICY, "report.zc");
    let config = BatchConfig {
        output: OutputFormat::Jsonl,
        ..BatchConfig::new(EvalConfig::on(date()))
    };
    let (out, _, _) = run(&program, REGISTER, &config);
    let rows: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        rows[2],
        serde_json::json!({
            "id": "C", "一": "200000.00", "二": null, "三": "50000.00", "四": null, "五": null,
            "合计": "250000.00", "定额": "200000.00", "最高": "0.00", "不少于": "50000.00",
            "酌定项数": 0, "状态": "待定（缺 2 项）", "status": "undecided",
            "missing": ["研发投入", "专项"]
        })
    );
    let codes: Vec<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        [
            "paid",
            "paid",
            "undecided",
            "not_applicable",
            "error",
            "undecided"
        ]
    );
    assert_eq!(rows[4]["missing"], serde_json::json!([]));
}

#[test]
fn the_summary_splits_money_by_kind_and_rows_by_cause() {
    let (program, _) = compile(POLICY, "report.zc");
    let (_, _, s) = run(
        &program,
        REGISTER,
        &BatchConfig::new(EvalConfig::on(date())),
    );
    let j = serde_json::to_value(&s).unwrap();
    assert_eq!(j["schema"], 2);
    // 合计: A 75万 + C 25万 + G 50万 = 150万; 定额 A 20万 + C 20万;
    // 最高 A 50万 + G 50万; 不少于 A 5万 + C 5万; 酌定: B's 四.
    assert_eq!(j["total"], "1500000.00");
    assert_eq!(
        j["kinds"],
        serde_json::json!({
            "exact": "400000.00", "at_most": "1000000.00", "at_least": "100000.00",
            "discretionary": 1, "discretionary_capped": 0, "discretionary_cap": "0.00"
        })
    );
    assert_eq!(
        j["status"],
        serde_json::json!({"paid": 2, "undecided": 2, "not_applicable": 1, "error": 1})
    );
    assert_eq!(
        j["undecided_by_cause"],
        serde_json::json!({"missing_facts": 2, "unpublished": 0})
    );
    // 专项 is missing in C and G; knowing it decides G (its only one).
    assert_eq!(
        j["missing_facts"],
        serde_json::json!([
            {"fact": "专项", "rows": 2, "decides": 1},
            {"fact": "研发投入", "rows": 1, "decides": 0}
        ])
    );
    let clause = |label: &str| {
        j["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["clause"] == label)
            .unwrap()
            .clone()
    };
    assert_eq!(clause("一")["amount"], "400000.00");
    assert_eq!(clause("一")["kinds"]["exact"], "400000.00");
    assert_eq!(clause("二")["kinds"]["at_most"], "1000000.00");
    assert_eq!(clause("三")["kinds"]["at_least"], "100000.00");
    assert_eq!(clause("四")["kinds"]["discretionary"], 1);
    assert_eq!(clause("四")["amount"], "0.00");
    // 四 is open for C and G, 五 only for C (G is not a 高新技术企业).
    assert_eq!(clause("四")["undecided"], 2);
    assert_eq!(clause("五")["undecided"], 1);
    let policy = &j["policies"][0];
    assert_eq!(policy["amount"], "1500000.00");
    assert_eq!(policy["kinds"]["exact"], "400000.00");
    assert_eq!(policy["kinds"]["discretionary"], 1);
    // 市 60%, 区县 40% of each kind.
    assert_eq!(
        j["payers"],
        serde_json::json!([
            {"payer": "市", "amount": "900000.00", "kinds": {
                "exact": "240000.00", "at_most": "600000.00", "at_least": "60000.00",
                "discretionary": 0, "discretionary_capped": 0, "discretionary_cap": "0.00"}},
            {"payer": "区县", "amount": "600000.00", "kinds": {
                "exact": "160000.00", "at_most": "400000.00", "at_least": "40000.00",
                "discretionary": 0, "discretionary_capped": 0, "discretionary_cap": "0.00"}}
        ])
    );
    let human = s.human();
    assert!(
        human.starts_with(
            "评估日期 2025年6月1日：共 6 行；可获得 2 家，待定 2 家（缺事实 2 家，发布日期未定 0 家），不适用 1 家，错误 1 行\n\
             受益 3 家，合计 1500000.00 元（定额 400000.00 元；最高 1000000.00 元；不少于 100000.00 元；酌定 1 项）\n"
        ),
        "{human}"
    );
    assert!(human.contains("最常缺少的事实"), "{human}");
}

/// 一 pays 1% of 研发投入, so every reading shows in the amount.
const ONE_PERCENT: &str = "词汇 {\n  研发投入: 金额\n  人数: 数量(人)\n}\n\
政策 《读表测试》 {\n  一 对 研发投入 超过 0元 给予 研发投入 的 1% 补助\n}\n";

#[test]
fn separators_and_header_units_are_read_as_spreadsheets_write_them() {
    let (program, _) = compile(ONE_PERCENT, "units.zc");
    // A: 1,200 万元 → 1% = 12万元; B: 1，200，000 元 (its own unit) → 1.2万元;
    // C: 800 万元 → 8万元; D: a misplaced separator; E: 0.5 万元 → 50元.
    let input = "id,研发投入（万元）,人数(人)\n\
                 A,\"1,200\",3\n\
                 B,1，200，000元,\n\
                 C,800,\n\
                 D,\"12,00\",\n\
                 E,0.5,\n";
    let mut rep = Collect::default();
    let mut out = Vec::new();
    batch::run(
        &program,
        Box::new(Cursor::new(input.as_bytes().to_vec())),
        &mut out,
        &BatchConfig::new(EvalConfig::on(date())),
        &mut rep,
    )
    .unwrap();
    // Both headers are vocabulary words with a unit: only the id passes
    // through (one warning).
    assert_eq!(rep.warnings.len(), 1);
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "id,一,合计,定额,最高,不少于,酌定项数,状态");
    assert_eq!(
        lines[1],
        "A,120000.00,120000.00,120000.00,0.00,0.00,0,可获得"
    );
    assert_eq!(lines[2], "B,12000.00,12000.00,12000.00,0.00,0.00,0,可获得");
    assert_eq!(lines[3], "C,80000.00,80000.00,80000.00,0.00,0.00,0,可获得");
    assert_eq!(
        lines[4],
        "D,,,,,,,\"错误：研发投入（万元）“12,00”：“12,00”的千位分隔符位置不对\""
    );
    assert_eq!(lines[5], "E,50.00,50.00,50.00,0.00,0.00,0,可获得");
    assert_eq!(rep.errors.len(), 1);
    assert_eq!(
        miette::Diagnostic::help(&rep.errors[0])
            .unwrap()
            .to_string(),
        "千位分隔符每三位一个，如 1,200,000 或 1，200，000；也可不写分隔符"
    );
}

#[test]
fn a_unit_that_does_not_fit_the_fact_is_refused() {
    let (program, _) = compile(ONE_PERCENT, "units.zc");
    for (header, help) in [
        (
            "研发投入（人）",
            "“研发投入”是金额：表头的单位写 元、万元 或 亿元",
        ),
        ("人数(个)", "“人数”以人计：表头的单位写 人，或不写"),
    ] {
        let mut rep = Collect::default();
        let err = batch::run(
            &program,
            Box::new(Cursor::new(format!("{header}\n1\n").into_bytes())),
            &mut Vec::new(),
            &BatchConfig::new(EvalConfig::on(date())),
            &mut rep,
        )
        .unwrap_err();
        assert_eq!(
            miette::Diagnostic::code(&err).unwrap().to_string(),
            "zc::batch::header_unit"
        );
        assert_eq!(miette::Diagnostic::help(&err).unwrap().to_string(), help);
    }
}

#[test]
fn facts_files_refuse_separators_and_say_why() {
    let (_, policy) = compile(ONE_PERCENT, "units.zc");
    let facts = temp("grouped.json", "{\"研发投入\": \"1,200,000\"}".as_bytes());
    let out = zhengce()
        .args([
            "eval",
            policy.to_str().unwrap(),
            "--date",
            "2025-06-01",
            "--facts",
        ])
        .arg(&facts)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("事实文件中的金额不写千位分隔符") && stderr.contains("登记表"),
        "{stderr}"
    );
}

#[test]
fn column_maps_a_header_to_a_vocabulary_word() {
    let (program, _) = compile(ONE_PERCENT, "units.zc");
    let config = BatchConfig {
        columns: vec![("研发费".into(), "研发投入（万元）".into())],
        ..BatchConfig::new(EvalConfig::on(date()))
    };
    // 100 万元 → 1% = 1万元.
    let mut out = Vec::new();
    let mut rep = Collect::default();
    batch::run(
        &program,
        Box::new(Cursor::new("编号,研发费\nA,100\n".as_bytes().to_vec())),
        &mut out,
        &config,
        &mut rep,
    )
    .unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "编号,一,合计,定额,最高,不少于,酌定项数,状态\nA,10000.00,10000.00,10000.00,0.00,0.00,0,可获得\n"
    );
    for (from, to, reason) in [
        (
            "研发费",
            "研发投人",
            "--column 研发费=研发投人：“研发投人”不是词汇中的词",
        ),
        (
            "研究费",
            "研发投入",
            "--column 研究费=研发投入：表头中没有“研究费”列",
        ),
    ] {
        let config = BatchConfig {
            columns: vec![(from.into(), to.into())],
            ..BatchConfig::new(EvalConfig::on(date()))
        };
        let err = batch::run(
            &program,
            Box::new(Cursor::new("编号,研发费\nA,100\n".as_bytes().to_vec())),
            &mut Vec::new(),
            &config,
            &mut Collect::default(),
        )
        .unwrap_err();
        assert_eq!(
            miette::Diagnostic::code(&err).unwrap().to_string(),
            "zc::batch::column_map"
        );
        assert_eq!(err.to_string(), reason);
    }
}

#[test]
fn crlf_registers_number_rows_by_their_lines() {
    let (program, _) = compile(ONE_PERCENT, "units.zc");
    // Line 3 is bad, lines 4–5 hold one quoted cell, line 6 is bad.
    for eol in ["\n", "\r\n"] {
        let input = ["id,研发投入", "A,1", "B,abc", "C,\"x", "y\"", "D,zz", ""].join(eol);
        let mut rep = Collect::default();
        batch::run(
            &program,
            Box::new(Cursor::new(input.into_bytes())),
            &mut Vec::new(),
            &BatchConfig::new(EvalConfig::on(date())),
            &mut rep,
        )
        .unwrap();
        let rows: Vec<u64> = rep
            .errors
            .iter()
            .map(zhengce::internals::batch::RowError::row)
            .collect();
        assert_eq!(rows, [3, 4, 6], "{eol:?}");
    }
}

#[test]
fn excel_and_gb18030_outputs() {
    let (_, policy) = compile(ONE_PERCENT, "units.zc");
    let reg = temp("excel.csv", "id,研发投入\nA,100万元\n".as_bytes());
    let run = |extra: &[&str]| {
        let out = zhengce()
            .args([
                "batch",
                policy.to_str().unwrap(),
                "--date",
                "2025-06-01",
                "--facts",
            ])
            .arg(&reg)
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let plain = run(&[]);
    let text = "id,一,合计,定额,最高,不少于,酌定项数,状态\nA,10000.00,10000.00,10000.00,0.00,0.00,0,可获得\n";
    assert_eq!(plain, text.as_bytes());
    let excel = run(&["--excel"]);
    assert_eq!(
        excel,
        [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()
    );
    let gb = run(&["--output-encoding", "gb18030"]);
    // 状态 is D7 B4 CC AC in GB18030; 可获得 BF C9 BB F1 B5 C3.
    assert!(gb.windows(4).any(|w| w == b"\xD7\xB4\xCC\xAC"));
    assert!(gb.ends_with(b"0,\xBF\xC9\xBB\xF1\xB5\xC3\n"));
    let (back, _, bad) = encoding_rs::GB18030.decode(&gb);
    assert!(!bad);
    assert_eq!(back, text);
}

#[test]
fn jsonl_registers_take_renamed_keys_and_header_units() {
    let (program, _) = compile(ONE_PERCENT, "units.zc");
    let config = BatchConfig {
        input: InputFormat::Jsonl,
        columns: vec![("研发费".into(), "研发投入".into())],
        ..BatchConfig::new(EvalConfig::on(date()))
    };
    let input = "{\"id\": \"Z\"}\n{\"id\": \"A\", \"研发费\": \"100万元\"}\n{\"id\": \"B\", \"研发费\": \"1,000,000\"}\n";
    let (out, _, s) = run(&program, input, &config);
    assert!(out.starts_with("id,一,合计"), "{out}");
    // Z's object lacks the renamed key, later rows still rename it.
    // 1% of 100万元 and of 1,000,000 元: 1万元 each.
    assert_eq!(s.total.to_yuan_string(), "20000.00");
}

#[test]
fn capped_discretionary_grants_are_counted_never_added() {
    let (program, _) = compile(POLICY, "report.zc");
    // F: 一 20万元; 四 酌定; 五 酌定，最高 30万元 (专项 且 高新技术企业).
    // 合计 = 定额 = 20万元; 酌定项数 2; the 30万元 cap is a bound, not money.
    let (out, _, s) = run(
        &program,
        "id,高新技术企业,研发投入,人才,专项\nF,1,0,0,1\n",
        &BatchConfig::new(EvalConfig::on(date())),
    );
    assert_eq!(
        out.lines().nth(1).unwrap(),
        "F,200000.00,,,,,200000.00,200000.00,0.00,0.00,2,可获得"
    );
    let j = serde_json::to_value(&s).unwrap();
    assert_eq!(j["total"], "200000.00");
    assert_eq!(
        j["kinds"],
        serde_json::json!({
            "exact": "200000.00", "at_most": "0.00", "at_least": "0.00",
            "discretionary": 2, "discretionary_capped": 1, "discretionary_cap": "300000.00"
        })
    );
    assert_eq!(j["policies"][0]["amount"], "200000.00");
    assert_eq!(j["payers"][0]["amount"], "120000.00");
}

/// Two policies give the same 事项 the same amount: who pays is eval's
/// rule (the later 施行 start), whatever order the files come in.
#[test]
fn attribution_of_a_shared_matter_does_not_depend_on_file_order() {
    let a = "政策 《甲政策》 {\n  施行 2024年1月1日 至 2026年12月31日\n  重叠 从优 从高 不重复\n\
  一 对 高新技术企业 给予 20万元 奖励\n    事项 “高企奖励”\n}\n";
    let b = "政策 《乙政策》 {\n  施行 2025年1月1日 至 2026年12月31日\n  重叠 从优 从高 不重复\n\
  一 对 高新技术企业 给予 20万元 奖励\n    事项 “高企奖励”\n}\n";
    let vocab = "词汇 {\n  高新技术企业: 是否\n}\n";
    let dir = std::env::temp_dir().join(format!("zhengce-order-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (pv, pa, pb) = (dir.join("0词汇.zc"), dir.join("1甲.zc"), dir.join("2乙.zc"));
    std::fs::write(&pv, vocab).unwrap();
    std::fs::write(&pa, a).unwrap();
    std::fs::write(&pb, b).unwrap();
    let amounts = |paths: &[PathBuf]| {
        let program = zhengce::internals::load::compile(paths).unwrap().program;
        let (_, _, s) = run(
            &program,
            "id,高新技术企业\nA,1\nB,1\n",
            &BatchConfig::new(EvalConfig::on(date())),
        );
        let mut per: Vec<(String, String)> = s
            .policies
            .iter()
            .map(|p| {
                (
                    p.policy.clone().unwrap_or_default(),
                    p.amount.to_yuan_string(),
                )
            })
            .collect();
        per.sort();
        per
    };
    let want = vec![
        ("乙政策".to_string(), "400000.00".to_string()),
        ("甲政策".to_string(), "0.00".to_string()),
    ];
    assert_eq!(amounts(&[pv.clone(), pa.clone(), pb.clone()]), want);
    assert_eq!(amounts(&[pv, pb, pa]), want);
}

#[test]
fn column_can_name_the_application_date() {
    let text = "词汇 {\n  高新技术企业: 是否\n}\n\
政策 《申报改名测试》 {\n  施行 2022年1月1日 至 2023年12月31日\n  申报 2023年1月1日 至 2023年1月31日\n\
  一 对 高新技术企业 给予 20万元 奖励\n}\n";
    let (program, _) = compile(text, "apply.zc");
    let config = BatchConfig {
        columns: vec![("申请日".into(), "申报日期".into())],
        ..BatchConfig::new(EvalConfig::on(
            NaiveDate::from_ymd_opt(2023, 1, 10).unwrap(),
        ))
    };
    // A applies within the window (1月15日), B after it (2月15日).
    let (out, _, _) = run(
        &program,
        "id,高新技术企业,申请日\nA,1,2023-01-15\nB,1,2023-02-15\n",
        &config,
    );
    assert_eq!(
        out,
        "id,一,合计,定额,最高,不少于,酌定项数,状态\n\
         A,200000.00,200000.00,200000.00,0.00,0.00,0,可获得\n\
         B,不在申报期,0.00,0.00,0.00,0.00,0,不适用\n"
    );
}
