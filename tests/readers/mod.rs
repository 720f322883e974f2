//! The register and facts readers' properties, shared by the stable
//! smoke test (`tests/reader_props.rs`) and the `reader` fuzz target
//! (`fuzz/`), which includes this file by path: over any bytes, the
//! register reader (CSV and JSON Lines, UTF-8 and GB18030) and the facts
//! reader (JSON and TOML) never panic; every refusal and every row error
//! has a stable code; a facts diagnostic's labels lie inside the file on
//! character boundaries, and a row error names a row of the register;
//! every row read comes out, and no total is negative.
use crate::generate::{self, Bytes};
use crate::pipeline::check_spans;

use std::io::Cursor;
use std::sync::OnceLock;

use chrono::NaiveDate;
use miette::Diagnostic;
use zhengce::internals::batch::{self, BatchConfig, Collect, Encoding, InputFormat, OutputFormat};
use zhengce::internals::eval::EvalConfig;
use zhengce::internals::program::Program;
use zhengce::internals::source::SourceFile;

/// One word of every type, and clauses reading them.
const POLICY: &str = "词汇 {
  高新技术企业: 是否
  认定类型: 首次认定 | 重新认定
  星级: 一星 < 二星 < 三星
  研发投入: 金额
  补贴比例: 比例
  成立日期: 日期
  注册地: 文本
  置换车辆数: 数量(辆)
}
政策 《读取》 {
  分担 市 50% 区县 50%
  （一） 对 高新技术企业 且 注册地 为 “杭州市” 给予 研发投入 的 补贴比例，最高 100万元
  （二） 对 星级 二星 及以上 且 成立日期 < 2024年1月1日 给予 按 置换车辆数 每辆 1万元
  （三） 对 认定类型 为 首次认定、重新认定 分别 给予 20万元、10万元
}
";

fn program() -> &'static Program {
    static P: OnceLock<Program> = OnceLock::new();
    P.get_or_init(|| {
        let module =
            zhengce::internals::syntax::parse(&SourceFile::new("读取.zc", POLICY)).unwrap();
        zhengce::internals::check::check(&[module]).unwrap().program
    })
}

const KEYS: &[&str] = &[
    "高新技术企业",
    "认定类型",
    "星级",
    "研发投入",
    "研发投入（万元）",
    "补贴比例",
    "成立日期",
    "注册地",
    "置换车辆数",
    "申报日期",
    "id",
    " id ",
    "研发投人",
    "",
];

const CELLS: &[&str] = &[
    "是",
    "否",
    "1",
    "0",
    "TRUE",
    "首次认定",
    "二星",
    "800万元",
    "1,200,000",
    "12,00",
    "-5元",
    "1e400",
    "79228162514264337593543950335",
    "20%",
    "0.5",
    "2023-01-15",
    "2024年2月30日",
    "24-1-1",
    "-2024-01-01",
    "杭州市",
    " 杭州市 ",
    "3辆",
    "",
    "\"a,b\"",
    "\"unclosed",
    "\u{feff}",
    "\r",
];

/// A register, CSV or JSON Lines, near-valid: keys and cells from the
/// lists above, then mutated.
pub fn register(b: &mut Bytes<'_>, jsonl: bool) -> Vec<u8> {
    let width = 1 + b.pick(6);
    let keys: Vec<&str> = (0..width).map(|_| b.one(KEYS)).collect();
    let mut text = String::new();
    if !jsonl {
        text.push_str(&keys.join(","));
        text.push('\n');
    }
    for _ in 0..b.pick(6) {
        let cells: Vec<&str> = (0..width + b.pick(2)).map(|_| b.one(CELLS)).collect();
        if jsonl {
            let pairs: Vec<String> = keys
                .iter()
                .zip(&cells)
                .map(|(k, v)| match b.pick(4) {
                    0 => format!("{k:?}: null"),
                    1 => format!(
                        "{k:?}: {}",
                        b.one(&["true", "1", "-1", "[1]", "{}", "1e999"])
                    ),
                    _ => format!("{k:?}: {v:?}"),
                })
                .collect();
            text.push_str(&format!("{{{}}}", pairs.join(", ")));
        } else {
            text.push_str(&cells.join(","));
        }
        text.push_str(b.one(&["\n", "\r\n", "\n\n", ""]));
    }
    let mut bytes = generate::mutate(b, &text).into_bytes();
    // And a few raw bytes: invalid UTF-8, invalid GB18030, NUL.
    for _ in 0..b.pick(3) {
        let at = b.pick(bytes.len() + 1);
        bytes.insert(at, *b.one_byte(&[0xff, 0x80, 0x81, 0xfe, 0x00, 0xe8]));
    }
    bytes
}

