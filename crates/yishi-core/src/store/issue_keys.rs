//! The keys of the stored issues, packed: what an import compares its rows with (schema v20).
//!
//! An import needs the key of every stored issue (`issues.fingerprint`: written when the issue
//! is stored, never changed) before its first row. Read from `issues`, that is every row of
//! the table, most of an import of a few thousand rows into a large database (0.19 s of
//! 0.42 s for 5,000 rows into a million issues, measured). Here they are packed, 10 bytes an
//! issue in a row per block of 16,384 ids, and read in a few milliseconds. A block covers
//! its issues up to its `last`; the issues stored after the last block was written (typed
//! one by one since the last import) are read from the table. Each import writes the blocks
//! again from the first one it changed ([`refresh`]); `issue reindex` writes them all.
//!
//! Derived data like the text index: not sealed, compared with the issues by `verify`
//! ([`check`]). It must be exact: a key missing would let a row imported again be added twice,
//! and a wrong one would match a row with another issue. Blocks that are not as [`refresh`]
//! writes them are not used (the import reads the table, as without them) and `verify` names
//! them; ids outside 1..2^31 (written outside yishi) leave the table empty.

use crate::i18n::Text;
use rusqlite::{Connection, params};

/// The table.
pub const TABLE: &str = "issue_keys";

/// The table as schema v20 creates it (`migrations/v20_issue_keys.sql`).
pub(crate) const CREATE: &str = "CREATE TABLE issue_keys (block INTEGER PRIMARY KEY, last INTEGER NOT NULL, keys BLOB NOT NULL, digest INTEGER NOT NULL)";

/// Issue ids a block holds: 2^14, as the text index's blocks.
const BLOCK_BITS: u32 = 14;

/// Bytes of one issue in a block: its id's low 16 bits (little-endian), then its key (8
/// bytes, little-endian).
const ENTRY: usize = 10;

/// The highest id the blocks cover: 2^31 − 1, the highest an import's set of keys tags with
/// its issue (`store::issues::bulk`), so that every match found through the blocks is
/// confirmed on the stored issue. Beyond it (ids only ever written outside yishi, which
/// numbers issues from 1, one by one) the table is left empty and imports read `issues`.
const HIGHEST_ID: i64 = (1 << 31) - 1;

fn block_of(id: i64) -> i64 {
    id >> BLOCK_BITS
}

fn first_of(block: i64) -> i64 {
    block << BLOCK_BITS
}

fn end_of(block: i64) -> i64 {
    first_of(block) + (1 << BLOCK_BITS) - 1
}

/// A block's check value: a hash of its number, its last issue and its keys. A row changed
/// outside yishi (a key taken out, changed or added, a blob emptied) no longer has its
/// digest and is not used; one rewritten with a digest made to match is what `verify`'s
/// comparison with the issues is for.
fn digest(block: i64, last: i64, keys: &[u8]) -> i64 {
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    h.update(b"yishi issue_keys v20");
    h.update(&block.to_le_bytes());
    h.update(&last.to_le_bytes());
    h.update(keys);
    h.digest() as i64
}

/// Whether the table is there (a database on its way up to v20 may not have it yet).
pub fn exists(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
        [TABLE],
        |r| r.get(0),
    )
}

/// What is wrong with the blocks, as `verify` words it.
enum Fault {
    /// Block `block` is not as [`refresh`] writes it (a gap before it, a wrong end, a blob
    /// of the wrong length or out of order, a digest that is not its own).
    Unreadable(i64),
    /// The blocks reach past the last issue (`covered`, `highest`): issues were taken out of
    /// the table behind yishi's back.
    Beyond(i64, i64),
}

