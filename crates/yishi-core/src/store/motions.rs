//! Motions (动议), amendments, votes, recusals, recounts and resolutions.

use super::Writer;
use super::codes::{decode, decode_clock, decode_opt};
use super::issues;
use super::meetings::{self, Meeting, Participant};
use crate::domain::audit::{Action, Entity};
use crate::domain::motion::{
    BallotChange, Choice, MotionKind, MotionResult, RecountEffect, VoteMethod,
};
use crate::domain::rules::{Electorate, MajorityRule, Outcome, Tally};
use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::json;

pub use crate::domain::motion::Motion;
pub use crate::domain::motion::Resolution;
pub use crate::domain::motion::{Ballot, Correction, Recusal};

const COLUMNS: &str = "id, meeting_id, issue_id, amends, text, original_text, rule, secret, status, method, yes, no, abstain, electorate_present, electorate_invited, result, owner, due, kind, voted_at";

fn from_row(r: &Row) -> rusqlite::Result<Motion> {
    let id: i64 = r.get("id")?;
    let yes: Option<u32> = r.get("yes")?;
    let present: Option<u32> = r.get("electorate_present")?;
    let amends: Option<i64> = r.get("amends")?;
    Ok(Motion {
        id,
        meeting_id: r.get("meeting_id")?,
        issue_id: r.get("issue_id")?,
        amends,
        text: r.get("text")?,
        original_text: r.get("original_text")?,
        rule: decode(r, "rule", "motions", "rule", id)?,
        secret: r.get("secret")?,
        status: decode(r, "status", "motions", "status", id)?,
        method: decode_opt(r, "method", "motions", "method", id)?,
        tally: match yes {
            Some(yes) => Some(Tally {
                yes,
                no: r.get("no")?,
                abstain: r.get("abstain")?,
            }),
            None => None,
        },
        electorate: match present {
            Some(present) => Some(Electorate {
                present,
                invited: r.get("electorate_invited")?,
            }),
            None => None,
        },
        result: decode_opt(r, "result", "motions", "result", id)?,
        owner: r.get("owner")?,
        due: r.get("due")?,
        kind: kind(r, id, amends.is_some())?,
        voted_at: decode_clock(r, "voted_at", "motions", "voted_at", id)?,
    })
}

/// A motion's kind: stored for the kinds that came later, told by `amends` for the first two.
fn kind(r: &Row, id: i64, amends: bool) -> rusqlite::Result<MotionKind> {
    let kind: Option<String> = r.get("kind")?;
    MotionKind::from_stored(kind.as_deref(), amends).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            r.as_ref().column_index("kind").unwrap_or_default(),
            rusqlite::types::Type::Text,
            Box::new(super::codes::UnknownValue {
                table: "motions",
                column: "kind",
                row: id,
                value: kind.clone().unwrap_or_default(),
                what: MotionKind::WHAT,
                allowed: MotionKind::STORED.to_vec(),
            }),
        )
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
    get(conn, id)?.ok_or_else(|| Error::data_text(crate::text!("motion.not_found", id = id)))
}

pub fn for_meeting(conn: &Connection, meeting_id: i64) -> Result<Vec<Motion>> {
    super::query_all(
        conn,
        &format!("SELECT {COLUMNS} FROM motions WHERE meeting_id = ?1 ORDER BY id"),
        [meeting_id],
        from_row,
    )
}

pub fn for_issue(conn: &Connection, issue_id: i64) -> Result<Vec<Motion>> {
    super::query_all(
        conn,
        &format!("SELECT {COLUMNS} FROM motions WHERE issue_id = ?1 ORDER BY id"),
        [issue_id],
        from_row,
    )
}

pub struct NewMotion<'a> {
    pub issue_id: i64,
    pub amends: Option<i64>,
    pub text: &'a str,
    pub rule: MajorityRule,
    pub secret: bool,
    pub kind: MotionKind,
    /// The meeting's clock when it is put to the vote (None when recorded after the day).
    pub voted_at: Option<chrono::NaiveTime>,
}

