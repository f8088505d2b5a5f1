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

use super::Actor;
use crate::error::Result;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// A seal as read back: (event, table, row id, row hash or None when deleted).
/// One row of `seals`: which event sealed which row, and the row's hash (none: deleted).
struct SealRow {
    seq: i64,
    table: String,
    row_id: i64,
    hash: Option<Vec<u8>>,
}

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

/// Tables whose rows are sealed: every table but the log itself.
pub fn audited_tables(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name NOT IN ('events', 'seals') ORDER BY name",
    )?;
    let names = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(names)
}

/// Feed one column into a row hash: a type tag, then the value, length-prefixed so that no
/// two different rows produce the same bytes. Columns are identified by position (the hash
/// starts with the column count); names are left out because hashing them for every row of a
/// million-row import was a measurable cost.
fn hash_value(h: &mut Sha256, v: ValueRef) {
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
fn row_hash(row: &rusqlite::Row, columns: usize) -> rusqlite::Result<[u8; 32]> {
    let values = (0..columns)
        .map(|i| row.get_ref(i))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(values_hash(&values))
}

fn select_row_sql(table: &str) -> String {
    format!("SELECT * FROM \"{table}\" WHERE id = ?1")
}

/// Accumulates the digest of one event's seals in (table, row id) order.
#[derive(Default)]
struct SealDigest(Sha256);

impl SealDigest {
    fn add(&mut self, table: &str, row_id: i64, hash: Option<&[u8]>) {
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
    fn finish(self) -> String {
        hex(&self.0.finalize())
    }
}

/// The fields of an event that its hash covers.
struct EventFields<'a> {
    seq: i64,
    at: &'a str,
    actor: &'a str,
    command: &'a str,
    entity: &'a str,
    entity_id: Option<i64>,
    action: &'a str,
    change: &'a str,
    seals: &'a str,
}

/// How an event's description starts when the chain covers only its digest: it carries a
/// random salt, so the digest reveals nothing, and forgetting a person can replace the text
/// (see [`erase_change`]) without breaking the chain.
const SALTED: &str = "{\"_salt\":\"";
/// How an erased description starts: the digest of the text it replaced.
const ERASED: &str = "{\"_erased\":\"";

/// What the chain covers of a change: "sha256:<digest>" for a salted or erased change, or
/// None for an event written before salting (the text itself is covered).
fn committed_change(change: &str) -> Option<String> {
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
fn salted(change: &Value) -> String {
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
fn random_salt() -> [u8; 16] {
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

/// The text that replaces a salted change when a person is forgotten: the digest the chain
/// covers, then the change with every occurrence of the person replaced by the pseudonym (so
/// `yishi log` still says what happened). Only the digest is checked from then on. None when
/// the change was written before salting and cannot be replaced without breaking the chain.
pub fn erase_change(change: &str, names: &[&str], pseudonym: &str) -> Option<String> {
    let digest = committed_change(change)?;
    let digest = digest.trim_start_matches("sha256:");
    let mut value: Value = serde_json::from_str(change).ok()?;
    if let Value::Object(map) = &mut value {
        map.remove("_salt");
        map.remove("_erased");
    }
    let mut text = value.to_string();
    for n in names.iter().filter(|n| !n.is_empty()) {
        text = text.replace(n, pseudonym);
    }
    let rest = if text == "{}" {
        "}".to_string()
    } else {
        format!(",{}", &text[1..])
    };
    Some(format!("{ERASED}{digest}\"{rest}"))
}

/// Marks the hash of an event sealed with the key (an HMAC instead of a plain hash).
const KEYED: &str = "k";

/// An event's hash: SHA-256 of the previous hash and the event's fields, or, with a key,
/// HMAC-SHA-256 under that key (marked "k"), which nobody without the key can recompute.
fn event_hash(key: Option<&[u8]>, prev: &str, e: &EventFields) -> String {
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
fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
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
fn redact(v: &mut Value) {
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

/// How many consecutive rows one bulk seal row covers (32 bytes of hash each).
const SEAL_CHUNK_ROWS: usize = 1024;

/// Row hashes of a bulk load waiting to be written as seals.
pub struct BulkSeal {
    seq: i64,
    table: &'static str,
    first_id: i64,
    hashes: Vec<u8>,
    digest: SealDigest,
}

/// A write transaction that logs what it changes. Obtained from `Store::write`.
pub struct Writer<'c> {
    tx: Transaction<'c>,
    actor: Actor,
    key: Option<Vec<u8>>,
    at: String,
    last_seq: i64,
    last_hash: String,
}

impl<'c> Writer<'c> {
    pub(super) fn new(tx: Transaction<'c>, actor: Actor, key: Option<Vec<u8>>) -> Result<Self> {
        let last: Option<(i64, String)> = tx
            .query_row(
                "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (last_seq, last_hash) = last.unwrap_or((0, GENESIS.to_string()));
        Ok(Writer {
            tx,
            at: actor.at.clone(),
            actor,
            key,
            last_seq,
            last_hash,
        })
    }

    pub fn conn(&self) -> &Connection {
        &self.tx
    }

    pub fn actor(&self) -> &str {
        &self.actor.name
    }

    /// The time of this command, UTC, RFC 3339; one value for all it writes.
    pub fn now(&self) -> &str {
        &self.at
    }

    /// Log a change of `entity` (e.g. "issue", 12) that wrote the given rows, sealing each row.
    pub fn record(
        &mut self,
        entity: &str,
        entity_id: Option<i64>,
        action: &str,
        mut change: Value,
        rows: &[(&str, i64)],
    ) -> Result<i64> {
        let seq = self.last_seq + 1;
        let mut rows = rows.to_vec();
        rows.sort_unstable();
        rows.dedup();
        let mut digest = SealDigest::default();
        for (table, id) in rows {
            let hash = self.seal(seq, table, id)?;
            digest.add(table, id, hash.as_ref().map(|h| &h[..]));
        }
        redact(&mut change);
        self.append(
            seq,
            entity,
            entity_id,
            action,
            &salted(&change),
            digest.finish(),
        )
    }

    /// Start sealing a bulk load into `table`; feed it each row's hash in ascending id order
    /// with [`Writer::bulk_seal_row`], then log it with [`Writer::finish_bulk`].
    pub fn begin_bulk(&self, table: &'static str) -> BulkSeal {
        BulkSeal {
            seq: self.last_seq + 1,
            table,
            first_id: 0,
            hashes: Vec::with_capacity(SEAL_CHUNK_ROWS * 32),
            digest: SealDigest::default(),
        }
    }

    /// Add one row's hash; a full or broken run of ids is written as one seal row.
    pub fn bulk_seal_row(&self, b: &mut BulkSeal, id: i64, hash: &[u8; 32]) -> Result<()> {
        let run = (b.hashes.len() / 32) as i64;
        if run > 0 && (id != b.first_id + run || run as usize >= SEAL_CHUNK_ROWS) {
            self.flush_bulk(b)?;
        }
        if b.hashes.is_empty() {
            b.first_id = id;
        }
        b.hashes.extend_from_slice(hash);
        Ok(())
    }

    fn flush_bulk(&self, b: &mut BulkSeal) -> Result<()> {
        if b.hashes.is_empty() {
            return Ok(());
        }
        let mut insert = self
            .tx
            .prepare_cached("INSERT INTO seals (seq, tbl, row_id, hash) VALUES (?1, ?2, ?3, ?4)")?;
        insert.execute(params![b.seq, b.table, b.first_id, &b.hashes[..]])?;
        b.digest.add(b.table, b.first_id, Some(&b.hashes));
        b.hashes.clear();
        Ok(())
    }

    /// Log the bulk change as one event covering every sealed row.
    pub fn finish_bulk(
        &mut self,
        mut b: BulkSeal,
        entity: &str,
        action: &str,
        mut change: Value,
    ) -> Result<i64> {
        self.flush_bulk(&mut b)?;
        redact(&mut change);
        self.append(
            b.seq,
            entity,
            None,
            action,
            &salted(&change),
            b.digest.finish(),
        )
    }

    /// Seal one row (None when it no longer exists).
    fn seal(&self, seq: i64, table: &str, id: i64) -> Result<Option<[u8; 32]>> {
        let mut select = self.tx.prepare_cached(&select_row_sql(table))?;
        let columns = select.column_count();
        let hash = select
            .query_row([id], |r| row_hash(r, columns))
            .optional()?;
        self.tx.execute(
            "INSERT INTO seals (seq, tbl, row_id, hash) VALUES (?1, ?2, ?3, ?4)",
            params![seq, table, id, hash.as_ref().map(|h| &h[..])],
        )?;
        Ok(hash)
    }

    fn append(
        &mut self,
        seq: i64,
        entity: &str,
        entity_id: Option<i64>,
        action: &str,
        change: &str,
        seals: String,
    ) -> Result<i64> {
        let a = &self.actor;
        let fields = EventFields {
            seq,
            at: &self.at,
            actor: &a.name,
            command: &a.command,
            entity,
            entity_id,
            action,
            change,
            seals: &seals,
        };
        let hash = event_hash(self.key.as_deref(), &self.last_hash, &fields);
        self.tx.execute(
            "INSERT INTO events (seq, at, actor, command, entity, entity_id, action, change, seals, prev_hash, hash) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![seq, self.at, a.name, a.command, entity, entity_id, action, change, seals, self.last_hash, hash],
        )?;
        self.last_seq = seq;
        self.last_hash = hash;
        Ok(seq)
    }

    pub(super) fn commit(self) -> Result<()> {
        self.tx.commit()?;
        Ok(())
    }
}

/// One event as shown by `yishi log`.
#[derive(Debug, Serialize)]
pub struct Event {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub command: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub action: String,
    pub change: Value,
}

/// Filters for `yishi log`.
#[derive(Debug, Default)]
pub struct LogFilter {
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub since: Option<String>,
    pub limit: Option<u32>,
    /// Changes of one meeting: the meeting itself and its motions.
    pub meeting: Option<i64>,
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
        params![f.entity, f.entity_id, f.since, limit, f.meeting],
        |r| {
            let change: String = r.get(7)?;
            Ok(Event {
                seq: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                command: r.get(3)?,
                entity: r.get(4)?,
                entity_id: r.get(5)?,
                action: r.get(6)?,
                change: shown_change(&change),
            })
        },
    )?;
    let mut out = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    out.reverse();
    Ok(out)
}

/// A change as `yishi log` shows it: without the salt; an erased one marked as such.
fn shown_change(change: &str) -> Value {
    let mut v: Value = serde_json::from_str(change).unwrap_or(Value::String(change.into()));
    if let Value::Object(map) = &mut v {
        map.remove("_salt");
        if map.remove("_erased").is_some() {
            map.insert("forgotten".into(), Value::Bool(true));
        }
    }
    v
}

/// A problem found by `verify`.
#[derive(Debug, Serialize)]
pub struct Problem {
    /// The event the problem concerns, where one is known.
    pub event: Option<i64>,
    pub table: Option<String>,
    pub row_id: Option<i64>,
    pub message: String,
}

impl Problem {
    fn general(message: String) -> Self {
        Problem {
            event: None,
            table: None,
            row_id: None,
            message,
        }
    }
}

/// The last event of the chain: written on minutes, notices and backups, and given back to
/// `verify --anchor`, it proves later that the chain still passes through that point.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    /// The event's hash (without the key marker).
    pub hash: String,
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
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
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
    entity: &str,
    id: i64,
    action: &str,
) -> Result<Option<Anchor>> {
    Ok(conn
        .query_row(
            "SELECT seq, hash FROM events WHERE entity = ?1 AND entity_id = ?2 AND action = ?3 \
             ORDER BY seq DESC LIMIT 1",
            rusqlite::params![entity, id, action],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?
        .map(|(seq, hash)| Anchor {
            seq,
            hash: hash.trim_start_matches(KEYED).to_string(),
        }))
}

/// What `verify` checked, for its summary line.
#[derive(Debug, Default, Serialize)]
pub struct Checked {
    pub events: i64,
    pub rows: i64,
    pub tables: usize,
    /// Schema objects compared with yishi's own schema.
    pub schema_objects: usize,
    /// Events sealed with the key (an HMAC); 0 when no key is used.
    pub keyed_events: i64,
    /// Whether a key was given to check keyed events.
    pub key_given: bool,
    pub anchors: usize,
    pub head: Option<Anchor>,
}

/// What verify is told besides the file: anchors kept elsewhere, and the key.
#[derive(Debug, Default)]
pub struct Expect<'a> {
    pub anchors: &'a [Anchor],
    pub key: Option<&'a [u8]>,
}

/// A read error while checking: the file is damaged or not what it claims to be. It becomes a
/// finding (exit 1); only a busy database or a failing disk is raised as an error.
fn damaged(stage: &str, e: crate::error::Error) -> Result<Problem> {
    use crate::error::Kind;
    match e.kind {
        Kind::Busy | Kind::Io | Kind::BrokenPipe => Err(e),
        _ => Ok(Problem::general(format!(
            "cannot read {stage}: the file is damaged or was changed outside yishi ({})",
            e.message
        ))),
    }
}

/// Check the whole file in one read snapshot: its schema against yishi's schema of its version,
/// SQLite's integrity, foreign keys, the chain (and anchors and key), and every row of every
/// table against its last seal. Problems are returned, not raised. Memory stays constant:
/// rows and seals are streamed in id order.
pub fn verify(conn: &Connection, version: i64, expect: &Expect) -> Result<(Checked, Vec<Problem>)> {
    let mut problems = Vec::new();
    let mut checked = Checked {
        key_given: expect.key.is_some(),
        anchors: expect.anchors.len(),
        ..Default::default()
    };
    // One snapshot: a writer that commits meanwhile is not half seen.
    conn.execute_batch("BEGIN")?;
    let result = (|| -> Result<()> {
        match super::schema_check::check(conn, version) {
            Ok(p) => problems.extend(p),
            Err(e) => problems.push(damaged("the schema", e)?),
        }
        checked.schema_objects = super::schema_check::expected(version)?.len();
        if let Err(e) = integrity(conn, &mut problems) {
            problems.push(damaged("the file's structure", e)?);
        }
        // Rows are checked against the seals of the log the chain check read: in one snapshot
        // that is every seal; a seal of a later event would be one the chain never verified.
        let log_ends_at = match verify_chain(conn, expect, &mut checked, &mut problems) {
            Ok(()) => checked.head.as_ref().map_or(0, |h| h.seq),
            Err(e) => {
                problems.push(damaged("the audit log", e)?);
                i64::MAX
            }
        };
        for table in super::schema_check::expected_tables(version)? {
            if let Err(e) = verify_rows(conn, &table, log_ends_at, &mut checked, &mut problems) {
                problems.push(damaged(&format!("table {table}"), e)?);
            }
            checked.tables += 1;
        }
        match super::invariants::check(conn) {
            Ok(p) => problems.extend(p),
            Err(e) => problems.push(damaged("the council records", e)?),
        }
        Ok(())
    })();
    let _ = conn.execute_batch("COMMIT");
    result?;
    Ok((checked, problems))
}

fn integrity(conn: &Connection, problems: &mut Vec<Problem>) -> Result<()> {
    let mut stmt = conn.prepare("PRAGMA integrity_check(50)")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let line = text_of(r.get_ref(0)?);
        if line != "ok" {
            problems.push(Problem::general(format!("SQLite integrity check: {line}")));
        }
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let table = text_of(r.get_ref(0)?);
        let rowid: Option<i64> = r.get(1).ok().flatten();
        let parent = text_of(r.get_ref(2)?);
        problems.push(Problem {
            event: None,
            table: Some(table.clone()),
            row_id: rowid,
            message: format!(
                "{table} #{} refers to a missing row in {parent}",
                rowid.unwrap_or(0)
            ),
        });
    }
    Ok(())
}

/// Any stored value as display text (bytes that are not UTF-8 are shown, not trusted).
fn text_of(v: ValueRef) -> String {
    match v {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => f.to_string(),
        ValueRef::Text(t) | ValueRef::Blob(t) => crate::render::clean(&String::from_utf8_lossy(t)),
    }
}

fn verify_chain(
    conn: &Connection,
    expect: &Expect,
    checked: &mut Checked,
    problems: &mut Vec<Problem>,
) -> Result<()> {
    let mut events = conn.prepare(
        "SELECT seq, at, actor, command, entity, entity_id, action, change, seals, prev_hash, hash FROM events ORDER BY seq",
    )?;
    let mut seals =
        conn.prepare("SELECT seq, tbl, row_id, hash FROM seals ORDER BY seq, tbl, row_id")?;
    let mut seal_rows = seals.query([])?;
    let next_seal = |rows: &mut rusqlite::Rows| -> rusqlite::Result<Option<SealRow>> {
        match rows.next()? {
            Some(r) => Ok(Some(SealRow {
                seq: r.get(0)?,
                table: r.get(1)?,
                row_id: r.get(2)?,
                hash: r.get(3)?,
            })),
            None => Ok(None),
        }
    };
    let mut pending = next_seal(&mut seal_rows)?;
    let mut anchors_met = vec![false; expect.anchors.len()];
    let mut unkeyed_after_key: Vec<i64> = Vec::new();

    let mut prev_hash = GENESIS.to_string();
    let mut expected_seq = 1;
    let mut rows = events.query([])?;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let (at, actor, command, entity): (String, String, String, String) =
            (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        let entity_id: Option<i64> = r.get(5)?;
        let (action, change, seal_digest, stored_prev, stored_hash): (
            String,
            String,
            String,
            String,
            String,
        ) = (r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?);
        checked.events += 1;
        if seq != expected_seq {
            problems.push(Problem {
                event: Some(expected_seq),
                table: Some("events".into()),
                row_id: Some(expected_seq),
                message: format!(
                    "events #{expected_seq}{} missing: deleted outside yishi",
                    if seq > expected_seq + 1 {
                        format!("–#{}", seq - 1)
                    } else {
                        String::new()
                    }
                ),
            });
        }
        expected_seq = seq + 1;
        if stored_prev != prev_hash {
            problems.push(Problem {
                event: Some(seq),
                table: Some("events".into()),
                row_id: Some(seq),
                message: format!(
                    "event #{seq} does not follow the event before it (the chain is broken)"
                ),
            });
        }
        // Seals of events that no longer exist.
        while let Some(s) = pending.as_ref().filter(|s| s.seq < seq) {
            problems.push(Problem {
                event: Some(s.seq),
                table: Some("seals".into()),
                row_id: Some(s.row_id),
                message: format!(
                    "seal of {} #{} belongs to event #{}, which does not exist",
                    s.table, s.row_id, s.seq
                ),
            });
            pending = next_seal(&mut seal_rows)?;
        }
        let mut digest = SealDigest::default();
        while let Some(s) = pending.as_ref().filter(|s| s.seq == seq) {
            digest.add(&s.table, s.row_id, s.hash.as_deref());
            pending = next_seal(&mut seal_rows)?;
        }
        if digest.finish() != seal_digest {
            problems.push(Problem {
                event: Some(seq),
                table: Some("seals".into()),
                row_id: None,
                message: format!("the row seals of event #{seq} were changed outside yishi"),
            });
        }
        let keyed = stored_hash.starts_with(KEYED);
        if keyed {
            checked.keyed_events += 1;
        } else if checked.keyed_events > 0 && expect.key.is_some() {
            unkeyed_after_key.push(seq);
        }
        // A keyed event can only be checked with the key; without it, the chain links and the
        // row seals are still checked.
        let key = if keyed { expect.key } else { None };
        if !keyed || key.is_some() {
            let fields = EventFields {
                seq,
                at: &at,
                actor: &actor,
                command: &command,
                entity: &entity,
                entity_id,
                action: &action,
                change: &change,
                seals: &seal_digest,
            };
            if event_hash(key, &stored_prev, &fields) != stored_hash {
                problems.push(Problem {
                    event: Some(seq),
                    table: Some("events".into()),
                    row_id: Some(seq),
                    message: if keyed {
                        format!("event #{seq} ({entity} {action}) does not match the key: it was edited outside yishi, or the key is not this database's")
                    } else {
                        format!("event #{seq} ({entity} {action}) was edited outside yishi: its hash does not match")
                    },
                });
            }
        }
        let bare = stored_hash.trim_start_matches(KEYED);
        for (i, a) in expect.anchors.iter().enumerate() {
            if a.seq == seq {
                anchors_met[i] = true;
                if !bare.starts_with(&a.hash) {
                    problems.push(Problem {
                        event: Some(seq),
                        table: Some("events".into()),
                        row_id: Some(seq),
                        message: format!(
                            "event #{seq} does not match the anchor {}: the log was rewritten at or before #{seq}",
                            a.short()
                        ),
                    });
                }
            }
        }
        checked.head = Some(Anchor {
            seq,
            hash: bare.to_string(),
        });
        prev_hash = stored_hash;
    }
    if let Some(s) = pending {
        problems.push(Problem {
            event: Some(s.seq),
            table: Some("seals".into()),
            row_id: Some(s.row_id),
            message: format!(
                "seal of {} #{} belongs to event #{}, which does not exist",
                s.table, s.row_id, s.seq
            ),
        });
    }
    let last = checked.head.as_ref().map_or(0, |h| h.seq);
    for (a, met) in expect.anchors.iter().zip(anchors_met) {
        if !met {
            problems.push(Problem {
                event: Some(a.seq),
                table: Some("events".into()),
                row_id: Some(a.seq),
                message: if a.seq > last {
                    format!(
                        "the log ends at event #{last}, before the anchor {}: later events were removed (or the anchor is from another database)",
                        a.short()
                    )
                } else {
                    format!("event #{} of the anchor {} is missing", a.seq, a.short())
                },
            });
        }
    }
    if expect.key.is_some() {
        if checked.keyed_events == 0 && checked.events > 0 {
            problems.push(Problem::general(
                "a key was given, but no event is sealed with a key: the log was written without it, or recomputed without it".into(),
            ));
        }
        if let (Some(first), Some(last)) = (unkeyed_after_key.first(), unkeyed_after_key.last()) {
            problems.push(Problem {
                event: Some(*first),
                table: Some("events".into()),
                row_id: Some(*first),
                message: format!(
                    "{} event(s) after the first keyed event are not sealed with the key (#{first}–#{last}): written or rewritten without the key",
                    unkeyed_after_key.len()
                ),
            });
        }
    }
    Ok(())
}

/// A run of consecutive rows sealed by one seal row (one row for a single seal; a bulk load
/// seals up to 1,024 rows in one).
struct Run {
    first: i64,
    seq: i64,
    /// 32 bytes per row, or None when the seal records a deletion.
    hashes: Option<Vec<u8>>,
}

impl Run {
    fn len(&self) -> i64 {
        match &self.hashes {
            Some(h) if h.len() > 32 && h.len() % 32 == 0 => (h.len() / 32) as i64,
            _ => 1,
        }
    }
    fn end(&self) -> i64 {
        self.first.saturating_add(self.len())
    }
    /// The seal of row `id` (inside the run): Some(hash) or None for a deletion.
    fn hash_of(&self, id: i64) -> Option<&[u8]> {
        let h = self.hashes.as_deref()?;
        if h.len() > 32 && h.len() % 32 == 0 {
            let i = (id - self.first) as usize * 32;
            h.get(i..i + 32)
        } else {
            Some(h)
        }
    }
}

/// Merge the table's rows (in id order) with the last seal of each row, streaming both.
fn verify_rows(
    conn: &Connection,
    table: &str,
    log_ends_at: i64,
    checked: &mut Checked,
    problems: &mut Vec<Problem>,
) -> Result<()> {
    let exists: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
        [table],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(()); // reported by the schema check
    }
    // `id` first, then every column as the seal saw it; columns are used by position only,
    // so a column whose name is not UTF-8 cannot trip anything.
    let mut current = conn.prepare(&format!("SELECT id, * FROM \"{table}\" ORDER BY id"))?;
    let columns = current.column_count().saturating_sub(1);
    let mut sealed = conn.prepare(
        "SELECT row_id, seq, hash FROM seals WHERE tbl = ?1 AND seq <= ?2 ORDER BY row_id, seq",
    )?;
    let mut seal_rows = sealed.query(rusqlite::params![table, log_ends_at])?;
    let next_run = |rows: &mut rusqlite::Rows| -> rusqlite::Result<Option<Run>> {
        match rows.next()? {
            Some(r) => Ok(Some(Run {
                first: r.get(0)?,
                seq: r.get(1)?,
                hashes: r.get(2)?,
            })),
            None => Ok(None),
        }
    };
    let mut upcoming = next_run(&mut seal_rows)?;
    let mut active: Vec<Run> = Vec::new();

    let mut rows = current.query([])?;
    let next_row = |rows: &mut rusqlite::Rows| -> rusqlite::Result<Option<(i64, [u8; 32])>> {
        match rows.next()? {
            Some(r) => {
                let values = (1..=columns)
                    .map(|i| r.get_ref(i))
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(Some((r.get(0)?, values_hash(&values))))
            }
            None => Ok(None),
        }
    };
    let mut row = next_row(&mut rows)?;
    // Every id below `done` has been compared.
    let mut done = i64::MIN;
    loop {
        active.retain(|run| run.end() > done);
        let from_active = active.iter().map(|run| run.first.max(done)).min();
        let from_upcoming = upcoming.as_ref().map(|run| run.first.max(done));
        let from_row = row.as_ref().map(|r| r.0);
        let Some(id) = [from_active, from_upcoming, from_row]
            .into_iter()
            .flatten()
            .min()
        else {
            break;
        };
        while let Some(run) = upcoming.take_if(|run| run.first <= id) {
            active.push(run);
            upcoming = next_run(&mut seal_rows)?;
        }
        // The last seal of this id: the covering run with the highest event.
        let last = active
            .iter()
            .filter(|run| run.first <= id && id < run.end())
            .max_by_key(|run| run.seq);
        let this_row = row.filter(|r| r.0 == id);
        match (this_row, last) {
            (Some(_), None) => problems.push(Problem {
                event: None,
                table: Some(table.into()),
                row_id: Some(id),
                message: format!("{table} #{id} was added outside yishi: no event records it"),
            }),
            (None, Some(run)) => {
                if run.hash_of(id).is_some() {
                    problems.push(Problem {
                        event: Some(run.seq),
                        table: Some(table.into()),
                        row_id: Some(id),
                        message: format!(
                            "{table} #{id} was deleted outside yishi (last recorded by event #{})",
                            run.seq
                        ),
                    });
                }
            }
            (Some((_, hash)), Some(run)) => match run.hash_of(id) {
                Some(h) if h == hash => {}
                Some(_) => problems.push(Problem {
                    event: Some(run.seq),
                    table: Some(table.into()),
                    row_id: Some(id),
                    message: format!(
                        "{table} #{id} was changed outside yishi after event #{} recorded it",
                        run.seq
                    ),
                }),
                None => problems.push(Problem {
                    event: Some(run.seq),
                    table: Some(table.into()),
                    row_id: Some(id),
                    message: format!(
                        "{table} #{id} was deleted by event #{} but is back",
                        run.seq
                    ),
                }),
            },
            (None, None) => {}
        }
        if this_row.is_some() {
            checked.rows += 1;
            row = next_row(&mut rows)?;
        }
        if id == i64::MAX {
            break;
        }
        done = id + 1;
    }
    Ok(())
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
            !erased.contains("张伟") && erased.contains("已注销成员3"),
            "{erased}"
        );
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
