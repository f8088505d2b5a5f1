//! The audit log as the rest of yishi sees it: an anchor (a point of the hash chain) and a
//! filter over the log.

use serde::Serialize;

/// The last event of the chain: written on minutes, notices and backups, and given back to
/// `verify --anchor`, it proves later that the chain still passes through that point.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    /// The event's hash (without the key marker).
    pub hash: String,
}

/// Filters for `yishi log`.
#[derive(Debug, Default)]
pub struct LogFilter {
    pub entity: Option<Entity>,
    pub entity_id: Option<i64>,
    pub since: Option<String>,
    pub limit: Option<u32>,
    /// Changes of one meeting: the meeting itself and its motions.
    pub meeting: Option<i64>,
}

/// What became of the cleanup after a forgetting was committed (the file rebuilt, the
/// write-ahead log emptied), which removes the old bytes from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scrub {
    /// Done: the old bytes are gone from the file and its write-ahead log.
    Clean,
    /// Another program reading the database held it up.
    Busy,
    /// It failed (the disk is full, ...): why. The forgetting itself is committed.
    Failed(String),
}

/// Serialize a stored code as its key (the text the database holds).
macro_rules! serialize_as_key {
    ($($ty:ty),+) => {
        $(impl Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.key())
            }
        }
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.key())
            }
        })+
    };
}

/// What an audit event is about: the `entity` column of `events`. The stored text is part of
/// each event's hash, so a key never changes; a new kind of record is a new variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    /// The database itself (`init`).
    Database,
    /// Who was shown residents' contacts.
    Privacy,
    Issue,
    Member,
    Meeting,
    Motion,
    /// An action carrying out a resolution (落实).
    Action,
    Notice,
    Feedback,
    /// A resident forgotten by name (no row of their own).
    Resident,
    /// Rows written by the history generator (`examples/gen_history.rs`).
    History,
}

crate::stored_code!(Entity, "audit entity", {
    Database => "database",
    Privacy => "privacy",
    Issue => "issue",
    Member => "member",
    Meeting => "meeting",
    Motion => "motion",
    Action => "action",
    Notice => "notice",
    Feedback => "feedback",
    Resident => "resident",
    History => "history",
});

/// What an audit event did: the `action` column of `events`. One variant per stored text,
/// shared by the entities that use it (`add` is an issue's, a member's, an action's and a
/// feedback's). The stored text is part of each event's hash: a key never changes, and a
/// value no longer written stays so that older logs still read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    // Any record.
    Add,
    Edit,
    Import,
    // The database, privacy, people.
    Init,
    ShowContacts,
    Retire,
    Forget,
    ForgetResident,
    // An issue's steps (the status it moves to, or what moved it) and facts.
    Accepted,
    Rejected,
    Scheduled,
    Deferred,
    Decided,
    Implementing,
    Completed,
    Escalated,
    Escalation,
    EscalationAnswered,
    Outcome,
    Merge,
    Consult,
    StakeholderAdd,
    StakeholderRemove,
    Objection,
    Reraise,
    Reply,
    /// The issues' intake rows of a bulk import.
    Intake,
    // A meeting.
    Convene,
    Invite,
    InviteItem,
    Attendance,
    Leave,
    Reschedule,
    /// Opened, or reopened after its close.
    Open,
    Closed,
    Decide,
    Speech,
    SpeechEdit,
    SpeechWithdraw,
    /// An item deferred, as logged before meetings decided items (`decide`).
    Defer,
    // A motion (its opening is `Open`).
    Amend,
    Recuse,
    Cast,
    Change,
    Close,
    Correct,
    // An action's progress.
    Progress,
    Done,
    // A notice: posted, or posted again (a corrected notice).
    PostDecision,
    PostResult,
    PostMeeting,
    RepostDecision,
    RepostResult,
    RepostMeeting,
    /// The history generator's bulk rows.
    Generate,
}

crate::stored_code!(Action, "audit action", {
    Add => "add",
    Edit => "edit",
    Import => "import",
    Init => "init",
    ShowContacts => "show-contacts",
    Retire => "retire",
    Forget => "forget",
    ForgetResident => "forget-resident",
    Accepted => "accepted",
    Rejected => "rejected",
    Scheduled => "scheduled",
    Deferred => "deferred",
    Decided => "decided",
    Implementing => "implementing",
    Completed => "completed",
    Escalated => "escalated",
    Escalation => "escalation",
    EscalationAnswered => "escalation-answered",
    Outcome => "outcome",
    Merge => "merge",
    Consult => "consult",
    StakeholderAdd => "stakeholder-add",
    StakeholderRemove => "stakeholder-remove",
    Objection => "objection",
    Reraise => "reraise",
    Reply => "reply",
    Intake => "intake",
    Convene => "convene",
    Invite => "invite",
    InviteItem => "invite-item",
    Attendance => "attendance",
    Leave => "leave",
    Reschedule => "reschedule",
    Open => "open",
    Closed => "closed",
    Decide => "decide",
    Speech => "speech",
    SpeechEdit => "speech-edit",
    SpeechWithdraw => "speech-withdraw",
    Defer => "defer",
    Amend => "amend",
    Recuse => "recuse",
    Cast => "cast",
    Change => "change",
    Close => "close",
    Correct => "correct",
    Progress => "progress",
    Done => "done",
    PostDecision => "decision",
    PostResult => "result",
    PostMeeting => "meeting",
    RepostDecision => "decision repost",
    RepostResult => "result repost",
    RepostMeeting => "meeting repost",
    Generate => "generate",
});

