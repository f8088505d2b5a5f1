//! A closed meeting's record holds (issue 27, problem 4). Its rows may change only through
//! events that follow a logged reopening of that meeting, or by forgetting a person (names
//! only). The close event commits to the meeting's content (a hash of its rows, the names
//! that forgetting replaces left out), and the minutes print that event's anchor: so
//! `verify --anchor <minutes code>` fails if any row changed without a reopening, even by an
//! event forged to look like forgetting.

use super::verify::Problem;
use super::{hex, values_hash};
use crate::domain::audit::{Action, Entity};
use crate::error::Result;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, params};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The tables that hold a meeting's record, and which meeting a row belongs to (an SQL
/// expression over the row, `t`).
const CONTENT: &[(&str, &str)] = &[
    ("meetings", "t.id"),
    ("agenda_items", "t.meeting_id"),
    ("participants", "t.meeting_id"),
    ("participant_items", BY_PARTICIPANT),
    ("speeches", "t.meeting_id"),
    ("motions", "t.meeting_id"),
    ("ballots", BY_MOTION),
    ("recusals", BY_MOTION),
    ("motion_electorate", BY_MOTION),
    ("corrections", BY_MOTION),
    ("resolutions", "t.meeting_id"),
    ("reopenings", "t.meeting_id"),
    ("record_edits", "t.meeting_id"),
];

const BY_PARTICIPANT: &str =
    "(SELECT p.meeting_id FROM participants p WHERE p.id = t.participant_id)";
const BY_MOTION: &str = "(SELECT m.meeting_id FROM motions m WHERE m.id = t.motion_id)";

/// The key of the close event's description that holds [`content_hash`].
pub const CONTENT_KEY: &str = "content";

/// SHA-256 of a meeting's rows, table by table in id order, each row as its seal hashes it
/// but with the columns that forgetting a person replaces left out.
pub fn content_hash(conn: &Connection, meeting: i64) -> Result<String> {
    let mut h = Sha256::new();
    for (table, owner) in CONTENT {
        let masked: Vec<&str> = crate::store::privacy::NAME_FIELDS
            .iter()
            .filter(|(t, ..)| t == table)
            .flat_map(|(_, name, contacts)| std::iter::once(*name).chain(contacts.iter().copied()))
            .collect();
        let mut stmt = conn.prepare(&format!(
            "SELECT t.* FROM \"{table}\" t WHERE {owner} = ?1 ORDER BY t.id"
        ))?;
        let hidden: Vec<bool> = stmt.column_names().map(|c| masked.contains(&c)).collect();
        let mut rows = stmt.query([meeting])?;
        while let Some(row) = rows.next()? {
            let values = (0..hidden.len())
                .map(|i| {
                    Ok(if hidden[i] {
                        ValueRef::Null
                    } else {
                        row.get_ref(i)?
                    })
                })
                .collect::<rusqlite::Result<Vec<_>>>()?;
            h.update(table.as_bytes());
            h.update([0]);
            h.update(values_hash(&values));
        }
    }
    Ok(hex(&h.finalize()))
}

/// Events (entity, action) that may change a closed meeting's rows without reopening it:
/// forgetting a person (names only, which the close's content hash leaves out). A new command
/// that changes a closed meeting's rows on purpose belongs here, and its columns in
/// [`content_hash`]'s leave-out list, or `verify` reports its events as forged re-seals.
const CHANGES_AFTER_CLOSE: &[(Entity, Action)] = &[
    (Entity::Member, Action::Forget),
    (Entity::Resident, Action::ForgetResident),
];

/// Whether the stored entity and action are those of a forgetting (an unknown one is not; the
/// chain check reports it).
fn forgets(entity: Option<Entity>, action: Option<Action>) -> bool {
    entity
        .zip(action)
        .is_some_and(|pair| CHANGES_AFTER_CLOSE.contains(&pair))
}

/// Each meeting's closings and reopenings (true: closed), in log order.
fn timelines(conn: &Connection) -> Result<HashMap<i64, Vec<(i64, bool)>>> {
    let mut stmt = conn.prepare(
        "SELECT seq, entity_id, action FROM events WHERE entity = ?1 AND action IN (?2, ?3) AND entity_id IS NOT NULL ORDER BY seq",
    )?;
    let mut out: HashMap<i64, Vec<(i64, bool)>> = HashMap::new();
    let mut rows = stmt.query(params![
        Entity::Meeting.key(),
        Action::Closed.key(),
        Action::Open.key()
    ])?;
    while let Some(r) = rows.next()? {
        let action: String = r.get("action")?;
        out.entry(r.get("entity_id")?).or_default().push((
            r.get("seq")?,
            Action::parse(&action) == Some(Action::Closed),
        ));
    }
    Ok(out)
}

