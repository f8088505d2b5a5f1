//! Reads that documents are made from: the minutes of one or many meetings, the report.
//! Each runs in one snapshot, so that a document never mixes two states of the record.

use crate::domain::ids::MeetingId;
use crate::error::Result;
use crate::store::record::{self, MeetingRecord};
use crate::store::{Store, ledger, meetings, report};

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

/// `report`: the period asked for, and whether the HTML page's extras are wanted.
pub struct ReportRequest {
    /// YYYY-MM-DD, inclusive; None: open-ended.
    pub from: Option<String>,
    pub to: Option<String>,
    pub population: Option<u32>,
    /// Today's date (YYYY-MM-DD), read once at the edge.
    pub today: String,
    /// Also read what the HTML page shows: the data's range and each resolution's progress.
    pub with_resolutions: bool,
}

/// The figures, the 四议两公开 count and (for the HTML page) the resolutions, all read in one
/// snapshot so that the numbers agree with each other.
pub struct ReportOutcome {
    pub report: report::Report,
    /// Decided issues with every step of 四议两公开 done, of all decided issues (any date).
    pub cycle_complete: (u64, u64),
    /// The first and last day of any record, when the HTML page was asked for.
    pub range: Option<(String, String)>,
    pub resolutions: Vec<ledger::ResolutionProgress>,
}

/// `report`: the figures for a period.
pub fn report(store: &Store, req: ReportRequest) -> Result<ReportOutcome> {
    store.read(|conn| {
        let with_resolutions = req.with_resolutions;
        // The figures are split between this connection and a twin on the same snapshot.
        let twin = crate::store::twin::open_on_same_snapshot(conn, || store.open_reader());
        let today = req.today.clone();
        let period = report::Period {
            from: req.from,
            to: req.to,
            population: req.population,
            today: req.today,
        };
        let (mut report, cycle_complete) =
            report::compute(conn, twin, period, crate::ops::status::count_complete)?;
        report.escalations = crate::store::escalations::counts(
            conn,
            report.from.as_deref(),
            report.to.as_deref(),
            &today,
        )?;
        let (range, resolutions) = if with_resolutions {
            (
                ledger::data_range(conn)?,
                ledger::resolution_progress(conn, report.from.as_deref(), report.to.as_deref())?,
            )
        } else {
            (None, Vec::new())
        };
        Ok(ReportOutcome {
            report,
            cycle_complete,
            range,
            resolutions,
        })
    })
}
