//! One register cell → one fact value. An empty cell is a missing fact;
//! 是否 cells also accept 1/0 and TRUE/FALSE, and money cells thousands
//! separators (`1,200,000`, `1，200，000`), as spreadsheets write them;
//! a bare number in a column whose header names a unit (`研发投入（万元）`)
//! is in that unit; everything else is typed exactly as in a facts file.

use crate::facts::value::{Problem, typed_str};
use crate::facts::{Scalar, typed};
use crate::num::Money;
use crate::program::{Ty, Value};
use rust_decimal::Decimal;

const BOOL_HELP: &str = "是否列写 是/否、1/0 或 true/false；不知道时留空";

fn bool_word(t: &str) -> Option<bool> {
    match t {
        "是" | "1" | "true" | "TRUE" | "True" => Some(true),
        "否" | "0" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// Types a text cell; `Ok(None)` for an empty cell.
pub fn from_text(ty: &Ty, cell: &str) -> Result<Option<Value>, Problem> {
    let t = cell.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if let Ty::Bool = ty {
        return bool_word(t)
            .map(|b| Some(Value::Bool(b)))
            .ok_or_else(|| Problem {
                problem: format!("“{t}” 不是 是/否"),
                help: BOOL_HELP.into(),
            });
    }
    if let Ty::Money | Ty::Foreign(_) = ty
        && t.contains([',', '，'])
    {
        return typed_str(ty, &ungrouped(t)?).map(Some);
    }
    typed_str(ty, t).map(Some)
}

const GROUPING_HELP: &str = "千位分隔符每三位一个，如 1,200,000 或 1，200，000；也可不写分隔符";

/// `1,200,000.50万元` → `1200000.50万元`, refusing separators that do not
/// group thousands (`12,00`, `1,,000`, `,100`): those are more likely a
/// typo than a spreadsheet's formatting.
fn ungrouped(t: &str) -> Result<String, Problem> {
    let bad = || Problem {
        problem: format!("“{t}”的千位分隔符位置不对"),
        help: GROUPING_HELP.into(),
    };
    let sign = usize::from(t.starts_with(['-', '+']));
    let (head, rest) = t.split_at(sign);
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '，'))
        .unwrap_or(rest.len());
    let (int, tail) = rest.split_at(end);
    if tail.contains([',', '，']) {
        return Err(bad());
    }
    let mut groups = int.split([',', '，']);
    let first = groups.next().unwrap_or_default();
    if first.is_empty() || first.len() > 3 || groups.clone().any(|g| g.len() != 3) {
        return Err(bad());
    }
    let digits: String = int.chars().filter(char::is_ascii_digit).collect();
    Ok(format!("{head}{digits}{tail}"))
}

/// Types a money cell of a column whose header names a unit `places`
/// decimal places above 元 (4 for 万元, 8 for 亿元): a bare number is in
/// that unit; a cell that writes its own unit (`800元`) keeps it.
pub fn money_in(cell: &str, places: u32) -> Result<Option<Value>, Problem> {
    let t = cell.trim();
    let bare = t
        .trim_start_matches(['-', '+'])
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '，'));
    if !bare || t.is_empty() {
        return from_text(&Ty::Money, t);
    }
    let unit = match places {
        4 => "万元",
        8 => "亿元",
        _ => "元",
    };
    let digits = if t.contains([',', '，']) {
        ungrouped(t)?
    } else {
        t.to_string()
    };
    from_text(&Ty::Money, &format!("{digits}{unit}"))
}

/// Which fast reading a column's cells take, decided once from the
/// fact's type when the header is read, so that a cell is not matched
/// against the whole type again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fast {
    /// 是否: 1 / 0.
    Bool,
    /// 金额: digits of 元, 万元, 亿元.
    Money,
    /// 数量: plain digits.
    Quantity,
    /// An enumeration: one of its values exactly.
    Enum,
    /// None: every cell but an empty one takes [`from_text`].
    Slow,
}

impl Fast {
    /// The reading for a fact of type `ty`.
    pub fn of(ty: &Ty) -> Fast {
        match ty {
            Ty::Bool => Fast::Bool,
            Ty::Money => Fast::Money,
            Ty::Quantity(_) => Fast::Quantity,
            Ty::Enum { .. } => Fast::Enum,
            _ => Fast::Slow,
        }
    }

