-- yishi schema v11 (votes in time): frozen as shipped. Never edit this file: SQLite keeps each
-- CREATE statement's text as written, and verify compares it byte for byte.
-- The meeting's clock time (local HH:MM) at which a motion was put to the vote: votes are
-- accepted only from those present then, and a departure or late arrival is checked against
-- it. NULL for motions recorded before this version, or after the meeting's day.
ALTER TABLE motions ADD COLUMN voted_at TEXT;
