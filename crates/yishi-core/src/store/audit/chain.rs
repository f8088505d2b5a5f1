//! Verifying the chain of events: each event follows the one before it, is numbered in turn,
//! hashes to what it stores (with the key, when it was sealed with one), carries the digest of
//! its row seals, and matches the anchors kept elsewhere; seals without an event, anchors
//! without their event, and events written without the key are found too. One pass over the
//! events and the seals, both in order.

use super::verify::{Checked, Expect, Problem};
use super::*;
use crate::store::column_indexes;

/// One row of `seals`: which event sealed which row, and the row's hash (none: deleted).
struct SealRow {
    seq: i64,
    table: String,
    row_id: i64,
    hash: Option<Vec<u8>>,
}

impl SealRow {
    /// The problem of a seal whose event is not in the log.
    fn orphan(&self) -> Problem {
        Problem::at(
            Some(self.seq),
            "seals",
            Some(self.row_id),
            crate::text!(
                "verify.orphan_seal",
                table = &self.table,
                id = self.row_id,
                seq = self.seq
            ),
        )
    }
}

/// The seals, read in the events' order alongside them.
struct Seals<'s> {
    rows: rusqlite::Rows<'s>,
    /// Where `seq`, `tbl`, `row_id` and `hash` are: found once, a seal is read per row.
    columns: [usize; 4],
    pending: Option<SealRow>,
}

impl<'s> Seals<'s> {
    const SELECT: &'static str =
        "SELECT seq, tbl, row_id, hash FROM seals ORDER BY seq, tbl, row_id";

    fn new(stmt: &'s mut rusqlite::Statement) -> rusqlite::Result<Self> {
        let columns = column_indexes(stmt, ["seq", "tbl", "row_id", "hash"])?;
        let mut rows = stmt.query([])?;
        let pending = Self::read(&mut rows, columns)?;
        Ok(Seals {
            rows,
            columns,
            pending,
        })
    }

    fn read(rows: &mut rusqlite::Rows, columns: [usize; 4]) -> rusqlite::Result<Option<SealRow>> {
        let [seq, table, row_id, hash] = columns;
        match rows.next()? {
            Some(r) => Ok(Some(SealRow {
                seq: r.get(seq)?,
                table: r.get(table)?,
                row_id: r.get(row_id)?,
                hash: r.get(hash)?,
            })),
            None => Ok(None),
        }
    }

    /// The digest of event `seq`'s seals; seals of events before it (which no longer exist)
    /// are problems. `None` for `seq`: every seal left is one.
    fn digest_of(
        &mut self,
        seq: Option<i64>,
        problems: &mut Vec<Problem>,
    ) -> rusqlite::Result<String> {
        while let Some(s) = self
            .pending
            .as_ref()
            .filter(|s| seq.is_none_or(|q| s.seq < q))
        {
            problems.push(s.orphan());
            self.pending = Self::read(&mut self.rows, self.columns)?;
        }
        let mut digest = SealDigest::default();
        while let Some(s) = self.pending.as_ref().filter(|s| Some(s.seq) == seq) {
            digest.add(&s.table, s.row_id, s.hash.as_deref());
            self.pending = Self::read(&mut self.rows, self.columns)?;
        }
        Ok(digest.finish())
    }
}

/// One event as stored: its entity and action as the text the hash covers (checked against
/// the enums by [`check_codes`], so that an event with an unknown one is still checked).
struct Event {
    seq: i64,
    at: String,
    actor: String,
    command: String,
    entity: String,
    entity_id: Option<i64>,
    action: String,
    change: String,
    seals: String,
    prev_hash: String,
    hash: String,
}

impl Event {
    const SELECT: &'static str = "SELECT seq, at, actor, command, entity, entity_id, action, change, seals, prev_hash, hash FROM events ORDER BY seq";

    /// The columns [`Event::read`] reads, in its order.
    const COLUMNS: [&'static str; 11] = [
        "seq",
        "at",
        "actor",
        "command",
        "entity",
        "entity_id",
        "action",
        "change",
        "seals",
        "prev_hash",
        "hash",
    ];

