//! Each rule of the interval analysis, with the expected interval worked
//! out by hand in a comment.

use super::*;
use crate::program::{Action, GrantAmount};
use crate::source::SourceFile;

fn d(n: i64) -> Decimal {
    Decimal::from(n)
}

/// `[lo, hi]` in whole numbers, `None` open.
fn iv(lo: Option<i64>, hi: Option<i64>) -> Interval {
    Interval {
        lo: lo.map(d),
        hi: hi.map(d),
    }
}

fn pt(n: i64) -> Interval {
    Interval::point(d(n))
}

#[test]
fn a_sum_adds_the_ends_and_a_difference_crosses_them() {
    // [1, 2] + [10, +∞) = [1 + 10, +∞) = [11, +∞)
    assert_eq!(
        iv(Some(1), Some(2)).add(iv(Some(10), None)),
        iv(Some(11), None)
    );
    // [50, 300] − 100 = [50 − 100, 300 − 100] = [−50, 200]
    assert_eq!(
        iv(Some(50), Some(300)).sub(pt(100)),
        iv(Some(-50), Some(200))
    );
    // 200 − [0, +∞) = (−∞, 200 − 0] = (−∞, 200]
    assert_eq!(pt(200).sub(Interval::NON_NEGATIVE), iv(None, Some(200)));
}

#[test]
fn a_product_takes_the_tightest_rule_that_applies() {
    // × 0 is 0 whatever the other side: even (−∞, +∞) × 0 = [0, 0].
    assert_eq!(Interval::ANY.mul(pt(0)), pt(0));
    // Both never negative: [2, 3] × [0, +∞) = [2·0, 3·∞) = [0, +∞).
    assert_eq!(
        iv(Some(2), Some(3)).mul(Interval::NON_NEGATIVE),
        iv(Some(0), None)
    );
    // [2, 3] × [4, 5] = [2·4, 3·5] = [8, 15].
    assert_eq!(
        iv(Some(2), Some(3)).mul(iv(Some(4), Some(5))),
        iv(Some(8), Some(15))
    );
    // Corners: [−2, 3] × [4, 5]: −2·4 = −8, −2·5 = −10, 3·4 = 12, 3·5 = 15
    // → [−10, 15].
    assert_eq!(
        iv(Some(-2), Some(3)).mul(iv(Some(4), Some(5))),
        iv(Some(-10), Some(15))
    );
    // A constant scales an open range: (−∞, 500] × 2 = (−∞, 1000].
    assert_eq!(iv(None, Some(500)).mul(pt(2)), iv(None, Some(1000)));
    // A negative one swaps the ends: [3, +∞) × −1 = (−∞, −3].
    assert_eq!(pt(-1).mul(iv(Some(3), None)), iv(None, Some(-3)));
    // Nothing known of either: (−∞, +∞) × [0, 1] = (−∞, +∞).
    assert_eq!(Interval::ANY.mul(iv(Some(0), Some(1))), Interval::ANY);
}

#[test]
fn a_quotient_is_known_for_a_positive_divisor() {
    // [−10, 20] ÷ 4 = [−2.5, 5].
    assert_eq!(
        iv(Some(-10), Some(20)).div(pt(4)),
        Interval {
            lo: Some(Decimal::new(-25, 1)),
            hi: Some(d(5)),
        }
    );
    // [10, 20] ÷ [2, 4] = [10 ÷ 4, 20 ÷ 2] = [2.5, 10].
    assert_eq!(
        iv(Some(10), Some(20)).div(iv(Some(2), Some(4))),
        Interval {
            lo: Some(Decimal::new(25, 1)),
            hi: Some(d(10)),
        }
    );
    // [10, 20] ÷ [2, +∞): as small as 0 (never below), at most 20 ÷ 2 = 10.
    assert_eq!(
        iv(Some(10), Some(20)).div(iv(Some(2), None)),
        iv(Some(0), Some(10))
    );
    // A divisor that may be zero or negative: [10, 20] ÷ [−1, 1] unknown.
    assert_eq!(
        iv(Some(10), Some(20)).div(iv(Some(-1), Some(1))),
        Interval::ANY
    );
    // A dividend that may be negative over a divisor that is not constant.
    assert_eq!(
        iv(Some(-10), Some(20)).div(iv(Some(2), Some(4))),
        Interval::ANY
    );
}

