//! Foreign currencies. An amount in 美元, 欧元 or 港元 is exact like one in
//! 元 (a [`Money`] counted in that currency's units), but the two never
//! meet without an exchange rate: `出口额 按 美元汇率 折算` gives 元.

use std::fmt;

use rust_decimal::Decimal;

use crate::num::{Money, NumError, parse_decimal, shift};

/// A foreign currency a policy text names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Currency {
    /// 美元.
    Usd,
    /// 欧元.
    Eur,
    /// 港元.
    Hkd,
}

impl Currency {
    /// Every foreign currency, in the order the words are listed.
    pub const ALL: [Currency; 3] = [Currency::Usd, Currency::Eur, Currency::Hkd];

    /// The currency's word: `美元`.
    pub fn word(self) -> &'static str {
        match self {
            Currency::Usd => "美元",
            Currency::Eur => "欧元",
            Currency::Hkd => "港元",
        }
    }

    /// A rate to show in an example of how a rate is written (not a
    /// rate anything is computed with).
    pub fn example_rate(self) -> &'static str {
        match self {
            Currency::Usd => "7.1",
            Currency::Eur => "7.8",
            Currency::Hkd => "0.92",
        }
    }

    /// The currency a word names.
    pub fn from_word(word: &str) -> Option<Currency> {
        Currency::ALL.into_iter().find(|c| c.word() == word)
    }

    /// `n × 10^places` of this currency for `300万美元`'s `万` (4) or `亿` (8).
    fn scale_places(scale: &str) -> Option<i32> {
        match scale {
            "" => Some(0),
            "万" => Some(4),
            "亿" => Some(8),
            _ => None,
        }
    }

    /// `number`, scaled by `万` or `亿` (or nothing), exactly.
    pub fn amount(number: Decimal, scale: &str) -> Result<Money, NumError> {
        let places = Currency::scale_places(scale).ok_or(NumError::Malformed)?;
        shift(number, places).map(Money).ok_or(NumError::OutOfRange)
    }

    /// `5200000.00美元`: two decimals and the currency, as in JSON output.
    pub fn json_amount(self, m: Money) -> String {
        format!("{}{}", m.to_yuan_string(), self.word())
    }

    /// A human reading: `520万美元`, `1.5亿欧元`, `899.85港元`.
    pub fn show(self, m: Money) -> String {
        let yuan = m.to_chinese();
        let base = yuan.strip_suffix('元').unwrap_or(&yuan);
        format!("{base}{}", self.word())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// What an amount's text says its currency is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// No unit: a bare number.
    Bare,
    /// 元, 万元 or 亿元.
    Yuan,
    /// A foreign currency.
    Foreign(Currency),
}

/// Reads `520万美元`, `5200000美元`, `1.5亿欧元`, `800万元` or a bare
/// number, exactly, and says which currency it was written in.
pub fn parse_amount(text: &str) -> Result<(Money, Written), NumError> {
    let text = text.trim();
    for c in Currency::ALL {
        if let Some(rest) = text.strip_suffix(c.word()) {
            let rest = rest.trim_end();
            for scale in ["亿", "万"] {
                if let Some(digits) = rest.strip_suffix(scale) {
                    let n = parse_decimal(digits.trim())?;
                    return Currency::amount(n, scale).map(|m| (m, Written::Foreign(c)));
                }
            }
            let n = parse_decimal(rest)?;
            return Currency::amount(n, "").map(|m| (m, Written::Foreign(c)));
        }
    }
    if text.ends_with('元') {
        return Money::parse(text).map(|m| (m, Written::Yuan));
    }
    parse_decimal(text).map(|d| (Money(d), Written::Bare))
}

/// `7.1元/美元`: how many 元 one unit of `currency` is worth.
pub fn show_rate(rate: Decimal, currency: Currency) -> String {
    format!("{}元/{}", rate.normalize(), currency.word())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap_or_default()
    }

    #[test]
    fn amounts_keep_their_currency() {
        assert_eq!(
            parse_amount("520万美元"),
            Ok((Money(d("5200000")), Written::Foreign(Currency::Usd)))
        );
        assert_eq!(
            parse_amount("5200000美元"),
            Ok((Money(d("5200000")), Written::Foreign(Currency::Usd)))
        );
        assert_eq!(
            parse_amount("1.5亿欧元"),
            Ok((Money(d("150000000")), Written::Foreign(Currency::Eur)))
        );
        assert_eq!(
            parse_amount("800万元"),
            Ok((Money(d("8000000")), Written::Yuan))
        );
        assert_eq!(parse_amount("12.5"), Ok((Money(d("12.5")), Written::Bare)));
        assert_eq!(parse_amount("万美元"), Err(NumError::Malformed));
        assert_eq!(parse_amount("5万万美元"), Err(NumError::Malformed));
    }

    #[test]
    fn shown_in_their_currency() {
        assert_eq!(Currency::Usd.show(Money(d("5200000"))), "520万美元");
        assert_eq!(Currency::Hkd.show(Money(d("899.85"))), "899.85港元");
        assert_eq!(
            Currency::Usd.json_amount(Money(d("5200000"))),
            "5200000.00美元"
        );
        assert_eq!(show_rate(d("7.10"), Currency::Usd), "7.1元/美元");
    }
}
