//! One register cell → one fact value. An empty cell is a missing fact;
//! 是否 cells also accept 1/0 and TRUE/FALSE (as spreadsheets write them);
//! everything else is typed exactly as in a facts file.

use crate::facts::value::{Problem, typed_str};
use crate::facts::{Scalar, typed};
use crate::program::{Ty, Value};

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
    typed_str(ty, t).map(Some)
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
    use crate::num::Money;
    use rust_decimal::Decimal;

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
