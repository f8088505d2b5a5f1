//! The open issues, loaded for the duplicate finder (domain::dupes).

use crate::domain::dupes::Corpus;
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

/// The newest `newest` open issues, in id order: what the hints of an addition or an import
/// compare the new issues with. Loading every open issue of a million-issue database took
/// 5 s and 420 MiB for a single `issue add`; a resident's repeat comes soon after the first.
pub fn recent_open_issues(conn: &Connection, newest: u32) -> Result<Corpus> {
    corpus(conn, RECENT_OPEN, [newest])
}

/// Read newest first and stop after `?1` open issues: `NOT INDEXED`, because SQLite would
/// otherwise take `issues_by_status` for the status test and read and sort every open issue
/// (a million after a large import) to keep the newest 20,000 (issue 30).
const RECENT_OPEN: &str = "SELECT id, title, detail, submitted_by FROM ( \
       SELECT id, title, detail, submitted_by FROM issues NOT INDEXED \
       WHERE status IN ('collected', 'accepted', 'scheduled') ORDER BY id DESC LIMIT ?1) \
     ORDER BY id";

/// The corpus of the issues a query selects (id, title, detail, submitter).
fn corpus(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Corpus> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut issues = Vec::new();
    while let Some(r) = rows.next()? {
        issues.push((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?));
    }
    let mut corpus = Corpus::default();
    corpus.extend(issues);
    Ok(corpus)
}

/// The largest issue id so far (0 when none): issues imported after it are the new ones.
pub fn last_issue_id(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT COALESCE(MAX(id), 0) FROM issues", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    /// The hints' corpus is read from the newest issue back and stops at its limit: no index
    /// of the status and no sort of every open issue, whatever the database's size.
    #[test]
    fn the_hints_read_only_the_newest_open_issues() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::store::schema::migrate(&mut conn).unwrap();
        let plan: Vec<String> = crate::store::query_all(
            &conn,
            &format!("EXPLAIN QUERY PLAN {}", super::RECENT_OPEN),
            [20_000],
            |r| r.get(3),
        )
        .unwrap();
        let plan = plan.join("\n");
        assert!(plan.contains("SCAN issues"), "{plan}");
        assert!(!plan.contains("issues_by_status"), "{plan}");
        // One sort: the outer one, of the 20,000 kept.
        assert_eq!(plan.matches("TEMP B-TREE").count(), 1, "{plan}");
    }
}
