//! Issues: intake, screening (accept, reject, merge), pre-consultation and stakeholders.

use super::Writer;
use super::audit::{BulkSeal, values_hash};
use super::search_index;
use crate::domain::issue::Status;
pub use crate::domain::issue::{
    Consultation, Filter, HistoryEntry, Issue, IssueIntake, Link, NewIssue, Page, Stakeholder,
    Submitter,
};
use crate::domain::rules::Outcome;
use crate::error::{Error, Result};
use crate::import::survey::Intake;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::json;

impl NewIssue {
    /// What makes two imported rows the same issue: every field, so that re-importing a file
    /// adds nothing while two residents raising the same title on different days both count.
    pub fn fingerprint(&self) -> i64 {
        fingerprint(&self.parts())
    }

    /// The fields in the order of [`IssueParts`].
    pub fn parts(&self) -> IssueParts<'_> {
        [
            Some(self.title.as_str()),
            self.detail.as_deref(),
            self.submitted_by.as_deref(),
            self.phone.as_deref(),
            self.address.as_deref(),
            Some(self.channel.as_str()),
            self.category.as_deref(),
            Some(self.raised_on.as_str()),
        ]
    }
}

/// A new issue's fields, borrowed: title, detail, submitted_by, phone, address, channel,
/// category, raised_on (title, channel and raised_on always present).
pub type IssueParts<'a> = [Option<&'a str>; 8];

/// The fingerprint of [`NewIssue::fingerprint`], of borrowed fields.
pub fn fingerprint(parts: &IssueParts) -> i64 {
    // xxh3: stable across versions and platforms, and a collision among a million rows is
    // about one chance in 10^7; this only decides "already imported", never integrity.
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    for part in parts {
        let p = part.unwrap_or("");
        h.update(&(p.len() as u32).to_le_bytes());
        h.update(p.as_bytes());
    }
    h.digest() as i64
}

const COLUMNS: &str = "id, title, detail, submitted_by, phone, address, channel, category, raised_on, status, outcome, merged_into, created_at, objection_to";

fn from_row(r: &Row) -> rusqlite::Result<Issue> {
    Ok(Issue {
        id: r.get(0)?,
        title: r.get(1)?,
        detail: r.get(2)?,
        submitted_by: r.get(3)?,
        phone: r.get(4)?,
        address: r.get(5)?,
        channel: r.get(6)?,
        category: r.get(7)?,
        raised_on: r.get(8)?,
        status: super::codes::decode(r, 9, "issues", "status", r.get(0)?)?,
        outcome: super::codes::decode_opt(r, 10, "issues", "outcome", r.get(0)?)?,
        merged_into: r.get(11)?,
        created_at: r.get(12)?,
        objection_to: r.get(13)?,
    })
}

const INSERT: &str = "INSERT OR IGNORE INTO issues \
    (title, detail, submitted_by, phone, address, channel, category, raised_on, status, fingerprint, created_at) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'collected', ?9, ?10)";

/// Add one issue typed by the secretary; `objection_to` links an objection to a decision.
pub fn insert(
    w: &mut Writer,
    i: &NewIssue,
    stakeholders: &[String],
    objection_to: Option<i64>,
) -> Result<i64> {
    w.conn().execute(
        INSERT,
        params![
            i.title,
            i.detail,
            i.submitted_by,
            i.phone,
            i.address,
            i.channel,
            i.category,
            i.raised_on,
            Option::<i64>::None,
            w.now()
        ],
    )?;
    let id = w.conn().last_insert_rowid();
    search_index::add(w.conn(), id..=id)?;
    if objection_to.is_some() {
        w.conn().execute(
            "UPDATE issues SET objection_to = ?2 WHERE id = ?1",
            params![id, objection_to],
        )?;
    }
    let mut rows = vec![("issues", id)];
    for name in stakeholders {
        w.conn().execute(
            "INSERT OR IGNORE INTO issue_stakeholders (issue_id, name) VALUES (?1, ?2)",
            params![id, name],
        )?;
        rows.push(("issue_stakeholders", w.conn().last_insert_rowid()));
    }
    w.record(
        "issue",
        Some(id),
        "add",
        json!({"title": i.title, "submitted_by": i.submitted_by.is_some(), "phone": i.phone, "address": i.address,
               "channel": i.channel, "category": i.category, "raised_on": i.raised_on, "stakeholders": stakeholders,
               "objection_to": objection_to}),
        &rows,
    )?;
    Ok(id)
}

