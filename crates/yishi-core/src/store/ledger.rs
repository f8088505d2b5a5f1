//! The yearly ledger (台账): the year's issues (with rejection reasons, merges, re-raises and
//! objections), meetings (attendance and quorum), motions and votes (with recounts),
//! resolutions, actions (due dates in force and their changes), postings and feedback as flat
//! rows, for `yishi ledger`. One read; the view decides labels and masking.

use super::codes::{decode, decode_opt};
use crate::error::Result;
use rusqlite::Connection;

pub use crate::domain::ledger::{
    ActionRow, DueChange, FeedbackRow, IssueRow, Ledger, LedgerEscalation, MeetingRow, MotionRow,
    PostingRow, Recount, ResolutionProgress, ResolutionRow,
};

/// Everything of `year`: issues raised, meetings held, their resolutions and actions, and
/// feedback given in that year.
pub fn load(conn: &Connection, year: i32) -> Result<Ledger> {
    let (from, to) = (format!("{year}-01-01"), format!("{year}-12-31 99"));
    let period = [from.as_str(), to.as_str()];
    let replies = super::replies::ledger_rows(conn, &from, &to)?;
    let (reply_rates, reply_rate, reply_median_days) = super::report::reply_figures(
        super::replies::step_facts(conn, &Some(from.clone()), &Some(to.clone()))?,
    );
    Ok(Ledger {
        replies,
        reply_rates,
        reply_rate,
        reply_median_days,
        motions: motions(conn, period)?,
        postings: postings(conn, period)?,
        issues: issues(conn, period)?,
        meetings: meetings(conn, period)?,
        resolutions: resolutions(conn, period)?,
        actions: actions(conn, period)?,
        feedback: feedback(conn, period)?,
    })
}

/// The first and last day of a year, as `load`'s queries compare them.
type Period<'a> = [&'a str; 2];

/// The issues raised in the period, with why each was rejected, what it was merged into or
/// re-raises, the objection it is, and its latest escalation.
fn issues(conn: &Connection, period: Period) -> Result<Vec<IssueRow>> {
    super::query_all(
        conn,
        "SELECT issues.id AS id, title, submitted_by, channel, category, raised_on, status, \
           (SELECT h.note FROM issue_history h WHERE h.issue_id = issues.id \
              AND h.to_status = 'rejected' ORDER BY h.id DESC LIMIT 1) AS rejected_because, \
           merged_into, \
           (SELECT l.to_issue FROM issue_links l WHERE l.issue_id = issues.id \
              AND l.kind = 'reraise' ORDER BY l.id LIMIT 1) AS reraise_of, \
           (SELECT m.number FROM meetings m WHERE m.id = issues.objection_to) AS objection_to, \
           (SELECT l.to_resolution FROM issue_links l WHERE l.issue_id = issues.id \
              AND l.kind = 'objection' AND l.to_resolution IS NOT NULL ORDER BY l.id DESC LIMIT 1) \
              AS objection_resolution, \
           (SELECT r.text FROM issue_links l JOIN resolutions r ON r.id = l.to_resolution \
              WHERE l.issue_id = issues.id AND l.kind = 'objection' ORDER BY l.id DESC LIMIT 1) \
              AS objection_text, \
           e.to_level AS escalated_to, e.escalated_on, e.reason AS escalation_reason, \
           e.answered_on, e.answer \
         FROM issues LEFT JOIN escalations e ON e.id = \
           (SELECT max(x.id) FROM escalations x WHERE x.issue_id = issues.id) \
         WHERE raised_on BETWEEN ?1 AND ?2 ORDER BY issues.id",
        period,
        |r| {
            let id = r.get("id")?;
            Ok(IssueRow {
                id,
                title: r.get("title")?,
                submitted_by: r.get("submitted_by")?,
                channel: r.get("channel")?,
                category: r.get("category")?,
                raised_on: r.get("raised_on")?,
                status: decode(r, "status", "issues", "status", id)?,
                rejected_because: r.get("rejected_because")?,
                merged_into: r.get("merged_into")?,
                reraise_of: r.get("reraise_of")?,
                objection_to: r.get("objection_to")?,
                objection_resolution: match (
                    r.get::<_, Option<i64>>("objection_resolution")?,
                    r.get("objection_text")?,
                ) {
                    (Some(id), Some(text)) => Some((id, text)),
                    _ => None,
                },
                escalated: match r.get::<_, Option<String>>("escalated_to")? {
                    Some(to) => Some(LedgerEscalation {
                        to,
                        on: r.get("escalated_on")?,
                        reason: r.get("escalation_reason")?,
                        answered_on: r.get("answered_on")?,
                        answer: r.get("answer")?,
                    }),
                    None => None,
                },
            })
        },
    )
}

