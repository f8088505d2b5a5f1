//! The issues' text index: what `issue list --grep` reads instead of every title and detail.
//!
//! "Contains" cannot use a B-tree index, and FTS5's own tokenizers split Chinese into words or
//! need three characters, so titles and details are indexed by character pairs: each character
//! of a text is one token made of it and the character after it (the last one with an end
//! mark). A search for two or more characters is the phrase of its pairs, which matches exactly
//! where the text occurs in the title or in the detail, as typed (the `instr` of the unindexed
//! search); one character is a prefix query on the pairs it begins. Each character is written
//! as four base-36 digits, so FTS5's ascii tokenizer keeps a pair whole.
//!
//! The rowid is the day raised and the issue's id ([`key`]), so the index's own order is the
//! listing's (newest first) and a page is its first rowids. The table keeps no copy of the
//! texts (contentless), only its pairs and their places, from which they could be read back:
//! it is personal data like the issues (backups carry it). About 175 MB for a million issues. It is derived data, not sealed: a large
//! import drops it and builds it again in its index stage (like the listing indexes), `verify`
//! compares it with the issues and `issue reindex` rebuilds it.

use crate::error::Fault;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};
use std::ops::RangeInclusive;

/// The FTS5 table; its shadow tables are named `issue_text_*`.
pub const TABLE: &str = "issue_text";

pub(crate) const CREATE: &str = "CREATE VIRTUAL TABLE issue_text USING fts5(title, detail, content='', contentless_delete=1, tokenize='ascii')";

/// Pending terms kept in memory before FTS5 writes a segment: larger means fewer merges when
/// the whole index is built (5.4 s against 7.3 s for a million issues), and it is only filled
/// that far by a build.
const HASH_BYTES: i64 = 16 << 20;

/// The mark after a text's last character (no character has this number).
const END: u32 = 36 * 36 * 36 * 36 - 1;

/// Whether a table of the schema belongs to the text index (derived, unsealed, not exported).
pub fn is_part(name: &str) -> bool {
    name == TABLE
        || name
            .strip_prefix(TABLE)
            .is_some_and(|rest| rest.starts_with('_'))
}

pub fn exists(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
        [TABLE],
        |r| r.get(0),
    )
}

/// An issue's place in the index: the day raised (as yyyymmdd) above its id, so that rowids
/// sort like the listing (day, then id). A day that is not yyyy-mm-dd counts as 0.
pub fn key(raised_on: &str, id: i64) -> i64 {
    (day_number(raised_on.as_bytes()).unwrap_or(0) << 32) | (id & 0xFFFF_FFFF)
}

/// `2026-10-01` as 20261001.
fn day_number(b: &[u8]) -> Option<i64> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |from: usize, to: usize| -> Option<i64> {
        b[from..to].iter().try_fold(0i64, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    Some(digits(0, 4)? * 10_000 + digits(5, 7)? * 100 + digits(8, 10)?)
}

/// The issue id of a rowid of the index.
pub fn id_of(key: i64) -> i64 {
    key & 0xFFFF_FFFF
}

/// Two base-36 digits of each number below 36², for [`digits`].
const PAIRS: [[u8; 2]; 1296] = {
    let mut table = [[0u8; 2]; 1296];
    let mut i = 0;
    while i < 1296 {
        table[i] = [digit(i / 36), digit(i % 36)];
        i += 1;
    }
    table
};

const fn digit(x: usize) -> u8 {
    if x < 10 {
        b'0' + x as u8
    } else {
        b'a' + (x - 10) as u8
    }
}

/// A character's number as four base-36 digits (every character is below 36⁴).
fn digits(code: u32) -> [u8; 4] {
    let code = code as usize % (1296 * 1296);
    let [a, b] = PAIRS[code / 1296];
    let [c, d] = PAIRS[code % 1296];
    [a, b, c, d]
}

fn push_char(code: u32, out: &mut String) {
    out.extend(digits(code).iter().map(|&d| d as char));
}

/// The tokens of a text, space-separated: one per character (it and the next one). Each
/// character's digits are made once, and each token is written whole (the index's build
/// makes tens of millions).
fn tokens(text: &str, out: &mut String) {
    out.clear();
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return;
    };
    let mut token = [b' '; 9];
    token[1..5].copy_from_slice(&digits(first as u32));
    let mut start = 1;
    for c in chars.map(|c| c as u32).chain(std::iter::once(END)) {
        token[5..].copy_from_slice(&digits(c));
        // Digits and a space: always ASCII.
        if let Ok(t) = std::str::from_utf8(&token[start..]) {
            out.push_str(t);
        }
        token.copy_within(5..9, 1);
        start = 0;
    }
}

