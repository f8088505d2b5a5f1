//! Motions and votes: open, amend, cast, recuse, close, correct, show.

use crate::domain::Refusal;
use crate::domain::guards;
use crate::domain::ids::{IssueId, MeetingId, MotionId};
use crate::domain::meeting::{Attendance, Meeting, Participant, Place, quorum_now};
use crate::domain::motion::{self, BallotChange, Choice, MotionKind, MotionResult, VoteMethod};
use crate::domain::rules::{self, Electorate, MajorityRule, Outcome, Tally};
use crate::domain::seat::SeatKind;
use crate::error::{Error, Result};
use crate::i18n::Text;
use crate::store::meetings;
use crate::store::motions::{self, Motion, NewMotion};
use crate::store::record::{self, MotionRecord};
use crate::store::{Actor, Store, issues};
use crate::text;
use chrono::{NaiveTime, Timelike};
use rusqlite::Connection;

/// The motion and its meeting, refusing unless the meeting is in session.
fn motion_in_session(
    conn: &Connection,
    id: MotionId,
    what: &crate::i18n::Text,
) -> Result<(Motion, Meeting)> {
    let motion = motions::require(conn, id.0)?;
    let meeting = super::in_state::open(conn, motion.meeting_id, what)?;
    Ok((motion, meeting))
}

