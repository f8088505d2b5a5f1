//! Follow-through: actions that carry out resolutions, public notices, residents' feedback.

use super::Writer;
use crate::domain::audit;
pub use crate::domain::followup::{Action, ActionUpdate, NewFeedback, Notice, NoticeKind};
use crate::domain::identity::occurrence_key;
use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::json;

impl Action {
    /// Not done and past its due date.
    pub fn overdue(&self, today: &str) -> bool {
        self.done_on.is_none()
            && self.withdrawn_reason.is_none()
            && self.due.as_deref().is_some_and(|d| d < today)
    }
}

const ACTION_COLUMNS: &str =
    "id, resolution_id, issue_id, text, owner, due, progress, done_on, withdrawn_reason";

fn action_from_row(r: &Row) -> rusqlite::Result<Action> {
    Ok(Action {
        id: r.get("id")?,
        resolution_id: r.get("resolution_id")?,
        issue_id: r.get("issue_id")?,
        text: r.get("text")?,
        owner: r.get("owner")?,
        due: r.get("due")?,
        progress: r.get("progress")?,
        done_on: r.get("done_on")?,
        withdrawn_reason: r.get("withdrawn_reason")?,
    })
}

/// Every resolution starts with one action: carrying it out, by its owner, by its due date.
pub fn create_action(
    w: &Writer,
    resolution_id: i64,
    issue_id: i64,
    text: &str,
    owner: Option<&str>,
    due: Option<&str>,
) -> Result<i64> {
    w.conn().execute(
        "INSERT INTO actions (resolution_id, issue_id, text, owner, due, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![resolution_id, issue_id, text, owner, due, w.now()],
    )?;
    Ok(w.conn().last_insert_rowid())
}

/// Withdraw the open actions of a resolution that a recount has undone: they stay on record
/// with the reason; actions already done stay as they are.
pub fn withdraw_actions_of(w: &Writer, resolution_id: i64, reason: &str) -> Result<Vec<i64>> {
    let mut ids = Vec::new();
    for a in actions_of_resolution(w.conn(), resolution_id)? {
        if a.done_on.is_none() && a.withdrawn_reason.is_none() {
            w.conn().execute(
                "UPDATE actions SET withdrawn_reason = ?2 WHERE id = ?1",
                params![a.id, reason],
            )?;
            ids.push(a.id);
        }
    }
    Ok(ids)
}

/// One more action carrying out a resolution (a resolution split into several actions); the
/// resolution must take it (`domain::guards::add_action`).
pub fn add_action(
    w: &mut Writer,
    resolution: &super::motions::Resolution,
    text: &str,
    owner: &str,
    due: &str,
) -> Result<i64> {
    let id = create_action(
        w,
        resolution.id,
        resolution.issue_id,
        text,
        Some(owner),
        Some(due),
    )?;
    w.record(
        audit::Entity::Action,
        Some(id),
        audit::Action::Add,
        json!({"resolution": resolution.id, "text": text, "owner": owner, "due": due}),
        &[("actions", id)],
    )?;
    Ok(id)
}

/// Change an action's owner or due date; the old values and the reason are kept.
pub fn edit_action(
    w: &mut Writer,
    a: &Action,
    owner: Option<&str>,
    due: Option<&str>,
    reason: &str,
) -> Result<()> {
    let mut rows = vec![("actions", a.id)];
    for (field, old, new) in [("owner", &a.owner, owner), ("due", &a.due, due)] {
        let Some(new) = new else { continue };
        w.conn().execute(
            &format!("UPDATE actions SET {field} = ?2 WHERE id = ?1"),
            params![a.id, new],
        )?;
        rows.push((
            "record_edits",
            super::issues::add_edit(
                w,
                "action",
                a.id,
                field,
                old.as_deref(),
                Some(new),
                reason,
                None,
            )?,
        ));
    }
    w.record(
        audit::Entity::Action,
        Some(a.id),
        audit::Action::Edit,
        json!({"owner": [a.owner, owner], "due": [a.due, due], "reason": reason}),
        &rows,
    )?;
    Ok(())
}

/// The action carrying out the resolution a motion became, if any.
pub fn action_of_motion(conn: &Connection, motion_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT a.id FROM actions a JOIN resolutions r ON r.id = a.resolution_id \
             WHERE r.motion_id = ?1 ORDER BY a.id LIMIT 1",
            [motion_id],
            |r| r.get(0),
        )
        .optional()?)
}

