//! Councils (议事会): meetings, their agenda, invitations and attendance, speeches.
//! Motions and votes are in `motions`.

use super::Writer;
use super::codes::{clock_text, datetime_text, decode, decode_opt};
use super::issues::{self, Issue};
use crate::config::Rules;
use crate::domain::audit::{Action, Entity};
use crate::domain::history::HistoryEvent;
use crate::domain::issue::Status;
use crate::domain::meeting::{Attendance, MeetingStatus, Place};
use crate::domain::motion::MotionResult;
use crate::domain::seat::SeatKind;
use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use serde_json::json;

pub use crate::domain::meeting::{AgendaItem, Reopening, Speech};
pub use crate::domain::meeting::{Meeting, Participant};

const MEETING_COLUMNS: &str = "id, number, title, starts_at, place, chair, recorder, urgent, rules, status, opened_at, without_quorum, ended_at";

fn meeting_from_row(r: &Row) -> rusqlite::Result<Meeting> {
    let rules: String = r.get("rules")?;
    let id: i64 = r.get("id")?;
    Ok(Meeting {
        id,
        number: r.get("number")?,
        title: r.get("title")?,
        starts_at: datetime_text(r, "starts_at", "meetings", "starts_at", id)?,
        place: r.get("place")?,
        chair: r.get("chair")?,
        recorder: r.get("recorder")?,
        urgent: r.get("urgent")?,
        rules: serde_json::from_str(&rules).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(
                r.as_ref().column_index("rules").unwrap_or_default(),
                rusqlite::types::Type::Text,
                Box::new(e),
            )
        })?,
        status: decode(r, "status", "meetings", "status", id)?,
        opened_at: clock_text(r, "opened_at", "meetings", "opened_at", id)?,
        without_quorum: r.get("without_quorum")?,
        ended_at: clock_text(r, "ended_at", "meetings", "ended_at", id)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Meeting>> {
    Ok(conn
        .query_row(
            &format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE id = ?1"),
            [id],
            meeting_from_row,
        )
        .optional()?)
}

pub fn require(conn: &Connection, id: i64) -> Result<Meeting> {
    get(conn, id)?.ok_or_else(|| Error::data_text(crate::text!("meeting.not_found", id = id)))
}

pub fn list(conn: &Connection) -> Result<Vec<Meeting>> {
    super::query_all(
        conn,
        &format!("SELECT {MEETING_COLUMNS} FROM meetings ORDER BY starts_at, id"),
        [],
        meeting_from_row,
    )
}

/// Which meetings `council list` shows, by the day they start.
#[derive(Debug, Clone, Copy, Default)]
pub struct MeetingFilter<'a> {
    /// Only meetings on or after this day, soonest first (else newest first).
    pub upcoming_from: Option<&'a str>,
    /// Only meetings before this day.
    pub before: Option<&'a str>,
}

const MEETING_FILTER: &str = "(?1 IS NULL OR substr(starts_at, 1, 10) >= ?1) AND (?2 IS NULL OR substr(starts_at, 1, 10) < ?2)";

/// One page of meetings with the number of items on each agenda. `limit` -1 is every row.
pub fn list_page(
    conn: &Connection,
    filter: MeetingFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<(Meeting, u64)>> {
    let order = if filter.upcoming_from.is_some() {
        "starts_at, id"
    } else {
        "starts_at DESC, id DESC"
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT {MEETING_COLUMNS}, \
           (SELECT count(*) FROM agenda_items a WHERE a.meeting_id = meetings.id) AS items \
         FROM meetings WHERE {MEETING_FILTER} ORDER BY {order} LIMIT ?3 OFFSET ?4"
    ))?;
    let rows = stmt.query_map(
        params![filter.upcoming_from, filter.before, limit, offset],
        |r| Ok((meeting_from_row(r)?, r.get::<_, i64>("items")? as u64)),
    )?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn count_meetings(conn: &Connection, filter: MeetingFilter) -> Result<u64> {
    let n: i64 = conn.query_row(
        &format!("SELECT count(*) FROM meetings WHERE {MEETING_FILTER}"),
        params![filter.upcoming_from, filter.before],
        |r| r.get(0),
    )?;
    Ok(n as u64)
}

/// The next meeting number (第N次).
pub fn next_number(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(max(number), 0) + 1 FROM meetings",
        [],
        |r| r.get(0),
    )?)
}

#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub number: i64,
    pub title: String,
    pub starts_at: String,
    pub place: String,
    pub chair: Option<String>,
    pub recorder: Option<String>,
    pub urgent: bool,
    pub rules: Rules,
}

