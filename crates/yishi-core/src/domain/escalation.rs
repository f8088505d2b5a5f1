//! 上报: an issue the community cannot solve (it needs the district's money, several
//! communities, or an authority) is raised to the street. It waits there as 已上报 until the
//! street answers; the answer either closes it or sends it back into the council's flow.
//! Pure rules: the facts and the day come in.

use super::issue::Status;
use super::locale::Locale;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One raising of one issue, answered or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Escalation {
    pub id: i64,
    pub issue_id: i64,
    /// The level raised to, as typed (街道).
    pub to: String,
    pub reason: String,
    /// The status the issue had when it was raised (where `back` returns it).
    pub from_status: Status,
    /// YYYY-MM-DD
    pub escalated_on: String,
    /// The meeting that decided to raise it (`council decide --escalate`).
    pub meeting_id: Option<i64>,
    pub answer: Option<String>,
    pub answered_on: Option<String>,
}

/// 上报 in a report: raisings made and answers received in the period, and raisings still
/// waiting for an answer at its end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub raised: u64,
    pub answered: u64,
    pub waiting: u64,
}

impl std::ops::Add for Counts {
    type Output = Counts;

    fn add(self, o: Counts) -> Counts {
        Counts {
            raised: self.raised + o.raised,
            answered: self.answered + o.answered,
            waiting: self.waiting + o.waiting,
        }
    }
}

/// What the street's answer does with the issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Then {
    /// The street solved it (or ruled on it): the issue is completed.
    Close,
    /// The council goes on with it.
    Back,
}

impl Then {
    /// `close`/`办结`, `back`/`退回`.
    pub fn parse(s: &str) -> Option<Then> {
        match s.trim() {
            "close" | "closed" | "办结" | "关闭" => Some(Then::Close),
            "back" | "return" | "退回" | "返回" => Some(Then::Back),
            _ => None,
        }
    }

    /// The status the answered issue takes.
    pub fn status(self, from: Status) -> Status {
        match self {
            Then::Close => Status::Completed,
            Then::Back => back_to(from),
        }
    }
}

/// Where the council's flow picks an answered issue up again: the status it was raised from,
/// except that an agenda item (raised at a meeting, now held) waits for the next council.
pub fn back_to(from: Status) -> Status {
    match from {
        Status::Decided | Status::Implementing => from,
        _ => Status::Accepted,
    }
}

/// The levels an issue may be raised to (a council's own level is 社区).
pub fn parse_level(s: &str) -> Option<&'static str> {
    match s.trim() {
        "街道" | "街道办" | "street" => Some("街道"),
        "区" | "district" => Some("区"),
        _ => None,
    }
}

/// The level in words.
pub fn level_label(stored: &str, locale: Locale) -> &str {
    match (stored, locale) {
        ("街道", Locale::En) => "street",
        ("区", Locale::En) => "district",
        _ => stored,
    }
}

/// Days from `since` to `today` (0 on the same day, never negative).
pub fn days_waiting(since: &str, today: NaiveDate) -> i64 {
    since
        .parse::<NaiveDate>()
        .map(|d| (today - d).num_days().max(0))
        .unwrap_or(0)
}

/// Why `issue escalate` cannot raise an issue in `status`; None when it can.
pub fn refusal(status: Status) -> Option<&'static str> {
    match status {
        Status::Accepted | Status::Decided | Status::Implementing => None,
        Status::Scheduled => Some("escalate.on_agenda"),
        Status::Escalated => Some("escalate.already"),
        Status::Collected => Some("escalate.not_accepted"),
        Status::Rejected | Status::Merged | Status::Completed => Some("escalate.final"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_returns_an_issue_to_the_flow_or_closes_it() {
        assert_eq!(Then::Close.status(Status::Implementing), Status::Completed);
        assert_eq!(Then::Back.status(Status::Scheduled), Status::Accepted);
        assert_eq!(Then::Back.status(Status::Accepted), Status::Accepted);
        assert_eq!(Then::Back.status(Status::Decided), Status::Decided);
        assert_eq!(Then::parse("退回"), Some(Then::Back));
        assert_eq!(Then::parse("办结"), Some(Then::Close));
        assert_eq!(Then::parse("maybe"), None);
        for &s in Status::ALL {
            if refusal(s).is_none() {
                assert!(s.check_step(Status::Escalated).is_ok(), "{s:?}");
            }
            for then in [Then::Close, Then::Back] {
                assert!(Status::Escalated.check_step(then.status(s)).is_ok());
            }
        }
    }

    #[test]
    fn days_waiting_never_negative() {
        let today: NaiveDate = "2026-12-07".parse().unwrap();
        assert_eq!(days_waiting("2026-11-30", today), 7);
        assert_eq!(days_waiting("2026-12-09", today), 0);
        assert_eq!(parse_level(" 街道办 "), Some("街道"));
        assert_eq!(parse_level("省"), None);
    }
}
