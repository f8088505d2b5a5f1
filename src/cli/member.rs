//! `yishi member ...`: the council roster in the 6+X seat model.

use super::Ctx;
use serde::Serialize;
use std::path::PathBuf;
use yishi_core::domain::member::{Member, MemberChanges, NewMember};
use yishi_core::domain::{contact, text};
use yishi_core::error::Result;
use yishi_core::ops::members as ops;
use yishi_core::render::table;
use yishi_core::text;

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Add a member to the council.
    #[command(
        after_help = "Examples:\n  yishi member add 吴芳 --seat women --phone 13800001234 --address 3栋201\n  yishi member add 汀塘社工站 --seat observer"
    )]
    Add(AddArgs),
    /// List the active members (all with --all).
    #[command(
        after_help = "Examples:\n  yishi member list\n  yishi member list --seat women --json"
    )]
    List(ListArgs),
    /// Everything about one member.
    #[command(after_help = "Examples:\n  yishi member show 3\n  yishi member show 林秀英")]
    Show(ShowArgs),
    /// Change a member's details.
    #[command(
        after_help = "Examples:\n  yishi member edit 9 --seat party\n  yishi member edit 吴芳 --phone 13900001111"
    )]
    Edit(EditArgs),
    /// Record that a member left the council; their history stays.
    #[command(after_help = "Example:\n  yishi member retire 吴芳 --date 2026-12-31")]
    Retire(RetireArgs),
    /// Remove a member's name and contact details; their votes and speeches stay under a pseudonym.
    #[command(after_help = "Example:\n  yishi member forget 9 --yes")]
    Forget(ForgetArgs),
    /// Add members from a CSV file (columns: name/姓名, seat/席位, phone/电话, address/住址, note/备注).
    #[command(
        after_help = "Examples:\n  yishi member import examples/tingtang/members.csv --dry-run\n  yishi member import examples/tingtang/members.csv"
    )]
    Import(ImportArgs),
}

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// The member's name.
    name: String,
    /// Seat category: committee, party, backbone, women, social-org, social-resource, stakeholder, observer (or its Chinese name).
    #[arg(long, value_parser = super::values::seats(), hide_possible_values = true)]
    seat: String,
    /// Phone number (masked in tables unless --show-contacts; an empty value clears it in `edit`).
    #[arg(long)]
    phone: Option<String>,
    /// Address, e.g. 3栋201 (masked like the phone).
    #[arg(long)]
    address: Option<String>,
    /// A note, e.g. 居委会主任.
    #[arg(long)]
    note: Option<String>,
    /// Date the member joined [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    joined: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// Only this seat.
    #[arg(long, value_parser = super::values::seats(), hide_possible_values = true)]
    seat: Option<String>,
    /// Include retired members.
    #[arg(long)]
    all: bool,
}

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// Id (3 or #3) or name.
    member: String,
}

#[derive(clap::Args, Debug)]
pub struct EditArgs {
    /// Id (3 or #3) or name.
    member: String,
    /// The member's name as it appears in minutes.
    #[arg(long)]
    name: Option<String>,
    /// Seat key or name from yishi.toml: committee, party, backbone, women, social-org, social-resource, observer (or 居委会代表 ...).
    #[arg(long, value_parser = super::values::seats(), hide_possible_values = true)]
    seat: Option<String>,
    /// New phone number ("" removes it).
    #[arg(long)]
    phone: Option<String>,
    /// New address ("" removes it).
    #[arg(long)]
    address: Option<String>,
    /// New note ("" removes it).
    #[arg(long)]
    note: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct RetireArgs {
    /// Id (3 or #3) or name.
    member: String,
    /// Date the member left [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ForgetArgs {
    /// Id (3 or #3) or name.
    member: String,
    /// Confirm: this cannot be undone.
    #[arg(long)]
    yes: bool,
}

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The CSV file, or - for standard input.
    file: PathBuf,
    #[command(flatten)]
    csv: super::args::CsvArgs,
    /// Check the file and report what would be added, changing nothing.
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
        Command::List(a) => list(a, ctx),
        Command::Show(a) => show(a, ctx),
        Command::Edit(a) => edit(a, ctx),
        Command::Retire(a) => retire(a, ctx),
        Command::Import(a) => import(a, ctx),
        Command::Forget(a) => forget(a, ctx),
    }
}

fn parse_date_arg(flag: &str, value: Option<&str>, today: chrono::NaiveDate) -> Result<String> {
    match value {
        None => Ok(today.to_string()),
        Some(v) => super::args::day(flag, v),
    }
}

