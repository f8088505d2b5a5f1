//! The issues' text index: what `issue list --grep` reads instead of every title and detail.
//!
//! "Contains" cannot use a B-tree index, so titles and details are indexed by character
//! pairs: each character of a text with the character after it (the last one with an end
//! mark). The table holds, for each pair and each block of 16,384 ids, the set of issues whose
//! title or detail has that pair (`pairs.rs` encodes both). A search for two characters is the
//! set of their pair; for more, the issues having all of its pairs, each then read to confirm
//! that it holds the text as typed (`instr`, as the unindexed search); for one character, the
//! issues having any pair it begins. So the index finds exactly what a scan finds.
//!
//! It is yishi's own table rather than FTS5's (schema v19): FTS5 spends about 100 ns on each
//! character it indexes, five times the rest of a large import; these sets are built in one
//! pass over the issues, a block at a time, and written in the table's own order. It keeps
//! no copy of the texts, only which issues have which pairs, from which parts of them could be
//! guessed: it is personal data like the issues (backups carry it). It is derived data, not
//! sealed: a large import drops it and builds it again in its index stage (like the listing
//! indexes), `verify` compares it with the issues and `issue reindex` rebuilds it.

mod build;
mod checks;
mod legacy;
mod pairs;

pub use build::{add, build, drop, fill, remove, replace};
pub use checks::{check, check_lookups};

use crate::error::Fault;
use pairs::{Bits, block_of, id_at};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension};

/// The index's table.
pub const TABLE: &str = "issue_text";

/// The table as schema v19 creates it (`migrations/v19_issue_text_pairs.sql`).
pub(crate) const CREATE: &str = "CREATE TABLE issue_text (block INTEGER NOT NULL, pair INTEGER NOT NULL, ids BLOB NOT NULL, PRIMARY KEY (block, pair)) WITHOUT ROWID";

/// The most matches a filtered listing takes from the index as a list of ids; beyond that
/// the other conditions' indexes are the way in, each row read for its text.
const LISTED_AT_MOST: usize = 20_000;

/// The most matches looked up one by one and sorted for a page; beyond that the page is read
/// in the listing's order (the day's index), keeping the matches.
const SORTED_AT_MOST: usize = 4_096;

/// Whether a table of the schema belongs to the text index (derived, unsealed, not exported).
/// The names of FTS5's tables of schema v9 to v18 count too, for a database on its way up.
pub fn is_part(name: &str) -> bool {
    name == TABLE
        || name
            .strip_prefix(TABLE)
            .is_some_and(|rest| rest.starts_with('_'))
}

/// Whether the index is there. The FTS5 index of schema v9 to v18 (a virtual table of the
/// same name) is not it: in a backup of such a version, it is what the upgrade replaces.
pub fn exists(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = ?1 AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL%'",
        [TABLE],
        |r| r.get(0),
    )
}

/// A stored text as the index reads it: bytes that are not UTF-8 as replacement characters.
/// (Checked first as a whole, with SIMD: `from_utf8_lossy` walks it in chunks, a third of a
/// build's reading, and the standard check goes a character at a time through CJK text.)
fn as_text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// A stored text's or blob's bytes; none for a number or NULL.
fn bytes(v: ValueRef<'_>) -> &[u8] {
    match v {
        ValueRef::Text(b) | ValueRef::Blob(b) => b,
        _ => &[],
    }
}

/// A row's set of issues; None when its value is not one the index writes (a blob of
/// `pairs.rs`'s encoding: text, a number or NULL is damage too).
fn set_of(v: ValueRef<'_>) -> Option<Bits> {
    match v {
        ValueRef::Blob(b) => Bits::decode(b),
        _ => None,
    }
}

/// The error of a statement on the text index: damage to it is named as such, with the way
/// to mend it (see [`Fault::on_text_index`]).
pub(crate) fn damaged(e: rusqlite::Error) -> crate::error::Error {
    Fault::on_text_index(&e).into()
}

/// A row whose blob is not one the index writes.
fn not_a_set(block: i64, pair: i64) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        2,
        rusqlite::types::Type::Blob,
        format!("issue_text block {block} pair {pair}: not a set of issues").into(),
    )
}

/// The blocks of ids the issues span, when the index can serve searches: it is there and the
/// ids are in 0..=2^32 (yishi numbers issues from 1; others can only be written behind its
/// back, are left out of the index, which then is not used).
fn blocks(conn: &Connection) -> rusqlite::Result<Option<std::ops::RangeInclusive<i64>>> {
    if !exists(conn)? {
        return Ok(None);
    }
    // Two queries: SQLite reads min() or max() alone from the end of the table, but both in
    // one query from every row.
    let end = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
    let (first, last) = (
        end("SELECT coalesce(min(id), 0) FROM issues")?,
        end("SELECT coalesce(max(id), 0) FROM issues")?,
    );
    Ok((first >= 0 && last <= 0xFFFF_FFFF).then(|| block_of(first).0..=block_of(last).0))
}

