//! Backup, restore and the JSON-lines archive.

use super::{Store, audit, inspect, schema};
use crate::error::{Error, Result};
use crate::outfile;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use std::io::Write;
use std::path::Path;

/// Columns that hold personal contact details; left out of an export unless asked.
pub const CONTACT_COLUMNS: &[&str] = &["phone", "address"];

/// A database file checked read-only: what verify found, and the chain's head.
pub struct Checked {
    pub checked: audit::Checked,
    pub problems: Vec<audit::Problem>,
    pub version: i64,
}

/// Check a database file without changing it: refuses a file that is empty, not SQLite, not
/// yishi, of an unknown version or with an interrupted write (exit 65); verifies the rest.
pub fn check_file(path: &Path, expect: &audit::Expect) -> Result<Checked> {
    // A file cut short or marked read-only by its header is named first: what else is found
    // follows from it.
    let header = super::header::problem(path);
    let named = |e: Error| match &header {
        Some(h) => Error::data_text(h.clone()),
        None => e,
    };
    let ro = inspect::open(path).map_err(named)?;
    let twin = || inspect::open(path).map(|twin| twin.conn);
    let (checked, mut problems) = audit::verify(&ro.conn, ro.version, expect, twin)
        .map_err(|e| named(e.context(path.display())))?;
    if let Some(h) = header {
        problems.insert(0, audit::Problem::worded(h));
    }
    Ok(Checked {
        checked,
        problems,
        version: ro.version,
    })
}

/// Copy the database to `dest`: into a private temporary file beside it, switched to a
/// self-contained rollback-journal file, verified read-only, and only then renamed to `dest`.
/// A backup that is killed leaves no file at `dest`; one that does not verify is removed.
pub fn backup(store: &Store, dest: &Path, force: bool) -> Result<(Checked, usize)> {
    let pending = outfile::Pending::new(dest, force)?;
    {
        let mut out =
            Connection::open(pending.path()).map_err(|e| Error::from(e).context(dest.display()))?;
        // One step: the source is read in one snapshot; in WAL mode writers carry on.
        copy_all(store.conn(), &mut out).map_err(|e| e.context(dest.display()))?;
        // The copy is a single file: no -wal or -shm beside it.
        out.pragma_update(None, "journal_mode", "DELETE")
            .map_err(|e| Error::from(e).context(dest.display()))?;
    }
    let mut checked = check_file(pending.path(), &audit::Expect::default())?;
    // Faults only in the data derived from the issues (the text index, the packed keys) do
    // not stop a backup: they are built again in the copy, as a restore would, and the copy
    // must then verify. Anything else (or what the rebuild does not mend: a view in their
    // names, damaged pages) refuses it. A backup before `issue reindex` is what a careful
    // secretary makes.
    let mut derived = 0;
    if !checked.problems.is_empty() && checked.problems.iter().all(|p| p.is_derived()) {
        let rebuilt = Connection::open(pending.path())
            .map_err(Error::from)
            .and_then(|mut copy| rebuild_derived(&mut copy, true));
        if rebuilt.is_ok() {
            let again = check_file(pending.path(), &audit::Expect::default())?;
            if again.problems.is_empty() {
                derived = checked.problems.len();
                checked = again;
            }
        }
    }
    if let Some(first) = checked.problems.first() {
        return Err(Error::refused_text(
            crate::text!("backup.copy_does_not_verify", n = checked.problems.len())
                .text("first", &first.text),
        ));
    }
    pending.commit()?;
    Ok((checked, derived))
}

/// Build again in `conn` what is derived from the issues: the text index and the packed keys
/// (`all`), and whichever listing indexes are missing (an import's index stage not finished).
fn rebuild_derived(conn: &mut Connection, all: bool) -> Result<()> {
    let tx = conn.transaction()?;
    let pages_left = all && super::search_index::build(&tx)?.1;
    if all {
        super::issue_keys::rebuild(&tx)?;
    }
    schema::build_issue_indexes(&tx, |_| {})?;
    tx.commit()?;
    if pages_left {
        conn.execute_batch("VACUUM")?;
    }
    Ok(())
}

/// How a backup's log relates to the live database's log.
pub enum Lineage {
    /// There is no live database (or it is empty).
    NoDatabase,
    /// The live database cannot be read as a yishi database.
    Unreadable(String),
    /// The same log, event for event.
    Same,
    /// The backup's log is the start of the live one; `later` events would be lost.
    Prefix { later: i64, last_at: String },
    /// The logs part ways after event `common`.
    Diverged {
        common: i64,
        live_later: i64,
        backup_later: i64,
    },
    /// The backup has events the live database lacks (the live one is older).
    Ahead { more: i64 },
}

/// One link of the chain, as a backup and the live database are compared.
struct Link {
    seq: i64,
    hash: String,
    at: String,
}

