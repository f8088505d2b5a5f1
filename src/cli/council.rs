//! `yishi council ...`: convene a 6+X council, record attendance and speeches, open and close.

use super::{Ctx, args, paging};
use serde_json::json;
use yishi_core::config::Locale;
use yishi_core::domain::motion::SpeechPosition;
use yishi_core::domain::record;
use yishi_core::domain::text;
use yishi_core::error::{Error, Result};
use yishi_core::ops::meetings::{self, Convened};
use yishi_core::render::table;

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Convene a council: agenda, 6+X invitations, the rules in force.
    #[command(
        after_help = "Examples:\n  yishi council convene --date \"2026-12-01 19:30\" --place 老村部 --chair 王建国 --dry-run\n  yishi council convene --date \"2026-12-05 19:30\" --place 老村部三楼会议室 --issue 7 --issue 5 --observer 汀塘社工站"
    )]
    Convene(ConveneArgs),
    /// List the councils.
    #[command(
        after_help = "Examples:\n  yishi council list\n  yishi council list --upcoming --json"
    )]
    List(ListArgs),
    /// Agenda, invitations by seat, attendance, quorum, speeches, motions and results.
    #[command(after_help = "Example:\n  yishi council show M1 --json")]
    Show(MeetingArg),
    /// The 会议通知 to post on the notice board (html, docx) and in the chat group (text).
    #[command(
        after_help = "Examples:\n  yishi council notice M1\n  yishi council notice M1 --format html -o 会议通知.html   # an A4 poster\n  yishi council notice M1 --format docx -o 会议通知.docx"
    )]
    Notice(NoticeArgs),
    /// The blank sign-in sheet (签到表) to print before the meeting.
    #[command(
        after_help = "Examples:\n  yishi council signin M1 -o 签到表.html\n  yishi council signin M1 --format docx -o 签到表.docx --blank 8"
    )]
    Signin(SigninArgs),
    /// Invite one more person after convening.
    #[command(
        after_help = "Examples:\n  yishi council invite M2 周师傅 --for 7\n  yishi council invite M2 街道办刘科长 --observer"
    )]
    Invite(InviteArgs),
    /// Record who came (签到).
    #[command(
        after_help = "Examples:\n  yishi council attend M2 王建国 李娜 张伟\n  yishi council attend M2 赵敏 --online\n  yishi council attend M2 孙强 --late 19:45\n  yishi council attend M2 林秀英 --proxy-for 陈志明 --authorisation \"书面委托书 2026-11-30\""
    )]
    Attend(AttendArgs),
    /// Record an absence with its reason.
    #[command(after_help = "Example:\n  yishi council absent M2 吴芳 --reason 出差")]
    Absent(AbsentArgs),
    /// Open the meeting; refused without quorum unless --without-quorum.
    #[command(after_help = "Example:\n  yishi council open M2 --at 19:35")]
    Open(OpenArgs),
    /// Record a speech: speaker, for or against, and a summary (南塘议事规则).
    #[command(
        after_help = "Example:\n  yishi council speak M2 --item 7 --by 张伟 --position for \"四楼闲置多年，改造成本低\""
    )]
    Speak(SpeakArgs),
    /// End the meeting; the record becomes read-only.
    #[command(after_help = "Example:\n  yishi council close M2 --at 21:10")]
    Close(CloseArgs),
    /// Reopen a closed meeting to correct it; the reason is kept and shown in the minutes.
    #[command(after_help = "Example:\n  yishi council reopen M2 --reason \"补录李娜的发言\"")]
    Reopen(ReopenArgs),
    /// Move a meeting not yet opened to another time; the move and its reason are logged.
    #[command(
        after_help = "Example:\n  yishi council reschedule M2 --to \"2026-12-20 19:30\" --reason 会议室临时占用"
    )]
    Reschedule(RescheduleArgs),
    /// Decide an agenda item: its outcome follows its motions, or defer it with a reason.
    #[command(
        after_help = "Examples:\n  yishi council decide M2 --item 7\n  yishi council decide M2 --item 5 --defer --reason 待业委会补充材料\n  yishi council decide M3 --item 9 --escalate --reason 需区级资金"
    )]
    Decide(DecideArgs),
    /// Someone leaves before the end; later votes are counted without them.
    #[command(after_help = "Example:\n  yishi council leave M2 孙强 --at 20:40")]
    Leave(LeaveArgs),
    /// Correct a recorded speech: edit its summary or withdraw it, with a reason.
    #[command(
        subcommand,
        after_help = "Examples:\n  yishi council speech edit 5 --summary \"四楼闲置多年，改造成本低\" --reason 记录不全\n  yishi council speech withdraw 5 --reason 发言人要求撤回"
    )]
    Speech(SpeechCommand),
}

