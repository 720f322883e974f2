//! `zhengce batch`, `facts --template` and `exposure`, through the library
//! and the real binary, over the benchmark's policy and synthetic register.

use crate::register;

use std::collections::HashMap;
use std::io::Cursor;
use std::path::PathBuf;

use assert_cmd::Command;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use zhengce::internals::batch::{
    self, BatchConfig, Collect, InputFormat, OutputFormat, RowError, Summary,
};
use zhengce::internals::eval::{EvalConfig, evaluate};
use zhengce::internals::facts::Facts;
use zhengce::internals::program::Program;

fn policy() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/kejiqiye.zc")
}

fn program() -> Program {
    zhengce::internals::load::compile(&[policy()])
        .unwrap()
        .program
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 6, 1).unwrap()
}

fn config() -> BatchConfig {
    BatchConfig::new(EvalConfig::on(date()))
}

/// Runs the library; returns the output text, the summary and the reporter.
fn run(program: &Program, input: &str, config: &BatchConfig) -> (String, Summary, Collect) {
    let mut out = Vec::new();
    let mut rep = Collect::default();
    let input = Box::new(Cursor::new(input.as_bytes().to_vec()));
    let summary = batch::run(program, input, &mut out, config, &mut rep).unwrap();
    (String::from_utf8(out).unwrap(), summary, rep)
}

fn table(csv_text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

fn zhengce() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zhengce"))
}

fn temp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zhengce-batch-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn batch_rows_equal_per_entity_evaluation() {
    let program = program();
    let input = register::csv_text(600, 3);
    let (out, _, rep) = run(&program, &input, &config());
    assert!(rep.errors.is_empty());
    let (in_header, in_rows) = table(&input);
    let (out_header, out_rows) = table(&out);
    assert_eq!(out_rows.len(), in_rows.len());
    let eval_config = EvalConfig::on(date());
    for (cells, out) in in_rows.iter().zip(&out_rows) {
        let mut facts = Facts::empty(&program.vocab);
        for (name, cell) in in_header.iter().zip(cells) {
            if let Some(&id) = program.vocab.by_name.get(name) {
                let ty = &program.vocab.get(id).unwrap().ty;
                facts.set(
                    id,
                    zhengce::internals::batch::cell::from_text(ty, cell).unwrap(),
                );
            }
        }
        let o = evaluate(&program, &facts, &eval_config).unwrap();
        assert_eq!(out[0], cells[0], "id passes through");
        for (k, r) in o.clauses.iter().enumerate() {
            let cell = &out[1 + k];
            match (r.paid, r.displaced_by) {
                (Some(m), _) => assert_eq!(
                    cell,
                    &m.to_yuan_string(),
                    "{} {}",
                    cells[0],
                    out_header[1 + k]
                ),
                (None, Some(_)) => assert_eq!(cell, "0.00"),
                (None, None) => assert_eq!(cell, ""),
            }
        }
        let at = |name: &str| out[out_header.iter().position(|h| h == name).unwrap()].as_str();
        assert_eq!(at("合计"), o.total.to_yuan_string());
        // Each kind within a fen of its exact sum, and together 合计.
        let fen = dec("0.01");
        for (name, exact) in [
            ("定额", o.totals.exact),
            ("最高", o.totals.at_most),
            ("不少于", o.totals.at_least),
        ] {
            assert!((dec(at(name)) - exact.0).abs() < fen, "{name} {}", at(name));
        }
        assert_eq!(
            dec(at("定额")) + dec(at("最高")) + dec(at("不少于")),
            dec(at("合计"))
        );
        assert_eq!(at("酌定项数"), o.totals.discretionary.to_string());
        let mut missing: Vec<_> = o.clauses.iter().flat_map(|c| c.missing.clone()).collect();
        missing.sort_unstable();
        missing.dedup();
        let want = if o.undecided {
            format!("待定（缺 {} 项）", missing.len())
        } else if o.total.0 > Decimal::ZERO {
            "可获得".to_string()
        } else {
            "不适用".to_string()
        };
        assert_eq!(at("状态"), want);
    }
}