serialize_as_key!(Entity, Action);

impl Entity {
    /// The entity with this stored text.
    pub fn parse(key: &str) -> Option<Entity> {
        crate::domain::code::Code::from_key(key)
    }
}

impl Action {
    /// The action with this stored text.
    pub fn parse(key: &str) -> Option<Action> {
        crate::domain::code::Code::from_key(key)
    }

    /// A notice posted (`repost`: posted again, a corrected notice).
    pub fn posting(kind: crate::domain::followup::NoticeKind, repost: bool) -> Action {
        use crate::domain::followup::NoticeKind;
        match (kind, repost) {
            (NoticeKind::Decision, false) => Action::PostDecision,
            (NoticeKind::Result, false) => Action::PostResult,
            (NoticeKind::Meeting, false) => Action::PostMeeting,
            (NoticeKind::Decision, true) => Action::RepostDecision,
            (NoticeKind::Result, true) => Action::RepostResult,
            (NoticeKind::Meeting, true) => Action::RepostMeeting,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::code::Code;

    /// Every entity and action yishi has written to a log: what `record` and `finish_bulk`
    /// were called with when they still took text (and `defer`, written by the first
    /// meetings). A database written by any of them must still read and verify.
    const WRITTEN_ENTITIES: &[&str] = &[
        "database", "privacy", "feedback", "issue", "motion", "member", "meeting", "resident",
        "action", "notice", "history",
    ];
    const WRITTEN_ACTIONS: &[&str] = &[
        "init",
        "show-contacts",
        "add",
        "import",
        "objection",
        "reraise",
        "amend",
        "open",
        "recuse",
        "change",
        "cast",
        "close",
        "correct",
        "reply",
        "edit",
        "retire",
        "convene",
        "invite",
        "invite-item",
        "decide",
        "attendance",
        "leave",
        "reschedule",
        "closed",
        "speech",
        "speech-edit",
        "speech-withdraw",
        "escalation",
        "escalation-answered",
        "forget",
        "forget-resident",
        "done",
        "progress",
        "decided",
        "outcome",
        "merge",
        "consult",
        "stakeholder-add",
        "stakeholder-remove",
        "accepted",
        "rejected",
        "deferred",
        "completed",
        "implementing",
        "scheduled",
        "escalated",
        "intake",
        "generate",
        "defer",
        "decision",
        "result",
        "meeting",
        "decision repost",
        "result repost",
        "meeting repost",
    ];

    fn round_trips<T: Code + PartialEq + std::fmt::Debug + Serialize>(written: &[&str]) {
        for v in T::ALL {
            assert_eq!(T::from_key(v.key()), Some(*v), "{}", T::WHAT);
            assert_eq!(
                serde_json::to_value(v).ok(),
                Some(serde_json::Value::from(v.key()))
            );
        }
        let keys = T::keys();
        let mut unique = keys.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), keys.len(), "a {} key twice", T::WHAT);
        for text in written {
            let v = T::from_key(text);
            assert_eq!(v.map(|v| v.key()), Some(*text), "{} {text:?}", T::WHAT);
        }
        assert_eq!(T::from_key(""), None);
        assert_eq!(T::from_key("Issue"), None);
    }

    #[test]
    fn every_stored_entity_and_action_round_trips() {
        round_trips::<Entity>(WRITTEN_ENTITIES);
        round_trips::<Action>(WRITTEN_ACTIONS);
        assert_eq!(Entity::parse("notice"), Some(Entity::Notice));
        assert_eq!(
            Action::parse("decision repost"),
            Some(Action::RepostDecision)
        );
    }

    #[test]
    fn a_posting_is_logged_as_its_kind() {
        use crate::domain::followup::NoticeKind;
        for kind in NoticeKind::ALL {
            assert_eq!(Action::posting(*kind, false).key(), kind.key());
            assert_eq!(
                Action::posting(*kind, true).key(),
                format!("{} repost", kind.key())
            );
        }
    }
}
