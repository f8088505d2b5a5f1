-- yishi schema v19 (issues by fingerprint): frozen as shipped; never edit this file.
-- An import checks each row against the issues already stored by its fingerprint: with this
-- index it reads the fingerprints from the index (a few MiB) instead of every row of the
-- table (hundreds of MiB on a million issues), in fingerprint order. A large import drops it
-- and builds it again in its index stage, like the listing indexes (issue 30).
CREATE INDEX IF NOT EXISTS issues_by_fingerprint ON issues(fingerprint);