#[test]
fn the_smaller_and_larger_of_two() {
    // 较低者([0, +∞), 10): at least min(0, 10) = 0, at most 10 → [0, 10].
    assert_eq!(Interval::NON_NEGATIVE.min(pt(10)), iv(Some(0), Some(10)));
    // 较高者((−∞, 5], 10): at least 10, at most max(5, 10) = 10 → [10, 10].
    assert_eq!(iv(None, Some(5)).max(pt(10)), pt(10));
    // 较高者([0, +∞), 7): at least 7, no upper end → [7, +∞).
    assert_eq!(Interval::NON_NEGATIVE.max(pt(7)), iv(Some(7), None));
    // One or the other (tiers): hull of [1, 2] and [5, 9] = [1, 9]; with
    // an open one, that end is open.
    assert_eq!(
        iv(Some(1), Some(2)).hull(iv(Some(5), Some(9))),
        iv(Some(1), Some(9))
    );
    assert_eq!(
        iv(Some(1), Some(2)).hull(iv(Some(5), None)),
        iv(Some(1), None)
    );
}

#[test]
fn a_floor_at_zero() {
    // max([−50, 200], 0) = [0, 200]; max((−∞, −3], 0) = [0, 0].
    assert_eq!(iv(Some(-50), Some(200)).floored(), iv(Some(0), Some(200)));
    assert_eq!(iv(None, Some(-3)).floored(), pt(0));
    assert_eq!(Interval::ANY.floored(), Interval::NON_NEGATIVE);
}

/// The checked program of `clauses` under a small vocabulary and one
/// parameter.
fn program(clauses: &str) -> Program {
    let src = format!(
        "词汇 {{ 研发投入: 金额\n 已获: 金额\n 技术交易额: 金额\n 甲: 是否\n 车辆数: 数量(辆) }}\n\
         参数 利率 {{ 2020年1月1日: 3.45%\n 2021年1月1日: 3.65% }}\n{clauses}\n"
    );
    let module = match crate::syntax::parse(&SourceFile::new("t.zc", src)) {
        Ok(m) => m,
        Err(e) => panic!("{e:?}"),
    };
    match crate::check::check(&[module]) {
        Ok(c) => c.program,
        Err(e) => panic!("{e:?}"),
    }
}

/// The amounts of every clause's grant, in order.
fn cores(p: &Program) -> Vec<&AmountCore> {
    p.policies
        .iter()
        .flat_map(|p| &p.clauses)
        .filter_map(|c| match &c.action {
            Action::Grant {
                amount: GrantAmount::Single(a),
                ..
            } => Some(&a.core),
            _ => None,
        })
        .collect()
}

/// The range of each clause's amount under `facts`.
fn ranges(clauses: &str, facts: Facts) -> Vec<Interval> {
    let p = program(clauses);
    let an = Analysis::new(&p, facts);
    cores(&p).into_iter().map(|c| an.core(c)).collect()
}

fn wan(n: i64) -> Option<Decimal> {
    Some(d(n * 10_000))
}

/// `[0, n万元]`.
fn up_to_wan(n: i64) -> Interval {
    Interval {
        lo: Some(d(0)),
        hi: wan(n),
    }
}

#[test]
fn a_fact_is_what_the_use_says_it_can_hold() {
    let clauses = "对 甲 给予 研发投入 的 20%\n对 甲 给予 研发投入 - 已获";
    // Unknown: (−∞, +∞) × 0.2 and (−∞, +∞) − (−∞, +∞) are unknown.
    assert_eq!(
        ranges(clauses, Facts::Unknown),
        vec![Interval::ANY, Interval::ANY]
    );
    // Never negative: [0, +∞) × 0.2 = [0, +∞); [0, +∞) − [0, +∞) =
    // (−∞, +∞) (the second may exceed the first).
    assert_eq!(
        ranges(clauses, Facts::NonNegative),
        vec![Interval::NON_NEGATIVE, Interval::ANY]
    );
}

#[test]
fn larger_and_smaller_of_amounts() {
    let clauses = "对 甲 给予 较高者（200万元 - 已获，0元）\n\
                   对 甲 给予 较低者（500万元，研发投入）";
    // 较高者(200万 − [0, +∞), 0) = 较高者((−∞, 200万], 0) = [0, 200万];
    // 较低者(500万, [0, +∞)) = [0, 500万].
    assert_eq!(
        ranges(clauses, Facts::NonNegative),
        vec![up_to_wan(200), up_to_wan(500),]
    );
    // With facts unknown: 200万 − (−∞, +∞) is unknown, and 较高者 of it
    // and 0 is at least 0: [0, +∞); 较低者(500万, (−∞, +∞)) = (−∞, 500万].
    assert_eq!(
        ranges(clauses, Facts::Unknown),
        vec![
            Interval::NON_NEGATIVE,
            Interval {
                lo: None,
                hi: wan(500),
            },
        ]
    );
}

