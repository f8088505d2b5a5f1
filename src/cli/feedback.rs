//! `yishi feedback ...`: residents' satisfaction and awareness of results (评议).

use super::Ctx;
use super::args::parse_issue_id;
use super::issue_import::{load, progress_bar, rejects_file, show_progress};
use std::path::PathBuf;
use yishi_core::error::Result;
use yishi_core::import::{Source, feedback_row};

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Record one resident's answer.
    #[command(
        after_help = "Example:\n  yishi feedback add --issue 1 --resident 陈阿姨 --satisfaction 5 --aware yes --note 孩子们很喜欢"
    )]
    Add(AddArgs),
    /// Import answers from a survey CSV or spreadsheet (same rules as `issue import`: atomic,
    /// idempotent, --skip-invalid --rejects).
    #[command(
        after_help = "Examples:\n  yishi feedback import examples/tingtang/feedback.csv --dry-run\n  yishi feedback import examples/tingtang/feedback.csv --issue 1"
    )]
    Import(ImportArgs),
}

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// The issue the answer is about: 12 or #12.
    #[arg(long)]
    issue: String,
    /// Who answered (masked unless --show-contacts; optional).
    #[arg(long)]
    resident: Option<String>,
    /// 1 (very dissatisfied) to 5 (very satisfied), or 满意/不满意...
    #[arg(long)]
    satisfaction: Option<String>,
    /// Knew of the result: yes or no.
    #[arg(long)]
    aware: Option<String>,
    /// What they said.
    #[arg(long)]
    note: Option<String>,
    /// How the answer came in: offline/线下, interview/访谈 or online/线上.
    #[arg(long)]
    channel: Option<String>,
    /// The day of the answer (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The CSV or spreadsheet file: columns 议题编号/issue, 居民/resident, 满意度/satisfaction, 是否知晓/aware, 意见建议/note, 渠道/channel, 日期/date.
    file: PathBuf,
    #[command(flatten)]
    csv: super::args::CsvArgs,
    /// The issue every answer is about, for a survey on one issue (a row's own issue column,
    /// when there is one, wins).
    #[arg(long, value_name = "N")]
    issue: Option<String>,
    /// Check the file and show what would be imported; change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Import the good rows and write the bad ones to --rejects.
    #[arg(long, requires = "rejects")]
    skip_invalid: bool,
    /// Where --skip-invalid writes the bad rows, with a reason column.
    #[arg(long, value_name = "FILE")]
    rejects: Option<PathBuf>,
}

pub fn run(cmd: Command, ctx: &mut Ctx) -> Result<()> {
    match cmd {
        Command::Add(a) => add(a, ctx),
        Command::Import(a) => import(a, ctx),
    }
}

fn add(a: AddArgs, ctx: &mut Ctx) -> Result<()> {
    let answer = feedback_row::Answer {
        issue: &a.issue,
        resident: a.resident.as_deref(),
        satisfaction: a.satisfaction.as_deref(),
        aware: a.aware.as_deref(),
        note: a.note.as_deref(),
        channel: a.channel.as_deref(),
        day: a.date.as_deref(),
    };
    let fb = feedback_row::validate(&answer, ctx.today(), |_, e| e)?;
    let actor = ctx.actor("feedback add");
    let added = yishi_core::ops::followup::add_feedback(ctx.store()?, &actor, &fb)?;
    match added {
        true => ctx
            .out
            .say(&yishi_core::text!("feedback.recorded", issue = fb.issue_id)),
        false => ctx.out.say(&yishi_core::text!("feedback.already_recorded")),
    }
    Ok(())
}

fn import(a: ImportArgs, ctx: &mut Ctx) -> Result<()> {
    // With --issue, the file needs no issue column.
    let whole_file_issue = a.issue.as_deref().map(parse_issue_id).transpose()?;
    let fields = feedback_row::fields(whole_file_issue.is_some());
    let mut source = Source::open(&a.file, &a.csv.options(), &fields)?;
    let name = source.name.clone();
    let rejects = rejects_file(ctx, &source, a.skip_invalid, a.rejects)?;
    let how = load(&source, a.dry_run, a.skip_invalid);
    let progress = progress_bar(
        ctx,
        source.size,
        yishi_core::text!("import.stage_loading_feedback"),
    );
    let ui = ctx.ui;
    let actor = ctx.actor("feedback import");
    let today = ctx.today();
    let loaded = yishi_core::ops::import::load_feedback(
        ctx.store_for(a.dry_run)?,
        &actor,
        &mut source,
        &how,
        rejects,
        whole_file_issue,
        today,
        |now| show_progress(progress.as_ref(), ui, now),
    )?;
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    let ((added, present), errors) = (loaded.written, loaded.errors);
    if errors.total > 0 {
        ctx.out.warn_text(
            &yishi_core::text!("import.skipped_rows", n = errors.total).pair(
                "report",
                errors.report_zh(&name),
                errors.report(&name),
            ),
        );
    }
    let key = if a.dry_run {
        "feedback.import_dry_run"
    } else {
        "feedback.imported"
    };
    let (more_zh, more) = source.not_imported_note();
    ctx.out.say(
        &yishi_core::i18n::Text::new(key)
            .arg("added", added)
            .arg("file", &name)
            .arg("present", present)
            .pair("more", more_zh, more),
    );
    Ok(())
}
