//! Follow-through: actions that carry out resolutions, public notices, residents' feedback.

use crate::domain::audit;
use crate::domain::guards;
use crate::domain::ids::{ActionId, IssueId, MeetingId};
use crate::domain::issue::Status;
use crate::domain::meeting::{Meeting, MeetingStatus};
use crate::error::{Error, Result};
use crate::ops::postings::{self, Posted, PostingRequest, Stamp, Which};
pub use crate::store::followup::ActionFilter;
use crate::store::followup::{self, Action, ActionUpdate, NewFeedback};
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
        return Err(Error::data_text(crate::text!(
            "value.out_of_range",
            flag = "--progress",
            value = req.progress,
            min = 0,
            max = 100
        )));
    }
    store.write(actor, |w| {
        let action = followup::require_action(w.conn(), req.action.0)?;
        guards::update_action(&action)?;
        followup::update_action(w, &action, req.progress, req.note.as_deref(), &req.day)?;
        let issue_now = move_issue_along(w, &action, req.progress)?;
        Ok(Updated {
            action: req.action,
            issue: IssueId(action.issue_id),
            lowered_from: Some(action.progress).filter(|&p| req.progress < p),
            issue_now,
        })
    })
}

/// After progress on `a`, its issue becomes implementing or completed (a step checked here;
/// store only writes it). Returns the status it took, if any.
fn move_issue_along(w: &mut Writer, a: &Action, progress: i64) -> Result<Option<Status>> {
    let issue = issues::require(w.conn(), a.issue_id)?;
    let all_done = followup::actions_of_issue(w.conn(), a.issue_id)?
        .iter()
        .filter(|x| x.withdrawn_reason.is_none())
        .all(|x| x.done_on.is_some());
    let next = crate::domain::followup::issue_after_progress(issue.status, all_done);
    if let Some(to) = next {
        guards::step(&issue, to)?;
        let action = if to == Status::Completed {
            audit::Action::Completed
        } else {
            audit::Action::Implementing
        };
        issues::set_step(
            w,
            &issue,
            to,
            Some(&crate::domain::history::HistoryEvent::Progress {
                action: a.id,
                progress,
            }),
            None,
            action,
        )?;
    }
    Ok(next)
}

/// `feedback add`: one resident's answer. Returns false when the same answer was already
/// recorded.
pub fn add_feedback(store: &mut Store, actor: &Actor, fb: &NewFeedback) -> Result<bool> {
    store.write(actor, |w| {
        feedback_target(w.conn(), fb.issue_id)?;
        let id = followup::add_feedback(w, fb, 0)?;
        if let Some(id) = id {
            w.record(audit::Entity::Feedback,
                Some(id),
                audit::Action::Add,
                serde_json::json!({"issue": fb.issue_id, "satisfaction": fb.satisfaction, "aware": fb.aware}),
                &[("feedback", id)],
            )?;
        }
        Ok(id.is_some())
    })
}

/// `feedback import`'s writes, in the load's transaction (see `ops::import::load_feedback`,
/// which checks each answer's issue first): the answers in the order of the file, then one
/// audit event for them all.
pub(crate) struct FeedbackImport {
    source: String,
    ids: Vec<i64>,
    // Identical answers in one file are different residents' answers (see domain::identity).
    places: crate::domain::identity::Occurrences,
    rows: usize,
}

impl FeedbackImport {
    pub(crate) fn new(source: &str) -> FeedbackImport {
        FeedbackImport {
            source: source.to_string(),
            ids: Vec::new(),
            places: Default::default(),
            rows: 0,
        }
    }

    /// One answer on an issue that can take feedback; already present when stored before.
    pub(crate) fn add(&mut self, w: &Writer, fb: &NewFeedback) -> Result<()> {
        self.rows += 1;
        if let Some(id) = followup::add_feedback(w, fb, self.places.next(fb.fingerprint()))? {
            self.ids.push(id);
        }
        Ok(())
    }

    /// The import's audit event; returns (added, already present).
    pub(crate) fn finish(self, w: &mut Writer) -> Result<(usize, usize)> {
        let FeedbackImport {
            source, ids, rows, ..
        } = self;
        if let (Some(first), Some(last)) = (ids.first(), ids.last()) {
            let touched: Vec<(&str, i64)> = ids.iter().map(|id| ("feedback", *id)).collect();
            w.record(audit::Entity::Feedback,
                None,
                audit::Action::Import,
                serde_json::json!({"source": source, "added": ids.len(), "first_id": first, "last_id": last}),
                &touched,
            )?;
        }
        Ok((ids.len(), rows - ids.len()))
    }
}

/// What a decision notice (决议公示) is made from.
pub struct DecisionNotice {
    pub meeting: Meeting,
    pub resolutions: Vec<Resolution>,
    pub agenda: Vec<AgendaItem>,
    /// The posting's day, period and 记录校验码.
    pub stamp: Stamp,
}

pub struct DecisionRequest {
    pub meeting: MeetingId,
    /// None: the meeting's rules.public_notice_days.
    pub days: Option<u32>,
    /// --from: the first day posted (None: the day signed).
    pub start: Option<NaiveDate>,
    pub posting: PostingRequest,
}