/// The meetings held in the period: attendance, and quorum by the rules each was held under.
fn meetings(conn: &Connection, period: Period) -> Result<Vec<MeetingRow>> {
    super::query_all(
        conn,
        "SELECT m.id, m.number, m.title, m.starts_at, m.place, m.chair, m.recorder, m.status, \
           (SELECT COUNT(*) FROM participants p WHERE p.meeting_id = m.id AND p.role != 'observer') \
              AS invited, \
           (SELECT COUNT(*) FROM participants p WHERE p.meeting_id = m.id AND p.role != 'observer' \
              AND p.attendance IN ('present', 'proxy')) AS present, \
           (SELECT COUNT(*) FROM agenda_items a WHERE a.meeting_id = m.id) AS items, \
           (SELECT COUNT(*) FROM participants p WHERE p.meeting_id = m.id AND p.role != 'observer' \
              AND p.attendance = 'absent') AS absent, \
           (SELECT COUNT(*) FROM participants p WHERE p.meeting_id = m.id AND p.role = 'observer') \
              AS observers, \
           (SELECT COUNT(*) FROM participants p WHERE p.meeting_id = m.id AND p.role = 'standing') \
              AS standing, \
           (SELECT COUNT(*) FROM participants p WHERE p.meeting_id = m.id AND p.role = 'standing' \
              AND p.attendance IN ('present', 'proxy')) AS standing_present, \
           m.rules \
         FROM meetings m WHERE m.starts_at BETWEEN ?1 AND ?2 ORDER BY m.starts_at, m.id",
        period,
        |r| {
            let id: i64 = r.get("id")?;
            let rules: String = r.get("rules")?;
            // An unreadable snapshot of the rules is a damaged record, reported, not guessed.
            let rules: crate::config::Rules = serde_json::from_str(&rules).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    r.as_ref().column_index("rules").unwrap_or_default(),
                    rusqlite::types::Type::Text,
                    format!("meetings row {id}, column rules: {e}").into(),
                )
            })?;
            let (base, present) = match rules.quorum_base {
                crate::domain::rules::QuorumBase::Standing => {
                    (r.get("standing")?, r.get("standing_present")?)
                }
                crate::domain::rules::QuorumBase::Voters => (r.get("invited")?, r.get("present")?),
            };
            Ok(MeetingRow {
                absent: r.get("absent")?,
                observers: r.get("observers")?,
                quorum: crate::domain::rules::quorum(rules.quorum, base, present),
                number: r.get("number")?,
                title: r.get("title")?,
                starts_at: r.get("starts_at")?,
                place: r.get("place")?,
                chair: r.get("chair")?,
                recorder: r.get("recorder")?,
                status: decode(r, "status", "meetings", "status", id)?,
                invited: r.get("invited")?,
                present: r.get("present")?,
                items: r.get("items")?,
            })
        },
    )
}

/// The resolutions of the period's meetings, with the owner and due date of their first
/// action (the resolution's own when it has none).
fn resolutions(conn: &Connection, period: Period) -> Result<Vec<ResolutionRow>> {
    super::query_all(
        conn,
        "SELECT r.id, r.issue_id, i.title AS issue_title, m.number AS meeting_number, r.text, \
           coalesce((SELECT a.owner FROM actions a WHERE a.resolution_id = r.id ORDER BY a.id LIMIT 1), \
              r.owner) AS owner, \
           coalesce((SELECT a.due FROM actions a WHERE a.resolution_id = r.id ORDER BY a.id LIMIT 1), \
              r.due) AS due, \
           coalesce(r.due, (SELECT e.new_value FROM record_edits e WHERE e.entity = 'action' AND e.field = 'due' \
              AND e.entity_id = (SELECT a.id FROM actions a WHERE a.resolution_id = r.id ORDER BY a.id LIMIT 1) \
              ORDER BY e.id LIMIT 1)) AS due_set \
         FROM resolutions r JOIN meetings m ON m.id = r.meeting_id JOIN issues i ON i.id = r.issue_id \
         WHERE m.starts_at BETWEEN ?1 AND ?2 ORDER BY r.id",
        period,
        |r| {
            Ok(ResolutionRow {
                id: r.get("id")?,
                issue_id: r.get("issue_id")?,
                issue_title: r.get("issue_title")?,
                meeting_number: r.get("meeting_number")?,
                text: r.get("text")?,
                owner: r.get("owner")?,
                due: r.get("due")?,
                due_set: r.get("due_set")?,
            })
        },
    )
}

