//! `zhengce lsp` driven by a scripted client over pipes: the real binary,
//! the fixtures in tests/lsp/, exact responses. Positions are LSP's (line
//! from 0, column in UTF-16 units) and were counted by hand from the
//! fixture lines quoted next to them.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

/// A client speaking JSON-RPC with LSP's `Content-Length` framing.
struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Notifications received while waiting for responses.
    notes: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start(init_options: Value, root: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_zhengce"))
            .args(["lsp", "--stdio"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            loop {
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if out.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        len = n.parse().unwrap();
                    }
                }
                let mut body = vec![0; len];
                out.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut c = Client {
            child,
            stdin,
            incoming,
            notes: Vec::new(),
            next_id: 0,
        };
        let init = c.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(root),
                "capabilities": {},
                "initializationOptions": init_options,
            }),
        );
        assert_eq!(init["serverInfo"]["name"], "zhengce");
        c.notify("initialized", json!({}));
        c
    }

    fn send(&mut self, msg: &Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn recv(&mut self) -> Value {
        self.incoming
            .recv_timeout(Duration::from_secs(30))
            .expect("the server did not answer within 30 s")
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The whole response (result or error) to a request.
    fn response(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self.recv();
            if m["id"] == json!(id) {
                return m;
            }
            self.notes.push(m);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let r = self.response(method, params);
        assert!(r.get("error").is_none(), "{method}: {r}");
        r["result"].clone()
    }

    /// The next `publishDiagnostics` for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Value {
        if let Some(i) = self.notes.iter().position(|n| {
            n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri
        }) {
            return self.notes.remove(i)["params"]["diagnostics"].clone();
        }
        loop {
            let m = self.recv();
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri {
                return m["params"]["diagnostics"].clone();
            }
            self.notes.push(m);
        }
    }

    fn open(&mut self, path: &Path) -> String {
        let u = uri(path);
        let text = std::fs::read_to_string(path).unwrap();
        self.open_text(&u, &text);
        u
    }

    fn open_text(&mut self, u: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": u, "languageId": "zhengce", "version": 1, "text": text}}),
        );
    }

    /// Waits until the server has handled everything sent so far (it
    /// answers in order), then forgets the notifications received.
    fn settle(&mut self) {
        let r = self.response("zhengce/settle", Value::Null);
        assert_eq!(r["error"]["code"], -32601);
        self.notes.clear();
    }

    fn finish(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r, Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status}");
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/lsp")
        .canonicalize()
        .unwrap()
}

/// `file://` and the path, each segment percent-encoded as editors send it.
fn uri(path: &Path) -> String {
    let mut s = String::from("file://");
    for seg in path.to_str().unwrap().split('/').filter(|s| !s.is_empty()) {
        s.push('/');
        for b in seg.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                s.push(b as char);
            } else {
                s.push_str(&format!("%{b:02X}"));
            }
        }
    }
    s
}

