//! Versioned schema migrations keyed on `PRAGMA user_version`.
//!
//! One function per version, each run in its own transaction, so that an interrupted upgrade
//! leaves the database at the previous version. A database newer than this binary is refused.

use crate::error::{Error, Result};
use rusqlite::{Connection, Transaction, TransactionBehavior};

/// One schema version: its DDL, frozen as it shipped (`migrations/vNN_*.sql`, never edited:
/// SQLite keeps each CREATE statement's text, and `verify` replays these files to know what
/// the schema of each version must be), and, for a version that derives data from rows
/// already there, the step that fills it (data only, never schema).
pub struct Migration {
    /// Named in the tests' messages about frozen files.
    #[cfg_attr(not(test), allow(dead_code))]
    pub name: &'static str,
    pub sql: &'static str,
    /// Run before the SQL, for what it cannot do itself (v19: take apart a damaged FTS5
    /// index, which `DROP TABLE` cannot drop); true when it left pages of the file unused,
    /// which a `VACUUM` after the upgrade writes the file again without.
    before: Option<fn(&Transaction) -> rusqlite::Result<bool>>,
    backfill: Option<fn(&Transaction) -> rusqlite::Result<()>>,
}

/// Migrations in order: index 0 brings version 0 to 1, and so on.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        name: "v1_members_and_audit",
        sql: include_str!("../../migrations/v01_members_and_audit.sql"),
        before: None,
        backfill: None,
    },
    Migration {
        name: "v2_issues",
        sql: include_str!("../../migrations/v02_issues.sql"),
        before: None,
        backfill: None,
    },
    Migration {
        name: "v3_meetings",
        sql: include_str!("../../migrations/v03_meetings.sql"),
        before: None,
        backfill: None,
    },
    Migration {
        name: "v4_follow_through",
        sql: include_str!("../../migrations/v04_follow_through.sql"),
        before: None,
        backfill: None,
    },
    Migration {
        name: "v5_meetings_as_held",
        sql: include_str!("../../migrations/v05_meetings_as_held.sql"),
        before: None,
        backfill: None,
    },
    Migration {
        name: "v6_status_indexes",
        sql: include_str!("../../migrations/v06_status_indexes.sql"),
        before: None,
        backfill: None,
    },
    Migration {
        name: "v7_listing_indexes",
        sql: include_str!("../../migrations/v07_listing_indexes.sql"),
        before: None,
        backfill: None,
    },
    Migration {
        name: "v8_history_by_step",
        sql: include_str!("../../migrations/v08_history_by_step.sql"),
        before: None,
        backfill: None,
    },
    Migration {
        name: "v9_issue_text_index",
        sql: include_str!("../../migrations/v09_issue_text_index.sql"),
        before: None,
        // Left empty: v19 replaces this FTS5 index with its own and builds that.
        backfill: None,
    },
    Migration {
        name: "v10_seals_by_table",
        sql: include_str!("../../migrations/v10_seals_by_table.sql"),
        before: None,
        backfill: None,
    },
    Migration {
        name: "v11_votes_in_time",
        sql: include_str!("../../migrations/v11_votes_in_time.sql"),
        before: None,
        backfill: None,
    },
    Migration {
        name: "v12_bare_erasures",
        sql: include_str!("../../migrations/v12_bare_erasures.sql"),
        before: None,
        backfill: None,
    },
    Migration {
        name: "v13_issue_intake",
        sql: include_str!("../../migrations/v13_issue_intake.sql"),
        before: None,
        backfill: None,
    },
    Migration {
        name: "v14_postings",
        sql: include_str!("../../migrations/v14_postings.sql"),
        before: None,
        backfill: None,
    },
    Migration {
        name: "v15_invited_items",
        sql: include_str!("../../migrations/v15_invited_items.sql"),
        before: None,
        backfill: None,
    },
    Migration {
        name: "v16_escalations",
        sql: include_str!("../../migrations/v16_escalations.sql"),
        before: None,
        backfill: None,
    },
    Migration {
        name: "v17_replies",
        sql: include_str!("../../migrations/v17_replies.sql"),
        before: None,
        backfill: None,
    },
    Migration {
        name: "v18_history_events",
        sql: include_str!("../../migrations/v18_history_events.sql"),
        before: None,
        backfill: None,
    },
    Migration {
        name: "v19_issue_text_pairs",
        sql: include_str!("../../migrations/v19_issue_text_pairs.sql"),
        before: Some(drop_fts5_text_index),
        backfill: Some(fill_issue_text),
    },
    Migration {
        name: "v20_issue_keys",
        sql: include_str!("../../migrations/v20_issue_keys.sql"),
        before: Some(clear_issue_keys_name),
        backfill: Some(fill_issue_keys),
    },
    Migration {
        name: "v21_listings_by_month",
        sql: include_str!("../../migrations/v21_listings_by_month.sql"),
        before: None,
        backfill: None,
    },
];

