//! Exact numbers: money in 元 and ratios, both `rust_decimal::Decimal`.
//! No float ever touches an amount; rounding happens once, when shown.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// An amount of money in 元, exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(pub Decimal);

/// A ratio as a fraction (`20%` is 0.2, `2‰` is 0.002).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Ratio(pub Decimal);

/// Why a number could not be read or computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumError {
    /// The digits do not form a number rust_decimal can hold.
    OutOfRange,
    /// A result exceeded rust_decimal's range.
    Overflow,
    /// Division by zero.
    DivisionByZero,
    /// The text is not a number with a known unit.
    Malformed,
}

impl fmt::Display for NumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NumError::OutOfRange => "数值超出可表示范围",
            NumError::Overflow => "计算结果溢出",
            NumError::DivisionByZero => "除数为零",
            NumError::Malformed => "不是合法的数值",
        })
    }
}

/// Reads Arabic digits (`300`, `1.5`) exactly.
pub fn parse_decimal(digits: &str) -> Result<Decimal, NumError> {
    // One pass over the bytes: a non-ASCII character never passes, since
    // every byte of it is above 0x7F.
    let bytes = digits.as_bytes();
    let mut dots = 0;
    let mut only_digits_and_dots = true;
    for b in bytes {
        match b {
            b'0'..=b'9' => {}
            b'.' => dots += 1,
            _ => only_digits_and_dots = false,
        }
    }
    if bytes.is_empty()
        || !only_digits_and_dots
        || bytes.first() == Some(&b'.')
        || bytes.last() == Some(&b'.')
        || dots > 1
    {
        return Err(NumError::Malformed);
    }
    Decimal::from_str_exact(digits).map_err(|_| NumError::OutOfRange)
}

/// The greatest common divisor, at least 1 (so that dividing by it is
/// always defined).
pub fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

/// `n / d` in lowest terms: fractions (after 的, in 分担) are kept so.
pub fn lowest_terms(n: u128, d: u128) -> (u128, u128) {
    let g = gcd(n, d);
    (n / g, d / g)
}

/// One side of a fraction (`三` and `一` in `三分之一`): ASCII digits that
/// fit a `u32`, or a Chinese numeral as [`chinese_numeral`] reads it; a
/// denominator may also be a bare 百 or 千 (`百分之二十`, `千分之三`), which
/// is no numeral on its own.
pub fn fraction_side(text: &str, denominator: bool) -> Option<u32> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    match (text, denominator) {
        ("百", true) => Some(100),
        ("千", true) => Some(1000),
        _ => chinese_numeral(text),
    }
}

/// A word that reads as a fraction, `三分之一` or `3分之1`: numerator and
/// denominator (never 0). The grammar reads fractions only after 的; the
/// checker uses this to name one written elsewhere.
pub fn fraction_word(word: &str) -> Option<(u32, u32)> {
    let (den, num) = word.split_once("分之")?;
    let den = fraction_side(den, true).filter(|d| *d > 0)?;
    Some((fraction_side(num, false)?, den))
}

