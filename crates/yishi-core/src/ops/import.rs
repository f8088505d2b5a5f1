//! Imports and what follows them: the duplicate hints over the open issues.
//!
//! Reading a file is `import/`'s job (parsing tested without a database); this module is where
//! the rows meet the store.

mod records;
pub use records::{LoadedRecords, RecordLoad, load, load_feedback, load_members, nothing_imported};

use crate::domain::dupes::Pair;
use crate::error::{Error, Result};
use crate::import::{ErrorList, RowError};
use crate::render::count;
use crate::store::issues::{
    self, BulkLoader, BulkPlan, LateIssue, PlannedIssue, PlannedText, Stored,
};
use crate::store::schema::IndexStage;
use crate::store::{Actor, Store, Writer, dupes};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};

/// Open issues that look alike, most alike first: every pair (`since` = None), or only the
/// pairs whose newer issue is numbered after `since` (the ones just added).
///
/// The pairs of new issues look among the newest [`HINT_CORPUS`] open issues only: hints must
/// stay quick on a million issues, and `issue dupes` compares them all.
pub fn duplicate_pairs(store: &Store, threshold: f64, since: Option<i64>) -> Result<Vec<Pair>> {
    Ok(match since {
        Some(last) => store
            .read(|conn| dupes::recent_open_issues(conn, HINT_CORPUS))?
            .pairs(threshold, |id| id > last),
        None => store.read(dupes::open_issues)?.pairs(threshold, |_| true),
    })
}

/// How many of the newest open issues duplicate hints compare new issues with.
pub const HINT_CORPUS: u32 = 20_000;

