//! The council roster.

use super::Writer;
use crate::domain::audit::{Action, Entity};
pub use crate::domain::member::{Member, MemberChanges, NewMember};
use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::json;

impl Member {
    pub fn active(&self) -> bool {
        self.retired_on.is_none()
    }
}

const COLUMNS: &str = "id, name, seat, phone, address, note, joined_on, retired_on";

fn from_row(r: &Row) -> rusqlite::Result<Member> {
    Ok(Member {
        id: r.get("id")?,
        name: r.get("name")?,
        seat: r.get("seat")?,
        phone: r.get("phone")?,
        address: r.get("address")?,
        note: r.get("note")?,
        joined_on: r.get("joined_on")?,
        retired_on: r.get("retired_on")?,
    })
}

pub fn insert(w: &mut Writer, m: &NewMember) -> Result<i64> {
    w.conn().execute(
        "INSERT INTO members (name, seat, phone, address, note, joined_on, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![m.name, m.seat, m.phone, m.address, m.note, m.joined_on, w.now()],
    )?;
    let id = w.conn().last_insert_rowid();
    w.record(Entity::Member,
        Some(id),
        Action::Add,
        json!({"name": m.name, "seat": m.seat, "phone": m.phone, "address": m.address, "note": m.note, "joined_on": m.joined_on}),
        &[("members", id)],
    )?;
    Ok(id)
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Member>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM members WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?)
}

/// Members by seat and name; retired members only with `include_retired`.
pub fn list(conn: &Connection, seat: Option<&str>, include_retired: bool) -> Result<Vec<Member>> {
    super::query_all(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM members WHERE (?1 IS NULL OR seat = ?1) AND (?2 OR retired_on IS NULL) ORDER BY id"
        ),
        params![seat, include_retired],
        from_row,
    )
}

/// Everyone with exactly this name, active members first.
pub fn by_name(conn: &Connection, name: &str) -> Result<Vec<Member>> {
    super::query_all(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM members WHERE name = ?1 ORDER BY retired_on IS NOT NULL, id"
        ),
        [name],
        from_row,
    )
}

/// Find a member from what the secretary typed: `#3`, `3`, or a name. A name shared by several
/// members is an error that lists them; an unknown name suggests close ones.
pub fn resolve(conn: &Connection, typed: &str) -> Result<Member> {
    let typed = typed.trim();
    if let Some(id) = crate::domain::text::parse_id(typed, '#') {
        return get(conn, id)?
            .ok_or_else(|| Error::data_text(crate::text!("member.no_such_id", id = id)));
    }
    let found = by_name(conn, typed)?;
    let active: Vec<&Member> = found.iter().filter(|m| m.active()).collect();
    match (found.len(), active.len()) {
        (1, _) => Ok(found[0].clone()),
        (_, 1) => Ok(active[0].clone()),
        (0, _) => {
            let all = list(conn, None, true)?;
            let close: Vec<String> = all
                .iter()
                .filter(|m| crate::domain::text::similar(typed, &m.name))
                .take(3)
                .map(|m| format!("{} #{}", m.name, m.id))
                .collect();
            let hint = if close.is_empty() {
                crate::text!("member.no_such_name_roster")
            } else {
                crate::i18n::Text::new("member.no_such_name_did_you_mean").pair(
                    "names",
                    close.join("、"),
                    close.join(", "),
                )
            };
            Err(Error::data_text(
                crate::text!("member.no_such_name", typed = typed).text("hint", &hint),
            ))
        }
        _ => {
            let (zh, en): (Vec<String>, Vec<String>) = found
                .iter()
                .map(|m| {
                    let (zh, en) = if m.active() {
                        (String::new(), String::new())
                    } else {
                        ("，已退出".to_string(), ", retired".to_string())
                    };
                    (
                        format!("#{}（{}{zh}）", m.id, m.seat),
                        format!("#{} ({}{en})", m.id, m.seat),
                    )
                })
                .unzip();
            Err(Error::data_text(
                crate::text!(
                    "member.name_shared",
                    count = found.len(),
                    typed = typed,
                    first = found[0].id
                )
                .pair("ids", zh.join("、"), en.join(", ")),
            ))
        }
    }
}

pub fn update(w: &mut Writer, before: &Member, c: &MemberChanges) -> Result<()> {
    let mut change = serde_json::Map::new();
    let mut set = |key: &str, old: Option<&str>, new: Option<&str>| {
        if old != new {
            change.insert(key.into(), json!([old, new]));
        }
    };
    let name = c.name.as_deref().unwrap_or(&before.name);
    set("name", Some(&before.name), Some(name));
    let seat = c.seat.as_deref().unwrap_or(&before.seat);
    set("seat", Some(&before.seat), Some(seat));
    let phone = c.phone.clone().unwrap_or(before.phone.clone());
    set("phone", before.phone.as_deref(), phone.as_deref());
    let address = c.address.clone().unwrap_or(before.address.clone());
    set("address", before.address.as_deref(), address.as_deref());
    let note = c.note.clone().unwrap_or(before.note.clone());
    set("note", before.note.as_deref(), note.as_deref());
    if change.is_empty() {
        return Err(Error::usage_text(crate::text!("member.edit_nothing")));
    }
    w.conn().execute(
        "UPDATE members SET name = ?2, seat = ?3, phone = ?4, address = ?5, note = ?6 WHERE id = ?1",
        params![before.id, name, seat, phone, address, note],
    )?;
    w.record(
        Entity::Member,
        Some(before.id),
        Action::Edit,
        change.into(),
        &[("members", before.id)],
    )?;
    Ok(())
}

pub fn retire(w: &mut Writer, id: i64, date: &str) -> Result<()> {
    w.conn().execute(
        "UPDATE members SET retired_on = ?2 WHERE id = ?1",
        params![id, date],
    )?;
    w.record(
        Entity::Member,
        Some(id),
        Action::Retire,
        json!({"retired_on": date}),
        &[("members", id)],
    )?;
    Ok(())
}

/// Active members per seat key.
pub fn active_counts(conn: &Connection) -> Result<Vec<(String, i64)>> {
    super::query_all(
        conn,
        "SELECT seat, count(*) AS active FROM members WHERE retired_on IS NULL \
         GROUP BY seat ORDER BY seat",
        [],
        |r| Ok((r.get("seat")?, r.get("active")?)),
    )
}
