//! Interval arithmetic over exact decimals, for the cap lints: the
//! values an amount can take given what the conditions say about the facts
//! it reads. An unknown bound is `None` and stays unknown, so every result
//! holds every value the amount can really take.

use rust_decimal::Decimal;

/// The values an expression can take: `None` is unbounded on that side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Iv {
    /// The smallest value (`None`: no lower bound).
    pub lo: Option<Decimal>,
    /// The largest value (`None`: no upper bound).
    pub hi: Option<Decimal>,
}

impl Iv {
    /// Any value at all.
    pub const ANY: Iv = Iv { lo: None, hi: None };

    /// Exactly `d`.
    pub fn point(d: Decimal) -> Iv {
        Iv {
            lo: Some(d),
            hi: Some(d),
        }
    }

    /// The range of a sum.
    pub fn add(self, o: Iv) -> Iv {
        Iv {
            lo: both(self.lo, o.lo, Decimal::checked_add),
            hi: both(self.hi, o.hi, Decimal::checked_add),
        }
    }

    /// The range of the negation.
    pub fn neg(self) -> Iv {
        Iv {
            lo: self.hi.map(|h| -h),
            hi: self.lo.map(|l| -l),
        }
    }

    /// The range of a product.
    pub fn mul(self, o: Iv) -> Iv {
        match (self, o) {
            (
                Iv {
                    lo: Some(a),
                    hi: Some(b),
                },
                Iv {
                    lo: Some(c),
                    hi: Some(d),
                },
            ) => {
                let p = [
                    a.checked_mul(c),
                    a.checked_mul(d),
                    b.checked_mul(c),
                    b.checked_mul(d),
                ];
                if p.iter().any(Option::is_none) {
                    return Iv::ANY;
                }
                let p: Vec<Decimal> = p.into_iter().flatten().collect();
                Iv {
                    lo: p.iter().min().copied(),
                    hi: p.iter().max().copied(),
                }
            }
            // One side a constant: scale the other (a negative one swaps).
            (
                x,
                Iv {
                    lo: Some(k),
                    hi: Some(k2),
                },
            )
            | (
                Iv {
                    lo: Some(k),
                    hi: Some(k2),
                },
                x,
            ) if k == k2 => {
                let scaled = |b: Option<Decimal>| b.and_then(|b| b.checked_mul(k));
                if k >= Decimal::ZERO {
                    Iv {
                        lo: scaled(x.lo),
                        hi: scaled(x.hi),
                    }
                } else {
                    Iv {
                        lo: scaled(x.hi),
                        hi: scaled(x.lo),
                    }
                }
            }
            // Both never negative: the bounds multiply.
            (x, y)
                if x.lo.is_some_and(|l| l >= Decimal::ZERO)
                    && y.lo.is_some_and(|l| l >= Decimal::ZERO) =>
            {
                Iv {
                    lo: both(x.lo, y.lo, Decimal::checked_mul),
                    hi: both(x.hi, y.hi, Decimal::checked_mul),
                }
            }
            _ => Iv::ANY,
        }
    }

    /// The range of a quotient (known only for a positive constant divisor).
    pub fn div(self, o: Iv) -> Iv {
        match (o.lo, o.hi) {
            (Some(k), Some(k2)) if k == k2 && k > Decimal::ZERO => Iv {
                lo: self.lo.and_then(|l| l.checked_div(k)),
                hi: self.hi.and_then(|h| h.checked_div(k)),
            },
            _ => Iv::ANY,
        }
    }

    /// The range of `min(a, b)` (`max` when `larger`).
    pub fn pick(self, o: Iv, larger: bool) -> Iv {
        let (lo, hi) = if larger {
            (
                outer(self.lo, o.lo, Decimal::max),
                both(self.hi, o.hi, |a, b| Some(a.max(b))),
            )
        } else {
            (
                both(self.lo, o.lo, |a, b| Some(a.min(b))),
                outer(self.hi, o.hi, Decimal::min),
            )
        };
        Iv { lo, hi }
    }

    /// The range of `max(x, 0)`.
    pub fn at_least_zero(self) -> Iv {
        Iv {
            lo: Some(self.lo.map_or(Decimal::ZERO, |l| l.max(Decimal::ZERO))),
            hi: self.hi.map(|h| h.max(Decimal::ZERO)),
        }
    }
}

/// Both bounds known: combine them; otherwise unbounded.
pub fn both(
    a: Option<Decimal>,
    b: Option<Decimal>,
    f: impl Fn(Decimal, Decimal) -> Option<Decimal>,
) -> Option<Decimal> {
    f(a?, b?)
}

/// A bound that one known side is enough for (the larger of two lower
/// bounds, the smaller of two upper bounds).
fn outer(
    a: Option<Decimal>,
    b: Option<Decimal>,
    f: fn(Decimal, Decimal) -> Decimal,
) -> Option<Decimal> {
    match (a, b) {
        (Some(x), Some(y)) => Some(f(x, y)),
        (x, None) => x,
        (None, y) => y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(lo: Option<i64>, hi: Option<i64>) -> Iv {
        Iv {
            lo: lo.map(Decimal::from),
            hi: hi.map(Decimal::from),
        }
    }

    #[test]
    fn a_constant_scales_an_open_range() {
        assert_eq!(
            iv(None, Some(500)).mul(iv(Some(2), Some(2))),
            iv(None, Some(1000))
        );
        assert_eq!(
            iv(Some(3), None).mul(iv(Some(-1), Some(-1))),
            iv(None, Some(-3))
        );
        assert_eq!(iv(None, None).mul(iv(Some(0), Some(1))), Iv::ANY);
    }

    #[test]
    fn smaller_and_larger_of_two_ranges() {
        assert_eq!(
            iv(Some(0), None).pick(iv(Some(10), Some(10)), false),
            iv(Some(0), Some(10))
        );
        assert_eq!(
            iv(None, Some(5)).pick(iv(Some(10), Some(10)), true),
            iv(Some(10), Some(10))
        );
    }

    #[test]
    fn the_part_above_a_threshold_is_never_negative() {
        let above = iv(Some(50), Some(300))
            .add(iv(Some(100), Some(100)).neg())
            .at_least_zero();
        assert_eq!(above, iv(Some(0), Some(200)));
    }
}
