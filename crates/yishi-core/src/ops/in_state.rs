//! A meeting loaded for a step that needs it in a given state. The state is checked here, with
//! the domain's rule (`Meeting::ensure_open`, `ensure_not_closed`): store only reads the row.

use crate::domain::meeting::Meeting;
use crate::error::Result;
use crate::store::meetings;
use rusqlite::Connection;

/// The meeting, refused unless it is in session (`what` says what needs it to be).
pub(crate) fn open(conn: &Connection, id: i64, what: &crate::i18n::Text) -> Result<Meeting> {
    let m = meetings::require(conn, id)?;
    m.ensure_open(what)?;
    Ok(m)
}

/// The meeting, refused once it is closed (corrections are made while it is not).
pub(crate) fn not_closed(conn: &Connection, id: i64) -> Result<Meeting> {
    let m = meetings::require(conn, id)?;
    m.ensure_not_closed()?;
    Ok(m)
}