/// An invitation to be written with the meeting.
#[derive(Debug, Clone, Serialize)]
pub struct Invitation {
    pub member_id: Option<i64>,
    pub name: String,
    pub seat: String,
    pub role: SeatKind,
    /// The agenda items a stakeholder is invited for (one row each in participant_items).
    pub items: Vec<i64>,
    pub phone: Option<String>,
}

pub fn role_key(kind: SeatKind) -> &'static str {
    crate::domain::code::Code::key(kind)
}

/// Convene: the meeting, its agenda (issues become scheduled) and its invitations, one event.
pub fn convene(
    w: &mut Writer,
    m: &NewMeeting,
    agenda: &[Issue],
    invitations: &[Invitation],
) -> Result<i64> {
    w.conn().execute(
        "INSERT INTO meetings (number, title, starts_at, place, chair, recorder, urgent, rules, status, convened_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'convened', ?9)",
        params![m.number, m.title, m.starts_at, m.place, m.chair, m.recorder, m.urgent, serde_json::to_string(&m.rules)?, w.now()],
    )?;
    let id = w.conn().last_insert_rowid();
    let mut rows = vec![("meetings", id)];
    for (i, issue) in agenda.iter().enumerate() {
        w.conn().execute(
            "INSERT INTO agenda_items (meeting_id, issue_id, position) VALUES (?1, ?2, ?3)",
            params![id, issue.id, i as i64 + 1],
        )?;
        rows.push(("agenda_items", w.conn().last_insert_rowid()));
    }
    for inv in invitations {
        let (participant, items) = insert_participant(w, id, inv)?;
        rows.push(("participants", participant));
        rows.extend(items.into_iter().map(|i| ("participant_items", i)));
    }
    w.record(Entity::Meeting,
        Some(id),
        Action::Convene,
        json!({"number": m.number, "title": m.title, "starts_at": m.starts_at, "place": m.place,
               "agenda": agenda.iter().map(|i| i.id).collect::<Vec<_>>(), "invited": invitations.len(),
               "urgent": m.urgent, "rules": m.rules}),
        &rows,
    )?;
    for issue in agenda {
        issues::set_step(
            w,
            issue,
            Status::Scheduled,
            Some(&HistoryEvent::Scheduled { meeting: id }),
            None,
            Action::Scheduled,
        )?;
    }
    Ok(id)
}

/// The participant's row and the rows of its items (participant_items; `for_issue` is the
/// form of invitations made before schema v15 and stays empty).
fn insert_participant(w: &Writer, meeting_id: i64, inv: &Invitation) -> Result<(i64, Vec<i64>)> {
    w.conn().execute(
        "INSERT INTO participants (meeting_id, member_id, name, seat, role, phone) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![meeting_id, inv.member_id, inv.name, inv.seat, role_key(inv.role), inv.phone],
    )?;
    let id = w.conn().last_insert_rowid();
    let items = inv
        .items
        .iter()
        .map(|issue| insert_item(w, id, *issue))
        .collect::<Result<Vec<_>>>()?;
    Ok((id, items))
}

fn insert_item(w: &Writer, participant: i64, issue: i64) -> Result<i64> {
    w.conn().execute(
        "INSERT INTO participant_items (participant_id, issue_id) VALUES (?1, ?2)",
        params![participant, issue],
    )?;
    Ok(w.conn().last_insert_rowid())
}

/// Invite one more person after convening (not invited yet: `domain::guards::invite_once`;
/// the meeting not closed: both checked in ops).
pub fn invite(w: &mut Writer, m: &Meeting, inv: &Invitation) -> Result<i64> {
    let (id, items) = insert_participant(w, m.id, inv)?;
    let mut rows = vec![("participants", id)];
    rows.extend(items.into_iter().map(|i| ("participant_items", i)));
    w.record(
        Entity::Meeting,
        Some(m.id),
        Action::Invite,
        json!({"name": inv.name, "seat": inv.seat, "role": role_key(inv.role), "items": inv.items}),
        &rows,
    )?;
    Ok(id)
}

/// `council invite NAME --for N` for someone invited already: one more item of theirs.
pub fn invite_for_item(w: &mut Writer, m: &Meeting, p: &Participant, issue: i64) -> Result<()> {
    let row = insert_item(w, p.id, issue)?;
    w.record(
        Entity::Meeting,
        Some(m.id),
        Action::InviteItem,
        json!({"name": p.name, "issue": issue}),
        &[("participant_items", row)],
    )?;
    Ok(())
}

