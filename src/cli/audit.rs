//! `yishi log` and `yishi verify`: the audit trail and its check.

use super::Ctx;
use crate::domain::date;
use crate::error::{Error, Result};
use crate::render::table;
use crate::store::audit::{self, LogFilter};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  yishi log\n  yishi log --entity issue:12\n  yishi log --entity member --since 2026-11-01 --json"
)]
pub struct LogArgs {
    /// Only changes of this entity, optionally one id: issue, issue:12, member:3.
    #[arg(long, conflicts_with = "meeting")]
    entity: Option<String>,
    /// Only changes of this meeting and its motions: M1 or 1.
    #[arg(long)]
    meeting: Option<String>,
    /// Only changes on or after this day.
    #[arg(long, value_name = "YYYY-MM-DD")]
    since: Option<String>,
    /// Only the last N changes.
    #[arg(long)]
    limit: Option<u32>,
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  yishi verify\n  yishi verify --json\n\nExit status 0 when everything checks out, 1 when a problem is found."
)]
pub struct VerifyArgs {}

pub fn log(a: LogArgs, ctx: &mut Ctx) -> Result<()> {
    let mut filter = LogFilter {
        limit: a.limit,
        meeting: a
            .meeting
            .as_deref()
            .map(super::args::parse_meeting_id)
            .transpose()?,
        ..Default::default()
    };
    if let Some(e) = &a.entity {
        let (name, id) = match e.split_once(':') {
            Some((n, id)) => (n, Some(id)),
            None => (e.as_str(), None),
        };
        filter.entity = Some(name.trim().to_string());
        filter.entity_id = match id {
            Some(id) => Some(
                crate::domain::text::parse_id(id.trim_start_matches(['#', 'M', 'm']), '#')
                    .ok_or_else(|| {
                        Error::data(format!(
                            "--entity \"{e}\": \"{id}\" is not an id (expected e.g. issue:12)"
                        ))
                    })?,
            ),
            None => None,
        };
    }
    if let Some(s) = &a.since {
        let d = date::parse_date(s).ok_or_else(|| {
            Error::data(format!(
                "--since \"{s}\" is not a date ({})",
                date::DATE_HINT
            ))
        })?;
        filter.since = Some(format!("{d}T00:00:00"));
    }
    let events = ctx.store()?.read(|conn| audit::events(conn, &filter))?;
    if ctx.out.json {
        return ctx.out.json(&events);
    }
    if events.is_empty() {
        ctx.out.note("no changes recorded that match");
        return Ok(());
    }
    let mut t = table::new(
        &["#", "time", "actor", "command", "entity", "change"],
        ctx.out.tty,
    );
    for e in &events {
        let entity = match e.entity_id {
            Some(id) => format!("{}:{id}", e.entity),
            None => e.entity.clone(),
        };
        let mut change = e.change.to_string();
        if change.chars().count() > 80 {
            change = change.chars().take(77).collect::<String>() + "...";
        }
        table::row(
            &mut t,
            vec![
                e.seq.to_string(),
                date::local_display(&e.at),
                e.actor.clone(),
                e.command.clone(),
                format!("{entity} {}", e.action),
                change,
            ],
        );
    }
    ctx.out.table(t)
}

pub fn verify(_a: VerifyArgs, ctx: &mut Ctx) -> Result<()> {
    // One snapshot: a write by another process between reading the seals and the rows must
    // not look like a change made outside yishi.
    let (checked, problems) = ctx.store()?.read(|conn| {
        let (checked, mut problems) = audit::verify(conn)?;
        problems.extend(crate::store::invariants::check(conn)?);
        Ok((checked, problems))
    })?;
    if ctx.out.json {
        ctx.out.json(&serde_json::json!({"ok": problems.is_empty(), "checked": checked, "problems": problems}))?;
    } else if problems.is_empty() {
        ctx.out.line(&format!(
            "OK: {} events in an unbroken chain; {} rows in {} tables match the log",
            checked.events, checked.rows, checked.tables
        ))?;
    } else {
        for p in &problems {
            ctx.out.line(&format!("PROBLEM: {}", p.message))?;
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::refused(format!(
            "{} problem(s) found: the database was changed outside yishi or is damaged; restore a backup, or keep this report with the file",
            problems.len()
        )))
    }
}
