//! Imports and what follows them: the duplicate hints over the open issues.
//!
//! Reading a file is `import/`'s job (parsing tested without a database); this module is where
//! the rows meet the store.

mod records;
pub use records::{load_feedback, load_members};

use crate::domain::dupes::{Corpus, Pair};
use crate::error::{Error, Result};
use crate::import::issues::{Defaults, Memo};
use crate::import::rejects::Rejects;
use crate::import::{ErrorList, Row, RowError, Source};
use crate::render::count;
use crate::store::issues::{
    self, BulkLoader, BulkPlan, LateIssue, PlannedIssue, PlannedText, Stored,
};
use crate::store::schema::IndexStage;
use crate::store::{Actor, Store, Writer, dupes};
use rusqlite::Connection;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};

/// Open issues that look alike, most alike first: every pair (`since` = None), or only the
/// pairs whose newer issue is numbered after `since` (the ones just added).
///
/// The pairs of new issues look among the newest [`HINT_CORPUS`] open issues only: hints must
/// stay quick on a million issues, and `issue dupes` compares them all.
pub fn duplicate_pairs(store: &Store, threshold: f64, since: Option<i64>) -> Result<Vec<Pair>> {
    match since {
        Some(last) => {
            let stored = store.read(|conn| StoredHints::read(conn, last, None))?;
            new_issue_pairs(store, threshold, stored)
        }
        None => Ok(store.read(dupes::open_issues)?.pairs(threshold, |_| true)),
    }
}

/// The part of the duplicate hints that the new issues do not change: the newest
/// [`HINT_CORPUS`] open issues numbered up to `last` (the last before the import), read and
/// normalised. A small import reads them beside its load, on the core its writer leaves free
/// ([`load_issues`]); then only its new issues are read and compared after its commit.
pub struct StoredHints {
    corpus: Corpus,
    last: i64,
}

impl StoredHints {
    /// Read on `conn`, normalised on `threads` threads (all the machine's: `None`).
    fn read(conn: &Connection, last: i64, threads: Option<usize>) -> Result<StoredHints> {
        let issues = dupes::recent_open_between(conn, HINT_CORPUS, i64::MIN, last)?;
        let mut corpus = Corpus::default();
        match threads {
            Some(n) => corpus.extend_on(issues, n),
            None => corpus.extend(issues),
        }
        Ok(StoredHints { corpus, last })
    }
}

/// [`StoredHints`] read through a read-only connection of its own to the database at `path`,
/// on this thread alone, by an import that holds the write lock and has committed nothing: its
/// snapshot is the database as the import found it (no other write can land before the
/// import's own), and `last` the last issue before the import.
fn stored_hints_beside(path: &Path) -> Result<StoredHints> {
    let conn = crate::store::open_reader_at(path)?;
    let tx = conn.unchecked_transaction()?;
    let last = dupes::last_issue_id(&tx)?;
    StoredHints::read(&tx, last, Some(1))
}

/// Above this many new issues an import gives no duplicate hints. The hints compare every
/// new issue with every open one, and survey exports repeat titles: 100,000 rows of twenty
/// titles took 37 s and 760 MiB of memory after a 0.5 s import (scale benchmark data).
pub const HINT_LIMIT: u64 = 10_000;

/// Whether an import of a file of `size` bytes reads its [`StoredHints`] beside its load:
/// files of about [`HINT_LIMIT`] rows or fewer (150 bytes a row), which give hints. (They also
/// keep the WAL: a large load switches the journal, which needs no other connection open.)
fn reads_hints_beside(size: Option<u64>) -> bool {
    size.is_some_and(|bytes| bytes <= HINT_LIMIT * 150)
}
const _: () = assert!(HINT_LIMIT * 150 < BULK_JOURNAL_BYTES);