fn pos(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

fn range(l1: u32, c1: u32, l2: u32, c2: u32) -> Value {
    json!({"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}})
}

fn start() -> (Client, PathBuf) {
    let dir = fixtures();
    let c = Client::start(json!({"date": "2025-06-01"}), &dir);
    (c, dir)
}

// 政策.zc, the lines the tests point into (0-based, as LSP counts):
//  3 `定义 认定企业 = 高新技术企业 且 认定类型 为 首次认定`
//  8 `  第一条 对 认定企业 给予 奖励标准 奖励`
//  9 `         原文 「对首次认定的高新技术企业，给予奖励。」`
// 10 `         事项 “认定奖励”`
// 12 `  第二条 对 研发投入 超过 500万元 给予 研发投入 的 10%，最高 100万元 补助`
// 16 `      高新技术企业：是`
// 24 `    期望 第二条 给予 80万元`
// 29 `      高新技术企业：否`
// 34 `    期望 第二条 给予 90万元`
// 词汇.zc: 2 `  高新技术企业：是否`, 3 `  认定类型：…`, 5 `  员工人数：数量（人）`,
// 8 `参数 奖励标准 {`.

#[test]
fn diagnostics_carry_codes_help_and_utf16_columns() {
    let (mut c, dir) = start();
    let e = c.open(&dir.join("错误.zc"));
    // `第一条 对 “𠀀类” 或 高薪技术企业 给予 20万元`: “ is column 6; 𠀀 lies
    // outside the BMP and takes two UTF-16 units (7–8), so 类 is 9, ” is 10
    // and the span ends at 11; 或 is 12 and 高薪技术企业 covers 14–20.
    let fallback = "先在 词汇 中声明它（如 词汇 { 𠀀类: 是否 }），或用 定义 给它下定义；文本值请加引号，如 “𠀀类”";
    assert_eq!(
        c.diagnostics(&e),
        json!([
            {
                "range": range(2, 6, 2, 11),
                "severity": 1,
                "code": "zc::check::unknown_word",
                "source": "zhengce",
                "message": format!("未定义的词：𠀀类\n帮助：{fallback}"),
                "data": {"help": fallback},
            },
            {
                "range": range(2, 14, 2, 20),
                "severity": 1,
                "code": "zc::check::unknown_word",
                "source": "zhengce",
                "message": "未定义的词：高薪技术企业\n帮助：您是否想写：高新技术企业？",
                "data": {"help": "您是否想写：高新技术企业？"},
            },
        ])
    );
    let p = c.open(&dir.join("政策.zc"));
    let help =
        "在条款后加 原文 「…」 引用它所编码的政策原句，便于核对\n如确属本意：允许 missing-source";
    assert_eq!(
        c.diagnostics(&p),
        json!([{
            "range": range(12, 2, 12, 47),
            "severity": 2,
            "code": "zc::lint::missing_source",
            "source": "zhengce",
            "message": format!("条款“第二条”没有原文\n帮助：{help}"),
            "data": {"help": help},
        }])
    );
    // The fix: the file is clean again.
    c.settle();
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": e, "version": 2},
            "contentChanges": [{"text": "引用 “词汇.zc”\n\n第一条 对 高新技术企业 给予 20万元 原文 「对高新技术企业给予20万元。」\n"}],
        }),
    );
    assert_eq!(c.diagnostics(&e), json!([]));
    c.finish();
}

#[test]
fn a_did_you_mean_becomes_a_quick_fix() {
    let (mut c, dir) = start();
    let e = c.open(&dir.join("错误.zc"));
    let diags = c.diagnostics(&e);
    let fixes = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": e},
            "range": range(2, 14, 2, 20),
            "context": {"diagnostics": diags},
        }),
    );
    // Only the second diagnostic offers a candidate.
    assert_eq!(
        fixes,
        json!([{
            "title": "改为 高新技术企业",
            "kind": "quickfix",
            "diagnostics": [diags[1]],
            "edit": {"changes": {e.clone(): [{"range": range(2, 14, 2, 20), "newText": "高新技术企业"}]}},
            "isPreferred": true,
        }])
    );
    c.finish();
}

fn hover_text(c: &mut Client, uri: &str, line: u32, col: u32) -> (String, Value) {
    let h = c.request("textDocument/hover", pos(uri, line, col));
    assert_eq!(h["contents"]["kind"], "markdown");
    (
        h["contents"]["value"].as_str().unwrap().to_string(),
        h["range"].clone(),
    )
}