/// Decode the blocks in block order, checking that they are as [`refresh`] writes them, and
/// hand each block's issues and keys (in id order) to `each` with the block's first and last
/// issue, one block at a time; `each` returns false to stop. Returns the last issue covered,
/// or what is wrong (`each` may have been given blocks before it).
fn decode(
    conn: &Connection,
    mut each: impl FnMut(&[(i64, i64)], i64, i64) -> rusqlite::Result<bool>,
) -> rusqlite::Result<Result<i64, Fault>> {
    let mut stmt =
        conn.prepare("SELECT block, last, keys, digest FROM issue_keys ORDER BY block")?;
    let mut rows = stmt.query([])?;
    let mut covered = 0;
    let mut expected_block = 0;
    let mut ended = false;
    let mut entries = Vec::new();
    while let Some(row) = rows.next()? {
        let block: i64 = row.get(0)?;
        let last = match row.get_ref(1)? {
            rusqlite::types::ValueRef::Integer(n) => n,
            _ => return Ok(Err(Fault::Unreadable(block))),
        };
        let blob = match row.get_ref(2)? {
            rusqlite::types::ValueRef::Blob(b) => b,
            _ => return Ok(Err(Fault::Unreadable(block))),
        };
        if row.get_ref(3)? != rusqlite::types::ValueRef::Integer(digest(block, last, blob)) {
            return Ok(Err(Fault::Unreadable(block)));
        }
        // Blocks follow each other from 0; each but the last is covered to its end.
        if ended
            || block != expected_block
            || last < first_of(block).max(1)
            || last > end_of(block)
            || blob.len() % ENTRY != 0
        {
            return Ok(Err(Fault::Unreadable(block)));
        }
        ended = last != end_of(block);
        entries.clear();
        for entry in blob.chunks_exact(ENTRY) {
            let low = i64::from(u16::from_le_bytes([entry[0], entry[1]]));
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(&entry[2..]);
            let key = i64::from_le_bytes(bytes);
            let id = first_of(block) + low;
            if entries.last().is_some_and(|&(p, _)| p >= id) || id > last || id < 1 {
                return Ok(Err(Fault::Unreadable(block)));
            }
            entries.push((id, key));
        }
        covered = last;
        expected_block = block + 1;
        if !each(&entries, first_of(block).max(1), last)? {
            return Ok(Ok(covered));
        }
    }
    let (_, highest) = id_span(conn)?;
    if covered > highest {
        return Ok(Err(Fault::Beyond(covered, highest)));
    }
    Ok(Ok(covered))
}

/// Hand the keys the blocks hold to `each` (issue id, key), in id order, and return the last
/// issue they cover; None when there is no table or its blocks are not as [`refresh`] writes
/// them (the caller then reads every key from `issues`, dropping what `each` was given).
pub fn read(conn: &Connection, mut each: impl FnMut(i64, i64)) -> rusqlite::Result<Option<i64>> {
    if !exists(conn)? {
        return Ok(None);
    }
    Ok(decode(conn, |entries, _, _| {
        entries.iter().for_each(|&(id, key)| each(id, key));
        Ok(true)
    })?
    .ok())
}

/// The ids the issues span: (lowest, highest), (0, 0) for none.
fn id_span(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
    // Two queries: SQLite reads min() or max() alone from the end of the table, but both in
    // one query from every row.
    let end = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
    Ok((
        end("SELECT coalesce(min(id), 0) FROM issues")?,
        end("SELECT coalesce(max(id), 0) FROM issues")?,
    ))
}

/// Bring the blocks up to the last issue, in the caller's transaction: the blocks from the
/// one after the last complete block are written again from `issues` (the last block is
/// partial: up to 16,383 issues read again). Blocks that are not usable are all written again.
/// Nothing is done without the table (a database not yet at v20).
pub fn refresh(conn: &Connection) -> rusqlite::Result<()> {
    if !exists(conn)? {
        return Ok(());
    }
    let (lowest, highest) = id_span(conn)?;
    if lowest < 0 || highest > HIGHEST_ID {
        conn.execute("DELETE FROM issue_keys", [])?;
        return Ok(());
    }
    let covered = match decode(conn, |_, _, _| Ok(true))? {
        Ok(covered) => covered,
        // Blocks not as written, or past the last issue: all written again.
        Err(_) => {
            conn.execute("DELETE FROM issue_keys", [])?;
            0
        }
    };
    if covered >= highest {
        return Ok(());
    }
    // The block of the first issue not covered: the partial last block (written again whole),
    // or the next one when the last block is complete.
    let from_block = block_of(covered + 1);
    conn.execute("DELETE FROM issue_keys WHERE block >= ?1", [from_block])?;
    write_blocks(conn, from_block, highest)
}

