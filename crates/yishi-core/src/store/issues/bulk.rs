//! A large import of issues: the plan of a batch (its text in one buffer, its fingerprints in
//! an open-addressing set), the rows already stored that it matches, and the loader that writes
//! the batch in table order with its audit seals.

use super::super::Writer;
use super::super::audit::{BulkSeal, values_hash};
use super::super::search_index;
use super::borrowed_insert::BorrowedInsert;
use super::*;
use crate::domain::issue::Status;
use crate::error::{Error, Result};
use crate::import::survey::Intake;
use rusqlite::Connection;
use rusqlite::types::{ToSqlOutput, ValueRef};
use serde_json::json;

/// Columns of `issues` in table order: bulk loads write and hash rows in this order, and
/// check at start that the table still has exactly these columns.
pub(super) const TABLE_COLUMNS: [&str; 15] = [
    "id",
    "title",
    "detail",
    "submitted_by",
    "phone",
    "address",
    "channel",
    "category",
    "raised_on",
    "status",
    "outcome",
    "merged_into",
    "fingerprint",
    "created_at",
    "objection_to",
];

pub(super) fn text_value(s: &str) -> ValueRef<'_> {
    ValueRef::Text(s.as_bytes())
}

/// The text of a batch of planned issues, one field after another in one buffer: an import of
/// a million rows makes no million small allocations (they were a sixth of its time). Each
/// row is written as its fingerprint reads it (every field's length, 4 bytes little-endian,
/// then its bytes), so the fingerprint is one hash of what was copied anyway.
#[derive(Default)]
pub struct PlannedText(Vec<u8>);

impl PlannedText {
    /// Bytes held, to bound a batch.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// Copy a row's fields; where each one is, and the row's [`fingerprint`].
    fn push(&mut self, parts: &IssueParts) -> ([Span; 8], i64) {
        let start = self.0.len();
        let spans = parts.map(|part| {
            let p = part.unwrap_or("");
            self.0.extend_from_slice(&(p.len() as u32).to_le_bytes());
            let at = self.0.len();
            self.0.extend_from_slice(p.as_bytes());
            match part {
                Some(_) => Span {
                    start: at,
                    end: self.0.len(),
                },
                None => Span::ABSENT,
            }
        });
        // One-shot xxh3 of the bytes equals the streamed hash of the same bytes.
        let fingerprint = xxhash_rust::xxh3::xxh3_64(&self.0[start..]) as i64;
        (spans, fingerprint)
    }

    fn get(&self, span: Span) -> ValueRef<'_> {
        if span.start == usize::MAX {
            ValueRef::Null
        } else {
            ValueRef::Text(&self.0[span.start..span.end])
        }
    }
}

/// Where a field is in [`PlannedText`].
#[derive(Clone, Copy)]
pub(super) struct Span {
    start: usize,
    end: usize,
}

impl Span {
    const ABSENT: Span = Span {
        start: usize::MAX,
        end: usize::MAX,
    };
}

/// An issue given its id and fingerprint, ready to be written and sealed; its fields are in
/// its batch's [`PlannedText`].
#[derive(Clone)]
pub struct PlannedIssue {
    pub id: i64,
    pub fingerprint: i64,
    fields: [Span; 8],
    /// Its category is a keyword's suggestion.
    pub suggested: bool,
    /// A survey's intake metadata.
    pub intake: Option<Box<Intake>>,
    /// The row's seal hash (`values_hash` of exactly the values written), when the reader
    /// made it; otherwise the writer does.
    hash: Option<[u8; 32]>,
}

impl PlannedIssue {
    /// This issue, leaving an empty one in its place.
    pub fn take(&mut self) -> PlannedIssue {
        std::mem::replace(
            self,
            PlannedIssue {
                id: 0,
                fingerprint: 0,
                fields: [Span::ABSENT; 8],
                suggested: false,
                intake: None,
                hash: None,
            },
        )
    }

    fn values<'a>(&self, text: &'a PlannedText, created_at: &'a str) -> [ValueRef<'a>; 15] {
        let [
            title,
            detail,
            submitted_by,
            phone,
            address,
            channel,
            category,
            raised_on,
        ] = self.fields.map(|span| text.get(span));
        [
            ValueRef::Integer(self.id),
            title,
            detail,
            submitted_by,
            phone,
            address,
            channel,
            category,
            raised_on,
            text_value(Status::Collected.key()),
            ValueRef::Null,
            ValueRef::Null,
            ValueRef::Integer(self.fingerprint),
            text_value(created_at),
            ValueRef::Null,
        ]
    }
}

