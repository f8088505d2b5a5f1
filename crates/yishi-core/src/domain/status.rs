//! What is due in the council cycle: the steps, when each falls due, and the command that moves
//! it forward. Pure rules: the facts and today's date come in, the items go out.
//!
//! The steps follow PRACTICE.md: 议题收集 → 审核 → 会前协商 → 会议通知 → 召开 → 表决 → 决议公示 →
//! 落实 → 评议 → 结果公开. (评议 comes before 结果公开 here because a result is published once the
//! feedback on it is in; yishi asks for both after completion and reports whichever is missing.)

use super::locale::Locale;
use chrono::NaiveDate;
use serde::Serialize;

/// A step of the cycle, in the order the secretary meets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    Collect,
    Screen,
    Consult,
    Notice,
    Meet,
    Vote,
    Publish,
    Implement,
    Evaluate,
    Results,
    /// 上报: issues raised to the street, waiting for its answer.
    Escalated,
}

impl Step {
    pub const ALL: [Step; 11] = [
        Step::Collect,
        Step::Screen,
        Step::Consult,
        Step::Notice,
        Step::Meet,
        Step::Vote,
        Step::Publish,
        Step::Implement,
        Step::Evaluate,
        Step::Results,
        Step::Escalated,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Step::Collect => "collect",
            Step::Screen => "screen",
            Step::Consult => "consult",
            Step::Notice => "notice",
            Step::Meet => "meet",
            Step::Vote => "vote",
            Step::Publish => "publish",
            Step::Implement => "implement",
            Step::Evaluate => "evaluate",
            Step::Results => "results",
            Step::Escalated => "escalated",
        }
    }

    /// 议题收集 / Collection.
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Step::Collect => locale.pick("议题收集", "Collection"),
            Step::Screen => locale.pick("议题审核", "Screening"),
            Step::Consult => locale.pick("会前协商", "Pre-consultation"),
            Step::Notice => locale.pick("会议通知", "Meeting notice"),
            Step::Meet => locale.pick("召开议事会", "Council meeting"),
            Step::Vote => locale.pick("表决", "Voting"),
            Step::Publish => locale.pick("决议公示", "Decision notice"),
            Step::Implement => locale.pick("落实督办", "Implementation"),
            Step::Evaluate => locale.pick("评议", "Feedback"),
            Step::Results => locale.pick("结果公开", "Results published"),
            Step::Escalated => locale.pick("上报待复", "Escalated, waiting for an answer"),
        }
    }
}

/// How pressing an item is on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Urgency {
    /// Past its due date.
    Overdue,
    /// Due today or within the look-ahead window.
    Due,
    /// Nothing to do by a date, but worth knowing (a notice period running, issues ready).
    Info,
}

/// Where an item stands on `today`, looking `within` days ahead; `None`: not yet worth showing.
pub fn urgency(due: Option<NaiveDate>, today: NaiveDate, within: u32) -> Option<Urgency> {
    match due {
        None => Some(Urgency::Info),
        Some(d) if d < today => Some(Urgency::Overdue),
        Some(d) if d <= add_days(today, within) => Some(Urgency::Due),
        Some(_) => None,
    }
}

/// `day` plus `n` days, saturating at the end of the calendar.
pub fn add_days(day: NaiveDate, n: u32) -> NaiveDate {
    day.checked_add_days(chrono::Days::new(u64::from(n)))
        .unwrap_or(NaiveDate::MAX)
}

/// `day` minus `n` days, saturating at the start of the calendar.
pub fn sub_days(day: NaiveDate, n: u32) -> NaiveDate {
    day.checked_sub_days(chrono::Days::new(u64::from(n)))
        .unwrap_or(NaiveDate::MIN)
}

/// Days from `today` to `due`: negative when overdue.
pub fn days_left(due: NaiveDate, today: NaiveDate) -> i64 {
    (due - today).num_days()
}

/// A look-ahead as typed: `7d`, `2w`, `7` (days), `7天`, `2周`. At most a year.
pub fn parse_within(s: &str) -> Option<u32> {
    let s = s.trim();
    let (digits, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => (&s[..i], s[i..].trim()),
        None => (s, ""),
    };
    let n: u32 = digits.parse().ok()?;
    let days = match unit {
        "" | "d" | "day" | "days" | "天" | "日" => n,
        "w" | "week" | "weeks" | "周" | "星期" => n.checked_mul(7)?,
        _ => return None,
    };
    (days <= 366).then_some(days)
}

