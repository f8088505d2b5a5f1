//! The record sections of a report package (domain::package_sections), read for a period: the
//! issues raised in it, the meetings set in it with their motions, resolutions and actions,
//! the postings that went up in it and the feedback given in it. Each query selects only
//! columns that may leave the community (no phone, address, note or reason); names go
//! through the sections' constructors, which mask them. The same periods as the report's
//! figures, so that the sections and the figures count the same rows.

use super::codes::{decode, decode_opt};
use crate::domain::code::Code;
use crate::domain::issue::Status;
use crate::domain::meeting::{Attendance, MeetingStatus};
use crate::domain::motion::{MotionResult, VoteMethod};
use crate::domain::package_sections::{
    ActionFacts, FeedbackCounts, IssueFacts, Item, MeetingFacts, MotionFacts, PackageAction,
    PackageIssue, PackageMeeting, PackageMotion, PackagePosting, PackageResolution,
    ResolutionFacts, Seat, Sections,
};
use crate::domain::rules::MajorityRule;
use crate::domain::seat::SeatKind;
use crate::error::Result;
use rusqlite::{Connection, params};
use std::collections::BTreeMap;

/// Meetings whose day is in the period (?1..?2), as the report counts them.
const MEETING_IN_PERIOD: &str =
    "substr(m.starts_at, 1, 10) >= ?1 AND substr(m.starts_at, 1, 10) <= ?2";

/// Every section for the period `from..=to`, actions judged on `as_of`, but the issues (the
/// largest by far): those are streamed by [`each_issue`], or collected by [`issues`].
pub fn sections(conn: &Connection, from: &str, to: &str, as_of: &str) -> Result<Sections> {
    Ok(Sections {
        issues: Vec::new(),
        meetings: meetings(conn, from, to)?,
        motions: motions(conn, from, to)?,
        resolutions: resolutions(conn, from, to)?,
        actions: actions(conn, from, to, as_of)?,
        postings: postings(conn, from, to)?,
        feedback: feedback(conn, from, to)?,
    })
}

/// Issues raised in the period, with their submitters (and those of merged duplicates).
pub fn issues(conn: &Connection, from: &str, to: &str) -> Result<Vec<PackageIssue>> {
    let mut out = Vec::new();
    each_issue(conn, from, to, |facts, names| {
        out.push(PackageIssue::new(facts, names.iter().map(String::as_str)));
        Ok(())
    })?;
    Ok(out)
}

/// Each issue raised in the period, in id order, handed to `f` with its submitters (who
/// raised it, then the residents of duplicates merged into it) as the rows come: nothing is
/// held but the current issue. The co-submitters are read by a second cursor in the same
/// order, merged in as the issues go by.
pub fn each_issue(
    conn: &Connection,
    from: &str,
    to: &str,
    f: impl FnMut(&IssueFacts<'_>, &[String]) -> Result<()>,
) -> Result<()> {
    let plan = IssuePlan::for_period(conn, from, to)?;
    each_issue_by(conn, from, to, plan, f)
}

/// [`each_issue`], reading the rows as `plan` says.
fn each_issue_by(
    conn: &Connection,
    from: &str,
    to: &str,
    plan: IssuePlan,
    mut f: impl FnMut(&IssueFacts<'_>, &[String]) -> Result<()>,
) -> Result<()> {
    let mut more_stmt = conn.prepare(plan.submitters())?;
    let mut more = more_stmt.query(params![from, to])?;
    let fill = |more: &mut rusqlite::Rows<'_>| -> Result<Option<(i64, String)>> {
        Ok(match more.next()? {
            Some(r) => Some((r.get(0)?, r.get(1)?)),
            None => None,
        })
    };
    // The next co-submitter not yet given to its issue.
    let mut next = fill(&mut more)?;
    let mut stmt = conn.prepare(plan.issues())?;
    let mut rows = stmt.query(params![from, to])?;
    let mut names: Vec<String> = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let status: Status = decode(r, 5, "issues", "status", id)?;
        names.clear();
        if let Some(by) = text_or_null(r, 7)? {
            names.push(by.to_string());
        }
        while let Some((issue, _)) = &next
            && *issue <= id
        {
            if let Some((issue, name)) = next.take()
                && issue == id
            {
                names.push(name);
            }
            next = fill(&mut more)?;
        }
        let facts = IssueFacts {
            id,
            title: text(r, 1)?,
            category: text_or_null(r, 2)?,
            channel: text(r, 3)?,
            raised_on: text(r, 4)?,
            status: Code::key(status),
            merged_into: r.get(6)?,
        };
        f(&facts, &names)?;
    }
    Ok(())
}

