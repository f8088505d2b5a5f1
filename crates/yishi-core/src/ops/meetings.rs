//! Councils (议事会): convene, invite, attendance, open, speeches, close, reopen; and the
//! read operations that show them.

use crate::config::{Config, Locale, NantangMode};
use crate::domain::Refusal;
use crate::domain::guards;
use crate::domain::ids::{IssueId, MeetingId};
use crate::domain::issue::Status;
use crate::domain::meeting::{self, Attendance, Meeting, MeetingStatus, Participant};
use crate::domain::motion::{MotionStatus, SpeechPosition};
use crate::domain::nantang;
use crate::domain::rules::Quorum;
use crate::domain::seat::{self, SeatKind};
use crate::error::{Error, Result};
use crate::store::issues::{self, Issue};
use crate::store::meetings::{self, AttendanceChange, Invitation, NewMeeting};
use crate::store::record::{self, MeetingRecord};
use crate::store::{Actor, Store, Writer, members, motions};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;
use serde_json::json;

pub struct ConveneRequest {
    pub when: NaiveDateTime,
    /// Today, for the notice period.
    pub today: NaiveDate,
    pub place: String,
    /// None: "{community}第N次居民议事会".
    pub title: Option<String>,
    pub chair: Option<String>,
    pub recorder: Option<String>,
    /// The agenda; empty: the accepted issues that were pre-consulted.
    pub issues: Vec<IssueId>,
    /// Extra invitees (validated names): members by name, else stakeholders.
    pub invite: Vec<String>,
    pub observers: Vec<String>,
    pub urgent: bool,
    /// Work out everything, then roll back.
    pub dry_run: bool,
}

pub struct Convened {
    /// None on a dry run.
    pub id: Option<MeetingId>,
    pub meeting: NewMeeting,
    pub agenda: Vec<Issue>,
    pub invitations: Vec<Invitation>,
    /// The record as convened (not on a dry run).
    pub record: Option<MeetingRecord>,
    /// The meeting is in the past: recorded after the fact.
    pub in_the_past: bool,
}

/// `council convene`: the meeting, its agenda and its 6+X invitations.
pub fn convene(
    store: &mut Store,
    actor: &Actor,
    config: &Config,
    req: ConveneRequest,
) -> Result<Convened> {
    let rules = config.rules.clone();
    let days = (req.when.date() - req.today).num_days();
    meeting::may_convene(days, rules.notice_days, req.urgent)?;
    let work = |w: &mut Writer| -> Result<Convened> {
        let agenda = choose_agenda(w.conn(), &req.issues)?;
        let invitations =
            choose_invitations(w.conn(), config, &agenda, &req.invite, &req.observers)?;
        let number = meetings::next_number(w.conn())?;
        let title = req.title.clone().unwrap_or_else(|| match config.locale {
            Locale::ZhCn => format!("{}第{number}次居民议事会", config.community),
            Locale::En => format!("Residents' council No. {number} of {}", config.community),
        });
        let new = NewMeeting {
            number,
            title,
            starts_at: req.when.format("%Y-%m-%d %H:%M").to_string(),
            place: req.place.clone(),
            chair: req.chair.clone(),
            recorder: req.recorder.clone(),
            urgent: req.urgent,
            rules: rules.clone(),
        };
        // Each agenda issue becomes scheduled: a step checked here, store only writes it.
        for issue in &agenda {
            guards::step(issue, Status::Scheduled)?;
        }
        let (id, record) = if req.dry_run {
            (None, None)
        } else {
            let id = meetings::convene(w, &new, &agenda, &invitations)?;
            (Some(MeetingId(id)), Some(record::load(w.conn(), id)?))
        };
        Ok(Convened {
            id,
            meeting: new,
            agenda,
            invitations,
            record,
            in_the_past: days < 0,
        })
    };
    if req.dry_run {
        store.trial(actor, work)
    } else {
        store.write(actor, work)
    }
}

/// The agenda: the issues given, or the accepted issues that were pre-consulted.
fn choose_agenda(conn: &Connection, given: &[IssueId]) -> Result<Vec<Issue>> {
    if !given.is_empty() {
        let mut agenda = Vec::new();
        for id in given {
            let issue = issues::require(conn, id.0)?;
            issue.status.check_step(Status::Scheduled).map_err(|why| {
                let refusal =
                    crate::text!("issue.cannot_schedule", id = issue.id).text("why", &why);
                Error::refused_text(if issue.status == Status::Collected {
                    refusal.text("hint", &crate::text!("issue.accept_first", id = issue.id))
                } else {
                    refusal.pair("hint", "", "")
                })
            })?;
            if !agenda.iter().any(|i: &Issue| i.id == issue.id) {
                agenda.push(issue);
            }
        }
        return Ok(agenda);
    }
    // One query, not one per accepted issue: a district may have thousands waiting.
    let agenda = issues::ready_for_agenda(conn)?;
    if agenda.is_empty() {
        return Err(Error::refused_text(crate::text!("council.no_agenda")));
    }
    Ok(agenda)
}