/// Columns of `issues` in table order: bulk loads write and hash rows in this order, and
/// check at start that the table still has exactly these columns.
const TABLE_COLUMNS: [&str; 15] = [
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

fn text_value(s: &str) -> ValueRef<'_> {
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
struct Span {
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
/// at most half full. Fingerprints are xxh3 hashes, evenly spread, so their low bits are the
/// slot. Its cost is memory latency (a few MiB reached in no order: an eighth of the reader's
/// time, a `HashSet` or not), so a batch's slots are first read together ([`Self::warm`]),
/// their cache misses overlapping, and then checked in order.
///
/// Each key has a tag: the id of the stored issue with that fingerprint (0 if none, or too
/// large to keep), and [`IN_LOAD`] once a row of this load had that content.
struct FingerprintSet {
    /// 0 marks an empty slot; the fingerprint 0 is kept in `has_zero`.
    slots: Vec<u64>,
    tags: Vec<u32>,
    len: usize,
    has_zero: bool,
    zero_tag: u32,
}

/// The tag bit of a key that a row of the load being planned had.
const IN_LOAD: u32 = 1 << 31;

impl FingerprintSet {
    fn with_capacity(rows: usize) -> Self {
        let slots = (rows.max(8) * 2).next_power_of_two();
        FingerprintSet {
            slots: vec![0; slots],
            tags: vec![0; slots],
            len: 0,
            has_zero: false,
            zero_tag: 0,
        }
    }

    fn len(&self) -> usize {
        self.len
    }

    /// Bring the slots of these fingerprints into the cache: independent reads, which the
    /// processor runs side by side, where the inserts that follow would wait for each in turn.
    fn warm(&self, fingerprints: impl Iterator<Item = i64>) {
        let mask = self.slots.len() - 1;
        let sink = fingerprints.fold(0u64, |sink, f| sink ^ self.slots[f as u64 as usize & mask]);
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
        if key == 0 {
            let new = !self.has_zero;
            self.has_zero = true;
            self.len += usize::from(new);
            return (new, &mut self.zero_tag);
        }
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = key as usize & mask;
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
        let mask = self.slots.len() - 1;
        for (key, tag) in old.into_iter().zip(old_tags).filter(|&(k, _)| k != 0) {
            let mut i = key as usize & mask;
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
        let mut stmt = w
            .conn()
            .prepare("SELECT fingerprint, id FROM issues WHERE fingerprint IS NOT NULL")?;
        let mut seen = FingerprintSet::with_capacity(expected_rows);
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(1)?;
            // An id too large to tag is matched by its fingerprint alone.
            let tag = u32::try_from(id).ok().filter(|&id| id < IN_LOAD);
            *seen.entry(row.get(0)?).1 = tag.unwrap_or(0);
        }
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
        "SELECT title, detail, submitted_by, phone, address, channel, category, raised_on FROM issues WHERE id = ?1",
    )?;
    let mut rows = stmt.query([id])?;
    let Some(stored) = rows.next()? else {
        return Ok(false);
    };
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
    for (name, _) in super::schema::ISSUE_INDEXES {
        w.conn()
            .execute_batch(&format!("DROP INDEX IF EXISTS {name}"))?;
    }
    search_index::drop(w.conn())?;
    Ok(())
}

/// Writes planned issues with one prepared statement and seals them.
pub struct BulkLoader<'w> {
    pub inserted: u64,
    first_id: Option<i64>,
    last_id: i64,
    insert: rusqlite::Statement<'w>,
    seal: BulkSeal,
    /// Intake rows (survey metadata, suggested categories): sealed by a second event.
    insert_intake: rusqlite::Statement<'w>,
    intake_seal: BulkSeal,
    intake_rows: u64,
}

impl<'w> BulkLoader<'w> {
    pub fn new(w: &'w Writer) -> Result<Self> {
        // Only what differs from row to row is bound for each row: the time of the command
        // once, the status and the empty columns in the statement itself. (Inserting 4 to 32
        // rows a statement was slower: SQLite then allocates each bound text.)
        let mut insert = w.conn().prepare(&format!(
            "INSERT INTO issues (id, title, detail, submitted_by, phone, address, channel, category, raised_on, \
             fingerprint, created_at, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, '{}')",
            Status::Collected.key()
        ))?;
        insert.raw_bind_parameter(11, w.now())?;
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
        // Columns 0..=8 in table order, then the fingerprint (12).
        for (i, v) in values[..9].iter().chain(&values[12..13]).enumerate() {
            self.insert
                .raw_bind_parameter(i + 1, ToSqlOutput::Borrowed(*v))?;
        }
        self.insert.raw_execute()?;
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
    ) -> Vec<(BulkSeal, &'static str, serde_json::Value)> {
        let Some(first) = self.first_id else {
            return Vec::new();
        };
        let mut events = vec![(
            self.seal,
            "import",
            json!({"source": source, "inserted": self.inserted, "duplicates_skipped": duplicates,
                   "first_id": first, "last_id": self.last_id}),
        )];
        if self.intake_rows > 0 {
            events.push((
                self.intake_seal,
                "intake",
                json!({"source": source, "rows": self.intake_rows, "first_id": first, "last_id": self.last_id}),
            ));
        }
        events
    }
}

const INTAKE: &str = "issue_intake";

const INSERT_INTAKE: &str = "INSERT INTO issue_intake \
    (id, platform, route, submitted_at, region, answer_id, category_suggested) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

/// An intake row's values in table order: what is written and sealed.
fn intake_values(id: i64, i: &Intake, suggested: bool) -> [ValueRef<'_>; 7] {
    fn text(v: &Option<String>) -> ValueRef<'_> {
        v.as_deref().map_or(ValueRef::Null, text_value)
    }
    [
        ValueRef::Integer(id),
        text(&i.platform),
        text(&i.route),
        text(&i.submitted_at),
        text(&i.region),
        text(&i.answer_id),
        ValueRef::Integer(i64::from(suggested)),
    ]
}

