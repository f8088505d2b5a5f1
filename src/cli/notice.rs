//! `yishi notice ...`: 决议公示 (decision notices) and 实施结果公开 (result notices).

use super::{Ctx, args};
use std::path::PathBuf;
use yishi_core::config::Locale;
use yishi_core::domain::date;
use yishi_core::domain::followup::NoticeKind;
use yishi_core::error::{Error, Result};
use yishi_core::ops::followup;
use yishi_core::ops::postings::{self, Posted, PostingRequest, Which};
use yishi_core::render::doc::{Format, Rendered};
use yishi_core::render::notice::{self, NoticeView};

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// 决议公示: the decisions of a closed meeting, for posting; records the notice period.
    #[command(
        after_help = "Examples:\n  yishi notice decision M1 --days 7 -o 公示.txt\n  yishi notice decision M1 --format docx -o 决议公示.docx\n  yishi notice decision M1 --format html -o 公示.html   # an A4 poster"
    )]
    Decision(DecisionArgs),
    /// 实施结果公开: what was done for an issue, when and by whom.
    #[command(
        after_help = "Examples:\n  yishi notice result 1\n  yishi notice result 1 --format docx -o 结果公开.docx"
    )]
    Result(ResultArgs),
}

#[derive(clap::Args, Debug)]
pub struct DecisionArgs {
    /// The meeting whose resolutions are posted: M1 (or 1).
    meeting: String,
    /// Days posted [default: rules.public_notice_days of the meeting].
    #[arg(long)]
    days: Option<u32>,
    /// The first day posted [default: the notice's --date].
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: Option<String>,
    #[command(flatten)]
    doc: DocOptions,
}

#[derive(clap::Args, Debug)]
pub struct ResultArgs {
    /// The issue whose result is posted: 12 or #12.
    issue: String,
    #[command(flatten)]
    doc: DocOptions,
}

/// What every notice takes: format, language, date, template and output file.
#[derive(clap::Args, Debug)]
pub struct DocOptions {
    /// text (for chat groups), md, html (an A4 poster), docx (Word), png (one image for a
    /// phone, 1080 px wide) or json [default: from -o FILE's extension, else text].
    #[arg(long, value_parser = super::values::formats(&["text", "md", "html", "docx", "png", "json"]), hide_possible_values = true)]
    format: Option<String>,
    /// The date the notice is signed [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
    /// Your own minijinja template for text, md or html; it sees what --format json prints.
    #[arg(long, value_name = "FILE")]
    template: Option<PathBuf>,
    /// Write the notice to this file (created owner-only, with its folder) instead of printing it.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// A copy to check before signing: marks it 草稿 and prints 「（盖章处）」 where the seal
    /// goes (Word; a final copy leaves that place blank for the seal).
    #[arg(long)]
    draft: bool,
    /// Post the notice again (a corrected notice), replacing the posting in force; needs --reason.
    #[arg(long, requires = "reason")]
    repost: bool,
    /// Why the notice is posted again (with --repost).
    #[arg(long, requires = "repost")]
    reason: Option<String>,
    /// Show the notice without posting it (nothing is recorded).
    #[arg(long)]
    dry_run: bool,
}

/// Options checked before anything is read or written.
pub struct DocChoice {
    format: Format,
    pub locale: Locale,
    /// How the notice is posted (--date, --repost --reason, --dry-run).
    pub posting: PostingRequest,
    template: Option<(String, String)>,
    output: Option<PathBuf>,
    draft: bool,
}

impl DocOptions {
    pub fn check(&self, ctx: &Ctx) -> Result<DocChoice> {
        let format = Format::resolve(
            self.format.as_deref(),
            self.output.as_deref(),
            Format::Text,
            &[
                Format::Text,
                Format::Markdown,
                Format::Html,
                Format::Docx,
                Format::Json,
                Format::Png,
            ],
        )?;
        if self.template.is_some() && matches!(format, Format::Docx | Format::Json | Format::Png) {
            return Err(Error::usage_text(yishi_core::text!(
                "notice.template_formats"
            )));
        }
        Ok(DocChoice {
            format,
            locale: ctx.doc_locale(),
            posting: PostingRequest {
                date: self
                    .date
                    .as_deref()
                    .map(|d| day_or_today("--date", Some(d), ctx.today()))
                    .transpose()?,
                repost: self.repost.then(|| self.reason.clone().unwrap_or_default()),
                dry_run: self.dry_run,
            },
            template: yishi_core::render::doc::read_template(self.template.as_deref())?,
            output: self.output.clone(),
            draft: self.draft,
        })
    }
}

fn day_or_today(
    flag: &str,
    given: Option<&str>,
    today: chrono::NaiveDate,
) -> Result<chrono::NaiveDate> {
    match given {
        Some(d) => date::parse_date(d).ok_or_else(|| super::args::not_a_date(flag, d)),
        None => Ok(today),
    }
}

impl DocChoice {
    /// Say on stderr what became of the posting: recorded, recorded again, rendered as
    /// recorded, or previewed.
    pub fn report(&self, ctx: &Ctx, which: &Which, posted: &Posted) {
        ctx.out.say(&postings::said(
            which,
            posted,
            self.posting.repost.as_deref(),
        ));
    }

    /// The notice as plain text, the form kept in the database.
    pub fn text(&self, view: &NoticeView) -> Result<String> {
        Ok(yishi_core::render::clean(&notice::render(
            view,
            Format::Text,
            None,
        )?))
    }

