//! `yishi vote ...`: motions, amendments, roll-call and counted votes, recusals, recounts.
//! Results are computed by the rules in force (domain::rules), never entered by hand.

use super::{Ctx, args};
use yishi_core::config::Locale;
use yishi_core::domain::motion::Choice;
use yishi_core::domain::motion::MotionKind;
use yishi_core::domain::text;
use yishi_core::error::Result;
use yishi_core::ops::votes::{self, Votes};

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Put a motion (动议) on an agenda issue to the vote.
    #[command(
        after_help = "Example:\n  yishi vote open M2 --item 7 \"在四楼增设图书角\" --rule majority-present"
    )]
    Open(OpenArgs),
    /// Propose an amendment; it is voted before its motion and, if adopted, replaces its text.
    #[command(after_help = "Example:\n  yishi vote amend V6 \"在四楼增设图书角，并发起图书募捐\"")]
    Amend(AmendArgs),
    /// Record the votes: by name (roll-call) or as counts (show of hands, secret ballot).
    #[command(
        after_help = "Examples:\n  yishi vote cast V7 --yes 王建国,李娜,张伟 --no 赵敏 --abstain 林秀英\n  yishi vote cast V6 --count 4:1:0"
    )]
    Cast(CastArgs),
    /// 回避: a member with a personal interest does not vote on this motion.
    #[command(after_help = "Example:\n  yishi vote recuse V6 孙强 --reason 其家属承包该工程")]
    Recuse(RecuseArgs),
    /// Compute the result; an adopted motion becomes the issue's resolution.
    #[command(
        after_help = "Examples:\n  yishi vote close V6 --owner 王建国 --due 2027-03-31\n  yishi vote close V8 --defer"
    )]
    Close(CloseArgs),
    /// A recount of a closed vote; the old figures and the reason stay on record.
    #[command(after_help = "Example:\n  yishi vote correct V6 --count 5:0:0 --reason 复核举手人数")]
    Correct(CorrectArgs),
    /// One motion with its votes.
    #[command(
        after_help = "Examples:\n  yishi vote show V7\n  yishi vote show V7 --lang en\n  yishi vote show V6 --json"
    )]
    Show(ShowArgs),
}

