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
    let issues = super::query_all(
        conn,
        "SELECT issues.id, title, submitted_by, channel, category, raised_on, status, \
           (SELECT h.note FROM issue_history h WHERE h.issue_id = issues.id \
              AND h.to_status = 'rejected' ORDER BY h.id DESC LIMIT 1), \
           merged_into, \
           (SELECT l.to_issue FROM issue_links l WHERE l.issue_id = issues.id \
              AND l.kind = 'reraise' ORDER BY l.id LIMIT 1), \
           (SELECT m.number FROM meetings m WHERE m.id = issues.objection_to), \
           (SELECT l.to_resolution FROM issue_links l WHERE l.issue_id = issues.id \
              AND l.kind = 'objection' AND l.to_resolution IS NOT NULL ORDER BY l.id DESC LIMIT 1), \
           (SELECT r.text FROM issue_links l JOIN resolutions r ON r.id = l.to_resolution \
              WHERE l.issue_id = issues.id AND l.kind = 'objection' ORDER BY l.id DESC LIMIT 1), \
           e.to_level, e.escalated_on, e.reason, e.answered_on, e.answer \
         FROM issues LEFT JOIN escalations e ON e.id = \
           (SELECT max(x.id) FROM escalations x WHERE x.issue_id = issues.id) \
         WHERE raised_on BETWEEN ?1 AND ?2 ORDER BY issues.id",
        [&from, &to],
        |r| {
            Ok(IssueRow {
                id: r.get(0)?,
                title: r.get(1)?,
                submitted_by: r.get(2)?,
                channel: r.get(3)?,
                category: r.get(4)?,
                raised_on: r.get(5)?,
                status: decode(r, 6, "issues", "status", r.get(0)?)?,
                rejected_because: r.get(7)?,
                merged_into: r.get(8)?,
                reraise_of: r.get(9)?,
                objection_to: r.get(10)?,
                objection_resolution: match (r.get::<_, Option<i64>>(11)?, r.get(12)?) {
                    (Some(id), Some(text)) => Some((id, text)),
                    _ => None,
                },
                escalated: match r.get::<_, Option<String>>(13)? {
                    Some(to) => Some(LedgerEscalation {
                        to,
                        on: r.get(14)?,
                        reason: r.get(15)?,
                        answered_on: r.get(16)?,
                        answer: r.get(17)?,
                    }),
                    None => None,
                },
            })
        },
    )?;
    let meetings = super::query_all(
        conn,
        "SELECT m.number, m.title, m.starts_at, m.place, m.chair, m.recorder, m.status, \
           (SELECT COUNT(*) FROM participants p WHERE p.meeting_id = m.id AND p.role != 'observer'), \
           (SELECT COUNT(*) FROM participants p WHERE p.meeting_id = m.id AND p.role != 'observer' \
              AND p.attendance IN ('present', 'proxy')), \
           (SELECT COUNT(*) FROM agenda_items a WHERE a.meeting_id = m.id), m.id, \
           (SELECT COUNT(*) FROM participants p WHERE p.meeting_id = m.id AND p.role != 'observer' \
              AND p.attendance = 'absent'), \
           (SELECT COUNT(*) FROM participants p WHERE p.meeting_id = m.id AND p.role = 'observer'), \
           (SELECT COUNT(*) FROM participants p WHERE p.meeting_id = m.id AND p.role = 'standing'), \
           (SELECT COUNT(*) FROM participants p WHERE p.meeting_id = m.id AND p.role = 'standing' \
              AND p.attendance IN ('present', 'proxy')), \
           m.rules \
         FROM meetings m WHERE m.starts_at BETWEEN ?1 AND ?2 ORDER BY m.starts_at, m.id",
        [&from, &to],
        |r| {
            let id: i64 = r.get(10)?;
            let rules: String = r.get(15)?;
            // An unreadable snapshot of the rules is a damaged record, reported, not guessed.
            let rules: crate::config::Rules = serde_json::from_str(&rules).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    15,
                    rusqlite::types::Type::Text,
                    format!("meetings row {id}, column rules: {e}").into(),
                )
            })?;
            let (base, present) = match rules.quorum_base {
                crate::domain::rules::QuorumBase::Standing => (r.get(13)?, r.get(14)?),
                crate::domain::rules::QuorumBase::Voters => (r.get(7)?, r.get(8)?),
            };
            Ok(MeetingRow {
                absent: r.get(11)?,
                observers: r.get(12)?,
                quorum: crate::domain::rules::quorum(rules.quorum, base, present),
                number: r.get(0)?,
                title: r.get(1)?,
                starts_at: r.get(2)?,
                place: r.get(3)?,
                chair: r.get(4)?,
                recorder: r.get(5)?,
                status: decode(r, 6, "meetings", "status", r.get(10)?)?,
                invited: r.get(7)?,
                present: r.get(8)?,
                items: r.get(9)?,
            })
        },
    )?;
    let resolutions = super::query_all(
        conn,
        "SELECT r.id, r.issue_id, i.title, m.number, r.text, \
           coalesce((SELECT a.owner FROM actions a WHERE a.resolution_id = r.id ORDER BY a.id LIMIT 1), r.owner), \
           coalesce((SELECT a.due FROM actions a WHERE a.resolution_id = r.id ORDER BY a.id LIMIT 1), r.due), \
           coalesce(r.due, (SELECT e.new_value FROM record_edits e WHERE e.entity = 'action' AND e.field = 'due' \
              AND e.entity_id = (SELECT a.id FROM actions a WHERE a.resolution_id = r.id ORDER BY a.id LIMIT 1) \
              ORDER BY e.id LIMIT 1)) \
         FROM resolutions r JOIN meetings m ON m.id = r.meeting_id JOIN issues i ON i.id = r.issue_id \
         WHERE m.starts_at BETWEEN ?1 AND ?2 ORDER BY r.id",
        [&from, &to],
        |r| {
            Ok(ResolutionRow {
                id: r.get(0)?,
                issue_id: r.get(1)?,
                issue_title: r.get(2)?,
                meeting_number: r.get(3)?,
                text: r.get(4)?,
                owner: r.get(5)?,
                due: r.get(6)?,
                due_set: r.get(7)?,
            })
        },
    )?;
    let actions = super::query_all(
        conn,
        "SELECT a.id, a.issue_id, a.text, a.owner, a.due, a.progress, a.done_on, a.withdrawn_reason \
         FROM actions a JOIN resolutions r ON r.id = a.resolution_id JOIN meetings m ON m.id = r.meeting_id \
         WHERE m.starts_at BETWEEN ?1 AND ?2 ORDER BY a.id",
        [&from, &to],
        |r| {
            Ok(ActionRow {
                id: r.get(0)?,
                issue_id: r.get(1)?,
                text: r.get(2)?,
                owner: r.get(3)?,
                due: r.get(4)?,
                progress: r.get(5)?,
                done_on: r.get(6)?,
                withdrawn: r.get(7)?,
                due_changes: Vec::new(),
            })
        },
    )?;
    let feedback = super::query_all(
        conn,
        "SELECT f.issue_id, i.title, f.resident, f.satisfaction, f.aware, f.note, f.given_on \
         FROM feedback f JOIN issues i ON i.id = f.issue_id \
         WHERE f.given_on BETWEEN ?1 AND ?2 ORDER BY f.given_on, f.id",
        [&from, &to],
        |r| {
            Ok(FeedbackRow {
                issue_id: r.get(0)?,
                issue_title: r.get(1)?,
                resident: r.get(2)?,
                satisfaction: r.get(3)?,
                aware: r.get::<_, Option<i64>>(4)?.map(|a| a != 0),
                note: r.get(5)?,
                given_on: r.get(6)?,
            })
        },
    )?;
    let mut actions = actions;
    for a in &mut actions {
        a.due_changes = super::query_all(
            conn,
            "SELECT old_value, new_value, reason FROM record_edits \
             WHERE entity = 'action' AND field = 'due' AND entity_id = ?1 ORDER BY id",
            [a.id],
            |r| {
                Ok(DueChange {
                    old: r.get(0)?,
                    new: r.get(1)?,
                    reason: r.get(2)?,
                })
            },
        )?;
    }
    let mut motions = super::query_all(
        conn,
        "SELECT v.id, m.number, v.issue_id, v.text, v.rule, v.method, v.yes, v.no, v.abstain, v.result \
         FROM motions v JOIN meetings m ON m.id = v.meeting_id \
         WHERE m.starts_at BETWEEN ?1 AND ?2 ORDER BY v.id",
        [&from, &to],
        |r| {
            Ok(MotionRow {
                id: r.get(0)?,
                meeting_number: r.get(1)?,
                issue_id: r.get(2)?,
                text: r.get(3)?,
                rule: r.get(4)?,
                method: decode_opt(r, 5, "motions", "method", r.get(0)?)?,
                yes: r.get(6)?,
                no: r.get(7)?,
                abstain: r.get(8)?,
                result: decode_opt(r, 9, "motions", "result", r.get(0)?)?,
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
                    old: (r.get(0)?, r.get(1)?, r.get(2)?),
                    new: (r.get(3)?, r.get(4)?, r.get(5)?),
                    old_result: r.get(6)?,
                    new_result: r.get(7)?,
                    reason: r.get(8)?,
                })
            },
        )?;
    }
    let postings = super::query_all(
        conn,
        "SELECT n.kind, m.number, n.issue_id, n.starts_on, n.ends_on, n.id FROM notices n \
         LEFT JOIN meetings m ON m.id = n.meeting_id \
         WHERE n.starts_on BETWEEN ?1 AND ?2 ORDER BY n.starts_on, n.id",
        [&from, &to],
        |r| {
            Ok(PostingRow {
                kind: super::codes::decode(r, 0, "notices", "kind", r.get(5)?)?,
                meeting_number: r.get(1)?,
                issue_id: r.get(2)?,
                starts_on: r.get(3)?,
                ends_on: r.get(4)?,
            })
        },
    )?;
    let replies = super::replies::ledger_rows(conn, &from, &to)?;
    let (reply_rates, reply_rate, reply_median_days) = super::report::reply_figures(
        super::replies::step_facts(conn, &Some(from.clone()), &Some(to.clone()))?,
    );
    Ok(Ledger {
        replies,
        reply_rates,
        reply_rate,
        reply_median_days,
        motions,
        postings,
        issues,
        meetings,
        resolutions,
        actions,
        feedback,
    })
}

