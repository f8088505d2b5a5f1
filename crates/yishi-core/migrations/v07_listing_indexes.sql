-- yishi schema v7 (listing indexes): frozen as shipped. Never edit this file: SQLite keeps each
-- CREATE statement's text as written, and verify compares it byte for byte.
-- Indexes for listings and for showing one issue or one meeting among thousands. `IF NOT EXISTS`:
-- other migrations may create the same index under the same name.
CREATE INDEX IF NOT EXISTS issues_by_day ON issues(raised_on);
CREATE INDEX IF NOT EXISTS issues_by_status ON issues(status, raised_on);
CREATE INDEX IF NOT EXISTS issues_by_category ON issues(category, raised_on);
CREATE INDEX IF NOT EXISTS issues_by_channel ON issues(channel, raised_on);
CREATE INDEX IF NOT EXISTS issues_by_submitter ON issues(submitted_by, raised_on);

        CREATE INDEX IF NOT EXISTS motions_by_meeting ON motions(meeting_id);
        CREATE INDEX IF NOT EXISTS motions_by_issue ON motions(issue_id);
        CREATE INDEX IF NOT EXISTS speeches_by_meeting ON speeches(meeting_id);
        CREATE INDEX IF NOT EXISTS resolutions_by_issue ON resolutions(issue_id);
        CREATE INDEX IF NOT EXISTS resolutions_by_meeting ON resolutions(meeting_id);
        CREATE INDEX IF NOT EXISTS actions_by_issue ON actions(issue_id);
        CREATE INDEX IF NOT EXISTS actions_by_resolution ON actions(resolution_id);
        CREATE INDEX IF NOT EXISTS corrections_by_motion ON corrections(motion_id);
        CREATE INDEX IF NOT EXISTS reopenings_by_meeting ON reopenings(meeting_id);
        CREATE INDEX IF NOT EXISTS notices_by_meeting ON notices(meeting_id, kind);
        CREATE INDEX IF NOT EXISTS feedback_by_issue ON feedback(issue_id);
        CREATE INDEX IF NOT EXISTS agenda_by_issue ON agenda_items(issue_id);
        