//! The council's members (the 6+X roster): add, edit, retire, forget, import, and listings.

use crate::error::{Error, Result};
use crate::store::members::{self, Member, MemberChanges, NewMember};
use crate::store::{Actor, Store, Writer};
use std::collections::HashMap;

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

/// `member import`'s writes, in the load's transaction (see `ops::import::load_members`): the
/// k-th row (from 0) naming a name and seat is already present when at least k+1 active
/// members have that name and seat: two residents of one name in one file are two members,
/// and importing the file again adds nothing.
pub(crate) struct RosterImport {
    /// Active members by name and seat.
    stored: HashMap<(String, String), usize>,
    /// Rows so far by name and seat.
    seen: HashMap<(String, String), usize>,
    rows: usize,
    /// The rows to add.
    new: Vec<NewMember>,
}

impl RosterImport {
    pub(crate) fn open(w: &Writer) -> Result<RosterImport> {
        let mut stored = HashMap::new();
        for m in members::list(w.conn(), None, false)? {
            *stored.entry((m.name, m.seat)).or_default() += 1;
        }
        Ok(RosterImport {
            stored,
            seen: HashMap::new(),
            rows: 0,
            new: Vec::new(),
        })
    }

    /// One validated row: to be added unless already present.
    pub(crate) fn take(&mut self, m: NewMember) {
        self.rows += 1;
        let key = (m.name.clone(), m.seat.clone());
        let stored = self.stored.get(&key).copied().unwrap_or(0);
        let place = self.seen.entry(key).or_default();
        *place += 1;
        if *place > stored {
            self.new.push(m);
        }
    }

    /// Add the new members; returns (added, already present).
    pub(crate) fn finish(self, w: &mut Writer) -> Result<(usize, usize)> {
        for m in &self.new {
            members::insert(w, m)?;
        }
        Ok((self.new.len(), self.rows - self.new.len()))
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
