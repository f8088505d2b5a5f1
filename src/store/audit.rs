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
type SealRow = (i64, String, i64, Option<Vec<u8>>);
/// The last seal of a row: (row id, event, row hash).
type LastSeal = (i64, i64, Option<Vec<u8>>);

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

#[allow(clippy::too_many_arguments)]
fn event_hash(
    prev: &str,
    seq: i64,
    at: &str,
    actor: &str,
    command: &str,
    entity: &str,
    entity_id: Option<i64>,
    action: &str,
    change: &str,
    seals: &str,
) -> String {
    let canonical = serde_json::json!([
        seq, at, actor, command, entity, entity_id, action, change, seals
    ]);
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(canonical.to_string().as_bytes());
    hex(&h.finalize())
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
    at: String,
    last_seq: i64,
    last_hash: String,
}

impl<'c> Writer<'c> {
    pub(super) fn new(tx: Transaction<'c>, actor: Actor) -> Result<Self> {
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
            actor,
            at: crate::domain::date::now_utc(),
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
            &change.to_string(),
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
            &change.to_string(),
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
        let hash = event_hash(
            &self.last_hash,
            seq,
            &self.at,
            &a.name,
            &a.command,
            entity,
            entity_id,
            action,
            change,
            &seals,
        );
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
                change: serde_json::from_str(&change).unwrap_or(Value::String(change)),
            })
        },
    )?;
    let mut out = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    out.reverse();
    Ok(out)
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

/// What `verify` checked, for its summary line.
#[derive(Debug, Default, Serialize)]
pub struct Checked {
    pub events: i64,
    pub rows: i64,
    pub tables: usize,
}

/// Check the file, the chain and every audited row. Problems are returned, not raised.
pub fn verify(conn: &Connection) -> Result<(Checked, Vec<Problem>)> {
    let mut problems = Vec::new();
    let mut checked = Checked::default();

    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    for line in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let line = line?;
        if line != "ok" {
            problems.push(Problem::general(format!("SQLite integrity check: {line}")));
        }
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let fk = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in fk {
        let (table, rowid, parent) = row?;
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

    verify_chain(conn, &mut checked, &mut problems)?;
    for table in audited_tables(conn)? {
        verify_rows(conn, &table, &mut checked, &mut problems)?;
        checked.tables += 1;
    }
    Ok((checked, problems))
}

fn verify_chain(
    conn: &Connection,
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
            Some(r) => Ok(Some((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))),
            None => Ok(None),
        }
    };
    let mut pending = next_seal(&mut seal_rows)?;

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
        while let Some(s) = pending.as_ref().filter(|s| s.0 < seq) {
            problems.push(Problem {
                event: Some(s.0),
                table: Some("seals".into()),
                row_id: Some(s.2),
                message: format!(
                    "seal of {} #{} belongs to event #{}, which does not exist",
                    s.1, s.2, s.0
                ),
            });
            pending = next_seal(&mut seal_rows)?;
        }
        let mut digest = SealDigest::default();
        while let Some(s) = pending.as_ref().filter(|s| s.0 == seq) {
            digest.add(&s.1, s.2, s.3.as_deref());
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
        let hash = event_hash(
            &stored_prev,
            seq,
            &at,
            &actor,
            &command,
            &entity,
            entity_id,
            &action,
            &change,
            &seal_digest,
        );
        if hash != stored_hash {
            problems.push(Problem {
                event: Some(seq),
                table: Some("events".into()),
                row_id: Some(seq),
                message: format!("event #{seq} ({entity} {action}) was edited outside yishi: its hash does not match"),
            });
        }
        prev_hash = stored_hash;
    }
    if let Some(s) = pending {
        problems.push(Problem {
            event: Some(s.0),
            table: Some("seals".into()),
            row_id: Some(s.2),
            message: format!(
                "seal of {} #{} belongs to event #{}, which does not exist",
                s.1, s.2, s.0
            ),
        });
    }
    Ok(())
}

