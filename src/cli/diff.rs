//! `zhengce diff`: what a revision of the policies changes, statically or
//! for every entity of a register.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;

use super::batch::{EncodingArg, RowsFormat, Stderr, is_jsonl, output_encoding};
use super::{Exit, Format, emit, print_diagnostics};
use crate::batch::{BatchError, Encoding, InputFormat, OutputFormat};
use crate::diff::{self, DiffConfig};
use crate::eval::EvalConfig;
use crate::output::AtomicFile;

/// Arguments of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// 旧版政策文件或目录。
    #[arg(required = true)]
    pub old: Vec<PathBuf>,
    /// 新版政策文件或目录（可多个）。
    #[arg(long, required = true, num_args = 1..)]
    pub to: Vec<PathBuf>,
    /// 登记表：给出时逐个主体比较新旧两版的金额；不给时只比较条款本身。
    #[arg(long)]
    pub facts: Option<PathBuf>,
    /// 旧版的评估日期，默认今天。
    #[arg(long, value_parser = super::parse_date_arg)]
    pub date: Option<NaiveDate>,
    /// 新版的评估日期（默认同 --date）。
    #[arg(long, value_parser = super::parse_date_arg)]
    pub to_date: Option<NaiveDate>,
    /// 申报日期（两版相同）：申报期之外的条款不予兑现；登记表的“申报日期”列逐行覆盖此值。
    #[arg(long, value_parser = super::parse_date_arg)]
    pub apply_date: Option<NaiveDate>,
    /// 逐个主体的比较写入此文件（CSV，扩展名为 .jsonl 时为 JSON Lines）。
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// 标准输出的格式：中文表格或 JSON 汇总。
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// --out 的格式（默认按扩展名，否则 csv）。
    #[arg(long, value_enum)]
    pub rows_format: Option<RowsFormat>,
    /// 登记表格式（默认按 --facts 的扩展名，否则 csv）。
    #[arg(long, value_enum)]
    pub input_format: Option<RowsFormat>,
    /// 登记表的编码：utf-8（可带 BOM）或 gb18030。
    #[arg(long, value_enum, default_value = "utf-8")]
    pub encoding: EncodingArg,
    /// --out 的编码：utf-8（默认）或 gb18030。
    #[arg(long, value_enum, default_value = "utf-8")]
    pub output_encoding: EncodingArg,
    /// --out 写成带 BOM 的 UTF-8，中文 Excel 直接打开不乱码。
    #[arg(long, conflicts_with = "output_encoding")]
    pub excel: bool,
    /// `--published`：两版都适用；只在一版中的政策只用于那一版。
    #[command(flatten)]
    pub published: super::PublishedArgs,
    /// 把表头中的列读作词汇中的词，同 batch。
    #[arg(long = "column", value_name = "旧名=词汇词", value_parser = super::batch::parse_column)]
    pub columns: Vec<(String, String)>,
}

/// Compiles one set with the `--published` assumptions that name one of
/// its policies: a policy that only the other set has is assumed there.
fn compile_set(
    paths: &[PathBuf],
    all: &crate::check::Assumptions,
) -> Result<crate::check::Checked, Exit> {
    let plain = super::compile(paths, Format::Human)?;
    if all.published.is_empty() {
        return Ok(plain);
    }
    let titles: Vec<&str> = plain
        .program
        .policies
        .iter()
        .filter_map(|p| p.title.as_deref())
        .collect();
    let mine = crate::check::Assumptions {
        published: all
            .published
            .iter()
            .filter(|a| titles.contains(&a.title.as_str()))
            .cloned()
            .collect(),
    };
    super::compile_with(paths, &mine, Format::Human)
}

/// Runs `diff`.
pub fn run(args: &DiffArgs) -> Exit {
    if let Err(e) = refuse_overwrite(args) {
        print_diagnostics(&[&e], args.format);
        return Exit::Failure;
    }
    let (old, new) = match compile_both(args) {
        Ok(sets) => sets,
        Err(exit) => return exit,
    };
    let assumed = Assumed {
        old: &old.program,
        new: &new.program,
    };
    let Some(facts) = &args.facts else {
        let d = diff::text::compare(&old.program, &new.program);
        match args.format {
            Format::Human => emit(&format!("{}{}", assumed.lines(), d.human())),
            Format::Json => super::emit_json(&assumed.json(&d)),
        }
        return Exit::Ok;
    };
    register(args, facts, &assumed)
}

/// `--out` may not name one of the inputs.
fn refuse_overwrite(args: &DiffArgs) -> Result<(), crate::output::OutputError> {
    let mut inputs: Vec<&Path> = args
        .old
        .iter()
        .chain(&args.to)
        .map(PathBuf::as_path)
        .collect();
    inputs.extend(args.facts.as_deref());
    let outputs: Vec<(&str, &Path)> = args
        .out
        .as_deref()
        .map(|p| ("--out", p))
        .into_iter()
        .collect();
    crate::output::refuse_overwrite(&inputs, &outputs)
}

