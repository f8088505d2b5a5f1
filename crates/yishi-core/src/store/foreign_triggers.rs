//! Triggers put on the database outside yishi. yishi's schema has none, so any trigger was
//! added by another program, and it can change, add or silently skip (`RAISE(IGNORE)`) what
//! yishi writes: a sealed row altered, an erasure that erases nothing. yishi does not write
//! into such a file; `verify` names each trigger, and `issue reindex` makes the derived tables
//! (the text index, the packed keys) again without the ones put on them.

use crate::error::{Error, Result};
use rusqlite::Connection;

/// Refuse a write (bad data, exit 65) when the database has a trigger; `except_on`: tables
/// whose triggers the write itself removes (the derived tables, for `issue reindex`).
pub fn refuse(conn: &Connection, except_on: &[&str]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, tbl_name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name",
    )?;
    let found: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let named: Vec<String> = found
        .into_iter()
        // Table names are compared as SQLite does (`ON ISSUE_TEXT` is on issue_text).
        .filter(|(_, table)| !except_on.iter().any(|t| t.eq_ignore_ascii_case(table)))
        .map(|(name, table)| format!("{name} ({table})"))
        .collect();
    if named.is_empty() {
        return Ok(());
    }
    Err(Error::data_text(crate::text!(
        "store.foreign_triggers",
        triggers = named.join(", ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trigger_refuses_writes_unless_the_write_removes_it() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (v TEXT); CREATE TABLE d (v TEXT);
             CREATE TRIGGER d_side AFTER INSERT ON d BEGIN UPDATE t SET v = 'x'; END;",
        )
        .unwrap();
        let e = refuse(&conn, &[]).unwrap_err();
        assert_eq!(e.kind, crate::error::Kind::Data);
        assert!(e.to_string().contains("d_side (d)"), "{e}");
        refuse(&conn, &["d"]).unwrap();
        refuse(&conn, &["D"]).unwrap();
        conn.execute_batch("DROP TRIGGER d_side").unwrap();
        refuse(&conn, &[]).unwrap();
    }
}
