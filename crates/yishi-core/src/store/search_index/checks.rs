//! `verify`'s checks of the index against the issues. Both sides are summed as sets (a count
//! and a seeded sum of hashes), so neither is sorted and an index made up to match cannot be
//! computed in advance.

use super::pairs::{self, Bits, block_of, id_at};
use super::{as_text, blocks, bytes, damaged, seed, set_of};
use crate::i18n::Text;
use rusqlite::{Connection, OptionalExtension, params};

/// How the index differs from the issues, as a sentence; None when every character pair of
/// every title and detail is in it under its issue, and nothing else is (or when it does not
/// serve searches). Both sides are summed twice: as sets of issues, so that an issue missing
/// or extra is named as such, and as sets of (pair, issue). Whether it finds a sample of
/// issues by their titles is [`check_lookups`].
pub fn check(conn: &Connection) -> crate::error::Result<Option<Text>> {
    if blocks(conn)?.is_none() {
        return Ok(None);
    }
    let seed = seed();
    let (mut issues, mut words) = (SetSum::new(seed), SetSum::new(seed));
    let mut own = Vec::new();
    each_issue_text(conn, |id, title, detail| {
        own.clear();
        for text in [title, detail] {
            pairs::each_pair(&as_text(text), |p| own.push(p));
        }
        own.sort_unstable();
        own.dedup();
        own.iter().for_each(|&p| words.add(&record(p, id)));
        if !own.is_empty() {
            issues.add(&id.to_le_bytes());
        }
    })?;
    let (mut held, mut held_words) = (SetSum::new(seed), SetSum::new(seed));
    let mut block: Option<(i64, Bits)> = None;
    let emit = |done: Option<(i64, Bits)>, held: &mut SetSum| {
        if let Some((b, set)) = done {
            set.iter()
                .for_each(|low| held.add(&id_at(b, low).to_le_bytes()));
        }
    };
    let mut bad = None;
    // A row that cannot be read (its block or pair not a number) is the index's damage.
    each_row(conn, |b, pair, set| {
        let Some(set) = set else {
            bad.get_or_insert((b, pair));
            return;
        };
        set.iter()
            .for_each(|low| held_words.add(&record(pair, id_at(b, low))));
        match block.as_mut() {
            Some((current, so_far)) if *current == b => so_far.unite(&set),
            _ => emit(block.replace((b, set)), &mut held),
        }
    })
    .map_err(damaged)?;
    emit(block.take(), &mut held);
    Ok(if let Some((block, pair)) = bad {
        Some(crate::text!(
            "search.index_set_damaged",
            block = block,
            pair = pair
        ))
    } else if issues != held {
        Some(crate::text!(
            "search.index_issues_differ",
            held = held.count,
            issues = issues.count
        ))
    } else if words != held_words {
        Some(crate::text!(
            "search.index_words_differ",
            held = held_words.count,
            words = words.count
        ))
    } else {
        None
    })
}

/// One (pair, issue) as summed.
fn record(pair: i64, id: i64) -> [u8; 16] {
    let mut r = [0u8; 16];
    r[..8].copy_from_slice(&pair.to_le_bytes());
    r[8..].copy_from_slice(&id.to_le_bytes());
    r
}

/// Whether searches find the issues: a sample of issues spread over the ids is looked for,
/// each by the first characters of its title, in its own block.
pub fn check_lookups(conn: &Connection) -> crate::error::Result<Option<Text>> {
    const SAMPLE: i64 = 256;
    if blocks(conn)?.is_none() {
        return Ok(None);
    }
    let last: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM issues", [], |r| r.get(0))?;
    let step = (last / SAMPLE).max(1);
    let mut next_issue =
        conn.prepare("SELECT id, title FROM issues WHERE id >= ?1 ORDER BY id LIMIT 1")?;
    let mut find = conn.prepare("SELECT ids FROM issue_text WHERE block = ?1 AND pair = ?2")?;
    let (mut looked, mut missed) = (0, Vec::new());
    let mut from = i64::MIN;
    while looked < SAMPLE {
        let Some((id, title)) = next_issue
            .query_row([from], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    as_text(bytes(r.get_ref(1)?)).into_owned(),
                ))
            })
            .optional()?
        else {
            break;
        };
        from = id.saturating_add(step);
        let mut first = None;
        pairs::each_pair(&title, |p| {
            first.get_or_insert(p);
        });
        let Some(pair) = first else { continue };
        looked += 1;
        let (block, low) = block_of(id);
        let set = find
            .query_row(params![block, pair], |r| Ok(set_of(r.get_ref(0)?)))
            .optional()
            .map_err(damaged)?;
        if !set.flatten().is_some_and(|set| set.contains(low)) {
            missed.push(id);
        }
    }
    Ok(missed.first().map(|first| {
        crate::text!(
            "search.index_misses",
            missed = missed.len(),
            looked = looked,
            first = first
        )
    }))
}

/// Every issue the index can hold (ids in 0..=2^32) with its title and detail as stored.
fn each_issue_text(
    conn: &Connection,
    mut visit: impl FnMut(i64, &[u8], &[u8]),
) -> rusqlite::Result<()> {
    let mut stmt =
        conn.prepare("SELECT id, title, detail FROM issues WHERE id BETWEEN 0 AND 4294967295")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        visit(r.get(0)?, bytes(r.get_ref(1)?), bytes(r.get_ref(2)?));
    }
    Ok(())
}

/// Every row of the index in its order: block, pair and set (None when the blob is not one).
fn each_row(
    conn: &Connection,
    mut visit: impl FnMut(i64, i64, Option<Bits>),
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("SELECT block, pair, ids FROM issue_text")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        visit(r.get(0)?, r.get(1)?, set_of(r.get_ref(2)?));
    }
    Ok(())
}

/// A set of records summed so that two sides can be compared without sorting either: how many,
/// and the wrapping sum of their hashes, seeded afresh for each comparison.
#[derive(PartialEq)]
struct SetSum {
    count: u64,
    hash: u64,
    seed: u64,
}

impl SetSum {
    fn new(seed: u64) -> Self {
        SetSum {
            count: 0,
            hash: 0,
            seed,
        }
    }

    fn add(&mut self, record: &[u8]) {
        self.count += 1;
        self.hash = self
            .hash
            .wrapping_add(xxhash_rust::xxh3::xxh3_64_with_seed(record, self.seed));
    }
}
