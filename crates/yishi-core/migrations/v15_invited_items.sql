-- yishi schema v15 (invited items): frozen as shipped. Never edit this file: SQLite keeps each
-- CREATE statement's text as written, and verify compares it byte for byte.
-- The agenda items a stakeholder is invited for, one row per item: a party to two items is
-- invited for both, and under stakeholders_vote = "own-items" votes on each. Invitations made
-- before this version keep their one item in participants.for_issue, which is read as their
-- first row here (rows are sealed by the events that wrote them, so they are not copied).
CREATE TABLE participant_items (
    id             INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    issue_id       INTEGER NOT NULL REFERENCES issues(id),
    UNIQUE (participant_id, issue_id)
);
