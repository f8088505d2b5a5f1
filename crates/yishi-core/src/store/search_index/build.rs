//! Writing the index: all of it from the issues (a build), and the rows of issues added or
//! edited since.

use super::pairs::{self, Bits, block_of};
use super::{CREATE, as_text, bytes, damaged, exists, is_part, legacy, not_a_set, set_of};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;
use std::ops::RangeInclusive;

/// Build the index from every issue, replacing one that exists, whole or in pieces. Returns
/// the issues indexed, and whether pages of the old one were left unused (see [`remove`]).
pub fn build(conn: &Connection) -> rusqlite::Result<(u64, bool)> {
    let pages_left = remove(conn)?;
    conn.execute_batch(CREATE)?;
    Ok((fill(conn)?, pages_left))
}

/// Take the index away, whole or in pieces (its own or an FTS5 one of v9 to v18); whether
/// pages of it were left unused: SQLite cannot free the pages of a table whose pages are
/// damaged (and a failed attempt leaves the transaction unable to commit), so such an index's
/// entries are taken out of the schema instead (with any index or trigger put on it, which
/// would name a table no longer there), its pages left unused until `VACUUM` writes the file
/// again without them.
pub fn remove(conn: &Connection) -> rusqlite::Result<bool> {
    let damaged = pages_damaged(conn)?;
    if damaged {
        conn.execute_batch("PRAGMA writable_schema = ON")?;
        let forgotten = conn.execute(
            "DELETE FROM sqlite_schema WHERE name = 'issue_text' OR name LIKE 'issue\\_text\\_%' ESCAPE '\\' OR tbl_name = 'issue_text'",
            [],
        );
        conn.execute_batch("PRAGMA writable_schema = RESET")?;
        forgotten?;
    } else {
        drop(conn)?;
    }
    Ok(damaged)
}

/// The tables of the index there are (its own, or the pieces of an FTS5 one of v9 to v18).
fn parts(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")?;
    let names = stmt
        .query_map([], |r| {
            Ok(String::from_utf8_lossy(bytes(r.get_ref(0)?)).into_owned())
        })?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(names.into_iter().filter(|n| is_part(n)).collect())
}

