//! The facts `yishi status`, `remind`, `calendar` and the 四议两公开 checklist are built from.
//!
//! Every query here is bounded by an index or by a small table: on a million issues the only
//! large set is the issues waiting to be screened, which is counted and paged through
//! `issues_by_status (status, raised_on)`, never loaded.

use crate::error::Result;
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
    let (total, overdue): (i64, i64) = conn.query_row(
        "SELECT count(*), coalesce(sum(raised_on < ?2), 0) FROM issues \
         WHERE status = 'collected' AND raised_on <= ?1",
        params![raised_until, overdue_before],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut stmt = conn.prepare(
        "SELECT id, title, raised_on FROM issues WHERE status = 'collected' AND raised_on <= ?1 \
         ORDER BY raised_on, id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![raised_until, limit], |r| {
        Ok(WaitingIssue {
            id: r.get(0)?,
            title: r.get(1)?,
            since: r.get(2)?,
        })
    })?;
    Ok((
        total as u64,
        overdue as u64,
        rows.collect::<rusqlite::Result<_>>()?,
    ))
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
        "SELECT i.id, i.title, \
           (SELECT h.at FROM issue_history h WHERE h.issue_id = i.id AND h.to_status = 'accepted' \
            ORDER BY h.id DESC LIMIT 1) \
         FROM issues i WHERE i.status = 'accepted' \
           AND NOT EXISTS (SELECT 1 FROM consultations c WHERE c.issue_id = i.id) \
         ORDER BY i.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(WaitingIssue {
            id: r.get(0)?,
            title: r.get(1)?,
            since: r.get(2)?,
        })
    })?;
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
    pub status: String,
    pub notice_days: u32,
    /// Titles of the agenda items, in order.
    pub agenda: Vec<String>,
    /// Whether any agenda item was decided (adopted or not).
    pub decided: bool,
}

