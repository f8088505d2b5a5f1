//! `yishi minutes export`: printable minutes (会议纪要) in Markdown, HTML or JSON.

use super::Ctx;
use std::path::PathBuf;
use yishi_core::error::{Error, Result};
use yishi_core::ops::minutes::Which;
use yishi_core::render::doc::Rendered;
use yishi_core::render::minutes::{self, Format};

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Export the minutes of a meeting (or of all meetings with --all).
    #[command(
        after_help = "Examples:\n  yishi minutes export M1\n  yishi minutes export M1 -o 纪要.docx          # the format follows the name\n  yishi minutes export M1 --format text --summary   # for the chat group\n  yishi minutes export M1 --format html -o 纪要.html\n  yishi minutes export M1 --lang en --format md\n  yishi minutes export --all --out-dir minutes/ --format html\n  yishi minutes export M1 --template templates/minutes.md.j2"
    )]
    Export(ExportArgs),
}

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// The meeting: M1 or 1.
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    meeting: Option<String>,
    /// Every meeting, one file each, into --out-dir.
    #[arg(long, requires = "out_dir")]
    all: bool,
    /// With --all: only meetings on or after this day.
    #[arg(long, value_name = "YYYY-MM-DD", requires = "all")]
    since: Option<String>,
    /// md, html, docx (Word), text (for chat groups), png (with --summary: one image for a
    /// phone) or json [default: from -o FILE's extension, else md].
    #[arg(long, value_parser = super::values::formats(&["md", "html", "docx", "text", "png", "json"]), hide_possible_values = true)]
    format: Option<String>,
    /// With --format text (or png, as an image): a short summary for the residents' chat group.
    #[arg(long)]
    summary: bool,
    /// Your own minijinja template; it sees the same data as --format json.
    #[arg(long, value_name = "FILE")]
    template: Option<PathBuf>,
    /// Write to this file instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE", conflicts_with = "out_dir")]
    output: Option<PathBuf>,
    /// Write into this folder, named like 2026-12-01-M1.html.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
}

pub fn run(cmd: Command, ctx: &mut Ctx) -> Result<()> {
    match cmd {
        Command::Export(a) => export(a, ctx),
    }
}

fn export(a: ExportArgs, ctx: &mut Ctx) -> Result<()> {
    let format = export_format(&a)?;
    let locale = ctx.doc_locale();
    let template = read_template(a.template.as_deref())?;
    let which = which_meetings(&a)?;
    let records = yishi_core::ops::minutes::records(ctx.reader()?, &which)?;
    let mut written = 0;
    for rec in records {
        let doc = minutes::build(&rec, &ctx.config, locale, &ctx.out.names);
        let rendered = render_doc(ctx, &doc, format, a.summary, template.as_ref())?;
        let target = target_file(&a, &doc, rec.meeting.id, format)?;
        if target.is_some() {
            written += 1;
            if doc.draft {
                ctx.out.warn_text(&yishi_core::text!("minutes.draft"));
            }
        }
        ctx.out.save_rendered(target.as_deref(), &rendered)?;
    }
    if a.all && written == 0 {
        ctx.out.say(&yishi_core::text!("minutes.none"));
    }
    Ok(())
}

/// The format asked for (or told by -o FILE's extension), refused where the flags given
/// with it do not apply to it.
fn export_format(a: &ExportArgs) -> Result<Format> {
    let format = Format::resolve(
        a.format.as_deref(),
        a.output.as_deref(),
        Format::Markdown,
        &[
            Format::Markdown,
            Format::Html,
            Format::Docx,
            Format::Text,
            Format::Png,
            Format::Json,
        ],
    )?;
    if format == Format::Png && !a.summary {
        return Err(Error::usage_text(yishi_core::text!(
            "phone.minutes_summary_only"
        )));
    }
    if a.summary && !matches!(format, Format::Text | Format::Png) {
        return Err(Error::usage_text(yishi_core::text!(
            "minutes.summary_formats"
        )));
    }
    if a.template.is_some() && format == Format::Docx {
        return Err(Error::usage_text(yishi_core::text!(
            "minutes.template_formats"
        )));
    }
    Ok(format)
}

/// The --template file as (its name as shown, its text).
fn read_template(path: Option<&std::path::Path>) -> Result<Option<(String, String)>> {
    let Some(p) = path else {
        return Ok(None);
    };
    let source = std::fs::read_to_string(p).map_err(|e| {
        Error::data_text(yishi_core::text!(
            "file.cannot_read_template",
            path = p.display(),
            error = e
        ))
    })?;
    Ok(Some((p.display().to_string(), source)))
}

/// The meeting named, or with --all every meeting (since a day).
fn which_meetings(a: &ExportArgs) -> Result<Which> {
    Ok(if a.all {
        Which::All {
            since: a
                .since
                .as_deref()
                .map(|d| super::args::day("--since", d))
                .transpose()?,
        }
    } else {
        Which::One(super::args::meeting_id(
            a.meeting.as_deref().unwrap_or_default(),
        )?)
    })
}

/// One meeting's minutes in `format`.
fn render_doc(
    ctx: &Ctx,
    doc: &minutes::Minutes,
    format: Format,
    summary: bool,
    template: Option<&(String, String)>,
) -> Result<Rendered> {
    Ok(if format == Format::Docx {
        Rendered::Bytes(yishi_core::render::minutes_docx::docx(doc)?)
    } else if format == Format::Png {
        Rendered::Bytes(summary_image(ctx, doc)?)
    } else {
        Rendered::Text(minutes::render(
            doc,
            format,
            summary,
            template.map(|(n, s)| (n.as_str(), s.clone())),
        )?)
    })
}

/// Where one meeting's minutes go: -o FILE, a file named by day and meeting in --out-dir
/// (made if missing), or stdout (None).
fn target_file(
    a: &ExportArgs,
    doc: &minutes::Minutes,
    id: i64,
    format: Format,
) -> Result<Option<PathBuf>> {
    Ok(match (&a.output, &a.out_dir) {
        (Some(file), _) => Some(file.clone()),
        (None, Some(dir)) => {
            yishi_core::outfile::create_dir(dir)?;
            Some(dir.join(format!(
                "{}-M{}.{}",
                doc.meeting.date,
                id,
                format.extension()
            )))
        }
        (None, None) => None,
    })
}

/// The chat summary drawn as one phone image (1080 px wide), said on stderr like a notice's.
fn summary_image(ctx: &Ctx, doc: &minutes::Minutes) -> Result<Vec<u8>> {
    let text = minutes::render(doc, Format::Text, true, None)?;
    let font = yishi_core::render::phone::CjkFont::find()?;
    let image = yishi_core::render::phone::summary(
        &doc.community,
        &yishi_core::render::clean(&text),
        doc.anchor.as_deref(),
        &font,
    )?;
    ctx.out.say(&yishi_core::text!(
        "phone.drawn",
        width = yishi_core::render::phone::WIDTH,
        height = image.height,
        lines = image.lines,
        font = font.family(),
    ));
    Ok(image.png)
}