/// The issues that may hold a text, ascending: exactly those that do when `exact`, else a
/// few more, to be confirmed by reading them.
struct Candidates {
    ids: Vec<i64>,
    exact: bool,
}

/// The candidates for `text`; None when the index cannot serve the search (it is not there,
/// or `text` is empty).
fn candidates(conn: &Connection, text: &str) -> crate::error::Result<Option<Candidates>> {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return Ok(None);
    }
    let Some(blocks) = blocks(conn).map_err(damaged)? else {
        return Ok(None);
    };
    let mut wanted: Vec<i64> = Vec::new();
    if chars.len() > 1 {
        pairs::each_pair(text, |p| wanted.push(p));
        wanted.pop(); // the last character with the end mark: the text may go on
        wanted.sort_unstable();
        wanted.dedup();
    }
    let mut ids = Vec::new();
    let mut one = conn
        .prepare_cached("SELECT ids FROM issue_text WHERE block = ?1 AND pair = ?2")
        .map_err(damaged)?;
    let mut any = conn
        .prepare_cached(
            "SELECT pair, ids FROM issue_text WHERE block = ?1 AND pair BETWEEN ?2 AND ?3",
        )
        .map_err(damaged)?;
    for block in blocks {
        let mut found: Option<Bits> = None;
        if let [first] = chars.as_slice() {
            let (lo, hi) = pairs::beginning_with(*first);
            let mut rows = any.query((block, lo, hi)).map_err(damaged)?;
            while let Some(r) = rows.next().map_err(damaged)? {
                let pair = r.get(0).map_err(damaged)?;
                let set = set_of(r.get_ref(1).map_err(damaged)?)
                    .ok_or_else(|| damaged(not_a_set(block, pair)))?;
                found.get_or_insert_with(Bits::default).unite(&set);
            }
        } else {
            for &pair in &wanted {
                let set = one
                    .query_row((block, pair), |r| Ok(set_of(r.get_ref(0)?)))
                    .optional()
                    .map_err(damaged)?;
                let Some(set) = set else {
                    found = None;
                    break;
                };
                let set = set.ok_or_else(|| damaged(not_a_set(block, pair)))?;
                match found.as_mut() {
                    Some(so_far) => so_far.intersect(&set),
                    None => found = Some(set),
                }
            }
        }
        if let Some(set) = found {
            ids.extend(set.iter().map(|low| id_at(block, low)));
        }
    }
    // Two characters are one pair, found exactly; a text with a replacement character may
    // stand for bytes that are not UTF-8, which `instr` reads as they are.
    let exact = chars.len() <= 2 && !text.contains('\u{FFFD}');
    Ok(Some(Candidates { ids, exact }))
}

/// Reads candidates: their day when they hold the text (confirmed when the candidates are not
/// exact), none when they do not or are not there.
struct Confirm<'c> {
    stmt: rusqlite::CachedStatement<'c>,
    text: String,
    exact: bool,
}

impl<'c> Confirm<'c> {
    fn new(conn: &'c Connection, text: &str, exact: bool) -> crate::error::Result<Self> {
        Ok(Confirm {
            stmt: conn.prepare_cached(
                "SELECT raised_on, ?2 = '' OR instr(title, ?2) > 0 OR instr(coalesce(detail, ''), ?2) > 0 FROM issues WHERE id = ?1",
            )?,
            text: text.to_string(),
            exact,
        })
    }

    fn day(&mut self, id: i64) -> crate::error::Result<Option<String>> {
        let probe = if self.exact { "" } else { self.text.as_str() };
        let found = self
            .stmt
            .query_row((id, probe), |r| {
                Ok((
                    String::from_utf8_lossy(bytes(r.get_ref(0)?)).into_owned(),
                    r.get::<_, bool>(1)?,
                ))
            })
            .optional()?;
        Ok(found.and_then(|(day, holds)| holds.then_some(day)))
    }
}

/// How many issues have `text` in their title or detail; None when the index cannot serve
/// the search: it is not there (a large import left it to the next command that can write),
/// or `text` is empty.
pub fn count(conn: &Connection, text: &str) -> crate::error::Result<Option<u64>> {
    Search::new(conn, text)?.map(|s| s.count(conn)).transpose()
}

