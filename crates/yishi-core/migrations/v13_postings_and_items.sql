-- yishi schema v13 (postings and items): frozen as shipped; never edit this file.
-- A posting is one fact: the day it is signed and the chain head printed on it (记录校验码)
-- are kept, so that every later rendering, in any format, is that same posting. A second
-- posting of the same notice (a corrected one) names the posting it replaces and why.
-- NULL in notices posted before this version.
ALTER TABLE notices ADD COLUMN signed_on TEXT;
ALTER TABLE notices ADD COLUMN anchor_seq INTEGER;
ALTER TABLE notices ADD COLUMN anchor_hash TEXT;
ALTER TABLE notices ADD COLUMN repost_of INTEGER REFERENCES notices(id);
ALTER TABLE notices ADD COLUMN repost_reason TEXT;

-- A stakeholder is invited for each item they are a party to: participants.for_issue is the
-- first, this table holds the others.
CREATE TABLE participant_items (
    id             INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    issue_id       INTEGER NOT NULL REFERENCES issues(id),
    UNIQUE (participant_id, issue_id)
);
