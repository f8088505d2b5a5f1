//! The steps of `yishi status`, one function each, in the order of the cycle: each reads its
//! facts (`store::status`) and turns them into the items due in the window.

use super::{StepGroup, day, local_day};
use crate::config::Reminders;
use crate::domain::meeting::MeetingStatus;
use crate::domain::status::{self as rules, Due, Item, Step};
use crate::error::Result;
use crate::store::status as facts;
use chrono::NaiveDate;
use rusqlite::Connection;

/// Today, the days looked ahead, and the council's reminder thresholds.
pub(super) struct Window<'a> {
    pub today: NaiveDate,
    pub within: u32,
    pub thresholds: &'a Reminders,
}

impl Window<'_> {
    /// The item for `due` (since `since`, due by `by`), if it falls in the window.
    fn item(&self, due: Due, since: Option<NaiveDate>, by: Option<NaiveDate>) -> Option<Item> {
        Item::new(due, since, by, self.today, self.within)
    }
}

/// 议题收集: what came in lately (the same number of days back as the look-ahead).
pub(super) fn new_issues(conn: &Connection, w: &Window) -> Result<Option<Item>> {
    let since = rules::sub_days(w.today, w.within.max(1) - 1);
    let count = facts::raised_since(conn, &since.to_string())?;
    Ok((count > 0)
        .then(|| w.item(Due::NewIssues { count, since }, Some(since), None))
        .flatten())
}

/// The command that lists the issues waiting to be screened (the screening step's "more").
pub(super) const SCREEN_MORE: &str = "yishi issue list --status collected";

/// 审核: the one step that can hold a million rows, so it is counted and paged in SQL.
pub(super) fn screen(conn: &Connection, w: &Window, limit: u32) -> Result<Option<StepGroup>> {
    let days = w.thresholds.screen_days;
    let shown_until = rules::sub_days(rules::add_days(w.today, w.within), days);
    let overdue_before = rules::sub_days(w.today, days);
    let (total, overdue, oldest) = facts::collected(
        conn,
        &shown_until.to_string(),
        &overdue_before.to_string(),
        if limit == 0 { u32::MAX } else { limit },
    )?;
    let items: Vec<Item> = oldest
        .into_iter()
        .filter_map(|i| {
            let raised = i.since.as_deref().and_then(day);
            w.item(
                Due::ScreenIssue {
                    issue: i.id,
                    title: i.title,
                },
                raised,
                raised.map(|r| rules::add_days(r, days)),
            )
        })
        .collect();
    Ok((total > 0).then(|| StepGroup {
        step: Step::Screen,
        total,
        overdue,
        due: total - overdue,
        more: (total > items.len() as u64).then(|| SCREEN_MORE.to_string()),
        items,
    }))
}

/// 会前协商, and consulted issues waiting for a council.
pub(super) fn consultations(conn: &Connection, w: &Window) -> Result<Vec<Item>> {
    let mut items = Vec::new();
    for i in facts::accepted_unconsulted(conn)? {
        let accepted = i.since.as_deref().and_then(local_day);
        items.extend(w.item(
            Due::ConsultIssue {
                issue: i.id,
                title: i.title,
            },
            accepted,
            accepted.map(|a| rules::add_days(a, w.thresholds.consult_days)),
        ));
    }
    let ready = facts::ready_for_council(conn)?;
    if ready > 0 {
        items.extend(w.item(Due::ReadyForCouncil { count: ready }, None, None));
    }
    Ok(items)
}

/// 会议通知 and 召开: meetings not closed yet.
pub(super) fn meetings(conn: &Connection, w: &Window) -> Result<Vec<Item>> {
    let mut items = Vec::new();
    for m in facts::meetings(conn, true)? {
        let Some(meeting_day) = day(&m.starts_at) else {
            continue;
        };
        if m.status != MeetingStatus::Convened {
            items.extend(w.item(
                Due::CloseMeeting {
                    meeting: m.id,
                    title: m.title,
                },
                None,
                Some(meeting_day),
            ));
            continue;
        }
        let deadline = rules::notice_deadline(meeting_day, m.notice_days);
        // yishi does not record when a notice is posted, so the reminder stops at the
        // deadline rather than nagging about a notice that is probably up.
        if w.today <= deadline {
            items.extend(w.item(
                Due::PostMeetingNotice {
                    meeting: m.id,
                    title: m.title.clone(),
                },
                None,
                Some(deadline),
            ));
        }
        items.extend(w.item(
            Due::HoldMeeting {
                meeting: m.id,
                title: m.title,
                starts_at: m.starts_at.clone(),
                place: m.place,
            },
            None,
            Some(meeting_day),
        ));
    }
    Ok(items)
}

