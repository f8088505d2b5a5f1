//! Follow-through: actions that carry out resolutions, public notices, residents' feedback.

use crate::domain::ids::{ActionId, IssueId, MeetingId};
use crate::domain::issue::Status;
use crate::domain::meeting::{Meeting, MeetingStatus};
use crate::error::{Error, Result};
pub use crate::store::followup::ActionFilter;
use crate::store::followup::{self, Action, ActionUpdate, NewFeedback, Notice};
use crate::store::issues::{self, Issue};
use crate::store::meetings::{self, AgendaItem};
use crate::store::motions::{self, Resolution};
use crate::store::{Actor, Store, Writer};
use chrono::NaiveDate;

/// `action list`: one page of the actions that match, and how many match (counted only when
/// the page may hide some), in one snapshot.
pub fn actions(
    store: &Store,
    filter: followup::ActionFilter,
    (limit, offset): (i64, i64),
    with_total: impl FnOnce(usize) -> bool,
) -> Result<(Vec<Action>, Option<u64>)> {
    store.read(|conn| {
        let page = followup::actions_page(conn, filter, limit, offset)?;
        let total = if with_total(page.len()) {
            Some(followup::count_actions(conn, filter)?)
        } else {
            None
        };
        Ok((page, total))
    })
}

pub struct UpdateRequest {
    pub action: ActionId,
    /// 0 to 100; 100 is done.
    pub progress: i64,
    pub note: Option<String>,
    /// YYYY-MM-DD
    pub day: String,
}

pub struct Updated {
    pub action: ActionId,
    pub issue: IssueId,
    /// The progress before, when it was higher (the update lowers it).
    pub lowered_from: Option<i64>,
    /// The issue's new status, when the update moved it.
    pub issue_now: Option<Status>,
}

/// `action update` / `action done`: progress, moving the issue to implementing or completed.
pub fn update_action(store: &mut Store, actor: &Actor, req: UpdateRequest) -> Result<Updated> {
    if !(0..=100).contains(&req.progress) {
        return Err(Error::data(format!(
            "--progress {} is out of range (0 to 100)",
            req.progress
        )));
    }
    store.write(actor, |w| {
        let action = followup::require_action(w.conn(), req.action.0)?;
        let issue_now =
            followup::update_action(w, &action, req.progress, req.note.as_deref(), &req.day)?;
        Ok(Updated {
            action: req.action,
            issue: IssueId(action.issue_id),
            lowered_from: Some(action.progress).filter(|&p| req.progress < p),
            issue_now,
        })
    })
}

/// `feedback add`: one resident's answer. Returns false when the same answer was already
/// recorded.
pub fn add_feedback(store: &mut Store, actor: &Actor, fb: &NewFeedback) -> Result<bool> {
    store.write(actor, |w| {
        followup::feedback_target(w.conn(), fb.issue_id)?;
        let id = followup::add_feedback(w, fb, 0)?;
        if let Some(id) = id {
            w.record(
                "feedback",
                Some(id),
                "add",
                serde_json::json!({"issue": fb.issue_id, "satisfaction": fb.satisfaction, "aware": fb.aware}),
                &[("feedback", id)],
            )?;
        }
        Ok(id.is_some())
    })
}

/// `feedback import`: validated answers, all or nothing. Returns (added, already present).
pub fn import_feedback(
    store: &mut Store,
    actor: &Actor,
    source: &str,
    rows: &[NewFeedback],
    dry_run: bool,
) -> Result<(usize, usize)> {
    let write = |w: &mut Writer| -> Result<(usize, usize)> {
        let mut ids = Vec::new();
        // Identical answers in one file are different residents' answers (see domain::identity).
        let mut places = crate::domain::identity::Occurrences::default();
        for fb in rows {
            // Checked again here, inside the transaction: the reader's check was a preview.
            followup::feedback_target(w.conn(), fb.issue_id)?;
            if let Some(id) = followup::add_feedback(w, fb, places.next(fb.fingerprint()))? {
                ids.push(id);
            }
        }
        if let (Some(first), Some(last)) = (ids.first(), ids.last()) {
            let touched: Vec<(&str, i64)> = ids.iter().map(|id| ("feedback", *id)).collect();
            w.record(
                "feedback",
                None,
                "import",
                serde_json::json!({"source": source, "added": ids.len(), "first_id": first, "last_id": last}),
                &touched,
            )?;
        }
        Ok((ids.len(), rows.len() - ids.len()))
    };
    if dry_run {
        store.trial(actor, write)
    } else {
        store.write(actor, write)
    }
}

/// What a decision notice (决议公示) is made from.
pub struct DecisionNotice {
    pub meeting: Meeting,
    pub resolutions: Vec<Resolution>,
    pub agenda: Vec<AgendaItem>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub days: u32,
    /// The chain head as the notice is made (printed on it as 记录校验码).
    pub head: Option<crate::store::audit::Anchor>,
}

pub struct DecisionRequest {
    pub meeting: MeetingId,
    /// None: the meeting's rules.public_notice_days.
    pub days: Option<u32>,
    pub start: NaiveDate,
}

