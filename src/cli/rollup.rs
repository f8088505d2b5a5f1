//! `yishi rollup`: the street office combines the report packages of its communities.

use std::path::PathBuf;
use yishi_core::domain::locale::Locale;
use yishi_core::domain::package::Period;
use yishi_core::error::{Error, Result};
use yishi_core::render::Output;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  yishi rollup packages/ --period 2026Q2\n  yishi rollup packages/汀塘社区-2026Q2.yishi --period 2026Q2 --json\n\nReads report packages only (made by `yishi report --package`), no database: the street never\nholds residents' contacts. Rates are computed from the summed parts, never averaged."
)]
pub struct Args {
    /// Package files (*.yishi) or folders that hold them.
    #[arg(required = true, value_name = "PACKAGE")]
    packages: Vec<PathBuf>,
    /// The period to combine: 2026Q3, 2026-09, 2026 or 2026-07-01..2026-09-30.
    #[arg(long, value_name = "PERIOD")]
    period: String,
    /// text (a table and notes) or csv [default: text; --json for JSON].
    #[arg(long, default_value = "text", value_parser = super::values::formats(&["text", "csv"]), hide_possible_values = true)]
    format: String,
    /// Write to this file instead of printing.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(a: Args, out: &Output, lang: Locale) -> Result<()> {
    let period = Period::parse(&a.period).ok_or_else(|| {
        Error::data(format!(
            "--period \"{}\" is not a period ({})",
            a.period,
            Period::HINT
        ))
    })?;
    let r = yishi_core::ops::rollup::rollup(&a.packages, &period)?;
    if out.json {
        let mut s = serde_json::to_string_pretty(&r)?;
        s.push('\n');
        return out.save(a.output.as_deref(), &s);
    }
    let table = yishi_core::render::rollup::table(&r, lang, out.tty && a.output.is_none());
    match a.format.as_str() {
        "text" => {
            let shown = if out.tty && a.output.is_none() {
                format!("{table}\n")
            } else {
                yishi_core::render::table::tsv(&table)
            };
            let notes = yishi_core::render::rollup::notes(&r, lang);
            out.save(a.output.as_deref(), &format!("{shown}\n{notes}"))
        }
        "csv" => {
            let mut buf = String::from("\u{feff}");
            buf.push_str(&yishi_core::render::table::tsv(&table).replace('\t', ","));
            out.save(a.output.as_deref(), &buf)
        }
        other => Err(Error::usage(format!(
            "--format \"{other}\" is not supported for rollup (text, csv; --json for JSON)"
        ))),
    }
}
