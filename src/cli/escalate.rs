//! `yishi issue escalate`: raise an issue to the street (上报街道), or record the street's
//! answer.

use super::Ctx;
use super::args::{day as parse_day, parse_issue_id};
use super::issue::EscalateArgs;
use yishi_core::config::Locale;
use yishi_core::domain::escalation::{self, Then, days_waiting, level_label};
use yishi_core::domain::ids::IssueId;
use yishi_core::domain::issue::Status;
use yishi_core::domain::text;
use yishi_core::error::{Error, Result};
use yishi_core::ops::escalations as ops;
use yishi_core::text;

pub fn run(a: EscalateArgs, ctx: &mut Ctx) -> Result<()> {
    let id = IssueId(parse_issue_id(&a.id)?);
    match (&a.to, &a.answer) {
        (Some(to), None) => raise(ctx, id, to, &a),
        (None, Some(answer)) => answer_of(ctx, id, answer, &a),
        _ => Err(Error::usage_text(text!("escalate.usage"))),
    }
}

fn raise(ctx: &mut Ctx, id: IssueId, to: &str, a: &EscalateArgs) -> Result<()> {
    let level = escalation::parse_level(to)
        .ok_or_else(|| Error::data_text(text!("escalate.bad_level", value = to)))?;
    let reason = match &a.reason {
        Some(r) => text::multi_line("--reason", r)?,
        None => return Err(Error::usage_text(text!("escalate.usage"))),
    };
    let on = match &a.date {
        Some(d) => not_after_today(ctx, parse_day("--date", d)?)?,
        None => ctx.today().to_string(),
    };
    let actor = ctx.actor("issue escalate");
    let req = ops::EscalateRequest {
        issue: id,
        to: level.to_string(),
        reason: reason.clone(),
        on: on.clone(),
    };
    let issue = ops::escalate(ctx.store()?, &actor, req)?;
    ctx.out.say(
        &text!(
            "escalate.done",
            id = id.0,
            title = &issue.title,
            date = &on,
            reason = &reason
        )
        .pair("to", level, level_label(level, Locale::En)),
    );
    Ok(())
}

fn answer_of(ctx: &mut Ctx, id: IssueId, answer: &str, a: &EscalateArgs) -> Result<()> {
    let answer = text::multi_line("--answer", answer)?;
    let on = match &a.date {
        Some(d) => not_after_today(ctx, parse_day("--date", d)?)?,
        None => return Err(Error::usage_text(text!("escalate.usage"))),
    };
    let then = match a.then.as_deref() {
        None => Then::Back,
        Some(t) => {
            Then::parse(t).ok_or_else(|| Error::data_text(text!("escalate.bad_then", value = t)))?
        }
    };
    let actor = ctx.actor("issue escalate");
    let req = ops::AnswerRequest {
        issue: id,
        answer,
        on: on.clone(),
        then,
    };
    let (raised, issue, now): (_, _, Status) = ops::answer(ctx.store()?, &actor, req)?;
    let day = on.parse().unwrap_or_else(|_| ctx.today());
    ctx.out.say(
        &text!(
            "escalate.answered",
            id = id.0,
            title = &issue.title,
            date = &on,
            days = days_waiting(&raised.escalated_on, day)
        )
        .pair("to", &raised.to, level_label(&raised.to, Locale::En))
        .pair(
            "status",
            now.label(Locale::ZhCn),
            format!("{} ({})", now.key(), now.label(Locale::ZhCn)),
        ),
    );
    Ok(())
}

/// A raising or an answer is recorded once it happened: a day after today is a typing error.
fn not_after_today(ctx: &Ctx, day: String) -> Result<String> {
    let today = ctx.today().to_string();
    if day > today {
        return Err(Error::data_text(text!(
            "escalate.future",
            date = &day,
            today = &today
        )));
    }
    Ok(day)
}