/// The pairs whose newer issue was numbered after `stored.last`, among those issues and the
/// newest stored ones, [`HINT_CORPUS`] in all.
pub fn new_issue_pairs(store: &Store, threshold: f64, stored: StoredHints) -> Result<Vec<Pair>> {
    let StoredHints { mut corpus, last } = stored;
    let new = store.read(|conn| dupes::recent_open_between(conn, HINT_CORPUS, last, i64::MAX))?;
    corpus.keep_newest(HINT_CORPUS as usize - new.len().min(HINT_CORPUS as usize));
    corpus.extend(new);
    Ok(corpus.pairs(threshold, |id| id > last))
}

/// How many of the newest open issues duplicate hints compare new issues with.
pub const HINT_CORPUS: u32 = 20_000;

/// How a file is loaded, whatever its rows are: from where (for messages and the log), how
/// big (to size an issue import's duplicate check), and how.
pub struct Load {
    pub name: String,
    pub size: Option<u64>,
    pub dry_run: bool,
    /// Load the good rows even when some are bad (they go to the rejects file).
    pub skip_invalid: bool,
}

/// What a load did: the rows read, the bad ones (in the order of the file), and what the
/// importer's writer returned.
pub struct LoadedRows<T> {
    pub rows: u64,
    pub errors: ErrorList,
    pub written: T,
}

/// The refusal of a load with bad rows and no `--skip-invalid`, written once for every import.
pub fn nothing_imported(errors: &ErrorList, name: &str) -> Error {
    Error::data_text(
        crate::text!(
            "import.bad_rows",
            n = count(errors.total as u64),
            file = name
        )
        .pair("report", errors.report_zh(name), errors.report(name)),
    )
}

/// A row as the reader leaves it: a record (good as far as the row itself tells), or a bad
/// row with its problem and raw fields (for a rejects file).
pub enum Parsed<T> {
    Good(T),
    Bad(RowError, Vec<String>),
}

/// What the records of a batch share, kept beside them: an issue import's text (one buffer
/// for the batch's titles and descriptions), nothing for the others.
pub trait BatchText: Default + Send {
    /// Bytes held, to bound a batch.
    fn bytes(&self) -> usize;
    fn clear(&mut self);
}

impl BatchText for () {
    fn bytes(&self) -> usize {
        0
    }
    fn clear(&mut self) {}
}

impl BatchText for PlannedText {
    fn bytes(&self) -> usize {
        PlannedText::len(self)
    }
    fn clear(&mut self) {
        PlannedText::clear(self)
    }
}

/// An import's reading half, on the reader thread: each row to a record or a bad row (the
/// parsing is `import/`'s, tested without a database), and a full batch settled before it
/// goes to the writer.
pub trait ReadRows: Send {
    type Record: Send;
    type Text: BatchText;
    /// The record a (non-blank) row holds, its text added to the batch's.
    fn parse(
        &mut self,
        row: &Row,
        text: &mut Self::Text,
    ) -> std::result::Result<Self::Record, RowError>;
    /// Before a batch goes to the writer (full, or the last one); `hash`: whether this
    /// thread should hash what the writer would otherwise hash (see [`BatchSender`]).
    fn settle(&mut self, _batch: &mut Batch<Self::Record, Self::Text>, _hash: bool) {}
}

/// An import's writing half, in the load's transaction: takes the good records in the order
/// of the file (what is written after the last record is the importer's own, see [`load`]).
pub trait WriteRows<R: ReadRows> {
    /// A record the reader found good. `write` is false once an atomic load has a bad row
    /// (it only validates from then on: nothing will be committed). Returns the row's
    /// refusal (its problem and raw fields) when a rule the store knows refuses it.
    fn take(
        &mut self,
        w: &Writer,
        record: R::Record,
        text: &R::Text,
        write: bool,
    ) -> Result<Option<(RowError, Vec<String>)>>;
}