fn actions_of_resolution(conn: &Connection, resolution_id: i64) -> Result<Vec<Action>> {
    super::query_all(
        conn,
        &format!("SELECT {ACTION_COLUMNS} FROM actions WHERE resolution_id = ?1 ORDER BY id"),
        [resolution_id],
        action_from_row,
    )
}

/// Which actions `action list` shows: overdue on a day, of an owner.
#[derive(Debug, Clone, Copy, Default)]
pub struct ActionFilter<'a> {
    /// Only open actions whose due day is before this day.
    pub overdue_on: Option<&'a str>,
    pub owner: Option<&'a str>,
}

const ACTION_FILTER: &str = "(?1 IS NULL OR (done_on IS NULL AND withdrawn_reason IS NULL AND due < ?1)) \
     AND (?2 IS NULL OR owner = ?2)";

/// One page of actions: the open ones first, soonest due first (so the overdue lead), then
/// the finished ones. `limit` -1 is every row.
pub fn actions_page(
    conn: &Connection,
    filter: ActionFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<Action>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {ACTION_COLUMNS} FROM actions WHERE {ACTION_FILTER} \
         ORDER BY done_on IS NOT NULL OR withdrawn_reason IS NOT NULL, coalesce(due, '9999'), id \
         LIMIT ?3 OFFSET ?4"
    ))?;
    let rows = stmt.query_map(
        params![filter.overdue_on, filter.owner, limit, offset],
        action_from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn count_actions(conn: &Connection, filter: ActionFilter) -> Result<u64> {
    let n: i64 = conn.query_row(
        &format!("SELECT count(*) FROM actions WHERE {ACTION_FILTER}"),
        params![filter.overdue_on, filter.owner],
        |r| r.get(0),
    )?;
    Ok(n as u64)
}

pub fn actions_of_issue(conn: &Connection, issue_id: i64) -> Result<Vec<Action>> {
    super::query_all(
        conn,
        &format!("SELECT {ACTION_COLUMNS} FROM actions WHERE issue_id = ?1 ORDER BY id"),
        [issue_id],
        action_from_row,
    )
}

pub fn require_action(conn: &Connection, id: i64) -> Result<Action> {
    conn.query_row(
        &format!("SELECT {ACTION_COLUMNS} FROM actions WHERE id = ?1"),
        [id],
        action_from_row,
    )
    .optional()?
    .ok_or_else(|| Error::data_text(crate::text!("action.unknown", id = id)))
}

pub fn updates(conn: &Connection, action_id: i64) -> Result<Vec<ActionUpdate>> {
    super::query_all(
        conn,
        "SELECT progress, note, on_day, actor FROM action_updates WHERE action_id = ?1 ORDER BY id",
        [action_id],
        |r| {
            Ok(ActionUpdate {
                progress: r.get("progress")?,
                note: r.get("note")?,
                on_day: r.get("on_day")?,
                actor: r.get("actor")?,
            })
        },
    )
}

/// Record progress (0–100) on an action that takes it (`domain::guards::update_action`).
/// The issue's step that may follow is ops' (`ops::followup::update_action`).
pub fn update_action(
    w: &mut Writer,
    a: &Action,
    progress: i64,
    note: Option<&str>,
    today: &str,
) -> Result<()> {
    let done = progress >= 100;
    w.conn().execute(
        "UPDATE actions SET progress = ?2, done_on = ?3 WHERE id = ?1",
        params![a.id, progress, done.then_some(today)],
    )?;
    w.conn().execute(
        "INSERT INTO action_updates (action_id, progress, note, on_day, actor) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![a.id, progress, note, today, w.actor()],
    )?;
    let update = w.conn().last_insert_rowid();
    w.record(
        audit::Entity::Action,
        Some(a.id),
        if done {
            audit::Action::Done
        } else {
            audit::Action::Progress
        },
        json!({"progress": [a.progress, progress], "note": note}),
        &[("actions", a.id), ("action_updates", update)],
    )?;
    Ok(())
}

pub fn add_notice(w: &mut Writer, n: &Notice) -> Result<i64> {
    w.conn().execute(
        "INSERT INTO notices (kind, meeting_id, issue_id, starts_on, ends_on, text, created_at, \
           signed_on, anchor_seq, anchor_hash, repost_of, repost_reason) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            n.kind,
            n.meeting_id,
            n.issue_id,
            n.starts_on,
            n.ends_on,
            n.text,
            w.now(),
            n.signed_on,
            n.anchor.as_ref().map(|a| a.seq),
            n.anchor.as_ref().map(|a| a.hash.as_str()),
            n.repost_of,
            n.repost_reason,
        ],
    )?;
    let id = w.conn().last_insert_rowid();
    w.record(
        audit::Entity::Notice,
        Some(id),
        audit::Action::posting(n.kind, n.repost_of.is_some()),
        json!({"meeting": n.meeting_id, "issue": n.issue_id, "starts_on": n.starts_on,
               "ends_on": n.ends_on, "signed_on": n.signed_on,
               "repost_of": n.repost_of, "reason": n.repost_reason}),
        &[("notices", id)],
    )?;
    Ok(id)
}

