//! Reading one fact value (from JSON, TOML, CSV or the REPL) against its
//! declared type. Numbers arrive as text and stay exact.

use chrono::NaiveDate;

use crate::check::suggest::{did_you_mean, similar};
use crate::num::{Money, NumError, Ratio, parse_decimal};
use crate::program::{Ty, Value};

/// A value as it appears in a facts file, before typing.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// A string.
    Str(String),
    /// A number, as its exact digits.
    Num(String),
    /// true / false.
    Bool(bool),
    /// Something else (an array, a table): the kind's name.
    Other(&'static str),
}

/// Why a value does not fit its type: what is wrong and how to write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong.
    pub problem: String,
    /// How to write it.
    pub help: String,
}

fn problem(p: impl Into<String>, h: impl Into<String>) -> Problem {
    Problem {
        problem: p.into(),
        help: h.into(),
    }
}

fn num_problem(e: &NumError, help: &str) -> Problem {
    problem(e.to_string(), help)
}

/// Reads a date: `2024-06-01` or `2024年6月1日`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d);
    }
    let (y, rest) = s.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.strip_suffix('日')?;
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Types a scalar against a fact's declared type.
pub fn typed(ty: &Ty, s: &Scalar) -> Result<Value, Problem> {
    if let Scalar::Str(t) = s {
        return typed_str(ty, t);
    }
    match ty {
        Ty::Bool => match s {
            Scalar::Bool(b) => Ok(Value::Bool(*b)),
            _ => Err(problem(format!("{} 不是 是/否", show(s)), BOOL_HELP)),
        },
        Ty::Money => match s {
            Scalar::Num(n) => parse_decimal(n)
                .map(|d| Value::Money(Money(d)))
                .map_err(|e| num_problem(&e, MONEY_HELP)),
            _ => Err(problem(format!("{} 不是金额", show(s)), MONEY_HELP)),
        },
        Ty::Ratio => match s {
            Scalar::Num(n) => parse_decimal(n)
                .map(|d| Value::Ratio(Ratio(d)))
                .map_err(|e| num_problem(&e, RATIO_HELP)),
            _ => Err(problem(format!("{} 不是比例", show(s)), RATIO_HELP)),
        },
        Ty::Date => Err(problem(format!("{} 不是日期", show(s)), DATE_HELP)),
        Ty::Text => Err(problem(
            format!("{} 不是文本", show(s)),
            "文本写在引号中，如 \"杭州市\"",
        )),
        Ty::Quantity(u) => match s {
            Scalar::Num(n) => parse_decimal(n)
                .map(Value::Quantity)
                .map_err(|e| num_problem(&e, &quantity_help(u))),
            _ => Err(problem(format!("{} 不是数量", show(s)), quantity_help(u))),
        },
        Ty::Enum { values, .. } => Err(problem(
            format!("{} 不是枚举取值", show(s)),
            format!("可选的取值：{}", values.join("、")),
        )),
    }
}

const BOOL_HELP: &str = "写 true、false、“是” 或 “否”";
const MONEY_HELP: &str = "写成 \"800万元\"、\"1.5亿元\"，或以元为单位的数字 8000000";
/// Why a facts file refuses `1,200,000` although a register takes it.
const GROUPED_HELP: &str = "事实文件中的金额不写千位分隔符：逗号在这里可能是笔误（1,2 是 12 还是 1.2？），事实文件由人逐项填写，严格才不会读错；写成 1200000 或 \"120万元\"。登记表（zhengce batch）的单元格可以写 1,200,000，因为电子表格会自动加上分隔符";
const RATIO_HELP: &str = "写成 \"20%\"、\"2‰\"，或小数 0.2";
const DATE_HELP: &str = "写成 \"2024-06-01\" 或 \"2024年6月1日\"";

fn quantity_help(unit: &str) -> String {
    format!("写成 \"2{unit}\" 或数字 2")
}

/// Types a text (a JSON or TOML string, a CSV cell) against a fact's
/// declared type, without building a [`Scalar`].
pub fn typed_str(ty: &Ty, t: &str) -> Result<Value, Problem> {
    match ty {
        Ty::Bool => match t.trim() {
            "是" | "true" => Ok(Value::Bool(true)),
            "否" | "false" => Ok(Value::Bool(false)),
            _ => Err(problem(format!("“{t}” 不是 是/否"), BOOL_HELP)),
        },
        Ty::Money => Money::parse(t).map(Value::Money).map_err(|e| {
            num_problem(
                &e,
                if t.contains([',', '，']) {
                    GROUPED_HELP
                } else {
                    MONEY_HELP
                },
            )
        }),
        Ty::Ratio => Ratio::parse(t)
            .map(Value::Ratio)
            .map_err(|e| num_problem(&e, RATIO_HELP)),
        Ty::Date => parse_date(t)
            .map(Value::Date)
            .ok_or_else(|| problem(format!("“{t}”不是存在的日期"), DATE_HELP)),
        Ty::Text => Ok(Value::Text(t.into())),
        Ty::Quantity(u) => {
            let digits = t.trim().strip_suffix(u.as_str()).unwrap_or(t.trim());
            parse_decimal(digits.trim())
                .map(Value::Quantity)
                .map_err(|_| problem(format!("“{t}”不是以{u}计的数量"), quantity_help(u)))
        }
        Ty::Enum { values, .. } => values
            .iter()
            .position(|v| v == t.trim())
            .map(Value::Enum)
            .ok_or_else(|| {
                let found = similar(t, values.iter().map(String::as_str));
                problem(
                    format!("“{t}”不是可选的取值"),
                    did_you_mean(&found, &format!("可选的取值：{}", values.join("、"))),
                )
            }),
    }
}

fn show(s: &Scalar) -> String {
    match s {
        Scalar::Str(t) => format!("“{t}”"),
        Scalar::Num(n) => n.clone(),
        Scalar::Bool(b) => b.to_string(),
        Scalar::Other(k) => (*k).to_string(),
    }
}
