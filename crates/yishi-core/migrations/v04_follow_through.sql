-- yishi schema v4 (follow through): frozen as shipped. Never edit this file: SQLite keeps each
-- CREATE statement's text as written, and verify compares it byte for byte.

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
        