/// The meeting's clock when a motion is put to the vote now: the time of the command on the
/// meeting's day; None when recorded after that day (the clock then is not the meeting's).
/// Refused before the day.
fn vote_time(m: &Meeting, actor: &Actor) -> Result<Option<NaiveTime>> {
    let today = actor.local.date();
    m.ensure_day_reached(today, &crate::text!("step.vote"))?;
    let now = actor.local.time();
    Ok(m.is_on_the_day(today)
        .then(|| NaiveTime::from_hms_opt(now.hour(), now.minute(), 0))
        .flatten())
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

pub struct OpenRequest {
    pub meeting: MeetingId,
    pub issue: IssueId,
    pub text: String,
    /// None: the meeting's rule.
    pub rule: Option<MajorityRule>,
    pub secret: bool,
    /// Main, or supplementary (附加动议) to an adopted main motion.
    pub kind: MotionKind,
    /// When it was put to the vote, recorded after the fact (`--at`); None: now.
    pub at: Option<VoteAt>,
}

/// A voting time given with `vote open --at`: a time on the meeting's day, or with the day.
#[derive(Debug, Clone, Copy)]
pub struct VoteAt {
    pub day: Option<chrono::NaiveDate>,
    pub time: NaiveTime,
}

/// The voting time given with --at, checked against the meeting: on its day, not before its
/// opening, not after its end (a meeting reopened to record a vote it held), and not later
/// than now on the day itself. Who may vote then follows from attendance at that time.
fn given_vote_time(m: &Meeting, actor: &Actor, at: VoteAt) -> Result<NaiveTime> {
    let today = actor.local.date();
    m.ensure_day_reached(today, &crate::text!("step.vote"))?;
    let hhmm = at.time.format("%H:%M").to_string();
    let refuse = |text: crate::i18n::Text| Err(Error::refused_text(text));
    if let (Some(day), Some(set)) = (at.day, m.scheduled_day())
        && day != set
    {
        return refuse(crate::text!(
            "vote.at_other_day",
            meeting = m.label(),
            day = day,
            set = set,
        ));
    }
    let clock = |t: Option<&str>| t.and_then(crate::domain::date::parse_clock);
    if let Some(opened) = clock(m.opened_at.as_deref()).filter(|o| at.time < *o) {
        return refuse(crate::text!(
            "vote.at_before_opening",
            meeting = m.label(),
            at = &hhmm,
            opened = opened.format("%H:%M"),
        ));
    }
    if let Some(ended) = clock(m.ended_at.as_deref()).filter(|e| at.time > *e) {
        return refuse(crate::text!(
            "vote.at_after_end",
            meeting = m.label(),
            at = &hhmm,
            ended = ended.format("%H:%M"),
        ));
    }
    let now = actor.local.time();
    if m.is_on_the_day(today) && at.time > now {
        return refuse(crate::text!(
            "vote.at_later_than_now",
            at = &hhmm,
            now = now.format("%H:%M"),
        ));
    }
    Ok(at.time)
}

pub struct Opened {
    pub motion: MotionId,
    pub issue: IssueId,
    pub rule: MajorityRule,
}

/// `vote open`: a main motion on an agenda issue.
pub fn open(store: &mut Store, actor: &Actor, req: OpenRequest) -> Result<Opened> {
    store.write(actor, |w| {
        let m = super::in_state::open(
            w.conn(),
            req.meeting.0,
            &crate::text!("in_session.motions_voted"),
        )?;
        let voted_at = match req.at {
            Some(at) => Some(given_vote_time(&m, actor, at)?),
            None => vote_time(&m, actor)?,
        };
        let rule = req.rule.unwrap_or(m.rules.majority);
        ensure_on_agenda(w.conn(), &m, req.issue.0)?;
        let issue = issues::require(w.conn(), req.issue.0)?;
        // Several motions may follow one another on an item until the secretary decides it.
        let item = meetings::agenda(w.conn(), m.id)?
            .into_iter()
            .find(|i| i.issue_id == issue.id);
        let on_item: Vec<motion::OnItem> = motions::for_meeting(w.conn(), m.id)?
            .iter()
            .filter(|v| v.issue_id == issue.id)
            .map(|v| v.on_item())
            .collect();
        motion::check_new_motion(issue.id, item.and_then(|i| i.outcome), req.kind, &on_item)
            .map_err(Refusal)?;
        let new = NewMotion {
            issue_id: issue.id,
            amends: None,
            text: &req.text,
            rule,
            secret: req.secret,
            kind: req.kind,
            voted_at,
        };
        let id = motions::open(w, &m, &new)?;
        Ok(Opened {
            motion: MotionId(id),
            issue: req.issue,
            rule,
        })
    })
}

pub struct AmendRequest {
    pub motion: MotionId,
    pub text: String,
    pub rule: Option<MajorityRule>,
    /// When it was put to the vote, recorded after the fact (`--at`); None: now.
    pub at: Option<VoteAt>,
}

pub struct Amended {
    pub amendment: MotionId,
    pub motion: MotionId,
}

/// `vote amend`: an amendment, voted before its motion.
pub fn amend(store: &mut Store, actor: &Actor, req: AmendRequest) -> Result<Amended> {
    store.write(actor, |w| {
        let (parent, m) = motion_in_session(
            w.conn(),
            req.motion,
            &crate::text!("in_session.amendments_voted"),
        )?;
        motion::may_amend(&parent)?;
        let voted_at = match req.at {
            Some(at) => Some(given_vote_time(&m, actor, at)?),
            None => vote_time(&m, actor)?,
        };
        let new = NewMotion {
            issue_id: parent.issue_id,
            amends: Some(parent.id),
            text: &req.text,
            rule: req.rule.unwrap_or(m.rules.majority),
            secret: parent.secret,
            kind: MotionKind::Amendment,
            voted_at,
        };
        let id = motions::open(w, &m, &new)?;
        Ok(Amended {
            amendment: MotionId(id),
            motion: req.motion,
        })
    })
}

/// The votes as given: counts, or names per choice.
pub enum Votes {
    Count(Tally),
    ByName(Vec<(Choice, String)>),
}

pub struct CastRequest {
    pub motion: MotionId,
    pub votes: Votes,
    /// Allow changing a vote already recorded (the change is kept in the log).
    pub change: bool,
}

pub struct Cast {
    pub motion: MotionId,
    pub tally: Tally,
    pub electorate: Electorate,
    pub rule: MajorityRule,
    /// What the result would be if the motion were closed now.
    pub would_be: Outcome,
    /// Votes changed by this call (--change).
    pub changed: Vec<BallotChange>,
    /// Eligible voters present who have not voted yet (roll-call).
    pub not_voted: Vec<String>,
}

/// `vote cast`: record votes by name or as counts. A roll-call accumulates over several calls
/// until `vote close`; each call snapshots who could vote then (the base of the result).
pub fn cast(store: &mut Store, actor: &Actor, req: CastRequest) -> Result<Cast> {
    store.write(actor, |w| {
        let conn = w.conn();
        let (motion, m) =
            motion_in_session(conn, req.motion, &crate::text!("in_session.votes_cast"))?;
        m.ensure_day_reached(actor.local.date(), &crate::text!("step.vote"))?;
        let participants = meetings::participants(conn, m.id)?;
        let recused: Vec<i64> = motions::recusals(conn, motion.id)?
            .iter()
            .map(|r| r.participant_id)
            .collect();
        let places = meetings::places(&participants, &recused);
        let quorum = quorum_now(&places, &m.rules);
        motion::may_cast(&motion, &motions::for_meeting(conn, m.id)?, quorum)?;
        let recorded = motions::recorded_ballots(conn, motion.id)?;
        let seats = Seats {
            participants: &participants,
            places: &places,
            meeting: &m,
            motion: &motion,
        };
        let given = given_votes(&seats, &recorded, &req)?;
        // Everyone who has voted once these votes are in.
        let voted: Vec<i64> = motion::apply_changes(&recorded, &given.changes)
            .iter()
            .map(|(id, _)| *id)
            .collect();
        let (base, el) = electorate(&seats, &voted);
        motion::may_count(&motion, given.tally, el)?;
        motions::cast(
            w,
            &motion,
            &motions::CastVotes {
                tally: given.tally,
                electorate: el,
                electorate_ids: &base,
                method: given.method,
                changes: &given.changes,
                replaced: given.replaced,
            },
        )?;
        let not_voted = match given.method {
            VoteMethod::RollCall => participants
                .iter()
                .filter(|p| base.contains(&p.id) && !voted.contains(&p.id))
                .map(|p| p.name.clone())
                .collect(),
            _ => Vec::new(),
        };
        Ok(Cast {
            motion: req.motion,
            tally: given.tally,
            electorate: el,
            rule: motion.rule,
            would_be: rules::decide(motion.rule, given.tally, el),
            changed: given
                .changes
                .into_iter()
                .filter(|c| c.from.is_some())
                .collect(),
            not_voted,
        })
    })
}

/// Who is invited to the meeting of a motion, and their places (present, recused) for it.
struct Seats<'a> {
    participants: &'a [Participant],
    places: &'a [Place],
    meeting: &'a Meeting,
    motion: &'a motions::Motion,
}

