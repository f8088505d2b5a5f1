//! Versioned schema migrations keyed on `PRAGMA user_version`.
//!
//! One function per version, each run in its own transaction, so that an interrupted upgrade
//! leaves the database at the previous version. A database newer than this binary is refused.

use crate::error::{Error, Result};
use rusqlite::{Connection, Transaction, TransactionBehavior};

type Migration = fn(&Transaction) -> rusqlite::Result<()>;

/// Migrations in order: index 0 brings version 0 to 1, and so on.
const MIGRATIONS: &[Migration] = &[
    v1_members_and_audit,
    v2_issues,
    v3_meetings,
    v4_follow_through,
    v5_meetings_as_held,
    v6_status_indexes,
    v7_listing_indexes,
    v8_history_by_step,
    v9_issue_text_index,
    v10_seals_by_table,
    v13_issue_intake,
];

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
        return Err(Error::data(format!(
            "this database has schema version {current}, but this yishi only knows versions up to {LATEST}: \
             install a newer yishi (the database was not changed)"
        )));
    }
    if current >= target {
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
    for (i, step) in MIGRATIONS
        .iter()
        .enumerate()
        .take(target as usize)
        .skip(current as usize)
    {
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

fn v3_meetings(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(
        "
        CREATE TABLE meetings (
            id           INTEGER PRIMARY KEY,
            number       INTEGER NOT NULL,
            title        TEXT NOT NULL,
            starts_at    TEXT NOT NULL,   -- local time, YYYY-MM-DD HH:MM
            place        TEXT NOT NULL,
            chair        TEXT,
            recorder     TEXT,
            urgent       INTEGER NOT NULL DEFAULT 0,
            rules        TEXT NOT NULL,   -- the rules in force, copied from yishi.toml (JSON)
            status       TEXT NOT NULL,   -- convened | open | closed
            opened_at    TEXT,            -- local HH:MM
            without_quorum INTEGER NOT NULL DEFAULT 0,
            ended_at     TEXT,            -- local HH:MM
            convened_at  TEXT NOT NULL
        );

        CREATE TABLE agenda_items (
            id         INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            issue_id   INTEGER NOT NULL REFERENCES issues(id),
            position   INTEGER NOT NULL,
            outcome    TEXT,              -- adopted | not-adopted | deferred
            UNIQUE (meeting_id, issue_id)
        );

        -- Everyone invited: standing members, stakeholders (the X) and observers (列席).
        CREATE TABLE participants (
            id            INTEGER PRIMARY KEY,
            meeting_id    INTEGER NOT NULL REFERENCES meetings(id),
            member_id     INTEGER REFERENCES members(id),
            name          TEXT NOT NULL,
            seat          TEXT NOT NULL,
            role          TEXT NOT NULL,  -- standing | stakeholder | observer
            for_issue     INTEGER REFERENCES issues(id),
            phone         TEXT,
            attendance    TEXT NOT NULL DEFAULT 'invited',  -- invited | present | proxy | absent
            online        INTEGER NOT NULL DEFAULT 0,
            late_at       TEXT,
            absence_reason TEXT,
            proxy_holder  TEXT,           -- who votes for this participant
            authorisation TEXT,
            UNIQUE (meeting_id, name)
        );

        CREATE TABLE speeches (
            id             INTEGER PRIMARY KEY,
            meeting_id     INTEGER NOT NULL REFERENCES meetings(id),
            issue_id       INTEGER NOT NULL REFERENCES issues(id),
            participant_id INTEGER NOT NULL REFERENCES participants(id),
            position       TEXT NOT NULL, -- for | against | neutral
            summary        TEXT NOT NULL,
            at             TEXT NOT NULL,
            minutes        INTEGER        -- how long, when the recorder timed it
        );

        CREATE TABLE motions (
            id            INTEGER PRIMARY KEY,
            meeting_id    INTEGER NOT NULL REFERENCES meetings(id),
            issue_id      INTEGER NOT NULL REFERENCES issues(id),
            amends        INTEGER REFERENCES motions(id),
            text          TEXT NOT NULL,
            original_text TEXT,           -- the text before an adopted amendment replaced it
            rule          TEXT NOT NULL,
            secret        INTEGER NOT NULL DEFAULT 0,
            status        TEXT NOT NULL,  -- open | cast | closed
            method        TEXT,           -- roll-call | count
            yes           INTEGER,
            no            INTEGER,
            abstain       INTEGER,
            electorate_present INTEGER,   -- snapshotted at cast and close
            electorate_invited INTEGER,
            result        TEXT,           -- adopted | not-adopted | deferred
            owner         TEXT,
            due           TEXT,
            opened_at     TEXT NOT NULL,
            closed_at     TEXT
        );

        -- Roll-call votes, one per voter.
        CREATE TABLE ballots (
            id             INTEGER PRIMARY KEY,
            motion_id      INTEGER NOT NULL REFERENCES motions(id),
            participant_id INTEGER NOT NULL REFERENCES participants(id),
            choice         TEXT NOT NULL, -- yes | no | abstain
            UNIQUE (motion_id, participant_id)
        );

        -- 回避: members with a personal interest who do not vote.
        CREATE TABLE recusals (
            id             INTEGER PRIMARY KEY,
            motion_id      INTEGER NOT NULL REFERENCES motions(id),
            participant_id INTEGER NOT NULL REFERENCES participants(id),
            reason         TEXT NOT NULL,
            UNIQUE (motion_id, participant_id)
        );

        -- Recounts of closed votes: the old figures stay.
        CREATE TABLE corrections (
            id         INTEGER PRIMARY KEY,
            motion_id  INTEGER NOT NULL REFERENCES motions(id),
            old_yes INTEGER NOT NULL, old_no INTEGER NOT NULL, old_abstain INTEGER NOT NULL,
            new_yes INTEGER NOT NULL, new_no INTEGER NOT NULL, new_abstain INTEGER NOT NULL,
            old_result TEXT NOT NULL,
            new_result TEXT NOT NULL,
            reason     TEXT NOT NULL,
            at         TEXT NOT NULL
        );

        CREATE TABLE reopenings (
            id         INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            reason     TEXT NOT NULL,
            at         TEXT NOT NULL
        );

        -- 决议: an adopted motion becomes the issue's resolution, with an owner and a due date.
        CREATE TABLE resolutions (
            id         INTEGER PRIMARY KEY,
            issue_id   INTEGER NOT NULL REFERENCES issues(id),
            meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            motion_id  INTEGER NOT NULL REFERENCES motions(id),
            text       TEXT NOT NULL,
            owner      TEXT,
            due        TEXT,
            created_at TEXT NOT NULL
        );
        ",
    )
}

fn v4_follow_through(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(
        "
        -- An objection raised during a decision's public-notice period (公示期).
        ALTER TABLE issues ADD COLUMN objection_to INTEGER REFERENCES meetings(id);

        -- 落实: what carrying out a resolution takes, with its owner and deadline.
        CREATE TABLE actions (
            id            INTEGER PRIMARY KEY,
            resolution_id INTEGER NOT NULL REFERENCES resolutions(id),
            issue_id      INTEGER NOT NULL REFERENCES issues(id),
            text          TEXT NOT NULL,
            owner         TEXT,
            due           TEXT,
            progress      INTEGER NOT NULL DEFAULT 0,
            done_on       TEXT,
            created_at    TEXT NOT NULL
        );

        CREATE TABLE action_updates (
            id        INTEGER PRIMARY KEY,
            action_id INTEGER NOT NULL REFERENCES actions(id),
            progress  INTEGER NOT NULL,
            note      TEXT,
            on_day    TEXT NOT NULL,
            actor     TEXT NOT NULL
        );

        -- 决议公示 and 实施结果公开.
        CREATE TABLE notices (
            id         INTEGER PRIMARY KEY,
            kind       TEXT NOT NULL,    -- decision | result
            meeting_id INTEGER REFERENCES meetings(id),
            issue_id   INTEGER REFERENCES issues(id),
            starts_on  TEXT NOT NULL,
            ends_on    TEXT,
            text       TEXT NOT NULL,
            created_at TEXT NOT NULL
        );

        -- 评议: residents' answers on a result.
        CREATE TABLE feedback (
            id           INTEGER PRIMARY KEY,
            issue_id     INTEGER NOT NULL REFERENCES issues(id),
            resident     TEXT,
            satisfaction INTEGER,        -- 1..5
            aware        INTEGER,        -- 1 yes, 0 no
            note         TEXT,
            channel      TEXT,
            given_on     TEXT NOT NULL,
            fingerprint  INTEGER,
            created_at   TEXT NOT NULL
        );
        ",
    )
}

/// What real meetings need (issue 14): agenda items decided on their own, several motions per
/// item, departures, an electorate snapshot per motion, corrections with a trail, links between
/// issues, and the high-water marks that freeze a closed meeting's minutes.
fn v5_meetings_as_held(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(
        "
        -- An item is decided when the secretary says so (`council decide`), not by its first vote.
        ALTER TABLE agenda_items ADD COLUMN reason TEXT;        -- why it was deferred
        ALTER TABLE agenda_items ADD COLUMN decided_at TEXT;    -- UTC, when it was decided
        ALTER TABLE agenda_items ADD COLUMN carried_from INTEGER REFERENCES meetings(id); -- 上次暂缓

        -- supplementary (附加决议) or revised (after a failed motion); NULL is a main motion or,
        -- with `amends`, an amendment. New columns stay NULL on old rows so that their audit
        -- seals still match (trailing NULLs are not hashed).
        ALTER TABLE motions ADD COLUMN kind TEXT;

        -- Who could vote on a motion when it was voted: the base of its result.
        CREATE TABLE motion_electorate (
            id             INTEGER PRIMARY KEY,
            motion_id      INTEGER NOT NULL REFERENCES motions(id),
            participant_id INTEGER NOT NULL REFERENCES participants(id),
            UNIQUE (motion_id, participant_id)
        );

        -- Leaving before the end (local HH:MM); arrival is late_at.
        ALTER TABLE participants ADD COLUMN left_at TEXT;

        -- A withdrawn speech stays on record, out of the minutes.
        ALTER TABLE speeches ADD COLUMN withdrawn_reason TEXT;

        -- Corrections of recorded text (speech, issue, action): the old value and why.
        CREATE TABLE record_edits (
            id         INTEGER PRIMARY KEY,
            entity     TEXT NOT NULL,     -- speech | issue | action
            entity_id  INTEGER NOT NULL,
            field      TEXT NOT NULL,
            old_value  TEXT,
            new_value  TEXT,
            reason     TEXT NOT NULL,
            meeting_id INTEGER REFERENCES meetings(id),
            at         TEXT NOT NULL
        );
        CREATE INDEX record_edits_by_entity ON record_edits(entity, entity_id);

        -- Links between records: an issue re-raising an earlier one (reraise), an objection and
        -- the resolution it objects to (objection). A table of its own, so that the bulk
        -- issue loader's column list stays as it is.
        CREATE TABLE issue_links (
            id            INTEGER PRIMARY KEY,
            issue_id      INTEGER NOT NULL REFERENCES issues(id),
            kind          TEXT NOT NULL,  -- reraise | objection
            to_issue      INTEGER REFERENCES issues(id),
            to_resolution INTEGER REFERENCES resolutions(id)
        );
        CREATE INDEX issue_links_by_issue ON issue_links(issue_id);

        -- A withdrawn resolution (a recount turned adopted into failed) stays on record.
        ALTER TABLE resolutions ADD COLUMN withdrawn_reason TEXT;
        ALTER TABLE actions ADD COLUMN withdrawn_reason TEXT;

        -- What existed when the meeting closed (JSON of table -> highest row id): its minutes
        -- are built only from rows up to these marks.
        ALTER TABLE meetings ADD COLUMN frozen TEXT;
        ",
    )
}

/// Indexes for `yishi status`, `remind` and the 四议两公开 checklist: the issues waiting at each
/// status oldest first, and the follow-through rows of an issue or a meeting.
fn v6_status_indexes(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(
        "
        CREATE INDEX issues_by_status ON issues(status, raised_on);
        CREATE INDEX actions_by_issue ON actions(issue_id);
        CREATE INDEX notices_by_meeting ON notices(meeting_id, kind);
        CREATE INDEX notices_by_issue ON notices(issue_id, kind);
        CREATE INDEX feedback_by_issue ON feedback(issue_id);
        CREATE INDEX agenda_by_issue ON agenda_items(issue_id);
        CREATE INDEX resolutions_by_issue ON resolutions(issue_id);
        ",
    )
}

/// The indexes of `issues` that serve listings: each filter with the day, because pages are
/// newest first. A large bulk import drops them and [`ensure_issue_indexes`] builds them again
/// when the database is next opened: updating five indexes row by row made a million-row import
/// many times slower (random writes all over the file), and sorting once costs about a second.
pub const ISSUE_INDEXES: &[(&str, &str)] = &[
    ("issues_by_day", "issues(raised_on)"),
    ("issues_by_status", "issues(status, raised_on)"),
    ("issues_by_category", "issues(category, raised_on)"),
    ("issues_by_channel", "issues(channel, raised_on)"),
    ("issues_by_submitter", "issues(submitted_by, raised_on)"),
];

fn create_issue_indexes(conn: &Connection) -> rusqlite::Result<()> {
    for (name, on) in ISSUE_INDEXES {
        conn.execute_batch(&format!("CREATE INDEX IF NOT EXISTS {name} ON {on}"))?;
    }
    Ok(())
}

/// Build the listing indexes of `issues` and their text index if a bulk import left them out. Returns whether it
/// built any. If another process holds the write lock, it leaves them for the next command:
/// listings stay correct without them, only slower.
pub fn ensure_issue_indexes(conn: &mut Connection) -> Result<bool> {
    let present: i64 = conn.query_row(
        &format!(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN ({})",
            ISSUE_INDEXES
                .iter()
                .map(|(name, _)| format!("'{name}'"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        [],
        |r| r.get(0),
    )?;
    if present == ISSUE_INDEXES.len() as i64 && super::search_index::exists(conn)? {
        return Ok(false);
    }
    let tx = match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
        Ok(tx) => tx,
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::DatabaseBusy =>
        {
            return Ok(false);
        }
        Err(e) => return Err(e.into()),
    };
    create_issue_indexes(&tx)?;
    if !super::search_index::exists(&tx)? {
        super::search_index::build(&tx)?;
    }
    tx.commit()?;
    Ok(true)
}

/// Indexes for listings and for showing one issue or one meeting among thousands.
/// `IF NOT EXISTS`: other migrations may create the same index under the same name.
fn v7_listing_indexes(tx: &Transaction) -> rusqlite::Result<()> {
    create_issue_indexes(tx)?;
    tx.execute_batch(
        "
        CREATE INDEX IF NOT EXISTS motions_by_meeting ON motions(meeting_id);
        CREATE INDEX IF NOT EXISTS motions_by_issue ON motions(issue_id);
        CREATE INDEX IF NOT EXISTS speeches_by_meeting ON speeches(meeting_id);
        CREATE INDEX IF NOT EXISTS resolutions_by_issue ON resolutions(issue_id);
        CREATE INDEX IF NOT EXISTS resolutions_by_meeting ON resolutions(meeting_id);
        CREATE INDEX IF NOT EXISTS actions_by_issue ON actions(issue_id);
        CREATE INDEX IF NOT EXISTS actions_by_resolution ON actions(resolution_id);
        CREATE INDEX IF NOT EXISTS corrections_by_motion ON corrections(motion_id);
        CREATE INDEX IF NOT EXISTS reopenings_by_meeting ON reopenings(meeting_id);
        CREATE INDEX IF NOT EXISTS notices_by_meeting ON notices(meeting_id, kind);
        CREATE INDEX IF NOT EXISTS feedback_by_issue ON feedback(issue_id);
        CREATE INDEX IF NOT EXISTS agenda_by_issue ON agenda_items(issue_id);
        ",
    )
}

/// When each issue reached a step (accepted, decided, completed), read in issue order without
/// looking up every history row: the report's 四议两公开 count and its durations ask for it.
fn v8_history_by_step(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE INDEX IF NOT EXISTS issue_history_by_step ON issue_history(to_status, issue_id, at);",
    )
}

/// The text index of titles and details that `issue list --grep` reads
/// (`store::search_index`), built from the issues already there.
fn v9_issue_text_index(tx: &Transaction) -> rusqlite::Result<()> {
    super::search_index::build(tx).map(|_| ())
}

/// The seals of one table in row order: `verify` compares each table with its seals, and the
/// primary key (by event) made it read every seal of every table for each one (15 ms for a
/// table of no rows on a million issues).
fn v10_seals_by_table(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch("CREATE INDEX IF NOT EXISTS seals_by_table ON seals(tbl, row_id, seq);")
}

/// What an import kept about how an issue came in, beside its fields: a survey's submission
/// route (手机提交, 微信 ...), time, region and answer number, and whether its category is
/// only suggested (from [categories] keywords) until someone accepts the issue or edits it.
/// One row per issue that has any of it; the id is the issue's.
fn v13_issue_intake(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE issue_intake (
            id INTEGER PRIMARY KEY REFERENCES issues(id),
            platform TEXT,
            route TEXT,
            submitted_at TEXT,
            region TEXT,
            answer_id TEXT,
            category_suggested INTEGER NOT NULL DEFAULT 0 CHECK (category_suggested IN (0, 1))
        );",
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
}