#[test]
fn bands_above_and_up_to_a_threshold() {
    let clauses = "对 甲 给予 技术交易额 不超过 1亿元 的部分 按 5‰\n\
                   对 甲 给予 技术交易额 超过 1亿元 的部分 按 2‰";
    // Up to: 较低者([0, +∞), 1亿) = [0, 1亿], floored [0, 1亿], × 0.005 =
    // [0, 50万]. Above: [0, +∞) − 1亿 = [−1亿, +∞), floored [0, +∞),
    // × 0.002 = [0, +∞).
    assert_eq!(
        ranges(clauses, Facts::NonNegative),
        vec![up_to_wan(50), Interval::NON_NEGATIVE,]
    );
    // Unknown: up to: (−∞, 1亿], floored [0, 1亿] → [0, 50万] again; above:
    // floored [0, +∞) → [0, +∞).
    assert_eq!(
        ranges(clauses, Facts::NonNegative),
        ranges(clauses, Facts::Unknown)
    );
}

#[test]
fn caps_on_a_base_and_parameters() {
    let clauses = "对 甲 给予 研发投入 最高 1000万元 的 20%\n对 甲 给予 100万元 的 利率";
    // Base cap: 较低者([0, +∞), 1000万) = [0, 1000万], × 0.2 = [0, 200万].
    // Parameter: 利率 ranges over 3.45% and 3.65%: 100万 × [0.0345, 0.0365]
    // = [34500, 36500].
    assert_eq!(
        ranges(clauses, Facts::NonNegative),
        vec![up_to_wan(200), iv(Some(34_500), Some(36_500)),]
    );
}

#[test]
fn what_is_known_from_outside_takes_the_place_of_the_parts() {
    let p = program("对 甲 给予 研发投入 的 20%\n对 甲 给予 按 车辆数 每辆 1.5万元");
    // The conditions say every fact is in [0, 1000].
    let known = |e: &Expr| matches!(e, Expr::Fact(..)).then_some(iv(Some(0), Some(1000)));
    let an = Analysis::new(&p, Facts::Unknown).knowing(&known);
    // [0, 1000] × 0.2 = [0, 200]; per unit: [0, 1000] × 15000 =
    // [0, 1500万].
    assert_eq!(
        cores(&p)
            .into_iter()
            .map(|c| an.core(c))
            .collect::<Vec<_>>(),
        vec![iv(Some(0), Some(200)), up_to_wan(1500),]
    );
}

#[test]
fn a_block_divides_the_count_times_the_rate() {
    let p = program("对 甲 给予 按 车辆数 每10辆 1万元\n对 甲 给予 按 车辆数 每万辆 5万元");
    let known = |e: &Expr| matches!(e, Expr::Fact(..)).then_some(iv(Some(0), Some(1000)));
    let an = Analysis::new(&p, Facts::Unknown).knowing(&known);
    // [0, 1000] × 1万元 ÷ 10 = [0, 100万元]; [0, 1000] × 5万元 ÷ 10000 =
    // [0, 5000元].
    assert_eq!(
        cores(&p)
            .into_iter()
            .map(|c| an.core(c))
            .collect::<Vec<_>>(),
        vec![up_to_wan(100), iv(Some(0), Some(5000))]
    );
}

#[test]
fn whole_blocks_floor_both_ends_of_the_count() {
    let p = program("对 甲 给予 按 车辆数 每满10辆 1万元\n对 甲 给予 按 车辆数 每满万辆 5万元");
    let known = |e: &Expr| matches!(e, Expr::Fact(..)).then_some(iv(Some(15), Some(1009)));
    let an = Analysis::new(&p, Facts::Unknown).knowing(&known);
    // [15, 1009] ÷ 10 = [1.5, 100.9], floored [1, 100], × 1万元 =
    // [1万元, 100万元]; ÷ 10000 floored [0, 0] × 5万元 = [0, 0].
    assert_eq!(
        cores(&p)
            .into_iter()
            .map(|c| an.core(c))
            .collect::<Vec<_>>(),
        vec![iv(Some(10_000), Some(1_000_000)), iv(Some(0), Some(0))]
    );
}