/// Why feedback cannot be recorded on each of these issues (unknown, or not decided yet), by
/// issue id, read in one snapshot: the preview of `feedback import`, which names each bad row
/// by its line before anything is written (the write checks again, inside its transaction).
pub fn feedback_refusals(
    store: &Store,
    issue_ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>> {
    store.read(|conn| {
        let mut checked = HashSet::new();
        let mut refusals = HashMap::new();
        for id in issue_ids {
            if checked.insert(id)
                && let Err(e) = super::followup::feedback_target(conn, id)
            {
                refusals.insert(id, e.message);
            }
        }
        Ok(refusals)
    })
}

/// A row as the reader leaves it: a valid issue (planned: not stored yet), a row whose key
/// a stored issue has (already present once the writer confirms it on the fields), or a bad
/// row with its problem and raw fields (for a rejects file).
pub enum Parsed {
    New(PlannedIssue),
    Stored(PlannedIssue, Stored),
    Bad(RowError, Vec<String>),
}

/// Read, parse, validate and plan every row, sending batches until the input ends or the
/// writer stops listening (it failed, and will report why). Returns the duplicates skipped.
pub fn read_issue_batches(
    source: &mut crate::import::Source,
    defaults: &crate::import::issues::Defaults,
    mut plan: BulkPlan,
    keep_raw: bool,
    mut sender: BatchSender,
) -> Result<u64> {
    let mut batch = Batch::default();
    let mut memo = crate::import::issues::Memo::default();
    let outcome = source.for_each(|row| -> std::result::Result<(), ()> {
        if row.is_blank() {
            return Ok(());
        }
        let parsed = match crate::import::issues::parse_fields(row, defaults, &mut memo) {
            // Checked against the fingerprints seen when the batch is full (Batch::settle).
            Ok(mut issue) => {
                let intake = issue.intake.take();
                Parsed::New(plan.stage(&issue.parts(), &mut batch.text, issue.suggested, intake))
            }
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
            batch.settle(&mut plan, sender.reader_hashes());
            if !sender.send(&mut batch) {
                return Err(());
            }
        }
        Ok(())
    })?;
    if outcome.is_ok() {
        batch.settle(&mut plan, sender.reader_hashes());
        sender.finish(batch);
    }
    Ok(plan.duplicates)
}

/// Rows handed from the reader to the writer at a time.
#[derive(Default)]
pub struct Batch {
    pub rows: Vec<Parsed>,
    /// The text of the new issues among `rows`.
    pub text: PlannedText,
    /// Bytes of the input read so far, for a progress bar.
    pub byte_position: u64,
}

impl Batch {
    /// Whether the batch should go to the writer now.
    pub fn is_full(&self) -> bool {
        self.rows.len() >= BATCH_ROWS || self.text.len() >= BATCH_BYTES
    }

    /// Settle the new rows the reader staged: which have a stored issue's key (the writer
    /// confirms them), and the ids (and, if `hash`, the seal hashes) of the others.
    pub fn settle(&mut self, plan: &mut BulkPlan, hash: bool) {
        plan.warm(self.rows.iter().filter_map(|parsed| match parsed {
            Parsed::New(issue) => Some(issue),
            _ => None,
        }));
        for parsed in &mut self.rows {
            if let Parsed::New(issue) = parsed
                && let Some(stored) = plan.admit(issue, &self.text, hash)
            {
                *parsed = Parsed::Stored(issue.take(), stored);
            }
        }
    }

    fn clear(&mut self) {
        self.rows.clear();
        self.text.clear();
        self.byte_position = 0;
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
pub struct BatchSender {
    full: SyncSender<Batch>,
    emptied: Receiver<Batch>,
    /// Batches sent and not yet taken by the writer.
    waiting: Arc<AtomicUsize>,
}

impl BatchSender {
    /// Send `batch` to the writer and put an empty one in its place; false when the writer
    /// has stopped (it failed, and reports why).
    pub fn send(&mut self, batch: &mut Batch) -> bool {
        let empty = self.emptied.try_recv().unwrap_or_default();
        self.waiting.fetch_add(1, Ordering::Relaxed);
        self.full.send(std::mem::replace(batch, empty)).is_ok()
    }

    /// Whether the reader should hash the seals of the batch it is about to send.
    pub fn reader_hashes(&self) -> bool {
        self.waiting.load(Ordering::Relaxed) > 0
    }

    /// Send the last batch, if it holds anything.
    pub fn finish(self, batch: Batch) {
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

/// What an issue import loads: from where (for messages and the log), how big (to size the
/// duplicate check), and how.
pub struct IssueLoad {
    pub name: String,
    pub size: Option<u64>,
    pub dry_run: bool,
    /// Load the good rows even when some are bad (they go to `on_bad`).
    pub skip_invalid: bool,
}

/// What an import did.
pub struct Loaded {
    pub rows: u64,
    pub inserted: u64,
    pub duplicates: u64,
    pub errors: ErrorList,
    /// The load was large: it dropped the listing indexes and the text index, and its index
    /// stage built them again (in seconds).
    pub indexes_built: Option<f64>,
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

/// Load issues in one transaction, atomically unless `skip_invalid`. `read` runs on a second
/// thread (two stages on two cores: it decodes, parses, validates and plans rows against the
/// stored fingerprints; this thread writes them), sending batches through a bounded channel so
/// that memory stays flat however large the file. `on_bad` is told of each bad row; `progress`
/// of the bytes read, then of the index stage. With any bad row and no `skip_invalid`, nothing
/// is written and the error lists the rows.
///
/// A load large beside what is stored drops the listing indexes and the text index and, once
/// its rows are committed, builds them again in a second transaction (the index stage), so
/// that everything is searchable when the import returns and no later command has work left.
/// If the import is killed in that stage, its rows stay and the next write-capable command
/// completes the indexes (`Store::complete_issue_indexes`); `verify` calls them pending.
pub fn load_issues(
    store: &mut Store,
    actor: &Actor,
    load: &IssueLoad,
    read: impl FnOnce(BulkPlan, BatchSender) -> Result<u64> + Send,
    mut on_bad: impl FnMut(&RowError, Vec<String>) -> Result<()>,
    progress: impl Fn(Progress),
) -> Result<Loaded> {
    let mut taken = Taken::default();
    let timings = Timings::from_env();
    timings.mark("load");
    let write = |w: &mut Writer| write_issues(w, load, read, &mut taken, &mut on_bad, &progress);
    store.prepare_bulk_load(BULK_CACHE_MIB)?;
    // Only large loads, where it pays: switching the journal rewrites the file's header, so a
    // small import that fails would no longer leave the file byte-for-byte as it was.
    let switched =
        load.size.is_some_and(|bytes| bytes >= BULK_JOURNAL_BYTES) && store.enter_bulk_journal();
    let written = if load.dry_run {
        store.trial(actor, write)
    } else {
        store.write(actor, write)
    };
    timings.mark("");
    // The index stage, still in the bulk journal (its pages are written once).
    let indexed = match &written {
        Ok((inserted, _, true)) if !load.dry_run => Some(index_stage(store, *inserted, &progress)),
        _ => None,
    };
    if switched {
        store.leave_bulk_journal();
    }
    let (inserted, duplicates, _) = written?;
    let indexes_built = indexed.transpose()?;
    Ok(Loaded {
        rows: taken.rows,
        inserted,
        duplicates,
        errors: taken.errors,
        indexes_built,
    })
}

/// The load's transaction: plan against what is stored, take the reader's batches, refuse
/// the whole file if a row is bad (unless `skip_invalid`), then add the late rows, the text
/// index entries and the audit events. Returns (inserted, duplicates, indexes dropped).
fn write_issues(
    w: &mut Writer,
    load: &IssueLoad,
    read: impl FnOnce(BulkPlan, BatchSender) -> Result<u64> + Send,
    taken: &mut Taken,
    on_bad: &mut impl FnMut(&RowError, Vec<String>) -> Result<()>,
    progress: &impl Fn(Progress),
) -> Result<(u64, u64, bool)> {
    // About 150 bytes a row in real files: size the duplicate check once.
    let expected_rows = load
        .size
        .map_or(1024, |bytes| (bytes / 150) as usize)
        .min(10_000_000);
    let plan = BulkPlan::new(w, expected_rows)?;
    // A load that is large beside what is stored leaves the listing indexes and the text
    // index to be built after it, by the next command: dropped before its first new row,
    // so that a file imported again (every row already there) keeps them.
    taken.drop_indexes = rebuilds_indexes(expected_rows, plan.stored_rows());
    let mut loader = BulkLoader::new(w)?;
    let duplicates = take_batches(w, &mut loader, plan, read, taken, load, on_bad, progress)?;
    if taken.errors.total > 0 && !load.skip_invalid {
        return Err(nothing_imported(&taken.errors, &load.name));
    }
    let late = std::mem::take(&mut taken.late);
    let duplicates = duplicates - late.len() as u64;
    loader.add_late(w, late)?;
    let inserted = loader.inserted;
    if let Some(ids) = loader.ids() {
        // In the index's order, once (row by row it would write a segment per issue);
        // a large load dropped the index instead and the next command rebuilds it.
        crate::store::search_index::add(w.conn(), ids)?;
    }
    for (seal, action, change) in loader.into_events(&load.name, duplicates) {
        w.finish_bulk(seal, "issue", action, change)?;
    }
    Ok((inserted, duplicates, taken.dropped))
}

/// The two stages: `read` on a second thread fills batches, this thread takes them, through
/// bounded channels (full batches one way, emptied ones back). Returns the reader's count of
/// duplicates.
#[allow(clippy::too_many_arguments)]
fn take_batches(
    w: &Writer,
    loader: &mut BulkLoader,
    plan: BulkPlan,
    read: impl FnOnce(BulkPlan, BatchSender) -> Result<u64> + Send,
    taken: &mut Taken,
    load: &IssueLoad,
    on_bad: &mut impl FnMut(&RowError, Vec<String>) -> Result<()>,
    progress: &impl Fn(Progress),
) -> Result<u64> {
    let (full, receiver) = std::sync::mpsc::sync_channel::<Batch>(BATCHES_IN_FLIGHT);
    let (give_back, emptied) = std::sync::mpsc::sync_channel::<Batch>(BATCHES_IN_FLIGHT + 2);
    let waiting = Arc::new(AtomicUsize::new(0));
    std::thread::scope(|scope| -> Result<u64> {
        let reader = scope.spawn(|| {
            read(
                plan,
                BatchSender {
                    full,
                    emptied,
                    waiting: Arc::clone(&waiting),
                },
            )
        });
        for mut batch in receiver {
            waiting.fetch_sub(1, Ordering::Relaxed);
            taken.take(w, loader, &mut batch, load.skip_invalid, on_bad)?;
            progress(Progress::Read(batch.byte_position));
            batch.clear();
            // The reader may have enough batches already: then this one is dropped.
            let _ = give_back.try_send(batch);
        }
        reader
            .join()
            .map_err(|_| Error::internal("the CSV reader thread failed"))?
    })
}

/// What the writer has taken from the reader's batches so far.
#[derive(Default)]
struct Taken {
    rows: u64,
    errors: ErrorList,
    /// Rows whose key a stored issue has but whose fields it does not: new after all.
    late: Vec<LateIssue>,
    /// The indexes are to be dropped before the first new row (a large load).
    drop_indexes: bool,
    dropped: bool,
}

impl Taken {
    /// Write a batch's new rows, confirm its rows with a stored key, and report its bad rows
    /// (after the first bad row an atomic import only validates).
    fn take(
        &mut self,
        w: &Writer,
        loader: &mut BulkLoader,
        batch: &mut Batch,
        skip_invalid: bool,
        on_bad: &mut impl FnMut(&RowError, Vec<String>) -> Result<()>,
    ) -> Result<()> {
        self.rows += batch.rows.len() as u64;
        let text = &batch.text;
        for parsed in batch.rows.drain(..) {
            match parsed {
                Parsed::New(issue) if self.errors.total == 0 || skip_invalid => {
                    if std::mem::take(&mut self.drop_indexes) {
                        issues::drop_issue_indexes(w)?;
                        self.dropped = true;
                    }
                    loader.add(w, &issue, text)?
                }
                Parsed::Stored(row, stored) => {
                    if !issues::stored_matches(w.conn(), stored, &row, text)? {
                        self.late.push(LateIssue::new(&row, text));
                    }
                }
                Parsed::New(_) => {}
                Parsed::Bad(e, raw) => {
                    on_bad(&e, raw)?;
                    self.errors.push(e);
                }
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
/// an import's time goes; not a user-facing output).
pub(crate) struct Timings(Option<std::cell::RefCell<(std::time::Instant, String)>>);

impl Timings {
    pub(crate) fn from_env() -> Self {
        Timings(
            std::env::var_os("YISHI_IMPORT_TIMINGS")
                .filter(|v| v == "1")
                .map(|_| std::cell::RefCell::new((std::time::Instant::now(), String::new()))),
        )
    }

    /// End the stage before (printing its time) and start `next`.
    pub(crate) fn mark(&self, next: &str) {
        if let Some(cell) = &self.0 {
            let mut state = cell.borrow_mut();
            let (started, name) = &mut *state;
            if !name.is_empty() {
                eprintln!("timing {name}: {:.3} s", started.elapsed().as_secs_f64());
            }
            *started = std::time::Instant::now();
            *name = next.to_string();
        }
    }
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