/// Before v20: whatever was put in its table's name outside yishi (a view, an index).
fn clear_issue_keys_name(tx: &Transaction) -> rusqlite::Result<bool> {
    super::issue_keys::clear_name(tx).map(|()| false)
}

/// v20's data: the keys of the issues already there.
fn fill_issue_keys(tx: &Transaction) -> rusqlite::Result<()> {
    super::issue_keys::refresh(tx)
}

/// v19's data: the text index of the issues already there.
fn fill_issue_text(tx: &Transaction) -> rusqlite::Result<()> {
    super::search_index::fill(tx).map(|_| ())
}

/// Before v19: the FTS5 index and its pieces, however damaged (pages too damaged to free
/// are left unused: see `search_index::remove`).
fn drop_fts5_text_index(tx: &Transaction) -> rusqlite::Result<bool> {
    super::search_index::remove(tx)
}

/// The schema version this binary writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub fn version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, LATEST)
}

/// Bring the schema up to `target` (at most LATEST). `verify` uses it on an empty in-memory
/// database to know exactly what the schema of a given version must look like.
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
    let current = version(conn)?;
    if current > LATEST {
        return Err(Error::data_text(crate::text!(
            "schema.newer",
            version = current,
            latest = LATEST
        )));
    }
    if current >= target {
        return Ok(());
    }
    if current == 0 {
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        if tables > 0 {
            return Err(Error::data_text(crate::text!("schema.not_yishi")));
        }
    }
    let mut pages_left = false;
    for (i, migration) in MIGRATIONS
        .iter()
        .enumerate()
        .take(target as usize)
        .skip(current as usize)
    {
        let target = i as i64 + 1;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        super::restore_lock::refuse_while_restoring(&tx)?;
        // An upgrade writes too: not beside a trigger put on the file outside yishi.
        super::foreign_triggers::refuse(&tx, &[])?;
        // Another process may have upgraded while we waited for the lock.
        if version(&tx)? >= target {
            continue;
        }
        if let Some(before) = migration.before {
            pages_left |= before(&tx)?;
        }
        tx.execute_batch(migration.sql)?;
        if let Some(fill) = migration.backfill {
            fill(&tx)?;
        }
        tx.pragma_update(None, "user_version", target)?;
        tx.commit()?;
    }
    if pages_left {
        conn.execute_batch("VACUUM")?;
    }
    Ok(())
}

/// The indexes of `issues` that serve listings, newest first: the day, and the status with the
/// day; category and channel by month, then by issue, with the day carried along; the resident
/// by issue, with the day (v21: new issues land at the end of a few runs, not among the
/// history's days; a listing sorts one month, or one resident's issues, from the index alone:
/// see `filter`). A large bulk import drops them before its load and builds them again, sorted
/// once, in its own index stage ([`build_issue_indexes`]): updating five indexes row by row
/// made a million-row import many times slower (random writes all over the file).
pub const ISSUE_INDEXES: &[(&str, &str)] = &[
    ("issues_by_day", "issues(raised_on)"),
    ("issues_by_status", "issues(status, raised_on)"),
    (
        "issues_by_category",
        "issues(category, substr(raised_on, 1, 7), id, raised_on)",
    ),
    (
        "issues_by_channel",
        "issues(channel, substr(raised_on, 1, 7), id, raised_on)",
    ),
    ("issues_by_submitter", "issues(submitted_by, id, raised_on)"),
];