    /// Render in the chosen format and write it out.
    pub fn emit(self, ctx: &Ctx, view: &NoticeView) -> Result<()> {
        let rendered = match self.format {
            Format::Json => {
                let mut s = serde_json::to_string_pretty(view)?;
                s.push('\n');
                Rendered::Text(s)
            }
            Format::Docx => Rendered::Bytes(notice::docx(view, self.draft)?),
            Format::Png => {
                let font = yishi_core::render::phone::CjkFont::find()?;
                let image = yishi_core::render::phone::notice(view, &font)?;
                ctx.out.say(&yishi_core::text!(
                    "phone.drawn",
                    width = yishi_core::render::phone::WIDTH,
                    height = image.height,
                    lines = image.lines,
                    font = font.family(),
                ));
                Rendered::Bytes(image.png)
            }
            f => {
                let t = notice::render(
                    view,
                    f,
                    self.template.as_ref().map(|(n, s)| (n.as_str(), s.clone())),
                )?;
                Rendered::Text(if f == Format::Html {
                    t
                } else {
                    yishi_core::render::clean(&t)
                })
            }
        };
        ctx.out.save_rendered(self.output.as_deref(), &rendered)?;
        // The formats that draw the codes say where each leads, so the secretary can check the
        // link before the notice goes up (text, Markdown and JSON carry no code).
        if matches!(self.format, Format::Html | Format::Docx | Format::Png) {
            for code in view.codes() {
                ctx.out.say(&yishi_core::text!(
                    "notice.qr_leads_to",
                    title = &code.title,
                    url = &code.url
                ));
            }
        }
        Ok(())
    }
}

pub fn run(cmd: Command, ctx: &mut Ctx) -> Result<()> {
    match cmd {
        Command::Decision(a) => decision(a, ctx),
        Command::Result(a) => result(a, ctx),
    }
}

fn decision(a: DecisionArgs, ctx: &mut Ctx) -> Result<()> {
    let doc = a.doc.check(ctx)?;
    let meeting = args::meeting_id(&a.meeting)?;
    let req = followup::DecisionRequest {
        meeting,
        days: a.days,
        start: a
            .from
            .as_deref()
            .map(|d| args::date("--from", d))
            .transpose()?,
        posting: doc.posting.clone(),
    };
    let actor = ctx.actor("notice decision");
    ctx.store_for(req.posting.dry_run)?;
    let names = ctx.out.names.clone();
    let (store, config) = ctx.store_and_config()?;
    let (posted, view) = followup::decision_notice(store, &actor, req, |n| {
        // Owners, chair and recorder by the one masking rule (domain::contact::Names).
        let mut meeting = n.meeting.clone();
        names.mask_opt(&mut meeting.chair);
        names.mask_opt(&mut meeting.recorder);
        let mut resolutions = n.resolutions.clone();
        resolutions
            .iter_mut()
            .for_each(|r| names.mask_opt(&mut r.owner));
        let v = notice::decision(
            &meeting,
            &resolutions,
            &n.agenda,
            config,
            doc.locale,
            n.stamp.signed_on,
            n.stamp.start,
            n.stamp.end.unwrap_or(n.stamp.start),
        )
        .with_anchor(n.stamp.anchor.as_ref());
        // The posted text is kept without links; each decided item's QR code is a rendering.
        let text = doc.text(&v)?;
        let decided: Vec<(i64, String)> = n
            .agenda
            .iter()
            .filter(|a| n.resolutions.iter().any(|r| r.issue_id == a.issue_id))
            .map(|a| (a.issue_id, a.title.clone()))
            .collect();
        let v = v.with_item_surveys(&config.feedback, &decided)?;
        Ok((text, v))
    })?;
    let which = which(
        NoticeKind::Decision,
        &format!("{meeting} 的决议公示"),
        &format!("the decision notice of {meeting}"),
    );
    doc.report(ctx, &which, &posted);
    doc.emit(ctx, &view)
}

fn which(kind: NoticeKind, zh: &str, en: &str) -> Which {
    Which {
        kind,
        meeting_id: None,
        issue_id: None,
        zh: zh.into(),
        en: en.into(),
    }
}

fn result(a: ResultArgs, ctx: &mut Ctx) -> Result<()> {
    let doc = a.doc.check(ctx)?;
    let issue = args::issue_id(&a.issue)?;
    let actor = ctx.actor("notice result");
    ctx.store_for(doc.posting.dry_run)?;
    let names = ctx.out.names.clone();
    let (store, config) = ctx.store_and_config()?;
    let (posted, (view, completed)) =
        followup::result_notice(store, &actor, issue, doc.posting.clone(), |n| {
            // Owners by the one masking rule (domain::contact::Names).
            let mut resolution = n.resolution.clone();
            names.mask_opt(&mut resolution.owner);
            let mut supplementary = n.supplementary.clone();
            supplementary
                .iter_mut()
                .for_each(|r| names.mask_opt(&mut r.owner));
            let mut actions = n.actions.clone();
            actions
                .iter_mut()
                .for_each(|(a, _)| names.mask_opt(&mut a.owner));
            let v = notice::result(
                &n.issue.title,
                &resolution,
                &supplementary,
                &actions,
                config,
                doc.locale,
                n.stamp.signed_on,
            )
            .with_anchor(n.stamp.anchor.as_ref());
            // The posted text is kept as it was (no link in it); the QR code is a rendering.
            let text = doc.text(&v)?;
            let v = v.with_survey(&config.feedback, n.issue.id, &n.issue.title)?;
            Ok((text, (v, n.completed)))
        })?;
    if !completed {
        ctx.out.warn_text(&yishi_core::text!(
            "notice.result_in_progress",
            issue = issue.0
        ));
    }
    let which = which(
        NoticeKind::Result,
        &format!("议题 {issue} 的实施结果公开"),
        &format!("the result notice of issue {issue}"),
    );
    doc.report(ctx, &which, &posted);
    doc.emit(ctx, &view)
}
