//! The log as `yishi log` shows it.

use super::*;
pub use crate::domain::audit::LogFilter;
use crate::domain::audit::{Action, Entity};
use crate::store::codes::decode;

/// One event as shown by `yishi log`.
#[derive(Debug, Serialize)]
pub struct Event {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub command: String,
    pub entity: Entity,
    pub entity_id: Option<i64>,
    pub action: Action,
    pub change: Value,
}

pub fn events(conn: &Connection, f: &LogFilter) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, command, entity, entity_id, action, change FROM events \
         WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2) AND (?3 IS NULL OR at >= ?3) \
         AND (?5 IS NULL OR (entity = 'meeting' AND entity_id = ?5) \
              OR (entity = 'motion' AND entity_id IN (SELECT id FROM motions WHERE meeting_id = ?5))) \
         ORDER BY seq DESC LIMIT ?4",
    )?;
    let limit = f.limit.map(i64::from).unwrap_or(-1);
    let rows = stmt.query_map(
        params![
            f.entity.map(Entity::key),
            f.entity_id,
            f.since,
            limit,
            f.meeting
        ],
        |r| {
            let seq: i64 = r.get("seq")?;
            let change: String = r.get("change")?;
            Ok(Event {
                seq,
                at: r.get("at")?,
                actor: r.get("actor")?,
                command: r.get("command")?,
                entity: decode(r, "entity", "events", "entity", seq)?,
                entity_id: r.get("entity_id")?,
                action: decode(r, "action", "events", "action", seq)?,
                change: shown_change(&change),
            })
        },
    )?;
    let mut out = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    out.reverse();
    Ok(out)
}

/// A change as `yishi log` shows it: without the salt; an erased one marked as such.
pub(super) fn shown_change(change: &str) -> Value {
    let mut v: Value = serde_json::from_str(change).unwrap_or(Value::String(change.into()));
    if let Value::Object(map) = &mut v {
        map.remove("_salt");
        if map.remove("_erased").is_some() {
            map.insert("forgotten".into(), Value::Bool(true));
        }
    }
    v
}
