//! A grammar-aware generator of near-valid zhengce sources and facts
//! files, driven by a byte string: every choice reads one byte, and an
//! exhausted string reads zeros (the first, simplest choice), so shrinking
//! the bytes shrinks the program.
//!
//! Shared by the stable property test (`tests/robust_props.rs`) and the
//! fuzz targets (`fuzz/`), which include this file by path.

/// Choices read from bytes.
pub struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data, pos: 0 }
    }

    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn pick(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            usize::from(self.byte()) % n
        }
    }

    /// One of `items`.
    pub fn one<'b>(&mut self, items: &[&'b str]) -> &'b str {
        items.get(self.pick(items.len())).copied().unwrap_or("")
    }

    /// True once in `n` times (on average).
    pub fn chance(&mut self, n: u8) -> bool {
        n > 0 && self.byte().is_multiple_of(n)
    }
}

/// The vocabulary every generated program declares: one fact of each type.
pub const VOCAB: &str = "词汇 {
  高新技术企业: 是否
  认定类型: 首次认定 | 重新认定 | 复审通过
  星级: 一星 < 二星 < 三星
  研发投入: 金额
  技术交易额: 金额
  补贴比例: 比例
  置换车辆数: 数量(辆)
  员工人数: 数量(人)
  成立日期: 日期
  注册地: 文本
  按期公示: 是否
  全区排名: 名次
  项目: 列表 { 项目投资额: 金额  项目类别: 重点 | 一般  已验收: 是否 }
}
";

const BOOLS: &[&str] = &["高新技术企业", "按期公示"];
const MONEY_FACTS: &[&str] = &["研发投入", "技术交易额"];
const ENUM_VALUES: &[&str] = &["首次认定", "重新认定", "复审通过"];
const NUMBERS: &[&str] = &["0", "1", "5", "20", "300", "1.5", "0.01", "800", "12.5"];
/// Numbers at and beyond the edge of rust_decimal.
const EXTREME_NUMBERS: &[&str] = &[
    "99999999999999999999999999999",
    "79228162514264337593543950335",
    "7922816251426433759354395033",
    "0.0000000000000000000000000001",
    "123456789012345678901234567.8",
];
const MONEY_UNITS: &[&str] = &["元", "万元", "亿元"];
const DATES: &[&str] = &[
    "2024年6月1日",
    "2018-08-12",
    "2021年12月31日",
    "2024年2月29日",
    "9999年12月31日",
];
/// Dates that do not exist.
const BAD_DATES: &[&str] = &[
    "2023年2月29日",
    "2024年2月30日",
    "2024年13月1日",
    "0000-00-01",
];

