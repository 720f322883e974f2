//! The Chinese words for a clause's outcome: the one table that the
//! report, batch's cells, the 案例 runner and match read, so that a
//! wording changes in one place.

use super::{ClauseKind, Status, Verdict};

impl Status {
    /// 适用, 不适用, 待定, 不在施行期, 不在申报期.
    pub const fn word(self) -> &'static str {
        match self {
            Status::Applies => "适用",
            Status::NotApplicable => "不适用",
            Status::Undecided => "待定",
            Status::NotInForce => "不在施行期",
            Status::OutsideApplicationWindow => "不在申报期",
        }
    }
}

impl Verdict {
    /// 遵守, 违反, 待定, 免于.
    pub const fn word(self) -> &'static str {
        match self {
            Verdict::Met => "遵守",
            Verdict::Violated => "违反",
            Verdict::Undecided => "待定",
            Verdict::Exempt => "免于",
        }
    }
}

impl ClauseKind {
    /// 给予, 免于, 不得, 应当, 倡导.
    pub const fn word(self) -> &'static str {
        match self {
            ClauseKind::Grant => "给予",
            ClauseKind::Exemption => "免于",
            ClauseKind::Prohibition => "不得",
            ClauseKind::Obligation => "应当",
            ClauseKind::Permission => "倡导",
        }
    }
}

/// A clause that applies but whose grant the overlap rules paid to
/// another of its 事项.
pub(crate) const DISPLACED: &str = "被取代";

/// A grant that pays: the batch 状态 of a row, match's first section.
pub(crate) const PAYABLE: &str = "可获得";
