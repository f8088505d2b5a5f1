-- yishi schema v1 (members and audit): frozen as shipped. Never edit this file: SQLite keeps each
-- CREATE statement's text as written, and verify compares it byte for byte.

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
        