#[test]
fn hover_explains_words_definitions_parameters_and_clauses() {
    let (mut c, dir) = start();
    let p = c.open(&dir.join("政策.zc"));
    let v = c.open(&dir.join("词汇.zc"));
    // 高新技术企业 at 3:10–16, declared on line 3 (1-based) of 词汇.zc.
    assert_eq!(
        hover_text(&mut c, &p, 3, 12),
        (
            "**高新技术企业**（事实）\n\n类型：是否\n\n声明于 词汇.zc:3".into(),
            range(3, 10, 3, 16)
        )
    );
    // 认定类型 at 3:19–23.
    assert_eq!(
        hover_text(&mut c, &p, 3, 19).0,
        "**认定类型**（事实）\n\n类型：枚举\n\n取值：首次认定、重新认定、复审通过\n\n声明于 词汇.zc:4"
    );
    // 首次认定 at 3:26–30, a value of 认定类型.
    assert_eq!(
        hover_text(&mut c, &p, 3, 27),
        (
            "**首次认定**（枚举取值）\n\n认定类型 的取值：首次认定 | 重新认定 | 复审通过\n\n声明于 词汇.zc:4".into(),
            range(3, 26, 3, 30)
        )
    );
    // 员工人数 where it is declared: its unit.
    assert_eq!(
        hover_text(&mut c, &v, 5, 3).0,
        "**员工人数**（事实）\n\n类型：数量(人)\n\n单位：人\n\n声明于 词汇.zc:6"
    );
    // 认定企业 at 8:8–12: the definition's body.
    assert_eq!(
        hover_text(&mut c, &p, 8, 9),
        (
            "**认定企业**（定义，条件）\n\n```zhengce\n定义 认定企业 = 高新技术企业 且 认定类型 为 首次认定\n```\n\n定义于 政策.zc:4".into(),
            range(8, 8, 8, 12)
        )
    );
    // 奖励标准 at 8:16–20, on the evaluation date 2025-06-01: the value
    // from 2025年1月1日, 30万元.
    assert_eq!(
        hover_text(&mut c, &p, 8, 16),
        (
            "**奖励标准**（参数，金额）\n\n2025年6月1日 的取值：30万元\n\n- 2024年1月1日 起：20万元\n- 2025年1月1日 起：30万元\n\n声明于 词汇.zc:9".into(),
            range(8, 16, 8, 20)
        )
    );
    // The label 第一条 (8:2–5): 原文, matter, window (the policy's) and kind.
    assert_eq!(
        hover_text(&mut c, &p, 8, 3),
        (
            "**第一条**（《测试区高新技术企业奖励办法》）\n\n类别：给予（定额）\n\n原文：「对首次认定的高新技术企业，给予奖励。」\n\n事项：认定奖励\n\n施行：2024年1月1日 至 2026年12月31日（随政策）".into(),
            range(8, 2, 8, 5)
        )
    );
    // 超过 (12:13) is no word: the hover is about the whole clause 第二条.
    assert_eq!(
        hover_text(&mut c, &p, 12, 13),
        (
            "**第二条**（《测试区高新技术企业奖励办法》）\n\n类别：给予（定额）\n\n原文：未写明\n\n事项：未写明（以条款标签计）\n\n施行：2024年1月1日 至 2026年12月31日（随政策）".into(),
            range(12, 2, 12, 47)
        )
    );
    c.finish();
}

#[test]
fn the_evaluation_date_defaults_to_today_and_must_be_a_date() {
    let dir = fixtures();
    let mut c = Client::start(Value::Null, &dir);
    let p = c.open(&dir.join("政策.zc"));
    // Any date from 2025年1月1日 on reads 30万元; the test runs later.
    let (text, _) = hover_text(&mut c, &p, 8, 16);
    assert!(text.contains("的取值：30万元"), "{text}");
    c.finish();

    let mut child = Command::new(env!("CARGO_BIN_EXE_zhengce"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"capabilities": {}, "initializationOptions": {"date": "2025-13-01"}}})
    .to_string();
    let mut stdin = child.stdin.take().unwrap();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let reply: Value = serde_json::from_str(text.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(reply["error"]["code"], -32602);
    assert_eq!(
        reply["error"]["message"],
        "initializationOptions.date “2025-13-01”不是有效日期，应为 YYYY-MM-DD"
    );
}

