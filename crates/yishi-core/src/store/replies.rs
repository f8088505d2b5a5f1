//! Replies (答复) to the residents who raised an issue: the rows, and the facts `status` and
//! `report` count from them. The steps an issue reached are read from `issue_history` (the
//! first time it moved to accepted, rejected, decided or completed); see `domain::reply`.

use super::Writer;
use super::codes::decode;
use crate::domain::audit::{Action, Entity};
pub use crate::domain::ledger::LedgerReply;
use crate::domain::reply::{Reply, ReplyStep, Via};
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

/// An issue that has residents to tell: its own submitter, or submitters of merged duplicates.
/// (A merged issue's residents moved to the issue it was merged into.)
const HAS_RESIDENTS: &str = "i.status <> 'merged' AND ((i.submitted_by IS NOT NULL AND trim(i.submitted_by) <> '') \
     OR EXISTS (SELECT 1 FROM issue_submitters x WHERE x.issue_id = i.id))";

/// Each step each issue reached, at its first time (`s.issue_id, s.step, s.first_id, s.at`).
const STEPS: &str = "SELECT h.issue_id, h.to_status AS step, min(h.id) AS first_id, min(h.at) AS at \
     FROM issue_history h \
     WHERE h.to_status IN ('accepted', 'rejected', 'decided', 'completed') AND h.from_status <> h.to_status \
     GROUP BY h.issue_id, h.to_status";

/// How many residents an issue's reply reaches (of issue `i`): its submitter and those of
/// merged issues.
const RESIDENTS: &str = "(CASE WHEN i.submitted_by IS NOT NULL AND trim(i.submitted_by) <> '' THEN 1 ELSE 0 END) \
     + (SELECT count(*) FROM issue_submitters x WHERE x.issue_id = i.id)";

/// How many residents an issue's reply reaches: its submitter and those of merged issues.
pub fn residents(conn: &Connection, issue_id: i64) -> Result<i64> {
    Ok(conn.query_row(
        &format!("SELECT {RESIDENTS} FROM issues i WHERE i.id = ?1"),
        [issue_id],
        |r| r.get(0),
    )?)
}

/// The reply already recorded for this issue at this step.
pub fn at_step(conn: &Connection, issue_id: i64, step: ReplyStep) -> Result<Option<Reply>> {
    let mut stmt = conn.prepare(&select("WHERE issue_id = ?1 AND step = ?2"))?;
    Ok(stmt
        .query_row(params![issue_id, step.key()], row)
        .optional()?)
}

/// The replies of one issue, in the order given.
pub fn for_issue(conn: &Connection, issue_id: i64) -> Result<Vec<Reply>> {
    super::query_all(
        conn,
        &select("WHERE issue_id = ?1 ORDER BY replied_on, id"),
        [issue_id],
        row,
    )
}

fn select(tail: &str) -> String {
    format!("SELECT id, issue_id, step, via, replied_on, text, residents FROM replies {tail}")
}

fn row(r: &rusqlite::Row) -> rusqlite::Result<Reply> {
    let id: i64 = r.get("id")?;
    let on: String = r.get("replied_on")?;
    let replied_on = crate::domain::date::parse_date(&on).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            r.as_ref().column_index("replied_on").unwrap_or_default(),
            rusqlite::types::Type::Text,
            Box::new(super::codes::UnknownValue {
                table: "replies",
                column: "replied_on",
                row: id,
                value: on.clone(),
                what: "date",
                allowed: vec!["YYYY-MM-DD"],
            }),
        )
    })?;
    Ok(Reply {
        id,
        issue: r.get("issue_id")?,
        step: decode(r, "step", "replies", "step", id)?,
        via: decode(r, "via", "replies", "via", id)?,
        replied_on,
        text: r.get("text")?,
        residents: r.get("residents")?,
    })
}

pub struct NewReply<'a> {
    pub issue: i64,
    pub step: ReplyStep,
    pub via: Via,
    pub on: NaiveDate,
    pub text: Option<&'a str>,
    pub residents: i64,
}

/// Record a reply, logged on the issue.
pub fn insert(w: &mut Writer, r: &NewReply) -> Result<i64> {
    w.conn().execute(
        "INSERT INTO replies (issue_id, step, via, replied_on, text, residents, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            r.issue,
            r.step.key(),
            r.via.key(),
            r.on.to_string(),
            r.text,
            r.residents,
            w.now()
        ],
    )?;
    let id = w.conn().last_insert_rowid();
    w.record(Entity::Issue,
        Some(r.issue),
        Action::Reply,
        json!({"step": r.step.key(), "via": r.via.key(), "on": r.on.to_string(), "text": r.text, "residents": r.residents}),
        &[("replies", id)],
    )?;
    Ok(id)
}

/// An issue whose residents have not been told at its current step.
#[derive(Debug, Clone)]
pub struct Unanswered {
    pub id: i64,
    pub title: String,
    pub step: ReplyStep,
    /// When the step was reached (UTC, RFC 3339, from the history).
    pub at: String,
    pub residents: i64,
}

