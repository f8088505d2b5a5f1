//! `yishi vote ...`: motions, amendments, roll-call and counted votes, recusals, recounts.
//! Results are computed by the rules in force (domain::rules), never entered by hand.

use super::Ctx;
use super::council::parse_meeting_id;
use super::issue::parse_issue_id;
use crate::config::Locale;
use crate::domain::meeting::electorate;
use crate::domain::rules::{self, MajorityRule, Outcome, Tally};
use crate::domain::{date, text};
use crate::error::{Error, Result};
use crate::store::meetings::{self, Meeting, Participant};
use crate::store::motions::{self, Motion, NewMotion};
use crate::store::{issues, record};

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Put a motion (动议) on an agenda issue to the vote.
    #[command(
        after_help = "Example:\n  yishi vote open M1 --item 12 \"将老村部四楼改造为儿童活动中心\" --rule majority-present"
    )]
    Open(OpenArgs),
    /// Propose an amendment; it is voted before its motion and, if adopted, replaces its text.
    #[command(
        after_help = "Example:\n  yishi vote amend V1 \"将老村部四楼改造为儿童活动中心，并发起图书募捐\""
    )]
    Amend(AmendArgs),
    /// Record the votes: by name (roll-call) or as counts (show of hands, secret ballot).
    #[command(
        after_help = "Examples:\n  yishi vote cast V1 --yes 王建国,李娜,张伟 --no 赵敏 --abstain 孙强\n  yishi vote cast V2 --count 13:2:1"
    )]
    Cast(CastArgs),
    /// 回避: a member with a personal interest does not vote on this motion.
    #[command(after_help = "Example:\n  yishi vote recuse V1 孙强 --reason 其家属承包该工程")]
    Recuse(RecuseArgs),
    /// Compute the result; an adopted motion becomes the issue's resolution.
    #[command(
        after_help = "Examples:\n  yishi vote close V1 --owner 王建国 --due 2027-03-31\n  yishi vote close V3 --defer"
    )]
    Close(CloseArgs),
    /// A recount of a closed vote; the old figures and the reason stay on record.
    #[command(
        after_help = "Example:\n  yishi vote correct V2 --count 12:3:1 --reason 复核举手人数"
    )]
    Correct(CorrectArgs),
    /// One motion with its votes.
    #[command(after_help = "Example:\n  yishi vote show V1 --json")]
    Show(ShowArgs),
}

#[derive(clap::Args, Debug)]
pub struct OpenArgs {
    meeting: String,
    /// The agenda issue.
    #[arg(long)]
    item: String,
    /// The motion's text.
    text: String,
    /// majority-present, simple, two-thirds, absolute or consensus [default: rules.majority].
    #[arg(long)]
    rule: Option<String>,
    /// A secret ballot: counts only, no names.
    #[arg(long)]
    secret: bool,
}