/// Everyone to invite: active standing members, each agenda issue's stakeholders, extras.
fn choose_invitations(
    conn: &Connection,
    config: &Config,
    agenda: &[Issue],
    extra: &[String],
    observers: &[String],
) -> Result<Vec<Invitation>> {
    let mut list: Vec<Invitation> = Vec::new();
    // One invitation per person; a stakeholder party to several items is invited for each.
    let mut add = |inv: Invitation| match list.iter_mut().find(|i| i.name == inv.name) {
        Some(known) if known.role == SeatKind::Stakeholder => {
            for item in inv.items {
                if !known.items.contains(&item) {
                    known.items.push(item);
                }
            }
        }
        Some(_) => {}
        None => list.push(inv),
    };
    for m in members::list(conn, None, false)? {
        if config.seat_kind(&m.name, &m.seat)? == SeatKind::Standing {
            add(Invitation {
                member_id: Some(m.id),
                name: m.name,
                seat: m.seat,
                role: SeatKind::Standing,
                items: Vec::new(),
                phone: m.phone,
            });
        }
    }
    for issue in agenda {
        for s in issues::stakeholders(conn, issue.id)? {
            add(stakeholder_invitation(
                conn,
                &s.name,
                Some(issue.id),
                s.phone,
            )?);
        }
    }
    for name in extra {
        let found = members::by_name(conn, name)?;
        match found.iter().find(|m| m.active()) {
            Some(m) => add(Invitation {
                member_id: Some(m.id),
                name: m.name.clone(),
                seat: m.seat.clone(),
                role: config.seat_kind(&m.name, &m.seat)?,
                items: Vec::new(),
                phone: m.phone.clone(),
            }),
            None => add(stakeholder_invitation(conn, name, None, None)?),
        }
    }
    for name in observers {
        add(observer_invitation(conn, name)?);
    }
    Ok(list)
}

fn stakeholder_invitation(
    conn: &Connection,
    name: &str,
    for_issue: Option<i64>,
    phone: Option<String>,
) -> Result<Invitation> {
    let member = members::by_name(conn, name)?
        .into_iter()
        .find(|m| m.active());
    Ok(Invitation {
        member_id: member.as_ref().map(|m| m.id),
        name: name.to_string(),
        seat: seat::STAKEHOLDER.into(),
        role: SeatKind::Stakeholder,
        items: for_issue.into_iter().collect(),
        phone: phone.or(member.and_then(|m| m.phone)),
    })
}

fn observer_invitation(conn: &Connection, name: &str) -> Result<Invitation> {
    let member = members::by_name(conn, name)?
        .into_iter()
        .find(|m| m.active());
    Ok(Invitation {
        member_id: member.as_ref().map(|m| m.id),
        name: name.to_string(),
        seat: seat::OBSERVER.into(),
        role: SeatKind::Observer,
        items: Vec::new(),
        phone: member.and_then(|m| m.phone),
    })
}

fn ensure_on_agenda(conn: &Connection, m: &Meeting, issue: i64) -> Result<()> {
    if meetings::agenda(conn, m.id)?
        .iter()
        .any(|i| i.issue_id == issue)
    {
        return Ok(());
    }
    Err(Error::data_text(crate::text!(
        "council.not_on_agenda",
        issue = issue,
        meeting = m.label()
    )))
}

pub struct InviteRequest {
    pub meeting: MeetingId,
    pub name: String,
    pub observer: bool,
    pub for_issue: Option<IssueId>,
    pub phone: Option<String>,
}

pub struct Invited {
    pub meeting: MeetingId,
    pub invitation: Invitation,
    /// Invited already: this item was added to their invitation.
    pub added_item: Option<i64>,
}

