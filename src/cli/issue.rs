//! `yishi issue ...`: residents' issues from intake to screening and pre-consultation.

use super::Ctx;
use serde::Serialize;
use std::path::PathBuf;
use yishi_core::config::Locale;
use yishi_core::domain::audit::Action;
use yishi_core::domain::channel::ChannelWords;
use yishi_core::domain::ids::IssueId;
use yishi_core::domain::issue::{self as issues, Issue, NewIssue};
use yishi_core::domain::issue::{self as rules, Status};
use yishi_core::domain::motion::MotionResult;
use yishi_core::domain::{contact, date, text};
use yishi_core::error::{Error, Result};
use yishi_core::ops::issues::{self as issue_ops, ObjectionTiming};
use yishi_core::render::{count, table};
use yishi_core::text;

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Record an issue raised by a resident.
    #[command(
        after_help = "Example:\n  yishi issue add 儿童没有课外活动场所 --by 陈阿姨 --channel offline --stakeholder 物业公司"
    )]
    Add(AddArgs),
    /// List issues, newest first, a page of 50 at a time (--json and --csv: all of them).
    #[command(
        after_help = "Examples:\n  yishi issue list --status accepted\n  yishi issue list --search 停车 --json\n  yishi issue list --csv --show-contacts > issues.csv"
    )]
    List(ListArgs),
    /// Everything about one issue: origin, status history, consultations, stakeholders.
    #[command(after_help = "Example:\n  yishi issue show 1")]
    Show(IdArgs),
    /// 受理: accept an issue for the council.
    #[command(after_help = "Example:\n  yishi issue accept 7 --note 属实，涉及多方")]
    Accept(AcceptArgs),
    /// 不予受理: reject an issue, with the reason given to the resident.
    #[command(
        after_help = "Example:\n  yishi issue reject 8 --reason 属于个人纠纷，已转调解委员会"
    )]
    Reject(RejectArgs),
    /// 答复: record that the residents who raised an issue were told what became of it at the
    /// step it reached (受理, 不予受理, 决议, 结果); --draft prints the words to send.
    #[command(
        after_help = "Examples:\n  yishi issue reply 8 --draft\n  yishi issue reply 8 --via 电话 --text 已电话说明原因"
    )]
    Reply(super::reply::ReplyArgs),
    /// Mark an issue as a duplicate of another; its submitter joins the other's.
    #[command(after_help = "Example:\n  yishi issue merge 10 --into 9")]
    Merge(MergeArgs),
    /// 会前协商: record a pre-consultation with a party involved.
    #[command(
        after_help = "Example:\n  yishi issue consult 7 --with 物业公司 --summary 同意开放四楼并负责保洁"
    )]
    Consult(ConsultArgs),
    /// Correct an issue's title, details or category; the old text and the reason are kept.
    #[command(
        after_help = "Example:\n  yishi issue edit 9 --title 儿童缺少课外活动场所 --reason 表述更准确"
    )]
    Edit(EditArgs),
    /// 上报: raise an issue to the street (--to 街道 --reason), or record the street's answer
    /// (--answer --date; the issue goes back to the council's flow, or --then close).
    #[command(
        after_help = "Examples:\n  yishi issue escalate 5 --to 街道 --reason 需区级资金，超出社区能力\n  yishi issue escalate 5 --answer 街道同意列入明年改造计划 --date 2026-12-01 --then close"
    )]
    Escalate(EscalateArgs),
    /// The stakeholders (the "X") to invite when the issue is discussed.
    #[command(
        subcommand,
        after_help = "Examples:\n  yishi issue stakeholder add 7 物业公司\n  yishi issue stakeholder remove 7 物业公司"
    )]
    Stakeholder(StakeholderCommand),
    /// Import issues from a CSV file (or - for stdin): atomic, idempotent, line-numbered errors.
    #[command(
        after_help = "Examples:\n  yishi issue import examples/tingtang/issues.csv --dry-run\n  yishi issue import examples/tingtang/issues-gb18030.csv --encoding gb18030\n  yishi issue import examples/bad-issues.csv --skip-invalid --rejects rejects.csv"
    )]
    Import(super::issue_import::ImportArgs),
    /// Open issues that look alike (similar titles and details, or the same resident with a
    /// similar title), with the command to merge each pair.
    #[command(
        after_help = "Examples:\n  yishi issue dupes\n  yishi issue dupes --threshold 0.8 --json"
    )]
    Dupes(super::dupes::DupesArgs),
    /// Build again from the issues the text index that `issue list --grep` reads and the keys
    /// that imports compare rows with (when `verify` says they do not match the issues).
    #[command(after_help = "Example:\n  yishi issue reindex")]
    Reindex,
}

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// A short title: what the resident asks for.
    title: String,
    /// Who raised it.
    #[arg(long)]
    by: Option<String>,
    /// The resident's phone number (masked unless --show-contacts).
    #[arg(long)]
    phone: Option<String>,
    /// The resident's address (masked unless --show-contacts).
    #[arg(long)]
    address: Option<String>,
    /// Where it came from: offline (线下), interview (访谈), online (线上), or the community's
    /// own word from [channels] in yishi.toml (网格, 意见箱, 12345热线, 微信群 ...).
    #[arg(long, value_parser = super::values::channels(), hide_possible_values = true)]
    channel: String,
    /// children, elderly, environment, safety, facilities, parking, property, culture, other (or 儿童, 养老, ...).
    #[arg(long)]
    category: Option<String>,
    /// The details as the resident told them.
    #[arg(long, conflicts_with = "detail_file")]
    detail: Option<String>,
    /// Read the details from a file.
    #[arg(long, value_name = "FILE")]
    detail_file: Option<PathBuf>,
    /// The day it was raised [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
    /// A party to invite when it is discussed (repeatable).
    #[arg(long)]
    stakeholder: Vec<String>,
    /// An objection to a resolution (R3, or a meeting with one resolution: M1), raised during its public notice (公示期).
    #[arg(long, value_name = "R")]
    objection_to: Option<String>,
    /// This issue raises again an earlier one (重提); both show the link.
    #[arg(long, value_name = "ID")]
    reraise: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct EditArgs {
    /// The issue: 12 or #12.
    id: String,
    /// The corrected title.
    #[arg(long)]
    title: Option<String>,
    /// The corrected details.
    #[arg(long)]
    detail: Option<String>,
    /// The corrected category (children, elderly, ... or 儿童, 养老, ...).
    #[arg(long)]
    category: Option<String>,
    /// Why it is corrected (kept with the old text).
    #[arg(long)]
    reason: String,
}

