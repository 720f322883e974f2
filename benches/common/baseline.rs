//! The baseline: `benches/kejiqiye.zc` written by hand in Rust with
//! rust_decimal, as a programmer would without zhengce. Same rows, same
//! results (the tests check every clause of every row), no interpreter.
//!
//! Missing facts follow the language's three-valued logic, so that the
//! baseline decides exactly the rows the interpreter decides.

use rust_decimal::Decimal;

/// Kleene truth: `None` is unknown.
type Tri = Option<bool>;

fn and(items: &[Tri]) -> Tri {
    if items.contains(&Some(false)) {
        Some(false)
    } else if items.iter().all(|t| *t == Some(true)) {
        Some(true)
    } else {
        None
    }
}

fn or(a: Tri, b: Tri) -> Tri {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

fn ge(v: Option<Decimal>, bound: Decimal) -> Tri {
    v.map(|v| v >= bound)
}

fn gt(v: Option<Decimal>, bound: Decimal) -> Tri {
    v.map(|v| v > bound)
}

fn is(v: Option<u8>, want: u8) -> Tri {
    v.map(|v| v == want)
}

fn wan(n: i64) -> Decimal {
    Decimal::from(n * 10_000)
}

fn pct(n: i64) -> Decimal {
    Decimal::new(n, 2)
}

/// One entity, typed once (enumerations as the index of their value).
#[derive(Debug, Clone, Default)]
pub struct Row {
    small: Tri,
    hitech: Tri,
    scale: Option<u8>,
    rd_increase: Option<Decimal>,
    rd_annual: Option<Decimal>,
    lab: Tri,
    hq_new: Tri,
    hq: Tri,
    hq_star: Option<u8>,
    hq_rd_increase: Option<Decimal>,
    task: Tri,
    task_funds: Option<Decimal>,
    project: Tri,
    project_spend: Option<Decimal>,
    tech_trade: Option<Decimal>,
    space: Tri,
    space_grade: Option<u8>,
    incubator: Tri,
    inc_star: Option<u8>,
    inc_hitech: Option<Decimal>,
    up_provincial: Tri,
    up_national: Tri,
    chuying: Tri,
    hitech_kind: Option<u8>,
    first_scale: Tri,
    zjtx_level: Option<u8>,
    zjtx_first: Tri,
    insurance: Option<Decimal>,
    financing: Option<Decimal>,
}

fn b(cell: &str) -> Tri {
    match cell {
        "1" | "是" | "true" => Some(true),
        "0" | "否" | "false" => Some(false),
        _ => None,
    }
}

fn m(cell: &str) -> Option<Decimal> {
    match cell.strip_suffix("万元") {
        Some(n) => Decimal::from_str_exact(n)
            .ok()
            .map(|d| d * Decimal::from(10_000)),
        None => Decimal::from_str_exact(cell).ok(),
    }
}

fn e(cell: &str, values: &[&str]) -> Option<u8> {
    values
        .iter()
        .position(|v| *v == cell)
        .and_then(|i| u8::try_from(i).ok())
}

const STARS: [&str; 5] = ["一星", "二星", "三星", "四星", "五星"];
const HQ_STARS: [&str; 5] = ["一星级", "二星级", "三星级", "四星级", "五星级"];

impl Row {
    /// Types the cells of a register row in `register::COLUMNS` order.
    pub fn parse(cells: &[&str]) -> Row {
        let c = |i: usize| cells.get(i).copied().unwrap_or("");
        Row {
            small: b(c(1)),
            hitech: b(c(2)),
            scale: e(c(3), &["符合科小标准", "超过科小标准"]),
            rd_increase: m(c(4)),
            rd_annual: m(c(5)),
            lab: b(c(6)),
            hq_new: b(c(7)),
            hq: b(c(8)),
            hq_star: e(c(9), &HQ_STARS),
            hq_rd_increase: m(c(10)),
            task: b(c(11)),
            task_funds: m(c(12)),
            project: b(c(13)),
            project_spend: m(c(14)),
            tech_trade: m(c(15)),
            space: b(c(16)),
            space_grade: e(c(17), &["优秀", "良好", "合格"]),
            incubator: b(c(18)),
            inc_star: e(c(19), &STARS),
            inc_hitech: m(c(20)),
            up_provincial: b(c(21)),
            up_national: b(c(22)),
            chuying: b(c(23)),
            hitech_kind: e(c(24), &["首次认定", "重新认定"]),
            first_scale: b(c(25)),
            zjtx_level: e(
                c(26),
                &[
                    "省级专精特新",
                    "国家级小巨人",
                    "省级隐形冠军",
                    "单项冠军示范",
                ],
            ),
            zjtx_first: b(c(27)),
            insurance: m(c(28)),
            financing: m(c(29)),
        }
    }
}

/// Clauses of the policy, in load order.
pub const CLAUSES: usize = 23;

/// What one entity is paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paid {
    /// Per clause: the amount paid after overlap (`None`: not paid).
    pub clauses: [Option<Decimal>; CLAUSES],
    /// The total.
    pub total: Decimal,
    /// Whether some clause is undecided.
    pub undecided: bool,
}

/// A clause's result before overlap: applies with an amount, does not
/// apply, or undecided.
#[derive(Clone, Copy, PartialEq)]
enum R {
    Pay(Decimal),
    No,
    Open,
}

/// `cond` decides; `amount` is computed only when it holds (`None` when a
/// fact it reads is missing).
fn grant(cond: Tri, amount: impl FnOnce() -> Option<Decimal>) -> R {
    match cond {
        Some(false) => R::No,
        None => R::Open,
        Some(true) => amount().map_or(R::Open, |a| R::Pay(a.max(Decimal::ZERO))),
    }
}

