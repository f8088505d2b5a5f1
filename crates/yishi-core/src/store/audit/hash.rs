//! Hashing: rows, seals, events (SHA-256, or HMAC with the key), and the salted descriptions
//! that let a person be forgotten without breaking the chain.

use super::*;

/// Feed one column into a row hash: a type tag, then the value, length-prefixed so that no
/// two different rows produce the same bytes. Columns are identified by position (the hash
/// starts with the column count); names are left out because hashing them for every row of a
/// million-row import was a measurable cost.
pub(super) fn hash_value(h: &mut Sha256, v: ValueRef) {
    match v {
        ValueRef::Null => h.update([0u8]),
        ValueRef::Integer(i) => {
            h.update([1u8]);
            h.update(i.to_le_bytes());
        }
        ValueRef::Real(f) => {
            h.update([2u8]);
            h.update(f.to_bits().to_le_bytes());
        }
        ValueRef::Text(t) => {
            h.update([3u8]);
            h.update((t.len() as u64).to_le_bytes());
            h.update(t);
        }
        ValueRef::Blob(b) => {
            h.update([4u8]);
            h.update((b.len() as u64).to_le_bytes());
            h.update(b);
        }
    }
}

/// The hash of a row given as its values in table order; must equal `row_hash` of the stored
/// row, which the bulk loader relies on (and verify checks).
pub fn values_hash(values: &[ValueRef]) -> [u8; 32] {
    // Trailing NULLs are left out, so that a column added by a later migration (NULL in
    // every existing row) does not change the hash of rows sealed before it.
    let len = values
        .iter()
        .rposition(|v| *v != ValueRef::Null)
        .map_or(0, |i| i + 1);
    let mut h = Sha256::new();
    h.update((len as u32).to_le_bytes());
    for v in &values[..len] {
        hash_value(&mut h, *v);
    }
    h.finalize().into()
}

/// The hash of a row as returned by `SELECT *`.
pub(super) fn row_hash(row: &rusqlite::Row, columns: usize) -> rusqlite::Result<[u8; 32]> {
    let values = (0..columns)
        .map(|i| row.get_ref(i))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(values_hash(&values))
}

pub(super) fn select_row_sql(table: &str) -> String {
    format!("SELECT * FROM \"{table}\" WHERE id = ?1")
}

/// Accumulates the digest of one event's seals in (table, row id) order.
#[derive(Default)]
pub(super) struct SealDigest(Sha256);

impl SealDigest {
    pub(super) fn add(&mut self, table: &str, row_id: i64, hash: Option<&[u8]>) {
        self.0.update((table.len() as u32).to_le_bytes());
        self.0.update(table.as_bytes());
        self.0.update(row_id.to_le_bytes());
        match hash {
            Some(h) => {
                self.0.update([1u8]);
                self.0.update(h);
            }
            None => self.0.update([0u8]),
        }
    }
    pub(super) fn finish(self) -> String {
        hex(&self.0.finalize())
    }
}

/// The fields of an event that its hash covers.
pub(super) struct EventFields<'a> {
    pub(super) seq: i64,
    pub(super) at: &'a str,
    pub(super) actor: &'a str,
    pub(super) command: &'a str,
    pub(super) entity: &'a str,
    pub(super) entity_id: Option<i64>,
    pub(super) action: &'a str,
    pub(super) change: &'a str,
    pub(super) seals: &'a str,
}

/// How an event's description starts when the chain covers only its digest: it carries a
/// random salt, so the digest reveals nothing, and forgetting a person can replace the text
/// (see [`erase_change`]) without breaking the chain.
pub(super) const SALTED: &str = "{\"_salt\":\"";
/// How an erased description starts: the digest of the text it replaced.
pub(super) const ERASED: &str = "{\"_erased\":\"";

