//! `yishi report`: the figures a community reports, each with its definition.

use super::Ctx;
use std::path::PathBuf;
use yishi_core::domain::date;
use yishi_core::error::{Error, Result};
use yishi_core::render::doc::Format;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  yishi report\n  yishi report --from 2026-01-01 --to 2026-12-31 --json\n  yishi report --html -o 报告.html\n  yishi report --format xlsx -o 报告.xlsx\n  yishi report --lang en --format xlsx -o report.xlsx\n  yishi report --package --period 2026Q2 -o packages/汀塘社区-2026Q2.yishi"
)]
pub struct Args {
    /// Issues raised, meetings held and feedback given on or after this day.
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: Option<String>,
    /// ... and on or before this day.
    #[arg(long, value_name = "YYYY-MM-DD")]
    to: Option<String>,
    /// text, csv, html (one A4 page with bar charts), xlsx (Excel) or json.
    #[arg(long, conflicts_with_all = ["csv", "html"], value_parser = super::values::formats(&["text", "csv", "html", "xlsx", "json"]), hide_possible_values = true)]
    format: Option<String>,
    /// CSV on stdout (or -o): the same as --format csv.
    #[arg(long, conflicts_with = "html")]
    csv: bool,
    /// One self-contained HTML page with bar charts: the same as --format html.
    #[arg(long)]
    html: bool,
    /// Write the report to this file (created owner-only, with its folder) instead of printing it.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Write the period's report package for the street office (`yishi rollup` combines them):
    /// figures with their parts, overdue actions, the record's check code; no personal data.
    #[arg(long, requires = "period", conflicts_with_all = ["format", "csv", "html"])]
    package: bool,
    /// The package's period: 2026Q3, 2026-09, 2026 or 2026-07-01..2026-09-30.
    #[arg(long, value_name = "PERIOD", conflicts_with_all = ["from", "to"])]
    period: Option<String>,
}

/// `report --package --period P`: the package file (or stdout).
fn package(a: &Args, ctx: &mut Ctx) -> Result<()> {
    use yishi_core::domain::package::Period;
    let typed = a.period.as_deref().unwrap_or_default();
    let period = Period::parse(typed).ok_or_else(|| {
        Error::data_text(yishi_core::text!("period.not_a_period", value = typed,))
    })?;
    let community = ctx.config.community.clone();
    let population = ctx.config.population;
    let overwrite = ctx.out.overwrite;
    let store = ctx.store()?;
    let write = |w: &mut dyn WriteSeek| {
        yishi_core::ops::package::write(store, &community, population, &period, w)
    };
    match a.output.as_deref().filter(|p| p.as_os_str() != "-") {
        // Straight into the file (complete or absent, as every document), not held in memory.
        Some(path) => {
            let mut file = yishi_core::outfile::Pending::new(path, overwrite)?;
            let mut w = file.writer();
            write(&mut w)?;
            std::io::Write::flush(&mut w).map_err(|e| yishi_core::outfile::io_error(path, &e))?;
            drop(w);
            file.commit()?;
            ctx.out
                .say(&yishi_core::text!("file.wrote", path = path.display()));
            Ok(())
        }
        None => {
            let mut out = std::io::Cursor::new(Vec::new());
            write(&mut out)?;
            ctx.out.print(&String::from_utf8_lossy(out.get_ref()))
        }
    }
}

/// A file or a buffer: the package's hash is put back at its head once written.
trait WriteSeek: std::io::Write + std::io::Seek {}
impl<T: std::io::Write + std::io::Seek> WriteSeek for T {}

fn day(flag: &str, v: &Option<String>) -> Result<Option<String>> {
    v.as_deref()
        .map(|d| {
            date::parse_date(d)
                .map(|d| d.to_string())
                .ok_or_else(|| super::args::not_a_date(flag, d))
        })
        .transpose()
}

pub fn run(a: Args, ctx: &mut Ctx) -> Result<()> {
    ctx.config.locale = ctx.doc_locale();
    if a.package {
        return package(&a, ctx);
    }
    if a.period.is_some() {
        return Err(Error::usage_text(yishi_core::text!(
            "report.period_without_package"
        )));
    }
    let (from, to) = (day("--from", &a.from)?, day("--to", &a.to)?);
    if let (Some(f), Some(t)) = (&from, &to)
        && f > t
    {
        return Err(Error::data_text(yishi_core::text!(
            "report.from_after_to",
            from = f,
            to = t
        )));
    }
    let format = format(&a, ctx)?;
    let population = ctx.config.population;
    let today = ctx.today().to_string();
    // The resolutions and the data's range go with the documents for print.
    let with_resolutions = matches!(format, Format::Html | Format::Xlsx);
    let done = yishi_core::ops::minutes::report(
        ctx.reader()?,
        yishi_core::ops::minutes::ReportRequest {
            from,
            to,
            population,
            today: today.clone(),
            with_resolutions,
        },
    )?;
    if ctx.config.population.is_none() {
        ctx.out
            .warn_text(&yishi_core::text!("report.no_population"));
    }
    match format {
        Format::Json => json(&a, ctx, &done),
        Format::Html | Format::Xlsx => document(&a, ctx, done, format, &today),
        _ => plain(&a, ctx, &done, format),
    }
}