/// The actions of the period's resolutions, each with the changes of its due date.
fn actions(conn: &Connection, period: Period) -> Result<Vec<ActionRow>> {
    let mut actions = super::query_all(
        conn,
        "SELECT a.id, a.issue_id, a.text, a.owner, a.due, a.progress, a.done_on, a.withdrawn_reason \
         FROM actions a JOIN resolutions r ON r.id = a.resolution_id JOIN meetings m ON m.id = r.meeting_id \
         WHERE m.starts_at BETWEEN ?1 AND ?2 ORDER BY a.id",
        period,
        |r| {
            Ok(ActionRow {
                id: r.get("id")?,
                issue_id: r.get("issue_id")?,
                text: r.get("text")?,
                owner: r.get("owner")?,
                due: r.get("due")?,
                progress: r.get("progress")?,
                done_on: r.get("done_on")?,
                withdrawn: r.get("withdrawn_reason")?,
                due_changes: Vec::new(),
            })
        },
    )?;
    for a in &mut actions {
        a.due_changes = super::query_all(
            conn,
            "SELECT old_value, new_value, reason FROM record_edits \
             WHERE entity = 'action' AND field = 'due' AND entity_id = ?1 ORDER BY id",
            [a.id],
            |r| {
                Ok(DueChange {
                    old: r.get("old_value")?,
                    new: r.get("new_value")?,
                    reason: r.get("reason")?,
                })
            },
        )?;
    }
    Ok(actions)
}

/// The feedback given in the period.
fn feedback(conn: &Connection, period: Period) -> Result<Vec<FeedbackRow>> {
    super::query_all(
        conn,
        "SELECT f.issue_id, i.title AS issue_title, f.resident, f.satisfaction, f.aware, f.note, \
           f.given_on \
         FROM feedback f JOIN issues i ON i.id = f.issue_id \
         WHERE f.given_on BETWEEN ?1 AND ?2 ORDER BY f.given_on, f.id",
        period,
        |r| {
            Ok(FeedbackRow {
                issue_id: r.get("issue_id")?,
                issue_title: r.get("issue_title")?,
                resident: r.get("resident")?,
                satisfaction: r.get("satisfaction")?,
                aware: r.get::<_, Option<i64>>("aware")?.map(|a| a != 0),
                note: r.get("note")?,
                given_on: r.get("given_on")?,
            })
        },
    )
}

/// The motions of the period's meetings, each with its recounts.
fn motions(conn: &Connection, period: Period) -> Result<Vec<MotionRow>> {
    let mut motions = super::query_all(
        conn,
        "SELECT v.id, m.number AS meeting_number, v.issue_id, v.text, v.rule, v.method, v.yes, \
           v.no, v.abstain, v.result \
         FROM motions v JOIN meetings m ON m.id = v.meeting_id \
         WHERE m.starts_at BETWEEN ?1 AND ?2 ORDER BY v.id",
        period,
        |r| {
            let id = r.get("id")?;
            Ok(MotionRow {
                id,
                meeting_number: r.get("meeting_number")?,
                issue_id: r.get("issue_id")?,
                text: r.get("text")?,
                rule: r.get("rule")?,
                method: decode_opt(r, "method", "motions", "method", id)?,
                yes: r.get("yes")?,
                no: r.get("no")?,
                abstain: r.get("abstain")?,
                result: decode_opt(r, "result", "motions", "result", id)?,
                recounts: Vec::new(),
            })
        },
    )?;
    for v in &mut motions {
        v.recounts = super::query_all(
            conn,
            "SELECT old_yes, old_no, old_abstain, new_yes, new_no, new_abstain, old_result, \
               new_result, reason FROM corrections WHERE motion_id = ?1 ORDER BY id",
            [v.id],
            |r| {
                Ok(Recount {
                    old: (r.get("old_yes")?, r.get("old_no")?, r.get("old_abstain")?),
                    new: (r.get("new_yes")?, r.get("new_no")?, r.get("new_abstain")?),
                    old_result: r.get("old_result")?,
                    new_result: r.get("new_result")?,
                    reason: r.get("reason")?,
                })
            },
        )?;
    }
    Ok(motions)
}