/// A stored text as the index reads it: bytes that are not UTF-8 as replacement characters.
fn as_text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// The FTS5 query that finds `text` in a title or a detail; None for an empty text.
pub fn query(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut q = String::from("\"");
    match chars.as_slice() {
        [] => return None,
        [one] => {
            push_char(*one as u32, &mut q);
            q.push_str("\" *");
        }
        _ => {
            for pair in chars.windows(2) {
                if q.len() > 1 {
                    q.push(' ');
                }
                push_char(pair[0] as u32, &mut q);
                push_char(pair[1] as u32, &mut q);
            }
            q.push('"');
        }
    }
    Some(q)
}

/// A stored text's or blob's bytes; none for a number or NULL.
fn bytes(v: ValueRef<'_>) -> &[u8] {
    match v {
        ValueRef::Text(b) | ValueRef::Blob(b) => b,
        _ => &[],
    }
}

/// Create the (empty) index.
fn create(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(CREATE)?;
    conn.execute(
        "INSERT INTO issue_text(issue_text, rank) VALUES('hashsize', ?1)",
        [HASH_BYTES],
    )?;
    Ok(())
}

/// Index every issue into an empty index: schema v9's data, when it created the index.
pub fn fill(conn: &Connection) -> rusqlite::Result<u64> {
    add_where(conn, None)
}

/// Index the issues `ids` (all when None), in the index's order: FTS5 writes a new segment
/// whenever a rowid is lower than the one before, so issues added out of order cost a merge
/// each (a million issues by id took 18 s, by day 5 s). The issues are read in the table's
/// order (a sequential scan; sorting the rows with their texts in SQL was a fifth of the build)
/// and put in the index's order here, a chunk at a time: a chunk holds about as much text as
/// FTS5 keeps in memory before it writes a segment anyway, so the segments are as few as if
/// every issue had been sorted first.
fn add_where(conn: &Connection, ids: Option<RangeInclusive<i64>>) -> rusqlite::Result<u64> {
    let (lo, hi) = ids.map_or((i64::MIN, i64::MAX), |r| (*r.start(), *r.end()));
    let mut select =
        conn.prepare("SELECT id, raised_on, title, detail FROM issues WHERE id BETWEEN ?1 AND ?2")?;
    let mut insert =
        conn.prepare("INSERT INTO issue_text(rowid, title, detail) VALUES (?1, ?2, ?3)")?;
    let mut rows = select.query(params![lo, hi])?;
    let mut chunk = Chunk::default();
    let mut added = 0;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if !(0..=0xFFFF_FFFF).contains(&id) {
            continue; // see `serves`
        }
        let day = day_number(bytes(r.get_ref(1)?)).unwrap_or(0);
        chunk.push((day << 32) | id, r.get_ref(2)?, r.get_ref(3)?);
        added += 1;
        if chunk.text.len() >= CHUNK_BYTES {
            chunk.write(&mut insert)?;
        }
    }
    chunk.write(&mut insert)?;
    Ok(added)
}

/// Text read for the index before it is sorted and written: about what fills FTS5's pending
/// terms ([`HASH_BYTES`]; each character of text is a token of a few bytes there).
const CHUNK_BYTES: usize = 2 << 20;

/// Where a text is in a [`Chunk`]'s bytes; None for NULL.
type Span = Option<(usize, usize)>;

/// Issues read for the index, to be written in the index's order.
#[derive(Default)]
struct Chunk {
    /// Each issue's rowid and where its title and detail are in `text` (None for NULL).
    issues: Vec<(i64, Span, Span)>,
    text: Vec<u8>,
    title: String,
    detail: String,
}

impl Chunk {
    fn push(&mut self, key: i64, title: ValueRef<'_>, detail: ValueRef<'_>) {
        let mut keep = |v: ValueRef<'_>| match v {
            ValueRef::Null => None,
            v => {
                let start = self.text.len();
                self.text.extend_from_slice(bytes(v));
                Some((start, self.text.len()))
            }
        };
        let title = keep(title);
        let detail = keep(detail);
        self.issues.push((key, title, detail));
    }

    /// Index the issues held, in rowid order, and empty the chunk.
    fn write(&mut self, insert: &mut rusqlite::Statement<'_>) -> rusqlite::Result<()> {
        self.issues.sort_unstable_by_key(|&(key, _, _)| key);
        for &(key, title, detail) in &self.issues {
            // Text as stored, even bytes that are not UTF-8 (then searched as replaced).
            let text = |span: Span, out: &mut String| {
                let (start, end) = span.unwrap_or((0, 0));
                tokens(&as_text(&self.text[start..end]), out);
            };
            text(title, &mut self.title);
            text(detail, &mut self.detail);
            insert.execute(params![
                key,
                title.map(|_| self.title.as_str()),
                detail.map(|_| self.detail.as_str())
            ])?;
        }
        self.issues.clear();
        self.text.clear();
        Ok(())
    }
}