/// `council invite`: one more person after convening.
pub fn invite(
    store: &mut Store,
    actor: &Actor,
    config: &Config,
    req: InviteRequest,
) -> Result<Invited> {
    store.write(actor, |w| {
        let conn = w.conn();
        let m = meetings::require(conn, req.meeting.0)?;
        let for_issue = req.for_issue.map(i64::from);
        if let Some(issue) = for_issue {
            ensure_on_agenda(conn, &m, issue)?;
        }
        let list = meetings::participants(conn, m.id)?;
        if let (Some(p), Some(issue)) = (list.iter().find(|p| p.name == req.name), for_issue) {
            return add_item(w, &m, p, issue).map(|invitation| Invited {
                meeting: req.meeting,
                invitation,
                added_item: Some(issue),
            });
        }
        let mut inv = if req.observer {
            observer_invitation(conn, &req.name)?
        } else {
            match members::by_name(conn, &req.name)?
                .into_iter()
                .find(|m| m.active())
            {
                Some(member) if for_issue.is_none() => Invitation {
                    member_id: Some(member.id),
                    role: config.seat_kind(&member.name, &member.seat)?,
                    name: member.name,
                    seat: member.seat,
                    items: Vec::new(),
                    phone: member.phone,
                },
                _ => stakeholder_invitation(conn, &req.name, for_issue, None)?,
            }
        };
        if req.phone.is_some() {
            inv.phone = req.phone.clone();
        }
        m.ensure_not_closed()?;
        let invited = meetings::participants(conn, m.id)?;
        crate::domain::guards::invite_once(
            invited.iter().map(|p| p.name.as_str()),
            &inv.name,
            m.id,
        )?;
        meetings::invite(w, &m, &inv)?;
        Ok(Invited {
            meeting: req.meeting,
            invitation: inv,
            added_item: None,
        })
    })
}

/// `council invite NAME --for N` for a stakeholder invited already: item N is theirs too. A
/// standing member votes on every item and an observer on none, so neither takes an item.
fn add_item(w: &mut Writer, m: &Meeting, p: &Participant, issue: i64) -> Result<Invitation> {
    if p.role != SeatKind::Stakeholder {
        return Err(Error::refused_text(crate::text!(
            "council.invite_item_not_stakeholder",
            name = &p.name,
            meeting = m.label(),
        )));
    }
    if p.items.contains(&issue) {
        return Err(Error::refused_text(crate::text!(
            "council.invite_item_already",
            name = &p.name,
            meeting = m.label(),
            issue = issue,
        )));
    }
    m.ensure_not_closed()?;
    meetings::invite_for_item(w, m, p, issue)?;
    let mut items = p.items.clone();
    items.push(issue);
    Ok(Invitation {
        member_id: p.member_id,
        name: p.name.clone(),
        seat: p.seat.clone(),
        role: p.role,
        items,
        phone: p.phone.clone(),
    })
}

pub struct AttendRequest {
    pub meeting: MeetingId,
    pub names: Vec<String>,
    pub online: bool,
    pub late_at: Option<String>,
    /// The one person named votes for this absent invitee.
    pub proxy_for: Option<String>,
    pub authorisation: Option<String>,
}

/// The quorum after a change of attendance.
pub struct QuorumNow {
    pub meeting: MeetingId,
    pub quorum: Quorum,
    pub rule: crate::domain::rules::Fraction,
}

/// `council attend`: who came, and a proxy.
pub fn attend(store: &mut Store, actor: &Actor, req: AttendRequest) -> Result<QuorumNow> {
    store.write(actor, |w| {
        let m = super::in_state::not_closed(w.conn(), req.meeting.0)?;
        m.ensure_day_reached(actor.local.date(), &crate::text!("step.attendance"))?;
        let list = meetings::participants(w.conn(), m.id)?;
        let mut changes = Vec::new();
        for name in &req.names {
            let p = meetings::find_participant(&list, &m, name)?;
            let change = AttendanceChange {
                online: req.online,
                late_at: req.late_at.clone(),
                ..Default::default()
            };
            changes.push((p.clone(), Attendance::Present, change));
        }
        if let (Some(absent), Some((holder, _, _))) = (&req.proxy_for, changes.first()) {
            let represented = meetings::find_participant(&list, &m, absent)?;
            meeting::may_be_represented(&m, represented)?;
            let change = AttendanceChange {
                proxy_holder: Some(holder.name.clone()),
                authorisation: req.authorisation.clone(),
                ..Default::default()
            };
            changes.push((represented.clone(), Attendance::Proxy, change));
        }
        if let Some(late) = req
            .late_at
            .as_deref()
            .and_then(crate::domain::date::parse_clock)
        {
            for (p, _, _) in changes.iter().filter(|(_, a, _)| *a == Attendance::Present) {
                let who = represented_by(&list, p);
                let before: Vec<(String, String)> = motions::timed_ballots(w.conn(), m.id, &who)?
                    .into_iter()
                    .filter(|(_, t, _)| *t < late)
                    .map(|(v, t, _)| (v.to_string(), t.format("%H:%M").to_string()))
                    .collect();
                if !before.is_empty() {
                    let zh: Vec<String> =
                        before.iter().map(|(v, t)| format!("{v}（{t}）")).collect();
                    let en: Vec<String> =
                        before.iter().map(|(v, t)| format!("{v} at {t}")).collect();
                    return Err(Error::refused_text(
                        crate::text!(
                            "council.late_after_vote",
                            name = &p.name,
                            late = late.format("%H:%M")
                        )
                        .pair("votes", zh.join("、"), en.join(", ")),
                    ));
                }
            }
        }
        for (p, att, change) in &changes {
            meetings::set_attendance(w, &m, p, *att, change)?;
        }
        quorum_now(w.conn(), &m)
    })
}