/// How an issue came in (a survey's metadata) and whether its category is only suggested.
pub fn intake(conn: &Connection, id: i64) -> Result<Option<IssueIntake>> {
    Ok(conn
        .query_row(
            "SELECT platform, route, submitted_at, region, answer_id, category_suggested FROM issue_intake WHERE id = ?1",
            [id],
            |r| {
                Ok(IssueIntake {
                    survey: Intake {
                        platform: r.get(0)?,
                        route: r.get(1)?,
                        submitted_at: r.get(2)?,
                        region: r.get(3)?,
                        answer_id: r.get(4)?,
                    },
                    category_suggested: r.get(5)?,
                })
            },
        )
        .optional()?)
}

/// A suggested category becomes the issue's own (it was accepted, or its category edited):
/// the intake row to seal with the change, if it had a suggestion.
fn confirm_category(w: &Writer, id: i64) -> Result<Option<(&'static str, i64)>> {
    let changed = w.conn().execute(
        "UPDATE issue_intake SET category_suggested = 0 WHERE id = ?1 AND category_suggested = 1",
        [id],
    )?;
    Ok((changed > 0).then_some((INTAKE, id)))
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Issue>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM issues WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?)
}

/// The issue `#id`, or an error that says how to find one.
pub fn require(conn: &Connection, id: i64) -> Result<Issue> {
    get(conn, id)?.ok_or_else(|| {
        Error::data(format!(
            "no issue #{id}: `yishi issue list` shows the issues and their ids"
        ))
    })
}

impl Filter {
    /// Text search with no filter that an index serves.
    pub fn only_text_search(&self) -> bool {
        self.search.is_some()
            && self.status.is_none()
            && self.category.is_none()
            && self.submitted_by.is_none()
            && self.channels.is_none()
            && self.since.is_none()
            && self.until.is_none()
    }

    /// The WHERE clause and its values. Text search reads the text index when it is there
    /// (`search_index`) and it is the narrower way in, and every title and detail otherwise.
    fn sql(&self, conn: &Connection) -> Result<(String, Vec<String>)> {
        self.sql_reading_text(conn, false)
    }

    /// `sql`, where `scan` reads every title and detail of the rows the other conditions
    /// leave instead of asking the text index.
    fn sql_reading_text(&self, conn: &Connection, scan: bool) -> Result<(String, Vec<String>)> {
        let mut conditions = Vec::new();
        let mut values: Vec<String> = Vec::new();
        if let Some(status) = self.status {
            values.push(status.key().to_string());
            conditions.push(format!("status = ?{}", values.len()));
        }
        let category = match self.category.as_deref() {
            Some(crate::domain::issue::UNCATEGORIZED) => {
                conditions.push("category IS NULL".into());
                &None
            }
            _ => &self.category,
        };
        for (condition, value) in [
            ("category = ?", category),
            ("raised_on >= ?", &self.since),
            ("raised_on <= ?", &self.until),
            ("submitted_by = ?", &self.submitted_by),
        ] {
            if let Some(v) = value {
                values.push(v.clone());
                conditions.push(condition.replace('?', &format!("?{}", values.len())));
            }
        }
        if let Some(words) = &self.channels {
            let mut marks = Vec::new();
            for w in words {
                values.push(w.clone());
                marks.push(format!("?{}", values.len()));
            }
            conditions.push(format!("channel IN ({})", marks.join(", ")));
        }
        if let Some(text) = &self.search {
            let (since, until) = (self.since.as_deref(), self.until.as_deref());
            let indexed = match search_index::condition(conn, text, values.len() + 1, since, until)
            {
                Some(found)
                    if !scan && self.index_is_narrower(conn, text, &conditions, &values)? =>
                {
                    Some(found)
                }
                _ => None,
            };
            match indexed {
                Some((condition, query)) => {
                    values.push(query);
                    conditions.push(condition);
                }
                None => {
                    values.push(text.clone());
                    let n = values.len();
                    conditions.push(format!(
                        "(instr(title, ?{n}) > 0 OR instr(coalesce(detail, ''), ?{n}) > 0)"
                    ));
                }
            }
        }
        let clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        Ok((clause, values))
    }

    /// Whether the text index finds so many issues (a third of them or more) that reading
    /// the listing in its order, each row read for its text, costs less than looking every
    /// match up: a text in most issues took 8.5 s from the index, against 1.5 s for the whole
    /// listing. False when the index cannot serve the search.
    fn text_in_many(&self, conn: &Connection) -> Result<bool> {
        let Some(text) = &self.search else {
            return Ok(false);
        };
        let issues: i64 =
            conn.query_row("SELECT coalesce(max(id), 0) FROM issues", [], |r| r.get(0))?;
        let many = (issues as u64 / 3).max(1);
        let (since, until) = (self.since.as_deref(), self.until.as_deref());
        Ok(search_index::count_up_to(conn, text, since, until, many)? == Some(many))
    }

