//! The full record of one meeting, read in one go: what `council show`, `vote show` and the
//! minutes are made from. Field names here are the stable JSON names.

use super::issues::{self};
use super::meetings::{self, Meeting, Participant};
use super::motions::{self, Motion, Resolution};
use crate::domain::meeting::{
    Attendance, attendance_counts, electorate_for_item, quorum_at, quorum_of,
};
use crate::domain::motion::VoteMethod;
pub use crate::domain::record::{
    Deferral, ItemRecord, MeetingRecord, MotionRecord, Objection, SeatAttendance,
};
use crate::domain::rules::Quorum;
use crate::error::Result;
use rusqlite::{Connection, OptionalExtension};

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

/// The quorum from the places: at the opening once the meeting is open, else as it stands.
fn quorum_from(places: &[crate::domain::meeting::Place], meeting: &Meeting) -> Quorum {
    let opened = meeting
        .opened_at
        .as_deref()
        .and_then(crate::domain::date::parse_clock);
    match opened {
        Some(t) => quorum_at(places, &meeting.rules, t),
        None => quorum_of(places, &meeting.rules),
    }
}

/// The meeting's quorum as [`load`] gives it, without reading the rest of the record: a
/// command that reports it after a write does not hold the write lock for the whole record.
pub fn quorum(conn: &Connection, meeting: &Meeting) -> Result<Quorum> {
    let participants = meetings::participants(conn, meeting.id)?;
    Ok(quorum_from(&meetings::places(&participants, &[]), meeting))
}

pub fn load(conn: &Connection, meeting_id: i64) -> Result<MeetingRecord> {
    let meeting = meetings::require(conn, meeting_id)?;
    let participants = meetings::participants(conn, meeting_id)?;
    let places = meetings::places(&participants, &[]);
    let quorum = quorum_from(&places, &meeting);
    let attendance = attendance_counts(&places, meeting.rules.stakeholders_vote);
    let seats = seat_attendance(&participants);
    let items = Items {
        conn,
        meeting: &meeting,
        participants: &participants,
        // A closed meeting's minutes are built from what existed when it closed.
        frozen: meetings::frozen(conn, meeting_id)?,
        speeches: meetings::speeches(conn, meeting_id)?,
        motions: motions::for_meeting(conn, meeting_id)?,
        resolutions: motions::resolutions(conn, Some(meeting_id))?,
    };
    let agenda = meetings::agenda(conn, meeting_id)?
        .into_iter()
        .map(|item| items.record(item))
        .collect::<Result<Vec<_>>>()?;
    Ok(MeetingRecord {
        quorum,
        attendance,
        attendance_by_seat: seats,
        participants,
        agenda,
        reopenings: meetings::reopenings(conn, meeting_id)?,
        head: crate::store::audit::head(conn)?,
        closed_at: match meeting.status() {
            crate::domain::meeting::MeetingStatus::Closed => crate::store::audit::last_event(
                conn,
                crate::domain::audit::Entity::Meeting,
                meeting_id,
                crate::domain::audit::Action::Closed,
            )?,
            _ => None,
        },
        meeting,
    })
}

/// Attendance by seat, in the order the seats first appear among the participants.
fn seat_attendance(participants: &[Participant]) -> Vec<SeatAttendance> {
    let mut seats: Vec<SeatAttendance> = Vec::new();
    for p in participants {
        let i = match seats.iter().position(|s| s.seat == p.seat) {
            Some(i) => i,
            None => {
                seats.push(SeatAttendance {
                    seat: p.seat.clone(),
                    invited: 0,
                    present: 0,
                    absent: 0,
                    proxy: 0,
                });
                seats.len() - 1
            }
        };
        seats[i].invited += 1;
        if p.attendance.counts_as_present() {
            seats[i].present += 1;
            if p.attendance == Attendance::Proxy {
                seats[i].proxy += 1;
            }
        } else if p.attendance == Attendance::Absent {
            seats[i].absent += 1;
        }
    }
    seats
}

