//! Operations: what each command does, as a library call.
//!
//! Each public operation takes the store, the actor and a typed request, and does every
//! lookup, check and write inside **one** write transaction (`Store::write`), so that a council
//! rule holds even when two processes work on the same database at once: the second one sees
//! the first one's change and is refused. The checks themselves are pure functions in `domain`
//! that return a refusal. Read operations run in one snapshot (`Store::read`). The CLI parses
//! arguments, calls one operation and renders its typed outcome.

pub mod archive;
pub mod corrections;
pub mod escalations;
pub mod followup;
pub mod import;
mod in_state;
pub mod issues;
pub mod meetings;
pub mod members;
pub mod minutes;
pub mod package;
pub mod postings;
pub mod records;
pub mod replies;
pub mod rollup;
pub mod status;
pub mod votes;

/// A connection that has read the database once (so that it takes part in its WAL) and then
/// stays idle until dropped: while it is open, no other process is the last to close the
/// database, so none of them checkpoints the WAL on exit (the demo's ~45 steps each did).
pub struct IdleConnection(#[allow(dead_code)] rusqlite::Connection);

impl IdleConnection {
    pub fn open(db: &std::path::Path) -> crate::error::Result<IdleConnection> {
        let conn =
            rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)
                .and_then(|conn| {
                    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))?;
                    Ok(conn)
                })
                .map_err(|e| {
                    crate::error::Error::internal(format!("cannot open {}: {e}", db.display()))
                })?;
        Ok(IdleConnection(conn))
    }
}
