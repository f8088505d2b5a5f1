//! Corrections with a trail (issue 14): an issue's title, detail or category; an action's
//! owner and due date; more actions for a resolution. Each keeps the old value and the reason
//! (`record_edits`, the audit log), inside one write transaction.

use crate::domain::Refusal;
use crate::domain::ids::{ActionId, IssueId};
use crate::error::Result;
use crate::store::{Actor, Store, followup, issues, motions};

pub struct IssueEdit {
    pub issue: IssueId,
    pub title: Option<String>,
    pub detail: Option<String>,
    pub category: Option<String>,
    pub reason: String,
}

/// `issue edit`: correct what was recorded of an issue. The minutes of a closed meeting keep
/// the text as it was when the meeting closed.
pub fn edit_issue(store: &mut Store, actor: &Actor, req: IssueEdit) -> Result<()> {
    if req.title.is_none() && req.detail.is_none() && req.category.is_none() {
        return Err(crate::error::Error::usage_text(crate::text!(
            "issue.edit_nothing"
        )));
    }
    store.write(actor, |w| {
        let issue = issues::require(w.conn(), req.issue.0)?;
        issues::edit(
            w,
            &issue,
            req.title.as_deref(),
            req.detail.as_deref(),
            req.category.as_deref(),
            &req.reason,
        )
    })
}

pub struct ActionAdd {
    pub resolution: i64,
    pub text: String,
    pub owner: String,
    pub due: String,
}

/// `action add`: a resolution carried out in several actions, each with its owner and due date.
pub fn add_action(store: &mut Store, actor: &Actor, req: ActionAdd) -> Result<ActionId> {
    store.write(actor, |w| {
        let r = motions::require_resolution(w.conn(), req.resolution)?;
        crate::domain::guards::add_action(&r)?;
        let id = followup::add_action(w, &r, &req.text, &req.owner, &req.due)?;
        Ok(ActionId(id))
    })
}

pub struct ActionEdit {
    pub action: ActionId,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub reason: String,
}

/// `action edit`: a new owner or due date, with the reason; a withdrawn or done action stays.
pub fn edit_action(store: &mut Store, actor: &Actor, req: ActionEdit) -> Result<()> {
    if req.owner.is_none() && req.due.is_none() {
        return Err(crate::error::Error::usage_text(crate::text!(
            "action.edit_nothing"
        )));
    }
    store.write(actor, |w| {
        let a = followup::require_action(w.conn(), req.action.0)?;
        if let Some(why) = &a.withdrawn_reason {
            return Err(Refusal(crate::text!("action.withdrawn", id = a.id, why = why)).into());
        }
        if let Some(done) = &a.done_on {
            return Err(Refusal(crate::text!("action.already_done", id = a.id, on = done)).into());
        }
        followup::edit_action(w, &a, req.owner.as_deref(), req.due.as_deref(), &req.reason)
    })
}