pub fn agenda(conn: &Connection, meeting_id: i64) -> Result<Vec<AgendaItem>> {
    super::query_all(
        conn,
        "SELECT a.id AS id, a.issue_id AS issue_id, a.position AS position, i.title AS title, \
           a.outcome AS outcome, a.reason AS reason \
         FROM agenda_items a JOIN issues i ON i.id = a.issue_id \
         WHERE a.meeting_id = ?1 ORDER BY a.position",
        [meeting_id],
        |r| {
            Ok(AgendaItem {
                issue_id: r.get("issue_id")?,
                position: r.get("position")?,
                title: r.get("title")?,
                outcome: decode_opt(r, "outcome", "agenda_items", "outcome", r.get("id")?)?,
                reason: r.get("reason")?,
            })
        },
    )
}

/// `council decide`: the item's outcome with its reason. The issue's own step (decided,
/// deferred, escalated) is ops' to check and take (`ops::meetings::follow_decision`).
pub fn decide_item(
    w: &mut Writer,
    m: &Meeting,
    issue: &Issue,
    decision: &crate::domain::motion::ItemDecision,
) -> Result<()> {
    use crate::domain::motion::ItemDecision;
    let reason = match decision {
        ItemDecision::Deferred { reason } | ItemDecision::Escalated { reason } => {
            Some(reason.clone())
        }
        _ => None,
    };
    w.conn().execute(
        "UPDATE agenda_items SET outcome = ?3, reason = ?4, decided_at = ?5 WHERE meeting_id = ?1 AND issue_id = ?2",
        params![m.id, issue.id, decision.result(), reason, w.now()],
    )?;
    let row: i64 = w.conn().query_row(
        "SELECT id FROM agenda_items WHERE meeting_id = ?1 AND issue_id = ?2",
        params![m.id, issue.id],
        |r| r.get(0),
    )?;
    w.record(
        Entity::Meeting,
        Some(m.id),
        Action::Decide,
        json!({"issue": issue.id, "outcome": decision.result(), "reason": reason}),
        &[("agenda_items", row)],
    )?;
    Ok(())
}

/// Earlier meetings at which an issue was deferred (上次暂缓), as (meeting id, its number,
/// reason).
pub fn deferrals_before(
    conn: &Connection,
    issue_id: i64,
    meeting_id: i64,
) -> Result<Vec<(i64, i64, Option<String>)>> {
    super::query_all(
        conn,
        "SELECT a.meeting_id AS meeting_id, m.number AS number, a.reason AS reason \
         FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id \
         WHERE a.issue_id = ?1 AND a.meeting_id < ?2 AND a.outcome = 'deferred' ORDER BY a.meeting_id",
        params![issue_id, meeting_id],
        |r| Ok((r.get("meeting_id")?, r.get("number")?, r.get("reason")?)),
    )
}

/// A meeting's number (第N次), by its id.
pub fn number_of(conn: &Connection, meeting_id: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT number FROM meetings WHERE id = ?1",
        [meeting_id],
        |r| r.get(0),
    )?)
}

pub fn set_item_outcome(
    w: &Writer,
    meeting_id: i64,
    issue_id: i64,
    outcome: MotionResult,
) -> Result<i64> {
    w.conn().execute(
        "UPDATE agenda_items SET outcome = ?3 WHERE meeting_id = ?1 AND issue_id = ?2",
        params![meeting_id, issue_id, outcome],
    )?;
    Ok(w.conn().query_row(
        "SELECT id FROM agenda_items WHERE meeting_id = ?1 AND issue_id = ?2",
        params![meeting_id, issue_id],
        |r| r.get(0),
    )?)
}

const PARTICIPANT_COLUMNS: &str = "id, member_id, name, seat, role, for_issue, phone, attendance, online, late_at, absence_reason, proxy_holder, authorisation, left_at";

fn participant_from_row(r: &Row) -> rusqlite::Result<Participant> {
    let id: i64 = r.get("id")?;
    Ok(Participant {
        id,
        member_id: r.get("member_id")?,
        name: r.get("name")?,
        seat: r.get("seat")?,
        role: decode(r, "role", "participants", "role", id)?,
        items: r.get::<_, Option<i64>>("for_issue")?.into_iter().collect(),
        phone: r.get("phone")?,
        attendance: decode(r, "attendance", "participants", "attendance", id)?,
        online: r.get("online")?,
        late_at: clock_text(r, "late_at", "participants", "late_at", id)?,
        absence_reason: r.get("absence_reason")?,
        proxy_holder: r.get("proxy_holder")?,
        authorisation: r.get("authorisation")?,
        left_at: clock_text(r, "left_at", "participants", "left_at", id)?,
    })
}