/// What each agenda item of one meeting's record is read with: the meeting's participants,
/// speeches, motions and resolutions, read once.
struct Items<'a> {
    conn: &'a Connection,
    meeting: &'a Meeting,
    participants: &'a [Participant],
    frozen: Option<meetings::Frozen>,
    speeches: Vec<meetings::Speech>,
    motions: Vec<Motion>,
    resolutions: Vec<Resolution>,
}

impl Items<'_> {
    /// One item's record: its issue (as it was when a closed meeting closed), motions,
    /// consultations, resolutions, deferrals, objection, re-raise, escalation and speeches.
    fn record(&self, mut item: meetings::AgendaItem) -> Result<ItemRecord> {
        let (conn, meeting_id) = (self.conn, self.meeting.id);
        let issue = self.issue(item.issue_id)?;
        if self.frozen.is_some() {
            item.title = issue.title.clone();
        }
        let mut consultations = issues::consultations(conn, issue.id)?;
        if let Some(f) = self.frozen {
            consultations.retain(|c| c.id <= f.consultations);
        }
        let item_resolutions: Vec<Resolution> = self
            .resolutions
            .iter()
            .filter(|r| r.issue_id == item.issue_id)
            .cloned()
            .collect();
        let deferred_before = meetings::deferrals_before(conn, issue.id, meeting_id)?
            .into_iter()
            .map(|(meeting_id, meeting_number, reason)| Deferral {
                meeting_id,
                meeting_number,
                reason,
            })
            .collect();
        let objection = match issue.objection_to {
            Some(to) => Some(Objection {
                meeting_id: to,
                meeting_number: meetings::number_of(conn, to)?,
                resolutions: issues::objected_resolutions(conn, issue.id, to)?
                    .into_iter()
                    .map(|r| r.text)
                    .collect(),
            }),
            None => None,
        };
        let escalated_to = conn
            .query_row(
                "SELECT to_level FROM escalations WHERE meeting_id = ?1 AND issue_id = ?2 \
                   ORDER BY id DESC LIMIT 1",
                [meeting_id, issue.id],
                |r| r.get::<_, String>("to_level"),
            )
            .optional()?;
        let speech_corrections = speech_corrections(
            conn,
            meeting_id,
            item.issue_id,
            self.frozen.map(|f| f.record_edits),
        )?;
        Ok(ItemRecord {
            category: issue.category.clone(),
            channel: issue.channel.clone(),
            raised_on: issue.raised_on.clone(),
            submitted_by: issue.submitted_by.clone(),
            detail: issue.detail.clone(),
            consultations,
            speeches: self
                .speeches
                .iter()
                .filter(|s| s.issue_id == item.issue_id)
                .cloned()
                .collect(),
            motions: self.motions_of(item.issue_id)?,
            resolution: item_resolutions.first().cloned(),
            resolutions: item_resolutions,
            deferred_before,
            objection,
            reraise_of: reraise_of(conn, issue.id)?,
            speech_corrections,
            escalated_to,
            item,
        })
    }

    /// The item's issue; a closed meeting's as it was when the meeting closed.
    fn issue(&self, issue_id: i64) -> Result<crate::domain::issue::Issue> {
        let conn = self.conn;
        let mut issue = issues::require(conn, issue_id)?;
        if let Some(f) = self.frozen {
            let at = |field: &str| issues::value_at(conn, "issue", issue.id, field, f.record_edits);
            if let Some(title) = at("title")? {
                issue.title = title.unwrap_or_default();
            }
            if let Some(detail) = at("detail")? {
                issue.detail = detail;
            }
            if let Some(category) = at("category")? {
                issue.category = category;
            }
        }
        Ok(issue)
    }

    /// The item's motions in the order they were voted: each amendment just before the
    /// motion it amends.
    fn motions_of(&self, issue_id: i64) -> Result<Vec<MotionRecord>> {
        let mut ordered: Vec<&Motion> = self
            .motions
            .iter()
            .filter(|m| m.issue_id == issue_id)
            .collect();
        ordered.sort_by_key(|m| (m.amends.unwrap_or(m.id), m.amends.is_none(), m.id));
        ordered.into_iter().map(|m| self.motion(m)).collect()
    }

    /// A motion's record: its ballots, recounts and recusals, who could vote on it now, and
    /// who has not voted (a roll-call vote only).
    fn motion(&self, m: &Motion) -> Result<MotionRecord> {
        let (conn, rules) = (self.conn, &self.meeting.rules);
        let recusals = motions::recusals(conn, m.id)?;
        let recused: Vec<i64> = recusals.iter().map(|r| r.participant_id).collect();
        let places = meetings::places(self.participants, &recused);
        let voted: Vec<i64> = motions::recorded_ballots(conn, m.id)?
            .iter()
            .map(|(id, _)| *id)
            .collect();
        let base: Vec<i64> = if m.status == crate::domain::motion::MotionStatus::Closed {
            motions::electorate_snapshot(conn, m.id)?
        } else {
            self.participants
                .iter()
                .zip(&places)
                .filter(|(p, place)| {
                    p.role
                        .votes_on(rules.stakeholders_vote, &p.items, m.issue_id)
                        && !place.recused
                        && place.present_now()
                })
                .map(|(p, _)| p.id)
                .collect()
        };
        let not_voted = if m.secret || m.method == Some(VoteMethod::Count) {
            Vec::new()
        } else {
            self.participants
                .iter()
                .filter(|p| base.contains(&p.id) && !voted.contains(&p.id))
                .map(|p| p.name.clone())
                .collect()
        };
        Ok(MotionRecord {
            ballots: motions::ballots(conn, m.id)?,
            corrections: motions::corrections(conn, m.id)?,
            electorate_now: electorate_for_item(&places, rules.stakeholders_vote, m.issue_id),
            not_voted,
            recusals,
            motion: m.clone(),
        })
    }
}