/// Validate one member's fields, from the command line or a CSV row.
pub fn validate_new(
    ctx: &Ctx,
    name: &str,
    seat: &str,
    phone: Option<&str>,
    address: Option<&str>,
    note: Option<&str>,
    joined: Option<&str>,
) -> Result<NewMember> {
    Ok(NewMember {
        name: text::name("name", name)?,
        seat: ctx
            .config
            .seat(seat)
            .map_err(super::values::typed_by_hand)?
            .0
            .key
            .clone(),
        phone: text::optional(phone, contact::phone)?,
        address: text::optional(address, |a| text::single_line("address", a))?,
        note: text::optional(note, |n| text::multi_line("note", n))?,
        joined_on: parse_date_arg("--joined", joined, ctx.today())?,
    })
}

fn add(a: AddArgs, ctx: &mut Ctx) -> Result<()> {
    let m = validate_new(
        ctx,
        &a.name,
        &a.seat,
        a.phone.as_deref(),
        a.address.as_deref(),
        a.note.as_deref(),
        a.joined.as_deref(),
    )?;
    let actor = ctx.actor("member add");
    let added = ops::add(ctx.store()?, &actor, &m)?;
    let (id, same_name) = (added.member.id, added.same_name);
    let seat = ctx.config.seat_label(&m.seat, ctx.config.locale);
    if ctx.out.json {
        return ctx.out.json(&view(ctx, &added.member));
    }
    ctx.out
        .say(&text!("member.added", id = id, name = &m.name, seat = seat));
    if !same_name.is_empty() {
        let ids: Vec<String> = same_name.iter().map(|id| id.to_string()).collect();
        ctx.out.warn_text(&text!(
            "member.same_name",
            name = &m.name,
            ids = ids.join(", ")
        ));
    }
    Ok(())
}

/// A member as shown: contacts masked unless --show-contacts.
#[derive(Serialize)]
struct MemberView {
    id: i64,
    name: String,
    seat: String,
    seat_name: String,
    phone: Option<String>,
    address: Option<String>,
    note: Option<String>,
    joined_on: String,
    retired_on: Option<String>,
    active: bool,
}

fn view(ctx: &Ctx, m: &Member) -> MemberView {
    MemberView {
        id: m.id,
        name: m.name.clone(),
        seat: m.seat.clone(),
        seat_name: ctx.config.seat_label(&m.seat, ctx.config.locale),
        phone: m.phone.as_deref().map(|p| ctx.out.phone(Some(p))),
        address: m.address.as_deref().map(|a| ctx.out.address(Some(a))),
        note: m.note.clone(),
        joined_on: m.joined_on.clone(),
        retired_on: m.retired_on.clone(),
        active: m.active(),
    }
}

fn list(a: ListArgs, ctx: &mut Ctx) -> Result<()> {
    let seat = match &a.seat {
        Some(s) => Some(
            ctx.config
                .seat(s)
                .map_err(super::values::typed_by_hand)?
                .0
                .key
                .clone(),
        ),
        None => None,
    };
    let list = ops::list(ctx.reader()?, seat.as_deref(), a.all)?;
    let views: Vec<MemberView> = list.iter().map(|m| view(ctx, m)).collect();
    if ctx.out.json {
        return ctx.out.json(&views);
    }
    let zh = ctx.config.locale == yishi_core::config::Locale::ZhCn;
    let header: &[&str] = if zh {
        &["编号", "姓名", "席位", "电话", "住址", "加入日期", "状态"]
    } else {
        &["id", "name", "seat", "phone", "address", "joined", "status"]
    };
    let mut t = table::new(header, ctx.out.tty);
    for v in &views {
        let status = match (&v.retired_on, zh) {
            (None, true) => "在任".to_string(),
            (None, false) => "active".to_string(),
            (Some(d), true) => format!("{d} 离任"),
            (Some(d), false) => format!("retired {d}"),
        };
        table::row(
            &mut t,
            vec![
                v.id.to_string(),
                v.name.clone(),
                v.seat_name.clone(),
                v.phone.clone().unwrap_or_default(),
                v.address.clone().unwrap_or_default(),
                v.joined_on.clone(),
                status,
            ],
        );
    }
    if views.is_empty() {
        ctx.out.say(&text!("member.none"));
        return Ok(());
    }
    ctx.out.table(t)?;
    ctx.out.say(&text!("member.count", n = views.len()));
    Ok(())
}

