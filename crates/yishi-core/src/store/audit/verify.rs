//! Verifying: the schema, the file's integrity, the chain, every row against its last seal,
//! and the council's invariants, all in one snapshot.

use super::chain::verify_chain;
use super::*;

/// A problem found by `verify`.
#[derive(Debug, Serialize)]
pub struct Problem {
    /// The event the problem concerns, where one is known.
    pub event: Option<i64>,
    pub table: Option<String>,
    pub row_id: Option<i64>,
    /// In English whatever the reader's language: `--json` stays the same for scripts.
    pub message: String,
    /// The finding from the catalogue, worded in the reader's language when shown.
    #[serde(skip)]
    pub text: crate::i18n::Text,
}

impl Problem {
    /// Whether it concerns only data derived from the issues, which `issue reindex` writes
    /// again from them (the text index, the packed keys): no record lost or changed.
    pub fn is_derived(&self) -> bool {
        self.table.as_deref().is_some_and(|t| {
            crate::store::search_index::is_part(t) || t == crate::store::issue_keys::TABLE
        })
    }

    /// A finding about the file as a whole.
    pub(crate) fn worded(text: crate::i18n::Text) -> Self {
        Problem {
            event: None,
            table: None,
            row_id: None,
            message: text.render(crate::domain::locale::Locale::En),
            text,
        }
    }

    /// A finding about `table` (row `row_id`, sealed by `event`, where known).
    pub(crate) fn at(
        event: Option<i64>,
        table: &str,
        row_id: Option<i64>,
        text: crate::i18n::Text,
    ) -> Self {
        Problem {
            event,
            table: Some(table.into()),
            row_id,
            ..Problem::worded(text)
        }
    }

    /// A stored value this yishi does not know: a read of its row would refuse it.
    pub(crate) fn unknown(u: &crate::error::UnknownValue) -> Self {
        let (what_zh, what_en) = u.what_words();
        Problem::at(
            None,
            u.table,
            Some(u.row),
            crate::text!(
                "verify.unknown_value",
                table = u.table,
                id = u.row,
                column = u.column,
                value = &u.value,
                allowed = u.allowed.join(", ")
            )
            .pair("what", what_zh, what_en),
        )
    }

    /// The finding in `locale`.
    pub fn shown(&self, locale: crate::domain::locale::Locale) -> String {
        self.text.render(locale)
    }
}

/// What `verify` checked, for its summary line.
#[derive(Debug, Default, Serialize)]
pub struct Checked {
    pub events: i64,
    pub rows: i64,
    pub tables: usize,
    /// Schema objects compared with yishi's own schema.
    pub schema_objects: usize,
    /// Events sealed with the key (an HMAC); 0 when no key is used.
    pub keyed_events: i64,
    /// Whether a key was given to check keyed events.
    pub key_given: bool,
    pub anchors: usize,
    pub head: Option<Anchor>,
}

/// What verify is told besides the file: anchors kept elsewhere, and the key.
#[derive(Debug, Default)]
pub struct Expect<'a> {
    pub anchors: &'a [Anchor],
    pub key: Option<&'a [u8]>,
    /// SQLite's full integrity check (every index against its table) instead of its quick
    /// check (every page and record read once): 16 s against 1.5 s on a million issues.
    pub full_integrity: bool,
}

/// A read error while checking: the file is damaged or not what it claims to be. It becomes a
/// finding (exit 1); only a busy database or a failing disk is raised as an error.
pub(super) fn damaged(stage: &str, e: crate::error::Error) -> Result<Problem> {
    use crate::error::Kind;
    match e.kind {
        Kind::Busy | Kind::Io | Kind::BrokenPipe => Err(e),
        _ => Ok(Problem::worded(crate::text!(
            "verify.unreadable",
            stage = stage,
            error = e.message
        ))),
    }
}

