//! A drafting session: loaded files, items typed at the prompt, facts and a
//! date. Independent of the terminal, so it can be tested line by line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::ast::{Item, Module};
use crate::check::{self, Checked};
use crate::diagnostics::{self, Style};
use crate::eval::{EvalConfig, Outcome, evaluate};
use crate::facts::{self, Facts, Given, Scalar};
use crate::program::Program;
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

/// The words a session adds to completion, shared with the line editor
/// and renewed after every input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completions {
    /// Facts, enumeration values, definitions and parameters.
    pub words: Vec<String>,
    /// Units declared with `单位 …`: after a number, `每` and in `数量（…）`.
    pub units: Vec<String>,
}

/// The session.
pub struct Session {
    paths: Vec<PathBuf>,
    base: Vec<Module>,
    entered: Vec<Module>,
    saved: usize,
    counter: usize,
    facts: BTreeMap<String, Given>,
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
    (
        ":eval",
        "按当前事实评估全部已载入的政策（与 zhengce eval 的输出相同）",
    ),
    (
        ":test",
        "运行已载入的全部案例（与 zhengce test 的输出相同）",
    ),
    (
        ":match",
        "当前事实可申请什么、差一点、待补充、义务（与 zhengce match 的输出相同）",
    ),
    (
        ":clauses",
        "列出条款；:clauses 文字 只列出标题、编号或原文含该文字的条款",
    ),
    (":fmt", "显示本次会话新增内容的规范格式"),
    (
        ":save",
        "把本次会话新增的内容（规范格式）连同所需的 引用 追加到文件，如 :save 草稿.zc；加 --案例 把当前事实写成一个案例",
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

    /// What completion offers from the session: facts (list fields among
    /// them), enumeration values (list fields' too), definitions and
    /// parameters (`美元汇率` after `按`), and the declared units.
    pub fn completions(&self) -> Completions {
        let mut words = Vec::new();
        let mut units = Vec::new();
        if let Some(p) = self.program() {
            words.extend(p.vocab.by_name.keys().cloned());
            words.extend(p.vocab.enum_values.keys().cloned());
            words.extend(p.params.iter().map(|d| d.name.clone()));
            units.clone_from(&p.vocab.units);
        }
        for m in self.base.iter().chain(&self.entered) {
            for item in &m.items {
                if let Item::Define(d) = item {
                    words.push(d.name.text.clone());
                }
            }
        }
        words.sort();
        words.dedup();
        Completions { words, units }
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
                match v {
                    Given::Once(v) => f.set(id, Some(v.clone())),
                    Given::ByYear(t) => f.set_years(id, t.clone()),
                }
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
            "clauses" | "条款" => Reply::say(self.list_clauses(arg)),
            "eval" | "评估" => Reply::say(self.eval_all()),
            "test" | "测试" => Reply::say(self.run_cases()),
            "match" | "匹配" => Reply::say(self.match_facts()),
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
        let read = match (&decl.ty, serde_json::from_str::<serde_json::Value>(value)) {
            // A list's items as in a JSON facts file: [{"项目投资额": "300万元"}].
            (crate::program::Ty::List, Ok(items)) => {
                facts::list_json(&program.vocab, id, &items).map(Given::Once)
            }
            // Year by year as in a JSON facts file: {"2023": "120亩"}.
            (ty, Ok(years @ serde_json::Value::Object(_))) => {
                facts::year_json(ty, &years).map(Given::ByYear)
            }
            _ => facts::typed(&decl.ty, &Scalar::Str(value.to_string())).map(Given::Once),
        };
        match read {
            Ok(v) => {
                let shown = report::show_given(&decl.ty, &v);
                self.facts.insert(name.to_string(), v);
                Reply::say(format!("{name} = {shown}\n"))
            }
            // The diagnostic a facts file with this value gets, pointing
            // at the value in the command line.
            Err(p) => {
                let line = crate::source::SourceFile::new(":set", arg);
                let after = arg.find(['=', '＝']).unwrap_or(0);
                let at = arg
                    .get(after..)
                    .and_then(|rest| rest.find(value))
                    .map_or(after, |i| after + i);
                let error = facts::FactsError::BadValue {
                    src: line.named(),
                    span: (at, value.len()).into(),
                    key: name.to_string(),
                    ty: decl.ty.describe(),
                    problem: p.problem,
                    help: p.help,
                };
                Reply::say(diagnostics::render(&error, self.style))
            }
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
                Some(ty) => out.push_str(&format!("{name} = {}\n", report::show_given(ty, v))),
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
                let name = |id: usize| program.vocab.name(id).to_string();
                let named: Vec<(String, Given)> = f
                    .values
                    .iter()
                    .enumerate()
                    .filter_map(|(id, v)| v.clone().map(|v| (name(id), Given::Once(v))))
                    .chain(
                        f.years
                            .iter()
                            .map(|(id, t)| (name(*id), Given::ByYear(t.clone()))),
                    )
                    .collect();
                let n = named.len();
                self.facts.extend(named);
                Reply::say(format!("已从 {path} 载入 {n} 项事实\n"))
            }
            Err(e) => Reply::say(e),
        }
    }