fn date(b: &mut Bytes<'_>) -> &'static str {
    if b.chance(8) {
        b.one(BAD_DATES)
    } else {
        b.one(DATES)
    }
}

fn space(b: &mut Bytes<'_>) -> &'static str {
    match b.pick(16) {
        0 => "\u{3000}",
        1 => "\n",
        2 => "\r\n",
        3 => "\t",
        4 => " # 注释\n",
        _ => " ",
    }
}

/// Half-width or full-width, as drafters mix them.
fn punct(b: &mut Bytes<'_>, half: &'static str, full: &'static str) -> &'static str {
    if b.chance(2) { half } else { full }
}

fn number(b: &mut Bytes<'_>) -> String {
    if b.chance(24) {
        return b.one(EXTREME_NUMBERS).to_string();
    }
    if b.chance(24) {
        // Digits straight from the bytes: long, short, with a point.
        let len = 1 + b.pick(40);
        let mut s: String = (0..len)
            .map(|_| char::from(b'0' + (b.pick(10) as u8)))
            .collect();
        if b.chance(3) {
            s.push('.');
            s.push_str(&"5".repeat(1 + b.pick(30)));
        }
        s
    } else {
        b.one(NUMBERS).to_string()
    }
}

fn money(b: &mut Bytes<'_>) -> String {
    format!("{}{}", number(b), b.one(MONEY_UNITS))
}

fn ratio(b: &mut Bytes<'_>) -> String {
    format!("{}{}", number(b), b.one(&["%", "％", "‰"]))
}

/// What follows 的: mostly a ratio, sometimes a fraction (language.md 7.2).
fn share(b: &mut Bytes<'_>) -> String {
    if b.chance(4) {
        return b
            .one(&["三分之一", "百分之二十", "3分之2", "七分之三", "十二分之五"])
            .to_string();
    }
    ratio(b)
}

/// A value expression of money kind.
fn amount_expr(b: &mut Bytes<'_>, depth: usize) -> String {
    let leaf = depth == 0 || b.chance(2);
    if leaf {
        return match b.pick(3) {
            0 => money(b),
            1 => b.one(MONEY_FACTS).to_string(),
            _ => format!("{} 的 {}", b.one(MONEY_FACTS), share(b)),
        };
    }
    let d = depth - 1;
    match b.pick(7) {
        0 => format!(
            "{}{}{}",
            punct(b, "(", "（"),
            amount_expr(b, d),
            punct(b, ")", "）")
        ),
        1 => format!("{} + {}", amount_expr(b, d), amount_expr(b, d)),
        2 => format!("{} - {}", amount_expr(b, d), amount_expr(b, d)),
        3 => format!("{} {} {}", amount_expr(b, d), b.one(&["×", "*"]), number(b)),
        4 => format!("{} {} {}", amount_expr(b, d), b.one(&["÷", "/"]), number(b)),
        5 => format!(
            "{}({}{} {})",
            b.one(&["较高者", "较低者"]),
            amount_expr(b, d),
            punct(b, ",", "，"),
            amount_expr(b, d)
        ),
        _ => format!(
            "技术交易额 {} {} 的部分 按 {}",
            b.one(&["超过", "不超过"]),
            money(b),
            ratio(b)
        ),
    }
}

fn comparison(b: &mut Bytes<'_>) -> String {
    match b.pick(10) {
        0 => format!(
            "{} {} {}",
            b.one(MONEY_FACTS),
            b.one(&[
                "超过",
                "达到",
                "不低于",
                "低于",
                "不超过",
                "≥",
                ">",
                "<",
                "="
            ]),
            money(b)
        ),
        1 => format!(
            "{} {} {}",
            b.one(MONEY_FACTS),
            money(b),
            b.one(&["以上", "以下", "以内", "（含）以上", "(含)以上"])
        ),
        2 => format!("认定类型 为 {}、{}", b.one(ENUM_VALUES), b.one(ENUM_VALUES)),
        3 => format!("注册地 为 “{}”", b.one(&["杭州市", "", "西湖区"])),
        4 => format!("星级 {} {}", b.one(&["一星", "二星", "三星"]), "及以上"),
        // A ratio against a ratio, or now and then against a fraction
        // (compared by cross-multiplying, language.md 7.2).
        5 if b.chance(4) => format!(
            "补贴比例 {} {}",
            b.one(&["超过", "不低于", "<", "≥"]),
            b.one(&["三分之一", "3分之2", "百分之二十", "七分之三"])
        ),
        5 => format!("补贴比例 超过 {}", ratio(b)),
        6 => format!("置换车辆数 达到 {}辆", number(b)),
        // A yes/no fact over the years from 成立日期 (language.md 6.9),
        // the count now and then out of range.
        7 if b.chance(3) => format!(
            "自 成立日期 起 连续{}年 {}",
            b.one(&["1", "2", "3", "三", "0", "1.5"]),
            b.one(BOOLS)
        ),
        7 => format!(
            "成立日期 {} {}",
            b.one(&["≥", "<", "不超过", "早于"]),
            date(b)
        ),
        8 => match b.pick(3) {
            0 => format!("全区排名 前{}名", b.one(&["1", "3", "5", "0", "2.5"])),
            1 => format!("全区排名 为 第{}名、第{}名", b.pick(6), b.pick(6)),
            _ => format!(
                "全区排名 {} 第{}名",
                b.one(&["≤", "<", ">", "≥", "超过", "以内"]),
                b.pick(6)
            ),
        },
        _ => format!("{} 超过 {}", amount_expr(b, 2), money(b)),
    }
}

/// A condition, nesting at most `depth` deep.
pub fn cond(b: &mut Bytes<'_>, depth: usize, defs: &[String]) -> String {
    let leaf = depth == 0 || b.chance(2);
    if leaf {
        return match b.pick(5) {
            0 => b.one(BOOLS).to_string(),
            1 => b.one(ENUM_VALUES).to_string(),
            2 if !defs.is_empty() => defs[b.pick(defs.len())].clone(),
            _ => comparison(b),
        };
    }
    let d = depth - 1;
    match b.pick(6) {
        0 => format!(
            "{}{}{}",
            punct(b, "(", "（"),
            cond(b, d, defs),
            punct(b, ")", "）")
        ),
        1 => format!("{} {}", b.one(&["非", "未", "不是"]), cond(b, d, defs)),
        2 => format!(
            "{} {} {}",
            cond(b, d, defs),
            b.one(&["且", "并且", "和"]),
            cond(b, d, defs)
        ),
        3 => format!(
            "{} {} {}",
            cond(b, d, defs),
            b.one(&["或", "或者"]),
            cond(b, d, defs)
        ),
        4 => format!("{}、{}", cond(b, d, defs), cond(b, d, defs)),
        _ => format!("{} {}", cond(b, d, defs), cond(b, d, defs)),
    }
}

/// A schedule counted from 成立日期: runs of years (now and then out of
/// order or with a year count that is not whole), or a split whose shares
/// sometimes do not add up.
fn schedule(b: &mut Bytes<'_>) -> String {
    let cap = if b.chance(2) {
        format!("，每年 最高 {}", money(b))
    } else {
        String::new()
    };
    // One in eight is miswritten, for the checker.
    let wrong = b.chance(8);
    let body = if b.chance(2) {
        let first = if wrong {
            b.one(&["后2年", "前1.5年", "前0年"])
        } else {
            b.one(&["前1年", "前2年", "前3年", "分2年", "前8年"])
        };
        let mut s = format!("{first} 每年 {}", amount_expr(b, 2));
        if b.chance(2) {
            let then = b.one(&["后1年", "后2年", "后9年"]);
            s.push_str(&format!("，{then} 每年 最高 {}", money(b)));
        }
        s
    } else {
        let split = if wrong {
            b.one(&[
                "分3年 按 40%、30%、20%",
                "分2年 按 100%",
                "前2年 按 50%、50%",
            ])
        } else {
            b.one(&[
                "分2年 按 50%、50%",
                "分3年 按 40%、30%、30%",
                "分1年 按 100%",
            ])
        };
        format!("{} {split}", money(b))
    };
    format!("自 成立日期 起 {body}{cap}{}", schedule_total(b))
}

/// Now and then a cap over the years together, read against what an
/// earlier year paid, or over the year, against what this year paid (any
/// money fact will do).
fn schedule_total(b: &mut Bytes<'_>) -> String {
    if b.chance(2) {
        format!(
            "，累计 最高 {}（{} {}）",
            money(b),
            b.one(&["往年已领", "本年已领"]),
            b.one(MONEY_FACTS)
        )
    } else {
        String::new()
    }
}

/// A schedule whose first run pays by 分别 tier (chosen by the clause's
/// 为 list of `n` values, as `分别 给予` is), or a split of one amount per
/// tier; the amounts are now and then one too many, and a split's shares
/// now and then do not add up, for the checker.
fn tiered_schedule(b: &mut Bytes<'_>, n: usize) -> String {
    let m = if b.chance(6) { n + 1 } else { n };
    let amounts: Vec<String> = (0..m).map(|_| money(b)).collect();
    if b.chance(2) {
        let split = if b.chance(8) {
            "分3年 按 40%、30%、20%"
        } else {
            b.one(&[
                "分2年 按 50%、50%",
                "分3年 按 40%、30%、30%",
                "分1年 按 100%",
            ])
        };
        return format!(
            "自 成立日期 起 分别 {}{} {split}{}",
            b.one(&["", "最高 "]),
            amounts.join("、"),
            schedule_total(b)
        );
    }
    let first = b.one(&["前1年", "前2年", "分3年"]);
    let mut s = format!(
        "自 成立日期 起 {first} 每年 分别 {}{}",
        b.one(&["", "最高 "]),
        amounts.join("、")
    );
    if first != "分3年" && b.chance(2) {
        s.push_str(&format!("，后1年 每年 最高 {}", money(b)));
    }
    if b.chance(3) {
        s.push_str(&format!(
            "，累计 最高 {}（{} 研发投入）",
            money(b),
            b.one(&["往年已领", "本年已领"])
        ));
    }
    s
}

/// `每项 项目 …`: an item's amount reads its fields and the entity's
/// facts; either cap and the count of items may be absent.
fn item_grant(b: &mut Bytes<'_>) -> String {
    let filter = match b.pick(5) {
        0 => "（其中 项目类别 为 重点）".to_string(),
        1 => "（其中 已验收 且 项目类别 为 一般）".to_string(),
        2 => format!("（其中 项目投资额 超过 {}）", money(b)),
        _ => String::new(),
    };
    let amount = match b.pick(4) {
        0 => format!("按 项目投资额 的 {}", ratio(b)),
        1 => format!("按 （项目投资额 - {}） 的 {}", money(b), ratio(b)),
        2 => format!("按 项目投资额 + {}", amount_expr(b, 1)),
        _ => format!("（{}）", amount_expr(b, 2)),
    };
    let mut s = format!("每项 项目{filter} {amount}");
    if b.chance(2) {
        s.push_str(&format!("，每项 最高 {}", money(b)));
    }
    // A count of items below, at and above what the lists hold.
    if b.chance(3) {
        s.push_str(&format!("，最多 {}项", 1 + b.pick(3)));
    }
    if b.chance(2) {
        s.push_str(&format!("，合计 最高 {}", money(b)));
    }
    s
}

fn amount(b: &mut Bytes<'_>) -> String {
    if b.chance(4) {
        return item_grant(b);
    }
    match b.pick(10) {
        9 => schedule(b),
        6 => schedule(b),
        // A range; its ends now and then the wrong way round.
        7 => format!(
            "研发投入 的 {}",
            b.one(&["5% 至 20%", "0% 至 100%", "5% 至 5%", "20% 至 5%"])
        ),
        8 => format!("{} 至 {}，最高 {}", money(b), money(b), money(b)),
        0 => format!("最高 {}{}", money(b), this_year(b)),
        1 => format!(
            "{}{}最高 {}{}",
            amount_expr(b, 2),
            punct(b, ",", "，"),
            money(b),
            this_year(b)
        ),
        // Blocks of a power of ten divide exactly; 每3辆 does not, so both
        // evaluators must round its quotient alike. 每满 pays whole blocks
        // only: both must floor alike, a negative or fractional count too.
        2 => {
            let per = b.one(&[
                "每辆",
                "每10辆",
                "每3辆",
                "每万辆",
                "每满10辆",
                "每满3辆",
                "每满辆",
                "每满万辆",
            ]);
            format!("按 置换车辆数 {per} 最高 {}", money(b))
        }
        3 => "酌定".to_string(),
        4 => format!(
            "{} {}",
            amount_expr(b, 3),
            b.one(&["奖励", "补助", "一次性 补贴", "“运营资助”"])
        ),
        _ => format!("{}{}", amount_expr(b, 3), this_year(b)),
    }
}

/// Now and then a cap over the year's applications after one amount,
/// read against what this year paid (any money fact will do).
fn this_year(b: &mut Bytes<'_>) -> String {
    if b.chance(4) {
        format!(
            "，累计 最高 {}（本年已领 {}）",
            money(b),
            b.one(MONEY_FACTS)
        )
    } else {
        String::new()
    }
}

/// `额度 …`: a quota in 辆 (a quantity fact) or in 元, now and then with
/// a part in the other unit or a form it does not take, for the checker.
fn quota(b: &mut Bytes<'_>) -> String {
    // One in eight is miswritten, for the checker.
    if b.chance(8) {
        return match b.pick(3) {
            0 => format!("置换车辆数 的 {}，最高 {}", ratio(b), money(b)),
            1 => b.one(&["酌定", "减免 研发投入 的 5%", "5%"]).to_string(),
            _ => format!("{} 至 {}", money(b), money(b)),
        };
    }
    match b.pick(6) {
        0 => format!("置换车辆数 的 {}", ratio(b)),
        1 => format!("置换车辆数 的 {}，最高 {}辆", ratio(b), number(b)),
        2 => format!("最高 研发投入 的 {}", ratio(b)),
        3 => format!("不少于 置换车辆数 - {}辆", number(b)),
        4 => format!("按 员工人数 每人 {}辆", number(b)),
        5 => format!(
            "自 成立日期 起 {} 每年 置换车辆数 的 {}，每年 最高 {}辆",
            b.one(&["分3年", "前2年", "前1年"]),
            ratio(b),
            number(b)
        ),
        _ => format!("置换车辆数 的 {}", ratio(b)),
    }
}

/// The `m` tiers of `分别 给予 额度`, and whether they are in 辆 (else
/// in 元); one list in six has its last tier in the other unit.
fn tier_quotas(b: &mut Bytes<'_>, m: usize) -> (Vec<String>, bool) {
    let vehicles = b.chance(2);
    let mixed = b.chance(6);
    let tiers = (0..m)
        .map(|i| match (vehicles != (mixed && i == m - 1), b.pick(3)) {
            (true, 0) => format!("置换车辆数 的 {}", ratio(b)),
            (true, 1) => format!("按 员工人数 每人 {}辆", number(b)),
            (true, _) => format!("{}辆", number(b)),
            (false, 0) => format!("研发投入 的 {}", ratio(b)),
            (false, _) => money(b),
        })
        .collect();
    (tiers, vehicles)
}

fn action(b: &mut Bytes<'_>) -> String {
    if b.chance(16) {
        return format!("给予 额度 {}", quota(b));
    }
    match b.pick(8) {
        0 => "免于 「办理建设工程规划许可证」".to_string(),
        1 => "不得 按期公示".to_string(),
        2 => "应当 按期公示".to_string(),
        3 => "可 「申请」".to_string(),
        4 => format!("再 给予 {}", money(b)),
        _ => format!("给予 {}", amount(b)),
    }
}

fn label(b: &mut Bytes<'_>, i: usize) -> String {
    match b.pick(4) {
        0 => format!("第{}条 ", ["一", "二", "三", "四", "五", "六"][i % 6]),
        1 => format!("（{}） ", ["一", "二", "三", "四", "五", "六"][i % 6]),
        2 => format!("{}. ", i + 1),
        _ => String::new(),
    }
}

/// One clause.
pub fn clause(b: &mut Bytes<'_>, i: usize, defs: &[String]) -> String {
    let mut s = label(b, i);
    if b.chance(8) {
        // 分别: a list of values and as many amounts (or, sometimes, not).
        let n = 2 + b.pick(2);
        let values: Vec<&str> = (0..n).map(|j| ENUM_VALUES[j % 3]).collect();
        if b.chance(3) {
            s.push_str(&format!(
                "对 认定类型 为 {} 给予 {}",
                values.join("、"),
                tiered_schedule(b, n)
            ));
        } else {
            let m = if b.chance(5) { n + 1 } else { n };
            // Now and then the tiers are a quota's, in 辆 or in 元 (one in
            // six with a tier in the other unit, for the checker).
            let quota = b.chance(3);
            let (amounts, vehicles) = if quota {
                tier_quotas(b, m)
            } else {
                ((0..m).map(|_| money(b)).collect(), false)
            };
            s.push_str(&format!(
                "对 认定类型 为 {} 分别 给予 {}{}",
                values.join("、"),
                if quota { "额度 " } else { "" },
                amounts.join("、")
            ));
            if quota && b.chance(3) {
                let cap = if vehicles {
                    format!("{}辆", number(b))
                } else {
                    money(b)
                };
                s.push_str(&format!("，最高 {cap}"));
            }
        }
    } else {
        s.push_str(&format!("对 {}{}{}", cond(b, 3, defs), space(b), action(b)));
    }
    if b.chance(2) {
        s.push_str(" 原文 「对……给予……。」");
    }
    if b.chance(4) {
        s.push_str(&format!(" 事项 “{}”", b.one(&["研发", "奖励"])));
    }
    s
}

fn policy(b: &mut Bytes<'_>, i: usize, defs: &[String]) -> String {
    let title = if b.chance(8) {
        "甲办法".to_string()
    } else {
        format!("第{i}号办法")
    };
    let mut s = format!("政策 《{title}》 {{\n");
    if b.chance(2) {
        if b.chance(2) {
            s.push_str(&format!("  施行 {} 至 {}\n", date(b), date(b)));
        } else {
            s.push_str(&format!("  施行 {} 起\n", date(b)));
        }
    }
    if b.chance(3) {
        s.push_str(&format!("  适用 {}\n", cond(b, 2, defs)));
    }
    if b.chance(3) {
        if b.chance(4) {
            s.push_str(&format!("  分担 市 {} 区县 {}\n", share(b), share(b)));
        } else if b.chance(4) {
            s.push_str("  分担 省 三分之一 市 三分之一 区县 三分之一\n");
        } else {
            s.push_str("  分担 市 50% 区县 50%\n");
        }
    }
    if b.chance(3) {
        s.push_str(&format!(
            "  重叠 {}\n",
            b.one(&["从优 从高 不重复", "以本政策为准", "按现行政策"])
        ));
    }
    if b.chance(3) {
        s.push_str(&format!("  合计 最高 {}\n", money(b)));
    }
    for i in 0..1 + b.pick(3) {
        s.push_str(&format!("  {}\n", clause(b, i, defs)));
    }
    s.push_str("}\n");
    s
}

fn case(b: &mut Bytes<'_>) -> String {
    // 研发投入 once, or year by year (按年), at times with a year twice.
    let spent = if b.chance(4) {
        let years: Vec<String> = (0..1 + b.pick(3))
            .map(|_| format!("{}年: {}", 2018 + b.pick(10), money(b)))
            .collect();
        format!("按年 {{ {} }}", years.join(b.one(&["  ", "、", "，"])))
    } else {
        money(b)
    };
    format!(
        "案例 “甲” {{\n  事实 {{ 高新技术企业: {}  研发投入: {} }}\n  日期 {}\n  期望 合计 {}\n  期望 第一条 {}\n}}\n",
        b.one(&["是", "否"]),
        spent,
        date(b),
        money(b),
        b.one(&["不适用", "待定", "给予 最高 20万元"])
    )
}

/// A whole near-valid program.
pub fn source(b: &mut Bytes<'_>) -> String {
    let mut s = String::new();
    if b.chance(16) {
        s.push('\u{feff}');
    }
    s.push_str(VOCAB);
    let mut defs = Vec::new();
    for i in 0..b.pick(4) {
        let name = format!("定义{i}");
        let body = if b.chance(3) {
            amount_expr(b, 2)
        } else {
            cond(b, 2, &defs)
        };
        s.push_str(&format!("定义 {name} = {body}\n"));
        defs.push(name);
    }
    if b.chance(6) {
        s.push_str("参数 利率 { 2023年1月20日: 3.65%  2023年8月21日: 3.45% }\n");
    }
    for i in 0..1 + b.pick(3) {
        if b.chance(2) {
            s.push_str(&policy(b, i, &defs));
        } else {
            s.push_str(&clause(b, i, &defs));
            s.push('\n');
        }
    }
    if b.chance(4) {
        s.push_str(&case(b));
    }
    s
}

/// Pieces a mutation may insert.
const TOKENS: &[&str] = &[
    "(",
    ")",
    "（",
    "）",
    "“",
    "”",
    "\"",
    "「",
    "」",
    "《",
    "》",
    "#",
    "\0",
    "\r",
    "\n",
    "\u{feff}",
    "、",
    "，",
    ",",
    "：",
    "{",
    "}",
    "对",
    "给予",
    "最高",
    "以上",
    "的",
    "万元",
    "元",
    "%",
    "定义",
    "政策",
    "且",
    "或",
    "非",
    "999999999999999999999999999999",
    "2024年2月30日",
    "×",
    "÷",
    "每辆",
];

/// Breaks a text the way typing does: characters dropped, duplicated,
/// swapped, tokens inserted, the tail cut off.
pub fn mutate(b: &mut Bytes<'_>, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + b.pick(4) {
        let len = chars.len();
        let at = if len == 0 {
            0
        } else {
            (b.pick(256) * 256 + b.pick(256)) % (len + 1)
        };
        match b.pick(5) {
            0 if at < len => {
                let n = (1 + b.pick(8)).min(len - at);
                chars.drain(at..at + n);
            }
            1 if at < len => {
                let n = (1 + b.pick(16)).min(len - at);
                let piece: Vec<char> = chars[at..at + n].to_vec();
                chars.splice(at..at, piece);
            }
            2 if at + 1 < len => chars.swap(at, at + 1),
            3 => chars.truncate(at),
            _ => {
                let t: Vec<char> = b.one(TOKENS).chars().collect();
                chars.splice(at..at, t);
            }
        }
    }
    chars.into_iter().collect()
}

/// A facts file for `VOCAB`, JSON or TOML: mostly the right keys with
/// values of every shape, some wrong keys, sometimes broken syntax.
/// A list's items, some fields missing or of the wrong type.
fn items(b: &mut Bytes<'_>, toml: bool) -> String {
    let (colon, open, close) = if toml {
        (" = ", "{ ", " }")
    } else {
        (": ", "{", "}")
    };
    let mut out = Vec::new();
    for _ in 0..b.pick(4) {
        let mut fields = Vec::new();
        if b.chance(4) || !b.chance(5) {
            let v = match b.pick(4) {
                0 => number(b),
                1 => "\"三百万\"".to_string(),
                _ => format!("\"{}\"", money(b)),
            };
            fields.push(format!("\"项目投资额\"{colon}{v}"));
        }
        if !b.chance(4) {
            fields.push(format!(
                "\"项目类别\"{colon}\"{}\"",
                b.one(&["重点", "一般", "其他"])
            ));
        }
        if !b.chance(4) {
            fields.push(format!("\"已验收\"{colon}{}", b.one(&["true", "false"])));
        }
        out.push(format!("{open}{}{close}", fields.join(", ")));
    }
    format!("[{}]", out.join(", "))
}

pub fn facts(b: &mut Bytes<'_>) -> (String, String) {
    const KEYS: &[&str] = &[
        "高新技术企业",
        "认定类型",
        "星级",
        "研发投入",
        "技术交易额",
        "补贴比例",
        "置换车辆数",
        "员工人数",
        "成立日期",
        "注册地",
        "按期公示",
        "全区排名",
        "项目",
        "研发投人",
        "\\u7814\\u53d1\\u6295\\u5165",
    ];
    let toml = b.chance(3);
    let mut entries = Vec::new();
    for _ in 0..b.pick(8) {
        let key = b.one(KEYS);
        let value = match b.pick(15) {
            _ if key == "项目" && !b.chance(4) => items(b, toml),
            0 => "true".to_string(),
            1 => "false".to_string(),
            2 if !toml => "null".to_string(),
            3 => number(b),
            4 => format!("-{}", number(b)),
            5 => format!("\"{}\"", money(b)),
            6 => format!("\"{}\"", ratio(b)),
            7 => format!("\"{}\"", date(b)),
            8 => format!("\"{}\"", b.one(ENUM_VALUES)),
            9 => format!("\"{}辆\"", number(b)),
            10 => "[1, 2]".to_string(),
            11 => format!("\"{}万万元\"", number(b)),
            12 => "1e400".to_string(),
            13 if b.chance(2) => format!("\"第{}名\"", b.pick(4)),
            14 if b.chance(2) => items(b, toml),
            _ => format!("\"{}\"", b.one(&["是", "否", "二星", "杭州市", ""])),
        };
        entries.push(if toml {
            format!("\"{key}\" = {value}")
        } else {
            format!("\"{key}\": {value}")
        });
    }
    if toml {
        ("facts.toml".into(), entries.join("\n"))
    } else {
        ("facts.json".into(), format!("{{{}}}", entries.join(", ")))
    }
}