/// The issues that have `text` in their title or detail, newest first, after skipping
/// `offset` and at most `limit` (all when None), one id at a time; false (nothing visited)
/// when the index cannot serve the search (see [`Search::newest`]).
pub fn newest(
    conn: &Connection,
    text: &str,
    limit: Option<u64>,
    offset: u64,
    visit: impl FnMut(i64) -> crate::error::Result<()>,
) -> crate::error::Result<bool> {
    let Some(search) = Search::new(conn, text)? else {
        return Ok(false);
    };
    search.newest(conn, limit, offset, visit)?;
    Ok(true)
}

/// A search the index serves, its candidates found once: for a page and its count together.
pub struct Search {
    text: String,
    found: Candidates,
}

impl Search {
    /// None when the index cannot serve the search (see [`count`]).
    pub fn new(conn: &Connection, text: &str) -> crate::error::Result<Option<Search>> {
        Ok(candidates(conn, text)?.map(|found| Search {
            text: text.to_string(),
            found,
        }))
    }

    /// How many issues have the text.
    pub fn count(&self, conn: &Connection) -> crate::error::Result<u64> {
        if self.found.exact {
            return Ok(self.found.ids.len() as u64);
        }
        let mut confirm = Confirm::new(conn, &self.text, false)?;
        let mut n = 0;
        for &id in &self.found.ids {
            n += u64::from(confirm.day(id)?.is_some());
        }
        Ok(n)
    }

    /// The issues that have the text, newest first (by the day raised, then the latest
    /// added), after skipping `offset` and at most `limit` (all when None), one id at a time.
    /// Few matches are looked up and sorted; many are kept while the listing's order is read
    /// from the day's index.
    pub fn newest(
        &self,
        conn: &Connection,
        limit: Option<u64>,
        offset: u64,
        mut visit: impl FnMut(i64) -> crate::error::Result<()>,
    ) -> crate::error::Result<()> {
        let ids = &self.found.ids;
        let mut confirm = Confirm::new(conn, &self.text, self.found.exact)?;
        let limit = limit.unwrap_or(u64::MAX);
        if ids.len() <= SORTED_AT_MOST {
            let mut dated = Vec::with_capacity(ids.len());
            for &id in ids {
                if let Some(day) = confirm.day(id)? {
                    dated.push((day, id));
                }
            }
            dated.sort_unstable_by(|a, b| b.cmp(a));
            for (_, id) in dated.into_iter().skip(offset as usize).take(limit as usize) {
                visit(id)?;
            }
            return Ok(());
        }
        // The candidates come ascending: a binary search finds each, with nothing to build.
        let mut listing = conn.prepare("SELECT id FROM issues ORDER BY raised_on DESC, id DESC")?;
        let mut rows = listing.query([])?;
        let (mut skipped, mut shown) = (0u64, 0u64);
        while shown < limit
            && let Some(r) = rows.next()?
        {
            let id: i64 = r.get(0)?;
            if ids.binary_search(&id).is_err() || (!confirm.exact && confirm.day(id)?.is_none()) {
                continue;
            }
            if skipped < offset {
                skipped += 1;
                continue;
            }
            visit(id)?;
            shown += 1;
        }
        Ok(())
    }
}

/// The SQL condition "the issue contains ?N" served by the index, with the text to bind;
/// None when the index cannot serve it or finds too many issues to list
/// ([`LISTED_AT_MOST`]): then the other conditions lead and each row is read for its text.
pub fn condition(
    conn: &Connection,
    text: &str,
    n: usize,
) -> crate::error::Result<Option<(String, String)>> {
    let Some(found) = candidates(conn, text)? else {
        return Ok(None);
    };
    if found.ids.len() > LISTED_AT_MOST {
        return Ok(None);
    }
    let ids: Vec<String> = found.ids.iter().map(i64::to_string).collect();
    Ok(Some((
        format!(
            "(id IN ({}) AND (instr(title, ?{n}) > 0 OR instr(coalesce(detail, ''), ?{n}) > 0))",
            ids.join(",")
        ),
        text.to_string(),
    )))
}

/// At most how many issues contain `text`, counting no further than `bound` (the index's
/// candidates, before they are read to confirm them); None when the index cannot serve the
/// search. For choosing the way into a listing.
pub fn count_up_to(conn: &Connection, text: &str, bound: u64) -> crate::error::Result<Option<u64>> {
    Ok(candidates(conn, text)?.map(|found| (found.ids.len() as u64).min(bound)))
}

/// A seed for the sums that compare the index with the issues, new for each check, so that
/// an index made up to match them cannot be computed in advance.
fn seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
}

/// The FTS5 table schema v9 created (for the migrations' tests).
#[cfg(test)]
pub(crate) fn legacy_create() -> &'static str {
    legacy::CREATE
}

#[cfg(test)]
mod tests;