/// What is due, and of what; the renderer words it per locale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Due {
    /// Issues raised recently (informational). `since` is worded in the text; in JSON it is the
    /// item's own `since` (one key, not two: `Item` flattens `Due`).
    NewIssues {
        count: u64,
        #[serde(skip)]
        since: NaiveDate,
    },
    /// Accept or reject a collected issue.
    ScreenIssue { issue: i64, title: String },
    /// Hold the pre-consultation of an accepted issue.
    ConsultIssue { issue: i64, title: String },
    /// Accepted and consulted issues waiting for a council.
    ReadyForCouncil { count: u64 },
    /// Post the notice of a convened meeting.
    PostMeetingNotice { meeting: i64, title: String },
    /// Hold (open) a convened meeting.
    HoldMeeting {
        meeting: i64,
        title: String,
        starts_at: String,
        place: String,
    },
    /// Close a meeting still in session.
    CloseMeeting { meeting: i64, title: String },
    /// Record the votes of an open motion, or close a counted one.
    FinishVote {
        motion: i64,
        meeting: i64,
        text: String,
        cast: bool,
    },
    /// Post the decisions of a closed meeting.
    PostDecisions { meeting: i64, title: String },
    /// A decision notice is up; objections may come until it ends.
    NoticePeriod {
        meeting: i64,
        title: String,
        ends_on: NaiveDate,
        /// Posted again (a corrected notice).
        reposted: bool,
    },
    /// Carry out an action.
    Action {
        action: i64,
        issue: i64,
        text: String,
        owner: Option<String>,
        progress: i64,
    },
    /// Collect residents' feedback on a completed issue.
    CollectFeedback { issue: i64, title: String },
    /// Publish the results of a completed issue.
    PublishResults { issue: i64, title: String },
    /// An issue raised to the street (上报), waiting for its answer.
    EscalationWaiting {
        issue: i64,
        title: String,
        /// 街道
        to: String,
        days_waiting: i64,
    },
    /// 答复: tell the residents who raised an issue what became of it at the step it reached.
    Reply {
        issue: i64,
        title: String,
        reply_step: super::reply::ReplyStep,
        residents: i64,
    },
}

impl Due {
    pub fn step(&self) -> Step {
        match self {
            Due::NewIssues { .. } => Step::Collect,
            Due::ScreenIssue { .. } => Step::Screen,
            Due::ConsultIssue { .. } => Step::Consult,
            Due::ReadyForCouncil { .. } | Due::HoldMeeting { .. } | Due::CloseMeeting { .. } => {
                Step::Meet
            }
            Due::PostMeetingNotice { .. } => Step::Notice,
            Due::FinishVote { .. } => Step::Vote,
            Due::PostDecisions { .. } | Due::NoticePeriod { .. } => Step::Publish,
            Due::Action { .. } => Step::Implement,
            Due::CollectFeedback { .. } => Step::Evaluate,
            Due::PublishResults { .. } => Step::Results,
            Due::EscalationWaiting { .. } => Step::Escalated,
            // Each reply sits with the step that owes it.
            Due::Reply { reply_step, .. } => match reply_step {
                super::reply::ReplyStep::Accepted | super::reply::ReplyStep::Rejected => {
                    Step::Screen
                }
                super::reply::ReplyStep::Decided => Step::Publish,
                super::reply::ReplyStep::Completed => Step::Results,
            },
        }
    }

