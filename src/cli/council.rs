//! `yishi council ...`: convene a 6+X council, record attendance and speeches, open and close.

use super::Ctx;
use super::issue::parse_issue_id;
use crate::config::Locale;
use crate::domain::date;
use crate::domain::issue::Status;
use crate::domain::meeting::{Attendance, MeetingStatus};
use crate::domain::seat::{self, SeatKind};
use crate::domain::text;
use crate::error::{Error, Result};
use crate::render::table;
use crate::store::issues::{self, Issue};
use crate::store::meetings::{self, AttendanceChange, Invitation, Meeting, NewMeeting};
use crate::store::{members, record};
use serde_json::json;

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Convene a council: agenda, 6+X invitations, the rules in force.
    #[command(
        after_help = "Examples:\n  yishi council convene --date \"2026-12-01 19:30\" --place 老村部三楼会议室 --chair 王建国 --recorder 李娜 --dry-run\n  yishi council convene --date \"2026-12-01 19:30\" --place 老村部三楼会议室 --issue 12 --observer 社工小周"
    )]
    Convene(ConveneArgs),
    /// List the councils.
    List(ListArgs),
    /// Agenda, invitations by seat, attendance, quorum, speeches, motions and results.
    #[command(after_help = "Example:\n  yishi council show M1 --json")]
    Show(MeetingArg),
    /// The 会议通知 to post on the notice board and in the chat group.
    #[command(after_help = "Example:\n  yishi council notice M1")]
    Notice(MeetingArg),
    /// Invite one more person after convening.
    #[command(
        after_help = "Examples:\n  yishi council invite M1 周师傅 --for 12\n  yishi council invite M1 街道办刘科长 --observer"
    )]
    Invite(InviteArgs),
    /// Record who came (签到).
    #[command(
        after_help = "Examples:\n  yishi council attend M1 王建国 李娜 张伟\n  yishi council attend M1 赵敏 --online\n  yishi council attend M1 孙强 --late 19:45\n  yishi council attend M1 林秀英 --proxy-for 陈志明 --authorisation \"书面委托书 2026-11-30\""
    )]
    Attend(AttendArgs),
    /// Record an absence with its reason.
    #[command(after_help = "Example:\n  yishi council absent M1 陈志明 --reason 出差")]
    Absent(AbsentArgs),
    /// Open the meeting; refused without quorum unless --without-quorum.
    #[command(after_help = "Example:\n  yishi council open M1 --at 19:35")]
    Open(OpenArgs),
    /// Record a speech: speaker, for or against, and a summary (南塘议事规则).
    #[command(
        after_help = "Example:\n  yishi council speak M1 --item 12 --by 张伟 --position for \"四楼闲置多年，改造成本低\""
    )]
    Speak(SpeakArgs),
    /// End the meeting; the record becomes read-only.
    #[command(after_help = "Example:\n  yishi council close M1 --at 21:10")]
    Close(CloseArgs),
    /// Reopen a closed meeting to correct it; the reason is kept and shown in the minutes.
    #[command(after_help = "Example:\n  yishi council reopen M1 --reason \"补录李娜的发言\"")]
    Reopen(ReopenArgs),
}

#[derive(clap::Args, Debug)]
pub struct ConveneArgs {
    /// When: "YYYY-MM-DD HH:MM".
    #[arg(long)]
    date: String,
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
}

#[derive(clap::Args, Debug)]
pub struct MeetingArg {
    /// The meeting: M1 or 1.
    pub meeting: String,
}

