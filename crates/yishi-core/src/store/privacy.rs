//! 被遗忘: removing a person's name and contact details while keeping the record of what
//! they said and voted, attributed to a pseudonym.
//!
//! Forgetting reaches every structured field that names a person (the roster, invitations,
//! chair and recorder, proxies, owners of motions, resolutions and actions, stakeholders,
//! submitters, feedback, consultations), the stored text of notices, and the audit log: an event's description is stored
//! salted and the chain covers only its digest, so the text can be replaced by a version that
//! names the pseudonym without breaking the chain (see `audit::erase_change`). The command
//! then runs with `secure_delete` and checkpoints and truncates the WAL (`Store::write_erasing`),
//! so the old bytes leave the file.

use super::Writer;
use crate::domain::audit::{Action, Entity};
use crate::error::{Error, Result};
use rusqlite::params;
use serde_json::json;

/// Columns that hold a person's name, and the contact columns cleared with it in that row.
pub(crate) const NAME_FIELDS: &[(&str, &str, &[&str])] = &[
    ("participants", "name", &["phone"]),
    ("participants", "proxy_holder", &[]),
    ("meetings", "chair", &[]),
    ("meetings", "recorder", &[]),
    ("motions", "owner", &[]),
    ("resolutions", "owner", &[]),
    ("actions", "owner", &[]),
    ("issue_stakeholders", "name", &["phone"]),
    ("issues", "submitted_by", &["phone", "address"]),
    ("issue_submitters", "name", &["phone", "address"]),
    ("feedback", "resident", &[]),
    ("consultations", "party", &[]),
    ("issue_history", "actor", &[]),
    ("action_updates", "actor", &[]),
];

/// What forgetting changed.
pub struct Forgotten {
    pub pseudonym: String,
    /// Rows whose fields now name the pseudonym.
    pub rows: usize,
    /// Audit events whose description now names the pseudonym.
    pub events: usize,
    /// Events written before descriptions were salted that still name the person (they
    /// cannot be changed without breaking the chain).
    pub unerasable_events: usize,
}