/// `p` and everyone whose proxy `p` holds: the votes cast in `p`'s presence (participant ids).
fn represented_by(list: &[Participant], p: &Participant) -> Vec<i64> {
    let mut ids = vec![p.id];
    ids.extend(
        list.iter()
            .filter(|x| {
                x.attendance == Attendance::Proxy && x.proxy_holder.as_deref() == Some(&p.name)
            })
            .map(|x| x.id),
    );
    ids
}

fn quorum_now(conn: &Connection, m: &Meeting) -> Result<QuorumNow> {
    Ok(QuorumNow {
        meeting: MeetingId(m.id),
        quorum: record::quorum(conn, m)?,
        rule: m.rules.quorum,
    })
}

pub struct AbsentRequest {
    pub meeting: MeetingId,
    pub name: String,
    pub reason: String,
}

/// `council absent`: an absence with its reason. Returns the name as invited.
pub fn absent(store: &mut Store, actor: &Actor, req: AbsentRequest) -> Result<String> {
    store.write(actor, |w| {
        let m = meetings::require(w.conn(), req.meeting.0)?;
        let list = meetings::participants(w.conn(), m.id)?;
        let p = meetings::find_participant(&list, &m, &req.name)?.clone();
        // Someone who voted was there: they may leave (with a time), not be absent.
        let votes = motions::votes_taken_with(w.conn(), m.id, p.id)?;
        meeting::check_absence(&m.label(), &p.name, &votes)?;
        let change = AttendanceChange {
            absence_reason: Some(req.reason.clone()),
            ..Default::default()
        };
        m.ensure_not_closed()?;
        meetings::set_attendance(w, &m, &p, Attendance::Absent, &change)?;
        Ok(p.name)
    })
}

pub struct OpenRequest {
    pub meeting: MeetingId,
    /// HH:MM
    pub at: String,
    pub without_quorum: bool,
}

/// `council open`: refused without quorum unless `without_quorum`.
pub fn open(store: &mut Store, actor: &Actor, req: OpenRequest) -> Result<QuorumNow> {
    store.write(actor, |w| {
        let rec = record::load(w.conn(), req.meeting.0)?;
        let m = &rec.meeting;
        m.ensure_day_reached(actor.local.date(), &crate::text!("step.opening"))?;
        // Quorum at the opening time: late arrivals after it and departures before it do not
        // count.
        let at = crate::domain::date::parse_clock(&req.at)
            .ok_or_else(|| Error::data_text(crate::text!("meeting.at_not_a_time", at = &req.at)))?;
        let q = meeting::quorum_at(&meetings::places(&rec.participants, &[]), &m.rules, at);
        meeting::may_open(m, q, req.without_quorum)?;
        meetings::set_status(
            w,
            m,
            MeetingStatus::Open,
            Some(&req.at),
            json!({"at": req.at, "quorum": q, "without_quorum": !q.met}),
        )?;
        Ok(QuorumNow {
            meeting: req.meeting,
            quorum: q,
            rule: m.rules.quorum,
        })
    })
}

pub struct SpeakRequest {
    pub meeting: MeetingId,
    pub issue: IssueId,
    pub by: String,
    pub position: SpeechPosition,
    pub summary: String,
    pub minutes: Option<u32>,
}

pub struct Spoken {
    pub speaker: String,
    /// How many times this person has now spoken on the item.
    pub times: u32,
    pub rules: crate::config::Rules,
    /// Nantang order warnings (the chair taking a side, one side twice in a row).
    pub nantang: Vec<crate::i18n::Text>,
}

