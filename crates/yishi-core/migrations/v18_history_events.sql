-- yishi schema v18 (history events): frozen as shipped; never edit this file.
-- What yishi itself records in an issue's history, as data (domain::history::HistoryEvent,
-- a JSON object with its "kind": scheduled, decided, deferred, merged, edited, recounted,
-- progress, escalated, answered, and what it refers to); `note` then keeps only what a person
-- typed. Rows written before v18 keep event NULL and their notes as written: filling the
-- column in here would change rows the audit log has sealed.
ALTER TABLE issue_history ADD COLUMN event TEXT;