#[test]
fn definitions_and_references_cross_files() {
    let (mut c, dir) = start();
    let p = c.open(&dir.join("政策.zc"));
    let v = uri(&dir.join("词汇.zc"));
    let e = uri(&dir.join("错误.zc"));
    let at = |u: &str, r: Value| json!({"uri": u, "range": r});
    // 认定企业 (8:8) → its 定义 on line 3.
    assert_eq!(
        c.request("textDocument/definition", pos(&p, 8, 8)),
        at(&p, range(3, 3, 3, 7))
    );
    // 奖励标准 (8:16) → 词汇.zc, through 引用.
    assert_eq!(
        c.request("textDocument/definition", pos(&p, 8, 17)),
        at(&v, range(8, 3, 8, 7))
    );
    // 第二条 in 期望 (24:7) → the clause's label.
    assert_eq!(
        c.request("textDocument/definition", pos(&p, 24, 7)),
        at(&p, range(12, 2, 12, 5))
    );
    // From the vocabulary file, every use in the files that include it:
    // 政策.zc (the definition on line 3, the two cases' facts on 16 and 29);
    // 错误.zc misspells it and so has none.
    let vu = c.open(&dir.join("词汇.zc"));
    let refs = |with: bool| {
        json!({"textDocument": {"uri": vu}, "position": {"line": 2, "character": 4},
               "context": {"includeDeclaration": with}})
    };
    assert_eq!(
        c.request("textDocument/references", refs(true)),
        json!([
            at(&v, range(2, 2, 2, 8)),
            at(&p, range(3, 10, 3, 16)),
            at(&p, range(16, 6, 16, 12)),
            at(&p, range(29, 6, 29, 12)),
        ])
    );
    assert_eq!(
        c.request("textDocument/references", refs(false)),
        json!([
            at(&p, range(3, 10, 3, 16)),
            at(&p, range(16, 6, 16, 12)),
            at(&p, range(29, 6, 29, 12)),
        ])
    );
    let _ = e;
    c.finish();
}

#[test]
fn rename_reaches_every_file_loaded_together() {
    let (mut c, dir) = start();
    let p = c.open(&dir.join("政策.zc"));
    let v = uri(&dir.join("词汇.zc"));
    let rename = |line, col, new: &str| json!({"textDocument": {"uri": p}, "position": {"line": line, "character": col}, "newName": new});
    assert_eq!(
        c.request("textDocument/prepareRename", pos(&p, 8, 17)),
        range(8, 16, 8, 20)
    );
    // The parameter: declared in 词汇.zc, used once in 政策.zc.
    assert_eq!(
        c.request("textDocument/rename", rename(8, 17, "奖励额度")),
        json!({"changes": {
            v.clone(): [{"range": range(8, 3, 8, 7), "newText": "奖励额度"}],
            p.clone(): [{"range": range(8, 16, 8, 20), "newText": "奖励额度"}],
        }})
    );
    // A name that does not read back as a bare word is quoted.
    assert_eq!(
        c.request("textDocument/rename", rename(8, 9, "5G企业")),
        json!({"changes": {
            p.clone(): [
                {"range": range(3, 3, 3, 7), "newText": "“5G企业”"},
                {"range": range(8, 8, 8, 12), "newText": "“5G企业”"},
            ],
        }})
    );
    // A label: the clause and both 期望 that name it (lines 24 and 34).
    assert_eq!(
        c.request("textDocument/rename", rename(12, 3, "第三条")),
        json!({"changes": {
            p.clone(): [
                {"range": range(12, 2, 12, 5), "newText": "第三条"},
                {"range": range(24, 7, 24, 10), "newText": "第三条"},
                {"range": range(34, 7, 34, 10), "newText": "第三条"},
            ],
        }})
    );
    // A label the parser would not read as one is quoted.
    let quoted = c.request("textDocument/rename", rename(12, 3, "第二条之一"));
    assert_eq!(quoted["changes"][&p][0]["newText"], "“第二条之一”");
    // Names already taken are refused, with the reason.
    let r = c.response("textDocument/rename", rename(8, 9, "研发投入"));
    assert_eq!(r["error"]["code"], -32803);
    assert_eq!(r["error"]["message"], "“研发投入”已被声明，不能重名");
    let r = c.response("textDocument/rename", rename(12, 3, "第一条"));
    assert_eq!(r["error"]["message"], "同一政策中已有条款 第一条");
    c.finish();
}

