//! The full record of one meeting, read in one go: what `council show`, `vote show` and the
//! minutes are made from. Field names here are the stable JSON names.

use super::issues::{self, Consultation};
use super::meetings::{self, AgendaItem, Meeting, Participant, Reopening, Speech};
use super::motions::{self, Ballot, Correction, Motion, Recusal, Resolution};
use crate::domain::meeting::{Attendance, electorate, quorum_of};
use crate::domain::rules::{Electorate, Quorum};
use crate::domain::seat::SeatKind;
use crate::error::Result;
use rusqlite::Connection;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct MotionRecord {
    #[serde(flatten)]
    pub motion: Motion,
    pub ballots: Vec<Ballot>,
    pub recusals: Vec<Recusal>,
    pub corrections: Vec<Correction>,
    /// For a motion not yet voted: the eligible voters now.
    pub electorate_now: Electorate,
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
    pub resolution: Option<Resolution>,
}

/// Invited, present, absent per seat (应到 / 实到 / 缺席).
#[derive(Debug, Clone, Serialize)]
pub struct SeatAttendance {
    pub seat: String,
    pub invited: u32,
    pub present: u32,
    pub absent: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeetingRecord {
    #[serde(flatten)]
    pub meeting: Meeting,
    pub quorum: Quorum,
    pub attendance_by_seat: Vec<SeatAttendance>,
    pub participants: Vec<Participant>,
    pub agenda: Vec<ItemRecord>,
    pub reopenings: Vec<Reopening>,
}

impl MeetingRecord {
    /// Voting members invited and present (应到 / 实到 in the minutes' sense).
    pub fn voters(&self) -> (u32, u32) {
        let voting: Vec<&Participant> = self
            .participants
            .iter()
            .filter(|p| p.role.votes(self.meeting.rules.stakeholders_vote))
            .collect();
        let present = voting
            .iter()
            .filter(|p| p.attendance.counts_as_present())
            .count();
        (voting.len() as u32, present as u32)
    }
}

pub fn load(conn: &Connection, meeting_id: i64) -> Result<MeetingRecord> {
    let meeting = meetings::require(conn, meeting_id)?;
    let participants = meetings::participants(conn, meeting_id)?;
    let quorum = quorum_of(&meetings::places(&participants, &[]), &meeting.rules);
    let mut seats: Vec<SeatAttendance> = Vec::new();
    for p in &participants {
        let i = match seats.iter().position(|s| s.seat == p.seat) {
            Some(i) => i,
            None => {
                seats.push(SeatAttendance {
                    seat: p.seat.clone(),
                    invited: 0,
                    present: 0,
                    absent: 0,
                });
                seats.len() - 1
            }
        };
        seats[i].invited += 1;
        if p.attendance.counts_as_present() {
            seats[i].present += 1;
        } else if p.attendance == Attendance::Absent {
            seats[i].absent += 1;
        }
    }
    let speeches = meetings::speeches(conn, meeting_id)?;
    let motions = motions::for_meeting(conn, meeting_id)?;
    let resolutions = motions::resolutions(conn, Some(meeting_id))?;
    let mut agenda = Vec::new();
    for item in meetings::agenda(conn, meeting_id)? {
        let issue = issues::require(conn, item.issue_id)?;
        let mut item_motions = Vec::new();
        // In the order they were voted: each amendment just before the motion it amends.
        let mut ordered: Vec<&Motion> = motions
            .iter()
            .filter(|m| m.issue_id == item.issue_id)
            .collect();
        ordered.sort_by_key(|m| (m.amends.unwrap_or(m.id), m.amends.is_none(), m.id));
        for m in ordered {
            let recusals = motions::recusals(conn, m.id)?;
            let recused: Vec<i64> = recusals.iter().map(|r| r.participant_id).collect();
            item_motions.push(MotionRecord {
                ballots: motions::ballots(conn, m.id)?,
                corrections: motions::corrections(conn, m.id)?,
                electorate_now: electorate(
                    &meetings::places(&participants, &recused),
                    meeting.rules.stakeholders_vote,
                ),
                recusals,
                motion: m.clone(),
            });
        }
        agenda.push(ItemRecord {
            category: issue.category.clone(),
            channel: issue.channel.clone(),
            raised_on: issue.raised_on.clone(),
            submitted_by: issue.submitted_by.clone(),
            detail: issue.detail.clone(),
            consultations: issues::consultations(conn, issue.id)?,
            speeches: speeches
                .iter()
                .filter(|s| s.issue_id == item.issue_id)
                .cloned()
                .collect(),
            motions: item_motions,
            resolution: resolutions
                .iter()
                .find(|r| r.issue_id == item.issue_id)
                .cloned(),
            item,
        });
    }
    Ok(MeetingRecord {
        quorum,
        attendance_by_seat: seats,
        participants,
        agenda,
        reopenings: meetings::reopenings(conn, meeting_id)?,
        meeting,
    })
}

/// Standing, stakeholder and observer seats in a stable order for display: the configured
/// seats first, in their order.
pub fn seat_order(seat: &str, role: SeatKind, configured: &[String]) -> (usize, usize) {
    let kind = match role {
        SeatKind::Standing => 0,
        SeatKind::Stakeholder => 1,
        SeatKind::Observer => 2,
    };
    (
        kind,
        configured
            .iter()
            .position(|s| s == seat)
            .unwrap_or(usize::MAX),
    )
}