/// Check the whole file in one read snapshot: its schema against yishi's schema of its version,
/// SQLite's integrity, foreign keys, the chain (and anchors and key), and every row of every
/// table against its last seal. Problems are returned, not raised. Memory stays constant:
/// rows and seals are streamed in id order.
///
/// `open_twin` opens a second read-only connection to the same file: while this one checks
/// the structure and the chain, the twin already compares tables with their seals (the two
/// read the same snapshot, see `store::twin`); without it everything runs here, one by one.
pub fn verify(
    conn: &Connection,
    version: i64,
    expect: &Expect,
    open_twin: impl FnOnce() -> Result<Connection>,
) -> Result<(Checked, Vec<Problem>)> {
    let mut checked = Checked {
        key_given: expect.key.is_some(),
        anchors: expect.anchors.len(),
        ..Default::default()
    };
    // One snapshot: a writer that commits meanwhile is not half seen.
    conn.execute_batch("BEGIN")?;
    let twin = crate::store::twin::open_on_same_snapshot(conn, open_twin);
    let result = (|| -> Result<Vec<Problem>> {
        let tables = tables_heaviest_first(conn, version)?;
        // Rows are checked against the seals of the log the chain check reads: in one snapshot
        // that is every seal up to the log's head; a seal of a later event would be one the
        // chain never verified. The head is known before the chain is walked, so that the
        // tables can be compared meanwhile; a log that cannot be read leaves every seal in.
        let log_ends_at: i64 = conn
            .query_row("SELECT coalesce(max(seq), 0) FROM events", [], |r| r.get(0))
            .unwrap_or(i64::MAX);
        // Beside the tables, SQLite's checks of the file, the text index (derived from the
        // issues: SQLite's check of its table, and its comparison with the issues pair by
        // pair, the heaviest job) and the council rules (`store::invariants`) are jobs too. The heaviest
        // go first, so that the two connections end together.
        let (integrity_jobs, unreadable) = match integrity_checks(conn, expect.full_integrity) {
            Ok(checks) => (checks, None),
            Err(e) => (Vec::new(), Some(damaged("the file's structure", e)?)),
        };
        let jobs = job_list(tables, integrity_jobs);
        let full = expect.full_integrity;
        let (mut problems, done) = crate::store::twin::share(
            conn,
            twin,
            &jobs,
            |conn| structure_and_chain(conn, version, expect, &mut checked),
            |conn, job| run_job(conn, job, log_ends_at, full),
        )?;
        // After the schema's, the references' and the log's: problems of the file's
        // structure, then in the tables' schema order, whichever connection found them; then
        // the text index's, then the council rules' (a stable sort keeps each group's order).
        problems.extend(unreadable);
        let mut by_table: Vec<_> = jobs
            .iter()
            .map(|job| match job {
                Job::Integrity(..) => (0, 0),
                Job::Table(_, order) => (1, *order),
                Job::TextIndex(_) => (2, 0),
                Job::Keys => (2, 1),
                Job::Rules(_) => (3, 0),
            })
            .zip(done)
            .collect();
        by_table.sort_by_key(|(place, _)| *place);
        for ((group, _), (rows, found)) in by_table {
            if group == 1 {
                checked.rows += rows;
                checked.tables += 1;
            }
            problems.extend(found);
        }
        Ok(problems)
    })();
    let _ = conn.execute_batch("COMMIT");
    Ok((checked, result?))
}

/// verify's jobs in the order the two connections take them: the heaviest first, so that
/// both end together.
fn job_list(tables: Vec<(String, usize)>, integrity_jobs: Vec<(String, bool)>) -> Vec<Job> {
    let mut tables = tables
        .into_iter()
        .map(|(table, order)| Job::Table(table, order));
    // The text index is compared pair by pair with the issues' texts: the heaviest job after
    // the largest table.
    [Job::TextIndex(TextCheck::Matches)]
        .into_iter()
        .chain([Job::TextIndex(TextCheck::Structure)])
        .chain(tables.next())
        .chain([Job::Keys])
        .chain(crate::store::invariants::CHECKS.map(Job::Rules))
        .chain(
            integrity_jobs
                .into_iter()
                .map(|(check, of_text_index)| Job::Integrity(check, of_text_index)),
        )
        .chain(tables)
        .collect()
}

/// One job on either connection: the rows it checked (a table's) and the problems it found.
fn run_job(
    conn: &Connection,
    job: &Job,
    log_ends_at: i64,
    full: bool,
) -> Result<(i64, Vec<Problem>)> {
    let mut rows = Checked::default();
    let mut found = Vec::new();
    match job {
        Job::Table(table, _) => {
            if let Err(e) = verify_rows(conn, table, log_ends_at, &mut rows, &mut found) {
                found.push(damaged(&format!("table {table}"), e)?);
            }
        }
        Job::TextIndex(check) => {
            if let Err(e) = text_index(conn, *check, full, &mut found) {
                found.push(match e.fault.as_deref() {
                    // Its own damage, with the way to mend it.
                    Some(crate::error::Fault::TextIndex { detail }) => {
                        Problem::worded(crate::text!("verify.text_index_damaged", line = detail))
                    }
                    _ => damaged("the text index of issues", e)?,
                });
            }
            // Its problems are the text index's, whatever found them: `restore`
            // builds a backup's index again when they are all it has.
            mark_text_index(&mut found);
        }
        Job::Keys => {
            use crate::store::issue_keys;
            let problem = |text| Problem::at(None, issue_keys::TABLE, None, text);
            match issue_keys::check(conn) {
                Ok(None) => {}
                Ok(Some(detail)) => found.push(problem(
                    crate::text!("verify.issue_keys_differs").text("detail", &detail),
                )),
                Err(e) => {
                    let mut p = damaged("the packed keys of issues", e)?;
                    p.table = Some(issue_keys::TABLE.into());
                    found.push(p);
                }
            }
        }
        Job::Rules(check) => match check(conn) {
            Ok(p) => found.extend(p),
            Err(e) => found.push(damaged("the council records", e)?),
        },
        Job::Integrity(check, of_text_index) => {
            if let Err(e) = integrity(conn, check, &mut found) {
                found.push(damaged("the file's structure", e)?);
            }
            if *of_text_index {
                mark_text_index(&mut found);
            }
        }
    }
    Ok((rows.rows, found))
}