    /// Types the cells registers are mostly made of straight from their
    /// bytes, for a fact whose reading is `self`: an empty cell, 1/0 in a
    /// 是否 column, an enumeration value as written, and plain digits of
    /// 元 (bare or with 元/万元/亿元) or of a quantity. The value, written
    /// into `slot`, is the one [`from_text`] gives, to the decimal scale.
    /// `false`, with `slot` left alone: anything else, left to
    /// [`from_text`] (which also words the problems). `ty` gives the
    /// fact's type, asked only for an enumeration's values.
    ///
    /// Each reading writes its value where it goes: built apart and
    /// returned, a value was stored a field at a time and reloaded whole,
    /// a store-forwarding stall that cost a CSV row's reading a quarter of
    /// its time.
    #[inline]
    pub fn read_into<'t>(
        self,
        cell: &[u8],
        ty: impl FnOnce() -> Option<&'t Ty>,
        slot: &mut Option<Value>,
    ) -> bool {
        if cell.is_empty() {
            *slot = None;
            return true;
        }
        match self {
            Fast::Bool => match cell {
                b"1" => *slot = Some(Value::Bool(true)),
                b"0" => *slot = Some(Value::Bool(false)),
                _ => return false,
            },
            Fast::Money => {
                let (digits, places) = if let Some(d) = cell.strip_suffix("万元".as_bytes()) {
                    (d, 4)
                } else if let Some(d) = cell.strip_suffix("亿元".as_bytes()) {
                    (d, 8)
                } else if let Some(d) = cell.strip_suffix("元".as_bytes()) {
                    (d, 0)
                } else {
                    let Some(d) = plain(cell) else { return false };
                    *slot = Some(Value::Money(Money(d)));
                    return true;
                };
                let Some((mut m, mut scale)) = digits_of(digits) else {
                    return false;
                };
                // As `num::shift` does: drop trailing zeros, then move the
                // decimal point by the unit's places.
                while scale > 0 && m % 10 == 0 {
                    m /= 10;
                    scale -= 1;
                }
                let d = if scale >= places {
                    Decimal::try_from_i128_with_scale(i128::from(m), scale - places).ok()
                } else {
                    10i128
                        .checked_pow(places - scale)
                        .and_then(|up| i128::from(m).checked_mul(up))
                        .and_then(|n| Decimal::try_from_i128_with_scale(n, 0).ok())
                };
                let Some(d) = d else { return false };
                *slot = Some(Value::Money(Money(d)));
            }
            Fast::Quantity => {
                let Some(d) = plain(cell) else { return false };
                *slot = Some(Value::Quantity(d));
            }
            Fast::Enum => {
                let Some(Ty::Enum { values, .. }) = ty() else {
                    return false;
                };
                // A value with white space around it would not equal the
                // trimmed cell: leave those to the general path.
                let Some(i) = values.iter().position(|v| v.as_bytes() == cell) else {
                    return false;
                };
                if values.get(i).is_none_or(|v| v.trim().len() != v.len()) {
                    return false;
                }
                *slot = Some(Value::Enum(i));
            }
            Fast::Slow => return false,
        }
        true
    }
}

/// Digits with at most one inner point and at most 18 digits (so that
/// they fit a `u64` exactly): the number without its point, and the
/// number of digits after it.
#[inline]
fn digits_of(bytes: &[u8]) -> Option<(u64, u32)> {
    if bytes.first() == Some(&b'.') || bytes.last() == Some(&b'.') || bytes.is_empty() {
        return None;
    }
    let mut m: u64 = 0;
    let mut digits = 0;
    let mut scale = None;
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                m = m * 10 + u64::from(b - b'0');
                digits += 1;
                if digits > 18 {
                    return None;
                }
            }
            b'.' if scale.is_none() => scale = Some(bytes.len() - i - 1),
            _ => return None,
        }
    }
    Some((m, u32::try_from(scale.unwrap_or(0)).ok()?))
}

/// Plain digits read exactly as `Decimal::from_str_exact` reads them (the
/// scale is the number of digits written after the point).
#[inline]
fn plain(bytes: &[u8]) -> Option<Decimal> {
    let (m, scale) = digits_of(bytes)?;
    Decimal::try_from_i128_with_scale(i128::from(m), scale).ok()
}