/// `council speak`: a speech by someone present, on an agenda item.
pub fn speak(store: &mut Store, actor: &Actor, req: SpeakRequest) -> Result<Spoken> {
    store.write(actor, |w| {
        let m = meetings::require(w.conn(), req.meeting.0)?;
        m.ensure_day_reached(actor.local.date(), &crate::text!("step.speech"))?;
        ensure_on_agenda(w.conn(), &m, req.issue.0)?;
        let list = meetings::participants(w.conn(), m.id)?;
        let p: Participant = meetings::find_participant(&list, &m, &req.by)?.clone();
        meeting::may_speak(&m, &p)?;
        let on_item: Vec<_> = meetings::speeches(w.conn(), m.id)?
            .into_iter()
            .filter(|s| s.issue_id == req.issue.0)
            .collect();
        let earlier = on_item.iter().filter(|s| s.participant_id == p.id).count() as u32;
        let positions: Vec<SpeechPosition> = on_item.iter().map(|s| s.position).collect();
        let is_chair = m.chair.as_deref() == Some(p.name.as_str());
        let nantang = nantang::speech_warnings(&p.name, is_chair, req.position, &positions);
        if m.rules.nantang == NantangMode::Refuse
            && let Some(first) = nantang.first()
        {
            return Err(Refusal(crate::text!("nantang.refused").text("why", first)).into());
        }
        m.ensure_open(&crate::text!("in_session.speeches"))?;
        meetings::add_speech(
            w,
            &m,
            req.issue.0,
            &p,
            req.position.key(),
            &req.summary,
            req.minutes,
        )?;
        Ok(Spoken {
            speaker: p.name,
            times: earlier + 1,
            rules: m.rules,
            nantang,
        })
    })
}

pub struct CloseRequest {
    pub meeting: MeetingId,
    /// HH:MM as given (--at); None: the end first recorded, when the meeting is closed again
    /// after a reopening, else `now`.
    pub at: Option<String>,
    /// HH:MM, the time of the command.
    pub now: String,
}

/// What `council close` recorded.
pub struct Closed {
    /// The end (散会), HH:MM.
    pub at: String,
    /// Closed again after a reopening, keeping the end first recorded.
    pub kept: bool,
    /// The items it decided by itself (an adopted main motion, none open): id and title.
    pub decided: Vec<(i64, String)>,
}

/// `council close`: refused while a motion has no result, while someone invited is neither
/// present nor absent (the refusal gives the `council absent` command for each), or while an
/// agenda item's outcome is unclear (the refusal lists those, so that the secretary decides
/// each one). An item whose outcome is clear (an adopted main motion and none open) is decided
/// by the close itself and said so. Closing again after a reopening keeps the end first
/// recorded unless --at says otherwise: a correction made next morning does not move the
/// meeting's end to the morning.
pub fn close(store: &mut Store, actor: &Actor, req: CloseRequest) -> Result<Closed> {
    store.write(actor, |w| {
        let m = meetings::require(w.conn(), req.meeting.0)?;
        m.ensure_day_reached(actor.local.date(), &crate::text!("step.close"))?;
        let all_motions = motions::for_meeting(w.conn(), m.id)?;
        let unfinished: Vec<String> = all_motions
            .iter()
            .filter(|v| v.status != MotionStatus::Closed)
            .map(|v| v.label())
            .collect();
        meeting::may_close(&m, &unfinished)?;
        ensure_attendance_recorded(w.conn(), &m)?;
        let mut decided = Vec::new();
        let mut open_items: Vec<(i64, String)> = Vec::new();
        for item in meetings::agenda(w.conn(), m.id)?
            .into_iter()
            .filter(|i| i.outcome.is_none())
        {
            let on_item: Vec<crate::domain::motion::OnItem> = all_motions
                .iter()
                .filter(|v| v.issue_id == item.issue_id)
                .map(|v| v.on_item())
                .collect();
            if crate::domain::motion::outcome_is_clear(&on_item) {
                decided.push((item.issue_id, item.title));
            } else {
                open_items.push((item.issue_id, item.title));
            }
        }
        if !open_items.is_empty() {
            return Err(undecided_refusal(&m, &open_items, &decided));
        }
        for (id, _) in &decided {
            let issue = issues::require(w.conn(), *id)?;
            let outcome = crate::domain::motion::ItemDecision::Adopted;
            meetings::decide_item(w, &m, &issue, &outcome)?;
            follow_decision(w, &m, &issue, &outcome)?;
        }
        let kept = req.at.is_none() && m.ended_at.is_some();
        let at = req
            .at
            .clone()
            .or_else(|| m.ended_at.clone())
            .unwrap_or_else(|| req.now.clone());
        let clock = |t: &str| crate::domain::date::parse_clock(t);
        let end = clock(&at)
            .ok_or_else(|| Error::data_text(crate::text!("meeting.at_not_a_time", at = &at)))?;
        meeting::check_end(&m, m.opened_at.as_deref().and_then(clock), end)?;
        meetings::set_status(
            w,
            &m,
            MeetingStatus::Closed,
            Some(&at),
            json!({"at": at, "kept": kept, "decided": decided.iter().map(|(id, _)| id).collect::<Vec<_>>()}),
        )?;
        Ok(Closed { at, kept, decided })
    })
}