/// What one of verify's two connections takes on next.
enum Job {
    /// A table compared with its seals, and its place in the schema's order.
    Table(String, usize),
    /// The text index of issues (`store::search_index`).
    TextIndex(TextCheck),
    /// One of the rules the council records must satisfy (`store::invariants`).
    Rules(crate::store::invariants::Check),
    /// One of SQLite's checks of the file (`integrity_checks`), and whether it checks a table
    /// of the text index.
    Integrity(String, bool),
    /// The packed keys of issues against the issues (`store::issue_keys`).
    Keys,
}

fn mark_text_index(problems: &mut [Problem]) {
    for p in problems {
        p.table = Some(crate::store::search_index::TABLE.into());
    }
}

#[derive(Clone, Copy)]
enum TextCheck {
    /// SQLite's check of the index's table (the quick check, run table by table, leaves it
    /// out; the full check over the whole file has run it already).
    Structure,
    /// Whether it holds every pair of every issue's texts and nothing else, and finds a sample
    /// of issues by their titles.
    Matches,
}

/// One check of the text index.
fn text_index(
    conn: &Connection,
    check: TextCheck,
    full: bool,
    problems: &mut Vec<Problem>,
) -> Result<()> {
    use crate::store::search_index;
    let problem = |text: crate::i18n::Text| Problem::at(None, search_index::TABLE, None, text);
    if !search_index::exists(conn)? {
        return Ok(());
    }
    if let (TextCheck::Structure, false) = (check, full) {
        let mut stmt = conn.prepare("PRAGMA quick_check(issue_text)")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let line = text_of(r.get_ref(0)?);
            if line != "ok" {
                problems.push(problem(crate::text!(
                    "verify.text_index_damaged",
                    line = line
                )));
            }
        }
    }
    let differs = match check {
        TextCheck::Structure => vec![],
        TextCheck::Matches => vec![
            search_index::check(conn)?,
            search_index::check_lookups(conn)?,
        ],
    };
    // The index's own checks say what differs.
    problems.extend(
        differs.into_iter().flatten().map(|detail| {
            problem(crate::text!("verify.text_index_differs").text("detail", &detail))
        }),
    );
    Ok(())
}

/// yishi's tables of this version, largest first (so that two connections finish together),
/// each with its place in the schema's order (the order problems are reported in).
fn tables_heaviest_first(conn: &Connection, version: i64) -> Result<Vec<(String, usize)>> {
    let mut tables: Vec<(String, usize, i64)> = Vec::new();
    for (order, table) in crate::store::schema_check::expected_tables(version)?
        .into_iter()
        .enumerate()
    {
        // The largest id is one index step; a missing or damaged table counts as small.
        let size = conn
            .query_row(
                &format!("SELECT coalesce(max(id), 0) FROM \"{table}\""),
                [],
                |r| r.get(0),
            )
            .unwrap_or(0);
        tables.push((table, order, size));
    }
    tables.sort_by_key(|(_, order, size)| (std::cmp::Reverse(*size), *order));
    Ok(tables.into_iter().map(|(t, order, _)| (t, order)).collect())
}