    /// With a status, category, channel or resident as well, whether the text index finds
    /// fewer issues than those columns' indexes: the index's matches are all read before the
    /// other conditions apply (a common text read a million of them: 2 s), while the other
    /// indexes' rows are each read for their text (ten thousand: 10 ms). Both are counted up
    /// to a bound, so the choice costs a few milliseconds; when both reach it, the text index
    /// is the way in (measured: a match read from it costs about a third of a row looked up).
    fn index_is_narrower(
        &self,
        conn: &Connection,
        text: &str,
        conditions: &[String],
        values: &[String],
    ) -> Result<bool> {
        const BOUND: u64 = 100_000;
        let by_column = self.status.is_some()
            || self.category.is_some()
            || self.channels.is_some()
            || self.submitted_by.is_some();
        if !by_column {
            return Ok(true);
        }
        // One character is a prefix query: FTS5 merges the lists of every pair it begins
        // before it can count, and such a text matches most issues anyway.
        if text.chars().nth(1).is_none() {
            return Ok(false);
        }
        let Some(text_matches) = search_index::count_up_to(
            conn,
            text,
            self.since.as_deref(),
            self.until.as_deref(),
            BOUND,
        )?
        else {
            return Ok(false);
        };
        let column_matches: i64 = conn.query_row(
            &format!(
                "SELECT count(*) FROM (SELECT 1 FROM issues WHERE {} LIMIT {BOUND})",
                conditions.join(" AND ")
            ),
            rusqlite::params_from_iter(values),
            |r| r.get(0),
        )?;
        Ok(text_matches < column_matches as u64 || column_matches as u64 >= BOUND)
    }
}

/// How many issues match the filter (for a listing's footer).
pub fn count(conn: &Connection, f: &Filter) -> Result<u64> {
    if let (true, Some(text)) = (f.only_text_search(), &f.search)
        && let Some(total) = search_index::count(conn, text)?
    {
        return Ok(total);
    }
    let (clause, values) = f.sql(conn)?;
    let n: i64 = conn
        .query_row(
            &format!("SELECT count(*) FROM issues {clause}"),
            rusqlite::params_from_iter(values),
            |r| r.get(0),
        )
        .map_err(|e| on_clause(&clause, e))?;
    Ok(n as u64)
}

/// Issues matching the filter, newest first (by the day raised, then the latest added); the
/// closure sees each in turn, as SQLite reads it, so a million issues stream in constant memory.
/// The order is served by an index on the day (and on each filtered column with the day).
pub fn each(
    conn: &Connection,
    f: &Filter,
    page: Page,
    mut visit: impl FnMut(Issue) -> Result<()>,
) -> Result<()> {
    if let (true, false, Some(text)) = (f.only_text_search(), page.recorded_order, &f.search) {
        // The index yields the matches newest first; each is looked up by id.
        let served = search_index::newest(conn, text, page.limit, page.offset, |id| {
            get(conn, id)?.map_or(Ok(()), &mut visit)
        })?;
        if served {
            return Ok(());
        }
    }
    let (clause, values) = f.sql(conn)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM issues {clause} ORDER BY {} LIMIT {} OFFSET {}",
        if page.recorded_order {
            "id"
        } else if f.only_text_search() {
            // Read the table in its own order and keep the newest matches: walking the day's
            // index looks every row up at random and is ten times slower when the text is
            // rare (2.1 s against 0.2 s on a million issues); when it is common both are quick.
            "+raised_on DESC, id DESC"
        } else {
            "raised_on DESC, id DESC"
        },
        page.limit.map_or(-1, |l| l.min(i64::MAX as u64) as i64),
        page.offset.min(i64::MAX as u64),
    ))?;
    let mut rows = stmt
        .query(rusqlite::params_from_iter(values))
        .map_err(|e| on_clause(&clause, e))?;
    while let Some(r) = rows.next().map_err(|e| on_clause(&clause, e))? {
        visit(from_row(r)?)?;
    }
    Ok(())
}

/// The error of a listing's query: when its clause reads the text index (built by
/// [`Filter::sql`]), a failure of that statement is the index's (see `search_index::damaged`).
fn on_clause(clause: &str, e: rusqlite::Error) -> Error {
    if clause.contains(search_index::TABLE) {
        search_index::damaged(e)
    } else {
        e.into()
    }
}