#[derive(clap::Args, Debug)]
pub struct InviteArgs {
    meeting: String,
    name: String,
    /// Invite as an observer (列席).
    #[arg(long)]
    observer: bool,
    /// The agenda issue this stakeholder is invited for.
    #[arg(long = "for")]
    for_issue: Option<String>,
    #[arg(long)]
    phone: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct AttendArgs {
    meeting: String,
    /// Who came (names as invited).
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
    meeting: String,
    name: String,
    #[arg(long)]
    reason: String,
}

#[derive(clap::Args, Debug)]
pub struct OpenArgs {
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
    meeting: String,
    /// The time it ended (散会) [default: now].
    #[arg(long, value_name = "HH:MM")]
    at: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ReopenArgs {
    meeting: String,
    #[arg(long)]
    reason: String,
}

pub fn run(cmd: Command, ctx: &mut Ctx) -> Result<()> {
    match cmd {
        Command::Convene(a) => convene(a, ctx),
        Command::List(a) => list(a, ctx),
        Command::Show(a) => show(a, ctx),
        Command::Notice(a) => notice(a, ctx),
        Command::Invite(a) => invite(a, ctx),
        Command::Attend(a) => attend(a, ctx),
        Command::Absent(a) => absent(a, ctx),
        Command::Open(a) => open(a, ctx),
        Command::Speak(a) => speak(a, ctx),
        Command::Close(a) => close(a, ctx),
        Command::Reopen(a) => reopen(a, ctx),
    }
}

pub fn parse_meeting_id(typed: &str) -> Result<i64> {
    text::parse_id(typed, 'M').ok_or_else(|| {
        Error::data(format!(
            "\"{typed}\" is not a meeting id (expected M1 or 1)"
        ))
    })
}

fn clock(flag: &str, v: Option<&str>) -> Result<String> {
    match v {
        Some(v) => date::parse_clock(v)
            .map(|t| t.format("%H:%M").to_string())
            .ok_or_else(|| {
                Error::data(format!(
                    "{flag} \"{v}\" is not a time (expected HH:MM, e.g. 19:45)"
                ))
            }),
        None => Ok(date::now().format("%H:%M").to_string()),
    }
}

/// The agenda: the issues given, or the accepted issues that were pre-consulted.
fn choose_agenda(ctx: &Ctx, given: &[String]) -> Result<Vec<Issue>> {
    let conn = ctx.conn()?;
    if !given.is_empty() {
        let mut agenda = Vec::new();
        for typed in given {
            let issue = issues::require(conn, parse_issue_id(typed)?)?;
            issue
                .status()?
                .check_step(Status::Scheduled)
                .map_err(|why| {
                    Error::refused(format!(
                        "issue #{} cannot go on the agenda: {why}",
                        issue.id
                    ))
                })?;
            if !agenda.iter().any(|i: &Issue| i.id == issue.id) {
                agenda.push(issue);
            }
        }
        return Ok(agenda);
    }
    let mut candidates = Vec::new();
    let filter = issues::Filter {
        status: Some("accepted".into()),
        ..Default::default()
    };
    issues::each(conn, &filter, |i| {
        candidates.push(i);
        Ok(())
    })?;
    let mut agenda = Vec::new();
    for i in candidates {
        if !issues::consultations(conn, i.id)?.is_empty() {
            agenda.push(i);
        }
    }
    if agenda.is_empty() {
        return Err(Error::refused(
            "no accepted issue has been pre-consulted, so there is no agenda to propose: record a pre-consultation with `yishi issue consult ID --with ... --summary ...`, or name the issues with --issue ID",
        ));
    }
    Ok(agenda)
}

/// Everyone to invite: active standing members, each agenda issue's stakeholders, extras.
fn choose_invitations(
    ctx: &Ctx,
    agenda: &[Issue],
    extra: &[String],
    observers: &[String],
) -> Result<Vec<Invitation>> {
    let conn = ctx.conn()?;
    let mut list: Vec<Invitation> = Vec::new();
    let mut add = |inv: Invitation| {
        if !list.iter().any(|i| i.name == inv.name) {
            list.push(inv);
        }
    };
    for m in members::list(conn, None, false)? {
        if ctx.config.seat_kind(&m.seat) == SeatKind::Standing {
            add(Invitation {
                member_id: Some(m.id),
                name: m.name,
                seat: m.seat,
                role: SeatKind::Standing,
                for_issue: None,
                phone: m.phone,
            });
        }
    }
    for issue in agenda {
        for s in issues::stakeholders(conn, issue.id)? {
            add(stakeholder_invitation(
                ctx,
                &s.name,
                Some(issue.id),
                s.phone,
            )?);
        }
    }
    for name in extra {
        let name = text::name("--invite", name)?;
        let found = members::by_name(conn, &name)?;
        match found.iter().find(|m| m.active()) {
            Some(m) => {
                let role = ctx.config.seat_kind(&m.seat);
                add(Invitation {
                    member_id: Some(m.id),
                    name: m.name.clone(),
                    seat: m.seat.clone(),
                    role,
                    for_issue: None,
                    phone: m.phone.clone(),
                })
            }
            None => add(stakeholder_invitation(ctx, &name, None, None)?),
        }
    }
    for name in observers {
        add(observer_invitation(ctx, &text::name("--observer", name)?)?);
    }
    Ok(list)
}

fn stakeholder_invitation(
    ctx: &Ctx,
    name: &str,
    for_issue: Option<i64>,
    phone: Option<String>,
) -> Result<Invitation> {
    let member = members::by_name(ctx.conn()?, name)?
        .into_iter()
        .find(|m| m.active());
    Ok(Invitation {
        member_id: member.as_ref().map(|m| m.id),
        name: name.to_string(),
        seat: seat::STAKEHOLDER.into(),
        role: SeatKind::Stakeholder,
        for_issue,
        phone: phone.or(member.and_then(|m| m.phone)),
    })
}

fn observer_invitation(ctx: &Ctx, name: &str) -> Result<Invitation> {
    let member = members::by_name(ctx.conn()?, name)?
        .into_iter()
        .find(|m| m.active());
    Ok(Invitation {
        member_id: member.as_ref().map(|m| m.id),
        name: name.to_string(),
        seat: seat::OBSERVER.into(),
        role: SeatKind::Observer,
        for_issue: None,
        phone: member.and_then(|m| m.phone),
    })
}

fn convene(a: ConveneArgs, ctx: &mut Ctx) -> Result<()> {
    let when = date::parse_datetime(&a.date).ok_or_else(|| {
        Error::data(format!("--date \"{}\" is not a date and time (expected \"YYYY-MM-DD HH:MM\", e.g. \"2026-12-01 19:30\")", a.date))
    })?;
    let place = text::single_line("--place", &a.place)?;
    let chair = text::optional(a.chair.as_deref(), |n| text::name("--chair", n))?;
    let recorder = text::optional(a.recorder.as_deref(), |n| text::name("--recorder", n))?;
    let rules = ctx.config.rules.clone();
    let days = (when.date() - date::today()).num_days();
    if days >= 0 && days < i64::from(rules.notice_days) && !a.urgent {
        return Err(Error::refused(format!(
            "the meeting is {days} day(s) away, less than the {} days of notice in yishi.toml (rules.notice_days): give --urgent (the minutes will say so) or choose a later date",
            rules.notice_days
        )));
    }
    ctx.store()?;
    let agenda = choose_agenda(ctx, &a.issues)?;
    let invitations = choose_invitations(ctx, &agenda, &a.invite, &a.observer)?;
    let number = meetings::next_number(ctx.conn()?)?;
    let title = match &a.title {
        Some(t) => text::single_line("--title", t)?,
        None => match ctx.config.locale {
            Locale::ZhCn => format!("{}第{number}次居民议事会", ctx.config.community),
            Locale::En => format!(
                "Residents' council No. {number} of {}",
                ctx.config.community
            ),
        },
    };
    let new = NewMeeting {
        number,
        title,
        starts_at: when.format("%Y-%m-%d %H:%M").to_string(),
        place,
        chair,
        recorder,
        urgent: a.urgent,
        rules,
    };
    if a.dry_run {
        return print_plan(ctx, &new, &agenda, &invitations);
    }
    if days < 0 {
        ctx.out.warn(&format!(
            "{} is in the past: recording a meeting after the fact",
            new.starts_at
        ));
    }
    let actor = ctx.actor("council convene");
    let id = ctx.store()?.write(&actor, |w| {
        meetings::convene(w, &new, &agenda, &invitations)
    })?;
    if ctx.out.json {
        return ctx.out.json(&record::load(ctx.conn()?, id)?);
    }
    ctx.out.note(&format!(
        "convened M{id} {} on {} at {}: {} agenda item(s), {} invited; next: `yishi council notice M{id}`",
        new.title,
        new.starts_at,
        new.place,
        agenda.len(),
        invitations.len()
    ));
    Ok(())
}

fn print_plan(
    ctx: &Ctx,
    m: &NewMeeting,
    agenda: &[Issue],
    invitations: &[Invitation],
) -> Result<()> {
    if ctx.out.json {
        return ctx.out.json(&json!({
            "title": m.title, "starts_at": m.starts_at, "place": m.place, "urgent": m.urgent,
            "agenda": agenda.iter().map(|i| json!({"issue_id": i.id, "title": i.title})).collect::<Vec<_>>(),
            "invitations": invitations,
            "rules": m.rules,
        }));
    }
    let mut out = format!(
        "dry run: {} — {} — {}\n\n议程 agenda:\n",
        m.title, m.starts_at, m.place
    );
    for (n, i) in agenda.iter().enumerate() {
        out.push_str(&format!("  {}. #{} {}\n", n + 1, i.id, i.title));
    }
    out.push_str("\n邀请 invitations:\n");
    for inv in invitations {
        out.push_str(&format!(
            "  {} ({}){}\n",
            inv.name,
            ctx.config.seat_label(&inv.seat, ctx.config.locale),
            inv.for_issue
                .map(|i| format!(" for #{i}"))
                .unwrap_or_default()
        ));
    }
    out.push_str("\nnothing was changed; run again without --dry-run to convene\n");
    ctx.out.print(&crate::render::clean(&out))
}

fn list(a: ListArgs, ctx: &mut Ctx) -> Result<()> {
    ctx.store()?;
    let today = date::today().to_string();
    let all = meetings::list(ctx.conn()?)?;
    let shown: Vec<&Meeting> = all
        .iter()
        .filter(|m| !a.upcoming || m.starts_at[..10] >= *today.as_str())
        .filter(|m| !a.past || m.starts_at[..10] < *today.as_str())
        .collect();
    if ctx.out.json {
        return ctx.out.json(&shown);
    }
    if shown.is_empty() {
        ctx.out.note(
            "no councils yet: convene one with `yishi council convene --date ... --place ...`",
        );
        return Ok(());
    }
    let zh = ctx.config.locale == Locale::ZhCn;
    let header: &[&str] = if zh {
        &["编号", "届次", "时间", "地点", "名称", "状态", "议题"]
    } else {
        &["id", "no.", "time", "place", "title", "status", "items"]
    };
    let mut t = table::new(header, ctx.out.tty);
    for m in shown {
        let items = meetings::agenda(ctx.conn()?, m.id)?.len();
        table::row(
            &mut t,
            vec![
                m.label(),
                m.number.to_string(),
                m.starts_at.clone(),
                m.place.clone(),
                m.title.clone(),
                if zh {
                    m.status().zh().into()
                } else {
                    m.status().key().into()
                },
                items.to_string(),
            ],
        );
    }
    ctx.out.table(t)
}

/// Mask contacts in a record before it is shown.
pub fn masked(ctx: &Ctx, mut rec: record::MeetingRecord) -> record::MeetingRecord {
    for p in &mut rec.participants {
        p.phone = p.phone.as_deref().map(|x| ctx.out.phone(Some(x)));
    }
    for item in &mut rec.agenda {
        item.submitted_by = item
            .submitted_by
            .as_deref()
            .map(|n| ctx.out.resident(Some(n)));
    }
    rec
}

fn show(a: MeetingArg, ctx: &mut Ctx) -> Result<()> {
    let id = parse_meeting_id(&a.meeting)?;
    ctx.store()?;
    let rec = masked(ctx, record::load(ctx.conn()?, id)?);
    if ctx.out.json {
        return ctx.out.json(&rec);
    }
    ctx.out
        .print(&crate::render::clean(&crate::render::council::show(
            &rec,
            &ctx.config,
        )))
}

fn notice(a: MeetingArg, ctx: &mut Ctx) -> Result<()> {
    let id = parse_meeting_id(&a.meeting)?;
    ctx.store()?;
    let rec = record::load(ctx.conn()?, id)?;
    ctx.out
        .print(&crate::render::clean(&crate::render::council::notice(
            &rec,
            &ctx.config,
        )))
}

fn invite(a: InviteArgs, ctx: &mut Ctx) -> Result<()> {
    let id = parse_meeting_id(&a.meeting)?;
    let name = text::name("name", &a.name)?;
    let phone = text::optional(a.phone.as_deref(), crate::domain::contact::phone)?;
    ctx.store()?;
    let m = meetings::require(ctx.conn()?, id)?;
    let for_issue = a.for_issue.as_deref().map(parse_issue_id).transpose()?;
    if let Some(issue) = for_issue
        && !meetings::agenda(ctx.conn()?, id)?
            .iter()
            .any(|i| i.issue_id == issue)
    {
        return Err(Error::data(format!(
            "issue #{issue} is not on the agenda of {}",
            m.label()
        )));
    }
    let mut inv = if a.observer {
        observer_invitation(ctx, &name)?
    } else {
        match members::by_name(ctx.conn()?, &name)?
            .into_iter()
            .find(|m| m.active())
        {
            Some(member) if for_issue.is_none() => Invitation {
                member_id: Some(member.id),
                role: ctx.config.seat_kind(&member.seat),
                name: member.name,
                seat: member.seat,
                for_issue: None,
                phone: member.phone,
            },
            _ => stakeholder_invitation(ctx, &name, for_issue, None)?,
        }
    };
    if phone.is_some() {
        inv.phone = phone;
    }
    let actor = ctx.actor("council invite");
    ctx.store()?
        .write(&actor, |w| meetings::invite(w, &m, &inv))?;
    ctx.out.note(&format!(
        "invited {} to {} as {}",
        inv.name,
        m.label(),
        ctx.config.seat_label(&inv.seat, ctx.config.locale)
    ));
    Ok(())
}

fn attend(a: AttendArgs, ctx: &mut Ctx) -> Result<()> {
    let id = parse_meeting_id(&a.meeting)?;
    let late = a
        .late
        .as_deref()
        .map(|v| clock("--late", Some(v)))
        .transpose()?;
    let authorisation = text::optional(a.authorisation.as_deref(), |v| {
        text::single_line("--authorisation", v)
    })?;
    if a.proxy_for.is_some() && a.names.len() != 1 {
        return Err(Error::usage(
            "--proxy-for takes exactly one proxy holder's name",
        ));
    }
    ctx.store()?;
    let m = meetings::require(ctx.conn()?, id)?;
    m.ensure_not_closed()?;
    let list = meetings::participants(ctx.conn()?, id)?;
    let mut changes = Vec::new();
    for name in &a.names {
        let p = meetings::find_participant(&list, &m, name)?;
        changes.push((
            p.clone(),
            Attendance::Present,
            AttendanceChange {
                online: a.online,
                late_at: late.clone(),
                ..Default::default()
            },
        ));
    }
    if let Some(absent) = &a.proxy_for {
        let holder = &changes[0].0;
        let represented = meetings::find_participant(&list, &m, absent)?;
        if !represented.role.votes(m.rules.stakeholders_vote) {
            return Err(Error::refused(format!(
                "{} has no vote, so no one can vote for them",
                represented.name
            )));
        }
        if represented.attendance == Attendance::Present {
            return Err(Error::refused(format!(
                "{} is present and votes in person",
                represented.name
            )));
        }
        let change = AttendanceChange {
            proxy_holder: Some(holder.name.clone()),
            authorisation: authorisation.clone(),
            ..Default::default()
        };
        changes.push((represented.clone(), Attendance::Proxy, change));
    }
    let actor = ctx.actor("council attend");
    ctx.store()?.write(&actor, |w| {
        for (p, att, change) in &changes {
            meetings::set_attendance(w, &m, p, *att, change)?;
        }
        Ok(())
    })?;
    let names: Vec<&str> = a.names.iter().map(|n| n.trim()).collect();
    ctx.out.note(&format!(
        "{}: {} present{}",
        m.label(),
        names.join("、"),
        a.proxy_for
            .as_ref()
            .map(|p| format!(", voting for {p} by proxy"))
            .unwrap_or_default()
    ));
    report_quorum(ctx, id)
}

fn report_quorum(ctx: &mut Ctx, id: i64) -> Result<()> {
    let rec = record::load(ctx.conn()?, id)?;
    let q = rec.quorum;
    ctx.out.note(&format!(
        "quorum: {} of {} present, {} needed ({}): {}",
        q.present,
        q.base,
        q.needed,
        rec.meeting.rules.quorum,
        if q.met { "met" } else { "not met" }
    ));
    Ok(())
}

fn absent(a: AbsentArgs, ctx: &mut Ctx) -> Result<()> {
    let id = parse_meeting_id(&a.meeting)?;
    let reason = text::single_line("--reason", &a.reason)?;
    ctx.store()?;
    let m = meetings::require(ctx.conn()?, id)?;
    let list = meetings::participants(ctx.conn()?, id)?;
    let p = meetings::find_participant(&list, &m, &a.name)?.clone();
    let actor = ctx.actor("council absent");
    let change = AttendanceChange {
        absence_reason: Some(reason.clone()),
        ..Default::default()
    };
    ctx.store()?.write(&actor, |w| {
        meetings::set_attendance(w, &m, &p, Attendance::Absent, &change)
    })?;
    ctx.out
        .note(&format!("{}: {} absent ({reason})", m.label(), p.name));
    Ok(())
}

fn open(a: OpenArgs, ctx: &mut Ctx) -> Result<()> {
    let id = parse_meeting_id(&a.meeting)?;
    let at = clock("--at", a.at.as_deref())?;
    ctx.store()?;
    let rec = record::load(ctx.conn()?, id)?;
    let m = &rec.meeting;
    match m.status() {
        MeetingStatus::Open => {
            return Err(Error::refused(format!("{} is already open", m.label())));
        }
        MeetingStatus::Closed => {
            return Err(Error::refused(format!(
                "{} is closed: reopen it with `yishi council reopen {} --reason ...`",
                m.label(),
                m.label()
            )));
        }
        MeetingStatus::Convened => {}
    }
    let q = rec.quorum;
    if !q.met && !a.without_quorum {
        return Err(Error::refused(format!(
            "no quorum: {} of {} present, {} needed ({} of invited standing members): record more attendance, or open with --without-quorum (the minutes will say so; no vote can be taken without quorum)",
            q.present, q.base, q.needed, m.rules.quorum
        )));
    }
    let actor = ctx.actor("council open");
    let without_quorum = !q.met;
    ctx.store()?.write(&actor, |w| {
        meetings::set_status(
            w,
            m,
            MeetingStatus::Open,
            Some(&at),
            json!({"at": at, "quorum": q, "without_quorum": without_quorum}),
        )
    })?;
    ctx.out.note(&format!(
        "{} opened at {at}; quorum {} of {} ({})",
        m.label(),
        q.present,
        q.base,
        if q.met { "met" } else { "NOT met" }
    ));
    Ok(())
}

fn speak(a: SpeakArgs, ctx: &mut Ctx) -> Result<()> {
    let id = parse_meeting_id(&a.meeting)?;
    let issue_id = parse_issue_id(&a.item)?;
    let summary = text::multi_line("summary", &a.summary)?;
    let position = match a.position.trim() {
        "for" | "赞成" | "支持" => "for",
        "against" | "反对" => "against",
        "neutral" | "中立" => "neutral",
        other => {
            return Err(Error::data(format!(
                "--position \"{other}\" is not a position (allowed: for, against, neutral)"
            )));
        }
    };
    ctx.store()?;
    let m = meetings::require(ctx.conn()?, id)?;
    if !meetings::agenda(ctx.conn()?, id)?
        .iter()
        .any(|i| i.issue_id == issue_id)
    {
        return Err(Error::data(format!(
            "issue #{issue_id} is not on the agenda of {}",
            m.label()
        )));
    }
    let list = meetings::participants(ctx.conn()?, id)?;
    let p = meetings::find_participant(&list, &m, &a.by)?.clone();
    if !p.attendance.counts_as_present() || p.attendance == Attendance::Proxy {
        return Err(Error::refused(format!(
            "{} is not recorded as present at {}: record attendance first with `yishi council attend {} {}`",
            p.name,
            m.label(),
            m.label(),
            p.name
        )));
    }
    let earlier = meetings::speeches(ctx.conn()?, id)?
        .iter()
        .filter(|s| s.issue_id == issue_id && s.participant_id == p.id)
        .count() as u32;
    let actor = ctx.actor("council speak");
    ctx.store()?.write(&actor, |w| {
        meetings::add_speech(w, &m, issue_id, &p, position, &summary, a.minutes)
    })?;
    if let Some(took) = a
        .minutes
        .filter(|&t| m.rules.speech_minutes > 0 && t > m.rules.speech_minutes)
    {
        ctx.out.warn(&format!(
            "{}'s speech took {took} minutes; the rules allow {} per speech (南塘议事规则)",
            p.name, m.rules.speech_minutes
        ));
    }
    let limit = m.rules.speeches_per_motion;
    if limit > 0 && earlier + 1 > limit {
        ctx.out.warn(&format!(
            "{} has now spoken {} times on #{issue_id}; the rules allow {limit} per person per motion (南塘议事规则)",
            p.name,
            earlier + 1
        ));
    }
    ctx.out.note(&format!(
        "recorded {}'s speech ({position}) on #{issue_id}",
        p.name
    ));
    Ok(())
}

fn close(a: CloseArgs, ctx: &mut Ctx) -> Result<()> {
    let id = parse_meeting_id(&a.meeting)?;
    let at = clock("--at", a.at.as_deref())?;
    ctx.store()?;
    let m = meetings::require(ctx.conn()?, id)?;
    m.ensure_open("a meeting is closed")?;
    let open_motions: Vec<String> = crate::store::motions::for_meeting(ctx.conn()?, id)?
        .iter()
        .filter(|v| v.status != "closed")
        .map(|v| v.label())
        .collect();
    if !open_motions.is_empty() {
        return Err(Error::refused(format!(
            "{} still has motions without a result: {}; close them with `yishi vote close ...` (or --defer) first",
            m.label(),
            open_motions.join(", ")
        )));
    }
    let actor = ctx.actor("council close");
    let deferred = ctx.store()?.write(&actor, |w| {
        let deferred = meetings::defer_undecided(w, &m)?;
        meetings::set_status(
            w,
            &m,
            MeetingStatus::Closed,
            Some(&at),
            json!({"at": at, "deferred": deferred}),
        )?;
        Ok(deferred)
    })?;
    for issue in &deferred {
        ctx.out.warn(&format!(
            "issue #{issue} was not decided and goes back to accepted"
        ));
    }
    ctx.out.note(&format!(
        "{} closed at {at}; the record is now read-only. Next: `yishi minutes export {}`",
        m.label(),
        m.label()
    ));
    Ok(())
}

fn reopen(a: ReopenArgs, ctx: &mut Ctx) -> Result<()> {
    let id = parse_meeting_id(&a.meeting)?;
    let reason = text::multi_line("--reason", &a.reason)?;
    ctx.store()?;
    let m = meetings::require(ctx.conn()?, id)?;
    if m.status() != MeetingStatus::Closed {
        return Err(Error::refused(format!(
            "{} is not closed; only a closed meeting is reopened",
            m.label()
        )));
    }
    let actor = ctx.actor("council reopen");
    ctx.store()?.write(&actor, |w| {
        meetings::set_status(w, &m, MeetingStatus::Open, None, json!({"reason": reason}))
    })?;
    ctx.out.note(&format!(
        "{} reopened: {reason}. Close it again when the correction is recorded.",
        m.label()
    ));
    Ok(())
}