#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// Only issues in this status: collected, accepted, rejected, merged, scheduled, decided, implementing, completed, escalated (or 已受理, 已上报 ...).
    #[arg(long, value_parser = super::values::statuses(), hide_possible_values = true)]
    status: Option<String>,
    /// Category, e.g. children/儿童, elderly/养老, parking/停车, environment/环境; 未分类 (none)
    /// for issues without one. A suggested category counts as the issue's.
    #[arg(long)]
    category: Option<String>,
    /// How it came in: offline/线下, interview/访谈 or online/线上.
    #[arg(long, value_parser = super::values::channels(), hide_possible_values = true)]
    channel: Option<String>,
    /// Raised on or after this day.
    #[arg(long, value_name = "YYYY-MM-DD")]
    since: Option<String>,
    /// Raised on or before this day.
    #[arg(long, value_name = "YYYY-MM-DD")]
    until: Option<String>,
    /// Raised by this resident (the name as recorded).
    #[arg(long, value_name = "NAME")]
    by: Option<String>,
    /// Text in the title or details, as typed (case and width count; one character or more).
    #[arg(long, visible_alias = "search", value_name = "TEXT")]
    grep: Option<String>,
    /// Issues per page [default: 50].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    limit: Option<u64>,
    /// Which page, 1 being the newest [default: 1].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    page: Option<u64>,
    /// Every matching issue (what --json and --csv print unless --limit or --page is given).
    #[arg(long, conflicts_with_all = ["limit", "page"])]
    all: bool,
    /// CSV on stdout, in the order the issues were recorded (re-importable with `issue import`).
    #[arg(long)]
    csv: bool,
}

#[derive(clap::Args, Debug)]
pub struct IdArgs {
    /// The issue: 12 or #12.
    id: String,
}

#[derive(clap::Args, Debug)]
pub struct AcceptArgs {
    /// The issue: 12 or #12.
    id: String,
    /// A note kept in the issue's history.
    #[arg(long)]
    note: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct RejectArgs {
    /// The issue: 12 or #12.
    id: String,
    /// Why, as it will be told to the resident.
    #[arg(long)]
    reason: String,
}

#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// The duplicate.
    id: String,
    /// The issue it duplicates.
    #[arg(long)]
    into: String,
}

#[derive(clap::Args, Debug)]
pub struct ConsultArgs {
    /// The issue: 12 or #12.
    id: String,
    /// The party consulted (物业公司, 村委会, a family...).
    #[arg(long = "with")]
    party: String,
    /// What was said and agreed.
    #[arg(long)]
    summary: String,
    /// When [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct EscalateArgs {
    /// The issue: 12 or #12.
    pub id: String,
    /// The level it is raised to: 街道 (street) or 区 (district).
    #[arg(long, conflicts_with = "answer", requires = "reason")]
    pub to: Option<String>,
    /// Why the community cannot solve it (kept in its history).
    #[arg(long, conflicts_with = "answer")]
    pub reason: Option<String>,
    /// The street's answer, as received.
    #[arg(long, requires = "date")]
    pub answer: Option<String>,
    /// The day it was raised [default: today], or the day the answer came (required with --answer).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// After the answer: back (退回, the council goes on with it) or close (办结) [default: back].
    #[arg(long, requires = "answer", value_name = "close|back")]
    pub then: Option<String>,
}

#[derive(clap::Subcommand, Debug)]
pub enum StakeholderCommand {
    /// Add a stakeholder to invite.
    #[command(
        after_help = "Example:\n  yishi issue stakeholder add 7 物业公司 --phone 0571-88886666"
    )]
    Add {
        /// The issue: 12 or #12.
        id: String,
        /// The stakeholder's name, e.g. 物业公司.
        name: String,
        /// The resident's phone number (masked unless --show-contacts).
        #[arg(long)]
        phone: Option<String>,
    },
    /// Remove a stakeholder.
    #[command(after_help = "Example:\n  yishi issue stakeholder remove 7 物业公司")]
    Remove {
        /// The issue: 12 or #12.
        id: String,
        /// The stakeholder's name.
        name: String,
    },
}

