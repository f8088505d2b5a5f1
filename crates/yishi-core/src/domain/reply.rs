//! Replies (答复): telling the residents who raised an issue what became of it, at each step
//! where they are owed an answer: 受理 or 不予受理 (with the reason), 决议, 结果.
//!
//! The steps are not stored with the issue: they are read from its status history (the first
//! time it reached accepted, rejected, decided, completed). A reply records that the residents
//! were told at one step, how and when; one reply per issue and step.

use super::issue::{HistoryEntry, Status};
use super::locale::Locale;
use chrono::NaiveDate;
use serde::Serialize;

/// A step at which the residents are owed a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReplyStep {
    /// 受理: the council took it up.
    Accepted,
    /// 不予受理: it was rejected, with a reason.
    Rejected,
    /// 决议: the council decided it.
    Decided,
    /// 结果: the work is done and the result public.
    Completed,
}

crate::stored_code!(ReplyStep, "reply step", {
    Accepted => "accepted",
    Rejected => "rejected",
    Decided => "decided",
    Completed => "completed",
});

impl ReplyStep {
    pub const ALL: [ReplyStep; 4] = [
        ReplyStep::Accepted,
        ReplyStep::Rejected,
        ReplyStep::Decided,
        ReplyStep::Completed,
    ];

    /// 受理 / acceptance.
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            ReplyStep::Accepted => locale.pick("受理", "acceptance"),
            ReplyStep::Rejected => locale.pick("不予受理", "rejection"),
            ReplyStep::Decided => locale.pick("决议", "decision"),
            ReplyStep::Completed => locale.pick("结果", "result"),
        }
    }

    /// The step an issue reaches by moving to `status`, if a reply is owed there.
    pub fn of_status(status: Status) -> Option<ReplyStep> {
        match status {
            Status::Accepted => Some(ReplyStep::Accepted),
            Status::Rejected => Some(ReplyStep::Rejected),
            Status::Decided => Some(ReplyStep::Decided),
            Status::Completed => Some(ReplyStep::Completed),
            _ => None,
        }
    }
}

/// How the residents were told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Via {
    Phone,
    Wechat,
    InPerson,
    Sms,
    Letter,
}

crate::stored_code!(Via, "reply channel", {
    Phone => "phone",
    Wechat => "wechat",
    InPerson => "in-person",
    Sms => "sms",
    Letter => "letter",
});

impl Via {
    pub const ALL: [Via; 5] = [
        Via::Phone,
        Via::Wechat,
        Via::InPerson,
        Via::Sms,
        Via::Letter,
    ];

    /// 电话 / phone.
    pub fn label(self, locale: Locale) -> &'static str {
        let zh = match self {
            Via::Phone => "电话",
            Via::Wechat => "微信",
            Via::InPerson => "当面",
            Via::Sms => "短信",
            Via::Letter => "书面",
        };
        locale.pick(zh, self.key())
    }

    /// A channel as typed: the key or its Chinese word (电话, 微信, 当面, 短信, 书面), with a
    /// few common variants.
    pub fn parse(typed: &str) -> Option<Via> {
        let t = typed.trim();
        let lower = t.to_ascii_lowercase();
        let found = Via::ALL
            .into_iter()
            .find(|v| v.key() == lower || v.label(Locale::ZhCn) == t);
        found.or(match lower.as_str() {
            "inperson" | "in_person" | "面谈" | "上门" => Some(Via::InPerson),
            "weixin" | "微信群" => Some(Via::Wechat),
            "tel" | "call" | "打电话" => Some(Via::Phone),
            "text" | "短消息" => Some(Via::Sms),
            "书面答复" | "答复单" | "paper" => Some(Via::Letter),
            _ => None,
        })
    }

    /// Every accepted word, for messages: "电话|phone, 微信|wechat, ...".
    pub fn words() -> String {
        Via::ALL
            .iter()
            .map(|v| format!("{}|{}", v.label(Locale::ZhCn), v.key()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A step an issue reached: when, and the note written then (a rejection's reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reached {
    pub step: ReplyStep,
    /// The UTC timestamp of the history entry; the caller turns it into a local day.
    pub at: String,
    pub note: Option<String>,
}

/// The steps an issue reached, each at the first time it got there, in the order reached.
pub fn reached(history: &[HistoryEntry]) -> Vec<Reached> {
    let mut out: Vec<Reached> = Vec::new();
    for h in history {
        if h.from == h.to {
            continue; // a note (recount, correction), not a step
        }
        if let Some(step) = ReplyStep::of_status(h.to)
            && !out.iter().any(|r| r.step == step)
        {
            out.push(Reached {
                step,
                at: h.at.clone(),
                note: h.note.clone(),
            });
        }
    }
    out
}

/// The step the residents are owed a reply for now: the last one reached.
pub fn current(history: &[HistoryEntry]) -> Option<Reached> {
    reached(history).pop()
}

/// A recorded reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reply {
    pub id: i64,
    pub issue: i64,
    pub step: ReplyStep,
    pub via: Via,
    /// The day the residents were told.
    pub replied_on: NaiveDate,
    pub text: Option<String>,
    /// How many residents were told (the submitter and those of merged issues).
    pub residents: i64,
}

/// Whole days from the step to the reply (0 when told the same day).
pub fn days_to_reply(step_day: NaiveDate, replied_on: NaiveDate) -> i64 {
    (replied_on - step_day).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(from: Status, to: Status, at: &str) -> HistoryEntry {
        HistoryEntry {
            at: at.into(),
            actor: "x".into(),
            from,
            to,
            note: None,
            event: None,
        }
    }

    #[test]
    fn the_current_step_is_the_last_reached_and_a_deferral_does_not_move_it() {
        use Status::*;
        let history = vec![
            h(Collected, Accepted, "1"),
            h(Accepted, Scheduled, "2"),
            h(Scheduled, Accepted, "3"),
            h(Accepted, Scheduled, "4"),
            h(Scheduled, Decided, "5"),
            h(Decided, Decided, "6"),
        ];
        let steps = reached(&history);
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0].at, "1");
        assert_eq!(current(&history).unwrap().step, ReplyStep::Decided);
        assert_eq!(current(&history[..1]).unwrap().step, ReplyStep::Accepted);
        assert_eq!(current(&[]), None);
    }

    #[test]
    fn channels_in_both_languages() {
        assert_eq!(Via::parse("电话"), Some(Via::Phone));
        assert_eq!(Via::parse("WeChat"), Some(Via::Wechat));
        assert_eq!(Via::parse("in-person"), Some(Via::InPerson));
        assert_eq!(Via::parse("当面"), Some(Via::InPerson));
        assert_eq!(Via::parse("letter"), Some(Via::Letter));
        assert_eq!(Via::parse("短信"), Some(Via::Sms));
        assert_eq!(Via::parse("飞鸽"), None);
    }
}
