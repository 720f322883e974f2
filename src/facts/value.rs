//! Reading one fact value (from JSON, TOML, CSV or the REPL) against its
//! declared type. Numbers arrive as text and stay exact.

use chrono::NaiveDate;

use super::ByYear;
use crate::check::suggest::{did_you_mean, similar};
use crate::currency::{Currency, Written, parse_amount};
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

/// Why text is not a date, in words for the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Not in either written form.
    Form,
    /// The year is not four digits (`24-1-1`, `-2024-01-01`, `+2024-01-01`).
    Year,
    /// In form, but no such day (`2024-02-30`).
    NoSuchDay,
}

impl std::fmt::Display for DateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DateError::Form => "不是日期",
            DateError::Year => "年份须为四位数字",
            DateError::NoSuchDay => "不是存在的日期",
        })
    }
}

/// Reads a date as a policy literal is written: `2024-06-01`, `2024-6-1`
/// or `2024年6月1日`, a four-digit year and a one- or two-digit month and
/// day, ASCII digits only. Every reader of dates (policies, facts files,
/// registers, the command line, the editor) goes through here, so a date
/// one of them refuses is refused by all: chrono's `%Y` alone would read
/// `24-1-1` as the year 24 and `-2024-01-01` as 2025 BC.
pub fn read_date(s: &str) -> Result<NaiveDate, DateError> {
    let s = s.trim();
    let digits = |t: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
    };
    if s.starts_with(['+', '-', '＋', '－']) {
        return Err(DateError::Year);
    }
    let (y, m, d) = match s.split_once('年') {
        Some((y, rest)) => {
            let (m, rest) = rest.split_once('月').ok_or(DateError::Form)?;
            (y, m, rest.strip_suffix('日').ok_or(DateError::Form)?)
        }
        None => {
            let mut parts = s.splitn(3, '-');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(y), Some(m), Some(d)) => (y, m, d),
                _ => return Err(DateError::Form),
            }
        }
    };
    if !digits(m, 1..=2) || !digits(d, 1..=2) {
        return Err(DateError::Form);
    }
    if !digits(y, 4..=4) {
        return Err(if digits(y, 1..=usize::MAX) {
            DateError::Year
        } else {
            DateError::Form
        });
    }
    let n = |t: &str| t.parse::<u32>().map_err(|_| DateError::Form);
    let year = i32::try_from(n(y)?).map_err(|_| DateError::Year)?;
    NaiveDate::from_ymd_opt(year, n(m)?, n(d)?).ok_or(DateError::NoSuchDay)
}

/// [`read_date`], when only whether it is a date matters.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    read_date(s).ok()
}

