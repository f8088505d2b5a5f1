//! 上报 as stored: one row per raising of an issue to the street, with the street's answer.
//! The issue's status moves through `issues::set_status`, so each step is in its history.

use super::{Writer, issues};
use crate::domain::audit::{Action, Entity};
use crate::domain::escalation::{Escalation, Then};
use crate::domain::history::HistoryEvent;
use crate::domain::issue::{Issue, Status};
use crate::error::Result;
use rusqlite::{Connection, Row, params};
use serde_json::json;

const COLUMNS: &str =
    "id, issue_id, to_level, reason, from_status, escalated_on, meeting_id, answer, answered_on";

fn from_row(r: &Row) -> rusqlite::Result<Escalation> {
    let id = r.get("id")?;
    Ok(Escalation {
        id,
        issue_id: r.get("issue_id")?,
        to: r.get("to_level")?,
        reason: r.get("reason")?,
        from_status: super::codes::decode(r, "from_status", "escalations", "from_status", id)?,
        escalated_on: r.get("escalated_on")?,
        meeting_id: r.get("meeting_id")?,
        answer: r.get("answer")?,
        answered_on: r.get("answered_on")?,
    })
}

/// What a raising records.
pub struct Raise<'a> {
    pub to: &'a str,
    pub reason: &'a str,
    /// YYYY-MM-DD
    pub on: &'a str,
    /// The meeting that decided it, and its label (M2) for the history note.
    pub meeting: Option<(i64, String)>,
}

/// Raise `issue` to the street: the issue becomes escalated (a step of the status machine,
/// checked by the caller in ops), and the raising is kept.
pub fn raise(w: &mut Writer, issue: &Issue, r: &Raise) -> Result<i64> {
    let event = HistoryEvent::Escalated {
        to: r.to.to_string(),
        meeting: r.meeting.as_ref().map(|m| m.0),
    };
    issues::set_step(
        w,
        issue,
        Status::Escalated,
        Some(&event),
        Some(r.reason),
        Action::Escalated,
    )?;
    w.conn().execute(
        "INSERT INTO escalations (issue_id, to_level, reason, from_status, escalated_on, meeting_id, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            issue.id,
            r.to,
            r.reason,
            issue.status.key(),
            r.on,
            r.meeting.as_ref().map(|m| m.0),
            w.now()
        ],
    )?;
    let id = w.conn().last_insert_rowid();
    w.record(Entity::Issue,
        Some(issue.id),
        Action::Escalation,
        json!({"escalation": id, "to": r.to, "on": r.on, "meeting": r.meeting.as_ref().map(|m| m.0)}),
        &[("escalations", id)],
    )?;
    Ok(id)
}

/// The street's answer to the open raising `e` of `issue`: kept with its day; the issue
/// closes or goes back into the council's flow.
pub fn answer(
    w: &mut Writer,
    issue: &Issue,
    e: &Escalation,
    text: &str,
    on: &str,
    then: Then,
) -> Result<Status> {
    let to = then.status(e.from_status);
    w.conn().execute(
        "UPDATE escalations SET answer = ?2, answered_on = ?3 WHERE id = ?1",
        params![e.id, text, on],
    )?;
    w.record(
        Entity::Issue,
        Some(issue.id),
        Action::EscalationAnswered,
        json!({"escalation": e.id, "on": on, "then": then}),
        &[("escalations", e.id)],
    )?;
    let event = HistoryEvent::Answered {
        from: e.to.clone(),
        on: on.to_string(),
    };
    issues::set_step(
        w,
        issue,
        to,
        Some(&event),
        Some(text),
        Action::EscalationAnswered,
    )?;
    Ok(to)
}

/// The raising of `issue_id` still waiting for an answer.
pub fn open_for(conn: &Connection, issue_id: i64) -> Result<Option<Escalation>> {
    Ok(super::query_all(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM escalations WHERE issue_id = ?1 AND answered_on IS NULL ORDER BY id DESC LIMIT 1"
        ),
        [issue_id],
        from_row,
    )?
    .pop())
}

/// Every raising of one issue, oldest first.
pub fn of_issue(conn: &Connection, issue_id: i64) -> Result<Vec<Escalation>> {
    super::query_all(
        conn,
        &format!("SELECT {COLUMNS} FROM escalations WHERE issue_id = ?1 ORDER BY id"),
        [issue_id],
        from_row,
    )
}

/// Raisings made on or before `day`, each with its issue's title, oldest first: those still
/// waiting on `day` and those answered by then alike (`answered_on` after `day` reads as
/// waiting, so that a report of a past day shows that day).
pub fn as_of(conn: &Connection, day: &str) -> Result<Vec<(Escalation, String)>> {
    let cols: String = COLUMNS
        .split(", ")
        .map(|c| format!("e.{c} AS {c}"))
        .collect::<Vec<_>>()
        .join(", ");
    super::query_all(
        conn,
        &format!(
            "SELECT {cols}, i.title AS issue_title FROM escalations e JOIN issues i ON i.id = e.issue_id \
             WHERE e.escalated_on <= ?1 ORDER BY e.escalated_on, e.id"
        ),
        [day],
        |r| {
            let mut e = from_row(r)?;
            if e.answered_on.as_deref().is_some_and(|a| a > day) {
                e.answer = None;
                e.answered_on = None;
            }
            Ok((e, r.get("issue_title")?))
        },
    )
}

/// 上报 counted for a report from `from` to `to` (either open), as on `today`: raisings and
/// answers dated in the period, and raisings waiting on the period's last day (or today,
/// whichever comes first).
pub fn counts(
    conn: &Connection,
    from: Option<&str>,
    to: Option<&str>,
    today: &str,
) -> Result<crate::domain::escalation::Counts> {
    let from = from.unwrap_or("0000-00-00");
    let end = match to {
        Some(t) if t < today => t,
        _ => today,
    };
    let to = to.unwrap_or("9999-99-99");
    let (raised, answered, waiting): (i64, i64, i64) = conn.query_row(
        "SELECT \
           count(*) FILTER (WHERE escalated_on BETWEEN ?1 AND ?2) AS raised, \
           count(*) FILTER (WHERE answered_on BETWEEN ?1 AND ?2) AS answered, \
           count(*) FILTER (WHERE escalated_on <= ?3 AND (answered_on IS NULL OR answered_on > ?3)) \
             AS waiting \
         FROM escalations",
        params![from, to, end],
        |r| Ok((r.get("raised")?, r.get("answered")?, r.get("waiting")?)),
    )?;
    Ok(crate::domain::escalation::Counts {
        raised: raised as u64,
        answered: answered as u64,
        waiting: waiting as u64,
    })
}