/// The votes of one `vote cast` call, checked against what is recorded.
struct GivenVotes {
    /// The tally once these votes are in.
    tally: Tally,
    /// The roll-call's changes (none for counts).
    changes: Vec<BallotChange>,
    /// The count replaced (`--count ... --change`).
    replaced: Option<Tally>,
    method: VoteMethod,
}

/// The votes as given (counts, or names), refused when they do not fit the motion: counts
/// after names or names after counts, a count given twice without --change, a name that may
/// not vote.
fn given_votes(seats: &Seats, recorded: &[(i64, Choice)], req: &CastRequest) -> Result<GivenVotes> {
    let motion = seats.motion;
    match &req.votes {
        Votes::Count(t) => {
            if motion.method == Some(VoteMethod::RollCall) {
                return Err(Error::refused_text(crate::text!(
                    "vote.count_after_names",
                    motion = motion.label()
                )));
            }
            if let Some(before) = motion.tally.filter(|_| !req.change) {
                return Err(Error::refused_text(crate::text!(
                    "vote.counted_already",
                    motion = motion.label(),
                    before = before
                )));
            }
            Ok(GivenVotes {
                tally: *t,
                changes: Vec::new(),
                replaced: motion.tally,
                method: VoteMethod::Count,
            })
        }
        Votes::ByName(named) => {
            motion::may_vote_by_name(motion)?;
            if motion.method == Some(VoteMethod::Count) {
                return Err(Error::refused_text(crate::text!(
                    "vote.names_after_count",
                    motion = motion.label()
                )));
            }
            let mut given = Vec::new();
            for (choice, name) in named {
                let p = eligible_voter(
                    seats.participants,
                    seats.places,
                    seats.meeting,
                    name,
                    motion,
                )?;
                given.push((p.id, p.name.clone(), *choice));
            }
            if given.is_empty() {
                return Err(Error::usage_text(crate::text!("vote.give_votes")));
            }
            let changes = motion::merge_roll_call(recorded, &given, req.change).map_err(Refusal)?;
            let all = motion::apply_changes(recorded, &changes);
            Ok(GivenVotes {
                tally: motion::tally_of(&all),
                changes,
                replaced: None,
                method: VoteMethod::RollCall,
            })
        }
    }
}

