//! `yishi feedback ...`: residents' satisfaction and awareness of results (评议).

use super::Ctx;
use super::args::parse_issue_id;
use std::path::PathBuf;
use yishi_core::domain::feedback::{parse_aware, parse_satisfaction};
use yishi_core::domain::followup::NewFeedback;
use yishi_core::domain::{date, text};
use yishi_core::error::{Error, Result};
use yishi_core::import::{ErrorList, FieldSpec, RowError, Source, feedback as f};

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

/// Validate one answer's fields; `problem(field, message)` places the error.
#[allow(clippy::too_many_arguments)]
fn validate<E>(
    issue: &str,
    resident: Option<&str>,
    satisfaction: Option<&str>,
    aware: Option<&str>,
    note: Option<&str>,
    channel: Option<&str>,
    day: Option<&str>,
    today: chrono::NaiveDate,
    problem: impl Fn(usize, String) -> E,
) -> std::result::Result<NewFeedback, E> {
    let issue_id = parse_issue_id(issue).map_err(|e| problem(f::ISSUE, e.message))?;
    let satisfaction = satisfaction
        .map(|s| parse_satisfaction(s).ok_or_else(|| problem(f::SATISFACTION, format!("\"{s}\" is not a satisfaction score (1 to 5, or 非常满意/满意/一般/不满意/非常不满意)"))))
        .transpose()?;
    let aware = aware
        .map(|s| {
            parse_aware(s)
                .ok_or_else(|| problem(f::AWARE, format!("\"{s}\" is not yes or no (是/否)")))
        })
        .transpose()?;
    if satisfaction.is_none() && aware.is_none() {
        return Err(problem(
            f::SATISFACTION,
            "give a satisfaction score or an awareness answer (or both)".into(),
        ));
    }
    Ok(NewFeedback {
        issue_id,
        resident: text::optional(resident, |n| text::name("resident", n))
            .map_err(|e| problem(f::RESIDENT, e.message))?,
        satisfaction,
        aware,
        note: text::optional(note, |n| text::multi_line("note", n))
            .map_err(|e| problem(f::NOTE, e.message))?,
        channel: text::optional(channel, |n| text::single_line("channel", n))
            .map_err(|e| problem(f::CHANNEL, e.message))?,
        given_on: match day {
            Some(d) => date::parse_date(d)
                .ok_or_else(|| {
                    problem(
                        f::DATE,
                        format!("\"{d}\" is not a date ({})", date::DATE_HINT),
                    )
                })?
                .to_string(),
            None => today.to_string(),
        },
    })
}

fn add(a: AddArgs, ctx: &mut Ctx) -> Result<()> {
    let fb = validate(
        &a.issue,
        a.resident.as_deref(),
        a.satisfaction.as_deref(),
        a.aware.as_deref(),
        a.note.as_deref(),
        a.channel.as_deref(),
        a.date.as_deref(),
        ctx.today(),
        |_, m| Error::data(m),
    )?;
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
    let fields: Vec<FieldSpec> = f::FIELDS
        .iter()
        .map(|spec| FieldSpec {
            required: spec.required && !(spec.key == "issue" && whole_file_issue.is_some()),
            ..*spec
        })
        .collect();
    let mut source = Source::open(&a.file, &a.csv.options(), &fields)?;
    let name = source.name.clone();
    let mut rejects = match (a.skip_invalid, a.rejects) {
        (true, Some(path)) => Some(super::issue_import::Rejects::create(
            path,
            &source.headers,
            ctx.out.overwrite,
        )?),
        _ => None,
    };
    // Each row is parsed first; whether its issue can take feedback is then asked in one read
    // (ops::import), so that a bad target is named by its line before anything is written.
    let mut parsed_rows: Vec<(u64, Vec<String>, std::result::Result<NewFeedback, RowError>)> =
        Vec::new();
    let today = ctx.today();
    let keep_raw = rejects.is_some();
    source
        .for_each(|row| -> std::result::Result<(), ()> {
            if row.is_blank() {
                return Ok(());
            }
            let parsed = row.check_width().and_then(|_| {
                // A skipped question (跳过, -, empty) is no answer, not a bad one.
                let get = |i| {
                    row.get(i)
                        .map(|v| v.filter(|s| !matches!(*s, "-" | "—" | "--" | "/" | "／")))
                };
                let issue = match (get(f::ISSUE)?, whole_file_issue) {
                    (Some(i), _) => i.to_string(),
                    (None, Some(id)) => id.to_string(),
                    (None, None) => {
                        return Err(row.error(
                            f::ISSUE,
                            "is empty: give the issue number, or --issue N for the whole file"
                                .into(),
                        ));
                    }
                };
                validate(
                    &issue,
                    get(f::RESIDENT)?,
                    get(f::SATISFACTION)?,
                    get(f::AWARE)?,
                    get(f::NOTE)?,
                    get(f::CHANNEL)?,
                    get(f::DATE)?,
                    today,
                    |i, m| row.error(i, m),
                )
            });
            let raw = if keep_raw {
                row.raw_fields()
            } else {
                Vec::new()
            };
            parsed_rows.push((row.line, raw, parsed));
            Ok(())
        })?
        .ok();
    let refusals = yishi_core::ops::import::feedback_refusals(
        ctx.store()?,
        parsed_rows
            .iter()
            .filter_map(|(_, _, p)| p.as_ref().ok().map(|fb| fb.issue_id)),
    )?;
    let issue_column = source.field_columns[f::ISSUE].map(|c| source.headers[c].clone());
    let mut errors = ErrorList::default();
    let mut rows: Vec<NewFeedback> = Vec::new();
    for (line, raw, parsed) in parsed_rows {
        let checked = parsed.and_then(|fb| match refusals.get(&fb.issue_id) {
            Some(why) => Err(RowError {
                line,
                column: issue_column.clone(),
                message: why.clone(),
            }),
            None => Ok(fb),
        });
        match checked {
            Ok(fb) => rows.push(fb),
            Err(e) => {
                if let Some(r) = rejects.as_mut() {
                    r.write(raw, e.reason())?;
                }
                errors.push(e);
            }
        }
    }
    if errors.total > 0 && !a.skip_invalid {
        return Err(Error::data_text(yishi_core::text!(
            "import.bad_rows",
            report = errors.report(&name),
            n = errors.total,
            file = &name
        )));
    }
    let actor = ctx.actor("feedback import");
    let (added, present) =
        yishi_core::ops::followup::import_feedback(ctx.store()?, &actor, &name, &rows, a.dry_run)?;
    if let Some(r) = rejects {
        r.finish()?;
    }
    if errors.total > 0 {
        ctx.out.warn_text(&yishi_core::text!(
            "import.skipped_rows",
            report = errors.report(&name),
            n = errors.total
        ));
    }
    let key = if a.dry_run {
        "feedback.import_dry_run"
    } else {
        "feedback.imported"
    };
    ctx.out.say(
        &yishi_core::i18n::Text::new(key)
            .arg("added", added)
            .arg("file", &name)
            .arg("present", present)
            .arg("more", source.not_imported_note()),
    );
    Ok(())
}