/// Write the blocks `from_block` to the one of `highest` from `issues`.
fn write_blocks(conn: &Connection, from_block: i64, highest: i64) -> rusqlite::Result<()> {
    let mut read = conn.prepare(
        "SELECT id, fingerprint FROM issues WHERE id BETWEEN ?1 AND ?2 AND fingerprint IS NOT NULL",
    )?;
    let mut insert =
        conn.prepare("INSERT INTO issue_keys (block, last, keys, digest) VALUES (?1, ?2, ?3, ?4)")?;
    let mut rows = read.query([first_of(from_block).max(1), highest])?;
    let mut block = from_block;
    let mut blob = Vec::new();
    let mut flush = |block: i64, blob: &mut Vec<u8>| -> rusqlite::Result<()> {
        let last = end_of(block).min(highest);
        insert.execute(params![block, last, &blob[..], digest(block, last, blob)])?;
        blob.clear();
        Ok(())
    };
    while let Some(row) = rows.next()? {
        let (id, key): (i64, i64) = (row.get(0)?, row.get(1)?);
        while block_of(id) > block {
            flush(block, &mut blob)?;
            block += 1;
        }
        blob.extend_from_slice(&((id - first_of(block)) as u16).to_le_bytes());
        blob.extend_from_slice(&key.to_le_bytes());
    }
    while block <= block_of(highest) {
        flush(block, &mut blob)?;
        block += 1;
    }
    Ok(())
}

/// Write every block again from `issues` (`issue reindex`, a restore). The table is made
/// again as v20 makes it when it is missing or not that table (dropped, changed, a view,
/// index or trigger put in its name outside yishi, or a trigger or index put on it).
pub fn rebuild(conn: &Connection) -> rusqlite::Result<()> {
    // Its own table, with nothing put on it (a trigger or an index added outside yishi goes
    // with the table when it is made again).
    let ours = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = ?1 AND sql = ?2 \
         AND NOT EXISTS (SELECT 1 FROM sqlite_schema WHERE tbl_name = ?1 AND type <> 'table')",
        [TABLE, CREATE],
        |r| r.get::<_, bool>(0),
    )?;
    if ours {
        conn.execute("DELETE FROM issue_keys", [])?;
    } else {
        clear_name(conn)?;
        conn.execute_batch(CREATE)?;
    }
    refresh(conn)
}