/// Build the index from every issue, replacing one that exists, whole or in pieces. Returns
/// the issues indexed, and whether pages of the old one were left unused: SQLite cannot free
/// the pages of a table whose pages are damaged (and a failed attempt leaves the transaction
/// unable to commit), so such an index's entries are taken out of the schema instead, its
/// pages left unused until `VACUUM` writes the file again without them.
pub fn build(conn: &Connection) -> rusqlite::Result<(u64, bool)> {
    let parts = shadow_tables()?;
    let damaged = pages_damaged(conn, &parts)?;
    if damaged {
        conn.execute_batch("PRAGMA writable_schema = ON")?;
        let forgotten = conn.execute(
            "DELETE FROM sqlite_schema WHERE name = 'issue_text' OR name LIKE 'issue\\_text\\_%' ESCAPE '\\'",
            [],
        );
        conn.execute_batch("PRAGMA writable_schema = RESET")?;
        forgotten?;
    } else {
        drop_cleanly(conn, &parts)?;
    }
    create(conn)?;
    Ok((add_where(conn, None)?, damaged))
}

/// Whether SQLite's check of the index's tables finds damaged pages.
fn pages_damaged(conn: &Connection, parts: &[(String, String)]) -> rusqlite::Result<bool> {
    for (name, _) in parts {
        let present: bool = conn.query_row(
            "SELECT count(*) > 0 FROM sqlite_schema WHERE name = ?1",
            [name],
            |r| r.get(0),
        )?;
        if !present {
            continue;
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
/// (`schema::build_issue_indexes`).
/// Pieces left behind are dropped too: FTS5 cannot open an index one of whose tables was
/// dropped behind yishi's back, nor drop it, so such a table is first given back (empty), and
/// tables left without their index would stop FTS5 creating it.
pub fn drop(conn: &Connection) -> rusqlite::Result<()> {
    drop_cleanly(conn, &shadow_tables()?)
}

fn drop_cleanly(conn: &Connection, parts: &[(String, String)]) -> rusqlite::Result<()> {
    let present = |name: &str| -> rusqlite::Result<bool> {
        conn.query_row(
            "SELECT count(*) > 0 FROM sqlite_schema WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
    };
    if present(TABLE)? && conn.execute_batch("DROP TABLE issue_text").is_err() {
        for (name, sql) in parts {
            if !present(name)? {
                conn.execute_batch(sql)?;
            }
        }
        // FTS5 opens an index only if its settings say which format it is in.
        conn.execute(
            "INSERT OR REPLACE INTO issue_text_config(k, v) VALUES ('version', ?1)",
            [format_version()?],
        )?;
        conn.execute_batch("DROP TABLE issue_text")?;
    }
    for (name, _) in parts {
        conn.execute_batch(&format!("DROP TABLE IF EXISTS \"{name}\""))?;
    }
    Ok(())
}

/// The format FTS5 writes an index in (its `version` setting).
fn format_version() -> rusqlite::Result<i64> {
    let scratch = Connection::open_in_memory()?;
    scratch.execute_batch(CREATE)?;
    scratch.query_row(
        "SELECT v FROM issue_text_config WHERE k = 'version'",
        [],
        |r| r.get(0),
    )
}

/// The tables FTS5 keeps the index in (`issue_text_data`, …) with their SQL, as it creates
/// them.
fn shadow_tables() -> rusqlite::Result<Vec<(String, String)>> {
    let scratch = Connection::open_in_memory()?;
    scratch.execute_batch(CREATE)?;
    let mut stmt = scratch.prepare(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name LIKE 'issue\\_text\\_%' ESCAPE '\\'",
    )?;
    let parts = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(parts)
}

/// Index newly written issues (ids `ids`), if the index is there; a dropped one is rebuilt
/// whole by the import's index stage.
pub fn add(conn: &Connection, ids: RangeInclusive<i64>) -> crate::error::Result<()> {
    if exists(conn)? {
        add_where(conn, Some(ids)).map_err(damaged)?;
    }
    Ok(())
}

/// The error of a statement on the text index: damage to it is named as such, with the way
/// to mend it (see [`Fault::on_text_index`]).
pub(crate) fn damaged(e: rusqlite::Error) -> crate::error::Error {
    Fault::on_text_index(&e).into()
}

/// Index issue `id` again after its title or detail changed.
pub fn replace(conn: &Connection, id: i64) -> crate::error::Result<()> {
    if !exists(conn)? {
        return Ok(());
    }
    replace_in_index(conn, id).map_err(damaged)
}

fn replace_in_index(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    let raised_on: Option<String> = conn
        .query_row("SELECT raised_on FROM issues WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(day) = raised_on {
        conn.execute("DELETE FROM issue_text WHERE rowid = ?1", [key(&day, id)])?;
        add_where(conn, Some(id..=id))?;
    }
    Ok(())
}

/// How many issues have `text` in their title or detail; None when the index cannot serve
/// the search: it is not there (a large import left it to the next command that can write),
/// or `text` is empty.
pub fn count(conn: &Connection, text: &str) -> crate::error::Result<Option<u64>> {
    let Some(q) = usable_query(conn, text) else {
        return Ok(None);
    };
    let total: i64 = conn
        .query_row(
            "SELECT count(*) FROM issue_text WHERE issue_text MATCH ?1",
            [&q],
            |r| r.get(0),
        )
        .map_err(damaged)?;
    Ok(Some(total as u64))
}

/// The issues that have `text` in their title or detail, newest first, after skipping
/// `offset` and at most `limit` (all when None), one id at a time as the index yields them;
/// false (nothing visited) when the index cannot serve the search.
pub fn newest(
    conn: &Connection,
    text: &str,
    limit: Option<u64>,
    offset: u64,
    mut visit: impl FnMut(i64) -> crate::error::Result<()>,
) -> crate::error::Result<bool> {
    let Some(q) = usable_query(conn, text) else {
        return Ok(false);
    };
    let mut stmt = conn
        .prepare(
            "SELECT rowid FROM issue_text WHERE issue_text MATCH ?1 ORDER BY rowid DESC LIMIT ?2 OFFSET ?3",
        )
        .map_err(damaged)?;
    let limit = limit.map_or(-1, |l| l.min(i64::MAX as u64) as i64);
    let mut rows = stmt
        .query(params![q, limit, offset.min(i64::MAX as u64) as i64])
        .map_err(damaged)?;
    while let Some(r) = rows.next().map_err(damaged)? {
        visit(id_of(r.get(0)?))?;
    }
    Ok(true)
}

fn usable_query(conn: &Connection, text: &str) -> Option<String> {
    query(text).filter(|_| serves(conn).unwrap_or(false))
}

/// Whether the index is there and can tell every issue apart: its rowids hold ids up to
/// 2^32 (yishi numbers issues from 1; a larger id can only be written behind its back, and is
/// left out of the index, which then is not used).
fn serves(conn: &Connection) -> rusqlite::Result<bool> {
    // Two queries: SQLite reads min() or max() alone from the end of the table, but both in
    // one query from every row.
    let end = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
    Ok(exists(conn)?
        && end("SELECT coalesce(min(id), 0) FROM issues")? >= 0
        && end("SELECT coalesce(max(id), 0) FROM issues")? <= 0xFFFF_FFFF)
}

/// A seed for the sums that compare the index with the issues, new for each check, so that
/// an index made up to match them cannot be computed in advance.
fn seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
}

/// The SQL condition "the issue contains ?N" served by the index, with the query to bind;
/// None when the index cannot serve it. Days the listing is limited to (`since`, `until`,
/// yyyy-mm-dd) bound the index's rowids too, so that only the matches of those days are read.
pub fn condition(
    conn: &Connection,
    text: &str,
    n: usize,
    since: Option<&str>,
    until: Option<&str>,
) -> Option<(String, String)> {
    let q = usable_query(conn, text)?;
    Some((
        format!(
            "id IN (SELECT rowid & 4294967295 FROM issue_text WHERE issue_text MATCH ?{n}{})",
            day_bounds(since, until)
        ),
        q,
    ))
}

/// How many issues of those days contain `text`, counting no further than `bound`; None when
/// the index cannot serve the search.
pub fn count_up_to(
    conn: &Connection,
    text: &str,
    since: Option<&str>,
    until: Option<&str>,
    bound: u64,
) -> crate::error::Result<Option<u64>> {
    let Some(q) = usable_query(conn, text) else {
        return Ok(None);
    };
    let n: i64 = conn
        .query_row(
            &format!(
                "SELECT count(*) FROM (SELECT 1 FROM issue_text WHERE issue_text MATCH ?1{} LIMIT {bound})",
                day_bounds(since, until)
            ),
            [&q],
            |r| r.get(0),
        )
        .map_err(damaged)?;
    Ok(Some(n as u64))
}

/// ` AND rowid >= … AND rowid <= …` for the days given (yyyy-mm-dd; others are left out).
fn day_bounds(since: Option<&str>, until: Option<&str>) -> String {
    let mut bounds = String::new();
    if let Some(day) = since.and_then(|d| day_number(d.as_bytes())) {
        bounds.push_str(&format!(" AND rowid >= {}", day << 32));
    }
    if let Some(day) = until.and_then(|d| day_number(d.as_bytes())) {
        bounds.push_str(&format!(" AND rowid <= {}", (day << 32) | 0xFFFF_FFFF));
    }
    bounds
}

/// How the index differs from the issues, as a sentence; None when it has every issue,
/// each under its day and with as many characters in its title and detail as the issue (or
/// when it is not built yet). What is in the index is FTS5's count of each column's tokens
/// (one per character). Whether the index's own pages are whole is FTS5's check (`verify`
/// runs it), whether it finds issues is [`check_lookups`], whether its words are the texts'
/// is [`check_words`].
pub fn check(conn: &Connection) -> crate::error::Result<Option<crate::i18n::Text>> {
    if !serves(conn)? {
        return Ok(None);
    }
    let lengths = |key: i64, title: u64, detail: u64| {
        let mut record = [0u8; 24];
        record[..8].copy_from_slice(&key.to_le_bytes());
        record[8..16].copy_from_slice(&title.to_le_bytes());
        record[16..].copy_from_slice(&detail.to_le_bytes());
        record
    };
    let seed = seed();
    let mut issues = SetSum::new(seed);
    each_issue_text(conn, |key, title, detail| {
        issues.add(&lengths(key, chars(title), chars(detail)));
    })?;
    let mut indexed = SetSum::new(seed);
    let mut stmt = conn.prepare("SELECT id, sz FROM issue_text_docsize")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let sizes = bytes(r.get_ref(1)?);
        let (title, used) = varint(sizes);
        let (detail, _) = varint(&sizes[used..]);
        indexed.add(&lengths(r.get(0)?, title, detail));
    }
    Ok((issues != indexed).then(|| {
        crate::text!(
            "search.index_lengths_differ",
            held = indexed.count,
            issues = issues.count
        )
    }))
}

/// Every issue's place in the index ([`key`]) with its title and detail as stored.
fn each_issue_text(
    conn: &Connection,
    mut visit: impl FnMut(i64, &[u8], &[u8]),
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("SELECT id, raised_on, title, detail FROM issues")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let day = String::from_utf8_lossy(bytes(r.get_ref(1)?)).into_owned();
        visit(
            key(&day, r.get(0)?),
            bytes(r.get_ref(2)?),
            bytes(r.get_ref(3)?),
        );
    }
    Ok(())
}

/// A set of records summed so that two sides can be compared without sorting either: how many,
/// and the wrapping sum of their hashes, seeded afresh for each comparison so that an index
/// made up to match cannot be computed in advance.
#[derive(PartialEq)]
struct SetSum {
    count: u64,
    hash: u64,
    seed: u64,
}

impl SetSum {
    fn new(seed: u64) -> Self {
        SetSum {
            count: 0,
            hash: 0,
            seed,
        }
    }

    fn add(&mut self, record: &[u8]) {
        self.count += 1;
        self.hash = self
            .hash
            .wrapping_add(xxhash_rust::xxh3::xxh3_64_with_seed(record, self.seed));
    }
}

/// Whether searches find the issues: FTS5 finds a word through its own index of pages
/// (`issue_text_idx`), which neither its structure check nor the words check reads (rows
/// deleted from it made every search miss while both passed). A sample of issues spread over
/// the ids is looked for, each by the first characters of its title, at its own place.
pub fn check_lookups(conn: &Connection) -> crate::error::Result<Option<crate::i18n::Text>> {
    const SAMPLE: i64 = 256;
    if !serves(conn)? {
        return Ok(None);
    }
    let last: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM issues", [], |r| r.get(0))?;
    let step = (last / SAMPLE).max(1);
    let mut next_issue =
        conn.prepare("SELECT id, raised_on, title FROM issues WHERE id >= ?1 ORDER BY id LIMIT 1")?;
    let mut find =
        conn.prepare("SELECT count(*) FROM issue_text WHERE issue_text MATCH ?1 AND rowid = ?2")?;
    let (mut looked, mut missed) = (0, Vec::new());
    let mut from = i64::MIN;
    while looked < SAMPLE {
        let Some((id, day, title)) = next_issue
            .query_row([from], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    String::from_utf8_lossy(bytes(r.get_ref(1)?)).into_owned(),
                    String::from_utf8_lossy(bytes(r.get_ref(2)?)).into_owned(),
                ))
            })
            .optional()?
        else {
            break;
        };
        from = id.saturating_add(step);
        let Some(q) = query(&title.chars().take(2).collect::<String>()) else {
            continue;
        };
        looked += 1;
        let found: i64 = find.query_row(params![q, key(&day, id)], |r| r.get(0))?;
        if found == 0 {
            missed.push(id);
        }
    }
    Ok(missed.first().map(|first| {
        crate::text!(
            "search.index_misses",
            missed = missed.len(),
            looked = looked,
            first = first
        )
    }))
}

