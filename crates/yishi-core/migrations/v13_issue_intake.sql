-- yishi schema v13 (issue intake): frozen as shipped. Never edit this file: SQLite keeps each
-- CREATE statement's text as written, and verify compares it byte for byte.
-- What an import kept about how an issue came in, beside its fields: a survey's submission
-- route (手机提交, 微信 ...), time, region and answer number, and whether its category is only
-- suggested (from [categories] keywords) until someone accepts the issue or edits it. One row
-- per issue that has any of it; the id is the issue's.
CREATE TABLE issue_intake (
            id INTEGER PRIMARY KEY REFERENCES issues(id),
            platform TEXT,
            route TEXT,
            submitted_at TEXT,
            region TEXT,
            answer_id TEXT,
            category_suggested INTEGER NOT NULL DEFAULT 0 CHECK (category_suggested IN (0, 1))
        );