/// 表决: motions opened and not closed.
pub(super) fn votes(conn: &Connection, w: &Window) -> Result<Vec<Item>> {
    Ok(facts::pending_motions(conn)?
        .into_iter()
        .filter_map(|v| {
            let held = day(&v.meeting_day);
            w.item(
                Due::FinishVote {
                    motion: v.id,
                    meeting: v.meeting_id,
                    text: v.text,
                    cast: v.cast,
                },
                None,
                held,
            )
        })
        .collect())
}

/// 决议公示: decided meetings without a notice, and notice periods running.
pub(super) fn notices(conn: &Connection, w: &Window) -> Result<Vec<Item>> {
    let notices = facts::notices(conn)?;
    let mut items = Vec::new();
    for m in facts::decisions_not_posted(conn)? {
        let held = day(&m.starts_at);
        items.extend(w.item(
            Due::PostDecisions {
                meeting: m.id,
                title: m.title,
            },
            held,
            held.map(|h| rules::add_days(h, w.thresholds.decision_notice_days)),
        ));
    }
    // One 公示 per posting in force: a corrected notice replaces the one before it.
    for n in notices
        .iter()
        .filter(|n| n.kind == crate::domain::followup::NoticeKind::Decision && !n.superseded)
    {
        let (Some(start), Some(end), Some(meeting)) = (
            day(&n.starts_on),
            n.ends_on.as_deref().and_then(day),
            n.meeting_id,
        ) else {
            continue;
        };
        if start <= w.today && w.today <= end {
            items.extend(w.item(
                Due::NoticePeriod {
                    meeting,
                    title: n.title.clone(),
                    ends_on: end,
                    reposted: n.repost_of.is_some(),
                },
                Some(start),
                None,
            ));
        }
    }
    Ok(items)
}

/// 落实: open actions due in the window or overdue.
pub(super) fn actions(conn: &Connection, w: &Window) -> Result<Vec<Item>> {
    let due_until = rules::add_days(w.today, w.within).to_string();
    Ok(facts::actions(conn, Some(&due_until))?
        .into_iter()
        .filter_map(|a| {
            let due = a.due.as_deref().and_then(day);
            w.item(
                Due::Action {
                    action: a.id,
                    issue: a.issue_id,
                    text: a.text,
                    owner: a.owner,
                    progress: a.progress,
                },
                None,
                due,
            )
        })
        .collect())
}

/// 评议 and 结果公开 after completion.
pub(super) fn after_completion(conn: &Connection, w: &Window) -> Result<Vec<Item>> {
    let mut items = Vec::new();
    for c in facts::completed_incomplete(conn)? {
        let done = c.done_on.as_deref().and_then(day);
        if !c.has_feedback {
            items.extend(w.item(
                Due::CollectFeedback {
                    issue: c.id,
                    title: c.title.clone(),
                },
                done,
                done.map(|d| rules::add_days(d, w.thresholds.feedback_days)),
            ));
        }
        if c.has_resolution && !c.has_result_notice {
            items.extend(w.item(
                Due::PublishResults {
                    issue: c.id,
                    title: c.title,
                },
                done,
                done.map(|d| rules::add_days(d, w.thresholds.result_notice_days)),
            ));
        }
    }
    Ok(items)
}

/// 上报: raised to the street and not answered yet, however long ago.
pub(super) fn escalations(conn: &Connection, w: &Window) -> Result<Vec<Item>> {
    let mut items = Vec::new();
    for (e, title) in crate::store::escalations::as_of(conn, &w.today.to_string())? {
        if e.answered_on.is_some() {
            continue;
        }
        let days_waiting = crate::domain::escalation::days_waiting(&e.escalated_on, w.today);
        items.extend(w.item(
            Due::EscalationWaiting {
                issue: e.issue_id,
                title,
                to: e.to,
                days_waiting,
            },
            day(&e.escalated_on),
            None,
        ));
    }
    Ok(items)
}

/// 答复: residents owed a reply at the step their issue reached last.
pub(super) fn replies(conn: &Connection, w: &Window) -> Result<Vec<Item>> {
    let mut items = Vec::new();
    for u in crate::store::replies::unanswered(conn)? {
        let reached = local_day(&u.at);
        items.extend(w.item(
            Due::Reply {
                issue: u.id,
                title: u.title,
                reply_step: u.step,
                residents: u.residents,
            },
            reached,
            reached.map(|d| rules::add_days(d, w.thresholds.reply_days)),
        ));
    }
    Ok(items)
}