    fn list_clauses(&self, filter: &str) -> String {
        let Some(program) = self.program() else {
            return String::new();
        };
        let mut out = String::new();
        let mut total = 0usize;
        for (p, c) in program.clauses() {
            total += 1;
            let title = p
                .title
                .as_deref()
                .map_or("（顶层）".to_string(), |t| format!("《{t}》"));
            let words = report::source_words(program.text(c.loc));
            let original = c.source.as_deref().unwrap_or("");
            if !filter.is_empty()
                && ![title.as_str(), c.label.as_str(), words.as_str(), original]
                    .iter()
                    .any(|t| t.contains(filter))
            {
                continue;
            }
            out.push_str(&format!(
                "{title} {}  {}\n",
                c.label,
                words.chars().take(60).collect::<String>()
            ));
        }
        if total == 0 {
            out.push_str("还没有条款\n");
        } else if out.is_empty() {
            out.push_str(&format!("没有条款含“{filter}”（共 {total} 条）\n"));
        }
        out
    }

    /// The evaluation `zhengce eval` makes: derivations worded, the
    /// session's facts and date.
    fn eval_outcome(&self, program: &Program) -> Result<(Facts, Outcome), String> {
        let facts = self.current_facts(program);
        let config = EvalConfig {
            derive: true,
            ..EvalConfig::on(self.date)
        };
        evaluate(program, &facts, &config)
            .map(|o| (facts, o))
            .map_err(|e| diagnostics::render(&e, self.style))
    }

    /// `:eval`: every loaded policy against the current facts, printed as
    /// `zhengce eval` prints it.
    fn eval_all(&self) -> String {
        let Some(program) = self.program() else {
            return "还没有政策：先 :load 或输入条款\n".into();
        };
        match self.eval_outcome(program) {
            Ok((_, outcome)) => report::human(program, &outcome, self.style.color),
            Err(e) => e,
        }
    }

    /// `:test`: the loaded 案例, reported as `zhengce test` reports them.
    fn run_cases(&self) -> String {
        let Some(program) = self.program() else {
            return "还没有政策：先 :load 或输入条款\n".into();
        };
        if program.cases.is_empty() {
            return "没有载入案例\n".into();
        }
        let modules: Vec<Module> = self.base.iter().chain(&self.entered).cloned().collect();
        let results: Vec<crate::testing::CaseResult> = program
            .cases
            .iter()
            .enumerate()
            .map(|(i, c)| {
                crate::testing::run_case_assuming(&modules, &self.assumptions, program, i, c, None)
            })
            .collect();
        crate::cli::test::human(program, &results)
    }