#[derive(clap::Args, Debug)]
pub struct AmendArgs {
    motion: String,
    /// The motion's text as amended.
    text: String,
    #[arg(long)]
    rule: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct CastArgs {
    motion: String,
    /// Names voting yes (同意), comma-separated.
    #[arg(long, value_delimiter = ',')]
    yes: Vec<String>,
    /// Names voting no (反对).
    #[arg(long, value_delimiter = ',')]
    no: Vec<String>,
    /// Names abstaining (弃权).
    #[arg(long, value_delimiter = ',')]
    abstain: Vec<String>,
    /// Counts only, yes:no:abstain.
    #[arg(long, conflicts_with_all = ["yes", "no", "abstain"])]
    count: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct RecuseArgs {
    motion: String,
    name: String,
    #[arg(long)]
    reason: String,
}

#[derive(clap::Args, Debug)]
pub struct CloseArgs {
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
    motion: String,
    /// The recounted yes:no:abstain.
    #[arg(long)]
    count: String,
    #[arg(long)]
    reason: String,
}

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
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

fn parse_motion_id(typed: &str) -> Result<i64> {
    text::parse_id(typed, 'V')
        .ok_or_else(|| Error::data(format!("\"{typed}\" is not a motion id (expected V1 or 1)")))
}

fn parse_rule(v: Option<&str>, default: MajorityRule) -> Result<MajorityRule> {
    match v {
        None => Ok(default),
        Some(r) => r
            .parse()
            .map_err(|e: String| Error::data(format!("--rule: {e}"))),
    }
}

/// The motion and its meeting, refusing if the meeting is not in session.
fn motion_in_session(ctx: &mut Ctx, typed: &str, what: &str) -> Result<(Motion, Meeting)> {
    let id = parse_motion_id(typed)?;
    ctx.store()?;
    let motion = motions::require(ctx.conn()?, id)?;
    let meeting = meetings::require(ctx.conn()?, motion.meeting_id)?;
    meeting.ensure_open(what)?;
    Ok((motion, meeting))
}

fn open(a: OpenArgs, ctx: &mut Ctx) -> Result<()> {
    let id = parse_meeting_id(&a.meeting)?;
    let issue_id = parse_issue_id(&a.item)?;
    let text = text::multi_line("motion text", &a.text)?;
    ctx.store()?;
    let m = meetings::require(ctx.conn()?, id)?;
    m.ensure_open("motions are voted")?;
    let rule = parse_rule(a.rule.as_deref(), m.rules.majority)?;
    if !meetings::agenda(ctx.conn()?, id)?
        .iter()
        .any(|i| i.issue_id == issue_id)
    {
        return Err(Error::data(format!(
            "issue #{issue_id} is not on the agenda of {}",
            m.label()
        )));
    }
    let issue = issues::require(ctx.conn()?, issue_id)?;
    if issue.status != "scheduled" {
        return Err(Error::refused(format!(
            "issue #{issue_id} is {} already: it was decided or deferred at this meeting",
            issue.status
        )));
    }
    if let Some(v) = motions::for_issue(ctx.conn()?, issue_id)?
        .iter()
        .find(|v| v.amends.is_none() && v.status != "closed")
    {
        return Err(Error::refused(format!(
            "{} on issue #{issue_id} is still open: close it before putting another motion",
            v.label()
        )));
    }
    let actor = ctx.actor("vote open");
    let new = NewMotion {
        issue_id,
        amends: None,
        text: &text,
        rule,
        secret: a.secret,
    };
    let vid = ctx.store()?.write(&actor, |w| motions::open(w, &m, &new))?;
    ctx.out.note(&format!(
        "motion V{vid} on #{issue_id} ({rule}); record the votes with `yishi vote cast V{vid} ...`"
    ));
    Ok(())
}

fn amend(a: AmendArgs, ctx: &mut Ctx) -> Result<()> {
    let text = text::multi_line("amendment text", &a.text)?;
    let (parent, m) = motion_in_session(ctx, &a.motion, "amendments are voted")?;
    if parent.amends.is_some() {
        return Err(Error::refused(format!(
            "{} is itself an amendment: amend the motion {} instead",
            parent.label(),
            parent.amends.map(|p| format!("V{p}")).unwrap_or_default()
        )));
    }
    if parent.status != "open" {
        return Err(Error::refused(format!(
            "{} has already been voted: an amendment comes before the vote",
            parent.label()
        )));
    }
    let rule = parse_rule(a.rule.as_deref(), m.rules.majority)?;
    let actor = ctx.actor("vote amend");
    let new = NewMotion {
        issue_id: parent.issue_id,
        amends: Some(parent.id),
        text: &text,
        rule,
        secret: parent.secret,
    };
    let vid = ctx.store()?.write(&actor, |w| motions::open(w, &m, &new))?;
    ctx.out.note(&format!(
        "amendment V{vid} to {}: vote it first (`yishi vote cast V{vid} ...`)",
        parent.label()
    ));
    Ok(())
}

/// Names from --yes/--no/--abstain, also split on Chinese commas.
fn split_names(list: &[String]) -> Vec<String> {
    list.iter()
        .flat_map(|s| s.split(['，', '、', ',']))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn cast(a: CastArgs, ctx: &mut Ctx) -> Result<()> {
    let (motion, m) = motion_in_session(ctx, &a.motion, "votes are cast")?;
    if motion.status != "open" {
        return Err(Error::refused(format!(
            "{} has already been voted ({}): each votes once; after closing, a recount is `yishi vote correct`",
            motion.label(),
            motion.tally.map(|t| t.to_string()).unwrap_or_default()
        )));
    }
    let conn = ctx.conn()?;
    if let Some(open_amendment) = motions::for_meeting(conn, m.id)?
        .iter()
        .find(|v| v.amends == Some(motion.id) && v.status != "closed")
    {
        return Err(Error::refused(format!(
            "the amendment {} must be voted and closed before {}",
            open_amendment.label(),
            motion.label()
        )));
    }
    let rec = record::load(conn, m.id)?;
    if !rec.quorum.met {
        return Err(Error::refused(format!(
            "no quorum now ({} of {} present, {} needed): no vote can be taken; record attendance first",
            rec.quorum.present, rec.quorum.base, rec.quorum.needed
        )));
    }
    let recused: Vec<i64> = motions::recusals(conn, motion.id)?
        .iter()
        .map(|r| r.participant_id)
        .collect();
    let participants = meetings::participants(conn, m.id)?;
    let el = electorate(
        &meetings::places(&participants, &recused),
        m.rules.stakeholders_vote,
    );
    let mut ballots: Vec<(i64, &str)> = Vec::new();
    let tally = match &a.count {
        Some(c) => Tally::parse(c).map_err(Error::data)?,
        None => {
            if motion.secret {
                return Err(Error::refused(format!(
                    "{} is a secret ballot: record counts only, with --count yes:no:abstain",
                    motion.label()
                )));
            }
            let mut t = Tally::default();
            for (choice, names) in [("yes", &a.yes), ("no", &a.no), ("abstain", &a.abstain)] {
                for name in split_names(names) {
                    let p = eligible_voter(&participants, &m, &name, &recused)?;
                    if ballots.iter().any(|(id, _)| *id == p.id) {
                        return Err(Error::refused(format!(
                            "{} is named twice: each votes once",
                            p.name
                        )));
                    }
                    ballots.push((p.id, choice));
                    match choice {
                        "yes" => t.yes += 1,
                        "no" => t.no += 1,
                        _ => t.abstain += 1,
                    }
                }
            }
            if t.total() == 0 {
                return Err(Error::usage(
                    "give the votes: --yes/--no/--abstain with names, or --count yes:no:abstain",
                ));
            }
            t
        }
    };
    rules::check_tally(tally, el)
        .map_err(|e| Error::refused(format!("{}: {e}", motion.label())))?;
    let actor = ctx.actor("vote cast");
    ctx.store()?
        .write(&actor, |w| motions::cast(w, &motion, tally, el, &ballots))?;
    let outcome = rules::decide(motion.rule, tally, el);
    ctx.out.note(&format!(
        "{}: {} yes, {} no, {} abstain of {} eligible present; under {} it would be {} — `yishi vote close {}` records the result",
        motion.label(), tally.yes, tally.no, tally.abstain, el.present, motion.rule, outcome.key(), motion.label()
    ));
    Ok(())
}

/// A participant who may vote on this motion now, or a clear refusal.
fn eligible_voter<'a>(
    list: &'a [Participant],
    m: &Meeting,
    name: &str,
    recused: &[i64],
) -> Result<&'a Participant> {
    let p = meetings::find_participant(list, m, name).map_err(|e| Error::refused(e.message))?;
    if !p.role.votes(m.rules.stakeholders_vote) {
        let why = if p.role == crate::domain::seat::SeatKind::Observer {
            "is an observer (列席) and does not vote"
        } else {
            "is a stakeholder, and this meeting's rules say stakeholders do not vote"
        };
        return Err(Error::refused(format!("{} {why}", p.name)));
    }
    if recused.contains(&p.id) {
        return Err(Error::refused(format!(
            "{} has recused (回避) from this motion and does not vote",
            p.name
        )));
    }
    if !p.attendance.counts_as_present() {
        return Err(Error::refused(format!(
            "{} is not present (nor represented by a proxy) and cannot vote",
            p.name
        )));
    }
    Ok(p)
}

fn recuse(a: RecuseArgs, ctx: &mut Ctx) -> Result<()> {
    let reason = text::single_line("--reason", &a.reason)?;
    let (motion, m) = motion_in_session(ctx, &a.motion, "recusals are recorded")?;
    let list = meetings::participants(ctx.conn()?, m.id)?;
    let p = meetings::find_participant(&list, &m, &a.name)?.clone();
    let actor = ctx.actor("vote recuse");
    ctx.store()?
        .write(&actor, |w| motions::recuse(w, &motion, &p, &reason))?;
    ctx.out.note(&format!(
        "{} recuses from {} ({reason})",
        p.name,
        motion.label()
    ));
    Ok(())
}

fn close(a: CloseArgs, ctx: &mut Ctx) -> Result<()> {
    let (motion, m) = motion_in_session(ctx, &a.motion, "motions are closed")?;
    if motion.status == "closed" {
        return Err(Error::refused(format!(
            "{} is already closed ({}): a recount is `yishi vote correct`",
            motion.label(),
            motion.result.as_deref().unwrap_or("")
        )));
    }
    let owner = text::optional(a.owner.as_deref(), |n| text::name("--owner", n))?;
    let due = a
        .due
        .as_deref()
        .map(|d| {
            date::parse_date(d).map(|d| d.to_string()).ok_or_else(|| {
                Error::data(format!("--due \"{d}\" is not a date ({})", date::DATE_HINT))
            })
        })
        .transpose()?;
    let (result, el) = if a.defer {
        if motion.amends.is_some() {
            return Err(Error::refused(
                "an amendment is voted or withdrawn, not deferred: close it with its votes",
            ));
        }
        (
            "deferred".to_string(),
            motion.electorate.unwrap_or_default(),
        )
    } else {
        let (Some(tally), Some(el)) = (motion.tally, motion.electorate) else {
            return Err(Error::refused(format!(
                "{} has no votes yet: `yishi vote cast {} ...` first, or close it with --defer",
                motion.label(),
                motion.label()
            )));
        };
        (rules::decide(motion.rule, tally, el).key().to_string(), el)
    };
    if (owner.is_some() || due.is_some())
        && (result != Outcome::Adopted.key() || motion.amends.is_some())
    {
        ctx.out.warn("--owner and --due belong to an adopted motion's resolution; they are not recorded here");
    }
    let keep = result == Outcome::Adopted.key() && motion.amends.is_none();
    let actor = ctx.actor("vote close");
    ctx.store()?.write(&actor, |w| {
        motions::close(
            w,
            &m,
            &motion,
            &result,
            el,
            owner.as_deref().filter(|_| keep),
            due.as_deref().filter(|_| keep),
        )
    })?;
    let zh = ctx.config.locale == Locale::ZhCn;
    ctx.out.note(&format!(
        "{} closed: {}",
        motion.label(),
        crate::render::council::result_label(Some(&result), zh)
    ));
    if keep && owner.is_none() {
        ctx.out.warn("the resolution has no owner (责任人): add one when closing, e.g. --owner 王建国 --due 2027-03-31");
    }
    Ok(())
}

fn correct(a: CorrectArgs, ctx: &mut Ctx) -> Result<()> {
    let reason = text::multi_line("--reason", &a.reason)?;
    let tally = Tally::parse(&a.count).map_err(Error::data)?;
    let id = parse_motion_id(&a.motion)?;
    ctx.store()?;
    let motion = motions::require(ctx.conn()?, id)?;
    let m = meetings::require(ctx.conn()?, motion.meeting_id)?;
    m.ensure_not_closed()?;
    if motion.status != "closed" || motion.result.as_deref() == Some("deferred") {
        return Err(Error::refused(format!(
            "{} has no closed vote to correct",
            motion.label()
        )));
    }
    let el = motion.electorate.unwrap_or_default();
    rules::check_tally(tally, el)
        .map_err(|e| Error::refused(format!("{}: {e}", motion.label())))?;
    let new_result = rules::decide(motion.rule, tally, el).key().to_string();
    let actor = ctx.actor("vote correct");
    ctx.store()?.write(&actor, |w| {
        motions::correct(w, &m, &motion, tally, &new_result, &reason)
    })?;
    ctx.out.note(&format!(
        "{} recounted: {} → {} ({}); the earlier count stays on record",
        motion.label(),
        motion.tally.unwrap_or_default(),
        tally,
        new_result
    ));
    Ok(())
}

fn show(a: ShowArgs, ctx: &mut Ctx) -> Result<()> {
    let id = parse_motion_id(&a.motion)?;
    ctx.store()?;
    let motion = motions::require(ctx.conn()?, id)?;
    let rec = record::load(ctx.conn()?, motion.meeting_id)?;
    let Some(v) = rec
        .agenda
        .iter()
        .flat_map(|i| i.motions.iter())
        .find(|v| v.motion.id == id)
    else {
        return Err(Error::internal(format!(
            "{} is not on its meeting's agenda",
            motion.label()
        )));
    };
    if ctx.out.json {
        return ctx.out.json(v);
    }
    let zh = ctx.config.locale == Locale::ZhCn;
    let mut out = format!("{}\n", crate::render::council::motion_line(v, zh));
    if let Some(orig) = &v.motion.original_text {
        out.push_str(&format!(
            "  {}: {orig}\n",
            if zh { "原动议" } else { "original text" }
        ));
    }
    for b in &v.ballots {
        out.push_str(&format!(
            "  {} {}{}\n",
            b.name,
            b.choice,
            b.by_proxy
                .as_deref()
                .map(|h| format!(" (by proxy: {h})"))
                .unwrap_or_default()
        ));
    }
    out.push_str(&crate::render::council::motion_notes(v, zh, "  "));
    ctx.out.print(&crate::render::clean(&out))
}