    /// An event from a row, its columns at `columns` (of [`Event::COLUMNS`], found once for
    /// the statement: the walk reads every event).
    fn read(r: &rusqlite::Row, columns: [usize; 11]) -> rusqlite::Result<Event> {
        let [
            seq,
            at,
            actor,
            command,
            entity,
            entity_id,
            action,
            change,
            seals,
            prev_hash,
            hash,
        ] = columns;
        Ok(Event {
            seq: r.get(seq)?,
            at: r.get(at)?,
            actor: r.get(actor)?,
            command: r.get(command)?,
            entity: r.get(entity)?,
            entity_id: r.get(entity_id)?,
            action: r.get(action)?,
            change: r.get(change)?,
            seals: r.get(seals)?,
            prev_hash: r.get(prev_hash)?,
            hash: r.get(hash)?,
        })
    }

    fn keyed(&self) -> bool {
        self.hash.starts_with(KEYED)
    }

    /// A problem of this event's row in `events`.
    fn problem(&self, text: crate::i18n::Text) -> Problem {
        at_event(self.seq, text)
    }
}

fn at_event(seq: i64, text: crate::i18n::Text) -> Problem {
    Problem::at(Some(seq), "events", Some(seq), text)
}

/// What the walk along the chain carries from one event to the next.
struct Walk {
    prev_hash: String,
    expected_seq: i64,
    anchors_met: Vec<bool>,
    unkeyed_after_key: Vec<i64>,
}

pub(super) fn verify_chain(
    conn: &Connection,
    expect: &Expect,
    checked: &mut Checked,
    problems: &mut Vec<Problem>,
) -> Result<()> {
    let mut events = conn.prepare(Event::SELECT)?;
    let columns = column_indexes(&events, Event::COLUMNS)?;
    let mut seals = conn.prepare(Seals::SELECT)?;
    let mut seals = Seals::new(&mut seals)?;
    let mut walk = Walk {
        prev_hash: GENESIS.to_string(),
        expected_seq: 1,
        anchors_met: vec![false; expect.anchors.len()],
        unkeyed_after_key: Vec::new(),
    };
    let mut rows = events.query([])?;
    while let Some(r) = rows.next()? {
        let e = Event::read(r, columns)?;
        checked.events += 1;
        check_codes(&e, problems);
        check_erasure(&e, problems);
        check_sequence(&e, &mut walk, problems);
        if seals.digest_of(Some(e.seq), problems)? != e.seals {
            problems.push(Problem::at(
                Some(e.seq),
                "seals",
                None,
                crate::text!("verify.seals_changed", seq = e.seq),
            ));
        }
        check_hash(&e, expect, checked, &mut walk, problems);
        check_anchors(&e, expect, &mut walk, problems);
        checked.head = Some(Anchor {
            seq: e.seq,
            hash: e.hash.trim_start_matches(KEYED).to_string(),
        });
        walk.prev_hash = e.hash;
    }
    // Seals after the last event.
    seals.digest_of(None, problems)?;
    unmet_anchors(expect, checked, &walk, problems);
    key_problems(expect, checked, &walk, problems);
    Ok(())
}

/// The event's entity and action are ones this yishi knows (`domain::audit`): `yishi log`
/// would refuse the row otherwise.
fn check_codes(e: &Event, problems: &mut Vec<Problem>) {
    use crate::domain::audit::{Action, Entity};
    use crate::store::codes::unknown;
    let entity = unknown::<Entity>("events", "entity", e.seq, &e.entity);
    let action = unknown::<Action>("events", "action", e.seq, &e.action);
    for u in entity.iter().chain(action.iter()) {
        problems.push(Problem {
            event: Some(e.seq),
            ..Problem::unknown(u)
        });
    }
}

/// An erased description holds only the erasure marker and its digest.
fn check_erasure(e: &Event, problems: &mut Vec<Problem>) {
    if e.change.starts_with(super::hash::ERASED) && !super::hash::is_bare_erasure(&e.change) {
        problems.push(e.problem(crate::text!("verify.erased_changed", seq = e.seq)));
    }
}