/// The base of the result: the eligible voters on this item present when it was put to the
/// vote (or now), and anyone who already voted (`voted`); with the number invited.
fn electorate(seats: &Seats, voted: &[i64]) -> (Vec<i64>, Electorate) {
    let (m, motion) = (seats.meeting, seats.motion);
    let mut base = Vec::new();
    let mut invited = 0;
    for (p, place) in seats.participants.iter().zip(seats.places) {
        if !votes_here(p, m, motion) || place.recused {
            continue;
        }
        invited += 1;
        let there = match motion.voted_at {
            Some(t) => place.present_at(t),
            None => place.present_now(),
        };
        if there || voted.contains(&p.id) {
            base.push(p.id);
        }
    }
    let el = Electorate {
        present: base.len() as u32,
        invited,
    };
    (base, el)
}

/// Whether this participant's seat votes on this motion's item (stakeholders on their own
/// items under `own-items`).
fn votes_here(p: &Participant, m: &Meeting, motion: &motions::Motion) -> bool {
    p.role
        .votes_on(m.rules.stakeholders_vote, &p.items, motion.issue_id)
}

/// A participant who may vote on this motion now, or a refusal saying why not.
fn eligible_voter<'a>(
    list: &'a [Participant],
    places: &[Place],
    m: &Meeting,
    name: &str,
    motion: &motions::Motion,
) -> Result<&'a Participant> {
    let p = guards::find_participant(list, &m.label(), name).map_err(Error::refused_text)?;
    let recused = list
        .iter()
        .zip(places)
        .any(|(x, place)| x.id == p.id && place.recused);
    may_vote(p, &m.label(), m.rules.stakeholders_vote, &[])?;
    if !votes_here(p, m, motion) {
        let items: Vec<String> = p.items.iter().map(|i| format!("#{i}")).collect();
        let own = if p.items.is_empty() {
            (
                "未受邀讨论任何议程事项".to_string(),
                "invited for no agenda item".to_string(),
            )
        } else {
            (
                format!("受邀讨论 {}", items.join("、")),
                format!("invited for {}", items.join(", ")),
            )
        };
        return Err(Error::refused_text(
            crate::text!(
                "vote.stakeholder_not_own_item",
                name = &p.name,
                issue = motion.issue_id
            )
            .pair("own", own.0, own.1),
        ));
    }
    if recused {
        return Err(Error::refused_text(crate::text!(
            "vote.recused_no_vote",
            name = &p.name
        )));
    }
    let place = list
        .iter()
        .zip(places)
        .find(|(x, _)| x.id == p.id)
        .map(|(_, place)| place);
    if let Some(why) = place.and_then(|place| absent_from_vote(list, p, place, m, motion)) {
        return Err(Refusal(why).into());
    }
    Ok(p)
}

/// Why `p` was not there when `motion` was put to the vote (in person, or through a proxy
/// holder who was there), or None. Without a recorded vote time: whether they are there now.
fn absent_from_vote(
    list: &[Participant],
    p: &Participant,
    place: &Place,
    m: &Meeting,
    motion: &motions::Motion,
) -> Option<Text> {
    let there = match motion.voted_at {
        Some(t) => place.present_at(t),
        None => place.present_now(),
    };
    if there {
        return None;
    }
    // Who was not there: the person, or the holder of their proxy.
    let refusal = text!("vote.absent_at_vote", motion = motion.label());
    let (who, refusal) = match meetings::proxy_holder(list, p) {
        Some(h) if p.attendance == Attendance::Proxy => (
            h,
            refusal.text(
                "via",
                &text!("vote.absent_via_proxy", name = &p.name, holder = &h.name),
            ),
        ),
        _ => (p, refusal.arg("via", &p.name)),
    };
    let fact = match (&who.late_at, &who.left_at) {
        (Some(a), _)
            if place
                .arrived
                .zip(motion.voted_at)
                .is_some_and(|(a, t)| a > t) =>
        {
            text!("vote.absent_arrived", at = a)
        }
        (_, Some(l)) => text!("vote.absent_left", meeting = m.label(), at = l),
        _ => text!("vote.absent_not_there"),
    };
    let refusal = refusal.text("fact", &fact);
    Some(match motion.voted_at {
        Some(t) => refusal.text("when", &text!("vote.absent_when", at = t.format("%H:%M"))),
        None => refusal.arg("when", ""),
    })
}