/// How the index's words differ from the issues' texts, as a sentence; None when every
/// character pair of every title and detail is in it at its place, and nothing else is (or
/// when it is not built). `verify --full`: it reads every word of the index (30 million on a
/// million issues, 3 s) through FTS5's vocabulary table, and every title and detail, each side
/// summed as a set of (word, issue, column, place).
pub fn check_words(conn: &Connection) -> crate::error::Result<Option<crate::i18n::Text>> {
    if !serves(conn)? {
        return Ok(None);
    }
    let word_at = |word: &[u8], key: i64, column: u8, place: i64, record: &mut Vec<u8>| {
        record.clear();
        record.extend_from_slice(&key.to_le_bytes());
        record.push(column);
        record.extend_from_slice(&place.to_le_bytes());
        record.extend_from_slice(word);
    };
    let seed = seed();
    let mut record = Vec::with_capacity(32);
    let mut issues = SetSum::new(seed);
    let mut words = String::new();
    each_issue_text(conn, |key, title, detail| {
        for (column, text) in [(0u8, title), (1, detail)] {
            tokens(&String::from_utf8_lossy(text), &mut words);
            for (place, word) in words.split(' ').filter(|w| !w.is_empty()).enumerate() {
                word_at(word.as_bytes(), key, column, place as i64, &mut record);
                issues.add(&record);
            }
        }
    })?;
    // The vocabulary table lives in this connection's temporary schema, which a read-only
    // connection may write.
    conn.execute_batch(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.issue_text_words USING fts5vocab(main, issue_text, instance)",
    )?;
    let mut indexed = SetSum::new(seed);
    let mut stmt = conn.prepare("SELECT term, doc, col, offset FROM temp.issue_text_words")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let column = match bytes(r.get_ref(2)?) {
            b"title" => 0,
            _ => 1,
        };
        word_at(
            bytes(r.get_ref(0)?),
            r.get(1)?,
            column,
            r.get(3)?,
            &mut record,
        );
        indexed.add(&record);
    }
    Ok((issues != indexed).then(|| {
        crate::text!(
            "search.index_words_differ",
            held = indexed.count,
            words = issues.count
        )
    }))
}