    /// The exact command that moves this item forward. Words in capitals are for the secretary
    /// to fill in.
    pub fn command(&self) -> Option<String> {
        Some(match self {
            Due::NewIssues { since, .. } => format!("yishi issue list --since {since}"),
            Due::ScreenIssue { issue, .. } => format!("yishi issue accept {issue}"),
            Due::ConsultIssue { issue, .. } => {
                format!("yishi issue consult {issue} --with PARTY --summary TEXT")
            }
            Due::ReadyForCouncil { .. } => {
                "yishi council convene --date \"YYYY-MM-DD HH:MM\" --place PLACE".into()
            }
            Due::PostMeetingNotice { meeting, .. } => format!("yishi council notice M{meeting}"),
            Due::HoldMeeting { meeting, .. } => format!("yishi council open M{meeting} --at HH:MM"),
            Due::CloseMeeting { meeting, .. } => {
                format!("yishi council close M{meeting} --at HH:MM")
            }
            Due::FinishVote {
                motion, cast: true, ..
            } => format!("yishi vote close V{motion}"),
            Due::FinishVote { motion, .. } => format!("yishi vote cast V{motion} --count Y:N:A"),
            Due::PostDecisions { meeting, .. } => format!("yishi notice decision M{meeting}"),
            Due::NoticePeriod { .. } => return None,
            Due::Action { action, .. } => format!("yishi action done A{action}"),
            Due::CollectFeedback { issue, .. } => {
                format!("yishi feedback add --issue {issue} --satisfaction 1-5 --aware yes|no")
            }
            Due::PublishResults { issue, .. } => format!("yishi notice result {issue}"),
            Due::EscalationWaiting { issue, .. } => {
                format!("yishi issue escalate {issue} --answer TEXT --date YYYY-MM-DD")
            }
            Due::Reply { issue, .. } => {
                format!("yishi issue reply {issue} --via 电话|微信|当面|短信|书面")
            }
        })
    }
}

/// One line of `yishi status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub step: Step,
    #[serde(flatten)]
    pub due: Due,
    /// Since when it has been waiting (raised, accepted, held, completed...).
    pub since: Option<NaiveDate>,
    /// By when it should be done; none for informational items.
    pub by: Option<NaiveDate>,
    pub urgency: Urgency,
    /// Days left until `by` (negative: overdue).
    pub days_left: Option<i64>,
    pub command: Option<String>,
}

impl Item {
    /// Build an item, or `None` when it falls outside the look-ahead window.
    pub fn new(
        due: Due,
        since: Option<NaiveDate>,
        by: Option<NaiveDate>,
        today: NaiveDate,
        within: u32,
    ) -> Option<Item> {
        let urgency = urgency(by, today, within)?;
        Some(Item {
            step: due.step(),
            command: due.command(),
            due,
            since,
            by,
            urgency,
            days_left: by.map(|b| days_left(b, today)),
        })
    }
}

/// Order within a step: overdue first (most overdue first), then by due date, then the rest.
pub fn sort(items: &mut [Item]) {
    items.sort_by(|a, b| {
        (a.step, a.urgency, a.by.unwrap_or(NaiveDate::MAX)).cmp(&(
            b.step,
            b.urgency,
            b.by.unwrap_or(NaiveDate::MAX),
        ))
    });
}

/// The notice of a meeting is due this many days before it (rules.notice_days of the meeting).
pub fn notice_deadline(meeting_day: NaiveDate, notice_days: u32) -> NaiveDate {
    sub_days(meeting_day, notice_days)
}

// The facts the calendar and status read (store::status reads them in one snapshot).

/// A meeting as the calendar and status need it.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingFacts {
    pub id: i64,
    pub title: String,
    /// Local time, `YYYY-MM-DD HH:MM`.
    pub starts_at: String,
    /// Local `HH:MM`, when closed.
    pub ended_at: Option<String>,
    pub place: String,
    pub status: crate::domain::meeting::MeetingStatus,
    pub notice_days: u32,
    /// Titles of the agenda items, in order.
    pub agenda: Vec<String>,
    /// Whether any agenda item was decided (adopted or not).
    pub decided: bool,
}

/// A posted notice (决议公示 or 实施结果公开).
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeFacts {
    pub id: i64,
    pub kind: crate::domain::followup::NoticeKind,
    pub meeting_id: Option<i64>,
    pub issue_id: Option<i64>,
    pub starts_on: String,
    pub ends_on: Option<String>,
    /// The meeting's title, or the issue's for a result notice.
    pub title: String,
    /// A second posting (a corrected notice): the posting it replaces and why.
    pub repost_of: Option<i64>,
    pub repost_reason: Option<String>,
    /// A later posting replaced this one.
    pub superseded: bool,
}