fn labels(items: &Value) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn completion_follows_the_context() {
    let (mut c, dir) = start();
    // A new, unsaved file beside the fixtures: its 引用 loads 词汇.zc.
    let d = uri(&dir.join("草稿.zc"));
    // It parsed when opened; what is typed since does not, and completion
    // still knows the words of 词汇.zc.
    c.open_text(&d, "引用 “词汇.zc”\n");
    let text = "引用 “词汇.zc”\n对 认定类型 为 \n对 研发投入 超过 500万\n对 研发\n案例 “甲” {\n  事实 {\n    高新技术企业：\n    累\n后 5个\n";
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": d, "version": 2}, "contentChanges": [{"text": text}]}),
    );
    let complete =
        |c: &mut Client, line, col| c.request("textDocument/completion", pos(&d, line, col));
    // After `认定类型 为 `: the values of 认定类型, nothing else.
    let values = complete(&mut c, 1, 9);
    assert_eq!(labels(&values), ["首次认定", "重新认定", "复审通过"]);
    assert_eq!(
        values[0],
        json!({"label": "首次认定", "kind": 20, "detail": "认定类型 的取值", "sortText": "0首次认定",
               "textEdit": {"range": range(1, 9, 1, 9), "newText": "首次认定"}})
    );
    // After `500万`: the money units that start with 万 (元, then the
    // foreign currencies), replacing the 万.
    // `对 研发投入 超过 500万`: 500 is 10–13, 万 13–14.
    let units = complete(&mut c, 2, 14);
    let unit = |label: &str, detail: &str| {
        json!({"label": label, "kind": 11, "detail": detail, "sortText": format!("0{label}"),
               "textEdit": {"range": range(2, 13, 2, 14), "newText": label}})
    };
    assert_eq!(
        units,
        json!([
            unit("万元", "金额单位"),
            unit("万美元", "外币金额单位"),
            unit("万欧元", "外币金额单位"),
            unit("万港元", "外币金额单位"),
        ])
    );
    // After `500`: money units first, then the ratio signs and the units.
    let all = labels(&complete(&mut c, 2, 13));
    assert_eq!(all[..5], ["亿元", "万元", "元", "人", "%"]);
    assert!(all.contains(&"平方米".to_string()), "{all:?}");
    assert!(all.contains(&"元/美元".to_string()), "{all:?}");
    // `研发`: the words that start so.
    let words = complete(&mut c, 3, 4);
    assert_eq!(
        words,
        json!([{"label": "研发投入", "kind": 5, "detail": "金额", "sortText": "0研发投入",
                "textEdit": {"range": range(3, 2, 3, 4), "newText": "研发投入"}}])
    );
    // In a case's 事实, after a yes/no fact: 是 and 否.
    assert_eq!(labels(&complete(&mut c, 6, 11)), ["是", "否"]);
    // At the start of a line: words and keywords.
    let start = labels(&complete(&mut c, 4, 0));
    assert!(start.contains(&"高新技术企业".to_string()) && start.contains(&"给予".to_string()));
    assert!(start.contains(&"奖励标准".to_string()) && start.contains(&"原则上".to_string()));
    // Words read only in their place, and the working days after a number.
    assert_eq!(labels(&complete(&mut c, 7, 5)), ["累计"]);
    assert!(labels(&complete(&mut c, 8, 4)).contains(&"个工作日".to_string()));
    c.finish();
}