/// The notices posted in the period.
fn postings(conn: &Connection, period: Period) -> Result<Vec<PostingRow>> {
    super::query_all(
        conn,
        "SELECT n.kind, m.number AS meeting_number, n.issue_id, n.starts_on, n.ends_on, n.id \
         FROM notices n LEFT JOIN meetings m ON m.id = n.meeting_id \
         WHERE n.starts_on BETWEEN ?1 AND ?2 ORDER BY n.starts_on, n.id",
        period,
        |r| {
            Ok(PostingRow {
                kind: super::codes::decode(r, "kind", "notices", "kind", r.get("id")?)?,
                meeting_number: r.get("meeting_number")?,
                issue_id: r.get("issue_id")?,
                starts_on: r.get("starts_on")?,
                ends_on: r.get("ends_on")?,
            })
        },
    )
}

/// The first and last day of any record (issue raised, meeting held, feedback given): the
/// period a report covers when none is given.
pub fn data_range(conn: &Connection) -> Result<Option<(String, String)>> {
    let row: (Option<String>, Option<String>) = conn.query_row(
        "SELECT MIN(d) AS first, MAX(d) AS last FROM ( \
           SELECT raised_on AS d FROM issues \
           UNION ALL SELECT substr(starts_at, 1, 10) FROM meetings \
           UNION ALL SELECT given_on FROM feedback)",
        [],
        |r| Ok((r.get("first")?, r.get("last")?)),
    )?;
    Ok(match row {
        (Some(a), Some(b)) => Some((a, b)),
        _ => None,
    })
}

/// Resolutions of meetings held between `from` and `to` (inclusive; None: open-ended).
pub fn resolution_progress(
    conn: &Connection,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Vec<ResolutionProgress>> {
    let rows = super::query_all(
        conn,
        "SELECT r.issue_id AS issue_id, i.title AS issue_title, r.text AS text, \
           coalesce((SELECT a.owner FROM actions a WHERE a.resolution_id = r.id ORDER BY a.id LIMIT 1), r.owner) \
             AS owner, \
           coalesce((SELECT a.due FROM actions a WHERE a.resolution_id = r.id ORDER BY a.id LIMIT 1), r.due) \
             AS due, \
           (SELECT AVG(a.progress) FROM actions a WHERE a.resolution_id = r.id) AS progress, \
           (SELECT COUNT(*) FROM actions a WHERE a.resolution_id = r.id) AS actions, \
           (SELECT COUNT(*) FROM actions a WHERE a.resolution_id = r.id AND a.done_on IS NOT NULL) \
             AS actions_done, \
           (SELECT AVG(f.satisfaction) FROM feedback f WHERE f.issue_id = r.issue_id AND f.satisfaction IS NOT NULL) \
             AS satisfaction, \
           (SELECT COUNT(f.satisfaction) FROM feedback f WHERE f.issue_id = r.issue_id) AS scores, \
           coalesce(r.due, (SELECT e.new_value FROM record_edits e WHERE e.entity = 'action' AND e.field = 'due' \
              AND e.entity_id = (SELECT a.id FROM actions a WHERE a.resolution_id = r.id ORDER BY a.id LIMIT 1) \
              ORDER BY e.id LIMIT 1)) AS due_set, \
           (SELECT max(a.done_on) FROM actions a WHERE a.resolution_id = r.id) AS done_on \
         FROM resolutions r JOIN issues i ON i.id = r.issue_id JOIN meetings m ON m.id = r.meeting_id \
         WHERE (?1 IS NULL OR substr(m.starts_at, 1, 10) >= ?1) AND (?2 IS NULL OR substr(m.starts_at, 1, 10) <= ?2) \
         ORDER BY r.id",
        rusqlite::params![from, to],
        |r| {
            Ok(ResolutionProgress {
                issue_id: r.get("issue_id")?,
                issue_title: r.get("issue_title")?,
                text: r.get("text")?,
                owner: r.get("owner")?,
                due: r.get("due")?,
                progress: r.get("progress")?,
                actions: r.get("actions")?,
                actions_done: r.get("actions_done")?,
                satisfaction: r.get("satisfaction")?,
                scores: r.get("scores")?,
                due_set: r.get("due_set")?,
                done_on: r.get("done_on")?,
            })
        },
    )?;
    Ok(rows)
}