/// The links of the log, in order.
fn chain(conn: &Connection) -> Result<Vec<Link>> {
    // Only seq, hash and time: 100 bytes an event, a few MB for a long-lived council.
    super::query_all(
        conn,
        "SELECT seq, hash, at FROM events ORDER BY seq",
        [],
        |r| {
            Ok(Link {
                seq: r.get("seq")?,
                hash: r.get("hash")?,
                at: r.get("at")?,
            })
        },
    )
}

/// Compare the backup's log with the live database's, read-only.
pub fn lineage(backup: &Path, live: &Path) -> Result<Lineage> {
    if !live.exists() || std::fs::metadata(live).is_ok_and(|m| m.len() == 0) {
        return Ok(Lineage::NoDatabase);
    }
    let live_conn = match inspect::open(live) {
        Ok(ro) => ro.conn,
        Err(e) => return Ok(Lineage::Unreadable(e.message)),
    };
    let theirs = match chain(&live_conn) {
        Ok(c) => c,
        Err(e) => return Ok(Lineage::Unreadable(e.message)),
    };
    let ours = chain(&inspect::open(backup)?.conn)?;
    let common = ours
        .iter()
        .zip(&theirs)
        .take_while(|(a, b)| a.seq == b.seq && a.hash == b.hash)
        .count();
    let (n_ours, n_theirs) = (ours.len(), theirs.len());
    Ok(if common == n_ours && common == n_theirs {
        Lineage::Same
    } else if common == n_ours {
        Lineage::Prefix {
            later: (n_theirs - common) as i64,
            last_at: ours.last().map(|e| e.at.clone()).unwrap_or_default(),
        }
    } else if common == n_theirs {
        Lineage::Ahead {
            more: (n_ours - common) as i64,
        }
    } else {
        Lineage::Diverged {
            common: common as i64,
            live_later: (n_theirs - common) as i64,
            backup_later: (n_ours - common) as i64,
        }
    })
}

/// The path the replaced database is kept at until the user removes it.
pub fn before_restore_path(db: &Path) -> std::path::PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".before-restore");
    p.into()
}

/// Replace the database at `dest` with the (already checked) backup `src`:
/// 1. copy the backup into a temporary file beside `dest`, bring it to this binary's schema
///    (and build its text index again when `rebuild_text_index`) and verify it;
/// 2. keep the current database as `<dest>.before-restore`;
/// 3. copy the checked file into the live database through SQLite's backup API, which writes
///    it in one transaction: a reader or a crash sees the old database or the new one.
pub fn restore(src: &Path, dest: &Path, rebuild_text_index: bool) -> Result<Checked> {
    let staged = outfile::Pending::new(dest, true)?;
    {
        let from = inspect::open(src)?;
        let mut to = Connection::open(staged.path())?;
        copy_all(&from.conn, &mut to)?;
        to.pragma_update(None, "journal_mode", "DELETE")?;
        schema::migrate(&mut to)?;
        // A backup taken while an import's index stage had not finished is restored with
        // its indexes built: no later command has work left.
        if rebuild_text_index || schema::issue_indexes_missing(&to)? {
            rebuild_derived(&mut to, rebuild_text_index)?;
        }
    }
    let checked = check_file(staged.path(), &audit::Expect::default())?;
    if !checked.problems.is_empty() {
        return Err(Error::refused_text(
            crate::text!("restore.upgraded_does_not_verify", file = src.display())
                .text("first", &checked.problems[0].text),
        ));
    }
    let exists = std::fs::metadata(dest).is_ok_and(|m| m.len() > 0);
    let readable = exists && inspect::open(dest).is_ok();
    if exists {
        keep_before_restore(dest, readable)?;
    }
    if readable {
        let from = Connection::open_with_flags(staged.path(), OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let mut to = Connection::open(dest)?;
        to.busy_timeout(std::time::Duration::from_secs(10))?;
        copy_all(&from, &mut to)?;
    } else {
        // No database, an empty file, or one too damaged to write into (kept above): the
        // checked file takes its place, and stale journal files go.
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut p = dest.as_os_str().to_owned();
            p.push(suffix);
            let p = std::path::PathBuf::from(p);
            if p.exists() {
                std::fs::remove_file(&p).map_err(|e| outfile::io_error(&p, &e))?;
            }
        }
        staged.commit()?;
    }
    Ok(checked)
}

