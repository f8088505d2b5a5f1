//! The yearly ledger (台账): the year's issues, meetings, resolutions, actions and feedback as
//! flat rows, for `yishi ledger`. One read; the view decides labels and masking.

use super::codes::decode;
use crate::domain::issue::Status;
use crate::domain::meeting::MeetingStatus;
use crate::error::Result;
use rusqlite::Connection;

pub struct IssueRow {
    pub id: i64,
    pub title: String,
    pub submitted_by: Option<String>,
    pub channel: String,
    pub category: Option<String>,
    pub raised_on: String,
    pub status: Status,
}

pub struct MeetingRow {
    pub number: i64,
    pub title: String,
    pub starts_at: String,
    pub place: String,
    pub chair: Option<String>,
    pub recorder: Option<String>,
    pub status: MeetingStatus,
    /// Invited members with a vote or a seat (observers not counted).
    pub invited: i64,
    pub present: i64,
    pub items: i64,
}

pub struct ResolutionRow {
    pub id: i64,
    pub issue_id: i64,
    pub issue_title: String,
    pub meeting_number: i64,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<String>,
}

pub struct ActionRow {
    pub id: i64,
    pub issue_id: i64,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub progress: i64,
    pub done_on: Option<String>,
}

pub struct FeedbackRow {
    pub issue_id: i64,
    pub issue_title: String,
    pub resident: Option<String>,
    pub satisfaction: Option<i64>,
    pub aware: Option<bool>,
    pub note: Option<String>,
    pub given_on: String,
}

pub struct Ledger {
    pub issues: Vec<IssueRow>,
    pub meetings: Vec<MeetingRow>,
    pub resolutions: Vec<ResolutionRow>,
    pub actions: Vec<ActionRow>,
    pub feedback: Vec<FeedbackRow>,
}

/// Everything of `year`: issues raised, meetings held, their resolutions and actions, and
/// feedback given in that year.
pub fn load(conn: &Connection, year: i32) -> Result<Ledger> {
    let (from, to) = (format!("{year}-01-01"), format!("{year}-12-31 99"));
    let issues = super::query_all(
        conn,
        "SELECT id, title, submitted_by, channel, category, raised_on, status FROM issues \
         WHERE raised_on BETWEEN ?1 AND ?2 ORDER BY id",
        [&from, &to],
        |r| {
            Ok(IssueRow {
                id: r.get(0)?,
                title: r.get(1)?,
                submitted_by: r.get(2)?,
                channel: r.get(3)?,
                category: r.get(4)?,
                raised_on: r.get(5)?,
                status: decode(r, 6, "issues", "status", r.get(0)?)?,
            })
        },
    )?;
    let meetings = super::query_all(
        conn,
        "SELECT m.number, m.title, m.starts_at, m.place, m.chair, m.recorder, m.status, \
           (SELECT COUNT(*) FROM participants p WHERE p.meeting_id = m.id AND p.role != 'observer'), \
           (SELECT COUNT(*) FROM participants p WHERE p.meeting_id = m.id AND p.role != 'observer' \
              AND p.attendance IN ('present', 'proxy')), \
           (SELECT COUNT(*) FROM agenda_items a WHERE a.meeting_id = m.id), m.id \
         FROM meetings m WHERE m.starts_at BETWEEN ?1 AND ?2 ORDER BY m.starts_at, m.id",
        [&from, &to],
        |r| {
            Ok(MeetingRow {
                number: r.get(0)?,
                title: r.get(1)?,
                starts_at: r.get(2)?,
                place: r.get(3)?,
                chair: r.get(4)?,
                recorder: r.get(5)?,
                status: decode(r, 6, "meetings", "status", r.get(10)?)?,
                invited: r.get(7)?,
                present: r.get(8)?,
                items: r.get(9)?,
            })
        },
    )?;
    let resolutions = super::query_all(
        conn,
        "SELECT r.id, r.issue_id, i.title, m.number, r.text, r.owner, r.due \
         FROM resolutions r JOIN meetings m ON m.id = r.meeting_id JOIN issues i ON i.id = r.issue_id \
         WHERE m.starts_at BETWEEN ?1 AND ?2 ORDER BY r.id",
        [&from, &to],
        |r| {
            Ok(ResolutionRow {
                id: r.get(0)?,
                issue_id: r.get(1)?,
                issue_title: r.get(2)?,
                meeting_number: r.get(3)?,
                text: r.get(4)?,
                owner: r.get(5)?,
                due: r.get(6)?,
            })
        },
    )?;
    let actions = super::query_all(
        conn,
        "SELECT a.id, a.issue_id, a.text, a.owner, a.due, a.progress, a.done_on \
         FROM actions a JOIN resolutions r ON r.id = a.resolution_id JOIN meetings m ON m.id = r.meeting_id \
         WHERE m.starts_at BETWEEN ?1 AND ?2 ORDER BY a.id",
        [&from, &to],
        |r| {
            Ok(ActionRow {
                id: r.get(0)?,
                issue_id: r.get(1)?,
                text: r.get(2)?,
                owner: r.get(3)?,
                due: r.get(4)?,
                progress: r.get(5)?,
                done_on: r.get(6)?,
            })
        },
    )?;
    let feedback = super::query_all(
        conn,
        "SELECT f.issue_id, i.title, f.resident, f.satisfaction, f.aware, f.note, f.given_on \
         FROM feedback f JOIN issues i ON i.id = f.issue_id \
         WHERE f.given_on BETWEEN ?1 AND ?2 ORDER BY f.given_on, f.id",
        [&from, &to],
        |r| {
            Ok(FeedbackRow {
                issue_id: r.get(0)?,
                issue_title: r.get(1)?,
                resident: r.get(2)?,
                satisfaction: r.get(3)?,
                aware: r.get::<_, Option<i64>>(4)?.map(|a| a != 0),
                note: r.get(5)?,
                given_on: r.get(6)?,
            })
        },
    )?;
    Ok(Ledger {
        issues,
        meetings,
        resolutions,
        actions,
        feedback,
    })
}

