//! `report --package`: the community's figures for a period as the street office combines
//! them (domain::package): the figures with their parts, the overdue and escalated issues,
//! and (version 2) the period's record without personal data (store::package).

use crate::domain::escalation::days_waiting;
use crate::domain::package::{
    EscalatedIssue, FORMAT, Figures, OverdueAction, Package, Period, Ratio, VERSION,
};
use crate::domain::package_sections::write_issue;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::followup::{ActionFilter, actions_page};
use std::io::{Seek, Write};

/// `report --package` for `period`, of `community` with `population` residents, whole in
/// memory (tests and small periods; the file is written by [`write`]).
pub fn build(
    store: &Store,
    community: &str,
    population: Option<u32>,
    period: &Period,
) -> Result<Package> {
    let mut p = without_issues(store, community, population, period)?;
    p.issues = store.read(|conn| crate::store::package::issues(conn, &period.from, &period.to))?;
    Ok(p)
}

/// `report --package`: the package file written to `w`, the period's issues (the largest
/// section: a million in a large community) streamed from the store's rows into `w` and the
/// hash as they come, never held together. The same bytes as `build(…).to_file()`. Returns
/// the hash.
pub fn write<W: Write + Seek + ?Sized>(
    store: &Store,
    community: &str,
    population: Option<u32>,
    period: &Period,
    w: &mut W,
) -> Result<String> {
    let rest = without_issues(store, community, population, period)?;
    crate::domain::package::write_file(w, |body| {
        rest.write_body(body, |out| {
            store.read(|conn| {
                let mut buf = Vec::with_capacity(64 * 1024);
                let mut scratch = String::new();
                let mut first = true;
                crate::store::package::each_issue(conn, &period.from, &period.to, |f, names| {
                    if !std::mem::take(&mut first) {
                        buf.push(b',');
                    }
                    let names = names.iter().map(String::as_str);
                    write_issue(&mut buf, f, names, &mut scratch);
                    if buf.len() >= 60 * 1024 {
                        out.write_all(&buf)?;
                        buf.clear();
                    }
                    Ok(())
                })?;
                out.write_all(&buf)?;
                Ok(())
            })
        })
    })
}

/// The package but its issues.
fn without_issues(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::actor::Actor;
    use crate::domain::ids::IssueId;
    use crate::domain::issue::NewIssue;

    /// The package streamed into a file is byte for byte the one built whole in memory and
    /// serialised by serde: masked submitters (and a merged duplicate's), an organisation,
    /// a phone in a title, escapes, an issue outside the period.
    #[test]
    fn the_streamed_package_is_the_one_built_whole() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        let actor = Actor {
            name: "秘书".into(),
            command: "test".into(),
            at: "2026-09-20T02:00:00Z".into(),
            local: chrono::NaiveDate::from_ymd_opt(2026, 9, 20)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
        };
        crate::ops::records::init(&db, &actor, "汀塘社区", Some(1000)).unwrap();
        let mut store = Store::open(&db).unwrap();
        let issues = [
            ("路灯不亮", Some("陈阿姨"), "2026-08-01"),
            (
                "路灯坏了请联系13700009999 \"急\"",
                Some("司马光明"),
                "2026-08-02",
            ),
            ("垃圾分类点太远", Some("汀塘物业公司"), "2026-08-03"),
            ("电梯\\故障", None, "2026-09-01"),
            ("去年的事", Some("林"), "2025-01-01"),
        ];
        for (title, by, on) in issues {
            let new = NewIssue {
                title: title.into(),
                detail: None,
                submitted_by: by.map(String::from),
                phone: None,
                address: None,
                channel: "线下".into(),
                category: None,
                raised_on: on.into(),
            };
            crate::ops::issues::add(&mut store, &actor, &new, &[], Default::default()).unwrap();
        }
        crate::ops::issues::merge(&mut store, &actor, IssueId(2), IssueId(1)).unwrap();
        let period = Period::parse("2026Q3").unwrap();
        let old = build(&store, "汀塘社区", Some(1000), &period)
            .unwrap()
            .to_file();
        let mut new = std::io::Cursor::new(Vec::new());
        let hash = write(&store, "汀塘社区", Some(1000), &period, &mut new).unwrap();
        let new = new.into_inner();
        assert_eq!(String::from_utf8_lossy(&new), String::from_utf8_lossy(&old));
        let (p, read_hash) = Package::from_file(&new).unwrap();
        assert_eq!((p.issues.len(), read_hash), (4, hash));
        assert!(p.issues[0].submitters.len() == 2, "{:?}", p.issues[0]);
    }
}
