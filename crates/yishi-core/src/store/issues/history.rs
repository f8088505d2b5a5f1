//! What happens to an issue after intake: status steps, decisions and recounts, edits and
//! their history, links, merges, pre-consultations and stakeholders.

use super::super::Writer;
use super::super::search_index;
use super::*;
use crate::domain::audit::{Action, Entity};
use crate::domain::history::HistoryEvent;
use crate::domain::issue::Status;
use crate::domain::rules::Outcome;
use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

/// Move an issue along the status machine, keeping the step in its history with the note a
/// person typed. The step was checked by the caller in ops (`domain::guards::step`): store holds
/// no rule.
pub fn set_status(
    w: &mut Writer,
    issue: &Issue,
    to: Status,
    note: Option<&str>,
    action: Action,
) -> Result<()> {
    set_step(w, issue, to, Some(&HistoryEvent::Step), note, action)
}

/// As [`set_status`], for a step yishi takes itself: `event` says what moved the issue (a
/// meeting scheduled it, deferred it...), `note` is only what a person typed with it. Every
/// writer since schema v18 gives an event: a row without one is an old row.
pub fn set_step(
    w: &mut Writer,
    issue: &Issue,
    to: Status,
    event: Option<&HistoryEvent>,
    note: Option<&str>,
    action: Action,
) -> Result<()> {
    let from = issue.status;
    w.conn().execute(
        "UPDATE issues SET status = ?2 WHERE id = ?1",
        params![issue.id, to.key()],
    )?;
    let history = add_history(w, issue.id, from, to, event, note)?;
    let mut rows = vec![("issues", issue.id), ("issue_history", history)];
    // The log names yishi's own event; a person's step is its status and note, as before v18.
    let mut change = json!({"status": [from.key(), to.key()], "note": note});
    if let Some(e) = event.filter(|e| **e != HistoryEvent::Step) {
        change["event"] = json!(e);
    }
    // Accepting an issue accepts its suggested category with it.
    if to == Status::Accepted {
        rows.extend(confirm_category(w, issue.id)?);
    }
    w.record(Entity::Issue, Some(issue.id), action, change, &rows)?;
    Ok(())
}

/// 表决: the council decided the issue (adopted or not adopted) at meeting `meeting`; the step
/// was checked in ops.
pub fn decide(w: &mut Writer, issue: &Issue, outcome: Outcome, meeting: i64) -> Result<()> {
    let from = issue.status;
    w.conn().execute(
        "UPDATE issues SET status = 'decided', outcome = ?2 WHERE id = ?1",
        params![issue.id, outcome],
    )?;
    let event = HistoryEvent::Decided { meeting };
    let history = add_history(w, issue.id, from, Status::Decided, Some(&event), None)?;
    w.record(
        Entity::Issue,
        Some(issue.id),
        Action::Decided,
        json!({"status": [from.key(), Status::Decided.key()], "outcome": outcome}),
        &[("issues", issue.id), ("issue_history", history)],
    )?;
    Ok(())
}

/// Change the outcome of a decided issue after a recount (`domain::guards::recount`, checked
/// in ops).
pub fn set_outcome(w: &mut Writer, issue: &Issue, outcome: Outcome) -> Result<()> {
    w.conn().execute(
        "UPDATE issues SET outcome = ?2 WHERE id = ?1",
        params![issue.id, outcome],
    )?;
    w.record(
        Entity::Issue,
        Some(issue.id),
        Action::Outcome,
        json!({"outcome": [issue.outcome, outcome]}),
        &[("issues", issue.id)],
    )?;
    Ok(())
}

/// An event in the issue's history that does not change its status (a recount), with what a
/// person typed with it.
pub fn add_event(
    w: &Writer,
    issue_id: i64,
    status: Status,
    event: &HistoryEvent,
    note: Option<&str>,
) -> Result<i64> {
    add_history(w, issue_id, status, status, Some(event), note)
}

