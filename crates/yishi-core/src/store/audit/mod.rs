//! The tamper-evident audit log.
//!
//! Every change appends an *event* (time, actor, command, entity, action, the change as JSON) in
//! the same transaction as the change itself. Each event also *seals* the rows it wrote: the
//! SHA-256 of each row's full contents goes into `seals`. Events are chained: an event's hash
//! covers the previous event's hash, its own fields and the digest of its seals.
//!
//! `verify` can then tell apart: an edited or deleted event (the chain breaks), an edited seal
//! (the digest breaks), and a row edited, added or deleted behind yishi's back (its contents no
//! longer match the last seal). Which tables are checked is read from the schema, so a table
//! added by a future migration is covered without anyone remembering to list it.
//!
//! Here: the chain's head (anchors) and what the parts share; `hash` (rows, seals, events,
//! salted descriptions), `writer` (the logging write transaction), `verify` (the check) and
//! `log` (what `yishi log` shows).

use super::Actor;
use crate::error::Result;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

mod chain;
mod closed;
mod hash;
mod log;
mod verify;
mod writer;

pub use crate::domain::audit::Anchor;
pub use closed::{CONTENT_KEY, content_hash};
pub use hash::*;
pub use log::*;
pub use verify::*;
pub use writer::*;

/// The hash before the first event.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Keys whose values are personal information: the log records that they were set, not what.
const PERSONAL_KEYS: &[&str] = &["phone", "address"];

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Tables whose rows are sealed: every table but the log itself and the text index (derived
/// from `issues`, see `store::search_index`).
pub fn audited_tables(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name NOT IN ('events', 'seals') ORDER BY name",
    )?;
    let names = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .filter(|name| {
            !name.as_ref().is_ok_and(|n| {
                crate::store::search_index::is_part(n) || n == crate::store::issue_keys::TABLE
            })
        })
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(names)
}

impl Anchor {
    /// `#1204 3f9ac1d27b4490e1`: the form `verify --anchor` takes.
    pub fn short(&self) -> String {
        format!("#{} {}", self.seq, &self.hash[..self.hash.len().min(16)])
    }

    /// 记录校验码 #1204 · 3f9a c1d2 7b44 90e1: the form printed on documents.
    pub fn label(&self) -> String {
        let short = &self.hash[..self.hash.len().min(16)];
        let groups: Vec<&str> = short
            .as_bytes()
            .chunks(4)
            .filter_map(|c| std::str::from_utf8(c).ok())
            .collect();
        format!("记录校验码 #{} · {}", self.seq, groups.join(" "))
    }

    /// Parse "#1204 3f9ac1d27b4490e1", "1204 3f9a c1d2 7b44 90e1" or a document line that
    /// contains 记录校验码 #1204 · 3f9a c1d2 7b44 90e1. At least 16 hex digits are needed.
    pub fn parse(text: &str) -> Option<Anchor> {
        let start = text.find('#').map_or(0, |i| i + 1);
        let rest = &text[start..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let seq: i64 = digits.parse().ok()?;
        let hash: String = rest[digits.len()..]
            .chars()
            .skip_while(|c| !c.is_ascii_hexdigit())
            .take_while(|c| c.is_ascii_hexdigit() || *c == ' ')
            .filter(|c| *c != ' ')
            .collect::<String>()
            .to_ascii_lowercase();
        (seq > 0 && hash.len() >= 16 && hash.len() <= 64).then_some(Anchor { seq, hash })
    }
}

/// The chain head of an open database, if it has any event.
pub fn head(conn: &Connection) -> Result<Option<Anchor>> {
    Ok(conn
        .query_row(
            "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get::<_, i64>("seq")?, r.get::<_, String>("hash")?)),
        )
        .optional()?
        .map(|(seq, hash)| Anchor {
            seq,
            hash: hash.trim_start_matches(KEYED).to_string(),
        }))
}

/// The anchor of the last event that did `action` to `entity` `id`, e.g. a meeting's close:
/// the minutes of a closed meeting print it, so they stay the same after later events.
pub fn last_event(
    conn: &Connection,
    entity: crate::domain::audit::Entity,
    id: i64,
    action: crate::domain::audit::Action,
) -> Result<Option<Anchor>> {
    Ok(conn
        .query_row(
            "SELECT seq, hash FROM events WHERE entity = ?1 AND entity_id = ?2 AND action = ?3 \
             ORDER BY seq DESC LIMIT 1",
            rusqlite::params![entity.key(), id, action.key()],
            |r| Ok((r.get::<_, i64>("seq")?, r.get::<_, String>("hash")?)),
        )
        .optional()?
        .map(|(seq, hash)| Anchor {
            seq,
            hash: hash.trim_start_matches(KEYED).to_string(),
        }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231() {
        let mac = hmac_sha256(b"Jefe", &[b"what do ya want ", b"for nothing?"]);
        assert_eq!(
            hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn an_erased_change_keeps_the_digest_the_chain_covers() {
        let change = salted(&serde_json::json!({"name": "张伟", "seat": "backbone"}));
        assert!(change.starts_with(SALTED), "{change}");
        let erased = erase_change(&change, &["张伟"], "已注销成员3").unwrap();
        assert!(
            !erased.contains("张伟") && !erased.contains("seat"),
            "{erased}"
        );
        assert!(hash::is_bare_erasure(&erased), "{erased}");
        assert!(!hash::is_bare_erasure(
            &erased.replace("\"}", "\",\"tally\":1}")
        ));
        assert_eq!(committed_change(&change), committed_change(&erased));
        assert_eq!(erase_change("{\"name\":\"张伟\"}", &["张伟"], "x"), None);
        assert_eq!(shown_change(&change)["seat"], "backbone");
        assert!(shown_change(&change).get("_salt").is_none());
        let empty = salted(&serde_json::json!({}));
        assert!(serde_json::from_str::<Value>(&empty).is_ok(), "{empty}");
        let scalar = salted(&serde_json::json!(5));
        assert!(serde_json::from_str::<Value>(&scalar).is_ok(), "{scalar}");
    }

    #[test]
    fn anchors_parse_in_every_printed_form() {
        let a = Anchor {
            seq: 1204,
            hash: "3f9ac1d27b4490e1".into(),
        };
        assert_eq!(Anchor::parse("#1204 3f9ac1d27b4490e1"), Some(a.clone()));
        assert_eq!(Anchor::parse("1204 3F9A C1D2 7B44 90E1"), Some(a.clone()));
        assert_eq!(Anchor::parse(&a.label()), Some(a.clone()));
        assert_eq!(Anchor::parse(&a.short()), Some(a));
        assert_eq!(Anchor::parse("#12 3f9a"), None);
        assert_eq!(Anchor::parse("nothing"), None);
    }
}
