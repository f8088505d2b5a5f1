//! Motions and votes: open, amend, cast, recuse, close, correct, show.

use crate::domain::Refusal;
use crate::domain::ids::{IssueId, MeetingId, MotionId};
use crate::domain::meeting::{Meeting, Participant, electorate};
use crate::domain::motion::{self, Choice, MotionResult};
use crate::domain::rules::{self, Electorate, MajorityRule, Outcome, Tally};
use crate::domain::seat::SeatKind;
use crate::error::{Error, Result};
use crate::store::meetings;
use crate::store::motions::{self, Motion, NewMotion};
use crate::store::record::{self, MotionRecord};
use crate::store::{Actor, Store, issues};
use rusqlite::Connection;

/// The motion and its meeting, refusing unless the meeting is in session.
fn motion_in_session(conn: &Connection, id: MotionId, what: &str) -> Result<(Motion, Meeting)> {
    let motion = motions::require(conn, id.0)?;
    let meeting = meetings::require(conn, motion.meeting_id)?;
    meeting.ensure_open(what)?;
    Ok((motion, meeting))
}

fn ensure_on_agenda(conn: &Connection, m: &Meeting, issue: i64) -> Result<()> {
    if meetings::agenda(conn, m.id)?
        .iter()
        .any(|i| i.issue_id == issue)
    {
        return Ok(());
    }
    Err(Error::data(format!(
        "issue #{issue} is not on the agenda of {}",
        m.label()
    )))
}

pub struct OpenRequest {
    pub meeting: MeetingId,
    pub issue: IssueId,
    pub text: String,
    /// None: the meeting's rule.
    pub rule: Option<MajorityRule>,
    pub secret: bool,
}

pub struct Opened {
    pub motion: MotionId,
    pub issue: IssueId,
    pub rule: MajorityRule,
}

