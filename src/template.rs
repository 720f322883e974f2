//! What the policies read, and an empty register or facts file listing it
//! (`zhengce facts --template`), so an analyst knows what to collect.

use std::fmt::Write as _;

use crate::eval::collect_facts;
use crate::program::{Action, AmountCore, Cond, FactId, GrantAmount, Program, Ty};

/// Every fact some policy reads (scopes, conditions, tiers, amounts, caps,
/// conduct), in vocabulary order.
pub(crate) fn facts_read(program: &Program) -> Vec<FactId> {
    let mut out = Vec::new();
    for policy in &program.policies {
        if let Some(scope) = &policy.scope {
            cond_facts(scope, &mut out);
        }
        for clause in &policy.clauses {
            cond_facts(&clause.cond, &mut out);
            for tier in &clause.tiers {
                cond_facts(tier, &mut out);
            }
            match &clause.action {
                Action::Grant {
                    amount, cumulative, ..
                } => {
                    amount_facts(amount, &mut out);
                    if let Some(c) = cumulative {
                        collect_facts(&c.cap, &mut out);
                        out.push(c.received);
                    }
                }
                Action::Prohibit(c) | Action::Oblige(c) => cond_facts(c, &mut out),
                Action::Exempt(_) | Action::Permit(_) => {}
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn cond_facts(c: &Cond, out: &mut Vec<FactId>) {
    match c {
        Cond::Fact(f, _) | Cond::EnumIs(f, _, _) => out.push(*f),
        Cond::Consecutive { event, fact, .. } => out.extend([*event, *fact]),
        Cond::Cmp { lhs, rhs, .. } => {
            collect_facts(lhs, out);
            for r in rhs {
                collect_facts(r, out);
            }
        }
        Cond::And(items, _) | Cond::Or(items, _) => {
            for i in items {
                cond_facts(i, out);
            }
        }
        Cond::Not(inner, _) | Cond::Named { body: inner, .. } => cond_facts(inner, out),
        Cond::True => {}
    }
}

fn core_facts(core: &AmountCore, out: &mut Vec<FactId>) {
    match core {
        AmountCore::Expr(e) => collect_facts(e, out),
        AmountCore::PerUnit { fact, rate, .. } => {
            out.push(*fact);
            collect_facts(rate, out);
        }
    }
}

fn amount_facts(a: &GrantAmount, out: &mut Vec<FactId>) {
    match a {
        GrantAmount::Items(g) => {
            if !out.contains(&g.list) {
                out.push(g.list);
            }
            if let Some(c) = &g.total_cap {
                collect_facts(c, out);
            }
        }
        GrantAmount::Single(a) => {
            core_facts(&a.core, out);
            if let Some(c) = &a.cap {
                collect_facts(c, out);
            }
        }
        GrantAmount::Tiers { items, cap, .. } => {
            for i in items {
                core_facts(i, out);
            }
            if let Some(c) = cap {
                collect_facts(c, out);
            }
        }
        GrantAmount::Discretionary { cap } => {
            if let Some(c) = cap {
                collect_facts(c, out);
            }
        }
        GrantAmount::Range { low, high, cap } => {
            core_facts(low, out);
            core_facts(high, out);
            if let Some(c) = cap {
                collect_facts(c, out);
            }
        }
        GrantAmount::Schedule(s) => {
            out.push(s.event);
            if let Some(c) = &s.cumulative {
                collect_facts(&c.cap, out);
                out.push(c.received);
            }
            for r in &s.runs {
                for c in r.cores() {
                    core_facts(c, out);
                }
                if let Some(c) = &r.amount.cap {
                    collect_facts(c, out);
                }
            }
        }
    }
}

/// How to fill in a fact of this type: the type and its unit, as the second
/// header line of a CSV template and the comment of a TOML one.
pub(crate) fn type_hint(ty: &Ty) -> String {
    match ty {
        Ty::Bool => "是否（是/否 或 1/0）".into(),
        Ty::Money => "金额（元，或写 800万元）".into(),
        Ty::Foreign(c) => format!("金额（{c}，或写 520万{c}）"),
        Ty::Ratio => "比例（20% 或 0.2）".into(),
        Ty::Date => "日期（2024-06-01）".into(),
        Ty::Text => "文本".into(),
        Ty::Quantity(u) => format!("数量（{u}）"),
        Ty::Rank => "名次（3 或 第3名，第1名 最靠前）".into(),
        Ty::Enum { values, .. } => format!("取值：{}", values.join("/")),
        Ty::List => "列表（每项一条记录；CSV 写不下，用 JSON Lines 或 TOML）".into(),
    }
}

/// One item of a list, its fields with examples, as an inline table: an
/// array of tables (`[["项目"]]`) uncommented in the middle of the
/// template would take the keys after it into its last table.
fn list_example(program: &Program, list: FactId) -> String {
    let fields: Vec<String> = program
        .vocab
        .fields
        .get(&list)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter_map(|&f| program.vocab.get(f))
        .map(|d| format!("\"{}\" = {}", d.name, example(&d.ty)))
        .collect();
    format!("[{{ {} }}]", fields.join(", "))
}

fn example(ty: &Ty) -> String {
    match ty {
        Ty::Bool => "true".into(),
        Ty::Money => "\"800万元\"".into(),
        Ty::Foreign(c) => format!("\"520万{c}\""),
        Ty::Ratio => "\"20%\"".into(),
        Ty::Date => "\"2024-06-01\"".into(),
        Ty::Text => "\"杭州市\"".into(),
        Ty::Quantity(u) => format!("\"2{u}\""),
        Ty::Rank => "\"第3名\"".into(),
        Ty::Enum { values, .. } => format!("\"{}\"", values.first().map_or("", String::as_str)),
        Ty::List => "[]".into(),
    }
}

/// The kinds of template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TemplateFormat {
    /// A register: a header of fact names and a second line of types.
    Csv,
    /// A facts file: every fact `null` (missing).
    Json,
    /// A facts file: every fact commented out, with its type and an example.
    Toml,
}

/// The two header lines of a CSV template, written by the csv crate so
/// that its quoting is the one the register reader undoes.
fn csv_template(facts: &[(&str, &Ty)]) -> String {
    // The csv crate writes a record of no fields as `""`: a template of
    // no facts stays two empty lines.
    if facts.is_empty() {
        return "\n\n".into();
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let written = w
        .write_record(facts.iter().map(|(n, _)| n.as_bytes()))
        .and_then(|()| w.write_record(facts.iter().map(|(_, t)| type_hint(t))));
    written
        .ok()
        .and_then(|()| w.into_inner().ok())
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// An empty register (CSV) or facts file (JSON, TOML) with every fact the
/// policies read.
///
/// The CSV's second line holds each column's type; `zhengce batch`
/// recognises that line and skips it, so the filled-in template can be
/// given back as it is.
pub(crate) fn render(program: &Program, format: TemplateFormat) -> String {
    // Shared vocabulary files (no policy of their own) first, so the
    // profile opens with the words every policy reads.
    let with_policies: Vec<usize> = program.policies.iter().map(|p| p.loc.file).collect();
    let mut ids: Vec<FactId> = facts_read(program)
        .into_iter()
        .filter(|id| program.vocab.get(*id).is_some())
        .collect();
    ids.sort_by_key(|id| {
        let file = program.vocab.get(*id).map_or(usize::MAX, |d| d.loc.file);
        (with_policies.contains(&file), *id)
    });
    let facts: Vec<(&str, &Ty)> = ids
        .iter()
        .filter_map(|id| program.vocab.get(*id).map(|d| (d.name.as_str(), &d.ty)))
        .collect();
    match format {
        TemplateFormat::Csv => csv_template(&facts),
        TemplateFormat::Json => {
            let map: serde_json::Map<String, serde_json::Value> = facts
                .iter()
                .map(|(n, _)| ((*n).to_string(), serde_json::Value::Null))
                .collect();
            let mut out =
                serde_json::to_string_pretty(&serde_json::Value::Object(map)).unwrap_or_default();
            out.push('\n');
            out
        }
        TemplateFormat::Toml => {
            let mut out = String::from(
                "# 事实文件模板：去掉行首的 # 并填写取值；缺少的事实留空（保持注释）。\n\
                 # 每年不同的数可以按年填写：\"营业收入\" = { 2023 = \"800万元\", 2024 = \"900万元\" }\n",
            );
            let mut last_topic = None;
            for (id, (name, ty)) in ids.iter().zip(&facts) {
                let (_, here) = topic(program, *id);
                if last_topic.as_ref() != Some(&here) {
                    let _ = write!(out, "\n# ── {here} ──\n");
                    last_topic = Some(here);
                }
                let key = if name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                {
                    (*name).to_string()
                } else {
                    format!("\"{name}\"")
                };
                let value = match ty {
                    Ty::List => list_example(program, *id),
                    _ => example(ty),
                };
                let _ = writeln!(out, "\n# {name}：{}\n# {key} = {value}", type_hint(ty));
            }
            out
        }
    }
}

/// The topic a fact belongs to: the `词汇 { … }` block that declares it,
/// named by the first line of the comment written just above the block
/// (`policies/词汇.zc` groups the shared words so), else by its file. The
/// first element tells blocks apart; the second is the heading shown.
fn topic(program: &Program, id: FactId) -> ((usize, usize), String) {
    let Some(decl) = program.vocab.get(id) else {
        return ((usize::MAX, 0), String::new());
    };
    let Some(file) = program.files.get(decl.loc.file) else {
        return ((decl.loc.file, 0), String::new());
    };
    let text: &str = &file.text;
    let before = text.get(..decl.loc.span.start).unwrap_or("");
    // The block's own line (a comment may mention 词汇 too).
    let block = before
        .match_indices("词汇")
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || before.get(..i).is_some_and(|b| b.ends_with('\n')))
        .last()
        .unwrap_or(0);
    let above: Vec<&str> = text
        .get(..block)
        .unwrap_or("")
        .lines()
        .rev()
        .take_while(|l| l.trim_start().starts_with('#'))
        .collect();
    // `# 主体：法律形式、注册地…` names the topic 主体.
    let heading = above
        .last()
        .map(|l| l.trim_start().trim_start_matches('#').trim())
        .map(|l| l.split(['：', ':']).next().unwrap_or(l).trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| {
            let name: &str = &file.name;
            let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
            format!("{}（该文件声明的词）", base.trim_end_matches(".zc"))
        });
    ((decl.loc.file, block), heading)
}
