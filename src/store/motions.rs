//! Motions (动议), amendments, votes, recusals, recounts and resolutions.

use super::Writer;
use super::codes::{decode, decode_opt};
use super::issues::{self, Issue};
use super::meetings::{self, Meeting, Participant};
use crate::domain::motion::{Choice, MotionResult, MotionStatus, VoteMethod};
use crate::domain::rules::{Electorate, MajorityRule, Tally};
use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use serde_json::json;

pub use crate::domain::motion::Motion;

const COLUMNS: &str = "id, meeting_id, issue_id, amends, text, original_text, rule, secret, status, method, yes, no, abstain, electorate_present, electorate_invited, result, owner, due";

fn from_row(r: &Row) -> rusqlite::Result<Motion> {
    let id: i64 = r.get(0)?;
    let yes: Option<u32> = r.get(10)?;
    let present: Option<u32> = r.get(13)?;
    Ok(Motion {
        id,
        meeting_id: r.get(1)?,
        issue_id: r.get(2)?,
        amends: r.get(3)?,
        text: r.get(4)?,
        original_text: r.get(5)?,
        rule: decode(r, 6, "motions", "rule", id)?,
        secret: r.get(7)?,
        status: decode(r, 8, "motions", "status", id)?,
        method: decode_opt(r, 9, "motions", "method", id)?,
        tally: match yes {
            Some(yes) => Some(Tally {
                yes,
                no: r.get(11)?,
                abstain: r.get(12)?,
            }),
            None => None,
        },
        electorate: match present {
            Some(present) => Some(Electorate {
                present,
                invited: r.get(14)?,
            }),
            None => None,
        },
        result: decode_opt(r, 15, "motions", "result", id)?,
        owner: r.get(16)?,
        due: r.get(17)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Motion>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM motions WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?)
}

pub fn require(conn: &Connection, id: i64) -> Result<Motion> {
    get(conn, id)?.ok_or_else(|| {
        Error::data(format!(
            "no motion V{id}: `yishi council show M...` lists a meeting's motions"
        ))
    })
}

pub fn for_meeting(conn: &Connection, meeting_id: i64) -> Result<Vec<Motion>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM motions WHERE meeting_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([meeting_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn for_issue(conn: &Connection, issue_id: i64) -> Result<Vec<Motion>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM motions WHERE issue_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([issue_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub struct NewMotion<'a> {
    pub issue_id: i64,
    pub amends: Option<i64>,
    pub text: &'a str,
    pub rule: MajorityRule,
    pub secret: bool,
}

pub fn open(w: &mut Writer, m: &Meeting, n: &NewMotion) -> Result<i64> {
    m.ensure_open("motions are voted")?;
    w.conn().execute(
        "INSERT INTO motions (meeting_id, issue_id, amends, text, rule, secret, status, opened_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'open', ?7)",
        params![m.id, n.issue_id, n.amends, n.text, n.rule.key(), n.secret, w.now()],
    )?;
    let id = w.conn().last_insert_rowid();
    w.record(
        "motion",
        Some(id),
        if n.amends.is_some() { "amend" } else { "open" },
        json!({"meeting": m.id, "issue": n.issue_id, "amends": n.amends, "text": n.text, "rule": n.rule.key(), "secret": n.secret}),
        &[("motions", id)],
    )?;
    Ok(id)
}

#[derive(Debug, Clone, Serialize)]
pub struct Recusal {
    pub participant_id: i64,
    pub name: String,
    pub reason: String,
}

pub fn recusals(conn: &Connection, motion_id: i64) -> Result<Vec<Recusal>> {
    let mut stmt = conn.prepare(
        "SELECT r.participant_id, p.name, r.reason FROM recusals r JOIN participants p ON p.id = r.participant_id \
         WHERE r.motion_id = ?1 ORDER BY r.id",
    )?;
    let rows = stmt.query_map([motion_id], |r| {
        Ok(Recusal {
            participant_id: r.get(0)?,
            name: r.get(1)?,
            reason: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn recuse(w: &mut Writer, motion: &Motion, p: &Participant, reason: &str) -> Result<()> {
    if motion.status != MotionStatus::Open {
        return Err(Error::refused(format!(
            "{} has already been voted: a recusal must be recorded before the vote",
            motion.label()
        )));
    }
    let n = w.conn().execute(
        "INSERT OR IGNORE INTO recusals (motion_id, participant_id, reason) VALUES (?1, ?2, ?3)",
        params![motion.id, p.id, reason],
    )?;
    if n == 0 {
        return Err(Error::refused(format!(
            "{} has already recused from {}",
            p.name,
            motion.label()
        )));
    }
    let id = w.conn().last_insert_rowid();
    w.record(
        "motion",
        Some(motion.id),
        "recuse",
        json!({"name": p.name, "reason": reason}),
        &[("recusals", id)],
    )?;
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct Ballot {
    pub name: String,
    pub seat: String,
    pub choice: Choice,
    /// The proxy holder who cast this vote, if any.
    pub by_proxy: Option<String>,
}

pub fn ballots(conn: &Connection, motion_id: i64) -> Result<Vec<Ballot>> {
    let mut stmt = conn.prepare(
        "SELECT p.name, p.seat, b.choice, CASE WHEN p.attendance = 'proxy' THEN p.proxy_holder END, b.id FROM ballots b \
         JOIN participants p ON p.id = b.participant_id WHERE b.motion_id = ?1 ORDER BY b.id",
    )?;
    let rows = stmt.query_map([motion_id], |r| {
        Ok(Ballot {
            name: r.get(0)?,
            seat: r.get(1)?,
            choice: decode(r, 2, "ballots", "choice", r.get(4)?)?,
            by_proxy: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Record the votes: roll-call `ballots` (participant id, choice), or counts only.
pub fn cast(
    w: &mut Writer,
    motion: &Motion,
    tally: Tally,
    electorate: Electorate,
    ballots: &[(i64, Choice)],
) -> Result<()> {
    let mut rows = vec![("motions", motion.id)];
    for (pid, choice) in ballots {
        w.conn().execute(
            "INSERT INTO ballots (motion_id, participant_id, choice) VALUES (?1, ?2, ?3)",
            params![motion.id, pid, choice],
        )?;
        rows.push(("ballots", w.conn().last_insert_rowid()));
    }
    let method = if ballots.is_empty() {
        VoteMethod::Count
    } else {
        VoteMethod::RollCall
    };
    w.conn().execute(
        "UPDATE motions SET status = 'cast', method = ?2, yes = ?3, no = ?4, abstain = ?5, electorate_present = ?6, electorate_invited = ?7 WHERE id = ?1",
        params![motion.id, method, tally.yes, tally.no, tally.abstain, electorate.present, electorate.invited],
    )?;
    w.record(
        "motion",
        Some(motion.id),
        "cast",
        json!({"method": method, "tally": tally, "electorate": electorate}),
        &rows,
    )?;
    Ok(())
}

/// Close a motion with its result; a main motion decides its issue, an amendment may change
/// the text of its motion.
pub fn close(
    w: &mut Writer,
    m: &Meeting,
    motion: &Motion,
    result: MotionResult,
    electorate: Electorate,
    owner: Option<&str>,
    due: Option<&str>,
) -> Result<()> {
    w.conn().execute(
        "UPDATE motions SET status = 'closed', result = ?2, electorate_present = ?3, electorate_invited = ?4, owner = ?5, due = ?6, closed_at = ?7 WHERE id = ?1",
        params![motion.id, result, electorate.present, electorate.invited, owner, due, w.now()],
    )?;
    let mut rows = vec![("motions", motion.id)];
    if let Some(parent_id) = motion.amends {
        if result == MotionResult::Adopted {
            let parent = require(w.conn(), parent_id)?;
            w.conn().execute(
                "UPDATE motions SET text = ?2, original_text = coalesce(original_text, ?3) WHERE id = ?1",
                params![parent_id, motion.text, parent.text],
            )?;
            rows.push(("motions", parent_id));
        }
        w.record(
            "motion",
            Some(motion.id),
            "close",
            json!({"result": result, "amends": parent_id}),
            &rows,
        )?;
        return Ok(());
    }
    w.record(
        "motion",
        Some(motion.id),
        "close",
        json!({"result": result, "owner": owner, "due": due}),
        &rows,
    )?;
    let issue = issues::require(w.conn(), motion.issue_id)?;
    apply_result(w, m, motion, &issue, result, owner, due)
}

/// What a main motion's result does to its issue and the agenda.
fn apply_result(
    w: &mut Writer,
    m: &Meeting,
    motion: &Motion,
    issue: &Issue,
    result: MotionResult,
    owner: Option<&str>,
    due: Option<&str>,
) -> Result<()> {
    if result == MotionResult::Deferred {
        issues::set_status(
            w,
            issue,
            crate::domain::issue::Status::Accepted,
            Some(&format!("deferred at {}", m.label())),
            "deferred",
        )?;
    } else {
        issues::decide(
            w,
            issue,
            result.key(),
            &format!("{} {}", motion.label(), result),
        )?;
    }
    let item = meetings::set_item_outcome(w, m.id, issue.id, Some(result.key()))?;
    let mut rows = vec![("agenda_items", item)];
    if result == MotionResult::Adopted {
        let text = current_text(w.conn(), motion.id)?;
        w.conn().execute(
            "INSERT INTO resolutions (issue_id, meeting_id, motion_id, text, owner, due, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![issue.id, m.id, motion.id, text, owner, due, w.now()],
        )?;
        let resolution = w.conn().last_insert_rowid();
        rows.push(("resolutions", resolution));
        let action = super::followup::create_action(w, resolution, issue.id, &text, owner, due)?;
        rows.push(("actions", action));
    }
    w.record(
        "issue",
        Some(issue.id),
        "result",
        json!({"motion": motion.id, "result": result, "owner": owner, "due": due}),
        &rows,
    )?;
    Ok(())
}

fn current_text(conn: &Connection, motion_id: i64) -> Result<String> {
    Ok(
        conn.query_row("SELECT text FROM motions WHERE id = ?1", [motion_id], |r| {
            r.get(0)
        })?,
    )
}

#[derive(Debug, Clone, Serialize)]
pub struct Correction {
    pub old: Tally,
    pub new: Tally,
    pub old_result: String,
    pub new_result: String,
    pub reason: String,
    pub at: String,
}

pub fn corrections(conn: &Connection, motion_id: i64) -> Result<Vec<Correction>> {
    let mut stmt = conn.prepare(
        "SELECT old_yes, old_no, old_abstain, new_yes, new_no, new_abstain, old_result, new_result, reason, at FROM corrections WHERE motion_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([motion_id], |r| {
        Ok(Correction {
            old: Tally {
                yes: r.get(0)?,
                no: r.get(1)?,
                abstain: r.get(2)?,
            },
            new: Tally {
                yes: r.get(3)?,
                no: r.get(4)?,
                abstain: r.get(5)?,
            },
            old_result: r.get(6)?,
            new_result: r.get(7)?,
            reason: r.get(8)?,
            at: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// A recount of a closed vote: the old figures and the reason stay on record. If the result
/// changes, the issue's outcome and resolution follow.
pub fn correct(
    w: &mut Writer,
    m: &Meeting,
    motion: &Motion,
    new: Tally,
    new_result: MotionResult,
    reason: &str,
) -> Result<()> {
    let old = motion.tally.unwrap_or_default();
    let old_result = motion.result.map_or("", |r| r.key());
    w.conn().execute(
        "INSERT INTO corrections (motion_id, old_yes, old_no, old_abstain, new_yes, new_no, new_abstain, old_result, new_result, reason, at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![motion.id, old.yes, old.no, old.abstain, new.yes, new.no, new.abstain, old_result, new_result, reason, w.now()],
    )?;
    let mut rows = vec![
        ("corrections", w.conn().last_insert_rowid()),
        ("motions", motion.id),
    ];
    // A roll-call recount keeps the names recorded; the counts are what changed.
    w.conn().execute(
        "UPDATE motions SET yes = ?2, no = ?3, abstain = ?4, result = ?5, method = 'count' WHERE id = ?1",
        params![motion.id, new.yes, new.no, new.abstain, new_result],
    )?;
    if Some(new_result) != motion.result && motion.amends.is_none() {
        let issue = issues::require(w.conn(), motion.issue_id)?;
        issues::set_outcome(w, &issue, new_result.key())?;
        rows.push((
            "agenda_items",
            meetings::set_item_outcome(w, m.id, issue.id, Some(new_result.key()))?,
        ));
        if new_result == MotionResult::Adopted {
            w.conn().execute(
                "INSERT INTO resolutions (issue_id, meeting_id, motion_id, text, owner, due, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![issue.id, m.id, motion.id, motion.text, motion.owner, motion.due, w.now()],
            )?;
            let resolution = w.conn().last_insert_rowid();
            rows.push(("resolutions", resolution));
            let action = super::followup::create_action(
                w,
                resolution,
                issue.id,
                &motion.text,
                motion.owner.as_deref(),
                motion.due.as_deref(),
            )?;
            rows.push(("actions", action));
        } else if let Some(id) = resolution_of_motion(w.conn(), motion.id)? {
            for action in super::followup::remove_actions_of(w, id)? {
                rows.push(("actions", action));
            }
            w.conn()
                .execute("DELETE FROM resolutions WHERE id = ?1", [id])?;
            rows.push(("resolutions", id));
        }
    }
    w.record(
        "motion",
        Some(motion.id),
        "correct",
        json!({"old": old, "new": new, "old_result": old_result, "new_result": new_result, "reason": reason}),
        &rows,
    )?;
    Ok(())
}

fn resolution_of_motion(conn: &Connection, motion_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM resolutions WHERE motion_id = ?1",
            [motion_id],
            |r| r.get(0),
        )
        .optional()?)
}

#[derive(Debug, Clone, Serialize)]
pub struct Resolution {
    pub id: i64,
    pub issue_id: i64,
    pub meeting_id: i64,
    pub motion_id: i64,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<String>,
}

pub fn resolutions(conn: &Connection, meeting_id: Option<i64>) -> Result<Vec<Resolution>> {
    let mut stmt = conn.prepare(
        "SELECT id, issue_id, meeting_id, motion_id, text, owner, due FROM resolutions WHERE (?1 IS NULL OR meeting_id = ?1) ORDER BY id",
    )?;
    let rows = stmt.query_map([meeting_id], |r| {
        Ok(Resolution {
            id: r.get(0)?,
            issue_id: r.get(1)?,
            meeting_id: r.get(2)?,
            motion_id: r.get(3)?,
            text: r.get(4)?,
            owner: r.get(5)?,
            due: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
