//! `yishi issue import`: stream a CSV into one transaction.
//!
//! Atomic by default: every row is validated; rows are inserted as they are read (so a million
//! rows never sit in memory), and if any row is bad the transaction is rolled back and every
//! bad row reported. Idempotent: a row whose fingerprint is already stored is skipped.

use super::Ctx;
use crate::domain::date;
use crate::error::{Error, Result};
use crate::import::{CsvOptions, ErrorList, RowError, Source, issues as rows};
use crate::render::count;
use crate::store::issues::BulkLoader;
use crate::store::issues::{BulkPlan, PlannedIssue};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::mpsc::SyncSender;
use std::time::Instant;

/// Page cache for an import: keeps the pages being filled in memory; the whole process stays
/// well under 100 MiB.
const BULK_CACHE_MIB: u32 = 16;

/// Rows sent from the reader thread at a time.
const BATCH_ROWS: usize = 4096;

/// A row as the reader thread leaves it: a valid issue, or the problem and the raw fields.
enum Parsed {
    New(PlannedIssue),
    Duplicate,
    Bad(RowError, Vec<String>),
}

struct Batch {
    rows: Vec<Parsed>,
    /// Bytes of the input read so far, for the progress bar.
    byte_position: u64,
}

/// Read, parse, validate and plan every row, sending batches until the input ends or the
/// writer stops listening (it failed, and will report why). Returns the duplicates skipped.
fn read_batches(
    source: &mut Source,
    defaults: &rows::Defaults,
    mut plan: BulkPlan,
    keep_raw: bool,
    sender: SyncSender<Batch>,
) -> Result<u64> {
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    let mut byte_position = 0;
    let outcome = source.for_each(|row| -> std::result::Result<(), ()> {
        if row.is_blank() {
            return Ok(());
        }
        batch.push(match rows::parse(row, defaults) {
            Ok(issue) => plan.plan(issue).map_or(Parsed::Duplicate, Parsed::New),
            Err(e) => Parsed::Bad(
                e,
                if keep_raw {
                    row.raw_fields()
                } else {
                    Vec::new()
                },
            ),
        });
        byte_position = row.byte_position();
        if batch.len() == BATCH_ROWS {
            let rows = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ROWS));
            sender
                .send(Batch {
                    rows,
                    byte_position,
                })
                .map_err(|_| ())?;
        }
        Ok(())
    })?;
    if outcome.is_ok() && !batch.is_empty() {
        // A closed channel means the writer already stopped with its own error.
        let _ = sender.send(Batch {
            rows: batch,
            byte_position,
        });
    }
    Ok(plan.duplicates)
}

/// Loads of this many rows (estimated from the file size) or more drop the listing indexes of
/// `issues`, when they add at least a quarter of what is stored; the next command builds them.
const BULK_INDEX_ROWS: usize = 5_000;

/// Inputs from this size on are loaded through the rollback journal (see `Store::enter_bulk_journal`).
const BULK_JOURNAL_BYTES: u64 = 4 << 20;

#[derive(serde::Serialize)]
struct Summary {
    source: String,
    encoding: &'static str,
    rows: u64,
    imported: u64,
    already_present: u64,
    rejected: u64,
    dry_run: bool,
    seconds: f64,
    /// Survey metadata and --ignore-unknown columns that were read past.
    not_imported: Vec<String>,
}

/// Writes rejected rows with a reason column, owner-only (they hold residents' details),
/// through [`crate::outfile`] (complete or absent; an existing file only with --force), with
/// the same formula guard as `issue list --csv`. Also used by `feedback import`.
pub(super) struct Rejects {
    pub(super) writer: csv::Writer<std::fs::File>,
    pub(super) path: PathBuf,
    file: crate::outfile::Pending,
    /// The number of columns in the header: the reason always goes in the column after them.
    width: usize,
}

