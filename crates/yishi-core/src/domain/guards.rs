//! The council's rules for writes on issues, actions, recusals and feedback: each takes the
//! values the store read (inside the write's transaction) and says whether the step is
//! allowed, or refuses it with what to do instead. The store only reads and writes; the
//! operation calls these between the two. Pure: no I/O.

use crate::domain::followup::Action;
use crate::domain::issue::{Issue, Status};
use crate::domain::locale::Locale;
use crate::domain::meeting::Participant;
use crate::domain::motion::{Motion, MotionStatus, Resolution};
use crate::error::{Error, Result};
use crate::i18n::Text;
use crate::text;

/// An issue's status as an argument of a message: its Chinese word, its English key.
fn status_arg(t: Text, status: Status) -> Text {
    t.pair("status", status.label(Locale::ZhCn), status.key())
}

/// An issue may move from its status to `to` (the status machine).
pub fn step(issue: &Issue, to: Status) -> Result<()> {
    issue
        .status
        .check_step(to)
        .map_err(|why| Error::refused_text(Status::refusal(issue.id, to, &why)))
}

/// A recount may change the outcome of a decided issue only.
pub fn recount(issue: &Issue) -> Result<()> {
    if issue.status != Status::Decided {
        return Err(Error::refused_text(status_arg(
            text!("issue.recount_too_late", id = issue.id),
            issue.status,
        )));
    }
    Ok(())
}

/// `dup` may be merged into `into`: not into itself, `dup` may become merged, and `into`
/// is still open.
pub fn merge(dup: &Issue, into: &Issue) -> Result<()> {
    if dup.id == into.id {
        return Err(Error::data_text(text!(
            "issue.merge_into_itself",
            id = dup.id
        )));
    }
    step(dup, Status::Merged)?;
    if matches!(into.status, Status::Rejected | Status::Merged) {
        let further = into.merged_into.map_or_else(
            || Text::new("issue.merge_open_instead"),
            |m| text!("issue.merge_into_merged", into = m),
        );
        return Err(Error::refused_text(
            status_arg(text!("issue.merge_into_closed", id = into.id), into.status)
                .text("further", &further),
        ));
    }
    Ok(())
}

/// A pre-consultation is for issues still to be decided.
pub fn consult(issue: &Issue) -> Result<()> {
    let status = issue.status;
    if matches!(
        status,
        Status::Rejected | Status::Merged | Status::Completed
    ) {
        return Err(Error::refused_text(status_arg(
            text!("issue.consult_closed", id = issue.id),
            status,
        )));
    }
    Ok(())
}

/// A stakeholder is listed once per issue.
pub fn stakeholder_already_listed(name: &str, issue_id: i64) -> Error {
    Error::refused_text(text!(
        "issue.stakeholder_already",
        name = name,
        id = issue_id
    ))
}

/// Feedback (评议) is given on decided issues and their results.
pub fn feedback(issue: &Issue) -> Result<()> {
    match issue.status {
        Status::Decided | Status::Implementing | Status::Completed => Ok(()),
        s => Err(Error::refused_text(status_arg(
            text!("feedback.undecided_issue", id = issue.id),
            s,
        ))),
    }
}

/// A withdrawn resolution takes no more actions.
pub fn add_action(resolution: &Resolution) -> Result<()> {
    if let Some(why) = &resolution.withdrawn_reason {
        return Err(Error::refused_text(crate::text!(
            "action.resolution_withdrawn",
            id = resolution.id,
            why = why
        )));
    }
    Ok(())
}

/// Progress is recorded on an action still being carried out.
pub fn update_action(a: &Action) -> Result<()> {
    if let Some(why) = &a.withdrawn_reason {
        return Err(Error::refused_text(crate::text!(
            "action.withdrawn",
            id = a.id,
            why = why
        )));
    }
    if a.done_on.is_some() {
        return Err(Error::refused_text(crate::text!(
            "action.already_done",
            id = a.id,
            on = a.done_on.as_deref().unwrap_or("")
        )));
    }
    Ok(())
}

/// A recusal is recorded before the vote.
pub fn recuse(motion: &Motion) -> Result<()> {
    if motion.status != MotionStatus::Open {
        return Err(Error::refused_text(text!(
            "vote.recuse_after_vote",
            motion = motion.label()
        )));
    }
    Ok(())
}

/// A participant recuses once from a motion.
pub fn already_recused(name: &str, motion: &Motion) -> Error {
    Error::refused_text(text!(
        "vote.recused_already",
        name = name,
        motion = motion.label()
    ))
}

/// Whom `typed` names among a meeting's invitations (`label`: "M3"): a name as invited, or
/// `#id` of a member. Otherwise why not, with the names close to it or how to invite; the
/// caller says whether that is bad input (naming a participant) or a refusal (a vote).
pub fn find_participant<'a>(
    list: &'a [Participant],
    label: &str,
    typed: &str,
) -> std::result::Result<&'a Participant, Text> {
    let typed = typed.trim();
    let by_member = crate::domain::text::parse_id(typed, '#').filter(|_| typed.starts_with('#'));
    let found = list.iter().find(|p| match by_member {
        Some(id) => p.member_id == Some(id),
        None => p.name == typed,
    });
    found.ok_or_else(|| {
        let close: Vec<&str> = list
            .iter()
            .filter(|p| crate::domain::text::similar(typed, &p.name))
            .map(|p| p.name.as_str())
            .take(3)
            .collect();
        let t = text!("council.not_invited", typed = typed, meeting = label);
        if close.is_empty() {
            t.text(
                "hint",
                &text!("council.not_invited_invite", meeting = label),
            )
        } else {
            let names = text!("council.not_invited_did_you_mean", meeting = label).pair(
                "names",
                close.join("、"),
                close.join(", "),
            );
            t.text("hint", &names)
        }
    })
}

/// A name is invited once to a meeting (`meeting_id`); `invited`: the names invited so far.
pub fn invite_once<'a>(
    mut invited: impl Iterator<Item = &'a str>,
    name: &str,
    meeting_id: i64,
) -> Result<()> {
    if invited.any(|n| n == name) {
        return Err(Error::refused_text(text!(
            "council.invited_already",
            name = name,
            meeting = format!("M{meeting_id}")
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_name_is_invited_once() {
        let invited = ["王建国", "李娜"];
        assert!(super::invite_once(invited.into_iter(), "张伟", 3).is_ok());
        let e = super::invite_once(invited.into_iter(), "李娜", 3).unwrap_err();
        assert_eq!(e.message, "李娜 is already invited to M3");
        assert_eq!(e.exit_code(), crate::error::EXIT_REFUSED);
    }
}