/// A correction of recorded text: the old value, the new one and why (`record_edits`).
#[allow(clippy::too_many_arguments)]
pub fn add_edit(
    w: &Writer,
    entity: &str,
    entity_id: i64,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
    reason: &str,
    meeting_id: Option<i64>,
) -> Result<i64> {
    w.conn().execute(
        "INSERT INTO record_edits (entity, entity_id, field, old_value, new_value, reason, meeting_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![entity, entity_id, field, old, new, reason, meeting_id, w.now()],
    )?;
    Ok(w.conn().last_insert_rowid())
}

/// The value of a field as it was when `mark` (a record_edits id) was the last edit: the old
/// value of the first later edit, or None when it has not been edited since.
pub fn value_at(
    conn: &Connection,
    entity: &str,
    entity_id: i64,
    field: &str,
    mark: i64,
) -> Result<Option<Option<String>>> {
    Ok(conn
        .query_row(
            "SELECT old_value FROM record_edits WHERE entity = ?1 AND entity_id = ?2 AND field = ?3 AND id > ?4 ORDER BY id LIMIT 1",
            params![entity, entity_id, field, mark],
            |r| r.get(0),
        )
        .optional()?)
}

/// `issue edit`: title, detail or category corrected, with the old values and the reason.
pub fn edit(
    w: &mut Writer,
    issue: &Issue,
    title: Option<&str>,
    detail: Option<&str>,
    category: Option<&str>,
    reason: &str,
) -> Result<()> {
    let mut rows = vec![("issues", issue.id)];
    for (field, old, new) in [
        ("title", Some(issue.title.as_str()), title),
        ("detail", issue.detail.as_deref(), detail),
        ("category", issue.category.as_deref(), category),
    ] {
        let Some(new) = new else { continue };
        w.conn().execute(
            &format!("UPDATE issues SET {field} = ?2 WHERE id = ?1"),
            params![issue.id, new],
        )?;
        rows.push((
            "record_edits",
            add_edit(w, "issue", issue.id, field, old, Some(new), reason, None)?,
        ));
    }
    if title.is_some() || detail.is_some() {
        search_index::replace(w.conn(), issue.id, &issue.title, issue.detail.as_deref())?;
    }
    if category.is_some() {
        rows.extend(confirm_category(w, issue.id)?);
    }
    let status = issue.status;
    rows.push((
        "issue_history",
        add_history(
            w,
            issue.id,
            status,
            status,
            Some(&HistoryEvent::Edited),
            Some(reason),
        )?,
    ));
    w.record(Entity::Issue,
        Some(issue.id),
        Action::Edit,
        json!({"title": [issue.title, title], "detail": [issue.detail, detail], "category": [issue.category, category], "reason": reason}),
        &rows,
    )?;
    Ok(())
}

/// A link from `issue` to an earlier issue (reraise) or to a resolution (objection).
pub fn add_link(
    w: &Writer,
    issue_id: i64,
    kind: crate::domain::issue::LinkKind,
    to_issue: Option<i64>,
    to_resolution: Option<i64>,
) -> Result<i64> {
    w.conn().execute(
        "INSERT INTO issue_links (issue_id, kind, to_issue, to_resolution) VALUES (?1, ?2, ?3, ?4)",
        params![issue_id, kind.key(), to_issue, to_resolution],
    )?;
    Ok(w.conn().last_insert_rowid())
}

/// The resolutions an objection points at: the one its link names, or (an objection recorded
/// before links named resolutions) every resolution of the meeting.
pub fn objected_resolutions(
    conn: &Connection,
    issue_id: i64,
    meeting_id: i64,
) -> Result<Vec<crate::domain::motion::Resolution>> {
    let named: Option<i64> = conn
        .query_row(
            "SELECT to_resolution FROM issue_links WHERE issue_id = ?1 AND kind = 'objection' \
               AND to_resolution IS NOT NULL ORDER BY id DESC LIMIT 1",
            [issue_id],
            |r| r.get(0),
        )
        .optional()?;
    match named {
        Some(id) => Ok(vec![super::super::motions::require_resolution(conn, id)?]),
        None => super::super::motions::resolutions(conn, Some(meeting_id)),
    }
}