impl Rejects {
    pub(super) fn create(path: PathBuf, headers: &[String], force: bool) -> Result<Rejects> {
        let pending = crate::outfile::Pending::new(&path, force)?;
        let mut writer = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(pending.handle()?);
        let mut header: Vec<&str> = headers.iter().map(String::as_str).collect();
        header.push("reason");
        writer
            .write_record(&header)
            .map_err(|e| Error::internal(format!("{}: {e}", path.display())))?;
        Ok(Rejects {
            writer,
            path,
            file: pending,
            width: headers.len(),
        })
    }

    /// A short row is padded so that its reason is under `reason`; a long row keeps its extra
    /// fields after the reason, so nothing the resident wrote is lost.
    pub(super) fn write(&mut self, mut fields: Vec<String>, reason: String) -> Result<()> {
        if fields.len() < self.width {
            fields.resize(self.width, String::new());
        }
        fields.insert(self.width, reason);
        // A spreadsheet must not run a resident's "=HYPERLINK(...)" as a formula.
        let fields: Vec<String> = fields
            .iter()
            .map(|f| formula_guard(f).into_owned())
            .collect();
        let fields = &fields;
        self.writer
            .write_record(fields)
            .map_err(|e| Error::io(format!("{}: {e}", self.path.display())))
    }

    /// Flush and put the file in place.
    pub(super) fn finish(mut self) -> Result<()> {
        self.writer
            .flush()
            .map_err(|e| crate::outfile::io_error(&self.path, &e))?;
        self.file.commit()
    }
}