/// Both sets, each with the `--published` assumptions of its own policies;
/// a title in neither set is refused with the checker's own error.
fn compile_both(args: &DiffArgs) -> Result<(crate::check::Checked, crate::check::Checked), Exit> {
    let assumptions = args.published.assumptions();
    let old = compile_set(&args.old, &assumptions)?;
    let new = compile_set(&args.to, &assumptions)?;
    let known = |t: &str| {
        [&old.program, &new.program]
            .iter()
            .any(|p| p.policies.iter().any(|q| q.title.as_deref() == Some(t)))
    };
    if assumptions.published.iter().any(|a| !known(&a.title)) {
        let unknown = crate::check::Assumptions {
            published: assumptions
                .published
                .iter()
                .filter(|a| !known(&a.title))
                .cloned()
                .collect(),
        };
        super::compile_with(&args.to, &unknown, Format::Human)?;
    }
    Ok((old, new))
}

/// What `--published` assumed of each set, said in front of the answer.
struct Assumed<'a> {
    old: &'a crate::program::Program,
    new: &'a crate::program::Program,
}

impl Assumed<'_> {
    fn lines(&self) -> String {
        format!(
            "{}{}",
            crate::program::assumed_published_line(self.old),
            crate::program::assumed_published_line(self.new)
        )
    }

    fn json(&self, doc: &impl serde::Serialize) -> serde_json::Value {
        let mut doc = serde_json::to_value(doc).unwrap_or_default();
        if let Some(o) = doc.as_object_mut() {
            o.insert(
                "assumed_published".into(),
                crate::program::assumed_published_json(self.old),
            );
            o.insert(
                "to_assumed_published".into(),
                crate::program::assumed_published_json(self.new),
            );
        }
        doc
    }
}

/// Compares both sets over the register `facts`.
fn register(args: &DiffArgs, facts: &Path, assumed: &Assumed<'_>) -> Exit {
    let fail = |e: BatchError| {
        print_diagnostics(&[&e], Format::Human);
        Exit::Failure
    };
    let stdin = facts.as_os_str() == "-";
    let (input, len) = match super::open_register(facts) {
        Ok(opened) => opened,
        Err(e) => return fail(e),
    };
    let config = config(args, facts, stdin);
    // Renamed over the target only when the run completes.
    let mut rows_file = match args.out.as_deref().map(AtomicFile::create).transpose() {
        Ok(f) => f,
        Err(e) => {
            print_diagnostics(&[&e], Format::Human);
            return Exit::Failure;
        }
    };
    let mut rows: Option<Box<dyn Write>> = rows_file.as_mut().map(|f| {
        output_encoding(args.excel, args.output_encoding)
            .wrap(Box::new(BufWriter::with_capacity(1 << 20, f)))
    });
    let mut reporter = Stderr::new(len);
    let result = diff::register::run(
        assumed.old,
        assumed.new,
        input,
        rows.as_mut().map(|w| w as &mut dyn Write),
        &config,
        &mut reporter,
    );
    drop(rows);
    reporter.finish();
    let summary = match result {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    if let Some(Err(e)) = rows_file.map(AtomicFile::commit) {
        print_diagnostics(&[&e], Format::Human);
        return Exit::Failure;
    }
    match args.format {
        Format::Human => emit(&format!("{}{}", assumed.lines(), summary.human())),
        Format::Json => super::emit_json(&assumed.json(&summary)),
    }
    if summary.errors > 0 {
        Exit::Failure
    } else {
        Exit::Ok
    }
}

fn config(args: &DiffArgs, facts: &Path, stdin: bool) -> DiffConfig {
    let date = args
        .date
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    DiffConfig {
        before: EvalConfig {
            apply_date: args.apply_date,
            ..EvalConfig::on(date)
        },
        after: EvalConfig {
            apply_date: args.apply_date,
            ..EvalConfig::on(args.to_date.unwrap_or(date))
        },
        input: match args.input_format {
            Some(RowsFormat::Jsonl) => InputFormat::Jsonl,
            Some(RowsFormat::Csv) => InputFormat::Csv,
            None if !stdin && is_jsonl(facts) => InputFormat::Jsonl,
            None => InputFormat::Csv,
        },
        encoding: match args.encoding {
            EncodingArg::Utf8 => Encoding::Utf8,
            EncodingArg::Gb18030 => Encoding::Gb18030,
        },
        output: match args.rows_format {
            Some(RowsFormat::Jsonl) => OutputFormat::Jsonl,
            Some(RowsFormat::Csv) => OutputFormat::Csv,
            None if args.out.as_deref().is_some_and(is_jsonl) => OutputFormat::Jsonl,
            None => OutputFormat::Csv,
        },
        columns: args.columns.clone(),
    }
}