/// Merge the table's rows (by id) with the last seal of each row.
fn verify_rows(
    conn: &Connection,
    table: &str,
    checked: &mut Checked,
    problems: &mut Vec<Problem>,
) -> Result<()> {
    let mut current = conn.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY id"))?;
    let names: Vec<String> = current.column_names().map(String::from).collect();
    if !names.iter().any(|n| n == "id") {
        return Ok(());
    }
    let id_col = names.iter().position(|n| n == "id").unwrap_or(0);
    // Each seal row holds the hashes of one or more consecutive rows (a bulk load seals a run
    // in one row); expand them, then keep the last seal of each row.
    let mut sealed = conn.prepare("SELECT row_id, seq, hash FROM seals WHERE tbl = ?1")?;
    let mut last: Vec<LastSeal> = Vec::new();
    let mut seal_rows = sealed.query([table])?;
    while let Some(r) = seal_rows.next()? {
        let (first, seq, hash): (i64, i64, Option<Vec<u8>>) = (r.get(0)?, r.get(1)?, r.get(2)?);
        match hash {
            Some(h) if h.len() > 32 && h.len() % 32 == 0 => {
                for (i, chunk) in h.chunks_exact(32).enumerate() {
                    last.push((first + i as i64, seq, Some(chunk.to_vec())));
                }
            }
            other => last.push((first, seq, other)),
        }
    }
    last.sort_unstable_by_key(|s| (s.0, s.1));
    // Keep the last (highest event) seal of each row.
    last.dedup_by(|later, earlier| {
        if later.0 == earlier.0 {
            std::mem::swap(later, earlier);
            true
        } else {
            false
        }
    });
    let mut last_seals = last.into_iter();
    let mut seal = last_seals.next();
    let mut rows = current.query([])?;
    let next_row = |rows: &mut rusqlite::Rows| -> rusqlite::Result<Option<(i64, [u8; 32])>> {
        match rows.next()? {
            Some(r) => Ok(Some((r.get(id_col)?, row_hash(r, names.len())?))),
            None => Ok(None),
        }
    };
    let mut row = next_row(&mut rows)?;
    loop {
        match (row, &seal) {
            (None, None) => break,
            // A row with no seal at or before its id: nothing recorded it.
            (Some((id, _)), s) if s.as_ref().is_none_or(|s| id < s.0) => {
                problems.push(Problem {
                    event: None,
                    table: Some(table.into()),
                    row_id: Some(id),
                    message: format!("{table} #{id} was added outside yishi: no event records it"),
                });
                checked.rows += 1;
                row = next_row(&mut rows)?;
            }
            // A seal with no row: deleted, legitimately (NULL seal) or not.
            (r, Some(s)) if r.is_none_or(|(id, _)| id > s.0) => {
                if s.2.is_some() {
                    problems.push(Problem {
                        event: Some(s.1),
                        table: Some(table.into()),
                        row_id: Some(s.0),
                        message: format!(
                            "{table} #{} was deleted outside yishi (last recorded by event #{})",
                            s.0, s.1
                        ),
                    });
                }
                seal = last_seals.next();
            }
            (Some((id, hash)), Some(s)) => {
                match &s.2 {
                    Some(h) if h[..] == hash[..] => {}
                    Some(_) => problems.push(Problem {
                        event: Some(s.1),
                        table: Some(table.into()),
                        row_id: Some(id),
                        message: format!(
                            "{table} #{id} was changed outside yishi after event #{} recorded it",
                            s.1
                        ),
                    }),
                    None => problems.push(Problem {
                        event: Some(s.1),
                        table: Some(table.into()),
                        row_id: Some(id),
                        message: format!("{table} #{id} was deleted by event #{} but is back", s.1),
                    }),
                }
                checked.rows += 1;
                row = next_row(&mut rows)?;
                seal = last_seals.next();
            }
            // The guards above cover every (Some, None) and (None, Some) case.
            _ => break,
        }
    }
    Ok(())
}
