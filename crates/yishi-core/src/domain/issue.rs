//! Issues (议题): channels, categories and the status machine.
//!
//! collected → accepted | rejected | merged
//! accepted  → scheduled | merged
//! scheduled → decided | accepted (deferred)
//! decided   → implementing (adopted only) | completed
//! implementing → completed

use super::locale::Locale;
use super::rules::Outcome;
use crate::i18n::Text;
use serde::Serialize;
use std::fmt;

/// Where an issue came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    /// Door-to-door visits, the suggestion box, "small-stool" chats.
    Offline,
    /// Interviews and round-table talks.
    Interview,
    /// Chat groups, mini-programs, online forms.
    Online,
}

impl Channel {
    pub const ALL: &'static [&'static str] = &["offline", "interview", "online"];

    pub fn key(self) -> &'static str {
        match self {
            Channel::Offline => "offline",
            Channel::Interview => "interview",
            Channel::Online => "online",
        }
    }

    /// 线下 / offline.
    pub fn label(self, locale: Locale) -> &'static str {
        let zh = match self {
            Channel::Offline => "线下",
            Channel::Interview => "访谈",
            Channel::Online => "线上",
        };
        locale.pick(zh, self.key())
    }

    pub fn from_key(k: &str) -> Option<Channel> {
        match k {
            "offline" => Some(Channel::Offline),
            "interview" => Some(Channel::Interview),
            "online" => Some(Channel::Online),
            _ => None,
        }
    }
}

/// Issue categories: key, Chinese name, and other words that mean the same.
pub const CATEGORIES: &[(&str, &str, &[&str])] = &[
    (
        "children",
        "儿童",
        &["儿童", "少儿", "孩子", "青少年", "托育"],
    ),
    ("elderly", "养老", &["养老", "老人", "老年", "助老", "为老"]),
    (
        "environment",
        "环境",
        &["环境", "卫生", "垃圾", "绿化", "环卫"],
    ),
    ("safety", "安全", &["安全", "消防", "治安", "防汛"]),
    (
        "facilities",
        "设施",
        &["设施", "设备", "电梯", "道路", "路灯", "场地", "基础设施"],
    ),
    ("parking", "停车", &["停车", "交通", "车辆", "充电"]),
    ("property", "物业", &["物业", "管理"]),
    ("culture", "文化", &["文化", "文体", "活动", "教育"]),
    ("other", "其他", &["其他", "其它", "综合"]),
];

/// `Filter::category` for issues with no category (`issue list --category 未分类`).
pub const UNCATEGORIZED: &str = "none";

/// The words `--category` takes for issues with no category.
pub fn is_uncategorized_word(s: &str) -> bool {
    matches!(
        s.trim(),
        "未分类" | "无类别" | "none" | "uncategorized" | "-"
    )
}

pub fn category_keys() -> Vec<&'static str> {
    CATEGORIES.iter().map(|c| c.0).collect()
}

/// A category from its key or a Chinese word.
pub fn parse_category(s: &str) -> Option<&'static str> {
    let s = s.trim();
    let lower = s.to_ascii_lowercase();
    CATEGORIES
        .iter()
        .find(|(k, zh, words)| *k == lower || *zh == s || words.contains(&s))
        .or_else(|| {
            CATEGORIES
                .iter()
                .find(|(_, _, words)| words.iter().any(|w| s.contains(w)))
        })
        .map(|c| c.0)
}

/// A stored channel in words: a channel key by its label; a word the secretary wrote (入户走访)
/// as it is.
pub fn channel_label(stored: &str, locale: Locale) -> &str {
    Channel::from_key(stored).map_or(stored, |c| c.label(locale))
}