#[test]
fn the_outline_lists_policies_and_their_clauses() {
    let (mut c, dir) = start();
    let p = c.open(&dir.join("政策.zc"));
    let s = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": p}}),
    );
    let brief = |v: &Value| {
        json!({"name": v["name"], "kind": v["kind"], "sel": v["selectionRange"],
               "children": v["children"].as_array().map(|cs| cs.iter().map(|c| json!([c["name"], c["kind"]])).collect::<Vec<_>>())})
    };
    let got: Vec<Value> = s.as_array().unwrap().iter().map(brief).collect();
    assert_eq!(
        got,
        [
            json!({"name": "认定企业", "kind": 12, "sel": range(3, 3, 3, 7), "children": null}),
            // 《 at 5:3, 13 characters of title, 》 at 5:17.
            json!({"name": "《测试区高新技术企业奖励办法》", "kind": 2, "sel": range(5, 3, 5, 18),
                   "children": [["第一条", 6], ["第二条", 6], ["首次认定", 24], ["期望有误", 24]]}),
        ]
    );
    // The policy's block runs from 政策 (5:0) to its closing brace (36:1).
    assert_eq!(s[1]["range"], range(5, 0, 36, 1));
    c.finish();
}

#[test]
fn formatting_goes_through_zhengce_fmt() {
    let (mut c, dir) = start();
    let d = uri(&dir.join("格式.zc"));
    c.open_text(&d, "词汇 {\n  甲:是否\n}\n对 甲 给予 20万元\n");
    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": d}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    // The full-width colon of fmt's layout; the edit replaces the whole
    // text, which ends at line 4, column 0.
    assert_eq!(
        edits,
        json!([{"range": range(0, 0, 4, 0), "newText": "词汇 {\n  甲：是否\n}\n对 甲 给予 20万元\n"}])
    );
    let p = c.open(&dir.join("政策.zc"));
    let none = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": p}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(none, json!([]));
    c.finish();
}

#[test]
fn code_lenses_run_cases_and_evaluate_clauses() {
    let (mut c, dir) = start();
    let p = c.open(&dir.join("政策.zc"));
    let path = dir.join("政策.zc").display().to_string();
    let lens = |line, title: &str, cmd: &str, args: Value| json!({"range": range(line, 2, line, 2), "command": {"title": title, "command": cmd, "arguments": args}});
    // 政策.facts.json: 重新认定, so 第一条 does not apply; 2000万 × 10% =
    // 200万, capped at 100万.
    assert_eq!(
        c.request("textDocument/codeLens", json!({"textDocument": {"uri": p}})),
        json!([
            lens(14, "▶ 通过", "zhengce.runCase", json!([path, 0])),
            lens(
                27,
                "✗ 失败：1 项期望不符",
                "zhengce.runCase",
                json!([path, 1])
            ),
            lens(
                8,
                "按 政策.facts.json：不适用",
                "zhengce.evalClause",
                json!([path, 0, 0])
            ),
            lens(
                12,
                "按 政策.facts.json：给予 100万元",
                "zhengce.evalClause",
                json!([path, 0, 1])
            ),
        ])
    );
    // Running the failing case says what differs.
    let r = c.request(
        "workspace/executeCommand",
        json!({"command": "zhengce.runCase", "arguments": [path, 1]}),
    );
    let report = "案例“期望有误”：✗ 失败：1 项期望不符\n期望 第二条 给予 90万元：期望 给予 90万元，实际 给予 80万元";
    assert_eq!(r, json!({"passed": false, "report": report}));
    let shown = c
        .notes
        .iter()
        .find(|n| n["method"] == "window/showMessage")
        .cloned();
    assert_eq!(
        shown.unwrap()["params"],
        json!({"type": 2, "message": report})
    );
    // A clause's lens shows the reasoning on 政策.facts.json.
    c.notes.clear();
    let r = c.request(
        "workspace/executeCommand",
        json!({"command": "zhengce.evalClause", "arguments": [path, 0, 1]}),
    );
    // 2000万 × 10% = 200万, above the cap of 100万.
    let report = "按 政策.facts.json：第二条：给予 100万元\n✓ 研发投入 超过 500万元\n计算：研发投入 2000万元 × 10% = 200万元\n计算：200万元 超过上限 100万元，按 100万元 计";
    assert_eq!(r, json!({"report": report}));
    // Without a facts file beside it, a file's first 案例 gives the facts.
    let s = c.open(&dir.join("无事实文件/示例.zc"));
    let spath = dir.join("无事实文件/示例.zc").display().to_string();
    assert_eq!(
        c.request("textDocument/codeLens", json!({"textDocument": {"uri": s}})),
        json!([
            {"range": range(7, 0, 7, 0), "command": {"title": "▶ 通过", "command": "zhengce.runCase", "arguments": [spath, 0]}},
            {"range": range(5, 0, 5, 0), "command": {"title": "按 案例“小型企业”：给予 5万元", "command": "zhengce.evalClause", "arguments": [spath, 0, 0]}},
        ])
    );
    c.finish();
}

