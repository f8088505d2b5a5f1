//! `yishi action ...`: carrying out resolutions (落实与督办).

use super::{Ctx, args, paging};
use serde::Serialize;
use yishi_core::config::Locale;
use yishi_core::domain::followup::Action;
use yishi_core::domain::text;
use yishi_core::error::Result;
use yishi_core::ops::followup;
use yishi_core::render::table;

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Resolutions' actions: owner, due date, progress, overdue flag.
    #[command(
        after_help = "Examples:\n  yishi action list\n  yishi action list --overdue --json\n  yishi action list --owner 王建国"
    )]
    List(ListArgs),
    /// Record progress (0–100); the history is kept.
    #[command(
        after_help = "Example:\n  yishi action update A4 --progress 60 --note 墙面粉刷完成，书架已到"
    )]
    Update(UpdateArgs),
    /// Mark done; the issue is completed when all its actions are.
    #[command(after_help = "Example:\n  yishi action done A4 --note 图书角开放")]
    Done(DoneArgs),
    /// One more action carrying out a resolution, with its owner and due date.
    #[command(
        after_help = "Example:\n  yishi action add R1 --owner 李娜 --due 2027-01-31 发起图书募捐"
    )]
    Add(AddArgs),
    /// Change an action's owner or due date; the old values and the reason are kept.
    #[command(
        after_help = "Example:\n  yishi action edit A4 --owner 陈志明 --due 2027-04-30 --reason 王建国调任"
    )]
    Edit(EditArgs),
}

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// The resolution: R1 or 1 (`council show` lists them).
    resolution: String,
    /// What is to be done.
    text: String,
    /// 责任人.
    #[arg(long)]
    owner: String,
    /// 完成时限.
    #[arg(long, value_name = "YYYY-MM-DD")]
    due: String,
}

#[derive(clap::Args, Debug)]
pub struct EditArgs {
    /// The action: A1 or 1.
    action: String,
    /// The new 责任人.
    #[arg(long)]
    owner: Option<String>,
    /// The new 完成时限.
    #[arg(long, value_name = "YYYY-MM-DD")]
    due: Option<String>,
    /// Why it changes (kept with the old values).
    #[arg(long)]
    reason: String,
}

#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// Only actions past their due date and not done.
    #[arg(long)]
    overdue: bool,
    /// Only the actions of this person.
    #[arg(long)]
    owner: Option<String>,
    #[command(flatten)]
    paging: super::paging::PageArgs,
}

#[derive(clap::Args, Debug)]
pub struct UpdateArgs {
    /// The action: A1 or 1.
    action: String,
    /// Progress in percent, 0–100.
    #[arg(long)]
    progress: i64,
    /// What was done, kept in the action's history.
    #[arg(long)]
    note: Option<String>,
    /// The day of the update [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct DoneArgs {
    /// The action: A1 (or 1).
    action: String,
    /// What was done, kept in the action's history.
    #[arg(long)]
    note: Option<String>,
    /// The day it happened (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
}

pub fn run(cmd: Command, ctx: &mut Ctx) -> Result<()> {
    match cmd {
        Command::List(a) => list(a, ctx),
        Command::Update(a) => update(
            ctx,
            &a.action,
            a.progress,
            a.note.as_deref(),
            a.date.as_deref(),
        ),
        Command::Done(a) => update(ctx, &a.action, 100, a.note.as_deref(), a.date.as_deref()),
        Command::Add(a) => add(a, ctx),
        Command::Edit(a) => edit(a, ctx),
    }
}

#[derive(Serialize)]
struct ActionView {
    #[serde(flatten)]
    action: Action,
    overdue: bool,
}

