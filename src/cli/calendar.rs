//! `yishi calendar`: the council's dates as an iCalendar (.ics) file to import into a phone.

use super::Ctx;
use std::path::PathBuf;
use yishi_core::error::Result;
use yishi_core::ops::status;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  yishi calendar -o 议事日历.ics\n  yishi calendar --lang en -o council.ics\n\nMeetings (with place and agenda), the last day to post each meeting notice, 公示 periods,\nresult notices and action due dates. Every event keeps its UID when the file is made again,\nso importing the new file updates the events instead of adding copies."
)]
pub struct Args {
    /// Write to this file (readable by you only) instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(a: Args, ctx: &mut Ctx) -> Result<()> {
    yishi_core::render::doc::check_named(a.output.as_deref(), "ics")?;
    let locale = ctx.doc_locale();
    let mut facts = status::calendar(ctx.reader()?)?;
    yishi_core::render::mask::calendar(&mut facts, &ctx.out.names);
    let stamp = ctx.now.with_timezone(&chrono::Utc);
    // The council's zone is this machine's (as for every time yishi records).
    let ics = yishi_core::render::calendar::ics(
        &facts,
        &ctx.config.community,
        locale,
        stamp,
        &chrono::Local,
    );
    ctx.out.save(a.output.as_deref(), &ics)
}