/// The VS Code grammar colours every reserved word of the language and
/// nothing else as a keyword: its lists, taken together, are fmt's
/// (which mirrors `keyword` in grammar/zhengce.pest).
#[test]
fn the_editor_grammar_knows_every_keyword() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("editors/vscode/syntaxes/zhengce.tmLanguage.json");
    let g: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut words: Vec<String> = Vec::new();
    for (key, rule) in g["repository"].as_object().unwrap() {
        let name = rule["name"].as_str().unwrap_or("");
        let listed = ["keyword.", "constant.language.", "storage.type."]
            .iter()
            .any(|p| name.starts_with(p));
        if !listed || key == "per-unit" {
            continue;
        }
        let m = rule["match"].as_str().unwrap();
        let inner = m.split("(?:").nth(1).unwrap().split(')').next().unwrap();
        words.extend(inner.split('|').map(str::to_string));
    }
    let mut expected: Vec<String> = zhengce::internals::fmt::KEYWORDS
        .iter()
        .map(|k| k.to_string())
        .collect();
    words.sort();
    expected.sort();
    assert_eq!(words, expected);
}

/// Its units of quantities are the grammar's `unit` rule.
#[test]
fn the_editor_grammar_knows_every_unit() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tm: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("editors/vscode/syntaxes/zhengce.tmLanguage.json"))
            .unwrap(),
    )
    .unwrap();
    let m = tm["repository"]["quantity"]["match"].as_str().unwrap();
    let inner = m.split("万?(?:").nth(1).unwrap().split(')').next().unwrap();
    let mut editor: Vec<&str> = inner.split('|').collect();
    let pest = std::fs::read_to_string(root.join("grammar/zhengce.pest")).unwrap();
    let rule = pest
        .split("\nbuiltin_unit = {")
        .nth(1)
        .unwrap()
        .split("\n}")
        .next()
        .unwrap();
    let mut grammar: Vec<&str> = rule.split('"').skip(1).step_by(2).collect();
    editor.sort_unstable();
    grammar.sort_unstable();
    assert_eq!(editor, grammar);
}

/// A file that an open document includes, and that is not open itself,
/// gets its own diagnostics; opening it with the fix clears them.
#[test]
fn included_files_that_are_not_open_get_their_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(root.join("词汇.zc"), "词汇 {\n  甲：是否\n  乙 是否\n}\n").unwrap();
    std::fs::write(
        root.join("政策.zc"),
        "引用 “词汇.zc”\n\n对 甲 给予 20万元 原文 「对甲给予20万元。」\n",
    )
    .unwrap();
    let mut c = Client::start(json!({"date": "2025-06-01"}), &root);
    let p = c.open(&root.join("政策.zc"));
    let v = uri(&root.join("词汇.zc"));
    // `  乙 是否`: without its colon, 乙 (2:2–3) does not start an entry.
    let d = c.diagnostics(&v);
    assert_eq!(d.as_array().unwrap().len(), 1);
    assert_eq!(d[0]["code"], "zc::syntax::unexpected");
    assert_eq!(d[0]["range"], range(2, 2, 2, 3));
    assert_eq!(
        d[0]["message"].as_str().unwrap().lines().next(),
        Some("语法错误：此处应为词汇条目（名称: 类型），实际是“乙”")
    );
    assert_eq!(c.diagnostics(&p), json!([]));
    c.open_text(&v, "词汇 {\n  甲：是否\n  乙：是否\n}\n");
    assert_eq!(c.diagnostics(&v), json!([]));
    c.finish();
}

