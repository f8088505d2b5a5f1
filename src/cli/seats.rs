//! `yishi seats`: the seat categories and how well each is filled.

use super::Ctx;
use serde::Serialize;
use yishi_core::config::Locale;
use yishi_core::domain::seat::{self, SeatKind};
use yishi_core::error::Result;
use yishi_core::render::table;

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  yishi seats\n  yishi seats --lang en\n  yishi seats --json")]
pub struct Args {}

#[derive(Serialize)]
struct SeatRow {
    key: String,
    zh: String,
    en: String,
    standing: bool,
    active_members: i64,
    min: u32,
    gap: u32,
}

pub fn run(_: Args, ctx: &mut Ctx) -> Result<()> {
    ctx.config.locale = ctx.doc_locale();
    let counts = yishi_core::ops::members::active_counts(ctx.reader()?)?;
    let rows = seat_rows(ctx, &counts);
    if ctx.out.json {
        return ctx.out.json(&rows);
    }
    show_table(ctx, &rows)?;
    let total: i64 = rows
        .iter()
        .filter(|r| r.standing)
        .map(|r| r.active_members)
        .sum();
    ctx.out.say(&yishi_core::text!("seats.total", n = total));
    warn_gaps(ctx, &rows);
    Ok(())
}

/// Each seat with its active members (`counts`, by seat key): the configured standing seats,
/// the special ones, then seats stored on members but no longer configured (with a warning).
fn seat_rows(ctx: &Ctx, counts: &[(String, i64)]) -> Vec<SeatRow> {
    let count = |key: &str| counts.iter().find(|(k, _)| k == key).map_or(0, |(_, n)| *n);
    let mut rows: Vec<SeatRow> = ctx
        .config
        .seats
        .iter()
        .map(|s| {
            let n = count(&s.key);
            SeatRow {
                key: s.key.clone(),
                zh: s.zh.clone(),
                en: s.en.clone(),
                standing: true,
                active_members: n,
                min: s.min,
                gap: s.min.saturating_sub(n as u32),
            }
        })
        .collect();
    for s in yishi_core::domain::seat::special_seats() {
        rows.push(SeatRow {
            active_members: count(&s.key),
            key: s.key,
            zh: s.zh,
            en: s.en,
            standing: false,
            min: 0,
            gap: 0,
        });
    }
    for (key, n) in counts {
        if !rows.iter().any(|r| &r.key == key) {
            rows.push(SeatRow {
                key: key.clone(),
                zh: key.clone(),
                en: key.clone(),
                standing: true,
                active_members: *n,
                min: 0,
                gap: 0,
            });
            ctx.out
                .warn_text(&yishi_core::text!("seats.unlisted", n = n, key = key));
        }
    }
    rows
}

/// The seats as a table in the document language.
fn show_table(ctx: &Ctx, rows: &[SeatRow]) -> Result<()> {
    let zh = ctx.config.locale == Locale::ZhCn;
    let mut t = table::new(
        &if zh {
            ["席位", "名称", "类别", "在任", "最少", "缺额"]
        } else {
            ["seat", "name", "kind", "active", "min", "gap"]
        },
        ctx.out.tty,
    );
    for r in rows {
        let kind = match (r.standing, r.key.as_str()) {
            (true, _) => SeatKind::Standing,
            (false, seat::OBSERVER) => SeatKind::Observer,
            (false, _) => SeatKind::Stakeholder,
        };
        table::row(
            &mut t,
            vec![
                r.key.clone(),
                if zh { r.zh.clone() } else { r.en.clone() },
                kind.label(ctx.config.locale).into(),
                r.active_members.to_string(),
                if r.standing {
                    r.min.to_string()
                } else {
                    "-".into()
                },
                if r.gap > 0 {
                    r.gap.to_string()
                } else {
                    String::new()
                },
            ],
        );
    }
    ctx.out.table(t)
}

/// A warning for each seat with fewer members than its minimum.
fn warn_gaps(ctx: &Ctx, rows: &[SeatRow]) {
    for r in rows.iter().filter(|r| r.gap > 0) {
        if r.active_members == 0 {
            ctx.out.warn_text(&yishi_core::text!(
                "seats.empty",
                key = &r.key,
                name = &r.zh
            ));
        } else {
            ctx.out.warn_text(&yishi_core::text!(
                "seats.short",
                key = &r.key,
                name = &r.zh,
                n = r.active_members,
                min = r.min
            ));
        }
    }
}