/// Links from or to an issue.
pub fn links(conn: &Connection, issue_id: i64) -> Result<Vec<Link>> {
    super::super::query_all(
        conn,
        "SELECT issue_id, kind, to_issue, to_resolution, id FROM issue_links WHERE issue_id = ?1 OR to_issue = ?1 ORDER BY id",
        [issue_id],
        |r| {
            Ok(Link {
                issue_id: r.get("issue_id")?,
                kind: super::super::codes::decode(r, "kind", "issue_links", "kind", r.get("id")?)?,
                to_issue: r.get("to_issue")?,
                to_resolution: r.get("to_resolution")?,
            })
        },
    )
}

pub(super) fn add_history(
    w: &Writer,
    issue_id: i64,
    from: Status,
    to: Status,
    event: Option<&HistoryEvent>,
    note: Option<&str>,
) -> Result<i64> {
    w.conn().execute(
        "INSERT INTO issue_history (issue_id, at, actor, from_status, to_status, note, event) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![issue_id, w.now(), w.actor(), from.key(), to.key(), note, event.map(HistoryEvent::to_stored)],
    )?;
    Ok(w.conn().last_insert_rowid())
}

/// Mark `dup` as a duplicate of `into`; its submitter joins the target's submitters.
/// The merge must be allowed first (`domain::guards::merge`).
pub fn merge(w: &mut Writer, dup: &Issue, into: &Issue) -> Result<()> {
    let from = dup.status;
    w.conn().execute(
        "UPDATE issues SET status = 'merged', merged_into = ?2 WHERE id = ?1",
        params![dup.id, into.id],
    )?;
    let history = add_history(
        w,
        dup.id,
        from,
        Status::Merged,
        Some(&HistoryEvent::Merged { into: into.id }),
        None,
    )?;
    let mut rows = vec![("issues", dup.id), ("issue_history", history)];
    // The duplicate's own submitter and any it had gathered move to the target.
    let mut moved = Vec::new();
    if let Some(name) = &dup.submitted_by {
        w.conn().execute(
            "INSERT INTO issue_submitters (issue_id, name, phone, address, from_issue) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![into.id, name, dup.phone, dup.address, dup.id],
        )?;
        moved.push(w.conn().last_insert_rowid());
    }
    let mut stmt = w
        .conn()
        .prepare("SELECT id FROM issue_submitters WHERE issue_id = ?1")?;
    let earlier: Vec<i64> = stmt
        .query_map([dup.id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    for id in &earlier {
        w.conn().execute(
            "UPDATE issue_submitters SET issue_id = ?2 WHERE id = ?1",
            params![id, into.id],
        )?;
    }
    moved.extend(earlier);
    for id in &moved {
        rows.push(("issue_submitters", *id));
    }
    w.record(
        Entity::Issue,
        Some(dup.id),
        Action::Merge,
        json!({"into": into.id, "submitters_moved": moved.len()}),
        &rows,
    )?;
    Ok(())
}

/// The consultation must be allowed first (`domain::guards::consult`).
pub fn consult(
    w: &mut Writer,
    issue: &Issue,
    party: &str,
    summary: &str,
    held_on: &str,
) -> Result<i64> {
    w.conn().execute(
        "INSERT INTO consultations (issue_id, party, summary, held_on, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![issue.id, party, summary, held_on, w.now()],
    )?;
    let id = w.conn().last_insert_rowid();
    w.record(
        Entity::Issue,
        Some(issue.id),
        Action::Consult,
        json!({"party": party, "summary": summary, "held_on": held_on}),
        &[("consultations", id)],
    )?;
    Ok(id)
}

pub fn consultations(conn: &Connection, issue_id: i64) -> Result<Vec<Consultation>> {
    super::super::query_all(
        conn,
        "SELECT id, party, summary, held_on FROM consultations WHERE issue_id = ?1 ORDER BY held_on, id",
        [issue_id],
        |r| {
            Ok(Consultation {
                id: r.get("id")?,
                party: r.get("party")?,
                summary: r.get("summary")?,
                held_on: r.get("held_on")?,
            })
        },
    )
}

/// A stakeholder added to the issue: its row, or None when `name` is already one of them.
pub fn add_stakeholder(
    w: &mut Writer,
    issue: &Issue,
    name: &str,
    phone: Option<&str>,
) -> Result<Option<i64>> {
    let n = w.conn().execute(
        "INSERT OR IGNORE INTO issue_stakeholders (issue_id, name, phone) VALUES (?1, ?2, ?3)",
        params![issue.id, name, phone],
    )?;
    if n == 0 {
        return Ok(None);
    }
    let id = w.conn().last_insert_rowid();
    w.record(
        Entity::Issue,
        Some(issue.id),
        Action::StakeholderAdd,
        json!({"name": name, "phone": phone}),
        &[("issue_stakeholders", id)],
    )?;
    Ok(Some(id))
}

pub fn remove_stakeholder(w: &mut Writer, issue: &Issue, name: &str) -> Result<()> {
    let id: Option<i64> = w
        .conn()
        .query_row(
            "SELECT id FROM issue_stakeholders WHERE issue_id = ?1 AND name = ?2",
            params![issue.id, name],
            |r| r.get(0),
        )
        .optional()?;
    let Some(id) = id else {
        return Err(Error::data_text(crate::text!(
            "issue.not_a_stakeholder",
            name = name,
            id = issue.id
        )));
    };
    w.conn()
        .execute("DELETE FROM issue_stakeholders WHERE id = ?1", [id])?;
    w.record(
        Entity::Issue,
        Some(issue.id),
        Action::StakeholderRemove,
        json!({"name": name}),
        &[("issue_stakeholders", id)],
    )?;
    Ok(())
}

pub fn stakeholders(conn: &Connection, issue_id: i64) -> Result<Vec<Stakeholder>> {
    super::super::query_all(
        conn,
        "SELECT id, name, phone FROM issue_stakeholders WHERE issue_id = ?1 ORDER BY id",
        [issue_id],
        |r| {
            Ok(Stakeholder {
                id: r.get("id")?,
                name: r.get("name")?,
                phone: r.get("phone")?,
            })
        },
    )
}

pub fn history(conn: &Connection, issue_id: i64) -> Result<Vec<HistoryEntry>> {
    super::super::query_all(
        conn,
        "SELECT at, actor, from_status, to_status, note, id, event FROM issue_history WHERE issue_id = ?1 ORDER BY id",
        [issue_id],
        |r| {
            let id: i64 = r.get("id")?;
            Ok(HistoryEntry {
                at: r.get("at")?,
                actor: r.get("actor")?,
                from: super::super::codes::decode(
                    r,
                    "from_status",
                    "issue_history",
                    "from_status",
                    id,
                )?,
                to: super::super::codes::decode(r, "to_status", "issue_history", "to_status", id)?,
                note: r.get("note")?,
                event: decode_event(r, id)?,
            })
        },
    )
}

/// Residents who raised the same issue through merged duplicates.
pub fn co_submitters(conn: &Connection, issue_id: i64) -> Result<Vec<Submitter>> {
    super::super::query_all(
        conn,
        "SELECT name, phone, address, from_issue FROM issue_submitters WHERE issue_id = ?1 ORDER BY id",
        [issue_id],
        |r| {
            Ok(Submitter {
                name: r.get("name")?,
                phone: r.get("phone")?,
                address: r.get("address")?,
                from_issue: r.get("from_issue")?,
            })
        },
    )
}

/// The typed event (column `event`) of a history row (NULL for one written before schema v18,
/// or for a step a person took); anything else that is not an event yishi writes names table,
/// row and column.
fn decode_event(r: &rusqlite::Row, row: i64) -> rusqlite::Result<Option<HistoryEvent>> {
    let idx = r.as_ref().column_index("event")?;
    let Some(s) = r.get::<_, Option<String>>(idx)? else {
        return Ok(None);
    };
    HistoryEvent::from_stored(&s).map(Some).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            idx,
            rusqlite::types::Type::Text,
            Box::new(crate::error::UnknownValue {
                table: "issue_history",
                column: "event",
                row,
                value: s,
                what: "history event",
                allowed: vec!["{\"kind\": \"scheduled\", ...}"],
            }),
        )
    })
}
