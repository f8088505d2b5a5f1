//! A prepared statement that binds its text where it lies, for the bulk loader's insert.
//!
//! rusqlite binds every text with `SQLITE_TRANSIENT`: SQLite copies it into memory of its
//! own, allocated at each bind and freed at the next (eight texts a row, a million rows). A
//! load's rows are already in one buffer that outlives the statement's run, so this binds them
//! with `SQLITE_STATIC` instead: a twelfth of the writer thread's work at 200,000 rows.
//!
//! The one rule `SQLITE_STATIC` asks is that a bound text stays put until SQLite is done with
//! it; [`BorrowedInsert::execute`] binds, runs and resets in one call and clears the bindings
//! before it returns, so no pointer outlives the borrow it came from.

use rusqlite::Connection;
use rusqlite::ffi;
use rusqlite::types::ValueRef;
use std::ffi::{CStr, c_int};
use std::marker::PhantomData;
use std::ptr::NonNull;

pub(super) struct BorrowedInsert<'c> {
    stmt: NonNull<ffi::sqlite3_stmt>,
    db: *mut ffi::sqlite3,
    /// The statement is finalized before its connection closes.
    _conn: PhantomData<&'c Connection>,
}

impl<'c> BorrowedInsert<'c> {
    /// Prepare `sql` (one statement that returns no rows) on `conn`.
    pub(super) fn new(conn: &'c Connection, sql: &str) -> rusqlite::Result<Self> {
        // SAFETY: the handle is used only while `conn` is borrowed (`'c`), on this thread.
        let db = unsafe { conn.handle() };
        let mut stmt = std::ptr::null_mut();
        // SAFETY: `sql` is valid for its length; `stmt` receives the new statement.
        let rc = unsafe {
            ffi::sqlite3_prepare_v3(
                db,
                sql.as_ptr().cast(),
                c_int::try_from(sql.len()).unwrap_or(c_int::MAX),
                ffi::SQLITE_PREPARE_PERSISTENT,
                &mut stmt,
                std::ptr::null_mut(),
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(failure(db, rc));
        }
        let stmt = NonNull::new(stmt).ok_or_else(|| {
            rusqlite::Error::SqliteFailure(
                ffi::Error::new(ffi::SQLITE_MISUSE),
                Some("an empty statement".into()),
            )
        })?;
        Ok(BorrowedInsert {
            stmt,
            db,
            _conn: PhantomData,
        })
    }

    /// Run the statement once with `values` as its parameters 1, 2, ...
    pub(super) fn execute(&mut self, values: &[ValueRef<'_>]) -> rusqlite::Result<()> {
        let stmt = self.stmt.as_ptr();
        let mut rc = ffi::SQLITE_OK;
        for (i, value) in values.iter().enumerate() {
            let at = i as c_int + 1;
            // An empty text or blob is bound from a pointer that lives for ever, as rusqlite
            // does (an empty slice's pointer need not point anywhere).
            let bytes = |b: &[u8]| {
                let at_least_one = if b.is_empty() { &[0u8][..] } else { b };
                (at_least_one.as_ptr(), b.len() as u64)
            };
            // SAFETY: `stmt` is a live statement; each text or blob is bound without a copy
            // (`SQLITE_STATIC`) and stays borrowed until the bindings are cleared below.
            rc = unsafe {
                match *value {
                    ValueRef::Null => ffi::sqlite3_bind_null(stmt, at),
                    ValueRef::Integer(n) => ffi::sqlite3_bind_int64(stmt, at, n),
                    ValueRef::Real(x) => ffi::sqlite3_bind_double(stmt, at, x),
                    ValueRef::Text(t) => {
                        let (ptr, len) = bytes(t);
                        ffi::sqlite3_bind_text64(
                            stmt,
                            at,
                            ptr.cast(),
                            len,
                            ffi::SQLITE_STATIC(),
                            ffi::SQLITE_UTF8 as u8,
                        )
                    }
                    ValueRef::Blob(b) => {
                        let (ptr, len) = bytes(b);
                        ffi::sqlite3_bind_blob64(stmt, at, ptr.cast(), len, ffi::SQLITE_STATIC())
                    }
                }
            };
            if rc != ffi::SQLITE_OK {
                break;
            }
        }
        if rc == ffi::SQLITE_OK {
            // SAFETY: a live statement with every parameter bound.
            rc = match unsafe { ffi::sqlite3_step(stmt) } {
                ffi::SQLITE_DONE => ffi::SQLITE_OK,
                ffi::SQLITE_ROW => ffi::SQLITE_MISUSE,
                failed => failed,
            };
        }
        // The error's message is read before the reset (which keeps the code, not the text).
        let outcome = match rc {
            ffi::SQLITE_OK => Ok(()),
            _ => Err(failure(self.db, rc)),
        };
        // SAFETY: a live statement; after these two calls it holds no borrowed pointer.
        unsafe {
            ffi::sqlite3_reset(stmt);
            ffi::sqlite3_clear_bindings(stmt);
        }
        outcome
    }
}

impl Drop for BorrowedInsert<'_> {
    fn drop(&mut self) {
        // SAFETY: the statement was made by `new` and is finalized once, before its
        // connection closes (`'c`).
        unsafe {
            ffi::sqlite3_finalize(self.stmt.as_ptr());
        }
    }
}

/// The error SQLite reported for `rc`, as rusqlite words it (so that it is classified as
/// every other statement's: a full disk, a read-only file, a constraint).
fn failure(db: *mut ffi::sqlite3, rc: c_int) -> rusqlite::Error {
    // SAFETY: `db` is a live connection; its message is copied at once.
    let (code, message) = unsafe {
        let code = ffi::sqlite3_extended_errcode(db);
        let message = ffi::sqlite3_errmsg(db);
        let message =
            (!message.is_null()).then(|| CStr::from_ptr(message).to_string_lossy().into_owned());
        (code, message)
    };
    // A misuse caught here (a statement returning rows) is not the connection's last error.
    let code = if rc == ffi::SQLITE_MISUSE { rc } else { code };
    rusqlite::Error::SqliteFailure(ffi::Error::new(code), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows go in as rusqlite's own statement would put them, and an error is rusqlite's
    /// error for the same statement (so it is classified the same way).
    #[test]
    fn inserts_rows_and_reports_errors_as_rusqlite_does() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT NOT NULL, c BLOB, d REAL)",
        )
        .unwrap();
        let mut insert =
            BorrowedInsert::new(&conn, "INSERT INTO t VALUES (?1, ?2, ?3, ?4)").unwrap();
        for i in 0..3 {
            let text = format!("行{i}");
            insert
                .execute(&[
                    ValueRef::Integer(i),
                    ValueRef::Text(text.as_bytes()),
                    ValueRef::Blob(b"\x00\x01"),
                    ValueRef::Real(0.5),
                ])
                .unwrap();
        }
        let got: Vec<(i64, String)> = conn
            .prepare("SELECT a, b FROM t ORDER BY a")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            got,
            [(0, "行0".into()), (1, "行1".into()), (2, "行2".into())]
        );
        let ours = insert
            .execute(&[
                ValueRef::Integer(1),
                ValueRef::Text(b"x"),
                ValueRef::Null,
                ValueRef::Null,
            ])
            .unwrap_err();
        let theirs = conn
            .execute("INSERT INTO t VALUES (1, 'x', NULL, NULL)", [])
            .unwrap_err();
        assert_eq!(ours.to_string(), theirs.to_string());
        assert_eq!(ours.sqlite_error_code(), theirs.sqlite_error_code());
        // Empty text and blob are values, not NULL.
        insert
            .execute(&[
                ValueRef::Integer(7),
                ValueRef::Text(b""),
                ValueRef::Blob(b""),
                ValueRef::Null,
            ])
            .unwrap();
        let (b, c): (String, Vec<u8>) = conn
            .query_row("SELECT b, c FROM t WHERE a = 7", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((b.as_str(), c.as_slice()), ("", &b""[..]));
        let not_null = insert
            .execute(&[
                ValueRef::Integer(9),
                ValueRef::Null,
                ValueRef::Null,
                ValueRef::Null,
            ])
            .unwrap_err();
        assert!(not_null.to_string().contains("NOT NULL"), "{not_null}");
        assert!(BorrowedInsert::new(&conn, "INSERT INTO nowhere VALUES (1)").is_err());
    }
}
