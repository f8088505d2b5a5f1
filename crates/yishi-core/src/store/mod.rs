//! The only code that speaks SQL.
//!
//! Every command that changes data runs in one `BEGIN IMMEDIATE` transaction through
//! [`Store::write`], and every change it makes is appended to the hash-chained audit log in
//! that same transaction (see [`audit`]). A command that fails leaves the database as it was.

pub mod archive;
pub mod audit;
mod bad_text;
pub mod codes;
pub mod dupes;
pub mod escalations;
pub mod followup;
mod foreign_triggers;
pub(crate) mod header;
pub mod inspect;
pub mod invariants;
pub mod issue_keys;
pub mod issues;
pub mod ledger;
pub(crate) use crate::lock_holders;
pub mod meetings;
pub mod members;
pub mod motions;
pub mod package;
pub mod privacy;
pub mod record;
pub mod replies;
pub mod report;
pub mod restore_lock;
pub mod schema;
pub mod schema_check;
pub mod search_index;
pub mod status;
pub mod stored_times;
pub mod twin;

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use crate::domain::actor::Actor;
pub use audit::Writer;

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The key that seals new events with an HMAC (YISHI_KEY or YISHI_KEY_FILE), if any.
    key: Option<Vec<u8>>,
}

/// A write refused as read-only because of the file's header says so, not "permissions".
fn read_only_because_of_header(path: &Path, e: Error) -> Error {
    if e.fault.as_deref() == Some(&crate::error::Fault::ReadOnly)
        && let Some(h) = header::problem(path)
    {
        return Error::data_text(h);
    }
    e
}

/// The audit key, from YISHI_KEY (the key itself) or YISHI_KEY_FILE (a file holding it, kept
/// outside the database). With a key, the chain cannot be recomputed from the file alone.
pub fn audit_key() -> Result<Option<Vec<u8>>> {
    if let Some(k) = std::env::var_os("YISHI_KEY").filter(|k| !k.is_empty()) {
        return Ok(Some(k.into_encoded_bytes()));
    }
    let Some(file) = std::env::var_os("YISHI_KEY_FILE").filter(|k| !k.is_empty()) else {
        return Ok(None);
    };
    let bytes = std::fs::read(&file).map_err(|e| {
        Error::data_text(crate::text!(
            "store.key_file_unreadable",
            file = Path::new(&file).display(),
            error = e
        ))
    })?;
    let key = bytes.trim_ascii_end().to_vec();
    if key.len() < 16 {
        return Err(Error::data_text(crate::text!(
            "store.key_too_short",
            file = Path::new(&file).display()
        )));
    }
    Ok(Some(key))
}

/// How long a command waits for another program's write to finish before it gives up with
/// "busy, try again" (exit 75): 10 s, or YISHI_BUSY_TIMEOUT seconds (e.g. `0.5`, up to an hour).
fn busy_timeout() -> Result<Duration> {
    let Some(given) = std::env::var_os("YISHI_BUSY_TIMEOUT").filter(|v| !v.is_empty()) else {
        return Ok(Duration::from_secs(10));
    };
    let text = given.to_string_lossy();
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| (0.0..=3600.0).contains(s))
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            Error::data_text(crate::text!(
                "store.bad_busy_timeout",
                value = crate::render::clean(&text.chars().take(40).collect::<String>())
            ))
        })
}

/// The page size of a database `init` makes, in bytes. Measured against SQLite's 4,096: the
/// load stage of an import of 200,000 issues took 10–13% less time (median of 7–11
/// alternating runs, both data shapes of `scripts/bench.sh`), half as many pages being
/// allocated, written and linked; 16,384 gained nothing more. A database made before keeps
/// its own size: SQLite reads it from the file's header.
const NEW_PAGE_SIZE: i64 = 8192;

/// A read-only connection to the database at `path`, for a read split over two threads
/// (`store::twin`).
pub(crate) fn open_reader_at(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| Error::from(e).context(path.display()))?;
    conn.busy_timeout(busy_timeout()?)?;
    Ok(conn)
}

impl Store {
    /// Create a new database file, readable and writable by its owner only.
    pub fn create(path: &Path) -> Result<Store> {
        if path.exists() {
            return Err(Error::refused_text(crate::text!(
                "store.db_exists",
                path = path.display()
            )));
        }
        create_private_file(path)?;
        let mut store = Store::connect(path, OpenFlags::SQLITE_OPEN_READ_WRITE, false)?;
        schema::migrate(&mut store.conn)?;
        Ok(store)
    }

