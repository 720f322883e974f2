//! A drafting session: loaded files, items typed at the prompt, facts and a
//! date. Independent of the terminal, so it can be tested line by line.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::ast::{Item, Module};
use crate::check::{self, Checked};
use crate::diagnostics::{self, Style};
use crate::eval::{EvalConfig, Outcome, evaluate};
use crate::facts::{self, Facts, Scalar};
use crate::program::{Program, Value};
use crate::report;
use crate::source::SourceFile;
use crate::syntax;

/// What a line typed at the prompt produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    /// Text to print.
    pub text: String,
    /// The user asked to leave.
    pub quit: bool,
}

impl Reply {
    fn say(text: impl Into<String>) -> Self {
        Reply {
            text: text.into(),
            quit: false,
        }
    }
}

/// The session.
pub struct Session {
    paths: Vec<PathBuf>,
    base: Vec<Module>,
    entered: Vec<Module>,
    saved: usize,
    counter: usize,
    facts: BTreeMap<String, Value>,
    date: NaiveDate,
    checked: Option<Checked>,
    last: Option<(Outcome, Vec<usize>)>,
    style: Style,
    /// Publication dates assumed (`--published`), applied at every check.
    assumptions: check::Assumptions,
}

/// The `:` commands, for completion and `:help`.
pub const COMMANDS: &[(&str, &str)] = &[
    (":help", "显示本帮助"),
    (":set", "设置事实，如 :set 研发投入=800万元（别名 :事实）"),
    (":unset", "删除事实，如 :unset 研发投入"),
    (":facts", "显示当前事实；:facts 文件.json 从文件载入"),
    (":date", "设置评估日期，如 :date 2024-05-01（别名 :日期）"),
    (":load", "载入政策文件或目录，如 :load policies/"),
    (":reload", "重新读取已载入的文件"),
    (":explain", "完整说明上一次的结果"),
    (":clauses", "列出所有条款"),
    (":fmt", "显示本次会话新增内容的规范格式"),
    (
        ":save",
        "把本次会话新增的内容（规范格式）追加到文件，如 :save 草稿.zc",
    ),
    (":quit", "退出（Ctrl-D 亦可）"),
];

impl Session {
    /// A session with `paths` loaded; errors in them are returned rendered.
    pub fn new(paths: Vec<PathBuf>, date: NaiveDate, style: Style) -> Result<Self, String> {
        Self::with_assumptions(paths, date, style, check::Assumptions::default())
    }

    /// [`Session::new`], with policies written `发布 未定` read with the
    /// publication dates `assumptions` gives them.
    pub fn with_assumptions(
        paths: Vec<PathBuf>,
        date: NaiveDate,
        style: Style,
        assumptions: check::Assumptions,
    ) -> Result<Self, String> {
        let mut s = Session {
            paths,
            base: Vec::new(),
            entered: Vec::new(),
            saved: 0,
            counter: 0,
            facts: BTreeMap::new(),
            date,
            checked: None,
            last: None,
            style,
            assumptions,
        };
        s.reload()?;
        Ok(s)
    }

    fn render_all(&self, diags: &[&dyn miette::Diagnostic]) -> String {
        diags
            .iter()
            .map(|d| diagnostics::render(*d, self.style))
            .collect()
    }

    fn reload(&mut self) -> Result<(), String> {
        if self.paths.is_empty() {
            self.base.clear();
        } else {
            self.base = crate::load::parse_paths(&self.paths).map_err(|errors| {
                let d = diagnostics::as_dyn(&errors);
                self.render_all(&d)
            })?;
        }
        let modules: Vec<Module> = self.base.iter().chain(&self.entered).cloned().collect();
        match check::check_with(&modules, &self.assumptions) {
            Ok(c) => {
                self.checked = Some(c);
                Ok(())
            }
            Err(errors) => {
                let d = diagnostics::as_dyn(&errors);
                Err(self.render_all(&d))
            }
        }
    }

    /// The checked program of everything so far.
    pub fn program(&self) -> Option<&Program> {
        self.checked.as_ref().map(|c| &c.program)
    }