/// Rows of a closed meeting sealed by a later event that is neither its reopening, nor after
/// one, nor a forgetting: a re-seal forged behind yishi's back (the chain alone cannot tell).
pub fn resealed_after_close(conn: &Connection) -> Result<Vec<Problem>> {
    let timelines = timelines(conn)?;
    if timelines
        .values()
        .all(|t| t.iter().all(|(_, closed)| !closed))
    {
        return Ok(Vec::new());
    }
    let mut problems = Vec::new();
    for (table, owner) in CONTENT {
        let mut stmt = conn.prepare(&format!(
            "SELECT s.row_id AS row_id, s.seq AS seq, {owner} AS meeting, e.entity AS entity, \
               e.entity_id AS entity_id, e.action AS action FROM seals s \
             JOIN \"{table}\" t ON t.id = s.row_id JOIN events e ON e.seq = s.seq \
             WHERE s.tbl = ?1 ORDER BY s.row_id, s.seq"
        ))?;
        let mut rows = stmt.query(params![table])?;
        let mut reported = None;
        while let Some(r) = rows.next()? {
            let (row_id, seq, meeting): (i64, i64, Option<i64>) =
                (r.get("row_id")?, r.get("seq")?, r.get("meeting")?);
            let (entity, entity_id, action): (String, Option<i64>, String) =
                (r.get("entity")?, r.get("entity_id")?, r.get("action")?);
            let (known_entity, known_action) = (Entity::parse(&entity), Action::parse(&action));
            let Some(timeline) = meeting.and_then(|m| timelines.get(&m)) else {
                continue;
            };
            let Some(&(closed_at, true)) = timeline.iter().rev().find(|(s, _)| *s < seq) else {
                continue;
            };
            let reopens = known_entity == Some(Entity::Meeting)
                && entity_id == meeting
                && known_action == Some(Action::Open);
            if reopens || forgets(known_entity, known_action) || reported == Some(row_id) {
                continue;
            }
            reported = Some(row_id);
            problems.push(Problem::at(
                Some(seq),
                table,
                Some(row_id),
                crate::text!(
                    "verify.closed_changed",
                    table = table,
                    id = row_id,
                    meeting = meeting.unwrap_or_default(),
                    seq = seq,
                    entity = &entity,
                    action = &action,
                    closed_at = closed_at
                ),
            ));
        }
    }
    Ok(problems)
}

/// For each anchor that is a meeting's close (the check code on its minutes) with no
/// reopening of that meeting after it: the meeting's rows must hash as they did at close.
pub fn anchored_meetings(conn: &Connection, anchors: &[super::Anchor]) -> Result<Vec<Problem>> {
    let mut problems = Vec::new();
    for anchor in anchors {
        let event: Option<(Option<i64>, String, String)> = conn
            .query_row(
                "SELECT entity_id, action, change FROM events WHERE seq = ?1 AND entity = ?2",
                params![anchor.seq, Entity::Meeting.key()],
                |r| Ok((r.get("entity_id")?, r.get("action")?, r.get("change")?)),
            )
            .ok();
        let Some((Some(meeting), action, change)) = event else {
            continue;
        };
        let recorded = super::log::shown_change(&change)
            .get(CONTENT_KEY)
            .and_then(|v| v.as_str())
            .map(str::to_string);
        let Some(recorded) = recorded.filter(|_| Action::parse(&action) == Some(Action::Closed))
        else {
            continue;
        };
        let reopened: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM events WHERE entity = ?3 AND entity_id = ?1 AND action = ?4 AND seq > ?2)",
            params![meeting, anchor.seq, Entity::Meeting.key(), Action::Open.key()],
            |r| r.get(0),
        )?;
        if !reopened && content_hash(conn, meeting)? != recorded {
            problems.push(Problem::at(
                Some(anchor.seq),
                "meetings",
                Some(meeting),
                crate::text!(
                    "verify.closed_hash",
                    meeting = meeting,
                    anchor = anchor.short()
                ),
            ));
        }
    }
    Ok(problems)
}