    /// `:match`: what the current facts can apply for, printed as
    /// `zhengce match --facts` prints it.
    fn match_facts(&self) -> String {
        let Some(program) = self.program() else {
            return "还没有政策：先 :load 或输入条款\n".into();
        };
        let facts = self.current_facts(program);
        let config = crate::matching::MatchConfig {
            eval: EvalConfig::on(self.date),
            bounds: crate::matching::Bounds::default(),
            as_of: Some(chrono::Local::now().date_naive()),
        };
        match crate::matching::analyse(program, &facts, &config) {
            Ok(r) => crate::matching::human::render(program, &r),
            Err(e) => diagnostics::render(&e, self.style),
        }
    }

    /// The evaluation date.
    pub fn date(&self) -> NaiveDate {
        self.date
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

    /// The files loaded (directories expanded), for `引用` lines.
    fn loaded_files(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for p in &self.paths {
            if p.is_dir() {
                let _ = crate::load::walk(p, &mut out);
            } else {
                out.push(p.clone());
            }
        }
        out
    }

    /// The current facts and date as a 案例 (without 期望: the drafter
    /// works the amounts out from the text and adds them).
    fn facts_case(&self) -> String {
        let Some(program) = self.program() else {
            return String::new();
        };
        let mut out = format!(
            "\n# 会话中的事实；期望 由起草人按原文算出后补上\n案例 “会话{}” {{\n  事实 {{\n",
            self.date.format("%Y年%-m月%-d日")
        );
        for (name, v) in &self.facts {
            if let Some(&id) = program.vocab.by_name.get(name) {
                let v = match v {
                    Given::Once(v) => report::case_value(program, id, v),
                    Given::ByYear(t) => {
                        let years: Vec<String> = t
                            .years()
                            .iter()
                            .filter_map(|(y, v)| {
                                let v = report::case_value(program, id, v.as_ref()?);
                                Some(format!("{y}年：{v}"))
                            })
                            .collect();
                        format!("按年 {{ {} }}", years.join("  "))
                    }
                };
                out.push_str(&format!("    {name}：{v}\n"));
            }
        }
        out.push_str(&format!(
            "  }}\n  日期 {}\n}}\n",
            self.date.format("%Y年%-m月%-d日")
        ));
        out
    }

    fn save(&mut self, arg: &str) -> Reply {
        match self.try_save(arg) {
            Ok(reply) | Err(reply) => reply,
        }
    }

    /// `:save`: appends what was entered since the last save (and the facts
    /// as a case) to a policy file, refusing anything that would leave the
    /// file unreadable. `Err` is the reply when nothing was written.
    fn try_save(&mut self, arg: &str) -> Result<Reply, Reply> {
        let (path, with_case) = save_args(arg)?;
        if self.entered.len() == self.saved && !with_case {
            return Err(Reply::say("没有新增内容需要保存\n"));
        }
        let text = self
            .formatted(self.saved)
            .map_err(|e| Reply::say(format!("未保存：格式化失败\n{e}")))?;
        let shown = path.display().to_string();
        let existing_text = self.existing(&path, &shown)?;
        let (mut block, outside) = self.includes(&path, &existing_text);
        if !block.is_empty() && !text.is_empty() {
            block.push('\n');
        }
        block.push_str(&text);
        if with_case {
            block.push_str(&self.facts_case());
        }
        let block =
            crate::fmt::format(&SourceFile::new(shown.clone(), block.as_str())).map_err(|e| {
                Reply::say(format!(
                    "未保存：格式化失败\n{}",
                    diagnostics::render(&e, self.style)
                ))
            })?;
        let combined = self.appended(&shown, existing_text, &block)?;
        if let Err(e) = crate::output::write_all(&path, combined.as_bytes()) {
            return Err(Reply::say(format!("未保存：{e}（文件未改动）\n")));
        }
        let n = self.entered.len() - self.saved;
        self.saved = self.entered.len();
        let mut out = format!("已将 {n} 项追加到 {shown}");
        if with_case {
            out.push_str("，并把当前事实写成一个案例");
        }
        out.push('\n');
        out.push_str(&self.saved_alone(&path, &shown, &outside));
        Ok(Reply::say(out))
    }

    /// What is in the file already, kept whole or nothing is written: a file
    /// that cannot be read as a policy file is not appended to (it might
    /// be someone's data), and only regular files are read (/dev/full and
    /// FIFOs never end). A missing file is empty.
    fn existing(&self, path: &Path, shown: &str) -> Result<String, Reply> {
        let bytes = match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(String::new()),
            Err(e) => return Err(Reply::say(format!("未保存：无法读取 {shown}：{e}\n"))),
            Ok(m) if !m.is_file() => {
                return Err(Reply::say(format!("未保存：{shown} 不是普通文件\n")));
            }
            Ok(_) => std::fs::read(path)
                .map_err(|e| Reply::say(format!("未保存：无法读取 {shown}：{e}\n")))?,
        };
        let Ok(text) = String::from_utf8(bytes) else {
            return Err(Reply::say(format!(
                "未保存：{shown} 不是 UTF-8 文本，不能追加（文件未改动）\n"
            )));
        };
        if let Err(e) = syntax::parse(&SourceFile::new(shown, text.as_str())) {
            return Err(Reply::say(format!(
                "未保存：{shown} 现有内容无法解析，不能追加（文件未改动）\n{}",
                diagnostics::render(&e, self.style)
            )));
        }
        Ok(text)
    }