pub fn participants(conn: &Connection, meeting_id: i64) -> Result<Vec<Participant>> {
    let mut list = super::query_all(
        conn,
        &format!(
            "SELECT {PARTICIPANT_COLUMNS} FROM participants WHERE meeting_id = ?1 ORDER BY id"
        ),
        [meeting_id],
        participant_from_row,
    )?;
    // Each participant's items after the one an older invitation kept in for_issue.
    let items: Vec<(i64, i64)> = super::query_all(
        conn,
        "SELECT x.participant_id AS participant_id, x.issue_id AS issue_id \
         FROM participant_items x \
         JOIN participants p ON p.id = x.participant_id WHERE p.meeting_id = ?1 ORDER BY x.id",
        [meeting_id],
        |r| Ok((r.get("participant_id")?, r.get("issue_id")?)),
    )?;
    for (who, issue) in items {
        if let Some(p) = list.iter_mut().find(|p| p.id == who)
            && !p.items.contains(&issue)
        {
            p.items.push(issue);
        }
    }
    Ok(list)
}

/// An invited person by name (or by member id as `#3`).
pub fn find_participant<'a>(
    list: &'a [Participant],
    m: &Meeting,
    typed: &str,
) -> Result<&'a Participant> {
    crate::domain::guards::find_participant(list, &m.label(), typed).map_err(Error::data_text)
}

/// The rules' view of the invitations, with recusals for one motion.
pub fn places(list: &[Participant], recused: &[i64]) -> Vec<Place> {
    let clock = |t: Option<&str>| t.and_then(crate::domain::date::parse_clock);
    list.iter()
        .map(|p| {
            // A proxy lasts while its holder is there: the represented member is present over
            // the holder's interval (arrival, departure).
            let holder = (p.attendance == Attendance::Proxy)
                .then(|| proxy_holder(list, p))
                .flatten();
            let during = holder.unwrap_or(p);
            Place {
                kind: p.role,
                attendance: p.attendance,
                recused: recused.contains(&p.id),
                items: p.items.clone(),
                arrived: clock(during.late_at.as_deref()),
                left: clock(during.left_at.as_deref()),
            }
        })
        .collect()
}

/// Who holds `p`'s proxy, among the invited.
pub fn proxy_holder<'a>(list: &'a [Participant], p: &Participant) -> Option<&'a Participant> {
    let holder = p.proxy_holder.as_deref()?;
    list.iter().find(|h| h.name == holder)
}

/// Attendance as recorded by `council attend` / `council absent`.
#[derive(Debug, Clone, Default)]
pub struct AttendanceChange {
    pub online: bool,
    pub late_at: Option<String>,
    pub absence_reason: Option<String>,
    pub proxy_holder: Option<String>,
    pub authorisation: Option<String>,
}

pub fn set_attendance(
    w: &mut Writer,
    m: &Meeting,
    p: &Participant,
    a: Attendance,
    c: &AttendanceChange,
) -> Result<()> {
    w.conn().execute(
        "UPDATE participants SET attendance = ?2, online = ?3, late_at = ?4, absence_reason = ?5, proxy_holder = ?6, authorisation = ?7 WHERE id = ?1",
        params![p.id, a.key(), c.online, c.late_at, c.absence_reason, c.proxy_holder, c.authorisation],
    )?;
    w.record(Entity::Meeting,
        Some(m.id),
        Action::Attendance,
        json!({"name": p.name, "attendance": a.key(), "online": c.online, "late_at": c.late_at,
               "absence_reason": c.absence_reason, "proxy_holder": c.proxy_holder, "authorisation": c.authorisation}),
        &[("participants", p.id)],
    )?;
    Ok(())
}

/// `council leave`: someone leaves before the end, at `at` (HH:MM).
pub fn leave(w: &mut Writer, m: &Meeting, p: &Participant, at: &str) -> Result<()> {
    w.conn().execute(
        "UPDATE participants SET left_at = ?2 WHERE id = ?1",
        params![p.id, at],
    )?;
    w.record(
        Entity::Meeting,
        Some(m.id),
        Action::Leave,
        json!({"name": p.name, "at": at}),
        &[("participants", p.id)],
    )?;
    Ok(())
}

