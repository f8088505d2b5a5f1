//! One load for the records of a file (members, feedback; issues go through the same policy
//! with their own two-thread pipeline, see [`super::load_issues`]): every row is parsed by its
//! importer (`import/`, tested without a database), may be refused by a rule the store is
//! asked about in one read, and bad rows go to the rejects file. With any bad row and no
//! `--skip-invalid` nothing is written; otherwise the good rows are written in one
//! transaction, and the rejects file is put in place once they are.

use crate::config::Config;
use crate::domain::followup::NewFeedback;
use crate::domain::member::NewMember;
use crate::error::{Error, Result};
use crate::import::rejects::Rejects;
use crate::import::{ErrorList, Row, RowError, Source};
use crate::store::{Actor, Store};

/// How a file's records are loaded.
pub struct RecordLoad {
    /// The input's name, for messages and the log.
    pub name: String,
    pub dry_run: bool,
    /// Load the good rows even when some are bad (they go to the rejects file).
    pub skip_invalid: bool,
}

/// What a load of records did: what `write` returned, and the bad rows.
pub struct LoadedRecords<R> {
    pub written: R,
    pub errors: ErrorList,
}

/// The refusal of a load with bad rows and no `--skip-invalid`, written once for every import.
pub fn nothing_imported(errors: &ErrorList, name: &str) -> Error {
    Error::data_text(
        crate::text!(
            "import.bad_rows",
            n = crate::render::count(errors.total as u64),
            file = name
        )
        .pair("report", errors.report_zh(name), errors.report(name)),
    )
}

/// A row as read: its raw fields (for the rejects file) and its record, or its problem.
struct ReadRow<T> {
    line: u64,
    raw: Vec<String>,
    record: std::result::Result<T, RowError>,
}

/// Load the records of `source`: `parse` turns a row into a record or a bad row; `recheck`
/// (one read of the store) may refuse parsed records, one answer per record given, each
/// placed at its line; `write` stores the good ones (all, or, with `skip_invalid`, those
/// left).
pub fn load<T, R>(
    store: &mut Store,
    source: &mut Source,
    how: &RecordLoad,
    mut rejects: Option<Rejects>,
    mut parse: impl FnMut(&Row) -> std::result::Result<T, RowError>,
    recheck: impl FnOnce(&Store, &[(u64, &T)]) -> Result<Vec<Option<RowError>>>,
    write: impl FnOnce(&mut Store, Vec<T>) -> Result<R>,
) -> Result<LoadedRecords<R>> {
    let keep_raw = rejects.is_some();
    let mut rows: Vec<ReadRow<T>> = Vec::new();
    source
        .for_each(|row| -> std::result::Result<(), ()> {
            if !row.is_blank() {
                rows.push(ReadRow {
                    line: row.line,
                    raw: if keep_raw {
                        row.raw_fields()
                    } else {
                        Vec::new()
                    },
                    record: parse(row),
                });
            }
            Ok(())
        })?
        .ok();
    let parsed: Vec<(u64, &T)> = rows
        .iter()
        .filter_map(|r| r.record.as_ref().ok().map(|t| (r.line, t)))
        .collect();
    let mut refusals = recheck(store, &parsed)?.into_iter();
    for row in rows.iter_mut().filter(|r| r.record.is_ok()) {
        if let Some(Some(refused)) = refusals.next() {
            row.record = Err(refused);
        }
    }
    // Bad rows in the order of the file, as the rejects file and the report list them.
    let mut errors = ErrorList::default();
    let mut good = Vec::new();
    for row in rows {
        match row.record {
            Ok(t) => good.push(t),
            Err(e) => {
                if let Some(r) = rejects.as_mut() {
                    r.write(row.raw, e.reason())?;
                }
                errors.push(e);
            }
        }
    }
    if errors.total > 0 && !how.skip_invalid {
        return Err(nothing_imported(&errors, &how.name));
    }
    let written = write(store, good)?;
    if let Some(r) = rejects {
        r.finish()?;
    }
    Ok(LoadedRecords { written, errors })
}

/// `member import`: a roster, each row's seat one of `config`'s; a row whose name and seat an
/// active member has is already present (see [`crate::ops::members::import`]). Returns
/// (added, already present).
pub fn load_members(
    store: &mut Store,
    actor: &Actor,
    config: &Config,
    source: &mut Source,
    how: &RecordLoad,
    rejects: Option<Rejects>,
    today: chrono::NaiveDate,
) -> Result<LoadedRecords<(usize, usize)>> {
    let seat = |s: &str| config.seat(s).map(|s| s.0.key.clone());
    load(
        store,
        source,
        how,
        rejects,
        |row| crate::import::member_row::parse(row, seat, today),
        |_, _| Ok(Vec::new()),
        |store, rows: Vec<NewMember>| crate::ops::members::import(store, actor, &rows, how.dry_run),
    )
}

/// `feedback import`: answers, each on an issue that can take feedback (asked in one read, so
/// that a bad target is named by its line before anything is written; the write checks
/// again). `whole_file_issue`: --issue N. Returns (added, already present).
pub fn load_feedback(
    store: &mut Store,
    actor: &Actor,
    source: &mut Source,
    how: &RecordLoad,
    rejects: Option<Rejects>,
    whole_file_issue: Option<i64>,
    today: chrono::NaiveDate,
) -> Result<LoadedRecords<(usize, usize)>> {
    let issue_column =
        source.field_columns[crate::import::feedback::ISSUE].map(|c| source.headers[c].clone());
    load(
        store,
        source,
        how,
        rejects,
        |row| crate::import::feedback_row::parse(row, whole_file_issue, today),
        |store, rows: &[(u64, &NewFeedback)]| {
            let refusals = super::feedback_refusals(store, rows.iter().map(|(_, f)| f.issue_id))?;
            Ok(rows
                .iter()
                .map(|(line, f)| {
                    refusals.get(&f.issue_id).map(|why| RowError {
                        line: *line,
                        column: issue_column.clone(),
                        message: why.clone(),
                        zh: None,
                    })
                })
                .collect())
        },
        |store, rows: Vec<NewFeedback>| {
            crate::ops::followup::import_feedback(store, actor, &how.name, &rows, how.dry_run)
        },
    )
}
