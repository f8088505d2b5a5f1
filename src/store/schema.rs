//! Versioned schema migrations keyed on `PRAGMA user_version`.
//!
//! One function per version, each run in its own transaction, so that an interrupted upgrade
//! leaves the database at the previous version. A database newer than this binary is refused.

use crate::error::{Error, Result};
use rusqlite::{Connection, Transaction, TransactionBehavior};

type Migration = fn(&Transaction) -> rusqlite::Result<()>;

/// Migrations in order: index 0 brings version 0 to 1, and so on.
const MIGRATIONS: &[Migration] = &[v1_members_and_audit, v2_issues];

/// The schema version this binary writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub fn version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

pub fn migrate(conn: &mut Connection) -> Result<()> {
    let current = version(conn)?;
    if current > LATEST {
        return Err(Error::data(format!(
            "this database has schema version {current}, but this yishi only knows versions up to {LATEST}: \
             install a newer yishi (the database was not changed)"
        )));
    }
    if current == LATEST {
        return Ok(());
    }
    if current == 0 {
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        if tables > 0 {
            return Err(Error::data(
                "this SQLite file is not a yishi database (it has tables but no yishi schema version): check --db",
            ));
        }
    }
    for (i, step) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let target = i as i64 + 1;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have upgraded while we waited for the lock.
        if version(&tx)? >= target {
            continue;
        }
        step(&tx)?;
        tx.pragma_update(None, "user_version", target)?;
        tx.commit()?;
    }
    Ok(())
}

fn v1_members_and_audit(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(
        "
        CREATE TABLE members (
            id         INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            seat       TEXT NOT NULL,
            phone      TEXT,
            address    TEXT,
            note       TEXT,
            joined_on  TEXT NOT NULL,
            retired_on TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX members_by_name ON members(name);

        -- The audit log: one event per change, hash-chained.
        CREATE TABLE events (
            seq       INTEGER PRIMARY KEY,
            at        TEXT NOT NULL,
            actor     TEXT NOT NULL,
            command   TEXT NOT NULL,
            entity    TEXT NOT NULL,
            entity_id INTEGER,
            action    TEXT NOT NULL,
            change    TEXT NOT NULL,
            seals     TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash      TEXT NOT NULL
        );
        CREATE INDEX events_by_entity ON events(entity, entity_id);

        -- The hash of every row an event wrote (NULL: the row was deleted).
        CREATE TABLE seals (
            seq    INTEGER NOT NULL,
            tbl    TEXT NOT NULL,
            row_id INTEGER NOT NULL,
            hash   BLOB,
            PRIMARY KEY (seq, tbl, row_id)
        ) WITHOUT ROWID;
        ",
    )
}

fn v2_issues(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(
        "
        CREATE TABLE issues (
            id           INTEGER PRIMARY KEY,
            title        TEXT NOT NULL,
            detail       TEXT,
            submitted_by TEXT,
            phone        TEXT,
            address      TEXT,
            channel      TEXT NOT NULL,
            category     TEXT,
            raised_on    TEXT NOT NULL,
            status       TEXT NOT NULL,
            outcome      TEXT,
            merged_into  INTEGER REFERENCES issues(id),
            fingerprint  INTEGER,
            created_at   TEXT NOT NULL
        );
        -- No index on fingerprint or status: an import keeps fingerprints in memory, and an
        -- index cost more than half of a million-row import (measured).

        CREATE TABLE issue_history (
            id          INTEGER PRIMARY KEY,
            issue_id    INTEGER NOT NULL REFERENCES issues(id),
            at          TEXT NOT NULL,
            actor       TEXT NOT NULL,
            from_status TEXT NOT NULL,
            to_status   TEXT NOT NULL,
            note        TEXT
        );
        CREATE INDEX issue_history_by_issue ON issue_history(issue_id);

        -- Residents who raised the same issue (kept when a duplicate is merged).
        CREATE TABLE issue_submitters (
            id         INTEGER PRIMARY KEY,
            issue_id   INTEGER NOT NULL REFERENCES issues(id),
            name       TEXT NOT NULL,
            phone      TEXT,
            address    TEXT,
            from_issue INTEGER REFERENCES issues(id)
        );
        CREATE INDEX issue_submitters_by_issue ON issue_submitters(issue_id);

        -- 会前协商: pre-consultation with the parties involved.
        CREATE TABLE consultations (
            id         INTEGER PRIMARY KEY,
            issue_id   INTEGER NOT NULL REFERENCES issues(id),
            party      TEXT NOT NULL,
            summary    TEXT NOT NULL,
            held_on    TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX consultations_by_issue ON consultations(issue_id);

        -- The \"X\": stakeholders to invite when the issue is discussed.
        CREATE TABLE issue_stakeholders (
            id       INTEGER PRIMARY KEY,
            issue_id INTEGER NOT NULL REFERENCES issues(id),
            name     TEXT NOT NULL,
            phone    TEXT,
            UNIQUE (issue_id, name)
        );
        ",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_an_empty_database_to_latest() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(version(&conn).unwrap(), LATEST);
        // Running again is a no-op.
        migrate(&mut conn).unwrap();
    }

    #[test]
    fn refuses_a_newer_schema() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", LATEST + 1)
            .unwrap();
        let e = migrate(&mut conn).unwrap_err();
        assert!(e.message.contains("newer yishi"), "{e}");
    }
}