#[derive(clap::Args, Debug)]
pub struct DecideArgs {
    /// The meeting: M1 or 1.
    meeting: String,
    /// The agenda issue.
    #[arg(long)]
    item: String,
    /// Defer the item to a later meeting (the issue goes back to accepted).
    #[arg(long, requires = "reason")]
    defer: bool,
    /// Raise the item to the street (上报街道): the issue waits for the street's answer.
    #[arg(long, requires = "reason", conflicts_with = "defer")]
    escalate: bool,
    /// Why it is deferred or escalated.
    #[arg(long)]
    reason: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct LeaveArgs {
    /// The meeting: M1 or 1.
    meeting: String,
    /// Who left (name as invited).
    name: String,
    /// When they left.
    #[arg(long, value_name = "HH:MM")]
    at: String,
}

#[derive(clap::Subcommand, Debug)]
pub enum SpeechCommand {
    /// Correct a speech's summary; the old text and the reason go to the log.
    #[command(
        after_help = "Example:\n  yishi council speech edit 5 --summary \"四楼闲置多年，改造成本低\" --reason 记录不全"
    )]
    Edit {
        /// The speech's id (in `council show M1 --json`).
        id: i64,
        /// The corrected summary.
        #[arg(long)]
        summary: String,
        /// Why it is corrected (kept with the old text).
        #[arg(long)]
        reason: String,
    },
    /// Withdraw a speech from the minutes; it stays on record with the reason.
    #[command(after_help = "Example:\n  yishi council speech withdraw 5 --reason 发言人要求撤回")]
    Withdraw {
        /// The speech's id (in `council show M1 --json`).
        id: i64,
        /// Why it is withdrawn (kept with the text).
        #[arg(long)]
        reason: String,
    },
}

#[derive(clap::Args, Debug)]
pub struct ConveneArgs {
    /// When: "YYYY-MM-DD HH:MM".
    #[arg(long)]
    date: String,
    /// Where it meets, e.g. 老村部三楼会议室.
    #[arg(long)]
    place: String,
    /// [default: {community}第N次居民议事会]
    #[arg(long)]
    title: Option<String>,
    /// 主持人
    #[arg(long)]
    chair: Option<String>,
    /// 记录人
    #[arg(long)]
    recorder: Option<String>,
    /// An issue for the agenda (repeatable) [default: accepted issues that were pre-consulted, oldest first].
    #[arg(long = "issue")]
    issues: Vec<String>,
    /// Invite someone else (repeatable): a member by name, or a stakeholder.
    #[arg(long)]
    invite: Vec<String>,
    /// An observer (列席, repeatable): speaks, never votes.
    #[arg(long)]
    observer: Vec<String>,
    /// Convene with less notice than rules.notice_days (the minutes say so).
    #[arg(long)]
    urgent: bool,
    /// Show the agenda and invitations without convening.
    #[arg(long)]
    dry_run: bool,
}

#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// Only meetings from today on.
    #[arg(long, conflicts_with = "past")]
    upcoming: bool,
    /// Only meetings before today.
    #[arg(long)]
    past: bool,
    #[command(flatten)]
    paging: super::paging::PageArgs,
}

#[derive(clap::Args, Debug)]
pub struct MeetingArg {
    /// The meeting: M1 or 1.
    pub meeting: String,
}