/// Replace `name` by `pseudonym` in every name field; returns the rows changed.
fn replace_everywhere(
    w: &Writer,
    name: &str,
    pseudonym: &str,
    rows: &mut Vec<(&'static str, i64)>,
) -> Result<()> {
    for (table, column, contacts) in NAME_FIELDS {
        let ids: Vec<i64> = {
            let mut stmt = w
                .conn()
                .prepare(&format!("SELECT id FROM {table} WHERE {column} = ?1"))?;
            stmt.query_map([name], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let clear: String = contacts.iter().map(|c| format!(", {c} = NULL")).collect();
        let mut update = w.conn().prepare(&format!(
            "UPDATE {table} SET {column} = ?2{clear} WHERE id = ?1"
        ))?;
        for id in ids {
            update.execute(params![id, pseudonym])?;
            rows.push((table, id));
        }
    }
    replace_in_text(w, name, pseudonym, rows)
}

/// Stored documents whose text names people: the decision and result notices keep the text
/// as posted (so that what was posted can be shown again), which quotes owners and proposers.
const TEXT_FIELDS: &[(&str, &str)] = &[("notices", "text")];

/// Replace `name` by `pseudonym` inside the stored text of documents ([`TEXT_FIELDS`]).
fn replace_in_text(
    w: &Writer,
    name: &str,
    pseudonym: &str,
    rows: &mut Vec<(&'static str, i64)>,
) -> Result<()> {
    if name.is_empty() {
        return Ok(());
    }
    for (table, column) in TEXT_FIELDS {
        let ids: Vec<i64> = {
            let mut stmt = w.conn().prepare(&format!(
                "SELECT id FROM {table} WHERE instr({column}, ?1) > 0"
            ))?;
            stmt.query_map([name], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut update = w.conn().prepare(&format!(
            "UPDATE {table} SET {column} = replace({column}, ?2, ?3) WHERE id = ?1"
        ))?;
        for id in ids {
            update.execute(params![id, name, pseudonym])?;
            rows.push((table, id));
        }
    }
    Ok(())
}

/// Replace the person in the descriptions of audit events (not in the chain's hashes).
fn erase_from_log(w: &Writer, names: &[&str], pseudonym: &str) -> Result<(Vec<i64>, usize)> {
    let mut erased = Vec::new();
    let mut unerasable = 0;
    for name in names.iter().filter(|n| !n.is_empty()) {
        let found: Vec<(i64, String)> = {
            let mut stmt = w
                .conn()
                .prepare("SELECT seq, change FROM events WHERE instr(change, ?1) > 0")?;
            stmt.query_map([name], |r| Ok((r.get("seq")?, r.get("change")?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        for (seq, change) in found {
            match super::audit::erase_change(&change, names, pseudonym) {
                Some(text) => {
                    w.conn().execute(
                        "UPDATE events SET change = ?2 WHERE seq = ?1",
                        params![seq, text],
                    )?;
                    erased.push(seq);
                }
                None => unerasable += 1,
            }
        }
    }
    erased.sort_unstable();
    erased.dedup();
    Ok((erased, unerasable))
}

/// Forget a council member: name, phone, address and note, everywhere; their seat, votes and
/// speeches stay under the pseudonym.
pub fn forget_member(w: &mut Writer, member_id: i64) -> Result<Forgotten> {
    let pseudonym = format!("已注销成员{member_id}");
    let (name, phone, address): (String, Option<String>, Option<String>) = w.conn().query_row(
        "SELECT name, phone, address FROM members WHERE id = ?1",
        [member_id],
        |r| Ok((r.get("name")?, r.get("phone")?, r.get("address")?)),
    )?;
    let mut rows = vec![("members", member_id)];
    w.conn().execute(
        "UPDATE members SET name = ?2, phone = NULL, address = NULL, note = NULL WHERE id = ?1",
        params![member_id, pseudonym],
    )?;
    // Invitations by member id, whatever name they were made under.
    let invited: Vec<i64> = {
        let mut stmt = w
            .conn()
            .prepare("SELECT id FROM participants WHERE member_id = ?1")?;
        stmt.query_map([member_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    for id in invited {
        w.conn().execute(
            "UPDATE participants SET name = ?2, phone = NULL WHERE id = ?1",
            params![id, pseudonym],
        )?;
        rows.push(("participants", id));
    }
    replace_everywhere(w, &name, &pseudonym, &mut rows)?;
    let names = [
        name.as_str(),
        phone.as_deref().unwrap_or(""),
        address.as_deref().unwrap_or(""),
    ];
    let (erased, unerasable) = erase_from_log(w, &names, &pseudonym)?;
    let count = rows.len();
    w.record(
        Entity::Member,
        Some(member_id),
        Action::Forget,
        json!({"pseudonym": pseudonym, "rows": count, "log_entries": erased}),
        &rows,
    )?;
    Ok(Forgotten {
        pseudonym,
        rows: count,
        events: erased.len(),
        unerasable_events: unerasable,
    })
}

/// Forget a resident by name everywhere they appear: issues they raised, merged submissions,
/// feedback, invitations as a stakeholder, owners, consultations.
pub fn forget_resident(w: &mut Writer, name: &str) -> Result<Forgotten> {
    let n: i64 = w.conn().query_row(
        "SELECT count(*) FROM events WHERE action = ?1",
        [Action::ForgetResident.key()],
        |r| r.get(0),
    )?;
    let pseudonym = format!("已注销居民{}", n + 1);
    // Their phone numbers and addresses, to take out of the log too (they are never logged
    // today, but may be in descriptions written by older versions).
    let mut contacts: Vec<String> = Vec::new();
    for sql in [
        "SELECT phone, address FROM issues WHERE submitted_by = ?1",
        "SELECT phone, address FROM issue_submitters WHERE name = ?1",
    ] {
        let mut stmt = w.conn().prepare(sql)?;
        let found = stmt.query_map([name], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, Option<String>>(1)?,
            ))
        })?;
        for f in found {
            let (p, a) = f?;
            contacts.extend(p.into_iter().chain(a));
        }
    }
    let mut rows: Vec<(&str, i64)> = Vec::new();
    replace_everywhere(w, name, &pseudonym, &mut rows)?;
    rows.retain(|(t, _)| *t != "members");
    if rows.is_empty() {
        return Err(Error::data_text(crate::text!(
            "resident.not_found",
            name = name
        )));
    }
    let mut names: Vec<&str> = vec![name];
    names.extend(contacts.iter().map(String::as_str));
    let (erased, unerasable) = erase_from_log(w, &names, &pseudonym)?;
    let count = rows.len();
    w.record(
        Entity::Resident,
        None,
        Action::ForgetResident,
        json!({"pseudonym": pseudonym, "rows": count, "log_entries": erased}),
        &rows,
    )?;
    Ok(Forgotten {
        pseudonym,
        rows: count,
        events: erased.len(),
        unerasable_events: unerasable,
    })
}

/// The names that act in a public role (see `domain::contact::Names`): every member on the
/// roster, current or retired, and every observer (列席) invited to a meeting.
pub(crate) fn public_names(
    conn: &rusqlite::Connection,
) -> Result<std::collections::HashSet<String>> {
    // Only what reads as a name: a value damaged or edited outside yishi (NULL, not UTF-8)
    // makes nobody public, and the command that shows that row names the damage.
    let mut stmt = conn.prepare(
        "SELECT name FROM members UNION SELECT name FROM participants WHERE role = 'observer'",
    )?;
    let mut rows = stmt.query([])?;
    let mut names = std::collections::HashSet::new();
    while let Some(r) = rows.next()? {
        if let rusqlite::types::ValueRef::Text(t) = r.get_ref(0)?
            && let Ok(name) = std::str::from_utf8(t)
        {
            names.insert(name.to_string());
        }
    }
    Ok(names)
}