fn show(a: ShowArgs, ctx: &mut Ctx) -> Result<()> {
    let m = ops::show(ctx.reader()?, &a.member)?;
    let v = view(ctx, &m);
    if ctx.out.json {
        return ctx.out.json(&v);
    }
    let zh = ctx.config.locale == yishi_core::config::Locale::ZhCn;
    let labels: [&str; 8] = if zh {
        [
            "编号",
            "姓名",
            "席位",
            "电话",
            "住址",
            "备注",
            "加入日期",
            "离任日期",
        ]
    } else {
        [
            "id", "name", "seat", "phone", "address", "note", "joined", "retired",
        ]
    };
    let values = [
        v.id.to_string(),
        v.name,
        format!("{} ({})", v.seat_name, v.seat),
        v.phone.unwrap_or_default(),
        v.address.unwrap_or_default(),
        v.note.unwrap_or_default(),
        v.joined_on,
        v.retired_on.unwrap_or_default(),
    ];
    let mut t = table::new(
        &[
            if zh { "项目" } else { "field" },
            if zh { "内容" } else { "value" },
        ],
        ctx.out.tty,
    );
    for (l, val) in labels.iter().zip(values) {
        table::row(&mut t, vec![l.to_string(), val]);
    }
    ctx.out.table(t)
}

fn edit(a: EditArgs, ctx: &mut Ctx) -> Result<()> {
    // "" clears an optional field.
    let clearable =
        |v: Option<String>, f: &dyn Fn(&str) -> Result<String>| -> Result<Option<Option<String>>> {
            match v {
                None => Ok(None),
                Some(s) if s.trim().is_empty() => Ok(Some(None)),
                Some(s) => Ok(Some(Some(f(&s)?))),
            }
        };
    let changes = MemberChanges {
        name: a
            .name
            .as_deref()
            .map(|n| text::name("--name", n))
            .transpose()?,
        seat: a
            .seat
            .as_deref()
            .map(|s| {
                ctx.config
                    .seat(s)
                    .map(|s| s.0.key.clone())
                    .map_err(super::values::typed_by_hand)
            })
            .transpose()?,
        phone: clearable(a.phone, &contact::phone)?,
        address: clearable(a.address, &|s| text::single_line("--address", s))?,
        note: clearable(a.note, &|s| text::multi_line("--note", s))?,
    };
    let actor = ctx.actor("member edit");
    let before = ops::edit(ctx.store()?, &actor, &a.member, &changes)?;
    ctx.out.say(&text!(
        "member.updated",
        id = before.id,
        name = changes.name.as_deref().unwrap_or(&before.name)
    ));
    Ok(())
}

fn retire(a: RetireArgs, ctx: &mut Ctx) -> Result<()> {
    let on = parse_date_arg("--date", a.date.as_deref(), ctx.today())?;
    let actor = ctx.actor("member retire");
    let m = ops::retire(ctx.store()?, &actor, &a.member, &on)?;
    ctx.out.say(&text!(
        "member.retired",
        id = m.id,
        name = &m.name,
        date = on
    ));
    Ok(())
}

fn forget(a: ForgetArgs, ctx: &mut Ctx) -> Result<()> {
    let actor = ctx.actor("member forget");
    let (id, f, emptied) = ops::forget(ctx.store()?, &actor, &a.member, a.yes)?;
    ctx.out.say(&text!(
        "member.forgotten",
        id = id,
        pseudonym = &f.pseudonym,
        rows = f.rows,
        events = f.events
    ));
    super::resident::warn_leftovers(ctx, &f.pseudonym, f.unerasable_events, emptied);
    Ok(())
}

/// Roster import: all rows are checked first; any bad row means nothing is added. A row whose
/// name and seat match an active member is skipped as already present.
fn import(a: ImportArgs, ctx: &mut Ctx) -> Result<()> {
    use super::issue_import::{load, progress_bar, rejects_file, show_progress};
    use yishi_core::import::{Source, members as f};
    let mut source = Source::open(&a.file, &a.csv.options(), f::FIELDS)?;
    let name = source.name.clone();
    let rejects = rejects_file(ctx, &source, a.skip_invalid, a.rejects)?;
    let how = load(&source, a.dry_run, a.skip_invalid);
    let progress = progress_bar(ctx, source.size, text!("import.stage_loading_members"));
    let ui = ctx.ui;
    let actor = ctx.actor("member import");
    let today = ctx.today();
    ctx.store_for(a.dry_run)?;
    let (store, config) = ctx.store_and_config()?;
    let loaded = yishi_core::ops::import::load_members(
        store,
        &actor,
        config,
        &mut source,
        &how,
        rejects,
        today,
        |now| show_progress(progress.as_ref(), ui, now),
    )?;
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    let ((added, present), errors) = (loaded.written, loaded.errors);

    if errors.total > 0 {
        ctx.out
            .warn_text(&text!("import.skipped_rows", n = errors.total).pair(
                "report",
                errors.report_zh(&name),
                errors.report(&name),
            ));
    }
    if a.dry_run {
        ctx.out.say(&text!(
            "member.import_dry_run",
            added = added,
            present = present
        ));
        return Ok(());
    }
    let (more_zh, more) = source.not_imported_note();
    ctx.out.say(
        &text!(
            "member.imported",
            added = added,
            file = &name,
            present = present
        )
        .pair("more", more_zh, more),
    );
    Ok(())
}
