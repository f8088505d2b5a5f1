-- The reference of "import until ready" (scripts/bench.sh, issue 30): load the CSV with
-- sqlite3's own importer, then build what yishi's import builds before it returns: the five
-- listing indexes of `issues` (the day, the status with the day; category and channel by month,
-- then by row; the resident by row: as yishi's schema v21 orders them, without the day yishi's
-- carry along, which only makes the reference's smaller) and a text index over title and detail
-- (FTS5 with its trigram tokenizer, which finds any text of three characters or more).
-- @FILE@ is replaced by the CSV's path.
.import --csv @FILE@ issues
ALTER TABLE issues ADD COLUMN status TEXT NOT NULL DEFAULT 'collected';
CREATE INDEX issues_by_day ON issues("日期");
CREATE INDEX issues_by_status ON issues(status, "日期");
CREATE INDEX issues_by_category ON issues("类别", substr("日期", 1, 7));
CREATE INDEX issues_by_channel ON issues("渠道", substr("日期", 1, 7));
CREATE INDEX issues_by_submitter ON issues("提出人");
CREATE VIRTUAL TABLE issue_text USING fts5(title, detail, content='', tokenize='trigram');
INSERT INTO issue_text(rowid, title, detail) SELECT rowid, "标题", "内容" FROM issues;
