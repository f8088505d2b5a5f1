//! `yishi issue import`: stream a CSV into one transaction.
//!
//! Atomic by default: every row is validated; rows are inserted as they are read (so a million
//! rows never sit in memory), and if any row is bad the transaction is rolled back and every
//! bad row reported. Idempotent: a row whose fingerprint is already stored is skipped.

use super::Ctx;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;
use yishi_core::domain::date;
use yishi_core::domain::locale::Locale;
use yishi_core::error::Result;
use yishi_core::import::rejects::Rejects;
use yishi_core::import::{ErrorList, Source, issues as rows};
use yishi_core::ops::import::{self as import_ops, HINT_LIMIT, Load, Loaded, Progress};
use yishi_core::render::count;
use yishi_core::text;

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The CSV file, or - for standard input.
    file: PathBuf,
    #[command(flatten)]
    csv: super::args::CsvArgs,
    /// Channel for rows without one.
    #[arg(long, value_parser = super::values::channels(), hide_possible_values = true)]
    channel: Option<String>,
    /// Date for rows without one [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
    /// Check everything and report what would be imported, changing nothing.
    #[arg(long)]
    dry_run: bool,
    /// Import the good rows and write the bad ones to --rejects.
    #[arg(long, requires = "rejects")]
    skip_invalid: bool,
    /// Where --skip-invalid writes the bad rows, with a reason column.
    #[arg(long, value_name = "FILE")]
    rejects: Option<PathBuf>,
    /// Do not look for open issues that the imported ones duplicate.
    #[arg(long)]
    no_hints: bool,
}

#[derive(serde::Serialize)]
struct Summary {
    source: String,
    encoding: &'static str,
    rows: u64,
    imported: u64,
    already_present: u64,
    rejected: u64,
    dry_run: bool,
    seconds: f64,
    /// Survey metadata and --ignore-unknown columns that were read past.
    not_imported: Vec<String>,
}

/// The rejects file of every import (`--skip-invalid --rejects FILE`): the file's header and
/// a reason column.
pub(super) fn rejects_file(
    ctx: &Ctx,
    source: &Source,
    skip_invalid: bool,
    path: Option<PathBuf>,
) -> Result<Option<Rejects>> {
    Ok(match (skip_invalid, path) {
        (true, Some(path)) => Some(Rejects::create(
            path,
            &source.headers,
            ctx.out.overwrite,
            ctx.ui,
        )?),
        _ => None,
    })
}

/// How every import loads `source`.
pub(super) fn load(source: &Source, dry_run: bool, skip_invalid: bool) -> Load {
    Load {
        name: source.name.clone(),
        size: source.size,
        dry_run,
        skip_invalid,
    }
}

/// `yishi issue import`: open the input, load it (ops::import), report, then hint at
/// duplicates among the new issues.
pub fn run(a: ImportArgs, ctx: &mut Ctx) -> Result<()> {
    // Duplicate hints look at the issues numbered after the last one before the import.
    let hints = !(a.no_hints || a.dry_run);
    let last_before = if hints {
        yishi_core::ops::issues::last_id(ctx.store()?)?
    } else {
        0
    };
    let mut source = Source::open(&a.file, &a.csv.options(), rows::FIELDS)?;
    let defaults = defaults(&a, &source, ctx)?;
    if !source.unknown.is_empty() {
        ctx.out.warn_text(&text!(
            "import.unknown_columns",
            file = &source.name,
            columns = source.unknown.join(", ")
        ));
    }
    let rejects = rejects_file(ctx, &source, a.skip_invalid, a.rejects)?;
    let mut summary = Summary::of(&source, a.dry_run);
    let how = load(&source, a.dry_run, a.skip_invalid);
    let progress = progress_bar(ctx, source.size, text!("import.stage_loading"));
    let ctx_ui = ctx.ui;
    let actor = ctx.actor("issue import");
    let started = Instant::now();
    // A small import reads the stored issues its hints compare the new ones with beside its
    // load (`stored_hints`).
    let mut loaded = import_ops::load_issues(
        ctx.store_for(a.dry_run)?,
        &actor,
        &how,
        &mut source,
        &defaults,
        rejects,
        hints,
        |now| show_progress(progress.as_ref(), ctx_ui, now),
    )?;
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    summary.seconds = started.elapsed().as_secs_f64();
    report(
        ctx,
        &mut summary,
        &loaded,
        &source.issue_not_imported_note(),
    )?;
    let stored = loaded.stored_hints.take();
    // The import's log is copied into the file while the hints are worked out.
    let path = ctx.store()?.path().to_path_buf();
    yishi_core::Store::checkpoint_beside(&path, || -> Result<()> {
        if hints && loaded.inserted > HINT_LIMIT {
            ctx.out.say(&text!(
                "import.no_hints",
                n = yishi_core::render::count(HINT_LIMIT)
            ));
        } else if hints {
            super::dupes::hint_new(ctx, last_before, false, stored)?;
        }
        Ok(())
    })
}

