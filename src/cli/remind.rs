//! `yishi remind`: a 督办 message, per owner, of the actions overdue or due soon.

use super::Ctx;
use super::status::within;
use std::path::PathBuf;
use yishi_core::domain::text;
use yishi_core::error::{Error, Result};
use yishi_core::ops::status::{self, RemindRequest};
use yishi_core::render::remind::{self as view, Format};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  yishi remind                       # plain text to paste into the chat group\n  yishi remind --owner 王建国 --within 14d\n  yishi remind --format html -o 督办.html\n  yishi remind --json"
)]
pub struct Args {
    /// Look this far ahead: 7d, 2w, 10 (days) [default: reminders.within_days in yishi.toml].
    #[arg(long, value_name = "DAYS")]
    within: Option<String>,
    /// Only this owner's (责任人) actions.
    #[arg(long, value_name = "NAME")]
    owner: Option<String>,
    /// text (for WeChat), md or html [default: from -o FILE's extension, else text].
    #[arg(long, value_name = "FORMAT", value_parser = super::values::formats(&["text", "md", "html"]), hide_possible_values = true)]
    format: Option<String>,
    /// Write to this file (readable by you only) instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
}

fn format(f: &str) -> Result<Format> {
    match f.to_ascii_lowercase().as_str() {
        "text" | "txt" => Ok(Format::Text),
        "md" | "markdown" => Ok(Format::Markdown),
        "html" => Ok(Format::Html),
        _ => Err(Error::usage_text(yishi_core::text!(
            "value.format_unsupported",
            value = f,
            allowed = "text, md, html"
        ))),
    }
}

pub fn run(a: Args, ctx: &mut Ctx) -> Result<()> {
    let locale = ctx.doc_locale();
    let given = match a.format.as_deref() {
        Some(f) => Some((f, format(f)?)),
        None => None,
    };
    let fmt = yishi_core::render::doc::pick(
        given,
        a.output.as_deref(),
        Format::Text,
        &[
            ("text", Format::Text),
            ("md", Format::Markdown),
            ("html", Format::Html),
        ],
    )?;
    let req = RemindRequest {
        today: ctx.today(),
        within: within(ctx, a.within.as_deref())?,
        owner: text::optional(a.owner.as_deref(), |n| text::name("--owner", n))?,
    };
    let mut r = status::remind(ctx.reader()?, &req)?;
    yishi_core::render::mask::remind(&mut r, &ctx.out.names);
    if ctx.out.json {
        return ctx.out.json(&r);
    }
    if let (Some(owner), true) = (&req.owner, r.owners.is_empty()) {
        ctx.out.note(&format!(
            "nothing is due for {owner} (`yishi action list --owner {owner}` lists all their actions)"
        ));
    }
    let community = &ctx.config.community;
    let doc = match fmt {
        Format::Text => view::text(&r, community, locale),
        Format::Markdown => view::markdown(&r, community, locale),
        Format::Html => view::html(&r, community, locale),
    };
    ctx.out
        .save(a.output.as_deref(), &yishi_core::render::clean(&doc))
}
