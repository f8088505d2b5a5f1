//! `yishi notice ...`: 决议公示 (decision notices) and 实施结果公开 (result notices).

use super::{Ctx, args};
use crate::config::{Config, Locale};
use crate::domain::date;
use crate::error::Result;
use crate::ops::followup;
use chrono::NaiveDate;
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
    /// The meeting whose resolutions are posted: M1 (or 1).
    meeting: String,
    /// Days posted [default: rules.public_notice_days of the meeting].
    #[arg(long)]
    days: Option<u32>,
    /// The first day posted [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: Option<String>,
    /// Write the notice to this file (created owner-only, with its folder) instead of printing it.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ResultArgs {
    /// The issue whose result is posted: 12 or #12.
    issue: String,
    /// Write the notice to this file (created owner-only, with its folder) instead of printing it.
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
    let req = followup::DecisionRequest {
        meeting: args::meeting_id(&a.meeting)?,
        days: a.days,
        start: match &a.from {
            Some(d) => args::date("--from", d)?,
            None => date::today(),
        },
    };
    let actor = ctx.actor("notice decision");
    let (store, config) = ctx.store_and_config()?;
    let text = followup::decision_notice(store, &actor, req, |n| decision_text(n, config))?;
    emit(ctx, &text, a.output.as_ref())
}

fn decision_text(n: &followup::DecisionNotice, config: &Config) -> String {
    let (m, start, end, days) = (&n.meeting, n.start, n.end, n.days);
    let zh = config.locale == Locale::ZhCn;
    let community = &config.community;
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
    for (i, r) in n.resolutions.iter().enumerate() {
        text.push_str(&format!("{}. {}", i + 1, r.text));
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
    let others: Vec<_> = n
        .agenda
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
    text
}

fn result(a: ResultArgs, ctx: &mut Ctx) -> Result<()> {
    let issue = args::issue_id(&a.issue)?;
    let today = date::today();
    let actor = ctx.actor("notice result");
    let (store, config) = ctx.store_and_config()?;
    let (text, completed) = followup::result_notice(store, &actor, issue, today, |n| {
        result_text(n, config, today)
    })?;
    if !completed {
        ctx.out.warn(&format!(
            "issue {issue} is not completed yet: this notice reports progress"
        ));
    }
    emit(ctx, &text, a.output.as_ref())
}

fn result_text(n: &followup::ResultNotice, config: &Config, today: NaiveDate) -> String {
    let (issue, resolution) = (&n.issue, &n.resolution);
    let zh = config.locale == Locale::ZhCn;
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
    for (action, updates) in &n.actions {
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
        for u in updates {
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
    text.push_str(&if zh {
        format!(
            "\n欢迎居民对落实情况进行评议。\n\n{}\n{today}\n",
            config.community
        )
    } else {
        format!(
            "\nResidents are invited to give their feedback.\n\n{}\n{today}\n",
            config.community
        )
    });
    text
}
