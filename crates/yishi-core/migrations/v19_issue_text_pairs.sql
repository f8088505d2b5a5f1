-- yishi schema v19 (the text index as character pairs): frozen as shipped. Never edit this
-- file: SQLite keeps each CREATE statement's text as written, and verify compares it byte for
-- byte.
-- The text index of titles and details that `issue list --grep` reads (`store::search_index`)
-- becomes yishi's own table: for each character pair and each block of 16,384 issue ids, the
-- set of issues whose title or detail has that pair. The FTS5 table of v9 is dropped (its
-- pieces, if it was damaged, before this runs) and the new one is built from the issues.
DROP TABLE IF EXISTS issue_text;
CREATE TABLE issue_text (block INTEGER NOT NULL, pair INTEGER NOT NULL, ids BLOB NOT NULL, PRIMARY KEY (block, pair)) WITHOUT ROWID;
