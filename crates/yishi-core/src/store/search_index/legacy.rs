//! The FTS5 index of schema v9 to v18, for taking it away: migration v19 and a build over an
//! older database's pieces. FTS5 cannot open an index one of whose tables was dropped behind
//! yishi's back, nor drop it, so such a table is first given back (empty), and tables left
//! without their index are dropped too.

use rusqlite::Connection;

/// The FTS5 table as schema v9 created it.
pub(crate) const CREATE: &str = "CREATE VIRTUAL TABLE issue_text USING fts5(title, detail, content='', contentless_delete=1, tokenize='ascii')";

/// Whether `name` is an FTS5 table (the old index).
pub fn is_fts5(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE name = ?1 AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'",
        [name],
        |r| r.get(0),
    )
}

/// Drop the old index and its pieces, if it is there.
pub fn drop(conn: &Connection) -> rusqlite::Result<()> {
    let parts = shadow_tables()?;
    let present = |name: &str| -> rusqlite::Result<bool> {
        conn.query_row(
            "SELECT count(*) > 0 FROM sqlite_schema WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
    };
    if is_fts5(conn, super::TABLE)? && conn.execute_batch("DROP TABLE issue_text").is_err() {
        for (name, sql) in &parts {
            if !present(name)? {
                conn.execute_batch(sql)?;
            }
        }
        // FTS5 opens an index only if its settings say which format it is in.
        conn.execute(
            "INSERT OR REPLACE INTO issue_text_config(k, v) VALUES ('version', ?1)",
            [format_version()?],
        )?;
        conn.execute_batch("DROP TABLE issue_text")?;
    }
    for (name, _) in &parts {
        conn.execute_batch(&format!("DROP TABLE IF EXISTS \"{name}\""))?;
    }
    Ok(())
}

/// The format FTS5 writes an index in (its `version` setting).
fn format_version() -> rusqlite::Result<i64> {
    let scratch = Connection::open_in_memory()?;
    scratch.execute_batch(CREATE)?;
    scratch.query_row(
        "SELECT v FROM issue_text_config WHERE k = 'version'",
        [],
        |r| r.get(0),
    )
}

/// The tables FTS5 keeps the index in (`issue_text_data`, …) with their SQL, as it creates
/// them.
pub(crate) fn shadow_tables() -> rusqlite::Result<Vec<(String, String)>> {
    let scratch = Connection::open_in_memory()?;
    scratch.execute_batch(CREATE)?;
    let mut stmt = scratch.prepare(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name LIKE 'issue\\_text\\_%' ESCAPE '\\'",
    )?;
    let parts = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(parts)
}