/// How [`each_issue`] reads the period's issues in id order. SQLite, without statistics,
/// takes the day index for any range of days, then looks each row up in the table and sorts
/// them by id: for a period holding most of the table (a year's package) that read every row's
/// page again and again, most of the package's time (measured on a million issues: 2.8 s of
/// CPU against 0.6 s for one pass over the table in id order, which needs no sort). So a
/// period holding more than a twelfth of the issues is read by one pass over the table, the
/// days checked on the way; a short one through the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IssuePlan {
    Index,
    Scan,
}

impl IssuePlan {
    fn for_period(conn: &Connection, from: &str, to: &str) -> Result<IssuePlan> {
        // Counted on the day index alone (no row read); the ids' top as the table's size.
        let (in_period, top): (i64, i64) = conn.query_row(
            "SELECT (SELECT count(*) FROM issues WHERE raised_on >= ?1 AND raised_on <= ?2), \
               (SELECT coalesce(max(id), 0) FROM issues)",
            params![from, to],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(if in_period * 12 > top {
            IssuePlan::Scan
        } else {
            IssuePlan::Index
        })
    }

    fn issues(self) -> &'static str {
        match self {
            IssuePlan::Scan => {
                "SELECT id, title, category, channel, raised_on, status, merged_into, submitted_by \
                 FROM issues NOT INDEXED WHERE raised_on >= ?1 AND raised_on <= ?2 ORDER BY id"
            }
            IssuePlan::Index => {
                "SELECT id, title, category, channel, raised_on, status, merged_into, submitted_by \
                 FROM issues WHERE raised_on >= ?1 AND raised_on <= ?2 ORDER BY id"
            }
        }
    }

    /// The co-submitters of those issues in the same order: for a long period, read from the
    /// submitters' own index (already in issue order, usually far fewer than the issues) with
    /// each one's issue looked up, rather than probing it for every issue and sorting.
    fn submitters(self) -> &'static str {
        match self {
            IssuePlan::Scan => {
                "SELECT s.issue_id, s.name FROM issue_submitters s CROSS JOIN issues i \
                 ON i.id = s.issue_id WHERE i.raised_on >= ?1 AND i.raised_on <= ?2 \
                 ORDER BY s.issue_id, s.id"
            }
            IssuePlan::Index => {
                "SELECT s.issue_id, s.name FROM issue_submitters s JOIN issues i ON i.id = s.issue_id \
                 WHERE i.raised_on >= ?1 AND i.raised_on <= ?2 ORDER BY s.issue_id, s.id"
            }
        }
    }
}

/// A text column, borrowed from the row.
fn text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> Result<&'r str> {
    text_or_null(r, i)?.ok_or_else(|| {
        rusqlite::Error::InvalidColumnType(i, "NULL".into(), rusqlite::types::Type::Null).into()
    })
}

/// A text column or NULL, borrowed from the row.
fn text_or_null<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> Result<Option<&'r str>> {
    r.get_ref(i)?.as_str_or_null().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
            .into()
    })
}