/// How many tokens a stored text has: its characters, counted as the index reads them (bytes
/// that are not UTF-8 as replacement characters).
fn chars(bytes: &[u8]) -> u64 {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.chars().count() as u64,
        Err(_) => String::from_utf8_lossy(bytes).chars().count() as u64,
    }
}

/// SQLite's variable-length integer (as FTS5 writes its token counts): the value and the
/// bytes it took; (0, 0) for no bytes.
fn varint(bytes: &[u8]) -> (u64, usize) {
    let mut value = 0u64;
    for (i, &b) in bytes.iter().enumerate().take(9) {
        if i == 8 {
            return ((value << 8) | u64::from(b), 9);
        }
        value = (value << 7) | u64::from(b & 0x7F);
        if b & 0x80 == 0 {
            return (value, i + 1);
        }
    }
    (value, bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A finding as the English reader sees it.
    fn en(t: crate::i18n::Text) -> String {
        t.render(crate::domain::locale::Locale::En)
    }

    fn db(texts: &[(&str, &str, Option<&str>)]) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE issues (id INTEGER PRIMARY KEY, raised_on TEXT, title TEXT, detail TEXT)",
        )
        .unwrap();
        for (day, title, detail) in texts {
            conn.execute(
                "INSERT INTO issues (raised_on, title, detail) VALUES (?1, ?2, ?3)",
                params![day, title, detail],
            )
            .unwrap();
        }
        build(&conn).unwrap();
        conn
    }

    /// The ids whose title or detail contains `text`, newest first, the way SQL scans find them.
    fn scanned(conn: &Connection, text: &str) -> Vec<i64> {
        let mut stmt = conn
            .prepare(
                "SELECT id FROM issues WHERE instr(title, ?1) > 0 OR instr(coalesce(detail, ''), ?1) > 0 \
                 ORDER BY raised_on DESC, id DESC",
            )
            .unwrap();
        stmt.query_map([text], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    fn indexed(conn: &Connection, text: &str) -> Vec<i64> {
        let mut ids = Vec::new();
        assert!(
            newest(conn, text, None, 0, |id| {
                ids.push(id);
                Ok(())
            })
            .unwrap()
        );
        assert_eq!(count(conn, text).unwrap(), Some(ids.len() as u64));
        ids
    }

    fn one_page(conn: &Connection, text: &str, limit: u64, offset: u64) -> Vec<i64> {
        let mut ids = Vec::new();
        newest(conn, text, Some(limit), offset, |id| {
            ids.push(id);
            Ok(())
        })
        .unwrap();
        ids
    }

    #[test]
    fn finds_what_instr_finds_in_the_listing_order() {
        let conn = db(&[
            ("2026-10-01", "路灯不亮", Some("三号楼前的路灯坏了")),
            ("2026-09-30", "灯", None),
            ("2026-10-01", "停车难", Some("晚上没有车位，路 灯也暗")),
            ("2026-10-02", "Lamp post", Some("lamp POST broken")),
            ("2026-10-02", "路灯路灯", Some("")),
        ]);
        for text in [
            "路灯",
            "灯",
            "路",
            "路灯坏了",
            "lamp",
            "Lamp",
            "POST",
            " ",
            "路 灯",
            "车位，",
            "x",
            "灯路",
        ] {
            assert_eq!(indexed(&conn, text), scanned(&conn, text), "{text:?}");
        }
        assert_eq!(count(&conn, "").unwrap(), None);
        assert_eq!(one_page(&conn, "路灯", 1, 1), &indexed(&conn, "路灯")[1..2]);
    }

    #[test]
    fn edits_and_additions_keep_it_in_step() {
        let conn = db(&[("2026-10-01", "路灯不亮", None)]);
        conn.execute(
            "INSERT INTO issues (raised_on, title, detail) VALUES ('2025-01-01', '电梯', '路灯')",
            [],
        )
        .unwrap();
        add(&conn, 2..=2).unwrap();
        assert_eq!(indexed(&conn, "路灯"), vec![1, 2]);
        conn.execute("UPDATE issues SET title = '电梯坏了' WHERE id = 1", [])
            .unwrap();
        replace(&conn, 1).unwrap();
        assert_eq!(indexed(&conn, "路灯"), vec![2]);
        assert_eq!(indexed(&conn, "坏了"), vec![1]);
        assert_eq!(one_page(&conn, "坏了", 1, 1), Vec::<i64>::new());
    }

    #[test]
    fn check_names_an_index_out_of_step() {
        let conn = db(&[
            ("2026-10-01", "路灯不亮", None),
            ("2026-10-02", "电梯", Some("坏了")),
        ]);
        assert_eq!(check(&conn).unwrap(), None);
        conn.execute("UPDATE issues SET title = '路灯不亮了' WHERE id = 1", [])
            .unwrap();
        assert!(en(check(&conn).unwrap().unwrap()).contains("issue reindex"));
        replace(&conn, 1).unwrap();
        assert_eq!(check(&conn).unwrap(), None);
        conn.execute(
            "DELETE FROM issue_text WHERE rowid = ?1",
            [key("2026-10-02", 2)],
        )
        .unwrap();
        assert!(en(check(&conn).unwrap().unwrap()).contains("holds 1 for 2 issues"));
        let long = "长".repeat(300);
        conn.execute("UPDATE issues SET detail = ?1 WHERE id = 2", [&long])
            .unwrap();
        add(&conn, 2..=2).unwrap();
        assert_eq!(check(&conn).unwrap(), None);
    }

    #[test]
    fn it_is_built_again_over_the_pieces_of_a_damaged_one() {
        let conn = db(&[("2026-10-01", "路灯不亮", None)]);
        for part in ["issue_text_config", "issue_text_docsize", "issue_text_idx"] {
            conn.execute_batch(&format!("DROP TABLE {part}")).unwrap();
            assert_eq!(build(&conn).unwrap(), (1, false), "{part}");
            assert_eq!(indexed(&conn, "路灯"), vec![1], "{part}");
        }
        // Its tables left behind without it (its schema entry deleted): FTS5 would refuse to
        // create them again.
        let parts = shadow_tables().unwrap();
        assert_eq!(parts.len(), 4, "{parts:?}");
        drop(&conn).unwrap();
        for (_, sql) in &parts {
            conn.execute_batch(sql).unwrap();
        }
        assert!(!exists(&conn).unwrap());
        assert_eq!(build(&conn).unwrap(), (1, false));
        assert_eq!(indexed(&conn, "灯"), vec![1]);
    }

    #[test]
    fn text_that_is_not_utf8_is_counted_as_it_is_indexed() {
        let conn = db(&[("2026-10-01", "路灯", None)]);
        conn.execute(
            "UPDATE issues SET title = X'E4B8', detail = X'41FF42' WHERE id = 1",
            [],
        )
        .unwrap();
        build(&conn).unwrap();
        assert_eq!(check(&conn).unwrap(), None);
    }

    #[test]
    fn the_words_check_finds_texts_swapped_behind_its_back() {
        let conn = db(&[
            ("2026-10-01", "甲乙路灯", Some("三楼")),
            ("2026-10-02", "丙丁电梯", None),
        ]);
        assert_eq!(check_words(&conn).unwrap(), None);
        // Same lengths, other words: the lengths check cannot tell, the words check can.
        conn.execute("UPDATE issues SET title = '戊己车位' WHERE id = 1", [])
            .unwrap();
        assert_eq!(check(&conn).unwrap(), None);
        let found = en(check_words(&conn).unwrap().unwrap());
        assert!(found.contains("issue reindex"), "{found}");
        build(&conn).unwrap();
        assert_eq!(check_words(&conn).unwrap(), None);
    }

    #[test]
    fn ids_it_cannot_tell_apart_leave_searches_to_the_scan() {
        let conn = db(&[("2026-10-01", "路灯", None)]);
        conn.execute(
            "INSERT INTO issues (id, raised_on, title) VALUES (4294967297, '2026-10-01', '电梯')",
            [],
        )
        .unwrap();
        build(&conn).unwrap();
        // 4294967297 would share issue 1's rowid: the index holds only issue 1 and is not used.
        assert_eq!(count(&conn, "路灯").unwrap(), None);
        assert_eq!(check(&conn).unwrap(), None);
        assert_eq!(check_words(&conn).unwrap(), None);
    }

    #[test]
    fn the_lookups_check_finds_an_index_that_no_longer_finds() {
        // Enough text for segments of many pages, which FTS5 finds through issue_text_idx.
        let owned: Vec<(String, String)> = (0..3000)
            .map(|i| {
                (
                    format!("2026-10-{:02}", i % 28 + 1),
                    format!("问题{i}号楼路灯{}", i * 7919 % 1000),
                )
            })
            .collect();
        let rows: Vec<(&str, &str, Option<&str>)> = owned
            .iter()
            .map(|(day, title)| (day.as_str(), title.as_str(), Some("三楼的灯不亮")))
            .collect();
        let conn = db(&rows);
        assert_eq!(check_lookups(&conn).unwrap(), None);
        conn.execute_batch("DELETE FROM issue_text_idx").unwrap();
        let found = en(check_lookups(&conn).unwrap().unwrap());
        assert!(found.contains("of 256 issues"), "{found}");
        build(&conn).unwrap();
        assert_eq!(check_lookups(&conn).unwrap(), None);
    }

    /// The tokens as they were first written (a digit at a time): the index's format.
    fn tokens_one_by_one(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if !out.is_empty() {
                out.push(' ');
            }
            for code in [c as u32, chars.peek().map_or(END, |&n| n as u32)] {
                let mut rest = code;
                let mut d = [0u8; 4];
                for x in d.iter_mut().rev() {
                    *x = digit((rest % 36) as usize);
                    rest /= 36;
                }
                out.extend(d.iter().map(|&b| b as char));
            }
        }
        out
    }

    #[test]
    fn tokens_keep_their_format() {
        let mut out = String::from("left over");
        for text in [
            "",
            "路",
            "路灯",
            "a b",
            "Lamp 路灯坏了\u{10FFFF}\u{0}",
            "\u{FFFD}x",
        ] {
            tokens(text, &mut out);
            assert_eq!(out, tokens_one_by_one(text), "{text:?}");
        }
        tokens("路灯", &mut out);
        assert_eq!(out, "0s1b0m7j 0m7jzzzz");
    }

    #[test]
    fn varints_read_as_sqlite_writes_them() {
        assert_eq!(varint(&[5]), (5, 1));
        assert_eq!(varint(&[0x82, 0x2C]), (300, 2));
        assert_eq!(varint(&[]), (0, 0));
    }

    #[test]
    fn keys_sort_like_the_listing() {
        assert!(key("2026-10-02", 1) > key("2026-10-01", 9));
        assert!(key("2026-10-01", 9) > key("2026-10-01", 8));
        assert_eq!(id_of(key("2026-10-01", 12345)), 12345);
        assert_eq!(key("not a day", 7), 7);
        assert_eq!(key("2026-1x-01", 7), 7);
    }

    #[test]
    fn only_its_own_tables_are_parts() {
        assert!(is_part("issue_text"));
        assert!(is_part("issue_text_data"));
        assert!(!is_part("issues"));
        assert!(!is_part("issue_texts"));
    }

    proptest::proptest! {
        /// Any text in titles and details, any search: the index finds what a scan finds.
        #[test]
        fn the_index_finds_exactly_what_a_scan_finds(
            rows in proptest::collection::vec(("[路灯a-c A]{0,8}", proptest::option::of("[路灯a-c ]{0,8}"), 1u32..4), 0..12),
            search in "[路灯a-c A]{1,3}",
        ) {
            let owned: Vec<(String, String, Option<String>)> = rows
                .iter()
                .map(|(t, d, day)| (format!("2026-10-0{day}"), t.clone(), d.clone()))
                .collect();
            let texts: Vec<(&str, &str, Option<&str>)> = owned
                .iter()
                .map(|(day, t, d)| (day.as_str(), t.as_str(), d.as_deref()))
                .collect();
            let conn = db(&texts);
            proptest::prop_assert_eq!(indexed(&conn, &search), scanned(&conn, &search));
        }
    }
}