/// `notice decision`: the decisions of a closed meeting, posted for a period. `text` writes
/// the notice from what was loaded; the notice is recorded with that text in the same
/// transaction. Returns the text.
pub fn decision_notice(
    store: &mut Store,
    actor: &Actor,
    req: DecisionRequest,
    text: impl FnOnce(&DecisionNotice) -> Result<String>,
) -> Result<String> {
    store.write(actor, |w| {
        let m = meetings::require(w.conn(), req.meeting.0)?;
        if m.status != MeetingStatus::Closed {
            return Err(Error::refused(format!(
                "{} is not closed yet: decisions are posted after the meeting (`yishi council close {}`)",
                m.label(),
                m.label()
            )));
        }
        if let Some(day) = m.scheduled_day().filter(|day| req.start < *day) {
            return Err(Error::refused(format!(
                "the decision notice of {} would be dated {}, before the meeting on {day}: post it on or after the meeting's day (--date {day} or later)",
                m.label(),
                req.start
            )));
        }
        let days = req.days.unwrap_or(m.rules.public_notice_days);
        if days == 0 || days > 90 {
            return Err(Error::data(format!(
                "--days {days} is out of range (1 to 90)"
            )));
        }
        let data = DecisionNotice {
            resolutions: motions::resolutions(w.conn(), Some(m.id))?,
            agenda: meetings::agenda(w.conn(), m.id)?,
            start: req.start,
            end: req.start + chrono::Days::new(u64::from(days - 1)),
            days,
            meeting: m,
            head: crate::store::audit::head(w.conn())?,
        };
        let text = text(&data)?;
        let notice = Notice {
            id: 0,
            kind: "decision".into(),
            meeting_id: Some(data.meeting.id),
            issue_id: None,
            starts_on: data.start.to_string(),
            ends_on: Some(data.end.to_string()),
            text: text.clone(),
        };
        followup::add_notice(w, &notice)?;
        Ok(text)
    })
}

/// What a result notice (实施结果公开) is made from.
pub struct ResultNotice {
    pub issue: Issue,
    /// The issue's main resolution (the last adopted main motion's).
    pub resolution: Resolution,
    /// The supplementary resolutions (附加决议) adopted with it, in order.
    pub supplementary: Vec<Resolution>,
    pub actions: Vec<(Action, Vec<ActionUpdate>)>,
    pub completed: bool,
    /// The chain head as the notice is made (printed on it as 记录校验码).
    pub head: Option<crate::store::audit::Anchor>,
}

/// The issue's main resolution, the last adopted main motion still standing, and the
/// supplementary resolutions of the same meeting: a later supplementary one is not the
/// decision the result notice quotes.
fn main_resolution(
    conn: &rusqlite::Connection,
    issue: i64,
) -> Result<Option<(Resolution, Vec<Resolution>)>> {
    use crate::domain::motion::MotionKind;
    let mut standing = Vec::new();
    for r in motions::resolutions(conn, None)?
        .into_iter()
        .filter(|r| r.issue_id == issue && r.withdrawn_reason.is_none())
    {
        let kind = motions::require(conn, r.motion_id)?.kind;
        standing.push((r, kind));
    }
    let Some(main) = standing
        .iter()
        .rposition(|(_, k)| *k == MotionKind::Main)
        .or_else(|| standing.len().checked_sub(1))
    else {
        return Ok(None);
    };
    let meeting = standing[main].0.meeting_id;
    let supplementary = standing
        .iter()
        .filter(|(r, k)| *k == MotionKind::Supplementary && r.meeting_id == meeting)
        .map(|(r, _)| r.clone())
        .collect();
    Ok(Some((standing.swap_remove(main).0, supplementary)))
}

/// `notice result`: what was done for a decided issue. As `decision_notice`, returns the
/// text, and whether the issue is completed.
pub fn result_notice(
    store: &mut Store,
    actor: &Actor,
    issue: IssueId,
    today: NaiveDate,
    text: impl FnOnce(&ResultNotice) -> Result<String>,
) -> Result<(String, bool)> {
    store.write(actor, |w| {
        let issue = issues::require(w.conn(), issue.0)?;
        let id = issue.id;
        let Some((resolution, supplementary)) = main_resolution(w.conn(), id)? else {
            return Err(Error::refused(format!(
                "issue #{id} has no resolution: there is no result to publish"
            )));
        };
        let mut actions = Vec::new();
        for action in followup::actions_of_issue(w.conn(), id)? {
            let updates = followup::updates(w.conn(), action.id)?;
            actions.push((action, updates));
        }
        let data = ResultNotice {
            completed: issue.status == Status::Completed,
            issue,
            resolution,
            supplementary,
            actions,
            head: crate::store::audit::head(w.conn())?,
        };
        let text = text(&data)?;
        let notice = Notice {
            id: 0,
            kind: "result".into(),
            meeting_id: Some(data.resolution.meeting_id),
            issue_id: Some(id),
            starts_on: today.to_string(),
            ends_on: None,
            text: text.clone(),
        };
        followup::add_notice(w, &notice)?;
        Ok((text, data.completed))
    })
}