pub fn run(cmd: Command, ctx: &mut Ctx) -> Result<()> {
    match cmd {
        Command::Add(a) => add(a, ctx),
        Command::List(a) => list(a, ctx),
        Command::Show(a) => show(a, ctx),
        Command::Accept(a) => {
            let note = text::optional(a.note.as_deref(), |n| text::multi_line("--note", n))?;
            transition(
                ctx,
                &a.id,
                Status::Accepted,
                note.as_deref(),
                Action::Accepted,
            )
        }
        Command::Reject(a) => {
            let reason = text::multi_line("--reason", &a.reason)?;
            transition(
                ctx,
                &a.id,
                Status::Rejected,
                Some(&reason),
                Action::Rejected,
            )
        }
        Command::Reply(a) => super::reply::run(a, ctx),
        Command::Merge(a) => merge(a, ctx),
        Command::Edit(a) => edit(a, ctx),
        Command::Consult(a) => consult(a, ctx),
        Command::Escalate(a) => super::escalate::run(a, ctx),
        Command::Stakeholder(c) => stakeholder(c, ctx),
        Command::Import(a) => super::issue_import::run(a, ctx),
        Command::Dupes(a) => super::dupes::list(a, ctx),
        Command::Reindex => {
            let indexed = issue_ops::reindex(ctx.store_to_reindex()?)?;
            ctx.out.say(&text!(
                "issue.reindexed",
                n = yishi_core::render::count(indexed)
            ));
            Ok(())
        }
    }
}

use super::args::{day as parse_day, parse_issue_id};

/// The channel as stored: the community's word (see `[channels]` in yishi.toml).
pub fn parse_channel(channels: &ChannelWords, v: &str) -> Result<String> {
    channels
        .resolve(v)
        .map(|(word, _)| word)
        .ok_or_else(|| Error::usage_text(channels.unknown_text(v.trim())))
}

fn parse_category(v: &str) -> Result<&'static str> {
    rules::parse_category(v).ok_or_else(|| {
        Error::data_text(yishi_core::text!("issue.not_a_category", value = v).pair(
            "allowed",
            rules::category_keys().join("、"),
            rules::category_keys().join(", "),
        ))
    })
}

fn add(a: AddArgs, ctx: &mut Ctx) -> Result<()> {
    let issue = NewIssue {
        title: text::single_line("title", &a.title)?,
        detail: detail_of(&a)?,
        submitted_by: text::optional(a.by.as_deref(), |n| text::name("--by", n))?,
        phone: text::optional(a.phone.as_deref(), contact::phone)?,
        address: text::optional(a.address.as_deref(), |v| text::single_line("--address", v))?,
        channel: parse_channel(&ctx.config.channels, &a.channel)?,
        category: a
            .category
            .as_deref()
            .map(parse_category)
            .transpose()?
            .map(String::from),
        raised_on: match &a.date {
            Some(d) => parse_day("--date", d)?,
            None => ctx.today().to_string(),
        },
    };
    let stakeholders = a
        .stakeholder
        .iter()
        .map(|s| text::name("--stakeholder", s))
        .collect::<Result<Vec<_>>>()?;
    let links = links(&a)?;
    let actor = ctx.actor("issue add");
    let added = issue_ops::add(ctx.store()?, &actor, &issue, &stakeholders, links)?;
    warn_of_objection_timing(ctx, added.objection, &issue.raised_on);
    let id = added.issue.id;
    if ctx.out.json {
        ctx.out.json(&view(ctx, &added.issue))?;
    } else {
        ctx.out
            .say(&text!("issue.added", id = id, title = &issue.title));
    }
    super::dupes::hint_new(ctx, id - 1, true, None)?;
    Ok(())
}

/// The detail: --detail, or the text of --detail-file.
fn detail_of(a: &AddArgs) -> Result<Option<String>> {
    match (&a.detail, &a.detail_file) {
        (Some(d), _) => Ok(Some(text::multi_line("--detail", d)?)),
        (None, Some(f)) => {
            let d = std::fs::read_to_string(f).map_err(|e| {
                Error::data_text(
                    yishi_core::text!(
                        "file.cannot_read_flag",
                        flag = "--detail-file",
                        path = f.display()
                    )
                    .os_error("error", &e),
                )
            })?;
            Ok(Some(text::multi_line("--detail-file", &d)?))
        }
        (None, None) => Ok(None),
    }
}

/// What the new issue objects to (--objection-to) or raises again (--reraise).
fn links(a: &AddArgs) -> Result<issue_ops::Links> {
    let objection_to = a
        .objection_to
        .as_deref()
        .map(|t| {
            t.parse::<issue_ops::ObjectionTo>()
                .map_err(Error::usage_text)
        })
        .transpose()?;
    let reraise = a
        .reraise
        .as_deref()
        .map(super::args::issue_id)
        .transpose()?;
    Ok(issue_ops::Links {
        objection_to,
        reraise,
    })
}

/// An objection raised outside its notice's period, or to a notice never posted: said, not
/// refused (the objection is recorded).
fn warn_of_objection_timing(ctx: &Ctx, timing: Option<ObjectionTiming>, raised: &str) {
    match timing {
        Some(ObjectionTiming::OutsidePeriod {
            meeting,
            starts_on,
            ends_on,
        }) => ctx.out.warn_text(&text!(
            "issue.objection_outside_period",
            meeting = &meeting,
            from = &starts_on,
            to = ends_on.as_deref().unwrap_or(""),
            raised = raised
        )),
        Some(ObjectionTiming::NotPosted { meeting }) => ctx
            .out
            .warn_text(&text!("issue.objection_not_posted", meeting = &meeting)),
        Some(ObjectionTiming::WithinPeriod) | None => {}
    }
}