/// Load `source` in one transaction (a trial with `dry_run`), atomically unless
/// `skip_invalid`: the one way every import goes. `write` is the importer's part of the
/// transaction: it plans against what is stored, hands its reader and writer to
/// [`Pipeline::run`] (the reader runs on a second thread: it decodes, parses, validates and
/// plans rows; this thread writes them, the batches going through a bounded channel so that
/// memory stays flat however large the file), then finishes (late rows, indexes, the audit
/// events). Bad rows go to `rejects` (put in place once the load is committed); `progress`
/// is told of the bytes read. With any bad row and no `skip_invalid`, nothing is written
/// and the error lists the rows.
pub fn load<T, P: Fn(Progress)>(
    store: &mut Store,
    actor: &Actor,
    how: &Load,
    source: &mut Source,
    rejects: Option<Rejects>,
    write: impl FnOnce(&mut Writer, Pipeline<'_, P>) -> Result<T>,
    progress: &P,
) -> Result<LoadedRows<T>> {
    let keep_raw = rejects.is_some();
    let mut taken = Taken {
        rows: 0,
        errors: ErrorList::default(),
        rejects,
    };
    let work = |w: &mut Writer| {
        let pipeline = Pipeline {
            how,
            keep_raw,
            progress,
            source,
            taken: &mut taken,
        };
        write(w, pipeline)
    };
    let written = if how.dry_run {
        store.trial(actor, work)
    } else {
        store.write(actor, work)
    }?;
    if let Some(r) = taken.rejects {
        r.finish()?;
    }
    Ok(LoadedRows {
        rows: taken.rows,
        errors: taken.errors,
        written,
    })
}

/// Read every row of `source`, sending batches until the input ends or the writer stops
/// listening (it failed, and will report why).
fn read_batches<R: ReadRows>(
    source: &mut Source,
    reader: &mut R,
    keep_raw: bool,
    mut sender: BatchSender<R::Record, R::Text>,
) -> Result<()> {
    let mut batch = Batch::default();
    let outcome = source.for_each(|row| -> std::result::Result<(), ()> {
        if row.is_blank() {
            return Ok(());
        }
        let parsed = match reader.parse(row, &mut batch.text) {
            Ok(record) => Parsed::Good(record),
            Err(e) => Parsed::Bad(
                e,
                if keep_raw {
                    row.raw_fields()
                } else {
                    Vec::new()
                },
            ),
        };
        batch.rows.push(parsed);
        batch.byte_position = row.byte_position();
        if batch.is_full() {
            reader.settle(&mut batch, sender.reader_hashes());
            if !sender.send(&mut batch) {
                return Err(());
            }
        }
        Ok(())
    })?;
    if outcome.is_ok() {
        reader.settle(&mut batch, sender.reader_hashes());
        sender.finish(batch);
    }
    Ok(())
}

/// An issue row as the reader leaves it: a valid issue (planned: not stored yet), or a row
/// whose key a stored issue has (already present once the writer confirms it on the fields).
pub enum IssueRow {
    New(PlannedIssue),
    Stored(PlannedIssue, Stored),
}

/// Rows handed from the reader to the writer at a time.
pub struct Batch<T, S = PlannedText> {
    pub rows: Vec<Parsed<T>>,
    /// What the records among `rows` share: the text of the new issues.
    pub text: S,
    /// Bytes of the input read so far, for a progress bar.
    pub byte_position: u64,
}

impl<T, S: Default> Default for Batch<T, S> {
    fn default() -> Self {
        Batch {
            rows: Vec::new(),
            text: S::default(),
            byte_position: 0,
        }
    }
}

impl<T, S: BatchText> Batch<T, S> {
    /// Whether the batch should go to the writer now.
    pub fn is_full(&self) -> bool {
        self.rows.len() >= BATCH_ROWS || self.text.bytes() >= BATCH_BYTES
    }

    fn clear(&mut self) {
        self.rows.clear();
        self.text.clear();
        self.byte_position = 0;
    }
}

impl Batch<IssueRow> {
    /// Settle the new rows the reader staged: which have a stored issue's key (the writer
    /// confirms them), and the ids (and, if `hash`, the seal hashes) of the others.
    pub fn settle(&mut self, plan: &mut BulkPlan, hash: bool) {
        plan.warm(self.rows.iter().filter_map(|parsed| match parsed {
            Parsed::Good(IssueRow::New(issue)) => Some(issue),
            _ => None,
        }));
        for parsed in &mut self.rows {
            if let Parsed::Good(IssueRow::New(issue)) = parsed
                && let Some(stored) = plan.admit(issue, &self.text, hash)
            {
                *parsed = Parsed::Good(IssueRow::Stored(issue.take(), stored));
            }
        }
    }
}

/// The reader's end of the pipeline: full batches go to the writer, and the batches it has
/// emptied come back to be filled again, buffers and all, so that a million rows make a
/// handful of batches rather than a thousand.
///
/// It also tells the reader which of the two threads should hash the rows' seals (SHA-256, a
/// fifth of an import's work): the reader while the writer has batches waiting, the writer
/// while it waits for them. Each thread then has about half the work, whichever is slower on
/// this machine and this file.
pub struct BatchSender<T, S = PlannedText> {
    full: SyncSender<Batch<T, S>>,
    emptied: Receiver<Batch<T, S>>,
    /// Batches sent and not yet taken by the writer.
    waiting: Arc<AtomicUsize>,
}

impl<T, S: BatchText> BatchSender<T, S> {
    /// Send `batch` to the writer and put an empty one in its place; false when the writer
    /// has stopped (it failed, and reports why).
    pub fn send(&mut self, batch: &mut Batch<T, S>) -> bool {
        let empty = self.emptied.try_recv().unwrap_or_default();
        self.waiting.fetch_add(1, Ordering::Relaxed);
        self.full.send(std::mem::replace(batch, empty)).is_ok()
    }

    /// Whether the reader should hash the seals of the batch it is about to send.
    pub fn reader_hashes(&self) -> bool {
        self.waiting.load(Ordering::Relaxed) > 0
    }

    /// Send the last batch, if it holds anything.
    pub fn finish(self, batch: Batch<T, S>) {
        if !batch.rows.is_empty() {
            self.waiting.fetch_add(1, Ordering::Relaxed);
            // A closed channel means the writer already stopped with its own error.
            let _ = self.full.send(batch);
        }
    }
}

/// Full batches waiting for the writer: two keep both threads busy.
const BATCHES_IN_FLIGHT: usize = 2;

/// Rows the reader sends at a time. Small batches keep memory low: with 4,096 rows (and
/// 1 MiB of text) a batch, a million-row import peaked at 103 MiB instead of 70 (the
/// allocator's larger blocks land on more transparent huge pages).
pub const BATCH_ROWS: usize = 1024;

/// Text the reader sends at a time, at most (and a row): long rows make smaller batches.
pub const BATCH_BYTES: usize = 1 << 18;

/// Page cache for an import: keeps the pages being filled in memory; the whole process stays
/// well under 100 MiB.
const BULK_CACHE_MIB: u32 = 16;

/// Loads of this many rows (estimated from the file size) or more drop the listing indexes of
/// `issues` and the text index, when they add at least a quarter of what is stored; the
/// import's index stage builds them again before it returns. Smaller loads, and any load into
/// a database four times its size (a survey export into years of records), keep every index
/// live: they add their rows to it as they go.
const BULK_INDEX_ROWS: usize = 5_000;

/// Whether a load of about `expected_rows` into a table of `stored_rows` drops the indexes
/// for the load and builds them again after it.
fn rebuilds_indexes(expected_rows: usize, stored_rows: i64) -> bool {
    expected_rows >= BULK_INDEX_ROWS && expected_rows as i64 >= stored_rows / 4
}

/// Inputs from this size on are loaded through the rollback journal (see `Store::enter_bulk_journal`).
const BULK_JOURNAL_BYTES: u64 = 4 << 20;

/// What an issue import did.
pub struct Loaded {
    pub rows: u64,
    pub inserted: u64,
    pub duplicates: u64,
    pub errors: ErrorList,
    /// The load was large: it dropped the listing indexes and the text index, and its index
    /// stage built them again (in seconds).
    pub indexes_built: Option<f64>,
    /// The stored part of the duplicate hints, read beside the load (small imports).
    pub stored_hints: Option<StoredHints>,
}

/// Where an import is, for its progress line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// Reading and writing rows: bytes of the input read so far.
    Read(u64),
    /// The index stage: building the listing index named.
    ListingIndex(&'static str),
    /// The index stage: building the text index (`issue list --grep`).
    TextIndex,
}

/// Load issues (see [`load`]): the reader parses, validates and plans rows against the
/// stored fingerprints; the writer adds the new ones and confirms those with a stored key on
/// their fields. `progress` is told of the bytes read, then of the index stage.
///
/// A load large beside what is stored drops the listing indexes and the text index and, once
/// its rows are committed, builds them again in a second transaction (the index stage), so
/// that everything is searchable when the import returns and no later command has work left.
/// If the import is killed in that stage, its rows stay and the next write-capable command
/// completes the indexes (`Store::complete_issue_indexes`); `verify` calls them pending.
///
/// `hints`: duplicate hints follow the import; a small one reads their stored part beside its
/// load ([`Loaded::stored_hints`], for [`new_issue_pairs`]).
#[allow(clippy::too_many_arguments)]
pub fn load_issues(
    store: &mut Store,
    actor: &Actor,
    how: &Load,
    source: &mut Source,
    defaults: &Defaults,
    rejects: Option<Rejects>,
    hints: bool,
    progress: impl Fn(Progress),
) -> Result<Loaded> {
    let timings = Timings::from_env();
    timings.mark("load");
    let path = store.path().to_path_buf();
    let hints_beside = (hints && !how.dry_run && reads_hints_beside(how.size)).then_some(&*path);
    let write = |w: &mut Writer, pipeline: Pipeline<'_, _>| {
        write_issues(w, how, defaults, pipeline, hints_beside)
    };
    store.prepare_bulk_load(BULK_CACHE_MIB)?;
    // Only large loads, where it pays: switching the journal rewrites the file's header, so a
    // small import that fails would no longer leave the file byte-for-byte as it was. Never
    // for a dry run, which must leave it so whatever its size.
    let switched = !how.dry_run
        && how.size.is_some_and(|bytes| bytes >= BULK_JOURNAL_BYTES)
        && store.enter_bulk_journal();
    if !switched {
        // The caller copies the log beside its duplicate hints (`Store::checkpoint_beside`).
        store.hold_checkpoints()?;
    }
    let written = load(store, actor, how, source, rejects, write, &progress);
    timings.mark("");
    // The index stage, still in the bulk journal (its pages are written once).
    let indexed = match &written {
        Ok(loaded) if loaded.written.2 && !how.dry_run => {
            Some(index_stage(store, loaded.written.0, &progress))
        }
        _ => None,
    };
    if switched {
        store.leave_bulk_journal();
    }
    let loaded = written?;
    let (inserted, duplicates, _, stored_hints) = loaded.written;
    let indexes_built = indexed.transpose()?;
    Ok(Loaded {
        rows: loaded.rows,
        inserted,
        duplicates,
        errors: loaded.errors,
        indexes_built,
        stored_hints,
    })
}

