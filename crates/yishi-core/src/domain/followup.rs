//! Follow-through: actions that carry out resolutions, their updates, public notices,
//! residents' feedback.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Action {
    pub id: i64,
    pub resolution_id: i64,
    pub issue_id: i64,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub progress: i64,
    pub done_on: Option<String>,
    /// Set when a recount withdrew the resolution; the action stays on record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionUpdate {
    pub progress: i64,
    pub note: Option<String>,
    pub on_day: String,
    pub actor: String,
}

/// What a posting is: the `kind` column of `notices`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoticeKind {
    /// 决议公示: a meeting's resolutions, posted for residents to object.
    Decision,
    /// 实施结果公开: what came of an issue.
    Result,
    /// 会议通知: a meeting called.
    Meeting,
}

crate::stored_code!(NoticeKind, "notice kind", {
    Decision => "decision",
    Result => "result",
    Meeting => "meeting",
});

impl NoticeKind {
    /// The kind with this stored text.
    pub fn parse(key: &str) -> Option<NoticeKind> {
        crate::domain::code::Code::from_key(key)
    }

    /// 决议公示 / Decision notice.
    pub fn label(self) -> crate::i18n::Text {
        match self {
            NoticeKind::Decision => crate::text!("notice.kind.decision"),
            NoticeKind::Result => crate::text!("notice.kind.result"),
            NoticeKind::Meeting => crate::text!("notice.kind.meeting"),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    pub id: i64,
    pub kind: NoticeKind,
    pub meeting_id: Option<i64>,
    pub issue_id: Option<i64>,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub text: String,
    /// The day the posting is signed (None: posted before schema v13; its start day).
    pub signed_on: Option<String>,
    /// The chain head printed on the posting (记录校验码); every rendering prints this one.
    pub anchor: Option<crate::domain::audit::Anchor>,
    /// A second posting (a corrected notice) names the posting it replaces and why.
    pub repost_of: Option<i64>,
    pub repost_reason: Option<String>,
}

impl Notice {
    /// The day the posting is signed.
    pub fn signed_day(&self) -> &str {
        self.signed_on.as_deref().unwrap_or(&self.starts_on)
    }
}

/// The step an issue takes when one of its actions progresses: `implementing` with the first
/// progress, `completed` when all its (not withdrawn) actions are done; none otherwise.
pub fn issue_after_progress(
    status: crate::domain::issue::Status,
    all_done: bool,
) -> Option<crate::domain::issue::Status> {
    use crate::domain::issue::Status;
    match (status, all_done) {
        (Status::Decided | Status::Implementing, true) => Some(Status::Completed),
        (Status::Decided, false) => Some(Status::Implementing),
        _ => None,
    }
}

/// A resident's answer: satisfaction 1–5 and whether they knew of the result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewFeedback {
    pub issue_id: i64,
    pub resident: Option<String>,
    pub satisfaction: Option<i64>,
    pub aware: Option<bool>,
    pub note: Option<String>,
    pub channel: Option<String>,
    pub given_on: String,
}

#[cfg(test)]
mod tests {
    use super::issue_after_progress;
    use crate::domain::issue::Status;

    #[test]
    fn an_issue_moves_with_its_actions() {
        assert_eq!(
            issue_after_progress(Status::Decided, false),
            Some(Status::Implementing)
        );
        assert_eq!(
            issue_after_progress(Status::Decided, true),
            Some(Status::Completed)
        );
        assert_eq!(
            issue_after_progress(Status::Implementing, true),
            Some(Status::Completed)
        );
        assert_eq!(issue_after_progress(Status::Implementing, false), None);
        assert_eq!(issue_after_progress(Status::Escalated, true), None);
        assert_eq!(issue_after_progress(Status::Completed, true), None);
    }
}
