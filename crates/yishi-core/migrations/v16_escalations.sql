-- yishi schema v16 (escalations): frozen as shipped; never edit this file.
-- 上报: an issue raised to the street, why, from which status (where the street's answer may
-- send it back), by which meeting if a council decided it, and the street's answer and its day.
-- The issue's status (escalated) and each step stay in issue_history as for every status.
CREATE TABLE escalations (
    id           INTEGER PRIMARY KEY,
    issue_id     INTEGER NOT NULL REFERENCES issues(id),
    to_level     TEXT NOT NULL,
    reason       TEXT NOT NULL,
    from_status  TEXT NOT NULL,
    escalated_on TEXT NOT NULL,
    meeting_id   INTEGER REFERENCES meetings(id),
    answer       TEXT,
    answered_on  TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX escalations_by_issue ON escalations(issue_id);