/// One page of a text search with no other filter, and how many issues match in all, from the
/// text index (`search_index`). Without it (a large import left it to the next command that
/// can write), every title and detail is read once: in two halves by id, this connection and
/// `twin` (a second connection on the same snapshot, see `store::twin`) each counting its
/// matches and keeping the newest ones the page needs; the page's rows are then looked up by
/// id. `twin` opens the second connection only when it is needed.
pub fn search_page(
    conn: &Connection,
    twin: impl FnOnce() -> Option<Connection>,
    f: &Filter,
    limit: u64,
    offset: u64,
) -> Result<(Vec<Issue>, u64)> {
    if let Some(text) = &f.search
        && let Some(total) = search_index::count(conn, text)?
    {
        let mut page = Vec::new();
        search_index::newest(conn, text, Some(limit), offset, |id| {
            page.extend(get(conn, id)?);
            Ok(())
        })?;
        return Ok((page, total));
    }
    let twin = twin();
    let (clause, values) = f.sql(conn)?;
    let keep = usize::try_from(offset.saturating_add(limit)).unwrap_or(usize::MAX);
    let max_id: i64 =
        conn.query_row("SELECT coalesce(max(id), 0) FROM issues", [], |r| r.get(0))?;
    let halves: Vec<(i64, i64)> = if twin.is_some() {
        vec![(i64::MIN, max_id / 2), (max_id / 2 + 1, i64::MAX)]
    } else {
        vec![(i64::MIN, i64::MAX)]
    };
    let sql = format!(
        "SELECT raised_on, id FROM issues {clause} AND id BETWEEN ?{} AND ?{}",
        values.len() + 1,
        values.len() + 2
    );
    // The newest `keep` matches of one half (smallest first in the heap) and its count.
    let scan = |c: &Connection, &(lo, hi): &(i64, i64)| -> Result<(Vec<(String, i64)>, u64)> {
        use std::cmp::Reverse;
        let mut newest = std::collections::BinaryHeap::new();
        let mut count = 0u64;
        let mut stmt = c.prepare(&sql)?;
        let mut params: Vec<rusqlite::types::Value> =
            values.iter().map(|v| v.to_string().into()).collect();
        params.extend([lo.into(), hi.into()]);
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        while let Some(r) = rows.next()? {
            count += 1;
            let key: (String, i64) = (r.get(0)?, r.get(1)?);
            if newest.len() < keep {
                newest.push(Reverse(key));
            } else if newest.peek().is_some_and(|Reverse(oldest)| key > *oldest) {
                newest.pop();
                newest.push(Reverse(key));
            }
        }
        Ok((newest.into_iter().map(|Reverse(k)| k).collect(), count))
    };
    let ((), found) = crate::store::twin::share(conn, twin, &halves, |_| Ok(()), scan)?;
    let mut total = 0;
    let mut keys = Vec::new();
    for (half, count) in found {
        total += count;
        keys.extend(half);
    }
    keys.sort_unstable_by(|a, b| b.cmp(a));
    let mut page = Vec::new();
    for (_, id) in keys.into_iter().skip(offset as usize).take(limit as usize) {
        page.extend(get(conn, id)?);
    }
    Ok((page, total))
}

/// A whole listing (every match, newest first) read on two threads: this connection reads
/// the issues with even ids, `twin` (a second connection on the same snapshot, see
/// `store::twin`) those with odd ids, each walking the day's index and looking up only its
/// half of the rows; each side turns its issues into text with `format`, and `emit` receives
/// the texts merged back into the listing's order. Looking rows up at random is most of the
/// time of a full listing; shared this way, two cores do it at once. A text search is read
/// so only when the text is in many issues (each row is then read for its text); otherwise,
/// and without a twin, it is `each` on this connection.
pub fn each_split(
    conn: &Connection,
    twin: Option<Connection>,
    f: &Filter,
    format: impl Fn(&Issue) -> Result<String> + Sync,
    mut emit: impl FnMut(&str) -> Result<()>,
) -> Result<()> {
    let split = twin.is_some() && (f.search.is_none() || f.text_in_many(conn)?);
    let Some(twin) = twin.filter(|_| split) else {
        return each(conn, f, Page::default(), |i| emit(&format(&i)?));
    };
    let (clause, values) = f.sql_reading_text(conn, true)?;
    let half = |parity: i64| {
        format!(
            "SELECT {COLUMNS} FROM issues {} id % 2 = {parity} ORDER BY raised_on DESC, id DESC",
            if clause.is_empty() {
                "WHERE".to_string()
            } else {
                format!("{clause} AND")
            }
        )
    };
    /// An issue's place in the listing (compared in reverse: newest first) and its text.
    type Formatted = ((String, i64), String);
    const BATCH: usize = 512;
    let (send, receive) = std::sync::mpsc::sync_channel::<Result<Vec<Formatted>>>(4);
    let format = &format;
    std::thread::scope(|s| -> Result<()> {
        let odd_sql = half(1);
        let odd_values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        s.spawn(move || {
            let read = || -> Result<()> {
                let mut stmt = twin.prepare(&odd_sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(&odd_values))?;
                let mut batch = Vec::with_capacity(BATCH);
                while let Some(r) = rows.next()? {
                    let issue = from_row(r)?;
                    let text = format(&issue)?;
                    batch.push(((issue.raised_on, issue.id), text));
                    if batch.len() == BATCH {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                        if send.send(Ok(full)).is_err() {
                            return Ok(()); // the reader stopped (an error on its side)
                        }
                    }
                }
                let _ = send.send(Ok(batch));
                Ok(())
            };
            if let Err(e) = read() {
                let _ = send.send(Err(e));
            }
            let _ = twin.execute_batch("COMMIT");
        });

        // The receiver is dropped before the scope ends, so that a worker blocked on a full
        // channel stops when this side stops early (an error, a closed pipe).
        let mut odd = receive.into_iter().flat_map(|batch| match batch {
            Ok(b) => b.into_iter().map(Ok).collect::<Vec<_>>(),
            Err(e) => vec![Err(e)],
        });
        let merged = (|| -> Result<()> {
            let mut stmt = conn.prepare(&half(0))?;
            let mut rows = stmt.query(rusqlite::params_from_iter(&values))?;
            let mut next_even = || -> Result<Option<Formatted>> {
                Ok(match rows.next()? {
                    Some(r) => {
                        let issue = from_row(r)?;
                        let text = format(&issue)?;
                        Some(((issue.raised_on, issue.id), text))
                    }
                    None => None,
                })
            };
            let mut even = next_even()?;
            let mut other = odd.next().transpose()?;
            loop {
                let take_even = match (&even, &other) {
                    (Some((a, _)), Some((b, _))) => a > b,
                    (Some(_), None) => true,
                    (None, Some(_)) => false,
                    (None, None) => return Ok(()),
                };
                let taken = if take_even {
                    std::mem::replace(&mut even, next_even()?)
                } else {
                    std::mem::replace(&mut other, odd.next().transpose()?)
                };
                if let Some((_, text)) = taken {
                    emit(&text)?;
                }
            }
        })();
        drop(odd);
        merged
    })
}