/// The same entities through `zhengce eval --format json`, one facts file
/// each: the batch columns agree with the single-entity command.
#[test]
fn batch_agrees_with_the_eval_command() {
    let program = program();
    let input = register::csv_text(200, 5);
    let reg = temp("agree.csv", input.as_bytes());
    let out = zhengce()
        .args([
            "batch",
            policy().to_str().unwrap(),
            "--date",
            "2024-06-01",
            "--facts",
            reg.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, out_rows) = table(&String::from_utf8(out.stdout).unwrap());
    let (in_header, in_rows) = table(&input);
    for i in (0..in_rows.len()).step_by(23) {
        let facts: serde_json::Map<String, serde_json::Value> = in_header
            .iter()
            .zip(&in_rows[i])
            .skip(1)
            .filter(|(_, c)| !c.is_empty())
            .map(|(h, c)| {
                let id = program.vocab.by_name[h.as_str()];
                let v = match program.vocab.get(id).unwrap().ty {
                    zhengce::internals::program::Ty::Bool => serde_json::Value::Bool(c == "1"),
                    _ => serde_json::Value::String(c.clone()),
                };
                (h.clone(), v)
            })
            .collect();
        let f = temp(
            &format!("entity{i}.json"),
            serde_json::to_string(&facts).unwrap().as_bytes(),
        );
        let eval = zhengce()
            .args([
                "eval",
                policy().to_str().unwrap(),
                "--date",
                "2024-06-01",
                "--format",
                "json",
                "--facts",
                f.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(
            eval.status.success(),
            "{}",
            String::from_utf8_lossy(&eval.stdout)
        );
        let doc: serde_json::Value = serde_json::from_slice(&eval.stdout).unwrap();
        let row = &out_rows[i];
        for (k, c) in doc["clauses"].as_array().unwrap().iter().enumerate() {
            let expected = match (c["paid"].as_str(), c["displaced_by"].is_null()) {
                (Some(p), _) => p.to_string(),
                (None, false) => "0.00".to_string(),
                (None, true) => String::new(),
            };
            assert_eq!(row[1 + k], expected, "row {i} clause {}", c["clause"]);
        }
        assert_eq!(row[row.len() - 6], doc["total"].as_str().unwrap());
    }
}

#[test]
fn bad_rows_become_error_rows_with_their_line() {
    let program = program();
    let input = "id,高新技术企业,研发投入新增额,科技型中小企业,经营规模\n\
                 A,1,300万元,1,符合科小标准\n\
                 B,2,300万元,1,符合科小标准\n\
                 C,1,三百万,1,符合科小标准\n\
                 D,1,300万元\n\
                 E,1,300万元,1,中型\n\
                 F,0,0,0,超过科小标准\n";
    let (out, summary, rep) = run(&program, input, &config());
    let (_, rows) = table(&out);
    assert_eq!(
        rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(),
        ["A", "B", "C", "D", "E", "F"]
    );
    let status: Vec<&str> = rows.iter().map(|r| r.last().unwrap().as_str()).collect();
    assert!(status[0].starts_with("待定（缺 ") || status[0] == "可获得");
    assert!(
        status[1].starts_with("错误：高新技术企业“2”"),
        "{}",
        status[1]
    );
    assert!(
        status[2].starts_with("错误：研发投入新增额“三百万”"),
        "{}",
        status[2]
    );
    assert!(
        status[3].starts_with("错误：有 3 个单元格，表头有 5 列"),
        "{}",
        status[3]
    );
    assert!(status[4].contains("经营规模“中型”"), "{}", status[4]);
    assert!(!status[5].starts_with("错误"));
    let lines: Vec<(u64, String)> = rep
        .errors
        .iter()
        .map(|e| (e.row(), e.to_string()))
        .collect();
    assert_eq!(lines.iter().map(|l| l.0).collect::<Vec<_>>(), [3, 4, 5, 6]);
    assert_eq!(
        lines[0].1,
        "第 3 行，列“高新技术企业”的值“2”：“2” 不是 是/否"
    );
    assert!(matches!(
        rep.errors[2],
        RowError::FieldCount {
            row: 5,
            found: 3,
            expected: 5
        }
    ));
    assert_eq!((summary.rows, summary.errors, summary.entities), (6, 4, 2));
    // An error row pays nothing and has empty 合计 and kind columns.
    assert_eq!(
        rows[1][rows[1].len() - 6..rows[1].len() - 1],
        ["", "", "", "", ""]
    );
}

#[test]
fn bad_rows_on_the_command_line_name_row_and_column() {
    let reg = temp("bad.csv", "id,研发投入新增额\nA,abc\nB,100\n".as_bytes());
    let out = zhengce()
        .args([
            "batch",
            policy().to_str().unwrap(),
            "--date",
            "2024-06-01",
            "--facts",
            reg.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("error[zc::batch::bad_cell]: 第 2 行，列“研发投入新增额”的值“abc”"),
        "{stderr}"
    );
    let (_, rows) = table(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(rows.len(), 2);
}

#[test]
fn order_is_kept_under_parallelism() {
    let program = program();
    let input = register::csv_text(3000, 9);
    let serial = BatchConfig {
        threads: Some(1),
        ..config()
    };
    let parallel = BatchConfig {
        threads: Some(4),
        chunk_rows: 97,
        block_rows: 7,
        ..config()
    };
    let (a, sa, _) = run(&program, &input, &serial);
    let (b, sb, _) = run(&program, &input, &parallel);
    assert_eq!(a, b);
    assert_eq!(
        serde_json::to_value(&sa).unwrap(),
        serde_json::to_value(&sb).unwrap()
    );
    let (_, rows) = table(&b);
    let ids: Vec<String> = rows.iter().map(|r| r[0].clone()).collect();
    let expected: Vec<String> = (0..3000).map(|i| format!("E{i:08}")).collect();
    assert_eq!(ids, expected);
}

#[test]
fn summary_sums_equal_column_sums() {
    let program = program();
    let input = register::csv_text(2000, 13);
    let (out, summary, _) = run(&program, &input, &config());
    let (header, rows) = table(&out);
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    for c in &summary.clauses {
        let k = column(&c.column);
        let cells: Vec<&str> = rows
            .iter()
            .map(|r| r[k].as_str())
            .filter(|s| !s.is_empty())
            .collect();
        let sum: Decimal = cells.iter().map(|s| dec(s)).sum();
        assert_eq!(sum, c.amount.0, "{}", c.column);
        assert_eq!(
            cells.iter().filter(|s| dec(s) > Decimal::ZERO).count() as u64,
            c.beneficiaries,
            "{}",
            c.column
        );
    }
    let total: Decimal = rows.iter().map(|r| dec(&r[column("合计")])).sum();
    assert_eq!(total, summary.total.0);
    assert_eq!(
        summary.policies[0].amount.0, total,
        "no 合计 最高: the policy pays the total"
    );
    let undecided = rows
        .iter()
        .filter(|r| r[column("状态")].starts_with("待定（缺 "))
        .count() as u64;
    assert_eq!(undecided, summary.undecided);
    let payers: Decimal = summary.payers.iter().map(|p| p.amount.0).sum();
    let clauses: Decimal = summary.clauses.iter().map(|c| c.amount.0).sum();
    assert_eq!(payers, clauses);
    // The kinds are sums of their columns, and add up to 合计.
    let sum = |name: &str| -> Decimal { rows.iter().map(|r| dec(&r[column(name)])).sum() };
    assert_eq!(summary.kinds.exact.0, sum("定额"));
    assert_eq!(summary.kinds.at_most.0, sum("最高"));
    assert_eq!(summary.kinds.at_least.0, sum("不少于"));
    assert_eq!(sum("定额") + sum("最高") + sum("不少于"), total);
    assert_eq!(
        summary.status.paid + summary.status.undecided + summary.status.not_applicable,
        2000
    );
}

#[test]
fn gb18030_and_bom_read_the_same_as_utf8() {
    let input = register::csv_text(50, 17);
    let (gbk, _, unmappable) = encoding_rs::GB18030.encode(&input);
    assert!(!unmappable);
    let utf8 = temp("u.csv", input.as_bytes());
    let gb = temp("g.csv", &gbk);
    let bom = temp(
        "b.csv",
        &[b"\xEF\xBB\xBF".as_slice(), input.as_bytes()].concat(),
    );
    let run = |p: &PathBuf, extra: &[&str]| {
        zhengce()
            .args([
                "batch",
                policy().to_str().unwrap(),
                "--date",
                "2024-06-01",
                "--facts",
                p.to_str().unwrap(),
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    let expected = run(&utf8, &[]);
    assert!(expected.status.success());
    assert_eq!(run(&gb, &["--encoding", "gb18030"]).stdout, expected.stdout);
    assert_eq!(run(&bom, &[]).stdout, expected.stdout);
    let wrong = run(&gb, &[]);
    assert_eq!(wrong.status.code(), Some(1));
    let stderr = String::from_utf8(wrong.stderr).unwrap();
    assert!(
        stderr.contains("zc::batch::bad_header") && stderr.contains("--encoding gb18030"),
        "{stderr}"
    );
}

#[test]
fn unknown_columns_warn_once_with_suggestions() {
    let reg = temp(
        "unknown.csv",
        "编号,高薪技术企业,首次上规模\nA,1,1\nB,0,0\n".as_bytes(),
    );
    let out = zhengce()
        .args([
            "batch",
            policy().to_str().unwrap(),
            "--date",
            "2024-06-01",
            "--facts",
            reg.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr.matches("zc::batch::passthrough_column").count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains("“编号”、“高薪技术企业”"), "{stderr}");
    assert!(stderr.contains("您是否想写：高新技术企业"), "{stderr}");
    let (header, rows) = table(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(&header[..2], ["编号", "高薪技术企业"]);
    assert_eq!(rows[0][..2], ["A", "1"]);
}

#[test]
fn strict_refuses_unknown_columns() {
    let reg = temp("strict.csv", "编号,高新技术企业\nA,1\n".as_bytes());
    let out = zhengce()
        .args([
            "batch",
            policy().to_str().unwrap(),
            "--strict",
            "--facts",
            reg.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("zc::batch::unknown_column") && stderr.contains("“编号”"),
        "{stderr}"
    );
}

#[test]
fn jsonl_in_and_out() {
    let program = program();
    let input = "{\"id\": \"A\", \"高新技术企业\": true, \"高企认定类型\": \"首次认定\", \"首次上规模\": 1}\n\
                 \n\
                 {\"id\": \"B\", \"高新技术企业\": \"否\"}\n\
                 {\"id\": \"C\", \"研发投入新增额\": \"很多\"}\n\
                 not json\n";
    let cfg = BatchConfig {
        input: InputFormat::Jsonl,
        output: OutputFormat::Jsonl,
        ..config()
    };
    let (out, summary, rep) = run(&program, input, &cfg);
    let rows: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0]["id"], "A");
    assert_eq!(rows[0]["十三-2"], "200000.00");
    assert_eq!(rows[0]["十三-4"], "300000.00");
    assert_eq!(rows[0]["合计"], "500000.00");
    // 十三-2 is 最高 20万元, 十三-4 a fixed 30万元.
    assert_eq!(rows[0]["定额"], "300000.00");
    assert_eq!(rows[0]["最高"], "200000.00");
    assert_eq!(rows[0]["酌定项数"], 0);
    assert_eq!(rows[2]["status"], "error");
    assert!(rows[2]["合计"].is_null());
    assert!(rows[1]["十三-2"].is_null());
    assert!(
        rows[2]["状态"]
            .as_str()
            .unwrap()
            .starts_with("错误：研发投入新增额“很多”")
    );
    assert!(
        rows[3]["状态"]
            .as_str()
            .unwrap()
            .starts_with("错误：不是 JSON 对象")
    );
    assert_eq!(
        rep.errors.iter().map(RowError::row).collect::<Vec<_>>(),
        [4, 5]
    );
    assert_eq!(summary.total.0, dec("500000"));
}

#[test]
fn a_filled_in_template_is_a_register() {
    let out = zhengce()
        .args(["facts", "--template", "csv", policy().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let template = String::from_utf8(out.stdout).unwrap();
    let mut lines = template.lines();
    let header = lines.next().unwrap();
    assert_eq!(header.split(',').count(), register::COLUMNS.len() - 1);
    assert!(lines.next().unwrap().contains("金额（元"));
    let program = program();
    let (out, summary, rep) = run(&program, &template, &config());
    assert_eq!(summary.rows, 0, "the type line is not an entity");
    assert!(rep.warnings.is_empty(), "{:?}", rep.warnings);
    assert_eq!(out.lines().count(), 1);
    let json = zhengce()
        .args(["facts", "--template", "json", policy().to_str().unwrap()])
        .output()
        .unwrap();
    let doc: HashMap<String, serde_json::Value> = serde_json::from_slice(&json.stdout).unwrap();
    assert!(doc["研发投入新增额"].is_null());
    let toml = zhengce()
        .args(["facts", "--template", "toml", policy().to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8(toml.stdout).unwrap();
    assert!(
        text.contains(
            "# 研发投入新增额：金额（元，或写 800万元）\n# \"研发投入新增额\" = \"800万元\""
        ),
        "{text}"
    );
}

const BUDGETED: &str = "词汇 {\n  高新技术企业: 是否\n  研发投入: 金额\n  置换车辆数: 数量(辆)\n}\n\
政策 《测试预算》 {\n  预算 50万元\n  分担 市 50% 区县 50%\n\
  一 对 高新技术企业 给予 20万元\n\
  二 对 研发投入 超过 300万元 给予 研发投入 的 20%，最高 100万元\n\
  三 对 高新技术企业 给予 按 置换车辆数 每辆 1万元\n}\n";

#[test]
fn exposure_bounds_clauses_and_compares_the_register_with_the_budget() {
    let zc = temp("budget.zc", BUDGETED.as_bytes());
    let out = zhengce()
        .args(["exposure", zc.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    // One unit per column, named in the header: 20万元 and 100万元 are
    // whole hundreds of 元, so the column is in 万元.
    assert!(
        text.contains("单个主体最高（万元）")
            && text.contains("┆ 20 ")
            && text.contains("┆ 100 ")
            && text.contains("无上限"),
        "{text}"
    );
    let reg = temp(
        "budget.csv",
        "id,高新技术企业,研发投入,置换车辆数\nA,1,1000万元,2\nB,1,0,0\nC,0,400万元,0\n".as_bytes(),
    );
    let out = zhengce()
        .args([
            "exposure",
            zc.to_str().unwrap(),
            "--format",
            "json",
            "--date",
            "2024-06-01",
            "--facts",
            reg.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let p = &doc["policies"][0];
    assert_eq!(p["clauses"][0]["worst_case"], "200000.00");
    assert_eq!(p["clauses"][1]["worst_case"], "1000000.00");
    assert!(p["clauses"][2]["worst_case"].is_null() && p["clauses"][2]["unbounded"] == true);
    assert!(p["unbounded"] == true);
    // A: 20万 + 100万 + 2万; B: 20万; C: 80万.
    assert_eq!(p["register"]["paid"], "2220000.00");
    assert_eq!(p["register"]["beneficiaries"], 3);
    assert_eq!(p["register"]["budget_balance"], "-1720000.00");
    assert_eq!(p["register"]["over_budget"], true);
}

#[test]
fn exposure_floors_after_caps_and_shows_the_discretionary_part() {
    // tests/cases/金额不为负.zc: facts ≥ 0, so 逗号封顶/顿号封顶 are at most
    // 100万元 − 0, 再给 30万元, 分档 较高者(10万元 − 0, 20万元) = 20万元, 酌定 capped
    // at 100万元: 100 + 100 + 30 + 20 + 100 = 350万元, of which 100万元 酌定.
    let out = zhengce()
        .args(["exposure", "tests/cases/金额不为负.zc", "--format", "json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let p = &doc["policies"][0];
    assert_eq!(p["worst_case"], "3500000.00");
    assert_eq!(p["discretionary_part"], "1000000.00");
    let discretionary: Vec<bool> = p["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["discretionary"].as_bool().unwrap())
        .collect();
    assert_eq!(discretionary, [false, false, false, false, true]);
}

/// A policy over a 名次 that the register does not give: `--rank`
/// computes it from a score column.
const RANK_POLICY: &str = "词汇 { 街道：是否  全区排名：名次  所属区县：文本 }
“前三” 对 街道 且 全区排名 前3名 给予 10万元
“分档” 对 街道 且 全区排名 为 第1名、第2名 分别 给予 50万元、30万元
";

/// `zhengce batch` over `register` with the extra arguments; the rows
/// (编号, 前三, 分档, 合计, 状态) and the exit code and stderr.
fn rank_run(name: &str, register: &str, extra: &[&str]) -> (Vec<Vec<String>>, Option<i32>, String) {
    let policy = temp(&format!("{name}.zc"), RANK_POLICY.as_bytes());
    let reg = temp(&format!("{name}.csv"), register.as_bytes());
    let mut args = vec![
        "batch",
        policy.to_str().unwrap(),
        "--date",
        "2024-06-01",
        "--facts",
        reg.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let out = zhengce().args(&args).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let rows = if stdout.is_empty() {
        Vec::new()
    } else {
        let (header, rows) = table(&stdout);
        let at = |c: &str| header.iter().position(|h| h == c).unwrap();
        let cols = ["编号", "前三", "分档", "合计", "状态"].map(at);
        rows.iter()
            .map(|r| cols.iter().map(|&i| r[i].clone()).collect())
            .collect()
    };
    (
        rows,
        out.status.code(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn rows_of(text: &[[&str; 5]]) -> Vec<Vec<String>> {
    text.iter()
        .map(|r| r.iter().map(|c| (*c).to_string()).collect())
        .collect()
}

#[test]
fn rank_ranks_rows_by_score_with_ties_and_missing_scores() {
    // Highest first, standard competition ranking: F 95 → 1, A 90 → 2,
    // B and C 85 → 3 and 3, D 80 → 5 (not 4), G 70 → 6; E has no score,
    // so no rank: 待定 on both clauses.
    // 前三 (≤ 3): F, A, B, C get 10万元; D (5) does not; G is not a 街道.
    // 分档: F (1) 50万元, A (2) 30万元, nobody else.
    let register = "编号,街道,综合得分\n\
                    A,是,90\n\
                    B,是,85\n\
                    C,是,85\n\
                    D,是,80\n\
                    E,是,\n\
                    F,是,95\n\
                    G,否,70\n";
    let (rows, code, stderr) = rank_run("rank", register, &["--rank", "全区排名=综合得分"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        rows,
        rows_of(&[
            ["A", "100000.00", "300000.00", "400000.00", "可获得"],
            ["B", "100000.00", "", "100000.00", "可获得"],
            ["C", "100000.00", "", "100000.00", "可获得"],
            ["D", "", "", "0.00", "不适用"],
            ["E", "", "", "0.00", "待定（缺 1 项）"],
            ["F", "100000.00", "500000.00", "600000.00", "可获得"],
            ["G", "", "", "0.00", "不适用"],
        ])
    );
    // The computed fact is not reported as absent from the register.
    assert!(!stderr.contains("zc::batch::absent_facts"), "{stderr}");
}

#[test]
fn rank_by_ranks_each_group_apart() {
    // 西湖区: A 90 → 1, B 85 → 2. 滨江区: D 88 → 1, C 85 → 2. E has no
    // 所属区县, so no list and no rank (待定), whatever its score.
    // F's score is not a number: that row's error, and exit 1.
    let register = "编号,街道,所属区县,综合得分\n\
                    A,是,西湖区,90\n\
                    B,是,西湖区,85\n\
                    C,是,滨江区,85\n\
                    D,是,滨江区,88\n\
                    E,是,,99\n\
                    F,是,滨江区,abc\n";
    let (rows, code, stderr) = rank_run(
        "rank_by",
        register,
        &["--rank", "全区排名=综合得分", "--rank-by", "所属区县"],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        &rows[..5],
        rows_of(&[
            ["A", "100000.00", "500000.00", "600000.00", "可获得"],
            ["B", "100000.00", "300000.00", "400000.00", "可获得"],
            ["C", "100000.00", "300000.00", "400000.00", "可获得"],
            ["D", "100000.00", "500000.00", "600000.00", "可获得"],
            ["E", "", "", "0.00", "待定（缺 1 项）"],
        ])
        .as_slice()
    );
    assert!(rows[5][4].starts_with("错误"), "{:?}", rows[5]);
    assert!(
        stderr.contains("error[zc::batch::bad_cell]: 第 7 行，列“综合得分”的值“abc”"),
        "{stderr}"
    );
}

#[test]
fn rank_refuses_standard_input_and_bad_specs() {
    let policy = temp("rank_stdin.zc", RANK_POLICY.as_bytes());
    let out = zhengce()
        .args([
            "batch",
            policy.to_str().unwrap(),
            "--facts",
            "-",
            "--rank",
            "全区排名=综合得分",
        ])
        .write_stdin("编号,街道,综合得分\nA,是,90\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("zc::batch::rank_stdin"), "{stderr}");

    let plain = "编号,街道,综合得分\nA,是,90\n";
    let given = "编号,街道,全区排名,综合得分\nA,是,2,90\n";
    for (register, spec, code, words) in [
        (
            plain,
            "全区排名=得分",
            "zc::batch::rank_spec",
            "没有分数列“得分”",
        ),
        (
            plain,
            "街道=综合得分",
            "zc::batch::rank_spec",
            "“街道”的类型不是 名次",
        ),
        (
            plain,
            "排名=综合得分",
            "zc::batch::rank_spec",
            "“排名”不在词汇中",
        ),
        (
            given,
            "全区排名=综合得分",
            "zc::batch::rank_spec",
            "登记表已有“全区排名”列",
        ),
    ] {
        let (rows, exit, stderr) = rank_run("rank_spec", register, &["--rank", spec]);
        assert_eq!(exit, Some(1), "{spec}: {stderr}");
        assert!(rows.is_empty(), "{spec}");
        assert!(
            stderr.contains(code) && stderr.contains(words),
            "{spec}: {stderr}"
        );
    }
}

#[test]
fn rank_cells_and_facts_refuse_ranks_that_do_not_exist() {
    // A register that gives the 名次 itself: 3 and 第1名 are ranks; 0,
    // -1 and 2.5 are not, and each is its row's bad_cell.
    let register = "编号,街道,全区排名\nA,是,3\nB,是,第1名\nC,是,0\nD,是,-1\nE,是,2.5\n";
    let (rows, code, stderr) = rank_run("rank_cells", register, &[]);
    assert_eq!(code, Some(1), "{stderr}");
    // A (3): 前三 only; B (1): both.
    assert_eq!(rows[0][3], "100000.00");
    assert_eq!(rows[1][3], "600000.00");
    for (row, line, value) in [(2, 4, "0"), (3, 5, "-1"), (4, 6, "2.5")] {
        assert!(rows[row][4].starts_with("错误"), "{:?}", rows[row]);
        assert!(
            stderr.contains(&format!(
                "error[zc::batch::bad_cell]: 第 {line} 行，列“全区排名”的值“{value}”"
            )),
            "{stderr}"
        );
    }
    // A facts file: the same words, as zc::facts::bad_value.
    let policy = temp("rank_facts.zc", RANK_POLICY.as_bytes());
    for (value, why) in [
        ("0", "没有 0 或负的名次"),
        ("\"第0名\"", "没有 0 或负的名次"),
        ("2.5", "名次不能有小数"),
        ("\"第2.5名\"", "名次不能有小数"),
    ] {
        let facts = temp(
            "rank_facts.json",
            format!("{{\"街道\": true, \"全区排名\": {value}}}").as_bytes(),
        );
        let out = zhengce()
            .args([
                "eval",
                policy.to_str().unwrap(),
                "--date",
                "2024-06-01",
                "--facts",
                facts.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert_ne!(out.status.code(), Some(0), "{value}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains("zc::facts::bad_value") && stderr.contains(why),
            "{value}: {stderr}"
        );
    }
}

#[test]
fn rank_reads_json_lines() {
    // JSON Lines: the same ranks as CSV (甲 2, 乙 1, 丙 none).
    let policy = temp("rank_jsonl.zc", RANK_POLICY.as_bytes());
    let reg = temp(
        "rank.jsonl",
        "{\"编号\": \"甲\", \"街道\": true, \"综合得分\": 80}\n\
         {\"编号\": \"乙\", \"街道\": true, \"综合得分\": \"91.5\"}\n\
         {\"编号\": \"丙\", \"街道\": true, \"综合得分\": null}\n"
            .as_bytes(),
    );
    let out = zhengce()
        .args([
            "batch",
            policy.to_str().unwrap(),
            "--date",
            "2024-06-01",
            "--facts",
            reg.to_str().unwrap(),
            "--rank",
            "全区排名=综合得分",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let (header, rows) = table(&String::from_utf8(out.stdout).unwrap());
    let total = header.iter().position(|h| h == "合计").unwrap();
    let totals: Vec<&str> = rows.iter().map(|r| r[total].as_str()).collect();
    // 甲 (2): 10万元 + 30万元; 乙 (1): 10万元 + 50万元; 丙: 0 (待定).
    assert_eq!(totals, ["400000.00", "600000.00", "0.00"]);
}

#[test]
fn ranks_in_chinese_numerals_read_in_cells_and_facts() {
    // 第二名 is 2: 前三 10万元 and the second tier 30万元 = 40万元; 第十名
    // is 10, in neither; 第零名 is no rank.
    let register = "编号,街道,全区排名\nA,是,第二名\nB,是,第十名\nC,是,第零名\n";
    let (rows, code, stderr) = rank_run("rank_cn_cells", register, &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(rows[0][3], "400000.00", "{rows:?}");
    assert_eq!(rows[1][3], "0.00", "{rows:?}");
    assert!(rows[2][4].starts_with("错误"), "{:?}", rows[2]);
    assert!(stderr.contains("没有 0 或负的名次"), "{stderr}");
}

/// `给予 额度`: the register cell is the quota in its unit, the money
/// columns never count it, and the summary sums it unit by unit.
#[test]
fn quotas_are_cells_and_summed_by_unit_never_money() {
    let dir = std::env::temp_dir().join(format!("zc-quota-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("额度.zc");
    std::fs::write(
        &file,
        "允许 missing-source\n\
         词汇 { 示范基地：是否  实际使用土地指标：数量（亩）  外贸小微企业：是否  结售汇总额：金额 }\n\
         政策 《额度》 {\n\
         \u{20}\u{20}施行 2024年1月1日 起\n\
         \u{20}\u{20}“土地” 对 示范基地 给予 额度 实际使用土地指标 的 50% “土地指标奖励”\n\
         \u{20}\u{20}“保函” 对 外贸小微企业 给予 额度 不超过 结售汇总额 的 8% “担保保函”\n\
         \u{20}\u{20}“奖” 对 外贸小微企业 给予 1万元 奖励\n\
         }\n",
    )
    .unwrap();
    let program = zhengce::internals::load::compile(&[file]).unwrap().program;
    let input = "示范基地,实际使用土地指标,外贸小微企业,结售汇总额\n\
                 是,250亩,是,500万元\n\
                 是,85.5亩,否,\n";
    let (out, summary, _) = run(&program, input, &config());
    let (header, rows) = table(&out);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    // Row 1: 250亩 × 50% = 125亩; 500万元 × 8% = 40万元 (a ceiling); 1万元 paid.
    assert_eq!(rows[0][col("土地")], "额度 125亩");
    assert_eq!(rows[0][col("保函")], "额度 40万元");
    assert_eq!(rows[0][col("合计")], "10000.00");
    // Row 2: 85.5亩 × 50% = 42.75亩; nothing paid.
    assert_eq!(rows[1][col("土地")], "额度 42.75亩");
    assert_eq!(rows[1][col("合计")], "0.00");
    // Money: only the 1万元. Quotas: 125 + 42.75 = 167.75亩, and 40万元.
    assert_eq!(summary.total.0, dec("10000"));
    let quotas: Vec<(String, String)> = summary
        .quotas
        .iter()
        .map(|q| (q.unit.clone(), q.amount.clone()))
        .collect();
    assert_eq!(
        quotas,
        [
            ("亩".to_string(), "167.75".to_string()),
            ("元".to_string(), "400000.00".to_string())
        ]
    );
    let land = summary.clauses.iter().find(|c| c.clause == "土地").unwrap();
    assert_eq!(land.amount.0, Decimal::ZERO);
    assert!(
        summary
            .human()
            .contains("额度（不付钱的额度和指标，不计入合计）：土地 167.75亩；保函 40万元")
    );
    std::fs::remove_dir_all(&dir).ok();
}
