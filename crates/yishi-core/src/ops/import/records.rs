//! Member and feedback imports, loaded the way issues are ([`super::load`]: the reader thread,
//! batches, the rejects file, progress, all or nothing): each row is parsed by its importer
//! (`import/`, tested without a database) on the reader thread, and the writer applies, in
//! the load's transaction, what only the store knows.

use super::{Load, LoadedRows, Pipeline, Progress, ReadRows, WriteRows};
use crate::config::Config;
use crate::domain::followup::NewFeedback;
use crate::domain::member::NewMember;
use crate::error::{Kind, Result};
use crate::import::rejects::Rejects;
use crate::import::{Row, RowError, Source};
use crate::ops::followup::FeedbackImport;
use crate::ops::members::RosterImport;
use crate::store::{Actor, Store, Writer};
use std::collections::HashMap;

/// `member import`: a roster, each row's seat one of `config`'s; a row whose name and seat an
/// active member has is already present (see [`RosterImport`]). Writes (added, already
/// present).
#[allow(clippy::too_many_arguments)]
pub fn load_members(
    store: &mut Store,
    actor: &Actor,
    config: &Config,
    source: &mut Source,
    how: &Load,
    rejects: Option<Rejects>,
    today: chrono::NaiveDate,
    progress: impl Fn(Progress),
) -> Result<LoadedRows<(usize, usize)>> {
    let reader = MemberRows {
        seat: |s: &str| config.seat(s).map(|s| s.0.key.clone()),
        today,
    };
    let write = |w: &mut Writer, pipeline: Pipeline<'_, _>| {
        let mut roster = RosterImport::open(w)?;
        pipeline.run(w, reader, &mut roster)?;
        roster.finish(w)
    };
    super::load(store, actor, how, source, rejects, write, &progress)
}

/// A roster's rows as members (`import::member_row`).
struct MemberRows<F> {
    /// What a row's seat names, as the seat's key.
    seat: F,
    today: chrono::NaiveDate,
}

impl<F: Fn(&str) -> Result<String> + Send> ReadRows for MemberRows<F> {
    type Record = NewMember;
    type Text = ();

    fn parse(&mut self, row: &Row, _: &mut ()) -> std::result::Result<NewMember, RowError> {
        crate::import::member_row::parse(row, &self.seat, self.today)
    }
}

impl<R: ReadRows<Record = NewMember>> WriteRows<R> for RosterImport {
    fn take(
        &mut self,
        _: &Writer,
        member: NewMember,
        _: &R::Text,
        _: bool,
    ) -> Result<Option<(RowError, Vec<String>)>> {
        self.take(member);
        Ok(None)
    }
}

/// `feedback import`: answers, each on an issue that can take feedback (a row on one that
/// cannot is a bad row, named by its line). `whole_file_issue`: --issue N. Writes (added,
/// already present).
#[allow(clippy::too_many_arguments)]
pub fn load_feedback(
    store: &mut Store,
    actor: &Actor,
    source: &mut Source,
    how: &Load,
    rejects: Option<Rejects>,
    whole_file_issue: Option<i64>,
    today: chrono::NaiveDate,
    progress: impl Fn(Progress),
) -> Result<LoadedRows<(usize, usize)>> {
    let reader = FeedbackRows {
        whole_file_issue,
        today,
        keep_raw: rejects.is_some(),
    };
    let mut writer = FeedbackWriter {
        import: FeedbackImport::new(&how.name),
        issue_column: source.field_columns[crate::import::feedback::ISSUE]
            .map(|c| source.headers[c].clone()),
        refusals: HashMap::new(),
    };
    let write = |w: &mut Writer, pipeline: Pipeline<'_, _>| {
        pipeline.run(w, reader, &mut writer)?;
        writer.import.finish(w)
    };
    super::load(store, actor, how, source, rejects, write, &progress)
}

/// A row's answer, with its line and (for a rejects file) raw fields: the writer may still
/// refuse it.
struct AnswerRow {
    line: u64,
    raw: Vec<String>,
    feedback: NewFeedback,
}

/// A survey's rows as answers (`import::feedback_row`).
struct FeedbackRows {
    whole_file_issue: Option<i64>,
    today: chrono::NaiveDate,
    keep_raw: bool,
}

impl ReadRows for FeedbackRows {
    type Record = AnswerRow;
    type Text = ();

    fn parse(&mut self, row: &Row, _: &mut ()) -> std::result::Result<AnswerRow, RowError> {
        let feedback = crate::import::feedback_row::parse(row, self.whole_file_issue, self.today)?;
        Ok(AnswerRow {
            line: row.line,
            raw: if self.keep_raw {
                row.raw_fields()
            } else {
                Vec::new()
            },
            feedback,
        })
    }
}

/// Adds the answers whose issue can take feedback; the others are bad rows.
struct FeedbackWriter {
    import: FeedbackImport,
    /// The file's issue column, where a refusal is placed (none with --issue and no column).
    issue_column: Option<String>,
    /// Why each issue asked about cannot take feedback (None: it can).
    refusals: HashMap<i64, Option<String>>,
}

impl WriteRows<FeedbackRows> for FeedbackWriter {
    fn take(
        &mut self,
        w: &Writer,
        row: AnswerRow,
        _: &(),
        write: bool,
    ) -> Result<Option<(RowError, Vec<String>)>> {
        let issue_id = row.feedback.issue_id;
        let refusal = match self.refusals.get(&issue_id) {
            Some(known) => known.clone(),
            None => {
                let why = match crate::ops::followup::feedback_target(w.conn(), issue_id) {
                    Ok(_) => None,
                    // Unknown, or not decided yet: the row's problem.
                    Err(e) if matches!(e.kind, Kind::Refused | Kind::Data) => Some(e.message),
                    Err(e) => return Err(e),
                };
                self.refusals.insert(issue_id, why.clone());
                why
            }
        };
        if let Some(message) = refusal {
            let problem = RowError {
                line: row.line,
                column: self.issue_column.clone(),
                message,
                zh: None,
            };
            return Ok(Some((problem, row.raw)));
        }
        if write {
            self.import.add(w, &row.feedback)?;
        }
        Ok(None)
    }
}