/// The format asked for: --format, --csv or --html (spellings of --format), else from the
/// extension of -o, else JSON with the global --json, else text.
fn format(a: &Args, ctx: &Ctx) -> Result<Format> {
    let given = match (&a.format, a.csv, a.html) {
        (Some(f), _, _) => Some(f.as_str()),
        (None, true, _) => Some("csv"),
        (None, _, true) => Some("html"),
        (None, false, false) => None,
    };
    Format::resolve(
        given,
        a.output.as_deref(),
        if ctx.out.json {
            Format::Json
        } else {
            Format::Text
        },
        &[
            Format::Text,
            Format::Csv,
            Format::Html,
            Format::Xlsx,
            Format::Json,
        ],
    )
}

/// 四议两公开: decided issues that went through every step (status's addition).
fn cycle_complete(
    done: &yishi_core::ops::minutes::ReportOutcome,
) -> yishi_core::domain::report::Rate {
    let (complete, decided) = done.cycle_complete;
    yishi_core::domain::report::Rate::new(complete, decided)
}

/// `report --json`: the figures, the channel groups of yishi.toml, the 四议两公开 count.
fn json(a: &Args, ctx: &Ctx, done: &yishi_core::ops::minutes::ReportOutcome) -> Result<()> {
    // The channel groups come from [channels] in yishi.toml, beside the stored words.
    #[derive(serde::Serialize)]
    struct WithGroups<'a> {
        #[serde(flatten)]
        report: &'a yishi_core::domain::report::Report,
        issues_by_channel_group: std::collections::BTreeMap<String, u64>,
        /// Decided issues with every step of 四议两公开 done (all decided issues, any date).
        cycle_complete: yishi_core::domain::report::Rate,
    }
    let r = &done.report;
    let mut s = serde_json::to_string_pretty(&WithGroups {
        report: r,
        issues_by_channel_group: ctx.config.channels.group_counts(&r.issues_by_channel),
        cycle_complete: cycle_complete(done),
    })?;
    s.push('\n');
    ctx.out.save(a.output.as_deref(), &s)
}

/// The report for print: one HTML page with bar charts, or a workbook; with the period in
/// the title (the one asked for, else the data's whole range) and the resolutions masked.
fn document(
    a: &Args,
    ctx: &Ctx,
    done: yishi_core::ops::minutes::ReportOutcome,
    format: Format,
    today: &str,
) -> Result<()> {
    let zh = ctx.config.locale == yishi_core::config::Locale::ZhCn;
    let cycle = cycle_complete(&done);
    let r = &done.report;
    let (range, mut resolutions) = (done.range, done.resolutions);
    yishi_core::render::mask::report_resolutions(&mut resolutions, &ctx.out.names);
    let period = match (&r.from, &r.to, &range) {
        (None, None, Some((a, b))) => Some(yishi_core::render::report::period(a, b, zh)),
        (None, None, None) => None,
        (f, t, range) => Some(yishi_core::render::report::period(
            f.as_deref()
                .or(range.as_ref().map(|x| x.0.as_str()))
                .unwrap_or("…"),
            t.as_deref()
                .or(range.as_ref().map(|x| x.1.as_str()))
                .unwrap_or("…"),
            zh,
        )),
    };
    if format == Format::Xlsx {
        let bytes = yishi_core::render::report::xlsx(
            r,
            &ctx.config,
            &cycle,
            period.as_deref(),
            &resolutions,
            today,
            ctx.now.with_timezone(&chrono::Utc),
        )?;
        return ctx.out.save_bytes(a.output.as_deref(), &bytes);
    }
    let html = yishi_core::render::report::html(
        r,
        &ctx.config,
        &cycle,
        period.as_deref(),
        &resolutions,
        today,
    );
    ctx.out.save(a.output.as_deref(), &html)
}

/// The report as text (with the 四议两公开 line) or CSV.
fn plain(
    a: &Args,
    ctx: &Ctx,
    done: &yishi_core::ops::minutes::ReportOutcome,
    format: Format,
) -> Result<()> {
    let r = &done.report;
    let text = if format == Format::Csv {
        yishi_core::render::report::csv(r, &ctx.config, &cycle_complete(done))
    } else {
        let (complete, decided) = done.cycle_complete;
        let mut text = yishi_core::render::report::text(r, &ctx.config);
        text.push_str(&yishi_core::render::status::cycle_line(
            complete,
            decided,
            ctx.config.locale,
        ));
        text
    };
    ctx.out.save(a.output.as_deref(), &text)
}