/// A whole number in Chinese numerals below ten thousand, as ranks are
/// written: `五`, `十二` (and `一十二`), `二十`, `一百零五`, `两千零一十`;
/// `两` for 2 alone or before 百 and 千. None for anything else: a unit
/// out of order (`十百`), a digit with no unit after another (`一二`,
/// `一百五`), a skipped unit without 零 (`一千五十`), 零 anywhere but
/// standing for skipped units (`零五`, `一百零`). `零` alone is 0.
pub fn chinese_numeral(s: &str) -> Option<u32> {
    fn digit(c: char) -> Option<u32> {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .and_then(|p| u32::try_from(p).ok())
            .or(match c {
                '〇' => Some(0),
                '两' => Some(2),
                _ => None,
            })
    }
    let unit = |c: char| match c {
        '十' => Some(10),
        '百' => Some(100),
        '千' => Some(1000),
        _ => None,
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [] => return None,
        ['零'] | ['〇'] => return Some(0),
        _ => {}
    }
    let mut total: u32 = 0;
    // The last unit written (10 000 before any), whether 零 stood since,
    // and a digit waiting for its unit.
    let mut last: u32 = 10_000;
    let mut zero = false;
    let mut pending: Option<(u32, char)> = None;
    for (i, &c) in chars.iter().enumerate() {
        if let Some(u) = unit(c) {
            let d = match pending.take() {
                Some((_, '两')) if u == 10 => return None,
                Some((d, _)) => d,
                // 十二: a leading 十 is 一十.
                None if u == 10 && i == 0 => 1,
                None => return None,
            };
            // Units fall one step at a time, or more with 零 between.
            let next = last / 10;
            let steps = last == 10_000 || (u == next && !zero) || (u < next && zero);
            if d == 0 || !steps {
                return None;
            }
            total += d * u;
            last = u;
            zero = false;
        } else if let Some(d) = digit(c) {
            if pending.is_some() {
                return None;
            }
            if d == 0 {
                // 零 only between a unit and what follows it.
                if zero || i == 0 || last == 10_000 || last == 10 {
                    return None;
                }
                zero = true;
            } else {
                pending = Some((d, c));
            }
        } else {
            return None;
        }
    }
    match pending {
        Some((_, '两')) => (last == 10_000).then_some(2),
        // A digit after its unit: the ones after 十, or after 零.
        Some((d, _)) if last == 10_000 || last == 10 || zero => Some(total + d),
        Some(_) => None,
        None if zero => None,
        None => Some(total),
    }
}

/// The multiplier of a money unit.
pub fn money_unit_scale(unit: &str) -> Option<Decimal> {
    money_unit_places(unit).map(|p| Decimal::from(10i64.pow(p)))
}

/// The power of ten of a money unit: 元 0, 万元 4, 亿元 8.
fn money_unit_places(unit: &str) -> Option<u32> {
    match unit {
        "元" => Some(0),
        "万元" => Some(4),
        "亿元" => Some(8),
        _ => None,
    }
}

/// `n × 10^places`, exactly, or `None` when the exact result cannot be
/// represented. rust_decimal's own multiplication and division round
/// silently once a result needs more than 28 decimal places or 96 bits;
/// moving the decimal point on the digits never does.
pub fn shift(n: Decimal, places: i32) -> Option<Decimal> {
    let n = n.normalize();
    let scale = i64::from(n.scale()) - i64::from(places);
    if scale >= 0 {
        let mut out = n;
        out.set_scale(u32::try_from(scale).ok()?).ok()?;
        return Some(out);
    }
    let up = 10i128.checked_pow(u32::try_from(-scale).ok()?)?;
    let mantissa = n.mantissa().checked_mul(up)?;
    Decimal::try_from_i128_with_scale(mantissa, 0).ok()
}

impl Money {
    /// Zero 元.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// `number × unit`, exact: `OutOfRange` when the exact amount in 元
    /// cannot be represented (too large, or too many digits).
    pub fn from_parts(number: Decimal, unit: &str) -> Result<Money, NumError> {
        let places = money_unit_places(unit).ok_or(NumError::Malformed)?;
        shift(number, places.try_into().map_err(|_| NumError::Malformed)?)
            .map(Money)
            .ok_or(NumError::OutOfRange)
    }

    /// Reads `800万元`, `1.5亿元`, `2000元` or a bare number of 元.
    pub fn parse(text: &str) -> Result<Money, NumError> {
        let text = text.trim();
        for unit in ["亿元", "万元", "元"] {
            if let Some(digits) = text.strip_suffix(unit) {
                return Money::from_parts(parse_decimal(digits.trim())?, unit);
            }
        }
        parse_decimal(text).map(Money)
    }

    /// The sum, or `None` beyond rust_decimal's range.
    #[inline]
    pub fn checked_add(self, other: Money) -> Option<Money> {
        // A sum's first amount (most of a row's sums get one): rust_decimal
        // gives it back unchanged, to the scale and sign, but only amounts
        // within 32 bits reach that case without its general path; a test
        // holds this to rust_decimal's addition.
        if self.0.is_zero() && !other.0.is_zero() {
            return Some(other);
        }
        self.0.checked_add(other.0).map(Money)
    }

    /// The amount in fen, rounded half-up: `None` when that does not fit
    /// (amounts beyond about 7.9×10²⁶ 元), so it cannot be shown to the fen
    /// or split between payers.
    pub fn cents(self) -> Option<Decimal> {
        self.rounded().checked_mul(Decimal::ONE_HUNDRED)
    }

