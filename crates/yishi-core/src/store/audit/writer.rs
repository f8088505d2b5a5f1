//! Writing: the transaction that records every change as an event sealing the rows it wrote.

use super::*;
use crate::domain::audit::{Action, Entity};

/// How many consecutive rows one bulk seal row covers (32 bytes of hash each).
pub(super) const SEAL_CHUNK_ROWS: usize = 1024;

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
    pub(in crate::store) fn new(
        tx: Transaction<'c>,
        actor: Actor,
        key: Option<Vec<u8>>,
    ) -> Result<Self> {
        let last: Option<(i64, String)> = tx
            .query_row(
                "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get("seq")?, r.get("hash")?)),
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

    /// Log a change of `entity` (e.g. issue 12) that wrote the given rows, sealing each row.
    pub fn record(
        &mut self,
        entity: Entity,
        entity_id: Option<i64>,
        action: Action,
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

    /// Like [`Writer::begin_bulk`], for a second bulk event logged right after the first in
    /// the same command (the rows of a table that go with the first's: an import's intake).
    pub fn begin_second_bulk(&self, table: &'static str) -> BulkSeal {
        let mut b = self.begin_bulk(table);
        b.seq += 1;
        b
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

    pub(super) fn flush_bulk(&self, b: &mut BulkSeal) -> Result<()> {
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
        entity: Entity,
        action: Action,
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
    pub(super) fn seal(&self, seq: i64, table: &str, id: i64) -> Result<Option<[u8; 32]>> {
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

    pub(super) fn append(
        &mut self,
        seq: i64,
        entity: Entity,
        entity_id: Option<i64>,
        action: Action,
        change: &str,
        seals: String,
    ) -> Result<i64> {
        let a = &self.actor;
        let fields = EventFields {
            seq,
            at: &self.at,
            actor: &a.name,
            command: &a.command,
            entity: entity.key(),
            entity_id,
            action: action.key(),
            change,
            seals: &seals,
        };
        let hash = event_hash(self.key.as_deref(), &self.last_hash, &fields);
        self.tx.execute(
            "INSERT INTO events (seq, at, actor, command, entity, entity_id, action, change, seals, prev_hash, hash) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![seq, self.at, a.name, a.command, entity.key(), entity_id, action.key(), change, seals, self.last_hash, hash],
        )?;
        self.last_seq = seq;
        self.last_hash = hash;
        Ok(seq)
    }

    pub(in crate::store) fn commit(self) -> Result<()> {
        self.tx.commit()?;
        Ok(())
    }
}