/// An issue load's part of the transaction: plan against what is stored, run the rows
/// through the pipeline, then add the late rows, the text index entries and the audit
/// events; with `hints_beside` (the database's path), the stored part of the duplicate hints
/// is read on another thread meanwhile. Returns (inserted, duplicates, indexes dropped, that
/// part of the hints if it was read).
fn write_issues<P: Fn(Progress)>(
    w: &mut Writer,
    how: &Load,
    defaults: &Defaults,
    pipeline: Pipeline<'_, P>,
    hints_beside: Option<&Path>,
) -> Result<(u64, u64, bool, Option<StoredHints>)> {
    std::thread::scope(|scope| {
        // Started inside the transaction: the write lock is held, so the hints read the
        // database as this import found it.
        let stored = hints_beside.map(|path| scope.spawn(move || stored_hints_beside(path)));
        let (inserted, duplicates, dropped) = write_issue_rows(w, how, defaults, pipeline)?;
        // If that thread failed, the hints are worked out after the commit as before (and
        // fail there, saying why, if the cause is still there).
        let stored = stored.and_then(|t| t.join().ok()).and_then(Result::ok);
        Ok((inserted, duplicates, dropped, stored))
    })
}

/// [`write_issues`] but for the hints: returns (inserted, duplicates, indexes dropped).
fn write_issue_rows<P: Fn(Progress)>(
    w: &mut Writer,
    how: &Load,
    defaults: &Defaults,
    pipeline: Pipeline<'_, P>,
) -> Result<(u64, u64, bool)> {
    // About 150 bytes a row in real files: size the duplicate check once.
    let expected_rows = how
        .size
        .map_or(1024, |bytes| (bytes / 150) as usize)
        .min(10_000_000);
    let plan = BulkPlan::new(w, expected_rows)?;
    // A load that is large beside what is stored leaves the listing indexes and the text
    // index to be built after it, by its index stage: dropped before its first new row, so
    // that a file imported again (every row already there) keeps them.
    let mut loader = BulkLoader::new(w)?;
    let mut writer = IssueWriter {
        loader: &mut loader,
        late: Vec::new(),
        drop_indexes: rebuilds_indexes(expected_rows, plan.stored_rows()),
        dropped: false,
    };
    let reader = IssueReader {
        defaults,
        memo: Memo::default(),
        plan,
    };
    let reader = pipeline.run(w, reader, &mut writer)?;
    let IssueWriter { late, dropped, .. } = writer;
    let duplicates = reader.plan.duplicates - late.len() as u64;
    loader.add_late(w, late)?;
    let inserted = loader.inserted;
    if let Some(ids) = loader.ids() {
        // Once for all the new issues, so that each row of the index they touch is written
        // once; a large load dropped the index instead and its index stage builds it.
        crate::store::search_index::add(w.conn(), ids)?;
    }
    if !dropped {
        // The packed keys that the next import reads, up to the last new issue (a load that
        // dropped the indexes has its index stage do this).
        crate::store::issue_keys::refresh(w.conn())?;
    }
    for (seal, action, change) in loader.into_events(&how.name, duplicates) {
        w.finish_bulk(seal, crate::domain::audit::Entity::Issue, action, change)?;
    }
    Ok((inserted, duplicates, dropped))
}