/// The schema, the rows' references and the chain of events: what `verify` reports
/// before the tables.
fn structure_and_chain(
    conn: &Connection,
    version: i64,
    expect: &Expect,
    checked: &mut Checked,
) -> Result<Vec<Problem>> {
    let mut problems = Vec::new();
    match crate::store::schema_check::check(conn, version) {
        Ok(p) => problems.extend(p),
        Err(e) => problems.push(damaged("the schema", e)?),
    }
    checked.schema_objects = crate::store::schema_check::expected(version)?.len();
    if let Err(e) = foreign_keys(conn, &mut problems) {
        problems.push(damaged("the file's structure", e)?);
    }
    if let Err(e) = verify_chain(conn, expect, checked, &mut problems) {
        problems.push(damaged("the audit log", e)?);
    }
    // What the events mean: a closed meeting's rows change only after its reopening.
    match super::closed::resealed_after_close(conn) {
        Ok(p) => problems.extend(p),
        Err(e) => problems.push(damaged("the audit log", e)?),
    }
    match super::closed::anchored_meetings(conn, expect.anchors) {
        Ok(p) => problems.extend(p),
        Err(e) => problems.push(damaged("the audit log", e)?),
    }
    Ok(problems)
}

/// SQLite's checks of the file's structure, each a statement of its own that either of
/// verify's connections runs. The quick check reads every page and record of each table and
/// index once and checks their structure and constraints, table by table: over the whole file
/// it would also walk the text index on one connection, and that check is a job of its own
/// (`text_index`). The full check
/// (`--full`) runs over the whole file: it also compares each index with its table, and
/// checks the free pages and the text index's structure. Rows themselves are compared with
/// their seals either way.
fn integrity_checks(conn: &Connection, full: bool) -> Result<Vec<(String, bool)>> {
    if full {
        return Ok(vec![("PRAGMA integrity_check(50)".into(), false)]);
    }
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
    )?;
    let names = stmt
        .query_map([], |r| Ok(text_of(r.get_ref(0)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(std::iter::once("sqlite_schema".to_string())
        .chain(names)
        .map(|name| {
            (
                format!("PRAGMA quick_check(\"{}\")", name.replace('"', "\"\"")),
                crate::store::search_index::is_part(&name),
            )
        })
        .collect())
}

/// One of `integrity_checks`.
fn integrity(conn: &Connection, check: &str, problems: &mut Vec<Problem>) -> Result<()> {
    let mut stmt = conn.prepare(check)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let line = text_of(r.get_ref(0)?);
        if line != "ok" {
            let key = if line.contains(crate::store::search_index::TABLE) {
                "verify.integrity_text_index"
            } else {
                "verify.integrity"
            };
            problems.push(Problem::worded(
                crate::i18n::Text::new(key).arg("line", line),
            ));
        }
    }
    Ok(())
}

/// Rows that refer to a missing row.
pub(super) fn foreign_keys(conn: &Connection, problems: &mut Vec<Problem>) -> Result<()> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let table = text_of(r.get_ref("table")?);
        let rowid: Option<i64> = r.get("rowid").ok().flatten();
        let parent = text_of(r.get_ref("parent")?);
        problems.push(Problem::at(
            None,
            &table,
            rowid,
            crate::text!(
                "verify.foreign_key",
                table = &table,
                id = rowid.unwrap_or(0),
                parent = parent
            ),
        ));
    }
    Ok(())
}

/// Any stored value as display text (bytes that are not UTF-8 are shown, not trusted).
pub(super) fn text_of(v: ValueRef) -> String {
    match v {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => f.to_string(),
        ValueRef::Text(t) | ValueRef::Blob(t) => crate::render::clean(&String::from_utf8_lossy(t)),
    }
}

/// A run of consecutive rows sealed by one seal row (one row for a single seal; a bulk load
/// seals up to 1,024 rows in one).
pub(super) struct Run {
    first: i64,
    seq: i64,
    /// 32 bytes per row, or None when the seal records a deletion.
    hashes: Option<Vec<u8>>,
}

impl Run {
    pub(super) fn len(&self) -> i64 {
        match &self.hashes {
            Some(h) if h.len() > 32 && h.len() % 32 == 0 => (h.len() / 32) as i64,
            _ => 1,
        }
    }
    pub(super) fn end(&self) -> i64 {
        self.first.saturating_add(self.len())
    }
    /// The seal of row `id` (inside the run): Some(hash) or None for a deletion.
    pub(super) fn hash_of(&self, id: i64) -> Option<&[u8]> {
        let h = self.hashes.as_deref()?;
        if h.len() > 32 && h.len() % 32 == 0 {
            let i = (id - self.first) as usize * 32;
            h.get(i..i + 32)
        } else {
            Some(h)
        }
    }
}

