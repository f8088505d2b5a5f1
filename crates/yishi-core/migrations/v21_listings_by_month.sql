-- yishi schema v21 (listings by month): frozen as shipped; never edit this file.
-- The category, channel and resident indexes of `issues`, ordered so that new issues land at
-- the end of a few runs instead of among the history's days: category and channel by month,
-- then by issue (the day carried along), the resident by issue (the day carried along). 5,000
-- issues dated across a year, imported into a million, rewrote nearly every page of the three
-- day-ordered indexes (11,600 of 14,600 pages written); a listing page now sorts one month of
-- its category or channel from the index alone, and a resident's issues, newest first.
DROP INDEX IF EXISTS issues_by_category;
DROP INDEX IF EXISTS issues_by_channel;
DROP INDEX IF EXISTS issues_by_submitter;
CREATE INDEX issues_by_category ON issues(category, substr(raised_on, 1, 7), id, raised_on);
CREATE INDEX issues_by_channel ON issues(channel, substr(raised_on, 1, 7), id, raised_on);
CREATE INDEX issues_by_submitter ON issues(submitted_by, id, raised_on);