/// `vote open`: a main motion on an agenda issue.
pub fn open(store: &mut Store, actor: &Actor, req: OpenRequest) -> Result<Opened> {
    store.write(actor, |w| {
        let m = meetings::require(w.conn(), req.meeting.0)?;
        m.ensure_open("motions are voted")?;
        let rule = req.rule.unwrap_or(m.rules.majority);
        ensure_on_agenda(w.conn(), &m, req.issue.0)?;
        let issue = issues::require(w.conn(), req.issue.0)?;
        motion::may_open(
            issue.id,
            &issue.status,
            &motions::for_issue(w.conn(), issue.id)?,
        )?;
        let new = NewMotion {
            issue_id: issue.id,
            amends: None,
            text: &req.text,
            rule,
            secret: req.secret,
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
}

pub struct Amended {
    pub amendment: MotionId,
    pub motion: MotionId,
}

/// `vote amend`: an amendment, voted before its motion.
pub fn amend(store: &mut Store, actor: &Actor, req: AmendRequest) -> Result<Amended> {
    store.write(actor, |w| {
        let (parent, m) = motion_in_session(w.conn(), req.motion, "amendments are voted")?;
        motion::may_amend(&parent)?;
        let new = NewMotion {
            issue_id: parent.issue_id,
            amends: Some(parent.id),
            text: &req.text,
            rule: req.rule.unwrap_or(m.rules.majority),
            secret: parent.secret,
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
}

pub struct Cast {
    pub motion: MotionId,
    pub tally: Tally,
    pub electorate: Electorate,
    pub rule: MajorityRule,
    /// What the result would be if the motion were closed now.
    pub would_be: Outcome,
}

/// `vote cast`: record the votes, by name or as counts.
pub fn cast(store: &mut Store, actor: &Actor, req: CastRequest) -> Result<Cast> {
    store.write(actor, |w| {
        let conn = w.conn();
        let (motion, m) = motion_in_session(conn, req.motion, "votes are cast")?;
        let rec = record::load(conn, m.id)?;
        motion::may_cast(&motion, &motions::for_meeting(conn, m.id)?, rec.quorum)?;
        let recused: Vec<i64> = motions::recusals(conn, motion.id)?
            .iter()
            .map(|r| r.participant_id)
            .collect();
        let participants = meetings::participants(conn, m.id)?;
        let el = electorate(
            &meetings::places(&participants, &recused),
            m.rules.stakeholders_vote,
        );
        let mut ballots: Vec<(i64, Choice)> = Vec::new();
        let tally = match &req.votes {
            Votes::Count(t) => *t,
            Votes::ByName(named) => {
                motion::may_vote_by_name(&motion)?;
                let mut t = Tally::default();
                for (choice, name) in named {
                    let p = eligible_voter(&participants, &m, name, &recused)?;
                    if ballots.iter().any(|(id, _)| *id == p.id) {
                        return Err(Error::refused(format!(
                            "{} is named twice: each votes once",
                            p.name
                        )));
                    }
                    ballots.push((p.id, *choice));
                    match choice {
                        Choice::Yes => t.yes += 1,
                        Choice::No => t.no += 1,
                        Choice::Abstain => t.abstain += 1,
                    }
                }
                if t.total() == 0 {
                    return Err(Error::usage(
                        "give the votes: --yes/--no/--abstain with names, or --count yes:no:abstain",
                    ));
                }
                t
            }
        };
        motion::may_count(&motion, tally, el)?;
        motions::cast(w, &motion, tally, el, &ballots)?;
        Ok(Cast {
            motion: req.motion,
            tally,
            electorate: el,
            rule: motion.rule,
            would_be: rules::decide(motion.rule, tally, el),
        })
    })
}

/// A participant who may vote on this motion now, or a refusal saying why not.
fn eligible_voter<'a>(
    list: &'a [Participant],
    m: &Meeting,
    name: &str,
    recused: &[i64],
) -> Result<&'a Participant> {
    let p = meetings::find_participant(list, m, name).map_err(|e| Error::refused(e.message))?;
    may_vote(p, m.rules.stakeholders_vote, recused)?;
    Ok(p)
}

/// Whether this participant votes: a voting seat, not recused, present or represented.
pub fn may_vote(
    p: &Participant,
    stakeholders_vote: crate::domain::seat::StakeholdersVote,
    recused: &[i64],
) -> Result<(), Refusal> {
    if !p.role.votes(stakeholders_vote) {
        let why = if p.role == SeatKind::Observer {
            "is an observer (列席) and does not vote"
        } else {
            "is a stakeholder, and this meeting's rules say stakeholders do not vote"
        };
        return Err(Refusal(format!("{} {why}", p.name)));
    }
    if recused.contains(&p.id) {
        return Err(Refusal(format!(
            "{} has recused (回避) from this motion and does not vote",
            p.name
        )));
    }
    if !p.attendance.counts_as_present() {
        return Err(Refusal(format!(
            "{} is not present (nor represented by a proxy) and cannot vote",
            p.name
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
        let (motion, m) = motion_in_session(w.conn(), req.motion, "recusals are recorded")?;
        let list = meetings::participants(w.conn(), m.id)?;
        let p = meetings::find_participant(&list, &m, &req.name)?.clone();
        motions::recuse(w, &motion, &p, &req.reason)?;
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
}

/// `vote close`: compute and record the result; an adopted motion becomes the resolution.
pub fn close(store: &mut Store, actor: &Actor, req: CloseRequest) -> Result<Closed> {
    store.write(actor, |w| {
        let (motion, m) = motion_in_session(w.conn(), req.motion, "motions are closed")?;
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
        })
    })
}

pub struct CorrectRequest {
    pub motion: MotionId,
    pub tally: Tally,
    pub reason: String,
}

pub struct Corrected {
    pub motion: MotionId,
    pub old: Tally,
    pub new: Tally,
    pub result: MotionResult,
}

/// `vote correct`: a recount; the old figures and the reason stay on record.
pub fn correct(store: &mut Store, actor: &Actor, req: CorrectRequest) -> Result<Corrected> {
    store.write(actor, |w| {
        let motion = motions::require(w.conn(), req.motion.0)?;
        let m = meetings::require(w.conn(), motion.meeting_id)?;
        m.ensure_not_closed()?;
        let result = motion::recount_result(&motion, req.tally)?;
        motions::correct(w, &m, &motion, req.tally, result, &req.reason)?;
        Ok(Corrected {
            motion: req.motion,
            old: motion.tally.unwrap_or_default(),
            new: req.tally,
            result,
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
