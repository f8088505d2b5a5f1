-- yishi schema v3 (meetings): frozen as shipped. Never edit this file: SQLite keeps each
-- CREATE statement's text as written, and verify compares it byte for byte.

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
        