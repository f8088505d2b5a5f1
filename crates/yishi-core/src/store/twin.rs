//! A second connection that reads the same snapshot as the first, so that a long read (verify,
//! report, a full listing) can be split over the machine's two cores and still print what one
//! moment of the database held.
//!
//! SQLite gives each read transaction its own snapshot, taken at its first read. Two
//! transactions started one after the other see the same data unless a write committed in
//! between. Every write of records adds an event; the writes that add none (building the
//! listing indexes or the text index after a large import, `issue reindex`) create tables or
//! indexes, which changes the schema's version. So equal log heads and schema versions mean
//! equal snapshots. When they differ the caller reads on one connection, as before: slower,
//! never inconsistent.

use crate::error::Result;
use rusqlite::Connection;

/// The log's head (0 for an empty log) and the schema's version as `conn` sees them; None
/// when they cannot be read.
fn log_head(conn: &Connection) -> Option<(i64, i64)> {
    let head = conn
        .query_row("SELECT coalesce(max(seq), 0) FROM events", [], |r| r.get(0))
        .ok()?;
    let schema = conn
        .pragma_query_value(None, "schema_version", |r| r.get(0))
        .ok()?;
    Some((head, schema))
}

/// Take `conn`'s snapshot now: `conn` must be inside a read transaction (`BEGIN`), which this
/// starts reading. Then open a twin with `open` and start its read transaction; keep it only
/// if it sees the same log head and schema version. None (read on `conn` alone) when the twin cannot be opened,
/// the log cannot be read, or a write came in between.
pub fn open_on_same_snapshot(
    conn: &Connection,
    open: impl FnOnce() -> Result<Connection>,
) -> Option<Connection> {
    let head = log_head(conn)?;
    let twin = open().ok()?;
    twin.execute_batch("BEGIN").ok()?;
    (log_head(&twin)? == head).then_some(twin)
}

/// Split `jobs` (given heaviest first) between `conn` and, when there is one, `twin` on another
/// thread; `before` runs on `conn` first, while the twin already works. Each job's result comes
/// back at its index, whichever connection ran it, so the output does not depend on timing.
pub fn share<J: Sync, R: Send, B>(
    conn: &Connection,
    twin: Option<Connection>,
    jobs: &[J],
    before: impl FnOnce(&Connection) -> Result<B>,
    run: impl Fn(&Connection, &J) -> Result<R> + Sync,
) -> Result<(B, Vec<R>)> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let work = |c: &Connection| -> Result<Vec<(usize, R)>> {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(i) else {
                return Ok(done);
            };
            done.push((i, run(c, job)?));
        }
    };
    let (first, mine, theirs) = std::thread::scope(|s| {
        let helper = twin.map(|t| {
            let work = &work;
            s.spawn(move || {
                let out = work(&t);
                let _ = t.execute_batch("COMMIT");
                out
            })
        });
        let first = before(conn);
        let mine = work(conn);
        let theirs = match helper {
            Some(h) => h
                .join()
                .unwrap_or_else(|_| Err(crate::error::Error::internal("a reading thread failed"))),
            None => Ok(Vec::new()),
        };
        (first, mine, theirs)
    });
    let first = first?;
    let mut all: Vec<(usize, R)> = mine?;
    all.extend(theirs?);
    all.sort_by_key(|(i, _)| *i);
    Ok((first, all.into_iter().map(|(_, r)| r).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "PRAGMA journal_mode = WAL; CREATE TABLE events (seq INTEGER PRIMARY KEY);
             INSERT INTO events VALUES (1);",
        )
        .unwrap();
        (dir, path)
    }

    #[test]
    fn a_twin_sees_the_snapshot_or_is_not_given() {
        let (_dir, path) = db();
        let open = || Connection::open(&path).map_err(Into::into);
        let main = Connection::open(&path).unwrap();
        main.execute_batch("BEGIN").unwrap();
        let twin = open_on_same_snapshot(&main, open).expect("nothing was written");
        // A write after both began: neither sees it.
        Connection::open(&path)
            .unwrap()
            .execute_batch("INSERT INTO events VALUES (2)")
            .unwrap();
        assert_eq!(log_head(&twin).map(|(head, _)| head), Some(1));
        drop(twin);
        main.execute_batch("COMMIT").unwrap();

        // A write between the two beginnings: the twin would be newer, so there is none.
        main.execute_batch("BEGIN").unwrap();
        assert_eq!(log_head(&main).map(|(head, _)| head), Some(2));
        Connection::open(&path)
            .unwrap()
            .execute_batch("INSERT INTO events VALUES (3)")
            .unwrap();
        assert!(open_on_same_snapshot(&main, open).is_none());
        main.execute_batch("COMMIT").unwrap();

        // A write that adds no event but changes the schema (an index built): no twin either.
        main.execute_batch("BEGIN").unwrap();
        assert_eq!(log_head(&main).map(|(head, _)| head), Some(3));
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE built (x)")
            .unwrap();
        assert!(open_on_same_snapshot(&main, open).is_none());
    }

    #[test]
    fn shared_jobs_come_back_in_their_order_with_or_without_a_twin() {
        let (_dir, path) = db();
        let jobs: Vec<u64> = (0..200).collect();
        for with_twin in [true, false] {
            let main = Connection::open(&path).unwrap();
            main.execute_batch("BEGIN").unwrap();
            let twin = with_twin
                .then(|| open_on_same_snapshot(&main, || Ok(Connection::open(&path)?)))
                .flatten();
            assert_eq!(twin.is_some(), with_twin);
            let (first, out) = share(
                &main,
                twin,
                &jobs,
                |c| Ok(log_head(c).map(|(head, _)| head)),
                |c, j| Ok(j * 2 + log_head(c).unwrap().0 as u64 - 1),
            )
            .unwrap();
            assert_eq!(first, Some(1));
            assert_eq!(out, jobs.iter().map(|j| j * 2).collect::<Vec<_>>());
        }
    }
}