/// Meetings set in the period, each with its seats (by seat, never by name) and its items.
fn meetings(conn: &Connection, from: &str, to: &str) -> Result<Vec<PackageMeeting>> {
    let mut seats: BTreeMap<i64, Vec<Seat>> = BTreeMap::new();
    let mut stmt = conn.prepare(&format!(
        "SELECT p.meeting_id, p.seat, p.role, p.attendance, p.id FROM participants p \
         JOIN meetings m ON m.id = p.meeting_id WHERE {MEETING_IN_PERIOD} ORDER BY p.meeting_id, p.id"
    ))?;
    let mut rows = stmt.query(params![from, to])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(4)?;
        let role: SeatKind = decode(r, 2, "participants", "role", id)?;
        let attendance: Attendance = decode(r, 3, "participants", "attendance", id)?;
        seats.entry(r.get(0)?).or_default().push(Seat {
            seat: r.get(1)?,
            role: Code::key(role).to_string(),
            attendance: Code::key(attendance).to_string(),
        });
    }
    let mut items: BTreeMap<i64, Vec<Item>> = BTreeMap::new();
    let mut stmt = conn.prepare(&format!(
        "SELECT a.meeting_id, a.issue_id, a.outcome, a.id FROM agenda_items a \
         JOIN meetings m ON m.id = a.meeting_id WHERE {MEETING_IN_PERIOD} \
         ORDER BY a.meeting_id, a.position, a.id"
    ))?;
    let mut rows = stmt.query(params![from, to])?;
    while let Some(r) = rows.next()? {
        let outcome: Option<MotionResult> = decode_opt(r, 2, "agenda_items", "outcome", r.get(3)?)?;
        items
            .entry(r.get(0)?)
            .or_default()
            .push(Item::new(r.get(1)?, outcome.map(Code::key)));
    }
    super::query_all(
        conn,
        &format!(
            "SELECT m.id, m.number, m.title, m.starts_at, m.place, m.status, m.urgent, m.without_quorum \
             FROM meetings m WHERE {MEETING_IN_PERIOD} ORDER BY m.starts_at, m.id"
        ),
        params![from, to],
        |r| {
            let id: i64 = r.get(0)?;
            let status: MeetingStatus = decode(r, 5, "meetings", "status", id)?;
            Ok((
                id,
                MeetingFacts {
                    id,
                    number: r.get(1)?,
                    title: r.get(2)?,
                    starts_at: r.get(3)?,
                    place: r.get(4)?,
                    status: Code::key(status),
                    urgent: r.get(6)?,
                    without_quorum: r.get(7)?,
                },
            ))
        },
    )
    .map(|rows| {
        rows.into_iter()
            .map(|(id, facts)| {
                let s = seats.remove(&id).unwrap_or_default();
                let i = items.remove(&id).unwrap_or_default();
                PackageMeeting::new(facts, s, i)
            })
            .collect()
    })
}

/// Motions put at the period's meetings, with their counts, results and recounts.
fn motions(conn: &Connection, from: &str, to: &str) -> Result<Vec<PackageMotion>> {
    super::query_all(
        conn,
        &format!(
            "SELECT v.id, v.meeting_id, v.issue_id, v.amends, v.text, v.rule, v.secret, v.method, \
               v.yes, v.no, v.abstain, v.electorate_present, v.electorate_invited, v.result, \
               (SELECT count(*) FROM corrections c WHERE c.motion_id = v.id) \
             FROM motions v JOIN meetings m ON m.id = v.meeting_id WHERE {MEETING_IN_PERIOD} ORDER BY v.id"
        ),
        params![from, to],
        |r| {
            let id: i64 = r.get(0)?;
            let rule: MajorityRule = decode(r, 5, "motions", "rule", id)?;
            let method: Option<VoteMethod> = decode_opt(r, 7, "motions", "method", id)?;
            let result: Option<MotionResult> = decode_opt(r, 13, "motions", "result", id)?;
            Ok(PackageMotion::new(MotionFacts {
                id,
                meeting_id: r.get(1)?,
                issue_id: r.get(2)?,
                amends: r.get(3)?,
                text: r.get(4)?,
                rule: Code::key(rule),
                secret: r.get(6)?,
                method: method.map(Code::key),
                count: (r.get(8)?, r.get(9)?, r.get(10)?),
                electorate: (r.get(11)?, r.get(12)?),
                result: result.map(Code::key),
                recounts: r.get::<_, i64>(14)?.max(0) as u64,
            }))
        },
    )
}

/// Resolutions made at the period's meetings.
fn resolutions(conn: &Connection, from: &str, to: &str) -> Result<Vec<PackageResolution>> {
    super::query_all(
        conn,
        &format!(
            "SELECT r.id, r.issue_id, r.meeting_id, r.motion_id, r.text, r.owner, r.due, \
               r.withdrawn_reason IS NOT NULL \
             FROM resolutions r JOIN meetings m ON m.id = r.meeting_id WHERE {MEETING_IN_PERIOD} ORDER BY r.id"
        ),
        params![from, to],
        |r| {
            Ok(PackageResolution::new(ResolutionFacts {
                id: r.get(0)?,
                issue_id: r.get(1)?,
                meeting_id: r.get(2)?,
                motion_id: r.get(3)?,
                text: r.get(4)?,
                owner: r.get(5)?,
                due: r.get(6)?,
                withdrawn: r.get(7)?,
            }))
        },
    )
}