/// Types a scalar against a fact's declared type.
pub fn typed(ty: &Ty, s: &Scalar) -> Result<Value, Problem> {
    if let Scalar::Str(t) = s {
        return typed_str(ty, t);
    }
    match ty {
        Ty::List => Err(list_problem()),
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
        Ty::Foreign(c) => match s {
            Scalar::Num(n) => parse_decimal(n)
                .map(|d| Value::Foreign(Money(d), *c))
                .map_err(|e| num_problem(&e, &foreign_help(*c))),
            _ => Err(problem(
                format!("{} 不是{c}金额", show(s)),
                foreign_help(*c),
            )),
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
        Ty::Rank => match s {
            Scalar::Num(n) => rank_str(n),
            _ => Err(problem(format!("{} 不是名次", show(s)), RANK_HELP)),
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
const DATE_HELP: &str = "写成 \"2024-06-01\" 或 \"2024年6月1日\"（年份四位）";

fn foreign_help(c: Currency) -> String {
    format!("这个事实以{c}计：写成 \"520万{c}\"、\"5200000{c}\"，或以{c}为单位的数字 5200000")
}

/// A text for a fact in a foreign currency: that currency or a bare
/// number; 元 or another currency is refused, never converted silently.
fn foreign_str(c: Currency, t: &str) -> Result<Value, Problem> {
    match parse_amount(t) {
        Ok((m, Written::Bare)) => Ok(Value::Foreign(m, c)),
        Ok((m, Written::Foreign(w))) if w == c => Ok(Value::Foreign(m, c)),
        Ok((_, Written::Foreign(w))) => Err(problem(
            format!("“{}”以{w}计，而这个事实以{c}计", t.trim()),
            foreign_help(c),
        )),
        Ok((_, Written::Yuan)) => Err(problem(
            format!("“{}”以元计，而这个事实以{c}计", t.trim()),
            format!(
                "{}；不要自行折算成元，政策中的 按 … 折算 会按当日汇率换算",
                foreign_help(c)
            ),
        )),
        Err(e) => Err(num_problem(&e, &foreign_help(c))),
    }
}

/// A list fact written as one value: its items are records.
fn list_problem() -> Problem {
    problem(
        "列表事实的值不是一个值".to_string(),
        "写成各项的数组：[{\"项目投资额\": \"300万元\"}, …]",
    )
}

fn quantity_help(unit: &str) -> String {
    format!("写成 \"2{unit}\"、\"1.5万{unit}\" 或数字 2")
}

/// Types a text (a JSON or TOML string, a CSV cell) against a fact's
/// declared type, without building a [`Scalar`].
pub fn typed_str(ty: &Ty, t: &str) -> Result<Value, Problem> {
    match ty {
        Ty::List => Err(list_problem()),
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
        Ty::Foreign(c) => foreign_str(*c, t),
        Ty::Ratio => Ratio::parse(t)
            .map(Value::Ratio)
            .map_err(|e| num_problem(&e, RATIO_HELP)),
        Ty::Date => read_date(t)
            .map(Value::Date)
            .map_err(|e| problem(format!("“{t}”{e}"), DATE_HELP)),
        // Trimmed as a register's cell is and as a policy's quoted text
        // is: `" 杭州市"` is 杭州市 in every input.
        Ty::Text => Ok(Value::Text(t.trim().into())),
        Ty::Quantity(u) => {
            let written = t.trim();
            // `2.5万平方米`, as a policy's own quantities may be written;
            // 万 only before the unit, never on a bare number.
            let (digits, wan) = match written.strip_suffix(u.as_str()) {
                Some(d) => match d.trim_end().strip_suffix('万') {
                    Some(d) => (d, true),
                    None => (d, false),
                },
                None => (written, false),
            };
            parse_decimal(digits.trim())
                .ok()
                .and_then(|n| {
                    if wan {
                        crate::num::shift(n, 4)
                    } else {
                        Some(n)
                    }
                })
                .map(Value::Quantity)
                .ok_or_else(|| problem(format!("“{t}”不是以{u}计的数量"), quantity_help(u)))
        }
        Ty::Rank => rank_str(t),
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

const RANK_HELP: &str = "名次是不小于 1 的整数，第1名 最靠前：写成 3、\"第3名\" 或 \"第三名\"";

/// A rank as a number is written: a whole number from 1 on. 0, negative
/// and fractional ranks do not exist; reading one as the nearest rank
/// would hand a grant to an entity no list placed there.
pub fn whole_rank(n: rust_decimal::Decimal) -> Option<u32> {
    use rust_decimal::prelude::ToPrimitive;
    if n.fract().is_zero() && n >= rust_decimal::Decimal::ONE {
        n.to_u32()
    } else {
        None
    }
}

/// Reads a rank as every input writes it: `3`, `第3名` or `第三名`, with
/// spaces around it ignored.
pub fn read_rank(t: &str) -> Option<u32> {
    let t = t.trim();
    let digits = t
        .strip_prefix('第')
        .and_then(|r| r.strip_suffix('名'))
        .unwrap_or(t)
        .trim();
    match crate::num::chinese_numeral(digits) {
        Some(n) => (n >= 1).then_some(n),
        None => whole_rank(parse_decimal(digits).ok()?),
    }
}

fn rank_str(t: &str) -> Result<Value, Problem> {
    read_rank(t).map(Value::Rank).ok_or_else(|| {
        let t = t.trim();
        let digits = t
            .strip_prefix('第')
            .and_then(|r| r.strip_suffix('名'))
            .unwrap_or(t)
            .trim();
        let negative = digits.strip_prefix(['-', '－']);
        let why = match parse_decimal(negative.unwrap_or(digits)) {
            _ if crate::num::chinese_numeral(digits) == Some(0) => {
                "名次从 第1名 起，没有 0 或负的名次"
            }
            Ok(_) if negative.is_some() => "名次从 第1名 起，没有 0 或负的名次",
            Ok(n) if !n.fract().is_zero() => "名次不能有小数",
            Ok(n) if n < rust_decimal::Decimal::ONE => "名次从 第1名 起，没有 0 或负的名次",
            Ok(_) => "名次过大",
            Err(_) => "不是名次",
        };
        problem(format!("“{t}”：{why}"), RANK_HELP)
    })
}

fn show(s: &Scalar) -> String {
    match s {
        Scalar::Str(t) => format!("“{t}”"),
        Scalar::Num(n) => n.clone(),
        Scalar::Bool(b) => b.to_string(),
        Scalar::Other(k) => (*k).to_string(),
    }
}

/// The items of list fact `list` from a JSON array of objects (a JSON or
/// TOML facts file, a JSON Lines row): each key a field of the list, each
/// value read as that field's would be as a fact; `null` or an absent key
/// is a missing field. A problem names the item, counted from 1.
pub fn list_json(
    vocab: &crate::program::Vocab,
    list: crate::program::FactId,
    v: &serde_json::Value,
) -> Result<Value, Problem> {
    let name = vocab.name(list);
    let fields = vocab.fields.get(&list).map_or(&[][..], Vec::as_slice);
    let names: Vec<&str> = fields.iter().map(|&f| vocab.name(f)).collect();
    let shape = || {
        problem(
            format!("列表事实“{name}”应是各项的数组"),
            format!(
                "写成 [{{\"{}\": …}}, …]，每项一个对象",
                names.first().copied().unwrap_or("字段")
            ),
        )
    };
    let serde_json::Value::Array(items) = v else {
        return Err(shape());
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = i + 1;
        let serde_json::Value::Object(map) = item else {
            return Err(problem(
                format!("{name}[{at}] 不是对象"),
                format!("每项写成一个对象，键为字段：{}", names.join("、")),
            ));
        };
        let mut values: Vec<Option<Value>> = vec![None; fields.len()];
        for (k, fv) in map {
            let Some(pos) = names.iter().position(|n| *n == k.trim()) else {
                return Err(problem(
                    format!("{name}[{at}] 没有字段“{k}”"),
                    crate::check::suggest::did_you_mean(
                        &crate::check::suggest::similar(k, names.iter().copied()),
                        &format!("{name}的字段：{}", names.join("、")),
                    ),
                ));
            };
            let Some(decl) = fields.get(pos).and_then(|&f| vocab.get(f)) else {
                continue;
            };
            let Some(scalar) = json_scalar(fv) else {
                continue;
            };
            let value = typed(&decl.ty, &scalar).map_err(|p| {
                problem(
                    format!(
                        "{name}[{at}].{}（{}）：{}",
                        decl.name,
                        decl.ty.describe(),
                        p.problem
                    ),
                    p.help,
                )
            })?;
            if let Some(slot) = values.get_mut(pos) {
                *slot = Some(value);
            }
        }
        out.push(values);
    }
    Ok(Value::List(out.into()))
}

/// A JSON value as a scalar to type; `None` for `null`.
fn json_scalar(v: &serde_json::Value) -> Option<Scalar> {
    Some(match v {
        serde_json::Value::Null => return None,
        serde_json::Value::Bool(b) => Scalar::Bool(*b),
        serde_json::Value::Number(n) => Scalar::Num(n.to_string()),
        serde_json::Value::String(s) => Scalar::Str(s.clone()),
        serde_json::Value::Array(_) => Scalar::Other("数组"),
        serde_json::Value::Object(_) => Scalar::Other("对象"),
    })
}

/// A year as a key of a fact given year by year: `2024` or `2024年`.
pub fn read_year(key: &str) -> Option<i32> {
    let digits = key.trim();
    let digits = digits.strip_suffix('年').unwrap_or(digits);
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// A fact given year by year (按年), as a JSON object (from a JSON or
/// TOML facts file, a JSON Lines row): each key a year, each value read
/// as the fact's own would be; `null` is a missing year. A list fact is
/// never given by year: its items carry their own dates.
pub fn year_json(ty: &Ty, v: &serde_json::Value) -> Result<ByYear, Problem> {
    let serde_json::Value::Object(map) = v else {
        return Err(problem("按年填写的值不是对象", YEAR_HELP));
    };
    if *ty == Ty::List {
        return Err(problem(
            "列表事实不能按年填写",
            "列表的各项写成数组；哪一年的项目，用项目自己的日期字段区分",
        ));
    }
    let mut years: Vec<(i32, Option<Value>)> = Vec::with_capacity(map.len());
    for (k, fv) in map {
        let Some(year) = read_year(k) else {
            return Err(problem(format!("“{k}”不是年份"), YEAR_HELP));
        };
        if years.iter().any(|y| y.0 == year) {
            return Err(problem(format!("{year}年写了两次"), "每一年只写一个值"));
        }
        let value = match json_scalar(fv) {
            None => None,
            Some(s) => Some(
                typed(ty, &s).map_err(|p| problem(format!("{year}年：{}", p.problem), p.help))?,
            ),
        };
        years.push((year, value));
    }
    Ok(ByYear::new(years))
}

/// How a fact is written year by year.
const YEAR_HELP: &str = "按年填写时写成对象，键为四位年份：{\"2023\": …, \"2024年\": …}";

#[cfg(test)]
mod date_tests {
    use super::{DateError, read_date};
    use chrono::NaiveDate;

    #[test]
    fn dates_are_read_as_policy_literals_are_written() {
        let d = NaiveDate::from_ymd_opt(2024, 1, 5);
        for ok in ["2024-01-05", "2024-1-5", "2024年1月5日", " 2024年01月05日 "] {
            assert_eq!(read_date(ok).ok(), d, "{ok}");
        }
        for (bad, why) in [
            ("24-1-5", DateError::Year),
            ("24年1月5日", DateError::Year),
            ("02024-01-05", DateError::Year),
            ("-2024-01-05", DateError::Year),
            ("+2024-01-05", DateError::Year),
            ("－2024-01-05", DateError::Year),
            ("2024-001-05", DateError::Form),
            ("2024-01-05T00:00", DateError::Form),
            ("２０２４-01-05", DateError::Form),
            ("20240105", DateError::Form),
            ("2024/01/05", DateError::Form),
            ("2024-02-30", DateError::NoSuchDay),
            ("", DateError::Form),
        ] {
            assert_eq!(read_date(bad), Err(why), "{bad}");
        }
    }
}