/// An issue as shown: the resident's name and contacts masked unless --show-contacts.
#[derive(Serialize)]
pub struct IssueView {
    pub id: i64,
    pub title: String,
    pub status: Status,
    pub outcome: Option<yishi_core::domain::rules::Outcome>,
    pub channel: String,
    pub category: Option<String>,
    pub raised_on: String,
    pub submitted_by: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub detail: Option<String>,
    pub merged_into: Option<i64>,
    pub objection_to: Option<i64>,
}

pub fn view(ctx: &Ctx, i: &Issue) -> IssueView {
    masked_view(&ctx.out, i)
}

/// `view` with only what masking needs, for formatting on another thread.
fn masked_view(out: &yishi_core::render::Output, i: &Issue) -> IssueView {
    IssueView {
        id: i.id,
        title: i.title.clone(),
        status: i.status,
        outcome: i.outcome,
        channel: i.channel.clone(),
        category: i.category.clone(),
        raised_on: i.raised_on.clone(),
        submitted_by: i.submitted_by.as_deref().map(|n| out.resident(Some(n))),
        phone: i.phone.as_deref().map(|p| out.phone(Some(p))),
        address: i.address.as_deref().map(|a| out.address(Some(a))),
        detail: i.detail.clone(),
        merged_into: i.merged_into,
        objection_to: i.objection_to,
    }
}

/// The category in words, or nothing when the issue has none.
fn category_label(key: Option<&str>, locale: Locale) -> String {
    key.map(|k| rules::category_label(k, locale).to_string())
        .unwrap_or_default()
}

/// Issues per page when no --limit is given.
const PAGE_ROWS: u64 = 50;

/// Rows of one table when --all prints a table: each block is aligned on its own, so that a
/// million rows never sit in memory.
const TABLE_BLOCK_ROWS: usize = 1000;

/// Output is written in blocks of about this many bytes.
const FLUSH_BYTES: usize = 1 << 16;

fn list_filter(ctx: &Ctx, a: &ListArgs) -> Result<issues::Filter> {
    Ok(issues::Filter {
        status: a
            .status
            .as_deref()
            .map(|s| {
                // --status is parsed to a key by `values::statuses`.
                Status::parse(s).ok_or_else(|| Error::internal(format!("status key {s}")))
            })
            .transpose()?,
        category: a
            .category
            .as_deref()
            .map(|c| {
                if rules::is_uncategorized_word(c) {
                    Ok(rules::UNCATEGORIZED)
                } else {
                    parse_category(c)
                }
            })
            .transpose()?
            .map(String::from),
        channels: a
            .channel
            .as_deref()
            .map(|c| {
                ctx.config
                    .channels
                    .filter_words(c)
                    .ok_or_else(|| Error::usage_text(ctx.config.channels.unknown_text(c.trim())))
            })
            .transpose()?,
        since: a
            .since
            .as_deref()
            .map(|d| parse_day("--since", d))
            .transpose()?,
        until: a
            .until
            .as_deref()
            .map(|d| parse_day("--until", d))
            .transpose()?,
        submitted_by: a.by.as_deref().map(|b| b.trim().to_string()),
        search: a.grep.clone(),
    })
}

fn list(a: ListArgs, ctx: &mut Ctx) -> Result<()> {
    let filter = list_filter(ctx, &a)?;
    if a.csv && ctx.out.json {
        return Err(Error::usage_text(yishi_core::text!(
            "value.either_flag",
            a = "--csv",
            b = "--json"
        )));
    }
    let (paged, page) = list_page(&a, ctx.out.json);
    let csv_locale = ctx.doc_locale();
    ctx.reader()?;
    let ctx: &Ctx = ctx;
    let store = ctx.opened()?;
    if a.csv {
        return list_csv(ctx, store, &filter, page, csv_locale);
    }
    if ctx.out.json {
        return list_json(ctx, store, &filter, page);
    }
    list_table(ctx, store, &filter, page, paged)
}

/// Whether `issue list` shows one page, and which. A table shows one page unless --all;
/// --json and --csv are for programs and print every match unless a page is asked for.
fn list_page(a: &ListArgs, json: bool) -> (bool, issues::Page) {
    let paged = !a.all && (!(a.csv || json) || a.limit.is_some() || a.page.is_some());
    let page = if paged {
        let size = a.limit.unwrap_or(PAGE_ROWS);
        issues::Page {
            limit: Some(size),
            offset: size.saturating_mul(a.page.unwrap_or(1) - 1),
            recorded_order: a.csv,
        }
    } else {
        issues::Page {
            recorded_order: a.csv,
            ..Default::default()
        }
    };
    (paged, page)
}

/// The matching issues as a table, printed in blocks as they are read, then their count (or
/// the page's footer).
fn list_table(
    ctx: &Ctx,
    store: &yishi_core::Store,
    filter: &issues::Filter,
    page: issues::Page,
    paged: bool,
) -> Result<()> {
    let locale = ctx.config.locale;
    let zh = locale == Locale::ZhCn;
    let header: &[&str] = if zh {
        &["编号", "议题", "状态", "类别", "渠道", "日期", "提出人"]
    } else {
        &[
            "id",
            "title",
            "status",
            "category",
            "channel",
            "date",
            "raised by",
        ]
    };
    let mut block = Vec::new();
    let mut shown = 0u64;
    let mut first_block = true;
    let mut print_block = |block: &mut Vec<Vec<String>>| -> Result<()> {
        let mut t = table::new(header, ctx.out.tty);
        for cells in block.drain(..) {
            table::row(&mut t, cells);
        }
        let first = std::mem::replace(&mut first_block, false);
        if first || ctx.out.tty || ctx.out.boxed_tables {
            return ctx.out.table(t);
        }
        // Tab-separated in a pipe: one header for the whole stream.
        let tsv = table::tsv(&t);
        ctx.out
            .print(tsv.split_once('\n').map_or("", |(_, rows)| rows))
    };
    let mut add = |i: Issue| -> Result<()> {
        block.push(table_row(ctx, &i, locale));
        shown += 1;
        if block.len() == TABLE_BLOCK_ROWS {
            print_block(&mut block)?;
        }
        Ok(())
    };
    // The page and its count come from one snapshot.
    let total = issue_ops::page(store, filter, page, &mut add)?;
    if !block.is_empty() {
        print_block(&mut block)?;
    }
    list_footer(ctx, shown, total, page, paged);
    Ok(())
}

