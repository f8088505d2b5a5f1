//! `issue reply`: record that the residents who raised an issue were told what became of it at
//! the step it reached last (答复), or draft the words for that step.

use crate::domain::ids::IssueId;
use crate::domain::issue::{Issue, Status};
use crate::domain::reply::{self, Reached, Reply, Via};
use crate::error::{Error, Result};
use crate::store::replies::{self, NewReply};
use crate::store::{Actor, Store, issues, motions};
use crate::text;
use chrono::NaiveDate;
use rusqlite::Connection;

pub struct Request {
    pub issue: IssueId,
    pub via: Via,
    /// The day the residents were told.
    pub on: NaiveDate,
    pub text: Option<String>,
    /// Today: a reply cannot be dated after it.
    pub today: NaiveDate,
}

/// What a reply is about: the issue, the step reached last, and the residents to tell.
pub struct Facts {
    pub issue: Issue,
    pub step: Reached,
    /// The day the step was reached (local).
    pub step_on: NaiveDate,
    /// The submitter first, then those of merged issues, each once.
    pub residents: Vec<String>,
    /// The council's resolutions on the issue (for the 决议 reply).
    pub resolutions: Vec<String>,
    /// The reply already recorded at this step.
    pub replied: Option<Reply>,
}

/// The day of a history timestamp (UTC, RFC 3339) on the secretary's calendar.
fn local_day(at: &str) -> Result<NaiveDate> {
    crate::ops::status::local_day(at)
        .ok_or_else(|| Error::data_text(crate::text!("store.history_time_unreadable", at = at)))
}

/// The facts of a reply, refused when no reply is owed (anonymous, merged, not screened yet).
fn facts(conn: &Connection, id: IssueId) -> Result<Facts> {
    let issue = issues::require(conn, id.0)?;
    if issue.status == Status::Merged {
        return Err(Error::refused_text(text!(
            "reply.merged",
            issue = issue.id,
            into = issue.merged_into.unwrap_or_default()
        )));
    }
    let mut residents: Vec<String> = issue
        .submitted_by
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    for s in issues::co_submitters(conn, issue.id)? {
        let name = s.name.trim().to_string();
        if !name.is_empty() && !residents.contains(&name) {
            residents.push(name);
        }
    }
    if residents.is_empty() {
        return Err(Error::refused_text(text!(
            "reply.anonymous",
            issue = issue.id
        )));
    }
    let history = issues::history(conn, issue.id)?;
    let Some(step) = reply::current(&history) else {
        return Err(Error::refused_text(text!(
            "reply.not_screened",
            issue = issue.id
        )));
    };
    let step_on = local_day(&step.at)?;
    let resolutions = motions::resolutions_of_issue(conn, issue.id)?
        .into_iter()
        .filter(|r| r.withdrawn_reason.is_none())
        .map(|r| r.text)
        .collect();
    let replied = replies::at_step(conn, issue.id, step.step)?;
    Ok(Facts {
        issue,
        step,
        step_on,
        residents,
        resolutions,
        replied,
    })
}

pub struct Replied {
    pub reply: Reply,
    pub facts: Facts,
}

/// `issue reply ID --via ...`: one reply at the step the issue reached last.
pub fn record(store: &mut Store, actor: &Actor, req: &Request) -> Result<Replied> {
    store.write(actor, |w| {
        let f = facts(w.conn(), req.issue)?;
        let step_label = |l| f.step.step.label(l);
        if let Some(done) = &f.replied {
            return Err(Error::refused_text(
                text!("reply.already", issue = f.issue.id, on = done.replied_on,)
                    .pair(
                        "step",
                        step_label(crate::domain::locale::Locale::ZhCn),
                        step_label(crate::domain::locale::Locale::En),
                    )
                    .pair(
                        "via",
                        done.via.label(crate::domain::locale::Locale::ZhCn),
                        done.via.key(),
                    ),
            ));
        }
        if req.on < f.step_on || req.on > req.today {
            return Err(Error::data_text(text!(
                "reply.bad_day",
                on = req.on,
                from = f.step_on,
                today = req.today,
            )));
        }
        let residents = replies::residents(w.conn(), f.issue.id)?;
        let id = replies::insert(
            w,
            &NewReply {
                issue: f.issue.id,
                step: f.step.step,
                via: req.via,
                on: req.on,
                text: req.text.as_deref(),
                residents,
            },
        )?;
        let reply = replies::for_issue(w.conn(), f.issue.id)?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| Error::internal("a reply just written is missing"))?;
        Ok(Replied { reply, facts: f })
    })
}

/// `issue reply ID --draft`: the facts the reply's words are drafted from (the draft is shown
/// even when a reply was recorded: it can be sent again).
pub fn draft(store: &Store, id: IssueId) -> Result<Facts> {
    store.read(|conn| facts(conn, id))
}

/// The replies of one issue (for `issue show`).
pub(crate) fn of_issue(conn: &Connection, id: i64) -> Result<Vec<Reply>> {
    replies::for_issue(conn, id)
}
