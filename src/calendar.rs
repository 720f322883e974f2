//! China's working-day calendar: the public holidays and the 调休
//! make-up working days of the 国务院办公厅 annual notices, read from
//! `calendar/holidays.toml` (compiled in, parsed once).
//!
//! A day is a working day when it is a Monday to Friday that no notice
//! makes a holiday, or a Saturday or Sunday that a notice makes a make-up
//! working day. Days the data does not settle are an error, never a
//! weekends-only guess: see [`covers`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, Weekday};

/// The data, one table per year; how to add a year is written at its top.
const DATA: &str = include_str!("calendar/holidays.toml");

/// One notice: 《国务院办公厅关于2024年部分节假日安排的通知》 or a later
/// change to a year's arrangement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// 国办发明电〔2023〕7号.
    pub number: String,
    /// The notice's title.
    pub title: String,
    /// The date it was issued (成文日期).
    pub issued: NaiveDate,
}

/// One item of a notice: 春节 from … to …, with its make-up days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// 春节, or 国庆节、中秋节 when a notice joins two.
    pub name: String,
    /// The first day off.
    pub from: NaiveDate,
    /// The last day off (inclusive).
    pub to: NaiveDate,
    /// The Saturdays and Sundays worked in exchange (上班).
    pub workdays: Vec<NaiveDate>,
    /// The number of the notice that set this item as it now stands.
    pub notice: String,
}

/// One year's arrangement, after its later changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Year {
    /// The annual notice.
    pub notice: Notice,
    /// Later notices changing items of it, in order.
    pub changes: Vec<Notice>,
    /// The items as they stand after the changes.
    pub holidays: Vec<Holiday>,
}

/// The whole calendar.
#[derive(Debug, Default)]
pub struct Calendar {
    years: BTreeMap<i32, Year>,
    days_off: BTreeSet<NaiveDate>,
    make_up: BTreeSet<NaiveDate>,
}

/// A day the calendar cannot tell a working day from a day off, because
/// no notice for it has been added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarUnknown {
    /// The first such day met.
    pub date: NaiveDate,
}

impl fmt::Display for CalendarUnknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} 不在工作日日历收录的日期内", self.date)
    }
}

impl std::error::Error for CalendarUnknown {}

static CALENDAR: LazyLock<Calendar> = LazyLock::new(|| {
    // The data is compiled in and `tests::the_data_reads` reads it; should
    // it ever fail to read, every day is unknown rather than guessed.
    parse(DATA).unwrap_or_default()
});

/// The calendar of `calendar/holidays.toml`.
pub fn calendar() -> &'static Calendar {
    &CALENDAR
}

/// Whether `d` is a working day.
pub fn is_working_day(d: NaiveDate) -> Result<bool, CalendarUnknown> {
    calendar().is_working_day(d)
}

