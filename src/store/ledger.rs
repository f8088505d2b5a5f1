//! The yearly ledger (台账): the year's issues, meetings, resolutions, actions and feedback as
//! flat rows, for `yishi ledger`. One read; the view decides labels and masking.

use crate::error::Result;
use rusqlite::Connection;

pub struct IssueRow {
    pub id: i64,
    pub title: String,
    pub submitted_by: Option<String>,
    pub channel: String,
    pub category: Option<String>,
    pub raised_on: String,
    pub status: String,
}

pub struct MeetingRow {
    pub number: i64,
    pub title: String,
    pub starts_at: String,
    pub place: String,
    pub chair: Option<String>,
    pub recorder: Option<String>,
    pub status: String,
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
    let mut st = conn.prepare(
        "SELECT id, title, submitted_by, channel, category, raised_on, status FROM issues \
         WHERE raised_on BETWEEN ?1 AND ?2 ORDER BY id",
    )?;
    let issues = st
        .query_map([&from, &to], |r| {
            Ok(IssueRow {
                id: r.get(0)?,
                title: r.get(1)?,
                submitted_by: r.get(2)?,
                channel: r.get(3)?,
                category: r.get(4)?,
                raised_on: r.get(5)?,
                status: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut st = conn.prepare(
        "SELECT m.number, m.title, m.starts_at, m.place, m.chair, m.recorder, m.status, \
           (SELECT COUNT(*) FROM participants p WHERE p.meeting_id = m.id AND p.role != 'observer'), \
           (SELECT COUNT(*) FROM participants p WHERE p.meeting_id = m.id AND p.role != 'observer' \
              AND p.attendance IN ('present', 'proxy')), \
           (SELECT COUNT(*) FROM agenda_items a WHERE a.meeting_id = m.id) \
         FROM meetings m WHERE m.starts_at BETWEEN ?1 AND ?2 ORDER BY m.starts_at, m.id",
    )?;
    let meetings = st
        .query_map([&from, &to], |r| {
            Ok(MeetingRow {
                number: r.get(0)?,
                title: r.get(1)?,
                starts_at: r.get(2)?,
                place: r.get(3)?,
                chair: r.get(4)?,
                recorder: r.get(5)?,
                status: r.get(6)?,
                invited: r.get(7)?,
                present: r.get(8)?,
                items: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut st = conn.prepare(
        "SELECT r.id, r.issue_id, i.title, m.number, r.text, r.owner, r.due \
         FROM resolutions r JOIN meetings m ON m.id = r.meeting_id JOIN issues i ON i.id = r.issue_id \
         WHERE m.starts_at BETWEEN ?1 AND ?2 ORDER BY r.id",
    )?;
    let resolutions = st
        .query_map([&from, &to], |r| {
            Ok(ResolutionRow {
                id: r.get(0)?,
                issue_id: r.get(1)?,
                issue_title: r.get(2)?,
                meeting_number: r.get(3)?,
                text: r.get(4)?,
                owner: r.get(5)?,
                due: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut st = conn.prepare(
        "SELECT a.id, a.issue_id, a.text, a.owner, a.due, a.progress, a.done_on \
         FROM actions a JOIN resolutions r ON r.id = a.resolution_id JOIN meetings m ON m.id = r.meeting_id \
         WHERE m.starts_at BETWEEN ?1 AND ?2 ORDER BY a.id",
    )?;
    let actions = st
        .query_map([&from, &to], |r| {
            Ok(ActionRow {
                id: r.get(0)?,
                issue_id: r.get(1)?,
                text: r.get(2)?,
                owner: r.get(3)?,
                due: r.get(4)?,
                progress: r.get(5)?,
                done_on: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut st = conn.prepare(
        "SELECT f.issue_id, i.title, f.resident, f.satisfaction, f.aware, f.note, f.given_on \
         FROM feedback f JOIN issues i ON i.id = f.issue_id \
         WHERE f.given_on BETWEEN ?1 AND ?2 ORDER BY f.given_on, f.id",
    )?;
    let feedback = st
        .query_map([&from, &to], |r| {
            Ok(FeedbackRow {
                issue_id: r.get(0)?,
                issue_title: r.get(1)?,
                resident: r.get(2)?,
                satisfaction: r.get(3)?,
                aware: r.get::<_, Option<i64>>(4)?.map(|a| a != 0),
                note: r.get(5)?,
                given_on: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Ledger {
        issues,
        meetings,
        resolutions,
        actions,
        feedback,
    })
}
