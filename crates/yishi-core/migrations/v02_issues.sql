-- yishi schema v2 (issues): frozen as shipped. Never edit this file: SQLite keeps each
-- CREATE statement's text as written, and verify compares it byte for byte.

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

        -- The "X": stakeholders to invite when the issue is discussed.
        CREATE TABLE issue_stakeholders (
            id       INTEGER PRIMARY KEY,
            issue_id INTEGER NOT NULL REFERENCES issues(id),
            name     TEXT NOT NULL,
            phone    TEXT,
            UNIQUE (issue_id, name)
        );
        