/// The fingerprints seen by a bulk load: an open-addressing table of u64 with linear probing,
/// at most five-eighths full. Fingerprints are xxh3 hashes, evenly spread, so their high bits are the
/// slot: the stored fingerprints, sorted first ([`BulkPlan::new`]), then fill it front to back
/// instead of at random. Its cost is memory latency (a few MiB reached in no order: an eighth of the reader's
/// time, a `HashSet` or not), so a batch's slots are first read together ([`Self::warm`]),
/// their cache misses overlapping, and then checked in order.
///
/// Each key has a tag: the id of the stored issue with that fingerprint (0 if none, or too
/// large to keep), and [`IN_LOAD`] once a row of this load had that content.
///
/// The stored fingerprints are kept apart, sorted (`stored`): a few thousand rows into a
/// million issues put every stored key into the table before the first row, a tenth of that
/// import; sorted, a key is found near where its value says (they are evenly spread).
pub(super) struct FingerprintSet {
    /// The stored fingerprints with their tags, ascending, each once.
    stored: Vec<(u64, u32)>,
    /// 0 marks an empty slot; the fingerprint 0 is kept in `has_zero`.
    slots: Vec<u64>,
    tags: Vec<u32>,
    /// 64 − log2(slots): a key's slot is its top bits.
    shift: u32,
    len: usize,
    has_zero: bool,
    zero_tag: u32,
}

/// How full the table of fingerprints may get (5/8) before it grows.
const MAX_FILL: (usize, usize) = (5, 8);

/// The tag bit of a key that a row of the load being planned had.
pub(super) const IN_LOAD: u32 = 1 << 31;

impl FingerprintSet {
    #[cfg(test)]
    fn with_capacity(rows: usize) -> Self {
        Self::with_stored(Vec::new(), rows)
    }

    /// A set holding `stored` (fingerprints of stored issues with their tags; a key given
    /// twice keeps one of its tags), with room for `rows` more.
    fn with_stored(mut stored: Vec<(u64, u32)>, rows: usize) -> Self {
        // Already sorted when read (`read_stored_keys`): one pass then.
        stored.sort_unstable_by_key(|&(key, _)| key);
        stored.dedup_by_key(|&mut (key, _)| key);
        // Sized from an estimate of the rows (the file's size): at half full, a district
        // survey of a million rows (163 MB, estimated 1.09 million) rounded up to 4 million
        // slots, 48 MiB, a third of that import's memory.
        let slots = (rows.max(8) * MAX_FILL.1 / MAX_FILL.0).next_power_of_two();
        FingerprintSet {
            stored,
            slots: vec![0; slots],
            tags: vec![0; slots],
            shift: 64 - slots.trailing_zeros(),
            len: 0,
            has_zero: false,
            zero_tag: 0,
        }
    }

    fn len(&self) -> usize {
        self.stored.len() + self.len
    }

    /// Where `key` is among the stored keys: from where its value puts it, steps doubling
    /// outwards until it is passed, then a binary search between the last two steps.
    fn find_stored(&self, key: u64) -> Option<usize> {
        let s = &self.stored;
        if s.is_empty() {
            return None;
        }
        let guess = ((u128::from(key) * s.len() as u128) >> 64) as usize;
        let (mut lo, mut hi) = (0, s.len());
        let mut step = 1;
        if s[guess].0 < key {
            lo = guess + 1;
            while guess + step < s.len() {
                if s[guess + step].0 >= key {
                    hi = guess + step + 1;
                    break;
                }
                lo = guess + step + 1;
                step *= 2;
            }
        } else {
            hi = guess + 1;
            while step <= guess {
                if s[guess - step].0 < key {
                    lo = guess - step + 1;
                    break;
                }
                hi = guess - step + 1;
                step *= 2;
            }
        }
        s[lo..hi]
            .binary_search_by_key(&key, |&(k, _)| k)
            .ok()
            .map(|i| lo + i)
    }

    fn slot(&self, key: u64) -> usize {
        (key >> self.shift) as usize
    }

    /// Bring the slots of these fingerprints into the cache: independent reads, which the
    /// processor runs side by side, where the inserts that follow would wait for each in turn.
    fn warm(&self, fingerprints: impl Iterator<Item = i64>) {
        let sink = fingerprints.fold(0u64, |sink, f| sink ^ self.slots[self.slot(f as u64)]);
        std::hint::black_box(sink);
    }

    /// Add a fingerprint; false if it was there already.
    #[cfg(test)]
    fn insert(&mut self, fingerprint: i64) -> bool {
        self.entry(fingerprint).0
    }