/// Events are numbered in turn, and each follows the one before it.
fn check_sequence(e: &Event, walk: &mut Walk, problems: &mut Vec<Problem>) {
    let (seq, expected) = (e.seq, walk.expected_seq);
    if seq != expected {
        let through = if seq > expected + 1 {
            format!("–#{}", seq - 1)
        } else {
            String::new()
        };
        problems.push(at_event(
            expected,
            crate::text!("verify.events_missing", seq = expected, through = through),
        ));
    }
    walk.expected_seq = seq + 1;
    if e.prev_hash != walk.prev_hash {
        problems.push(e.problem(crate::text!("verify.chain_broken", seq = seq)));
    }
}

/// The event hashes to what it stores. A keyed event can only be checked with the key;
/// without it, the chain links and the row seals are still checked.
fn check_hash(
    e: &Event,
    expect: &Expect,
    checked: &mut Checked,
    walk: &mut Walk,
    problems: &mut Vec<Problem>,
) {
    let keyed = e.keyed();
    if keyed {
        checked.keyed_events += 1;
    } else if checked.keyed_events > 0 && expect.key.is_some() {
        walk.unkeyed_after_key.push(e.seq);
    }
    let key = if keyed { expect.key } else { None };
    if keyed && key.is_none() {
        return;
    }
    let fields = EventFields {
        seq: e.seq,
        at: &e.at,
        actor: &e.actor,
        command: &e.command,
        entity: &e.entity,
        entity_id: e.entity_id,
        action: &e.action,
        change: &e.change,
        seals: &e.seals,
    };
    if event_hash(key, &e.prev_hash, &fields) != e.hash {
        let key = if keyed {
            "verify.event_not_keyed"
        } else {
            "verify.event_edited"
        };
        problems.push(
            e.problem(
                crate::i18n::Text::new(key)
                    .arg("seq", e.seq)
                    .arg("entity", &e.entity)
                    .arg("action", &e.action),
            ),
        );
    }
}

/// The anchors kept elsewhere that name this event match it.
fn check_anchors(e: &Event, expect: &Expect, walk: &mut Walk, problems: &mut Vec<Problem>) {
    let bare = e.hash.trim_start_matches(KEYED);
    for (i, a) in expect.anchors.iter().enumerate() {
        if a.seq != e.seq {
            continue;
        }
        walk.anchors_met[i] = true;
        if !bare.starts_with(&a.hash) {
            problems.push(e.problem(crate::text!(
                "verify.anchor_differs",
                seq = e.seq,
                anchor = a.short()
            )));
        }
    }
}

/// Anchors whose event is not in the log.
fn unmet_anchors(expect: &Expect, checked: &Checked, walk: &Walk, problems: &mut Vec<Problem>) {
    let last = checked.head.as_ref().map_or(0, |h| h.seq);
    for (a, met) in expect.anchors.iter().zip(&walk.anchors_met) {
        if *met {
            continue;
        }
        problems.push(at_event(
            a.seq,
            if a.seq > last {
                crate::text!(
                    "verify.log_ends_before_anchor",
                    last = last,
                    anchor = a.short()
                )
            } else {
                crate::text!("verify.anchor_missing", seq = a.seq, anchor = a.short())
            },
        ));
    }
}

/// With a key: events that should have been sealed with it and were not.
fn key_problems(expect: &Expect, checked: &Checked, walk: &Walk, problems: &mut Vec<Problem>) {
    if expect.key.is_none() {
        return;
    }
    if checked.keyed_events == 0 && checked.events > 0 {
        problems.push(Problem::worded(crate::text!("verify.no_keyed_events")));
    }
    let unkeyed = &walk.unkeyed_after_key;
    if let (Some(first), Some(last)) = (unkeyed.first(), unkeyed.last()) {
        problems.push(at_event(
            *first,
            crate::text!(
                "verify.unkeyed_after_key",
                n = unkeyed.len(),
                first = first,
                last = last
            ),
        ));
    }
}
