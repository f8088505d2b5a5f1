//! A stored value that is not one of its code's keys: the error a row mapping returns (inside
//! rusqlite's conversion failure), recognised by its type when it is classified.

use crate::i18n::Text;
use crate::text;
use std::fmt;

/// A stored value that is not one of its code's keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    pub table: &'static str,
    pub column: &'static str,
    pub row: i64,
    pub value: String,
    pub what: &'static str,
    pub allowed: Vec<&'static str>,
}

impl UnknownValue {
    /// The error in both languages: where, what, and what to do. Table, column and the keys
    /// this yishi knows are the file's own names (in Chinese shown as code, in backticks).
    pub fn text(&self) -> Text {
        let quoted: Vec<String> = self.allowed.iter().map(|k| format!("`{k}`")).collect();
        let (what_zh, what_en) = self.what_words();
        text!(
            "store.unknown_value",
            table = self.table,
            row = self.row,
            column = self.column,
            value = &self.value
        )
        .pair("what", what_zh, what_en)
        .pair("allowed", quoted.join("、"), self.allowed.join(", "))
    }

    /// What the value is (`audit action`), in Chinese and in English: for `Text::pair`
    /// wherever the value is named (verify's finding names it too).
    pub fn what_words(&self) -> (String, String) {
        let zh = what_text(self.what).map_or_else(
            || self.what.to_string(),
            |t| t.render(crate::domain::locale::Locale::ZhCn),
        );
        (zh, self.what.to_string())
    }
}

/// What a stored code is, in the catalogue's words (by the English name the code gives
/// itself: `Code::WHAT`); None for a name not listed here (then shown as it is).
pub fn what_text(what: &str) -> Option<Text> {
    Some(match what {
        "issue status" => text!("stored.what.issue_status"),
        "issue outcome" => text!("stored.what.issue_outcome"),
        "meeting status" => text!("stored.what.meeting_status"),
        "attendance" => text!("stored.what.attendance"),
        "majority rule" => text!("stored.what.majority_rule"),
        "participant role" => text!("stored.what.participant_role"),
        "notice kind" => text!("stored.what.notice_kind"),
        "link kind" => text!("stored.what.link_kind"),
        "motion kind" => text!("stored.what.motion_kind"),
        "motion status" => text!("stored.what.motion_status"),
        "result" => text!("stored.what.result"),
        "vote method" => text!("stored.what.vote_method"),
        "ballot choice" => text!("stored.what.ballot_choice"),
        "speech position" => text!("stored.what.speech_position"),
        "audit entity" => text!("stored.what.audit_entity"),
        "audit action" => text!("stored.what.audit_action"),
        "reply step" => text!("stored.what.reply_step"),
        "reply channel" => text!("stored.what.reply_channel"),
        "history event" => text!("stored.what.history_event"),
        "date" => text!("stored.what.date"),
        "time" => text!("stored.what.time"),
        "date and time" => text!("stored.what.date_and_time"),
        _ => return None,
    })
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().render(crate::domain::locale::Locale::En))
    }
}

impl std::error::Error for UnknownValue {}

impl From<UnknownValue> for super::Error {
    fn from(u: UnknownValue) -> Self {
        super::Error::data_text(u.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::code::Code;
    use crate::domain::locale::Locale;

    /// Every stored code's name, and the other names the store gives, is worded in Chinese.
    #[test]
    fn every_stored_code_is_named_in_chinese() {
        use crate::domain::*;
        let names = [
            issue::Status::WHAT,
            rules::Outcome::WHAT,
            meeting::MeetingStatus::WHAT,
            meeting::Attendance::WHAT,
            rules::MajorityRule::WHAT,
            seat::SeatKind::WHAT,
            followup::NoticeKind::WHAT,
            issue::LinkKind::WHAT,
            motion::MotionKind::WHAT,
            motion::MotionStatus::WHAT,
            motion::MotionResult::WHAT,
            motion::VoteMethod::WHAT,
            motion::Choice::WHAT,
            motion::SpeechPosition::WHAT,
            audit::Entity::WHAT,
            audit::Action::WHAT,
            reply::ReplyStep::WHAT,
            reply::Via::WHAT,
            "history event",
            "date",
            "time",
            "date and time",
        ];
        for name in names {
            let zh = what_text(name).map(|t| t.render(Locale::ZhCn));
            assert!(
                zh.as_deref()
                    .is_some_and(|z| !z.chars().any(|c| c.is_ascii_alphabetic())),
                "{name}: {zh:?}"
            );
        }
    }

    #[test]
    fn an_unknown_value_reads_in_both_languages() {
        let u = UnknownValue {
            table: "events",
            column: "action",
            row: 1,
            value: "frobnicate".into(),
            what: "audit action",
            allowed: vec!["create", "update"],
        };
        let en = u.to_string();
        assert!(
            en.starts_with("table events, row 1, column action: unknown audit action \"frobnicate\" (this yishi knows create, update)"),
            "{en}"
        );
        let zh = u.text().render(Locale::ZhCn);
        assert!(
            zh.contains("日志操作“frobnicate”") && zh.contains("`create`、`update`"),
            "{zh}"
        );
        assert!(zh.contains("`yishi verify`"), "{zh}");
    }
}