/// An action with the title of its issue.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionFacts {
    pub id: i64,
    pub issue_id: i64,
    pub issue_title: String,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub progress: i64,
    pub done_on: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn within_accepts_days_and_weeks() {
        assert_eq!(parse_within("7d"), Some(7));
        assert_eq!(parse_within("7"), Some(7));
        assert_eq!(parse_within("2w"), Some(14));
        assert_eq!(parse_within("10天"), Some(10));
        assert_eq!(parse_within("1周"), Some(7));
        assert_eq!(parse_within("0d"), Some(0));
        assert_eq!(parse_within("7x"), None);
        assert_eq!(parse_within("-7d"), None);
        assert_eq!(parse_within("400d"), None);
        assert_eq!(parse_within("99999999999w"), None);
        assert_eq!(parse_within(""), None);
    }

    #[test]
    fn urgency_on_the_edges() {
        let today = d("2026-11-25");
        assert_eq!(
            urgency(Some(d("2026-11-24")), today, 7),
            Some(Urgency::Overdue)
        );
        assert_eq!(urgency(Some(today), today, 0), Some(Urgency::Due));
        assert_eq!(urgency(Some(d("2026-12-02")), today, 7), Some(Urgency::Due));
        assert_eq!(urgency(Some(d("2026-12-03")), today, 7), None);
        assert_eq!(urgency(None, today, 0), Some(Urgency::Info));
    }

    #[test]
    fn overdue_first_then_by_date_within_a_step() {
        let today = d("2026-11-25");
        let issue = |id: i64, by: &str| {
            Item::new(
                Due::ScreenIssue {
                    issue: id,
                    title: String::new(),
                },
                None,
                Some(d(by)),
                today,
                30,
            )
            .unwrap()
        };
        let mut items = vec![
            issue(1, "2026-11-30"),
            issue(2, "2026-11-20"),
            issue(3, "2026-11-10"),
        ];
        sort(&mut items);
        let ids: Vec<i64> = items
            .iter()
            .map(|i| match i.due {
                Due::ScreenIssue { issue, .. } => issue,
                _ => 0,
            })
            .collect();
        assert_eq!(ids, [3, 2, 1]);
        assert_eq!(items[0].days_left, Some(-15));
        assert_eq!(items[0].command.as_deref(), Some("yishi issue accept 3"));
    }

    #[test]
    fn dates_saturate_instead_of_panicking() {
        assert_eq!(add_days(NaiveDate::MAX, 5), NaiveDate::MAX);
        assert_eq!(sub_days(NaiveDate::MIN, 5), NaiveDate::MIN);
        assert_eq!(notice_deadline(d("2026-12-01"), 3), d("2026-11-28"));
    }
}

/// A step of 四议两公开 for one decided issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    Raised,
    Accepted,
    Consulted,
    Decided,
    DecisionNotice,
    Implemented,
    ResultNotice,
    Feedback,
}

