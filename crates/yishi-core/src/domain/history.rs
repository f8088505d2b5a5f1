//! What yishi itself records in an issue's history (办理记录), as data: the kind of event and
//! what it refers to (a meeting, an issue, a motion, an action). It is worded only when shown
//! (`render::history`), so the record is the fact, not one language's sentence about it, and a
//! note a person typed is never mistaken for one of yishi's. What a person typed with the event
//! (a deferral's reason, a correction's reason, the street's answer) stays in the row's `note`.

use super::motion::MotionResult;
use serde::{Deserialize, Serialize};

/// One event, stored as JSON in `issue_history.event` (schema v18) with its kind under "kind".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum HistoryEvent {
    /// A step a person took (accept, reject, close...): the note, if any, is theirs alone.
    /// Every row written since schema v18 has an event, so a row without one is an old row.
    Step,
    /// 列入议程: convened onto the agenda of a meeting (its id).
    Scheduled { meeting: i64 },
    /// 表决: the meeting decided the item.
    Decided { meeting: i64 },
    /// 暂缓: the meeting deferred the item; the reason is the note.
    Deferred { meeting: i64 },
    /// 合并: merged into another issue.
    Merged { into: i64 },
    /// 更正: title, detail or category corrected; the reason is the note.
    Edited,
    /// 复核更正: a motion's tally recounted; the reason is the note.
    Recounted {
        motion: i64,
        old: String,
        new: String,
        /// None when the motion had no result before (not yishi's usual path).
        old_result: Option<MotionResult>,
        new_result: MotionResult,
    },
    /// 落实进度: an action's progress moved the issue along.
    Progress { action: i64, progress: i64 },
    /// 上报: raised to a higher level (街道), by a meeting or not; the reason is the note.
    Escalated { to: String, meeting: Option<i64> },
    /// 答复: the level's answer (its day); the answer's text is the note.
    Answered { from: String, on: String },
}

impl HistoryEvent {
    /// Whether `e` is no event of yishi's own (an old row, or a person's step): JSON leaves it out.
    pub fn is_none_or_step(e: &Option<HistoryEvent>) -> bool {
        matches!(e, None | Some(HistoryEvent::Step))
    }

    /// The stored form (a JSON object).
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).expect("a history event is plain data")
    }

    /// The event stored as `s`, or None when it is not one yishi writes.
    pub fn from_stored(s: &str) -> Option<HistoryEvent> {
        serde_json::from_str(s).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_through_their_stored_form() {
        for e in [
            HistoryEvent::Scheduled { meeting: 1 },
            HistoryEvent::Merged { into: 7 },
            HistoryEvent::Edited,
            HistoryEvent::Recounted {
                motion: 2,
                old: "4:1:0".into(),
                new: "2:3:0".into(),
                old_result: Some(MotionResult::Adopted),
                new_result: MotionResult::NotAdopted,
            },
            HistoryEvent::Escalated {
                to: "街道".into(),
                meeting: None,
            },
        ] {
            assert_eq!(HistoryEvent::from_stored(&e.to_stored()), Some(e));
        }
        assert_eq!(
            HistoryEvent::Scheduled { meeting: 3 }.to_stored(),
            r#"{"kind":"scheduled","meeting":3}"#
        );
        assert_eq!(HistoryEvent::from_stored(r#"{"kind":"bogus"}"#), None);
    }
}
