//! 被遗忘: removing a person's name and contact details while keeping the record of what
//! they said and voted, attributed to a pseudonym.

use super::Writer;
use crate::error::{Error, Result};
use rusqlite::params;
use serde_json::json;

/// Rows of `table` matching `where_sql` (with ?1 bound to `key`), and their ids.
fn ids(w: &Writer, table: &str, where_sql: &str, key: &dyn rusqlite::ToSql) -> Result<Vec<i64>> {
    let mut stmt = w
        .conn()
        .prepare(&format!("SELECT id FROM {table} WHERE {where_sql}"))?;
    let rows = stmt.query_map([key], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<i64>>>()?)
}

/// Forget a council member: name, phone, address and note; their seat, votes and speeches stay
/// under the pseudonym. Returns the pseudonym.
pub fn forget_member(w: &mut Writer, member_id: i64) -> Result<String> {
    let pseudonym = format!("已注销成员{member_id}");
    let mut rows = vec![("members", member_id)];
    w.conn().execute(
        "UPDATE members SET name = ?2, phone = NULL, address = NULL, note = NULL WHERE id = ?1",
        params![member_id, pseudonym],
    )?;
    for id in ids(w, "participants", "member_id = ?1", &member_id)? {
        w.conn().execute(
            "UPDATE participants SET name = ?2, phone = NULL WHERE id = ?1",
            params![id, pseudonym],
        )?;
        rows.push(("participants", id));
    }
    w.record(
        "member",
        Some(member_id),
        "forget",
        json!({"pseudonym": pseudonym}),
        &rows,
    )?;
    Ok(pseudonym)
}

/// Forget a resident by name everywhere they appear: issues they raised, merged submissions,
/// feedback, and invitations as a stakeholder who is not a member.
pub fn forget_resident(w: &mut Writer, name: &str) -> Result<(String, usize)> {
    let n: i64 = w.conn().query_row(
        "SELECT count(*) FROM events WHERE action = 'forget-resident'",
        [],
        |r| r.get(0),
    )?;
    let pseudonym = format!("已注销居民{}", n + 1);
    let mut rows: Vec<(&str, i64)> = Vec::new();
    for id in ids(w, "issues", "submitted_by = ?1", &name)? {
        w.conn().execute(
            "UPDATE issues SET submitted_by = ?2, phone = NULL, address = NULL WHERE id = ?1",
            params![id, pseudonym],
        )?;
        rows.push(("issues", id));
    }
    for id in ids(w, "issue_submitters", "name = ?1", &name)? {
        w.conn().execute(
            "UPDATE issue_submitters SET name = ?2, phone = NULL, address = NULL WHERE id = ?1",
            params![id, pseudonym],
        )?;
        rows.push(("issue_submitters", id));
    }
    for id in ids(w, "feedback", "resident = ?1", &name)? {
        w.conn().execute(
            "UPDATE feedback SET resident = ?2 WHERE id = ?1",
            params![id, pseudonym],
        )?;
        rows.push(("feedback", id));
    }
    for id in ids(w, "participants", "name = ?1 AND member_id IS NULL", &name)? {
        w.conn().execute(
            "UPDATE participants SET name = ?2, phone = NULL WHERE id = ?1",
            params![id, pseudonym],
        )?;
        rows.push(("participants", id));
    }
    if rows.is_empty() {
        return Err(Error::data(format!(
            "no records name a resident \"{name}\" (names are matched exactly, as shown with --show-contacts)"
        )));
    }
    let count = rows.len();
    w.record(
        "resident",
        None,
        "forget-resident",
        json!({"pseudonym": pseudonym, "rows": count}),
        &rows,
    )?;
    Ok((pseudonym, count))
}