/// An issue import's reader: parses and validates each row (`import::issues`), stages the
/// new issues against the stored fingerprints, and settles each batch (see [`Batch::settle`]).
struct IssueReader<'a> {
    defaults: &'a Defaults,
    memo: Memo,
    plan: BulkPlan,
}

impl ReadRows for IssueReader<'_> {
    type Record = IssueRow;
    type Text = PlannedText;

    fn parse(
        &mut self,
        row: &Row,
        text: &mut PlannedText,
    ) -> std::result::Result<IssueRow, RowError> {
        // Checked against the fingerprints seen when the batch is full (Batch::settle).
        let mut issue = crate::import::issues::parse_fields(row, self.defaults, &mut self.memo)?;
        let intake = issue.intake.take();
        Ok(IssueRow::New(self.plan.stage(
            &issue.parts(),
            text,
            issue.suggested,
            intake,
        )))
    }

    fn settle(&mut self, batch: &mut Batch<IssueRow>, hash: bool) {
        batch.settle(&mut self.plan, hash);
    }
}

/// An issue import's writer: adds the new issues as they come, and confirms the rows with a
/// stored key on their fields.
struct IssueWriter<'l, 'w> {
    loader: &'l mut BulkLoader<'w>,
    /// Rows whose key a stored issue has but whose fields it does not: new after all.
    late: Vec<LateIssue>,
    /// The indexes are to be dropped before the first new row (a large load).
    drop_indexes: bool,
    dropped: bool,
}

