//! Publication dates assumed for policies written `发布 未定`: given on the
//! command line (`--published '《标题》=2024-05-20'`) or in a 案例
//! (`发布 《标题》 2024年5月20日`). The checker resolves such a policy's
//! `发布后…` windows from the assumed date exactly as if `发布 <date>` had
//! been written, and records the assumption so the output can say so.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::program::Loc;
use crate::source::Span;

/// Everything assumed beyond the text. The default assumes nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assumptions {
    /// Assumed publication dates, in the order given.
    pub published: Vec<Published>,
}

/// One assumed publication date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// The policy's title, without 《》.
    pub title: String,
    /// The date.
    pub date: NaiveDate,
    /// Where the assumption was written, for errors.
    pub origin: Origin,
}

/// Where an assumption was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A command-line argument: its whole text and the title's bytes in it.
    Arg {
        /// The argument as given (`《标题》=2024-05-20`).
        text: Arc<str>,
        /// The title as written, 《》 included when given.
        title: Span,
    },
    /// The title in a 案例's `发布 《标题》 …` line.
    File(Loc),
}

/// The name a command-line assumption's source is shown under.
pub const ARG_NAME: &str = "--published";

impl Published {
    /// Reads `《标题》=2024-05-20` (the 《》 may be left out; the date in
    /// any form `date` reads).
    pub fn from_arg(
        arg: &str,
        date: impl Fn(&str) -> Result<NaiveDate, String>,
    ) -> Result<Self, String> {
        let Some((raw_title, raw_date)) = arg.rsplit_once('=') else {
            return Err(format!("“{arg}”缺少 =，应写成 《标题》=2024-05-20"));
        };
        let title = raw_title.trim();
        let bare = title
            .strip_prefix('《')
            .and_then(|t| t.strip_suffix('》'))
            .unwrap_or(title)
            .trim();
        if bare.is_empty() {
            return Err(format!("“{arg}”缺少政策标题，应写成 《标题》=2024-05-20"));
        }
        let date = date(raw_date)?;
        let start = raw_title.len() - raw_title.trim_start().len();
        Ok(Published {
            title: bare.to_string(),
            date,
            origin: Origin::Arg {
                text: arg.into(),
                title: Span::new(start, start + title.len()),
            },
        })
    }
}

impl Assumptions {
    /// `self` with the assumptions of `more` added; where both name a
    /// policy, `more` wins (a 案例's own assumption over the command
    /// line's).
    pub fn overridden_by(&self, more: &[Published]) -> Assumptions {
        let mut published: Vec<Published> = self
            .published
            .iter()
            .filter(|a| !more.iter().any(|m| m.title == a.title))
            .cloned()
            .collect();
        published.extend(more.iter().cloned());
        Assumptions { published }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> Result<NaiveDate, String> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| e.to_string())
    }

    #[test]
    fn the_title_may_be_written_with_or_without_brackets() {
        let a = Published::from_arg("《某政策》=2024-05-20", iso).unwrap();
        assert_eq!(a.title, "某政策");
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2024, 5, 20).unwrap());
        assert_eq!(
            a.origin,
            Origin::Arg {
                text: "《某政策》=2024-05-20".into(),
                title: Span::new(0, "《某政策》".len()),
            }
        );
        let b = Published::from_arg(" 某政策 =2024-05-20", iso).unwrap();
        assert_eq!(b.title, "某政策");
        assert_eq!(
            b.origin,
            Origin::Arg {
                text: " 某政策 =2024-05-20".into(),
                title: Span::new(1, 1 + "某政策".len()),
            }
        );
    }

    #[test]
    fn malformed_arguments_say_what_is_missing() {
        assert!(
            Published::from_arg("某政策", iso)
                .unwrap_err()
                .contains("缺少 =")
        );
        assert!(
            Published::from_arg("《》=2024-05-20", iso)
                .unwrap_err()
                .contains("缺少政策标题")
        );
        assert!(Published::from_arg("某政策=2024-13-01", iso).is_err());
    }

    #[test]
    fn a_case_overrides_the_command_line_for_its_policy() {
        let cli = Published::from_arg("甲=2024-01-01", iso).unwrap();
        let other = Published::from_arg("乙=2024-01-01", iso).unwrap();
        let case = Published::from_arg("甲=2025-01-01", iso).unwrap();
        let base = Assumptions {
            published: vec![cli, other.clone()],
        };
        let merged = base.overridden_by(std::slice::from_ref(&case));
        assert_eq!(merged.published, vec![other, case]);
    }
}
