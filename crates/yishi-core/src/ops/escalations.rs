//! `issue escalate`: raising an issue to the street (上报街道) and recording the street's
//! answer. Each is one transaction; every check happens inside it.

use crate::domain::actor::Actor;
use crate::domain::escalation::{self, Escalation, Then};
use crate::domain::ids::IssueId;
use crate::domain::issue::{Issue, Status};
use crate::error::{Error, Result};
use crate::store::escalations::{self as stored, Raise};
use crate::store::{Store, issues};
use crate::text;

/// What `issue escalate ID --to 街道 --reason TEXT` asks.
pub struct EscalateRequest {
    pub issue: IssueId,
    /// 街道 (as parsed by `escalation::parse_level`).
    pub to: String,
    pub reason: String,
    /// YYYY-MM-DD
    pub on: String,
}

/// Raise an accepted, decided or implementing issue to the street. Returns the issue as it
/// was.
pub fn escalate(store: &mut Store, actor: &Actor, req: EscalateRequest) -> Result<Issue> {
    store.write(actor, |w| {
        let issue = issues::require(w.conn(), req.issue.0)?;
        if let Some(key) = escalation::refusal(issue.status) {
            return Err(Error::refused_text(
                crate::i18n::Text::new(key).arg("id", issue.id).pair(
                    "status",
                    issue.status.label(crate::domain::locale::Locale::ZhCn),
                    issue.status.key(),
                ),
            ));
        }
        ensure_not_before(&issue, &req.on)?;
        let raise = Raise {
            to: &req.to,
            reason: &req.reason,
            on: &req.on,
            meeting: None,
        };
        crate::domain::guards::step(&issue, Status::Escalated)?;
        stored::raise(w, &issue, &raise)?;
        Ok(issue)
    })
}

/// What `issue escalate ID --answer TEXT --date D [--then close|back]` records.
pub struct AnswerRequest {
    pub issue: IssueId,
    pub answer: String,
    /// YYYY-MM-DD
    pub on: String,
    pub then: Then,
}

/// The street's answer to an escalated issue. Returns the raising answered, the issue as it
/// was, and the status it now has.
pub fn answer(
    store: &mut Store,
    actor: &Actor,
    req: AnswerRequest,
) -> Result<(Escalation, Issue, Status)> {
    store.write(actor, |w| {
        let issue = issues::require(w.conn(), req.issue.0)?;
        let open = stored::open_for(w.conn(), issue.id)?
            .filter(|_| issue.status == Status::Escalated)
            .ok_or_else(|| {
                Error::refused_text(text!("escalate.not_waiting", id = issue.id).pair(
                    "status",
                    issue.status.label(crate::domain::locale::Locale::ZhCn),
                    issue.status.key(),
                ))
            })?;
        if req.on.as_str() < open.escalated_on.as_str() {
            return Err(Error::refused_text(text!(
                "escalate.answer_before",
                id = issue.id,
                date = &req.on,
                raised = &open.escalated_on
            )));
        }
        crate::domain::guards::step(&issue, req.then.status(open.from_status))?;
        let to = stored::answer(w, &issue, &open, &req.answer, &req.on, req.then)?;
        Ok((open, issue, to))
    })
}

/// An issue cannot be raised before it was raised by its resident.
fn ensure_not_before(issue: &Issue, on: &str) -> Result<()> {
    if on < issue.raised_on.as_str() {
        return Err(Error::refused_text(text!(
            "escalate.before_raised",
            id = issue.id,
            date = on,
            raised = &issue.raised_on
        )));
    }
    Ok(())
}

/// The raisings of one issue, oldest first (for `issue show`).
pub fn of_issue(store: &Store, issue: IssueId) -> Result<Vec<Escalation>> {
    store.read(|conn| stored::of_issue(conn, issue.0))
}