/// A new motion of meeting `m`, which ops found in session (`ops::in_state::open`).
pub fn open(w: &mut Writer, m: &Meeting, n: &NewMotion) -> Result<i64> {
    w.conn().execute(
        "INSERT INTO motions (meeting_id, issue_id, amends, text, rule, secret, status, opened_at, kind, voted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'open', ?7, ?8, ?9)",
        params![m.id, n.issue_id, n.amends, n.text, n.rule.key(), n.secret, w.now(), n.kind.stored(), n.voted_at.map(|t| t.format("%H:%M").to_string())],
    )?;
    let id = w.conn().last_insert_rowid();
    w.record(Entity::Motion,
        Some(id),
        if n.amends.is_some() { Action::Amend } else { Action::Open },
        json!({"meeting": m.id, "issue": n.issue_id, "amends": n.amends, "text": n.text, "rule": n.rule.key(), "secret": n.secret, "kind": n.kind.key(), "voted_at": n.voted_at.map(|t| t.format("%H:%M").to_string())}),
        &[("motions", id)],
    )?;
    Ok(id)
}

pub fn recusals(conn: &Connection, motion_id: i64) -> Result<Vec<Recusal>> {
    super::query_all(
        conn,
        "SELECT r.participant_id, p.name, r.reason FROM recusals r JOIN participants p ON p.id = r.participant_id \
         WHERE r.motion_id = ?1 ORDER BY r.id",
        [motion_id],
        |r| {
            Ok(Recusal {
                participant_id: r.get("participant_id")?,
                name: r.get("name")?,
                reason: r.get("reason")?,
            })
        },
    )
}

/// Record `p`'s recusal from `motion` (allowed first by `domain::guards::recuse`); false
/// when it was already recorded.
pub fn recuse(w: &mut Writer, motion: &Motion, p: &Participant, reason: &str) -> Result<bool> {
    let n = w.conn().execute(
        "INSERT OR IGNORE INTO recusals (motion_id, participant_id, reason) VALUES (?1, ?2, ?3)",
        params![motion.id, p.id, reason],
    )?;
    if n == 0 {
        return Ok(false);
    }
    let id = w.conn().last_insert_rowid();
    w.record(
        Entity::Motion,
        Some(motion.id),
        Action::Recuse,
        json!({"name": p.name, "reason": reason}),
        &[("recusals", id)],
    )?;
    Ok(true)
}

pub fn ballots(conn: &Connection, motion_id: i64) -> Result<Vec<Ballot>> {
    super::query_all(
        conn,
        "SELECT p.name, p.seat, b.choice, \
           CASE WHEN p.attendance = 'proxy' THEN p.proxy_holder END AS by_proxy, b.id FROM ballots b \
         JOIN participants p ON p.id = b.participant_id WHERE b.motion_id = ?1 ORDER BY b.id",
        [motion_id],
        |r| {
            Ok(Ballot {
                name: r.get("name")?,
                seat: r.get("seat")?,
                choice: decode(r, "choice", "ballots", "choice", r.get("id")?)?,
                by_proxy: r.get("by_proxy")?,
            })
        },
    )
}

/// The roll-call recorded so far: (participant id, choice).
pub fn recorded_ballots(conn: &Connection, motion_id: i64) -> Result<Vec<(i64, Choice)>> {
    super::query_all(
        conn,
        "SELECT participant_id, choice, id FROM ballots WHERE motion_id = ?1 ORDER BY id",
        [motion_id],
        |r| {
            Ok((
                r.get("participant_id")?,
                decode(r, "choice", "ballots", "choice", r.get("id")?)?,
            ))
        },
    )
}

/// Who could vote on the motion when its votes were recorded (participant ids).
pub fn electorate_snapshot(conn: &Connection, motion_id: i64) -> Result<Vec<i64>> {
    super::query_all(
        conn,
        "SELECT participant_id FROM motion_electorate WHERE motion_id = ?1 ORDER BY participant_id",
        [motion_id],
        |r| r.get(0),
    )
}