    /// Whether [`Money::cents`] is `Some`. Every amount whose digits fit
    /// 64 bits does (rounding to the fen never adds digits beyond one
    /// carry, and a hundred times it still fits rust_decimal's 96 bits),
    /// so only larger ones are rounded and multiplied to find out.
    pub fn has_cents(self) -> bool {
        self.0.mantissa().unsigned_abs() <= u128::from(u64::MAX) || self.cents().is_some()
    }

    /// Rounded half-up to the fen (0.01 元), for display.
    #[inline]
    pub fn rounded(self) -> Decimal {
        // Already to the fen (most amounts): no call.
        let scale = self.0.scale();
        if scale <= 2 {
            return self.0;
        }
        // A computed share (5% of an amount to the fen has 4 places) whose
        // digits fit 64 bits, as a register's amounts do, is rounded on
        // the integer; a test holds it to rust_decimal's rounding.
        let m = self.0.mantissa();
        if let (Ok(digits), Some(p)) = (
            u64::try_from(m.unsigned_abs()),
            10u64.checked_pow(scale - 2),
        ) {
            let (q, r) = (digits / p, digits % p);
            let q = if r >= p / 2 { q + 1 } else { q };
            let mut d = Decimal::from_i128_with_scale(i128::from(q), 2);
            d.set_sign_negative(m < 0 && q != 0);
            return d;
        }
        self.0
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    }

    /// `1600000.00`: 元 with two decimals, as in JSON output.
    pub fn to_yuan_string(self) -> String {
        let mut d = self.rounded();
        d.rescale(2);
        d.to_string()
    }

    /// A human reading: `160万元`, `1.5亿元`, `899.85元`.
    pub fn to_chinese(self) -> String {
        let r = self.rounded();
        let yi = Decimal::from(100_000_000);
        let wan = Decimal::from(10_000);
        if r.abs() >= yi && (r % Decimal::from(1_000_000)).is_zero() {
            format!("{}亿元", (r / yi).normalize())
        } else if r.abs() >= wan && (r % Decimal::from(100)).is_zero() {
            format!("{}万元", (r / wan).normalize())
        } else {
            format!("{}元", r.normalize())
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_chinese())
    }
}

impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_yuan_string())
    }
}

impl Ratio {
    /// Reads `20%`, `2‰` or a bare fraction.
    pub fn parse(text: &str) -> Result<Ratio, NumError> {
        let text = text.trim();
        if let Some(d) = text.strip_suffix('%').or_else(|| text.strip_suffix('％')) {
            return Ratio::from_parts(parse_decimal(d.trim())?, "%");
        }
        if let Some(d) = text.strip_suffix('‰') {
            return Ratio::from_parts(parse_decimal(d.trim())?, "‰");
        }
        parse_decimal(text).map(Ratio)
    }

    /// `number` per cent or per mille, exact: `OutOfRange` when the
    /// fraction needs more than 28 decimal places.
    pub fn from_parts(number: Decimal, unit: &str) -> Result<Ratio, NumError> {
        let places = match unit {
            "%" | "％" => -2,
            "‰" => -3,
            _ => return Err(NumError::Malformed),
        };
        shift(number, places).map(Ratio).ok_or(NumError::OutOfRange)
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // × 100 moves the decimal point; done on the digits, it is exact
        // and cannot overflow however large the ratio.
        let d = self.0.normalize();
        match d.scale() {
            s if s >= 2 => {
                let mut pct = d;
                if pct.set_scale(s - 2).is_err() {
                    return write!(f, "{d}×100%");
                }
                write!(f, "{pct}%")
            }
            s => write!(f, "{}%", d.mantissa() * 10i128.pow(2 - s)),
        }
    }
}