    /// Add a fingerprint if absent (tagged 0): whether it was added, and its tag.
    fn entry(&mut self, fingerprint: i64) -> (bool, &mut u32) {
        let key = fingerprint as u64;
        if let Some(i) = self.find_stored(key) {
            return (false, &mut self.stored[i].1);
        }
        if key == 0 {
            let new = !self.has_zero;
            self.has_zero = true;
            self.len += usize::from(new);
            return (new, &mut self.zero_tag);
        }
        if (self.len + 1) * MAX_FILL.1 > self.slots.len() * MAX_FILL.0 {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = self.slot(key);
        loop {
            match self.slots[i] {
                0 => {
                    self.slots[i] = key;
                    self.len += 1;
                    return (true, &mut self.tags[i]);
                }
                k if k == key => return (false, &mut self.tags[i]),
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn grow(&mut self) {
        let bigger = self.slots.len() * 2;
        let old = std::mem::replace(&mut self.slots, vec![0; bigger]);
        let old_tags = std::mem::replace(&mut self.tags, vec![0; self.slots.len()]);
        self.shift -= 1;
        let mask = self.slots.len() - 1;
        for (key, tag) in old.into_iter().zip(old_tags).filter(|&(k, _)| k != 0) {
            let mut i = self.slot(key);
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = key;
            self.tags[i] = tag;
        }
    }
}

/// The stored issue whose key a staged row has: the row is already present if
/// [`stored_matches`] confirms it; `place` is the row's place among identical rows in its file.
#[derive(Clone, Copy)]
pub struct Stored {
    pub id: i64,
    pub place: u32,
}

/// Decides, for a bulk load, which rows are new and which id each gets. It needs no database
/// connection once made, so it runs on the import's reader thread beside the parsing.
///
/// Measured on 1,000,000 rows, the costs of an import were SQLite indexes and re-reading rows
/// to seal them. So duplicates are found with an in-memory set of fingerprints (exact: the
/// write lock is held for the whole import), ids are assigned here, and each row is hashed from
/// the values it will be written with rather than read back.
pub struct BulkPlan {
    seen: FingerprintSet,
    /// Places among identical rows, for contents seen more than once in this load.
    repeats: crate::domain::identity::Occurrences,
    next_id: i64,
    /// The time of the command, which every row is written with.
    created_at: String,
    pub duplicates: u64,
}

/// From how many issues to read from the table their keys are read in two halves, on two
/// connections side by side: each row of the table is stepped through for its key.
const READ_KEYS_IN_HALVES_FROM: i64 = 100_000;

/// The keys of the stored issues with their tags (see [`FingerprintSet`]), ascending by key,
/// and whether some were read from the table in halves. The packed keys (`store::issue_keys`)
/// give those of the issues they cover; the others are read from `issues`. From
/// `halves_from` issues, those are read in two halves by id, this connection and a second
/// one on the same snapshot (`store::twin`: this transaction holds the write lock and has
/// written nothing yet, so the two see the same rows).
fn read_stored_keys(conn: &Connection, halves_from: i64) -> Result<(Vec<(u64, u32)>, bool)> {
    let last: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM issues", [], |r| r.get(0))?;
    // Sized once: memory touched for the first time is what costs here (the kernel zeroes
    // every page of it, measured as up to 40% of an import of 5,000 rows into a million).
    let mut keys: Vec<(u64, u32)> =
        Vec::with_capacity(usize::try_from(last).unwrap_or(0).min(50_000_000) + 1024);
    let covered = match crate::store::issue_keys::read(conn, |id, key| {
        keys.push((key as u64, tag_of(id)))
    })? {
        Some(covered) => covered,
        None => {
            keys.clear();
            0
        }
    };
    // Issues numbered below 1 (only ever written outside yishi) are never packed.
    let first = if covered > 0 {
        keys.extend(keys_between(conn, i64::MIN, 0, 0)?);
        covered + 1
    } else {
        i64::MIN
    };
    let unpacked = last.saturating_sub(covered);
    let twin = (unpacked >= halves_from)
        .then(|| conn.path().filter(|p| !p.is_empty()))
        .flatten()
        .and_then(|path| {
            let path = std::path::Path::new(path);
            crate::store::twin::open_on_same_snapshot(conn, || crate::store::open_reader_at(path))
        });
    let halves = twin.is_some();
    match twin {
        None => keys.extend(keys_between(conn, first, i64::MAX, unpacked)?),
        Some(twin) => {
            let middle = covered + unpacked / 2;
            let (low, high) = std::thread::scope(|scope| {
                let high = scope.spawn(move || {
                    let keys = keys_between(&twin, middle + 1, i64::MAX, last - middle);
                    let _ = twin.execute_batch("COMMIT");
                    keys
                });
                let low = keys_between(conn, first, middle, middle - covered);
                let high = high
                    .join()
                    .unwrap_or_else(|_| Err(Error::internal("a reading thread failed")));
                (low, high)
            });
            keys.extend(low?);
            keys.extend(high?);
        }
    }
    sort_by_key_value(&mut keys);
    // Two stored issues with one key: the blocks were changed outside yishi (with digests made
    // to match), or a true collision of keys. The set would keep one of them, maybe the wrong
    // one, and the other's rows would be added again on every import: read the table instead.
    if covered > 0 && keys.windows(2).any(|w| w[0].0 == w[1].0) {
        let mut keys = keys_between(conn, i64::MIN, i64::MAX, last)?;
        sort_by_key_value(&mut keys);
        return Ok((keys, false));
    }
    Ok((keys, halves))
}

/// Sort keys with their tags by key. Keys are hashes, spread evenly: they are first put in
/// 65,536 buckets by their top 16 bits (two passes over the list), then each bucket (a few
/// keys) sorted; a million keys took a fifth of the standard sort's time. (Swapping each key
/// into its bucket in place took five times as long: each swap waits for a read from memory.)
fn sort_by_key_value(keys: &mut Vec<(u64, u32)>) {
    const BUCKET_BITS: u32 = 16;
    if keys.len() < 1 << 12 {
        keys.sort_unstable_by_key(|&(key, _)| key);
        return;
    }
    let bucket = |key: u64| (key >> (64 - BUCKET_BITS)) as usize;
    let mut starts = vec![0usize; (1 << BUCKET_BITS) + 1];
    for &(key, _) in keys.iter() {
        starts[bucket(key) + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    let mut sorted = vec![(0u64, 0u32); keys.len()];
    for &(key, tag) in keys.iter() {
        let b = bucket(key);
        sorted[next[b]] = (key, tag);
        next[b] += 1;
    }
    for w in starts.windows(2) {
        sorted[w[0]..w[1]].sort_unstable_by_key(|&(key, _)| key);
    }
    *keys = sorted;
}

/// The keys and tags of the stored issues with ids from `first` to `last`, in the table's
/// order; `about` of them, to size the list once.
fn keys_between(conn: &Connection, first: i64, last: i64, about: i64) -> Result<Vec<(u64, u32)>> {
    let mut stmt = conn.prepare(
        "SELECT fingerprint, id FROM issues WHERE fingerprint IS NOT NULL AND id BETWEEN ?1 AND ?2",
    )?;
    let mut rows = stmt.query([first, last])?;
    let mut keys = Vec::with_capacity(usize::try_from(about).unwrap_or(0).min(50_000_000));
    while let Some(row) = rows.next()? {
        keys.push((row.get::<_, i64>(0)? as u64, tag_of(row.get(1)?)));
    }
    Ok(keys)
}

/// A stored issue's tag in the set of keys: its id, or 0 for an id too large to tag (matched
/// by its key alone).
fn tag_of(id: i64) -> u32 {
    u32::try_from(id)
        .ok()
        .filter(|&id| id < IN_LOAD)
        .unwrap_or(0)
}

impl BulkPlan {
    pub fn new(w: &Writer, expected_rows: usize) -> Result<Self> {
        let mut stmt = w
            .conn()
            .prepare("SELECT name FROM pragma_table_info('issues') ORDER BY cid")?;
        let names: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if names != TABLE_COLUMNS {
            return Err(Error::internal(format!(
                "the issues table has columns {names:?}, which the bulk loader does not know: this is a bug in yishi"
            )));
        }
        let (stored_keys, _) = read_stored_keys(w.conn(), READ_KEYS_IN_HALVES_FROM)?;
        let seen = FingerprintSet::with_stored(stored_keys, expected_rows);
        let next_id: i64 =
            w.conn()
                .query_row("SELECT coalesce(max(id), 0) + 1 FROM issues", [], |r| {
                    r.get(0)
                })?;
        Ok(BulkPlan {
            seen,
            next_id,
            created_at: w.now().to_string(),
            repeats: Default::default(),
            duplicates: 0,
        })
    }

    /// About how many issues are stored already (those with a fingerprint: imported ones).
    pub fn stored_rows(&self) -> i64 {
        self.seen.len() as i64
    }

    /// A row's fields copied to `text`, with its fingerprint: an issue not yet known to be new
    /// (see [`Self::admit`]) and without its id.
    pub fn stage(
        &self,
        parts: &IssueParts,
        text: &mut PlannedText,
        suggested: bool,
        intake: Option<Box<Intake>>,
    ) -> PlannedIssue {
        let (fields, fingerprint) = text.push(parts);
        PlannedIssue {
            id: 0,
            fingerprint,
            fields,
            suggested,
            intake,
            hash: None,
        }
    }

    /// Get ready to admit these issues, in one pass over the memory they need.
    pub fn warm<'a>(&self, staged: impl Iterator<Item = &'a PlannedIssue>) {
        self.seen.warm(staged.map(|p| p.fingerprint));
    }

    /// Give a staged issue its key, and if it is new its id and its seal hash if `hash`;
    /// otherwise the stored issue with its key.
    /// Staged issues are admitted in file order: the k-th of identical rows is keyed by its
    /// content and k ([`crate::domain::identity`]), so identical rows in one file are all new
    /// and a file imported again matches each row with the one it stored.
    pub fn admit(
        &mut self,
        issue: &mut PlannedIssue,
        text: &PlannedText,
        hash: bool,
    ) -> Option<Stored> {
        let content = issue.fingerprint;
        let (added, tag) = self.seen.entry(content);
        let repeated = *tag & IN_LOAD != 0;
        *tag |= IN_LOAD;
        let mut stored = (!added).then_some(*tag & !IN_LOAD);
        let mut place = 0;
        if repeated {
            place = self.repeats.next(content) + 1;
            issue.fingerprint = crate::domain::identity::occurrence_key(content, place);
            let (added, tag) = self.seen.entry(issue.fingerprint);
            // A key a row of this load already had (a collision of keys): keep the row.
            stored = (!added && *tag & IN_LOAD == 0).then_some(*tag & !IN_LOAD);
            *tag |= IN_LOAD;
        }
        if let Some(id) = stored {
            self.duplicates += 1;
            return Some(Stored {
                id: i64::from(id),
                place,
            });
        }
        issue.id = self.next_id;
        self.next_id += 1;
        if hash {
            issue.hash = Some(values_hash(&issue.values(text, &self.created_at)));
        }
        None
    }
}

/// Whether the stored issue `id` is this planned row: the same fields, or a row changed since
/// it was imported (corrected, or its resident forgotten), whose key is all that is left of
/// what was imported. A different row that only shares the key (two fingerprints colliding)
/// is not. Id 0 (not known) is trusted to the key.
pub fn stored_matches(
    conn: &Connection,
    Stored { id, place }: Stored,
    row: &PlannedIssue,
    text: &PlannedText,
) -> Result<bool> {
    if id == 0 {
        return Ok(true);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT title, detail, submitted_by, phone, address, channel, category, raised_on, fingerprint FROM issues WHERE id = ?1",
    )?;
    let mut rows = stmt.query([id])?;
    let Some(stored) = rows.next()? else {
        return Ok(false);
    };
    // The stored issue must have the key it was found by: the packed keys (`issue_keys`) are
    // derived data, and one changed outside yishi must not make a new row look present.
    if stored.get_ref(8)? != ValueRef::Integer(row.fingerprint) {
        return Ok(false);
    }
    // Compared in place, without copying the stored text (a file imported again confirms
    // every row this way).
    let mut same = true;
    for (i, span) in row.fields.iter().enumerate() {
        same &= stored.get_ref(i)? == text.get(*span);
    }
    if same {
        return Ok(true);
    }
    // Not the same fields: a row changed since it was imported still counts as present (its
    // fields no longer hash to its key); a row that does hash to it is another row.
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    for i in 0..8 {
        let bytes = match stored.get_ref(i)? {
            ValueRef::Text(t) | ValueRef::Blob(t) => t,
            _ => &[],
        };
        h.update(&(bytes.len() as u32).to_le_bytes());
        h.update(bytes);
    }
    let unchanged =
        crate::domain::identity::occurrence_key(h.digest() as i64, place) == row.fingerprint;
    Ok(!unchanged)
}

/// A row that [`stored_matches`] found new after all, owned to be written after the others.
pub struct LateIssue {
    fields: [Option<String>; 8],
    key: i64,
}

impl LateIssue {
    pub fn new(row: &PlannedIssue, text: &PlannedText) -> Self {
        LateIssue {
            fields: row.fields.map(|span| match text.get(span) {
                ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                _ => None,
            }),
            key: row.fingerprint,
        }
    }
}

/// Drop the listing indexes of `issues` and their text index before a large bulk load, in its
/// transaction; the import's index stage builds them again (`schema::build_issue_indexes`).
pub fn drop_issue_indexes(w: &Writer) -> Result<()> {
    for (name, _) in super::super::schema::ISSUE_INDEXES {
        w.conn()
            .execute_batch(&format!("DROP INDEX IF EXISTS {name}"))?;
    }
    // A text index too damaged to drop is named as such: `issue reindex` mends it, and the
    // import can then run.
    search_index::drop(w.conn()).map_err(search_index::damaged)?;
    Ok(())
}

/// Writes planned issues with one prepared statement and seals them.
pub struct BulkLoader<'w> {
    pub inserted: u64,
    first_id: Option<i64>,
    last_id: i64,
    insert: BorrowedInsert<'w>,
    seal: BulkSeal,
    /// Intake rows (survey metadata, suggested categories): sealed by a second event.
    insert_intake: rusqlite::Statement<'w>,
    intake_seal: BulkSeal,
    intake_rows: u64,
}

impl<'w> BulkLoader<'w> {
    pub fn new(w: &'w Writer) -> Result<Self> {
        // Only what differs from row to row is bound (the time of the command too: binding in
        // place costs nothing); the status and the empty columns are in the statement itself.
        // (16 rows a statement ran the same instructions as one, by callgrind; with each text
        // copied as it was bound, 4 to 32 rows a statement had been slower.)
        let insert = BorrowedInsert::new(
            w.conn(),
            &format!(
                "INSERT INTO issues (id, title, detail, submitted_by, phone, address, channel, category, raised_on, \
                 fingerprint, created_at, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, '{}')",
                Status::Collected.key()
            ),
        )?;
        let insert_intake = w.conn().prepare(INSERT_INTAKE)?;
        Ok(BulkLoader {
            inserted: 0,
            first_id: None,
            last_id: 0,
            insert,
            seal: w.begin_bulk("issues"),
            insert_intake,
            intake_seal: w.begin_second_bulk(INTAKE),
            intake_rows: 0,
        })
    }

    /// Write one planned issue and seal it, hashing it here if the reader did not.
    pub fn add(&mut self, w: &Writer, p: &PlannedIssue, text: &PlannedText) -> Result<()> {
        let values = p.values(text, w.now());
        // Columns 0..=8 in table order, then the fingerprint (12) and the time (13).
        let [row @ .., _, _, _, fingerprint, created_at, _] = values;
        let mut bound = [ValueRef::Null; 11];
        bound[..9].copy_from_slice(&row);
        bound[9] = fingerprint;
        bound[10] = created_at;
        self.insert.execute(&bound)?;
        let hash = p.hash.unwrap_or_else(|| values_hash(&values));
        w.bulk_seal_row(&mut self.seal, p.id, &hash)?;
        if p.suggested || p.intake.is_some() {
            let none = Intake::default();
            let i = p.intake.as_deref().unwrap_or(&none);
            let values = intake_values(p.id, i, p.suggested);
            for (n, v) in values.iter().enumerate() {
                self.insert_intake
                    .raw_bind_parameter(n + 1, ToSqlOutput::Borrowed(*v))?;
            }
            self.insert_intake.raw_execute()?;
            w.bulk_seal_row(&mut self.intake_seal, p.id, &values_hash(&values))?;
            self.intake_rows += 1;
        }
        self.first_id.get_or_insert(p.id);
        self.last_id = p.id;
        self.inserted += 1;
        Ok(())
    }

    /// Write the rows found new after the others, numbered after every issue.
    pub fn add_late(&mut self, w: &Writer, late: Vec<LateIssue>) -> Result<()> {
        for row in late {
            let mut text = PlannedText::default();
            let parts: IssueParts = std::array::from_fn(|i| row.fields[i].as_deref());
            let (fields, _) = text.push(&parts);
            let id: i64 =
                w.conn()
                    .query_row("SELECT coalesce(max(id), 0) + 1 FROM issues", [], |r| {
                        r.get(0)
                    })?;
            let planned = PlannedIssue {
                id,
                fingerprint: row.key,
                fields,
                suggested: false,
                intake: None,
                hash: None,
            };
            self.add(w, &planned, &text)?;
        }
        Ok(())
    }

    /// The ids of the issues written so far (they are numbered in order).
    pub fn ids(&self) -> Option<std::ops::RangeInclusive<i64>> {
        Some(self.first_id?..=self.last_id)
    }

    /// What to log with `Writer::finish_bulk`, in order: one event for the issues, and one
    /// after it for their intake rows if any (action and description with each seal). Nothing
    /// when nothing was inserted.
    pub fn into_events(
        self,
        source: &str,
        duplicates: u64,
    ) -> Vec<(BulkSeal, crate::domain::audit::Action, serde_json::Value)> {
        let Some(first) = self.first_id else {
            return Vec::new();
        };
        let mut events = vec![(
            self.seal,
            crate::domain::audit::Action::Import,
            json!({"source": source, "inserted": self.inserted, "duplicates_skipped": duplicates,
                   "first_id": first, "last_id": self.last_id}),
        )];
        if self.intake_rows > 0 {
            events.push((
                self.intake_seal,
                crate::domain::audit::Action::Intake,
                json!({"source": source, "rows": self.intake_rows, "first_id": first, "last_id": self.last_id}),
            ));
        }
        events
    }
}

#[cfg(test)]
mod bulk_tests {
    use super::*;

    /// The stored keys come from the packed blocks for the issues they cover, from the table
    /// for the others (typed after the last import, or numbered below 1), read at once or in
    /// halves: the same keys as the table holds, sorted.
    #[test]
    fn stored_keys_come_from_the_packed_blocks_and_the_table() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.db");
        let mut conn = Connection::open(&path).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE issues (id INTEGER PRIMARY KEY, fingerprint INTEGER);
             CREATE TABLE events (seq INTEGER PRIMARY KEY);
             {};",
            crate::store::issue_keys::CREATE
        ))
        .unwrap();
        let key = |id: i64| (id as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) as i64;
        let add = |conn: &Connection, ids: &mut dyn Iterator<Item = i64>| {
            for id in ids {
                conn.execute(
                    "INSERT INTO issues VALUES (?1, ?2)",
                    rusqlite::params![id, (id % 5 != 0).then(|| key(id))],
                )
                .unwrap();
            }
        };
        add(&conn, &mut (1..=20_000));
        crate::store::issue_keys::refresh(&conn).unwrap();
        add(&conn, &mut (20_001..=20_500).chain([0]));
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .unwrap();
        let mut want: Vec<(u64, u32)> = crate::store::query_all(
            &tx,
            "SELECT fingerprint, id FROM issues WHERE fingerprint IS NOT NULL",
            [],
            |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, u32>(1)?)),
        )
        .unwrap();
        want.sort_unstable();
        assert_eq!(
            crate::store::issue_keys::read_all(&tx).unwrap().covered,
            20_000
        );
        let (at_once, halves) = read_stored_keys(&tx, i64::MAX).unwrap();
        assert!(!halves);
        assert_eq!(at_once, want);
        let (in_halves, halves) = read_stored_keys(&tx, 1).unwrap();
        assert!(halves);
        assert_eq!(in_halves, want);
        // Block 0 forged with its digest made to match: issue 1 given issue 2's key. Two
        // issues with one key: the table is read instead.
        let mut blob: Vec<u8> = tx
            .query_row("SELECT keys FROM issue_keys WHERE block = 0", [], |r| {
                r.get(0)
            })
            .unwrap();
        let second = blob[12..20].to_vec();
        blob[2..10].copy_from_slice(&second);
        crate::store::issue_keys::forge(&tx, 0, &blob);
        assert!(crate::store::issue_keys::read_all(&tx).is_some());
        assert_eq!(read_stored_keys(&tx, i64::MAX).unwrap().0, want);
    }

    proptest::proptest! {
        /// The bucket sort of keys sorts as the standard sort does, keys spread or not.
        #[test]
        fn keys_sort_by_value(mut keys in proptest::collection::vec((proptest::num::u64::ANY, 0u32..9), 0..9000), narrow: bool) {
            if narrow {
                keys.iter_mut().for_each(|(k, _)| *k >>= 50);
            }
            let mut want = keys.clone();
            want.sort_by_key(|&(k, _)| k);
            sort_by_key_value(&mut keys);
            let just_keys = |v: &[(u64, u32)]| v.iter().map(|&(k, _)| k).collect::<Vec<_>>();
            proptest::prop_assert_eq!(just_keys(&keys), just_keys(&want));
            let mut tags = keys.clone();
            tags.sort_unstable();
            want.sort_unstable();
            proptest::prop_assert_eq!(tags, want);
        }
    }

    /// Read in halves on two connections, the stored keys are the ones one connection reads:
    /// every key once, NULLs left out, ids too large to tag tagged 0.
    #[test]
    fn stored_keys_read_in_halves_are_the_keys_read_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.db");
        let mut conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE issues (id INTEGER PRIMARY KEY, fingerprint INTEGER);
             CREATE TABLE events (seq INTEGER PRIMARY KEY);
             INSERT INTO events VALUES (1);",
        )
        .unwrap();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for id in (1..=3000_i64).chain([1 << 31, (1 << 31) + 1, 1 << 40]) {
            let key = next();
            let fingerprint = (key % 7 != 0 || id > 3000).then_some(key as i64);
            conn.execute(
                "INSERT INTO issues VALUES (?1, ?2)",
                rusqlite::params![id, fingerprint],
            )
            .unwrap();
        }
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .unwrap();
        let (at_once, halves) = read_stored_keys(&tx, i64::MAX).unwrap();
        assert!(!halves);
        let (in_halves, halves) = read_stored_keys(&tx, 1).unwrap();
        assert!(
            halves,
            "a file database with issues is read on two connections"
        );
        assert_eq!(in_halves, at_once);
        let want: i64 = tx
            .query_row(
                "SELECT count(*) FROM issues WHERE fingerprint IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(at_once.len() as i64, want);
        assert!(at_once.windows(2).all(|w| w[0].0 <= w[1].0));
        let tag_of = |id: i64| -> u32 {
            let key: i64 = tx
                .query_row("SELECT fingerprint FROM issues WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .unwrap();
            at_once.iter().find(|(k, _)| *k == key as u64).unwrap().1
        };
        assert_eq!(tag_of(1 << 40), 0);
        assert_eq!(tag_of((1 << 31) + 1), 0);
        let small: i64 = tx
            .query_row(
                "SELECT max(id) FROM issues WHERE fingerprint IS NOT NULL AND id < 100",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tag_of(small), small as u32);
    }

    proptest::proptest! {
        /// The fingerprint hashed from a batch's text is the one `NewIssue::fingerprint` streams.
        #[test]
        fn batch_fingerprints_equal_streamed_ones(
            fields in proptest::collection::vec(proptest::option::of("[a-z路灯\n]{0,40}"), 8),
            before in "[a-z]{0,300}",
        ) {
            let parts: IssueParts = std::array::from_fn(|i| fields[i].as_deref());
            let mut text = PlannedText::default();
            text.push(&[Some(before.as_str()), None, None, None, None, None, None, None]);
            let (spans, fingerprint) = text.push(&parts);
            proptest::prop_assert_eq!(fingerprint, super::fingerprint(&parts));
            for (span, part) in spans.iter().zip(parts) {
                let want = part.map_or(ValueRef::Null, |p| ValueRef::Text(p.as_bytes()));
                proptest::prop_assert_eq!(text.get(*span), want);
            }
        }

        /// The fingerprint set answers as a `HashSet` does, through its growth, whatever the
        /// order of its keys.
        #[test]
        fn the_fingerprint_set_is_a_set_of_any_keys(keys in proptest::collection::vec(proptest::num::i64::ANY, 0..300), sorted: bool) {
            let mut keys = keys;
            if sorted {
                keys.sort_unstable();
            }
            let mut set = FingerprintSet::with_capacity(2);
            let mut model = std::collections::HashSet::new();
            for k in keys.iter().chain(&keys) {
                proptest::prop_assert_eq!(set.insert(*k), model.insert(*k));
            }
            proptest::prop_assert_eq!(set.len(), model.len());
        }

        /// With stored keys, the set answers as a `HashSet` holding them does, and finds each
        /// with its tag: keys spread evenly, or bunched at either end.
        #[test]
        fn the_stored_fingerprints_are_found_with_their_tags(
            stored in proptest::collection::vec(proptest::num::u64::ANY, 0..400),
            bunched in 0u32..3,
            asked in proptest::collection::vec(proptest::num::u64::ANY, 0..50),
        ) {
            let stored: Vec<u64> = stored.into_iter().map(|k| match bunched {
                0 => k,
                1 => k >> 40,
                _ => u64::MAX - (k >> 40),
            }).collect();
            let tags: std::collections::HashMap<u64, u32> =
                stored.iter().map(|&k| (k, (k % 1000) as u32 + 1)).collect();
            let mut set = FingerprintSet::with_stored(
                stored.iter().map(|&k| (k, tags[&k])).collect(),
                2,
            );
            let mut model: std::collections::HashSet<u64> = tags.keys().copied().collect();
            proptest::prop_assert_eq!(set.len(), model.len());
            for &k in &stored {
                let (added, tag) = set.entry(k as i64);
                proptest::prop_assert!(!added);
                proptest::prop_assert_eq!(*tag, tags[&k]);
            }
            for &k in asked.iter().chain(&asked) {
                proptest::prop_assert_eq!(set.insert(k as i64), model.insert(k));
            }
            proptest::prop_assert_eq!(set.len(), model.len());
        }

        /// The fingerprint set answers as a `HashSet` does, through its growth.
        #[test]
        fn the_fingerprint_set_is_a_set(keys in proptest::collection::vec(-40i64..40, 0..200)) {
            let mut set = FingerprintSet::with_capacity(2);
            let mut model = std::collections::HashSet::new();
            for k in keys {
                // Spread the small keys over all bits, and keep 0 (the empty slot's mark).
                let k = if k == 0 { 0 } else { k.wrapping_mul(0x9E37_79B9_7F4A_7C15u64 as i64) };
                set.warm([k, k ^ 1].into_iter());
                proptest::prop_assert_eq!(set.insert(k), model.insert(k));
                proptest::prop_assert_eq!(set.len(), model.len());
            }
        }
    }
}