/// The labels of the motions of a meeting that this participant voted on or was counted in.
pub fn votes_taken_with(
    conn: &Connection,
    meeting_id: i64,
    participant_id: i64,
) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT v.id FROM motions v WHERE v.meeting_id = ?1 AND ( \
           EXISTS (SELECT 1 FROM ballots b WHERE b.motion_id = v.id AND b.participant_id = ?2) \
           OR EXISTS (SELECT 1 FROM motion_electorate e WHERE e.motion_id = v.id AND e.participant_id = ?2)) ORDER BY v.id",
    )?;
    let rows = stmt.query_map(params![meeting_id, participant_id], |r| r.get::<_, i64>(0))?;
    Ok(rows
        .map(|r| r.map(|id| format!("V{id}")))
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The named votes of this meeting cast by the participants in `who`, on motions put to the
/// vote at a recorded time: (motion label, time, the voter's participant id), in motion order.
pub fn timed_ballots(
    conn: &Connection,
    meeting_id: i64,
    who: &[i64],
) -> Result<Vec<(String, chrono::NaiveTime, i64)>> {
    let mut out = Vec::new();
    for v in for_meeting(conn, meeting_id)? {
        let Some(t) = v.voted_at else { continue };
        for (participant, _) in recorded_ballots(conn, v.id)? {
            if who.contains(&participant) {
                out.push((v.label(), t, participant));
            }
        }
    }
    Ok(out)
}

/// What one `vote cast` call records.
pub struct CastVotes<'a> {
    pub tally: Tally,
    /// Eligible voters present when the votes were recorded: the base of the result.
    pub electorate: Electorate,
    pub electorate_ids: &'a [i64],
    pub method: VoteMethod,
    /// Roll-call changes: new votes and (with --change) changed ones.
    pub changes: &'a [BallotChange],
    /// A count that replaces an earlier count (--change).
    pub replaced: Option<Tally>,
}

/// Record votes, in one go or in parts: roll-call ballots accumulate until `vote close`.
pub fn cast(w: &mut Writer, motion: &Motion, c: &CastVotes) -> Result<()> {
    let mut rows = vec![("motions", motion.id)];
    for change in c.changes {
        match change.from {
            None => {
                w.conn().execute(
                    "INSERT INTO ballots (motion_id, participant_id, choice) VALUES (?1, ?2, ?3)",
                    params![motion.id, change.voter, change.to],
                )?;
                rows.push(("ballots", w.conn().last_insert_rowid()));
            }
            Some(_) => {
                let id: i64 = w.conn().query_row(
                    "SELECT id FROM ballots WHERE motion_id = ?1 AND participant_id = ?2",
                    params![motion.id, change.voter],
                    |r| r.get(0),
                )?;
                w.conn().execute(
                    "UPDATE ballots SET choice = ?2 WHERE id = ?1",
                    params![id, change.to],
                )?;
                rows.push(("ballots", id));
            }
        }
    }
    // The electorate snapshot: replaced at each call, so that its base is who could vote when
    // the votes were recorded.
    let old: Vec<i64> = {
        let mut stmt = w
            .conn()
            .prepare("SELECT id FROM motion_electorate WHERE motion_id = ?1")?;
        let ids = stmt.query_map([motion.id], |r| r.get(0))?;
        ids.collect::<rusqlite::Result<Vec<_>>>()?
    };
    w.conn().execute(
        "DELETE FROM motion_electorate WHERE motion_id = ?1",
        [motion.id],
    )?;
    for id in old {
        rows.push(("motion_electorate", id));
    }
    for pid in c.electorate_ids {
        w.conn().execute(
            "INSERT INTO motion_electorate (motion_id, participant_id) VALUES (?1, ?2)",
            params![motion.id, pid],
        )?;
        rows.push(("motion_electorate", w.conn().last_insert_rowid()));
    }
    let (t, e) = (c.tally, c.electorate);
    w.conn().execute(
        "UPDATE motions SET status = 'cast', method = ?2, yes = ?3, no = ?4, abstain = ?5, electorate_present = ?6, electorate_invited = ?7 WHERE id = ?1",
        params![motion.id, c.method, t.yes, t.no, t.abstain, e.present, e.invited],
    )?;
    let changes: Vec<serde_json::Value> = c
        .changes
        .iter()
        .map(|ch| json!({"name": ch.name, "from": ch.from, "to": ch.to}))
        .collect();
    w.record(Entity::Motion,
        Some(motion.id),
        if c.changes.iter().any(|ch| ch.from.is_some()) || c.replaced.is_some() {
            Action::Change
        } else {
            Action::Cast
        },
        json!({"method": c.method, "tally": t, "electorate": e, "votes": changes, "replaced": c.replaced}),
        &rows,
    )?;
    Ok(())
}