/// `council reschedule`: the meeting's set time moves; the old time and the reason are in
/// the log.
pub fn reschedule(w: &mut Writer, m: &Meeting, to: &str, urgent: bool, reason: &str) -> Result<()> {
    w.conn().execute(
        "UPDATE meetings SET starts_at = ?2, urgent = ?3 WHERE id = ?1",
        params![m.id, to, urgent],
    )?;
    w.record(
        Entity::Meeting,
        Some(m.id),
        Action::Reschedule,
        json!({"from": m.starts_at, "to": to, "urgent": urgent, "reason": reason}),
        &[("meetings", m.id)],
    )?;
    Ok(())
}

/// Whether the meeting's notice (会议通知) has been posted.
pub fn notice_posted(conn: &Connection, meeting_id: i64) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) > 0 FROM notices WHERE kind = 'meeting' AND meeting_id = ?1",
        [meeting_id],
        |r| r.get(0),
    )?)
}

/// Open, close or reopen a meeting.
pub fn set_status(
    w: &mut Writer,
    m: &Meeting,
    to: MeetingStatus,
    at: Option<&str>,
    mut note: serde_json::Value,
) -> Result<()> {
    let mut rows = vec![("meetings", m.id)];
    match to {
        MeetingStatus::Open if m.status() == MeetingStatus::Convened => {
            let without_quorum = note
                .get("without_quorum")
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            w.conn().execute(
                "UPDATE meetings SET status = 'open', opened_at = ?2, without_quorum = ?3 WHERE id = ?1",
                params![m.id, at, without_quorum],
            )?;
        }
        MeetingStatus::Open => {
            // Reopening a closed meeting: the reason is kept and shown in the minutes.
            let reason = note
                .get("reason")
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            w.conn().execute(
                "INSERT INTO reopenings (meeting_id, reason, at) VALUES (?1, ?2, ?3)",
                params![m.id, reason, w.now()],
            )?;
            rows.push(("reopenings", w.conn().last_insert_rowid()));
            w.conn()
                .execute("UPDATE meetings SET status = 'open' WHERE id = ?1", [m.id])?;
        }
        MeetingStatus::Closed => {
            // What exists now is what the minutes of this meeting are built from.
            let frozen = serde_json::to_string(&frozen_marks(w.conn())?)?;
            w.conn().execute(
                "UPDATE meetings SET status = 'closed', ended_at = ?2, frozen = ?3 WHERE id = ?1",
                params![m.id, at, frozen],
            )?;
            // The close commits to the record as it now stands: the minutes print this
            // event's anchor, and `verify --anchor` holds the rows to this hash.
            if let serde_json::Value::Object(map) = &mut note {
                let content = crate::store::audit::content_hash(w.conn(), m.id)?;
                map.insert(crate::store::audit::CONTENT_KEY.into(), content.into());
            }
        }
        MeetingStatus::Convened => {
            return Err(Error::internal("a meeting cannot go back to convened"));
        }
    }
    let action = match to {
        MeetingStatus::Closed => Action::Closed,
        _ => Action::Open,
    };
    w.record(Entity::Meeting, Some(m.id), action, note, &rows)?;
    Ok(())
}

/// The highest row ids when a meeting closed: its minutes leave out later rows of these tables
/// (a consultation for the next meeting, a later correction of an issue's title).
#[derive(Debug, Clone, Copy, Default, Serialize, serde::Deserialize)]
pub struct Frozen {
    pub consultations: i64,
    pub record_edits: i64,
}

fn frozen_marks(conn: &Connection) -> Result<Frozen> {
    let max = |table: &str| -> Result<i64> {
        Ok(conn.query_row(
            &format!("SELECT coalesce(max(id), 0) FROM {table}"),
            [],
            |r| r.get(0),
        )?)
    };
    Ok(Frozen {
        consultations: max("consultations")?,
        record_edits: max("record_edits")?,
    })
}