/// 议题 ready for a council: accepted and pre-consulted, oldest first, in one query.
pub fn ready_for_agenda(conn: &Connection) -> Result<Vec<Issue>> {
    super::query_all(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM issues WHERE status = 'accepted' \
         AND id IN (SELECT issue_id FROM consultations) ORDER BY raised_on, id"
        ),
        [],
        from_row,
    )
}

/// Move an issue along the status machine, keeping the step in its history.
pub fn set_status(
    w: &mut Writer,
    issue: &Issue,
    to: Status,
    note: Option<&str>,
    action: &str,
) -> Result<()> {
    let from = issue.status;
    // The rule is the domain's; the store's own chains of steps (scheduling an agenda,
    // deciding an item, finishing actions) reach it through here.
    crate::domain::guards::step(issue, to)?;
    w.conn().execute(
        "UPDATE issues SET status = ?2 WHERE id = ?1",
        params![issue.id, to.key()],
    )?;
    let history = add_history(w, issue.id, from, to, note)?;
    let mut rows = vec![("issues", issue.id), ("issue_history", history)];
    // Accepting an issue accepts its suggested category with it.
    if to == Status::Accepted {
        rows.extend(confirm_category(w, issue.id)?);
    }
    w.record(
        "issue",
        Some(issue.id),
        action,
        json!({"status": [from.key(), to.key()], "note": note}),
        &rows,
    )?;
    Ok(())
}

/// 表决: the council decided the issue (adopted or not adopted).
pub fn decide(w: &mut Writer, issue: &Issue, outcome: Outcome, note: &str) -> Result<()> {
    let from = issue.status;
    crate::domain::guards::step(issue, Status::Decided)?;
    w.conn().execute(
        "UPDATE issues SET status = 'decided', outcome = ?2 WHERE id = ?1",
        params![issue.id, outcome],
    )?;
    let history = add_history(w, issue.id, from, Status::Decided, Some(note))?;
    w.record(
        "issue",
        Some(issue.id),
        "decided",
        json!({"status": [from.key(), Status::Decided.key()], "outcome": outcome}),
        &[("issues", issue.id), ("issue_history", history)],
    )?;
    Ok(())
}

/// Change the outcome of a decided issue after a recount.
pub fn set_outcome(w: &mut Writer, issue: &Issue, outcome: Outcome) -> Result<()> {
    crate::domain::guards::recount(issue)?;
    w.conn().execute(
        "UPDATE issues SET outcome = ?2 WHERE id = ?1",
        params![issue.id, outcome],
    )?;
    w.record(
        "issue",
        Some(issue.id),
        "outcome",
        json!({"outcome": [issue.outcome, outcome]}),
        &[("issues", issue.id)],
    )?;
    Ok(())
}

/// A note in the issue's history that does not change its status (a recount, a correction).
pub fn add_note(w: &Writer, issue_id: i64, status: Status, note: &str) -> Result<i64> {
    add_history(w, issue_id, status, status, Some(note))
}

/// A correction of recorded text: the old value, the new one and why (`record_edits`).
#[allow(clippy::too_many_arguments)]
pub fn add_edit(
    w: &Writer,
    entity: &str,
    entity_id: i64,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
    reason: &str,
    meeting_id: Option<i64>,
) -> Result<i64> {
    w.conn().execute(
        "INSERT INTO record_edits (entity, entity_id, field, old_value, new_value, reason, meeting_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![entity, entity_id, field, old, new, reason, meeting_id, w.now()],
    )?;
    Ok(w.conn().last_insert_rowid())
}

/// The value of a field as it was when `mark` (a record_edits id) was the last edit: the old
/// value of the first later edit, or None when it has not been edited since.
pub fn value_at(
    conn: &Connection,
    entity: &str,
    entity_id: i64,
    field: &str,
    mark: i64,
) -> Result<Option<Option<String>>> {
    Ok(conn
        .query_row(
            "SELECT old_value FROM record_edits WHERE entity = ?1 AND entity_id = ?2 AND field = ?3 AND id > ?4 ORDER BY id LIMIT 1",
            params![entity, entity_id, field, mark],
            |r| r.get(0),
        )
        .optional()?)
}

