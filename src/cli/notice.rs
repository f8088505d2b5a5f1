//! `yishi notice ...`: 决议公示 (decision notices) and 实施结果公开 (result notices).

use super::Ctx;
use super::args::parse_issue_id;
use super::args::parse_meeting_id;
use crate::config::Locale;
use crate::domain::date;
use crate::domain::meeting::MeetingStatus;
use crate::error::{Error, Result};
use crate::store::followup::{self, Notice};
use crate::store::{issues, meetings, motions};
use std::path::PathBuf;

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// 决议公示: the decisions of a closed meeting, for posting; records the notice period.
    #[command(after_help = "Example:\n  yishi notice decision M1 --days 7 -o 公示.txt")]
    Decision(DecisionArgs),
    /// 实施结果公开: what was done for an issue, when and by whom.
    #[command(after_help = "Example:\n  yishi notice result 12")]
    Result(ResultArgs),
}

#[derive(clap::Args, Debug)]
pub struct DecisionArgs {
    meeting: String,
    /// Days posted [default: rules.public_notice_days of the meeting].
    #[arg(long)]
    days: Option<u32>,
    /// The first day posted [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: Option<String>,
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ResultArgs {
    issue: String,
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(cmd: Command, ctx: &mut Ctx) -> Result<()> {
    match cmd {
        Command::Decision(a) => decision(a, ctx),
        Command::Result(a) => result(a, ctx),
    }
}

fn emit(ctx: &Ctx, text: &str, output: Option<&PathBuf>) -> Result<()> {
    ctx.out
        .save(output.map(PathBuf::as_path), &crate::render::clean(text))
}

fn decision(a: DecisionArgs, ctx: &mut Ctx) -> Result<()> {
    let id = parse_meeting_id(&a.meeting)?;
    ctx.store()?;
    let m = meetings::require(ctx.conn()?, id)?;
    if m.status() != MeetingStatus::Closed {
        return Err(Error::refused(format!(
            "{} is not closed yet: decisions are posted after the meeting (`yishi council close {}`)",
            m.label(),
            m.label()
        )));
    }
    let days = a.days.unwrap_or(m.rules.public_notice_days);
    if days == 0 || days > 90 {
        return Err(Error::data(format!(
            "--days {days} is out of range (1 to 90)"
        )));
    }
    let start = match &a.from {
        Some(d) => date::parse_date(d).ok_or_else(|| {
            Error::data(format!(
                "--from \"{d}\" is not a date ({})",
                date::DATE_HINT
            ))
        })?,
        None => date::today(),
    };
    let end = start + chrono::Days::new(u64::from(days - 1));
    let resolutions = motions::resolutions(ctx.conn()?, Some(id))?;
    let agenda = meetings::agenda(ctx.conn()?, id)?;
    let zh = ctx.config.locale == Locale::ZhCn;
    let community = &ctx.config.community;
    let mut text = String::new();
    if zh {
        text.push_str(&format!(
            "决议公示\n\n{}于{}召开{}，经表决形成以下决议：\n\n",
            community,
            &m.starts_at[..10],
            m.title
        ));
    } else {
        text.push_str(&format!(
            "Notice of decisions\n\n{} held {} on {} and decided:\n\n",
            community,
            m.title,
            &m.starts_at[..10]
        ));
    }
    for (n, r) in resolutions.iter().enumerate() {
        text.push_str(&format!("{}. {}", n + 1, r.text));
        if let Some(o) = &r.owner {
            text.push_str(&if zh {
                format!("（责任人：{o}")
            } else {
                format!(" (owner: {o}")
            });
            if let Some(d) = &r.due {
                text.push_str(&if zh {
                    format!("，完成时限：{d}")
                } else {
                    format!(", due {d}")
                });
            }
            text.push_str(if zh { "）" } else { ")" });
        }
        text.push('\n');
    }
    let others: Vec<_> = agenda
        .iter()
        .filter(|i| i.outcome.as_deref() != Some("adopted"))
        .collect();
    if !others.is_empty() {
        text.push_str(if zh {
            "\n以下议题未形成决议：\n"
        } else {
            "\nNo decision was made on:\n"
        });
        for i in others {
            text.push_str(&format!(
                "- {}（{}）\n",
                i.title,
                crate::render::council::result_label(i.outcome.as_deref(), zh)
            ));
        }
    }
    if zh {
        text.push_str(&format!("\n公示期：{start} 至 {end}（{days}天）。公示期内居民如有异议，请向社区居委会反映。\n\n{community}\n{start}\n"));
    } else {
        text.push_str(&format!("\nPosted from {start} to {end} ({days} days). Residents with objections may raise them with the residents' committee during this period.\n\n{community}\n{start}\n"));
    }
    let notice = Notice {
        id: 0,
        kind: "decision".into(),
        meeting_id: Some(id),
        issue_id: None,
        starts_on: start.to_string(),
        ends_on: Some(end.to_string()),
        text: text.clone(),
    };
    let actor = ctx.actor("notice decision");
    ctx.store()?
        .write(&actor, |w| followup::add_notice(w, &notice))?;
    emit(ctx, &text, a.output.as_ref())
}

fn result(a: ResultArgs, ctx: &mut Ctx) -> Result<()> {
    let id = parse_issue_id(&a.issue)?;
    ctx.store()?;
    let issue = issues::require(ctx.conn()?, id)?;
    let resolutions: Vec<_> = motions::resolutions(ctx.conn()?, None)?
        .into_iter()
        .filter(|r| r.issue_id == id)
        .collect();
    let Some(resolution) = resolutions.last() else {
        return Err(Error::refused(format!(
            "issue #{id} has no resolution: there is no result to publish"
        )));
    };
    let actions = followup::actions_of_issue(ctx.conn()?, id)?;
    let zh = ctx.config.locale == Locale::ZhCn;
    let mut text = String::new();
    text.push_str(if zh {
        "实施结果公开\n\n"
    } else {
        "Results of implementation\n\n"
    });
    text.push_str(&if zh {
        format!("议题：{}\n决议：{}\n\n", issue.title, resolution.text)
    } else {
        format!(
            "Issue: {}\nResolution: {}\n\n",
            issue.title, resolution.text
        )
    });
    for action in &actions {
        let owner = action.owner.as_deref().unwrap_or("—");
        match (&action.done_on, zh) {
            (Some(d), true) => {
                text.push_str(&format!("- {}：{d} 完成，责任人 {owner}\n", action.text))
            }
            (Some(d), false) => {
                text.push_str(&format!("- {}: done on {d} by {owner}\n", action.text))
            }
            (None, true) => text.push_str(&format!(
                "- {}：进行中（{}%），责任人 {owner}\n",
                action.text, action.progress
            )),
            (None, false) => text.push_str(&format!(
                "- {}: in progress ({}%), owner {owner}\n",
                action.text, action.progress
            )),
        }
        for u in followup::updates(ctx.conn()?, action.id)? {
            text.push_str(&format!(
                "    {} {}%{}\n",
                u.on_day,
                u.progress,
                u.note
                    .as_deref()
                    .map(|n| format!(" {n}"))
                    .unwrap_or_default()
            ));
        }
    }
    let completed = issue.status == "completed";
    if !completed {
        ctx.out.warn(&format!(
            "issue #{id} is not completed yet: this notice reports progress"
        ));
    }
    text.push_str(&if zh {
        format!(
            "\n欢迎居民对落实情况进行评议。\n\n{}\n{}\n",
            ctx.config.community,
            date::today()
        )
    } else {
        format!(
            "\nResidents are invited to give their feedback.\n\n{}\n{}\n",
            ctx.config.community,
            date::today()
        )
    });
    let notice = Notice {
        id: 0,
        kind: "result".into(),
        meeting_id: Some(resolution.meeting_id),
        issue_id: Some(id),
        starts_on: date::today().to_string(),
        ends_on: None,
        text: text.clone(),
    };
    let actor = ctx.actor("notice result");
    ctx.store()?
        .write(&actor, |w| followup::add_notice(w, &notice))?;
    emit(ctx, &text, a.output.as_ref())
}
