//! Reads that documents are made from: the minutes of one or many meetings, the report.
//! Each runs in one snapshot, so that a document never mixes two states of the record.

use crate::domain::ids::MeetingId;
use crate::error::Result;
use crate::store::record::{self, MeetingRecord};
use crate::store::{Store, meetings, report};

/// Which meetings' minutes.
pub enum Which {
    One(MeetingId),
    /// Every meeting, or those from this day on (YYYY-MM-DD).
    All {
        since: Option<String>,
    },
}

/// `minutes export`: the full records of the meetings asked for.
pub fn records(store: &Store, which: &Which) -> Result<Vec<MeetingRecord>> {
    store.read(|conn| match which {
        Which::One(id) => Ok(vec![record::load(conn, id.0)?]),
        Which::All { since } => meetings::list(conn)?
            .into_iter()
            .filter(|m| since.as_deref().is_none_or(|s| m.starts_at.as_str() >= s))
            .map(|m| record::load(conn, m.id))
            .collect(),
    })
}

/// `report`: the figures for a period.
pub fn report(
    store: &Store,
    from: Option<String>,
    to: Option<String>,
    population: Option<u32>,
    today: &str,
) -> Result<report::Report> {
    store.read(|conn| report::compute(conn, from, to, population, today))
}