#[derive(clap::Args, Debug)]
pub struct NoticeArgs {
    /// The meeting: M1 or 1.
    meeting: String,
    #[command(flatten)]
    doc: super::notice::DocOptions,
}

#[derive(clap::Args, Debug)]
pub struct SigninArgs {
    /// The meeting: M1 or 1.
    meeting: String,
    /// html or docx [default: from -o FILE's extension, else html].
    #[arg(long, value_parser = super::values::formats(&["html", "docx"]), hide_possible_values = true)]
    format: Option<String>,
    /// Blank rows for walk-ins and proxies.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(0..=60))]
    blank: u32,
    /// Write to this file instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<std::path::PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct InviteArgs {
    /// The meeting: M1 (or 1).
    meeting: String,
    /// The person: a member, stakeholder or observer invited to the meeting.
    name: String,
    /// Invite as an observer (列席).
    #[arg(long)]
    observer: bool,
    /// The agenda issue this stakeholder is invited for (again for someone invited already: one more item of theirs).
    #[arg(long = "for")]
    for_issue: Option<String>,
    /// Their phone number (masked unless --show-contacts).
    #[arg(long)]
    phone: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct AttendArgs {
    /// The meeting: M1 (or 1).
    meeting: String,
    /// Who came (names as invited), separated by spaces, commas or 、.
    #[arg(required = true)]
    names: Vec<String>,
    /// Attended online.
    #[arg(long)]
    online: bool,
    /// Arrived late, at HH:MM.
    #[arg(long, value_name = "HH:MM")]
    late: Option<String>,
    /// The one person named votes for this absent invitee.
    #[arg(long, value_name = "NAME", requires = "authorisation")]
    proxy_for: Option<String>,
    /// How the proxy was given (委托书).
    #[arg(long)]
    authorisation: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct AbsentArgs {
    /// The meeting: M1 (or 1).
    meeting: String,
    /// The person: a member, stakeholder or observer invited to the meeting.
    name: String,
    /// Why, as the minutes will say.
    #[arg(long)]
    reason: String,
}

#[derive(clap::Args, Debug)]
pub struct OpenArgs {
    /// The meeting: M1 (or 1).
    meeting: String,
    /// The time it opened [default: now].
    #[arg(long, value_name = "HH:MM")]
    at: Option<String>,
    /// Open although the quorum is not met (recorded, and shown in the minutes).
    #[arg(long)]
    without_quorum: bool,
}

#[derive(clap::Args, Debug)]
pub struct SpeakArgs {
    /// The meeting: M1 (or 1).
    meeting: String,
    /// The agenda issue.
    #[arg(long)]
    item: String,
    /// The speaker.
    #[arg(long)]
    by: String,
    /// for, against or neutral (赞成 / 反对 / 中立).
    #[arg(long, default_value = "neutral")]
    position: String,
    /// What was said, in a sentence or two.
    summary: String,
    /// How many minutes it took (the rules limit each speech; over the limit is a warning).
    #[arg(long)]
    minutes: Option<u32>,
}

#[derive(clap::Args, Debug)]
pub struct CloseArgs {
    /// The meeting: M1 (or 1).
    meeting: String,
    /// The time it ended (散会) [default: now; when closed again after a reopening, the end first recorded].
    #[arg(long, value_name = "HH:MM")]
    at: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ReopenArgs {
    /// The meeting: M1 (or 1).
    meeting: String,
    /// Why, as the minutes will say.
    #[arg(long)]
    reason: String,
}

#[derive(clap::Args, Debug)]
pub struct RescheduleArgs {
    /// The meeting: M1 (or 1).
    meeting: String,
    /// The new time: "YYYY-MM-DD HH:MM".
    #[arg(long, value_name = "DATE")]
    to: String,
    /// Why it moves, as the log will say.
    #[arg(long)]
    reason: String,
    /// Move it with less notice than rules.notice_days (the minutes say so), as convene --urgent.
    #[arg(long)]
    urgent: bool,
}

pub fn run(cmd: Command, ctx: &mut Ctx) -> Result<()> {
    match cmd {
        Command::Convene(a) => convene(a, ctx),
        Command::List(a) => list(a, ctx),
        Command::Show(a) => show(a, ctx),
        Command::Notice(a) => notice(a, ctx),
        Command::Signin(a) => signin(a, ctx),
        Command::Invite(a) => invite(a, ctx),
        Command::Attend(a) => attend(a, ctx),
        Command::Absent(a) => absent(a, ctx),
        Command::Open(a) => open(a, ctx),
        Command::Speak(a) => speak(a, ctx),
        Command::Close(a) => close(a, ctx),
        Command::Reopen(a) => reopen(a, ctx),
        Command::Reschedule(a) => reschedule(a, ctx),
        Command::Decide(a) => decide(a, ctx),
        Command::Leave(a) => leave(a, ctx),
        Command::Speech(c) => speech(c, ctx),
    }
}

fn convene(a: ConveneArgs, ctx: &mut Ctx) -> Result<()> {
    let when = args::datetime("--date", &a.date)?;
    let req = meetings::ConveneRequest {
        when,
        today: ctx.today(),
        place: text::single_line("--place", &a.place)?,
        chair: text::optional(a.chair.as_deref(), |n| text::name("--chair", n))?,
        recorder: text::optional(a.recorder.as_deref(), |n| text::name("--recorder", n))?,
        title: text::optional(a.title.as_deref(), |t| text::single_line("--title", t))?,
        issues: a
            .issues
            .iter()
            .map(|i| args::issue_id(i))
            .collect::<Result<_>>()?,
        invite: a
            .invite
            .iter()
            .map(|n| text::name("--invite", n))
            .collect::<Result<_>>()?,
        observers: a
            .observer
            .iter()
            .map(|n| text::name("--observer", n))
            .collect::<Result<_>>()?,
        urgent: a.urgent,
        dry_run: a.dry_run,
    };
    let actor = ctx.actor("council convene");
    ctx.store_for(req.dry_run)?;
    let (store, config) = ctx.store_and_config()?;
    let done = meetings::convene(store, &actor, config, req)?;
    let (Some(id), Some(rec)) = (done.id, &done.record) else {
        return print_plan(ctx, &done);
    };
    let new = &done.meeting;
    if done.in_the_past {
        ctx.out
            .warn_text(&yishi_core::text!("council.past", when = &new.starts_at));
    }
    if ctx.out.json {
        return ctx.out.json(rec);
    }
    ctx.out.say(&yishi_core::text!(
        "council.convened",
        id = id,
        title = &new.title,
        when = &new.starts_at,
        place = &new.place,
        items = done.agenda.len(),
        invited = done.invitations.len()
    ));
    Ok(())
}

fn print_plan(ctx: &Ctx, plan: &Convened) -> Result<()> {
    let m = &plan.meeting;
    if ctx.out.json {
        return ctx.out.json(&json!({
            "title": m.title, "starts_at": m.starts_at, "place": m.place, "urgent": m.urgent,
            "agenda": plan.agenda.iter().map(|i| json!({"issue_id": i.id, "title": i.title})).collect::<Vec<_>>(),
            "invitations": plan.invitations,
            "rules": m.rules,
        }));
    }
    let mut out = format!(
        "dry run: {} — {} — {}\n\n议程 agenda:\n",
        m.title, m.starts_at, m.place
    );
    for (n, i) in plan.agenda.iter().enumerate() {
        out.push_str(&format!("  {}. #{} {}\n", n + 1, i.id, i.title));
    }
    out.push_str("\n邀请 invitations:\n");
    for inv in &plan.invitations {
        out.push_str(&format!(
            "  {} ({}){}\n",
            inv.name,
            ctx.config.seat_label(&inv.seat, ctx.config.locale),
            if inv.items.is_empty() {
                String::new()
            } else {
                format!(" for {}", items_label(&inv.items))
            }
        ));
    }
    out.push_str("\nnothing was changed; run again without --dry-run to convene\n");
    ctx.out.print(&yishi_core::render::clean(&out))
}

fn list(a: ListArgs, ctx: &mut Ctx) -> Result<()> {
    let today = ctx.today().to_string();
    let filter = meetings::MeetingFilter {
        upcoming_from: a.upcoming.then_some(today.as_str()),
        before: a.past.then_some(today.as_str()),
    };
    let window = a.paging.window(ctx.out.json);
    let (page, total) = meetings::list(ctx.reader()?, filter, window.sql(), |shown| {
        window.needs_total(shown as u64)
    })?;
    if ctx.out.json {
        let meetings: Vec<_> = page.iter().map(|l| &l.meeting).collect();
        return ctx.out.json(&meetings);
    }
    let shown = page.len() as u64;
    let total = total.unwrap_or(window.offset + shown);
    if total == 0 {
        ctx.out.say(&if a.upcoming || a.past {
            yishi_core::text!("council.none_match")
        } else {
            yishi_core::text!("council.none")
        });
        return Ok(());
    }
    let zh = ctx.config.locale == Locale::ZhCn;
    let header: &[&str] = if zh {
        &["编号", "届次", "时间", "地点", "名称", "状态", "议题"]
    } else {
        &["id", "no.", "time", "place", "title", "status", "items"]
    };
    let mut t = table::new(header, ctx.out.tty);
    for meetings::Listed { meeting: m, items } in &page {
        table::row(
            &mut t,
            vec![
                m.label(),
                m.number.to_string(),
                m.starts_at.clone(),
                m.place.clone(),
                m.title.clone(),
                m.status.label(ctx.config.locale).into(),
                items.to_string(),
            ],
        );
    }
    paging::print(
        &ctx.out,
        t,
        window,
        (shown, total),
        paging::Listed::Councils,
    )
}

/// Mask contacts in a record before it is shown: phones, and every name by the one rule.
pub fn masked(ctx: &Ctx, mut rec: record::MeetingRecord) -> record::MeetingRecord {
    for p in &mut rec.participants {
        p.phone = p.phone.as_deref().map(|x| ctx.out.phone(Some(x)));
    }
    yishi_core::render::mask::meeting_record(&mut rec, &ctx.out.names);
    rec
}

fn show(a: MeetingArg, ctx: &mut Ctx) -> Result<()> {
    let id = args::meeting_id(&a.meeting)?;
    ctx.config.locale = ctx.doc_locale();
    let rec = meetings::record(ctx.reader()?, id)?;
    let rec = masked(ctx, rec);
    if ctx.out.json {
        return ctx.out.json(&rec);
    }
    ctx.out.print(&yishi_core::render::clean(
        &yishi_core::render::council::show(&rec, &ctx.config),
    ))
}

fn notice(a: NoticeArgs, ctx: &mut Ctx) -> Result<()> {
    let doc = a.doc.check(ctx)?;
    let id = args::meeting_id(&a.meeting)?;
    let actor = ctx.actor("council notice");
    ctx.store()?;
    let names = ctx.out.names.clone();
    let (store, config) = ctx.store_and_config()?;
    let (posted, view) =
        meetings::notice(store, &actor, id, doc.posting.clone(), |rec, signed_on| {
            let mut rec = rec.clone();
            yishi_core::render::mask::meeting_record(&mut rec, &names);
            let v = yishi_core::render::notice::meeting(&rec, config, doc.locale, signed_on);
            Ok((doc.text(&v)?, v))
        })?;
    let which = yishi_core::ops::postings::Which {
        kind: yishi_core::domain::followup::NoticeKind::Meeting,
        meeting_id: Some(id.0),
        issue_id: None,
        zh: format!("{id} 的会议通知"),
        en: format!("the meeting notice of {id}"),
    };
    doc.report(ctx, &which, &posted);
    doc.emit(ctx, &view)
}

fn signin(a: SigninArgs, ctx: &mut Ctx) -> Result<()> {
    use yishi_core::render::doc::{Format, Rendered};
    use yishi_core::render::signin;
    let format = Format::resolve(
        a.format.as_deref(),
        a.output.as_deref(),
        Format::Html,
        &[Format::Html, Format::Docx],
    )?;
    let locale = ctx.doc_locale();
    let id = args::meeting_id(&a.meeting)?;
    let rec = meetings::record(ctx.reader()?, id)?;
    let rec = masked(ctx, rec);
    let view = signin::build(&rec, &ctx.config, locale, a.blank);
    let rendered = match format {
        Format::Docx => Rendered::Bytes(signin::docx(&view)?),
        _ => Rendered::Text(signin::html(&view)?),
    };
    ctx.out.save_rendered(a.output.as_deref(), &rendered)
}

/// A stakeholder's items as `#1 #2`.
fn items_label(items: &[i64]) -> String {
    items
        .iter()
        .map(|i| format!("#{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn invite(a: InviteArgs, ctx: &mut Ctx) -> Result<()> {
    let req = meetings::InviteRequest {
        meeting: args::meeting_id(&a.meeting)?,
        name: text::name("name", &a.name)?,
        phone: text::optional(a.phone.as_deref(), yishi_core::domain::contact::phone)?,
        for_issue: a.for_issue.as_deref().map(args::issue_id).transpose()?,
        observer: a.observer,
    };
    let actor = ctx.actor("council invite");
    let (store, config) = ctx.store_and_config()?;
    let done = meetings::invite(store, &actor, config, req)?;
    let inv = &done.invitation;
    if let Some(issue) = done.added_item {
        ctx.out.say(&yishi_core::text!(
            "council.invited_item",
            issue = issue,
            name = &inv.name,
            meeting = done.meeting,
            items = items_label(&inv.items)
        ));
        return Ok(());
    }
    ctx.out.say(&yishi_core::text!(
        "council.invited",
        name = &inv.name,
        meeting = done.meeting,
        seat = ctx.config.seat_label(&inv.seat, ctx.config.locale)
    ));
    Ok(())
}

fn attend(mut a: AttendArgs, ctx: &mut Ctx) -> Result<()> {
    let meeting = args::meeting_id(&a.meeting)?;
    // Names are separated the same way in every command: spaces, commas or 、.
    a.names = super::vote::split_names(&a.names);
    let late_at = a
        .late
        .as_deref()
        .map(|v| args::clock("--late", Some(v), ctx.now))
        .transpose()?;
    let authorisation = text::optional(a.authorisation.as_deref(), |v| {
        text::single_line("--authorisation", v)
    })?;
    if a.proxy_for.is_some() && a.names.len() != 1 {
        return Err(Error::usage_text(yishi_core::text!(
            "council.proxy_one_holder"
        )));
    }
    let req = meetings::AttendRequest {
        meeting,
        names: a.names.clone(),
        online: a.online,
        late_at,
        proxy_for: a.proxy_for.clone(),
        authorisation,
    };
    let actor = ctx.actor("council attend");
    let now = meetings::attend(ctx.store()?, &actor, req)?;
    let names: Vec<&str> = a.names.iter().map(|n| n.trim()).collect();
    let present = yishi_core::text!(
        "council.present",
        meeting = meeting,
        names = names.join("、")
    );
    ctx.out.say(&match &a.proxy_for {
        Some(p) => present.text("proxy", &yishi_core::text!("council.by_proxy", name = p)),
        None => present.pair("proxy", "", ""),
    });
    let q = now.quorum;
    ctx.out.say(
        &yishi_core::text!(
            "council.quorum",
            present = q.present,
            base = q.base,
            needed = q.needed,
            rule = &now.rule
        )
        .pair(
            "met",
            if q.met { "已达到" } else { "未达到" },
            if q.met { "met" } else { "not met" },
        ),
    );
    Ok(())
}

fn absent(a: AbsentArgs, ctx: &mut Ctx) -> Result<()> {
    let meeting = args::meeting_id(&a.meeting)?;
    let reason = text::single_line("--reason", &a.reason)?;
    let actor = ctx.actor("council absent");
    let req = meetings::AbsentRequest {
        meeting,
        name: a.name,
        reason: reason.clone(),
    };
    let name = meetings::absent(ctx.store()?, &actor, req)?;
    ctx.out.say(&yishi_core::text!(
        "council.absent",
        meeting = meeting,
        name = &name,
        reason = &reason
    ));
    Ok(())
}

fn open(a: OpenArgs, ctx: &mut Ctx) -> Result<()> {
    let meeting = args::meeting_id(&a.meeting)?;
    let at = args::clock("--at", a.at.as_deref(), ctx.now)?;
    let actor = ctx.actor("council open");
    let req = meetings::OpenRequest {
        meeting,
        at: at.clone(),
        without_quorum: a.without_quorum,
    };
    let q = meetings::open(ctx.store()?, &actor, req)?.quorum;
    ctx.out.say(
        &yishi_core::text!(
            "council.opened",
            meeting = meeting,
            at = &at,
            present = q.present,
            base = q.base
        )
        .pair(
            "met",
            if q.met {
                "已达法定人数"
            } else {
                "未达法定人数"
            },
            if q.met { "met" } else { "NOT met" },
        ),
    );
    Ok(())
}

fn speak(a: SpeakArgs, ctx: &mut Ctx) -> Result<()> {
    let meeting = args::meeting_id(&a.meeting)?;
    let issue = args::issue_id(&a.item)?;
    let summary = text::multi_line("summary", &a.summary)?;
    let position = SpeechPosition::parse(&a.position).ok_or_else(|| {
        Error::data_text(yishi_core::text!(
            "council.not_a_position",
            value = a.position.trim()
        ))
    })?;
    let actor = ctx.actor("council speak");
    let req = meetings::SpeakRequest {
        meeting,
        issue,
        by: a.by,
        position,
        summary,
        minutes: a.minutes,
    };
    let done = meetings::speak(ctx.store()?, &actor, req)?;
    for w in &done.nantang {
        ctx.out.warn_text(w);
    }
    let rules = &done.rules;
    if let Some(took) = a
        .minutes
        .filter(|&t| rules.speech_minutes > 0 && t > rules.speech_minutes)
    {
        ctx.out.warn_text(&yishi_core::text!(
            "council.speech_long",
            speaker = &done.speaker,
            took = took,
            limit = rules.speech_minutes
        ));
    }
    let limit = rules.speeches_per_motion;
    if limit > 0 && done.times > limit {
        ctx.out.warn_text(&yishi_core::text!(
            "council.speech_often",
            speaker = &done.speaker,
            times = done.times,
            issue = &issue,
            limit = limit
        ));
    }
    ctx.out.say(
        &yishi_core::text!("council.spoke", speaker = &done.speaker, issue = &issue).pair(
            "position",
            position.label(Locale::ZhCn),
            position.label(Locale::En),
        ),
    );
    Ok(())
}

fn close(a: CloseArgs, ctx: &mut Ctx) -> Result<()> {
    let meeting = args::meeting_id(&a.meeting)?;
    let at =
        a.at.as_deref()
            .map(|v| args::clock("--at", Some(v), ctx.now))
            .transpose()?;
    let actor = ctx.actor("council close");
    let req = meetings::CloseRequest {
        meeting,
        at,
        now: args::clock("--at", None, ctx.now)?,
    };
    let done = meetings::close(ctx.store()?, &actor, req)?;
    for (id, title) in &done.decided {
        ctx.out.say(&yishi_core::text!(
            "council.close_decided",
            id = id,
            title = title
        ));
    }
    let at = &done.at;
    if done.kept {
        ctx.out.say(&yishi_core::text!(
            "council.closed_again",
            meeting = meeting,
            at = &at
        ));
    } else {
        ctx.out.say(&yishi_core::text!(
            "council.closed",
            meeting = meeting,
            at = &at
        ));
    }
    Ok(())
}

fn reschedule(a: RescheduleArgs, ctx: &mut Ctx) -> Result<()> {
    let req = meetings::RescheduleRequest {
        meeting: args::meeting_id(&a.meeting)?,
        to: args::datetime("--to", &a.to)?,
        reason: text::multi_line("--reason", &a.reason)?,
        urgent: a.urgent,
    };
    let actor = ctx.actor("council reschedule");
    let done = meetings::reschedule(ctx.store()?, &actor, req)?;
    ctx.out.say(&yishi_core::text!(
        "council.rescheduled",
        meeting = done.meeting,
        from = &done.from,
        to = &done.to
    ));
    if done.notice_posted {
        ctx.out.warn_text(&yishi_core::text!(
            "council.rescheduled_notice",
            meeting = done.meeting
        ));
    }
    Ok(())
}

fn reopen(a: ReopenArgs, ctx: &mut Ctx) -> Result<()> {
    let meeting = args::meeting_id(&a.meeting)?;
    let reason = text::multi_line("--reason", &a.reason)?;
    let actor = ctx.actor("council reopen");
    meetings::reopen(ctx.store()?, &actor, meeting, &reason)?;
    ctx.out.say(&yishi_core::text!(
        "council.reopened",
        meeting = meeting,
        reason = &reason
    ));
    Ok(())
}

fn decide(a: DecideArgs, ctx: &mut Ctx) -> Result<()> {
    let meeting = args::meeting_id(&a.meeting)?;
    let issue = args::issue_id(&a.item)?;
    let reason = a
        .reason
        .as_deref()
        .map(|r| text::single_line("--reason", r))
        .transpose()?;
    if reason.is_some() && !a.defer && !a.escalate {
        return Err(Error::usage_text(yishi_core::text!(
            "council.reason_needs_how"
        )));
    }
    let actor = ctx.actor("council decide");
    let req = meetings::DecideRequest {
        meeting,
        issue,
        defer: reason.clone().filter(|_| a.defer),
        escalate: reason.filter(|_| a.escalate),
    };
    let escalated = req.escalate.clone();
    let done = meetings::decide(ctx.store()?, &actor, req)?;
    if let Some(reason) = escalated {
        ctx.out.say(&yishi_core::text!(
            "escalate.at_council",
            meeting = meeting,
            issue = &issue,
            reason = &reason
        ));
        return Ok(());
    }
    ctx.out.say(&yishi_core::text!(
        "council.decided",
        meeting = meeting,
        issue = &issue,
        result = done.result().label(ctx.config.locale)
    ));
    Ok(())
}

fn leave(a: LeaveArgs, ctx: &mut Ctx) -> Result<()> {
    let meeting = args::meeting_id(&a.meeting)?;
    let at = args::clock("--at", Some(&a.at), ctx.now)?;
    let actor = ctx.actor("council leave");
    let req = meetings::LeaveRequest {
        meeting,
        name: a.name,
        at: at.clone(),
    };
    let name = meetings::leave(ctx.store()?, &actor, req)?;
    ctx.out.say(&yishi_core::text!(
        "council.left",
        meeting = meeting,
        name = &name,
        at = &at
    ));
    Ok(())
}

fn speech(c: SpeechCommand, ctx: &mut Ctx) -> Result<()> {
    let (id, change, reason, what) = match c {
        SpeechCommand::Edit {
            id,
            summary,
            reason,
        } => (
            id,
            meetings::SpeechChange::Edit {
                summary: text::multi_line("--summary", &summary)?,
            },
            reason,
            "corrected",
        ),
        SpeechCommand::Withdraw { id, reason } => {
            (id, meetings::SpeechChange::Withdraw, reason, "withdrawn")
        }
    };
    let reason = text::single_line("--reason", &reason)?;
    let actor = ctx.actor("council speech");
    let s = meetings::correct_speech(ctx.store()?, &actor, id, change, &reason)?;
    ctx.out.say(&yishi_core::text!(
        "council.speech_corrected",
        id = id,
        speaker = &s.speaker,
        what = &what,
        reason = &reason
    ));
    Ok(())
}