    /// Open an existing database, upgrading its schema if it is older than this binary.
    pub fn open(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(Error::data_text(crate::text!(
                "store.no_db",
                path = path.display()
            )));
        }
        let mut store = Store::connect(path, OpenFlags::SQLITE_OPEN_READ_WRITE, true)?;
        match schema::migrate(&mut store.conn) {
            // An older file this binary must upgrade before anything reads it (an upgrade is
            // the only write here; its transaction rolled back): say so, and where, instead of
            // only that the database is read-only.
            Err(e) if matches!(e.fault.as_deref(), Some(crate::error::Fault::ReadOnly)) => {
                Err(Error::worded(
                    e.kind,
                    crate::text!(
                        "schema.upgrade_read_only",
                        path = path.display(),
                        version = schema::version(&store.conn)?,
                        latest = schema::LATEST
                    ),
                ))
            }
            other => other.map(|()| store),
        }
    }

    /// Open an existing database to read it only: the connection is read-only, so a listing,
    /// the log or a report never writes the file, its schema or its indexes (issue 30). Two
    /// states cannot be read that way and are opened as [`Store::open`] does: an interrupted
    /// write (a hot journal, which SQLite rolls back) and a schema older than this binary
    /// (upgraded once, as any command of a new version must).
    pub fn open_read(path: &Path) -> Result<Store> {
        if !path.exists() || inspect::has_hot_journal(path) {
            return Store::open(path);
        }
        let store = Store::connect(path, OpenFlags::SQLITE_OPEN_READ_ONLY, true)?;
        if schema::version(&store.conn)? != schema::LATEST {
            drop(store);
            return Store::open(path);
        }
        Ok(store)
    }

    /// Whether this store was opened by [`Store::open_read`] (it cannot write).
    pub fn is_read_only(&self) -> bool {
        self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true)
    }

    /// The index stage of a large import, in its own transaction after the load's: build the
    /// listing indexes of `issues` and the text index that the load dropped, telling `stage`
    /// which one it is building. Returns whether there was anything to build.
    pub fn build_issue_indexes(&mut self, stage: impl Fn(schema::IndexStage)) -> Result<bool> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        restore_lock::refuse_while_restoring(&tx)?;
        foreign_triggers::refuse(&tx, &[])?;
        let built = schema::build_issue_indexes(&tx, stage)?;
        tx.commit()?;
        Ok(built)
    }

    /// Finish the index stage of a large import that was stopped before it ended (killed, or
    /// its machine stopped; or a database imported by an older yishi, which left them to the
    /// next command): a write-capable command does this once, before its own work, and says
    /// so. Returns whether there was anything to build. If another program holds the write
    /// lock, or a restore is replacing the file, it is left for the next write.
    pub fn complete_issue_indexes(&mut self) -> Result<bool> {
        if !schema::issue_indexes_missing(&self.conn)? {
            return Ok(false);
        }
        match self.build_issue_indexes(|_| {}) {
            Err(e) if e.is_busy() => Ok(false),
            other => other,
        }
    }

    /// Connect to the file; `existing`: refuse it when it is empty (no bytes, or an SQLite file
    /// with no tables and no schema version), before anything is written to it. Only `init`
    /// makes a database; any other command given such a file (a database truncated behind
    /// yishi's back, a file made by `touch`) would otherwise start a new one in it, with a new
    /// log.
    fn connect(path: &Path, flags: OpenFlags, existing: bool) -> Result<Store> {
        lock_holders::remember(path);
        let key = audit_key()?;
        let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| Error::from(e).context(path.display()))?;
        conn.busy_timeout(busy_timeout()?)?;
        let empty = || -> rusqlite::Result<bool> {
            conn.query_row(
                "SELECT (SELECT user_version FROM pragma_user_version) = 0 AND (SELECT count(*) FROM sqlite_schema) = 0",
                [],
                |r| r.get(0),
            )
        };
        if existing && empty().map_err(|e| Error::from(e).context(path.display()))? {
            return Err(Error::data_text(crate::text!(
                "store.empty_file",
                file = path.display()
            )));
        }
        if !existing {
            // Before anything is written: a WAL database keeps the page size it was made with.
            conn.pragma_update(None, "page_size", NEW_PAGE_SIZE)?;
        }
        // WAL lets readers work while one writer writes; NORMAL sync is durable in WAL mode
        // except for the last transactions on power loss, never corrupting the file. (A
        // read-only connection leaves the mode as it is: setting it writes the header.)
        if !flags.contains(OpenFlags::SQLITE_OPEN_READ_ONLY) {
            conn.pragma_update(None, "journal_mode", "WAL")
                .map_err(|e| {
                    read_only_because_of_header(path, Error::from(e).context(path.display()))
                })?;
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            key,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A failed command's error, told truly where the file itself is at fault: stored text
    /// that is not UTF-8 named by table, row and column; "read-only" caused by the file's
    /// header rather than its permissions named as such.
    fn explain(&self, e: Error) -> Error {
        read_only_because_of_header(&self.path, bad_text::locate(&self.conn, e))
    }

    /// Read-only access for queries.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Another read-only connection to the same file, for a read split over two threads
    /// (`store::twin`).
    pub fn open_reader(&self) -> Result<Connection> {
        open_reader_at(&self.path)
    }

    /// Run `f` in one read transaction: everything it reads comes from one snapshot of the
    /// database, however many statements it runs, even while another process writes. Read
    /// commands (listings, show, minutes, report, verify) go through here.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        // A deferred transaction takes its snapshot at the first read and keeps it to the end.
        // `unchecked_transaction` because readers only hold `&Store`; nothing else is open on
        // this connection while `f` runs.
        let tx = self.conn.unchecked_transaction()?;
        let out = match f(&tx) {
            Ok(out) => out,
            Err(e) => {
                drop(tx);
                return Err(self.explain(e));
            }
        };
        tx.finish()?;
        Ok(out)
    }

    /// A write that removes personal data: space it frees is zeroed (`secure_delete`); then the
    /// file is rebuilt (`VACUUM`: older page reorganisations leave stale copies of rows in
    /// unused space) and the WAL is checkpointed and truncated, so the old bytes are gone from
    /// the file and its WAL. Returns whether that cleanup completed (another program reading
    /// the database can hold it up; the forgetting itself is committed either way).
    pub fn write_erasing<T>(
        &mut self,
        actor: &Actor,
        f: impl FnOnce(&mut Writer) -> Result<T>,
    ) -> Result<(T, crate::domain::audit::Scrub)> {
        use crate::domain::audit::Scrub;
        self.conn.pragma_update(None, "secure_delete", "ON")?;
        let out = self.write(actor, f)?;
        // Committed: whatever fails from here on, the forgetting stands, and no message may
        // say that nothing was changed.
        let cleanup = || -> rusqlite::Result<Scrub> {
            if crate::testhook::fails("scrub") {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
                    None,
                ));
            }
            let vacuumed = match self.conn.execute_batch("VACUUM") {
                Ok(()) => true,
                Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => false,
                Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseLocked) => {
                    false
                }
                Err(e) => return Err(e),
            };
            let busy: i64 = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
            Ok(if vacuumed && busy == 0 {
                Scrub::Clean
            } else {
                Scrub::Busy
            })
        };
        let scrub = cleanup().unwrap_or_else(|e| {
            Scrub::Failed(match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DiskFull) => "disk full".to_string(),
                _ => e.to_string(),
            })
        });
        Ok((out, scrub))
    }

    /// Run `f` in one write transaction; commit if it returns Ok, roll back otherwise.
    pub fn write<T>(
        &mut self,
        actor: &Actor,
        f: impl FnOnce(&mut Writer) -> Result<T>,
    ) -> Result<T> {
        let mut w = self.begin(actor)?;
        let out = match f(&mut w) {
            Ok(out) => out,
            Err(e) => {
                drop(w);
                return Err(self.explain(e));
            }
        };
        w.commit().map_err(|e| self.explain(e))?;
        Ok(out)
    }

    /// A write transaction (`BEGIN IMMEDIATE`: waits for other writers up to the busy timeout
    /// instead of failing halfway through).
    fn begin(&mut self, actor: &Actor) -> Result<Writer<'_>> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            // "Read-only" may come from the file's header, not its permissions: say which.
            .map_err(|e| read_only_because_of_header(&path, e.into()))?;
        restore_lock::refuse_while_restoring(&tx)?;
        foreign_triggers::refuse(&tx, &[])?;
        Writer::new(tx, actor.clone(), self.key.clone())
    }

    /// Build the text index of issues (`search_index`) again from the issues, in one
    /// transaction. It is derived data: no record changes, so nothing goes to the log.
    /// Returns the issues indexed. Pages of the old index too damaged to free are left
    /// unused by the rebuild; `VACUUM` then writes the file again without them.
    pub fn rebuild_text_index(&mut self) -> Result<u64> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        restore_lock::refuse_while_restoring(&tx)?;
        // Triggers put on the derived tables go with them as they are made again.
        foreign_triggers::refuse(&tx, &[search_index::TABLE, issue_keys::TABLE])?;
        let (indexed, pages_left) = search_index::build(&tx)?;
        // The other derived table of issues, written again with it.
        issue_keys::rebuild(&tx)?;
        // The indexes an import stopped in its index stage left to build (`issue reindex`
        // opens the database without completing them first: what stopped them is mended here).
        schema::build_issue_indexes(&tx, |_| {})?;
        tx.commit()?;
        if pages_left {
            self.conn.execute_batch("VACUUM")?;
        }
        Ok(indexed)
    }

    /// Run `f` as `write` does, then roll everything back: for --dry-run, which must behave
    /// exactly like the real command and change nothing.
    pub fn trial<T>(
        &mut self,
        actor: &Actor,
        f: impl FnOnce(&mut Writer) -> Result<T>,
    ) -> Result<T> {
        // Dropping the writer drops its transaction, which rolls back.
        let out = f(&mut self.begin(actor)?);
        out.map_err(|e| self.explain(e))
    }

    /// Give a bulk load a larger page cache, so that its index pages stay in memory instead of
    /// being written to the WAL again and again (measured: the largest cost of a big import).
    pub fn prepare_bulk_load(&self, cache_mib: u32) -> Result<()> {
        self.conn
            .pragma_update(None, "cache_size", -(i64::from(cache_mib) * 1024))?;
        Ok(())
    }

    /// Switch a bulk load to the rollback journal when no other connection is using the
    /// database. Pages the load appends are then written once, straight to the file, instead
    /// of to the WAL and again at checkpoint (measured on a million issues: 1.9 s → 1.5 s).
    /// It stays atomic: a crash leaves a hot journal that the next open rolls back. Returns
    /// whether the mode was switched; if another process has the file open, the load simply
    /// runs in WAL mode.
    pub fn enter_bulk_journal(&self) -> bool {
        // Switching rewrites the file's header: not for a load that its first statement will
        // refuse (a trigger put on the file), which must leave the file as it was.
        if foreign_triggers::refuse(&self.conn, &[]).is_err() {
            return false;
        }
        self.conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| {
                r.get::<_, String>(0)
            })
            .is_ok_and(|mode| mode.eq_ignore_ascii_case("delete"))
    }

    /// Leave the copying of this connection's log into the file to the caller: an import
    /// into a large database changes pages all over its indexes, and copying them (the
    /// checkpoint SQLite runs after a commit) is then the slowest part of its commit; the
    /// caller runs it beside other work ([`Store::checkpoint_beside`]).
    pub fn hold_checkpoints(&self) -> Result<()> {
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        Ok(())
    }

    /// Run `f` while another thread copies the log of the database at `path` into the file
    /// (a passive checkpoint, which waits for no one), and return when both are done: the
    /// command still ends with its log copied. A checkpoint that fails is left to the next
    /// commit, which copies the log again.
    pub fn checkpoint_beside<T>(path: &Path, f: impl FnOnce() -> T) -> T {
        std::thread::scope(|scope| {
            let copy = scope.spawn(|| -> rusqlite::Result<()> {
                let conn = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
            });
            let out = f();
            let _ = copy.join();
            out
        })
    }

    /// Back to WAL after a bulk load. If that fails now, the next command's open switches.
    pub fn leave_bulk_journal(&self) {
        let _ = self.conn.pragma_update(None, "journal_mode", "WAL");
    }
}

