//! `yishi issue reply`: tell the residents who raised an issue what became of it (答复), or
//! draft the words for the step it reached.

use super::Ctx;
use yishi_core::domain::ids::IssueId;
use yishi_core::domain::locale::Locale;
use yishi_core::domain::reply::Via;
use yishi_core::error::{Error, Result};
use yishi_core::ops::replies as reply_ops;
use yishi_core::render::doc::{Format, Rendered};
use yishi_core::text;

#[derive(clap::Args, Debug)]
pub struct ReplyArgs {
    /// The issue: 12 or #12.
    id: String,
    /// How the residents were told: 电话|phone, 微信|wechat, 当面|in-person, 短信|sms, 书面|letter.
    #[arg(long, required_unless_present = "draft")]
    via: Option<String>,
    /// What was said, in short (kept with the reply).
    #[arg(long, conflicts_with = "draft")]
    text: Option<String>,
    /// The day they were told [default: today].
    #[arg(long, value_name = "YYYY-MM-DD", conflicts_with = "draft")]
    at: Option<String>,
    /// Print the words of the reply for the issue's current step (受理, 不予受理 with the
    /// reason, 决议, 结果), ready to paste; residents' names masked unless --show-contacts.
    #[arg(long, conflicts_with = "via")]
    draft: bool,
    /// With --draft: text (to paste) or docx (答复单, a Word reply slip to print and sign)
    /// [default: from -o FILE's extension, else text].
    #[arg(long, conflicts_with = "via", value_parser = super::values::formats(&["text", "docx"]), hide_possible_values = true)]
    format: Option<String>,
    /// With --draft: write the reply to this file instead of printing it.
    #[arg(short = 'o', long, value_name = "FILE", conflicts_with = "via")]
    output: Option<std::path::PathBuf>,
}

pub fn run(a: ReplyArgs, ctx: &mut Ctx) -> Result<()> {
    let id = IssueId(super::args::parse_issue_id(&a.id)?);
    if a.draft {
        let format = Format::resolve(
            a.format.as_deref(),
            a.output.as_deref(),
            Format::Text,
            &[Format::Text, Format::Docx],
        )?;
        return draft(id, format, a.output.as_deref(), ctx);
    }
    let typed = a.via.unwrap_or_default();
    let via = Via::parse(&typed).ok_or_else(|| {
        Error::usage_text(text!("reply.bad_via", via = &typed, allowed = Via::words()))
    })?;
    let text = yishi_core::domain::text::optional(a.text.as_deref(), |t| {
        yishi_core::domain::text::multi_line("--text", t)
    })?;
    let on = match &a.at {
        Some(d) => super::args::date("--at", d)?,
        None => ctx.today(),
    };
    let req = reply_ops::Request {
        issue: id,
        via,
        on,
        text,
        today: ctx.today(),
    };
    let actor = ctx.actor("issue reply");
    let done = reply_ops::record(ctx.store()?, &actor, &req)?;
    let who = names(ctx, &done.facts.residents);
    let step = done.reply.step;
    ctx.out.say(
        &text!(
            "reply.recorded",
            issue = done.facts.issue.id,
            title = &done.facts.issue.title,
            on = done.reply.replied_on,
        )
        .pair("step", step.label(Locale::ZhCn), step.label(Locale::En))
        .pair("via", via.label(Locale::ZhCn), via.key())
        .pair("who", who.join("、"), who.join(", ")),
    );
    Ok(())
}

fn names(ctx: &Ctx, residents: &[String]) -> Vec<String> {
    residents
        .iter()
        .map(|n| ctx.out.resident(Some(n)))
        .collect()
}

fn draft(
    id: IssueId,
    format: Format,
    output: Option<&std::path::Path>,
    ctx: &mut Ctx,
) -> Result<()> {
    let locale = ctx.doc_locale();
    let mut facts = reply_ops::draft(ctx.reader()?, id)?;
    facts.residents = names(ctx, &facts.residents);
    let rendered = if format == Format::Docx {
        Rendered::Bytes(yishi_core::render::reply::slip(
            &facts,
            &ctx.config,
            locale,
            ctx.today(),
            false,
        )?)
    } else {
        let words = yishi_core::render::reply::draft(&facts, &ctx.config, locale);
        Rendered::Text(yishi_core::render::clean(&words))
    };
    ctx.out.save_rendered(output, &rendered)
}