fn share(base: Option<Decimal>, rate: Decimal, cap: Decimal) -> Option<Decimal> {
    base.map(|v| (v * rate).max(Decimal::ZERO).min(cap))
}

/// The highest amount among the tiers that hold.
fn tiers(holds: &[(Tri, Decimal)]) -> Option<Decimal> {
    holds
        .iter()
        .filter(|(t, _)| *t == Some(true))
        .map(|(_, a)| *a)
        .max()
}

/// Evaluates every clause for one entity on a date inside the window.
pub fn evaluate(r: &Row, date: chrono::NaiveDate) -> Paid {
    let mut out = [R::No; CLAUSES];
    let in_force = chrono::NaiveDate::from_ymd_opt(2024, 1, 23).is_some_and(|s| date >= s)
        && chrono::NaiveDate::from_ymd_opt(2027, 12, 31).is_some_and(|e| date <= e);
    if in_force {
        let kx = or(r.small, r.hitech);
        let fits = is(r.scale, 0);
        let above = is(r.scale, 1);
        out[0] = grant(and(&[kx, fits, ge(r.rd_increase, wan(200))]), || {
            share(r.rd_increase, pct(5), wan(200))
        });
        out[1] = grant(and(&[kx, fits, ge(r.rd_annual, wan(10_000))]), || {
            Some(wan(200))
        });
        out[2] = grant(and(&[kx, above, ge(r.rd_increase, wan(500))]), || {
            share(r.rd_increase, pct(5), wan(300))
        });
        out[3] = grant(and(&[kx, above, ge(r.rd_annual, wan(50_000))]), || {
            Some(wan(300))
        });
        out[4] = grant(r.lab, || Some(wan(100)));
        out[5] = grant(and(&[r.hq_new, ge(r.rd_annual, wan(1000))]), || {
            share(r.rd_annual, pct(5), wan(500))
        });
        out[6] = grant(and(&[r.hq, r.hq_star.map(|s| s >= 2)]), || {
            share(r.hq_rd_increase, pct(6), wan(300))
        });
        out[7] = grant(and(&[r.hq, ge(r.rd_annual, wan(50_000))]), || {
            Some(wan(300))
        });
        out[8] = grant(r.task, || share(r.task_funds, pct(25), wan(500)));
        out[9] = grant(r.project, || share(r.project_spend, pct(20), wan(300)));
        out[10] = grant(ge(r.tech_trade, wan(500)), || {
            r.tech_trade.map(|t| {
                let low = t.min(wan(10_000)).max(Decimal::ZERO) * Decimal::new(5, 3);
                let high = (t - wan(10_000)).max(Decimal::ZERO) * Decimal::new(2, 3);
                (low + high).min(wan(200))
            })
        });
        out[11] = grant(
            and(&[r.space, or(is(r.space_grade, 0), is(r.space_grade, 1))]),
            || {
                tiers(&[
                    (is(r.space_grade, 0), wan(30)),
                    (is(r.space_grade, 1), wan(20)),
                ])
            },
        );
        out[12] = grant(
            and(&[r.incubator, or(is(r.inc_star, 4), is(r.inc_star, 3))]),
            || tiers(&[(is(r.inc_star, 4), wan(30)), (is(r.inc_star, 3), wan(20))]),
        );
        out[13] = grant(and(&[r.incubator, r.inc_star.map(|s| s >= 2)]), || {
            r.inc_hitech.map(|n| n * wan(15))
        });
        out[14] = grant(r.up_provincial, || Some(wan(50)));
        out[15] = grant(r.up_national, || Some(wan(50)));
        out[16] = grant(r.chuying, || Some(wan(50)));
        out[17] = grant(and(&[is(r.hitech_kind, 0), r.hitech]), || Some(wan(20)));
        out[18] = grant(and(&[is(r.hitech_kind, 1), r.hitech]), || Some(wan(10)));
        out[19] = grant(and(&[r.first_scale, r.hitech]), || Some(wan(30)));
        let level = |i| is(r.zjtx_level, i);
        let any_level = or(or(level(0), level(1)), or(level(2), level(3)));
        out[20] = grant(and(&[r.zjtx_first, any_level]), || {
            tiers(&[
                (level(0), wan(20)),
                (level(1), wan(100)),
                (level(2), wan(100)),
                (level(3), wan(200)),
            ])
        });
        out[21] = grant(gt(r.financing, Decimal::ZERO), || {
            share(r.financing, pct(2), wan(50))
        });
        out[22] = grant(and(&[kx, gt(r.insurance, Decimal::ZERO)]), || {
            share(r.insurance, pct(50), wan(50))
        });
    }
    let mut clauses = [None; CLAUSES];
    for (c, o) in clauses.iter_mut().zip(&out) {
        if let R::Pay(a) = o {
            *c = Some(*a);
        }
    }
    // Grants for one matter: only the highest is paid; on a tie a 定额
    // (二-2, 二-4, 五-3: 「直接给予」) beats a 上限, then the clause written
    // first wins.
    let exact = [1, 3, 7];
    for matter in [&[0, 1, 2, 3][..], &[6, 7], &[17, 18]] {
        let mut best: Option<(usize, Decimal)> = None;
        for &i in matter {
            if let Some(a) = clauses[i]
                && best.is_none_or(|(w, b)| {
                    a > b || a == b && exact.contains(&i) && !exact.contains(&w)
                })
            {
                best = Some((i, a));
            }
        }
        for &i in matter {
            if best.is_some_and(|(w, _)| w != i) {
                clauses[i] = None;
            }
        }
    }
    Paid {
        total: clauses.iter().flatten().sum(),
        undecided: out.contains(&R::Open),
        clauses,
    }
}
