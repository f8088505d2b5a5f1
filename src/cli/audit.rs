//! `yishi log` and `yishi verify`: the audit trail and its check.

use super::Ctx;
use yishi_core::domain::audit::{Anchor, Entity, LogFilter};
use yishi_core::domain::code::Code;
use yishi_core::domain::date;
use yishi_core::error::{Error, Result};
use yishi_core::ops::archive;
use yishi_core::render::table;
use yishi_core::text;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  yishi log\n  yishi log --entity issue:1\n  yishi log --entity member --since 2026-11-01 --json"
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
    after_help = "Examples:\n  yishi verify\n  yishi verify --json\n  yishi verify --anchor \"#1204 3f9ac1d27b4490e1\"\n  yishi verify --anchor-file anchors.txt\n\n\
Opens the file read-only and checks: the schema against yishi's own, SQLite's integrity, the\n\
audit chain, every row against its last seal, and the council rules. An anchor (the 记录校验码\n\
printed on minutes, notices, backups and by verify) proves the log still passes through that\n\
point; with YISHI_KEY or YISHI_KEY_FILE, keyed events are checked against the key.\n\n\
Exit status 0 when everything checks out, 1 when a problem is found, 65 when the file is not a\n\
yishi database."
)]
pub struct VerifyArgs {
    /// A chain head kept elsewhere, e.g. "#1204 3f9ac1d27b4490e1" (repeatable).
    #[arg(long, value_name = "ANCHOR")]
    anchor: Vec<String>,
    /// A file of anchors, one per line (any line containing "#N" and 16+ hex digits).
    #[arg(long, value_name = "FILE")]
    anchor_file: Option<std::path::PathBuf>,
    /// Also check that every index agrees with its table (SQLite's full integrity check:
    /// about ten times slower than the default quick check on a large file).
    #[arg(long)]
    full: bool,
}

/// `--entity issue` or `--entity issue:12`: an entity the log knows, and maybe its id.
fn entity_filter(e: &str) -> Result<(Option<Entity>, Option<i64>)> {
    let (name, id) = match e.split_once(':') {
        Some((n, id)) => (n, Some(id)),
        None => (e, None),
    };
    let entity = Entity::parse(name.trim()).ok_or_else(|| {
        Error::data_text(yishi_core::text!(
            "log.unknown_entity",
            entity = name.trim(),
            known = Entity::keys().join(", ")
        ))
    })?;
    let id = match id {
        Some(id) => Some(
            yishi_core::domain::text::parse_id(id.trim_start_matches(['#', 'M', 'm']), '#')
                .ok_or_else(|| {
                    Error::data_text(yishi_core::text!("log.bad_entity", entity = e, id = id))
                })?,
        ),
        None => None,
    };
    Ok((Some(entity), id))
}

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
        (filter.entity, filter.entity_id) = entity_filter(e)?;
    }
    if let Some(s) = &a.since {
        let d = date::parse_date(s).ok_or_else(|| {
            Error::data_text(yishi_core::text!(
                "log.bad_since",
                since = s,
                hint = date::DATE_HINT
            ))
        })?;
        filter.since = Some(format!("{d}T00:00:00"));
    }
    let mut events = yishi_core::ops::records::log(ctx.reader()?, &filter)?;
    for e in &mut events {
        yishi_core::render::mask::event_change(&mut e.change, &ctx.out.names);
    }
    if ctx.out.json {
        return ctx.out.json(&events);
    }
    if events.is_empty() {
        ctx.out.say(&yishi_core::text!("log.none"));
        return Ok(());
    }
    // The entity column is what --entity takes (issue:1), the change the event's JSON: only the
    // headings are words.
    let header: &[&str] = if ctx.config.locale == yishi_core::config::Locale::ZhCn {
        &["序号", "时间", "操作人", "命令", "对象", "变更"]
    } else {
        &["#", "time", "actor", "command", "entity", "change"]
    };
    let mut t = table::new(header, ctx.out.tty);
    for e in &events {
        let entity = match e.entity_id {
            Some(id) => format!("{}:{id}", e.entity),
            None => e.entity.to_string(),
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

fn anchors(a: &VerifyArgs) -> Result<Vec<Anchor>> {
    let mut out = Vec::new();
    for text in &a.anchor {
        out.push(Anchor::parse(text).ok_or_else(|| {
            Error::data_text(yishi_core::text!("verify.bad_anchor", text = text))
        })?);
    }
    if let Some(file) = &a.anchor_file {
        let text = std::fs::read(file).map_err(|e| {
            Error::data_text(
                yishi_core::text!("verify.anchor_file_unreadable", file = file.display())
                    .os_error("error", &e),
            )
        })?;
        let text = String::from_utf8_lossy(&text);
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with("//") {
                continue;
            }
            out.push(Anchor::parse(line).ok_or_else(|| {
                Error::data_text(yishi_core::text!(
                    "verify.anchor_file_line",
                    file = file.display(),
                    line = i + 1,
                    text = yishi_core::render::clean(&line.chars().take(80).collect::<String>())
                ))
            })?);
        }
    }
    Ok(out)
}

pub fn verify(a: VerifyArgs, ctx: &mut Ctx) -> Result<()> {
    let anchors = anchors(&a)?;
    let report = archive::verify(&ctx.db_path, &anchors, a.full)?;
    let (checked, problems) = (report.checked, report.problems);
    if ctx.out.json {
        ctx.out.json(&serde_json::json!({"ok": problems.is_empty(), "checked": checked, "problems": problems}))?;
    } else if problems.is_empty() {
        let lang = ctx.out.lang;
        let mut line = yishi_core::text!(
            "verify.ok",
            events = checked.events,
            rows = checked.rows,
            tables = checked.tables,
            objects = checked.schema_objects
        )
        .render(lang);
        if checked.anchors > 0 {
            line += &yishi_core::text!("verify.ok_anchors", n = checked.anchors).render(lang);
        }
        if checked.key_given {
            line += &yishi_core::text!("verify.ok_keyed", n = checked.keyed_events).render(lang);
        }
        if let Some(h) = &checked.head {
            line += &format!("\n{}", h.label());
        }
        ctx.out.line(&line)?;
    } else {
        for p in &problems {
            let shown = p.shown(ctx.out.lang);
            ctx.out
                .line(&yishi_core::text!("verify.problem", message = shown).render(ctx.out.lang))?;
        }
    }
    if !problems.is_empty() {
        return Err(Error::refused_text(yishi_core::text!(
            "verify.found",
            n = problems.len()
        )));
    }
    if checked.keyed_events > 0 && !checked.key_given {
        ctx.out.warn_text(&yishi_core::text!(
            "verify.keyed_unchecked",
            n = checked.keyed_events
        ));
    }
    if report.indexes_pending {
        ctx.out.say(&text!("import.indexes_pending"));
    }
    if let Some(kept) = report.kept {
        ctx.out
            .say(&yishi_core::text!("verify.kept", file = kept.display()));
    }
    Ok(())
}