/// The `n`th working day after `start`: the period counts from the day
/// after the starting day (《民法典》第二百零一条：开始的当日不计入，自下一日
/// 开始计算), so `start` itself is never counted and need not be covered.
pub fn add_working_days(start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarUnknown> {
    calendar().add_working_days(start, n)
}

/// The `n`th working day before `start`, counting back from the day
/// before it: the mirror of [`add_working_days`].
pub fn sub_working_days(start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarUnknown> {
    calendar().sub_working_days(start, n)
}

impl Calendar {
    /// The years with a notice, in order.
    pub fn years(&self) -> impl Iterator<Item = (i32, &Year)> {
        self.years.iter().map(|(y, v)| (*y, v))
    }

    /// Whether the calendar settles `d`. A year's notice settles its own
    /// days; December's also wait for the next year's notice, whose 元旦
    /// may begin in late December or make a December weekend a working day
    /// (the 2019 notice: 2018年12月29日 上班, 30日、31日 放假).
    pub fn covers(&self, d: NaiveDate) -> bool {
        self.years.contains_key(&d.year())
            && (d.month() != 12 || self.years.contains_key(&(d.year() + 1)))
    }

    /// The first and last day [`Calendar::covers`], when the years are
    /// contiguous (the data's test makes sure they are).
    pub fn covered_span(&self) -> Option<(NaiveDate, NaiveDate)> {
        let first = *self.years.keys().next()?;
        let last = *self.years.keys().next_back()?;
        let start = NaiveDate::from_ymd_opt(first, 1, 1)?;
        let end = NaiveDate::from_ymd_opt(last, 12, 1)?.pred_opt()?;
        (start <= end).then_some((start, end))
    }

    /// Whether `d` is a working day.
    pub fn is_working_day(&self, d: NaiveDate) -> Result<bool, CalendarUnknown> {
        if !self.covers(d) {
            return Err(CalendarUnknown { date: d });
        }
        let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        Ok(if weekend {
            self.make_up.contains(&d)
        } else {
            !self.days_off.contains(&d)
        })
    }

    /// See [`add_working_days`].
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarUnknown> {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            // Past the last covered day the next step is an error, so the
            // walk ends however large `n` is.
            d = d.succ_opt().ok_or(CalendarUnknown { date: d })?;
            if self.is_working_day(d)? {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// See [`sub_working_days`].
    pub fn sub_working_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarUnknown> {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d = d.pred_opt().ok_or(CalendarUnknown { date: d })?;
            if self.is_working_day(d)? {
                left -= 1;
            }
        }
        Ok(d)
    }
}

/// Reads the data file; `Err` says where it is wrong.
fn parse(text: &str) -> Result<Calendar, String> {
    let doc = toml_edit::Document::parse(text).map_err(|e| e.to_string())?;
    let mut cal = Calendar::default();
    for (key, item) in doc.as_table().iter() {
        let year: i32 = key.parse().map_err(|_| format!("[{key}]：表名应是年份"))?;
        let t = item
            .as_table()
            .ok_or_else(|| format!("[{key}]：应是一张表"))?;
        let notice = notice_of(t, key)?;
        let mut holidays = holidays_of(t, key, &notice.number)?;
        let mut changes = Vec::new();
        for c in tables(t, "change", key)? {
            let where_ = format!("{key}.change");
            let change = notice_of(c, &where_)?;
            for h in holidays_of(c, &where_, &change.number)? {
                let slot = holidays
                    .iter_mut()
                    .find(|o| o.name == h.name)
                    .ok_or_else(|| format!("[{where_}]：原通知没有“{}”一项", h.name))?;
                *slot = h;
            }
            changes.push(change);
        }
        for h in &holidays {
            cal.days_off
                .extend(h.from.iter_days().take_while(|d| *d <= h.to));
            cal.make_up.extend(h.workdays.iter().copied());
        }
        cal.years.insert(
            year,
            Year {
                notice,
                changes,
                holidays,
            },
        );
    }
    Ok(cal)
}

fn notice_of(t: &toml_edit::Table, at: &str) -> Result<Notice, String> {
    Ok(Notice {
        number: string(t, "notice", at)?,
        title: string(t, "title", at)?,
        issued: date(t.get("issued"), &format!("{at}.issued"))?,
    })
}

fn holidays_of(t: &toml_edit::Table, at: &str, notice: &str) -> Result<Vec<Holiday>, String> {
    let at = format!("{at}.holiday");
    tables(t, "holiday", &at)?
        .into_iter()
        .map(|h| {
            let days = h
                .get("workdays")
                .and_then(toml_edit::Item::as_array)
                .ok_or_else(|| format!("[[{at}]]：缺少 workdays 数组（没有调休上班日写 []）"))?;
            Ok(Holiday {
                name: string(h, "name", &at)?,
                from: date(h.get("from"), &format!("{at}.from"))?,
                to: date(h.get("to"), &format!("{at}.to"))?,
                workdays: days
                    .iter()
                    .map(|v| value_date(v, &format!("{at}.workdays")))
                    .collect::<Result<_, _>>()?,
                notice: notice.to_string(),
            })
        })
        .collect()
}

/// The tables of the array `[[at.name]]`; none when it is not written.
fn tables<'a>(
    t: &'a toml_edit::Table,
    name: &str,
    at: &str,
) -> Result<Vec<&'a toml_edit::Table>, String> {
    match t.get(name) {
        None => Ok(Vec::new()),
        Some(i) => i
            .as_array_of_tables()
            .map(|a| a.iter().collect())
            .ok_or_else(|| format!("{at}.{name}：应写成 [[…]] 表的数组")),
    }
}

fn string(t: &toml_edit::Table, name: &str, at: &str) -> Result<String, String> {
    t.get(name)
        .and_then(toml_edit::Item::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("[{at}]：缺少字符串 {name}"))
}

fn date(item: Option<&toml_edit::Item>, at: &str) -> Result<NaiveDate, String> {
    item.and_then(toml_edit::Item::as_value)
        .ok_or_else(|| format!("{at}：缺少日期"))
        .and_then(|v| value_date(v, at))
}

/// A TOML local date, `2024-10-01`.
fn value_date(v: &toml_edit::Value, at: &str) -> Result<NaiveDate, String> {
    let text = v.as_datetime().map(ToString::to_string).unwrap_or_default();
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map_err(|_| format!("{at}：应是日期，如 2024-10-01"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn cal() -> Calendar {
        parse(DATA).unwrap_or_else(|e| panic!("calendar/holidays.toml: {e}"))
    }

    #[test]
    fn the_data_reads() {
        assert_eq!(calendar().years.len(), cal().years.len());
        assert_eq!(cal().years.keys().next(), Some(&2018));
    }

    /// Each make-up day a Saturday or Sunday, each day in its notice's
    /// year (元旦 alone may begin in late December of the year before),
    /// no day both off and worked, no two items overlapping, the years
    /// contiguous, each notice numbered.
    #[test]
    fn the_data_is_consistent() {
        let c = cal();
        let mut problems = Vec::new();
        let years: Vec<i32> = c.years.keys().copied().collect();
        assert!(!years.is_empty());
        for w in years.windows(2) {
            if let [a, b] = w
                && b - a != 1
            {
                problems.push(format!("{a} 与 {b} 之间缺了年份"));
            }
        }
        let mut seen: BTreeMap<NaiveDate, String> = BTreeMap::new();
        for (y, year) in c.years() {
            if !year.notice.number.starts_with("国办发明电〔")
                || !year.notice.title.contains(&y.to_string())
            {
                problems.push(format!(
                    "{y}: 通知 {} {}",
                    year.notice.number, year.notice.title
                ));
            }
            for h in &year.holidays {
                let in_year = |d: NaiveDate| {
                    d.year() == y
                        || (h.name == "元旦"
                            && d.year() == y - 1
                            && d.month() == 12
                            && d.day() >= 25)
                };
                if h.from > h.to {
                    problems.push(format!("{y} {}: {} 晚于 {}", h.name, h.from, h.to));
                }
                if !in_year(h.from) || !in_year(h.to) {
                    problems.push(format!("{y} {}: {}—{} 不在本年", h.name, h.from, h.to));
                }
                for w in &h.workdays {
                    if !matches!(w.weekday(), Weekday::Sat | Weekday::Sun) {
                        problems.push(format!("{y} {}: 调休上班日 {w} 不是周六或周日", h.name));
                    }
                    if !in_year(*w) {
                        problems.push(format!("{y} {}: 调休上班日 {w} 不在本年", h.name));
                    }
                    if c.days_off.contains(w) {
                        problems.push(format!("{y} {}: {w} 既放假又上班", h.name));
                    }
                }
                for d in h.from.iter_days().take_while(|d| *d <= h.to) {
                    if let Some(other) = seen.insert(d, format!("{y} {}", h.name)) {
                        problems.push(format!("{d} 同属 {other} 与 {y} {}", h.name));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn each_rule_of_a_working_day() {
        let c = cal();
        // 2024-10-08, a Tuesday after 国庆节: an ordinary working day.
        assert_eq!(c.is_working_day(day(2024, 10, 8)), Ok(true));
        // 2024-10-01, a Tuesday in 国庆节.
        assert_eq!(c.is_working_day(day(2024, 10, 1)), Ok(false));
        // 2024-09-29, a Sunday worked for 国庆节 (国办发明电〔2023〕7号).
        assert_eq!(c.is_working_day(day(2024, 9, 29)), Ok(true));
        // 2024-09-28, an ordinary Saturday.
        assert_eq!(c.is_working_day(day(2024, 9, 28)), Ok(false));
        // 2024-02-09, 除夕: the notice only encourages a day off.
        assert_eq!(c.is_working_day(day(2024, 2, 9)), Ok(true));
    }

    #[test]
    fn later_notices_replace_the_item() {
        let c = cal();
        // 2019 劳动节: 5月1日 only, then 1日至4日 with 4月28日、5月5日
        // (both Sundays) worked (国办发明电〔2019〕3号).
        assert_eq!(c.is_working_day(day(2019, 5, 2)), Ok(false));
        assert_eq!(c.is_working_day(day(2019, 4, 28)), Ok(true));
        assert_eq!(c.is_working_day(day(2019, 5, 5)), Ok(true));
        // 2020 春节 extended to 2月2日 (国办发明电〔2020〕1号): Friday
        // 1月31日 is off, and Saturday 2月1日 is no longer worked.
        assert_eq!(c.is_working_day(day(2020, 1, 31)), Ok(false));
        assert_eq!(c.is_working_day(day(2020, 2, 1)), Ok(false));
        assert_eq!(c.is_working_day(day(2020, 1, 19)), Ok(true));
        let year = c.years.get(&2020).map(|y| y.changes.len());
        assert_eq!(year, Some(1));
    }

    #[test]
    fn the_period_starts_the_next_day() {
        // 2024-09-27 (Friday) 后 5个工作日: 9-29 (Sunday, worked for 国庆节),
        // 9-30 (Monday), 10-1…10-7 off, 10-8, 10-9, 10-10 → 2024-10-10.
        assert_eq!(add_working_days(day(2024, 9, 27), 5), Ok(day(2024, 10, 10)));
        // A working starting day is not counted either: 2024-10-08 (Tuesday)
        // 后 1个工作日 is 10-09.
        assert_eq!(add_working_days(day(2024, 10, 8), 1), Ok(day(2024, 10, 9)));
        assert_eq!(add_working_days(day(2024, 10, 8), 0), Ok(day(2024, 10, 8)));
    }

    #[test]
    fn across_the_2020_spring_festival_extension() {
        // 2020-01-23 (Thursday, 除夕 eve of the holiday) 后 3个工作日:
        // 1-24…2-2 off (春节 as extended by 国办发明电〔2020〕1号, the
        // Saturday 2-1 no longer worked), 2-3 (Monday), 2-4, 2-5 → 2020-02-05.
        // Under the first notice alone it would have been 1-31, 2-1 (Saturday,
        // worked), 2-3.
        assert_eq!(add_working_days(day(2020, 1, 23), 3), Ok(day(2020, 2, 5)));
        // 2020-01-17 (Friday) 后 2个工作日: 1-19 (Sunday, worked), 1-20.
        assert_eq!(add_working_days(day(2020, 1, 17), 2), Ok(day(2020, 1, 20)));
    }

    #[test]
    fn across_the_2018_holidays() {
        // 2018 春节 2-15…2-21, with 2-11 (Sunday) and 2-24 (Saturday) worked
        // (国办发明电〔2017〕12号). 2018-02-13 (Tuesday) 后 3个工作日: 2-14, then
        // 2-15…2-21 off, 2-22, 2-23 → 2018-02-23.
        assert_eq!(add_working_days(day(2018, 2, 13), 3), Ok(day(2018, 2, 23)));
        // 2018-02-09 (Friday) 后 1个工作日: 2-10 (Saturday) not, 2-11 (Sunday,
        // worked).
        assert_eq!(add_working_days(day(2018, 2, 9), 1), Ok(day(2018, 2, 11)));
        // 国庆 10-1…10-7 with 9-29 and 9-30 (a weekend) worked: 2018-09-28
        // (Friday) 后 3个工作日 is 9-29, 9-30, then 10-8 (Monday).
        assert_eq!(add_working_days(day(2018, 9, 28), 3), Ok(day(2018, 10, 8)));
    }

    #[test]
    fn across_a_2025_holiday() {
        // 2025 春节 from 除夕 1-28 to 2-4, the day the revised 《全国年节及纪念日
        // 放假办法》 added (国办发明电〔2024〕12号); 1-26 (Sunday) and 2-8
        // (Saturday) worked. 2025-01-24 (Friday) 后 3个工作日: 1-26 (Sunday,
        // worked), 1-27 (Monday), then 1-28…2-4 off, 2-5 (Wednesday) → 2025-02-05.
        assert_eq!(add_working_days(day(2025, 1, 24), 3), Ok(day(2025, 2, 5)));
        // 2025-04-30 (Wednesday) 后 1个工作日: 5-1…5-5 off (劳动节, 5月2日 the
        // added day), 5-6 (Tuesday) → 2025-05-06.
        assert_eq!(add_working_days(day(2025, 4, 30), 1), Ok(day(2025, 5, 6)));
        // 2025-02-07 (Friday) 后 1个工作日: 2-8 (Saturday, worked).
        assert_eq!(add_working_days(day(2025, 2, 7), 1), Ok(day(2025, 2, 8)));
    }

    #[test]
    fn uncovered_days_are_errors() {
        let c = cal();
        fn unknown<T>(date: NaiveDate) -> Result<T, CalendarUnknown> {
            Err(CalendarUnknown { date })
        }
        assert_eq!(c.is_working_day(day(2017, 6, 1)), unknown(day(2017, 6, 1)));
        assert_eq!(
            c.is_working_day(day(2017, 12, 29)),
            unknown(day(2017, 12, 29))
        );
        // Late 2018 is set by the 2019 notice (国办发明电〔2018〕15号):
        // Saturday 12-29 worked, Monday 12-31 off.
        assert_eq!(c.is_working_day(day(2018, 12, 29)), Ok(true));
        assert_eq!(c.is_working_day(day(2018, 12, 31)), Ok(false));
        assert_eq!(c.is_working_day(day(2018, 1, 2)), Ok(true));
        // December of the last year waits for the next year's notice.
        let (first, last) = c.covered_span().unwrap();
        assert_eq!(first, day(2018, 1, 1));
        let last_year = *c.years.keys().next_back().unwrap();
        assert_eq!(last, day(last_year, 11, 30));
        assert_eq!(
            c.is_working_day(last.succ_opt().unwrap_or(last)),
            unknown(day(last_year, 12, 1))
        );
        // A count that walks out of the calendar stops at the first unknown day.
        assert_eq!(c.add_working_days(last, 1), unknown(day(last_year, 12, 1)));
        assert_eq!(
            c.add_working_days(day(2019, 1, 1), u32::MAX),
            unknown(day(last_year, 12, 1))
        );
        // The starting day is not counted, so it need not be covered.
        assert_eq!(
            c.add_working_days(day(2017, 12, 31), 1),
            Ok(day(2018, 1, 2))
        );
    }

    #[test]
    fn a_broken_table_is_refused_with_where() {
        let e = parse(
            "[2024]\nnotice = \"x\"\ntitle = \"y\"\nissued = 2023-10-25\n[[2024.holiday]]\nname = \"春节\"\nfrom = 2024-02-10\nto = \"2月17日\"\nworkdays = []\n",
        );
        assert_eq!(
            e.err().as_deref(),
            Some("2024.holiday.to：应是日期，如 2024-10-01")
        );
        let e = parse(
            "[2024]\nnotice = \"x\"\ntitle = \"y\"\nissued = 2023-10-25\n[[2024.change]]\nnotice = \"z\"\ntitle = \"w\"\nissued = 2024-01-01\n[[2024.change.holiday]]\nname = \"春节\"\nfrom = 2024-02-10\nto = 2024-02-17\nworkdays = []\n",
        );
        assert_eq!(
            e.err().as_deref(),
            Some("[2024.change]：原通知没有“春节”一项")
        );
    }
}