impl<'a> WriteRows<IssueReader<'a>> for IssueWriter<'_, '_> {
    fn take(
        &mut self,
        w: &Writer,
        row: IssueRow,
        text: &PlannedText,
        write: bool,
    ) -> Result<Option<(RowError, Vec<String>)>> {
        match row {
            IssueRow::New(issue) if write => {
                if std::mem::take(&mut self.drop_indexes) {
                    issues::drop_issue_indexes(w)?;
                    self.dropped = true;
                }
                self.loader.add(w, &issue, text)?
            }
            IssueRow::Stored(row, stored) => {
                if !issues::stored_matches(w.conn(), stored, &row, text)? {
                    self.late.push(LateIssue::new(&row, text));
                }
            }
            IssueRow::New(_) => {}
        }
        Ok(None)
    }
}

/// The two stages of a load, handed to the importer inside its transaction: the input, how
/// bad rows are treated, the progress.
pub struct Pipeline<'a, P> {
    how: &'a Load,
    keep_raw: bool,
    progress: &'a P,
    source: &'a mut Source,
    taken: &'a mut Taken,
}

impl<P: Fn(Progress)> Pipeline<'_, P> {
    /// Every row through the two stages: `reader` on a second thread fills batches, this
    /// thread hands them to `writer`, through bounded channels (full batches one way, emptied
    /// ones back). Returns the reader, done; or, with a bad row and no `--skip-invalid`, the
    /// refusal that lists them.
    pub fn run<R: ReadRows, W: WriteRows<R>>(
        self,
        w: &Writer,
        mut reader: R,
        writer: &mut W,
    ) -> Result<R> {
        let (full, receiver) = std::sync::mpsc::sync_channel(BATCHES_IN_FLIGHT);
        let (give_back, emptied) = std::sync::mpsc::sync_channel(BATCHES_IN_FLIGHT + 2);
        let waiting = Arc::new(AtomicUsize::new(0));
        let sender = BatchSender {
            full,
            emptied,
            waiting: Arc::clone(&waiting),
        };
        let (keep_raw, skip_invalid) = (self.keep_raw, self.how.skip_invalid);
        let (source, taken) = (self.source, self.taken);
        let reader = std::thread::scope(|scope| -> Result<R> {
            let read = scope.spawn(move || {
                read_batches(source, &mut reader, keep_raw, sender).map(|()| reader)
            });
            for mut batch in receiver {
                waiting.fetch_sub(1, Ordering::Relaxed);
                taken.take(w, writer, &mut batch, skip_invalid)?;
                (self.progress)(Progress::Read(batch.byte_position));
                batch.clear();
                // The reader may have enough batches already: then this one is dropped.
                let _ = give_back.try_send(batch);
            }
            read.join()
                .map_err(|_| Error::internal("the CSV reader thread failed"))?
        })?;
        if taken.errors.total > 0 && !skip_invalid {
            return Err(nothing_imported(&taken.errors, &self.how.name));
        }
        Ok(reader)
    }
}