/// One issue as a row of the table.
fn table_row(ctx: &Ctx, i: &Issue, locale: Locale) -> Vec<String> {
    let v = view(ctx, i);
    vec![
        format!("#{}", v.id),
        v.title,
        v.status.label(locale).to_string(),
        category_label(v.category.as_deref(), locale),
        rules::channel_label(&v.channel, locale).to_string(),
        v.raised_on,
        v.submitted_by.unwrap_or_default(),
    ]
}

/// What follows the table: that nothing matched, the count, or the page's footer.
fn list_footer(ctx: &Ctx, shown: u64, total: Option<u64>, page: issues::Page, paged: bool) {
    if shown == 0 && page.offset == 0 {
        return ctx.out.say(&text!("issue.none_match"));
    }
    if !paged {
        return ctx.out.say(&text!("issue.count", n = count(shown)));
    }
    let window = super::paging::Window {
        limit: page.limit,
        offset: page.offset,
    };
    ctx.out.say(&super::paging::footer(
        window,
        shown,
        total.unwrap_or(shown),
        super::paging::Listed::Issues,
    ));
}

/// Every matching issue as CSV, written as it is read; in zh-CN (for Excel) Chinese headers
/// and values, in English the keys.
fn list_csv(
    ctx: &Ctx,
    store: &yishi_core::Store,
    filter: &issues::Filter,
    page: issues::Page,
    locale: Locale,
) -> Result<()> {
    let mut buf = yishi_core::render::csv::issue_header(locale == Locale::ZhCn);
    issue_ops::each(store, filter, page, |i| {
        let v = view(ctx, &i);
        let cells = [
            i.id.to_string(),
            v.title,
            v.submitted_by.unwrap_or_default(),
            v.phone.unwrap_or_default(),
            v.address.unwrap_or_default(),
            // The channel word as the secretary wrote it (线下, 入户走访, online...).
            v.channel,
            category_label(v.category.as_deref(), locale),
            v.raised_on,
            v.detail.unwrap_or_default(),
            v.status.label(locale).to_string(),
        ];
        yishi_core::render::csv::push_row(&mut buf, &cells);
        if buf.len() > FLUSH_BYTES {
            ctx.out.print(&buf)?;
            buf.clear();
        }
        Ok(())
    })?;
    ctx.out.print(&buf)
}

/// Matching issues as one JSON array, written element by element as rows are read; the same
/// text `Output::json` would print for the whole list. A whole listing is read and formatted
/// on two threads (`issue_ops::each_formatted`).
fn list_json(
    ctx: &Ctx,
    store: &yishi_core::Store,
    filter: &issues::Filter,
    page: issues::Page,
) -> Result<()> {
    let out = &ctx.out;
    // One array element, indented as inside the array.
    let element = |i: &Issue| -> Result<String> {
        Ok(serde_json::to_string_pretty(&masked_view(out, i))?.replace('\n', "\n  "))
    };
    let mut buf = String::from("[");
    let mut first = true;
    let mut emit = |text: &str| -> Result<()> {
        buf.push_str(if first { "\n  " } else { ",\n  " });
        first = false;
        buf.push_str(text);
        if buf.len() > FLUSH_BYTES {
            out.print(&buf)?;
            buf.clear();
        }
        Ok(())
    };
    let whole = page.limit.is_none() && page.offset == 0 && !page.recorded_order;
    if whole {
        issue_ops::each_formatted(store, filter, element, &mut emit)?;
    } else {
        issue_ops::each(store, filter, page, |i| emit(&element(&i)?))?;
    }
    buf.push_str(if first { "]\n" } else { "\n]\n" });
    out.print(&buf)
}

#[derive(Serialize)]
struct IssueDetail {
    #[serde(flatten)]
    issue: IssueView,
    co_submitters: Vec<issues::Submitter>,
    history: Vec<issues::HistoryEntry>,
    consultations: Vec<issues::Consultation>,
    stakeholders: Vec<issues::Stakeholder>,
    /// Motions on this issue at any meeting, with their results.
    motions: Vec<yishi_core::domain::motion::Motion>,
    resolutions: Vec<yishi_core::domain::motion::Resolution>,
    actions: Vec<yishi_core::domain::followup::Action>,
    /// Re-raised issues: this one re-raises `to_issue`, or `issue_id` re-raises this one.
    links: Vec<issues::Link>,
    /// The resolutions this objection objects to, and their public-notice period.
    #[serde(skip_serializing_if = "Option::is_none")]
    objection: Option<ObjectionView>,
    /// 四议两公开, once the council has decided the issue (status's area: render/status.rs).
    #[serde(skip_serializing_if = "Option::is_none")]
    checklist: Option<Vec<yishi_core::domain::status::CheckStep>>,
    /// How it came in: a survey's platform, submission route, time, region and answer number,
    /// and whether the category is a keyword's suggestion not yet confirmed.
    #[serde(skip_serializing_if = "Option::is_none")]
    intake: Option<issues::IssueIntake>,
    /// 答复: what the residents who raised it were told, at which step.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    replies: Vec<yishi_core::domain::reply::Reply>,
}