/// The earlier issue `issue_id` raises again, with why it was not accepted if it was not.
fn reraise_of(conn: &Connection, issue_id: i64) -> Result<Option<crate::domain::record::Reraise>> {
    let Some(earlier) = issues::links(conn, issue_id)?
        .into_iter()
        .find(|l| l.issue_id == issue_id && l.kind == crate::domain::issue::LinkKind::Reraise)
        .and_then(|l| l.to_issue)
    else {
        return Ok(None);
    };
    let earlier = issues::require(conn, earlier)?;
    let rejected_because = if earlier.status == crate::domain::issue::Status::Rejected {
        conn.query_row(
            "SELECT note FROM issue_history WHERE issue_id = ?1 AND to_status = 'rejected' \
               ORDER BY id DESC LIMIT 1",
            [earlier.id],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten()
    } else {
        None
    };
    Ok(Some(crate::domain::record::Reraise {
        issue_id: earlier.id,
        title: earlier.title,
        status: earlier.status,
        rejected_because,
    }))
}

/// The speeches on an item of a meeting whose summary was corrected (not withdrawn), with the
/// last reason; for a closed meeting, as it stood at the close.
fn speech_corrections(
    conn: &Connection,
    meeting_id: i64,
    issue_id: i64,
    upto: Option<i64>,
) -> Result<Vec<crate::domain::record::SpeechCorrection>> {
    super::query_all(
        conn,
        "SELECT s.id AS id, (SELECT e.reason FROM record_edits e WHERE e.entity = 'speech' \
             AND e.entity_id = s.id AND e.field = 'summary' AND e.id <= ?3 ORDER BY e.id DESC LIMIT 1) \
             AS reason \
         FROM speeches s WHERE s.meeting_id = ?1 AND s.issue_id = ?2 ORDER BY s.id",
        rusqlite::params![meeting_id, issue_id, upto.unwrap_or(i64::MAX)],
        |r| Ok((r.get::<_, i64>("id")?, r.get::<_, Option<String>>("reason")?)),
    )
    .map(|rows| {
        rows.into_iter()
            .filter_map(|(speech_id, reason)| {
                reason.map(|reason| crate::domain::record::SpeechCorrection { speech_id, reason })
            })
            .collect()
    })
}
