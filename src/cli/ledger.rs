//! `yishi ledger`: the year's 台账 as an Excel workbook.

use super::Ctx;
use std::path::PathBuf;
use yishi_core::error::{Error, Result};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  yishi ledger --year 2026 -o 台账.xlsx\n  yishi ledger --year 2026 --lang en -o ledger-2026.xlsx --show-contacts"
)]
pub struct Args {
    /// The calendar year: issues raised, meetings held (with their resolutions and actions) and
    /// feedback given in it.
    #[arg(long, value_parser = clap::value_parser!(i32).range(2000..=2200))]
    year: i32,
    /// The workbook to write (.xlsx).
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(a: Args, ctx: &mut Ctx) -> Result<()> {
    yishi_core::render::doc::check_named(a.output.as_deref(), "xlsx")?;
    let locale = ctx.doc_locale();
    if a.output.is_none() && ctx.out.tty {
        return Err(Error::usage_text(yishi_core::text!("ledger.needs_output")));
    }
    let mut ledger = yishi_core::ops::archive::ledger(ctx.reader()?, a.year)?;
    yishi_core::render::mask::ledger(&mut ledger, &ctx.out.names);
    let bytes = yishi_core::render::ledger::workbook(
        &ledger,
        &ctx.config,
        locale,
        &ctx.out,
        a.year,
        ctx.today(),
        ctx.now.with_timezone(&chrono::Utc),
    )?;
    ctx.out.save_bytes(a.output.as_deref(), &bytes)
}