/// `notice decision`: the decisions of a closed meeting, posted for a period, once (see
/// `postings`). `render` builds the document from what was loaded and returns its text (kept
/// with the posting) and the view.
pub fn decision_notice<T>(
    store: &mut Store,
    actor: &Actor,
    req: DecisionRequest,
    render: impl FnOnce(&DecisionNotice) -> Result<(String, T)>,
) -> Result<(Posted, T)> {
    let which = Which {
        kind: crate::domain::followup::NoticeKind::Decision,
        meeting_id: Some(req.meeting.0),
        issue_id: None,
        zh: format!("{} 的决议公示", req.meeting),
        en: format!("the decision notice of {}", req.meeting),
    };
    postings::post(
        store,
        actor,
        &which,
        &req.posting,
        |w, signed_on| {
            let m = closed_meeting(w, req.meeting)?;
            let start = req.start.unwrap_or(signed_on);
            if let Some(day) = m.scheduled_day().filter(|day| start < *day) {
                return Err(Error::refused_text(crate::text!(
                    "notice.decision_before_meeting",
                    meeting = m.label(),
                    start = start,
                    day = day
                )));
            }
            let days = req.days.unwrap_or(m.rules.public_notice_days);
            if days == 0 || days > 90 {
                return Err(Error::data_text(crate::text!(
                    "value.out_of_range",
                    flag = "--days",
                    value = days,
                    min = 1,
                    max = 90
                )));
            }
            Ok(Stamp {
                signed_on,
                start,
                end: Some(start + chrono::Days::new(u64::from(days - 1))),
                anchor: None,
            })
        },
        |s| {
            req.start.is_none_or(|d| d == s.start)
                && req.days.is_none_or(|d| {
                    s.end == Some(s.start + chrono::Days::new(u64::from(d.max(1) - 1)))
                })
        },
        |w, stamp| {
            let meeting = closed_meeting(w, req.meeting)?;
            render(&DecisionNotice {
                resolutions: motions::resolutions(w.conn(), Some(meeting.id))?,
                agenda: meetings::agenda(w.conn(), meeting.id)?,
                meeting,
                stamp: stamp.clone(),
            })
        },
    )
}

fn closed_meeting(w: &Writer, id: MeetingId) -> Result<Meeting> {
    let m = meetings::require(w.conn(), id.0)?;
    if m.status != MeetingStatus::Closed {
        return Err(Error::refused_text(crate::text!(
            "notice.decision_before_close",
            meeting = m.label()
        )));
    }
    Ok(m)
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
    /// The posting's day and 记录校验码.
    pub stamp: Stamp,
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

/// `notice result`: what was done for a decided issue, posted once (see `postings`). As
/// `decision_notice`; the outcome says whether the issue is completed.
pub fn result_notice<T>(
    store: &mut Store,
    actor: &Actor,
    issue: IssueId,
    posting: PostingRequest,
    render: impl FnOnce(&ResultNotice) -> Result<(String, T)>,
) -> Result<(Posted, T)> {
    let which = Which {
        kind: crate::domain::followup::NoticeKind::Result,
        meeting_id: None,
        issue_id: Some(issue.0),
        zh: format!("议题 {issue} 的实施结果公开"),
        en: format!("the result notice of issue {issue}"),
    };
    postings::post(
        store,
        actor,
        &which,
        &posting,
        |w, signed_on| {
            result_data(w, issue)?;
            Ok(Stamp {
                signed_on,
                start: signed_on,
                end: None,
                anchor: None,
            })
        },
        |_| true,
        |w, stamp| {
            let (issue, resolution, supplementary) = result_data(w, issue)?;
            let id = issue.id;
            let mut actions = Vec::new();
            for action in followup::actions_of_issue(w.conn(), id)? {
                let updates = followup::updates(w.conn(), action.id)?;
                actions.push((action, updates));
            }
            render(&ResultNotice {
                completed: issue.status == Status::Completed,
                issue,
                resolution,
                supplementary,
                actions,
                stamp: stamp.clone(),
            })
        },
    )
}

/// The issue, its main resolution and the supplementary ones; refused without a resolution.
fn result_data(w: &Writer, issue: IssueId) -> Result<(Issue, Resolution, Vec<Resolution>)> {
    let issue = issues::require(w.conn(), issue.0)?;
    let Some((resolution, supplementary)) = main_resolution(w.conn(), issue.id)? else {
        return Err(Error::refused_text(crate::text!(
            "notice.no_resolution",
            id = issue.id
        )));
    };
    Ok((issue, resolution, supplementary))
}

/// The issue `issue_id`, when feedback can be given on it (`domain::guards::feedback`).
pub(crate) fn feedback_target(
    conn: &rusqlite::Connection,
    issue_id: i64,
) -> Result<crate::domain::issue::Issue> {
    let issue = crate::store::issues::require(conn, issue_id)?;
    guards::feedback(&issue)?;
    Ok(issue)
}
