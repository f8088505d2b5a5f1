//! `yishi status`: what is due in the council cycle, like `git status`.

use super::Ctx;
use yishi_core::domain::status as rules;
use yishi_core::error::{Error, Result};
use yishi_core::ops::status::{self, Request};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  yishi status\n  yishi status --within 14d\n  yishi status --json --limit 0\n  yishi status --lang en\n\nThresholds (days to screen an issue, to post decisions, to collect feedback...) are in\nthe [reminders] section of yishi.toml; the notice before a meeting is rules.notice_days."
)]
pub struct Args {
    /// Look this far ahead: 7d, 2w, 10 (days) [default: reminders.within_days in yishi.toml].
    #[arg(long, value_name = "DAYS")]
    pub within: Option<String>,
    /// Items shown per step; 0 shows all.
    #[arg(long, default_value_t = 10)]
    pub limit: u32,
}

/// `--within`, else `reminders.within_days`.
pub fn within(ctx: &Ctx, within: Option<&str>) -> Result<u32> {
    match within {
        None => Ok(ctx.config.reminders.within_days),
        Some(w) => rules::parse_within(w)
            .ok_or_else(|| Error::usage_text(yishi_core::text!("value.not_a_period", value = w))),
    }
}

pub fn run(a: Args, ctx: &mut Ctx) -> Result<()> {
    let locale = ctx.doc_locale();
    let req = Request {
        today: ctx.today(),
        within: within(ctx, a.within.as_deref())?,
        limit: a.limit,
    };
    let thresholds = ctx.config.reminders.clone();
    let mut s = status::status(ctx.reader()?, &thresholds, req)?;
    yishi_core::render::mask::status(&mut s, &ctx.out.names);
    if ctx.out.json {
        return ctx.out.json(&s);
    }
    // The renderer cleans stored text itself, so that its colour codes survive.
    ctx.out.print(&yishi_core::render::status::text(
        &s,
        &ctx.config.community,
        locale,
        ctx.out.color,
    ))
}