    /// `引用` lines for the loaded files the file does not include yet, so
    /// the saved file checks on its own, and the files that cannot be
    /// included: a path can only point inside the saved file's directory.
    fn includes(&self, path: &Path, existing: &str) -> (String, Vec<String>) {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .canonicalize()
            .ok();
        let mut includes = String::new();
        let mut outside = Vec::new();
        for f in self.loaded_files() {
            let rel = match (&dir, f.canonicalize()) {
                (Some(d), Ok(c)) => c.strip_prefix(d).ok().map(|r| r.to_path_buf()),
                _ => None,
            };
            match rel {
                Some(r) => {
                    let line = format!("引用 “{}”\n", r.display().to_string().replace('\\', "/"));
                    if !existing.contains(line.trim_end()) {
                        includes.push_str(&line);
                    }
                }
                None => outside.push(f.display().to_string()),
            }
        }
        (includes, outside)
    }

    /// The file's text with `block` after a blank line, if it still parses.
    fn appended(&self, shown: &str, existing: String, block: &str) -> Result<String, Reply> {
        let mut combined = existing;
        if !combined.is_empty() && !combined.ends_with('\n') {
            combined.push('\n');
        }
        if !combined.is_empty() {
            combined.push('\n');
        }
        combined.push_str(block);
        match syntax::parse(&SourceFile::new(shown, combined.as_str())) {
            Ok(_) => Ok(combined),
            Err(e) => Err(Reply::say(format!(
                "未保存：追加后文件无法解析\n{}",
                diagnostics::render(&e, self.style)
            ))),
        }
    }

    /// Whether the saved file checks on its own, or which loaded files it
    /// could not include.
    fn saved_alone(&self, path: &Path, shown: &str, outside: &[String]) -> String {
        if !outside.is_empty() {
            return format!(
                "注意：{} 不在 {shown} 所在目录之内，无法 引用；检查时请一并给出\n",
                outside.join("、")
            );
        }
        let alone = crate::load::parse_paths(&[path.to_path_buf()])
            .map_err(|es| self.render_all(&diagnostics::as_dyn(&es)))
            .and_then(|modules| {
                check::check_with(&modules, &self.assumptions)
                    .map_err(|es| self.render_all(&diagnostics::as_dyn(&es)))
            });
        match alone {
            Ok(_) => format!("{shown} 单独检查通过\n"),
            Err(e) => format!("{shown} 单独检查未通过：\n{e}"),
        }
    }
}

/// The path and `--案例` of `:save 文件.zc [--案例]`.
fn save_args(arg: &str) -> Result<(PathBuf, bool), Reply> {
    let mut with_case = false;
    let mut path = None;
    for word in arg.split_whitespace() {
        match word {
            "--案例" | "--case" => with_case = true,
            w if path.is_none() => path = Some(w),
            w => {
                return Err(Reply::say(format!(
                    "未保存：多余的参数“{w}”。用法：:save 文件.zc [--案例]\n"
                )));
            }
        }
    }
    match path {
        Some(p) => Ok((PathBuf::from(p), with_case)),
        None => Err(Reply::say("用法：:save 文件.zc [--案例]\n")),
    }
}

