//! The record as a whole: creating it, the audit log, forgetting a resident. (Backup, restore,
//! export and verify are `store::archive` and `store::audit`, owned with the records.)

use crate::domain::audit::{Action, Entity};
use crate::error::Result;
use crate::store::audit::{self, Event, LogFilter};
use crate::store::{Actor, Store};
use std::path::Path;

/// `init`: a new database whose first event records the community.
pub fn init(db: &Path, actor: &Actor, community: &str, population: Option<u32>) -> Result<()> {
    let mut store = Store::create(db)?;
    store.write(actor, |w| {
        w.record(
            Entity::Database,
            None,
            Action::Init,
            serde_json::json!({"community": community, "population": population}),
            &[],
        )?;
        Ok(())
    })
}

/// `log`: the audit events that match, in one snapshot.
pub fn log(store: &Store, filter: &LogFilter) -> Result<Vec<Event>> {
    store.read(|conn| audit::events(conn, filter))
}

/// `resident forget`: a resident's name and contacts replaced by a pseudonym everywhere.
/// Returns what was forgotten and whether the file could be scrubbed of the old bytes.
pub fn forget_resident(
    store: &mut Store,
    actor: &Actor,
    name: &str,
) -> Result<(
    crate::store::privacy::Forgotten,
    crate::domain::audit::Scrub,
)> {
    store.write_erasing(actor, |w| crate::store::privacy::forget_resident(w, name))
}

/// `--show-contacts`: residents' names, phones and addresses are about to be shown in full, so
/// the log records who asked, when, and with which command, before anything is shown (a
/// database that cannot take the event shows nothing).
pub fn contacts_shown(store: &mut Store, actor: &Actor, command: &str) -> Result<()> {
    store.write(actor, |w| {
        w.record(
            Entity::Privacy,
            None,
            Action::ShowContacts,
            serde_json::json!({ "command": command }),
            &[],
        )?;
        Ok(())
    })
}

/// The one masking rule of this command (`domain::contact::Names`): who is named in full.
pub fn names(store: &Store, show_contacts: bool) -> Result<crate::domain::contact::Names> {
    let public = store.read(crate::store::privacy::public_names)?;
    Ok(crate::domain::contact::Names::new(public, show_contacts))
}