/// Every row of a query, each mapped by `f`: the prepare, query and collect steps in one place.
pub fn query_all<T, P: rusqlite::Params>(
    conn: &Connection,
    sql: &str,
    params: P,
    f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(params, f)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Where each of `names` is among `stmt`'s columns (the first of that name), found in one
/// pass over the column names; a name missing is an error naming it. A loop over many rows
/// finds them once and reads each row by these indexes: rusqlite's `get("name")` scans the
/// names again for every value.
pub fn column_indexes<const N: usize>(
    stmt: &rusqlite::Statement,
    names: [&str; N],
) -> rusqlite::Result<[usize; N]> {
    let mut at = [None; N];
    for i in 0..stmt.column_count() {
        let name = stmt.column_name(i)?;
        if let Some(k) = names.iter().position(|n| *n == name) {
            at[k].get_or_insert(i);
        }
    }
    let mut found = [0; N];
    for (k, i) in at.into_iter().enumerate() {
        found[k] = i.ok_or_else(|| rusqlite::Error::InvalidColumnName(names[k].to_string()))?;
    }
    Ok(found)
}

/// Create an empty file with mode 0600 so that residents' data is never world-readable, even
/// for a moment. SQLite gives its -wal and -shm files the same permissions. A missing folder
/// is created (owner-only), so `yishi backup backups/2026-12-01.db` works as written.
pub fn create_private_file(path: &Path) -> Result<()> {
    if let Some(folder) = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty() && !p.exists())
    {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(folder).map_err(|e| {
            Error::data_text(crate::text!(
                "store.cannot_create_folder",
                folder = folder.display(),
                path = path.display(),
                error = e
            ))
        })?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path).map(|_| ()).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            Error::refused_text(crate::text!("store.exists_already", path = path.display()))
        }
        std::io::ErrorKind::NotFound => {
            Error::data_text(crate::text!("store.no_folder", path = path.display()))
        }
        _ => Error::data_text(crate::text!(
            "store.cannot_create",
            path = path.display(),
            error = e
        )),
    })
}