fn list(a: ListArgs, ctx: &mut Ctx) -> Result<()> {
    let today = ctx.today().to_string();
    let owner = a.owner.as_deref().map(str::trim);
    let filter = followup::ActionFilter {
        overdue_on: a.overdue.then_some(today.as_str()),
        owner,
    };
    let window = a.paging.window(ctx.out.json);
    let (page, total) = followup::actions(ctx.reader()?, filter, window.sql(), |shown| {
        window.needs_total(shown as u64)
    })?;
    let views: Vec<ActionView> = page
        .into_iter()
        .map(|mut action| {
            ctx.out.names.mask_opt(&mut action.owner);
            ActionView {
                overdue: action.overdue(&today),
                action,
            }
        })
        .collect();
    if ctx.out.json {
        return ctx.out.json(&views);
    }
    let shown = views.len() as u64;
    let total = total.unwrap_or(window.offset + shown);
    if total == 0 {
        ctx.out.say(&yishi_core::text!("action.none_match"));
        return Ok(());
    }
    let zh = ctx.config.locale == Locale::ZhCn;
    let header: &[&str] = if zh {
        &["编号", "议题", "事项", "责任人", "完成时限", "进度", "状态"]
    } else {
        &["id", "issue", "action", "owner", "due", "progress", "state"]
    };
    let mut t = table::new(header, ctx.out.tty);
    for v in &views {
        let a = &v.action;
        let state = match (&a.done_on, v.overdue, zh) {
            (Some(d), _, true) => format!("{d} 完成"),
            (Some(d), _, false) => format!("done {d}"),
            (None, true, true) => "逾期".into(),
            (None, true, false) => "OVERDUE".into(),
            (None, false, true) => "进行中".into(),
            (None, false, false) => "open".into(),
        };
        table::row(
            &mut t,
            vec![
                format!("A{}", a.id),
                format!("#{}", a.issue_id),
                a.text.clone(),
                a.owner.clone().unwrap_or_default(),
                a.due.clone().unwrap_or_default(),
                format!("{}%", a.progress),
                state,
            ],
        );
    }
    paging::print(&ctx.out, t, window, (shown, total), paging::Listed::Actions)
}

fn update(
    ctx: &mut Ctx,
    typed: &str,
    progress: i64,
    note: Option<&str>,
    day: Option<&str>,
) -> Result<()> {
    let req = followup::UpdateRequest {
        action: args::action_id(typed)?,
        progress,
        note: text::optional(note, |n| text::multi_line("--note", n))?,
        day: match day {
            Some(d) => args::day("--date", d)?,
            None => ctx.today().to_string(),
        },
    };
    let actor = ctx.actor(if progress >= 100 {
        "action done"
    } else {
        "action update"
    });
    let done = followup::update_action(ctx.store()?, &actor, req)?;
    if let Some(before) = done.lowered_from {
        ctx.out.warn_text(&yishi_core::text!(
            "action.progress_down",
            before = before,
            progress = progress
        ));
    }
    ctx.out.say(&if progress >= 100 {
        yishi_core::text!(
            "action.progress_done",
            action = &done.action,
            progress = progress
        )
    } else {
        yishi_core::text!(
            "action.progress",
            action = &done.action,
            progress = progress
        )
    });
    if let Some(status) = done.issue_now {
        let zh = status.label(yishi_core::config::Locale::ZhCn);
        ctx.out.say(
            &yishi_core::text!("action.issue_now", issue = &done.issue).pair(
                "status",
                zh,
                format!("{} ({zh})", status.key()),
            ),
        );
        if status == yishi_core::domain::issue::Status::Completed {
            ctx.out.say(&yishi_core::text!(
                "action.next_result",
                issue = done.issue.0
            ));
        }
    }
    Ok(())
}

fn add(a: AddArgs, ctx: &mut Ctx) -> Result<()> {
    let resolution = text::parse_id(&a.resolution, 'R').ok_or_else(|| {
        yishi_core::error::Error::data_text(yishi_core::text!(
            "action.bad_resolution_id",
            typed = &a.resolution
        ))
    })?;
    let req = yishi_core::ops::corrections::ActionAdd {
        resolution,
        text: text::multi_line("action text", &a.text)?,
        owner: text::name("--owner", &a.owner)?,
        due: super::args::day("--due", &a.due)?,
    };
    let actor = ctx.actor("action add");
    let id = yishi_core::ops::corrections::add_action(ctx.store()?, &actor, req)?;
    ctx.out.say(&yishi_core::text!(
        "action.added",
        id = &id,
        resolution = resolution
    ));
    Ok(())
}

fn edit(a: EditArgs, ctx: &mut Ctx) -> Result<()> {
    let action = super::args::action_id(&a.action)?;
    let req = yishi_core::ops::corrections::ActionEdit {
        action,
        owner: text::optional(a.owner.as_deref(), |n| text::name("--owner", n))?,
        due: a
            .due
            .as_deref()
            .map(|d| super::args::day("--due", d))
            .transpose()?,
        reason: text::single_line("--reason", &a.reason)?,
    };
    let actor = ctx.actor("action edit");
    yishi_core::ops::corrections::edit_action(ctx.store()?, &actor, req)?;
    ctx.out
        .say(&yishi_core::text!("action.changed", action = &action));
    Ok(())
}