/// What the index stage is building, for a progress line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexStage {
    /// The listing index named (one of [`ISSUE_INDEXES`]).
    Listing(&'static str),
    /// The text index (`search_index`).
    Text,
}

/// How many of the listing indexes are there.
fn listing_indexes_present(conn: &Connection) -> rusqlite::Result<i64> {
    let names = ISSUE_INDEXES
        .iter()
        .map(|(name, _)| format!("'{name}'"))
        .collect::<Vec<_>>()
        .join(", ");
    conn.query_row(
        &format!("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN ({names})"),
        [],
        |r| r.get(0),
    )
}

/// Whether a listing index of `issues` or the text index is missing: an import's index stage
/// did not finish (it was killed), or a database imported by an older yishi, which left them
/// to the next command.
pub fn issue_indexes_missing(conn: &Connection) -> Result<bool> {
    Ok(listing_indexes_present(conn)? < ISSUE_INDEXES.len() as i64
        || !super::search_index::exists(conn)?)
}

/// Build whichever listing indexes of `issues` and whether the text index are missing, and
/// bring the packed keys (`issue_keys`) up to the last issue, in the caller's transaction,
/// telling `stage` before each index; returns whether it built any.
pub fn build_issue_indexes(conn: &Connection, stage: impl Fn(IndexStage)) -> Result<bool> {
    let mut built = false;
    let cache: i64 = conn.pragma_query_value(None, "cache_size", |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", SORT_CACHE)?;
    conn.pragma_update(None, "threads", SORT_THREADS)?;
    let listing = build_listing_indexes(conn, &stage);
    conn.pragma_update(None, "threads", 0)?;
    conn.pragma_update(None, "cache_size", cache)?;
    built |= listing?;
    if !super::search_index::exists(conn)? {
        stage(IndexStage::Text);
        super::search_index::build(conn)?;
        built = true;
    }
    // The packed keys of the load's issues, which it left to this stage.
    super::issue_keys::refresh(conn)?;
    Ok(built)
}

/// The page cache while the listing indexes are sorted, in KiB (negative, as SQLite takes
/// it): SQLite sorts an index's entries in runs as large as the cache, then merges them, with
/// [`SORT_THREADS`] helper threads sorting runs while it reads on. Small runs stay in the
/// processor's cache: five indexes of 200,000 issues took 0.83 s with the import's 64 MiB
/// cache and 0.54 s with 1 MiB runs on two threads (sqlite3 CLI, same file).
const SORT_CACHE: i64 = -1024;
const SORT_THREADS: i64 = 2;

fn build_listing_indexes(conn: &Connection, stage: &impl Fn(IndexStage)) -> Result<bool> {
    let mut built = false;
    for (name, on) in ISSUE_INDEXES {
        let present: bool = conn.query_row(
            "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'index' AND name = ?1",
            [name],
            |r| r.get(0),
        )?;
        if !present {
            stage(IndexStage::Listing(name));
            conn.execute_batch(&format!("CREATE INDEX {name} ON {on}"))?;
            built = true;
        }
    }
    Ok(built)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_an_empty_database_to_latest() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(version(&conn).unwrap(), LATEST);
        // Running again is a no-op: same version, same schema, nothing written.
        let schema = |c: &Connection| -> String {
            c.prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY name")
                .unwrap()
                .query_map([], |r| {
                    Ok(format!(
                        "{}|{}|{:?}",
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?
                    ))
                })
                .unwrap()
                .collect::<rusqlite::Result<Vec<_>>>()
                .unwrap()
                .join("\n")
        };
        let before = schema(&conn);
        let changes = conn.total_changes();
        migrate(&mut conn).unwrap();
        assert_eq!(version(&conn).unwrap(), LATEST);
        assert_eq!(schema(&conn), before);
        assert_eq!(conn.total_changes(), changes, "the second run wrote rows");
    }

    #[test]
    fn refuses_a_newer_schema() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", LATEST + 1)
            .unwrap();
        let e = migrate(&mut conn).unwrap_err();
        assert!(e.message.contains("newer yishi"), "{e}");
    }

    /// The SHA-256 of each migration file as it shipped. A shipped migration never changes
    /// (databases made by it keep its text); a new schema version is a new file, and its line
    /// is added here when it ships.
    const SHIPPED: &[(&str, &str)] = &[
        (
            "v01_members_and_audit.sql",
            "48a5bc0dc8477c585d2d5b9017d672040bb656e7f94a5b7162dbb41dbd7f85c4",
        ),
        (
            "v02_issues.sql",
            "12c9be2dff74972f9053cd970cec5a8ec0a8dfcb580739930246e12cf3a0bc6b",
        ),
        (
            "v03_meetings.sql",
            "3a3e3075e8e9627bb91bf430ff9e4f458b595391aae182a6b8a777a49a4c060f",
        ),
        (
            "v04_follow_through.sql",
            "143b5679860675073f98789bafe9a74de8af6b179d0e97a5e7c8f303a9c6a8e1",
        ),
        (
            "v05_meetings_as_held.sql",
            "6d8bcd4b4f1e8fc4b0707434aba0a7f3e4517b0e50ec78b4e7037515f2cfc6ca",
        ),
        (
            "v06_status_indexes.sql",
            "748bbc0411039af5e154f9f27442d7597c766af4065119e22513acb04a2b40d3",
        ),
        (
            "v07_listing_indexes.sql",
            "afdc71bd57060096c067e6b3e05cbab66d0a1ffe84633d7698f8fcd1a10ce80d",
        ),
        (
            "v08_history_by_step.sql",
            "f4d33b05b17df38cbfc63e355e7d864b089a0d68ddd9bc8760b63f16a79b4b83",
        ),
        (
            "v09_issue_text_index.sql",
            "47e4bb3286acec0fc25e36321d8ecfa069d1e6878f904f1afc4ce7b1811fa1eb",
        ),
        (
            "v10_seals_by_table.sql",
            "41f7ede1b0f09fb5644330f60124325e866bf0a5203762540ad14e1b84b52c9f",
        ),
        (
            "v11_votes_in_time.sql",
            "79e16351e44f2b8473205436b87ed7598d1c2182f8c662073f8edd580537a01f",
        ),
        (
            "v12_bare_erasures.sql",
            "a7c972efda49b5496d977312d77c3d21abede8083073d316a56b8b2c30c62fc3",
        ),
        (
            "v13_issue_intake.sql",
            "b5725a22d142c3e393a4c489d791c29f66cb8060b28cb3679be0c7b83a6c29f9",
        ),
        (
            "v14_postings.sql",
            "268fa80fa7ba785daa5727e2ba84e788a659a6009d1913ebc39cea238d2c469d",
        ),
        (
            "v15_invited_items.sql",
            "b3ff7a99af5669011a2c701035e15489e5efa6863d6a05775ef89dd0e9a9933a",
        ),
        (
            "v16_escalations.sql",
            "c4efed87067dbccbb457dd6ff14fe23a6b7ea44338f42743a83139eeda54a0e8",
        ),
        (
            "v17_replies.sql",
            "6424b801780b98c91bf2ee3acfb9631eea65629da26bc7b1764140a30967ba2d",
        ),
        (
            "v18_history_events.sql",
            "7d1da7a7cd708892b2dd40e05d067fd5b4eb9b913fcfc695292d06ffda1db75b",
        ),
        (
            "v19_issue_text_pairs.sql",
            "db6ed9e3993848ce483cafa1dd3d6a9aaf8e41f7fad463face6058998bb84ae6",
        ),
        (
            "v20_issue_keys.sql",
            "2bc714487a638f001d937e204451b8a190f878e65aa2c4aa0a0b70b761896670",
        ),
        (
            "v21_listings_by_month.sql",
            "7c747b9c0af6875aeea77bd814d5e9c1dc7fed0e7802e6c569a14197044d7d93",
        ),
    ];

    /// `issue reindex` creates the table of issue keys again with the live statement: it must
    /// be the one v20 shipped, or verify would call a rebuilt table changed.
    #[test]
    fn the_issue_keys_are_rebuilt_as_v20_created_them() {
        let v20 = MIGRATIONS
            .iter()
            .find(|m| m.name == "v20_issue_keys")
            .unwrap();
        assert!(
            v20.sql
                .contains(&format!("{};", super::super::issue_keys::CREATE))
        );
    }

    #[test]
    fn shipped_migrations_are_frozen() {
        use sha2::{Digest, Sha256};
        assert!(SHIPPED.len() <= MIGRATIONS.len());
        for ((file, digest), m) in SHIPPED.iter().zip(MIGRATIONS) {
            let now: String = Sha256::digest(m.sql.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(
                &now, digest,
                "migrations/{file} ({}) changed after it shipped: restore it and put the change in a new version",
                m.name
            );
        }
    }

    /// `issue reindex` and a large import create the text index again with the live statement:
    /// it must be the one v19 shipped, or verify would call a rebuilt index changed.
    #[test]
    fn the_text_index_is_rebuilt_as_v19_created_it() {
        let v19 = MIGRATIONS
            .iter()
            .find(|m| m.name == "v19_issue_text_pairs")
            .unwrap();
        assert!(v19.sql.contains(super::super::search_index::CREATE));
        let v9 = MIGRATIONS
            .iter()
            .find(|m| m.name == "v9_issue_text_index")
            .unwrap();
        assert!(v9.sql.contains(super::super::search_index::legacy_create()));
    }

    /// The schema as SQLite keeps it (type, name, table, SQL text), in name order.
    fn schema_of(c: &Connection) -> Vec<(String, String, String, Option<String>)> {
        c.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap()
    }

    /// A database made by schema v1 as it shipped (tests/fixtures/schema-v1.sql), upgraded
    /// step by step, ends with exactly the schema of a new database; so does a database
    /// stopped at every version in between.
    #[test]
    fn upgrading_from_v1_or_any_version_gives_a_new_database_s_schema() {
        let mut fresh = Connection::open_in_memory().unwrap();
        migrate(&mut fresh).unwrap();
        let want = schema_of(&fresh);
        let mut old = Connection::open_in_memory().unwrap();
        old.execute_batch(include_str!("../../../../tests/fixtures/schema-v1.sql"))
            .unwrap();
        assert_eq!(version(&old).unwrap(), 1);
        migrate(&mut old).unwrap();
        assert_eq!(schema_of(&old), want);
        for stop in 1..LATEST {
            let mut conn = Connection::open_in_memory().unwrap();
            migrate_to(&mut conn, stop).unwrap();
            assert_eq!(version(&conn).unwrap(), stop);
            migrate(&mut conn).unwrap();
            assert_eq!(schema_of(&conn), want, "upgraded from v{stop}");
        }
    }

    /// A v18 database whose FTS5 index has a damaged page (as `issue reindex` of v18 could
    /// mend) upgrades: the old index is taken out of the schema, the new one built, and the
    /// file written again without the damaged pages.
    #[test]
    fn a_damaged_fts5_index_does_not_stop_the_upgrade() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v18.db");
        let mut conn = Connection::open(&path).unwrap();
        migrate_to(&mut conn, 18).unwrap();
        let tx = conn.transaction().unwrap();
        for i in 1..=3000 {
            let (title, detail) = (format!("{i}号楼路灯不亮"), format!("三楼的灯 {i} 坏了"));
            tx.execute(
                "INSERT INTO issues (id, title, detail, channel, raised_on, status, created_at) \
                 VALUES (?1, ?2, ?3, 'offline', '2026-10-01', 'collected', '2026-10-01T00:00:00Z')",
                rusqlite::params![i, title, detail],
            )
            .unwrap();
            tx.execute(
                "INSERT INTO issue_text (rowid, title, detail) VALUES (?1, ?2, ?3)",
                rusqlite::params![i, title, detail],
            )
            .unwrap();
        }
        tx.commit().unwrap();
        let (root, size): (i64, i64) = conn
            .query_row(
                "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_schema WHERE name = 'issue_text_data'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        drop(conn);
        let mut file = std::fs::read(&path).unwrap();
        let at = ((root - 1) * size) as usize;
        file[at..at + size as usize].fill(0xA5);
        std::fs::write(&path, file).unwrap();

        let mut conn = Connection::open(&path).unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(version(&conn).unwrap(), LATEST);
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "no damaged or unused page is left");
        assert_eq!(
            super::super::search_index::count(&conn, "路灯").unwrap(),
            Some(3000)
        );
        assert_eq!(super::super::search_index::check(&conn).unwrap(), None);
    }
}