/// Close a motion with its result. An adopted amendment replaces its motion's text; an
/// adopted main or supplementary motion becomes a resolution with its owner and due date. The
/// agenda item stays open until the secretary decides it (`council decide`).
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
            Entity::Motion,
            Some(motion.id),
            Action::Close,
            json!({"result": result, "amends": parent_id}),
            &rows,
        )?;
        return Ok(());
    }
    if result == MotionResult::Adopted {
        let text = current_text(w.conn(), motion.id)?;
        rows.extend(add_resolution(w, m, motion, &text, owner, due)?);
    }
    w.record(
        Entity::Motion,
        Some(motion.id),
        Action::Close,
        json!({"result": result, "owner": owner, "due": due, "issue": motion.issue_id}),
        &rows,
    )?;
    Ok(())
}

/// A resolution and its first action: carrying it out, by its owner, by its due date.
fn add_resolution(
    w: &Writer,
    m: &Meeting,
    motion: &Motion,
    text: &str,
    owner: Option<&str>,
    due: Option<&str>,
) -> Result<Vec<(&'static str, i64)>> {
    w.conn().execute(
        "INSERT INTO resolutions (issue_id, meeting_id, motion_id, text, owner, due, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![motion.issue_id, m.id, motion.id, text, owner, due, w.now()],
    )?;
    let resolution = w.conn().last_insert_rowid();
    let action = super::followup::create_action(w, resolution, motion.issue_id, text, owner, due)?;
    Ok(vec![("resolutions", resolution), ("actions", action)])
}

fn current_text(conn: &Connection, motion_id: i64) -> Result<String> {
    Ok(
        conn.query_row("SELECT text FROM motions WHERE id = ?1", [motion_id], |r| {
            r.get("text")
        })?,
    )
}

pub fn corrections(conn: &Connection, motion_id: i64) -> Result<Vec<Correction>> {
    super::query_all(
        conn,
        "SELECT old_yes, old_no, old_abstain, new_yes, new_no, new_abstain, old_result, new_result, reason, at, id FROM corrections WHERE motion_id = ?1 ORDER BY id",
        [motion_id],
        |r| {
            Ok(Correction {
                old: Tally {
                    yes: r.get("old_yes")?,
                    no: r.get("old_no")?,
                    abstain: r.get("old_abstain")?,
                },
                new: Tally {
                    yes: r.get("new_yes")?,
                    no: r.get("new_no")?,
                    abstain: r.get("new_abstain")?,
                },
                old_result: decode(r, "old_result", "corrections", "old_result", r.get("id")?)?,
                new_result: decode(r, "new_result", "corrections", "new_result", r.get("id")?)?,
                reason: r.get("reason")?,
                at: r.get("at")?,
            })
        },
    )
}

/// What a recount changes beyond the motion's figures (`effect`): its resolution adopted, or
/// withdrawn with its actions. Returns the rows touched.
fn recount_effect(
    w: &mut Writer,
    m: &Meeting,
    motion: &Motion,
    effect: &RecountEffect,
    reason: &str,
) -> Result<Vec<(&'static str, i64)>> {
    let mut rows = Vec::new();
    match effect {
        RecountEffect::None => {}
        RecountEffect::Adopt { owner, due } => {
            w.conn().execute(
                "UPDATE motions SET owner = ?2, due = ?3 WHERE id = ?1",
                params![motion.id, owner, due],
            )?;
            let text = current_text(w.conn(), motion.id)?;
            rows.extend(add_resolution(w, m, motion, &text, Some(owner), Some(due))?);
        }
        RecountEffect::Withdraw => {
            let why = format!("{} recounted: {reason}", motion.label());
            if let Some(id) = resolution_of_motion(w.conn(), motion.id)? {
                w.conn().execute(
                    "UPDATE resolutions SET withdrawn_reason = ?2 WHERE id = ?1",
                    params![id, why],
                )?;
                rows.push(("resolutions", id));
                for action in super::followup::withdraw_actions_of(w, id, &why)? {
                    rows.push(("actions", action));
                }
            }
        }
    }
    Ok(rows)
}

/// A recount on the motion's issue: its outcome follows when the item was already decided
/// (`item_outcome`), and its history shows the recount. Returns the rows touched.
fn recount_on_issue(
    w: &mut Writer,
    m: &Meeting,
    motion: &Motion,
    item_outcome: Option<Outcome>,
    recounted: &crate::domain::history::HistoryEvent,
    reason: &str,
) -> Result<Vec<(&'static str, i64)>> {
    let mut rows = Vec::new();
    let issue = issues::require(w.conn(), motion.issue_id)?;
    if let Some(outcome) = item_outcome
        && issue.outcome != Some(outcome)
    {
        issues::set_outcome(w, &issue, outcome)?;
        rows.push((
            "agenda_items",
            meetings::set_item_outcome(w, m.id, issue.id, outcome.into())?,
        ));
    }
    rows.push((
        "issue_history",
        issues::add_event(w, issue.id, issue.status, recounted, Some(reason))?,
    ));
    Ok(rows)
}