/// `issue edit`: title, detail or category corrected, with the old values and the reason.
pub fn edit(
    w: &mut Writer,
    issue: &Issue,
    title: Option<&str>,
    detail: Option<&str>,
    category: Option<&str>,
    reason: &str,
) -> Result<()> {
    let mut rows = vec![("issues", issue.id)];
    for (field, old, new) in [
        ("title", Some(issue.title.as_str()), title),
        ("detail", issue.detail.as_deref(), detail),
        ("category", issue.category.as_deref(), category),
    ] {
        let Some(new) = new else { continue };
        w.conn().execute(
            &format!("UPDATE issues SET {field} = ?2 WHERE id = ?1"),
            params![issue.id, new],
        )?;
        rows.push((
            "record_edits",
            add_edit(w, "issue", issue.id, field, old, Some(new), reason, None)?,
        ));
    }
    if title.is_some() || detail.is_some() {
        search_index::replace(w.conn(), issue.id)?;
    }
    if category.is_some() {
        rows.extend(confirm_category(w, issue.id)?);
    }
    let status = issue.status;
    rows.push((
        "issue_history",
        add_history(
            w,
            issue.id,
            status,
            status,
            Some(&format!("更正 edited: {reason}")),
        )?,
    ));
    w.record(
        "issue",
        Some(issue.id),
        "edit",
        json!({"title": [issue.title, title], "detail": [issue.detail, detail], "category": [issue.category, category], "reason": reason}),
        &rows,
    )?;
    Ok(())
}

/// A link from `issue` to an earlier issue (reraise) or to a resolution (objection).
pub fn add_link(
    w: &Writer,
    issue_id: i64,
    kind: &str,
    to_issue: Option<i64>,
    to_resolution: Option<i64>,
) -> Result<i64> {
    w.conn().execute(
        "INSERT INTO issue_links (issue_id, kind, to_issue, to_resolution) VALUES (?1, ?2, ?3, ?4)",
        params![issue_id, kind, to_issue, to_resolution],
    )?;
    Ok(w.conn().last_insert_rowid())
}

/// The resolutions an objection points at: the one its link names, or (an objection recorded
/// before links named resolutions) every resolution of the meeting.
pub fn objected_resolutions(
    conn: &Connection,
    issue_id: i64,
    meeting_id: i64,
) -> Result<Vec<crate::domain::motion::Resolution>> {
    let named: Option<i64> = conn
        .query_row(
            "SELECT to_resolution FROM issue_links WHERE issue_id = ?1 AND kind = 'objection' \
               AND to_resolution IS NOT NULL ORDER BY id DESC LIMIT 1",
            [issue_id],
            |r| r.get(0),
        )
        .optional()?;
    match named {
        Some(id) => Ok(vec![super::motions::require_resolution(conn, id)?]),
        None => super::motions::resolutions(conn, Some(meeting_id)),
    }
}

/// Links from or to an issue.
pub fn links(conn: &Connection, issue_id: i64) -> Result<Vec<Link>> {
    super::query_all(
        conn,
        "SELECT issue_id, kind, to_issue, to_resolution FROM issue_links WHERE issue_id = ?1 OR to_issue = ?1 ORDER BY id",
        [issue_id],
        |r| {
            Ok(Link {
                issue_id: r.get(0)?,
                kind: r.get(1)?,
                to_issue: r.get(2)?,
                to_resolution: r.get(3)?,
            })
        },
    )
}

fn add_history(
    w: &Writer,
    issue_id: i64,
    from: Status,
    to: Status,
    note: Option<&str>,
) -> Result<i64> {
    w.conn().execute(
        "INSERT INTO issue_history (issue_id, at, actor, from_status, to_status, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![issue_id, w.now(), w.actor(), from.key(), to.key(), note],
    )?;
    Ok(w.conn().last_insert_rowid())
}