/// Whether this participant votes: a voting seat, not recused, present or represented.
pub fn may_vote(
    p: &Participant,
    meeting: &str,
    stakeholders_vote: crate::domain::seat::StakeholdersVote,
    recused: &[i64],
) -> Result<(), Refusal> {
    if !p.role.votes(stakeholders_vote) {
        return Err(Refusal(if p.role == SeatKind::Observer {
            text!("vote.observer_no_vote", name = &p.name)
        } else {
            text!("vote.stakeholders_no_vote", name = &p.name)
        }));
    }
    if recused.contains(&p.id) {
        return Err(Refusal(text!("vote.recused_no_vote", name = &p.name)));
    }
    if !p.attendance.counts_as_present() {
        return Err(Refusal(text!(
            "vote.not_present",
            name = &p.name,
            meeting = meeting
        )));
    }
    Ok(())
}

pub struct RecuseRequest {
    pub motion: MotionId,
    pub name: String,
    pub reason: String,
}

pub struct Recused {
    pub motion: MotionId,
    pub name: String,
}

/// `vote recuse`: 回避, recorded before the vote.
pub fn recuse(store: &mut Store, actor: &Actor, req: RecuseRequest) -> Result<Recused> {
    store.write(actor, |w| {
        let (motion, m) =
            motion_in_session(w.conn(), req.motion, &crate::text!("in_session.recusals"))?;
        let list = meetings::participants(w.conn(), m.id)?;
        let p = meetings::find_participant(&list, &m, &req.name)?.clone();
        guards::recuse(&motion)?;
        if !motions::recuse(w, &motion, &p, &req.reason)? {
            return Err(guards::already_recused(&p.name, &motion));
        }
        Ok(Recused {
            motion: req.motion,
            name: p.name,
        })
    })
}

pub struct CloseRequest {
    pub motion: MotionId,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub defer: bool,
}

pub struct Closed {
    pub motion: MotionId,
    pub result: MotionResult,
    /// An adopted main motion: it became the issue's resolution.
    pub resolution: bool,
    /// --owner or --due were given, but the result has no resolution to carry them.
    pub owner_ignored: bool,
    pub owner: Option<String>,
    /// The action that carries out the resolution (where its owner is set later).
    pub action: Option<i64>,
    pub meeting: MeetingId,
    pub issue: IssueId,
    /// What the item needs next, when it is not decided yet.
    pub next: Option<ItemNext>,
}

/// What an undecided agenda item needs after a vote closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemNext {
    /// An adopted main motion and none open: `council close` decides it.
    DecidedAtClose,
    /// The secretary decides it (`council decide`), or puts another motion.
    Decide,
    /// Another motion on the item is still open.
    MotionOpen,
}

/// `vote close`: compute and record the result; an adopted motion becomes the resolution.
pub fn close(store: &mut Store, actor: &Actor, req: CloseRequest) -> Result<Closed> {
    store.write(actor, |w| {
        let (motion, m) = motion_in_session(
            w.conn(),
            req.motion,
            &crate::text!("in_session.motions_closed"),
        )?;
        m.ensure_day_reached(actor.local.date(), &crate::text!("step.vote"))?;
        let (result, el) = motion::closing_result(&motion, req.defer)?;
        let resolution = result == MotionResult::Adopted && motion.amends.is_none();
        let given = req.owner.is_some() || req.due.is_some();
        let keep = |v: &Option<String>| v.as_deref().filter(|_| resolution).map(str::to_string);
        let (owner, due) = (keep(&req.owner), keep(&req.due));
        motions::close(w, &m, &motion, result, el, owner.as_deref(), due.as_deref())?;
        Ok(Closed {
            motion: req.motion,
            result,
            resolution,
            owner_ignored: given && !resolution,
            owner,
            action: crate::store::followup::action_of_motion(w.conn(), motion.id)?,
            meeting: MeetingId(m.id),
            issue: IssueId(motion.issue_id),
            next: item_next(w.conn(), &m, motion.issue_id)?,
        })
    })
}