/// Splits `total` between shares (fractions summing to 1) so that the parts,
/// each rounded to the fen, add up exactly to `total` rounded to the fen
/// (largest remainder method). `None` when the amount in fen or a part of
/// it is beyond rust_decimal's range (see `Money::cents`).
pub fn split_largest_remainder(total: Money, weights: &[Decimal]) -> Option<Vec<Money>> {
    let cents_total = total.cents()?.trunc();
    let weight_sum = weights
        .iter()
        .try_fold(Decimal::ZERO, |a, w| a.checked_add(*w))?;
    if weight_sum.is_zero() {
        return Some(weights.iter().map(|_| Money::ZERO).collect());
    }
    let exact: Vec<Decimal> = weights
        .iter()
        .map(|w| cents_total.checked_mul(*w)?.checked_div(weight_sum))
        .collect::<Option<_>>()?;
    let mut floors: Vec<Decimal> = exact.iter().map(|e| e.floor()).collect();
    let assigned = floors
        .iter()
        .try_fold(Decimal::ZERO, |a, f| a.checked_add(*f))?;
    let mut left = cents_total.checked_sub(assigned)?.trunc();
    let mut order: Vec<usize> = (0..exact.len()).collect();
    order.sort_by(|&a, &b| {
        let remainder = |i: usize| {
            let e = exact.get(i).copied().unwrap_or_default();
            let f = floors.get(i).copied().unwrap_or_default();
            e.checked_sub(f).unwrap_or_default()
        };
        remainder(b).cmp(&remainder(a)).then(a.cmp(&b))
    });
    for i in order {
        if left <= Decimal::ZERO {
            break;
        }
        if let Some(f) = floors.get_mut(i) {
            *f = f.checked_add(Decimal::ONE)?;
            left -= Decimal::ONE;
        }
    }
    Some(
        floors
            .into_iter()
            .map(|c| Money(c / Decimal::ONE_HUNDRED))
            .collect(),
    )
}

impl FromStr for Money {
    type Err = NumError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse(s)
    }
}

/// A running sum of amounts that are not negative, added as
/// [`Money::checked_add`] adds them (an amount of nothing changes nothing,
/// the first is taken as it is, and the rest go to the larger scale), on
/// a 64-bit mantissa: [`Sum::add`] is `None` once an amount is negative or
/// the sum would leave 64 bits, and the caller adds in `Decimal`
/// instead. A test holds it to rust_decimal's addition, to the scale.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sum {
    mantissa: i64,
    scale: u32,
}

impl Sum {
    /// Adds `m`.
    #[inline(always)]
    pub fn add(&mut self, m: Money) -> Option<()> {
        let d = m.0;
        if d.is_zero() {
            return Some(());
        }
        if d.is_sign_negative() {
            return None;
        }
        self.add_parts(i64::try_from(d.mantissa()).ok()?, d.scale())
    }

    /// Adds another sum, as adding its [`Sum::money`] would.
    #[inline(always)]
    pub fn add_sum(&mut self, other: Sum) -> Option<()> {
        if other.mantissa == 0 {
            return Some(());
        }
        self.add_parts(other.mantissa, other.scale)
    }

    /// Adds the amount of mantissa `x` (not zero, not negative) at `scale`.
    #[inline(always)]
    fn add_parts(&mut self, mut x: i64, scale: u32) -> Option<()> {
        if self.mantissa == 0 {
            *self = Sum { mantissa: x, scale };
            return Some(());
        }
        if scale > self.scale {
            let up = 10i64.checked_pow(scale - self.scale)?;
            self.mantissa = self.mantissa.checked_mul(up)?;
            self.scale = scale;
        } else if scale < self.scale {
            x = x.checked_mul(10i64.checked_pow(self.scale - scale)?)?;
        }
        self.mantissa = self.mantissa.checked_add(x)?;
        Some(())
    }

    /// The sum.
    #[inline]
    pub fn money(self) -> Money {
        if self.mantissa == 0 {
            return Money::ZERO;
        }
        // Not negative, within 64 bits, and of a scale a `Decimal` had:
        // the parts as they are.
        let m = self.mantissa.unsigned_abs();
        Money(Decimal::from_parts(
            (m & 0xFFFF_FFFF) as u32,
            (m >> 32) as u32,
            0,
            false,
            self.scale,
        ))
    }
}