#[derive(Serialize)]
struct ObjectionView {
    meeting: String,
    resolutions: Vec<String>,
    notice_from: Option<String>,
    notice_to: Option<String>,
    public_notice_days: u32,
}

fn show(a: IdArgs, ctx: &mut Ctx) -> Result<()> {
    let id = super::args::issue_id(&a.id)?;
    let zh = ctx.doc_locale() == Locale::ZhCn;
    let rec = issue_ops::show(ctx.reader()?, id)?;
    let created_at = rec.issue.created_at.clone();
    let detail = detail(ctx, rec);
    if ctx.out.json {
        return ctx.out.json(&detail);
    }
    let mut out = String::new();
    head_lines(&mut out, &detail, zh);
    objection_lines(&mut out, &detail, zh);
    link_lines(&mut out, &detail, zh);
    co_submitter_lines(&mut out, &detail, zh);
    history_lines(&mut out, &detail, zh, &created_at);
    consultation_lines(&mut out, &detail, zh);
    vote_lines(&mut out, &detail, zh);
    reply_lines(&mut out, &detail, zh);
    if let Some(steps) = &detail.checklist {
        out.push_str(&yishi_core::render::status::checklist(steps, zh));
    }
    ctx.out.print(&yishi_core::render::clean(&out))
}

/// The issue's record as shown (and as JSON), with residents' contacts masked by default.
fn detail(ctx: &Ctx, rec: issue_ops::IssueRecord) -> IssueDetail {
    let mut detail = IssueDetail {
        issue: view(ctx, &rec.issue),
        co_submitters: rec.co_submitters,
        history: rec.history,
        consultations: rec.consultations,
        stakeholders: rec.stakeholders,
        motions: rec.motions,
        resolutions: rec.resolutions,
        actions: rec.actions,
        links: rec.links,
        objection: rec.objection.map(|o| ObjectionView {
            meeting: o.meeting.label(),
            resolutions: o
                .resolutions
                .into_iter()
                .map(|r| format!("R{} {}", r.id, r.text))
                .collect(),
            notice_from: o.notice.as_ref().map(|n| n.starts_on.clone()),
            notice_to: o.notice.and_then(|n| n.ends_on),
            public_notice_days: o.meeting.rules.public_notice_days,
        }),
        checklist: rec.checklist,
        intake: rec.intake,
        replies: rec.replies,
    };
    // One masking rule per person (domain::contact::Names): a resident is masked in every
    // role the record names them in; members, observers and organisations stay as written.
    let person = |name: &str| ctx.out.resident(Some(name));
    for s in &mut detail.stakeholders {
        s.name = person(&s.name);
    }
    for c in &mut detail.consultations {
        c.party = person(&c.party);
    }
    for a in &mut detail.actions {
        a.owner = a.owner.as_deref().map(person);
    }
    for r in &mut detail.resolutions {
        r.owner = r.owner.as_deref().map(person);
    }
    for m in &mut detail.motions {
        m.owner = m.owner.as_deref().map(person);
    }
    for s in &mut detail.co_submitters {
        s.name = ctx.out.resident(Some(&s.name));
        s.phone = s.phone.as_deref().map(|p| ctx.out.phone(Some(p)));
        s.address = s.address.as_deref().map(|p| ctx.out.address(Some(p)));
    }
    for s in &mut detail.stakeholders {
        s.phone = s.phone.as_deref().map(|p| ctx.out.phone(Some(p)));
    }
    detail
}

