-- yishi schema v6 (status indexes): frozen as shipped. Never edit this file: SQLite keeps each
-- CREATE statement's text as written, and verify compares it byte for byte.
-- Indexes for `yishi status`, `remind` and the 四议两公开 checklist: the issues waiting at each status
-- oldest first, and the follow-through rows of an issue or a meeting.

        CREATE INDEX issues_by_status ON issues(status, raised_on);
        CREATE INDEX actions_by_issue ON actions(issue_id);
        CREATE INDEX notices_by_meeting ON notices(meeting_id, kind);
        CREATE INDEX notices_by_issue ON notices(issue_id, kind);
        CREATE INDEX feedback_by_issue ON feedback(issue_id);
        CREATE INDEX agenda_by_issue ON agenda_items(issue_id);
        CREATE INDEX resolutions_by_issue ON resolutions(issue_id);
        