/// Types a JSON Lines value; `Ok(None)` for `null` or an empty string.
pub fn from_json(ty: &Ty, v: &serde_json::Value) -> Result<Option<Value>, Problem> {
    match v {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::String(s) => from_text(ty, s),
        serde_json::Value::Number(n) => {
            let digits = n.to_string();
            match (ty, digits.as_str()) {
                (Ty::Bool, "1") => Ok(Some(Value::Bool(true))),
                (Ty::Bool, "0") => Ok(Some(Value::Bool(false))),
                _ => typed(ty, &Scalar::Num(digits)).map(Some),
            }
        }
        serde_json::Value::Bool(b) => typed(ty, &Scalar::Bool(*b)).map(Some),
        serde_json::Value::Array(_) => typed(ty, &Scalar::Other("数组")).map(Some),
        serde_json::Value::Object(_) => typed(ty, &Scalar::Other("对象")).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast reading of `cell` as a value of `ty`, `None` where it
    /// takes the general path.
    fn fast(ty: &Ty, cell: &[u8]) -> Option<Option<Value>> {
        let mut v = None;
        Fast::of(ty)
            .read_into(cell, || Some(ty), &mut v)
            .then_some(v)
    }

    /// The fast path gives what the general path gives, to the scale.
    #[test]
    fn fast_cells_are_typed_as_text_cells_are() {
        let enums = Ty::Enum {
            values: vec!["优秀".into(), "良好".into(), "合格".into()],
            ordered: false,
        };
        let quantity = Ty::Quantity("家".into());
        let mut money = vec![
            "0",
            "0.0",
            "0.00",
            "00",
            "007",
            "007.50",
            "1",
            "10",
            "100.10",
            "3348.21",
            "5.09万元",
            "5.10万元",
            "0万元",
            "0.00万元",
            "0.0001万元",
            "0.00001万元",
            "12345678901234.5678万元",
            "1.5亿元",
            "0.000000001亿元",
            "2000元",
            "2000.00元",
            "999999999999999999",
            "99999999999999999.9亿元",
            "123456789012345678亿元",
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
        // A spread of digit strings, points and units.
        let mut x: u64 = 7;
        for _ in 0..2000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let n = (x >> 20) % 10u64.pow(u32::try_from((x >> 8) % 13).unwrap_or(0));
            let mut t = n.to_string();
            let point = usize::try_from((x >> 4) % 6).unwrap_or(0);
            if point > 0 && point < t.len() {
                t.insert(t.len() - point, '.');
            }
            t.push_str(["", "元", "万元", "亿元"][usize::try_from(x % 4).unwrap_or(0)]);
            money.push(t);
        }
        for t in &money {
            let want = from_text(&Ty::Money, t).unwrap();
            let got = fast(&Ty::Money, t.as_bytes()).unwrap_or_else(|| panic!("{t}"));
            let (Some(Value::Money(w)), Some(Value::Money(g))) = (&want, &got) else {
                panic!("{t}")
            };
            assert_eq!(
                (w.0.mantissa(), w.0.scale()),
                (g.0.mantissa(), g.0.scale()),
                "{t}"
            );
            if !t.contains('元') {
                let Some(Some(Value::Quantity(q))) = fast(&quantity, t.as_bytes()) else {
                    panic!("{t}")
                };
                assert_eq!(
                    (w.0.mantissa(), w.0.scale()),
                    (q.mantissa(), q.scale()),
                    "{t}"
                );
                assert_eq!(from_text(&quantity, t), Ok(Some(Value::Quantity(q))));
            }
        }
        for t in ["", "1", "0"] {
            assert_eq!(
                fast(&Ty::Bool, t.as_bytes()),
                Some(from_text(&Ty::Bool, t).unwrap())
            );
        }
        for t in ["优秀", "合格", ""] {
            assert_eq!(
                fast(&enums, t.as_bytes()),
                Some(from_text(&enums, t).unwrap())
            );
        }
        for t in GENERAL {
            assert_eq!(fast(&Ty::Money, t.as_bytes()), None, "{t}");
            assert_eq!(fast(&enums, t.as_bytes()), None, "{t}");
        }
        assert_eq!(fast(&Ty::Bool, b"true"), None);
        assert_eq!(fast(&Ty::Text, b"1"), None);
    }

    /// Left to the general path: white space, signs, exponents, other
    /// words, too many digits, points at the ends.
    const GENERAL: [&str; 16] = [
        " 1",
        "1 ",
        "1 万元",
        "-1",
        "+1",
        "1e3",
        "1..2",
        ".5",
        "5.",
        "1,000",
        "一万元",
        "1234567890123456789",
        "是",
        "优秀 ",
        "万元",
        "元",
    ];

    /// A cell left to the general path leaves the fact's slot as it was
    /// (the general path reads it next, and words its problem), and one
    /// read overwrites it; an empty cell, of any type, with nothing.
    #[test]
    fn a_cell_read_in_place_writes_its_slot_only_when_read() {
        let enums = Ty::Enum {
            values: vec!["优秀".into(), " 良好".into()],
            ordered: false,
        };
        let quantity = Ty::Quantity("家".into());
        let before = Some(Value::Rank(7));
        for ty in [&Ty::Money, &quantity, &Ty::Bool, &enums, &Ty::Text] {
            for t in GENERAL.iter().chain(&["true", " 良好", "2"]) {
                let mut slot = before.clone();
                let read = Fast::of(ty).read_into(t.as_bytes(), || Some(ty), &mut slot);
                assert!(!read || *t == "2" && ty != &Ty::Bool && ty != &enums, "{t}");
                if !read {
                    assert_eq!(slot, before, "{t}");
                }
            }
            let mut slot = before.clone();
            assert!(Fast::of(ty).read_into(b"", || Some(ty), &mut slot));
            assert_eq!(slot, None);
        }
        let mut slot = before.clone();
        assert!(Fast::Money.read_into("2万元".as_bytes(), || None, &mut slot));
        assert_eq!(
            slot,
            Some(Value::Money(Money(
                Decimal::from_str_exact("20000").unwrap()
            )))
        );
    }

    #[test]
    fn thousands_separators_group_by_three() {
        let yuan = |t: &str| match from_text(&Ty::Money, t) {
            Ok(Some(Value::Money(m))) => Some(m.to_yuan_string()),
            _ => None,
        };
        assert_eq!(yuan("1,200,000").as_deref(), Some("1200000.00"));
        assert_eq!(yuan("1，200，000").as_deref(), Some("1200000.00"));
        assert_eq!(yuan("1,200.5万元").as_deref(), Some("12005000.00"));
        assert_eq!(yuan("999,999.99").as_deref(), Some("999999.99"));
        for bad in [
            "12,00", "1,,000", ",100", "1,000,00", "1000,000", "1.000,5", "1,0000",
        ] {
            let err = from_text(&Ty::Money, bad).unwrap_err();
            assert_eq!(err.problem, format!("“{bad}”的千位分隔符位置不对"), "{bad}");
        }
        // In a 万元 column a bare number is in 万元, a written unit wins.
        let wan = |t: &str| match money_in(t, 4) {
            Ok(Some(Value::Money(m))) => Some(m.to_yuan_string()),
            _ => None,
        };
        assert_eq!(wan("1,200").as_deref(), Some("12000000.00"));
        assert_eq!(wan("0.5").as_deref(), Some("5000.00"));
        assert_eq!(wan("800元").as_deref(), Some("800.00"));
        assert_eq!(money_in("", 4), Ok(None));
    }

    #[test]
    fn yes_no_cells() {
        for (cell, want) in [
            ("1", true),
            ("0", false),
            ("是", true),
            ("否", false),
            ("TRUE", true),
            ("false", false),
        ] {
            assert_eq!(
                from_text(&Ty::Bool, cell),
                Ok(Some(Value::Bool(want))),
                "{cell}"
            );
        }
        assert!(from_text(&Ty::Bool, "2").is_err());
    }

    #[test]
    fn empty_is_missing_and_money_takes_units() {
        assert_eq!(from_text(&Ty::Money, "  "), Ok(None));
        assert_eq!(
            from_text(&Ty::Money, "800万元"),
            Ok(Some(Value::Money(Money(Decimal::from(8_000_000)))))
        );
        assert_eq!(
            from_text(&Ty::Money, "8000000.5"),
            Ok(Some(Value::Money(Money(Decimal::new(80_000_005, 1)))))
        );
    }
}