/// Mark `dup` as a duplicate of `into`; its submitter joins the target's submitters.
/// The merge must be allowed first (`domain::guards::merge`).
pub fn merge(w: &mut Writer, dup: &Issue, into: &Issue) -> Result<()> {
    let from = dup.status;
    w.conn().execute(
        "UPDATE issues SET status = 'merged', merged_into = ?2 WHERE id = ?1",
        params![dup.id, into.id],
    )?;
    let history = add_history(
        w,
        dup.id,
        from,
        Status::Merged,
        Some(&format!("merged into #{}", into.id)),
    )?;
    let mut rows = vec![("issues", dup.id), ("issue_history", history)];
    // The duplicate's own submitter and any it had gathered move to the target.
    let mut moved = Vec::new();
    if let Some(name) = &dup.submitted_by {
        w.conn().execute(
            "INSERT INTO issue_submitters (issue_id, name, phone, address, from_issue) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![into.id, name, dup.phone, dup.address, dup.id],
        )?;
        moved.push(w.conn().last_insert_rowid());
    }
    let mut stmt = w
        .conn()
        .prepare("SELECT id FROM issue_submitters WHERE issue_id = ?1")?;
    let earlier: Vec<i64> = stmt
        .query_map([dup.id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    for id in &earlier {
        w.conn().execute(
            "UPDATE issue_submitters SET issue_id = ?2 WHERE id = ?1",
            params![id, into.id],
        )?;
    }
    moved.extend(earlier);
    for id in &moved {
        rows.push(("issue_submitters", *id));
    }
    w.record(
        "issue",
        Some(dup.id),
        "merge",
        json!({"into": into.id, "submitters_moved": moved.len()}),
        &rows,
    )?;
    Ok(())
}

/// The consultation must be allowed first (`domain::guards::consult`).
pub fn consult(
    w: &mut Writer,
    issue: &Issue,
    party: &str,
    summary: &str,
    held_on: &str,
) -> Result<i64> {
    w.conn().execute(
        "INSERT INTO consultations (issue_id, party, summary, held_on, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![issue.id, party, summary, held_on, w.now()],
    )?;
    let id = w.conn().last_insert_rowid();
    w.record(
        "issue",
        Some(issue.id),
        "consult",
        json!({"party": party, "summary": summary, "held_on": held_on}),
        &[("consultations", id)],
    )?;
    Ok(id)
}

pub fn consultations(conn: &Connection, issue_id: i64) -> Result<Vec<Consultation>> {
    super::query_all(
        conn,
        "SELECT id, party, summary, held_on FROM consultations WHERE issue_id = ?1 ORDER BY held_on, id",
        [issue_id],
        |r| {
            Ok(Consultation {
                id: r.get(0)?,
                party: r.get(1)?,
                summary: r.get(2)?,
                held_on: r.get(3)?,
            })
        },
    )
}

/// A stakeholder added to the issue: its row, or None when `name` is already one of them.
pub fn add_stakeholder(
    w: &mut Writer,
    issue: &Issue,
    name: &str,
    phone: Option<&str>,
) -> Result<Option<i64>> {
    let n = w.conn().execute(
        "INSERT OR IGNORE INTO issue_stakeholders (issue_id, name, phone) VALUES (?1, ?2, ?3)",
        params![issue.id, name, phone],
    )?;
    if n == 0 {
        return Ok(None);
    }
    let id = w.conn().last_insert_rowid();
    w.record(
        "issue",
        Some(issue.id),
        "stakeholder-add",
        json!({"name": name, "phone": phone}),
        &[("issue_stakeholders", id)],
    )?;
    Ok(Some(id))
}

pub fn remove_stakeholder(w: &mut Writer, issue: &Issue, name: &str) -> Result<()> {
    let id: Option<i64> = w
        .conn()
        .query_row(
            "SELECT id FROM issue_stakeholders WHERE issue_id = ?1 AND name = ?2",
            params![issue.id, name],
            |r| r.get(0),
        )
        .optional()?;
    let Some(id) = id else {
        return Err(Error::data(format!(
            "{name} is not a stakeholder of issue #{}: `yishi issue show {}` lists them",
            issue.id, issue.id
        )));
    };
    w.conn()
        .execute("DELETE FROM issue_stakeholders WHERE id = ?1", [id])?;
    w.record(
        "issue",
        Some(issue.id),
        "stakeholder-remove",
        json!({"name": name}),
        &[("issue_stakeholders", id)],
    )?;
    Ok(())
}

pub fn stakeholders(conn: &Connection, issue_id: i64) -> Result<Vec<Stakeholder>> {
    super::query_all(
        conn,
        "SELECT id, name, phone FROM issue_stakeholders WHERE issue_id = ?1 ORDER BY id",
        [issue_id],
        |r| {
            Ok(Stakeholder {
                id: r.get(0)?,
                name: r.get(1)?,
                phone: r.get(2)?,
            })
        },
    )
}

pub fn history(conn: &Connection, issue_id: i64) -> Result<Vec<HistoryEntry>> {
    super::query_all(
        conn,
        "SELECT at, actor, from_status, to_status, note, id FROM issue_history WHERE issue_id = ?1 ORDER BY id",
        [issue_id],
        |r| {
            let id: i64 = r.get(5)?;
            Ok(HistoryEntry {
                at: r.get(0)?,
                actor: r.get(1)?,
                from: super::codes::decode(r, 2, "issue_history", "from_status", id)?,
                to: super::codes::decode(r, 3, "issue_history", "to_status", id)?,
                note: r.get(4)?,
            })
        },
    )
}

/// Residents who raised the same issue through merged duplicates.
pub fn co_submitters(conn: &Connection, issue_id: i64) -> Result<Vec<Submitter>> {
    super::query_all(
        conn,
        "SELECT name, phone, address, from_issue FROM issue_submitters WHERE issue_id = ?1 ORDER BY id",
        [issue_id],
        |r| {
            Ok(Submitter {
                name: r.get(0)?,
                phone: r.get(1)?,
                address: r.get(2)?,
                from_issue: r.get(3)?,
            })
        },
    )
}

#[cfg(test)]
mod bulk_tests {
    use super::*;

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