/// What the chain covers of a change: "sha256:<digest>" for a salted or erased change, or
/// None for an event written before salting (the text itself is covered).
pub(super) fn committed_change(change: &str) -> Option<String> {
    if change.starts_with(SALTED) {
        Some(format!(
            "sha256:{}",
            hex(&Sha256::digest(change.as_bytes()))
        ))
    } else if let Some(rest) = change.strip_prefix(ERASED) {
        let digest: String = rest.chars().take_while(char::is_ascii_hexdigit).collect();
        Some(format!("sha256:{digest}"))
    } else {
        None
    }
}

/// A change as stored: the JSON object with a random salt first.
pub(super) fn salted(change: &Value) -> String {
    let body = match change {
        Value::Object(map) if map.is_empty() => String::new(),
        Value::Object(_) => change.to_string()[1..].to_string(),
        other => format!("\"value\":{other}}}"),
    };
    let body = if body.is_empty() {
        "}".to_string()
    } else {
        format!(",{body}")
    };
    format!("{SALTED}{}\"{body}", hex(&random_salt()))
}

/// 16 random bytes from the operating system; the clock and process id if that fails (the
/// salt then only hides the text less well, the chain is as sound).
pub(super) fn random_salt() -> [u8; 16] {
    use std::io::Read;
    let mut salt = [0u8; 16];
    let ok = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut salt))
        .is_ok();
    if !ok {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let h = Sha256::digest(format!("{nanos}:{}", std::process::id()));
        salt.copy_from_slice(&h[..16]);
    }
    salt
}

/// The text that replaces a salted change when a person is forgotten: exactly the erasure
/// marker and the digest the chain covers, nothing else. The chain cannot vouch for any other
/// text in an erased description (issue 27: a forged tally shown as "forgotten" passed), so
/// none may be there; `verify` holds every erased description to this form ([`is_bare_erasure`]).
/// None when the change was written before salting and cannot be replaced without breaking
/// the chain.
pub fn erase_change(change: &str, _names: &[&str], _pseudonym: &str) -> Option<String> {
    let digest = committed_change(change)?;
    Some(format!(
        "{ERASED}{}\"}}",
        digest.trim_start_matches("sha256:")
    ))
}

/// Whether an erased description is the marker and a SHA-256 digest, and nothing more.
pub(super) fn is_bare_erasure(change: &str) -> bool {
    change
        .strip_prefix(ERASED)
        .and_then(|rest| rest.strip_suffix("\"}"))
        .is_some_and(|d| d.len() == 64 && d.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

/// Marks the hash of an event sealed with the key (an HMAC instead of a plain hash).
pub(super) const KEYED: &str = "k";

/// An event's hash: SHA-256 of the previous hash and the event's fields, or, with a key,
/// HMAC-SHA-256 under that key (marked "k"), which nobody without the key can recompute.
pub(super) fn event_hash(key: Option<&[u8]>, prev: &str, e: &EventFields) -> String {
    let change = committed_change(e.change);
    let canonical = serde_json::json!([
        e.seq,
        e.at,
        e.actor,
        e.command,
        e.entity,
        e.entity_id,
        e.action,
        change.as_deref().unwrap_or(e.change),
        e.seals
    ])
    .to_string();
    let parts: [&[u8]; 3] = [prev.as_bytes(), b"\n", canonical.as_bytes()];
    match key {
        None => {
            let mut h = Sha256::new();
            parts.iter().for_each(|p| h.update(p));
            hex(&h.finalize())
        }
        Some(key) => format!("{KEYED}{}", hex(&hmac_sha256(key, &parts))),
    }
}

/// HMAC-SHA-256 (RFC 2104), small enough not to need another crate.
pub(super) fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(block.map(|b| b ^ 0x36));
    parts.iter().for_each(|p| inner.update(p));
    let mut outer = Sha256::new();
    outer.update(block.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// Replace personal values in a change description by a marker.
pub(super) fn redact(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if PERSONAL_KEYS.contains(&k.as_str()) && !val.is_null() {
                    *val = Value::String("(personal, not logged)".into());
                } else {
                    redact(val);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}