/// The first and last day of any record (issue raised, meeting held, feedback given): the
/// period a report covers when none is given.
pub fn data_range(conn: &Connection) -> Result<Option<(String, String)>> {
    let row: (Option<String>, Option<String>) = conn.query_row(
        "SELECT MIN(d), MAX(d) FROM ( \
           SELECT raised_on AS d FROM issues \
           UNION ALL SELECT substr(starts_at, 1, 10) FROM meetings \
           UNION ALL SELECT given_on FROM feedback)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(match row {
        (Some(a), Some(b)) => Some((a, b)),
        _ => None,
    })
}

/// A resolution with how far it has got and what residents thought of the result.
pub struct ResolutionProgress {
    pub issue_id: i64,
    pub issue_title: String,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    /// Mean progress of its actions (0–100); None without actions.
    pub progress: Option<f64>,
    pub actions: i64,
    pub actions_done: i64,
    /// Mean satisfaction score (1–5) of the issue's feedback, and how many scores.
    pub satisfaction: Option<f64>,
    pub scores: i64,
}

/// Resolutions of meetings held between `from` and `to` (inclusive; None: open-ended).
pub fn resolution_progress(
    conn: &Connection,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Vec<ResolutionProgress>> {
    let rows = super::query_all(
        conn,
        "SELECT r.issue_id, i.title, r.text, r.owner, r.due, \
           (SELECT AVG(a.progress) FROM actions a WHERE a.resolution_id = r.id), \
           (SELECT COUNT(*) FROM actions a WHERE a.resolution_id = r.id), \
           (SELECT COUNT(*) FROM actions a WHERE a.resolution_id = r.id AND a.done_on IS NOT NULL), \
           (SELECT AVG(f.satisfaction) FROM feedback f WHERE f.issue_id = r.issue_id AND f.satisfaction IS NOT NULL), \
           (SELECT COUNT(f.satisfaction) FROM feedback f WHERE f.issue_id = r.issue_id) \
         FROM resolutions r JOIN issues i ON i.id = r.issue_id JOIN meetings m ON m.id = r.meeting_id \
         WHERE (?1 IS NULL OR substr(m.starts_at, 1, 10) >= ?1) AND (?2 IS NULL OR substr(m.starts_at, 1, 10) <= ?2) \
         ORDER BY r.id",
        rusqlite::params![from, to],
        |r| {
            Ok(ResolutionProgress {
                issue_id: r.get(0)?,
                issue_title: r.get(1)?,
                text: r.get(2)?,
                owner: r.get(3)?,
                due: r.get(4)?,
                progress: r.get(5)?,
                actions: r.get(6)?,
                actions_done: r.get(7)?,
                satisfaction: r.get(8)?,
                scores: r.get(9)?,
            })
        },
    )?;
    Ok(rows)
}
