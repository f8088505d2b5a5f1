-- yishi schema v8 (history by step): frozen as shipped. Never edit this file: SQLite keeps each
-- CREATE statement's text as written, and verify compares it byte for byte.
-- When each issue reached a step (accepted, decided, completed), read in issue order without
-- looking up every history row: the report's 四议两公开 count and its durations ask for it.
CREATE INDEX IF NOT EXISTS issue_history_by_step ON issue_history(to_status, issue_id, at);