#[derive(clap::Args, Debug)]
pub struct OpenArgs {
    /// The meeting: M1 (or 1).
    meeting: String,
    /// The agenda issue.
    #[arg(long)]
    item: String,
    /// The motion's text.
    text: String,
    /// majority-present, simple, two-thirds, absolute or consensus [default: rules.majority].
    #[arg(long, value_parser = super::values::rules(), hide_possible_values = true)]
    rule: Option<String>,
    /// A secret ballot: counts only, no names.
    #[arg(long)]
    secret: bool,
    /// A supplementary motion (附加动议) to the item's adopted main motion: opening hours, who
    /// manages it. It becomes a resolution of its own.
    #[arg(long)]
    supplementary: bool,
    /// When it was put to the vote, recorded after the fact: HH:MM (or "YYYY-MM-DD HH:MM") on the meeting's day [default: now].
    #[arg(long, value_name = "HH:MM")]
    at: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct AmendArgs {
    /// The motion: V1 (or 1).
    motion: String,
    /// The motion's text as amended.
    text: String,
    /// The majority rule for this motion [default: the meeting's]: majority-present, simple, two-thirds, absolute or consensus.
    #[arg(long, value_parser = super::values::rules(), hide_possible_values = true)]
    rule: Option<String>,
    /// When the amendment was put to the vote, recorded after the fact: HH:MM (or "YYYY-MM-DD HH:MM") on the meeting's day [default: now].
    #[arg(long, value_name = "HH:MM")]
    at: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct CastArgs {
    /// The motion: V1 (or 1).
    motion: String,
    /// Names voting yes (同意), separated by spaces, commas or 、.
    #[arg(long, value_delimiter = ',', num_args = 1..)]
    yes: Vec<String>,
    /// Names voting no (反对), as for --yes.
    #[arg(long, value_delimiter = ',', num_args = 1..)]
    no: Vec<String>,
    /// Names abstaining (弃权), as for --yes.
    #[arg(long, value_delimiter = ',', num_args = 1..)]
    abstain: Vec<String>,
    /// Counts only, yes:no:abstain.
    #[arg(long, conflicts_with_all = ["yes", "no", "abstain"])]
    count: Option<String>,
    /// Change a vote (or count) already recorded for this motion; the change is kept in the log.
    #[arg(long)]
    change: bool,
}

#[derive(clap::Args, Debug)]
pub struct RecuseArgs {
    /// The motion: V1 (or 1).
    motion: String,
    /// The member who recuses.
    name: String,
    /// Why, as the minutes will say.
    #[arg(long)]
    reason: String,
}

#[derive(clap::Args, Debug)]
pub struct CloseArgs {
    /// The motion: V1 (or 1).
    motion: String,
    /// 责任人 of the resolution.
    #[arg(long)]
    owner: Option<String>,
    /// 完成时限 of the resolution.
    #[arg(long, value_name = "YYYY-MM-DD")]
    due: Option<String>,
    /// Postpone: no result; the issue goes back to accepted.
    #[arg(long, conflicts_with_all = ["owner", "due"])]
    defer: bool,
}

#[derive(clap::Args, Debug)]
pub struct CorrectArgs {
    /// The motion: V1 (or 1).
    motion: String,
    /// The recounted yes:no:abstain.
    #[arg(long)]
    count: String,
    /// Why, as the minutes will say.
    #[arg(long)]
    reason: String,
    /// 责任人, when the recount turns a failed motion into an adopted one.
    #[arg(long)]
    owner: Option<String>,
    /// 完成时限, when the recount turns a failed motion into an adopted one.
    #[arg(long, value_name = "YYYY-MM-DD")]
    due: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// The motion: V1 (or 1).
    motion: String,
}

pub fn run(cmd: Command, ctx: &mut Ctx) -> Result<()> {
    match cmd {
        Command::Open(a) => open(a, ctx),
        Command::Amend(a) => amend(a, ctx),
        Command::Cast(a) => cast(a, ctx),
        Command::Recuse(a) => recuse(a, ctx),
        Command::Close(a) => close(a, ctx),
        Command::Correct(a) => correct(a, ctx),
        Command::Show(a) => show(a, ctx),
    }
}

fn open(a: OpenArgs, ctx: &mut Ctx) -> Result<()> {
    let req = votes::OpenRequest {
        meeting: args::meeting_id(&a.meeting)?,
        issue: args::issue_id(&a.item)?,
        text: text::multi_line("motion text", &a.text)?,
        rule: args::rule(a.rule.as_deref())?,
        secret: a.secret,
        kind: if a.supplementary {
            MotionKind::Supplementary
        } else {
            MotionKind::Main
        },
        at: a.at.as_deref().map(vote_at).transpose()?,
    };
    let actor = ctx.actor("vote open");
    let done = votes::open(ctx.store()?, &actor, req)?;
    let v = done.motion;
    ctx.out.say(
        &yishi_core::text!("vote.opened", v = &v, issue = &done.issue).pair(
            "rule",
            done.rule.label(Locale::ZhCn),
            done.rule.key(),
        ),
    );
    Ok(())
}

/// `--at`: a time of day, or a date and time.
fn vote_at(v: &str) -> Result<votes::VoteAt> {
    if let Some(t) = yishi_core::domain::date::parse_clock(v) {
        return Ok(votes::VoteAt { day: None, time: t });
    }
    let when = yishi_core::domain::date::parse_datetime(v).ok_or_else(|| {
        yishi_core::error::Error::data_text(yishi_core::text!("vote.at_not_a_time", value = v))
    })?;
    Ok(votes::VoteAt {
        day: Some(when.date()),
        time: when.time(),
    })
}

fn amend(a: AmendArgs, ctx: &mut Ctx) -> Result<()> {
    let req = votes::AmendRequest {
        text: text::multi_line("amendment text", &a.text)?,
        motion: args::motion_id(&a.motion)?,
        rule: args::rule(a.rule.as_deref())?,
        at: a.at.as_deref().map(vote_at).transpose()?,
    };
    let actor = ctx.actor("vote amend");
    let done = votes::amend(ctx.store()?, &actor, req)?;
    let v = done.amendment;
    ctx.out.say(&yishi_core::text!(
        "vote.amendment",
        v = &v,
        motion = &done.motion
    ));
    Ok(())
}

/// Names from --yes/--no/--abstain, also split on Chinese commas.
pub fn split_names(list: &[String]) -> Vec<String> {
    list.iter()
        .flat_map(|s| s.split(['，', '、', ',']))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn cast(a: CastArgs, ctx: &mut Ctx) -> Result<()> {
    let motion = args::motion_id(&a.motion)?;
    let votes = match &a.count {
        Some(c) => Votes::Count(args::tally(c)?),
        None => Votes::ByName(
            [
                (Choice::Yes, &a.yes),
                (Choice::No, &a.no),
                (Choice::Abstain, &a.abstain),
            ]
            .into_iter()
            .flat_map(|(choice, names)| split_names(names).into_iter().map(move |n| (choice, n)))
            .collect(),
        ),
    };
    let actor = ctx.actor("vote cast");
    let req = votes::CastRequest {
        motion,
        votes,
        change: a.change,
    };
    let done = votes::cast(ctx.store()?, &actor, req)?;
    let (t, v) = (done.tally, done.motion);
    for c in &done.changed {
        ctx.out.warn_text(
            &yishi_core::text!("vote.changed", v = &v, name = &c.name)
                .pair(
                    "from",
                    c.from.map_or("", |f| f.label(Locale::ZhCn)),
                    c.from.map_or("", |f| f.key()),
                )
                .pair("to", c.to.label(Locale::ZhCn), c.to.key()),
        );
    }
    if !done.not_voted.is_empty() {
        ctx.out.say(&yishi_core::text!(
            "vote.not_voted",
            v = &v,
            names = done.not_voted.join("、")
        ));
    }
    let adopted = done.would_be == yishi_core::domain::rules::Outcome::Adopted;
    ctx.out.say(
        &yishi_core::text!(
            "vote.tally",
            v = &v,
            yes = t.yes,
            no = t.no,
            abstain = t.abstain,
            present = done.electorate.present
        )
        .pair("rule", done.rule.label(Locale::ZhCn), done.rule.key())
        .pair(
            "outcome",
            if adopted { "通过" } else { "不通过" },
            done.would_be.key(),
        ),
    );
    Ok(())
}

fn recuse(a: RecuseArgs, ctx: &mut Ctx) -> Result<()> {
    let reason = text::single_line("--reason", &a.reason)?;
    let req = votes::RecuseRequest {
        motion: args::motion_id(&a.motion)?,
        name: a.name,
        reason: reason.clone(),
    };
    let actor = ctx.actor("vote recuse");
    let done = votes::recuse(ctx.store()?, &actor, req)?;
    ctx.out.say(&yishi_core::text!(
        "vote.recused",
        name = &done.name,
        motion = &done.motion,
        reason = &reason
    ));
    Ok(())
}

fn close(a: CloseArgs, ctx: &mut Ctx) -> Result<()> {
    let motion = args::motion_id(&a.motion)?;
    let req = votes::CloseRequest {
        motion,
        owner: text::optional(a.owner.as_deref(), |n| text::name("--owner", n))?,
        due: a
            .due
            .as_deref()
            .map(|d| args::day("--due", d))
            .transpose()?,
        defer: a.defer,
    };
    let today = ctx.today().to_string();
    if let Some(due) = req.due.as_deref().filter(|d| *d < today.as_str()) {
        ctx.out
            .warn_text(&yishi_core::text!("vote.due_past", due = &due));
    }
    let actor = ctx.actor("vote close");
    let done = votes::close(ctx.store()?, &actor, req)?;
    if done.owner_ignored {
        ctx.out.warn_text(&yishi_core::text!("vote.owner_ignored"));
    }
    ctx.out.say(&yishi_core::text!(
        "vote.closed",
        motion = &done.motion,
        result = done.result.label(ctx.config.locale)
    ));
    if done.resolution && done.owner.is_none() {
        let action = done.action.map_or("A1".to_string(), |a| format!("A{a}"));
        ctx.out
            .warn_text(&yishi_core::text!("vote.no_owner", action = &action));
    }
    // Where a newcomer meets the decide step: right after the vote that leaves it to them.
    let (meeting, item) = (done.meeting, done.issue.0);
    let next = match done.next {
        Some(votes::ItemNext::DecidedAtClose) => Some(yishi_core::text!(
            "vote.next_decided_at_close",
            meeting = meeting,
            item = item
        )),
        Some(votes::ItemNext::Decide) => Some(yishi_core::text!(
            "vote.next_decide",
            meeting = meeting,
            item = item
        )),
        Some(votes::ItemNext::MotionOpen) | None => None,
    };
    if let Some(next) = next {
        ctx.out.say(&next);
    }
    Ok(())
}

fn correct(a: CorrectArgs, ctx: &mut Ctx) -> Result<()> {
    let reason = text::multi_line("--reason", &a.reason)?;
    let tally = args::tally(&a.count)?;
    let motion = args::motion_id(&a.motion)?;
    let actor = ctx.actor("vote correct");
    let req = votes::CorrectRequest {
        motion,
        tally,
        reason,
        owner: text::optional(a.owner.as_deref(), |n| text::name("--owner", n))?,
        due: a
            .due
            .as_deref()
            .map(|d| args::day("--due", d))
            .transpose()?,
    };
    let done = votes::correct(ctx.store()?, &actor, req)?;
    // The result in words in Chinese (通过); English keeps its key (adopted, not-adopted).
    ctx.out.say(
        &yishi_core::text!(
            "vote.recounted",
            motion = &done.motion,
            old = &done.old,
            new = &done.new
        )
        .pair("result", done.result.label(Locale::ZhCn), done.result.key()),
    );
    Ok(())
}

fn show(a: ShowArgs, ctx: &mut Ctx) -> Result<()> {
    let id = args::motion_id(&a.motion)?;
    let mut v = votes::show(ctx.reader()?, id)?;
    yishi_core::render::mask::motion(&mut v, &ctx.out.names);
    if ctx.out.json {
        return ctx.out.json(&v);
    }
    let locale = ctx.doc_locale();
    let zh = locale == Locale::ZhCn;
    let mut out = format!("{}\n", yishi_core::render::council::motion_line(&v, zh));
    if let Some(orig) = &v.motion.original_text {
        out.push_str(&format!(
            "  {}: {orig}\n",
            if zh { "原动议" } else { "original text" }
        ));
    }
    if !v.not_voted.is_empty() {
        out.push_str(&format!(
            "  {}: {}\n",
            if zh { "未表决" } else { "not voted yet" },
            v.not_voted.join("、")
        ));
    }
    out.push_str(&yishi_core::render::council::ballot_lines(&v, locale, "  "));
    out.push_str(&yishi_core::render::council::motion_notes(&v, zh, "  "));
    ctx.out.print(&yishi_core::render::clean(&out))
}