/// The first and last day of any record (issue raised, meeting held, feedback given): the
/// period a report covers when none is given.
pub fn data_range(conn: &Connection) -> Result<Option<(String, String)>> {
    let row: (Option<String>, Option<String>) = conn.query_row(
        "SELECT MIN(d), MAX(d) FROM ( \
           SELECT raised_on AS d FROM issues \
           UNION ALL SELECT substr(starts_at, 1, 10) FROM meetings \
           UNION ALL SELECT given_on FROM feedback)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
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
        "SELECT r.issue_id, i.title, r.text, \
           coalesce((SELECT a.owner FROM actions a WHERE a.resolution_id = r.id ORDER BY a.id LIMIT 1), r.owner), \
           coalesce((SELECT a.due FROM actions a WHERE a.resolution_id = r.id ORDER BY a.id LIMIT 1), r.due), \
           (SELECT AVG(a.progress) FROM actions a WHERE a.resolution_id = r.id), \
           (SELECT COUNT(*) FROM actions a WHERE a.resolution_id = r.id), \
           (SELECT COUNT(*) FROM actions a WHERE a.resolution_id = r.id AND a.done_on IS NOT NULL), \
           (SELECT AVG(f.satisfaction) FROM feedback f WHERE f.issue_id = r.issue_id AND f.satisfaction IS NOT NULL), \
           (SELECT COUNT(f.satisfaction) FROM feedback f WHERE f.issue_id = r.issue_id), \
           coalesce(r.due, (SELECT e.new_value FROM record_edits e WHERE e.entity = 'action' AND e.field = 'due' \
              AND e.entity_id = (SELECT a.id FROM actions a WHERE a.resolution_id = r.id ORDER BY a.id LIMIT 1) \
              ORDER BY e.id LIMIT 1)), \
           (SELECT max(a.done_on) FROM actions a WHERE a.resolution_id = r.id) \
         FROM resolutions r JOIN issues i ON i.id = r.issue_id JOIN meetings m ON m.id = r.meeting_id \
         WHERE (?1 IS NULL OR substr(m.starts_at, 1, 10) >= ?1) AND (?2 IS NULL OR substr(m.starts_at, 1, 10) <= ?2) \
         ORDER BY r.id",
        rusqlite::params![from, to],
        |r| {
            Ok(ResolutionProgress {
                issue_id: r.get(0)?,
                issue_title: r.get(1)?,
                text: r.get(2)?,
                owner: r.get(3)?,
                due: r.get(4)?,
                progress: r.get(5)?,
                actions: r.get(6)?,
                actions_done: r.get(7)?,
                satisfaction: r.get(8)?,
                scores: r.get(9)?,
                due_set: r.get(10)?,
                done_on: r.get(11)?,
            })
        },
    )?;
    Ok(rows)
}
