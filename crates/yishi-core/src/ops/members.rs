//! The council's members (the 6+X roster): add, edit, retire, forget, import, and listings.

use crate::error::{Error, Result};
use crate::store::members::{self, Member, MemberChanges, NewMember};
use crate::store::{Actor, Store};

pub struct Added {
    pub member: Member,
    /// Other members with the same name, who must now be told apart by id.
    pub same_name: Vec<i64>,
}

/// `member add`.
pub fn add(store: &mut Store, actor: &Actor, m: &NewMember) -> Result<Added> {
    store.write(actor, |w| {
        let same_name = members::by_name(w.conn(), &m.name)?
            .iter()
            .map(|m| m.id)
            .collect();
        let id = members::insert(w, m)?;
        let member = members::get(w.conn(), id)?
            .ok_or_else(|| Error::internal("the new member could not be read back"))?;
        Ok(Added { member, same_name })
    })
}

/// `member edit`: returns the member as before the change.
pub fn edit(store: &mut Store, actor: &Actor, typed: &str, c: &MemberChanges) -> Result<Member> {
    store.write(actor, |w| {
        let before = members::resolve(w.conn(), typed)?;
        members::update(w, &before, c)?;
        Ok(before)
    })
}

/// `member retire` on a day (YYYY-MM-DD); their records stay.
pub fn retire(store: &mut Store, actor: &Actor, typed: &str, on: &str) -> Result<Member> {
    store.write(actor, |w| {
        let m = members::resolve(w.conn(), typed)?;
        if let Some(d) = &m.retired_on {
            return Err(Error::refused_text(crate::text!(
                "member.already_retired",
                id = m.id,
                name = &m.name,
                on = d
            )));
        }
        if on < m.joined_on.as_str() {
            return Err(Error::data_text(crate::text!(
                "member.retire_before_joined",
                on = on,
                name = &m.name,
                joined = &m.joined_on
            )));
        }
        members::retire(w, m.id, on)?;
        Ok(m)
    })
}

/// `member forget`: name and contacts removed for good, votes and speeches kept. Without
/// `yes`, nothing is changed and the error says whom it would forget. Returns the member's
/// id and pseudonym.
/// Returns the member id, what was forgotten, and whether the file could be scrubbed of the
/// old bytes (see `Store::write_erasing`).
pub fn forget(
    store: &mut Store,
    actor: &Actor,
    typed: &str,
    yes: bool,
) -> Result<(
    i64,
    crate::store::privacy::Forgotten,
    crate::domain::audit::Scrub,
)> {
    let ((id, forgotten), scrubbed) = store.write_erasing(actor, |w| {
        let m = members::resolve(w.conn(), typed)?;
        if !yes {
            return Err(Error::usage_text(crate::text!(
                "member.forget_needs_yes",
                name = &m.name,
                id = m.id
            )));
        }
        let forgotten = crate::store::privacy::forget_member(w, m.id)?;
        Ok((m.id, forgotten))
    })?;
    Ok((id, forgotten, scrubbed))
}

/// `member import`: validated rows; the k-th row (from 0) naming a name and seat is already
/// present when at least k+1 active members have that name and seat: two residents of one
/// name in one file are two members, and importing the file again adds nothing.
/// Returns (added, already present).
pub fn import(
    store: &mut Store,
    actor: &Actor,
    rows: &[NewMember],
    dry_run: bool,
) -> Result<(usize, usize)> {
    let work = |w: &mut crate::store::Writer| -> Result<(usize, usize)> {
        let existing = members::list(w.conn(), None, false)?;
        let mut places: std::collections::HashMap<(&str, &str), usize> = Default::default();
        let mut added = 0;
        for m in rows {
            let place = places.entry((&m.name, &m.seat)).or_default();
            *place += 1;
            let stored = existing
                .iter()
                .filter(|e| e.name == m.name && e.seat == m.seat)
                .count();
            if *place <= stored {
                continue;
            }
            members::insert(w, m)?;
            added += 1;
        }
        Ok((added, rows.len() - added))
    };
    if dry_run {
        store.trial(actor, work)
    } else {
        store.write(actor, work)
    }
}

/// `member list`, in one snapshot.
pub fn list(store: &Store, seat: Option<&str>, include_retired: bool) -> Result<Vec<Member>> {
    store.read(|conn| members::list(conn, seat, include_retired))
}

/// `member show`: one member by id or name.
pub fn show(store: &Store, typed: &str) -> Result<Member> {
    store.read(|conn| members::resolve(conn, typed))
}

/// `seats`: active members per seat key.
pub fn active_counts(store: &Store) -> Result<Vec<(String, i64)>> {
    store.read(members::active_counts)
}
