-- yishi schema v14 (postings): frozen as shipped; never edit this file.
-- A posting is one fact: the day it is signed and the chain head printed on it (记录校验码)
-- are kept, so that every later rendering, in any format, is that same posting. A second
-- posting of the same notice (a corrected one) names the posting it replaces and why.
-- NULL in notices posted before this version.
ALTER TABLE notices ADD COLUMN signed_on TEXT;
ALTER TABLE notices ADD COLUMN anchor_seq INTEGER;
ALTER TABLE notices ADD COLUMN anchor_hash TEXT;
ALTER TABLE notices ADD COLUMN repost_of INTEGER REFERENCES notices(id);
ALTER TABLE notices ADD COLUMN repost_reason TEXT;
