//! Stored text that is not UTF-8 (a byte flipped, or the file edited with another tool):
//! reading it is bad data (exit 65), not a bug in yishi, and the message says where it is.

use crate::error::{Error, Fault};
use rusqlite::Connection;
use rusqlite::types::ValueRef;

/// `e` itself, or, when it is about stored text that is not UTF-8, the same error naming the
/// first table, row and column that holds such text (found by reading every table: this is
/// the error path of a damaged file, never a command's usual work).
pub fn locate(conn: &Connection, e: Error) -> Error {
    if !matches!(e.fault.as_deref(), Some(Fault::NotUtf8 { .. })) {
        return e;
    }
    match first_bad_text(conn) {
        Ok(Some((table, row, column))) => Error::data_text(crate::text!(
            "store.not_utf8",
            table = table,
            row = row,
            column = column
        )),
        _ => e,
    }
}

fn first_bad_text(conn: &Connection) -> rusqlite::Result<Option<(String, i64, String)>> {
    let tables: Vec<String> = {
        let mut stmt = conn.prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    for table in tables {
        let Ok(mut stmt) = conn.prepare(&format!("SELECT rowid, * FROM \"{table}\"")) else {
            continue; // a virtual table without rowid: derived data, not read as text here
        };
        let names: Vec<String> = stmt.column_names().map(str::to_string).collect();
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            for (i, name) in names.iter().enumerate().skip(1) {
                if let ValueRef::Text(t) = r.get_ref(i)?
                    && std::str::from_utf8(t).is_err()
                {
                    return Ok(Some((table, r.get(0)?, name.clone())));
                }
            }
        }
    }
    Ok(None)
}