/// The title and the issue's own fields.
fn head_lines(out: &mut String, detail: &IssueDetail, zh: bool) {
    let v = &detail.issue;
    let locale = Locale::from_zh(zh);
    out.push_str(&format!("#{} {}\n", v.id, v.title));
    let status = match &v.merged_into {
        Some(m) => format!("{} → #{m}", v.status.label(locale)),
        None => v.status.label(locale).to_string(),
    };
    let by = [v.submitted_by.clone(), v.phone.clone(), v.address.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let suggested = detail.intake.as_ref().is_some_and(|i| i.category_suggested);
    let mut category = category_label(v.category.as_deref(), locale);
    if suggested && !category.is_empty() {
        category.push_str(if zh {
            "（按关键词建议，待确认：受理或 issue edit --category 即确认）"
        } else {
            " (suggested by a keyword, unconfirmed: accepting the issue or issue edit --category confirms it)"
        });
    }
    let survey = detail
        .intake
        .as_ref()
        .map(|i| survey_line(&i.survey, zh))
        .unwrap_or_default();
    let rows: Vec<(&str, String)> = if zh {
        vec![
            ("状态", status),
            ("类别", category),
            ("渠道", rules::channel_label(&v.channel, locale).into()),
            ("问卷", survey),
            ("提出日期", v.raised_on.clone()),
            ("提出人", by),
            ("详情", v.detail.clone().unwrap_or_default()),
        ]
    } else {
        vec![
            ("status", status),
            ("category", category),
            ("channel", v.channel.clone()),
            ("survey", survey),
            ("raised on", v.raised_on.clone()),
            ("raised by", by),
            ("detail", v.detail.clone().unwrap_or_default()),
        ]
    };
    for (label, value) in rows {
        if !value.is_empty() {
            // A detail of several lines stays indented under its label.
            let value = value.replace('\n', "\n    ");
            out.push_str(&format!("  {label}: {value}\n"));
        }
    }
}

/// A survey answer's intake metadata on one line: `问卷星 答卷 3；提交方式 手机提交；…`.
fn survey_line(i: &yishi_core::import::survey::Intake, zh: bool) -> String {
    let labels = if zh {
        ["答卷", "提交方式", "提交时间", "地区"]
    } else {
        ["answer", "submitted via", "submitted at", "region"]
    };
    let parts: Vec<String> = [&i.answer_id, &i.route, &i.submitted_at, &i.region]
        .into_iter()
        .zip(labels)
        .filter_map(|(v, label)| v.as_deref().map(|v| format!("{label} {v}")))
        .collect();
    let platform = i.platform.clone().unwrap_or_default();
    match (platform.is_empty(), parts.is_empty()) {
        (true, true) => String::new(),
        (false, true) => platform,
        (true, false) => parts.join(if zh { "；" } else { "; " }),
        (false, false) => format!("{platform} {}", parts.join(if zh { "；" } else { "; " })),
    }
}

/// An objection during a public notice: the meeting, the period and the resolutions.
fn objection_lines(out: &mut String, detail: &IssueDetail, zh: bool) {
    if let Some(o) = &detail.objection {
        let period = match (&o.notice_from, &o.notice_to) {
            (Some(f), Some(t)) => format!("{f}–{t}"),
            _ if zh => format!("{} 天", o.public_notice_days),
            _ => format!("{} days", o.public_notice_days),
        };
        out.push_str(&if zh {
            format!("  公示期异议: {}（公示期 {period}）\n", o.meeting)
        } else {
            format!(
                "  objection during the public notice (公示期异议): {} (public-notice period {period})\n",
                o.meeting
            )
        });
        for r in &o.resolutions {
            out.push_str(&format!(
                "    {}: {r}\n",
                if zh {
                    "所异议的决议"
                } else {
                    "resolution objected to"
                }
            ));
        }
    }
}

/// Re-raised issues, both ways.
fn link_lines(out: &mut String, detail: &IssueDetail, zh: bool) {
    for l in &detail.links {
        let line = match (l.issue_id == detail.issue.id, l.to_issue, zh) {
            (true, Some(to), true) => format!("重提议题 #{to}"),
            (true, Some(to), false) => format!("re-raises #{to}"),
            (false, _, true) => format!("已被 #{} 重提", l.issue_id),
            (false, _, false) => format!("re-raised by #{}", l.issue_id),
            _ => continue,
        };
        out.push_str(&format!("  {line}\n"));
    }
}

/// Residents who raised the same issue (merged duplicates).
fn co_submitter_lines(out: &mut String, detail: &IssueDetail, zh: bool) {
    if !detail.co_submitters.is_empty() {
        out.push_str(if zh {
            "\n同时反映的居民:\n"
        } else {
            "\nAlso raised by:\n"
        });
        for s in &detail.co_submitters {
            out.push_str(&format!("  {} (#{})\n", s.name, s.from_issue.unwrap_or(0)));
        }
    }
}

/// How the issue went through the status machine, from its collection.
fn history_lines(out: &mut String, detail: &IssueDetail, zh: bool, created_at: &str) {
    out.push_str(if zh {
        "\n办理记录:\n"
    } else {
        "\nHistory:\n"
    });
    let locale = Locale::from_zh(zh);
    out.push_str(&format!(
        "  {}  {}\n",
        created_at.get(..10).unwrap_or(created_at),
        Status::Collected.label(locale)
    ));
    for h in &detail.history {
        // A note that leaves the status as it was (a recount, a correction) names it once.
        let step = if h.from == h.to {
            h.to.label(locale).to_string()
        } else {
            format!("{} → {}", h.from.label(locale), h.to.label(locale))
        };
        out.push_str(&format!(
            "  {}  {step}  ({}){}\n",
            date::local_display(&h.at),
            h.actor,
            yishi_core::render::history::entry(h, locale)
                .map(|n| format!(": {n}"))
                .unwrap_or_default()
        ));
    }
}

/// Pre-consultations and the stakeholders (X) of the issue.
fn consultation_lines(out: &mut String, detail: &IssueDetail, zh: bool) {
    if !detail.consultations.is_empty() {
        out.push_str(if zh {
            "\n会前协商:\n"
        } else {
            "\nPre-consultations:\n"
        });
        for c in &detail.consultations {
            out.push_str(&format!("  {}  {}: {}\n", c.held_on, c.party, c.summary));
        }
    }
    if !detail.stakeholders.is_empty() {
        out.push_str(if zh {
            "\n利益相关方 (X):\n"
        } else {
            "\nStakeholders (X):\n"
        });
        for s in &detail.stakeholders {
            out.push_str(&format!(
                "  {}{}\n",
                s.name,
                s.phone
                    .as_deref()
                    .map(|p| format!(" {p}"))
                    .unwrap_or_default()
            ));
        }
    }
}

/// The council's votes on the issue, its resolutions and their actions.
fn vote_lines(out: &mut String, detail: &IssueDetail, zh: bool) {
    if !detail.motions.is_empty() {
        out.push_str(if zh {
            "\n议事会表决:\n"
        } else {
            "\nCouncil votes:\n"
        });
        for m in &detail.motions {
            let tally = m.tally.map(|t| format!(" {t}")).unwrap_or_default();
            out.push_str(&format!(
                "  M{} {} {}{tally} → {}\n",
                m.meeting_id,
                m.label(),
                m.text,
                MotionResult::label_or_pending(m.result, Locale::from_zh(zh))
            ));
        }
    }
    for r in &detail.resolutions {
        out.push_str(&format!(
            "\n{} R{}: {}\n",
            if zh { "决议" } else { "Resolution" },
            r.id,
            r.text
        ));
    }
    for a in &detail.actions {
        out.push_str(&format!(
            "  A{} {}% {}{}\n",
            a.id,
            a.progress,
            a.owner.as_deref().unwrap_or(""),
            a.due
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default()
        ));
    }
}

/// 答复: each reply to the residents, by step.
fn reply_lines(out: &mut String, detail: &IssueDetail, zh: bool) {
    if detail.replies.is_empty() {
        return;
    }
    let locale = Locale::from_zh(zh);
    out.push_str(if zh {
        "\n答复居民:\n"
    } else {
        "\nReplies to residents:\n"
    });
    for r in &detail.replies {
        let text = r
            .text
            .as_deref()
            .map(|t| format!(": {t}"))
            .unwrap_or_default();
        out.push_str(&if zh {
            format!(
                "  {}  {}  {}答复 {} 人{text}\n",
                r.replied_on,
                r.step.label(locale),
                r.via.label(locale),
                r.residents
            )
        } else {
            format!(
                "  {}  {}  by {}, {} resident(s){text}\n",
                r.replied_on,
                r.step.label(locale),
                r.via.label(locale),
                r.residents
            )
        });
    }
}

fn transition(
    ctx: &mut Ctx,
    id: &str,
    to: Status,
    note: Option<&str>,
    action: Action,
) -> Result<()> {
    let id = parse_issue_id(id)?;
    let actor = ctx.actor(&format!(
        "issue {}",
        if to == Status::Accepted {
            "accept"
        } else {
            "reject"
        }
    ));
    let issue = issue_ops::set_status(ctx.store()?, &actor, IssueId(id), to, note, action)?;
    ctx.out.say(
        &text!("issue.status_changed", id = id, title = &issue.title).pair(
            "status",
            to.label(Locale::ZhCn),
            format!("{} ({})", to.key(), to.label(Locale::ZhCn)),
        ),
    );
    // The resident who raised it is owed a reply at this step (an anonymous issue is not).
    if issue
        .submitted_by
        .as_deref()
        .is_some_and(|s| !s.trim().is_empty())
    {
        ctx.out.say(&if to == Status::Rejected {
            text!("reply.hint_rejected", id = id)
        } else {
            text!("reply.hint_accepted", id = id)
        });
    }
    Ok(())
}

fn merge(a: MergeArgs, ctx: &mut Ctx) -> Result<()> {
    let dup_id = parse_issue_id(&a.id)?;
    let into_id = parse_issue_id(&a.into)?;
    let actor = ctx.actor("issue merge");
    let into = issue_ops::merge(ctx.store()?, &actor, IssueId(dup_id), IssueId(into_id))?;
    ctx.out.say(&text!(
        "issue.merged",
        dup = dup_id,
        into = into_id,
        title = &into.title
    ));
    Ok(())
}

fn consult(a: ConsultArgs, ctx: &mut Ctx) -> Result<()> {
    let id = parse_issue_id(&a.id)?;
    let party = text::name("--with", &a.party)?;
    let summary = text::multi_line("--summary", &a.summary)?;
    let held_on = match &a.date {
        Some(d) => parse_day("--date", d)?,
        None => ctx.today().to_string(),
    };
    let actor = ctx.actor("issue consult");
    let c = issue_ops::Consult {
        issue: IssueId(id),
        party: party.clone(),
        summary,
        held_on,
    };
    issue_ops::consult(ctx.store()?, &actor, &c)?;
    ctx.out
        .say(&text!("issue.consulted", party = &party, id = id));
    Ok(())
}

fn stakeholder(c: StakeholderCommand, ctx: &mut Ctx) -> Result<()> {
    match c {
        StakeholderCommand::Add { id, name, phone } => {
            let id = parse_issue_id(&id)?;
            let name = text::name("stakeholder name", &name)?;
            let phone = text::optional(phone.as_deref(), contact::phone)?;
            let actor = ctx.actor("issue stakeholder add");
            issue_ops::add_stakeholder(ctx.store()?, &actor, IssueId(id), &name, phone.as_deref())?;
            ctx.out
                .say(&text!("issue.stakeholder_added", name = &name, id = id));
        }
        StakeholderCommand::Remove { id, name } => {
            let id = parse_issue_id(&id)?;
            let actor = ctx.actor("issue stakeholder remove");
            issue_ops::remove_stakeholder(ctx.store()?, &actor, IssueId(id), name.trim())?;
            ctx.out.say(&text!(
                "issue.stakeholder_removed",
                name = name.trim(),
                id = id
            ));
        }
    }
    Ok(())
}

fn edit(a: EditArgs, ctx: &mut Ctx) -> Result<()> {
    let issue = super::args::issue_id(&a.id)?;
    let req = yishi_core::ops::corrections::IssueEdit {
        issue,
        title: text::optional(a.title.as_deref(), |t| text::single_line("--title", t))?,
        detail: text::optional(a.detail.as_deref(), |t| text::multi_line("--detail", t))?,
        category: a
            .category
            .as_deref()
            .map(|c| parse_category(c).map(str::to_string))
            .transpose()?,
        reason: text::single_line("--reason", &a.reason)?,
    };
    let actor = ctx.actor("issue edit");
    yishi_core::ops::corrections::edit_issue(ctx.store()?, &actor, req)?;
    ctx.out.say(&text!("issue.corrected", issue = &issue));
    Ok(())
}
