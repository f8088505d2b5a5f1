//! The open issues, loaded for the duplicate finder (domain::dupes).

use crate::domain::dupes::{Corpus, Open};
use crate::error::Result;
use rusqlite::Connection;

/// Issues still open to a merge or a decision: collected, accepted, scheduled; in id order.
pub fn open_issues(conn: &Connection) -> Result<Corpus> {
    corpus(
        conn,
        "SELECT id, title, detail, submitted_by FROM issues \
         WHERE status IN ('collected', 'accepted', 'scheduled') ORDER BY id",
        [],
    )
}

/// The newest `newest` open issues numbered after `after` and up to `up_to`, in id order, as
/// read (not yet normalised): what the hints of an addition or an import compare the new
/// issues with. Loading every open issue of a million-issue database took 5 s and 420 MiB for
/// a single `issue add`; a resident's repeat comes soon after the first.
pub fn recent_open_between(
    conn: &Connection,
    newest: u32,
    after: i64,
    up_to: i64,
) -> Result<Vec<Open>> {
    open_rows(conn, RECENT_OPEN, rusqlite::params![newest, after, up_to])
}

/// Read newest first and stop after `?1` open issues: `NOT INDEXED`, because SQLite would
/// otherwise take `issues_by_status` for the status test and read and sort every open issue
/// (a million after a large import) to keep the newest 20,000 (issue 30). The ids bound the
/// rowid range that is read.
const RECENT_OPEN: &str = "SELECT id, title, detail, submitted_by FROM ( \
       SELECT id, title, detail, submitted_by FROM issues NOT INDEXED \
       WHERE status IN ('collected', 'accepted', 'scheduled') AND id > ?2 AND id <= ?3 \
       ORDER BY id DESC LIMIT ?1) \
     ORDER BY id";

/// Every issue a query selects (id, title, detail, submitter), normalised for the finder.
fn corpus(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Corpus> {
    let mut corpus = Corpus::default();
    corpus.extend(open_rows(conn, sql, params)?);
    Ok(corpus)
}

/// The issues a query selects (id, title, detail, submitter), as read.
fn open_rows(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Open>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut issues = Vec::new();
    while let Some(r) = rows.next()? {
        issues.push((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?));
    }
    Ok(issues)
}

/// The largest issue id so far (0 when none): issues imported after it are the new ones.
pub fn last_issue_id(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT COALESCE(MAX(id), 0) FROM issues", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    /// The hints' corpus is read from the newest issue asked for back and stops at its limit: no
    /// index of the status and no sort of every open issue, whatever the database's size.
    #[test]
    fn the_hints_read_only_the_newest_open_issues() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::store::schema::migrate(&mut conn).unwrap();
        let plan: Vec<String> = crate::store::query_all(
            &conn,
            &format!("EXPLAIN QUERY PLAN {}", super::RECENT_OPEN),
            rusqlite::params![20_000, 0, 1_000],
            |r| r.get(3),
        )
        .unwrap();
        let plan = plan.join("\n");
        // The rows of the ids asked for, by the table's own order (newest first).
        assert!(
            plan.contains("SEARCH issues USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"),
            "{plan}"
        );
        assert!(!plan.contains("issues_by_status"), "{plan}");
        // One sort: the outer one, of the 20,000 kept.
        assert_eq!(plan.matches("TEMP B-TREE").count(), 1, "{plan}");
    }
}