/// A category key in words: 儿童 / children. A key this yishi does not know stays as it is.
pub fn category_label(key: &str, locale: Locale) -> &str {
    match locale {
        Locale::ZhCn => CATEGORIES.iter().find(|c| c.0 == key).map_or(key, |c| c.1),
        Locale::En => key,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Collected,
    Accepted,
    Rejected,
    Merged,
    Scheduled,
    Decided,
    Implementing,
    Completed,
    /// 已上报: raised to the street (上报街道), waiting for its answer.
    Escalated,
}

impl Status {
    pub const ALL: &'static [Status] = &[
        Status::Collected,
        Status::Accepted,
        Status::Rejected,
        Status::Merged,
        Status::Scheduled,
        Status::Decided,
        Status::Implementing,
        Status::Completed,
        Status::Escalated,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Status::Collected => "collected",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
            Status::Merged => "merged",
            Status::Scheduled => "scheduled",
            Status::Decided => "decided",
            Status::Implementing => "implementing",
            Status::Completed => "completed",
            Status::Escalated => "escalated",
        }
    }

    /// 已受理 / accepted.
    pub fn label(self, locale: Locale) -> &'static str {
        let zh = match self {
            Status::Collected => "已收集",
            Status::Accepted => "已受理",
            Status::Rejected => "不予受理",
            Status::Merged => "已合并",
            Status::Scheduled => "已列入议程",
            Status::Decided => "已表决",
            Status::Implementing => "落实中",
            Status::Completed => "已办结",
            Status::Escalated => "已上报",
        };
        locale.pick(zh, self.key())
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL
            .iter()
            .copied()
            .find(|st| st.key() == s || st.label(Locale::ZhCn) == s)
    }

    /// The statuses this one may move to.
    pub fn next(self) -> &'static [Status] {
        match self {
            Status::Collected => &[Status::Accepted, Status::Rejected, Status::Merged],
            Status::Accepted => &[Status::Scheduled, Status::Merged, Status::Escalated],
            Status::Scheduled => &[Status::Decided, Status::Accepted, Status::Escalated],
            Status::Decided => &[Status::Implementing, Status::Completed, Status::Escalated],
            Status::Implementing => &[Status::Completed, Status::Escalated],
            // The street's answer: back to where the council's flow left it, or closed.
            Status::Escalated => &[
                Status::Accepted,
                Status::Decided,
                Status::Implementing,
                Status::Completed,
            ],
            Status::Rejected | Status::Merged | Status::Completed => &[],
        }
    }

    /// The status in the words of `locale`, for messages: 已受理 / accepted (已受理).
    fn worded(self) -> (String, String) {
        let zh = self.label(Locale::ZhCn).to_string();
        (format!("“{zh}”"), format!("{} ({zh})", self.key()))
    }

    /// Check a step of the status machine; the refusal says what is possible instead.
    pub fn check_step(self, to: Status) -> Result<(), Text> {
        if self.next().contains(&to) {
            return Ok(());
        }
        let join = |list: Vec<Status>| {
            (
                list.iter()
                    .map(|s| s.worded().0)
                    .collect::<Vec<_>>()
                    .join("或"),
                list.iter()
                    .map(|s| s.key())
                    .collect::<Vec<_>>()
                    .join(" or "),
            )
        };
        let from_where = join(
            Status::ALL
                .iter()
                .copied()
                .filter(|s| s.next().contains(&to))
                .collect(),
        );
        let (from_zh, from_en) = self.worded();
        let next = if self.next().is_empty() {
            Text::new("status.final").pair("from", &from_zh, self.key())
        } else {
            let allowed = join(self.next().to_vec());
            Text::new("status.can_become")
                .pair("from", &from_zh, self.key())
                .pair("allowed", allowed.0, allowed.1)
        };
        Err(Text::new("status.why_not")
            .pair("from", from_zh, from_en)
            .pair("sources", from_where.0, from_where.1)
            .pair("to", to.worded().0, to.key())
            .text("next", &next))
    }

    /// The refusal of a step to this status for issue `id`, in the words of its command.
    pub fn refusal(id: i64, to: Status, why: &Text) -> Text {
        let (zh, en) = match to {
            Status::Accepted => ("受理", "accepted"),
            Status::Rejected => ("不予受理", "rejected"),
            Status::Merged => ("合并", "merged"),
            Status::Decided => ("记为已表决", "decided"),
            Status::Scheduled => ("列入议程", "scheduled"),
            Status::Implementing => ("记为落实中", "implementing"),
            Status::Completed => ("办结", "completed"),
            Status::Collected => ("退回已收集", "collected"),
            Status::Escalated => ("上报街道", "escalated"),
        };
        Text::new("issue.cannot_step")
            .arg("id", id)
            .pair("action", zh, en)
            .text("why", why)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A new issue's fields, borrowed: title, detail, submitted_by, phone, address, channel,
/// category, raised_on (title, channel and raised_on always present).
pub type IssueParts<'a> = [Option<&'a str>; 8];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn categories() {
        assert_eq!(parse_category("儿童"), Some("children"));
        assert_eq!(parse_category("elderly"), Some("elderly"));
        assert_eq!(parse_category("垃圾分类"), Some("environment"));
        assert_eq!(parse_category("xyz"), None);
    }

    #[test]
    fn legal_and_illegal_steps() {
        assert!(Status::Collected.check_step(Status::Accepted).is_ok());
        assert!(Status::Scheduled.check_step(Status::Accepted).is_ok());
        let e = Status::Rejected
            .check_step(Status::Accepted)
            .unwrap_err()
            .render(Locale::En);
        assert!(
            e.contains("only collected or scheduled or escalated issues can become accepted"),
            "{e}"
        );
        assert!(e.contains("final"), "{e}");
        assert!(Status::Collected.check_step(Status::Scheduled).is_err());
        assert!(Status::Completed.check_step(Status::Collected).is_err());
    }

    /// The final statuses, by the meaning of the words: nothing follows them.
    const FINAL: [Status; 3] = [Status::Rejected, Status::Merged, Status::Completed];

    #[test]
    fn every_status_can_reach_a_final_one_and_only_final_ones_stop() {
        for &s in Status::ALL {
            // Only final statuses have no way on.
            assert_eq!(s.next().is_empty(), FINAL.contains(&s), "{s:?}");
            // From every status some path ends in a final one (no trap, e.g. a loop
            // between accepted and scheduled with no way out).
            let mut seen = vec![s];
            let mut frontier = vec![s];
            while let Some(at) = frontier.pop() {
                for &n in at.next() {
                    if !seen.contains(&n) {
                        seen.push(n);
                        frontier.push(n);
                    }
                }
            }
            assert!(
                seen.iter().any(|r| FINAL.contains(r)),
                "{s:?} can never reach a final status"
            );
        }
    }

    proptest! {
        /// A walk that keeps moving ends in a final status, never goes back to collected, and
        /// a final status is never left.
        #[test]
        fn walks_end_in_a_final_status(choices in proptest::collection::vec(0usize..8, 40)) {
            let mut s = Status::Collected;
            let mut choices = choices.into_iter();
            // Step at most 40 times; avoid the accepted/scheduled loop after 20 steps so
            // every walk has to finish.
            for step in 0.. {
                let next = s.next();
                if next.is_empty() {
                    break;
                }
                prop_assert!(step < 40, "no final status after 40 steps: at {:?}", s);
                let i = choices.next().unwrap_or(0);
                let forward: Vec<Status> = next
                    .iter()
                    .copied()
                    .filter(|n| step < 20 || !matches!(n, Status::Accepted | Status::Escalated))
                    .collect();
                prop_assert!(!forward.is_empty(), "{:?} has only a way back", s);
                s = forward[i % forward.len()];
                prop_assert_ne!(s, Status::Collected);
            }
            prop_assert!(FINAL.contains(&s), "stopped at {:?}, which is not final", s);
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Issue {
    pub id: i64,
    pub title: String,
    pub detail: Option<String>,
    pub submitted_by: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub channel: String,
    pub category: Option<String>,
    pub raised_on: String,
    pub status: Status,
    pub outcome: Option<Outcome>,
    pub merged_into: Option<i64>,
    pub created_at: String,
    /// The meeting whose decision this issue objects to.
    pub objection_to: Option<i64>,
}

/// How an issue came in, beside its fields (`issue_intake`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct IssueIntake {
    /// A survey's metadata: platform, submission route, time, region, answer number.
    pub survey: crate::import::survey::Intake,
    /// The category was suggested by a keyword and nobody has confirmed it yet.
    pub category_suggested: bool,
}

/// A validated issue, from the command line or a CSV row.
#[derive(Debug, Clone, PartialEq)]
pub struct NewIssue {
    pub title: String,
    pub detail: Option<String>,
    pub submitted_by: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub channel: String,
    pub category: Option<String>,
    pub raised_on: String,
}

/// Which issues a listing shows. Only the conditions given go into the SQL, so that SQLite can
/// pick the index that serves them (an `?1 IS NULL OR status = ?1` form defeats every index).
#[derive(Debug, Default)]
pub struct Filter {
    pub status: Option<Status>,
    pub category: Option<String>,
    /// Any of these stored channel words (a group's words when filtering by group).
    pub channels: Option<Vec<String>>,
    pub since: Option<String>,
    pub until: Option<String>,
    /// The resident who raised it, exactly as stored.
    pub submitted_by: Option<String>,
    /// Text in the title or details.
    pub search: Option<String>,
}

/// A slice of a listing: `limit` rows (all when None) after skipping `offset`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Page {
    pub limit: Option<u64>,
    pub offset: u64,
    /// In the order they were recorded (by id) instead of newest first: for exports that are
    /// imported again, which then keep their order.
    pub recorded_order: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Submitter {
    pub name: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub from_issue: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub at: String,
    pub actor: String,
    /// Statuses, so that views word them (`Status::label`); JSON keeps the stored keys.
    pub from: Status,
    pub to: Status,
    /// What a person typed (or, for a row written before schema v18, yishi's own prose).
    pub note: Option<String>,
    /// What happened, as data (schema v18); None only for a row written before v18.
    /// Left out of JSON for an old row and a person's step (its note says it), so
    /// `issue show --json` keeps its keys and adds "event" only for yishi's own.
    #[serde(skip_serializing_if = "super::history::HistoryEvent::is_none_or_step")]
    pub event: Option<super::history::HistoryEvent>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Consultation {
    pub id: i64,
    pub party: String,
    pub summary: String,
    pub held_on: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Stakeholder {
    pub id: i64,
    pub name: String,
    pub phone: Option<String>,
}

/// What a link between records means: the `kind` column of `issue_links`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// The issue raises again an earlier one (`to_issue`).
    Reraise,
    /// The issue objects to a resolution (`to_resolution`).
    Objection,
}

crate::stored_code!(LinkKind, "link kind", {
    Reraise => "reraise",
    Objection => "objection",
});

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub issue_id: i64,
    pub kind: LinkKind,
    pub to_issue: Option<i64>,
    pub to_resolution: Option<i64>,
}