/// Issues with residents to tell and no reply at the step they reached last.
pub fn unanswered(conn: &Connection) -> Result<Vec<Unanswered>> {
    // SQLite takes the bare columns of a max() aggregate from the row holding the maximum:
    // the step reached last.
    let sql = format!(
        "WITH s AS ({STEPS}), \
         cur AS (SELECT issue_id, step, at, max(first_id) AS first_id FROM s GROUP BY issue_id) \
         SELECT i.id AS id, i.title AS title, cur.step AS step, cur.first_id AS history_id, \
           cur.at AS at, {RESIDENTS} AS residents \
         FROM cur JOIN issues i ON i.id = cur.issue_id \
         WHERE {HAS_RESIDENTS} \
           AND NOT EXISTS (SELECT 1 FROM replies r WHERE r.issue_id = i.id AND r.step = cur.step) \
         ORDER BY cur.at, i.id"
    );
    super::query_all(conn, &sql, [], |r| {
        Ok(Unanswered {
            id: r.get("id")?,
            title: r.get("title")?,
            step: decode(
                r,
                "step",
                "issue_history",
                "to_status",
                r.get("history_id")?,
            )?,
            at: r.get("at")?,
            residents: r.get("residents")?,
        })
    })
}

/// Per step: issues (raised in the period, with residents to tell) that reached it, and the
/// (step reached, replied on) pairs of those that got a reply there.
pub struct StepFacts {
    pub reached: Vec<(ReplyStep, u64)>,
    pub replied: Vec<(ReplyStep, String, String)>,
}

pub fn step_facts(
    conn: &Connection,
    from: &Option<String>,
    to: &Option<String>,
) -> Result<StepFacts> {
    let period = "(?1 IS NULL OR i.raised_on >= ?1) AND (?2 IS NULL OR i.raised_on <= ?2)";
    let mut reached = Vec::new();
    let mut stmt = conn.prepare(&format!(
        "WITH s AS ({STEPS}) SELECT s.step AS step, min(s.first_id) AS history_id, count(*) AS issues \
         FROM s JOIN issues i ON i.id = s.issue_id \
         WHERE {HAS_RESIDENTS} AND {period} GROUP BY s.step"
    ))?;
    let mut rows = stmt.query(params![from, to])?;
    while let Some(r) = rows.next()? {
        reached.push((
            decode(
                r,
                "step",
                "issue_history",
                "to_status",
                r.get("history_id")?,
            )?,
            r.get::<_, i64>("issues")? as u64,
        ));
    }
    let mut stmt = conn.prepare(&format!(
        "WITH s AS ({STEPS}) SELECT r.id AS id, r.step AS step, s.at AS at, r.replied_on AS replied_on \
         FROM replies r \
         JOIN s ON s.issue_id = r.issue_id AND s.step = r.step JOIN issues i ON i.id = r.issue_id \
         WHERE {HAS_RESIDENTS} AND {period}"
    ))?;
    let mut rows = stmt.query(params![from, to])?;
    let mut replied = Vec::new();
    while let Some(r) = rows.next()? {
        replied.push((
            decode(r, "step", "replies", "step", r.get("id")?)?,
            r.get("at")?,
            r.get("replied_on")?,
        ));
    }
    Ok(StepFacts { reached, replied })
}

/// Every step reached by issues raised between `from` and `to` (YYYY-MM-DD, inclusive) that
/// have residents to tell, with the reply given there if any: by issue, then in the order
/// the steps were reached.
pub fn ledger_rows(conn: &Connection, from: &str, to: &str) -> Result<Vec<LedgerReply>> {
    let sql = format!(
        "WITH s AS ({STEPS}) \
         SELECT i.id AS id, i.title AS title, i.submitted_by AS submitted_by, \
           s.step AS step, s.first_id AS history_id, s.at AS at, \
           r.id AS reply_id, r.replied_on AS replied_on, r.via AS via, r.text AS text, \
           {RESIDENTS} AS residents \
         FROM s JOIN issues i ON i.id = s.issue_id \
         LEFT JOIN replies r ON r.issue_id = s.issue_id AND r.step = s.step \
         WHERE {HAS_RESIDENTS} AND i.raised_on BETWEEN ?1 AND ?2 \
         ORDER BY i.id, s.first_id"
    );
    super::query_all(conn, &sql, params![from, to], |r| {
        let id: i64 = r.get("id")?;
        let history: i64 = r.get("history_id")?;
        let bad = |table: &'static str, column: &'static str, row: i64, value: String| {
            rusqlite::Error::FromSqlConversionFailure(
                r.as_ref().column_index(column).unwrap_or_default(),
                rusqlite::types::Type::Text,
                Box::new(super::codes::UnknownValue {
                    table,
                    column,
                    row,
                    value,
                    what: "date",
                    allowed: vec!["YYYY-MM-DD"],
                }),
            )
        };
        let at: String = r.get("at")?;
        let step_on = crate::ops::status::local_day(&at)
            .ok_or_else(|| bad("issue_history", "at", history, at.clone()))?;
        let reply = match r.get::<_, Option<i64>>("reply_id")? {
            None => None,
            Some(reply_id) => {
                let on: String = r.get("replied_on")?;
                let day = crate::domain::date::parse_date(&on)
                    .ok_or_else(|| bad("replies", "replied_on", reply_id, on.clone()))?;
                Some((
                    day,
                    decode(r, "via", "replies", "via", reply_id)?,
                    r.get("text")?,
                ))
            }
        };
        Ok(LedgerReply {
            issue_id: id,
            issue_title: r.get("title")?,
            submitted_by: r.get("submitted_by")?,
            step: decode(r, "step", "issue_history", "to_status", history)?,
            step_on,
            reply,
            residents: r.get("residents")?,
        })
    })
}
