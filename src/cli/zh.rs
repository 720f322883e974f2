//! The command line in Chinese: clap's help layout, headings, flags and
//! usage errors are English; drafters read Chinese. The commands' own
//! descriptions are already Chinese (doc comments); this module gives
//! everything around them the same language and keeps exit status 2 for
//! wrong use.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};

use super::{Cli, Exit};

const TEMPLATE: &str = "\
{before-help}{about-with-newline}
用法：{usage}

{all-args}{after-help}";

/// Chinese names for the values of common options, in place of clap's
/// upper-cased ids (`<FORMAT>`).
fn value_name(id: &str) -> Option<&'static str> {
    Some(match id {
        "paths" => "文件或目录",
        "format" => "格式",
        "date" | "apply_date" => "日期",
        "facts" => "事实文件",
        "filter" => "文字",
        "out" | "summary" | "details" => "文件",
        "source" => "语料文件",
        "encoding" => "编码",
        _ => return None,
    })
}

/// The `zhengce` command with Chinese help and headings.
pub fn command() -> Command {
    localise(Cli::command()).disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help("显示版本")
            .help_heading("选项"),
    )
}

fn localise(cmd: Command) -> Command {
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let mut cmd = cmd
        .help_template(TEMPLATE)
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .mut_args(localise_arg)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助（-h 为摘要，--help 为全文）")
                .help_heading("选项"),
        );
    for name in subs {
        cmd = cmd.mut_subcommand(name, localise);
    }
    cmd
}

fn localise_arg(arg: Arg) -> Arg {
    let positional = arg.get_long().is_none() && arg.get_short().is_none();
    let mut arg = arg.help_heading(if positional { "参数" } else { "选项" });
    // The derive names a value after its field (`<FORMAT>`); those get a
    // Chinese name, names written by hand stay.
    let derived = arg.get_value_names().is_some_and(|n| {
        n.len() == 1 && n.iter().all(|n| *n == arg.get_id().as_str().to_uppercase())
    });
    if derived && let Some(name) = value_name(arg.get_id().as_str()) {
        arg = arg.value_name(name);
    }
    let values: Vec<clap::builder::PossibleValue> = arg
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .collect();
    if values.is_empty() || arg.is_hide_possible_values_set() || !arg.get_action().takes_values() {
        return arg;
    }
    let full = arg.get_help().map(ToString::to_string).unwrap_or_default();
    let help = full.trim_end_matches('。');
    let names: Vec<&str> = values.iter().map(|v| v.get_name()).collect();
    let default: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let default = if default.is_empty() {
        String::new()
    } else {
        format!("；默认 {}", default.join("、"))
    };
    let short = format!("{help}（可选：{}{default}）", names.join("、"));
    let mut long = format!("{full}\n\n可选值：");
    for v in &values {
        match v.get_help() {
            Some(h) => long.push_str(&format!("\n- {}：{h}", v.get_name())),
            None => long.push_str(&format!("\n- {}", v.get_name())),
        }
    }
    if !default.is_empty() {
        long.push_str(&format!("\n\n{}", default.trim_start_matches('；')));
    }
    arg.hide_possible_values(true)
        .hide_default_value(true)
        .help(short)
        .long_help(long)
}

/// Parses the command line; help and version are printed here (exit 0),
/// usage errors are reported in Chinese (exit 2).
pub fn parse<I, T>(args: I) -> Result<Cli, Exit>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    let mut cmd = command();
    let matches = cmd.try_get_matches_from_mut(args.clone());
    match matches.and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => Ok(cli),
        Err(e) => {
            // The usage shown is the subcommand's when one was named.
            let sub = args
                .iter()
                .skip(1)
                .filter_map(|a| a.to_str())
                .find(|a| cmd.find_subcommand(a).is_some())
                .map(str::to_string);
            match sub {
                Some(name) => match cmd.find_subcommand_mut(name) {
                    Some(s) => Err(report(&e, s)),
                    None => Err(report(&e, &mut cmd)),
                },
                None => Err(report(&e, &mut cmd)),
            }
        }
    }
}

/// Clap's own words that its usage lines still carry.
fn chinese_usage(s: &str) -> String {
    s.replace("Usage: ", "用法：")
        .replace("[OPTIONS]", "[选项]")
        .replace("<COMMAND>", "<命令>")
}

fn report(e: &clap::Error, cmd: &mut Command) -> Exit {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            super::emit(&format!(
                "{}\n",
                chinese_usage(e.render().to_string().trim_end())
            ));
            return Exit::Ok;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            eprintln!("{}", chinese_usage(e.render().to_string().trim_end()));
            return Exit::Usage;
        }
        _ => {}
    }
    eprint!("{}", message(e, cmd));
    Exit::Usage
}

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join("、")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("、"),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::Bool(_) | ContextValue::None => None,
        _ => None,
    }
}

/// A usage error in Chinese: what is wrong, a suggestion when clap has
/// one, the usage line and where to read more.
pub fn message(e: &clap::Error, cmd: &mut Command) -> String {
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    let mut out = match e.kind() {
        ErrorKind::InvalidSubcommand => format!(
            "错误：没有子命令“{}”",
            context(e, ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::UnknownArgument => format!("错误：无法识别的参数“{arg}”"),
        ErrorKind::MissingRequiredArgument => format!("错误：缺少必需的参数：{arg}"),
        ErrorKind::InvalidValue if value.is_empty() => format!("错误：{arg} 需要一个值"),
        ErrorKind::InvalidValue => {
            let valid = context(e, ContextKind::ValidValue)
                .map_or(String::new(), |v| format!("；可选值：{v}"));
            format!("错误：“{value}”不是 {arg} 的有效值{valid}")
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e).map_or(String::new(), |s| format!("：{s}"));
            format!("错误：{arg} 的值“{value}”无效{why}")
        }
        ErrorKind::ArgumentConflict => {
            let prior = context(e, ContextKind::PriorArg).unwrap_or_default();
            format!("错误：{arg} 不能与 {prior} 同时使用")
        }
        ErrorKind::TooManyValues => format!("错误：多余的值“{value}”（{arg}）"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("错误：{arg} 的值的个数不对")
        }
        ErrorKind::NoEquals => format!("错误：{arg} 的值须用 = 连接"),
        ErrorKind::InvalidUtf8 => "错误：命令行参数不是有效的 UTF-8".to_string(),
        _ => format!("错误：命令行用法有误（{}）", e.kind()),
    };
    out.push('\n');
    for kind in [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ] {
        if let Some(s) = context(e, kind) {
            out.push_str(&format!("\n  提示：是否想写“{s}”？\n"));
        }
    }
    if let Some(ContextValue::Bool(true)) = e.get(ContextKind::TrailingArg) {
        out.push_str(&format!(
            "\n  提示：要把“{arg}”当作值，写在 -- 之后：-- {arg}\n"
        ));
    }
    let usage = match e.get(ContextKind::Usage) {
        Some(ContextValue::StyledStr(u)) => u.to_string(),
        _ => cmd.render_usage().to_string(),
    };
    out.push_str(&format!(
        "\n{}\n\n更多信息：加 --help\n",
        chinese_usage(usage.trim_end())
    ));
    out
}