    /// Words to complete: vocabulary, enumeration values, definitions.
    pub fn words(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(p) = self.program() {
            out.extend(p.vocab.by_name.keys().cloned());
            out.extend(p.vocab.enum_values.keys().cloned());
        }
        for m in self.base.iter().chain(&self.entered) {
            for item in &m.items {
                if let Item::Define(d) = item {
                    out.push(d.name.text.clone());
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Handles one complete input: a `:` command or source text.
    pub fn handle(&mut self, line: &str) -> Reply {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            return Reply::default();
        }
        if let Some(cmd) = trimmed
            .strip_prefix(':')
            .or_else(|| trimmed.strip_prefix('：'))
        {
            return self.command(cmd.trim());
        }
        self.enter(line)
    }

    fn enter(&mut self, text: &str) -> Reply {
        self.counter += 1;
        let source = SourceFile::new(format!("<输入{}>", self.counter), text);
        let module = match syntax::parse(&source) {
            Ok(m) => m,
            Err(e) => return Reply::say(diagnostics::render(&e, self.style)),
        };
        let mut modules: Vec<Module> = self.base.iter().chain(&self.entered).cloned().collect();
        modules.push(module.clone());
        let checked = match check::check_with(&modules, &self.assumptions) {
            Ok(c) => c,
            Err(errors) => {
                let d = diagnostics::as_dyn(&errors);
                return Reply::say(self.render_all(&d));
            }
        };
        let file = modules.len() - 1;
        let mut out = String::new();
        for w in &checked.warnings {
            if diagnostics::position(w).and_then(|p| p.file).as_deref() == Some(&*source.name) {
                out.push_str(&diagnostics::render(w, self.style));
            }
        }
        self.entered.push(module.clone());
        self.checked = Some(checked);
        let new_policies: Vec<usize> = self
            .program()
            .map(|p| {
                p.policies
                    .iter()
                    .enumerate()
                    .filter(|(_, pol)| pol.loc.file == file)
                    .map(|(i, _)| i)
                    .collect()
            })
            .unwrap_or_default();
        if new_policies.is_empty() {
            out.push_str(&summary(&module));
            return Reply::say(out);
        }
        out.push_str(&self.evaluate(new_policies, false));
        Reply::say(out)
    }

    fn current_facts(&self, program: &Program) -> Facts {
        let mut f = Facts::empty(&program.vocab);
        for (name, v) in &self.facts {
            if let Some(&id) = program.vocab.by_name.get(name) {
                f.set(id, Some(v.clone()));
            }
        }
        f
    }

    /// Evaluates and shows the clauses of `policies`.
    fn evaluate(&mut self, policies: Vec<usize>, full: bool) -> String {
        let Some(program) = self.program() else {
            return String::new();
        };
        let facts = self.current_facts(program);
        let config = EvalConfig {
            explain: true,
            ..EvalConfig::on(self.date)
        };
        let outcome = match evaluate(program, &facts, &config) {
            Ok(o) => o,
            Err(e) => return diagnostics::render(&e, self.style),
        };
        let shown = Outcome {
            clauses: outcome
                .clauses
                .iter()
                .filter(|c| policies.contains(&c.policy))
                .cloned()
                .collect(),
            ..outcome.clone()
        };
        let mut text = report::explain(program, &facts, &shown);
        if !full {
            text = text
                .lines()
                .filter(|l| !l.starts_with("  原文"))
                .map(|l| format!("{l}\n"))
                .collect();
        }
        self.last = Some((outcome, policies));
        text.trim_start_matches('\n').to_string()
    }

    fn command(&mut self, cmd: &str) -> Reply {
        let (name, arg) = cmd.split_once(char::is_whitespace).unwrap_or((cmd, ""));
        let arg = arg.trim();
        match name {
            "help" | "帮助" | "h" => Reply::say(help()),
            "quit" | "q" | "退出" => Reply {
                text: String::new(),
                quit: true,
            },
            "set" | "事实" if !arg.is_empty() && arg.contains(['=', '＝']) => self.set(arg),
            "unset" => {
                if self.facts.remove(arg).is_some() {
                    Reply::say(format!("已删除事实：{arg}\n"))
                } else {
                    Reply::say(format!("没有设置过事实“{arg}”\n"))
                }
            }
            "facts" | "事实" | "set" => {
                if arg.is_empty() {
                    Reply::say(self.show_facts())
                } else {
                    self.load_facts(arg)
                }
            }
            "date" | "日期" => match crate::facts::parse_date(arg) {
                Some(d) => {
                    self.date = d;
                    Reply::say(format!("评估日期：{}\n", d.format("%Y年%-m月%-d日")))
                }
                None if arg.is_empty() => Reply::say(format!(
                    "评估日期：{}\n",
                    self.date.format("%Y年%-m月%-d日")
                )),
                None => Reply::say(format!(
                    "“{arg}”不是有效日期，应写成 2024-05-01 或 2024年5月1日\n"
                )),
            },
            "load" | "载入" => {
                if arg.is_empty() {
                    return Reply::say("用法：:load 文件或目录\n");
                }
                self.paths.push(PathBuf::from(arg));
                match self.reload() {
                    Ok(()) => Reply::say(format!("已载入 {arg}\n")),
                    Err(e) => {
                        self.paths.pop();
                        let _ = self.reload();
                        Reply::say(e)
                    }
                }
            }
            "reload" => match self.reload() {
                Ok(()) => Reply::say("已重新载入\n"),
                Err(e) => Reply::say(e),
            },
            "explain" | "说明" => match self.last.clone() {
                Some((_, policies)) => Reply::say(self.evaluate(policies, true)),
                None => Reply::say("还没有结果：先输入一个条款\n"),
            },
            "clauses" | "条款" => Reply::say(self.list_clauses()),
            "fmt" | "格式化" => match self.formatted(0) {
                Ok(t) if t.is_empty() => Reply::say("# 本次会话还没有新增内容\n"),
                Ok(t) | Err(t) => Reply::say(t),
            },
            "save" | "保存" => self.save(arg),
            _ => Reply::say(format!("未知命令：:{name}。输入 :help 查看命令\n")),
        }
    }

    fn set(&mut self, arg: &str) -> Reply {
        let (name, value) = arg.split_once(['=', '＝']).unwrap_or((arg, ""));
        let (name, value) = (name.trim(), value.trim());
        let Some(program) = self.program() else {
            return Reply::say("还没有词汇\n");
        };
        let Some(&id) = program.vocab.by_name.get(name) else {
            let found =
                check::suggest::similar(name, program.vocab.by_name.keys().map(String::as_str));
            return Reply::say(format!(
                "“{name}”不在词汇中。{}\n",
                check::suggest::did_you_mean(&found, "先用 词汇 { … } 声明它")
            ));
        };
        let Some(decl) = program.vocab.get(id) else {
            return Reply::default();
        };
        let value = value.trim_matches(['"', '“', '”']);
        match facts::typed(&decl.ty, &Scalar::Str(value.to_string())) {
            Ok(v) => {
                let shown = report::show_value(&decl.ty, &v);
                self.facts.insert(name.to_string(), v);
                Reply::say(format!("{name} = {shown}\n"))
            }
            Err(p) => Reply::say(format!(
                "{name}（{}）：{}。{}\n",
                decl.ty.describe(),
                p.problem,
                p.help
            )),
        }
    }

    fn show_facts(&self) -> String {
        let Some(program) = self.program() else {
            return String::new();
        };
        if self.facts.is_empty() {
            return "还没有事实：用 :set 名称=值 设置\n".into();
        }
        let mut out = String::new();
        for (name, v) in &self.facts {
            let ty = program
                .vocab
                .by_name
                .get(name)
                .and_then(|id| program.vocab.get(*id))
                .map(|d| &d.ty);
            match ty {
                Some(ty) => out.push_str(&format!("{name} = {}\n", report::show_value(ty, v))),
                None => out.push_str(&format!("{name}（已不在词汇中）\n")),
            }
        }
        out
    }

    fn load_facts(&mut self, path: &str) -> Reply {
        let Some(program) = self.program() else {
            return Reply::default();
        };
        let loaded = crate::load::read_source(std::path::Path::new(path))
            .map_err(|e| diagnostics::render(&e, self.style))
            .and_then(|src| {
                facts::load(&program.vocab, &src).map_err(|errs| {
                    let d = diagnostics::as_dyn(&errs);
                    self.render_all(&d)
                })
            });
        match loaded {
            Ok(f) => {
                let named: Vec<(String, Value)> = f
                    .values
                    .iter()
                    .enumerate()
                    .filter_map(|(id, v)| {
                        v.clone().map(|v| (program.vocab.name(id).to_string(), v))
                    })
                    .collect();
                let n = named.len();
                self.facts.extend(named);
                Reply::say(format!("已从 {path} 载入 {n} 项事实\n"))
            }
            Err(e) => Reply::say(e),
        }
    }

    fn list_clauses(&self) -> String {
        let Some(program) = self.program() else {
            return String::new();
        };
        let mut out = String::new();
        for (p, c) in program.clauses() {
            let title = p
                .title
                .as_deref()
                .map_or("（顶层）".to_string(), |t| format!("《{t}》"));
            out.push_str(&format!(
                "{title} {}  {}\n",
                c.label,
                report::source_words(program.text(c.loc))
                    .chars()
                    .take(60)
                    .collect::<String>()
            ));
        }
        if out.is_empty() {
            out.push_str("还没有条款\n");
        }
        out
    }

    /// The session's items from `from` on, in canonical layout.
    /// The session's items from `from` on, each in canonical layout (the
    /// formatter checks that its output means what was typed).
    fn formatted(&self, from: usize) -> Result<String, String> {
        let mut out = String::new();
        for m in self.entered.iter().skip(from) {
            let text =
                crate::fmt::format(&m.source).map_err(|e| diagnostics::render(&e, self.style))?;
            out.push_str(&text);
        }
        Ok(out)
    }

    fn save(&mut self, path: &str) -> Reply {
        if path.is_empty() {
            return Reply::say("用法：:save 文件.zc\n");
        }
        if self.entered.len() == self.saved {
            return Reply::say("没有新增内容需要保存\n");
        }
        let text = match self.formatted(self.saved) {
            Ok(t) => t,
            Err(e) => return Reply::say(format!("未保存：格式化失败\n{e}")),
        };
        let path = PathBuf::from(path);
        let existing = std::fs::read_to_string(&path).unwrap_or_default();
        let mut combined = existing.clone();
        if !combined.is_empty() && !combined.ends_with('\n') {
            combined.push('\n');
        }
        if !combined.is_empty() {
            combined.push('\n');
        }
        combined.push_str(&text);
        // Refuse to write a file that would no longer parse.
        if let Err(e) = syntax::parse(&SourceFile::new(
            path.display().to_string(),
            combined.as_str(),
        )) {
            return Reply::say(format!(
                "未保存：追加后文件无法解析\n{}",
                diagnostics::render(&e, self.style)
            ));
        }
        match std::fs::write(&path, combined) {
            Ok(()) => {
                let n = self.entered.len() - self.saved;
                self.saved = self.entered.len();
                Reply::say(format!("已将 {n} 项追加到 {}\n", path.display()))
            }
            Err(e) => Reply::say(format!("无法写入 {}：{e}\n", path.display())),
        }
    }
}

fn summary(m: &Module) -> String {
    let mut words = 0;
    let mut defs = 0;
    let mut other = 0;
    for item in &m.items {
        match item {
            Item::Vocab(v) => words += v.len(),
            Item::Define(_) => defs += 1,
            _ => other += 1,
        }
    }
    let mut parts = Vec::new();
    if words > 0 {
        parts.push(format!("词汇 {words} 个"));
    }
    if defs > 0 {
        parts.push(format!("定义 {defs} 个"));
    }
    if other > 0 {
        parts.push(format!("其他 {other} 项"));
    }
    format!("已添加：{}\n", parts.join("，"))
}

/// The `:help` text.
pub fn help() -> String {
    let mut out = String::from(
        "直接输入条款、词汇、定义或整个政策块，立即检查并按当前事实计算。\n\
         未写完的输入（花括号未闭合，或以 给予、且、或、、 等结尾）会继续读下一行。\n\n命令：\n",
    );
    for (c, d) in COMMANDS {
        out.push_str(&format!("  {c:<10} {d}\n"));
    }
    out.push_str("\nTab 补全关键词、词汇和命令；Ctrl-C 取消当前输入；Ctrl-D 退出。\n");
    out
}
