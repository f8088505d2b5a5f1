//! `yishi rollup`: the street office combines the report packages of its communities.

use std::path::PathBuf;
use yishi_core::domain::locale::Locale;
use yishi_core::domain::package::Period;
use yishi_core::error::{Error, Result};
use yishi_core::render::Output;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  yishi rollup packages/ --period 2026Q2\n  yishi rollup packages/汀塘社区-2026Q2.yishi --period 2026Q2 --json\n  yishi rollup packages/ --period 2026Q2 --street 汀塘街道办事处 -o 街道汇总.xlsx\n\nReads report packages only (made by `yishi report --package`), no database: the street never\nholds residents' contacts. Rates are computed from the summed parts, never averaged."
)]
pub struct Args {
    /// Package files (*.yishi) or folders that hold them.
    #[arg(required = true, value_name = "PACKAGE")]
    packages: Vec<PathBuf>,
    /// The period to combine: 2026Q3, 2026-09, 2026 or 2026-07-01..2026-09-30.
    #[arg(long, value_name = "PERIOD")]
    period: String,
    /// text (a table and notes), csv or xlsx (the street's workbook, A4) [default: text, or
    /// from the extension of -o; --json for JSON].
    #[arg(long, value_parser = super::values::formats(&["text", "csv", "xlsx"]), hide_possible_values = true)]
    format: Option<String>,
    /// Write to this file instead of printing.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The street office's name, on top of the workbook [default: 街道办事处].
    #[arg(long, value_name = "NAME")]
    street: Option<String>,
}

pub fn run(
    a: Args,
    out: &Output,
    lang: Locale,
    now: chrono::DateTime<chrono::Local>,
) -> Result<()> {
    let period = Period::parse(&a.period).ok_or_else(|| {
        Error::data_text(yishi_core::text!("period.not_a_period", value = &a.period,))
    })?;
    let r = yishi_core::ops::rollup::rollup(&a.packages, &period)?;
    if out.json {
        let mut s = serde_json::to_string_pretty(&r)?;
        s.push('\n');
        return out.save(a.output.as_deref(), &s);
    }
    let by_extension = a
        .output
        .as_deref()
        .and_then(|o| o.extension())
        .is_some_and(|x| x.eq_ignore_ascii_case("xlsx"));
    let format = a
        .format
        .clone()
        .unwrap_or_else(|| if by_extension { "xlsx" } else { "text" }.into());
    if format == "xlsx" {
        if a.output.is_none() && out.tty {
            return Err(Error::usage_text(yishi_core::text!(
                "rollup.xlsx_needs_file"
            )));
        }
        let street = match &a.street {
            Some(s) => yishi_core::domain::text::single_line("--street", s)?,
            None => lang.pick("街道办事处", "Street office").to_string(),
        };
        let made = yishi_core::render::rollup_xlsx::Made {
            street: &street,
            day: now.date_naive().to_string(),
            created: now.with_timezone(&chrono::Utc),
        };
        let bytes = yishi_core::render::rollup_xlsx::workbook(&r, lang, &made)?;
        return out.save_bytes(a.output.as_deref(), &bytes);
    }
    let table = yishi_core::render::rollup::table(&r, lang, out.tty && a.output.is_none());
    match format.as_str() {
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
        other => Err(Error::usage_text(yishi_core::text!(
            "rollup.unknown_format",
            value = other
        ))),
    }
}