/// What rows without a channel or a date get.
fn defaults(a: &ImportArgs, source: &Source, ctx: &Ctx) -> Result<rows::Defaults> {
    Ok(rows::Defaults {
        // Without a channel column or --channel, a survey export's rows came in online
        // (`[channels] survey`); how they were submitted is intake metadata.
        channel: match a.channel.as_deref() {
            Some(c) => Some(super::issue::parse_channel(&ctx.config.channels, c)?),
            None => source.survey.then(|| ctx.config.survey_channel.clone()),
        },
        raised_on: match &a.date {
            Some(d) => date::parse_date(d)
                .ok_or_else(|| super::args::not_a_date("--date", d))?
                .to_string(),
            None => ctx.today().to_string(),
        },
        channels: ctx.config.channels.clone(),
        categories: ctx.config.categories.clone(),
    })
}

impl Summary {
    fn of(source: &Source, dry_run: bool) -> Summary {
        Summary {
            source: source.name.clone(),
            encoding: source.encoding_name,
            rows: 0,
            imported: 0,
            already_present: 0,
            rejected: 0,
            dry_run,
            seconds: 0.0,
            not_imported: source
                .ignored
                .iter()
                .chain(&source.unknown)
                .cloned()
                .collect(),
        }
    }
}

/// The skipped rows (on stderr), then the summary: JSON, or one line.
fn report(
    ctx: &mut Ctx,
    summary: &mut Summary,
    loaded: &Loaded,
    (note_zh, note): &(String, String),
) -> Result<()> {
    summary.rows = loaded.rows;
    summary.imported = loaded.inserted;
    summary.already_present = loaded.duplicates;
    summary.rejected = loaded.errors.total as u64;
    let errors: &ErrorList = &loaded.errors;
    if errors.total > 0 {
        ctx.out.warn_text(
            &text!("import.skipped_rows", n = count(errors.total as u64)).pair(
                "report",
                errors.report_zh(&summary.source),
                errors.report(&summary.source),
            ),
        );
    }
    if ctx.out.json {
        return ctx.out.json(&*summary);
    }
    let seconds = summary.seconds;
    let rate = if seconds > 0.0 {
        summary.imported as f64 / seconds
    } else {
        0.0
    };
    let key = if summary.dry_run {
        "issue.import_dry_run"
    } else {
        "issue.imported"
    };
    let (encoding_zh, encoding) = encoding_words(summary.encoding);
    ctx.out.say(
        &yishi_core::i18n::Text::new(key)
            .arg("n", count(summary.imported))
            .arg("file", &summary.source)
            .pair("encoding", encoding_zh, encoding)
            .arg("seconds", format!("{seconds:.1}"))
            .pair("rate", format!("{rate:.0} 行"), human_rate(rate))
            .arg("present", count(summary.already_present))
            .pair("more", note_zh, note),
    );
    if let Some(seconds) = loaded.indexes_built {
        ctx.out.say(&text!(
            "import.indexes_built",
            seconds = format!("{seconds:.1}")
        ));
    }
    Ok(())
}

/// 714285.0 → "714k rows"
fn human_rate(rate: f64) -> String {
    if rate >= 10_000.0 {
        format!("{:.0}k rows", rate / 1000.0)
    } else {
        format!("{rate:.0} rows")
    }
}

/// A progress bar on stderr for files over 4 MiB, only when stderr is a terminal, saying
/// `stage` (what is read and written).
pub(super) fn progress_bar(
    ctx: &Ctx,
    size: Option<u64>,
    stage: yishi_core::i18n::Text,
) -> Option<indicatif::ProgressBar> {
    let size = size?;
    if ctx.out.quiet || size < 4 << 20 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(size);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{msg} {bar:40} {bytes}/{total_bytes} {elapsed} (eta {eta})",
    ) {
        bar.set_style(style);
    }
    bar.set_message(stage.render(ctx.ui));
    Some(bar)
}

/// Move the bar, or say the stage it is in: reading rows, then each index of the index stage
/// (a spinner with the stage's name: building an index has no byte count).
pub(super) fn show_progress(bar: Option<&indicatif::ProgressBar>, ui: Locale, now: Progress) {
    let Some(bar) = bar else { return };
    let stage = match now {
        Progress::Read(position) => return bar.set_position(position),
        Progress::ListingIndex(name) => text!("import.stage_listing_index", name = name),
        Progress::TextIndex => text!("import.stage_text_index"),
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
        bar.set_style(style);
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
    }
    bar.set_message(stage.render(ui));
}

/// The encoding as the summary names it (UTF-8, GB18030 ...: the same in both languages); a
/// spreadsheet has none, and says so in words.
fn encoding_words(encoding: &'static str) -> (String, String) {
    if encoding != "spreadsheet" {
        return (encoding.into(), encoding.into());
    }
    let t = text!("import.encoding.spreadsheet");
    (t.render(Locale::ZhCn), t.render(Locale::En))
}
