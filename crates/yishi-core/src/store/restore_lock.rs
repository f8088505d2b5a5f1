//! The lock a restore holds on the database from its first check to the moment the backup is in
//! place, so that no write lands in between and is then overwritten (issue 27, problem 1).
//!
//! SQLite's own write lock cannot be held across the whole restore: the backup API that puts
//! the checked copy in place takes the destination's lock itself and refuses a connection that
//! is already in a transaction. So a restore takes an exclusive advisory lock on
//! `<db>.restoring` and then waits for the write in progress, if any, to end; every write
//! transaction of yishi, once it holds SQLite's lock, checks that file and gives up (busy,
//! exit 75) while a restore holds it. The kernel drops the lock when the restore ends or is
//! killed, so a leftover file blocks nothing.

use crate::error::{Error, Result};
use rusqlite::Connection;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

/// `<db>.restoring`.
pub fn path(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".restoring");
    p.into()
}

/// Held by a running restore; dropping it removes the file and releases the lock.
pub struct RestoreLock {
    file: Option<File>,
    path: PathBuf,
}

impl RestoreLock {
    /// Take the lock (refusing when another restore holds it), then wait until the write that
    /// may be under way has committed: from here on, no write of yishi can change `db`.
    pub fn acquire(db: &Path) -> Result<RestoreLock> {
        let path = path(db);
        let mut opts = OpenOptions::new();
        opts.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let file = opts
            .open(&path)
            .map_err(|e| crate::outfile::io_error(&path, &e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(Error::worded(
                    crate::error::Kind::Busy,
                    crate::text!("restore.another_running", db = db.display()),
                ));
            }
            Err(TryLockError::Error(e)) => return Err(crate::outfile::io_error(&path, &e)),
        }
        let lock = RestoreLock {
            file: Some(file),
            path,
        };
        drain_writer(db)?;
        Ok(lock)
    }
}

impl Drop for RestoreLock {
    fn drop(&mut self) {
        // Removed while still locked, so that no other restore locks this file meanwhile.
        let _ = std::fs::remove_file(&self.path);
        drop(self.file.take());
    }
}

/// Wait for the write in progress (a writer that took SQLite's lock before ours was taken) to
/// commit, by taking SQLite's write lock once. A file that is not a database has no writer.
fn drain_writer(db: &Path) -> Result<()> {
    if !std::fs::metadata(db).is_ok_and(|m| m.len() > 0) {
        return Ok(());
    }
    let Ok(conn) = Connection::open(db) else {
        return Ok(());
    };
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    match conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;") {
        Ok(()) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::DatabaseBusy =>
        {
            Err(Error::worded(
                crate::error::Kind::Busy,
                crate::text!("restore.busy").pair(
                    "who",
                    super::lock_holders::described(crate::domain::locale::Locale::ZhCn),
                    super::lock_holders::described(crate::domain::locale::Locale::En),
                ),
            ))
        }
        // Not a database, or too damaged to lock: the restore's own checks say so.
        Err(_) => Ok(()),
    }
}

/// Called by every write transaction once it holds SQLite's write lock: refuse while a restore
/// is replacing the database (its lock is held), so the write cannot be lost.
pub fn refuse_while_restoring(conn: &Connection) -> Result<()> {
    let Some(db) = conn.path().filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let db = Path::new(db);
    let Ok(file) = File::open(path(db)) else {
        return Ok(());
    };
    match file.try_lock_shared() {
        Err(TryLockError::WouldBlock) => Err(Error::worded(
            crate::error::Kind::Busy,
            crate::text!("restore.write_refused", db = db.display()),
        )),
        _ => Ok(()),
    }
}