/// What the item of a just-closed motion needs next (None once it is decided).
fn item_next(conn: &Connection, m: &Meeting, issue: i64) -> Result<Option<ItemNext>> {
    let decided = meetings::agenda(conn, m.id)?
        .iter()
        .any(|i| i.issue_id == issue && i.outcome.is_some());
    if decided {
        return Ok(None);
    }
    let on_item: Vec<motion::OnItem> = motions::for_meeting(conn, m.id)?
        .iter()
        .filter(|v| v.issue_id == issue)
        .map(|v| v.on_item())
        .collect();
    Ok(Some(if on_item.iter().any(|v| !v.closed) {
        ItemNext::MotionOpen
    } else if motion::outcome_is_clear(&on_item) {
        ItemNext::DecidedAtClose
    } else {
        ItemNext::Decide
    }))
}

pub struct CorrectRequest {
    pub motion: MotionId,
    pub tally: Tally,
    pub reason: String,
    /// Needed when the recount turns a failed motion into an adopted one.
    pub owner: Option<String>,
    pub due: Option<String>,
}

pub struct Corrected {
    pub motion: MotionId,
    pub old: Tally,
    pub new: Tally,
    pub result: MotionResult,
    pub effect: motion::RecountEffect,
}

fn outcome_of(r: Option<MotionResult>) -> Outcome {
    match r {
        Some(MotionResult::Adopted) => Outcome::Adopted,
        _ => Outcome::NotAdopted,
    }
}

/// `vote correct`: a recount; the old figures and the reason stay on record. failed → adopted
/// needs an owner and a due date; adopted → failed withdraws the resolution and its open
/// actions. A decided item's outcome follows.
pub fn correct(store: &mut Store, actor: &Actor, req: CorrectRequest) -> Result<Corrected> {
    store.write(actor, |w| {
        let motion = motions::require(w.conn(), req.motion.0)?;
        let m = super::in_state::not_closed(w.conn(), motion.meeting_id)?;
        let result = motion::recount_result(&motion, req.tally)?;
        let effect = motion::recount_effect(
            &motion.label(),
            motion.amends.is_some(),
            outcome_of(motion.result),
            outcome_of(Some(result)),
            req.owner.as_deref(),
            req.due.as_deref(),
        )
        .map_err(Refusal)?;
        // If the item was decided, its outcome follows the recounted motions.
        let item = meetings::agenda(w.conn(), m.id)?
            .into_iter()
            .find(|i| i.issue_id == motion.issue_id);
        let item_outcome = match item.and_then(|i| i.outcome) {
            Some(o) if o != MotionResult::Deferred => {
                let on_item: Vec<motion::OnItem> = motions::for_meeting(w.conn(), m.id)?
                    .iter()
                    .filter(|v| v.issue_id == motion.issue_id)
                    .map(|v| {
                        let mut o = v.on_item();
                        if v.id == motion.id {
                            o.result = Some(outcome_of(Some(result)));
                        }
                        o
                    })
                    .collect();
                motion::decide_item(motion.issue_id, &on_item, None)
                    .map_err(Refusal)?
                    .outcome()
            }
            _ => None,
        };
        // A changed outcome is a recount of the decided issue (store only writes it).
        let issue = issues::require(w.conn(), motion.issue_id)?;
        if item_outcome.is_some_and(|o| issue.outcome != Some(o)) {
            guards::recount(&issue)?;
        }
        motions::correct(
            w,
            &m,
            &motion,
            req.tally,
            result,
            &req.reason,
            &effect,
            item_outcome,
        )?;
        Ok(Corrected {
            motion: req.motion,
            old: motion.tally.unwrap_or_default(),
            new: req.tally,
            result,
            effect,
        })
    })
}

/// `vote show`: one motion with its votes, read in one snapshot.
pub fn show(store: &Store, id: MotionId) -> Result<MotionRecord> {
    store.read(|conn| {
        let motion = motions::require(conn, id.0)?;
        let rec = record::load(conn, motion.meeting_id)?;
        rec.agenda
            .into_iter()
            .flat_map(|i| i.motions)
            .find(|v| v.motion.id == id.0)
            .ok_or_else(|| {
                Error::internal(format!("{} is not on its meeting's agenda", motion.label()))
            })
    })
}