/// Merge the table's rows (in id order) with the last seal of each row, streaming both.
pub(super) fn verify_rows(
    conn: &Connection,
    table: &str,
    log_ends_at: i64,
    checked: &mut Checked,
    problems: &mut Vec<Problem>,
) -> Result<()> {
    let exists: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
        [table],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(()); // reported by the schema check
    }
    // `id` first, then every column as the seal saw it; columns are used by position only,
    // so a column whose name is not UTF-8 cannot trip anything.
    let mut current = conn.prepare(&format!("SELECT id, * FROM \"{table}\" ORDER BY id"))?;
    let columns = current.column_count().saturating_sub(1);
    let mut sealed = conn.prepare(
        "SELECT row_id, seq, hash FROM seals WHERE tbl = ?1 AND seq <= ?2 ORDER BY row_id, seq",
    )?;
    let mut seal_rows = sealed.query(rusqlite::params![table, log_ends_at])?;
    let mut upcoming = next_run(&mut seal_rows)?;
    let mut active: Vec<Run> = Vec::new();

    let mut rows = current.query([])?;
    let next_row = |rows: &mut rusqlite::Rows| -> rusqlite::Result<Option<(i64, [u8; 32])>> {
        match rows.next()? {
            Some(r) => {
                let values = (1..=columns)
                    .map(|i| r.get_ref(i))
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(Some((r.get(0)?, values_hash(&values))))
            }
            None => Ok(None),
        }
    };
    let mut row = next_row(&mut rows)?;
    // Every id below `done` has been compared.
    let mut done = i64::MIN;
    loop {
        active.retain(|run| run.end() > done);
        let from_active = active.iter().map(|run| run.first.max(done)).min();
        let from_upcoming = upcoming.as_ref().map(|run| run.first.max(done));
        let from_row = row.as_ref().map(|r| r.0);
        let Some(id) = [from_active, from_upcoming, from_row]
            .into_iter()
            .flatten()
            .min()
        else {
            break;
        };
        while let Some(run) = upcoming.take_if(|run| run.first <= id) {
            active.push(run);
            upcoming = next_run(&mut seal_rows)?;
        }
        // The last seal of this id: the covering run with the highest event.
        let last = active
            .iter()
            .filter(|run| run.first <= id && id < run.end())
            .max_by_key(|run| run.seq);
        let this_row = row.filter(|r| r.0 == id);
        problems.extend(seal_mismatch(table, id, this_row, last));
        if this_row.is_some() {
            checked.rows += 1;
            row = next_row(&mut rows)?;
        }
        if id == i64::MAX {
            break;
        }
        done = id + 1;
    }
    Ok(())
}

/// The next run of seals of a table, in row order.
fn next_run(rows: &mut rusqlite::Rows) -> rusqlite::Result<Option<Run>> {
    match rows.next()? {
        Some(r) => Ok(Some(Run {
            first: r.get("row_id")?,
            seq: r.get("seq")?,
            hashes: r.get("hash")?,
        })),
        None => Ok(None),
    }
}

/// What is wrong with row `id` against its last seal, if anything: added since, deleted,
/// changed, or back after its deletion.
fn seal_mismatch(
    table: &str,
    id: i64,
    this_row: Option<(i64, [u8; 32])>,
    last: Option<&Run>,
) -> Option<Problem> {
    match (this_row, last) {
        (Some(_), None) => Some(Problem::at(
            None,
            table,
            Some(id),
            crate::text!("verify.row_added", table = table, id = id),
        )),
        (None, Some(run)) => run.hash_of(id).is_some().then(|| {
            Problem::at(
                Some(run.seq),
                table,
                Some(id),
                crate::text!("verify.row_deleted", table = table, id = id, seq = run.seq),
            )
        }),
        (Some((_, hash)), Some(run)) => match run.hash_of(id) {
            Some(h) if h == hash => None,
            Some(_) => Some(Problem::at(
                Some(run.seq),
                table,
                Some(id),
                crate::text!("verify.row_changed", table = table, id = id, seq = run.seq),
            )),
            None => Some(Problem::at(
                Some(run.seq),
                table,
                Some(id),
                crate::text!("verify.row_back", table = table, id = id, seq = run.seq),
            )),
        },
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    /// A backup of an older schema (v9 to v18) holds the FTS5 index the upgrade replaces:
    /// it is not read as the index of this version (which restore would call damaged).
    #[test]
    fn an_older_schema_s_fts5_index_is_not_a_finding() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v18.db");
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        crate::store::schema::migrate_to(&mut conn, 18).unwrap();
        drop(conn);
        let checked = crate::store::archive::check_file(&path, &super::Expect::default()).unwrap();
        assert_eq!(checked.version, 18);
        let found: Vec<&str> = checked
            .problems
            .iter()
            .map(|p| p.message.as_str())
            .collect();
        assert!(found.is_empty(), "{found:?}");
    }
}