/// A policy's 申报 window shows in its clauses' hover, next to 施行.
#[test]
fn a_clause_hover_shows_the_application_window() {
    let (mut c, dir) = start();
    let d = uri(&dir.join("申报.zc"));
    c.open_text(
        &d,
        "词汇 {\n  甲：是否\n}\n\n政策 《申报测试》 {\n  施行 2024年1月1日 起\n  申报 2024年3月1日 至 2024年3月31日\n\n  第一条 对 甲 给予 1万元 原文 「对甲给予1万元。」\n}\n",
    );
    // 第一条 is 8:2–5.
    assert_eq!(
        hover_text(&mut c, &d, 8, 2),
        (
            "**第一条**（《申报测试》）\n\n类别：给予（定额）\n\n原文：「对甲给予1万元。」\n\n事项：未写明（以条款标签计）\n\n施行：2024年1月1日 起（随政策）\n\n申报：2024年3月1日 至 2024年3月31日（随政策）".into(),
            range(8, 2, 8, 5)
        )
    );
    c.finish();
}

#[test]
fn hover_shows_a_list_and_its_fields() {
    let (mut c, dir) = start();
    let d = uri(&dir.join("每项.zc"));
    c.open_text(
        &d,
        "词汇 {\n  甲：是否\n  项目：列表 { 投资额：金额  类别：重点 | 一般 }\n}\n\n对 甲 给予 每项 项目（其中 类别 为 重点） 按 投资额 的 10%，最多 2项 资助\n",
    );
    // 项目 at 2:2–4 declares the list; 投资额 at 5:27–30 reads a field.
    assert_eq!(
        hover_text(&mut c, &d, 2, 2).0,
        "**项目**（事实）\n\n类型：列表\n\n字段：投资额：金额；类别：重点 | 一般\n\n声明于 每项.zc:3"
    );
    assert_eq!(
        hover_text(&mut c, &d, 5, 28).0,
        "**投资额**（列表“项目”每一项的字段）\n\n类型：金额\n\n声明于 每项.zc:3"
    );
    // The grant's kind.
    let (clause, _) = hover_text(&mut c, &d, 5, 0);
    assert!(
        clause.contains("逐项给予（每项 项目，最多 2项）"),
        "{clause}"
    );
    c.finish();
}

/// A quota and a cumulative cap change what a grant's amount means: the
/// clause's hover says so.
#[test]
fn hover_names_a_quota_and_a_cumulative_cap() {
    let (mut c, dir) = start();
    let d = uri(&dir.join("额度.zc"));
    c.open_text(
        &d,
        "词汇 {\n  基地：是否\n  命名日期：日期\n  实际使用土地指标：数量（亩）\n  稳岗企业：是否\n  本次补贴额：金额\n  本年已申领额：金额\n  示范企业：是否\n  落户日期：日期\n  已获配套补助：金额\n}\n\n“一” 对 基地 给予 额度 自 命名日期 起 分3年 每年 实际使用土地指标 的 50% “土地指标奖励”\n“二” 对 稳岗企业 给予 本次补贴额，最高 3万元，累计 最高 5万元（本年已领 本年已申领额） 补贴\n“三” 对 示范企业 给予 自 落户日期 起 分3年 每年 最高 20万元，累计 最高 30万元（往年已领 已获配套补助） 补助\n",
    );
    let (quota, _) = hover_text(&mut c, &d, 12, 0);
    assert!(
        quota.contains("分年给予（额度，不付钱，不计入合计；自 命名日期 起 3 年）"),
        "{quota}"
    );
    let (year, _) = hover_text(&mut c, &d, 13, 0);
    assert!(
        year.contains("给予（定额）；全年累计封顶，扣除本年已领 本年已申领额"),
        "{year}"
    );
    let (years, _) = hover_text(&mut c, &d, 14, 0);
    assert!(
        years.contains("分年给予（自 落户日期 起 3 年）；各年累计封顶，扣除往年已领 已获配套补助"),
        "{years}"
    );
    c.finish();
}
