-- yishi schema v9 (issue text index): frozen as shipped. Never edit this file: SQLite keeps each
-- CREATE statement's text as written, and verify compares it byte for byte.
-- The text index of titles and details that `issue list --grep` reads (`store::search_index`),
-- built from the issues already there.
CREATE VIRTUAL TABLE issue_text USING fts5(title, detail, content='', contentless_delete=1, tokenize='ascii');
INSERT INTO issue_text(issue_text, rank) VALUES('hashsize', 16777216);
