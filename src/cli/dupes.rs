//! Duplicate hints: `yishi issue dupes`, and the hint after `issue add` / `issue import`.
//!
//! Hints only advise: they are computed after the write, from one read of the open issues, and
//! never block or change anything. The secretary decides with `yishi issue merge`.

use super::Ctx;
use yishi_core::config::Locale;
use yishi_core::domain::dupes::{DEFAULT_THRESHOLD, Pair};
use yishi_core::error::{Error, Result};
use yishi_core::ops::import as import_ops;
use yishi_core::render::{count, table};

#[derive(clap::Args, Debug)]
pub struct DupesArgs {
    /// How similar two titles must be, from 0.05 to 1: characters and their pairs, after
    /// dropping punctuation and filler words (的/了/问题/希望); differing numbers (3号楼/5号楼)
    /// lower the score to a third.
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    threshold: f64,
    /// Pairs to show, most alike first [default: 50; --json: all].
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Every pair.
    #[arg(long, conflicts_with = "limit")]
    all: bool,
}

/// Pairs a table shows when no --limit is given.
const SHOWN_PAIRS: usize = 50;

/// Hints shown after an import, at most; the rest are counted.
const MAX_HINTS: usize = 10;

fn merge_command(p: &Pair) -> String {
    format!("yishi issue merge {} --into {}", p.id, p.of)
}

fn similarity(p: &Pair) -> String {
    if p.same_resident {
        format!("{:.2}, same resident", p.score)
    } else {
        format!("{:.2}", p.score)
    }
}

/// `yishi issue dupes`: every pair of open issues that look alike, most alike first.
pub fn list(a: DupesArgs, ctx: &mut Ctx) -> Result<()> {
    if !(0.05..=1.0).contains(&a.threshold) {
        return Err(Error::usage_text(yishi_core::text!(
            "value.out_of_range",
            flag = "--threshold",
            value = a.threshold,
            min = 0.05,
            max = 1
        )));
    }
    let pairs = import_ops::duplicate_pairs(ctx.reader()?, a.threshold, None)?;
    // A table is for reading: the most alike pairs. --json is for programs: all of them.
    let shown = match (a.all, a.limit) {
        (true, _) => pairs.len(),
        (false, Some(n)) => n.min(pairs.len()),
        (false, None) if ctx.out.json => pairs.len(),
        (false, None) => SHOWN_PAIRS.min(pairs.len()),
    };
    if ctx.out.json {
        return ctx.out.json(&pairs[..shown]);
    }
    if pairs.is_empty() {
        ctx.out.say(&yishi_core::text!(
            "dupes.none",
            threshold = format!("{:.2}", a.threshold)
        ));
        return Ok(());
    }
    let zh = ctx.config.locale == Locale::ZhCn;
    let header: &[&str] = if zh {
        &["相似度", "议题", "疑似重复于", "合并命令"]
    } else {
        &["similarity", "issue", "looks like", "to merge"]
    };
    let mut t = table::new(header, ctx.out.tty);
    for p in &pairs[..shown] {
        table::row(
            &mut t,
            vec![
                similarity(p),
                format!("#{} {}", p.id, p.title),
                format!("#{} {}", p.of, p.of_title),
                merge_command(p),
            ],
        );
    }
    ctx.out.table(t)?;
    if shown < pairs.len() {
        ctx.out.say(&yishi_core::text!(
            "dupes.shown_of",
            shown = count(shown as u64),
            total = count(pairs.len() as u64)
        ));
    } else {
        ctx.out
            .say(&yishi_core::text!("dupes.count", n = pairs.len()));
    }
    Ok(())
}

/// After a write: hint at duplicates among the issues numbered above `last_before`, one line
/// per new issue (its closest older match); `one`: a single issue was added, so the line need
/// not name it; `stored`: the stored issues the new ones are compared with, if an import read
/// them beside its load. Returns how many new issues have a hint.
pub fn hint_new(
    ctx: &mut Ctx,
    last_before: i64,
    one: bool,
    stored: Option<import_ops::StoredHints>,
) -> Result<usize> {
    let pairs = match stored {
        Some(stored) => import_ops::new_issue_pairs(ctx.reader()?, DEFAULT_THRESHOLD, stored)?,
        None => import_ops::duplicate_pairs(ctx.reader()?, DEFAULT_THRESHOLD, Some(last_before))?,
    };
    // Pairs come best first: keep each new issue's best.
    let mut seen = std::collections::HashSet::new();
    let best: Vec<&Pair> = pairs.iter().filter(|p| seen.insert(p.id)).collect();
    for p in best.iter().take(MAX_HINTS) {
        let prefix = if one {
            String::new()
        } else {
            format!("#{} {}: ", p.id, p.title)
        };
        ctx.out.say(&yishi_core::text!(
            "dupes.hint",
            prefix = &prefix,
            of = p.of,
            title = &p.of_title,
            similarity = similarity(p),
            command = merge_command(p)
        ));
    }
    if best.len() > MAX_HINTS {
        ctx.out
            .say(&yishi_core::text!("dupes.more", n = best.len() - MAX_HINTS));
    }
    Ok(best.len())
}
