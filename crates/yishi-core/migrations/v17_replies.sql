-- yishi schema v17 (replies): frozen as shipped; never edit this file.
-- 答复: the residents who raised an issue (its submitter and those of merged duplicates) were
-- told what became of it at one step (accepted, rejected, decided, completed), how (phone,
-- wechat, in-person, sms, letter) and on which day. One reply per issue and step; the steps
-- themselves are read from issue_history. No names here: the residents are the issue's.
CREATE TABLE replies (
    id         INTEGER PRIMARY KEY,
    issue_id   INTEGER NOT NULL REFERENCES issues(id),
    step       TEXT NOT NULL,
    via        TEXT NOT NULL,
    replied_on TEXT NOT NULL,
    text       TEXT,
    residents  INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (issue_id, step)
);