/// A recount of a closed vote: the old figures and the reason stay on record, in the motion
/// and in its issue's history. If the result changes, the resolution follows (`effect`), and
/// so does the item's outcome when the item was already decided (`item_outcome`).
#[allow(clippy::too_many_arguments)]
pub fn correct(
    w: &mut Writer,
    m: &Meeting,
    motion: &Motion,
    new: Tally,
    new_result: MotionResult,
    reason: &str,
    effect: &RecountEffect,
    item_outcome: Option<Outcome>,
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
    rows.extend(recount_effect(w, m, motion, effect, reason)?);
    let recounted = crate::domain::history::HistoryEvent::Recounted {
        motion: motion.id,
        old: old.to_string(),
        new: new.to_string(),
        old_result: motion.result,
        new_result,
    };
    rows.extend(recount_on_issue(
        w,
        m,
        motion,
        item_outcome,
        &recounted,
        reason,
    )?);
    w.record(
        Entity::Motion,
        Some(motion.id),
        Action::Correct,
        json!({"old": old, "new": new, "old_result": old_result, "new_result": new_result, "reason": reason}),
        &rows,
    )?;
    Ok(())
}

fn resolution_of_motion(conn: &Connection, motion_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM resolutions WHERE motion_id = ?1 AND withdrawn_reason IS NULL",
            [motion_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Resolutions in force (not withdrawn by a recount), of one meeting or all.
pub fn resolutions(conn: &Connection, meeting_id: Option<i64>) -> Result<Vec<Resolution>> {
    match meeting_id {
        Some(m) => resolutions_where(conn, "meeting_id = ?1", m),
        None => resolutions_where(conn, "?1 = ?1", 0),
    }
}

/// The resolutions in force on one issue (by index: a district has tens of thousands).
pub fn resolutions_of_issue(conn: &Connection, issue_id: i64) -> Result<Vec<Resolution>> {
    resolutions_where(conn, "issue_id = ?1", issue_id)
}

fn resolutions_where(conn: &Connection, condition: &str, value: i64) -> Result<Vec<Resolution>> {
    super::query_all(
        conn,
        &format!(
            "SELECT {RESOLUTION_COLUMNS} FROM resolutions r \
         WHERE {condition} AND withdrawn_reason IS NULL ORDER BY id"
        ),
        [value],
        resolution_from_row,
    )
}

/// A resolution's owner and due date are those of the action that carries it out (its first
/// one), so that `action edit` reaches the minutes, notices, report and ledger alike; the
/// resolution's own columns hold what was set when the vote closed.
const RESOLUTION_COLUMNS: &str = "id, issue_id, meeting_id, motion_id, text, \
    coalesce((SELECT a.owner FROM actions a WHERE a.resolution_id = r.id ORDER BY a.id LIMIT 1), r.owner) \
      AS owner, \
    coalesce((SELECT a.due FROM actions a WHERE a.resolution_id = r.id ORDER BY a.id LIMIT 1), r.due) \
      AS due, \
    withdrawn_reason";

/// A `resolutions` row, selected as [`RESOLUTION_COLUMNS`].
fn resolution_from_row(r: &rusqlite::Row) -> rusqlite::Result<Resolution> {
    Ok(Resolution {
        id: r.get("id")?,
        issue_id: r.get("issue_id")?,
        meeting_id: r.get("meeting_id")?,
        motion_id: r.get("motion_id")?,
        text: r.get("text")?,
        owner: r.get("owner")?,
        due: r.get("due")?,
        withdrawn_reason: r.get("withdrawn_reason")?,
    })
}

/// One resolution by id (R3 or 3), withdrawn or not.
pub fn require_resolution(conn: &Connection, id: i64) -> Result<Resolution> {
    conn.query_row(
        &format!("SELECT {RESOLUTION_COLUMNS} FROM resolutions r WHERE id = ?1"),
        [id],
        resolution_from_row,
    )
    .optional()?
    .ok_or_else(|| Error::data_text(crate::text!("resolution.not_found", id = id)))
}
