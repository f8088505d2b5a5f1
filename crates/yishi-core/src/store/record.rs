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
    // A closed meeting's minutes are built from what existed when it closed.
    let frozen = meetings::frozen(conn, meeting_id)?;
    let speeches = meetings::speeches(conn, meeting_id)?;
    let motions = motions::for_meeting(conn, meeting_id)?;
    let resolutions = motions::resolutions(conn, Some(meeting_id))?;
    let mut agenda = Vec::new();
    for mut item in meetings::agenda(conn, meeting_id)? {
        let mut issue = issues::require(conn, item.issue_id)?;
        if let Some(f) = frozen {
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
            item.title = issue.title.clone();
        }
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
            let places = meetings::places(&participants, &recused);
            let voted: Vec<i64> = motions::recorded_ballots(conn, m.id)?
                .iter()
                .map(|(id, _)| *id)
                .collect();
            let base: Vec<i64> = if m.status == crate::domain::motion::MotionStatus::Closed {
                motions::electorate_snapshot(conn, m.id)?
            } else {
                participants
                    .iter()
                    .zip(&places)
                    .filter(|(p, place)| {
                        p.role
                            .votes_on(meeting.rules.stakeholders_vote, &p.items, m.issue_id)
                            && !place.recused
                            && place.present_now()
                    })
                    .map(|(p, _)| p.id)
                    .collect()
            };
            let not_voted = if m.secret || m.method == Some(VoteMethod::Count) {
                Vec::new()
            } else {
                participants
                    .iter()
                    .filter(|p| base.contains(&p.id) && !voted.contains(&p.id))
                    .map(|p| p.name.clone())
                    .collect()
            };
            item_motions.push(MotionRecord {
                ballots: motions::ballots(conn, m.id)?,
                corrections: motions::corrections(conn, m.id)?,
                electorate_now: electorate_for_item(
                    &places,
                    meeting.rules.stakeholders_vote,
                    m.issue_id,
                ),
                not_voted,
                recusals,
                motion: m.clone(),
            });
        }
        let mut consultations = issues::consultations(conn, issue.id)?;
        if let Some(f) = frozen {
            consultations.retain(|c| c.id <= f.consultations);
        }
        let item_resolutions: Vec<Resolution> = resolutions
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
        let reraise_of = reraise_of(conn, issue.id)?;
        let escalated_to = conn
            .query_row(
                "SELECT to_level FROM escalations WHERE meeting_id = ?1 AND issue_id = ?2 \
                   ORDER BY id DESC LIMIT 1",
                [meeting_id, issue.id],
                |r| r.get::<_, String>(0),
            )
            .optional()?;
        let speech_corrections = speech_corrections(
            conn,
            meeting_id,
            item.issue_id,
            frozen.map(|f| f.record_edits),
        )?;
        agenda.push(ItemRecord {
            category: issue.category.clone(),
            channel: issue.channel.clone(),
            raised_on: issue.raised_on.clone(),
            submitted_by: issue.submitted_by.clone(),
            detail: issue.detail.clone(),
            consultations,
            speeches: speeches
                .iter()
                .filter(|s| s.issue_id == item.issue_id)
                .cloned()
                .collect(),
            motions: item_motions,
            resolution: item_resolutions.first().cloned(),
            resolutions: item_resolutions,
            deferred_before,
            objection,
            reraise_of,
            speech_corrections,
            escalated_to,
            item,
        });
    }
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
        "SELECT s.id, (SELECT e.reason FROM record_edits e WHERE e.entity = 'speech' \
             AND e.entity_id = s.id AND e.field = 'summary' AND e.id <= ?3 ORDER BY e.id DESC LIMIT 1) \
         FROM speeches s WHERE s.meeting_id = ?1 AND s.issue_id = ?2 ORDER BY s.id",
        rusqlite::params![meeting_id, issue_id, upto.unwrap_or(i64::MAX)],
        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?)),
    )
    .map(|rows| {
        rows.into_iter()
            .filter_map(|(speech_id, reason)| {
                reason.map(|reason| crate::domain::record::SpeechCorrection { speech_id, reason })
            })
            .collect()
    })
}