/// Everyone invited is recorded as present (in person or by proxy) or absent before the
/// meeting closes: the minutes' counts have no "not recorded".
fn ensure_attendance_recorded(conn: &Connection, m: &Meeting) -> Result<()> {
    let unrecorded: Vec<String> = meetings::participants(conn, m.id)?
        .into_iter()
        .filter(|p| p.attendance == Attendance::Invited)
        .map(|p| p.name)
        .collect();
    let Some(first) = unrecorded.first() else {
        return Ok(());
    };
    Err(Error::refused_text(crate::text!(
        "council.close_unrecorded",
        meeting = m.label(),
        names = unrecorded.join("、"),
        first = first,
    )))
}

/// The refusal of `council close` while some items need the secretary's decision: only those
/// are listed; the items it would decide by itself are named as such.
fn undecided_refusal(m: &Meeting, open: &[(i64, String)], clear: &[(i64, String)]) -> Error {
    let list = |items: &[(i64, String)]| {
        items
            .iter()
            .map(|(id, title)| format!("#{id} {title}"))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let text = crate::text!(
        "council.close_undecided",
        meeting = m.label(),
        items = list(open),
        first = open[0].0,
    );
    Error::refused_text(if clear.is_empty() {
        text.pair("clear", "", "")
    } else {
        text.text(
            "clear",
            &crate::text!("council.close_would_decide", items = list(clear)),
        )
    })
}

pub struct RescheduleRequest {
    pub meeting: MeetingId,
    pub to: NaiveDateTime,
    pub reason: String,
    /// Less notice than rules.notice_days is given knowingly (as `convene --urgent`).
    pub urgent: bool,
}

pub struct Rescheduled {
    pub meeting: MeetingId,
    /// The times as recorded (`YYYY-MM-DD HH:MM`).
    pub from: String,
    pub to: String,
    /// A meeting notice was posted with the old time: a corrected one is due.
    pub notice_posted: bool,
}

/// `council reschedule`: a meeting not yet opened moves to another time, logged with its
/// reason: the way on when the steps of a meeting happen on another day than it was set for.
pub fn reschedule(store: &mut Store, actor: &Actor, req: RescheduleRequest) -> Result<Rescheduled> {
    store.write(actor, |w| {
        let m = meetings::require(w.conn(), req.meeting.0)?;
        if m.status != MeetingStatus::Convened {
            return Err(Error::refused_text(crate::text!(
                "council.reschedule_opened",
                meeting = m.label(),
                at = m.opened_at.as_deref().unwrap_or("?"),
            )));
        }
        // The new time needs the notice convening needs (the meeting's own rules); an urgent
        // meeting stays urgent, a newly urgent one is marked so for its minutes.
        let days = (req.to.date() - actor.local.date()).num_days();
        let urgent = m.urgent || req.urgent;
        meeting::may_convene(days, m.rules.notice_days, urgent)?;
        let to = req.to.format("%Y-%m-%d %H:%M").to_string();
        if to == m.starts_at {
            return Err(Error::refused_text(crate::text!(
                "council.reschedule_same",
                meeting = m.label(),
                to = &to,
            )));
        }
        meetings::reschedule(w, &m, &to, urgent, &req.reason)?;
        Ok(Rescheduled {
            meeting: req.meeting,
            from: m.starts_at.clone(),
            to,
            notice_posted: meetings::notice_posted(w.conn(), m.id)?,
        })
    })
}

/// `council reopen`: a closed meeting, to correct it; the reason is kept.
pub fn reopen(store: &mut Store, actor: &Actor, meeting: MeetingId, reason: &str) -> Result<()> {
    store.write(actor, |w| {
        let m = meetings::require(w.conn(), meeting.0)?;
        meeting::may_reopen(&m)?;
        meetings::set_status(w, &m, MeetingStatus::Open, None, json!({"reason": reason}))
    })
}

/// A meeting in a listing, with the number of its agenda items.
pub use crate::store::meetings::MeetingFilter;

/// A meeting in `council list`, with the number of items on its agenda.
pub struct Listed {
    pub meeting: Meeting,
    pub items: u64,
}

/// `council list`: one page of the meetings that match with the size of each agenda, and how
/// many match (counted only when the page may hide some), in one snapshot.
pub fn list(
    store: &Store,
    filter: meetings::MeetingFilter,
    (limit, offset): (i64, i64),
    with_total: impl FnOnce(usize) -> bool,
) -> Result<(Vec<Listed>, Option<u64>)> {
    store.read(|conn| {
        let page: Vec<Listed> = meetings::list_page(conn, filter, limit, offset)?
            .into_iter()
            .map(|(meeting, items)| Listed { meeting, items })
            .collect();
        let total = if with_total(page.len()) {
            Some(meetings::count_meetings(conn, filter)?)
        } else {
            None
        };
        Ok((page, total))
    })
}

/// `council show`, `council notice`, `minutes`: a meeting's full record, in one snapshot.
pub fn record(store: &Store, id: MeetingId) -> Result<MeetingRecord> {
    store.read(|conn| record::load(conn, id.0))
}

/// `council notice`: the 会议通知, posted once (see `postings`); `render` builds it from the
/// meeting's record (whose `head` is the posting's 记录校验码) and returns its text.
pub fn notice<T>(
    store: &mut Store,
    actor: &Actor,
    id: MeetingId,
    posting: crate::ops::postings::PostingRequest,
    render: impl FnOnce(&MeetingRecord, NaiveDate) -> Result<(String, T)>,
) -> Result<(crate::ops::postings::Posted, T)> {
    use crate::ops::postings::{self, Stamp, Which};
    let which = Which {
        kind: crate::domain::followup::NoticeKind::Meeting,
        meeting_id: Some(id.0),
        issue_id: None,
        zh: format!("{id} 的会议通知"),
        en: format!("the meeting notice of {id}"),
    };
    postings::post(
        store,
        actor,
        &which,
        &posting,
        |w, signed_on| {
            meetings::require(w.conn(), id.0)?;
            Ok(Stamp {
                signed_on,
                start: signed_on,
                end: None,
                anchor: None,
            })
        },
        |_| true,
        |w, stamp| {
            let mut rec = record::load(w.conn(), id.0)?;
            rec.head = stamp.anchor.clone();
            render(&rec, stamp.signed_on)
        },
    )
}

pub struct DecideRequest {
    pub meeting: MeetingId,
    pub issue: IssueId,
    /// Defer, with the reason.
    pub defer: Option<String>,
    /// Raise it to the street instead (上报街道), with the reason.
    pub escalate: Option<String>,
}

/// `council decide`: the secretary decides an agenda item; its outcome follows its motions
/// (adopted when a main motion was adopted), or it is deferred with a reason.
pub fn decide(
    store: &mut Store,
    actor: &Actor,
    req: DecideRequest,
) -> Result<crate::domain::motion::ItemDecision> {
    use crate::domain::motion;
    store.write(actor, |w| {
        let m = super::in_state::open(
            w.conn(),
            req.meeting.0,
            &crate::text!("in_session.items_decided"),
        )?;
        m.ensure_day_reached(actor.local.date(), &crate::text!("step.decision"))?;
        ensure_on_agenda(w.conn(), &m, req.issue.0)?;
        let item = meetings::agenda(w.conn(), m.id)?
            .into_iter()
            .find(|i| i.issue_id == req.issue.0);
        if let Some(done) = item.and_then(|i| i.outcome) {
            return Err(Error::refused_text(
                crate::text!(
                    "council.item_decided",
                    issue = req.issue.0,
                    meeting = m.label()
                )
                .pair("done", done.label(Locale::ZhCn), done.key()),
            ));
        }
        let on_item: Vec<motion::OnItem> = motions::for_meeting(w.conn(), m.id)?
            .iter()
            .filter(|v| v.issue_id == req.issue.0)
            .map(|v| v.on_item())
            .collect();
        let postpone = req.escalate.as_deref().or(req.defer.as_deref());
        let decision =
            match motion::decide_item(req.issue.0, &on_item, postpone).map_err(Refusal)? {
                motion::ItemDecision::Deferred { reason } if req.escalate.is_some() => {
                    motion::ItemDecision::Escalated { reason }
                }
                d => d,
            };
        let issue = issues::require(w.conn(), req.issue.0)?;
        meetings::decide_item(w, &m, &issue, &decision)?;
        follow_decision(w, &m, &issue, &decision)?;
        Ok(decision)
    })
}

/// The issue follows its item's decision: decided (adopted or not), back to accepted when
/// deferred (with the reason), or raised to the street; each a step of the status machine,
/// checked here (store only writes it).
fn follow_decision(
    w: &mut Writer,
    m: &Meeting,
    issue: &Issue,
    decision: &crate::domain::motion::ItemDecision,
) -> Result<()> {
    use crate::domain::motion::ItemDecision;
    use crate::domain::rules::Outcome;
    let to = match decision {
        ItemDecision::Deferred { .. } => Status::Accepted,
        ItemDecision::Escalated { .. } => Status::Escalated,
        ItemDecision::Adopted | ItemDecision::NotAdopted => Status::Decided,
    };
    guards::step(issue, to)?;
    match decision {
        ItemDecision::Deferred { reason } => issues::set_step(
            w,
            issue,
            Status::Accepted,
            Some(&crate::domain::history::HistoryEvent::Deferred { meeting: m.id }),
            Some(reason),
            crate::domain::audit::Action::Deferred,
        ),
        ItemDecision::Escalated { reason } => {
            let raise = crate::store::escalations::Raise {
                to: "街道",
                reason,
                // The meeting's day (starts_at is local "YYYY-MM-DD HH:MM").
                on: &m.starts_at.chars().take(10).collect::<String>(),
                meeting: Some((m.id, m.label())),
            };
            crate::store::escalations::raise(w, issue, &raise).map(|_| ())
        }
        ItemDecision::Adopted => issues::decide(w, issue, Outcome::Adopted, m.id),
        ItemDecision::NotAdopted => issues::decide(w, issue, Outcome::NotAdopted, m.id),
    }
}

pub struct LeaveRequest {
    pub meeting: MeetingId,
    pub name: String,
    /// HH:MM
    pub at: String,
}

/// `council leave`: someone leaves before the end; later votes are counted without them.
pub fn leave(store: &mut Store, actor: &Actor, req: LeaveRequest) -> Result<String> {
    store.write(actor, |w| {
        let m = super::in_state::open(
            w.conn(),
            req.meeting.0,
            &crate::text!("in_session.departures"),
        )?;
        m.ensure_day_reached(actor.local.date(), &crate::text!("step.departure"))?;
        let list = meetings::participants(w.conn(), m.id)?;
        let p = meetings::find_participant(&list, &m, &req.name)?.clone();
        if !p.attendance.counts_as_present() || p.attendance == Attendance::Proxy {
            return Err(Error::refused_text(crate::text!(
                "council.leave_not_present",
                name = &p.name,
                meeting = m.label()
            )));
        }
        if let Some(at) = &p.left_at {
            return Err(Error::refused_text(crate::text!(
                "council.left_already",
                name = &p.name,
                meeting = m.label(),
                at = at
            )));
        }
        let clock = |t: Option<&str>| t.and_then(crate::domain::date::parse_clock);
        let left = clock(Some(&req.at))
            .ok_or_else(|| Error::data_text(crate::text!("meeting.at_not_a_time", at = &req.at)))?;
        meeting::check_departure(
            clock(p.late_at.as_deref()),
            clock(m.opened_at.as_deref()),
            left,
        )?;
        // Votes cast in their presence (theirs, and through the proxies they hold) at or after
        // the departure would contradict it.
        let after: Vec<(String, String, String)> =
            motions::timed_ballots(w.conn(), m.id, &represented_by(&list, &p))?
                .into_iter()
                .filter(|(_, t, _)| *t >= left)
                .map(|(v, t, who)| {
                    let by = list
                        .iter()
                        .find(|x| x.id == who)
                        .map_or("", |x| x.name.as_str());
                    (v.to_string(), t.format("%H:%M").to_string(), by.to_string())
                })
                .collect();
        if !after.is_empty() {
            let zh: Vec<String> = after
                .iter()
                .map(|(v, t, by)| format!("{v}（{t}，{by}）"))
                .collect();
            let en: Vec<String> = after
                .iter()
                .map(|(v, t, by)| format!("{v} at {t} ({by})"))
                .collect();
            return Err(Error::refused_text(
                crate::text!(
                    "council.leave_after_vote",
                    name = &p.name,
                    meeting = m.label(),
                    at = &req.at
                )
                .pair("votes", zh.join("、"), en.join(", ")),
            ));
        }
        meetings::leave(w, &m, &p, &req.at)?;
        Ok(p.name)
    })
}

pub enum SpeechChange {
    Edit { summary: String },
    Withdraw,
}

/// `council speech edit|withdraw`: a correction of a recorded speech, with its reason. The
/// meeting must not be closed (a closed meeting is reopened first).
pub fn correct_speech(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    change: SpeechChange,
    reason: &str,
) -> Result<meetings::Speech> {
    store.write(actor, |w| {
        let (speech, withdrawn) = meetings::require_speech(w.conn(), id)?;
        if let Some(why) = withdrawn {
            return Err(Error::refused_text(crate::text!(
                "speech.withdrawn_already",
                id = id,
                why = why
            )));
        }
        let m = super::in_state::not_closed(w.conn(), speech.meeting_id)?;
        match &change {
            SpeechChange::Edit { summary } => {
                meetings::edit_speech(w, &m, &speech, summary, reason)?
            }
            SpeechChange::Withdraw => meetings::withdraw_speech(w, &m, &speech, reason)?,
        }
        Ok(speech)
    })
}
