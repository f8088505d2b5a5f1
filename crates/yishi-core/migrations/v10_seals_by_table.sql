-- yishi schema v10 (seals by table): frozen as shipped. Never edit this file: SQLite keeps each
-- CREATE statement's text as written, and verify compares it byte for byte.
-- The seals of one table in row order: `verify` compares each table with its seals, and the
-- primary key (by event) made it read every seal of every table for each one (15 ms for a table of
-- no rows on a million issues).
CREATE INDEX IF NOT EXISTS seals_by_table ON seals(tbl, row_id, seq);