/// Keep the database about to be replaced as `<db>.before-restore`: through the backup API
/// when it can be read (so that its WAL is included), else byte for byte.
fn keep_before_restore(dest: &Path, readable: bool) -> Result<()> {
    let keep = outfile::Pending::new(&before_restore_path(dest), true)?;
    if readable {
        let live = Connection::open_with_flags(dest, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let mut out = Connection::open(keep.path())?;
        copy_all(&live, &mut out)?;
        out.pragma_update(None, "journal_mode", "DELETE")?;
    } else {
        std::fs::copy(dest, keep.path()).map_err(|e| outfile::io_error(keep.dest(), &e))?;
    }
    keep.commit()
}

/// Copy a whole database with SQLite's backup API in one step (one read snapshot).
fn copy_all(from: &Connection, to: &mut Connection) -> Result<()> {
    use rusqlite::backup::StepResult;
    let copy = rusqlite::backup::Backup::new(from, to)?;
    match copy.step(-1)? {
        StepResult::Done => Ok(()),
        StepResult::Busy | StepResult::Locked => Err(Error::worded(
            crate::error::Kind::Busy,
            crate::text!("backup.busy").pair(
                "who",
                super::lock_holders::described(crate::domain::locale::Locale::ZhCn),
                super::lock_holders::described(crate::domain::locale::Locale::En),
            ),
        )),
        _ => Err(Error::internal("the copy stopped before the end")),
    }
}

/// The column names of `table`, in `SELECT *` order, read as bytes (a name that is not UTF-8
/// is shown with replacement characters instead of stopping the export).
fn column_names(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
    let mut rows = stmt.query([table])?;
    let mut names = Vec::new();
    while let Some(r) = rows.next()? {
        names.push(match r.get_ref(0)? {
            ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
            other => format!("{other:?}"),
        });
    }
    Ok(names)
}

/// One table as JSON lines: one object per row, keys as column names.
fn table_to_json_lines(
    conn: &Connection,
    table: &str,
    include_contacts: bool,
    out: &mut impl Write,
) -> Result<u64> {
    let names = column_names(conn, table)?;
    let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY 1"))?;
    let columns = stmt.column_count();
    let mut rows = stmt.query([])?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let mut obj = serde_json::Map::new();
        for i in 0..columns {
            let name = names
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("column{i}"));
            if !include_contacts && CONTACT_COLUMNS.contains(&name.as_str()) {
                continue;
            }
            let v = match r.get_ref(i)? {
                ValueRef::Null => serde_json::Value::Null,
                ValueRef::Integer(x) => x.into(),
                ValueRef::Real(x) => x.into(),
                ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
                ValueRef::Blob(b) => audit::hex(b).into(),
            };
            obj.insert(name, v);
        }
        serde_json::to_writer(&mut *out, &obj)?;
        out.write_all(b"\n")?;
        n += 1;
    }
    Ok(n)
}

/// Write every table (including the audit log) as `DIR/<table>.jsonl`, plus `manifest.json`,
/// each through [`outfile`] (existing files need `force`). The folder is private (0700).
pub fn export_json(
    store: &Store,
    dir: &Path,
    include_contacts: bool,
    force: bool,
) -> Result<Vec<(String, u64)>> {
    outfile::create_dir(dir)?;
    let conn = store.conn();
    // One read transaction: every file reflects the same moment.
    conn.execute_batch("BEGIN")?;
    let result = (|| {
        let mut tables = audit::audited_tables(conn)?;
        tables.push("events".into());
        tables.push("seals".into());
        // Refuse before writing anything, rather than halfway.
        for t in tables
            .iter()
            .map(|t| format!("{t}.jsonl"))
            .chain(["manifest.json".into()])
        {
            outfile::check_target(&dir.join(t), force)?;
        }
        // Every file is written to its temporary file first and all are renamed into place at
        // the end: a killed export leaves only temporary files, which the next run removes,
        // so it can simply be run again.
        let mut counts = Vec::new();
        let mut staged = Vec::new();
        for t in &tables {
            let path = dir.join(format!("{t}.jsonl"));
            let mut file = outfile::Pending::new(&path, force)?;
            let n = {
                let mut w = file.writer();
                let n = table_to_json_lines(conn, t, include_contacts, &mut w)
                    .map_err(|e| e.context(path.display()))?;
                w.flush().map_err(|e| outfile::io_error(&path, &e))?;
                n
            };
            staged.push(file);
            counts.push((t.clone(), n));
            crate::testhook::pause("export-staged");
        }
        let manifest = serde_json::json!({
            "format": "yishi-archive",
            "format_version": 1,
            "schema_version": schema::version(conn)?,
            "contacts_included": include_contacts,
            "chain_head": audit::head(conn)?.map(|h| h.short()),
            "tables": counts.iter().map(|(t, n)| serde_json::json!({"table": t, "file": format!("{t}.jsonl"), "rows": n})).collect::<Vec<_>>(),
        });
        let mut file = outfile::Pending::new(&dir.join("manifest.json"), force)?;
        file.write_all((serde_json::to_string_pretty(&manifest)? + "\n").as_bytes())?;
        staged.push(file);
        for file in staged {
            file.commit()?;
        }
        Ok(counts)
    })();
    conn.execute_batch("COMMIT")?;
    result
}
