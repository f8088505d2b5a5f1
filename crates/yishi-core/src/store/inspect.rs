//! Opening a database file to look at it, never to change it: `verify`, `restore` and the
//! check of a fresh backup. The connection is read-only (no schema is created, no journal mode
//! is switched), and the file is checked before SQLite sees it, so that an empty file, a
//! foreign file or one with an interrupted write is refused instead of "verified".

use super::schema;
use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags};
use std::io::Read;
use std::path::Path;

/// The first 16 bytes of every SQLite database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// The first 8 bytes of a rollback journal that still holds an interrupted write.
const JOURNAL_MAGIC: [u8; 8] = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];

/// A yishi database opened read-only, with its schema version.
pub struct ReadOnly {
    pub conn: Connection,
    pub version: i64,
}

/// Open `path` read-only after checking that it is a yishi database this binary knows.
/// Every refusal is a data error (exit 65) naming the file and what to do.
pub fn open(path: &Path) -> Result<ReadOnly> {
    let shown = path.display().to_string();
    let meta = std::fs::symlink_metadata(path)
        .map_err(|_| Error::data_text(crate::text!("inspect.no_file", path = &shown)))?;
    if !meta.is_file() && !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return Err(Error::data_text(crate::text!(
            "inspect.not_a_file",
            path = &shown
        )));
    }
    let mut head = [0u8; 16];
    let n = std::fs::File::open(path)
        .and_then(|mut f| read_up_to(&mut f, &mut head))
        .map_err(|e| {
            Error::io_text(crate::text!("inspect.unreadable", path = &shown, error = e))
        })?;
    if n == 0 {
        return Err(Error::data_text(crate::text!(
            "inspect.empty_file",
            path = &shown
        )));
    }
    if n < 16 || &head != SQLITE_MAGIC {
        return Err(Error::data_text(crate::text!(
            "inspect.not_sqlite",
            path = &shown
        )));
    }
    if has_hot_journal(path) {
        return Err(Error::data_text(crate::text!(
            "inspect.hot_journal",
            path = &shown
        )));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| Error::from(e).context(&shown))?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // A hostile file must not run its own functions through views or triggers.
    let _ = conn.pragma_update(None, "trusted_schema", "OFF");
    let version = schema::version(&conn).map_err(|e| e.context(&shown))?;
    if version == 0 {
        let objects: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(|e| Error::from(e).context(&shown))?;
        return Err(Error::data_text(if objects == 0 {
            crate::text!("inspect.empty_sqlite", path = &shown)
        } else {
            crate::text!("inspect.no_version", path = &shown)
        }));
    }
    if !(0..=schema::LATEST).contains(&version) {
        return Err(Error::data_text(crate::text!(
            "inspect.unknown_version",
            path = &shown,
            version = version,
            latest = schema::LATEST
        )));
    }
    Ok(ReadOnly { conn, version })
}

fn read_up_to(f: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// A rollback journal beside the file whose header is still valid: a write was interrupted and
/// its pages are half in the file.
pub fn has_hot_journal(path: &Path) -> bool {
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    let mut head = [0u8; 8];
    std::fs::File::open(journal)
        .and_then(|mut f| read_up_to(&mut f, &mut head))
        .is_ok_and(|n| n == 8 && head == JOURNAL_MAGIC)
}