/// The formula guard of `issue list --csv`, without its quoting (the CSV writer quotes).
fn formula_guard(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

#[allow(clippy::too_many_arguments)]
pub fn run(
    file: PathBuf,
    opts: CsvOptions,
    channel: Option<String>,
    default_date: Option<String>,
    dry_run: bool,
    skip_invalid: bool,
    rejects: Option<PathBuf>,
    ctx: &mut Ctx,
) -> Result<()> {
    let mut source = Source::open(&file, &opts, rows::FIELDS)?;
    let defaults = rows::Defaults {
        // Without a channel column or --channel, a survey export's rows came through its platform.
        channel: match channel.as_deref() {
            Some(c) => Some(super::issue::parse_channel(&ctx.config.channels, c)?),
            None => source.platform.map(String::from),
        },
        raised_on: match &default_date {
            Some(d) => date::parse_date(d)
                .ok_or_else(|| {
                    Error::data(format!(
                        "--date \"{d}\" is not a date ({})",
                        date::DATE_HINT
                    ))
                })?
                .to_string(),
            None => ctx.today().to_string(),
        },
        channels: ctx.config.channels.clone(),
    };
    if !source.unknown.is_empty() {
        ctx.out.warn(&format!(
            "{}: column(s) {} are not imported (--ignore-unknown)",
            source.name,
            source.unknown.join(", ")
        ));
    }
    let mut rejects = match (skip_invalid, rejects) {
        (true, Some(path)) => Some(Rejects::create(path, &source.headers, ctx.out.force)?),
        _ => None,
    };
    let size = source.size;
    let progress = progress_bar(ctx, size);
    let name = source.name.clone();
    let encoding = source.encoding_name;
    let not_imported_note = source.not_imported_note();
    let not_imported: Vec<String> = source
        .ignored
        .iter()
        .chain(&source.unknown)
        .cloned()
        .collect();
    let actor = ctx.actor("issue import");
    let started = Instant::now();
    let mut total_rows = 0u64;
    let mut errors = ErrorList::default();

    let keep_raw = rejects.is_some();
    // Two stages on two cores: a reader thread decodes, parses and validates rows; this thread
    // writes them. A bounded channel keeps memory flat however large the file.
    let load = |w: &mut crate::store::Writer| -> Result<(u64, u64)> {
        // About 150 bytes a row in real files: size the duplicate check once.
        let expected_rows = size
            .map_or(1024, |bytes| (bytes / 150) as usize)
            .min(10_000_000);
        let plan = BulkPlan::new(w, expected_rows)?;
        // A load that is large beside what is stored leaves the listing indexes to be built
        // after it, by the next command.
        if expected_rows >= BULK_INDEX_ROWS && expected_rows as i64 >= plan.stored_rows() / 4 {
            crate::store::issues::drop_issue_indexes(w)?;
        }
        let mut loader = BulkLoader::new(w)?;
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Batch>(8);
        let duplicates = std::thread::scope(|scope| -> Result<u64> {
            let reader =
                scope.spawn(|| read_batches(&mut source, &defaults, plan, keep_raw, sender));
            for batch in receiver {
                total_rows += batch.rows.len() as u64;
                for parsed in batch.rows {
                    match parsed {
                        // After the first bad row an atomic import only validates.
                        Parsed::New(issue) if errors.total == 0 || skip_invalid => {
                            loader.add(w, &issue)?
                        }
                        Parsed::New(_) | Parsed::Duplicate => {}
                        Parsed::Bad(e, raw) => {
                            if let Some(r) = rejects.as_mut() {
                                r.write(raw, e.reason())?;
                            }
                            errors.push(e);
                        }
                    }
                }
                if let Some(p) = &progress {
                    p.set_position(batch.byte_position);
                }
            }
            reader
                .join()
                .map_err(|_| Error::internal("the CSV reader thread failed"))?
        })?;
        if errors.total > 0 && !skip_invalid {
            return Err(Error::data(format!(
                "{}{} bad row(s) in {name}: nothing was imported. Fix them and run again, or import the good rows with --skip-invalid --rejects FILE",
                errors.report(&name),
                count(errors.total as u64)
            )));
        }
        let inserted = loader.inserted;
        if let Some((seal, change)) = loader.into_event(&name, duplicates) {
            w.finish_bulk(seal, "issue", "import", change)?;
        }
        Ok((inserted, duplicates))
    };
    let store = ctx.store()?;
    store.prepare_bulk_load(BULK_CACHE_MIB)?;
    // Only large loads, where it pays: switching the journal rewrites the file's header, so a
    // small import that fails would no longer leave the file byte-for-byte as it was.
    let switched =
        size.is_some_and(|bytes| bytes >= BULK_JOURNAL_BYTES) && store.enter_bulk_journal();
    let loaded = if dry_run {
        store.trial(&actor, load)
    } else {
        store.write(&actor, load)
    };
    if switched {
        store.leave_bulk_journal();
    }
    let (inserted, duplicates) = loaded?;
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    if let Some(r) = rejects {
        r.finish()?;
    }
    let seconds = started.elapsed().as_secs_f64();
    let summary = Summary {
        source: name.clone(),
        encoding,
        rows: total_rows,
        imported: inserted,
        already_present: duplicates,
        rejected: errors.total as u64,
        dry_run,
        seconds,
        not_imported,
    };
    if errors.total > 0 {
        ctx.out.warn(&format!(
            "{}skipped {} bad row(s); they are in the rejects file with the reason",
            errors.report(&name),
            count(errors.total as u64)
        ));
    }
    if ctx.out.json {
        return ctx.out.json(&summary);
    }
    let rate = if seconds > 0.0 {
        inserted as f64 / seconds
    } else {
        0.0
    };
    let verb = if dry_run {
        "dry run: would import"
    } else {
        "imported"
    };
    ctx.out.note(&format!(
        "{verb} {} issue(s) from {name} ({encoding}) in {seconds:.1} s ({}/s); {} already present{not_imported_note}{}",
        count(inserted),
        human_rate(rate),
        count(duplicates),
        if dry_run { "; nothing was changed" } else { "" }
    ));
    Ok(())
}

/// 714285.0 → "714k rows"
fn human_rate(rate: f64) -> String {
    if rate >= 10_000.0 {
        format!("{:.0}k rows", rate / 1000.0)
    } else {
        format!("{rate:.0} rows")
    }
}

/// A progress bar on stderr for files over 4 MiB, only when stderr is a terminal.
fn progress_bar(ctx: &Ctx, size: Option<u64>) -> Option<indicatif::ProgressBar> {
    let size = size?;
    if ctx.out.quiet || size < 4 << 20 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(size);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {bytes}/{total_bytes} {elapsed} (eta {eta})",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}