impl Check {
    /// 决议公示 / decision posted.
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Check::Raised => locale.pick("提出议题", "raised"),
            Check::Accepted => locale.pick("审核受理", "accepted"),
            Check::Consulted => locale.pick("会前协商", "pre-consulted"),
            Check::Decided => locale.pick("议事会表决", "decided by the council"),
            Check::DecisionNotice => locale.pick("决议公示", "decision posted"),
            Check::Implemented => locale.pick("落实办结", "carried out"),
            Check::ResultNotice => locale.pick("实施结果公开", "results published"),
            Check::Feedback => locale.pick("居民评议", "residents' feedback"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckState {
    Done,
    /// Should have happened by now and did not.
    Missing,
    /// Not due yet (the work is still going on).
    Pending,
    /// Does not apply (a motion that was not adopted has nothing to carry out).
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckStep {
    pub step: Check,
    pub state: CheckState,
    pub on: Option<NaiveDate>,
    /// The last day of a period (公示期).
    pub until: Option<NaiveDate>,
    /// How many (feedback answers).
    pub count: Option<u64>,
}

/// The dates the checklist needs, already parsed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckFacts {
    pub raised_on: Option<NaiveDate>,
    pub accepted_on: Option<NaiveDate>,
    pub consulted_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub adopted: bool,
    pub decision_notice: Option<(NaiveDate, Option<NaiveDate>)>,
    /// The day the issue was completed (its last action done); None while work goes on.
    pub completed_on: Option<NaiveDate>,
    pub result_notice_on: Option<NaiveDate>,
    pub feedback: (u64, Option<NaiveDate>),
}

/// 四议两公开 for a decided issue: every step with its date, or why it has none.
pub fn checklist(f: &CheckFacts) -> Vec<CheckStep> {
    let step = |step, on: Option<NaiveDate>| CheckStep {
        step,
        state: if on.is_some() {
            CheckState::Done
        } else {
            CheckState::Missing
        },
        on,
        until: None,
        count: None,
    };
    // After the decision, the follow-through applies to adopted motions only, and the result
    // notice and feedback are due once the work is completed.
    let after = |step, on: Option<NaiveDate>| CheckStep {
        state: match (f.adopted, on, f.completed_on) {
            (false, None, _) => CheckState::NotApplicable,
            (_, Some(_), _) => CheckState::Done,
            (true, None, Some(_)) => CheckState::Missing,
            (true, None, None) => CheckState::Pending,
        },
        ..step_of(step, on)
    };
    let mut notice = step(Check::DecisionNotice, f.decision_notice.map(|n| n.0));
    notice.until = f.decision_notice.and_then(|n| n.1);
    let mut implemented = after(Check::Implemented, f.completed_on);
    if !f.adopted {
        implemented.state = CheckState::NotApplicable;
    }
    let mut feedback = after(Check::Feedback, f.feedback.1);
    if f.feedback.0 > 0 {
        feedback.count = Some(f.feedback.0);
    }
    vec![
        step(Check::Raised, f.raised_on),
        step(Check::Accepted, f.accepted_on),
        step(Check::Consulted, f.consulted_on),
        step(Check::Decided, f.decided_on),
        notice,
        implemented,
        after(Check::ResultNotice, f.result_notice_on),
        feedback,
    ]
}

fn step_of(step: Check, on: Option<NaiveDate>) -> CheckStep {
    CheckStep {
        step,
        state: CheckState::Done,
        on,
        until: None,
        count: None,
    }
}

/// Every step done (or not applicable): the issue went through the whole cycle.
pub fn complete(steps: &[CheckStep]) -> bool {
    steps
        .iter()
        .all(|s| matches!(s.state, CheckState::Done | CheckState::NotApplicable))
}

#[cfg(test)]
mod checklist_tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        Some(s.parse().unwrap())
    }

    fn states(f: &CheckFacts) -> Vec<CheckState> {
        checklist(f).iter().map(|s| s.state).collect()
    }

    #[test]
    fn a_decided_issue_without_notice_and_a_completed_one_without_results() {
        use CheckState::*;
        let decided = CheckFacts {
            raised_on: d("2026-10-01"),
            accepted_on: d("2026-10-02"),
            consulted_on: None,
            decided_on: d("2026-10-20"),
            adopted: true,
            ..CheckFacts::default()
        };
        assert_eq!(
            states(&decided),
            [
                Done, Done, Missing, Done, Missing, Pending, Pending, Pending
            ]
        );
        assert!(!complete(&checklist(&decided)));
        let completed = CheckFacts {
            consulted_on: d("2026-10-05"),
            decision_notice: Some(("2026-10-21".parse().unwrap(), d("2026-10-27"))),
            completed_on: d("2026-11-05"),
            ..decided.clone()
        };
        assert_eq!(
            states(&completed),
            [Done, Done, Done, Done, Done, Done, Missing, Missing]
        );
        let all = CheckFacts {
            result_notice_on: d("2026-11-09"),
            feedback: (3, d("2026-11-10")),
            ..completed
        };
        assert!(complete(&checklist(&all)));
        assert_eq!(checklist(&all)[7].count, Some(3));
        assert_eq!(checklist(&all)[4].until, d("2026-10-27"));
    }

    #[test]
    fn a_motion_not_adopted_ends_with_its_notice() {
        use CheckState::*;
        let f = CheckFacts {
            raised_on: d("2026-10-01"),
            accepted_on: d("2026-10-02"),
            consulted_on: d("2026-10-05"),
            decided_on: d("2026-11-22"),
            adopted: false,
            decision_notice: Some(("2026-11-23".parse().unwrap(), d("2026-11-29"))),
            ..CheckFacts::default()
        };
        assert_eq!(
            states(&f),
            [
                Done,
                Done,
                Done,
                Done,
                Done,
                NotApplicable,
                NotApplicable,
                NotApplicable
            ]
        );
        assert!(complete(&checklist(&f)));
    }
}