/// `*acc += m`, as rust_decimal adds, on a 64-bit mantissa when both are
/// not negative and of one scale, as the running sums of a register's
/// summary mostly are (amounts rounded to the fen): rust_decimal's
/// addition costs some 80 instructions, and a row adds to a dozen sums.
/// Sums of other scales are left to rust_decimal (rescaling here cost
/// more than its own addition). A test holds it to rust_decimal's
/// addition, to the scale.
#[inline]
pub fn add_decimal(acc: &mut Decimal, m: Decimal) {
    if acc.scale() == m.scale()
        && !acc.is_sign_negative()
        && !m.is_sign_negative()
        && let (Ok(a), Ok(b)) = (u64::try_from(acc.mantissa()), u64::try_from(m.mantissa()))
        && let Some(sum) = a.checked_add(b)
    {
        *acc = Decimal::from_parts(
            (sum & 0xFFFF_FFFF) as u32,
            (sum >> 32) as u32,
            0,
            false,
            m.scale(),
        );
        return;
    }
    *acc += m;
}

/// A number that amounts are compared with (a condition's threshold),
/// kept also as its mantissa at each scale below [`Threshold::SCALES`]
/// where that is exact: an amount of such a scale whose mantissa fits 64
/// bits, as a register's are, is then compared as one integer with
/// another instead of by rust_decimal's rescaling comparison (a test
/// holds the two together).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    value: Decimal,
    at: [i64; Threshold::SCALES as usize],
    /// Bit `s` set: `at[s]` is the mantissa at scale `s`.
    known: u8,
}

impl Threshold {
    /// Scales `0..SCALES` are held as integers.
    pub const SCALES: u32 = 5;

    /// The threshold `value`.
    pub fn new(value: Decimal) -> Self {
        let mut t = Threshold {
            value,
            at: [0; Threshold::SCALES as usize],
            known: 0,
        };
        for s in value.scale()..Threshold::SCALES {
            let exact = 10i128
                .checked_pow(s - value.scale())
                .and_then(|p| value.mantissa().checked_mul(p))
                .and_then(|m| i64::try_from(m).ok());
            if let (Some(m), Some(slot)) = (exact, t.at.get_mut(s as usize)) {
                *slot = m;
                t.known |= 1 << s;
            }
        }
        t
    }

    /// The number.
    pub fn value(self) -> Decimal {
        self.value
    }

