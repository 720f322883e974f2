//! A deterministic synthetic register for `benches/kejiqiye.zc`: the same
//! seed gives the same rows on every machine (SplitMix64, no float in any
//! amount). Shared by the benchmark, `examples/gen_register.rs` and the
//! tests through `#[path]`.

use std::io::{self, Write};

/// The columns: an id, then every fact `kejiqiye.zc` reads.
pub const COLUMNS: [&str; 30] = [
    "id",
    "科技型中小企业",
    "高新技术企业",
    "经营规模",
    "研发投入新增额",
    "年度研发投入额",
    "新获批省重点实验室",
    "新引进研发总部",
    "总部企业",
    "总部企业星级",
    "新增研发投入额",
    "承担国家省重点科研任务",
    "到账补助资金",
    "竞争类市重点科研项目",
    "项目实际投入额",
    "技术交易额",
    "众创空间",
    "众创空间绩效",
    "孵化器",
    "孵化器星级",
    "孵化企业通过高企数",
    "升级为省级孵化器",
    "升级为国家级孵化器",
    "首次认定新雏鹰",
    "高企认定类型",
    "首次上规模",
    "专精特新等级",
    "首次认定专精特新",
    "研发类科技保险保费",
    "创新型融资规模",
];

/// SplitMix64: small, fast, and the same everywhere.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `pct` per cent.
    pub fn pct(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
}

fn yes_no(rng: &mut Rng, pct: u64) -> &'static str {
    if rng.pct(pct) { "1" } else { "0" }
}

/// An amount of 元 up to about `max_wan` 万元, skewed towards small ones,
/// written as 元 with fen or as 万元 (both forms occur in real exports).
fn money(rng: &mut Rng, max_wan: u64) -> String {
    let scale = [1, 10, 100, 1000, 10_000, 100_000]
        .get(rng.below(6) as usize)
        .copied()
        .unwrap_or(1)
        .min(max_wan.max(1));
    let fen = rng.below(scale * 1_000_000 + 1);
    if rng.pct(30) {
        format!("{}.{:02}万元", fen / 1_000_000, (fen / 10_000) % 100)
    } else {
        format!("{}.{:02}", fen / 100, fen % 100)
    }
}

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items
        .get(rng.below(items.len() as u64) as usize)
        .copied()
        .unwrap_or("")
}

const STARS: [&str; 5] = ["一星", "二星", "三星", "四星", "五星"];
const HQ_STARS: [&str; 5] = ["一星级", "二星级", "三星级", "四星级", "五星级"];

/// One row's cells, in [`COLUMNS`] order. About one row in fifty lacks one
/// fact (an empty cell), as real registers do.
pub fn row(rng: &mut Rng, index: u64) -> Vec<String> {
    let small = rng.pct(40);
    let hitech = rng.pct(30);
    let hq = rng.pct(5);
    let space = rng.pct(3);
    let incubator = rng.pct(3);
    let zjtx = rng.pct(4);
    let mut cells: Vec<String> = vec![
        format!("E{index:08}"),
        yes_no(rng, if small { 100 } else { 0 }).into(),
        yes_no(rng, if hitech { 100 } else { 0 }).into(),
        pick(rng, &["符合科小标准", "符合科小标准", "超过科小标准"]).into(),
        money(rng, 2000),
        money(rng, 100_000),
        yes_no(rng, 1).into(),
        yes_no(rng, 2).into(),
        yes_no(rng, if hq { 100 } else { 0 }).into(),
        if hq {
            pick(rng, &HQ_STARS).into()
        } else {
            String::new()
        },
        money(rng, 10_000),
        yes_no(rng, 5).into(),
        money(rng, 5000),
        yes_no(rng, 5).into(),
        money(rng, 3000),
        if rng.pct(30) {
            money(rng, 50_000)
        } else {
            "0".into()
        },
        yes_no(rng, if space { 100 } else { 0 }).into(),
        if space {
            pick(rng, &["优秀", "良好", "合格"]).into()
        } else {
            String::new()
        },
        yes_no(rng, if incubator { 100 } else { 0 }).into(),
        if incubator {
            pick(rng, &STARS).into()
        } else {
            String::new()
        },
        if incubator {
            rng.below(12).to_string()
        } else {
            "0".into()
        },
        yes_no(rng, 1).into(),
        yes_no(rng, 1).into(),
        yes_no(rng, 2).into(),
        if hitech {
            pick(rng, &["首次认定", "重新认定"]).into()
        } else {
            String::new()
        },
        yes_no(rng, 3).into(),
        if zjtx {
            pick(
                rng,
                &[
                    "省级专精特新",
                    "国家级小巨人",
                    "省级隐形冠军",
                    "单项冠军示范",
                ],
            )
            .into()
        } else {
            String::new()
        },
        yes_no(rng, if zjtx { 100 } else { 0 }).into(),
        if rng.pct(10) {
            money(rng, 200)
        } else {
            "0".into()
        },
        if rng.pct(5) {
            money(rng, 5000)
        } else {
            "0".into()
        },
    ];
    if rng.pct(2) {
        let at = 1 + rng.below(cells.len() as u64 - 1) as usize;
        if let Some(c) = cells.get_mut(at) {
            c.clear();
        }
    }
    cells
}

/// Writes a register of `rows` rows (header first) as CSV.
pub fn write_csv(out: &mut impl Write, rows: u64, seed: u64) -> io::Result<()> {
    let mut rng = Rng::new(seed);
    writeln!(out, "{}", COLUMNS.join(","))?;
    for i in 0..rows {
        writeln!(out, "{}", row(&mut rng, i).join(","))?;
    }
    Ok(())
}

/// A register of `rows` rows as CSV text.
pub fn csv_text(rows: u64, seed: u64) -> String {
    let mut buf = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write_csv(&mut buf, rows, seed);
    String::from_utf8(buf).unwrap_or_default()
}