/// The marks of a closed meeting (None while it is open, or closed before they were kept).
pub fn frozen(conn: &Connection, meeting_id: i64) -> Result<Option<Frozen>> {
    let text: Option<String> = conn.query_row(
        "SELECT CASE WHEN status = 'closed' THEN frozen END FROM meetings WHERE id = ?1",
        [meeting_id],
        |r| r.get(0),
    )?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

pub fn reopenings(conn: &Connection, meeting_id: i64) -> Result<Vec<Reopening>> {
    let mut stmt =
        conn.prepare("SELECT reason, at FROM reopenings WHERE meeting_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([meeting_id], |r| {
        Ok(Reopening {
            reason: r.get("reason")?,
            at: r.get("at")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn add_speech(
    w: &mut Writer,
    m: &Meeting,
    issue_id: i64,
    p: &Participant,
    position: &str,
    summary: &str,
    minutes: Option<u32>,
) -> Result<i64> {
    w.conn().execute(
        "INSERT INTO speeches (meeting_id, issue_id, participant_id, position, summary, at, minutes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![m.id, issue_id, p.id, position, summary, w.now(), minutes],
    )?;
    let id = w.conn().last_insert_rowid();
    w.record(
        Entity::Meeting,
        Some(m.id),
        Action::Speech,
        json!({"issue": issue_id, "speaker": p.name, "position": position, "summary": summary}),
        &[("speeches", id)],
    )?;
    Ok(id)
}

const SPEECH_COLUMNS: &str = "s.id AS id, s.issue_id AS issue_id, s.participant_id AS participant_id, \
     p.name AS speaker, p.seat AS seat, s.position AS position, s.summary AS summary, \
     s.meeting_id AS meeting_id";

const SPEECH_FROM: &str = "speeches s JOIN participants p ON p.id = s.participant_id";

fn speech_from_row(r: &Row) -> rusqlite::Result<Speech> {
    let id = r.get("id")?;
    Ok(Speech {
        id,
        issue_id: r.get("issue_id")?,
        participant_id: r.get("participant_id")?,
        speaker: r.get("speaker")?,
        seat: r.get("seat")?,
        position: decode(r, "position", "speeches", "position", id)?,
        summary: r.get("summary")?,
        meeting_id: r.get("meeting_id")?,
    })
}

/// The speeches of a meeting, leaving out withdrawn ones.
pub fn speeches(conn: &Connection, meeting_id: i64) -> Result<Vec<Speech>> {
    super::query_all(
        conn,
        &format!(
            "SELECT {SPEECH_COLUMNS} FROM {SPEECH_FROM} \
             WHERE s.meeting_id = ?1 AND s.withdrawn_reason IS NULL ORDER BY s.id"
        ),
        [meeting_id],
        speech_from_row,
    )
}

/// One speech by id, withdrawn or not (with its withdrawal reason).
pub fn require_speech(conn: &Connection, id: i64) -> Result<(Speech, Option<String>)> {
    conn.query_row(
        &format!(
            "SELECT {SPEECH_COLUMNS}, s.withdrawn_reason AS withdrawn_reason \
             FROM {SPEECH_FROM} WHERE s.id = ?1"
        ),
        [id],
        |r| Ok((speech_from_row(r)?, r.get("withdrawn_reason")?)),
    )
    .optional()?
    .ok_or_else(|| Error::data_text(crate::text!("speech.not_found", id = id)))
}

/// `council speech edit`: the summary corrected; the old text and the reason are kept.
pub fn edit_speech(
    w: &mut Writer,
    m: &Meeting,
    speech: &Speech,
    summary: &str,
    reason: &str,
) -> Result<()> {
    w.conn().execute(
        "UPDATE speeches SET summary = ?2 WHERE id = ?1",
        params![speech.id, summary],
    )?;
    let edit = issues::add_edit(
        w,
        "speech",
        speech.id,
        "summary",
        Some(&speech.summary),
        Some(summary),
        reason,
        Some(m.id),
    )?;
    w.record(Entity::Meeting,
        Some(m.id),
        Action::SpeechEdit,
        json!({"speech": speech.id, "speaker": speech.speaker, "summary": [speech.summary, summary], "reason": reason}),
        &[("speeches", speech.id), ("record_edits", edit)],
    )?;
    Ok(())
}

/// `council speech withdraw`: the speech leaves the minutes and stays on record, with why.
pub fn withdraw_speech(w: &mut Writer, m: &Meeting, speech: &Speech, reason: &str) -> Result<()> {
    w.conn().execute(
        "UPDATE speeches SET withdrawn_reason = ?2 WHERE id = ?1",
        params![speech.id, reason],
    )?;
    let edit = issues::add_edit(
        w,
        "speech",
        speech.id,
        "withdrawn",
        Some(&speech.summary),
        None,
        reason,
        Some(m.id),
    )?;
    w.record(Entity::Meeting,
        Some(m.id),
        Action::SpeechWithdraw,
        json!({"speech": speech.id, "speaker": speech.speaker, "summary": speech.summary, "reason": reason}),
        &[("speeches", speech.id), ("record_edits", edit)],
    )?;
    Ok(())
}