/// Byte helpers the shared generator does not have.
pub trait OneByte {
    fn one_byte<'b>(&mut self, items: &'b [u8]) -> &'b u8;
}

impl OneByte for Bytes<'_> {
    fn one_byte<'b>(&mut self, items: &'b [u8]) -> &'b u8 {
        &items[self.pick(items.len())]
    }
}

/// Runs a register through `batch` in every format and encoding the
/// first bytes choose, and checks what came back.
pub fn survive_register(bytes: Vec<u8>, jsonl: bool, gb18030: bool, jsonl_out: bool) {
    let lines = bytes.split(|&c| c == b'\n').count() as u64 + 1;
    let config = BatchConfig {
        input: if jsonl {
            InputFormat::Jsonl
        } else {
            InputFormat::Csv
        },
        encoding: if gb18030 {
            Encoding::Gb18030
        } else {
            Encoding::Utf8
        },
        output: if jsonl_out {
            OutputFormat::Jsonl
        } else {
            OutputFormat::Csv
        },
        threads: Some(1),
        chunk_rows: 3,
        block_rows: 2,
        ..BatchConfig::new(EvalConfig::on(NaiveDate::from_ymd_opt(2024, 6, 1).unwrap()))
    };
    let mut out = Vec::new();
    let mut rep = Collect::default();
    match batch::run(
        program(),
        Box::new(Cursor::new(bytes)),
        &mut out,
        &config,
        &mut rep,
    ) {
        Ok(summary) => {
            for e in &rep.errors {
                let code = e.code().map(|c| c.to_string()).unwrap_or_default();
                assert!(code.starts_with("zc::batch::"), "uncoded row error: {e}");
                assert!(
                    (1..=lines).contains(&e.row()),
                    "{code}: row {} of a register of {lines} lines",
                    e.row()
                );
                assert!(!e.to_string().is_empty());
            }
            for w in &rep.warnings {
                assert!(
                    w.code()
                        .is_some_and(|c| c.to_string().starts_with("zc::batch::"))
                );
            }
            // Every row read comes out: none is lost, none invented.
            let text = String::from_utf8(out).unwrap_or_else(|e| {
                panic!(
                    "the result is not UTF-8 from byte {}",
                    e.utf8_error().valid_up_to()
                )
            });
            // A JSON Lines result is one object per line; a CSV result
            // one header line, then its records.
            let written = if jsonl_out {
                text.lines().count() as u64
            } else {
                records(&text)
            };
            assert_eq!(written, summary.rows, "{text}");
            assert_eq!(summary.rows, summary.entities + summary.errors);
            assert!(
                summary.total >= zhengce::internals::num::Money::ZERO,
                "a negative total"
            );
        }
        Err(e) => {
            let code = e.code().map(|c| c.to_string()).unwrap_or_default();
            assert!(code.starts_with("zc::batch::"), "uncoded refusal: {e}");
        }
    }
}

/// A facts file as bytes: loaded as the CLI loads it (UTF-8 first), then
/// read against the vocabulary.
pub fn survive_facts(name: &str, bytes: Vec<u8>) {
    let len = bytes.len();
    let source = match zhengce::internals::load::decode(name.to_string(), bytes) {
        Ok(s) => s,
        Err(e) => {
            assert_eq!(
                e.code().map(|c| c.to_string()).as_deref(),
                Some("zc::load::invalid_utf8")
            );
            for l in e.labels().into_iter().flatten() {
                assert!(
                    !l.is_empty() && l.offset() + l.len() <= len,
                    "label outside the file"
                );
            }
            check_spans(&e);
            return;
        }
    };
    if let Err(errors) = zhengce::internals::facts::load(&program().vocab, &source) {
        assert!(!errors.is_empty());
        for e in &errors {
            let code = e.code().map(|c| c.to_string()).unwrap_or_default();
            assert!(code.starts_with("zc::facts::"), "uncoded: {e}");
            assert!(check_spans(e) > 0, "{code}: no label");
        }
    }
}

/// The records of a CSV text after its header (quoted line breaks stay
/// inside their record).
fn records(text: &str) -> u64 {
    let mut n = 0u64;
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => n += 1,
            _ => {}
        }
    }
    n.saturating_sub(1)
}
