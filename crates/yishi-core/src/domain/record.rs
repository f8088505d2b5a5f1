//! The full record of one meeting, read in one go: what `council show`, `vote show` and the
//! minutes are made from. Field names here are the stable JSON names.

use super::audit::Anchor;
use super::issue::Consultation;
use super::meeting::{AgendaItem, AttendanceCounts, Meeting, Participant, Reopening, Speech};
use super::motion::{Ballot, Correction, Motion, Recusal, Resolution};
use super::rules::{Electorate, Quorum};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct MotionRecord {
    #[serde(flatten)]
    pub motion: Motion,
    pub ballots: Vec<Ballot>,
    pub recusals: Vec<Recusal>,
    pub corrections: Vec<Correction>,
    /// For a motion not yet voted: the eligible voters on its item present now.
    pub electorate_now: Electorate,
    /// Roll-call: eligible voters present who have not voted (yet).
    pub not_voted: Vec<String>,
}

/// 上次暂缓: the item was deferred at an earlier meeting.
#[derive(Debug, Clone, Serialize)]
pub struct Deferral {
    pub meeting_id: i64,
    /// The meeting's number, as documents name it (第1次会议).
    pub meeting_number: i64,
    pub reason: Option<String>,
}

/// 公示期异议: the issue objects to a decision during its public-notice period.
#[derive(Debug, Clone, Serialize)]
pub struct Objection {
    pub meeting_id: i64,
    /// The meeting's number, as documents name it (第1次会议).
    pub meeting_number: i64,
    pub resolutions: Vec<String>,
}

/// 再次提出: the issue raises an earlier one again (often one not accepted).
#[derive(Debug, Clone, Serialize)]
pub struct Reraise {
    pub issue_id: i64,
    pub title: String,
    pub status: super::issue::Status,
    /// Why the earlier issue was not accepted, when it was not.
    pub rejected_because: Option<String>,
}

/// A speech whose summary was corrected after it was recorded (council speech edit).
#[derive(Debug, Clone, Serialize)]
pub struct SpeechCorrection {
    pub speech_id: i64,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemRecord {
    #[serde(flatten)]
    pub item: AgendaItem,
    pub category: Option<String>,
    pub channel: String,
    pub raised_on: String,
    pub submitted_by: Option<String>,
    pub detail: Option<String>,
    pub consultations: Vec<Consultation>,
    pub speeches: Vec<Speech>,
    pub motions: Vec<MotionRecord>,
    /// The first resolution in force on this item (the main motion's).
    pub resolution: Option<Resolution>,
    /// Every resolution in force on this item: main and supplementary motions.
    pub resolutions: Vec<Resolution>,
    pub deferred_before: Vec<Deferral>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objection: Option<Objection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reraise_of: Option<Reraise>,
    /// Speeches on this item corrected after they were recorded, with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub speech_corrections: Vec<SpeechCorrection>,
    /// 上报: the level this meeting raised the item to (`council decide --escalate`), from the
    /// escalation's own record, not from the wording of the item's reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalated_to: Option<String>,
}

/// Invited, present, absent per seat (应到 / 实到 / 缺席). `present` counts a member
/// represented by a proxy; `proxy` says how many of them were (委托).
#[derive(Debug, Clone, Serialize)]
pub struct SeatAttendance {
    pub seat: String,
    pub invited: u32,
    pub present: u32,
    pub absent: u32,
    pub proxy: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeetingRecord {
    #[serde(flatten)]
    pub meeting: Meeting,
    /// At the opening time once opened; before, as attendance stands.
    pub quorum: Quorum,
    /// 应到 = 实到 + 缺席 + 未记录, over the invited voters.
    pub attendance: AttendanceCounts,
    pub attendance_by_seat: Vec<SeatAttendance>,
    pub participants: Vec<Participant>,
    pub agenda: Vec<ItemRecord>,
    pub reopenings: Vec<Reopening>,
    /// The chain head when this record was read (printed on notices).
    pub head: Option<Anchor>,
    /// The event that closed the meeting, if it is closed: its minutes print this anchor, so
    /// they stay byte-identical after later events.
    pub closed_at: Option<Anchor>,
}

/// Standing, stakeholder and observer seats in a stable order for display: the configured
/// seats first, in their order.
pub fn seat_order(
    seat: &str,
    role: crate::domain::seat::SeatKind,
    configured: &[String],
) -> (usize, usize) {
    let kind = match role {
        crate::domain::seat::SeatKind::Standing => 0,
        crate::domain::seat::SeatKind::Stakeholder => 1,
        crate::domain::seat::SeatKind::Observer => 2,
    };
    (
        kind,
        configured
            .iter()
            .position(|s| s == seat)
            .unwrap_or(usize::MAX),
    )
}