/// What the writer has taken from the reader's batches so far.
struct Taken {
    rows: u64,
    errors: ErrorList,
    rejects: Option<Rejects>,
}

impl Taken {
    /// Hand a batch's good records to the writer and report its bad rows, to the rejects
    /// file too (after the first bad row an atomic import only validates).
    fn take<R: ReadRows, W: WriteRows<R>>(
        &mut self,
        w: &Writer,
        writer: &mut W,
        batch: &mut Batch<R::Record, R::Text>,
        skip_invalid: bool,
    ) -> Result<()> {
        self.rows += batch.rows.len() as u64;
        let text = &batch.text;
        for parsed in batch.rows.drain(..) {
            let write = self.errors.total == 0 || skip_invalid;
            let bad = match parsed {
                Parsed::Good(record) => writer.take(w, record, text, write)?,
                Parsed::Bad(e, raw) => Some((e, raw)),
            };
            if let Some((e, raw)) = bad {
                if let Some(r) = self.rejects.as_mut() {
                    r.write(raw, e.reason())?;
                }
                self.errors.push(e);
            }
        }
        Ok(())
    }
}

/// Build the indexes a large load dropped, after its rows are committed; its time in seconds.
fn index_stage(store: &mut Store, inserted: u64, progress: &impl Fn(Progress)) -> Result<f64> {
    crate::testhook::pause("import-indexing");
    let started = std::time::Instant::now();
    let timings = Timings::from_env();
    store
        .build_issue_indexes(|stage| {
            timings.mark(&format!("{stage:?}"));
            progress(match stage {
                IndexStage::Listing(name) => Progress::ListingIndex(name),
                IndexStage::Text => Progress::TextIndex,
            })
        })
        .map_err(|e| {
            let why = e.to_string();
            Error::worded(
                e.kind,
                crate::text!("import.index_stage_failed", n = count(inserted), why = why),
            )
        })?;
    timings.mark("done");
    Ok(started.elapsed().as_secs_f64())
}