    /// How `d` compares with the threshold: `d.cmp(&value)`.
    #[inline(always)]
    pub fn cmp_from(&self, d: Decimal) -> std::cmp::Ordering {
        let s = d.scale();
        if s < Threshold::SCALES
            && self.known & (1 << s) != 0
            && let (Ok(m), Some(&l)) = (i64::try_from(d.mantissa()), self.at.get(s as usize))
        {
            return m.cmp(&l);
        }
        d.cmp(&self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::{Money, Sum, Threshold, chinese_numeral, fraction_word};
    use proptest::prelude::*;
    use rust_decimal::{Decimal, RoundingStrategy};

    fn rust_decimal_rounding(d: Decimal) -> Decimal {
        if d.scale() <= 2 {
            return d;
        }
        d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    }

    fn same(a: Decimal, b: Decimal) -> bool {
        a == b && a.scale() == b.scale() && a.is_sign_negative() == b.is_sign_negative()
    }

    proptest! {
        /// The integer rounding of `Money::rounded` is rust_decimal's, to
        /// the value, the scale and the sign (of zero too).
        #[test]
        fn rounding_to_the_fen_is_rust_decimals(
            lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(),
            neg in any::<bool>(), scale in 0u32..=28, small in any::<bool>(),
        ) {
            // Digits within 64 bits most of the time, as amounts are,
            // and now and then a few digits (rounding to zero, half a fen).
            let (mid, hi) = if small { (mid, 0) } else { (mid, hi) };
            let (lo, mid, hi) = if hi % 3 == 1 { (lo % 1000, 0, 0) } else { (lo, mid, hi) };
            let d = Decimal::from_parts(lo, mid, hi, neg, scale);
            let (ours, theirs) = (Money(d).rounded(), rust_decimal_rounding(d));
            prop_assert!(same(ours, theirs), "{d}: {ours} vs {theirs}");
        }
    }

    proptest! {
        /// Adding to a zero is rust_decimal's addition, to the value, the
        /// scale and the sign.
        #[test]
        fn adding_to_zero_is_rust_decimals(
            zero_scale in 0u32..=28, zero_neg in any::<bool>(),
            lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(),
            neg in any::<bool>(), scale in 0u32..=28,
        ) {
            let zero = Decimal::from_parts(0, 0, 0, zero_neg, zero_scale);
            let (lo, mid, hi) = if hi % 4 == 0 { (0, 0, 0) } else { (lo, mid % 16, hi % 3) };
            let m = Decimal::from_parts(lo, mid, hi, neg, scale);
            let ours = Money(zero).checked_add(Money(m)).map(|m| m.0);
            let theirs = zero.checked_add(m);
            prop_assert_eq!(ours.is_some(), theirs.is_some());
            if let (Some(a), Some(b)) = (ours, theirs) {
                prop_assert!(same(a, b), "{zero} + {m}: {a} vs {b}");
            }
        }
    }

    proptest! {
        /// A sum on integers is rust_decimal's sum (skipping zeros, as
        /// totals do), to the value, the scale and the sign, or it gives
        /// up.
        #[test]
        fn sums_on_integers_are_rust_decimals(
            amounts in proptest::collection::vec(
                (any::<u32>(), any::<u32>(), 0u32..=6, 0u8..8), 0..8),
        ) {
            let mut ours = Sum::default();
            let mut theirs = Money::ZERO;
            let mut gave_up = false;
            for (lo, mid, scale, shape) in amounts {
                // Zeros, small amounts, ones near 64 bits, and now and then
                // a negative one or one beyond 64 bits.
                let (lo, mid, hi, neg) = match shape {
                    0 => (0, 0, 0, false),
                    1..=3 => (lo % 100_000_000, 0, 0, false),
                    4 => (lo, mid % 0x8000_0000, 0, false),
                    5 => (lo, mid, 0, false),
                    6 => (lo, 0, 0, true),
                    _ => (lo, mid, 1, false),
                };
                let m = Money(Decimal::from_parts(lo, mid, hi, neg, scale));
                if !m.0.is_zero() {
                    theirs = theirs.checked_add(m).unwrap_or(theirs);
                }
                if ours.add(m).is_none() {
                    gave_up = true;
                    break;
                }
            }
            if !gave_up {
                let ours = ours.money().0;
                prop_assert!(same(ours, theirs.0), "{} vs {}", ours, theirs.0);
            }
        }

        /// `add_decimal` is rust_decimal's `+=`, to the value, the scale
        /// and the sign, whatever the scales and signs of either side.
        #[test]
        fn decimals_add_on_integers_as_rust_decimal_adds(
            amounts in proptest::collection::vec(
                (any::<u32>(), any::<u32>(), 0u32..=4, 0u8..8), 0..10),
        ) {
            let (mut ours, mut theirs) = (Decimal::ZERO, Decimal::ZERO);
            for (lo, mid, scale, shape) in amounts {
                // Mostly small amounts of one scale; now and then zero, a
                // negative one, one near or beyond 64 bits.
                let (lo, mid, hi, neg, scale) = match shape {
                    0 => (0, 0, 0, false, scale),
                    1..=3 => (lo % 100_000_000, 0, 0, false, 2),
                    4 => (lo, mid, 0, false, 2),
                    5 => (lo % 1000, 0, 0, true, 2),
                    6 => (lo, mid, 1, false, scale),
                    _ => (lo % 100_000, 0, 0, false, scale),
                };
                let m = Decimal::from_parts(lo, mid, hi, neg, scale);
                add_decimal(&mut ours, m);
                theirs += m;
                prop_assert!(same(ours, theirs), "{} vs {}", ours, theirs);
            }
        }

        /// Adding a sum is adding the amount it comes to: the same
        /// mantissa and scale, or both give up.
        #[test]
        fn a_sum_adds_as_its_amount(
            amounts in proptest::collection::vec(
                (any::<u32>(), any::<u32>(), 0u32..=6, 0u8..6), 0..8),
            split in 0usize..8,
        ) {
            let (mut a, mut b) = (Sum::default(), Sum::default());
            for (i, (lo, mid, scale, shape)) in amounts.into_iter().enumerate() {
                let (lo, mid) = match shape {
                    0 => (0, 0),
                    1..=3 => (lo % 100_000_000, 0),
                    4 => (lo, mid % 0x8000_0000),
                    _ => (lo, mid),
                };
                let m = Money(Decimal::from_parts(lo, mid, 0, false, scale));
                let side = if i < split { &mut a } else { &mut b };
                if side.add(m).is_none() {
                    return Ok(());
                }
            }
            let (mut by_sum, mut by_amount) = (a, a);
            let r = (by_sum.add_sum(b), by_amount.add(b.money()));
            prop_assert_eq!(r.0, r.1);
            if r.0.is_some() {
                prop_assert_eq!(by_sum, by_amount);
            }
        }
    }

    proptest! {
        /// A threshold compares as rust_decimal compares, whatever the
        /// scales and signs of either side.
        #[test]
        fn thresholds_compare_as_rust_decimal(
            t in (any::<u32>(), any::<u32>(), 0u32..4, any::<bool>(), 0u32..=8),
            d in (any::<u32>(), any::<u32>(), 0u32..4, any::<bool>(), 0u32..=8),
        ) {
            // Mostly small mantissas of the scales amounts have, now and
            // then ones beyond 64 bits.
            let make = |(lo, mid, hi, neg, scale): (u32, u32, u32, bool, u32)| {
                let hi = if hi == 3 { mid } else { 0 };
                let mid = if hi == 0 && mid % 2 == 0 { 0 } else { mid };
                Decimal::from_parts(lo, mid, hi, neg, scale)
            };
            let (t, d) = (make(t), make(d));
            prop_assert_eq!(Threshold::new(t).cmp_from(d), d.cmp(&t), "{} vs {}", d, t);
            prop_assert_eq!(Threshold::new(t).cmp_from(t), std::cmp::Ordering::Equal);
        }
    }

    #[test]
    fn rounding_at_the_half_fen_and_at_the_edges() {
        for text in [
            "0.005",
            "-0.005",
            "0.004",
            "-0.004",
            "0.0049999",
            "1.125",
            "-1.125",
            "2.675",
            "0.001",
            "-0.001",
            "-0.0000",
            "99999999999999999.995",
            "18446744073709551.615",
            "18446744073709551.616",
            "0.0000000000000000000000000005",
            "-7.999",
            "12345.6789",
        ] {
            let d: Decimal = text.parse().unwrap_or_default();
            let (ours, theirs) = (Money(d).rounded(), rust_decimal_rounding(d));
            assert!(same(ours, theirs), "{text}: {ours} vs {theirs}");
        }
    }

    #[test]
    fn fractions_read_denominator_first() {
        for (text, want) in [
            ("三分之一", Some((1, 3))),
            ("十二分之五", Some((5, 12))),
            ("百分之二十", Some((20, 100))),
            ("千分之三", Some((3, 1000))),
            ("3分之2", Some((2, 3))),
            ("三分之四", Some((4, 3))),
            // 百 alone is a denominator only; 0 is no denominator.
            ("三分之百", None),
            ("零分之一", None),
            ("0分之1", None),
            ("三分之十十", None),
            ("分之一", None),
            ("三分之", None),
            ("三分之一用地", None),
            ("99999999999分之1", None),
        ] {
            assert_eq!(fraction_word(text), want, "{text}");
        }
    }

    #[test]
    fn chinese_numerals_read_as_ranks_are_written() {
        for (text, n) in [
            ("一", 1),
            ("五", 5),
            ("两", 2),
            ("十", 10),
            ("十二", 12),
            ("一十二", 12),
            ("二十", 20),
            ("二十三", 23),
            ("一百", 100),
            ("两百", 200),
            ("一百零五", 105),
            ("一百一十", 110),
            ("一百一十五", 115),
            ("一千零五十", 1050),
            ("两千零一十", 2010),
            ("九千九百九十九", 9999),
            ("零", 0),
            ("〇", 0),
        ] {
            assert_eq!(chinese_numeral(text), Some(n), "{text}");
        }
        for text in [
            "",
            "十十",
            "百",
            "一二",
            "一百五",
            "一千五十",
            "一百零五十",
            "零五",
            "一百零",
            "二十零",
            "两十",
            "十两",
            "三千零零五",
            "十百",
            "一万",
            "第",
        ] {
            assert_eq!(chinese_numeral(text), None, "{text}");
        }
    }

    use super::*;

    #[test]
    fn has_cents_is_cents_is_some() {
        let big = Decimal::MAX;
        for d in [
            Decimal::ZERO,
            Decimal::new(1, 28),
            Decimal::new(-5, 3),
            Decimal::new(i64::MAX, 0),
            Decimal::new(i64::MIN, 2),
            Decimal::from(u64::MAX),
            Decimal::from(u64::MAX) + Decimal::ONE,
            Decimal::from_i128_with_scale(792_281_625_142_643_375_935_439_503, 0),
            Decimal::from_i128_with_scale(7_922_816_251_426_433_759_354_395, 0),
            Decimal::from_i128_with_scale(7_922_816_251_426_433_759_354_395, 2),
            Decimal::from_i128_with_scale(79_228_162_514_264_337_593_543_950, 3),
            big,
            -big,
        ] {
            let m = Money(d);
            assert_eq!(m.has_cents(), m.cents().is_some(), "{d}");
        }
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap_or_default()
    }

    #[test]
    fn money_units_are_exact() {
        assert_eq!(Money::parse("800万元"), Ok(Money(d("8000000"))));
        assert_eq!(Money::parse("1.5亿元"), Ok(Money(d("150000000"))));
        assert_eq!(Money::parse("0.01元"), Ok(Money(d("0.01"))));
        assert_eq!(Money::parse("800万万元"), Err(NumError::Malformed));
    }

    #[test]
    fn unit_conversion_never_rounds() {
        assert_eq!(
            Money::parse("0.9999999999999999999999999999万元"),
            Ok(Money(d("9999.999999999999999999999999")))
        );
        assert_eq!(
            Money::parse("79228162514264337593543950335万元"),
            Err(NumError::OutOfRange)
        );
        assert_eq!(
            Money::parse("1.2345678901234567890123456789亿元"),
            Ok(Money(d("123456789.01234567890123456789")))
        );
        // 10⁻²⁸ % is 10⁻³⁰: not representable, and not silently 0 (as
        // rust_decimal's division makes it).
        assert_eq!(
            Ratio::parse("0.0000000000000000000000000001%"),
            Err(NumError::OutOfRange)
        );
        assert_eq!(Ratio::parse("12.5%"), Ok(Ratio(d("0.125"))));
        assert_eq!(shift(d("1.50"), 1), Some(d("15")));
        assert_eq!(shift(Decimal::MAX, 1), None);
    }

    #[test]
    fn rounding_is_half_up_to_the_fen() {
        assert_eq!(Money(d("899.845")).to_yuan_string(), "899.85");
        assert_eq!(Money(d("899.844")).to_yuan_string(), "899.84");
        assert_eq!(Money(d("1600000")).to_yuan_string(), "1600000.00");
    }

    #[test]
    fn largest_remainder_adds_up() {
        let parts = split_largest_remainder(Money(d("0.03")), &[d("0.5"), d("0.5")]);
        assert_eq!(parts, Some(vec![Money(d("0.02")), Money(d("0.01"))]));
        let parts = split_largest_remainder(Money(d("100")), &[d("1"), d("1"), d("1")]);
        assert_eq!(
            parts,
            Some(vec![
                Money(d("33.34")),
                Money(d("33.33")),
                Money(d("33.33"))
            ])
        );
        assert_eq!(
            split_largest_remainder(Money(Decimal::MAX), &[d("1")]),
            None
        );
    }

    #[test]
    fn ratios_show_as_percent_exactly() {
        assert_eq!(Ratio(d("0.2")).to_string(), "20%");
        assert_eq!(Ratio(d("0.002")).to_string(), "0.2%");
        assert_eq!(Ratio(d("1.5")).to_string(), "150%");
        assert_eq!(Ratio(d("3")).to_string(), "300%");
        assert_eq!(
            Ratio(Decimal::MAX).to_string(),
            "7922816251426433759354395033500%"
        );
    }

    #[test]
    fn chinese_display() {
        assert_eq!(Money(d("1600000")).to_chinese(), "160万元");
        assert_eq!(Money(d("150000000")).to_chinese(), "1.5亿元");
        assert_eq!(Money(d("899.85")).to_chinese(), "899.85元");
    }
}
