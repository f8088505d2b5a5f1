//! The facts `yishi status`, `remind`, `calendar` and the 四议两公开 checklist are built from.
//!
//! Every query here is bounded by an index or by a small table: on a million issues the only
//! large set is the issues waiting to be screened, which is counted and paged through
//! `issues_by_status (status, raised_on)`, never loaded.

use super::codes::{clock_text, datetime_text, decode, decode_opt};
use crate::domain::issue::Status;
use crate::domain::motion::MotionResult;
use crate::domain::rules::Outcome;
use crate::error::Result;
use std::collections::HashMap;

pub use crate::domain::status::{ActionFacts, MeetingFacts, NoticeFacts};

use rusqlite::{Connection, params};

/// An issue waiting at some step, with the day it has been waiting since (as stored).
#[derive(Debug, Clone, PartialEq)]
pub struct WaitingIssue {
    pub id: i64,
    pub title: String,
    /// `raised_on` (a date) or the history timestamp of the last transition (UTC, RFC 3339).
    pub since: Option<String>,
}

/// Collected issues raised on or before `raised_until`: how many, how many raised before
/// `overdue_before`, and the `limit` oldest.
pub fn collected(
    conn: &Connection,
    raised_until: &str,
    overdue_before: &str,
    limit: u32,
) -> Result<(u64, u64, Vec<WaitingIssue>)> {
    // Two counts along the index: the overdue ones are the total less the few recent ones
    // (a sum over the whole range would read every row's date once more).
    let total: i64 = conn.query_row(
        "SELECT count(*) FROM issues WHERE status = 'collected' AND raised_on <= ?1",
        [raised_until],
        |r| r.get(0),
    )?;
    let recent: i64 = conn.query_row(
        "SELECT count(*) FROM issues \
         WHERE status = 'collected' AND raised_on >= ?2 AND raised_on <= ?1",
        params![raised_until, overdue_before],
        |r| r.get(0),
    )?;
    let overdue = total - recent;
    let mut stmt = conn.prepare(
        "SELECT id, title, raised_on AS since FROM issues \
         WHERE status = 'collected' AND raised_on <= ?1 ORDER BY raised_on, id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![raised_until, limit], waiting_issue)?;
    Ok((
        total as u64,
        overdue as u64,
        rows.collect::<rusqlite::Result<_>>()?,
    ))
}

/// An issue waiting from a row with `id`, `title` and `since`.
fn waiting_issue(r: &rusqlite::Row) -> rusqlite::Result<WaitingIssue> {
    Ok(WaitingIssue {
        id: r.get("id")?,
        title: r.get("title")?,
        since: r.get("since")?,
    })
}

/// Issues raised on or after `since`, in any status (the index is used status by status).
pub fn raised_since(conn: &Connection, since: &str) -> Result<u64> {
    let keys: Vec<String> = crate::domain::issue::Status::ALL
        .iter()
        .map(|s| format!("'{}'", s.key()))
        .collect();
    let n: i64 = conn.query_row(
        &format!(
            "SELECT count(*) FROM issues WHERE status IN ({}) AND raised_on >= ?1",
            keys.join(", ")
        ),
        [since],
        |r| r.get(0),
    )?;
    Ok(n as u64)
}

/// Accepted issues with no pre-consultation yet, with the time they were (last) accepted.
pub fn accepted_unconsulted(conn: &Connection) -> Result<Vec<WaitingIssue>> {
    let mut stmt = conn.prepare(
        "SELECT i.id AS id, i.title AS title, \
           (SELECT h.at FROM issue_history h WHERE h.issue_id = i.id AND h.to_status = 'accepted' \
            ORDER BY h.id DESC LIMIT 1) AS since \
         FROM issues i WHERE i.status = 'accepted' \
           AND NOT EXISTS (SELECT 1 FROM consultations c WHERE c.issue_id = i.id) \
         ORDER BY i.id",
    )?;
    let rows = stmt.query_map([], waiting_issue)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Accepted issues that have been consulted: ready for a council's agenda.
pub fn ready_for_council(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM issues i WHERE i.status = 'accepted' \
           AND EXISTS (SELECT 1 FROM consultations c WHERE c.issue_id = i.id)",
        [],
        |r| r.get(0),
    )?;
    Ok(n as u64)
}

/// Meetings, all or only those not closed yet.
pub fn meetings(conn: &Connection, open_only: bool) -> Result<Vec<MeetingFacts>> {
    let mut stmt = conn.prepare(
        "SELECT id, title, starts_at, ended_at, place, status, rules FROM meetings \
         WHERE (?1 = 0 OR status != 'closed') ORDER BY starts_at, id",
    )?;
    let rows = stmt.query_map([open_only], |r| {
        let id = r.get("id")?;
        let rules: String = r.get("rules")?;
        Ok((
            MeetingFacts {
                id,
                title: r.get("title")?,
                starts_at: datetime_text(r, "starts_at", "meetings", "starts_at", id)?,
                ended_at: clock_text(r, "ended_at", "meetings", "ended_at", id)?,
                place: r.get("place")?,
                status: decode(r, "status", "meetings", "status", id)?,
                notice_days: 0,
                agenda: Vec::new(),
                decided: false,
            },
            rules,
        ))
    })?;
    let mut agenda = conn.prepare(
        "SELECT i.title AS title, a.outcome AS outcome, a.id AS id \
         FROM agenda_items a JOIN issues i ON i.id = a.issue_id \
         WHERE a.meeting_id = ?1 ORDER BY a.position",
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (mut m, rules) = row?;
        // The notice period in force when the meeting was convened; an unreadable snapshot is
        // a damaged record, reported rather than guessed.
        let rules: crate::config::Rules = serde_json::from_str(&rules).map_err(|e| {
            crate::error::Error::data_text(crate::text!(
                "store.meeting_rules_unreadable",
                meeting = format!("M{}", m.id),
                error = e
            ))
        })?;
        m.notice_days = rules.notice_days;
        let items = agenda.query_map([m.id], |r| {
            let outcome: Option<MotionResult> =
                decode_opt(r, "outcome", "agenda_items", "outcome", r.get("id")?)?;
            Ok((r.get::<_, String>("title")?, outcome))
        })?;
        for item in items {
            let (title, outcome) = item?;
            m.decided |= matches!(
                outcome,
                Some(MotionResult::Adopted | MotionResult::NotAdopted)
            );
            m.agenda.push(title);
        }
        out.push(m);
    }
    Ok(out)
}

/// A closed meeting that decided something and has no decision notice (决议公示) yet.
#[derive(Debug, Clone, PartialEq)]
pub struct UnpostedMeeting {
    pub id: i64,
    pub title: String,
    pub starts_at: String,
}

/// Closed meetings with a decided agenda item and no decision notice, oldest first: found in
/// SQL, because a district's archive holds thousands of meetings that are all posted.
pub fn decisions_not_posted(conn: &Connection) -> Result<Vec<UnpostedMeeting>> {
    let mut stmt = conn.prepare(
        "SELECT m.id AS id, m.title AS title, m.starts_at AS starts_at \
         FROM meetings m WHERE m.status = 'closed' \
           AND EXISTS (SELECT 1 FROM agenda_items a WHERE a.meeting_id = m.id \
                       AND a.outcome IN ('adopted', 'not-adopted')) \
           AND NOT EXISTS (SELECT 1 FROM notices n WHERE n.kind = 'decision' AND n.meeting_id = m.id) \
         ORDER BY m.starts_at, m.id",
    )?;
    let rows = stmt.query_map([], |r| {
        let id = r.get("id")?;
        Ok(UnpostedMeeting {
            id,
            title: r.get("title")?,
            starts_at: datetime_text(r, "starts_at", "meetings", "starts_at", id)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Motions still open or cast but not closed.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingMotion {
    pub id: i64,
    pub meeting_id: i64,
    pub text: String,
    pub cast: bool,
    pub meeting_day: String,
}

pub fn pending_motions(conn: &Connection) -> Result<Vec<PendingMotion>> {
    let mut stmt = conn.prepare(
        "SELECT v.id AS id, v.meeting_id AS meeting_id, v.text AS text, \
           v.status = 'cast' AS cast, substr(m.starts_at, 1, 10) AS meeting_day \
         FROM motions v JOIN meetings m ON m.id = v.meeting_id \
         WHERE v.status IN ('open', 'cast') ORDER BY v.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(PendingMotion {
            id: r.get("id")?,
            meeting_id: r.get("meeting_id")?,
            text: r.get("text")?,
            cast: r.get("cast")?,
            meeting_day: r.get("meeting_day")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The decision and result notices, in the order posted. Whether a notice was superseded is asked of one set of the notices reposted (no index on
/// `repost_of`: asked of each notice, 5,000 notices took 1.1 s of `yishi status`).
pub fn notices(conn: &Connection) -> Result<Vec<NoticeFacts>> {
    let mut stmt = conn.prepare(
        "SELECT n.id AS id, n.kind AS kind, n.meeting_id AS meeting_id, n.issue_id AS issue_id, \
           n.starts_on AS starts_on, n.ends_on AS ends_on, \
           coalesce(CASE WHEN n.kind = 'result' THEN i.title END, m.title, i.title, '') AS title, \
           n.repost_of AS repost_of, n.repost_reason AS repost_reason, \
           (n.id IN (SELECT r.repost_of FROM notices r WHERE r.repost_of IS NOT NULL)) AS superseded \
         FROM notices n LEFT JOIN meetings m ON m.id = n.meeting_id \
           LEFT JOIN issues i ON i.id = n.issue_id \
         WHERE n.kind IN ('decision', 'result') ORDER BY n.id",
    )?;
    let rows = stmt.query_map([], |r| {
        let id = r.get("id")?;
        Ok(NoticeFacts {
            id,
            kind: decode(r, "kind", "notices", "kind", id)?,
            meeting_id: r.get("meeting_id")?,
            issue_id: r.get("issue_id")?,
            starts_on: r.get("starts_on")?,
            ends_on: r.get("ends_on")?,
            title: r.get("title")?,
            repost_of: r.get("repost_of")?,
            repost_reason: r.get("repost_reason")?,
            superseded: r.get("superseded")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Actions with a due date: only the open ones due on or before `due_until`, or (with
/// `due_until` None) every one, done or not, for the calendar.
pub fn actions(conn: &Connection, due_until: Option<&str>) -> Result<Vec<ActionFacts>> {
    let mut stmt = conn.prepare(
        "SELECT a.id AS id, a.issue_id AS issue_id, i.title AS issue_title, a.text AS text, \
           a.owner AS owner, a.due AS due, a.progress AS progress, a.done_on AS done_on \
         FROM actions a JOIN issues i ON i.id = a.issue_id \
         WHERE a.due IS NOT NULL AND a.withdrawn_reason IS NULL AND (?1 IS NULL OR (a.done_on IS NULL AND a.due <= ?1)) \
         ORDER BY a.due, a.id",
    )?;
    let rows = stmt.query_map([due_until], |r| {
        Ok(ActionFacts {
            id: r.get("id")?,
            issue_id: r.get("issue_id")?,
            issue_title: r.get("issue_title")?,
            text: r.get("text")?,
            owner: r.get("owner")?,
            due: r.get("due")?,
            progress: r.get("progress")?,
            done_on: r.get("done_on")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A completed issue still missing feedback or a result notice.
#[derive(Debug, Clone, PartialEq)]
pub struct CompletedIssue {
    pub id: i64,
    pub title: String,
    /// The day its last action was done.
    pub done_on: Option<String>,
    pub has_feedback: bool,
    pub has_result_notice: bool,
    pub has_resolution: bool,
}

pub fn completed_incomplete(conn: &Connection) -> Result<Vec<CompletedIssue>> {
    let mut stmt = conn.prepare(
        "SELECT id, title, done_on, has_feedback, has_result, has_resolution FROM ( \
           SELECT i.id, i.title, \
             (SELECT max(a.done_on) FROM actions a WHERE a.issue_id = i.id AND a.withdrawn_reason IS NULL) AS done_on, \
             EXISTS (SELECT 1 FROM feedback f WHERE f.issue_id = i.id) AS has_feedback, \
             EXISTS (SELECT 1 FROM notices n WHERE n.issue_id = i.id AND n.kind = 'result') AS has_result, \
             EXISTS (SELECT 1 FROM resolutions r WHERE r.issue_id = i.id AND r.withdrawn_reason IS NULL) AS has_resolution \
           FROM issues i WHERE i.status = 'completed') \
         WHERE NOT has_feedback OR (has_resolution AND NOT has_result) ORDER BY done_on, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(CompletedIssue {
            id: r.get("id")?,
            title: r.get("title")?,
            done_on: r.get("done_on")?,
            has_feedback: r.get("has_feedback")?,
            has_result_notice: r.get("has_result")?,
            has_resolution: r.get("has_resolution")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What the 四议两公开 checklist of one issue is built from (dates as stored).
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistRow {
    pub status: Status,
    pub raised_on: String,
    /// UTC timestamp of the first acceptance.
    pub accepted_at: Option<String>,
    pub consulted_on: Option<String>,
    /// The meeting that decided it, its local start and the outcome.
    pub decided_in: Option<(i64, String, Outcome)>,
    pub decision_notice: Option<(String, Option<String>)>,
    pub last_done_on: Option<String>,
    pub result_notice_on: Option<String>,
    pub feedback: (u64, Option<String>),
}

/// The checklist facts of the issues that `which` selects (a condition on `i`), one row each,
/// in one statement: per-issue lookups through the indexes, without a statement per fact (the
/// report counts the checklist over every decided issue of a district's history).
fn checklist_sql(which: &str) -> String {
    format!(
        "WITH x AS ( \
           SELECT i.id, i.status, i.raised_on, \
             (SELECT a.meeting_id FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id \
              WHERE a.issue_id = i.id AND a.outcome IN ('adopted', 'not-adopted') \
              ORDER BY m.starts_at DESC, m.id DESC LIMIT 1) AS decided_in \
           FROM issues i WHERE {which}) \
         SELECT x.id AS id, x.status AS status, x.raised_on AS raised_on, \
           (SELECT min(h.at) FROM issue_history h WHERE h.issue_id = x.id AND h.to_status = 'accepted') \
             AS accepted_at, \
           (SELECT min(c.held_on) FROM consultations c WHERE c.issue_id = x.id) AS consulted_on, \
           m.id AS meeting_id, m.starts_at AS starts_at, a.outcome AS outcome, a.id AS item_id, \
           (SELECT n.starts_on FROM notices n WHERE n.kind = 'decision' AND n.meeting_id = m.id ORDER BY n.id LIMIT 1) \
             AS notice_starts_on, \
           (SELECT n.ends_on FROM notices n WHERE n.kind = 'decision' AND n.meeting_id = m.id ORDER BY n.id LIMIT 1) \
             AS notice_ends_on, \
           EXISTS (SELECT 1 FROM notices n WHERE n.kind = 'decision' AND n.meeting_id = m.id) AS has_notice, \
           (SELECT max(t.done_on) FROM actions t WHERE t.issue_id = x.id AND t.withdrawn_reason IS NULL) \
             AS last_done_on, \
           (SELECT min(n.starts_on) FROM notices n WHERE n.kind = 'result' AND n.issue_id = x.id) \
             AS result_notice_on, \
           (SELECT count(*) FROM feedback f WHERE f.issue_id = x.id) AS feedback, \
           (SELECT min(f.given_on) FROM feedback f WHERE f.issue_id = x.id) AS first_feedback_on \
         FROM x LEFT JOIN meetings m ON m.id = x.decided_in \
           LEFT JOIN agenda_items a ON a.meeting_id = x.decided_in AND a.issue_id = x.id \
         ORDER BY x.id"
    )
}

fn checklist_row(r: &rusqlite::Row) -> rusqlite::Result<ChecklistRow> {
    let meeting: Option<i64> = r.get("meeting_id")?;
    let decided_in = match meeting {
        Some(id) => Some((
            id,
            r.get("starts_at")?,
            decode(r, "outcome", "agenda_items", "outcome", r.get("item_id")?)?,
        )),
        None => None,
    };
    let has_notice: bool = r.get("has_notice")?;
    Ok(ChecklistRow {
        status: decode(r, "status", "issues", "status", r.get("id")?)?,
        raised_on: r.get("raised_on")?,
        accepted_at: r.get("accepted_at")?,
        consulted_on: r.get("consulted_on")?,
        decided_in,
        decision_notice: if has_notice {
            Some((r.get("notice_starts_on")?, r.get("notice_ends_on")?))
        } else {
            None
        },
        last_done_on: r.get("last_done_on")?,
        result_notice_on: r.get("result_notice_on")?,
        feedback: (
            r.get::<_, i64>("feedback")? as u64,
            r.get("first_feedback_on")?,
        ),
    })
}

pub fn checklist(conn: &Connection, issue_id: i64) -> Result<Option<ChecklistRow>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(&checklist_sql("i.id = ?1"), [issue_id], checklist_row)
        .optional()?)
}

/// The checklist facts of every decided issue (decided, implementing or completed), for the
/// report's count, each handed to `each` as it is read, in issue order.
///
/// A district has a hundred thousand decided issues: per-issue lookups (ten index searches
/// each) took seconds, so this reads each fact table once, grouped by issue in issue order, and
/// merges the streams. [`checklist`] reads the same facts for one issue (`issue show`);
/// tests/status.rs checks both on one council with issues at every step.
pub fn each_decided_checklist(conn: &Connection, mut each: impl FnMut(ChecklistRow)) -> Result<()> {
    let decision_notices = decision_notices(conn)?;
    let mut issues = conn.prepare(
        "SELECT id, status, raised_on FROM issues \
         WHERE status IN ('decided', 'implementing', 'completed') ORDER BY id",
    )?;
    let mut accepted = conn.prepare(
        "SELECT issue_id, min(at) AS value FROM issue_history WHERE to_status = 'accepted' \
         GROUP BY issue_id ORDER BY issue_id",
    )?;
    let mut consulted = conn.prepare(
        "SELECT issue_id, min(held_on) AS value FROM consultations GROUP BY issue_id ORDER BY issue_id",
    )?;
    // Every deciding meeting of an issue, the latest first: the first row of an issue is it.
    let mut decided = conn.prepare(
        "SELECT a.issue_id AS issue_id, m.id AS meeting_id, m.starts_at AS starts_at, \
           a.outcome AS outcome, a.id AS item_id \
         FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id \
         WHERE a.outcome IN ('adopted', 'not-adopted') \
         ORDER BY a.issue_id, m.starts_at DESC, m.id DESC",
    )?;
    let mut done = conn.prepare(
        "SELECT issue_id, max(done_on) AS value FROM actions WHERE withdrawn_reason IS NULL \
         GROUP BY issue_id ORDER BY issue_id",
    )?;
    let mut result_notices = conn.prepare(
        "SELECT issue_id, min(starts_on) AS value FROM notices WHERE kind = 'result' AND issue_id IS NOT NULL \
         GROUP BY issue_id ORDER BY issue_id",
    )?;
    let mut feedback = conn.prepare(
        "SELECT issue_id, count(*) AS given, min(given_on) AS first_on FROM feedback GROUP BY issue_id ORDER BY issue_id",
    )?;
    let mut accepted = ByIssue::new(accepted.query([])?, value)?;
    let mut consulted = ByIssue::new(consulted.query([])?, value)?;
    let mut decided = ByIssue::new(decided.query([])?, |r| {
        Ok((
            r.get::<_, i64>("meeting_id")?,
            r.get::<_, String>("starts_at")?,
            decode::<Outcome>(r, "outcome", "agenda_items", "outcome", r.get("item_id")?)?,
        ))
    })?;
    let mut done = ByIssue::new(done.query([])?, value)?;
    let mut result_notices = ByIssue::new(result_notices.query([])?, value)?;
    let mut feedback = ByIssue::new(feedback.query([])?, |r| {
        Ok((
            r.get::<_, i64>("given")? as u64,
            r.get::<_, Option<String>>("first_on")?,
        ))
    })?;
    let [id_at, status_at, raised_at] =
        super::column_indexes(&issues, ["id", "status", "raised_on"])?;
    let mut rows = issues.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(id_at)?;
        let decided_in = decided.take(id)?;
        each(ChecklistRow {
            status: decode(r, status_at, "issues", "status", id)?,
            raised_on: r.get(raised_at)?,
            accepted_at: accepted.take(id)?.flatten(),
            consulted_on: consulted.take(id)?.flatten(),
            decision_notice: decided_in
                .as_ref()
                .and_then(|(meeting, _, _)| decision_notices.get(meeting).cloned()),
            decided_in,
            last_done_on: done.take(id)?.flatten(),
            result_notice_on: result_notices.take(id)?.flatten(),
            feedback: feedback.take(id)?.unwrap_or((0, None)),
        });
    }
    Ok(())
}

/// Each meeting's decision notice (the oldest, when it was posted again) as its first and
/// last day: a few thousand at most, kept in memory.
fn decision_notices(conn: &Connection) -> Result<HashMap<i64, (String, Option<String>)>> {
    let mut notices = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT meeting_id, starts_on, ends_on FROM notices \
         WHERE kind = 'decision' AND meeting_id IS NOT NULL ORDER BY id DESC",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        // Newest first, so the oldest notice of a meeting is the one kept.
        notices.insert(
            r.get("meeting_id")?,
            (r.get("starts_on")?, r.get("ends_on")?),
        );
    }
    Ok(notices)
}

/// The one fact (column `value`) of a per-issue aggregate.
fn value(r: &rusqlite::Row) -> rusqlite::Result<Option<String>> {
    r.get("value")
}

/// Rows ordered by issue id (the column `issue_id`), read forward as a merge asks for them.
struct ByIssue<'s, T> {
    rows: rusqlite::Rows<'s>,
    value: fn(&rusqlite::Row) -> rusqlite::Result<T>,
    head: Option<(i64, T)>,
}

impl<'s, T> ByIssue<'s, T> {
    fn new(
        rows: rusqlite::Rows<'s>,
        value: fn(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> Result<Self> {
        let mut s = ByIssue {
            rows,
            value,
            head: None,
        };
        s.advance()?;
        Ok(s)
    }

    fn advance(&mut self) -> Result<()> {
        self.head = match self.rows.next()? {
            Some(r) => Some((r.get("issue_id")?, (self.value)(r)?)),
            None => None,
        };
        Ok(())
    }

    /// The first row of `issue`, skipping rows of smaller ids and the issue's further rows.
    /// Issues must be asked for in increasing order.
    fn take(&mut self, issue: i64) -> Result<Option<T>> {
        while self.head.as_ref().is_some_and(|(id, _)| *id < issue) {
            self.advance()?;
        }
        if self.head.as_ref().is_none_or(|(id, _)| *id != issue) {
            return Ok(None);
        }
        let found = self.head.take().map(|(_, v)| v);
        self.advance()?;
        while self.head.as_ref().is_some_and(|(id, _)| *id == issue) {
            self.advance()?;
        }
        Ok(found)
    }
}