const NOTICE_COLUMNS: &str = "id, kind, meeting_id, issue_id, starts_on, ends_on, text, \
    signed_on, anchor_seq, anchor_hash, repost_of, repost_reason";

fn notice_from_row(r: &Row) -> rusqlite::Result<Notice> {
    let id = r.get("id")?;
    let seq: Option<i64> = r.get("anchor_seq")?;
    let hash: Option<String> = r.get("anchor_hash")?;
    Ok(Notice {
        id,
        kind: super::codes::decode(r, "kind", "notices", "kind", id)?,
        meeting_id: r.get("meeting_id")?,
        issue_id: r.get("issue_id")?,
        starts_on: r.get("starts_on")?,
        ends_on: r.get("ends_on")?,
        text: r.get("text")?,
        signed_on: r.get("signed_on")?,
        anchor: seq
            .zip(hash)
            .map(|(seq, hash)| crate::domain::audit::Anchor { seq, hash }),
        repost_of: r.get("repost_of")?,
        repost_reason: r.get("repost_reason")?,
    })
}

/// The latest decision notice of a meeting.
pub fn decision_notice(conn: &Connection, meeting_id: i64) -> Result<Option<Notice>> {
    posting(conn, NoticeKind::Decision, Some(meeting_id), None)
}

/// The posting in force of a notice: the latest of its kind for the meeting (decision,
/// meeting) or the issue (result).
pub fn posting(
    conn: &Connection,
    kind: NoticeKind,
    meeting_id: Option<i64>,
    issue_id: Option<i64>,
) -> Result<Option<Notice>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {NOTICE_COLUMNS} FROM notices WHERE kind = ?1 \
                   AND (?2 IS NULL OR meeting_id = ?2) AND (?3 IS NULL OR issue_id = ?3) \
                 ORDER BY id DESC LIMIT 1"
            ),
            params![kind, meeting_id, issue_id],
            notice_from_row,
        )
        .optional()?)
}

impl NewFeedback {
    pub fn fingerprint(&self) -> i64 {
        let mut h = xxhash_rust::xxh3::Xxh3Default::new();
        h.update(format!("{:?}", self).as_bytes());
        h.digest() as i64
    }
}

/// Add feedback, the `k`-th (from 0) of identical answers in its file (0 when typed); `None`
/// when that answer is already stored (the file imported again). A stored row with the same
/// key counts only if its fields are the answer's, or if it changed since it was stored
/// (forgotten): then its key is all that is left of what was imported.
pub fn add_feedback(w: &Writer, f: &NewFeedback, k: u32) -> Result<Option<i64>> {
    let key = occurrence_key(f.fingerprint(), k);
    let mut stmt = w.conn().prepare_cached(
        "SELECT issue_id, resident, satisfaction, aware, note, channel, given_on FROM feedback WHERE fingerprint = ?1",
    )?;
    let stored = stmt
        .query_map([key], |r| {
            Ok(NewFeedback {
                issue_id: r.get("issue_id")?,
                resident: r.get("resident")?,
                satisfaction: r.get("satisfaction")?,
                aware: r.get("aware")?,
                note: r.get("note")?,
                channel: r.get("channel")?,
                given_on: r.get("given_on")?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if stored
        .iter()
        .any(|s| s == f || occurrence_key(s.fingerprint(), k) != key)
    {
        return Ok(None);
    }
    w.conn().execute(
        "INSERT INTO feedback (issue_id, resident, satisfaction, aware, note, channel, given_on, fingerprint, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![f.issue_id, f.resident, f.satisfaction, f.aware, f.note, f.channel, f.given_on, key, w.now()],
    )?;
    Ok(Some(w.conn().last_insert_rowid()))
}
