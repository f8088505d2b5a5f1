-- yishi schema v5 (meetings as held): frozen as shipped. Never edit this file: SQLite keeps each
-- CREATE statement's text as written, and verify compares it byte for byte.
-- What real meetings need (issue 14): agenda items decided on their own, several motions per item,
-- departures, an electorate snapshot per motion, corrections with a trail, links between issues,
-- and the high-water marks that freeze a closed meeting's minutes.

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
        