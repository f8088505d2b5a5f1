-- yishi schema v20 (issue keys): frozen as shipped; never edit this file.
-- The keys of the stored issues (their `fingerprint`s) that an import compares its rows with,
-- packed (`store::issue_keys`): for each block of 16,384 issue ids, the key of each issue of
-- the block that has one, as it stood when the block was last written, up to issue `last`.
-- An import reads this instead of every row of `issues`, and the issues after `last` from the
-- table. `digest` is a hash of the row's block, last and keys: a row changed outside yishi is
-- not used. Derived data like the text index: not sealed, checked by verify against `issues`,
-- written again by `issue reindex`; filled here from the issues already there.
CREATE TABLE issue_keys (block INTEGER PRIMARY KEY, last INTEGER NOT NULL, keys BLOB NOT NULL, digest INTEGER NOT NULL);
