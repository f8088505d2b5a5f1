//! `report --package`: the community's figures for a period as the street office combines
//! them (domain::package): the figures with their parts, the overdue and escalated issues,
//! and (version 2) the period's record without personal data (store::package).

use crate::domain::escalation::days_waiting;
use crate::domain::package::{
    EscalatedIssue, FORMAT, Figures, OverdueAction, Package, Period, Ratio, VERSION,
};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::followup::{ActionFilter, actions_page};

/// `report --package` for `period`, of `community` with `population` residents.
pub fn build(
    store: &Store,
    community: &str,
    population: Option<u32>,
    period: &Period,
) -> Result<Package> {
    let (record_check, as_of) = head_and_day(store, period)?;
    let figures = figures(store, population, period, &as_of)?;
    let overdue_actions = overdue(store, &as_of)?;
    let escalated_issues = escalated(store, period, &as_of)?;
    let s = store
        .read(|conn| crate::store::package::sections(conn, &period.from, &period.to, &as_of))?;
    Ok(Package {
        format: FORMAT.into(),
        version: VERSION,
        community: community.to_string(),
        period: period.clone(),
        as_of,
        record_check,
        figures,
        overdue_actions,
        escalated_issues,
        issues: s.issues,
        meetings: s.meetings,
        motions: s.motions,
        resolutions: s.resolutions,
        actions: s.actions,
        postings: s.postings,
        feedback: s.feedback,
    })
}

/// The record's check code (`#seq hash`) and the day the figures are taken on: the period's
/// last day, or the day of the last change if the record ends before it. Both depend on the
/// database and the period only, so the same database and period give the same package,
/// whenever it is made.
fn head_and_day(store: &Store, period: &Period) -> Result<(String, String)> {
    let (head, last_day) = store.read(|conn| {
        let head = crate::store::audit::head(conn)?
            .ok_or_else(|| Error::refused_text(crate::text!("package.no_records")))?;
        let at: String =
            conn.query_row("SELECT at FROM events WHERE seq = ?1", [head.seq], |r| {
                r.get(0)
            })?;
        Ok((head, local_day(&at)))
    })?;
    let as_of = if last_day.as_str() < period.to.as_str() {
        last_day
    } else {
        period.to.clone()
    };
    let check = format!("#{} {}", head.seq, &head.hash[..16.min(head.hash.len())]);
    Ok((check, as_of))
}

/// The report's figures for the period on `as_of`, with their parts.
fn figures(
    store: &Store,
    population: Option<u32>,
    period: &Period,
    as_of: &str,
) -> Result<Figures> {
    let done = super::minutes::report(
        store,
        super::minutes::ReportRequest {
            from: Some(period.from.clone()),
            to: Some(period.to.clone()),
            population,
            today: as_of.to_string(),
            with_resolutions: false,
        },
    )?;
    let r = done.report;
    let ratio = |r: crate::domain::report::Rate| Ratio::new(r.numerator, r.denominator);
    Ok(Figures {
        meetings_held: r.meetings_held,
        issues_total: r.issues_total,
        issues_by_status: r.issues_by_status.clone(),
        attendance: ratio(r.attendance),
        participation: ratio(r.participation),
        awareness: ratio(r.awareness),
        satisfaction: ratio(r.satisfaction),
        cycle_complete: Ratio::new(done.cycle_complete.0, done.cycle_complete.1),
        actions_done_on_time: r.actions_done_on_time,
        actions_done_late: r.actions_done_late,
        actions_overdue: r.actions_overdue,
        actions_open: r.actions_open,
        escalations: r.escalations,
    })
}

/// Every action past its due day and not done on `as_of`, whatever period it belongs to.
fn overdue(store: &Store, as_of: &str) -> Result<Vec<OverdueAction>> {
    let overdue = store.read(|conn| {
        let filter = ActionFilter {
            overdue_on: Some(as_of),
            owner: None,
        };
        actions_page(conn, filter, -1, 0)
    })?;
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    Ok(overdue
        .iter()
        .map(|a| {
            let due = a.due.clone().unwrap_or_default();
            let days = match (day(as_of), day(&due)) {
                (Some(t), Some(d)) => (t - d).num_days(),
                _ => 0,
            };
            OverdueAction::new(a.id, a.issue_id, &a.text, a.owner.as_deref(), &due, days)
        })
        .collect())
}

/// Issues raised to the street: waiting on `as_of`, or answered within the period.
fn escalated(store: &Store, period: &Period, as_of: &str) -> Result<Vec<EscalatedIssue>> {
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    let end = day(as_of).unwrap_or_default();
    let raised = store.read(|conn| crate::store::escalations::as_of(conn, as_of))?;
    Ok(raised
        .into_iter()
        .filter(|(e, _)| {
            e.answered_on
                .as_deref()
                .is_none_or(|a| a >= period.from.as_str())
        })
        .map(|(e, title)| {
            let until = e.answered_on.as_deref().and_then(day).unwrap_or(end);
            EscalatedIssue {
                issue: format!("#{}", e.issue_id),
                title,
                days_waiting: days_waiting(&e.escalated_on, until),
                to: e.to,
                reason: e.reason,
                escalated_on: e.escalated_on,
                answered_on: e.answered_on,
                answer: e.answer,
            }
        })
        .collect())
}

/// The local day of a stored UTC time.
fn local_day(stamp: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(stamp)
        .map(|t| t.with_timezone(&chrono::Local).date_naive().to_string())
        .unwrap_or_else(|_| stamp.chars().take(10).collect())
}