/// Meetings, all or only those not closed yet.
pub fn meetings(conn: &Connection, open_only: bool) -> Result<Vec<MeetingFacts>> {
    let mut stmt = conn.prepare(
        "SELECT id, title, starts_at, ended_at, place, status, rules FROM meetings \
         WHERE (?1 = 0 OR status != 'closed') ORDER BY starts_at, id",
    )?;
    let rows = stmt.query_map([open_only], |r| {
        let rules: String = r.get(6)?;
        Ok((
            MeetingFacts {
                id: r.get(0)?,
                title: r.get(1)?,
                starts_at: r.get(2)?,
                ended_at: r.get(3)?,
                place: r.get(4)?,
                status: r.get(5)?,
                notice_days: 0,
                agenda: Vec::new(),
                decided: false,
            },
            rules,
        ))
    })?;
    let mut agenda = conn.prepare(
        "SELECT i.title, a.outcome FROM agenda_items a JOIN issues i ON i.id = a.issue_id \
         WHERE a.meeting_id = ?1 ORDER BY a.position",
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (mut m, rules) = row?;
        // The notice period in force when the meeting was convened; an unreadable snapshot is
        // a damaged record, reported rather than guessed.
        let rules: crate::config::Rules = serde_json::from_str(&rules).map_err(|e| {
            crate::error::Error::internal(format!(
                "M{}: the stored rules cannot be read ({e}); run `yishi verify`",
                m.id
            ))
        })?;
        m.notice_days = rules.notice_days;
        let items = agenda.query_map([m.id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })?;
        for item in items {
            let (title, outcome) = item?;
            m.decided |= matches!(outcome.as_deref(), Some("adopted" | "not-adopted"));
            m.agenda.push(title);
        }
        out.push(m);
    }
    Ok(out)
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
        "SELECT v.id, v.meeting_id, v.text, v.status = 'cast', substr(m.starts_at, 1, 10) \
         FROM motions v JOIN meetings m ON m.id = v.meeting_id \
         WHERE v.status IN ('open', 'cast') ORDER BY v.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(PendingMotion {
            id: r.get(0)?,
            meeting_id: r.get(1)?,
            text: r.get(2)?,
            cast: r.get(3)?,
            meeting_day: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A posted notice (决议公示 or 实施结果公开).
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeFacts {
    pub id: i64,
    pub kind: String,
    pub meeting_id: Option<i64>,
    pub issue_id: Option<i64>,
    pub starts_on: String,
    pub ends_on: Option<String>,
    /// The meeting's title, or the issue's for a result notice.
    pub title: String,
}

pub fn notices(conn: &Connection) -> Result<Vec<NoticeFacts>> {
    let mut stmt = conn.prepare(
        "SELECT n.id, n.kind, n.meeting_id, n.issue_id, n.starts_on, n.ends_on, \
           coalesce(CASE WHEN n.kind = 'result' THEN i.title END, m.title, i.title, '') \
         FROM notices n LEFT JOIN meetings m ON m.id = n.meeting_id \
           LEFT JOIN issues i ON i.id = n.issue_id ORDER BY n.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(NoticeFacts {
            id: r.get(0)?,
            kind: r.get(1)?,
            meeting_id: r.get(2)?,
            issue_id: r.get(3)?,
            starts_on: r.get(4)?,
            ends_on: r.get(5)?,
            title: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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

/// Actions with a due date: only the open ones due on or before `due_until`, or (with
/// `due_until` None) every one, done or not, for the calendar.
pub fn actions(conn: &Connection, due_until: Option<&str>) -> Result<Vec<ActionFacts>> {
    let mut stmt = conn.prepare(
        "SELECT a.id, a.issue_id, i.title, a.text, a.owner, a.due, a.progress, a.done_on \
         FROM actions a JOIN issues i ON i.id = a.issue_id \
         WHERE a.due IS NOT NULL AND a.withdrawn_reason IS NULL AND (?1 IS NULL OR (a.done_on IS NULL AND a.due <= ?1)) \
         ORDER BY a.due, a.id",
    )?;
    let rows = stmt.query_map([due_until], |r| {
        Ok(ActionFacts {
            id: r.get(0)?,
            issue_id: r.get(1)?,
            issue_title: r.get(2)?,
            text: r.get(3)?,
            owner: r.get(4)?,
            due: r.get(5)?,
            progress: r.get(6)?,
            done_on: r.get(7)?,
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
            id: r.get(0)?,
            title: r.get(1)?,
            done_on: r.get(2)?,
            has_feedback: r.get(3)?,
            has_result_notice: r.get(4)?,
            has_resolution: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What the 四议两公开 checklist of one issue is built from (dates as stored).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChecklistRow {
    pub status: String,
    pub raised_on: String,
    /// UTC timestamp of the first acceptance.
    pub accepted_at: Option<String>,
    pub consulted_on: Option<String>,
    /// The meeting that decided it, its local start and the outcome.
    pub decided_in: Option<(i64, String, String)>,
    pub decision_notice: Option<(String, Option<String>)>,
    pub last_done_on: Option<String>,
    pub result_notice_on: Option<String>,
    pub feedback: (u64, Option<String>),
}

pub fn checklist(conn: &Connection, issue_id: i64) -> Result<Option<ChecklistRow>> {
    use rusqlite::OptionalExtension;
    let Some((status, raised_on)) = conn
        .query_row(
            "SELECT status, raised_on FROM issues WHERE id = ?1",
            [issue_id],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?
    else {
        return Ok(None);
    };
    let one = |sql: &str| -> Result<Option<String>> {
        Ok(conn
            .query_row(sql, [issue_id], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten())
    };
    let decided_in = conn
        .query_row(
            "SELECT m.id, m.starts_at, a.outcome FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id \
             WHERE a.issue_id = ?1 AND a.outcome IN ('adopted', 'not-adopted') \
             ORDER BY m.starts_at DESC, m.id DESC LIMIT 1",
            [issue_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let decision_notice = match &decided_in {
        Some((meeting, _, _)) => conn
            .query_row(
                "SELECT starts_on, ends_on FROM notices WHERE kind = 'decision' AND meeting_id = ?1 \
                 ORDER BY id LIMIT 1",
                [meeting],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?,
        None => None,
    };
    let feedback = conn.query_row(
        "SELECT count(*), min(given_on) FROM feedback WHERE issue_id = ?1",
        [issue_id],
        |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)),
    )?;
    Ok(Some(ChecklistRow {
        status,
        raised_on,
        accepted_at: one(
            "SELECT min(at) FROM issue_history WHERE issue_id = ?1 AND to_status = 'accepted'",
        )?,
        consulted_on: one("SELECT min(held_on) FROM consultations WHERE issue_id = ?1")?,
        decided_in,
        decision_notice,
        last_done_on: one(
            "SELECT max(done_on) FROM actions WHERE issue_id = ?1 AND withdrawn_reason IS NULL",
        )?,
        result_notice_on: one(
            "SELECT min(starts_on) FROM notices WHERE kind = 'result' AND issue_id = ?1",
        )?,
        feedback,
    }))
}

/// Decided issues (decided, implementing or completed), for the report's checklist count.
pub fn decided_issue_ids(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare(
        "SELECT id FROM issues WHERE status IN ('decided', 'implementing', 'completed') ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