/// Per-stage times of an import on stderr, with `YISHI_IMPORT_TIMINGS=1` (for measuring where
/// an import's time goes; not a user-facing output): wall-clock, and the CPU time of every
/// thread (Linux only; it moves less than wall-clock on a shared machine).
pub(crate) struct Timings(Option<std::cell::RefCell<Stage>>);

struct Stage {
    started: std::time::Instant,
    cpu: Option<f64>,
    name: String,
}

impl Timings {
    pub(crate) fn from_env() -> Self {
        Timings(
            std::env::var_os("YISHI_IMPORT_TIMINGS")
                .filter(|v| v == "1")
                .map(|_| {
                    std::cell::RefCell::new(Stage {
                        started: std::time::Instant::now(),
                        cpu: process_cpu_seconds(),
                        name: String::new(),
                    })
                }),
        )
    }

    /// End the stage before (printing its time) and start `next`.
    pub(crate) fn mark(&self, next: &str) {
        if let Some(cell) = &self.0 {
            let mut stage = cell.borrow_mut();
            let cpu = process_cpu_seconds();
            if !stage.name.is_empty() {
                let used = match (stage.cpu, cpu) {
                    (Some(a), Some(b)) => format!(" (CPU {:.2} s)", b - a),
                    _ => String::new(),
                };
                eprintln!(
                    "timing {}: {:.3} s{used}",
                    stage.name,
                    stage.started.elapsed().as_secs_f64()
                );
            }
            *stage = Stage {
                started: std::time::Instant::now(),
                cpu,
                name: next.to_string(),
            };
        }
    }
}

/// User and system time of this process so far, its ended threads included (`/proc/self/stat`,
/// in clock ticks of 10 ms).
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command's name (which may hold spaces): utime and stime are the 12th
    // and 13th.
    let mut after = stat.get(stat.rfind(')')? + 1..)?.split_whitespace();
    let user: f64 = after.nth(11)?.parse().ok()?;
    let system: f64 = after.next()?.parse().ok()?;
    Some((user + system) / 100.0)
}

#[cfg(test)]
mod tests {
    use super::rebuilds_indexes;

    /// A survey export of a few thousand rows into years of records keeps every index live;
    /// a load as large as a quarter of what is stored drops them and builds them after it.
    #[test]
    fn only_a_load_large_beside_the_table_rebuilds_its_indexes() {
        assert!(!rebuilds_indexes(5_000, 1_000_000));
        assert!(!rebuilds_indexes(200_000, 1_000_000));
        assert!(rebuilds_indexes(250_000, 1_000_000));
        assert!(rebuilds_indexes(1_000_000, 0));
        assert!(!rebuilds_indexes(4_999, 0), "small loads never drop them");
    }
}