/// Whether SQLite's check of the index's tables finds damaged pages.
fn pages_damaged(conn: &Connection) -> rusqlite::Result<bool> {
    for name in parts(conn)? {
        if legacy::is_fts5(conn, &name)? {
            continue; // its pages are its shadow tables'
        }
        let mut stmt = conn.prepare(&format!("PRAGMA quick_check(\"{name}\")"))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if r.get::<_, String>(0)? != "ok" {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Drop the index before a large import (in its transaction): updating it row by row costs
/// more than building it again, which the import's index stage does
/// (`schema::build_issue_indexes`). An FTS5 index of an older schema goes with its pieces.
pub fn drop(conn: &Connection) -> rusqlite::Result<()> {
    legacy::drop(conn)?;
    for name in parts(conn)? {
        conn.execute_batch(&format!("DROP TABLE IF EXISTS \"{name}\""))?;
    }
    // A view or an index put in its place outside yishi would keep it from being created
    // again (and every write with it).
    let kind: Option<String> = conn
        .query_row(
            "SELECT type FROM sqlite_schema WHERE name = ?1 AND type IN ('view', 'index')",
            [super::TABLE],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(kind) = kind {
        conn.execute_batch(&format!("DROP {kind} \"{}\"", super::TABLE))?;
    }
    Ok(())
}

/// A hasher for pair numbers (a multiply and a fold: they are distinct integers, and a build
/// hashes tens of millions of them).
#[derive(Default)]
struct PairHasher(u64);

impl std::hash::Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_i64(&mut self, n: i64) {
        // The high half folded into the low: the table picks buckets by the low bits, which a
        // multiply alone leaves depending on the low bits of the number only (the second
        // character), and every pair ending in the same character would share a bucket.
        let x = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = x ^ (x >> 32);
    }
}

type PairMap<V> = HashMap<i64, V, std::hash::BuildHasherDefault<PairHasher>>;

/// One block's sets while a build reads its issues (in id order, so each set's places come
/// ascending).
#[derive(Default)]
struct BlockSets {
    block: i64,
    sets: PairMap<Vec<u16>>,
    blob: Vec<u8>,
}

impl BlockSets {
    fn add(&mut self, low: u16, text: &[u8]) {
        pairs::each_pair(&as_text(text), |pair| {
            let set = self.sets.entry(pair).or_default();
            if set.last() != Some(&low) {
                set.push(low);
            }
        });
    }

    /// Write the block's rows in the table's order and empty it.
    fn write(&mut self, insert: &mut rusqlite::Statement<'_>) -> rusqlite::Result<()> {
        let mut sets: Vec<(i64, Vec<u16>)> = self.sets.drain().collect();
        sets.sort_unstable_by_key(|(pair, _)| *pair);
        for (pair, lows) in sets {
            pairs::encode_sorted(&lows, &mut self.blob);
            insert.execute(params![self.block, pair, self.blob])?;
        }
        Ok(())
    }
}

/// Index every issue into the empty index; the issues indexed.
pub fn fill(conn: &Connection) -> rusqlite::Result<u64> {
    let mut select = conn.prepare("SELECT id, title, detail FROM issues ORDER BY id")?;
    let mut insert =
        conn.prepare("INSERT INTO issue_text (block, pair, ids) VALUES (?1, ?2, ?3)")?;
    let mut sets = BlockSets::default();
    let mut indexed = 0;
    let mut rows = select.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if !(0..=0xFFFF_FFFF).contains(&id) {
            continue; // see `blocks`
        }
        let (block, low) = block_of(id);
        if block != sets.block {
            sets.write(&mut insert)?;
            sets.block = block;
        }
        sets.add(low, bytes(r.get_ref(1)?));
        sets.add(low, bytes(r.get_ref(2)?));
        indexed += 1;
    }
    sets.write(&mut insert)?;
    Ok(indexed)
}

/// Index newly written issues (ids `ids`), if the index is there; a dropped one is rebuilt
/// whole by the import's index stage. Each row of the index they touch is written once.
pub fn add(conn: &Connection, ids: RangeInclusive<i64>) -> crate::error::Result<()> {
    if exists(conn)? {
        add_rows(conn, ids).map_err(damaged)?;
    }
    Ok(())
}

fn add_rows(conn: &Connection, ids: RangeInclusive<i64>) -> rusqlite::Result<()> {
    let mut select =
        conn.prepare("SELECT id, title, detail FROM issues WHERE id BETWEEN ?1 AND ?2")?;
    let mut rows = select.query(params![ids.start(), ids.end()])?;
    let mut sets: std::collections::BTreeMap<(i64, i64), Vec<u16>> = Default::default();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if !(0..=0xFFFF_FFFF).contains(&id) {
            continue;
        }
        let (block, low) = block_of(id);
        for column in [1, 2] {
            pairs::each_pair(&as_text(bytes(r.get_ref(column)?)), |pair| {
                sets.entry((block, pair)).or_default().push(low);
            });
        }
    }
    for ((block, pair), lows) in sets {
        edit_row(conn, block, pair, |set| {
            lows.iter().for_each(|&l| set.insert(l))
        })?;
    }
    Ok(())
}

/// Index issue `id` again after its title or detail changed from `old_title` and
/// `old_detail`: it leaves the sets of their pairs, and joins those of its texts now.
pub fn replace(
    conn: &Connection,
    id: i64,
    old_title: &str,
    old_detail: Option<&str>,
) -> crate::error::Result<()> {
    if !exists(conn)? || !(0..=0xFFFF_FFFF).contains(&id) {
        return Ok(());
    }
    let (block, low) = block_of(id);
    let mut old = Vec::new();
    for text in [old_title, old_detail.unwrap_or("")] {
        pairs::each_pair(text, |pair| old.push(pair));
    }
    old.sort_unstable();
    old.dedup();
    for pair in old {
        edit_row(conn, block, pair, |set| set.remove(low)).map_err(damaged)?;
    }
    add_rows(conn, id..=id).map_err(damaged)
}

/// Change the set of one pair in one block, writing it back (or deleting it, left empty).
fn edit_row(
    conn: &Connection,
    block: i64,
    pair: i64,
    edit: impl FnOnce(&mut Bits),
) -> rusqlite::Result<()> {
    let set = conn
        .prepare_cached("SELECT ids FROM issue_text WHERE block = ?1 AND pair = ?2")?
        .query_row(params![block, pair], |r| Ok(set_of(r.get_ref(0)?)))
        .optional()?;
    let mut set = match set {
        Some(set) => set.ok_or_else(|| not_a_set(block, pair))?,
        None => Bits::default(),
    };
    edit(&mut set);
    if set.is_empty() {
        conn.prepare_cached("DELETE FROM issue_text WHERE block = ?1 AND pair = ?2")?
            .execute(params![block, pair])?;
    } else {
        let mut out = Vec::new();
        set.encode(&mut out);
        conn.prepare_cached(
            "INSERT OR REPLACE INTO issue_text (block, pair, ids) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![block, pair, out])?;
    }
    Ok(())
}