/// The actions of those resolutions, as they stand on `as_of` (the figures' own rule).
fn actions(conn: &Connection, from: &str, to: &str, as_of: &str) -> Result<Vec<PackageAction>> {
    super::query_all(
        conn,
        &format!(
            "SELECT a.id, a.resolution_id, a.issue_id, a.text, a.owner, a.due, a.progress, \
               (SELECT max(u.on_day) FROM action_updates u WHERE u.action_id = a.id), \
               a.done_on, a.withdrawn_reason IS NOT NULL \
             FROM actions a JOIN resolutions r ON r.id = a.resolution_id \
             JOIN meetings m ON m.id = r.meeting_id WHERE {MEETING_IN_PERIOD} ORDER BY a.id"
        ),
        params![from, to],
        |r| {
            let facts = ActionFacts {
                id: r.get(0)?,
                resolution_id: r.get(1)?,
                issue_id: r.get(2)?,
                text: r.get(3)?,
                owner: r.get(4)?,
                due: r.get(5)?,
                progress: r.get(6)?,
                reported_on: r.get(7)?,
                done_on: r.get(8)?,
                withdrawn: r.get(9)?,
            };
            Ok(PackageAction::new(facts, as_of))
        },
    )
}

/// Postings that went up in the period: their kind, days and signing, never their text.
fn postings(conn: &Connection, from: &str, to: &str) -> Result<Vec<PackagePosting>> {
    super::query_all(
        conn,
        "SELECT kind, meeting_id, issue_id, starts_on, ends_on, signed_on, repost_of IS NOT NULL \
         FROM notices WHERE starts_on >= ?1 AND starts_on <= ?2 ORDER BY starts_on, id",
        params![from, to],
        |r| {
            let kind: String = r.get(0)?;
            Ok(PackagePosting::new(
                &kind,
                r.get(1)?,
                r.get(2)?,
                (r.get(3)?, r.get(4)?),
                r.get(5)?,
                r.get(6)?,
            ))
        },
    )
}

/// Feedback given in the period, counted: scores, awareness and channels, in all and by issue.
fn feedback(conn: &Connection, from: &str, to: &str) -> Result<FeedbackCounts> {
    let mut counts = FeedbackCounts::default();
    let mut stmt = conn.prepare(
        "SELECT issue_id, satisfaction, aware, channel FROM feedback \
         WHERE given_on >= ?1 AND given_on <= ?2 ORDER BY issue_id, id",
    )?;
    let mut rows = stmt.query(params![from, to])?;
    while let Some(r) = rows.next()? {
        let aware: Option<i64> = r.get(2)?;
        let channel: Option<String> = r.get(3)?;
        counts.add(
            r.get(0)?,
            r.get(1)?,
            aware.map(|a| a == 1),
            channel.as_deref(),
        );
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::actor::Actor;
    use crate::domain::ids::IssueId;
    use crate::domain::issue::NewIssue;
    use crate::store::Store;

    /// Both ways of reading the period's issues give the same issues, in id order, with the
    /// same co-submitters (a merged duplicate's resident, a merge across the period's edge).
    #[test]
    fn the_scan_and_the_index_read_the_same_issues() {
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
        // Days out of id order, so that the index gives the rows in another order.
        let days = [
            "2026-08-09",
            "2026-07-01",
            "2026-08-02",
            "2025-12-31",
            "2026-09-30",
        ];
        for (i, on) in days.iter().enumerate() {
            let new = NewIssue {
                title: format!("议题{i}"),
                detail: None,
                submitted_by: Some(format!("陈{i}")),
                phone: None,
                address: None,
                channel: "线下".into(),
                category: None,
                raised_on: (*on).into(),
            };
            crate::ops::issues::add(&mut store, &actor, &new, &[], Default::default()).unwrap();
        }
        crate::ops::issues::merge(&mut store, &actor, IssueId(2), IssueId(3)).unwrap();
        crate::ops::issues::merge(&mut store, &actor, IssueId(4), IssueId(1)).unwrap();
        let read = |plan: IssuePlan| {
            store
                .read(|conn| {
                    let mut got = Vec::new();
                    each_issue_by(conn, "2026-07-01", "2026-09-30", plan, |f, names| {
                        got.push((f.id, f.raised_on.to_string(), names.to_vec()));
                        Ok(())
                    })?;
                    Ok(got)
                })
                .unwrap()
        };
        let (scan, index) = (read(IssuePlan::Scan), read(IssuePlan::Index));
        assert_eq!(scan, index);
        let ids: Vec<i64> = scan.iter().map(|(id, _, _)| *id).collect();
        assert_eq!(ids, [1, 2, 3, 5]);
        assert!(
            scan.iter().any(|(_, _, names)| names.len() == 2),
            "{scan:?}"
        );
    }
}