/// Writes a file that does not exist yet (created with the user's usual
/// permissions, never over a file that appeared meanwhile); a failed write
/// leaves no half file behind.
fn summary(m: &Module) -> String {
    let mut words = 0;
    let mut defs = 0;
    let mut other = 0;
    for item in &m.items {
        match item {
            Item::Vocab(v) => words += v.entries.len(),
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
    out.push_str(
        "\nTab 补全关键词、词汇、数字后的单位和命令；Ctrl-C 取消当前输入；Ctrl-D 退出。\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        let mut s = Session::new(
            Vec::new(),
            NaiveDate::from_ymd_opt(2024, 6, 1).unwrap_or_default(),
            Style::plain(),
        )
        .unwrap();
        s.handle("词汇 { 甲: 金额 }");
        s
    }

    #[test]
    fn save_refuses_a_file_it_cannot_read_as_policy_text_and_leaves_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = session();
        let binary = dir.path().join("数据.zc");
        std::fs::write(&binary, b"\xff\xfe\x00data").unwrap();
        let r = s.handle(&format!(":save {}", binary.display()));
        assert!(r.text.starts_with("未保存："), "{}", r.text);
        assert!(r.text.contains("不是 UTF-8 文本"), "{}", r.text);
        assert_eq!(std::fs::read(&binary).unwrap(), b"\xff\xfe\x00data");

        let prose = dir.path().join("笔记.zc");
        std::fs::write(&prose, "这不是政策文件 {\n").unwrap();
        let r = s.handle(&format!(":save {}", prose.display()));
        assert!(r.text.contains("现有内容无法解析"), "{}", r.text);
        assert_eq!(
            std::fs::read_to_string(&prose).unwrap(),
            "这不是政策文件 {\n"
        );

        // /dev/full reads zeros forever and every write fails.
        let r = s.handle(":save /dev/full");
        assert_eq!(r.text, "未保存：/dev/full 不是普通文件\n");

        let fresh = dir.path().join("新.zc");
        let r = s.handle(&format!(":save {}", fresh.display()));
        assert!(r.text.starts_with("已将 1 项追加到"), "{}", r.text);
        assert_eq!(
            std::fs::read_to_string(&fresh).unwrap(),
            "词汇 {\n  甲：金额\n}\n"
        );
    }

    #[test]
    fn a_value_that_does_not_fit_is_the_facts_files_diagnostic() {
        let mut s = session();
        let r = s.handle(":set 甲=八百万");
        // As in a facts file: the code, the fact's type, and the label
        // under the value, not under the name.
        assert!(r.text.contains("zc::facts::bad_value"), "{}", r.text);
        assert!(
            r.text.contains("事实“甲”的值不符合其类型（金额）"),
            "{}",
            r.text
        );
        let shown = r
            .text
            .lines()
            .find(|l| l.contains("甲=八百万"))
            .unwrap_or("");
        let under = r.text.lines().find(|l| l.contains('┬')).unwrap_or("");
        let col = |line: &str, c: char| line.chars().position(|x| x == c);
        assert_eq!(
            col(under, '┬').map(|c| c > col(shown, '=').unwrap_or(0)),
            Some(true),
            "{}",
            r.text
        );
        assert!(s.facts.is_empty());
    }

    #[test]
    fn a_list_fact_is_set_as_a_json_array() {
        let mut s = session();
        s.handle("词汇 { 项目: 列表 { 投资额: 金额 } }");
        s.handle("“一” 对 甲 超过 1元 给予 每项 项目 按 投资额 的 10%，每项 最高 50万元");
        s.handle(":set 甲=2元");
        let r = s.handle(r#":set 项目=[{"投资额": "300万元"}, {"投资额": "900万元"}]"#);
        assert_eq!(r.text, "项目 = 2项\n");
        // 30万元 + 90万元 capped at 50万元 = 80万元.
        assert!(s.eval_all().contains("80万元"), "{}", s.eval_all());
        let r = s.handle(r#":set 项目=[{"金额": "300万元"}]"#);
        assert!(r.text.contains("项目[1] 没有字段“金额”"), "{}", r.text);
        // The session's facts saved as a case write the items back.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("草稿.zc");
        let r = s.handle(&format!(":save {} --案例", file.display()));
        let saved = std::fs::read_to_string(&file).unwrap();
        assert!(
            saved.contains("项目：[ { 投资额：300万元 }、{ 投资额：900万元 } ]"),
            "{}\n{saved}",
            r.text
        );
        assert!(!r.text.contains("错误"), "{}\n{saved}", r.text);
    }

    #[test]
    fn a_fact_is_set_year_by_year_as_a_json_object() {
        let mut s = session();
        s.handle("词汇 { 营业收入: 金额 }");
        s.handle("“一” 对 营业收入 不低于 2000万元 给予 营业收入 的 1% 奖励");
        let r = s.handle(r#":set 营业收入={"2023": "1500万元", "2024年": "3000万元"}"#);
        assert_eq!(r.text, "营业收入 = 按年 2023年 1500万元，2024年 3000万元\n");
        // The session's date is in 2024: 3000万元 × 1% = 30万元.
        s.handle(":date 2024-06-01");
        assert!(s.eval_all().contains("30万元"), "{}", s.eval_all());
        // 2025 is not given: missing, not 0.
        s.handle(":date 2025-06-01");
        assert!(s.eval_all().contains("待定"), "{}", s.eval_all());
        let r = s.handle(r#":set 营业收入={"二〇二三": "1500万元"}"#);
        assert!(r.text.contains("“二〇二三”不是年份"), "{}", r.text);
        // The code a facts file with this value gets.
        assert!(r.text.contains("zc::facts::bad_value"), "{}", r.text);
        // Saved as a case, the table is written back as 按年 { … }.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("草稿.zc");
        let r = s.handle(&format!(":save {} --案例", file.display()));
        let saved = std::fs::read_to_string(&file).unwrap();
        assert!(
            saved.contains("营业收入：按年 { 2023年：1500万元  2024年：3000万元 }"),
            "{}\n{saved}",
            r.text
        );
        assert!(!r.text.contains("错误"), "{}\n{saved}", r.text);
    }

    #[test]
    fn completion_knows_list_fields_their_values_parameters_and_units() {
        let mut s = session();
        s.handle("词汇 { 单位 艘  船舶数：数量（艘）  项目：列表 { 项目投资额：金额  项目类别：重点 | 一般 } }");
        s.handle("参数 美元汇率 { 2024年1月1日：7.1元/美元 }");
        let known = s.completions();
        assert_eq!(
            known.words,
            [
                "一般",
                "甲",
                "美元汇率",
                "船舶数",
                "重点",
                "项目",
                "项目投资额",
                "项目类别"
            ]
        );
        assert_eq!(known.units, ["艘"]);
        let h = crate::repl::ZcHelper::new(std::sync::Arc::new(known.into()), false);
        let at_end = |line: &str| h.candidates(line, line.len()).1;
        assert_eq!(at_end("每项 项目（其中 项目类别 为 重"), ["重叠", "重点"]);
        assert_eq!(at_end("事实 { 项目：[ {项目类别：一"), ["一次性", "一般"]);
        assert_eq!(at_end("按 美元"), ["美元汇率"]);
        assert!(at_end("按 船舶数 每满3").contains(&"每满3艘".to_string()));
    }

    #[test]
    fn clauses_filter_by_title_label_or_text() {
        let mut s = session();
        s.handle("“一” 对 甲 超过 1元 给予 1万元");
        s.handle("“二” 对 甲 超过 2元 给予 2万元");
        assert_eq!(s.list_clauses("").lines().count(), 2);
        let only = s.list_clauses("2万元");
        assert_eq!(only.lines().count(), 1, "{only}");
        assert!(only.contains("二"), "{only}");
    }
}
