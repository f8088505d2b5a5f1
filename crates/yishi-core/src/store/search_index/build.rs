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
    sets: PairMap<Vec<u16>>,
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

    /// The block's rows in the table's order (pair, encoded set), and the sets emptied.
    fn rows(&mut self) -> Vec<(i64, Vec<u8>)> {
        let mut sets: Vec<(i64, Vec<u16>)> = self.sets.drain().collect();
        sets.sort_unstable_by_key(|(pair, _)| *pair);
        sets.into_iter()
            .map(|(pair, lows)| {
                let mut blob = Vec::new();
                pairs::encode_sorted(&lows, &mut blob);
                (pair, blob)
            })
            .collect()
    }
}

/// The titles and details of one block's issues, read by the build's reader for its worker:
/// each issue's place in the block with the ends of its title and detail in `text`.
#[derive(Default)]
struct BlockTexts {
    block: i64,
    text: Vec<u8>,
    issues: Vec<(u16, usize, usize)>,
}

impl BlockTexts {
    fn push(&mut self, low: u16, title: &[u8], detail: &[u8]) {
        self.text.extend_from_slice(title);
        let title_end = self.text.len();
        self.text.extend_from_slice(detail);
        self.issues.push((low, title_end, self.text.len()));
    }

    /// The block's rows, worked out from its texts.
    fn rows(&self) -> (i64, Vec<(i64, Vec<u8>)>) {
        let mut sets = BlockSets::default();
        let mut start = 0;
        for &(low, title_end, end) in &self.issues {
            sets.add(low, &self.text[start..title_end]);
            sets.add(low, &self.text[title_end..end]);
            start = end;
        }
        (self.block, sets.rows())
    }
}

/// Index every issue into the empty index; the issues indexed.
///
/// Two threads: this one reads the issues a block at a time and writes the rows of the block
/// before, while a worker turns each block's texts into its rows (pairs cut, sets encoded).
/// The text stage of a million-issue import took 0.82–0.89 s on one thread, 0.60–0.69 s so.
pub fn fill(conn: &Connection) -> rusqlite::Result<u64> {
    let mut select = conn.prepare("SELECT id, title, detail FROM issues ORDER BY id")?;
    let mut insert =
        conn.prepare("INSERT INTO issue_text (block, pair, ids) VALUES (?1, ?2, ?3)")?;
    let mut write = |(block, rows): (i64, Vec<(i64, Vec<u8>)>)| -> rusqlite::Result<()> {
        for (pair, blob) in rows {
            insert.execute(params![block, pair, blob])?;
        }
        Ok(())
    };
    let (to_worker, texts) = std::sync::mpsc::sync_channel::<BlockTexts>(1);
    let (worked, from_worker) = std::sync::mpsc::sync_channel(1);
    // `move`: on an error both channels are dropped as this returns, so the worker stops
    // (waiting for a block, or to hand one back) and the scope can end.
    std::thread::scope(move |scope| -> rusqlite::Result<u64> {
        scope.spawn(move || {
            for block in texts {
                if worked.send(block.rows()).is_err() {
                    break; // the reader stopped on an error
                }
            }
        });
        let mut indexed = 0;
        let mut block = BlockTexts::default();
        let mut sent = 0u64;
        let mut rows = select.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            if !(0..=0xFFFF_FFFF).contains(&id) {
                continue; // see `blocks`
            }
            let (number, low) = block_of(id);
            if number != block.block && !block.issues.is_empty() {
                to_worker
                    .send(std::mem::take(&mut block))
                    .map_err(|_| worker_failed())?;
                sent += 1;
                // The rows of the block before, written while the worker works on this one.
                if sent > 1 {
                    write(receive(&from_worker)?)?;
                    sent -= 1;
                }
            }
            block.block = number;
            block.push(low, bytes(r.get_ref(1)?), bytes(r.get_ref(2)?));
            indexed += 1;
        }
        if !block.issues.is_empty() {
            to_worker.send(block).map_err(|_| worker_failed())?;
            sent += 1;
        }
        std::mem::drop(to_worker);
        for _ in 0..sent {
            write(receive(&from_worker)?)?;
        }
        Ok(indexed)
    })
}

type BlockRows = (i64, Vec<(i64, Vec<u8>)>);

fn receive(from_worker: &std::sync::mpsc::Receiver<BlockRows>) -> rusqlite::Result<BlockRows> {
    from_worker.recv().map_err(|_| worker_failed())
}

/// The worker of [`fill`] stopped (it panicked): yishi's bug, said as SQLite's error type.
fn worker_failed() -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_INTERNAL),
        Some("the text index's worker thread failed: this is a bug in yishi".into()),
    )
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