/// Drop whatever holds the table's name (a table, view, index or trigger made outside yishi),
/// so that v20's table can be made.
pub(crate) fn clear_name(conn: &Connection) -> rusqlite::Result<()> {
    let kinds: Vec<String> = conn
        .prepare("SELECT type FROM sqlite_schema WHERE name = ?1")?
        .query_map([TABLE], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for kind in kinds {
        let kind = match kind.as_str() {
            "view" => "VIEW",
            "index" => "INDEX",
            "trigger" => "TRIGGER",
            _ => "TABLE",
        };
        conn.execute_batch(&format!("DROP {kind} IF EXISTS {TABLE}"))?;
    }
    Ok(())
}

/// How the blocks differ from the issues, as a sentence; None when every issue they cover
/// has its key in them and nothing else is (or when there is no table: the schema's check
/// names that). A block at a time, each against the issues of its range: memory stays flat.
pub fn check(conn: &Connection) -> crate::error::Result<Option<Text>> {
    if !exists(conn)? {
        return Ok(None);
    }
    // The blocks' own faults first (a few milliseconds), then each block against the issues.
    let covered = match decode(conn, |_, _, _| Ok(true))? {
        Err(Fault::Unreadable(block)) => {
            return Ok(Some(crate::text!(
                "verify.issue_keys_unreadable",
                block = block
            )));
        }
        Err(Fault::Beyond(covered, highest)) => {
            return Ok(Some(crate::text!(
                "verify.issue_keys_beyond",
                covered = covered,
                highest = highest
            )));
        }
        Ok(covered) => covered,
    };
    let (lowest, highest) = id_span(conn)?;
    if (lowest < 0 || highest > HIGHEST_ID) && covered > 0 {
        return Ok(Some(crate::text!("verify.issue_keys_out_of_reach")));
    }
    let mut stmt = conn.prepare(
        "SELECT id, fingerprint FROM issues WHERE id BETWEEN ?1 AND ?2 AND fingerprint IS NOT NULL",
    )?;
    let mut found = None;
    // The blocks' faults were named above; the same blocks are read again.
    let _ = decode(conn, |entries, first, last| {
        let mut rows = stmt.query([first, last])?;
        let mut packed = entries.iter().peekable();
        while let Some(row) = rows.next()? {
            let (id, key): (i64, i64) = (row.get(0)?, row.get(1)?);
            // Entries for issues that have no key or do not exist come before this one.
            if let Some(&&(extra, _)) = packed.peek()
                && extra < id
            {
                found = Some(crate::text!("verify.issue_keys_extra", id = extra));
                return Ok(false);
            }
            match packed.next() {
                Some(&(packed_id, packed_key)) if packed_id == id => {
                    if packed_key != key {
                        found = Some(crate::text!("verify.issue_keys_wrong", id = id));
                        return Ok(false);
                    }
                }
                _ => {
                    found = Some(crate::text!("verify.issue_keys_missing", id = id));
                    return Ok(false);
                }
            }
        }
        if let Some(&(extra, _)) = packed.next() {
            found = Some(crate::text!("verify.issue_keys_extra", id = extra));
            return Ok(false);
        }
        Ok(true)
    })?;
    Ok(found)
}

/// The keys the blocks hold, gathered (see [`read`]).
#[cfg(test)]
pub(crate) struct Packed {
    pub covered: i64,
    pub keys: Vec<(i64, i64)>,
}

#[cfg(test)]
pub(crate) fn read_all(conn: &Connection) -> Option<Packed> {
    let mut keys = Vec::new();
    read(conn, |id, key| keys.push((id, key)))
        .unwrap()
        .map(|covered| Packed { covered, keys })
}

/// Put `keys` in block `block` with its digest, as a forger who knows the format would.
#[cfg(test)]
pub(crate) fn forge(conn: &Connection, block: i64, keys: &[u8]) {
    let last: i64 = conn
        .query_row(
            "SELECT last FROM issue_keys WHERE block = ?1",
            [block],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute(
        "UPDATE issue_keys SET keys = ?2, digest = ?3 WHERE block = ?1",
        params![block, keys, digest(block, last, keys)],
    )
    .unwrap();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db(ids: impl IntoIterator<Item = (i64, Option<i64>)>) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE issues (id INTEGER PRIMARY KEY, fingerprint INTEGER);")
            .unwrap();
        conn.execute_batch(CREATE).unwrap();
        for (id, key) in ids {
            conn.execute("INSERT INTO issues VALUES (?1, ?2)", params![id, key])
                .unwrap();
        }
        conn
    }

    fn key_of(id: i64) -> i64 {
        (id as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) as i64
    }

    fn table_keys(conn: &Connection) -> Vec<(i64, i64)> {
        crate::store::query_all(
            conn,
            "SELECT id, fingerprint FROM issues WHERE fingerprint IS NOT NULL ORDER BY id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    }

    #[test]
    fn refreshed_blocks_hold_every_key_and_follow_the_table() {
        // Three blocks and a bit; every seventh issue without a key (typed before v2 kept one).
        let with_key = |id: i64| (id, (id % 7 != 0).then(|| key_of(id)));
        let conn = db((1..=40_000).map(with_key));
        refresh(&conn).unwrap();
        let packed = read_all(&conn).unwrap();
        assert_eq!(packed.covered, 40_000);
        assert_eq!(packed.keys, table_keys(&conn));
        assert_eq!(check(&conn).unwrap(), None);
        // Issues typed one by one after it: not covered until the next refresh, which writes
        // the partial block again and adds the next.
        for id in 40_001..=50_000 {
            let (id, key) = with_key(id);
            conn.execute("INSERT INTO issues VALUES (?1, ?2)", params![id, key])
                .unwrap();
        }
        assert_eq!(read_all(&conn).unwrap().covered, 40_000);
        assert_eq!(check(&conn).unwrap(), None);
        refresh(&conn).unwrap();
        let packed = read_all(&conn).unwrap();
        assert_eq!(packed.covered, 50_000);
        assert_eq!(packed.keys, table_keys(&conn));
        let blocks: i64 = conn
            .query_row("SELECT count(*) FROM issue_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(blocks, block_of(50_000) + 1);
        // Nothing new: nothing written.
        let changes = conn.total_changes();
        refresh(&conn).unwrap();
        assert_eq!(conn.total_changes(), changes);
    }

    #[test]
    fn an_empty_table_and_ids_out_of_reach_leave_no_blocks() {
        let conn = db([]);
        refresh(&conn).unwrap();
        assert_eq!(read_all(&conn).unwrap().covered, 0);
        let conn = db([(1, Some(5)), (HIGHEST_ID + 1, Some(6))]);
        refresh(&conn).unwrap();
        let packed = read_all(&conn).unwrap();
        assert_eq!((packed.covered, packed.keys.len()), (0, 0));
        assert_eq!(check(&conn).unwrap(), None);
    }

    #[test]
    fn blocks_that_differ_from_the_issues_are_named_and_not_used() {
        let conn = db((1..=20_000).map(|id| (id, Some(key_of(id)))));
        refresh(&conn).unwrap();
        let key = |c: &Connection| check(c).unwrap().map(|t| t.key);
        // A key changed behind yishi's back.
        conn.execute("UPDATE issues SET fingerprint = 1 WHERE id = 17", [])
            .unwrap();
        assert_eq!(key(&conn), Some("verify.issue_keys_wrong"));
        // A key taken away from the table, then an entry taken out of a block.
        conn.execute("UPDATE issues SET fingerprint = NULL WHERE id = 17", [])
            .unwrap();
        assert_eq!(key(&conn), Some("verify.issue_keys_extra"));
        rebuild(&conn).unwrap();
        assert_eq!(key(&conn), None);
        conn.execute(
            "UPDATE issue_keys SET keys = substr(keys, 11) WHERE block = 0",
            [],
        )
        .unwrap();
        assert_eq!(key(&conn), Some("verify.issue_keys_unreadable"));
        // A block cut mid-entry, or missing before others: not used, named.
        conn.execute(
            "UPDATE issue_keys SET keys = substr(keys, 2) WHERE block = 0",
            [],
        )
        .unwrap();
        assert_eq!(key(&conn), Some("verify.issue_keys_unreadable"));
        assert!(read_all(&conn).is_none());
        conn.execute("DELETE FROM issue_keys WHERE block = 0", [])
            .unwrap();
        assert!(read_all(&conn).is_none());
        // A refresh writes unusable blocks again.
        refresh(&conn).unwrap();
        assert_eq!(key(&conn), None);
        assert_eq!(read_all(&conn).unwrap().keys, table_keys(&conn));
        // A block changed with its digest made to match: verify's comparison finds it.
        let forge = |sql: &str| {
            conn.execute(sql, []).unwrap();
            let (last, blob): (i64, Vec<u8>) = conn
                .query_row(
                    "SELECT last, keys FROM issue_keys WHERE block = 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            conn.execute(
                "UPDATE issue_keys SET digest = ?1 WHERE block = 1",
                [digest(1, last, &blob)],
            )
            .unwrap();
        };
        forge("UPDATE issue_keys SET keys = substr(keys, 1, length(keys) - 10) WHERE block = 1");
        assert!(read_all(&conn).is_some());
        assert_eq!(key(&conn), Some("verify.issue_keys_missing"));
        rebuild(&conn).unwrap();
        // Issues taken out of the table behind yishi's back: the blocks reach past the last
        // one, are not used, and are written again.
        conn.execute("DELETE FROM issues WHERE id > 19990", [])
            .unwrap();
        assert_eq!(key(&conn), Some("verify.issue_keys_beyond"));
        assert!(read_all(&conn).is_none());
        refresh(&conn).unwrap();
        assert_eq!(key(&conn), None);
        assert_eq!(read_all(&conn).unwrap().covered, 19_990);
        // A view put in its name: `rebuild` makes the table again.
        conn.execute_batch("DROP TABLE issue_keys; CREATE VIEW issue_keys AS SELECT 1;")
            .unwrap();
        rebuild(&conn).unwrap();
        assert_eq!(key(&conn), None);
        assert_eq!(read_all(&conn).unwrap().keys, table_keys(&conn));
    }
}
